#!/usr/bin/python3
"""Prepares the planner benchmark of `make bench` (issue 6): the hosts'
context for a synthetic fleet of N hosts already in the database -- 50
groups, the three rings, weekly windows across 20 time zones -- as a
hosts.csv for `hfx host set --file`; a policy letting a fifth of each
group be patched at once; and the advisories to approve: the 30 that
affect the most hosts. Writes hosts.csv and hfx.conf, prints the ids.
"""
import csv
import sqlite3
import sys

ZONES = ["UTC", "Europe/Berlin", "Europe/London", "Europe/Paris", "Europe/Madrid",
         "Europe/Warsaw", "Europe/Helsinki", "America/New_York", "America/Chicago",
         "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Tokyo",
         "Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai", "Australia/Sydney",
         "Australia/Lord_Howe", "Pacific/Auckland", "Africa/Johannesburg"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def main():
    db, out, conf = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(conf, "w") as f:
        for g in range(50):
            f.write(f'[group "g{g:02d}"]\nmax-unavailable = 20%\n')
    con = sqlite3.connect(db)
    names = [r[0] for r in con.execute("SELECT name FROM host ORDER BY id")]
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "group", "ring", "window", "tz"])
        for i, n in enumerate(names):
            ring = "test" if i % 20 == 0 else "pilot" if i % 5 == 0 else "broad"
            day = DAYS[i % 7]
            hour = (i // 7) % 4 * 2
            window = f"{day} {hour:02d}:00-{hour + 4:02d}:00, daily 22:00-23:00"
            w.writerow([n, f"g{i % 50:02d}", ring, window, ZONES[i % len(ZONES)]])
    for (adv,) in con.execute(
            "SELECT a.name FROM finding f JOIN advisory a ON a.id = f.advisory_id "
            "WHERE f.resolved_at IS NULL AND f.fixed_version IS NOT NULL "
            "GROUP BY a.id ORDER BY count(*) DESC, a.name LIMIT 30"):
        print(adv)


main()
