# trustkg: the two commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup demo build explorer test check lint format typecheck pytest bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## create the virtual environment and install trustkg with its dev tools

demo: $(STAMP) ## build the graph from data/, write the pages, answer the headline question; open build/link-view.html
	$(BIN)/trustkg build
	$(BIN)/trustkg show
	$(BIN)/trustkg map
	$(BIN)/trustkg matrix
	$(BIN)/trustkg query actions-to-outcomes --param theme=leadership
	$(BIN)/trustkg links
	@echo "Open build/link-view.html: the headline question as a network (the other pages link from the README)."

build: $(STAMP) ## build the graph from data/ into build/
	$(BIN)/trustkg build

test: $(STAMP) check pytest ## set up, lint, type-check and run the tests

check: lint typecheck ## ruff (lint and format) and mypy

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# mypy cannot follow the editable install's import hook, so it reads the package through a tree
# of links laid out as it is installed: trustkg/ = graph/, with ontology/ and queries/ inside.
TYPECHECK_TREE := $(VENV)/typecheck
typecheck: $(STAMP)
	rm -rf $(TYPECHECK_TREE) && mkdir -p $(TYPECHECK_TREE)/trustkg
	ln -s $(CURDIR)/graph/* $(CURDIR)/ontology $(CURDIR)/queries $(TYPECHECK_TREE)/trustkg/
	MYPYPATH=$(TYPECHECK_TREE) $(BIN)/mypy -p trustkg -p bench

pytest: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP) ## run the benchmarks in bench/
	$(BIN)/python -m bench

clean: ## remove build output and caches (keeps the virtual environment)
	rm -rf build .pytest_cache .mypy_cache .ruff_cache

.PHONY: screenshots
screenshots: build ## refresh the README's screenshots in docs/ from the built graph (headless Chromium)
	$(BIN)/python -m bench.screenshots
