"""TLS endpoints named and matched: ``host:port`` read and written, host names matched against
a certificate's names (RFC 6125).

One spelling for every collector that names an endpoint (our TLS scan, sslyze, testssl.sh), so
that the metrics count an endpoint once however many sources saw it.
"""

from __future__ import annotations

import encodings.idna
import functools
import ipaddress
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_PORT = 443


def endpoint_location(host: str, port: int | str) -> str:
    """``host:port``, ``[v6]:port`` for an IPv6 address."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass(frozen=True)
class Target:
    """A TLS endpoint to contact."""

    host: str
    """Host name or IP address (without brackets)."""
    port: int

    @functools.cached_property
    def is_ip(self) -> bool:
        """True when ``host`` is an IP address literal (no SNI is sent)."""
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return False
        return True

    @property
    def location(self) -> str:
        """``host:port``, ``[v6]:port`` for IPv6."""
        return endpoint_location(self.host, self.port)


def parse_target(text: str) -> Target:
    """``host:port``, ``host`` (port 443), ``[v6]:port``, ``[v6]`` or a bare IPv6 address."""
    spec = text.strip()
    if not spec:
        raise ValueError("empty target")
    port_text = ""
    if spec.startswith("["):
        host, bracket, rest = spec[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise ValueError(f"{_quoted(text)}: expected [IPv6]:port")
        port_text = rest[1:]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ValueError(f"{_quoted(text)}: {_quoted(host)} is not an IPv6 address") from None
    elif spec.count(":") > 1:
        host = spec
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ValueError(f"{_quoted(text)}: write IPv6 targets as [address]:port") from None
    else:
        host, _, port_text = spec.partition(":")
        if not host or any(c.isspace() or c in "/@?#" for c in host):
            raise ValueError(f"{_quoted(text)}: not a host name")
        if (problem := host_name_problem(host)) is not None:
            raise ValueError(f"{_quoted(text)}: not a host name: {problem}")
    port = DEFAULT_PORT
    if port_text or spec.endswith(":"):
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"{_quoted(text)}: port must be a number from 1 to 65535")
        port = int(port_text)
    return Target(host, port)


MAX_LABEL = 63
"""Octets in one label of a DNS name (RFC 1035, 2.3.4)."""
MAX_NAME = 253
"""Characters in a DNS name written as text without its final dot (RFC 1035's 255 octets)."""
_DOTS = re.compile("[.\u3002\uff0e\uff61]")
"""The label separators IDNA reads as dots (RFC 3490, 3.1)."""
_HOST_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_")


def host_name_problem(host: str) -> str | None:
    """Why ``host`` cannot be a host name to connect to, or ``None``: each label converted by
    IDNA (as the resolver and SNI will convert it) must be 1 to 63 letters, digits, hyphens or
    underscores, the whole name at most 253 characters."""
    labels = _DOTS.split(host[:-1] if _DOTS.fullmatch(host[-1:]) else host)
    written: list[str] = []
    for number, label in enumerate(labels, start=1):
        if not label:
            return f"label {number} is empty"
        if len(label) > MAX_LABEL:
            return f"label {number} is {len(label)} characters long (a label holds at most 63)"
        try:
            ascii_label = encodings.idna.ToASCII(label).decode("ascii")
            encodings.idna.ToUnicode(ascii_label)  # an xn-- label must decode and round-trip
        except UnicodeError:
            converted = len("xn--") + len(label.lower().encode("punycode"))
            if converted > MAX_LABEL:
                return (
                    f"label {number} is {converted} characters long once converted by IDNA "
                    "(a label holds at most 63)"
                )
            return f"label {number} is not a valid internationalised name (IDNA)"
        if not set(ascii_label) <= _HOST_CHARACTERS:
            return f"label {number} holds characters a host name cannot"
        written.append(ascii_label)
    if len(".".join(written)) > MAX_NAME:
        return f"the name is {len('.'.join(written))} characters long (at most {MAX_NAME})"
    return None


def _quoted(text: str) -> str:
    """``text`` in quotes, control characters escaped (a target from a file may hold any)."""
    shown = text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
    return f"'{shown}'"


def matches_host(host: str, dns_names: Iterable[str], ips: Iterable[str]) -> bool:
    """RFC 6125 matching of a host name or IP address against the leaf's subjectAltName:
    case-insensitive, a wildcard only as the whole left-most label, for exactly one label."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return any(_same_ip(address, ip) for ip in ips)
    try:
        wanted = host.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        wanted = host.rstrip(".").lower()
    for pattern in dns_names:
        name = pattern.rstrip(".").lower()
        if name == wanted:
            return True
        if name.startswith("*.") and "." in wanted and wanted.split(".", 1)[1] == name[2:]:
            return True
    return False


def _same_ip(address: ipaddress.IPv4Address | ipaddress.IPv6Address, text: str) -> bool:
    try:
        return ipaddress.ip_address(text) == address
    except ValueError:
        return False
