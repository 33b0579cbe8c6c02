/* lint.c - `pmtool lint`: check documents against the schema. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/codes.h"
#include "core/pool.h"
#include "core/source.h"
#include "core/strmap.h"
#include "core/walk.h"
#include "core/path.h"
#include "core/schema.h"
#include "core/timeutil.h"
#include "core/users.h"
#include "core/validate.h"
#include "lint_output.h"
#include "setup.h"
#include "version.h"

static const char options_help[] =
	"options:\n"
	"  -f, --format FMT      text (default), json, sarif or github\n"
	"      --schema DIR      schema files that replace or extend the built-in ones\n"
	"      --users FILE      the users file (default: users.yaml at the docs root)\n"
	"      --root DIR        the docs root refs resolve against\n"
	"      --today DATE      the date overdue checks compare with (YYYY-MM-DD)\n"
	"      --strict          warnings fail the run too\n"
	"  -q, --quiet           text: print errors only, and the summary\n"
	"      --disable CODES   comma-separated codes or names to switch off\n"
	"  -j, --jobs N          threads that read and check documents (default: one\n"
	"                        per CPU); the output is the same whatever N is\n"
	"  -h, --help            show this help\n"
	"\n"
	"PATH: files or folders to report on (default: the docs root).  Refs always\n"
	"resolve against the whole docs root.  Settings also come from the nearest\n"
	".pmtool.yaml above the working folder; flags win.  Exit status: 0 no errors,\n"
	"1 errors (or warnings with --strict), 2 usage, schema or I/O trouble.\n";

struct lint_opts {
	enum pm_lint_format format;
	const char *schema, *users, *root, *disable;
	int32_t today;
	int jobs;
	bool strict, quiet;
};

struct lint_run {
	struct pm_arena arena;
	struct pm_setup setup;
	struct pm_diags walk;		/* findings of the walk */
	struct pm_lint_input *in;	/* the files to read (malloc'd) */
	size_t nin, capin;
	struct pm_lint_result res;
	struct pm_diags all;
	/* The file whose lines the report shows; findings come sorted by
	 * file, so each is read once. */
	struct pm_arena line_arena;
	struct pm_source line_src;
	const char *line_path;
	bool line_ok;
	size_t max_file_size;
};

static const char *line_of(void *ctx, const char *path, uint32_t line, size_t *len)
{
	struct lint_run *r = ctx;
	if (!r->line_path || strcmp(r->line_path, path)) {
		pm_arena_release(&r->line_arena);
		pm_arena_init(&r->line_arena);
		r->line_path = pm_arena_strdup(&r->line_arena, path);
		struct pm_error err = { 0 };
		r->line_ok = r->line_path && pm_source_read(&r->line_src, &r->line_arena, path,
							     r->max_file_size, &err) == 0;
	}
	return r->line_ok ? pm_source_line(&r->line_src, line, len) : NULL;
}

/* True when the finding's file was named on the command line (or lies
 * under a named folder). */
static bool selected(const char *file, int npaths, char *const *norm)
{
	if (npaths == 0)
		return true;
	for (int i = 0; i < npaths; i++)
		if (pm_path_inside(norm[i], file))
			return true;
	return false;
}

static bool is_regular(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int add_input(struct lint_run *r, const char *path, bool walked)
{
	/* The heap, not the arena: the arena would keep every outgrown copy. */
	struct pm_lint_input *in = pm_grow(r->in, r->nin, &r->capin, sizeof(*in), 256);
	if (!in)
		return PM_ERR_NOMEM;
	r->in = in;
	char *copy = pm_arena_strdup(&r->arena, path);
	if (!copy)
		return PM_ERR_NOMEM;
	r->in[r->nin++] = (struct pm_lint_input){ copy, walked };
	return 0;
}

static int on_walked(void *ctx, const char *path, const struct stat *st)
{
	(void)st;
	return add_input(ctx, path, true);
}

/* A folder is walked; a file is read whatever its name; a path that does
 * not exist is a finding. */
static int add_path(struct lint_run *r, const char *path, struct pm_error *err)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		char e[128];
		return pm_diags_add(&r->walk, path, 0, 0, PM_SEV_ERROR, PM_C_UNREADABLE, "%s",
				    pm_errno_text(errno, e, sizeof(e))) ? 0 : PM_ERR_NOMEM;
	}
	if (!S_ISDIR(st.st_mode))
		return add_input(r, path, false);
	return pm_walk_files(path, on_walked, r, &r->walk, err);
}

static int run(struct lint_run *r, const struct lint_opts *o, int npaths, char **paths)
{
	struct pm_error err = { 0 };
	struct pm_setup_flags flags = { .schema = o->schema, .users = o->users, .root = o->root };
	int rc = pm_setup_load(&r->setup, "lint", &flags, npaths, paths);
	if (rc)
		return rc;
	const struct pm_parse_opts popts = r->setup.parse;
	r->max_file_size = popts.limits.max_file_size;
	const char *root = pm_path_normalize(&r->arena, r->setup.root);
	if (!root)
		goto nomem;
	if (!pm_is_dir(root)) {
		fprintf(stderr, "pmtool lint: docs root '%s' is not a folder\n", root);
		return PM_EXIT_USAGE;
	}
	char **norm = pm_arena_array(&r->arena, npaths ? (size_t)npaths : 1, sizeof(*norm));
	if (!norm || add_path(r, root, &err))
		goto nomem;
	for (int i = 0; i < npaths; i++) {
		norm[i] = pm_path_normalize(&r->arena, paths[i]);
		if (!norm[i])
			goto nomem;
		if (access(norm[i], F_OK) != 0) {
			fprintf(stderr, "pmtool lint: %s: no such file or folder\n", paths[i]);
			return PM_EXIT_USAGE;
		}
		/* A path outside the docs root is read on its own, and so is a file
		 * named here that the walk passed over (a README.md without
		 * frontmatter is not a document, unless asked for by name). */
		if (!pm_path_inside(root, norm[i])) {
			if (add_path(r, norm[i], &err))
				goto nomem;
		} else if (!pm_is_dir(norm[i]) && is_regular(norm[i])) {
			/* (Anything else inside the root, a FIFO say, the walk
			 * reported already.) */
			/* Walked already (but maybe passed over as no document)? */
			size_t k = 0;
			while (k < r->nin && strcmp(r->in[k].path, norm[i]))
				k++;
			if (k < r->nin)
				r->in[k].walked = false;
			else if (add_input(r, norm[i], false)) {
				goto nomem;
			}
		}
	}
	struct pm_lint_ctx ctx = {
		.schema = r->setup.schema, .users = r->setup.users, .today = o->today, .root = root,
	};
	struct pm_diags found;
	pm_diags_init(&found, &r->arena);
	if (pm_diags_append(&found, &r->walk))
		goto nomem;
	if (pm_lint_stream(r->in, r->nin, &popts, &ctx, o->jobs, &r->res, &found, &err))
		goto nomem;
	for (size_t i = 0; i < found.n; i++) {
		if (!selected(found.items[i].path, npaths, norm))
			continue;
		if (!PM_ARENA_PUSH(&r->arena, r->all.items, r->all.n, r->all.cap))
			goto nomem;
		r->all.items[r->all.n++] = found.items[i];
	}
	if (pm_config_filter(r->setup.config, o->disable, &r->all, &err)) {
		fprintf(stderr, "pmtool lint: %s\n", err.msg);
		return PM_EXIT_USAGE;
	}
	size_t nfiles = 0;
	for (size_t i = 0; i < r->res.n; i++)
		nfiles += selected(r->res.sums[i].path, npaths, norm);
	struct pm_lint_report rep = {
		.diags = &r->all, .nfiles = nfiles, .quiet = o->quiet,
		.color = o->format == PM_LINT_TEXT && pm_cli_color(stdout),
		.source_line = line_of, .ctx = r, .tool_version = PM_VERSION,
		.max_line = popts.limits.max_output_line,	/* limits: in .pmtool.yaml */
	};
	if (pm_lint_print(stdout, o->format, &rep)) {
		fprintf(stderr, "pmtool lint: cannot write the report\n");
		return PM_EXIT_USAGE;
	}
	size_t errors = pm_diags_count(&r->all, PM_SEV_ERROR);
	size_t warnings = pm_diags_count(&r->all, PM_SEV_WARNING);
	return errors || (o->strict && warnings) ? PM_EXIT_FINDINGS : PM_EXIT_OK;
nomem:
	fprintf(stderr, "pmtool lint: %s\n", err.msg[0] ? err.msg : "out of memory");
	return PM_EXIT_USAGE;
}

int cmd_lint(int argc, char **argv)
{
	enum { OPT_SCHEMA = 256, OPT_USERS, OPT_ROOT, OPT_TODAY, OPT_STRICT, OPT_DISABLE,
	       OPT_JOBS };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "schema", required_argument, NULL, OPT_SCHEMA },
		{ "users", required_argument, NULL, OPT_USERS },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "today", required_argument, NULL, OPT_TODAY },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "disable", required_argument, NULL, OPT_DISABLE },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lint_opts o = { .format = PM_LINT_TEXT, .today = pm_today(),
			       .jobs = pm_pool_default_jobs() };
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:qj:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (pm_lint_format_parse(optarg, &o.format))
				return pm_cli_usage_error("lint", "unknown format '%s' (expected "
							  "text, json, sarif or github)", optarg);
			break;
		case OPT_SCHEMA:
			o.schema = optarg;
			break;
		case OPT_USERS:
			o.users = optarg;
			break;
		case OPT_ROOT:
			o.root = optarg;
			break;
		case OPT_TODAY:
			if (!pm_date_parse(optarg, strlen(optarg), &o.today))
				return pm_cli_usage_error("lint", "--today takes a date "
							  "YYYY-MM-DD, not '%s'", optarg);
			break;
		case OPT_STRICT:
			o.strict = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case OPT_DISABLE:
			o.disable = optarg;
			break;
		case 'j':
			if (pm_cli_parse_jobs(optarg, &o.jobs))
				return pm_cli_usage_error("lint", "--jobs takes a number from 1 "
							  "to 64, not '%s'", optarg);
			break;
		case 'h':
			pm_cli_print_help("lint", options_help);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("lint", "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			return pm_cli_usage_error("lint", "unknown option '%s'", argv[optind - 1]);
		}
	}
	struct lint_run r;
	memset(&r, 0, sizeof(r));
	pm_arena_init(&r.arena);
	pm_arena_init(&r.line_arena);
	pm_diags_init(&r.all, &r.arena);
	pm_diags_init(&r.walk, &r.arena);
	int rc = run(&r, &o, argc - optind, argv + optind);
	pm_lint_result_release(&r.res);
	free(r.in);
	pm_setup_release(&r.setup);
	pm_arena_release(&r.line_arena);
	pm_arena_release(&r.arena);
	return rc;
}
