# The README's two commands: `make run` and `make test`. Everything else is set-up they need.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PORT ?= 8501
DATABASE := $(or $(TASKFORCE_DB),data/taskforce.duckdb)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test demo chromium bench clean

run: $(VENV)/.runtime-installed
	@test -f "$(DATABASE)" || $(PYTHON) -m taskforce build-demo --db "$(DATABASE)"
	$(VENV)/bin/streamlit run dashboard.py --server.port $(PORT)

test: $(VENV)/.dev-installed chromium
	$(PYTHON) -m pytest

demo: $(VENV)/.runtime-installed
	$(PYTHON) -m taskforce build-demo --db "$(DATABASE)"

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Chromium from Debian's packages for the browser tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

$(PYTHON):
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(PYTHON)
	$(PYTHON) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PYTHON)
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

clean:
	rm -rf $(VENV) .pytest_cache tests/browser/screenshots

bench: $(VENV)/.dev-installed chromium
	$(PYTHON) -m bench.run
