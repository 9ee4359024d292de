#!/usr/bin/python3
"""Generates the reference data for tests/core/vercmp_differential.sh.

Run with Debian's /usr/bin/python3, the one that has apt_pkg
(python3-apt). Writes into --out:

  pairs.tsv     a<TAB>b<TAB>expected   >= --count pairs of versions dpkg
                accepts without complaint, expected from
                apt_pkg.version_compare (-1, 0, 1)
  validity.tsv  v<TAB>1|0              valid and mutated-invalid strings,
                judged by dpkg's parseversion() rules re-implemented below
  dpkg.tsv      a<TAB>b<TAB>expected   a few hundred pairs judged by the
                real `dpkg --compare-versions`, including strings dpkg
                accepts only with a warning

It also checks apt_pkg against dpkg on the sampled valid pairs, and the
validity rules below against dpkg's own warnings, so that a wrong
reference cannot make hfx look right. Exits 1 when they disagree.

Everything is derived from a fixed seed, so a failure reproduces.
"""

import argparse
import os
import random
import subprocess
import sys

import apt_pkg

DIGITS = "0123456789"
LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = set(DIGITS + LOWER + UPPER)
UPSTREAM_CHARS = ALNUM | set(".+~-:")
REVISION_CHARS = ALNUM | set(".+~")
# Mutations draw from this; '^' and '_' are not Debian version characters
# (RPM and Alpine use them), so they feed the validity checks.
MUTATE_CHARS = DIGITS + "abzAZ" + ".+~-:" + "^_"
INT_MAX = 2**31 - 1


def deb_valid(v):
    """dpkg's parseversion() without its leniencies: no blanks to trim,
    no sign or white space before the epoch, no warnings."""
    if not v or any(ord(c) <= 0x20 or ord(c) >= 0x7F for c in v):
        return False
    rest = v
    if ":" in v:
        epoch, rest = v.split(":", 1)
        if not epoch or any(c not in DIGITS for c in epoch):
            return False
        if int(epoch) > INT_MAX or not rest:
            return False
    upstream, revision = rest, None
    if "-" in rest:
        upstream, revision = rest.rsplit("-", 1)
        if not revision:
            return False
    if not upstream or upstream[0] not in DIGITS:
        return False
    if any(c not in UPSTREAM_CHARS for c in upstream):
        return False
    return revision is None or all(c in REVISION_CHARS for c in revision)


def stricter_than_dpkg(v):
    """Strings dpkg accepts silently that deb_valid() refuses on purpose:
    blanks dpkg trims, what strtol() skips before the epoch, and the empty
    string, which the dpkg command line reads as "no version"."""
    if not v or v != v.strip(" \t"):
        return True
    return ":" in v and v.split(":", 1)[0][:1] in ("+", "-", "\n", "\v", "\f", "\r")


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def digits(self):
        r = self.r
        n = r.choice([1, 1, 1, 1, 2, 2, 3, 4, 8]) if r.random() > 0.02 else r.randint(15, 40)
        s = "".join(r.choice(DIGITS) for _ in range(n))
        if r.random() < 0.12:
            s = "0" * r.randint(1, 3) + s
        return s

    def letters(self):
        r = self.r
        pool = LOWER if r.random() < 0.85 else UPPER + LOWER
        return "".join(r.choice(pool) for _ in range(r.randint(1, 5)))

    def tokens(self, seps, n):
        r = self.r
        out = []
        for _ in range(n):
            out.append(r.choice(seps))
            kind = r.random()
            if kind < 0.55:
                out.append(self.digits())
            elif kind < 0.9:
                out.append(self.letters())
        return "".join(out)

    def epoch(self):
        r = self.r
        if r.random() < 0.55:
            return None
        e = str(r.randint(0, 3))
        return "0" + e if r.random() < 0.1 else e

    def version(self):
        r = self.r
        epoch = self.epoch()
        revision = None
        if r.random() < 0.6:
            revision = self.digits() + self.tokens(".+~", r.randint(0, 3))
        seps = ".+~" + ("-" if revision is not None else "") + (":" if epoch else "")
        upstream = self.digits() + self.tokens(seps + ".", self.r.randint(0, 5))
        v = upstream
        if epoch is not None:
            v = epoch + ":" + v
        if revision is not None:
            v += "-" + revision
        return v

    def realistic(self):
        """Debian archive shapes: 3.0.11-1~deb12u2, 2:1.0~rc1+dfsg-3+b1."""
        r = self.r
        up = ".".join(str(r.randint(0, 20)) for _ in range(r.randint(1, 4)))
        up += r.choice(["", "", "", "~rc1", "~rc2", "+dfsg", "+ds", "~git20230101.abc1",
                        "+really1.0", "a", "b", "~beta3", ".1"])
        rev = str(r.randint(0, 12)) + r.choice([
            "", "", "", ".1", "~deb12u1", "~deb12u2", "+deb12u1", "+deb12u10",
            "+b1", "ubuntu0.22.04.1", "ubuntu1", "~bpo12+1", "build1", "+nmu1"])
        v = up if r.random() < 0.15 else up + "-" + rev
        return (str(r.randint(1, 3)) + ":" + v) if r.random() < 0.15 else v

    def small(self):
        """Short strings over a tiny alphabet: many equal and near pairs."""
        r = self.r
        s = r.choice("0123") + "".join(r.choice("01.~+a-:") for _ in range(r.randint(0, 5)))
        return s

    def mutate(self, v):
        r = self.r
        i = r.randrange(len(v) + 1)
        op = r.randrange(7)
        if op == 0 and i < len(v):
            return v[:i] + r.choice(MUTATE_CHARS) + v[i + 1:]
        if op == 1:
            return v[:i] + r.choice(MUTATE_CHARS) + v[i:]
        if op == 2 and i < len(v):
            return v[:i] + v[i + 1:]
        if op == 3:
            return v + r.choice(["~", "+", "-0", "-1", ".0", "0", "a", "~~"])
        if op == 4:
            return "0:" + v if ":" not in v else v.split(":", 1)[1]
        if op == 5:
            j = [k for k, c in enumerate(v) if c in DIGITS]
            if j:
                k = r.choice(j)
                return v[:k] + r.choice(["0", "00", str((int(v[k]) + 1) % 10)]) + v[k:]
        return v[:i] + r.choice("~+.") + v[i:]


def vector_pairs(shared):
    """Pairs from the shared vector files, when they are present."""
    pairs = []
    base = os.path.join(shared, "vectors")
    for name in ("dpkg_version_compare.tsv", "dpkg_version_edge_cases.tsv",
                 "osv_debian_version_compare.tsv"):
        path = os.path.join(base, name)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                next(f)
                pairs += [tuple(l.rstrip("\n").split("\t")[:2]) for l in f if l.strip()]
    for name in ("debian-versions.txt", "debian-versions-generated.txt"):
        path = os.path.join(base, "ordered-versions", name)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for l in f:
                    w = l.split()
                    if len(w) == 3 and not l.startswith("#"):
                        pairs.append((w[0], w[2]))
    return pairs


def generate_pairs(g, count, vectors):
    r = g.r
    pairs = list(vectors)
    flat = [v for p in vectors for v in p] or ["1.0"]
    while len(pairs) < count:
        k = r.random()
        if k < 0.15:
            a, b = g.version(), g.version()
        elif k < 0.35:
            a, b = g.realistic(), g.realistic()
        elif k < 0.65:
            a = r.choice([g.version, g.realistic, g.small])()
            b = g.mutate(a)
        elif k < 0.78:
            p = g.version()
            a, b = p + g.tokens(".+~", 2), p + g.tokens(".+~", 2)
        elif k < 0.9:
            a, b = g.small(), g.small()
        else:
            a, b = r.choice(flat), r.choice(flat)
            if r.random() < 0.5:
                b = g.mutate(b)
        pairs.append((a, b))
    return pairs


def sign(x):
    return (x > 0) - (x < 0)


def dpkg_cmp(a, b):
    """The answer of dpkg itself, or None when dpkg refuses a version."""
    lt = subprocess.run(["dpkg", "--compare-versions", a, "lt", b],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if lt.returncode == 0:
        return -1
    if lt.returncode != 1:
        return None
    eq = subprocess.run(["dpkg", "--compare-versions", a, "eq", b],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return 0 if eq.returncode == 0 else 1


def dpkg_clean(v):
    """True when dpkg parses v without an error or a warning."""
    p = subprocess.run(["dpkg", "--compare-versions", v, "eq", v],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return p.returncode == 0 and not p.stderr


# Strings dpkg compares, with a warning or after trimming. They cannot go
# through apt_pkg (which does not trim), only through dpkg itself.
LENIENT = ["a", "b", "a1.0", "Z9", "1.0_1", "1.0^1", "1.0$", "1.0\u00e9", "1.0 ",
           " 1.0", "+1:1.0", "\v1:1.0", "1:1.0_1-1", "1.0-1_1", "", "~", "1.0!",
           "1.0-1^1", "1.0#", "1.0=2", "1.0@"]


def dpkg_sample(g, pairs, npairs):
    """Cross-checks apt_pkg with dpkg on sampled valid pairs, and adds
    pairs of lenient strings judged by dpkg alone."""
    r = g.r
    rows, disagree = [], 0
    # Equal pairs are where two implementations most often part ways.
    equal = [p for p in pairs if p[2] == 0]
    picked = r.sample(equal, min(len(equal), npairs // 2))
    for a, b, want in picked + r.sample(pairs, npairs - len(picked)):
        if a.startswith("-") or b.startswith("-"):
            continue
        got = dpkg_cmp(a, b)
        if got != want:
            disagree += 1
            print(f"apt_pkg/dpkg disagree: {a!r} {b!r}: apt_pkg {want}, dpkg {got}")
        rows.append((a, b, got))
    others = LENIENT + ["1.0", "1.0-1", "1:1.0", "0", "1.0+", "1.0a", "1.0~"]
    for a in LENIENT:
        for b in r.sample(others, 6):
            got = dpkg_cmp(a, b)
            if got is None:
                print(f"dpkg refused {a!r} {b!r}, which it should only warn about")
                disagree += 1
            else:
                rows.append((a, b, got))
    return rows, disagree


def validity_sample(g, versions, n):
    """Checks deb_valid() against dpkg's own verdict on n strings."""
    r = g.r
    bad = 0
    for v in r.sample(versions, n):
        if v.startswith("-"):
            continue
        clean = dpkg_clean(v)
        if clean != deb_valid(v) and not (clean and stricter_than_dpkg(v)):
            bad += 1
            print(f"validity rules disagree with dpkg on {v!r}: dpkg {clean}")
    return bad


def write_tsv(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            assert not any(c in str(x) for x in row for c in "\t\n\r"), row
            f.write("\t".join(str(x) for x in row) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--count", type=int, default=150000)
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--dpkg-pairs", type=int, default=300)
    ap.add_argument("--dpkg-valid", type=int, default=200)
    args = ap.parse_args()

    apt_pkg.init_system()
    g = Gen(args.seed)
    candidates = generate_pairs(g, int(args.count * 1.6), vector_pairs(args.shared))
    seen, strings = set(), []
    pairs = []
    for a, b in candidates:
        for v in (a, b):
            if v not in seen:
                seen.add(v)
                strings.append(v)
        if deb_valid(a) and deb_valid(b) and len(pairs) < args.count:
            pairs.append((a, b, sign(apt_pkg.version_compare(a, b))))
    if len(pairs) < args.count:
        sys.exit(f"only {len(pairs)} valid pairs generated, wanted {args.count}")
    strings = [v for v in strings + LENIENT if not any(c in v for c in "\t\n\r")]

    write_tsv(os.path.join(args.out, "pairs.tsv"), pairs)
    write_tsv(os.path.join(args.out, "validity.tsv"),
              [(v, int(deb_valid(v))) for v in strings])
    dpkg_rows, disagree = dpkg_sample(g, pairs, args.dpkg_pairs)
    write_tsv(os.path.join(args.out, "dpkg.tsv"), dpkg_rows)
    invalid = [v for v in strings if not deb_valid(v)]
    valid = [v for v in strings if deb_valid(v)]
    disagree += validity_sample(g, invalid, args.dpkg_valid // 2)
    disagree += validity_sample(g, valid + LENIENT, args.dpkg_valid // 2)
    eq = sum(1 for p in pairs if p[2] == 0)
    print(f"generated {len(pairs)} valid pairs ({eq} equal), {len(strings)} strings "
          f"({len(invalid)} invalid); dpkg checked {len(dpkg_rows)} pairs and "
          f"{args.dpkg_valid} validity verdicts, {disagree} disagreements")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
