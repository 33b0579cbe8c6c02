/* floor.c - the parser floor: what reading, parsing and indexing documents
 * costs with the libraries pmtool is built on and nothing else.
 *
 *   floor read DIR       open, read and close every *.md under DIR
 *   floor parse DIR      read; split the frontmatter at its --- lines; run
 *                        libyaml's event parser over it; parse the body with
 *                        cmark-gfm (table extension attached) and walk the
 *                        whole tree with an iterator
 *   floor sqlite DIR DB  parse, and in one transaction with prepared
 *                        statements insert one row per document (path,
 *                        title, body), one row per table row (the cells'
 *                        text), and title + body into an FTS5 table
 *
 * Single-threaded, no checks, nothing kept between documents: the speed a
 * tool that does the same reading, parsing and inserting cannot beat with
 * one core.  The walk is recursive and skips dot-files and dot-folders, as
 * pmtool's does.  Prints the number of documents and bytes (and rows for
 * sqlite) on standard output.  Exit status: 0 done, 1 a file or the
 * database failed, 2 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <sqlite3.h>
#include <yaml.h>

/* Exported by libcmark-gfm-extensions but missing from its headers. */
extern cmark_node_type CMARK_NODE_TABLE_ROW;
extern cmark_node_type CMARK_NODE_TABLE_CELL;

enum mode { M_READ, M_PARSE, M_SQLITE };

struct buf {
	char *p;
	size_t len, cap;
};

struct floor {
	enum mode mode;
	struct buf file;	/* the bytes of the current document */
	struct buf title;	/* its title, from the YAML events */
	struct buf row;		/* the text of the table row being walked */
	cmark_syntax_extension *table;
	sqlite3 *db;
	sqlite3_stmt *ins_doc, *ins_row, *ins_fts;
	uint64_t docs, bytes, nodes, events, rows;
	int failed;
};

static int buf_reserve(struct buf *b, size_t need)
{
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

static int buf_add(struct buf *b, const char *s, size_t n)
{
	if (buf_reserve(b, b->len + n + 1))
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static int read_file(struct floor *f, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "floor: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	struct stat st;
	int rc = -1;
	if (fstat(fd, &st) < 0 || buf_reserve(&f->file, (size_t)st.st_size + 1))
		goto out;
	f->file.len = 0;
	for (;;) {
		if (buf_reserve(&f->file, f->file.len + 4096))
			goto out;
		ssize_t n = read(fd, f->file.p + f->file.len, f->file.cap - f->file.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "floor: cannot read %s: %s\n", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		f->file.len += (size_t)n;
	}
	f->file.p[f->file.len] = '\0';
	rc = 0;
out:
	close(fd);
	return rc;
}

/* A line that is exactly "---" or "...", blanks and CR after it allowed. */
static bool is_marker(const char *s, size_t n, bool open)
{
	if (n < 3 || (memcmp(s, "---", 3) && (open || memcmp(s, "...", 3))))
		return false;
	for (size_t i = 3; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* The frontmatter's bytes [*fm, *fm + *fm_len) and where the body starts. */
static void split(const char *p, size_t len, size_t *fm, size_t *fm_len, size_t *body)
{
	*fm = *fm_len = *body = 0;
	size_t at = 0;
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		at = 3;
	const char *nl = memchr(p + at, '\n', len - at);
	size_t end = nl ? (size_t)(nl - p) : len;
	if (!is_marker(p + at, end - at, true))
		return;
	size_t start = nl ? end + 1 : len;
	for (size_t line = start; line < len;) {
		nl = memchr(p + line, '\n', len - line);
		end = nl ? (size_t)(nl - p) : len;
		if (is_marker(p + line, end - line, false)) {
			*fm = start;
			*fm_len = line - start;
			*body = nl ? end + 1 : len;
			return;
		}
		line = end + 1;
	}
}

/* libyaml events over the frontmatter; the top-level "title" is kept. */
static void parse_yaml(struct floor *f, const char *s, size_t n)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	f->title.len = 0;
	if (buf_add(&f->title, "", 0))
		return;
	if (!yaml_parser_initialize(&parser))
		return;
	yaml_parser_set_input_string(&parser, (const unsigned char *)s, n);
	int depth = 0;
	bool key = true, want_title = false;
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev))
			break;
		f->events++;
		yaml_event_type_t t = ev.type;
		if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
			want_title = false;	/* a collection is a value, not a title */
			depth++;
		} else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
			depth--;
			if (depth == 1)
				key = true;
		} else if (t == YAML_SCALAR_EVENT && depth == 1) {
			if (key) {
				want_title = ev.data.scalar.length == 5 &&
					     !memcmp(ev.data.scalar.value, "title", 5);
			} else if (want_title) {
				buf_add(&f->title, (const char *)ev.data.scalar.value,
					ev.data.scalar.length);
				want_title = false;
			}
			key = !key;
		}
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
}

static int insert_row(struct floor *f, sqlite3_int64 doc, int n)
{
	sqlite3_stmt *st = f->ins_row;
	sqlite3_bind_int64(st, 1, doc);
	sqlite3_bind_int(st, 2, n);
	sqlite3_bind_text(st, 3, f->row.p, (int)f->row.len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "floor: insert row: %s\n", sqlite3_errmsg(f->db));
		return -1;
	}
	f->rows++;
	return 0;
}

/* cmark-gfm over the body and a full walk of the tree; for sqlite, the
 * text of every table row but the header goes to rows. */
static int parse_body(struct floor *f, const char *s, size_t n, sqlite3_int64 doc)
{
	cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	if (!parser)
		return -1;
	cmark_parser_attach_syntax_extension(parser, f->table);
	cmark_parser_feed(parser, s, n);
	cmark_node *root = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	if (!root)
		return -1;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	bool in_row = false;
	int nrow = 0, rc = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE && !rc) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		f->nodes++;
		if (f->mode != M_SQLITE)
			continue;
		if (t == CMARK_NODE_TABLE_ROW) {
			if (ev == CMARK_EVENT_ENTER) {
				in_row = !cmark_gfm_extensions_get_table_row_is_header(node);
				f->row.len = 0;
				buf_add(&f->row, "", 0);
			} else if (in_row) {
				rc = insert_row(f, doc, ++nrow);
				in_row = false;
			}
		} else if (in_row && t == CMARK_NODE_TABLE_CELL && ev == CMARK_EVENT_EXIT) {
			buf_add(&f->row, "\t", 1);
		} else if (in_row && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)) {
			const char *lit = cmark_node_get_literal(node);
			if (lit)
				buf_add(&f->row, lit, strlen(lit));
		}
	}
	cmark_iter_free(it);
	cmark_node_free(root);
	return rc;
}

static int one_doc(struct floor *f, const char *path)
{
	if (read_file(f, path))
		return -1;
	f->docs++;
	f->bytes += f->file.len;
	if (f->mode == M_READ)
		return 0;
	size_t fm, fm_len, body;
	split(f->file.p, f->file.len, &fm, &fm_len, &body);
	parse_yaml(f, f->file.p + fm, fm_len);
	sqlite3_int64 doc = 0;
	if (f->mode == M_SQLITE) {
		sqlite3_stmt *st = f->ins_doc;
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, f->title.p, (int)f->title.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, f->file.p + body, (int)(f->file.len - body),
				  SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			goto fail;
		doc = sqlite3_last_insert_rowid(f->db);
		st = f->ins_fts;
		sqlite3_bind_int64(st, 1, doc);
		sqlite3_bind_text(st, 2, f->title.p, (int)f->title.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, f->file.p + body, (int)(f->file.len - body),
				  SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			goto fail;
	}
	return parse_body(f, f->file.p + body, f->file.len - body, doc);
fail:
	fprintf(stderr, "floor: insert %s: %s\n", path, sqlite3_errmsg(f->db));
	return -1;
}

static bool is_md(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && !strcmp(name + n - 3, ".md");
}

static int walk(struct floor *f, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "floor: cannot open %s: %s\n", dir, strerror(errno));
		return -1;
	}
	size_t dlen = strlen(dir);
	char *path = NULL;
	int rc = 0;
	struct dirent *e;
	while (!rc && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		size_t n = dlen + 1 + strlen(e->d_name) + 1;
		char *p = realloc(path, n);
		if (!p) {
			rc = -1;
			break;
		}
		path = p;
		snprintf(path, n, "%s/%s", dir, e->d_name);
		unsigned char type = e->d_type;
		if (type == DT_UNKNOWN || type == DT_LNK) {
			struct stat st;
			if (stat(path, &st) < 0)
				continue;
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : 0;
		}
		if (type == DT_DIR)
			rc = walk(f, path);
		else if (type == DT_REG && is_md(e->d_name) && one_doc(f, path))
			f->failed = 1;
	}
	free(path);
	closedir(d);
	return rc;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "floor: %s: %s\n", sql, msg ? msg : "failed");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int open_db(struct floor *f, const char *path)
{
	const char *side[] = { "", "-journal", "-wal", "-shm" };
	for (size_t i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		char p[4096];
		snprintf(p, sizeof(p), "%s%s", path, side[i]);
		if (unlink(p) < 0 && errno != ENOENT) {
			fprintf(stderr, "floor: cannot remove %s: %s\n", p, strerror(errno));
			return -1;
		}
	}
	if (sqlite3_open(path, &f->db) != SQLITE_OK) {
		fprintf(stderr, "floor: cannot open %s: %s\n", path,
			f->db ? sqlite3_errmsg(f->db) : "out of memory");
		return -1;
	}
	if (exec(f->db, "CREATE TABLE docs (id INTEGER PRIMARY KEY, path TEXT NOT NULL, "
			"title TEXT, body TEXT NOT NULL);"
			"CREATE TABLE rows (doc INTEGER NOT NULL, n INTEGER NOT NULL, "
			"text TEXT NOT NULL);"
			"CREATE VIRTUAL TABLE fts USING fts5 (title, body, "
			"tokenize = 'porter unicode61');"
			"BEGIN"))
		return -1;
	struct {
		sqlite3_stmt **st;
		const char *sql;
	} prep[] = {
		{ &f->ins_doc, "INSERT INTO docs (path, title, body) VALUES (?1, ?2, ?3)" },
		{ &f->ins_row, "INSERT INTO rows (doc, n, text) VALUES (?1, ?2, ?3)" },
		{ &f->ins_fts, "INSERT INTO fts (rowid, title, body) VALUES (?1, ?2, ?3)" },
	};
	for (size_t i = 0; i < sizeof(prep) / sizeof(prep[0]); i++) {
		if (sqlite3_prepare_v3(f->db, prep[i].sql, -1, SQLITE_PREPARE_PERSISTENT,
				       prep[i].st, NULL) != SQLITE_OK) {
			fprintf(stderr, "floor: %s: %s\n", prep[i].sql, sqlite3_errmsg(f->db));
			return -1;
		}
	}
	return 0;
}

static void usage(void)
{
	fputs("usage: floor read DIR\n"
	      "       floor parse DIR\n"
	      "       floor sqlite DIR DB\n", stderr);
}

int main(int argc, char **argv)
{
	struct floor f = { 0 };
	if (argc == 3 && !strcmp(argv[1], "read"))
		f.mode = M_READ;
	else if (argc == 3 && !strcmp(argv[1], "parse"))
		f.mode = M_PARSE;
	else if (argc == 4 && !strcmp(argv[1], "sqlite"))
		f.mode = M_SQLITE;
	else {
		usage();
		return 2;
	}
	cmark_gfm_core_extensions_ensure_registered();
	f.table = cmark_find_syntax_extension("table");
	if (!f.table) {
		fputs("floor: cmark-gfm has no table extension\n", stderr);
		return 1;
	}
	int rc = 0;
	if (f.mode == M_SQLITE && open_db(&f, argv[3]))
		rc = 1;
	if (!rc && walk(&f, argv[2]))
		rc = 1;
	if (f.failed)
		rc = 1;
	if (f.db) {
		if (!rc && exec(f.db, "COMMIT"))
			rc = 1;
		sqlite3_finalize(f.ins_doc);
		sqlite3_finalize(f.ins_row);
		sqlite3_finalize(f.ins_fts);
		if (sqlite3_close(f.db) != SQLITE_OK)
			rc = 1;
	}
	printf("%s: %llu docs, %llu bytes", argv[1], (unsigned long long)f.docs,
	       (unsigned long long)f.bytes);
	if (f.mode != M_READ)
		printf(", %llu yaml events, %llu cmark nodes", (unsigned long long)f.events,
		       (unsigned long long)f.nodes);
	if (f.mode == M_SQLITE)
		printf(", %llu table rows", (unsigned long long)f.rows);
	putchar('\n');
	free(f.file.p);
	free(f.title.p);
	free(f.row.p);
	return rc;
}
