/* pmtool.c - main: global options, the command table, the exit status. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/index.h"
#include "core/markdown.h"
#include "core/pagecache.h"
#include "version.h"

static const struct pm_command commands[] = {
	{ "graph", cmd_graph, "Draw the ADR -> INC -> OPP chain: trees, DOT, Mermaid or JSON; "
	  "--chain for one causal path, --check for the graph's health",
	  "graph [ID...] [--depth N] [--up|--down|--both] [--type adr,inc,...] "
	  "[--relation triggers,...] [--chain ID] [--check] [--format tree|dot|mermaid|json]" },
	{ "index", cmd_index, "Build or update the SQLite index of the documents "
	  "(incremental, one transaction)",
	  "index [--db FILE] [--rebuild] [--schema DIR] [--users FILE] [--quiet] [PATH]" },
	{ "lint", cmd_lint, "Check documents against the schema: fields, sections, tables, "
	  "incident times, users and the links between documents",
	  "lint [--format text|json|sarif|github] [--schema DIR] [--users FILE] [--root DIR] "
	  "[--today YYYY-MM-DD] [--strict] [--quiet] [--disable CODE,...] [PATH...]" },
	{ "new", cmd_new, "Write a blank document of a type with the next free ID, its "
	  "required sections and tables",
	  "new [--field KEY=VALUE]... [--dir DIR] [--today DATE] [--templates DIR] TYPE [TITLE]" },
	{ "query", cmd_query, "Answer from the index: action items across every postmortem, "
	  "documents by frontmatter, read-only SQL",
	  "query actions|docs|sql [options]" },
	{ "refs", cmd_refs, "What a document points at, or with --backlinks what points at it",
	  "refs [--backlinks] [--format table|json|csv|markdown] ID" },
	{ "report", cmd_report, "Render reports from templates: a static HTML site, one "
	  "postmortem, an action-item digest",
	  "report site|postmortem|actions [options]" },
	{ "schema", cmd_schema, "Print the schema in force: types, fields, sections, tables, "
	  "rules and relations",
	  "schema [--format text|json] [--schema DIR] [TYPE]" },
	{ "search", cmd_search, "Full-text search of titles and sections, ranked, with "
	  "snippets and path:line",
	  "search [--type T] [--section NAME] [--limit N] [--format table|json|csv|markdown] "
	  "WORDS..." },
	{ "show", cmd_show, "Show the parsed model of documents: frontmatter with types "
	  "and positions, sections, tables and links",
	  "show [--format text|json] [--section NAME] [--table N] [--field KEY] PATH..." },
	{ "stats", cmd_stats, "Counts, incidents by severity and month, time to resolve, "
	  "action items by owner, most affected systems",
	  "stats [--today DATE] [--format table|json|csv|markdown]" },
};

const struct pm_command *pm_commands(size_t *n)
{
	*n = sizeof(commands) / sizeof(commands[0]);
	return commands;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: pmtool [--version] [--help] <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'pmtool help <command>' or 'pmtool <command> --help' shows one "
		"command's options.\n");
}

/* Exact name, or a unique prefix of one (as tmux does); NULL otherwise, with
 * the candidates listed for an ambiguous prefix. */
static const struct pm_command *find(const char *name)
{
	const struct pm_command *hit = NULL;
	size_t nhits = 0, len = strlen(name);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(commands[i].name, name))
			return &commands[i];
		if (!strncmp(commands[i].name, name, len)) {
			hit = &commands[i];
			nhits++;
		}
	}
	if (nhits == 1)
		return hit;
	if (nhits > 1) {
		fprintf(stderr, "pmtool: ambiguous command '%s', could be:", name);
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (!strncmp(commands[i].name, name, len))
				fprintf(stderr, " %s", commands[i].name);
		fputc('\n', stderr);
	} else {
		fprintf(stderr, "pmtool: unknown command '%s'\n", name);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	/* Into a file or a pipe, output goes in 64 KiB writes, not stdio's
	 * 4 KiB (a query's 9 MB table was 2,300 write calls).  The buffer is
	 * given: glibc ignores the size when setvbuf() is to allocate it. */
	static char out_buf[1 << 16];
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf));
	/* No memory statistics: SQLite would otherwise take a global mutex
	 * around every allocation (a query steps 30,000 rows, an index
	 * writes millions). */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* Half the index writer's page cache in a slab that faults in huge
	 * pages (pagecache.h): an update of 1% of 10,000 documents took
	 * 0.16-0.18 s, now 0.10-0.14 s.  Not all of it: the slab stays
	 * resident while a rebuild works out the links, when the cache it
	 * had from malloc went back, and 16 MiB of slab took the rebuild of
	 * 100,000 documents to 66 MB, past issue 7's 64 MB (8 MiB: 54 MB). */
	pm_pagecache_setup(PM_INDEX_PAGE_SIZE, (size_t)PM_INDEX_CACHE_PAGES * PM_INDEX_PAGE_SIZE / 2);
	if (argc < 2) {
		usage(stderr);
		return PM_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
		printf("pmtool %s\n", PM_VERSION);
		return PM_EXIT_OK;
	}
	if (pm_cli_is_help(name)) {
		usage(stdout);
		return PM_EXIT_OK;
	}
	if (!strcmp(name, "help")) {
		if (argc < 3) {
			usage(stdout);
			return PM_EXIT_OK;
		}
		/* `help X` is `X --help`, as in git and libgit2. */
		const struct pm_command *c = find(argv[2]);
		if (!c) {
			usage(stderr);
			return PM_EXIT_USAGE;
		}
		char *hargv[] = { (char *)c->name, "--help", NULL };
		return c->run(2, hargv);
	}
	if (name[0] == '-') {
		fprintf(stderr, "pmtool: unknown option '%s'\n", name);
		usage(stderr);
		return PM_EXIT_USAGE;
	}
	const struct pm_command *c = find(name);
	if (!c) {
		usage(stderr);
		return PM_EXIT_USAGE;
	}
	pm_markdown_global_init();
	int rc = c->run(argc - 1, argv + 1);
	pm_markdown_global_release();
	return rc;
}
