"""`assess sign`, `assess verify` and `assess keygen`: auditor integrity."""

from __future__ import annotations

import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer

from assess.cli._activity import activity, quiet_option
from assess.cli._app import app, relative
from assess.cli._help import AssessCommand
from assess.support.errors import CheckFailed, InputError, Problem


def _quiet_pyhanko() -> None:
    # pyHanko logs every failed path search with a traceback; the verdict says it in words.
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _passphrase_for(key_data: bytes) -> bytes | None:
    from assess.integrity.keys import PASSPHRASE_ENV, is_encrypted_key

    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value.encode("utf-8")
    if is_encrypted_key(key_data) and sys.stdin.isatty():
        entered: str = typer.prompt("Key passphrase", hide_input=True)
        return entered.encode("utf-8")
    return None


@app.command("keygen", cls=AssessCommand)
def keygen_command(
    name: str = typer.Option(
        ..., "--name", metavar="NAME", help="The signer's name (the certificate's CN)."
    ),
    organisation: str = typer.Option("", "--org", metavar="ORG", help="The signer's organisation."),
    email: str = typer.Option(
        "", "--email", metavar="ADDRESS", help="The signer's e-mail address."
    ),
    key_out: Path = typer.Option(
        Path("signing-key.pem"),
        "--key-out",
        metavar="FILE",
        help="Where to write the private key (mode 0600).",
        show_default="signing-key.pem",
    ),
    cert_out: Path = typer.Option(
        Path("signing-cert.pem"),
        "--cert-out",
        metavar="FILE",
        help="Where to write the certificate.",
        show_default="signing-cert.pem",
    ),
    days: int = typer.Option(
        825,
        "--days",
        metavar="N",
        min=1,
        max=3650,
        help="Validity in days (1-3650).",
        show_default="825",
    ),
    no_passphrase: bool = typer.Option(
        False, "--no-passphrase", help="Write the key unencrypted (for CI secrets stores)."
    ),
) -> None:
    """Create a self-signed RSA signing key and certificate for `assess sign`.

    The key is encrypted with a passphrase from ASSESS_KEY_PASSPHRASE or asked for twice. A
    self-signed certificate proves who signed only to someone who got it from you: send the
    certificate (never the key) to your readers, or its SHA-256 fingerprint printed here.
    """
    from assess.integrity.keys import (
        PASSPHRASE_ENV,
        certificate_fingerprint,
        make_self_signed,
        read_certificates,
    )
    from assess.support.files import atomic_write

    for path in (key_out, cert_out):
        if path.exists():
            raise InputError(
                Problem("already exists; keygen never overwrites a key or certificate", file=path)
            )
    passphrase: bytes | None = None
    if not no_passphrase:
        value = os.environ.get(PASSPHRASE_ENV)
        if not value:
            if not sys.stdin.isatty():
                raise InputError(
                    "a passphrase for the new key is needed",
                    hint=f"set {PASSPHRASE_ENV}, run in a terminal, or pass --no-passphrase",
                )
            value = typer.prompt(
                "Passphrase for the new key", hide_input=True, confirmation_prompt=True
            )
        passphrase = value.encode("utf-8")
    key_pem, cert_pem = make_self_signed(
        name,
        organisation=organisation,
        email=email,
        days=days,
        now=datetime.now(UTC),
        passphrase=passphrase,
    )
    atomic_write(key_out, key_pem, mode=0o600)
    atomic_write(cert_out, cert_pem)
    certificate = read_certificates(cert_pem, cert_out)[0]
    typer.echo(
        f"wrote {relative(key_out)} (RSA private key, "
        f"{'encrypted' if passphrase else 'NOT encrypted'}, mode 0600)"
    )
    typer.echo(f"wrote {relative(cert_out)} (self-signed certificate for {name}, {days} days)")
    typer.echo(f"certificate SHA-256 fingerprint: {certificate_fingerprint(certificate)}")
    typer.echo(
        "give your readers the certificate or this fingerprint through a channel they trust; "
        "keep the key to yourself"
    )


@app.command("sign", cls=AssessCommand)
def sign_command(
    report: Path = typer.Argument(..., metavar="REPORT.pdf", help="A PDF assess report wrote."),
    key: Path = typer.Option(
        ..., "--key", metavar="FILE", help="The signer's RSA private key (PEM or DER)."
    ),
    cert: Path = typer.Option(
        ...,
        "--cert",
        metavar="FILE",
        help="The signer's certificate (PEM; may be followed by its chain).",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        metavar="FILE",
        help="Where to write the signed PDF.",
        show_default="REPORT.signed.pdf",
    ),
    field: str = typer.Option(
        "AssessorSignature",
        "--field",
        metavar="NAME",
        help="The sign-off box to sign: AssessorSignature, AssessorSignature2…, ClientSignature.",
        show_default="AssessorSignature",
    ),
    chain: list[Path] = typer.Option(
        [],
        "--chain",
        metavar="FILE",
        help="Intermediate CA certificates to embed (repeatable).",
    ),
    timestamp_url: str | None = typer.Option(
        None,
        "--timestamp-url",
        metavar="URL",
        help="An RFC 3161 timestamp server (PAdES B-T); needs network.",
    ),
    allow_draft: bool = typer.Option(
        False, "--allow-draft", help="Sign a draft report (practices unanswered) all the same."
    ),
    quiet: bool = quiet_option(),
) -> None:
    """Sign a report: a PAdES approval signature on its sign-off box.

    The key's passphrase is read from ASSESS_KEY_PASSPHRASE, or asked for (hidden) in a
    terminal. RSA keys only: ECDSA would make the PDF 2.0 and break its PDF/A-3 conformance.
    """
    from assess.integrity.keys import load_identity, read_certificates
    from assess.integrity.sign import sign_report, unanswered_in
    from assess.support.files import atomic_write, read_bytes

    _quiet_pyhanko()
    if timestamp_url is not None:
        from urllib.parse import urlsplit

        parts = urlsplit(timestamp_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"--timestamp-url: '{timestamp_url}' is not an http(s) URL",
                hint="for example https://timestamp.example/tsa (your CA names its server)",
            )
    target = out if out is not None else report.with_suffix(".signed.pdf")
    if out is None and target.exists():
        raise InputError(
            Problem("exists already: signing again would replace it", file=target),
            hint="give another file with --out, or remove it first",
        )
    pdf = read_bytes(report)
    if (unanswered := unanswered_in(pdf)) and not allow_draft:
        raise CheckFailed(
            f"{relative(report)} is a DRAFT: {unanswered} practices are unanswered, so it was "
            "not signed",
            hint="answer them and make the report again, or sign the draft with --allow-draft",
        )
    key_data = read_bytes(key)
    cert_data = read_bytes(cert)
    extra = [c for path in chain for c in read_certificates(read_bytes(path), path)]
    identity = load_identity(
        key_data, key, cert_data, cert, passphrase=_passphrase_for(key_data), chain=extra
    )
    try:
        with activity(f"Signing {relative(report)}", quiet=quiet):
            signed = sign_report(
                pdf,
                identity,
                field=field,
                signed_at=datetime.now(UTC),
                timestamp_url=timestamp_url,
            )
    except InputError as error:
        raise error.about(report) from None
    atomic_write(target, signed.data)
    where = "in its sign-off box" if signed.is_visible else "invisibly (no such sign-off box)"
    typer.echo(f"wrote {relative(target)} (signed {where}, field {signed.field})")


@app.command("verify", cls=AssessCommand)
def verify_command(
    report: Path = typer.Argument(..., metavar="REPORT.pdf", help="A report PDF."),
    trust: list[Path] = typer.Option(
        [],
        "--trust",
        metavar="CERT",
        help="A certificate you trust: the signer's own, or their CA (repeatable).",
    ),
    workspace: Path | None = typer.Option(
        None,
        "--workspace",
        metavar="DIR",
        help="The assessment folder: check its inputs against the manifest.",
    ),
) -> None:
    """Verify a report: signature, no change since, attachments and inputs.

    Checks the signature and that nothing changed after signing, the attachments against the
    manifest and, with --workspace, the inputs. Exit 0 valid, 1 invalid, 2 not a report."""
    from assess.integrity.keys import read_certificates
    from assess.integrity.verify import verify_report
    from assess.support.files import read_bytes

    _quiet_pyhanko()
    anchors = [c for path in trust for c in read_certificates(read_bytes(path), path)]
    try:
        found = verify_report(read_bytes(report), trust=anchors, workspace=workspace)
    except InputError as error:
        raise error.about(report) from None
    except CheckFailed as error:  # a damaged report: not valid, and which file it is
        raise CheckFailed(f"{report}: {error.message}", hint=error.hint) from None
    heading = f"report {found.report_id}"
    if found.organisation:
        heading += f" ({found.organisation}, evaluated {found.evaluated_at.isoformat()})"
    if found.is_redacted:
        heading += ", REDACTED copy"
    typer.echo(heading)
    for check in found.signatures:
        when = f" on {check.signed_at:%Y-%m-%d %H:%M %Z}" if check.signed_at else ""
        typer.echo(f"signature {check.field}: {check.signer}{when}")
        if check.is_self_signed:
            typer.echo(
                "  SELF-SIGNED certificate: anyone can make one with any name on it; it "
                "identifies the signer only if you got it (or its fingerprint) from them"
            )
        typer.echo(f"  certificate SHA-256 {check.certificate_sha256}")
        if not check.has_timestamp:
            typer.echo("  signing time as claimed by the signer (no timestamp server)")
    for line in found.checks:
        typer.echo(f"ok: {line}")
    if not found.is_valid:
        for line in found.problems:
            typer.echo(f"FAILED: {line}")
        raise CheckFailed(f"{relative(report)} is NOT valid: {found.problems[0]}")
    typer.echo(f"{relative(report)} is VALID")
