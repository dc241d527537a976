# The README's two commands: `make sync` (a real sync end to end) and `make test` (every test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CONFIG ?=

.PHONY: sync test unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.dev: setup.py $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(VENV)/.quickstart: setup.py $(VENV)/.dev
	$(BIN)/pip install --quiet -e '.[dev,quickstart]'
	touch $@

# Against the bundled Gong emulator, or against Gong with CONFIG=path/to/config.json.
sync: $(VENV)/.quickstart
	$(BIN)/python scripts/quickstart.py $(if $(CONFIG),--config $(CONFIG))

test: $(VENV)/.dev
	$(BIN)/python -m pytest unit_tests integration_tests -q -m "not image_tests"

unit: $(VENV)/.dev
	$(BIN)/python -m pytest unit_tests -q

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) quickstart-output
