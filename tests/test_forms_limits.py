"""Hostile and oversized forms: refused quickly, with one message naming the file and place.

The hostile files are made here, with openpyxl and zipfile: a cell at XFD1048576, a workbook
whose sheet inflates far past what its archive is, one whose archive understates it, CSV cells
and rows past the limits. The limits are the ones docs/forms.md states; each test is timed, as
the point is that nothing is inflated or walked that the limits exclude.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import struct
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from factories import MINI, mini_workspace
from formfill import fill_csv, fill_xlsx, read_csv

DOCS = Path(__file__).parent.parent / "docs"


@contextmanager
def within(seconds: float):
    """The block takes less than ``seconds`` (the unguarded reader took minutes, or ran out of
    memory, on these files)."""
    started = time.monotonic()
    yield
    assert time.monotonic() - started < seconds


def _form(cli, tmp_path, format="xlsx"):
    form = tmp_path / f"form.{format}"
    assert cli("questionnaire", "export", MINI, "--format", format, "--out", form).exit_code == 0
    return form


def _import(cli, workspace, form):
    return cli("answers", "import", workspace, form, "--respondent", "Jane Doe")


def test_the_limits_are_the_ones_the_docs_state():
    forms = (DOCS / "forms.md").read_text()
    limits = forms[forms.index("## Limits") :]
    for stated in (
        "10 MiB",  # the form file, and what a workbook unzips to
        "row 10,000",
        "column CV",
        "32,767 characters",
    ):
        assert stated in limits, stated
    cli_doc = (DOCS / "cli.md").read_text()
    assert "## Limits" in cli_doc and "forms.md#limits" in cli_doc


# --- workbooks ----------------------------------------------------------------------------------


def test_a_cell_at_xfd1048576_in_a_form_sheet_is_refused_by_its_place(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = _form(cli, tmp_path)
    fill_xlsx(form, {"INV-01": {"Answer": "fully"}})
    workbook = openpyxl.load_workbook(form)
    workbook["Lifecycle Automation"]["XFD1048576"] = "x"
    workbook.save(form)
    assert form.stat().st_size < 50_000
    with within(10):
        result = _import(cli, workspace, form)
    assert result.exit_code == 2, result.output
    assert (
        f"{form}: sheet 'Lifecycle Automation' cell XFD1048576: text beyond row 10,000 or "
        "column CV, the last a form sheet may use" in result.stderr
    )
    assert "Traceback" not in result.output
    assert not list((workspace / "answers").iterdir())


def test_a_far_cell_in_a_sheet_that_is_not_the_form_is_not_read(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = _form(cli, tmp_path)
    fill_xlsx(form, {"INV-01": {"Answer": "fully"}})
    workbook = openpyxl.load_workbook(form)
    workbook.create_sheet("Scratch")["XFD1048576"] = "x"
    workbook.save(form)
    with within(10):
        result = _import(cli, workspace, form)
    assert result.exit_code == 0, result.output
    assert f"warning: {form}: not read: sheet 'Scratch' has no 'Practice' and 'Answer'" in (
        result.stderr
    )


def _rebuilt(form: Path, name: str, content_chunks, chunks: int) -> bytes:
    """The workbook with the part ``name`` replaced by ``content_chunks`` written ``chunks``
    times (compressed as it is written: nothing that large is held in memory)."""
    source = zipfile.ZipFile(form)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member, source.read(member))
                continue
            with target.open(name, "w", force_zip64=True) as stream:
                head, body, tail = content_chunks
                stream.write(head)
                for _ in range(chunks):
                    stream.write(body)
                stream.write(tail)
    return buffer.getvalue()


SHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
    b" " * (1024 * 1024),
    b"</sheetData></worksheet>",
)
"""A sheet of 1 MiB of spaces per chunk: it compresses to almost nothing."""


def test_a_zip_bomb_is_refused_before_it_is_inflated(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = _form(cli, tmp_path)
    bomb = _rebuilt(form, "xl/worksheets/sheet2.xml", SHEET, 64)  # 64 MiB of spaces
    form.write_bytes(bomb)
    unzipped = sum(member.file_size for member in zipfile.ZipFile(form).infolist())
    assert unzipped > 64 * 1024 * 1024 and len(bomb) < unzipped // 100
    with within(10):
        result = _import(cli, workspace, form)
    assert result.exit_code == 2, result.output
    mib = math.ceil(unzipped * 10 / (1024 * 1024)) / 10  # sizes are rounded up
    assert f"{form}: not read: the workbook unzips to {mib:,.1f} MiB, more than the 10 MiB a " in (
        result.stderr
    )


def _understated(data: bytes, name: str, declared: int) -> bytes:
    """The archive with the uncompressed size its central directory gives ``name`` changed
    (APPNOTE.TXT 4.3.12: signature PK\\1\\2, the size at offset 24, the name at 46)."""
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) >= 0:
        (length,) = struct.unpack_from("<H", data, position + 28)
        if data[position + 46 : position + 46 + length] == name.encode():
            (size,) = struct.unpack_from("<I", data, position + 24)
            assert size != 0xFFFFFFFF  # a zip64 size lives elsewhere: keep the part small
            return data[: position + 24] + struct.pack("<I", declared) + data[position + 28 :]
        position += 4
    raise AssertionError(f"{name} not in the archive")


def test_a_part_that_inflates_past_what_its_archive_declares_is_unreadable(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = _form(cli, tmp_path)
    with zipfile.ZipFile(form) as archive:  # the XML of the first dimension sheet, made large
        sheet = archive.read("xl/worksheets/sheet2.xml")
    head, _, tail = sheet.partition(b"<sheetData>")
    parts = (head + b"<sheetData>", b" " * (1024 * 1024), tail[tail.index(b"</sheetData>") :])
    data = _rebuilt(form, "xl/worksheets/sheet2.xml", parts, 64)
    form.write_bytes(_understated(data, "xl/worksheets/sheet2.xml", 1000))
    with within(10):
        result = _import(cli, workspace, form)
    assert result.exit_code == 2, result.output
    assert f"{form}: not a readable XLSX workbook" in result.stderr


def test_a_form_file_over_10_mib_is_not_read(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = tmp_path / "form.xlsx"
    with form.open("wb") as stream:
        os.truncate(stream.fileno(), 11 * 1024 * 1024)  # sparse: nothing written
    with within(10):
        result = _import(cli, workspace, form)
    assert result.exit_code == 2
    assert f"{form}: not read: 11 MiB is more than the 10 MiB a form may be" in result.stderr


# --- CSV ----------------------------------------------------------------------------------------


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def test_a_csv_field_past_the_csv_module_s_limit_names_its_line(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = _form(cli, tmp_path, "csv")
    rows = read_csv(form)
    note = rows[0].index("Note")
    rows[3][note] = "x" * 140_000  # line 4
    _write_csv(form, rows)
    with within(10):
        result = _import(cli, workspace, form)
    assert result.exit_code == 2, result.output
    assert f"{form}:4: a cell is longer than a form cell may be (32,767 characters" in (
        result.stderr
    )
    assert "Traceback" not in result.output


def test_a_cell_longer_than_a_spreadsheet_cell_is_refused_by_its_place(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = _form(cli, tmp_path, "csv")
    where = fill_csv(form, {"INV-02": {"Answer": "fully", "Note": "y" * 40_000}})
    line, letter = where[("INV-02", "Note")]
    result = _import(cli, workspace, form)
    assert result.exit_code == 2, result.output
    assert (
        f"{form}:{line}: column {letter} (Note): 40,000 characters is longer than a form cell "
        "may be (32,767, a spreadsheet cell's limit)" in result.stderr
    )


def test_csv_text_beyond_row_10000_is_refused_and_empty_rows_are_not(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = _form(cli, tmp_path, "csv")
    fill_csv(form, {"INV-01": {"Answer": "fully"}})
    rows = read_csv(form)
    width = len(rows[0])
    empty = [[""] * width for _ in range(10_000 - len(rows))]  # rows up to line 10,000
    _write_csv(form, [*rows, *empty, [""] * width, [""] * width])
    result = _import(cli, workspace, form)
    assert result.exit_code == 0, result.output  # empty rows past the limit are not text

    _write_csv(form, [*rows, *empty, ["", "stray"] + [""] * (width - 2)])  # line 10,001
    with within(10):
        result = _import(cli, workspace, form)
    assert result.exit_code == 2
    assert f"{form}:10001: text beyond row 10,000, the last a form may use" in result.stderr


def test_csv_text_beyond_column_cv_is_refused_by_its_column(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = _form(cli, tmp_path, "csv")
    rows = read_csv(form)
    rows[2] += [""] * (100 - len(rows[2])) + ["far"]  # the 101st column of line 3: CW
    _write_csv(form, rows)
    result = _import(cli, workspace, form)
    assert result.exit_code == 2
    assert f"{form}:3: column CW: text beyond column CV, the last a form may use" in result.stderr


def test_a_flood_of_problems_is_listed_up_to_100(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = _form(cli, tmp_path, "csv")
    rows = read_csv(form)
    width = len(rows[0])
    rows += [[""] * width + ["stray"] for _ in range(150)]  # outside the form's columns
    _write_csv(form, rows)
    result = _import(cli, workspace, form)
    assert result.exit_code == 2
    listed = re.findall(r"is outside the form's columns", result.stderr)
    assert len(listed) == 100
    assert result.stderr.splitlines()[-1].strip() == (
        f"{form}: more than 100 problems: the rest of the form is not checked; correct these first"
    )


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_a_full_form_is_far_inside_the_limits(cli, tmp_path, format):
    # Every practice but one answered, each Note near a spreadsheet cell's limit.
    workspace = mini_workspace(tmp_path / "ws")
    form = _form(cli, tmp_path, format)
    answers = {
        practice: {"Answer": "largely", "Note": "n" * 32_000, "Evidence": "T-1, T-2"}
        for practice in ("INV-01", "INV-02", "INV-03", "INV-04", "AUT-01", "AUT-02", "AUT-03")
    }
    (fill_xlsx if format == "xlsx" else fill_csv)(form, answers)
    result = _import(cli, workspace, form)
    assert result.exit_code == 0, result.output
