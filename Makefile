# The two commands the README promises: `make demo` and `make test`.
.PHONY: deps build demo test test-postgres lint format fuzz faults bench

deps:
	@scripts/install-deps.sh

build: deps
	swift build

demo: build
	scripts/demo.sh

# The style of .swift-format, checked (lint) or applied (format).
lint:
	swift format lint --strict -r Sources Tests Fuzz Package.swift

format:
	swift format format -i -r Sources Tests Fuzz Package.swift

# The lint, the tests, the demo (it fails loudly if its conflict does not appear or
# does not settle), then a short libFuzzer run over the push decoder and merge.
test: deps lint
	scripts/postgres-test.sh swift test
	@scripts/demo.sh > .build/demo.log 2>&1 || { cat .build/demo.log; echo "demo: FAILED"; exit 1; }
	@echo "demo: ok (its output is in .build/demo.log)"
	scripts/fuzz.sh 30

# The PostgreSQL connection's tests, against a throwaway cluster the script
# starts and removes (scripts/postgres-test.sh).
test-postgres: deps
	scripts/postgres-test.sh swift test --filter PostgresTests

fuzz: deps
	scripts/fuzz.sh 600

faults: deps
	scripts/faults.sh 100

bench: deps
	swift run -c release sync-bench
	.build/release/sync-bench link
