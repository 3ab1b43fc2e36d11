"""Each endpoint a stranger can reach, fuzzed with a fixed seed; the servers must answer
every case in time without showing internals, and still work afterwards."""

from __future__ import annotations

import pytest

from tests.fuzz.runner import run
from tests.fuzz.targets import ENDPOINTS, make_target

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_hostile_requests_get_a_clean_answer_in_time(fuzz, fuzz_settings, endpoint):
    settings = fuzz_settings
    if fuzz.ensure_running():
        print("Rasa was started again: the run of an earlier endpoint had stopped it")
    print(f"fuzz {endpoint}: seed {settings.seed}, {settings.cases} cases")
    target = make_target(endpoint, fuzz, settings.seed, settings.bound)
    report = await run(target, range(settings.cases), settings.seed, fuzz.check_alive)
    print(report.summary())
    written = report.write_failures(settings.report_dir)
    assert report.ok, (
        f"{report.summary()}\nfailing cases written to {settings.report_dir} "
        f"({len(written)} files); replay one with: python -m bot.ops.fuzz "
        f"--endpoint {endpoint} --seed {settings.seed} --case N"
    )
