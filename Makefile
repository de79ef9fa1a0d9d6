# Alongside: `make run` starts the demo, `make test` runs every check CI runs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock app/__init__.py | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck contracts pytest fuzz bench venv clean lock bundle smoke-bundle

venv: $(STAMP)

# The venv holds the exact, hash-checked versions in requirements.lock: first
# pip and the build backend, then everything else, then Alongside itself
# (editable, without touching what the lock installed), and its modules compiled
# ahead, so the first start does not pay for it (PYTHONDONTWRITEBYTECODE or not).
$(STAMP): pyproject.toml requirements.lock app/__init__.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@awk '/^[a-z]/ { keep = ($$1 ~ /^(pip|setuptools|wheel)==/) } keep && !/^ *#/' \
		requirements.lock > $(VENV)/bootstrap.lock
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(VENV)/bootstrap.lock
	$(PY) -m pip install --quiet --require-hashes --no-build-isolation -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@$(PY) -m compileall -q -j 0 app casework delegation offline_sync ui resources > /dev/null
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# requirements.lock: pyproject.toml's dependencies, its test and package extras,
# the build backend and pip, pinned with hashes for Python 3.11-3.13 on Linux
# x86_64, Windows and macOS. uv runs from a throwaway venv; the command is
#   uv pip compile pyproject.toml - --extra test --extra package --universal \
#       --python-version 3.11 --generate-hashes -o requirements.lock
# with the build-system requires and pip on standard input. Pins already in the
# lock are kept; `make lock LOCK_ARGS=--upgrade` moves everything to the newest
# versions pyproject.toml allows.
UV_VERSION ?= 0.13.9
LOCK_TOOLS := build/lock-tools
LOCK_ARGS  ?=
lock:
	rm -rf $(LOCK_TOOLS) && $(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)
	$(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], "pip", sep="\n")' \
		| $(LOCK_TOOLS)/bin/uv pip compile --quiet pyproject.toml - --extra test --extra package \
		--universal --python-version 3.11 --generate-hashes --custom-compile-command 'make lock' \
		--output-file requirements.lock $(LOCK_ARGS)
	rm -rf $(LOCK_TOOLS)

run: venv
	@sh scripts/ensure-desktop-libs.sh
	$(VENV)/bin/alongside --demo

test: venv
	@sh scripts/ensure-test-packages.sh
	$(MAKE) --no-print-directory lint contracts typecheck pytest package-check

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

contracts:
	$(VENV)/bin/lint-imports

typecheck:
	$(VENV)/bin/mypy

pytest:
	sh scripts/with-keyring.sh $(PY) -m pytest $(PYTEST_ARGS)

# The core actions with hostile text (1,000 examples each; make test runs 25) and
# every CLI subcommand with hostile arguments (40 each; make test runs 3).
fuzz: venv
	@sh scripts/ensure-test-packages.sh
	HYPOTHESIS_PROFILE=fuzz sh scripts/with-keyring.sh $(PY) -m pytest tests/unit/fuzz tests/e2e/test_cli_fuzz.py -p no:cacheprovider -o faulthandler_timeout=0 --timeout=0 $(PYTEST_ARGS)

bench: venv
	@sh scripts/ensure-test-packages.sh
	sh scripts/with-keyring.sh $(PY) -m pytest tests/benchmarks -p no:cacheprovider -s -o addopts="" -o faulthandler_timeout=0 --timeout=0 $(PYTEST_ARGS)

# The one-folder bundle, dist/alongside/ (packaging/alongside.spec), and its
# smoke test run against the built files with a clean environment.
bundle: venv
	$(VENV)/bin/pyinstaller --noconfirm --clean packaging/alongside.spec
	@du -sh dist/alongside

smoke-bundle: venv
	sh scripts/with-keyring.sh $(PY) -m pytest tests/packaging/test_bundle.py -o addopts="" -p no:cacheprovider $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache tests/artifacts

# The Debian package, dist/alongside_<version>_amd64.deb, from the bundle
# (packaging/build-deb.sh), and its install-run-remove smoke test (as root).
.PHONY: deb package smoke-deb
DEB_FILE = $(firstword $(shell ls -t dist/alongside_*_amd64.deb 2>/dev/null))

deb: bundle
	@sh scripts/ensure-package-tools.sh
	sh packaging/build-deb.sh dist/alongside dist

package: bundle deb

# What CI runs after the tests: build the bundle and the .deb, run the bundle
# with a clean environment, then (as root) install the .deb, run it from
# /usr/bin/alongside and purge it.
.PHONY: package-check
package-check: package smoke-bundle
	@if [ "$$(id -u)" = 0 ]; then $(MAKE) --no-print-directory smoke-deb; \
	else echo "Not root: the .deb is built but not installed; run make smoke-deb as root."; fi

smoke-deb: venv
	@test -n "$(DEB_FILE)" || { echo "No dist/alongside_*_amd64.deb: run make package first" >&2; exit 1; }
	@sh scripts/ensure-package-tools.sh $(DEB_FILE)
	ALONGSIDE_DEB=$(DEB_FILE) $(PY) -m pytest tests/packaging/test_deb.py -o addopts="" -p no:cacheprovider $(PYTEST_ARGS)
