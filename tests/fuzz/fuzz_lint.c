/* fuzz_lint.c - whole documents through lint, to every output format.
 *
 * The input is one document, or several: a line "%%% NAME" starts the
 * next one, named NAME (so relations, duplicate IDs and loops between
 * documents are reachable).  The first is docs/inc-001.md.  Each is parsed
 * from memory, the set linted as a corpus against the default schema
 * (schema/, loaded once; $PM_SCHEMA_DIR overrides) with
 * docs/examples/users.yaml as the users file and today fixed, and the
 * findings printed as JSON, text, SARIF and GitHub commands; each document
 * is also dumped as `show --format json` does.
 *
 * Properties checked: lint succeeds; the JSON and SARIF parse back, with
 * one entry per finding and the right counts; text output carries no
 * control character but tab and line end; GitHub output is one line per
 * finding; every finding has a code, a message and a line of its file.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "corpus.h"
#include "diag.h"
#include "doc.h"
#include "json.h"
#include "schema.h"
#include "timeutil.h"
#include "users.h"
#include "validate.h"
#include "version.h"
#include "cmd/lint_output.h"

#include "fuzz.h"

#define MAX_DOCS 8

static struct pm_schema *schema;
static struct pm_users *users;
static struct pm_arena setup_arena;

static void release(void)
{
	pm_schema_free(schema);
	pm_users_free(users);
	pm_arena_release(&setup_arena);
	pm_markdown_global_release();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	pm_markdown_global_init();
	pm_arena_init(&setup_arena);
	struct pm_diags diags;
	pm_diags_init(&diags, &setup_arena);
	struct pm_error err;
	const char *env = getenv("PM_SCHEMA_DIR");
	const char *dir = env ? env : PM_SOURCE_ROOT "/schema";
	if (pm_schema_load(&schema, &dir, 1, &diags, &err)) {
		fprintf(stderr, "fuzz_lint: cannot load the schema from %s: %s (%zu findings)\n",
			dir, err.msg, diags.n);
		exit(1);
	}
	if (pm_users_load(&users, PM_SOURCE_ROOT "/docs/examples/users.yaml", &diags, &err)) {
		fprintf(stderr, "fuzz_lint: cannot load docs/examples/users.yaml: %s\n", err.msg);
		exit(1);
	}
	atexit(release);
	return 0;
}

struct line_ctx {
	struct pm_corpus *c;
};

static const char *source_line(void *ctx, const char *path, uint32_t line, size_t *len)
{
	struct line_ctx *lc = ctx;
	struct pm_doc *d = pm_corpus_find_path(lc->c, path);
	return d && d->src.data ? pm_source_line(&d->src, line, len) : NULL;
}

/* Prints r in fmt into a malloc'd string of *len bytes. */
static char *print(enum pm_lint_format fmt, const struct pm_lint_report *r, size_t *len)
{
	char *s = NULL;
	FILE *f = open_memstream(&s, len);
	FUZZ_CHECK(f);
	FUZZ_CHECK(pm_lint_print(f, fmt, r) == 0);
	fclose(f);
	return s;
}

static void check_outputs(const struct pm_diags *diags, struct pm_corpus *c)
{
	struct line_ctx lc = { c };
	struct pm_lint_report r = {
		.diags = diags, .nfiles = c->ndocs, .source_line = source_line, .ctx = &lc,
		.tool_version = PM_VERSION,
	};
	size_t len;
	json_error_t e;

	char *s = print(PM_LINT_JSON, &r, &len);
	json_t *j = json_loadb(s, len, JSON_ALLOW_NUL, &e);
	FUZZ_CHECK(j);
	FUZZ_CHECK(json_array_size(json_object_get(j, "diagnostics")) == diags->n);
	FUZZ_CHECK(json_integer_value(json_object_get(j, "errors")) ==
		   (json_int_t)pm_diags_count(diags, PM_SEV_ERROR));
	/* A browser never sees a "</script>" in JSON we print. */
	json_decref(j);
	free(s);

	s = print(PM_LINT_SARIF, &r, &len);
	j = json_loadb(s, len, JSON_ALLOW_NUL, &e);
	FUZZ_CHECK(j);
	json_t *run = json_array_get(json_object_get(j, "runs"), 0);
	FUZZ_CHECK(json_array_size(json_object_get(run, "results")) == diags->n);
	json_decref(j);
	free(s);

	s = print(PM_LINT_GITHUB, &r, &len);
	size_t lines = 0;
	for (size_t i = 0; i < len; i++) {
		FUZZ_CHECK(s[i] != '\r');
		lines += s[i] == '\n';
	}
	FUZZ_CHECK(lines == diags->n);
	free(s);

	s = print(PM_LINT_TEXT, &r, &len);
	for (size_t i = 0; i < len; i++) {
		unsigned char u = (unsigned char)s[i];
		FUZZ_CHECK(u == '\n' || u == '\t' || (u >= 0x20 && u != 0x7f));
		if (u == 0xC2 && i + 1 < len)
			FUZZ_CHECK(!((unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F));
	}
	free(s);
}

static void show_json(const struct pm_doc *d)
{
	json_t *j = pm_json_doc(d);
	FUZZ_CHECK(j);
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_ENCODE_ANY);
	FUZZ_CHECK(s);
	json_error_t e;
	json_t *back = json_loads(s, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	FUZZ_CHECK(back);
	json_decref(back);
	free(s);
	for (size_t i = 0; i < d->body.nsections; i++) {
		json_t *sj = pm_json_section(d, i);
		FUZZ_CHECK(sj);
		json_decref(sj);
	}
	for (size_t i = 0; i < d->body.ntables; i++) {
		json_t *tj = pm_json_table(d, i);
		FUZZ_CHECK(tj);
		/* Rows are keyed by header, repeated headers made unique: no
		 * cell is lost. */
		json_t *rows = json_object_get(tj, "rows");
		FUZZ_CHECK(json_array_size(rows) == d->body.tables[i].nrows);
		for (size_t r = 0; r < json_array_size(rows); r++)
			FUZZ_CHECK(json_object_size(json_array_get(rows, r)) ==
				   d->body.tables[i].ncols);
		json_decref(tj);
	}
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pm_parse_opts opts;
	pm_parse_opts_default(&opts);
	struct pm_corpus c;
	pm_corpus_init(&c);
	c.docs = calloc(MAX_DOCS, sizeof(*c.docs));
	FUZZ_CHECK(c.docs);
	c.cap = MAX_DOCS;
	struct pm_error err;

	const char *p = (const char *)data, *end = p + size;
	char name[96] = "docs/inc-001.md";
	while (c.ndocs < MAX_DOCS) {
		const char *next = NULL, *cut = end;
		for (const char *q = p; q + 4 <= end; q++) {
			if ((q == (const char *)data || q[-1] == '\n') && !memcmp(q, "%%% ", 4)) {
				cut = q;
				next = q + 4;
				break;
			}
		}
		struct pm_doc *d;
		FUZZ_CHECK(pm_doc_parse_memory(&d, name, p, (size_t)(cut - p), &opts, &err) == 0);
		c.docs[c.ndocs++] = d;
		if (!next)
			break;
		const char *nl = memchr(next, '\n', (size_t)(end - next));
		size_t n = (size_t)((nl ? nl : end) - next);
		if (n > sizeof(name) - 6)
			n = sizeof(name) - 6;
		memcpy(name, "docs/", 5);
		memcpy(name + 5, next, n);
		name[5 + n] = '\0';
		p = nl ? nl + 1 : end;
	}
	FUZZ_CHECK(pm_corpus_finish(&c, &err) == 0);

	struct pm_arena a;
	pm_arena_init(&a);
	struct pm_diags diags;
	pm_diags_init(&diags, &a);
	struct pm_lint_ctx ctx = {
		.schema = schema, .users = users,
		.today = pm_days_from_civil(2025, 3, 1), .root = "docs",
	};
	FUZZ_CHECK(pm_lint_corpus(&c, &ctx, &diags, &err) == 0);
	for (size_t i = 0; i < diags.n; i++) {
		const struct pm_diag *dg = &diags.items[i];
		FUZZ_CHECK(dg->code && dg->message && dg->path);
		/* Lines of the finding's file (when no other has its name). */
		const struct pm_doc *d = NULL;
		size_t same = 0;
		for (size_t k = 0; k < c.ndocs; k++)
			if (!strcmp(c.docs[k]->path, dg->path))
				d = c.docs[k], same++;
		if (same == 1 && d->src.data && dg->line > d->src.nlines + 1) {
			fprintf(stderr, "%s:%u:%u: %s[%s]: %s (the file has %u lines)\n",
				dg->path, (unsigned)dg->line, (unsigned)dg->col,
				pm_severity_name(dg->severity), dg->code, dg->message,
				(unsigned)d->src.nlines);
			FUZZ_CHECK(dg->line <= d->src.nlines + 1);
		}
	}
	check_outputs(&diags, &c);
	for (size_t i = 0; i < c.ndocs; i++)
		show_json(c.docs[i]);
	pm_arena_release(&a);
	pm_corpus_release(&c);
	return 0;
}
