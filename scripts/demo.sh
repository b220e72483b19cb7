#!/usr/bin/env bash
# The README's main job. For now: the offline merge demo of one station's two nodes.
set -euo pipefail
cd "$(dirname "$0")/.."
swift run -q station demo-local
