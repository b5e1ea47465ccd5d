"""Tabular exports: the roadmap as CSV or XLSX (a plan of action for a tracker) and the full
certificate inventory as CSV, from the workspace's evidence bundles as the caller reads them.

Rows hold the text as it is; :mod:`assess.support.spreadsheet` writes it so that no cell runs
as a formula (a quoted CSV field with a leading quote, an XLSX cell typed as text).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from itertools import chain

from pydantic import AwareDatetime, TypeAdapter

from assess.evidence.metrics import days_left
from assess.model.bundle import EvidenceBundle
from assess.model.result import Result
from assess.render.view.labels import ANSWER_LABELS
from assess.support.errors import EnvironmentProblem
from assess.support.extras import install_hint
from assess.support.spreadsheet import csv_bytes, put_text

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


def roadmap_rows(result: Result) -> Iterator[tuple[str | int | bool, ...]]:
    """The immediate actions, then the roadmap steps, as rows of ``ROADMAP_COLUMNS``."""
    for number, a in enumerate(result.immediate_actions, start=1):
        yield (
            f"A{number}",
            IMMEDIATE_PHASE,
            "",
            a.finding,
            "",
            "",
            "",
            f"Fix {a.subject}: {a.finding}",
            a.detail,
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
            s.title,
            titles.get(s.dimension, s.dimension),
            s.level,
            s.unlocks,
            s.action,
            " ".join(s.reasons),
            s.effort.value,
            s.owner_role,
            ", ".join(s.depends_on),
            ANSWER_LABELS[s.counted],
            ANSWER_LABELS[s.answer],
            s.is_assessed,
            s.is_beyond_target,
            "",
        )


def roadmap_csv(result: Result) -> bytes:
    """The roadmap as CSV (RFC 4180, UTF-8), one step a row."""
    return csv_bytes(chain([ROADMAP_COLUMNS], roadmap_rows(result)))


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
    for row_number, row in enumerate(chain([ROADMAP_COLUMNS], roadmap_rows(result)), start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, str):
                put_text(cell, value)
            else:
                cell.value = value
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
    collected_at = _moment(bundle.collected_at)
    for observation in bundle.observations:
        for position, certificate in enumerate(observation.certificates):
            left = days_left(certificate.not_after, evaluated_at)
            yield [
                name,
                bundle.collector,
                collected_at,
                observation.location,
                position,
                certificate.sha256 or "",
                certificate.serial,
                certificate.subject,
                certificate.issuer,
                "" if certificate.not_before is None else _moment(certificate.not_before),
                _moment(certificate.not_after),
                left,
                "true" if left <= 0 else "false",
                certificate.key_type or "",
                "" if certificate.key_size is None else certificate.key_size,
                certificate.signature_hash or "",
                " ".join(certificate.san_dns),
                "true" if certificate.self_signed else "false",
            ]


def inventory_csv(bundles: Iterable[tuple[str, EvidenceBundle]], evaluated_at: date) -> bytes:
    """Every certificate sighting in the evidence bundles, one row per certificate and location.

    ``bundles`` are ``(name, bundle)`` pairs, taken one at a time (a generator that reads each
    file when asked keeps one bundle in memory). Not from the result, which carries only the
    most urgent certificates; ``days_left`` and ``expired`` are judged at the evaluation date.
    """
    rows = (row for name, bundle in bundles for row in inventory_rows(name, bundle, evaluated_at))
    return csv_bytes(chain([INVENTORY_COLUMNS], rows))
