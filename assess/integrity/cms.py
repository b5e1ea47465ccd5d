"""The form of a signature's CMS container: the parts no signature covers must still say what
RFC 5652 says they say.

A PDF signature is a CMS ``SignedData`` written as hex into the signature dictionary's
``/Contents``, the one gap in the signed bytes. The signer's key signs only the signed
attributes (which hold the document's digest); the rest of the container (its version numbers,
the list of digest algorithms, the algorithm parameters) is covered by nothing, and pyHanko,
like most verifiers, reads only what it needs. A bit flipped there leaves the signature valid
while the file is no longer the one signed, so verify insists that those parts are exactly
what the signed parts imply. What follows the container inside ``/Contents`` (the zeros a
signer reserves room with) is read by no one and is allowed to be anything: see
docs/verify.md.
"""

from __future__ import annotations

from typing import Any

CONTAINER = "the signature's CMS container"
"""How the problems below name what they are about."""


def container_problem(contents: bytes) -> str | None:
    """What is wrong with the form of the CMS container that ``/Contents`` holds (its bytes,
    padding included), in plain words; ``None`` when nothing is."""
    from asn1crypto import cms

    try:
        length = der_length(contents)
        signed_data = cms.ContentInfo.load(contents[:length], strict=True)["content"]
        # Parse every part no signature covers (the signed attributes and the signature value
        # are the signature's own business), so that a malformed one is not left unread.
        for part in ("version", "digest_algorithms", "encap_content_info"):
            signed_data[part].native  # noqa: B018
        for signer in signed_data["signer_infos"]:
            for part in ("version", "sid", "digest_algorithm", "signature_algorithm"):
                signer[part].native  # noqa: B018
    except (ValueError, TypeError, KeyError) as error:
        return f"{CONTAINER} is not well-formed DER ({error})"
    return _signed_data_problem(signed_data)


def der_length(contents: bytes) -> int:
    """How many bytes the DER value at the start of ``contents`` takes (tag, length, value);
    a ValueError when its header is not one of a definite-length SEQUENCE."""
    if len(contents) < 2 or contents[0] != 0x30:
        raise ValueError("it does not start with a SEQUENCE")
    first = contents[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    if count == 0 or count > 4 or len(contents) < 2 + count:
        raise ValueError("its length is not a definite length")
    return 2 + count + int.from_bytes(contents[2 : 2 + count], "big")


def _signed_data_problem(signed_data: Any) -> str | None:
    """The version numbers and digest algorithm list of a SignedData against RFC 5652."""
    signers = list(signed_data["signer_infos"])
    for signer in signers:
        expected = 1 if signer["sid"].name == "issuer_and_serial_number" else 3
        if signer["version"].native != f"v{expected}":
            return f"{CONTAINER} gives its signer the wrong version number"
        if not _is_absent_or_null(signer["digest_algorithm"]["parameters"]):
            return f"{CONTAINER} gives its digest algorithm parameters it has none of"
    if signed_data["version"].native != f"v{_signed_data_version(signed_data, signers)}":
        return f"{CONTAINER} has the wrong version number"
    used = {signer["digest_algorithm"]["algorithm"].dotted for signer in signers}
    for listed in signed_data["digest_algorithms"]:
        if listed["algorithm"].dotted not in used or not _is_absent_or_null(listed["parameters"]):
            return f"{CONTAINER} lists a digest algorithm its signer does not use"
    return None


def _signed_data_version(signed_data: Any, signers: list[Any]) -> int:
    """The SignedData version RFC 5652 section 5.1 prescribes for what the container holds."""
    certificates = [c.name for c in signed_data["certificates"] or ()]
    crls = [c.name for c in signed_data["crls"] or ()]
    if "other" in certificates or "other" in crls:
        return 5
    if "v2_attr_cert" in certificates:
        return 4
    if (
        "v1_attr_cert" in certificates
        or any(s["version"].native == "v3" for s in signers)
        or signed_data["encap_content_info"]["content_type"].native != "data"
    ):
        return 3
    return 1


def _is_absent_or_null(parameters: Any) -> bool:
    """True for algorithm parameters that are absent or an ASN.1 NULL: the two forms RFC 5754
    allows for the SHA-2 digests."""
    from asn1crypto import core

    return isinstance(parameters, (core.Void, core.Null))
