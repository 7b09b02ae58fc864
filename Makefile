# The menu. `make serve` and `make test` each install everything first, on a fresh machine too.
#   make serve   build the handbook and serve it on http://127.0.0.1:8000 with working calculators
#   make test    the whole test suite: calculators, policies, Pyodide under Node, the browser
#                (Chromium, and a smoke journey per calculator in Firefox and in WebKit)
#   make test-fast  the same without the browser and Pyodide: needs no Chromium and no Node
#                (both run on 2 pytest-xdist workers; WORKERS=1 for one, WORKERS=4 for four)
#   make check   validate policies/ (what the policy team runs before a pull request)
#   make bench   the benchmarks (not tests: they print figures and assert nothing about time)
#   make durations  measure each test file's seconds into tests/durations.json (the order tests run in)
#   make lock    re-pin requirements.lock from .venv, with PyPI's hashes
# The policy team's pull requests (.github/workflows/ call these; each works on a laptop too):
#   make check-github            the check as GitHub annotations (::error file=...,line=...,col=...::)
#   make diff BASE=origin/main   what policies/ changes since BASE, in words (FORMAT=text|markdown|json)
#   make population              seeded synthetic stores in stores.csv (ROWS=5000 SEED=1), for POPULATION=
#   make site-artifact           the built site in site/, ready to upload or deploy

PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM := /usr/bin/chromium
# The two other engines' smoke journeys (tests/browser/test_engines.py; testsupport/engines.py names the same paths).
FIREFOX := /usr/bin/firefox-esr
WEBKIT_DRIVER := /usr/bin/WebKitWebDriver
XVFB := /usr/bin/Xvfb
# apt-get needs root; a developer's machine may use sudo instead.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install serve build test test-fast durations check bench lock schema clean check-github diff population site-artifact

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	# The project itself, editable: its packages import from anywhere (flit_core comes from the lock).
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --no-index -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser), and a
# Chinese font, so the /zh/ pages render real glyphs in it (screenshots, text that wraps as it would).
# Each is installed when its own file is missing: GitHub's Ubuntu runners already have a Chromium at
# /usr/bin/chromium but no Chinese font, so the font cannot ride along with the browser.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
$(CHROMIUM):
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends chromium

$(CJK_FONT):
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends fonts-dejavu-core fonts-wqy-microhei

# Firefox ESR (driven through Marionette) and WebKitGTK's WebKitWebDriver, which brings MiniBrowser
# and needs a screen, so Xvfb: Debian's packages, as Chromium is, never a downloaded browser or driver.
$(FIREFOX):
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends firefox-esr

$(WEBKIT_DRIVER):
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends webkit2gtk-driver

$(XVFB):
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends xvfb

serve: install
	$(PY) -m mkdocs serve --strict -a 127.0.0.1:8000

build: install
	$(PY) -m mkdocs build --strict

# Two pytest sessions, so that the browser tests run apart from the rest: the CPU-heavy non-browser
# tests would eat into their timed start-up limits. Each session runs on two pytest-xdist workers
# (WORKERS=1 for one); --dist loadfile keeps a module's tests, and its module-scoped fixtures (a
# browser context, a tab where Python has started), on one worker. Two browser workers stay well
# inside the limits: the tests that time out on purpose hold the wasm back or never serve it, so
# a slow machine cannot change their outcome. Each session fails on its own, also when it collects
# no tests (pytest exits 5).
WORKERS ?= 2
PARALLEL = $(if $(filter-out 1,$(WORKERS)),-n $(WORKERS) --dist loadfile)
ENGINES := $(FIREFOX) $(WEBKIT_DRIVER) $(XVFB)
test: install $(VENV)/.bench-installed $(CHROMIUM) $(CJK_FONT) $(ENGINES)
	$(PY) -m pytest $(PARALLEL) -m "not browser"
	$(PY) -m pytest $(PARALLEL) -m browser

# No browser and no Pyodide, so no Chromium is installed for it; nor the bench's smoke test, which
# builds the site twice and proves only that the bench still runs.
test-fast: install
	$(PY) -m pytest $(PARALLEL) -m "not browser and not pyodide and not bench"

# Both sessions of `make test`, each file's seconds recorded (merged into what the file already
# holds) for tests/conftest.py to hand the slowest out first; commit tests/durations.json after.
durations: install $(CHROMIUM) $(ENGINES)
	$(PY) -m pytest $(PARALLEL) -m "not browser" --record-durations tests/durations.json
	$(PY) -m pytest $(PARALLEL) -m browser --record-durations tests/durations.json

check: install
	$(PY) -m calculators check policies

check-github: install
	$(PY) -m calculators check --format github policies

BASE ?= origin/main
FORMAT ?= text
POPULATION ?=
AS_OF ?=
SYNTHETIC ?=
ROWS ?= 5000
SEED ?= 1
# These reach Python as environment variables that the recipe quotes ("$$BASE"), never as text
# spliced into its command line: a branch name or a BASE like 'main; touch x #' is then one argument,
# and $(value ...) with := keeps make itself from expanding a '$(shell ...)' given on its command line.
override BASE := $(value BASE)
override FORMAT := $(value FORMAT)
override POPULATION := $(value POPULATION)
override AS_OF := $(value AS_OF)
override SYNTHETIC := $(value SYNTHETIC)
override ROWS := $(value ROWS)
override SEED := $(value SEED)
export BASE FORMAT POPULATION AS_OF SYNTHETIC ROWS SEED
# Recipe lines are silent (@) so that `make -s diff ... > file` holds the report alone. BASE may say
# which kind it is (rev:origin/main, dir:old-policies); a bare name that is both is refused (exit 2).
# POPULATION=stores.csv adds the stores whose verdict changes (as of AS_OF, default today, and each
# change's own date); SYNTHETIC=1 says they are made up (`make population`).
diff: install
	@$(PY) -m calculators diff --format "$$FORMAT" $${POPULATION:+--population "$$POPULATION"} \
		$${AS_OF:+--as-of "$$AS_OF"} $${SYNTHETIC:+--synthetic} -- "$$BASE" policies

# The seeded synthetic stores the pull request's impact table runs on (they describe no real seller).
population: install
	@$(PY) -m policy_review.population --rows "$$ROWS" --seed "$$SEED" --output stores.csv

# The strict build (it runs the policy check first), checked to hold a home page and the bundle.
site-artifact: build
	test -f site/index.html && test -f site/assets/policies.json

bench: install $(VENV)/.bench-installed $(CHROMIUM) $(CJK_FONT)
	$(PY) -m bench

# The benchmarks' own dependencies (DuckDB), kept out of the site's and the tests' install.
$(VENV)/.bench-installed: bench/requirements.lock $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r bench/requirements.lock
	touch $@

# Rewrite policies/schema/*.json from policy_loader/schema_source.py (with the registry's calculator names).
schema: install
	$(PY) -m policy_contract.schema

# Pin what .venv has and record PyPI's sha256 of each file (tools/lock.py --rehash keeps the versions).
lock:
	$(PY) tools/lock.py

clean:
	rm -rf site .pytest_cache .hypothesis
