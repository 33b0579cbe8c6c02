/* common.c - what every command prints the same way. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "version.h"

int pm_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "pmtool %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	size_t n;
	const struct pm_command *t = pm_commands(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, cmd))
			fprintf(stderr, "usage: pmtool %s\n", t[i].usage);
	fprintf(stderr, "Try 'pmtool %s --help' for more information.\n", cmd);
	return PM_EXIT_USAGE;
}

void pm_cli_print_diag(FILE *f, const struct pm_diag *d)
{
	if (d->line)
		fprintf(f, "%s:%u:%u: %s[%s]: %s\n", d->path, (unsigned)d->line,
			(unsigned)d->col, pm_severity_name(d->severity), d->code, d->message);
	else
		fprintf(f, "%s: %s[%s]: %s\n", d->path, pm_severity_name(d->severity),
			d->code, d->message);
	if (d->hint)
		fprintf(f, "  = hint: %s\n", d->hint);
}

void pm_cli_print_help(const char *cmd, const char *options)
{
	size_t n;
	const struct pm_command *t = pm_commands(&n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].name, cmd))
			continue;
		printf("usage: pmtool %s\n\n%s.\n\n%s\nSee pmtool-%s(1) for details.\n",
		       t[i].usage, t[i].summary, options, cmd);
	}
}

bool pm_cli_is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

const char *pm_cli_builtin_dir(const char *what)
{
	static char buf[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* <prefix>/bin/pmtool -> <prefix>/share/pmtool/<what> */
			int len = snprintf(buf, sizeof(buf), "%s/../share/pmtool/%s", exe, what);
			if (len > 0 && (size_t)len < sizeof(buf) && stat(buf, &st) == 0 &&
			    S_ISDIR(st.st_mode))
				return buf;
		}
	}
	/* An uninstalled build reads the source tree's copy. */
	snprintf(buf, sizeof(buf), "%s/%s", PM_SOURCE_ROOT, what);
	if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
		return buf;
	snprintf(buf, sizeof(buf), "%s/%s", PM_DATADIR, what);
	return buf;
}

bool pm_cli_color(FILE *f)
{
	/* no-color.org: NO_COLOR set to a non-empty value turns colour off. */
	const char *term = getenv("TERM"), *no_color = getenv("NO_COLOR");
	return isatty(fileno(f)) && !(no_color && *no_color) && !(term && !strcmp(term, "dumb"));
}

int pm_cli_parse_jobs(const char *s, int *jobs)
{
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < 1 || n > 64)
		return -1;
	*jobs = (int)n;
	return 0;
}
