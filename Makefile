# SprintDesk developer commands. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-slow lint bench mutation screenshots bundle test-keyring install-desktop clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m sprintdesk

# The suite without the slowest tests (kill loops, wheel builds, the slowest command-line
# subprocesses and the property round trip: marked slow), which
# `make test-slow` runs; CI runs both. Tests run in one worker process per core (pytest-xdist;
# each worker has its own PostgreSQL cluster and data folders); TEST_WORKERS=0 runs them in one.
TEST_WORKERS ?= auto
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not slow" -n $(TEST_WORKERS)

test-slow: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m slow

lint: $(STAMP)
	$(PY) -m ruff check sprintdesk tests bench tools
	$(PY) -m ruff format --check sprintdesk tests bench tools
	$(PY) -m mypy
	$(VENV)/bin/lint-imports
	$(PY) -m vulture
	desktop-file-validate packaging/io.github.sprintdesk.SprintDesk.desktop
	appstreamcli validate --no-net packaging/io.github.sprintdesk.SprintDesk.metainfo.xml

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

# Mutation testing of the core with mutmut (slow; not part of `make test`): one module at a time,
# one worker, each mutant against that module's tests. MODULES="workdays meeting" picks some;
# MUTATION_FLAGS="--fail-under 90" fails below that score.
MUTATION_STAMP := $(VENV)/.installed-mutation
$(MUTATION_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[mutation]'
	touch $(MUTATION_STAMP)

mutation: $(MUTATION_STAMP)
	$(PY) tools/mutation.py $(MUTATION_FLAGS) $(MODULES)

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m sprintdesk.ui.screenshots docs/screenshots

bundle: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
		packaging/sprintdesk.spec
	QT_QPA_PLATFORM=offscreen SPRINTDESK_TEST_BUNDLE=1 $(PY) -m pytest -q -p no:cacheprovider \
		tests/integration/test_bundle.py

# The token tests against a real Secret Service: gnome-keyring in a private D-Bus session
# (Debian: gnome-keyring dbus-x11), with a throw-away keyring folder.
test-keyring: $(STAMP)
	@command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null || \
		{ echo "make test-keyring needs dbus-run-session and gnome-keyring-daemon" \
		  "(apt-get install gnome-keyring dbus-x11)"; exit 2; }
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	XDG_DATA_HOME="$$tmp" XDG_RUNTIME_DIR="$$tmp" dbus-run-session -- sh -c \
		'printf sprintdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
		&& SPRINTDESK_REAL_KEYRING=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q \
		-m keyring_real tests/unit/test_secrets.py'

install-desktop: $(STAMP)
	sh packaging/install-desktop.sh "$(abspath $(VENV)/bin/sprintdesk)"

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
