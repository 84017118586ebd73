# libFuzzer campaign over every parser (Fuzz/). Include from the Makefile:  include scripts/fuzz.mk
#   make fuzz              build the targets (ASan + libFuzzer, in $(FUZZ_BUILD)), run each for FUZZ_SECONDS
#   make fuzz-smoke        the same, FUZZ_SMOKE_SECONDS (10) each
#   make fuzz-build        only build;  FUZZ_TARGETS="sri semver" limits both to those targets
# Sanitizer builds never touch $(BUILD_DIR): every module is compiled with swiftc straight from
# Sources/ into $(FUZZ_BUILD) (Fuzz/build.sh). Crash inputs: $(FUZZ_BUILD)/crashes/<target>/.
# Not part of `make test`. Needs only the C libraries `make deps` installs (checked by Fuzz/build.sh),
# so it does not depend on `deps` (which also sets up the Python venv).
FUZZ_BUILD         ?= .build-fuzz
FUZZ_SECONDS       ?= 600
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_TARGETS       ?=

.PHONY: fuzz fuzz-smoke fuzz-build

fuzz-build:
	@FUZZ_BUILD="$(FUZZ_BUILD)" Fuzz/build.sh $(FUZZ_TARGETS)

fuzz: fuzz-build
	@FUZZ_BUILD="$(FUZZ_BUILD)" FUZZ_SECONDS="$(FUZZ_SECONDS)" Fuzz/run.sh $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	@FUZZ_BUILD="$(FUZZ_BUILD)" FUZZ_SECONDS="$(FUZZ_SMOKE_SECONDS)" Fuzz/run.sh $(FUZZ_TARGETS)
