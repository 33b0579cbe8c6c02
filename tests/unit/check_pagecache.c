/* check_pagecache.c - the slab of pagecache.h: SQLite takes it before it
 * starts and no longer after, keeps its pages in it, and works as before
 * with it (a database of 16 KiB pages written and read back).  One test:
 * the setting is the process's, and must come before SQLite's first use.
 */
#include <check.h>
#include <sqlite3.h>

#include "pagecache.h"
#include "testutil.h"

START_TEST(sqlite_keeps_its_pages_in_the_slab)
{
	ck_assert_int_eq(pm_pagecache_setup(16384, (size_t)4 << 20), 0);
	sqlite3 *db = NULL;
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	/* Once SQLite has started, the slab can no longer be given. */
	ck_assert_int_eq(pm_pagecache_setup(16384, (size_t)4 << 20), -1);
	ck_assert_int_eq(sqlite3_exec(db,
				      "PRAGMA page_size = 16384;"
				      "CREATE TABLE t (n INTEGER, s TEXT);"
				      "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
				      "WHERE n < 20000) INSERT INTO t SELECT n, printf('%0200d', n) "
				      "FROM c",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	int cur = 0, high = 0;
	ck_assert_int_eq(sqlite3_status(SQLITE_STATUS_PAGECACHE_USED, &cur, &high, 0), SQLITE_OK);
	ck_assert_int_gt(cur, 0);
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*), sum(n), sum(length(s)) FROM t",
					    -1, &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int64(st, 0), 20000);
	ck_assert_int_eq(sqlite3_column_int64(st, 1), (int64_t)20000 * 20001 / 2);
	ck_assert_int_eq(sqlite3_column_int64(st, 2), (int64_t)20000 * 200);
	sqlite3_finalize(st);
	sqlite3_close(db);
}
END_TEST

START_TEST(no_page_size_or_no_room_is_refused)
{
	/* Refused whether or not SQLite has started (CK_FORK=no runs both
	 * tests in one process). */
	ck_assert_int_eq(pm_pagecache_setup(0, (size_t)4 << 20), -1);
	ck_assert_int_eq(pm_pagecache_setup(16384, 0), -1);
}
END_TEST

static Suite *pagecache_suite(void)
{
	Suite *s = suite_create("pagecache");
	TCase *tc = tcase_create("slab");
	tcase_add_test(tc, sqlite_keeps_its_pages_in_the_slab);
	tcase_add_test(tc, no_page_size_or_no_room_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(pagecache_suite());
}
