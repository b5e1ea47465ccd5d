"""What inventory exports write, tool by tool: column names, values and date layouts. Data and
pure functions; the importer (:mod:`.inventory`) reads files with them.

Where each spelling comes from is in docs/evidence.md ("Inventory exports"): Microsoft's
documentation of ``certutil -view csv`` and ``Export-Csv``, the Venafi and Keyfactor API
models, crt.sh's JSON fields. A column is matched to a field by its name with case, spaces,
``_`` ``-`` and ``.`` ignored (``NotAfter``, ``Not After`` and ``not_after`` are one name).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from assess.model import algorithms
from assess.model.bundle import KeyType
from assess.support.dates import parse_moment

FIELDS = (
    "not_after",
    "not_before",
    "subject",
    "common_name",
    "issuer",
    "serial",
    "sha256",
    "key_type",
    "key_size",
    "signature_hash",
    "san_dns",
    "location",
    "automation",
)
"""The fields an inventory row may fill, as ``--map COLUMN=FIELD`` names them."""

_COLUMNS: dict[str, tuple[str, ...]] = {
    # field: the column names that hold it, most specific first. certutil writes display
    # names, PowerShell the .NET property names, Venafi and Keyfactor their API names.
    "not_after": (
        "not_after",
        "NotAfter",  # PowerShell X509Certificate2, Keyfactor
        "Certificate Expiration Date",  # certutil
        "ValidTo",  # Venafi
        "Valid To",
        "Expiration Date",
        "Expires",
    ),
    "not_before": (
        "not_before",
        "NotBefore",
        "Certificate Effective Date",
        "ValidFrom",
        "Valid From",
        "Effective Date",
    ),
    "subject": (
        "subject",
        "Issued Distinguished Name",  # certutil
        "IssuedDN",  # Keyfactor
        "Subject DN",
    ),
    "common_name": ("common_name", "Issued Common Name", "IssuedCN", "CN", "Common Name"),
    "issuer": ("issuer", "IssuerDN", "Issuer DN", "issuer_name", "Issued By"),
    "serial": ("serial", "SerialNumber", "Serial Number", "serial_number"),
    "sha256": ("sha256", "SHA256 Fingerprint", "Fingerprint SHA256", "Thumbprint SHA256"),
    "key_type": (
        "KeyTypeString",  # Keyfactor, whose KeyType is a number
        "key_type",
        "KeyAlgorithm",  # Venafi
        "Public Key Algorithm",  # certutil
        "Key Type",
    ),
    "key_size": ("key_size", "KeySizeInBits", "KeySize", "Public Key Length", "Key Length"),
    "signature_hash": (
        "signature_hash",
        "SignatureAlgorithm",  # PowerShell (its FriendlyName), Venafi
        "SigningAlgorithm",  # Keyfactor
        "Signature Hash Algorithm",
        "Signature Algorithm",
    ),
    "san_dns": (
        "san_dns",
        "DnsNameList",  # PowerShell
        "SubjectAltName",
        "Subject Alternative Name",
        "SANS DNS",  # Venafi: X509.SANS.DNS
        "SANs",
        "SAN",
        "name_value",  # crt.sh
    ),
    "location": ("location",),
    "automation": ("automation", "ManagementType"),  # Venafi
}


def column_key(name: str) -> str:
    """A column name as matched: case, spaces, ``_``, ``-`` and ``.`` ignored."""
    return re.sub(r"[\s_.\-]+", "", name).lower()


def known_columns(header: Sequence[str]) -> dict[str, str]:
    """{field: column} for the columns of ``header`` a known export names, the most specific
    name first when several are present (Keyfactor's ``KeyTypeString`` before ``KeyType``)."""
    present = {column_key(column): column for column in header if column.strip()}
    found: dict[str, str] = {}
    for field, names in _COLUMNS.items():
        for name in names:
            column = present.get(column_key(name))
            if column is not None:
                found[field] = column
                break
    return found


@dataclass(frozen=True)
class KnownExport:
    """An export a tool writes with the same columns every time: told from its header."""

    tool: str
    """The program, as the bundle names it."""
    marks: frozenset[str]
    """Columns, spelled exactly as the tool writes them, that together say it is this export."""


KNOWN_EXPORTS = (
    KnownExport(
        "certutil", frozenset({"Certificate Expiration Date", "Serial Number", "Request ID"})
    ),
    KnownExport(
        "certutil", frozenset({"Certificate Expiration Date", "Serial Number", "Issued Request ID"})
    ),
    KnownExport("PowerShell", frozenset({"Thumbprint", "NotAfter", "Subject"})),
    KnownExport("Venafi", frozenset({"ManagementType", "ValidTo"})),
    KnownExport("Keyfactor", frozenset({"IssuedDN", "IssuerDN", "NotAfter"})),
)


def known_export(header: Sequence[str]) -> KnownExport | None:
    """The known export whose marking columns the header has all, or ``None``."""
    columns = {column.strip() for column in header}
    return next((e for e in KNOWN_EXPORTS if e.marks <= columns), None)


# -- values ---------------------------------------------------------------------------------

EMPTY_VALUES = frozenset({"", "EMPTY"})
"""What a cell holds when there is no value: certutil writes ``EMPTY``."""

_DOTNET_TYPE = re.compile(r"System\.[\w.]+(?:`\d+\[[\w.,\s`\[\]]*\]|\[\])?")


def is_type_name(value: str) -> bool:
    """A .NET type name where a value was meant: ``Export-Csv`` writes a list's or an object's
    type (``System.Collections.Generic.List`1[…DnsNameRepresentation]``) instead of its items."""
    return _DOTNET_TYPE.fullmatch(value.strip()) is not None


AUTOMATED = frozenset(
    {
        "provisioning",  # Venafi: enrolled and installed by the platform
        "automated",
        "automatic",
        "auto",
        "autorenew",
        "acme",
        "yes",
        "y",
        "true",
        "1",
        "on",
    }
)
"""Automation values that mean the certificate is renewed and installed without a person."""
NOT_AUTOMATED = frozenset(
    {
        "",
        "no",
        "n",
        "false",
        "0",
        "off",
        "none",
        "manual",
        "unassigned",  # Venafi: neither monitored nor enrolled
        "monitoring",  # Venafi: expiry watched, renewed and installed by hand
        "enrollment",  # Venafi: renewed by the platform, installed by hand
    }
)
"""Automation values that mean a person renews or installs the certificate."""


def is_automated(value: str) -> bool | None:
    """Whether an automation cell says the certificate is automated; ``None`` when the value is
    not known either way."""
    spelled = re.sub(r"[\s_\-]+", "", value.strip().lower())
    if spelled in AUTOMATED:
        return True
    if spelled in NOT_AUTOMATED:
        return False
    return None


_KEY_WORDS = (
    # Post-quantum names whose parameter set the table does not recognise: not DSA, not RSA.
    (re.compile(r"ml.?dsa|slh.?dsa|ml.?kem|dilithium|sphincs|kyber|falcon|composite"), "unknown"),
    (re.compile(r"ed25519|1\.3\.101\.112"), KeyType.ED25519),
    (re.compile(r"ed448|1\.3\.101\.113"), KeyType.ED448),
    (re.compile(r"\b(?:ec|ecc|ecdsa|ecdh|ecpublickey)\b|1\.2\.840\.10045\.2\.1"), KeyType.EC),
    (re.compile(r"rsa|1\.2\.840\.113549\.1\.1\.1\b"), KeyType.RSA),
    (re.compile(r"dsa|1\.2\.840\.10040\.4\.1\b"), KeyType.DSA),
)


def key_type_of(value: str) -> str | None:
    """The key algorithm a cell names (``RSA``, ``ECC``, ``ECDSA_P256``, ``ML-DSA-65``, an
    OID…): a name of the algorithm table (model/algorithms.yaml), ``unknown`` for a
    post-quantum family without a parameter set the table lists; ``None`` when not a key
    algorithm at all."""
    named = algorithms.key_type_named(value)
    if named is not None:
        return named
    text = value.strip().lower().replace("_", " ")
    return next((kind for pattern, kind in _KEY_WORDS if pattern.search(text)), None)


_TYPED_NAME = re.compile(
    r"(?P<kind>dns name|dns|dnsname|ip address|ip|ipaddress|email|rfc822 name|uri|url"
    r"|other name|othername|dirname|directory address|registered id|principal name)"
    r"\s*[:=]\s*(?P<value>.*)",
    re.IGNORECASE,
)
_PUNYCODE_SHOWN = re.compile(r"\S+ \((?P<ascii>xn--[^)\s]+)\)")
_DNS_NAME = re.compile(r"(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_\-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_\-]+)*\.?")


def split_names(text: str) -> tuple[list[str], list[str]]:
    """The DNS names and IP addresses of a subjectAltName cell, however the tool spelled it.

    certutil writes ``DNS Name=a.example, IP Address=10.0.0.1`` (one a line, or comma-joined),
    OpenSSL ``DNS:a.example, IP Address:10.0.0.1``, PowerShell's DnsNameList joined names
    (an internationalised one as ``bücher.example (xn--bcher-kva.example)``), crt.sh one name a
    line; lists without types are separated by ``,`` ``;`` or white space. E-mail addresses,
    URIs and other name types are not DNS names and are left out.
    """
    dns: list[str] = []
    ips: list[str] = []
    text = _PUNYCODE_SHOWN.sub(lambda m: m.group("ascii"), text)
    typed = _TYPED_NAME.search(text) is not None
    for part in re.split(r"[,;\r\n]+" if typed else r"[,;\s]+", text):
        token = part.strip()
        if not token:
            continue
        match = _TYPED_NAME.fullmatch(token)
        kind = match.group("kind").lower().replace(" ", "") if match else None
        value = match.group("value").strip() if match else token
        if kind in (None, "ipaddress", "ip") and _is_ip(value):
            ips.append(value)
        elif (
            kind in (None, "dnsname", "dns")
            and _DNS_NAME.fullmatch(value)
            and (kind is not None or "." in value)  # an untyped word is no host name
        ):
            dns.append(value.rstrip("."))
    return dns, ips


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


# -- dates ----------------------------------------------------------------------------------

DATE_LAYOUTS: dict[str, tuple[str, ...]] = {
    # certutil and PowerShell write dates in the Windows regional format of the machine that
    # exported them: en-US M/d/yyyy h:mm tt (certutil without seconds), de-DE dd.MM.yyyy
    # HH:mm:ss (Excel: HH:mm), en-GB dd/MM/yyyy HH:mm:ss.
    "month first": (
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y",
    ),
    "day first": (
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %I:%M:%S %p",
        "%d/%m/%Y %I:%M %p",
        "%d/%m/%Y",
    ),
    "dotted": ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y"),
    "year first": ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d"),
    "openssl": ("%b %d %H:%M:%S %Y %Z",),  # openssl x509 -enddate: Jan  3 02:49:00 2028 GMT
}
"""Date layouts read besides ISO 8601, by family: a file's dates are read in one family."""


def parse_in(text: str, layouts: Iterable[str]) -> datetime | None:
    """``text`` as an ISO 8601 moment, else in the first of ``layouts`` that reads it (UTC)."""
    moment = parse_moment(text)
    if moment is not None:
        return moment
    value = " ".join(text.split())
    for layout in layouts:
        try:
            return datetime.strptime(value, layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


class DateSniffer:
    """Decides a file's date layout from all its date cells: the family that reads every date
    any family reads (a cell no layout reads is that row's error, not a vote).

    A date such as ``03/01/2028`` reads as 3 January (month first) and as 1 March (day first);
    when every date of a file reads both ways and some differ, the layout is ambiguous and the
    importer asks for ``--date-format`` rather than guess.
    """

    def __init__(self) -> None:
        self.read = dict.fromkeys(DATE_LAYOUTS, 0)
        self.readable = 0
        self.differ: str | None = None
        """A date that reads differently month first and day first."""
        self.twelve_hour = False
        """Whether the slash dates carry AM/PM."""

    def add(self, text: str) -> None:
        """One date cell of the file."""
        if text.strip() in EMPTY_VALUES or parse_moment(text) is not None:
            return
        readings = {family: parse_in(text, layouts) for family, layouts in DATE_LAYOUTS.items()}
        if not any(readings.values()):
            return
        self.readable += 1
        for family, moment in readings.items():
            self.read[family] += moment is not None
        month, day = readings["month first"], readings["day first"]
        if month is not None and day is not None and month != day and self.differ is None:
            self.differ = text.strip()
        if month is not None and re.search(r"\b[AP]M\b", text, re.IGNORECASE):
            self.twelve_hour = True

    def layouts(self) -> tuple[str, ...] | None:
        """The layouts to read the file's dates with; ``None`` when ambiguous. Slash dates with
        AM/PM are read month first: the en-US form ``M/d/yyyy h:mm tt`` that certutil and
        PowerShell write (the day-first locales that write slashes use a 24-hour clock, but for
        en-AU: --date-format). When no family reads every date, the one that reads most."""
        fitting = [family for family, count in self.read.items() if count == self.readable]
        if "month first" in fitting and "day first" in fitting and self.differ is not None:
            if not self.twelve_hour:
                return None
            fitting.remove("day first")
        best = fitting[0] if fitting else max(self.read, key=self.read.__getitem__)
        return DATE_LAYOUTS[best]
