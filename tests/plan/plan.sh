#!/bin/sh
# The planner end to end: supersedence (one upgrade to the highest fixed
# version), one job and one reboot per host, windows across midnight and
# across both daylight-saving changes (Europe/Berlin), blackouts,
# max-unavailable at every moment (checked over the JSON), ring order and
# soak, deadlines that cannot be met, hosts without windows or with an
# unknown ring, emergency windows for expedited fixes, approval and
# immutability, iCalendar output parsed by a real iCalendar library.
. tests/lib.sh

export HFX_USER=alice HFX_NOW=2026-11-28T10:00:00Z
status() { # status FILE "name version [source]"...
	out=$1; shift; : >"$out"
	for p in "$@"; do
		set -- $p
		printf 'Package: %s\nStatus: install ok installed\nArchitecture: amd64\nVersion: %s\n' "$1" "$2" >>"$out"
		[ -n "${3:-}" ] && printf 'Source: %s\n' "$3" >>"$out"
		printf '\n' >>"$out"
	done
}
osv_record ZIP-1 zip 3.0-13+deb12u1
osv_record ZIP-2 zip 3.0-13+deb12u3
osv_record ZIP-3 zip 3.0-13+deb12u2
osv_record LIBC-1 glibc 2.36-9+deb12u9
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

hfx init >/dev/null
hfx feed import "$TMP"/ZIP-1.json "$TMP"/ZIP-2.json "$TMP"/ZIP-3.json "$TMP"/LIBC-1.json >/dev/null
status "$TMP/zip" "zip 3.0-13"
status "$TMP/both" "zip 3.0-13" "libc6 2.36-9+deb12u4 glibc" "libc-bin 2.36-9+deb12u4 glibc"
add() { # add NAME STATUS KEY=VALUE...
	n=$1 f=$2; shift 2
	hfx host import "$TMP/$f" --name "$n" --os debian:12 >/dev/null && hfx host set "$n" "$@" >/dev/null ||
		fail "add $n"
}
# ring test: two hosts in group lab with a window across midnight (UTC)
add t1 both ring=test group=lab "window=sat 23:00-01:00"
add t2 zip ring=test group=lab "window=sat 23:00-01:00"
# ring pilot: Berlin, Sunday 02:00-04:00, group berlin (max-unavailable 1)
for i in 1 2 3 4; do add b$i zip ring=pilot group=berlin "window=sun 02:00-04:00" tz=Europe/Berlin; done
# ring broad: group web of 4 with max-unavailable 50%, daily 01:00-03:00 UTC
for i in 1 2 3 4; do add w$i zip group=web "window=daily 01:00-03:00"; done
add nowin zip group=misc
add odd zip ring=canary group=misc "window=daily 01:00-03:00"
hfx scan >/dev/null || fail "scan"
for a in ZIP-1 ZIP-2 ZIP-3 LIBC-1; do hfx decide $a approve >/dev/null || fail "approve $a"; done

cat >"$TMP/hfx.conf" <<'CONF'
[due]
scheduled = 60
immediate = 60
out-of-cycle = 60
defer = 60
[ring "test"]
soak-hours = 48
[group "web"]
max-unavailable = 50%
[blackout "freeze"]
from = 2026-12-06T00:00:00Z
to = 2026-12-07T00:00:00Z
group = berlin
CONF
export HFX_CONFIG="$TMP/hfx.conf"
hfx plan create --from 2026-11-28T10:00:00Z >"$TMP/out" || { fail "plan create"; cat "$TMP/out"; }
hfx plan show 1 --format json >"$TMP/p.json" || fail "plan show json"

# Supersedence: one zip upgrade, to deb12u3, naming all three advisories.
check "supersedence" "$(json "$TMP/p.json" "[(p['to'], sorted(p['advisories'])) for j in d['jobs'] if j['host']=='t2' for p in j['packages']]")" \
	"[('3.0-13+deb12u3', ['ZIP-1', 'ZIP-2', 'ZIP-3'])]"
# One job per host; t1 reboots once for the C library and gets zip too.
check "one job per host" "$(json "$TMP/p.json" "sorted(j['host'] for j in d['jobs'])")" \
	"['b1', 'b2', 'b3', 'b4', 't1', 't2', 'w1', 'w2', 'w3', 'w4']"
check "one reboot, all packages in one job" "$(json "$TMP/p.json" "[(j['reboot'], sorted(p['name'] for p in j['packages'])) for j in d['jobs'] if j['host']=='t1']")" \
	"[(True, ['libc-bin', 'libc6', 'zip'])]"
check "no reboot for zip alone" "$(json "$TMP/p.json" "[j['reboot'] for j in d['jobs'] if j['host']=='t2']")" "[False]"
# Across midnight: t1 (45 min with its reboot) at 23:00, t2 at 23:45, past midnight.
check "window across midnight" "$(json "$TMP/p.json" "[(j['host'], j['start'], j['end']) for j in d['jobs'] if j['ring']=='test']")" \
	"[('t1', '2026-11-28T23:00:00Z', '2026-11-28T23:45:00Z'), ('t2', '2026-11-28T23:45:00Z', '2026-11-29T00:15:00Z')]"
# Ring soak: pilot starts 48 h after test's last job (2026-12-01T00:15Z);
# Berlin's first Sunday window, 2026-12-06 02:00 CET = 01:00Z, lies in the
# berlin group's blackout, so the next one, 12-13: two hours hold four
# 30-minute jobs one at a time (max-unavailable 1).
check "ring soak, blackout, max-unavailable 1" "$(json "$TMP/p.json" "[j['start'] for j in d['jobs'] if j['ring']=='pilot']")" \
	"['2026-12-13T01:00:00Z', '2026-12-13T01:30:00Z', '2026-12-13T02:00:00Z', '2026-12-13T02:30:00Z']"
# Broad waits for pilot's end + 24 h soak (2026-12-14T03:00Z); 50% of the
# 4 web hosts = 2 at a time.
check "broad: soak, 2 at a time" "$(json "$TMP/p.json" "[j['start'] for j in d['jobs'] if j['ring']=='broad']")" \
	"['2026-12-15T01:00:00Z', '2026-12-15T01:00:00Z', '2026-12-15T01:30:00Z', '2026-12-15T01:30:00Z']"
# max-unavailable at every moment, over every group.
/usr/bin/python3 - "$TMP/p.json" <<'PY' && ok "max-unavailable holds at every moment" || fail "max-unavailable violated"
import json, sys
d = json.load(open(sys.argv[1]))
limit = {"lab": 1, "berlin": 1, "web": 2, "misc": 1}
group = {**{f"t{i}": "lab" for i in (1, 2)}, **{f"b{i}": "berlin" for i in range(1, 5)},
         **{f"w{i}": "web" for i in range(1, 5)}}
jobs = [(group[j["host"]], j["start"], j["end"]) for j in d["jobs"]]
for g, s, _ in jobs:
    running = sum(1 for g2, s2, e2 in jobs if g2 == g and s2 <= s < e2)
    assert running <= limit[g], (g, s, running)
PY
# Exceptions: no window, unknown ring.
check "needs an exception" "$(json "$TMP/p.json" "sorted((x['host'], x['reason'][:22]) for x in d['needs_exception'])")" \
	"[('nowin', 'no maintenance window '), ('odd', \"ring 'canary' is not i\")]"

# Daylight saving: Berlin's Sunday 02:00-04:00 lasts 1 h on 2026-03-29
# (02:00 CET does not exist: 03:00 CEST = 01:00Z .. 04:00 CEST = 02:00Z),
# so two 30-min jobs fit and the next two go a week later; on 2026-10-25
# it lasts 3 h (02:00 CEST = 00:00Z .. 04:00 CET = 03:00Z). Without soak,
# pilot starts when test's last job ends, Sunday 00:15Z.
printf '[ring "test"]\nsoak-hours = 0\n' >"$TMP/nosoak.conf"
HFX_CONFIG="$TMP/nosoak.conf" hfx plan create --from 2026-03-28T00:00:00Z --only ZIP-2 >/dev/null &&
	hfx plan show 2 --format json >"$TMP/dst.json" || fail "dst plan"
check "spring forward" "$(json "$TMP/dst.json" "[j['start'] for j in d['jobs'] if j['ring']=='pilot']")" \
	"['2026-03-29T01:00:00Z', '2026-03-29T01:30:00Z', '2026-04-05T00:00:00Z', '2026-04-05T00:30:00Z']"
check "--only" "$(json "$TMP/dst.json" "sorted(set(a for j in d['jobs'] for a in j['advisories']))")" "['ZIP-2']"
# In the fall, with 45-minute jobs: test ends 00:30Z; the 3-hour window
# (00:00Z to 03:00Z) holds three jobs, the third from 02:00Z, past the
# summer-time end; the fourth goes to 2026-11-01, in winter time (01:00Z).
printf '[ring "test"]\nsoak-hours = 0\n[rollout]\njob-minutes = 45\n' >"$TMP/fall.conf"
HFX_CONFIG="$TMP/fall.conf" hfx plan create --from 2026-10-24T00:00:00Z --only ZIP-2 >/dev/null &&
	hfx plan show 3 --format json >"$TMP/fall.json" || fail "fall plan"
check "fall back" "$(json "$TMP/fall.json" "[j['start'] for j in d['jobs'] if j['ring']=='pilot']")" \
	"['2026-10-25T00:30:00Z', '2026-10-25T01:15:00Z', '2026-10-25T02:00:00Z', '2026-11-01T01:00:00Z']"

# A deadline that cannot be met: due in 1 day, first window a week away.
printf '[due]\nscheduled = 1\nimmediate = 1\nout-of-cycle = 1\ndefer = 1\n' >"$TMP/tight.conf"
HFX_CONFIG="$TMP/tight.conf" hfx plan create --only ZIP-2 >/dev/null || fail "tight plan"
HFX_CONFIG="$TMP/tight.conf" hfx plan show 4 --format json >"$TMP/tight.json"
check "late hosts need an exception, with the earliest date" "$(json "$TMP/tight.json" "[(x['reason'][:40], x['earliest']) for x in d['needs_exception'] if x['host']=='b1']")" \
	"[('due 2026-11-30T00:00:00Z, the earliest s', '2026-12-06T01:00:00Z')]"
check "late jobs are still planned" "$(json "$TMP/tight.json" "[j['late'] for j in d['jobs'] if j['host']=='b1']")" "[True]"

# Expedite: an emergency window as soon as its ring starts (broad: pilot's
# end + 24 h soak = 2026-12-14T03:00Z, outside w1's 01:00-03:00 window).
hfx decide ZIP-2 expedite --scope host:w1 >/dev/null
hfx plan create --only ZIP-2 >/dev/null && hfx plan show 5 --format json >"$TMP/exp.json"
check "expedited: emergency window" "$(json "$TMP/exp.json" "[(j['start'], j['emergency']) for j in d['jobs'] if j['host']=='w1']")" \
	"[('2026-12-14T03:00:00Z', True)]"

# The table and iCalendar outputs.
hfx plan show 1 >"$TMP/table" && grep -q "^wave 1: ring test" "$TMP/table" &&
	grep -q "t1 .*reboot" "$TMP/table" && grep -q "^needs an exception:" "$TMP/table" && ok "table" || fail "table"
hfx plan show 1 --format ical >"$TMP/p.ics"
/usr/bin/python3 - "$TMP/p.ics" <<'PY' && ok "iCalendar parses: 10 events, CRLF, folded" || fail "iCalendar"
import sys, icalendar
raw = open(sys.argv[1], "rb").read()
assert raw.count(b"\r\n") == raw.count(b"\n") and all(len(l) <= 75 for l in raw.split(b"\r\n"))
cal = icalendar.Calendar.from_ical(raw)
ev = [c for c in cal.walk() if c.name == "VEVENT"]
assert len(ev) == 10, len(ev)
assert str(ev[0]["SUMMARY"]).startswith("hfx: patch "), ev[0]["SUMMARY"]
assert ev[0].decoded("DTSTART").tzinfo is not None
PY

# Approval: approver role, audited, immutable.
expect_exit 3 "an operator may not approve a plan" -- hfx --as dave plan approve 1
hfx plan approve 1 >/dev/null || fail "approve"
expect_exit 2 "an approved plan cannot be approved again" -- hfx plan approve 1 && expect_err "not a draft"
check "plan list" "$(hfx plan list | awk '$1==1 {print $2}')" approved
hfx audit log | grep -q "alice  plan.approve  plan:1" && ok "approval audited" || fail "approval not audited"
expect_exit 2 "unknown plan" -- hfx plan show 99
expect_exit 2 "bad --from" -- hfx plan create --from tomorrow
finish
