# Drives the pipeline and the tests. `make example` and `make check` are the README's
# two commands; each installs what it needs first.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := /opt/swift/usr/bin:$(PATH)

CONFIG ?= debug
BIN = .build/$(CONFIG)
SCHOOL ?= examples/lincoln-academy/school.ndjson
OUT ?= examples/lincoln-academy/out

.PHONY: setup build example check test man-lint bench clean

setup:
	@bash .ci/setup

build: setup
	swift build -c $(CONFIG)

# The main job on the bundled example school: QuickSchools records to Clever's files.
example: build
	$(BIN)/clever-map $(SCHOOL) | $(BIN)/clever-csv write -o $(OUT)
	@ls -l $(OUT)

check: setup man-lint
	swift build --build-tests
	swift test --skip-build

man-lint:
	@out=$$(mandoc -Tlint -W warning man/*.[1-8] 2>&1); \
	  if [ -n "$$out" ]; then echo "$$out"; exit 1; fi

# Time and peak memory of the stages on a generated district (see Tests/Benchmarks).
bench: setup
	swift build -c release
	bash Tests/Benchmarks/run.sh $(STUDENTS)

clean:
	rm -rf .build $(OUT)
