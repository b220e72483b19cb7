#!/usr/bin/env bash
# The full-size fault run: the hub and the station killed with SIGKILL at
# random moments while syncing (default 100 kills of each), then everything
# compared. Replay a run with FAULT_SEED=N.
#   scripts/faults.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
FAULT_KILLS="${1:-100}" swift test --filter FaultTests 2>&1 | grep -E 'seed|killed|✔|✘|passed|failed'
