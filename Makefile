# SPDX-License-Identifier: MIT
# The two commands of README.md, and the benchmarks.
#   make run   - bootstrap, build, create ./demo if absent, serve it on 127.0.0.1:8080
#   make test  - bootstrap, the normal build and its tests, then the
#                ASan+UBSan build (clang, with libFuzzer) and its tests
#   make bench - the benchmarks under bench/ (by hand; never in CI; bench/serve needs nginx
#                and wrk, bench/publish hugo, bench/search PostgreSQL 15)
BUILD ?= build
SANBUILD ?= build-asan
JOBS ?= $(shell nproc)
CTEST = ctest --output-on-failure -j $(JOBS)

.PHONY: run test bench bootstrap build build-asan clean

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMH_WERROR=ON >/dev/null
	@cmake --build $(BUILD)

build-asan: bootstrap
	@CC=clang cmake -S . -B $(SANBUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMH_WERROR=ON \
		-DMH_SANITIZE=ON -DMH_FUZZ=ON >/dev/null
	@cmake --build $(SANBUILD)

run: build
	@if [ ! -d demo ]; then $(BUILD)/masthead demo demo; else echo "using the demo newspaper in ./demo"; fi
	@echo "make run: open http://127.0.0.1:8080/ (Ctrl-C stops the server)"
	@$(BUILD)/masthead serve demo --listen 127.0.0.1:8080

test: build build-asan
	@echo "== tests: normal build ($(BUILD))"
	@cd $(BUILD) && $(CTEST)
	@echo "== tests: ASan+UBSan build ($(SANBUILD)), unit, integration and fuzz smoke"
	@cd $(SANBUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(CTEST)

bench: build
	@bench/import --build $(BUILD)
	@bench/import_wxr --build $(BUILD)
	@bench/serve --build $(BUILD) --rss
	@bench/admin --build $(BUILD)
	@bench/publish --build $(BUILD)
	@bench/search --build $(BUILD)

clean:
	rm -rf $(BUILD) $(SANBUILD)
