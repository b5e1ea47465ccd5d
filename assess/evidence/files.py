"""`assess scan files`: certificates and private keys in files, folders and Kubernetes secrets.

Folders are walked in name order; a folder reached twice (a symlink loop, a bind mount) is read
once, and sockets, pipes and devices are left alone. A file is read once and parsed by content:

- PEM anywhere in the file, garbage around it tolerated: certificates, PKCS#7, private keys;
- otherwise a DER certificate, DER PKCS#7 or PKCS#12 (passwords tried: none, empty, then each
  ``--password``);
- Kubernetes ``Secret`` objects (also inside a ``List``) in YAML, with their cert-manager
  annotations kept as automation markers;
- Java keystores (JKS, JCEKS), read without their password: certificates by alias
  (``path#alias``), and each private-key entry as an encrypted key (keystore.py).

A private key is recorded as location, type, whether it is encrypted, and the file mode: never
its content. A file that fails to parse is an ``error`` observation; files that are plainly not
certificate files (no PEM marker, no DER structure, no certificate file name) are skipped when
met inside a folder.
"""

from __future__ import annotations

import base64
import binascii
import collections
import itertools
import os
import re
import stat
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from assess import __version__
from assess.evidence.certs import RecordCache, UnreadableCertificate, key_description
from assess.evidence.interface import Collector, Sink
from assess.evidence.keystore import KeystoreError, is_keystore, read_keystore
from assess.model.bundle import (
    BundleTool,
    CertificateRecord,
    EvidenceBundle,
    KeyRecord,
    KeyType,
    Observation,
    ObservationKind,
    ObservationStatus,
)

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are not read (no certificate store is that big; logs and images are)."""

CERTIFICATE_SUFFIXES = frozenset(
    {
        *(".pem", ".crt", ".cer", ".der", ".key", ".p12", ".pfx", ".p7b", ".p7c", ".p7"),
        *(".ca-bundle", ".jks", ".jceks", ".keystore", ".truststore"),
    }
)
"""File names that announce certificate material: such a file that fails to parse is reported."""

_PEM_BEGIN = re.compile(rb"-----BEGIN ([A-Z0-9 #/-]{1,64})-----")
_CERTIFICATE_LABELS = {b"CERTIFICATE", b"X509 CERTIFICATE", b"TRUSTED CERTIFICATE"}
_PKCS7_LABELS = {b"PKCS7", b"PKCS #7 SIGNED DATA", b"CMS"}
_KEY_TYPE_BY_LABEL = {
    b"RSA PRIVATE KEY": KeyType.RSA,
    b"EC PRIVATE KEY": KeyType.EC,
    b"DSA PRIVATE KEY": KeyType.DSA,
}
_PARSE_ERRORS = (
    ValueError,
    TypeError,
    UnsupportedAlgorithm,
    UnreadableCertificate,
    x509.InvalidVersion,
)

Item = Observation | KeyRecord


def file_mode(mode: int) -> str:
    """Permission bits as ``0600``."""
    return f"{stat.S_IMODE(mode):04o}"


def _ok(location: str, certificates: Sequence[CertificateRecord], **extra: object) -> Observation:
    return Observation.model_validate(
        {
            "location": location,
            "status": ObservationStatus.OK,
            "certificates": tuple(certificates),
            "kind": ObservationKind.FILE,
            **extra,
        }
    )


def _error(location: str, reason: str) -> Observation:
    return Observation(
        location=location,
        status=ObservationStatus.ERROR,
        error=reason,
        kind=ObservationKind.FILE,
    )


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _der_spans_whole(data: bytes) -> bool:
    """True when ``data`` is one ASN.1 SEQUENCE filling the file (trailing whitespace aside)."""
    body = data.rstrip(b"\r\n\t ")
    if len(body) < 2 or body[0] != 0x30:
        return False
    first = body[1]
    if first < 0x80:
        return 2 + first == len(body)
    count = first & 0x7F
    if not 0 < count <= 4 or len(body) < 2 + count:
        return False
    length = int.from_bytes(body[2 : 2 + count], "big")
    return 2 + count + length == len(body)


def _looks_like_pkcs12(data: bytes) -> bool:
    """PFX is a SEQUENCE whose first element is INTEGER 3 (RFC 7292): a cheap test that spares
    the slow password attempts on other DER files."""
    if len(data) < 5 or data[0] != 0x30:
        return False
    first = data[1]
    start = 2 if first < 0x80 else 2 + (first & 0x7F)
    return data[start : start + 3] == b"\x02\x01\x03"


def _first_der(data: bytes) -> bytes:
    """The first ASN.1 element of ``data`` (OpenSSL's TRUSTED CERTIFICATE appends trust data)."""
    if len(data) < 2:
        return data
    first = data[1]
    if first < 0x80:
        return data[: 2 + first]
    count = first & 0x7F
    length = int.from_bytes(data[2 : 2 + count], "big")
    return data[: 2 + count + length]


@dataclass(frozen=True)
class PemBlock:
    """One ``-----BEGIN L-----`` … ``-----END L-----`` block of PEM text."""

    label: bytes
    """``CERTIFICATE``, ``PRIVATE KEY``…"""
    body: bytes
    """What lies between the two lines (base64, perhaps headers)."""
    text: bytes
    """The whole block, both lines included."""


def pem_blocks(data: bytes) -> Iterator[PemBlock]:
    """The PEM blocks of ``data`` in order, anything around them ignored.

    A block is what the regular expression
    ``-----BEGIN ([A-Z0-9 #/-]{1,64})-----(.*?)-----END \\1-----`` (DOTALL) finds, found here
    with plain byte searches: the lazy body made the expression cost ten times the search.
    """
    position = 0
    while (begin := _PEM_BEGIN.search(data, position)) is not None:
        start = begin.start()
        label_start = start + len(b"-----BEGIN ")
        # The longest label followed by five dashes first, as the expression backtracks.
        for label_end in range(begin.end(1), label_start, -1):
            if not data.startswith(b"-----", label_end):
                continue
            label = data[label_start:label_end]
            end_line = b"-----END " + label + b"-----"
            end = data.find(end_line, label_end + 5)
            if end >= 0:
                position = end + len(end_line)
                yield PemBlock(label, data[label_end + 5 : end], data[start:position])
                break
        else:
            position = start + 1


def _certificate_der(body: bytes) -> bytes | None:
    """The DER of a CERTIFICATE block whose body is plain base64 lines, else ``None`` (headers,
    stray characters: left to cryptography's PEM reader, which judges them)."""
    lines = body.replace(b"\r\n", b"\n")
    if b"\n\n" in lines or b"\r" in lines:
        return None  # a blank line means headers to the reader, or a malformed block
    text = lines.replace(b"\n", b"")
    try:
        der = binascii.a2b_base64(text, strict_mode=True)
    except binascii.Error:
        return None
    # The reader refuses base64 with stray bits in its last character; so must this.
    return der if binascii.b2a_base64(der, newline=False) == text else None


def _records(
    certificates: Sequence[x509.Certificate],
    location: str,
    cache: RecordCache,
    automation: Sequence[str] = (),
) -> tuple[list[CertificateRecord], list[Observation]]:
    """Records of parsed certificates; an unreadable one becomes an error observation
    (``location#n`` when there are several)."""
    records: list[CertificateRecord] = []
    errors: list[Observation] = []
    for position, certificate in enumerate(certificates):
        try:
            records.append(cache.record(certificate, automation if position == 0 else ()))
        except UnreadableCertificate as error:
            where = f"{location}#{position + 1}" if len(certificates) > 1 else location
            errors.append(_error(where, _reason(error)))
    return records, errors


def _private_key(label: bytes, block: bytes, location: str, mode: str | None) -> KeyRecord:
    """What can be said about a PEM private key without keeping it."""
    encrypted = label == b"ENCRYPTED PRIVATE KEY" or b"Proc-Type: 4,ENCRYPTED" in block
    if label == b"OPENSSH PRIVATE KEY":
        encrypted = _openssh_encrypted(block)
    key_type = _KEY_TYPE_BY_LABEL.get(label)
    key_size = None
    if not encrypted:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if label == b"OPENSSH PRIVATE KEY":
                    key: object = serialization.load_ssh_private_key(block, None)
                else:
                    key = serialization.load_pem_private_key(
                        block, None, unsafe_skip_rsa_key_validation=True
                    )
        except (*_PARSE_ERRORS, IndexError):
            pass
        else:
            found_type, key_size, _ = key_description(key)
            key_type = found_type or key_type
            del key
    return KeyRecord(
        location=location, encrypted=encrypted, mode=mode, key_type=key_type, key_size=key_size
    )


def _openssh_encrypted(block: bytes) -> bool:
    body = b"".join(line for line in block.splitlines() if not line.startswith(b"-----"))
    try:
        raw = base64.b64decode(body)
    except (binascii.Error, ValueError):
        return False
    magic = b"openssh-key-v1\x00"
    if not raw.startswith(magic) or len(raw) < len(magic) + 4:
        return False
    size = int.from_bytes(raw[len(magic) : len(magic) + 4], "big")
    cipher = raw[len(magic) + 4 : len(magic) + 4 + size]
    return cipher != b"none"


def scan_pem(
    data: bytes,
    location: str,
    mode: str | None,
    automation: Sequence[str] = (),
    *,
    explicit: bool = True,
    cache: RecordCache,
) -> Iterator[Item]:
    """Certificates, PKCS#7 bundles and private keys in PEM text with anything around them.

    ``explicit`` is false for a file met in a folder walk without a certificate file name:
    text that only quotes PEM (no complete block, only requests or CRLs) is then skipped."""
    blocks = list(pem_blocks(data))
    if not blocks:
        if explicit:  # in a folder walk, a script or a document quoting a PEM header
            yield _error(location, "a PEM header without its matching END line")
        return
    key_count = sum(1 for b in blocks if b.label.endswith(b"PRIVATE KEY"))
    records: list[CertificateRecord] = []
    errors: list[Observation] = []
    keys: list[KeyRecord] = []
    seen_material = False
    for number, pem in enumerate(blocks, start=1):
        label = pem.label
        block = pem.text
        where = f"{location}#{number}"
        if label.endswith(b"PRIVATE KEY"):
            seen_material = True
            keys.append(_private_key(label, block, location if key_count == 1 else where, mode))
            continue
        first = automation if not records else ()
        try:
            if label == b"CERTIFICATE" and (der := _certificate_der(pem.body)) is not None:
                # The common case: the DER is at hand, and a certificate already described
                # in this scan (the issuing CA of every chain file) is not even parsed again.
                seen_material = True
                try:
                    records.append(cache.record_der(der, first))
                    continue
                except UnreadableCertificate as error:
                    errors.append(_error(where, _reason(error)))
                    continue
                except _PARSE_ERRORS:
                    pass  # cryptography's PEM reader below gives the reason
            if label in _CERTIFICATE_LABELS:
                seen_material = True
                if label == b"CERTIFICATE":
                    found = [x509.load_pem_x509_certificate(block)]
                else:
                    der = _first_der(base64.b64decode(pem.body, validate=False))
                    found = [x509.load_der_x509_certificate(der)]
            elif label in _PKCS7_LABELS:
                seen_material = True
                found = pkcs7.load_pem_pkcs7_certificates(
                    block.replace(b"-----BEGIN " + label, b"-----BEGIN PKCS7").replace(
                        b"-----END " + label, b"-----END PKCS7"
                    )
                )
            else:
                continue  # requests, CRLs, public keys, parameters: not evidence here
        except (*_PARSE_ERRORS, binascii.Error, IndexError) as error:
            errors.append(_error(where, f"{label.decode()} block: {_reason(error)}"))
            continue
        more, bad = _records(found, where, cache, first)
        records.extend(more)
        errors.extend(bad)
    if records:
        yield _ok(location, records, automation=tuple(automation))
    elif not errors and not keys and not seen_material and explicit:
        # Requests, CRLs and public keys met in a folder walk are not evidence, not errors.
        yield _error(location, "PEM text without a certificate or private key")
    yield from errors
    yield from keys


def scan_binary(
    data: bytes,
    location: str,
    mode: str | None,
    passwords: Sequence[bytes],
    suffix: str,
    *,
    cache: RecordCache,
) -> Iterator[Item]:
    """A DER certificate, DER PKCS#7 or PKCS#12 file."""
    pkcs12_first = suffix in {".p12", ".pfx"}
    attempts = ("pkcs12", "der", "pkcs7") if pkcs12_first else ("der", "pkcs7", "pkcs12")
    first_error: str | None = None
    for attempt in attempts:
        try:
            if attempt == "der":
                certificates = [x509.load_der_x509_certificate(data)]
            elif attempt == "pkcs7":
                certificates = pkcs7.load_der_pkcs7_certificates(data)
            elif _looks_like_pkcs12(data):
                try:
                    items = list(_scan_pkcs12(data, location, mode, passwords, cache))
                except _LockedPkcs12 as error:
                    yield _error(location, str(error))
                    return
                yield from items
                return
            else:
                raise ValueError("not a PKCS#12 structure")
        except (*_PARSE_ERRORS, IndexError) as error:
            first_error = first_error or f"{attempt}: {_reason(error)}"
            continue
        records, errors = _records(certificates, location, cache)
        if records:
            yield _ok(location, records)
        yield from errors
        return
    yield _error(
        location,
        f"not a certificate file (not PEM, a DER certificate, PKCS#7 or PKCS#12): {first_error}",
    )


class _LockedPkcs12(ValueError):
    """A PKCS#12 file none of the passwords opens."""


def _scan_pkcs12(
    data: bytes, location: str, mode: str | None, passwords: Sequence[bytes], cache: RecordCache
) -> Iterator[Item]:
    tried = [None, b"", *passwords]
    for password in tried:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                store = pkcs12.load_pkcs12(data, password)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            continue
        certificates = [store.cert.certificate] if store.cert is not None else []
        certificates += [extra.certificate for extra in store.additional_certs]
        records, errors = _records(certificates, location, cache)
        yield _ok(location, records)
        yield from errors
        if store.key is not None:
            key_type, key_size, _ = key_description(store.key)
            yield KeyRecord(
                location=location,
                encrypted=bool(password),
                mode=mode,
                key_type=key_type,
                key_size=key_size,
            )
        del store
        return
    given = len(passwords)
    raise _LockedPkcs12(
        f"a PKCS#12 file none of the passwords opened (tried none, empty and {given} given): "
        "give its password with --password, or it is damaged"
    )


def scan_keystore(
    data: bytes, location: str, mode: str | None, *, cache: RecordCache
) -> Iterator[Item]:
    """The certificates of a JKS or JCEKS file, and its private-key entries as encrypted keys
    (a keystore's keys always are)."""
    try:
        store = read_keystore(data)
    except KeystoreError as error:
        yield _error(location, f"Java keystore: {error}")
        return
    if not store.entries and store.unread is None:
        yield _ok(location, [])
    for entry in store.entries:
        where = f"{location}#{entry.alias}"
        records: list[CertificateRecord] = []
        leaf = None  # the key's own certificate, first in the chain
        for position, der in enumerate(entry.certificates, start=1):
            try:
                records.append(cache.record_der(der))
            except (UnreadableCertificate, *_PARSE_ERRORS) as error:
                yield _error(f"{where}#{position}", _reason(error))
                continue
            if position == 1:
                leaf = records[0]
        if records:
            yield _ok(where, records)
        if entry.has_private_key:
            yield KeyRecord(
                location=where,
                encrypted=True,
                mode=mode,
                key_type=leaf.key_type if leaf is not None else None,
                key_size=leaf.key_size if leaf is not None else None,
            )
    if store.unread is not None:
        yield _error(location, f"{store.kind} keystore: {store.unread}")


def scan_kubernetes(
    data: bytes, location: str, mode: str | None, *, cache: RecordCache
) -> Iterator[Item]:
    """TLS certificates of the Kubernetes ``Secret`` objects in a YAML file."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        documents = list(YAML(typ="safe", pure=True).load_all(data.decode("utf-8")))
    except (YAMLError, UnicodeDecodeError, ValueError) as error:
        yield _error(location, f"invalid YAML: {_reason(error)}")
        return
    found = False
    for document in documents:
        for secret in _secrets(document):
            found = True
            yield from _scan_secret(secret, location, mode, cache)
    if not found:
        yield _error(location, "YAML without a Kubernetes Secret holding tls.crt")


def _secrets(document: object) -> Iterator[dict[str, object]]:
    if not isinstance(document, dict):
        return
    if document.get("kind") == "List" and isinstance(document.get("items"), list):
        for item in document["items"]:
            yield from _secrets(item)
        return
    if document.get("kind") != "Secret":
        return
    for section in ("data", "stringData"):
        values = document.get(section)
        if isinstance(values, dict) and "tls.crt" in values:
            yield document
            return


def _scan_secret(
    secret: dict[str, object], location: str, mode: str | None, cache: RecordCache
) -> Iterator[Item]:
    metadata = secret.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    name = f"{metadata.get('namespace', 'default')}/{metadata.get('name', '?')}"
    where = f"{location}#{name}"
    annotations = metadata.get("annotations")
    markers: list[str] = []
    if isinstance(annotations, dict):
        managed = sorted(
            f"{key}={value}"
            for key, value in annotations.items()
            if str(key).startswith("cert-manager.io/")
        )
        if managed:
            markers = ["cert-manager", *managed]
    contents: dict[str, bytes] = {}
    undecodable: set[str] = set()
    for section, encoded in (("data", True), ("stringData", False)):
        values = secret.get(section)
        if not isinstance(values, dict):
            continue
        for key in ("tls.crt", "ca.crt", "tls.key"):
            value = values.get(key)
            if not isinstance(value, str):
                continue
            try:
                contents[key] = (
                    base64.b64decode(value, validate=False) if encoded else (value.encode())
                )
            except (binascii.Error, ValueError) as error:
                yield _error(f"{where}/{key}", f"{key} is not base64: {_reason(error)}")
                undecodable.add(key)
    certificate_pem = contents.get("tls.crt", b"") + b"\n" + contents.get("ca.crt", b"")
    if b"-----BEGIN" in certificate_pem:
        yield from (
            item
            for item in scan_pem(certificate_pem, where, None, markers, cache=cache)
            if isinstance(item, Observation)
        )
    elif contents.get("tls.crt"):
        yield _error(where, "tls.crt holds no PEM certificate")
    elif "tls.crt" not in undecodable:
        yield _error(where, "tls.crt is empty or not text")
    secret_key = contents.pop("tls.key", None)
    if secret_key is not None:
        block = next(pem_blocks(secret_key), None)
        if block is not None:
            yield _private_key(block.label, block.text, f"{where}/tls.key", mode)
    del secret_key


def _automation_of(path: str) -> tuple[str, ...]:
    """A certbot lineage (``…/letsencrypt/live|archive/NAME/…``) is renewed by certbot."""
    if "letsencrypt" not in path:
        return ()
    parts = Path(path).parts
    for index, part in enumerate(parts[:-1]):
        if part == "letsencrypt" and parts[index + 1] in {"live", "archive"}:
            return ("certbot",)
    return ()


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
        if b"kind:" in data and b"tls.crt" in data:
            return list(scan_kubernetes(data, location, mode, cache=cache))
        if b"-----BEGIN" in data:
            return list(scan_pem(data, location, mode, automation, explicit=explicit, cache=cache))
        return list(scan_binary(data, location, mode, passwords, suffix, cache=cache))


def is_candidate(data: bytes, suffix: str) -> bool:
    """Whether a file met in a folder walk looks like certificate material at all."""
    return (
        suffix in CERTIFICATE_SUFFIXES
        or is_keystore(data)
        or b"-----BEGIN" in data
        or (b"kind:" in data and b"tls.crt" in data)
        or _der_spans_whole(data)
    )


@dataclass(frozen=True)
class FileEntry:
    """A regular file the walk found, to be read and scanned."""

    path: str
    st_mode: int
    """``os.stat``'s mode: the permission bits a key record carries."""
    st_size: int
    """``os.stat``'s size: too large a file is not read."""
    explicit: bool
    """Named on the command line rather than met in a folder walk."""


def scan_file(entry: FileEntry, passwords: Sequence[bytes], cache: RecordCache) -> list[Item]:
    """Everything in one file of the walk; a file that cannot be read is an error observation,
    a file met in a folder that is plainly not certificate material is nothing."""
    path = entry.path
    suffix = os.path.splitext(path)[1].lower()
    if entry.st_size > MAX_FILE_BYTES:
        if entry.explicit or suffix in CERTIFICATE_SUFFIXES:
            return [_error(path, f"not read: {entry.st_size} bytes is too large for a store")]
        return []
    try:
        data = _read(path, entry.st_size)
    except OSError as error:
        return [_error(path, f"cannot read: {error.strerror}")]
    if not entry.explicit and not is_candidate(data, suffix):
        return []
    if not data.strip():
        return [_error(path, "the file is empty")]
    return scan_bytes(
        data,
        path,
        mode=file_mode(entry.st_mode),
        passwords=passwords,
        suffix=suffix,
        automation=_automation_of(path),
        explicit=entry.explicit,
        cache=cache,
    )


def _read(path: str, size: int) -> bytes:
    """The whole file, read with plain system calls: a buffered file object costs more than
    the read itself for the small files certificates live in."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        parts = [os.read(descriptor, size + 1)]  # sized by stat; a file that grew is read on
        while parts[-1]:
            parts.append(os.read(descriptor, 1 << 16))
    finally:
        os.close(descriptor)
    return b"".join(parts)


Chunk = list[FileEntry | Observation]
"""Consecutive results of the walk: files to scan, and the walk's own error observations."""

_worker: tuple[Sequence[bytes], RecordCache] | None = None
"""In a worker process: the scan's passwords and the worker's own record cache."""


def _start_worker(passwords: Sequence[bytes]) -> None:
    global _worker
    _worker = (passwords, RecordCache())


def scan_chunk(chunk: Chunk, passwords: Sequence[bytes], cache: RecordCache) -> list[Item]:
    """The items of a chunk of the walk, in order."""
    items: list[Item] = []
    for entry in chunk:
        if isinstance(entry, FileEntry):
            items.extend(scan_file(entry, passwords, cache))
        else:
            items.append(entry)
    return items


def _scan_chunk_in_worker(chunk: Chunk) -> list[Item]:
    assert _worker is not None, "the pool's initializer sets the worker state"
    return scan_chunk(chunk, *_worker)


def default_workers() -> int:
    """One worker process per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class FileScanner(Collector):
    """The certificate and key file scanner.

    Files are read and parsed in ``workers`` processes, ``chunk_size`` files (or errors of the
    walk) at a time, when the walk finds more than one chunk's worth. The items still reach the
    sink in walk order, the same as in a scan in one process; at most two chunks per worker are
    in flight, so memory stays flat. The walk (and its loop protection) stays in this process.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        passwords: Sequence[str] = (),
        now: datetime | None = None,
        workers: int | None = None,
        chunk_size: int = 256,
    ) -> None:
        self.paths = list(paths)
        self.passwords = [p.encode() for p in passwords]
        self.started = now or datetime.now(UTC)
        self.workers = default_workers() if workers is None else max(1, workers)
        self.chunk_size = max(1, chunk_size)

    def header(self) -> EvidenceBundle:
        """Collector ``files``; scope is the paths given."""
        return EvidenceBundle(
            collector="files",
            collected_at=self.started,
            tool=BundleTool(name="cmmm-assess", version=__version__),
            scope=tuple(str(p) for p in self.paths),
        )

    def collect(self, sink: Sink) -> None:
        """Walk every path; items reach ``sink`` chunk by chunk, in walk order."""
        chunks = self._chunks()
        ahead = list(itertools.islice(chunks, 2))
        if self.workers > 1 and len(ahead) > 1:
            self._collect_in_workers(itertools.chain(ahead, chunks), sink)
            return
        cache = RecordCache()  # one scan, one cache
        for chunk in itertools.chain(ahead, chunks):
            for item in scan_chunk(chunk, self.passwords, cache):
                sink(item)

    def _collect_in_workers(self, chunks: Iterator[Chunk], sink: Sink) -> None:
        in_flight: collections.deque[Future[list[Item]]] = collections.deque()
        with ProcessPoolExecutor(
            self.workers, initializer=_start_worker, initargs=(self.passwords,)
        ) as pool:
            for chunk in chunks:
                if len(in_flight) >= 2 * self.workers:
                    for item in in_flight.popleft().result():
                        sink(item)
                in_flight.append(pool.submit(_scan_chunk_in_worker, chunk))
            while in_flight:
                for item in in_flight.popleft().result():
                    sink(item)

    def _chunks(self) -> Iterator[Chunk]:
        """The walk's results, ``chunk_size`` to a chunk."""
        seen: set[tuple[int, int]] = set()
        chunk: Chunk = []
        for root in self.paths:
            for entry in self._walk(root, seen):
                chunk.append(entry)
                if len(chunk) == self.chunk_size:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk

    def _walk(self, root: Path, seen: set[tuple[int, int]]) -> Iterator[FileEntry | Observation]:
        stack: list[tuple[str, bool]] = [(str(root), True)]
        while stack:
            path, explicit = stack.pop()
            try:
                info = os.stat(path)
            except OSError as error:
                if explicit or os.path.splitext(path)[1].lower() in CERTIFICATE_SUFFIXES:
                    # A dangling link to a certificate is a broken deployment; to anything
                    # else it is none of our business.
                    yield _error(path, f"cannot read: {error.strerror}")
                continue
            identity = (info.st_dev, info.st_ino)
            if identity in seen:
                continue  # a loop, or the same file reached twice
            seen.add(identity)
            if stat.S_ISDIR(info.st_mode):
                try:
                    names = sorted(os.listdir(path))
                except OSError as error:
                    yield _error(path, f"cannot list the folder: {error.strerror}")
                    continue
                stack.extend((os.path.join(path, name), False) for name in reversed(names))
            elif stat.S_ISREG(info.st_mode):
                yield FileEntry(path, info.st_mode, info.st_size, explicit)
            elif explicit:
                yield _error(path, "not a regular file or folder (a device, pipe or socket)")
