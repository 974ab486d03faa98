# Two set-up commands: `make demo` (the whole job on the real release) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RELEASE := 2012-05-22-operation-laminar

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench,lint,postgres]'
	touch $(STAMP)

# The whole job on the real release (and the other releases in sources/), with the embedded
# SQLite memory (memory/tm.sqlite) seeded from the approved translations in locales/.
demo: $(STAMP)
	$(BIN)/tm memory import locales/*/*.po
	$(BIN)/tm extract
	$(BIN)/tm status
	$(BIN)/tm merge --aligned all
	@echo
	@echo "The real release, published in Arabic, English and French, with its aligned views:"
	@ls -1 build/$(RELEASE)/ | sed 's|^|  build/$(RELEASE)/|'
	@echo "(and every other release in sources/, under build/<release>/)"

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check
	$(BIN)/ruff format --check

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build .pytest_cache
