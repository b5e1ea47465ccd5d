"""File scan rate beside a bare loop of cryptography loads, and memory as certificates grow.

    python bench/file_scan.py rate [--files 2000] [--repeat 3]
    python bench/file_scan.py memory [--counts 1000 4000 16000]

``rate`` writes ``--files`` PEM files (each a distinct leaf and its issuing CA, the shape of a
web server's chain file), then times

1. the bare loop: read each file and ``x509.load_pem_x509_certificates`` it, nothing else, in
   this one process;
2. the same loop also reading the fields a bundle records, in this one process;
3. ``FileScanner`` over the folder, writing the bundle (walk, read, parse, describe every
   certificate: fingerprints, key, names, self-signed check; stream the JSON out), in one
   process (``workers=1``);
4. the same with its default worker processes (one per core), as ``assess scan files`` runs.

Target: the scanner at least 0.7x the bare loop's rate. Each figure is the best of
``--repeat`` runs; every scanner run starts a new scanner (nothing is remembered across runs).

``memory`` runs the scanner in a fresh process per count and reports the peak resident memory
of that process and of its largest worker: bundles are streamed to disk, so neither should grow
with the number of certificates.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from assess.evidence.bundles import write_bundle
from assess.evidence.filescan.pool import default_workers
from assess.evidence.filescan.scanner import FileScanner

HERE = Path(__file__).parent


def make_files(folder: Path, count: int) -> None:
    """``count`` chain files: distinct leaves (one shared key, to make them fast) and the CA."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from certgen import Pki

    now = datetime.now(UTC).replace(microsecond=0)
    pki = Pki.create(now)
    key = ec.generate_private_key(ec.SECP256R1())
    ca_pem = pki.intermediate.pem
    for number in range(count):
        name = f"host{number}.example.test"
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(pki.intermediate.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=89))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(pki.intermediate.key, hashes.SHA256())
        )
        sub = folder / f"d{number // 500}"
        sub.mkdir(exist_ok=True)
        (sub / f"{name}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM) + ca_pem)


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds (the machine's noise only ever adds)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def rate(count: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "certs"
        folder.mkdir()
        make_files(folder, count)
        files = sorted(folder.rglob("*.pem"))

        def bare_loop() -> None:
            for path in files:
                x509.load_pem_x509_certificates(path.read_bytes())

        def fields_loop() -> None:
            for path in files:
                for cert in x509.load_pem_x509_certificates(path.read_bytes()):
                    read_fields(cert)

        summaries = []

        def scanner(workers: int | None) -> Callable[[], None]:
            def run() -> None:
                scan = FileScanner([folder], workers=workers)
                summaries.append(write_bundle(Path(tmp) / "bundle.json", scan))

            return run

        bare = best_of(repeat, bare_loop)
        fields = best_of(repeat, fields_loop)
        alone = best_of(repeat, scanner(1))
        ours = best_of(repeat, scanner(None))
    assert all(s.certificates == 2 * count for s in summaries)
    workers = default_workers()
    for label, seconds in (
        ("bare cryptography loads", bare),
        ("loads + reading the fields", fields),
        ("assess scan files, 1 process", alone),
        (f"assess scan files, {workers} workers", ours),
    ):
        print(f"{label:<32} {count} files in {seconds:.2f} s = {count / seconds:.0f} files/s")
    for label, seconds in (("1 process", alone), (f"{workers} workers", ours)):
        print(
            f"ratio, {label}: {bare / seconds:.2f}x the bare loads, "
            f"{fields / seconds:.2f}x loads + fields"
        )


def read_fields(cert: x509.Certificate) -> None:
    """What a bundle records of a certificate, read with cryptography and nothing else."""
    cert.fingerprint(hashes.SHA256())
    cert.subject.rfc4514_string()
    cert.issuer.rfc4514_string()
    _ = (cert.not_valid_before_utc, cert.not_valid_after_utc, cert.serial_number)
    key = cert.public_key()
    key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    _ = cert.signature_hash_algorithm
    for kind in (x509.SubjectAlternativeName, x509.BasicConstraints):
        with contextlib.suppress(x509.ExtensionNotFound):
            cert.extensions.get_extension_for_class(kind)


def measure_one(folder: str) -> None:
    """Child process: scan, then print the peak RSS of this process and of its largest
    worker, in MiB."""
    with tempfile.TemporaryDirectory() as tmp:
        write_bundle(Path(tmp) / "bundle.json", FileScanner([Path(folder)]))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{peak:.1f} MiB, largest worker {worker:.1f} MiB")


def memory(counts: list[int]) -> None:
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "certs"
            folder.mkdir()
            make_files(folder, count)
            peak = subprocess.run(
                [sys.executable, __file__, "_measure", str(folder)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        print(f"{count:>6} files ({2 * count} certificates): peak RSS {peak}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["rate", "memory", "_measure"])
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 4000, 16000])
    args = parser.parse_args()
    if args.what == "rate":
        rate(args.files, args.repeat)
    elif args.what == "memory":
        memory(args.counts)
    else:
        measure_one(args.folder)


if __name__ == "__main__":
    main()
