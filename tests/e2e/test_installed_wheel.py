"""The product as a user installs it: the wheel, in a fresh virtual environment, far from the
checkout. Its content (copy, knowledge, questions) must travel inside the wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `bin` folder of a new virtual environment holding the built wheel, not editable."""
    place = tmp_path_factory.mktemp("installed")
    wheels = place / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, ROOT],
        check=True,
        cwd=place,
        timeout=600,
    )
    (wheel,) = wheels.glob("vpe_bot-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "bot/content/knowledge.toml" in names
    assert "bot/storage/migrations/versions/0001_foundation.py" in names
    venv = place / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=120)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel]
    subprocess.run(pip, check=True, cwd=place, timeout=900)
    return venv / "bin"


def clean_env(home: Path) -> dict[str, str]:
    """No checkout on the path, no settings from this test run."""
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    env = {key: value for key, value in os.environ.items() if key in keep}
    return env | {"HOME": str(home)}


def test_the_package_comes_from_the_wheel_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [installed / "python", "-c", "import bot, bot.core.content as c; print(bot.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(tmp_path),
        check=True,
    ).stdout
    assert "site-packages" in where
    assert str(ROOT) not in where


@pytest.mark.parametrize(
    ("question", "topic", "words"),
    [
        ("who owns delivery?", "delivery", "Delivery belongs to the VP Engineering"),
        ("qui porte la vision technique ?", "tech_vision", "revient au CTO"),
    ],
)
def test_ask_answers_in_both_languages(
    installed: Path, tmp_path: Path, question: str, topic: str, words: str
) -> None:
    done = subprocess.run(
        [installed / "vpe-bot", "ask", question, "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(tmp_path),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["topic"] == topic
    assert words in answer["text"]


def test_the_playground_starts_and_answers_its_health_check(
    installed: Path, tmp_path: Path
) -> None:
    process = subprocess.Popen(
        [installed / "vpe-bot", "playground", "--port", "0", "--dir", tmp_path / "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=clean_env(tmp_path),
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # "vpe-bot playground: http://127.0.0.1:PORT  (…)"
        assert "http://127.0.0.1:" in first, process.stderr.read() if process.stderr else ""
        url = first.split()[2]
        deadline, report = time.monotonic() + 60, {}
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                report = json.loads(response.read())
            if report.get("status") == "ok":
                break
            time.sleep(0.2)
        assert report["database"] == "ok"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert "vpe-bot" in response.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=30)
