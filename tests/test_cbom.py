"""The CBOM: `assess export cbom` validated against the CycloneDX 1.6 schema (the schema
cyclonedx-python-lib ships, offline), deterministic, read back by `assess evidence import
--format cbom` with the same certificates; CBOMs from another tool (cbom4cert) and from the
CycloneDX guide's example imported; hostile CBOMs refused with the field at fault.

Expected values come from how the certificates were made (tests/data/pq/README.md,
tests/data/evidence/cbom/README.md), not from the exporter or the importer.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from assess.evidence.importers import cbom as cbom_importer
from assess.model.bundle import (
    BundleTool,
    CertificateRecord,
    EvidenceBundle,
    KeyRecord,
    Observation,
    ObservationKind,
    ObservationStatus,
)
from assess.publish.exports import EXPORTERS, ExportFormat

DATA = Path(__file__).parent / "data"
PQ = DATA / "pq"
FIXTURES = DATA / "evidence" / "cbom"
COLLECTED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

# The certificates of tests/data/pq, from its README: file → (key_type, SHA-256 fingerprint of
# the DER as `sha256sum` gives it is checked below against the file itself).
PQ_KEYS = {
    "mldsa65.der": "ml-dsa-65",
    "mlkem768_leaf.der": "ml-kem-768",
    "slhdsa_sha2_128s.der": "slh-dsa-sha2-128s",
    "composite_mldsa65_p256.der": "composite-ml-dsa-65-ecdsa-p256",
    "ec_key_composite_sig.der": "ec",
}


def validate_1_6(text: str) -> None:
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    assert error is None, error


def _record(**fields) -> CertificateRecord:
    base = {
        "sha256": None,
        "serial": "0a",
        "subject": "CN=x",
        "issuer": "CN=Issuing CA",
        "not_before": datetime(2026, 1, 1, tzinfo=UTC),
        "not_after": datetime(2027, 1, 1, tzinfo=UTC),
    }
    return CertificateRecord.model_validate({**base, **fields})


def inventory_bundle() -> EvidenceBundle:
    """An expired certificate, one not yet valid, one an inventory knows only by issuer and
    serial, and two key files: one encrypted, one readable by others."""
    return EvidenceBundle(
        collector="csv",
        collected_at=COLLECTED,
        tool=BundleTool(name="inventory", version="1"),
        observations=(
            Observation(
                location="register.csv#1",
                status=ObservationStatus.OK,
                kind=ObservationKind.INVENTORY,
                certificates=(
                    _record(
                        sha256="aa" * 32,
                        serial="1001",
                        subject="CN=old.example.test",
                        not_before=datetime(2020, 1, 1, tzinfo=UTC),
                        not_after=datetime(2021, 1, 1, tzinfo=UTC),
                        key_type="rsa",
                        key_size=2048,
                        signature_algorithm="sha256WithRSAEncryption",
                        signature_hash="sha256",
                        san_dns=("old.example.test",),
                    ),
                ),
            ),
            Observation(
                location="register.csv#2",
                status=ObservationStatus.OK,
                kind=ObservationKind.INVENTORY,
                certificates=(
                    _record(
                        sha256="bb" * 32,
                        serial="1002",
                        subject="CN=future.example.test",
                        not_before=datetime(2030, 1, 1, tzinfo=UTC),
                        not_after=datetime(2030, 6, 1, tzinfo=UTC),
                    ),
                ),
            ),
            Observation(
                location="register.csv#3",
                status=ObservationStatus.OK,
                kind=ObservationKind.INVENTORY,
                certificates=(_record(serial="77", subject="CN=row-only.example.test"),),
            ),
            Observation(
                location="register.csv#4", status=ObservationStatus.ERROR, error="unreadable row"
            ),
        ),
        keys=(
            KeyRecord(location="/etc/ssl/private/a.key", encrypted=True, mode="0600"),
            KeyRecord(
                location="/srv/b.key", encrypted=False, mode="0644", key_type="ec", key_size=256
            ),
        ),
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A workspace whose evidence is a real scan of tests/data/pq and the inventory above."""
    from typer.testing import CliRunner

    from assess.cli import app

    root = tmp_path_factory.mktemp("ws")
    runner = CliRunner()
    done = runner.invoke(app, ["init", str(root), "--org", "Acme", "--start", "2026-11-20"])
    assert done.exit_code == 0, done.output
    folder = tmp_path_factory.mktemp("pq")
    for file in PQ.glob("*.der"):
        shutil.copy(file, folder / file.name)
    done = runner.invoke(
        app, ["scan", "files", str(folder), "--out", str(root / "evidence/pq.json")]
    )
    assert done.exit_code == 0, done.output
    (root / "evidence" / "register.json").write_text(inventory_bundle().model_dump_json())
    return root


@pytest.fixture(scope="module")
def exported(workspace, tmp_path_factory) -> dict:
    from typer.testing import CliRunner

    from assess.cli import app

    out = tmp_path_factory.mktemp("out") / "inventory.cbom.json"
    done = CliRunner().invoke(app, ["export", "cbom", str(workspace), "--out", str(out)])
    assert done.exit_code == 0, done.output
    # 5 scanned + 3 inventory certificates; the error row has none.
    assert "8 certificates, 2 key files from 2 evidence bundles" in done.stdout
    text = out.read_text()
    validate_1_6(text)
    return json.loads(text)


def components(document: dict, asset: str) -> dict[str, dict]:
    return {
        c["bom-ref"]: c
        for c in document["components"]
        if c["cryptoProperties"]["assetType"] == asset
    }


def test_every_exporter_has_a_format_and_every_format_a_command(cli):
    assert set(EXPORTERS) == set(ExportFormat)
    listed = cli("export", "--help").stdout
    for member in ExportFormat:
        assert f"  {member.value} " in listed


def test_every_certificate_is_in_the_cbom_by_its_fingerprint(exported):
    import hashlib

    certificates = components(exported, "certificate")
    scanned = {hashlib.sha256((PQ / name).read_bytes()).hexdigest() for name in PQ_KEYS}
    assert scanned <= set(certificates)
    assert {"aa" * 32, "bb" * 32} <= set(certificates)  # expired, not yet valid
    row_only = [r for r in certificates if r.startswith("certificate:")]
    assert len(row_only) == 1 and len(certificates) == 8
    old = certificates["aa" * 32]
    properties = {p["name"]: p["value"] for p in old["properties"]}
    assert properties["cmmm-assess:serial"] == "1001"
    assert properties["cmmm-assess:san-dns"] == "old.example.test"
    assert old["hashes"] == [{"alg": "SHA-256", "content": "aa" * 32}]
    assert old["evidence"]["occurrences"] == [{"location": "register.csv#1"}]
    cert = old["cryptoProperties"]["certificateProperties"]
    assert cert["notValidAfter"].startswith("2021-01-01T00:00:00")
    assert cert["subjectName"] == "CN=old.example.test"


def _algorithm(document: dict, certificate: dict, which: str) -> dict:
    ref = certificate["cryptoProperties"]["certificateProperties"][which]
    found = {c["bom-ref"]: c for c in document["components"]}[ref]
    if which == "subjectPublicKeyRef":
        material = found["cryptoProperties"]["relatedCryptoMaterialProperties"]
        found = {c["bom-ref"]: c for c in document["components"]}[material["algorithmRef"]]
    return found["cryptoProperties"]


def test_algorithms_carry_their_security_levels_and_the_post_quantum_flag(exported):
    import hashlib

    certificates = components(exported, "certificate")
    mldsa = certificates[hashlib.sha256((PQ / "mldsa65.der").read_bytes()).hexdigest()]
    key = _algorithm(exported, mldsa, "subjectPublicKeyRef")
    signature = _algorithm(exported, mldsa, "signatureAlgorithmRef")
    # FIPS 204: ML-DSA-65 is category 3, compared with AES-192.
    for crypto in (key, signature):
        assert crypto["oid"] == "2.16.840.1.101.3.4.3.18"
        assert crypto["algorithmProperties"]["nistQuantumSecurityLevel"] == 3
        assert crypto["algorithmProperties"]["classicalSecurityLevel"] == 192
    rsa = _algorithm(exported, certificates["aa" * 32], "subjectPublicKeyRef")
    # SP 800-57: RSA-2048 is 112 bits, and a quantum computer breaks it (level 0).
    assert rsa["oid"] == "1.2.840.113549.1.1.1"
    assert rsa["algorithmProperties"]["parameterSetIdentifier"] == "2048"
    assert rsa["algorithmProperties"]["classicalSecurityLevel"] == 112
    assert rsa["algorithmProperties"]["nistQuantumSecurityLevel"] == 0
    composite = certificates[
        hashlib.sha256((PQ / "ec_key_composite_sig.der").read_bytes()).hexdigest()
    ]
    assert _algorithm(exported, composite, "signatureAlgorithmRef")["oid"] == "1.3.6.1.5.5.7.6.45"


def test_key_files_by_location_and_protection_only(exported):
    keys = {
        c["name"]: c
        for c in components(exported, "related-crypto-material").values()
        if c["cryptoProperties"]["relatedCryptoMaterialProperties"]["type"] == "private-key"
    }
    assert set(keys) == {"/etc/ssl/private/a.key", "/srv/b.key"}
    encrypted = keys["/etc/ssl/private/a.key"]
    material = encrypted["cryptoProperties"]["relatedCryptoMaterialProperties"]
    assert material["securedBy"] == {"mechanism": "passphrase"}
    assert "value" not in material
    readable = {p["name"]: p["value"] for p in keys["/srv/b.key"]["properties"]}
    assert readable == {"cmmm-assess:encrypted": "false", "cmmm-assess:mode": "0644"}


def test_the_same_evidence_gives_the_same_bytes(cli, workspace, tmp_path):
    first, second, dated = tmp_path / "1.json", tmp_path / "2.json", tmp_path / "3.json"
    assert cli("export", "cbom", workspace, "--out", first).exit_code == 0
    assert cli("export", "cbom", workspace, "--out", second).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(first.read_text())
    # Without SOURCE_DATE_EPOCH: when the newest bundle was collected (the scan, made now).
    scanned = json.loads((workspace / "evidence" / "pq.json").read_text())["collected_at"]
    assert datetime.fromisoformat(document["metadata"]["timestamp"]) == datetime.fromisoformat(
        scanned
    )
    assert document["serialNumber"].startswith("urn:uuid:")
    env = {"SOURCE_DATE_EPOCH": "1764547200"}  # 2025-12-01T00:00:00Z
    assert cli("export", "cbom", workspace, "--out", dated, env=env).exit_code == 0
    timestamp = json.loads(dated.read_text())["metadata"]["timestamp"]
    assert datetime.fromisoformat(timestamp) == datetime(2025, 12, 1, tzinfo=UTC)
    assert json.loads(dated.read_text())["serialNumber"] == document["serialNumber"]


def test_an_exported_cbom_imports_back_with_the_same_certificates(cli, workspace, tmp_path):
    out, back = tmp_path / "inventory.cbom.json", tmp_path / "back.json"
    assert cli("export", "cbom", workspace, "--out", out).exit_code == 0
    done = cli("evidence", "import", out, "--format", "cbom", "--out", back)
    assert done.exit_code == 0, done.output
    imported = EvidenceBundle.model_validate_json(back.read_text())
    originals = [
        EvidenceBundle.model_validate_json(p.read_text())
        for p in sorted((workspace / "evidence").glob("*.json"))
    ]

    def facts(bundles):
        return {
            (
                r.sha256,
                r.serial.lstrip("0"),
                r.subject,
                r.issuer,
                r.not_before,
                r.not_after,
                r.key_type,
                r.key_size,
                r.signature_hash,
                r.san_dns,
            )
            for b in bundles
            for o in b.observations
            for r in o.certificates
        }

    assert facts([imported]) == facts(originals)
    assert {(k.location, k.encrypted, k.mode) for k in imported.keys} == {
        ("/etc/ssl/private/a.key", True, "0600"),
        ("/srv/b.key", False, "0644"),
    }
    assert imported.collector == "cbom" and imported.tool.name == "cmmm-assess"


def test_cbom4cert_output_imports(cli, tmp_path):
    # CycloneDX 1.7 from another tool; the facts are openssl x509's (README beside it).
    rsa = _imported(cli, tmp_path, FIXTURES / "cbom4cert-rsa.json")
    (observation,) = rsa.observations
    (record,) = observation.certificates
    assert observation.location == "rsa.pem"
    assert (record.key_type, record.key_size) == ("rsa", 2048)
    assert record.subject == "O=Example,CN=www.example.test"
    assert record.not_before == datetime(2026, 12, 2, tzinfo=UTC)  # the day it gives
    assert record.not_after == datetime(2027, 3, 2, tzinfo=UTC)
    assert rsa.tool.name == "lib4sbom"
    ec = _imported(cli, tmp_path, FIXTURES / "cbom4cert-ec.json")
    (record,) = ec.observations[0].certificates
    assert (record.key_type, record.key_size) == ("ec", 384)
    assert record.subject == "CN=api.example.test"


def test_the_cyclonedx_guide_example_validates_and_imports(cli, tmp_path):
    text = (FIXTURES / "cyclonedx-guide-1.6.json").read_text()
    validate_1_6(text)
    bundle = _imported(cli, tmp_path, FIXTURES / "cyclonedx-guide-1.6.json")
    (observation,) = bundle.observations
    (record,) = observation.certificates
    assert record.sha256 == "1e15e0fbd3ce95bde5945633ae96add551341b11e5bae7bba12e98ad84a5beb4"
    assert (record.key_type, record.key_size) == ("rsa", 2048)
    assert (record.signature_algorithm, record.signature_hash) == (
        "sha512WithRSAEncryption",
        "sha512",
    )
    assert record.not_after == datetime(2017, 11, 22, 7, 59, 59, tzinfo=UTC)
    assert bundle.collected_at == datetime(2024, 1, 9, 12, tzinfo=UTC)
    assert [(k.location, k.encrypted, k.key_type) for k in bundle.keys] == [
        ("/etc/ssl/private/google.com.key", True, "rsa")
    ]


def test_1_7_certificate_fields_are_read_from_the_raw_json(cli, tmp_path):
    document = json.loads((FIXTURES / "cyclonedx-guide-1.6.json").read_text())
    document["specVersion"] = "1.7"
    certificate = document["components"][0]
    certificate["bom-ref"] = "cert-1"
    properties = certificate["cryptoProperties"]["certificateProperties"]
    properties["serialNumber"] = "0A:1B"
    properties["fingerprint"] = {"alg": "SHA-256", "content": "CD" * 32}
    del properties["subjectPublicKeyRef"]
    properties["relatedCryptographicAssets"] = [
        {"type": "publicKey", "ref": "crypto/key/rsa-2048@1.2.840.113549.1.1.1"}
    ]
    source = tmp_path / "cbom17.json"
    source.write_text(json.dumps(document))
    (record,) = _imported(cli, tmp_path, source).observations[0].certificates
    assert (record.serial, record.sha256) == ("0a1b", "cd" * 32)
    assert (record.key_type, record.key_size) == ("rsa", 2048)


def _imported(cli, tmp_path: Path, source: Path) -> EvidenceBundle:
    out = tmp_path / f"{source.stem}.bundle.json"
    done = cli("evidence", "import", source, "--format", "cbom", "--out", out)
    assert done.exit_code == 0, done.output
    return EvidenceBundle.model_validate_json(out.read_text())


def _guide() -> dict:
    return json.loads((FIXTURES / "cyclonedx-guide-1.6.json").read_text())


def _with(path: tuple, value) -> dict:
    document = _guide()
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "(top level): expected a JSON object"),
        ({"bomFormat": "SPDX"}, "bomFormat: not a CycloneDX document"),
        (_with(("specVersion",), "1.4"), "specVersion: CycloneDX '1.4' is not read"),
        (_with(("components",), {"a": 1}), "components: expected a list, not an object"),
        (_with(("components", 0), "google.com"), "components[0]: expected an object, not text"),
        (
            _with(
                ("components", 0, "cryptoProperties", "certificateProperties", "notValidAfter"), 5
            ),
            "components[0].cryptoProperties.certificateProperties.notValidAfter: expected text",
        ),
        (
            _with(
                ("components", 0, "cryptoProperties", "certificateProperties", "notValidAfter"),
                "next year",
            ),
            "components[0].cryptoProperties.certificateProperties.notValidAfter: 'next year' is "
            "not an ISO 8601 date",
        ),
        (
            _with(
                ("components", 2, "cryptoProperties", "relatedCryptoMaterialProperties", "size"), -1
            ),
            "components[2].cryptoProperties.relatedCryptoMaterialProperties.size: expected a size",
        ),
        (
            _with(("components", 0, "evidence"), {"occurrences": {}}),
            "components[0].evidence.occurrences: expected a list",
        ),
    ],
)
def test_hostile_cboms_are_exit_2_naming_file_and_field(cli, tmp_path, document, message):
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(document))
    out = tmp_path / "x.json"
    done = cli("evidence", "import", source, "--format", "cbom", "--out", out)
    assert done.exit_code == 2, done.output
    assert f"{source}: {message}" in done.stderr
    assert "Traceback" not in done.output and not out.exists()


def test_malformed_json_names_the_file_and_line(cli, tmp_path):
    source = tmp_path / "broken.json"
    source.write_text('{"bomFormat": "CycloneDX",\n "components": [1,]}')
    done = cli("evidence", "import", source, "--format", "cbom", "--out", tmp_path / "x.json")
    assert done.exit_code == 2 and f"{source}:2" in done.stderr


def test_a_huge_component_list_is_refused_not_held(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(cbom_importer, "MAX_COMPONENTS", 3)
    document = _guide()
    document["components"] *= 2  # twelve components, nested ones would count too
    source = tmp_path / "huge.json"
    source.write_text(json.dumps(document))
    done = cli("evidence", "import", source, "--format", "cbom", "--out", tmp_path / "x.json")
    assert done.exit_code == 2
    assert f"{source}: components: more than 3 components: not read" in done.stderr


def test_a_certificate_without_an_end_of_validity_is_an_error_observation(cli, tmp_path):
    document = _guide()
    del document["components"][0]["cryptoProperties"]["certificateProperties"]["notValidAfter"]
    source = tmp_path / "no-end.json"
    source.write_text(json.dumps(document))
    bundle = _imported(cli, tmp_path, source)
    (observation,) = bundle.observations
    assert observation.status is ObservationStatus.ERROR
    assert "components[0] (google.com): the certificate has no notValidAfter" in (
        observation.error or ""
    )


def test_export_needs_a_workspace_with_evidence(cli, tmp_path):
    done = cli("export", "cbom", tmp_path, "--out", tmp_path / "x.json")
    assert done.exit_code == 2 and "not an assessment workspace" in done.stderr
    assert cli("init", tmp_path / "ws", "--org", "Acme").exit_code == 0
    done = cli("export", "cbom", tmp_path / "ws", "--out", tmp_path / "x.json")
    assert done.exit_code == 2 and "no evidence bundle" in done.stderr
