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

# pip installs without byte-compiling (it compiles file by file, on one core); compileall then compiles the
# installed packages and Mentora's own modules on every core. The compiled files matter where
# PYTHONDONTWRITEBYTECODE is set (as on CI machines): there Python never saves what it compiles, so every
# process (each test worker, each command a test starts) would compile every module it imports again.
# Left out (a third of the 11,000 files): the packages' own test suites, pandas, pip and setuptools (installed
# with others, never imported by Mentora) and Faker's locales other than English; a module left out is compiled
# when first imported, as usual.
#
# uv (docs.astral.sh/uv), where it is on the PATH, makes the virtual environment and installs into it: the same
# packages at the same versions as pip, without byte-compiling either, in a seventh of the time (5 s against 38 s
# of wall time here, both with their caches warm). .ci/run installs it; without it, Python's venv and pip do.
# `make install UV=` uses pip even where uv is installed.
UV ?= $(shell command -v uv 2>/dev/null)
ifeq ($(strip $(UV)),)
MAKE_VENV := $(PYTHON) -m venv $(VENV) && $(BIN)/pip install --quiet --upgrade pip
PIP_INSTALL := $(BIN)/pip install --quiet --no-compile
else
MAKE_VENV := $(UV) venv --quiet --seed --allow-existing --python $(PYTHON) $(VENV)
PIP_INSTALL := $(UV) pip install --quiet --python $(BIN)/python
endif
NOT_IMPORTED := /(tests|pandas|pip|setuptools)/|/faker/providers/[a-z_]+/(?!en_US/|en/)[a-z]{2,3}(_[A-Za-z]+)?/
COMPILE := $(BIN)/python -m compileall -qq -j 0 -x '$(NOT_IMPORTED)' $(VENV)/lib src
CHECK_PYTHON := $(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Mentora needs Python 3.11 or newer")'

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(CHECK_PYTHON)
	$(MAKE_VENV)
	$(PIP_INSTALL) -e .
	$(COMPILE)
	@touch $@

install-test: $(VENV)/.installed-test

# One pip run for Mentora and the tests' packages (it includes `make install`'s).
$(VENV)/.installed-test: pyproject.toml
	@$(CHECK_PYTHON)
	@[ -x $(BIN)/pip ] || { $(MAKE_VENV); }
	$(PIP_INSTALL) -e '.[test]'
	$(COMPILE)
	@touch $(VENV)/.installed $@

run: install
	$(BIN)/mentora migrate --no-input -v 0
	$(BIN)/mentora createcachetable
	$(BIN)/mentora demo --if-empty
	@echo "Mentora is starting on http://$(HOST):$(PORT)/ with a background worker (Ctrl+C stops both)"
	$(BIN)/mentora serve --host $(HOST) --port $(PORT)

# The suite's processes save what they compile even where PYTHONDONTWRITEBYTECODE is set (as on CI machines):
# pytest rewrites each test module's asserts when it imports it, and keeps the result only where Python may
# write bytecode. Without it every process that collects the suite (each worker of both passes, and the runs
# of pytest the suite's own tests start) rewrites about 230 modules again: 13 s of CPU each instead of 5.
TEST_ENV := PYTHONDONTWRITEBYTECODE=

test: install-test
	$(TEST_ENV) $(BIN)/pytest $(PARALLEL)

# The tests that use the suite's database, on PostgreSQL (those that use none or make their own, and the
# backup round trip through both engines, run in `make test`).
test-postgres: install-test
	$(TEST_ENV) DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mentora} $(BIN)/pytest $(PARALLEL) --database-tests-only

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache
