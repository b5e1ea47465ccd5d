"""The assessor's narrative as the report shows it: Markdown parsed into a few inert blocks.

The narrative files (``narrative/*.md``) are Markdown written by the assessor. They are parsed
once, here, with markdown-it-py's CommonMark rules and raw HTML off, into paragraphs, headings,
lists, quotes and code blocks of plain runs of text (bold, italic, code). Every output draws
these blocks: the HTML templates escape each run like any other text, the Word writer puts each
in a run. Nothing in a narrative is ever markup of the report:

- HTML is shown as the text it is (``<script>`` reads ``<script>``); an HTML comment
  ``<!-- … -->`` is removed, so a file can hold notes that show nothing;
- a link shows its text followed by its address in brackets, and links nowhere; an image shows
  ``[image: alt text]`` and loads nothing (a report loads nothing from outside the templates);
- characters XML cannot hold (control characters other than tab and line breaks, lone
  surrogates, U+FFFE and U+FFFF) are removed (:func:`xml_safe`), so the text fits HTML, PDF
  and Word alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from markdown_it import MarkdownIt
from markdown_it.token import Token

from assess.model.base import Frozen

__all__ = [
    "Block",
    "BlockKind",
    "ListItem",
    "NarrativeView",
    "Run",
    "narrative_blocks",
    "narrative_view",
    "xml_safe",
]

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 cannot hold: C0 controls but tab, LF and CR; surrogates; U+FFFE/FFFF."""
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
HEADING_LEVELS = 3
"""A narrative's headings are shown at most three levels deep (``####`` reads as ``###``)."""


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (see the module's docstring)."""
    return _XML_INVALID.sub("", text)


class Run(Frozen):
    """A stretch of text in one style."""

    text: str
    is_bold: bool = False
    is_italic: bool = False
    is_code: bool = False
    is_breakable: bool = False
    """A long code (a hash) that may break anywhere at the end of a line; the report's own
    prose sets it (:mod:`assess.render.view.prose`), an assessor's narrative never does."""


class BlockKind(StrEnum):
    """What a narrative block is."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    BULLETS = "bullets"
    NUMBERED = "numbered"
    QUOTE = "quote"
    CODE = "code"


class ListItem(Frozen):
    """One item of a list; ``depth`` 0 for the outer list."""

    runs: tuple[Run, ...]
    depth: int = 0


class Block(Frozen):
    """A paragraph, a heading (``level`` 1 to 3), a list, a quoted paragraph or a code block."""

    kind: BlockKind
    runs: tuple[Run, ...] = ()
    level: int = 0
    items: tuple[ListItem, ...] = ()


class NarrativeView(Frozen):
    """The narrative of one report: the blocks of each place it is shown."""

    summary: tuple[Block, ...] = ()
    dimensions: dict[str, tuple[Block, ...]] = {}
    """By dimension id."""
    conclusion: tuple[Block, ...] = ()


def _parser() -> MarkdownIt:
    # CommonMark with raw HTML off: an HTML block or tag is text. No linkify, no typographer.
    return MarkdownIt("commonmark", {"html": False})


def _runs(inline: Token) -> tuple[Run, ...]:
    """The runs of an inline token: text in the styles open around it, links as text."""
    runs: list[Run] = []
    bold = italic = 0
    href: list[str] = []

    def add(text: str, *, code: bool = False) -> None:
        text = xml_safe(text)
        if not text:
            return
        run = Run(text=text, is_bold=bold > 0, is_italic=italic > 0, is_code=code)
        last = runs[-1] if runs else None
        if last is not None and last.model_copy(update={"text": ""}) == run.model_copy(
            update={"text": ""}
        ):
            runs[-1] = last.model_copy(update={"text": last.text + run.text})
        else:
            runs.append(run)

    for child in inline.children or ():
        match child.type:
            case "text" | "html_inline":
                add(child.content)
            case "softbreak":
                add(" ")
            case "hardbreak":
                add("\n")
            case "code_inline":
                add(child.content, code=True)
            case "strong_open":
                bold += 1
            case "strong_close":
                bold -= 1
            case "em_open":
                italic += 1
            case "em_close":
                italic -= 1
            case "link_open":
                href.append(str(child.attrs.get("href", "")))
            case "link_close":
                address = href.pop() if href else ""
                if address:
                    add(f" ({address})")
            case "image":
                add(f"[image: {child.content}]" if child.content else "[image]")
            case _:
                add(child.content)
    return tuple(runs)


def narrative_blocks(markdown: str) -> tuple[Block, ...]:
    """The blocks of a narrative text (empty for a text that shows nothing)."""
    text = xml_safe(_COMMENT.sub("", markdown))
    if not text.strip():
        return ()
    tokens = _parser().parse(text)
    blocks: list[Block] = []
    lists: list[BlockKind] = []
    items: list[ListItem] = []
    quote = 0
    pending_heading = 0
    for token in tokens:
        match token.type:
            case "heading_open":
                pending_heading = min(int(token.tag[1:]), HEADING_LEVELS)
            case "bullet_list_open" | "ordered_list_open":
                kind = BlockKind.BULLETS if token.type.startswith("bullet") else BlockKind.NUMBERED
                lists.append(kind)
            case "bullet_list_close" | "ordered_list_close":
                kind = lists.pop()
                if not lists and items:
                    blocks.append(Block(kind=kind, items=tuple(items)))
                    items = []
            case "blockquote_open":
                quote += 1
            case "blockquote_close":
                quote -= 1
            case "inline":
                runs = _runs(token)
                if not runs:
                    continue
                if pending_heading:
                    blocks.append(Block(kind=BlockKind.HEADING, runs=runs, level=pending_heading))
                    pending_heading = 0
                elif lists:
                    items.append(ListItem(runs=runs, depth=len(lists) - 1))
                elif quote:
                    blocks.append(Block(kind=BlockKind.QUOTE, runs=runs))
                else:
                    blocks.append(Block(kind=BlockKind.PARAGRAPH, runs=runs))
            case "fence" | "code_block":
                code = xml_safe(token.content.rstrip("\n"))
                if lists:
                    items.append(ListItem(runs=(Run(text=code, is_code=True),), depth=len(lists)))
                elif code:
                    blocks.append(Block(kind=BlockKind.CODE, runs=(Run(text=code, is_code=True),)))
            case "hr":
                pass
    return tuple(blocks)


def narrative_view(
    summary: str, dimensions: Sequence[tuple[str, str]], conclusion: str
) -> NarrativeView:
    """The narrative's blocks for each place of the report."""
    return NarrativeView(
        summary=narrative_blocks(summary),
        dimensions={key: blocks for key, text in dimensions if (blocks := narrative_blocks(text))},
        conclusion=narrative_blocks(conclusion),
    )
