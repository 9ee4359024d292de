#!/usr/bin/python3
"""Expected findings from osv-scanner's recorded output.

Prints, for the Debian 9 SBOM (section
TestCommand_LocalDatabases/one_specific_supported_sbom_with_vulns) or the
Alpine 3.17 SBOM (every recorded row for sbom-insecure/alpine.cdx.xml), the
rows of the given ecosystem as
    advisory<TAB>package<TAB>version<TAB>fixed version
keeping only advisories whose record is in the local database directory
(osv-scanner's online runs saw more records than the offline sample holds).
usage: golden_osv_scanner.py SNAPSHOT RECORDS_DIR debian|alpine
"""
import os
import sys

snap, records, which = sys.argv[1], sys.argv[2], sys.argv[3]
local = set()
for root, _, files in os.walk(records):
    local.update(f[:-5] for f in files if f.endswith(".json"))

rows, section = set(), ""
for line in open(snap):
    if line.startswith("["):
        section = line.strip()
        continue
    cells = [c.strip() for c in line.split("|")]
    if len(cells) < 8 or not cells[1].startswith("https://osv.dev/"):
        continue
    adv, eco, pkg, ver, fixed, src = cells[1][len("https://osv.dev/"):], cells[3], cells[4], cells[5], cells[6], cells[7]
    if which == "debian":
        ok = section == "[TestCommand_LocalDatabases/one_specific_supported_sbom_with_vulns - 1]" and eco == "Debian:9"
    else:
        ok = src.endswith("sbom-insecure/alpine.cdx.xml") and eco == "Alpine:v3.17"
    if ok and adv in local:
        rows.add((adv, pkg, ver, fixed))
for r in sorted(rows):
    print("\t".join(r))
