#!/usr/bin/env python3
"""check-cases.py - every folder under cases/ is listed in meson.build.

usage: check-cases.py CASES_DIR NAME...

Exits 1 naming the folders that are not listed (a case that would silently
never run) and the names listed without a folder.  meson.build runs it at
configure time and again as the test cli-cases-listed, which also catches a
folder added after the last configure.
"""
import os
import sys


def main(argv):
    if len(argv) < 2:
        print("usage: check-cases.py CASES_DIR NAME...", file=sys.stderr)
        return 2
    cases_dir, listed = argv[1], argv[2:]
    folders = sorted(n for n in os.listdir(cases_dir)
                     if os.path.isdir(os.path.join(cases_dir, n)))
    unlisted = [n for n in folders if n not in listed]
    missing = sorted(n for n in set(listed) if n not in folders)
    dups = sorted(n for n in set(listed) if listed.count(n) > 1)
    for n in unlisted:
        print("tests/cli/cases/%s is not listed in cli_cases in tests/cli/meson.build" % n)
    for n in missing:
        print("'%s' is listed in tests/cli/meson.build but has no folder under tests/cli/cases" % n)
    for n in dups:
        print("'%s' is listed twice in tests/cli/meson.build" % n)
    return 1 if unlisted or missing or dups else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
