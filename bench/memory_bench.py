"""Start-up time and idle memory of `vpe-bot run` (Socket Mode and HTTP) and `vpe-bot serve`.

Usage (from the repository root):
    python bench/memory_bench.py                   # 3 starts of each mode, 20 s idle each
    python bench/memory_bench.py --starts 5 --idle 20 --modes socket,http
    python bench/memory_bench.py --breakdown       # also: what each library costs to import

Needs psutil (a bench-only dependency: `pip install psutil`); without it, RSS is read from
/proc/<pid>/status (VmRSS) and PSS is not reported.

Modes, each against the fake Slack of bot/playground/fakeslack on loopback:
- `socket`: `vpe-bot run` with SLACK_APP_TOKEN (Socket Mode and the scheduler, one process).
  Ready = the fake Slack has accepted the bot's WebSocket connection.
- `http`: `vpe-bot run` without an app token (gunicorn: a master and one worker, which also
  runs the scheduler). Ready = GET /healthz answers 200.
- `serve`: `vpe-bot serve` as the Procfile's `web:` line runs it, on PostgreSQL (a throw-away
  database), so with the default WEB_CONCURRENCY workers. Ready = /healthz answers 200.
`socket` and `http` use the README's default database, a SQLite file, migrated once before
the first start (as after the first `make run`), so start-up times are for a normal restart.

Start-up = from spawning the process to ready. Idle memory = after `--idle` seconds of
doing nothing once ready: the RSS of every process of the tree (master + workers) added up,
which counts pages shared between the gunicorn master and its forked workers more than
once; PSS (shares split between processes) is printed beside it. Medians over `--starts`.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.storage.db import migrate  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402
from tests.support.botproc import APP_TOKEN, BOT_TOKEN, bot_environment, free_port  # noqa: E402
from tests.support.databases import fresh_database  # noqa: E402

try:
    import psutil  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - the bench falls back on /proc
    psutil = None

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TEAM = "T0TEST"
MODES = ("socket", "http", "serve")
TARGET_MB = 150.0
# Libraries the bot imports at start-up, biggest suspects first, for --breakdown.
LIBRARIES = (
    "sqlalchemy",
    "sqlalchemy.orm",
    "alembic",
    "psycopg",
    "slack_sdk",
    "slack_bolt",
    "apscheduler",
    "gunicorn.app.base",
    "cryptography.fernet",
    "dotenv",
    "tomllib",
    "websocket",  # websocket-client, where installed (Socket Mode's other client)
)


@dataclass
class Sample:
    mode: str
    startup_s: float
    rss_mb: float
    pss_mb: float | None
    processes: int
    each_mb: list[float]


def vpe_bot_command() -> list[str]:
    script = Path(sys.executable).parent / "vpe-bot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            return [pid, *(child.pid for child in root.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def memory(pid: int) -> tuple[float, float | None, list[float]]:
    """(RSS MB, PSS MB or None, RSS MB of each process) over the tree of `pid`."""
    mb = 1024 * 1024
    pss = 0.0
    per_process: list[float] = []
    for each in tree(pid):
        if psutil is not None:
            try:
                info = psutil.Process(each).memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            per_process.append(info.rss / mb)
            pss += info.pss / mb
        else:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    per_process.append(int(line.split()[1]) / 1024)
    return sum(per_process), (pss if psutil is not None else None), per_process


def healthy(port: int) -> bool:
    try:
        connection = HTTPConnection("127.0.0.1", port, timeout=1)
        connection.request("GET", "/healthz")
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except OSError:
        return False


@contextmanager
def running(
    args: list[str], env: dict[str, str], workdir: Path
) -> Iterator[subprocess.Popen[bytes]]:
    log = (workdir / f"bot-{time.monotonic_ns()}.log").open("wb")
    process = subprocess.Popen(args, env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(25)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        log.close()


def one_start(
    mode: str, fake: FakeSlack, env: dict[str, str], workdir: Path, idle: float
) -> Sample:
    port = free_port()
    env = env | {"PORT": str(port)}
    args = [*vpe_bot_command(), "serve" if mode == "serve" else "run"]
    if mode == "serve":
        args += ["--host", "127.0.0.1", "--port", str(port)]
    connections = fake.socket_connection_count
    started = time.perf_counter()
    with running(args, env, workdir) as process:
        deadline = started + 60
        while True:
            if process.poll() is not None:
                logs = sorted(workdir.glob("bot-*.log"))[-1].read_text()
                raise SystemExit(f"{mode}: the bot exited with {process.returncode}:\n{logs}")
            if time.perf_counter() > deadline:
                raise SystemExit(f"{mode}: not ready after 60 s")
            if mode == "socket":
                ready = fake.socket_connection_count > connections
            else:
                ready = healthy(port)
            if ready:
                break
            time.sleep(0.01)
        startup = time.perf_counter() - started
        time.sleep(idle)
        rss, pss, each = memory(process.pid)
    return Sample(mode, startup, rss, pss, len(each), each)


def environments(
    fake: FakeSlack, workdir: Path, stack: ExitStack, modes: list[str]
) -> dict[str, dict[str, str]]:
    sqlite = f"sqlite:///{workdir / 'vpe-bot.db'}"
    migrate(sqlite)
    envs = {
        "socket": bot_environment(fake.api_url, sqlite, SLACK_APP_TOKEN=APP_TOKEN),
        "http": bot_environment(fake.api_url, sqlite),
    }
    if "serve" in modes:
        os.environ.setdefault("TEST_DATABASE_URL", DEFAULT_DATABASE)
        database = stack.enter_context(fresh_database("postgresql", workdir))
        migrate(database)
        envs["serve"] = bot_environment(fake.api_url, database)
    for env in envs.values():
        env["LOG_LEVEL"] = "INFO"
    return envs


def breakdown() -> list[tuple[str, float]]:
    """RSS added by importing each library, then the bot's own start-up modules, in order,
    in one fresh interpreter (each figure is what that import adds on top of the previous)."""
    steps = [*LIBRARIES, "bot.runtime.processes", "bot.bootstrap"]
    code = (
        "import importlib, sys\n"
        "def rss():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmRSS:'): return int(line.split()[1]) / 1024\n"
        "print('python', rss())\n"
        f"for name in {steps!r}:\n"
        "    before = rss()\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ModuleNotFoundError:\n"
        "        print(name, 'not installed'); continue\n"
        "    print(name, rss() - before)\n"
        "from bot.core.config import load_settings\n"
        "from bot.bootstrap import build_deps\n"
        "from pathlib import Path\n"
        "import tempfile\n"
        "d = tempfile.mkdtemp()\n"
        "from bot.storage.db import migrate\n"
        "url = f'sqlite:///{d}/x.db'\n"
        "migrate(url)\n"
        "before = rss()\n"
        "settings = load_settings({'DATABASE_URL': url}, env_file=Path('/nonexistent'))\n"
        "build_deps(settings)\n"
        "print('build_deps (knowledge base, matcher, catalog)', rss() - before)\n"
        "heavy = [m for m in ('matplotlib', 'numpy', 'PIL', 'pandas') if m in sys.modules]\n"
        "print('heavy modules loaded:', heavy or 'none')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    rows = []
    for line in out.splitlines():
        name, _, value = line.rpartition(" ")
        try:
            rows.append((name, float(value)))
        except ValueError:
            rows.append((line, float("nan")))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--idle", type=float, default=20.0, help="seconds idle before measuring")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--breakdown", action="store_true")
    args = parser.parse_args()
    modes = [m for m in args.modes.split(",") if m]
    if psutil is None:
        print("psutil not installed: RSS from /proc, no PSS", file=sys.stderr)

    samples: list[Sample] = []
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mem-bench-")))
        fake = FakeSlack().start()
        stack.callback(fake.stop)
        fake.add_team(
            TEAM, "Acme", "acme", BOT_TOKEN, "UBOT", "B0BOT", "A0VPEBOT", app_token=APP_TOKEN
        )
        envs = environments(fake, workdir, stack, modes)
        # Interleave the modes start after start, so that machine noise spreads over all.
        for _ in range(args.starts):
            for mode in modes:
                sample = one_start(mode, fake, envs[mode], workdir, args.idle)
                pss = f"{sample.pss_mb:.0f}" if sample.pss_mb is not None else "-"
                print(
                    f"{mode:6s} ready in {sample.startup_s:.2f} s, idle RSS {sample.rss_mb:.0f} MB"
                    f" (PSS {pss} MB) over {sample.processes} process(es): "
                    + " + ".join(f"{each:.0f}" for each in sample.each_mb),
                    flush=True,
                )
                samples.append(sample)

    print(
        f"\nMedians over {args.starts} starts, {args.idle:g} s idle (target: RSS < {TARGET_MB:g} MB"
        " for `vpe-bot run`):\n"
    )
    print("| mode | processes | start-up to ready (s) | idle RSS, sum (MB) | idle PSS, sum (MB) |")
    print("|---|---|---|---|---|")
    labels = {
        "socket": "`vpe-bot run`, Socket Mode (SQLite)",
        "http": "`vpe-bot run`, HTTP (SQLite: gunicorn master + 1 worker)",
        "serve": "`vpe-bot serve` (PostgreSQL: master + WEB_CONCURRENCY workers)",
    }
    for mode in modes:
        mine = [s for s in samples if s.mode == mode]
        pss_values = [s.pss_mb for s in mine if s.pss_mb is not None]
        pss = f"{statistics.median(pss_values):.0f}" if pss_values else "-"
        print(
            f"| {labels[mode]} | {mine[0].processes} | "
            f"{statistics.median(s.startup_s for s in mine):.2f} | "
            f"{statistics.median(s.rss_mb for s in mine):.0f} | {pss} |"
        )
    if args.breakdown:
        print("\nWhat imports cost (RSS added, MB, one fresh interpreter, in this order):\n")
        for name, value in breakdown():
            print(f"  {name:45s} {value:7.1f}" if value == value else f"  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
