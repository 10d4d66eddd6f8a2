# Two commands: `make run` converts every file in inputs/ into outputs/;
# `make test` runs the whole test suite. Both set the machine up first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
SYSTEM_PACKAGES := fonts-noto-cjk fonts-noto-core fonts-liberation2 poppler-utils libharfbuzz-subset0
# what the tests look with: a browser for the HTML, LibreOffice for the DOCX
TEST_PACKAGES := chromium libreoffice-writer-nogui
FORMATS := akn,html,pdf,docx

.PHONY: run test setup system-packages test-packages clean

run: setup
	$(VENV)/bin/unres convert inputs -t $(FORMATS) -o outputs

test: setup test-packages
	$(PY) -m pytest -q

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
	rm -rf outputs
