# Convene — the two commands a new user runs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint typecheck check-migrations install install-dev bench-registration bench-registration-cpu bench-reminders bench-export clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Convene needs Python 3.11 or newer (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed-runtime: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet ".[dev]"
	@touch $@ $(VENV)/.installed-runtime

install: $(VENV)/.installed-runtime
install-dev: $(VENV)/.installed-dev

run: install
	@mkdir -p var/mail var/celery/broker var/celery/processed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	PORT=$(PORT) bin/run-dev

test: install-dev lint typecheck check-migrations
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install-dev
	$(VENV)/bin/mypy .

check-migrations: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

bench-registration: install-dev
	$(PY) -m bench.registration $(BENCH_ARGS)

bench-registration-cpu: install-dev
	$(PY) -m bench.registration_cpu $(BENCH_ARGS)

bench-reminders: install-dev
	$(PY) bench/reminders.py $(BENCH_ARGS)

bench-export: install-dev
	$(PY) bench/export.py $(BENCH_ARGS)

clean:
	rm -rf var/ staticfiles/ .pytest_cache .mypy_cache .ruff_cache
