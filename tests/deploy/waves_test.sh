#!/bin/sh
# Waves: two Debian roots, one in ring test and one in ring broad. The
# test host's upgrade fails its health check and is rolled back; with the
# test ring's default max-failures 0 the run halts and the broad host is
# left untouched, and hfx notify tells a webhook receiver on loopback of
# the rollback and the halted wave, once. Then, with the test ring allowed
# one failure, the broad host runs.
. tests/lib.sh
. tests/deploy/lib.sh

export HFX_USER=alice HFX_NOW=2026-11-28T10:00:00Z
deploy_repo "$TMP/repo"
deploy_root t; T=$DEPLOY_ROOT
deploy_root b; B=$DEPLOY_ROOT
for r in "$T" "$B"; do
	deploy_add_repo "$r" "$DEPLOY_REPO"
	deploy_chroot "$r" apt-get install -y -q hfx-demo=1.0-1 hfx-demo-lib=1.0-1 >/dev/null ||
		{ fail "install 1.0"; finish; }
done
touch "$B/etc/hfx-healthy" # only the broad host is healthy
osv_record FIX-DEMO hfx-demo 1.1-1
HOOK=$TMP/hook
mkdir -p "$HOOK"
/usr/bin/python3 "$ROOT/tests/notify/webhook_server.py" "$HOOK" &
HOOK_PID=$!
for _ in $(seq 100); do [ -f "$HOOK/port" ] && break; sleep 0.1; done
printf '[group "lab"]\nhealth-check = test -e /etc/hfx-healthy\nmax-unavailable = 2\n' >"$TMP/hfx.conf"
printf '[notify]\nwebhook = http://127.0.0.1:%s/hook\n' "$(cat "$HOOK/port")" >>"$TMP/hfx.conf"
export HFX_CONFIG="$TMP/hfx.conf"
hfx init >/dev/null
hfx feed import "$TMP/FIX-DEMO.json" >/dev/null
hfx host collect --root "$T" --name tst >/dev/null && hfx host collect --root "$B" --name brd >/dev/null
hfx host set tst "transport=chroot:$T" ring=test group=lab "window=daily 00:00-24:00" >/dev/null
hfx host set brd "transport=chroot:$B" ring=broad group=lab "window=daily 00:00-24:00" >/dev/null
hfx scan >/dev/null && hfx decide FIX-DEMO approve >/dev/null && hfx plan create >/dev/null &&
	hfx plan approve 1 >/dev/null || fail "plan"

expect_exit 1 "the run fails" -- hfx deploy run 1 --now
grep -q "wave 1 halted" "$TMP/out" && ok "wave 1 halted" || { fail "not halted"; cat "$TMP/out"; }
check "the test host rolled back" "$(deploy_version "$T" hfx-demo)" "1.0-1"
check "the broad host untouched" "$(deploy_version "$B" hfx-demo)" "1.0-1"
check "no job for the broad host" "$(hfx deploy status 1 | grep -c '^job .* brd ')" "0"

expect_exit 1 "run again: the failed wave still halts" -- hfx deploy run 1 --now
check "the broad host still untouched" "$(deploy_version "$B" hfx-demo)" "1.0-1"

# The news of it: the rollback and the halted wave, in one digest, once.
hfx notify >/dev/null || fail "notify"
/usr/bin/python3 - "$HOOK/001.json" >"$TMP/events" <<'PY'
import json, sys
for ev in json.load(open(sys.argv[1]))["events"]:
    if ev["kind"] in ("deploy", "halt"):
        print(ev["kind"], ev.get("host", "-"), ev.get("state", "-"), ev["wave"], ev["ring"])
PY
check "the webhook heard of the rollback and the halt" "$(cat "$TMP/events" | tr '\n' ';')" \
	"deploy tst rolled-back 1 test;halt - - 1 test;"
hfx notify >/dev/null
check "and only once" "$(ls "$HOOK"/*.json | wc -l)" 1
kill "$HOOK_PID"

printf '[ring "test"]\nmax-failures = 1\n' >>"$TMP/hfx.conf"
hfx deploy run 1 --now >"$TMP/out2" 2>&1
check "with one failure allowed, the broad wave runs" "$(deploy_version "$B" hfx-demo)" "1.1-1"
check "the failed job is not retried" "$(deploy_version "$T" hfx-demo)" "1.0-1"
finish
