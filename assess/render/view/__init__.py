"""The report's view model: everything the templates show, computed and worded here.

One module per report section (``summary``, ``progress``, ``method``, ``dimensions``,
``roadmap``, ``evidence``, ``judgements``, ``conclusion``, ``integrity``), the shared pieces
(``blocks``, ``formatting``, ``labels``, and ``prose``, the fixed sentences every edition
prints) and ``document``, which puts the report together. The names callers use are
re-exported here; this module holds no logic.
"""

from assess.render.view.blocks import Figure, LegendItem, SectionRef, TableRow
from assess.render.view.conclusion import signature_field_name
from assess.render.view.document import REPORT_TITLE, ReportView, build_report
from assess.render.view.evidence import HIGHLIGHTS_SHOWN
from assess.render.view.formatting import level_text, long_date, percent, score_text, signed
from assess.render.view.integrity import AttachmentInfo, attachments_for
from assess.render.view.labels import ANSWER_LABELS
from assess.render.view.progress import ProgressView, change_evidence, concern_text, progress_view

__all__ = [
    "ANSWER_LABELS",
    "HIGHLIGHTS_SHOWN",
    "REPORT_TITLE",
    "AttachmentInfo",
    "Figure",
    "LegendItem",
    "ProgressView",
    "ReportView",
    "SectionRef",
    "TableRow",
    "attachments_for",
    "build_report",
    "change_evidence",
    "concern_text",
    "level_text",
    "long_date",
    "percent",
    "progress_view",
    "score_text",
    "signature_field_name",
    "signed",
]
