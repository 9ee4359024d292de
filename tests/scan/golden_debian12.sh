#!/bin/sh
# The real Debian 12 feed against a real Debian 12 host: hfx must report
# exactly the findings that an independent reference (tests/scan/
# osv_reference.py: apt_pkg's TagFile and dpkg comparison) computes from
# the same records and status file: none missed, none extra, same fix.
. tests/lib.sh
need_data mirror/osv/Debian/all.zip inventories/debian12-host/dpkg-status
ZIP=$DATA/mirror/osv/Debian/all.zip
STATUS=$DATA/inventories/debian12-host/dpkg-status

hfx init >/dev/null && hfx feed import "$ZIP" >/dev/null &&
	hfx host import "$STATUS" --name golden >/dev/null && hfx scan >/dev/null ||
	{ fail "import and scan"; finish; }
hfx findings --format csv | /usr/bin/python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    print("\t".join([r["advisory"], r["package"], r["arch"], r["fixed_version"] or "-"]))
' | sort >"$TMP/hfx.tsv"
/usr/bin/python3 tests/scan/osv_reference.py "$ZIP" "$STATUS" Debian:12 >"$TMP/ref.raw" ||
	fail "the reference script failed"
sort "$TMP/ref.raw" >"$TMP/ref.tsv"

n=$(wc -l <"$TMP/ref.tsv")
[ "$n" -gt 1000 ] || fail "reference found only $n findings"
if cmp -s "$TMP/hfx.tsv" "$TMP/ref.tsv"; then
	ok "hfx and the apt_pkg reference agree on all $n findings"
else
	fail "findings differ (< hfx only, > reference only):"
	diff "$TMP/hfx.tsv" "$TMP/ref.tsv" | head -20
fi
# No fix means status no-fix-yet, a fix means fixable: never mixed.
hfx findings --format csv | /usr/bin/python3 -c '
import csv, sys
bad = [r for r in csv.DictReader(sys.stdin)
       if (r["status"] == "fixable") != bool(r["fixed_version"])]
sys.exit(1 if bad else 0)' && ok "status agrees with fixed_version" ||
	fail "a row mixes status and fixed_version"
finish
