"""The forecast as plain text for the terminal (`assess forecast`), in the report's words."""

from __future__ import annotations

from assess.model.forecast import ForecastReading
from assess.render.view.blocks import SectionRef
from assess.render.view.forecast import forecast_section

_HEADER = ("cap", "from", "renewals/yr", "automated", "manual", "manual h/yr", "over cap")


def forecast_table(reading: ForecastReading) -> str:
    """The population, the phases table, the post-quantum figures and the leaves the next cap
    reaches first."""
    view = forecast_section(reading, SectionRef(anchor="forecast", number="", title=""))
    forecast = reading.forecast
    lines = [
        f"Forecast at {forecast.evaluated_at.isoformat()} — schedule {reading.schedule_file} "
        f"{reading.schedule.version}",
        "",
        view.population,
        *view.private_hints,
        view.settings,
        "",
    ]
    rows = [_HEADER] + [
        (
            p.cap + (" *" if p.is_current else ""),
            p.in_force.removeprefix("from ") if not p.is_current else "in force",
            p.renewals,
            p.automated,
            p.manual,
            p.manual_hours,
            p.over_cap,
        )
        for p in view.phases
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
    for index, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["* the cap in force at the evaluation date", ""]
    lines.append("Post-quantum:")
    for item in view.post_quantum:
        lines.append(f"  {item.label}: {item.value} ({item.note})")
    if view.reached_heading:
        lines += ["", f"{view.reached_heading}:"]
        status = max((len(leaf.renew_by_status) for leaf in view.reached), default=0)
        for leaf in view.reached:
            due = f"{leaf.renew_by_status:<{status}}  " if status else ""
            lines.append(
                f"  {leaf.renew_by}  {due}{leaf.lifetime:>9}  {leaf.name}  ({leaf.locations}; "
                f"{leaf.issuer}, {leaf.issuer_trust})"
            )
        lines.append(f"  {view.reached_note}")
    return "\n".join(lines)
