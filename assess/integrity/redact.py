"""Redacted copies of a report for external sharing (``assess report --redact``).

Host names, IP addresses, file paths, person names and e-mail addresses are replaced by
tokens: ``HOST-1``, ``IP-2``, ``PATH-3``, ``PERSON-1``, ``EMAIL-1``. The same value gets the
same token everywhere in one report (the document, its metadata and every attachment), so a
reader can still tell that two findings concern the same host. Values are found two ways:

- known values, read from the workspace: assessors, respondents (and their answers files'
  names), every location, server name, DNS name, IP address and key path in the evidence
  bundles. These are masked in every text of the report;
- patterns, in the texts people write (notes, N/A reasons, justifications, evidence
  references, scope, the classification label, certificate names and locations): IPv4 and
  IPv6 addresses, dotted host names, absolute paths, and the first or last name of a known
  person, capitalised or in capitals. E-mail addresses are masked in every text.

What stays: the organisation's name, the questionnaire's texts, dates, scores and certificate
fingerprints. A redactor lives for one report; the token table grows as values are found.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from assess.evidence.bundles import load_bundle
from assess.inputs.workspace import Workspace
from assess.model.bundle import EvidenceBundle, common_name
from assess.model.forecast import ForecastReading
from assess.model.result import Result
from assess.model.workspace import Narrative


class Kind(StrEnum):
    """What a masked value was; the token's prefix."""

    HOST = "HOST"
    IP = "IP"
    PATH = "PATH"
    PERSON = "PERSON"
    EMAIL = "EMAIL"


FREE_TEXT_FIELDS = frozenset(
    {
        "note",
        "reason",
        "justification",
        "evidence",
        "evidence_refs",
        "na_reasons",
        "scope",
        "classification",
        "locations",
        "subject",
        "issuer",
        "file",
        "sources",
    }
)
"""Result fields people write or scans fill: patterns are looked for in these too."""

INVENTORY_FREE_COLUMNS = frozenset({"bundle", "location", "subject", "issuer", "san_dns"})
"""Certificate inventory columns that may name hosts, addresses or paths."""

_LEFT = r"(?<![\w])"
_RIGHT = r"(?![\w])"
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]?\d)")
_IPV6 = re.compile(r"(?<![\w:.])\[?([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})\]?(?![\w:])")
_FILE_SUFFIXES = (
    "json|ya?ml|csv|txt|md|html?|pdf|xlsx?|docx?|pem|crt|cer|der|key|p12|pfx|jks|csr|conf|cfg|"
    "ini|log|sh|py|ps1|j2|xml|zip|gz|tar"
)
_HOST = re.compile(
    r"(?<![\w.@-])(?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    rf"(?!(?:{_FILE_SUFFIXES})(?![\w-]))[A-Za-z][A-Za-z0-9-]{{0,61}}[A-Za-z0-9]"
    r"(?![\w-])(?!\.[A-Za-z0-9])"
)
"""A dotted host name, whole (never the start of a longer dotted name); names ending in a file
suffix (``tls.json``, ``acme.sh``, ``2026-08-28.result.json``) are files."""
_FILE_NAME = re.compile(rf"[^:]+\.(?:{_FILE_SUFFIXES})", re.IGNORECASE)
"""A bare file name, as an imported row's location gives it (``register.csv:24``)."""
_PATH = re.compile(
    r"(?<![\w.:/\\-])(?:[A-Za-z]:\\|\\\\|~/|\.{1,2}/|/)[^\s,;'\"()<>|]*[^\s,;'\"()<>|.:]"
)
_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}(?![\w-])"
)
"""An e-mail address (``priya.raman@halden-rowe.example``): personal data wherever it is."""
_TOKEN = re.compile(r"\b(?:HOST|IP|PATH|PERSON|EMAIL)-\d+\b")


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def _split_location(location: str) -> tuple[str, Kind] | None:
    """The sensitive part of an evidence location: a host, an address or a path."""
    value = location.strip()
    if not value:
        return None
    if value.startswith("["):
        address = value[1:].split("]", 1)[0]
        return (address, Kind.IP) if _is_ip(address) else None
    if "/" in value or "\\" in value:
        return value.split("#", 1)[0], Kind.PATH
    host = value.rsplit(":", 1)[0] if value.count(":") == 1 else value
    if _FILE_NAME.fullmatch(host):
        return host, Kind.PATH
    if _is_ip(host):
        return host, Kind.IP
    return host, Kind.HOST


def _cn_host(name: str) -> str | None:
    common = common_name(name)
    return common if common and _HOST.fullmatch(common) else None


class Redactor:
    """Masks a report's sensitive values consistently (one instance per report)."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[Kind, str], str] = {}
        self._counts: dict[Kind, int] = dict.fromkeys(Kind, 0)
        self._known: dict[str, str] = {}
        self._known_pattern: re.Pattern[str] | None = None
        self._parts: dict[str, str] = {}
        self._parts_pattern: re.Pattern[str] | None = None

    # --- the token table --------------------------------------------------------------------

    def token(self, value: str, kind: Kind) -> str:
        """The token of a value; the same value always gets the same token."""
        key = (kind, value.casefold())
        if key not in self._tokens:
            self._counts[kind] += 1
            self._tokens[key] = f"{kind.value}-{self._counts[kind]}"
        return self._tokens[key]

    def add(self, value: str, kind: Kind) -> None:
        """Mask ``value`` wherever it appears in the report."""
        value = value.strip()
        if len(value) < 3 or _TOKEN.fullmatch(value):
            return
        self.add_as(value, self.token(value, kind))

    def add_as(self, value: str, token: str) -> None:
        """Mask ``value`` as an existing token (another spelling of the same thing)."""
        if len(value) >= 3 and value.casefold() not in self._known:
            self._known[value.casefold()] = token
            self._known_pattern = None

    def add_person(self, name: str) -> None:
        """A person: the full name everywhere, and each part of it in written text."""
        name = " ".join(name.split())
        if len(name) < 2:
            return
        token = self.token(name, Kind.PERSON)
        self.add_as(name, token)
        for address in _EMAIL.findall(name):
            self.add(address, Kind.EMAIL)
        # "Priya Raman (Halden & Rowe Advisory)", "Priya Raman <priya@halden.example>": the
        # person is the part before the bracket.
        person = re.split(r"[(<]", name, maxsplit=1)[0].strip()
        self.add_as(person, token)
        for part in re.split(r"[\s,]+", person):
            if len(part) >= 3 and part[0].isupper():
                # As written and in capitals ("KOWALSKI confirmed"), never in lower case: a
                # first name can be a word ("Will", "Mark").
                for spelling in (part, part.upper()):
                    if spelling not in self._parts:
                        self._parts[spelling] = token
                        self._parts_pattern = None

    @property
    def tokens(self) -> dict[str, int]:
        """How many values of each kind were masked."""
        return {k.value: n for k, n in self._counts.items() if n}

    # --- masking ----------------------------------------------------------------------------

    def _known_regex(self) -> re.Pattern[str] | None:
        if self._known_pattern is None and self._known:
            values = sorted(self._known, key=len, reverse=True)
            alternation = "|".join(re.escape(v) for v in values)
            self._known_pattern = re.compile(f"{_LEFT}(?:{alternation}){_RIGHT}", re.IGNORECASE)
        return self._known_pattern

    def _parts_regex(self) -> re.Pattern[str] | None:
        if self._parts_pattern is None and self._parts:
            values = sorted(self._parts, key=len, reverse=True)
            self._parts_pattern = re.compile(
                f"{_LEFT}(?:{'|'.join(re.escape(v) for v in values)}){_RIGHT}"
            )
        return self._parts_pattern

    def text(self, text: str, *, written: bool = False) -> str:
        """``text`` with known values masked; ``written`` texts also get the patterns."""
        pattern = self._known_regex()
        if pattern is not None:
            text = pattern.sub(lambda m: self._known[m.group(0).casefold()], text)
        text = _EMAIL.sub(lambda m: self._pattern_token(m.group(0), Kind.EMAIL), text)
        if not written:
            return text
        text = _PATH.sub(lambda m: self._pattern_token(m.group(0), Kind.PATH), text)
        text = _IPV4.sub(lambda m: self._ip_token(m.group(0)), text)
        text = _IPV6.sub(lambda m: self._ip_token(m.group(0)), text)
        text = _HOST.sub(lambda m: self._pattern_token(m.group(0), Kind.HOST), text)
        parts = self._parts_regex()
        if parts is not None:
            text = parts.sub(lambda m: self._parts[m.group(0)], text)
        return text

    def _pattern_token(self, value: str, kind: Kind) -> str:
        if _TOKEN.fullmatch(value):
            return value
        token = self._known.get(value.casefold()) or self.token(value, kind)
        self.add_as(value, token)
        return token

    def _ip_token(self, value: str) -> str:
        address = value.strip("[]")
        if not _is_ip(address):
            return value
        token = self._pattern_token(address, Kind.IP)
        return value.replace(address, token)

    def path(self, label: str) -> str:
        """A manifest input path, masked (``answers/jane-doe.yaml`` → ``answers/PERSON-1.yaml``)."""
        return self.text(label, written=True)

    def _walk(self, value: Any, written: bool) -> Any:
        if isinstance(value, str):
            return self.text(value, written=written)
        if isinstance(value, list):
            return [self._walk(v, written) for v in value]
        if isinstance(value, dict):
            return {k: self._walk(v, written or k in FREE_TEXT_FIELDS) for k, v in value.items()}
        return value

    def result(self, result: Result) -> Result:
        """A redacted copy of a result document."""
        data = result.model_dump(mode="json", by_alias=True)
        return Result.model_validate(self._walk(data, written=False))

    def forecast(self, reading: ForecastReading) -> ForecastReading:
        """A redacted copy of a forecast: the names and places of the leaves it lists and of the
        roots it hints at (the document itself holds only figures)."""
        reached = tuple(
            replace(
                item,
                leaf=replace(
                    item.leaf,
                    subject=self.text(item.leaf.subject, written=True),
                    issuer=self.text(item.leaf.issuer),
                    locations=tuple(self.text(p, written=True) for p in item.leaf.locations),
                ),
            )
            for item in reading.reached
        )
        hints = tuple(
            replace(
                hint,
                root=self.text(hint.root),
                through=tuple(self.text(name) for name in hint.through),
                issuers=tuple(self.text(issuer) for issuer in hint.issuers),
                sources=tuple(self.path(source) for source in hint.sources),
            )
            for hint in reading.private_hints
        )
        return replace(reading, reached=reached, private_hints=hints)

    def narrative(self, narrative: Narrative) -> Narrative:
        """A redacted copy of the assessor's narrative: written text, patterns included."""
        return Narrative(
            summary=self.text(narrative.summary, written=True),
            dimensions={
                key: self.text(text, written=True) for key, text in narrative.dimensions.items()
            },
            conclusion=self.text(narrative.conclusion, written=True),
        )

    def inventory(self, data: bytes) -> bytes:
        """A redacted copy of the certificate inventory CSV (same columns and dialect)."""
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        if not rows:
            return data
        header = rows[0]
        free = [name in INVENTORY_FREE_COLUMNS for name in header]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(
            [self.text(cell, written=free[i]) for i, cell in enumerate(row)] for row in rows[1:]
        )
        return buffer.getvalue().encode("utf-8")


def _bundle_values(bundle: EvidenceBundle) -> Iterable[tuple[str, Kind]]:
    """Host names, addresses and paths an evidence bundle holds, in the bundle's order."""
    for scope in bundle.scope:
        if found := _split_location(scope):
            yield found
    for observation in bundle.observations:
        if found := _split_location(observation.location):
            yield found
        if observation.server_name:
            yield observation.server_name, Kind.HOST
        for certificate in observation.certificates:
            for name in certificate.san_dns:
                yield name, Kind.HOST
                if name.startswith("*."):
                    yield name[2:], Kind.HOST
            for address in certificate.san_ip:
                yield address, Kind.IP
            for value in (certificate.subject, certificate.issuer):
                if host := _cn_host(value):
                    yield host, Kind.HOST
    for key in bundle.keys:
        if found := _split_location(key.location):
            yield found


def redactor_for(workspace: Workspace, *results: Result | None) -> Redactor:
    """A redactor that knows the workspace's people, hosts, addresses and paths.

    People come first (assessors, then respondents by answers file), then the evidence in
    bundle order, so the same workspace always gives the same tokens.
    """
    redactor = Redactor()
    for name in workspace.assessment.assessors:
        redactor.add_person(name)
    for label in sorted(workspace.answers):
        name = workspace.answers[label].respondent.name
        redactor.add_person(name)
        stem = Path(label).stem
        redactor.add_as(stem, redactor.token(" ".join(name.split()), Kind.PERSON))
    for result in results:
        if result is None:
            continue
        for person in (*result.assessment.assessors, *(r.name for r in result.respondents)):
            redactor.add_person(person)
    for path in workspace.evidence_files:
        for value, kind in _bundle_values(load_bundle(path).bundle):
            redactor.add(value, kind)
    return redactor
