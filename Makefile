# Roster's front door. `make run` builds and serves; `make test` builds and runs every test.
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc)
ROSTER     := $(BUILD_DIR)/roster
# The secret audit (docs/SECURITY.md): what the black-box suites keep of every server they run.
SECRET_AUDIT_DIR := $(abspath $(BUILD_DIR))/secret-audit

.PHONY: all deps build run test test-secrets test-unit test-blackbox test-blackbox-postgres test-examples test-e2e bench bench-smoke install format clean
.PHONY: sanitize-build test-sanitize test-tsan fuzz-smoke fuzz

all: build

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	./$(ROSTER) serve

# Every suite, with a throwaway PostgreSQL cluster (scripts/pg-test-cluster.sh) for the PostgreSQL
# runs of the storage, API and black-box suites; the cluster is stopped even when tests fail.
test: build
	@url="$$(./scripts/pg-test-cluster.sh start)" || { echo "make test: cannot start PostgreSQL" >&2; exit 1; }; \
	  trap './scripts/pg-test-cluster.sh stop' EXIT; \
	  echo "make test: PostgreSQL test cluster at $$url"; \
	  rm -rf $(SECRET_AUDIT_DIR); \
	  ROSTER_TEST_PG_URL="$$url" ROSTER_SECRET_AUDIT_DIR=$(SECRET_AUDIT_DIR) $(MAKE) --no-print-directory -k test-unit test-blackbox \
	    test-blackbox-postgres test-e2e test-examples bench-smoke test-sanitize fuzz-smoke test-tsan test-secrets

# After the black-box suites: no key or invite token they saw may appear in any server's output
# or database file (tests/blackbox/scan-secrets.mjs). Needs their audit: run through `make test`.
test-secrets:
	node tests/blackbox/scan-secrets.mjs $(SECRET_AUDIT_DIR) --min-secrets 60

test-unit:
	ctest --test-dir $(BUILD_DIR) --output-on-failure

# The Node stand-in example of docs/TESTING-WITH-ROSTER.md, run as written.
test-examples:
	cd examples/node && npm ci --no-audit --no-fund && \
	  ROSTER_BIN=../../$(ROSTER) node --test --test-reporter=tap

# The node test runner's TAP reporter ends with `# pass N` / `# fail N`.
test-blackbox:
	cd tests/blackbox && npm ci --no-audit --no-fund && \
	  ROSTER_BIN=../../$(ROSTER) node --test --test-reporter=tap

# The same SDK suite against `roster serve --db postgres://…` (a fresh database per server on
# ROSTER_TEST_PG_URL, made with psql). Needs the cluster: run through `make test`.
test-blackbox-postgres:
	cd tests/blackbox && npm ci --no-audit --no-fund && \
	  ROSTER_TEST_BACKEND=postgres ROSTER_BIN=../../$(ROSTER) node --test --test-reporter=tap

# The web console in Debian's chromium (playwright-core, no browser download); it starts its own
# `roster serve` on a fresh database and saves docs/screenshots/*.png.
test-e2e:
	cd tests/e2e && npm ci --no-audit --no-fund && \
	  ROSTER_BIN=../../$(ROSTER) node --test --test-reporter=tap

# The benchmark suite (docs/PERFORMANCE.md): a Release build, 1,000,000 members, wrk against
# Roster and nginx interleaved; prints the table and writes bench/results/full.{md,json} and the
# chart docs/perf-chart.png. About 15 minutes.
bench: deps
	./scripts/install-deps.sh --bench
	cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DROSTER_BUILD_TESTS=OFF
	cmake --build build-release -j$(JOBS) --target roster
	cd tests/blackbox && npm ci --no-audit --no-fund
	node bench/bench.mjs --roster build-release/roster --chart docs/perf-chart.png

# The same suite at small scale (about 40 s), so it never rots; part of `make test`. Its numbers
# mean nothing: it fails only when a tool is missing or a request is refused.
bench-smoke: build
	./scripts/install-deps.sh --bench
	cd tests/blackbox && npm ci --no-audit --no-fund
	node bench/bench.mjs --smoke --roster $(ROSTER) --out $(BUILD_DIR)/bench

# Sanitizers and fuzzing (docs/SECURITY.md). One clang build with ASan+UBSan (any report aborts)
# and libFuzzer's coverage instrumentation serves both the sanitized unit, API and transport tests
# and the fuzz targets; only those targets are built. ThreadSanitizer needs its own build: the
# concurrency tests alone (target concurrency_tests).
SAN_DIR      ?= build-asan
TSAN_DIR     ?= build-tsan
SAN_CXX      ?= clang++-14
SAN_CMAKE    := -DCMAKE_CXX_COMPILER=$(SAN_CXX) -DCMAKE_BUILD_TYPE=Debug \
                "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -gline-tables-only" -DROSTER_WERROR=OFF -DROSTER_PCH=ON
FUZZ_TARGETS := fuzz_http_router fuzz_json_bodies fuzz_query_path
FUZZ_SECONDS ?= 30
SYMBOLIZER   := external_symbolizer_path=/usr/lib/llvm-14/bin/llvm-symbolizer
export ASAN_OPTIONS  ?= detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:$(SYMBOLIZER)
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1:$(SYMBOLIZER)
export TSAN_OPTIONS  ?= halt_on_error=1:second_deadlock_stack=1:$(SYMBOLIZER)

sanitize-build: deps
	cmake -S . -B $(SAN_DIR) $(SAN_CMAKE) -DROSTER_SANITIZE=ON -DROSTER_FUZZ=ON
	cmake --build $(SAN_DIR) -j$(JOBS) --target unit_tests api_tests transport_tests $(FUZZ_TARGETS)

# The unit, API (SQLite) and transport suites under ASan+UBSan.
test-sanitize: sanitize-build
	$(SAN_DIR)/unit_tests --gtest_brief=1
	$(SAN_DIR)/api_tests --gtest_brief=1
	$(SAN_DIR)/transport_tests --gtest_brief=1

# Each fuzz target for FUZZ_SECONDS on its committed seeds (fuzz/corpus/<target>/) plus what the
# earlier runs of this build dir found ($(SAN_DIR)/fuzz-corpus/<target>/, not committed). A crash,
# a sanitizer report or a 5xx stops it and fails the target, leaving the input as crash-* here.
fuzz-smoke: sanitize-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(SAN_DIR)/fuzz-corpus/$$t && \
	  echo "fuzz-smoke: $$t for $(FUZZ_SECONDS)s" && \
	  $(SAN_DIR)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=$(SAN_DIR)/ $(SAN_DIR)/fuzz-corpus/$$t fuzz/corpus/$$t \
	    2>$(SAN_DIR)/fuzz-$$t.log || { tail -n 60 $(SAN_DIR)/fuzz-$$t.log; exit 1; }; \
	  grep -E '^stat::(number_of_executed_units|new_units_added)' $(SAN_DIR)/fuzz-$$t.log; \
	done

# Longer fuzzing by hand: `make fuzz FUZZ_SECONDS=600`.
fuzz: fuzz-smoke

# The concurrency tests (group commit, parallel API reads and writes, the transport's concurrent
# parts) under ThreadSanitizer.
test-tsan: deps
	cmake -S . -B $(TSAN_DIR) $(SAN_CMAKE) -DROSTER_TSAN=ON
	cmake --build $(TSAN_DIR) -j$(JOBS) --target concurrency_tests
	$(TSAN_DIR)/concurrency_tests --gtest_brief=1

# Installs the binary into $(PREFIX)/bin and the operator docs (systemd unit, example config)
# into $(PREFIX)/share/doc/roster.
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

format:
	@command -v clang-format >/dev/null || { echo "clang-format not found (apt-get install clang-format)"; exit 1; }
	find src tests -name node_modules -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print \
	  | xargs -r clang-format -i

clean:
	rm -rf $(BUILD_DIR) build-release tests/blackbox/node_modules examples/node/node_modules tests/e2e/node_modules
