"""Where the copy, questions and thresholds live: `content/`, shipped inside the package.

In a checkout `bot/content` links to the top-level `content/` folder; in a wheel the files
are inside the package. Either way the package's resources find them.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def content_dir() -> Path:
    """The folder of content files (a real folder: wheels are installed unzipped)."""
    return Path(str(files("bot").joinpath("content")))


CONTENT_DIR = content_dir()
