# Alongside: `make run` starts the demo, `make test` runs every check CI runs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck contracts pytest fuzz bench venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

run: venv
	@sh scripts/ensure-desktop-libs.sh
	$(VENV)/bin/alongside --demo

test: venv
	@sh scripts/ensure-test-packages.sh
	$(MAKE) --no-print-directory lint contracts typecheck pytest

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

smoke-deb: venv
	@test -n "$(DEB_FILE)" || { echo "No dist/alongside_*_amd64.deb: run make package first" >&2; exit 1; }
	@sh scripts/ensure-package-tools.sh $(DEB_FILE)
	ALONGSIDE_DEB=$(DEB_FILE) $(PY) -m pytest tests/packaging/test_deb.py -o addopts="" -p no:cacheprovider $(PYTEST_ARGS)
