/* error.c - caller-owned error records. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int pm_error_set(struct pm_error *err, enum pm_err code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

void pm_error_clear(struct pm_error *err)
{
	if (err) {
		err->code = PM_OK;
		err->msg[0] = '\0';
	}
}
