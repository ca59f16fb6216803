# libcsmetrics - the newcomer's two commands are `make demo` and `make test`.
# This Makefile only wraps meson; the build itself is described in meson.build.
BUILD      ?= build
ASAN_BUILD ?= build-asan
MESON      ?= meson

.PHONY: all deps deps-test deps-notebook deps-bench deps-duckdb deps-java deps-postgres deps-fuzz fuzz test-fuzz build demo demo-data docs docs-columns bench bench-cli bench-postgres test test-unit test-asan test-valgrind test-consumer test-python test-arrow test-bench-smoke test-java test-postgres test-sql clean

all: build

# Debian packages, split by need (deps/debian-*.txt): `deps` is all make build
# needs (library, csmetrics command, Python bindings); the extras are
# installed by the targets that use them.
deps:
	@./scripts/install-deps.sh packages

deps-test:
	@./scripts/install-deps.sh test

deps-notebook:
	@./scripts/install-deps.sh notebook

deps-bench:
	@./scripts/install-deps.sh bench

# The JDK and JUnit 5 (deps/debian-java.txt), for the Java bindings and
# make test-java; make build skips the Java bindings without a JDK.
deps-java:
	@./scripts/install-deps.sh java

# PostgreSQL 15 and its server headers, only for test-postgres.
deps-postgres:
	@./scripts/install-deps.sh postgres

# clang and its libFuzzer/sanitizer runtimes, only for fuzz and test-fuzz.
deps-fuzz:
	@./scripts/install-deps.sh fuzz

# DuckDB's C library and header (npm, pinned in deps/duckdb), only for
# test-arrow and test-sql; make build never needs them.
deps-duckdb:
	@./scripts/install-duckdb.sh

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD)

build: deps $(BUILD)/build.ninja
	$(MESON) compile -C $(BUILD)

# The main job: the review of the bundled demo company (and its dashboard,
# $(BUILD)/demo/dashboard.html), then the C examples.
demo: build deps-html
	@./scripts/demo.sh $(BUILD)

# Regenerate the bundled demo company (deterministic; fixed seed).
demo-data:
	/usr/bin/python3 scripts/make_demo_company.py examples/data/demo
	/usr/bin/python3 scripts/make_small_ledger.py examples/data/small_ledger.csv

# docs/metrics.md is assembled from docs/parts/*.md; the notebook is
# executed and rendered to build/docs/customer_success.html; the API
# reference is built from the public headers by Doxygen (docs/Doxyfile,
# installed here, not by make build) into build/docs/api, failing on any
# Doxygen warning (an undocumented public symbol above all).
docs: build deps-test deps-notebook
	@./scripts/install-deps.sh docs-packages
	/usr/bin/python3 scripts/api_docs.py $(BUILD)/docs/api
	/usr/bin/python3 scripts/assemble_docs.py
	mkdir -p $(BUILD)/docs
	CSM_NOTEBOOK_HTML=$(CURDIR)/$(BUILD)/docs/customer_success.html \
	  $(MESON) devenv -C $(BUILD) /usr/bin/python3 -m pytest -p no:cacheprovider -q \
	  $(CURDIR)/tests/python/test_notebook.py

# docs/columns.md, every result table's columns, printed from the tables'
# descriptors by tests/arrow/gen-columns (no DuckDB needed); the test
# columns-doc (in make test) fails when the committed file is out of date.
docs-columns: build
	$(BUILD)/tests/arrow/gen-columns --headers include/csmetrics -o docs/columns.md

# Benchmarks (not part of make test).
BENCH_SIZES ?= 100000,1000000,10000000
bench: build deps-bench
	/usr/bin/python3 bench/run_bench.py --build $(BUILD) --sizes $(BENCH_SIZES)

# The CLI's health and team sections against the number of accounts
# (synthetic companies from bench/gen_company.py; not part of make test).
BENCH_CLI_SIZES ?= 20000,40000,1000000
bench-cli: build
	/usr/bin/python3 bench/bench_cli.py --build $(BUILD) --sizes $(BENCH_CLI_SIZES)

# csm_movements against the same definitions as plain SQL window queries on
# one PostgreSQL 15 server (bench/postgres; not part of make test).
BENCH_PG_CUSTOMERS ?= 1000000
BENCH_PG_MONTHS ?= 36
bench-postgres: deps-postgres build
	bench/postgres/bench_movements.sh $(BUILD) $(BENCH_PG_CUSTOMERS) $(BENCH_PG_MONTHS)

# Out of core (docs/scaling.md, "Out of core"; not part of make test): BENCH_LARGE_CUSTOMERS
# customers x 36 months written by bench/gen_ledger as chunks of whole customers under
# BENCH_LARGE_DIR (20 bytes a row: about 30 GB at 10^8 customers; the free space is checked
# first), computed chunk by chunk through the partial states (bench/bench_large.py), checked
# against one-shot calls on the first chunks, then deleted.
.PHONY: bench-large
BENCH_LARGE_CUSTOMERS ?= 100000000
BENCH_LARGE_CHUNK ?= 2000000
BENCH_LARGE_DIR ?= $(BUILD)/bench-large
bench-large: build
	$(MESON) devenv -C $(BUILD) /usr/bin/python3 $(CURDIR)/bench/bench_large.py \
	  --build $(abspath $(BUILD)) --customers $(BENCH_LARGE_CUSTOMERS) \
	  --chunk-customers $(BENCH_LARGE_CHUNK) --dir $(abspath $(BENCH_LARGE_DIR))

test: build
	$(MAKE) --no-print-directory test-unit test-asan test-valgrind test-consumer test-python test-arrow test-postgres test-bench-smoke test-java test-sql test-html test-wheel
	$(MAKE) --no-print-directory test-reliability test-fuzz
	@echo "make test: all test stages passed"

# (the java suite runs once, in test-java)
test-unit: build deps-test
	$(MESON) test -C $(BUILD) --print-errorlogs --verbose --no-suite java --no-suite postgres

# The check suites and the CLI suite (every csmetrics call of tests/cli) in an
# ASan/UBSan build.  The setup flags are stored in $(ASAN_BUILD)/.setup-flags:
# when they differ (or the directory predates the file) the directory is wiped
# and set up again, so a change of ASAN_SETUP_FLAGS always takes effect.
ASAN_SETUP_FLAGS ?= -Db_sanitize=address,undefined -Db_lundef=false -Dpython=disabled -Djava=disabled \
  -Dc_args=-fno-sanitize-recover=all
test-asan: deps deps-test
	@flags='$(strip $(ASAN_SETUP_FLAGS))'; stamp='$(ASAN_BUILD)/.setup-flags'; \
	if [ ! -f '$(ASAN_BUILD)/build.ninja' ] || [ "$$(cat "$$stamp" 2>/dev/null)" != "$$flags" ]; then \
	  echo "test-asan: setting up $(ASAN_BUILD) with: $$flags"; \
	  rm -rf '$(ASAN_BUILD)' && $(MESON) setup '$(ASAN_BUILD)' $$flags && \
	  printf '%s\n' "$$flags" > "$$stamp"; \
	fi
	$(MESON) compile -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  $(MESON) test -C $(ASAN_BUILD) --print-errorlogs --suite check --suite cli

# The check suites, then the CLI suite with every csmetrics call under
# valgrind (setup clivalgrind: CSM_CLI_WRAPPER, see tests/meson.build).
test-valgrind: build deps-test
	$(MESON) test -C $(BUILD) --setup valgrind --print-errorlogs --suite check
	$(MESON) test -C $(BUILD) --setup clivalgrind --print-errorlogs --suite cli

test-consumer: build deps-test
	@./scripts/consumer-test.sh

# The Arrow export read back by DuckDB's C API (tests/arrow/test-duckdb.c,
# suite 'arrow'), plainly and under valgrind: installs DuckDB first, and
# reconfigures a build directory set up before DuckDB was there (the test is
# built only when it is).
test-arrow: deps deps-test deps-duckdb $(BUILD)/build.ninja
	@grep -q 'test-duckdb' $(BUILD)/build.ninja || $(MESON) setup --reconfigure $(BUILD)
	@grep -q 'test-duckdb' $(BUILD)/build.ninja || \
	  { echo "test-arrow: DuckDB not found by meson (see $(BUILD)/meson-logs/meson-log.txt)"; exit 1; }
	$(MESON) compile -C $(BUILD)
	$(MESON) test -C $(BUILD) --print-errorlogs --verbose --suite arrow
	$(MESON) test -C $(BUILD) --setup valgrind --print-errorlogs --suite arrow

# The PostgreSQL extension on a throwaway PostgreSQL 15 cluster (suite
# 'postgres', extensions/postgres/test/run.sh): installs PostgreSQL first,
# and reconfigures a build directory set up before pg_config was there.
test-postgres: deps deps-postgres $(BUILD)/build.ninja
	@grep -q 'extensions/postgres/csmetrics.so' $(BUILD)/build.ninja || $(MESON) setup --reconfigure $(BUILD)
	@grep -q 'extensions/postgres/csmetrics.so' $(BUILD)/build.ninja || \
	  { echo "test-postgres: the extension is not configured (see $(BUILD)/meson-logs/meson-log.txt)"; exit 1; }
	$(MESON) compile -C $(BUILD)
	$(MESON) test -C $(BUILD) --print-errorlogs --suite postgres

# Python bindings (pytest), run with the build tree's package on PYTHONPATH.
test-python: build deps-test deps-notebook
	$(MESON) devenv -C $(BUILD) /usr/bin/python3 -m pytest -p no:cacheprovider -q $(CURDIR)/tests/python

# A tiny end-to-end run of the benchmark harness: every contender's results
# must equal libcsmetrics' (no timings are recorded).
test-bench-smoke: build deps-bench
	/usr/bin/python3 bench/run_bench.py --smoke --build $(BUILD)

# The Java bindings (bindings/java, docs/java.md): the JUnit 5 suite in one
# JVM and examples/java/NrrGrr.java against the CLI (meson suite java).
# Installs the JDK and JUnit first, and reconfigures a build directory set up
# before the JDK was there (the bindings are built only when it is).
test-java: deps deps-java $(BUILD)/build.ninja
	@grep -q 'csmetrics.jar' $(BUILD)/build.ninja || $(MESON) setup --reconfigure $(BUILD)
	@grep -q 'csmetrics.jar' $(BUILD)/build.ninja || \
	  { echo "test-java: the JDK was not found by meson (see $(BUILD)/meson-logs/meson-log.txt)"; exit 1; }
	$(MESON) compile -C $(BUILD)
	$(MESON) test -C $(BUILD) --print-errorlogs --suite java

# ---- reliability stages (docs/reliability.md): ABI check, coverage gate, TSan
.PHONY: deps-reliability test-reliability test-abi abi-baseline coverage test-coverage test-tsan
deps-reliability:
	@./scripts/install-deps.sh reliability

test-reliability: test-abi test-coverage test-tsan

# Line and branch coverage of lib/ and cli/ from the check and cli suites
# (scripts/coverage.sh, build dir $(COV_BUILD)): `make coverage` prints the
# figures; `make test-coverage` (in make test) fails below the floors.
COV_BUILD ?= build-cov
coverage: deps deps-reliability
	@./scripts/coverage.sh $(COV_BUILD)

test-coverage: deps deps-reliability
	@./scripts/coverage.sh --gate $(COV_BUILD)

# tests/test-threads.c (every family from 8 threads on one shared ledger and
# scorecard) in a ThreadSanitizer build; any data race fails it.
TSAN_BUILD ?= build-tsan
test-tsan: deps deps-reliability
	@[ -f '$(TSAN_BUILD)/build.ninja' ] || \
	  $(MESON) setup '$(TSAN_BUILD)' -Db_sanitize=thread -Db_lundef=false -Dpython=disabled -Djava=disabled -Dpostgres=disabled
	ninja -C '$(TSAN_BUILD)' tests/test-threads
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  $(MESON) test -C '$(TSAN_BUILD)' --no-rebuild --print-errorlogs --suite threads

# The built library against the released ABI's baseline abi/libcsmetrics.abi:
# fails on a removed symbol or a changed public type unless the soname was
# bumped.  `make abi-baseline` rewrites the baseline (at a release only).
test-abi: build deps-reliability
	@./scripts/abi-check.sh $(BUILD)

abi-baseline: build deps-reliability
	@./scripts/abi-check.sh --update $(BUILD)

# The generated SQL (csmetrics sql, docs/sql.md) equal to the library: the
# PostgreSQL queries on a throwaway PostgreSQL 15 cluster and the DuckDB
# queries on DuckDB's C library (npm), on the demo company and random
# ledgers and contract sets (tests/sql/run.sh, check_sql.py), and the
# Snowflake and BigQuery queries on DuckDB through tests/sql/translate.py's
# rewrite.  The golden files of all four dialects are the meson test
# sql-golden (in test-unit).
DUCKDB_SO = deps/duckdb/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so
test-sql: deps deps-postgres deps-duckdb $(BUILD)/build.ninja
	@grep -q 'extensions/postgres/csmetrics.so' $(BUILD)/build.ninja || $(MESON) setup --reconfigure $(BUILD)
	$(MESON) compile -C $(BUILD)
	tests/sql/run.sh $(BUILD) $(CURDIR)/$(DUCKDB_SO)

# ---- the dashboard (csmetrics report --format html, docs/dashboard.md) ----
# deps-html: Node.js, npm and chromium (deps/debian-html.txt), then the vega
# bundles and puppeteer-core pinned in deps/html/package-lock.json.
.PHONY: deps-html test-html
deps-html:
	@./scripts/install-deps.sh html
	@./scripts/install-html.sh

# The dashboard in headless chromium (tests/html/test_dashboard.mjs): no
# console error, every chart drawn, the tiles equal the json report, hostile
# labels stay text; the screenshot is $(BUILD)/html/dashboard.png.
test-html: build deps-html
	node tests/html/test_dashboard.mjs $(BUILD)/cli/csmetrics $(BUILD)/html


# libFuzzer harnesses (tests/fuzz, docs/reliability.md), built with clang
# under ASan+UBSan in $(FUZZ_BUILD) by scripts/fuzz.sh.  make fuzz: each
# harness for FUZZ_SECONDS (its finds kept in $(FUZZ_BUILD)/corpus for the
# next run; a crash stops it, the input in $(FUZZ_BUILD)/artifacts).
# test-fuzz (in make test): every checked-in seed and crash reproducer
# replayed, then each harness for FUZZ_SMOKE_SECONDS.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 15
fuzz: deps deps-fuzz
	FUZZ_BUILD=$(FUZZ_BUILD) ./scripts/fuzz.sh run $(FUZZ_SECONDS)

test-fuzz: deps deps-fuzz
	FUZZ_BUILD=$(FUZZ_BUILD) ./scripts/fuzz.sh replay
	FUZZ_BUILD=$(FUZZ_BUILD) ./scripts/fuzz.sh run $(FUZZ_SMOKE_SECONDS)

# ---- Distribution (docs/install.md): wheel, release tarball, Debian packages
.PHONY: deps-package wheel test-wheel dist package test-package
WHEEL_DIR ?= $(BUILD)/wheel
PACKAGE_DIR ?= $(BUILD)/debian

# debhelper, dh-python, lintian and the build dependencies of every package
# (deps/debian-package.txt), for make package and test-package.
deps-package:
	@./scripts/install-deps.sh packages test java postgres package

# The Python wheel as a user builds it (pip wheel with Debian's
# python3-mesonpy and patchelf, from deps/debian-packages.txt).
wheel: deps
	rm -rf $(WHEEL_DIR)
	/usr/bin/python3 -m pip wheel --no-build-isolation --no-deps -w $(WHEEL_DIR) .

# The wheel installed into a fresh venv: the README's Python example and a
# few binding tests against the installed package (scripts/wheel-test.sh).
test-wheel: wheel build deps-test
	./scripts/wheel-test.sh $(WHEEL_DIR) $(BUILD)

# The release tarball of the committed tree ($(DIST_BUILD)/meson-dist/
# csmetrics-VERSION.tar.xz; meson dist refuses uncommitted changes).  meson
# dist unpacks it, builds it and runs its meson test with $(DIST_BUILD)'s
# options: the parts a bare tarball checks by itself (no Java, PostgreSQL
# or DuckDB stages: those have their own make targets).
DIST_BUILD ?= build-dist
DIST_SETUP_FLAGS ?= -Djava=disabled -Dpostgres=disabled -Dduckdb=disabled -Dbench=false
dist: deps
	rm -rf $(DIST_BUILD)
	$(MESON) setup $(DIST_BUILD) $(DIST_SETUP_FLAGS)
	$(MESON) dist -C $(DIST_BUILD) --formats xztar

# The Debian packages (debian/) into $(PACKAGE_DIR): dpkg-buildpackage -us
# -uc -b on a copy of the tree (scripts/build-debs.sh).
package: deps-package
	./scripts/build-debs.sh $(PACKAGE_DIR)

# The .debs installed into this machine and used as a user would, lintian
# without errors, then purged (scripts/package-test.sh; as root).  Not part
# of make test: it builds every package again and installs into /usr.
test-package: package build
	./scripts/package-test.sh $(PACKAGE_DIR) $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(COV_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
