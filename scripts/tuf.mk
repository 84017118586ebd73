# The TUF conformance suite (github.com/theupdateframework/tuf-conformance, vendored read-only in
# ../shared) run against our client, .build/<config>/tuf-conformance-client.
# Include from the Makefile:  include scripts/tuf.mk
#   make tuf-conformance                 venv + faketime + build + pytest (PYTEST_FLAGS="-k rollback -x")
# Expected failures: Sources/TUFConformanceClient/xfails.txt (test names, each with a "# reason" line
# above it). The suite reads "<entrypoint>.xfails", so the list is copied beside the built client.
SWIFT            ?= swift
BUILD_DIR        ?= .build
CONFIG           ?= debug
PYTHON           ?= python3
TUF_SUITE        ?= $(abspath ../shared/vendor/tuf-conformance)
TUF_VENV         ?= $(BUILD_DIR)/tuf-venv
TUF_VENV_PACKAGES = securesystemslib[crypto]==1.4.0 tuf==7.0.0 pytest==9.1.1 pytest-json-report==1.5.0
TUF_VENV_STAMP    = $(TUF_VENV)/.mochi-tuf-venv-packages
TUF_CLIENT        = $(abspath $(BUILD_DIR)/$(CONFIG))/tuf-conformance-client
TUF_XFAILS        = Sources/TUFConformanceClient/xfails.txt
PYTEST_FLAGS     ?=

.PHONY: tuf-conformance tuf-venv tuf-faketime tuf-client

tuf-venv:
	@if [ -x "$(TUF_VENV)/bin/pytest" ] && [ "$$(cat "$(TUF_VENV_STAMP)" 2>/dev/null)" = "$(TUF_VENV_PACKAGES)" ]; then exit 0; fi; \
	command -v $(PYTHON) >/dev/null || { echo "make tuf-venv: $(PYTHON) not found" >&2; exit 1; }; \
	echo "make tuf-venv: installing $(TUF_VENV_PACKAGES) into $(TUF_VENV)"; \
	[ -x "$(TUF_VENV)/bin/python" ] || $(PYTHON) -m venv "$(TUF_VENV)" || { \
	  echo "make tuf-venv: '$(PYTHON) -m venv' failed (on Debian: apt-get install python3-venv)" >&2; exit 1; }; \
	"$(TUF_VENV)/bin/python" -m pip install --quiet --disable-pip-version-check $(foreach p,$(TUF_VENV_PACKAGES),"$(p)") || { \
	  echo "make tuf-venv: pip could not install $(TUF_VENV_PACKAGES)" >&2; exit 1; }; \
	echo "$(TUF_VENV_PACKAGES)" > "$(TUF_VENV_STAMP)"

# faketime (libfaketime's wrapper) lets the suite move the client's clock; apt-get update only on demand.
tuf-faketime:
	@command -v faketime >/dev/null && exit 0; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else \
	  echo "make tuf-faketime: faketime is missing and we are not root (no sudo): apt-get install faketime" >&2; exit 1; fi; \
	echo "make tuf-faketime: installing faketime"; \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq faketime >/dev/null 2>&1 || { \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq faketime >/dev/null; } || { \
	  echo "make tuf-faketime: apt-get could not install faketime" >&2; exit 1; }

tuf-client:
	$(SWIFT) build -c $(CONFIG) --product tuf-conformance-client
	@cp "$(TUF_XFAILS)" "$(TUF_CLIENT).xfails"

tuf-conformance: tuf-venv tuf-faketime tuf-client
	@test -d "$(TUF_SUITE)/tuf_conformance" || { echo "make tuf-conformance: suite not found at $(TUF_SUITE)" >&2; exit 1; }
	@start=$$(date +%s); \
	PYTHONDONTWRITEBYTECODE=1 "$(TUF_VENV)/bin/pytest" -p no:cacheprovider "$(TUF_SUITE)/tuf_conformance" --entrypoint "$(TUF_CLIENT)" $(PYTEST_FLAGS); \
	status=$$?; echo "make tuf-conformance: pytest exited $$status after $$(( $$(date +%s) - start )) s"; exit $$status
