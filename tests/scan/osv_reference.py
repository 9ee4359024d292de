#!/usr/bin/python3
"""Independent reference for hfx's findings.

Reads an OSV all.zip and a host inventory and prints the findings a
correct matcher must report, one per line as
    advisory<TAB>binary package<TAB>arch<TAB>fixed version or "-"
It shares no code with hfx: a dpkg status is read with apt_pkg.TagFile, a
Vuls scan result with the json module; Debian versions are compared with
apt_pkg.version_compare (libapt's dpkg comparison), RPM versions with rpm's
own rpm.ver (python3-rpm), and ranges are evaluated following the OSV
schema's evaluation pseudocode directly. Debian advisories name source
packages, AlmaLinux/Rocky ones binary packages. Run with Debian's
/usr/bin/python3 (python3-apt, python3-rpm).

usage: osv_reference.py ALL.ZIP INVENTORY ECOSYSTEM [dpkg|vuls]
"""
import functools
import json
import sys
import zipfile

import apt_pkg
import rpm

apt_pkg.init_system()

RPM_FAMILY = False  # set in main() from the ecosystem


def cmp(a, b):
    if RPM_FAMILY:
        va, vb = rpm.ver(a), rpm.ver(b)
        return (va > vb) - (va < vb)
    r = apt_pkg.version_compare(a, b)
    return (r > 0) - (r < 0)


def event_key(ev):
    kind, ver = next(iter(ev.items()))
    return kind, ver


def sort_events(events):
    def order(a, b):
        ka, va = a
        kb, vb = b
        az = ka == "introduced" and va == "0"
        bz = kb == "introduced" and vb == "0"
        if az or bz:
            return (bz - az) if az != bz else 0
        return cmp(va, vb)
    return sorted((event_key(e) for e in events), key=functools.cmp_to_key(order))


def lt(v, kind, ver):
    """v < event version, with introduced 0 below everything."""
    if kind == "introduced" and ver == "0":
        return False
    return cmp(v, ver) < 0


def range_affected(v, events):
    """Returns (affected, fixed version or None)."""
    evs = sort_events(events)
    affected = False
    opened = -1
    for i, (kind, ver) in enumerate(evs):
        if kind == "introduced" and not lt(v, kind, ver):
            affected, opened = True, i
        elif kind == "fixed" and not lt(v, kind, ver):
            affected = False
        elif kind == "last_affected" and cmp(v, ver) > 0:
            affected = False
    limits = [ver for kind, ver in evs if kind == "limit"]
    if limits and not any(cmp(v, l) < 0 for l in limits):
        affected = False
    if not affected:
        return False, None
    for kind, ver in evs[opened + 1:]:
        if kind == "fixed":
            return True, ver
        if kind == "last_affected":
            return True, None
    return True, None


def affected_by(v, aff):
    hit, fix = False, None
    for r in aff.get("ranges", []):
        if r["type"] == "GIT":
            continue
        a, f = range_affected(v, r["events"])
        if a and (not hit or (fix is None and f is not None)):
            hit, fix = True, f
    if not hit and any(cmp(v, x) == 0 for x in aff.get("versions", [])):
        hit = True
    return hit, fix


def installed_packages(path):
    pkgs = []
    with apt_pkg.TagFile(path) as tf:
        for sec in tf:
            if sec.get("Status", "").split()[-1:] != ["installed"]:
                continue
            name, ver = sec["Package"], sec["Version"]
            src, sver = name, ver
            if "Source" in sec:
                s = sec["Source"].split()
                src = s[0]
                if len(s) > 1:
                    sver = s[1].strip("()")
            pkgs.append((name, sec.get("Architecture", ""), ver, src, sver))
    return pkgs


def vuls_packages(path):
    """(binary, arch, version, source, source version) from a Vuls result."""
    d = json.load(open(path))
    pkgs = []
    for p in d.get("packages", {}).values():
        ver = p["version"] + ("-" + p["release"] if p.get("release") else "")
        pkgs.append((p["name"], p.get("arch", ""), ver, p["name"], ver))
    return pkgs


def main():
    global RPM_FAMILY
    zpath, status, ecosystem = sys.argv[1], sys.argv[2], sys.argv[3]
    kind = sys.argv[4] if len(sys.argv) > 4 else "dpkg"
    RPM_FAMILY = ecosystem.split(":")[0] in ("AlmaLinux", "Rocky Linux")
    by_source = {}
    with zipfile.ZipFile(zpath) as z:
        for n in z.namelist():
            if not n.endswith(".json"):
                continue
            rec = json.loads(z.read(n))
            if rec.get("withdrawn"):
                continue
            for aff in rec.get("affected", []):
                pkg = aff.get("package", {})
                if pkg.get("ecosystem") == ecosystem:
                    by_source.setdefault(pkg["name"], []).append((rec["id"], aff))
    # An advisory naming a package in several affected entries (AlmaLinux
    # module streams) is one finding; its fix is the highest fixed version
    # among the entries that match (then upgrading past it fixes them all).
    found = {}
    pkgs = vuls_packages(status) if kind == "vuls" else installed_packages(status)
    for name, arch, ver, src, sver in pkgs:
        key, kver = (name, ver) if RPM_FAMILY else (src, sver)
        for adv, aff in by_source.get(key, []):
            hit, fix = affected_by(kver, aff)
            if not hit:
                continue
            k = (adv, name, arch)
            old = found.get(k, "")
            if old == "" or (fix is not None and (old is None or cmp(fix, old) > 0)):
                found[k] = fix
    for (adv, name, arch), fix in sorted(found.items()):
        print(f"{adv}\t{name}\t{arch}\t{fix or '-'}")


if __name__ == "__main__":
    main()
