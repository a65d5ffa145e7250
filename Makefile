# The two commands a newcomer needs: `make run` and `make test`.
# `make run` installs only what the app needs (requirements.txt); `make test` and `make lint` add the
# test and development tools (requirements-dev.txt) to the same .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app planner

.PHONY: run test lint format venv translations initial-migration clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-app: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed-app

run: $(VENV)/.installed-app
	$(FLASK) init-db
	$(FLASK) catalog load
	$(FLASK) templates load
	$(FLASK) serve

# Two pytest-xdist workers, whole files each (--dist loadfile: a file's module-scoped app, browser or
# database is made once), so the suite fits CI's 2 cores; `make test WORKERS=0` runs it in one process.
# --no-loadscope-reorder: files go out in collection order, longest first (tests/conftest.py LONGEST_FILES).
WORKERS ?= 2
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile --no-loadscope-reorder

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .

# After changing a patient-facing message: extract them all into translations/messages.pot, merge
# that into each language's messages.po (new ones arrive untranslated), compile each .mo.
translations: $(VENV)/.installed-app
	$(BIN)/python -m planner.messages

# Regenerate the single initial migration from the models (only before the first release).
initial-migration: $(VENV)/.installed-app
	rm -f migrations/versions/0001_initial.py /tmp/planner-migration.sqlite3
	$(BIN)/alembic -x url=sqlite:////tmp/planner-migration.sqlite3 -c alembic.ini \
		revision --autogenerate -m initial --rev-id 0001
	rm -f /tmp/planner-migration.sqlite3
	@echo "check migrations/versions/0001_initial.py"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
