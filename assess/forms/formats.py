"""The file formats of an answer form: one enum, each member mapped to the module that writes
and reads it, in one table.

A new format is a module with ``write_form(questionnaire) -> bytes`` and
``read_form(path, data) -> RawForm``, a member of :class:`FormFormat` and its entry in
:data:`FORM_FILES`; a test checks that every member has one, and the CLI takes its choices
and their help from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from assess.forms import csv as csv_form
from assess.forms import xlsx as xlsx_form
from assess.forms.cells import RawForm
from assess.model.questionnaire import Questionnaire
from assess.support.errors import InputError, Problem
from assess.support.files import read_bytes


class FormFormat(StrEnum):
    """A file format of the answer form (``assess questionnaire export --format``)."""

    XLSX = "xlsx"
    CSV = "csv"

    @property
    def description(self) -> str:
        """One line for the command line's help."""
        return FORM_FILES[self].description


@dataclass(frozen=True)
class FormFile:
    """How a form of one format is described, recognised, written and read."""

    description: str
    """One line for the command line's help."""
    suffixes: tuple[str, ...]
    """File name endings (lower case) read as this format."""
    is_binary: bool
    """True when the bytes are not text: written to a file, never to a terminal."""
    write: Callable[[Questionnaire], bytes]
    """The form of a questionnaire, as the file's bytes."""
    read: Callable[[Path, bytes], RawForm]
    """The cells of a filled form (its path, for messages, and its bytes)."""
    magic: bytes = b""
    """How the file's content starts, for a form whose name has another ending."""


FORM_FILES: dict[FormFormat, FormFile] = {
    FormFormat.XLSX: FormFile(
        description="an Excel workbook: instructions, then one sheet per dimension",
        suffixes=(".xlsx", ".xlsm"),
        is_binary=True,
        write=xlsx_form.write_form,
        read=xlsx_form.read_form,
        magic=b"PK\x03\x04",
    ),
    FormFormat.CSV: FormFile(
        description="one CSV table (UTF-8), a row per practice",
        suffixes=(".csv", ".txt"),
        is_binary=False,
        write=csv_form.write_form,
        read=csv_form.read_form,
    ),
}
"""Every form format and its implementation."""

DEFAULT_FORMAT = FormFormat.CSV
"""The format of a form whose name and content say nothing else."""

UNREADABLE_SUFFIXES = (".xls", ".ods", ".numbers")
"""Spreadsheet files a respondent may send back that no reader here opens."""


def write_form(format: FormFormat, questionnaire: Questionnaire) -> bytes:
    """The answer form of a questionnaire in ``format``."""
    return FORM_FILES[format].write(questionnaire)


def format_of(path: Path, data: bytes) -> FormFormat:
    """The format of a filled form: by its file name's ending, else by its content."""
    suffix = path.suffix.casefold()
    for format, form_file in FORM_FILES.items():
        if suffix in form_file.suffixes:
            return format
    for format, form_file in FORM_FILES.items():
        if form_file.magic and data.startswith(form_file.magic):
            return format
    return DEFAULT_FORMAT


def read_form(path: Path) -> RawForm:
    """The cells of a filled form, in the format its name or content says."""
    suffix = path.suffix.casefold()
    if suffix in UNREADABLE_SUFFIXES:
        raise InputError(
            Problem(f"cannot read {suffix} files", file=path),
            hint="save the form as an Excel workbook (.xlsx) or as CSV UTF-8, then import that",
        )
    data = read_bytes(path)
    return FORM_FILES[format_of(path, data)].read(path, data)
