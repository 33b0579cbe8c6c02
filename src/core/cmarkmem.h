/* cmarkmem.h - a bump allocator for one cmark-gfm parse.
 *
 * cmark-gfm calls calloc once per node, per buffer and per delimiter, and
 * free once more for each when the tree is freed: a third of lint's
 * instructions went to malloc and free (docs/performance.md).  A parse
 * that uses this allocator takes its memory from a few large chunks
 * instead and gives it all back in one call, without walking the tree to
 * free it node by node.
 *
 * cmark_mem carries no user pointer, so the arena being filled is the
 * calling thread's: one parse at a time per thread, begun and ended on
 * that thread.  Nothing cmark hands out may be used after the end.
 */
#ifndef PM_CMARKMEM_H
#define PM_CMARKMEM_H

#include <stddef.h>

#include <cmark-gfm.h>

struct pm_cmark_chunk;

struct pm_cmark_arena {
	struct pm_cmark_chunk *head;	/* chunk being carved, newest first */
	char *last;			/* the newest small block, or NULL */
	size_t next_size;		/* size of the next chunk */
	void **big;			/* blocks too large for a chunk (malloc'd) */
	size_t nbig, big_cap;
	cmark_mem mem;
};

/* Makes ar the calling thread's arena and returns the allocator to give
 * cmark_parser_new_with_mem().  hint: about how many bytes the parse will
 * need (the first chunk's size; the arena grows past it as needed). */
cmark_mem *pm_cmark_arena_begin(struct pm_cmark_arena *ar, size_t hint);

/* Frees everything the parse allocated, tree included, and detaches ar
 * from the thread.  The tree must not be freed with cmark_node_free()
 * (that only costs time: the allocator's free is a no-op for most
 * blocks). */
void pm_cmark_arena_end(struct pm_cmark_arena *ar);

#endif
