/* buf.c - growable byte strings. */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pm_buf_init(struct pm_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = false;
}

void pm_buf_release(struct pm_buf *b)
{
	if (!b)
		return;
	free(b->data);
	pm_buf_init(b);
}

void pm_buf_reset(struct pm_buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->data)
		b->data[0] = '\0';
}

static bool reserve_slow(struct pm_buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (extra >= SIZE_MAX - b->len) {
		b->failed = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *d = realloc(b->data, cap);
	if (!d) {
		b->failed = true;
		return false;
	}
	b->data = d;
	b->cap = cap;
	return true;
}

/* Room for extra more bytes and the NUL.  The test that nearly always
 * passes is inlined into every caller (a query prints millions of cells
 * through pm_buf_add). */
static inline bool reserve(struct pm_buf *b, size_t extra)
{
	if (extra < b->cap - b->len && !b->failed)
		return true;
	return reserve_slow(b, extra);
}

void *pm_grow(void *arr, size_t n, size_t *cap, size_t elem, size_t first)
{
	if (n < *cap)
		return arr;
	size_t want = *cap ? *cap : first;
	if (*cap) {
		if (want > SIZE_MAX / 2)
			return NULL;
		want *= 2;
	}
	if (!elem || want > SIZE_MAX / elem)
		return NULL;
	void *grown = realloc(arr, want * elem);
	if (grown)
		*cap = want;
	return grown;
}

void pm_buf_add(struct pm_buf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void pm_buf_adds(struct pm_buf *b, const char *s)
{
	pm_buf_add(b, s, strlen(s));
}

void pm_buf_addc(struct pm_buf *b, char c)
{
	if (b->len + 1 < b->cap && !b->failed) {	/* the common case, no call */
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return;
	}
	pm_buf_add(b, &c, 1);
}

void pm_buf_fill(struct pm_buf *b, char c, size_t n)
{
	if (!reserve(b, n))
		return;
	memset(b->data + b->len, c, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void pm_buf_printf(struct pm_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *pm_buf_cstr(const struct pm_buf *b)
{
	return b->data ? b->data : "";
}
