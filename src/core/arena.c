/* arena.c - bump allocator in growing chunks. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_MIN_CHUNK (16 * 1024)
#define ARENA_ALIGN (_Alignof(max_align_t))

struct pm_arena_chunk {
	struct pm_arena_chunk *next;
	size_t size;	/* usable bytes after the header */
	size_t used;
	_Alignas(max_align_t) unsigned char data[];
};

void pm_arena_init(struct pm_arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void pm_arena_release(struct pm_arena *a)
{
	if (!a)
		return;
	struct pm_arena_chunk *c = a->head;
	while (c) {
		struct pm_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}

void *pm_arena_alloc(struct pm_arena *a, size_t size)
{
	size_t rounded = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (rounded < size)
		return NULL;
	struct pm_arena_chunk *c = a->head;
	if (!c || c->size - c->used < rounded) {
		/* Chunks double with the arena so a big document needs few of
		 * them; a request larger than that gets a chunk of its own. */
		size_t want = a->total < ARENA_MIN_CHUNK ? ARENA_MIN_CHUNK : a->total;
		if (want < rounded)
			want = rounded;
		if (want > SIZE_MAX - sizeof(*c))
			return NULL;
		c = malloc(sizeof(*c) + want);
		if (!c)
			return NULL;
		c->size = want;
		c->used = 0;
		c->next = a->head;
		a->head = c;
		a->total += want;
	}
	void *p = c->data + c->used;
	c->used += rounded;
	memset(p, 0, size);
	return p;
}

void *pm_arena_array(struct pm_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return pm_arena_alloc(a, n * size);
}

char *pm_arena_strndup(struct pm_arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = pm_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *pm_arena_strdup(struct pm_arena *a, const char *s)
{
	return pm_arena_strndup(a, s, strlen(s));
}

char *pm_arena_printf(struct pm_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = pm_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

int pm_arena_grow(struct pm_arena *a, void **items, size_t *cap, size_t need,
		  size_t elem_size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	void *n = pm_arena_array(a, ncap, elem_size);
	if (!n)
		return -1;
	if (*cap)
		memcpy(n, *items, *cap * elem_size);
	*items = n;
	*cap = ncap;
	return 0;
}
