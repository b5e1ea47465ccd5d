"""`assess scan tls`: read the certificate chain each TLS endpoint presents.

At most ``concurrency`` connections at a time, each in its own thread with a blocking socket
(the handshake runs in OpenSSL without the interpreter lock, and without an event loop's
per-connection cost). For each target: a TCP connection, then a TLS handshake with SNI set to
the target's host name, the chain as the server sent it (leaf first), the negotiated version.
The client accepts anything (no verification, OpenSSL security level 0, TLS 1.0 allowed) so
that weak servers are *read*, not refused; the chain is judged afterwards, by the cryptography
verifier against the trust store (certifi, or the ``--ca-file`` roots), with the host-name match
recorded separately. The scanning thread judges each chain, in target order, while the next
handshakes proceed.

Every target yields one observation. A refused port, a timeout, a failed handshake, a service
that does not speak TLS or never answers: each is an ``error`` observation with its reason. A
handshake that fails after the server sent its chain (a TLS 1.2 server that requires a client
certificate ends it when none comes) still reads that chain. Only the targets given are
contacted.
"""

from __future__ import annotations

import functools
import ipaddress
import queue
import socket
import ssl
import sys
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.x509 import verification

from assess import __version__
from assess.evidence.certs import UnreadableCertificate, record_of
from assess.evidence.endpoints import Target, matches_host, parse_target
from assess.evidence.interface import Collector, CollectorError, Sink, Ticker
from assess.evidence.observations import error_observation
from assess.model.bundle import (
    BundleTool,
    CertificateRecord,
    EvidenceBundle,
    Observation,
    ObservationKind,
    ObservationStatus,
    TrustRoots,
)
from assess.support.errors import Problem
from assess.support.files import read_text

K = TypeVar("K")
V = TypeVar("V")

DEFAULT_CONCURRENCY = 10
DEFAULT_TIMEOUT = 5.0


def read_targets(arguments: Sequence[str], targets_file: Path | None) -> list[Target]:
    """Targets from the command line and a targets file (one a line, ``#`` comments), in order,
    without repeats; every bad target is reported at once."""
    problems: list[Problem] = []
    found: dict[Target, None] = {}
    for text in arguments:
        try:
            found.setdefault(parse_target(text))
        except ValueError as error:
            problems.append(Problem(str(error), field="TARGET"))
    if targets_file is not None:
        for number, line in enumerate(read_text(targets_file).splitlines(), start=1):
            spec = line.split("#", 1)[0].strip()
            if not spec:
                continue
            try:
                found.setdefault(parse_target(spec))
            except ValueError as error:
                problems.append(Problem(str(error), file=targets_file, line=number))
    if problems:
        raise CollectorError(problems)
    if not found:
        raise CollectorError("no target: name TARGET… or --targets-file F")
    return list(found)


@functools.cache
def public_roots() -> tuple[tuple[x509.Certificate, ...], str]:
    """The public roots chains are judged against without ``--ca-file`` (certifi's Mozilla
    roots), and the store's name (``certifi 2026.10.19``); read once."""
    import certifi

    path = Path(certifi.where())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a root with a zero serial warns
        roots = x509.load_pem_x509_certificates(path.read_bytes())
    return tuple(roots), f"certifi {certifi.__version__}"


class TrustStore:
    """Roots chains are validated against, and how the validation treats the leaf."""

    def __init__(self, roots: Sequence[x509.Certificate], label: str, *, private: bool) -> None:
        self.label = label
        self._store = verification.Store(list(roots))
        self._private = private

    @property
    def roots(self) -> TrustRoots:
        """Public roots (certifi) or the roots the assessor gave (``--ca-file``)."""
        return TrustRoots.GIVEN if self._private else TrustRoots.PUBLIC

    @classmethod
    def load(cls, ca_files: Sequence[Path]) -> TrustStore:
        """certifi's Mozilla roots, or only the roots in ``ca_files`` when given (private PKI)."""
        if not ca_files:
            public, label = public_roots()
            return cls(public, label, private=False)
        roots: list[x509.Certificate] = []
        for file in ca_files:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    found = x509.load_pem_x509_certificates(read_text(file).encode())
            except ValueError:
                raise CollectorError(
                    Problem("no PEM certificate in the file", file=file, field="--ca-file")
                ) from None
            roots.extend(found)
        return cls(roots, ", ".join(str(f) for f in ca_files), private=True)

    def verify(
        self, chain: Sequence[x509.Certificate], name: str, at: datetime
    ) -> tuple[bool, str | None]:
        """Whether the chain validates for ``name`` at ``at``; the reason when it does not."""
        subject: x509.DNSName | x509.IPAddress
        try:
            subject = x509.IPAddress(ipaddress.ip_address(name))
        except ValueError:
            try:
                subject = x509.DNSName(name)
            except ValueError as error:
                return False, f"cannot validate for '{name}': {error}"
        builder = verification.PolicyBuilder().store(self._store).time(at)
        if self._private:
            # Internal PKI leaves often lack extensions the public profile requires (EKU, AKI);
            # the path, signatures, validity and CA constraints are still checked.
            builder = builder.extension_policies(
                ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
                ee_policy=verification.ExtensionPolicy.permit_all().require_present(
                    x509.SubjectAlternativeName, verification.Criticality.AGNOSTIC, None
                ),
            )
        try:
            builder.build_server_verifier(subject).verify(chain[0], list(chain[1:]))
        except (
            verification.VerificationError,
            ValueError,
            TypeError,
            UnsupportedAlgorithm,
        ) as error:
            # An algorithm this cryptography cannot verify (ML-DSA before 50, SLH-DSA,
            # composite) is a chain that could not be validated, not a failed scan.
            return False, f"chain does not validate: {error}"
        return True, None


def presented_chain(ssl_object: ssl.SSLObject | ssl.SSLSocket) -> list[bytes]:
    """The DER certificates the server sent, leaf first, unverified."""
    if sys.version_info >= (3, 13):
        chain = ssl_object.get_unverified_chain() or []
        return [bytes(c) for c in chain]
    # Before 3.13 only the private accessor exists (verified on 3.11 and 3.12).
    inner = getattr(ssl_object, "_sslobj", None)
    getter = getattr(inner, "get_unverified_chain", None)
    if getter is not None:
        found = getter() or []
        return [c.public_bytes(ssl._ssl.ENCODING_DER) for c in found]  # type: ignore[attr-defined]
    leaf = ssl_object.getpeercert(binary_form=True)
    return [leaf] if leaf else []


def client_context() -> ssl.SSLContext:
    """A client that completes a handshake with anything, so weak servers can be read."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_ciphers("ALL:!aNULL:!eNULL:@SECLEVEL=0")
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    context.options |= 0x4  # SSL_OP_LEGACY_SERVER_CONNECT: servers without RFC 5746
    return context


def _resolve(target: Target, deadline: float) -> list[Any]:
    """``getaddrinfo`` for the target, given up (TimeoutError) at ``deadline``: the system
    resolver has no timeout of its own, so it runs in a thread left behind if it is late."""
    answer: queue.SimpleQueue[list[Any] | OSError] = queue.SimpleQueue()

    def lookup() -> None:
        try:
            answer.put(socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM))
        except OSError as error:
            answer.put(error)

    threading.Thread(target=lookup, name="tls-scan-resolve", daemon=True).start()
    try:
        found = answer.get(timeout=max(0.0, deadline - time.monotonic()))
    except queue.Empty:
        raise TimeoutError from None
    if isinstance(found, OSError):
        raise found
    return found


def _connect(target: Target, deadline: float) -> socket.socket:
    """A connected TCP socket to the first address of the target that answers before
    ``deadline`` (``time.monotonic()``)."""
    places: list[tuple[socket.AddressFamily, tuple[str | int | bytes, ...]]]
    if target.is_ip:  # no resolver round trip for an address
        family = socket.AF_INET6 if ":" in target.host else socket.AF_INET
        places = [(family, (target.host, target.port))]
    else:
        found = _resolve(target, deadline)
        places = [(entry[0], tuple(entry[4])) for entry in found]
    last: OSError = ConnectionRefusedError()
    for family, address in places:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(remaining)
        try:
            sock.connect(address)
        except TimeoutError:
            sock.close()
            raise
        except OSError as error:
            sock.close()
            last = error
            continue
        except BaseException:
            sock.close()
            raise
        return sock
    raise last


@dataclass(frozen=True)
class Handshake:
    """What a handshake showed: the protocol and the chain as sent, and the address reached."""

    version: str | None
    """Negotiated protocol (``TLSv1.3``); ``None`` when the handshake did not finish."""
    chain: tuple[bytes, ...]
    """DER certificates, leaf first, unverified."""
    address: str | None = None
    """The IP address connected to."""
    failure: str | None = None
    """Why the handshake failed, when it failed before the server sent a chain."""


_NOT_TLS = (
    "wrong version number",
    "packet length too long",
    "record layer failure",
    "http request",
    "unknown protocol",
    "record_layer_failure",
)


def _chain_so_far(connection: ssl.SSLSocket) -> tuple[bytes, ...]:
    """The chain a server sent before the handshake failed; empty when it sent none."""
    try:
        return tuple(presented_chain(connection))
    except (ssl.SSLError, OSError, ValueError):
        return ()


def _peer_address(connection: socket.socket) -> str | None:
    try:
        return str(connection.getpeername()[0])
    except (OSError, IndexError):
        return None


def _handshake_reason(error: BaseException) -> str:
    # Python 3.11.2 (Debian 12's) reports a server hanging up mid-handshake as SSLZeroReturnError
    # ("TLS/SSL connection has been closed (EOF)"), later releases as SSLEOFError.
    if isinstance(
        error,
        ssl.SSLEOFError
        | ssl.SSLZeroReturnError
        | ConnectionResetError
        | BrokenPipeError
        | EOFError,
    ):
        return "the server closed the connection during the TLS handshake"
    if isinstance(error, ssl.SSLError):
        reason = error.reason or error.strerror or str(error)
        text = str(reason).replace("_", " ").lower()
        if any(marker in text for marker in _NOT_TLS):
            return f"not a TLS service: the server answered something other than TLS ({text})"
        return f"TLS handshake failed: {text}"
    return f"TLS handshake failed: {error}"


class TlsScanner(Collector):
    """The TLS endpoint scanner."""

    def __init__(
        self,
        targets: Sequence[Target],
        *,
        trust: TrustStore,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: float = DEFAULT_TIMEOUT,
        ticker: Ticker | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.targets = list(targets)
        self.trust = trust
        self.concurrency = max(1, concurrency)
        self.timeout = timeout
        self.ticker = ticker
        """Told (targets done, targets in all) after each target."""
        self.started = (now or (lambda: datetime.now(UTC)))()
        self._context = client_context()
        self._certificates: dict[bytes, tuple[x509.Certificate, CertificateRecord]] = {}
        self._verdicts: dict[tuple[tuple[bytes, ...], str], tuple[bool, str | None]] = {}

    def header(self) -> EvidenceBundle:
        """Collector ``tls``; scope is the targets in order."""
        return EvidenceBundle(
            collector="tls",
            collected_at=self.started,
            tool=BundleTool(name="cmmm-assess", version=__version__),
            scope=tuple(t.location for t in self.targets),
            trust_store=self.trust.label,
        )

    def collect(self, sink: Sink) -> None:
        """Scan every target; observations reach ``sink`` in target order."""
        total = len(self.targets)
        if total == 0:
            return
        pending = iter(enumerate(self.targets))
        taking = threading.Lock()
        stop = threading.Event()
        finished: queue.SimpleQueue[tuple[int, Handshake | str | BaseException]]
        finished = queue.SimpleQueue()

        def connect_in_turn() -> None:
            while not stop.is_set():
                with taking:
                    turn = next(pending, None)
                if turn is None:
                    return
                index, target = turn
                try:
                    finished.put((index, self.handshake(target)))
                except BaseException as error:  # a bug: raised again by the scanning thread
                    finished.put((index, error))
                    return

        threads = [
            threading.Thread(target=connect_in_turn, name="tls-scan", daemon=True)
            for _ in range(min(self.concurrency, total))
        ]
        for thread in threads:
            thread.start()
        try:
            done: dict[int, Handshake | str] = {}
            reported = 0
            for count in range(1, total + 1):
                index, result = finished.get()
                if isinstance(result, BaseException):
                    raise result
                done[index] = result
                # Judged here, in target order, while the next handshakes are under way.
                while reported in done:
                    target = self.targets[reported]
                    sink(self._observe(target, done.pop(reported)))
                    reported += 1
                if self.ticker is not None:
                    self.ticker(count, total)
        finally:
            stop.set()
            for thread in threads:
                thread.join()

    def handshake(self, target: Target) -> Handshake | str:
        """Connect to one endpoint and complete a TLS handshake: what the server sent, or why
        that failed. Blocking: runs in one of the scan's threads."""
        deadline = time.monotonic() + self.timeout
        try:
            connected = _connect(target, deadline)
        except OSError as error:
            if isinstance(error, TimeoutError) or time.monotonic() >= deadline:
                return f"no TCP connection within {self.timeout:g} s (host down or filtered)"
            if isinstance(error, ConnectionRefusedError):
                return f"connection refused: nothing listens on port {target.port}"
            if isinstance(error, socket.gaierror):
                return f"host name does not resolve: {error.strerror}"
            return f"cannot connect: {error.strerror or error}"
        try:
            # The raw socket goes to TLS unread, so a service that greets first (SSH, SMTP)
            # shows as "not TLS" rather than as a hang-up.
            connection = self._context.wrap_socket(
                connected,
                server_hostname=target.host,  # the ssl module sends no SNI for addresses
                do_handshake_on_connect=False,
            )
        except (ssl.SSLError, OSError) as error:
            connected.close()
            return _handshake_reason(error)
        with connection:
            address = _peer_address(connection)
            try:
                # CPython bounds the whole handshake by the timeout, however slowly the
                # server drips its bytes (tests: the drip server).
                connection.settimeout(self.timeout)
                connection.do_handshake()
                chain = tuple(presented_chain(connection))
                return Handshake(connection.version(), chain, address)
            except TimeoutError:
                late = (
                    f"no TLS handshake within {self.timeout:g} s: the server accepted the "
                    "connection but did not answer"
                )
                return Handshake(None, (), address, late)
            except (ssl.SSLError, OSError) as error:
                # A TLS 1.2 server that requires a client certificate sends its chain, asks for
                # ours, and fails the handshake when none comes: the chain it sent is read all
                # the same (the version is not known: the handshake did not finish).
                sent = _chain_so_far(connection)
                return Handshake(None, sent, address, None if sent else _handshake_reason(error))

    def _observe(self, target: Target, result: Handshake | str) -> Observation:
        sni = None if target.is_ip else target.host

        def failed(reason: str, **fields: object) -> Observation:
            return error_observation(
                target.location, reason, ObservationKind.ENDPOINT, server_name=sni, **fields
            )

        if isinstance(result, str):
            return failed(result)
        return self._judge(target, sni, result, failed)

    def _read(self, der: bytes) -> tuple[x509.Certificate, CertificateRecord]:
        """A certificate and its record; the same DER (an issuing CA's certificate on every
        endpoint, one certificate on a pool of servers) is parsed once per scan."""
        found = self._certificates.get(der)
        if found is None:
            certificate = x509.load_der_x509_certificate(der)
            found = (certificate, record_of(certificate, der=der))
            _remember(self._certificates, der, found)
        return found

    def _judge(
        self,
        target: Target,
        sni: str | None,
        handshake: Handshake,
        failed: Callable[..., Observation],
    ) -> Observation:
        version = handshake.version
        chain_der = list(handshake.chain)
        if not chain_der:
            return failed(
                handshake.failure or "the server sent no certificate",
                tls_version=version,
                address=handshake.address,
            )
        chain: list[x509.Certificate] = []
        records: list[CertificateRecord] = []
        for position, der in enumerate(chain_der):
            try:
                certificate, record = self._read(der)
            except (ValueError, UnreadableCertificate, x509.InvalidVersion) as error:
                return failed(
                    f"certificate {position} of the chain cannot be read: {error}",
                    tls_version=version,
                    address=handshake.address,
                )
            chain.append(certificate)
            records.append(record)
        leaf = records[0]
        hostname_match = matches_host(target.host, leaf.san_dns, leaf.san_ip)
        # Trust is judged for a name the leaf claims, so that a host-name mismatch does not
        # also read as a broken chain: the two are recorded separately. A leaf that claims no
        # name at all (no subjectAltName) cannot be judged by the verifier: no verdict, as
        # from sslyze 6, which uses the same verifier.
        name = target.host if hostname_match else _claimed_name(leaf)
        trusted: bool | None = None
        reason: str | None = None
        if name is not None:
            key = (tuple(chain_der), name)
            verdict = self._verdicts.get(key)
            if verdict is None:
                # Every chain is judged at the scan's start, the bundle's collected_at: the
                # same chain always gets the same verdict, so it is judged once per scan.
                verdict = self.trust.verify(chain, name, self.started)
                _remember(self._verdicts, key, verdict)
            trusted, reason = verdict
        return Observation(
            location=target.location,
            status=ObservationStatus.OK,
            certificates=tuple(records),
            tls_version=version,
            hostname_match=hostname_match,
            trusted=trusted,
            kind=ObservationKind.ENDPOINT,
            server_name=sni,
            validation_error=reason,
            trust_roots=self.trust.roots if trusted is not None else None,
            address=handshake.address,
        )


CACHE_SIZE = 1024
"""Certificates and verdicts remembered during one scan (memory stays bounded)."""


def _remember(cache: dict[K, V], key: K, value: V) -> None:
    if CACHE_SIZE <= 0:
        return
    if len(cache) >= CACHE_SIZE:
        del cache[next(iter(cache))]  # the oldest entry
    cache[key] = value


def _claimed_name(leaf: CertificateRecord) -> str | None:
    for name in leaf.san_dns:
        return "wildcard-probe." + name[2:] if name.startswith("*.") else name
    for address in leaf.san_ip:
        return address
    return None
