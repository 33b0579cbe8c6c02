/* error.h - failures of the machine, as opposed to findings in documents.
 *
 * A function that can fail returns 0 or a negative enum pm_err and, when the
 * caller passed one, writes a message into a caller-owned struct pm_error.
 * Nothing here is global, so threads never share an error.
 */
#ifndef PM_ERROR_H
#define PM_ERROR_H

#include <stddef.h>

enum pm_err {
	PM_OK = 0,
	PM_ERR_NOMEM = -1,	/* malloc failed */
	PM_ERR_IO = -2,		/* open, read, stat, write failed */
	PM_ERR_INVALID = -3,	/* bad argument or malformed input */
	PM_ERR_LIMIT = -4,	/* a configured limit was reached */
	PM_ERR_NOTFOUND = -5,	/* the named thing does not exist */
};

struct pm_error {
	enum pm_err code;
	char msg[512];
};

/* Records code and a printf-formatted message in err (which may be NULL);
 * returns code so callers can `return pm_error_set(err, ...)`. */
int pm_error_set(struct pm_error *err, enum pm_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* strerror(e) with a lower-case first letter, as every message here is
 * ("no such file or directory").  Thread-safe; the text lives in buf. */
const char *pm_errno_text(int e, char *buf, size_t size);

/* Clears err to PM_OK with an empty message. */
void pm_error_clear(struct pm_error *err);

#endif
