"""Bounded fuzzing of what a stranger can reach: the REST webhook, socket.io, the Telegram
webhook and the counsellor console, against the real servers on loopback.

Each case is made from (seed, endpoint, index) alone, so one failing case is replayed
with `python -m bot.ops.fuzz --endpoint E --seed S --case I`. Checks per case: an answer
within the time bound, and no 5xx (nor any error answer) whose body shows internals
(traceback, file path, SQL, exception class name). After a run every server still
answers its health check and a real conversation still works.

CI mode: tests/fuzz/test_*.py (a few hundred cases per endpoint, fixed seed, one stack).
Manual mode: `python -m bot.ops.fuzz --cases 10000` (`make fuzz`).
"""
