# Two commands set Mentora up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in parallel, one worker per core (pytest-xdist), each worker with its own test
# databases; tests marked xdist_group share a worker. `make test PARALLEL=-n0` runs it in one process.
PARALLEL ?= -n auto --dist loadgroup

.PHONY: install install-test run test test-postgres lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Mentora needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

run: install
	$(BIN)/mentora migrate --no-input -v 0
	$(BIN)/mentora createcachetable
	$(BIN)/mentora demo --if-empty
	@echo "Mentora is starting on http://$(HOST):$(PORT)/ with a background worker (Ctrl+C stops both)"
	$(BIN)/mentora serve --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/pytest $(PARALLEL)

# The tests that use the suite's database, on PostgreSQL (those that use none or make their own run in
# `make test`).
test-postgres: install-test
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mentora} $(BIN)/pytest $(PARALLEL) --database-tests-only

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache
