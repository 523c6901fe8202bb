# Convene — the two commands a new user runs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint typecheck check-migrations messages compile-messages install install-dev bench-registration bench-registration-cpu bench-spike bench-reminders bench-export clean

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

# Translations (docs/i18n.md). `messages` brings every marked string into each
# locale/<code>/LC_MESSAGES/django.po (needs GNU gettext: apt-get install gettext) and
# compiles; `compile-messages` only compiles, in Python. The compiled .mo files are committed.
messages: install-dev
	$(PY) manage.py makemessages --all --no-obsolete --add-location=file \
	  --ignore='tests/*' --ignore='bench/*' --ignore='var/*' --ignore='staticfiles/*' --ignore='htmlcov/*'
	$(PY) bin/compile-messages

compile-messages: install-dev
	$(PY) bin/compile-messages

bench-registration: install-dev
	$(PY) -m bench.registration $(BENCH_ARGS)

bench-registration-cpu: install-dev
	$(PY) -m bench.registration_cpu $(BENCH_ARGS)

bench-spike: install-dev
	$(PY) -m bench.spike $(BENCH_ARGS)

bench-reminders: install-dev
	$(PY) bench/reminders.py $(BENCH_ARGS)

bench-export: install-dev
	$(PY) bench/export.py $(BENCH_ARGS)

clean:
	rm -rf var/ staticfiles/ .pytest_cache .mypy_cache .ruff_cache
