#!/bin/sh
# hfx watch: two cycles against a file:// mirror of the real feeds and the
# real Debian 12 host - the first syncs, scans, notifies a webhook receiver
# on loopback and finds an approved plan's job waiting for its window; the
# second downloads nothing and notifies nothing - then it stops by itself.
# A watch running until SIGTERM holds the database's lock (a second one is
# refused) and stops cleanly on SIGTERM, releasing it.
. tests/lib.sh
need_data mirror/osv/Debian/all.zip mirror/kev/known_exploited_vulnerabilities.json \
	mirror/epss/epss_scores-current.csv.gz inventories/debian12-host/dpkg-status
PY=/usr/bin/python3
export HFX_NOW=2026-11-28T10:00:00Z HFX_USER=alice
export HFX_MIRROR="file://$(cd "$DATA/mirror" && pwd)"

HOOK=$TMP/hook
mkdir -p "$HOOK"
$PY "$ROOT/tests/notify/webhook_server.py" "$HOOK" &
HOOK_PID=$!
trap 'kill $HOOK_PID $WATCH 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
WATCH=
for _ in $(seq 100); do [ -f "$HOOK/port" ] && break; sleep 0.1; done
printf '[notify]\nwebhook = http://127.0.0.1:%s/hook\n' "$(cat "$HOOK/port")" >"$TMP/hfx.conf"
export HFX_CONFIG="$TMP/hfx.conf"

hfx init >/dev/null
hfx host import "$DATA/inventories/debian12-host/dpkg-status" --name web1 >/dev/null
# An approved plan whose only job waits for Sunday's window.
hfx feed import "$DATA/mirror/osv/Debian/all.zip" >/dev/null
hfx host set web1 "window=sun 02:00-04:00" "tz=UTC" >/dev/null
hfx scan >/dev/null && hfx decide DEBIAN-CVE-2018-13410 approve >/dev/null &&
	hfx plan create --only DEBIAN-CVE-2018-13410 >/dev/null && hfx plan approve 1 >/dev/null ||
	fail "plan"

expect_exit 0 "two cycles" -- hfx watch --interval 1s --cycles 2
out=$TMP/out
check "two cycles ran" "$(grep -c '^cycle [12] at ' "$out")" 2
sed -n '/^cycle 1/,/^cycle 2/p' "$out" >"$TMP/c1"
sed -n '/^cycle 2/,$p' "$out" >"$TMP/c2"
grep -q "kev/known_exploited_vulnerabilities.json (kev): [1-9][0-9]* new" "$TMP/c1" &&
	ok "cycle 1 synced the feeds" || fail "cycle 1: $(cat "$TMP/c1")"
grep -q "^scanned 1 host" "$TMP/c1" && ok "cycle 1 scanned" || fail "no scan in cycle 1"
grep -q "^notify: [1-9][0-9]* events sent" "$TMP/c1" && ok "cycle 1 notified" ||
	fail "no notification in cycle 1"
grep -q "^deploy plan 1: 0 jobs run: .*; 1 waiting for their window" "$TMP/c1" &&
	ok "the plan's job waits for its window" || fail "deploy: $(grep deploy "$TMP/c1")"
check "cycle 2 downloaded nothing" "$(grep -c 'not modified since the last sync' "$TMP/c2")" 3
grep -q "^notify: 0 events sent" "$TMP/c2" && ok "cycle 2 notified nothing" ||
	fail "cycle 2: $(cat "$TMP/c2")"
check "one digest reached the webhook" "$(ls "$HOOK"/*.json | wc -l)" 1
$PY -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["text"]' "$HOOK/001.json" &&
	ok "the digest is JSON with a text" || fail "digest"

# Until SIGTERM: the lock, and a clean stop.
"$HFX" watch --interval 1h --no-sync >"$TMP/bg" 2>&1 &
WATCH=$!
for _ in $(seq 200); do grep -q "^deploy plan" "$TMP/bg" && break; sleep 0.1; done
grep -q "^deploy plan" "$TMP/bg" || fail "the first cycle did not finish: $(cat "$TMP/bg")"
expect_exit 1 "a second watch on the same database" -- hfx watch --cycles 1 --no-sync
expect_err "another hfx watch is running on $HFX_DB (pid $WATCH)"
kill -TERM "$WATCH"
rc=0; wait "$WATCH" || rc=$?
WATCH=
check "SIGTERM stops it with status 0" "$rc" 0
grep -q "^stopped by SIGTERM" "$TMP/bg" && ok "it says so" || fail "output: $(cat "$TMP/bg")"
expect_exit 0 "the lock is free again" -- hfx watch --cycles 1 --no-sync --no-deploy
expect_exit 2 "a bad interval" -- hfx watch --interval 5x
expect_err "--interval '5x': expected a duration from 1s to 7d"
expect_exit 0 "the audit chain is intact" -- hfx audit verify

# The systemd units of contrib/, as make install writes them.
if command -v systemd-analyze >/dev/null; then
	make -s -C "$ROOT" install PREFIX="$TMP/inst" >/dev/null || fail "make install"
	expect_exit 0 "systemd-analyze verify accepts the units" -- systemd-analyze verify \
		"$TMP/inst/lib/systemd/system/hfx-watch.service" \
		"$TMP/inst/lib/systemd/system/hfx-cycle.service" \
		"$TMP/inst/lib/systemd/system/hfx-cycle.timer"
	grep -q "^ExecStart=$TMP/inst/bin/hfx .* watch --interval 1h" \
		"$TMP/inst/lib/systemd/system/hfx-watch.service" && ok "the service runs hfx watch" ||
		fail "ExecStart"
else
	echo "SKIP (part): systemd-analyze is not installed; the units are not verified"
fi
finish
