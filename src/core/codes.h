/* codes.h - the stable codes of every finding pmtool reports.
 *
 * Codes never change meaning once released; docs/pmtool-lint.1.scd lists
 * each with a failing example.  A code also has a name (kebab-case) that the
 * command line accepts wherever it accepts a code.
 */
#ifndef PM_CODES_H
#define PM_CODES_H

#include "diag.h"

/* parse: the file itself */
#define PM_C_NO_FRONTMATTER "PM101"
#define PM_C_UNTERMINATED_FRONTMATTER "PM102"
#define PM_C_YAML_SYNTAX "PM103"
#define PM_C_NOT_MAPPING "PM104"
#define PM_C_DUPLICATE_KEY "PM105"
#define PM_C_INVALID_UTF8 "PM106"
#define PM_C_FILE_TOO_LARGE "PM107"
#define PM_C_YAML_LIMIT "PM108"
#define PM_C_UNREADABLE "PM109"
#define PM_C_YAML_UNSUPPORTED "PM110"
#define PM_C_BODY_LIMIT "PM111"
/* walk: the tree of files */
#define PM_C_SYMLINK_ESCAPE "PM120"
#define PM_C_SYMLINK_LOOP "PM121"
#define PM_C_NOT_REGULAR "PM122"
/* identity */
#define PM_C_DUPLICATE_ID "PM203"

struct pm_code_info {
	const char *code;
	const char *name;
	enum pm_severity severity;	/* default severity */
	const char *summary;
};

/* Looks a code up by code ("PM103") or by name ("yaml-syntax"); NULL when
 * unknown.  The table is static and read-only, so safe from any thread. */
const struct pm_code_info *pm_code_lookup(const char *code_or_name);

/* The whole table and its length, in code order. */
const struct pm_code_info *pm_code_table(size_t *n);

#endif
