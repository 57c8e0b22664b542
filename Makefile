# Roster's front door. `make run` builds and serves; `make test` builds and runs every test.
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
ROSTER     := $(BUILD_DIR)/roster

.PHONY: all deps build run test test-unit test-blackbox format clean

all: build

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	./$(ROSTER) serve

test: build
	$(MAKE) --no-print-directory -k test-unit test-blackbox

test-unit:
	ctest --test-dir $(BUILD_DIR) --output-on-failure

# The node test runner's TAP reporter ends with `# pass N` / `# fail N`.
test-blackbox:
	cd tests/blackbox && npm ci --no-audit --no-fund && \
	  ROSTER_BIN=../../$(ROSTER) node --test --test-reporter=tap

format:
	@command -v clang-format >/dev/null || { echo "clang-format not found (apt-get install clang-format)"; exit 1; }
	find src tests -name node_modules -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print \
	  | xargs -r clang-format -i

clean:
	rm -rf $(BUILD_DIR) tests/blackbox/node_modules
