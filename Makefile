# Two commands on a fresh machine (Python 3.11 + pip):
#   make run    installs into .venv if needed, then processes raw/ into outputs/
#   make test   installs into .venv (with dev extras) if needed, then runs the tests
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

DEV_CORPUS ?= ../shared/corpus/dev

.PHONY: run test dev evaluate bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(STAMP)

run: $(STAMP)
	$(PY) -m pipeline run raw --out outputs

test: $(DEVSTAMP)
	$(PY) -m pytest

dev: $(DEVSTAMP)

# Scores the seeds (raw/ vs tests/gold) and the dev releases (../shared/corpus/dev vs
# tests/gold-dev), each set alone and both together.
evaluate: $(STAMP)
	$(PY) -m pipeline run raw $(DEV_CORPUS) --out eval-outputs -q
	$(PY) -m pipeline evaluate --gold tests/gold --gold tests/gold-dev --pred eval-outputs

bench: $(DEVSTAMP)
	$(PY) benchmarks/throughput.py
	$(PY) benchmarks/peers.py

clean:
	rm -rf outputs eval-outputs .pytest_cache
