"""PKCS#12 files: their certificates and key read with the passwords given, and the work each
password costs counted before any is tried.

A PKCS#12 file names the iteration counts its reader must run: the MAC's key derivation
(RFC 7292 appendix B, or PBKDF2 under PBMAC1, RFC 9579) and the password-based encryption of
each encrypted part (PKCS#12 PBE, PBES1, PBES2 with PBKDF2 or scrypt). OpenSSL runs whatever
count the file names (openssl/openssl#21103, open): a 2³¹−1 MAC count costs minutes of SHA-256
per password tried. So the counts are read first, from the file's structure, and a file asking
for more than :data:`MAX_ITERATIONS` for one derivation, or :data:`MAX_TOTAL_ITERATIONS` for
one password, is refused before any key is derived. Others cap them too: Chromium's BoringSSL
at 100,000,000 (``pkcs12_iterations_acceptable``), the JDK at 5,000,000
(``PKCS12KeyStore.MAX_ITERATION_COUNT``), Windows and .NET at 600,000 for a file opened
without its password (KB5025823), .NET's ``Pkcs12LoaderLimits`` at 300,000 per derivation
and 1,000,000 in all. Writers stay far below: ``openssl pkcs12 -export`` 2,048, keytool
10,000.

A count inside an encrypted part (a shrouded key inside an encrypted safe) is seen only once
that part is decrypted, which takes the right password: such a count is not checked.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.serialization import pkcs12

from assess.evidence.certs import RecordCache, key_description
from assess.evidence.filescan.items import Item, file_read, records_of
from assess.model.bundle import KeyRecord
from assess.support.der import AsnError, Element, children, integer, octets, oid

MAX_ITERATIONS = 600_000
"""The most iterations one key derivation of a PKCS#12 file may ask for (the Windows limit)."""
MAX_TOTAL_ITERATIONS = 2_000_000
"""The most iterations all the derivations one password opens may ask for together (a MAC, a
certificate safe and a key at 600,000 each pass): about a second of OpenSSL per password."""

_DATA = "1.2.840.113549.1.7.1"
_ENCRYPTED_DATA = "1.2.840.113549.1.7.6"
_SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2"
_SAFE_CONTENTS_BAG = "1.2.840.113549.1.12.10.1.6"
_PKCS12_PBE = "1.2.840.113549.1.12.1."  # pbeWithSHAAnd… (RFC 7292 appendix C)
_PBES1 = {f"1.2.840.113549.1.5.{n}" for n in (1, 3, 4, 6, 10, 11)}
_PBES2 = "1.2.840.113549.1.5.13"
_PBKDF2 = "1.2.840.113549.1.5.12"
_PBMAC1 = "1.2.840.113549.1.5.14"
_SCRYPT = "1.3.6.1.4.1.11591.4.11"


class Pkcs12Refused(ValueError):
    """A PKCS#12 file this scanner does not open: too costly to try, or no password opens it."""


def iteration_counts(data: bytes) -> list[tuple[str, int]]:
    """The key derivations a PKCS#12 file asks for before its passwords are known: what each
    is for and its iteration count (scrypt: N·r·p). Raises Pkcs12Refused when the structure
    cannot be read."""
    try:
        return _counts(data)
    except (ValueError, IndexError, StopIteration) as error:  # AsnError, or elements missing
        reason = error if isinstance(error, AsnError) else "elements missing"
        raise Pkcs12Refused(f"not a PKCS#12 structure this scanner reads: {reason}") from None


def check_iterations(data: bytes) -> None:
    """Raises Pkcs12Refused when trying a password on ``data`` would cost more than the
    limits: no key is derived before this check."""
    counts = iteration_counts(data)
    for purpose, count in counts:
        if count > MAX_ITERATIONS:
            raise Pkcs12Refused(
                f"a PKCS#12 file whose {purpose} asks for {count:,} iterations, over the limit "
                f"of {MAX_ITERATIONS:,}: not opened (each password would cost that many)"
            )
    total = sum(count for _, count in counts)
    if total > MAX_TOTAL_ITERATIONS:
        raise Pkcs12Refused(
            f"a PKCS#12 file asking for {total:,} iterations in all, over the limit of "
            f"{MAX_TOTAL_ITERATIONS:,}: not opened (each password would cost that many)"
        )


def scan_pkcs12(
    data: bytes, location: str, mode: str | None, passwords: Sequence[bytes], cache: RecordCache
) -> Iterator[Item]:
    """The certificates and key of a PKCS#12 file, trying no password, the empty one, then
    each of ``passwords``. Raises Pkcs12Refused when none opens it or the file asks too much."""
    check_iterations(data)
    for password in (None, b"", *passwords):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                store = pkcs12.load_pkcs12(data, password)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            continue
        certificates = [store.cert.certificate] if store.cert is not None else []
        certificates += [extra.certificate for extra in store.additional_certs]
        records, errors = records_of(certificates, location, cache)
        yield file_read(location, records)
        yield from errors
        if store.key is not None:
            key_type, key_size, _ = key_description(store.key)
            yield KeyRecord(
                location=location,
                encrypted=bool(password),
                mode=mode,
                key_type=key_type,
                key_size=key_size,
            )
        del store
        return
    raise Pkcs12Refused(
        f"a PKCS#12 file none of the passwords opened (tried none, empty and {len(passwords)} "
        "given): give its password with --password, or it is damaged"
    )


def _counts(data: bytes) -> list[tuple[str, int]]:
    pfx = next(children(data))  # what follows it is not read, by OpenSSL either
    version, auth_safe, *rest = children(data, pfx)
    if integer(data, version) != 3:
        raise AsnError("not version 3")
    counts: list[tuple[str, int]] = []
    if rest:
        counts.append(("MAC", _mac_count(data, rest[0])))
    content_type, *content = children(data, auth_safe)
    if oid(data, content_type) == _DATA and content:
        (wrapped,) = children(data, content[0])
        safes = octets(data, wrapped)
        (sequence,) = children(safes)
        for info in children(safes, sequence):
            counts += _safe_counts(safes, info)
    return counts


def _mac_count(data: bytes, mac_data: Element) -> int:
    digest_info, _salt, *iterations = children(data, mac_data)
    algorithm, _digest = children(data, digest_info)
    name, *parameters = children(data, algorithm)
    if oid(data, name) == _PBMAC1:  # RFC 9579: the count is PBKDF2's
        kdf, _scheme = children(data, parameters[0])
        return _kdf_count(data, kdf)
    return integer(data, iterations[0]) if iterations else 1


def _safe_counts(data: bytes, info: Element) -> list[tuple[str, int]]:
    content_type, *content = children(data, info)
    kind = oid(data, content_type)
    if not content:
        return []
    (inner,) = children(data, content[0])
    if kind == _ENCRYPTED_DATA:
        _version, encrypted_info, *_ = children(data, inner)
        _type, algorithm, *_ = children(data, encrypted_info)
        return [("encrypted part", _pbe_count(data, algorithm))]
    if kind == _DATA:
        contents = octets(data, inner)
        (bags,) = children(contents)
        return _bag_counts(contents, bags, 0)
    return []  # enveloped or signed: public-key protection, no password to derive from


def _bag_counts(data: bytes, bags: Element, depth: int) -> list[tuple[str, int]]:
    counts: list[tuple[str, int]] = []
    for bag in children(data, bags):
        bag_id, *value = children(data, bag)
        kind = oid(data, bag_id)
        if not value or kind not in (_SHROUDED_KEY_BAG, _SAFE_CONTENTS_BAG):
            continue
        (inner,) = children(data, value[0])
        if kind == _SHROUDED_KEY_BAG:
            algorithm, _ = children(data, inner)
            counts.append(("key encryption", _pbe_count(data, algorithm)))
        elif depth < 8:
            counts += _bag_counts(data, inner, depth + 1)
        else:
            raise AsnError("safe contents nested more than 8 deep")
    return counts


def _pbe_count(data: bytes, algorithm: Element) -> int:
    name, *parameters = children(data, algorithm)
    scheme = oid(data, name)
    if scheme.startswith(_PKCS12_PBE) or scheme in _PBES1:
        _salt, iterations = children(data, parameters[0])
        return integer(data, iterations)
    if scheme == _PBES2:
        kdf, _encryption = children(data, parameters[0])
        return _kdf_count(data, kdf)
    raise AsnError(f"an unknown password-based encryption {scheme}")


def _kdf_count(data: bytes, kdf: Element) -> int:
    name, parameters = children(data, kdf)
    function = oid(data, name)
    if function == _PBKDF2:
        _salt, iterations, *_ = children(data, parameters)
        return integer(data, iterations)
    if function == _SCRYPT:
        _salt, cost, block_size, parallelism, *_ = children(data, parameters)
        return integer(data, cost) * integer(data, block_size) * integer(data, parallelism)
    raise AsnError(f"an unknown key derivation {function}")
