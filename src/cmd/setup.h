/* setup.h - what every command that reads a docs root loads first: the
 * .pmtool.yaml config, the schema (built-in plus a repository's own), the
 * users file and the docs root itself.
 */
#ifndef PM_SETUP_H
#define PM_SETUP_H

#include "core/arena.h"
#include "core/config.h"
#include "core/diag.h"
#include "core/doc.h"
#include "core/schema.h"
#include "core/users.h"

struct pm_setup_flags {
	const char *schema;	/* --schema DIR */
	const char *users;	/* --users FILE */
	const char *root;	/* --root DIR */
	bool skip_users;	/* the command only reads the index: no users file */
};

struct pm_setup {
	struct pm_arena arena;
	struct pm_config *config;
	struct pm_schema *schema;
	struct pm_users *users;	/* NULL without a users file */
	const char *root;	/* normalized docs root */
	struct pm_parse_opts parse;	/* limits from the config, the schema's prefixes */
	struct pm_diags diags;	/* findings in the config, schema and users files */
	bool index_is_own;	/* the index is at its default place, not --db */
	int jobs;		/* --jobs for index updates; 0: one per CPU */
};

/* Loads config, schema, users and the root.  The root is flags->root, else
 * the config's docs_root, else the nearest folder at or above paths[0]
 * holding users.yaml, else paths[0] (its folder, for a file), else ".".
 * On failure prints the findings and a line naming cmd to stderr and returns
 * PM_EXIT_USAGE; 0 on success.  Release with pm_setup_release() either way. */
int pm_setup_load(struct pm_setup *s, const char *cmd, const struct pm_setup_flags *flags,
		  int npaths, char **paths);

void pm_setup_release(struct pm_setup *s);

/* True for an existing folder. */
bool pm_is_dir(const char *path);

#endif
