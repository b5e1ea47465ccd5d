"""The report as an editable Word document (``.docx``), written from the report view.

The same view the HTML and PDF reports print (:mod:`assess.render.view`), written with
python-docx into real Word structures: Heading 1 for each section, Heading 2 for each dimension,
roadmap phase and sub-heading (the navigation pane lists them), Word tables with a header row
repeated on every page, the charts as PNG images (:mod:`assess.render.raster`) with their data
table after them, a table of contents field Word updates when the file is opened, a header and a
footer with the organisation, the classification, the report id and "Page X of Y".

**Letterhead.** The document is written into a template: python-docx's own default document
(restyled here), or a firm's ``.docx`` given with ``--docx-template``. Of a firm's template the
styles, page set-up, headers and footers (logo included) are kept and its body is cleared. The
report's running line (organisation · classification · report id) is added as a new paragraph
at the end of every header, and "Page X of Y" at the end of every footer, so that every page
names the report whatever the letterhead holds. The template must define the styles in
:data:`REQUIRED_STYLES`; the others the report uses are taken from python-docx's default when
the template lacks them.

**Inert text.** No text is ever parsed as markup or template code: every string goes into a
run as text. Characters XML 1.0 cannot hold are removed (:func:`assess.render.view.narrative.
xml_safe`).

**Reproducible bytes.** The document properties take their dates from the evaluation date (which
``SOURCE_DATE_EPOCH`` sets when no ``--at`` is given), python-docx numbers parts and drawing ids
in order, and the ZIP container is written again with every entry dated at the evaluation date:
the same inputs give the same bytes.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from assess.render.raster import ChartImage
from assess.render.view.blocks import Figure, SectionRef, TableRow
from assess.render.view.document import ReportView
from assess.render.view.judgements import Judgement
from assess.render.view.narrative import Block, BlockKind, Run, xml_safe
from assess.render.view.prose import Phrase
from assess.render.view.summary import GapItem
from assess.support.errors import InputError, Problem
from assess.support.files import read_bytes
from assess.support.limits import TEMPLATE

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

__all__ = ["REQUIRED_STYLES", "WordReport", "load_template", "render_docx"]

REQUIRED_STYLES = ("Heading 1", "Heading 2", "Heading 3")
"""Styles a ``--docx-template`` must define: the headings the navigation pane and the table of
contents are built from."""
BORROWED_STYLES = ("Title", "Subtitle", "Caption", "Table Grid", "Quote", "TOC Heading")
"""Styles taken from python-docx's default document when a template lacks them."""
LIST_STYLES = ("List Bullet", "List Number")
"""List styles; without them in a template, items are paragraphs that start with their mark."""

NAVY = "1D3F6E"
MUTED = "5B6472"
TEXT_WIDTH_MM = 170.0
"""The text column of an A4 page with 20 mm margins."""
TABLE_SIZE = 8.0
"""Points: the text of table cells."""
HEADER_SIZE = 7.5
"""Points: a table's header row, bold (the HTML report's is 7.4 pt)."""
CELL_MARGIN_MM = 1.5
"""The padding at the left and the right of every table cell."""
CHART_WIDTH_MM = 160.0


@dataclass(frozen=True)
class WordReport:
    """A rendered Word report."""

    data: bytes
    tables: int
    images: int


def _clean(text: str) -> str:
    return xml_safe(text)


# --- the template ---------------------------------------------------------------------------


def load_template(path: Path | None) -> Document:
    """The document to write into: a firm's template, or python-docx's default restyled.

    A file that is not a Word document, or that lacks a style of :data:`REQUIRED_STYLES`, is an
    InputError naming it (and the style).
    """
    import docx

    if path is None:
        document = docx.Document()
        _house_style(document)
        return document
    data = read_bytes(path, limit=TEMPLATE)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        detail = str(error) or type(error).__name__
        raise InputError(
            Problem(f"not a Word document (.docx): {detail}", file=path),
            hint="save the letterhead in Word as a Word Document (.docx), not a template "
            "(.dotx) or an older .doc",
        ) from None
    except Exception as error:  # python-docx's PackageNotFoundError and XML errors
        raise InputError(
            Problem(f"cannot be read as a Word document: {error}", file=path),
            hint="save the letterhead in Word as a Word Document (.docx)",
        ) from None
    names = {style.name for style in document.styles}
    missing = [name for name in REQUIRED_STYLES if name not in names]
    if missing:
        raise InputError(
            Problem(
                f"the template lacks the style{'s' if len(missing) > 1 else ''} "
                f"{', '.join(repr(m) for m in missing)}: the report's sections are written in "
                f"{', '.join(REQUIRED_STYLES)}",
                file=path,
            ),
            hint="in Word, apply each heading style once in the template (that defines it), "
            "delete the text and save",
        )
    _borrow_styles(document, names)
    _clear_body(document)
    return document


def _borrow_styles(document: Document, names: set[str]) -> None:
    import docx

    default = docx.Document()
    wanted = [n for n in BORROWED_STYLES if n not in names]
    if not wanted:
        return
    target = document.styles.element
    for name in wanted:
        target.append(copy.deepcopy(default.styles[name].element))


def _clear_body(document: Document) -> None:
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)


def _house_style(document: Document) -> None:
    """python-docx's default document in the report's style: A4, Arial, navy headings."""
    from docx.shared import Mm, Pt, RGBColor

    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        section.header_distance = section.footer_distance = Mm(10)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9.5)
    normal.paragraph_format.space_after = Pt(5)
    for name, size in (("Heading 1", 17), ("Heading 2", 12.5), ("Heading 3", 10.5)):
        font = styles[name].font
        font.name = "Arial"
        font.size = Pt(size)
        font.color.rgb = RGBColor.from_string(NAVY)
    styles["Title"].font.name = "Arial"
    styles["Title"].font.color.rgb = RGBColor.from_string(NAVY)
    styles["Caption"].font.color.rgb = RGBColor.from_string(MUTED)


# --- low-level pieces -----------------------------------------------------------------------


def _set_on(element: Any, tag: str, **attrs: str) -> Any:
    """The child ``tag`` of ``element`` (created), with ``attrs`` set (``w:val`` as ``val``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    child = element.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        element.append(child)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), value)
    return child


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) in ``paragraph``, with ``placeholder`` shown until
    Word computes it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "15")  # 7.5 pt, as the words around it
    properties.append(size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MM = 1440 / 25.4
"""Twentieths of a point (twips) in a millimetre: Word's unit of widths and indents."""


def _twips(mm: float) -> int:
    return round(mm * MM)


def _text_xml(text: str) -> str:
    """A run's content: text escaped, line breaks as ``w:br`` and tabs as ``w:tab``."""
    lines = []
    for line in _clean(text).split("\n"):
        pieces = [f'<w:t xml:space="preserve">{escape(piece)}</w:t>' for piece in line.split("\t")]
        lines.append("<w:tab/>".join(pieces))
    return "<w:br/>".join(lines)


def _run_xml(
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    colour: str | None = None,
    font: str | None = None,
) -> str:
    """One run of text as WordprocessingML; its properties in the order the schema asks."""
    props = ""
    if font is not None:
        props += f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>'
    if bold:
        props += "<w:b/><w:bCs/>"
    if italic:
        props += "<w:i/><w:iCs/>"
    if colour is not None:
        props += f'<w:color w:val="{colour}"/>'
    if size is not None:
        props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    properties = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{properties}{_text_xml(text)}</w:r>"


def _runs_xml(runs: Iterable[Run], size: float | None = None, colour: str | None = None) -> str:
    return "".join(
        _run_xml(
            r.text,
            bold=r.is_bold,
            italic=r.is_italic,
            size=size,
            colour=colour,
            font="Courier New" if r.is_code else None,
        )
        for r in runs
    )


class _Writer:
    """Writes one report into one document.

    Paragraphs and tables are written as WordprocessingML and parsed once each, not built
    element by element through python-docx: a report has some 2,000 paragraphs and table
    cells, and python-docx's per-property calls made the Word report several times slower
    than the HTML one. Every text goes through :func:`_text_xml` (escaped, XML-safe)."""

    def __init__(self, document: Document, view: ReportView) -> None:
        from docx.oxml.ns import qn

        self.doc = document
        self.view = view
        names = {style.name: style.style_id for style in document.styles}
        self.style_ids = names
        self.has_lists = all(n in names for n in LIST_STYLES)
        body = document.element.body
        self.end = body.find(qn("w:sectPr"))
        self.body = body
        self.tables = 0
        self.images = 0

    def add(self, xml: str) -> None:
        """Parse ``xml`` (one element, ``w:`` namespace) and put it at the end of the body."""
        from docx.oxml import parse_xml

        # The namespace declared on the element's own tag: "<w:p>…" → "<w:p xmlns:w=…>…".
        name_end = min(i for i in (xml.find(" "), xml.find(">")) if i > 0)
        element = parse_xml(f"{xml[:name_end]} {_NS}{xml[name_end:]}")
        if self.end is not None:
            self.end.addprevious(element)
        else:
            self.body.append(element)

    # paragraphs -------------------------------------------------------------------------

    def paragraph(
        self,
        content: str,
        style: str | None = None,
        *,
        indent: float = 0,
        hanging: float = 0,
        tab: float = 0,
        right: bool = False,
    ) -> None:
        """A paragraph of runs (``content``, WordprocessingML) in ``style``."""
        props = ""
        if style is not None:
            props += f'<w:pStyle w:val="{self.style_ids[style]}"/>'
        if tab:
            props += f'<w:tabs><w:tab w:val="left" w:pos="{_twips(tab)}"/></w:tabs>'
        if indent or hanging:
            props += f'<w:ind w:left="{_twips(indent)}" w:hanging="{_twips(hanging)}"/>'
        if right:
            props += '<w:jc w:val="right"/>'
        properties = f"<w:pPr>{props}</w:pPr>" if props else ""
        self.add(f"<w:p>{properties}{content}</w:p>")

    def para(
        self,
        text: str = "",
        style: str | None = None,
        *,
        bold: bool = False,
        italic: bool = False,
        size: float | None = None,
        colour: str | None = None,
        right: bool = False,
    ) -> None:
        content = _run_xml(text, bold=bold, italic=italic, size=size, colour=colour) if text else ""
        self.paragraph(content, style, right=right)

    def small(self, *parts: str | Phrase) -> None:
        """A paragraph in small muted type: plain text and phrases of the report's prose."""
        runs = [r for part in parts for r in ((Run(text=part),) if isinstance(part, str) else part)]
        self.paragraph(_runs_xml(runs, size=8, colour=MUTED))

    def heading(self, section: SectionRef, level: int = 1) -> None:
        self.para(f"{section.number} {section.title}", f"Heading {level}")

    def subheading(self, text: str) -> None:
        self.para(text, "Heading 2")

    def page_break(self) -> None:
        self.add('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def item(self, text: str | Sequence[Run], *, number: int = 0, depth: int = 0) -> None:
        """A list item: a bullet in the template's List Bullet style (or a paragraph starting
        with a dash), or, with ``number``, a paragraph starting with it: Word's own numbering
        would run on from one list to the next."""
        runs = (Run(text=text),) if isinstance(text, str) else tuple(text)
        indent = 6.0 * (depth + 1)
        if number:
            mark = _run_xml(f"{number}.\t")
            self.paragraph(mark + _runs_xml(runs), indent=indent, hanging=6, tab=indent)
        elif self.has_lists:
            self.paragraph(_runs_xml(runs), "List Bullet", indent=indent if depth else 0)
        else:
            mark = _run_xml("–\t")
            self.paragraph(mark + _runs_xml(runs), indent=indent, hanging=6, tab=indent)

    def items(self, lines: Iterable[str | Sequence[Run]], *, numbered: bool = False) -> None:
        for index, line in enumerate(lines, start=1):
            self.item(line, number=index if numbered else 0)

    def runs(self, runs: Sequence[Run], style: str | None = None, indent: float = 0) -> None:
        """A paragraph of styled runs."""
        self.paragraph(_runs_xml(runs), style, indent=indent)

    def narrative(self, blocks: Sequence[Block]) -> None:
        """The assessor's narrative, block by block; every piece of it is a run of text."""
        for block in blocks:
            match block.kind:
                case BlockKind.HEADING:
                    self.runs(block.runs, "Heading 3")
                case BlockKind.BULLETS | BlockKind.NUMBERED:
                    counters: dict[int, int] = {}
                    for entry in block.items:
                        counters = {d: n for d, n in counters.items() if d <= entry.depth}
                        counters[entry.depth] = counters.get(entry.depth, 0) + 1
                        numbered = block.kind is BlockKind.NUMBERED and entry.depth == 0
                        self.item(
                            entry.runs,
                            number=counters[entry.depth] if numbered else 0,
                            depth=entry.depth,
                        )
                case BlockKind.QUOTE:
                    self.runs(block.runs, "Quote")
                case BlockKind.CODE:
                    self.runs(block.runs, indent=4)
                case _:
                    self.runs(block.runs)

    # tables -----------------------------------------------------------------------------

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float] = (),
        *,
        total: Sequence[str] | None = None,
        header_row: bool = True,
    ) -> None:
        """A Word table: fixed column widths (mm, the rest shared by the empty ones), rows that
        do not split across pages, the header row bold and repeated on every page."""
        columns = len(header) if header_row else len(rows[0]) if rows else 0
        if columns == 0:
            return
        column_widths = [_twips(w) for w in _widths(widths, columns, header if header_row else ())]
        lines = [(list(header), True)] if header_row else []
        lines += [(list(r), False) for r in rows]
        if total is not None:
            lines.append((list(total), True))
        margin = _twips(CELL_MARGIN_MM)
        xml = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.style_ids["Table Grid"]}"/>'
            f'<w:tblW w:w="{sum(column_widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/>'
            f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
            'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
            *(f'<w:gridCol w:w="{w}"/>' for w in column_widths),
            "</w:tblGrid>",
        ]
        for number, (values, bold) in enumerate(lines):
            is_header = header_row and number == 0
            repeat = "<w:tblHeader/>" if is_header else ""
            size = HEADER_SIZE if is_header else TABLE_SIZE
            xml.append(f"<w:tr><w:trPr><w:cantSplit/>{repeat}</w:trPr>")
            for index, width in enumerate(column_widths):
                value = values[index] if index < len(values) else ""
                xml.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                    '<w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
                    f"{_run_xml(value, bold=bold, size=size) if value else ''}</w:p></w:tc>"
                )
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self.add("".join(xml))
        self.tables += 1
        self.para()

    def figures(self, items: Sequence[Figure]) -> None:
        if items:
            self.table(
                ("Figure", "Value", "Note"),
                [(f.label, f.value, f.note) for f in items],
                (45, 35, 0),
            )

    def picture(self, chart: ChartImage | None) -> None:
        """A chart image and its caption (the data table follows it)."""
        from docx.shared import Mm

        if chart is None:
            return
        self.doc.add_picture(io.BytesIO(chart.png), width=Mm(CHART_WIDTH_MM))
        self.images += 1
        self.para(f"{chart.title}. {chart.description}", "Caption")


_NARROW = frozenset("iljtfrI.,:;'|!()[] ")
_WIDE = frozenset("mwMW%")


def _word_mm(word: str, size: float) -> float:
    """An upper bound of ``word``'s width in bold at ``size`` points: per letter, the widest
    advance of its kind in DejaVu Sans Bold (the widest of the fonts that stand in for Arial;
    Arial's own are narrower), so that a column this wide holds the word on one line."""
    ems = sum(
        0.5 if c in _NARROW else 1.1 if c in _WIDE else 0.8 if c.isupper() else 0.72 for c in word
    )
    return ems * size * 25.4 / 72


def _widths(given: Sequence[float], columns: int, header: Sequence[str] = ()) -> list[float]:
    """Column widths in mm: the given ones, the text width left shared by the zeros, and each
    at least as wide as the longest word of its header, so no header word breaks in two."""
    least = [
        max(
            (_word_mm(w, HEADER_SIZE) for w in (header[i] if i < len(header) else "").split()),
            default=0.0,
        )
        + 2 * CELL_MARGIN_MM
        for i in range(columns)
    ]
    widths = [max(w, least[i]) if w else 0.0 for i, w in enumerate(given[:columns])]
    widths += [0.0] * (columns - len(widths))
    free = [i for i, w in enumerate(widths) if not w]
    if free:
        share = max(TEXT_WIDTH_MM - sum(widths), 15.0 * len(free)) / len(free)
        for i in free:
            widths[i] = max(share, least[i])
    return widths


def _cells(rows: Sequence[TableRow]) -> list[tuple[str, ...]]:
    return [r.cells for r in rows]


# --- the sections ---------------------------------------------------------------------------


def _cover(w: _Writer) -> None:
    view, c = w.view, w.view.cover
    w.para(c.classification, bold=True, colour=NAVY, right=True)
    w.para(c.title, "Subtitle")
    w.para(c.organisation, "Title")
    if c.draft:
        w.para(f"{c.draft}. {c.draft_note}", bold=True)
    if view.integrity is not None and view.integrity.is_redacted:
        w.para(f"REDACTED. {view.integrity.redaction_note}", bold=True)
    w.para(c.scope)
    w.table(
        (),
        [
            ("Overall maturity", f"Level {c.overall_level} · {c.overall_name}"),
            ("Overall score", f"{c.overall_score} of 5"),
            ("Weighted target", c.target_score),
            ("Assessment period", c.period),
            ("Evaluated on", c.evaluated_at),
            ("Assessors", c.assessors),
            ("Criteria", c.questionnaire),
            ("Evidence policy", c.evidence_policy),
            ("Assurance", f"{c.assurance}. {c.assurance_note}"),
            ("Report", c.report_id),
            ("SHA-256 of the result", c.result_sha256),
            ("Produced with", f"{c.generator} · {c.classification}"),
        ],
        (45, 0),
        header_row=False,
    )
    w.page_break()


def _contents(w: _Writer) -> None:
    """A TOC field over Heading 1–3; until Word updates it, it lists the numbered sections."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    w.para("Contents", "TOC Heading")
    first = w.doc.add_paragraph()

    def char(kind: str) -> Any:
        run = OxmlElement("w:r")
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            mark.set(qn("w:dirty"), "true")
        run.append(mark)
        return run

    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-2" \\h \\z \\u '
    instr_run.append(instr)
    first._p.append(char("begin"))
    first._p.append(instr_run)
    first._p.append(char("separate"))
    entries = [f"{s.number}  {s.title}" for s in w.view.contents]
    first.add_run(_clean(entries[0]))
    last = first
    for entry in entries[1:]:
        last = w.doc.add_paragraph()
        last.add_run(_clean(entry))
    last._p.append(char("end"))
    w.small("Word updates this table of contents, with page numbers, when the file is opened.")
    w.para(w.view.prose.headings.about, "Heading 3")
    for paragraph in w.view.prose.about:
        w.runs(paragraph)
    w.page_break()


def _gaps(items: Iterable[GapItem]) -> list[tuple[Run, ...]]:
    return [
        (
            Run(text=g.title, is_bold=True),
            Run(text=f" — level {g.level}, score {g.score}, target {g.target}. {g.text}"),
        )
        for g in items
    ]


def _summary(w: _Writer, charts: dict[str, ChartImage]) -> None:
    s = w.view.summary
    w.heading(s.section)
    if s.draft is not None:
        w.para(f"DRAFT {s.draft}", bold=True)
    w.para(s.verdict, size=12, colour=NAVY)
    w.narrative(s.narrative)
    f = w.view.forecast
    if f is not None:
        w.para(f"{f.summary_line} Details in section {f.section.number}.")
    w.figures(s.figures)
    if s.progress_headline is not None:
        w.para(s.progress_headline, bold=True)
    lc = w.view.level_changes
    if lc is not None:
        w.para(lc.intro)
        w.items(lc.items)
    a = w.view.actions
    if a.has_evidence:
        w.subheading(w.view.prose.headings.immediate_actions)
        more = f" The full list is in section {a.section.number}; the most urgent:"
        w.para(a.tally + (more if a.actions else ""))
        w.items(
            (f"{x.severity} — {x.finding}: {x.subject}. {x.detail}" for x in a.top), numbered=True
        )
    w.subheading(w.view.prose.headings.below_target)
    if s.below_target:
        w.items(_gaps(s.below_target), numbered=True)
        w.small(s.below_target_note)
    else:
        w.para(w.view.prose.all_targets_met)
    w.subheading(w.view.prose.headings.targets_met)
    if s.targets_met:
        w.items(_gaps(s.targets_met), numbered=True)
    else:
        w.para(w.view.prose.no_target_met)
    if s.focus:
        w.subheading(w.view.prose.headings.first_steps)
        w.table(
            w.view.prose.focus_header,
            [
                (str(f.order), f"{f.practice} {f.title}", f.dimension, f.effort, f.owner)
                for f in s.focus
            ],
            (8, 0, 45, 14, 32),
        )
    w.subheading(w.view.prose.headings.profile)
    w.picture(charts.get("radar"))
    w.table(s.radar_header, _cells(s.radar_rows))


def _progress(w: _Writer) -> None:
    p = w.view.progress
    if p is None:
        return
    w.heading(p.section)
    w.para(f"{p.intro} {p.version_note}".strip())
    w.figures(p.figures)
    w.table(
        w.view.prose.progress_header,
        [
            (r.title, r.baseline, r.current, r.target, r.delta_level, r.delta_score, r.direction)
            for r in p.rows
        ],
        (0, 22, 22, 14, 11, 14, 20),
    )
    w.subheading(w.view.prose.headings.most_improved)
    w.items(p.most_improved) if p.most_improved else w.para(w.view.prose.no_score_rose)
    w.subheading(w.view.prose.headings.areas_of_concern)
    if p.areas_of_concern:
        w.items(p.areas_of_concern)
    else:
        w.para(w.view.prose.no_concern)
    w.subheading(w.view.prose.headings.practices_moved)
    moved = [
        *((c, w.view.prose.improved_change) for c in p.improved),
        *((c, w.view.prose.regressed_change) for c in p.regressed),
        *((c, w.view.prose.scope_change) for c in p.other_changes),
    ]
    if moved:
        w.table(
            w.view.prose.changes_header,
            [
                (
                    " ".join([c.practice, c.title, *c.evidence]),
                    c.dimension,
                    change,
                    c.before,
                    c.after,
                )
                for c, change in moved
            ],
            (0, 36, 20, 18, 24),
        )
    w.small(p.unchanged_note)
    w.subheading(w.view.prose.headings.immediate_actions)
    if p.actions is None:
        w.para(w.view.prose.actions_not_compared)
    else:
        w.para(p.resolved_title, bold=True)
        w.items(p.actions.resolved) if p.actions.resolved else w.para(w.view.prose.no_change)
        w.para(w.view.prose.new_since, bold=True)
        w.items(p.actions.new) if p.actions.new else w.para(w.view.prose.no_change)


def _actions(w: _Writer) -> None:
    a = w.view.actions
    w.heading(a.section)
    if not a.has_evidence:
        w.para(w.view.prose.actions_without_evidence)
        return
    w.para(a.intro)
    w.para(a.tally, bold=True)
    if a.actions:
        w.table(
            w.view.prose.actions_header,
            [(x.severity, x.finding, f"{x.subject}\n{x.detail}") for x in a.actions],
            (18, 44, 0),
        )
        legend = "; ".join(f"{s}, {meaning}" for s, meaning in a.legend)
        w.small(f"Severity: {legend}. ", w.view.prose.actions_elsewhere)


def _method(w: _Writer) -> None:
    x = w.view.method
    w.heading(x.section)
    w.table(
        (),
        [(f.term, f.meaning) for f in x.facts],
        (35, 0),
        header_row=False,
    )
    if x.questionnaire_description:
        w.para(x.questionnaire_description)
    w.subheading(w.view.prose.headings.participants)
    if x.respondents:
        w.table(
            w.view.prose.participants_header,
            [(r.initials, r.name, r.role, r.interviewed_at, r.answered) for r in x.respondents],
            (14, 0, 0, 30, 18),
        )
    else:
        w.para(w.view.prose.no_respondents)
    w.subheading(w.view.prose.headings.answer_scale)
    w.table(w.view.prose.scale_header, _cells(x.scale), (28, 16, 0))
    w.small(w.view.prose.targets_note)
    w.subheading(w.view.prose.headings.formulas)
    for f in x.formulas:
        w.para(f"{f.term}: {f.meaning}")
    w.small(w.view.prose.formulas_note)
    w.subheading(w.view.prose.headings.levels)
    w.table((), [(item.term, item.meaning) for item in x.levels], (35, 0), header_row=False)
    w.subheading(w.view.prose.headings.flags)
    w.table((), [(item.term, item.meaning) for item in x.flags], (35, 0), header_row=False)
    w.subheading(w.view.prose.headings.limitations)
    w.para(w.view.prose.limitations)


def _overview(w: _Writer, charts: dict[str, ChartImage]) -> None:
    o = w.view.overview
    w.heading(o.section)
    w.picture(charts.get("level-grid"))
    w.picture(charts.get("gap-bars"))
    w.table(o.header, _cells(o.rows), (0, 12, 18, 11, 11, 15, 12, 9, 27), total=o.total.cells)


def _dimensions(w: _Writer) -> None:
    ds = w.view.dimensions
    w.heading(ds.section)
    w.para(w.view.prose.dimensions_intro)
    people = "; ".join(f"{r.initials} {r.described}" for r in ds.respondents) or "none"
    w.small(f"Respondents: {people}.")
    for d in ds.items:
        w.heading(d.section, 2)
        if d.is_applicable:
            w.figures(d.figures)
        else:
            w.para(w.view.prose.dimension_not_applicable)
        if d.description:
            w.para(d.description, italic=True)
        w.narrative(d.narrative)
        for p in d.practices:
            w.runs(
                (
                    Run(text=f"{p.id} ", is_bold=True),
                    Run(text=p.title, is_bold=True),
                    Run(text=f"   {p.symbol} {p.answer}"),
                ),
            )
            meta = [f"Level {p.level}", p.met_label, f"v {p.value}"]
            if p.given:
                meta.append(f"answered {p.given}, counted {p.answer}")
            if p.answers:
                meta.append(f"answers {p.answers}")
            if p.consolidated:
                meta.append(f"respondents said {p.consolidated}")
            basis = p.basis + (": " + "; ".join(p.evidence) if p.evidence else "")
            meta.append(basis)
            meta.extend(f"[{f.label}]" for f in p.flags)
            w.small(" · ".join(meta))
            for n in p.notes:
                w.para(f"{n.who}: “{n.text}”", italic=True, size=8.5)
            for reason in p.na_reasons:
                w.para(f"N/A — {reason}", italic=True, size=8.5)


def _roadmap(w: _Writer) -> None:
    r = w.view.roadmap
    w.heading(r.section)
    w.para(r.intro)
    if not r.phases:
        return
    w.table(r.header, _cells(r.rows), (18, 12, 26, 0))
    w.small(w.view.prose.roadmap_elsewhere)
    for phase in r.phases:
        w.subheading(phase.title)
        w.para(phase.summary, italic=True)
        for s in phase.steps:
            w.runs(
                (
                    Run(text=f"{s.order}  {s.practice} ", is_bold=True),
                    Run(text=s.title, is_bold=True),
                    Run(text=f"  → {s.unlocks}" + ("" if s.is_assessed else "  [not assessed]")),
                ),
            )
            w.para(s.action)
            after = ", ".join(s.depends_on) or "—"
            w.small(f"Effort {s.effort} · Owner {s.owner} · After {after} · Why {s.why}")


def _evidence(w: _Writer) -> None:
    e = w.view.evidence
    w.heading(e.section)
    if not e.has_evidence:
        w.para(w.view.prose.evidence_none)
        return
    w.para(w.view.prose.evidence_intro)
    w.subheading(w.view.prose.headings.sources)
    w.table(
        w.view.prose.sources_header,
        _cells(e.sources),
        (0, 18, 20, 26, 22, 14, 22),
    )
    if e.metrics:
        w.subheading(w.view.prose.headings.metrics)
        w.table(w.view.prose.metrics_header, _cells(e.metrics), (0, 34, 22))
    w.subheading(w.view.prose.headings.contradictions)
    if e.contradictions:
        w.table(
            w.view.prose.contradictions_header,
            [
                (
                    f"{f.practice} {f.title}",
                    f"{f.condition} · measured {f.measured}. {f.explanation}",
                    f.status,
                )
                for f in e.contradictions
            ],
            (30, 0, 40),
        )
    else:
        w.para(w.view.prose.no_contradictions)
    w.subheading(w.view.prose.headings.highlights)
    w.small(e.highlights_note)
    if e.highlights:
        w.table(
            w.view.prose.highlights_header,
            _cells(e.highlights),
            (0, 38, 20, 40, 30),
        )
    if e.findings:
        w.subheading(w.view.prose.headings.findings)
        w.table(
            w.view.prose.findings_header,
            [(f.practice, f.condition, f.measured, f.effect, f.status) for f in e.findings],
            (18, 0, 32, 22, 28),
        )


def _forecast(w: _Writer, charts: dict[str, ChartImage]) -> None:
    f = w.view.forecast
    if f is None:
        return
    w.heading(f.section)
    w.para(f.intro)
    if not f.has_leaves:
        w.para(
            "No leaf certificate of the fresh evidence is valid on the evaluation date with a "
            "known start of validity: there is nothing to forecast renewals from."
        )
    else:
        w.para(f"{f.population} {f.settings}")
        for hint in f.private_hints:
            w.para(hint)
        w.subheading("Renewals a year under each lifetime cap")
        w.table(
            (
                "Cap and date",
                "Status",
                "Renewals a year",
                "Automated",
                "Manual",
                "Manual hours",
                "Over the cap",
            ),
            [
                (
                    f"{p.cap} from {p.effective_from}\n{p.source}",
                    p.in_force if p.is_current else "later",
                    p.renewals,
                    p.automated,
                    p.manual,
                    p.manual_hours,
                    p.over_cap,
                )
                for p in f.phases
            ],
            (0, 18, 22, 20, 18, 20, 18),
        )
        w.small(f"{f.minutes_note} {f.schedule_note}")
        w.picture(charts.get("renewals"))
        w.table(("Cap", "Manual", "Automated", "Total"), _cells(f.chart_rows), (0, 28, 28, 28))
        w.subheading(f.reached_heading)
        w.small(f.reached_note)
        if f.reached:
            w.table(
                ("Certificate (CN)", "Issuer (CN)", "Lifetime", "Renew by", "Seen at"),
                [
                    (
                        r.name,
                        f"{r.issuer}\n{r.issuer_trust}",
                        r.lifetime,
                        f"{r.renew_by}\n{r.renew_by_status}" if r.renew_by_status else r.renew_by,
                        r.locations,
                    )
                    for r in f.reached
                ],
                (0, 36, 16, 20, 46),
            )
        w.subheading("Post-quantum exposure")
        w.figures(f.post_quantum)
    w.subheading("Post-quantum milestones of the schedule")
    w.table(("After", "What", "Source", "Status"), _cells(f.milestones), (30, 0, 62, 16))


def _judgement_table(w: _Writer, items: Sequence[Judgement], header: Sequence[str]) -> None:
    """Judgements under ``header``: the practice, two columns, and with a fourth heading the
    evidence behind an override."""
    has_evidence = len(header) > 3
    rows = [
        (
            f"{j.practice} {j.title}",
            j.detail,
            j.answers,
            *(("\n".join(j.evidence) or "—",) if has_evidence else ()),
        )
        for j in items
    ]
    w.table(header, rows, (32, 0, 38, 30) if has_evidence else (32, 0, 38))


def _judgements(w: _Writer) -> None:
    j = w.view.judgements
    w.heading(j.section)
    w.para(w.view.prose.judgements_intro)
    w.subheading(w.view.prose.headings.overrides)
    if j.overrides:
        _judgement_table(w, j.overrides, w.view.prose.overrides_header)
    else:
        w.para(w.view.prose.no_override)
    w.subheading(w.view.prose.headings.not_applicable)
    if j.not_applicable:
        _judgement_table(w, j.not_applicable, w.view.prose.not_applicable_header)
    else:
        w.para(w.view.prose.all_applicable)
    w.subheading(w.view.prose.headings.divergent)
    if j.divergent:
        _judgement_table(w, j.divergent, w.view.prose.divergent_header)
    else:
        w.para(w.view.prose.no_divergence)
    if j.unevidenced:
        w.subheading(w.view.prose.headings.unevidenced)
        _judgement_table(w, j.unevidenced, w.view.prose.unevidenced_header)
    w.subheading(w.view.prose.headings.open_answers)
    if j.open_answers:
        _judgement_table(w, j.open_answers, w.view.prose.open_answers_header)
    else:
        w.para(w.view.prose.all_answered)


def _conclusion(w: _Writer) -> None:
    c = w.view.conclusion
    w.heading(c.section)
    w.narrative(c.narrative)
    for sentence in c.statement:
        w.para(sentence)
    if c.draft:
        w.para(f"DRAFT {c.draft}", bold=True)
    if c.signatories:
        w.table(
            ("", "Name", "Role", "Date", "Signature"),
            [(s.caption, s.name, s.role, "", "\n\n") for s in c.signatories],
            (40, 0, 28, 24, 40),
        )


def _appendix(w: _Writer) -> None:
    a, view = w.view.appendix, w.view
    w.heading(a.files)
    w.para(view.prose.attachments_intro)
    rows = [(f.name, f.description) for f in a.attachments]
    if view.integrity is not None:
        rows.append(("manifest.json", view.prose.manifest_description))
    w.table(view.prose.attachments_header, rows, (45, 0))
    w.subheading(w.view.prose.headings.verification)
    w.items(view.prose.verification_steps, numbered=True)
    v = view.integrity
    if v is None:
        return
    w.heading(v.section)
    if v.is_redacted:
        w.para(f"REDACTED {v.redaction_note} {view.prose.redacted_inputs}", bold=True)
    w.runs(view.prose.manifest_intro)
    w.subheading(w.view.prose.headings.inputs)
    w.table(view.prose.inputs_header, _cells(v.inputs), (22, 50, 16, 0))
    w.subheading(w.view.prose.headings.attached)
    w.table(view.prose.attached_header, _cells(v.attachments), (42, 16, 0))
    w.subheading(w.view.prose.headings.with_the_tool)
    w.items(view.prose.tool_steps, numbered=True)
    w.subheading(w.view.prose.headings.with_a_reader)
    w.items(view.prose.reader_steps, numbered=True)
    w.para(
        "This Word edition is for editing and carries no signature: sign and verify the PDF "
        "edition (assess sign, assess verify report.pdf --workspace DIR)."
    )


# --- header, footer, properties -------------------------------------------------------------


def _running(w: _Writer) -> None:
    """The report's line at the end of every header, "Page X of Y" at the end of every footer."""
    from docx.shared import Pt, RGBColor

    meta = w.view.meta
    redacted = w.view.integrity is not None and w.view.integrity.is_redacted
    marking = meta.classification + (" · REDACTED" if redacted else "")
    head = f"{meta.organisation} · {marking} · Report {meta.report_id}"
    if meta.draft:
        head += f" · {meta.draft}"
    for section in w.doc.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if header.is_linked_to_previous and header is not section.header:
                continue
            paragraph = _last_or_new(header)
            run = paragraph.add_run(_clean(head))
            run.font.size = Pt(7.5)
            run.font.color.rgb = RGBColor.from_string(MUTED)
        for footer in (section.footer, section.first_page_footer, section.even_page_footer):
            if footer.is_linked_to_previous and footer is not section.footer:
                continue
            paragraph = _last_or_new(footer)
            run = paragraph.add_run(_clean(f"{marking} · Report {meta.report_id} · Page "))
            run.font.size = Pt(7.5)
            _field(paragraph, "PAGE")
            paragraph.add_run(" of ").font.size = Pt(7.5)
            _field(paragraph, "NUMPAGES")


def _last_or_new(part: Any) -> Paragraph:
    """The header's or footer's only paragraph when it is empty, else a new one after the rest."""
    part.is_linked_to_previous = False
    paragraphs: list[Paragraph] = part.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text and not _has_drawing(paragraphs[0]):
        return paragraphs[0]
    added: Paragraph = part.add_paragraph()
    return added


def _has_drawing(paragraph: Paragraph) -> bool:
    xml = paragraph._p.xml
    return "<w:drawing" in xml or "<w:pict" in xml or "<w:fldSimple" in xml


def _properties(w: _Writer, created: datetime) -> None:
    meta = w.view.meta
    props = w.doc.core_properties
    props.title = _clean(meta.title)[:255]
    props.subject = _clean(meta.description)[:255]
    props.author = _clean("; ".join(meta.authors))[:255]
    props.keywords = _clean(meta.keywords)[:255]
    props.category = "Certificate management maturity assessment"
    props.comments = _clean(f"Report {meta.report_id}. {meta.generator}.")[:255]
    props.identifier = meta.report_id
    props.language = meta.lang
    props.last_modified_by = meta.generator
    props.content_status = "Draft" if meta.draft else "Final"
    props.version = ""
    props.revision = 1
    props.created = created
    props.modified = created
    props.last_printed = created


def _update_fields_on_open(document: Document) -> None:
    """``w:updateFields`` in the settings: Word offers to update the contents when opened."""
    settings = document.settings.element
    _set_on(settings, "w:updateFields", val="true")


def _reproducible_zip(data: bytes, moment: datetime) -> bytes:
    """The document's ZIP written again with every entry dated ``moment``, in the same order."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            # PNG is compressed already: stored, not deflated a second time.
            is_image = info.filename.startswith("word/media/")
            entry.compress_type = zipfile.ZIP_STORED if is_image else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render_docx(
    view: ReportView,
    charts: Sequence[ChartImage],
    *,
    created: date,
    template: Path | None = None,
) -> WordReport:
    """The Word report of ``view``, with ``charts`` (:func:`assess.render.raster.chart_images`),
    written into ``template`` (a firm's ``.docx``) or the default document."""
    document = load_template(template)
    _update_fields_on_open(document)
    w = _Writer(document, view)
    by_key = {c.key: c for c in charts}
    _cover(w)
    _contents(w)
    _summary(w, by_key)
    w.page_break()
    if view.progress is not None:
        _progress(w)
        w.page_break()
    for write in (_actions, _method):
        write(w)
        w.page_break()
    _overview(w, by_key)
    w.page_break()
    for write in (_dimensions, _roadmap, _evidence):
        write(w)
        w.page_break()
    if view.forecast is not None:
        _forecast(w, by_key)
        w.page_break()
    for write in (_judgements, _conclusion):
        write(w)
        w.page_break()
    _appendix(w)
    _running(w)
    moment = datetime(created.year, created.month, created.day, tzinfo=UTC)
    _properties(w, moment)
    buffer = io.BytesIO()
    document.save(buffer)
    return WordReport(
        data=_reproducible_zip(buffer.getvalue(), moment), tables=w.tables, images=w.images
    )
