"""Evidence bundles read one observation at a time (bundles.stream_bundle): the same bundle, the
same errors and the same fingerprint as reading the whole file, whatever the layout."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from assess.engine.score import evaluate, read_forecast
from assess.evidence import bundles
from assess.evidence.bundles import load_bundle, stream_bundle, write_bundle
from assess.evidence.interface import Collector, Sink
from assess.inputs.workspace import load_workspace
from assess.model.bundle import (
    BundleTool,
    CertificateRecord,
    EvidenceBundle,
    KeyRecord,
    Observation,
    ObservationKind,
    ObservationStatus,
)
from assess.support.errors import InputError
from assess.support.limits import SizeLimit

DEMO = Path(__file__).parent.parent / "examples" / "demo"
DAY = date(2026, 11, 30)


class Replay(Collector):
    """A collector that hands over what a bundle holds, for write_bundle to write it."""

    def __init__(self, bundle: EvidenceBundle) -> None:
        self.bundle = bundle

    def header(self) -> EvidenceBundle:
        return self.bundle.model_copy(update={"observations": (), "keys": ()})

    def collect(self, sink: Sink) -> None:
        for item in (*self.bundle.observations, *self.bundle.keys):
            sink(item)


def leaf(name: str, **fields: object) -> CertificateRecord:
    values: dict[str, object] = {
        "sha256": hashlib.sha256(name.encode()).hexdigest(),
        "serial": name.encode().hex(),
        "subject": f"CN={name}",
        "issuer": "CN=Larkspur Issuing CA 02,O=Larkspur Mutual Assurance",
        "not_before": datetime(2026, 9, 1, tzinfo=UTC),
        "not_after": datetime(2026, 12, 10, tzinfo=UTC),
        "key_type": "ec",
        "key_size": 256,
        "signature_hash": "sha256",
        "san_dns": (name,),
        "is_ca": False,
    }
    values.update(fields)
    return CertificateRecord.model_validate(values)


def endpoint(location: str, record: CertificateRecord | None, **fields: object) -> Observation:
    return Observation.model_validate(
        {
            "location": location,
            "status": "ok" if record else "error",
            "error": None if record else "connection refused",
            "certificates": (record,) if record else (),
            "kind": ObservationKind.ENDPOINT,
            "tls_version": "TLSv1.2" if record else None,
            **fields,
        }
    )


TLS = EvidenceBundle(
    collector="tls",
    collected_at=datetime(2026, 11, 28, 9, 0, tzinfo=UTC),
    tool=BundleTool(name="cmmm-assess", version="test"),
    scope=("web01.corp.larkspur.example:443",),
    observations=(
        endpoint("web01.corp.larkspur.example:443", leaf("web01"), trusted=True),
        endpoint("self.corp.larkspur.example:443", leaf("self", self_signed=True), trusted=False),
        endpoint("down.corp.larkspur.example:443", None),
        Observation(
            location="/etc/ssl/web01.pem",
            status=ObservationStatus.OK,
            certificates=(
                leaf("web01"),
                leaf("files-only", not_after=datetime(2026, 11, 2, tzinfo=UTC)),
            ),
        ),
    ),
    keys=(KeyRecord(location="/etc/ssl/web01.key", encrypted=False, mode="0644"),),
)


def written(path: Path, bundle: EvidenceBundle) -> Path:
    write_bundle(path, Replay(bundle))
    return path


def read(path: Path) -> tuple[EvidenceBundle, list[Observation | KeyRecord], str]:
    with stream_bundle(path) as streamed:
        items = list(streamed.items)
        return streamed.header, items, streamed.sha256


def whole(path: Path) -> tuple[EvidenceBundle, list[Observation | KeyRecord], str]:
    bundle = load_bundle(path).bundle
    head = bundle.model_copy(update={"observations": (), "keys": ()})
    return head, [*bundle.observations, *bundle.keys], hashlib.sha256(path.read_bytes()).hexdigest()


def demo_bundles() -> list[EvidenceBundle]:
    return [load_bundle(path).bundle for path in sorted((DEMO / "evidence").glob("*.json"))]


def test_a_written_bundle_reads_as_the_whole_file_reads(tmp_path, monkeypatch):
    paths = [written(tmp_path / f"{n}.json", b) for n, b in enumerate([*demo_bundles(), TLS])]
    expected = [whole(path) for path in paths]

    def never(*_: object) -> None:
        raise AssertionError("a bundle write_bundle wrote was read whole")

    monkeypatch.setattr(bundles, "_whole", never)
    assert [read(path) for path in paths] == expected
    assert [len(items) for _, items, _ in expected] == [
        len(b.observations) + len(b.keys) for b in [*demo_bundles(), TLS]
    ]


def test_every_layout_json_allows_reads_the_same(tmp_path):
    data = TLS.model_dump(mode="json", by_alias=True)
    layouts = {
        "one-line.json": json.dumps(data),
        "pretty.json": json.dumps(data, indent=2),
        "keys-first.json": json.dumps({"keys": data.pop("keys"), **data}, indent=4),
        "crlf.json": written(tmp_path / "w.json", TLS).read_text().replace("\n", "\r\n"),
    }
    for name, text in layouts.items():
        path = tmp_path / name
        path.write_bytes(text.encode())
        assert read(path) == whole(path), name
    assert [len(read(tmp_path / name)[1]) for name in layouts] == [5] * 4


def test_a_layout_that_changes_midway_is_read_whole_from_where_the_lines_stop(tmp_path):
    path = written(tmp_path / "b.json", TLS)
    lines = path.read_text().split("\n")
    third = next(i for i, line in enumerate(lines) if "down.corp" in line)
    lines[third : third + 2] = [lines[third] + " " + lines[third + 1].lstrip()]
    path.write_text("\n".join(lines))
    assert read(path) == whole(path)
    assert read(path)[1] == [*TLS.observations, *TLS.keys]


def test_an_observation_is_validated_as_it_is_read_with_the_whole_files_error(tmp_path):
    path = written(tmp_path / "b.json", TLS)
    text = path.read_text().replace('"not_after":"2026-11-02T00:00:00Z"', '"not_after":"soon"')
    path.write_text(text)
    given = []
    with pytest.raises(InputError) as caught, stream_bundle(path) as streamed:
        given.extend(streamed.items)
    # The three endpoints came before the fourth observation was read and refused.
    assert [o.location for o in given if isinstance(o, Observation)] == [
        "web01.corp.larkspur.example:443",
        "self.corp.larkspur.example:443",
        "down.corp.larkspur.example:443",
    ]
    assert str(caught.value) == (
        f"{path}: observations[3].certificates[1].not_after: Input should be a valid datetime "
        "or date, input is too short"
    )
    with pytest.raises(InputError) as loaded:
        load_bundle(path)
    assert str(caught.value) == str(loaded.value)


def test_a_header_field_given_twice_differently_is_refused(tmp_path):
    path = written(tmp_path / "b.json", TLS)
    text = path.read_text()
    assert text.endswith("}\n  ]\n}\n")
    twice = text[: -len("\n}\n")] + ',\n  "collector": "%s"\n}\n'
    path.write_text(twice % "tls")
    assert read(path) == whole(path)
    path.write_text(twice % "sslyze")
    assert load_bundle(path).bundle.collector == "sslyze"
    with pytest.raises(InputError, match="gives a header field twice"), stream_bundle(path) as s:
        list(s.items)


def test_a_list_given_twice_after_items_were_streamed_is_refused(tmp_path):
    # Streamed line by line up to the third observation, then the layout changes (two lines
    # joined), and a second "observations" list comes last: JSON keeps that last list, but the
    # first two observations were already given from the first. Refused rather than mixed.
    path = written(tmp_path / "b.json", TLS)
    lines = path.read_text().split("\n")
    third = next(i for i, line in enumerate(lines) if "down.corp" in line)
    lines[third : third + 2] = [lines[third] + " " + lines[third + 1].lstrip()]
    text = "\n".join(lines)
    assert text.endswith("}\n  ]\n}\n")
    path.write_text(text[: -len("\n}\n")] + ',\n  "observations": []\n}\n')
    assert load_bundle(path).bundle.observations == ()
    with pytest.raises(InputError, match="gives 'observations' twice"), stream_bundle(path) as s:
        list(s.items)


def test_the_size_limit_holds(tmp_path, monkeypatch):
    path = written(tmp_path / "b.json", TLS)
    monkeypatch.setattr(bundles, "BUNDLE", SizeLimit("an evidence bundle", 1000))
    with pytest.raises(InputError, match="than the 1,000 bytes an evidence bundle may be"):
        read(path)


def rewritten(tmp_path: Path) -> tuple[Path, Path]:
    """The demo with the TLS bundle added, as given (pretty JSON) and as write_bundle writes."""
    given = tmp_path / "given"
    shutil.copytree(DEMO, given)
    (given / "evidence" / "tls.json").write_text(TLS.model_dump_json(by_alias=True, indent=2))
    lines = tmp_path / "lines"
    shutil.copytree(given, lines)
    for path in (lines / "evidence").glob("*.json"):
        written(path, load_bundle(path).bundle)
    return given, lines


def test_scoring_is_the_same_whichever_layout_the_bundles_have(tmp_path):
    given, lines = rewritten(tmp_path)
    first = evaluate(load_workspace(given), DAY).model_dump(mode="json")
    second = evaluate(load_workspace(lines), DAY).model_dump(mode="json")
    sources = [first["evidence"]["sources"], second["evidence"]["sources"]]
    for found in sources:
        for source in found:
            assert len(source.pop("sha256")) == 64
    assert first == second
    assert {m["metric"] for m in first["evidence"]["metrics"]} >= {
        "endpoints",
        "self_signed_in_service_share",
    }
    assert read_forecast(load_workspace(given), DAY) == read_forecast(load_workspace(lines), DAY)


def test_a_late_error_fails_the_whole_command(tmp_path, cli):
    _, lines = rewritten(tmp_path)
    path = lines / "evidence" / "tls.json"
    text = path.read_text()
    path.write_text(text.replace('"mode":"0644"', '"mode":"rw-r--r--"'))
    for command in ("score", "forecast"):
        result = cli(command, lines, "--at", DAY)
        assert result.exit_code == 2, command
        assert result.stdout == ""
        assert f"{path}:" in result.stderr and "keys[0].mode" in result.stderr
        assert "Traceback" not in result.stderr
