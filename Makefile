# SmartPick: `make run` sets up and runs the main job; `make test` sets up and passes the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run demo test lint typecheck pytest install calibrate bench clean

# The main job: the web app on http://127.0.0.1:8000 (HOST / PORT override; Ctrl+C stops).
HOST ?= 127.0.0.1
PORT ?= 8000

run: $(STAMP)
	$(BIN)/smartpick data build --if-missing
	$(BIN)/smartpick serve --host $(HOST) --port $(PORT)

# The same job in the terminal, on the guide's worked example.
demo: $(STAMP)
	$(BIN)/smartpick data build --if-missing
	$(BIN)/smartpick plan examples/us_img_im_217.toml

test: $(STAMP) lint typecheck pytest

install: $(STAMP)

# The compiled kernels' sources: a change rebuilds them (pip install -e compiles them).
KERNELS := $(wildcard src/smartpick/plan/*.pyx src/smartpick/plan/*.pxd src/smartpick/plan/*.h)

$(STAMP): pyproject.toml $(KERNELS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

calibrate: $(STAMP)
	$(BIN)/smartpick calibrate

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
