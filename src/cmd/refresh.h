/* refresh.h - bringing the index up to date before a query, and where the
 * index lives. */
#ifndef PM_REFRESH_H
#define PM_REFRESH_H

#include <stdbool.h>

#include "core/index.h"
#include "setup.h"

/* The index file: db when given, else <root>/.pmtool/index.db (creating
 * .pmtool/ with a .gitignore of "*" when create is set).  Allocated in s->arena; NULL after
 * printing why when the folder cannot be made. */
const char *pm_index_path(struct pm_setup *s, const char *cmd, const char *db, bool create);

/* Updates the index of s->root at db_path; prints walk findings and
 * failures to stderr under cmd.  Returns 0, or PM_EXIT_USAGE. */
int pm_refresh(struct pm_setup *s, const char *cmd, const char *db_path, bool rebuild,
	       struct pm_index_stats *stats);

#endif
