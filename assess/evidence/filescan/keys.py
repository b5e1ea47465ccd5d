"""Private keys in PEM text described without being kept: type, size, and whether encrypted."""

from __future__ import annotations

import base64
import binascii
import warnings

from cryptography.hazmat.primitives import serialization

from assess.evidence.certs import key_description
from assess.evidence.filescan.items import PARSE_ERRORS
from assess.model.bundle import KeyRecord, KeyType

_KEY_TYPE_BY_LABEL = {
    b"RSA PRIVATE KEY": KeyType.RSA,
    b"EC PRIVATE KEY": KeyType.EC,
    b"DSA PRIVATE KEY": KeyType.DSA,
}


def private_key_record(label: bytes, block: bytes, location: str, mode: str | None) -> KeyRecord:
    """What can be said about a PEM private key (``block``, labelled ``label``) without
    keeping it."""
    encrypted = label == b"ENCRYPTED PRIVATE KEY" or b"Proc-Type: 4,ENCRYPTED" in block
    if label == b"OPENSSH PRIVATE KEY":
        encrypted = _openssh_encrypted(block)
    key_type = _KEY_TYPE_BY_LABEL.get(label)
    key_size = None
    if not encrypted:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if label == b"OPENSSH PRIVATE KEY":
                    key: object = serialization.load_ssh_private_key(block, None)
                else:
                    key = serialization.load_pem_private_key(
                        block, None, unsafe_skip_rsa_key_validation=True
                    )
        except (*PARSE_ERRORS, IndexError):
            pass
        else:
            found_type, key_size, _ = key_description(key)
            key_type = found_type or key_type
            del key
    return KeyRecord(
        location=location, encrypted=encrypted, mode=mode, key_type=key_type, key_size=key_size
    )


def _openssh_encrypted(block: bytes) -> bool:
    body = b"".join(line for line in block.splitlines() if not line.startswith(b"-----"))
    try:
        raw = base64.b64decode(body)
    except (binascii.Error, ValueError):
        return False
    magic = b"openssh-key-v1\x00"
    if not raw.startswith(magic) or len(raw) < len(magic) + 4:
        return False
    size = int.from_bytes(raw[len(magic) : len(magic) + 4], "big")
    cipher = raw[len(magic) + 4 : len(magic) + 4 + size]
    return cipher != b"none"
