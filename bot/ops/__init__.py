"""Entry points and tooling for operators: `make run/train/eval/bench`, process control."""
