/* diag.h - findings in documents: {path, line, col, severity, code,
 * message, hint}.
 *
 * A struct pm_diags is a growable list whose items and strings live in an
 * arena the caller supplies (a document's own, or a command's), so a list
 * never needs releasing on its own.  Lines and columns are 1-based; line 0
 * means the finding has no position (an unreadable file).
 */
#ifndef PM_DIAG_H
#define PM_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

enum pm_severity {
	PM_SEV_ERROR = 0,
	PM_SEV_WARNING = 1,
	PM_SEV_NOTE = 2,
};

struct pm_diag {
	const char *path;	/* as the user named the file */
	uint32_t line, col;
	enum pm_severity severity;
	const char *code;	/* stable code, e.g. "PM103" (see codes.h) */
	const char *message;	/* lower case, no full stop */
	const char *hint;	/* NULL when there is none */
};

struct pm_diags {
	struct pm_arena *arena;	/* borrowed: owns items and strings */
	struct pm_diag *items;
	size_t n, cap;
};

/* Starts an empty list whose memory comes from arena (borrowed). */
void pm_diags_init(struct pm_diags *d, struct pm_arena *arena);

/* Appends a finding; message is printf-formatted.  path is copied.  Returns
 * the new item (owned by the list) so a hint can be attached, or NULL when
 * out of memory. */
struct pm_diag *pm_diags_add(struct pm_diags *d, const char *path,
			     uint32_t line, uint32_t col,
			     enum pm_severity sev, const char *code,
			     const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Sets dg's hint, printf-formatted, in d's arena. */
void pm_diag_set_hint(struct pm_diags *d, struct pm_diag *dg,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Appends copies of every item of src (strings are copied into d's arena). */
int pm_diags_append(struct pm_diags *d, const struct pm_diags *src);

/* Sorts by path, line, column, then code: the order every output uses. */
void pm_diags_sort(struct pm_diags *d);

/* Counts the items of the given severity. */
size_t pm_diags_count(const struct pm_diags *d, enum pm_severity sev);

/* "error", "warning" or "note". */
const char *pm_severity_name(enum pm_severity sev);

#endif
