"""The `vpe-bot` command line: parse arguments, build things, start them."""

from __future__ import annotations

import argparse
import html
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot import __version__
from bot.core.config import ConfigError, Need, Settings, configure_logging, load_settings
from bot.runtime.lease import SingleProcessOnly
from bot.storage.db import current_revision, head_revision, make_engine, migrate

log = logging.getLogger("bot")

SETUP_GUIDE = """\
To connect vpe-bot to Slack:
  1. Create a Slack app from manifest.yml
     (https://api.slack.com/apps > Create New App > From a manifest).
  2. Install it to your workspace, then copy the Bot User OAuth Token (xoxb-…) and either an
     app-level token with connections:write (xapp-…, Socket Mode) or the Signing Secret (HTTP mode).
  3. cp .env.example .env, paste the tokens, and run `make run` again.
The README's "Connect to Slack" section has the details."""


PLAYGROUND_NOTE = """\
No Slack credentials configured: starting the playground, the real bot with a local
stand-in for Slack. To connect to a real workspace, see the README ("Connect to Slack")."""


class StartupError(Exception):
    """Something outside the code stops the bot from starting; the message says what to do."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vpe-bot", description=__doc__)
    parser.add_argument("--version", action="version", version=f"vpe-bot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run", help="the bot: Socket Mode if SLACK_APP_TOKEN is set, else HTTP"
    )
    run.add_argument(
        "--or-playground",
        action="store_true",
        help="with no Slack credentials at all, start the playground instead (make run)",
    )
    playground = commands.add_parser(
        "playground", help="try the bot in a browser, with a local stand-in for Slack"
    )
    playground.add_argument(
        "--port", type=int, default=None, help="page port (default: $PORT or 3000)"
    )
    playground.add_argument("--reset", action="store_true", help="start the demo over")
    playground.add_argument(
        "--dir", type=Path, default=Path(".playground"), help="where the demo keeps its data"
    )
    serve = commands.add_parser("serve", help="HTTP mode: /slack/events and /healthz")
    serve.add_argument("--port", type=int, help="port to listen on (default: $PORT or 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default: 0.0.0.0)")  # noqa: S104
    serve.add_argument("--workers", type=int, help="worker processes (default: $WEB_CONCURRENCY)")
    commands.add_parser("scheduler", help="the scheduler alone (a separate clock process)")
    worker = commands.add_parser(
        "worker",
        help="take scheduled jobs from the job engine (JOB_ENGINE=procrastinate, dramatiq)",
    )
    worker.add_argument(
        "--concurrency", type=int, help="jobs at once (default: $WORKER_CONCURRENCY or 4)"
    )
    commands.add_parser("migrate", help="apply database migrations to DATABASE_URL")
    commands.add_parser(
        "rotate-tokens", help="re-encrypt stored tokens with the first TOKEN_ENCRYPTION_KEYS key"
    )
    ask = commands.add_parser("ask", help="answer a question about who owns what")
    ask.add_argument("question")
    ask.add_argument("--lang", choices=("en", "fr"), help="answer language (default: detected)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings)
        return int(COMMANDS[args.command](settings, args) or 0)
    except ConfigError as error:
        print(f"vpe-bot: {error}", file=sys.stderr)
        if args.command == "run" and error.variable.startswith("SLACK_"):
            print(SETUP_GUIDE, file=sys.stderr)
        return 2
    except (StartupError, SingleProcessOnly) as error:
        print(f"vpe-bot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def first_line(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    return f"{type(cause).__name__}: {str(cause).strip().splitlines()[0] if str(cause) else ''}"


def prepare_database(settings: Settings) -> None:
    """Migrate the embedded SQLite file; insist that PostgreSQL was migrated by its release step."""
    try:
        if settings.is_sqlite:
            migrate(settings.database_url)
            return
        engine = make_engine(settings.database_url)
        current = current_revision(engine)
        engine.dispose()
    except SQLAlchemyError as error:
        raise StartupError(
            f"cannot use the database in DATABASE_URL ({first_line(error)}). "
            "Check that it is running and that the URL is right."
        ) from None
    if current != head_revision():
        raise StartupError(
            f"the database schema is at {current or 'nothing'}, the bot needs {head_revision()}: "
            "run `vpe-bot migrate` first."
        )


def check_broker(settings: Settings) -> None:
    """With JOB_ENGINE=dramatiq, one PING before starting: a broker that cannot be reached
    is one clear line, not a traceback at the first job."""
    if settings.job_engine != "dramatiq":
        return
    import redis

    client = redis.Redis.from_url(settings.job_broker_url, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        raise StartupError(
            f"JOB_BROKER_URL: cannot reach the job broker ({first_line(error)}). "
            "Check that Redis is running and that the URL is right."
        ) from None
    finally:
        client.close()


def check_slack(settings: Settings) -> dict[str, Any]:
    """auth.test once before starting, so a bad token is one clear line, not a traceback.

    With OAuth installs there is no single token to check: each workspace brings its own.
    """
    if settings.oauth:
        return {"team": "(many workspaces, OAuth)", "user": "vpe-bot"}
    from slack_sdk import WebClient

    # No retries here: at start-up a clear answer now beats a patient one later.
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10)
    client.retry_handlers = []
    try:
        return dict(client.auth_test().data)  # type: ignore[arg-type]
    except SlackApiError as error:
        raise StartupError(
            f"SLACK_BOT_TOKEN: Slack refused it ({error.response.get('error')}). "
            "Copy the Bot User OAuth Token again from your app's 'OAuth & Permissions' page."
        ) from None
    except OSError as error:
        raise StartupError(
            f"SLACK_API_URL: cannot reach {settings.slack_api_url} ({error}). "
            "Check the network, or the URL if you changed it."
        ) from None


def ensure_one_scheduler(settings: Settings) -> None:
    """SQLite: refuse to start a second scheduler on the same database."""
    if not settings.is_sqlite:
        return
    from bot.runtime.lease import lease_for

    engine = make_engine(settings.database_url)
    lease = lease_for(settings.database_url, engine)
    free = lease.try_acquire()
    lease.release()
    engine.dispose()
    if not free:
        raise SingleProcessOnly(
            "another vpe-bot scheduler is already running on this SQLite database. SQLite runs "
            "as a single process: stop the other one, or use PostgreSQL to run several."
        )


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    try:
        migrate(settings.database_url)
    except SQLAlchemyError as error:
        raise StartupError(
            f"migration failed ({first_line(error)}). "
            "Check DATABASE_URL and that the database is running."
        ) from None
    print(f"vpe-bot: database at {head_revision()}")
    if settings.job_engine == "procrastinate":
        from bot.runtime.engine import install_schema

        created = install_schema(settings.database_url)
        print(f"vpe-bot: job engine tables {'created' if created else 'already there'}")
    return 0


def cmd_rotate_tokens(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.slack.installations import rotate_tokens

    if not settings.token_encryption_keys:
        raise StartupError(
            "TOKEN_ENCRYPTION_KEYS is not set: put the new key first, then the old ones."
        )
    engine = make_engine(settings.database_url)
    changed = rotate_tokens(engine, settings.token_encryption_keys)
    engine.dispose()
    print(f"vpe-bot: re-encrypted {changed} tokens with the newest key")
    return 0


def cmd_playground(settings: Settings, args: argparse.Namespace) -> int:
    from bot.playground.run import run_playground

    port = settings.port if args.port is None else args.port
    run_playground(args.dir, port, reset=args.reset, ask_vectors=settings.ask_vectors)
    return 0


def unconfigured(settings: Settings) -> bool:
    """No Slack credential of any kind: nothing to connect to yet."""
    return not (
        settings.slack_bot_token
        or settings.slack_app_token
        or settings.slack_signing_secret
        or settings.oauth
    )


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime import processes as runners

    if getattr(args, "or_playground", False) and unconfigured(settings):
        print(PLAYGROUND_NOTE, file=sys.stderr)
        args.dir, args.port, args.reset = Path(".playground"), None, False
        return cmd_playground(settings, args)
    settings.require(Need.RUN)
    from bot.qa.vectors import check_installed

    check_installed(settings.ask_vectors)
    prepare_database(settings)
    identity = check_slack(settings)
    check_broker(settings)
    log.info("connected to Slack workspace %s as %s", identity.get("team"), identity.get("user"))
    if settings.socket_mode and not settings.oauth:
        runners.run_socket_mode_with_scheduler(settings)
    else:
        ensure_one_scheduler(settings)  # before gunicorn forks, to fail with one clear line
        runners.run_http_with_scheduler(settings)
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime import processes as runners

    settings.require(Need.HTTP)
    from bot.qa.vectors import check_installed

    check_installed(settings.ask_vectors)
    prepare_database(settings)
    check_slack(settings)
    runners.run_http(settings, host=args.host, port=args.port, workers=args.workers)
    return 0


def cmd_scheduler(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.runtime import processes as runners

    settings.require(Need.BOT_TOKEN)
    prepare_database(settings)
    check_slack(settings)
    check_broker(settings)
    runners.run_scheduler(settings)
    return 0


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime import processes as runners

    if settings.job_engine == "inline":
        raise StartupError(
            "no job engine configured: with JOB_ENGINE unset, `vpe-bot run` and `vpe-bot "
            "scheduler` run the jobs themselves. Set JOB_ENGINE=procrastinate (PostgreSQL) "
            "or JOB_ENGINE=dramatiq (Redis, JOB_BROKER_URL) to run workers."
        )
    settings.require(Need.BOT_TOKEN)
    prepare_database(settings)
    check_broker(settings)
    runners.run_worker(settings, args.concurrency or settings.worker_concurrency)
    return 0


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """Answer from the knowledge base alone: default owners by role, no workspace."""
    from bot.blocks.who_owns import render_answer
    from bot.core.i18n import default_catalog
    from bot.ownership.assignments import Assignments
    from bot.ownership.who_owns import answer_question
    from bot.qa.knowledge import load_knowledge
    from bot.qa.vectors import build_matcher

    kb = load_knowledge()
    matcher = build_matcher(kb, vectors=settings.ask_vectors)
    answer = answer_question(matcher, args.question, Assignments(), args.lang)
    # The terminal shows no Slack formatting: drop the bold marks.
    slack_text = render_answer(answer, kb, default_catalog(), hints=False).text
    text = html.unescape(slack_text.replace("*", ""))
    if not args.json:
        print(text)
        return 0
    topic = answer.entry.id if answer.entry else None
    owner = answer.entry.owner if answer.entry else None
    print(json.dumps({"topic": topic, "owner": owner, "lang": answer.lang, "text": text}))
    return 0


COMMANDS = {
    "run": cmd_run,
    "serve": cmd_serve,
    "scheduler": cmd_scheduler,
    "worker": cmd_worker,
    "migrate": cmd_migrate,
    "rotate-tokens": cmd_rotate_tokens,
    "playground": cmd_playground,
    "ask": cmd_ask,
}
