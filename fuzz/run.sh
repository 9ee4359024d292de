#!/bin/sh
# Runs every libFuzzer target in build/fuzz for a bounded time each, on its
# seed corpus (fuzz/corpus/<target>/). New inputs go to build/fuzz/corpus so
# the committed seeds stay small. Fails when any target finds a crash.
set -u
cd "$(dirname "$0")/.." || exit 1
secs=${1:-30}
data=${HFX_SHARED_DATA:-../shared/data}
rc=0

# Real inputs from ../shared/data join the committed hand-written seeds
# at run time (the data must not be copied into the repository).
extra_seeds() {
	case $1 in
	fuzz_osv) echo "$data/osv/samples $data/vectors/osv/examples" ;;
	fuzz_kev) echo "$data/vectors/kev" ;;
	fuzz_dpkg_status) echo "$data/fixtures/claircore" ;;
	fuzz_sbom_xml) echo "$data/golden/osv-scanner-offline" ;;
	fuzz_vuls) echo "$data/inventories/vuls" ;;
	fuzz_txtar) echo "$data/fixtures/claircore/rpm/testdata/package" ;;
	fuzz_cvss3 | fuzz_cvss4) echo "$data/vectors/cvss" ;;
	esac
}
for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	work="build/fuzz/corpus/$name"
	mkdir -p "$work" "build/fuzz/artifacts/$name"
	echo "=== $name (${secs}s)"
	seeds=""
	for d in $(extra_seeds "$name"); do [ -d "$d" ] && seeds="$seeds $d"; done
	# shellcheck disable=SC2086
	if ! "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="build/fuzz/artifacts/$name/" -print_final_stats=1 \
		"$work" "fuzz/corpus/$name" $seeds 2>"build/fuzz/$name.log"; then
		tail -n 30 "build/fuzz/$name.log"
		echo "FAIL $name: see build/fuzz/$name.log and build/fuzz/artifacts/$name/"
		rc=1
	else
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "build/fuzz/$name.log" | tr '\n' ' '
		echo
	fi
done
exit $rc
