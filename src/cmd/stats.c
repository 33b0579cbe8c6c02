/* stats.c - `pmtool stats`: the numbers of the whole repository. */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/buf.h"
#include "query_run.h"

static const char options_help[] =
	"options:\n"
	"      --today DATE     the date overdue is measured from (default: today)\n"
	PM_QUERY_OPTIONS_HELP
	"  -h, --help           show this help\n"
	"\n"
	"Prints: documents by type and status; incidents by severity and by month;\n"
	"MTTR (mean and median of resolved_at - started_at, minutes) by severity;\n"
	"action items open, overdue and done by owner; the most affected systems.\n"
	"With --format json, one object with a member per table.\n";

struct part {
	const char *key, *title, *sql;
};

/* ?1 is today.  Open means not done and not cancelled. */
static const struct part parts[] = {
	{ "documents", "Documents by type and status",
	  "SELECT type, status, count(*) AS documents FROM documents "
	  "GROUP BY type, status ORDER BY type, status" },
	{ "incidents_by_severity", "Incidents by severity",
	  "SELECT severity, count(*) AS incidents FROM documents WHERE type = 'inc' "
	  "GROUP BY severity ORDER BY severity" },
	{ "incidents_by_month", "Incidents by month",
	  "SELECT substr(date, 1, 7) AS month, count(*) AS incidents FROM documents "
	  "WHERE type = 'inc' GROUP BY month ORDER BY month" },
	{ "mttr", "Time to resolve by severity (minutes)",
	  "WITH d AS (SELECT severity, duration_minutes AS m, row_number() OVER "
	  "(PARTITION BY severity ORDER BY duration_minutes) AS rn, count(*) OVER "
	  "(PARTITION BY severity) AS c FROM documents WHERE type = 'inc' AND "
	  "duration_minutes IS NOT NULL) "
	  "SELECT severity, count(*) AS incidents, round(avg(m), 1) AS mean_minutes, "
	  "avg(CASE WHEN rn IN ((c + 1) / 2, (c + 2) / 2) THEN m END) AS median_minutes "
	  "FROM d GROUP BY severity ORDER BY severity" },
	{ "action_items", "Action items by owner",
	  "SELECT COALESCE(owner, '(none)') AS owner, "
	  "sum(open) AS open, "
	  "sum(open AND date(due) IS NOT NULL AND due < ?1) AS overdue, "
	  "sum(status = 'done') AS done, count(*) AS total "
	  "FROM action_items GROUP BY owner ORDER BY overdue DESC, open DESC, owner" },
	{ "affected_systems", "Most affected systems",
	  "SELECT value AS system, count(DISTINCT doc) AS incidents FROM fields "
	  "WHERE key = 'affected_systems' AND value IS NOT NULL "
	  "GROUP BY value ORDER BY incidents DESC, system LIMIT 10" },
};

int cmd_stats(int argc, char **argv)
{
	enum { O_TODAY = 1 };
	static const struct option longopts[] = {
		{ "today", required_argument, NULL, O_TODAY },
		{ "help", no_argument, NULL, 'h' },
		PM_QUERY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct pm_query_common c = { .format = PM_OUT_TABLE };
	const char *today_arg = NULL;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		int used = pm_query_option(&c, "stats", ch, optarg);
		if (used == PM_EXIT_USAGE)
			return used;
		if (used)
			continue;
		switch (ch) {
		case O_TODAY: today_arg = optarg; break;
		case 'h':
			pm_cli_print_help("stats", options_help);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("stats", "option '%s' needs a value", argv[optind - 1]);
		default:
			return pm_cli_usage_error("stats", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return pm_cli_usage_error("stats", "unexpected argument '%s'", argv[optind]);
	char today[11];
	if (pm_query_today(today_arg, "stats", today))
		return PM_EXIT_USAGE;
	struct pm_query_run r;
	int rc = pm_query_begin(&r, "stats", &c);
	bool json = c.format == PM_OUT_JSON;
	if (!rc && json)
		fputs("{\n", stdout);
	for (size_t i = 0; !rc && i < sizeof(parts) / sizeof(parts[0]); i++) {
		sqlite3_stmt *st = pm_query_prepare(&r, "stats", parts[i].sql);
		if (!st) {
			rc = PM_EXIT_USAGE;
			break;
		}
		if (sqlite3_bind_parameter_count(st))
			sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
		if (json) {
			/* Each table is printed by the same JSON writer, as one
			 * member of the object. */
			printf("%s\"%s\": ", i ? ",\n" : "", parts[i].key);
			fflush(stdout);
			char *buf = NULL;
			size_t len = 0;
			FILE *mem = open_memstream(&buf, &len);
			size_t n = 0;
			int prc = mem ? pm_out_print_stmt(mem, PM_OUT_JSON, st, NULL, &n, NULL) : -1;
			if (mem)
				fclose(mem);
			if (prc || !buf) {
				fprintf(stderr, "pmtool stats: %s\n", sqlite3_errmsg(r.db));
				rc = PM_EXIT_USAGE;
			} else {
				while (len && buf[len - 1] == '\n')
					buf[--len] = '\0';
				fputs(buf, stdout);
			}
			free(buf);
		} else {
			printf("%s%s%s\n", i ? "\n" : "", c.format == PM_OUT_MARKDOWN ? "### " : "",
			       parts[i].title);
			if (c.format == PM_OUT_MARKDOWN)
				putchar('\n');
			fflush(stdout);
			size_t n = 0;
			int prc = pm_out_print_stmt(stdout, c.format, st, NULL, &n, NULL);
			if (prc) {
				fprintf(stderr, "pmtool stats: %s\n", sqlite3_errmsg(r.db));
				rc = PM_EXIT_USAGE;
			} else if (!n) {
				printf("(none)\n");
			}
		}
		sqlite3_finalize(st);
	}
	if (!rc && json)
		fputs("\n}\n", stdout);
	pm_query_end(&r);
	return rc;
}
