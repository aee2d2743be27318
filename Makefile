# lifeboat: the commands a newcomer needs. Everything else is CMake.
BUILD_DIR ?= build
WERROR ?= $(if $(LIFEBOAT_WERROR),$(LIFEBOAT_WERROR),OFF)
# Debug information is off unless asked for: make debug (build-debug/), or DEBUG_INFO=ON.
DEBUG_INFO ?= $(if $(LIFEBOAT_DEBUG_INFO),$(LIFEBOAT_DEBUG_INFO),OFF)
CTEST_JOBS ?= 2

.PHONY: all deps configure build binaries debug test demo bench soak clean package lambda-zip

all: build

deps:
	@scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DLIFEBOAT_WERROR=$(WERROR) -DLIFEBOAT_DEBUG_INFO=$(DEBUG_INFO) >/dev/null

# Everything: both executables, the unit tests, the benchmarks' programs.
build: configure
	@cmake --build $(BUILD_DIR)

# lifeboat and lifeboat-local only: what the demo runs, without the unit tests.
binaries: configure
	@cmake --build $(BUILD_DIR) --target lifeboat lifeboat-local

# The same build with debug information (for gdb), in its own directory so that switching
# back and forth rebuilds nothing; the optimisation stays the same.
debug:
	@$(MAKE) --no-print-directory build BUILD_DIR=build-debug DEBUG_INFO=ON

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(CTEST_JOBS)

# The whole architecture on lifeboat local, a scale-in next to the seed's design, and its
# timeline in demo-out/. DEMO_FLAGS adds options: make demo DEMO_FLAGS="--instances 5".
DEMO_FLAGS ?=
demo: binaries
	$(BUILD_DIR)/lifeboat demo --compare-seed --out demo-out $(DEMO_FLAGS)

bench: build
	@cmake --build $(BUILD_DIR) --target benchmarks
	bench/run

# Crash trials beyond CI's 32: SIGKILL the agent SOAK_TRIALS times while logs rotate.
SOAK_TRIALS ?= 300
soak: build
	cd tests/integration && LIFEBOAT_SOAK_TRIALS=$(SOAK_TRIALS) LIFEBOAT_BIN=$(abspath $(BUILD_DIR))/lifeboat \
	  AWS_EC2_METADATA_DISABLED=true python3 -m unittest -v test_agent_crash

# build/lifeboat_<version>_<arch>.deb: the binary, the agent's unit and configuration, deploy/.
package: build
	@cmake --build $(BUILD_DIR) --target package

# build/lifeboat-controller.zip: the controller as a provided.al2023 Lambda function.
lambda-zip: configure
	@cmake --build $(BUILD_DIR) --target lambda-zip

clean:
	rm -rf $(BUILD_DIR) demo-out
