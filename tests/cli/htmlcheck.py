#!/usr/bin/env python3
"""htmlcheck.py - checks on the HTML `pmtool report` writes, for the shell
tests report-site.sh and report-xss.sh.

usage: htmlcheck.py balance FILE...
       htmlcheck.py links SITE_DIR
       htmlcheck.py safe [--hostile TEXT]... [--shown TEXT]... FILE...

balance  every page parses with html.parser and its tags balance: each end
         tag closes the element opened last (void elements such as <meta>
         and <br>, and self-closed SVG elements such as <rect/>, aside),
         and nothing is left open at the end.
links    every internal href or src of every page of SITE_DIR names a file
         that exists in SITE_DIR (links to the web and to "#..." are not
         followed); an anchor (page.html#x) that names no id on its page
         is printed as a note, not counted.
safe     what a hostile document must not achieve: no <script> element but
         the layout's one <script src="sort.js">, no attribute whose name
         starts with "on", no href, src or xlink:href that starts with
         javascript:, vbscript: or data:text, the Content-Security-Policy
         meta in every page, tags that balance; each --hostile TEXT never
         in a page's source as it is (only escaped), and each --shown TEXT
         in every page's text (decoded) or in one of its attribute values.

Prints one line per problem and exits 1 when there is any, 0 otherwise.
"""
import html.parser
import os
import re
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr"}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.problems = []
        self.ids = set()
        self.urls = []		# (tag, attribute, value)
        self.scripts = []	# the attributes of each <script>
        self.handlers = []	# (tag, attribute) of each on* attribute
        self.text = []
        self.attr_values = []
        self.csp = False

    def _attrs(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            self.attr_values.append(value)
            if name == "id":
                self.ids.add(value)
            if name in ("href", "src", "xlink:href", "action", "formaction"):
                self.urls.append((tag, name, value))
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if (tag == "meta" and name == "http-equiv"
                    and value.lower() == "content-security-policy"):
                self.csp = True
        if tag == "script":
            self.scripts.append(dict(attrs))

    def handle_starttag(self, tag, attrs):
        self._attrs(tag, attrs)
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self._attrs(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack:
            self.problems.append("line %d: </%s> closes nothing" % (self.getpos()[0], tag))
            return
        open_tag, pos = self.stack.pop()
        if open_tag != tag:
            self.problems.append("line %d: </%s> closes <%s> of line %d"
                                 % (self.getpos()[0], tag, open_tag, pos[0]))

    def handle_data(self, data):
        self.text.append(data)

    def finish(self):
        self.close()
        for tag, pos in self.stack:
            self.problems.append("line %d: <%s> is never closed" % (pos[0], tag))


def parse(path):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    p = Page()
    p.feed(src)
    p.finish()
    return src, p


def cmd_balance(files):
    bad = 0
    for path in files:
        _, p = parse(path)
        for problem in p.problems:
            print("%s: %s" % (path, problem))
            bad += 1
    return bad


def internal(url):
    return not (re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url) or url.startswith("//")
                or url.startswith("#") or url == "")


def cmd_links(site):
    bad = 0
    files = set(os.listdir(site))
    pages = {f: parse(os.path.join(site, f))[1] for f in sorted(files) if f.endswith(".html")}
    for name, p in pages.items():
        for tag, attr, url in p.urls:
            if not internal(url):
                continue
            target, _, frag = url.partition("#")
            target = target.split("?")[0]
            if "/" in target or target not in files:
                print("%s: <%s %s=\"%s\"> names no file of the site" % (name, tag, attr, url))
                bad += 1
            elif frag and target in pages and frag not in pages[target].ids:
                print("note: %s: <%s %s=\"%s\">: %s has no id '%s'"
                      % (name, tag, attr, url, target, frag))
    return bad


def cmd_safe(args):
    hostile, shown, files = [], [], []
    it = iter(args)
    for a in it:
        if a == "--hostile":
            hostile.append(next(it))
        elif a == "--shown":
            shown.append(next(it))
        else:
            files.append(a)
    bad = 0

    def problem(path, msg):
        nonlocal bad
        print("%s: %s" % (path, msg))
        bad += 1

    for path in files:
        src, p = parse(path)
        for problem_text in p.problems:
            problem(path, problem_text)
        if not p.csp:
            problem(path, "no Content-Security-Policy meta")
        if len(p.scripts) != 1 or set(p.scripts[0]) != {"src"} or \
                not p.scripts[0]["src"].endswith("sort.js"):
            problem(path, "scripts other than the layout's sort.js: %r" % p.scripts)
        if re.search(r"<\s*script(?![^>]*\bsrc=\"[^\"]*sort\.js\")", src, re.I):
            problem(path, "a <script tag in the source that is not the layout's")
        for tag, attr in p.handlers:
            problem(path, "<%s> has an event handler attribute %s" % (tag, attr))
        for tag, attr, url in p.urls:
            u = re.sub(r"[\x00-\x20]", "", url).lower()
            if u.startswith(("javascript:", "vbscript:", "data:text")):
                problem(path, "<%s %s=\"%s\"> is a script or HTML URL" % (tag, attr, url))
        text = "".join(p.text)
        for t in hostile:
            if t in src:
                problem(path, "%r is in the source unescaped" % t)
        for t in shown:
            if t not in text and not any(t in v for v in p.attr_values):
                problem(path, "%r does not appear in the page's text" % t)
    return bad


def main(argv):
    if len(argv) < 3 or argv[1] not in ("balance", "links", "safe"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 99
    if argv[1] == "balance":
        bad = cmd_balance(argv[2:])
    elif argv[1] == "links":
        bad = cmd_links(argv[2])
    else:
        bad = cmd_safe(argv[2:])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
