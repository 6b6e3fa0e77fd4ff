# One task runner for developers and CI (`bash tests/run.sh` = `make ci`). `make help` lists the targets.
PYTHON ?= python
PYTEST_ARGS ?=

.PHONY: help install install-test browser lint format fast test ci docs sample screenshot bench-quick bench run

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

install:  ## the app's pinned requirements
	$(PYTHON) -m pip install -q -r requirements.txt

install-test:  ## the app's and the test tools' pinned requirements
	$(PYTHON) -m pip install -q -r requirements-dev.txt

browser:  ## Debian's Chromium and fonts for browser tests and chart export (root only)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core fonts-liberation >/dev/null; \
	  else \
	    echo "Browser tests need Debian's Chromium: sudo apt-get install -y chromium fonts-noto-core fonts-liberation" >&2; exit 1; \
	  fi; \
	fi

lint:  ## ruff lint and format check
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

format:  ## ruff fix and format
	$(PYTHON) -m ruff check --fix .
	$(PYTHON) -m ruff format .

fast:  ## every test except the headless-browser ones (no Chromium, no root needed)
	$(PYTHON) -m pytest -m "not browser" $(PYTEST_ARGS)

test: lint  ## lint, then every test including the browser ones
	$(PYTHON) -m pytest $(PYTEST_ARGS)

ci: browser install-test test  ## what CI runs on a fresh machine

docs:  ## regenerate docs/FORMATS.md from the schema
	$(PYTHON) -m analysis.ingest.formats > docs/FORMATS.md

sample:  ## regenerate the illustrative sample spreadsheets (seeded)
	$(PYTHON) data/make_sample.py

screenshot:  ## retake docs/overview.png from the running app on the sample
	UPDATE_SCREENSHOT=1 $(PYTHON) -m pytest tests/browser -k readme_screenshot -q -p no:cacheprovider

bench-quick:  ## a short benchmark run (results in benchmarks/results/)
	$(PYTHON) -m benchmarks.run --quick

bench:  ## the full benchmark run
	$(PYTHON) -m benchmarks.run

run:  ## open the dashboard on the bundled sample
	$(PYTHON) -m streamlit run app.py
