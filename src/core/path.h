/* path.h - lexical path handling (no file system access, no symlinks). */
#ifndef PM_PATH_H
#define PM_PATH_H

#include <stdbool.h>

#include "arena.h"

/* Removes "." segments, repeated and trailing slashes, and folds "a/.."
 * away where a precedes it; leading ".." segments stay.  "" becomes ".".
 * The result is allocated in a. */
char *pm_path_normalize(struct pm_arena *a, const char *path);

/* The folder part of path ("." when it has none), in a. */
char *pm_path_dirname(struct pm_arena *a, const char *path);

/* dir + "/" + rel, normalized, in a ("." as dir gives rel alone). */
char *pm_path_join(struct pm_arena *a, const char *dir, const char *rel);

/* True when the normalized path lies inside the normalized root (or is it). */
bool pm_path_inside(const char *root, const char *path);

#endif
