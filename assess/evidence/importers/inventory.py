"""Import a certificate inventory exported as CSV: ``certutil -view csv``, PowerShell
``Export-Csv``, a Venafi or Keyfactor export, a spreadsheet.

Columns are matched to fields by the names those tools write (:mod:`.exports`), or named with
``--map COLUMN=FIELD``. Only ``not_after`` is required, with an identity (a serial, a SHA-256
fingerprint, a subject or a common name); a register without a start of validity is imported
and its certificates left out of the lifetime metrics. The file is read as the tools write it:
UTF-8 (with or without a byte-order mark), UTF-16 with its mark, or Windows-1252 (Excel's
"CSV" on Windows); the delimiter is told from the header, quoting is the standard library's;
dates are read in the one layout that reads every date of the file (``--date-format`` names
another). Rows are read one at a time; a row that cannot be read is an ``error`` observation
naming its line, and a file of which no row could be read is refused.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TextIO

from assess.evidence.certs import signature_of
from assess.evidence.importers.exports import (
    EMPTY_VALUES,
    FIELDS,
    DateSniffer,
    is_automated,
    is_type_name,
    key_type_of,
    known_columns,
    known_export,
    parse_in,
    split_names,
)
from assess.evidence.importers.formats import ImportFormat
from assess.evidence.importers.interface import Importer
from assess.evidence.importers.reading import clean_hex
from assess.evidence.interface import CollectorError, Sink
from assess.evidence.observations import error_observation, read_observation
from assess.model.bundle import BundleTool, CertificateRecord, Observation, ObservationKind
from assess.support.csvdialect import DELIMITERS, sniff_delimiter
from assess.support.errors import Problem
from assess.support.words import plural

__all__ = ["FIELDS", "InventoryImporter", "parse_mapping"]

_DELIMITERS = DELIMITERS + "|"
"""What spreadsheets save CSV with, and the pipe some inventory exports use."""
_CHUNK = 1 << 16
_ISSUED = "20"
"""certutil's Request Disposition of an issued certificate (certsrv.h DB_DISP_ISSUED)."""
_DATE_HINT = (
    "name the layout of the dates with --date-format, in strptime codes, "
    "e.g. --date-format '%d/%m/%Y %H:%M' for 03/01/2028 02:49 written day first"
)


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


def _encoding_of(path: Path) -> tuple[str, str | None]:
    """The text encoding of the file, and a note when it is not UTF-8: a byte-order mark
    decides; else UTF-8 when every byte decodes as UTF-8, else Windows-1252."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4)
            if head.startswith(codecs.BOM_UTF8):
                return "utf-8-sig", None
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return "utf-16", "read as UTF-16 (its byte-order mark says so)"
            for encoding in ("utf-8", "cp1252"):
                stream.seek(0)
                decoder = codecs.getincrementaldecoder(encoding)()
                try:
                    while chunk := stream.read(_CHUNK):
                        decoder.decode(chunk)
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    continue
                if encoding == "utf-8":
                    return "utf-8", None
                return "cp1252", "not UTF-8: read as Windows-1252 (what Excel saves as CSV)"
    except OSError as error:
        raise CollectorError(Problem(f"cannot read: {error.strerror}", file=path)) from None
    raise CollectorError(
        Problem("neither UTF-8 nor Windows-1252 text", file=path),
        hint="save the export as 'CSV UTF-8' (Excel) or with Export-Csv -Encoding UTF8",
    )


class InventoryImporter(Importer):
    """A CSV inventory, its columns known by name or mapped."""

    format = ImportFormat.CSV

    def __init__(
        self,
        path: Path,
        mapping: Mapping[str, str] | None = None,
        *,
        date_format: str | None = None,
    ) -> None:
        super().__init__(path, mapping)
        self.encoding, encoding_note = _encoding_of(path)
        self._notes: list[str] = [encoding_note] if encoding_note else []
        with self._open() as stream:
            first = stream.readline()
            self.skip = 1 if first.startswith("#TYPE") else 0  # Export-Csv's type line
            header_line = stream.readline() if self.skip else first
        self.delimiter = sniff_delimiter(header_line, _DELIMITERS)
        """The delimiter of the file, told from its header."""
        header = next(csv.reader([header_line], delimiter=self.delimiter), [])
        self.column_names = [column.strip() for column in header]
        if not any(self.column_names):
            raise CollectorError(
                Problem("no header row naming the columns", file=path, line=self.skip + 1)
            )
        export = known_export(self.column_names)
        self.tool_name = export.tool if export is not None else "inventory"
        self.columns = self._columns(path)
        self.layouts = self._date_layouts(date_format)

    def _open(self) -> TextIO:
        return self.path.open(encoding=self.encoding, newline="")

    def _columns(self, path: Path) -> dict[str, str]:
        """{field: column}: the mapping given, then the columns known exports name."""
        by_name = {column.lower(): column for column in self.column_names}
        columns: dict[str, str] = {}
        missing = []
        for field, wanted in self.mapping.items():
            if wanted.strip().lower() in by_name:
                columns[field] = by_name[wanted.strip().lower()]
            else:
                missing.append(f"'{wanted}' (mapped to {field})")
        for field, column in known_columns(self.column_names).items():
            columns.setdefault(field, column)
        line = self.skip + 1
        if missing or "not_after" not in columns:
            what = ", ".join(missing or ["for not_after (the end of validity)"])
            raise CollectorError(
                Problem(f"no column {what}; {_columns_said(self.column_names)}", path, line),
                hint="name the columns with --map COLUMN=FIELD, e.g. --map Expiry=not_after",
            )
        if not {"serial", "sha256", "subject", "common_name"} & set(columns):
            raise CollectorError(
                Problem(
                    "a certificate needs an identity: map a serial, sha256, subject or "
                    f"common_name column; {_columns_said(self.column_names)}",
                    path,
                    line,
                ),
                hint="e.g. --map 'Serial No'=serial",
            )
        return columns

    def _date_layouts(self, date_format: str | None) -> tuple[str, ...]:
        """The layouts the file's dates are read in: the one given, or the one family of
        layouts that reads every date of the file."""
        if date_format is not None:
            if "%" not in date_format:
                raise CollectorError(
                    f"--date-format: '{date_format}' has no strptime code", hint=_DATE_HINT
                )
            return (date_format,)
        sniffer = DateSniffer()
        wanted = [
            self.column_names.index(self.columns[f])
            for f in ("not_before", "not_after")
            if f in self.columns
        ]
        for _, cells in self._records():
            for index in wanted:
                if index < len(cells):
                    sniffer.add(cells[index])
        layouts = sniffer.layouts()
        if layouts is None:
            raise CollectorError(
                Problem(
                    f"dates such as '{sniffer.differ}' read both month first and day first, "
                    "and the file does not tell which",
                    file=self.path,
                ),
                hint=_DATE_HINT.replace("03/01/2028 02:49 written day first", "your dates"),
            )
        return layouts

    def tool(self) -> BundleTool:
        """The exporting tool when the header says which (certutil, PowerShell, Venafi,
        Keyfactor), else an inventory of no known program."""
        return BundleTool(name=self.tool_name, version="csv")

    def notes(self) -> tuple[str, ...]:
        """What the import could not take as written: encoding, rows without a start of
        validity, values not understood, rows skipped."""
        return tuple(self._notes)

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        """(first line, cells) of each record below the header; quoted fields may span lines."""
        with self._open() as stream:
            for _ in range(self.skip):
                stream.readline()
            reader = csv.reader(stream, delimiter=self.delimiter, skipinitialspace=True)
            next(reader, None)  # the header
            last = reader.line_num
            for cells in reader:
                start, last = last + 1, reader.line_num
                if any(cell.strip() for cell in cells):  # a row of empty cells is no row
                    yield start + self.skip, cells

    def collect(self, sink: Sink) -> None:
        """One inventory observation per row, read as a stream; nothing read is refused."""
        tally = _Tally()
        for line, cells in self._records():
            row = {
                name: cells[index] if index < len(cells) else ""
                for index, name in enumerate(self.column_names)
            }
            observation = self._row(line, row, tally)
            if observation is not None:
                sink(observation)
        self._notes.extend(tally.notes(self.columns))
        if tally.imported == 0:
            raise CollectorError(
                Problem(tally.why_nothing(), file=self.path),
                hint=_DATE_HINT if tally.date_errors else None,
            )

    def _row(self, line: int, row: dict[str, str], tally: _Tally) -> Observation | None:
        def get(field: str) -> str:
            column = self.columns.get(field)
            value = row.get(column, "").strip() if column else ""
            if value in EMPTY_VALUES:
                return ""
            if is_type_name(value):
                tally.type_names[(column or field, value)] += 1
                return ""
            return value

        disposition = row.get("Request Disposition", "").strip()
        if disposition and disposition.split()[0] != _ISSUED:
            tally.skipped[disposition] += 1  # a request, a revoked or a CA certificate
            return None
        tally.rows += 1
        location = get("location") or f"{self.path.name}:{line}"
        problems = []
        date_problem = False
        not_after = parse_in(get("not_after"), self.layouts) if get("not_after") else None
        if not_after is None:
            problems.append(f"not_after '{_shown(get('not_after'))}' is not a date")
            date_problem = bool(get("not_after"))
        not_before: datetime | None = None
        if get("not_before"):
            not_before = parse_in(get("not_before"), self.layouts)
            if not_before is None:
                problems.append(f"not_before '{_shown(get('not_before'))}' is not a date")
                date_problem = True
        sha256 = None
        if get("sha256"):
            sha256 = clean_hex(get("sha256"), 64)
            if sha256 is None:
                problems.append(f"sha256 '{_shown(get('sha256'))}' is not 64 hex digits")
        if problems or not_after is None:
            reason = f"line {line}: " + "; ".join(problems)
            tally.failed(reason, date_problem)
            return error_observation(location, reason, ObservationKind.INVENTORY)
        key_size = None
        if digits := re.sub(r"\D", "", get("key_size")):
            key_size = int(digits)
        signature_hash, signature_algorithm = (None, None)
        if get("signature_hash"):
            signature_hash, signature_algorithm = signature_of(get("signature_hash"))
            if signature_algorithm is None:
                tally.signatures[get("signature_hash")] += 1
        automation = get("automation")
        automated = is_automated(automation)
        if automated is None:
            tally.automation[automation] += 1
        names, addresses = split_names(get("san_dns"))
        common = get("common_name")
        if not_before is None:
            tally.without_start += 1
        tally.imported += 1
        record = CertificateRecord(
            sha256=sha256,
            serial=clean_hex(get("serial")) or get("serial").lower(),
            subject=get("subject") or (f"CN={common}" if common else ""),
            issuer=get("issuer"),
            not_before=not_before,
            not_after=not_after,
            key_type=key_type_of(get("key_type")) if get("key_type") else None,
            key_size=key_size,
            signature_hash=signature_hash,
            # Only EdDSA needs its name kept: it says "no separate hash", not "unknown".
            signature_algorithm=signature_algorithm if signature_hash is None else None,
            san_dns=tuple(names),
            san_ip=tuple(addresses),
            automation=(f"inventory:{automation}",) if automated else (),
        )
        return read_observation(location, (record,), ObservationKind.INVENTORY)


def _shown(value: str) -> str:
    """A cell as quoted in a message: at most 40 characters."""
    return value if len(value) <= 40 else value[:37] + "..."


class _Tally:
    """What the rows of one import came to, for its notes and its refusal."""

    def __init__(self) -> None:
        self.rows = 0
        self.imported = 0
        self.without_start = 0
        self.date_errors = 0
        self.first_error: str | None = None
        self.skipped: Counter[str] = Counter()
        self.automation: Counter[str] = Counter()
        self.signatures: Counter[str] = Counter()
        self.type_names: Counter[tuple[str, str]] = Counter()

    def failed(self, reason: str, date_problem: bool) -> None:
        self.first_error = self.first_error or reason
        self.date_errors += date_problem

    def why_nothing(self) -> str:
        if self.rows:
            return (
                f"no certificate imported: {plural(self.rows, 'row')} below the header, "
                f"none readable; the first: {self.first_error}"
            )
        if self.skipped:
            return (
                f"no certificate imported: the {plural(sum(self.skipped.values()), 'row')} "
                f"are requests without an issued certificate ({_counted(self.skipped)})"
            )
        return "no certificate imported: no rows below the header"

    def notes(self, columns: Mapping[str, str]) -> list[str]:
        notes = []
        if self.without_start:
            what = (
                "no start of validity column"
                if "not_before" not in columns
                else "an empty start of validity"
            )
            notes.append(
                f"{plural(self.without_start, 'certificate')} with {what}: imported, and "
                "left out of the lifetime metrics (short and long validity, late renewal)"
            )
        if self.automation:
            notes.append(
                f"{columns.get('automation')}: values not known as automated, counted as "
                f"not automated: {_counted(self.automation)} (automated: Provisioning, "
                "automated, ACME, yes/true/1)"
            )
        if self.signatures:
            notes.append(
                f"{columns.get('signature_hash')}: signature names not recognised, left out "
                f"of the weak-signature metric: {_counted(self.signatures)}"
            )
        for (column, type_name), count in sorted(self.type_names.items()):
            if "`" in type_name or type_name.endswith("[]"):
                how = f"the items joined, e.g. @{{n='{column}';e={{$_.{column} -join ','}}}}"
            elif type_name == "System.Security.Cryptography.Oid":
                how = f"its name, e.g. @{{n='{column}';e={{$_.{column}.FriendlyName}}}}"
            else:
                how = "one of its properties with a calculated property"
            notes.append(
                f"{column}: {plural(count, 'row')} hold the .NET type name {type_name} "
                f"(Export-Csv writes an object's type, not its values): read as empty; export {how}"
            )
        if self.skipped:
            notes.append(
                f"{plural(sum(self.skipped.values()), 'row')} skipped, not issued "
                f"certificates in service: {_counted(self.skipped)}"
            )
        return notes


def _counted(counts: Counter[str]) -> str:
    shown = [f"'{_shown(value)}' ×{count}" for value, count in counts.most_common(5)]
    more = len(counts) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


COLUMN_NAME_LENGTH = 40
"""The longest header cell quoted back in a message: real column names are short, and a first
line that is not a header may be anything, a key included (a base64 key, a Secret as JSON)."""


def _columns_said(names: Sequence[str]) -> str:
    """The header's cells for a message, or only their count when the first line does not look
    like column names: a message never quotes input that may hold key material."""
    if all(len(name) <= COLUMN_NAME_LENGTH and "-----" not in name for name in names):
        return f"the columns are: {', '.join(names)}"
    return (
        f"the first line does not look like column names ({len(names)} "
        f"{'cell' if len(names) == 1 else 'cells'}, not quoted here)"
    )
