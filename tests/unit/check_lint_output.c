/* check_lint_output.c - lint findings as text (carets, quiet, summary),
 * JSON and SARIF (parsed back) and GitHub workflow commands (escaping). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>

#include "cmd/lint_output.h"
#include "codes.h"
#include "error.h"
#include "testutil.h"

static struct pm_arena arena;
static struct pm_diags diags;

static void setup(void)
{
	pm_arena_init(&arena);
	pm_diags_init(&diags, &arena);
}

static void teardown(void)
{
	pm_arena_release(&arena);
}

/* The source lines the caret display may ask for. */
struct line {
	const char *path;
	uint32_t line;
	const char *text;
};

static const struct line lines[] = {
	{ "a.md", 2, "key: value" },
	{ "a.md", 3, "t\xC3\xADtulo: \xC3\xB1" "and\xC3\xBA x" },	/* título: ñandú x */
	{ "a.md", 4, "\tkey:\tvalue" },
	{ "a.md", 5, "text\r\n" },
	{ "a.md", 6, "ab" },
	{ "a.md", 7, "\xC3\xB1\tx" },	/* ñ<TAB>x */
	{ "a.md", 8, "\xE2\x82\xAC" },	/* € */
	{ "a.md", 12, "twelve" },
};

static const char *source_line(void *ctx, const char *path, uint32_t line, size_t *len)
{
	int *calls = ctx;
	(*calls)++;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (!strcmp(lines[i].path, path) && lines[i].line == line) {
			*len = strlen(lines[i].text);
			return lines[i].text;
		}
	return NULL;
}

static int ncalls;

static struct pm_diag *add(const char *path, uint32_t line, uint32_t col,
			   enum pm_severity sev, const char *code, const char *msg,
			   const char *hint)
{
	struct pm_diag *d = pm_diags_add(&diags, path, line, col, sev, code, "%s", msg);
	ck_assert_ptr_nonnull(d);
	if (hint)
		pm_diag_set_hint(&diags, d, "%s", hint);
	return d;
}

static struct pm_lint_report report(size_t nfiles)
{
	ncalls = 0;
	struct pm_lint_report r = {
		.diags = &diags, .nfiles = nfiles, .source_line = source_line,
		.ctx = &ncalls, .tool_version = "1.2.3",
	};
	return r;
}

/* Prints r in fmt into a malloc'd string (the caller frees it). */
static char *render(enum pm_lint_format fmt, const struct pm_lint_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(pm_lint_print(f, fmt, r), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_uint_eq(strlen(buf), len);
	return buf;
}

static void assert_output(enum pm_lint_format fmt, const struct pm_lint_report *r,
			  const char *want)
{
	char *got = render(fmt, r);
	ck_assert_str_eq(got, want);
	free(got);
}

/* ---- format names ---- */

static const struct {
	const char *name;
	int rc;
	enum pm_lint_format fmt;
} format_cases[] = {
	{ "text", 0, PM_LINT_TEXT },
	{ "json", 0, PM_LINT_JSON },
	{ "sarif", 0, PM_LINT_SARIF },
	{ "github", 0, PM_LINT_GITHUB },
	{ "Text", -1, PM_LINT_TEXT },
	{ "", -1, PM_LINT_TEXT },
	{ "sarif2", -1, PM_LINT_TEXT },
	{ NULL, -1, PM_LINT_TEXT },
};

START_TEST(format_parse)
{
	enum pm_lint_format fmt = (enum pm_lint_format)99;
	ck_assert_int_eq(pm_lint_format_parse(format_cases[_i].name, &fmt), format_cases[_i].rc);
	if (format_cases[_i].rc == 0)
		ck_assert_int_eq(fmt, format_cases[_i].fmt);
	else
		ck_assert_int_eq(fmt, 99);
}
END_TEST

/* ---- text ---- */

START_TEST(text_caret_under_ascii_column)
{
	add("a.md", 2, 6, PM_SEV_ERROR, "PM303", "'value' is not allowed", "use one of a, b");
	struct pm_lint_report r = report(1);
	assert_output(PM_LINT_TEXT, &r,
		      "a.md:2:6: error[PM303]: 'value' is not allowed\n"
		      " 2 | key: value\n"
		      "   |      ^\n"
		      "  = hint: use one of a, b\n"
		      "\n"
		      "1 file, 1 error, 0 warnings\n");
	ck_assert_int_eq(ncalls, 1);
}
END_TEST

START_TEST(text_caret_counts_code_points)
{
	/* "título: ñandú x": the x is the 15th code point, the 18th byte. */
	add("a.md", 3, 15, PM_SEV_WARNING, "PM307", "unknown field", NULL);
	struct pm_lint_report r = report(1);
	assert_output(PM_LINT_TEXT, &r,
		      "a.md:3:15: warning[PM307]: unknown field\n"
		      " 3 | t\xC3\xADtulo: \xC3\xB1" "and\xC3\xBA x\n"
		      "   |               ^\n"
		      "\n"
		      "1 file, 0 errors, 1 warning\n");
}
END_TEST

START_TEST(text_caret_copies_tabs)
{
	add("a.md", 4, 7, PM_SEV_ERROR, "PM302", "wrong type", NULL);
	struct pm_lint_report r = report(1);
	assert_output(PM_LINT_TEXT, &r,
		      "a.md:4:7: error[PM302]: wrong type\n"
		      " 4 | \tkey:\tvalue\n"
		      "   | \t    \t^\n"
		      "\n"
		      "1 file, 1 error, 0 warnings\n");
}
END_TEST

START_TEST(text_caret_tab_after_multibyte)
{
	/* The tab is the 2nd code point but the 3rd byte: counting bytes
	 * would lose it.  The caret past the end stops after one code point. */
	add("a.md", 7, 3, PM_SEV_ERROR, "PM302", "x", NULL);
	add("a.md", 8, 9, PM_SEV_ERROR, "PM302", "y", NULL);
	struct pm_lint_report r = report(1);
	assert_output(PM_LINT_TEXT, &r,
		      "a.md:7:3: error[PM302]: x\n"
		      " 7 | \xC3\xB1\tx\n"
		      "   |  \t^\n"
		      "\n"
		      "a.md:8:9: error[PM302]: y\n"
		      " 8 | \xE2\x82\xAC\n"
		      "   |  ^\n"
		      "\n"
		      "1 file, 2 errors, 0 warnings\n");
}
END_TEST

START_TEST(text_caret_edges)
{
	/* A line end in the callback's text is not shown; a column past the
	 * end puts the caret just after the line; column 0 has no caret. */
	add("a.md", 5, 1, PM_SEV_ERROR, "PM301", "m1", NULL);
	add("a.md", 6, 40, PM_SEV_ERROR, "PM301", "m2", NULL);
	add("a.md", 12, 0, PM_SEV_ERROR, "PM301", "m3", NULL);
	add("a.md", 99, 1, PM_SEV_ERROR, "PM301", "m4", NULL);	/* no source known */
	struct pm_lint_report r = report(2);
	assert_output(PM_LINT_TEXT, &r,
		      "a.md:5:1: error[PM301]: m1\n"
		      " 5 | text\n"
		      "   | ^\n"
		      "\n"
		      "a.md:6:40: error[PM301]: m2\n"
		      " 6 | ab\n"
		      "   |   ^\n"
		      "\n"
		      "a.md:12: error[PM301]: m3\n"
		      " 12 | twelve\n"
		      "\n"
		      "a.md:99:1: error[PM301]: m4\n"
		      "\n"
		      "2 files, 4 errors, 0 warnings\n");
}
END_TEST

START_TEST(text_wide_gutter_and_no_line)
{
	add("a.md", 12, 3, PM_SEV_ERROR, "PM301", "missing", NULL);
	add("b.md", 0, 0, PM_SEV_WARNING, "PM121", "loop", "remove the link");
	struct pm_lint_report r = report(2);
	assert_output(PM_LINT_TEXT, &r,
		      "a.md:12:3: error[PM301]: missing\n"
		      " 12 | twelve\n"
		      "    |   ^\n"
		      "\n"
		      "b.md: warning[PM121]: loop\n"
		      "  = hint: remove the link\n"
		      "\n"
		      "2 files, 1 error, 1 warning\n");
}
END_TEST

START_TEST(text_without_source_callback)
{
	add("a.md", 2, 6, PM_SEV_ERROR, "PM303", "bad", NULL);
	struct pm_lint_report r = report(1);
	r.source_line = NULL;
	assert_output(PM_LINT_TEXT, &r,
		      "a.md:2:6: error[PM303]: bad\n\n1 file, 1 error, 0 warnings\n");
}
END_TEST

START_TEST(text_quiet_prints_errors_and_summary)
{
	add("a.md", 2, 1, PM_SEV_WARNING, "PM307", "a warning", NULL);
	add("a.md", 2, 6, PM_SEV_ERROR, "PM303", "an error", NULL);
	add("a.md", 3, 1, PM_SEV_NOTE, "PM607", "a note", NULL);
	struct pm_lint_report r = report(3);
	r.quiet = true;
	r.source_line = NULL;
	assert_output(PM_LINT_TEXT, &r,
		      "a.md:2:6: error[PM303]: an error\n"
		      "\n"
		      "3 files, 1 error, 1 warning\n");
	r.quiet = false;
	char *all = render(PM_LINT_TEXT, &r);
	ck_assert_ptr_nonnull(strstr(all, "warning[PM307]: a warning"));
	ck_assert_ptr_nonnull(strstr(all, "note[PM607]: a note"));
	free(all);
}
END_TEST

static const struct {
	size_t files, errors, warnings;
	const char *want;
} summary_cases[] = {
	{ 0, 0, 0, "0 files, 0 errors, 0 warnings\n" },
	{ 1, 1, 1, "1 file, 1 error, 1 warning\n" },
	{ 2, 2, 3, "2 files, 2 errors, 3 warnings\n" },
	{ 11, 0, 1, "11 files, 0 errors, 1 warning\n" },
};

START_TEST(text_summary_plurals)
{
	for (size_t i = 0; i < summary_cases[_i].errors; i++)
		add("a.md", 1, 1, PM_SEV_ERROR, "PM301", "e", NULL);
	for (size_t i = 0; i < summary_cases[_i].warnings; i++)
		add("a.md", 1, 1, PM_SEV_WARNING, "PM307", "w", NULL);
	struct pm_lint_report r = report(summary_cases[_i].files);
	r.quiet = true;
	r.source_line = NULL;
	char *out = render(PM_LINT_TEXT, &r);
	size_t n = strlen(out), m = strlen(summary_cases[_i].want);
	ck_assert_uint_ge(n, m);
	ck_assert_str_eq(out + n - m, summary_cases[_i].want);
	free(out);
}
END_TEST

START_TEST(text_color_only_when_asked)
{
	add("a.md", 2, 6, PM_SEV_ERROR, "PM303", "bad", NULL);
	add("a.md", 4, 1, PM_SEV_WARNING, "PM307", "meh", NULL);
	struct pm_lint_report r = report(1);
	char *plain = render(PM_LINT_TEXT, &r);
	ck_assert_ptr_null(strchr(plain, '\033'));
	r.color = true;
	char *col = render(PM_LINT_TEXT, &r);
	ck_assert_ptr_nonnull(strstr(col, "\033[1ma.md:2:6:\033[0m \033[1;31merror[PM303]\033[0m: bad\n"));
	ck_assert_ptr_nonnull(strstr(col, "\033[1;33mwarning[PM307]\033[0m"));
	ck_assert_ptr_nonnull(strstr(col, "\033[36m^\033[0m"));
	free(plain);
	free(col);
}
END_TEST

START_TEST(text_control_characters_are_neutralised)
{
	add("a\033]0;x\a.md", 1, 1, PM_SEV_ERROR, "PM303", "value '\033[2J' bad", "\x7f");
	struct pm_lint_report r = report(1);
	char *out = render(PM_LINT_TEXT, &r);
	ck_assert_ptr_null(strchr(out, '\033'));
	ck_assert_ptr_null(strchr(out, '\a'));
	ck_assert_ptr_null(strchr(out, '\x7f'));
	ck_assert_ptr_nonnull(strstr(out, "a?]0;x?.md:1:1: error[PM303]: value '?[2J' bad\n"));
	ck_assert_ptr_nonnull(strstr(out, "  = hint: ?\n"));
	free(out);
}
END_TEST

/* ---- JSON ---- */

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	ck_assert_msg(j != NULL, "invalid JSON at %d:%d: %s\n%s", jerr.line, jerr.column,
		      jerr.text, text);
	return j;
}

START_TEST(json_round_trip)
{
	add("docs/a.md", 2, 6, PM_SEV_ERROR, "PM303", "'x' is not allowed", "use y");
	add("docs/b.md", 0, 0, PM_SEV_WARNING, "PM121", "loop \"quoted\"", NULL);
	struct pm_lint_report r = report(4);
	char *out = render(PM_LINT_JSON, &r);
	ck_assert_msg(!strncmp(out, "{\n  \"files\": 4,\n  \"errors\": 1,\n", 30),
		      "not indented by 2 or not in order:\n%s", out);
	ck_assert_int_eq(out[strlen(out) - 1], '\n');
	json_t *j = parse(out);
	ck_assert_uint_eq(json_object_size(j), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "files")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "errors")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "warnings")), 1);
	json_t *list = json_object_get(j, "diagnostics");
	ck_assert_uint_eq(json_array_size(list), 2);
	json_t *d = json_array_get(list, 0);
	ck_assert_uint_eq(json_object_size(d), 7);
	ck_assert_str_eq(json_string_value(json_object_get(d, "file")), "docs/a.md");
	ck_assert_int_eq(json_integer_value(json_object_get(d, "line")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "column")), 6);
	ck_assert_str_eq(json_string_value(json_object_get(d, "severity")), "error");
	ck_assert_str_eq(json_string_value(json_object_get(d, "code")), "PM303");
	ck_assert_str_eq(json_string_value(json_object_get(d, "message")), "'x' is not allowed");
	ck_assert_str_eq(json_string_value(json_object_get(d, "hint")), "use y");
	d = json_array_get(list, 1);
	ck_assert_str_eq(json_string_value(json_object_get(d, "severity")), "warning");
	ck_assert_str_eq(json_string_value(json_object_get(d, "message")), "loop \"quoted\"");
	ck_assert(json_is_null(json_object_get(d, "hint")));
	ck_assert_int_eq(json_integer_value(json_object_get(d, "line")), 0);
	json_decref(j);
	free(out);
}
END_TEST

START_TEST(json_empty)
{
	struct pm_lint_report r = report(0);
	char *out = render(PM_LINT_JSON, &r);
	json_t *j = parse(out);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "diagnostics")), 0);
	ck_assert(json_is_array(json_object_get(j, "diagnostics")));
	json_decref(j);
	free(out);
}
END_TEST

/* ---- SARIF ---- */

/* The value at a dotted path ("runs.0.tool"); numbers index arrays. */
static json_t *jget(json_t *o, const char *path)
{
	json_t *v = o;
	char key[64];
	while (*path) {
		size_t n = strcspn(path, ".");
		ck_assert_uint_lt(n, sizeof(key));
		memcpy(key, path, n);
		key[n] = '\0';
		path += n + (path[n] == '.');
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(key)) : json_object_get(v, key);
		ck_assert_msg(v != NULL, "no '%s'", key);
	}
	return v;
}

static const char *sget(json_t *o, const char *path)
{
	json_t *v = jget(o, path);
	ck_assert_msg(json_is_string(v), "'%s' is not a string", path);
	return json_string_value(v);
}

static json_int_t iget(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	ck_assert_msg(json_is_integer(v), "'%s' is not an integer", key);
	return json_integer_value(v);
}

START_TEST(sarif_round_trip)
{
	add("./docs/my file.md", 3, 5, PM_SEV_ERROR, "PM501", "missing section 'Impact'",
	    "add '## Impact'");
	add("docs/r\xC3\xA9sum\xC3\xA9#1.md", 7, 0, PM_SEV_WARNING, "PM307", "unknown field 'x'",
	    NULL);
	add("docs/z.md", 0, 0, PM_SEV_ERROR, "PM109", "cannot read", NULL);
	add("docs/z.md", 9, 2, PM_SEV_NOTE, "PM501", "again", NULL);
	struct pm_lint_report r = report(3);
	char *out = render(PM_LINT_SARIF, &r);
	ck_assert_int_eq(out[strlen(out) - 1], '\n');
	json_t *j = parse(out);
	ck_assert_str_eq(sget(j, "version"), "2.1.0");
	ck_assert_str_eq(sget(j, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
	ck_assert_uint_eq(json_array_size(json_object_get(j, "runs")), 1);
	json_t *run = json_array_get(json_object_get(j, "runs"), 0);
	ck_assert_str_eq(sget(run, "tool.driver.name"), "pmtool");
	ck_assert_str_eq(sget(run, "tool.driver.version"), "1.2.3");
	ck_assert_str_eq(sget(run, "tool.driver.informationUri"), "https://github.com/pmtool/pmtool");
	ck_assert_str_eq(sget(run, "columnKind"), "unicodeCodePoints");

	/* One rule per code used, each once, in code order. */
	json_t *rules = jget(run, "tool.driver.rules");
	ck_assert_uint_eq(json_array_size(rules), 3);
	ck_assert_str_eq(sget(rules, "0.id"), "PM109");
	ck_assert_str_eq(sget(rules, "1.id"), "PM307");
	ck_assert_str_eq(sget(rules, "2.id"), "PM501");
	ck_assert_str_eq(sget(rules, "2.name"), "MissingSection");
	ck_assert_str_eq(sget(rules, "2.shortDescription.text"), pm_code_lookup("PM501")->summary);
	ck_assert_str_eq(sget(rules, "2.defaultConfiguration.level"), "error");
	ck_assert_str_eq(sget(rules, "1.defaultConfiguration.level"), "warning");

	json_t *results = json_object_get(run, "results");
	ck_assert_uint_eq(json_array_size(results), 4);
	for (size_t i = 0; i < 4; i++) {
		json_t *res = json_array_get(results, i);
		json_int_t k = iget(res, "ruleIndex");
		ck_assert_int_ge(k, 0);
		ck_assert_int_lt(k, 3);
		ck_assert_str_eq(sget(res, "ruleId"), sget(json_array_get(rules, (size_t)k), "id"));
		ck_assert_str_eq(sget(res, "ruleId"), diags.items[i].code);
	}
	json_t *r0 = json_array_get(results, 0);
	ck_assert_str_eq(sget(r0, "level"), "error");
	ck_assert_str_eq(sget(r0, "message.text"),
			 "missing section 'Impact' (hint: add '## Impact')");
	ck_assert_str_eq(sget(r0, "locations.0.physicalLocation.artifactLocation.uri"),
			 "docs/my%20file.md");
	json_t *region = jget(r0, "locations.0.physicalLocation.region");
	ck_assert_int_eq(iget(region, "startLine"), 3);
	ck_assert_int_eq(iget(region, "startColumn"), 5);

	json_t *r1 = json_array_get(results, 1);
	ck_assert_str_eq(sget(r1, "level"), "warning");
	ck_assert_str_eq(sget(r1, "message.text"), "unknown field 'x'");
	ck_assert_str_eq(sget(r1, "locations.0.physicalLocation.artifactLocation.uri"),
			 "docs/r%C3%A9sum%C3%A9%231.md");
	region = jget(r1, "locations.0.physicalLocation.region");
	ck_assert_int_eq(iget(region, "startLine"), 7);
	ck_assert_ptr_null(json_object_get(region, "startColumn"));	/* column 0 */

	json_t *r2 = json_array_get(results, 2);
	json_t *phys2 = jget(r2, "locations.0.physicalLocation");
	ck_assert_str_eq(sget(phys2, "artifactLocation.uri"), "docs/z.md");
	/* line 0: GitHub needs a region, so the file's first line */
	ck_assert_int_eq(iget(json_object_get(phys2, "region"), "startLine"), 1);
	ck_assert_ptr_null(json_object_get(json_object_get(phys2, "region"), "startColumn"));

	ck_assert_str_eq(sget(json_array_get(results, 3), "level"), "note");
	json_decref(j);
	free(out);
}
END_TEST

START_TEST(sarif_empty_is_valid)
{
	struct pm_lint_report r = report(0);
	r.tool_version = NULL;
	char *out = render(PM_LINT_SARIF, &r);
	json_t *j = parse(out);
	json_t *run = json_array_get(json_object_get(j, "runs"), 0);
	ck_assert(json_is_array(json_object_get(run, "results")));
	ck_assert_uint_eq(json_array_size(json_object_get(run, "results")), 0);
	json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
	ck_assert_uint_eq(json_array_size(json_object_get(driver, "rules")), 0);
	ck_assert_ptr_null(json_object_get(driver, "version"));
	json_decref(j);
	free(out);
}
END_TEST

/* ---- GitHub ---- */

START_TEST(github_commands_and_escaping)
{
	add("docs/a:b,c.md", 3, 2, PM_SEV_ERROR, "PM303", "50% done\r\nnext: a, b", "try 100%");
	add("docs/x.md", 0, 0, PM_SEV_WARNING, "PM121", "loop", NULL);
	add("docs/y.md", 4, 0, PM_SEV_NOTE, "PM607", "late", NULL);
	struct pm_lint_report r = report(3);
	assert_output(PM_LINT_GITHUB, &r,
		      "::error file=docs/a%3Ab%2Cc.md,line=3,col=2,title=PM303::"
		      "50%25 done%0D%0Anext: a, b (hint: try 100%25)\n"
		      "::warning file=docs/x.md,title=PM121::loop\n"
		      "::notice file=docs/y.md,line=4,title=PM607::late\n");
	ck_assert_int_eq(ncalls, 0);
}
END_TEST

START_TEST(github_prints_nothing_for_no_findings)
{
	struct pm_lint_report r = report(5);
	assert_output(PM_LINT_GITHUB, &r, "");
}
END_TEST

START_TEST(write_failure_is_reported)
{
	add("a.md", 2, 6, PM_SEV_ERROR, "PM303", "bad", NULL);
	struct pm_lint_report r = report(1);
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		return;	/* no /dev/full here: nothing to check */
	ck_assert_int_eq(pm_lint_print(f, PM_LINT_TEXT, &r), PM_ERR_IO);
	fclose(f);
}
END_TEST

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *lint_output_suite(void);

Suite *lint_output_suite(void)
{
	Suite *s = suite_create("lint_output");
	TCase *tc = tcase_create("format");
	tcase_add_loop_test(tc, format_parse, 0, NCASES(format_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_caret_under_ascii_column);
	tcase_add_test(tc, text_caret_counts_code_points);
	tcase_add_test(tc, text_caret_copies_tabs);
	tcase_add_test(tc, text_caret_tab_after_multibyte);
	tcase_add_test(tc, text_caret_edges);
	tcase_add_test(tc, text_wide_gutter_and_no_line);
	tcase_add_test(tc, text_without_source_callback);
	tcase_add_test(tc, text_quiet_prints_errors_and_summary);
	tcase_add_loop_test(tc, text_summary_plurals, 0, NCASES(summary_cases));
	tcase_add_test(tc, text_color_only_when_asked);
	tcase_add_test(tc, text_control_characters_are_neutralised);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json_round_trip);
	tcase_add_test(tc, json_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("sarif");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sarif_round_trip);
	tcase_add_test(tc, sarif_empty_is_valid);
	suite_add_tcase(s, tc);

	tc = tcase_create("github");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, github_commands_and_escaping);
	tcase_add_test(tc, github_prints_nothing_for_no_findings);
	tcase_add_test(tc, write_failure_is_reported);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(lint_output_suite());
}
