#!/bin/sh
# Revisions of an advisory: importing the same data twice changes nothing
# (also when reformatted), a newer `modified` makes a new revision with the
# history kept, an older one is ignored, and a withdrawn record stops
# matching: the next scan resolves its findings.
. tests/lib.sh
need_data osv/debian12/DEBIAN-CVE-2018-13410.json inventories/debian12-host/dpkg-status
REC=$DATA/osv/debian12/DEBIAN-CVE-2018-13410.json
ID=DEBIAN-CVE-2018-13410

edit() { # edit OUT PYTHON-STATEMENTS (r is the record)
	/usr/bin/python3 -c "import json, sys
r = json.load(open('$REC'))
$2
json.dump(r, open('$1', 'w'), indent=None)"
}
revisions() { sqlite3 "$HFX_DB" "SELECT count(*) FROM advisory_rev r JOIN advisory a ON a.id = r.advisory_id WHERE a.name = '$ID'"; }
expect_out() { if grep -qF -- "$1" "$TMP/out"; then ok "$2"; else fail "$2: got $(cat "$TMP/out")"; fi; }

hfx init >/dev/null
hfx host import "$DATA/inventories/debian12-host/dpkg-status" --name web1 >/dev/null
expect_exit 0 "first import" -- hfx feed import "$REC"
expect_out "1 new, 0 updated, 0 withdrawn, 0 unchanged" "first import counts one new record"
expect_exit 0 "same record again" -- hfx feed import "$REC"
expect_out "0 new, 0 updated, 0 withdrawn, 1 unchanged" "re-import is unchanged"
edit "$TMP/reformatted.json" "pass"
expect_exit 0 "reformatted copy" -- hfx feed import "$TMP/reformatted.json"
expect_out "1 unchanged" "a reformatted copy is unchanged (canonical JSON)"
[ "$(revisions)" = 1 ] && ok "one revision stored" || fail "revisions: $(revisions)"

expect_exit 0 "first scan" -- hfx scan
expect_out "web1: 1 new, 0 still open, 0 resolved" "first scan reports the finding as new"
hfx findings --format csv | grep -q "$ID,CVE-2018-13410,zip,amd64,3.0-13,zip,3.0-13,3.0-13+deb12u1,fixable" &&
	ok "finding with the original fix" || fail "finding row: $(hfx findings --format csv)"

# A reissue: newer modified, higher fixed version.
edit "$TMP/newer.json" "r['modified'] = '2030-01-01T00:00:00Z'
r['affected'][0]['ranges'][0]['events'][1]['fixed'] = '3.0-13+deb12u2'"
expect_exit 0 "newer revision" -- hfx feed import "$TMP/newer.json"
expect_out "0 new, 1 updated" "a newer modified is an update"
[ "$(revisions)" = 2 ] && ok "history keeps both revisions" || fail "revisions: $(revisions)"
expect_exit 0 "rescan" -- hfx scan
expect_out "web1: 0 new, 1 still open, 0 resolved" "rescan keeps the finding open"
hfx findings --format csv | grep -q "3.0-13+deb12u2,fixable" && ok "finding shows the new fix" ||
	fail "fix not updated"

# An older revision arriving late is ignored.
edit "$TMP/older.json" "r['modified'] = '2001-01-01T00:00:00Z'
r['affected'][0]['ranges'][0]['events'][1]['fixed'] = '1.0'"
expect_exit 0 "older revision" -- hfx feed import "$TMP/older.json"
expect_out "older than stored" "an older modified is reported and ignored"
hfx scan >/dev/null
hfx findings --format csv | grep -q "3.0-13+deb12u2" && ok "the older revision did not apply" ||
	fail "older revision applied"

# Withdrawn: stops matching.
edit "$TMP/withdrawn.json" "r['modified'] = '2031-01-01T00:00:00Z'
r['withdrawn'] = '2031-01-01T00:00:00Z'"
expect_exit 0 "withdrawn revision" -- hfx feed import "$TMP/withdrawn.json"
expect_out "1 withdrawn" "the withdrawal is reported"
expect_exit 0 "scan after withdrawal" -- hfx scan
expect_out "web1: 0 new, 0 still open, 1 resolved" "the withdrawn advisory's finding is resolved"
[ -z "$(hfx findings --format csv | tail -n +2)" ] && ok "no finding left" || fail "findings remain"
[ "$(revisions)" = 3 ] && ok "history keeps all three revisions" || fail "revisions: $(revisions)"
finish
