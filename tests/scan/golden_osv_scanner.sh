#!/bin/sh
# Another scanner's recorded result: osv-scanner's snapshot for a Debian 9
# CycloneDX SBOM and an Alpine 3.17 SBOM against the same offline records.
# hfx must find exactly the Debian:9 and Alpine:v3.17 rows it lists (per
# source package, as osv-scanner reports them; its Go-module rows are
# outside hfx's scope).
. tests/lib.sh
G=golden/osv-scanner-offline
need_data $G/osv-scanner-snapshots.snap $G/postgres-stretch.cdx.xml $G/alpine.cdx.xml osv/samples/osv-scanner-offline
RECORDS=$DATA/osv/samples/osv-scanner-offline

hfx init >/dev/null && hfx feed import "$RECORDS" >/dev/null || { fail "import"; finish; }
hfx host import "$DATA/$G/postgres-stretch.cdx.xml" --name stretch >/dev/null || fail "import the Debian SBOM"
hfx host import "$DATA/$G/alpine.cdx.xml" --name alpine >/dev/null || fail "import the Alpine SBOM"
hfx scan >/dev/null || fail "scan"
for pair in stretch:debian alpine:alpine; do
	host=${pair%%:*} which=${pair#*:}
	/usr/bin/python3 tests/scan/golden_osv_scanner.py "$DATA/$G/osv-scanner-snapshots.snap" "$RECORDS" \
		"$which" >"$TMP/want" || fail "reading the snapshot"
	hfx findings --host "$host" --format csv | /usr/bin/python3 -c '
import csv, sys
rows = {(r["advisory"], r["source"], r["source_version"], r["fixed_version"]) for r in csv.DictReader(sys.stdin)}
for r in sorted(rows):
    print("\t".join(r))' >"$TMP/got"
	n=$(wc -l <"$TMP/want")
	[ "$n" -gt 0 ] || fail "$host: no expected rows read from the snapshot"
	if cmp -s "$TMP/want" "$TMP/got"; then
		ok "$host: the same $n findings as osv-scanner"
	else
		fail "$host: findings differ from osv-scanner's (< osv-scanner, > hfx):"
		diff "$TMP/want" "$TMP/got" | head
	fi
done
finish
