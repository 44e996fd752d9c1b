"""`vpe-bot playground`: the stand-in for Slack, the real bot, and the page, in one process."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from types import FrameType

from bot.playground.ui import PlaygroundApp
from bot.playground.world import World, serve

log = logging.getLogger(__name__)


def run_playground(
    directory: Path, port: int, reset: bool = False, ask_vectors: bool | None = None
) -> None:
    """Serve the page on 127.0.0.1:`port` until interrupted (Ctrl-C or SIGTERM); with
    `ask_vectors` (ASK_VECTORS=on), `/vpe ask` has its second opinion."""
    world = World(directory, reset=reset, ask_vectors=ask_vectors)
    try:
        page = serve(PlaygroundApp(world), port)
    except OSError as error:
        world.stop()
        raise SystemExit(
            f"vpe-bot: port {port} is taken ({error}); try --port {port + 1}"
        ) from None
    print(f"vpe-bot playground: http://127.0.0.1:{page.server_address[1]}  (Ctrl-C to stop)")
    print("A demo workspace with eight weeks of history; nothing here talks to Slack.", flush=True)
    stop = threading.Event()

    def handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    stop.wait()
    page.shutdown()
    world.stop()
