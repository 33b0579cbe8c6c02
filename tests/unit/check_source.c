/* check_source.c - bytes, line tables, positions and UTF-8 validation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "arena.h"
#include "error.h"
#include "source.h"
#include "testutil.h"

static struct pm_arena arena;
static struct pm_source src;

static void setup(void)
{
	pm_arena_init(&arena);
	memset(&src, 0, sizeof(src));
}

static void teardown(void)
{
	pm_arena_release(&arena);
}

static void load(const char *data, size_t len)
{
	ck_assert_int_eq(pm_source_from_memory(&src, &arena, "t.md", data, len), 0);
}

/* ---- line table --------------------------------------------------------- */

struct line_case {
	const char *data;
	size_t len;
	uint32_t nlines;
	uint32_t starts[4];
	const char *lines[4];	/* each line's text without its line end */
};

#define S(lit) lit, sizeof(lit) - 1
static const struct line_case line_cases[] = {
	{ S(""), 1, { 0 }, { "" } },
	{ S("abc"), 1, { 0 }, { "abc" } },
	{ S("abc\n"), 1, { 0 }, { "abc" } },
	{ S("a\nb"), 2, { 0, 2 }, { "a", "b" } },
	{ S("a\nb\n"), 2, { 0, 2 }, { "a", "b" } },
	{ S("a\r\nb\r\n"), 2, { 0, 3 }, { "a", "b" } },
	{ S("a\r\nbc"), 2, { 0, 3 }, { "a", "bc" } },
	{ S("a\rb\r"), 2, { 0, 2 }, { "a", "b" } },
	{ S("a\r\r\nb"), 3, { 0, 2, 4 }, { "a", "", "b" } },
	{ S("a\n\rb"), 3, { 0, 2, 3 }, { "a", "", "b" } },
	{ S("\n\n"), 2, { 0, 1 }, { "", "" } },
	{ S("x\n\ny"), 3, { 0, 2, 3 }, { "x", "", "y" } },
};

START_TEST(line_table)
{
	const struct line_case *c = &line_cases[_i];
	load(c->data, c->len);
	ck_assert_uint_eq(src.len, c->len);
	ck_assert_uint_eq(src.nlines, c->nlines);
	for (uint32_t l = 0; l < c->nlines; l++) {
		ck_assert_uint_eq(src.line_starts[l], c->starts[l]);
		ck_assert_uint_eq(pm_source_line_offset(&src, l + 1), c->starts[l]);
		size_t len = 99;
		const char *p = pm_source_line(&src, l + 1, &len);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq(len, strlen(c->lines[l]));
		ck_assert_mem_eq(p, c->lines[l], len);
	}
	size_t len;
	ck_assert_ptr_null(pm_source_line(&src, c->nlines + 1, &len));
	ck_assert_ptr_null(pm_source_line(&src, 0, &len));
	ck_assert_uint_eq(pm_source_line_offset(&src, c->nlines + 1), c->len);
	ck_assert_uint_eq(pm_source_line_offset(&src, 0), c->len);
	/* The copy is NUL-terminated and independent of the caller's buffer. */
	ck_assert_ptr_ne(src.data, c->data);
	ck_assert_int_eq(src.data[src.len], '\0');
	ck_assert_str_eq(src.path, "t.md");
}
END_TEST

START_TEST(bom_is_recorded_and_hidden)
{
	load(S("\xEF\xBB\xBF" "ab\ncd"));
	ck_assert_uint_eq(src.bom, 3);
	ck_assert_uint_eq(src.nlines, 2);
	size_t len;
	const char *p = pm_source_line(&src, 1, &len);
	ck_assert_uint_eq(len, 2);
	ck_assert_mem_eq(p, "ab", 2);
	/* Only the first line carries the BOM. */
	p = pm_source_line(&src, 2, &len);
	ck_assert_mem_eq(p, "cd", 2);
}
END_TEST

START_TEST(no_bom_for_partial_marker)
{
	load(S("\xEF\xBB" "x"));
	ck_assert_uint_eq(src.bom, 0);
}
END_TEST

/* ---- positions ---------------------------------------------------------- */

struct pos_case {
	size_t offset;
	uint32_t line, col;
};

/* "é😀x\nyz" : é is 2 bytes, 😀 4 bytes, x at byte 6, y at byte 8. */
static const char mb_text[] = "\xC3\xA9\xF0\x9F\x98\x80x\nyz";
static const struct pos_case mb_cases[] = {
	{ 0, 1, 1 },	/* é */
	{ 2, 1, 2 },	/* 😀 */
	{ 6, 1, 3 },	/* x */
	{ 7, 1, 4 },	/* the line end */
	{ 8, 2, 1 },	/* y */
	{ 9, 2, 2 },	/* z */
	{ 10, 2, 3 },	/* the end of the data */
	{ 999, 2, 3 },	/* past the end clamps to the end */
};

START_TEST(position_counts_code_points)
{
	load(mb_text, sizeof(mb_text) - 1);
	uint32_t line = 0, col = 0;
	pm_source_position(&src, mb_cases[_i].offset, &line, &col);
	ck_assert_uint_eq(line, mb_cases[_i].line);
	ck_assert_uint_eq(col, mb_cases[_i].col);
}
END_TEST

START_TEST(position_after_bom_and_crlf)
{
	load(S("\xEF\xBB\xBF" "a\xC3\xA9" "b\r\nc\rd"));
	uint32_t line, col;
	pm_source_position(&src, 3, &line, &col);	/* a */
	ck_assert_uint_eq(line, 1);
	ck_assert_uint_eq(col, 1);
	pm_source_position(&src, 6, &line, &col);	/* b */
	ck_assert_uint_eq(line, 1);
	ck_assert_uint_eq(col, 3);
	pm_source_position(&src, 9, &line, &col);	/* c after \r\n */
	ck_assert_uint_eq(line, 2);
	ck_assert_uint_eq(col, 1);
	pm_source_position(&src, 11, &line, &col);	/* d after a lone \r */
	ck_assert_uint_eq(line, 3);
	ck_assert_uint_eq(col, 1);
}
END_TEST

struct charcol_case {
	uint32_t line, byte_col, char_col;
};

/* Line 1 "aé😀b" (after a BOM); line 2 "日本x" after a CRLF. */
static const char cc_text[] = "\xEF\xBB\xBF" "a\xC3\xA9\xF0\x9F\x98\x80" "b\r\n"
			      "\xE6\x97\xA5\xE6\x9C\xAC" "x";
static const struct charcol_case cc_cases[] = {
	{ 1, 1, 1 },	/* a: byte columns on line 1 start after the BOM */
	{ 1, 2, 2 },	/* é */
	{ 1, 4, 3 },	/* 😀 */
	{ 1, 8, 4 },	/* b */
	{ 1, 9, 5 },	/* just past the end of the line */
	{ 1, 11, 7 },	/* further past: one column per byte */
	{ 2, 1, 1 },	/* 日 */
	{ 2, 4, 2 },	/* 本 */
	{ 2, 7, 3 },	/* x */
	{ 3, 5, 5 },	/* no such line: unchanged */
	{ 2, 0, 0 },	/* no column: unchanged */
};

START_TEST(char_col)
{
	load(cc_text, sizeof(cc_text) - 1);
	const struct charcol_case *c = &cc_cases[_i];
	ck_assert_uint_eq(pm_source_char_col(&src, c->line, c->byte_col), c->char_col);
}
END_TEST

/* ---- UTF-8 -------------------------------------------------------------- */

struct utf8_case {
	const char *data;
	size_t len;
	bool valid;
	size_t bad;
	const char *what;
};

static const struct utf8_case utf8_cases[] = {
	{ S(""), true, 0, "empty" },
	{ S("plain ascii"), true, 0, "ascii" },
	{ "a\0b", 3, true, 0, "embedded NUL" },
	{ S("\xC3\xA9"), true, 0, "2-byte e-acute" },
	{ S("\xE2\x82\xAC"), true, 0, "3-byte euro sign" },
	{ S("\xED\x9F\xBF"), true, 0, "U+D7FF, just below the surrogates" },
	{ S("\xEE\x80\x80"), true, 0, "U+E000, just above the surrogates" },
	{ S("\xF0\x9F\x98\x80"), true, 0, "4-byte emoji" },
	{ S("\xF0\x90\x80\x80"), true, 0, "U+10000, smallest 4-byte" },
	{ S("\xF4\x8F\xBF\xBF"), true, 0, "U+10FFFF, the last code point" },
	{ S("\xC0\xAF"), false, 0, "overlong '/' in 2 bytes (C0)" },
	{ S("\xC1\xBF"), false, 0, "overlong in 2 bytes (C1)" },
	{ S("\xE0\x80\xAF"), false, 0, "overlong '/' in 3 bytes" },
	{ S("\xE0\x9F\xBF"), false, 0, "overlong U+07FF in 3 bytes" },
	{ S("\xF0\x80\x80\xAF"), false, 0, "overlong '/' in 4 bytes" },
	{ S("\xF0\x8F\xBF\xBF"), false, 0, "overlong U+FFFF in 4 bytes" },
	{ S("ok\xED\xA0\x80"), false, 2, "surrogate U+D800" },
	{ S("\xED\xBF\xBF"), false, 0, "surrogate U+DFFF" },
	{ S("\xF4\x90\x80\x80"), false, 0, "U+110000, past the last code point" },
	{ S("\xF5\x80\x80\x80"), false, 0, "lead byte F5" },
	{ S("\xFF"), false, 0, "byte FF" },
	{ S("ab\x80"), false, 2, "lone continuation byte" },
	{ S("ab\xE2\x82"), false, 2, "3-byte sequence cut by the end" },
	{ S("ab\xF0\x9F\x98"), false, 2, "4-byte sequence cut by the end" },
	{ S("x\xC3"), false, 1, "2-byte lead at the very end" },
	{ S("ab\xE2\x82z"), false, 2, "3-byte sequence cut by ASCII" },
	{ S("\xC3\xA9\xC3(z"), false, 2, "bad second sequence after a good one" },
};

START_TEST(utf8_valid)
{
	const struct utf8_case *c = &utf8_cases[_i];
	size_t bad = 12345;
	bool ok = pm_utf8_valid(c->data, c->len, &bad);
	ck_assert_msg(ok == c->valid, "%s: expected %s", c->what,
		      c->valid ? "valid" : "invalid");
	if (c->valid)
		ck_assert_msg(bad == 12345, "%s: bad written for valid input", c->what);
	else
		ck_assert_msg(bad == c->bad, "%s: bad byte at %zu, expected %zu", c->what,
			      bad, c->bad);
	/* A NULL bad pointer is allowed. */
	ck_assert(pm_utf8_valid(c->data, c->len, NULL) == c->valid);
}
END_TEST

/* ---- reading files ------------------------------------------------------ */

static char *tmpdir;

static void file_setup(void)
{
	setup();
	tmpdir = tu_make_temp_dir();
}

static void file_teardown(void)
{
	tu_remove_tree(tmpdir);
	free(tmpdir);
	teardown();
}

START_TEST(read_regular_file)
{
	char *path = tu_path(tmpdir, "a.md");
	tu_write_file(path, "one\r\ntwo\n");
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_source_read(&src, &arena, path, 1024, &err), 0);
	ck_assert_uint_eq(src.len, 9);
	ck_assert_str_eq(src.data, "one\r\ntwo\n");
	ck_assert_uint_eq(src.nlines, 2);
	ck_assert_str_eq(src.path, path);
	free(path);
}
END_TEST

START_TEST(read_refuses_large_file)
{
	char *path = tu_path(tmpdir, "big.md");
	tu_write_file(path, "0123456789");
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_source_read(&src, &arena, path, 9, &err), PM_ERR_LIMIT);
	ck_assert_int_eq(err.code, PM_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(err.msg, "10 bytes"));
	/* Exactly at the limit is fine. */
	ck_assert_int_eq(pm_source_read(&src, &arena, path, 10, &err), 0);
	free(path);
}
END_TEST

START_TEST(read_missing_file)
{
	char *path = tu_path(tmpdir, "nope.md");
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_source_read(&src, &arena, path, 1024, &err), PM_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot open"));
	free(path);
}
END_TEST

START_TEST(read_refuses_fifo_and_folder)
{
	char *path = tu_path(tmpdir, "f.md");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	struct pm_error err = { 0 };
	/* Would block forever if the FIFO were opened for a blocking read. */
	ck_assert_int_eq(pm_source_read(&src, &arena, path, 1024, &err), PM_ERR_INVALID);
	ck_assert_str_eq(err.msg, "not a regular file");
	ck_assert_int_eq(pm_source_read(&src, &arena, tmpdir, 1024, &err), PM_ERR_INVALID);
	free(path);
}
END_TEST

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *source_suite(void);

Suite *source_suite(void)
{
	Suite *s = suite_create("source");
	TCase *tc = tcase_create("lines");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, line_table, 0, NCASES(line_cases));
	tcase_add_test(tc, bom_is_recorded_and_hidden);
	tcase_add_test(tc, no_bom_for_partial_marker);
	suite_add_tcase(s, tc);

	tc = tcase_create("positions");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, position_counts_code_points, 0, NCASES(mb_cases));
	tcase_add_test(tc, position_after_bom_and_crlf);
	tcase_add_loop_test(tc, char_col, 0, NCASES(cc_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("utf8");
	tcase_add_loop_test(tc, utf8_valid, 0, NCASES(utf8_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("read");
	tcase_add_unchecked_fixture(tc, tu_temp_base_create, tu_temp_base_remove);
	tcase_add_checked_fixture(tc, file_setup, file_teardown);
	tcase_add_test(tc, read_regular_file);
	tcase_add_test(tc, read_refuses_large_file);
	tcase_add_test(tc, read_missing_file);
	tcase_add_test(tc, read_refuses_fifo_and_folder);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(source_suite());
}
