# Remedy: `make run` to start, `make test` to check. Nothing else is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
WEB_WORKERS ?= 2
# Test processes (pytest-xdist): one per core; each has its own databases and its own cached
# apps. Tests are spread one by one (--dist load): each process builds each cached app once
# either way, and whole files per process (loadfile) left one process alone with the browser
# tests at the end (measured in docs/testing.md). Which tests run on PostgreSQL is decided
# in tests/conftest.py: locally only those marked `postgres`; CI=true or
# REMEDY_TEST_MATRIX=full runs every database test on every backend (docs/testing.md).
TEST_PROCESSES ?= 2
TEST_DIST ?= load
# `make run`: every web process and the worker count their metrics into files here, summed
# by /metrics (prometheus_client's multiprocess mode); emptied at each start, as the library
# requires. Only the run target sets it: tests count in their own process.
METRICS_DIR ?= $(CURDIR)/instance/metrics
# Links printed on the terminal (the first-run set-up) point at this server unless configured.
REMEDY_PUBLIC_URL ?= http://$(HOST):$(PORT)
export REMEDY_PUBLIC_URL

.PHONY: run test lint typecheck pytest translations compile-translations migrate setup-link clean browser-tools docs-sms

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

compile-translations: $(VENV)/.installed
	$(BIN)/pybabel compile --directory translations --statistics

migrate: $(VENV)/.installed compile-translations
	$(FLASK) db upgrade

setup-link: migrate
	@$(FLASK) setup-link

# The outbox worker runs beside the web app; Ctrl-C stops both (the worker finishes the
# message in hand: it ignores the Ctrl-C itself and gets one SIGTERM from the trap).
run: setup-link
	@echo "Remedy on http://$(HOST):$(PORT), with the outbox worker  (Ctrl-C stops both)"
	@rm -rf "$(METRICS_DIR)" && mkdir -p "$(METRICS_DIR)"
	@export PROMETHEUS_MULTIPROC_DIR="$(METRICS_DIR)"; \
	$(FLASK) worker & worker=$$!; \
	stop() { trap - EXIT INT TERM; kill -TERM $$worker 2>/dev/null; wait $$worker; }; \
	trap stop EXIT INT TERM; \
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers $(WEB_WORKERS) \
		'wsgi:app'

# axe-core from the npm registry (pinned in package-lock.json): the browser tests inject it
# to check accessibility. Without npm those checks are skipped, with a notice.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser-tools:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory node_modules/.installed; \
	else echo "npm not found: accessibility checks (axe-core) are skipped; install npm to run them."; fi

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

# Bytecode is cached even where the environment says PYTHONDONTWRITEBYTECODE: each test
# process would otherwise compile the app, its libraries and pytest's rewritten test
# modules again (about 10 s of CPU a process, measured in docs/testing.md).
pytest: $(VENV)/.dev-installed compile-translations browser-tools
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(TEST_PROCESSES) --dist $(TEST_DIST) $(PYTEST_ARGS)

test: lint typecheck pytest

# Extract every translatable string and merge it into each language's catalogue.
translations: $(VENV)/.dev-installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project Remedy --copyright-holder "Remedy contributors" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

# docs/sms.md's transcripts, made again by running a whole case by SMS in each language.
docs-sms: $(VENV)/.dev-installed compile-translations
	REMEDY_WRITE_DOCS=1 $(BIN)/pytest -q -n 0 -p no:cacheprovider tests/sms/test_transcripts.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache node_modules
	find translations -name '*.mo' -delete
