import sys

from bot.console.users_cli import main

sys.exit(main())
