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
