# Two commands: `make run` and `make test`. Everything else is set up from the lock file.
SHELL := /bin/bash
PYTHON ?= python3
UV_DIR := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(UV_DIR)/bin/uv)
VENV := .venv
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test env lint bench loadtest clean

$(UV_DIR)/bin/uv:
	$(PYTHON) -m venv $(UV_DIR)
	$(UV_DIR)/bin/pip install --quiet "uv>=0.4"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --all-extras --python $(PYTHON)
	@touch $@

env: $(VENV)/.synced

# The main job: fill the embedded database if it is empty, print the summary, then serve the map
# (Ctrl-C stops it). PORT=8001 make run picks another port.
PORT ?= 8000
run: env
	$(VENV)/bin/dealweb run
	$(VENV)/bin/dealweb serve --port $(PORT)

test: env
	$(VENV)/bin/pytest -q

bench: env
	$(VENV)/bin/python -m dealweb.bench $(BENCH_ARGS)

# The API's latency and a bounded load test (benchmarks/loadtest.py --help for its options).
loadtest: env
	$(VENV)/bin/python benchmarks/loadtest.py $(LOADTEST_ARGS)

lint: env
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) $(UV_DIR) .pytest_cache .mypy_cache .ruff_cache
