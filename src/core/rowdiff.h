/* rowdiff.h - a changed document's rows rewritten as a difference.
 *
 * An update used to delete every row of a changed document and insert
 * them all again.  Each new row then had a new rowid, so every secondary
 * index moved an entry (fields_key, action_items_owner, ...), and an edit
 * of one paragraph rewrote pages all over the file (and copied each into
 * the rollback journal first).  Instead, the document's new rows go to
 * staging tables (temp.new_TABLE) and are compared with its rows in the
 * index, row by row, by a 128-bit hash of their values: equal rows stay
 * as they are, the others are deleted or copied in.  Rows equal in every
 * value are interchangeable, so the result is the same set of rows as a
 * delete and insert would give (a rebuild compares equal).
 *
 * Sections are special: their full-text entries follow them.  A section
 * copied in gets its search row at once; a section that goes is noted in
 * temp.dropped_rows (r INTEGER), a table the caller makes, for it to
 * remove with its search row later (index.c, drop_sections: FTS5 wants
 * those in rowid order).  The columns compared and copied are read from
 * the schema: every column of each table. */
#ifndef PM_ROWDIFF_H
#define PM_ROWDIFF_H

#include <sqlite3.h>
#include <stddef.h>

#include "error.h"

/* The tables compared; their staging tables are temp.new_NAME. */
enum pm_rowdiff_table {
	PM_RD_FIELDS, PM_RD_REFS, PM_RD_SECTIONS, PM_RD_ACTIONS, PM_RD_TIMELINE,
	PM_RD_DIAGS, PM_RD_COUNT
};

struct pm_rowdiff;

struct pm_rowdiff_stats {
	size_t kept, inserted, deleted;
	size_t changed[PM_RD_COUNT];	/* rows inserted or deleted, per table */
	size_t dropped_sections;	/* noted in temp.dropped_rows */
};

/* Creates the staging tables (empty, like the tables) and prepares what
 * apply needs, on db inside the caller's transaction; once per
 * connection. */
int pm_rowdiff_open(struct pm_rowdiff **out, sqlite3 *db, struct pm_error *err);

/* The name of table t ("fields"...), and of its staging table. */
const char *pm_rowdiff_table(enum pm_rowdiff_table t);
const char *pm_rowdiff_staging(enum pm_rowdiff_table t);

/* Makes doc's rows in every table equal to the rows staged since the last
 * call, which it marks as applied (staging tables are never emptied: they
 * go with the connection).  Adds to *stats. */
int pm_rowdiff_apply(struct pm_rowdiff *d, const char *doc, struct pm_rowdiff_stats *stats,
		     struct pm_error *err);

void pm_rowdiff_close(struct pm_rowdiff *d);

#endif
