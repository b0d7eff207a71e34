# Two commands: `make run` (the site on SQLite with demo data) and `make test` (the whole suite).
.DEFAULT_GOAL := help
SHELL := /bin/bash

# The first Python >= 3.12 found: on PATH, or under pyenv (yours, or a shared /opt/pyenv)
# when its shims are not activated. Override with `make install PYTHON=/path/to/python3`.
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 /opt/pyenv/versions/3.1[2-9]*/bin/python3; do \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v "$$p"; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
PORT ?= 8000

.PHONY: help run test install lock lint format migrate demo worker beat clean messages

help:
	@echo "make run   - install, migrate SQLite, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test  - install test dependencies, lint, checks, the whole test suite"
	@echo "make install - production: install locked dependencies only (no demo data)"

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.12 on PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Exact versions from the lock files, so a new release upstream cannot break a build;
# `make lock` re-resolves them from pyproject.toml's ranges (then run `make test`).
$(VENV)/.installed: requirements.lock | $(PY)
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

$(VENV)/.installed-test: requirements-test.lock | $(PY)
	$(PY) -m pip install --quiet -r requirements-test.lock
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
	@if [ -f .env ]; then echo "Installed. Upgrading? Then migrate, collectstatic and restart:"; \
	  echo "README, 'Production on one server', Upgrades."; \
	else echo "Installed (no demo data). Next: configure .env, then migrate, collectstatic and"; \
	  echo "create_organiser: README, 'Production on one server', steps 4-7."; fi

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet .
	{ echo "# Exact versions of every runtime dependency (make install). Regenerate: make lock."; \
	  .lock-venv/bin/pip freeze --exclude coffee-trials; } > requirements.lock
	.lock-venv/bin/pip install --quiet ".[test]"
	{ echo "# Runtime and test dependencies, exact (make test). Regenerate: make lock."; \
	  .lock-venv/bin/pip freeze --exclude coffee-trials; } > requirements-test.lock
	rm -rf .lock-venv

# Links in the demo's emails follow the port (`make run PORT=8001`), unless SITE_URL is set.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# After editing locale/en_GB/LC_MESSAGES/django.po (needs GNU gettext); commit both files.
messages:
	msgfmt --check -o locale/en_GB/LC_MESSAGES/django.mo locale/en_GB/LC_MESSAGES/django.po

# Production-like background processes (need REDIS_URL): one worker, exactly one beat.
worker: $(VENV)/.installed
	$(VENV)/bin/celery -A config worker --loglevel=info

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A config beat --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
