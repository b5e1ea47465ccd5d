"""Tabular exports: the roadmap as CSV or XLSX (a plan of action for a tracker) and the full
certificate inventory as CSV, from the workspace's evidence bundles as the caller reads them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime

from pydantic import AwareDatetime, TypeAdapter

from assess.evidence.metrics import days_left
from assess.model.bundle import EvidenceBundle
from assess.model.result import Result
from assess.render.view.labels import ANSWER_LABELS
from assess.support.errors import EnvironmentProblem
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
    "Answer counted",
    "Answer given",
    "Assessed",
    "Beyond target",
    "Severity",
)
"""Roadmap export columns, in order. Immediate actions come first, ordered ``A1``, ``A2``… in
phase ``immediate`` with their severity; the roadmap steps follow with an empty severity."""

IMMEDIATE_PHASE = "immediate"
"""The phase column of an immediate action: before phase 1, whatever the level."""

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
    """The immediate actions, then the roadmap steps, as rows of ``ROADMAP_COLUMNS``."""
    for number, a in enumerate(result.immediate_actions, start=1):
        yield (
            f"A{number}",
            IMMEDIATE_PHASE,
            "",
            safe_cell(a.finding),
            "",
            "",
            "",
            safe_cell(f"Fix {a.subject}: {a.finding}"),
            safe_cell(a.detail),
            "",
            "",
            "",
            "",
            "",
            "",
            False,
            a.severity.value,
        )
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
            safe_cell(" ".join(s.reasons)),
            s.effort.value,
            safe_cell(s.owner_role),
            ", ".join(s.depends_on),
            ANSWER_LABELS[s.counted],
            ANSWER_LABELS[s.answer],
            s.is_assessed,
            s.is_beyond_target,
            "",
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
    widths = (7, 9, 10, 36, 28, 6, 34, 70, 70, 7, 22, 16, 14, 14, 10, 12, 9)
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


_MOMENT = TypeAdapter(AwareDatetime)


def _moment(value: datetime) -> str:
    """A time as the bundle's JSON spells it (``2026-11-20T10:00:00Z``)."""
    text = _MOMENT.dump_python(value, mode="json")
    assert isinstance(text, str)
    return text


def inventory_rows(name: str, bundle: EvidenceBundle, evaluated_at: date) -> Iterator[list[object]]:
    """The rows of ``INVENTORY_COLUMNS`` for one bundle (``name``: its path in the workspace)."""
    collector = safe_cell(bundle.collector)
    collected_at = _moment(bundle.collected_at)
    for observation in bundle.observations:
        location = safe_cell(observation.location)
        for position, certificate in enumerate(observation.certificates):
            left = days_left(certificate.not_after, evaluated_at)
            yield [
                name,
                collector,
                collected_at,
                location,
                position,
                certificate.sha256 or "",
                certificate.serial,
                safe_cell(certificate.subject),
                safe_cell(certificate.issuer),
                "" if certificate.not_before is None else _moment(certificate.not_before),
                _moment(certificate.not_after),
                left,
                "true" if left <= 0 else "false",
                certificate.key_type or "",
                "" if certificate.key_size is None else certificate.key_size,
                certificate.signature_hash or "",
                safe_cell(" ".join(certificate.san_dns)),
                "true" if certificate.self_signed else "false",
            ]


def inventory_csv(bundles: Iterable[tuple[str, EvidenceBundle]], evaluated_at: date) -> bytes:
    """Every certificate sighting in the evidence bundles, one row per certificate and location.

    ``bundles`` are ``(name, bundle)`` pairs, taken one at a time (a generator that reads each
    file when asked keeps one bundle in memory). Not from the result, which carries only the
    most urgent certificates; ``days_left`` and ``expired`` are judged at the evaluation date.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(INVENTORY_COLUMNS)
    for name, bundle in bundles:
        writer.writerows(inventory_rows(name, bundle, evaluated_at))
    return buffer.getvalue().encode("utf-8")
