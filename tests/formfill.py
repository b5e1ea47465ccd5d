"""Filling answer forms as a respondent's spreadsheet would, for the form tests.

Each helper finds the cells to fill by the form's headers and practice ids (never by the code
under test) and returns where each value went, in the spreadsheet's own coordinates.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
from ruamel.yaml import YAML


def fill_xlsx(
    path: Path,
    answers: dict[str, dict[str, str | None]],
    *,
    name: str = "Jane Doe",
    role: str = "PKI lead",
    fields: dict[str, str] | None = None,
) -> dict[tuple[str, str], str]:
    """Fill a workbook as a respondent would: find each practice's row by the id in the
    Practice column and each cell by its column header. Returns where each value went."""
    workbook = openpyxl.load_workbook(path)
    instructions = workbook["Instructions"]
    wanted = {"Respondent name": name, "Respondent role": role, **(fields or {})}
    where: dict[tuple[str, str], str] = {}
    for label, value in instructions.iter_rows(min_col=1, max_col=2):
        if label.value in wanted:
            value.value = wanted[label.value]
            where[("Instructions", str(label.value))] = (
                f"sheet 'Instructions' cell {value.coordinate}"
            )
    for sheet in workbook.worksheets[1:]:
        headers = {cell.value: cell.column for cell in sheet[1]}
        for row in sheet.iter_rows(min_row=2):
            practice = row[headers["Practice"] - 1].value
            for header, text in answers.get(str(practice), {}).items():
                cell = sheet.cell(row[0].row, headers[header])
                cell.value = text
                where[(str(practice), header)] = f"sheet '{sheet.title}' cell {cell.coordinate}"
    workbook.save(path)
    return where


def read_csv(path: Path) -> list[list[str]]:
    """The rows of a CSV form."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def fill_csv(
    path: Path, answers: dict[str, dict[str, str]], *, delimiter: str = ",", bom: bool = True
) -> dict[tuple[str, str], tuple[int, str]]:
    """Fill a CSV form as a spreadsheet would save it. Returns (line, column letter) per value."""
    rows = read_csv(path)
    header = rows[0]
    where: dict[tuple[str, str], tuple[int, str]] = {}
    for line, row in enumerate(rows[1:], start=2):
        for name, text in answers.get(row[header.index("Practice")], {}).items():
            index = header.index(name)
            row[index] = text
            where[(row[header.index("Practice")], name)] = (line, "ABCDEFGHIJKL"[index])
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return where


def answers_file(workspace: Path, name: str = "jane-doe") -> dict[str, Any]:
    """A respondent's answers file as plain data."""
    return YAML(typ="safe").load((workspace / "answers" / f"{name}.yaml").read_text())
