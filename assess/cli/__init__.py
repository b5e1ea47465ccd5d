"""The `assess` command line: the only place that parses flags, prints and exits."""

from assess.cli import assessment, interview, questionnaire
from assess.cli._app import app

__all__ = ["app", "assessment", "interview", "main", "questionnaire"]


def main() -> None:
    """Entry point of the `assess` console script."""
    app(prog_name="assess")
