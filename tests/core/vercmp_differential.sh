#!/bin/sh
# Differential test of the Debian version comparator: hfx's deb_vercmp()
# and deb_version_valid() against the real implementations.
#
# tests/core/vercmp_gen.py (under Debian's /usr/bin/python3, which has
# apt_pkg) generates 150,000 valid pairs with a fixed seed and the answer
# of apt_pkg.version_compare for each, a few hundred pairs answered by the
# `dpkg --compare-versions` binary itself (also checking that apt_pkg
# agrees with dpkg), and valid/invalid strings for the validity rules.
# A small driver (tests/core/vercmp_driver.c, built here with sanitizers
# against src/core/version_deb.c only) checks hfx against all of them.
# When $HFX_BIN has `vercmp --batch`, its output is checked too.
#
# Run from the repository root; exit 0 pass, 1 fail, 77 skip (no
# python3-apt, dpkg or C compiler).
set -u
cd "$(dirname "$0")/../.." || exit 1

PY=/usr/bin/python3
MIN_PAIRS=100000
shared=${HFX_SHARED_DATA:-../shared/data}
driver=build/check/vercmp_driver

if ! [ -x "$PY" ] || ! "$PY" -c 'import apt_pkg' 2>/dev/null; then
	echo "SKIP: $PY with apt_pkg (python3-apt) not available"
	exit 77
fi
if ! command -v dpkg >/dev/null || ! command -v "${CC:-cc}" >/dev/null; then
	echo "SKIP: dpkg or a C compiler not available"
	exit 77
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir -p build/check
"${CC:-cc}" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Isrc \
	tests/core/vercmp_driver.c src/core/version_deb.c -o "$driver" || exit 1

"$PY" tests/core/vercmp_gen.py --out "$tmp" --shared "$shared" || exit 1

fail=0
"$driver" cmp --valid --min "$MIN_PAIRS" "$tmp/pairs.tsv" || fail=1
"$driver" cmp --min 300 "$tmp/dpkg.tsv" || fail=1
"$driver" valid --min "$MIN_PAIRS" "$tmp/validity.tsv" || fail=1

# The CLI's batch mode, once it exists: a line "a<TAB>b" in, one of < = >
# out. Probed first so that its absence is not a failure.
if [ -x "${HFX_BIN:-}" ] &&
	[ "$(printf '1.0\t1.0~\n' | "$HFX_BIN" vercmp --batch 2>/dev/null)" = ">" ]; then
	cut -f1,2 "$tmp/pairs.tsv" | "$HFX_BIN" vercmp --batch >"$tmp/cli.out"
	paste "$tmp/pairs.tsv" "$tmp/cli.out" | awk -F'\t' '
		{ want = $3 == -1 ? "<" : $3 == 0 ? "=" : ">" }
		$4 != want { if (++bad <= 20) printf "MISMATCH hfx vercmp --batch line %d: %s vs %s: expected %s, got %s\n", NR, $1, $2, want, $4 }
		END { printf "hfx vercmp --batch: %d rows, %d mismatches\n", NR, bad; exit bad > 0 }' ||
		fail=1
else
	echo "note: $HFX_BIN has no 'vercmp --batch' yet; checked the library only"
fi
exit "$fail"
