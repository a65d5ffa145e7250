# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app planner

.PHONY: run test lint format initial-migration clean

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

venv: $(BIN)/activate

run: $(BIN)/activate
	$(FLASK) init-db
	$(FLASK) catalog load
	$(FLASK) templates load
	$(FLASK) serve

test: $(BIN)/activate
	$(BIN)/python -m pytest

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/activate
	$(BIN)/ruff format .

# Regenerate the single initial migration from the models (only before the first release).
initial-migration: $(BIN)/activate
	rm -f migrations/versions/0001_initial.py /tmp/planner-migration.sqlite3
	$(BIN)/alembic -x url=sqlite:////tmp/planner-migration.sqlite3 -c alembic.ini \
		revision --autogenerate -m initial --rev-id 0001
	rm -f /tmp/planner-migration.sqlite3
	@echo "check migrations/versions/0001_initial.py"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
