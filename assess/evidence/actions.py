"""Immediate actions: concrete findings in fresh scan evidence (method.md, Immediate actions).

Read from the same :class:`~assess.evidence.metrics.Evidence` aggregate as the metrics, built
from fresh bundles only: a stale bundle never raises an action. Each action names the file,
endpoint or certificate it concerns; the list is ranked by severity, then by how many subjects
share the finding (the most widespread first), then by finding and subject, so that the same
evidence always gives the same list.

Permission bits are told apart as the method does: a key file whose *other*-read bit is set
(``0644``, ``0666``) is readable by others, anyone with an account on the machine, encrypted or
not; one whose only *group*-read bit is set (``0640``) is readable by its group, an action only
when the key is unencrypted.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

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


def _key_actions(evidence: Evidence) -> list[ImmediateAction]:
    actions: list[ImmediateAction] = []
    for location, seen in evidence.keys.items():
        record = seen.record
        assert record is not None
        who = readability(record.mode)
        protection = "encrypted" if record.encrypted else "unencrypted"
        if who == "others":
            actions.append(
                ImmediateAction(
                    severity=Severity.CRITICAL,
                    finding=KEY_READABLE_BY_OTHERS,
                    subject=location,
                    detail=f"mode {record.mode}: any account on the machine can read this "
                    f"{protection}{_key_kind(record)} private key",
                )
            )
        elif who == "group" and not record.encrypted:
            actions.append(
                ImmediateAction(
                    severity=Severity.HIGH,
                    finding=KEY_READABLE_BY_GROUP,
                    subject=location,
                    detail=f"mode {record.mode}: the file's group (not others) can read this "
                    f"unencrypted{_key_kind(record)} private key",
                )
            )
    return actions


def _key_kind(record: KeyRecord) -> str:
    if record.key_type is None:
        return ""
    size = f"-{record.key_size}" if record.key_size else ""
    return f" {record.key_type.upper()}{size}"


def _endpoint_actions(evidence: Evidence, evaluated_at: date) -> list[ImmediateAction]:
    actions: list[ImmediateAction] = []
    for endpoint in evidence.answering_endpoints():
        where = endpoint.location
        for deployment in endpoint.deployments:  # one chain per key type, all sources merged
            leaf = deployment.leaf
            left = days_left(leaf.not_after, evaluated_at)
            if left <= 0:
                actions.append(
                    ImmediateAction(
                        severity=Severity.CRITICAL,
                        finding=EXPIRED_SERVED,
                        subject=where,
                        detail=f"{leaf.subject} expired {_ago(left, leaf)}, still presented",
                    )
                )
            if deployment.trusted is not None and not deployment.trusted.value:
                reason = f": {deployment.reason}" if deployment.reason else ""
                actions.append(
                    ImmediateAction(
                        severity=Severity.MEDIUM,
                        finding=CHAIN_NOT_VALID,
                        subject=where,
                        detail=f"{leaf.subject} does not validate against the trust store{reason}",
                    )
                )
            if deployment.hostname_match is not None and not deployment.hostname_match.value:
                asked = where.rsplit(":", 1)[0]
                names = ", ".join(leaf.san_dns) or "no DNS name"
                actions.append(
                    ImmediateAction(
                        severity=Severity.MEDIUM,
                        finding=NAME_MISMATCH,
                        subject=where,
                        detail=f"{leaf.subject} names {names}, not {asked}",
                    )
                )
    return actions


def _ago(left: int, record: CertificateRecord) -> str:
    on = record.not_after.date().isoformat()
    if left == 0:
        return f"on {on}, the evaluation date"
    return f"on {on}, {-left} day{'s' if left != -1 else ''} before the evaluation date"


def _certificate_actions(evidence: Evidence, evaluated_at: date) -> list[ImmediateAction]:
    actions: list[ImmediateAction] = []
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
        if 0 < left <= EXPIRING_DAYS:
            actions.append(
                ImmediateAction(
                    severity=Severity.HIGH,
                    finding=EXPIRING_SOON,
                    subject=subject,
                    detail=f"{seen}: expires on {record.not_after.date().isoformat()}, "
                    f"in {left} day{'s' if left != 1 else ''}",
                )
            )
        if (weakness := weak_key(record)) is not None:
            actions.append(
                ImmediateAction(
                    severity=Severity.HIGH,
                    finding=WEAK_KEY,
                    subject=subject,
                    detail=f"{seen}: {weakness}",
                )
            )
        if is_weak_signature(record) and record.signature_hash is not None:
            actions.append(
                ImmediateAction(
                    severity=Severity.HIGH,
                    finding=WEAK_SIGNATURE,
                    subject=subject,
                    detail=f"{seen}: signed with {record.signature_hash.upper()}",
                )
            )
        spki = record.spki_sha256
        if spki is not None and spki_counts[spki] > 1:
            others = spki_counts[spki] - 1
            actions.append(
                ImmediateAction(
                    severity=Severity.MEDIUM,
                    finding=SHARED_KEY,
                    subject=subject,
                    detail=f"{seen}: its public key is in {others} other leaf "
                    f"certificate{'s' if others > 1 else ''}",
                )
            )
    return actions


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
