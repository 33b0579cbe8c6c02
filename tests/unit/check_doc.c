/* check_doc.c - one document: identity, type, and the findings about the
 * file itself (encoding, size, readability). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "codes.h"
#include "doc.h"
#include "error.h"
#include "testutil.h"

static struct pm_doc *doc;
static struct pm_parse_opts opts;

static void setup(void)
{
	doc = NULL;
	pm_parse_opts_default(&opts);
}

static void teardown(void)
{
	pm_doc_free(doc);
	doc = NULL;
}

static void parse(const char *path, const char *text)
{
	pm_doc_free(doc);
	doc = tu_parse_opts(path, text, strlen(text), &opts);
}

/* The document must carry exactly one finding: code at line:col. */
static const struct pm_diag *only_diag(const char *code, enum pm_severity sev,
				       uint32_t line, uint32_t col)
{
	ck_assert_msg(doc->diags.n == 1, "expected 1 finding, got %zu", doc->diags.n);
	const struct pm_diag *d = &doc->diags.items[0];
	ck_assert_str_eq(d->code, code);
	ck_assert_int_eq(d->severity, sev);
	ck_assert_str_eq(d->path, doc->path);
	ck_assert_uint_eq(d->line, line);
	ck_assert_uint_eq(d->col, col);
	return d;
}

/* ---- identity ------------------------------------------------------------- */

START_TEST(defaults)
{
	ck_assert_uint_eq(opts.markdown.nprefixes, 4);
	ck_assert_str_eq(opts.markdown.id_prefixes[0], "ADR");
	ck_assert_str_eq(opts.markdown.id_prefixes[1], "INC");
	ck_assert_str_eq(opts.markdown.id_prefixes[2], "OPP");
	ck_assert_str_eq(opts.markdown.id_prefixes[3], "GOV");
	ck_assert_uint_eq(opts.limits.max_file_size, 4u << 20);
	ck_assert_uint_eq(opts.limits.max_frontmatter, 64u << 10);
	ck_assert_uint_eq(opts.limits.max_yaml_depth, 32);
}
END_TEST

START_TEST(id_from_field)
{
	parse("dir/inc-001.md", "---\nid: ADR-042\ntype: adr\ntitle: T\n---\n# T\n");
	tu_assert_no_diags(&doc->diags);
	ck_assert(doc->parsed);
	ck_assert_str_eq(doc->id, "ADR-042");
	ck_assert(doc->id_from_field);
	ck_assert_str_eq(doc->type, "adr");
	ck_assert_str_eq(doc->path, "dir/inc-001.md");
	ck_assert_str_eq(pm_doc_field(doc, "title")->raw, "T");
	ck_assert_ptr_null(pm_doc_field(doc, "missing"));
	ck_assert_ptr_null(pm_doc_field(NULL, "title"));
}
END_TEST

START_TEST(id_from_file_name)
{
	parse("dir/inc-001.md", "---\ntype: inc\n---\n");
	ck_assert_str_eq(doc->id, "INC-001");
	ck_assert(!doc->id_from_field);
	ck_assert_str_eq(doc->type, "inc");
}
END_TEST

/* An `id:` that is not a non-empty string falls back to the file name, and
 * a `type:` that is not a string is no type. */
static const char *const odd_ids[] = {
	"---\nid: 42\ntype: 7\n---\n",
	"---\nid: \"\"\ntype: [adr]\n---\n",
	"---\nid:\ntype:\n---\n",
	"---\nid: [ADR-001]\ntype: {a: b}\n---\n",
	"---\nid: true\ntype: null\n---\n",
};

START_TEST(id_field_not_a_string)
{
	parse("docs/adr-007.md", odd_ids[_i]);
	tu_assert_no_diags(&doc->diags);
	ck_assert_str_eq(doc->id, "ADR-007");
	ck_assert(!doc->id_from_field);
	ck_assert_ptr_null(doc->type);
}
END_TEST

START_TEST(quoted_id_keeps_text)
{
	parse("x.md", "---\nid: \"007\"\n---\n");
	ck_assert_str_eq(doc->id, "007");
	ck_assert(doc->id_from_field);
}
END_TEST

struct name_case {
	const char *path, *id;
};

static const struct name_case name_cases[] = {
	{ "dir/inc-001.md", "INC-001" },
	{ "inc-001.md", "INC-001" },
	{ "a/b/c/Adr-12.MD", "ADR-12" },
	{ "./x.Md", "X" },
	{ "notes.txt", "NOTES.TXT" },
	{ "noext", "NOEXT" },
	{ "dir/.md", ".MD" },
	{ "a.md.md", "A.MD" },
	{ "/abs/path/gov-001.md", "GOV-001" },
	{ "\xC3\xBC" "ber.md", "\xC3\xBC" "BER" },
};

START_TEST(id_from_path)
{
	struct pm_arena a;
	pm_arena_init(&a);
	char *id = pm_doc_id_from_path(&a, name_cases[_i].path);
	ck_assert_ptr_nonnull(id);
	ck_assert_str_eq(id, name_cases[_i].id);
	pm_arena_release(&a);
}
END_TEST

START_TEST(findings_do_not_stop_identity)
{
	parse("dir/opp-003.md", "---\nid: OPP-9\ntype: opp\na: [\n---\n# Still here\n");
	const struct pm_diag *d = only_diag(PM_C_YAML_SYNTAX, PM_SEV_ERROR, 5, 1);
	ck_assert_ptr_nonnull(strstr(d->message, "invalid YAML"));
	ck_assert(!doc->parsed);
	ck_assert_ptr_null(doc->fm.root);
	ck_assert_str_eq(doc->id, "OPP-003");	/* the field did not load */
	ck_assert_ptr_null(doc->type);
	/* the body is still read */
	ck_assert_uint_eq(doc->body.nsections, 1);
	ck_assert_str_eq(doc->body.sections[0].title, "Still here");
	ck_assert_uint_eq(doc->body.sections[0].line, 6);
}
END_TEST

/* ---- the file itself ------------------------------------------------------ */

START_TEST(invalid_utf8_in_body)
{
	/* "abc é" is 5 code points; the stray byte is the 6th column */
	parse("u.md", "---\ntitle: ok\n---\n\nabc \xC3\xA9\xFF tail\n# H\n");
	const struct pm_diag *d = only_diag(PM_C_INVALID_UTF8, PM_SEV_ERROR, 5, 6);
	ck_assert_str_eq(d->message, "invalid UTF-8 byte 0xff");
	ck_assert_ptr_nonnull(d->hint);
	ck_assert(!doc->parsed);
	ck_assert_uint_eq(doc->body.nsections, 0);
	ck_assert_str_eq(doc->id, "U");
}
END_TEST

struct utf8_doc_case {
	const char *text;
	uint32_t line, col;
	const char *message;
};

static const struct utf8_doc_case utf8_doc_cases[] = {
	{ "---\ntitle: caf\xC3\x28\n---\n", 2, 11, "invalid UTF-8 byte 0xc3" },
	{ "\xEF\xBB\xBF---\nx: \xED\xA0\x80\n---\n", 2, 4, "invalid UTF-8 byte 0xed" },
	{ "\xEF\xBB\xBF\xC0\xAF", 1, 1, "invalid UTF-8 byte 0xc0" },
	{ "---\r\na: 1\r\n---\r\n\xE6\x97\xA5\xE6\x9C\xAC\xF4\x90\x80\x80", 4, 3,
	  "invalid UTF-8 byte 0xf4" },
	{ "---\n---\nend \xE2\x82", 3, 5, "invalid UTF-8 byte 0xe2" },
};

START_TEST(invalid_utf8_positions)
{
	const struct utf8_doc_case *c = &utf8_doc_cases[_i];
	parse("v.md", c->text);
	const struct pm_diag *d = only_diag(PM_C_INVALID_UTF8, PM_SEV_ERROR, c->line, c->col);
	ck_assert_str_eq(d->message, c->message);
	ck_assert_ptr_null(doc->fm.root);
}
END_TEST

START_TEST(too_large_in_memory)
{
	opts.limits.max_file_size = 16;
	parse("dir/adr-001.md", "---\ntitle: seventeen\n---\n");
	const struct pm_diag *d = only_diag(PM_C_FILE_TOO_LARGE, PM_SEV_ERROR, 0, 0);
	ck_assert_str_eq(d->message, "file is 25 bytes, over the limit of 16");
	ck_assert_str_eq(doc->id, "ADR-001");
	ck_assert(!doc->parsed);
	ck_assert_ptr_null(doc->fm.root);
	/* exactly at the limit is fine */
	opts.limits.max_file_size = 25;
	parse("dir/adr-001.md", "---\ntitle: seventeen\n---\n");
	tu_assert_no_diags(&doc->diags);
	ck_assert(doc->parsed);
}
END_TEST

/* ---- loading files --------------------------------------------------------- */

static char *tmpdir;

static void file_setup(void)
{
	setup();
	tmpdir = tu_make_temp_dir();
}

static void file_teardown(void)
{
	teardown();
	tu_remove_tree(tmpdir);
	free(tmpdir);
}

static void load(const char *path)
{
	struct pm_error err = { 0 };
	pm_doc_free(doc);
	doc = NULL;
	ck_assert_int_eq(pm_doc_load(&doc, path, &opts, &err), 0);
	ck_assert_ptr_nonnull(doc);
}

START_TEST(load_file)
{
	char *path = tu_path(tmpdir, "gov-002.md");
	tu_write_file(path, "---\ntype: gov\n---\n\n# Purpose\n\nADR-001\n");
	load(path);
	tu_assert_no_diags(&doc->diags);
	ck_assert(doc->parsed);
	ck_assert_str_eq(doc->path, path);
	ck_assert_str_eq(doc->id, "GOV-002");
	ck_assert_str_eq(doc->type, "gov");
	ck_assert_uint_eq(doc->body.nsections, 1);
	ck_assert_uint_eq(doc->body.sections[0].line, 5);
	ck_assert_uint_eq(doc->body.nlinks, 1);
	ck_assert_uint_eq(doc->body.links[0].line, 7);
	free(path);
}
END_TEST

START_TEST(load_too_large)
{
	char *path = tu_path(tmpdir, "big.md");
	tu_write_file(path, "---\ntitle: x\n---\n0123456789\n");
	opts.limits.max_file_size = 20;
	load(path);
	const struct pm_diag *d = only_diag(PM_C_FILE_TOO_LARGE, PM_SEV_ERROR, 0, 0);
	ck_assert_str_eq(d->message, "file is 28 bytes, over the limit of 20");
	ck_assert_ptr_nonnull(d->hint);
	ck_assert_str_eq(doc->id, "BIG");
	ck_assert(!doc->parsed);
	free(path);
}
END_TEST

START_TEST(load_missing)
{
	char *path = tu_path(tmpdir, "inc-404.md");
	load(path);
	const struct pm_diag *d = only_diag(PM_C_UNREADABLE, PM_SEV_ERROR, 0, 0);
	ck_assert_ptr_nonnull(strcasestr(d->message, "no such file or directory"));
	ck_assert_str_eq(doc->id, "INC-404");
	ck_assert(!doc->parsed);
	ck_assert_ptr_null(doc->src.data);
	free(path);
}
END_TEST

START_TEST(load_fifo_does_not_block)
{
	char *path = tu_path(tmpdir, "x.md");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	/* A blocking open or read would hang here until Check's timeout. */
	load(path);
	const struct pm_diag *d = only_diag(PM_C_NOT_REGULAR, PM_SEV_WARNING, 0, 0);
	ck_assert_str_eq(d->message, "not a regular file");
	ck_assert_str_eq(doc->id, "X");
	ck_assert(!doc->parsed);
	free(path);
}
END_TEST

START_TEST(load_folder_named_md)
{
	char *path = tu_path(tmpdir, "folder.md");
	ck_assert_int_eq(mkdir(path, 0700), 0);
	load(path);
	only_diag(PM_C_NOT_REGULAR, PM_SEV_WARNING, 0, 0);
	free(path);
}
END_TEST

START_TEST(load_unreadable)
{
	if (geteuid() == 0) {
		fprintf(stderr, "load_unreadable: running as root, permissions not enforced; "
			"part skipped\n");
		return;
	}
	char *path = tu_path(tmpdir, "secret.md");
	tu_write_file(path, "---\n---\n");
	ck_assert_int_eq(chmod(path, 0), 0);
	load(path);
	const struct pm_diag *d = only_diag(PM_C_UNREADABLE, PM_SEV_ERROR, 0, 0);
	ck_assert_ptr_nonnull(strcasestr(d->message, "permission denied"));
	free(path);
}
END_TEST

START_TEST(free_accepts_null)
{
	pm_doc_free(NULL);
	parse("a.md", "---\n---\n");
	ck_assert_ptr_nonnull(doc);
}
END_TEST

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *doc_suite(void);

Suite *doc_suite(void)
{
	Suite *s = suite_create("doc");
	TCase *tc = tcase_create("identity");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, id_from_field);
	tcase_add_test(tc, id_from_file_name);
	tcase_add_loop_test(tc, id_field_not_a_string, 0, NCASES(odd_ids));
	tcase_add_test(tc, quoted_id_keeps_text);
	tcase_add_loop_test(tc, id_from_path, 0, NCASES(name_cases));
	tcase_add_test(tc, findings_do_not_stop_identity);
	tcase_add_test(tc, free_accepts_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("bytes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, invalid_utf8_in_body);
	tcase_add_loop_test(tc, invalid_utf8_positions, 0, NCASES(utf8_doc_cases));
	tcase_add_test(tc, too_large_in_memory);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_unchecked_fixture(tc, tu_temp_base_create, tu_temp_base_remove);
	tcase_add_checked_fixture(tc, file_setup, file_teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, load_file);
	tcase_add_test(tc, load_too_large);
	tcase_add_test(tc, load_missing);
	tcase_add_test(tc, load_fifo_does_not_block);
	tcase_add_test(tc, load_folder_named_md);
	tcase_add_test(tc, load_unreadable);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(doc_suite());
}
