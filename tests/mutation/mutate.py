"""`make mutate`: mutation testing of the modules a verdict or a figure rests on.

Runs mutmut (configured in pyproject.toml, [tool.mutmut]) one module at a time, then writes
a summary per module to mutants/summary.md: every change mutmut made, how many the tests
caught, how many survive, and the score counting only the changes not listed as equivalent
in tests/mutation/equivalent.txt. Not part of `make test`: run by hand (docs/testing.md).

    python tests/mutation/mutate.py [--children N] [--summary-only] [MODULE ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants"
EQUIVALENT = Path(__file__).with_name("equivalent.txt")
TARGET = 95.0  # percent, per module, equivalents left out

# Module name -> the source files it covers (each a mutmut module, mutants named after it).
MODULES: dict[str, tuple[str, ...]] = {
    "signals": ("bot/signals/assess.py", "bot/signals/rules.py"),
    "results": ("bot/pulses/results.py", "bot/pulses/reporting.py"),
    "lifecycle": ("bot/pulses/lifecycle.py",),
    "slot_claims": ("bot/storage/slot_claims.py",),
}

# mutmut's exit codes (mutmut.stats.status_by_exit_code), grouped as the summary counts them.
CAUGHT = {1, 3, 36, 37, 24, -24, 152, 255}  # failed, errored, timed out, rejected by types
SURVIVED = {0}
NO_TESTS = {5, 33}


def mutant_prefix(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".") + "."


def load_equivalent(path: Path = EQUIVALENT) -> dict[str, str]:
    """Mutant name -> why it cannot change behaviour, from `name  # why` lines."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, why = line.partition("#")
        if name.strip() and not line.lstrip().startswith("#"):
            found[name.strip()] = why.strip()
    return found


def exit_codes(path: str) -> dict[str, int | None]:
    meta = MUTANTS / f"{path}.meta"
    if not meta.exists():
        return {}
    return dict(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])


@dataclass(frozen=True)
class Score:
    module: str
    total: int
    caught: int
    survived: tuple[str, ...]  # not listed as equivalent
    equivalent: int
    no_tests: tuple[str, ...]
    other: int  # not checked, suspicious, segfault

    @property
    def counted(self) -> int:
        return self.total - self.equivalent

    @property
    def percent(self) -> float:
        return 100.0 * self.caught / self.counted if self.counted else 100.0


def score(module: str, equivalent: dict[str, str]) -> Score:
    codes: dict[str, int | None] = {}
    for path in MODULES[module]:
        codes.update(exit_codes(path))
    kinds: Counter[str] = Counter()
    survived, no_tests = [], []
    for name, code in sorted(codes.items()):
        if code in CAUGHT:
            kinds["caught"] += 1
        elif code in SURVIVED and name in equivalent:
            kinds["equivalent"] += 1
        elif code in SURVIVED:
            survived.append(name)
        elif code in NO_TESTS:
            no_tests.append(name)
        else:
            kinds["other"] += 1
    return Score(
        module,
        len(codes),
        kinds["caught"],
        tuple(survived),
        kinds["equivalent"],
        tuple(no_tests),
        kinds["other"],
    )


def stale_equivalents(equivalent: dict[str, str], modules: list[str]) -> list[str]:
    """Listed names of these modules that are not (or no longer) surviving mutants: the list
    must be kept true. Other modules' names are not judged (their mutants did not run)."""
    codes: dict[str, int | None] = {}
    prefixes: list[str] = []
    for module in modules:
        for path in MODULES[module]:
            codes.update(exit_codes(path))
            prefixes.append(mutant_prefix(path))
    listed = [name for name in equivalent if name.startswith(tuple(prefixes))]
    return [name for name in listed if codes and codes.get(name, -1) not in SURVIVED]


def summary(scores: list[Score], equivalent: dict[str, str]) -> str:
    lines = [
        "# Mutation testing summary",
        "",
        "| module | mutants | caught | equivalent | survived | no test | not run | score |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        lines.append(
            f"| {s.module} | {s.total} | {s.caught} | {s.equivalent} | {len(s.survived)} "
            f"| {len(s.no_tests)} | {s.other} | {s.percent:.1f}% |"
        )
    for s in scores:
        gaps = [*s.survived, *(f"{name} (no test reaches it)" for name in s.no_tests)]
        if gaps:
            lines += ["", f"## {s.module}: not caught", "", *(f"- {name}" for name in gaps)]
    stale = stale_equivalents(equivalent, [s.module for s in scores])
    if stale:
        lines += ["", "## equivalent.txt names mutants that no longer survive", ""]
        lines += [f"- {name}" for name in stale]
    return "\n".join(lines) + "\n"


def run(module: str, children: int) -> None:
    """One module's mutants, with fresh test statistics (tests may have changed)."""
    (MUTANTS / "mutmut-stats.json").unlink(missing_ok=True)
    patterns = [mutant_prefix(path) + "*" for path in MODULES[module]]
    command = [
        str(Path(sys.executable).with_name("mutmut")),
        "run",
        "--max-children",
        str(children),
        *patterns,
    ]
    print(f"== {module}: {' '.join(patterns)}", flush=True)
    subprocess.run(command, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument("--children", type=int, default=1, help="mutmut --max-children")
    parser.add_argument("--summary-only", action="store_true")
    args = parser.parse_args(argv)
    unknown = set(args.modules) - set(MODULES)
    if unknown:
        parser.error(f"unknown module: {', '.join(sorted(unknown))}")
    modules = list(args.modules) or list(MODULES)
    if not args.summary_only:
        for module in modules:
            run(module, args.children)
    equivalent = load_equivalent()
    # Only the modules asked for: mutmut lists every file's mutants, run or not.
    scores = [score(module, equivalent) for module in modules]
    text = summary([s for s in scores if s.total], equivalent)
    MUTANTS.mkdir(exist_ok=True)
    (MUTANTS / "summary.md").write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(s.percent >= TARGET for s in scores if s.total) else 1


if __name__ == "__main__":
    sys.exit(main())
