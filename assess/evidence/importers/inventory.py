"""Import a certificate inventory exported as CSV (a CLM export, a spreadsheet, PowerShell).

Columns are matched to fields by name, case-insensitively; ``--map COLUMN=FIELD`` names the
column for a field when the export calls it something else (``--map NotAfter=not_after``).
Fields: ``not_before`` and ``not_after`` (required), ``subject``, ``issuer``, ``serial``,
``sha256``, ``key_type``, ``key_size``, ``signature_hash``, ``san_dns`` (names separated by
``;``, ``,`` or spaces), ``location`` (where the certificate is deployed; default the file and
row), ``automation`` (a non-empty value other than no/false/0/manual marks the certificate as
managed by automation). The file is read row by row; a row that cannot be read is an ``error``
observation naming its line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

from assess.evidence.importers.formats import ImportFormat
from assess.evidence.importers.interface import Importer
from assess.evidence.importers.reading import clean_hex
from assess.evidence.interface import CollectorError, Sink
from assess.evidence.observations import error_observation, read_observation
from assess.model.bundle import BundleTool, CertificateRecord, KeyType, Observation, ObservationKind
from assess.support.csvdialect import DELIMITERS, sniff_delimiter
from assess.support.dates import parse_moment
from assess.support.errors import Problem

FIELDS = (
    "not_after",
    "not_before",
    "subject",
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
_NOT_AUTOMATED = {"", "no", "false", "0", "manual", "none", "n"}
_KEY_TYPES = {
    "rsa": KeyType.RSA,
    "ec": KeyType.EC,
    "ecc": KeyType.EC,
    "ecdsa": KeyType.EC,
    "ed25519": KeyType.ED25519,
    "ed448": KeyType.ED448,
    "dsa": KeyType.DSA,
}
_DELIMITERS = DELIMITERS + "|"
"""What spreadsheets save CSV with, and the pipe some inventory exports use."""
_DATE_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p", "%d.%m.%Y %H:%M:%S", "%m/%d/%Y")


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``COLUMN=FIELD`` options → {field: column}; a bad pair is a :class:`CollectorError`."""
    mapping: dict[str, str] = {}
    problems = []
    for pair in pairs:
        column, equals, field = pair.partition("=")
        field = field.strip().lower()
        if not equals or not column.strip():
            problems.append(Problem(f"'{pair}': expected COLUMN=FIELD", field="--map"))
        elif field not in FIELDS:
            problems.append(
                Problem(
                    f"'{pair}': unknown field '{field}' (known: {', '.join(FIELDS)})", field="--map"
                )
            )
        else:
            mapping[field] = column.strip()
    if problems:
        raise CollectorError(problems)
    return mapping


def _time(text: str) -> datetime | None:
    moment = parse_moment(text)
    if moment is not None:
        return moment
    for layout in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


class InventoryImporter(Importer):
    """A CSV inventory with a column mapping."""

    format = ImportFormat.CSV

    def __init__(self, path: Path, mapping: Mapping[str, str] | None = None) -> None:
        super().__init__(path, mapping)
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                head = stream.read(8192)
        except OSError as error:
            raise CollectorError(Problem(f"cannot read: {error.strerror}", file=path)) from None
        except UnicodeDecodeError:
            raise CollectorError(Problem("not UTF-8 text", file=path)) from None
        lines = head.splitlines()
        self.skip = 1 if lines and lines[0].startswith("#TYPE") else 0  # PowerShell Export-CSV
        sample = "\n".join(lines[self.skip :])
        self.delimiter = sniff_delimiter(sample, _DELIMITERS)
        """The delimiter of the file, told from its header."""
        header = next(
            csv.reader(io.StringIO(sample), delimiter=self.delimiter, skipinitialspace=True), []
        )
        columns = {c.strip().lower(): c for c in header}
        self.columns: dict[str, str] = {}
        missing = []
        for field in FIELDS:
            wanted = self.mapping.get(field, field)
            if wanted.strip().lower() in columns:
                self.columns[field] = columns[wanted.strip().lower()]
            elif field in self.mapping:
                missing.append(f"'{wanted}' (mapped to {field})")
        absent = [f"'{f}'" for f in ("not_before", "not_after") if f not in self.columns]
        if missing or absent:
            what = ", ".join(missing + absent)
            raise CollectorError(
                Problem(
                    f"no column {what}; the columns are: {', '.join(header)}",
                    file=path,
                    line=self.skip + 1,
                ),
                hint="name the columns with --map COLUMN=FIELD, e.g. --map NotAfter=not_after",
            )
        if not {"serial", "sha256", "subject"} & set(self.columns):
            raise CollectorError(
                Problem(
                    "a certificate needs an identity: map a serial, sha256 or subject column",
                    file=path,
                    line=self.skip + 1,
                ),
                hint="e.g. --map SerialNumber=serial --map Subject=subject",
            )

    def tool(self) -> BundleTool:
        """An inventory, of no known program."""
        return BundleTool(name="inventory", version="csv")

    def _rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        with self.path.open(encoding="utf-8-sig", newline="") as stream:
            for _ in range(self.skip):
                stream.readline()
            reader = csv.DictReader(stream, delimiter=self.delimiter, skipinitialspace=True)
            for row in reader:
                cells = {k: (v or "") for k, v in row.items() if k}
                if any(v.strip() for v in cells.values()):  # a row of empty cells is no row
                    yield reader.line_num + self.skip, cells

    def collect(self, sink: Sink) -> None:
        """One inventory observation per row, read as a stream."""
        for line, row in self._rows():
            sink(self._row(line, row))

    def _row(self, line: int, row: dict[str, str]) -> Observation:
        def get(field: str) -> str:
            column = self.columns.get(field)
            return row.get(column, "").strip() if column else ""

        location = get("location") or f"{self.path.name}:{line}"
        problems = []
        not_after = _time(get("not_after"))
        if not_after is None:
            problems.append(f"not_after '{get('not_after')}' is not a date")
        not_before = _time(get("not_before"))
        if not_before is None:
            problems.append(f"not_before '{get('not_before')}' is not a date")
        sha256 = None
        if get("sha256"):
            sha256 = clean_hex(get("sha256"), 64)
            if sha256 is None:
                problems.append(f"sha256 '{get('sha256')}' is not 64 hex digits")
        key_size = None
        if get("key_size"):
            digits = re.sub(r"\D", "", get("key_size"))
            key_size = int(digits) if digits else None
        if problems or not_after is None or not_before is None:
            return error_observation(
                location, f"line {line}: " + "; ".join(problems), ObservationKind.INVENTORY
            )
        automation = get("automation")
        names = [n for n in re.split(r"[;,\s]+", get("san_dns")) if n]
        record = CertificateRecord(
            sha256=sha256,
            serial=clean_hex(get("serial")) or get("serial").lower(),
            subject=get("subject"),
            issuer=get("issuer"),
            not_before=not_before,
            not_after=not_after,
            key_type=_KEY_TYPES.get(get("key_type").lower().replace("-", "")),
            key_size=key_size,
            signature_hash=get("signature_hash").lower().replace("-", "") or None,
            san_dns=tuple(names),
            automation=(
                (f"inventory:{automation}",) if automation.lower() not in _NOT_AUTOMATED else ()
            ),
        )
        return read_observation(location, (record,), ObservationKind.INVENTORY)
