"""A report PDF as signing and verifying read it: pyHanko, and the files the PDF carries.

pyHanko is the optional extra ``sign``, loaded here inside the functions so that nothing else
pays for it. A report made by cmmm-assess carries ``manifest.json`` among its attachments;
a PDF without one is not a report this tool signs or verifies.
"""

from __future__ import annotations

from typing import Any

from assess.model.manifest import MANIFEST_ATTACHMENT
from assess.support.errors import EnvironmentProblem
from assess.support.extras import install_hint

SIGN_EXTRA_HINT = f"install the signing extra: {install_hint('sign')}"
"""What to do when pyHanko is not installed."""
NOT_A_REPORT = f"not a report made by cmmm-assess: the PDF carries no {MANIFEST_ATTACHMENT}"
"""The error for a PDF without a manifest."""


def load_pyhanko() -> Any:
    """The ``pyhanko.sign`` module; an :class:`EnvironmentProblem` when pyHanko is missing."""
    try:
        import pyhanko.sign
    except ImportError:
        raise EnvironmentProblem(
            "signing and verifying reports needs pyHanko, which is not installed",
            hint=SIGN_EXTRA_HINT,
        ) from None
    return pyhanko.sign


def embedded_files(reader: Any) -> dict[str, bytes]:
    """The attachments of a PDF (a pyHanko reader) by name: the catalog's EmbeddedFiles tree."""
    files: dict[str, bytes] = {}
    names = reader.root.get("/Names")
    tree = names.get("/EmbeddedFiles") if names is not None else None
    if tree is None:
        return files

    def walk(node: Any) -> None:
        node = node.get_object()
        if "/Names" in node:
            pairs = node["/Names"]
            for i in range(0, len(pairs) - 1, 2):
                spec = pairs[i + 1].get_object()
                stream = spec["/EF"]["/F"].get_object()
                files[str(pairs[i])] = stream.data
        for kid in node.get("/Kids", ()):
            walk(kid)

    walk(tree)
    return files
