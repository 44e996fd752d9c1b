"""What this process is doing right now, for /healthz: scheduler role, Socket Mode link."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class RuntimeState:
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
