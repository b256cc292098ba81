# The README's commands. Each target installs what it needs first (scripts/install-deps is
# idempotent), so every one of them works on a fresh Debian 12 machine.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: deps build rehearse test test-unit test-integration test-asan bench fuzz format clean

deps:
	scripts/install-deps

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)
	cmake --build $(BUILD) -j $(JOBS)

# The main job: stand the topology up, prove its servers answer real clients, shut down;
# then run the scenario library and write its reports.
REPORTS ?= reports
rehearse: build
	scripts/rehearse $(BUILD)/harness/mepsim
	mkdir -p $(REPORTS)
	$(BUILD)/harness/mepsim run scenarios/ --junit $(REPORTS)/junit.xml \
	  --json $(REPORTS)/run.json --html $(REPORTS)/run.html

# Everything CI runs: the whole suite, then the same suite under ASan + UBSan.
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-asan

test-unit: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -L unit

test-integration: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -L integration

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMEPSIM_SANITIZE=ON \
	  -DMEPSIM_BUILD_BENCH=OFF $(CMAKE_ARGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizer/lsan.supp \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

bench: build
	$(BUILD)/bench/core_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
	bench/router_vs_direct.sh $(BUILD) 5
	bench/web_vs_peers.sh $(BUILD) 3 10
	$(BUILD)/bench/sentry_ingest_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
	$(BUILD)/bench/load_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
	bench/load_vs_wrk.sh $(BUILD) 3 5
	bench/load_memory.sh $(BUILD) 10 120

# The Sentry envelope parser under libFuzzer (clang), for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
fuzz: deps
	tests/fuzz/run $(FUZZ_SECONDS) $(CURDIR)/build-fuzz

format:
	git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
