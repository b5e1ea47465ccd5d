"""Import ``sslyze --json_out`` files (the 5.x and 6.x shapes).

Certificates come from each deployment's ``received_certificate_chain`` (the PEM sslyze keeps,
else its parsed fields): one observation per chain, all at the server's ``host:port``. The TLS
version is the newest sslyze's connectivity test found the server to support
(``highest_tls_version_supported``). ``trusted`` is true when any trust store sslyze used
validated the chain, judged against the roots given with ``--certinfo_ca_file`` (sslyze's
"Supplied CA file") when only those did. The host-name match is computed from the leaf's names,
as for every source: sslyze 5's own ``leaf_certificate_subject_matches_hostname`` accepts a
subject common name (a certificate without SAN "matches"), and sslyze 6 dropped it, folding the
name into path validation; so a sslyze 6 failure that is only the name leaves the chain not
judged rather than untrusted.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from assess.evidence.endpoints import endpoint_location, matches_host
from assess.evidence.importers.formats import ImportFormat
from assess.evidence.importers.interface import Importer
from assess.evidence.importers.reading import hex_of_base64, load_json, records_from_pem
from assess.evidence.interface import CollectorError, Sink
from assess.evidence.observations import error_observation, read_observation
from assess.model import algorithms
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

_KEY_TYPES = {
    "RSAPublicKey": KeyType.RSA,
    "_RSAPublicKey": KeyType.RSA,
    "EllipticCurvePublicKey": KeyType.EC,
    "_EllipticCurvePublicKey": KeyType.EC,
    "Ed25519PublicKey": KeyType.ED25519,
    "Ed448PublicKey": KeyType.ED448,
    "DSAPublicKey": KeyType.DSA,
}


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _record_from_fields(cert: dict[str, Any]) -> CertificateRecord | None:
    """A record from sslyze's parsed fields, when the PEM is missing."""
    not_before = parse_moment(cert.get("not_valid_before"))
    not_after = parse_moment(cert.get("not_valid_after"))
    if not_before is None or not_after is None:
        return None
    names = _dict(cert.get("subject_alternative_name"))
    dns = _list(names.get("dns_names", names.get("dns")))
    key = _dict(cert.get("public_key"))
    serial = cert.get("serial_number")
    signature = _dict(cert.get("signature_hash_algorithm"))
    subject = _dict(cert.get("subject")).get("rfc4514_string") or ""
    issuer = _dict(cert.get("issuer")).get("rfc4514_string") or ""
    return CertificateRecord(
        sha256=hex_of_base64(cert.get("fingerprint_sha256")),
        serial=format(serial, "x") if isinstance(serial, int) else str(serial or ""),
        subject=subject,
        issuer=issuer,
        not_before=not_before,
        not_after=not_after,
        key_type=_KEY_TYPES.get(str(key.get("algorithm")))
        or algorithms.key_type_named(str(key.get("algorithm") or "")),
        key_size=key.get("key_size") if isinstance(key.get("key_size"), int) else None,
        signature_hash=signature.get("name") if isinstance(signature.get("name"), str) else None,
        san_dns=tuple(str(n) for n in dns),
        self_signed=bool(subject) and subject == issuer,
        curve=key.get("ec_curve_name") if isinstance(key.get("ec_curve_name"), str) else None,
        spki_sha256=hex_of_base64(cert.get("hpkp_pin")),
        signature_algorithm=_dict(cert.get("signature_algorithm_oid")).get("name"),
    )


def _records(chain: list[Any]) -> list[CertificateRecord]:
    records: list[CertificateRecord] = []
    for cert in chain:
        fields = _dict(cert)
        pem = fields.get("as_pem")
        found = records_from_pem(pem) if isinstance(pem, str) else []
        if found:
            records.append(found[0])
        elif (record := _record_from_fields(fields)) is not None:
            records.append(record)
    return records


SUPPLIED_STORE = "Supplied CA file"
"""The name sslyze gives the trust store of ``--certinfo_ca_file``."""
_NAME_FAILURES = ("no matching subjectAltName", "has no subjectAltName")
"""How sslyze 6 (the cryptography verifier) says the leaf does not cover the name asked for,
or names none."""
_VERSIONS = {
    "SSL_2_0": "SSLv2",
    "SSL_3_0": "SSLv3",
    "TLS_1_0": "TLSv1",
    "TLS_1_1": "TLSv1.1",
    "TLS_1_2": "TLSv1.2",
    "TLS_1_3": "TLSv1.3",
}


def _verdict(
    validations: list[dict[str, Any]],
) -> tuple[bool | None, TrustRoots | None, str | None]:
    """Whether the chain validates, against which roots, and why not.

    A chain any public store validates is trusted against public roots; one only the supplied
    CA file validates is trusted against the assessor's roots. A failure that is only the host
    name, or a leaf that names none (sslyze 6), says nothing of the chain and is no verdict."""
    judged = [
        v
        for v in validations
        if isinstance(v.get("was_validation_successful"), bool)
        and not any(f in str(v.get("validation_error") or "") for f in _NAME_FAILURES)
    ]
    if not judged:
        return None, None, None

    def supplied(v: dict[str, Any]) -> bool:
        return _dict(v.get("trust_store")).get("name") == SUPPLIED_STORE

    if any(v["was_validation_successful"] and not supplied(v) for v in judged):
        return True, TrustRoots.PUBLIC, None
    given = any(supplied(v) for v in judged)
    roots = TrustRoots.GIVEN if given else TrustRoots.PUBLIC
    if any(v["was_validation_successful"] for v in judged):
        return True, roots, None
    reasons = [
        str(v.get("validation_error") or v.get("openssl_error_string"))
        for v in sorted(judged, key=lambda v: not supplied(v))  # the supplied roots' first
    ]
    return False, roots, "; ".join(dict.fromkeys(reasons))


def _last_line(trace: object) -> str:
    lines = [line for line in str(trace or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no reason given"


class SslyzeImporter(Importer):
    """sslyze JSON output."""

    format = ImportFormat.SSLYZE

    def __init__(self, path: Path, mapping: dict[str, str] | None = None) -> None:
        super().__init__(path, mapping)
        data = load_json(path, "sslyze --json_out output")
        if not isinstance(data, dict) or not isinstance(data.get("server_scan_results"), list):
            raise CollectorError(
                Problem("not sslyze output: no 'server_scan_results' list", file=path),
                hint="produce it with: sslyze --certinfo --json_out FILE TARGET…",
            )
        self.data: dict[str, Any] = data

    def header_at(self, collected_at: datetime) -> EvidenceBundle:
        """The header, with the roots given with ``--certinfo_ca_file`` as the trust store."""
        header = super().header_at(collected_at)
        return header.model_copy(update={"trust_store": self._supplied_roots()})

    def _supplied_roots(self) -> str | None:
        for server in _list(self.data.get("server_scan_results")):
            attempt = _dict(_dict(_dict(server).get("scan_result")).get("certificate_info"))
            for deployment in _list(_dict(attempt.get("result")).get("certificate_deployments")):
                for validation in _list(_dict(deployment).get("path_validation_results")):
                    store = _dict(_dict(validation).get("trust_store"))
                    if store.get("name") == SUPPLIED_STORE:
                        return str(store.get("path") or SUPPLIED_STORE)
        return None

    def tool(self) -> BundleTool:
        """sslyze, in the version the file names."""
        return BundleTool(name="sslyze", version=str(self.data.get("sslyze_version") or "?"))

    def collected_at(self) -> datetime | None:
        """When sslyze started, else when the file was saved."""
        return parse_moment(self.data.get("date_scans_started")) or super().collected_at()

    def collect(self, sink: Sink) -> None:
        """One observation per server (per certificate deployment when several)."""
        for server in self.data["server_scan_results"]:
            for observation in self._server(_dict(server)):
                sink(observation)

    def _server(self, server: dict[str, Any]) -> list[Observation]:
        where = _dict(server.get("server_location"))
        host = str(where.get("hostname") or where.get("ip_address") or "?")
        port = where.get("port", 443)
        location = endpoint_location(host, port)
        address = where.get("ip_address") if isinstance(where.get("ip_address"), str) else None

        def error(reason: str) -> list[Observation]:
            return [
                error_observation(
                    location,
                    reason,
                    ObservationKind.ENDPOINT,
                    server_name=host,
                    address=address,
                )
            ]

        if server.get("connectivity_status", "COMPLETED") != "COMPLETED":
            return error(
                f"sslyze could not connect: {_last_line(server.get('connectivity_error_trace'))}"
            )
        attempt = _dict(_dict(server.get("scan_result")).get("certificate_info"))
        if not attempt:
            return error("sslyze ran without --certinfo: no certificate information")
        if attempt.get("status", "COMPLETED") != "COMPLETED":
            reason = attempt.get("error_reason") or _last_line(attempt.get("error_trace"))
            return error(f"sslyze certificate scan failed: {reason}")
        result = _dict(attempt.get("result"))
        server_name = str(result.get("hostname_used_for_server_name_indication") or host)
        newest = _dict(server.get("connectivity_result")).get("highest_tls_version_supported")
        version = _VERSIONS.get(str(newest))
        observations = []
        for deployment in _list(result.get("certificate_deployments")):
            deployment = _dict(deployment)
            records = _records(_list(deployment.get("received_certificate_chain")))
            if not records:
                observations += error("sslyze recorded no readable certificate")
                continue
            validations = [_dict(v) for v in _list(deployment.get("path_validation_results"))]
            trusted, roots, reason = _verdict(validations)
            observations.append(
                read_observation(
                    location,
                    records,
                    ObservationKind.ENDPOINT,
                    tls_version=version,
                    hostname_match=matches_host(server_name, records[0].san_dns, records[0].san_ip),
                    trusted=trusted,
                    server_name=server_name,
                    validation_error=reason,
                    trust_roots=roots,
                    address=address,
                )
            )
        return observations or error("sslyze recorded no certificate deployment")
