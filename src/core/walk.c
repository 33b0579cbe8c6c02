/* walk.c - the walk of a folder tree: which files are candidate documents. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "codes.h"

/* strerror(errno) in lower case, in a buffer of the calling frame. */
#define ERRNO_TEXT pm_errno_text(errno, (char[128]){ 0 }, 128)

struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct walk {
	pm_walk_fn fn;
	void *ctx;
	struct pm_diags *diags;
	struct pm_error *err;
	char *root_real;	/* realpath of the folder being walked */
	size_t root_len;
	struct dir_id *seen;	/* folders entered, to end symlink loops */
	size_t nseen, seen_cap;
	bool need_stat;		/* the callback reads its stat (pm_walk_files) */
};

static int note(struct walk *w, const char *path, const char *code,
		enum pm_severity sev, const char *msg, const char *hint)
{
	struct pm_diag *dg = pm_diags_add(w->diags, path, 0, 0, sev, code, "%s", msg);
	if (!dg)
		return pm_error_set(w->err, PM_ERR_NOMEM, "out of memory");
	if (hint)
		pm_diag_set_hint(w->diags, dg, "%s", hint);
	return 0;
}

static bool is_md_name(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && !strcasecmp(name + n - 3, ".md");
}

/* walk_dir's names: the entry's d_type in the first byte, then the name. */
static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
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
	struct dir_id *s = pm_grow(w->seen, w->nseen, &w->seen_cap, sizeof(*s), 32);
	if (!s)
		return PM_ERR_NOMEM;
	w->seen = s;
	w->seen[w->nseen].dev = st->st_dev;
	w->seen[w->nseen++].ino = st->st_ino;
	return 0;
}

static int walk_dir(struct walk *w, const char *dir);

/* One directory entry: decides whether to skip, recurse or hand it on. */
static int visit(struct walk *w, const char *path, const char *name, unsigned char type)
{
	/* A regular file, by its directory entry: no lstat needed unless the
	 * callback wants one (100,000 of them are a twentieth of a lint). */
	if (type == DT_REG && !w->need_stat)
		return is_md_name(name) ? w->fn(w->ctx, path, NULL) : 0;
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
	return w->fn(w->ctx, path, &st);
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
		char **nn = pm_grow(names, n, &cap, sizeof(*nn), 32);
		if (!nn) {
			rc = PM_ERR_NOMEM;
			break;
		}
		names = nn;
		size_t len = strlen(e->d_name);
		if (!(names[n] = malloc(len + 2))) {
			rc = PM_ERR_NOMEM;
			break;
		}
		names[n][0] = (char)e->d_type;
		memcpy(names[n] + 1, e->d_name, len + 1);
		n++;
	}
	closedir(d);
	if (!rc && n)
		qsort(names, n, sizeof(*names), cmp_name);
	size_t dlen = strlen(dir);
	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	for (size_t i = 0; i < n && !rc; i++) {
		const char *name = names[i] + 1;
		size_t nlen = strlen(name);
		char *path = malloc(dlen + nlen + 2);
		if (!path) {
			rc = PM_ERR_NOMEM;
			break;
		}
		/* By hand, not sprintf: once per file, 100,000 times. */
		if (!strcmp(dir, ".")) {
			memcpy(path, name, nlen + 1);	/* "x.md", not "./x.md" */
		} else {
			memcpy(path, dir, dlen);
			path[dlen] = '/';
			memcpy(path + dlen + 1, name, nlen + 1);
		}
		rc = visit(w, path, name, (unsigned char)names[i][0]);
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc == PM_ERR_NOMEM)
		pm_error_set(w->err, rc, "out of memory");
	return rc;
}

static int walk_tree(const char *root, pm_walk_fn fn, void *ctx, bool need_stat,
		struct pm_diags *diags, struct pm_error *err)
{
	struct walk w = { .fn = fn, .ctx = ctx, .diags = diags, .err = err,
			  .need_stat = need_stat };
	w.root_real = realpath(root, NULL);
	if (!w.root_real)
		return pm_error_set(err, PM_ERR_IO, "%s: %s", root, ERRNO_TEXT);
	w.root_len = strlen(w.root_real);
	if (w.root_len == 1)
		w.root_len = 0;	/* "/" : every path is inside */
	int rc = walk_dir(&w, root);
	free(w.root_real);
	free(w.seen);
	return rc;
}

int pm_walk(const char *root, pm_walk_fn fn, void *ctx, struct pm_diags *diags,
	    struct pm_error *err)
{
	return walk_tree(root, fn, ctx, true, diags, err);
}

int pm_walk_files(const char *root, pm_walk_fn fn, void *ctx, struct pm_diags *diags,
		  struct pm_error *err)
{
	return walk_tree(root, fn, ctx, false, diags, err);
}
