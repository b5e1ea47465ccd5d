"""The report's fixed prose: every sentence, sub-heading and table header the report prints
whatever the assessment, in one place.

The HTML templates and the Word writer both print these, so a change of wording here reaches
every edition of the report (tests/test_report_docx.py compares the two editions). A sentence is
plain text (escaped like any other value: the templates autoescape it), or a :data:`Phrase`,
runs of text some of which are set as code (a command, a file name): the templates print those
in ``<span class="mono">``, the Word writer in a fixed-width font. Sentences that name a section
of the report or carry its figures are made by :func:`report_prose` once the sections are
numbered. Sections whose text depends on the assessment word it in their own view module; the
forecast section's sentences stay in :mod:`assess.render.view.forecast`.
"""

from __future__ import annotations

from assess.model.base import Frozen
from assess.render.view.narrative import Run

Phrase = tuple[Run, ...]
"""A sentence of runs: plain text and, where ``is_code``, a command or a name set as code."""


def _code(text: str) -> Run:
    return Run(text=text, is_code=True)


def _text(text: str) -> Run:
    return Run(text=text)


def _hash(text: str) -> Run:
    return Run(text=text, is_code=True, is_breakable=True)


class Headings(Frozen):
    """The report's fixed sub-headings (a section's own heading is its SectionRef's title)."""

    about: str = "About this report"
    immediate_actions: str = "Immediate actions"
    below_target: str = "Furthest below target"
    targets_met: str = "Targets met"
    first_steps: str = "First steps (phase 1 of the roadmap)"
    profile: str = "Maturity profile"
    most_improved: str = "Most improved"
    areas_of_concern: str = "Areas of concern"
    practices_moved: str = "Practices that moved"
    participants: str = "Participants"
    answer_scale: str = "Answer scale"
    formulas: str = "How the scores are computed"
    levels: str = "Maturity levels"
    flags: str = "Flags"
    limitations: str = "Limitations"
    sources: str = "Sources"
    metrics: str = "Metrics"
    contradictions: str = "Contradictions"
    highlights: str = "Certificates needing attention"
    findings: str = "Evidence rules evaluated"
    overrides: str = "Assessor overrides"
    not_applicable: str = "Not applicable"
    divergent: str = "Diverging answers"
    unevidenced: str = "Claims held back by the evidence gate"
    open_answers: str = "Open answers"
    verification: str = "Verifying this report"
    inputs: str = "Inputs"
    attached: str = "Attached files"
    with_the_tool: str = "With cmmm-assess"
    with_a_reader: str = "With a PDF reader"


class Prose(Frozen):
    """The report's fixed sentences, by section."""

    headings: Headings = Headings()

    # executive summary
    all_targets_met: str = "Every dimension has reached its target."
    no_target_met: str = "No dimension has reached its target level yet."

    # progress since the last assessment
    no_score_rose: str = "No dimension's score rose."
    no_concern: str = "No dimension fell, regressed or stalled below its target."
    actions_not_compared: str = (
        "Not compared: the previous result was written before results carried immediate actions."
    )
    no_change: str = "None."
    new_since: str = "New since then"
    """Over the immediate actions new since the previous assessment."""
    improved_change: str = "▲ improved"
    regressed_change: str = "▼ regressed"
    scope_change: str = "◇ scope"
    """A practice new, removed or rescoped by a change of the questionnaire."""

    # immediate actions
    actions_without_evidence: str = (
        "No scan evidence was provided: no file, endpoint or certificate was examined, so none "
        "could be named here."
    )
    actions_elsewhere: Phrase = (
        _text("The same list is in the result document ("),
        _code("immediate_actions"),
        _text(") and the roadmap CSV and XLSX exports."),
    )
    """Follows the severity legend under the list of actions."""

    # scope, criteria and method (its facts, the objective among them, are the method view's)
    no_respondents: str = "No respondent's answers were recorded."
    formulas_note: str = (
        "v_p is a practice's effective value after consolidation, override, contradiction cap "
        "and evidence gate; ℓ(p) its level; w_p and W_d the practice and dimension weights. The "
        "method is documented in full, with a worked example, in the tool's methodology."
    )
    limitations: str = (
        "An assessment samples: it rests on the interviews with the participants above and on "
        "the documented and scan evidence cited. A practice judged in place may have "
        "exceptions the sample did not reveal, and the figures describe the state on the "
        "evaluation date only."
    )

    # results by dimension
    dimensions_intro: str = (
        "Every practice of every dimension, in questionnaire order: this is the complete answer "
        "record. The answer counted is shown at the right as a Harvey ball and in words — ○ "
        "not, ◔ partially, ◕ largely, ● fully; a practice is met at largely or better. It is "
        "the answer after consolidation and any assessor override, lowered to partially when "
        "scan evidence contradicts it or the evidence gate holds it back: the word whose value "
        "is v. Where the answer given was higher, it is shown beside, never in its place. Under "
        "each practice: its level, whether it is met, its effective value v, the answer given "
        "when it differs, each respondent's own answer (N not, P partially, L largely, F fully, "
        "? unknown, na not applicable), the evidence behind it, flags, and the respondents' "
        "notes."
    )
    dimension_not_applicable: str = "Not applicable: every practice was answered N/A."

    # roadmap
    roadmap_elsewhere: Phrase = (
        _text("The same plan is attached to the PDF as roadmap.csv and can be exported with "),
        _code("assess report DIR --format roadmap-csv"),
        _text(" or "),
        _code("roadmap-xlsx"),
        _text(" for a tracker."),
    )

    # scan evidence
    evidence_none: str = (
        "No scan evidence was provided. Every answer in this report is self-attested or "
        "supported by the documented evidence references the respondents and assessors cited; "
        "no TLS endpoint, certificate file or inventory export was examined, and no answer was "
        "checked against one."
    )
    evidence_intro: str = (
        "Evidence bundles collected by scans and imports, the metrics computed from them at the "
        "evaluation date, and the questionnaire's evidence rules evaluated against those "
        "metrics."
    )
    no_contradictions: str = "The scan evidence contradicts no answer."

    # assessor judgements
    judgements_intro: str = (
        "Where the assessors replaced the respondents' answer, where a practice was ruled out "
        "of scope, where respondents disagreed, and what remains open. Nothing here is hidden "
        "from the scores: each item is counted as stated."
    )
    no_override: str = "No override."
    all_applicable: str = "Every practice applies."
    no_divergence: str = "The respondents did not diverge by two steps or more on any practice."
    all_answered: str = "Every practice has an answer."

    # appendix A
    attachments_intro: str = (
        "The PDF edition of this report carries these files as attachments (PDF/A-3 associated "
        "files), so the data travels with the document:"
    )

    # appendix B
    redacted_inputs: str = (
        "Input paths below are masked the same way; their hashes are those of the original, "
        "unredacted files, so the assessor can still show which files the report was made "
        "from."
    )
    """Follows the redaction note at the head of appendix B of a redacted copy."""

    # the header rows of the report's tables
    focus_header: tuple[str, ...] = ("#", "Step", "Dimension", "Effort", "Owner")
    progress_header: tuple[str, ...] = (
        "Dimension",
        "Previous",
        "Now",
        "Target",
        "ΔL",
        "ΔS",
        "Direction",
    )
    changes_header: tuple[str, ...] = ("Practice", "Dimension", "Change", "Previous", "Now")
    actions_header: tuple[str, ...] = ("Severity", "Finding", "Subject and detail")
    participants_header: tuple[str, ...] = ("Ref.", "Name", "Role", "Interviewed", "Answers")
    scale_header: tuple[str, ...] = ("Answer", "Value", "Meaning")
    sources_header: tuple[str, ...] = (
        "Bundle",
        "Collector",
        "Collected",
        "Tool",
        "Observations",
        "Errors",
        "Freshness",
    )
    metrics_header: tuple[str, ...] = ("Metric", "Measured", "Sample")
    contradictions_header: tuple[str, ...] = (
        "Practice",
        "Rule (fires at) and measurement",
        "Consequence",
    )
    highlights_header: tuple[str, ...] = (
        "Certificate (CN)",
        "Issuer (CN)",
        "Not after",
        "Seen at",
        "Problems",
    )
    findings_header: tuple[str, ...] = (
        "Practice",
        "Rule (fires at)",
        "Measured",
        "Effect",
        "Outcome",
    )
    overrides_header: tuple[str, ...] = ("Practice", "Justification", "Answer", "Evidence")
    not_applicable_header: tuple[str, ...] = ("Practice", "Reason", "Outcome")
    divergent_header: tuple[str, ...] = ("Practice", "Answers given", "Outcome")
    unevidenced_header: tuple[str, ...] = ("Practice", "Why", "Answers given")
    open_answers_header: tuple[str, ...] = ("Practice", "State", "Answers given")
    attachments_header: tuple[str, ...] = ("File", "Content")
    inputs_header: tuple[str, ...] = ("Role", "File", "Bytes", "SHA-256")
    attached_header: tuple[str, ...] = ("File", "Bytes", "SHA-256")

    # sentences that name a section or carry the report's figures: made by report_prose
    about: tuple[Phrase, ...] = ()
    """Under the contents: what the report is, how its figures tie to its data, who may read
    it."""
    verification_steps: tuple[Phrase, ...] = ()
    """Appendix A: how to tie the PDF's attachments to the report."""
    manifest_intro: Phrase = ()
    """Appendix B: what the manifest is, with the result's hash and the report id."""
    tool_steps: tuple[Phrase, ...] = ()
    """Appendix B: verifying with cmmm-assess."""
    reader_steps: tuple[Phrase, ...] = ()
    """Appendix B: verifying with a PDF reader."""
    targets_note: str = ""
    """Under the answer scale: where the targets and weights are."""
    manifest_description: str = ""
    """The manifest's row in appendix A's table of attachments; empty without appendix B."""


class Figures(Frozen):
    """What the report's prose names: the numbers of sections, the result's hash and the
    report id, the evaluation date, the sign-off boxes' signature fields."""

    overview: str
    """The number of the results at a glance."""
    conclusion: str
    """The number of the conclusion and sign-off."""
    integrity: str | None
    """The number of appendix B, when the report has a manifest."""
    appendix: str
    """The letter of appendix A, the embedded files."""
    result_sha256: str
    report_id: str
    created: str
    """The evaluation date, ISO 8601."""
    evaluated_at: str
    """The evaluation date in words."""
    organisation: str
    classification: str
    result_file: str
    """The name of the embedded result document."""
    baseline_file: str
    """The name of the embedded baseline result, when the report compares with one; else
    empty."""
    is_redacted: bool
    signature_fields: tuple[str, ...]


def _about(f: Figures) -> tuple[Phrase, ...]:
    baseline = (
        ", and the progress section's previous figures from the earlier result embedded beside "
        f"it ({f.baseline_file}), whose hash the manifest records"
        if f.baseline_file
        else ""
    )
    return (
        (
            _text(
                f"This report records a certificate-management maturity assessment of "
                f"{f.organisation} evaluated on {f.evaluated_at}. Every figure in it can be "
                f"recomputed from the result document embedded in the PDF ({f.result_file})"
                f"{baseline}; the report id "
            ),
            _code(f.report_id),
            _text(
                " printed on every page is the start of that document's SHA-256, so a printed "
                f"copy can be tied to its data (appendix {f.appendix})."
            ),
        ),
        (
            _text("Classification: "),
            Run(text=f.classification, is_bold=True),
            _text(f". Distribution is limited to the recipients agreed with {f.organisation}."),
        ),
    )


def _verification_steps(f: Figures) -> tuple[Phrase, ...]:
    steps: list[Phrase] = [
        (
            _text(
                "List and extract the attachments with any PDF reader's attachment pane, or with "
            ),
            _code("pdfdetach -list report.pdf"),
            _text(" and "),
            _code("pdfdetach -saveall report.pdf"),
            _text("."),
        ),
        (
            _text("Compute the SHA-256 of result.json ("),
            _code("sha256sum result.json"),
            _text("). It must equal "),
            _hash(f.result_sha256),
            _text("; its first twelve digits are the report id "),
            _code(f.report_id),
            _text(" printed on every page."),
        ),
    ]
    if not f.is_redacted:
        steps.append(
            (
                _text("Re-score the assessment folder with "),
                _code(f"assess score DIR --json --at {f.created}"),
                _text(": the output is byte for byte the same result.json."),
            )
        )
    return tuple(steps)


def _tool_steps(f: Figures) -> tuple[Phrase, ...]:
    return (
        (
            _code("assess verify report.pdf --trust signer-cert.pem"),
            _text(
                " checks that the signature is valid, made by the certificate you trust, and "
                "covers the whole file (nothing was changed after signing), and that every "
                "attachment matches this manifest. Exit code 0 means valid; 1 names what failed."
            ),
        ),
        (
            _text("Add "),
            _code("--workspace DIR"),
            _text(
                " to check that the assessment folder still holds exactly these inputs"
                + (" (a redacted copy is matched by hash)" if f.is_redacted else "")
                + "."
            ),
        ),
        (
            _text(
                "Obtain the signer's certificate from the signer, not from the PDF: a "
                "certificate made with "
            ),
            _code("assess keygen"),
            _text(
                " is self-signed, and anyone can make one with any name on it. Compare its "
                "SHA-256 fingerprint with the one "
            ),
            _code("assess verify"),
            _text(" prints."),
        ),
    )


def _reader_steps(f: Figures) -> tuple[Phrase, ...]:
    fields = f.signature_fields
    if fields:
        where: Phrase = (
            _text(
                f"Open the signature panel. The signature sits in the sign-off box of section "
                f"{f.conclusion} (field{'s' if len(fields) > 1 else ''} {', '.join(fields)})."
            ),
        )
    else:
        where = (
            _text(
                "Open the signature panel. This draft has no sign-off box: a signature made with "
            ),
            _code("assess sign --allow-draft"),
            _text(" is invisible on the page and listed in the panel."),
        )
    return (
        (
            *where,
            _text(
                " A reader reports the document unchanged since signing; with a self-signed or "
                "private certificate it also says the signer's identity is unknown until you "
                "trust that certificate yourself."
            ),
        ),
        (
            _text("Without the tool: "),
            _code("pdfsig report.pdf"),
            _text(" (Poppler) or "),
            _code("pyhanko sign validate --trust signer-cert.pem report.pdf"),
            _text("; then extract "),
            _code("manifest.json"),
            _text(" and the other attachments ("),
            _code("pdfdetach -saveall report.pdf"),
            _text(") and compare "),
            _code("sha256sum"),
            _text(" of each with the table above."),
        ),
    )


def report_prose(f: Figures) -> Prose:
    """The report's prose, with the sections, hashes and fields it names."""
    return Prose(
        targets_note=(
            f"Targets and dimension weights are listed with the results in section {f.overview}."
        ),
        manifest_description=(
            "The manifest: SHA-256 of every input file, of the result and of every other "
            f"attachment (appendix {f.integrity})."
            if f.integrity is not None
            else ""
        ),
        about=_about(f),
        verification_steps=_verification_steps(f),
        manifest_intro=(
            _text("The manifest below, attached to the PDF as "),
            _code("manifest.json"),
            _text(
                ", lists every file this report was made from and every file it carries, each "
                "with its SHA-256. The result document's hash is "
            ),
            _hash(f.result_sha256),
            _text("; report "),
            _code(f.report_id),
            _text("."),
        ),
        tool_steps=_tool_steps(f),
        reader_steps=_reader_steps(f),
    )
