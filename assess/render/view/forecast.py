"""The section "Readiness for shorter lifetimes and post-quantum" (forecast.md), and its line
in the executive summary.

The figures are the forecast's (:mod:`assess.method.forecast`, gathered by the engine); this
module only words them, for the HTML and PDF report, the Word report and the terminal.
"""

from __future__ import annotations

from assess.model.base import Frozen
from assess.model.forecast import Forecast, ForecastLeaf, ForecastReading, Phase
from assess.model.manifest import FORECAST_ATTACHMENT, INVENTORY_ATTACHMENT
from assess.model.schedule import LifetimeCap, Milestone, Retires, Schedule, SourceStatus
from assess.render.charts import RenewalChart, renewal_chart
from assess.render.view.blocks import Figure, SectionRef, TableRow
from assess.render.view.formatting import long_date
from assess.support.distinguished_names import common_name

MINUTES_SOURCE = (
    "Vendor readiness calculators count 30 minutes per manual renewal (CertAutopilot's 47-day "
    "readiness dashboard); the Keyfactor/Forrester Total Economic Impact study measured 25 "
    "minutes for a renewal alone and 70 for a new deployment."
)
"""Where the default minutes per manual renewal come from."""
MINUTES_INVITATION = (
    "Your own figure is better than either: time a few manual renewals, from request to "
    "deployment, and set manual_renewal_minutes in assessment.yaml."
)
STATUS_WORDS = {SourceStatus.DRAFT: "draft", SourceStatus.FINAL: "final"}
LOCATIONS_SHOWN = 2
OVERDUE = "overdue"
"""Beside a renew-by date on the evaluation date or earlier."""
NOT_JUDGED = "whose trust no scan judged"
"""The capped leaves without a trust verdict, as every sentence names them."""


def figure(value: float) -> str:
    """A yearly figure as the section prints it: one decimal, thousands separated."""
    return f"{value:,.1f}"


def cap_text(days: int) -> str:
    """``100 days``."""
    return f"{days} days" if days != 1 else "1 day"


def cap_name(days: int) -> str:
    """``the 100-day cap``."""
    return f"the {days}-day cap"


class PhaseRow(Frozen):
    """One row of the phases table."""

    effective_from: str
    cap: str
    in_force: str
    """``in force`` for the current phase, else ``from 15 March 2027``."""
    renewals: str
    automated: str
    manual: str
    manual_hours: str
    over_cap: str
    source: str
    """The schedule row's source and status."""
    is_current: bool


class ReachedRow(Frozen):
    """A capped manual leaf the next cap reaches."""

    name: str
    issuer: str
    issuer_trust: str
    """``publicly trusted``, or ``trust not judged`` (and, when its chain in the evidence ends at
    a root that is not public, that root)."""
    lifetime: str
    renew_by: str
    renew_by_status: str
    """:data:`OVERDUE` when the renew-by date has passed at the evaluation date, else empty."""
    locations: str
    sha256: str


class ForecastSection(Frozen):
    """The forecast section and its summary line."""

    section: SectionRef
    has_leaves: bool
    intro: str
    population: str
    private_hints: tuple[str, ...]
    """Not-judged leaves whose chain, in the evidence, ends at a root that is not public, and
    how to have them judged: one sentence per root."""
    settings: str
    minutes_note: str
    phases: tuple[PhaseRow, ...]
    chart: RenewalChart
    chart_rows: tuple[TableRow, ...]
    """The chart's data, printed beside it."""
    reached_heading: str
    reached: tuple[ReachedRow, ...]
    reached_note: str
    post_quantum: tuple[Figure, ...]
    milestones: tuple[TableRow, ...]
    """Post-quantum milestones of the schedule: after, what, source, status."""
    schedule_note: str
    summary_line: str
    """One line for the executive summary."""


def _cap_of(schedule: Schedule, phase: Phase) -> LifetimeCap:
    return next(c for c in schedule.lifetime_caps if c.effective_from == phase.effective_from)


def _phase_row(phase: Phase, schedule: Schedule) -> PhaseRow:
    cap = _cap_of(schedule, phase)
    reuse = [r for r in schedule.dcv_reuse if r.effective_from <= phase.effective_from]
    validation = (
        f"; domain validation reused for at most {cap_text(reuse[-1].max_reuse_days)}"
        if reuse
        else ""
    )
    return PhaseRow(
        effective_from=long_date(phase.effective_from),
        cap=cap_text(phase.max_validity_days),
        in_force="in force" if phase.current else f"from {long_date(phase.effective_from)}",
        renewals=figure(phase.renewals_per_year),
        automated=figure(phase.renewals_per_year - phase.manual_renewals_per_year),
        manual=figure(phase.manual_renewals_per_year),
        manual_hours=figure(phase.manual_hours_per_year),
        over_cap=str(phase.leaves_over_cap),
        source=f"{cap.source} ({STATUS_WORDS[cap.status]}){validation}",
        is_current=phase.current,
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _population(forecast: Forecast) -> str:
    p = forecast.population
    if p.capped == 0:
        capped = "none counted under the CA/Browser Forum caps"
    elif p.not_judged == 0:
        capped = (
            f"{p.capped:,} counted under the CA/Browser Forum caps, "
            f"{'' if p.capped == 1 else 'all '}known publicly trusted"
        )
    else:
        capped = (
            f"{p.capped:,} counted under the CA/Browser Forum caps ({p.publicly_trusted:,} known "
            f"publicly trusted; {p.not_judged:,} {NOT_JUDGED}, counted as capped as the method "
            "says)"
        )
    return (
        f"{_plural(p.leaves, 'leaf certificate', 'leaf certificates')} of fresh evidence valid "
        f"on {long_date(forecast.evaluated_at)}: {capped}, {p.private:,} known to come from "
        f"private CAs; {p.automated:,} carry an automation marker, {p.manual:,} are renewed by "
        "hand. A certificate is known publicly trusted when a TLS scan validated its chain "
        "against public roots or crt.sh lists it, known private when a scan found it untrusted "
        "against public roots or trusted only against the roots the assessor gave."
    )


def _quoted(name: str) -> str:
    return f"'{common_name(name) or name}'"


def _trust(leaf: ForecastLeaf, roots: dict[str, str]) -> str:
    if leaf.is_public:
        return "publicly trusted"
    root = roots.get(leaf.issuer)
    return "trust not judged" + (f"; chains to {_quoted(root)}, not public" if root else "")


def _hints(reading: ForecastReading) -> tuple[str, ...]:
    judged = reading.forecast.population.not_judged
    sentences = []
    for hint in reading.private_hints:
        root = _quoted(hint.root)
        through = " and ".join(f"'{name}'" for name in hint.through)
        path = f"through {through} to {root}" if through else f"to {root}"
        what = (
            "a self-signed root that is not one of the public roots"
            if hint.root_seen
            else "a root the evidence does not hold and that no public root is named after"
        )
        sentences.append(
            f"Of the {judged:,} {NOT_JUDGED}, {hint.leaves:,} chain {path} (as the CA "
            f"certificates in {', '.join(hint.sources)} show), {what} (the public roots are "
            "certifi's, those assess scan tls judges chains against): by all appearances a "
            "private CA. They stay counted under the caps until a scan judges them: scan their "
            f"endpoints with assess scan tls --ca-file ROOT.pem, ROOT.pem holding the {root} "
            "certificate, to count them as private."
        )
    return tuple(sentences)


def _settings(reading: ForecastReading) -> str:
    f = reading.forecast
    lead = "the default" if reading.lead_is_default else "as assessment.yaml sets renewal_lead"
    minutes = (
        "the default"
        if reading.minutes_is_default
        else "as assessment.yaml sets manual_renewal_minutes"
    )
    return (
        f"A certificate is renewed when {f.renewal_lead:.0%} of its lifetime remains ({lead}); "
        f"one manual renewal takes {f.manual_renewal_minutes:g} minutes ({minutes})."
    )


def _chart(forecast: Forecast) -> tuple[RenewalChart, tuple[TableRow, ...]]:
    bars = [
        (
            (f"from {p.effective_from.isoformat()}", cap_text(p.max_validity_days)),
            p.manual_renewals_per_year,
            p.renewals_per_year - p.manual_renewals_per_year,
            figure(p.renewals_per_year),
        )
        for p in forecast.phases
    ]
    chart = renewal_chart(
        bars,
        title="Renewals a year by lifetime cap, manual and automated",
        description=(
            "One bar per lifetime cap of the CA/Browser Forum schedule, from the cap in force: "
            "manual renewals hatched at the bottom, automated ones in light grey on top, the "
            "total over the bar. "
            + "; ".join(
                f"{cap_text(p.max_validity_days)} cap: {figure(p.renewals_per_year)} a year, "
                f"{figure(p.manual_renewals_per_year)} manual"
                for p in forecast.phases
            )
            + "."
        ),
    )
    rows = tuple(
        TableRow(
            cells=(
                cap_text(p.max_validity_days),
                figure(p.manual_renewals_per_year),
                figure(p.renewals_per_year - p.manual_renewals_per_year),
                figure(p.renewals_per_year),
            )
        )
        for p in forecast.phases
    )
    return chart, rows


def _reached(reading: ForecastReading) -> tuple[str, tuple[ReachedRow, ...], str]:
    forecast = reading.forecast
    phase = forecast.next_phase or forecast.current
    if phase is None:
        return "", (), ""
    when = (
        f"{cap_name(phase.max_validity_days)} from {long_date(phase.effective_from)}"
        if phase is forecast.next_phase
        else f"{cap_name(phase.max_validity_days)} in force"
    )
    heading = f"Certificates renewed by hand that {when} reaches first"
    roots = {issuer: hint.root for hint in reading.private_hints for issuer in hint.issuers}
    rows = tuple(
        ReachedRow(
            name=common_name(r.leaf.subject) or r.leaf.subject or "(no subject)",
            issuer=common_name(r.leaf.issuer) or r.leaf.issuer,
            issuer_trust=_trust(r.leaf, roots),
            lifetime=f"{r.lifetime_days:.0f} days",
            renew_by=r.renew_by.date().isoformat(),
            renew_by_status=OVERDUE if r.overdue else "",
            locations=", ".join(r.leaf.locations[:LOCATIONS_SHOWN])
            + (
                f" and {len(r.leaf.locations) - LOCATIONS_SHOWN} more"
                if len(r.leaf.locations) > LOCATIONS_SHOWN
                else ""
            ),
            sha256=r.leaf.identity,
        )
        for r in reading.reached
    )
    if not reading.reached_total:
        note = f"No certificate renewed by hand has a lifetime {when} cuts."
    else:
        shown = len(rows)
        listed = (
            f"all {reading.reached_total:,} are listed"
            if shown == reading.reached_total
            else f"the first {shown} of {reading.reached_total:,} are listed"
        )
        overdue = reading.reached_overdue
        first = (
            f", so the {overdue:,} whose renew-by date is {long_date(forecast.evaluated_at)} or "
            f"earlier (marked {OVERDUE}) lead the list"
            if overdue
            else ""
        )
        note = (
            "Certificates counted under the caps (known publicly trusted, or not judged) without "
            f"an automation marker whose lifetime is longer than {when}, by the date the "
            f"renewal lead says each is renewed, earliest first{first}; {listed}, and every "
            f"certificate is in the attached inventory ({INVENTORY_ATTACHMENT})."
        )
    return heading, rows, note


def _post_quantum(reading: ForecastReading) -> tuple[tuple[Figure, ...], tuple[TableRow, ...]]:
    pq = reading.forecast.post_quantum
    schedule = reading.schedule
    weak = schedule.milestone(Retires.WEAK_CLASSICAL)
    classical = schedule.milestone(Retires.CLASSICAL)

    def source(milestone: Milestone) -> str:
        return f"{milestone.source.split(',')[0]}, {STATUS_WORDS[milestone.status]}"

    figures = (
        Figure(label="Classical keys", value=f"{pq.classical:,}", note="RSA, DSA, EC, EdDSA"),
        Figure(
            label="Post-quantum keys",
            value=f"{pq.post_quantum:,}",
            note="ML-DSA, SLH-DSA, ML-KEM, composite",
        ),
        Figure(
            label="Unknown algorithm", value=f"{pq.unknown:,}", note="not recorded or not known"
        ),
        Figure(
            label=f"Weak after {weak.after.year}",
            value=f"{pq.weak_after_2030:,}",
            note=(
                f"{weak.max_security_bits}-bit security or less, valid after "
                f"{long_date(weak.after)}; {source(weak)}"
            ),
        ),
        Figure(
            label=f"Classical after {classical.after.year}",
            value=f"{pq.classical_after_2035:,}",
            note=(f"valid after {long_date(classical.after)}; {source(classical)}"),
        ),
    )
    milestones = tuple(
        TableRow(
            cells=(
                f"after {long_date(m.after)}",
                m.description,
                m.source,
                STATUS_WORDS[m.status],
            )
        )
        for m in schedule.post_quantum
    )
    return figures, milestones


def summary_line(reading: ForecastReading) -> str:
    """The executive summary's line on the forecast."""
    forecast = reading.forecast
    if not forecast.population.leaves:
        return "Shorter lifetimes: no fresh certificate evidence to forecast renewals from."
    phase = forecast.next_phase or forecast.current
    pq = forecast.post_quantum
    assert phase is not None
    when = f"from {long_date(phase.effective_from)}" if phase is forecast.next_phase else "in force"
    population = forecast.population
    if not population.not_judged:
        assumed = ""
    elif population.not_judged == population.leaves:
        assumed = ", counting all as capped though no scan judged their trust"
    else:
        assumed = f", counting as capped the {population.not_judged:,} {NOT_JUDGED}"
    return (
        f"Shorter lifetimes: under {cap_name(phase.max_validity_days)} {when}, the "
        f"{population.leaves:,} certificates need {figure(phase.renewals_per_year)} "
        f"renewals a year, {figure(phase.manual_renewals_per_year)} of them by hand "
        f"({figure(phase.manual_hours_per_year)} hours){assumed}; "
        f"{pq.classical_after_2035:,} rest on classical keys valid after 2035."
    )


def forecast_section(reading: ForecastReading, ref: SectionRef) -> ForecastSection:
    """The section's view."""
    forecast = reading.forecast
    chart, chart_rows = _chart(forecast)
    heading, reached, reached_note = _reached(reading)
    figures, milestones = _post_quantum(reading)
    return ForecastSection(
        section=ref,
        has_leaves=forecast.population.leaves > 0,
        intro=(
            "What the certificates in the fresh evidence will cost to keep renewed as the "
            "CA/Browser Forum shortens the lifetime of TLS certificates, and how many rest on "
            "public-key algorithms that post-quantum transition plans retire. It changes no "
            f"score; the figures are in the attached {FORECAST_ATTACHMENT}, the method in "
            "docs/forecast.md."
        ),
        population=_population(forecast),
        private_hints=_hints(reading),
        settings=_settings(reading),
        minutes_note=(
            MINUTES_SOURCE + " " + MINUTES_INVITATION
            if reading.minutes_is_default
            else MINUTES_SOURCE
        ),
        phases=tuple(_phase_row(p, reading.schedule) for p in forecast.phases),
        chart=chart,
        chart_rows=chart_rows,
        reached_heading=heading,
        reached=reached,
        reached_note=reached_note,
        post_quantum=figures,
        milestones=milestones,
        schedule_note=(
            f"Schedule {reading.schedule_file}, version {reading.schedule.version}. Caps bind "
            "certificates issued on or after their date; a private CA's certificates keep "
            "their lifetime."
        ),
        summary_line=summary_line(reading),
    )
