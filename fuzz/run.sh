#!/bin/sh
# Runs every libFuzzer target in build/fuzz for a bounded time each, on its
# seed corpus (fuzz/corpus/<target>/). New inputs go to build/fuzz/corpus so
# the committed seeds stay small. Fails when any target finds a crash.
set -u
cd "$(dirname "$0")/.." || exit 1
secs=${1:-30}
rc=0
for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	work="build/fuzz/corpus/$name"
	mkdir -p "$work" "build/fuzz/artifacts/$name"
	echo "=== $name (${secs}s)"
	if ! "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="build/fuzz/artifacts/$name/" -print_final_stats=1 \
		"$work" "fuzz/corpus/$name" 2>"build/fuzz/$name.log"; then
		tail -n 30 "build/fuzz/$name.log"
		echo "FAIL $name: see build/fuzz/$name.log and build/fuzz/artifacts/$name/"
		rc=1
	else
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "build/fuzz/$name.log" | tr '\n' ' '
		echo
	fi
done
exit $rc
