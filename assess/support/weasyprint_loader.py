"""WeasyPrint, loaded when a PDF is to be written, with a friendly error when it cannot be.

WeasyPrint needs Pango and HarfBuzz from the system, so importing it can fail with an
``OSError`` as well as an ``ImportError``. The report renderer and the visible signature stamp
both load it here, late, so that commands not writing PDF start fast and every failure says the
same thing: which system libraries to install.
"""

from __future__ import annotations

from typing import Any

from assess.support.errors import EnvironmentProblem

SYSTEM_LIBRARIES_HINT = (
    "install the system libraries it needs (Debian: libpango-1.0-0 libpangoft2-1.0-0 "
    "libharfbuzz-subset0 fonts-dejavu-core), or ask for --format html"
)
"""What to do when WeasyPrint cannot be loaded."""


def load_weasyprint() -> Any:
    """The ``weasyprint`` module; an :class:`EnvironmentProblem` when it cannot be loaded."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise EnvironmentProblem(
            f"cannot load WeasyPrint to write PDF: {error}", hint=SYSTEM_LIBRARIES_HINT
        ) from None
    return weasyprint
