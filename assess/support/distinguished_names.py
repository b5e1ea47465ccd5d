"""Distinguished names as the sources write them, parsed, so that one name spelt two ways is one.

The scanners and sslyze write RFC 4514 (``CN=…,O=Acme\\, Inc.,C=US``, most specific first), read
here by cryptography's own parser. Other sources do not:

- Windows (certutil, PowerShell's ``X509Certificate2``, so most inventory exports) writes
  ``CN=x, OU=y, O="GoDaddy.com, Inc.", L=Scottsdale, S=Arizona, C=US``: a space after each
  comma, quotes around a value with a comma in it (a quote inside doubled), ``S`` for the state
  and ``E`` for the e-mail address, ``OID.1.2.3=`` for a type it has no name for;
- crt.sh (OpenSSL's one-line form) writes ``C=US, O="GoDaddy.com, Inc.", CN=…``: the other
  order, the same quotes, OpenSSL's names (``emailAddress``, ``jurisdictionC``…).

Those are read by a tolerant parser that also takes RFC 4514's escapes and ``#hex`` values.
Names are compared as the set of their attributes, each a type (its OID) and a value (case and
runs of white space ignored): the order differs between sources, so it cannot count.
"""

from __future__ import annotations

import functools
import re
import warnings

from cryptography import x509
from cryptography.x509.oid import NameOID

Attribute = tuple[str, str]
"""An attribute of a name: its type (the dotted OID, else the name written, upper-cased) and its
value as written, unescaped."""

_TYPES: dict[str, str] = {
    **{
        name.replace("_", "").lower(): oid.dotted_string
        for name, oid in vars(NameOID).items()
        if isinstance(oid, x509.ObjectIdentifier)
    },
    # RFC 4514's short names, and the ones Windows and OpenSSL write.
    "cn": NameOID.COMMON_NAME.dotted_string,
    "c": NameOID.COUNTRY_NAME.dotted_string,
    "l": NameOID.LOCALITY_NAME.dotted_string,
    "st": NameOID.STATE_OR_PROVINCE_NAME.dotted_string,
    "s": NameOID.STATE_OR_PROVINCE_NAME.dotted_string,
    "o": NameOID.ORGANIZATION_NAME.dotted_string,
    "ou": NameOID.ORGANIZATIONAL_UNIT_NAME.dotted_string,
    "street": NameOID.STREET_ADDRESS.dotted_string,
    "dc": NameOID.DOMAIN_COMPONENT.dotted_string,
    "uid": NameOID.USER_ID.dotted_string,
    "e": NameOID.EMAIL_ADDRESS.dotted_string,
    "email": NameOID.EMAIL_ADDRESS.dotted_string,
    "sn": NameOID.SURNAME.dotted_string,
    "g": NameOID.GIVEN_NAME.dotted_string,
    "gn": NameOID.GIVEN_NAME.dotted_string,
    "t": NameOID.TITLE.dotted_string,
    "jurisdictionc": NameOID.JURISDICTION_COUNTRY_NAME.dotted_string,
    "jurisdictionst": NameOID.JURISDICTION_STATE_OR_PROVINCE_NAME.dotted_string,
    "jurisdictionl": NameOID.JURISDICTION_LOCALITY_NAME.dotted_string,
}
"""Attribute type names (lower case, without ``_``) to dotted OIDs."""

_OID = re.compile(r"(?:oid\.)?([0-9]+(?:\.[0-9]+)+)", re.IGNORECASE)
_SEPARATORS = ",;+"
_HEX = re.compile(r"#((?:[0-9a-fA-F]{2})+)")
_STRING_TAGS = {
    0x0C: "utf-8",  # UTF8String
    0x12: "latin-1",  # NumericString
    0x13: "latin-1",  # PrintableString
    0x14: "latin-1",  # TeletexString (T61), read as Latin-1 like most software does
    0x16: "latin-1",  # IA5String
    0x1A: "latin-1",  # VisibleString
    0x1C: "utf-32-be",  # UniversalString
    0x1E: "utf-16-be",  # BMPString
}
"""The ASN.1 string types a ``#hex`` value may encode, and how their content is text."""


def dn_key(name: str | None) -> str:
    """A distinguished name in one spelling, so that sources that write it differently agree:
    its attributes (type OID, value case-folded with runs of white space collapsed), sorted.
    Text that is no name at all is its own key, case-folded."""
    if not name:
        return ""
    attributes = parse_name(name)
    if not attributes:
        return " ".join(name.split()).casefold()
    return "\n".join(
        sorted(f"{kind}={' '.join(value.split()).casefold()}" for kind, value in attributes)
    )


def common_name(name: str | None) -> str | None:
    """The common name (CN) of a distinguished name in any of the spellings, unescaped;
    ``None`` when there is none."""
    for kind, value in parse_name(name or ""):
        if kind == NameOID.COMMON_NAME.dotted_string and value.strip():
            return value.strip()
    return None


@functools.lru_cache(maxsize=4096)
def parse_name(text: str) -> tuple[Attribute, ...]:
    """The attributes of a distinguished name in the order written: by cryptography when the
    text is RFC 4514, else by the tolerant reader of the Windows and crt.sh spellings."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            name = x509.Name.from_rfc4514_string(text)
    except ValueError:  # not RFC 4514 (or a value cryptography would not encode)
        return tuple(_tolerant(text))
    attributes: list[Attribute] = []
    for rdn in reversed(name.rdns):  # the string lists the name's sequence last first
        for attribute in rdn:
            value = attribute.value
            text_value = value if isinstance(value, str) else "#" + value.hex()
            attributes.append((attribute.oid.dotted_string, _unwrap(text_value)))
    return tuple(attributes)


def _unwrap(value: str) -> str:
    """cryptography reads ``#hex`` as the text of the hex's bytes, which RFC 4514 says are the
    BER of the value: a string type's tag and length then its content. Such text is the
    content; any other value is itself."""
    if not value or ord(value[0]) not in _STRING_TAGS:
        return value
    try:
        data = value.encode("utf-8")
    except UnicodeEncodeError:
        return value
    content = _ber_string(data)
    return value if content is None else content


def _ber_string(data: bytes) -> str | None:
    """The text of a BER-encoded ASN.1 string (tag, length, content), else ``None``."""
    if len(data) < 2 or data[0] not in _STRING_TAGS:
        return None
    length, start = data[1], 2
    if length & 0x80:
        count = length & 0x7F
        if not 0 < count <= 4 or len(data) < 2 + count:
            return None
        length, start = int.from_bytes(data[2 : 2 + count], "big"), 2 + count
    if start + length != len(data):
        return None
    try:
        return data[start:].decode(_STRING_TAGS[data[0]])
    except UnicodeDecodeError:
        return None


def _tolerant(text: str) -> list[Attribute]:
    """The attributes of a name in the Windows, crt.sh or RFC 4514 spelling.

    Separators are ``,``, ``;`` and ``+`` (several attributes in one RDN), spaces around them
    ignored. A value may be quoted (as Windows does: the text inside is literal but for ``""``,
    a quote; OpenSSL's backslashes inside quotes, for a value holding ``\\`` or ``"``, are not
    read), hold RFC 4514 escapes (``\\,``, ``\\C3\\A9``) or be ``#hex``. A piece with no ``=``
    before the next separator is the rest of the previous value (``CN=Smith, John`` from a
    source that does not quote).
    """
    attributes: list[Attribute] = []
    position, end = 0, len(text)
    while position < end:
        equals = _type_end(text, position)
        if equals is None:  # no '=': the previous value went on past a separator
            stop = _value_end(text, position)
            if attributes:
                kind, value = attributes[-1]
                piece = _unescape(_trimmed(text[position - 1 : stop]))  # from the separator
                attributes[-1] = (kind, value + piece)
            position = stop
        else:
            kind = _type_of(text[position:equals])
            value, position = _value(text, equals + 1)
            attributes.append((kind, value))
        position += 1  # past the separator
    return attributes


def _type_end(text: str, start: int) -> int | None:
    """Where the ``=`` after the attribute type starting at ``start`` is, or ``None`` when a
    separator (or the end) comes first."""
    for index in range(start, len(text)):
        if text[index] == "=":
            return index
        if text[index] in _SEPARATORS or text[index] in '"\\':
            return None
    return None


def _type_of(written: str) -> str:
    """The type of an attribute as written: a dotted OID when the name is known or one is
    written (``2.5.4.3``, ``OID.2.5.4.3``), else the name upper-cased."""
    name = written.strip()
    dotted = _OID.fullmatch(name)
    if dotted is not None:
        return dotted.group(1)
    return _TYPES.get(name.replace("_", "").lower(), name.upper())


def _value_end(text: str, start: int) -> int:
    """The index of the next separator outside quotes and escapes, or the end."""
    quoted = False
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\" and not quoted:
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif not quoted and char in _SEPARATORS:
            return index
        index += 1
    return len(text)


def _value(text: str, start: int) -> tuple[str, int]:
    """The value starting at ``start`` (after ``=``), unquoted and unescaped, and the index of
    the separator that ends it (or the end)."""
    stop = _value_end(text, start)
    raw = _trimmed(text[start:stop]).lstrip()
    hexed = _HEX.fullmatch(raw)
    if hexed is not None:
        data = bytes.fromhex(hexed.group(1))
        content = _ber_string(data)
        if content is None:
            try:
                content = data.decode("utf-8")
            except UnicodeDecodeError:
                content = raw.lower()
        return content, stop
    if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
        return raw[1:-1].replace('""', '"'), stop  # Windows: literal but for doubled quotes
    return _unescape(raw), stop


def _trimmed(written: str) -> str:
    """``written`` without trailing white space, but for a space escaped by ``\\``."""
    trimmed = written.rstrip()
    backslashes = len(trimmed) - len(trimmed.rstrip("\\"))
    return trimmed + " " if backslashes % 2 and len(trimmed) < len(written) else trimmed


def _unescape(value: str) -> str:
    """RFC 4514 escapes undone: ``\\,`` is a comma, ``\\C3\\A9`` the UTF-8 bytes of é."""
    if "\\" not in value:
        return value
    out = bytearray()
    index = 0
    while index < len(value):
        char = value[index]
        pair = value[index + 1 : index + 3]
        if char == "\\" and re.fullmatch(r"[0-9a-fA-F]{2}", pair):
            out.append(int(pair, 16))
            index += 3
        elif char == "\\" and index + 1 < len(value):
            out += value[index + 1].encode("utf-8")
            index += 2
        else:
            out += char.encode("utf-8")
            index += 1
    return out.decode("utf-8", errors="replace")
