# carecoord: `make demo` runs the main job, `make test` runs every test.
# Both install what they need (Python virtualenv in .venv, Debian packages via apt-get).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV      ?= .venv
PY        := $(VENV)/bin/python
CARGO     ?= cargo
TARGET    := target
CFLAGS_C  := -std=c99 -Wall -Wextra -Werror -g -Iinclude
APT_PKGS  := valgrind pkg-config

.PHONY: help demo test test-rust test-c test-c-pkgconfig test-python lint fmt header bench bench-python bench-schedule \
        deps apt venv wheel build-ffi install clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

demo: ## Run the main job on the bundled synthetic locality (writes to out/)
	$(CARGO) run --release -p carecoord --example demo -- --out out

test: deps ## Run every test: Rust, lint, header check, C (valgrind), Python
	$(MAKE) lint
	$(MAKE) test-rust
	$(MAKE) test-c
	$(MAKE) test-c-pkgconfig
	$(MAKE) test-python
	@echo "make test: all suites passed"

deps: apt venv ## Install Debian packages and the Python virtualenv

apt: ## Install missing Debian packages (valgrind, pkg-config)
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

venv: $(VENV)/.installed ## Create .venv with the Python build and test tools

$(VENV)/.installed: python/requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r python/requirements-dev.txt
	touch $@

test-rust: ## Rust unit, integration, doc and property tests, plus benches in test mode
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc
	$(CARGO) bench -p carecoord-benches -- --test

lint: ## rustfmt check and clippy -D warnings
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt: ## Format the Rust code
	$(CARGO) fmt --all

header: ## Regenerate include/carecoord.h with cbindgen
	CARECOORD_BLESS=1 $(CARGO) test -p carecoord-ffi --test header

build-ffi: ## Build the C library (shared and static) in release mode, as libcarecoord.{so,a}
	$(CARGO) build --release -p carecoord-ffi
	cp -f $(TARGET)/release/libcarecoord_ffi.so $(TARGET)/release/libcarecoord.so
	cp -f $(TARGET)/release/libcarecoord_ffi.a $(TARGET)/release/libcarecoord.a

test-c: build-ffi ## Compile the C tests against the header and run them under valgrind
	mkdir -p tests/c/build
	for t in tests/c/test_*.c; do \
	  n=$$(basename $$t .c); \
	  cc $(CFLAGS_C) $$t -o tests/c/build/$$n -L$(TARGET)/release -lcarecoord -Wl,-rpath,$(CURDIR)/$(TARGET)/release; \
	  echo "== $$n (valgrind)"; \
	  valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect tests/c/build/$$n; \
	done

test-c-pkgconfig: ## Install into a temporary prefix and build the README's C quickstart with pkg-config
	tmp=$$(mktemp -d); \
	$(MAKE) -s install PREFIX=$$tmp >/dev/null; \
	cc -std=c99 -Wall -Wextra -Werror examples/quickstart.c -o $$tmp/quickstart \
	  $$(PKG_CONFIG_PATH=$$tmp/lib/pkgconfig pkg-config --cflags --libs carecoord) -Wl,-rpath,$$tmp/lib; \
	$$tmp/quickstart; rm -rf $$tmp

wheel: venv ## Build the abi3 wheel and install it into .venv
	rm -rf $(TARGET)/wheels
	$(VENV)/bin/maturin build --release -q -m python/Cargo.toml -o $(TARGET)/wheels
	$(VENV)/bin/pip install -q --force-reinstall --no-deps $(TARGET)/wheels/carecoord-*.whl

test-python: wheel ## Python tests (pytest, doctests, stubtest) against the fresh wheel
	cd python && ../$(PY) -m pytest -q tests
	$(PY) -m pytest -q --doctest-modules $$($(PY) -c 'import carecoord, os; print(os.path.dirname(carecoord.__file__))') -p no:cacheprovider
	$(PY) -m mypy.stubtest carecoord._native --allowlist python/stubtest-allowlist.txt

bench: ## Criterion benchmarks (Rust)
	$(CARGO) bench -p carecoord-benches

bench-python: wheel ## Side-by-side Python comparisons against peers (see BENCHMARKS.md)
	$(PY) benches/python/run_all.py

BENCH_VENV ?= .venv-bench

$(BENCH_VENV)/.installed: benches/python/requirements-bench.txt
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q --upgrade pip
	$(BENCH_VENV)/bin/pip install -q -r benches/python/requirements-bench.txt
	touch $@

bench-schedule: $(BENCH_VENV)/.installed ## Scheduler against OR-Tools CP-SAT (60 s each; own venv .venv-bench)
	$(BENCH_VENV)/bin/python benches/python/bench_schedule.py $(BENCH_SCHEDULE_ARGS)

PREFIX ?= /usr/local
install: build-ffi ## Install the C library, header and pkg-config file under PREFIX
	version=$$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1); \
	libs=$$($(CARGO) rustc -q --release -p carecoord-ffi --crate-type staticlib -- --print native-static-libs 2>&1 | sed -n 's/.*native-static-libs: //p' | head -1); \
	install -d $(PREFIX)/lib/pkgconfig $(PREFIX)/include; \
	install -m 644 include/carecoord.h $(PREFIX)/include/; \
	install -m 755 $(TARGET)/release/libcarecoord.so $(PREFIX)/lib/; \
	install -m 644 $(TARGET)/release/libcarecoord.a $(PREFIX)/lib/; \
	sed -e "s|@PREFIX@|$(PREFIX)|" -e "s|@VERSION@|$$version|" -e "s|@LIBS_PRIVATE@|$$libs|" \
	  ffi/carecoord.pc.in > $(PREFIX)/lib/pkgconfig/carecoord.pc
	@echo "installed under $(PREFIX): use PKG_CONFIG_PATH=$(PREFIX)/lib/pkgconfig pkg-config --cflags --libs carecoord"

clean: ## Remove build outputs
	$(CARGO) clean
	rm -rf $(VENV) out tests/c/build
