/* config.h - the .pmtool.yaml file: where the documents, schema and users
 * live, which findings are switched off or change severity, and the limits.
 *
 * The file is a YAML mapping with these keys, all optional:
 *
 *   docs_root: docs             # folders and files, relative to the file
 *   schema: schema
 *   users: users.yaml
 *   templates: templates        # a team's own, before the built-in ones
 *   disable: [PM307, overdue-action-item]   # codes or names
 *   severity: {PM502: error, unknown-field: off}   # error|warning|note|off
 *   limits: {max_file_size: 1048576, max_yaml_depth: 16}
 *
 * Relative paths in the file resolve from the folder holding it, by plain
 * joining (no realpath), so running from a subfolder finds the same
 * documents.  A struct pm_config owns one arena with everything in it.
 */
#ifndef PM_CONFIG_H
#define PM_CONFIG_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "error.h"
#include "doclimits.h"

/* The name looked for in each folder on the way up. */
#define PM_CONFIG_NAME ".pmtool.yaml"

struct pm_severity_override {
	const char *code;		/* the canonical code ("PM502") */
	enum pm_severity severity;
};

struct pm_config {
	struct pm_arena arena;
	const char *path;	/* the file found, or NULL when there is none */
	const char *base;	/* its folder; relative paths in the file resolve from here */
	const char *docs_root;	/* key "docs_root", resolved against base; NULL when unset */
	const char *schema_dir;	/* key "schema", resolved likewise */
	const char *users_file;	/* key "users", resolved likewise */
	const char *templates_dir;	/* key "templates": a team's templates */
	const char **disabled;	/* key "disable", and "off" under "severity": codes
				 * or names, as written */
	size_t ndisabled;
	struct pm_severity_override *overrides;	/* key "severity", except "off" */
	size_t noverrides;
	struct pm_limits limits; /* PM_LIMITS_DEFAULT, changed by key "limits" */
};

/* Walks up from start_dir (inclusive; NULL means ".") to the root looking
 * for .pmtool.yaml and loads the first one found.  A relative start_dir
 * gives relative paths ("../.pmtool.yaml", base ".."), so findings name
 * files the way the user would.  *out is always set (with path NULL and the
 * defaults when no file exists; NULL only when memory runs out) and the
 * caller frees it with pm_config_free(), also on failure.  Problems in the
 * file (YAML syntax and limits included) are findings PM002 in diags with
 * the file's line:col and give PM_ERR_INVALID; a start_dir that is not a folder, or a file that cannot
 * be read, gives PM_ERR_IO with err set. */
int pm_config_find(struct pm_config **out, const char *start_dir,
		   struct pm_diags *diags, struct pm_error *err);

/* Loads the one file path, with the same rules and ownership as
 * pm_config_find(); base is path's folder. */
int pm_config_load(struct pm_config **out, const char *path,
		   struct pm_diags *diags, struct pm_error *err);

/* Frees the config and everything in it.  Accepts NULL. */
void pm_config_free(struct pm_config *c);

/* Applies c's "disable" and "severity" (c may be NULL) to diags in place:
 * drops the findings of disabled codes, keeping the order of the rest, and
 * changes the severity of overridden ones.  extra_disabled (may be NULL) is
 * a comma-separated list of codes or names from the command line, disabled
 * too; an unknown one gives PM_ERR_INVALID with err naming it, and diags
 * untouched.  A code both disabled and given a severity stays disabled. */
int pm_config_filter(const struct pm_config *c, const char *extra_disabled,
		     struct pm_diags *diags, struct pm_error *err);

#endif
