# The two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format bench bench-mixed bench-writecost bench-writecpu clean-var

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@ $(VENV)/.installed-run

# Web, Celery worker and beat together. DEBUG is on unless you say otherwise.
run: export DEBUG ?= 1
run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runall

# The tests run in TEST_WORKERS processes (pytest-xdist), each test file wholly in one of
# them so that a module's fixtures are built once; TEST_WORKERS=0 runs them in this one.
TEST_WORKERS ?= 2
TEST_DIST ?= loadfile
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist $(TEST_DIST) $(PYTEST_ARGS)

# The load benchmark (issue 11): needs wrk (apt-get install wrk) and two PostgreSQL
# databases, one filled with `manage.py seed_scale`. See docs/performance.md.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/pp_scale
BENCH_DEMO_DB ?= postgres://postgres@127.0.0.1:5432/pp_scale_demo
BENCH_REDIS ?= redis://127.0.0.1:6379/10
bench: $(VENV)/.installed-run
	$(BIN)/python bench/run.py --database-url $(BENCH_DB) --demo-database-url $(BENCH_DEMO_DB) --redis-url $(BENCH_REDIS)

# The same pages read while signed-in people RSVP and sign at 0, 10 and 50 POSTs a second
# (issue 22), on the national database ($(BENCH_DB)). See docs/performance.md.
bench-mixed: $(VENV)/.installed-run
	$(BIN)/python bench/run.py --mixed --database-url $(BENCH_DB) --redis-url $(BENCH_REDIS)

# What those writes cost, counted (queries, Python calls, Redis round trips, the pages each
# makes stale) rather than timed: comparable on a busy machine. It writes a few RSVPs and
# signatures to $(BENCH_DB).
bench-writecost: $(VENV)/.installed-run
	DATABASE_URL=$(BENCH_DB) REDIS_URL=$(BENCH_REDIS) DEV_TOOLS=1 $(BIN)/python bench/writecost.py

# The CPU a browser's write costs gunicorn and PostgreSQL (GET then POST, as the mixed
# benchmark's writer), counted from /proc: comparable on a busy machine.
bench-writecpu: $(VENV)/.installed-run
	$(BIN)/python bench/writecpu.py --database-url $(BENCH_DB) --redis-url $(BENCH_REDIS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/bandit -q -c pyproject.toml -r portal groups partners campaigns resources cases events conversations resolutions guests front review api bench

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
