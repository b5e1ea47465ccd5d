"""Public-key and signature algorithms by OID: name, family, strength (``algorithms.yaml``).

The table ships as data beside this module and is loaded and validated once, on the first
lookup: the model layer's one read (docs/architecture.md says why it stays here). Scanners and
importers classify a certificate's key and signature with it (never by the type of the key
object cryptography returns, which fails for algorithms it does not know); the forecast counts
classical, post-quantum and unknown keys with :func:`family` and :func:`security_bits`; the CBOM
export describes algorithms with :func:`by_oid` and :func:`key_algorithm`.

An evidence bundle's ``key_type`` is the table's ``name`` of the key algorithm (``rsa``, ``ec``,
``ed25519``, ``ml-dsa-65``, ``composite-ml-dsa-65-ecdsa-p256``…) or ``unknown``: a key whose
algorithm the table does not list.
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from assess.model.base import Frozen
from assess.support.errors import InputError
from assess.support.yamlio import load_model

TABLE = Path(__file__).with_name("algorithms.yaml")
"""The shipped table."""

UNKNOWN = "unknown"
"""The ``key_type`` of a key whose algorithm the table does not list."""

Family = Literal["classical", "post_quantum", "unknown"]
"""What a post-quantum transition plan makes of an algorithm."""

_OID = r"[0-2](\.(0|[1-9][0-9]*))+"
_NAME = r"[A-Za-z0-9][A-Za-z0-9_-]*"


class Algorithm(Frozen):
    """One algorithm of the table."""

    oid: str = Field(pattern=f"^{_OID}$")
    """Dotted object identifier, as in the certificate's AlgorithmIdentifier."""
    name: str = Field(pattern=f"^{_NAME}$", max_length=64)
    """A public-key algorithm's ``key_type`` (``ml-dsa-65``), or a signature's name
    (``sha256WithRSAEncryption``)."""
    label: str = Field(min_length=1)
    """How reports and the CBOM name it (``ML-DSA-65``)."""
    family: Literal["classical", "post_quantum"]
    """Classical (RSA, DSA, EC, EdDSA) or post-quantum (ML-DSA, SLH-DSA, ML-KEM, composite)."""
    primitive: Literal["signature", "kem", "pke", "key-agree"]
    """The CycloneDX 1.6 primitive."""
    uses: tuple[Literal["key", "signature"], ...] = Field(min_length=1)
    """Whether it appears as a certificate's key, as its signature, or both."""
    security_bits: int | None = Field(default=None, ge=1)
    """Classical security strength in bits; ``None`` when the key size decides it."""
    nist_category: int = Field(ge=0, le=5)
    """NIST post-quantum security category (1–5); 0 for classical algorithms."""
    hash: str | None = None
    """The digest a signature algorithm signs with, when it names one (``sha256``)."""
    key: str | None = None
    """For a signature algorithm: the ``key_type`` of the key that makes it."""
    status: Literal["standard", "draft"]
    """A standard (FIPS, RFC) or a draft whose OIDs may still change."""
    source: str = Field(min_length=1)
    """Where the OID and the figures come from."""

    @property
    def is_post_quantum(self) -> bool:
        """True for ML-DSA, SLH-DSA, ML-KEM and composite algorithms."""
        return self.family == "post_quantum"

    @model_validator(mode="after")
    def _consistent(self) -> Algorithm:
        if self.is_post_quantum and (self.nist_category == 0 or self.security_bits is None):
            raise ValueError("a post-quantum algorithm needs its nist_category and security_bits")
        if not self.is_post_quantum and self.nist_category != 0:
            raise ValueError("a classical algorithm has nist_category 0")
        if "signature" in self.uses and self.key is None:
            raise ValueError("a signature algorithm names the key type that makes it ('key')")
        return self


class Curve(Frozen):
    """A named elliptic curve."""

    oid: str = Field(pattern=f"^{_OID}$")
    """Dotted object identifier of the curve."""
    name: str = Field(min_length=1)
    """The name cryptography gives it (``secp256r1``)."""
    size: int = Field(ge=1)
    """Size of the curve's field in bits."""


class AlgorithmTable(Frozen):
    """The table file: algorithms and curves, each OID and name once."""

    version: int = Field(ge=1)
    """Version of the table's layout."""
    algorithms: tuple[Algorithm, ...] = Field(min_length=1)
    """Every algorithm, keys and signatures."""
    curves: tuple[Curve, ...] = ()
    """Named curves for EC keys."""

    @field_validator("algorithms")
    @classmethod
    def _unique(cls, rows: tuple[Algorithm, ...]) -> tuple[Algorithm, ...]:
        for what, values in (
            ("OID", [a.oid for a in rows]),
            ("name", [a.name.lower() for a in rows]),
        ):
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                raise ValueError(f"{what} listed more than once: {', '.join(repeated)}")
        keys = {a.name for a in rows if "key" in a.uses}
        misspelt = sorted(k for k in keys if not is_key_type_name(k))
        if misspelt:
            raise ValueError(
                "a key algorithm's name is its key_type: lowercase letters, digits and hyphens, "
                f"not {', '.join(misspelt)}"
            )
        if UNKNOWN in keys:
            raise ValueError(f"'{UNKNOWN}' is reserved for keys the table does not list")
        dangling = sorted({a.key for a in rows if a.key and a.key not in keys})
        if dangling:
            raise ValueError(f"'key' names no key algorithm of the table: {', '.join(dangling)}")
        return rows

    @field_validator("curves")
    @classmethod
    def _unique_curves(cls, curves: tuple[Curve, ...]) -> tuple[Curve, ...]:
        oids = [c.oid for c in curves]
        repeated = sorted({v for v in oids if oids.count(v) > 1})
        if repeated:
            raise ValueError(f"OID listed more than once: {', '.join(repeated)}")
        return curves


def load_table(path: Path = TABLE) -> AlgorithmTable:
    """The table in ``path``, validated; :class:`InputError` with file, line and field when it
    is not a valid table."""
    table, _ = load_model(AlgorithmTable, path)
    return table


def _spelled(text: str) -> str:
    """``text`` lowercased without punctuation or spaces: ``ML-DSA-65`` → ``mldsa65``."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


class _Index:
    """The shipped table, indexed by OID and by key name."""

    def __init__(self, table: AlgorithmTable) -> None:
        self.by_oid = {a.oid: a for a in table.algorithms}
        self.keys = {a.name: a for a in table.algorithms if "key" in a.uses}
        self.keys_spelled = {_spelled(a.name): a for a in self.keys.values()}
        for a in self.keys.values():
            self.keys_spelled.setdefault(_spelled(a.label), a)
        self.curves_by_oid = {c.oid: c for c in table.curves}
        self.curves_by_name = {c.name.lower(): c for c in table.curves}


@cache
def _index() -> _Index:
    try:
        return _Index(load_table())
    except InputError as error:  # the shipped file is part of the program: a bug, not input
        raise RuntimeError(f"the shipped algorithm table is invalid: {error}") from None


def algorithms() -> tuple[Algorithm, ...]:
    """Every algorithm of the shipped table, in its order."""
    return tuple(_index().by_oid.values())


def by_oid(oid: str) -> Algorithm | None:
    """The algorithm with the dotted OID ``oid``; ``None`` when the table does not list it."""
    return _index().by_oid.get(oid.strip())


def key_algorithm(key_type: str) -> Algorithm | None:
    """The public-key algorithm whose ``key_type`` is ``key_type``; ``None`` for ``unknown``
    or a name the table does not list."""
    return _index().keys.get(key_type)


def key_type_of_oid(oid: str) -> str:
    """The ``key_type`` of a SubjectPublicKeyInfo algorithm OID; ``unknown`` when the table
    does not list it as a key algorithm."""
    found = by_oid(oid)
    return found.name if found is not None and "key" in found.uses else UNKNOWN


def key_type_named(text: str) -> str | None:
    """The ``key_type`` a tool's spelling of a key algorithm stands for, when it names one of
    the table exactly: its OID, its name or label however punctuated (``ML-DSA-65``,
    ``mldsa65``, ``MLDSA65PublicKey``); ``None`` otherwise."""
    stripped = text.strip()
    if re.fullmatch(_OID, stripped):
        found = by_oid(stripped)
        return found.name if found is not None and "key" in found.uses else None
    spelled = _spelled(stripped).removeprefix("id").removesuffix("publickey")
    found = _index().keys_spelled.get(spelled)
    return found.name if found is not None else None


def curve_by_oid(oid: str) -> Curve | None:
    """The named curve with OID ``oid``."""
    return _index().curves_by_oid.get(oid.strip())


def curve_by_name(name: str) -> Curve | None:
    """The named curve called ``name`` (``secp256r1``, case-insensitive)."""
    return _index().curves_by_name.get(name.strip().lower())


def family(key_type: str) -> Family:
    """``classical``, ``post_quantum``, or ``unknown`` for a key type the table does not list
    (``unknown`` itself, or a name from a later version of the table)."""
    found = key_algorithm(key_type)
    return found.family if found is not None else "unknown"


def is_key_type_name(text: str) -> bool:
    """True when ``text`` is written like a key type: lowercase letters, digits and hyphens."""
    return re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", text) is not None


# NIST SP 800-57 Part 1 Rev. 5, Table 2: the smallest size giving each strength.
_FFC_IFC = ((15360, 256), (7680, 192), (3072, 128), (2048, 112), (1024, 80))
"""RSA modulus (IFC) and DSA prime (FFC) sizes."""
_ECC = ((512, 256), (384, 192), (256, 128), (224, 112), (160, 80))
"""Elliptic-curve order sizes (f)."""


def _ifc_below_1024(bits: int) -> int:
    """Strength of an RSA or DSA key under 1024 bits, which SP 800-57 does not list: the
    general number field sieve estimate of FIPS 140 Implementation Guidance 7.5 (D.B), rounded
    down; it gives 80 at 1024 bits, as the table does."""
    x = bits * math.log(2)
    estimate: float = (1.923 * x ** (1 / 3) * math.log(x) ** (2 / 3) - 4.69) / math.log(2)
    return math.floor(estimate)


def security_bits(key_type: str, key_size: int | None) -> int | None:
    """Classical security strength in bits of a key (NIST SP 800-57 Part 1 Rev. 5, Table 2).

    RSA and DSA by modulus size (1024 → 80, 2048 → 112, 3072 → 128, 7680 → 192, 15360 → 256);
    EC by curve size (224 → 112, 256 → 128, 384 → 192, 521 → 256); Ed25519 128, Ed448 224;
    post-quantum algorithms by their NIST category (1–2 → 128, 3–4 → 192, 5 → 256). ``None``
    for an unknown key type, or an RSA, DSA or EC key whose size is not known.
    """
    found = key_algorithm(key_type)
    if found is None:
        return None
    if found.security_bits is not None:
        return found.security_bits
    if key_size is None or key_size <= 0:
        return None
    if found.name in ("ec", "ecdh"):
        steps = _ECC
    else:  # rsa, rsa-pss, rsa-oaep, dsa: a modulus or prime size
        steps = _FFC_IFC
        if key_size < 1024:
            return max(_ifc_below_1024(key_size), 1)
    for size, strength in steps:
        if key_size >= size:
            return strength
    return key_size // 2  # a curve under 160 bits: generic attacks take the square root


def quantum_category(key_type: str) -> int | None:
    """NIST post-quantum security category of a key type: 0 for classical (a quantum computer
    breaks it), 1–5 for post-quantum; ``None`` when unknown."""
    found = key_algorithm(key_type)
    return found.nist_category if found is not None else None
