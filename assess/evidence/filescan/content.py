"""One file's content, whatever its format: which reader it goes to, and whether a file met in a
folder walk is certificate material at all."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from assess.evidence.certs import RecordCache
from assess.evidence.filescan.formats import scan_binary, scan_keystore, scan_pem
from assess.evidence.filescan.items import Item
from assess.evidence.filescan.keystore import is_keystore
from assess.evidence.filescan.kubernetes import BASE64_PEM, is_manifest, is_text, scan_manifest
from assess.support.der import spans_whole

CERTIFICATE_SUFFIXES = frozenset(
    {
        *(".pem", ".crt", ".cer", ".der", ".key", ".p12", ".pfx", ".p7b", ".p7c", ".p7"),
        *(".ca-bundle", ".jks", ".jceks", ".keystore", ".truststore"),
    }
)
"""File names that announce certificate material: such a file that fails to parse is reported."""


def scan_bytes(
    data: bytes,
    location: str,
    *,
    mode: str | None = None,
    passwords: Sequence[bytes] = (),
    suffix: str = "",
    automation: Sequence[str] = (),
    explicit: bool = True,
    cache: RecordCache | None = None,
) -> list[Item]:
    """Everything in one file's content; parse failures are error observations.

    ``explicit`` is false for files met in a folder walk: PEM holding only requests, CRLs or
    public keys is then skipped rather than reported. ``cache`` holds the certificates
    already described in this scan (a new one when not given)."""
    cache = cache if cache is not None else RecordCache()
    with warnings.catch_warnings():
        # Odd certificates (negative serials) warn; they are recorded, not shouted about.
        warnings.simplefilter("ignore")
        if is_keystore(data):
            return list(scan_keystore(data, location, mode, cache=cache))
        if is_manifest(data, suffix) and (
            explicit or b"-----BEGIN" in data or BASE64_PEM in data or b"tls.crt" in data
        ):
            return list(scan_manifest(data, location, mode, explicit=explicit, cache=cache))
        if b"-----BEGIN" in data:
            return list(scan_pem(data, location, mode, automation, explicit=explicit, cache=cache))
        return list(scan_binary(data, location, mode, passwords, suffix, cache=cache))


def is_candidate(data: bytes, suffix: str) -> bool:
    """Whether a file met in a folder walk looks like certificate material at all."""
    return (
        suffix in CERTIFICATE_SUFFIXES
        or is_keystore(data)
        or b"-----BEGIN" in data
        or (BASE64_PEM in data and is_text(data))  # a Secret, a caBundle, a kubeconfig
        or (b"tls.crt" in data and is_manifest(data, suffix))  # a Secret, even a broken one
        or spans_whole(data)
    )
