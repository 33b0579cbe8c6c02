/* arena.h - one region of memory per document, released in one call.
 *
 * Everything derived from a document (strings, value tree, sections, tables,
 * diagnostics) is carved out of that document's arena, so a document costs a
 * handful of mallocs and one pm_arena_release() however large it is.  An
 * arena is an instance, never global, so documents can be parsed in parallel
 * threads.
 */
#ifndef PM_ARENA_H
#define PM_ARENA_H

#include <stddef.h>

struct pm_arena_chunk;

struct pm_arena {
	struct pm_arena_chunk *head;	/* chunk being carved, newest first */
	size_t total;			/* bytes obtained from malloc so far */
};

/* Prepares an empty arena; allocates nothing until first use. */
void pm_arena_init(struct pm_arena *a);

/* Frees every block the arena handed out.  Accepts an arena never used. */
void pm_arena_release(struct pm_arena *a);

/* Returns size bytes aligned for any type, zeroed; owned by the arena.
 * Returns NULL only when malloc fails. */
void *pm_arena_alloc(struct pm_arena *a, size_t size);

/* Allocates an array of n elements of size each, checking for overflow. */
void *pm_arena_array(struct pm_arena *a, size_t n, size_t size);

/* Copies len bytes of s and a terminating NUL into the arena. */
char *pm_arena_strndup(struct pm_arena *a, const char *s, size_t len);

/* Copies a NUL-terminated string into the arena. */
char *pm_arena_strdup(struct pm_arena *a, const char *s);

/* printf into the arena; the result is owned by the arena. */
char *pm_arena_printf(struct pm_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Grows an arena-owned array to hold at least need elements.  *items and
 * *cap are updated; the old block is simply abandoned to the arena (the
 * doubling keeps the waste under half).  Returns 0, or -1 when out of memory. */
int pm_arena_grow(struct pm_arena *a, void **items, size_t *cap, size_t need,
		  size_t elem_size);

#define PM_ARENA_PUSH(arena, arr, n, cap) \
	((n) < (cap) || pm_arena_grow((arena), (void **)&(arr), &(cap), (n) + 1, \
				      sizeof(*(arr))) == 0)

#endif
