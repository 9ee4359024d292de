#!/bin/sh
# feed sync from a mirror (file:// and http:// on loopback) gives the same
# findings, KEV and EPSS data as feed import of the same files, and a
# second sync downloads nothing (conditional requests).
. tests/lib.sh
need_data mirror/osv/Debian/all.zip mirror/kev/known_exploited_vulnerabilities.json \
	mirror/epss/epss_scores-current.csv.gz inventories/debian12-host/dpkg-status
MIRROR=$(cd "$DATA/mirror" && pwd)
STATUS=$DATA/inventories/debian12-host/dpkg-status

summary() { # the findings without their timestamps, and the threat data
	HFX_DB=$1 hfx findings --format csv | cut -d, -f1-10
	sqlite3 "$1" "SELECT count(*), sum(ransomware) FROM kev; SELECT count(*), sum(epss) FROM epss;"
}

# Reference: plain import of the mirror's files.
export HFX_DB="$TMP/import.db"
hfx init >/dev/null && hfx host import "$STATUS" --name web1 >/dev/null &&
	hfx feed import "$MIRROR/osv/Debian/all.zip" "$MIRROR/kev/known_exploited_vulnerabilities.json" \
		"$MIRROR/epss/epss_scores-current.csv.gz" >/dev/null && hfx scan >/dev/null ||
	fail "reference import"
summary "$TMP/import.db" >"$TMP/import.txt"

# file:// mirror.
export HFX_DB="$TMP/file.db"
hfx init >/dev/null && hfx host import "$STATUS" --name web1 >/dev/null
expect_exit 0 "sync from a file:// mirror" -- env HFX_MIRROR="file://$MIRROR" "$HFX" feed sync
grep -q "osv/Debian/all.zip (osv-zip): 6056 new" "$TMP/out" && ok "OSV archive imported" ||
	fail "sync output: $(cat "$TMP/out")"
hfx scan >/dev/null
summary "$TMP/file.db" >"$TMP/file.txt"
cmp -s "$TMP/import.txt" "$TMP/file.txt" && ok "file:// sync equals import" ||
	{ fail "file:// sync differs from import"; diff "$TMP/import.txt" "$TMP/file.txt" | head; }
expect_exit 0 "second sync" -- env HFX_MIRROR="file://$MIRROR" "$HFX" feed sync
[ "$(grep -c 'not modified' "$TMP/out")" = 3 ] && ok "second sync: all three not modified" ||
	fail "second sync output: $(cat "$TMP/out")"

# http:// mirror on loopback (Python's http.server answers If-Modified-Since).
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/bin/python3 -m http.server --bind 127.0.0.1 --directory "$MIRROR" "$port" >"$TMP/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do
	/usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break
	sleep 0.1
done
export HFX_DB="$TMP/http.db"
hfx init >/dev/null && hfx host import "$STATUS" --name web1 >/dev/null
expect_exit 0 "sync from an http:// mirror" -- env HFX_MIRROR="http://127.0.0.1:$port" "$HFX" feed sync
hfx scan >/dev/null
summary "$TMP/http.db" >"$TMP/http.txt"
cmp -s "$TMP/import.txt" "$TMP/http.txt" && ok "http:// sync equals import" ||
	fail "http:// sync differs from import"
expect_exit 0 "second http sync" -- env HFX_MIRROR="http://127.0.0.1:$port" "$HFX" feed sync
[ "$(grep -c 'not modified' "$TMP/out")" = 3 ] && ok "second http sync: 304 for all three" ||
	fail "second http sync output: $(cat "$TMP/out")"
grep -q '" 304 ' "$TMP/http.log" && ok "the server answered 304" || fail "no 304 in the server log"

# A mirror missing a file fails clearly and imports nothing of that feed.
export HFX_DB="$TMP/broken.db"
hfx init >/dev/null && hfx host import "$STATUS" --name web1 >/dev/null
expect_exit 1 "sync from a mirror without the files" -- env HFX_MIRROR="file://$TMP/empty" "$HFX" feed sync
expect_err "file://$TMP/empty/osv/Debian/all.zip"
finish
