/* check_json.c - the document model as JSON: always valid, parses back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>

#include "doc.h"
#include "json.h"
#include "testutil.h"

static struct pm_doc *doc;

static void setup(void)
{
	doc = NULL;
}

static void teardown(void)
{
	pm_doc_free(doc);
}

/* Serializes j, frees it, and parses the text back with jansson. */
static json_t *round_trip(json_t *j)
{
	ck_assert_ptr_nonnull(j);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	ck_assert_msg(text != NULL, "json_dumps failed");
	json_error_t e;
	json_t *back = json_loads(text, JSON_ALLOW_NUL, &e);
	ck_assert_msg(back != NULL, "output does not parse: %s at %d:%d", e.text, e.line,
		      e.column);
	free(text);
	return back;
}

/* ---- strings ---------------------------------------------------------------- */

struct string_case {
	const char *in;
	size_t len;
	const char *out;
	size_t out_len;
};

#define S(lit) lit, sizeof(lit) - 1
static const struct string_case string_cases[] = {
	{ S("plain"), S("plain") },
	{ S(""), S("") },
	{ S("caf\xC3\xA9 \xF0\x9F\x98\x80"), S("caf\xC3\xA9 \xF0\x9F\x98\x80") },
	{ S("a\xFF" "b"), S("a\xEF\xBF\xBD" "b") },
	{ S("\xC0\xAF"), S("\xEF\xBF\xBD\xEF\xBF\xBD") },
	{ S("x\xED\xA0\x80y"), S("x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDy") },
	{ S("end\xE2\x82"), S("end\xEF\xBF\xBD\xEF\xBF\xBD") },
	{ S("\xE9t\xE9.md"), S("\xEF\xBF\xBDt\xEF\xBF\xBD.md") },	/* Latin-1 name */
	{ S("nul\0inside"), S("nul\0inside") },
	{ S("quote\" back\\ nl\n"), S("quote\" back\\ nl\n") },
};

START_TEST(string_is_always_valid)
{
	const struct string_case *c = &string_cases[_i];
	json_t *j = pm_json_string(c->in, c->len);
	ck_assert_ptr_nonnull(j);
	ck_assert_uint_eq(json_string_length(j), c->out_len);
	ck_assert_mem_eq(json_string_value(j), c->out, c->out_len);
	json_t *arr = json_array();
	json_array_append_new(arr, j);
	json_t *back = round_trip(arr);
	json_t *s = json_array_get(back, 0);
	ck_assert_uint_eq(json_string_length(s), c->out_len);
	ck_assert_mem_eq(json_string_value(s), c->out, c->out_len);
	json_decref(back);
}
END_TEST

/* ---- documents ---------------------------------------------------------------- */

static const char inc_text[] =
	"---\n"					/* 1 */
	"type: inc\n"				/* 2 */
	"title: \"Pool \\\"exhaustion\\\"\"\n"	/* 3 */
	"duration_minutes: 93\n"		/* 4 */
	"ratio: .inf\n"				/* 5 */
	"responders:\n"				/* 6 */
	"  - \"@alice\"\n"			/* 7 */
	"  - \"@bob\"\n"			/* 8 */
	"---\n"					/* 9 */
	"\n"
	"# Timeline\n"				/* 11 */
	"\n"
	"| Time | Event | Event |\n"		/* 13 */
	"|------|-------|-------|\n"
	"| 14:32 | Alerts < 5 & rising | x |\n"	/* 15 */
	"\n"
	"## Notes\n"				/* 17 */
	"\n"
	"See [ADR-001](./adr-001.md) and INC-002.\n";	/* 19 */

START_TEST(doc_parses_back)
{
	doc = tu_parse("docs/inc-001.md", inc_text);
	json_t *j = round_trip(pm_json_doc(doc));
	ck_assert_str_eq(json_string_value(json_object_get(j, "path")), "docs/inc-001.md");
	ck_assert_str_eq(json_string_value(json_object_get(j, "id")), "INC-001");
	ck_assert_str_eq(json_string_value(json_object_get(j, "type")), "inc");
	ck_assert(json_is_true(json_object_get(j, "parsed")));
	ck_assert_int_eq(json_integer_value(json_object_get(j, "body_line")), 10);

	json_t *fm = json_object_get(j, "frontmatter");
	ck_assert_str_eq(json_string_value(json_object_get(fm, "title")), "Pool \"exhaustion\"");
	ck_assert_int_eq(json_integer_value(json_object_get(fm, "duration_minutes")), 93);
	ck_assert_str_eq(json_string_value(json_object_get(fm, "ratio")), ".inf");
	ck_assert_uint_eq(json_array_size(json_object_get(fm, "responders")), 2);

	json_t *fields = json_object_get(j, "fields");
	ck_assert_uint_eq(json_array_size(fields), 5);
	json_t *f = json_array_get(fields, 2);
	ck_assert_str_eq(json_string_value(json_object_get(f, "key")), "duration_minutes");
	ck_assert_int_eq(json_integer_value(json_object_get(f, "line")), 4);
	json_t *v = json_object_get(f, "value");
	ck_assert_str_eq(json_string_value(json_object_get(v, "type")), "integer");
	ck_assert_int_eq(json_integer_value(json_object_get(v, "column")), 19);

	json_t *secs = json_object_get(j, "sections");
	ck_assert_uint_eq(json_array_size(secs), 1);
	json_t *s0 = json_array_get(secs, 0);
	ck_assert_str_eq(json_string_value(json_object_get(s0, "heading")), "Timeline");
	ck_assert_int_eq(json_integer_value(json_object_get(s0, "line")), 11);
	json_t *sub = json_array_get(json_object_get(s0, "sections"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(sub, "path")), "Timeline > Notes");

	json_t *t = json_array_get(json_object_get(j, "tables"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(t, "section")), "Timeline");
	json_t *cols = json_object_get(t, "columns");
	ck_assert_uint_eq(json_array_size(cols), 3);
	ck_assert_str_eq(json_string_value(json_array_get(cols, 2)), "Event 2");
	json_t *row = json_array_get(json_object_get(t, "rows"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(row, "Time")), "14:32");
	ck_assert_str_eq(json_string_value(json_object_get(row, "Event")), "Alerts < 5 & rising");
	ck_assert_str_eq(json_string_value(json_object_get(row, "Event 2")), "x");
	ck_assert_int_eq(json_integer_value(json_array_get(json_object_get(t, "row_lines"), 0)),
			 15);

	json_t *links = json_object_get(j, "links");
	ck_assert_uint_eq(json_array_size(links), 2);
	json_t *l0 = json_array_get(links, 0);
	ck_assert_str_eq(json_string_value(json_object_get(l0, "kind")), "document");
	ck_assert_str_eq(json_string_value(json_object_get(l0, "section")), "Timeline > Notes");
	ck_assert_int_eq(json_integer_value(json_object_get(l0, "line")), 19);
	ck_assert_int_eq(json_integer_value(json_object_get(l0, "column")), 5);
	json_t *l1 = json_array_get(links, 1);
	ck_assert_str_eq(json_string_value(json_object_get(l1, "kind")), "id");
	ck_assert_str_eq(json_string_value(json_object_get(l1, "target")), "INC-002");
	ck_assert_int_eq(json_integer_value(json_object_get(l1, "column")), 33);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "diagnostics")), 0);
	json_decref(j);
}
END_TEST

START_TEST(broken_doc_parses_back)
{
	/* an invalid byte in the name and in the text */
	doc = tu_parse("bad\xFF.md", "---\ntitle: caf\xE9\n---\n");
	json_t *j = round_trip(pm_json_doc(doc));
	ck_assert_str_eq(json_string_value(json_object_get(j, "path")), "bad\xEF\xBF\xBD.md");
	ck_assert(json_is_false(json_object_get(j, "parsed")));
	ck_assert(json_is_null(json_object_get(j, "frontmatter")));
	json_t *diags = json_object_get(j, "diagnostics");
	ck_assert_uint_eq(json_array_size(diags), 1);
	json_t *d = json_array_get(diags, 0);
	ck_assert_str_eq(json_string_value(json_object_get(d, "code")), "PM106");
	ck_assert_str_eq(json_string_value(json_object_get(d, "severity")), "error");
	ck_assert_str_eq(json_string_value(json_object_get(d, "file")), "bad\xEF\xBF\xBD.md");
	ck_assert_int_eq(json_integer_value(json_object_get(d, "line")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "column")), 11);
	ck_assert(json_is_string(json_object_get(d, "hint")));
	json_decref(j);
}
END_TEST

START_TEST(doc_without_frontmatter_parses_back)
{
	doc = tu_parse("notes.md", "# Only a body\n");
	json_t *j = round_trip(pm_json_doc(doc));
	ck_assert(json_is_null(json_object_get(j, "frontmatter_lines")));
	ck_assert(json_is_null(json_object_get(j, "type")));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "fields")), 0);
	json_t *d = json_array_get(json_object_get(j, "diagnostics"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(d, "code")), "PM101");
	json_decref(j);
}
END_TEST

/* Text that a browser could read as the end of a <script>, or JavaScript
 * as the end of a line, comes out escaped; everything else is unchanged. */
static const struct {
	const char *in, *out;
} script_cases[] = {
	{ "a</script>b", "\"a<\\/script>b\"" },
	{ "<<//", "\"<<\\//\"" },
	{ "a<", "\"a<\"" },
	{ "< /", "\"< /\"" },
	{ "\xE2\x80\xA8", "\"\\u2028\"" },
	{ "x\xE2\x80\xA9y", "\"x\\u2029y\"" },
	{ "\xE2\x82\xAC \xE2\x80", "\"\xE2\x82\xAC \xEF\xBF\xBD\xEF\xBF\xBD\"" },
	{ "\xE2\xE2\x80\xA8", "\"\xEF\xBF\xBD\\u2028\"" },
	{ "plain", "\"plain\"" },
};

START_TEST(script_safe_output)
{
	const char *in = script_cases[_i].in;
	json_t *j = pm_json_string(in, strlen(in));
	ck_assert_ptr_nonnull(j);
	char *text = pm_json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, script_cases[_i].out);

	/* The streaming form writes the same bytes. */
	char *mem = NULL;
	size_t memlen = 0;
	FILE *f = open_memstream(&mem, &memlen);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(pm_json_dumpf(j, f, JSON_ENCODE_ANY | JSON_COMPACT), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(mem, script_cases[_i].out);

	/* And it is still the same JSON value. */
	json_t *back = json_loads(text, JSON_DECODE_ANY, NULL);
	ck_assert_ptr_nonnull(back);
	ck_assert(json_equal(back, j));
	json_decref(back);
	free(mem);
	free(text);
	json_decref(j);
}
END_TEST

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *json_suite(void);

Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("strings");
	tcase_add_loop_test(tc, string_is_always_valid, 0, NCASES(string_cases));
	tcase_add_loop_test(tc, script_safe_output, 0, NCASES(script_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("documents");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, doc_parses_back);
	tcase_add_test(tc, broken_doc_parses_back);
	tcase_add_test(tc, doc_without_frontmatter_parses_back);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(json_suite());
}
