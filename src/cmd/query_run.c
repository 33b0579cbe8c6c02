/* query_run.c - the shared part of query, search and stats. */
#include "query_run.h"

#include <getopt.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd.h"
#include "core/index.h"
#include "core/timeutil.h"
#include "refresh.h"

int pm_query_option(struct pm_query_common *c, const char *cmd, int ch, const char *arg)
{
	switch (ch) {
	case PM_QOPT_DB:
		c->db = arg;
		return 1;
	case PM_QOPT_NO_REFRESH:
		c->no_refresh = true;
		return 1;
	case PM_QOPT_SCHEMA:
		c->flags.schema = arg;
		return 1;
	case PM_QOPT_USERS:
		c->flags.users = arg;
		return 1;
	case PM_QOPT_ROOT:
		c->flags.root = arg;
		return 1;
	case 'f':
	case PM_QOPT_FORMAT:
		if (pm_out_format_parse(arg, &c->format))
			return pm_cli_usage_error(cmd, "unknown format '%s' (expected table, "
						  "json, csv or markdown)", arg);
		c->format_set = true;
		return 1;
	}
	return 0;
}

int pm_query_begin(struct pm_query_run *r, const char *cmd, const struct pm_query_common *c)
{
	memset(r, 0, sizeof(*r));
	/* Only an index update reads the users file (3,000 handles take
	 * longer to load than a query of the open items takes to run). */
	struct pm_setup_flags flags = c->flags;
	flags.skip_users = c->no_refresh;
	int rc = pm_setup_load(&r->setup, cmd, &flags, 0, NULL);
	if (rc)
		return rc;
	const char *path = pm_index_path(&r->setup, cmd, c->db, !c->no_refresh);
	if (!path)
		return PM_EXIT_USAGE;
	if (!c->no_refresh) {
		struct pm_index_stats st;
		if ((rc = pm_refresh(&r->setup, cmd, path, false, &st)))
			return rc;
	}
	struct pm_error err = { 0 };
	if (pm_index_open_readonly(&r->db, path, &err)) {
		fprintf(stderr, "pmtool %s: %s%s\n", cmd, err.msg,
			c->no_refresh ? " (run 'pmtool index' first, or drop --no-refresh)" : "");
		return PM_EXIT_USAGE;
	}
	r->display_root = strcmp(r->setup.root, ".")
		? pm_arena_printf(&r->setup.arena, "%s/", r->setup.root) : "";
	return 0;
}

void pm_query_end(struct pm_query_run *r)
{
	sqlite3_close(r->db);
	pm_setup_release(&r->setup);
}

sqlite3_stmt *pm_query_prepare(struct pm_query_run *r, const char *cmd, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "pmtool %s: %s\n", cmd, sqlite3_errmsg(r->db));
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int pm_query_print(struct pm_query_run *r, const char *cmd, sqlite3_stmt *st,
		   enum pm_out_format fmt, const struct pm_out_opts *o)
{
	struct pm_out_opts opts = o ? *o : (struct pm_out_opts){ 0 };
	struct winsize ws;
	if (fmt == PM_OUT_TABLE && !opts.width && isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		opts.width = ws.ws_col;
	size_t n = 0;
	bool truncated = false;
	int rc = pm_out_print_stmt(stdout, fmt, st, &opts, &n, &truncated);
	if (rc == PM_OUT_SQL_ERROR) {
		int code = sqlite3_errcode(r->db);
		fprintf(stderr, "pmtool %s: %s\n", cmd,
			code == SQLITE_INTERRUPT ? "the query ran out of time and was stopped"
						 : sqlite3_errmsg(r->db));
		return PM_EXIT_USAGE;
	}
	if (rc) {
		fprintf(stderr, "pmtool %s: cannot write the output\n", cmd);
		return PM_EXIT_USAGE;
	}
	if (!n)
		fprintf(stderr, "pmtool %s: no results\n", cmd);
	if (truncated)
		fprintf(stderr, "pmtool %s: output cut at %zu rows\n", cmd, n);
	return PM_EXIT_OK;
}

int pm_query_today(const char *arg, const char *cmd, char out[11])
{
	int32_t days = pm_today();
	if (arg && !pm_date_parse(arg, strlen(arg), &days))
		return pm_cli_usage_error(cmd, "--today takes a date YYYY-MM-DD, not '%s'", arg);
	pm_date_format(days, out);
	return 0;
}
