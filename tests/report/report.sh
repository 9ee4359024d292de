#!/bin/sh
# hfx report end to end, on real data: the Debian 12 feed with the KEV
# catalog and EPSS scores, and the real Debian 12 host's dpkg status as
# five hosts in three groups and three rings, scanned over a hundred days
# (HFX_NOW moves on): two hosts are upgraded (the packages of the data's
# upgrade-candidates.tsv, at their fixed versions), one on time and one
# late, so that findings are fixed with real resolved_at; one is
# downgraded again (regressed); a real record is withdrawn. Every number
# of the JSON report is then recomputed here with Python's sqlite3 over
# the database, from docs/REPORT.md's definitions, not from hfx's output;
# the text, CSV and HTML forms and --group are checked, and the HTML page
# is rendered by headless Chromium (Debian's chromium package).
. tests/lib.sh
need_data mirror/osv/Debian/all.zip mirror/kev/known_exploited_vulnerabilities.json \
	mirror/epss/epss_scores-current.csv.gz inventories/debian12-host/dpkg-status \
	inventories/debian12-host/upgrade-candidates.tsv osv/debian12/DEBIAN-CVE-2018-13410.json
export HFX_USER=alice
STATUS=$DATA/inventories/debian12-host/dpkg-status
# Day N of the story, as an RFC 3339 time.
at() { date -u -d "2026-10-01T09:00:00Z +$1 days" +%Y-%m-%dT%H:%M:%SZ; }
host_import() { # host_import STATUS NAME
	hfx host import "$1" --name "$2" --os debian:12 >/dev/null || fail "host import $2"
}
scan_at() { HFX_NOW=$(at "$1") hfx scan >/dev/null || fail "scan on day $1"; }

# The upgraded host: every binary of each candidate's source at the
# candidate's new source version, as apt would leave it.
/usr/bin/python3 - "$STATUS" "$DATA/inventories/debian12-host/upgrade-candidates.tsv" \
	>"$TMP/status-upgraded" <<'PY' || fail "writing the upgraded status"
import csv, sys
new = {r["source"]: r["new_source_version"]
       for r in csv.DictReader(open(sys.argv[2]), delimiter="\t")}
changed = 0
for stanza in open(sys.argv[1]).read().split("\n\n"):
    lines = stanza.split("\n")
    fields = dict(l.split(": ", 1) for l in lines if ": " in l and not l.startswith(" "))
    src = fields.get("Source", fields.get("Package", "")).split(" ")[0]
    if src in new and "Package" in fields:
        out = []
        for l in lines:
            if l.startswith("Version: "):
                l = "Version: " + new[src]
            elif l.startswith("Source: "):
                l = "Source: " + src
            out.append(l)
        lines = out
        changed += 1
    print("\n".join(lines), end="\n\n")
assert changed >= len(new), changed
PY
# A withdrawn revision of a real record (zip's CVE-2018-13410).
/usr/bin/python3 - "$DATA/osv/debian12/DEBIAN-CVE-2018-13410.json" >"$TMP/withdrawn.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["modified"] = r["withdrawn"] = "2026-12-01T00:00:00Z"
print(json.dumps(r))
PY

export HFX_NOW=$(at 0)
hfx init >/dev/null || fail "init"
hfx feed import "$DATA/mirror/osv/Debian/all.zip" "$DATA/mirror/kev/known_exploited_vulnerabilities.json" \
	"$DATA/mirror/epss/epss_scores-current.csv.gz" >/dev/null || fail "feed import"
host_import "$STATUS" web1
host_import "$STATUS" db1
hfx host set web1 group=web ring=test exposure=internet criticality=high >/dev/null &&
	hfx host set db1 group=db ring=pilot exposure=internal criticality=critical >/dev/null ||
	fail "host set"
scan_at 0
# Day 20: web1 upgrades, within most due dates; day 45: db1, late.
export HFX_NOW=$(at 20)
host_import "$TMP/status-upgraded" web1 && scan_at 20
export HFX_NOW=$(at 45)
host_import "$TMP/status-upgraded" db1 && scan_at 45
export HFX_NOW=$(at 50)
host_import "$STATUS" lab1 && hfx host set lab1 group=lab >/dev/null && scan_at 50
# Day 60: db1 is restored from an old image: its fixes are gone again.
export HFX_NOW=$(at 60)
host_import "$STATUS" db1 && scan_at 60
# Day 70: the zip record is withdrawn.
export HFX_NOW=$(at 70)
hfx feed import "$TMP/withdrawn.json" >/dev/null || fail "import the withdrawal"
scan_at 70
export HFX_NOW=$(at 85)
host_import "$STATUS" web2 && hfx host set web2 group=web >/dev/null && scan_at 85
export HFX_NOW=$(at 95)
host_import "$STATUS" app1 && scan_at 95
export HFX_NOW=$(at 100)

expect_exit 2 "an unknown format" -- hfx report --format pdf && expect_err "expected text, json, csv or html"
expect_exit 2 "a group nobody is in" -- hfx report --group nosuch && expect_err "no host is in this group"
expect_exit 0 "a viewer may report" -- hfx --as carol report
hfx report --format json >"$TMP/all.json" || fail "report --format json"
hfx report --format json --group web >"$TMP/web.json" || fail "report --group web"
hfx report --format json >"$TMP/all2.json"
cmp -s "$TMP/all.json" "$TMP/all2.json" && ok "the report is deterministic" || fail "two reports differ"

# Every number, recomputed from the database.
cat >"$TMP/recompute.py" <<'PY'
import datetime as dt, json, sqlite3, sys
db, path, now, group = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] or None
rep = json.load(open(path))
con = sqlite3.connect(db)
def t(s): return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
NOW, TODAY = t(now), now[:10]
PRIO = {3: "immediate", 2: "out-of-cycle", 1: "scheduled", 0: "defer", None: "unranked"}
AGES = ["0-7", "8-30", "31-90", ">90"]
rows = con.execute("""SELECT f.priority, f.due, f.first_seen, f.resolved_at, f.resolution,
    f.reopened, h.name, h.grp, h.ring, a.name, f.package, f.version
    FROM finding f JOIN host h ON h.id = f.host_id JOIN advisory a ON a.id = f.advisory_id""").fetchall()
rows = [r for r in rows if group is None or r[7] == group]
def age_bucket(days):
    return 0 if days <= 7 else 1 if days <= 30 else 2 if days <= 90 else 3
want = {"hosts": con.execute("SELECT count(*) FROM host WHERE ? IS NULL OR grp = ?",
                             (group, group)).fetchone()[0]}
opn = {p: {"open": 0, "overdue": 0, "by_age": dict.fromkeys(AGES, 0)} for p in PRIO.values()}
tim = {p: {"fixed": 0, "fixed_seconds": 0, "exposure_seconds": 0} for p in PRIO.values()}
reissued = regressed = withdrawn = 0
groups, rings, judged_all, overdue = {}, {}, [0, 0], []
for prio, due, first, resolved, resolution, reopened, host, grp, ring, adv, pkg, ver in rows:
    p = PRIO[prio]
    is_open = resolved is None
    fixed = not is_open and resolution in (None, "fixed")
    if is_open:
        secs = max(0, int((NOW - t(first)).total_seconds()))
        opn[p]["open"] += 1
        opn[p]["by_age"][AGES[age_bucket(int((NOW - t(first)).total_seconds()) // 86400)]] += 1
        reissued += reopened == "reissued"
        regressed += reopened == "regressed"
        if due is not None and due < TODAY:
            opn[p]["overdue"] += 1
            overdue.append((due, -(prio if prio is not None else -1), host, adv, pkg, ver,
                            (dt.date.fromisoformat(TODAY) - dt.date.fromisoformat(due)).days))
        tim[p]["exposure_seconds"] += secs
    elif fixed:
        secs = max(0, int((t(resolved) - t(first)).total_seconds()))
        tim[p]["fixed"] += 1
        tim[p]["fixed_seconds"] += secs
        tim[p]["exposure_seconds"] += secs
    else:
        withdrawn += resolution == "withdrawn"
    if due is not None and (fixed or (is_open and due < TODAY)):
        within = fixed and resolved[:10] <= due
        for d, k in ((groups, grp or "(none)"), (rings, ring or "broad")):
            d.setdefault(k, [0, 0])
            d[k][0] += 1
            d[k][1] += within
        judged_all[0] += 1
        judged_all[1] += within

bad = []
def eq(what, got, exp, tol=0):
    if exp is None or got is None:
        ok_ = got is exp
    else:
        ok_ = abs(got - exp) <= tol if tol else got == exp
    if not ok_:
        bad.append(f"{what}: report {got!r}, database {exp!r}")
eq("hosts", rep["hosts"], want["hosts"])
o = rep["open"]
eq("open.total", o["total"], sum(v["open"] for v in opn.values()))
eq("open.overdue", o["overdue"], sum(v["overdue"] for v in opn.values()))
eq("open.reissued", o["reissued"], reissued)
eq("open.regressed", o["regressed"], regressed)
for a in AGES:
    eq(f"open.by_age.{a}", o["by_age"][a], sum(v["by_age"][a] for v in opn.values()))
for p, v in opn.items():
    for k in ("open", "overdue"):
        eq(f"open.{p}.{k}", o["by_priority"][p][k], v[k])
    for a in AGES:
        eq(f"open.{p}.{a}", o["by_priority"][p]["by_age"][a], v["by_age"][a])
r = rep["remediation"]
eq("withdrawn", r["withdrawn"], withdrawn)
def times(what, got, v):
    eq(what + ".fixed", got["fixed"], v["fixed"])
    eq(what + ".fixed_seconds", got["fixed_seconds"], v["fixed_seconds"])
    eq(what + ".mttr_days", got["mttr_days"],
       v["fixed_seconds"] / 86400 / v["fixed"] if v["fixed"] else None, 1e-3)
    eq(what + ".exposure_seconds", got["exposure_seconds"], v["exposure_seconds"])
    eq(what + ".exposure_days", got["exposure_days"], v["exposure_seconds"] / 86400, 1e-3)
for p, v in tim.items():
    times("remediation." + p, r["by_priority"][p], v)
times("remediation", r, {k: sum(v[k] for v in tim.values()) for k in tim["defer"]})
w = rep["within_due"]
def share(what, got, jw):
    eq(what + ".judged", got["judged"], jw[0])
    eq(what + ".within", got["within"], jw[1])
    eq(what + ".share", got["share"], jw[1] / jw[0] if jw[0] else None, 1e-3)
share("within_due.all", w["all"], judged_all)
for key, got, exp in (("group", w["groups"], groups), ("ring", w["rings"], rings)):
    eq(f"within_due {key}s", [g[key] for g in got], sorted(exp, key=lambda k: (k != "(none)", k)))
    for g in got:
        share(f"within_due.{g[key]}", g, exp.get(g[key], [0, 0]))
overdue.sort()
eq("overdue.total", rep["overdue"]["total"], len(overdue))
eq("overdue.items", [(i["due"], i["host"], i["advisory"], i["package"], i["version"],
                      i["days_overdue"]) for i in rep["overdue"]["items"]],
   [(d, h, a, p, v, n) for d, _, h, a, p, v, n in overdue[:50]])
# What the story must have produced, so that the checks above mean something.
story = {"fixed findings": tim["scheduled"]["fixed"] + tim["immediate"]["fixed"] +
         tim["out-of-cycle"]["fixed"], "overdue": len(overdue),
         "fixed within due": judged_all[1], "age buckets": sum(1 for a in AGES if o["by_age"][a])}
if group is None:
    story.update({"regressed": regressed, "withdrawn": withdrawn, "priorities": sum(
        1 for v in opn.values() if v["open"]), "fixed late": sum(1 for r_ in rows if r_[3] and
        r_[4] in (None, "fixed") and r_[1] and r_[3][:10] > r_[1])})
for k, v in story.items():
    if not v or (k in ("age buckets", "priorities") and v < 2):
        bad.append(f"the story lacks {k}: {v}")
print("\n".join(bad) if bad else f"{len(rows)} findings agree: {story}")
sys.exit(1 if bad else 0)
PY
/usr/bin/python3 "$TMP/recompute.py" "$HFX_DB" "$TMP/all.json" "$HFX_NOW" "" >"$TMP/out" &&
	ok "every number of the report agrees with the database: $(cat "$TMP/out")" ||
	{ fail "the report and the database differ:"; head -20 "$TMP/out"; }
/usr/bin/python3 "$TMP/recompute.py" "$HFX_DB" "$TMP/web.json" "$HFX_NOW" web >"$TMP/out" &&
	ok "--group web agrees with the database: $(cat "$TMP/out")" ||
	{ fail "--group web and the database differ:"; head -20 "$TMP/out"; }
check "--group web counts web1 and web2" "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["hosts"], r["group"], [g["group"] for g in r["within_due"]["groups"]])' "$TMP/web.json")" \
	"2 web ['web']"

# Text and CSV say the same as JSON.
hfx report >"$TMP/report.txt" || fail "report (text)"
for s in "Open findings by priority and age" "Overdue findings:" "Remediation (fixed findings)" \
	"Fixed within the due date:"; do
	grep -qF "$s" "$TMP/report.txt" || fail "the text report lacks '$s'"
done
total=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["open"]["total"])' "$TMP/all.json")
grep -Eq "^  total +$total " "$TMP/report.txt" && ok "the text report's open total" ||
	fail "the text report's total is not $total"
hfx report --format csv >"$TMP/report.csv" || fail "report --format csv"
check "the CSV header" "$(head -1 "$TMP/report.csv")" \
	"metric,priority,age,group,ring,host,advisory,package,version,due,value"
python3 - "$TMP/report.csv" "$TMP/all.json" <<'PY' && ok "the CSV agrees with the JSON" || fail "CSV and JSON differ"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
rep = json.load(open(sys.argv[2]))
def val(metric, **dims):
    m = [r for r in rows if r["metric"] == metric and all(r[c] == dims.get(c, "") for c in
         ("priority", "age", "group", "ring", "host", "advisory", "package", "version", "due"))]
    assert len(m) == 1, (metric, dims, len(m))
    return m[0]["value"]
assert int(val("open")) == rep["open"]["total"]
assert int(val("open", priority="scheduled", age="31-90")) == \
    rep["open"]["by_priority"]["scheduled"]["by_age"]["31-90"]
assert int(val("fixed")) == rep["remediation"]["fixed"]
assert abs(float(val("mttr_days")) - rep["remediation"]["mttr_days"]) < 1e-3
assert abs(float(val("exposure_days", priority="immediate")) -
           rep["remediation"]["by_priority"]["immediate"]["exposure_days"]) < 1e-3
for g in rep["within_due"]["groups"]:
    assert int(val("due_judged", group=g["group"])) == g["judged"]
for r in rep["within_due"]["rings"]:
    assert int(val("due_within", ring=r["ring"])) == r["within"]
items = [r for r in rows if r["metric"] == "days_overdue"]
assert [(r["host"], r["advisory"], int(r["value"])) for r in items] == \
    [(i["host"], i["advisory"], i["days_overdue"]) for i in rep["overdue"]["items"]]
PY

# HTML: written with --output, parsed, and rendered by Chromium.
hfx report --format html --output "$TMP/report.html" >"$TMP/out" || fail "report --format html"
grep -q "html report written to $TMP/report.html" "$TMP/out" && ok "--output says where" ||
	fail "--output: $(cat "$TMP/out")"
[ ! -e "$TMP/report.html.tmp" ] && ok "no temporary file left" || fail "report.html.tmp left"
python3 - "$TMP/report.html" <<'PY' && ok "the HTML page is well-formed and self-contained" || fail "HTML"
import sys, xml.dom.minidom
text = open(sys.argv[1]).read()
assert text.startswith("<!DOCTYPE html>\n")
# Well-formed as XML (after the doctype): every element closed, every & escaped.
doc = xml.dom.minidom.parseString(text.split("\n", 1)[1])
assert "<script" not in text and "src=" not in text and "href=" not in text
svgs = doc.getElementsByTagName("svg")
assert len(svgs) >= 5, len(svgs)
for svg in svgs:
    w = float(svg.getAttribute("width"))
    for rect in svg.getElementsByTagName("rect"):
        x, rw = float(rect.getAttribute("x")), float(rect.getAttribute("width"))
        assert 0 <= x and 0 <= rw and x + rw <= w, (x, rw, w)
PY

# Chromium renders the page: its title, headings and charts are in the
# DOM it built, and its screenshot is a picture, not a blank page.
if ! command -v chromium >/dev/null; then
	fail "chromium is not installed (make deps)"
else
	chrome() {
		HOME=$TMP/home timeout 60 chromium --headless --no-sandbox --disable-gpu \
			--no-first-run --disable-extensions --user-data-dir="$TMP/chromium" "$@" \
			2>>"$TMP/chromium.log"
	}
	mkdir -p "$TMP/home"
	chrome --dump-dom "file://$TMP/report.html" >"$TMP/dom.html" || fail "chromium --dump-dom"
	python3 - "$TMP/dom.html" <<'PY' && ok "Chromium's DOM has the title, headings and charts" ||
from html.parser import HTMLParser
import sys
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.title, self.h, self.svgs, self.rects = [], "", [], {}, {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append(tag)
        if tag == "svg":
            self.svg = a.get("id")
            self.svgs[self.svg] = 0
        if tag == "rect" and "svg" in self.stack:
            self.svgs[self.svg] += 1
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
    def handle_data(self, d):
        if self.stack and self.stack[-1] == "title" and "svg" not in self.stack:
            self.title += d
        if self.stack and self.stack[-1] in ("h1", "h2", "h3"):
            self.h.append(d)
p = P()
p.feed(open(sys.argv[1]).read())
assert p.title.startswith("hfx remediation report: all hosts, 2027-01-09"), p.title
for h in ("Remediation report", "Open findings", "Overdue findings", "Fixed within the due date"):
    assert h in p.h, (h, p.h)
for svg in ("chart-open", "chart-ages", "chart-exposure", "chart-groups", "chart-rings"):
    assert p.svgs.get(svg, 0) >= 2, (svg, p.svgs)
PY
		{ fail "Chromium's DOM lacks parts of the page"; }
	chrome --screenshot="$TMP/shot.png" --window-size=900,1200 --hide-scrollbars \
		"file://$TMP/report.html" >/dev/null || fail "chromium --screenshot"
	python3 - "$TMP/shot.png" <<'PY' && ok "the screenshot shows a page with charts" ||
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20000, len(data)
# Decode the PNG (8-bit RGB or RGBA, as Chromium writes it) and count colours.
pos, idat, ihdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
w, h, depth, ctype = ihdr[:4]
assert depth == 8 and ctype in (2, 6), ihdr
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat)
stride, prev, colours, out = w * bpp, bytearray(w * bpp), set(), 0
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        for x in range(0, w, 4):
            colours.add(bytes(line[x * bpp:x * bpp + 3]))
    prev = line
# The chart colours: the priorities' and the age buckets'.
wanted = {bytes.fromhex(c) for c in ("4a90c8", "9ccc65", "c62828")}
assert len(colours) > 20 and wanted <= colours, (len(colours), wanted - colours)
PY
		{ fail "the screenshot is blank or lacks the charts' colours"; }
fi
finish
