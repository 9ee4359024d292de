#!/bin/sh
# Bad input of every kind gives a clear error naming the file and the
# record, exit status 2, and leaves the database exactly as it was.
. tests/lib.sh
need_data mirror/osv/Debian/all.zip inventories/debian12-host/dpkg-status osv/debian12
ZIP=$DATA/mirror/osv/Debian/all.zip
STATUS=$DATA/inventories/debian12-host/dpkg-status
REC=$DATA/osv/debian12/DEBIAN-CVE-2004-2541.json

hfx init >/dev/null
hfx feed import "$REC" >/dev/null
hfx host import "$STATUS" --name web1 >/dev/null
hfx scan >/dev/null
before=$(db_fingerprint)

unchanged() {
	if [ "$(db_fingerprint)" = "$before" ]; then ok "database unchanged after: $1"
	else fail "database changed after: $1"; fi
}

# A truncated zip: the archive is cut in the middle.
head -c 1500000 "$ZIP" >"$TMP/truncated.zip"
expect_exit 2 "truncated zip" -- hfx feed import "$TMP/truncated.zip"
expect_err "truncated.zip"
unchanged "truncated zip"

# A record with a field of the wrong type, among good ones in a directory.
mkdir "$TMP/dir"
cp "$DATA/osv/debian12/DEBIAN-CVE-2005-2974.json" "$TMP/dir/a.json"
/usr/bin/python3 - "$REC" "$TMP/dir/b.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["id"] = "DEBIAN-CVE-TEST-1"
r["affected"][0]["ranges"][0]["events"][1]["fixed"] = 42
json.dump(r, open(sys.argv[2], "w"))
PY
expect_exit 2 "record with a field of the wrong type" -- hfx feed import "$TMP/dir"
expect_err "b.json"
expect_err "DEBIAN-CVE-TEST-1"
expect_err "affected[0].ranges[0].events[1]"
unchanged "wrong field type"

# The same bad record inside a zip archive: the entry is named.
(cd "$TMP/dir" && /usr/bin/python3 -c 'import zipfile; z = zipfile.ZipFile("../bad.zip", "w"); z.write("a.json"); z.write("b.json"); z.close()')
expect_exit 2 "bad record inside a zip" -- hfx feed import "$TMP/bad.zip"
expect_err "entry 'b.json'"
unchanged "bad record inside a zip"

# A dpkg status with a broken stanza (a continuation line with no field).
{ head -n 40 "$STATUS"; printf '\n continuation without a field\nPackage: x\n'; } >"$TMP/status"
expect_exit 2 "broken dpkg status stanza" -- hfx host import "$TMP/status" --name web1 --os debian:12
expect_err "$TMP/status"
expect_err "line"
unchanged "broken dpkg status"

# An invalid version in an installed package.
sed '0,/^Version: .*/s//Version: not a version/' "$STATUS" >"$TMP/status2"
expect_exit 2 "invalid version in dpkg status" -- hfx host import "$TMP/status2" --name web1 --os debian:12
expect_err "Version"
unchanged "invalid version"

# An unknown format, and a missing file.
printf 'hello, world\n' >"$TMP/hello.txt"
expect_exit 2 "unknown format" -- hfx feed import "$TMP/hello.txt"
expect_err "unknown format"
expect_exit 2 "missing file" -- hfx feed import "$TMP/nope.json"
expect_err "nope.json"
expect_exit 2 "missing inventory" -- hfx host import "$TMP/nope" --name web1 --os debian:12
unchanged "unknown format and missing files"

# --format overrides detection: an OSV record read as a KEV catalog fails.
expect_exit 2 "an OSV record forced to --format kev" -- hfx feed import "$REC" --format kev
expect_err "vulnerabilities"
expect_exit 2 "an unknown --format" -- hfx feed import "$REC" --format nosuch
expect_err "expected osv, osv-zip, kev or epss"
unchanged "forced formats"

# One bad path among good ones: nothing at all is imported.
expect_exit 2 "good and bad paths together" -- hfx feed import "$ZIP" "$TMP/hello.txt"
unchanged "a bad path after a good archive"

# KEV and EPSS with bad rows.
printf '#model_version:v1,score_date:2025-01-01T00:00:00+0000\ncve,epss,percentile\nCVE-2024-0001,0.5,0.5\nCVE-2024-0002,1.5,0.5\n' >"$TMP/epss.csv"
expect_exit 2 "EPSS score out of range" -- hfx feed import "$TMP/epss.csv"
expect_err "line 4"
unchanged "bad EPSS"

# Usage errors are exit 2 too.
expect_exit 2 "unknown command" -- hfx frobnicate
expect_exit 2 "unknown option" -- hfx scan --frob
expect_exit 2 "bad --format" -- hfx findings --format xml
expect_exit 2 "an --os without a version" -- hfx host import "$STATUS" --name x --os plan9
expect_exit 2 "invalid host name" -- hfx host import "$STATUS" --name 'a b' --os debian:12
unchanged "usage errors"
finish
