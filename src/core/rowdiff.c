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
	const char *name, *staging, *cols, *only;
} tables[PM_RD_COUNT] = {
	[PM_RD_FIELDS] = { "fields", "new_fields", "doc, key, item, value, type, line, col", "" },
	[PM_RD_REFS] = { "refs", "new_refs", "doc, key, ref, target_path, line, col, kind", "" },
	[PM_RD_SECTIONS] = { "sections", "new_sections",
			     "doc, title, heading, path, level, line, end_line, text", "" },
	[PM_RD_ACTIONS] = { "action_items", "new_action_items",
			    "doc, row, action, owner, due, status, line, open, incident, title, "
			    "severity, due_day", "" },
	[PM_RD_TIMELINE] = { "timeline", "new_timeline",
			     "doc, row, time, at, at_epoch, event, actor, line", "" },
	/* The corpus-wide findings are rebuilt from refs on every update. */
	[PM_RD_DIAGS] = { "diagnostics", "new_diagnostics",
			  "doc, line, col, severity, code, message, hint, scope",
			  " AND scope = 'document'" },
};

/* Columns of a sections row (after rowid) that its search row holds. */
enum { SEC_TITLE = 2, SEC_HEADING = 3, SEC_TEXT = 8 };

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

static int exec(struct pm_rowdiff *d, const char *sql, struct pm_error *err)
{
	return sqlite3_exec(d->db, sql, NULL, NULL, NULL) == SQLITE_OK
		       ? 0 : fail(d, err, "cannot prepare the staging tables");
}

int pm_rowdiff_open(struct pm_rowdiff **out, sqlite3 *db, struct pm_error *err)
{
	*out = NULL;
	struct pm_rowdiff *d = calloc(1, sizeof(*d));
	if (!d)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	d->db = db;
	char sql[512];
	int rc = exec(d, "CREATE TEMP TABLE IF NOT EXISTS dropped_rows (r INTEGER)", err);
	for (int t = 0; !rc && t < PM_RD_COUNT; t++) {
		/* Created like the table (CREATE ... AS keeps each column's
		 * affinity), so equal values are stored, and hashed, alike. */
		snprintf(sql, sizeof(sql), "CREATE TEMP TABLE %s AS SELECT %s FROM main.%s WHERE 0",
			 tables[t].staging, tables[t].cols, tables[t].name);
		rc = exec(d, sql, err);
		const char *text[Q_COUNT];
		char q_old[512], q_new[512], q_copy[512], q_drop[128], marks[128] = "";
		int ncols = 1;
		for (const char *c = tables[t].cols; *c; c++)
			ncols += *c == ',';
		for (int i = 0; i < ncols; i++)
			strcat(marks, i ? ",?" : "?");
		snprintf(q_old, sizeof(q_old), "SELECT rowid, %s FROM main.%s WHERE doc = ?1%s",
			 tables[t].cols, tables[t].name, tables[t].only);
		snprintf(q_new, sizeof(q_new), "SELECT rowid, %s FROM temp.%s WHERE rowid > ?1 "
			 "ORDER BY rowid", tables[t].cols, tables[t].staging);
		/* One row of VALUES, not INSERT ... SELECT: that may write
		 * several rows, so it opens a statement savepoint (see above). */
		snprintf(q_copy, sizeof(q_copy), "INSERT INTO main.%s (%s) VALUES (%s)",
			 tables[t].name, tables[t].cols, marks);
		/* A section goes later, with its search row (rowdiff.h). */
		if (t == PM_RD_SECTIONS)
			snprintf(q_drop, sizeof(q_drop), "INSERT INTO temp.dropped_rows (r) VALUES (?1)");
		else
			snprintf(q_drop, sizeof(q_drop), "DELETE FROM main.%s WHERE rowid = ?1",
				 tables[t].name);
		text[Q_OLD] = q_old;
		text[Q_NEW] = q_new;
		text[Q_COPY] = q_copy;
		text[Q_DROP] = q_drop;
		for (int k = 0; !rc && k < Q_COUNT; k++)
			if (sqlite3_prepare_v3(db, text[k], -1, SQLITE_PREPARE_PERSISTENT, &d->q[t][k],
					       NULL) != SQLITE_OK)
				rc = fail(d, err, "cannot prepare a difference");
	}
	if (!rc && sqlite3_prepare_v3(db, "INSERT INTO main.search (rowid, title, heading, text) "
				      "VALUES (?1, ?2, ?3, ?4)", -1, SQLITE_PREPARE_PERSISTENT,
				      &d->search_add, NULL) != SQLITE_OK)
		rc = fail(d, err, "cannot prepare a difference");
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
			sqlite3_bind_value(a, 2, sqlite3_column_value(q[Q_NEW], SEC_TITLE));
			sqlite3_bind_value(a, 3, sqlite3_column_value(q[Q_NEW], SEC_HEADING));
			sqlite3_bind_value(a, 4, sqlite3_column_value(q[Q_NEW], SEC_TEXT));
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
