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
	$(BIN)/pip install --quiet -e '.[dev,serve]'
	touch $(STAMP)

setup: $(STAMP) ## create the virtual environment and install trustkg with its dev tools (and YASGUI, if npm is here)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory yasgui; \
	else echo "npm not found: trustkg serve will offer its plain query form instead of YASGUI"; fi

# YASGUI for `trustkg serve`'s query page: the prebuilt bundle from the npm registry's tarball, pinned by
# version and by the tarball's sha512 (npm's own integrity string), copied beside the package (not committed).
YASGUI_VERSION := 4.6.2
YASGUI_INTEGRITY := sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw==
YASGUI_DIR := graph/static/yasgui
YASGUI_TARBALL := $(VENV)/yasgui/zazuko-yasgui-$(YASGUI_VERSION).tgz
.PHONY: yasgui
yasgui: $(YASGUI_DIR)/yasgui.min.js ## fetch YASGUI (npm) for the query page of trustkg serve

$(YASGUI_DIR)/yasgui.min.js: | $(STAMP)
	rm -rf $(VENV)/yasgui && mkdir -p $(VENV)/yasgui $(YASGUI_DIR)
	cd $(VENV)/yasgui && npm pack --silent @zazuko/yasgui@$(YASGUI_VERSION) >/dev/null
	$(BIN)/python -c 'import base64, hashlib, sys; digest = hashlib.sha512(open(sys.argv[1], "rb").read()).digest(); \
	sys.exit(0 if "sha512-" + base64.b64encode(digest).decode() == sys.argv[2] else "YASGUI tarball: integrity mismatch")' \
	$(YASGUI_TARBALL) '$(YASGUI_INTEGRITY)'
	tar -xzf $(YASGUI_TARBALL) -C $(VENV)/yasgui package/build/yasgui.min.js package/build/yasgui.min.css package/package.json
	cp $(VENV)/yasgui/package/build/yasgui.min.js $(VENV)/yasgui/package/build/yasgui.min.css $(YASGUI_DIR)/
	cp $(VENV)/yasgui/package/package.json $(YASGUI_DIR)/package.json  # its licence (MIT) and version

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
