#!/usr/bin/env python3
"""run.py - time pmtool against the parser floor, side by side.

usage: run.py [--sizes N ...] [--work DIR] [--pmtool PATH] [--floor PATH]
              [--spawn PATH] [--seed S] [--runs K] [--jobs N] [--json FILE]
              [--markdownlint CMD [--markdownlint-max N]] [--report-graphs]

For each size (default 1000 10000 100000) the corpus of tests/bench/gen.py
is generated under WORK (default /tmp/pmtool-bench), or reused when the
generator, the seed and the size are those of the cached one.  Then, with
WORK as the working folder (so no .pmtool.yaml of a checkout applies):

    read floor        floor read CORPUS
    parser floor      floor parse CORPUS
    sqlite floor      floor sqlite CORPUS WORK/floor-N.db
    lint              pmtool lint --today 2026-11-23 CORPUS  (must exit 0,
                      and report 0 errors, 0 warnings)
    index --rebuild   pmtool index --rebuild --db WORK/index-N.db CORPUS, over
                      the index the previous run left
    index, no change  pmtool index --db ... CORPUS
    index, 1% touched the same after a line is appended to (or, on the next
                      run, removed from) the body of 1% of the documents;
                      once as the first write after the rebuild ("first",
                      one run), then best of K
    query actions     pmtool query actions --open --no-refresh ...
    graph ID          pmtool graph INC-x --format json --no-refresh ...
                      (the incident in the middle of the corpus)
    graph             pmtool graph --format json --no-refresh ...
    report site       pmtool report site --out WORK/site-N --no-graphs
                      --no-refresh ...  (--report-graphs: with Graphviz
                      pictures, one dot process per document)
    markdownlint      (only with --markdownlint CMD, and for N up to
                      --markdownlint-max, default 10000) CMD "corpus-N/**/*.md"
                      in WORK; its findings (exit status 1) are expected

Each step is timed K times (--runs; default 3 below 100,000 documents, 1
from there) and the best wall time is kept, with the CPU time and peak RSS
of that command alone (wait4, in spawn.c: see there why not in Python).
Output: a Markdown table per size with wall and CPU seconds, documents/s,
MB/s, the ratio to the parser floor (by wall time, and by CPU time, which
other load on the machine disturbs less), for index --rebuild the ratio to
the sqlite floor, peak RSS, and the targets of issue 7 with whether they
hold.  --jobs N passes --jobs N to lint and index.  A command that fails
ends the run with status 1.

Python 3 standard library only.
"""

import argparse
import hashlib
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
TODAY = "2026-11-23"
TOUCH_LINE = b"\nEdited for the benchmark: this paragraph is appended and removed again.\n"


def fail(msg):
    print("run.py: " + msg, file=sys.stderr)
    sys.exit(1)


class Result:
    def __init__(self, wall, cpu, rss_kb, out, killed=False, failed=None):
        self.wall = wall
        self.cpu = cpu
        self.rss_kb = rss_kb
        self.out = out
        self.killed = killed
        self.failed = failed    # why the command failed, for the table


class StepFailed(Exception):
    pass


SPAWN = None     # tests/bench/spawn, set by main()
failures = []    # steps that failed, over every size
TIMEOUT = None   # --timeout: seconds a step may take


def run_once(argv, cwd, ok=(0,), capture=True, setup=None):
    """Run argv; its wall time, CPU time and its own peak RSS.

    The command runs under spawn (spawn.c), which forks it, waits with
    wait4 and writes the numbers to a file: a process forked from Python
    would start with the interpreter's resident size as its peak RSS,
    which Linux keeps across exec.  Past --timeout seconds the command's
    process group (spawn and what it started) is killed and the result
    says so."""
    if setup:
        setup()
    with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se, \
            tempfile.NamedTemporaryFile(prefix="spawn.", mode="r") as rep:
        p = subprocess.Popen([SPAWN, rep.name] + argv, cwd=cwd,
                             stdout=so if capture else subprocess.DEVNULL, stderr=se,
                             start_new_session=True)
        try:
            code = p.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            print(" killed after %g s" % TIMEOUT, end="", flush=True)
            return Result(float(TIMEOUT), float("nan"), 0, b"", killed=True)
        so.seek(0)
        se.seek(0)
        out, err = so.read(), se.read()
        line = rep.read()
    if code not in ok:
        raise StepFailed("%s exited %d\n%s%s" % (" ".join(argv), code,
                                                 out[-2000:].decode("utf-8", "replace"),
                                                 err[-2000:].decode("utf-8", "replace")))
    try:
        v = dict(kv.split("=", 1) for kv in line.split())
        return Result(float(v["wall_s"]), float(v["cpu_s"]), int(v["maxrss_kb"]), out)
    except (KeyError, ValueError):
        fail("spawn wrote no report for %s: %r" % (" ".join(argv), line))


def best_of(k, argv, cwd, **kw):
    best = None
    for _ in range(k):
        r = run_once(argv, cwd, **kw)
        if best is None or r.wall < best.wall:
            best = r
        if r.killed:
            break
    return best


def corpus_stamp(count, seed):
    with open(os.path.join(HERE, "gen.py"), "rb") as f:
        h = hashlib.sha256(f.read()).hexdigest()
    return "gen.py sha256=%s count=%d seed=%d\n" % (h, count, seed)


def ensure_corpus(work, count, seed):
    corpus = os.path.join(work, "corpus-%d" % count)
    stamp_path = corpus + ".stamp"
    stamp = corpus_stamp(count, seed)
    try:
        with open(stamp_path) as f:
            have = f.read()
    except OSError:
        have = None
    if have == stamp and os.path.isdir(corpus):
        print("corpus %s: cached" % corpus, flush=True)
        return corpus
    if os.path.exists(stamp_path):
        os.unlink(stamp_path)
    t0 = time.perf_counter()
    gen = [sys.executable, os.path.join(HERE, "gen.py"), "--out", corpus,
           "--count", str(count), "--seed", str(seed), "--force"]
    p = subprocess.run(gen, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode:
        fail("gen.py failed:\n" + p.stdout.decode("utf-8", "replace"))
    print(p.stdout.decode().strip() + " (%.1f s)" % (time.perf_counter() - t0), flush=True)
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return corpus


def corpus_files(corpus):
    out = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for n in sorted(filenames):
            if n.endswith(".md") and not n.startswith("."):
                out.append(os.path.join(dirpath, n))
    return out


class Toucher:
    """Appends a paragraph to the body of 1% of the files, or takes it away
    again: every call changes the same files' bytes, sizes and mtimes."""

    def __init__(self, files):
        step = 100
        self.files = files[::step] if len(files) >= step else files[:1]
        self.added = False

    def flip(self):
        for path in self.files:
            with open(path, "rb") as f:
                data = f.read()
            if self.added:
                if not data.endswith(TOUCH_LINE):
                    fail("%s lost the benchmark's line" % path)
                data = data[:-len(TOUCH_LINE)]
            else:
                data += TOUCH_LINE
            with open(path, "wb") as f:
                f.write(data)
        self.added = not self.added

    def restore(self):
        if self.added:
            self.flip()


def lint_summary(out):
    lines = out.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else ""


def mb(n):
    return n / 1e6


def fmt_rate(x):
    return "{:,.0f}".format(x)


def bench_size(a, count):
    work = a.work
    corpus = ensure_corpus(work, count, a.seed)
    files = corpus_files(corpus)
    ndocs = len(files)
    nbytes = sum(os.path.getsize(f) for f in files)
    k = a.runs if a.runs else (3 if count < 100000 else 1)
    db = os.path.join(work, "index-%d.db" % count)
    fdb = os.path.join(work, "floor-%d.db" % count)
    site = os.path.join(work, "site-%d" % count)
    pm = a.pmtool
    incs = [f for f in files if os.path.basename(f).startswith("inc-")]
    mid_inc = os.path.basename(incs[len(incs) // 2])[:-3].upper() if incs else None
    common = ["--db", db, "--root", corpus]
    jobs = []
    if a.jobs is not None:
        jobs = ["--jobs", str(a.jobs)]

    steps = []   # (name, Result)

    def step(name, argv, needed=False, **kw):
        """Time argv; a failure ends the run when later steps need its
        result, else it is reported in the table (and the run exits 1)."""
        print("  %-26s" % name, end="", flush=True)
        try:
            r = best_of(kw.pop("k", k), argv, work, **kw)
        except StepFailed as e:
            if needed:
                fail(str(e))
            print(" FAILED\n" + str(e).strip(), file=sys.stderr, flush=True)
            failures.append(name)
            msg = str(e).strip().splitlines()
            r = Result(float("nan"), float("nan"), 0, b"",
                       failed="exit %s: %s" % (msg[0].rsplit(" ", 1)[-1],
                                               msg[-1][:100] if len(msg) > 1 else ""))
            steps.append((name, r))
            return r
        if r.killed:
            print(flush=True)
        else:
            print(" %8.3f s  cpu %8.3f s  %7.1f MB" % (r.wall, r.cpu, r.rss_kb / 1024),
                  flush=True)
        steps.append((name, r))
        return r

    load0 = os.getloadavg()[0]
    print("size %d: %d documents, %.1f MB, %d run(s) each, load %.2f" % (
        count, ndocs, mb(nbytes), k, load0), flush=True)
    # One untimed read first, so every step finds the files in the page
    # cache (a corpus just generated, or one read by an earlier size, may
    # not be).
    try:
        run_once([a.floor, "read", corpus], work, capture=False)
    except StepFailed:
        pass    # the timed read below fails loudly
    step("read floor", [a.floor, "read", corpus], needed=True, capture=False)
    step("parser floor", [a.floor, "parse", corpus], needed=True, capture=False)
    step("sqlite floor", [a.floor, "sqlite", corpus, fdb], needed=True, capture=False)
    r = step("pmtool lint", [pm, "lint", "--today", TODAY] + jobs + [corpus], needed=True)
    summary = lint_summary(r.out)
    if not r.killed and not summary.endswith(" 0 errors, 0 warnings"):
        fail("pmtool lint of the clean corpus did not report 0 findings: %r" % summary)
    # Over the index the last run left, as a user runs it (pmtool writes a
    # new file and renames it over the old one, so this costs what a
    # fresh file does; the sqlite floor starts from a fresh file).
    step("pmtool index --rebuild", [pm, "index", "--rebuild", "--quiet", "--db", db] + jobs
         + [corpus], needed=True, capture=False)
    step("index, no change", [pm, "index", "--quiet", "--db", db] + jobs + [corpus],
         needed=True, capture=False)
    toucher = Toucher(files)
    try:
        # The first write after a rebuild, once: it is the one that pays
        # for whatever the rebuild left to merge, and best-of-k hides it.
        step("index, 1% touched, first", [pm, "index", "--quiet", "--db", db] + jobs
             + [corpus], needed=True, capture=False, setup=toucher.flip, k=1)
        step("index, 1% touched", [pm, "index", "--quiet", "--db", db] + jobs + [corpus],
             needed=True, capture=False, setup=toucher.flip)
    finally:
        toucher.restore()
    # Bring the index back to the corpus as cached, untimed.
    try:
        killed = run_once([pm, "index", "--quiet", "--db", db, corpus], work,
                          capture=False).killed
    except StepFailed as e:
        fail(str(e))
    if killed:
        fail("pmtool index did not bring the index up to date in %g s" % TIMEOUT)
    step("query actions --open", [pm, "query", "actions", "--open", "--no-refresh",
                                  "--today", TODAY] + common, capture=False)
    if mid_inc:
        step("graph %s" % mid_inc, [pm, "graph", mid_inc, "--format", "json",
                                    "--no-refresh"] + common, capture=False)
    step("graph (whole)", [pm, "graph", "--format", "json", "--no-refresh"] + common,
         capture=False)
    report = [pm, "report", "site", "--out", site, "--no-refresh", "--today", TODAY] + common
    if not a.report_graphs:
        report.append("--no-graphs")
    step("report site", report, capture=False)
    if a.markdownlint and count <= a.markdownlint_max:
        # Its globs are relative to the working folder, WORK.
        glob = os.path.relpath(corpus, work) + "/**/*.md"
        step("markdownlint-cli2", a.markdownlint.split() + [glob], capture=False,
             ok=(0, 1), k=1 if count >= 10000 else k)
    return {"count": count, "docs": ndocs, "bytes": nbytes, "runs": k,
            "load": (load0, os.getloadavg()[0]),
            "graph_id": mid_inc, "steps": steps}


def evaluate(res):
    """Rows of the table, with the targets of issue 7."""
    s = {name: r for name, r in res["steps"]}
    floor = s["parser floor"].wall
    sfloor = s["sqlite floor"].wall
    rebuild = s["pmtool index --rebuild"].wall
    rows = []
    for name, r in res["steps"]:
        target, held = "", None
        if name == "pmtool lint":
            target = "<= 1.0x parser floor"
            held = r.wall <= floor
            if res["count"] <= 1000:
                target += "; <= 0.1 s"
                held = held and r.wall <= 0.1
        elif name == "pmtool index --rebuild":
            target = "<= 1.0x sqlite floor"
            held = r.wall <= sfloor
        elif name == "index, no change":
            target = "<= 5% of --rebuild"
            held = r.wall <= 0.05 * rebuild
        elif name.startswith("index, 1% touched"):
            target = "<= 10% of --rebuild"
            held = r.wall <= 0.10 * rebuild
        elif name in ("query actions --open",) or name.startswith("graph ") and "whole" not in name:
            target = "<= 0.1 s"
            held = r.wall <= 0.1
        if name in ("pmtool lint", "pmtool index --rebuild"):
            target += "; RSS <= 64 MB"
            held = held and r.rss_kb <= 64 * 1024
        if (r.killed or r.failed) and held is not None:
            held = False
        ratio_s = ""
        if name == "pmtool index --rebuild":
            ratio_s = "%.2fx" % (r.wall / sfloor)
        elif name == "index, no change" or name.startswith("index, 1% touched"):
            ratio_s = "%.1f%% of rebuild" % (100 * r.wall / rebuild)
        if r.failed:
            rows.append({"step": name, "failed": r.failed, "target": target, "held": held})
            continue
        rows.append({
            "step": name, "killed": r.killed, "wall": r.wall,
            "cpu": None if r.killed else r.cpu, "docs_s": res["docs"] / r.wall,
            "mb_s": mb(res["bytes"]) / r.wall, "x_floor": r.wall / floor,
            "x_floor_cpu": None if r.killed else r.cpu / max(s["parser floor"].cpu, 1e-6),
            "other": ratio_s, "rss_mb": None if r.killed else r.rss_kb / 1024,
            "target": target, "held": held,
        })
    return rows


def table(res, rows):
    out = ["", "### %s documents (%.1f MB, best of %d; load average %.1f before, %.1f after)"
           % ("{:,}".format(res["docs"]), mb(res["bytes"]), res["runs"], res["load"][0],
              res["load"][1]), "",
        "| step | wall s | cpu s | docs/s | MB/s | x parser floor | (cpu) | other ratio | peak RSS MB | target | holds |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|"]
    for r in rows:
        held = "" if r["held"] is None else ("yes" if r["held"] else "**NO**")
        if r.get("failed"):
            out.append("| %s | failed | | | | | | %s | | %s | %s |" % (
                r["step"], r["failed"].replace("|", "/"), r["target"], held))
            continue
        if r["killed"]:
            held = (held + " " if held else "") + "(killed)"
            out.append("| %s | > %.0f | - | < %s | < %.1f | > %.0fx | - | %s | - | %s | %s |" % (
                r["step"], r["wall"], fmt_rate(r["docs_s"]), r["mb_s"], r["x_floor"],
                r["other"], r["target"], held))
            continue
        out.append("| %s | %.3f | %.3f | %s | %.1f | %.2fx | %.2fx | %s | %.1f | %s | %s |" % (
            r["step"], r["wall"], r["cpu"], fmt_rate(r["docs_s"]), r["mb_s"], r["x_floor"],
            r["x_floor_cpu"], r["other"], r["rss_mb"], r["target"], held))
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--work", default="/tmp/pmtool-bench",
                    help="corpora, indexes and sites (default /tmp/pmtool-bench)")
    ap.add_argument("--pmtool", default=os.path.join(SOURCE_ROOT, "build", "src", "pmtool"))
    ap.add_argument("--floor", default=os.path.join(SOURCE_ROOT, "build", "tests", "bench",
                                                    "floor"))
    ap.add_argument("--spawn", help="spawn.c's program (default: beside --floor)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=0,
                    help="runs per step, best kept (default 3; 1 from 100,000 documents)")
    ap.add_argument("--jobs", type=int, default=None,
                    help="pass --jobs N to lint and index (default: pass nothing; "
                         "only if pmtool lint --help lists --jobs)")
    ap.add_argument("--timeout", type=float, default=1800, metavar="S",
                    help="kill a step after S seconds and report it as killed "
                         "(default 1800)")
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument("--markdownlint", metavar="CMD",
                    help="also time this markdownlint-cli2 command on each corpus")
    ap.add_argument("--markdownlint-max", type=int, default=10000, metavar="N",
                    help="time markdownlint only on corpora of at most N documents "
                         "(default 10000)")
    ap.add_argument("--report-graphs", action="store_true",
                    help="report site with Graphviz pictures (one dot per document)")
    a = ap.parse_args(argv)
    a.pmtool = os.path.abspath(a.pmtool)
    a.floor = os.path.abspath(a.floor)
    a.work = os.path.abspath(a.work)
    a.spawn = os.path.abspath(a.spawn or os.path.join(os.path.dirname(a.floor), "spawn"))
    global SPAWN, TIMEOUT
    SPAWN = a.spawn
    TIMEOUT = a.timeout
    for p in (a.pmtool, a.floor, a.spawn):
        if not os.access(p, os.X_OK):
            fail("%s is not an executable (build first: ninja -C build)" % p)
    if a.jobs is not None:
        h = subprocess.run([a.pmtool, "lint", "--help"], stdout=subprocess.PIPE).stdout
        if b"--jobs" not in h:
            fail("--jobs given, but pmtool lint --help does not list it")
    os.makedirs(a.work, exist_ok=True)

    print("pmtool %s, floor %s, work %s, %s, %d cores, load %.2f" % (
        a.pmtool, a.floor, a.work, platform.machine(), os.cpu_count() or 0,
        os.getloadavg()[0]), flush=True)
    results, tables = [], []
    for n in a.sizes:
        res = bench_size(a, n)
        rows = evaluate(res)
        tables.append(table(res, rows))
        results.append({k: v for k, v in res.items() if k != "steps"} | {"rows": rows})
    print("\n".join(tables))
    print("\nload average after the run: %.2f %.2f %.2f" % os.getloadavg())
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"pmtool": a.pmtool, "results": results}, f, indent=1)
    if failures:
        print("run.py: %d step(s) failed: %s" % (len(failures), ", ".join(failures)),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
