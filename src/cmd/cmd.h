/* cmd.h - the subcommands and the helpers they share.
 *
 * Each command lives in src/cmd/<name>.c, parses its own options, calls the
 * core and does all the printing.  It returns the process exit status:
 * PM_EXIT_OK, PM_EXIT_FINDINGS or PM_EXIT_USAGE.
 */
#ifndef PM_CMD_H
#define PM_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "core/diag.h"

enum pm_exit {
	PM_EXIT_OK = 0,		/* success, no errors found */
	PM_EXIT_FINDINGS = 1,	/* errors in documents, or files that failed */
	PM_EXIT_USAGE = 2,	/* bad command line, or trouble with I/O */
};

struct pm_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *usage;	/* the synopsis after "pmtool " */
};

int cmd_graph(int argc, char **argv);
int cmd_index(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_refs(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_stats(int argc, char **argv);

/* The command table, for dispatch and `pmtool help`. */
const struct pm_command *pm_commands(size_t *n);

/* Prints "pmtool CMD: message" and a usage line to stderr; returns
 * PM_EXIT_USAGE. */
int pm_cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints one finding as "path:line:col: severity[CODE]: message", then the
 * hint indented under it. */
void pm_cli_print_diag(FILE *f, const struct pm_diag *d);

/* Prints the --help text of a command from its table entry and an option
 * list. */
void pm_cli_print_help(const char *cmd, const char *options);

/* The built-in schema folder: <prefix>/share/pmtool/schema next to an
 * installed binary, else the source tree's schema/ for an uninstalled
 * build.  Returns a static string. */
const char *pm_cli_builtin_dir(const char *what);

/* True when standard output should get colour: a terminal, and no
 * NO_COLOR in the environment. */
bool pm_cli_color(FILE *f);

/* Parses a --jobs value (1 to 64) into *jobs; -1 when it is none. */
int pm_cli_parse_jobs(const char *s, int *jobs);

/* True when s names an option that asks for help. */
bool pm_cli_is_help(const char *s);

#endif
