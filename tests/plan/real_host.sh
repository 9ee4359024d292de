#!/bin/sh
# A plan for the real Debian 12 host: every fixable advisory approved; the
# plan must upgrade exactly the installed binaries those findings cover,
# each to the highest fixed version among its advisories as apt_pkg orders
# them (the reference, not hfx's comparator), in one job, with a reboot
# because the kernel and libc6 are among them.
. tests/lib.sh
need_data mirror/osv/Debian/all.zip inventories/debian12-host/dpkg-status
export HFX_USER=alice HFX_NOW=2026-11-28T10:00:00Z
hfx init >/dev/null
hfx feed import "$DATA/mirror/osv/Debian/all.zip" >/dev/null
hfx host import "$DATA/inventories/debian12-host/dpkg-status" --name real >/dev/null
hfx host set real "window=daily 01:00-05:00" tz=Europe/Berlin >/dev/null
hfx scan >/dev/null
printf '[auto-approve "all"]\npriority = immediate, out-of-cycle, scheduled, defer\n' >"$TMP/hfx.conf"
export HFX_CONFIG="$TMP/hfx.conf"
hfx plan create >"$TMP/out" || fail "plan create"
hfx plan show 1 --format json >"$TMP/plan.json" || fail "plan show"
hfx findings --format csv >"$TMP/findings.csv"
/usr/bin/python3 - "$TMP/plan.json" "$TMP/findings.csv" <<'PY' && ok "the plan agrees with the findings and apt_pkg" || fail "plan and reference differ"
import csv, functools, json, sys
import apt_pkg
apt_pkg.init()
plan = json.load(open(sys.argv[1]))
assert len(plan["jobs"]) == 1 and not plan["needs_exception"], plan["needs_exception"]
job = plan["jobs"][0]
got = {(p["name"], p["arch"]): (p["from"], p["to"], sorted(p["advisories"])) for p in job["packages"]}
want = {}
for r in csv.DictReader(open(sys.argv[2])):
    if r["status"] != "fixable":
        continue
    k = (r["package"], r["arch"])
    frm, to, advs = want.get(k, (r["installed_version"], r["fixed_version"], []))
    if apt_pkg.version_compare(r["fixed_version"], to) > 0:
        to = r["fixed_version"]
    want[k] = (frm, to, sorted(set(advs + [r["advisory"]])))
assert got == want, (len(got), len(want), [k for k in got.keys() ^ want.keys()][:5])
for (frm, to, _) in got.values():
    assert apt_pkg.version_compare(to, frm) > 0
names = {n for n, _ in got}
assert job["reboot"] == any(n.startswith("linux-image-") or n in ("libc6", "systemd") for n in names)
print(f"{len(got)} packages, reboot {job['reboot']}", file=sys.stderr)
PY
finish
