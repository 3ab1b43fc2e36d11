"""pip-audit over constraints.txt (scripts/pip_audit.py): the mechanism, offline.

The real audit needs PyPI's data about each pinned release, which this network does not
serve (https://pypi.org/pypi/<name>/<version>/json answers 404 here), so it runs in
`make audit` only, and fails there loudly when it cannot look a release up."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from bot.settings import PROJECT_ROOT


def _script():
    spec = importlib.util.spec_from_file_location(
        "pip_audit_script", PROJECT_ROOT / "scripts" / "pip_audit.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


pip_audit = _script()


def report(*dependencies: dict) -> dict:
    return {"dependencies": list(dependencies), "fixes": []}


AIOHTTP = {
    "name": "aiohttp",
    "version": "3.9.5",
    "vulns": [
        {"id": "GHSA-aaaa", "aliases": ["CVE-2024-1"], "fix_versions": ["3.10.2"]},
        {"id": "PYSEC-2024-2", "aliases": [], "fix_versions": []},
    ],
}


def test_an_advisory_fails_unless_ignored_by_id_or_alias_and_stale_ignores_fail():
    ignores = [
        pip_audit.Ignore("CVE-2024-1", "aiohttp", "held back by rasa 3.6"),
        pip_audit.Ignore("GHSA-gone", "sanic", "was fixed by an upgrade"),
    ]
    result = pip_audit.evaluate(
        report(AIOHTTP, {"name": "six", "version": "1.17.0", "vulns": []}), ignores
    )
    assert result.audited == 2
    assert [f.id for f in result.ignored] == ["GHSA-aaaa"]
    assert [f.id for f in result.findings] == ["PYSEC-2024-2"]
    assert [i.id for i in result.stale_ignores] == ["GHSA-gone"]
    assert not result.ok
    text = result.report()
    assert "aiohttp 3.9.5: PYSEC-2024-2; fixed in no fixed release" in text
    assert "GHSA-gone (sanic)" in text


def test_a_release_that_could_not_be_looked_up_fails_the_audit():
    skipped = {"name": "aiohttp", "skip_reason": "Dependency not found on PyPI"}
    result = pip_audit.evaluate(report(skipped), [])
    assert not result.ok and result.audited == 0
    assert "could NOT be audited" in result.report()
    assert "needs the network" in result.report()


def test_every_ignore_entry_gives_a_reason(tmp_path):
    path = tmp_path / "ignore.toml"
    path.write_text('[[ignore]]\nid = "GHSA-x"\npackage = "aiohttp"\nreason = " "\n')
    with pytest.raises(ValueError, match="entry 1 has no reason"):
        pip_audit.load_ignores(path)
    assert pip_audit.load_ignores(tmp_path / "missing.toml") == []


def test_the_projects_ignore_list_is_well_formed():
    for entry in pip_audit.load_ignores():
        assert entry.id and entry.package and len(entry.reason) > 20, entry
