# Atelier des territoires — commandes de développement.
# `make` (ou `make help`) liste les cibles disponibles. Nécessite GNU make >= 4.

PYTHON ?= python3
VENV ?= .venv
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core; PYTEST_WORKERS=0 runs in this process. The
# default distribution (tests handed out in collection order) keeps pytest-django's order in
# each worker: transactional tests, which flush the reference data, come last.
PYTEST_WORKERS ?= 2
UV_ARGS ?=
ADDR ?= 127.0.0.1:8000

VENV_PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(VENV_PYTHON) manage.py
RUFF := $(VENV)/bin/ruff
CHROMIUM := /usr/bin/chromium

.DEFAULT_GOAL := help
.PHONY: help venv .venv system-deps run test lint format clean lock

help: ## Affiche cette aide
	@echo "Atelier des territoires — cibles disponibles :"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_.-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo ""
	@echo "Variables : PYTHON=$(PYTHON)  PYTEST_ARGS=\"$(PYTEST_ARGS)\"  PYTEST_WORKERS=$(PYTEST_WORKERS)  ADDR=$(ADDR)"

# --- Environnement virtuel -------------------------------------------------------------
# L'environnement n'est (ré)installé que si requirements-dev.lock ou pyproject.toml ont
# changé depuis la dernière installation (fichier témoin $(STAMP)).

.venv: $(STAMP) ## Crée .venv et installe les dépendances (seulement si le lock a changé)

venv: .venv

$(VENV_PYTHON):
	@$(PYTHON) scripts/check_system_deps.py --python-only
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements-dev.lock pyproject.toml | $(VENV_PYTHON)
	$(VENV_PYTHON) -m pip install --upgrade pip
	$(VENV_PYTHON) -m pip install -r requirements-dev.lock
	$(VENV_PYTHON) -m pip install --no-deps -e .
	@touch $@

system-deps: | $(VENV_PYTHON) ## Vérifie Python, les bibliothèques de WeasyPrint (Pango) et les polices
	@$(VENV_PYTHON) scripts/check_system_deps.py

# --- Développement ---------------------------------------------------------------------

# Every step of `make run` builds its links (e-mails, PDF, exports, API, the Site record) on
# the address it serves: ATELIER_SITE_URL, http://$(ADDR) unless given.
run: export ATELIER_SITE_URL := $(or $(ATELIER_SITE_URL),http://$(ADDR))
run: $(STAMP) system-deps ## Migre, charge les données de référence et de démo, lance le serveur
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference
	$(MANAGE) seed_demo
	@echo ""
	@echo "Atelier est disponible sur http://$(ADDR)/ (Ctrl+C pour arrêter)"
	@echo ""
	$(MANAGE) runserver $(ADDR)

test: $(STAMP) system-deps ## Lance la suite de tests (options pytest via PYTEST_ARGS="...")
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Attention : $(CHROMIUM) est absent ; les tests navigateur (marqueur e2e) ont besoin"; \
		echo "du Chromium de Debian : sudo apt-get install -y chromium"; \
		echo "(ils seront ignorés, ou en échec si ATELIER_REQUIRE_BROWSER=1)."; \
	fi
	$(VENV_PYTHON) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP) ## Vérifie le style (ruff), le sens des imports entre applications et les migrations
	$(RUFF) check .
	$(RUFF) format --check .
	$(VENV)/bin/lint-imports
	$(MANAGE) makemigrations --check --dry-run

format: $(STAMP) ## Reformate le code et applique les corrections automatiques de ruff
	$(RUFF) format .
	$(RUFF) check --fix .

clean: ## Supprime .venv, la base SQLite locale et les fichiers téléversés (media/)
	rm -rf $(VENV) media/
	rm -f db.sqlite3 db.sqlite3-journal db.sqlite3-wal db.sqlite3-shm

# --- Dépendances -----------------------------------------------------------------------

lock: | $(VENV_PYTHON) ## Régénère requirements.lock et requirements-dev.lock avec uv
	$(VENV_PYTHON) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml -o requirements.lock --python-version 3.11 $(UV_ARGS)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev -o requirements-dev.lock --python-version 3.11 $(UV_ARGS)
