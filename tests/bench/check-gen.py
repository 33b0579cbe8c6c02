#!/usr/bin/env python3
"""check-gen.py - the corpus generator keeps its promises.

usage: check-gen.py --gen GEN_PY --pmtool PMTOOL [--count N]

1. A clean corpus of N documents (default 200) has no finding at all:
   `pmtool lint --today 2026-11-23` exits 0 and reports 0 errors and 0
   warnings.
2. The same seed gives byte-identical files, whatever --jobs is; another
   seed gives other files.
3. --defects 0.1 makes round(0.1 N) documents defective: lint exits 1, and
   the documents with findings are exactly the ones that differ from the
   clean corpus.

Everything is written to a fresh temporary folder.  Exit status: 0 pass,
1 fail, 99 the test itself is broken.
"""

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile

TODAY = "2026-11-23"


def files_of(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for n in sorted(filenames):
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = f.read()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen", required=True)
    ap.add_argument("--pmtool", required=True)
    ap.add_argument("--count", type=int, default=200)
    a = ap.parse_args()
    a.pmtool = os.path.abspath(a.pmtool)
    failed = []

    def bad(msg):
        print("FAIL: " + msg)
        failed.append(msg)

    def gen(out, *extra):
        p = subprocess.run([sys.executable, a.gen, "--out", out, "--count", str(a.count)]
                           + list(extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode:
            print("gen.py %s exited %d: %s" % (" ".join(extra), p.returncode,
                                               p.stderr.decode()), file=sys.stderr)
            sys.exit(99)
        return p.stdout.decode()

    def lint(root):
        # Run outside the checkout, so no .pmtool.yaml applies.
        p = subprocess.run([a.pmtool, "lint", "--today", TODAY, "--format", "json", root],
                           cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            return p.returncode, json.loads(p.stdout), p.stderr.decode()
        except ValueError:
            return p.returncode, None, p.stderr.decode()

    with tempfile.TemporaryDirectory(prefix="pmtool-gen.") as tmp:
        clean = os.path.join(tmp, "clean")
        gen(clean, "--seed", "7", "--jobs", "2")
        rc, j, err = lint(clean)
        if j is None:
            bad("pmtool lint --format json printed no JSON (exit %d): %s" % (rc, err))
        else:
            if rc != 0:
                bad("pmtool lint of the clean corpus exited %d" % rc)
            if j.get("files") != a.count:
                bad("pmtool lint read %r files, not %d" % (j.get("files"), a.count))
            for d in j.get("diagnostics", [])[:20]:
                bad("finding in the clean corpus: %s:%s: %s %s" % (
                    d.get("file"), d.get("line"), d.get("code"), d.get("message")))
            if j.get("diagnostics"):
                bad("%d findings in the clean corpus" % len(j["diagnostics"]))

        # The same seed, one process or several: the same bytes.
        again = os.path.join(tmp, "again")
        gen(again, "--seed", "7", "--jobs", "1")
        one, two = files_of(clean), files_of(again)
        if one != two:
            diff = sorted(k for k in set(one) | set(two) if one.get(k) != two.get(k))
            bad("seed 7 twice gave different files: %s" % ", ".join(diff[:10]))
        other = os.path.join(tmp, "other")
        gen(other, "--seed", "8")
        three = files_of(other)
        if sum(1 for k in one if one[k] == three.get(k) and k.endswith(".md")) > a.count // 10:
            bad("seeds 7 and 8 gave mostly the same documents")

        # Defects: lint fails, in exactly the documents that changed.
        broken = os.path.join(tmp, "broken")
        said = gen(broken, "--seed", "7", "--defects", "0.1")
        want = int(round(0.1 * a.count))
        if "injected %d defective documents" % want not in said:
            bad("gen.py --defects 0.1 did not say it injected %d: %r" % (want, said))
        four = files_of(broken)
        changed = sorted(k for k in four if k.endswith(".md") and four[k] != one.get(k))
        if len(changed) != want:
            bad("--defects 0.1 changed %d documents, not %d" % (len(changed), want))
        rc, j, err = lint(broken)
        if rc != 1 or j is None:
            bad("pmtool lint of the defective corpus exited %d, not 1: %s" % (rc, err))
        else:
            found = sorted({os.path.relpath(d["file"], broken) for d in j["diagnostics"]})
            if found != changed:
                bad("documents with findings differ from the defective ones: "
                    "no finding in %s; findings in clean %s" % (
                        sorted(set(changed) - set(found))[:10],
                        sorted(set(found) - set(changed))[:10]))
            print("defective corpus: %d findings in %d documents" % (
                len(j["diagnostics"]), len(found)))
        if not filecmp.cmp(os.path.join(clean, "users.yaml"),
                           os.path.join(broken, "users.yaml"), shallow=False):
            bad("--defects changed users.yaml")
    if failed:
        return 1
    print("ok: %d documents, clean, reproducible, defects found" % a.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
