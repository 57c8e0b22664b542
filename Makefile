# Roster's front door. `make run` builds and serves; `make test` builds and runs every test.
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc)
ROSTER     := $(BUILD_DIR)/roster

.PHONY: all deps build run test test-unit test-blackbox test-blackbox-postgres test-examples test-e2e bench bench-smoke install format clean

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
	  ROSTER_TEST_PG_URL="$$url" $(MAKE) --no-print-directory -k test-unit test-blackbox \
	    test-blackbox-postgres test-e2e test-examples bench-smoke

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
