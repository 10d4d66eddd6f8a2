# `make run` converts every file in inputs/ into outputs/; `make test` runs the whole
# test suite; `make unit` runs its fast tier (unit tests and goldens: no browser, office
# suite, pre-commit, pip or corpus sweep). All set the machine up first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
SYSTEM_PACKAGES := fonts-noto-cjk fonts-noto-core fonts-liberation2 poppler-utils libharfbuzz-subset0
# what the tests look with: a browser for the HTML, LibreOffice for the DOCX
TEST_PACKAGES := chromium chromium-driver libreoffice-writer-nogui
FORMATS := akn,html,pdf,docx
# test processes (pytest-xdist)
JOBS ?= 2
# the tiers left out of `make unit` (markers registered in pyproject.toml)
SLOW_TIERS := corpus or browser or office or precommit or packaging or slow

.PHONY: run site serve test unit setup system-packages test-packages clean

run: setup
	$(VENV)/bin/unres convert inputs -t $(FORMATS) -o outputs

# the publishing site of inputs/ and, when present, the UN's six-language markup in
# ../shared/corpus; `make serve` shows it on http://127.0.0.1:8000/
SITE := site
BASE_URL ?= http://127.0.0.1:8000/
CORPUS_AKN := $(wildcard ../shared/corpus/akn)

site: setup
	$(VENV)/bin/unres site inputs $(CORPUS_AKN) -o $(SITE) --base-url $(BASE_URL)

serve: site
	$(VENV)/bin/unres serve $(SITE)

test: setup test-packages
	$(PY) -m pytest -q -n $(JOBS)

unit: setup
	$(PY) -m pytest -q -n $(JOBS) -m "not ($(SLOW_TIERS))"

setup: system-packages $(VENV)/.installed

$(VENV)/bin/python:
	python3 -m venv $(VENV)

# Reinstall when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	@echo "installing the package and its dependencies into $(VENV)"
	@$(PY) -m pip install --quiet --upgrade pip > $(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@$(PY) -m pip install --quiet -e '.[test]' >> $(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $@

test-packages:
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(TEST_PACKAGES)"

system-packages:
	@sh make/system-packages.sh $(SYSTEM_PACKAGES)

clean:
	rm -rf outputs $(SITE)
