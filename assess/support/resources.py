"""Where the bundled data folders are: inside the installed wheel, or at the top of a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """The bundled folder ``name`` (``questionnaires``, ``schedules``, ``templates``, ``examples``).

    A wheel carries it as ``assess/<name>``; a source checkout (and an editable install) keeps it
    at the top of the repository.
    """
    installed = _PACKAGE / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name
