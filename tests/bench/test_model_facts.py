"""Where the training-time figures come from, and the bare assistant's cache record."""

from __future__ import annotations

import io
import json
import tarfile

from bot.ops.bench import bare
from bot.ops.bench.model_facts import bare_training, our_training, size_mb


def _model(path, metadata: dict):
    with tarfile.open(path, "w:gz") as archive:
        data = json.dumps(metadata).encode()
        member = tarfile.TarInfo("metadata.json")
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data))
    return path


def test_a_measured_training_is_kept_for_the_same_model_only(tmp_path):
    model = _model(tmp_path / "assistant.tar.gz", {"trained_at": "2026-01-01"})
    report = tmp_path / "bench.json"
    assert our_training(model, report, None)["seconds"] is None
    measured = our_training(model, report, 512.3)
    assert measured["seconds"] == 512.3 and "--train" in measured["source"]
    report.write_text(json.dumps({"systems": {"ours": {"training": measured}}}))
    again = our_training(model, report, None)
    assert again["seconds"] == 512.3 and again["source"].startswith("earlier bench run")
    _model(model, {"trained_at": "2026-02-01", "other": "x" * 100})  # trained anew
    assert our_training(model, report, None)["seconds"] is None
    assert size_mb(model) >= 0


def test_a_duration_in_the_models_metadata_is_used(tmp_path):
    model = _model(tmp_path / "m.tar.gz", {"training_seconds": 42.5})
    assert our_training(model, tmp_path / "none.json", None)["seconds"] == 42.5


def test_the_bare_assistants_record_says_how_it_was_measured(tmp_path):
    assert bare_training({})["seconds"] is None
    record = {"seconds": 75.2, "trained_at": "t", "load_average_before": [0.1], "cpus": 2}
    figure = bare_training(record)
    assert figure["seconds"] == 75.2 and figure["load_average_before"] == [0.1]


def test_the_bare_project_gets_the_socketio_channel_once(tmp_path):
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("rest:\n\n#socketio:\n#  user_message_evt: x\n")
    bare.enable_socketio(credentials)
    bare.enable_socketio(credentials)
    text = credentials.read_text()
    assert text.count("\nsocketio:") == 1 and "session_persistence: false" in text
