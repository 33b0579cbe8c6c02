/* search.c - `pmtool search`: ranked full-text search over the index. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "core/buf.h"
#include "query_run.h"

static const char options_help[] =
	"options:\n"
	"      --type T         only documents of this type\n"
	"      --section NAME   only sections with this heading (case-insensitive)\n"
	"      --limit N        at most N results (default 20)\n"
	PM_QUERY_OPTIONS_HELP
	"  -h, --help           show this help\n"
	"\n"
	"WORDS are matched as words (all of them, in any order, stemmed: 'leaks'\n"
	"finds 'leak'); \"a phrase\" in quotes matches the phrase.  Results are\n"
	"ranked by BM25 with a snippet and the section's path:line.\n";

/* Turns the user's words into an FTS5 query: each word or quoted phrase
 * becomes a quoted string, so no FTS5 syntax (NEAR, column filters, a
 * stray '*' or '"') can make the query fail or mean something else. */
static void fts_query(struct pm_buf *b, int n, char **words)
{
	for (int i = 0; i < n; i++) {
		const char *w = words[i];
		if (!*w)
			continue;
		if (b->len)
			pm_buf_addc(b, ' ');
		pm_buf_addc(b, '"');
		for (const char *p = w; *p; p++) {
			if (*p == '"')
				pm_buf_addc(b, '"');
			pm_buf_addc(b, *p);
		}
		pm_buf_addc(b, '"');
	}
}

int cmd_search(int argc, char **argv)
{
	enum { O_TYPE = 1, O_SECTION, O_LIMIT };
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, O_TYPE },
		{ "section", required_argument, NULL, O_SECTION },
		{ "limit", required_argument, NULL, O_LIMIT },
		{ "help", no_argument, NULL, 'h' },
		PM_QUERY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct pm_query_common c = { .format = PM_OUT_TABLE };
	const char *type = NULL, *section = NULL;
	long limit = 20;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		int used = pm_query_option(&c, "search", ch, optarg);
		if (used == PM_EXIT_USAGE)
			return used;
		if (used)
			continue;
		switch (ch) {
		case O_TYPE: type = optarg; break;
		case O_SECTION: section = optarg; break;
		case O_LIMIT: {
			char *end;
			limit = strtol(optarg, &end, 10);
			if (*end || limit < 1 || limit > 100000)
				return pm_cli_usage_error("search", "--limit takes a number from 1 to "
							  "100000, not '%s'", optarg);
			break;
		}
		case 'h':
			pm_cli_print_help("search", options_help);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("search", "option '%s' needs a value", argv[optind - 1]);
		default:
			return pm_cli_usage_error("search", "unknown option '%s'", argv[optind - 1]);
		}
	}
	struct pm_buf match = PM_BUF_INIT;
	fts_query(&match, argc - optind, argv + optind);
	if (!match.len) {
		pm_buf_release(&match);
		return pm_cli_usage_error("search", "give the words to search for");
	}
	struct pm_query_run r;
	int rc = pm_query_begin(&r, "search", &c);
	sqlite3_stmt *st = NULL;
	if (!rc) {
		/* Hits are marked **like this**: it survives every format (the
		 * table printer shows no escape codes) and reads as Markdown
		 * emphasis in the markdown format. */
		char sql[1200];
		snprintf(sql, sizeof(sql),
			 "SELECT d.id, d.type, CASE WHEN s.level = 0 THEN '(title)' ELSE s.path END AS section, "
			 "trim(CASE WHEN s.level = 0 THEN snippet(search, -1, '**', '**', '…', 12) "
			 "ELSE snippet(search, 2, '**', '**', '…', 12) END, ' ' || char(10, 13, 9)) "
			 "AS snippet, "
			 "?1 || s.doc || ':' || s.line AS location, round(bm25(search), 2) AS rank "
			 "FROM search JOIN sections s ON s.rowid = search.rowid "
			 "JOIN documents d ON d.path = s.doc "
			 "WHERE search MATCH ?2 %s %s ORDER BY bm25(search), s.doc, s.line LIMIT ?5",
			 type ? "AND d.type = ?3" : "", section ? "AND s.heading = ?4 COLLATE NOCASE" : "");
		if (!(st = pm_query_prepare(&r, "search", sql)))
			rc = PM_EXIT_USAGE;
	}
	if (!rc) {
		sqlite3_bind_text(st, 1, r.display_root, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, pm_buf_cstr(&match), -1, SQLITE_STATIC);
		if (type)
			sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
		if (section)
			sqlite3_bind_text(st, 4, section, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, limit);
		rc = pm_query_print(&r, "search", st, c.format, NULL);
	}
	sqlite3_finalize(st);
	pm_buf_release(&match);
	pm_query_end(&r);
	return rc;
}
