"""How large and how deep the tool's inputs may be (docs/cli.md, Limits).

Every input file is read through :func:`assess.support.files.read_bytes` with the size limit of
its kind, and only when it is a regular file: a named pipe would hang the tool, ``/dev/zero``
would fill the memory. The limits are far above real inputs (the demo's answers files are under
10 KB, its result documents 150 KB, its largest bundle 330 KB for 473 certificates) and keep a
hostile or mistaken file from exhausting the machine: past one, the file is refused unread with
one message naming it.
"""

from __future__ import annotations

from dataclasses import dataclass

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


@dataclass(frozen=True)
class SizeLimit:
    """The largest file of one kind of input the tool reads."""

    kind: str
    """What the file is, as messages say it (``an answers file``)."""
    max_bytes: int
    """Files larger than this are refused unread."""


ASSESSMENT = SizeLimit("an assessment file", 4 * MiB)
"""``assessment.yaml``: a few kilobytes of settings and overrides."""
ANSWERS = SizeLimit("an answers file", 16 * MiB)
"""``answers/*.yaml``: one respondent's answers, notes and evidence references."""
QUESTIONNAIRE = SizeLimit("a questionnaire", 16 * MiB)
"""A questionnaire or tailoring file (the bundled CMMM questionnaire is 60 KB)."""
RESULT = SizeLimit("a result document", 64 * MiB)
"""A result document read back (``compare``, ``trend``, ``--baseline``)."""
BUNDLE = SizeLimit("an evidence bundle", 1 * GiB)
"""``evidence/*.json``: about 840 bytes a certificate as ``write_bundle`` writes it, so some 1.2
million certificates."""
IMPORT = SizeLimit("a file to import", 1 * GiB)
"""Third-party scanner output or an inventory export (``assess evidence import``)."""
SCHEDULE = SizeLimit("a schedule file", 4 * MiB)
"""A schedule file (``--schedule``): a few dozen rows in real use."""
NARRATIVE = SizeLimit("a narrative file", 1 * MiB)
"""``narrative/*.md``: the assessor's findings, a few pages of Markdown at most."""
TEMPLATE = SizeLimit("a template", 16 * MiB)
"""A report template or a file a template inlines (``asset_data_uri``)."""
INPUT = SizeLimit("an input file", 1 * GiB)
"""Any other input: a report to sign or verify, a key, a certificate."""

MAX_YAML_NESTING = 100
"""The deepest a YAML input may nest mappings and lists (real files nest fewer than 10)."""
MAX_JSON_NESTING = 500
"""JSON nested this deep is always read (the tool's documents nest fewer than 10 levels);
deeper, up to the depth Python's JSON reader manages (about 900), it may be."""


def size_text(count: int) -> str:
    """A byte count as messages give it: ``512 bytes``, ``16 KiB``, ``2.5 MiB``, ``2 GiB``."""
    unit, name = next(((u, n) for u, n in _UNITS if count >= u), (1, "bytes"))
    if unit == 1:
        return f"{count:,} bytes"
    value = count / unit
    return f"{value:.0f} {name}" if value == int(value) else f"{value:.1f} {name}"


_UNITS = ((GiB, "GiB"), (MiB, "MiB"), (KiB, "KiB"))
