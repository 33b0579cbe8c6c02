/* check_index.c - pm_index_update and pm_index_open_readonly: the rows of
 * every table, links and their derived inverses, incremental updates (and
 * that they give the rows a rebuild gives), index versions, a run killed in
 * the middle, a second writer, and the read-only connection.
 *
 * Each test writes documents into a fresh docs root, loads the default
 * schema ($PM_SCHEMA_DIR, else $PM_SOURCE_ROOT/schema) and a users file,
 * updates an index file beside (not inside) the root and reads the database
 * back with its own SQLite connection.  Files get explicit, increasing
 * modification times, so a rewrite is always seen as a change whatever the
 * file system's timestamp resolution.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <sqlite3.h>
#include <xxhash.h>

#include "codes.h"
#include "error.h"
#include "index.h"
#include "schema.h"
#include "testutil.h"
#include "timeutil.h"
#include "users.h"
#include "validate.h"

/* ---- the documents ------------------------------------------------------ */

/* The comments are file lines: expected positions below count on them. */
static const char inc_doc[] =
	"---\n"						/*  1 */
	"type: inc\n"					/*  2 */
	"title: Connection limit exhausted\n"		/*  3 */
	"status: resolved\n"				/*  4 */
	"severity: sev2\n"				/*  5 */
	"commander: \"@alice\"\n"			/*  6 */
	"started_at: \"2025-01-20T14:32:00+02:00\"\n"	/*  7 */
	"resolved_at: \"2025-01-20T16:05:00+02:00\"\n"	/*  8 */
	"duration_minutes: 93\n"			/*  9 */
	"affected_systems: [api-gateway, billing]\n"	/* 10 */
	"customer_impact: degraded\n"			/* 11 */
	"caused_by: ADR-001\n"				/* 12 */
	"---\n"						/* 13 */
	"\n"						/* 14 */
	"Opening words before any heading.\n"		/* 15 */
	"\n"						/* 16 */
	"# Summary\n"					/* 17 */
	"\n"						/* 18 */
	"The pool ran dry.\n"				/* 19 */
	"\n"						/* 20 */
	"# Impact\n"					/* 21 */
	"\n"						/* 22 */
	"Slow requests.\n"				/* 23 */
	"\n"						/* 24 */
	"# Timeline\n"					/* 25 */
	"\n"						/* 26 */
	"| Time | Event | Actor |\n"			/* 27 */
	"|------|-------|-------|\n"			/* 28 */
	"| 14:32 | Alert fired | @alice |\n"		/* 29 */
	"| 14:50 | Cause found | |\n"			/* 30 */
	"| 15:10 | Fix deployed | @karol |\n"		/* 31 */
	"| 16:05 | Resolved | |\n"			/* 32 */
	"\n"						/* 33 */
	"# Root Cause\n"				/* 34 */
	"\n"						/* 35 */
	"A zombie connection.\n"			/* 36 */
	"\n"						/* 37 */
	"# Resolution\n"				/* 38 */
	"\n"						/* 39 */
	"Restarted the pool.\n"				/* 40 */
	"\n"						/* 41 */
	"# Action Items\n"				/* 42 */
	"\n"						/* 43 */
	"| Action | Owner | Due | Status |\n"		/* 44 */
	"|--------|-------|-----|--------|\n"		/* 45 */
	"| Add a leak check | @alice | 2025-03-10 | pending |\n" /* 46 */
	"| Alert on pool size | @karol | 2025-03-20 | done |\n"; /* 47 */

static const char adr_doc[] =
	"---\n"						/*  1 */
	"type: adr\n"					/*  2 */
	"title: Use pooled connections\n"		/*  3 */
	"status: accepted\n"				/*  4 */
	"author: \"@alice\"\n"				/*  5 */
	"date: \"2025-01-10\"\n"			/*  6 */
	"---\n"						/*  7 */
	"\n"						/*  8 */
	"# Decision\n"					/*  9 */
	"\n"						/* 10 */
	"Pool connections.\n"				/* 11 */
	"\n"						/* 12 */
	"# Consequences\n"				/* 13 */
	"\n"						/* 14 */
	"Mixed.\n"					/* 15 */
	"\n"						/* 16 */
	"## Positive\n"					/* 17 */
	"\n"						/* 18 */
	"Fewer connections.\n";				/* 19 */

/* The last line of adr_doc's frontmatter, to add a line after it. */
#define ADR_LAST "date: \"2025-01-10\"\n"

static const char opp_doc[] =
	"---\n"						/*  1 */
	"type: opp\n"					/*  2 */
	"title: Cache query results\n"			/*  3 */
	"status: proposed\n"				/*  4 */
	"owner: \"@alice\"\n"				/*  5 */
	"date: \"2025-01-15\"\n"			/*  6 */
	"enabled_by: ./adr-001.md\n"			/*  7 */
	"related: [INC-001]\n"				/*  8 */
	"---\n"						/*  9 */
	"\n"						/* 10 */
	"# Problem\n"					/* 11 */
	"\n"						/* 12 */
	"Queries are slow; memoize them.\n"		/* 13 */
	"\n"						/* 14 */
	"# Proposed Solution\n"				/* 15 */
	"\n"						/* 16 */
	"Cache them.\n"					/* 17 */
	"\n"						/* 18 */
	"# Success Criteria\n"				/* 19 */
	"\n"						/* 20 */
	"p99 under 100 ms.\n";				/* 21 */

static const char gov_doc[] =
	"---\n"
	"type: gov\n"
	"title: Access policy\n"
	"status: active\n"
	"owner: \"@alice\"\n"
	"effective_date: \"2025-01-01\"\n"
	"review_date: \"2025-06-01\"\n"
	"category: policy\n"
	"audience: [engineering]\n"
	"---\n"
	"\n"
	"# Purpose\n"
	"\n"
	"Why access is limited.\n"
	"\n"
	"# Scope\n"
	"\n"
	"Every production system.\n"
	"\n"
	"# Policy\n"
	"\n"
	"Least privilege.\n";

static const char users_yaml[] =
	"users:\n"
	"  alice: { name: Alice }\n"
	"  karol: { name: Karol }\n"
	"teams:\n"
	"  platform: { name: Platform }\n";

/* 2025-01-20T12:32:00Z and 2025-01-20T14:05:00Z. */
#define INC_STARTED 1737376320
#define INC_RESOLVED 1737381900

/* ---- the fixture -------------------------------------------------------- */

static char *base;		/* holds the root, the index and the users file */
static char *root;		/* the docs root */
static char *db_path;		/* base/index.db */
static char *users_path;	/* base/users.yaml */
static char *extra_dir;		/* a second schema folder, when a test makes one */
static struct pm_arena arena;
static struct pm_diags diags;	/* the walk's findings */
static struct pm_schema *schema;
static struct pm_users *users;
static time_t fake_now;		/* the next modification time put() gives */

static const char *schema_dir(void)
{
	static char buf[4096];
	const char *dir = getenv("PM_SCHEMA_DIR");
	if (dir && *dir)
		return dir;
	const char *src = getenv("PM_SOURCE_ROOT");
	ck_assert_msg(src && *src, "neither PM_SCHEMA_DIR nor PM_SOURCE_ROOT is set");
	snprintf(buf, sizeof(buf), "%s/schema", src);
	return buf;
}

static void load_schema(void)
{
	struct pm_error err = { 0 };
	struct pm_diags sd;
	pm_diags_init(&sd, &arena);
	const char *dirs[2] = { schema_dir(), extra_dir };
	pm_schema_free(schema);
	schema = NULL;
	int rc = pm_schema_load(&schema, dirs, extra_dir ? 2 : 1, &sd, &err);
	ck_assert_msg(rc == 0 && sd.n == 0, "schema did not load (%d): %s; %s", rc, err.msg,
		      sd.n ? sd.items[0].message : "");
}

static void load_users(const char *text)
{
	tu_write_file(users_path, text);
	struct pm_error err = { 0 };
	struct pm_diags ud;
	pm_diags_init(&ud, &arena);
	pm_users_free(users);
	users = NULL;
	int rc = pm_users_load(&users, users_path, &ud, &err);
	ck_assert_msg(rc == 0, "users file did not load: %s", err.msg);
}

static void setup(void)
{
	base = tu_make_temp_dir();
	root = tu_path(base, "docs");
	ck_assert_int_eq(mkdir(root, 0700), 0);
	db_path = tu_path(base, "index.db");
	users_path = tu_path(base, "users.yaml");
	extra_dir = NULL;
	pm_arena_init(&arena);
	pm_diags_init(&diags, &arena);
	schema = NULL;
	users = NULL;
	fake_now = 1700000000;
	load_schema();
	load_users(users_yaml);
}

static void teardown(void)
{
	pm_schema_free(schema);
	pm_users_free(users);
	schema = NULL;
	users = NULL;
	pm_arena_release(&arena);
	tu_remove_tree(base);
	if (extra_dir)
		tu_remove_tree(extra_dir);
	free(extra_dir);
	free(base);
	free(root);
	free(db_path);
	free(users_path);
	extra_dir = base = root = db_path = users_path = NULL;
}

/* ---- files -------------------------------------------------------------- */

static void set_mtime(const char *path, time_t t)
{
	struct timespec ts[2] = { { t, 0 }, { t, 0 } };
	ck_assert_msg(utimensat(AT_FDCWD, path, ts, 0) == 0, "utimensat %s: %s", path,
		      strerror(errno));
}

/* Writes text to dir/rel, creating the folders on the way, with a
 * modification time no earlier write had. */
static void write_in(const char *dir, const char *rel, const char *text)
{
	char *path = tu_path(dir, rel);
	for (char *p = path + strlen(dir) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		ck_assert_msg(mkdir(path, 0700) == 0 || errno == EEXIST, "mkdir %s: %s", path,
			      strerror(errno));
		*p = '/';
	}
	tu_write_file(path, text);
	set_mtime(path, fake_now += 10);
	free(path);
}

static void put(const char *rel, const char *text)
{
	write_in(root, rel, text);
}

/* Gives rel a new modification time, its bytes unchanged. */
static void touch(const char *rel)
{
	char *path = tu_path(root, rel);
	set_mtime(path, fake_now += 10);
	free(path);
}

static void rm(const char *rel)
{
	char *path = tu_path(root, rel);
	ck_assert_msg(unlink(path) == 0, "unlink %s: %s", path, strerror(errno));
	free(path);
}

/* base with each pair (old, new) of the NULL-terminated list replaced, the
 * first occurrence of old each time; old must occur.  The caller frees. */
static char *derive_v(const char *text0, va_list ap)
{
	char *text = strdup(text0);
	ck_assert_ptr_nonnull(text);
	for (const char *old; (old = va_arg(ap, const char *));) {
		const char *repl = va_arg(ap, const char *);
		char *at = strstr(text, old);
		ck_assert_msg(at != NULL, "test bug: '%s' is not in the base document", old);
		size_t head = (size_t)(at - text), ol = strlen(old), nl = strlen(repl);
		size_t tail = strlen(at + ol);
		char *out = malloc(head + nl + tail + 1);
		ck_assert_ptr_nonnull(out);
		memcpy(out, text, head);
		memcpy(out + head, repl, nl);
		memcpy(out + head + nl, at + ol, tail + 1);
		free(text);
		text = out;
	}
	return text;
}

/* Writes text0, changed by the (old, new) pairs that follow, to rel. */
static void put_derived(const char *rel, const char *text0, ...)
{
	va_list ap;
	va_start(ap, text0);
	char *text = derive_v(text0, ap);
	va_end(ap);
	put(rel, text);
	free(text);
}

/* The three documents most tests start from. */
static void put_corpus(void)
{
	put("inc-001.md", inc_doc);
	put("adr-001.md", adr_doc);
	put("opp-001.md", opp_doc);
}

/* ---- running the update ------------------------------------------------- */

static void default_opts(struct pm_index_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->root = root;
	o->db_path = db_path;
	o->schema = schema;
	o->users = users;
	pm_parse_opts_default(&o->parse);
	o->busy_timeout_ms = 5000;
}

/* Runs the update with o, which must succeed. */
static struct pm_index_stats update_with(const struct pm_index_opts *o)
{
	struct pm_index_stats st;
	struct pm_error err = { 0 };
	int rc = pm_index_update(o, &st, &diags, &err);
	ck_assert_msg(rc == 0, "pm_index_update returned %d: %s", rc, err.msg);
	return st;
}

static struct pm_index_stats update(void)
{
	struct pm_index_opts o;
	default_opts(&o);
	return update_with(&o);
}

#define EXPECT_STATS(st, files_, unchanged_, same_, written_, deleted_, rebuilt_)          \
	do {                                                                               \
		ck_assert_uint_eq((st).files, (files_));                                   \
		ck_assert_uint_eq((st).unchanged, (unchanged_));                           \
		ck_assert_uint_eq((st).same_content, (same_));                             \
		ck_assert_uint_eq((st).written, (written_));                               \
		ck_assert_uint_eq((st).deleted, (deleted_));                               \
		ck_assert_int_eq((st).rebuilt, (rebuilt_));                                \
	} while (0)

/* ---- reading the database ----------------------------------------------- */

static sqlite3 *open_db_flags(const char *path, int flags)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, flags, NULL);
	ck_assert_msg(rc == SQLITE_OK, "cannot open %s: %s", path,
		      db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* A connection to an existing database file. */
static sqlite3 *open_db(const char *path)
{
	return open_db_flags(path, SQLITE_OPEN_READWRITE);
}

static void exec_on(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
}

/* Runs sql on a fresh connection to path, creating the file if need be. */
static void exec_sql(const char *path, const char *sql)
{
	sqlite3 *db = open_db_flags(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	exec_on(db, sql);
	sqlite3_close(db);
}

/* Every row of sql, one a line, columns joined by '|'; NULL as "NULL".  With
 * typed, each value is SQL-quoted (text in '', NULL, numbers bare), so a
 * dump tells 1 from '1'.  The caller frees. */
static char *rows_on(sqlite3 *db, const char *sql, bool typed)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_str *s = sqlite3_str_new(db);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			if (c)
				sqlite3_str_appendchar(s, 1, '|');
			int t = sqlite3_column_type(st, c);
			const char *v = (const char *)sqlite3_column_text(st, c);
			if (t == SQLITE_NULL)
				sqlite3_str_appendall(s, "NULL");
			else if (typed && (t == SQLITE_TEXT || t == SQLITE_BLOB))
				sqlite3_str_appendf(s, "%Q", v);
			else
				sqlite3_str_appendall(s, v);
		}
		sqlite3_str_appendchar(s, 1, '\n');
	}
	ck_assert_msg(rc == SQLITE_DONE, "%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	char *out = sqlite3_str_finish(s);
	char *copy = strdup(out ? out : "");
	sqlite3_free(out);
	ck_assert_ptr_nonnull(copy);
	return copy;
}

static char *vrows(const char *fmt, va_list ap)
{
	char *sql = sqlite3_vmprintf(fmt, ap);
	ck_assert_ptr_nonnull(sql);
	sqlite3 *db = open_db(db_path);
	char *out = rows_on(db, sql, false);
	sqlite3_close(db);
	sqlite3_free(sql);
	return out;
}

/* The rows of a query (sqlite3_mprintf format: %Q quotes), as rows_on. */
static char *rows(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *out = vrows(fmt, ap);
	va_end(ap);
	return out;
}

/* Asserts the rows of a query. */
static void expect_rows(const char *want, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *got = vrows(fmt, ap);
	va_end(ap);
	ck_assert_msg(!strcmp(got, want), "query rows differ\n--- expected:\n%s--- got:\n%s", want,
		      got);
	free(got);
}

/* The one integer a query gives. */
static int64_t q_int(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	ck_assert_ptr_nonnull(sql);
	sqlite3 *db = open_db(db_path);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "%s gave no row: %s", sql,
		      sqlite3_errmsg(db));
	ck_assert_msg(sqlite3_column_type(st, 0) == SQLITE_INTEGER, "%s: not an integer", sql);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	sqlite3_free(sql);
	return v;
}

/* How many rows of table mention doc path rel (links: either end). */
static int64_t rows_of_doc(const char *table, const char *rel)
{
	if (!strcmp(table, "links"))
		return q_int("SELECT count(*) FROM links WHERE source_path = %Q OR "
			     "target_path = %Q OR declared_in = %Q", rel, rel, rel);
	if (!strcmp(table, "documents"))
		return q_int("SELECT count(*) FROM documents WHERE path = %Q", rel);
	return q_int("SELECT count(*) FROM %s WHERE doc = %Q", table, rel);
}

/* How many sections the full-text index finds for a query. */
static int64_t search_count(const char *match)
{
	return q_int("SELECT count(*) FROM search WHERE search MATCH %Q", match);
}

/* Fails unless the full-text index agrees with the sections table. */
static void expect_fts_consistent(void)
{
	exec_sql(db_path, "INSERT INTO search (search, rank) VALUES ('integrity-check', 1)");
}

static void expect_no_table(const char *path, const char *name)
{
	sqlite3 *db = open_db(path);
	char *sql = sqlite3_mprintf("SELECT count(*) FROM sqlite_schema WHERE name = %Q", name);
	char *got = rows_on(db, sql, false);
	ck_assert_msg(!strcmp(got, "0\n"), "table %s is still there", name);
	free(got);
	sqlite3_free(sql);
	sqlite3_close(db);
}

/* One table: every column but rowid (and exclude, if given), every row,
 * sorted on all columns. */
static void dump_table(sqlite3 *db, sqlite3_str *out, const char *table, const char *exclude)
{
	char *sql = sqlite3_mprintf("SELECT group_concat(quote(name), ', ') FROM "
				    "(SELECT name FROM pragma_table_info(%Q) WHERE name IS NOT %Q "
				    "ORDER BY cid)", table, exclude);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	const char *cols = (const char *)sqlite3_column_text(st, 0);
	ck_assert_msg(cols != NULL, "no table %s", table);
	int ncols = 1;
	for (const char *p = cols; *p; p++)
		ncols += *p == ',';
	sqlite3_str *q = sqlite3_str_new(db);
	sqlite3_str_appendf(q, "SELECT %s FROM \"%w\" ORDER BY 1", cols, table);
	for (int i = 2; i <= ncols; i++)
		sqlite3_str_appendf(q, ", %d", i);
	sqlite3_finalize(st);
	sqlite3_free(sql);
	char *query = sqlite3_str_finish(q);
	char *body = rows_on(db, query, true);
	sqlite3_str_appendf(out, "== %s\n%s", table, body);
	free(body);
	sqlite3_free(query);
}

/* Every table of the index at path as text: what an incremental update
 * and a rebuild must agree on.  with_mtime keeps documents.mtime_ns (same
 * database, nothing touched); the full-text index is dumped as its
 * vocabulary (term, rows, occurrences), which does not depend on rowids. */
static char *dump_db(const char *path, bool with_mtime)
{
	static const char *const tables[] = {
		"meta", "documents", "fields", "refs", "links", "sections", "action_items",
		"timeline", "diagnostics", "users",
	};
	sqlite3 *db = open_db(path);
	sqlite3_str *out = sqlite3_str_new(db);
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		dump_table(db, out, tables[i], with_mtime ? NULL : "mtime_ns");
	exec_on(db, "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search, row)");
	char *vocab = rows_on(db, "SELECT term, doc, cnt FROM temp.vocab ORDER BY term", true);
	sqlite3_str_appendf(out, "== search vocabulary\n%s", vocab);
	free(vocab);
	char *ver = rows_on(db, "PRAGMA user_version", false);
	sqlite3_str_appendf(out, "== user_version %s", ver);
	free(ver);
	char *s = sqlite3_str_finish(out);
	char *copy = strdup(s);
	sqlite3_free(s);
	sqlite3_close(db);
	ck_assert_ptr_nonnull(copy);
	return copy;
}

/* Asserts two dumps are equal, naming the first line that differs. */
static void expect_same_dump(const char *a, const char *b, const char *what)
{
	if (!strcmp(a, b))
		return;
	size_t i = 0, line_start = 0;
	while (a[i] && a[i] == b[i]) {
		if (a[i] == '\n')
			line_start = i + 1;
		i++;
	}
	ck_abort_msg("%s: dumps differ from\n--- first:\n%.300s\n--- second:\n%.300s", what,
		     a + line_start, b + line_start);
}

/* ---- store: the rows of each table -------------------------------------- */

START_TEST(documents_rows)
{
	put_corpus();
	struct pm_index_stats st = update();
	EXPECT_STATS(st, 3, 0, 0, 3, 0, true);
	tu_assert_no_diags(&diags);
	expect_rows("adr-001.md|ADR-001|adr|Use pooled connections|accepted|NULL|2025-01-10|"
		    "NULL|NULL|NULL|NULL|NULL|1\n"
		    "inc-001.md|INC-001|inc|Connection limit exhausted|resolved|sev2|2025-01-20|"
		    "2025-01-20T14:32:00+02:00|2025-01-20T16:05:00+02:00|1737376320|1737381900|"
		    "93|1\n"
		    "opp-001.md|OPP-001|opp|Cache query results|proposed|NULL|2025-01-15|"
		    "NULL|NULL|NULL|NULL|NULL|1\n",
		    "SELECT path, id, type, title, status, severity, date, started_at, "
		    "resolved_at, started_epoch, resolved_epoch, duration_minutes, parsed "
		    "FROM documents ORDER BY path");
	ck_assert_int_eq(q_int("SELECT resolved_epoch - started_epoch FROM documents "
			       "WHERE id = 'INC-001'"), INC_RESOLVED - INC_STARTED);
	/* hash is xxh3-64 of the file's bytes; size and mtime are the stat's. */
	char want[17];
	snprintf(want, sizeof(want), "%016" PRIx64, (uint64_t)XXH3_64bits(inc_doc, strlen(inc_doc)));
	char *hash = rows("SELECT hash FROM documents WHERE path = 'inc-001.md'");
	ck_assert_msg(!strncmp(hash, want, 16) && !strcmp(hash + 16, "\n"),
		      "hash %s, expected %s", hash, want);
	free(hash);
	ck_assert_int_eq(q_int("SELECT size FROM documents WHERE path = 'inc-001.md'"),
			 (int64_t)strlen(inc_doc));
	ck_assert_int_eq(q_int("SELECT mtime_ns FROM documents WHERE path = 'inc-001.md'"),
			 (int64_t)1700000010 * 1000000000);
	/* body is what follows the frontmatter. */
	ck_assert_int_eq(q_int("SELECT body = %Q FROM documents WHERE path = 'inc-001.md'",
			       strstr(inc_doc, "---\n\nOpening") + 4), 1);
}
END_TEST

START_TEST(frontmatter_json_parses_back)
{
	put_corpus();
	update();
	char *text = rows("SELECT frontmatter FROM documents WHERE path = 'inc-001.md'");
	json_error_t jerr;
	json_t *fm = json_loads(text, JSON_DECODE_ANY, &jerr);
	ck_assert_msg(fm != NULL, "frontmatter is not JSON (%s): %s", jerr.text, text);
	ck_assert(json_is_object(fm));
	ck_assert_str_eq(json_string_value(json_object_get(fm, "title")),
			 "Connection limit exhausted");
	ck_assert_str_eq(json_string_value(json_object_get(fm, "commander")), "@alice");
	ck_assert_str_eq(json_string_value(json_object_get(fm, "caused_by")), "ADR-001");
	ck_assert_int_eq(json_integer_value(json_object_get(fm, "duration_minutes")), 93);
	json_t *sys = json_object_get(fm, "affected_systems");
	ck_assert(json_is_array(sys));
	ck_assert_uint_eq(json_array_size(sys), 2);
	ck_assert_str_eq(json_string_value(json_array_get(sys, 1)), "billing");
	ck_assert_uint_eq(json_object_size(fm), 11);
	json_decref(fm);
	free(text);
}
END_TEST

START_TEST(fields_rows)
{
	put_corpus();
	update();
	expect_rows("type|NULL|inc|string|2|7\n"
		    "title|NULL|Connection limit exhausted|string|3|8\n"
		    "status|NULL|resolved|string|4|9\n"
		    "severity|NULL|sev2|string|5|11\n"
		    "commander|NULL|@alice|string|6|12\n"
		    "started_at|NULL|2025-01-20T14:32:00+02:00|string|7|13\n"
		    "resolved_at|NULL|2025-01-20T16:05:00+02:00|string|8|14\n"
		    "duration_minutes|NULL|93|integer|9|19\n"
		    "affected_systems|0|api-gateway|string|10|20\n"
		    "affected_systems|1|billing|string|10|33\n"
		    "customer_impact|NULL|degraded|string|11|18\n"
		    "caused_by|NULL|ADR-001|string|12|12\n",
		    "SELECT key, item, value, type, line, col FROM fields "
		    "WHERE doc = 'inc-001.md' ORDER BY line, col");
	/* A one-item flow list is a list item, not a scalar. */
	expect_rows("related|0|INC-001\n",
		    "SELECT key, item, value FROM fields WHERE doc = 'opp-001.md' AND "
		    "key = 'related'");
}
END_TEST

START_TEST(refs_rows)
{
	put_corpus();
	/* A path ref from a subfolder resolves from that folder. */
	put_derived("sub/opp-002.md", opp_doc, "./adr-001.md", "../adr-001.md",
		    "related: [INC-001]\n", "", (const char *)NULL);
	update();
	expect_rows("inc-001.md|caused_by|ADR-001|NULL|12|12\n"
		    "opp-001.md|enabled_by|./adr-001.md|adr-001.md|7|13\n"
		    "opp-001.md|related|INC-001|NULL|8|11\n"
		    "sub/opp-002.md|enabled_by|../adr-001.md|adr-001.md|7|13\n",
		    "SELECT doc, key, ref, target_path, line, col FROM refs ORDER BY doc, line");
	expect_rows("OPP-002|enabled_by|ADR-001|adr-001.md|1\n"
		    "ADR-001|enables|OPP-002|sub/opp-002.md|0\n",
		    "SELECT source, relation, target, target_path, declared FROM links "
		    "WHERE source_path = 'sub/opp-002.md' OR target_path = 'sub/opp-002.md' "
		    "ORDER BY declared DESC");
}
END_TEST

/* A section's own text runs from the line after its heading to the next
 * heading of any level; end_line is its last line, which may or may not
 * count the blank lines before the next heading (so a range is checked:
 * from the last line with text to the line before the next heading). */
static const struct {
	const char *doc;
	unsigned line, last_text, next_heading;
} section_spans[] = {
	{ "adr-001.md", 3, 8, 9 },	/* level 0 (at the title): only a blank line */
	{ "adr-001.md", 9, 11, 13 },
	{ "adr-001.md", 13, 15, 17 },
	{ "adr-001.md", 17, 19, 20 },
	{ "inc-001.md", 3, 15, 17 },
	{ "inc-001.md", 17, 19, 21 },
	{ "inc-001.md", 21, 23, 25 },
	{ "inc-001.md", 25, 32, 34 },
	{ "inc-001.md", 34, 36, 38 },
	{ "inc-001.md", 38, 40, 42 },
	{ "inc-001.md", 42, 47, 48 },
};

START_TEST(sections_rows)
{
	put_corpus();
	update();
	expect_rows("Use pooled connections|||0|3|\n"
		    "NULL|Decision|Decision|1|9|Pool connections.\n"
		    "NULL|Consequences|Consequences|1|13|Mixed.\n"
		    "NULL|Positive|Consequences > Positive|2|17|Fewer connections.\n",
		    "SELECT title, heading, path, level, line, trim(text, char(10)) "
		    "FROM sections WHERE doc = 'adr-001.md' ORDER BY line");
	expect_rows("Connection limit exhausted|0|3|Opening words before any heading.\n"
		    "NULL|1|17|Summary\n"
		    "NULL|1|21|Impact\n"
		    "NULL|1|25|Timeline\n"
		    "NULL|1|34|Root Cause\n"
		    "NULL|1|38|Resolution\n"
		    "NULL|1|42|Action Items\n",
		    "SELECT title, level, line, CASE level WHEN 0 THEN trim(text, char(10)) "
		    "ELSE path END FROM sections WHERE doc = 'inc-001.md' ORDER BY line");
	for (size_t i = 0; i < sizeof(section_spans) / sizeof(section_spans[0]); i++) {
		int64_t end = q_int("SELECT end_line FROM sections WHERE doc = %Q AND line = %u",
				    section_spans[i].doc, section_spans[i].line);
		ck_assert_msg(end >= section_spans[i].last_text &&
			      end < section_spans[i].next_heading,
			      "%s: section at line %u ends at %" PRId64 ", not in [%u, %u]",
			      section_spans[i].doc, section_spans[i].line, end,
			      section_spans[i].last_text, section_spans[i].next_heading - 1);
	}
	/* A section's text is its own lines, tables included, and not its
	 * subsections'. */
	expect_rows("\n| Action | Owner | Due | Status |\n|--------|-------|-----|--------|\n"
		    "| Add a leak check | @alice | 2025-03-10 | pending |\n"
		    "| Alert on pool size | @karol | 2025-03-20 | done |\n\n",
		    "SELECT rtrim(text, char(10)) || char(10) FROM sections "
		    "WHERE doc = 'inc-001.md' AND heading = 'Action Items'");
	ck_assert_int_eq(q_int("SELECT count(*) FROM sections WHERE instr(text, 'Fewer') > 0"), 1);
	ck_assert_int_eq(q_int("SELECT count(*) FROM sections WHERE instr(text, '#') > 0"), 0);
}
END_TEST

START_TEST(action_items_rows)
{
	put_corpus();
	update();
	expect_rows("inc-001.md|1|Add a leak check|@alice|2025-03-10|pending|46\n"
		    "inc-001.md|2|Alert on pool size|@karol|2025-03-20|done|47\n",
		    "SELECT doc, row, action, owner, due, status, line FROM action_items "
		    "ORDER BY doc, row");
}
END_TEST

START_TEST(timeline_rows_in_utc)
{
	put_corpus();
	/* Started 23:30 at +02:00: 00:10 is the next local day, still the
	 * 20th in UTC; a full datetime row is taken as written. */
	put_derived("inc-002.md", inc_doc,
		    "\"2025-01-20T14:32:00+02:00\"", "\"2025-01-20T23:30:00+02:00\"",
		    "\"2025-01-20T16:05:00+02:00\"", "\"2025-01-21T00:50:00+02:00\"",
		    "duration_minutes: 93", "duration_minutes: 80",
		    "caused_by: ADR-001\n", "",
		    "| 14:32 |", "| 23:40 |", "| 14:50 |", "| 00:10 |",
		    "| 15:10 |", "| 2025-01-21T00:45:00+02:00 |", "| 16:05 |", "| 00:50 |",
		    (const char *)NULL);
	update();
	expect_rows("1|14:32|2025-01-20T12:32:00Z|1737376320|Alert fired|@alice|29\n"
		    "2|14:50|2025-01-20T12:50:00Z|1737377400|Cause found|NULL|30\n"
		    "3|15:10|2025-01-20T13:10:00Z|1737378600|Fix deployed|@karol|31\n"
		    "4|16:05|2025-01-20T14:05:00Z|1737381900|Resolved|NULL|32\n",
		    "SELECT row, time, at, at_epoch, event, actor, line FROM timeline "
		    "WHERE doc = 'inc-001.md' ORDER BY row");
	expect_rows("1|23:40|2025-01-20T21:40:00Z\n"
		    "2|00:10|2025-01-20T22:10:00Z\n"
		    "3|2025-01-21T00:45:00+02:00|2025-01-20T22:45:00Z\n"
		    "4|00:50|2025-01-20T22:50:00Z\n",
		    "SELECT row, time, at FROM timeline WHERE doc = 'inc-002.md' ORDER BY row");
	ck_assert_int_eq(q_int("SELECT count(*) FROM timeline WHERE at_epoch <> "
			       "CAST(strftime('%%s', at) AS INTEGER)"), 0);
	expect_rows("2025-01-20|80\n",
		    "SELECT date, duration_minutes FROM documents WHERE path = 'inc-002.md'");
	ck_assert_int_eq(q_int("SELECT count(*) FROM diagnostics"), 0);
}
END_TEST

START_TEST(diagnostics_rows)
{
	put_corpus();
	put_derived("opp-002.md", opp_doc, "status: proposed", "status: bogus",
		    (const char *)NULL);
	update();
	expect_rows("opp-002.md|4|9|error|PM303|document\n",
		    "SELECT doc, line, col, severity, code, scope FROM diagnostics");
	char *msg = rows("SELECT message FROM diagnostics");
	ck_assert_msg(strstr(msg, "bogus") != NULL, "message '%s' does not name the value", msg);
	free(msg);
}
END_TEST

START_TEST(overdue_is_not_stored)
{
	/* An open item due 2025-03-10 is overdue for lint on 2030-01-01 ... */
	put_corpus();
	struct pm_doc *d = tu_parse("inc-001.md", inc_doc);
	struct pm_diags found;
	pm_diags_init(&found, &arena);
	struct pm_lint_ctx ctx = {
		.schema = schema, .users = users, .today = pm_days_from_civil(2030, 1, 1),
		.root = root,
	};
	ck_assert_int_eq(pm_validate_doc(d, &ctx, &found), 0);
	pm_doc_free(d);
	ck_assert_uint_eq(tu_count_diag(&found, PM_C_OVERDUE), 1);
	/* ... but the index leaves date-dependent findings to its queries. */
	update();
	ck_assert_int_eq(q_int("SELECT count(*) FROM diagnostics"), 0);
	ck_assert_int_eq(q_int("SELECT count(*) FROM action_items WHERE status = 'pending'"), 1);
}
END_TEST

START_TEST(users_rows)
{
	put_corpus();
	update();
	expect_rows("alice|user\nkarol|user\nplatform|team\n",
		    "SELECT handle, kind FROM users ORDER BY handle");
}
END_TEST

START_TEST(search_finds_sections)
{
	put_corpus();
	update();
	expect_fts_consistent();
	expect_rows("inc-001.md|Root Cause|1\n",
		    "SELECT s.doc, s.heading, s.rowid = search.rowid FROM search "
		    "JOIN sections s ON s.rowid = search.rowid WHERE search MATCH 'zombie'");
	/* Porter stemming: "memoizing" finds "memoize". */
	expect_rows("opp-001.md|Problem\n",
		    "SELECT s.doc, s.path FROM search JOIN sections s ON s.rowid = search.rowid "
		    "WHERE search MATCH 'memoizing'");
	/* A title word finds the document's level-0 row only. */
	expect_rows("inc-001.md|0\n",
		    "SELECT s.doc, s.level FROM search JOIN sections s ON s.rowid = search.rowid "
		    "WHERE search MATCH 'title:exhausted'");
	expect_rows("adr-001.md|Consequences > Positive\n",
		    "SELECT s.doc, s.path FROM search JOIN sections s ON s.rowid = search.rowid "
		    "WHERE search MATCH 'heading:positive'");
	ck_assert_int_eq(search_count("nonexistentword"), 0);
	/* schema/index.sql's merge settings, which a rebuild's speed
	 * depends on, are the index's own; crisismerge, which keeps an
	 * update after a rebuild from merging whole levels, too. */
	expect_rows("automerge|16\ncrisismerge|64\nhashsize|2097152\n",
		    "SELECT k, v FROM search_config WHERE k IN ('automerge', 'crisismerge', "
		    "'hashsize') ORDER BY k");
}
END_TEST

/* ---- links ---------------------------------------------------------------- */

START_TEST(links_derive_inverses)
{
	put_corpus();
	update();
	expect_rows("ADR-001|adr-001.md|enables|OPP-001|opp-001.md|0|opp-001.md|7|13\n"
		    "ADR-001|adr-001.md|triggers|INC-001|inc-001.md|0|inc-001.md|12|12\n"
		    "INC-001|inc-001.md|caused_by|ADR-001|adr-001.md|1|inc-001.md|12|12\n"
		    "INC-001|inc-001.md|related|OPP-001|opp-001.md|0|opp-001.md|8|11\n"
		    "OPP-001|opp-001.md|enabled_by|ADR-001|adr-001.md|1|opp-001.md|7|13\n"
		    "OPP-001|opp-001.md|related|INC-001|inc-001.md|1|opp-001.md|8|11\n",
		    "SELECT source, source_path, relation, target, target_path, declared, "
		    "declared_in, line, col FROM links ORDER BY source, relation");
	ck_assert_int_eq(q_int("SELECT count(*) FROM diagnostics"), 0);
}
END_TEST

START_TEST(links_declared_on_both_sides)
{
	put_corpus();
	put_derived("adr-001.md", adr_doc, ADR_LAST, ADR_LAST "triggers: [INC-001]\n",
		    (const char *)NULL);
	put_derived("inc-001.md", inc_doc, "caused_by: ADR-001\n",
		    "caused_by: ADR-001\nrelated: [OPP-001]\n", (const char *)NULL);
	update();
	expect_rows("ADR-001|triggers|INC-001|1\n"
		    "INC-001|caused_by|ADR-001|1\n"
		    "INC-001|related|OPP-001|1\n"
		    "OPP-001|enabled_by|ADR-001|1\n"
		    "OPP-001|related|INC-001|1\n"
		    "ADR-001|enables|OPP-001|0\n",
		    "SELECT source, relation, target, declared FROM links "
		    "ORDER BY declared DESC, source, relation");
}
END_TEST

START_TEST(unresolved_ref)
{
	put_derived("inc-001.md", inc_doc, "caused_by: ADR-001", "caused_by: ADR-009",
		    (const char *)NULL);
	put("adr-001.md", adr_doc);
	update();
	expect_rows("INC-001|inc-001.md|caused_by|ADR-009|NULL|1\n",
		    "SELECT source, source_path, relation, target, target_path, declared "
		    "FROM links");
	expect_rows("inc-001.md|12|12|error|PM401|corpus\n",
		    "SELECT doc, line, col, severity, code, scope FROM diagnostics");
	char *msg = rows("SELECT message FROM diagnostics");
	ck_assert_msg(strstr(msg, "ADR-009") != NULL, "PM401 message '%s' lacks the ref", msg);
	free(msg);
}
END_TEST

START_TEST(path_ref_to_missing_file)
{
	put_derived("opp-001.md", opp_doc, "./adr-001.md", "./adr-404.md",
		    "related: [INC-001]\n", "", (const char *)NULL);
	put("adr-001.md", adr_doc);
	update();
	expect_rows("opp-001.md|./adr-404.md|adr-404.md\n",
		    "SELECT doc, ref, target_path FROM refs");
	expect_rows("OPP-001|enabled_by|./adr-404.md|NULL|1\n",
		    "SELECT source, relation, target, target_path, declared FROM links");
	expect_rows("opp-001.md|7|13|PM401|corpus\n",
		    "SELECT doc, line, col, code, scope FROM diagnostics");
}
END_TEST

START_TEST(duplicate_ids)
{
	put_corpus();
	put("archive/adr-001.md", adr_doc);
	update();
	expect_rows("archive/adr-001.md|1|1|error|PM203|corpus\n",
		    "SELECT doc, line, col, severity, code, scope FROM diagnostics");
	char *msg = rows("SELECT message FROM diagnostics");
	ck_assert_msg(strstr(msg, "ADR-001") && strstr(msg, "adr-001.md"),
		      "PM203 message '%s' names neither the ID nor the other file", msg);
	free(msg);
	/* A ref by ID goes to the first path holding it. */
	expect_rows("adr-001.md\n",
		    "SELECT target_path FROM links WHERE source = 'INC-001' AND "
		    "relation = 'caused_by'");
}
END_TEST

/* ---- incremental updates ------------------------------------------------ */

START_TEST(second_run_changes_nothing)
{
	put_corpus();
	update();
	char *before = dump_db(db_path, true);
	struct pm_index_stats st = update();
	EXPECT_STATS(st, 3, 3, 0, 0, 0, false);
	char *after = dump_db(db_path, true);
	expect_same_dump(before, after, "a second run");
	free(before);
	free(after);
}
END_TEST

START_TEST(touch_refreshes_stat_only)
{
	put_corpus();
	update();
	char *before = dump_db(db_path, false);
	touch("adr-001.md");
	struct pm_index_stats st = update();
	EXPECT_STATS(st, 3, 2, 1, 0, 0, false);
	ck_assert_int_eq(q_int("SELECT mtime_ns FROM documents WHERE path = 'adr-001.md'"),
			 (int64_t)fake_now * 1000000000);
	char *after = dump_db(db_path, false);
	expect_same_dump(before, after, "a touch");
	/* The new stat is remembered: the next run does not read the file. */
	st = update();
	EXPECT_STATS(st, 3, 3, 0, 0, 0, false);
	free(before);
	free(after);
}
END_TEST

START_TEST(content_change_rewrites_rows)
{
	put_corpus();
	update();
	ck_assert_int_eq(search_count("zombie"), 1);
	put_derived("inc-001.md", inc_doc,
		    "title: Connection limit exhausted", "title: Connection limit reached",
		    "A zombie connection.", "A stale connection.",
		    "| Alert on pool size | @karol | 2025-03-20 | done |\n", "",
		    (const char *)NULL);
	struct pm_index_stats st = update();
	EXPECT_STATS(st, 3, 2, 0, 1, 0, false);
	expect_rows("Connection limit reached\n",
		    "SELECT title FROM documents WHERE path = 'inc-001.md'");
	expect_rows("title|Connection limit reached\n",
		    "SELECT key, value FROM fields WHERE doc = 'inc-001.md' AND key = 'title'");
	expect_rows("1|Add a leak check\n",
		    "SELECT row, action FROM action_items WHERE doc = 'inc-001.md'");
	ck_assert_int_eq(rows_of_doc("fields", "inc-001.md"), 12);
	ck_assert_int_eq(rows_of_doc("sections", "inc-001.md"), 7);
	ck_assert_int_eq(rows_of_doc("timeline", "inc-001.md"), 4);
	ck_assert_int_eq(search_count("zombie"), 0);
	ck_assert_int_eq(search_count("stale"), 1);
	ck_assert_int_eq(search_count("title:exhausted"), 0);
	ck_assert_int_eq(search_count("title:reached"), 1);
	expect_fts_consistent();
	/* Links were rebuilt, not duplicated. */
	ck_assert_int_eq(q_int("SELECT count(*) FROM links"), 6);
}
END_TEST

START_TEST(same_size_change_is_seen)
{
	put_corpus();
	update();
	/* Same length, new bytes, new mtime. */
	put_derived("adr-001.md", adr_doc, "Mixed.", "Mixes.", (const char *)NULL);
	struct pm_index_stats st = update();
	EXPECT_STATS(st, 3, 2, 0, 1, 0, false);
	ck_assert_int_eq(search_count("mixes"), 1);
	expect_fts_consistent();
}
END_TEST

static const char *const doc_tables[] = {
	"documents", "fields", "refs", "links", "sections", "action_items", "timeline",
	"diagnostics",
};

START_TEST(deleted_file_loses_every_row)
{
	put_corpus();
	put_derived("inc-002.md", inc_doc, "caused_by: ADR-001", "caused_by: ADR-009",
		    "A zombie connection.", "A phantom connection.", (const char *)NULL);
	update();
	ck_assert_int_eq(search_count("phantom"), 1);
	for (size_t i = 0; i < sizeof(doc_tables) / sizeof(doc_tables[0]); i++)
		ck_assert_msg(rows_of_doc(doc_tables[i], "inc-002.md") > 0,
			      "test bug: inc-002.md has no %s rows", doc_tables[i]);
	rm("inc-002.md");
	struct pm_index_stats st = update();
	EXPECT_STATS(st, 3, 3, 0, 0, 1, false);
	for (size_t i = 0; i < sizeof(doc_tables) / sizeof(doc_tables[0]); i++)
		ck_assert_msg(rows_of_doc(doc_tables[i], "inc-002.md") == 0,
			      "inc-002.md still has %s rows", doc_tables[i]);
	ck_assert_int_eq(search_count("phantom"), 0);
	ck_assert_int_eq(search_count("zombie"), 1);
	expect_fts_consistent();
	/* Deleting a link's target makes the ref unresolved. */
	rm("opp-001.md");
	st = update();
	EXPECT_STATS(st, 2, 2, 0, 0, 1, false);
	ck_assert_int_eq(search_count("memoize"), 0);
	expect_rows("ADR-001|triggers|INC-001|0\nINC-001|caused_by|ADR-001|1\n",
		    "SELECT source, relation, target, declared FROM links ORDER BY source");
	expect_fts_consistent();
}
END_TEST

START_TEST(new_file_resolves_old_ref)
{
	put_derived("inc-001.md", inc_doc, "caused_by: ADR-001", "caused_by: ADR-002",
		    (const char *)NULL);
	put("adr-001.md", adr_doc);
	update();
	ck_assert_int_eq(q_int("SELECT count(*) FROM diagnostics WHERE code = 'PM401'"), 1);
	put_derived("adr-002.md", adr_doc, "title: Use pooled connections",
		    "title: Cap the pool", (const char *)NULL);
	struct pm_index_stats st = update();
	/* inc-001.md was not read again, yet its ref now resolves. */
	EXPECT_STATS(st, 3, 2, 0, 1, 0, false);
	ck_assert_int_eq(q_int("SELECT count(*) FROM diagnostics"), 0);
	expect_rows("ADR-002|adr-002.md|triggers|INC-001|inc-001.md|0\n"
		    "INC-001|inc-001.md|caused_by|ADR-002|adr-002.md|1\n",
		    "SELECT source, source_path, relation, target, target_path, declared "
		    "FROM links ORDER BY source");
}
END_TEST

START_TEST(document_that_stops_being_one)
{
	/* notes.md is a document while it opens with frontmatter; without it
	 * (and with no ID for a name) it is not, and its rows must go. */
	put_corpus();
	put_derived("notes.md", adr_doc, ADR_LAST, ADR_LAST "related: [INC-001]\n",
		    (const char *)NULL);
	update();
	ck_assert_int_eq(rows_of_doc("links", "notes.md"), 2);
	put("notes.md", "# Notes\n\nJust notes.\n");
	struct pm_index_stats st = update();
	EXPECT_STATS(st, 4, 3, 0, 0, 1, false);
	/* The links of the base corpus, none of notes.md's. */
	ck_assert_int_eq(q_int("SELECT count(*) FROM links"), 6);
	for (size_t i = 0; i < sizeof(doc_tables) / sizeof(doc_tables[0]); i++)
		ck_assert_msg(rows_of_doc(doc_tables[i], "notes.md") == 0,
			      "notes.md still has %s rows", doc_tables[i]);
	expect_fts_consistent();
}
END_TEST

/* Rebuilds the same tree into another file and compares every table. */
static void expect_rebuild_equal(const char *what)
{
	char *inc = dump_db(db_path, false);
	struct pm_index_opts o;
	default_opts(&o);
	char *other = tu_path(base, "rebuilt.db");
	o.db_path = other;
	o.rebuild = true;
	struct pm_index_stats st = update_with(&o);
	ck_assert(st.rebuilt);
	char *reb = dump_db(other, false);
	expect_same_dump(inc, reb, what);
	unlink(other);
	free(other);
	free(reb);
	free(inc);
}

START_TEST(incremental_equals_rebuild)
{
	put_corpus();
	put("gov-001.md", gov_doc);
	update();
	expect_rebuild_equal("after the first run");
	/* Edit: new title, a relation to a missing doc, an item gone. */
	put_derived("inc-001.md", inc_doc, "title: Connection limit exhausted",
		    "title: Pool exhausted", "caused_by: ADR-001",
		    "caused_by: [ADR-001, ADR-003]",
		    "| Alert on pool size | @karol | 2025-03-20 | done |\n", "",
		    (const char *)NULL);
	update();
	expect_rebuild_equal("after an edit");
	/* Delete a linked document; add the missing one; add a duplicate ID
	 * and a broken document; touch another. */
	rm("opp-001.md");
	put_derived("adr-003.md", adr_doc, ADR_LAST, ADR_LAST "supersedes: ADR-001\n",
		    "status: accepted", "status: accepted", (const char *)NULL);
	put("old/gov-001.md", gov_doc);
	put_derived("opp-002.md", opp_doc, "status: proposed", "status: bogus",
		    (const char *)NULL);
	touch("adr-001.md");
	update();
	expect_rebuild_equal("after deletes and adds");
	/* A document that stops being one, and the duplicate removed. */
	put_derived("notes.md", adr_doc, ADR_LAST, ADR_LAST "related: [INC-001]\n",
		    (const char *)NULL);
	update();
	put("notes.md", "# Notes\n\nJust notes.\n");
	rm("old/gov-001.md");
	put_derived("adr-001.md", adr_doc, "Mixed.", "Mixed, mostly good.",
		    (const char *)NULL);
	update();
	expect_rebuild_equal("after the last edits");
	/* A rebuild in place gives the same rows as well. */
	char *before = dump_db(db_path, false);
	struct pm_index_opts o;
	default_opts(&o);
	o.rebuild = true;
	struct pm_index_stats st = update_with(&o);
	EXPECT_STATS(st, 6, 0, 0, 5, 0, true);
	char *after = dump_db(db_path, false);
	expect_same_dump(before, after, "rebuild in place");
	expect_fts_consistent();
	free(before);
	free(after);
}
END_TEST

/* ---- index versions and settings ---------------------------------------- */

/* The rowids of a document's rows in table, in rowid order. */
static char *rowids(const char *table, const char *doc)
{
	return rows("SELECT group_concat(rowid) FROM (SELECT rowid FROM %s WHERE doc = '%s' "
		    "ORDER BY rowid)", table, doc);
}

/* An edit inside one line keeps every other row where it was: the rows
 * are rewritten as a difference (rowdiff.h), not deleted and inserted. */
START_TEST(small_edit_keeps_other_rows)
{
	put_corpus();
	update();
	static const char *const tables[] = { "fields", "refs", "timeline", "action_items" };
	char *before[4];
	for (int i = 0; i < 4; i++)
		before[i] = rowids(tables[i], "inc-001.md");
	char *sec_before = rows("SELECT group_concat(rowid || ':' || heading) FROM sections "
				"WHERE doc = 'inc-001.md' AND heading != 'Root Cause'");
	put_derived("inc-001.md", inc_doc, "A zombie connection.", "A stale connection.",
		    (const char *)NULL);
	struct pm_index_stats st = update();
	EXPECT_STATS(st, 3, 2, 0, 1, 0, false);
	for (int i = 0; i < 4; i++) {
		char *after = rowids(tables[i], "inc-001.md");
		ck_assert_msg(!strcmp(before[i], after), "%s rows moved: %s -> %s", tables[i],
			      before[i], after);
		free(after);
		free(before[i]);
	}
	char *sec_after = rows("SELECT group_concat(rowid || ':' || heading) FROM sections "
			       "WHERE doc = 'inc-001.md' AND heading != 'Root Cause'");
	ck_assert_str_eq(sec_before, sec_after);
	free(sec_before);
	free(sec_after);
	ck_assert_int_eq(rows_of_doc("sections", "inc-001.md"), 7);
	ck_assert_int_eq(search_count("zombie"), 0);
	ck_assert_int_eq(search_count("stale"), 1);
	expect_fts_consistent();
	/* A changed cell: that item alone gets a new row. */
	int64_t kept = q_int("SELECT rowid FROM action_items WHERE doc = 'inc-001.md' AND row = 2");
	put_derived("inc-001.md", inc_doc, "A zombie connection.", "A stale connection.",
		    "| 2025-03-10 | pending |", "| 2025-03-10 | done |", (const char *)NULL);
	st = update();
	EXPECT_STATS(st, 3, 2, 0, 1, 0, false);
	ck_assert_int_eq(q_int("SELECT rowid FROM action_items WHERE doc = 'inc-001.md' AND row = 2"),
			 kept);
	expect_rows("done\n", "SELECT status FROM action_items WHERE doc = 'inc-001.md' AND row = 1");
	ck_assert_int_eq(rows_of_doc("action_items", "inc-001.md"), 2);
	ck_assert_int_eq(q_int("SELECT count(*) FROM action_items WHERE open"), 0);
	expect_fts_consistent();
	expect_rebuild_equal("after edits written as differences");
}
END_TEST

/* links and the corpus findings are worked out again only when what they
 * come from changed: a new ID (refs unchanged) must still relink. */
START_TEST(new_id_relinks)
{
	put_corpus();
	update();
	ck_assert_int_eq(q_int("SELECT count(*) FROM diagnostics WHERE scope = 'corpus'"), 0);
	int64_t links = q_int("SELECT count(*) FROM links WHERE target_path = 'adr-001.md'");
	ck_assert_int_gt(links, 0);
	/* A body edit: nothing to relink, and nothing changes. */
	char *before = rows("SELECT group_concat(rowid) FROM links");
	put_derived("adr-001.md", adr_doc, "Pool connections.", "Pool every connection.",
		    (const char *)NULL);
	update();
	char *after = rows("SELECT group_concat(rowid) FROM links");
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	expect_rebuild_equal("after a body edit");
	/* The same file under another ID: INC-001's caused_by ADR-001 no
	 * longer resolves. */
	put_derived("adr-001.md", adr_doc, "type: adr\n", "type: adr\nid: ADR-009\n",
		    (const char *)NULL);
	update();
	ck_assert_int_eq(q_int("SELECT count(*) FROM links WHERE target_path = 'adr-001.md' "
			       "AND target = 'ADR-001'"), 0);
	ck_assert_int_gt(q_int("SELECT count(*) FROM diagnostics WHERE scope = 'corpus' "
			       "AND code = 'PM401'"), 0);
	expect_rebuild_equal("after an ID change");
}
END_TEST

/* Rows equal in every value are counted, not merged: two identical
 * findings stay two, and one of them going leaves one. */
START_TEST(equal_rows_are_counted)
{
	put_corpus();
	update();
	/* A duplicate timeline row: same cells, different line, so not equal;
	 * a duplicated field value in a list is equal but for its item. */
	put_derived("inc-001.md", inc_doc, "affected_systems: [api-gateway, billing]",
		    "affected_systems: [billing, billing, billing]", (const char *)NULL);
	update();
	ck_assert_int_eq(q_int("SELECT count(*) FROM fields WHERE doc = 'inc-001.md' AND "
			       "key = 'affected_systems'"), 3);
	put_derived("inc-001.md", inc_doc, "affected_systems: [api-gateway, billing]",
		    "affected_systems: [billing, billing]", (const char *)NULL);
	update();
	ck_assert_int_eq(q_int("SELECT count(*) FROM fields WHERE doc = 'inc-001.md' AND "
			       "key = 'affected_systems'"), 2);
	expect_rebuild_equal("after lists with equal values");
}
END_TEST

START_TEST(newer_index_is_refused)
{
	put_corpus();
	char sql[128];
	snprintf(sql, sizeof(sql), "CREATE TABLE marker (x); INSERT INTO marker VALUES (42); "
		 "PRAGMA user_version = %d", PM_INDEX_VERSION + 1);
	exec_sql(db_path, sql);
	struct pm_index_opts o;
	default_opts(&o);
	struct pm_index_stats st;
	struct pm_error err = { 0 };
	int rc = pm_index_update(&o, &st, &diags, &err);
	ck_assert_int_eq(rc, PM_ERR_INVALID);
	ck_assert_msg(strstr(err.msg, "newer") != NULL, "message '%s' does not say newer",
		      err.msg);
	ck_assert_int_eq(q_int("PRAGMA user_version"), PM_INDEX_VERSION + 1);
	ck_assert_int_eq(q_int("SELECT x FROM marker"), 42);
	expect_no_table(db_path, "documents");
	/* Nor does the read-only opener take it. */
	sqlite3 *db = (sqlite3 *)&rc;
	rc = pm_index_open_readonly(&db, db_path, &err);
	ck_assert_int_eq(rc, PM_ERR_INVALID);
	ck_assert_ptr_null(db);
}
END_TEST

START_TEST(foreign_database_is_rebuilt)
{
	put_corpus();
	exec_sql(db_path, "CREATE TABLE foreign_stuff (a, b); "
		 "INSERT INTO foreign_stuff VALUES (1, 2); "
		 "CREATE INDEX foreign_idx ON foreign_stuff (b); "
		 "CREATE VIEW foreign_view AS SELECT a FROM foreign_stuff; "
		 "CREATE VIRTUAL TABLE foreign_fts USING fts5 (body); "
		 "CREATE TABLE documents (whatever)");
	/* Only a file at pmtool's own path may be made over. */
	struct pm_index_opts o;
	default_opts(&o);
	o.own_path = true;
	struct pm_index_stats st = update_with(&o);
	EXPECT_STATS(st, 3, 0, 0, 3, 0, true);
	ck_assert_int_eq(q_int("PRAGMA user_version"), PM_INDEX_VERSION);
	expect_no_table(db_path, "foreign_stuff");
	expect_no_table(db_path, "foreign_view");
	expect_no_table(db_path, "foreign_fts");
	expect_no_table(db_path, "foreign_fts_data");
	ck_assert_int_eq(q_int("SELECT count(*) FROM documents"), 3);
	ck_assert_int_eq(q_int("SELECT count(*) FROM links"), 6);
	expect_fts_consistent();
}
END_TEST

START_TEST(not_a_database_is_replaced)
{
	put_corpus();
	tu_write_file(db_path, "this is not an SQLite database, just some text that is "
		      "long enough to look like a header of something else entirely\n");
	struct pm_index_opts o;
	default_opts(&o);
	o.own_path = true;
	struct pm_index_stats st = update_with(&o);
	EXPECT_STATS(st, 3, 0, 0, 3, 0, true);
	ck_assert_int_eq(q_int("SELECT count(*) FROM documents"), 3);
	ck_assert_int_eq(q_int("PRAGMA user_version"), PM_INDEX_VERSION);
}
END_TEST

START_TEST(schema_change_forces_rebuild)
{
	put_corpus();
	update();
	struct pm_index_stats st = update();
	ck_assert(!st.rebuilt);
	/* The default inc.yaml with one optional field more. */
	char *inc_path = tu_path(schema_dir(), "inc.yaml");
	char *inc_yaml = tu_read_file(inc_path, NULL);
	ck_assert_msg(inc_yaml != NULL, "cannot read %s", inc_path);
	extra_dir = tu_make_temp_dir();
	char *out = tu_path(extra_dir, "inc.yaml");
	const char *tags = "  tags:";
	char *at = strstr(inc_yaml, tags);
	ck_assert_msg(at != NULL, "test bug: no tags field in inc.yaml");
	size_t head = (size_t)(at - inc_yaml);
	FILE *f = fopen(out, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%.*s  ticket: { type: string }\n%s", (int)head, inc_yaml, at);
	ck_assert_int_eq(fclose(f), 0);
	uint64_t old_fp = schema->fingerprint;
	load_schema();
	ck_assert(schema->fingerprint != old_fp);
	ck_assert_ptr_nonnull(pm_type_field(pm_schema_type(schema, "inc"), "ticket"));
	st = update();
	EXPECT_STATS(st, 3, 0, 0, 3, 0, true);
	ck_assert_int_eq(q_int("SELECT count(*) FROM documents"), 3);
	st = update();
	EXPECT_STATS(st, 3, 3, 0, 0, 0, false);
	free(out);
	free(inc_yaml);
	free(inc_path);
}
END_TEST

START_TEST(users_change_forces_rebuild)
{
	put_corpus();
	update();
	load_users("users:\n  alice: { name: Alice }\n  karol: { name: Karol }\n"
		   "  zoe: { name: Zoe }\n");
	struct pm_index_stats st = update();
	EXPECT_STATS(st, 3, 0, 0, 3, 0, true);
	expect_rows("alice|user\nkarol|user\nzoe|user\n",
		    "SELECT handle, kind FROM users ORDER BY handle");
	/* Without a users file, no users rows. */
	struct pm_index_opts o;
	default_opts(&o);
	o.users = NULL;
	st = update_with(&o);
	ck_assert(st.rebuilt);
	ck_assert_int_eq(q_int("SELECT count(*) FROM users"), 0);
}
END_TEST

START_TEST(missing_db_folder_fails)
{
	put_corpus();
	struct pm_index_opts o;
	default_opts(&o);
	char *path = tu_path(base, "no/such/folder/index.db");
	o.db_path = path;
	struct pm_index_stats st;
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_index_update(&o, &st, &diags, &err), PM_ERR_IO);
	ck_assert_msg(strstr(err.msg, path) != NULL, "message '%s' does not name the file",
		      err.msg);
	free(path);
}
END_TEST

/* ---- a failing write ------------------------------------------------------ */

/* Fails the update after the first document was written. */
static int fail_after_one(void *ctx, size_t written)
{
	(void)ctx;
	return written >= 1;
}

START_TEST(failed_write_rolls_back)
{
	put_corpus();
	put_derived("opp-002.md", opp_doc, "status: proposed", "status: bogus",
		    (const char *)NULL);
	update();
	char *before = dump_db(db_path, true);
	/* The next update fails once opp-002.md was rewritten.  (A trigger
	 * that makes a write fail no longer serves: an index with an object
	 * of its own is rebuilt, never written through.) */
	put_derived("opp-002.md", opp_doc, "status: proposed", "status: parked",
		    (const char *)NULL);
	put("adr-002.md", adr_doc);
	struct pm_index_opts o;
	default_opts(&o);
	o.progress = fail_after_one;
	struct pm_index_stats st;
	struct pm_error err = { 0 };
	int rc = pm_index_update(&o, &st, &diags, &err);
	ck_assert_int_eq(rc, PM_ERR_IO);
	ck_assert_msg(strstr(err.msg, "stopped") != NULL, "message '%s' lacks the cause", err.msg);
	char *after = dump_db(db_path, true);
	expect_same_dump(before, after, "a failed update");
	st = update();
	EXPECT_STATS(st, 5, 3, 0, 2, 0, false);
	ck_assert_int_eq(q_int("SELECT count(*) FROM diagnostics"), 0);
	free(before);
	free(after);
}
END_TEST

/* ---- crash safety ------------------------------------------------------- */

static int die_after_10(void *ctx, size_t written)
{
	(void)ctx;
	if (written >= 10)
		raise(SIGKILL);
	return 0;
}

static void put_opp(int n)
{
	char rel[32], title[64];
	snprintf(rel, sizeof(rel), "opp-%03d.md", n);
	snprintf(title, sizeof(title), "title: Opportunity number %d", n);
	put_derived(rel, opp_doc, "title: Cache query results", title, (const char *)NULL);
}

START_TEST(killed_run_leaves_previous_index)
{
	for (int n = 1; n <= 5; n++)
		put_opp(n);
	put("inc-001.md", inc_doc);
	update();
	char *before = dump_db(db_path, true);
	ck_assert_int_eq(q_int("SELECT count(*) FROM documents"), 6);
	for (int n = 6; n <= 45; n++)
		put_opp(n);
	rm("inc-001.md");
	put("adr-001.md", adr_doc);

	pid_t pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		struct pm_index_opts o;
		default_opts(&o);
		o.progress = die_after_10;
		struct pm_index_stats st;
		struct pm_error err = { 0 };
		pm_index_update(&o, &st, &diags, &err);
		_exit(3);	/* not killed: the parent fails the test */
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "the child was not killed (status %#x)", (unsigned)status);

	expect_rows("ok\n", "PRAGMA integrity_check");
	char *after = dump_db(db_path, true);
	expect_same_dump(before, after, "a killed update");
	expect_fts_consistent();
	ck_assert_int_eq(search_count("memoize"), 5);

	struct pm_index_stats st = update();
	EXPECT_STATS(st, 46, 5, 0, 41, 1, false);
	ck_assert_int_eq(q_int("SELECT count(*) FROM documents"), 46);
	expect_rows("ok\n", "PRAGMA integrity_check");
	expect_fts_consistent();
	expect_rebuild_equal("after a killed update and a complete one");
	free(before);
	free(after);
}
END_TEST

static struct stat stat_of(const char *path)
{
	struct stat st;
	ck_assert_msg(stat(path, &st) == 0, "stat %s: %s", path, strerror(errno));
	return st;
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static char *side_of(const char *path)
{
	char *side = NULL;
	ck_assert_int_ge(asprintf(&side, "%s.rebuild", path), 0);
	return side;
}

/* A rebuild of an index with rows writes a new file and renames it over
 * the old one (never journaling the old pages), keeping its mode. */
START_TEST(rebuild_replaces_the_file)
{
	put_corpus();
	update();
	ck_assert_int_eq(chmod(db_path, 0640), 0);
	ino_t old = stat_of(db_path).st_ino;
	put("gov-001.md", gov_doc);
	struct pm_index_opts o;
	default_opts(&o);
	o.rebuild = true;
	struct pm_index_stats st = update_with(&o);
	EXPECT_STATS(st, 4, 0, 0, 4, 0, true);
	struct stat now = stat_of(db_path);
	ck_assert_msg(now.st_ino != old, "the rebuild wrote into the old file");
	ck_assert_uint_eq(now.st_mode & 07777, 0640);
	/* A new file has 16 KiB pages (index.c says why). */
	ck_assert_int_eq(q_int("PRAGMA page_size"), 16384);
	char *side = side_of(db_path);
	ck_assert_msg(!exists(side), "%s was left behind", side);
	free(side);
	expect_rows("ok\n", "PRAGMA integrity_check");
	ck_assert_int_eq(q_int("SELECT count(*) FROM documents"), 4);
	expect_fts_consistent();
	expect_rebuild_equal("after a rebuild into a new file");
}
END_TEST

/* Through a symbolic link the rebuild stays in the file linked to: a
 * rename would replace the link. */
START_TEST(rebuild_through_a_link_keeps_it)
{
	put_corpus();
	update();
	char *link = NULL;
	ck_assert_int_ge(asprintf(&link, "%s/link.db", base), 0);
	ck_assert_int_eq(symlink(db_path, link), 0);
	ino_t old = stat_of(db_path).st_ino;
	struct pm_index_opts o;
	default_opts(&o);
	o.db_path = link;
	o.rebuild = true;
	update_with(&o);
	struct stat lst;
	ck_assert_int_eq(lstat(link, &lst), 0);
	ck_assert_msg(S_ISLNK(lst.st_mode), "the link was replaced by a file");
	ck_assert_uint_eq(stat_of(db_path).st_ino, old);
	ck_assert_int_eq(q_int("SELECT count(*) FROM documents"), 3);
	expect_rows("ok\n", "PRAGMA integrity_check");
	unlink(link);
	free(link);
}
END_TEST

START_TEST(killed_rebuild_leaves_previous_index)
{
	for (int n = 1; n <= 20; n++)
		put_opp(n);
	update();
	char *before = dump_db(db_path, true);
	put("inc-001.md", inc_doc);
	pid_t pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		struct pm_index_opts o;
		default_opts(&o);
		o.rebuild = true;
		o.progress = die_after_10;
		struct pm_index_stats st;
		struct pm_error err = { 0 };
		pm_index_update(&o, &st, &diags, &err);
		_exit(3);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "the child was not killed (status %#x)", (unsigned)status);
	char *after = dump_db(db_path, true);
	expect_same_dump(before, after, "a killed rebuild");
	expect_rows("ok\n", "PRAGMA integrity_check");
	/* The half-written file is the next rebuild's to remove. */
	char *side = side_of(db_path);
	ck_assert_msg(exists(side), "the killed rebuild wrote no %s", side);
	struct pm_index_opts o;
	default_opts(&o);
	o.rebuild = true;
	struct pm_index_stats st = update_with(&o);
	EXPECT_STATS(st, 21, 0, 0, 21, 0, true);
	ck_assert_msg(!exists(side), "%s was left behind", side);
	expect_rows("ok\n", "PRAGMA integrity_check");
	ck_assert_int_eq(q_int("SELECT count(*) FROM documents"), 21);
	free(side);
	free(before);
	free(after);
}
END_TEST

/* A run waiting for the lock while another replaces the file must not
 * write into the old file, which nobody reads any more: it opens the new
 * one and does its work there. */
START_TEST(waiter_on_a_replaced_file_starts_again)
{
	put_corpus();
	update();
	char *other_path = NULL;
	ck_assert_int_ge(asprintf(&other_path, "%s/other.db", base), 0);
	struct pm_index_opts o;
	default_opts(&o);
	o.db_path = other_path;
	update_with(&o);	/* the replacement: the three documents */
	put("gov-001.md", gov_doc);	/* what the waiting run must write */

	/* The child forks before the parent opens its connection: SQLite's
	 * lock state is per process and must not be inherited. */
	int go[2];
	ck_assert_int_eq(pipe(go), 0);
	pid_t pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		struct pm_index_opts w;
		default_opts(&w);
		struct pm_index_stats st;
		struct pm_error err = { 0 };
		int rc = pm_index_update(&w, &st, &diags, &err);
		if (rc)
			fprintf(stderr, "waiting run: %s\n", err.msg);
		_exit(rc ? 1 : 0);
	}
	close(go[0]);
	sqlite3 *holder = open_db(db_path);
	exec_on(holder, "BEGIN IMMEDIATE");
	ck_assert_int_eq(write(go[1], "x", 1), 1);
	close(go[1]);
	usleep(300 * 1000);	/* the child is waiting for the lock */
	ck_assert_int_eq(rename(other_path, db_path), 0);
	exec_on(holder, "ROLLBACK");
	sqlite3_close(holder);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "the waiting run failed (status %#x)", (unsigned)status);
	ck_assert_int_eq(q_int("SELECT count(*) FROM documents WHERE id = 'GOV-001'"), 1);
	expect_rows("ok\n", "PRAGMA integrity_check");
	free(other_path);
}
END_TEST

static int stop_after_3(void *ctx, size_t written)
{
	*(size_t *)ctx = written;
	return written >= 3;
}

START_TEST(stopped_run_rolls_back)
{
	put_corpus();
	update();
	char *before = dump_db(db_path, true);
	for (int n = 2; n <= 8; n++)
		put_opp(n);
	struct pm_index_opts o;
	default_opts(&o);
	size_t seen = 0;
	o.progress = stop_after_3;
	o.progress_ctx = &seen;
	struct pm_index_stats st;
	struct pm_error err = { 0 };
	ck_assert_int_ne(pm_index_update(&o, &st, &diags, &err), 0);
	ck_assert_uint_eq(seen, 3);
	char *after = dump_db(db_path, true);
	expect_same_dump(before, after, "a stopped update");
	free(before);
	free(after);
}
END_TEST

/* ---- a second writer ------------------------------------------------------ */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

START_TEST(locked_index_times_out)
{
	put_corpus();
	update();
	put("gov-001.md", gov_doc);
	sqlite3 *other = open_db(db_path);
	exec_on(other, "BEGIN IMMEDIATE");
	struct pm_index_opts o;
	default_opts(&o);
	o.busy_timeout_ms = 200;
	struct pm_index_stats st;
	struct pm_error err = { 0 };
	double t0 = now_ms();
	int rc = pm_index_update(&o, &st, &diags, &err);
	double waited = now_ms() - t0;
	ck_assert_int_eq(rc, PM_ERR_IO);
	ck_assert_msg(strstr(err.msg, "another pmtool") || strstr(err.msg, "locked"),
		      "message '%s' does not say the index is locked", err.msg);
	ck_assert_msg(waited >= 150 && waited < 5000, "waited %.0f ms, not about 200", waited);
	exec_on(other, "ROLLBACK");
	sqlite3_close(other);
	st = update();
	EXPECT_STATS(st, 4, 3, 0, 1, 0, false);
	ck_assert_int_eq(q_int("SELECT count(*) FROM documents"), 4);
}
END_TEST

/* ---- the read-only connection ------------------------------------------- */

START_TEST(readonly_connection_reads_only)
{
	put_corpus();
	update();
	sqlite3 *db = NULL;
	struct pm_error err = { 0 };
	int rc = pm_index_open_readonly(&db, db_path, &err);
	ck_assert_msg(rc == 0, "pm_index_open_readonly: %s", err.msg);
	ck_assert_ptr_nonnull(db);
	char *got = rows_on(db, "SELECT count(*) FROM documents", false);
	ck_assert_str_eq(got, "3\n");
	free(got);
	char *msg = NULL;
	rc = sqlite3_exec(db, "INSERT INTO meta (key, value) VALUES ('x', 'y')", NULL, NULL,
			  &msg);
	ck_assert_int_eq(rc, SQLITE_READONLY);
	sqlite3_free(msg);
	rc = sqlite3_exec(db, "DELETE FROM documents", NULL, NULL, NULL);
	ck_assert_int_eq(rc, SQLITE_READONLY);
	sqlite3_close(db);
	ck_assert_int_eq(q_int("SELECT count(*) FROM documents"), 3);
	ck_assert_int_eq(q_int("SELECT count(*) FROM meta WHERE key = 'x'"), 0);
}
END_TEST

START_TEST(readonly_refuses_non_index)
{
	struct pm_error err = { 0 };
	sqlite3 *db = (sqlite3 *)&err;
	/* A text file. */
	tu_write_file(db_path, "hello, this is plainly not a database at all, nothing "
		      "like one, but it is long enough to have a header\n");
	int rc = pm_index_open_readonly(&db, db_path, &err);
	ck_assert_int_lt(rc, 0);
	ck_assert_ptr_null(db);
	ck_assert_msg(strstr(err.msg, db_path) && strstr(err.msg, "not a pmtool index"),
		      "unclear message '%s'", err.msg);
	/* An SQLite database that is not an index. */
	char *other = tu_path(base, "other.db");
	exec_sql(other, "CREATE TABLE t (x)");
	db = (sqlite3 *)&err;
	pm_error_clear(&err);
	rc = pm_index_open_readonly(&db, other, &err);
	ck_assert_int_eq(rc, PM_ERR_INVALID);
	ck_assert_ptr_null(db);
	ck_assert_msg(strstr(err.msg, "not a pmtool index"), "unclear message '%s'", err.msg);
	/* No file at all, and none is created. */
	char *missing = tu_path(base, "missing.db");
	db = (sqlite3 *)&err;
	pm_error_clear(&err);
	rc = pm_index_open_readonly(&db, missing, &err);
	ck_assert_int_lt(rc, 0);
	ck_assert_ptr_null(db);
	ck_assert_msg(strstr(err.msg, missing) != NULL, "message '%s' does not name the file",
		      err.msg);
	ck_assert_int_eq(access(missing, F_OK), -1);
	free(missing);
	free(other);
}
END_TEST

/* ---- the suite ---------------------------------------------------------- */

static Suite *index_suite(void)
{
	Suite *s = suite_create("index");
	TCase *tc = tcase_create("store");
	tcase_add_unchecked_fixture(tc, tu_temp_base_create, tu_temp_base_remove);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, documents_rows);
	tcase_add_test(tc, frontmatter_json_parses_back);
	tcase_add_test(tc, fields_rows);
	tcase_add_test(tc, refs_rows);
	tcase_add_test(tc, sections_rows);
	tcase_add_test(tc, action_items_rows);
	tcase_add_test(tc, timeline_rows_in_utc);
	tcase_add_test(tc, diagnostics_rows);
	tcase_add_test(tc, overdue_is_not_stored);
	tcase_add_test(tc, users_rows);
	tcase_add_test(tc, search_finds_sections);
	suite_add_tcase(s, tc);

	tc = tcase_create("links");
	tcase_add_unchecked_fixture(tc, tu_temp_base_create, tu_temp_base_remove);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, links_derive_inverses);
	tcase_add_test(tc, links_declared_on_both_sides);
	tcase_add_test(tc, unresolved_ref);
	tcase_add_test(tc, path_ref_to_missing_file);
	tcase_add_test(tc, duplicate_ids);
	suite_add_tcase(s, tc);

	tc = tcase_create("incremental");
	tcase_add_unchecked_fixture(tc, tu_temp_base_create, tu_temp_base_remove);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, second_run_changes_nothing);
	tcase_add_test(tc, touch_refreshes_stat_only);
	tcase_add_test(tc, content_change_rewrites_rows);
	tcase_add_test(tc, small_edit_keeps_other_rows);
	tcase_add_test(tc, equal_rows_are_counted);
	tcase_add_test(tc, new_id_relinks);
	tcase_add_test(tc, same_size_change_is_seen);
	tcase_add_test(tc, deleted_file_loses_every_row);
	tcase_add_test(tc, new_file_resolves_old_ref);
	tcase_add_test(tc, document_that_stops_being_one);
	tcase_add_test(tc, incremental_equals_rebuild);
	suite_add_tcase(s, tc);

	tc = tcase_create("versions");
	tcase_add_unchecked_fixture(tc, tu_temp_base_create, tu_temp_base_remove);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, newer_index_is_refused);
	tcase_add_test(tc, foreign_database_is_rebuilt);
	tcase_add_test(tc, not_a_database_is_replaced);
	tcase_add_test(tc, schema_change_forces_rebuild);
	tcase_add_test(tc, users_change_forces_rebuild);
	tcase_add_test(tc, missing_db_folder_fails);
	suite_add_tcase(s, tc);

	tc = tcase_create("failures");
	tcase_add_unchecked_fixture(tc, tu_temp_base_create, tu_temp_base_remove);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, failed_write_rolls_back);
	tcase_add_test(tc, killed_run_leaves_previous_index);
	tcase_add_test(tc, stopped_run_rolls_back);
	tcase_add_test(tc, locked_index_times_out);
	tcase_add_test(tc, rebuild_replaces_the_file);
	tcase_add_test(tc, rebuild_through_a_link_keeps_it);
	tcase_add_test(tc, killed_rebuild_leaves_previous_index);
	tcase_add_test(tc, waiter_on_a_replaced_file_starts_again);
	suite_add_tcase(s, tc);

	tc = tcase_create("readonly");
	tcase_add_unchecked_fixture(tc, tu_temp_base_create, tu_temp_base_remove);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, readonly_connection_reads_only);
	tcase_add_test(tc, readonly_refuses_non_index);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(index_suite());
}
