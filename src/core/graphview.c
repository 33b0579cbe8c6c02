/* graphview.c - loading the graph from the index and walking it. */
#include "graphview.h"

#include "buf.h"
#include "codes.h"
#include "cycles.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *col_text(struct pm_arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? pm_arena_strdup(a, (const char *)t) : NULL;
}

static long add_node(struct pm_gview *g, const struct pm_gnode *n)
{
	if (!PM_ARENA_PUSH(&g->arena, g->nodes, g->nnodes, g->nodes_cap))
		return -1;
	g->nodes[g->nnodes] = *n;
	if (n->id && pm_strmap_put(&g->ids, n->id, g->nnodes, NULL) < 0)
		return -1;
	return (long)g->nnodes++;
}

long pm_gview_find(const struct pm_gview *g, const char *id)
{
	size_t i;
	return pm_strmap_get(&g->ids, id, &i) ? (long)i : -1;
}

/* A link row's relation, in the forward direction: "caused_by" is the
 * inverse of "triggers", so the row is read the other way round. */
static const struct pm_relation *forward(const struct pm_schema *s, const char *name,
					 bool *flip)
{
	bool inverse = false;
	const struct pm_relation *r = pm_schema_relation(s, name, &inverse);
	*flip = inverse;
	return r;
}

int pm_gview_adjacency(struct pm_gview *g)
{
	size_t n = g->nnodes;
	struct pm_arena *a = &g->arena;
	g->out_start = pm_arena_array(a, n + 1, sizeof(size_t));
	g->in_start = pm_arena_array(a, n + 1, sizeof(size_t));
	g->out_list = pm_arena_array(a, g->nedges ? g->nedges : 1, sizeof(size_t));
	g->in_list = pm_arena_array(a, g->nedges ? g->nedges : 1, sizeof(size_t));
	size_t *fo = pm_arena_array(a, n + 1, sizeof(size_t)), *fi = pm_arena_array(a, n + 1, sizeof(size_t));
	if (!g->out_start || !g->in_start || !g->out_list || !g->in_list || !fo || !fi)
		return -1;
	for (size_t k = 0; k < g->nedges; k++) {
		g->out_start[g->edges[k].source + 1]++;
		g->in_start[g->edges[k].target + 1]++;
	}
	for (size_t i = 0; i < n; i++) {
		g->out_start[i + 1] += g->out_start[i];
		g->in_start[i + 1] += g->in_start[i];
	}
	for (size_t k = 0; k < g->nedges; k++) {
		size_t s = g->edges[k].source, t = g->edges[k].target;
		g->out_list[g->out_start[s] + fo[s]++] = k;
		g->in_list[g->in_start[t] + fi[t]++] = k;
	}
	return 0;
}

/* Loads the documents and links among the IDs of the JSON array near, or
 * all of them when near is NULL.  Both read in the same order, so a part
 * of the graph is drawn exactly as it is within the whole. */
static int load(struct pm_gview *g, sqlite3 *db, const struct pm_schema *s, const char *near,
		struct pm_error *err)
{
	memset(g, 0, sizeof(*g));
	pm_arena_init(&g->arena);
	pm_strmap_init(&g->ids);
	g->schema = s;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, near ? "SELECT id, type, title, status, severity, date, path "
					  "FROM documents WHERE id IN (SELECT value FROM "
					  "json_each(?1)) ORDER BY path"
					: "SELECT id, type, title, status, severity, date, path "
					  "FROM documents ORDER BY path", -1, &st, NULL))
		return pm_error_set(err, PM_ERR_IO, "index: %s", sqlite3_errmsg(db));
	if (near)
		sqlite3_bind_text(st, 1, near, -1, SQLITE_STATIC);
	int rc = 0;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		struct pm_gnode n = {
			.id = col_text(&g->arena, st, 0), .type = col_text(&g->arena, st, 1),
			.title = col_text(&g->arena, st, 2), .status = col_text(&g->arena, st, 3),
			.severity = col_text(&g->arena, st, 4), .date = col_text(&g->arena, st, 5),
			.path = col_text(&g->arena, st, 6),
		};
		if (add_node(g, &n) < 0)
			rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	}
	sqlite3_finalize(st);
	if (rc)
		return rc;
	/* Declared rows of every direction plus derived ones: each canonical
	 * edge is read from whichever row names it forward, once. */
	if (sqlite3_prepare_v2(db, near ? "SELECT source, relation, target, target_path IS NOT NULL, "
					  "declared, declared_in, line, col FROM links "
					  "WHERE source IN (SELECT value FROM json_each(?1)) "
					  "AND target IN (SELECT value FROM json_each(?1)) "
					  "ORDER BY declared_in, line, col, declared DESC"
					: "SELECT source, relation, target, target_path IS NOT NULL, "
					  "declared, declared_in, line, col FROM links "
					  "ORDER BY declared_in, line, col, declared DESC",
			       -1, &st, NULL))
		return pm_error_set(err, PM_ERR_IO, "index: %s", sqlite3_errmsg(db));
	if (near)
		sqlite3_bind_text(st, 1, near, -1, SQLITE_STATIC);
	struct pm_strmap seen;
	pm_strmap_init(&seen);
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		const char *src = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *dst = (const char *)sqlite3_column_text(st, 2);
		bool resolved = sqlite3_column_int(st, 3), declared = sqlite3_column_int(st, 4);
		bool flip;
		const struct pm_relation *r = forward(s, name, &flip);
		if (!r || !src || !dst)
			continue;
		long a = pm_gview_find(g, src), b = pm_gview_find(g, dst);
		if (!resolved) {
			/* A missing document becomes a node of its own. */
			if (b < 0) {
				struct pm_gnode n = { .id = pm_arena_strdup(&g->arena, dst),
						      .missing = true };
				b = n.id ? add_node(g, &n) : -1;
				if (b < 0) {
					rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
					break;
				}
			}
		}
		if (a < 0 || b < 0)
			continue;
		size_t from = flip ? (size_t)b : (size_t)a, to = flip ? (size_t)a : (size_t)b;
		if (r->symmetric && from > to) {
			size_t t = from;
			from = to;
			to = t;
		}
		char *key = pm_arena_printf(&g->arena, "%s|%zu|%zu", r->name, from, to);
		size_t at;
		int put = key ? pm_strmap_put(&seen, key, g->nedges, &at) : -1;
		if (put < 0) {
			rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
			break;
		}
		bool fwd_declared = declared && !flip;
		if (put == 0) {
			g->edges[at].declared |= fwd_declared;
			continue;
		}
		if (!PM_ARENA_PUSH(&g->arena, g->edges, g->nedges, g->edges_cap)) {
			rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
			break;
		}
		g->edges[g->nedges++] = (struct pm_gedge){
			from, to, r, fwd_declared, col_text(&g->arena, st, 5),
			(uint32_t)sqlite3_column_int(st, 6), (uint32_t)sqlite3_column_int(st, 7),
		};
	}
	sqlite3_finalize(st);
	pm_strmap_release(&seen);
	return rc ? rc : pm_gview_adjacency(g) ? pm_error_set(err, PM_ERR_NOMEM, "out of memory") : 0;
}

int pm_gview_load(struct pm_gview *g, sqlite3 *db, const struct pm_schema *s,
		  struct pm_error *err)
{
	return load(g, db, s, NULL, err);
}

int pm_gview_load_near(struct pm_gview *g, sqlite3 *db, const struct pm_schema *s,
		       const char *const *ids, size_t nids, int depth, struct pm_error *err)
{
	/* Breadth first over the links in both directions, with the links
	 * tables' indexes on source and on target. */
	sqlite3_stmt *st = NULL;
	struct pm_strmap seen;
	struct pm_arena a;
	pm_strmap_init(&seen);
	pm_arena_init(&a);
	const char **frontier = NULL, **next = NULL;
	size_t nf = 0, capf = 0, nn = 0, capn = 0;
	int rc = sqlite3_prepare_v2(db, "SELECT target FROM links WHERE source = ?1 UNION ALL "
				    "SELECT source FROM links WHERE target = ?1", -1, &st, NULL)
		? pm_error_set(err, PM_ERR_IO, "index: %s", sqlite3_errmsg(db)) : 0;
	for (size_t i = 0; !rc && i < nids; i++) {
		int put = pm_strmap_put(&seen, ids[i], 0, NULL);
		if (put < 0 || (put == 1 && !PM_ARENA_PUSH(&a, frontier, nf, capf)))
			rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
		else if (put == 1)
			frontier[nf++] = ids[i];
	}
	for (int d = 0; !rc && d < depth && nf; d++) {
		nn = 0;
		for (size_t i = 0; !rc && i < nf; i++) {
			sqlite3_reset(st);
			sqlite3_bind_text(st, 1, frontier[i], -1, SQLITE_STATIC);
			while (!rc && sqlite3_step(st) == SQLITE_ROW) {
				const char *id = (const char *)sqlite3_column_text(st, 0);
				size_t k;
				if (!id || pm_strmap_get(&seen, id, &k))
					continue;
				char *copy = pm_arena_strdup(&a, id);
				if (!copy || pm_strmap_put(&seen, copy, 0, NULL) < 0 ||
				    !PM_ARENA_PUSH(&a, next, nn, capn))
					rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
				else
					next[nn++] = copy;
			}
		}
		const char **t = frontier;
		size_t tc = capf;
		frontier = next;
		nf = nn;
		capf = capn;
		next = t;
		capn = tc;
	}
	sqlite3_finalize(st);
	/* The set as a JSON array for json_each(). */
	json_t *arr = rc ? NULL : json_array();
	for (size_t sl = 0; arr && sl < seen.cap; sl++)
		if (seen.slots[sl].key && json_array_append_new(arr, json_string(seen.slots[sl].key)))
			rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	char *near = arr && !rc ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	if (!rc && !near)
		rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	pm_strmap_release(&seen);
	pm_arena_release(&a);
	if (rc) {
		memset(g, 0, sizeof(*g));
		pm_arena_init(&g->arena);
		pm_strmap_init(&g->ids);
		return rc;
	}
	rc = load(g, db, s, near, err);
	free(near);
	return rc;
}

void pm_gview_release(struct pm_gview *g)
{
	if (!g)
		return;
	pm_strmap_release(&g->ids);
	pm_arena_release(&g->arena);
	memset(g, 0, sizeof(*g));
}

static bool in(const char *const *list, size_t n, const char *s)
{
	if (!n)
		return true;
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

bool pm_gview_edge_kept(const struct pm_gview *g, const struct pm_gedge *e,
			const struct pm_gfilter *f, const unsigned char *seed)
{
	if (!f)
		return true;
	const struct pm_relation *r = e->rel;
	if (f->nrelations && !in(f->relations, f->nrelations, r->name) &&
	    !(r->inverse && in(f->relations, f->nrelations, r->inverse)))
		return false;
	const struct pm_gnode *a = &g->nodes[e->source], *b = &g->nodes[e->target];
	bool ka = (seed && seed[e->source]) || a->missing || in(f->types, f->ntypes, a->type);
	bool kb = (seed && seed[e->target]) || b->missing || in(f->types, f->ntypes, b->type);
	return ka && kb;
}

unsigned char *pm_gview_reach(const struct pm_gview *g, const size_t *seeds, size_t nseeds,
			      int depth, enum pm_gdir dir, const struct pm_gfilter *f)
{
	size_t n = g->nnodes ? g->nnodes : 1;
	unsigned char *mark = calloc(n, 1), *seed = calloc(n, 1);
	int *dist = malloc(n * sizeof(*dist));
	size_t *queue = malloc(n * sizeof(*queue));
	if (!mark || !seed || !dist || !queue) {
		free(mark);
		mark = NULL;
		goto out;
	}
	size_t head = 0, tail = 0;
	for (size_t i = 0; i < nseeds; i++) {
		if (!mark[seeds[i]])
			queue[tail++] = seeds[i];
		mark[seeds[i]] = seed[seeds[i]] = 1;
		dist[seeds[i]] = 0;
	}
	/* Breadth first over the adjacency rows: linear in what it visits. */
	while (head < tail) {
		size_t u = queue[head++];
		if (depth >= 0 && dist[u] >= depth)
			continue;
		for (int side = 0; side < 2; side++) {
			bool dir_on = dir & (side ? PM_GDIR_UP : PM_GDIR_DOWN);
			const size_t *start = side ? g->in_start : g->out_start;
			const size_t *list = side ? g->in_list : g->out_list;
			for (size_t k = start[u]; k < start[u + 1]; k++) {
				const struct pm_gedge *e = &g->edges[list[k]];
				if (!dir_on && !e->rel->symmetric)
					continue;
				size_t v = side ? e->source : e->target;
				if (mark[v] || !pm_gview_edge_kept(g, e, f, seed))
					continue;
				mark[v] = 1;
				dist[v] = dist[u] + 1;
				queue[tail++] = v;
			}
		}
	}
out:
	free(seed);
	free(dist);
	free(queue);
	return mark;
}

struct cyc {
	const struct pm_gview *g;
	const struct pm_relation *rel;
	const size_t *edge_of;
	const char *prefix;
	struct pm_diags *diags;
};

static int found(void *ctx, const size_t *nodes, size_t len, size_t closing)
{
	struct cyc *c = ctx;
	struct pm_arena *a = c->diags->arena;
	struct pm_buf b = PM_BUF_INIT;
	for (size_t k = 0; k <= len; k++)
		pm_buf_printf(&b, "%s%s", k ? " -> " : "", c->g->nodes[nodes[k % len]].id);
	char *loop = b.failed ? NULL : pm_arena_strdup(a, pm_buf_cstr(&b));
	pm_buf_release(&b);
	const struct pm_gedge *e = &c->g->edges[c->edge_of[closing]];
	struct pm_diag *dg = loop ? pm_diags_add(c->diags, pm_arena_printf(a, "%s%s", c->prefix,
						 e->decl_path ? e->decl_path : ""),
						 e->line, e->col, PM_SEV_ERROR, PM_C_CYCLE,
						 "'%s' loops: %s", c->rel->name, loop) : NULL;
	if (!dg)
		return PM_ERR_NOMEM;
	pm_diag_set_hint(c->diags, dg, "following '%s' must never lead back to where it "
			 "started; remove one link of the loop", c->rel->name);
	return 0;
}

int pm_gview_cycles(const struct pm_gview *g, const char *prefix, struct pm_diags *diags)
{
	size_t m = g->nedges ? g->nedges : 1;
	size_t *src = malloc(m * sizeof(*src)), *dst = malloc(m * sizeof(*dst));
	size_t *edge_of = malloc(m * sizeof(*edge_of));
	int rc = src && dst && edge_of ? 0 : PM_ERR_NOMEM;
	for (size_t r = 0; g->schema && r < g->schema->nrelations && !rc; r++) {
		const struct pm_relation *rel = &g->schema->relations[r];
		if (!rel->acyclic)
			continue;
		size_t n = 0;
		for (size_t k = 0; k < g->nedges; k++) {
			if (g->edges[k].rel != rel)
				continue;
			src[n] = g->edges[k].source;
			dst[n] = g->edges[k].target;
			edge_of[n++] = k;
		}
		struct cyc c = { g, rel, edge_of, prefix, diags };
		rc = pm_find_cycles(g->nnodes, n, src, dst, found, &c);
		if (rc == -1)
			rc = PM_ERR_NOMEM;
	}
	free(src);
	free(dst);
	free(edge_of);
	return rc;
}
