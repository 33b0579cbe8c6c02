#!/usr/bin/env python3
"""Writes a C header that holds a text file as one string constant.

usage: embed.py NAME INPUT OUTPUT
"""
import sys

name, src, out = sys.argv[1:4]
data = open(src, encoding="utf-8").read()
lines = []
for line in data.splitlines(keepends=True):
    esc = line.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    lines.append('\t"' + esc + '"')
with open(out, "w", encoding="utf-8") as f:
    f.write("/* Generated from %s by embed.py; do not edit. */\n" % src.split("/")[-1])
    # The text is one long literal: fine for GCC and Clang, past the
    # 4095 characters ISO C promises, hence the local pragma.
    f.write('#pragma GCC diagnostic push\n')
    f.write('#pragma GCC diagnostic ignored "-Woverlength-strings"\n')
    f.write("static const char %s[] =\n%s;\n" % (name, "\n".join(lines) or '\t""'))
    f.write('#pragma GCC diagnostic pop\n')
