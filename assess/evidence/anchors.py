"""Where the evidence shows a leaf's issuer chain ending, for the leaves whose trust no source
judged (forecast.md counts them as capped).

A hint, never a verdict: the forecast keeps counting these leaves under the CA/Browser Forum
caps, and the report says which root their chain ends at and how to have them judged (a TLS
scan with ``--ca-file``). The chain is followed through the CA certificates of file and
inventory evidence (:attr:`Evidence.authorities`), by issuer and subject name (:func:`dn_key`),
from the leaf's issuer up to a self-signed certificate, or up to the issuer named by the last CA
certificate the evidence holds. That end is *not public* when it is a self-signed certificate
whose fingerprint is not among the public roots a TLS scan judges against (certifi's, the
scanner's store without ``--ca-file``), or, when the evidence stops short of the root, a name no
public root carries. A leaf whose issuer the evidence holds no CA certificate for gives no hint:
the evidence does not show its chain.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from assess.evidence.metrics import Authority, Evidence
from assess.evidence.tls import public_roots
from assess.model.forecast import ForecastLeaf, PrivateHint
from assess.support.distinguished_names import common_name, dn_key


@dataclass(frozen=True)
class PublicRoots:
    """The public roots as the hint compares them: by fingerprint and by subject name."""

    fingerprints: frozenset[str]
    """SHA-256 of each root's DER, lower-case hex."""
    names: frozenset[str]
    """:func:`dn_key` of each root's subject."""


@functools.cache
def public_root_names() -> PublicRoots:
    """The roots ``assess scan tls`` judges chains against without ``--ca-file``."""
    from cryptography.hazmat.primitives import hashes

    roots, _ = public_roots()
    return PublicRoots(
        fingerprints=frozenset(root.fingerprint(hashes.SHA256()).hex() for root in roots),
        names=frozenset(dn_key(root.subject.rfc4514_string()) for root in roots),
    )


@dataclass(frozen=True)
class _End:
    """Where a chain ends in the evidence."""

    root: str
    root_seen: bool
    through: tuple[Authority, ...]


def _chain_end(issuer: str, authorities: dict[str, Authority]) -> _End | None:
    """The end of the chain from ``issuer`` through ``authorities``; ``None`` when the evidence
    holds no CA certificate of that name, or the names loop."""
    through: list[Authority] = []
    key = dn_key(issuer)
    visited: set[str] = set()
    while (ca := authorities.get(key)) is not None:
        record = ca.record
        assert record is not None
        if key in visited:
            return None
        visited.add(key)
        through.append(ca)
        above = dn_key(record.issuer)
        if record.self_signed or above == key:
            return _End(record.subject, True, tuple(through))
        key = above
    if not through:
        return None
    last = through[-1].record
    assert last is not None
    return _End(last.issuer, False, tuple(through))


def _is_public(end: _End, roots: PublicRoots) -> bool:
    if end.root_seen:
        record = end.through[-1].record
        assert record is not None
        if record.sha256 is not None:
            return record.sha256.lower() in roots.fingerprints
    return dn_key(end.root) in roots.names


def private_hints(
    leaves: Sequence[ForecastLeaf], evidence: Evidence, roots: PublicRoots | None = None
) -> tuple[PrivateHint, ...]:
    """For the leaves no source judged (neither known private nor known publicly trusted), the
    roots that are not public their chain ends at, the root with most leaves first."""
    not_judged = [leaf for leaf in leaves if not leaf.is_private and not leaf.is_public]
    if not not_judged or not evidence.authorities:
        return ()
    known = public_root_names() if roots is None else roots
    ends: dict[str, _End | None] = {}
    by_root: dict[str, list[_End]] = {}
    counts: dict[str, int] = {}
    for leaf in not_judged:
        if leaf.issuer not in ends:
            end = _chain_end(leaf.issuer, evidence.authorities)
            if end is not None and _is_public(end, known):
                end = None
            if end is not None:
                by_root.setdefault(dn_key(end.root), []).append(end)
            ends[leaf.issuer] = end
        found = ends[leaf.issuer]
        if found is not None:
            key = dn_key(found.root)
            counts[key] = counts.get(key, 0) + 1
    issuers: dict[str, set[str]] = {}
    for issuer, end in ends.items():
        if end is not None:
            issuers.setdefault(dn_key(end.root), set()).add(issuer)
    hints = [_hint(found, counts[key], issuers[key]) for key, found in by_root.items()]
    hints.sort(key=lambda hint: (-hint.leaves, dn_key(hint.root)))
    return tuple(hints)


def _hint(ends: list[_End], leaves: int, issuers: set[str]) -> PrivateHint:
    """One root's hint over the chains that end at it."""
    seen = any(end.root_seen for end in ends)
    through: dict[str, None] = {}
    sources: set[str] = set()
    for end in ends:
        for ca in end.through:
            record = ca.record
            assert record is not None
            sources.update(ca.sources)
            if not (end.root_seen and ca is end.through[-1]):
                through.setdefault(common_name(record.subject) or record.subject)
    return PrivateHint(
        root=ends[0].root,
        root_seen=seen,
        through=tuple(through),
        leaves=leaves,
        issuers=tuple(sorted(issuers)),
        sources=tuple(sorted(sources)),
    )
