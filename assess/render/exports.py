"""Tabular exports: the roadmap as CSV or XLSX (a plan of action for a tracker) and the full
certificate inventory as CSV, streamed from the workspace's evidence bundles."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from assess.evidence import metrics
from assess.model.result import Result
from assess.render.view import ANSWER_LABELS
from assess.support.errors import EnvironmentProblem, InputError, Problem
from assess.support.extras import install_hint

ROADMAP_COLUMNS = (
    "Order",
    "Phase",
    "Practice",
    "Title",
    "Dimension",
    "Level",
    "Unlocks",
    "Action",
    "Why",
    "Effort",
    "Owner role",
    "Depends on",
    "Current answer",
    "Beyond target",
)
"""Roadmap export columns, in order."""

INVENTORY_COLUMNS = (
    "bundle",
    "collector",
    "collected_at",
    "location",
    "position",
    "sha256",
    "serial",
    "subject",
    "issuer",
    "not_before",
    "not_after",
    "days_left",
    "expired",
    "key_type",
    "key_size",
    "signature_hash",
    "san_dns",
    "self_signed",
)
"""Certificate inventory columns: one row per certificate sighting (certificate × location)."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text that a spreadsheet shows as text: a leading formula character gets a quote
    (CSV injection, OWASP)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def roadmap_rows(result: Result) -> Iterator[tuple[str | int | bool, ...]]:
    """The roadmap steps as rows of ``ROADMAP_COLUMNS``."""
    titles = {d.id: d.title for d in result.dimensions}
    for s in result.roadmap:
        yield (
            s.order,
            s.phase,
            s.practice,
            safe_cell(s.title),
            safe_cell(titles.get(s.dimension, s.dimension)),
            s.level,
            safe_cell(s.unlocks),
            safe_cell(s.action),
            safe_cell("; ".join(s.reasons)),
            s.effort.value,
            safe_cell(s.owner_role),
            ", ".join(s.depends_on),
            ANSWER_LABELS[s.answer],
            s.is_beyond_target,
        )


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def roadmap_csv(result: Result) -> bytes:
    """The roadmap as CSV (RFC 4180, UTF-8), one step a row."""
    return _csv(ROADMAP_COLUMNS, roadmap_rows(result))


def roadmap_xlsx(result: Result) -> bytes:
    """The roadmap as an XLSX workbook: a filterable sheet with frozen headers.

    Needs the ``xlsx`` extra (openpyxl).
    """
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise EnvironmentProblem(
            "writing XLSX needs openpyxl, which is not installed",
            hint=f"{install_hint('xlsx')}; or ask for --format roadmap-csv",
        ) from None
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Roadmap"
    sheet.append(list(ROADMAP_COLUMNS))
    for row in roadmap_rows(result):
        sheet.append(list(row))
    widths = (7, 7, 10, 36, 28, 6, 34, 70, 70, 7, 22, 16, 14, 12)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    moment = datetime(
        result.evaluated_at.year, result.evaluated_at.month, result.evaluated_at.day, tzinfo=UTC
    ).replace(tzinfo=None)
    workbook.properties.created = moment
    workbook.properties.modified = moment
    workbook.properties.title = f"CMMM roadmap — {result.assessment.organisation}"
    workbook.properties.creator = f"{result.tool.name} {result.tool.version}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def _bundle_rows(path: Path, name: str, evaluated_at: date) -> Iterator[list[object]]:
    try:
        data = json.loads(path.read_bytes())
    except OSError as error:
        raise InputError(Problem(f"cannot read: {error.strerror}", file=path)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(Problem(f"not a JSON evidence bundle: {error}", file=path)) from None
    if not isinstance(data, dict):
        raise InputError(Problem("expected a JSON object (an evidence bundle)", file=path))
    collector = _text(data.get("collector"))
    collected_at = _text(data.get("collected_at"))
    for observation in data.get("observations") or ():
        if not isinstance(observation, dict):
            continue
        location = _text(observation.get("location"))
        for position, certificate in enumerate(observation.get("certificates") or ()):
            if not isinstance(certificate, dict):
                continue
            not_after = _parse_time(certificate.get("not_after"))
            days_left: object = ""
            expired: object = ""
            if not_after is not None:
                days_left = metrics.days_left(not_after, evaluated_at)
                expired = "true" if days_left <= 0 else "false"
            yield [
                name,
                safe_cell(collector),
                collected_at,
                safe_cell(location),
                position,
                _text(certificate.get("sha256")),
                _text(certificate.get("serial")),
                safe_cell(_text(certificate.get("subject"))),
                safe_cell(_text(certificate.get("issuer"))),
                _text(certificate.get("not_before")),
                _text(certificate.get("not_after")),
                days_left,
                expired,
                _text(certificate.get("key_type")),
                _text(certificate.get("key_size")),
                _text(certificate.get("signature_hash")),
                safe_cell(_text(certificate.get("san_dns"))),
                _text(certificate.get("self_signed")),
            ]


def inventory_csv(root: Path, bundles: Sequence[Path], evaluated_at: date) -> bytes:
    """Every certificate sighting in the evidence bundles, one row per certificate and location.

    Read from the bundles one at a time (not from the result, which carries only the most
    urgent certificates); ``days_left`` and ``expired`` are judged at the evaluation date.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(INVENTORY_COLUMNS)
    for path in bundles:
        try:
            name = path.relative_to(root).as_posix()
        except ValueError:
            name = path.name
        writer.writerows(_bundle_rows(path, name, evaluated_at))
    return buffer.getvalue().encode("utf-8")
