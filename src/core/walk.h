/* walk.h - the walk of a folder tree.
 *
 * Folders are walked recursively in name order.  Dot-files and dot-folders
 * are skipped, and so are names not ending in .md.  A symbolic link is
 * followed only when it resolves inside the folder walked (PM120 otherwise,
 * never read); a folder reached twice ends there (PM121); FIFOs, devices and
 * sockets are skipped without being opened (PM122); unreadable entries are
 * reported (PM109) and the walk goes on.  Paths are the root joined with
 * the names ("." as root gives bare names).
 */
#ifndef PM_WALK_H
#define PM_WALK_H

#include <sys/stat.h>

#include "diag.h"
#include "error.h"

/* Called for each regular *.md file with its stat; a non-zero return stops
 * the walk and is returned by pm_walk(). */
typedef int (*pm_walk_fn)(void *ctx, const char *path, const struct stat *st);

/* Walks the folder root.  Findings about the tree go to diags; returns 0, a
 * callback's non-zero value, or a negative pm_err with err set. */
int pm_walk(const char *root, pm_walk_fn fn, void *ctx, struct pm_diags *diags,
	    struct pm_error *err);

/* The same walk for callbacks that do not read the stat: st is NULL for a
 * file its directory entry says is regular (no lstat of each file), and
 * the stat otherwise. */
int pm_walk_files(const char *root, pm_walk_fn fn, void *ctx, struct pm_diags *diags,
		  struct pm_error *err);

#endif
