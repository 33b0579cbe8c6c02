/* index.h - the SQLite index of a docs root (schema/index.sql).
 *
 * pm_index_update() brings the index in line with the files in one
 * transaction: a file whose size and mtime are unchanged is not read; a
 * changed one is read and, when its content hash is the same, only its stat
 * is refreshed; others are parsed, checked and their rows replaced; rows of
 * deleted files go.  links and the corpus-wide findings are then rebuilt
 * from refs, so an incremental update gives the same rows as a rebuild.  A
 * run killed at any point leaves the previous index (SQLite's journal);
 * a second run waits for the first (busy timeout) or says it is locked.
 * Paths in the index are relative to the docs root.
 */
#ifndef PM_INDEX_H
#define PM_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>

#include "diag.h"
#include "doc.h"
#include "error.h"
#include "schema.h"
#include "users.h"

#define PM_INDEX_VERSION 2

/* The index's page size, and how many of its pages the writer caches at
 * most (PRAGMA page_size and cache_size in index.c; the cache is set in
 * KiB, so an index made with smaller pages gets as many bytes): what
 * pagecache.h's slab is sized for. */
#define PM_INDEX_PAGE_SIZE 16384
#define PM_INDEX_CACHE_PAGES 1024

struct pm_index_opts {
	const char *root;		/* docs root */
	const char *db_path;		/* the database file */
	bool rebuild;			/* drop everything and re-read every file */
	const struct pm_schema *schema;
	const struct pm_users *users;	/* may be NULL */
	struct pm_parse_opts parse;
	/* Called after each document written; a non-zero return stops the
	 * update and rolls it back (tests use it to die mid-run). */
	int (*progress)(void *ctx, size_t written);
	void *progress_ctx;
	unsigned busy_timeout_ms;	/* wait this long for another run */
	/* The file is pmtool's own (.pmtool/index.db): a damaged file or
	 * another database found there is replaced.  Otherwise (--db) such a
	 * file is refused, never overwritten. */
	bool own_path;
	/* Threads: jobs - 1 read and check documents ahead while one writes
	 * them in order (0: one per CPU; 1: all on the calling thread).  The
	 * index is the same whatever it is. */
	int jobs;
};

struct pm_index_stats {
	size_t files;		/* candidate files seen by the walk */
	size_t unchanged;	/* skipped on size and mtime */
	size_t same_content;	/* read, same hash: stat refreshed */
	size_t written;		/* parsed and (re)written */
	size_t deleted;
	size_t not_documents;	/* read, but no frontmatter and no ID name */
	bool rebuilt;		/* everything was re-read */
};

/* Creates or updates the index at o->db_path (its folder must exist).
 * Findings of the walk go to diags.  Returns 0, or a negative pm_err with
 * err set: PM_ERR_IO for SQLite trouble (locked, read-only, disk full),
 * PM_ERR_INVALID for an index written by a newer pmtool. */
int pm_index_update(const struct pm_index_opts *o, struct pm_index_stats *stats,
		    struct pm_diags *diags, struct pm_error *err);

/* Opens the index read-only for queries, defended (SQLITE_DBCONFIG_DEFENSIVE,
 * trusted_schema off) and checked for its version.  The caller closes *out
 * with sqlite3_close(). */
int pm_index_open_readonly(sqlite3 **out, const char *db_path, struct pm_error *err);

#endif
