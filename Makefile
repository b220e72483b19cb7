# The two commands the README promises: `make demo` and `make test`.
.PHONY: deps build demo test fuzz faults bench

deps:
	@scripts/install-deps.sh

build: deps
	swift build

demo: build
	scripts/demo.sh

# The tests, then a short libFuzzer run over the push decoder and merge.
test: deps
	swift test
	scripts/fuzz.sh 30

fuzz: deps
	scripts/fuzz.sh 600

faults: deps
	scripts/faults.sh 100

bench: deps
	swift run -c release sync-bench
