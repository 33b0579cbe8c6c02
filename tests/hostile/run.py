#!/usr/bin/env python3
"""run.py - the adversarial suite: one hostile input per case, and what
pmtool must do with it.

usage: run.py PMTOOL CASE_FILE             run one case (exit 0 pass, 1 fail,
                                           77 skip, 99 the case is broken)
       run.py --check-list CASES_DIR NAME... every cases/*.case is listed in
                                           meson.build and the other way round
       run.py --measure PMTOOL            CPU time and memory of pmtool on
                                           cmark-gfm's pathological inputs
                                           (the table in docs/security.md)

A case is one file, tests/hostile/cases/NAME.case:

    # What the hazard is, in a comment or two.
    args: lint --format json @IN@
    status: 1
    --- file adr-001.md
    ---
    type: adr
    ...
    --- gen
    write("big.md", adr(body="[a" * 32500))
    --- stdout
    ...
    --- stderr
    ...
    --- check
    assert "<script" not in read(OUT + "/index.html")

Header lines, before the first "--- " line (a lone "---" is content):
    args:     the command line after `pmtool`, split like a shell would
              (quotes work, nothing is expanded but the placeholders)
    status:   the expected exit status
    cpu:      seconds of CPU time (user + system) pmtool may use, default 2;
              wall-clock time is bounded too (wall:, default 20 s) so a
              hang fails instead of waiting for meson's timeout
    rss:      MiB of memory it may hold at most, default 256
    output:   bytes it may print (stdout + stderr), default 1 MiB
    cwd:      where it runs, default @IN@
    as:       nobody - when run as root, run pmtool as nobody (permission
              cases: root reads everything); pmtool's own user otherwise
    fsize:    bytes: no file pmtool writes may grow past this (RLIMIT_FSIZE,
              SIGXFSZ ignored, so a write fails with EFBIG: a full disk)
    requires: root | graphviz - skip (77) where that is missing
    changes:  paths under @TMP@ that may change (one or more, space
              separated; a folder covers what is under it)
    env:      NAME=VALUE for pmtool (repeatable)
    ignore:   stdout and/or stderr: not compared (a check does it)
    valgrind: skip - not run under valgrind (inputs too big to be worth it)

Sections:
    --- file PATH   content written to @IN@/PATH before the run (text, each
                    line ending in a newline; binary content: use gen)
    --- gen         Python run before the run to make inputs at test time
                    (huge files, FIFOs, sockets, links, odd names): nothing
                    big is committed.  Helpers: write(path, data, mode=None),
                    adr(...), symlink(target, path), mkfifo(path),
                    mksocket(path), sh(cmd); names IN, OUT, TMP, SOURCE,
                    PMTOOL, ENV (a dict for pmtool's environment)
    --- stdout      the exact expected output, with @IN@, @OUT@, @TMP@ and
    --- stderr      @SOURCE@ for those paths, "(@MS@ ms)" for timings;
                    absent means empty (unless ignored)
    --- check       Python asserts run after the run, with stdout, stderr,
                    status, read(path), run(args) (pmtool again, no checks)
                    and the names above

Placeholders: @IN@ the input folder (TMP/in, made from the file and gen
sections), @OUT@ an empty folder for what the command writes (TMP/out),
@TMP@ the case's scratch folder, @SOURCE@ the checkout.

Around the run, everything under @TMP@ (names, types, modes, contents,
link targets) is fingerprinted; after it, only @OUT@ and the changes: paths
may differ, so a command that writes through a link, leaves a temporary
file behind or touches its input fails.  HOME and TMPDIR point into @TMP@.

Environment: PMTOOL_WRAPPER (e.g. "valgrind --error-exitcode=99 ...") is
put before pmtool; then the CPU, memory and wall-clock bounds are not
checked (valgrind is 20 to 50 times slower) but a 10-minute ceiling is.
A pmtool built with AddressSanitizer gets four times the CPU time and no
memory bound (its shadow memory counts as resident).
PM_SOURCE_ROOT is the checkout (meson's test_env sets it).
"""

import hashlib
import os
import resource
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.realpath(os.environ.get("PM_SOURCE_ROOT") or os.path.join(HERE, "..", ".."))

# Cases that fail because of code another change is rewriting (lint and
# index): kept, and run with meson's should_fail, so the suite stays green
# and a fix shows up as an unexpected pass.  name -> why.
KNOWN_FAIL = {}

DEFAULTS = {"cpu": 2.0, "rss": 256, "output": 1 << 20, "wall": 20.0}
TIME = shutil.which("time", path="/usr/bin:/bin")


class Broken(Exception):
    """The case file itself is wrong (exit 99)."""


class Skip(Exception):
    """The case cannot run here (exit 77)."""


# ---- the case file ----------------------------------------------------------


def parse_case(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    case = {"name": os.path.basename(path)[: -len(".case")], "path": path, "env": {}, "files": [],
            "gen": None, "stdout": None, "stderr": None, "check": None,
            "changes": [], "ignore": set(), "comment": []}
    i = 0
    while i < len(lines) and not lines[i].startswith("--- "):
        line = lines[i]
        i += 1
        if not line.strip():
            continue
        if line.startswith("#"):
            case["comment"].append(line[1:].strip())
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise Broken("header line without a colon: %r" % line)
        key, value = key.strip(), value.strip()
        if key == "args":
            case["args"] = shlex.split(value)
        elif key == "status":
            case["status"] = int(value)
        elif key in ("cpu", "wall"):
            case[key] = float(value)
        elif key in ("rss", "output", "fsize"):
            case[key] = int(value)
        elif key == "env":
            name, _, val = value.partition("=")
            case["env"][name] = val
        elif key == "changes":
            case["changes"] += value.split()
        elif key == "ignore":
            case["ignore"] |= set(value.split())
        elif key in ("cwd", "as", "requires", "valgrind"):
            case[key] = value
        else:
            raise Broken("unknown header %r" % key)
    if "args" not in case or "status" not in case:
        raise Broken("a case needs 'args:' and 'status:'")
    while i < len(lines):
        head = lines[i][4:].split(None, 1)
        i += 1
        body = []
        while i < len(lines) and not lines[i].startswith("--- "):
            body.append(lines[i])
            i += 1
        text = "".join(line + "\n" for line in body)
        kind = head[0] if head else ""
        if kind == "file" and len(head) == 2:
            case["files"].append((head[1], text))
        elif kind in ("gen", "stdout", "stderr", "check") and len(head) == 1:
            if case[kind] is not None:
                raise Broken("two '--- %s' sections" % kind)
            case[kind] = text
        else:
            raise Broken("unknown section '--- %s'" % " ".join(head))
    return case


# ---- helpers for gen and check sections ------------------------------------


def adr(title="Hostile", fm="", body="x\n", id=None, status="proposed"):
    """A complete, valid ADR: only what a case adds can be reported."""
    head = "---\n"
    if id:
        head += "id: %s\n" % id
    head += ("type: adr\ntitle: %s\nstatus: %s\nauthor: \"@mallory\"\n"
             "date: \"2025-01-01\"\n" % (title, status))
    return (head + fm + "---\n\n# Decision\n\n" + body +
            "\n# Consequences\n\n## Positive\n\nx\n")


def make_helpers(root):
    def full(path):
        return path if os.path.isabs(path) else os.path.join(root, path)

    def write(path, data, mode=None):
        p = full(path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        if mode is not None:
            os.chmod(p, mode)

    def symlink(target, path):
        p = full(path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        os.symlink(target, p)

    def mkfifo(path):
        os.mkfifo(full(path))

    def mksocket(path):
        s = socket.socket(socket.AF_UNIX)
        here = os.getcwd()
        os.chdir(os.path.dirname(full(path)))	# sun_path is short
        try:
            s.bind(os.path.basename(full(path)))
        finally:
            os.chdir(here)
            s.close()

    def sh(cmd):
        subprocess.run(cmd, shell=True, check=True, cwd=root)

    def read(path, mode="r"):
        with open(full(path), mode) as f:
            return f.read()

    return {"write": write, "symlink": symlink, "mkfifo": mkfifo, "mksocket": mksocket,
            "sh": sh, "read": read, "adr": adr, "os": os}


# ---- fingerprints -----------------------------------------------------------


def fingerprint(top, skip):
    """{relative path: (kind, mode, content digest or link target)} of
    everything under top, leaving out the paths in skip (and below them)."""
    out = {}

    def walk(d, rel):
        try:
            names = sorted(os.listdir(d))
        except OSError as e:
            out[rel or "."] = ("unlistable", str(e.errno), "")
            return
        for name in names:
            r = os.path.join(rel, name) if rel else name
            if any(r == s or r.startswith(s.rstrip("/") + "/") for s in skip):
                continue
            p = os.path.join(d, name)
            st = os.lstat(p)
            mode = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                out[r] = ("link", mode, os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                out[r] = ("dir", mode, "")
                walk(p, r)
            elif stat.S_ISREG(st.st_mode) and st.st_size > 64 << 20:
                # Sparse giants (a 1 TiB file): size and mtime will do.
                out[r] = ("file", mode, "size %d mtime %d" % (st.st_size, st.st_mtime_ns))
            elif stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                try:
                    with open(p, "rb") as f:
                        for chunk in iter(lambda: f.read(1 << 20), b""):
                            h.update(chunk)
                    digest = h.hexdigest()
                except OSError as e:
                    digest = "unreadable %d %d" % (e.errno, st.st_size)
                out[r] = ("file", mode, digest)
            else:
                out[r] = ("special", mode, stat.S_IFMT(st.st_mode))

    walk(top, "")
    return out


def diff_prints(before, after):
    msgs = []
    for k in sorted(set(before) | set(after)):
        if k not in after:
            msgs.append("removed: %s" % k)
        elif k not in before:
            msgs.append("created: %s" % k)
        elif before[k] != after[k]:
            msgs.append("changed: %s (%s -> %s)" % (k, before[k][:2], after[k][:2]))
    return msgs


# ---- running pmtool ---------------------------------------------------------


def run_limited(cmd, cwd, env, stdout, stderr, wall, preexec=None):
    """Runs cmd; returns (status, cpu seconds, max RSS in KiB, timed out).
    The status of a signal death is 128 + signal, as a shell reports it."""
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                         stdout=stdout, stderr=stderr, preexec_fn=preexec,
                         start_new_session=True)
    deadline = time.monotonic() + wall
    timed_out = False
    while True:
        pid, wstatus, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            timed_out = True
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            pid, wstatus, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.01)
    p.returncode = 0	# reaped here; keep Popen from waiting again
    if os.WIFSIGNALED(wstatus):
        status = 128 + os.WTERMSIG(wstatus)
    else:
        status = os.WEXITSTATUS(wstatus)
    return status, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, timed_out


def preexec(nobody, fsize):
    """A preexec_fn dropping to nobody (when we are root) and limiting the
    size of files; None when there is nothing to do."""
    nobody = nobody and os.geteuid() == 0
    if not nobody and fsize is None:
        return None

    def pre():
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        if nobody:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
    return pre


def tokens(tmp, inp, out):
    pairs = [("@IN@", inp), ("@OUT@", out), ("@TMP@", tmp), ("@SOURCE@", SOURCE)]
    return sorted(pairs, key=lambda p: -len(p[1]))


def expand(s, toks):
    for tok, path in toks:
        s = s.replace(tok, path)
    return s


def unexpand(s, toks):
    for tok, path in toks:
        s = s.replace(path, tok)
    return s


def mask_times(s):
    import re
    return re.sub(r"\(\d+ ms\)", "(@MS@ ms)", s)


def show_diff(label, want, got):
    import difflib
    lines = list(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                      "expected " + label, "actual " + label))
    if len(lines) > 80:
        lines = lines[:80] + ["... (%d more diff lines)\n" % (len(lines) - 80)]
    return "".join(lines)


def sanitized(pmtool):
    """True for a build with AddressSanitizer: 2 to 3 times the CPU time,
    and shadow memory that makes the resident size meaningless."""
    try:
        with open(pmtool, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


def run_case(pmtool, case_path):
    case = parse_case(case_path)
    name = case["name"]
    wrapper = shlex.split(os.environ.get("PMTOOL_WRAPPER", ""))
    req = case.get("requires")
    if req == "root" and os.geteuid() != 0:
        raise Skip("needs root")
    if req == "graphviz" and not shutil.which("dot"):
        raise Skip("needs graphviz (dot)")
    if req and req not in ("root", "graphviz"):
        raise Broken("unknown requirement %r" % req)
    if wrapper and case.get("valgrind") == "skip":
        raise Skip("not run under %s" % os.path.basename(wrapper[0]))

    tmp = os.path.realpath(tempfile.mkdtemp(prefix="pmtool-hostile."))
    try:
        return run_in(pmtool, case, tmp, wrapper)
    finally:
        # Undo what a case did to make things unreadable, then remove.
        for d, dirs, files in os.walk(tmp):
            for n in dirs:
                p = os.path.join(d, n)
                if not os.path.islink(p):
                    try:
                        os.chmod(p, 0o755)
                    except OSError:
                        pass
        shutil.rmtree(tmp, ignore_errors=True)


def run_in(pmtool, case, tmp, wrapper):
    name = case["name"]
    inp, out = os.path.join(tmp, "in"), os.path.join(tmp, "out")
    os.makedirs(inp)
    os.makedirs(out)
    os.makedirs(os.path.join(tmp, "home"))
    os.makedirs(os.path.join(tmp, "tmp"))
    os.chmod(tmp, 0o755)
    toks = tokens(tmp, inp, out)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.path.join(tmp, "home"),
           "TMPDIR": os.path.join(tmp, "tmp"), "LC_ALL": "C.UTF-8", "NO_COLOR": "1"}
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    helpers = make_helpers(inp)
    for rel, text in case["files"]:
        helpers["write"](rel, text)
    names = dict(helpers, IN=inp, OUT=out, TMP=tmp, SOURCE=SOURCE, PMTOOL=pmtool, ENV=env)
    if case["gen"]:
        exec(compile(case["gen"], name + ".case:gen", "exec"), names)
    for k, v in case["env"].items():
        env[k] = expand(v, toks)
    if case.get("as") not in (None, "nobody"):
        raise Broken("as: only 'nobody' is known")
    nobody = case.get("as") == "nobody" and os.geteuid() == 0
    if nobody:
        # nobody must reach the inputs and write @OUT@, HOME and TMPDIR.
        for d in (tmp, out, os.path.join(tmp, "tmp"), os.path.join(tmp, "home")):
            os.chmod(d, 0o777)

    args = [expand(a, toks) for a in case["args"]]
    cwd = expand(case.get("cwd", "@IN@"), toks)
    skip = ["out"] + [unexpand(expand(c, toks), [("", tmp + "/")]).lstrip("/") for c in case["changes"]]
    before = fingerprint(tmp, skip)

    outf = os.path.join(tmp, ".stdout")
    errf = os.path.join(tmp, ".stderr")
    usef = os.path.join(tmp, ".rusage")
    skip += [".stdout", ".stderr", ".rusage"]
    wall = case.get("wall", DEFAULTS["wall"]) if not wrapper else 600.0
    # GNU time measures pmtool from a small parent: a child forked from
    # this Python process would report Python's memory as its own.
    timer = [TIME, "-o", usef, "-f", "%U %S %M"] if TIME and not wrapper else []
    names.clear()	# let the generated inputs go before measuring
    with open(outf, "wb") as so, open(errf, "wb") as se:
        status, cpu, rss_kib, timed_out = run_limited(
            timer + wrapper + [pmtool] + args, cwd, env, so, se, wall,
            preexec(nobody, case.get("fsize")))
    if timer and not timed_out:
        with open(usef) as f:
            last = f.read().strip().split("\n")[-1].split()
        cpu, rss_kib = float(last[0]) + float(last[1]), int(last[2])
    after = fingerprint(tmp, skip)
    fails = []

    size = os.path.getsize(outf) + os.path.getsize(errf)
    limit_out = case.get("output", DEFAULTS["output"])
    if size > limit_out:
        fails.append("printed %d bytes, over the bound of %d" % (size, limit_out))
    with open(outf, "rb") as f:
        raw_out = f.read(limit_out + 1)
    with open(errf, "rb") as f:
        raw_err = f.read(limit_out + 1)
    stdout = mask_times(unexpand(raw_out.decode("utf-8", "backslashreplace"), toks))
    stderr = mask_times(unexpand(raw_err.decode("utf-8", "backslashreplace"), toks))

    if timed_out:
        fails.append("still running after %.0f s of wall-clock time: killed" % wall)
    if status != case["status"]:
        fails.append("exit status %d, expected %d" % (status, case["status"]))
    asan = sanitized(pmtool)
    if not wrapper:
        cpu_max = case.get("cpu", DEFAULTS["cpu"]) * (4 if asan else 1)
        if cpu > cpu_max:
            fails.append("used %.2f s of CPU time, over the bound of %.2f s" % (cpu, cpu_max))
        rss_max = case.get("rss", DEFAULTS["rss"])
        if rss_kib > rss_max * 1024 and not asan:
            fails.append("held %d MiB, over the bound of %d MiB" % (rss_kib // 1024, rss_max))
    if os.environ.get("PM_UPDATE_EXPECTED") and name not in KNOWN_FAIL:
        update_case(case, stdout, stderr)
        case["stdout"], case["stderr"] = stdout, stderr
    for what, got in (("stdout", stdout), ("stderr", stderr)):
        if what in case["ignore"]:
            continue
        want = case[what] or ""
        if got != want:
            fails.append("%s differs:\n%s" % (what, show_diff(what, want, got)))
    changed = diff_prints(before, after)
    if changed:
        fails.append("files outside @OUT@ changed:\n  " + "\n  ".join(changed[:40]))
    if case["check"] and not fails:
        def run(more_args, **kw):
            r = subprocess.run([pmtool] + [expand(a, toks) for a in more_args], cwd=cwd,
                               env=env, stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=60, **kw)
            return r
        names = dict(make_helpers(inp), IN=inp, OUT=out, TMP=tmp, SOURCE=SOURCE,
                     PMTOOL=pmtool, ENV=env, stdout=stdout, stderr=stderr,
                     raw_stdout=raw_out, raw_stderr=raw_err, status=status, run=run)
        try:
            exec(compile(case["check"], case["name"] + ".case:check", "exec"), names)
        except AssertionError as e:
            import traceback
            fails.append("check failed: %s\n%s" % (e, traceback.format_exc(limit=-1)))
    how = "" if not wrapper else " under " + os.path.basename(wrapper[0])
    if fails:
        print("hostile-%s: FAIL%s (%s)" % (name, how, " ".join(case["comment"])))
        if name in KNOWN_FAIL:
            print("  known failure (KNOWN_FAIL in run.py): " + KNOWN_FAIL[name])
        for f in fails:
            print("  - " + f)
        return 1
    print("hostile-%s: ok%s (%.2f s CPU, %d MiB)" % (name, how, cpu, rss_kib // 1024))
    return 0


def update_case(case, stdout, stderr):
    """PM_UPDATE_EXPECTED=1: writes what pmtool printed into the case's
    stdout and stderr sections.  Read the result before keeping it."""
    path = case["path"]
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, i, skipping = [], 0, False
    for line in lines:
        if line.startswith("--- "):
            skipping = line[4:].strip() in ("stdout", "stderr")
        if not skipping:
            out.append(line)
    while out and out[-1] == "":
        out.pop()
    text = "\n".join(out) + "\n"
    for what, got in (("stdout", stdout), ("stderr", stderr)):
        if got and what not in case["ignore"]:
            if not got.endswith("\n"):
                got += "\n"	# the format cannot say "no newline at the end"
            text += "--- %s\n%s" % (what, got)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ---- the list in meson.build ----------------------------------------------


def check_list(cases_dir, listed):
    on_disk = {n[: -len(".case")] for n in os.listdir(cases_dir) if n.endswith(".case")}
    listed = set(listed)
    msgs = ["not listed in tests/hostile/meson.build: %s" % n for n in sorted(on_disk - listed)]
    msgs += ["listed but no cases/%s.case" % n for n in sorted(listed - on_disk)]
    for m in msgs:
        print(m)
    return 1 if msgs else 0


# ---- measurements for docs/security.md -------------------------------------

PATHOLOGICAL = [
    # cmark-gfm's test/pathological_tests.py, at its sizes, and the issue's
    ("nested strong emphasis", lambda: ("*a **a " * 65000) + "b" + (" a** a*" * 65000)),
    ("emphasis closers without openers", lambda: "a_ " * 65000),
    ("emphasis openers without closers", lambda: "_a " * 65000),
    ("link closers without openers", lambda: "a]" * 65000),
    ("link openers without closers, [a x 32500", lambda: "[a" * 32500),
    ("mismatched openers and closers", lambda: "*a_ " * 50000),
    ("openers and closers multiple of 3", lambda: "a**b" + ("c* " * 50000)),
    ("link openers and emphasis closers", lambda: "[ a_" * 50000),
    ("pattern [ (]( repeated", lambda: "[ (](" * 80000),
    ("pattern ![[]() repeated x 160000", lambda: "![[]()" * 160000),
    ("pattern ![[]() repeated x 20000", lambda: "![[]()" * 20000),
    ("nested brackets", lambda: "[" * 50000 + "a" + "]" * 50000),
    ("nested block quotes, > x 25000", lambda: "> " * 25000 + "a"),
    ("deeply nested lists (1000)", lambda: "".join("  " * x + "* a\n" for x in range(1000))),
    ("backticks", lambda: "".join("e" + "`" * x for x in range(1, 2500))),
    ("unclosed links A", lambda: "[a](<b" * 30000),
    ("unclosed links B", lambda: "[a](b" * 30000),
    ("unclosed <!-- runs", lambda: "</" + "<!--" * 300000),
    ("tables aaa\\rbbb\\n-\\v\\n x 30000", lambda: "aaa\rbbb\n-\v\n" * 30000),
    ("table of 65,536 columns", lambda: "|" + "a|" * 65536 + "\n|" + "-|" * 65536 + "\n"),
    ("table row of 70,000 cells", lambda: "|a|\n|-|\n|" + "b|" * 70000 + "\n"),
    ("www autolinks x 100000", lambda: "www.a.com " * 100000),
    ("e-mail autolinks x 100000", lambda: "a@b.c " * 100000),
    ("e-mail autolinks, 2000 on one line", lambda: "x.y@z.com, " * 2000),
    ("IDs x 200000 on one line", lambda: "ADR-001 " * 200000),
]

WORST = [
    # the same kinds of input, filling the 4 MiB file size limit
    ("emphasis *a* (4 MiB)", lambda n: "*a* " * (n // 4)),
    ("one line per paragraph (4 MiB)", lambda n: "a\n\n" * (n // 3)),
    ("list items (4 MiB)", lambda n: "- a\n" * (n // 4)),
    ("table rows of 64 cells (4 MiB)",
     lambda n: "|" + "a|" * 64 + "\n|" + "-|" * 64 + "\n" + ("|" + "a|" * 64 + "\n") * (n // 130 - 2)),
    ("nested block quotes (4 MiB)", lambda n: "> " * (n // 2)),
    ("nested lists + (4 MiB)", lambda n: "+ " * (n // 2)),
    ("e-mail autolinks, 10 a line (4 MiB)", lambda n: ("x.y@z.com, " * 10 + "\n") * (n // 111)),
    ("IDs on one line (4 MiB)", lambda n: "ADR-001 " * (n // 8)),
    ("plain text (4 MiB)", lambda n: ("hello world " * 8 + "\n") * (n // 97)),
]


def measure(pmtool):
    tmp = tempfile.mkdtemp(prefix="pmtool-measure.")
    try:
        rows = []
        for title, body in PATHOLOGICAL + [(t, (lambda g: lambda: g(4 * 1024 * 1024 - 400))(g))
                                           for t, g in WORST]:
            d = os.path.join(tmp, str(len(rows)))
            os.makedirs(d)
            text = adr(body=body())
            with open(os.path.join(d, "adr-001.md"), "w", newline="") as f:
                f.write(text)
            outp = os.path.join(tmp, "out")
            usef = os.path.join(tmp, "rusage")
            timer = [TIME, "-o", usef, "-f", "%U %S %M"] if TIME else []
            with open(outp, "wb") as o:
                status, cpu, rss, to = run_limited(timer + [pmtool, "lint", d], tmp,
                                                   dict(os.environ), o, subprocess.DEVNULL, 120)
            if timer and not to:
                with open(usef) as f:
                    last = f.read().strip().split("\n")[-1].split()
                cpu, rss = float(last[0]) + float(last[1]), int(last[2])
            with open(outp, encoding="utf-8", errors="replace") as f:
                import re
                codes = sorted(set(re.findall(r"\[(PM1\d\d)\]", f.read())))
            rows.append((title, len(text.encode()), cpu, rss // 1024, status,
                         ",".join(codes) or "-", to))
        print("| input | bytes | CPU s | max RSS MiB | status | finding |")
        print("|---|---:|---:|---:|---:|---|")
        for title, size, cpu, rss, status, codes, to in rows:
            print("| %s | %d | %s | %d | %d | %s |" % (title, size,
                                                    "timeout" if to else "%.2f" % cpu,
                                                    rss, status, codes))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def main(argv):
    if len(argv) == 2 and argv[1] == "--known-fail":
        print("\n".join(sorted(KNOWN_FAIL)))
        return 0
    if len(argv) >= 2 and argv[1] == "--check-list":
        return check_list(argv[2], argv[3:])
    if len(argv) == 3 and argv[1] == "--measure":
        return measure(os.path.abspath(argv[2]))
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 99
    pmtool, case_path = os.path.abspath(argv[1]), argv[2]
    try:
        return run_case(pmtool, case_path)
    except Skip as e:
        print("hostile-%s: skipped: %s" % (os.path.basename(case_path), e))
        return 77
    except Broken as e:
        print("hostile-%s: the case is broken: %s" % (os.path.basename(case_path), e))
        return 99


if __name__ == "__main__":
    sys.exit(main(sys.argv))
