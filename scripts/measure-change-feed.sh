#!/usr/bin/env bash
# Times `nodectl changes` on a large replica: docs/PERFORMANCE.md, "The change feed".
#
# Usage: scripts/measure-change-feed.sh NODECTL [customers=10000]
#   NODECTL  a release build (swift build -c release; .build/release/nodectl)
#   SKIPALL=1 skips timing the whole feed; KEEP=1 keeps the replica (its folder is printed).
# Needs sqlite3 and python3 (its sqlite3 module uses the same system SQLite).
set -e
BIN=${1:?usage: measure-change-feed.sh NODECTL [customers]}; N=${2:-10000}
D=$(mktemp -d /tmp/change-feed.XXXX)/node
F=$(dirname $D)/feed.json
export NEXTSOFT_USER=
$BIN init --name perf --data $D > /dev/null
$BIN populate --customers $N --journal 5 --data $D --json
sleep 2
T=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1
$BIN populate --edit-phones 1 --every 100 --data $D --json
echo "changes in the log: $(sqlite3 $D/replica.sqlite 'SELECT count(*) FROM changes')"
ID=$(sqlite3 $D/replica.sqlite "SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET $((N/2))")
TIMEFORMAT='%R s'
run() {
  echo "== nodectl changes $* --json"
  for i in 1 2 3; do
    { time $BIN changes "$@" --json --data $D > $F ; } 2>&1 | tr '\n' ' '
    echo " rows: $(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' $F)"
  done
}
run --since $T
run --limit 50
run --customer $ID
run --customer $ID --since $T
if [ -z "$SKIPALL" ]; then echo "== for scale: the whole feed"
{ time $BIN changes --json --data $D > $F ; } 2>&1; fi
echo "== process start alone: nodectl id --json"
for i in 1 2 3; do { time $BIN id --json --data $D > /dev/null ; } 2>&1; done
echo "== the feed's --since query in SQLite (Python sqlite3, same system SQLite): by the index, and NOT INDEXED (a scan)"
python3 - "$D/replica.sqlite" "$T" <<'PY'
import sqlite3, sys, time, datetime
db = sqlite3.connect(sys.argv[1])
since = int(datetime.datetime.fromisoformat(sys.argv[2].replace("Z", "+00:00")).timestamp() * 1000) << 16
q = ("SELECT c.origin, c.hlc, c.entity, c.entity_id, c.field, c.op, c.value, c.person FROM changes c {} "
     "WHERE c.hlc >= ? AND NOT EXISTS (SELECT 1 FROM held_changes h WHERE h.change = c.local_order) "
     "ORDER BY c.hlc, c.local_order")
for name, hint in [("index", ""), ("scan", "NOT INDEXED")]:
    print(name, [r[3] for r in db.execute("EXPLAIN QUERY PLAN " + q.format(hint), (since,))])
    best = None
    for _ in range(5):
        t = time.perf_counter(); rows = db.execute(q.format(hint), (since,)).fetchall(); e = time.perf_counter() - t
        best = e if best is None else min(best, e)
    print(f"{name}: {len(rows)} rows, best of 5 {best*1000:.2f} ms")
PY
du -h $D/replica.sqlite
if [ -n "$KEEP" ]; then echo "kept: $D"; else rm -rf $(dirname $D); fi
