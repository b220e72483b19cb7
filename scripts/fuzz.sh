#!/usr/bin/env bash
# Builds the libFuzzer target over the push decoder and merge (the SyncModel
# target's sources), and runs it.
#   scripts/fuzz.sh [SECONDS] [SEED]      (defaults: 30 s, a random seed, printed)
# The committed corpus (Fuzz/corpus) is the starting point; new inputs go to a
# scratch copy, so the run leaves the tree as it was. A crash writes
# .build-fuzz/crash-* and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-30}"
SEED="${2:-$(( (RANDOM << 15) | RANDOM ))}"
OUT=.build-fuzz
mkdir -p "$OUT"
# The whole model target (pure Swift: no C, no SQL, no I/O) and the fuzz entry point.
mapfile -t SOURCES < <(find Sources/SyncCore/Model -name '*.swift' | sort)
SOURCES+=(Fuzz/PushFuzzer.swift)
if [ ! -x "$OUT/push-fuzzer" ] || [ -n "$(find "${SOURCES[@]}" -newer "$OUT/push-fuzzer" 2>/dev/null)" ]; then
    echo "building the push fuzzer"
    swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name SyncModelFuzz -package-name health_sync "${SOURCES[@]}" \
        -o "$OUT/push-fuzzer" 2> >(grep -v "Cannot export local symbol" >&2)
fi
rm -rf "$OUT/corpus" && mkdir -p "$OUT/corpus"
echo "fuzzing for ${SECONDS_TO_RUN}s with seed $SEED"
"$OUT/push-fuzzer" -seed="$SEED" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 \
    -artifact_prefix="$OUT/" -print_final_stats=1 "$OUT/corpus" Fuzz/corpus 2>&1 | grep -vE '^#[0-9]+\s+(NEW|REDUCE|pulse)' | tail -25
