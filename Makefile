# Two commands on a fresh machine: `make serve` (install + start the API on 127.0.0.1:8000, SQLite + shipped
# lists; `make serve PORT=8080 HOST=0.0.0.0` for another port or address) and `make test` (install dev deps +
# run the whole suite). `make -s path` prints the directory holding `flrisk`: export PATH="$(make -s path):$PATH".
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test lint typecheck architecture check eval bench openapi clean path compile uncompile parity

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# The screening domain compiled with mypyc (hatch_build.py) into the source tree; best effort: without a C
# compiler it stays interpreted. Compiled modules built from older sources are ignored at import.
# Rebuilt only when a source changed (the digest file is written last, after a successful build).
SCREENING_SOURCES := $(filter-out service/screening/__init__.py,$(wildcard service/screening/*.py)) \
	$(wildcard service/screening/*.c)

compile: service/screening/_compiled.txt

service/screening/_compiled.txt: $(SCREENING_SOURCES) hatch_build.py | $(VENV)/.installed
	$(BIN)/pip install --quiet 'mypy>=1.11' 'setuptools>=70'
	$(BIN)/python hatch_build.py

uncompile:
	$(BIN)/python hatch_build.py --clean

serve: $(VENV)/.installed
	-$(MAKE) --no-print-directory compile
	$(BIN)/flrisk serve --host $(HOST) --port $(PORT)

path:
	@echo $(abspath $(BIN))

test: $(VENV)/.dev-installed
	$(BIN)/pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check service tests benchmarks

# mypy over the whole service (strict on the domain, service/screening: see pyproject.toml).
typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy service

# The import-direction, purity, cycle, transaction and tenancy rules (also part of `make test`).
architecture: $(VENV)/.dev-installed
	$(BIN)/pytest -q tests/test_architecture.py

check: lint typecheck architecture test

eval: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.match_quality --check

# Compiled and interpreted matchers give identical per-row results on the evaluation set.
parity: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.parity

bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.match_speed

openapi: $(VENV)/.dev-installed
	$(BIN)/python -m service.openapi_dump openapi/openapi.json

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build
	-python3 hatch_build.py --clean
