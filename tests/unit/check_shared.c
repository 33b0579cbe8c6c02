/* check_shared.c - the documents beside the project in ../shared: the
 * reference incident postmortem and md-db's fixtures.  Exits 77 (a skip for
 * meson) with a message when the folder is absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <check.h>

#include "corpus.h"
#include "doc.h"
#include "testutil.h"
#include "value.h"

static const char *shared;	/* $PM_SHARED_DIR */

static char *shared_path(const char *rel)
{
	return tu_path(shared, rel);
}

/* ---- seeds/inc-reference.md ---------------------------------------------- */

static struct pm_doc *ref;

static void ref_setup(void)
{
	char *path = shared_path("seeds/inc-reference.md");
	struct pm_parse_opts opts;
	pm_parse_opts_default(&opts);
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_doc_load(&ref, path, &opts, &err), 0);
	free(path);
}

static void ref_teardown(void)
{
	pm_doc_free(ref);
}

struct field_case {
	const char *key;
	enum pm_value_kind kind;
	uint32_t line;
	size_t items;		/* sequences */
	const char *text;	/* strings */
};

static const struct field_case ref_fields[] = {
	{ "type", PM_VAL_STRING, 2, 0, "inc" },
	{ "title", PM_VAL_STRING, 3, 0, "Database Connection Pool Exhaustion" },
	{ "status", PM_VAL_STRING, 4, 0, "postmortem" },
	{ "severity", PM_VAL_STRING, 5, 0, "sev2" },
	{ "commander", PM_VAL_STRING, 6, 0, "@onni" },
	{ "responders", PM_VAL_SEQ, 7, 2, NULL },
	{ "started_at", PM_VAL_STRING, 10, 0, "2025-01-20T14:32:00Z" },
	{ "resolved_at", PM_VAL_STRING, 11, 0, "2025-01-20T16:05:00Z" },
	{ "duration_minutes", PM_VAL_INT, 12, 0, NULL },
	{ "affected_systems", PM_VAL_SEQ, 13, 3, NULL },
	{ "customer_impact", PM_VAL_STRING, 17, 0, "degraded" },
	{ "tags", PM_VAL_SEQ, 18, 2, NULL },
	{ "caused_by", PM_VAL_STRING, 21, 0, "ADR-001" },
	{ "triggers", PM_VAL_SEQ, 22, 1, NULL },
	{ "enables", PM_VAL_SEQ, 24, 1, NULL },
	{ "related", PM_VAL_SEQ, 26, 1, NULL },
};

START_TEST(ref_parses_cleanly)
{
	tu_assert_no_diags(&ref->diags);
	ck_assert(ref->parsed);
	ck_assert_str_eq(ref->type, "inc");
	ck_assert_str_eq(ref->id, "INC-REFERENCE");
	ck_assert_uint_eq(ref->fm.close_line, 28);
	ck_assert_uint_eq(ref->fm.body_line, 29);
	ck_assert_uint_eq(ref->fm.root->u.map.n, 16);
}
END_TEST

START_TEST(ref_field)
{
	const struct field_case *c = &ref_fields[_i];
	/* the fields keep the file's order */
	const struct pm_pair *p = &ref->fm.root->u.map.pairs[_i];
	ck_assert_str_eq(p->key, c->key);
	ck_assert_uint_eq(p->line, c->line);
	ck_assert_uint_eq(p->col, 1);
	ck_assert_msg(p->value->kind == c->kind, "%s is a %s", c->key,
		      pm_value_kind_name(p->value->kind));
	if (c->kind == PM_VAL_SEQ) {
		ck_assert_uint_eq(p->value->u.seq.n, c->items);
		ck_assert_uint_eq(p->value->line, c->line + 1);
		ck_assert_uint_eq(p->value->col, 3);
	}
	if (c->text)
		ck_assert_str_eq(p->value->raw, c->text);
}
END_TEST

START_TEST(ref_field_values)
{
	const struct pm_value *v = pm_doc_field(ref, "duration_minutes");
	ck_assert_int_eq(v->u.i, 93);
	ck_assert_uint_eq(v->line, 12);
	ck_assert_uint_eq(v->col, 19);
	v = pm_doc_field(ref, "responders");
	ck_assert_str_eq(v->u.seq.items[0]->raw, "@alice");
	ck_assert_uint_eq(v->u.seq.items[0]->line, 8);
	ck_assert_uint_eq(v->u.seq.items[0]->col, 5);
	ck_assert_str_eq(v->u.seq.items[1]->raw, "@bob");
	ck_assert_uint_eq(v->u.seq.items[1]->line, 9);
	ck_assert_int_eq(v->u.seq.items[1]->style, PM_STYLE_QUOTED);
	v = pm_doc_field(ref, "affected_systems");
	ck_assert_str_eq(v->u.seq.items[2]->raw, "billing-service");
	ck_assert_int_eq(v->u.seq.items[2]->style, PM_STYLE_PLAIN);
	ck_assert_str_eq(pm_doc_field(ref, "related")->u.seq.items[0]->raw, "GOV-001");
	v = pm_doc_field(ref, "commander");
	ck_assert_uint_eq(v->line, 6);
	ck_assert_uint_eq(v->col, 12);
}
END_TEST

static const struct {
	const char *title;
	uint32_t line, end_line;
} ref_sections[] = {
	{ "Summary", 30, 32 },
	{ "Impact", 34, 39 },
	{ "Timeline", 41, 52 },
	{ "Root Cause", 54, 56 },
	{ "Resolution", 58, 62 },
	{ "Action Items", 64, 71 },
	{ "Lessons Learned", 73, 77 },
};

START_TEST(ref_section)
{
	ck_assert_uint_eq(ref->body.nsections, 7);
	const struct pm_section *s = &ref->body.sections[_i];
	ck_assert_str_eq(s->title, ref_sections[_i].title);
	ck_assert_str_eq(s->path, ref_sections[_i].title);
	ck_assert_int_eq(s->level, 1);
	ck_assert_int_eq(s->parent, -1);
	ck_assert_uint_eq(s->line, ref_sections[_i].line);
	ck_assert_uint_eq(s->col, 1);
	ck_assert_uint_eq(s->end_line, ref_sections[_i].end_line);
	ck_assert_uint_eq(s->nblocks, 1);
	ck_assert_int_eq(pm_body_find_section(&ref->body, ref_sections[_i].title, 0), _i);
}
END_TEST

START_TEST(ref_timeline)
{
	ck_assert_uint_eq(ref->body.ntables, 2);
	const struct pm_table *t = &ref->body.tables[0];
	ck_assert_int_eq(t->section, pm_body_find_section(&ref->body, "timeline", 0));
	ck_assert_int_eq(t->section, 2);
	ck_assert_uint_eq(t->line, 43);
	ck_assert_uint_eq(t->end_line, 52);
	ck_assert_uint_eq(t->ncols, 3);
	ck_assert_str_eq(t->header[0].text, "Time");
	ck_assert_str_eq(t->header[1].text, "Event");
	ck_assert_str_eq(t->header[2].text, "Actor");
	ck_assert_uint_eq(t->nrows, 8);
	for (size_t r = 0; r < 8; r++)
		ck_assert_uint_eq(t->rows[r].line, 45 + r);
	ck_assert_str_eq(t->rows[0].cells[0].text, "14:32");
	ck_assert_str_eq(t->rows[0].cells[1].text, "Alerts fire: API p99 >5s");
	ck_assert_str_eq(t->rows[0].cells[2].text, "PagerDuty");
	ck_assert_uint_eq(t->rows[0].cells[1].col, 11);
	ck_assert_uint_eq(t->rows[0].cells[2].col, 38);
	ck_assert_str_eq(t->rows[3].cells[1].text,
			 "Root cause found: missing connection.close() in new ORM code");
	ck_assert_str_eq(t->rows[7].cells[0].text, "16:05");
	ck_assert_str_eq(t->rows[7].cells[1].text, "All metrics nominal, incident resolved");
	ck_assert_str_eq(t->rows[7].cells[2].text, "@onni");
	ck_assert_uint_eq(t->rows[7].cells[2].line, 52);
}
END_TEST

START_TEST(ref_action_items)
{
	const struct pm_table *t = &ref->body.tables[1];
	ck_assert_int_eq(t->section, 5);
	ck_assert_uint_eq(t->line, 66);
	ck_assert_uint_eq(t->ncols, 4);
	static const char *const cols[] = { "Action", "Owner", "Due", "Status" };
	for (size_t c = 0; c < 4; c++)
		ck_assert_str_eq(t->header[c].text, cols[c]);
	ck_assert_uint_eq(t->nrows, 4);
	for (size_t r = 0; r < 4; r++)
		ck_assert_uint_eq(t->rows[r].line, 68 + r);
	ck_assert_str_eq(t->rows[0].cells[0].text, "Add connection leak detection to CI");
	ck_assert_str_eq(t->rows[1].cells[0].text, "Load test ORM migration paths");
	ck_assert_str_eq(t->rows[1].cells[1].text, "@bob");
	ck_assert_str_eq(t->rows[1].cells[2].text, "2025-02-05");
	ck_assert_str_eq(t->rows[1].cells[3].text, "in-progress");
	ck_assert_uint_eq(t->rows[1].cells[3].col, 55);
	ck_assert_str_eq(t->rows[3].cells[3].text, "pending");
	ck_assert_uint_eq(ref->body.nlinks, 0);
}
END_TEST

/* ---- peers/md-db ------------------------------------------------------------ */

static struct pm_corpus corpus;
static struct pm_arena scratch;
static struct pm_diags all;

static void mddb_setup(void)
{
	pm_corpus_init(&corpus);
	pm_arena_init(&scratch);
	pm_diags_init(&all, &scratch);
	char *dir = shared_path("peers/md-db");
	struct pm_parse_opts opts;
	pm_parse_opts_default(&opts);
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_corpus_add_path(&corpus, dir, &opts, &err), 0);
	ck_assert_int_eq(pm_corpus_finish(&corpus, &err), 0);
	ck_assert_int_eq(pm_corpus_collect_diags(&corpus, &all), 0);
	free(dir);
}

static void mddb_teardown(void)
{
	pm_corpus_release(&corpus);
	pm_arena_release(&scratch);
}

static const struct {
	const char *file, *id, *type;
	size_t nfields, nsections, ntables, nlinks;
} mddb_docs[] = {
	{ "adr-001.md", "ADR-001", "adr", 10, 6, 1, 0 },
	{ "adr-002.md", "ADR-002", "adr", 7, 3, 0, 0 },
	{ "adr-003.md", "ADR-003", "adr", 7, 3, 0, 2 },
	{ "gov-001.md", "GOV-001", "gov", 13, 7, 1, 0 },
	{ "inc-001.md", "INC-001", "inc", 16, 7, 2, 0 },
	{ "opp-001.md", "OPP-001", "opp", 13, 5, 1, 0 },
};

START_TEST(mddb_loads_six_clean_documents)
{
	/* README.md holds no frontmatter and is not named like a document */
	ck_assert_uint_eq(corpus.ndocs, 6);
	tu_assert_no_diags(&all);
}
END_TEST

START_TEST(mddb_document)
{
	ck_assert_uint_eq(corpus.ndocs, 6);
	const struct pm_doc *d = corpus.docs[_i];
	const char *base = strrchr(d->path, '/');
	ck_assert_ptr_nonnull(base);
	ck_assert_str_eq(base + 1, mddb_docs[_i].file);
	ck_assert_str_eq(d->id, mddb_docs[_i].id);
	ck_assert(!d->id_from_field);
	ck_assert_str_eq(d->type, mddb_docs[_i].type);
	ck_assert(d->parsed);
	ck_assert_uint_eq(d->fm.root->u.map.n, mddb_docs[_i].nfields);
	ck_assert_uint_eq(d->body.nsections, mddb_docs[_i].nsections);
	ck_assert_uint_eq(d->body.ntables, mddb_docs[_i].ntables);
	ck_assert_uint_eq(d->body.nlinks, mddb_docs[_i].nlinks);
	ck_assert_ptr_eq(pm_corpus_find(&corpus, mddb_docs[_i].id), d);
}
END_TEST

static void assert_titles(const struct pm_doc *d, const char *const *paths,
			  const uint32_t *lines, size_t n)
{
	ck_assert_uint_eq(d->body.nsections, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(d->body.sections[i].path, paths[i]);
		ck_assert_uint_eq(d->body.sections[i].line, lines[i]);
	}
}

START_TEST(mddb_adr_001)
{
	const struct pm_doc *d = pm_corpus_find(&corpus, "ADR-001");
	ck_assert_ptr_nonnull(d);
	static const char *const paths[] = {
		"Decision", "Decision > Rationale", "Decision > Alternatives Considered",
		"Consequences", "Consequences > Positive", "Consequences > Negative",
	};
	static const uint32_t lines[] = { 21, 25, 29, 37, 39, 43 };
	assert_titles(d, paths, lines, 6);
	ck_assert_int_eq(d->body.sections[2].parent, 0);
	ck_assert_int_eq(d->body.sections[5].parent, 3);
	ck_assert_uint_eq(d->body.sections[0].end_line, 35);
	ck_assert_uint_eq(d->body.sections[3].end_line, 45);
	const struct pm_table *t = &d->body.tables[0];
	ck_assert_int_eq(t->section, 2);
	ck_assert_uint_eq(t->line, 31);
	ck_assert_uint_eq(t->ncols, 3);
	ck_assert_str_eq(t->header[0].text, "Option");
	ck_assert_str_eq(t->header[1].text, "Score");
	ck_assert_str_eq(t->header[2].text, "Notes");
	ck_assert_uint_eq(t->nrows, 3);
	ck_assert_uint_eq(t->rows[0].line, 33);
	ck_assert_uint_eq(t->rows[2].line, 35);
	ck_assert_str_eq(t->rows[0].cells[0].text, "PostgreSQL");
	ck_assert_str_eq(t->rows[1].cells[0].text, "MySQL");
	ck_assert_str_eq(t->rows[1].cells[2].text, "Good but fewer features");
	ck_assert_str_eq(t->rows[2].cells[1].text, "5");
	const struct pm_value *reviewers = pm_doc_field(d, "reviewers");
	ck_assert_int_eq(reviewers->kind, PM_VAL_SEQ);
	ck_assert_uint_eq(reviewers->u.seq.n, 2);
	/* a quoted date is a string */
	ck_assert_int_eq(pm_doc_field(d, "date")->kind, PM_VAL_STRING);
}
END_TEST

START_TEST(mddb_adr_003_links)
{
	const struct pm_doc *d = pm_corpus_find(&corpus, "ADR-003");
	ck_assert_ptr_nonnull(d);
	static const char *const paths[] = {
		"Decision", "Consequences", "Consequences > Positive",
	};
	static const uint32_t lines[] = { 11, 16, 18 };
	assert_titles(d, paths, lines, 3);
	ck_assert_uint_eq(d->body.nlinks, 2);
	const struct pm_link *l = &d->body.links[0];
	ck_assert_int_eq(l->kind, PM_LINK_DOC);
	ck_assert_str_eq(l->target, "./adr-001.md");
	ck_assert_str_eq(l->text, "ADR-001");
	ck_assert_int_eq(l->section, 0);
	ck_assert_uint_eq(l->line, 13);
	ck_assert_uint_eq(l->col, 46);
	l = &d->body.links[1];
	ck_assert_int_eq(l->kind, PM_LINK_DOC);
	ck_assert_str_eq(l->target, "./adr-002.md");
	ck_assert_str_eq(l->text, "REST API decision");
	ck_assert_int_eq(l->section, 0);
	ck_assert_uint_eq(l->line, 14);
	ck_assert_uint_eq(l->col, 9);
	ck_assert_str_eq(pm_doc_field(d, "superseded_by")->raw, "ADR-005");
}
END_TEST

START_TEST(mddb_other_sections)
{
	static const char *const adr2[] = { "Decision", "Consequences", "Consequences > Positive" };
	static const uint32_t adr2_lines[] = { 14, 18, 20 };
	assert_titles(pm_corpus_find(&corpus, "ADR-002"), adr2, adr2_lines, 3);

	static const char *const gov[] = {
		"Purpose", "Scope", "Policy", "Compliance", "Compliance > Requirements",
		"Compliance > Exceptions", "Roles and Responsibilities",
	};
	static const uint32_t gov_lines[] = { 25, 29, 33, 40, 42, 46, 50 };
	const struct pm_doc *g = pm_corpus_find(&corpus, "GOV-001");
	assert_titles(g, gov, gov_lines, 7);
	ck_assert_int_eq(g->body.tables[0].section, 6);
	ck_assert_uint_eq(g->body.tables[0].nrows, 4);
	ck_assert_str_eq(g->body.tables[0].header[1].text, "Responsibility");
	ck_assert_str_eq(g->body.tables[0].rows[3].cells[1].text,
			 "Audit retention adherence quarterly");

	static const char *const inc[] = {
		"Summary", "Impact", "Timeline", "Root Cause", "Resolution", "Action Items",
		"Lessons Learned",
	};
	static const uint32_t inc_lines[] = { 30, 34, 41, 54, 58, 64, 73 };
	assert_titles(pm_corpus_find(&corpus, "INC-001"), inc, inc_lines, 7);

	static const char *const opp[] = {
		"Problem", "Proposed Solution", "Success Criteria", "Risks", "Open Questions",
	};
	static const uint32_t opp_lines[] = { 24, 28, 32, 38, 46 };
	const struct pm_doc *o = pm_corpus_find(&corpus, "OPP-001");
	assert_titles(o, opp, opp_lines, 5);
	const struct pm_table *t = &o->body.tables[0];
	ck_assert_int_eq(t->section, 3);
	ck_assert_uint_eq(t->ncols, 4);
	ck_assert_str_eq(t->header[3].text, "Mitigation");
	ck_assert_uint_eq(t->nrows, 3);
	ck_assert_str_eq(t->rows[0].cells[3].text, "Use proven library (yjs/automerge)");
	ck_assert_uint_eq(t->rows[2].line, 44);
	ck_assert_str_eq(t->rows[2].cells[2].text, "Critical");
}
END_TEST

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *shared_suite(void);

Suite *shared_suite(void)
{
	Suite *s = suite_create("shared");
	TCase *tc = tcase_create("inc-reference");
	tcase_add_checked_fixture(tc, ref_setup, ref_teardown);
	tcase_add_test(tc, ref_parses_cleanly);
	tcase_add_loop_test(tc, ref_field, 0, NCASES(ref_fields));
	tcase_add_test(tc, ref_field_values);
	tcase_add_loop_test(tc, ref_section, 0, NCASES(ref_sections));
	tcase_add_test(tc, ref_timeline);
	tcase_add_test(tc, ref_action_items);
	suite_add_tcase(s, tc);

	tc = tcase_create("md-db");
	tcase_add_checked_fixture(tc, mddb_setup, mddb_teardown);
	tcase_add_test(tc, mddb_loads_six_clean_documents);
	tcase_add_loop_test(tc, mddb_document, 0, NCASES(mddb_docs));
	tcase_add_test(tc, mddb_adr_001);
	tcase_add_test(tc, mddb_adr_003_links);
	tcase_add_test(tc, mddb_other_sections);
	suite_add_tcase(s, tc);
	return s;
}

/* Both inputs must be there; otherwise the whole suite is a skip. */
static bool shared_present(void)
{
	static const char *const need[] = { "seeds/inc-reference.md", "peers/md-db" };
	struct stat st;
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", shared, need[i]);
		if (stat(path, &st) < 0) {
			fprintf(stderr, "check_shared: %s is absent; skipping the tests of "
				"../shared\n", path);
			return false;
		}
	}
	return true;
}

int main(void)
{
	shared = getenv("PM_SHARED_DIR");
	if (!shared || !*shared) {
		fprintf(stderr, "check_shared: PM_SHARED_DIR is not set; skipping the tests "
			"of ../shared\n");
		return 77;
	}
	if (!shared_present())
		return 77;
	return tu_run_suite(shared_suite());
}
