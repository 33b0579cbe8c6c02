/* query.c - `pmtool query actions|docs|sql`: answers from the index. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "query_run.h"

static const char usage_help[] =
	"usage: pmtool query actions [options]   action items of every postmortem\n"
	"       pmtool query docs [options]      documents filtered by frontmatter\n"
	"       pmtool query sql [SQL]           read-only SQL (SQL from stdin when absent)\n"
	"\n"
	"Every query brings the index up to date first (unless --no-refresh).\n"
	"'pmtool query SUBCOMMAND --help' lists a subcommand's options.\n";

/* ---- a query under construction: SQL text and its bound strings ---------- */

struct q {
	struct pm_buf sql;
	const char *binds[256];
	int nbinds;
	bool too_many;
	struct pm_arena arena;	/* strings the query made itself */
	const char *location_prefix;	/* pm_out_opts.location_prefix */
};

static void q_release(struct q *q)
{
	pm_buf_release(&q->sql);
	pm_arena_release(&q->arena);
}

static void bind(struct q *q, const char *v)
{
	if (q->nbinds < 256)
		q->binds[q->nbinds++] = v;
	else
		q->too_many = true;
}

/* Adds "col IN (?,?,...)" for a comma-separated list, binding each item;
 * prefix "@" is added to items without it when at is set. */
static void in_list(struct q *q, const char *expr, char *list, bool at, bool negate)
{
	pm_buf_printf(&q->sql, " AND %s %sIN (", expr, negate ? "NOT " : "");
	int n = 0;
	for (char *save, *item = strtok_r(list, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		while (*item == ' ')
			item++;
		if (!*item)
			continue;
		if (at && *item != '@') {
			char *w = pm_arena_printf(&q->arena, "@%s", item);
			if (!w)
				continue;
			item = w;
		}
		pm_buf_printf(&q->sql, "%s?", n++ ? "," : "");
		bind(q, item);
	}
	if (!n)
		pm_buf_adds(&q->sql, "NULL");
	pm_buf_addc(&q->sql, ')');
}

static int run_q(struct pm_query_run *r, const char *cmd, struct q *q, enum pm_out_format fmt)
{
	if (q->too_many || q->sql.failed) {
		fprintf(stderr, "pmtool %s: too many filters\n", cmd);
		return PM_EXIT_USAGE;
	}
	sqlite3_stmt *st = pm_query_prepare(r, cmd, pm_buf_cstr(&q->sql));
	if (!st)
		return PM_EXIT_USAGE;
	for (int i = 0; i < q->nbinds; i++)
		sqlite3_bind_text(st, i + 1, q->binds[i], -1, SQLITE_STATIC);
	struct pm_out_opts o = { .location_prefix = q->location_prefix };
	int rc = pm_query_print(r, cmd, st, fmt, &o);
	sqlite3_finalize(st);
	return rc;
}

/* ---- query actions ----------------------------------------------------------- */

static const char actions_help[] =
	"usage: pmtool query actions [--open] [--status S,...] [--overdue] [--owner @h,...]\n"
	"         [--incident ID,...] [--severity sev1,...] [--due-before DATE]\n"
	"         [--due-after DATE] [--sort due|owner|status|incident] [--today DATE]\n"
	"         [--format table|json|csv|markdown]\n"
	"\n"
	"One row per action item, with its incident's ID, title and severity, the\n"
	"owner, due date, status, days overdue and path:line.  Open means not done\n"
	"and not cancelled; --overdue is open with Due before today.\n"
	"\n"
	"options:\n"
	"      --open           only open items\n"
	"      --status LIST    only these statuses\n"
	"      --overdue        only open items whose Due is before today\n"
	"      --owner LIST     only these owners (@ optional)\n"
	"      --incident LIST  only these documents\n"
	"      --severity LIST  only incidents of these severities\n"
	"      --due-before D   Due before this date; --due-after D: after it\n"
	"      --sort KEY       due (default), owner, status or incident\n"
	"      --today DATE     the date overdue is measured from (default: today)\n"
	PM_QUERY_OPTIONS_HELP
	"  -h, --help           show this help\n";

static bool valid_date(const char *s)
{
	int32_t d;
	return pm_date_parse(s, strlen(s), &d);
}

static int query_actions(int argc, char **argv)
{
	enum { O_OPEN = 1, O_STATUS, O_OVERDUE, O_OWNER, O_INCIDENT, O_SEVERITY, O_BEFORE, O_AFTER,
	       O_SORT, O_TODAY };
	static const struct option longopts[] = {
		{ "open", no_argument, NULL, O_OPEN },
		{ "status", required_argument, NULL, O_STATUS },
		{ "overdue", no_argument, NULL, O_OVERDUE },
		{ "owner", required_argument, NULL, O_OWNER },
		{ "incident", required_argument, NULL, O_INCIDENT },
		{ "severity", required_argument, NULL, O_SEVERITY },
		{ "due-before", required_argument, NULL, O_BEFORE },
		{ "due-after", required_argument, NULL, O_AFTER },
		{ "sort", required_argument, NULL, O_SORT },
		{ "today", required_argument, NULL, O_TODAY },
		{ "help", no_argument, NULL, 'h' },
		PM_QUERY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct pm_query_common c = { .format = PM_OUT_TABLE };
	bool open_only = false, overdue = false;
	char *status = NULL, *owner = NULL, *incident = NULL, *severity = NULL;
	const char *before = NULL, *after = NULL, *sort = "due", *today_arg = NULL;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		int used = pm_query_option(&c, "query actions", ch, optarg);
		if (used == PM_EXIT_USAGE)
			return used;
		if (used)
			continue;
		switch (ch) {
		case O_OPEN: open_only = true; break;
		case O_OVERDUE: overdue = true; break;
		case O_STATUS: status = optarg; break;
		case O_OWNER: owner = optarg; break;
		case O_INCIDENT: incident = optarg; break;
		case O_SEVERITY: severity = optarg; break;
		case O_BEFORE:
		case O_AFTER:
			if (!valid_date(optarg))
				return pm_cli_usage_error("query actions", "--due-%s takes a date YYYY-MM-DD, "
							  "not '%s'", ch == O_BEFORE ? "before" : "after",
							  optarg);
			*(ch == O_BEFORE ? &before : &after) = optarg;
			break;
		case O_SORT:
			if (strcmp(optarg, "due") && strcmp(optarg, "owner") && strcmp(optarg, "status") &&
			    strcmp(optarg, "incident"))
				return pm_cli_usage_error("query actions", "--sort takes due, owner, status or "
							  "incident, not '%s'", optarg);
			sort = optarg;
			break;
		case O_TODAY: today_arg = optarg; break;
		case 'h':
			fputs(actions_help, stdout);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("query actions", "option '%s' needs a value", argv[optind - 1]);
		default:
			return pm_cli_usage_error("query actions", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return pm_cli_usage_error("query actions", "unexpected argument '%s'", argv[optind]);
	char today[11];
	if (pm_query_today(today_arg, "query", today))
		return PM_EXIT_USAGE;
	struct pm_query_run r;
	int rc = pm_query_begin(&r, "query", &c);
	if (rc) {
		pm_query_end(&r);
		return rc;
	}
	struct q q = { .sql = PM_BUF_INIT };
	pm_arena_init(&q.arena);
	/* action_items carries the incident's id, title and severity and
	 * whether the item is open (by the type's own closed list), so this
	 * reads one table; with --open, only its partial index. */
	/* due_day is the Due date as days since 1970, NULL when it is not a
	 * date, as lint reads it: overdue is integer arithmetic. */
	int32_t today_day = 0;
	pm_date_parse(today, strlen(today), &today_day);
	char today_num[16];
	snprintf(today_num, sizeof(today_num), "%d", (int)today_day);
	pm_buf_printf(&q.sql, "SELECT incident, title, severity, action, owner, due, status, "
			      "CASE WHEN open AND due_day < %s THEN %s - due_day END "
			      "AS days_overdue, doc AS location_path, line AS location_line "
			      "FROM action_items WHERE 1", today_num, today_num);
	q.location_prefix = r.display_root;
	if (open_only || overdue)
		pm_buf_adds(&q.sql, " AND open");
	if (overdue)
		pm_buf_printf(&q.sql, " AND due_day < %s", today_num);
	if (status)
		in_list(&q, "COALESCE(status, '')", status, false, false);
	if (owner)
		in_list(&q, "owner", owner, true, false);
	if (incident)
		in_list(&q, "incident", incident, false, false);
	if (severity)
		in_list(&q, "severity", severity, false, false);
	if (before) {
		pm_buf_adds(&q.sql, " AND due < ?");
		bind(&q, before);
	}
	if (after) {
		pm_buf_adds(&q.sql, " AND due > ?");
		bind(&q, after);
	}
	/* The default order is the one the partial index action_items_open
	 * keeps: SQLite then sorts nothing. */
	pm_buf_printf(&q.sql, " ORDER BY %sdue IS NULL, due, incident, line",
		      !strcmp(sort, "owner") ? "owner IS NULL, owner, "
		      : !strcmp(sort, "status") ? "status IS NULL, status, "
		      : !strcmp(sort, "incident") ? "incident, " : "");
	rc = run_q(&r, "query", &q, c.format);
	q_release(&q);
	pm_query_end(&r);
	return rc;
}

/* ---- query docs ----------------------------------------------------------------- */

static const char docs_help[] =
	"usage: pmtool query docs [--type T] [--where EXPR]... [--fields a,b,...]\n"
	"         [--sort FIELD] [--format table|json|csv|markdown]\n"
	"\n"
	"Documents filtered by their frontmatter.  EXPR is FIELD OP VALUE with OP one\n"
	"of = != < <= > >= (text order, which is date order for ISO dates; numbers\n"
	"compare as numbers) or ~ (list membership: --where tags~database).\n"
	"\n"
	"options:\n"
	"      --type T         only documents of this type\n"
	"      --where EXPR     a filter; several are all applied\n"
	"      --fields LIST    the columns (default: id,type,title,status,path); any\n"
	"                       frontmatter key works, lists joined with ', '\n"
	"      --sort FIELD     sort by this column (default: id)\n"
	PM_QUERY_OPTIONS_HELP
	"  -h, --help           show this help\n";

/* Columns of the documents table that a field name may mean directly. */
static const char *const doc_columns[] = {
	"id", "type", "title", "status", "severity", "date", "started_at", "resolved_at",
	"duration_minutes", "path",
};

static bool is_doc_column(const char *f)
{
	for (size_t i = 0; i < sizeof(doc_columns) / sizeof(doc_columns[0]); i++)
		if (!strcmp(doc_columns[i], f))
			return true;
	return false;
}

static bool is_name(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '-' || ch == '.'))
			return false;
	}
	return true;
}

/* A plain decimal number: digits with an optional sign, point and
 * exponent.  strtod would also take "nan", "inf" and hex, which are words
 * here. */
static bool is_number(const char *s)
{
	size_t i = s[0] == '-' || s[0] == '+', digits = 0;
	while (s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (digits && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		i += s[i] == '-' || s[i] == '+';
		size_t e = 0;
		while (s[i] >= '0' && s[i] <= '9')
			i++, e++;
		if (!e)
			return false;
	}
	return digits && !s[i];
}

/* One --where: appends its condition; -1 when it does not parse. */
static int where(struct q *q, char *expr)
{
	static const char *const ops[] = { "!=", "<=", ">=", "=", "<", ">", "~" };
	char *at = NULL;
	const char *op = NULL;
	for (char *p = expr; *p && !at; p++)
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (!strncmp(p, ops[i], strlen(ops[i]))) {
				at = p;
				op = ops[i];
				break;
			}
	if (!at || !is_name(expr, (size_t)(at - expr)))
		return -1;
	*at = '\0';
	char *field = expr, *value = at + strlen(op);
	bool numeric = is_number(value) && strcmp(op, "~");
	const char *cmp = !strcmp(op, "~") ? "=" : !strcmp(op, "!=") ? "=" : op;
	char col[160];
	if (is_doc_column(field) && strcmp(op, "~")) {
		if (numeric)
			snprintf(col, sizeof(col), "CAST(d.%s AS REAL)", field);
		else
			snprintf(col, sizeof(col), "d.%s", field);
		/* "status!=resolved" keeps documents without a status. */
		if (!strcmp(op, "!="))
			pm_buf_printf(&q->sql, " AND (d.%s IS NULL OR NOT (%s = %s))", field, col,
				      numeric ? "CAST(? AS REAL)" : "?");
		else
			pm_buf_printf(&q->sql, " AND %s %s %s", col, cmp,
				      numeric ? "CAST(? AS REAL)" : "?");
		bind(q, value);
		return 0;
	}
	/* Any frontmatter key, through the fields table (a list matches when
	 * one of its items does). */
	snprintf(col, sizeof(col), numeric ? "CAST(f.value AS REAL)" : "f.value");
	pm_buf_printf(&q->sql, " AND %sEXISTS (SELECT 1 FROM fields f WHERE f.doc = d.path "
			       "AND f.key = ? AND %s %s %s)", !strcmp(op, "!=") ? "NOT " : "", col,
		      cmp, numeric ? "CAST(? AS REAL)" : "?");
	bind(q, field);
	bind(q, value);
	return 0;
}

static int query_docs(int argc, char **argv)
{
	enum { O_TYPE = 1, O_WHERE, O_FIELDS, O_SORT };
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, O_TYPE },
		{ "where", required_argument, NULL, O_WHERE },
		{ "fields", required_argument, NULL, O_FIELDS },
		{ "sort", required_argument, NULL, O_SORT },
		{ "help", no_argument, NULL, 'h' },
		PM_QUERY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct pm_query_common c = { .format = PM_OUT_TABLE };
	const char *type = NULL, *sort = "id";
	char *fields = NULL;
	char *wheres[64];
	int nwheres = 0;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		int used = pm_query_option(&c, "query docs", ch, optarg);
		if (used == PM_EXIT_USAGE)
			return used;
		if (used)
			continue;
		switch (ch) {
		case O_TYPE: type = optarg; break;
		case O_WHERE:
			if (nwheres == 64)
				return pm_cli_usage_error("query docs", "at most 64 --where filters");
			wheres[nwheres++] = optarg;
			break;
		case O_FIELDS: fields = optarg; break;
		case O_SORT:
			if (!is_name(optarg, strlen(optarg)))
				return pm_cli_usage_error("query docs", "--sort takes a field name, not '%s'",
							  optarg);
			sort = optarg;
			break;
		case 'h':
			fputs(docs_help, stdout);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("query docs", "option '%s' needs a value", argv[optind - 1]);
		default:
			return pm_cli_usage_error("query docs", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return pm_cli_usage_error("query docs", "unexpected argument '%s'", argv[optind]);
	struct q q = { .sql = PM_BUF_INIT };
	pm_arena_init(&q.arena);
	/* Columns first: a bad name is a usage error before any work. */
	char deflt[] = "id,type,title,status,path";
	char *list = fields ? fields : deflt;
	pm_buf_adds(&q.sql, "SELECT ");
	int ncols = 0;
	char *sort_col = NULL;
	for (char *save, *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		while (*f == ' ')
			f++;
		if (!is_name(f, strlen(f))) {
			pm_buf_release(&q.sql);
			return pm_cli_usage_error("query docs", "--fields takes field names, not '%s'", f);
		}
		if (!strcmp(f, "path"))
			pm_buf_printf(&q.sql, "%s? || d.path AS path", ncols++ ? ", " : "");
		else if (is_doc_column(f))
			pm_buf_printf(&q.sql, "%sd.%s AS \"%s\"", ncols++ ? ", " : "", f, f);
		else
			pm_buf_printf(&q.sql, "%s(SELECT group_concat(value, ', ') FROM "
					      "(SELECT value FROM fields WHERE doc = d.path AND key = '%s' "
					      "ORDER BY item)) AS \"%s\"", ncols++ ? ", " : "", f, f);
		if (!strcmp(f, sort))
			sort_col = f;
	}
	if (!ncols) {
		pm_buf_release(&q.sql);
		return pm_cli_usage_error("query docs", "--fields names no field");
	}
	pm_buf_adds(&q.sql, " FROM documents d WHERE 1");
	int rc = 0;
	for (int i = 0; i < nwheres && !rc; i++) {
		char *copy = wheres[i];
		char shown[256];
		snprintf(shown, sizeof(shown), "%s", copy);
		if (where(&q, copy) < 0)
			rc = pm_cli_usage_error("query docs", "--where '%s' is not FIELD OP VALUE (OP one of "
						"= != < <= > >= ~)", shown);
	}
	if (rc) {
		pm_buf_release(&q.sql);
		return rc;
	}
	if (type) {
		pm_buf_adds(&q.sql, " AND d.type = ?");
		bind(&q, type);
	}
	if (sort_col)
		pm_buf_printf(&q.sql, " ORDER BY \"%s\" IS NULL, \"%s\", d.path", sort, sort);
	else if (is_doc_column(sort))
		pm_buf_printf(&q.sql, " ORDER BY d.%s IS NULL, d.%s, d.path", sort, sort);
	else
		pm_buf_printf(&q.sql, " ORDER BY (SELECT min(value) FROM fields WHERE doc = d.path "
				      "AND key = '%s') IS NULL, (SELECT min(value) FROM fields WHERE "
				      "doc = d.path AND key = '%s'), d.path", sort, sort);
	struct pm_query_run r;
	rc = pm_query_begin(&r, "query", &c);
	if (!rc) {
		/* The display root is the first bound value when path is shown. */
		struct q full = { .sql = q.sql };
		bool has_path = strstr(pm_buf_cstr(&q.sql), "? || d.path") != NULL;
		if (has_path)
			bind(&full, r.display_root);
		for (int i = 0; i < q.nbinds; i++)
			bind(&full, q.binds[i]);
		rc = run_q(&r, "query", &full, c.format);
	}
	pm_buf_release(&q.sql);
	pm_query_end(&r);
	return rc;
}

/* ---- query sql --------------------------------------------------------------------- */

static const char sql_help[] =
	"usage: pmtool query sql [--format table|json|csv|markdown] [--limit N] [SQL]\n"
	"\n"
	"Runs one read-only SELECT against the index (SQL from standard input when\n"
	"not given).  The connection is read-only and an authorizer refuses every\n"
	"write, ATTACH, VACUUM and PRAGMA that changes state; a query runs at most\n"
	"10 seconds and prints at most --limit rows (default 100000).  The tables\n"
	"are described in pmtool-index(1).\n"
	"\n"
	"options:\n"
	"      --limit N        print at most N rows\n"
	PM_QUERY_OPTIONS_HELP
	"  -h, --help           show this help\n";

/* Pragmas that only read, and may be asked for as functions or statements
 * without an argument. */
static const char *const read_pragmas[] = {
	"table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
	"foreign_key_list", "function_list", "pragma_list", "collation_list", "module_list",
	"user_version", "schema_version", "page_count", "page_size", "freelist_count",
	"encoding", "compile_options", "database_list", "data_version",
};

static int authorize(void *ctx, int action, const char *a1, const char *a2, const char *db,
		     const char *trigger)
{
	(void)ctx;
	(void)db;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_FUNCTION:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_UPDATE:
		/* SQLite asks this while it connects a virtual table (FTS5,
		 * json_each, pragma functions): no write follows, and the
		 * connection is read-only anyway. */
		return a1 && !strcmp(a1, "sqlite_master") && !trigger ? SQLITE_OK : SQLITE_DENY;
	case SQLITE_PRAGMA:
		/* a1 is the pragma, a2 its argument: "PRAGMA x = y" writes. */
		for (size_t i = 0; i < sizeof(read_pragmas) / sizeof(read_pragmas[0]); i++)
			if (a1 && !strcasecmp(a1, read_pragmas[i]) &&
			    (!a2 || strcmp(read_pragmas[i], "user_version")))
				return a2 && strstr(a1, "version") ? SQLITE_DENY : SQLITE_OK;
		return SQLITE_DENY;
	default:
		/* INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, ATTACH, DETACH,
		 * TRANSACTION, SAVEPOINT, ANALYZE, REINDEX, ... */
		return SQLITE_DENY;
	}
}

struct deadline {
	struct timespec end;
};

static int check_deadline(void *ctx)
{
	struct deadline *d = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > d->end.tv_sec ||
	       (now.tv_sec == d->end.tv_sec && now.tv_nsec > d->end.tv_nsec);
}

static char *read_stdin(void)
{
	struct pm_buf b = PM_BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0 && b.len < (1u << 20))
		pm_buf_add(&b, chunk, n);
	if (b.failed) {
		pm_buf_release(&b);
		return NULL;
	}
	return b.data ? b.data : strdup("");
}

static int query_sql(int argc, char **argv)
{
	enum { O_LIMIT = 1 };
	static const struct option longopts[] = {
		{ "limit", required_argument, NULL, O_LIMIT },
		{ "help", no_argument, NULL, 'h' },
		PM_QUERY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct pm_query_common c = { .format = PM_OUT_TABLE };
	size_t limit = 100000;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		int used = pm_query_option(&c, "query sql", ch, optarg);
		if (used == PM_EXIT_USAGE)
			return used;
		if (used)
			continue;
		switch (ch) {
		case O_LIMIT: {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (*end || !v || optarg[0] == '-')
				return pm_cli_usage_error("query sql", "--limit takes a positive number, "
							  "not '%s'", optarg);
			limit = (size_t)v;
			break;
		}
		case 'h':
			fputs(sql_help, stdout);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("query sql", "option '%s' needs a value", argv[optind - 1]);
		default:
			return pm_cli_usage_error("query sql", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return pm_cli_usage_error("query sql", "give the SQL as one argument (quote it)");
	char *sql = optind < argc ? strdup(argv[optind]) : read_stdin();
	if (!sql) {
		fprintf(stderr, "pmtool query: out of memory\n");
		return PM_EXIT_USAGE;
	}
	struct pm_query_run r;
	int rc = pm_query_begin(&r, "query", &c);
	sqlite3_stmt *st = NULL;
	if (!rc) {
		/* Bounds on what one query may cost. */
		sqlite3_limit(r.db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);
		sqlite3_limit(r.db, SQLITE_LIMIT_LENGTH, 16 << 20);
		sqlite3_limit(r.db, SQLITE_LIMIT_COLUMN, 256);
		sqlite3_limit(r.db, SQLITE_LIMIT_EXPR_DEPTH, 200);
		sqlite3_limit(r.db, SQLITE_LIMIT_COMPOUND_SELECT, 64);
		sqlite3_limit(r.db, SQLITE_LIMIT_ATTACHED, 0);
		sqlite3_set_authorizer(r.db, authorize, NULL);
		const char *tail = NULL;
		if (sqlite3_prepare_v2(r.db, sql, -1, &st, &tail) != SQLITE_OK) {
			bool denied = sqlite3_errcode(r.db) == SQLITE_AUTH ||
				      strstr(sqlite3_errmsg(r.db), "not authorized");
			fprintf(stderr, "pmtool query: %s\n", denied
				? "refused: the index is read-only here (SELECT and read-only "
				  "PRAGMAs only; no ATTACH)"
				: sqlite3_errmsg(r.db));
			rc = PM_EXIT_USAGE;
		} else if (!st) {
			fprintf(stderr, "pmtool query: no SQL statement given\n");
			rc = PM_EXIT_USAGE;
		} else if (tail && tail[strspn(tail, " \t\r\n;")]) {
			fprintf(stderr, "pmtool query: one statement at a time\n");
			rc = PM_EXIT_USAGE;
		} else if (!sqlite3_stmt_readonly(st)) {
			/* VACUUM INTO writes a new file even on a read-only
			 * connection, and no authorizer code covers it. */
			fprintf(stderr, "pmtool query: only statements that read are allowed\n");
			rc = PM_EXIT_USAGE;
		}
	}
	if (!rc) {
		struct deadline d;
		clock_gettime(CLOCK_MONOTONIC, &d.end);
		d.end.tv_sec += 10;
		sqlite3_progress_handler(r.db, 10000, check_deadline, &d);
		struct pm_out_opts o = { .max_rows = limit, .max_cell = 1 << 20 };
		rc = pm_query_print(&r, "query", st, c.format, &o);
	}
	sqlite3_finalize(st);
	free(sql);
	pm_query_end(&r);
	return rc;
}

int cmd_query(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_help, stderr);
		return PM_EXIT_USAGE;
	}
	if (pm_cli_is_help(argv[1])) {
		printf("usage: pmtool query actions|docs|sql [options]\n\n"
		       "Answer questions from the index: action items, documents, raw SQL.\n\n%s"
		       "\nSee pmtool-query(1) for details.\n", usage_help);
		return PM_EXIT_OK;
	}
	if (!strcmp(argv[1], "actions"))
		return query_actions(argc - 1, argv + 1);
	if (!strcmp(argv[1], "docs"))
		return query_docs(argc - 1, argv + 1);
	if (!strcmp(argv[1], "sql"))
		return query_sql(argc - 1, argv + 1);
	fprintf(stderr, "pmtool query: unknown query '%s'\n", argv[1]);
	fputs(usage_help, stderr);
	return PM_EXIT_USAGE;
}
