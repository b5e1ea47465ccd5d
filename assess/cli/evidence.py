"""`assess scan tls|files` and `assess evidence import`: collect evidence bundles."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assess.cli._activity import activity, quiet_option
from assess.cli._app import relative, sub_app
from assess.cli._choices import format_option
from assess.cli._help import AssessCommand
from assess.evidence.importers.formats import ImportFormat
from assess.support.errors import InputError, Problem

if TYPE_CHECKING:
    from assess.evidence.bundles import WriteSummary

scan_app = sub_app("scan", "Scan TLS endpoints or certificate files into an evidence bundle.")
evidence_app = sub_app("evidence", "Import third-party scanner output or inventories as evidence.")

OUT_HELP = "Bundle to write, typically WORKSPACE/evidence/NAME.json (written atomically)."


def _report(out: Path, summary: WriteSummary) -> None:
    from assess.support.words import plural

    errors = f" ({summary.errors} could not be read)" if summary.errors else ""
    keys = (
        f", {plural(summary.keys, 'private key')} (location and protection only)"
        if summary.keys
        else ""
    )
    typer.echo(
        f"wrote {relative(out)}: {plural(summary.observations, 'observation')}{errors}, "
        f"{plural(summary.certificates, 'certificate')}{keys}"
    )
    if out.suffix != ".json":
        typer.echo("note: a workspace reads only evidence/*.json", err=True)


@scan_app.command("tls", cls=AssessCommand)
def scan_tls_command(
    targets: list[str] = typer.Argument(
        None, metavar="TARGET", help="host:port, host (port 443) or [IPv6]:port."
    ),
    targets_file: Path | None = typer.Option(
        None,
        "--targets-file",
        metavar="FILE",
        help="More targets, one a line; # starts a comment.",
    ),
    concurrency: int = typer.Option(
        10,
        "--concurrency",
        metavar="N",
        min=1,
        max=1000,
        help="Connections at once (1-1000).",
        show_default="10",
    ),
    timeout: float = typer.Option(
        5.0,
        "--timeout",
        metavar="SECONDS",
        min=0.1,
        max=300,
        help="Seconds allowed to connect, then to handshake (0.1-300).",
        show_default="5",
    ),
    ca_file: list[Path] = typer.Option(
        [],
        "--ca-file",
        metavar="FILE",
        help="Validate against these PEM roots instead of certifi (repeatable).",
    ),
    out: Path = typer.Option(..., "--out", "-o", metavar="FILE", help=OUT_HELP),
    quiet: bool = quiet_option(),
) -> None:
    """Read the certificate chain every TLS target presents (only the targets given)."""
    from assess.evidence.bundles import write_bundle
    from assess.evidence.tls import TlsScanner, TrustStore, read_targets

    found = read_targets(targets or [], targets_file)
    trust = TrustStore.load(ca_file)
    with activity("Scanning TLS endpoints", quiet=quiet, unit="targets") as now:
        scanner = TlsScanner(
            found, trust=trust, concurrency=concurrency, timeout=timeout, ticker=now.tick
        )
        summary = write_bundle(out, scanner)
    _report(out, summary)


@scan_app.command("files", cls=AssessCommand)
def scan_files_command(
    paths: list[Path] = typer.Argument(..., metavar="PATH", help="Files or folders to read."),
    password: list[str] = typer.Option(
        [],
        "--password",
        metavar="PASSWORD",
        help="PKCS#12 password to try after none and empty (repeatable).",
    ),
    timeout: float = typer.Option(
        10.0,
        "--timeout",
        metavar="SECONDS",
        min=0.1,
        max=3600,
        help="Seconds a file may take to answer one read (0.1-3600).",
        show_default="10",
    ),
    out: Path = typer.Option(..., "--out", "-o", metavar="FILE", help=OUT_HELP),
    quiet: bool = quiet_option(),
) -> None:
    """Read certificates and private keys in files, folders, Java keystores and Kubernetes
    secrets."""
    from assess.evidence.bundles import write_bundle
    from assess.evidence.filescan.scanner import FileScanner

    missing = [Problem("no such file or folder", file=p) for p in paths if not os.path.lexists(p)]
    if missing:  # a mistyped path, not evidence of anything
        raise InputError(missing)
    with activity("Reading certificate and key files", quiet=quiet, unit="files") as now:
        summary = write_bundle(
            out, FileScanner(paths, passwords=password, timeout=timeout, ticker=now.tick)
        )
    _report(out, summary)


@evidence_app.command("import", cls=AssessCommand)
def import_command(
    file: Path = typer.Argument(..., metavar="FILE", help="The scanner output or export."),
    format_name: str = format_option(ImportFormat, "What FILE is", required=True),
    mapping: list[str] = typer.Option(
        [], "--map", metavar="COLUMN=FIELD", help="csv: the column holding a field (repeatable)."
    ),
    date_format: str | None = typer.Option(
        None,
        "--date-format",
        metavar="LAYOUT",
        help="csv: the layout of the dates in strptime codes (e.g. '%d/%m/%Y %H:%M') when "
        "they are not ISO 8601 or one layout the file's dates all read in.",
    ),
    collected_at: str | None = typer.Option(
        None,
        "--collected-at",
        metavar="TIME",
        help="When the evidence was collected (ISO 8601), if the file does not say; required "
        "for a flat testssl.sh file, which records no time.",
        show_default="the time in the file, else its modification time (testssl flat: none)",
    ),
    out: Path = typer.Option(..., "--out", "-o", metavar="FILE", help=OUT_HELP),
) -> None:
    """Turn a third-party scanner's output or an inventory export into a bundle (no network)."""
    from assess.evidence.bundles import write_bundle
    from assess.evidence.importers.registry import open_import

    opened = open_import(
        format_name,
        file,
        mapping=mapping,
        date_format=date_format,
        collected_at=collected_at,
    )
    _report(out, write_bundle(out, opened.collector))
    for note in opened.reader.notes():
        typer.echo(f"note: {note}", err=True)
