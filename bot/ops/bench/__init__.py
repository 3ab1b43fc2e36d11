"""`make bench`: this project against a bare Rasa assistant, figures rather than tests.

Starts both systems on free loopback ports with throw-away databases, one after the
other, and has simulated citizens hold whole conversations with them at several levels
of concurrent conversations (1, 10, 50, 100; `--quick`: 1 and 10):

- ours: the agency sandbox, the action server and Rasa as `make run` serves them;
  registrations and document requests in Dutch, French and English, each with a valid
  national register number of its own, complete only when the assistant gives the
  reference (JS-... / DR-...);
- bare: `rasa init`'s assistant (trained once per machine, cached under
  ~/.cache/jobseeker-assistant/bare-rasa-<version>/), its happy and sad paths.

Most conversations go through the REST webhook, a share (20 %) through socket.io with
the widget's session handshake. Per level and system: turns per second, p50/p95/p99 turn
latency, errors (HTTP, timeouts, connections, incomplete conversations), CPU time per
turn of all the system's server processes (from /proc) and their peak memory. Also: model
size, training time, start-up to the first answer, and throughput with 2 Rasa instances
of ours against 1 (at 50 concurrent conversations; not in quick mode).

Prints a side-by-side table and writes models/reports/bench.json and bench.png.
Figures measured while other work uses the CPU are not meaningful.

    python -m bot.ops.bench                 # full: 1,10,50,100 + 1 against 2 (~15-20 min)
    python -m bot.ops.bench --quick         # levels 1,10 on the test model (< 3 min)

Modules: servers.py (start-up), bare.py (the bare assistant), citizens.py and
scripts.py (simulated citizens and their conversations), transports.py (REST,
socket.io), load.py (levels), metrics.py (/proc), runner.py, report.py, plot.py, cli.py.
"""
