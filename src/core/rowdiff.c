/* rowdiff.c - a changed document's rows rewritten as a difference. */
#include "rowdiff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "buf.h"

static const struct {
	const char *name, *staging, *only;
} tables[PM_RD_COUNT] = {
	[PM_RD_FIELDS] = { "fields", "new_fields", "" },
	[PM_RD_REFS] = { "refs", "new_refs", "" },
	[PM_RD_SECTIONS] = { "sections", "new_sections", "" },
	[PM_RD_ACTIONS] = { "action_items", "new_action_items", "" },
	[PM_RD_TIMELINE] = { "timeline", "new_timeline", "" },
	/* The corpus-wide findings are rebuilt from refs on every update. */
	[PM_RD_DIAGS] = { "diagnostics", "new_diagnostics", " AND scope = 'document'" },
};

/* The columns of sections that its search row holds, in search's order. */
static const char *const search_cols[] = { "title", "heading", "text" };
enum { NSEARCH = sizeof(search_cols) / sizeof(search_cols[0]) };

enum { Q_OLD, Q_NEW, Q_COPY, Q_DROP, Q_COUNT };

struct old_row {
	XXH128_hash_t h;
	sqlite3_int64 rowid;
	bool claimed;
};

struct pm_rowdiff {
	sqlite3 *db;
	sqlite3_stmt *q[PM_RD_COUNT][Q_COUNT];
	sqlite3_stmt *search_add;
	int search_at[NSEARCH];		/* where search_cols are in a sections row */
	/* The staged rows already applied, per table: staging tables are
	 * never emptied (a DELETE of several rows would open a statement
	 * savepoint, and FTS5 flushes its pending terms at each); they go
	 * with the connection. */
	sqlite3_int64 applied[PM_RD_COUNT];
	struct old_row *old;
	size_t cap;
};

const char *pm_rowdiff_table(enum pm_rowdiff_table t)
{
	return tables[t].name;
}

const char *pm_rowdiff_staging(enum pm_rowdiff_table t)
{
	return tables[t].staging;
}

static int fail(struct pm_rowdiff *d, struct pm_error *err, const char *what)
{
	return pm_error_set(err, PM_ERR_IO, "index: %s: %s", what, sqlite3_errmsg(d->db));
}

/* Table t's columns, "a, b, c" in cols and "?,?,?" in marks, read from the
 * schema: every column is compared and copied.  Notes where a sections
 * row (rowid first) holds what its search row needs. */
static int read_columns(struct pm_rowdiff *d, int t, struct pm_buf *cols, struct pm_buf *marks,
			struct pm_error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(d->db, "SELECT name FROM pragma_table_info(?1, 'main') ORDER BY cid",
			       -1, &st, NULL) != SQLITE_OK)
		return fail(d, err, "cannot read the index's columns");
	sqlite3_bind_text(st, 1, tables[t].name, -1, SQLITE_STATIC);
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		pm_buf_printf(cols, "%s\"%s\"", n ? ", " : "", name ? name : "");
		pm_buf_adds(marks, n ? ",?" : "?");
		n++;
		for (int k = 0; t == PM_RD_SECTIONS && name && k < NSEARCH; k++)
			if (!strcmp(name, search_cols[k]))
				d->search_at[k] = n;	/* after the rowid */
	}
	sqlite3_finalize(st);
	if (cols->failed || marks->failed)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	if (!n)
		return pm_error_set(err, PM_ERR_INVALID, "index: no table %s", tables[t].name);
	return 0;
}

int pm_rowdiff_open(struct pm_rowdiff **out, sqlite3 *db, struct pm_error *err)
{
	*out = NULL;
	struct pm_rowdiff *d = calloc(1, sizeof(*d));
	if (!d)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	d->db = db;
	int rc = 0;
	struct pm_buf cols = PM_BUF_INIT, marks = PM_BUF_INIT, sql = PM_BUF_INIT;
	for (int t = 0; !rc && t < PM_RD_COUNT; t++) {
		pm_buf_reset(&cols);
		pm_buf_reset(&marks);
		rc = read_columns(d, t, &cols, &marks, err);
		if (rc)
			break;
		const char *c = pm_buf_cstr(&cols), *name = tables[t].name;
		/* Created like the table (CREATE ... AS keeps each column's
		 * affinity), so equal values are stored, and hashed, alike. */
		pm_buf_reset(&sql);
		pm_buf_printf(&sql, "CREATE TEMP TABLE %s AS SELECT %s FROM main.%s WHERE 0",
			      tables[t].staging, c, name);
		if (sql.failed)
			rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
		else if (sqlite3_exec(db, pm_buf_cstr(&sql), NULL, NULL, NULL) != SQLITE_OK)
			rc = fail(d, err, "cannot create the staging tables");
		for (int k = 0; !rc && k < Q_COUNT; k++) {
			pm_buf_reset(&sql);
			if (k == Q_OLD)
				pm_buf_printf(&sql, "SELECT rowid, %s FROM main.%s WHERE doc = ?1%s", c,
					      name, tables[t].only);
			else if (k == Q_NEW)
				pm_buf_printf(&sql, "SELECT rowid, %s FROM temp.%s WHERE rowid > ?1 "
					      "ORDER BY rowid", c, tables[t].staging);
			/* One row of VALUES, not INSERT ... SELECT: that may
			 * write several rows, so it opens a statement
			 * savepoint (see above). */
			else if (k == Q_COPY)
				pm_buf_printf(&sql, "INSERT INTO main.%s (%s) VALUES (%s)", name, c,
					      pm_buf_cstr(&marks));
			/* A section goes later, with its search row (rowdiff.h). */
			else if (t == PM_RD_SECTIONS)
				pm_buf_adds(&sql, "INSERT INTO temp.dropped_rows (r) VALUES (?1)");
			else
				pm_buf_printf(&sql, "DELETE FROM main.%s WHERE rowid = ?1", name);
			if (sql.failed)
				rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
			else if (sqlite3_prepare_v3(db, pm_buf_cstr(&sql), -1, SQLITE_PREPARE_PERSISTENT,
						    &d->q[t][k], NULL) != SQLITE_OK)
				rc = fail(d, err, "cannot prepare a difference");
		}
	}
	for (int k = 0; !rc && k < NSEARCH; k++)
		if (!d->search_at[k])
			rc = pm_error_set(err, PM_ERR_INVALID, "index: sections has no column %s",
					  search_cols[k]);
	if (!rc && sqlite3_prepare_v3(db, "INSERT INTO main.search (rowid, title, heading, text) "
				      "VALUES (?1, ?2, ?3, ?4)", -1, SQLITE_PREPARE_PERSISTENT,
				      &d->search_add, NULL) != SQLITE_OK)
		rc = fail(d, err, "cannot prepare a difference");
	pm_buf_release(&cols);
	pm_buf_release(&marks);
	pm_buf_release(&sql);
	if (rc) {
		pm_rowdiff_close(d);
		return rc;
	}
	*out = d;
	return 0;
}

void pm_rowdiff_close(struct pm_rowdiff *d)
{
	if (!d)
		return;
	for (int t = 0; t < PM_RD_COUNT; t++)
		for (int k = 0; k < Q_COUNT; k++)
			sqlite3_finalize(d->q[t][k]);
	sqlite3_finalize(d->search_add);
	free(d->old);
	free(d);
}

/* The row st is on (columns 1.. : column 0 is its rowid), as a hash of
 * each value's type and bytes. */
static XXH128_hash_t row_hash(sqlite3_stmt *st, XXH3_state_t *s)
{
	XXH3_128bits_reset(s);
	int n = sqlite3_column_count(st);
	for (int i = 1; i < n; i++) {
		unsigned char type = (unsigned char)sqlite3_column_type(st, i);
		XXH3_128bits_update(s, &type, 1);
		switch (type) {
		case SQLITE_INTEGER: {
			sqlite3_int64 v = sqlite3_column_int64(st, i);
			XXH3_128bits_update(s, &v, sizeof(v));
			break;
		}
		case SQLITE_FLOAT: {
			double v = sqlite3_column_double(st, i);
			XXH3_128bits_update(s, &v, sizeof(v));
			break;
		}
		case SQLITE_TEXT:
		case SQLITE_BLOB: {
			const void *p = type == SQLITE_TEXT ? (const void *)sqlite3_column_text(st, i)
							    : sqlite3_column_blob(st, i);
			int64_t len = sqlite3_column_bytes(st, i);
			XXH3_128bits_update(s, &len, sizeof(len));
			if (p && len)
				XXH3_128bits_update(s, p, (size_t)len);
			break;
		}
		default:
			break;
		}
	}
	return XXH3_128bits_digest(s);
}

static int cmp_old(const void *pa, const void *pb)
{
	const struct old_row *a = pa, *b = pb;
	int c = XXH128_cmp(&a->h, &b->h);
	return c ? c : a->rowid < b->rowid ? -1 : a->rowid > b->rowid;
}

static int step_done(struct pm_rowdiff *d, sqlite3_stmt *st, struct pm_error *err)
{
	int s = sqlite3_step(st);
	sqlite3_reset(st);
	return s == SQLITE_DONE ? 0 : fail(d, err, "cannot write a difference");
}

static int diff_table(struct pm_rowdiff *d, int t, const char *doc, XXH3_state_t *hs,
		      struct pm_rowdiff_stats *stats, struct pm_error *err)
{
	sqlite3_stmt **q = d->q[t];
	size_t n = 0;
	sqlite3_bind_text(q[Q_OLD], 1, doc, -1, SQLITE_STATIC);
	int s;
	while ((s = sqlite3_step(q[Q_OLD])) == SQLITE_ROW) {
		struct old_row *grown = pm_grow(d->old, n, &d->cap, sizeof(*d->old), 64);
		if (!grown) {
			sqlite3_reset(q[Q_OLD]);
			return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
		}
		d->old = grown;
		d->old[n++] = (struct old_row){ row_hash(q[Q_OLD], hs),
						sqlite3_column_int64(q[Q_OLD], 0), false };
	}
	sqlite3_reset(q[Q_OLD]);
	if (s != SQLITE_DONE)
		return fail(d, err, "cannot read a document's rows");
	if (n > 1)
		qsort(d->old, n, sizeof(*d->old), cmp_old);
	int rc = 0;
	sqlite3_bind_int64(q[Q_NEW], 1, d->applied[t]);
	while (!rc && (s = sqlite3_step(q[Q_NEW])) == SQLITE_ROW) {
		d->applied[t] = sqlite3_column_int64(q[Q_NEW], 0);
		XXH128_hash_t h = row_hash(q[Q_NEW], hs);
		/* The first unclaimed old row with this hash, if any. */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (XXH128_cmp(&d->old[mid].h, &h) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		while (lo < n && XXH128_isEqual(d->old[lo].h, h) && d->old[lo].claimed)
			lo++;
		if (lo < n && XXH128_isEqual(d->old[lo].h, h)) {
			d->old[lo].claimed = true;
			stats->kept++;
			continue;
		}
		int ncols = sqlite3_column_count(q[Q_NEW]);
		for (int i = 1; i < ncols; i++)
			sqlite3_bind_value(q[Q_COPY], i, sqlite3_column_value(q[Q_NEW], i));
		rc = step_done(d, q[Q_COPY], err);
		if (!rc && t == PM_RD_SECTIONS) {
			sqlite3_stmt *a = d->search_add;
			sqlite3_bind_int64(a, 1, sqlite3_last_insert_rowid(d->db));
			for (int k = 0; k < NSEARCH; k++)
				sqlite3_bind_value(a, k + 2,
						   sqlite3_column_value(q[Q_NEW], d->search_at[k]));
			rc = step_done(d, a, err);
			sqlite3_clear_bindings(a);
		}
		stats->inserted += !rc;
		stats->changed[t] += !rc;
	}
	sqlite3_reset(q[Q_NEW]);
	if (!rc && s != SQLITE_DONE && s != SQLITE_ROW)
		rc = fail(d, err, "cannot read the staged rows");
	for (size_t i = 0; !rc && i < n; i++) {
		if (d->old[i].claimed)
			continue;
		sqlite3_bind_int64(q[Q_DROP], 1, d->old[i].rowid);
		rc = step_done(d, q[Q_DROP], err);
		stats->deleted += !rc;
		stats->changed[t] += !rc;
		stats->dropped_sections += !rc && t == PM_RD_SECTIONS;
	}
	return rc;
}

int pm_rowdiff_apply(struct pm_rowdiff *d, const char *doc, struct pm_rowdiff_stats *stats,
		     struct pm_error *err)
{
	XXH3_state_t *hs = XXH3_createState();
	if (!hs)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	int rc = 0;
	for (int t = 0; !rc && t < PM_RD_COUNT; t++)
		rc = diff_table(d, t, doc, hs, stats, err);
	XXH3_freeState(hs);
	return rc;
}
