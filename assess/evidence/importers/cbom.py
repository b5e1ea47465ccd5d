"""Import a CycloneDX cryptographic bill of materials (CBOM), 1.6 or 1.7 JSON.

A CBOM from a code, container or file scanner (CBOMkit-theia, CBOM-Lens, cbom4cert, or ``assess
export cbom``) lists certificates as ``cryptographic-asset`` components whose
``cryptoProperties.assetType`` is ``certificate``. Each becomes an inventory observation with
its names, validity, fingerprint and serial when given, its key and signature algorithms
(followed through ``subjectPublicKeyRef`` and ``signatureAlgorithmRef`` to their components and
classified by OID with the algorithm table), where it was found (``evidence.occurrences``). A
private key (``related-crypto-material`` of type ``private-key``) becomes a key record when the
CBOM says whether it is protected.

The JSON is read as it is rather than through cyclonedx-python-lib, which drops the 1.7
certificate fields (``serialNumber``, ``fingerprint``, ``relatedCryptographicAssets``); a value
of the wrong type is refused with its field path, a certificate without an end of validity is
an error observation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from assess.evidence.certs import signature_of
from assess.evidence.importers.formats import ImportFormat
from assess.evidence.importers.interface import Importer
from assess.evidence.importers.reading import clean_hex, load_json
from assess.evidence.interface import CollectorError, Sink
from assess.evidence.observations import error_observation, read_observation
from assess.model import algorithms
from assess.model.bundle import (
    BundleTool,
    CertificateRecord,
    KeyRecord,
    Observation,
    ObservationKind,
)
from assess.support.dates import parse_moment
from assess.support.errors import Problem

SPEC_VERSIONS = ("1.6", "1.7")
"""The CycloneDX versions read (CBOM arrived in 1.6)."""
MAX_COMPONENTS = 2_000_000
"""Components read from one CBOM (about 1,000 bytes of JSON each fill the 1 GiB import limit
twice over): past it the file is refused, named, rather than held in memory."""
_PROPERTY = "cmmm-assess:"
_MODE = re.compile(r"[0-7]{3,4}")
_SHA256_REF = re.compile(r"sha-?256:([0-9a-f]{64})$")


class _Refused(Exception):
    """A value of the wrong type, at a field path."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class CbomImporter(Importer):
    """CycloneDX 1.6 or 1.7 CBOM, JSON."""

    format = ImportFormat.CBOM

    def __init__(self, path: Path, mapping: dict[str, str] | None = None) -> None:
        super().__init__(path, mapping)
        data = load_json(path, "a CycloneDX CBOM (JSON)")
        try:
            self.document = _document(data)
            self.components = list(_components(self.document))
        except _Refused as refused:
            raise CollectorError(
                Problem(refused.message, file=path, field=refused.field),
                hint="expected a CycloneDX 1.6 or 1.7 JSON document (bomFormat CycloneDX)",
            ) from None
        self.by_ref: dict[str, tuple[str, dict[str, Any]]] = {}
        for where, component in self.components:
            ref = component.get("bom-ref")
            if isinstance(ref, str):
                self.by_ref.setdefault(ref, (where, component))
        self._notes: list[str] = []

    def tool(self) -> BundleTool:
        """The first tool ``metadata.tools`` names (1.4 list or 1.5+ components and
        services), with its version; ``unknown`` when none is named."""
        metadata = self.document.get("metadata")
        tools = metadata.get("tools") if isinstance(metadata, dict) else None
        candidates: list[Any] = []
        if isinstance(tools, list):
            candidates = tools
        elif isinstance(tools, dict):
            for kind in ("components", "services"):
                if isinstance(tools.get(kind), list):
                    candidates += tools[kind]
        for tool in candidates:
            if isinstance(tool, dict) and isinstance(tool.get("name"), str):
                version = tool.get("version")
                return BundleTool(
                    name=tool["name"][:200],
                    version=version[:100] if isinstance(version, str) else "unknown",
                )
        return BundleTool(name="unknown", version="unknown")

    def collected_at(self) -> datetime | None:
        """``metadata.timestamp``, else when the file was saved."""
        metadata = self.document.get("metadata")
        if isinstance(metadata, dict):
            moment = parse_moment(metadata.get("timestamp"))
            if moment is not None:
                return moment
        return super().collected_at()

    def notes(self) -> tuple[str, ...]:
        """Private keys left out for want of protection information, and the like."""
        return tuple(self._notes)

    def collect(self, sink: Sink) -> None:
        """One inventory observation per certificate component; a key record per private key
        whose protection the CBOM states."""
        unprotected = 0
        try:
            for where, component in self.components:
                crypto = _mapping(component.get("cryptoProperties"), f"{where}.cryptoProperties")
                asset = crypto.get("assetType")
                if asset == "certificate":
                    sink(self._certificate(where, component, crypto))
                elif asset == "related-crypto-material":
                    key = self._private_key(where, component, crypto)
                    if key is None:
                        continue
                    if isinstance(key, KeyRecord):
                        sink(key)
                    else:
                        unprotected += 1
        except _Refused as refused:
            raise CollectorError(
                Problem(refused.message, file=self.path, field=refused.field)
            ) from None
        if unprotected:
            self._notes.append(
                f"{unprotected} private key(s) left out: the CBOM does not say whether they are "
                "protected (securedBy), which the key metrics need"
            )

    def _location(self, where: str, component: dict[str, Any]) -> list[str]:
        evidence = _mapping(component.get("evidence"), f"{where}.evidence")
        occurrences = _list(evidence.get("occurrences"), f"{where}.evidence.occurrences")
        found = []
        for index, occurrence in enumerate(occurrences):
            occurrence = _mapping(occurrence, f"{where}.evidence.occurrences[{index}]")
            location = occurrence.get("location")
            if location is not None:
                found.append(_text(location, f"{where}.evidence.occurrences[{index}].location"))
        return found

    def _certificate(
        self, where: str, component: dict[str, Any], crypto: dict[str, Any]
    ) -> Observation:
        properties = _mapping(
            crypto.get("certificateProperties"), f"{where}.cryptoProperties.certificateProperties"
        )
        field = f"{where}.cryptoProperties.certificateProperties"
        ref = component.get("bom-ref")
        locations = self._location(where, component)
        location = locations[0] if locations else f"{self.path.name}#{ref or where}"
        own = _own_properties(component, where)

        not_after = _moment(properties, ("notValidAfter", "deactivationDate"), field)
        not_before = _moment(properties, ("notValidBefore", "activationDate"), field)
        if not_after is None:
            return error_observation(
                location,
                f"{where} ({_text(component.get('name', ''), f'{where}.name')}): the certificate "
                "has no notValidAfter",
                ObservationKind.INVENTORY,
            )
        serial = _optional_text(properties.get("serialNumber"), f"{field}.serialNumber")
        serial = clean_hex(serial or own.get("serial")) or ""
        key_type, key_size, key_oid, curve = self._key(where, component, crypto, properties)
        signature_name, signature_oid, signature_hash = self._signature(properties, field)
        signature_hash = own.get("signature-hash") or signature_hash
        record = CertificateRecord(
            sha256=_fingerprint(component, properties, where),
            serial=serial,
            subject=_optional_text(properties.get("subjectName"), f"{field}.subjectName") or "",
            issuer=_optional_text(properties.get("issuerName"), f"{field}.issuerName") or "",
            not_before=not_before,
            not_after=not_after,
            key_type=key_type,
            key_size=key_size,
            signature_hash=signature_hash,
            san_dns=tuple(own.get_all("san-dns")),
            self_signed=own.get("self-signed") == "true",
            signature_algorithm=signature_name,
            curve=curve,
            is_ca={"true": True, "false": False}.get(own.get("is-ca") or ""),
            san_ip=tuple(own.get_all("san-ip")),
            key_algorithm_oid=key_oid,
            signature_algorithm_oid=signature_oid,
        )
        return read_observation(location, (record,), ObservationKind.INVENTORY)

    def _referenced(self, ref: object, field: str) -> tuple[str, dict[str, Any]] | None:
        if ref is None:
            return None
        return self.by_ref.get(_text(ref, field))

    def _key(
        self,
        where: str,
        component: dict[str, Any],
        crypto: dict[str, Any],
        properties: dict[str, Any],
    ) -> tuple[str | None, int | None, str | None, str | None]:
        """Key type, size, algorithm OID and curve, from the public key the certificate refers
        to (1.6 ``subjectPublicKeyRef``, 1.7 ``relatedCryptographicAssets`` of type
        ``publicKey``), else the certificate's own ``oid`` (as cbom4cert writes it)."""
        field = f"{where}.cryptoProperties.certificateProperties"
        refs: list[object] = [properties.get("subjectPublicKeyRef")]
        related = _list(
            properties.get("relatedCryptographicAssets"), f"{field}.relatedCryptographicAssets"
        )
        for index, asset in enumerate(related):
            asset = _mapping(asset, f"{field}.relatedCryptographicAssets[{index}]")
            if asset.get("type") in ("publicKey", "public-key"):
                refs.append(asset.get("ref"))
        size: int | None = None
        for asset in related:  # cbom4cert: {"type": "size", "ref": "2048"}
            if asset.get("type") == "size" and str(asset.get("ref", "")).isdigit():
                size = int(asset["ref"]) if len(str(asset["ref"])) < 7 else None
        for ref in refs:
            found = self._referenced(ref, f"{field}.subjectPublicKeyRef")
            if found is None:
                continue
            key_where, key = found
            key_crypto = _mapping(key.get("cryptoProperties"), f"{key_where}.cryptoProperties")
            material = _mapping(
                key_crypto.get("relatedCryptoMaterialProperties"),
                f"{key_where}.cryptoProperties.relatedCryptoMaterialProperties",
            )
            size = (
                _optional_int(
                    material.get("size"),
                    f"{key_where}.cryptoProperties.relatedCryptoMaterialProperties.size",
                )
                or size
            )
            algorithm = self._referenced(
                material.get("algorithmRef"),
                f"{key_where}.cryptoProperties.relatedCryptoMaterialProperties.algorithmRef",
            )
            if algorithm is not None:
                return _key_algorithm(*algorithm, size)
            oid = _optional_text(key_crypto.get("oid"), f"{key_where}.cryptoProperties.oid")
            if oid is not None:
                return _key_of_oid(oid, size, None)
        own = _own_properties(component, where)
        key_type = own.get("key-type")
        oid = _optional_text(crypto.get("oid"), f"{where}.cryptoProperties.oid")
        if oid is not None and algorithms.key_type_of_oid(oid) != algorithms.UNKNOWN:
            return _key_of_oid(oid, size, None)
        if key_type is not None and algorithms.is_key_type_name(key_type):
            return key_type, size, None, None
        return None, size, None, None

    def _signature(
        self, properties: dict[str, Any], field: str
    ) -> tuple[str | None, str | None, str | None]:
        """Signature algorithm name, OID and hash, from ``signatureAlgorithmRef``'s component."""
        found = self._referenced(
            properties.get("signatureAlgorithmRef"), f"{field}.signatureAlgorithmRef"
        )
        if found is None:
            return None, None, None
        where, component = found
        crypto = _mapping(component.get("cryptoProperties"), f"{where}.cryptoProperties")
        oid = _optional_text(crypto.get("oid"), f"{where}.cryptoProperties.oid")
        name = _optional_text(component.get("name"), f"{where}.name")
        known = algorithms.by_oid(oid) if oid is not None else None
        if known is not None:
            return (known.name, known.oid, known.hash)
        if name is None:
            return None, _dotted(oid), None
        return name[:200], _dotted(oid), signature_of(name)[0]

    def _private_key(
        self, where: str, component: dict[str, Any], crypto: dict[str, Any]
    ) -> KeyRecord | bool | None:
        """A private key's record; ``False`` for one whose protection is not stated; ``None``
        for other related material (public keys, secrets)."""
        material = _mapping(
            crypto.get("relatedCryptoMaterialProperties"),
            f"{where}.cryptoProperties.relatedCryptoMaterialProperties",
        )
        if material.get("type") != "private-key":
            return None
        own = _own_properties(component, where)
        secured = material.get("securedBy")
        if own.get("encrypted") in ("true", "false"):
            encrypted = own.get("encrypted") == "true"
        elif secured is not None:
            encrypted = True
        else:
            return False
        locations = self._location(where, component)
        name = _optional_text(component.get("name"), f"{where}.name")
        size = _optional_int(
            material.get("size"), f"{where}.cryptoProperties.relatedCryptoMaterialProperties.size"
        )
        key_type: str | None = None
        algorithm = self._referenced(
            material.get("algorithmRef"),
            f"{where}.cryptoProperties.relatedCryptoMaterialProperties.algorithmRef",
        )
        if algorithm is not None:
            key_type, size, _, _ = _key_algorithm(*algorithm, size)
        mode = own.get("mode")
        return KeyRecord(
            location=locations[0] if locations else (name or f"{self.path.name}#{where}"),
            encrypted=encrypted,
            mode=mode if mode is not None and _MODE.fullmatch(mode) else None,
            key_type=key_type,
            key_size=size,
        )


def _document(data: object) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _Refused("(top level)", "expected a JSON object (a CycloneDX document)")
    if data.get("bomFormat") != "CycloneDX":
        raise _Refused("bomFormat", "not a CycloneDX document: bomFormat is not 'CycloneDX'")
    version = data.get("specVersion")
    if version not in SPEC_VERSIONS:
        raise _Refused(
            "specVersion",
            f"CycloneDX {str(version)[:20]!r} is not read: CBOMs are CycloneDX "
            + " or ".join(SPEC_VERSIONS),
        )
    return data


def _components(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every component with its field path, nested ones (``components[2].components[0]``)
    too, at most :data:`MAX_COMPONENTS`."""
    count = 0
    pending: list[tuple[str, object]] = [("components", document.get("components"))]
    metadata = document.get("metadata")
    if isinstance(metadata, dict) and metadata.get("component") is not None:
        pending.append(("metadata.component", [metadata["component"]]))
    while pending:
        where, value = pending.pop(0)
        for index, component in enumerate(_list(value, where)):
            path = f"{where}[{index}]" if where != "metadata.component" else where
            component = _mapping(component, path)
            count += 1
            if count > MAX_COMPONENTS:
                raise _Refused(
                    "components",
                    f"more than {MAX_COMPONENTS:,} components: not read (split the CBOM)",
                )
            yield path, component
            if component.get("components") is not None:
                pending.append((f"{path}.components", component["components"]))


def _mapping(value: object, field: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Refused(field, f"expected an object, not {_kind(value)}")
    return value


def _list(value: object, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Refused(field, f"expected a list, not {_kind(value)}")
    return value


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise _Refused(field, f"expected text, not {_kind(value)}")
    return value


def _optional_text(value: object, field: str) -> str | None:
    return None if value is None else _text(value, field)


def _optional_int(value: object, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 1 << 20:
        raise _Refused(field, "expected a size in bits, a whole number from 1 to 1,048,575")
    return value


def _kind(value: object) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "true or false",
        int: "a number",
        float: "a number",
    }.get(type(value), "null")


def _moment(properties: dict[str, Any], names: tuple[str, ...], field: str) -> datetime | None:
    """The first of ``names`` present, as a moment (a date alone is its midnight UTC)."""
    for name in names:
        value = properties.get(name)
        if value is None:
            continue
        moment = parse_moment(_text(value, f"{field}.{name}"))
        if moment is None:
            raise _Refused(f"{field}.{name}", f"'{str(value)[:40]}' is not an ISO 8601 date")
        return moment
    return None


def _dotted(oid: str | None) -> str | None:
    return oid if oid is not None and re.fullmatch(r"[0-2](\.\d{1,20}){1,40}", oid) else None


def _fingerprint(component: dict[str, Any], properties: dict[str, Any], where: str) -> str | None:
    """SHA-256 of the DER: 1.7 ``fingerprint``, the component's SHA-256 ``hashes``, or a
    ``bom-ref`` that is one (as ``assess export cbom`` writes it)."""
    candidates: list[object] = [properties.get("fingerprint")]
    candidates += _list(component.get("hashes"), f"{where}.hashes")
    for candidate in candidates:
        if isinstance(candidate, dict) and str(candidate.get("alg", "")).upper() in (
            "SHA-256",
            "SHA256",
        ):
            found = clean_hex(candidate.get("content"), 64)
            if found is not None:
                return found
    ref = component.get("bom-ref")
    if isinstance(ref, str) and (suffix := _SHA256_REF.search(ref.lower())):
        return suffix.group(1)  # the guide's crypto/certificate/NAME@sha256:HEX
    return clean_hex(ref, 64)


class _Properties:
    """This tool's properties of a component (``cmmm-assess:serial``…), by name."""

    def __init__(self, values: list[tuple[str, str]]) -> None:
        self.values = values

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.values if k == name), None)

    def get_all(self, name: str) -> list[str]:
        return [v for k, v in self.values if k == name]


def _own_properties(component: dict[str, Any], where: str) -> _Properties:
    values = []
    for index, item in enumerate(_list(component.get("properties"), f"{where}.properties")):
        item = _mapping(item, f"{where}.properties[{index}]")
        name, value = item.get("name"), item.get("value")
        if isinstance(name, str) and name.startswith(_PROPERTY) and isinstance(value, str):
            values.append((name.removeprefix(_PROPERTY), value))
    return _Properties(values)


def _key_of_oid(
    oid: str, size: int | None, curve: str | None
) -> tuple[str | None, int | None, str | None, str | None]:
    key_type = algorithms.key_type_of_oid(oid)
    family = algorithms.family(key_type)
    return key_type, size if family == "classical" else None, _dotted(oid), curve


def _key_algorithm(
    where: str, component: dict[str, Any], size: int | None
) -> tuple[str | None, int | None, str | None, str | None]:
    """Key type, size, OID and curve of an algorithm component: by OID from the table, else
    by its name (``ML-DSA-65``, ``RSA-2048``)."""
    crypto = _mapping(component.get("cryptoProperties"), f"{where}.cryptoProperties")
    props = _mapping(
        crypto.get("algorithmProperties"), f"{where}.cryptoProperties.algorithmProperties"
    )
    oid = _optional_text(crypto.get("oid"), f"{where}.cryptoProperties.oid")
    curve = _optional_text(
        props.get("curve"), f"{where}.cryptoProperties.algorithmProperties.curve"
    )
    parameter = _optional_text(
        props.get("parameterSetIdentifier"),
        f"{where}.cryptoProperties.algorithmProperties.parameterSetIdentifier",
    )
    if size is None and parameter is not None and parameter.isdigit() and len(parameter) < 7:
        size = int(parameter)
    named_curve = algorithms.curve_by_name(curve) if curve else None
    if size is None and named_curve is not None:
        size = named_curve.size
    if oid is not None and algorithms.by_oid(oid) is not None:
        return _key_of_oid(oid, size, named_curve.name if named_curve else curve)
    name = _optional_text(component.get("name"), f"{where}.name") or ""
    key_type = algorithms.key_type_named(name) or algorithms.key_type_named(
        re.sub(r"[-_ ]?\d{3,5}$", "", name)  # RSA-2048 → RSA
    )
    if key_type is None:
        return (algorithms.UNKNOWN if oid else None), None, _dotted(oid), curve
    return (
        key_type,
        size if algorithms.family(key_type) == "classical" else None,
        _dotted(oid),
        curve,
    )
