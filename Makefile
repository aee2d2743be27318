# lifeboat: the commands a newcomer needs. Everything else is CMake.
BUILD_DIR ?= build
WERROR ?= $(if $(LIFEBOAT_WERROR),$(LIFEBOAT_WERROR),OFF)
DEBUG_INFO ?= $(if $(LIFEBOAT_DEBUG_INFO),$(LIFEBOAT_DEBUG_INFO),ON)
CTEST_JOBS ?= 2

.PHONY: all deps build test demo bench soak clean package lambda-zip

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DLIFEBOAT_WERROR=$(WERROR) -DLIFEBOAT_DEBUG_INFO=$(DEBUG_INFO) >/dev/null
	@cmake --build $(BUILD_DIR)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(CTEST_JOBS)

# The whole architecture on lifeboat local, a scale-in next to the seed's design, and its
# timeline in demo-out/. DEMO_FLAGS adds options: make demo DEMO_FLAGS="--instances 5".
DEMO_FLAGS ?=
demo: build
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
lambda-zip: build
	@cmake --build $(BUILD_DIR) --target lambda-zip

clean:
	rm -rf $(BUILD_DIR) demo-out
