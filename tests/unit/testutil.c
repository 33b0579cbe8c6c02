/* testutil.c - helpers shared by the Check suites. */
#include "testutil.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "markdown.h"

struct pm_doc *tu_parse_opts(const char *path, const char *data, size_t len,
			     const struct pm_parse_opts *opts)
{
	struct pm_doc *doc = NULL;
	struct pm_error err = { 0 };
	int rc = pm_doc_parse_memory(&doc, path, data, len, opts, &err);
	ck_assert_msg(rc == 0, "pm_doc_parse_memory(%s) returned %d: %s", path, rc,
		      err.msg);
	ck_assert_ptr_nonnull(doc);
	return doc;
}

struct pm_doc *tu_parse(const char *path, const char *text)
{
	struct pm_parse_opts opts;
	pm_parse_opts_default(&opts);
	return tu_parse_opts(path, text, strlen(text), &opts);
}

const struct pm_diag *tu_find_diag(const struct pm_diags *d, const char *code)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].code && !strcmp(d->items[i].code, code))
			return &d->items[i];
	return NULL;
}

size_t tu_count_diag(const struct pm_diags *d, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->items[i].code && !strcmp(d->items[i].code, code);
	return n;
}

void tu_assert_no_diags(const struct pm_diags *d)
{
	ck_assert_msg(d->n == 0, "expected no findings, got %zu; first: %s:%u:%u %s %s",
		      d->n, d->n ? d->items[0].path : "", d->n ? d->items[0].line : 0,
		      d->n ? d->items[0].col : 0, d->n ? d->items[0].code : "",
		      d->n ? d->items[0].message : "");
}

char *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

void tu_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot create %s: %s", path, strerror(errno));
	size_t n = strlen(text);
	ck_assert_uint_eq(fwrite(text, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

static char *temp_base;

char *tu_make_temp_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl = tu_path(temp_base ? temp_base : tmp && *tmp ? tmp : "/tmp",
			     "pmtool-check-XXXXXX");
	ck_assert_msg(mkdtemp(tmpl) != NULL, "mkdtemp: %s", strerror(errno));
	return tmpl;
}

void tu_temp_base_create(void)
{
	temp_base = NULL;
	temp_base = tu_make_temp_dir();
}

void tu_temp_base_remove(void)
{
	tu_remove_tree(temp_base);
	free(temp_base);
	temp_base = NULL;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void tu_remove_tree(const char *path)
{
	if (path)
		nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_path(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = malloc(n);
	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

int tu_run_suite(Suite *s)
{
	pm_markdown_global_init();
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	pm_markdown_global_release();
	return failed ? 1 : 0;
}
