"""Import testssl.sh JSON (``--jsonfile``, flat, and ``--jsonfile-pretty``).

testssl.sh writes one finding per line: ``{id, ip, port, severity, finding}``. Findings are
grouped per ``ip``/``port``; the certificate is the PEM in the ``cert`` finding (testssl.sh 3.0
and later), else it is rebuilt from the ``cert_*`` findings. With several server certificates
the ids carry `` <cert#N>``; each becomes its own observation. ``cert_chain_of_trust`` gives
``trusted``, ``cert_trust`` the host-name match, and the newest protocol offered (when the scan
ran the protocol checks) the TLS version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assess.evidence.endpoints import endpoint_location
from assess.evidence.importers.formats import ImportFormat
from assess.evidence.importers.interface import Importer
from assess.evidence.importers.reading import clean_hex, load_json, records_from_pem
from assess.evidence.interface import CollectorError, Sink
from assess.evidence.observations import error_observation, read_observation
from assess.model.bundle import BundleTool, CertificateRecord, KeyType, Observation, ObservationKind
from assess.support.dates import parse_moment
from assess.support.errors import Problem

_CERT_NUMBER = re.compile(r"^(?P<id>\S+)(?: <cert#(?P<n>\d+)>)?$")
_PROTOCOLS = (
    ("TLS1_3", "TLSv1.3"),
    ("TLS1_2", "TLSv1.2"),
    ("TLS1_1", "TLSv1.1"),
    ("TLS1", "TLSv1"),
    ("SSLv3", "SSLv3"),
)


def _rows(data: object) -> tuple[list[dict[str, Any]], datetime | None, str]:
    """Findings of the flat or the pretty format, the scan start when given, the version."""
    if isinstance(data, list):
        return [r for r in data if isinstance(r, dict)], None, "?"
    if isinstance(data, dict) and isinstance(data.get("scanResult"), list):
        rows: list[dict[str, Any]] = []
        for target in data["scanResult"]:
            if not isinstance(target, dict):
                continue
            ip, port = target.get("ip", ""), target.get("port", "")
            for section, findings in target.items():
                if isinstance(findings, list):
                    rows += [
                        {"ip": ip, "port": port, **f}
                        for f in findings
                        if isinstance(f, dict) and section != "scanResult"
                    ]
        start = data.get("startTime")
        started = None
        if isinstance(start, int | str) and str(start).isdigit():
            started = datetime.fromtimestamp(int(start), tz=UTC)
        return rows, started, str(data.get("version") or "?").split()[0]
    raise ValueError


def _from_fields(found: dict[str, str]) -> CertificateRecord | None:
    """A certificate rebuilt from ``cert_*`` findings when there is no PEM."""
    not_before = parse_moment(found.get("cert_notBefore"))
    not_after = parse_moment(found.get("cert_notAfter"))
    if not_before is None or not_after is None:
        return None
    key_type: KeyType | None = None
    key_size: int | None = None
    size = re.match(r"(RSA|EC|ECDSA|DSA|Ed25519|Ed448)\D*(\d+)", found.get("cert_keySize", ""))
    if size:
        key_type = {
            "RSA": KeyType.RSA,
            "EC": KeyType.EC,
            "ECDSA": KeyType.EC,
            "DSA": KeyType.DSA,
            "Ed25519": KeyType.ED25519,
            "Ed448": KeyType.ED448,
        }[size.group(1)]
        key_size = int(size.group(2))
    algorithm = found.get("cert_signatureAlgorithm", "")
    hashed = re.search(r"(SHA-?\d+|MD5|MD2)", algorithm, re.IGNORECASE)
    names = found.get("cert_subjectAltName", "")
    return CertificateRecord(
        sha256=clean_hex(found.get("cert_fingerprintSHA256"), 64),
        serial=clean_hex(found.get("cert_serialNumber")) or "",
        subject=f"CN={found.get('cert_commonName', '')}",
        issuer=f"CN={found.get('cert_caIssuers', '')}",
        not_before=not_before,
        not_after=not_after,
        key_type=key_type,
        key_size=key_size,
        signature_hash=hashed.group(1).replace("-", "").lower() if hashed else None,
        san_dns=tuple(n for n in names.split() if "." in n or n == "localhost"),
        self_signed="self signed" in found.get("cert_chain_of_trust", "").lower(),
    )


class TestsslImporter(Importer):
    """testssl.sh JSON output."""

    format = ImportFormat.TESTSSL

    def __init__(self, path: Path, mapping: dict[str, str] | None = None) -> None:
        super().__init__(path, mapping)
        data = load_json(path, "testssl.sh --jsonfile output")
        try:
            rows, started, version = _rows(data)
        except ValueError:
            raise CollectorError(
                Problem("not testssl.sh JSON: expected a list of findings", file=path),
                hint="produce it with: testssl.sh --jsonfile FILE HOST:PORT",
            ) from None
        if rows and not all({"id", "finding"} <= set(r) for r in rows):
            raise CollectorError(
                Problem("not testssl.sh JSON: findings need id and finding", file=path)
            )
        self.rows = rows
        self.started = started
        self.version = version

    def tool(self) -> BundleTool:
        """testssl.sh, in the version the pretty format names."""
        return BundleTool(name="testssl.sh", version=self.version)

    def collected_at(self) -> datetime:
        """The scan start (pretty format), else when the file was saved."""
        return self.started or super().collected_at()

    def collect(self, sink: Sink) -> None:
        """One observation per endpoint and server certificate."""
        endpoints: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for row in self.rows:
            host = str(row.get("ip", "")).split("/")[0]
            if not host:
                continue  # findings about the scanner itself (engine_problem, …)
            endpoints.setdefault((host, str(row.get("port", ""))), []).append(row)
        for (host, port), rows in endpoints.items():
            for observation in self._endpoint(host, port, rows):
                sink(observation)

    def _endpoint(self, host: str, port: str, rows: Iterable[dict[str, Any]]) -> list[Observation]:
        location = endpoint_location(host, port)
        per_cert: dict[int, dict[str, str]] = {}
        general: dict[str, str] = {}
        for row in rows:
            match = _CERT_NUMBER.match(str(row["id"]))
            if match is None:
                continue
            number = int(match.group("n") or 1)
            name = match.group("id")
            if name.startswith("cert") or name.startswith("intermediate_cert"):
                per_cert.setdefault(number, {})[name] = str(row["finding"])
            else:
                general[name] = str(row["finding"])
        version = next(
            (label for key, label in _PROTOCOLS if general.get(key, "").startswith("offered")),
            None,
        )
        if not per_cert:
            reason = general.get("scanProblem") or "testssl.sh recorded no certificate"
            return [error_observation(location, reason, ObservationKind.ENDPOINT)]
        observations = []
        for number, found in sorted(per_cert.items()):
            records = records_from_pem(found.get("cert", ""))
            for key in sorted(k for k in found if k.startswith("intermediate_cert")):
                if not key.endswith(
                    ("_notBefore", "_notAfter", "_chain", "_expiration", "_badOCSP")
                ):
                    records += records_from_pem(found[key])
            if not records and (rebuilt := _from_fields(found)) is not None:
                records = [rebuilt]
            where = location if number == 1 else f"{location}#{number}"
            if not records:
                observations.append(
                    error_observation(
                        where,
                        "testssl.sh recorded no readable certificate",
                        ObservationKind.ENDPOINT,
                    )
                )
                continue
            chain = found.get("cert_chain_of_trust", "")
            trust = found.get("cert_trust", "")
            observations.append(
                read_observation(
                    where,
                    records,
                    ObservationKind.ENDPOINT,
                    tls_version=version,
                    hostname_match=(trust.lower().startswith("ok") if trust else None),
                    trusted=(chain.lower().startswith("passed") if chain else None),
                    validation_error=None if chain.lower().startswith("passed") else chain or None,
                )
            )
        return observations
