#!/bin/sh
# The real AlmaLinux feed against real AlmaLinux 8 and 9 hosts (Vuls scan
# results): hfx must report exactly the findings that the independent
# reference computes with rpm's own version comparison (python3-rpm's
# rpm.ver) from the same records and inventories. AlmaLinux advisories name
# binary packages.
. tests/lib.sh
need_data mirror/osv/AlmaLinux/all.zip inventories/vuls/alma_8.json inventories/vuls/alma_9.json
ZIP=$DATA/mirror/osv/AlmaLinux/all.zip

hfx init >/dev/null && hfx feed import "$ZIP" >/dev/null || { fail "import"; finish; }
for v in 8 9; do
	hfx host import "$DATA/inventories/vuls/alma_$v.json" --name "alma$v" >/dev/null ||
		{ fail "host import alma_$v.json"; continue; }
	hfx scan "alma$v" >/dev/null || fail "scan alma$v"
	hfx findings --host "alma$v" --format csv | /usr/bin/python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    print("\t".join([r["advisory"], r["package"], r["arch"], r["fixed_version"] or "-"]))
' | sort >"$TMP/hfx$v.tsv"
	/usr/bin/python3 tests/scan/osv_reference.py "$ZIP" "$DATA/inventories/vuls/alma_$v.json" \
		"AlmaLinux:$v" vuls >"$TMP/ref$v.raw" || fail "the reference script failed"
	sort "$TMP/ref$v.raw" >"$TMP/ref$v.tsv"
	n=$(wc -l <"$TMP/ref$v.tsv")
	[ "$n" -gt 100 ] || fail "alma$v: the reference found only $n findings"
	if cmp -s "$TMP/hfx$v.tsv" "$TMP/ref$v.tsv"; then
		ok "alma$v: hfx and rpm's comparison agree on all $n findings"
	else
		fail "alma$v: findings differ (< hfx only, > reference only):"
		diff "$TMP/hfx$v.tsv" "$TMP/ref$v.tsv" | head -20
	fi
done
finish
