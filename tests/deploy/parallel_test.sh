#!/bin/sh
# Bounded parallel jobs: three Debian roots in one group whose
# max-unavailable is 2. The plan puts two hosts in the first slot and the
# third after them; `deploy run --jobs 4` runs the first two at the same
# time and the third only after both ended (jobs run together only where
# their planned times overlap), and the journal and the audit chain stay
# whole with several writers.
. tests/lib.sh
. tests/deploy/lib.sh

export HFX_USER=alice HFX_NOW=2026-11-28T10:00:00Z
deploy_repo "$TMP/repo"
for n in h1 h2 h3; do
	deploy_root "$n"
	deploy_add_repo "$DEPLOY_ROOT" "$DEPLOY_REPO"
	deploy_chroot "$DEPLOY_ROOT" apt-get install -y -q hfx-demo=1.0-1 hfx-demo-lib=1.0-1 \
		>/dev/null || { fail "install 1.0 in $n"; finish; }
done
osv_record FIX-DEMO hfx-demo 1.1-1
# The hooks leave the job's first and last moment on each host.
printf '[group "lab"]\nmax-unavailable = 2\npre-hook = touch /var/tmp/hfx-began\npost-hook = touch /var/tmp/hfx-ended\n' \
	>"$TMP/hfx.conf"
export HFX_CONFIG="$TMP/hfx.conf"
hfx init >/dev/null
hfx feed import "$TMP/FIX-DEMO.json" >/dev/null
for n in h1 h2 h3; do
	hfx host collect --root "$TMP/$n" --name "$n" >/dev/null
	hfx host set "$n" "transport=chroot:$TMP/$n" ring=broad group=lab "window=daily 00:00-24:00" \
		>/dev/null
done
hfx scan >/dev/null && hfx decide FIX-DEMO approve >/dev/null && hfx plan create >/dev/null &&
	hfx plan approve 1 >/dev/null || fail "plan"
# The plan's slots: "host start" per job, by start.
hfx plan show 1 --format json | /usr/bin/python3 -c '
import json, sys
for j in sorted(json.load(sys.stdin)["jobs"], key=lambda j: (j["start"], j["host"])):
    print(j["host"], j["start"])' >"$TMP/slots"
first=$(awk 'NR == 1 { print $2 }' "$TMP/slots")
check "two hosts share the first slot" "$(awk -v s="$first" '$2 == s' "$TMP/slots" | wc -l)" 2
late=$(awk -v s="$first" '$2 != s { print $1 }' "$TMP/slots")
early=$(awk -v s="$first" '$2 == s { print $1 }' "$TMP/slots" | tr '\n' ' ')

expect_exit 0 "deploy with --jobs 4" -- hfx deploy run 1 --now --jobs 4
for n in h1 h2 h3; do check "$n upgraded" "$(deploy_version "$TMP/$n" hfx-demo)" "1.1-1"; done
at() { date -r "$TMP/$1/var/tmp/hfx-$2" +%s.%N; }
set -- $early
/usr/bin/python3 - "$(at "$1" began)" "$(at "$1" ended)" "$(at "$2" began)" "$(at "$2" ended)" \
	"$(at "$late" began)" <<'PY' >"$TMP/order"
import sys
b1, e1, b2, e2, b3 = map(float, sys.argv[1:])
print("together" if b1 < e2 and b2 < e1 else "apart")
print("after" if b3 >= max(e1, e2) else "overlapping")
PY
check "the first slot's two jobs ran at the same time" "$(sed -n 1p "$TMP/order")" together
check "the third began after both ended" "$(sed -n 2p "$TMP/order")" after
check "three jobs done" "$(sqlite3 "$HFX_DB" "SELECT count(*) FROM deploy_job WHERE state = 'done'")" 3
expect_exit 0 "the audit chain is whole after concurrent writers" -- hfx audit verify
finish
