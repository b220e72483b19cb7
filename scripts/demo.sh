#!/usr/bin/env bash
# The README's main job: a district hub and three stations, end to end, on this
# machine. Builds, starts a hub on a free port with a temporary database,
# registers three stations, enters synthetic residents and last month's tallies
# offline at each, syncs, makes a concurrent edit that becomes a conflict,
# resolves it at the hub, syncs again, prints the district report, and stops
# the hub. Leaves nothing running and nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -q --product station
swift build -q --product hub
BIN="$(swift build --show-bin-path)"
WORK="$(mktemp -d)"
HUB_PID=""
cleanup() {
    if [ -n "$HUB_PID" ] && kill -0 "$HUB_PID" 2>/dev/null; then
        kill -TERM "$HUB_PID" 2>/dev/null || true
        wait "$HUB_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }
hub() { "$BIN/hub" "$@" --db "$WORK/hub.sqlite"; }
station() { local node="$1"; shift; "$BIN/station" "$@" --db "$WORK/$node.sqlite"; }
PERIOD="$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m)"

say "registering two townships and the stations at the hub (this makes the hub's database)"
hub unit add T01 --name 青禾镇
hub unit add T02 --name 南塘街道
while IFS=$'\t' read -r ID NAME; do
    UNIT=T01
    [ "$ID" = S03 ] && UNIT=T02
    hub station add "$ID" --name "$NAME" --unit "$UNIT" >"$WORK/$ID.token"
    echo "registered $ID $NAME"
done < <(seeds/generate_demo.py stations)

say "starting the district hub"
"$BIN/hub" serve --db "$WORK/hub.sqlite" --port 0 >"$WORK/hub.out" 2>"$WORK/hub.log" &
HUB_PID=$!
for _ in $(seq 1 100); do
    grep -q '^listening on ' "$WORK/hub.out" 2>/dev/null && break
    sleep 0.1
done
URL="$(sed -n 's/^listening on //p' "$WORK/hub.out")"
[ -n "$URL" ] || { echo "the hub did not start:"; cat "$WORK/hub.log"; exit 1; }
echo "hub at $URL"

while IFS=$'\t' read -r ID NAME; do
    say "station $ID $NAME: registered, works offline, then syncs"
    TOKEN="$(cat "$WORK/$ID.token")"
    station "$ID" init --station "$ID" --name "$NAME" --hub "$URL" --token "$TOKEN" --clerk "录入员"
    seeds/generate_demo.py residents "$ID" 40 >"$WORK/$ID.csv"
    STATION_CLERK="录入员" station "$ID" record import "$WORK/$ID.csv"
    count=0
    while read -r ELEMENT VALUE; do
        station "$ID" tally set "$ELEMENT" "$PERIOD" "$VALUE" --clerk "录入员" >/dev/null 2>&1
        count=$((count + 1))
    done < <(seeds/generate_demo.py tallies "$ID" "$PERIOD")
    echo "entered $count tallies for $PERIOD"
    station "$ID" sync
done < <(seeds/generate_demo.py stations)

say "hub: registered stations"
hub station list

say "a second laptop joins station S01 and pulls its records"
TOKEN_S01="$(cat "$WORK/S01.token")"
station S01-laptop2 init --station S01 --name "青禾社区卫生服务站 (laptop 2)" --hub "$URL" --token "$TOKEN_S01"
station S01-laptop2 sync
# A record whose village is neither of the two the laptops will type, so both
# edits are real changes.
RECORD="$(station S01 record list --json | python3 -c '
import json, sys
print(next(r["id"] for r in json.load(sys.stdin) if r["village"] not in ("桑园村", "柳溪村")))')"

say "offline, both laptops change the village of record $RECORD"
station S01 record edit "$RECORD" --set village=桑园村 --clerk 李护士
station S01-laptop2 record edit "$RECORD" --set village=柳溪村 --clerk 王医生
station S01 sync
station S01-laptop2 sync

say "hub: the conflict, every candidate kept"
hub conflicts list
hub conflicts show "$RECORD"

say "hub: the operator settles it, and both laptops receive the resolution"
hub conflicts resolve "$RECORD" --take 1 --operator 陈主任
station S01 sync
station S01-laptop2 sync
echo "laptop 1: village $(station S01 record show "$RECORD" --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["village"], "conflicts:", len(r["conflicts"]))')"
echo "laptop 2: village $(station S01-laptop2 record show "$RECORD" --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["village"], "conflicts:", len(r["conflicts"]))')"

say "S01 and S03 submit $PERIOD; S01's township approves it, then the district, which locks it"
station S01 report submit "$PERIOD" --explain "demo: figures checked by the clerk"
station S03 report submit "$PERIOD" --explain "demo: figures checked by the clerk"
hub submissions approve S01 "$PERIOD" --level unit --operator 王站长
hub submissions approve S01 "$PERIOD" --operator 陈主任
station S01 sync >/dev/null
station S01 tally set LIVE_BIRTHS "$PERIOD" 99 || echo "(refused: the month is locked)"
hub submissions list --period "$PERIOD"

say "hub: district report for $PERIOD, with township subtotals"
hub report --period "$PERIOD"

say "stopping the hub"
kill -TERM "$HUB_PID"
wait "$HUB_PID" 2>/dev/null || true
HUB_PID=""
echo "done"
