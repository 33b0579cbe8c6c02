/* check_corpus.c - the walk of a folder tree and the ID table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "codes.h"
#include "corpus.h"
#include "testutil.h"

static char *root, *outside;
static struct pm_corpus corpus;
static struct pm_parse_opts opts;
static struct pm_arena scratch;
static struct pm_diags all;	/* pm_corpus_collect_diags' output */

static void setup(void)
{
	root = tu_make_temp_dir();
	outside = tu_make_temp_dir();
	pm_corpus_init(&corpus);
	pm_parse_opts_default(&opts);
	pm_arena_init(&scratch);
	pm_diags_init(&all, &scratch);
}

static void teardown(void)
{
	pm_corpus_release(&corpus);
	pm_arena_release(&scratch);
	tu_remove_tree(root);
	tu_remove_tree(outside);
	free(root);
	free(outside);
}

/* Writes root/rel, creating nothing but the file. */
static void put(const char *rel, const char *text)
{
	char *p = tu_path(root, rel);
	tu_write_file(p, text);
	free(p);
}

static void dir(const char *rel)
{
	char *p = tu_path(root, rel);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
}

static void link_to(const char *target, const char *rel)
{
	char *p = tu_path(root, rel);
	ck_assert_msg(symlink(target, p) == 0, "symlink %s", p);
	free(p);
}

/* root/rel as the walk names it. */
static char *at(const char *rel)
{
	return tu_path(root, rel);
}

static void walk(void)
{
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_corpus_add_path(&corpus, root, &opts, &err), 0);
	ck_assert_int_eq(pm_corpus_finish(&corpus, &err), 0);
	ck_assert_int_eq(pm_corpus_collect_diags(&corpus, &all), 0);
}

/* The walk finding for root/rel; fails when there is none. */
static const struct pm_diag *finding(const char *rel, const char *code)
{
	char *p = at(rel);
	const struct pm_diag *found = NULL;
	for (size_t i = 0; i < all.n && !found; i++)
		if (!strcmp(all.items[i].path, p) && !strcmp(all.items[i].code, code))
			found = &all.items[i];
	ck_assert_msg(found != NULL, "no %s for %s", code, p);
	free(p);
	return found;
}

static void assert_docs(const char *const *rels, size_t n)
{
	for (size_t i = 0; i < n && i < corpus.ndocs; i++) {
		char *p = at(rels[i]);
		ck_assert_str_eq(corpus.docs[i]->path, p);
		free(p);
	}
	ck_assert_uint_eq(corpus.ndocs, n);
}

static const char doc_text[] = "---\ntype: adr\n---\n# Decision\n";

/* ---- what the walk reads ---------------------------------------------------- */

START_TEST(walk_reads_md_files_in_path_order)
{
	put("b.md", doc_text);
	put("a.md", doc_text);
	put("A-upper.MD", doc_text);
	dir("a");
	put("a/z.md", doc_text);
	dir("a/deeper");
	put("a/deeper/y.md", doc_text);
	put("a-b.md", doc_text);
	walk();
	tu_assert_no_diags(&all);
	/* strcmp order of the whole path: "a-b" < "a.md" < "a/..." */
	static const char *const want[] = {
		"A-upper.MD", "a-b.md", "a.md", "a/deeper/y.md", "a/z.md", "b.md",
	};
	assert_docs(want, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < corpus.ndocs; i++)
		ck_assert(corpus.docs[i]->parsed);
}
END_TEST

START_TEST(walk_skips_dot_entries_and_other_names)
{
	put("keep.md", doc_text);
	dir(".hidden");
	put(".hidden/adr-999.md", doc_text);
	dir(".git");
	put(".git/x.md", doc_text);
	put(".dot.md", doc_text);
	put("notes.txt", "not markdown\n");
	put("README", "no extension\n");
	put("md", "just the letters\n");
	put("x.mdx", "near miss\n");
	put(".md", "a bare extension\n");
	dir("folder.md");	/* a folder is walked whatever its name */
	put("folder.md/inner.md", doc_text);
	walk();
	tu_assert_no_diags(&all);
	static const char *const want[] = { "folder.md/inner.md", "keep.md" };
	assert_docs(want, 2);
}
END_TEST

START_TEST(walk_skips_readme_without_frontmatter)
{
	put("README.md", "# About these documents\n");
	put("notes.md", "plain notes\n");
	put("inc-004.md", "# Forgot the frontmatter\n");	/* named like a document */
	put("guide.md", "---\ntitle: Guide\n---\n");
	walk();
	static const char *const want[] = { "guide.md", "inc-004.md" };
	assert_docs(want, 2);
	ck_assert_uint_eq(all.n, 1);
	const struct pm_diag *d = finding("inc-004.md", PM_C_NO_FRONTMATTER);
	ck_assert_uint_eq(d->line, 1);
	/* named on its own, a README is read and reported */
	pm_corpus_release(&corpus);
	pm_corpus_init(&corpus);
	char *readme = at("README.md");
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_corpus_add_path(&corpus, readme, &opts, &err), 0);
	ck_assert_int_eq(pm_corpus_finish(&corpus, &err), 0);
	ck_assert_uint_eq(corpus.ndocs, 1);
	ck_assert_ptr_nonnull(tu_find_diag(&corpus.docs[0]->diags, PM_C_NO_FRONTMATTER));
	free(readme);
}
END_TEST

START_TEST(walk_normalizes_paths)
{
	dir("sub");
	put("sub/adr-001.md", doc_text);
	char *messy = tu_path(root, ".//sub/./");
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_corpus_add_path(&corpus, messy, &opts, &err), 0);
	ck_assert_int_eq(pm_corpus_finish(&corpus, &err), 0);
	ck_assert_uint_eq(corpus.ndocs, 1);
	char *clean = at("sub/adr-001.md");
	ck_assert_str_eq(corpus.docs[0]->path, clean);
	ck_assert_ptr_eq(pm_corpus_find_path(&corpus, clean), corpus.docs[0]);
	ck_assert_uint_eq(pm_corpus_index(&corpus, corpus.docs[0]), 0);
	free(messy);
	free(clean);
}
END_TEST

START_TEST(walk_follows_links_inside)
{
	put("adr-001.md", doc_text);
	link_to("adr-001.md", "alias.md");
	dir("sub");
	put("sub/inc-001.md", doc_text);
	link_to("sub", "sub-again");	/* a second way into sub/ */
	walk();
	static const char *const want[] = { "adr-001.md", "alias.md", "sub/inc-001.md" };
	assert_docs(want, 3);
	ck_assert_str_eq(corpus.docs[1]->id, "ALIAS");
	ck_assert(corpus.docs[1]->parsed);
	/* sub/ is walked once; the second path to it is a warning */
	ck_assert_uint_eq(all.n, 1);
	const struct pm_diag *d = finding("sub-again", PM_C_SYMLINK_LOOP);
	ck_assert_int_eq(d->severity, PM_SEV_WARNING);
}
END_TEST

START_TEST(walk_never_leaves_the_root)
{
	put("in.md", doc_text);
	char *secret = tu_path(outside, "secret.md");
	tu_write_file(secret, doc_text);
	/* reading through either link would hang on this FIFO */
	char *fifo = tu_path(outside, "fifo.md");
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	link_to(outside, "out");
	link_to(secret, "ext.md");
	link_to(fifo, "ext-fifo.md");
	walk();
	static const char *const want[] = { "in.md" };
	assert_docs(want, 1);
	ck_assert_uint_eq(all.n, 3);
	const struct pm_diag *d = finding("out", PM_C_SYMLINK_ESCAPE);
	ck_assert_int_eq(d->severity, PM_SEV_ERROR);
	ck_assert_uint_eq(d->line, 0);
	ck_assert_str_eq(d->message, "symbolic link leads outside the docs root; not read");
	ck_assert_ptr_nonnull(d->hint);
	finding("ext.md", PM_C_SYMLINK_ESCAPE);
	finding("ext-fifo.md", PM_C_SYMLINK_ESCAPE);
	free(secret);
	free(fifo);
}
END_TEST

START_TEST(walk_ends_symlink_loops)
{
	put("a.md", doc_text);
	link_to(".", "self");
	dir("d");
	link_to("..", "d/up");
	link_to("l2.md", "l1.md");
	link_to("l1.md", "l2.md");
	link_to("nowhere.md", "dangling.md");
	walk();
	static const char *const want[] = { "a.md" };
	assert_docs(want, 1);
	ck_assert_uint_eq(all.n, 5);
	const struct pm_diag *d = finding("self", PM_C_SYMLINK_LOOP);
	ck_assert_str_eq(d->message, "folder already walked through another path; skipped");
	finding("d/up", PM_C_SYMLINK_LOOP);
	d = finding("l1.md", PM_C_SYMLINK_LOOP);
	ck_assert_str_eq(d->message, "symbolic link loop");
	ck_assert_int_eq(d->severity, PM_SEV_WARNING);
	finding("l2.md", PM_C_SYMLINK_LOOP);
	d = finding("dangling.md", PM_C_UNREADABLE);
	ck_assert_str_eq(d->message, "symbolic link to nothing");
	ck_assert_int_eq(d->severity, PM_SEV_ERROR);
}
END_TEST

START_TEST(walk_skips_fifo)
{
	put("a.md", doc_text);
	char *fifo = at("f.md");
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	char *other = at("pipe");	/* not named *.md: skipped silently */
	ck_assert_int_eq(mkfifo(other, 0600), 0);
	walk();
	static const char *const want[] = { "a.md" };
	assert_docs(want, 1);
	ck_assert_uint_eq(all.n, 1);
	const struct pm_diag *d = finding("f.md", PM_C_NOT_REGULAR);
	ck_assert_int_eq(d->severity, PM_SEV_WARNING);
	ck_assert_str_eq(d->message, "not a regular file; skipped");
	free(fifo);
	free(other);
}
END_TEST

START_TEST(walk_reports_unreadable)
{
	if (geteuid() == 0) {
		fprintf(stderr, "walk_reports_unreadable: running as root, permissions not "
			"enforced; part skipped\n");
		return;
	}
	put("a.md", doc_text);
	put("locked.md", doc_text);
	dir("closed");
	put("closed/hidden.md", doc_text);
	char *p = at("locked.md"), *q = at("closed");
	ck_assert_int_eq(chmod(p, 0), 0);
	ck_assert_int_eq(chmod(q, 0), 0);
	walk();
	chmod(q, 0700);	/* so teardown can remove it */
	/* the unreadable file is a document with a finding; the folder is not */
	static const char *const want[] = { "a.md", "locked.md" };
	assert_docs(want, 2);
	const struct pm_diag *d = finding("locked.md", PM_C_UNREADABLE);
	ck_assert_uint_eq(d->line, 0);
	d = finding("closed", PM_C_UNREADABLE);
	ck_assert_ptr_nonnull(strcasestr(d->message, "permission denied"));
	free(p);
	free(q);
}
END_TEST

/* ---- IDs --------------------------------------------------------------------- */

START_TEST(duplicate_ids_name_both_files)
{
	put("adr-001.md", doc_text);
	dir("old");
	put("old/ADR-001.md", doc_text);	/* the same ID from its file name */
	put("other.md", "---\ntype: adr\nid:  ADR-001\n---\n");	/* ... and from a field */
	put("inc-001.md", doc_text);
	walk();
	ck_assert_uint_eq(corpus.ndocs, 4);
	ck_assert_uint_eq(all.n, 2);
	char *first = at("adr-001.md");
	const struct pm_diag *d = finding("old/ADR-001.md", PM_C_DUPLICATE_ID);
	ck_assert_int_eq(d->severity, PM_SEV_ERROR);
	ck_assert_uint_eq(d->line, 1);
	ck_assert_uint_eq(d->col, 1);
	char want[4096];
	snprintf(want, sizeof(want), "duplicate ID 'ADR-001': also the ID of %s", first);
	ck_assert_str_eq(d->message, want);
	ck_assert_ptr_nonnull(d->hint);
	/* a field's ID is reported where the field's value stands */
	d = finding("other.md", PM_C_DUPLICATE_ID);
	ck_assert_uint_eq(d->line, 3);
	ck_assert_uint_eq(d->col, 6);
	ck_assert_str_eq(d->message, want);
	/* find gives the first in path order */
	struct pm_doc *found = pm_corpus_find(&corpus, "ADR-001");
	ck_assert_ptr_nonnull(found);
	ck_assert_str_eq(found->path, first);
	free(first);
}
END_TEST

START_TEST(find_by_id)
{
	put("adr-001.md", doc_text);
	dir("x");
	put("x/inc-001.md", doc_text);
	put("named.md", "---\nid: GOV-007\n---\n");
	walk();
	/* nothing is found before pm_corpus_finish() built the table */
	struct pm_corpus empty;
	pm_corpus_init(&empty);
	ck_assert_ptr_null(pm_corpus_find(&empty, "ADR-001"));
	pm_corpus_release(&empty);

	struct pm_doc *d = pm_corpus_find(&corpus, "INC-001");
	ck_assert_ptr_nonnull(d);
	char *p = at("x/inc-001.md");
	ck_assert_str_eq(d->path, p);
	free(p);
	d = pm_corpus_find(&corpus, "GOV-007");
	ck_assert_ptr_nonnull(d);
	ck_assert(d->id_from_field);
	ck_assert_ptr_null(pm_corpus_find(&corpus, "NAMED"));
	ck_assert_ptr_null(pm_corpus_find(&corpus, "adr-001"));	/* IDs are exact */
	ck_assert_ptr_null(pm_corpus_find(&corpus, "ADR-002"));
	ck_assert_ptr_null(pm_corpus_find(&corpus, ""));
}
END_TEST

START_TEST(find_in_a_large_corpus)
{
	for (int i = 0; i < 300; i++) {
		char name[32];
		snprintf(name, sizeof(name), "adr-%03d.md", i);
		put(name, doc_text);
	}
	walk();
	tu_assert_no_diags(&all);
	ck_assert_uint_eq(corpus.ndocs, 300);
	for (int i = 0; i < 300; i++) {
		char id[32];
		snprintf(id, sizeof(id), "ADR-%03d", i);
		struct pm_doc *d = pm_corpus_find(&corpus, id);
		ck_assert_msg(d != NULL, "%s not found", id);
		ck_assert_str_eq(d->id, id);
		ck_assert_ptr_eq(d, corpus.docs[i]);
	}
	ck_assert_ptr_null(pm_corpus_find(&corpus, "ADR-300"));
}
END_TEST

/* ---- paths given directly ---------------------------------------------------- */

START_TEST(add_file_and_missing_paths)
{
	put("notes.txt", doc_text);	/* a file named on its own is read whatever its name */
	put("z.md", doc_text);
	char *txt = at("notes.txt"), *z = at("z.md"), *missing = at("nope");
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_corpus_add_path(&corpus, z, &opts, &err), 0);
	ck_assert_int_eq(pm_corpus_add_path(&corpus, txt, &opts, &err), 0);
	ck_assert_int_eq(pm_corpus_add_path(&corpus, missing, &opts, &err), 0);
	ck_assert_int_eq(pm_corpus_finish(&corpus, &err), 0);
	ck_assert_int_eq(pm_corpus_collect_diags(&corpus, &all), 0);
	ck_assert_uint_eq(corpus.ndocs, 2);
	ck_assert_str_eq(corpus.docs[0]->path, txt);	/* sorted after the adds */
	ck_assert_str_eq(corpus.docs[1]->path, z);
	ck_assert_str_eq(corpus.docs[0]->id, "NOTES.TXT");
	ck_assert_uint_eq(all.n, 1);
	ck_assert_str_eq(all.items[0].code, PM_C_UNREADABLE);
	ck_assert_str_eq(all.items[0].path, missing);
	ck_assert_ptr_nonnull(strcasestr(all.items[0].message, "no such file or directory"));
	free(txt);
	free(z);
	free(missing);
}
END_TEST

START_TEST(collect_sorts_all_findings)
{
	put("adr-002.md", "no frontmatter\n");
	put("a.md", "---\nk: 1\nk: 2\n---\n");
	char *fifo = at("c.md");
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	walk();
	ck_assert_uint_eq(all.n, 3);
	char *a = at("a.md"), *b = at("adr-002.md");
	ck_assert_str_eq(all.items[0].path, a);
	ck_assert_str_eq(all.items[0].code, PM_C_DUPLICATE_KEY);
	ck_assert_uint_eq(all.items[0].line, 3);
	ck_assert_str_eq(all.items[1].path, b);
	ck_assert_str_eq(all.items[1].code, PM_C_NO_FRONTMATTER);
	ck_assert_str_eq(all.items[2].path, fifo);
	ck_assert_str_eq(all.items[2].code, PM_C_NOT_REGULAR);
	ck_assert_uint_eq(pm_diags_count(&all, PM_SEV_ERROR), 2);
	ck_assert_uint_eq(pm_diags_count(&all, PM_SEV_WARNING), 1);
	free(a);
	free(b);
	free(fifo);
}
END_TEST

START_TEST(release_twice_and_unused)
{
	struct pm_corpus c;
	pm_corpus_init(&c);
	pm_corpus_release(&c);
	pm_corpus_release(&c);
	pm_corpus_release(NULL);
	put("a.md", doc_text);
	walk();
	pm_corpus_release(&corpus);
	ck_assert_uint_eq(corpus.ndocs, 0);
	ck_assert_ptr_null(corpus.docs);
	pm_corpus_init(&corpus);	/* teardown releases it once more */
}
END_TEST

Suite *corpus_suite(void);

Suite *corpus_suite(void)
{
	Suite *s = suite_create("corpus");
	TCase *tc = tcase_create("walk");
	tcase_add_unchecked_fixture(tc, tu_temp_base_create, tu_temp_base_remove);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, walk_reads_md_files_in_path_order);
	tcase_add_test(tc, walk_skips_dot_entries_and_other_names);
	tcase_add_test(tc, walk_skips_readme_without_frontmatter);
	tcase_add_test(tc, walk_normalizes_paths);
	tcase_add_test(tc, walk_follows_links_inside);
	tcase_add_test(tc, walk_never_leaves_the_root);
	tcase_add_test(tc, walk_ends_symlink_loops);
	tcase_add_test(tc, walk_skips_fifo);
	tcase_add_test(tc, walk_reports_unreadable);
	suite_add_tcase(s, tc);

	tc = tcase_create("ids");
	tcase_add_unchecked_fixture(tc, tu_temp_base_create, tu_temp_base_remove);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, duplicate_ids_name_both_files);
	tcase_add_test(tc, find_by_id);
	tcase_add_test(tc, find_in_a_large_corpus);
	suite_add_tcase(s, tc);

	tc = tcase_create("paths");
	tcase_add_unchecked_fixture(tc, tu_temp_base_create, tu_temp_base_remove);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, add_file_and_missing_paths);
	tcase_add_test(tc, collect_sorts_all_findings);
	tcase_add_test(tc, release_twice_and_unused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(corpus_suite());
}
