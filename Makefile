# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint typecheck pytest mutate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.runtime

# With Slack credentials (.env or environment): the bot. Without any: the playground.
run: $(VENV)/.runtime
	$(BIN)/vpe-bot run --or-playground

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy bot

# pytest exits 5 when it collects no test: make treats any non-zero status as a failure.
pytest: $(VENV)/.dev
	$(BIN)/pytest

test: lint typecheck pytest

# Mutation testing of the verdict, pulse results, pulse lifecycle and slot claims (docs/testing.md).
# Slow and CPU-hungry: run by hand, never part of `make test`. MUTATE_CHILDREN=2 for two workers.
MUTATE_CHILDREN ?= 1
mutate: $(VENV)/.dev
	rm -rf mutants
	$(BIN)/python tests/mutation/mutate.py --children $(MUTATE_CHILDREN) $(MODULES)

clean:
	rm -rf $(VENV) mutants .pytest_cache .mypy_cache .ruff_cache
