/* cmarkmem.c - a bump allocator for one cmark-gfm parse. */
#include "cmarkmem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

enum {
	ALIGN = 16,
	FIRST_MIN = 16 << 10,
	FIRST_MAX = 1 << 20,
	CHUNK_MAX = 4 << 20,
	/* Larger blocks (a long paragraph's buffer, growing) get their own
	 * malloc, so a chunk is never mostly one block and realloc can move
	 * them without copying through the arena. */
	BIG = 256 << 10,
};

struct pm_cmark_chunk {
	struct pm_cmark_chunk *next;
	size_t size, used;
	_Alignas(ALIGN) char data[];
};

/* Every block starts with its size, so realloc knows what to copy; a big
 * block's header also holds its place in the big list (1-based; 0 for a
 * block in a chunk). */
struct header {
	size_t size;
	size_t big;
};
_Static_assert(sizeof(struct header) % ALIGN == 0, "header keeps alignment");

static _Thread_local struct pm_cmark_arena *current;

/* cmark-gfm does not check its allocator's result (its own allocator
 * aborts), so neither can this one return NULL. */
static void out_of_memory(void)
{
	fputs("pmtool: out of memory while parsing Markdown\n", stderr);
	abort();
}

static size_t round_up(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static struct header *header_of(void *p)
{
	return (struct header *)p - 1;
}

static void *big_alloc(struct pm_cmark_arena *ar, size_t size)
{
	void **big = pm_grow(ar->big, ar->nbig, &ar->big_cap, sizeof(*big), 8);
	if (!big)
		out_of_memory();
	ar->big = big;
	struct header *h = calloc(1, sizeof(*h) + size);
	if (!h)
		out_of_memory();
	h->size = size;
	h->big = ++ar->nbig;
	ar->big[h->big - 1] = h;
	return h + 1;
}

/* size bytes, not zeroed. */
static void *arena_alloc(struct pm_cmark_arena *ar, size_t size)
{
	if (size > BIG)
		return big_alloc(ar, size);
	size_t need = sizeof(struct header) + round_up(size ? size : 1);
	struct pm_cmark_chunk *c = ar->head;
	if (!c || c->size - c->used < need) {
		size_t csize = ar->next_size < need ? need : ar->next_size;
		c = malloc(sizeof(*c) + csize);
		if (!c)
			out_of_memory();
		c->next = ar->head;
		c->size = csize;
		c->used = 0;
		POISON(c->data, csize);
		ar->head = c;
		ar->next_size = csize * 2 > CHUNK_MAX ? CHUNK_MAX : csize * 2;
	}
	struct header *h = (struct header *)(c->data + c->used);
	UNPOISON(h, need);
	c->used += need;
	h->size = size;
	h->big = 0;
	ar->last = (char *)(h + 1);
	return h + 1;
}

static void *mem_calloc(size_t n, size_t size)
{
	if (size && n > (SIZE_MAX - sizeof(struct header) - ALIGN) / size)
		out_of_memory();
	void *p = arena_alloc(current, n * size);
	memset(p, 0, n * size);
	return p;
}

static void mem_free(void *p)
{
	struct pm_cmark_arena *ar = current;
	if (!p)
		return;
	struct header *h = header_of(p);
	if (h->big) {
		ar->big[h->big - 1] = NULL;
		free(h);
	} else if (p == ar->last) {
		/* The newest block: give it back (a buffer freed right after
		 * use, the common case in the inline parser). */
		ar->head->used = (size_t)((char *)h - ar->head->data);
		ar->last = NULL;
		POISON(h, sizeof(*h) + round_up(h->size ? h->size : 1));
	}
}

static void *mem_realloc(void *p, size_t size)
{
	struct pm_cmark_arena *ar = current;
	if (!p)
		return arena_alloc(ar, size);
	struct header *h = header_of(p);
	if (h->big && size > BIG) {
		struct header *moved = realloc(h, sizeof(*h) + size);
		if (!moved)
			out_of_memory();
		moved->size = size;
		ar->big[moved->big - 1] = moved;
		return moved + 1;
	}
	if (!h->big && p == ar->last && size <= BIG) {
		/* The newest block grows in place when its chunk has room. */
		struct pm_cmark_chunk *c = ar->head;
		size_t start = (size_t)((char *)p - c->data);
		size_t need = round_up(size ? size : 1);
		if (c->size - start >= need) {
			UNPOISON(p, need);
			c->used = start + need;
			h->size = size;
			return p;
		}
	}
	size_t old = h->size;
	void *q = arena_alloc(ar, size);
	memcpy(q, p, old < size ? old : size);
	if (h->big)
		mem_free(p);
	return q;
}

cmark_mem *pm_cmark_arena_begin(struct pm_cmark_arena *ar, size_t hint)
{
	memset(ar, 0, sizeof(*ar));
	ar->next_size = hint < FIRST_MIN ? FIRST_MIN : hint > FIRST_MAX ? FIRST_MAX : round_up(hint);
	ar->mem.calloc = mem_calloc;
	ar->mem.realloc = mem_realloc;
	ar->mem.free = mem_free;
	current = ar;
	return &ar->mem;
}

void pm_cmark_arena_end(struct pm_cmark_arena *ar)
{
	for (struct pm_cmark_chunk *c = ar->head, *next; c; c = next) {
		next = c->next;
		UNPOISON(c->data, c->size);
		free(c);
	}
	for (size_t i = 0; i < ar->nbig; i++)
		free(ar->big[i]);
	free(ar->big);
	if (current == ar)
		current = NULL;
	memset(ar, 0, sizeof(*ar));
}
