"""Import testssl.sh JSON (``--jsonfile``, flat, and ``--jsonfile-pretty``).

testssl.sh writes one finding per line: ``{id, ip, port, severity, finding}``, where ``ip`` is
``host/address``. Findings are grouped per target; the certificate is the PEM in the ``cert``
finding (testssl.sh 3.0 and later), else it is rebuilt from the ``cert_*`` findings. With
several server certificates (one per key type) the ids carry `` <cert#N>``: each chain is an
observation of the same ``host:port``. ``cert_chain_of_trust`` gives ``trusted`` (against
testssl.sh's own root stores, and the roots of ``--add-ca`` when the pretty file's invocation
shows it), the newest protocol offered (when the protocol checks ran) the TLS version; the host
name is matched against the leaf's names, as for every source. A target testssl.sh could not
scan is an error observation with testssl.sh's own reason.

The pretty file names each target as the flat file does (``targetHost``), and records the
scan's start; a target it could not scan it names by address only. The flat file records no
time at all: the time of its import is given with ``--collected-at``, never taken from the
file's modification time, which a copy changes.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assess.evidence.endpoints import endpoint_location, matches_host
from assess.evidence.importers.formats import ImportFormat
from assess.evidence.importers.interface import Importer
from assess.evidence.importers.reading import clean_hex, load_json, records_from_pem
from assess.evidence.interface import CollectorError, Sink
from assess.evidence.observations import error_observation, read_observation
from assess.model.bundle import (
    BundleTool,
    CertificateRecord,
    EvidenceBundle,
    KeyType,
    Observation,
    ObservationKind,
    TrustRoots,
)
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
_FAILURE_SEVERITIES = ("FATAL", "WARN", "CRITICAL")
"""Severities of the findings that say why testssl.sh scanned no certificate."""
_ADDRESS = re.compile(
    r"\[(?P<v6>[0-9A-Fa-f:.]+)\]:(?P<p6>\d+)|(?P<v4>\d{1,3}(?:\.\d{1,3}){3}):(?P<p4>\d+)"
)
"""``address:port`` in testssl.sh's messages about a target it could not scan."""
_ADD_CA = re.compile(r"--add-ca[= ](\S+)")


@dataclass
class _Target:
    """The findings about one ``host:port``."""

    host: str
    port: str
    address: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Scan:
    """What a testssl.sh file holds, in either format."""

    targets: dict[tuple[str, str], _Target] = field(default_factory=dict)
    unnamed: list[tuple[str | None, str | None, str]] = field(default_factory=list)
    """Targets the pretty format names by address only: (address, port, reason)."""
    started: datetime | None = None
    version: str = "?"
    roots: TrustRoots = TrustRoots.PUBLIC
    added_roots: str | None = None
    """The roots given with ``--add-ca``, as the pretty file's invocation names them."""

    def add(self, host: str, port: str, address: str | None, row: dict[str, Any]) -> None:
        target = self.targets.setdefault((host, port), _Target(host, port, address))
        target.address = target.address or address
        target.rows.append(row)


def _split_ip(value: object) -> tuple[str, str | None]:
    """The flat format's ``host/address`` (either part may be empty) as host and address."""
    host, _, address = str(value or "").partition("/")
    host, address = host.strip("[]"), address.strip("[]")
    return host or address, address or None


def _read(data: object) -> _Scan:
    """The findings of the flat or the pretty format; anything else is a ValueError."""
    scan = _Scan()
    if isinstance(data, list):
        for row in data:
            if isinstance(row, dict):
                host, address = _split_ip(row.get("ip"))
                if host:  # not the findings about the scanner itself (engine_problem, …)
                    scan.add(host, str(row.get("port", "")), address, row)
        return scan
    if not isinstance(data, dict) or not isinstance(data.get("scanResult"), list):
        raise ValueError
    for target in data["scanResult"]:
        if not isinstance(target, dict):
            continue
        if "id" in target and "finding" in target:  # a target that could not be scanned
            found = _ADDRESS.search(str(target["finding"]))
            address = (found.group("v4") or found.group("v6")) if found else None
            port = (found.group("p4") or found.group("p6")) if found else None
            scan.unnamed.append((address, port, str(target["finding"])))
            continue
        address = str(target.get("ip") or "") or None
        host = str(target.get("targetHost") or "") or address or ""
        port = str(target.get("port", ""))
        for section, findings in target.items():
            if isinstance(findings, list) and section != "scanResult":
                for finding in findings:
                    if isinstance(finding, dict):
                        scan.add(host, port, address, finding)
    start = data.get("startTime")
    if isinstance(start, int | str) and str(start).isdigit():
        scan.started = datetime.fromtimestamp(int(start), tz=UTC)
    scan.version = str(data.get("version") or "?").split()[0]
    added = _ADD_CA.search(str(data.get("Invocation") or ""))
    if added is not None:
        scan.roots = TrustRoots.GIVEN
        scan.added_roots = added.group(1)
    return scan


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


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _failure(general: dict[str, tuple[str, str]]) -> str:
    """Why testssl.sh scanned no certificate, in its own words."""
    problem = general.get("scanProblem")
    if problem is None:
        problem = next(
            (
                (severity, finding)
                for severity, finding in general.values()
                if severity in _FAILURE_SEVERITIES
            ),
            None,
        )
    return f"testssl.sh: {problem[1]}" if problem else "testssl.sh recorded no certificate"


class TestsslImporter(Importer):
    """testssl.sh JSON output."""

    format = ImportFormat.TESTSSL

    def __init__(self, path: Path, mapping: dict[str, str] | None = None) -> None:
        super().__init__(path, mapping)
        data = load_json(path, "testssl.sh --jsonfile output")
        try:
            self.scan = _read(data)
        except ValueError:
            raise CollectorError(
                Problem("not testssl.sh JSON: expected a list of findings", file=path),
                hint="produce it with: testssl.sh --jsonfile FILE HOST:PORT",
            ) from None
        rows = [row for target in self.scan.targets.values() for row in target.rows]
        if not all({"id", "finding"} <= set(r) for r in rows):
            raise CollectorError(
                Problem("not testssl.sh JSON: findings need id and finding", file=path)
            )

    def header_at(self, collected_at: datetime) -> EvidenceBundle:
        """The header, with the roots given with ``--add-ca`` as the trust store."""
        header = super().header_at(collected_at)
        return header.model_copy(update={"trust_store": self.scan.added_roots})

    def tool(self) -> BundleTool:
        """testssl.sh, in the version the pretty format names."""
        return BundleTool(name="testssl.sh", version=self.scan.version)

    def collected_at(self) -> datetime | None:
        """The scan start (pretty format); the flat format does not say."""
        return self.scan.started

    def collect(self, sink: Sink) -> None:
        """One observation per endpoint and server certificate."""
        for target in self.scan.targets.values():
            for observation in self._endpoint(target):
                sink(observation)
        for number, (address, port, reason) in enumerate(self.scan.unnamed, start=1):
            if address is None or port is None:  # not even an address: a place in the file
                sink(
                    error_observation(
                        f"{self.path}#scanResult[{number}]",
                        f"testssl.sh: {reason}",
                        ObservationKind.FILE,
                    )
                )
                continue
            sink(
                error_observation(
                    endpoint_location(address, port),
                    f"testssl.sh: {reason}",
                    ObservationKind.ENDPOINT,
                    address=address,
                )
            )

    def _endpoint(self, target: _Target) -> list[Observation]:
        location = endpoint_location(target.host, target.port)
        per_cert: dict[int, dict[str, str]] = {}
        general: dict[str, tuple[str, str]] = {}
        for row in target.rows:
            match = _CERT_NUMBER.match(str(row["id"]))
            if match is None:
                continue
            number = int(match.group("n") or 1)
            name = match.group("id")
            if name.startswith("cert") or name.startswith("intermediate_cert"):
                per_cert.setdefault(number, {})[name] = str(row["finding"])
            else:
                general[name] = (str(row.get("severity", "")), str(row["finding"]))
        version = next(
            (
                label
                for key, label in _PROTOCOLS
                if general.get(key, ("", ""))[1].startswith("offered")
            ),
            None,
        )
        fields: dict[str, object] = {
            "address": target.address,
            "server_name": None if _is_address(target.host) else target.host,
        }
        if not per_cert:
            return [
                error_observation(location, _failure(general), ObservationKind.ENDPOINT, **fields)
            ]
        observations = []
        for _, found in sorted(per_cert.items()):
            records = records_from_pem(found.get("cert", ""))
            for key in sorted(k for k in found if k.startswith("intermediate_cert")):
                if not key.endswith(
                    ("_notBefore", "_notAfter", "_chain", "_expiration", "_badOCSP")
                ):
                    records += records_from_pem(found[key])
            if not records and (rebuilt := _from_fields(found)) is not None:
                records = [rebuilt]
            if not records:
                observations.append(
                    error_observation(
                        location,
                        "testssl.sh recorded no readable certificate",
                        ObservationKind.ENDPOINT,
                        **fields,
                    )
                )
                continue
            chain = found.get("cert_chain_of_trust", "")
            passed = chain.lower().startswith("passed")
            observations.append(
                read_observation(
                    location,
                    records,
                    ObservationKind.ENDPOINT,
                    tls_version=version,
                    hostname_match=matches_host(target.host, records[0].san_dns, records[0].san_ip),
                    trusted=passed if chain else None,
                    validation_error=None if passed else chain or None,
                    trust_roots=self.scan.roots if chain else None,
                    **fields,
                )
            )
        return observations
