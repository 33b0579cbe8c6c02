/* testutil.h - small helpers shared by the Check suites.
 *
 * Everything that parses fails the running test (ck_abort) on a machine
 * error, so a test body only deals with the outcome it checks.
 */
#ifndef PM_TESTUTIL_H
#define PM_TESTUTIL_H

#include <stddef.h>

#include <check.h>

#include "diag.h"
#include "doc.h"

/* Parses a NUL-terminated text named path with the default options.  The
 * caller frees the result with pm_doc_free(). */
struct pm_doc *tu_parse(const char *path, const char *text);

/* The same with len bytes (may hold NULs) and the given options. */
struct pm_doc *tu_parse_opts(const char *path, const char *data, size_t len,
			     const struct pm_parse_opts *opts);

/* The first finding with this code, or NULL. */
const struct pm_diag *tu_find_diag(const struct pm_diags *d, const char *code);

/* How many findings carry this code. */
size_t tu_count_diag(const struct pm_diags *d, const char *code);

/* Fails the test unless d holds no finding at all, naming the first one. */
void tu_assert_no_diags(const struct pm_diags *d);

/* Reads a whole file into a malloc'd NUL-terminated buffer (the caller
 * frees it); NULL when it cannot be read. */
char *tu_read_file(const char *path, size_t *len);

/* Writes text to path, failing the test when it cannot. */
void tu_write_file(const char *path, const char *text);

/* Creates a fresh folder under $TMPDIR (or /tmp), or inside the base
 * folder while there is one; the caller frees the returned path and removes
 * the tree with tu_remove_tree(). */
char *tu_make_temp_dir(void);

/* An unchecked fixture (it runs in Check's parent process): one base folder
 * per test case for tu_make_temp_dir(), removed whole at the end even when
 * a test failed and never reached its own teardown. */
void tu_temp_base_create(void);
void tu_temp_base_remove(void);

/* Removes a folder tree without following symbolic links. */
void tu_remove_tree(const char *path);

/* Joins a folder and a relative path into a malloc'd string. */
char *tu_path(const char *dir, const char *rel);

/* Runs the suite with CK_NORMAL output around pm_markdown_global_init()
 * and its release; returns the process exit status (0, or 1 on failures). */
int tu_run_suite(Suite *s);

#endif
