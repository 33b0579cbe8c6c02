/* corpus.c - the walk of a folder tree and the table of document IDs. */
#include "corpus.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "codes.h"
#include "path.h"

/* strerror(errno) in lower case, in a buffer of the calling frame. */
#define ERRNO_TEXT pm_errno_text(errno, (char[128]){ 0 }, 128)

struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct walk {
	struct pm_corpus *c;
	const struct pm_parse_opts *opts;
	struct pm_error *err;
	char *root_real;	/* realpath of the folder being walked */
	size_t root_len;
	struct dir_id *seen;	/* folders entered, to end symlink loops */
	size_t nseen, seen_cap;
};

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
	if (c->ndocs == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct pm_doc **d = realloc(c->docs, cap * sizeof(*d));
		if (!d)
			return PM_ERR_NOMEM;
		c->docs = d;
		c->cap = cap;
	}
	c->docs[c->ndocs++] = doc;
	return 0;
}

/* A walked file is a document when it opens with frontmatter or its name
 * is a document ID (inc-004.md): a README.md beside the documents is not
 * one, and is skipped rather than reported. */
static bool is_document(const struct pm_doc *doc, const struct pm_parse_opts *opts)
{
	if (doc->fm.present || !doc->src.data)
		return true;
	for (size_t i = 0; i < opts->markdown.nprefixes; i++) {
		const char *p = opts->markdown.id_prefixes[i];
		size_t n = strlen(p);
		if (!strncmp(doc->id, p, n) && doc->id[n] == '-')
			return true;
	}
	return false;
}

static int load_file(struct pm_corpus *c, const char *path,
		     const struct pm_parse_opts *opts, bool walked, struct pm_error *err)
{
	struct pm_doc *doc;
	int rc = pm_doc_load(&doc, path, opts, err);
	if (rc)
		return rc;
	if (walked && !is_document(doc, opts)) {
		pm_doc_free(doc);
		return 0;
	}
	if (push_doc(c, doc)) {
		pm_doc_free(doc);
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	}
	return 0;
}

static int note(struct walk *w, const char *path, const char *code,
		enum pm_severity sev, const char *msg, const char *hint)
{
	struct pm_diag *dg = pm_diags_add(&w->c->diags, path, 0, 0, sev, code, "%s", msg);
	if (!dg)
		return pm_error_set(w->err, PM_ERR_NOMEM, "out of memory");
	if (hint)
		pm_diag_set_hint(&w->c->diags, dg, "%s", hint);
	return 0;
}

static bool is_md_name(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && !strcasecmp(name + n - 3, ".md");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* True when the folder was entered before; otherwise records it. */
static int enter_dir(struct walk *w, const struct stat *st, bool *seen)
{
	for (size_t i = 0; i < w->nseen; i++) {
		if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino) {
			*seen = true;
			return 0;
		}
	}
	*seen = false;
	if (w->nseen == w->seen_cap) {
		size_t cap = w->seen_cap ? w->seen_cap * 2 : 32;
		struct dir_id *s = realloc(w->seen, cap * sizeof(*s));
		if (!s)
			return PM_ERR_NOMEM;
		w->seen = s;
		w->seen_cap = cap;
	}
	w->seen[w->nseen].dev = st->st_dev;
	w->seen[w->nseen++].ino = st->st_ino;
	return 0;
}

static int walk_dir(struct walk *w, const char *dir);

/* One directory entry: decides whether to skip, recurse or load it. */
static int visit(struct walk *w, const char *path, const char *name)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return note(w, path, PM_C_UNREADABLE, PM_SEV_ERROR, ERRNO_TEXT, NULL);
	if (S_ISLNK(st.st_mode)) {
		char *real = realpath(path, NULL);
		if (!real) {
			const char *why = errno == ELOOP ? "symbolic link loop"
						 : "symbolic link to nothing";
			return note(w, path, errno == ELOOP ? PM_C_SYMLINK_LOOP : PM_C_UNREADABLE,
				    errno == ELOOP ? PM_SEV_WARNING : PM_SEV_ERROR, why, NULL);
		}
		bool inside = !strncmp(real, w->root_real, w->root_len) &&
			      (real[w->root_len] == '/' || real[w->root_len] == '\0');
		free(real);
		if (!inside)
			return note(w, path, PM_C_SYMLINK_ESCAPE, PM_SEV_ERROR,
				    "symbolic link leads outside the docs root; not read",
				    "link only to files inside the repository");
		if (stat(path, &st) < 0)
			return note(w, path, PM_C_UNREADABLE, PM_SEV_ERROR, ERRNO_TEXT, NULL);
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(w, path);
	if (!is_md_name(name))
		return 0;
	if (!S_ISREG(st.st_mode))
		return note(w, path, PM_C_NOT_REGULAR, PM_SEV_WARNING,
			    "not a regular file; skipped", NULL);
	return load_file(w->c, path, w->opts, true, w->err);
}

static int walk_dir(struct walk *w, const char *dir)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return note(w, dir, PM_C_UNREADABLE, PM_SEV_ERROR, ERRNO_TEXT, NULL);
	bool seen;
	if (enter_dir(w, &st, &seen))
		return pm_error_set(w->err, PM_ERR_NOMEM, "out of memory");
	if (seen)
		return note(w, dir, PM_C_SYMLINK_LOOP, PM_SEV_WARNING,
			    "folder already walked through another path; skipped", NULL);
	DIR *d = opendir(dir);
	if (!d) {
		char msg[300];
		snprintf(msg, sizeof(msg), "cannot open folder: %s", ERRNO_TEXT);
		return note(w, dir, PM_C_UNREADABLE, PM_SEV_ERROR, msg, NULL);
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;	/* dot-folders, dot-files, . and .. */
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **nn = realloc(names, cap * sizeof(*nn));
			if (!nn) {
				rc = PM_ERR_NOMEM;
				break;
			}
			names = nn;
		}
		if (!(names[n] = strdup(e->d_name))) {
			rc = PM_ERR_NOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (!rc && n)
		qsort(names, n, sizeof(*names), cmp_str);
	size_t dlen = strlen(dir);
	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	for (size_t i = 0; i < n && !rc; i++) {
		char *path = malloc(dlen + strlen(names[i]) + 2);
		if (!path) {
			rc = PM_ERR_NOMEM;
			break;
		}
		if (!strcmp(dir, "."))
			strcpy(path, names[i]);	/* "x.md", not "./x.md" */
		else
			sprintf(path, "%.*s/%s", (int)dlen, dir, names[i]);
		rc = visit(w, path, names[i]);
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc == PM_ERR_NOMEM)
		pm_error_set(w->err, rc, "out of memory");
	return rc;
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
	struct walk w = { .c = c, .opts = opts, .err = err };
	w.root_real = realpath(path, NULL);
	if (!w.root_real)
		return pm_error_set(err, PM_ERR_IO, "%s: %s", path, ERRNO_TEXT);
	w.root_len = strlen(w.root_real);
	if (w.root_len == 1)
		w.root_len = 0;	/* "/" : every path is inside */
	int rc = walk_dir(&w, path);
	free(w.root_real);
	free(w.seen);
	return rc;
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
		struct pm_diag *dg = pm_diags_add(&c->diags, d->path, line, col, PM_SEV_ERROR,
						  PM_C_DUPLICATE_ID,
						  "duplicate ID '%s': also the ID of %s", d->id,
						  first->path);
		if (!dg)
			return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
		pm_diag_set_hint(&c->diags, dg,
				 "give one of them another file name or 'id:' field");
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
