# The two commands a new machine needs: `make demo` and `make test`.
SWIFT        ?= swift
BUILD_DIR    ?= .build
CONFIG       ?= debug
BIN           = $(BUILD_DIR)/$(CONFIG)
APT_PACKAGES  = libcurl4-openssl-dev libssl-dev libarchive-dev pkg-config
NPM_PRESENT  := $(shell command -v npm >/dev/null 2>&1 && echo 1)
BENCH_SIZES  ?= 300 1000
BENCH_RUNS   ?= 3

include scripts/venv.mk
include scripts/matrix.mk
include scripts/tuf.mk
include scripts/fuzz.mk

.PHONY: all deps build demo test bench registry clean help

all: build

help:
	@echo "make demo      build, start the embedded fixture registry, install and verify @mochi/example"
	@echo "make test      install what is missing, check imports = declared dependencies, build, run every Swift Testing suite, then the TUF conformance suite"
	@echo "make tuf-conformance  the vendored tuf-conformance suite against tuf-conformance-client (venv + faketime)"
	@echo "make fuzz      libFuzzer + ASan over every parser, FUZZ_SECONDS (600) per target; make fuzz-smoke: 10 s each"
	@echo "make bench     verify-install vs the real npm CLI on generated registries (N=$(BENCH_SIZES)), with full"
	@echo "               provenance verification vs npm install + npm audit signatures, and bundle throughput vs sigstore-js"
	@echo "make matrix    the regression matrix (scenario x fixture x client x bundle shape x key state x log version); SHARD=i/N, BASELINE=file"
	@echo "make registry  run the fixture registry in the foreground (prints its URL as JSON)"
	@echo "make deps      install the C libraries (apt-get) when missing, and the Python witnesses into $(BUILD_DIR)/venv"

# Installs the three -dev packages (and pkg-config) only when one is missing; idempotent.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else \
	    echo "make deps: missing$$missing and not root (no sudo): install them with apt-get as root" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null || { \
	    echo "make deps: apt-get could not install$$missing" >&2; exit 1; }; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "make deps: no swift toolchain on PATH" >&2; exit 1; }

build: deps
	$(SWIFT) build -c $(CONFIG)

demo: build
	@scripts/demo.sh "$(BIN)"

test: deps
	@python3 scripts/check-imports.py
	$(SWIFT) build --build-tests
	REQUIRE_NPM=$(NPM_PRESENT) REQUIRE_VENV=1 MOCHI_VENV=$(abspath $(VENV)) $(SWIFT) test --skip-build
	@$(MAKE) --no-print-directory tuf-conformance

# The benched tools link the Swift runtime and Foundation statically, as a release is shipped:
# far fewer symbols to bind at start, direct calls into the runtime (swift_retain and
# friends) instead of through the PLT, and about 5 MiB less resident memory (N=1000 cold, 22
# alternating pairs: 4-7% less CPU). One product at a time: FixtureTesting, a test-only library,
# has no static Testing.
RELEASE_PRODUCTS = verify-install fixture-registry verify-bench

bench: deps
	@for product in $(RELEASE_PRODUCTS); do $(SWIFT) build -c release --static-swift-stdlib --product $$product || exit 1; done
	@python3 scripts/bench.py "$(BUILD_DIR)/release" "$(BENCH_SIZES)" "$(BENCH_RUNS)"

registry: build
	$(BIN)/fixture-registry serve

clean:
	rm -rf $(BUILD_DIR)
