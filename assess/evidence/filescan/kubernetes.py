"""Kubernetes ``Secret`` objects in YAML: their TLS certificates, and their keys described.

A ``Secret`` (also inside a ``List``) with ``tls.crt`` in ``data`` (base64) or ``stringData``
is read at ``file#namespace/name``; its cert-manager annotations become automation markers.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator

from assess.evidence.certs import RecordCache
from assess.evidence.filescan.formats import scan_pem
from assess.evidence.filescan.items import Item, file_error, reason_of
from assess.evidence.filescan.keys import private_key_record
from assess.evidence.filescan.pem import pem_blocks
from assess.model.bundle import Observation


def scan_kubernetes(
    data: bytes, location: str, mode: str | None, *, cache: RecordCache
) -> Iterator[Item]:
    """TLS certificates of the Kubernetes ``Secret`` objects in a YAML file."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        documents = list(YAML(typ="safe", pure=True).load_all(data.decode("utf-8")))
    except (YAMLError, UnicodeDecodeError, ValueError) as error:
        yield file_error(location, f"invalid YAML: {reason_of(error)}")
        return
    found = False
    for document in documents:
        for secret in _secrets(document):
            found = True
            yield from _scan_secret(secret, location, mode, cache)
    if not found:
        yield file_error(location, "YAML without a Kubernetes Secret holding tls.crt")


def _secrets(document: object) -> Iterator[dict[str, object]]:
    if not isinstance(document, dict):
        return
    if document.get("kind") == "List" and isinstance(document.get("items"), list):
        for item in document["items"]:
            yield from _secrets(item)
        return
    if document.get("kind") != "Secret":
        return
    for section in ("data", "stringData"):
        values = document.get(section)
        if isinstance(values, dict) and "tls.crt" in values:
            yield document
            return


def _scan_secret(
    secret: dict[str, object], location: str, mode: str | None, cache: RecordCache
) -> Iterator[Item]:
    metadata = secret.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    name = f"{metadata.get('namespace', 'default')}/{metadata.get('name', '?')}"
    where = f"{location}#{name}"
    annotations = metadata.get("annotations")
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
        for key in ("tls.crt", "ca.crt", "tls.key"):
            value = values.get(key)
            if not isinstance(value, str):
                continue
            try:
                contents[key] = (
                    base64.b64decode(value, validate=False) if encoded else (value.encode())
                )
            except (binascii.Error, ValueError) as error:
                yield file_error(f"{where}/{key}", f"{key} is not base64: {reason_of(error)}")
                undecodable.add(key)
    certificate_pem = contents.get("tls.crt", b"") + b"\n" + contents.get("ca.crt", b"")
    if b"-----BEGIN" in certificate_pem:
        yield from (
            item
            for item in scan_pem(certificate_pem, where, None, markers, cache=cache)
            if isinstance(item, Observation)
        )
    elif contents.get("tls.crt"):
        yield file_error(where, "tls.crt holds no PEM certificate")
    elif "tls.crt" not in undecodable:
        yield file_error(where, "tls.crt is empty or not text")
    secret_key = contents.pop("tls.key", None)
    if secret_key is not None:
        block = next(pem_blocks(secret_key), None)
        if block is not None:
            yield private_key_record(block.label, block.text, f"{where}/tls.key", mode)
    del secret_key
