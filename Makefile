# SprintDesk developer commands. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench screenshots bundle test-keyring install-desktop clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m sprintdesk

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check sprintdesk tests bench
	$(PY) -m ruff format --check sprintdesk tests bench
	$(PY) -m mypy
	$(VENV)/bin/lint-imports
	$(PY) -m vulture
	desktop-file-validate packaging/io.github.sprintdesk.SprintDesk.desktop
	appstreamcli validate --no-net packaging/io.github.sprintdesk.SprintDesk.metainfo.xml

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

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
