# Open Ward: every verb lives here. `make run` serves real London and the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements/dev.lock | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
RUN := DJANGO_SETTINGS_MODULE=openward.settings.run

.PHONY: run dev test install lock migrate demo worker lint bench browser clean

$(STAMP): requirements/dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip uv
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements/dev.lock
	rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

## Serve real London and the demo area at http://127.0.0.1:8000 as production does (gunicorn, DEBUG off, task worker, scheduler).
# set_up: migrate, load_places_pack --commit --unless-loaded, load_demo and collectstatic, in one process.
run: install
	$(RUN) $(PY) manage.py set_up --static
	@echo "Emails are written to var/mail/."
	@$(RUN) HOST=$(HOST) PORT=$(PORT) exec $(PY) manage.py serve

## For people changing the code: Django's development server (DEBUG on, reloads on save), the task worker and the scheduler.
dev: install
	$(PY) manage.py set_up
	@echo "Emails are written to var/mail/."
	@HOST=$(HOST) PORT=$(PORT) exec $(PY) manage.py serve --dev

## Run the whole test suite (SQLite by default; PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set).
test: install browser
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

## Headless Chromium for the browser tests (Debian's package; no test downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium package (sudo apt-get install chromium) for the browser tests."; fi; }

lock:
	$(VENV)/bin/uv pip compile --universal --python-version 3.11 requirements/base.in -o requirements/base.lock
	$(VENV)/bin/uv pip compile --universal --python-version 3.11 requirements/dev.in -o requirements/dev.lock

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

worker: install
	$(PY) manage.py db_worker

## Lint: ruff (check and format), no missing migrations, mypy (django-stubs) on the modules listed in pyproject.toml.
lint: install
	$(VENV)/bin/ruff check openward bench scripts
	$(VENV)/bin/ruff format --check openward bench scripts
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy

## Benchmarks: each prints its figures and a ratio to a baseline measured in the same run.
bench: install
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf var/ .pytest_cache

## Fuzz every API endpoint with schemathesis against a server holding the demo area; any 5xx fails.
fuzz-api: install
	bash scripts/fuzz_api.sh
