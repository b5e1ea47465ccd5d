"""Metrics computed from evidence bundles at the evaluation date (docs/evidence.md, catalogue).

Pure functions: the bundles and the date in, the metrics out. Certificates are deduplicated by
fingerprint (issuer and serial when a source gives none) and counted once however many places
show them; endpoints are counted once per ``host:port``, every source's looks merged field by
field (:mod:`assess.evidence.merge`); key files once per location. Certificate metrics read
*leaf* certificates only: the certificates an endpoint presents for itself, and certificates in
files and inventories that are neither CA nor S/MIME certificates. Roots and intermediates are
the CA's to manage; their lifetimes would drown the signals. Each metric names the bundles its
figures came from.

"At the evaluation date" means at the end of that day, UTC: a certificate that expires during
the evaluation date counts as expired.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from assess.evidence.merge import (
    Deployment,
    Figure,
    MergedEndpoint,
    merge_endpoints,
    same_certificate,
)
from assess.model import algorithms
from assess.model.bundle import (
    CertificateRecord,
    EvidenceBundle,
    KeyRecord,
    KeyType,
    Observation,
    ObservationKind,
    ObservationStatus,
    TrustRoots,
)
from assess.model.evidence import CertificateHighlight, MetricId, MetricValue
from assess.model.forecast import ForecastLeaf
from assess.model.schedule import Schedule
from assess.support.distinguished_names import dn_key

SHORT_VALIDITY_DAYS = 90
"""Certificates valid this many days or fewer are short-lived (ACME-style automation)."""
WEAK_HASHES = frozenset({"sha1", "md5", "md2", "md4"})
STRONG_CURVES = frozenset({"secp256r1", "secp384r1", "secp521r1"})
LEGACY_TLS = frozenset({"SSLv2", "SSLv3", "TLSv1", "TLSv1.0", "TLSv1.1"})
ACME_ISSUERS = ("O=Let's Encrypt", "O=(STAGING) Let's Encrypt")
"""Issuers that only issue through ACME: their certificates are renewed by a client."""
ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0"
"""anyExtendedKeyUsage, as records write an extended key usage without a name."""
HIGHLIGHT_CAP = 50
EXPIRING_HIGHLIGHT_DAYS = 30


def end_of(day: date) -> datetime:
    """The instant the evaluation date ends (UTC)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def days_left(not_after: datetime, evaluated_at: date) -> int:
    """Calendar days (UTC) from the evaluation date to the day ``not_after`` falls on.

    Positive: still valid at the end of the evaluation date, expiring within that many days (a
    certificate ending on 4 December has 7 days left on 27 November). Zero or less: expired,
    ``-days_left`` days before the evaluation date (0: during it). The one expiry count of the
    metrics, the highlights, the report and the inventory export, and the one a reader checks
    by subtracting the dates printed beside it.
    """
    return (not_after.astimezone(UTC).date() - evaluated_at).days


def validity_days(record: CertificateRecord) -> int | None:
    """Validity in days as the Baseline Requirements count them: 86,400 s, any part a day more;
    ``None`` when the start of validity is not known (an inventory with only an expiry)."""
    if record.not_before is None:
        return None
    seconds = (record.not_after - record.not_before).total_seconds()
    return max(0, math.ceil(seconds / 86400))


def is_weak_key(record: CertificateRecord | KeyRecord) -> bool | None:
    """RSA under 2048 bits, DSA, or EC off P-256/P-384/P-521; ``None`` when unknown (no key
    type, or an algorithm the table does not list: not known to be weak, not counted)."""
    if record.key_type is None or algorithms.family(record.key_type) == "unknown":
        return None
    match record.key_type:
        case KeyType.RSA:
            return record.key_size is not None and record.key_size < 2048
        case KeyType.DSA:
            return True
        case KeyType.EC:
            curve = getattr(record, "curve", None)
            if curve is not None:
                return curve not in STRONG_CURVES
            return record.key_size is not None and record.key_size < 256
    return False


def is_weak_signature(record: CertificateRecord) -> bool | None:
    """Signed with SHA-1 or MD5 (or older); ``None`` when the source does not say, or names an
    algorithm (by OID) that the algorithm table does not list."""
    if record.signature_hash is not None:
        return record.signature_hash.lower().replace("-", "") in WEAK_HASHES
    oid = record.signature_algorithm_oid
    if oid is not None and algorithms.by_oid(oid) is None:
        return None
    if record.signature_algorithm is not None:
        return False  # EdDSA, ML-DSA, SLH-DSA: no separate hash
    return None


def automation_markers(record: CertificateRecord) -> tuple[str, ...]:
    """Markers on the record, plus ``acme`` for issuers that only issue through ACME."""
    markers = list(record.automation)
    if any(issuer in record.issuer for issuer in ACME_ISSUERS) and "acme" not in markers:
        markers.append("acme")
    return tuple(markers)


def is_smime(record: CertificateRecord) -> bool:
    """An S/MIME certificate: its extended key usages name e-mail protection, not TLS servers."""
    usages = set(record.eku)
    return "emailProtection" in usages and not usages & {"serverAuth", ANY_EXTENDED_KEY_USAGE}


def is_wildcard(record: CertificateRecord) -> bool:
    """A DNS name of the leaf starts with ``*.``."""
    return any(name.startswith("*.") for name in record.san_dns)


@dataclass(slots=True)
class _Seen:
    """A deduplicated item with where it came from."""

    sources: set[str] = field(default_factory=set)
    collected_at: datetime | None = None

    def add(self, source: str, collected_at: datetime) -> None:
        self.sources.add(source)
        if self.collected_at is None or collected_at < self.collected_at:
            self.collected_at = collected_at


@dataclass(slots=True)
class _Leaf(_Seen):
    record: CertificateRecord | None = None
    markers: set[str] = field(default_factory=set)
    locations: set[str] = field(default_factory=set)
    public: bool | None = None
    """Publicly trusted (True), issued by a private CA or not trusted (False), or unknown."""


@dataclass(slots=True)
class _Key(_Seen):
    record: KeyRecord | None = None


@dataclass(slots=True)
class Authority(_Seen):
    """A CA certificate of file or inventory evidence, by subject name: the self-signed one
    when the evidence holds several of that name, else the first seen."""

    record: CertificateRecord | None = None


def _public_verdict(roots: TrustRoots, trusted: bool | None) -> bool | None:
    """Whether a verdict shows a leaf publicly trusted: judged against public roots (certifi,
    the stores of sslyze and testssl.sh) it says so by ``trusted``; trusted against the roots
    the assessor gave, the leaf was issued by a private CA."""
    if trusted is None:
        return None
    if roots is TrustRoots.PUBLIC:
        return trusted
    return False if trusted else None


@dataclass
class Evidence:
    """Bundles folded into deduplicated leaves, merged endpoints, keys and the CA certificates
    of files and inventories."""

    leaves: dict[str, _Leaf] = field(default_factory=dict)
    endpoints: dict[str, MergedEndpoint] = field(default_factory=dict)
    keys: dict[str, _Key] = field(default_factory=dict)
    authorities: dict[str, Authority] = field(default_factory=dict)
    """CA certificates of file and inventory evidence, by :func:`dn_key` of their subject."""
    _by_name: dict[str, str] = field(default_factory=dict)
    """Issuer and serial → the leaf they belong to."""
    _by_fingerprint: dict[str, str] = field(default_factory=dict)
    """Fingerprint → the leaf it belongs to (a leaf first seen without one is keyed by name)."""

    _held: list[tuple[str, EvidenceBundle]] = field(default_factory=list)
    """The endpoint observations of each bundle added, until :meth:`finish` merges them."""

    @classmethod
    def of(cls, bundles: Iterable[tuple[str, EvidenceBundle]]) -> Evidence:
        """Fold ``(source name, bundle)`` pairs."""
        evidence = cls()
        for source, bundle in bundles:
            evidence.add(source, bundle, (*bundle.observations, *bundle.keys))
        return evidence.finish()

    def add(
        self, source: str, header: EvidenceBundle, items: Iterable[Observation | KeyRecord]
    ) -> None:
        """Fold one bundle as it is read: ``header`` says where from and when, ``items`` are its
        observations and keys (the header's own are not looked at). File and inventory
        observations are folded into leaves at once and dropped; endpoint observations are
        kept until :meth:`finish` merges them, every source's look at an endpoint at once."""
        # crt.sh lists only certificates from public CAs.
        public = True if header.collector == "crtsh" else None
        endpoints: list[Observation] = []
        for item in items:
            if isinstance(item, KeyRecord):
                seen = self.keys.setdefault(item.location, _Key())
                seen.add(source, header.collected_at)
                seen.record = item
            elif item.kind is ObservationKind.ENDPOINT:
                endpoints.append(item)
            else:
                self._observe(source, header.collected_at, item, public)
        update = {"observations": tuple(endpoints), "keys": ()}
        self._held.append((source, header.model_copy(update=update)))

    def finish(self) -> Evidence:
        """Merge the endpoints of the bundles added and count the leaves they present."""
        self.endpoints = merge_endpoints(self._held)
        self._held = []
        for endpoint in self.endpoints.values():
            for deployment in endpoint.deployments:
                self._serve(endpoint, deployment)
        return self

    def _observe(
        self,
        source: str,
        collected_at: datetime,
        observation: Observation,
        public: bool | None = None,
    ) -> None:
        """A file or inventory observation: its leaves (neither CA nor S/MIME certificates),
        and its CA certificates as :attr:`authorities`."""
        if observation.status is not ObservationStatus.OK:
            return
        for record in observation.certificates:
            if record.is_ca is True:
                self._authority(source, collected_at, record)
            elif not is_smime(record):
                self._count(source, collected_at, record, observation.location, public)

    def _authority(self, source: str, collected_at: datetime, record: CertificateRecord) -> None:
        seen = self.authorities.setdefault(dn_key(record.subject), Authority())
        seen.add(source, collected_at)
        if seen.record is None or (record.self_signed and not seen.record.self_signed):
            seen.record = record

    def _serve(self, endpoint: MergedEndpoint, deployment: Deployment) -> None:
        """A leaf an endpoint presents, with every look that saw it there."""
        leaf = deployment.leaf
        for look in endpoint.looks:
            for observation in look.read:
                if same_certificate(observation.certificates[0], leaf):
                    public = _public_verdict(look.roots_of(observation), observation.trusted)
                    self._count(look.source, look.collected_at, leaf, endpoint.location, public)

    def _count(
        self,
        source: str,
        collected_at: datetime,
        record: CertificateRecord,
        location: str,
        public: bool | None,
    ) -> None:
        leaf = self.leaves.setdefault(self._identify(record), _Leaf())
        leaf.add(source, collected_at)
        if leaf.record is None or (leaf.record.sha256 is None and record.sha256):
            leaf.record = record  # a scanned record says more than an inventory row
        leaf.markers.update(automation_markers(record))
        if public or (public is False and leaf.public is None):
            leaf.public = public  # one sighting under public trust is enough
        leaf.locations.add(location)

    def _identify(self, record: CertificateRecord) -> str:
        """The leaf ``record`` belongs to, remembering it: one certificate seen with a
        fingerprint in one bundle and only by issuer and serial in another is one leaf."""
        name = record.name_key
        if record.sha256 is None:
            return self._by_name.setdefault(name, name)
        known = self._by_fingerprint.get(record.sha256)
        if known is None:
            named = self._by_name.get(name)
            leaf = self.leaves.get(named) if named is not None else None
            unfingerprinted = (
                leaf is not None and leaf.record is not None and not leaf.record.sha256
            )
            known = named if named is not None and unfingerprinted else record.sha256
            self._by_fingerprint[record.sha256] = known
            self._by_name.setdefault(name, known)
        return known

    def identity_of(self, record: CertificateRecord) -> str:
        """The leaf ``record`` was counted in (for records already folded in)."""
        if record.sha256 is not None and record.sha256 in self._by_fingerprint:
            return self._by_fingerprint[record.sha256]
        return self._by_name.get(record.name_key, record.identity)

    def answering_endpoints(self) -> list[MergedEndpoint]:
        """Endpoints some source read a certificate from."""
        return [e for e in self.endpoints.values() if e.answered]


def is_expired(record: CertificateRecord, evaluated_at: date) -> bool:
    """Expired by the end of the evaluation date (:func:`days_left` zero or less)."""
    return days_left(record.not_after, evaluated_at) <= 0


def has_started(record: CertificateRecord, evaluated_at: date) -> bool:
    """Valid from the end of the evaluation date or earlier, or of unknown start."""
    return record.not_before is None or record.not_before <= end_of(evaluated_at)


def is_private(leaf: _Leaf) -> bool:
    """Issued by a private CA: a TLS source found it untrusted against public roots, or trusted
    only against the roots the assessor gave; the CA/Browser Forum limits do not bind it."""
    return leaf.public is False


def is_automated(leaf: _Leaf) -> bool:
    """Carries an automation marker (an ACME-only issuer, cert-manager…)."""
    return bool(leaf.markers)


def forecast_leaves(evidence: Evidence, evaluated_at: date) -> list[ForecastLeaf]:
    """The forecast's population (forecast.md): the distinct leaves valid at the end of the
    evaluation date whose start of validity is known, as plain records, by identity."""
    found = []
    for identity, leaf in sorted(evidence.leaves.items()):
        record = leaf.record
        assert record is not None
        if record.not_before is None or is_expired(record, evaluated_at):
            continue
        if not has_started(record, evaluated_at) or record.not_after <= record.not_before:
            continue
        found.append(
            ForecastLeaf(
                identity=identity,
                subject=record.subject,
                issuer=record.issuer,
                not_before=record.not_before,
                not_after=record.not_after,
                is_private=is_private(leaf),
                is_public=leaf.public is True,
                is_automated=is_automated(leaf),
                key_type=str(record.key_type) if record.key_type is not None else None,
                key_size=record.key_size,
                locations=tuple(sorted(leaf.locations)),
                sources=tuple(sorted(leaf.sources)),
                collected_at=leaf.collected_at,
            )
        )
    return found


def _metric(
    metric: MetricId,
    population: Sequence[_Seen],
    hit: Callable[[_Seen], bool | None],
    *,
    share: bool = True,
) -> MetricValue:
    """Share (or count) of ``population`` items for which ``hit`` is true; items where it is
    ``None`` (unknown) are left out of the denominator."""
    known = [(item, h) for item in population if (h := hit(item)) is not None]
    sources = sorted({s for item, _ in known for s in item.sources})
    oldest = min((i.collected_at for i, _ in known if i.collected_at is not None), default=None)
    hits = sum(1 for _, h in known if h)
    value: float | None = None
    if known:
        value = hits / len(known) if share else float(hits)
    return MetricValue(
        metric=metric,
        value=value,
        denominator=len(known),
        sources=tuple(sources),
        collected_at=oldest,
    )


EndpointJudge = Callable[[MergedEndpoint], tuple[bool, Sequence[Figure[Any]]] | None]
"""Whether an endpoint counts as a hit, and the figures that say so; ``None``: unknown."""


def _endpoint_metric(
    metric: MetricId,
    endpoints: Sequence[MergedEndpoint],
    judge: EndpointJudge,
    *,
    share: bool = True,
) -> MetricValue:
    """Share (or count) of ``endpoints`` that ``judge`` finds a hit, over those it can judge;
    the sources are the bundles of the figures judged, not every bundle that looked."""
    known = [judged for e in endpoints if (judged := judge(e)) is not None]
    figures = [f for _, found in known for f in found]
    hits = sum(1 for hit, _ in known if hit)
    value: float | None = None
    if known:
        value = hits / len(known) if share else float(hits)
    return MetricValue(
        metric=metric,
        value=value,
        denominator=len(known),
        sources=tuple(sorted({f.source for f in figures})),
        collected_at=min((f.collected_at for f in figures), default=None),
    )


def _any(
    endpoint: MergedEndpoint, verdict: Callable[[Deployment], Figure[bool] | None]
) -> tuple[bool, Sequence[Figure[Any]]] | None:
    """Whether any of an endpoint's chains is a hit, of those ``verdict`` can judge."""
    found = [f for d in endpoint.deployments if (f := verdict(d)) is not None]
    return (any(f.value for f in found), found) if found else None


def _negated(figure: Figure[bool] | None) -> Figure[bool] | None:
    return None if figure is None else Figure(not figure.value, figure.source, figure.collected_at)


def compute_metrics(
    evidence: Evidence, evaluated_at: date, schedule: Schedule
) -> dict[MetricId, MetricValue]:
    """Every metric of the catalogue; a metric without data has value ``None``, denominator 0.
    ``schedule`` gives the CA/Browser Forum maximum validity by issue date
    (``long_validity_share``)."""
    moment = end_of(evaluated_at)
    leaves = list(evidence.leaves.values())
    endpoints = evidence.answering_endpoints()
    keys = list(evidence.keys.values())

    def record(item: _Seen) -> CertificateRecord:
        assert isinstance(item, _Leaf) and item.record is not None
        return item.record

    def key(item: _Seen) -> KeyRecord:
        assert isinstance(item, _Key) and item.record is not None
        return item.record

    def expired(r: CertificateRecord) -> bool:
        return is_expired(r, evaluated_at)

    def chains(hit: Callable[[CertificateRecord], bool]) -> EndpointJudge:
        """Whether any chain of the endpoint has a leaf that ``hit`` finds."""
        return lambda e: _any(
            e, lambda d: Figure(hit(d.leaf), d.chain.source, d.chain.collected_at)
        )

    def legacy(e: MergedEndpoint) -> tuple[bool, Sequence[Figure[Any]]] | None:
        version = e.tls_version
        return None if version is None else (version.value in LEGACY_TLS, [version])

    def answered(e: MergedEndpoint) -> tuple[bool, Sequence[Figure[Any]]]:
        return e.answered, [look.figure(None) for look in e.looks]

    valid = [item for item in leaves if not expired(record(item))]
    # Started by the end of the evaluation date, or of unknown start (late() leaves those out).
    current = [item for item in valid if has_started(record(item), evaluated_at)]

    def expiring(days: int) -> Callable[[_Seen], bool]:
        return lambda item: days_left(record(item).not_after, evaluated_at) <= days

    def late(item: _Seen) -> bool | None:
        r = record(item)
        if r.not_before is None:
            return None  # lifetime unknown
        lifetime = (r.not_after - r.not_before).total_seconds()
        return lifetime <= 0 or (r.not_after - moment).total_seconds() / lifetime < 1 / 3

    def short(item: _Seen) -> bool | None:
        days = validity_days(record(item))
        return None if days is None else days <= SHORT_VALIDITY_DAYS

    def long(item: _Seen) -> bool | None:
        r = record(item)
        days = validity_days(r)
        return (
            None
            if days is None or r.not_before is None
            else days > schedule.max_validity_at(r.not_before)
        )

    issuers = {dn_key(record(item).issuer) for item in leaves}
    spki_counts: dict[str, int] = {}
    for item in leaves:
        if (spki := record(item).spki_sha256) is not None:
            spki_counts[spki] = spki_counts.get(spki, 0) + 1

    def reused(item: _Seen) -> bool | None:
        spki = record(item).spki_sha256
        return None if spki is None else spki_counts[spki] > 1

    def world_readable(item: _Seen) -> bool | None:
        mode = key(item).mode
        return None if mode is None else bool(int(mode, 8) & 0o044)

    metrics = [
        _metric(MetricId.CERTIFICATES, leaves, lambda _: True, share=False),
        _endpoint_metric(
            MetricId.ENDPOINTS, list(evidence.endpoints.values()), answered, share=False
        ),
        _metric(MetricId.EXPIRED_SHARE, leaves, lambda item: expired(record(item))),
        _endpoint_metric(MetricId.EXPIRED_IN_SERVICE_SHARE, endpoints, chains(expired)),
        _metric(MetricId.EXPIRING_7D_SHARE, valid, expiring(7)),
        _metric(MetricId.EXPIRING_14D_SHARE, valid, expiring(14)),
        _metric(MetricId.EXPIRING_30D_SHARE, valid, expiring(30)),
        _metric(MetricId.SHORT_VALIDITY_SHARE, leaves, short),
        _metric(
            MetricId.LONG_VALIDITY_SHARE,
            # The CA/Browser Forum limits bind public CAs: a private CA's profile may differ.
            [item for item in evidence.leaves.values() if not is_private(item)],
            long,
        ),
        _metric(MetricId.LATE_RENEWAL_SHARE, current, late),
        _metric(MetricId.WEAK_KEY_SHARE, leaves, lambda item: is_weak_key(record(item))),
        _metric(
            MetricId.WEAK_SIGNATURE_SHARE, leaves, lambda item: is_weak_signature(record(item))
        ),
        _endpoint_metric(
            MetricId.SELF_SIGNED_IN_SERVICE_SHARE, endpoints, chains(lambda r: r.self_signed)
        ),
        _endpoint_metric(
            MetricId.UNTRUSTED_CHAIN_SHARE,
            endpoints,
            lambda e: _any(e, lambda d: _negated(d.trusted)),
        ),
        _endpoint_metric(
            MetricId.HOSTNAME_MISMATCH_SHARE,
            endpoints,
            lambda e: _any(e, lambda d: _negated(d.hostname_match)),
        ),
        _endpoint_metric(MetricId.LEGACY_TLS_SHARE, endpoints, legacy),
        _metric(MetricId.WILDCARD_SHARE, leaves, lambda item: is_wildcard(record(item))),
        _metric(MetricId.KEY_REUSE_SHARE, leaves, reused),
        _metric(MetricId.UNENCRYPTED_KEY_SHARE, keys, lambda item: not key(item).encrypted),
        _metric(MetricId.WORLD_READABLE_KEY_SHARE, keys, world_readable),
        _metric(
            MetricId.AUTOMATION_MARKER_SHARE,
            leaves,
            lambda item: isinstance(item, _Leaf) and is_automated(item),
        ),
    ]
    by_id = {m.metric: m for m in metrics}
    issuer_metric = by_id[MetricId.CERTIFICATES]
    by_id[MetricId.ISSUER_COUNT] = issuer_metric.model_copy(
        update={
            "metric": MetricId.ISSUER_COUNT,
            "value": float(len(issuers)) if leaves else None,
        }
    )
    # The forecast's metrics are the engine's to add (method/forecast.py).
    return {metric: by_id[metric] for metric in MetricId if metric in by_id}


def highlights(evidence: Evidence, evaluated_at: date) -> tuple[list[CertificateHighlight], int]:
    """The most urgent certificates (capped at 50) and how many had a problem at all."""
    moment = end_of(evaluated_at)
    endpoint_problems: dict[str, set[str]] = {}
    for endpoint in evidence.answering_endpoints():
        version = endpoint.tls_version.value if endpoint.tls_version is not None else None
        for deployment in endpoint.deployments:
            seen = endpoint_problems.setdefault(evidence.identity_of(deployment.leaf), set())
            if deployment.leaf.self_signed:
                seen.add("self-signed on an endpoint")
            if deployment.trusted is not None and not deployment.trusted.value:
                seen.add("chain does not validate")
            if deployment.hostname_match is not None and not deployment.hostname_match.value:
                seen.add(f"name mismatch on {endpoint.location}")
            if version in LEGACY_TLS:
                seen.add(f"{version} on {endpoint.location}")
    ranked: list[tuple[tuple[int, datetime], CertificateHighlight]] = []
    for identity, leaf in evidence.leaves.items():
        record = leaf.record
        assert record is not None
        problems: list[str] = []
        rank = 9
        left = days_left(record.not_after, evaluated_at)
        if left <= 0:
            problems.append(f"expired {-left} days ago" if left else "expired")
            rank = 0
        elif left <= EXPIRING_HIGHLIGHT_DAYS:
            problems.append(f"expires in {left} days")
            rank = 1
        elif record.not_before is not None and record.not_before > moment:
            problems.append("not yet valid")
            rank = 3
        if is_weak_key(record):
            size = f" {record.key_size}" if record.key_size else ""
            problems.append(f"weak key: {record.key_type.upper() if record.key_type else ''}{size}")
            rank = min(rank, 2)
        if is_weak_signature(record):
            problems.append(f"weak signature: {record.signature_hash}")
            rank = min(rank, 2)
        extra = sorted(endpoint_problems.get(identity, ()))
        if extra:
            problems.extend(extra)
            rank = min(rank, 2)
        if not problems:
            continue
        ranked.append(
            (
                (rank, record.not_after),
                CertificateHighlight(
                    sha256=record.sha256 or "",
                    subject=record.subject,
                    issuer=record.issuer,
                    not_after=record.not_after,
                    locations=tuple(sorted(leaf.locations)[:5]),
                    problems=tuple(problems),
                ),
            )
        )
    ranked.sort(key=lambda pair: pair[0])
    return [h for _, h in ranked[:HIGHLIGHT_CAP]], len(ranked)
