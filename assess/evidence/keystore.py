"""Java keystores (JKS and JCEKS) read without their password: certificates and key entries.

Java's ``keytool`` writes a JKS or JCEKS file as: a magic number (``FEEDFEED`` JKS,
``CECECECE`` JCEKS), a version (1 or 2), an entry count, the entries, and a keyed SHA-1 digest.
Each entry has a tag, an alias (Java modified UTF-8) and a date; then

- tag 1, a private key: the key, always encrypted with its own password, then its certificate
  chain (leaf first);
- tag 2, a trusted certificate;
- tag 3 (JCEKS only), a secret key, stored as a serialised Java object.

Certificates are stored in the clear (DER, preceded by their type in version 2), so they and
the fact that a private key is there can be read without the password; the key bytes are
skipped unread. A secret-key entry's length is not stored, so reading stops there, saying so.
The digest is not checked (that needs the store password): the file is evidence, not a trust
anchor. Layout as written by OpenJDK's ``sun.security.provider.JavaKeyStore`` and
``com.sun.crypto.provider.JceKeyStore``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

JKS_MAGIC = b"\xfe\xed\xfe\xed"
JCEKS_MAGIC = b"\xce\xce\xce\xce"

_PRIVATE_KEY, _TRUSTED_CERTIFICATE, _SECRET_KEY = 1, 2, 3
_MAX_ENTRIES = 100_000
"""More entries than any real keystore holds: the count of a damaged file."""


class KeystoreError(ValueError):
    """The file is not a keystore this reader understands, or it is damaged."""


@dataclass(frozen=True)
class KeystoreEntry:
    """One entry: its alias, whether it holds a private key, its certificates (DER, leaf
    first)."""

    alias: str
    has_private_key: bool
    certificates: tuple[bytes, ...]


@dataclass
class Keystore:
    """What a keystore holds, as far as it could be read."""

    kind: str
    """``JKS`` or ``JCEKS``."""
    entries: list[KeystoreEntry] = field(default_factory=list)
    unread: str | None = None
    """Why the entries after the last one read could not be read (a secret key)."""


def is_keystore(data: bytes) -> bool:
    """Whether ``data`` starts like a JKS or JCEKS file."""
    return data[:4] in (JKS_MAGIC, JCEKS_MAGIC)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, size: int, what: str) -> bytes:
        if size < 0 or self.at + size > len(self.data):
            raise KeystoreError(f"truncated: the {what} at byte {self.at} runs past the end")
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk

    def u16(self, what: str) -> int:
        return int(struct.unpack(">H", self.take(2, what))[0])

    def u32(self, what: str) -> int:
        return int(struct.unpack(">I", self.take(4, what))[0])

    def utf(self, what: str) -> str:
        # Java's modified UTF-8 differs from UTF-8 only for NUL and characters beyond the BMP.
        return self.take(self.u16(what), what).decode("utf-8", errors="replace")

    def blob(self, what: str) -> bytes:
        return self.take(self.u32(what), what)

    def certificate(self, version: int) -> bytes | None:
        """The DER of one certificate; ``None`` for another type of certificate."""
        kind = self.utf("certificate type") if version == 2 else "X.509"
        der = self.blob("certificate")
        return der if kind == "X.509" else None


def read_keystore(data: bytes) -> Keystore:
    """The entries of a JKS or JCEKS file; a file that is not one, or is damaged, raises
    KeystoreError."""
    if not is_keystore(data):
        raise KeystoreError("not a Java keystore (no JKS or JCEKS magic number)")
    store = Keystore(kind="JKS" if data[:4] == JKS_MAGIC else "JCEKS")
    reader = _Reader(data)
    reader.take(4, "magic")
    version = reader.u32("version")
    if version not in (1, 2):
        raise KeystoreError(f"unknown {store.kind} version {version}")
    count = reader.u32("entry count")
    if count > _MAX_ENTRIES:
        raise KeystoreError(f"implausible entry count {count}")
    for index in range(count):
        start = reader.at
        tag = reader.u32("entry tag")
        alias = reader.utf("alias")
        reader.take(8, "entry date")
        if tag == _PRIVATE_KEY:
            reader.blob("private key")  # encrypted; skipped, never kept
            chain = [reader.certificate(version) for _ in range(reader.u32("chain length"))]
            certificates = tuple(c for c in chain if c is not None)
            store.entries.append(KeystoreEntry(alias, True, certificates))
        elif tag == _TRUSTED_CERTIFICATE:
            certificate = reader.certificate(version)
            certificates = (certificate,) if certificate is not None else ()
            store.entries.append(KeystoreEntry(alias, False, certificates))
        elif tag == _SECRET_KEY and store.kind == "JCEKS":
            # A secret key is no certificate evidence, but its length is not stored: the
            # entries after it cannot be found.
            after = count - index - 1
            if after:
                store.unread = (
                    f"{after} {'entry' if after == 1 else 'entries'} after the secret-key entry "
                    f"'{alias}' not read (JCEKS stores secret keys as serialised Java objects)"
                )
            return store
        else:
            raise KeystoreError(f"unknown entry tag {tag} at byte {start}")
    return store
