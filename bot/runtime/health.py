"""/healthz: the database answers or not, and what this process is doing right now."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot import __version__
from bot.storage.db import ping

if TYPE_CHECKING:
    from bot.bootstrap import Deps


@dataclass
class ProcessState:
    scheduler: str = "off"  # off | standby | leader
    socket_mode: str = "off"  # off | connecting | connected | disconnected
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def set(self, **values: str) -> None:
        with self._lock:
            for name, value in values.items():
                setattr(self, name, value)

    def snapshot(self) -> dict[str, str]:
        with self._lock:
            return {"scheduler": self.scheduler, "socket_mode": self.socket_mode}


def health_report(deps: Deps) -> tuple[int, dict[str, Any]]:
    """200 when the database answers, 503 when it does not; plus this process's roles."""
    database_ok = ping(deps.engine)
    body = {
        "status": "ok" if database_ok else "unavailable",
        "database": "ok" if database_ok else "unreachable",
        "version": __version__,
        **deps.process.snapshot(),
    }
    return (200 if database_ok else 503), body
