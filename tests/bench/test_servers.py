"""The endpoints the bench gives this project's Rasa: the project's own endpoints.yml, with
this run's action server and a throw-away SQLite tracker store."""

from __future__ import annotations

import yaml

from bot.ops.bench.servers import our_endpoints
from bot.settings import PROJECT_ROOT


def test_the_projects_endpoints_get_this_runs_port_and_database(tmp_path):
    endpoints = yaml.safe_load(our_endpoints(PROJECT_ROOT / "endpoints.yml", 41234, tmp_path))
    project = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:41234/webhook"
    assert endpoints["tracker_store"]["type"] == project["tracker_store"]["type"]
    assert endpoints["tracker_store"]["dialect"] == "sqlite"
    assert endpoints["tracker_store"]["db"] == str(tmp_path / "tracker.db")
    assert endpoints["nlg"].keys() == project["nlg"].keys()
    assert endpoints["lock_store"] == {"type": "in_memory"}


def test_every_local_url_goes_to_this_runs_action_server(tmp_path):
    source = tmp_path / "endpoints.yml"
    source.write_text(
        """action_endpoint:
  url: "http://127.0.0.1:5055/webhook"
nlg:
  url: "http://localhost:5055/nlg"
tracker_store:
  type: SQL
  dialect: postgresql
  url: db.internal
  username: rasa
  password: secret
  db: tracker
lock_store:
  type: redis
  url: redis.internal
event_broker:
  type: pika
"""
    )
    endpoints = yaml.safe_load(our_endpoints(source, 5999, tmp_path))
    assert endpoints["nlg"]["url"] == "http://127.0.0.1:5999/nlg"
    assert endpoints["tracker_store"] == {
        "type": "SQL",
        "dialect": "sqlite",
        "db": str(tmp_path / "tracker.db"),
    }
    assert endpoints["lock_store"] == {"type": "in_memory"}
    assert "event_broker" not in endpoints
