"""`assess export cbom`: the workspace's evidence inventory in another tool's format."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import typer

from assess.cli._app import relative, sub_app
from assess.cli._help import AssessCommand
from assess.support.errors import InputError

export_app = sub_app("export", "Export the evidence inventory for other tools (CycloneDX CBOM).")


def _timestamp() -> datetime | None:
    """SOURCE_DATE_EPOCH as the document's time, when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise InputError(
            f"SOURCE_DATE_EPOCH: '{epoch}' is not a number of seconds since 1970"
        ) from None


@export_app.command("cbom", cls=AssessCommand)
def cbom_command(
    directory: Path = typer.Argument(..., metavar="DIR", help="The assessment workspace."),
    out: Path = typer.Option(
        ..., "--out", "-o", metavar="FILE", help="The CBOM to write (JSON, written atomically)."
    ),
) -> None:
    """Write the certificates, their algorithms and the key files of the workspace's evidence
    as a CycloneDX 1.6 CBOM (never key material)."""
    from assess.publish.exports import ExportFormat, export
    from assess.support.files import atomic_write
    from assess.support.words import plural

    written = export(directory, ExportFormat.CBOM, _timestamp())
    atomic_write(out, written.data)
    keys = f", {plural(written.keys, 'key file')}" if written.keys else ""
    typer.echo(
        f"wrote {relative(out)}: {plural(written.certificates, 'certificate')}{keys} from "
        f"{plural(written.bundles, 'evidence bundle')}"
    )
