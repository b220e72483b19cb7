# The two commands the README promises: `make demo` and `make test`.
.PHONY: deps build demo test bench

deps:
	@scripts/install-deps.sh

build: deps
	swift build

demo: build
	scripts/demo.sh

test: deps
	swift test

bench: deps
	swift run -c release sync-bench
