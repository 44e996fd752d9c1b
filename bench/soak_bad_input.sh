#!/usr/bin/env bash
# The long bad-input soak: the generated cases of tests/reliability/test_bad_input.py with
# fresh random seeds and SCALE times as many examples (default 3), on SQLite and, when
# TEST_DATABASE_URL is set, PostgreSQL. Run by hand; `make test` runs the fixed-seed share.
#   bench/soak_bad_input.sh [SCALE]
set -euo pipefail
cd "$(dirname "$0")/.."
RELIABILITY_RANDOM=1 RELIABILITY_SCALE="${1:-3}" exec .venv/bin/pytest -q tests/reliability/test_bad_input.py
