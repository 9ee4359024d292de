#!/bin/sh
# Fails when src/ or fuzz/ calls a banned function (as git's banned.h does,
# but as a check over the tree: a poisoning header would also poison the
# system headers included after it). Use snprintf, memcpy with explicit
# lengths and strtol-style parsing instead; child processes are started
# with posix_spawn and an argv, never through a shell. String literals and
# comments are blanked first, so prose like "operating system (" is fine.
set -u
cd "$(dirname "$0")/.." || exit 1
pattern='(^|[^A-Za-z0-9_])(strcpy|strcat|strncpy|sprintf|vsprintf|strtok|atoi|atol|gets|system|popen)[[:space:]]*\('
found=$(find src fuzz -name '*.[ch]' | sort | while read -r f; do
	sed -E -e 's/"([^"\\]|\\.)*"/""/g' -e 's#//.*##' -e 's#/\*.*\*/##' -e 's#^[[:space:]]*\*.*##' "$f" |
		grep -nE "$pattern" | sed "s#^#$f:#"
done)
if [ -n "$found" ]; then
	echo "$found"
	echo "lint: banned function used (see scripts/lint.sh)" >&2
	exit 1
fi
exit 0
