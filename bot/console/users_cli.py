"""`python -m bot.console serve | users add|list|passwd|deactivate`: the console and its users.

Passwords come from `--password-stdin` (one line) or are asked twice with getpass; they
are never printed nor logged. The database is migrated first.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from bot.accounts import users
from bot.accounts.errors import AuthError, UnknownUser
from bot.accounts.passwords import check_password_strength
from bot.accounts.roles import ROLES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.console", description=__doc__)
    groups = parser.add_subparsers(dest="group", required=True)
    users_group = groups.add_parser("users", help="manage console users")
    commands = users_group.add_subparsers(dest="command", required=True)

    add = commands.add_parser("add", help="create a user")
    add.add_argument("--username", required=True)
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--display-name", default=None)
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    commands.add_parser("list", help="list the users")

    passwd = commands.add_parser("passwd", help="change a user's password (ends its sessions)")
    passwd.add_argument("--username", required=True)
    passwd.add_argument("--password-stdin", action="store_true")

    deactivate = commands.add_parser("deactivate", help="deactivate a user (ends its sessions)")
    deactivate.add_argument("--username", required=True)

    serve = groups.add_parser("serve", help="run the console web server")
    serve.add_argument("--host", default=None, help="default: ASSISTANT_BIND_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default: CONSOLE_PORT or 5006")
    return parser


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise AuthError("the two passwords differ")
    return first


def _factory():
    from bot.db import make_engine, make_session_factory
    from bot.migrations import upgrade_database
    from bot.settings import load_settings

    url = load_settings().database_url
    upgrade_database(url)
    return make_session_factory(make_engine(url))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.group == "serve":
        from bot.console.server import serve

        serve(args.host, args.port)
        return 0
    try:
        if args.command == "add":
            users.normalize_username(args.username)
            password = _read_password(args.password_stdin)
            check_password_strength(password)
            user = users.create_user(
                _factory(), args.username, password, args.role, args.display_name, actor="cli"
            )
            print(f"created {user.username} ({user.role})")
        elif args.command == "list":
            for user in users.list_users(_factory()):
                state = "active" if user.active else "inactive"
                print(f"{user.username}\t{user.role}\t{state}\t{user.display_name}")
        elif args.command == "passwd":
            password = _read_password(args.password_stdin)
            check_password_strength(password)
            if not users.set_password(_factory(), args.username, password, actor="cli"):
                raise UnknownUser("no such user")
            print(f"password changed for {users.canonical_username(args.username)}")
        elif args.command == "deactivate":
            if not users.deactivate(_factory(), args.username, actor="cli"):
                raise UnknownUser("no such user")
            print(f"deactivated {users.canonical_username(args.username)}")
    except AuthError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
