"""Certificates in Kubernetes objects and other YAML, and in kubectl's JSON.

- A ``Secret`` (also inside a ``List``, as ``kubectl get secrets -o yaml`` or ``-o json``
  writes it) with ``tls.crt`` in ``data`` (base64) or ``stringData`` is read at
  ``file#namespace/name``, with ``ca.crt``; its cert-manager annotations become automation
  markers; ``tls.key`` is described (location and protection, never the key).
- Any other string value that holds PEM, or base64 of PEM, is read where it sits: a
  ConfigMap's ``ca.crt`` at ``file#namespace/name/data/ca.crt``, a webhook's ``caBundle``, a
  kubeconfig's ``certificate-authority-data`` at ``file#clusters[0]/cluster/…``, Helm values.

A parse error names the file, line and column only: a YAML parser quotes the text around the
error, and in a Secret that text may be a private key.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from pathlib import Path

from assess.evidence.certs import RecordCache
from assess.evidence.filescan.formats import scan_pem
from assess.evidence.filescan.items import Item, file_error
from assess.evidence.filescan.keys import private_key_record
from assess.evidence.filescan.pem import pem_blocks
from assess.model.bundle import Observation
from assess.support.errors import InputError
from assess.support.jsondoc import parse_json

BASE64_PEM = b"LS0tLS1CRUdJTi"
"""Base64 of ``-----BEGIN``: how PEM looks inside a Secret's data or a ``caBundle``."""
_YAML_SUFFIXES = frozenset({".yaml", ".yml"})
_KIND = re.compile(rb"^[ \t-]*kind:[ \t]*[A-Za-z]", re.MULTILINE)
_API_VERSION = re.compile(rb"^[ \t-]*apiVersion:[ \t]*[A-Za-z]", re.MULTILINE)
_SECRET_FILES = ("tls.crt", "ca.crt", "tls.key")


def is_text(data: bytes) -> bool:
    """UTF-8 text without NUL bytes: what YAML and JSON are, and binary files are not."""
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def is_manifest(data: bytes, suffix: str) -> bool:
    """YAML (by its name, or ``kind:`` and ``apiVersion:`` lines) or kubectl's JSON
    (``"kind"`` and ``"apiVersion"``), as text."""
    if not is_text(data):
        return False
    if suffix in _YAML_SUFFIXES or (_KIND.search(data) and _API_VERSION.search(data)):
        return True
    return data.lstrip()[:1] in (b"{", b"[") and b'"kind"' in data and b'"apiVersion"' in data


def scan_manifest(
    data: bytes, location: str, mode: str | None, *, explicit: bool, cache: RecordCache
) -> Iterator[Item]:
    """The certificates and keys of every document of a YAML or kubectl JSON file."""
    documents = _documents(data, location)
    if isinstance(documents, Observation):
        if b"-----BEGIN" in data:  # a template, not YAML: its PEM is still PEM
            yield from scan_pem(data, location, mode, explicit=explicit, cache=cache)
        else:
            yield documents
        return
    found = False
    several = len(documents) > 1
    for number, document in enumerate(documents, start=1):
        for where, item in _objects(document, f"doc{number}" if several else ""):
            for result in _scan_object(item, location, where, mode, cache):
                found = True
                yield result
    if not found and explicit:
        yield file_error(location, "YAML without a certificate or private key")


def _documents(data: bytes, location: str) -> list[object] | Observation:
    """The documents of the file, or the error observation saying where it does not parse."""
    if data.lstrip()[:1] in (b"{", b"["):
        try:
            return [parse_json(data, Path(location))]
        except RecursionError:
            return file_error(location, "invalid JSON (nested too deep)")
        except InputError as error:
            line = error.problems[0].line if error.problems else None
            return file_error(location, "invalid JSON" + (f" (line {line})" if line else ""))
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return list(YAML(typ="safe", pure=True).load_all(data.decode("utf-8")))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        return file_error(location, f"invalid YAML{where}")
    except (YAMLError, ValueError, RecursionError):
        return file_error(location, "invalid YAML")


def _objects(document: object, where: str) -> Iterator[tuple[str, object]]:
    """The objects of a document: the items of a ``List`` one by one, else the document."""
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        kind = document.get("kind")
        if isinstance(kind, str) and kind.endswith("List"):
            for item in document["items"]:
                yield _name_of(item) or where, item
            return
    yield _name_of(document) or where, document


def _name_of(item: object) -> str:
    """``namespace/name`` of a Kubernetes object; empty for anything else."""
    if not isinstance(item, dict) or not isinstance(item.get("kind"), str):
        return ""
    metadata = item.get("metadata")
    if not isinstance(metadata, dict) or not metadata.get("name"):
        return ""
    return f"{metadata.get('namespace', 'default')}/{metadata['name']}"


def _join(where: str, step: str) -> str:
    return f"{where}/{step}" if where else step


def _scan_object(
    item: object, location: str, where: str, mode: str | None, cache: RecordCache
) -> Iterator[Item]:
    if isinstance(item, dict) and item.get("kind") == "Secret":
        yield from _scan_secret(item, location, where, mode, cache)
        return
    yield from _scan_values(item, location, where, mode, cache)


def _scan_values(
    value: object,
    location: str,
    where: str,
    mode: str | None,
    cache: RecordCache,
    *,
    encoded: bool = False,
) -> Iterator[Item]:
    """Every string under ``value`` that holds PEM (or base64 of it, or, ``encoded``, any
    base64): read at ``location#where/path``."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _scan_values(
                inner, location, _join(where, str(key)), mode, cache, encoded=encoded
            )
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _scan_values(
                inner, location, f"{where}[{index}]", mode, cache, encoded=encoded
            )
    elif isinstance(value, str):
        pem = _pem_in(value, encoded=encoded)
        if pem is not None:
            yield from scan_pem(pem, f"{location}#{where}", mode, explicit=False, cache=cache)


def _pem_in(value: str, *, encoded: bool) -> bytes | None:
    """The PEM text a string value holds, plainly or in base64; ``None`` for anything else."""
    raw = value.encode("utf-8", "replace")
    if b"-----BEGIN" in raw:
        return raw
    compact = b"".join(raw.split())
    if not (encoded or compact.startswith(BASE64_PEM)):
        return None
    try:
        decoded = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    return decoded if b"-----BEGIN" in decoded else None


def _scan_secret(
    secret: dict[object, object], location: str, where: str, mode: str | None, cache: RecordCache
) -> Iterator[Item]:
    """A Secret: its TLS pair at ``#namespace/name``, any other key holding PEM on its own."""
    place = f"{location}#{where}"
    metadata = secret.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    markers: list[str] = []
    if isinstance(annotations, dict):
        managed = sorted(
            f"{key}={value}"
            for key, value in annotations.items()
            if str(key).startswith("cert-manager.io/")
        )
        if managed:
            markers = ["cert-manager", *managed]
    contents: dict[str, bytes] = {}
    undecodable: set[str] = set()
    for section, encoded in (("data", True), ("stringData", False)):
        values = secret.get(section)
        if not isinstance(values, dict):
            continue
        for key, value in values.items():
            if key not in _SECRET_FILES:
                yield from _scan_values(
                    value, location, _join(where, f"{section}/{key}"), mode, cache, encoded=encoded
                )
                continue
            if not isinstance(value, str):
                continue
            try:
                contents[key] = (
                    base64.b64decode(value, validate=False) if encoded else value.encode()
                )
            except (binascii.Error, ValueError):
                yield file_error(f"{place}/{key}", f"{key} is not base64")
                undecodable.add(key)
    if "tls.crt" in contents or "tls.crt" in undecodable or _holds_tls_crt(secret):
        certificate_pem = contents.get("tls.crt", b"") + b"\n" + contents.get("ca.crt", b"")
        if b"-----BEGIN" in certificate_pem:
            yield from (
                item
                for item in scan_pem(certificate_pem, place, None, markers, cache=cache)
                if isinstance(item, Observation)
            )
        elif contents.get("tls.crt"):
            yield file_error(place, "tls.crt holds no PEM certificate")
        elif "tls.crt" not in undecodable:
            yield file_error(place, "tls.crt is empty or not text")
    elif "ca.crt" in contents:  # a CA bundle alone (an Opaque secret of trust anchors)
        yield from scan_pem(
            contents["ca.crt"], f"{place}/ca.crt", mode, explicit=False, cache=cache
        )
    secret_key = contents.pop("tls.key", None)
    if secret_key is not None:
        block = next(pem_blocks(secret_key), None)
        if block is not None:
            yield private_key_record(block.label, block.text, f"{place}/tls.key", mode)
    del secret_key


def _holds_tls_crt(secret: dict[object, object]) -> bool:
    """Whether ``tls.crt`` is a key of the Secret's data or stringData, whatever its value."""
    return any(
        isinstance(values, dict) and "tls.crt" in values
        for values in (secret.get("data"), secret.get("stringData"))
    )
