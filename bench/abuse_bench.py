"""What a hostile request costs `vpe-bot serve`: a 40,000-letter word, a 50 MB body.

Usage (from the repository root):
    python bench/abuse_bench.py                    # this checkout
    python bench/abuse_bench.py --before 6104cd1   # and the same cases against an older commit

Each version runs as the Procfile's `web:` line runs it (`vpe-bot serve`, gunicorn, SQLite so
one worker) against the fake Slack of bot/playground/fakeslack on loopback. `--before REV`
extracts that commit with `git archive` into a temporary directory and runs it from there
(`python -m bot` finds the package in its working directory first), in the same run, so the
two are compared on the same machine at the same moment.

Cases, each against a freshly started bot:
- `word`: one `/vpe ask <word>` with a 40,000-letter word, signed as Slack signs it, then
  the same word as a direct message (an event); the bot's answer is waited for.
- `word x3`: three of those asks at once.
- `body`: one unsigned POST to /slack/events with a 50 MB body, sent whole.
- `body x4`: four of those at once.

Reported: the worker's peak resident memory (VmHWM in /proc/<pid>/status, which the kernel
keeps for the life of the process) before and after, and the wall time until the last
answer. In process, the matcher alone on the same word: tracemalloc's peak and the time of
one `Matcher.match` (median of 5).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.qa.knowledge import load_knowledge  # noqa: E402
from bot.qa.matcher import Matcher  # noqa: E402
from bot.storage.db import migrate  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402
from tests.support.botproc import BOT_TOKEN, bot_environment, free_port  # noqa: E402
from tests.support.payloads import slash_command  # noqa: E402
from tests.support.signing import form_body, signed_headers  # noqa: E402

TEAM = "T0TEST"
WORD = ("delivery" * 5000)[:40_000]
BODY_MB = 50
MB = 1024 * 1024


def worker_of(master: int) -> int:
    """The gunicorn worker: the master's only child (SQLite serves with one)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                return int(entry.name)
    raise SystemExit("no gunicorn worker found")


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmHWM for {pid}")


def post(port: int, body: bytes, headers: dict[str, str]) -> int:
    """POST the whole body; the status, or 0 when the bot closed the connection first."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("POST", "/slack/events", body=body, headers=headers)
        return connection.getresponse().status
    except OSError:
        return 0
    finally:
        connection.close()


def at_once(count: int, action: Callable[[], object]) -> float:
    threads = [threading.Thread(target=action) for _ in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


class Bot:
    """`vpe-bot serve` from `source` (a checkout), on a fresh SQLite file."""

    def __init__(self, source: Path, fake: FakeSlack, workdir: Path) -> None:
        self.fake, self.port = fake, free_port()
        database = f"sqlite:///{workdir / f'bench-{time.monotonic_ns()}.db'}"
        migrate(database)
        env = bot_environment(fake.api_url, database, PORT=str(self.port), LOG_LEVEL="INFO")
        env["PYTHONPATH"] = str(source)
        self.log = (workdir / f"bot-{time.monotonic_ns()}.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            cwd=source,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while not self._healthy():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the bot from {source} did not start")
            time.sleep(0.1)
        time.sleep(1.0)  # let the worker settle before its peak is read
        self.worker = worker_of(self.process.pid)

    def _healthy(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def ask(self, text: str) -> None:
        name = f"bench-{time.monotonic_ns()}"
        url = self.fake.response_url(name)
        body = form_body(slash_command(text, user_id="U0MEMBER", response_url=url, team_id=TEAM))
        headers = signed_headers(body) | {"Content-Type": "application/x-www-form-urlencoded"}
        post(self.port, body, headers)
        self.fake.wait_for(lambda: [r for r in self.fake.responses if r.name == name], timeout=120)

    def message(self, text: str) -> None:
        before = len(self.fake.calls_to("chat.postMessage"))
        envelope = {
            "team_id": TEAM,
            "api_app_id": "A0VPEBOT",
            "type": "event_callback",
            "event_id": f"Ev{time.monotonic_ns()}",
            "event_time": int(time.time()),
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": "DU0MEMBER",
                "user": "U0MEMBER",
                "text": text,
                "ts": f"{time.time():.6f}",
            },
        }
        body = json.dumps(envelope).encode()
        post(self.port, body, signed_headers(body) | {"Content-Type": "application/json"})
        self.fake.wait_for("chat.postMessage", count=before + 1, timeout=120)

    def big_body(self) -> None:
        body = b"text=" + b"x" * (BODY_MB * MB - 5)
        post(self.port, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(25)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def cases(bot: Bot) -> dict[str, Callable[[], float]]:
    def word() -> float:
        started = time.perf_counter()
        bot.ask(f"ask {WORD}")
        bot.message(WORD)
        return time.perf_counter() - started

    return {
        "word": word,
        "word x3": lambda: at_once(3, lambda: bot.ask(f"ask {WORD}")),
        "body": lambda: at_once(1, bot.big_body),
        "body x4": lambda: at_once(4, bot.big_body),
    }


def run_version(label: str, source: Path, fake: FakeSlack, workdir: Path) -> None:
    for name in ("word", "word x3", "body", "body x4"):
        bot = Bot(source, fake, workdir)
        try:
            idle = peak_mb(bot.worker)
            seconds = cases(bot)[name]()
            time.sleep(0.5)
            peak = peak_mb(bot.worker)
        finally:
            bot.stop()
        print(
            f"| {label} | {name} | {idle:.0f} MB | {peak:.0f} MB | +{peak - idle:.0f} MB "
            f"| {seconds:.2f} s |",
            flush=True,
        )


def matcher_alone() -> None:
    matcher = Matcher(load_knowledge())
    question = f"who owns {WORD}?"
    tracemalloc.start()
    matcher.match(question, None, "en")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    times = []
    for _ in range(5):
        started = time.perf_counter()
        matcher.match(question, None, "en")
        times.append(time.perf_counter() - started)
    print(
        f"matcher alone, 40,000-letter word: tracemalloc peak {peak / MB:.1f} MB, "
        f"median {statistics.median(times) * 1000:.0f} ms"
    )


def extract(revision: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--before", help="also run this older commit, for comparison")
    args = parser.parse_args()
    matcher_alone()
    print("| version | case | worker peak before | after | growth | time to last answer |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as temp, FakeSlack() as fake:
        workdir = Path(temp)
        fake.add_team(TEAM, "Acme", "acme", BOT_TOKEN, "UBOT", "B0BOT", "A0VPEBOT")
        fake.add_user(TEAM, "U0MEMBER", "sam", "Sam Member")
        if args.before:
            old = extract(args.before, workdir / "before")
            run_version(args.before, old, fake, workdir)
        run_version("this checkout", ROOT, fake, workdir)


if __name__ == "__main__":
    main()
