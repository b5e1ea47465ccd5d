"""The optional parts of cmmm-assess (``[project.optional-dependencies]``) and how to add one."""

from __future__ import annotations


def install_hint(extra: str) -> str:
    """How to install an extra, from the package index or from a clone of the repository
    (where the package index may not have cmmm-assess)."""
    return f"pip install 'cmmm-assess[{extra}]', or pip install '.[{extra}]' in a clone"
