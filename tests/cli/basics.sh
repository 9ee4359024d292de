#!/bin/sh
# The command line itself: help for every command, the database lifecycle
# (init, migrations, refusal of a newer schema), host management, output
# formats, and docs/CLI.md being what the tables generate.
. tests/lib.sh
need_data inventories/debian12-host/dpkg-status inventories/debian12-host/os-release \
	osv/debian12/DEBIAN-CVE-2018-13410.json epss/epss_scores-2026-08-16.csv.gz
STATUS=$DATA/inventories/debian12-host/dpkg-status

# Help: every listed command answers --help with its usage, exit 0.
hfx --help >"$TMP/help" || fail "hfx --help"
sed -n 's/^  \([a-z][a-z]*\( [a-z][a-z]*\)\?\)  .*/\1/p' "$TMP/help" | sed 's/ *$//' >"$TMP/cmds"
[ "$(wc -l <"$TMP/cmds")" -ge 12 ] || fail "fewer commands listed than expected"
while read -r c; do
	# shellcheck disable=SC2086
	hfx $c --help >"$TMP/out" 2>&1 && grep -q "usage: hfx \[--db PATH\] \[--config PATH\] $c" "$TMP/out" ||
		fail "'hfx $c --help'"
done <"$TMP/cmds"
ok "every command has --help"
hfx help --markdown >"$TMP/CLI.md"
cmp -s "$TMP/CLI.md" "$ROOT/docs/CLI.md" && ok "docs/CLI.md is up to date" ||
	fail "docs/CLI.md differs from 'hfx help --markdown' (regenerate it)"

# Database lifecycle.
expect_exit 1 "a command before init" -- hfx host list
expect_err "run 'hfx init' first"
expect_exit 0 "init" -- hfx init
expect_exit 0 "init again" -- hfx init
[ "$(sqlite3 "$HFX_DB" 'PRAGMA journal_mode; PRAGMA user_version;' | tr '\n' ' ')" = "wal 7 " ] &&
	ok "WAL mode and schema version 2" || fail "journal mode or version"
cp "$HFX_DB" "$TMP/newer.db"
sqlite3 "$TMP/newer.db" 'PRAGMA user_version = 99'
expect_exit 1 "a newer schema is refused" -- hfx --db "$TMP/newer.db" host list
expect_err "newer than this hfx knows"
expect_exit 1 "init refuses a newer schema too" -- hfx --db "$TMP/newer.db" init
HFX_DB="$TMP/other.db" hfx init >/dev/null && [ -f "$TMP/other.db" ] && ok "HFX_DB names the database" ||
	fail "HFX_DB"
hfx --db "$TMP/third.db" init >/dev/null && [ -f "$TMP/third.db" ] && ok "--db names the database" ||
	fail "--db"

# Hosts: import with the os-release beside the file, collect from a root.
expect_exit 0 "host import" -- hfx host import "$STATUS" --name web1
grep -q "web1: debian 12 (Debian:12), 885 packages, arch amd64" "$TMP/out" &&
	ok "885 installed packages from the real status file" || fail "import: $(cat "$TMP/out")"
cp "$STATUS" "$TMP/status-alone"
expect_exit 2 "import without an os-release nor --os" -- hfx host import "$TMP/status-alone" --name x
expect_err "--os"
expect_exit 0 "an OS without an advisory feed is stored" -- hfx host import "$STATUS" --name odd --os plan9:4
expect_err "no advisory feed for plan9 4"
expect_exit 2 "a dpkg status for an rpm-based OS" -- hfx host import "$STATUS" --name x --os almalinux:9
expect_err "uses rpm packages"
mkdir -p "$TMP/root/etc" "$TMP/root/var/lib/dpkg"
cp "$DATA/inventories/debian12-host/os-release" "$TMP/root/etc/os-release"
cp "$STATUS" "$TMP/root/var/lib/dpkg/status"
expect_exit 0 "host collect --root" -- hfx host collect --root "$TMP/root" --name img1
grep -q "img1: debian 12 (Debian:12), 885 packages" "$TMP/out" && ok "collected a mounted root" ||
	fail "collect: $(cat "$TMP/out")"
hfx host list >"$TMP/out" && grep -q '^img1 ' "$TMP/out" && grep -q '^web1 ' "$TMP/out" &&
	ok "host list" || fail "host list: $(cat "$TMP/out")"
hfx host show web1 >"$TMP/out" && grep -q 'packages:   885' "$TMP/out" && ok "host show" ||
	fail "host show"
expect_exit 2 "show an unknown host" -- hfx host show nosuch
expect_err "no host named 'nosuch'"

# Findings in every format, and removal.
hfx feed import "$DATA/osv/debian12/DEBIAN-CVE-2018-13410.json" >/dev/null
expect_exit 0 "scan two hosts (one named twice)" -- hfx scan web1 img1 web1
grep -q "scanned 2 hosts: 2 new" "$TMP/out" && ok "scan totals" || fail "scan: $(cat "$TMP/out")"
expect_exit 0 "scan all hosts" -- hfx scan
grep -q "1 host not scanned: hfx has no advisory feed" "$TMP/out" && ok "a host without a feed is skipped, saying so" ||
	fail "scan all: $(cat "$TMP/out")"
hfx findings --format json | /usr/bin/python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert len(rows) == 2 and rows[0]["fixed_version"] == "3.0-13+deb12u1", rows
assert "explanation" not in rows[0]' && ok "findings JSON" || fail "findings JSON"
hfx findings --host web1 --format csv --explain | /usr/bin/python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
assert len(rows) == 1 and rows[0]["host"] == "web1", rows
assert "< fixed 3.0-13+deb12u1 (dpkg)" in rows[0]["explanation"], rows' &&
	ok "findings CSV with --explain, filtered by host" || fail "findings CSV --explain"
expect_exit 0 "host remove" -- hfx host remove img1
[ "$(sqlite3 "$HFX_DB" 'SELECT count(*) FROM finding f JOIN host h ON h.id = f.host_id WHERE h.name = "img1"')" = 0 ] &&
	ok "removal takes the host's findings" || fail "findings of a removed host remain"

# --format names a format detection would also find.
expect_exit 0 "import EPSS with --format epss" -- hfx feed import "$DATA/epss/epss_scores-2026-08-16.csv.gz" --format epss
grep -q "(epss): 360142 new" "$TMP/out" && ok "forced format imports" || fail "epss import: $(cat "$TMP/out")"

# vercmp.
[ "$(hfx vercmp 1.0~rc1-1 1.0-1)" = "<" ] && [ "$(hfx vercmp 1:0.1 2.0)" = ">" ] &&
	[ "$(hfx vercmp 1.0 1.0-0)" = "=" ] && ok "vercmp" || fail "vercmp"
expect_exit 2 "vercmp rejects an invalid version" -- hfx vercmp 'a b' 1.0
printf '1.0\t1.1\n2:1\t1:9\n' | hfx vercmp --batch >"$TMP/out" &&
	[ "$(tr '\n' ' ' <"$TMP/out")" = "< > " ] && ok "vercmp --batch" || fail "vercmp --batch"
finish
