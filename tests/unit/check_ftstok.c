/* check_ftstok.c - tokens worked out ahead and replayed (ftstok.h) make
 * exactly the full-text index SQLite makes on its own: the shadow tables of
 * two in-memory databases, one plain, one with the replaying tokenizer, are
 * compared byte for byte; texts that were not offered, or differ from the
 * offer, or a table made with other tokenizer arguments, are tokenized by
 * SQLite, and queries still work through the replaying tokenizer.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <sqlite3.h>

#include "buf.h"
#include "ftstok.h"
#include "testutil.h"

static const char *const texts[] = {
	"Connection pool exhausted",
	"Root Cause",
	"The pool's **connections** leaked: every retry opened another one.\n"
	"| Time | Event |\n|---|---|\n| 14:32 | Paging started |\n",
	"",
	"Ünïcödé wörds, CamelCase, snake_case and 42 numbers; running runners ran.",
};
#define NTEXTS (sizeof(texts) / sizeof(texts[0]))

static sqlite3 *open_db(const char *tokenize, struct pm_fts_feed **feed)
{
	sqlite3 *db = NULL;
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	if (feed) {
		struct pm_error err = { 0 };
		ck_assert_int_eq(pm_fts_feed_install(db, feed, &err), 0);
	}
	char *sql = sqlite3_mprintf("CREATE VIRTUAL TABLE s USING fts5 (a, b, c, tokenize = '%q');"
				    "INSERT INTO s (s, rank) VALUES ('hashsize', 1024)",
				    tokenize);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	return db;
}

/* Row r: columns a, b, c from texts, a NULL in a on odd rows. */
static void insert(sqlite3 *db, int r, const char *const col[3])
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO s (rowid, a, b, c) VALUES (?, ?, ?, ?)",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int(st, 1, r);
	for (int c = 0; c < 3; c++)
		sqlite3_bind_text(st, c + 2, col[c], -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static void row_texts(int r, const char *col[3])
{
	col[0] = r % 2 ? NULL : texts[r % NTEXTS];
	col[1] = texts[(r + 1) % NTEXTS];
	col[2] = texts[(r + 2) % NTEXTS];
}

/* Everything FTS5 stored, as text. */
static char *dump(sqlite3 *db)
{
	struct pm_buf b = PM_BUF_INIT;
	const char *q[] = { "SELECT id, hex(block) FROM s_data ORDER BY id",
			    "SELECT segid, hex(term), pgno FROM s_idx ORDER BY segid, term",
			    "SELECT id, hex(sz) FROM s_docsize ORDER BY id" };
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		sqlite3_stmt *st;
		ck_assert_int_eq(sqlite3_prepare_v2(db, q[i], -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(st); c++)
				pm_buf_printf(&b, "%s%c", (const char *)sqlite3_column_text(st, c),
					      c + 1 < sqlite3_column_count(st) ? '|' : '\n');
		sqlite3_finalize(st);
	}
	ck_assert(!b.failed);
	char *out = strdup(pm_buf_cstr(&b));
	pm_buf_release(&b);
	return out;
}

static int count(sqlite3 *db, const char *match)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM s WHERE s MATCH ?", -1, &st,
					    NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

enum offer { OFFER_ALL, OFFER_NONE, OFFER_WRONG };

/* Fills a plain database and a replaying one with the same rows, offering
 * each row's tokens as `how` says; returns how many texts were replayed. */
static uint64_t fill_both(const char *tokenize, enum offer how, sqlite3 **plain_out,
			  sqlite3 **fed_out)
{
	struct pm_fts_feed *feed;
	sqlite3 *plain = open_db(tokenize, NULL), *fed = open_db(tokenize, &feed);
	struct pm_fts_tokenizer *t = pm_fts_tokenizer_open();
	ck_assert_ptr_nonnull(t);
	const int rows = 400; /* more than one 1 KiB hash flush */
	for (int r = 1; r <= rows; r++) {
		const char *col[3];
		row_texts(r, col);
		insert(plain, r, col);
		struct pm_fts_list l;
		pm_fts_list_init(&l);
		/* A wrong offer: the tokens of another text of the same
		 * length, which would be wrong to replay. */
		char *other[3] = { NULL, NULL, NULL };
		for (int c = 0; c < 3; c++) {
			if (!col[c])
				continue;
			const char *from = col[c];
			if (how == OFFER_WRONG && *from) {
				other[c] = strdup(from);
				other[c][0] = other[c][0] == 'x' ? 'y' : 'x';
				from = other[c];
			}
			ck_assert_int_eq(pm_fts_tokenize(t, from, strlen(from), &l), 0);
		}
		if (how != OFFER_NONE)
			pm_fts_feed_offer(feed, &l, 0, l.nruns);
		insert(fed, r, col);
		pm_fts_feed_clear(feed);
		for (int c = 0; c < 3; c++)
			free(other[c]);
		pm_fts_list_release(&l);
	}
	pm_fts_tokenizer_close(t);
	*plain_out = plain;
	*fed_out = fed;
	return pm_fts_feed_replayed(feed);
}

static void expect_same(sqlite3 *plain, sqlite3 *fed)
{
	char *a = dump(plain), *b = dump(fed);
	ck_assert_uint_gt(strlen(a), 1000);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	/* Queries go through the replaying tokenizer too. */
	const char *q[] = { "pool", "leaked", "run", "wörds", "\"paging started\"", "a:pool" };
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		ck_assert_int_eq(count(plain, q[i]), count(fed, q[i]));
	ck_assert_int_gt(count(fed, "run"), 0);
}

START_TEST(replayed_tokens_make_the_same_index)
{
	sqlite3 *plain, *fed;
	uint64_t replayed = fill_both("porter unicode61", OFFER_ALL, &plain, &fed);
	/* Every non-NULL text: 400 rows, 3 columns, a NULL in 200 of them. */
	ck_assert_uint_eq(replayed, 400 * 3 - 200);
	expect_same(plain, fed);
	/* Deleting rows re-tokenizes them (SQLite's tokenizer: no offer). */
	for (int k = 0; k < 2; k++)
		ck_assert_int_eq(sqlite3_exec(k ? fed : plain,
					      "DELETE FROM s WHERE rowid % 7 = 2;"
					      "INSERT INTO s (s) VALUES ('optimize')",
					      NULL, NULL, NULL), SQLITE_OK);
	expect_same(plain, fed);
	sqlite3_close(plain);
	sqlite3_close(fed);
}
END_TEST

START_TEST(texts_not_offered_are_tokenized_by_sqlite)
{
	sqlite3 *plain, *fed;
	ck_assert_uint_eq(fill_both("porter unicode61", OFFER_NONE, &plain, &fed), 0);
	expect_same(plain, fed);
	sqlite3_close(plain);
	sqlite3_close(fed);
}
END_TEST

START_TEST(an_offer_for_other_text_is_not_replayed)
{
	sqlite3 *plain, *fed;
	/* Only the empty texts match their offer: of the 400 rows, 40 have
	 * an empty a, 80 an empty b and 80 an empty c. */
	uint64_t replayed = fill_both("porter unicode61", OFFER_WRONG, &plain, &fed);
	ck_assert_uint_eq(replayed, 200);
	expect_same(plain, fed);
	sqlite3_close(plain);
	sqlite3_close(fed);
}
END_TEST

START_TEST(other_tokenizer_arguments_are_never_replayed)
{
	sqlite3 *plain, *fed;
	ck_assert_uint_eq(fill_both("porter ascii", OFFER_ALL, &plain, &fed), 0);
	expect_same(plain, fed);
	sqlite3_close(plain);
	sqlite3_close(fed);
}
END_TEST

/* The index's search table is made with the tokenizer this file replays. */
START_TEST(index_schema_uses_the_replayed_tokenizer)
{
	const char *root = getenv("PM_SOURCE_ROOT");
	ck_assert_msg(root != NULL, "PM_SOURCE_ROOT is not set");
	char *path = tu_path(root, "schema/index.sql");
	char *sql = tu_read_file(path, NULL);
	ck_assert_ptr_nonnull(strstr(sql, "tokenize = '" PM_FTS_TOKENIZER " "
				     PM_FTS_TOKENIZER_ARG "'"));
	free(sql);
	free(path);
}
END_TEST

Suite *ftstok_suite(void);

Suite *ftstok_suite(void)
{
	Suite *s = suite_create("ftstok");
	TCase *tc = tcase_create("replay");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, replayed_tokens_make_the_same_index);
	tcase_add_test(tc, texts_not_offered_are_tokenized_by_sqlite);
	tcase_add_test(tc, an_offer_for_other_text_is_not_replayed);
	tcase_add_test(tc, other_tokenizer_arguments_are_never_replayed);
	tcase_add_test(tc, index_schema_uses_the_replayed_tokenizer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(ftstok_suite());
}
