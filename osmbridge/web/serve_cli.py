"""`osmbridge serve`: run the review web application with uvicorn."""

from __future__ import annotations

import argparse
import logging
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osmbridge.errors import OsmbridgeError

if TYPE_CHECKING:
    from osmbridge.config import Config

log = logging.getLogger("osmbridge.web")
MIN_SECRET_CHARS = 32
KEY_HELP = ("set OSMBRIDGE_SECRET_KEY, or [web] secret_key_file in config.toml to a file outside the repository "
            "(make one: python3 -c 'import secrets; print(secrets.token_urlsafe(48))' > /etc/osmbridge/secret_key; "
            "chmod 600 /etc/osmbridge/secret_key)")


def add_parser(commands: Any) -> None:
    """Register `osmbridge serve`."""
    serve = commands.add_parser(
        "serve", help="run the review web application (mappers and city staff decide there)",
        epilog="Example: OSMBRIDGE_SECRET_KEY=... osmbridge serve --config config.toml --port 8000\n"
               "Behind an https reverse proxy: osmbridge serve --forwarded-allow-ips 127.0.0.1 "
               "(and [web] public_url = \"https://...\")",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.add_argument("--config", type=Path, default=Path("config.toml"), help="config file (default: config.toml)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--forwarded-allow-ips", default=None,
                       help="addresses of the reverse proxy whose X-Forwarded-Proto/For headers are trusted")


def run(args: argparse.Namespace) -> int:
    """Load the config and the secret key, then serve until interrupted."""
    import uvicorn

    from osmbridge.config import load_config
    from osmbridge.web.app import create_app
    from osmbridge.web.logs import log_config

    config = load_config(args.config, os.environ)
    app = create_app(config, secret_key(config))
    level = "WARNING" if args.quiet else "DEBUG" if args.verbose else "INFO"
    print(f"osmbridge: serving the review application on http://{args.host}:{args.port}/"
          + (f" (public address {config.web.public_url})" if config.web.public_url else ""))
    uvicorn.run(app, host=args.host, port=args.port, log_config=log_config(level),
                proxy_headers=args.forwarded_allow_ips is not None,
                forwarded_allow_ips=args.forwarded_allow_ips, server_header=False)
    return 0


def secret_key(config: Config) -> str:
    """The key that signs cookies: OSMBRIDGE_SECRET_KEY, else [web] secret_key_file; an error names both."""
    key = config.web.secret_key
    if key is None and config.web.secret_key_file is not None:
        path = config.web.secret_key_file
        try:
            key = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise OsmbridgeError(f"{path}: cannot read the secret key ({exc.strerror}); {KEY_HELP}") from None
        if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            log.warning("%s: the secret key file is readable by other users; chmod 600 it", path)
    if key is None:
        raise OsmbridgeError(f"no secret key to sign the session cookies: {KEY_HELP}")
    if len(key) < MIN_SECRET_CHARS:
        raise OsmbridgeError(f"the secret key has {len(key)} characters, fewer than {MIN_SECRET_CHARS}: {KEY_HELP}")
    return key
