/* query_run.h - what pmtool query, search and stats share: options common
 * to them, the refresh before the answer, the read-only connection and
 * printing a statement's rows. */
#ifndef PM_QUERY_RUN_H
#define PM_QUERY_RUN_H

#include <sqlite3.h>
#include <stdbool.h>

#include "setup.h"
#include "table_output.h"

struct pm_query_common {
	struct pm_setup_flags flags;
	const char *db;
	bool no_refresh;
	enum pm_out_format format;
	bool format_set;
};

struct pm_query_run {
	struct pm_setup setup;
	sqlite3 *db;
	const char *display_root;	/* prefix for paths shown: "" or "root/" */
};

/* Long options every query command takes, with these values. */
enum {
	PM_QOPT_DB = 1000, PM_QOPT_NO_REFRESH, PM_QOPT_SCHEMA, PM_QOPT_USERS, PM_QOPT_ROOT,
	PM_QOPT_FORMAT,
};
#define PM_QUERY_LONGOPTS \
	{ "db", required_argument, NULL, PM_QOPT_DB }, \
	{ "no-refresh", no_argument, NULL, PM_QOPT_NO_REFRESH }, \
	{ "schema", required_argument, NULL, PM_QOPT_SCHEMA }, \
	{ "users", required_argument, NULL, PM_QOPT_USERS }, \
	{ "root", required_argument, NULL, PM_QOPT_ROOT }, \
	{ "format", required_argument, NULL, PM_QOPT_FORMAT }

#define PM_QUERY_OPTIONS_HELP \
	"  -f, --format FMT     table (default), json, csv or markdown\n" \
	"      --db FILE        the index file (default: <docs root>/.pmtool/index.db)\n" \
	"      --no-refresh     answer from the index as it is, without updating it\n" \
	"      --root DIR       the docs root (default: the configured one, or .)\n" \
	"      --schema DIR     schema files that replace or extend the built-in ones\n" \
	"      --users FILE     the users file\n"

/* Handles a common option; returns 1 when ch was one, 0 when not, and
 * PM_EXIT_USAGE (after printing why) for a bad value. */
int pm_query_option(struct pm_query_common *c, const char *cmd, int ch, const char *arg);

/* Loads the settings, refreshes the index unless asked not to, and opens it
 * read-only.  Returns 0 or an exit status; release with pm_query_end(). */
int pm_query_begin(struct pm_query_run *r, const char *cmd, const struct pm_query_common *c);

void pm_query_end(struct pm_query_run *r);

/* Prepares sql on r->db; prints the error under cmd and returns NULL when
 * it does not compile. */
sqlite3_stmt *pm_query_prepare(struct pm_query_run *r, const char *cmd, const char *sql);

/* Prints st's rows; says on stderr when there are none.  Returns an exit
 * status. */
int pm_query_print(struct pm_query_run *r, const char *cmd, sqlite3_stmt *st,
		   enum pm_out_format fmt, const struct pm_out_opts *o);


/* Today from --today (or the clock), as YYYY-MM-DD. */
int pm_query_today(const char *arg, const char *cmd, char out[11]);

#endif
