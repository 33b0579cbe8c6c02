/* cycles.c - loops of a directed graph by depth-first search. */
#include "cycles.h"

#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "buf.h"
#include "strmap.h"

struct frame {
	size_t node, next;	/* next adjacency slot to try */
};

int pm_find_cycles(size_t n, size_t m, const size_t *src, const size_t *dst, pm_cycle_fn fn,
		   void *ctx)
{
	size_t *start = calloc(n + 1, sizeof(*start)), *fill = calloc(n + 1, sizeof(*fill));
	size_t *adj = malloc((m ? m : 1) * sizeof(*adj));
	unsigned char *color = calloc(n ? n : 1, 1);	/* 0 new, 1 on stack, 2 done */
	struct frame *stack = malloc((n ? n : 1) * sizeof(*stack));
	size_t *path = malloc((n ? n : 1) * sizeof(*path)), *loop = malloc((n ? n : 1) * sizeof(*loop));
	struct pm_strmap seen;
	struct pm_arena keys;
	pm_strmap_init(&seen);
	pm_arena_init(&keys);
	int rc = 0;
	if (!start || !fill || !adj || !color || !stack || !path || !loop) {
		rc = -1;
		goto out;
	}
	for (size_t k = 0; k < m; k++)
		start[src[k] + 1]++;
	for (size_t i = 0; i < n; i++)
		start[i + 1] += start[i];
	for (size_t k = 0; k < m; k++)
		adj[start[src[k]] + fill[src[k]]++] = k;
	for (size_t root = 0; root < n && !rc; root++) {
		if (color[root])
			continue;
		size_t depth = 0;
		stack[depth] = (struct frame){ root, start[root] };
		path[depth++] = root;
		color[root] = 1;
		while (depth && !rc) {
			struct frame *f = &stack[depth - 1];
			if (f->next == start[f->node + 1]) {
				color[f->node] = 2;
				depth--;
				continue;
			}
			size_t k = adj[f->next++], t = dst[k];
			if (color[t] == 0) {
				color[t] = 1;
				stack[depth] = (struct frame){ t, start[t] };
				path[depth++] = t;
				continue;
			}
			if (color[t] != 1)
				continue;
			/* A back edge: the loop is the path from t to here.  The
			 * same loop met from another start is keyed by its
			 * rotation that begins at its smallest node. */
			size_t from = depth;
			while (from > 0 && path[from - 1] != t)
				from--;
			from--;
			size_t len = depth - from, min_at = 0;
			for (size_t i = 0; i < len; i++)
				if (path[from + i] < path[from + min_at])
					min_at = i;
			struct pm_buf kb = PM_BUF_INIT;
			for (size_t i = 0; i < len; i++) {
				loop[i] = path[from + (min_at + i) % len];
				pm_buf_printf(&kb, "%zu,", loop[i]);
			}
			char *key = kb.failed ? NULL : pm_arena_strdup(&keys, pm_buf_cstr(&kb));
			pm_buf_release(&kb);
			int put = key ? pm_strmap_put(&seen, key, 0, NULL) : -1;
			if (put < 0)
				rc = -1;
			else if (put == 1)
				rc = fn(ctx, loop, len, k);
		}
	}
out:
	free(start);
	free(fill);
	free(adj);
	free(color);
	free(stack);
	free(path);
	free(loop);
	pm_strmap_release(&seen);
	pm_arena_release(&keys);
	return rc;
}
