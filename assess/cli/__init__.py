"""The `assess` command line: the only place that parses flags, prints and exits."""

import signal

from assess.cli import (
    answers,
    assessment,
    compare,
    evidence,
    export,
    forecast,
    integrity,
    interview,
    questionnaire,
    report,
    serve,
)
from assess.cli._app import app

__all__ = [
    "answers",
    "app",
    "assessment",
    "compare",
    "evidence",
    "export",
    "forecast",
    "integrity",
    "interview",
    "main",
    "questionnaire",
    "report",
    "serve",
]


def main() -> None:
    """Entry point of the `assess` console script."""
    if hasattr(signal, "SIGPIPE"):
        # `assess score DIR | head` should stop quietly, not with a BrokenPipeError.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app(prog_name="assess")
