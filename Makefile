# Townsquare: `make demo` to see it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
TS := $(BIN)/townsquare
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_SQLITE_ARGS ?=

.PHONY: demo test lint typecheck test-sqlite test-postgres bench bench-pipeline bench-queues evaluate train clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

demo: $(VENV)/.installed
	mkdir -p var
	$(TS) migrate --no-input -v 0
	$(TS) collectstatic --no-input -v 0
	$(TS) demo_seed
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(TS) serve

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench scripts conftest.py
	$(BIN)/ruff format --check src tests bench scripts conftest.py

typecheck: $(VENV)/.installed
	$(BIN)/mypy src tests bench scripts conftest.py

test-sqlite: $(VENV)/.installed
	mkdir -p var
	$(BIN)/pytest -q $(PYTEST_SQLITE_ARGS)

test-postgres: $(VENV)/.installed
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

bench-pipeline: $(VENV)/.installed
	$(BIN)/python bench/pipeline.py

# Queue pages of the moderator's desk with 100,000 comments; writes reports/bench_queues.md.
bench-queues: $(VENV)/.installed
	$(BIN)/python bench/queues.py --output reports/bench_queues.md

# Every benchmark: the pipeline, the queue pages, and the side-by-side with Isso and xtd. Reports in reports/.
bench: bench-pipeline bench-queues bench-peers

test: lint typecheck test-sqlite test-postgres

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache

# The scale path's numbers (issue 6). Both need wrk (apt-get install wrk) and run on loopback only.
# bench-peers installs Isso and django-comments-xtd in var/bench/ and writes reports/bench_peers.md.
BENCH_SECONDS ?= 10
BENCH_RUNS ?= 3
SOAK_MINUTES ?= 10

.PHONY: bench-peers soak
bench-peers: $(VENV)/.installed
	$(BIN)/python bench/peers/run.py --seconds $(BENCH_SECONDS) --runs $(BENCH_RUNS)

soak: $(VENV)/.installed
	$(BIN)/python bench/soak.py --minutes $(SOAK_MINUTES)

# The moderation model (issue 4). Both need the train extra (CPU torch, transformers, matplotlib, profanity-check).
# train refits both tiers (the transformer in about 30 minutes on 2 cores) and ships them only if not worse on
# validation data; evaluate writes reports/evaluation.md. make test never trains: it uses the committed artefacts.
$(VENV)/.train-installed: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev,train]'
	touch $@

train: $(VENV)/.train-installed
	$(TS) model train

evaluate: $(VENV)/.train-installed
	$(TS) model evaluate
