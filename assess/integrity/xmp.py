"""What an XMP metadata packet states, property by property, so that two packets written by
different tools can be compared for what they say rather than for their bytes.

A PDF writer that appends an update after a signature rewrites the XMP packet to set its
modification date and producer (pyHanko does, in its own layout). verify accepts such a
rewrite only when every other statement is unchanged, so the reading below must see every
statement a PDF reader could show: a repeated property counts twice, and a packet with anything
this reading does not understand (a DTD, a comment, a second RDF graph, text outside the
properties) is not read at all, and its change is refused.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections import Counter

X_XMPMETA = "{adobe:ns:meta/}xmpmeta"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PREFIXES = {
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://www.aiim.org/pdfa/ns/id/": "pdfaid",
    "http://www.aiim.org/pdfua/ns/id/": "pdfuaid",
    RDF: "rdf",
}
"""The usual prefixes of the namespaces a report's metadata uses, to name a property."""

BOOKKEEPING = frozenset(
    {
        "{http://ns.adobe.com/xap/1.0/}ModifyDate",
        "{http://ns.adobe.com/xap/1.0/}MetadataDate",
        "{http://ns.adobe.com/pdf/1.3/}Producer",
    }
)
"""The properties every PDF writer updates when it appends to a file: when and with what."""

Statement = tuple[str, str]
"""A property (its expanded name) and its value in a canonical form."""


def statements(packet: bytes) -> list[Statement] | None:
    """The statements of an XMP packet, sorted, repeats kept; ``None`` when the packet holds
    anything beyond properties of the document (then it cannot be compared soundly)."""
    if b"<!" in packet:  # a DTD (entities), a comment or a CDATA section: none is metadata
        return None
    try:
        root = ET.fromstring(packet)
    except ET.ParseError:
        return None
    graphs = list(root)
    if root.tag != X_XMPMETA or len(graphs) != 1 or graphs[0].tag != f"{{{RDF}}}RDF":
        return None
    if _has_text(root) or _has_text(graphs[0]):
        return None
    found: list[Statement] = []
    subjects = set()
    for description in graphs[0]:
        if description.tag != f"{{{RDF}}}Description" or _has_text(description):
            return None
        for name, value in description.attrib.items():
            if name == f"{{{RDF}}}about":
                subjects.add(value)
            else:
                found.append((name, value))
        found.extend((prop.tag, _value(prop)) for prop in description)
    if len(subjects) > 1:  # statements about two resources: which one is the document?
        return None
    found.extend((f"{{{RDF}}}about", subject) for subject in subjects)
    return sorted(found)


def changed_properties(old: bytes, new: bytes) -> list[str] | None:
    """The properties (prefixed names, sorted) whose statements differ between two packets,
    the bookkeeping ones aside; ``None`` when either packet cannot be read."""
    before, after = statements(old), statements(new)
    if before is None or after is None:
        return None
    difference = (Counter(before) - Counter(after)) + (Counter(after) - Counter(before))
    return sorted({prefixed(name) for name, _ in difference if name not in BOOKKEEPING})


def prefixed(name: str) -> str:
    """An expanded name ``{uri}local`` as ``prefix:local`` when the namespace is a usual one."""
    uri, _, local = name[1:].partition("}")
    prefix = PREFIXES.get(uri)
    return f"{prefix}:{local}" if prefix else name


def _value(prop: ET.Element) -> str:
    """A property's value: its text when it is a simple value (as an attribute would hold it),
    else its canonical XML (prefixes rewritten, so the tool's choice of prefix does not
    count)."""
    if len(prop) == 0 and not prop.attrib:
        return prop.text or ""
    alone = copy.copy(prop)
    alone.tail = None
    return ET.canonicalize(
        ET.tostring(alone, encoding="unicode"), strip_text=True, rewrite_prefixes=True
    )


def _has_text(element: ET.Element) -> bool:
    """True when the element holds text of its own (besides layout whitespace) or its children
    are followed by some."""
    texts = [element.text, *(child.tail for child in element)]
    return any(text and text.strip() for text in texts)
