"""Kubernetes objects as kubectl writes them (tests/data/evidence/kubectl, made by kubectl
itself: PROVENANCE.md), PEM in any YAML, and files that only look like YAML.

Expected fingerprints come from expected.json, written when the certificates were made.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

from assess.evidence.filescan.content import scan_bytes
from assess.model.bundle import EvidenceBundle, KeyRecord, Observation, ObservationStatus

KUBECTL = Path(__file__).parent / "data" / "evidence" / "kubectl"
MADE = json.loads((KUBECTL / "expected.json").read_text())
NAMES = {value: key for key, value in MADE.items()}
MANAGED = (
    "cert-manager",
    "cert-manager.io/issuer-kind=ClusterIssuer",
    "cert-manager.io/issuer-name=letsencrypt-prod",
)


def scanned(cli, tmp_path, *paths: Path) -> EvidenceBundle:
    out = tmp_path / "files.json"
    result = cli("scan", "files", *paths, "--out", out)
    assert result.exit_code == 0, result.output
    return EvidenceBundle.model_validate_json(out.read_text())


def found(bundle: EvidenceBundle, folder: Path) -> dict[str, list[str]]:
    """{location inside the folder: the certificates read there, by fixture name}."""
    return {
        o.location.removeprefix(f"{folder}/"): [NAMES[c.sha256 or ""] for c in o.certificates]
        for o in bundle.observations
    }


def key_fragments() -> set[str]:
    """40-character pieces of every private key the fixtures hold (base64 of PEM, decoded)."""
    pieces = set()
    for path in KUBECTL.glob("*.*"):
        for value in re.findall(r"LS0tLS1CRUdJTi[A-Za-z0-9+/=]+", path.read_text()):
            pem = base64.b64decode(value).decode()
            for block in re.findall(r"PRIVATE KEY-----(.*?)-----END", pem, re.DOTALL):
                body = "".join(block.split())
                pieces |= {body[i : i + 40] for i in range(0, len(body) - 40, 20)}
    assert pieces, "the fixtures hold keys (so the test can fail)"
    return pieces


def test_kubectl_output_in_a_folder_walk(cli, tmp_path):
    folder = tmp_path / "k8s"  # PROVENANCE.md, which names kind: and tls.crt, is no YAML
    shutil.copytree(KUBECTL, folder, ignore=shutil.ignore_patterns("*.py", "expected.json"))
    bundle = scanned(cli, tmp_path, folder)
    assert all(o.status is ObservationStatus.OK for o in bundle.observations)
    assert found(bundle, folder) == {
        # kubectl create secret tls --dry-run=client -o yaml (annotated) and -o json
        "secret-tls.yaml#shop/shop-tls": ["shop", "intermediate"],
        "secret-tls.json#shop/shop-tls": ["shop", "intermediate"],
        # kubectl get secrets -A -o yaml|json: a List
        "get-secrets.yaml#shop/shop-tls": ["shop", "intermediate"],
        "get-secrets.yaml#web/api-tls": ["api", "intermediate"],
        "get-secrets.json#shop/shop-tls": ["shop", "intermediate"],
        "get-secrets.json#web/api-tls": ["api", "intermediate"],
        # a ConfigMap: PEM under any key, tls.crt included
        "configmap.yaml#shop/trust/data/ca.crt": ["root"],
        "configmap.yaml#shop/trust/data/tls.crt": ["api"],
        # a kubeconfig: base64 PEM in certificate-authority-data and client-certificate-data
        "kubeconfig.yaml#clusters[0]/cluster/certificate-authority-data": ["root"],
        "kubeconfig.yaml#users[0]/user/client-certificate-data": ["client", "intermediate"],
    }
    observations = {o.location: o for o in bundle.observations}
    assert observations[f"{folder}/get-secrets.json#shop/shop-tls"].automation == MANAGED
    assert observations[f"{folder}/get-secrets.json#web/api-tls"].automation == ()
    assert sorted(k.location.removeprefix(f"{folder}/") for k in bundle.keys) == [
        "get-secrets.json#shop/shop-tls/tls.key",
        "get-secrets.json#web/api-tls/tls.key",
        "get-secrets.yaml#shop/shop-tls/tls.key",
        "get-secrets.yaml#web/api-tls/tls.key",
        "kubeconfig.yaml#users[0]/user/client-key-data",
        "secret-tls.json#shop/shop-tls/tls.key",
        "secret-tls.yaml#shop/shop-tls/tls.key",
    ]
    text = (tmp_path / "files.json").read_text()
    assert not any(piece in text for piece in key_fragments())


def test_a_yaml_error_in_a_secret_names_line_and_column_only(cli, tmp_path):
    lines = (KUBECTL / "secret-tls.yaml").read_text().splitlines()
    number = next(n for n, line in enumerate(lines) if line.strip().startswith("tls.key:"))
    value = lines[number].split(":", 1)[1].strip()
    lines[number] = f"  tls.key: {value[:300]}: [{value[300:]}"  # broken mid-key
    broken = tmp_path / "broken.yaml"
    broken.write_text("\n".join(lines) + "\n")
    bundle = scanned(cli, tmp_path, broken)
    (observation,) = bundle.observations
    assert observation.status is ObservationStatus.ERROR
    assert re.fullmatch(r"invalid YAML \(line \d+, column \d+\)", observation.error or "")
    text = (tmp_path / "files.json").read_text()
    assert not any(value[i : i + 20] in text for i in range(0, len(value) - 20, 10))


def test_binary_files_that_contain_kind_are_not_yaml(cli, tmp_path):
    blob = tmp_path / "walk" / "cache.bin"
    blob.parent.mkdir()
    blob.write_bytes(b"\x00\x01\x02kind: Secret\x00tls.crt\xff\xfe" + bytes(range(256)))
    assert scanned(cli, tmp_path, blob.parent).observations == ()  # not certificate material
    (observation,) = scanned(cli, tmp_path, blob).observations  # named: answered, not YAML
    assert "YAML" not in (observation.error or "")


def test_pem_in_any_yaml_is_read_where_it_sits(pki):
    pem = pki.leaf("values.example.test").pem.decode()
    indented = "".join(f"      {line}\n" for line in pem.splitlines())
    values = f"ingress:\n  enabled: true\n  tls:\n    tls.crt: |\n{indented}"
    (observation,) = scan_bytes(values.encode(), "values.yaml", suffix=".yaml")
    assert isinstance(observation, Observation)
    assert observation.location == "values.yaml#ingress/tls/tls.crt"
    assert observation.certificates[0].san_dns == ("values.example.test",)
    webhook = (
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\n"
        "metadata: {name: policy}\nwebhooks:\n- name: policy.example.test\n  clientConfig:\n"
        f"    caBundle: {base64.b64encode(pki.root.pem).decode()}\n"
    )
    (observation,) = scan_bytes(webhook.encode(), "webhook.yaml", suffix=".yaml")
    assert isinstance(observation, Observation)
    assert observation.location == "webhook.yaml#default/policy/webhooks[0]/clientConfig/caBundle"
    assert observation.certificates[0].sha256 == pki.root.sha256


def test_a_helm_template_is_not_yaml_but_its_pem_is_pem(pki):
    template = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-tls\n"
        'stringData:\n  tls.crt: |\n{{ .Files.Get "tls.crt" | indent 4 }}\n'
        "  ca.crt: |\n" + "".join(f"    {line}\n" for line in pki.root.pem.decode().splitlines())
    )
    items = scan_bytes(template.encode(), "secret.yaml", suffix=".yaml")
    assert [c.sha256 for i in items if isinstance(i, Observation) for c in i.certificates] == [
        pki.root.sha256
    ]
    assert not any(isinstance(i, KeyRecord) for i in items)
