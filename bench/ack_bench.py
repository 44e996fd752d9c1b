"""Slash-command acknowledgement under load: `vpe-bot serve` against two reference Bolt apps.

Usage (from the repository root; needs PostgreSQL, default the local test server):
    python bench/ack_bench.py                        # 50 req/s per target for 30 s, then asks
    python bench/ack_bench.py --rate 50 --duration 30 --ask-count 200 --ask-rate 10
    python bench/ack_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

What it starts, all on loopback:
- the fake Slack Web API of bot/playground/fakeslack (in this process): the bot's and the
  references' auth.test, the bot's users.info, and every response_url post land there;
- a throw-away PostgreSQL database (created from --database-url's server, dropped at the end),
  migrated, so that the bot serves with several workers as in production;
- `vpe-bot serve` exactly as the Procfile's `web:` line runs it (gunicorn gthread, default
  WEB_CONCURRENCY × WEB_THREADS), on 127.0.0.1;
- the references of bench/reference_apps.py under the same gunicorn set-up and the same WSGI
  adapter: (a) a Bolt app that only acks, with Bolt's defaults (process_before_response=False:
  Bolt polls for the ack every 10 ms), and (b) the same with process_before_response=True,
  the floor for a signed, verified ack.

Phase 1, acknowledgement under load: signed `/vpe help` requests (form-encoded, v0 HMAC as
Slack signs them) fired open-loop by a separate load-generator process: one request every
1/(3 × rate) s, round-robin over the three targets with the order shuffled in each round, so
that machine noise hits all three alike; each request is fired on schedule from a thread pool,
never waiting for earlier ones, and its latency (connect to last byte of the response) is
measured client-side. The bot does its real work after the ack (the caller's language from the
database, the help, a POST to response_url); every answer must arrive at the fake Slack.

Phase 2, answer time: signed `/vpe ask who owns delivery?` at a gentle rate, bot only; time
from sending the request to the answer's arrival at the fake's response_url (ResponsePost.at,
stamped with time.time() when the fake records the post).

Quote medians and compare ratios within one run: the machine (2 cores, shared) is noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.storage.db import migrate  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402
from tests.support.botproc import BOT_TOKEN, bot_environment, free_port  # noqa: E402
from tests.support.databases import fresh_database  # noqa: E402
from tests.support.payloads import slash_command  # noqa: E402
from tests.support.signing import SIGNING_SECRET, form_body, signed_headers  # noqa: E402
from tests.support.slack import PEOPLE  # noqa: E402

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TEAM, GENERAL, USER = "T0TEST", "C0GENERAL", "U0MEMBER"
BOT, DEFAULT_REF, PBR_REF = "bot", "ref_default", "ref_pbr"
TARGETS = (BOT, DEFAULT_REF, PBR_REF)
LABELS = {
    BOT: "vpe-bot serve",
    DEFAULT_REF: "(a) Bolt defaults, ack only",
    PBR_REF: "(b) process_before_response, ack only",
}


# -- the load generator (a separate process, so the fake Slack's work is not in its GIL) ----


def fire(request: dict[str, Any], due: float) -> dict[str, Any]:
    """One request on a fresh connection, as Slack opens one; latency measured client-side."""
    started = time.perf_counter()
    sent_at = time.time()
    connection = HTTPConnection(request["host"], request["port"], timeout=10)
    try:
        connection.request("POST", request["path"], request["body"].encode(), request["headers"])
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError as error:
        status = 0
        request = {**request, "error": repr(error)}
    finally:
        connection.close()
    return {
        "target": request["target"],
        "name": request.get("name"),
        "status": status,
        "latency_ms": (time.perf_counter() - started) * 1000,
        "lag_ms": (started - due) * 1000,
        "sent_at": sent_at,
        "error": request.get("error"),
    }


def generate(plan_path: Path, out_path: Path) -> None:
    """Fire every request of the plan at its time (open loop) and write the results."""
    plan = json.loads(plan_path.read_text())
    requests: list[dict[str, Any]] = plan["requests"]
    results: list[dict[str, Any] | None] = [None] * len(requests)
    with ThreadPoolExecutor(max_workers=plan["threads"]) as pool:
        # Start the threads before the clock does, so that the first requests do not pay it.
        list(pool.map(time.sleep, [0.01] * plan["threads"]))
        start = time.perf_counter() + 0.2

        def run(index: int, due: float) -> None:
            results[index] = fire(requests[index], due)

        for index, request in enumerate(requests):
            due = start + request["at"]
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(run, index, due)
    out_path.write_text(json.dumps(results))


def run_generator(requests: list[dict[str, Any]], workdir: Path, threads: int = 64) -> list[Any]:
    plan, out = workdir / f"plan-{time.monotonic_ns()}.json", workdir / "out.json"
    plan.write_text(json.dumps({"requests": requests, "threads": threads}))
    subprocess.run(
        [sys.executable, __file__, "--generate", str(plan), str(out)], check=True, cwd=ROOT
    )
    results: list[Any] = json.loads(out.read_text())
    return results


# -- the servers ----------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
            try:
                connection = HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
                connection.close()
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"{self.name} not ready after {timeout}s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(25)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def vpe_bot_command() -> list[str]:
    """`vpe-bot` as installed beside this Python, else `python -m bot`."""
    script = Path(sys.executable).parent / "vpe-bot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


@contextmanager
def started(name: str, args: list[str], env: dict[str, str], workdir: Path) -> Iterator[Server]:
    port = free_port()
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*args, "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=workdir,  # no .env from the repository
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(name, port, process, log)
    try:
        yield server
    finally:
        server.stop()


def start_fake() -> FakeSlack:
    fake = FakeSlack().start()
    fake.add_team(TEAM, "Acme", "acme", BOT_TOKEN, "UBOT", "B0BOT", "A0VPEBOT")
    for user_id, profile in PEOPLE.items():
        fake.add_user(TEAM, user_id, **profile)
    fake.add_channel(TEAM, GENERAL, "general", [*PEOPLE, "UBOT"])
    return fake


# -- requests and figures -------------------------------------------------------------------


def slash_request(
    fake: FakeSlack, server: Server, text: str, name: str, at: float
) -> dict[str, Any]:
    """A signed `/vpe <text>` as Slack sends it, with its own response_url at the fake."""
    body = form_body(
        slash_command(text, user_id=USER, response_url=fake.response_url(name), team_id=TEAM)
    )
    headers = signed_headers(body, SIGNING_SECRET) | {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    }
    return {
        "at": at,
        "target": server.name,
        "name": name,
        "host": "127.0.0.1",
        "port": server.port,
        "path": "/slack/events",
        "body": body.decode(),
        "headers": headers,
    }


def load_plan(
    fake: FakeSlack, servers: dict[str, Server], rate: float, duration: float, tag: str, seed: int
) -> list[dict[str, Any]]:
    """Round-robin over the targets, order shuffled each round, one request per 1/(n × rate)."""
    shuffle = random.Random(seed)
    names = list(servers)
    step = 1.0 / (rate * len(names))
    requests = []
    for round_ in range(int(rate * duration)):
        order = names[:]
        shuffle.shuffle(order)
        for slot, target in enumerate(order):
            at = round_ / rate + slot * step
            name = f"{tag}-{target}-{round_}"
            requests.append(slash_request(fake, servers[target], "help", name, at))
    return requests


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def wait_answers(fake: FakeSlack, names: set[str], timeout: float) -> dict[str, Any]:
    """The fake's ResponsePost for each name (first one), waiting up to `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        found = {}
        for post in fake.responses:
            if post.name in names and post.name not in found:
                found[post.name] = post
        if len(found) == len(names) or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def summarise(results: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    figures = {}
    for target in TARGETS:
        mine = [r for r in results if r["target"] == target]
        if not mine:
            continue
        ok = [r["latency_ms"] for r in mine if r["status"] == 200]
        figures[target] = {
            "requests": len(mine),
            "ok": len(ok),
            "p50": percentile(ok, 50),
            "p90": percentile(ok, 90),
            "p99": percentile(ok, 99),
            "max": max(ok) if ok else float("nan"),
            "lag_p99": percentile([r["lag_ms"] for r in mine], 99),
        }
    return figures


def phase_load(
    fake: FakeSlack, servers: dict[str, Server], args: argparse.Namespace, workdir: Path
) -> dict[str, Any]:
    # Warm-up (not measured): connections, the bot's person cache, imports on first use.
    warm = load_plan(fake, servers, min(args.rate, 10), 3, "warm", seed=1)
    run_generator(warm, workdir)
    wait_answers(fake, {r["name"] for r in warm if r["target"] == BOT}, 20)

    plan = load_plan(fake, servers, args.rate, args.duration, "load", seed=args.seed)
    results = run_generator(plan, workdir, threads=args.threads)
    figures = summarise(results)
    bot_sent = {r["name"]: r for r in results if r["target"] == BOT and r["status"] == 200}
    answers = wait_answers(fake, set(bot_sent), 30)
    delays = [(answers[n].at - bot_sent[n]["sent_at"]) * 1000 for n in answers]
    # Answers over the run, per 5 s window of sending time: they must keep arriving.
    first = min(r["sent_at"] for r in bot_sent.values())
    windows: dict[int, int] = {}
    for name in answers:
        window = int((bot_sent[name]["sent_at"] - first) // 5)
        windows[window] = windows.get(window, 0) + 1
    return {
        "figures": figures,
        "answered": len([a for a in answers.values() if a.status == 200]),
        "acked": len(bot_sent),
        "answer_p50": percentile(delays, 50),
        "answer_p99": percentile(delays, 99),
        "windows": [windows.get(w, 0) for w in range(max(windows, default=-1) + 1)],
        "errors": [r for r in results if r["status"] != 200][:5],
    }


def phase_ask(
    fake: FakeSlack, bot: Server, args: argparse.Namespace, workdir: Path
) -> dict[str, Any]:
    text = "ask who owns delivery?"
    step = 1.0 / args.ask_rate
    plan = [slash_request(fake, bot, text, f"ask-{i}", i * step) for i in range(args.ask_count)]
    results = run_generator(plan, workdir, threads=8)
    sent = {r["name"]: r for r in results if r["status"] == 200}
    answers = wait_answers(fake, set(sent), 30)
    delays = [(answers[n].at - sent[n]["sent_at"]) * 1000 for n in answers]
    acks = [r["latency_ms"] for r in sent.values()]
    sample = next(iter(answers.values()), None)
    return {
        "requests": len(plan),
        "acked": len(sent),
        "answered": len([a for a in answers.values() if a.status == 200]),
        "p50": percentile(delays, 50),
        "p90": percentile(delays, 90),
        "p99": percentile(delays, 99),
        "ack_p50": percentile(acks, 50),
        "sample": (sample.body.get("text", "")[:80] if sample else ""),
    }


def report(load: dict[str, Any], ask: dict[str, Any] | None, args: argparse.Namespace) -> str:
    figures = load["figures"]
    lines = [
        f"Acknowledgement of `/vpe help`, {args.rate:g} req/s per target for {args.duration:g} s, "
        "interleaved (latency measured client-side, ms):",
        "",
        "| target | requests | 200 | p50 | p90 | p99 | max | generator lag p99 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for target, f in figures.items():
        lines.append(
            f"| {LABELS[target]} | {f['requests']:.0f} | {f['ok']:.0f} | {f['p50']:.2f} | "
            f"{f['p90']:.2f} | {f['p99']:.2f} | {f['max']:.1f} | {f['lag_p99']:.2f} |"
        )
    bot, a, b = figures[BOT], figures[DEFAULT_REF], figures[PBR_REF]
    lines += [
        "",
        f"bot/(a): p50 {bot['p50'] / a['p50']:.2f}, p99 {bot['p99'] / a['p99']:.2f}   "
        f"(target: below 1)",
        f"bot/(b): p50 {bot['p50'] / b['p50']:.2f}, p99 {bot['p99'] / b['p99']:.2f}   "
        f"(target: p50 within 2)",
        "",
        f"Answers after the ack: {load['answered']}/{load['acked']} `/vpe help` answers arrived "
        f"at response_url; per 5 s of the run: {load['windows']}; "
        f"request→answer p50 {load['answer_p50']:.1f} ms, p99 {load['answer_p99']:.1f} ms",
    ]
    if load["errors"]:
        lines.append(f"Failed requests (first five): {load['errors']}")
    if ask is not None:
        lines += [
            "",
            f"`/vpe ask who owns delivery?`, {ask['requests']} requests at {args.ask_rate:g}/s: "
            f"{ask['answered']}/{ask['acked']} answered; request→answer at response_url "
            f"p50 {ask['p50']:.1f} ms, p90 {ask['p90']:.1f} ms, p99 {ask['p99']:.1f} ms "
            f"(target p50 < 50 ms); ack p50 {ask['ack_p50']:.2f} ms",
            f"First answer: {ask['sample']!r}",
        ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50, help="requests/s per target")
    parser.add_argument("--duration", type=float, default=30, help="seconds of load")
    parser.add_argument("--threads", type=int, default=64, help="load-generator threads")
    parser.add_argument("--ask-count", type=int, default=200)
    parser.add_argument("--ask-rate", type=float, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--keep-logs", action="store_true", help="print the servers' log dir")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--generate", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(*args.generate)
        return 0

    os.environ["TEST_DATABASE_URL"] = args.database_url or DEFAULT_DATABASE
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ack-bench-")))
        if args.keep_logs:
            workdir = Path(tempfile.mkdtemp(prefix="ack-bench-logs-"))
        fake = start_fake()
        stack.callback(fake.stop)
        database = stack.enter_context(fresh_database("postgresql", workdir))
        migrate(database)
        env = bot_environment(fake.api_url, database)
        reference = [sys.executable, str(ROOT / "bench" / "reference_apps.py")]
        servers = {
            BOT: stack.enter_context(started(BOT, [*vpe_bot_command(), "serve"], env, workdir)),
            DEFAULT_REF: stack.enter_context(
                started(DEFAULT_REF, [*reference, "default"], env, workdir)
            ),
            PBR_REF: stack.enter_context(started(PBR_REF, [*reference, "pbr"], env, workdir)),
        }
        for server in servers.values():
            server.wait_ready()
        time.sleep(1)  # let every worker finish booting
        load = phase_load(fake, servers, args, workdir)
        ask = phase_ask(fake, servers[BOT], args, workdir) if args.ask_count else None
        text = report(load, ask, args)
        print(text)
        if args.json:
            args.json.write_text(json.dumps({"load": load, "ask": ask}, indent=2, default=str))
        if args.keep_logs:
            print(f"\nServer logs: {workdir}")
        for server in servers.values():
            server.process.poll()
            if server.process.returncode not in (None, 0):
                print(f"{server.name} exited with {server.process.returncode}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
