"""One TLS endpoint seen by several sources, merged field by field (docs/evidence.md: One
endpoint, several sources).

Our scan, sslyze and testssl.sh may each look at the same ``host:port``: at different times,
against different roots, with different abilities. A merged endpoint takes each figure from the
source the rules designate, whatever order the bundles were collected or read in, and keeps
which bundle that was (a :class:`Figure`):

- **answered**: a source that read a certificate is never overruled by one that could not
  (a timeout, a handshake its client could not make); with no certificate from any source the
  endpoint is unanswered, for the newest reason given;
- **certificates**: a server presents one chain per key type (RSA, ECDSA…), a
  :class:`Deployment`; for each key type the newest chain seen wins, however the tools number
  the chains. A key type the newest look by a tool that asks for every chain (sslyze,
  testssl.sh) no longer shows is gone; our scan makes one handshake, so it drops nothing;
- **trusted**: when any source read the endpoint with the roots the assessor gave, a verdict
  of "untrusted" against public roots alone says nothing (a private CA is untrusted there) and
  is set aside. Of the verdicts left, those on the chain now presented come first; the newest
  of each kind of source against each kind of roots counts, and the chain is trusted when one
  of them says so (a chain that validates against public roots is valid whatever private
  roots say; a client that accepts it exists); untrusted, it is for the reason the
  assessor's roots gave;
- **host-name match**: a fact of the leaf and the name asked for, taken with the chain;
- **TLS version**: the newest information wins only against the same kind of source (a later
  scan by the same tool after a change on the server); between kinds, the newest protocol any
  saw the server offer wins, because a client that did not get it may lack it.

A failed target that a tool names only by its address (testssl.sh's pretty JSON) joins the
endpoint of the same port that any source reached at that address, when exactly one did.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from assess.model.bundle import (
    CertificateRecord,
    EvidenceBundle,
    Observation,
    ObservationKind,
    ObservationStatus,
    TrustRoots,
)

T = TypeVar("T")

LISTS_EVERY_CHAIN = frozenset({"sslyze", "testssl"})
"""Collectors that ask a server for every chain it has (one per key type); our own scan makes
one handshake and sees one."""

PROTOCOLS = ("SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")
"""Protocol versions, oldest first, as the bundles write them."""

_DEPLOYMENT_NUMBER = re.compile(r"#\d+$")


def endpoint_key(location: str) -> str:
    """The endpoint an observation belongs to: ``host:port``, without the ``#2`` that bundles
    written before merging gave a server's second chain."""
    return _DEPLOYMENT_NUMBER.sub("", location)


def protocol_rank(version: str) -> int:
    """Position of a protocol in :data:`PROTOCOLS` (``TLSv1.0`` is ``TLSv1``); -1 if unknown."""
    name = "TLSv1" if version == "TLSv1.0" else version
    return PROTOCOLS.index(name) if name in PROTOCOLS else -1


def bundle_roots(bundle: EvidenceBundle) -> TrustRoots:
    """Whether a bundle's source judged chains against roots the assessor gave: its
    ``trust_store`` names them (``--ca-file``, sslyze's ``--certinfo_ca_file``, testssl.sh's
    ``--add-ca``), or is certifi or absent (the tool's own public stores). Also what its
    verdicts were judged against when its observations do not say (bundles written before
    observations carried ``trust_roots``)."""
    store = bundle.trust_store
    if store is not None and not store.startswith("certifi"):
        return TrustRoots.GIVEN
    return TrustRoots.PUBLIC


@dataclass(frozen=True)
class Figure(Generic[T]):
    """One value of a merged endpoint and the bundle it came from."""

    value: T
    source: str
    """The bundle file."""
    collected_at: datetime
    """When that bundle was collected."""


@dataclass(frozen=True)
class Look:
    """What one bundle saw at one endpoint: its observations there, one per chain."""

    source: str
    """The bundle file."""
    collector: str
    """The bundle's kind of source: ``tls``, ``sslyze``, ``testssl``."""
    collected_at: datetime
    """When the bundle was collected."""
    observations: tuple[Observation, ...]
    """Its observations of the endpoint."""
    roots: TrustRoots
    """Whether the bundle's source was given the assessor's roots; also the roots of its
    verdicts, for observations that do not name theirs."""

    @property
    def read(self) -> tuple[Observation, ...]:
        """The observations that read a certificate."""
        return tuple(
            o for o in self.observations if o.status is ObservationStatus.OK and o.certificates
        )

    @property
    def order(self) -> tuple[datetime, str]:
        """Newest last; bundles collected at the same moment in file-name order."""
        return self.collected_at, self.source

    def figure(self, value: T) -> Figure[T]:
        """``value`` as seen by this look."""
        return Figure(value, self.source, self.collected_at)

    def roots_of(self, observation: Observation) -> TrustRoots:
        """The roots ``observation``'s verdict was judged against."""
        return observation.trust_roots or self.roots

    @property
    def used_given_roots(self) -> bool:
        """The source judged what it read against the roots the assessor gave."""
        return bool(self.read) and (
            self.roots is TrustRoots.GIVEN
            or any(o.trust_roots is TrustRoots.GIVEN for o in self.read)
        )


@dataclass(frozen=True)
class Deployment:
    """One certificate chain an endpoint presents (servers present one per key type)."""

    chain: Figure[tuple[CertificateRecord, ...]]
    """The chain as sent, leaf first."""
    trusted: Figure[bool] | None
    """Whether it validates; ``None`` when no source could tell."""
    hostname_match: Figure[bool] | None
    """Whether the leaf covers the name asked for."""
    reason: str | None = None
    """Why it does not validate, as the source of the verdict said."""

    @property
    def leaf(self) -> CertificateRecord:
        """The certificate the server presents for itself."""
        return self.chain.value[0]


@dataclass(frozen=True)
class MergedEndpoint:
    """A ``host:port`` as all the sources together saw it."""

    location: str
    deployments: tuple[Deployment, ...]
    """Its chains, one per key type; empty when no source read a certificate."""
    tls_version: Figure[str] | None
    """The newest protocol it offers, as far as the sources saw."""
    error: Figure[str] | None
    """Why no source read a certificate (the newest reason), when none did."""
    looks: tuple[Look, ...]
    """Every bundle's look at it."""

    @property
    def answered(self) -> bool:
        """Some source read a certificate from it."""
        return bool(self.deployments)


def same_certificate(a: CertificateRecord, b: CertificateRecord) -> bool:
    """One certificate: the same fingerprint, or issuer and serial when one has none."""
    if a.sha256 and b.sha256:
        return a.sha256 == b.sha256
    return a.name_key == b.name_key


def _key_type(observation: Observation) -> str:
    leaf = observation.certificates[0]
    return leaf.key_type if leaf.key_type is not None else "unknown"


def _trust(
    candidates: Sequence[tuple[Look, Observation]],
    chain: tuple[CertificateRecord, ...],
    given_used: bool,
) -> tuple[Figure[bool] | None, str | None]:
    """The verdict on one deployment, and the reason when it does not validate."""
    verdicts = [
        (look, observation)
        for look, observation in candidates
        if observation.trusted is not None
        and not (
            given_used
            and observation.trusted is False
            and look.roots_of(observation) is TrustRoots.PUBLIC
        )
    ]
    on_chain = [v for v in verdicts if same_certificate(v[1].certificates[0], chain[0])]
    verdicts = on_chain or verdicts
    # The newest verdict of each kind of source against each kind of roots.
    newest: dict[tuple[TrustRoots, str], tuple[Look, Observation]] = {}
    for look, observation in sorted(verdicts, key=lambda v: v[0].order):
        newest[look.roots_of(observation), look.collector] = (look, observation)
    if not newest:
        return None, None
    trusting = [v for v in newest.values() if v[1].trusted]
    if trusting:
        look, _ = max(trusting, key=lambda v: v[0].order)
        return look.figure(True), None
    look, observation = max(
        newest.values(),
        key=lambda v: (v[0].roots_of(v[1]) is TrustRoots.GIVEN, v[0].order),
    )
    return look.figure(False), observation.validation_error


def _deployments(looks: Sequence[Look]) -> tuple[Deployment, ...]:
    reads = [(look, o) for look in looks for o in look.read]
    by_type: dict[str, list[tuple[Look, Observation]]] = {}
    for look, observation in reads:
        by_type.setdefault(_key_type(observation), []).append((look, observation))
    complete = [look for look in looks if look.collector in LISTS_EVERY_CHAIN and look.read]
    newest_complete = max(complete, key=lambda look: look.order, default=None)
    given_used = any(look.used_given_roots for look in looks)
    deployments = []
    for key_type in sorted(by_type):
        candidates = by_type[key_type]
        look, observation = max(candidates, key=lambda c: c[0].order)
        if (
            newest_complete is not None
            and look.order < newest_complete.order
            and all(_key_type(o) != key_type for o in newest_complete.read)
        ):
            continue  # the server no longer presents a chain of this key type
        chain = observation.certificates
        trusted, reason = _trust(candidates, chain, given_used)
        # The name check of the chain's own source, else of the newest that made one.
        ordered = [(look, observation), *sorted(candidates, key=lambda c: c[0].order)[::-1]]
        match = next(
            (c.figure(o.hostname_match) for c, o in ordered if o.hostname_match is not None),
            None,
        )
        deployments.append(Deployment(look.figure(chain), trusted, match, reason))
    return tuple(deployments)


def _tls_version(looks: Sequence[Look]) -> Figure[str] | None:
    newest_by_kind: dict[str, Figure[str]] = {}
    for look in sorted(looks, key=lambda look: look.order):
        version = next((o.tls_version for o in look.read if o.tls_version), None)
        if version is not None:
            newest_by_kind[look.collector] = look.figure(version)
    return max(
        newest_by_kind.values(),
        key=lambda f: (protocol_rank(f.value), f.collected_at, f.source),
        default=None,
    )


def merge(looks: Sequence[Look], location: str) -> MergedEndpoint:
    """The looks of every bundle at one endpoint as one endpoint."""
    deployments = _deployments(looks)
    error: Figure[str] | None = None
    if not deployments:
        failures = [
            (look, o.error or "no certificate")
            for look in sorted(looks, key=lambda look: look.order)
            for o in look.observations
        ]
        if failures:
            look, reason = failures[-1]
            error = look.figure(reason)
    return MergedEndpoint(
        location=location,
        deployments=deployments,
        tls_version=_tls_version(looks) if deployments else None,
        error=error,
        looks=tuple(looks),
    )


def _is_address(host: str) -> bool:
    if not (host[:1].isdigit() or host[:1] == "[" or ":" in host):
        return False  # a host name: spares the parse for most endpoints
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _join_unnamed(looks: dict[str, list[Look]]) -> None:
    """Fold an endpoint known only by an address that no source read (a failed target a tool
    named by its address) into the one named endpoint of the same port reached there."""
    reached: dict[tuple[str, str], set[str]] = {}
    for key, seen in looks.items():
        host, _, port = key.rpartition(":")
        if not _is_address(host):
            for look in seen:
                for observation in look.observations:
                    if observation.address:
                        reached.setdefault((observation.address, port), set()).add(key)
    for key in sorted(looks):
        host, _, port = key.rpartition(":")
        if not _is_address(host) or any(look.read for look in looks[key]):
            continue
        named = reached.get((host.strip("[]"), port), set())
        if len(named) == 1:
            looks[next(iter(named))].extend(looks.pop(key))


def merge_endpoints(bundles: Iterable[tuple[str, EvidenceBundle]]) -> dict[str, MergedEndpoint]:
    """Every endpoint of ``(source name, bundle)`` pairs, merged, by ``host:port``."""
    grouped: dict[str, dict[str, list[Observation]]] = {}
    headers: dict[str, tuple[str, datetime, TrustRoots]] = {}
    for source, bundle in bundles:
        headers[source] = (bundle.collector, bundle.collected_at, bundle_roots(bundle))
        for observation in bundle.observations:
            if observation.kind is ObservationKind.ENDPOINT:
                key = endpoint_key(observation.location)
                grouped.setdefault(key, {}).setdefault(source, []).append(observation)
    looks: dict[str, list[Look]] = {
        key: [
            Look(source, *headers[source][:2], tuple(observations), headers[source][2])
            for source, observations in by_source.items()
        ]
        for key, by_source in grouped.items()
    }
    _join_unnamed(looks)
    return {key: merge(looks[key], key) for key in sorted(looks)}
