#!/bin/sh
# Fails when src/ uses a banned function (as git's banned.h does, but as a
# check over the tree: a poisoning header would also poison the system
# headers included after it). Use snprintf, memcpy with explicit lengths
# and the str_to_* helpers of base/strutil.h instead.
set -u
cd "$(dirname "$0")/.." || exit 1
pattern='\b(strcpy|strcat|strncpy|sprintf|vsprintf|strtok|atoi|atol|gets|system|popen)[[:space:]]*\('
if grep -rnE "$pattern" src fuzz --include='*.c' --include='*.h' | grep -v '^\S*:\s*\*'; then
	echo "lint: banned function used (see scripts/lint.sh)" >&2
	exit 1
fi
exit 0
