"""`python -m bot.ops.bench` (`make bench`)."""

import sys

from bot.ops.bench.cli import main

if __name__ == "__main__":
    sys.exit(main())
