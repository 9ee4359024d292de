#!/bin/sh
# `make bench`: measures hfx on the real data and prints each number next
# to its target (issue #2 and PRODUCT.md). Speed is measured here, never in
# a test. Needs ../shared/data (HFX_SHARED_DATA).
set -eu
cd "$(dirname "$0")/.."
DATA=${HFX_SHARED_DATA:-../shared/data}
HFX=$(pwd)/build/hfx
ZIP=$DATA/mirror/osv/Debian/all.zip
STATUS=$DATA/inventories/debian12-host/dpkg-status
HOSTS=${BENCH_HOSTS:-1000}
for f in "$ZIP" "$STATUS" "$DATA/vectors/osv_debian_version_compare.tsv"; do
	[ -e "$f" ] || { echo "bench: shared data not found: $f"; exit 1; }
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hfx-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export HFX_DB="$TMP/hfx.db"

# run LABEL -- command: wall seconds and peak RSS (KiB) into $secs, $rss.
run() {
	shift 2
	/usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >"$TMP/out" 2>"$TMP/err" ||
		{ cat "$TMP/err"; exit 1; }
	read -r secs rss <"$TMP/time"
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : n / 0.01) }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t ? "ok" : "BELOW TARGET") }'; }
row() { printf '%-44s %14s %-22s %s\n' "$1" "$2" "$3" "$4"; }

records=$(/usr/bin/python3 -c "import zipfile,sys; print(sum(n.endswith('.json') for n in zipfile.ZipFile(sys.argv[1]).namelist()))" "$ZIP")
row "measure" "value" "target" ""
"$HFX" init >/dev/null

run import -- "$HFX" feed import "$ZIP"
r=$(rate "$records" "$secs")
row "feed import all.zip ($records records)" "$r rec/s" "whole feed in seconds" "$(awk -v s="$secs" 'BEGIN { print (s < 10 ? "ok" : "SLOW") }') (${secs}s, peak $((rss / 1024)) MiB)"
run reimport -- "$HFX" feed import "$ZIP"
row "feed import again (all unchanged)" "$(rate "$records" "$secs") rec/s" "" "(${secs}s)"

"$HFX" host import "$STATUS" --name web1 >/dev/null
run one -- "$HFX" scan web1
row "scan of the real host (1 host, 885 pkgs)" "${secs} s" "debsecan 0.33 s, trivy 3.9 s" "$(awk -v s="$secs" 'BEGIN { print (s <= 0.33 ? "ok" : "SLOWER") }') (peak $((rss / 1024)) MiB)"

# Real threat data, so that ranking has KEV entries and EPSS scores to join.
"$HFX" feed import "$DATA/kev/known_exploited_vulnerabilities.json" "$DATA"/epss/*.csv.gz >/dev/null
/usr/bin/python3 bench/make_fleet.py "$HFX_DB" web1 $((HOSTS - 1))
run first -- "$HFX" scan --quiet
first_secs=$secs
r=$(rate "$HOSTS" "$secs")
nfind=$(sqlite3 "$HFX_DB" 'SELECT count(*) FROM finding')
row "first scan of $HOSTS new hosts (stores all)" "$r hosts/s" ">= 1000 hosts/s" "$(verdict "$r" 1000) (${secs}s, peak $((rss / 1024)) MiB)"
# What storing that many findings costs SQLite by itself: the same number
# of rows inserted by one SQL statement into an empty copy of the schema.
"$HFX" --db "$TMP/floor.db" init >/dev/null
run floor -- sqlite3 "$TMP/floor.db" "BEGIN; WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $HOSTS - 1) INSERT INTO host (id, name, os_id, os_version, ecosystem, source, updated_at) SELECT i, 'h' || i, 'debian', '12', 'Debian:12', 'x', 'x' FROM n; WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 6099) INSERT INTO advisory (id, name) SELECT i, 'A' || i FROM n; WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $nfind - 1) INSERT INTO finding (host_id, advisory_id, package, by_source, version, fixed_version, status, first_seen) SELECT i * $HOSTS / $nfind, (i * 7919) % 6100, 'pkg' || (i % 400), 1, '1.2.3-' || i, '1.2.3-4+deb12u2', 'fixable', '2026-11-28T06:00:00Z' FROM n; COMMIT;"
row "  (SQLite alone inserting those $nfind findings)" "${secs} s" "" "the floor for a first scan"
run full -- "$HFX" scan --quiet --full
r=$(rate "$HOSTS" "$secs")
row "full rescan of $HOSTS hosts (match all)" "$r hosts/s" ">= 1000 hosts/s" "$(verdict "$r" 1000) (${secs}s, peak $((rss / 1024)) MiB)"
run incr -- "$HFX" scan --quiet
r=$(rate "$HOSTS" "$secs")
row "rescan, nothing changed" "$r hosts/s" ">= 1000 hosts/s" "$(verdict "$r" 1000) (${secs}s, peak $((rss / 1024)) MiB)"

# The daily case: one new advisory for a package every host has.
cat >"$TMP/delta.json" <<'JSON'
{"id": "BENCH-2099-0001", "modified": "2099-01-01T00:00:00Z",
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "99:1"}]}]}]}
JSON
"$HFX" feed import "$TMP/delta.json" >/dev/null
run delta -- "$HFX" scan --quiet
r=$(rate "$HOSTS" "$secs")
row "rescan after a feed delta (1 new advisory)" "$r hosts/s" ">= 1000 hosts/s" "$(verdict "$r" 1000) (${secs}s, peak $((rss / 1024)) MiB)"
sed -n 's/^scanned /  (/p' "$TMP/out" | sed 's/$/)/'

# Ranking (issue #4). What it adds to a scan: loading the facts and
# ranking each new finding, measured alone over every open finding, as a
# share of the first scan that did that work.
set -- $(build/bench_rank "$HFX_DB")
row "ranking's share of the first scan" "$(awk -v r="$1" -v s="$first_secs" 'BEGIN { printf "%.1f%%", 100 * r / s }')" "<= 20%" "$(awk -v r="$1" -v s="$first_secs" 'BEGIN { print (r <= 0.2 * s ? "ok" : "ABOVE TARGET") }') (${1}s for $2 findings)"
# Re-ranking every open finding after the hosts' context changed.
sqlite3 "$HFX_DB" "SELECT 'name,exposure,criticality' UNION ALL SELECT * FROM (SELECT name || ',' || (CASE id % 3 WHEN 0 THEN 'internet' WHEN 1 THEN 'internal' ELSE 'dmz' END) || ',' || (CASE id % 4 WHEN 0 THEN 'critical' WHEN 1 THEN 'low' WHEN 2 THEN 'high' ELSE 'medium' END) FROM host ORDER BY id)" >"$TMP/hosts.csv"
run rerank -- "$HFX" host set --file "$TMP/hosts.csv"
nopen=$(sqlite3 "$HFX_DB" 'SELECT count(*) FROM finding WHERE resolved_at IS NULL')
row "re-rank after host set --file ($nopen open)" "$(rate "$nopen" "$secs") findings/s" "" "(${secs}s, peak $((rss / 1024)) MiB; $(cat "$TMP/out"))"

# Monitoring (issue #8): the report and the digest over the whole fleet.
run report -- "$HFX" report --format json
row "report over $nopen open findings" "${secs} s" "" "(peak $((rss / 1024)) MiB)"
run notify -- "$HFX" notify --dry-run
row "notify digest of $nopen open findings" "${secs} s" "" "(peak $((rss / 1024)) MiB)"

# Planning (issue #6): 10,000 hosts in 50 groups with weekly windows in 20
# time zones, 3 rings; 30 advisories approved. The inventory is the real
# host's first 120 packages, so the fleet is quick to build and scan.
PLAN_HOSTS=${BENCH_PLAN_HOSTS:-10000}
export HFX_DB="$TMP/plan.db" HFX_USER=bench
"$HFX" init >/dev/null
"$HFX" feed import "$ZIP" >/dev/null
awk 'BEGIN { RS = ""; ORS = "\n\n" } NR <= 120' "$STATUS" >"$TMP/small-status"
"$HFX" host import "$TMP/small-status" --name tmpl --os debian:12 >/dev/null
/usr/bin/python3 bench/make_fleet.py "$HFX_DB" tmpl $((PLAN_HOSTS - 1))
"$HFX" scan --quiet >/dev/null
/usr/bin/python3 bench/plan_fleet.py "$HFX_DB" "$TMP/plan-hosts.csv" "$TMP/hfx.conf" >"$TMP/approve"
export HFX_CONFIG="$TMP/hfx.conf"
"$HFX" host set --file "$TMP/plan-hosts.csv" >/dev/null
while read -r adv; do "$HFX" decide "$adv" approve >/dev/null; done <"$TMP/approve"
run plan -- "$HFX" plan create --from 2026-12-01T00:00:00Z
row "plan for $PLAN_HOSTS hosts, 50 groups, 20 zones" "${secs} s" "< 5 s" "$(awk -v s="$secs" 'BEGIN { print (s < 5 ? "ok" : "SLOW") }') (peak $((rss / 1024)) MiB; $(cat "$TMP/out"))"

m=$(build/bench_core "$DATA/vectors/osv_debian_version_compare.tsv")
row "dpkg version comparisons" "${m}M/s" ">= 10M/s" "$(verdict "$m" 10)"

# Inventory formats: packages parsed per second (no target set; an
# inventory of a thousand packages should take well under a millisecond).
printf '%s\t%s\t%s\t%s\t%s\t%s\n' >/dev/null
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["packages"].values():
    e, _, v = p["version"].rpartition(":")
    print("\t".join([p["name"], e or "0", v, p["release"], p["arch"] or "noarch", p["name"] + "-" + v + "-" + p["release"] + ".src.rpm"]))
' "$DATA/inventories/vuls/alma_9.json" | grep -v '^gpg-pubkey' >"$TMP/alma9.rpmlist"
G=$DATA/golden/osv-scanner-offline
for spec in "dpkg:$STATUS" "rpm:$TMP/alma9.rpmlist" "apk:$DATA/fixtures/syft/syft/pkg/cataloger/alpine/testdata/multiple-2/lib/apk/db/installed" \
	"vuls:$DATA/inventories/vuls/alma_9.json" "cyclonedx-xml:$G/postgres-stretch.cdx.xml" \
	"spdx:$DATA/fixtures/claircore/purl/testdata/ubi_latest_spdx.json" "osquery:tests/inventory/fixtures/osquery_rocky9.json"; do
	fmt=${spec%%:*} file=${spec#*:}
	[ -e "$file" ] || continue
	set -- $(build/bench_inventory "$fmt" "$file")
	row "parse $fmt ($2 packages)" "$1 pkg/s" "" ""
done

# A fleet of RPM hosts: 1,000 AlmaLinux 9 hosts made from a real Vuls scan,
# against the whole AlmaLinux feed.
export HFX_DB="$TMP/alma.db"
"$HFX" init >/dev/null
"$HFX" feed import "$DATA/mirror/osv/AlmaLinux/all.zip" >/dev/null
"$HFX" host import "$DATA/inventories/vuls/alma_9.json" --name alma >/dev/null
/usr/bin/python3 bench/make_fleet.py "$HFX_DB" alma $((HOSTS - 1))
run afirst -- "$HFX" scan --quiet
r=$(rate "$HOSTS" "$secs")
row "first scan of $HOSTS AlmaLinux hosts" "$r hosts/s" ">= 1000 hosts/s" "$(verdict "$r" 1000) (${secs}s, peak $((rss / 1024)) MiB)"
run afull -- "$HFX" scan --quiet --full
r=$(rate "$HOSTS" "$secs")
row "full rescan of $HOSTS AlmaLinux hosts" "$r hosts/s" ">= 1000 hosts/s" "$(verdict "$r" 1000) (${secs}s, peak $((rss / 1024)) MiB)"
