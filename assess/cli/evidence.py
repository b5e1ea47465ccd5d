"""`assess scan tls|files` and `assess evidence import`: collect evidence bundles."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assess.cli._app import relative, sub_app
from assess.evidence.importers.formats import ImportFormat
from assess.support.errors import InputError, Problem

if TYPE_CHECKING:
    from datetime import datetime

    from assess.evidence.bundles import WriteSummary
    from assess.evidence.importers.interface import Importer
    from assess.evidence.interface import Collector, Ticker

scan_app = sub_app("scan", "Scan TLS endpoints or certificate files into an evidence bundle.")
evidence_app = sub_app("evidence", "Import third-party scanner output or inventories as evidence.")

OUT_HELP = "Bundle to write, typically WORKSPACE/evidence/NAME.json (written atomically)."
FORMAT_HELP = "; ".join(f"{f.value}: {f.description}" for f in ImportFormat) + "."


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


def _progress_bar() -> Ticker | None:
    """A one-line progress bar on stderr when it is a terminal; nothing otherwise."""
    stream = sys.stderr
    if not stream.isatty():
        return None

    def show(finished: int, total: int | None) -> None:
        width = 30
        filled = finished * width // max(total or 1, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {finished}/{total} targets")
        if finished == total:
            stream.write("\n")
        stream.flush()

    return show


@scan_app.command("tls")
def scan_tls_command(
    targets: list[str] = typer.Argument(
        None,
        metavar="TARGET…",
        help="host:port, host (port 443) or [IPv6]:port.",
        show_default=False,
    ),
    targets_file: Path | None = typer.Option(
        None, "--targets-file", help="More targets, one a line; # starts a comment."
    ),
    concurrency: int = typer.Option(
        10, "--concurrency", min=1, max=1000, help="Connections at once."
    ),
    timeout: float = typer.Option(
        5.0, "--timeout", min=0.1, max=300, help="Seconds allowed to connect, then to handshake."
    ),
    ca_file: list[Path] = typer.Option(
        [], "--ca-file", help="Validate against these PEM roots instead of certifi (repeatable)."
    ),
    out: Path = typer.Option(..., "--out", help=OUT_HELP),
) -> None:
    """Read the certificate chain every TLS target presents (only the targets given)."""
    from assess.evidence.bundles import write_bundle
    from assess.evidence.tls import TlsScanner, TrustStore, read_targets

    found = read_targets(targets or [], targets_file)
    scanner = TlsScanner(
        found,
        trust=TrustStore.load(ca_file),
        concurrency=concurrency,
        timeout=timeout,
        ticker=_progress_bar(),
    )
    _report(out, write_bundle(out, scanner))


@scan_app.command("files")
def scan_files_command(
    paths: list[Path] = typer.Argument(..., metavar="PATH…", help="Files or folders to read."),
    password: list[str] = typer.Option(
        [], "--password", help="PKCS#12 password to try after none and empty (repeatable)."
    ),
    timeout: float = typer.Option(
        10.0, "--timeout", min=0.1, max=3600, help="Seconds a file may take to answer one read."
    ),
    out: Path = typer.Option(..., "--out", help=OUT_HELP),
) -> None:
    """Read certificates and private keys in files, folders, Java keystores and Kubernetes
    secrets."""
    from assess.evidence.bundles import write_bundle
    from assess.evidence.filescan.scanner import FileScanner

    missing = [Problem("no such file or folder", file=p) for p in paths if not os.path.lexists(p)]
    if missing:  # a mistyped path, not evidence of anything
        raise InputError(missing)
    _report(out, write_bundle(out, FileScanner(paths, passwords=password, timeout=timeout)))


@evidence_app.command("import")
def import_command(
    file: Path = typer.Argument(..., metavar="FILE", help="The scanner output or export."),
    format_name: str = typer.Option(..., "--format", help=FORMAT_HELP, metavar="FORMAT"),
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
        help="When the evidence was collected (ISO 8601) if the file does not say; "
        "default: the date in the file, else its modification time.",
    ),
    out: Path = typer.Option(..., "--out", help=OUT_HELP),
) -> None:
    """Turn a third-party scanner's output or an inventory export into a bundle (no network)."""
    from assess.evidence.bundles import write_bundle
    from assess.evidence.importers.inventory import parse_mapping
    from assess.evidence.importers.registry import importer_for
    from assess.evidence.interface import CollectorError, Retimed
    from assess.support.errors import InputError, Problem

    importer = importer_for(format_name.strip().lower())
    if mapping and importer.format is not ImportFormat.CSV:
        raise CollectorError("--map applies to --format csv only")
    if date_format is not None and importer.format is not ImportFormat.CSV:
        raise CollectorError("--date-format applies to --format csv only")
    if not file.is_file():
        raise InputError(Problem("no such file" if not file.exists() else "not a file", file=file))
    if importer.format is ImportFormat.CSV:
        from assess.evidence.importers.inventory import InventoryImporter

        reader: Importer = InventoryImporter(file, parse_mapping(mapping), date_format=date_format)
    else:
        reader = importer(file, parse_mapping(mapping))
    collector: Collector = reader
    if collected_at is not None:
        collector = Retimed(collector, _moment(collected_at))
    _report(out, write_bundle(out, collector))
    for note in reader.notes():
        typer.echo(f"note: {note}", err=True)


def _moment(text: str) -> datetime:
    from datetime import UTC, datetime

    from assess.support.errors import InputError

    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--collected-at: '{text}' is not an ISO 8601 date or time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
