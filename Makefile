# Two commands set up everything from a bare Python 3.11: `make run` and `make test`.
PYTHON ?= python3
BEFORE ?= 5bcd563
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYPSA_VENV ?= .venv-pypsa
PYPSA_STAMP := $(PYPSA_VENV)/.installed

.PHONY: run test test-all lint bench bench-lp bench-sweep bench-pypsa convergence report docs inputs schema scenario-reference validate update-reference clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

## run: set up, then solve every scenario in scenarios/ into results/
run: $(STAMP)
	$(BIN)/python run_scenarios.py -j 2

## test: set up, then run the fast test suite
test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q

## test-all: every test, slow ones included
test-all: $(STAMP)
	$(BIN)/python -m pytest -q

validate: $(STAMP)
	$(BIN)/python run_scenarios.py --validate

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

## bench: both benchmarks below (not tests: numbers vary with the machine and its load)
bench: bench-lp bench-sweep

## bench-lp: time and memory of each stage against HiGHS alone, and against BEFORE
bench-lp: $(STAMP)
	$(BIN)/python benchmarks/bench_lp.py --before $(BEFORE)

## bench-sweep: warm vs cold cost sweep, 1,000-sample uncertainty, Dask 1 vs 2 workers
bench-sweep: $(STAMP)
	$(BIN)/python benchmarks/bench_sweep.py

# the PyPSA venv is a benchmark tool, not a dependency of energymodel
$(PYPSA_STAMP): benchmarks/requirements-pypsa.txt
	$(PYTHON) -m venv $(PYPSA_VENV)
	$(PYPSA_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PYPSA_VENV)/bin/python -m pip install --quiet -r benchmarks/requirements-pypsa.txt
	touch $(PYPSA_STAMP)

## bench-pypsa: energymodel against PyPSA 1.4 on issue 18's supply-side problem -> benchmarks/pypsa.md
bench-pypsa: $(STAMP) $(PYPSA_STAMP)
	$(BIN)/python benchmarks/pypsa_compare.py all --pypsa-python $(PYPSA_VENV)/bin/python

## convergence: representative days against the full year, one region-year (issue 13)
convergence: $(STAMP)
	$(BIN)/python benchmarks/convergence.py

report: $(STAMP)
	$(BIN)/python run_scenarios.py --report-only

## inputs: rebuild inputs/ from the raw data in RAW, then docs/inputs.md and its figures
RAW ?= raw
inputs: $(STAMP)
	$(BIN)/python -m energymodel.data.build --raw $(RAW) --out inputs
	$(BIN)/python -m energymodel.report.inputs_page --inputs inputs --out docs/inputs.md

schema: $(STAMP)
	$(BIN)/python -c "from energymodel.scenario import write_json_schema; write_json_schema()"

## scenario-reference: rewrite docs/scenario-reference.md from the schema, scenarios and inputs
scenario-reference: $(STAMP)
	$(BIN)/python -m energymodel.report.scenario_reference --out docs/scenario-reference.md

docs: $(STAMP)
	$(BIN)/python -m energymodel.report.docs_page --results results --out docs/scenarios.md

update-reference: $(STAMP)
	$(BIN)/python -m pytest tests/test_regression.py --update-reference -q

clean:
	rm -rf $(VENV) $(PYPSA_VENV) results .pytest_cache
