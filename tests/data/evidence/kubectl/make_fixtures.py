"""Make the Kubernetes fixtures with the real kubectl: secrets, lists, a ConfigMap, a kubeconfig.

Not run by the tests (kubectl is not a test dependency): run it by hand when a format changes,
and commit what it writes. The certificates are made here with cryptography (tests/certgen.py);
expected.json records where each one is and its fingerprint, from how it was made.

    python tests/data/evidence/kubectl/make_fixtures.py

kubectl needs no cluster for ``create … --dry-run=client``, ``annotate --local`` and
``config``; for ``kubectl get secrets -A -o yaml|json`` (which writes a ``List``) it talks to a
stub API server on 127.0.0.1 that answers discovery and ``/api/v1/secrets`` with the secrets
made here, as the API documents them (SecretList).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[2]))
from certgen import Pki  # noqa: E402

KUBECTL = "kubectl"
ENV = {"KUBECONFIG": "/dev/null", "PATH": "/usr/bin:/bin:/usr/local/bin"}


def kubectl(*args: str, server: str | None = None) -> str:
    command = [KUBECTL, *(["--server", server] if server else []), *args]
    return subprocess.run(
        command, check=True, capture_output=True, text=True, env=ENV, timeout=60
    ).stdout


def version() -> str:
    return kubectl("version", "--client", "-o", "json")


def serve(objects: list[dict[str, object]]) -> ThreadingHTTPServer:
    """A stub API server answering discovery and the list of secrets."""
    items = []
    for item in objects:
        body = {k: v for k, v in item.items() if k not in ("kind", "apiVersion")}
        body["metadata"] = {**item["metadata"], "resourceVersion": "1"}  # type: ignore[dict-item]
        items.append(body)
    routes = {
        "/version": {"major": "1", "minor": "32", "gitVersion": "v1.32.0"},
        "/api": {"kind": "APIVersions", "versions": ["v1"]},
        "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": []},
        "/api/v1": {
            "kind": "APIResourceList",
            "groupVersion": "v1",
            "resources": [
                {
                    "name": "secrets",
                    "singularName": "secret",
                    "namespaced": True,
                    "kind": "Secret",
                    "verbs": ["get", "list"],
                }
            ],
        },
        "/api/v1/secrets": {
            "kind": "SecretList",
            "apiVersion": "v1",
            "metadata": {"resourceVersion": "1"},
            "items": items,
        },
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = routes.get(self.path.split("?")[0])
            data = json.dumps(body).encode()
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    pki = Pki.create(now)
    shop = pki.leaf("shop.example.test")
    api = pki.leaf("api.example.test", key="rsa2048")
    client = pki.leaf("admin.example.test")
    expected: dict[str, object] = {"made_at": now.isoformat()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, made in (("shop", shop), ("api", api), ("client", client)):
            made.write(folder, name)  # name.pem (leaf + intermediate) and name.key
        (folder / "root.pem").write_bytes(pki.root.pem)
        (folder / "leaf-only.pem").write_bytes(api.pem)

        # kubectl create secret tls … --dry-run=client -o yaml|json: one Secret
        single = ["create", "secret", "tls", "shop-tls", "-n", "shop", "--dry-run=client"]
        single += ["--cert", str(folder / "shop.pem"), "--key", str(folder / "shop.key")]
        (folder / "shop-tls.yaml").write_text(kubectl(*single, "-o", "yaml"))
        annotations = [
            "cert-manager.io/issuer-name=letsencrypt-prod",
            "cert-manager.io/issuer-kind=ClusterIssuer",
        ]
        annotate = ["annotate", "--local", "-f", str(folder / "shop-tls.yaml"), *annotations]
        (HERE / "secret-tls.yaml").write_text(kubectl(*annotate, "-o", "yaml"))
        (HERE / "secret-tls.json").write_text(kubectl(*single, "-o", "json"))

        # kubectl get secrets -A -o yaml|json: a List of every secret
        other = ["create", "secret", "tls", "api-tls", "-n", "web", "--dry-run=client", "-o"]
        other += ["json", "--cert", str(folder / "api.pem"), "--key", str(folder / "api.key")]
        secrets = [json.loads((HERE / "secret-tls.json").read_text()), json.loads(kubectl(*other))]
        secrets[0]["metadata"]["annotations"] = dict(a.split("=", 1) for a in annotations)
        server = serve(secrets)
        address = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            for form in ("yaml", "json"):
                (HERE / f"get-secrets.{form}").write_text(
                    kubectl("get", "secrets", "-A", "-o", form, server=address)
                )
        finally:
            server.shutdown()

        # a ConfigMap whose keys hold PEM: a CA bundle, and a key named tls.crt
        (HERE / "configmap.yaml").write_text(
            kubectl(
                "create",
                "configmap",
                "trust",
                "-n",
                "shop",
                "--dry-run=client",
                "-o",
                "yaml",
                f"--from-file=ca.crt={folder / 'root.pem'}",
                f"--from-file=tls.crt={folder / 'leaf-only.pem'}",
            )
        )

        # a kubeconfig with the CA, a client certificate and its key embedded (base64)
        config = folder / "kubeconfig"
        kubectl("config", "--kubeconfig", str(config), "set-cluster", "prod",
                "--server=https://k8s.example.test:6443", "--embed-certs",
                f"--certificate-authority={folder / 'root.pem'}")  # fmt: skip
        kubectl("config", "--kubeconfig", str(config), "set-credentials", "admin",
                "--embed-certs", f"--client-certificate={folder / 'client.pem'}",
                f"--client-key={folder / 'client.key'}")  # fmt: skip
        (HERE / "kubeconfig.yaml").write_text(config.read_text())

    expected.update(
        {
            "shop": shop.sha256,
            "api": api.sha256,
            "client": client.sha256,
            "intermediate": pki.intermediate.sha256,
            "root": pki.root.sha256,
            "kubectl": json.loads(version())["clientVersion"]["gitVersion"],
        }
    )
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


if __name__ == "__main__":
    main()
