# The README's two commands: `make run` and `make test`. Everything else is set-up they need.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PORT ?= 8501
DATABASE := $(or $(TASKFORCE_DB),data/taskforce.duckdb)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-header \
	--no-emit-index-url --no-emit-find-links

SERVERS ?= 2
SERVE_PORT ?= 8080

.PHONY: run test check format demo private-data chromium nginx serve bench mutants lock clean

# The dashboard (dashboard.py) served through taskforce/ui/server.py, which adds the security headers.
run: $(VENV)/.runtime-installed private-data
	@test -f "$(DATABASE)" || $(PYTHON) -m taskforce build-demo --db "$(DATABASE)"
	$(VENV)/bin/streamlit run taskforce/ui/server.py --server.port $(PORT)

test: check chromium nginx
	$(PYTHON) -m pytest

# The rules that run: the layers (import-linter), lint and format (ruff) and types (pyright; reportOptional* are
# errors). `make format` rewrites what the format check refuses.
check: $(VENV)/.dev-installed
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pyright

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff format .

demo: $(VENV)/.runtime-installed private-data
	$(PYTHON) -m taskforce build-demo --db "$(DATABASE)"

# The default store's folder, data/, made private (0750): the servers and writers refuse a store whose folder
# the group may write or other accounts may list. A store set by TASKFORCE_DB is given its folder by the admin.
private-data:
	@if [ "$(DATABASE)" = data/taskforce.duckdb ]; then chmod g-w,o= data; fi

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Chromium from Debian's packages for the browser tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# nginx, from Debian's packages: the load balancer in front of several servers (deploy/, `make serve`).
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
		echo "Installing nginx from Debian's packages for the load balancer and its tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx; }

# SERVERS dashboard servers behind nginx on SERVE_PORT, on the same published snapshots (deploy/serve.py).
serve: $(VENV)/.runtime-installed nginx private-data
	@test -f "$(DATABASE)" || $(PYTHON) -m taskforce build-demo --db "$(DATABASE)"
	$(PYTHON) -m deploy.serve --servers $(SERVERS) --port $(SERVE_PORT)

$(PYTHON):
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip

# Installed from the locks: every package, direct or not, pinned with its hashes.
$(VENV)/.runtime-installed: requirements.lock | $(PYTHON)
	$(PYTHON) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev-installed: requirements.lock requirements-dev.lock | $(PYTHON)
	$(PYTHON) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.runtime-installed

# Remake the locks after a change to requirements.txt or requirements-dev.txt.
lock: $(VENV)/.dev-installed
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file requirements-dev.lock requirements-dev.txt

clean:
	rm -rf $(VENV) .pytest_cache tests/browser/screenshots

bench: $(VENV)/.dev-installed chromium nginx
	$(PYTHON) -m bench.run

# Break one important rule at a time in a copy of the project and check a test notices (tests/mutants.py).
mutants: $(VENV)/.dev-installed
	$(PYTHON) -m tests.mutants
