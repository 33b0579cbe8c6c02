/* error.c - caller-owned error records. */
#include "error.h"

#include <stdarg.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int pm_error_set(struct pm_error *err, enum pm_err code, const char *fmt, ...)
{
	if (err) {
		/* Format aside first: callers may pass err->msg itself as an
		 * argument, to prefix it ("users file x: %s", err->msg). */
		char msg[sizeof(err->msg)];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		memcpy(err->msg, msg, sizeof(msg));
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

const char *pm_errno_text(int e, char *buf, size_t size)
{
	/* The GNU strerror_r returns its text, which may not be buf. */
	const char *t = strerror_r(e, buf, size);
	if (t != buf)
		snprintf(buf, size, "%s", t);
	if (size && buf[0])
		buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}
