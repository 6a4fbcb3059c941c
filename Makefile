# Drives the pipeline and the tests. `make example` and `make check` are the README's
# two commands; each installs what it needs first.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := /opt/swift/usr/bin:$(PATH)

CONFIG ?= debug
BIN = .build/$(CONFIG)
TOOLS = qs-extract clever-map clever-validate clever-csv sftp-put clever-sync
DUMP ?= examples/lincoln-academy/dump
OUT ?= examples/lincoln-academy/out
# `make dry-run STRICT=` lets warnings pass; by default any finding fails the dry run.
STRICT ?= --strict
REPORT_DIR ?= examples/ci/reports

.PHONY: setup build release example example-dump dry-run check test man-lint bench clean

setup:
	@bash .ci/setup

build: setup
	$(if $(filter release,$(CONFIG)),$(MAKE) release,swift build -c $(CONFIG))

# The six executables, optimised, with Swift's runtime and Foundation linked in: a stage
# then starts in a few milliseconds, where the dynamic loader spent 10 to 28 on their
# symbols. One product at a time: the test harness target has no static build.
release: setup
	for tool in $(TOOLS); do swift build -c release --static-swift-stdlib --product $$tool; done

# The main job on the bundled example school: its saved QuickSchools API responses
# replayed, mapped to Clever's records, checked (the school validates clean; a warning
# would not stop it) and written as Clever's files.
example: build
	$(BIN)/qs-extract --from $(DUMP) | $(BIN)/clever-map | $(BIN)/clever-validate \
	  | $(BIN)/clever-csv write -o $(OUT)
	@ls -l $(OUT)

# Saves the example school's dump again, from the scripted QuickSchools server.
example-dump: build
	bash examples/lincoln-academy/make-dump.sh $(BIN)/qs-extract

# The CI dry run of examples/ci/dry-run.sh on the example school: map, validate strictly
# with a JUnit report in $(REPORT_DIR), write into a temporary directory; never uploads.
# Under --strict any warning fails it (status 1); STRICT= lets warnings pass.
dry-run: build
	PATH="$(abspath $(BIN)):$$PATH" STRICT="$(STRICT)" REPORT_DIR="$(REPORT_DIR)" \
	  bash examples/ci/dry-run.sh $(DUMP)

check: setup man-lint
	swift build --build-tests
	swift test --skip-build

man-lint:
	@out=$$(mandoc -Tlint -W warning man/*.[1-8] 2>&1); \
	  if [ -n "$$out" ]; then echo "$$out"; exit 1; fi

# Time and peak memory of the stages on a generated district (see Tests/Benchmarks).
bench: release
	bash Tests/Benchmarks/run.sh $(STUDENTS)

clean:
	rm -rf .build $(OUT) $(REPORT_DIR)
