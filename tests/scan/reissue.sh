#!/bin/sh
# Recalled and reissued fixes, regressions and withdrawals, with a real
# Debian record (DEBIAN-CVE-2018-13410: zip fixed in 3.0-13+deb12u1) and
# the real Debian 12 host's dpkg status, zip's version edited per host:
#   old      3.0-13           below the fix: an ordinary open finding
#   patched  3.0-13+deb12u1   has the fix that the reissue supersedes
#   newest   3.0-13+deb12u2   has the reissued fix
#   beyond   3.0-14           above both
# A copy of the record with its fixed version raised to 3.0-13+deb12u2 is
# imported: exactly `patched` reopens as reissued. Then `old` is upgraded
# and downgraded again (regressed), and a withdrawn copy closes everything.
. tests/lib.sh
REC=osv/debian12/DEBIAN-CVE-2018-13410.json
need_data "$REC" inventories/debian12-host/dpkg-status
PY=/usr/bin/python3
export HFX_NOW=2026-11-28T10:00:00Z HFX_USER=alice

# host NAME ZIP_VERSION: import the real status with zip at that version.
host() {
	awk -v v="$2" '/^Package: /{p=($2=="zip")} p&&/^Version: /{$0="Version: " v} {print}' \
		"$DATA/inventories/debian12-host/dpkg-status" >"$TMP/status-$1"
	hfx host import "$TMP/status-$1" --name "$1" --os debian:12 >/dev/null ||
		fail "import host $1"
}
# revise FIELD=VALUE...: a copy of the record, modified later, with changes.
revise() {
	"$PY" - "$DATA/$REC" "$TMP/rev.json" "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for arg in sys.argv[3:]:
    k, v = arg.split("=", 1)
    if k == "fixed":
        d["affected"][0]["ranges"][0]["events"][1]["fixed"] = v
    elif k == "add":
        d["affected"].append({"package": {"ecosystem": "Debian:12", "name": v},
                              "ranges": [{"type": "ECOSYSTEM", "events": [
                                  {"introduced": "0"}, {"fixed": "1.0-1"}]}]})
    else:
        d[k] = v
json.dump(d, open(sys.argv[2], "w"))
PY
}
# zip_rows: "host,status" of the open zip findings of the advisory.
zip_rows() {
	hfx findings --format csv | awk -F, '$2 == "DEBIAN-CVE-2018-13410" && $4 == "zip" \
		{ print $1 "," $10 }' | sort | tr '\n' ' '
}

hfx init >/dev/null || fail "init"
hfx feed import "$DATA/$REC" >/dev/null || fail "import the record"
for h in "old 3.0-13" "patched 3.0-13+deb12u1" "newest 3.0-13+deb12u2" "beyond 3.0-14"; do
	# shellcheck disable=SC2086
	host $h
done
hfx scan --quiet >/dev/null || fail "first scan"
check "before the reissue only 'old' is affected" "$(zip_rows)" "old,fixable "

# The reissue: the fixed version is raised (a regression update), and the
# revision names one more package (unzip, at a version nobody has).
revise modified=2026-11-20T00:00:00Z fixed=3.0-13+deb12u2 add=unzip
hfx feed import "$TMP/rev.json" >"$TMP/out" || fail "import the reissue"
grep -q "1 updated.*1 fixed version raised.*1 package newly named as affected" "$TMP/out" &&
	ok "import reports the raised fix and the new package" ||
	fail "import output: $(cat "$TMP/out")"
check "the raised fix is recorded" \
	"$(sqlite3 "$HFX_DB" 'SELECT package, old_fixed, new_fixed FROM advisory_reissue')" \
	"zip|3.0-13+deb12u1|3.0-13+deb12u2"
hfx scan --quiet >"$TMP/out" || fail "scan after the reissue"
grep -q "came back: 1 reissued" "$TMP/out" && ok "scan reports the comeback" ||
	fail "scan output: $(cat "$TMP/out")"
check "exactly the host with the old fix reopens as reissued" "$(zip_rows)" \
	"old,fixable patched,reissued "
hfx findings --host patched --explain >"$TMP/out"
grep -q "reissued: the advisory was revised on 2026-11-28: fixed version raised from \
3.0-13+deb12u1 to 3.0-13+deb12u2; zip has 3.0-13+deb12u1" "$TMP/out" &&
	ok "--explain says why it reopened" || fail "explain: $(grep -i reissued "$TMP/out")"

# A regression: 'old' gets the fix, then loses it again.
host old 3.0-13+deb12u2
hfx scan --quiet >/dev/null
check "the fixed host's finding closes as fixed" \
	"$(sqlite3 "$HFX_DB" "SELECT f.resolution FROM finding f JOIN host h ON h.id = f.host_id \
	   WHERE h.name = 'old' AND f.package = 'zip' AND f.resolved_at IS NOT NULL")" "fixed"
export HFX_NOW=2026-11-29T10:00:00Z
host old 3.0-13
hfx scan --quiet >"$TMP/out"
grep -q "came back: 0 reissued.*1 regressed" "$TMP/out" && ok "scan reports the regression" ||
	fail "scan output: $(cat "$TMP/out")"
check "a fix missing again is regressed" "$(zip_rows)" "old,regressed patched,reissued "
hfx findings --host old --explain >"$TMP/out"
grep -q "regressed: fixed on 2026-11-28 (was 3.0-13), affected again at 3.0-13" "$TMP/out" &&
	ok "--explain says when it was fixed" || fail "explain: $(grep -i regressed "$TMP/out")"

# A withdrawal closes the findings as withdrawn and flags the decision.
hfx decide DEBIAN-CVE-2018-13410 approve --reason "reissued fix" >/dev/null ||
	fail "decide"
revise modified=2026-11-25T00:00:00Z fixed=3.0-13+deb12u2 withdrawn=2026-11-25T00:00:00Z
hfx feed import "$TMP/rev.json" >"$TMP/out" || fail "import the withdrawal"
grep -q "1 withdrawn" "$TMP/out" && ok "import reports the withdrawal" ||
	fail "import output: $(cat "$TMP/out")"
hfx scan --quiet >"$TMP/out"
grep -q "2 findings closed as withdrawn" "$TMP/out" && ok "scan closes them as withdrawn" ||
	fail "scan output: $(cat "$TMP/out")"
check "no open finding of the withdrawn advisory" "$(zip_rows)" ""
check "closed with resolution withdrawn" "$(sqlite3 "$HFX_DB" "SELECT count(*) FROM finding \
	WHERE resolution = 'withdrawn'")" 2
hfx review agenda --format markdown >"$TMP/out" || fail "agenda"
sed -n '/withdrawn advisories/,$p' "$TMP/out" | grep -q "approve | DEBIAN-CVE-2018-13410" &&
	ok "the agenda flags the decision on the withdrawn advisory" ||
	fail "agenda: $(sed -n '/withdrawn/,$p' "$TMP/out")"
hfx audit verify >/dev/null || fail "audit chain"
finish
