# The README's commands (`make sync`, `make test`) and the maintainer's (CONTRIBUTING.md): every install takes its
# versions from constraints.txt, the lock that `make lock` writes.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CONFIG ?=
LOCK := constraints.txt
# The lock tool's own version: a new uv may resolve the same ranges differently, so it changes on purpose too.
UV_VERSION := 0.13.9
PIP_INSTALL = -m pip install --quiet --disable-pip-version-check -c $(LOCK)
# The timing-sensitive end-to-end tests (rate limits) stay in one process; see CONTRIBUTING.md on pytest-xdist.
TEST_ARGS ?=

# `make compat PY=python3.12`: the unit tests and one end-to-end read on another Python, in .venv-3.12. The
# Dockerfile replay is left to 3.11, the Python of the image's base (about a minute less per Python).
# pyenv's shims refuse a version that is not selected, so the interpreter is also looked up under `pyenv root`.
PY ?= python3.12
PY_VERSION = $(PY:python%=%)
COMPAT_VENV = .venv-$(PY_VERSION)
COMPAT_E2E := integration_tests/test_e2e_read.py::test_read_every_granularity_equals_the_ground_truth[week]

.PHONY: sync test unit slow lint format lock compat cdk-check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.dev: setup.py $(LOCK) $(BIN)/python
	$(BIN)/python $(PIP_INSTALL) -e '.[dev]'
	touch $@

$(VENV)/.quickstart: setup.py $(LOCK) $(VENV)/.dev
	$(BIN)/python $(PIP_INSTALL) -e '.[dev,quickstart]'
	touch $@

# Against the bundled Gong emulator, or against Gong with CONFIG=path/to/config.json.
sync: $(VENV)/.quickstart
	$(BIN)/python scripts/quickstart.py $(if $(CONFIG),--config $(CONFIG))

# Everything: unit (slow ones included), emulator, end-to-end, the CDK's standard suite.
test: $(VENV)/.quickstart
	$(BIN)/python -m pytest unit_tests integration_tests -q -m "not image_tests" $(TEST_ARGS)

# Seconds, not minutes: no fresh virtualenvs, no Dockerfile replay (those are `slow`).
unit: $(VENV)/.dev
	$(BIN)/python -m pytest unit_tests -q -m "not slow" $(TEST_ARGS)

slow: $(VENV)/.dev
	$(BIN)/python -m pytest unit_tests -q -m slow $(TEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-resolves every dependency, dev and quickstart extras included, for Python 3.11 to 3.13 at once (markers where a
# pin differs by Python). It keeps the pins it can (after a range changed in setup.py); `make lock UPGRADE=1` takes
# the newest releases the ranges allow.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'uv==$(UV_VERSION)'
	$(BIN)/uv pip compile setup.py --extra dev --extra quickstart --universal --python-version 3.11 \
		--custom-compile-command "make lock" --quiet $(if $(UPGRADE),--upgrade) --output-file $(LOCK)

$(COMPAT_VENV)/.dev: setup.py $(LOCK)
	py=$$($(PY) -c 'import sys; print(sys.executable)' 2>/dev/null \
		|| ls -d $$(pyenv root 2>/dev/null)/versions/$(PY_VERSION).*/bin/$(PY) 2>/dev/null | sort -V | tail -1); \
	test -n "$$py" || { echo "compat: $(PY) is neither on PATH nor under pyenv"; exit 1; }; \
	$$py -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(COMPAT_VENV)/bin/python $(PIP_INSTALL) -e '.[dev]'
	touch $@

compat: $(COMPAT_VENV)/.dev
	$(COMPAT_VENV)/bin/python -m pytest unit_tests '$(COMPAT_E2E)' -q -m "not image_tests" -k "not replayed"

# The newest airbyte-cdk on PyPI, past setup.py's upper bound, with every other dependency as locked, in a scratch
# virtualenv: the unit and end-to-end suites against it. CONTRIBUTING.md says what to read in its output.
cdk-check: $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'uv==$(UV_VERSION)'
	rm -rf .venv-cdk-check
	$(PYTHON) -m venv .venv-cdk-check
	grep -v '^airbyte-cdk==' $(LOCK) > .venv-cdk-check/constraints-without-cdk.txt
	echo airbyte-cdk | $(BIN)/uv pip compile - --no-deps --no-header --no-annotate --upgrade --quiet \
		> .venv-cdk-check/newest-cdk.txt
	@echo "cdk-check: testing $$(cat .venv-cdk-check/newest-cdk.txt) (the lock holds $$(grep '^airbyte-cdk==' $(LOCK)))"
	$(BIN)/uv pip install --quiet --python .venv-cdk-check/bin/python -c .venv-cdk-check/constraints-without-cdk.txt \
		--override .venv-cdk-check/newest-cdk.txt -e '.[dev]'
	.venv-cdk-check/bin/python -m pytest unit_tests integration_tests -q -m "not image_tests and not slow"
	@echo "cdk-check: passed with $$(.venv-cdk-check/bin/python -m pip show airbyte-cdk | grep '^Version')"

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .venv-3.* .venv-cdk-check quickstart-output
