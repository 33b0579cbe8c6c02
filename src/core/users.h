/* users.h - the users file (md-db's shape): who a @handle may name.
 *
 *   users: { handle: { name: ..., email: ..., teams: [...] } }
 *   teams: { name: { name: ..., teams: [...] } }
 *
 * "@alice" names a user; "@team/platform" or "@org/platform" names a team
 * (the part after the slash must be a team; a first part that is a team
 * with a second that is a user also counts, as "@platform/alice").
 */
#ifndef PM_USERS_H
#define PM_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "error.h"

struct pm_users {
	struct pm_arena arena;
	const char *path;
	const char **users;	/* sorted */
	size_t nusers;
	const char **teams;	/* sorted */
	size_t nteams;
	uint64_t fingerprint;	/* of the file's bytes */
};

/* Loads path.  Problems in the file go to diags (PM002-style config
 * findings use code PM001) and give PM_ERR_INVALID.  The caller frees *out
 * with pm_users_free(), also after a failure. */
int pm_users_load(struct pm_users **out, const char *path, struct pm_diags *diags,
		  struct pm_error *err);

/* Frees the users.  Accepts NULL. */
void pm_users_free(struct pm_users *u);

/* True when s is "@handle" or "@a/b" with handle characters
 * [A-Za-z0-9._-] (not starting with '.' or '-'). */
bool pm_user_syntax(const char *s);

/* True when the @-form s names a known user or team. */
bool pm_users_known(const struct pm_users *u, const char *s);

/* The closest known user for a typo (without '@'), or NULL. */
const char *pm_users_suggest(const struct pm_users *u, const char *s);

#endif
