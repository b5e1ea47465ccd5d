"""The report as one self-contained HTML document, from Jinja templates.

Templates are looked up in the user's ``--template-dir`` first, then in the bundled
``templates/`` folder, so a user can replace any partial. Autoescaping is on for everything and
undefined names are errors. The rendered document may load nothing from outside: every
stylesheet is inline, charts are inline SVG, and a resource a custom template points at
(``src``, ``url()``, ``@import``…) is refused unless it is a ``data:`` URI. Templates inline a
file of their folder as a ``data:`` URI with ``asset_data_uri('logo.png')``.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import jinja2

from assess.render.view.document import ReportView
from assess.support.errors import InputError, Problem
from assess.support.resources import data_dir

ENTRY_TEMPLATE = "report.html.j2"


def builtin_templates() -> Path:
    """The bundled templates folder (a checkout's ``templates/`` or the wheel's copy)."""
    return data_dir("templates")


def template_dirs(user_dir: Path | None) -> tuple[Path, ...]:
    """Where templates and assets are looked up, in order: the user's folder, then the bundle."""
    builtin = builtin_templates().resolve()
    if user_dir is None:
        return (builtin,)
    if not user_dir.is_dir():
        raise InputError(
            Problem("no such folder" if not user_dir.exists() else "not a folder", file=user_dir),
            hint="--template-dir takes a folder of templates that replace the bundled ones",
        )
    return (user_dir.resolve(), builtin)


def _inside(path: Path, folders: Sequence[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def asset_path(name: str, folders: Sequence[Path]) -> Path:
    """A file of the template folders by relative name; anything outside them is refused."""
    for folder in folders:
        candidate = (folder / name).resolve()
        if _inside(candidate, folders) and candidate.is_file():
            return candidate
    raise InputError(
        f"template asset '{name}' is not a file inside the template folders "
        f"({', '.join(str(f) for f in folders)})"
    )


def _asset_data_uri(folders: Sequence[Path]) -> object:
    def asset_data_uri(name: str) -> str:
        path = asset_path(name, folders)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"

    return asset_data_uri


def environment(folders: Sequence[Path]) -> jinja2.Environment:
    """The Jinja environment: user folder first, autoescape everywhere, strict undefined."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals["asset_data_uri"] = _asset_data_uri(folders)
    return env


def render_html(view: ReportView, template_dir: Path | None = None) -> str:
    """The report's HTML; template problems and outside resources are an InputError (exit 2)."""
    return render_template(ENTRY_TEMPLATE, template_dir, report=view)


def render_template(entry: str, template_dir: Path | None = None, **context: object) -> str:
    """A document from the entry template ``entry`` (the report, a comparison, a trend), with
    the same checks: template problems and outside resources are an InputError (exit 2)."""
    folders = template_dirs(template_dir)
    env = environment(folders)
    try:
        html = env.get_template(entry).render(**context)
    except jinja2.TemplateSyntaxError as error:
        raise InputError(
            Problem(
                f"template syntax error: {error.message}",
                file=Path(error.filename) if error.filename else None,
                line=error.lineno,
            )
        ) from None
    except jinja2.UndefinedError as error:
        raise InputError(
            f"template error: {error.message}",
            hint="a custom template may only use the fields of the report view "
            "(docs/report.md, Template overrides)",
        ) from None
    except jinja2.TemplateNotFound as error:
        raise InputError(f"template not found: {error.name}") from None
    outside = external_resources(html)
    if outside:
        raise InputError(
            f"the report would load {outside[0]!r} from outside the document; "
            "reports load nothing from files or the network",
            hint="inline a file of your template folder with {{ asset_data_uri('logo.png') }}",
        )
    return html


_RESOURCE_ATTRIBUTES = {
    "src",
    "srcset",
    "poster",
    "data",
    "background",
    "xlink:href",
    "codebase",
    "archive",
    "manifest",
    "formaction",
    "action",
    "ping",
    "longdesc",
    "lowsrc",
    "dynsrc",
}
"""Attributes whose URL a browser or WeasyPrint may fetch."""
_HREF_LOADS = {"link", "image", "use", "feimage", "base", "script", "tref", "textpath"}
"""Elements whose ``href`` is loaded, not followed."""
_CSS_URL = re.compile(
    r"url\(\s*(['\"]?)(.*?)\1\s*\)|@import\s+(['\"])(.*?)\3", re.IGNORECASE | re.S
)


def _is_inert(url: str) -> bool:
    value = url.strip()
    return value == "" or value.startswith("#") or value.lower().startswith("data:")


def _css_urls(text: str) -> list[str]:
    found = []
    for match in _CSS_URL.finditer(text):
        url = match.group(2) if match.group(2) is not None else match.group(4)
        if url is not None and not _is_inert(url):
            found.append(url)
    return found


class _ResourceFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        for name, value in attrs:
            if value is None:
                continue
            name = name.lower()
            if name in _RESOURCE_ATTRIBUTES or (name == "href" and tag in _HREF_LOADS):
                # srcset candidates are "URL descriptor" separated by a comma and a space (a
                # data: URI has commas of its own, not followed by a space).
                urls = (
                    [part.strip().split(" ")[0] for part in re.split(r",\s+", value)]
                    if name == "srcset"
                    else [value]
                )
                self.found.extend(u for u in urls if not _is_inert(u))
            elif name == "style":
                self.found.extend(_css_urls(value))
            elif name == "http-equiv" and value.lower() == "refresh":
                self.found.append("meta refresh")
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag: str) -> None:
        if tag.lower() == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(_css_urls(data))


def external_resources(html: str) -> list[str]:
    """URLs the document would load from outside itself (anything but ``data:`` and ``#…``)."""
    finder = _ResourceFinder()
    finder.feed(html)
    finder.close()
    return finder.found
