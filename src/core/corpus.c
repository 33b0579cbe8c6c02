/* corpus.c - the walk of a folder tree and the table of document IDs. */
#include "corpus.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "codes.h"
#include "docsum.h"
#include "path.h"
#include "walk.h"

/* strerror(errno) in lower case, in a buffer of the calling frame. */
#define ERRNO_TEXT pm_errno_text(errno, (char[128]){ 0 }, 128)

void pm_corpus_init(struct pm_corpus *c)
{
	memset(c, 0, sizeof(*c));
	pm_arena_init(&c->arena);
	pm_diags_init(&c->diags, &c->arena);
	pm_strmap_init(&c->ids);
	pm_strmap_init(&c->paths);
}

void pm_corpus_release(struct pm_corpus *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ndocs; i++)
		pm_doc_free(c->docs[i]);
	free(c->docs);
	pm_strmap_release(&c->ids);
	pm_strmap_release(&c->paths);
	pm_arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
}

static int push_doc(struct pm_corpus *c, struct pm_doc *doc)
{
	struct pm_doc **d = pm_grow(c->docs, c->ndocs, &c->cap, sizeof(*d), 64);
	if (!d)
		return PM_ERR_NOMEM;
	c->docs = d;
	c->docs[c->ndocs++] = doc;
	return 0;
}

static int load_file(struct pm_corpus *c, const char *path,
		     const struct pm_parse_opts *opts, bool walked, struct pm_error *err)
{
	struct pm_doc *doc;
	int rc = pm_doc_load(&doc, path, opts, err);
	if (rc)
		return rc;
	if (walked && !pm_doc_is_document(doc, opts)) {
		pm_doc_free(doc);
		return 0;
	}
	if (push_doc(c, doc)) {
		pm_doc_free(doc);
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	}
	return 0;
}

struct add_ctx {
	struct pm_corpus *c;
	const struct pm_parse_opts *opts;
	struct pm_error *err;
};

static int add_walked(void *ctx, const char *path, const struct stat *st)
{
	(void)st;
	struct add_ctx *a = ctx;
	return load_file(a->c, path, a->opts, true, a->err);
}

int pm_corpus_add_path(struct pm_corpus *c, const char *given,
		       const struct pm_parse_opts *opts, struct pm_error *err)
{
	const char *path = pm_path_normalize(&c->arena, given);
	if (!path)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	struct stat st;
	if (stat(path, &st) < 0) {
		struct pm_diag *dg = pm_diags_add(&c->diags, path, 0, 0, PM_SEV_ERROR,
						  PM_C_UNREADABLE, "%s", ERRNO_TEXT);
		return dg ? 0 : pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(c, path, opts, false, err);
	struct add_ctx a = { .c = c, .opts = opts, .err = err };
	return pm_walk_files(path, add_walked, &a, &c->diags, err);
}

static int cmp_doc_path(const void *a, const void *b)
{
	const struct pm_doc *x = *(struct pm_doc *const *)a;
	const struct pm_doc *y = *(struct pm_doc *const *)b;
	return strcmp(x->path, y->path);
}

static uint32_t id_line(const struct pm_doc *d, uint32_t *col)
{
	const struct pm_pair *p = d->id_from_field ? pm_value_pair(d->fm.root, "id") : NULL;
	*col = p ? p->value->col : 1;
	return p ? p->line : 1;
}

int pm_corpus_finish(struct pm_corpus *c, struct pm_error *err)
{
	if (c->ndocs > 1)
		qsort(c->docs, c->ndocs, sizeof(*c->docs), cmp_doc_path);
	pm_strmap_release(&c->ids);
	pm_strmap_release(&c->paths);
	for (size_t i = 0; i < c->ndocs; i++) {
		const struct pm_doc *d = c->docs[i];
		if (pm_strmap_put(&c->paths, d->path, i, NULL) < 0)
			return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
		if (!d->id || !d->src.data)
			continue;	/* unreadable files name no document */
		size_t first_i;
		int rc = pm_strmap_put(&c->ids, d->id, i, &first_i);
		if (rc < 0)
			return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
		if (rc == 1)
			continue;
		const struct pm_doc *first = c->docs[first_i];
		uint32_t col, line = id_line(d, &col);
		if (!pm_report_duplicate_id(&c->diags, d->path, line, col, d->id, first->path))
			return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	}
	return 0;
}

struct pm_doc *pm_corpus_find(const struct pm_corpus *c, const char *id)
{
	size_t i;
	return pm_strmap_get(&c->ids, id, &i) ? c->docs[i] : NULL;
}

struct pm_doc *pm_corpus_find_path(const struct pm_corpus *c, const char *path)
{
	size_t i;
	return pm_strmap_get(&c->paths, path, &i) ? c->docs[i] : NULL;
}

size_t pm_corpus_index(const struct pm_corpus *c, const struct pm_doc *doc)
{
	size_t i = 0;
	pm_strmap_get(&c->paths, doc->path, &i);
	return i;
}

int pm_corpus_collect_diags(const struct pm_corpus *c, struct pm_diags *into)
{
	if (pm_diags_append(into, &c->diags))
		return PM_ERR_NOMEM;
	for (size_t i = 0; i < c->ndocs; i++)
		if (pm_diags_append(into, &c->docs[i]->diags))
			return PM_ERR_NOMEM;
	pm_diags_sort(into);
	return 0;
}
