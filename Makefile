# Two set-up commands: `make demo` (the whole job on the real release) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RELEASE := 2012-05-22-operation-laminar

.PHONY: demo test lint bench fast clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench,lint,postgres,fast]'
	touch $(STAMP)

# The segmenter's work on each paragraph (src/tm/segment/cutter.py) compiled with mypyc into
# tm.segment._cutter, stamped with the digest of the file it was built from (about 10 s; 1.4
# times faster). Optional: without a C compiler the build is skipped and cutter.py itself is
# used, with the same results; a copy older than cutter.py is never used.
CUTTER := src/tm/segment/cutter.py
COMPILED := $(VENV)/.cutter-compiled
$(COMPILED): $(CUTTER) $(STAMP) Makefile
	@rm -rf $(VENV)/mypyc src/tm/segment/_cutter*.so
	@mkdir -p $(VENV)/mypyc/tm/segment
	@touch $(VENV)/mypyc/tm/__init__.py $(VENV)/mypyc/tm/segment/__init__.py
	@{ cat $(CUTTER); echo "DIGEST = \"$$(b2sum $(CUTTER) | cut -c1-128)\""; } > $(VENV)/mypyc/tm/segment/_cutter.py
	@if (cd $(VENV)/mypyc && ../bin/mypyc tm/segment/_cutter.py > build.log 2>&1); then \
		cp $(VENV)/mypyc/tm/segment/_cutter*.so src/tm/segment/ && echo "compiled the segmenter's cutter"; \
	else echo "could not compile the segmenter's cutter (see $(VENV)/mypyc/build.log): pure Python is used"; fi
	@touch $@

# C modules, each built into the .so beside its source and stamped with the source's
# BLAKE2b digest, as the cutter (see tm/compiled.py). Optional like the cutter: without a
# compiler the Python each is the C of is used, with the same results.
#   $(call compile_c,SOURCE,WHAT,EXTRA CFLAGS)
define compile_c
	@rm -f $(basename $(1))*.so
	@digest=$$(b2sum $(1) | cut -c1-128); \
	include=$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["include"])'); \
	suffix=$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))'); \
	log=$(VENV)/$(notdir $(basename $(1)))-build.log; \
	if $${CC:-cc} -O2 -Wall -Wextra -Werror -shared -fPIC -I"$$include" $(3) -DDIGEST="\"$$digest\"" \
		$(1) -o $(basename $(1))$$suffix > $$log 2>&1; then \
		echo "compiled $(2)"; \
	else echo "could not compile $(2) (see $$log): pure Python is used"; fi
	@touch $@
endef

# The memory's term extraction (src/tm/memory/_terms.c, the C of tm.memory.normalise's
# index_terms and sketch: most of a large import's work) built into tm.memory._terms.
TERMS_C := src/tm/memory/_terms.c
TERMS := $(VENV)/.terms-compiled
$(TERMS): $(TERMS_C) Makefile | $(BIN)/python
	$(call compile_c,$(TERMS_C),the memory's term extraction,)

# Taking TMX units apart (src/tm/formats/_tmx.c, the C of tm.formats.tmx._unit_parts) built
# into tm.formats._tmx against the headers of lxml (and of the libxml2 it carries) installed.
TMX_C := src/tm/formats/_tmx.c
TMX := $(VENV)/.tmx-compiled
$(TMX): $(TMX_C) Makefile $(STAMP)
	$(call compile_c,$(TMX_C),the TMX reader's unit parts,$$($(BIN)/python -c 'import lxml; print(" ".join("-I" + p for p in lxml.get_include()))'))

fast: $(COMPILED) $(TERMS) $(TMX)

# Byte code for every module, as `pip install` writes it for an installed package: without
# it, an environment that sets PYTHONDONTWRITEBYTECODE compiles tm's modules from source in
# every process (about 50 ms of each memory lookup's start-up, measured here).
BYTECODE := $(VENV)/.bytecode
$(BYTECODE): $(shell find src bench -name '*.py') | $(STAMP)
	@$(BIN)/python -m compileall -q src bench
	@touch $@

# The whole job on the real release (and the other releases in sources/), with the embedded
# SQLite memory (memory/tm.sqlite) seeded from the approved translations in locales/.
demo: $(STAMP) $(COMPILED) $(TERMS) $(TMX) $(BYTECODE)
	$(BIN)/tm memory import locales/*/*.po
	$(BIN)/tm extract
	$(BIN)/tm status
	$(BIN)/tm merge --aligned all
	@echo
	@echo "The real release, published in Arabic, English and French, with its aligned views:"
	@ls -1 build/$(RELEASE)/ | sed 's|^|  build/$(RELEASE)/|'
	@echo "(and every other release in sources/, under build/<release>/)"

test: $(STAMP) $(COMPILED) $(TERMS) $(TMX) $(BYTECODE)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check
	$(BIN)/ruff format --check

bench: $(STAMP) $(COMPILED) $(TERMS) $(TMX) $(BYTECODE)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build .pytest_cache src/tm/segment/_cutter*.so src/tm/memory/_terms*.so src/tm/formats/_tmx*.so
