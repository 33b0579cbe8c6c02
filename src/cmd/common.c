/* common.c - what every command prints the same way. */
#include <stdarg.h>
#include <string.h>

#include "cmd.h"

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
