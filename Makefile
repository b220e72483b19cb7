# The two commands the README promises: `make demo` and `make test`.
.PHONY: deps build demo test test-postgres lint format fuzz faults bench bench-postgres

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

# Issue #16's figures: 2,000 stations x 3 rounds through two hub processes on
# one PostgreSQL, then one station's pull from 100,000 rows vs 10 million
# (about 8 GB of database, 3 minutes to fill), on a throwaway cluster.
bench-postgres: deps
	swift build -c release --product hub
	swift build -c release --product station
	swift build -c release --product sync-bench
	scripts/postgres-test.sh sh -c '.build/release/sync-bench load --db "$$HEALTH_SYNC_POSTGRES_URL" --hubs 2 --stations 2000 && .build/release/sync-bench pull-cost --db "$$HEALTH_SYNC_POSTGRES_URL"'
