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
/* the schema files themselves */
#define PM_C_SCHEMA "PM001"
#define PM_C_CONFIG "PM002"
/* identity */
#define PM_C_MISSING_TYPE "PM201"
#define PM_C_UNKNOWN_TYPE "PM202"
#define PM_C_DUPLICATE_ID "PM203"
#define PM_C_ID_PREFIX "PM204"
#define PM_C_ID_FORMAT "PM205"
/* fields */
#define PM_C_MISSING_FIELD "PM301"
#define PM_C_WRONG_TYPE "PM302"
#define PM_C_INVALID_ENUM "PM303"
#define PM_C_PATTERN "PM304"
#define PM_C_INVALID_DATE "PM305"
#define PM_C_INVALID_DATETIME "PM306"
#define PM_C_UNKNOWN_FIELD "PM307"
#define PM_C_OUT_OF_RANGE "PM308"
#define PM_C_TOO_FEW_ITEMS "PM309"
/* relations */
#define PM_C_UNRESOLVED_REF "PM401"
#define PM_C_REF_FORMAT "PM402"
#define PM_C_REF_ESCAPES "PM403"
#define PM_C_SELF_REF "PM404"
#define PM_C_TARGET_TYPE "PM405"
#define PM_C_CYCLE "PM406"
#define PM_C_SUPERSEDED "PM407"
#define PM_C_TOO_MANY_REFS "PM408"
#define PM_C_SOURCE_TYPE "PM409"
/* graph health (pmtool graph --check) */
#define PM_C_ORPHAN "PM410"
#define PM_C_DEAD_END "PM411"
#define PM_C_ONE_SIDED_SUPERSEDE "PM412"
/* sections and tables */
#define PM_C_MISSING_SECTION "PM501"
#define PM_C_EMPTY_SECTION "PM502"
#define PM_C_MISSING_TABLE "PM503"
#define PM_C_MISSING_COLUMN "PM504"
#define PM_C_INVALID_CELL "PM505"
#define PM_C_EMPTY_CELL "PM506"
#define PM_C_DUPLICATE_SECTION "PM507"
#define PM_C_MISPLACED_SECTION "PM508"
#define PM_C_TOO_FEW_ROWS "PM509"
#define PM_C_SECTION_ITEMS "PM510"
/* rules */
#define PM_C_RESOLVED_BEFORE_START "PM601"
#define PM_C_DURATION "PM602"
#define PM_C_TIMELINE_ORDER "PM603"
#define PM_C_TIMELINE_WINDOW "PM604"
#define PM_C_TIMELINE_TIME "PM605"
#define PM_C_DUE_BEFORE_INCIDENT "PM606"
#define PM_C_OVERDUE "PM607"
#define PM_C_REVIEW_ORDER "PM608"
#define PM_C_REVIEW_OVERDUE "PM609"
/* users */
#define PM_C_UNKNOWN_USER "PM701"
#define PM_C_USER_FORMAT "PM702"

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
