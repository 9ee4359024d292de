#!/bin/sh
# Differential test of the RPM version comparator: hfx's rpm_vercmp()
# against the real rpm (4.18, Debian's `rpm` package), pair by pair.
#
# tests/core/rpm_gen.py generates 300,000 pairs "a<TAB>b" with a fixed
# seed, after the pairs of the shared RPM vector files when they are
# present. One `rpm --eval` runs a Lua loop that answers every pair with
# rpm.vercmp(); a small driver (tests/core/rpm_driver.c, built here with
# sanitizers against src/core/version_rpm.c only) answers them with hfx.
# The answers must be identical, line for line; the driver also checks
# antisymmetry and that each version equals itself.
#
# Run from the repository root; exit 0 pass, 1 fail, 77 skip (no rpm,
# python3 or C compiler; scripts/install-deps.sh installs them).
set -u
cd "$(dirname "$0")/../.." || exit 1

PY=/usr/bin/python3
COUNT=300000
MIN_PAIRS=100000
MAX_SHOWN=20
shared=${HFX_SHARED_DATA:-../shared/data}

if ! command -v rpm >/dev/null; then
	echo "SKIP: rpm not installed (apt-get install rpm; see scripts/install-deps.sh)"
	exit 77
fi
if ! [ -x "$PY" ] || ! command -v "${CC:-cc}" >/dev/null; then
	echo "SKIP: $PY or a C compiler not available"
	exit 77
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

"${CC:-cc}" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Isrc \
	tests/core/rpm_driver.c src/core/version_rpm.c -o "$tmp/rpm_driver" || exit 1

"$PY" tests/core/rpm_gen.py --count "$COUNT" --shared "$shared" \
	--out "$tmp/pairs.tsv" || exit 1

# The Lua of rpm 4.18 is byte-clean: io.lines keeps NULs and high bytes,
# and rpm.vercmp() then sees each version as the C string rpm would.
# Answers go to a file rather than through print(), which rpm buffers
# into the macro expansion.
rpm --eval "%{lua:
local out = assert(io.open('$tmp/rpm.out', 'w'))
for l in io.lines('$tmp/pairs.tsv') do
	local a, b = l:match('^(.-)\t(.*)\$')
	out:write(rpm.vercmp(a, b), '\n')
end
out:close()
}" >/dev/null || { echo "FAIL: rpm --eval failed"; exit 1; }

"$tmp/rpm_driver" "$tmp/pairs.tsv" >"$tmp/hfx.out" || { echo "FAIL: rpm_driver failed"; exit 1; }

pairs=$(wc -l <"$tmp/pairs.tsv")
n_rpm=$(wc -l <"$tmp/rpm.out")
n_hfx=$(wc -l <"$tmp/hfx.out")
if [ "$n_rpm" -ne "$pairs" ] || [ "$n_hfx" -ne "$pairs" ]; then
	echo "FAIL: $pairs pairs, but $n_rpm answers from rpm and $n_hfx from hfx"
	exit 1
fi

# Compared on the answer files only: awk need not read the versions,
# which may hold NUL bytes. Mismatching pairs are shown with cat -v.
paste -d ' ' "$tmp/rpm.out" "$tmp/hfx.out" |
	awk '$1 != $2 { print NR, $1, $2 }' >"$tmp/bad"
bad=$(wc -l <"$tmp/bad")
head -n "$MAX_SHOWN" "$tmp/bad" | while read -r nr want got; do
	printf 'MISMATCH pair %s: rpm %s, hfx %s: ' "$nr" "$want" "$got"
	sed -n "${nr}p" "$tmp/pairs.tsv" | cat -v
done
echo "rpm_vercmp vs rpm $(rpm --version | cut -d' ' -f3): $pairs pairs compared, $bad mismatches"
if [ "$pairs" -lt "$MIN_PAIRS" ]; then
	echo "FAIL: expected at least $MIN_PAIRS pairs"
	exit 1
fi
[ "$bad" -eq 0 ]
