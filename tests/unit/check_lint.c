/* check_lint.c - pm_lint_corpus end to end: every finding code, each from a
 * minimal valid document (which must raise nothing) changed in one place,
 * with its exact line, column, severity and message.
 *
 * Each test writes its documents into a fresh folder, loads them as a
 * corpus, loads the default schema ($PM_SCHEMA_DIR, else
 * $PM_SOURCE_ROOT/schema) and lints with `today` fixed at 2025-03-01 and the
 * folder as the docs root.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "codes.h"
#include "corpus.h"
#include "error.h"
#include "schema.h"
#include "testutil.h"
#include "timeutil.h"
#include "users.h"
#include "validate.h"

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define ERR PM_SEV_ERROR
#define WARN PM_SEV_WARNING

/* ---- the minimal valid documents ---------------------------------------- */

/* The comments are file lines: expected positions below count on them. */
static const char inc_base[] =
	"---\n"						/*  1 */
	"type: inc\n"					/*  2 */
	"title: Connection pool exhausted\n"		/*  3 */
	"status: resolved\n"				/*  4 */
	"severity: sev2\n"				/*  5 */
	"commander: \"@alice\"\n"			/*  6 */
	"started_at: \"2025-01-20T14:32:00Z\"\n"	/*  7 */
	"resolved_at: \"2025-01-20T16:05:00Z\"\n"	/*  8 */
	"duration_minutes: 93\n"			/*  9 */
	"affected_systems: [api-gateway]\n"		/* 10 */
	"customer_impact: degraded\n"			/* 11 */
	"---\n"						/* 12 */
	"\n"						/* 13 */
	"# Summary\n"					/* 14 */
	"\n"						/* 15 */
	"The pool ran dry.\n"				/* 16 */
	"\n"						/* 17 */
	"# Impact\n"					/* 18 */
	"\n"						/* 19 */
	"Slow requests.\n"				/* 20 */
	"\n"						/* 21 */
	"# Timeline\n"					/* 22 */
	"\n"						/* 23 */
	"| Time | Event |\n"				/* 24 */
	"|------|-------|\n"				/* 25 */
	"| 14:32 | Alert fired |\n"			/* 26 */
	"| 14:50 | Cause found |\n"			/* 27 */
	"| 15:10 | Fix deployed |\n"			/* 28 */
	"| 16:05 | Resolved |\n"				/* 29 */
	"\n"						/* 30 */
	"# Root Cause\n"				/* 31 */
	"\n"						/* 32 */
	"A leaked connection.\n"			/* 33 */
	"\n"						/* 34 */
	"# Resolution\n"				/* 35 */
	"\n"						/* 36 */
	"Restarted the pool.\n"				/* 37 */
	"\n"						/* 38 */
	"# Action Items\n"				/* 39 */
	"\n"						/* 40 */
	"| Action | Owner | Due | Status |\n"		/* 41 */
	"|--------|-------|-----|--------|\n"		/* 42 */
	"| Add a leak check | @alice | 2025-03-10 | pending |\n"; /* 43 */
/* Columns of line 43: Action 3, Owner 22, Due 31, Status 44. */
#define ITEM_ROW "| Add a leak check | @alice | 2025-03-10 | pending |"

static const char adr_base[] =
	"---\n"						/*  1 */
	"type: adr\n"					/*  2 */
	"title: Use pooled connections\n"		/*  3 */
	"status: accepted\n"				/*  4 */
	"author: \"@alice\"\n"				/*  5 */
	"date: \"2025-01-10\"\n"			/*  6 */
	"---\n"						/*  7 */
	"\n"						/*  8 */
	"# Decision\n"					/*  9 */
	"\n"						/* 10 */
	"Pool connections.\n"				/* 11 */
	"\n"						/* 12 */
	"# Consequences\n"				/* 13 */
	"\n"						/* 14 */
	"## Positive\n"					/* 15 */
	"\n"						/* 16 */
	"Fewer connections.\n";				/* 17 */

static const char opp_base[] =
	"---\n"						/*  1 */
	"type: opp\n"					/*  2 */
	"title: Cache query results\n"			/*  3 */
	"status: proposed\n"				/*  4 */
	"owner: \"@alice\"\n"				/*  5 */
	"date: \"2025-01-15\"\n"			/*  6 */
	"---\n"						/*  7 */
	"\n"						/*  8 */
	"# Problem\n"					/*  9 */
	"\n"						/* 10 */
	"Queries are slow.\n"				/* 11 */
	"\n"						/* 12 */
	"# Proposed Solution\n"				/* 13 */
	"\n"						/* 14 */
	"Cache them.\n"					/* 15 */
	"\n"						/* 16 */
	"# Success Criteria\n"				/* 17 */
	"\n"						/* 18 */
	"p99 under 100 ms.\n";				/* 19 */

static const char gov_base[] =
	"---\n"						/*  1 */
	"type: gov\n"					/*  2 */
	"title: Access policy\n"			/*  3 */
	"status: active\n"				/*  4 */
	"owner: \"@alice\"\n"				/*  5 */
	"effective_date: \"2025-01-01\"\n"		/*  6 */
	"review_date: \"2025-06-01\"\n"			/*  7 */
	"category: policy\n"				/*  8 */
	"audience: [engineering]\n"			/*  9 */
	"---\n"						/* 10 */
	"\n"						/* 11 */
	"# Purpose\n"					/* 12 */
	"\n"						/* 13 */
	"Why access is limited.\n"			/* 14 */
	"\n"						/* 15 */
	"# Scope\n"					/* 16 */
	"\n"						/* 17 */
	"Every production system.\n"			/* 18 */
	"\n"						/* 19 */
	"# Policy\n"					/* 20 */
	"\n"						/* 21 */
	"Least privilege.\n";				/* 22 */

/* A relation added as frontmatter line 12 of an incident (the closing ---
 * moves to 13); its value starts at column 12. */
#define INC_LAST "customer_impact: degraded\n"
/* A line added as line 7 of a decision record. */
#define ADR_LAST "date: \"2025-01-10\"\n"

static const char users_yaml[] =
	"users:\n"
	"  alice: { name: Alice }\n"
	"  karol: { name: Karol }\n"
	"teams:\n"
	"  platform: { name: Platform }\n";

/* ---- the fixture -------------------------------------------------------- */

static char *tmpdir;		/* the docs root */
static char *extra_dir;		/* a second schema folder, when a test makes one */
static struct pm_arena arena;
static struct pm_diags diags;	/* the findings of the last run_lint() */
static struct pm_diags setup_diags;
static struct pm_corpus corpus;
static struct pm_schema *schema;
static struct pm_users *users;

static void setup(void)
{
	tmpdir = tu_make_temp_dir();
	extra_dir = NULL;
	pm_arena_init(&arena);
	pm_diags_init(&diags, &arena);
	pm_diags_init(&setup_diags, &arena);
	pm_corpus_init(&corpus);
	schema = NULL;
	users = NULL;
}

static void teardown(void)
{
	pm_corpus_release(&corpus);
	pm_schema_free(schema);
	pm_users_free(users);
	schema = NULL;
	users = NULL;
	pm_arena_release(&arena);
	tu_remove_tree(tmpdir);
	free(tmpdir);
	tmpdir = NULL;
	if (extra_dir) {
		tu_remove_tree(extra_dir);
		free(extra_dir);
		extra_dir = NULL;
	}
}

/* Writes text to dir/rel, creating the folders on the way. */
static void write_in(const char *dir, const char *rel, const char *text)
{
	char *path = tu_path(dir, rel);
	for (char *p = path + strlen(dir) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		ck_assert_msg(mkdir(path, 0700) == 0 || errno == EEXIST, "mkdir %s: %s", path,
			      strerror(errno));
		*p = '/';
	}
	tu_write_file(path, text);
	free(path);
}

/* Writes a document (or users.yaml) into the docs root. */
static void put(const char *rel, const char *text)
{
	write_in(tmpdir, rel, text);
}

/* Writes a schema file into the second schema folder, which then replaces
 * the default folder's file of the same name. */
static void put_schema(const char *name, const char *text)
{
	if (!extra_dir)
		extra_dir = tu_make_temp_dir();
	write_in(extra_dir, name, text);
}

/* base with each pair (old, new) of the NULL-terminated list replaced, the
 * first occurrence of old each time; old must occur.  The caller frees. */
static char *derive_v(const char *base, va_list ap)
{
	char *text = strdup(base);
	ck_assert_ptr_nonnull(text);
	for (const char *old; (old = va_arg(ap, const char *));) {
		const char *repl = va_arg(ap, const char *);
		char *at = strstr(text, old);
		ck_assert_msg(at != NULL, "test bug: '%s' is not in the base document", old);
		size_t head = (size_t)(at - text), ol = strlen(old), nl = strlen(repl);
		size_t tail = strlen(at + ol);
		char *out = malloc(head + nl + tail + 1);
		ck_assert_ptr_nonnull(out);
		memcpy(out, text, head);
		memcpy(out + head, repl, nl);
		memcpy(out + head + nl, at + ol, tail + 1);
		free(text);
		text = out;
	}
	return text;
}

/* Writes base, changed by the (old, new) pairs that follow, to rel. */
static void put_derived(const char *rel, const char *base, ...)
{
	va_list ap;
	va_start(ap, base);
	char *text = derive_v(base, ap);
	va_end(ap);
	put(rel, text);
	free(text);
}

static const char *schema_dir(void)
{
	static char buf[4096];
	const char *dir = getenv("PM_SCHEMA_DIR");
	if (dir && *dir)
		return dir;
	const char *src = getenv("PM_SOURCE_ROOT");
	ck_assert_msg(src && *src, "neither PM_SCHEMA_DIR nor PM_SOURCE_ROOT is set");
	snprintf(buf, sizeof(buf), "%s/schema", src);
	return buf;
}

/* Lints the docs root as `pmtool lint` would; the findings land in diags. */
static void run_lint(void)
{
	struct pm_error err = { 0 };
	const char *dirs[2] = { schema_dir(), extra_dir };
	int rc = pm_schema_load(&schema, dirs, extra_dir ? 2 : 1, &setup_diags, &err);
	ck_assert_msg(rc == 0 && setup_diags.n == 0, "schema did not load (%d): %s; %s", rc,
		      err.msg, setup_diags.n ? setup_diags.items[0].message : "");
	char *users_path = tu_path(tmpdir, "users.yaml");
	if (access(users_path, F_OK) == 0) {
		rc = pm_users_load(&users, users_path, &setup_diags, &err);
		ck_assert_msg(rc == 0, "users file did not load: %s", err.msg);
	}
	free(users_path);
	struct pm_parse_opts opts;
	pm_parse_opts_default(&opts);
	ck_assert_int_eq(pm_corpus_add_path(&corpus, tmpdir, &opts, &err), 0);
	ck_assert_int_eq(pm_corpus_finish(&corpus, &err), 0);
	struct pm_lint_ctx ctx = {
		.schema = schema,
		.users = users,
		.today = pm_days_from_civil(2025, 3, 1),	/* "today is 2025-03-01" */
		.root = tmpdir,
	};
	rc = pm_lint_corpus(&corpus, &ctx, &diags, &err);
	ck_assert_msg(rc == 0, "pm_lint_corpus returned %d: %s", rc, err.msg);
}

/* Every finding, one a line, for failure messages (static storage). */
static const char *dump(void)
{
	static char buf[8192];
	size_t n = 0;
	buf[0] = '\0';
	size_t root_len = strlen(tmpdir) + 1;
	for (size_t i = 0; i < diags.n && n < sizeof(buf) - 1; i++) {
		const struct pm_diag *d = &diags.items[i];
		const char *p = strncmp(d->path, tmpdir, root_len - 1) ? d->path
			      : d->path + root_len;
		int w = snprintf(buf + n, sizeof(buf) - n, "\n  %s:%u:%u: %s[%s]: %s%s%s", p,
				 (unsigned)d->line, (unsigned)d->col,
				 pm_severity_name(d->severity), d->code, d->message,
				 d->hint ? " | hint: " : "", d->hint ? d->hint : "");
		if (w < 0)
			break;
		n += (size_t)w;
	}
	return diags.n ? buf : " (none)";
}

/* True when d's path is the docs root's file rel. */
static bool in_file(const struct pm_diag *d, const char *rel)
{
	size_t rn = strlen(tmpdir);
	return !strncmp(d->path, tmpdir, rn) && d->path[rn] == '/' &&
	       !strcmp(d->path + rn + 1, rel);
}

/* Asserts a finding with code in file rel at exactly line:col, of severity
 * sev, whose message holds msg; returns it for a look at its hint. */
static const struct pm_diag *expect_at(const char *rel, const char *code, uint32_t line,
				       uint32_t col, enum pm_severity sev, const char *msg)
{
	const struct pm_diag *d = NULL;
	for (size_t i = 0; i < diags.n && !d; i++)
		if (!strcmp(diags.items[i].code, code) && in_file(&diags.items[i], rel) &&
		    diags.items[i].line == line && diags.items[i].col == col)
			d = &diags.items[i];
	ck_assert_msg(d != NULL, "no %s at %s:%u:%u; findings:%s", code, rel, (unsigned)line,
		      (unsigned)col, dump());
	ck_assert_msg(d->severity == sev, "%s at %s:%u:%u is a %s, expected a %s", code, rel,
		      (unsigned)line, (unsigned)col, pm_severity_name(d->severity),
		      pm_severity_name(sev));
	ck_assert_msg(strstr(d->message, msg) != NULL, "%s message '%s' lacks '%s'", code,
		      d->message, msg);
	/* The finding carries its code's documented default severity. */
	const struct pm_code_info *info = pm_code_lookup(code);
	ck_assert_ptr_nonnull(info);
	ck_assert_int_eq(info->severity, sev);
	return d;
}

static void expect_hint(const struct pm_diag *d, const char *has)
{
	ck_assert_msg(d->hint != NULL, "%s '%s' has no hint, expected '%s'", d->code,
		      d->message, has);
	ck_assert_msg(strstr(d->hint, has) != NULL, "%s hint '%s' lacks '%s'", d->code, d->hint,
		      has);
}

static void expect_none(const char *code)
{
	size_t n = tu_count_diag(&diags, code);
	ck_assert_msg(n == 0, "expected no %s, got %zu; findings:%s", code, n, dump());
}

static void expect_count(const char *code, size_t want)
{
	size_t n = tu_count_diag(&diags, code);
	ck_assert_msg(n == want, "expected %zu %s, got %zu; findings:%s", want, code, n, dump());
}

static void expect_clean(void)
{
	ck_assert_msg(diags.n == 0, "expected no findings; got:%s", dump());
}

/* ---- clean documents ---------------------------------------------------- */

static const struct {
	const char *file;
	const char *text;
} clean_docs[] = {
	{ "inc-001.md", inc_base },
	{ "adr-001.md", adr_base },
	{ "opp-001.md", opp_base },
	{ "gov-001.md", gov_base },
};

START_TEST(clean_document_raises_nothing)
{
	put(clean_docs[_i].file, clean_docs[_i].text);
	run_lint();
	ck_assert_uint_eq(corpus.ndocs, 1);
	expect_clean();
}
END_TEST

START_TEST(clean_corpus_raises_nothing)
{
	for (int i = 0; i < NCASES(clean_docs); i++)
		put(clean_docs[i].file, clean_docs[i].text);
	put("users.yaml", users_yaml);
	run_lint();
	ck_assert_uint_eq(corpus.ndocs, 4);
	ck_assert_ptr_nonnull(users);
	expect_clean();
}
END_TEST

/* ---- one change, one finding -------------------------------------------- */

struct lint_case {
	const char *name;
	const char *file;
	const char *base;
	const char *old, *repl;		/* the change (first occurrence) */
	const char *code;
	uint32_t line, col;
	enum pm_severity sev;
	const char *msg;		/* a part of the message */
	const char *hint;		/* a part of the hint; NULL: not checked */
};

static void run_case(const struct lint_case *c)
{
	put_derived(c->file, c->base, c->old, c->repl, (const char *)NULL);
	run_lint();
	const struct pm_diag *d = expect_at(c->file, c->code, c->line, c->col, c->sev, c->msg);
	if (c->hint)
		expect_hint(d, c->hint);
}

/* The file itself: PM101-PM106. */
static const struct lint_case parse_cases[] = {
	{ "no frontmatter", "inc-001.md", inc_base, "---\ntype: inc\n", "type: inc\n",
	  PM_C_NO_FRONTMATTER, 1, 1, ERR, "no frontmatter", "add a block" },
	{ "unterminated", "inc-001.md", inc_base, "customer_impact: degraded\n---\n",
	  "customer_impact: degraded\n", PM_C_UNTERMINATED_FRONTMATTER, 1, 1, ERR,
	  "never closed", "'---'" },
	{ "yaml syntax", "inc-001.md", inc_base, "title: Connection pool exhausted",
	  "title: pool: exhausted", PM_C_YAML_SYNTAX, 3, 12, ERR,
	  "mapping values are not allowed", NULL },
	{ "not a mapping", "inc-001.md", inc_base,
	  "type: inc\ntitle: Connection pool exhausted\nstatus: resolved\nseverity: sev2\n"
	  "commander: \"@alice\"\nstarted_at: \"2025-01-20T14:32:00Z\"\n"
	  "resolved_at: \"2025-01-20T16:05:00Z\"\nduration_minutes: 93\n"
	  "affected_systems: [api-gateway]\ncustomer_impact: degraded\n",
	  "- inc\n", PM_C_NOT_MAPPING, 2, 1, ERR, "is a sequence, not a mapping", NULL },
	{ "duplicate key", "inc-001.md", inc_base, "severity: sev2", "title: Again",
	  PM_C_DUPLICATE_KEY, 5, 1, ERR, "title", NULL },
	{ "invalid utf-8", "inc-001.md", inc_base, "The pool ran dry.",
	  "The pool ran \xff dry.", PM_C_INVALID_UTF8, 16, 14, ERR, "0xff", "UTF-8" },
};

START_TEST(parse_finding)
{
	run_case(&parse_cases[_i]);
}
END_TEST

/* Identity: PM201-PM205 (PM203 needs two files: its own test). */
static const struct lint_case identity_cases[] = {
	{ "type missing", "inc-001.md", inc_base, "type: inc\n", "", PM_C_MISSING_TYPE, 1, 1,
	  ERR, "missing 'type' field", "inc" },
	{ "type empty", "inc-001.md", inc_base, "type: inc\n", "type:\n", PM_C_MISSING_TYPE, 2,
	  1, ERR, "missing 'type' field", "adr" },
	{ "type unknown", "inc-001.md", inc_base, "type: inc", "type: incident",
	  PM_C_UNKNOWN_TYPE, 2, 7, ERR, "unknown type 'incident'", "allowed values" },
	{ "type case", "inc-001.md", inc_base, "type: inc", "type: INC", PM_C_UNKNOWN_TYPE, 2,
	  7, ERR, "unknown type 'INC'", "did you mean 'inc'" },
	{ "id prefix from field", "inc-001.md", inc_base, "type: inc\n",
	  "type: inc\nid: ADR-001\n", PM_C_ID_PREFIX, 3, 5, ERR,
	  "ID 'ADR-001' does not start with INC-", "fix 'type'" },
	{ "id prefix from file name", "adr-007.md", inc_base, "", "", PM_C_ID_PREFIX, 1, 1,
	  ERR, "ID 'ADR-007' (from the file name) does not start with INC-", NULL },
	{ "id format from field", "inc-001.md", inc_base, "type: inc\n",
	  "type: inc\nid: INC-1A\n", PM_C_ID_FORMAT, 3, 5, ERR,
	  "ID 'INC-1A' does not have the form INC-NNN", "'id: INC-001'" },
	{ "id format from file name", "inc-one.md", inc_base, "", "", PM_C_ID_FORMAT, 1, 1,
	  ERR, "ID 'INC-ONE' (from the file name) does not have the form", NULL },
};

START_TEST(identity_finding)
{
	run_case(&identity_cases[_i]);
}
END_TEST

START_TEST(duplicate_id)
{
	put("inc-001.md", inc_base);
	put_derived("inc-002.md", inc_base, "type: inc\n", "type: inc\nid: INC-001\n",
		    (const char *)NULL);
	run_lint();
	const struct pm_diag *d = expect_at("inc-002.md", PM_C_DUPLICATE_ID, 3, 5, ERR,
					    "duplicate ID 'INC-001': also the ID of ");
	ck_assert_ptr_nonnull(strstr(d->message, "inc-001.md"));
	expect_count(PM_C_DUPLICATE_ID, 1);
}
END_TEST

/* Fields: PM301-PM309 and the user checks PM701/PM702. */
static const struct lint_case field_cases[] = {
	{ "required missing", "inc-001.md", inc_base, "title: Connection pool exhausted\n", "",
	  PM_C_MISSING_FIELD, 1, 1, ERR, "missing required field 'title'",
	  "one line naming what broke" },
	{ "required empty", "inc-001.md", inc_base, "title: Connection pool exhausted",
	  "title:", PM_C_MISSING_FIELD, 3, 1, ERR, "required field 'title' is empty", NULL },
	{ "required empty string", "inc-001.md", inc_base, "title: Connection pool exhausted",
	  "title: \"\"", PM_C_MISSING_FIELD, 3, 1, ERR, "required field 'title' is empty",
	  NULL },
	{ "required enum lists values", "inc-001.md", inc_base, "severity: sev2\n", "",
	  PM_C_MISSING_FIELD, 1, 1, ERR, "missing required field 'severity'",
	  "allowed values: sev1, sev2, sev3, sev4" },
	{ "required when resolved", "inc-001.md", inc_base,
	  "resolved_at: \"2025-01-20T16:05:00Z\"\n", "", PM_C_MISSING_FIELD, 1, 1, ERR,
	  "missing required field 'resolved_at'", "required when status is resolved" },
	{ "string given a list", "inc-001.md", inc_base, "title: Connection pool exhausted",
	  "title: [pool, exhausted]", PM_C_WRONG_TYPE, 3, 8, ERR,
	  "'title' should be string, not sequence", NULL },
	{ "string given a number", "adr-001.md", adr_base, "title: Use pooled connections",
	  "title: 42", PM_C_WRONG_TYPE, 3, 8, ERR, "'title' should be string, not integer",
	  "quote it: \"42\"" },
	{ "integer given a string", "inc-001.md", inc_base, "duration_minutes: 93",
	  "duration_minutes: ninety", PM_C_WRONG_TYPE, 9, 19, ERR,
	  "'duration_minutes' should be integer, not string", NULL },
	{ "list given a scalar", "inc-001.md", inc_base, "affected_systems: [api-gateway]",
	  "affected_systems: api-gateway", PM_C_WRONG_TYPE, 10, 19, ERR,
	  "'affected_systems' should be string[], not string", "write a list" },
	{ "list item not a string", "inc-001.md", inc_base, "affected_systems: [api-gateway]",
	  "affected_systems: [api-gateway, 42]", PM_C_WRONG_TYPE, 10, 33, ERR,
	  "'affected_systems' items should be string, not integer", "quote it: \"42\"" },
	{ "enum lists values", "inc-001.md", inc_base, "severity: sev2", "severity: sev5",
	  PM_C_INVALID_ENUM, 5, 11, ERR, "'severity' value 'sev5' is not allowed",
	  "allowed values: sev1, sev2, sev3, sev4" },
	{ "enum is case-sensitive", "adr-001.md", adr_base, "status: accepted",
	  "status: Accepted", PM_C_INVALID_ENUM, 4, 9, ERR,
	  "'status' value 'Accepted' is not allowed", "did you mean 'accepted'" },
	{ "enum typo", "inc-001.md", inc_base, "customer_impact: degraded",
	  "customer_impact: degradd", PM_C_INVALID_ENUM, 11, 18, ERR,
	  "'customer_impact' value 'degradd' is not allowed", "did you mean 'degraded'?" },
	{ "date not a day", "adr-001.md", adr_base, "date: \"2025-01-10\"",
	  "date: \"2025-02-30\"", PM_C_INVALID_DATE, 6, 7, ERR,
	  "'date' is not a valid date: '2025-02-30'", "no such day in the calendar" },
	{ "date unquoted", "adr-001.md", adr_base, "date: \"2025-01-10\"",
	  "date: 2025-1-10", PM_C_INVALID_DATE, 6, 7, ERR,
	  "'date' is not a valid date: '2025-1-10'", "write YYYY-MM-DD" },
	{ "datetime without zone", "inc-001.md", inc_base, "\"2025-01-20T14:32:00Z\"",
	  "\"2025-01-20T14:32:00\"", PM_C_INVALID_DATETIME, 7, 13, ERR,
	  "'started_at' is not an ISO 8601 datetime with a zone: '2025-01-20T14:32:00'",
	  "2025-01-20T16:32:00+02:00" },
	{ "datetime bad month", "inc-001.md", inc_base, "\"2025-01-20T14:32:00Z\"",
	  "\"2025-13-20T14:32:00Z\"", PM_C_INVALID_DATETIME, 7, 13, ERR,
	  "'2025-13-20T14:32:00Z'", NULL },
	{ "unknown field", "inc-001.md", inc_base, "severity: sev2\n",
	  "severity: sev2\nseverty: sev2\n", PM_C_UNKNOWN_FIELD, 6, 1, WARN,
	  "unknown field 'severty' for type inc", "did you mean 'severity'?" },
	{ "unknown relation typo", "inc-001.md", inc_base, INC_LAST,
	  INC_LAST "caused_bye: ADR-001\n", PM_C_UNKNOWN_FIELD, 12, 1, WARN,
	  "unknown field 'caused_bye'", "did you mean 'caused_by'?" },
	{ "below min", "inc-001.md", inc_base, "duration_minutes: 93", "duration_minutes: -5",
	  PM_C_OUT_OF_RANGE, 9, 19, ERR, "'duration_minutes' is -5, outside the allowed range",
	  "allowed: 0 or more" },
	{ "too few items", "inc-001.md", inc_base, "affected_systems: [api-gateway]",
	  "affected_systems: []", PM_C_TOO_FEW_ITEMS, 10, 1, ERR,
	  "'affected_systems' needs at least 1 item, has 0", NULL },
	{ "user without @", "inc-001.md", inc_base, "commander: \"@alice\"",
	  "commander: onni", PM_C_USER_FORMAT, 6, 12, ERR,
	  "commander 'onni' is not a @handle", "write \"@onni\"" },
	{ "user list item without @", "adr-001.md", adr_base, ADR_LAST,
	  ADR_LAST "reviewers: [\"@bob\", carol]\n", PM_C_USER_FORMAT, 7, 21, ERR,
	  "reviewers 'carol' is not a @handle", "write \"@carol\"" },
	{ "user bad characters", "inc-001.md", inc_base, "commander: \"@alice\"",
	  "commander: \"@al ice\"", PM_C_USER_FORMAT, 6, 12, ERR,
	  "commander '@al ice' is not a @handle", "write @handle or @team/name" },
};

START_TEST(field_finding)
{
	run_case(&field_cases[_i]);
}
END_TEST

START_TEST(required_when_not_required)
{
	/* status investigating: resolved_at may be absent, and no rule guesses. */
	put_derived("inc-001.md", inc_base, "status: resolved", "status: investigating",
		    "resolved_at: \"2025-01-20T16:05:00Z\"\n", "", (const char *)NULL);
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(required_when_postmortem)
{
	put_derived("inc-001.md", inc_base, "status: resolved", "status: postmortem",
		    "resolved_at: \"2025-01-20T16:05:00Z\"", "resolved_at:", (const char *)NULL);
	run_lint();
	const struct pm_diag *d = expect_at("inc-001.md", PM_C_MISSING_FIELD, 8, 1, ERR,
					    "required field 'resolved_at' is empty");
	expect_hint(d, "required when status is postmortem");
}
END_TEST

START_TEST(unknown_user)
{
	put("users.yaml", users_yaml);
	put_derived("inc-001.md", inc_base, "commander: \"@alice\"", "commander: \"@carol\"",
		    INC_LAST, INC_LAST "responders: [\"@alice\", \"@zed\", \"@team/platform\"]\n",
		    (const char *)NULL);
	run_lint();
	const struct pm_diag *d = expect_at("inc-001.md", PM_C_UNKNOWN_USER, 6, 12, ERR,
					    "commander '@carol' is not in the users file");
	expect_hint(d, "did you mean '@karol'?");
	/* No handle is close to zed: the hint names the file to add it to. */
	d = expect_at("inc-001.md", PM_C_UNKNOWN_USER, 12, 24, ERR,
		      "responders '@zed' is not in the users file");
	expect_hint(d, "add 'zed' to ");
	expect_hint(d, "users.yaml");
	expect_count(PM_C_UNKNOWN_USER, 2);
}
END_TEST

START_TEST(unknown_user_in_table)
{
	put("users.yaml", users_yaml);
	put_derived("inc-001.md", inc_base, "| @alice | 2025-03-10", "| @karl | 2025-03-10",
		    (const char *)NULL);
	run_lint();
	const struct pm_diag *d = expect_at("inc-001.md", PM_C_UNKNOWN_USER, 43, 22, ERR,
					    "Owner '@karl' is not in the users file");
	expect_hint(d, "did you mean '@karol'?");
	expect_count(PM_C_UNKNOWN_USER, 1);
}
END_TEST

START_TEST(users_are_only_syntax_checked_without_users_file)
{
	put_derived("inc-001.md", inc_base, "commander: \"@alice\"", "commander: \"@nobody\"",
		    (const char *)NULL);
	run_lint();
	expect_clean();
}
END_TEST

/* Positions count lines of the file and code points, whatever the bytes. */
START_TEST(positions_with_crlf_and_bom)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	ck_assert_ptr_nonnull(f);
	fputs("\xef\xbb\xbf", f);
	for (const char *p = inc_base; *p; p++) {
		if (*p == '\n')
			fputc('\r', f);
		fputc(*p, f);
	}
	ck_assert_int_eq(fclose(f), 0);
	put_derived("inc-001.md", text, "severity: sev2", "severity: sev5",
		    "| @alice | 2025-03-10", "| alice | 2025-03-10", (const char *)NULL);
	free(text);
	run_lint();
	expect_at("inc-001.md", PM_C_INVALID_ENUM, 5, 11, ERR, "'sev5'");
	expect_at("inc-001.md", PM_C_INVALID_CELL, 43, 22, ERR, "Owner 'alice'");
	ck_assert_uint_eq(diags.n, 2);
}
END_TEST

START_TEST(positions_count_code_points)
{
	put_derived("inc-001.md", inc_base, "title: Connection pool exhausted",
		    "title: Pool \xc3\xa9puis\xc3\xa9", "affected_systems: [api-gateway]",
		    "affected_systems: [\xc3\xb1-api, 42]", "| Add a leak check | @alice |",
		    "| A\xc3\xb1" "adir | alice |", (const char *)NULL);
	run_lint();
	expect_at("inc-001.md", PM_C_WRONG_TYPE, 10, 27, ERR, "not integer");
	expect_at("inc-001.md", PM_C_INVALID_CELL, 43, 12, ERR, "Owner 'alice'");
	ck_assert_uint_eq(diags.n, 2);
}
END_TEST

/* ---- sections and tables: PM501-PM508 ----------------------------------- */

static const struct lint_case section_cases[] = {
	{ "missing section suggests typo", "inc-001.md", inc_base, "# Root Cause",
	  "# Root Cuase", PM_C_MISSING_SECTION, 14, 1, ERR,
	  "missing required section 'Root Cause'", "did you mean 'Root Cuase'?" },
	{ "missing section without a close heading", "inc-001.md", inc_base, "# Resolution",
	  "# Aftermath", PM_C_MISSING_SECTION, 14, 1, ERR,
	  "missing required section 'Resolution'", "add a heading '# Resolution'" },
	{ "missing nested section", "adr-001.md", adr_base, "## Positive", "## Upside",
	  PM_C_MISSING_SECTION, 13, 1, ERR,
	  "missing required section 'Consequences > Positive'", "'## Positive'" },
	{ "empty section", "inc-001.md", inc_base, "The pool ran dry.", "",
	  PM_C_EMPTY_SECTION, 14, 1, WARN, "required section 'Summary' is empty", NULL },
	{ "missing table", "inc-001.md", inc_base, "|------|-------|", "",
	  PM_C_MISSING_TABLE, 22, 1, ERR, "section 'Timeline' has no table",
	  "| Time | Event | Actor |" },
	{ "missing column", "inc-001.md", inc_base, "| Action | Owner |", "| Action | Who |",
	  PM_C_MISSING_COLUMN, 41, 1, ERR, "table in 'Action Items' has no 'Owner' column",
	  NULL },
	{ "misspelt column", "inc-001.md", inc_base, "| Action | Owner |",
	  "| Action | Ownr |", PM_C_MISSING_COLUMN, 41, 1, ERR,
	  "has no 'Owner' column", "did you mean 'Ownr'?" },
	{ "owner cell without @", "inc-001.md", inc_base, "| @alice |", "| bob |",
	  PM_C_INVALID_CELL, 43, 22, ERR, "Owner 'bob' is not a @handle", "write @bob" },
	{ "due cell not a date", "inc-001.md", inc_base, "2025-03-10", "2025-13-01",
	  PM_C_INVALID_CELL, 43, 31, ERR, "'Due' cell '2025-13-01' is not a date",
	  "YYYY-MM-DD" },
	{ "status cell not allowed", "inc-001.md", inc_base, "| pending |", "| finished |",
	  PM_C_INVALID_CELL, 43, 44, ERR, "'Status' cell 'finished' is not allowed",
	  "allowed values: pending, in-progress, blocked, done, cancelled" },
	{ "status cell case", "inc-001.md", inc_base, "| pending |", "| Done |",
	  PM_C_INVALID_CELL, 43, 44, ERR, "'Status' cell 'Done' is not allowed",
	  "did you mean 'done'?" },
	{ "empty action cell", "inc-001.md", inc_base, "| Add a leak check |", "|  |",
	  PM_C_EMPTY_CELL, 43, 2, ERR, "empty 'Action' cell in a required column", NULL },
	{ "empty time cell", "inc-001.md", inc_base, "| 14:50 | Cause found |",
	  "| | Cause found |", PM_C_EMPTY_CELL, 27, 2, ERR,
	  "empty 'Time' cell in a required column", NULL },
	{ "duplicate heading", "adr-001.md", adr_base, "Fewer connections.\n",
	  "Fewer connections.\n\n## Positive\n\nCheaper.\n", PM_C_DUPLICATE_SECTION, 19, 1,
	  WARN, "duplicate heading 'Positive'", "first used on line 15" },
	{ "duplicate top heading", "inc-001.md", inc_base, ITEM_ROW "\n",
	  ITEM_ROW "\n\n# impact\n\nAgain.\n", PM_C_DUPLICATE_SECTION, 45, 1, WARN,
	  "duplicate heading 'impact'", "first used on line 18" },
	{ "misplaced section", "adr-001.md", adr_base,
	  "# Consequences\n\n## Positive\n\nFewer connections.\n",
	  "## Positive\n\nFewer connections.\n\n# Consequences\n\nMixed.\n",
	  PM_C_MISPLACED_SECTION, 13, 1, ERR,
	  "section 'Positive' belongs under 'Consequences'", "subsection of 'Consequences'" },
};

START_TEST(section_finding)
{
	run_case(&section_cases[_i]);
}
END_TEST

START_TEST(section_headings_match_case_insensitively)
{
	put_derived("inc-001.md", inc_base, "# Root Cause", "# root cause",
		    "| Action | Owner | Due | Status |", "| action | owner | due | status |",
		    (const char *)NULL);
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(missing_section_counts_once)
{
	/* A missing section with a table says so once, not also "no table". */
	put_derived("inc-001.md", inc_base, "# Timeline", "# Chronology", (const char *)NULL);
	run_lint();
	expect_at("inc-001.md", PM_C_MISSING_SECTION, 14, 1, ERR,
		  "missing required section 'Timeline'");
	expect_count(PM_C_MISSING_SECTION, 1);
	expect_none(PM_C_MISSING_TABLE);
	expect_none(PM_C_MISPLACED_SECTION);
}
END_TEST

/* ---- incident, action item and policy rules: PM601-PM609 ---------------- */

static const struct lint_case rule_cases[] = {
	{ "resolved before started", "inc-001.md", inc_base, "\"2025-01-20T16:05:00Z\"",
	  "\"2025-01-20T14:00:00Z\"", PM_C_RESOLVED_BEFORE_START, 8, 14, ERR,
	  "resolved_at 2025-01-20T14:00:00Z is before started_at 2025-01-20T14:32:00Z",
	  "zones included" },
	{ "duration mismatch", "inc-001.md", inc_base, "duration_minutes: 93",
	  "duration_minutes: 90", PM_C_DURATION, 9, 19, ERR,
	  "duration_minutes is 90 but resolved_at - started_at is 93 minutes",
	  "set duration_minutes: 93" },
	{ "duration beyond tolerance above", "inc-001.md", inc_base, "duration_minutes: 93",
	  "duration_minutes: 95", PM_C_DURATION, 9, 19, ERR, "is 95 but", NULL },
	{ "timeline out of order", "inc-001.md", inc_base, "| 15:10 |", "| 14:40 |",
	  PM_C_TIMELINE_ORDER, 28, 3, ERR,
	  "timeline entry '14:40' is earlier than the entry before it", "time order" },
	{ "timeline before started_at", "inc-001.md", inc_base, "| 14:32 |", "| 14:20 |",
	  PM_C_TIMELINE_WINDOW, 26, 3, ERR,
	  "timeline entry '14:20' lies outside started_at..resolved_at",
	  "2025-01-20T14:32:00Z to 2025-01-20T16:05:00Z" },
	{ "timeline after resolved_at", "inc-001.md", inc_base, "| 16:05 |", "| 16:30 |",
	  PM_C_TIMELINE_WINDOW, 29, 3, ERR,
	  "timeline entry '16:30' lies outside started_at..resolved_at", NULL },
	{ "timeline datetime after resolved_at", "inc-001.md", inc_base, "| 16:05 |",
	  "| 2025-01-20T16:30:00Z |", PM_C_TIMELINE_WINDOW, 29, 3, ERR,
	  "'2025-01-20T16:30:00Z' lies outside", NULL },
	{ "timeline time unreadable", "inc-001.md", inc_base, "| 15:10 |", "| 2pm |",
	  PM_C_TIMELINE_TIME, 28, 3, ERR,
	  "timeline time '2pm' is neither HH:MM nor a datetime", "14:32" },
	{ "timeline time out of range", "inc-001.md", inc_base, "| 15:10 |", "| 25:10 |",
	  PM_C_TIMELINE_TIME, 28, 3, ERR, "timeline time '25:10'", NULL },
	{ "due before incident", "inc-001.md", inc_base, "2025-03-10", "2025-01-19",
	  PM_C_DUE_BEFORE_INCIDENT, 43, 31, ERR,
	  "action item due 2025-01-19, before the incident began on 2025-01-20", NULL },
	{ "overdue open item", "inc-001.md", inc_base, "2025-03-10", "2025-02-01",
	  PM_C_OVERDUE, 43, 31, WARN,
	  "action item 'Add a leak check' is 28 days overdue (due 2025-02-01, status pending)",
	  "today is 2025-03-01" },
	{ "overdue by one day", "inc-001.md", inc_base, "2025-03-10", "2025-02-28",
	  PM_C_OVERDUE, 43, 31, WARN, "is 1 day overdue", NULL },
	{ "review not after effective", "gov-001.md", gov_base, "review_date: \"2025-06-01\"",
	  "review_date: \"2025-01-01\"", PM_C_REVIEW_ORDER, 7, 14, ERR,
	  "review_date 2025-01-01 is not after effective_date 2025-01-01", NULL },
	{ "review overdue", "gov-001.md", gov_base, "review_date: \"2025-06-01\"",
	  "review_date: \"2025-02-01\"", PM_C_REVIEW_OVERDUE, 7, 14, WARN,
	  "active policy was due for review on 2025-02-01", "review_date forward" },
};

START_TEST(rule_finding)
{
	run_case(&rule_cases[_i]);
}
END_TEST

/* Changes that must raise nothing at all. */
static const struct {
	const char *name;
	const char *file;
	const char *base;
	const char *old1, *new1, *old2, *new2, *old3, *new3;
} quiet_cases[] = {
	{ "duration within tolerance", "inc-001.md", inc_base, "duration_minutes: 93",
	  "duration_minutes: 94", NULL, NULL, NULL, NULL },
	{ "duration may be absent", "inc-001.md", inc_base, "duration_minutes: 93\n", "",
	  NULL, NULL, NULL, NULL },
	{ "due today is not overdue", "inc-001.md", inc_base, "2025-03-10", "2025-03-01",
	  NULL, NULL, NULL, NULL },
	{ "done item in the past", "inc-001.md", inc_base, "2025-03-10 | pending",
	  "2025-02-01 | done", NULL, NULL, NULL, NULL },
	{ "cancelled item in the past", "inc-001.md", inc_base, "2025-03-10 | pending",
	  "2025-02-01 | cancelled", NULL, NULL, NULL, NULL },
	{ "due on the incident day", "inc-001.md", inc_base, "2025-03-10 | pending",
	  "2025-01-20 | done", NULL, NULL, NULL, NULL },
	{ "empty due", "inc-001.md", inc_base, "| 2025-03-10 |", "|  |", NULL, NULL, NULL,
	  NULL },
	{ "timeline with a full datetime row", "inc-001.md", inc_base, "| 15:10 |",
	  "| 2025-01-20T15:10:00Z |", NULL, NULL, NULL, NULL },
	{ "timeline datetime row in another zone", "inc-001.md", inc_base, "| 15:10 |",
	  "| 2025-01-20T17:10:00+02:00 |", "| 14:50 |", "| 2025-01-20T14:50:00Z |", NULL,
	  NULL },
	{ "timeline to the second", "inc-001.md", inc_base, "\"2025-01-20T14:32:00Z\"",
	  "\"2025-01-20T14:32:30Z\"", "\"2025-01-20T16:05:00Z\"",
	  "\"2025-01-20T16:05:40Z\"", NULL, NULL },
	{ "review not yet due", "gov-001.md", gov_base, "review_date: \"2025-06-01\"",
	  "review_date: \"2025-03-01\"", NULL, NULL, NULL, NULL },
	{ "draft policy past review", "gov-001.md", gov_base, "status: active",
	  "status: draft", "review_date: \"2025-06-01\"", "review_date: \"2025-02-01\"",
	  NULL, NULL },
	{ "policy without effective date", "gov-001.md", gov_base,
	  "effective_date: \"2025-01-01\"\n", "", NULL, NULL, NULL, NULL },
};

START_TEST(quiet_change)
{
	put_derived(quiet_cases[_i].file, quiet_cases[_i].base, quiet_cases[_i].old1,
		    quiet_cases[_i].new1, quiet_cases[_i].old2, quiet_cases[_i].new2,
		    quiet_cases[_i].old3, quiet_cases[_i].new3, (const char *)NULL);
	run_lint();
	ck_assert_msg(diags.n == 0, "%s: expected no findings; got:%s", quiet_cases[_i].name,
		      dump());
}
END_TEST

START_TEST(offsets_compare_as_instants)
{
	/* 16:32+02:00 is 14:32Z: 93 minutes to 16:05Z, though 16:05 < 16:32;
	 * the HH:MM entries are read in started_at's zone. */
	put_derived("inc-001.md", inc_base,
		    "\"2025-01-20T14:32:00Z\"", "\"2025-01-20T16:32:00+02:00\"",
		    "| 16:05 |", "| 18:05 |", "| 15:10 |", "| 17:10 |",
		    "| 14:50 |", "| 16:50 |", "| 14:32 |", "| 16:32 |",
		    (const char *)NULL);
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(offsets_window_in_started_zone)
{
	/* The same document with the timeline left in UTC: 14:32 read at
	 * +02:00 is 12:32Z, before the incident began. */
	put_derived("inc-001.md", inc_base,
		    "\"2025-01-20T14:32:00Z\"", "\"2025-01-20T16:32:00+02:00\"",
		    (const char *)NULL);
	run_lint();
	expect_at("inc-001.md", PM_C_TIMELINE_WINDOW, 26, 3, ERR, "'14:32'");
	expect_count(PM_C_TIMELINE_WINDOW, 4);
	expect_none(PM_C_DURATION);
	expect_none(PM_C_RESOLVED_BEFORE_START);
}
END_TEST

START_TEST(timeline_crosses_midnight)
{
	put_derived("inc-001.md", inc_base,
		    "\"2025-01-20T14:32:00Z\"", "\"2025-01-20T23:30:00+02:00\"",
		    "\"2025-01-20T16:05:00Z\"", "\"2025-01-21T00:50:00+02:00\"",
		    "duration_minutes: 93", "duration_minutes: 80",
		    "| 14:32 |", "| 23:40 |", "| 14:50 |", "| 23:55 |",
		    "| 15:10 |", "| 00:10 |", "| 16:05 |", "| 00:35 |",
		    (const char *)NULL);
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(timeline_starts_after_midnight)
{
	/* The incident began at 23:50; its first entry, 00:05, is on the next
	 * day, not 23 hours before the start. */
	put_derived("inc-001.md", inc_base,
		    "\"2025-01-20T14:32:00Z\"", "\"2025-01-20T23:50:00+02:00\"",
		    "\"2025-01-20T16:05:00Z\"", "\"2025-01-21T00:50:00+02:00\"",
		    "duration_minutes: 93", "duration_minutes: 60",
		    "| 14:32 |", "| 00:05 |", "| 14:50 |", "| 00:15 |",
		    "| 15:10 |", "| 00:30 |", "| 16:05 |", "| 00:50 |",
		    (const char *)NULL);
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(timeline_clock_after_datetime_row)
{
	/* HH:MM after a full datetime row continues on that row's day. */
	put_derived("inc-001.md", inc_base,
		    "\"2025-01-20T14:32:00Z\"", "\"2025-01-20T23:30:00+02:00\"",
		    "\"2025-01-20T16:05:00Z\"", "\"2025-01-21T00:50:00+02:00\"",
		    "duration_minutes: 93", "duration_minutes: 80",
		    "| 14:32 |", "| 23:40 |", "| 14:50 |", "| 2025-01-21T00:10:00+02:00 |",
		    "| 15:10 |", "| 00:35 |", "| 16:05 |", "| 00:50 |",
		    (const char *)NULL);
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(timeline_entry_just_before_start)
{
	/* 23:20 before a 23:30 start is not the next evening: it is early. */
	put_derived("inc-001.md", inc_base,
		    "\"2025-01-20T14:32:00Z\"", "\"2025-01-20T23:30:00+02:00\"",
		    "\"2025-01-20T16:05:00Z\"", "\"2025-01-21T00:50:00+02:00\"",
		    "duration_minutes: 93", "duration_minutes: 80",
		    "| 14:32 |", "| 23:20 |", "| 14:50 |", "| 23:55 |",
		    "| 15:10 |", "| 00:10 |", "| 16:05 |", "| 00:35 |",
		    (const char *)NULL);
	run_lint();
	expect_at("inc-001.md", PM_C_TIMELINE_WINDOW, 26, 3, ERR, "'23:20'");
	ck_assert_uint_eq(diags.n, 1);
}
END_TEST

START_TEST(timeline_midnight_rolls_once)
{
	/* After the roll, going back past midnight again is out of order. */
	put_derived("inc-001.md", inc_base,
		    "\"2025-01-20T14:32:00Z\"", "\"2025-01-20T23:30:00+02:00\"",
		    "\"2025-01-20T16:05:00Z\"", "\"2025-01-21T00:50:00+02:00\"",
		    "duration_minutes: 93", "duration_minutes: 80",
		    "| 14:32 |", "| 23:40 |", "| 14:50 |", "| 00:10 |",
		    "| 15:10 |", "| 23:50 |", "| 16:05 |", "| 00:20 |",
		    (const char *)NULL);
	run_lint();
	/* 23:50 after 00:10 is read on the next day, after resolved_at; 00:20
	 * after it does not roll a second time, so it goes back in time. */
	expect_at("inc-001.md", PM_C_TIMELINE_WINDOW, 28, 3, ERR, "'23:50'");
	expect_at("inc-001.md", PM_C_TIMELINE_ORDER, 29, 3, ERR, "'00:20'");
	expect_count(PM_C_TIMELINE_WINDOW, 1);
	expect_count(PM_C_TIMELINE_ORDER, 1);
}
END_TEST

START_TEST(timeline_without_resolved_at)
{
	/* Still investigating: entries may run past the last one known. */
	put_derived("inc-001.md", inc_base, "status: resolved", "status: investigating",
		    "resolved_at: \"2025-01-20T16:05:00Z\"\n", "", "| 16:05 |", "| 23:05 |",
		    (const char *)NULL);
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(resolved_before_started_skips_duration)
{
	put_derived("inc-001.md", inc_base, "\"2025-01-20T16:05:00Z\"",
		    "\"2025-01-20T14:00:00Z\"", (const char *)NULL);
	run_lint();
	expect_at("inc-001.md", PM_C_RESOLVED_BEFORE_START, 8, 14, ERR, "is before");
	expect_none(PM_C_DURATION);
}
END_TEST

START_TEST(huge_duration_is_out_of_range)
{
	/* The mismatch arithmetic must not overflow on a hostile number. */
	put_derived("inc-001.md", inc_base, "duration_minutes: 93",
		    "duration_minutes: -9223372036854775808", (const char *)NULL);
	run_lint();
	expect_at("inc-001.md", PM_C_OUT_OF_RANGE, 9, 19, ERR, "outside the allowed range");
	expect_at("inc-001.md", PM_C_DURATION, 9, 19, ERR,
		  "duration_minutes is -9223372036854775808 but");
}
END_TEST

START_TEST(review_date_before_effective)
{
	put_derived("gov-001.md", gov_base, "review_date: \"2025-06-01\"",
		    "review_date: \"2024-12-01\"", (const char *)NULL);
	run_lint();
	expect_at("gov-001.md", PM_C_REVIEW_ORDER, 7, 14, ERR,
		  "review_date 2024-12-01 is not after effective_date 2025-01-01");
	expect_at("gov-001.md", PM_C_REVIEW_OVERDUE, 7, 14, WARN, "2024-12-01");
	expect_count(PM_C_REVIEW_ORDER, 1);
}
END_TEST

/* ---- relations: PM401-PM408 --------------------------------------------- */

/* inc-001.md with one relation line added (frontmatter line 12). */
static void put_inc_with(const char *rel, const char *line)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s%s\n", INC_LAST, line);
	put_derived(rel, inc_base, INC_LAST, buf, (const char *)NULL);
}

/* adr file with lines added after date (from frontmatter line 7 on). */
static void put_adr_with(const char *rel, const char *lines)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s%s", ADR_LAST, lines);
	put_derived(rel, adr_base, ADR_LAST, buf, (const char *)NULL);
}

START_TEST(relation_on_one_side)
{
	put_inc_with("inc-001.md", "caused_by: ADR-001");
	put("adr-001.md", adr_base);
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(relation_on_both_sides)
{
	put_inc_with("inc-001.md", "caused_by: ADR-001");
	put_adr_with("adr-001.md", "triggers: [INC-001]\n");
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(relation_scalar_and_list)
{
	put_inc_with("inc-001.md", "caused_by: ADR-001");
	put_inc_with("inc-002.md", "caused_by: [ADR-001]");
	put_inc_with("inc-003.md", "caused_by:\n  - ADR-001\n  - INC-001");
	put("adr-001.md", adr_base);
	run_lint();
	ck_assert_uint_eq(corpus.ndocs, 4);
	expect_clean();
}
END_TEST

START_TEST(relation_by_path)
{
	put_inc_with("inc-001.md", "caused_by: ./adr-001.md");
	put_inc_with("inc-002.md", "caused_by: adr-001.md");
	put_inc_with("sub/inc-003.md", "caused_by: \"../adr-001.md\"");
	put("adr-001.md", adr_base);
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(relation_empty_declares_nothing)
{
	put_inc_with("inc-001.md", "caused_by:");
	run_lint();
	expect_clean();
}
END_TEST

static const struct {
	const char *name;
	const char *line;		/* frontmatter line 12 of inc-001.md */
	const char *code;
	uint32_t col;
	const char *msg;
	const char *hint;
} ref_cases[] = {
	{ "unknown id", "caused_by: ADR-009", PM_C_UNRESOLVED_REF, 12,
	  "'caused_by' names ADR-009, which no document has", "create the document" },
	{ "unknown id in a list", "caused_by: [ADR-001, ADR-009]", PM_C_UNRESOLVED_REF, 22,
	  "names ADR-009", NULL },
	{ "missing path", "caused_by: ./adr-009.md", PM_C_UNRESOLVED_REF, 12,
	  "'caused_by' path './adr-009.md' names no document", "folder of the file" },
	{ "number", "caused_by: 12", PM_C_REF_FORMAT, 12,
	  "'caused_by' holds an integer, not a document ref", "\"ADR-001\"" },
	{ "plain word", "caused_by: \"foo\"", PM_C_REF_FORMAT, 12,
	  "'caused_by' value 'foo' is neither a document ID nor a relative .md path",
	  "./adr-001.md" },
	{ "lower-case id", "caused_by: adr-001", PM_C_REF_FORMAT, 12,
	  "value 'adr-001' is neither", NULL },
	{ "mapping", "caused_by: { id: ADR-001 }", PM_C_REF_FORMAT, 12,
	  "'caused_by' holds a mapping, not a document ref", NULL },
	{ "parent path", "caused_by: \"../outside.md\"", PM_C_REF_ESCAPES, 12,
	  "'caused_by' path '../outside.md' leads outside the docs root", NULL },
	{ "absolute path", "caused_by: /etc/adr-001.md", PM_C_REF_ESCAPES, 12,
	  "'caused_by' names '/etc/adr-001.md': refs must be relative paths", NULL },
	{ "url", "caused_by: \"https://example.com/adr-001.md\"", PM_C_REF_ESCAPES, 12,
	  "refs must be relative paths", NULL },
	{ "self by id", "caused_by: INC-001", PM_C_SELF_REF, 12,
	  "'caused_by' names the document itself (INC-001)", NULL },
	{ "self by path", "related: [./inc-001.md]", PM_C_SELF_REF, 11,
	  "'related' names the document itself (INC-001)", NULL },
};

START_TEST(ref_finding)
{
	put("adr-001.md", adr_base);
	put_inc_with("inc-001.md", ref_cases[_i].line);
	run_lint();
	const struct pm_diag *d = expect_at("inc-001.md", ref_cases[_i].code, 12,
					    ref_cases[_i].col, ERR, ref_cases[_i].msg);
	if (ref_cases[_i].hint)
		expect_hint(d, ref_cases[_i].hint);
	ck_assert_msg(diags.n == 1, "%s: expected one finding; got:%s", ref_cases[_i].name,
		      dump());
}
END_TEST

START_TEST(triggers_cycle_reported_once)
{
	put_inc_with("inc-001.md", "triggers: [INC-002]");
	put_inc_with("inc-002.md", "triggers: [INC-003]");
	put_inc_with("inc-003.md", "triggers: [INC-001]");
	run_lint();
	/* The walk starts at inc-001; the edge that closes the loop is inc-003's. */
	expect_at("inc-003.md", PM_C_CYCLE, 12, 12, ERR,
		  "'triggers' loops: INC-001 -> INC-002 -> INC-003 -> INC-001");
	expect_count(PM_C_CYCLE, 1);
	ck_assert_uint_eq(diags.n, 1);
}
END_TEST

START_TEST(cycle_through_inverse_declarations)
{
	/* caused_by is triggers seen from the other side: the same loop. */
	put_inc_with("inc-001.md", "caused_by: INC-003");
	put_inc_with("inc-002.md", "caused_by: INC-001");
	put_inc_with("inc-003.md", "triggers: [INC-001]\ncaused_by: INC-002");
	run_lint();
	/* The closing edge INC-003 -> INC-001 was first declared by inc-001. */
	expect_at("inc-001.md", PM_C_CYCLE, 12, 12, ERR,
		  "'triggers' loops: INC-001 -> INC-002 -> INC-003 -> INC-001");
	expect_count(PM_C_CYCLE, 1);
	ck_assert_uint_eq(diags.n, 1);
}
END_TEST

START_TEST(supersedes_cycle)
{
	put_adr_with("adr-001.md", "supersedes: ADR-002\n");
	put_adr_with("adr-002.md", "supersedes: ADR-001\n");
	run_lint();
	expect_at("adr-002.md", PM_C_CYCLE, 7, 13, ERR,
		  "'supersedes' loops: ADR-001 -> ADR-002 -> ADR-001");
	expect_count(PM_C_CYCLE, 1);
}
END_TEST

START_TEST(acyclic_chain_is_not_a_cycle)
{
	/* A diamond reaches INC-004 twice without looping. */
	put_inc_with("inc-001.md", "triggers: [INC-002, INC-003]");
	put_inc_with("inc-002.md", "triggers: [INC-004]");
	put_inc_with("inc-003.md", "triggers: [INC-004]");
	put("inc-004.md", inc_base);
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(related_both_ways_is_not_a_cycle)
{
	put_inc_with("inc-001.md", "related: [INC-002]");
	put_inc_with("inc-002.md", "related: [INC-001]");
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(superseded_status_without_successor)
{
	put_derived("adr-001.md", adr_base, "status: accepted", "status: superseded",
		    (const char *)NULL);
	run_lint();
	const struct pm_diag *d = expect_at("adr-001.md", PM_C_SUPERSEDED, 4, 9, WARN,
					    "status is 'superseded' but no document "
					    "supersedes ADR-001");
	expect_hint(d, "superseded_by");
	ck_assert_uint_eq(diags.n, 1);
}
END_TEST

START_TEST(superseded_by_graph_but_status_accepted)
{
	put("adr-001.md", adr_base);
	put_adr_with("adr-002.md", "supersedes: ADR-001\n");
	run_lint();
	const struct pm_diag *d = expect_at("adr-001.md", PM_C_SUPERSEDED, 4, 9, WARN,
					    "ADR-001 is superseded (per the relation graph) "
					    "but its status is not 'superseded'");
	expect_hint(d, "set 'status: superseded'");
	ck_assert_uint_eq(diags.n, 1);
}
END_TEST

START_TEST(superseded_inverse_is_derived)
{
	put_derived("adr-001.md", adr_base, "status: accepted", "status: superseded",
		    (const char *)NULL);
	put_adr_with("adr-002.md", "supersedes: ADR-001\n");
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(superseded_declared_by_the_old_record)
{
	put_derived("adr-001.md", adr_base, "status: accepted", "status: superseded",
		    ADR_LAST, ADR_LAST "superseded_by: ./adr-002.md\n", (const char *)NULL);
	put("adr-002.md", adr_base);
	run_lint();
	expect_clean();
}
END_TEST

START_TEST(too_many_refs_flow)
{
	put("adr-002.md", adr_base);
	put("adr-003.md", adr_base);
	put_derived("adr-001.md", adr_base, "status: accepted", "status: superseded",
		    ADR_LAST, ADR_LAST "superseded_by: [ADR-002, ADR-003]\n",
		    (const char *)NULL);
	run_lint();
	expect_at("adr-001.md", PM_C_TOO_MANY_REFS, 7, 16, ERR,
		  "'superseded_by' takes one document, not 2");
	expect_count(PM_C_TOO_MANY_REFS, 1);
}
END_TEST

START_TEST(too_many_refs_block)
{
	put("adr-002.md", adr_base);
	put("adr-003.md", adr_base);
	put_derived("adr-001.md", adr_base, "status: accepted", "status: superseded",
		    ADR_LAST, ADR_LAST "superseded_by:\n  - ADR-002\n  - ADR-003\n",
		    (const char *)NULL);
	run_lint();
	/* The value starts on the line after the key. */
	expect_at("adr-001.md", PM_C_TOO_MANY_REFS, 8, 3, ERR,
		  "'superseded_by' takes one document, not 2");
	expect_count(PM_C_TOO_MANY_REFS, 1);
}
END_TEST

START_TEST(single_ref_as_one_item_list)
{
	put_derived("adr-001.md", adr_base, "status: accepted", "status: superseded",
		    ADR_LAST, ADR_LAST "superseded_by: [ADR-002]\n", (const char *)NULL);
	put("adr-002.md", adr_base);
	run_lint();
	expect_clean();
}
END_TEST

/* ---- a schema folder that overrides the default ------------------------- */

static const char typed_relations[] =
	"id_pattern: '^(ADR|INC|OPP|GOV)-[0-9]+$'\n"
	"relations:\n"
	"  - name: supersedes\n"
	"    inverse: superseded_by\n"
	"    cardinality: one\n"
	"    acyclic: true\n"
	"    sources: [adr]\n"
	"    targets: [adr]\n"
	"  - name: triggers\n"
	"    inverse: caused_by\n"
	"    acyclic: true\n";

START_TEST(target_type_not_allowed)
{
	put_schema("relations.yaml", typed_relations);
	put("inc-001.md", inc_base);
	put_adr_with("adr-001.md", "supersedes: INC-001\n");
	run_lint();
	expect_at("adr-001.md", PM_C_TARGET_TYPE, 7, 13, ERR,
		  "'supersedes' may not point at a document of type 'inc'");
	ck_assert_uint_eq(diags.n, 1);
}
END_TEST

START_TEST(source_type_not_allowed)
{
	put_schema("relations.yaml", typed_relations);
	put("adr-001.md", adr_base);
	put_derived("opp-001.md", opp_base, "date: \"2025-01-15\"\n",
		    "date: \"2025-01-15\"\nsupersedes: ADR-001\n", (const char *)NULL);
	run_lint();
	expect_at("opp-001.md", PM_C_SOURCE_TYPE, 7, 13, ERR,
		  "'supersedes' may not start at a document of type 'opp'");
	/* ADR-001 is superseded per the graph; that is its own finding. */
	expect_none(PM_C_TARGET_TYPE);
}
END_TEST

static const char pattern_adr[] =
	"type: adr\n"
	"prefix: ADR\n"
	"fields:\n"
	"  title: { type: string, required: true, pattern: '^[A-Z]',"
	" description: starts with a capital letter }\n"
	"sections:\n"
	"  - name: Options\n"
	"    table:\n"
	"      min_rows: 2\n"
	"      columns:\n"
	"        - { name: Option, required: true }\n"
	"        - { name: Score, type: number }\n"
	"        - { name: Chosen, type: bool }\n";

START_TEST(pattern_rows_and_cell_types)
{
	put_schema("adr.yaml", pattern_adr);
	put("adr-001.md",
	    "---\n"
	    "type: adr\n"
	    "title: lower case\n"
	    "---\n"
	    "\n"
	    "# Options\n"
	    "\n"
	    "| Option | Score | Chosen |\n"
	    "|--------|-------|--------|\n"
	    "| Pool | high | maybe |\n");
	run_lint();
	const struct pm_diag *d = expect_at("adr-001.md", PM_C_PATTERN, 3, 8, ERR,
					    "'title' value 'lower case' does not match the "
					    "pattern ^[A-Z]");
	expect_hint(d, "starts with a capital letter");
	expect_at("adr-001.md", PM_C_TOO_FEW_ROWS, 8, 1, ERR,
		  "table in 'Options' has 1 row, needs at least 2");
	expect_at("adr-001.md", PM_C_INVALID_CELL, 10, 10, ERR,
		  "'Score' cell 'high' is not a number");
	expect_at("adr-001.md", PM_C_INVALID_CELL, 10, 17, ERR,
		  "'Chosen' cell 'maybe' is not true/false");
	ck_assert_uint_eq(diags.n, 4);
}
END_TEST

static const char ref_field_adr[] =
	"type: adr\n"
	"prefix: ADR\n"
	"fields:\n"
	"  title: { type: string, required: true }\n"
	"  parent: { type: ref }\n"
	"  see: { type: \"ref[]\" }\n";

/* A field of type ref is no relation, but what it names must exist. */
START_TEST(ref_fields_resolve)
{
	put_schema("adr.yaml", ref_field_adr);
	put("adr-001.md", "---\ntype: adr\ntitle: One\n---\n");
	put("adr-002.md",
	    "---\n"
	    "type: adr\n"
	    "title: Two\n"
	    "parent: ADR-001\n"
	    "see: [ADR-001, ADR-999]\n"
	    "caused_by: \"\"\n"
	    "---\n");
	run_lint();
	expect_at("adr-002.md", PM_C_UNRESOLVED_REF, 5, 16, ERR, "'see' names ADR-999");
	/* An empty relation value declares nothing, like an empty one. */
	expect_none(PM_C_REF_FORMAT);
	ck_assert_uint_eq(diags.n, 1);
}
END_TEST

static const char items_adr[] =
	"type: adr\n"
	"prefix: ADR\n"
	"fields:\n"
	"  title: { type: string, required: true }\n"
	"sections:\n"
	"  - { name: Options, min_items: 3 }\n"
	"  - { name: Notes, non_empty: true }\n";

/* min_items counts list items and table rows; non_empty makes an optional
 * section that is present need content. */
START_TEST(section_items_and_non_empty)
{
	put_schema("adr.yaml", items_adr);
	put("adr-001.md",
	    "---\ntype: adr\ntitle: One\n---\n"
	    "\n"
	    "# Options\n"
	    "\n"
	    "- a\n"
	    "- b\n"
	    "\n"
	    "# Notes\n");
	put("adr-002.md",
	    "---\ntype: adr\ntitle: Two\n---\n"
	    "\n"
	    "# Options\n"
	    "\n"
	    "- a\n"
	    "\n"
	    "| X |\n"
	    "|---|\n"
	    "| 1 |\n"
	    "| 2 |\n");
	run_lint();
	expect_at("adr-001.md", PM_C_SECTION_ITEMS, 6, 1, ERR,
		  "section 'Options' has 2 items, needs at least 3");
	expect_at("adr-001.md", PM_C_EMPTY_SECTION, 11, 1, WARN, "the section 'Notes' is empty");
	ck_assert_uint_eq(diags.n, 2);	/* adr-002: 1 item + 2 rows is enough */
}
END_TEST

/* ---- the suite ---------------------------------------------------------- */

static Suite *lint_suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("clean");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, clean_document_raises_nothing, 0, NCASES(clean_docs));
	tcase_add_test(tc, clean_corpus_raises_nothing);
	tcase_add_loop_test(tc, quiet_change, 0, NCASES(quiet_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("parse and identity");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, parse_finding, 0, NCASES(parse_cases));
	tcase_add_loop_test(tc, identity_finding, 0, NCASES(identity_cases));
	tcase_add_test(tc, duplicate_id);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, field_finding, 0, NCASES(field_cases));
	tcase_add_test(tc, required_when_not_required);
	tcase_add_test(tc, required_when_postmortem);
	tcase_add_test(tc, unknown_user);
	tcase_add_test(tc, unknown_user_in_table);
	tcase_add_test(tc, users_are_only_syntax_checked_without_users_file);
	tcase_add_test(tc, positions_with_crlf_and_bom);
	tcase_add_test(tc, positions_count_code_points);
	suite_add_tcase(s, tc);

	tc = tcase_create("sections");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, section_finding, 0, NCASES(section_cases));
	tcase_add_test(tc, section_headings_match_case_insensitively);
	tcase_add_test(tc, missing_section_counts_once);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, rule_finding, 0, NCASES(rule_cases));
	tcase_add_test(tc, offsets_compare_as_instants);
	tcase_add_test(tc, offsets_window_in_started_zone);
	tcase_add_test(tc, timeline_crosses_midnight);
	tcase_add_test(tc, timeline_starts_after_midnight);
	tcase_add_test(tc, timeline_clock_after_datetime_row);
	tcase_add_test(tc, timeline_entry_just_before_start);
	tcase_add_test(tc, timeline_midnight_rolls_once);
	tcase_add_test(tc, timeline_without_resolved_at);
	tcase_add_test(tc, resolved_before_started_skips_duration);
	tcase_add_test(tc, huge_duration_is_out_of_range);
	tcase_add_test(tc, review_date_before_effective);
	suite_add_tcase(s, tc);

	tc = tcase_create("relations");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, relation_on_one_side);
	tcase_add_test(tc, relation_on_both_sides);
	tcase_add_test(tc, relation_scalar_and_list);
	tcase_add_test(tc, relation_by_path);
	tcase_add_test(tc, relation_empty_declares_nothing);
	tcase_add_loop_test(tc, ref_finding, 0, NCASES(ref_cases));
	tcase_add_test(tc, triggers_cycle_reported_once);
	tcase_add_test(tc, cycle_through_inverse_declarations);
	tcase_add_test(tc, supersedes_cycle);
	tcase_add_test(tc, acyclic_chain_is_not_a_cycle);
	tcase_add_test(tc, related_both_ways_is_not_a_cycle);
	tcase_add_test(tc, superseded_status_without_successor);
	tcase_add_test(tc, superseded_by_graph_but_status_accepted);
	tcase_add_test(tc, superseded_inverse_is_derived);
	tcase_add_test(tc, superseded_declared_by_the_old_record);
	tcase_add_test(tc, too_many_refs_flow);
	tcase_add_test(tc, too_many_refs_block);
	tcase_add_test(tc, single_ref_as_one_item_list);
	suite_add_tcase(s, tc);

	tc = tcase_create("schema override");
	tcase_add_test(tc, ref_fields_resolve);
	tcase_add_test(tc, section_items_and_non_empty);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, target_type_not_allowed);
	tcase_add_test(tc, source_type_not_allowed);
	tcase_add_test(tc, pattern_rows_and_cell_types);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(lint_suite());
}
