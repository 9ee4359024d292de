#!/bin/sh
# A finding's life across scans: new, still open across an upgrade that is
# still affected (first_seen kept), resolved by the fixing upgrade; binaries
# of one source at two versions (a partial upgrade) each listed with their
# own version; an advisory naming a package twice is one finding.
. tests/lib.sh

status() { # status FILE "name version source-field"...
	out=$1; shift
	: >"$out"
	for p in "$@"; do
		set -- $p
		printf 'Package: %s\nStatus: install ok installed\nArchitecture: amd64\nVersion: %s\n' "$1" "$2" >>"$out"
		[ -n "${3:-}" ] && printf 'Source: %s\n' "$3 ${4:-}" >>"$out"
		printf '\n' >>"$out"
	done
}
rows() { hfx findings --format csv | tail -n +2 | grep -v TEST-2099-0002 | cut -d, -f2,4,6,8,9,10 | sort; }
first_seen() { hfx findings --format csv | tail -n +2 | grep -v TEST-2099-0002 | cut -d, -f11 | sort -u; }
other() { hfx findings --format csv | grep -c "TEST-2099-0002,,aaa,amd64,1.0,aaa,1.0,,no-fix-yet,2099-02-01T00:00:00Z"; }

cat >"$TMP/adv.json" <<'JSON'
{"id": "TEST-2099-0001", "modified": "2099-01-01T00:00:00Z", "aliases": ["CVE-2099-1234"],
 "affected": [
  {"package": {"ecosystem": "Debian:12", "name": "zlib"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "1:1.2-9"}]}]},
  {"package": {"ecosystem": "Debian:12", "name": "zlib"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:1.3-2"}]}]}]}
JSON
# A second package with its own advisory, never touched: its finding must
# stay open through everything that happens to zlib.
cat >"$TMP/other.json" <<'JSON'
{"id": "TEST-2099-0002", "modified": "2099-01-01T00:00:00Z",
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "aaa"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
JSON
hfx init >/dev/null
hfx feed import "$TMP/adv.json" "$TMP/other.json" >/dev/null

# Two binaries of zlib at two versions (a partial upgrade).
status "$TMP/s1" "aaa 1.0" "zlib1g 1:1.2-1 zlib" "zlib1g-dev 1:1.2-5 zlib (1:1.2-5)"
HFX_NOW=2099-02-01T00:00:00Z hfx host import "$TMP/s1" --name h --os debian:12 >/dev/null
expect_exit 0 "first scan" -- env HFX_NOW=2099-02-01T00:00:00Z "$HFX" scan
grep -q "h: 3 new, 0 still open, 0 resolved" "$TMP/out" && ok "two findings, one per version (and aaa's)" ||
	fail "first scan: $(cat "$TMP/out")"
[ "$(rows)" = "TEST-2099-0001,zlib1g,1:1.2-1,1:1.2-1,1:1.3-2,fixable
TEST-2099-0001,zlib1g-dev,1:1.2-5,1:1.2-5,1:1.3-2,fixable" ] &&
	ok "each binary with its own source version; the entry with a fix wins" || fail "rows: $(rows)"

# Both upgraded to a version that is still affected: still open, first_seen kept.
status "$TMP/s2" "aaa 1.0" "zlib1g 1:1.2-8 zlib" "zlib1g-dev 1:1.2-8 zlib"
hfx host import "$TMP/s2" --name h --os debian:12 >/dev/null
expect_exit 0 "scan after an affected upgrade" -- env HFX_NOW=2099-03-01T00:00:00Z "$HFX" scan
grep -q "h: 0 new, 2 still open, 1 resolved" "$TMP/out" && ok "one finding carried over, the other resolved" ||
	fail "second scan: $(cat "$TMP/out")"
[ "$(first_seen)" = "2099-02-01T00:00:00Z" ] && ok "first_seen kept across the upgrade" ||
	fail "first_seen: $(first_seen)"
[ "$(rows | wc -l)" = 2 ] && rows | grep -q "zlib1g-dev,1:1.2-8,1:1.2-8" && ok "both binaries at the new version" ||
	fail "rows: $(rows)"

# The fixing upgrade resolves it.
status "$TMP/s3" "aaa 1.0" "zlib1g 1:1.3-2 zlib" "zlib1g-dev 1:1.3-2 zlib"
hfx host import "$TMP/s3" --name h --os debian:12 >/dev/null
expect_exit 0 "scan after the fix" -- hfx scan
grep -q "h: 0 new, 1 still open, 1 resolved" "$TMP/out" && ok "fixed version resolves the finding" ||
	fail "third scan: $(cat "$TMP/out")"
[ -z "$(rows)" ] && ok "nothing open" || fail "rows left: $(rows)"
[ "$(sqlite3 "$HFX_DB" 'SELECT count(*) FROM finding WHERE resolved_at IS NOT NULL')" = 2 ] &&
	ok "history keeps the resolved findings" || fail "resolved history"

# A downgrade reopens it as a new finding.
hfx host import "$TMP/s2" --name h --os debian:12 >/dev/null
expect_exit 0 "scan after a downgrade" -- hfx scan
grep -q "h: 1 new" "$TMP/out" && ok "downgrade reopens" || fail "downgrade: $(cat "$TMP/out")"
[ "$(other)" = 1 ] && ok "the untouched package's finding stayed open, first seen unchanged" ||
	fail "aaa's finding: $(hfx findings --format csv | grep aaa)"

# A feed delta for aaa alone leaves zlib's findings as they are.
sed 's/TEST-2099-0002/TEST-2099-0003/' "$TMP/other.json" >"$TMP/third.json"
hfx feed import "$TMP/third.json" >/dev/null
expect_exit 0 "scan after a feed delta" -- hfx scan
grep -q "h: 1 new, 2 still open, 0 resolved" "$TMP/out" && ok "only the new advisory is new" ||
	fail "delta scan: $(cat "$TMP/out")"
finish
