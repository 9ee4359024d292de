#!/usr/bin/python3
"""Generates the version pairs for tests/core/rpm_differential.sh.

Writes --out (default: stdout) as lines "a<TAB>b" (bytes, '\\n'-terminated),
at least --count of them, from a fixed seed so that a failure reproduces.
The real rpm answers for them; hfx's rpm_vercmp() must answer the same.

The mix aims at what rpm's parser and comparator branch on:
  - epochs: none, 0, small, with leading zeros, huge, empty (":1")
  - digit runs with leading zeros and beyond 64 bits; letter runs of
    both cases; the separators . _ + - and ':' in the version; '~' and '^'
  - releases with dist tags (.el9, .el9_3, .fc39, module+el9.4.0+...),
    missing and empty releases ("1.0", "1.0-")
  - near-equal pairs: one side a small mutation of the other, where a
    wrong tie-break shows
  - short strings over a tiny alphabet: many equal and almost-equal pairs
  - a few bytes rpm treats as separators (>= 0x80, space, '\\r') and NUL
    bytes after the first, where rpm, reading C strings, stops

With --shared DIR, the pairs of the RPM vector files under DIR/vectors
come first, so every run also checks those files against the real rpm.

Never generated: the empty string (rpm.vercmp() raises an error on it, so
a NUL is never the first byte either), tabs and newlines (the format).
"""

import argparse
import os
import random
import sys

DIGITS = "0123456789"
LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEPS = "._+"
DIST_TAGS = [
    ".el9", ".el9_3", ".el9_4", ".el8", ".el8_7", ".el8_10", ".el7", ".el7_9",
    ".fc38", ".fc39", ".fc40", ".amzn2", ".amzn2023", ".EL", ".ael7b",
    ".el9.alma", ".el9.rocky", ".el9.0.1", ".module+el9.4.0+21078+2a2b3c4d",
    ".module_el8.9.0+3627+db8ec155", ".1.el9", "~pre1.el9", "^20240101git1.el9",
]
# Bytes a mutation may insert: the meaningful ones, and some junk.
MUTATE = [*"0123456789azAZ", ".", "_", "+", "-", ":", "~", "^", "~", "^",
          "\x80", "\xce\xb1", " ", "\x00"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def digits(self):
        r = self.r
        k = r.random()
        if k < 0.03:
            n = r.randint(19, 40)  # beyond any machine integer
        else:
            n = r.choice([1, 1, 1, 1, 2, 2, 3, 4, 8])
        s = "".join(r.choice(DIGITS) for _ in range(n))
        if r.random() < 0.12:
            s = "0" * r.randint(1, 3) + s
        return s

    def letters(self):
        r = self.r
        pool = LOWER if r.random() < 0.8 else UPPER + LOWER
        return "".join(r.choice(pool) for _ in range(r.randint(1, 4)))

    def segments(self, n, seps):
        r = self.r
        out = []
        for i in range(n):
            if i:
                k = r.random()
                if k < 0.75:
                    out.append(r.choice(seps))
                elif k < 0.85:
                    out.append(r.choice("~^"))
                elif k < 0.9:
                    out.append(r.choice(seps) * 2)
                # else: no separator, a digit run meets a letter run
            out.append(self.digits() if r.random() < 0.6 else self.letters())
        if r.random() < 0.08:
            out.append(r.choice(["~", "^", "~rc1", "^git1", "~~", ".", "_"]))
        return "".join(out)

    def epoch(self):
        r = self.r
        k = r.random()
        if k < 0.6:
            return None
        if k < 0.9:
            return str(r.randint(0, 3))
        return r.choice(["", "00", "01", "10", "007", "4294967296",
                         "99999999999999999999999", "0" * 25 + "1"])

    def evr(self):
        r = self.r
        e = self.epoch()
        v = self.segments(r.randint(1, 5), SEPS + (".." if r.random() < 0.9 else ":"))
        rel = None
        k = r.random()
        if k < 0.6:
            rel = self.segments(r.randint(1, 3), SEPS) + r.choice(DIST_TAGS + [""] * 8)
        elif k < 0.65:
            rel = ""
        elif k < 0.7:
            v += "-" + self.segments(1, SEPS)  # a '-' inside the version
            rel = self.digits()
        s = v if e is None else e + ":" + v
        return s if rel is None else s + "-" + rel

    def realistic(self):
        """Shapes from RHEL, Fedora and SUSE: 1:3.0.7-27.el9_3."""
        r = self.r
        v = ".".join(str(r.randint(0, 30)) for _ in range(r.randint(1, 4)))
        v += r.choice(["", "", "", "", "a", "k", "p1", "~rc1", "~beta2", "^20240101git3e4f",
                       ".post1", "_1", "+git20230101"])
        rel = str(r.randint(0, 400))
        rel += "".join("." + str(r.randint(0, 40)) for _ in range(r.choice([0, 0, 1, 2])))
        rel += r.choice(DIST_TAGS)
        s = v + "-" + rel if r.random() < 0.9 else v
        if r.random() < 0.2:
            s = str(r.randint(0, 3)) + ":" + s
        return s

    def small(self):
        """Short strings over a tiny alphabet: many equal and near pairs."""
        r = self.r
        return "".join(r.choice("01a.~^-:_") for _ in range(r.randint(1, 6)))

    def mutate(self, v):
        r = self.r
        for _ in range(r.choice([1, 1, 1, 2, 3])):
            i = r.randrange(len(v) + 1)
            op = r.randrange(9)
            if op == 0 and i < len(v):
                v = v[:i] + r.choice(MUTATE) + v[i + 1:]
            elif op == 1:
                v = v[:i] + r.choice(MUTATE) + v[i:]
            elif op == 2 and i < len(v):
                v = v[:i] + v[i + 1:]
            elif op == 3:
                v += r.choice(["~", "^", "-1", "-", ".0", "0", "a", "~rc1", "^1", ".el9"])
            elif op == 4:
                v = "0:" + v if ":" not in v else v.split(":", 1)[1]
            elif op == 5:
                ks = [k for k, c in enumerate(v) if c in DIGITS]
                if ks:
                    k = r.choice(ks)
                    v = v[:k] + r.choice(["0", "00", str((int(v[k]) + 1) % 10)]) + v[k:]
            elif op == 6:
                ks = [k for k, c in enumerate(v) if c in "._+"]
                if ks:
                    k = r.choice(ks)
                    v = v[:k] + r.choice("._+-~^") + v[k + 1:]
            elif op == 7 and "-" in v:
                v = v.rsplit("-", 1)[0]  # drop the release
            else:
                v = v.upper() if r.random() < 0.5 else v.swapcase()
        return v


def vector_pairs(shared):
    """The pairs of the RPM vector files, as far as they are present."""
    pairs = []
    base = os.path.join(shared, "vectors")
    for name in ("rpm_vercmp.tsv", "rpm_evr_edge_cases.tsv",
                 "osv_redhat_version_compare.tsv"):
        path = os.path.join(base, name)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                next(f)  # header
                pairs += [tuple(l.rstrip("\n").split("\t")[:2]) for l in f if l.strip()]
    path = os.path.join(base, "ordered-versions", "redhat-versions.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for l in f:
                w = l.split()
                if len(w) == 3 and not l.startswith("#"):
                    pairs.append((w[0], w[2]))
    return [(a, b) for a, b in pairs if ok(a) and ok(b)]


def ok(v):
    return v and v[0] != "\x00" and "\t" not in v and "\n" not in v


def generate(g, count):
    r = g.r
    pairs = []
    while len(pairs) < count:
        k = r.random()
        if k < 0.12:
            a, b = g.evr(), g.evr()
        elif k < 0.27:
            a, b = g.realistic(), g.realistic()
        elif k < 0.67:
            a = r.choice([g.evr, g.realistic, g.realistic, g.small])()
            b = g.mutate(a)
        elif k < 0.82:
            a, b = g.small(), g.small()
        elif k < 0.86:
            a = r.choice([g.evr, g.realistic])()
            b = a
        else:
            # equal parts, different separators or zeros, maybe
            a = g.evr()
            b = g.mutate(a) if r.random() < 0.5 else a
            b = b.replace(".", r.choice("._+")).replace("0", r.choice(["0", "00"]))
        if r.random() < 0.5:
            a, b = b, a
        if ok(a) and ok(b):
            pairs.append((a, b))
    return pairs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=150000)
    ap.add_argument("--seed", type=int, default=20240917)
    ap.add_argument("--shared")
    ap.add_argument("--out")
    args = ap.parse_args()
    vec = vector_pairs(args.shared) if args.shared else []
    pairs = generate(Gen(args.seed), args.count)
    # Generated strings are bytes spelled as Latin-1 code points ("\xce\xb1"
    # is UTF-8 alpha, "\x80" a lone continuation byte); the vector files are
    # real UTF-8 text.
    data = b"".join((a + "\t" + b + "\n").encode("utf-8") for a, b in vec)
    data += b"".join((a + "\t" + b + "\n").encode("latin-1") for a, b in pairs)
    if args.out:
        with open(args.out, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
