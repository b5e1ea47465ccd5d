"""Java keystores (JKS and JCEKS) read without their password: certificates and key entries.

Java's ``keytool`` writes a JKS or JCEKS file as: a magic number (``FEEDFEED`` JKS,
``CECECECE`` JCEKS), a version (1 or 2), an entry count, the entries, and a keyed SHA-1 digest.
Each entry has a tag, an alias (Java modified UTF-8) and a date; then

- tag 1, a private key: the key, always encrypted with its own password, then its certificate
  chain (leaf first);
- tag 2, a trusted certificate;
- tag 3 (JCEKS only), a secret key, stored as a serialised Java object (a sealed object).

Certificates are stored in the clear (DER, preceded by their type in version 2), so they and
the fact that a private key is there can be read without the password; the key bytes are
skipped unread. A secret key's length is not stored: its serialised object is walked, by the
grammar of the Java Object Serialization Specification (chapter 6), only to find where it
ends, and nothing of it is kept. The digest is not checked (that needs the store password):
the file is evidence, not a trust anchor. Layout as written by OpenJDK's
``sun.security.provider.JavaKeyStore`` and ``com.sun.crypto.provider.JceKeyStore``.
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

    def u8(self, what: str) -> int:
        return self.take(1, what)[0]

    def peek(self) -> int | None:
        """The next byte, not taken; ``None`` at the end."""
        return self.data[self.at] if self.at < len(self.data) else None

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
            # No certificate evidence, but the entries after it start where it ends.
            try:
                _SerialisedObject(reader).skip()
            except KeystoreError as error:
                after = count - index - 1
                if after:
                    store.unread = (
                        f"{after} {'entry' if after == 1 else 'entries'} after the secret-key "
                        f"entry '{alias}' not read: its serialised Java object is not "
                        f"understood ({error})"
                    )
                return store
        else:
            raise KeystoreError(f"unknown entry tag {tag} at byte {start}")
    return store


# Java Object Serialization Specification, 6.4.2: the terminal symbols and constants.
_STREAM_MAGIC = b"\xac\xed\x00\x05"
TC_NULL, TC_REFERENCE, TC_CLASSDESC, TC_OBJECT, TC_STRING = 0x70, 0x71, 0x72, 0x73, 0x74
TC_ARRAY, TC_ENDBLOCKDATA, TC_BLOCKDATA, TC_LONGSTRING = 0x75, 0x78, 0x77, 0x7C
TC_BLOCKDATALONG, TC_PROXYCLASSDESC, TC_ENUM = 0x7A, 0x7D, 0x7E
SC_WRITE_METHOD, SC_SERIALIZABLE, SC_EXTERNALIZABLE, SC_BLOCK_DATA = 0x01, 0x02, 0x04, 0x08
_PRIMITIVE_SIZES = {"B": 1, "C": 2, "D": 8, "F": 4, "I": 4, "J": 8, "S": 2, "Z": 1}
_MAX_DEPTH = 64
"""Objects nested in objects, and classes above a class: a sealed key has a few of each."""


@dataclass
class _ClassDesc:
    name: str
    flags: int
    fields: list[str]
    """Type codes (``B``, ``L``, ``[`` …) in stream order."""
    parent: _ClassDesc | None


class _SerialisedObject:
    """Walks one serialised Java object (stream header included) to find its end."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.handles: list[object] = []

    def skip(self) -> None:
        if self.reader.take(4, "serialisation header") != _STREAM_MAGIC:
            raise KeystoreError("not a Java serialisation stream")
        self._content(0)

    def _content(self, depth: int) -> object:
        if depth > _MAX_DEPTH:
            raise KeystoreError("objects nested too deep")
        r = self.reader
        code = r.u8("type code")
        if code == TC_NULL:
            return None
        if code == TC_REFERENCE:
            handle = r.u32("handle") - 0x7E0000
            if not 0 <= handle < len(self.handles):
                raise KeystoreError(f"reference to unknown handle {handle}")
            return self.handles[handle]
        if code == TC_STRING:
            return self._new(r.take(r.u16("string"), "string").decode("utf-8", "replace"))
        if code == TC_LONGSTRING:
            size = int(struct.unpack(">Q", r.take(8, "long string"))[0])
            return self._new(r.take(size, "long string").decode("utf-8", "replace"))
        if code == TC_CLASSDESC:
            return self._class_desc(depth)
        if code == TC_PROXYCLASSDESC:
            handle = self._new(None)
            for _ in range(r.u32("proxy interfaces")):
                r.take(r.u16("interface name"), "interface name")
            self._annotation(depth)
            desc = _ClassDesc("(proxy)", SC_SERIALIZABLE, [], None)
            _set_parent(desc, self._desc(depth))
            self.handles[handle] = desc
            return desc
        if code == TC_OBJECT:
            return self._object(depth)
        if code == TC_ARRAY:
            return self._array(depth)
        if code == TC_ENUM:
            self._desc(depth)
            handle = self._new(None)
            self._content(depth + 1)  # the constant's name
            return self.handles[handle]
        if code == TC_BLOCKDATA:
            r.take(r.u8("block"), "block data")
            return None
        if code == TC_BLOCKDATALONG:
            r.take(r.u32("block"), "block data")
            return None
        raise KeystoreError(f"unexpected type code 0x{code:02x} at byte {r.at - 1}")

    def _new(self, value: object) -> int:
        self.handles.append(value)
        return len(self.handles) - 1

    def _desc(self, depth: int) -> _ClassDesc | None:
        found = self._content(depth + 1)
        if found is not None and not isinstance(found, _ClassDesc):
            raise KeystoreError("expected a class description")
        return found

    def _class_desc(self, depth: int) -> _ClassDesc:
        r = self.reader
        name = r.take(r.u16("class name"), "class name").decode("utf-8", "replace")
        r.take(8, "serialVersionUID")
        handle = self._new(None)
        flags = r.u8("class flags")
        fields = []
        for _ in range(r.u16("field count")):
            code = chr(r.u8("field type"))
            r.take(r.u16("field name"), "field name")
            if code in "L[":
                self._content(depth + 1)  # the field's class name, a string
            elif code not in _PRIMITIVE_SIZES:
                raise KeystoreError(f"unknown field type {code!r}")
            fields.append(code)
        self._annotation(depth)
        desc = _ClassDesc(name, flags, fields, None)
        self.handles[handle] = desc  # the stream may refer to it while its parent is read
        _set_parent(desc, self._desc(depth))
        return desc

    def _annotation(self, depth: int) -> None:
        """Contents up to TC_ENDBLOCKDATA."""
        while self.reader.peek() != TC_ENDBLOCKDATA:
            self._content(depth + 1)
        self.reader.take(1, "end of block data")

    def _object(self, depth: int) -> object:
        desc = self._desc(depth)
        handle = self._new(None)
        chain = []
        while desc is not None:
            chain.append(desc)
            desc = desc.parent
        for each in reversed(chain):  # the class data of the farthest ancestor comes first
            if each.flags & SC_EXTERNALIZABLE:
                if not each.flags & SC_BLOCK_DATA:
                    raise KeystoreError(f"externalised {each.name} in the old format")
                self._annotation(depth)
                continue
            for code in each.fields:
                if code in _PRIMITIVE_SIZES:
                    self.reader.take(_PRIMITIVE_SIZES[code], "field")
                else:
                    self._content(depth + 1)
            if each.flags & SC_WRITE_METHOD:
                self._annotation(depth)
        return self.handles[handle]

    def _array(self, depth: int) -> object:
        desc = self._desc(depth)
        if desc is None or not desc.name.startswith("["):
            raise KeystoreError("an array without an array class")
        handle = self._new(None)
        length = self.reader.u32("array length")
        element = desc.name[1:2]
        if element in _PRIMITIVE_SIZES:
            self.reader.take(length * _PRIMITIVE_SIZES[element], "array")
        else:
            for _ in range(length):
                self._content(depth + 1)
        return self.handles[handle]


def _set_parent(desc: _ClassDesc, parent: _ClassDesc | None) -> None:
    """Makes ``parent`` the superclass of ``desc``, refusing a class that would be its own
    ancestor (a reference back to it: the walk of its hierarchy would never end) and a
    hierarchy deeper than any real one."""
    ancestor, generations = parent, 0
    while ancestor is not None:
        if ancestor is desc:
            raise KeystoreError("a class that is its own ancestor")
        generations += 1
        if generations > _MAX_DEPTH:
            raise KeystoreError(f"a class with more than {_MAX_DEPTH} ancestors")
        ancestor = ancestor.parent
    desc.parent = parent
