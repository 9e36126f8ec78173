# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore::DeprecationWarning

.PHONY: setup train run shell test bench leads clean

setup:
	@bash scripts/setup.sh

train: setup
	@$(PY) -m devtools.train

run: setup
	@$(PY) -m devtools.stack run

shell: setup
	@$(PY) -m devtools.stack shell

test: setup
	@bash scripts/test.sh

bench: setup
	@$(PY) -m devtools.bench

leads: setup
	@$(VENV)/bin/mkbscan-leads $(ARGS)

clean:
	rm -rf models .rasa var results test-artifacts
