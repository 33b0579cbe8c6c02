/* lint_output.h - printing lint findings as text, JSON, SARIF or GitHub
 * Actions workflow commands.
 *
 * Every format prints the findings in the order given (the caller sorts
 * them) and nothing else varies between runs, so output is deterministic.
 */
#ifndef PM_LINT_OUTPUT_H
#define PM_LINT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/diag.h"

enum pm_lint_format { PM_LINT_TEXT, PM_LINT_JSON, PM_LINT_SARIF, PM_LINT_GITHUB };

/* Returns 0 and sets *out for "text", "json", "sarif", "github"; -1
 * otherwise (also for NULL). */
int pm_lint_format_parse(const char *s, enum pm_lint_format *out);

struct pm_lint_report {
	const struct pm_diags *diags;	/* sorted by file, line, column */
	size_t nfiles;			/* files checked */
	bool color;			/* text only: the caller decides (TTY and no NO_COLOR) */
	bool quiet;			/* text: print only errors and the summary */
	/* Source text of a line for the caret display (without its line end);
	 * NULL when unknown.  May itself be NULL.  The text is only read
	 * before the next call. */
	const char *(*source_line)(void *ctx, const char *path, uint32_t line, size_t *len);
	void *ctx;
	const char *tool_version;	/* for SARIF's driver.version; may be NULL */
	/* Code points of a source line, message or hint printed for one
	 * finding (limits.max_output_line); 0 for the default.  A longer source
	 * line is shown as a window around the column, a longer message cut,
	 * each with an ellipsis. */
	size_t max_line;
};

/* Prints r in fmt to f:
 *  text    path:line:col: error[CODE]: message, the source line with a caret
 *          under the column, "  = hint: ...", a blank line; then
 *          "N files, E errors, W warnings" (counting every finding, also
 *          the ones quiet leaves out).  Control characters and bytes that
 *          are not UTF-8 are shown as '?' so a file cannot drive the
 *          terminal.
 *  json    {"files", "errors", "warnings", "diagnostics": [...]}; "</" is
 *          written "<\/"
 *  sarif   SARIF 2.1.0 for GitHub code scanning, one rule per code used
 *  github  one ::error/::warning/::notice workflow command per finding
 * Returns 0, PM_ERR_NOMEM, or PM_ERR_IO when writing failed. */
int pm_lint_print(FILE *f, enum pm_lint_format fmt, const struct pm_lint_report *r);

#endif
