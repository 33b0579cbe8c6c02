/* index.c - `pmtool index`: build or update the SQLite index. */
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "refresh.h"
#include "setup.h"

static const char options_help[] =
	"options:\n"
	"      --db FILE        the index file (default: <docs root>/.pmtool/index.db)\n"
	"      --rebuild        re-read every file instead of only the changed ones\n"
	"      --schema DIR     schema files that replace or extend the built-in ones\n"
	"      --users FILE     the users file (default: users.yaml at the docs root)\n"
	"  -j, --jobs N         threads that read and check documents (default: one\n"
	"                       per CPU); the index is the same whatever N is\n"
	"  -q, --quiet          print nothing on success\n"
	"  -h, --help           show this help\n"
	"\n"
	"PATH: the docs root (default: the configured one, else the working folder).\n"
	"Files whose size and mtime are unchanged are not read; the whole update is\n"
	"one transaction.  Exit status: 0 done, 2 usage or index trouble.\n";

int cmd_index(int argc, char **argv)
{
	enum { OPT_DB = 256, OPT_REBUILD, OPT_SCHEMA, OPT_USERS };
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "rebuild", no_argument, NULL, OPT_REBUILD },
		{ "schema", required_argument, NULL, OPT_SCHEMA },
		{ "users", required_argument, NULL, OPT_USERS },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	bool rebuild = false, quiet = false;
	int jobs = 0;
	struct pm_setup_flags flags = { 0 };
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":qj:h", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_DB:
			db = optarg;
			break;
		case OPT_REBUILD:
			rebuild = true;
			break;
		case OPT_SCHEMA:
			flags.schema = optarg;
			break;
		case OPT_USERS:
			flags.users = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'j':
			if (pm_cli_parse_jobs(optarg, &jobs))
				return pm_cli_usage_error("index", "--jobs takes a number from 1 "
							  "to 64, not '%s'", optarg);
			break;
		case 'h':
			pm_cli_print_help("index", options_help);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("index", "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			return pm_cli_usage_error("index", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return pm_cli_usage_error("index", "give one docs root, not %d paths", argc - optind);
	if (optind < argc) {
		if (!pm_is_dir(argv[optind]))
			return pm_cli_usage_error("index", "'%s' is not a folder", argv[optind]);
		flags.root = argv[optind];
	}
	struct pm_setup s;
	int rc = pm_setup_load(&s, "index", &flags, argc - optind, argv + optind);
	s.jobs = jobs;
	const char *path = rc ? NULL : pm_index_path(&s, "index", db, true);
	if (!rc && !path)
		rc = PM_EXIT_USAGE;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct pm_index_stats st;
	if (!rc)
		rc = pm_refresh(&s, "index", path, rebuild, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!rc && !quiet) {
		double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		printf("%s: %zu %s: %zu written, %zu unchanged, %zu touched, %zu deleted", path,
		       st.files, st.files == 1 ? "file" : "files", st.written, st.unchanged,
		       st.same_content, st.deleted);
		if (st.not_documents)
			printf(", %zu not documents", st.not_documents);
		printf("%s (%.0f ms)\n", st.rebuilt ? ", rebuilt" : "", ms);
	}
	pm_setup_release(&s);
	return rc;
}
