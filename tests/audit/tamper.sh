#!/bin/sh
# The audit log end to end: a log built by real commands (init, feed
# import, host import, scan, three checkpoints), `audit log`, `audit
# export` checked record by record with sha256sum alone (the format of
# docs/AUDIT.md), `audit verify`; then each kind of tampering done with the
# sqlite3 tool on a copy of the database, each of which verify must report
# with exit status 1 and the first bad sequence number.
. tests/lib.sh
ZEROS=0000000000000000000000000000000000000000000000000000000000000000
KEY=$HFX_DB.audit-key
export HFX_NOW=2026-11-28T10:00:00Z HFX_USER=alice

cat >"$TMP/TEST-1.json" <<'JSON'
{"id": "TEST-1", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2099-0001"],
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "zip"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0-14"}]}]}]}
JSON
printf 'Package: zip\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0-13\n\n' \
	>"$TMP/status"
hfx init >/dev/null || fail "init"
hfx feed import "$TMP/TEST-1.json" >/dev/null || fail "feed import"
hfx host import "$TMP/status" --name web1 --os debian:12 >/dev/null || fail "host import"
hfx scan >/dev/null || fail "scan"
R=$(hfx audit log | wc -l) # records the commands wrote (0 until they are audited)
ok "the commands wrote $R audit records"

# Three checkpoints: each signs the head, then appends its own record.
hfx audit checkpoint >"$TMP/cp1" || fail "first checkpoint"
grep -q "created key $KEY" "$TMP/cp1" && ok "the first checkpoint creates the key" ||
	fail "no key created: $(cat "$TMP/cp1")"
[ "$(stat -c %a "$KEY")" = 600 ] && ok "private key mode 600" || fail "private key mode"
grep -q "BEGIN PUBLIC KEY" "$KEY.pub" && ok "public key PEM" || fail "public key"
hfx audit checkpoint >"$TMP/cp2" || fail "second checkpoint"
hfx audit checkpoint >"$TMP/cp3" || fail "third checkpoint"
grep -q "^checkpoint: seq $R, head " "$TMP/cp1" && grep -q "^checkpoint: seq $((R + 2)), " \
	"$TMP/cp3" && ok "checkpoints sign seq $R, $((R + 1)), $((R + 2))" ||
	fail "checkpoint output: $(cat "$TMP/cp1" "$TMP/cp3")"
N=$((R + 3))
HFX_USER=bob expect_exit 3 "a viewer may not sign" -- hfx audit checkpoint && expect_err "admin"

expect_exit 0 "verify the intact log" -- hfx audit verify
grep -q "^audit log intact: $N records, 3 checkpoints$" "$TMP/out" && ok "verify counts" ||
	fail "verify output: $(cat "$TMP/out")"

# audit log: one line per record; filters.
[ "$(hfx audit log | wc -l)" -eq "$N" ] && ok "audit log: $N lines" || fail "audit log lines"
hfx audit log | sed -n "$N"p | grep -q "^$N  $HFX_NOW  alice  audit.checkpoint  checkpoint:$((R + 2))  {" &&
	ok "audit log line: seq, time, actor, action, object, details" ||
	fail "audit log line: $(hfx audit log | sed -n "$N"p)"
[ "$(hfx audit log --object "checkpoint:$R" | wc -l)" -eq 1 ] && ok "log --object" || fail "log --object"
[ "$(hfx audit log --since 2026-11-29 | wc -l)" -eq 0 ] &&
	[ "$(hfx audit log --since 2026-11-28T09:00:00+00:00 | wc -l)" -eq "$N" ] &&
	ok "log --since" || fail "log --since"
expect_exit 2 "log --since nonsense" -- hfx audit log --since soon && expect_err "'soon' is neither a date"

# audit export: every record, checked with sha256sum alone. Without
# prev_hash and hash (the last occurrences of those keys), a line is the
# exact canonical text the hash covers.
strip() {
	sed -E 's/(.*)"hash":"[0-9a-f]{64}",("object":)/\1\2/; s/(.*)"prev_hash":"[0-9a-f]{64}",("seq":)/\1\2/'
}
field() { sed -E "s/.*\"$1\":\"([0-9a-f]{64})\",\"$2\".*/\1/"; }
hfx audit export --format jsonl >"$TMP/export" || fail "export"
[ "$(wc -l <"$TMP/export")" -eq "$N" ] && ok "export: $N lines" || fail "export lines"
prev=$ZEROS bad=0
while IFS= read -r line; do
	[ "$(printf '%s' "$line" | field prev_hash seq)" = "$prev" ] || bad=$((bad + 1))
	hash=$(printf '%s' "$line" | field hash object)
	[ "$(printf '%s' "$line" | strip | sed "s/^/$prev/" | tr -d '\n' | sha256sum | cut -c1-64)" = "$hash" ] ||
		bad=$((bad + 1))
	prev=$hash
done <"$TMP/export"
[ "$bad" -eq 0 ] && ok "export: every hash recomputed with sha256sum" || fail "export: $bad bad links or hashes"
expect_exit 2 "export --format csv" -- hfx audit export --format csv && expect_err "unknown format 'csv'"

# Verify reads only: the database is unchanged.
before=$(db_fingerprint)
hfx audit verify >/dev/null
[ "$(db_fingerprint)" = "$before" ] && ok "verify changes nothing" || fail "verify changed the database"

# tampered NAME FIRST_BAD SQL: verify the copy changed by SQL.
tampered() {
	name=$1 first=$2 db=$TMP/$1.db
	cp "$HFX_DB" "$db"
	[ -f "$HFX_DB-wal" ] && cp "$HFX_DB-wal" "$db-wal"
	sqlite3 "$db" "$3" || fail "$name: sqlite3"
	expect_exit 1 "$name" -- hfx --db "$db" audit verify --public-key "$KEY.pub" &&
		expect_err "audit log broken at seq $first: "
}
last_cp=$((R + 2)) # the last checkpoint; its record is N
tampered edited-actor 1 "UPDATE audit SET actor = 'mallory' WHERE seq = 1"
tampered edited-details $((N - 1)) "UPDATE audit SET details = replace(details, '\"seq\":', '\"seq\":1') WHERE seq = $((N - 1))"
tampered details-not-json 2 "UPDATE audit SET details = '{' WHERE seq = 2"
tampered edited-hash 2 "UPDATE audit SET hash = '$ZEROS' WHERE seq = 2"
tampered deleted-record 2 "DELETE FROM audit WHERE seq = 2"
tampered appended-record $((N + 1)) "INSERT INTO audit SELECT $((N + 1)), time, actor, action, object, details, prev_hash, hash FROM audit WHERE seq = $N"
tampered swapped-records 1 "UPDATE audit SET seq = -1 WHERE seq = 1; UPDATE audit SET seq = 1 WHERE seq = $((N - 1)); UPDATE audit SET seq = $((N - 1)) WHERE seq = -1"
tampered deleted-checkpoint $((R + 2)) "DELETE FROM audit_checkpoint WHERE seq = $((R + 1))"
tampered edited-signature "$R" "UPDATE audit_checkpoint SET signature = (SELECT signature FROM audit_checkpoint WHERE seq = $last_cp) WHERE seq = $R"
tampered tail-cut $((N - 1)) "DELETE FROM audit WHERE seq >= $((N - 1))"
expect_err "missing"

# The whole chain rewritten consistently from record 1 with sha256sum, as
# anyone who knows the format can: only the checkpoints notice.
cp "$HFX_DB" "$TMP/rewritten.db"
[ -f "$HFX_DB-wal" ] && cp "$HFX_DB-wal" "$TMP/rewritten.db-wal"
prev=$ZEROS seq=0
: >"$TMP/rewrite.sql"
while IFS= read -r line; do
	seq=$((seq + 1))
	[ "$seq" -eq 1 ] && line=$(printf '%s' "$line" | sed 's/"actor":"alice"/"actor":"mallory"/') &&
		echo "UPDATE audit SET actor = 'mallory' WHERE seq = 1;" >>"$TMP/rewrite.sql"
	hash=$(printf '%s' "$line" | strip | sed "s/^/$prev/" | tr -d '\n' | sha256sum | cut -c1-64)
	echo "UPDATE audit SET prev_hash = '$prev', hash = '$hash' WHERE seq = $seq;" >>"$TMP/rewrite.sql"
	prev=$hash
done <"$TMP/export"
sqlite3 "$TMP/rewritten.db" <"$TMP/rewrite.sql" || fail "rewrite"
first=$R
[ "$R" -eq 0 ] && first=1 # the first checkpoint signed the empty log
expect_exit 1 "chain rewritten consistently" -- hfx --db "$TMP/rewritten.db" audit verify \
	--public-key "$KEY.pub" && expect_err "audit log broken at seq $first: record $first is not the one checkpoint $first signed"
expect_exit 1 "a rewritten log is not signed" -- hfx --db "$TMP/rewritten.db" audit checkpoint \
	--key "$KEY" && expect_err "not signing it"

# Another key's public key: the first checkpoint's signature fails.
HFX_DB="$TMP/other.db" hfx init >/dev/null && HFX_DB="$TMP/other.db" hfx audit checkpoint >/dev/null ||
	fail "second database"
expect_exit 1 "verify with another public key" -- hfx audit verify --public-key "$TMP/other.db.audit-key.pub" &&
	expect_err "audit log broken at seq $R: checkpoint $R: its signature does not verify"
cp "$HFX_DB" "$TMP/nokey.db"
expect_exit 1 "verify without the public key" -- hfx --db "$TMP/nokey.db" audit verify &&
	expect_err "cannot verify the 3 audit checkpoints"
expect_exit 0 "the original still verifies" -- hfx audit verify
finish
