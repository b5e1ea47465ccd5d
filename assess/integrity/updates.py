"""What may follow a signature: the incremental updates ``assess verify`` accepts after a signed
revision, and every update named in plain words.

A signature covers the file as it was when signed (its *revision*); an update appended later is
signed by nothing. pyHanko's difference analysis tells which objects an update touches and
whether each is one a policy allows. Its default policy allows more than a report can bear:
a new signature field whose widget paints over a page as long as it holds no signature (the
"shadow attack"), any new XMP metadata, any change to the document information. The policy
here allows only:

- a signature in one of the report's sign-off boxes, with its stamp (countersigning);
- a new *invisible* signature field holding a signature or a document timestamp (signing a
  report without sign-off boxes, such as a draft; an archive timestamp);
- validation data for the signatures (a DSS: certificates, OCSP responses, CRLs), which verify
  does not use (it checks signers against ``--trust``);
- the bookkeeping of every PDF writer: the modification date and producer in the document
  information and the XMP metadata, new cross-reference and object streams, objects nothing
  refers to.

Everything else (a visible new field, another metadata property, a page, an annotation, an
attachment, a catalog entry) is refused, and :func:`describe_update` names it.

pyHanko is the optional extra ``sign``: import this module only where pyHanko is known to be
installed (after :func:`~assess.integrity.attachments.load_pyhanko`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import RawPdfPath
from pyhanko.sign.diff_analysis import (
    CatalogModificationRule,
    DiffResult,
    DSSCompareRule,
    FormUpdatingRule,
    ModificationLevel,
    ObjectStreamRule,
    ReferenceUpdate,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    SuspiciousModification,
    WhitelistRule,
    XrefStreamRule,
)
from pyhanko.sign.diff_analysis.commons import safe_whitelist
from pyhanko.sign.diff_analysis.rules.form_field_rules import is_field_visible
from pyhanko.sign.diff_analysis.rules_api import Context

from assess.integrity import xmp
from assess.integrity.attachments import embedded_files

BOOKKEEPING_INFO = frozenset({"/ModDate", "/Producer"})
"""The document information entries every PDF writer updates when it appends to a file."""
CATALOG_CHECKED_ELSEWHERE = frozenset({"/AcroForm", "/DSS", "/Extensions", "/Metadata"})
"""Catalog entries an update may change, each judged by its own rule (``/Extensions`` only
declares the PDF extensions a signature uses, such as ESIC)."""
ACROFORM_MAY_CHANGE = frozenset({"/Fields", "/DR", "/DA"})
"""Entries of the form dictionary a signer may change: the field list (each field judged
apart) and the default resources and appearance of new fields."""


class RefusedUpdate(SuspiciousModification):
    """An update after a signature that the policy does not allow, with the revision it
    makes and why, in plain words when :attr:`is_plain`, else pyHanko's words."""

    def __init__(self, revision: int, reason: str, *, is_plain: bool) -> None:
        super().__init__(reason)
        self.revision = revision
        self.reason = reason
        self.is_plain = is_plain


class _Refused(SuspiciousModification):
    """A refusal by one of the rules below, already in plain words."""


def strict_policy() -> Any:
    """The pyHanko difference policy of ``assess verify`` (see the module docstring)."""
    lta = ModificationLevel.LTA_UPDATES
    return _NamingPolicy(
        global_rules=[
            CatalogModificationRule(  # type: ignore[no-untyped-call]
                ignored_keys=CATALOG_CHECKED_ELSEWHERE
            ),
            _InfoRule().as_qualified(lta),
            XrefStreamRule().as_qualified(lta),
            ObjectStreamRule().as_qualified(lta),
            DSSCompareRule().as_qualified(lta),
            _MetadataRule().as_qualified(lta),
        ],
        form_rule=FormUpdatingRule(
            field_rules=[
                _NewFieldRule(),  # type: ignore[no-untyped-call]
                SigFieldModificationRule(),
            ],
            ignored_acroform_keys=ACROFORM_MAY_CHANGE,
        ),
    )


class _NamingPolicy(StandardDiffPolicy):
    """pyHanko's standard policy, its refusals carrying the revision they are about."""

    def apply(self, old: Any, new: Any, field_mdp_spec: Any = None, doc_mdp: Any = None) -> Any:
        try:
            result = super().apply(old, new, field_mdp_spec, doc_mdp)
        except _Refused as refusal:
            raise RefusedUpdate(new.revision, str(refusal), is_plain=True) from None
        except SuspiciousModification as refusal:
            raise RefusedUpdate(new.revision, str(refusal), is_plain=False) from None
        except (PdfError, KeyError, TypeError, ValueError) as error:
            # A structure the analysis cannot follow is one it cannot show harmless.
            raise RefusedUpdate(
                new.revision, f"its objects cannot be read ({error})", is_plain=False
            ) from None
        assert isinstance(result, DiffResult)
        return result


class _NewFieldRule(SigFieldCreationRule):
    """pyHanko's rule for new signature fields, refusing those that show on a page: only the
    report's own sign-off boxes may show a signature, so that nothing paints over the report."""

    def apply(self, context: Any) -> Iterator[Any]:
        pages = page_numbers(context.new)
        for name, spec in sorted(context.field_specs.items()):
            if spec.old_field_ref is not None or spec.new_field_ref is None:
                continue
            if spec.field_type != "/Sig":
                raise _Refused(f"adds the form field {name}")
            if _is_visible(spec.new_field):
                raise _Refused(_new_field_phrase(name, spec.new_field_ref, pages))
        yield from super().apply(context)


class _InfoRule(WhitelistRule):
    """The document information may change in its modification date and producer only (a
    reader shows its title, author and subject in the document's properties)."""

    def apply(self, old: Any, new: Any) -> Iterator[Any]:
        new_ref = new.trailer_view.get_value_as_reference("/Info", optional=True)
        if new_ref is None:
            return
        old_ref = old.trailer_view.get_value_as_reference("/Info", optional=True)
        phrase = info_change(old, old_ref, new, new_ref)
        if phrase:
            raise _Refused(phrase)
        context = Context.from_absolute(old, RawPdfPath("/Info"))
        for ref in safe_whitelist(old, old_ref, new_ref):
            yield ReferenceUpdate(ref, context_checked=context)


class _MetadataRule(WhitelistRule):
    """The XMP metadata may be rewritten (pyHanko rewrites it on every update) as long as it
    states the same, the modification date and producer aside."""

    def apply(self, old: Any, new: Any) -> Iterator[Any]:
        old_ref = old.root.get_value_as_reference("/Metadata", optional=True)
        new_ref = new.root.get_value_as_reference("/Metadata", optional=True)
        if new_ref is None:
            if old_ref is not None:
                raise _Refused("removes the XMP metadata")
            return
        phrase = metadata_change(old, old_ref, new, new_ref)
        if phrase:
            raise _Refused(phrase)
        if old_ref == new_ref or old.is_ref_unassignable(new_ref):
            context = Context.from_absolute(old, RawPdfPath("/Root", "/Metadata"))
            yield ReferenceUpdate(new_ref, context_checked=context)


def _form_of(catalog: Any) -> Any:
    """The catalog's form dictionary, or an empty one: a draft report has no form until its
    first signature adds one, and an earlier revision then resolves the reference to null."""
    form = catalog.get("/AcroForm", None)
    return form if isinstance(form, generic.DictionaryObject) else {}


def info_change(old: Any, old_ref: Any, new: Any, new_ref: Any) -> str | None:
    """What an update changed in the document information beyond the bookkeeping, as a
    phrase; ``None`` when nothing. The references are resolved in their own revisions
    (``old``, ``new``): the trailer hands out references to the latest one."""
    before = old(old_ref) if old_ref is not None else {}
    after = new(new_ref)
    if not isinstance(after, generic.DictionaryObject):
        return "replaces the document information with something that is not a dictionary"
    keys = {str(k) for k in (*before.keys(), *after.keys())} - BOOKKEEPING_INFO
    changed = sorted(k for k in keys if before.get(k) != after.get(k))
    if not changed:
        return None
    return f"changes the document information ({', '.join(name[1:] for name in changed)})"


def metadata_change(old: Any, old_ref: Any, new: Any, new_ref: Any) -> str | None:
    """What an update changed in the XMP metadata beyond the bookkeeping, as a phrase;
    ``None`` when nothing. The references are resolved in their own revisions."""
    after = new(new_ref)
    if not isinstance(after, generic.StreamObject):
        return "replaces the XMP metadata with something that is not a stream"
    if old_ref is None:
        return "adds XMP metadata"
    before = old(old_ref)
    if not isinstance(before, generic.StreamObject):
        return "replaces XMP metadata that was not a stream"
    old_packet, new_packet = before.data, after.data
    if old_packet == new_packet:
        return None
    changed = xmp.changed_properties(old_packet, new_packet)
    if changed is None:
        return "replaces the XMP metadata with a packet verify cannot compare property by property"
    if not changed:
        return None
    return f"replaces the XMP metadata ({', '.join(changed)} changed)"


def describe_update(reader: Any, revision: int) -> tuple[str, ...]:
    """What the update that makes ``revision`` (0-based) did to the revision before it, as
    phrases ("adds validation data for the signatures (DSS)"); none when it changed nothing
    but the bookkeeping."""
    old = reader.get_historical_resolver(revision - 1)
    new = reader.get_historical_resolver(revision)
    try:
        touched = set(new.explicit_refs_in_revision())
        pages = page_numbers(new)
        phrases = [
            *_field_changes(old, new, touched, pages),
            *_page_changes(old, new, touched, pages),
            *_catalog_changes(old, new, touched),
        ]
    except (PdfError, KeyError, TypeError, ValueError, AttributeError) as error:
        return (f"rewrites objects whose structure cannot be read ({error})",)
    return tuple(phrases)


def page_numbers(resolver: Any) -> dict[Any, int]:
    """The pages of a revision: each page object's reference and its page number from 1."""
    numbers: dict[Any, int] = {}
    seen: set[Any] = set()

    def walk(node: Any) -> None:
        if not isinstance(node, generic.IndirectObject) or node.reference in seen:
            return
        seen.add(node.reference)
        value = _deref(node)
        if "/Kids" in value:
            for kid in value["/Kids"]:
                walk(kid)
        else:
            numbers[node.reference] = len(numbers) + 1

    walk(resolver.root.raw_get("/Pages"))
    return numbers


def _is_visible(field: Any) -> bool:
    """True when a field (or one of its widgets) has an area on its page (pyHanko's test)."""
    return bool(is_field_visible(field))  # type: ignore[no-untyped-call]


def _fields(resolver: Any) -> dict[str, Any]:
    """The form fields of a revision by qualified name, each an indirect object."""
    found: dict[str, Any] = {}
    form = resolver.root.get("/AcroForm")
    if form is None:
        return found

    def walk(items: Iterable[Any], parent: str) -> None:
        for item in items:
            field = item.get_object()
            if "/T" not in field:
                continue
            name = f"{parent}.{field['/T']}" if parent else str(field["/T"])
            found[name] = item
            walk(field.get("/Kids", ()), name)

    walk(form.get_object().get("/Fields", ()), "")
    return found


def _widgets(field_ref: Any) -> list[Any]:
    """The widget annotations of a terminal field, as references: its kids without a name,
    or itself."""
    field = field_ref.get_object()
    kids = [
        kid.reference
        for kid in field.get("/Kids", ())
        if isinstance(kid, generic.IndirectObject) and "/T" not in _deref(kid)
    ]
    return kids or [getattr(field_ref, "reference", field_ref)]


def _field_page(field_ref: Any, pages: dict[Any, int]) -> int | None:
    """The page the first widget of a field is on, by its /P entry."""
    for widget in _widgets(field_ref):
        page = _raw(widget.get_object(), "/P")
        if isinstance(page, generic.IndirectObject) and page.reference in pages:
            return pages[page.reference]
    return None


def _value_kind(field: Any) -> str | None:
    """What a signature field holds: "a signature", "a document timestamp" or ``None``."""
    if "/V" not in field:
        return None
    value = field["/V"]
    is_stamp = isinstance(value, generic.DictionaryObject) and value.get("/Type") == (
        "/DocTimeStamp"
    )
    return "a document timestamp" if is_stamp else "a signature"


def _new_field_phrase(name: str, field_ref: Any, pages: dict[Any, int]) -> str:
    """How a signature field added by an update is named."""
    field = field_ref.get_object()
    kind = _value_kind(field)
    if not _is_visible(field):
        return (
            f"adds {kind} in the new invisible field {name}"
            if kind
            else (f"adds the empty invisible signature field {name}")
        )
    page = _field_page(field_ref, pages)
    where = f"shows on page {page}" if page else "shows on a page"
    holding = f"holds {kind}" if kind else "carries no signature"
    return f"adds a signature field {name} that {where} and {holding}"


def _field_changes(old: Any, new: Any, touched: set[Any], pages: dict[Any, int]) -> Iterator[str]:
    """The fields an update added, signed, changed or removed."""
    before, after = _fields(old), _fields(new)
    for name, ref in sorted(after.items()):
        field = ref.get_object()
        if name not in before:
            yield _new_field_phrase(name, ref, pages)
            continue
        kind = _value_kind(field)
        if kind and _value_kind(before[name].get_object()) is None:
            box = "sign-off box" if _is_visible(field) else "invisible field"
            verb = "signs" if kind == "a signature" else "adds a document timestamp in"
            yield f"{verb} the {box} {name}"
        elif ref.reference in touched or any(w in touched for w in _widgets(ref)):
            yield f"changes the signature field {name}"
    yield from (f"removes the field {name}" for name in sorted(set(before) - set(after)))


def _page_changes(old: Any, new: Any, touched: set[Any], pages: dict[Any, int]) -> Iterator[str]:
    """The pages an update changed: their content, their entries, their annotations (the
    widgets of signature fields aside, named with their fields)."""
    old_pages = page_numbers(old)
    widgets = {w for ref in _fields(new).values() for w in _widgets(ref)}
    for ref, number in pages.items():
        if ref not in old_pages:
            yield f"adds page {number}"
            continue
        before, after = old(ref), new(ref)
        contents = _raw(after, "/Contents")
        stream_refs = set()
        if isinstance(contents, generic.IndirectObject):
            stream_refs.add(contents.reference)
            contents = _deref(contents)
        if isinstance(contents, generic.ArrayObject):
            stream_refs |= {s.reference for s in contents if isinstance(s, generic.IndirectObject)}
        if stream_refs & touched or before.get("/Contents") != after.get("/Contents"):
            yield f"changes the content of page {number}"
        keys = {str(k) for k in (*before.keys(), *after.keys())} - {"/Contents", "/Annots"}
        changed = sorted(k for k in keys if before.get(k) != after.get(k))
        if changed:
            yield f"changes page {number} ({', '.join(changed)})"
        yield from _annotation_changes(before, after, number, touched, widgets)
    if len(old_pages) > len(pages):
        yield f"removes {len(old_pages) - len(pages)} page(s)"


def _annotation_changes(
    before: Any, after: Any, number: int, touched: set[Any], widgets: set[Any]
) -> Iterator[str]:
    """The annotations an update added to, changed on or removed from one page."""

    def refs(page: Any) -> dict[Any, Any]:
        annots = page.get("/Annots", ())
        return {a.reference: a for a in annots if isinstance(a, generic.IndirectObject)}

    old_annots, new_annots = refs(before), refs(after)
    for ref, annot in new_annots.items():
        if ref in widgets:
            continue
        kind = str(annot.get_object().get("/Subtype", "/unknown"))[1:]
        if ref not in old_annots:
            yield f"adds a {kind} annotation on page {number}"
        elif ref in touched:
            yield f"changes a {kind} annotation on page {number}"
    if set(old_annots) - set(new_annots):
        yield f"removes an annotation from page {number}"


def _catalog_changes(old: Any, new: Any, touched: set[Any]) -> Iterator[str]:
    """What an update changed through the document catalog: the DSS, the attachments, the
    metadata, the document information and any other entry."""
    before, after = old.root, new.root
    if "/DSS" in after and (
        "/DSS" not in before
        or before.raw_get("/DSS") != after.raw_get("/DSS")
        or any(ref in touched for ref in _dss_refs(after))
    ):
        yield f"adds validation data for the signatures ({_dss_summary(after['/DSS'])})"
    keys = {str(k) for k in (*before.keys(), *after.keys())} - CATALOG_CHECKED_ELSEWHERE
    changed = sorted(k for k in keys if _raw(before, k) != _raw(after, k))
    old_files, new_files = embedded_files(old), embedded_files(new)
    for name in sorted(set(old_files) | set(new_files)):
        if name not in new_files:
            yield f"removes the attachment {name}"
        elif name not in old_files:
            yield f"adds the attachment {name}"
        elif old_files[name] != new_files[name]:
            yield f"replaces the attachment {name}"
    if old_files != new_files and "/Names" in changed:
        changed.remove("/Names")
    if changed:
        yield f"changes the document catalog ({', '.join(changed)})"
    old_form, new_form = _form_of(before), _form_of(after)
    form_keys = {str(k) for k in (*old_form.keys(), *new_form.keys())} - {"/Fields"}
    form_changed = sorted(k for k in form_keys if _raw(old_form, k) != _raw(new_form, k))
    if form_changed:
        yield f"changes the form ({', '.join(form_changed)})"
    old_meta = before.get_value_as_reference("/Metadata", optional=True)
    new_meta = after.get_value_as_reference("/Metadata", optional=True)
    if new_meta is not None:
        phrase = metadata_change(old, old_meta, new, new_meta)
        if phrase:
            yield phrase
    elif old_meta is not None:
        yield "removes the XMP metadata"
    new_info = new.trailer_view.get_value_as_reference("/Info", optional=True)
    if new_info is not None:
        old_info = old.trailer_view.get_value_as_reference("/Info", optional=True)
        phrase = info_change(old, old_info, new, new_info)
        if phrase:
            yield phrase


def _deref(value: Any) -> Any:
    """The object an indirect reference points to (pyHanko leaves ``get_object`` untyped)."""
    return value.get_object()


def _raw(dictionary: Any, key: str) -> Any:
    """An entry of a PDF dictionary as written (a reference stays one); ``None`` if absent."""
    return dictionary.raw_get(key) if key in dictionary else None


def _dss_refs(root: Any) -> set[Any]:
    """The DSS dictionary and its arrays, as references (those that are indirect)."""
    value = root.raw_get("/DSS")
    refs = {value.reference} if isinstance(value, generic.IndirectObject) else set()
    dss = value.get_object()
    for key in ("/Certs", "/OCSPs", "/CRLs", "/VRI"):
        item = _raw(dss, key)
        if isinstance(item, generic.IndirectObject):
            refs.add(item.reference)
    return refs


def _dss_summary(dss: Any) -> str:
    """What a DSS holds, counted: "DSS: 1 certificate, 0 OCSP responses, 0 CRLs"."""
    counts = [
        (len(dss.get(key, ())), word)
        for key, word in (("/Certs", "certificate"), ("/OCSPs", "OCSP response"), ("/CRLs", "CRL"))
    ]
    return "DSS: " + ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts)
