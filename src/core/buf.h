/* buf.h - a growable byte string on the heap (for output and scratch text).
 *
 * The buffer owns data; pm_buf_release() frees it.  data is always
 * NUL-terminated once anything was added.  An allocation failure latches
 * `failed` and later appends do nothing, so callers check once at the end.
 */
#ifndef PM_BUF_H
#define PM_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct pm_buf {
	char *data;
	size_t len, cap;
	bool failed;
};

#define PM_BUF_INIT { NULL, 0, 0, false }

void pm_buf_init(struct pm_buf *b);
void pm_buf_release(struct pm_buf *b);
/* Empties the buffer and clears `failed`, keeping its memory. */
void pm_buf_reset(struct pm_buf *b);
void pm_buf_add(struct pm_buf *b, const char *s, size_t n);
void pm_buf_adds(struct pm_buf *b, const char *s);
void pm_buf_addc(struct pm_buf *b, char c);
/* Adds n copies of c (padding). */
void pm_buf_fill(struct pm_buf *b, char c, size_t n);
void pm_buf_printf(struct pm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Makes room for one more element in a malloc'd array of elem-byte
 * elements holding n of *cap: when full, doubles it (first elements the
 * first time).  Returns the array, moved or not, with *cap updated; NULL
 * when memory runs out, arr and *cap untouched.  Unlike PM_ARENA_PUSH,
 * an outgrown array goes back to malloc: for arrays that grow large. */
void *pm_grow(void *arr, size_t n, size_t *cap, size_t elem, size_t first);

/* The contents, "" when empty; owned by b. */
const char *pm_buf_cstr(const struct pm_buf *b);

#endif
