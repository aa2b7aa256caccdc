# Two commands: `make run` and `make test`. Everything else is set up from the lock file.
SHELL := /bin/bash
PYTHON ?= python3
UV_DIR := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(UV_DIR)/bin/uv)
VENV := .venv
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test env test-env lint bench bench-all loadtest clean

$(UV_DIR)/bin/uv:
	$(PYTHON) -m venv $(UV_DIR)
	$(UV_DIR)/bin/pip install --quiet "uv>=0.4"

# Two environments from the same lock file. `env` (for `make run`) holds what the main job needs:
# no dev tools and no optional extras (pdf, postgres, spark, duckdb). `test-env` holds everything:
# every extra and the dev group. The full one contains the light one, so after `make test`,
# `make run` does not shrink it again.
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --python $(PYTHON)
	@rm -f $(VENV)/.synced-all
	@touch $@

$(VENV)/.synced-all: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --all-extras --python $(PYTHON)
	@touch $(VENV)/.synced $@

env: $(VENV)/.synced

test-env: $(VENV)/.synced-all

# The main job: fill the embedded database if it is empty, print the summary, then serve the map
# (Ctrl-C stops it). PORT=8001 make run picks another port.
PORT ?= 8000
run: env
	$(VENV)/bin/dealweb run
	$(VENV)/bin/dealweb serve --port $(PORT)

test: test-env
	$(VENV)/bin/pytest -q

# The performance bars (each ratio against its tight baseline, run side by side), then the
# full table of measures: `make bench-all` (docs/benchmarks.md).
bench: test-env
	$(VENV)/bin/python -m benchmarks.targets $(BENCH_ARGS)

bench-all: test-env
	$(VENV)/bin/python -m benchmarks.bench $(BENCH_ARGS)

# The API's latency and a bounded load test (benchmarks/loadtest.py --help for its options).
loadtest: env
	$(VENV)/bin/python benchmarks/loadtest.py $(LOADTEST_ARGS)

lint: test-env
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) $(UV_DIR) .pytest_cache .mypy_cache .ruff_cache
