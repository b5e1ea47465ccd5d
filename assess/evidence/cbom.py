"""The evidence inventory as a CycloneDX 1.6 cryptographic bill of materials (CBOM).

Every certificate the bundles hold (expired, not yet valid and inventory-only ones too) is a
``cryptographic-asset`` component whose ``bom-ref`` is its SHA-256 fingerprint, with its serial
number, names and validity, and references to its signature algorithm and its public key; the
algorithms are components of their own with their security levels and, from the algorithm
table, whether they resist a quantum computer (``nistQuantumSecurityLevel`` above 0). Private
key files appear by location and protection: never their material, which bundles do not hold.

The document depends only on the bundles and the time given: its serial number is derived from
the bundles' contents, so the same evidence gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cyclonedx.model import HashAlgorithm, HashType, Property
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.bom_ref import BomRef
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.component_evidence import ComponentEvidence, Occurrence
from cyclonedx.model.crypto import (
    AlgorithmProperties,
    CertificateProperties,
    CryptoAssetType,
    CryptoPrimitive,
    CryptoProperties,
    RelatedCryptoMaterialProperties,
    RelatedCryptoMaterialSecuredBy,
    RelatedCryptoMaterialType,
)
from cyclonedx.model.tool import ToolRepository
from cyclonedx.output.json import JsonV1Dot6

from assess import __version__
from assess.model import algorithms
from assess.model.bundle import CertificateRecord, EvidenceBundle, KeyRecord
from assess.support.distinguished_names import common_name

PROPERTY = "cmmm-assess"
"""The namespace of this tool's CycloneDX properties (``cmmm-assess:serial``…)."""

_NAMESPACE = uuid.UUID("6f1c9a52-6a0e-5f1e-9c39-0c4c2d0f7a11")
"""The namespace the document's serial number (a UUID v5) is derived in."""


@dataclass
class _Certificate:
    record: CertificateRecord
    locations: set[str] = field(default_factory=set)


@dataclass
class _Inventory:
    """Certificates by identity, algorithms and public keys by reference, key files."""

    certificates: dict[str, _Certificate] = field(default_factory=dict)
    algorithms: dict[str, Component] = field(default_factory=dict)
    public_keys: dict[str, Component] = field(default_factory=dict)
    key_files: dict[str, KeyRecord] = field(default_factory=dict)


def cbom_json(bundles: Iterable[tuple[str, EvidenceBundle]], timestamp: datetime) -> bytes:
    """The CBOM of ``(name, bundle)`` pairs as CycloneDX 1.6 JSON, at ``timestamp``."""
    inventory = _Inventory()
    digest = hashlib.sha256()
    for name, bundle in bundles:
        digest.update(name.encode() + b"\0" + bundle.model_dump_json().encode() + b"\0")
        for observation in bundle.observations:
            for record in observation.certificates:
                seen = inventory.certificates.setdefault(record.identity, _Certificate(record))
                seen.locations.add(observation.location)
        for key in bundle.keys:
            inventory.key_files.setdefault(key.location, key)
    components = [_certificate(inventory, seen) for seen in inventory.certificates.values()]
    components += [_key_file(inventory, key) for key in inventory.key_files.values()]
    components += [*inventory.algorithms.values(), *inventory.public_keys.values()]
    bom = Bom(
        components=components,
        serial_number=uuid.uuid5(_NAMESPACE, digest.hexdigest()),
        metadata=BomMetaData(
            timestamp=timestamp,
            tools=ToolRepository(
                components=[
                    Component(
                        name="cmmm-assess",
                        version=__version__,
                        type=ComponentType.APPLICATION,
                        bom_ref="tool:cmmm-assess",
                    )
                ]
            ),
        ),
    )
    text = JsonV1Dot6(bom).output_as_string(indent=2)
    # The library adds itself to the tools with its version; the order of keys and components
    # is its own, and stable.
    return (json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def certificate_ref(record: CertificateRecord) -> str:
    """A certificate's ``bom-ref``: its SHA-256 fingerprint, else (an inventory row without
    one) ``certificate:`` and a hash of its issuer and serial."""
    if record.sha256:
        return record.sha256
    return "certificate:" + hashlib.sha256(record.name_key.encode()).hexdigest()


def _properties(pairs: Sequence[tuple[str, str | None]]) -> list[Property]:
    return [Property(name=f"{PROPERTY}:{k}", value=v) for k, v in pairs if v]


def _certificate(inventory: _Inventory, seen: _Certificate) -> Component:
    record = seen.record
    signature = _signature_algorithm(inventory, record)
    public_key = _public_key(inventory, record)
    properties = [
        ("serial", record.serial),
        ("key-type", record.key_type),
        ("signature-hash", record.signature_hash),
        ("self-signed", "true" if record.self_signed else "false"),
        ("is-ca", None if record.is_ca is None else str(record.is_ca).lower()),
    ]
    properties += [("san-dns", name) for name in record.san_dns]
    properties += [("san-ip", address) for address in record.san_ip]
    return Component(
        name=common_name(record.subject) or record.subject or record.serial or "certificate",
        type=ComponentType.CRYPTOGRAPHIC_ASSET,
        bom_ref=certificate_ref(record),
        hashes=(
            [HashType(alg=HashAlgorithm.SHA_256, content=record.sha256)] if record.sha256 else []
        ),
        properties=_properties(properties),
        evidence=ComponentEvidence(
            occurrences=[Occurrence(location=where) for where in sorted(seen.locations)]
        ),
        crypto_properties=CryptoProperties(
            asset_type=CryptoAssetType.CERTIFICATE,
            certificate_properties=CertificateProperties(
                subject_name=record.subject,
                issuer_name=record.issuer,
                not_valid_before=record.not_before,
                not_valid_after=record.not_after,
                signature_algorithm_ref=signature,
                subject_public_key_ref=public_key,
                certificate_format="X.509",
            ),
        ),
    )


def _algorithm_component(
    inventory: _Inventory,
    ref: str,
    name: str,
    oid: str | None,
    found: algorithms.Algorithm | None,
    *,
    parameter: str | None = None,
    curve: str | None = None,
    strength: int | None = None,
) -> BomRef:
    if ref not in inventory.algorithms:
        family = found.family if found is not None else "unknown"
        inventory.algorithms[ref] = Component(
            name=name,
            type=ComponentType.CRYPTOGRAPHIC_ASSET,
            bom_ref=ref,
            properties=_properties([("family", family)]),
            crypto_properties=CryptoProperties(
                asset_type=CryptoAssetType.ALGORITHM,
                oid=oid,
                algorithm_properties=AlgorithmProperties(
                    primitive=(
                        CryptoPrimitive(found.primitive)
                        if found is not None
                        else CryptoPrimitive.UNKNOWN
                    ),
                    parameter_set_identifier=parameter,
                    curve=curve,
                    classical_security_level=strength,
                    nist_quantum_security_level=(
                        found.nist_category if found is not None else None
                    ),
                ),
            ),
        )
    return BomRef(ref)


def _signature_algorithm(inventory: _Inventory, record: CertificateRecord) -> BomRef | None:
    oid = record.signature_algorithm_oid
    found = algorithms.by_oid(oid) if oid is not None else None
    name = found.label if found is not None else record.signature_algorithm
    if name is None:
        return None
    key = (found.name if found is not None else None) or record.signature_algorithm or oid
    return _algorithm_component(
        inventory,
        f"algorithm:{key}",
        name,
        oid,
        found,
        strength=found.security_bits if found is not None else None,
    )


def _key_algorithm(
    inventory: _Inventory,
    key_type: str | None,
    key_size: int | None,
    curve: str | None,
    oid: str | None,
) -> BomRef | None:
    if key_type is None:
        return None
    found = algorithms.key_algorithm(key_type)
    if found is None:
        found = algorithms.by_oid(oid) if oid is not None else None
    label = found.label if found is not None else f"unknown ({oid})" if oid else "unknown"
    parameter = None
    if found is not None and found.security_bits is None and key_size:
        parameter = str(key_size)  # RSA-2048: the size decides the strength
    suffix = f"-{curve}" if curve else f"-{parameter}" if parameter else ""
    name = f"{label}{suffix}" if found is not None else label
    ref = f"algorithm:{key_type}{suffix}" if found is not None else f"algorithm:{oid or key_type}"
    return _algorithm_component(
        inventory,
        ref,
        name,
        found.oid if found is not None else oid,
        found,
        parameter=parameter,
        curve=curve,
        strength=algorithms.security_bits(key_type, key_size),
    )


def _public_key(inventory: _Inventory, record: CertificateRecord) -> BomRef | None:
    algorithm = _key_algorithm(
        inventory, record.key_type, record.key_size, record.curve, record.key_algorithm_oid
    )
    if algorithm is None and record.spki_sha256 is None:
        return None
    ref = (
        f"public-key:{record.spki_sha256}"
        if record.spki_sha256
        else f"public-key:{certificate_ref(record)}"
    )
    if ref not in inventory.public_keys:
        inventory.public_keys[ref] = Component(
            name=f"public key {record.spki_sha256 or certificate_ref(record)}",
            type=ComponentType.CRYPTOGRAPHIC_ASSET,
            bom_ref=ref,
            crypto_properties=CryptoProperties(
                asset_type=CryptoAssetType.RELATED_CRYPTO_MATERIAL,
                related_crypto_material_properties=RelatedCryptoMaterialProperties(
                    type=RelatedCryptoMaterialType.PUBLIC_KEY,
                    id=record.spki_sha256,
                    algorithm_ref=algorithm,
                    size=record.key_size,
                ),
            ),
        )
    return BomRef(ref)


def _key_file(inventory: _Inventory, key: KeyRecord) -> Component:
    algorithm = _key_algorithm(inventory, key.key_type, key.key_size, None, None)
    ref = "private-key:" + hashlib.sha256(key.location.encode()).hexdigest()
    return Component(
        name=key.location,
        type=ComponentType.CRYPTOGRAPHIC_ASSET,
        bom_ref=ref,
        properties=_properties(
            [("encrypted", "true" if key.encrypted else "false"), ("mode", key.mode)]
        ),
        evidence=ComponentEvidence(occurrences=[Occurrence(location=key.location)]),
        crypto_properties=CryptoProperties(
            asset_type=CryptoAssetType.RELATED_CRYPTO_MATERIAL,
            related_crypto_material_properties=RelatedCryptoMaterialProperties(
                type=RelatedCryptoMaterialType.PRIVATE_KEY,
                algorithm_ref=algorithm,
                size=key.key_size,
                secured_by=(
                    RelatedCryptoMaterialSecuredBy(mechanism="passphrase")
                    if key.encrypted
                    else None
                ),
            ),
        ),
    )
