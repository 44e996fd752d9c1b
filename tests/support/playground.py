"""`vpe-bot playground` as a person starts it, in a process of its own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


class Playground:
    """`vpe-bot playground` as a person starts it, in a process of its own."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "playground", "--port", "0", "--dir", str(directory)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
            cwd=directory,
        )
        self.url = self._wait_for_url()

    def _wait_for_url(self) -> str:
        assert self.process.stdout is not None
        seen: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stdout.readline().decode(errors="replace")
            if not line and self.process.poll() is not None:
                break
            seen.append(line)
            found = re.search(r"http://127\.0\.0\.1:\d+", line)
            if found:
                with urllib.request.urlopen(found.group(0), timeout=10) as page:
                    assert page.status == 200
                return found.group(0)
        self.stop()
        raise AssertionError("the playground did not start:\n" + "".join(seen))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
