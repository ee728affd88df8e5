# Remedy: `make run` to start, `make test` to check. Nothing else is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
WEB_WORKERS ?= 2
# Links printed on the terminal (the first-run set-up) point at this server unless configured.
REMEDY_PUBLIC_URL ?= http://$(HOST):$(PORT)
export REMEDY_PUBLIC_URL

.PHONY: run test lint typecheck pytest translations compile-translations migrate setup-link clean

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

run: setup-link
	@echo "Remedy on http://$(HOST):$(PORT)  (Ctrl-C stops it)"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers $(WEB_WORKERS) --access-logfile - \
		--access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms' 'wsgi:app'

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

pytest: $(VENV)/.dev-installed compile-translations
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# Extract every translatable string and merge it into each language's catalogue.
translations: $(VENV)/.dev-installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project Remedy --copyright-holder "Remedy contributors" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	find translations -name '*.mo' -delete
