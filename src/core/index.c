/* index.c - keeping the SQLite index in line with the files. */
#include "index.h"

#include <inttypes.h>
#include <jansson.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

#include "buf.h"
#include "codes.h"
#include "dbfile.h"
#include "ftstok.h"
#include "graph.h"
#include "json.h"
#include "path.h"
#include "rowdiff.h"
#include "rules.h"
#include "strmap.h"
#include "pool.h"
#include "timeutil.h"
#include "validate.h"
#include "walk.h"

#include "index_sql.h"	/* generated from schema/index.sql */

enum stmt_id {
	S_INSERT_DOC, S_DELETE_DOC, S_DELETE_FIELDS, S_DELETE_REFS,
	S_DELETE_ACTIONS, S_DELETE_TIMELINE, S_DELETE_DIAGS, S_NOTE_DROPPED, S_TOUCH_DOC, S_FIELD, S_REF, S_SECTION, S_ACTION,
	S_TIMELINE, S_DIAG, S_SEARCH_ADD, S_SEARCH_DROP, S_DOC_SECTIONS, S_UPDATE_DOC, S_DOC_IDENTITY, S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
	[S_INSERT_DOC] = "INSERT INTO documents (path, id, type, title, status, severity, date, "
			 "started_at, resolved_at, started_epoch, resolved_epoch, duration_minutes, "
			 "hash, size, mtime_ns, parsed, frontmatter, body) "
			 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[S_DELETE_DOC] = "DELETE FROM documents WHERE path = ?",
	[S_DELETE_FIELDS] = "DELETE FROM fields WHERE doc = ?",
	[S_DELETE_REFS] = "DELETE FROM refs WHERE doc = ?",
	[S_DELETE_ACTIONS] = "DELETE FROM action_items WHERE doc = ?",
	[S_DELETE_TIMELINE] = "DELETE FROM timeline WHERE doc = ?",
	[S_DELETE_DIAGS] = "DELETE FROM diagnostics WHERE doc = ?",
	[S_NOTE_DROPPED] = "INSERT INTO temp.dropped (doc) VALUES (?)",
	[S_TOUCH_DOC] = "UPDATE documents SET size = ?, mtime_ns = ? WHERE path = ?",
	[S_FIELD] = "INSERT INTO fields (doc, key, item, value, type, line, col) "
		    "VALUES (?,?,?,?,?,?,?)",
	[S_REF] = "INSERT INTO refs (doc, key, ref, target_path, line, col, kind) "
		  "VALUES (?,?,?,?,?,?,?)",
	[S_SECTION] = "INSERT INTO sections (doc, title, heading, path, level, line, end_line, text) "
		      "VALUES (?,?,?,?,?,?,?,?)",
	[S_ACTION] = "INSERT INTO action_items (doc, row, action, owner, due, status, line, "
		     "open, incident, title, severity, due_day) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
	[S_TIMELINE] = "INSERT INTO timeline (doc, row, time, at, at_epoch, event, actor, line) "
		       "VALUES (?,?,?,?,?,?,?,?)",
	[S_SEARCH_ADD] = "INSERT INTO search (rowid, title, heading, text) "
			 "VALUES (last_insert_rowid(), ?, ?, ?)",
	/* One row at a time: an INSERT ... SELECT writes several rows, so
	 * SQLite opens a statement savepoint, and FTS5 flushes its pending
	 * terms into a new segment at every savepoint. */
	[S_SEARCH_DROP] = "INSERT INTO search (search, rowid, title, heading, text) "
			  "VALUES ('delete', ?, ?, ?, ?)",
	/* The sections of the documents dropped in this update, as they were
	 * before it (rowid at most ?1), in rowid order: see drop_sections. */
	[S_DOC_SECTIONS] = "SELECT rowid, title, heading, text FROM sections WHERE rowid <= ?1 "
			   "AND (doc IN (SELECT doc FROM temp.dropped) "
			   "OR rowid IN (SELECT r FROM temp.dropped_rows)) ORDER BY rowid",
	/* What a changed document's refs resolve against, before it changes. */
	[S_DOC_IDENTITY] = "SELECT id, type FROM documents WHERE path = ?",
	/* A changed document's row, rewritten in place (rowdiff.h says
	 * why); the parameters are S_INSERT_DOC's. */
	[S_UPDATE_DOC] = "UPDATE documents SET id = ?2, type = ?3, title = ?4, status = ?5, "
			 "severity = ?6, date = ?7, started_at = ?8, resolved_at = ?9, "
			 "started_epoch = ?10, resolved_epoch = ?11, duration_minutes = ?12, "
			 "hash = ?13, size = ?14, mtime_ns = ?15, parsed = ?16, frontmatter = ?17, "
			 "body = ?18 WHERE path = ?1",
	[S_DIAG] = "INSERT INTO diagnostics (doc, line, col, severity, code, message, hint, scope) "
		   "VALUES (?,?,?,?,?,?,?,?)",
};

struct known {
	int64_t size, mtime_ns;
	char hash[17];
	bool seen;
};

struct file {
	const char *path;	/* as walked (root-joined) */
	const char *rel;	/* relative to the root: the key in the index */
	int64_t size, mtime_ns;
};

struct ix {
	const struct pm_index_opts *o;
	struct pm_error *err;
	sqlite3 *db;			/* where the rows go */
	/* During a rebuild into a new file (side_path): the previous index,
	 * kept locked so that no other run writes it meanwhile. */
	sqlite3 *held;
	char side_path[4096];
	struct pm_file_id id;		/* the file db_path named when opened */
	bool replaced;			/* another run replaced it while we waited */
	struct pm_fts_feed *feed;	/* db's replaying tokenizer (ftstok.h) */
	sqlite3_stmt *st[S_COUNT];
	struct pm_arena arena;
	struct pm_arena paths;		/* x->files' paths (struct walk_job says why) */
	struct pm_strmap known_map;	/* rel path -> index in known */
	int64_t sections_before;	/* max(sections.rowid) when the update began */
	struct pm_buf deferred;		/* CREATE INDEX statements to run after the rows */
	bool dropped_any;		/* delete_doc noted a document in temp.dropped */
	/* What links and the corpus findings come from (the documents' paths,
	 * IDs and types, and refs) changed in this update: they must be
	 * worked out again.  An edit of a body alone leaves them as they are. */
	bool links_dirty;
	/* Changed documents: their rows are staged (the inserts of st go to
	 * temp.new_TABLE) and applied as a difference (rowdiff.h). */
	struct pm_rowdiff *rd;
	sqlite3_stmt *stage[S_COUNT];	/* the staging inserts, by the id they stand for */
	bool staging;
	struct known *known;
	size_t nknown, known_cap;
	struct file *files;
	size_t nfiles, files_cap;
	const char *root;		/* normalized */
};

/* What to add to SQLite's message: the reason behind an I/O error when
 * SQLite kept the errno ("No space left on device"), else what a failed
 * write usually means, and what the user can do about the common
 * failures. */
static void code_hint(sqlite3 *db, int ext, char *out, size_t size)
{
	int code = ext & 0xff, sys = sqlite3_system_errno(db);
	const char *hint = code == SQLITE_BUSY || code == SQLITE_LOCKED
		? " (another pmtool is updating it; try again)"
		: code == SQLITE_READONLY ? " (the folder or file is read-only)"
		: code == SQLITE_FULL ? " (the disk is full)"
		: ext == SQLITE_IOERR_WRITE || ext == SQLITE_IOERR_FSYNC ||
		  ext == SQLITE_IOERR_TRUNCATE
		? " (a write failed: the disk may be full or the file too large; "
		  "the previous index is kept)" : "";
	if ((code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN) && sys)
		snprintf(out, size, ": %s%s", strerror(sys), hint);
	else
		snprintf(out, size, "%s", hint);
}

static void db_hint(sqlite3 *db, char *out, size_t size)
{
	code_hint(db, sqlite3_extended_errcode(db), out, size);
}

static int db_fail(struct ix *x, const char *what)
{
	char hint[256];
	db_hint(x->db, hint, sizeof(hint));
	return pm_error_set(x->err, PM_ERR_IO, "index %s: %s: %s%s", x->o->db_path, what,
			    sqlite3_errmsg(x->db), hint);
}

static int exec(struct ix *x, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(x->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char hint[256];
		db_hint(x->db, hint, sizeof(hint));
		int rc = pm_error_set(x->err, PM_ERR_IO, "index %s: %s%s", x->o->db_path,
				      msg ? msg : sqlite3_errmsg(x->db), hint);
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

static int64_t pragma_int(sqlite3 *db, const char *sql, bool *ok)
{
	sqlite3_stmt *st;
	int64_t v = 0;
	*ok = false;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
		*ok = true;
	} else if (rc == SQLITE_DONE) {
		*ok = true;
	}
	sqlite3_finalize(st);
	return v;
}

/* Defends a connection against a hostile database file: no writes to the
 * schema through SQL, no functions with side effects from its triggers and
 * views. */
static void defend(sqlite3 *db)
{
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, NULL);
}

static int drop_all(struct ix *x)
{
	/* Virtual tables first: dropping them drops their shadow tables. */
	static const char *const order[] = {
		"SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'",
		"SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
		"SELECT name FROM sqlite_schema WHERE type = 'view'",
	};
	for (size_t k = 0; k < 3; k++) {
		for (;;) {
			sqlite3_stmt *st;
			if (sqlite3_prepare_v2(x->db, order[k], -1, &st, NULL) != SQLITE_OK)
				return db_fail(x, "cannot list its tables");
			char *sql = NULL;
			if (sqlite3_step(st) == SQLITE_ROW)
				sql = sqlite3_mprintf("DROP %s IF EXISTS \"%w\"", k == 2 ? "VIEW" : "TABLE",
						      (const char *)sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
			if (!sql)
				break;
			int rc = exec(x, sql);
			sqlite3_free(sql);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Whether the statement text, past blanks and "--" comments, begins with
 * prefix. */
static bool sql_starts(const char *s, const char *prefix)
{
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (s[0] != '-' || s[1] != '-')
			break;
		s = strchr(s, '\n');
		if (!s)
			return false;
	}
	return !strncmp(s, prefix, strlen(prefix));
}

/* Whether p, after blanks, starts with the word w (followed by a blank,
 * '(', ')' or ','); *end is then past it. */
static bool word_at(const char *p, const char *w, const char **end)
{
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	size_t n = strlen(w);
	if (strncmp(p, w, n) || !p[n] || !strchr(" \t\n(),", p[n]))
		return false;
	*end = p + n;
	return true;
}

/* Whether a CREATE INDEX statement's index is made at once, not deferred
 * (create_schema says which and why): one on documents, or one whose
 * first column is doc. */
static bool built_while_filling(const char *sql)
{
	const char *on = strstr(sql, " ON "), *after;
	if (!on)
		return false;
	if (word_at(on + 4, "documents", &after))
		return true;
	const char *open = strchr(on, '(');
	return open && word_at(open + 1, "doc", &after);
}

/* Makes the tables of schema/index.sql.  Most of its CREATE INDEX
 * statements are kept in x->deferred for create_deferred_indexes(): a
 * B-tree built once from rows already in place costs much less than one
 * whose random entries (owners, keys, due dates) go in one by one while
 * 100,000 documents' rows do.  Two kinds are made at once:
 * - those on documents: they have one small entry per document and stay
 *   in the page cache while they grow, and building one afterwards reads
 *   every row of the table, bodies and all (700 MB at 100,000 documents),
 *   once for each index;
 * - those led by doc: their entries arrive in order, so
 *   only the right edge of the B-tree is touched.  Kept up while the
 *   reader threads still parse, they cost less than sorting 1.5 million
 *   entries once the reading is over, when only the writer works (10k
 *   documents: 0.1 s more writing, 0.17 s less at the end). */
static int create_schema(struct ix *x)
{
	int rc = 0;
	pm_buf_reset(&x->deferred);
	for (const char *sql = index_sql; !rc && *sql;) {
		sqlite3_stmt *st = NULL;
		const char *tail = NULL;
		if (sqlite3_prepare_v2(x->db, sql, -1, &st, &tail) != SQLITE_OK) {
			rc = db_fail(x, "cannot create its tables");
			break;
		}
		if (st && sql_starts(sqlite3_sql(st), "CREATE INDEX") &&
		    !built_while_filling(sqlite3_sql(st))) {
			pm_buf_add(&x->deferred, sql, (size_t)(tail - sql));
			pm_buf_addc(&x->deferred, '\n');
		} else if (st && sqlite3_step(st) != SQLITE_DONE) {
			rc = db_fail(x, "cannot create its tables");
		}
		sqlite3_finalize(st);
		sql = tail && tail > sql ? tail : sql + strlen(sql);
	}
	if (!rc && x->deferred.failed)
		rc = pm_error_set(x->err, PM_ERR_NOMEM, "out of memory");
	if (rc)
		return rc;
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", PM_INDEX_VERSION);
	return exec(x, sql);
}

static uint64_t settings_key(const struct pm_index_opts *o)
{
	char v[64];
	int n = snprintf(v, sizeof(v), "pmtool-index-%d-%s", PM_INDEX_VERSION, "v2");
	uint64_t k = XXH3_64bits(v, (size_t)n);
	k ^= o->schema->fingerprint * 31;
	k ^= o->users ? o->users->fingerprint * 17 : 0;
	return k;
}

static int meta_get(struct ix *x, const char *key, char *out, size_t size)
{
	sqlite3_stmt *st;
	out[0] = '\0';
	if (sqlite3_prepare_v2(x->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL))
		return db_fail(x, "cannot read meta");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return 0;
}

static int meta_set(struct ix *x, const char *key, const char *value)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(x->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
			       -1, &st, NULL))
		return db_fail(x, "cannot write meta");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(x, "cannot write meta");
	sqlite3_finalize(st);
	return rc;
}

/* What every connection that writes the index is set to. */
static int configure(struct ix *x)
{
	defend(x->db);
	sqlite3_busy_timeout(x->db, (int)(x->o->busy_timeout_ms ? x->o->busy_timeout_ms : 10000));
	/* The foreign keys document the schema (and cascade for anyone
	 * deleting by hand with foreign_keys on); pmtool deletes each
	 * table's rows itself (delete_doc) and skips the checks on every
	 * row it writes. */
	int rc = exec(x, "PRAGMA foreign_keys = OFF");
	/* 16 KiB pages instead of SQLite's 4 KiB: a document's row (its body
	 * and frontmatter, 7 KB on average) fits in one page instead of
	 * spilling to overflow pages, and the B-trees are shallower.  A
	 * rebuild of 10,000 documents: 2.9 s -> 2.3 s (docs/performance.md).
	 * It takes effect in a new file only, before its first transaction
	 * (a rebuild writes a new file); an old file keeps its pages. */
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA page_size = %d", PM_INDEX_PAGE_SIZE);
	if (!rc)
		rc = exec(x, sql);
	/* A bigger page cache keeps the B-trees being filled in memory
	 * instead of re-reading them from the file: 16 MiB at most. */
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d",
		 PM_INDEX_CACHE_PAGES * (PM_INDEX_PAGE_SIZE / 1024));
	if (!rc)
		rc = exec(x, sql);
	/* Before the search table is first touched: FTS5 makes its
	 * tokenizer then (ftstok.h). */
	if (!rc)
		rc = pm_fts_feed_install(x->db, &x->feed, x->err);
	return rc;
}

/* Starting over in an index that has rows: a new file, renamed over the
 * old one at the end (dbfile.h says why).  Not for a link or a file with
 * several names, which rename would detach. */
static bool worth_building_aside(struct ix *x)
{
	bool ok;
	int64_t pages = pragma_int(x->db, "PRAGMA page_count", &ok);
	return ok && pages > 1 && pm_file_replaceable(x->o->db_path) &&
	       strlen(x->o->db_path) + sizeof(".rebuild") <= sizeof(x->side_path);
}

/* Opens DB.rebuild as x->db, in a transaction, and keeps the previous
 * index, still locked, in x->held. */
static int open_aside(struct ix *x)
{
	snprintf(x->side_path, sizeof(x->side_path), "%s.rebuild", x->o->db_path);
	/* Left by a run killed during its rebuild: the lock held on the
	 * index means that no other run is writing it now. */
	pm_file_remove_db(x->side_path);
	sqlite3 *side = NULL;
	if (sqlite3_open_v2(x->side_path, &side, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL)) {
		int rc = pm_error_set(x->err, side ? PM_ERR_IO : PM_ERR_NOMEM,
				      "cannot create %s: %s", x->side_path,
				      side ? sqlite3_errmsg(side) : "out of memory");
		sqlite3_close(side);
		pm_file_remove_db(x->side_path);
		x->side_path[0] = '\0';
		return rc;
	}
	x->held = x->db;
	x->db = side;
	int rc = configure(x);
	return rc ? rc : exec(x, "BEGIN IMMEDIATE");
}

static void close_statements(struct ix *x)
{
	for (int i = 0; i < S_COUNT; i++) {
		sqlite3_finalize(x->st[i]);
		sqlite3_finalize(x->stage[i]);
		x->st[i] = x->stage[i] = NULL;
	}
	pm_rowdiff_close(x->rd);
	x->rd = NULL;
}

/* After a rebuild into DB.rebuild: when it committed (rc 0), renames it
 * over the index; otherwise removes it.  Either way the previous index
 * becomes x->db again, its lock released. */
static int finish_aside(struct ix *x, int rc)
{
	close_statements(x);
	if (sqlite3_close(x->db) != SQLITE_OK && !rc)
		rc = pm_error_set(x->err, PM_ERR_IO, "cannot close %s", x->side_path);
	x->db = x->held;
	x->held = NULL;
	if (!rc)
		rc = pm_file_replace(x->side_path, x->o->db_path, x->err);
	if (rc)
		pm_file_remove_db(x->side_path);
	sqlite3_exec(x->db, "ROLLBACK", NULL, NULL, NULL);
	x->side_path[0] = '\0';
	return rc;
}

/* Decides between using the index as it is and starting it afresh. */
/* Every object of db's schema (type, name, SQL), one line each, sorted; NULL
 * when it cannot be read.  sqlite3_free() the result. */
static char *schema_text(sqlite3 *db)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT type, name, sql FROM sqlite_schema ORDER BY type, name",
			       -1, &st, NULL))
		return NULL;
	struct pm_buf b = PM_BUF_INIT;
	while (sqlite3_step(st) == SQLITE_ROW)
		pm_buf_printf(&b, "%s|%s|%s\n", (const char *)sqlite3_column_text(st, 0),
			      (const char *)sqlite3_column_text(st, 1),
			      sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "");
	sqlite3_finalize(st);
	char *out = b.failed ? NULL : sqlite3_mprintf("%s", pm_buf_cstr(&b));
	pm_buf_release(&b);
	return out;
}

/* True when db holds exactly the objects schema/index.sql makes: a trigger,
 * view or table added to an index (a crafted file) means it is rebuilt,
 * never used as it is. */
static bool schema_is_ours(sqlite3 *db)
{
	sqlite3 *mem = NULL;
	bool same = false;
	if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_exec(mem, index_sql, NULL, NULL, NULL) == SQLITE_OK) {
		char *want = schema_text(mem), *have = schema_text(db);
		same = want && have && !strcmp(want, have);
		sqlite3_free(want);
		sqlite3_free(have);
	}
	sqlite3_close(mem);
	return same;
}

static int prepare_schema(struct ix *x, struct pm_index_stats *stats)
{
	bool ok;
	int64_t version = pragma_int(x->db, "PRAGMA user_version", &ok);
	if (!ok)
		return db_fail(x, "cannot read its version");
	int64_t tables = pragma_int(x->db, "SELECT count(*) FROM sqlite_schema", &ok);
	if (!ok)
		return db_fail(x, "cannot read its tables");
	if (version > PM_INDEX_VERSION)
		return pm_error_set(x->err, PM_ERR_INVALID,
				    "index %s was written by a newer pmtool (index version %" PRId64
				    ", this one knows %d); not touching it", x->o->db_path, version,
				    PM_INDEX_VERSION);
	char want[32], have[64] = "";
	snprintf(want, sizeof(want), "%016" PRIx64, settings_key(x->o));
	if (version == PM_INDEX_VERSION && tables && meta_get(x, "settings", have, sizeof(have))) {
		/* Our version number but no meta table: not ours after all. */
		if (!x->o->own_path)
			return pm_error_set(x->err, PM_ERR_INVALID,
					    "%s is not a pmtool index; not touching it",
					    x->o->db_path);
		pm_error_clear(x->err);
		have[0] = '\0';
	}
	bool fresh = x->o->rebuild || version != PM_INDEX_VERSION || !tables ||
		     strcmp(want, have) != 0 || !schema_is_ours(x->db);
	if (fresh) {
		/* An older index, another schema or users file, or --rebuild:
		 * start over, in a new file when the old one has rows, else
		 * in this same transaction. */
		bool aside = worth_building_aside(x);
		int rc = aside ? open_aside(x) : drop_all(x);
		/* Pages a new file frees while it fills (FTS5 merging its
		 * segments) hold nothing but what it is being filled with:
		 * no need to overwrite them with zeros, as SQLite built with
		 * SQLITE_SECURE_DELETE (Debian's) would.  An index rebuilt in
		 * place keeps the default: its freed pages held old rows. */
		if (!rc && (aside || !tables))
			rc = exec(x, "PRAGMA secure_delete = OFF");
		if (!rc)
			rc = create_schema(x);
		if (!rc)
			rc = meta_set(x, "settings", want);
		if (rc)
			return rc;
		stats->rebuilt = true;
		char v[16];
		snprintf(v, sizeof(v), "%d", PM_INDEX_VERSION);
		return meta_set(x, "index_version", v);
	}
	return 0;
}

static int load_known(struct ix *x)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(x->db, "SELECT path, size, mtime_ns, hash FROM documents", -1, &st,
			       NULL))
		return db_fail(x, "cannot list its documents");
	int rc = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *path = pm_arena_strdup(&x->arena, (const char *)sqlite3_column_text(st, 0));
		/* The heap, as x->files (on_file says why). */
		struct known *known = path ? pm_grow(x->known, x->nknown, &x->known_cap,
						     sizeof(*known), 256)
					   : NULL;
		if (!known || pm_strmap_put(&x->known_map, path, x->nknown, NULL) < 0) {
			rc = pm_error_set(x->err, PM_ERR_NOMEM, "out of memory");
			break;
		}
		x->known = known;
		struct known *k = &x->known[x->nknown++];
		k->size = sqlite3_column_int64(st, 1);
		k->mtime_ns = sqlite3_column_int64(st, 2);
		snprintf(k->hash, sizeof(k->hash), "%s", (const char *)sqlite3_column_text(st, 3));
		k->seen = false;
	}
	sqlite3_finalize(st);
	return rc;
}

/* The walk of the docs root, on a thread of its own while load_known
 * reads the index (run() says why): its own error, and x->files and
 * x->paths, which nothing else touches until it is over. */
struct walk_job {
	struct ix *x;
	struct pm_diags *diags;
	struct pm_error err;
	int rc;
};

static int on_file(void *ctx, const char *path, const struct stat *st)
{
	struct walk_job *j = ctx;
	struct ix *x = j->x;
	/* The heap, not the arena: 100,000 files' table, outgrown copies and
	 * all, would stay in the arena for the whole update. */
	struct file *files = pm_grow(x->files, x->nfiles, &x->files_cap, sizeof(*files), 256);
	if (!files)
		return pm_error_set(&j->err, PM_ERR_NOMEM, "out of memory");
	x->files = files;
	struct file *f = &x->files[x->nfiles++];
	f->path = pm_arena_strdup(&x->paths, path);
	size_t rl = strlen(x->root);
	f->rel = !strcmp(x->root, ".") ? f->path
		: f->path ? f->path + (strncmp(f->path, x->root, rl) ? 0 : rl + (f->path[rl] == '/'))
			  : NULL;
	f->size = (int64_t)st->st_size;
	f->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	return f->path ? 0 : pm_error_set(&j->err, PM_ERR_NOMEM, "out of memory");
}

static void *walk_files(void *arg)
{
	struct walk_job *j = arg;
	j->rc = pm_walk(j->x->root, on_file, j, j->diags, &j->err);
	return NULL;
}

/* ---- writing one document ------------------------------------------------ */

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int step(struct ix *x, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : db_fail(x, what);
}

static const char *field_str(const struct pm_doc *d, const char *key)
{
	const struct pm_value *v = pm_doc_field(d, key);
	return v && v->kind == PM_VAL_STRING ? v->raw : NULL;
}

static int write_field(struct ix *x, const char *rel, const char *key, int64_t item,
		      const struct pm_value *v)
{
	sqlite3_stmt *st = x->st[S_FIELD];
	bind_text(st, 1, rel);
	bind_text(st, 2, key);
	if (item >= 0)
		sqlite3_bind_int64(st, 3, item);
	if (pm_value_is_scalar(v) && v->kind != PM_VAL_NULL)
		sqlite3_bind_text(st, 4, v->raw, (int)v->raw_len, SQLITE_STATIC);
	bind_text(st, 5, pm_value_kind_name(v->kind));
	sqlite3_bind_int(st, 6, (int)v->line);
	sqlite3_bind_int(st, 7, (int)v->col);
	return step(x, st, "cannot write a field");
}

static int write_fields_and_refs(struct ix *x, const char *rel, const char *walked,
				 const struct pm_doc *d)
{
	const struct pm_value *root = d->fm.root;
	for (size_t i = 0; root && i < root->u.map.n; i++) {
		const struct pm_pair *p = &root->u.map.pairs[i];
		const struct pm_value *v = p->value;
		int rc;
		if (v->kind == PM_VAL_SEQ) {
			rc = 0;
			for (size_t k = 0; k < v->u.seq.n && !rc; k++)
				rc = write_field(x, rel, p->key, (int64_t)k, v->u.seq.items[k]);
		} else {
			rc = write_field(x, rel, p->key, -1, v);
		}
		if (rc)
			return rc;
		/* Relation values and ref fields, as written: the graph resolves
		 * them (graph.c, as lint does) whenever documents change. */
		bool inverse;
		const struct pm_type_schema *ts = d->type ? pm_schema_type(x->o->schema, d->type) : NULL;
		const struct pm_field_schema *f = ts ? pm_type_field(ts, p->key) : NULL;
		if (!pm_schema_relation(x->o->schema, p->key, &inverse) &&
		    !(f && (f->type == PM_FT_REF || f->type == PM_FT_REF_LIST)))
			continue;
		size_t n = v->kind == PM_VAL_SEQ ? v->u.seq.n : 1;
		for (size_t k = 0; k < n; k++) {
			const struct pm_value *item = v->kind == PM_VAL_SEQ ? v->u.seq.items[k] : v;
			if (!pm_value_is_scalar(item) || item->kind == PM_VAL_NULL ||
			    (item->kind == PM_VAL_STRING && !item->raw_len))
				continue;
			const char *target = NULL;
			size_t len = item->raw_len;
			if (len > 3 && !strcmp(item->raw + len - 3, ".md") && item->raw[0] != '/') {
				/* Resolve from the document's folder, then make it
				 * relative to the root like every path here. */
				char *dir = pm_path_dirname(&x->arena, walked);
				char *joined = dir ? pm_path_join(&x->arena, dir, item->raw) : NULL;
				size_t rl = strlen(x->root);
				if (joined && !strcmp(x->root, "."))
					target = joined;
				else if (joined && !strncmp(joined, x->root, rl) && joined[rl] == '/')
					target = joined + rl + 1;
				else
					target = "";	/* outside the root: names nothing */
			}
			sqlite3_stmt *st = x->st[S_REF];
			bind_text(st, 1, rel);
			bind_text(st, 2, p->key);
			bind_text(st, 3, item->raw);
			bind_text(st, 4, target);
			sqlite3_bind_int(st, 5, (int)item->line);
			sqlite3_bind_int(st, 6, (int)item->col);
			bind_text(st, 7, pm_value_kind_name(item->kind));
			if ((rc = step(x, st, "cannot write a ref")))
				return rc;
		}
	}
	return 0;
}

/* Row i of a document's sections: i == 0 is what precedes the first
 * heading (level 0), i > 0 is section i - 1.  Its own lines [*from, *to)
 * and their bytes [*a, *e) in the source. */
static void section_span(const struct pm_doc *d, size_t i, uint32_t *from, uint32_t *to,
			 size_t *a, size_t *e)
{
	const struct pm_body *b = &d->body;
	const struct pm_section *s = i ? &b->sections[i - 1] : NULL;
	*from = s ? s->line + 1 : d->fm.body_line;
	*to = i < b->nsections ? b->sections[i].line : d->src.nlines + 1;
	if (s && *to > s->end_line + 1)
		*to = s->end_line + 1;
	*a = pm_source_line_offset(&d->src, *from);
	*e = pm_source_line_offset(&d->src, *to);
	if (*e < *a)
		*e = *a;
}

/* The search row of section row i, whose bytes are [a, e): its columns
 * title (row 0 only: a title word should find the document, not each of
 * its sections), heading and text.  Returns how many are not NULL: the
 * runs pretokenize() makes for the row, and write_sections() offers. */
static size_t search_texts(const struct pm_doc *d, size_t i, const char *title, size_t a,
			   size_t e, const char *out[3], size_t len[3])
{
	const struct pm_section *s = i ? &d->body.sections[i - 1] : NULL;
	out[0] = s ? NULL : title;
	out[1] = s ? s->title : "";
	out[2] = d->src.data + a;
	len[0] = out[0] ? strlen(out[0]) : 0;
	len[1] = strlen(out[1]);
	len[2] = e - a;
	return 2 + (out[0] != NULL);
}

/* Tokenizes a document's search rows ahead of the writer, which replays
 * them (ftstok.h): one run per non-NULL column, in column order. */
static int pretokenize(struct pm_fts_tokenizer *t, const struct pm_doc *d,
		       struct pm_fts_list *l)
{
	const char *title = field_str(d, "title");
	int rc = 0;
	for (size_t i = 0; !rc && i <= d->body.nsections; i++) {
		uint32_t from, to;
		size_t a, e;
		section_span(d, i, &from, &to, &a, &e);
		const char *text[3];
		size_t len[3];
		search_texts(d, i, title, a, e, text, len);
		for (int c = 0; !rc && c < 3; c++)
			if (text[c])
				rc = pm_fts_tokenize(t, text[c], len[c], l);
	}
	return rc;
}

/* toks: the search rows' tokens made by pretokenize(), or an empty list. */
static int write_sections(struct ix *x, const char *rel, const struct pm_doc *d,
			  const char *title, const struct pm_fts_list *toks)
{
	const struct pm_body *b = &d->body;
	const struct pm_source *src = &d->src;
	size_t run = 0;
	for (size_t i = 0; i <= b->nsections; i++) {
		const struct pm_section *s = i ? &b->sections[i - 1] : NULL;
		uint32_t from, to;
		size_t a, e;
		section_span(d, i, &from, &to, &a, &e);
		/* The title on the document's first row only (search_texts). */
		sqlite3_stmt *st = x->st[S_SECTION];
		bind_text(st, 1, rel);
		bind_text(st, 2, s ? NULL : title);
		bind_text(st, 3, s ? s->title : "");
		bind_text(st, 4, s ? s->path : "");
		sqlite3_bind_int(st, 5, s ? s->level : 0);
		/* The level-0 row carries the title: point it at the title. */
		const struct pm_pair *tp = pm_value_pair(d->fm.root, "title");
		sqlite3_bind_int(st, 6, (int)(s ? s->line : tp ? tp->line : d->fm.body_line));
		sqlite3_bind_int(st, 7, (int)(to > from ? to - 1 : from));
		sqlite3_bind_text(st, 8, src->data + a, (int)(e - a), SQLITE_STATIC);
		int rc = step(x, st, "cannot write a section");
		if (rc)
			return rc;
		/* A staged section gets its search row when it is applied. */
		if (x->staging)
			continue;
		st = x->st[S_SEARCH_ADD];
		const char *text[3];
		size_t len[3];
		size_t nruns = search_texts(d, i, title, a, e, text, len);
		for (int c = 0; c < 3; c++)
			if (text[c])
				sqlite3_bind_text(st, c + 1, text[c], (int)len[c], SQLITE_STATIC);
		if (toks->nruns >= run + nruns)
			pm_fts_feed_offer(x->feed, toks, run, nruns);
		run += nruns;
		rc = step(x, st, "cannot index a section's text");
		pm_fts_feed_clear(x->feed);
		if (rc)
			return rc;
	}
	return 0;
}

static const char *cell(const struct pm_row *r, long col)
{
	return col >= 0 && r->cells[col].text[0] ? r->cells[col].text : NULL;
}

static int write_tables(struct ix *x, const char *rel, const struct pm_doc *d,
			const struct pm_type_schema *t, struct pm_arena *scratch)
{
	const struct pm_rule *ar = t ? pm_type_rule(t, "action-items") : NULL;
	if (ar) {
		const char *sec = pm_rule_param(ar, "section", "Action Items");
		long c_action, c_owner, c_due, c_status;
		const struct pm_table *tb =
			pm_doc_section_table(d, sec, pm_rule_param(ar, "action", "Action"), &c_action);
		pm_doc_section_table(d, sec, pm_rule_param(ar, "owner", "Owner"), &c_owner);
		pm_doc_section_table(d, sec, pm_rule_param(ar, "due", "Due"), &c_due);
		pm_doc_section_table(d, sec, pm_rule_param(ar, "status", "Status"), &c_status);
		for (size_t i = 0; tb && i < tb->nrows; i++) {
			const struct pm_row *r = &tb->rows[i];
			sqlite3_stmt *st = x->st[S_ACTION];
			bind_text(st, 1, rel);
			sqlite3_bind_int64(st, 2, (int64_t)i + 1);
			bind_text(st, 3, cell(r, c_action) ? cell(r, c_action) : "");
			bind_text(st, 4, cell(r, c_owner));
			bind_text(st, 5, cell(r, c_due));
			bind_text(st, 6, cell(r, c_status));
			sqlite3_bind_int(st, 7, (int)r->line);
			sqlite3_bind_int(st, 8, !pm_rule_item_closed(ar, cell(r, c_status)));
			bind_text(st, 9, d->id ? d->id : "");
			bind_text(st, 10, field_str(d, "title"));
			bind_text(st, 11, field_str(d, "severity"));
			/* The Due date as a number, read as lint reads it: the
			 * overdue arithmetic of every query is then integer. */
			const char *due = cell(r, c_due);
			int32_t due_day;
			if (due && pm_date_parse(due, strlen(due), &due_day))
				sqlite3_bind_int(st, 12, due_day);
			int rc = step(x, st, "cannot write an action item");
			if (rc)
				return rc;
		}
	}
	const struct pm_rule *tr = t ? pm_type_rule(t, "timeline-order") : NULL;
	if (!tr)
		return 0;
	struct pm_timeline tl;
	if (pm_timeline_read(d, tr, scratch, &tl))
		return pm_error_set(x->err, PM_ERR_NOMEM, "out of memory");
	const struct pm_table *tb = tl.table;
	long c_event = -1, c_actor = -1;
	if (tb) {
		const char *sec = pm_rule_param(tr, "section", "Timeline");
		pm_doc_section_table(d, sec, "Event", &c_event);
		pm_doc_section_table(d, sec, "Actor", &c_actor);
	}
	for (size_t i = 0; tb && i < tb->nrows; i++) {
		const struct pm_row *r = &tb->rows[i];
		sqlite3_stmt *st = x->st[S_TIMELINE];
		bind_text(st, 1, rel);
		sqlite3_bind_int64(st, 2, (int64_t)i + 1);
		bind_text(st, 3, r->cells[tl.column].text);
		char iso[32];
		if (tl.state[i] == PM_TIME_OK) {
			int64_t secs = tl.at[i] * 60;
			int64_t day = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
			int64_t rem = secs - day * 86400;
			char date[11];
			pm_date_format((int32_t)day, date);
			snprintf(iso, sizeof(iso), "%sT%02d:%02d:00Z", date, (int)(rem / 3600),
				 (int)(rem % 3600 / 60));
			bind_text(st, 4, iso);
			sqlite3_bind_int64(st, 5, secs);
		}
		bind_text(st, 6, cell(r, c_event));
		bind_text(st, 7, cell(r, c_actor));
		sqlite3_bind_int(st, 8, (int)r->line);
		int rc = step(x, st, "cannot write a timeline row");
		if (rc)
			return rc;
	}
	return 0;
}

/* A document read and checked off the writer's thread: everything about it
 * that costs time but touches no database (pipeline below). */
struct prepared {
	struct pm_doc *d;
	struct pm_diags found;	/* parse findings and the document's checks */
	char *fm_text;		/* the frontmatter as JSON (malloc'd), or NULL */
	/* Its search rows' tokens, when a reader had time for them
	 * (read_ahead); else empty, and the writer's SQLite tokenizes. */
	struct pm_fts_list toks;
	char hash[17];
	bool is_doc;
	int rc;
	struct pm_error err;
};

static void hash_hex(const struct pm_doc *d, char out[17]);

/* Reads, hashes and checks one file; runs on any thread. */
static int prepare_doc(const struct pm_index_opts *o, const char *root, const char *path,
		       struct prepared *p)
{
	memset(p, 0, sizeof(*p));
	int rc = pm_doc_load(&p->d, path, &o->parse, &p->err);
	if (rc)
		return p->rc = rc;
	hash_hex(p->d, p->hash);
	p->is_doc = pm_doc_is_document(p->d, &o->parse);
	if (!p->is_doc)
		return 0;
	pm_diags_init(&p->found, &p->d->arena);
	struct pm_lint_ctx ctx = {
		.schema = o->schema, .users = o->users, .today = INT32_MIN / 2, .root = root,
	};
	if (pm_diags_append(&p->found, &p->d->diags) || pm_validate_doc(p->d, &ctx, &p->found))
		return p->rc = pm_error_set(&p->err, PM_ERR_NOMEM, "out of memory");
	json_t *fm = p->d->fm.root ? pm_json_plain(p->d->fm.root) : NULL;
	p->fm_text = fm ? json_dumps(fm, JSON_COMPACT) : NULL;
	json_decref(fm);
	return 0;
}

static void prepared_release(struct prepared *p)
{
	pm_doc_free(p->d);
	free(p->fm_text);
	pm_fts_list_release(&p->toks);
	memset(p, 0, sizeof(*p));
}

static int write_diags(struct ix *x, const char *rel, const struct pm_diags *found_list)
{
	const struct pm_diags found = *found_list;
	for (size_t i = 0; i < found.n; i++) {
		const struct pm_diag *g = &found.items[i];
		/* Findings about the date are computed at query time. */
		if (!strcmp(g->code, PM_C_OVERDUE) || !strcmp(g->code, PM_C_REVIEW_OVERDUE))
			continue;
		sqlite3_stmt *st = x->st[S_DIAG];
		bind_text(st, 1, rel);
		sqlite3_bind_int(st, 2, (int)g->line);
		sqlite3_bind_int(st, 3, (int)g->col);
		bind_text(st, 4, pm_severity_name(g->severity));
		bind_text(st, 5, g->code);
		bind_text(st, 6, g->message);
		bind_text(st, 7, g->hint);
		bind_text(st, 8, "document");
		int rc = step(x, st, "cannot write a finding");
		if (rc)
			return rc;
	}
	return 0;
}

static int write_doc(struct ix *x, const struct file *f, const struct prepared *p)
{
	const struct pm_doc *d = p->d;
	const char *hash = p->hash;
	struct pm_arena scratch;
	pm_arena_init(&scratch);
	const char *title = field_str(d, "title");
	const char *started = field_str(d, "started_at"), *resolved = field_str(d, "resolved_at");
	int64_t se = 0, re = 0;
	int32_t so = 0, ro = 0;
	bool has_s = started && pm_datetime_parse(started, strlen(started), &se, &so);
	bool has_r = resolved && pm_datetime_parse(resolved, strlen(resolved), &re, &ro);
	const char *date = field_str(d, "date");
	if (!date)
		date = field_str(d, "effective_date");
	char sdate[11];
	if (!date && has_s) {
		pm_date_format((int32_t)((se + (int64_t)so * 60) / 86400), sdate);
		date = sdate;
	}
	const char *fm_text = p->fm_text;
	sqlite3_stmt *st = x->st[S_INSERT_DOC];
	bind_text(st, 1, f->rel);
	bind_text(st, 2, d->id);
	bind_text(st, 3, d->type);
	bind_text(st, 4, title);
	bind_text(st, 5, field_str(d, "status"));
	bind_text(st, 6, field_str(d, "severity"));
	bind_text(st, 7, date);
	bind_text(st, 8, started);
	bind_text(st, 9, resolved);
	if (has_s)
		sqlite3_bind_int64(st, 10, se);
	if (has_r)
		sqlite3_bind_int64(st, 11, re);
	if (has_s && has_r)
		sqlite3_bind_int64(st, 12, (re - se + 30) / 60);
	bind_text(st, 13, hash);
	sqlite3_bind_int64(st, 14, f->size);
	sqlite3_bind_int64(st, 15, f->mtime_ns);
	sqlite3_bind_int(st, 16, d->parsed);
	bind_text(st, 17, fm_text);
	size_t body = d->fm.body_start <= d->src.len ? d->fm.body_start : d->src.len;
	sqlite3_bind_text(st, 18, d->src.data ? d->src.data + body : "",
			  d->src.data ? (int)(d->src.len - body) : 0, SQLITE_STATIC);
	int rc = step(x, st, "cannot write a document");
	const struct pm_type_schema *t = d->fm.root ? pm_schema_type(x->o->schema, d->type) : NULL;
	if (!rc)
		rc = write_fields_and_refs(x, f->rel, f->path, d);
	if (!rc && d->src.data)
		rc = write_sections(x, f->rel, d, title, &p->toks);
	if (!rc)
		rc = write_tables(x, f->rel, d, t, &scratch);
	if (!rc)
		rc = write_diags(x, f->rel, &p->found);
	pm_arena_release(&scratch);
	return rc;
}

/* The indexes create_schema() put off, once the documents' rows are in. */
static int create_deferred_indexes(struct ix *x)
{
	if (!x->deferred.len)
		return 0;
	/* SQLite sorts an index's entries in runs the size of the page cache.
	 * Runs of 4 MiB instead of 16 stay in the processor's caches: the
	 * indexes of 100,000 documents take 2.6 s instead of 3.05 s, and
	 * 12 MB instead of 37 (sqlite3 shell; helper threads, PRAGMA
	 * threads, saved no more than that for half as much CPU again).
	 * The graph that follows wants the cache this small anyway. */
	int rc = exec(x, "PRAGMA cache_size = -4096");
	if (!rc)
		rc = exec(x, pm_buf_cstr(&x->deferred));
	pm_buf_reset(&x->deferred);
	return rc;
}

/* Takes a document's rows out, except its sections: their full-text
 * entries go last, in drop_sections.  FTS5 writes its pending terms to
 * disk whenever a write names a rowid below the last one it was given, so
 * dropping a document's old text just after the previous document's new
 * text went in cost one flush (and segment merges) per document: 60% of a
 * 1% update.  Its old sections stay until then, which also keeps their
 * rowids from being taken by new ones. */
static int delete_doc(struct ix *x, const char *rel)
{
	int rc = 0;
	/* Each table's rows by a plain DELETE: a cascade through foreign
	 * keys (or anything else that may abort halfway) makes SQLite open a
	 * statement savepoint, and FTS5 flushes at each of those too. */
	for (int i = S_DELETE_DOC; !rc && i <= S_NOTE_DROPPED; i++) {
		sqlite3_stmt *st = x->st[i];
		bind_text(st, 1, rel);
		rc = step(x, st, "cannot delete a document");
	}
	x->dropped_any = x->dropped_any || !rc;
	x->links_dirty = true;
	return rc;
}

/* The end of delete_doc for every document it took out: their full-text
 * entries in ascending rowid order (one flush in all), then their old
 * sections. */
static int drop_sections(struct ix *x)
{
	if (!x->dropped_any)
		return 0;
	sqlite3_stmt *sec = x->st[S_DOC_SECTIONS];
	sqlite3_bind_int64(sec, 1, x->sections_before);
	int rc = 0, s;
	while (!rc && (s = sqlite3_step(sec)) == SQLITE_ROW) {
		sqlite3_stmt *drop = x->st[S_SEARCH_DROP];
		sqlite3_bind_int64(drop, 1, sqlite3_column_int64(sec, 0));
		for (int c = 1; c <= 3; c++)
			sqlite3_bind_value(drop, c + 1, sqlite3_column_value(sec, c));
		rc = step(x, drop, "cannot drop a document's text");
	}
	if (!rc && s != SQLITE_DONE)
		rc = db_fail(x, "cannot read the sections of changed documents");
	sqlite3_reset(sec);
	sqlite3_clear_bindings(sec);
	if (rc)
		return rc;
	sqlite3_stmt *del;
	if (sqlite3_prepare_v2(x->db, "DELETE FROM sections WHERE rowid <= ?1 AND (doc IN "
				      "(SELECT doc FROM temp.dropped) OR rowid IN "
				      "(SELECT r FROM temp.dropped_rows))", -1, &del, NULL))
		return db_fail(x, "cannot delete sections");
	sqlite3_bind_int64(del, 1, x->sections_before);
	rc = step(x, del, "cannot delete sections");
	sqlite3_finalize(del);
	if (!rc)
		rc = exec(x, "DELETE FROM temp.dropped; DELETE FROM temp.dropped_rows");
	x->dropped_any = false;
	return rc;
}

static void hash_hex(const struct pm_doc *d, char out[17])
{
	XXH64_hash_t h = d->src.data ? XXH3_64bits(d->src.data, d->src.len) : 0;
	snprintf(out, 17, "%016" PRIx64, (uint64_t)h);
}

/* ---- the corpus-wide tables ------------------------------------------------ */

static enum pm_value_kind kind_named(const char *name)
{
	for (int k = PM_VAL_NULL; k <= PM_VAL_MAP; k++)
		if (name && !strcmp(pm_value_kind_name((enum pm_value_kind)k), name))
			return (enum pm_value_kind)k;
	return PM_VAL_STRING;
}

/* The rows links held when the update began, so that only what changed is
 * written: rewriting every link cost a 1% update 40% of its time.  A row
 * is known by a 128-bit hash of its values (two 64-bit XXH3 hashes with
 * different seeds): a false match needs a collision of both, far less
 * likely than a fault in the disk under the file, so no row is read back
 * to confirm it (that read was a fifth of a 1% update). */
struct link_set {
	uint64_t *hash;		/* 0: a free slot */
	uint64_t *check;	/* the second hash */
	int64_t *rowid;		/* negated once a new link matched the row */
	size_t cap, n;
};

enum { LINK_TEXTS = 6, LINK_INTS = 3 };	/* source, source_path, relation,
					 * target, target_path, declared_in;
					 * declared, line, col */

static uint64_t link_hash(const char *const t[LINK_TEXTS], const int64_t v[LINK_INTS],
			  uint64_t seed)
{
	/* Each value seeds the next one's hash: no buffer, no malloc.  A
	 * NULL and "" differ (the seed's low bit). */
	uint64_t h = seed;
	for (int i = 0; i < LINK_TEXTS; i++)
		h = XXH3_64bits_withSeed(t[i] ? t[i] : "", t[i] ? strlen(t[i]) : 0,
					 (h << 1) | (t[i] == NULL));
	h = XXH3_64bits_withSeed(v, LINK_INTS * sizeof(*v), h);
	return h ? h : 1;
}

#define LINK_SEED_2 0x9E3779B97F4A7C15u

static bool link_set_add(struct link_set *ls, uint64_t h, uint64_t check, int64_t rowid)
{
	if (2 * (ls->n + 1) > ls->cap) {
		size_t cap = ls->cap ? 2 * ls->cap : 1024;
		uint64_t *hash = calloc(cap, sizeof(*hash));
		uint64_t *checks = malloc(cap * sizeof(*checks));
		int64_t *rowids = malloc(cap * sizeof(*rowids));
		if (!hash || !checks || !rowids) {
			free(hash);
			free(checks);
			free(rowids);
			return false;
		}
		for (size_t i = 0; i < ls->cap; i++) {
			if (!ls->hash[i])
				continue;
			size_t j = (size_t)ls->hash[i] & (cap - 1);
			while (hash[j])
				j = (j + 1) & (cap - 1);
			hash[j] = ls->hash[i];
			checks[j] = ls->check[i];
			rowids[j] = ls->rowid[i];
		}
		free(ls->hash);
		free(ls->check);
		free(ls->rowid);
		ls->hash = hash;
		ls->check = checks;
		ls->rowid = rowids;
		ls->cap = cap;
	}
	size_t j = (size_t)h & (ls->cap - 1);
	while (ls->hash[j])
		j = (j + 1) & (ls->cap - 1);
	ls->hash[j] = h;
	ls->check[j] = check;
	ls->rowid[j] = rowid;
	ls->n++;
	return true;
}

/* Claims an unclaimed row equal to the new link: true when there is one
 * (the link is already written). */
static bool link_set_claim(struct link_set *ls, const char *const t[LINK_TEXTS],
			   const int64_t v[LINK_INTS])
{
	if (!ls->n)
		return false;
	uint64_t h = link_hash(t, v, 0), check = link_hash(t, v, LINK_SEED_2);
	for (size_t j = (size_t)h & (ls->cap - 1); ls->hash[j]; j = (j + 1) & (ls->cap - 1)) {
		if (ls->hash[j] == h && ls->check[j] == check && ls->rowid[j] > 0) {
			ls->rowid[j] = -ls->rowid[j];
			return true;
		}
	}
	return false;
}

static void link_set_release(struct link_set *ls)
{
	free(ls->hash);
	free(ls->check);
	free(ls->rowid);
	memset(ls, 0, sizeof(*ls));
}

/* Reads the links rows there are now into ls. */
static int link_set_load(struct ix *x, struct link_set *ls)
{
	memset(ls, 0, sizeof(*ls));
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(x->db, "SELECT source, source_path, relation, target, target_path, "
				      "declared_in, declared, line, col, rowid FROM links",
			       -1, &st, NULL))
		return db_fail(x, "cannot read links");
	int rc = 0, s;
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t[LINK_TEXTS];
		int64_t v[LINK_INTS];
		for (int i = 0; i < LINK_TEXTS; i++)
			t[i] = (const char *)sqlite3_column_text(st, i);
		for (int i = 0; i < LINK_INTS; i++)
			v[i] = sqlite3_column_int64(st, LINK_TEXTS + i);
		if (!link_set_add(ls, link_hash(t, v, 0), link_hash(t, v, LINK_SEED_2),
				  sqlite3_column_int64(st, LINK_TEXTS + LINK_INTS)))
			rc = pm_error_set(x->err, PM_ERR_NOMEM, "out of memory");
	}
	if (!rc && s != SQLITE_DONE)
		rc = db_fail(x, "cannot read links");
	sqlite3_finalize(st);
	return rc;
}

/* Deletes the rows no new link matched. */
static int link_set_drop_rest(struct ix *x, struct link_set *ls)
{
	if (!ls->n)
		return 0;
	sqlite3_stmt *del;
	if (sqlite3_prepare_v2(x->db, "DELETE FROM links WHERE rowid = ?", -1, &del, NULL))
		return db_fail(x, "cannot delete links");
	int rc = 0;
	for (size_t j = 0; !rc && j < ls->cap; j++) {
		if (!ls->hash[j] || ls->rowid[j] < 0)
			continue;
		sqlite3_bind_int64(del, 1, ls->rowid[j]);
		rc = step(x, del, "cannot delete a link");
	}
	sqlite3_finalize(del);
	return rc;
}

static int insert_link(struct ix *x, sqlite3_stmt *st, struct link_set *ls,
		       const struct pm_graph_node *from, const char *relation, const char *to_id,
		       const char *to_path, bool declared, const struct pm_graph_node *in,
		       uint32_t line, uint32_t col)
{
	const char *t[LINK_TEXTS] = { from->id, from->path, relation, to_id, to_path, in->path };
	int64_t v[LINK_INTS] = { declared, line, col };
	if (link_set_claim(ls, t, v))
		return 0;	/* already there */
	bind_text(st, 1, from->id);
	bind_text(st, 2, from->path);
	bind_text(st, 3, relation);
	bind_text(st, 4, to_id);
	bind_text(st, 5, to_path);
	sqlite3_bind_int(st, 6, declared);
	bind_text(st, 7, in->path);
	sqlite3_bind_int(st, 8, (int)line);
	sqlite3_bind_int(st, 9, (int)col);
	return step(x, st, "cannot write a link");
}

/* links and the corpus-wide findings, from refs: graph.c resolves them
 * exactly as lint does, so the index and lint agree. */
static int rebuild_links(struct ix *x)
{
	struct link_set ls;
	int rc = link_set_load(x, &ls);
	if (!rc)
		rc = exec(x, "DELETE FROM diagnostics WHERE scope = 'corpus'");
	if (rc) {
		link_set_release(&ls);
		return rc;
	}
	struct pm_arena a;
	pm_arena_init(&a);
	struct pm_graph g;
	memset(&g, 0, sizeof(g));
	struct pm_diags found;
	pm_diags_init(&found, &a);
	struct pm_graph_node *nodes = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st = NULL, *ins = NULL;
	if (sqlite3_prepare_v2(x->db, "SELECT path, id, type FROM documents ORDER BY path", -1,
			       &st, NULL)) {
		rc = db_fail(x, "cannot list documents");
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		/* The heap, not the arena: the arena would keep every
		 * outgrown copy of the table. */
		struct pm_graph_node *grown = pm_grow(nodes, n, &cap, sizeof(*nodes), 1024);
		if (!grown) {
			rc = pm_error_set(x->err, PM_ERR_NOMEM, "out of memory");
			goto out;
		}
		nodes = grown;
		const unsigned char *type = sqlite3_column_text(st, 2);
		nodes[n++] = (struct pm_graph_node){
			pm_arena_strdup(&a, (const char *)sqlite3_column_text(st, 1)),
			pm_arena_strdup(&a, (const char *)sqlite3_column_text(st, 0)),
			type ? pm_arena_strdup(&a, (const char *)type) : NULL,
		};
	}
	sqlite3_finalize(st);
	st = NULL;
	/* Paths in the index are relative to the docs root: "." is the root. */
	if ((rc = pm_graph_begin(&g, x->o->schema, ".", nodes, n, x->err)))
		goto out;
	if (sqlite3_prepare_v2(x->db, "SELECT doc, key, ref, line, col, kind FROM refs "
				      "ORDER BY doc, key, line, col", -1, &st, NULL)) {
		rc = db_fail(x, "cannot read refs");
		goto out;
	}
	/* Each run of rows with one (doc, key) is one frontmatter key.  Its
	 * values live in a scratch arena emptied after each key (the graph
	 * copies what it keeps): 100,000 documents' refs never sit in memory
	 * at once. */
	struct pm_arena key_arena;
	pm_arena_init(&key_arena);
	int step_rc = sqlite3_step(st);
	while (step_rc == SQLITE_ROW && !rc) {
		pm_arena_release(&key_arena);
		pm_arena_init(&key_arena);
		struct pm_arena *ka = &key_arena;
		const char *doc = pm_arena_strdup(ka, (const char *)sqlite3_column_text(st, 0));
		const char *key = pm_arena_strdup(ka, (const char *)sqlite3_column_text(st, 1));
		struct pm_value *seq = pm_value_new(ka, PM_VAL_SEQ);
		while (step_rc == SQLITE_ROW && seq &&
		       !strcmp(doc, (const char *)sqlite3_column_text(st, 0)) &&
		       !strcmp(key, (const char *)sqlite3_column_text(st, 1))) {
			struct pm_value *item = pm_value_str(ka, (const char *)sqlite3_column_text(st, 2));
			if (!item || !pm_value_push(ka, seq, item)) {
				seq = NULL;
				break;
			}
			item->kind = kind_named((const char *)sqlite3_column_text(st, 5));
			item->line = (uint32_t)sqlite3_column_int(st, 3);
			item->col = (uint32_t)sqlite3_column_int(st, 4);
			step_rc = sqlite3_step(st);
		}
		size_t node;
		if (!seq || !doc || !key) {
			rc = pm_error_set(x->err, PM_ERR_NOMEM, "out of memory");
			break;
		}
		if (!pm_graph_find_path(&g, doc, &node))
			continue;
		/* One value stands alone, as it was written (or as a list of
		 * one: the same to the graph). */
		struct pm_value *v = seq->u.seq.n == 1 ? seq->u.seq.items[0] : seq;
		seq->line = seq->u.seq.items[0]->line;
		seq->col = seq->u.seq.items[0]->col;
		struct pm_pair pair = { key, v->line, v->col, v };
		if (pm_graph_declare(&g, node, &pair, &found))
			rc = pm_error_set(x->err, PM_ERR_NOMEM, "out of memory");
	}
	pm_arena_release(&key_arena);
	pm_graph_seal(&g);
	sqlite3_finalize(st);
	st = NULL;
	if (!rc && pm_graph_check_cycles(&g, &found))
		rc = pm_error_set(x->err, PM_ERR_NOMEM, "out of memory");
	if (rc)
		goto out;
	if (sqlite3_prepare_v2(x->db, "INSERT INTO links (source, source_path, relation, target, "
				      "target_path, declared, declared_in, line, col) "
				      "VALUES (?,?,?,?,?,?,?,?,?)", -1, &ins, NULL)) {
		rc = db_fail(x, "cannot write links");
		goto out;
	}
	for (size_t k = 0; k < g.nedges && !rc; k++) {
		const struct pm_edge *e = &g.edges[k];
		const struct pm_graph_node *s = &nodes[e->source], *first = &nodes[e->declared_in];
		const struct pm_relation *r = e->rel;
		const char *back = r->inverse ? r->inverse : r->name;
		if (e->target == PM_NODE_MISSING) {
			rc = insert_link(x, ins, &ls, s, e->via_inverse ? back : r->name, e->ref, NULL, true,
					 first, e->line, e->col);
			continue;
		}
		const struct pm_graph_node *t = &nodes[e->target];
		/* Where each direction was written: the first declaration is
		 * forward unless made under the inverse name. */
		const struct pm_graph_node *second = &nodes[e->second_in];
		bool both = e->declared_forward && e->declared_inverse;
		const struct pm_graph_node *fwd_in = e->via_inverse ? (both ? second : first) : first;
		uint32_t fl = e->via_inverse && both ? e->second_line : e->line;
		uint32_t fc = e->via_inverse && both ? e->second_col : e->col;
		const struct pm_graph_node *inv_in = e->via_inverse ? first : (both ? second : first);
		uint32_t il = !e->via_inverse && both ? e->second_line : e->line;
		uint32_t ic = !e->via_inverse && both ? e->second_col : e->col;
		rc = insert_link(x, ins, &ls, s, r->name, t->id, t->path, e->declared_forward, fwd_in, fl, fc);
		if (!rc)
			rc = insert_link(x, ins, &ls, t, back, s->id, s->path, e->declared_inverse, inv_in,
					 il, ic);
	}
	sqlite3_finalize(ins);
	ins = NULL;
	if (!rc)
		rc = link_set_drop_rest(x, &ls);
	for (size_t i = 0; i < found.n && !rc; i++) {
		const struct pm_diag *dg = &found.items[i];
		sqlite3_stmt *d = x->st[S_DIAG];
		bind_text(d, 1, dg->path);
		sqlite3_bind_int(d, 2, (int)dg->line);
		sqlite3_bind_int(d, 3, (int)dg->col);
		bind_text(d, 4, pm_severity_name(dg->severity));
		bind_text(d, 5, dg->code);
		bind_text(d, 6, dg->message);
		bind_text(d, 7, dg->hint);
		bind_text(d, 8, "corpus");
		rc = step(x, d, "cannot write a finding");
	}
	if (!rc)
		rc = exec(x,
			"INSERT INTO diagnostics (doc, line, col, severity, code, message, hint, scope) "
			"SELECT d.path, 1, 1, 'error', 'PM203', "
			"  printf('duplicate ID ''%s'': also the ID of %s', d.id, "
			"    (SELECT min(path) FROM documents e WHERE e.id = d.id)), "
			"  'give one of them another file name or ''id:'' field', 'corpus' "
			/* The duplicated IDs from one pass over documents_id, then
			 * their documents: not a lookup for every document. */
			"FROM documents d WHERE d.id IN (SELECT id FROM documents GROUP BY id "
			"  HAVING count(*) > 1) "
			"AND d.path > (SELECT min(path) FROM documents e WHERE e.id = d.id);");
out:
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	link_set_release(&ls);
	pm_graph_release(&g);
	free(nodes);
	pm_arena_release(&a);
	return rc;
}

static int write_users(struct ix *x)
{
	int rc = exec(x, "DELETE FROM users");
	const struct pm_users *u = x->o->users;
	if (rc || !u)
		return rc;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(x->db, "INSERT OR IGNORE INTO users (handle, kind) VALUES (?, ?)",
			       -1, &st, NULL))
		return db_fail(x, "cannot write users");
	for (size_t i = 0; i < u->nusers + u->nteams && !rc; i++) {
		bool user = i < u->nusers;
		bind_text(st, 1, user ? u->users[i] : u->teams[i - u->nusers]);
		bind_text(st, 2, user ? "user" : "team");
		rc = step(x, st, "cannot write users");
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- the update ------------------------------------------------------------ */

/* ---- the pipeline: readers ahead, one writer in order --------------------- */

/* Documents are read and checked on jobs - 1 threads while this thread
 * writes them in walk order, at most WINDOW ahead: the database sees the
 * same statements in the same order whatever jobs is, and memory holds
 * WINDOW documents at most. */
#define WINDOW 64

struct pipeline {
	struct ix *x;
	const size_t *to_read;		/* indexes into x->files */
	const bool *is_new;		/* to_read[j] is not in the index yet */
	size_t n;
	struct prepared slots[WINDOW];
	bool ready[WINDOW];
	size_t claimed, consumed;	/* under mu */
	bool stop;
	pthread_mutex_t mu;
	pthread_cond_t cv_ready, cv_space;
};

static void *read_ahead(void *arg)
{
	struct pipeline *pl = arg;
	/* NULL (no FTS5 here?) leaves the tokenizing to the writer. */
	struct pm_fts_tokenizer *tok = pm_fts_tokenizer_open();
	for (;;) {
		pthread_mutex_lock(&pl->mu);
		while (!pl->stop && pl->claimed < pl->n && pl->claimed >= pl->consumed + WINDOW)
			pthread_cond_wait(&pl->cv_space, &pl->mu);
		if (pl->stop || pl->claimed >= pl->n) {
			pthread_mutex_unlock(&pl->mu);
			pm_fts_tokenizer_close(tok);
			return NULL;
		}
		size_t j = pl->claimed++;
		/* More than half the window ready and waiting: the writer is
		 * the slower side, so take some of its work, the search rows'
		 * tokens.  When the readers fall behind, they stop: the share
		 * settles where both sides keep pace. */
		bool writer_behind = j >= pl->consumed + WINDOW / 2;
		pthread_mutex_unlock(&pl->mu);
		struct prepared p;
		const struct file *f = &pl->x->files[pl->to_read[j]];
		prepare_doc(pl->x->o, pl->x->root, f->path, &p);
		/* A changed document's rows are staged, and its search rows
		 * made from the staging table: only new ones replay tokens. */
		if (writer_behind && tok && pl->is_new[j] && !p.rc && p.is_doc && p.d->src.data) {
			/* Half a list would offer the wrong runs: none. */
			if (pretokenize(tok, p.d, &p.toks))
				pm_fts_list_release(&p.toks);
		}
		pthread_mutex_lock(&pl->mu);
		pl->slots[j % WINDOW] = p;
		pl->ready[j % WINDOW] = true;
		pthread_cond_broadcast(&pl->cv_ready);
		pthread_mutex_unlock(&pl->mu);
	}
}

/* The statements a staged write uses instead of x->st's. */
static const enum stmt_id staged_ids[] = { S_FIELD, S_REF, S_SECTION, S_ACTION, S_TIMELINE,
					   S_DIAG };
static const enum pm_rowdiff_table staged_tables[] = { PM_RD_FIELDS, PM_RD_REFS,
						       PM_RD_SECTIONS, PM_RD_ACTIONS,
						       PM_RD_TIMELINE, PM_RD_DIAGS };

/* Once per connection: the staging tables and inserts into them (the
 * same SQL, aimed at temp.new_TABLE). */
static int open_staging(struct ix *x)
{
	int rc = pm_rowdiff_open(&x->rd, x->db, x->err);
	for (size_t i = 0; !rc && i < sizeof(staged_ids) / sizeof(staged_ids[0]); i++) {
		const char *sql = stmt_sql[staged_ids[i]], *table = pm_rowdiff_table(staged_tables[i]);
		char prefix[64];
		snprintf(prefix, sizeof(prefix), "INSERT INTO %s (", table);
		size_t pl = strlen(prefix);
		if (strncmp(sql, prefix, pl))
			return pm_error_set(x->err, PM_ERR_INVALID, "index: no insert into %s", table);
		char *staged = sqlite3_mprintf("INSERT INTO temp.%s (%s",
					       pm_rowdiff_staging(staged_tables[i]), sql + pl);
		if (!staged)
			return pm_error_set(x->err, PM_ERR_NOMEM, "out of memory");
		if (sqlite3_prepare_v3(x->db, staged, -1, SQLITE_PREPARE_PERSISTENT,
				       &x->stage[staged_ids[i]], NULL))
			rc = db_fail(x, "cannot prepare a staged insert");
		sqlite3_free(staged);
	}
	return rc;
}

static void swap_staged(struct ix *x)
{
	for (size_t i = 0; i < sizeof(staged_ids) / sizeof(staged_ids[0]); i++) {
		sqlite3_stmt *t = x->st[staged_ids[i]];
		x->st[staged_ids[i]] = x->stage[staged_ids[i]];
		x->stage[staged_ids[i]] = t;
	}
	sqlite3_stmt *t = x->st[S_INSERT_DOC];
	x->st[S_INSERT_DOC] = x->st[S_UPDATE_DOC];
	x->st[S_UPDATE_DOC] = t;
	x->staging = !x->staging;
}

/* A document the index has, changed: its row updated in place, its other
 * rows written as a difference (rowdiff.h). */
static int update_doc(struct ix *x, const struct file *f, const struct prepared *p)
{
	int rc = x->rd ? 0 : open_staging(x);
	if (rc)
		return rc;
	/* A new ID or type changes what refs resolve to. */
	sqlite3_stmt *st = x->st[S_DOC_IDENTITY];
	bind_text(st, 1, f->rel);
	if (sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), p->d->id ? p->d->id : "") ||
	    (sqlite3_column_type(st, 1) == SQLITE_NULL) != !p->d->type ||
	    (p->d->type && strcmp((const char *)sqlite3_column_text(st, 1), p->d->type)))
		x->links_dirty = true;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	swap_staged(x);
	rc = write_doc(x, f, p);
	swap_staged(x);
	struct pm_rowdiff_stats rs = { 0 };
	if (!rc)
		rc = pm_rowdiff_apply(x->rd, f->rel, &rs, x->err);
	x->dropped_any = x->dropped_any || rs.dropped_sections;
	x->links_dirty = x->links_dirty || rs.changed[PM_RD_REFS];
	return rc;
}

/* Writes one prepared file: refreshed, replaced, written or dropped. */
static int apply(struct ix *x, const struct file *f, struct prepared *p,
		 struct pm_index_stats *stats)
{
	if (p->rc) {
		*x->err = p->err;
		return p->rc;
	}
	size_t ki;
	struct known *k = pm_strmap_get(&x->known_map, f->rel, &ki) ? &x->known[ki] : NULL;
	int rc = 0;
	if (k && !strcmp(k->hash, p->hash)) {
		/* touched, not changed */
		sqlite3_stmt *st = x->st[S_TOUCH_DOC];
		sqlite3_bind_int64(st, 1, f->size);
		sqlite3_bind_int64(st, 2, f->mtime_ns);
		bind_text(st, 3, f->rel);
		stats->same_content++;
		return step(x, st, "cannot refresh a document");
	}
	if (k && p->is_doc) {
		rc = update_doc(x, f, p);
		stats->written++;
	} else if (k) {
		/* No longer a document: its rows go, and links must be
		 * rebuilt without it. */
		rc = delete_doc(x, f->rel);
		stats->deleted += !rc;
	} else if (p->is_doc) {
		rc = write_doc(x, f, p);
		stats->written++;
		x->links_dirty = true;
	} else {
		stats->not_documents++;
	}
	if (!rc && x->o->progress && x->o->progress(x->o->progress_ctx, stats->written))
		rc = pm_error_set(x->err, PM_ERR_IO, "index update stopped");
	return rc;
}

/* Documents written between two calls of pm_writeback_start: at 5 KB a
 * document, about 20 MB of the file each time. */
#define WRITEBACK_EVERY 1024

/* Writes the j-th document read, releases it, and every WRITEBACK_EVERY
 * documents starts the disk writes of what is written so far. */
static int write_one(struct ix *x, const struct file *f, struct prepared *p,
		     struct pm_index_stats *stats, struct pm_writeback *wb, size_t j)
{
	int rc = apply(x, f, p, stats);
	prepared_release(p);
	if (j % WRITEBACK_EVERY == WRITEBACK_EVERY - 1)
		pm_writeback_start(wb);
	return rc;
}

static int sync_files(struct ix *x, struct pm_index_stats *stats)
{
	/* Unchanged size and mtime: skipped without reading. */
	size_t *to_read = malloc((x->nfiles ? x->nfiles : 1) * sizeof(*to_read)), n = 0;
	bool *is_new = malloc(x->nfiles ? x->nfiles : 1);
	if (!to_read || !is_new) {
		free(to_read);
		free(is_new);
		return pm_error_set(x->err, PM_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < x->nfiles; i++) {
		const struct file *f = &x->files[i];
		size_t ki;
		struct known *k = pm_strmap_get(&x->known_map, f->rel, &ki) ? &x->known[ki] : NULL;
		if (k) {
			k->seen = true;
			if (k->size == f->size && k->mtime_ns == f->mtime_ns) {
				stats->unchanged++;
				continue;
			}
		}
		is_new[n] = !k;
		to_read[n++] = i;
	}
	int rc = 0;
	int jobs = x->o->jobs ? x->o->jobs : pm_pool_default_jobs();
	int readers = jobs > 1 ? jobs - 1 : 0;
	if (readers > (int)n)
		readers = (int)n;
	struct pipeline *pl = readers ? calloc(1, sizeof(*pl)) : NULL;
	if (readers && !pl) {
		free(to_read);
		free(is_new);
		return pm_error_set(x->err, PM_ERR_NOMEM, "out of memory");
	}
	pthread_t threads[64];
	int started = 0;
	if (pl) {
		pl->x = x;
		pl->to_read = to_read;
		pl->is_new = is_new;
		pl->n = n;
		pthread_mutex_init(&pl->mu, NULL);
		pthread_cond_init(&pl->cv_ready, NULL);
		pthread_cond_init(&pl->cv_space, NULL);
		while (started < readers && started < 64 &&
		       pthread_create(&threads[started], NULL, read_ahead, pl) == 0)
			started++;
	}
	/* A new file being filled: its pages go to disk as it grows, not
	 * all in the commit (dbfile.h). */
	struct pm_writeback wb = { -1 };
	if (stats->rebuilt)
		pm_writeback_open(&wb, sqlite3_db_filename(x->db, "main"));
	if (!started) {
		/* --jobs 1, or no thread could be made: all on this one. */
		for (size_t j = 0; j < n && !rc; j++) {
			struct prepared p;
			prepare_doc(x->o, x->root, x->files[to_read[j]].path, &p);
			rc = write_one(x, &x->files[to_read[j]], &p, stats, &wb, j);
		}
	} else {
		for (size_t j = 0; j < n && !rc; j++) {
			pthread_mutex_lock(&pl->mu);
			while (!pl->ready[j % WINDOW])
				pthread_cond_wait(&pl->cv_ready, &pl->mu);
			struct prepared p = pl->slots[j % WINDOW];
			pl->ready[j % WINDOW] = false;
			pl->consumed = j + 1;
			pthread_cond_broadcast(&pl->cv_space);
			pthread_mutex_unlock(&pl->mu);
			rc = write_one(x, &x->files[to_read[j]], &p, stats, &wb, j);
		}
		pthread_mutex_lock(&pl->mu);
		pl->stop = true;
		pthread_cond_broadcast(&pl->cv_space);
		pthread_mutex_unlock(&pl->mu);
		for (int t = 0; t < started; t++)
			pthread_join(threads[t], NULL);
		/* After a failure, what was read ahead is dropped. */
		for (size_t k = 0; k < WINDOW; k++)
			if (pl->ready[k])
				prepared_release(&pl->slots[k]);
	}
	if (pl) {
		pthread_mutex_destroy(&pl->mu);
		pthread_cond_destroy(&pl->cv_ready);
		pthread_cond_destroy(&pl->cv_space);
		free(pl);
	}
	pm_writeback_close(&wb);
	free(to_read);
	free(is_new);
	if (rc)
		return rc;
	/* Known paths the walk did not meet: deleted.  One pass over the map
	 * names them (its keys are the known paths). */
	const char **gone = calloc(x->nknown ? x->nknown : 1, sizeof(*gone));
	if (!gone)
		return pm_error_set(x->err, PM_ERR_NOMEM, "out of memory");
	for (size_t sl = 0; sl < x->known_map.cap; sl++) {
		const struct pm_strmap_slot *slot = &x->known_map.slots[sl];
		if (slot->key && slot->value < x->nknown && !x->known[slot->value].seen)
			gone[slot->value] = slot->key;
	}
	for (size_t i = 0; i < x->nknown && !rc; i++) {
		if (!gone[i])
			continue;
		rc = delete_doc(x, gone[i]);
		stats->deleted += !rc;
	}
	free(gone);
	if (rc)
		return rc;
	return 0;
}

static int run(struct ix *x, struct pm_index_stats *stats, struct pm_diags *diags)
{
	int rc = exec(x, "BEGIN IMMEDIATE");
	if (rc)
		return rc;
	/* While this run waited for the lock, another may have replaced
	 * the file (a rebuild): this one holds the old file, which nobody
	 * reads any more. */
	struct pm_file_id now;
	pm_file_id_read(x->o->db_path, &now);
	if (!pm_file_id_same(&now, &x->id)) {
		x->replaced = true;
		sqlite3_exec(x->db, "ROLLBACK", NULL, NULL, NULL);
		return pm_error_set(x->err, PM_ERR_IO, "index %s was replaced by another run",
				    x->o->db_path);
	}
	rc = prepare_schema(x, stats);
	/* Documents taken out in this update, for drop_sections. */
	if (!rc)
		rc = exec(x, "CREATE TEMP TABLE IF NOT EXISTS dropped (doc TEXT); "
			     "DELETE FROM temp.dropped; "
			     "CREATE TEMP TABLE IF NOT EXISTS dropped_rows (r INTEGER); "
			     "DELETE FROM temp.dropped_rows");
	if (!rc) {
		bool ok;
		x->sections_before = pragma_int(x->db, "SELECT COALESCE(max(rowid), 0) FROM sections",
						&ok);
		if (!ok)
			rc = db_fail(x, "cannot read sections");
	}
	for (int i = 0; !rc && i < S_COUNT; i++)
		if (sqlite3_prepare_v3(x->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &x->st[i],
				       NULL))
			rc = db_fail(x, "cannot prepare a statement");
	/* The walk stats every file and load_known reads every known
	 * document's row; neither needs the other, so the walk runs on a
	 * thread of its own meanwhile (100,000 documents: 0.35 s and 0.13 s,
	 * an update that finds nothing changed takes 0.13 s less). */
	struct walk_job wj = { .x = x, .diags = diags };
	pthread_t walker;
	bool walking = !rc && pthread_create(&walker, NULL, walk_files, &wj) == 0;
	if (!rc)
		rc = load_known(x);
	if (walking)
		pthread_join(walker, NULL);
	else if (!rc)
		walk_files(&wj);
	if (!rc && wj.rc) {
		*x->err = wj.err;
		rc = wj.rc;
	}
	if (!rc) {
		stats->files = x->nfiles;
		rc = sync_files(x, stats);
	}
	if (!rc)
		rc = drop_sections(x);
	if (!rc)
		rc = create_deferred_indexes(x);
	if (!rc && (x->links_dirty || stats->rebuilt)) {
		/* The graph takes the memory the page cache held while the
		 * documents went in, so the peak stays that of the cache
		 * (docs/performance.md): shrink the cache, write its dirty
		 * pages (still inside the transaction) so they can be freed,
		 * and hand the freed memory back (it sits between live
		 * blocks, where the graph's large arrays would not reuse it).
		 * At 100,000 documents the peak went from 97 MB to 58 MB. */
		rc = exec(x, "PRAGMA cache_size = -4096");
		int flushed = rc ? SQLITE_OK : sqlite3_db_cacheflush(x->db);
		if (flushed != SQLITE_OK) {
			/* The error is in the return value, not in the handle. */
			char hint[256];
			code_hint(x->db, flushed, hint, sizeof(hint));
			rc = pm_error_set(x->err, PM_ERR_IO, "index %s: %s%s", x->o->db_path,
					  sqlite3_errstr(flushed), hint);
		}
		if (!rc) {
			sqlite3_db_release_memory(x->db);
#ifdef __GLIBC__
			malloc_trim(0);
#endif
			rc = rebuild_links(x);
		}
	}
	/* The users file is part of the settings: a new one rebuilds. */
	if (!rc && stats->rebuilt)
		rc = write_users(x);
	/* A rebuild leaves up to 15 segments on each level of the search
	 * index (automerge 16, schema/index.sql).  With FTS5's crisismerge
	 * (16) one more segment made a level merge all of its segments at
	 * once, and the level above it too when it filled: the first update
	 * of 1% of 10,000 documents after a rebuild cost 3.0 G instructions
	 * instead of 0.3 G.  At 64, the updates' own merging (automerge,
	 * bounded by what each one writes) reaches the full levels first. */
	if (!rc && stats->rebuilt)
		rc = exec(x, "INSERT INTO search (search, rank) VALUES ('crisismerge', 64)");
	if (!rc)
		rc = exec(x, "COMMIT");
	if (rc)
		sqlite3_exec(x->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* After a failed update: a write that failed mid-transaction (a full disk)
 * can leave the pager in its error state and the rollback journal hot.
 * The next writer would roll it back, but a reader opened read-only (a
 * query) cannot, and would fail. Opening the file again and reading it
 * rolls the journal back now, so the previous index is whole on disk. */
static void restore_previous(const char *db_path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK)
		sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	sqlite3_close(db);
}

int pm_index_update(const struct pm_index_opts *o, struct pm_index_stats *stats,
		    struct pm_diags *diags, struct pm_error *err)
{
	memset(stats, 0, sizeof(*stats));
	struct ix x = { .o = o, .err = err };
	pm_arena_init(&x.arena);
	pm_arena_init(&x.paths);
	pm_strmap_init(&x.known_map);
	x.root = pm_path_normalize(&x.arena, o->root);
	int rc = 0;
	if (!x.root) {
		rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* Attempts: a damaged file is replaced once; a file another run
	 * replaced while this one waited is opened again, a few times. */
	for (int damaged = 0, replaced = 0;;) {
		struct pm_file_id before;
		pm_file_id_read(o->db_path, &before);
		/* One thread, this one, uses the connection (the readers only
		 * parse): no mutex around every SQLite call. */
		if (sqlite3_open_v2(o->db_path, &x.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX, NULL)) {
			rc = x.db ? db_fail(&x, "cannot open")
				  : pm_error_set(err, PM_ERR_NOMEM, "out of memory");
			goto out;
		}
		pm_file_id_read(o->db_path, &x.id);
		/* Replaced between the two looks: which file is open is not
		 * known, so it counts as replaced. */
		x.replaced = before.exists && !pm_file_id_same(&before, &x.id);
		rc = x.replaced ? pm_error_set(err, PM_ERR_IO, "index %s was replaced by another "
					       "run", o->db_path)
				: configure(&x);
		if (!rc)
			rc = run(&x, stats, diags);
		if (x.held)
			rc = finish_aside(&x, rc);
		int code = sqlite3_errcode(x.db);
		bool again = false;
		if (rc && x.replaced && replaced < 8) {
			replaced++;
			again = true;
		} else if (rc && !damaged && (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)) {
			/* Not a database, or a damaged one: the index is a
			 * cache of the documents, so it is thrown away and
			 * built anew. */
			damaged++;
			again = true;
		}
		if (!again)
			break;
		close_statements(&x);
		sqlite3_close(x.db);
		x.db = NULL;
		if (!x.replaced && !pm_file_remove_db(o->db_path)) {
			rc = pm_error_set(err, PM_ERR_IO, "index %s is damaged and cannot be removed",
					  o->db_path);
			goto out;
		}
		memset(stats, 0, sizeof(*stats));
		x.nknown = x.nfiles = 0;
		x.replaced = x.dropped_any = x.links_dirty = false;
		pm_strmap_release(&x.known_map);
		pm_strmap_init(&x.known_map);
		pm_error_clear(err);
		rc = 0;
	}
out:
	/* Every statement, the staging ones too: a connection with one
	 * left open is not closed (and leaks). */
	close_statements(&x);
	sqlite3_close(x.db);
	if (rc && x.db)
		restore_previous(o->db_path);
	pm_strmap_release(&x.known_map);
	free(x.files);
	free(x.known);
	pm_arena_release(&x.arena);
	pm_arena_release(&x.paths);
	pm_buf_release(&x.deferred);
	return rc;
}

int pm_index_open_readonly(sqlite3 **out, const char *db_path, struct pm_error *err)
{
	sqlite3 *db = NULL;
	*out = NULL;
	/* One thread uses the connection: no mutex around every
	 * sqlite3_column_*() call (a quarter of a large query's time). */
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL)) {
		int rc = pm_error_set(err, PM_ERR_IO, "cannot open index %s: %s", db_path,
				      db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return rc;
	}
	defend(db);
	sqlite3_busy_timeout(db, 10000);
	bool ok;
	int64_t v = pragma_int(db, "PRAGMA user_version", &ok);
	if (!ok || v != PM_INDEX_VERSION) {
		int rc = pm_error_set(err, PM_ERR_INVALID, "index %s is not a pmtool index of "
				      "version %d; run 'pmtool index --rebuild'", db_path,
				      PM_INDEX_VERSION);
		sqlite3_close(db);
		return rc;
	}
	*out = db;
	return 0;
}
