#!/usr/bin/env python3
"""gen.py - a deterministic corpus of linked postmortems for benchmarks.

usage: gen.py --out DIR --count N [--seed S] [--defects FRACTION] [--jobs J] [--force]

Writes N documents of the four default types (about 55% inc, 25% adr, 12%
opp, 8% gov) and a users.yaml into DIR.  A clean corpus (no --defects)
conforms to the default schema: `pmtool lint --today 2026-11-23 DIR` reports
no finding at all, not even a warning.  The same arguments give the same
bytes.

Layout (what real repositories look like):

    DIR/users.yaml
    DIR/postmortems/YYYY/inc-NNNNNN.md     by the year the incident began
    DIR/adr/YYYY/adr-NNNNNN.md             by the year of the decision
    DIR/opportunities/YYYY/opp-NNNNNN.md
    DIR/governance/CATEGORY/gov-NNNNNN.md
    DIR/.bench-corpus                      what made it (a dot-file: not walked)

IDs come from the file names (inc-000042.md is INC-000042), numbered per
type; the digits are zero-padded to the width of N (at least 3).

Documents are created in one global order and their dates grow with it
(2019-01-01 .. 2026-11-20).  Every causal link (triggers/caused_by,
enables/enabled_by, blocks/blocked_by) goes from an earlier document to a
later one, and supersedes from a later ADR to an earlier one, so no
acyclic relation can loop.  A link is declared on either side, as people
do, sometimes as a relative path instead of an ID; the body mentions the
linked documents with relative Markdown links.

Sizes: 1% of the documents are large (about 50 KB: long analyses, log
excerpts, tables of 2-60 rows); the rest average about 4.7 KB with
Timeline and Action Items tables of 5-30 rows.  The mean is about 5.2 KB.
About 4% of the action items are open (40% of those of incidents from the
last 240 days, 1% of older ones), all due after 2026-11-23.

--defects F makes round(F * N) documents defective, each with one defect
(a missing required field, a value outside an enum, an unresolved ref, a
bad date, a timeline out of order, an unknown user, a bad table cell, a
missing section, a wrong duration), and prints how many of each it
injected.  The other documents are byte-identical to the clean corpus of
the same seed.

Python 3 standard library only.
"""

import argparse
import datetime as dt
import os
import random
import shutil
import sys

TODAY = dt.date(2026, 11, 23)          # the --today the corpus is clean for
FIRST_DAY = dt.date(2019, 1, 1)
LAST_DAY = dt.date(2026, 11, 20)
MARKER = ".bench-corpus"
GEN_VERSION = 1                        # bump when the output changes

TYPE_WEIGHTS = (("inc", 55), ("adr", 25), ("opp", 12), ("gov", 8))
LARGE_FRACTION = 0.01

FIRST_NAMES = (
    "alice bob priya marcus chen kenji sofia onni amara bruno carmen dmitri "
    "elena farid greta hiro ines jonas kaia liam maya nadia oscar pablo "
    "quinn rosa sami tariq uma viktor wen xavier yara zane ana ben chloe "
    "dara emil fatima gus hana ivan jade kofi lena mateo nora omar petra "
    "rafael sana theo ulla vera will ximena yusuf zoe").split()
LAST_NAMES = (
    "moreau okafor raman webb wei sato almeida virtanen nakamura silva "
    "kowalski haddad fischer larsen rossi novak dubois mensah tanaka "
    "schmidt gonzalez ivanova park kim nguyen olsen byrne costa meyer "
    "jensen").split()
TEAMS = ("platform", "payments", "sre", "data", "web", "security",
         "identity", "search", "mobile", "billing", "logistics", "ml")

SYS_A = ("payment", "checkout", "user", "billing", "search", "catalog", "auth",
         "session", "inventory", "shipping", "notification", "ledger",
         "pricing", "recommendation", "media", "analytics", "fraud",
         "gateway", "profile", "order", "cart", "email", "identity", "report")
SYS_B = ("service", "api", "worker", "db", "cache", "queue", "web", "indexer")
SYSTEMS = tuple(a + "-" + b for a in SYS_A for b in SYS_B)
TAGS = ("database", "deploy", "capacity", "network", "dns", "cache", "config",
        "certificate", "security", "latency", "storage", "kubernetes",
        "queue", "dependency", "monitoring", "batch", "migration",
        "third-party", "memory", "cpu", "data-loss", "availability")
ZONES = (("Z", 80), ("+02:00", 6), ("+01:00", 5), ("-05:00", 4),
         ("+05:30", 3), ("+09:00", 2))
TOOLS = ("PagerDuty", "Grafana", "Alertmanager", "deploy-bot", "Datadog",
         "Statuspage", "oncall-bot", "CI", "Sentry", "CloudWatch")

PROBLEMS = ("connection pool exhaustion", "elevated error rate",
            "latency regression", "partial outage", "data replication lag",
            "certificate expiry", "memory leak", "disk full on primary",
            "cache stampede", "DNS resolution failures", "queue backlog",
            "failed deploy rollback", "config push broke routing",
            "thundering herd after failover", "stale reads from replica",
            "rate limiter misconfiguration", "TLS handshake failures",
            "runaway batch job", "dependency timeout cascade",
            "schema migration lock contention")
CONTEXTS = ("after deploy", "during peak traffic", "after failover",
            "during nightly batch", "after config change", "in eu-west-1",
            "in us-east-1", "after dependency upgrade", "during migration",
            "under load test traffic", "after autoscaler change",
            "during maintenance window")
DECISIONS = ("Use {a} for {b}", "Adopt {a} in {b}", "Move {b} to {a}",
             "Front {b} with {a}", "Retire {a} from {b}",
             "Standardise {b} on {a}", "Split {b} behind {a}")
TECH = ("PostgreSQL", "PgBouncer", "Redis", "Kafka", "gRPC", "Envoy",
        "OpenTelemetry", "Terraform", "Argo CD", "Vault", "ClickHouse",
        "RabbitMQ", "Istio", "Temporal", "S3 lifecycle rules",
        "feature flags", "circuit breakers", "blue-green deploys",
        "connection budgets", "canary analysis", "read replicas",
        "idempotency keys", "a shared job scheduler", "per-tenant quotas")
OPPS = ("{a} dashboard and deploy gate", "Automated {a} checks in CI",
        "Self-service {a} for {b}", "{a} game days for {b}",
        "Load tests for {b}", "Budget alerts for {b}",
        "Runbook automation for {b}", "Synthetic probes for {b}")
GOVS = ("{a} Standard", "{a} Policy", "{a} Guideline", "{a} Procedure",
        "{a} Strategy")
GOV_TOPICS = ("Production Database Access", "Incident Response",
              "Change Management", "Secrets Handling", "Data Retention",
              "On-call Compensation", "Vendor Risk", "Capacity Planning",
              "Access Review", "Postmortem Review", "Service Ownership",
              "Backup and Restore", "Deploy Freeze", "Logging and PII")

VERBS = ("rejected", "dropped", "queued", "retried", "timed out on",
         "duplicated", "throttled", "cached", "evicted", "replayed",
         "rerouted", "buffered", "serialised", "blocked", "leaked")
OBJECTS = ("connections", "requests", "writes", "messages", "sessions",
           "jobs", "health checks", "queries", "events", "uploads",
           "webhooks", "lock acquisitions", "DNS lookups", "cache fills")
SENTENCE_TEMPLATES = (
    "The {s} {v} {o} for about {n} minutes while {s2} waited on it.",
    "At its peak {s} {v} {p}% of {o}, and clients retried within {n} seconds.",
    "We saw `{metric}` climb from {n} to {m} on {s} before anyone was paged.",
    "Nothing in the deploy pipeline compared the new limit of {s} with what {s2} could take.",
    "The change had been reviewed as a routine {t} update, not as a new client of {s2}.",
    "Each pod of {s} opened {n} {o} and held them across a call to {s2}.",
    "Dashboards for {s2} looked healthy because they averaged over {n} minutes.",
    "The runbook for {s} assumed a single region and was {n} months out of date.",
    "Rolling back {s} to v{ver} removed the trigger but not the backlog of {o}.",
    "A {t} setting of {n} was copied from staging, where traffic is {m} times lower.",
    "Alerts on {s} fired {n} minutes after customers started to notice.",
    "The on-call engineer for {s2} was paged through {tool} and joined within {n} minutes.",
    "{p}% of {o} to {s} failed with `{err}` during the worst {n} minutes.",
    "Retries from {s} doubled the load on {s2}, which then {v} its own {o}.",
    "The capacity model for {s} had not been updated since the move to {t}.",
    "Latency at p99 went from {n} ms to {m} ms and stayed there until the rollback.",
    "A feature flag for {s} was enabled for {p}% of tenants instead of one.",
    "The health check of {s} passed while its dependency {s2} was failing.",
    "Our SLO for {s} allows {n} minutes of errors a month; this used {m}.",
    "Support received {m} tickets, most of them about {o} that {s} {v}.",
)
METRICS = ("pool_wait_ms", "error_rate", "queue_depth", "open_connections",
           "evicted_keys", "replication_lag_s", "gc_pause_ms", "5xx_count",
           "disk_used_pct", "cpu_throttled_s")
ERRORS = ("acquire connection timeout", "connection reset by peer",
          "503 Service Unavailable", "deadline exceeded", "ECONNREFUSED",
          "too many open files", "OOMKilled", "lock wait timeout exceeded",
          "certificate has expired", "NXDOMAIN")

EVENTS = (
    "Alert: {s} error rate above {p}% for {n}m",
    "Page acknowledged; incident declared {sev}, channel #inc-{a} opened",
    "{s} deploy v{ver} started, {n} pods",
    "`{metric}` on {s} at {m}, rising",
    "Customer reports of failures in {s2} reach support",
    "{s2} identified as the extra load on {s}",
    "Decision to roll back rather than hotfix",
    "Rollback of {s} to v{ver} started",
    "Rollback complete; errors falling",
    "Traffic shifted away from the failing zone",
    "Feature flag for {s} switched off",
    "`{metric}` back to baseline on {s}",
    "Status page updated: investigating",
    "Status page updated: monitoring a fix",
    "Runbook step {n} applied to {s2}",
    "Stuck jobs on {s2} drained by hand",
    "Holding for {n} minutes before closing",
    "Metrics at baseline; incident resolved",
)
ACTIONS = (
    "Add a connection budget gate for {s} to the deploy pipeline",
    "Alert on `{metric}` for {s} at {n}% of its limit",
    "Move the {a} job out of {s} into its own deployment",
    "Document the failover runbook for {s2}",
    "Load test {s} with production-shaped traffic",
    "Set statement and idle timeouts on the {a} role",
    "Add a circuit breaker between {s} and {s2}",
    "Review every {t} setting copied from staging",
    "Run a game day on {s2} in staging",
    "Cap retries from {s} with jitter and a budget",
    "Make {s} health checks cover {s2}",
    "Rotate the {a} certificates automatically",
    "Add the {s} dashboard to the on-call handbook",
    "Backfill the {o} that {s} dropped",
    "Write an ADR on {t} for {s2}",
)
LESSONS = (
    "A limit is a promise the downstream system must keep; check it whenever either side changes",
    "Roll back first and investigate second when a page follows a deploy",
    "Averaged dashboards hide the minute that matters",
    "Retries without a budget turn a slowdown into an outage",
    "Runbooks that are not exercised drift within months",
    "A feature flag default is a deploy and deserves the same review",
    "Health checks must fail when a hard dependency fails",
    "Staging values are not production values",
)
RISKS = ("Budget files drift from real settings",
         "The gate blocks an urgent hotfix", "Teams ignore the new alerts",
         "The rollout takes longer than a quarter",
         "Costs rise beyond the estimate", "Services outside the monorepo are missed")
LEVELS = ("Low", "Medium", "High")
ROLES = ("Service owner", "SRE", "Security and Compliance", "Data team",
         "Incident commander", "Engineering manager", "Platform team")
LOG_LINES = (
    "{d} ERROR {s} pool: acquire connection timeout after 1000 ms (waiting={n})",
    "{d} WARN  {s2} upstream {s} responded 503 in {m} ms",
    "{d} INFO  {s} rollout: {n}/{m} pods ready",
    "{d} ERROR {s2} FATAL: remaining connection slots are reserved",
    "{d} WARN  {s} retry {n} of 5 for request {hex}",
)


class Rng(random.Random):
    """random.Random with cheaper randint, randrange and choice (random.py's
    draw bits in a loop; these scale one random(), bias below 2**-40)."""

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start, stop=None):
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


class Ctx:
    """Fillers for templates, drawn from one seeded generator."""

    def __init__(self, rng):
        self.rng = rng

    def fill(self, template, **extra):
        r = self.rng
        v = {
            "s": r.choice(SYSTEMS), "s2": r.choice(SYSTEMS),
            "v": r.choice(VERBS), "o": r.choice(OBJECTS),
            "n": r.randint(2, 60), "m": r.randint(61, 9000),
            "p": r.randint(1, 99), "t": r.choice(TECH),
            "metric": r.choice(METRICS), "err": r.choice(ERRORS),
            "tool": r.choice(TOOLS), "sev": "sev%d" % r.randint(1, 4),
            "a": r.choice(SYS_A),
            "ver": "%d.%d.%d" % (r.randint(1, 9), r.randint(0, 30), r.randint(0, 9)),
            "hex": "%08x" % r.getrandbits(32), "d": "",
        }
        v.update(extra)
        return template.format(**v)


def build_pools(rng):
    c = Ctx(rng)
    return {
        "sentences": [c.fill(t) for t in SENTENCE_TEMPLATES for _ in range(150)],
        "events": [c.fill(t) for t in EVENTS for _ in range(60)],
        "actions": [c.fill(t) for t in ACTIONS for _ in range(60)],
        "logs": [c.fill(t) for t in LOG_LINES for _ in range(80)],
    }


def make_users(rng, count):
    handles, seen = [], set()
    people = []
    for first in FIRST_NAMES:
        for last in LAST_NAMES:
            people.append((first, last))
    rng.shuffle(people)
    for first, last in people:
        if len(handles) >= count:
            break
        h = first if first not in seen else first + "." + last
        if h in seen:
            continue
        seen.add(h)
        handles.append((h, first, last))
    while len(handles) < count:  # beyond the name pool
        h = "user%d" % len(handles)
        handles.append((h, "user", str(len(handles))))
    out = ["# People and teams of the benchmark corpus (tests/bench/gen.py).\n\nusers:\n"]
    for h, first, last in handles:
        team = TEAMS[rng.randrange(len(TEAMS))]
        out.append("  %s:\n    name: %s %s\n    email: %s@example.com\n"
                   "    teams: [%s]\n" % (h, first.capitalize(), last.capitalize(),
                                          h, team))
    out.append("\nteams:\n")
    for t in TEAMS:
        out.append("  %s:\n    name: %s\n" % (t, t.capitalize()))
    return [h for h, _, _ in handles], "".join(out)


class Doc:
    __slots__ = ("i", "type", "num", "id", "path", "day", "large", "status",
                 "decl", "mentions", "superseded", "supersedes", "category",
                 "defect")

    def __init__(self, i, type_, num, width):
        self.i = i
        self.type = type_
        self.num = num
        self.id = "%s-%0*d" % (type_.upper(), width, num)
        self.decl = {}        # relation key -> [target Doc]
        self.mentions = []    # Docs the body links to
        self.superseded = None   # the later ADR that supersedes this one
        self.supersedes = None
        self.defect = None
        self.status = None


REL_ORDER = ("supersedes", "superseded_by", "caused_by", "triggers", "enables",
             "enabled_by", "blocks", "blocked_by", "related")


def plan(rng, n, width):
    """Types, dates, paths and links of every document (no text yet)."""
    types = [t for t, _ in TYPE_WEIGHTS]
    weights = [w for _, w in TYPE_WEIGHTS]
    drawn = rng.choices(types, weights, k=n)
    if n >= 1:
        drawn[0] = "adr"   # something for the first incidents to point at
    counters = dict.fromkeys(types, 0)
    docs = []
    by_type = {t: [] for t in types}
    span = (LAST_DAY - FIRST_DAY).days
    for i, t in enumerate(drawn):
        counters[t] += 1
        d = Doc(i, t, counters[t], width)
        d.day = FIRST_DAY + dt.timedelta(days=min(span, int(span * i / max(1, n)) + rng.randint(0, 2)))
        d.large = rng.random() < LARGE_FRACTION
        if t == "gov":
            d.category = rng.choice(("policy", "strategy", "standard", "guideline", "procedure"))
            d.path = "governance/%s/%s.md" % (d.category, d.id.lower())
        else:
            top = {"inc": "postmortems", "adr": "adr", "opp": "opportunities"}[t]
            d.path = "%s/%d/%s.md" % (top, d.day.year, d.id.lower())
        docs.append(d)
        by_type[t].append(d)

    def earlier(t, me, window=400):
        lst = by_type[t]
        # me is already appended when t == me.type
        hi = len(lst) - (1 if me.type == t else 0)
        if hi <= 0:
            return None
        return lst[rng.randrange(max(0, hi - window), hi)]

    def link(parent, child, rel, inv):
        """parent -> child along rel; declared on one side or both."""
        if parent is child or parent is None:
            return
        for k in (rel, inv):
            for side in (parent, child):
                if child in side.decl.get(k, ()) or parent in side.decl.get(k, ()):
                    return
        x = rng.random()
        if x < 0.75:
            child.decl.setdefault(inv, []).append(parent)
        elif x < 0.95:
            parent.decl.setdefault(rel, []).append(child)
        else:
            child.decl.setdefault(inv, []).append(parent)
            parent.decl.setdefault(rel, []).append(child)
        child.mentions.append(parent)
        parent.mentions.append(child)

    def relate(a, b):
        if a is None or a is b:
            return
        if b in a.decl.get("related", ()) or a in b.decl.get("related", ()):
            return
        a.decl.setdefault("related", []).append(b)
        a.mentions.append(b)

    for d in docs:
        t = d.type
        x = rng.random()
        if t == "inc":
            if x < 0.55:
                link(earlier("adr", d), d, "triggers", "caused_by")
            if rng.random() < 0.15:
                link(earlier("adr", d), d, "triggers", "caused_by")
            if rng.random() < 0.10:
                link(earlier("inc", d, 50), d, "triggers", "caused_by")
            if rng.random() < 0.15:
                relate(d, earlier("inc", d))
        elif t == "adr":
            if x < 0.35:
                link(earlier("inc", d, 100), d, "triggers", "caused_by")
            if rng.random() < 0.20:
                link(earlier("adr", d), d, "enables", "enabled_by")
            if rng.random() < 0.15:
                old = earlier("adr", d, 200)
                if old is not None and old.superseded is None \
                        and old.status in ("accepted", "deprecated"):
                    old.superseded = d
                    d.supersedes = old
                    d.mentions.append(old)
            if rng.random() < 0.15:
                relate(d, earlier("gov", d))
            x = rng.random()
            d.status = ("accepted" if x < 0.75 else "proposed" if x < 0.85
                        else "rejected" if x < 0.93 else "deprecated")
            if d.supersedes is not None:
                d.status = "accepted"
        elif t == "opp":
            link(earlier("inc", d, 100) if x < 0.7 else earlier("adr", d),
                 d, "enables", "enabled_by")
            if rng.random() < 0.25:
                link(earlier("inc", d), d, "enables", "enabled_by")
            if rng.random() < 0.10:
                link(earlier("gov", d), d, "blocks", "blocked_by")
            if rng.random() < 0.2:
                relate(d, earlier("opp", d))
        else:
            for _ in range(rng.randint(0, 3)):
                relate(d, earlier(rng.choice(("inc", "adr", "opp")), d))
            if rng.random() < 0.2:
                relate(d, earlier("gov", d))
        if t != "adr":
            d.status = None
    return docs


def q(s):
    return '"' + s + '"'


def ref_text(rng, src, dst):
    """An ID mostly; sometimes a relative path, as people write them."""
    if rng.random() < 0.1:
        return q(relpath(src, dst))
    return q(dst.id)


def relpath(src, dst):
    a = src.path.split("/")
    b = dst.path.split("/")
    if a[:-1] == b[:-1]:
        return "./" + b[-1]
    return "../" * (len(a) - 1) + dst.path


def md_link(src, dst):
    return "[%s](%s)" % (dst.id, relpath(src, dst))


class Writer:
    def __init__(self, rng, pools, users):
        self.rng = rng
        self.pools = pools
        self.users = users
        self.c = Ctx(rng)

    def user(self):
        return "@" + self.users[int(self.rng.random() * len(self.users))]

    def userlist(self, lo, hi):
        r = self.rng
        k = min(len(self.users), r.randint(lo, hi))
        return ["@" + u for u in r.sample(self.users, k)]

    def para(self, lo, hi):
        r = self.rng
        return " ".join(r.choices(self.pools["sentences"], k=r.randint(lo, hi)))

    def paras(self, k, lo=3, hi=7):
        return "\n\n".join(self.para(lo, hi) for _ in range(k))

    def bullets(self, lo, hi):
        r = self.rng
        s = r.choices(self.pools["sentences"], k=r.randint(lo, hi))
        return "\n".join("- " + x.rstrip(".") for x in s)

    def mention(self, d):
        """A sentence naming the linked documents, with Markdown links."""
        if not d.mentions:
            return ""
        seen, out = [], []
        for m in d.mentions:
            if m not in seen:
                seen.append(m)
        for m in seen[:6]:
            out.append(md_link(d, m))
        return " See also " + ", ".join(out) + "."

    def log_block(self, k, day):
        r = self.rng
        lines = r.choices(self.pools["logs"], k=k)
        stamp = day.isoformat()
        return "```\n" + "\n".join(stamp + "T" + "%02d:%02d:%02dZ" % (
            r.randrange(24), r.randrange(60), r.randrange(60)) + l for l in lines) + "\n```"

    def pad_to(self, parts, target, day):
        """Grow a large document's analysis until the whole is ~target bytes."""
        size = sum(len(p) for p in parts)
        extra = []
        while size < target:
            if self.rng.random() < 0.3:
                b = self.log_block(self.rng.randint(10, 30), day)
            else:
                b = self.para(5, 9)
            extra.append(b)
            size += len(b) + 2
        return "\n\n".join(extra)

    def frontmatter(self, d, fields):
        out = ["---\n"]
        for k, v in fields:
            if v is None:
                continue
            if isinstance(v, list):
                out.append(k + ":\n")
                out.extend("  - " + x + "\n" for x in v)
            else:
                out.append("%s: %s\n" % (k, v))
        r = self.rng
        if d.supersedes is not None:
            out.append("supersedes: %s\n" % ref_text(r, d, d.supersedes))
        if d.type == "adr" and d.superseded is not None and r.random() < 0.3:
            out.append("superseded_by: %s\n" % ref_text(r, d, d.superseded))
        for k in REL_ORDER[1:]:
            ts = d.decl.get(k)
            if not ts:
                continue
            if len(ts) == 1 and r.random() < 0.4:
                out.append("%s: %s\n" % (k, ref_text(r, d, ts[0])))
            else:
                out.append(k + ":\n")
                out.extend("  - " + ref_text(r, d, t) + "\n" for t in ts)
        out.append("---\n")
        return "".join(out)

    # -- incident ---------------------------------------------------------

    def inc(self, d):
        r = self.rng
        defect = d.defect
        zone = r.choices([z for z, _ in ZONES], [w for _, w in ZONES])[0]
        start = dt.datetime.combine(d.day, dt.time(r.randrange(24), r.randrange(60)))
        x = r.random()
        dur = (r.randint(10, 90) if x < 0.45 else r.randint(90, 600) if x < 0.9
               else r.randint(600, 1200) if x < 0.97 else r.randint(1440, 4320))
        end = start + dt.timedelta(minutes=dur)
        # HH:MM entries are read on started_at's day and may pass midnight
        # once, where the clock goes back by more than 12 hours: a longer
        # incident that crosses midnight gets full datetimes.
        full = (dur >= 700 and end.date() != start.date()) or r.random() < 0.05

        def stamp(t):
            return "%04d-%02d-%02dT%02d:%02d:00%s" % (t.year, t.month, t.day, t.hour,
                                                      t.minute, zone)

        status = "postmortem" if r.random() < 0.85 else "resolved"
        sev = "sev%d" % r.choices((1, 2, 3, 4), (5, 30, 45, 20))[0]
        systems = r.sample(SYSTEMS, r.randint(1, 4))
        title = "%s %s %s" % (systems[0], r.choice(PROBLEMS), r.choice(CONTEXTS))
        title = title[0].upper() + title[1:]
        duration = dur
        if defect == "duration":
            duration = dur + 45
        fields = [
            ("type", "inc"),
            ("title", title),
            ("status", status if defect != "enum" else "closed"),
            ("severity", sev),
            ("commander", q(self.user() if defect != "user" else "@nobody-at-all")),
            ("responders", [q(u) for u in self.userlist(1, 4)]),
            ("started_at", q(stamp(start)) if defect != "date" else q(start.strftime("%d/%m/%Y %H:%M"))),
            ("resolved_at", q(stamp(end))),
            ("duration_minutes", str(duration)),
            ("affected_systems", systems),
            ("customer_impact", r.choice(("none", "degraded", "partial_outage", "full_outage"))),
            ("tags", r.sample(TAGS, r.randint(1, 4))),
        ]
        if defect == "missing-field":
            fields = [f for f in fields if f[0] != "severity"]
        if defect == "ref":
            d.decl.setdefault("related", []).append(_Missing(d))
        fm = self.frontmatter(d, fields)

        lo, hi = (2, 60) if d.large else (5, 30)
        # Row counts lean to the small end, as in real postmortems.
        nt = lo + int((hi - lo) * r.random() ** 2)
        na = lo + int((hi - lo) * r.random() ** 2)

        # Timeline: the start, sorted times in the window, the end.
        offs = sorted(r.randint(0, dur) for _ in range(max(0, nt - 2)))
        offs = [0] + offs + [dur] if nt >= 2 else [0]
        times = [start + dt.timedelta(minutes=o) for o in offs]
        if defect == "timeline" and len(times) >= 3:
            # the last event claims to come before the second one
            times[-1], times[1] = times[1], times[-1]
            if times[1] == times[-1]:
                times[-1] = times[1] - dt.timedelta(minutes=1)
        ev = r.choices(self.pools["events"], k=len(times))
        rows = ["| Time | Event | Actor |\n|------|-------|-------|\n"]
        for t, e in zip(times, ev):
            when = stamp(t) if full else "%02d:%02d" % (t.hour, t.minute)
            actor = self.user() if r.random() < 0.6 else r.choice(TOOLS)
            rows.append("| %s | %s | %s |\n" % (when, e, actor))
        timeline = "".join(rows)

        # Action items: closed ones due any time after the start, open ones
        # due after TODAY (so none is overdue).
        acts = r.choices(self.pools["actions"], k=na)
        rows = ["| Action | Owner | Due | Status |\n|--------|-------|-----|--------|\n"]
        # Open items belong to recent incidents; an old incident keeps one
        # open (due later: none may be overdue) only now and then.
        recent = (TODAY - d.day).days < 240
        for k, a in enumerate(acts):
            y = r.random()
            open_ = y < (0.4 if recent else 0.01)
            if open_:
                st = r.choice(("pending", "in-progress", "blocked"))
                due = TODAY + dt.timedelta(days=r.randint(1, 200))
            else:
                st = "done" if y < 0.93 else "cancelled"
                due = d.day + dt.timedelta(days=r.randint(1, 120))
            due_s = due.isoformat()
            if defect == "cell" and k == 0:
                due_s = due.strftime("%d/%m/%Y")
            rows.append("| %s | %s | %s | %s |\n" % (a, self.user(), due_s, st))
        actions = "".join(rows)

        rc_paras = r.randint(2, 4)
        parts = [
            fm,
            "\n# Summary\n\n" + self.para(3, 8) + self.mention(d) + "\n",
            "\n# Impact\n\n" + self.bullets(3, 7) + "\n",
            "\n# Timeline\n\n" + timeline,
            "\n# Root Cause\n\n" + self.paras(rc_paras) + "\n",
            "\n# Resolution\n\n" + self.bullets(2, 5) + "\n",
            "\n# Action Items\n\n" + actions,
        ]
        if r.random() < 0.8:
            parts.append("\n# Lessons Learned\n\n" + "\n".join(
                "- " + x for x in r.sample(LESSONS, r.randint(1, 4))) + "\n")
        if defect == "section":
            parts = [p for p in parts if not p.startswith("\n# Impact")]
        if d.large:
            parts.append("\n# Appendix: Analysis\n\n" + self.pad_to(parts, 50000, d.day) + "\n")
        return "".join(parts)

    # -- decision ---------------------------------------------------------

    def adr(self, d):
        r = self.rng
        defect = d.defect
        status = "superseded" if d.superseded is not None else d.status
        title = r.choice(DECISIONS).format(a=r.choice(TECH), b=r.choice(SYSTEMS))
        fields = [
            ("type", "adr"),
            ("title", title),
            ("status", status if defect != "enum" else "Accepted"),
            ("author", q(self.user() if defect != "user" else "@nobody-at-all")),
            ("date", q(d.day.isoformat()) if defect != "date" else q(d.day.strftime("%Y-%m-%d") + "x")),
            ("reviewers", [q(u) for u in self.userlist(1, 4)]),
            ("tags", r.sample(TAGS, r.randint(1, 3))),
        ]
        if defect == "missing-field":
            fields = [f for f in fields if f[0] != "author"]
        if defect == "ref":
            d.decl.setdefault("related", []).append(_Missing(d))
        fm = self.frontmatter(d, fields)
        parts = [fm]
        if r.random() < 0.5:
            parts.append("\n# Context\n\n" + self.paras(r.randint(1, 3)) + self.mention(d) + "\n")
            ment = ""
        else:
            ment = self.mention(d)
        if defect != "section":
            parts.append("\n# Decision\n\n" + self.paras(r.randint(2, 5)) + ment + "\n")
        parts.append("\n# Consequences\n\n" + self.para(2, 5) + "\n\n## Positive\n\n"
                     + self.bullets(2, 5) + "\n")
        if r.random() < 0.8:
            parts.append("\n## Negative\n\n" + self.bullets(1, 4) + "\n")
        if r.random() < 0.7:
            rows = ["| Option | Score | Notes |\n|--------|-------|-------|\n"]
            for _ in range(r.randint(2, 6)):
                rows.append("| %s | %d | %s |\n" % (r.choice(TECH), r.randint(1, 10),
                                                      r.choice(self.pools["sentences"]).rstrip(".")))
            parts.append("\n# Alternatives Considered\n\n" + "".join(rows))
        if d.large:
            parts.append("\n# Appendix: Evaluation\n\n" + self.pad_to(parts, 50000, d.day) + "\n")
        return "".join(parts)

    # -- opportunity ------------------------------------------------------

    def opp(self, d):
        r = self.rng
        defect = d.defect
        x = r.random()
        status = ("draft" if x < 0.1 else "proposed" if x < 0.3 else "exploring" if x < 0.45
                  else "committed" if x < 0.65 else "delivered" if x < 0.85
                  else "parked" if x < 0.95 else "rejected")
        title = r.choice(OPPS).format(a=r.choice(TECH), b=r.choice(SYSTEMS))
        title = title[0].upper() + title[1:]
        sizes = ("xs", "s", "m", "l", "xl")
        fields = [
            ("type", "opp"),
            ("title", title),
            ("status", status if defect != "enum" else "someday"),
            ("owner", q(self.user() if defect != "user" else "@nobody-at-all")),
            ("date", q(d.day.isoformat()) if defect != "date" else q("2025-02-30")),
            ("priority", r.choice(("critical", "high", "medium", "low"))),
            ("effort", r.choice(sizes)),
            ("impact", r.choice(sizes)),
            ("stakeholders", [q(u) for u in self.userlist(1, 4)]),
        ]
        if defect == "missing-field":
            fields = [f for f in fields if f[0] != "owner"]
        if defect == "ref":
            d.decl.setdefault("related", []).append(_Missing(d))
        fm = self.frontmatter(d, fields)
        parts = [fm,
                 "\n# Problem\n\n" + self.paras(r.randint(1, 3)) + self.mention(d) + "\n",
                 "\n# Proposed Solution\n\n" + self.paras(r.randint(2, 4)) + "\n\n"
                 + self.bullets(2, 5) + "\n"]
        if defect != "section":
            parts.append("\n# Success Criteria\n\n" + self.bullets(3, 7) + "\n")
        if r.random() < 0.7:
            rows = ["| Risk | Likelihood | Impact | Mitigation |\n"
                    "|------|------------|--------|------------|\n"]
            for _ in range(r.randint(1, 5)):
                rows.append("| %s | %s | %s | %s |\n" % (
                    r.choice(RISKS), r.choice(LEVELS), r.choice(LEVELS),
                    r.choice(self.pools["actions"])))
            parts.append("\n# Risks\n\n" + "".join(rows))
        if r.random() < 0.5:
            parts.append("\n# Open Questions\n\n" + self.bullets(2, 5) + "\n")
        if d.mentions and r.random() < 0.6:
            parts.append("\n# References\n\n" + "\n".join(
                "- " + md_link(d, m) for m in d.mentions[:6]) + "\n")
        if d.large:
            parts.append("\n# Appendix: Estimates\n\n" + self.pad_to(parts, 50000, d.day) + "\n")
        return "".join(parts)

    # -- governance -------------------------------------------------------

    def gov(self, d):
        r = self.rng
        defect = d.defect
        x = r.random()
        status = ("active" if x < 0.7 else "draft" if x < 0.8 else "review" if x < 0.88
                  else "retired" if x < 0.95 else "superseded")
        eff = d.day
        if status == "active":
            review = TODAY + dt.timedelta(days=r.randint(30, 700))
        else:
            review = eff + dt.timedelta(days=r.randint(90, 730))
        title = r.choice(GOVS).format(a=r.choice(GOV_TOPICS))
        fields = [
            ("type", "gov"),
            ("title", title),
            ("status", status if defect != "enum" else "enforced"),
            ("owner", q(self.user() if defect != "user" else "@nobody-at-all")),
            ("approver", q(self.user())),
            ("effective_date", q(eff.isoformat())),
            ("review_date", q(review.isoformat()) if defect != "date" else q("next year")),
            ("category", d.category),
            ("audience", r.sample(TEAMS, r.randint(1, 4))),
            ("tags", r.sample(TAGS, r.randint(1, 3))),
        ]
        if defect == "missing-field":
            fields = [f for f in fields if f[0] != "category"]
        if defect == "ref":
            d.decl.setdefault("related", []).append(_Missing(d))
        fm = self.frontmatter(d, fields)
        parts = [fm,
                 "\n# Purpose\n\n" + self.para(3, 7) + self.mention(d) + "\n",
                 "\n# Scope\n\n" + self.paras(r.randint(1, 3)) + "\n"]
        if defect != "section":
            parts.append("\n# Policy\n\n" + "\n".join(
                "%d. %s" % (k + 1, s) for k, s in enumerate(
                    r.choices(self.pools["sentences"], k=r.randint(4, 12)))) + "\n")
        parts.append("\n# Compliance\n\n## Requirements\n\n" + self.bullets(2, 4)
                     + "\n\n## Exceptions\n\n" + self.para(1, 3) + "\n")
        rows = ["| Role | Responsibility |\n|------|----------------|\n"]
        for role in r.sample(ROLES, r.randint(2, 5)):
            rows.append("| %s | %s |\n" % (role, r.choice(self.pools["sentences"]).rstrip(".")))
        parts.append("\n# Roles and Responsibilities\n\n" + "".join(rows))
        rows = ["| Date | Reviewer | Changes |\n|------|----------|---------|\n"]
        day = eff
        for k in range(r.randint(1, 4)):
            rev = self.user()
            if defect == "cell" and k == 0:
                rev = rev[1:]  # a handle without its '@'
            rows.append("| %s | %s | %s |\n" % (day.isoformat(), rev,
                                                r.choice(self.pools["sentences"]).rstrip(".")))
            day = min(TODAY, day + dt.timedelta(days=r.randint(30, 400)))
        parts.append("\n# Review History\n\n" + "".join(rows))
        if d.large:
            parts.append("\n# Appendix: Background\n\n" + self.pad_to(parts, 50000, d.day) + "\n")
        return "".join(parts)


class _Missing:
    """A ref to a document that does not exist (the 'ref' defect)."""

    def __init__(self, d):
        self.id = "%s-9%s" % (d.type.upper(), "9" * 7)
        self.path = "nowhere/%s.md" % self.id.lower()


DEFECTS = {
    "inc": ("missing-field", "enum", "ref", "date", "timeline", "user", "cell",
            "section", "duration"),
    "adr": ("missing-field", "enum", "ref", "date", "user", "section"),
    "opp": ("missing-field", "enum", "ref", "date", "user", "section"),
    "gov": ("missing-field", "enum", "ref", "date", "user", "cell", "section"),
}


_STATE = None


def _render_part(part):
    """Render and write every document whose index is part[0] mod part[1]."""
    k, step = part
    out, seed, docs, w = _STATE
    total = 0
    counts = dict.fromkeys(("inc", "adr", "opp", "gov"), 0)
    for d in docs[k::step]:
        w.rng = w.c.rng = Rng((seed << 32) | d.i)
        data = getattr(w, d.type)(d).encode("utf-8")
        fd = os.open(os.path.join(out, d.path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        total += len(data)
        counts[d.type] += 1
    return total, counts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="the folder to write (created)")
    ap.add_argument("--count", type=int, required=True, help="number of documents")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--defects", type=float, default=0.0,
                    help="fraction of documents to make defective (default 0)")
    ap.add_argument("--jobs", type=int, default=0,
                    help="processes that write (default: one per core; the output is the same)")
    ap.add_argument("--force", action="store_true",
                    help="replace DIR if it holds an earlier corpus of gen.py")
    a = ap.parse_args(argv)
    if a.count < 1:
        ap.error("--count must be at least 1")
    if not 0.0 <= a.defects <= 1.0:
        ap.error("--defects must be between 0 and 1")

    out = a.out
    if os.path.exists(out) and os.listdir(out):
        if not a.force:
            ap.error("%s is not empty (--force replaces an earlier corpus)" % out)
        if not os.path.exists(os.path.join(out, MARKER)):
            ap.error("%s is not empty and not a corpus of gen.py: not replacing it" % out)
        shutil.rmtree(out)
    os.makedirs(out, exist_ok=True)

    rng = Rng(a.seed)
    width = max(3, len(str(a.count)))
    pools = build_pools(rng)
    nusers = max(30, min(3000, a.count // 20))
    users, users_yaml = make_users(rng, nusers)
    docs = plan(rng, a.count, width)

    # Defects come from a generator of their own, so every other document
    # is byte-identical to the clean corpus of the same seed.
    ndef = int(round(a.defects * a.count))
    injected = {}
    if ndef:
        drng = Rng("defects-%d" % a.seed)
        for d in drng.sample(docs, ndef):
            d.defect = drng.choice(DEFECTS[d.type])
            injected[d.defect] = injected.get(d.defect, 0) + 1

    # Folders first, then the documents, rendered by a few processes: each
    # document draws from a generator seeded by (seed, index) alone, so the
    # bytes do not depend on --jobs, and a defect in one document cannot
    # shift the text of another.
    for folder in sorted({os.path.dirname(d.path) for d in docs}):
        os.makedirs(os.path.join(out, folder), exist_ok=True)
    global _STATE
    _STATE = (out, a.seed, docs, Writer(rng, pools, users))
    jobs = max(1, min(a.jobs or os.cpu_count() or 1, 64))
    if jobs > 1 and (a.jobs or len(docs) >= 2000):
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_render_part, [(k, jobs) for k in range(jobs)])
    else:
        results = [_render_part((0, 1))]
    total = sum(r[0] for r in results)
    counts = dict.fromkeys(("inc", "adr", "opp", "gov"), 0)
    for _, c in results:
        for t, v in c.items():
            counts[t] += v
    with open(os.path.join(out, "users.yaml"), "w", encoding="utf-8", newline="\n") as f:
        f.write(users_yaml)
    with open(os.path.join(out, MARKER), "w", encoding="utf-8", newline="\n") as f:
        f.write("gen.py version=%d count=%d seed=%d defects=%r\n"
                % (GEN_VERSION, a.count, a.seed, a.defects))

    print("wrote %d documents (%s) and users.yaml (%d users) to %s: %.1f MB, mean %.1f KB"
          % (a.count, ", ".join("%s %d" % kv for kv in counts.items()), len(users), out,
             total / 1e6, total / a.count / 1e3))
    if a.defects:
        print("injected %d defective documents (%s)" % (
            ndef, ", ".join("%s %d" % (k, injected[k]) for k in sorted(injected)) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
