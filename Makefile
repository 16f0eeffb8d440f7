# The two commands a new user needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The PostgreSQL server the second test run uses (CI's, and a developer's if running).
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/reviews_toolkit
DEV_ENV := DJANGO_DEBUG=true

.PHONY: loadtest run test install migrate seed serve lint format assets browser-deps lighthouse \
	test-sqlite test-postgres check-migrations

run: install ## install, migrate, load the seed content and serve http://127.0.0.1:8000/
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_seed_content
	$(DEV_ENV) $(BIN)/python manage.py createinitialrevisions --comment "Loaded from the seed content"
	$(DEV_ENV) $(BIN)/python manage.py create_demo_staff
	$(DEV_ENV) $(BIN)/python manage.py generate_demo_data --practice-points 0
	$(DEV_ENV) $(BIN)/python manage.py alerts_jobs recurrence
	@echo "Serving the Learning from Reviews Toolkit at http://127.0.0.1:8000/"
	@echo "(with the background worker for large imports and scheduled jobs; Ctrl-C stops both)"
	$(DEV_ENV) $(BIN)/python manage.py worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install browser-deps lint check-migrations ## the whole suite
	@# The two database runs side by side (one a core; each keeps its own output together).
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,load]'
	touch $(STAMP)

browser-deps: ## Debian's Chromium for the browser tests (Playwright never downloads one)
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Debian's Chromium: sudo apt-get install -y chromium"; exit 1; \
	  fi; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache  # the layers (pyproject.toml [tool.importlinter])

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

test-sqlite: install
	$(DEV_ENV) DATABASE_URL= EXPECT_DB_VENDOR=sqlite $(BIN)/pytest

# In CI (CI=true) the PostgreSQL run always happens and fails if the server is missing.
# Elsewhere it runs when a server answers at $(PG_TEST_URL).
test-postgres: install
	@if [ "$$CI" = "true" ] || $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== PostgreSQL run ($(PG_TEST_URL))"; \
	  $(DEV_ENV) DATABASE_URL=$(PG_TEST_URL) EXPECT_DB_VENDOR=postgresql $(BIN)/pytest -m "not browser"; \
	else \
	  echo "NOTE: no PostgreSQL at $(PG_TEST_URL): the PostgreSQL run was not made here (CI always makes it)."; \
	fi

loadtest: install ## load and fault tests: own PostgreSQL (5544), Redis (6390), 2 gunicorns, 50,000 points
	$(BIN)/python benchmarks/loadtest/run.py

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_seed_content
	$(DEV_ENV) $(BIN)/python manage.py alerts_jobs recurrence

lighthouse: install ## Lighthouse 12 (mobile) on home, finder and a theme page, served as in production
	bash benchmarks/lighthouse/run.sh

assets: ## rebuild static/ from the pinned npm packages (needs Node; running the site does not)
	bash frontend/build.sh
