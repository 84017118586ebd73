# The nightly regression matrix (scenario × fixture × client × bundle shape × key state × log version).
# Include from the Makefile:  include scripts/matrix.mk
#   make matrix                         the whole matrix, reports in $(MATRIX_REPORT)
#   make matrix SHARD=2/4               the deterministic second share of four
#   make matrix BASELINE=old/matrix.json  flag verdict changes and times more than doubled
#   make matrix-merge MATRIX_SHARD_DIRS="a b c"  merge shard report folders (the nightly's last job)
# Exits non-zero when any cell deviates from its expected verdict (Registry/scenarios/README.md).
SWIFT             ?= swift
BUILD_DIR         ?= .build
CONFIG            ?= debug
BIN               ?= $(BUILD_DIR)/$(CONFIG)
SHARD             ?= 1/1
BASELINE          ?=
MATRIX_REPORT     ?= $(BUILD_DIR)/matrix-report
MATRIX_JOBS       ?= 2
MATRIX_FLAGS      ?=
MATRIX_SHARD_DIRS ?=
# Non-empty: use the executables already in $(BIN) (the test that runs the nightly's command does).
MATRIX_SKIP_BUILD ?=

.PHONY: matrix matrix-build matrix-merge

matrix-build:
	@if [ -z "$(MATRIX_SKIP_BUILD)" ]; then \
	  $(SWIFT) build -c $(CONFIG) --product verify-install && $(SWIFT) build -c $(CONFIG) --product mochi-matrix; fi

matrix: matrix-build
	$(BIN)/mochi-matrix run --shard $(SHARD) --report $(MATRIX_REPORT) --jobs $(MATRIX_JOBS) \
	  --verify-install $(BIN)/verify-install $(if $(BASELINE),--baseline $(BASELINE)) $(MATRIX_FLAGS)

matrix-merge: matrix-build
	$(BIN)/mochi-matrix merge --report $(MATRIX_REPORT) $(if $(BASELINE),--baseline $(BASELINE)) $(MATRIX_SHARD_DIRS)
