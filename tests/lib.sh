# Helpers for the integration tests (sourced). Each test runs the real hfx
# binary ($HFX_BIN, the sanitizer build) against a fresh database in a
# temporary directory. Exit 77 means skipped (shared data absent).
set -u
ROOT=$(pwd)
HFX=${HFX_BIN:-build/check/hfx}
case $HFX in /*) ;; *) HFX=$ROOT/$HFX ;; esac
DATA=${HFX_SHARED_DATA:-../shared/data}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hfx-test.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
export HFX_DB="$TMP/hfx.db"
unset HFX_MIRROR
failures=0

hfx() { "$HFX" "$@"; }

need_data() {
	for f in "$@"; do
		if [ ! -e "$DATA/$f" ]; then
			echo "SKIP: shared test data not found: $DATA/$f"
			exit 77
		fi
	done
}

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
# check WHAT GOT WANT: ok when GOT is WANT.
check() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: '$2', expected '$3'"; fi; }

# osv_record ID PACKAGE FIXED: writes $TMP/ID.json, an OSV record for
# Debian:12 PACKAGE, affected from 0 and fixed in FIXED.
osv_record() {
	cat >"$TMP/$1.json" <<JSON
{"id": "$1", "modified": "2026-01-01T00:00:00Z",
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "$2"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "$3"}]}]}]}
JSON
}

# expect_exit CODE DESCRIPTION -- command...
expect_exit() {
	want=$1; what=$2; shift 3
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$what: exit $got, expected $want"; sed 's/^/  | /' "$TMP/err" | head -5
		return 1
	fi
	ok "$what"
}

# expect_err TEXT: the last command's stderr contains TEXT.
expect_err() {
	if grep -qF -- "$1" "$TMP/err"; then ok "message mentions '$1'"
	else fail "message lacks '$1':"; sed 's/^/  | /' "$TMP/err" | head -5; fi
}

# A fingerprint of every table's contents, to prove nothing changed.
db_fingerprint() {
	sqlite3 "$HFX_DB" .dump | grep -v '^PRAGMA\|^BEGIN\|^COMMIT' | sha256sum
}

finish() {
	[ "$failures" -eq 0 ] && { echo "all checks passed"; exit 0; }
	echo "$failures check(s) failed"; exit 1
}
