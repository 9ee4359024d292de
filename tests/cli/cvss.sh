#!/bin/sh
# hfx cvss, the user's way to check the calculators: every vector of the
# official files gives the file's score (v3: base, temporal, environmental;
# v4.0: score), and a bad vector is exit 2 naming the metric.
. tests/lib.sh
need_data vectors/cvss/cvss31_base_all_2592.tsv vectors/cvss/cvss40_scores.tsv
for f in cvss30_base_all_2592 cvss30_with_temporal_environmental cvss31_base_all_2592 \
	cvss31_temporal_environmental; do
	tail -n +2 "$DATA/vectors/cvss/$f.tsv" | cut -f1-4 >"$TMP/want"
	# shellcheck disable=SC2046
	hfx cvss $(cut -f1 "$TMP/want") | awk -F'\t' '{ sub("temporal ", "", $4); sub("environmental ", "", $5); print $1 "\t" $2 "\t" $4 "\t" $5 }' >"$TMP/got"
	if cmp -s "$TMP/want" "$TMP/got"; then ok "$f: all $(wc -l <"$TMP/want") vectors"
	else fail "$f differs:"; diff "$TMP/want" "$TMP/got" | head -5; fi
done
tail -n +2 "$DATA/vectors/cvss/cvss40_scores.tsv" | cut -f1,2,4 >"$TMP/want4"
# shellcheck disable=SC2046
hfx cvss $(cut -f1 "$TMP/want4") | awk -F'\t' '{ sub("macrovector ", "", $4); print $1 "\t" $2 "\t" $4 }' >"$TMP/got4"
if cmp -s "$TMP/want4" "$TMP/got4"; then ok "cvss40_scores: all $(wc -l <"$TMP/want4") vectors and macrovectors"
else fail "cvss40_scores differs:"; diff "$TMP/want4" "$TMP/got4" | head -5; fi
expect_exit 2 "an invalid v3.1 vector" -- hfx cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q
expect_err "metric A: invalid value 'Q'"
expect_exit 2 "an invalid v4.0 vector" -- hfx cvss CVSS:4.0/AV:N/AC:L/AT:Z/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N
expect_err "metric AT"
finish
