/* report.c - `pmtool report site|postmortem|actions`: pages from templates. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "core/report.h"
#include "core/strmap.h"
#include "query_run.h"
#include "setup.h"
#include "templates.h"
#include "version.h"

/* The file that marks a folder as a site pmtool made. */
#define SITE_MARK ".pmtool-site"

static const char usage_help[] =
	"usage: pmtool report site [--out DIR] [options]\n"
	"       pmtool report postmortem ID [--format html|markdown] [options]\n"
	"       pmtool report actions [--owner @h] [--format markdown|html] [options]\n"
	"\n"
	"options (every report):\n"
	"      --templates DIR  a team's templates, used before the built-in ones\n"
	"      --title TEXT     the site's title (default: Postmortems)\n"
	"      --today DATE     the date overdue is measured from\n"
	"      --no-graphs      site: no Graphviz neighbourhood pictures\n"
	"      --split-actions N\n"
	"                       site: above N action items (default 20000; 0: never),\n"
	"                       actions.html lists the owners, each with a page\n"
	"  -f, --format FMT     postmortem: html (default) or markdown;\n"
	"                       actions: markdown (default) or html\n"
	"      --owner @h       actions: only this owner's items\n"
	"      --out DIR        site: where to write it (default: site); an existing\n"
	"                       folder is replaced only when empty or made by pmtool\n"
	"      --db FILE        the index file (default: <docs root>/.pmtool/index.db)\n"
	"      --no-refresh     use the index as it is\n"
	"      --root DIR       the docs root\n"
	"      --schema DIR     schema files that replace or extend the built-in ones\n"
	"      --users FILE     the users file\n"
	"  -h, --help           show this help\n";

struct report_opts {
	struct pm_query_common c;
	const char *out, *templates, *title, *today, *owner, *format;
	bool no_graphs;
	size_t split_actions;
};

/* At 20,000 items actions.html is about 4 MB: more is slow to open. */
#define SPLIT_ACTIONS_DEFAULT 20000

/* ---- writing the site: only under --out, never through a link ---------------- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes a tree without following any symbolic link in it. */
static int remove_tree(const char *path)
{
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int write_file(int dir, const char *name, const char *data, size_t len)
{
	/* O_EXCL and O_NOFOLLOW: a file appears only where pmtool made the
	 * folder, and nothing planted there is written through. */
	int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	return close(fd);
}

static int render_to(struct pm_templates *t, int dir, const char *tmpl, const char *file,
		     const struct pm_value *data)
{
	struct pm_buf out = PM_BUF_INIT;
	struct pm_error err = { 0 };
	int rc = data ? pm_templates_render(t, tmpl, data, &out, &err) : PM_ERR_NOMEM;
	if (rc) {
		fprintf(stderr, "pmtool report: %s: %s\n", file, err.msg[0] ? err.msg : "out of memory");
	} else if (write_file(dir, file, out.data ? out.data : "", out.len) < 0) {
		char e[128];
		fprintf(stderr, "pmtool report: cannot write %s: %s\n", file,
			pm_errno_text(errno, e, sizeof(e)));
		rc = PM_ERR_IO;
	}
	pm_buf_release(&out);
	return rc;
}

static int copy_asset(struct pm_templates *t, int dir, const char *name)
{
	size_t len;
	const char *s = pm_templates_read(t, name, &len);
	if (!s) {
		fprintf(stderr, "pmtool report: no template '%s'\n", name);
		return PM_ERR_NOTFOUND;
	}
	return write_file(dir, name, s, len) < 0 ? PM_ERR_IO : 0;
}

static int build_site(struct pm_report *r, struct pm_templates *t, int dir)
{
	int rc = render_to(t, dir, "index.mustache", "index.html", pm_report_overview(r));
	pm_report_page_done(r);
	bool split = false;
	if (!rc && pm_report_actions_split(r, &split)) {
		fprintf(stderr, "pmtool report: cannot list the owners of action items\n");
		rc = PM_EXIT_USAGE;
	}
	if (!rc)
		rc = render_to(t, dir, "actions.mustache", "actions.html",
			       split ? pm_report_action_owners(r) : pm_report_actions(r, NULL));
	pm_report_page_done(r);
	for (size_t i = 0; split && !rc && i < r->nowners; i++) {
		rc = render_to(t, dir, "actions.mustache", r->owner_pages[i],
			       pm_report_owner_actions(r, i));
		pm_report_page_done(r);
	}
	/* One list per type, a team's own types included. */
	for (size_t i = 0; !rc && i < r->schema->ntypes; i++) {
		const struct pm_type_schema *ts = &r->schema->types[i];
		const char *title = pm_report_type_title(ts->name);
		const char *page = pm_report_type_page(r, ts->name);
		if (!page)
			return PM_ERR_NOMEM;
		rc = render_to(t, dir, "list.mustache", page,
			       pm_report_list(r, ts->name, title ? title
					      : ts->description ? ts->description : ts->name));
		pm_report_page_done(r);
	}
	if (!rc)
		rc = copy_asset(t, dir, "style.css");
	if (!rc)
		rc = copy_asset(t, dir, "sort.js");
	/* The mark that says "pmtool made this folder": only such a folder
	 * (or an empty one) is ever replaced by a later run. */
	if (!rc && write_file(dir, SITE_MARK, "pmtool report site\n", 19) < 0)
		rc = PM_ERR_IO;
	const char **paths;
	size_t n;
	if (!rc && pm_report_paths(r, &paths, &n))
		rc = PM_ERR_NOMEM;
	struct pm_strmap written;
	pm_strmap_init(&written);
	for (size_t i = 0; !rc && i < n; i++) {
		struct pm_value *data = pm_report_document(r, paths[i]);
		const struct pm_value *d = data ? pm_value_get(data, "doc") : NULL;
		const struct pm_value *page = d ? pm_value_get(d, "page") : NULL;
		/* A duplicated ID has one page: its first document's. */
		/* The map borrows its keys: a copy that outlives this page. */
		const char *name = page && page->raw ? pm_arena_strdup(&r->keep, page->raw) : NULL;
		if (!name || pm_strmap_put(&written, name, i, NULL) != 1)
			continue;
		rc = render_to(t, dir, "doc.mustache", name, data);
		pm_report_page_done(r);
	}
	pm_strmap_release(&written);
	return rc;
}

/* True when dir is empty or was made by pmtool report site. */
static bool replaceable(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool empty = true, marked = false;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		empty = false;
		marked |= !strcmp(e->d_name, SITE_MARK);
	}
	closedir(d);
	return empty || marked;
}

static int report_site(struct pm_report *r, struct pm_templates *t, const char *given)
{
	/* "site/" is "site": the scratch folders go beside it, not in it. */
	char out[4000];
	snprintf(out, sizeof(out), "%s", given);
	size_t len = strlen(out);
	while (len > 1 && out[len - 1] == '/')
		out[--len] = '\0';
	struct stat st;
	if (!strcmp(out, "/") || !strcmp(out, ".") || !strcmp(out, "..")) {
		fprintf(stderr, "pmtool report: --out %s: give a folder of its own\n", given);
		return PM_EXIT_USAGE;
	}
	if (lstat(out, &st) == 0 && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
		fprintf(stderr, "pmtool report: %s exists and is not a folder\n", out);
		return PM_EXIT_USAGE;
	}
	if (lstat(out, &st) == 0 && S_ISDIR(st.st_mode) && !replaceable(out)) {
		fprintf(stderr, "pmtool report: %s is not empty and was not made by pmtool report "
			"site; not replacing it\n", out);
		return PM_EXIT_USAGE;
	}
	/* Built beside the old site, then swapped in: a reader never sees a
	 * half-written site, and a failure leaves the old one. */
	char tmp[4096], old[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", out, (long)getpid());
	snprintf(old, sizeof(old), "%s.old-%ld", out, (long)getpid());
	if (lstat(tmp, &st) == 0)
		remove_tree(tmp);
	if (mkdir(tmp, 0755) < 0) {
		char e[128];
		fprintf(stderr, "pmtool report: cannot create %s: %s\n", tmp,
			pm_errno_text(errno, e, sizeof(e)));
		return PM_EXIT_USAGE;
	}
	int dir = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc = dir < 0 ? PM_ERR_IO : build_site(r, t, dir);
	if (dir >= 0)
		close(dir);
	if (rc) {
		remove_tree(tmp);
		return PM_EXIT_USAGE;
	}
	bool had = lstat(out, &st) == 0;
	/* A symbolic link at --out is replaced itself; what it points at is
	 * never touched. */
	if (had && S_ISLNK(st.st_mode) && unlink(out) < 0) {
		remove_tree(tmp);
		fprintf(stderr, "pmtool report: cannot replace the link %s\n", out);
		return PM_EXIT_USAGE;
	}
	if (had && S_ISDIR(st.st_mode) && rename(out, old) < 0) {
		remove_tree(tmp);
		fprintf(stderr, "pmtool report: cannot move the old %s aside\n", out);
		return PM_EXIT_USAGE;
	}
	if (rename(tmp, out) < 0) {
		char e[128];
		fprintf(stderr, "pmtool report: cannot put the site at %s: %s\n", out,
			pm_errno_text(errno, e, sizeof(e)));
		if (had && S_ISDIR(st.st_mode))
			rename(old, out);
		remove_tree(tmp);
		return PM_EXIT_USAGE;
	}
	if (had && S_ISDIR(st.st_mode))
		remove_tree(old);
	printf("%s/index.html\n", out);
	return PM_EXIT_OK;
}

static int print_page(struct pm_templates *t, const char *tmpl, const struct pm_value *data)
{
	struct pm_buf out = PM_BUF_INIT;
	struct pm_error err = { 0 };
	int rc = data ? pm_templates_render(t, tmpl, data, &out, &err) : PM_ERR_NOMEM;
	if (rc)
		fprintf(stderr, "pmtool report: %s\n", err.msg[0] ? err.msg : "out of memory");
	else
		fwrite(out.data ? out.data : "", 1, out.len, stdout);
	pm_buf_release(&out);
	return rc ? PM_EXIT_USAGE : PM_EXIT_OK;
}

static const char *find_path(struct pm_report *r, const char *id)
{
	sqlite3_stmt *st;
	const char *path = NULL;
	if (sqlite3_prepare_v2(r->db, "SELECT min(path) FROM documents WHERE id = ?", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			path = pm_arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return path;
}

static bool has_dot(void)
{
	const char *path = getenv("PATH");
	char buf[4096];
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(buf, sizeof(buf), "%.*s/dot", (int)n, p);
		if (access(buf, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

int cmd_report(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_help, stderr);
		return PM_EXIT_USAGE;
	}
	if (pm_cli_is_help(argv[1])) {
		printf("%s\nSee pmtool-report(1) for details.\n", usage_help);
		return PM_EXIT_OK;
	}
	const char *what = argv[1];
	if (strcmp(what, "site") && strcmp(what, "postmortem") && strcmp(what, "actions")) {
		fprintf(stderr, "pmtool report: unknown report '%s' (site, postmortem or actions)\n"
			"Try 'pmtool report --help' for more information.\n", what);
		return PM_EXIT_USAGE;
	}
	enum { O_OUT = 1, O_TEMPLATES, O_TITLE, O_TODAY, O_OWNER, O_NO_GRAPHS, O_SPLIT };
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, O_OUT },
		{ "templates", required_argument, NULL, O_TEMPLATES },
		{ "title", required_argument, NULL, O_TITLE },
		{ "today", required_argument, NULL, O_TODAY },
		{ "owner", required_argument, NULL, O_OWNER },
		{ "no-graphs", no_argument, NULL, O_NO_GRAPHS },
		{ "split-actions", required_argument, NULL, O_SPLIT },
		{ "help", no_argument, NULL, 'h' },
		{ "db", required_argument, NULL, PM_QOPT_DB },
		{ "no-refresh", no_argument, NULL, PM_QOPT_NO_REFRESH },
		{ "schema", required_argument, NULL, PM_QOPT_SCHEMA },
		{ "users", required_argument, NULL, PM_QOPT_USERS },
		{ "root", required_argument, NULL, PM_QOPT_ROOT },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_opts o = { .out = "site", .split_actions = SPLIT_ACTIONS_DEFAULT };
	bool split_given = false;
	int ch;
	optind = 1;
	opterr = 0;
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (ch) {
		case O_OUT: o.out = optarg; continue;
		case O_TEMPLATES: o.templates = optarg; continue;
		case O_TITLE: o.title = optarg; continue;
		case O_TODAY: o.today = optarg; continue;
		case O_OWNER: o.owner = optarg; continue;
		case O_NO_GRAPHS: o.no_graphs = true; continue;
		case O_SPLIT: {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(optarg, &end, 10);
			if (!*optarg || *end || errno || optarg[0] == '-' || n > SIZE_MAX)
				return pm_cli_usage_error("report", "--split-actions takes a number "
							  "of items, not '%s'", optarg);
			o.split_actions = (size_t)n;
			split_given = true;
			continue;
		}
		case 'f': o.format = optarg; continue;
		case 'h':
			printf("%s\nSee pmtool-report(1) for details.\n", usage_help);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("report", "option '%s' needs a value", argv[optind - 1]);
		}
		int used = pm_query_option(&o.c, "report", ch, optarg);
		if (used == PM_EXIT_USAGE)
			return used;
		if (!used)
			return pm_cli_usage_error("report", "unknown option '%s'", argv[optind - 1]);
	}
	bool postmortem = !strcmp(what, "postmortem"), actions = !strcmp(what, "actions");
	const char *fmt = o.format ? o.format : actions ? "markdown" : "html";
	if (strcmp(fmt, "html") && strcmp(fmt, "markdown"))
		return pm_cli_usage_error("report", "--format takes html or markdown, not '%s'", fmt);
	if (!strcmp(what, "site") && o.format)
		return pm_cli_usage_error("report", "report site writes HTML; --format does not apply");
	if (o.owner && !actions)
		return pm_cli_usage_error("report", "--owner is for report actions");
	if (split_given && strcmp(what, "site"))
		return pm_cli_usage_error("report", "--split-actions is for report site");
	if (o.templates && !pm_is_dir(o.templates))
		return pm_cli_usage_error("report", "--templates %s is not a folder", o.templates);
	if (postmortem && argc - optind != 1)
		return pm_cli_usage_error("report", "report postmortem takes one ID");
	if (!postmortem && argc - optind)
		return pm_cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
	char today[11];
	if (pm_query_today(o.today, "report", today))
		return PM_EXIT_USAGE;
	struct pm_query_run qr;
	int rc = pm_query_begin(&qr, "report", &o.c);
	struct pm_report r;
	struct pm_error err = { 0 };
	struct pm_templates t;
	pm_templates_init(&t, o.templates ? o.templates
			  : !rc ? qr.setup.config->templates_dir : NULL);
	memset(&r, 0, sizeof(r));
	if (!rc && pm_report_open(&r, qr.db, qr.setup.schema, today, &err)) {
		fprintf(stderr, "pmtool report: %s\n", err.msg);
		rc = PM_EXIT_USAGE;
	}
	if (!rc) {
		r.version = PM_VERSION;
		if (o.title)
			r.title = o.title;
		r.markdown = !strcmp(fmt, "markdown");
		r.split_actions_above = o.split_actions;
		r.dot = !o.no_graphs && !postmortem && !actions && has_dot() ? "dot" : NULL;
		if (postmortem) {
			const char *path = find_path(&r, argv[optind]);
			if (!path) {
				fprintf(stderr, "pmtool report: no document '%s'\n", argv[optind]);
				rc = PM_EXIT_USAGE;
			} else {
				rc = print_page(&t, r.markdown ? "postmortem.md.mustache"
							       : "postmortem.mustache",
						pm_report_postmortem(&r, path));
			}
		} else if (actions) {
			const char *owner = o.owner;
			char *at = NULL;
			if (owner && owner[0] != '@' && (at = malloc(strlen(owner) + 2))) {
				at[0] = '@';
				strcpy(at + 1, owner);
				owner = at;
			}
			rc = print_page(&t, r.markdown ? "actions-digest.md.mustache"
						       : "actions-digest.mustache",
					pm_report_actions(&r, owner));
			free(at);
		} else {
			rc = report_site(&r, &t, o.out);
		}
	}
	pm_report_close(&r);
	pm_templates_release(&t);
	pm_query_end(&qr);
	return rc;
}
