/* check_table_output.c - statement rows as an aligned table (display
 * widths, fitting, sanitising), JSON (parsed back), CSV (RFC 4180) and GFM
 * Markdown (escaping, parsed back by cmark-gfm); row and cell limits;
 * pm_display_width. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>
#include <sqlite3.h>

#include "cmd/table_output.h"
#include "doc.h"
#include "error.h"
#include "testutil.h"

/* The UTF-8 spelled out, so the expected outputs show every byte. */
#define AE "\xC3\xA4"			/* ä */
#define FINNISH "Hyv" AE AE " p" AE "iv" AE AE	/* Hyvää päivää: 12 columns */
#define KANJI "\xE6\xBC\xA2\xE5\xAD\x97"	/* 漢字: 2 code points, 4 columns */
#define SMILE "\xF0\x9F\x98\x80"	/* 😀 U+1F600: 2 columns */
#define ACUTE "\xCC\x81"		/* U+0301 COMBINING ACUTE ACCENT: 0 columns */
#define ELL "\xE2\x80\xA6"		/* … */

static sqlite3 *db;
static sqlite3_stmt *st;

static void setup(void)
{
	st = NULL;
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	const char *sql =
		"CREATE TABLE t(id INTEGER, name TEXT, score REAL, note TEXT);"
		"INSERT INTO t VALUES"
		" (1, 'plain', 1.5, NULL),"
		" (22, '" FINNISH "', -0.25, 'a|b'),"
		" (333, '" KANJI "', NULL, 'say \"hi\", ok'),"
		" (4, '" SMILE " smile', 10.0, 'line1' || char(10) || 'line2'),"
		" (5, 'e" ACUTE "', 2.0, 'bell' || char(7));";
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	ck_assert_msg(rc == SQLITE_OK, "setup: %s", err ? err : "?");
}

static void teardown(void)
{
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Prepares sql on the fixture database (replacing the last statement). */
static void prepare(const char *sql)
{
	sqlite3_finalize(st);
	st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
}

static void bind(int i, const char *s)
{
	ck_assert_int_eq(sqlite3_bind_text(st, i, s, (int)strlen(s), SQLITE_TRANSIENT),
			 SQLITE_OK);
}

/* Prints the prepared statement into a malloc'd string (the caller frees
 * it), failing the test unless printing succeeds. */
static char *print(enum pm_out_format fmt, const struct pm_out_opts *o, size_t *nrows,
		   bool *truncated)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	int rc = pm_out_print_stmt(f, fmt, st, o, nrows, truncated);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_msg(rc == 0, "pm_out_print_stmt returned %d (%s)", rc, sqlite3_errmsg(db));
	ck_assert_uint_eq(strlen(buf), len);
	return buf;
}

static void assert_output(const char *sql, enum pm_out_format fmt,
			  const struct pm_out_opts *o, const char *want)
{
	prepare(sql);
	char *got = print(fmt, o, NULL, NULL);
	ck_assert_str_eq(got, want);
	free(got);
}

/* Fails when a line of s ends in a space or is wider than width (when
 * width > 0). */
static void assert_lines(const char *s, size_t width)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		ck_assert_ptr_nonnull(nl);
		ck_assert_msg(nl == s || nl[-1] != ' ', "trailing space in '%.*s'",
			      (int)(nl - s), s);
		if (width)
			ck_assert_msg(pm_display_width(s, (size_t)(nl - s)) <= width,
				      "'%.*s' is wider than %zu", (int)(nl - s), s, width);
		s = nl + 1;
	}
}

static const char all_sql[] = "SELECT id, name, score, note FROM t ORDER BY rowid";

/* ---- format names ---- */

static const struct {
	const char *name;
	int rc;
	enum pm_out_format fmt;
} format_cases[] = {
	{ "table", 0, PM_OUT_TABLE },
	{ "json", 0, PM_OUT_JSON },
	{ "csv", 0, PM_OUT_CSV },
	{ "markdown", 0, PM_OUT_MARKDOWN },
	{ "Table", -1, PM_OUT_TABLE },
	{ "md", -1, PM_OUT_TABLE },
	{ "", -1, PM_OUT_TABLE },
	{ "csv ", -1, PM_OUT_TABLE },
	{ NULL, -1, PM_OUT_TABLE },
};

START_TEST(format_parse)
{
	enum pm_out_format fmt = (enum pm_out_format)99;
	ck_assert_int_eq(pm_out_format_parse(format_cases[_i].name, &fmt), format_cases[_i].rc);
	if (format_cases[_i].rc == 0)
		ck_assert_int_eq(fmt, format_cases[_i].fmt);
	else
		ck_assert_int_eq(fmt, 99);
}
END_TEST

/* ---- display width ---- */

#define S(lit) lit, sizeof(lit) - 1
static const struct {
	const char *s;
	size_t len;
	size_t width;
} width_cases[] = {
	{ S(""), 0 },
	{ S("abc"), 3 },
	{ S(FINNISH), 12 },
	{ S(KANJI), 4 },
	{ S(SMILE), 2 },
	{ S("e" ACUTE), 1 },
	{ S(ACUTE), 0 },
	{ S("\xED\x95\x9C"), 2 },		/* 한 U+D55C Hangul */
	{ S("\xEF\xBC\xA1"), 2 },		/* Ａ U+FF21 fullwidth */
	{ S("\xEF\xBD\xB1"), 1 },		/* ｱ U+FF71 halfwidth */
	{ S("\xF0\xA0\x80\x80"), 2 },		/* U+20000 CJK extension B */
	{ S("\xE2\x82\xAC"), 1 },		/* € */
	{ S(ELL), 1 },
	{ S("a\tb"), 3 },			/* controls: one '?' each */
	{ S("\x1B[0m"), 4 },
	{ S("\x7F"), 1 },
	{ S("\xC2\x9B"), 1 },			/* C1 CSI */
	{ S("a\0b"), 3 },
	{ S("\xFF\xFE"), 2 },			/* invalid bytes: 1 each */
	{ S("\xE2\x82"), 2 },			/* a cut sequence */
	{ S("\xC0\xAF"), 2 },			/* an overlong '/' */
	{ S("\xED\xA0\x80"), 3 },		/* a surrogate */
	{ S("\xF4\x90\x80\x80"), 4 },		/* past U+10FFFF */
	{ S(KANJI "\xFF" "x"), 6 },
};

START_TEST(display_width)
{
	ck_assert_uint_eq(pm_display_width(width_cases[_i].s, width_cases[_i].len),
			  width_cases[_i].width);
}
END_TEST

START_TEST(display_width_same_in_utf8_locale)
{
	/* Under a UTF-8 locale wcwidth() answers instead of the built-in
	 * table; the widths must not change. */
	if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "en_US.UTF-8"))
		return;	/* no UTF-8 locale installed: the C-locale case covers it */
	for (size_t i = 0; i < sizeof(width_cases) / sizeof(width_cases[0]); i++)
		ck_assert_msg(pm_display_width(width_cases[i].s, width_cases[i].len) ==
			      width_cases[i].width, "case %zu", i);
	setlocale(LC_CTYPE, "C");
}
END_TEST

/* ---- table ---- */

START_TEST(table_aligns_by_display_width)
{
	/* Numbers right-aligned (their headers too), text left-aligned by
	 * display width, NULL empty, the last column unpadded, the newline
	 * in a cell a space and the BEL a '?'. */
	size_t n = 0;
	bool cut = true;
	prepare(all_sql);
	char *got = print(PM_OUT_TABLE, NULL, &n, &cut);
	ck_assert_str_eq(got,
		" id  name          score  note\n"
		"---  ------------  -----  ------------\n"
		"  1  plain           1.5\n"
		" 22  " FINNISH "  -0.25  a|b\n"
		"333  " KANJI "                 say \"hi\", ok\n"
		"  4  " SMILE " smile       10.0  line1 line2\n"
		"  5  e" ACUTE "               2.0  bell?\n");
	ck_assert_uint_eq(n, 5);
	ck_assert(!cut);
	assert_lines(got, 0);
	free(got);
}
END_TEST

START_TEST(table_neutralises_control_characters)
{
	/* ESC, C1 CSI, DEL, TAB, NUL and invalid bytes are one '?' each; CRLF,
	 * CR and LF one space each; the widths count what is shown. */
	prepare("SELECT ?1 AS a, ?2 AS b");
	bind(1, "x\x1B[31my\xC2\x9Bz\x7F");
	ck_assert_int_eq(sqlite3_bind_text(st, 2, "p\r\nq\rr\ns\tt\0u\xFF", 13, SQLITE_STATIC),
			 SQLITE_OK);
	char *got = print(PM_OUT_TABLE, NULL, NULL, NULL);
	ck_assert_str_eq(got,
		"a           b\n"
		"----------  ------------\n"
		"x?[31my?z?  p q r s?t?u?\n");
	free(got);
}
END_TEST

START_TEST(table_no_trailing_spaces)
{
	/* A last cell of spaces, a NULL last column and a left-aligned cell
	 * followed only by empties: no line may end in a space. */
	assert_output("SELECT 'x' AS a, NULL AS b UNION ALL SELECT 'longer', 'y  '",
		      PM_OUT_TABLE, NULL,
		      "a       b\n"
		      "------  ---\n"
		      "x\n"
		      "longer  y\n");
}
END_TEST

START_TEST(table_empty_result)
{
	assert_output("SELECT id, name AS title FROM t WHERE id < 0", PM_OUT_TABLE, NULL,
		      "id  title\n"
		      "--  -----\n");
}
END_TEST

START_TEST(table_fits_width)
{
	/* 40 columns into 30: only the text column that is wider than 8
	 * shrinks (to exactly fill the width), numbers and "short" stay. */
	struct pm_out_opts o = { .width = 30 };
	prepare("SELECT 1 AS n, 'abcdefghijklmnopqrstuvwxyz0123' AS title, 'short' AS tag");
	char *got = print(PM_OUT_TABLE, &o, NULL, NULL);
	ck_assert_str_eq(got,
		"n  title                 tag\n"
		"-  --------------------  -----\n"
		"1  abcdefghijklmnopqrs" ELL "  short\n");
	assert_lines(got, 30);
	free(got);

	/* Without a width, or with enough of it, nothing is cut. */
	o.width = 40;
	assert_output("SELECT 'abcdefghijklmnopqrstuvwxyz0123' AS title", PM_OUT_TABLE, &o,
		      "title\n"
		      "------------------------------\n"
		      "abcdefghijklmnopqrstuvwxyz0123\n");
}
END_TEST

START_TEST(table_fit_shares_between_widest)
{
	/* Two 20-wide columns into 35: 17 + 2 + 16. */
	struct pm_out_opts o = { .width = 35 };
	assert_output("SELECT 'aaaaaaaaaaaaaaaaaaaa' AS a, 'bbbbbbbbbbbbbbbbbbbb' AS b",
		      PM_OUT_TABLE, &o,
		      "a                  b\n"
		      "-----------------  ----------------\n"
		      "aaaaaaaaaaaaaaaa" ELL "  bbbbbbbbbbbbbbb" ELL "\n");
}
END_TEST

START_TEST(table_fit_never_below_eight)
{
	struct pm_out_opts o = { .width = 10 };
	prepare("SELECT 'aaaaaaaaaaaa' AS a, 'bbbbbbbbbbbb' AS b, 123456789012 AS n");
	char *got = print(PM_OUT_TABLE, &o, NULL, NULL);
	ck_assert_str_eq(got,
		"a         b                    n\n"
		"--------  --------  ------------\n"
		"aaaaaaa" ELL "  bbbbbbb" ELL "  123456789012\n");
	assert_lines(got, 0);
	free(got);
}
END_TEST

START_TEST(table_fit_cuts_wide_characters)
{
	/* A 10-column cell of 2-column characters holds 4 of them, the
	 * ellipsis and one space of padding. */
	struct pm_out_opts o = { .width = 13 };
	prepare("SELECT ?1 AS k, 1 AS n");
	bind(1, KANJI KANJI KANJI KANJI KANJI KANJI);
	char *got = print(PM_OUT_TABLE, &o, NULL, NULL);
	ck_assert_str_eq(got,
		"k           n\n"
		"----------  -\n"
		KANJI KANJI ELL "   1\n");
	assert_lines(got, 13);
	free(got);
}
END_TEST

START_TEST(table_hides_columns)
{
	bool hide[] = { false, true, true, false };
	struct pm_out_opts o = { .hide = hide };
	assert_output("SELECT id, name, score, note FROM t WHERE id IN (1, 22) ORDER BY rowid",
		      PM_OUT_TABLE, &o,
		      "id  note\n"
		      "--  ----\n"
		      " 1\n"
		      "22  a|b\n");
	bool all[] = { true };
	o.hide = all;
	assert_output("SELECT id FROM t", PM_OUT_TABLE, &o, "");
}
END_TEST

/* ---- limits ---- */

static const struct {
	size_t max_rows;
	size_t printed;
	bool truncated;
} row_cases[] = {
	{ 0, 5, false },
	{ 1, 1, true },
	{ 2, 2, true },
	{ 4, 4, true },
	{ 5, 5, false },
	{ 6, 5, false },
};

START_TEST(max_rows_truncates)
{
	static const enum pm_out_format fmts[] = {
		PM_OUT_TABLE, PM_OUT_JSON, PM_OUT_CSV, PM_OUT_MARKDOWN,
	};
	for (size_t k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		struct pm_out_opts o = { .max_rows = row_cases[_i].max_rows };
		size_t n = 99;
		bool cut = !row_cases[_i].truncated;
		prepare("SELECT id FROM t ORDER BY rowid");
		char *got = print(fmts[k], &o, &n, &cut);
		ck_assert_uint_eq(n, row_cases[_i].printed);
		ck_assert(cut == row_cases[_i].truncated);
		/* Rows past the limit are not printed: 4 and 5 hold "4", "5". */
		ck_assert(!strchr(got, '5') == (row_cases[_i].printed < 5));
		ck_assert(!strchr(got, '4') == (row_cases[_i].printed < 4));
		free(got);
	}
}
END_TEST

START_TEST(max_rows_table_exact)
{
	struct pm_out_opts o = { .max_rows = 2 };
	assert_output("SELECT id, name FROM t ORDER BY rowid", PM_OUT_TABLE, &o,
		      "id  name\n"
		      "--  ------------\n"
		      " 1  plain\n"
		      "22  " FINNISH "\n");
}
END_TEST

static const struct {
	size_t max_cell;
	const char *want;
} cell_cases[] = {
	{ 0, "name\r\n" FINNISH "\r\n" KANJI "\r\n" },
	{ 3, "name\r\nHyv" ELL "\r\n\xE6\xBC\xA2" ELL "\r\n" },
	{ 4, "name\r\nHyv" ELL "\r\n\xE6\xBC\xA2" ELL "\r\n" },
	{ 5, "name\r\nHyv" AE ELL "\r\n\xE6\xBC\xA2" ELL "\r\n" },
	{ 6, "name\r\nHyv" AE ELL "\r\n" KANJI "\r\n" },
	{ 2, "name\r\nHy" ELL "\r\n" ELL "\r\n" },
	{ 16, "name\r\nHyv" AE AE " p" AE "iv" AE ELL "\r\n" KANJI "\r\n" },
	{ 17, "name\r\n" FINNISH "\r\n" KANJI "\r\n" },
};

START_TEST(max_cell_cuts_at_code_point)
{
	/* "Hyvää" has the ä in bytes 4-5, so 4 bytes keep "Hyv" and 5 keep
	 * "Hyvä"; 漢 is 3 bytes; FINNISH is 17 bytes. */
	struct pm_out_opts o = { .max_cell = cell_cases[_i].max_cell };
	assert_output("SELECT name FROM t WHERE id IN (22, 333) ORDER BY rowid", PM_OUT_CSV, &o,
		      cell_cases[_i].want);
}
END_TEST

START_TEST(max_cell_in_every_format)
{
	struct pm_out_opts o = { .max_cell = 5 };
	assert_output("SELECT name, id FROM t WHERE id = 22", PM_OUT_TABLE, &o,
		      "name   id\n"
		      "-----  --\n"
		      "Hyv" AE ELL "  22\n");
	o.max_cell = 4;
	assert_output("SELECT name FROM t WHERE id = 333", PM_OUT_MARKDOWN, &o,
		      "| name |\n"
		      "|---|\n"
		      "| \xE6\xBC\xA2" ELL " |\n");
	/* Numbers are never cut; a cell of exactly max_cell bytes is whole. */
	o.max_cell = 2;
	assert_output("SELECT 123456 AS n, 'ab' AS s", PM_OUT_CSV, &o,
		      "n,s\r\n123456,ab\r\n");
	/* A BLOB's hex is cut like text. */
	o.max_cell = 3;
	assert_output("SELECT X'00ff10' AS b", PM_OUT_CSV, &o, "b\r\n00f" ELL "\r\n");
	o.max_cell = 4;
	prepare("SELECT name FROM t WHERE id = 22");
	char *got = print(PM_OUT_JSON, &o, NULL, NULL);
	json_t *j = json_loads(got, 0, NULL);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "name")),
			 "Hyv" ELL);
	json_decref(j);
	free(got);
}
END_TEST

/* ---- JSON ---- */

START_TEST(json_exact_layout)
{
	assert_output("SELECT id, name, score, note FROM t WHERE id = 1", PM_OUT_JSON, NULL,
		      "[\n"
		      "  {\n"
		      "    \"id\": 1,\n"
		      "    \"name\": \"plain\",\n"
		      "    \"score\": 1.5,\n"
		      "    \"note\": null\n"
		      "  }\n"
		      "]\n");
}
END_TEST

START_TEST(json_round_trip)
{
	prepare("SELECT id, name, score, note, X'00ff' AS blob, id AS id FROM t ORDER BY rowid");
	size_t n = 0;
	char *got = print(PM_OUT_JSON, NULL, &n, NULL);
	ck_assert_uint_eq(n, 5);
	json_error_t e;
	json_t *j = json_loads(got, 0, &e);
	ck_assert_msg(j != NULL, "output does not parse: %s at %d:%d", e.text, e.line, e.column);
	ck_assert(json_is_array(j));
	ck_assert_uint_eq(json_array_size(j), 5);

	json_t *r0 = json_array_get(j, 0);
	ck_assert_uint_eq(json_object_size(r0), 6);
	ck_assert(json_is_integer(json_object_get(r0, "id")));
	ck_assert_int_eq(json_integer_value(json_object_get(r0, "id")), 1);
	ck_assert(json_is_real(json_object_get(r0, "score")));
	ck_assert(json_real_value(json_object_get(r0, "score")) == 1.5);
	ck_assert(json_is_null(json_object_get(r0, "note")));
	ck_assert_str_eq(json_string_value(json_object_get(r0, "blob")), "00ff");
	/* The repeated column name keeps its value under "id_2". */
	ck_assert_int_eq(json_integer_value(json_object_get(r0, "id_2")), 1);
	/* Keys come in column order. */
	const char *want_keys[] = { "id", "name", "score", "note", "blob", "id_2" };
	size_t k = 0;
	for (void *it = json_object_iter(r0); it; it = json_object_iter_next(r0, it))
		ck_assert_str_eq(json_object_iter_key(it), want_keys[k++]);
	ck_assert_uint_eq(k, 6);

	json_t *r1 = json_array_get(j, 1);
	ck_assert_str_eq(json_string_value(json_object_get(r1, "name")), FINNISH);
	ck_assert_str_eq(json_string_value(json_object_get(r1, "note")), "a|b");
	ck_assert(json_real_value(json_object_get(r1, "score")) == -0.25);
	json_t *r2 = json_array_get(j, 2);
	ck_assert_str_eq(json_string_value(json_object_get(r2, "name")), KANJI);
	ck_assert(json_is_null(json_object_get(r2, "score")));
	ck_assert_str_eq(json_string_value(json_object_get(r2, "note")), "say \"hi\", ok");
	json_t *r3 = json_array_get(j, 3);
	ck_assert_str_eq(json_string_value(json_object_get(r3, "name")), SMILE " smile");
	ck_assert_str_eq(json_string_value(json_object_get(r3, "note")), "line1\nline2");
	/* 10.0 stays a real, not the integer 10. */
	ck_assert(json_is_real(json_object_get(r3, "score")));
	json_t *r4 = json_array_get(j, 4);
	ck_assert_str_eq(json_string_value(json_object_get(r4, "name")), "e" ACUTE);
	ck_assert_str_eq(json_string_value(json_object_get(r4, "note")), "bell\a");
	json_decref(j);
	free(got);
}
END_TEST

START_TEST(json_values_and_names)
{
	/* Reals with SQLite's 15 digits, infinities as strings, big integers
	 * exact, invalid UTF-8 (in a value and in a name) as U+FFFD. */
	prepare("SELECT 0.1 AS a, 1e999 AS b, -1e999 AS c, 9223372036854775807 AS d,"
		" ?1 AS e, 1 AS \"k\xFF\"");
	ck_assert_int_eq(sqlite3_bind_text(st, 1, "x\xFFy", 3, SQLITE_STATIC), SQLITE_OK);
	char *got = print(PM_OUT_JSON, NULL, NULL, NULL);
	ck_assert_str_eq(got,
		"[\n"
		"  {\n"
		"    \"a\": 0.1,\n"
		"    \"b\": \"Inf\",\n"
		"    \"c\": \"-Inf\",\n"
		"    \"d\": 9223372036854775807,\n"
		"    \"e\": \"x\xEF\xBF\xBDy\",\n"
		"    \"k\xEF\xBF\xBD\": 1\n"
		"  }\n"
		"]\n");
	free(got);
}
END_TEST

/* ---- CSV ---- */

START_TEST(csv_rfc4180)
{
	assert_output(all_sql, PM_OUT_CSV, NULL,
		      "id,name,score,note\r\n"
		      "1,plain,1.5,\r\n"
		      "22," FINNISH ",-0.25,a|b\r\n"
		      "333," KANJI ",,\"say \"\"hi\"\", ok\"\r\n"
		      "4," SMILE " smile,10.0,\"line1\nline2\"\r\n"
		      "5,e" ACUTE ",2.0,bell\a\r\n");
}
END_TEST

/* Integers are written by hand (int_text): every digit count, the sign,
 * and both ends of the range, as snprintf("%lld") would. */
START_TEST(csv_integers_exact)
{
	assert_output("SELECT 0 AS a, 7 AS b, -7 AS c, 10 AS d, -10 AS e, 1234567890123 AS f, "
		      "9223372036854775807 AS g, -9223372036854775807 - 1 AS h",
		      PM_OUT_CSV, NULL,
		      "a,b,c,d,e,f,g,h\r\n"
		      "0,7,-7,10,-10,1234567890123,9223372036854775807,-9223372036854775808\r\n");
}
END_TEST

START_TEST(csv_quotes_only_when_needed)
{
	/* CR alone forces quotes; spaces, '=' and other bytes pass as they
	 * are (no formula defusing, by design); a quoted header too. */
	prepare("SELECT ?1 AS \"a,b\", ?2 AS c, ?3 AS d, '' AS e");
	bind(1, "x\ry");
	bind(2, " =1+1 ");
	bind(3, "\"");
	char *got = print(PM_OUT_CSV, NULL, NULL, NULL);
	ck_assert_str_eq(got,
		"\"a,b\",c,d,e\r\n"
		"\"x\ry\", =1+1 ,\"\"\"\",\r\n");
	free(got);
}
END_TEST

/* ---- Markdown ---- */

START_TEST(markdown_table)
{
	assert_output(all_sql, PM_OUT_MARKDOWN, NULL,
		      "| id | name | score | note |\n"
		      "|---:|---|---:|---|\n"
		      "| 1 | plain | 1.5 |  |\n"
		      "| 22 | " FINNISH " | -0.25 | a\\|b |\n"
		      "| 333 | " KANJI " |  | say \"hi\", ok |\n"
		      "| 4 | " SMILE " smile | 10.0 | line1<br>line2 |\n"
		      "| 5 | e" ACUTE " | 2.0 | bell? |\n");
}
END_TEST

START_TEST(markdown_escaping)
{
	prepare("SELECT ?1 AS \"a|b\", ?2 AS c, ?3 AS d, ?4 AS e");
	bind(1, "  padded \r\n");
	bind(2, "back\\|slash a\\b");
	bind(3, "\r\nx\r\ny\rz\x1B");
	bind(4, "\\\\|");
	char *got = print(PM_OUT_MARKDOWN, NULL, NULL, NULL);
	ck_assert_str_eq(got,
		"| a\\|b | c | d | e |\n"
		"|---|---|---|---|\n"
		"| padded | back\\\\\\|slash a\\b | x<br>y<br>z? | \\\\\\\\\\| |\n");
	free(got);
}
END_TEST

START_TEST(markdown_parses_back)
{
	/* cmark-gfm reads the cells back as they were (but for the line
	 * breaks, which become HTML). */
	prepare("SELECT ?1 AS \"a|b\", ?2 AS c, 7 AS n");
	bind(1, "x|y");
	bind(2, "back\\|slash \\\\| z\\");
	char *md = print(PM_OUT_MARKDOWN, NULL, NULL, NULL);
	struct pm_doc *doc = tu_parse("t.md", md);
	ck_assert_uint_eq(doc->body.ntables, 1);
	const struct pm_table *t = &doc->body.tables[0];
	ck_assert_uint_eq(t->ncols, 3);
	ck_assert_str_eq(t->header[0].text, "a|b");
	ck_assert_uint_eq(t->nrows, 1);
	ck_assert_str_eq(t->rows[0].cells[0].text, "x|y");
	ck_assert_str_eq(t->rows[0].cells[1].text, "back\\|slash \\\\| z\\");
	ck_assert_str_eq(t->rows[0].cells[2].text, "7");
	pm_doc_free(doc);
	free(md);
}
END_TEST

/* ---- empty results ---- */

static const struct {
	enum pm_out_format fmt;
	const char *want;
} empty_cases[] = {
	{ PM_OUT_TABLE, "id  name\n--  ----\n" },
	{ PM_OUT_JSON, "[]\n" },
	{ PM_OUT_CSV, "id,name\r\n" },
	{ PM_OUT_MARKDOWN, "| id | name |\n|---|---|\n" },
};

START_TEST(empty_result)
{
	size_t n = 99;
	bool cut = true;
	prepare("SELECT id, name FROM t WHERE 0");
	char *got = print(empty_cases[_i].fmt, NULL, &n, &cut);
	ck_assert_str_eq(got, empty_cases[_i].want);
	ck_assert_uint_eq(n, 0);
	ck_assert(!cut);
	free(got);
}
END_TEST

/* ---- failures ---- */

START_TEST(step_error_prints_nothing)
{
	/* The third row overflows: the two before it must not be printed. */
	static const enum pm_out_format fmts[] = {
		PM_OUT_TABLE, PM_OUT_JSON, PM_OUT_CSV, PM_OUT_MARKDOWN,
	};
	for (size_t k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		prepare("SELECT abs(v) AS a FROM (SELECT 1 AS v UNION ALL SELECT 2"
			" UNION ALL SELECT -9223372036854775807 - 1)");
		char *buf = NULL;
		size_t len = 0, n = 99;
		bool cut = true;
		FILE *f = open_memstream(&buf, &len);
		ck_assert_ptr_nonnull(f);
		int rc = pm_out_print_stmt(f, fmts[k], st, NULL, &n, &cut);
		ck_assert_int_eq(fclose(f), 0);
		ck_assert_int_eq(rc, PM_OUT_SQL_ERROR);
		ck_assert_int_eq(sqlite3_errcode(db), SQLITE_ERROR);
		ck_assert_str_eq(sqlite3_errmsg(db), "integer overflow");
		ck_assert_str_eq(buf, "");
		ck_assert_uint_eq(n, 0);
		ck_assert(!cut);
		free(buf);
	}
}
END_TEST

START_TEST(write_failure_is_reported)
{
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		return;	/* no /dev/full here: nothing to check */
	static const enum pm_out_format fmts[] = {
		PM_OUT_TABLE, PM_OUT_JSON, PM_OUT_CSV, PM_OUT_MARKDOWN,
	};
	for (size_t k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		clearerr(f);
		prepare(all_sql);
		ck_assert_int_eq(pm_out_print_stmt(f, fmts[k], st, NULL, NULL, NULL), PM_ERR_IO);
		/* Ours, not the statement's: sqlite3_errcode tells them apart. */
		ck_assert_int_eq(sqlite3_errcode(db), SQLITE_DONE);
	}
	fclose(f);
}
END_TEST

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *table_output_suite(void);

Suite *table_output_suite(void)
{
	Suite *s = suite_create("table_output");
	TCase *tc = tcase_create("format");
	tcase_add_loop_test(tc, format_parse, 0, NCASES(format_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("width");
	tcase_add_loop_test(tc, display_width, 0, NCASES(width_cases));
	tcase_add_test(tc, display_width_same_in_utf8_locale);
	suite_add_tcase(s, tc);

	tc = tcase_create("table");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, table_aligns_by_display_width);
	tcase_add_test(tc, table_neutralises_control_characters);
	tcase_add_test(tc, table_no_trailing_spaces);
	tcase_add_test(tc, table_empty_result);
	tcase_add_test(tc, table_fits_width);
	tcase_add_test(tc, table_fit_shares_between_widest);
	tcase_add_test(tc, table_fit_never_below_eight);
	tcase_add_test(tc, table_fit_cuts_wide_characters);
	tcase_add_test(tc, table_hides_columns);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, max_rows_truncates, 0, NCASES(row_cases));
	tcase_add_test(tc, max_rows_table_exact);
	tcase_add_loop_test(tc, max_cell_cuts_at_code_point, 0, NCASES(cell_cases));
	tcase_add_test(tc, max_cell_in_every_format);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json_exact_layout);
	tcase_add_test(tc, json_round_trip);
	tcase_add_test(tc, json_values_and_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("csv");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, csv_rfc4180);
	tcase_add_test(tc, csv_integers_exact);
	tcase_add_test(tc, csv_quotes_only_when_needed);
	suite_add_tcase(s, tc);

	tc = tcase_create("markdown");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, markdown_table);
	tcase_add_test(tc, markdown_escaping);
	tcase_add_test(tc, markdown_parses_back);
	suite_add_tcase(s, tc);

	tc = tcase_create("results");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, empty_result, 0, NCASES(empty_cases));
	tcase_add_test(tc, step_error_prints_nothing);
	tcase_add_test(tc, write_failure_is_reported);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(table_output_suite());
}
