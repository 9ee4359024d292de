#!/usr/bin/python3
"""Builds a synthetic fleet for `make bench`.

Copies the packages of one real host (already imported into the database)
to N synthetic hosts, perturbing versions deterministically so that hosts
differ the way a real fleet does: on each host about a tenth of the source
packages are at another version -- some upgraded past every fix the feed
knows (their findings disappear), some older (their findings stay), some
at a rebuilt version (+b1). Writes straight to SQLite: this prepares the
benchmark, it is not what is measured.
"""
import random
import sqlite3
import sys


def main():
    db, template, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(20261128)
    con = sqlite3.connect(db)
    cur = con.cursor()
    tid, eco, os_id, os_ver = cur.execute(
        "SELECT id, ecosystem, os_id, os_version FROM host WHERE name = ?", (template,)).fetchone()
    pkgs = cur.execute("SELECT name, arch, version, source, source_version FROM host_package "
                       "WHERE host_id = ?", (tid,)).fetchall()
    sources = sorted({p[3] for p in pkgs})
    cur.execute("BEGIN")
    for i in range(count):
        name = f"fleet-{i:05d}"
        cur.execute("INSERT INTO host (name, os_id, os_version, ecosystem, arch, source, updated_at) "
                    "VALUES (?, ?, ?, ?, 'amd64', 'bench', '2026-11-28T00:00:00Z')",
                    (name, os_id, os_ver, eco))
        hid = cur.lastrowid
        changed = {}
        for s in rng.sample(sources, len(sources) // 10):
            changed[s] = rng.choice(["99:0-1", "0.1-1", None])
        rows = []
        for (pname, arch, ver, src, sver) in pkgs:
            how = changed.get(src, "")
            if how == "":
                rows.append((hid, pname, arch, ver, src, sver))
            elif how is None:
                rows.append((hid, pname, arch, ver + "+b1", src, sver + "+b1"))
            else:
                rows.append((hid, pname, arch, how, src, how))
        cur.executemany("INSERT INTO host_package VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.commit()


if __name__ == "__main__":
    main()
