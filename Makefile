# The README's commands. Each target installs what it needs first (scripts/install-deps is
# idempotent), so every one of them works on a fresh Debian 12 machine.
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: deps build rehearse test test-unit test-integration test-asan test-tsan bench fuzz format clean

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

# Everything CI runs: the whole suite, the same suite under ASan + UBSan, the router's and
# the load generator's tests under ThreadSanitizer, then every fuzz target FUZZ_SECONDS.
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory test-tsan
	$(MAKE) --no-print-directory fuzz

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

# The threads of the data plane under ThreadSanitizer: the router (its io threads against
# real containers), the load generator (its shards, closer and reports) and the fault
# proxy. Only their tests are built. ASLR off (setarch -R): TSan's shadow memory needs the classic layout on
# kernels with more mmap randomness.
TSAN_TARGETS = router_integration_test load_test load_generator_integration_test \
  fault_proxy_integration_test
TSAN_TESTS = ^(router_integration_test|load_generator_integration_test|fault_proxy_integration_test|(Load[A-Za-z]*|ModeProbe|ToggleRecord)\.)
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMEPSIM_TSAN=ON \
	  -DMEPSIM_BUILD_BENCH=OFF $(CMAKE_ARGS)
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target $(TSAN_TARGETS)
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/sanitizer/tsan.supp" \
	  setarch $$(uname -m) -R ctest --test-dir $(TSAN_BUILD) --output-on-failure -j $(JOBS) \
	  -R '$(TSAN_TESTS)'

bench: build
	$(BUILD)/bench/core_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
	bench/router_vs_direct.sh $(BUILD) 5
	bench/fault_proxy_vs_direct.sh $(BUILD) 5
	bench/web_vs_peers.sh $(BUILD) 3 10
	$(BUILD)/bench/sentry_ingest_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
	$(BUILD)/bench/load_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
	bench/load_vs_wrk.sh $(BUILD) 3 5
	bench/load_memory.sh $(BUILD) 10 120

# The libFuzzer targets (clang, with ASan and UBSan), each for FUZZ_SECONDS; FUZZ_TARGETS
# picks some (default: all of tests/fuzz). What they find is kept in build-fuzz/corpus.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz:
	scripts/install-deps fuzz
	tests/fuzz/run $(FUZZ_SECONDS) $(CURDIR)/build-fuzz $(FUZZ_TARGETS)

format:
	git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
