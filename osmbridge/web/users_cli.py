"""`osmbridge users add|list|disable|enable|passwd|role|producer`: the accounts of the review web application.

A password never travels as an argument (it would land in the shell history and in `ps`): it is
asked twice at the terminal, or read from the first line of stdin (`--password-stdin`), or from an
environment variable named by `--password-env`.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from osmbridge.errors import OsmbridgeError

ROLE_HELP = "mapper (decides proposals to OSM), city_staff (proposals to the city) or admin (users)"

EXAMPLES = """Examples:
  osmbridge users add anne --role mapper                 (asks the password twice)
  printf '%s\\n' "$PASS" | osmbridge users add marc --role city_staff --password-stdin
  osmbridge users add bob --role mapper --osm-name "Bob B" --no-password   (logs in with OSM)
  osmbridge users list
  osmbridge users add paul --role city_staff --producer secouristes   (answers for one producer's data)
  osmbridge users passwd anne
  osmbridge users disable marc"""

PRODUCER_HELP = ("the producer of a dataset this person answers for (see [datasets.X.producers.NAME]): "
                 "their decisions to the city are limited to its data, their queues open filtered on it")


def add_parser(commands: Any) -> None:
    """Register `osmbridge users` and its sub-commands."""
    users = commands.add_parser("users", help="accounts of the review web application (osmbridge serve)",
                                epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = users.add_subparsers(dest="users_action", required=True, metavar="ACTION")

    def action(name: str, help_text: str, example: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text, epilog=f"Example: {example}", allow_abbrev=False)
        parser.add_argument("--config", type=Path, default=Path("config.toml"),
                            help="config file naming the state store (default: config.toml)")
        return parser

    add = action("add", "add a user", "osmbridge users add anne --role mapper --display-name 'Anne L.'")
    add.add_argument("username")
    add.add_argument("--role", required=True, help=ROLE_HELP)
    add.add_argument("--display-name", default="", help="name shown in pages and in the audit log")
    add.add_argument("--osm-name", help="OSM display name allowed to log in as this user with OSM")
    add.add_argument("--no-password", action="store_true", help="no local password: log in with OSM only")
    add.add_argument("--producer", help=PRODUCER_HELP)
    _password_source(add)

    action("list", "list the users", "osmbridge users list")
    for name, text in (("disable", "stop a user logging in and end their sessions"),
                       ("enable", "let a disabled user log in again")):
        action(name, text, f"osmbridge users {name} anne").add_argument("username")
    passwd = action("passwd", "set a user's password (ends their sessions)", "osmbridge users passwd anne")
    passwd.add_argument("username")
    _password_source(passwd)
    role = action("role", "change a user's role (ends their sessions)", "osmbridge users role anne city_staff")
    role.add_argument("username")
    role.add_argument("role", help=ROLE_HELP)
    producer = action("producer", "tie a user to the producer they answer for, or untie them (ends their sessions)",
                      "osmbridge users producer paul secouristes")
    producer.add_argument("username")
    producer.add_argument("producer", nargs="?", help=PRODUCER_HELP + "; leave out to untie")


def _password_source(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--password-stdin", action="store_true", help="read the password from stdin's first line")
    source.add_argument("--password-env", metavar="NAME", help="read the password from environment variable NAME")


def run(args: argparse.Namespace) -> int:
    """Carry out one `osmbridge users` action; print what was done."""
    from osmbridge.config import load_config
    from osmbridge.pipeline import utc_now
    from osmbridge.store import Accounts, Store
    from osmbridge.store.accounts import check_role
    from osmbridge.web.passwords import hash_password

    config = load_config(args.config, os.environ)
    store = Store(config.store_url)
    try:
        accounts = Accounts(store.engine)
        action = args.users_action
        if action in ("add", "role"):
            check_role(args.role)  # before a password is asked for nothing
        if getattr(args, "producer", None):
            known = sorted({p.name for dataset in config.datasets.values() for p in dataset.producers})
            if args.producer not in known:
                raise OsmbridgeError(f"{args.config}: no dataset has a producer {args.producer!r}; "
                                     f"known: {', '.join(known) or 'none (no dataset has producers)'}")
        if action == "add":
            password_hash = None if args.no_password else hash_password(_read_password(args))
            user = accounts.add_user(args.username, args.role, utc_now(), password_hash=password_hash,
                                     display_name=args.display_name, osm_name=args.osm_name,
                                     producer=args.producer)
            print(f"user {user.username} added ({user.role}"
                  f"{f', answers for producer {user.producer}' if user.producer else ''})")
        elif action == "list":
            for user in accounts.users():
                login = " + ".join(x for x in ("password" if user.has_password else "",
                                               f"OSM {user.osm_name}" if user.osm_name else "") if x)
                state = "disabled" if user.disabled else "active"
                tied = f"\tproducer {user.producer}" if user.producer else ""
                print(f"{user.username}\t{user.role}\t{state}\t{user.display_name}\t{login}\t"
                      f"last login {user.last_login_at or 'never'}{tied}")
        elif action == "passwd":
            accounts.user(args.username)  # an unknown name fails before the password is asked
            accounts.set_password(args.username, hash_password(_read_password(args)))
            print(f"password of {args.username} changed; their open sessions are closed")
        elif action in ("disable", "enable"):
            accounts.set_disabled(args.username, action == "disable")
            print(f"user {args.username} {action}d")
        elif action == "role":
            accounts.set_role(args.username, args.role)
            print(f"user {args.username} is now {args.role}")
        elif action == "producer":
            accounts.set_producer(args.username, args.producer or None)
            print(f"user {args.username} answers for producer {args.producer}" if args.producer
                  else f"user {args.username} answers for no particular producer")
        return 0
    finally:
        store.close()


def _read_password(args: argparse.Namespace) -> str:
    if args.password_env:
        if args.password_env not in os.environ:
            raise OsmbridgeError(f"environment variable {args.password_env} is not set")
        return os.environ[args.password_env]
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise OsmbridgeError("no terminal to ask the password at: pass --password-stdin or --password-env NAME")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise OsmbridgeError("the two passwords differ; nothing changed")
    return first
