"""Immediate actions: concrete findings in fresh scan evidence (method.md, Immediate actions).

Read from the same :class:`~assess.evidence.metrics.Evidence` aggregate as the metrics, built
from fresh bundles only: a stale bundle never raises an action. Each action names the file,
endpoint or certificate it concerns; the list is ranked by severity, then by how many subjects
share the finding (the most widespread first), then by finding and subject, so that the same
evidence always gives the same list.

The findings are data: three tables of rules (the severity, the finding in words, and a function
that gives the detail when its subject has the finding), one for key files, one for the chains
endpoints present, one for leaf certificates; :func:`_apply` runs a table over one subject.

Permission bits are told apart as the method does: a key file whose *other*-read bit is set
(``0644``, ``0666``) is readable by others, anyone with an account on the machine, encrypted or
not; one whose only *group*-read bit is set (``0640``) is readable by its group, an action only
when the key is unencrypted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from assess.evidence.merge import Deployment
from assess.evidence.metrics import Evidence, days_left, is_weak_signature
from assess.model.bundle import CertificateRecord, KeyRecord, KeyType
from assess.model.evidence import ImmediateAction, Severity

OTHER_READ = 0o004
"""The permission bit that lets any account on the machine read the file."""
GROUP_READ = 0o040
"""The permission bit that lets the file's group read it."""
EXPIRING_DAYS = 7
"""A valid certificate expiring within this many days of the evaluation date is an action."""
MIN_RSA_DSA_BITS = 2048
MIN_EC_BITS = 224

KEY_READABLE_BY_OTHERS = "private key readable by others"
EXPIRED_SERVED = "expired certificate still served"
EXPIRING_SOON = "certificate expires within 7 days"
WEAK_KEY = "leaf certificate with a weak key"
WEAK_SIGNATURE = "leaf certificate with a weak signature"
KEY_READABLE_BY_GROUP = "unencrypted private key readable by its group"
CHAIN_NOT_VALID = "chain does not validate"
NAME_MISMATCH = "certificate does not match the host name"
SHARED_KEY = "public key shared by several leaf certificates"

PLACES_NAMED = 3
"""Where a certificate was seen: at most this many places are named in an action's detail."""

T = TypeVar("T")


@dataclass(frozen=True)
class _Served:
    """One chain an endpoint presents, as the endpoint rules read it."""

    where: str
    deployment: Deployment
    left: int
    """Days from the evaluation date to the leaf's expiry (0 or less: expired)."""


@dataclass(frozen=True)
class _Leaf:
    """A leaf certificate of the evidence, as the certificate rules read it."""

    record: CertificateRecord
    seen: str
    """Its subject, and where it was seen when that is not its name already."""
    left: int
    """Days from the evaluation date to its expiry."""
    sharing: int
    """How many other leaf certificates carry its public key."""


@dataclass(frozen=True)
class _Rule(Generic[T]):
    """One finding: its severity, its words, and its detail about a subject of type ``T``
    (``None`` when the subject does not have it)."""

    severity: Severity
    finding: str
    detail: Callable[[T], str | None]


def _readable_by_others(record: KeyRecord) -> str | None:
    if readability(record.mode) != "others":
        return None
    protection = "encrypted" if record.encrypted else "unencrypted"
    return (
        f"mode {record.mode}: any account on the machine can read this "
        f"{protection}{_key_kind(record)} private key"
    )


def _readable_by_group(record: KeyRecord) -> str | None:
    if readability(record.mode) != "group" or record.encrypted:
        return None
    return (
        f"mode {record.mode}: the file's group (not others) can read this "
        f"unencrypted{_key_kind(record)} private key"
    )


def _expired_served(served: _Served) -> str | None:
    if served.left > 0:
        return None
    leaf = served.deployment.leaf
    return f"{leaf.subject} expired {_ago(served.left, leaf)}, still presented"


def _chain_not_valid(served: _Served) -> str | None:
    deployment = served.deployment
    if deployment.trusted is None or deployment.trusted.value:
        return None
    reason = f": {deployment.reason}" if deployment.reason else ""
    return f"{deployment.leaf.subject} does not validate against the trust store{reason}"


def _name_mismatch(served: _Served) -> str | None:
    deployment = served.deployment
    if deployment.hostname_match is None or deployment.hostname_match.value:
        return None
    asked = served.where.rsplit(":", 1)[0]
    names = ", ".join(deployment.leaf.san_dns) or "no DNS name"
    return f"{deployment.leaf.subject} names {names}, not {asked}"


def _expiring_soon(leaf: _Leaf) -> str | None:
    if not 0 < leaf.left <= EXPIRING_DAYS:
        return None
    return (
        f"{leaf.seen}: expires on {leaf.record.not_after.date().isoformat()}, "
        f"in {leaf.left} day{'s' if leaf.left != 1 else ''}"
    )


def _weak_key(leaf: _Leaf) -> str | None:
    weakness = weak_key(leaf.record)
    return None if weakness is None else f"{leaf.seen}: {weakness}"


def _weak_signature(leaf: _Leaf) -> str | None:
    digest = leaf.record.signature_hash
    if not is_weak_signature(leaf.record) or digest is None:
        return None
    return f"{leaf.seen}: signed with {digest.upper()}"


def _shared_key(leaf: _Leaf) -> str | None:
    if leaf.sharing < 1:
        return None
    return (
        f"{leaf.seen}: its public key is in {leaf.sharing} other leaf "
        f"certificate{'s' if leaf.sharing > 1 else ''}"
    )


_KEY_RULES: tuple[_Rule[KeyRecord], ...] = (
    _Rule(Severity.CRITICAL, KEY_READABLE_BY_OTHERS, _readable_by_others),
    _Rule(Severity.HIGH, KEY_READABLE_BY_GROUP, _readable_by_group),
)
"""The findings about a private key file (the subject: its location)."""
_ENDPOINT_RULES: tuple[_Rule[_Served], ...] = (
    _Rule(Severity.CRITICAL, EXPIRED_SERVED, _expired_served),
    _Rule(Severity.MEDIUM, CHAIN_NOT_VALID, _chain_not_valid),
    _Rule(Severity.MEDIUM, NAME_MISMATCH, _name_mismatch),
)
"""The findings about a chain an endpoint presents (the subject: ``host:port``)."""
_CERTIFICATE_RULES: tuple[_Rule[_Leaf], ...] = (
    _Rule(Severity.HIGH, EXPIRING_SOON, _expiring_soon),
    _Rule(Severity.HIGH, WEAK_KEY, _weak_key),
    _Rule(Severity.HIGH, WEAK_SIGNATURE, _weak_signature),
    _Rule(Severity.MEDIUM, SHARED_KEY, _shared_key),
)
"""The findings about a leaf certificate (the subject: its SHA-256, else where it was seen)."""


def _apply(rules: tuple[_Rule[T], ...], subject: str, seen: T) -> Iterator[ImmediateAction]:
    """The action of every rule that finds something in ``seen``, in the rules' order."""
    for rule in rules:
        detail = rule.detail(seen)
        if detail is not None:
            yield ImmediateAction(
                severity=rule.severity, finding=rule.finding, subject=subject, detail=detail
            )


def immediate_actions(evidence: Evidence, evaluated_at: date) -> tuple[ImmediateAction, ...]:
    """Every immediate action the evidence calls for at the evaluation date, ranked."""
    actions = [
        *_key_actions(evidence),
        *_endpoint_actions(evidence, evaluated_at),
        *_certificate_actions(evidence, evaluated_at),
    ]
    unique = {(a.severity, a.finding, a.subject): a for a in actions}
    spread = Counter((a.severity, a.finding) for a in unique.values())
    return tuple(
        sorted(
            unique.values(),
            key=lambda a: (
                a.severity.rank,
                -spread[(a.severity, a.finding)],
                a.finding,
                a.subject,
            ),
        )
    )


def readability(mode: str | None) -> str | None:
    """Who besides the owner can read a file of this mode: ``others`` (other-read bit set,
    whatever the group bit), ``group`` (only the group-read bit), or ``None``."""
    if mode is None:
        return None
    bits = int(mode, 8)
    if bits & OTHER_READ:
        return "others"
    if bits & GROUP_READ:
        return "group"
    return None


def _key_actions(evidence: Evidence) -> Iterator[ImmediateAction]:
    for location, seen in evidence.keys.items():
        assert seen.record is not None
        yield from _apply(_KEY_RULES, location, seen.record)


def _key_kind(record: KeyRecord) -> str:
    if record.key_type is None:
        return ""
    size = f"-{record.key_size}" if record.key_size else ""
    return f" {record.key_type.upper()}{size}"


def _endpoint_actions(evidence: Evidence, evaluated_at: date) -> Iterator[ImmediateAction]:
    for endpoint in evidence.answering_endpoints():
        where = endpoint.location
        for deployment in endpoint.deployments:  # one chain per key type, all sources merged
            left = days_left(deployment.leaf.not_after, evaluated_at)
            yield from _apply(_ENDPOINT_RULES, where, _Served(where, deployment, left))


def _ago(left: int, record: CertificateRecord) -> str:
    on = record.not_after.date().isoformat()
    if left == 0:
        return f"on {on}, the evaluation date"
    return f"on {on}, {-left} day{'s' if left != -1 else ''} before the evaluation date"


def _certificate_actions(evidence: Evidence, evaluated_at: date) -> Iterator[ImmediateAction]:
    spki_counts = Counter(
        spki
        for leaf in evidence.leaves.values()
        if leaf.record is not None and (spki := leaf.record.spki_sha256) is not None
    )
    for identity, leaf in evidence.leaves.items():
        record = leaf.record
        assert record is not None
        places = sorted(leaf.locations)
        subject = record.sha256 or (places[0] if places else identity)
        where = ", ".join(places[:PLACES_NAMED])
        if len(places) > PLACES_NAMED:
            where += f" and {len(places) - PLACES_NAMED} more"
        # An inventory row without a fingerprint is named by its place: not said twice.
        seen = record.subject if places == [subject] else f"{record.subject}, seen at {where}"
        left = days_left(record.not_after, evaluated_at)
        spki = record.spki_sha256
        sharing = spki_counts[spki] - 1 if spki is not None else 0
        yield from _apply(_CERTIFICATE_RULES, subject, _Leaf(record, seen, left, sharing))


def weak_key(record: CertificateRecord) -> str | None:
    """The weakness in words when the key is weak by the method's measure (RSA or DSA under
    2048 bits, EC under 224 bits), else ``None`` (also when the size is unknown)."""
    if record.key_type is None or record.key_size is None:
        return None
    match record.key_type:
        case KeyType.RSA | KeyType.DSA:
            limit = MIN_RSA_DSA_BITS
        case KeyType.EC:
            limit = MIN_EC_BITS
        case _:
            return None
    if record.key_size >= limit:
        return None
    return f"{record.key_type.upper()} {record.key_size}-bit key, under {limit} bits"
