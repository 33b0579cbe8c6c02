/* graphdraw.c - trees, DOT, Mermaid and JSON of a graph view. */
#include "graphdraw.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "source.h"

#define REPLACEMENT "\xEF\xBF\xBD"	/* U+FFFD */

/* Bytes of the valid UTF-8 sequence at p, 0 when none starts there.  A file
 * name can hold any byte; every drawing is UTF-8 text. */
static size_t utf8_seq(const unsigned char *p)
{
	size_t need = *p < 0x80 ? 1 : *p >= 0xC2 && *p <= 0xDF ? 2 :
		      *p >= 0xE0 && *p <= 0xEF ? 3 : *p >= 0xF0 && *p <= 0xF4 ? 4 : 0;
	for (size_t k = 1; k < need; k++)
		if ((p[k] & 0xC0) != 0x80)
			return 0;	/* also stops at the terminating NUL */
	return need && pm_utf8_valid((const char *)p, need, NULL) ? need : 0;
}

/* Copies the sequence at *p (or U+FFFD for a byte that starts none) and
 * moves *p past it. */
static void put_seq(struct pm_buf *out, const unsigned char **p)
{
	size_t n = utf8_seq(*p);
	if (n)
		pm_buf_add(out, (const char *)*p, n);
	else
		pm_buf_adds(out, REPLACEMENT);
	*p += n ? n : 1;
}

/* Text on one line: a line end or control character in a title would break
 * a tree (or a terminal) apart, so it becomes a space. */
static void one_line(struct pm_buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p < 0x20 || *p == 0x7f) {
			pm_buf_addc(out, ' ');
			p++;
		} else {
			put_seq(out, &p);
		}
	}
}

void pm_gdraw_label(struct pm_buf *out, const struct pm_gnode *n)
{
	one_line(out, n->id ? n->id : "?");
	if (n->missing) {
		pm_buf_adds(out, " (missing)");
		return;
	}
	if (n->title) {
		pm_buf_addc(out, ' ');
		one_line(out, n->title);
	}
	if (n->status || n->severity) {
		pm_buf_adds(out, " [");
		one_line(out, n->status ? n->status : "");
		pm_buf_adds(out, n->status && n->severity ? ", " : "");
		one_line(out, n->severity ? n->severity : "");
		pm_buf_addc(out, ']');
	}
}

static bool kept(const struct pm_gdraw_opts *o, size_t i)
{
	return !o->keep || o->keep[i];
}

/* ---- tree ------------------------------------------------------------------ */

struct child {
	size_t node;
	size_t edge;
	const char *label;	/* relation name as read from the parent */
	size_t rel_order;
	bool leaf;		/* a symmetric relation: shown, not followed */
};

static size_t rel_index(const struct pm_schema *s, const struct pm_relation *r)
{
	return (size_t)(r - s->relations);
}

static int cmp_child(const void *pa, const void *pb, void *ctx)
{
	const struct child *a = pa, *b = pb;
	const struct pm_gview *g = ctx;
	if (a->rel_order != b->rel_order)
		return a->rel_order < b->rel_order ? -1 : 1;
	int c = strcmp(a->label, b->label);
	return c ? c : strcmp(g->nodes[a->node].id, g->nodes[b->node].id);
}

/* The kept neighbours of u in the tree's directions, in a stable order,
 * leaving out the edge `via` that led to u (seen from below it is no news). */
static size_t children(const struct pm_gview *g, size_t u, const struct pm_gdraw_opts *o,
		       struct child *out, size_t via)
{
	size_t n = 0;
	for (int side = 0; side < 2; side++) {
		bool dir_on = o->dir & (side ? PM_GDIR_UP : PM_GDIR_DOWN);
		const size_t *start = side ? g->in_start : g->out_start;
		const size_t *list = side ? g->in_list : g->out_list;
		for (size_t k = start[u]; k < start[u + 1]; k++) {
			const struct pm_gedge *e = &g->edges[list[k]];
			/* A symmetric relation has no direction: seen from both
			 * ends whichever way the tree goes. */
			if (!dir_on && !e->rel->symmetric)
				continue;
			size_t v = side ? e->source : e->target;
			if (list[k] == via || !kept(o, v) ||
			    !pm_gview_edge_kept(g, e, o->filter, o->keep))
				continue;
			const struct pm_relation *r = e->rel;
			out[n].node = v;
			out[n].edge = list[k];
			out[n].leaf = r->symmetric;
			out[n].label = side && r->inverse ? r->inverse : r->name;
			out[n].rel_order = rel_index(g->schema, r) * 2 + (size_t)side;
			n++;
		}
	}
	qsort_r(out, n, sizeof(*out), cmp_child, (void *)g);
	return n;
}

struct frame {
	size_t node;
	struct child *kids;
	size_t nkids, next;
	size_t prefix_len;	/* of the prefix before this frame's children */
	size_t via;		/* the edge that led here (SIZE_MAX at the root) */
};

/* A loop back to stack frame `at` is a cycle when every edge on it is of
 * the closing edge's relation (an acyclic one, to be worth saying). */
static bool real_cycle(const struct pm_gview *g, const struct frame *st, size_t depth,
		       size_t node, const struct pm_relation *r)
{
	if (!r->acyclic)
		return false;
	size_t at = depth;
	while (at > 0 && st[at - 1].node != node)
		at--;
	for (size_t i = at; i < depth; i++)
		if (st[i].via == (size_t)-1 || g->edges[st[i].via].rel != r)
			return false;
	return at > 0;
}

static void draw_from(struct pm_buf *out, const struct pm_gview *g, size_t root,
		      const struct pm_gdraw_opts *o, unsigned char *printed,
		      unsigned char *on_path)
{
	pm_gdraw_label(out, &g->nodes[root]);
	pm_buf_addc(out, '\n');
	printed[root] = 1;
	/* An explicit stack: a 100,000-long chain must not overflow the C
	 * stack. */
	size_t cap = 64, depth = 0;
	struct frame *st = malloc(cap * sizeof(*st));
	struct pm_buf prefix = PM_BUF_INIT;
	struct child *kids = malloc((g->out_start[root + 1] - g->out_start[root] +
				     g->in_start[root + 1] - g->in_start[root] + 1) * sizeof(*kids));
	if (!st || !kids) {
		free(st);
		free(kids);
		out->failed = true;
		return;
	}
	st[0] = (struct frame){ root, kids, children(g, root, o, kids, (size_t)-1), 0, 0,
				(size_t)-1 };
	depth = 1;
	on_path[root] = 1;
	pm_buf_adds(&prefix, "");
	while (depth) {
		struct frame *f = &st[depth - 1];
		if (f->next == f->nkids || (o->depth >= 0 && (int)depth > o->depth)) {
			on_path[f->node] = 0;
			free(f->kids);
			prefix.len = f->prefix_len;
			if (prefix.data)
				prefix.data[prefix.len] = '\0';
			depth--;
			continue;
		}
		const struct child *c = &f->kids[f->next++];
		bool last = f->next == f->nkids;
		pm_buf_printf(out, "%s%s %s \xE2\x86\x92 ", pm_buf_cstr(&prefix),
			      last ? "\xE2\x94\x94\xE2\x94\x80" : "\xE2\x94\x9C\xE2\x94\x80", c->label);
		size_t v = c->node;
		if (on_path[v] && real_cycle(g, st, depth, v, g->edges[c->edge].rel)) {
			pm_buf_printf(out, "%s (cycle)\n", g->nodes[v].id);
			continue;
		}
		if (printed[v] || on_path[v]) {
			pm_buf_printf(out, "%s (see above)\n", g->nodes[v].id);
			continue;
		}
		pm_gdraw_label(out, &g->nodes[v]);
		pm_buf_addc(out, '\n');
		/* A symmetric relation is a cross-reference, not a branch; a
		 * node at the depth limit is not expanded, so a nearer visit
		 * later may still draw what lies under it. */
		if (c->leaf || (o->depth >= 0 && (int)depth >= o->depth))
			continue;
		printed[v] = 1;
		size_t nk = g->out_start[v + 1] - g->out_start[v] + g->in_start[v + 1] - g->in_start[v];
		struct child *vk = malloc((nk + 1) * sizeof(*vk));
		if (!vk || (depth == cap && !(st = realloc(st, (cap *= 2) * sizeof(*st))))) {
			free(vk);
			out->failed = true;
			break;
		}
		size_t plen = prefix.len;
		pm_buf_adds(&prefix, last ? "   " : "\xE2\x94\x82  ");
		st[depth++] = (struct frame){ v, vk, children(g, v, o, vk, c->edge), 0, plen,
					      c->edge };
		on_path[v] = 1;
	}
	while (depth)
		free(st[--depth].kids);
	free(st);
	pm_buf_release(&prefix);
}

void pm_gdraw_tree(struct pm_buf *out, const struct pm_gview *g, const size_t *roots,
		   size_t nroots, const struct pm_gdraw_opts *o)
{
	size_t n = g->nnodes ? g->nnodes : 1;
	unsigned char *printed = calloc(n, 1), *on_path = calloc(n, 1);
	if (!printed || !on_path) {
		out->failed = true;
		goto out;
	}
	if (nroots) {
		for (size_t i = 0; i < nroots; i++) {
			if (i)
				pm_buf_addc(out, '\n');
			/* Each seed gets its whole neighbourhood, even when an
			 * earlier tree showed part of it. */
			memset(printed, 0, n);
			draw_from(out, g, roots[i], o, printed, on_path);
		}
		goto out;
	}
	/* The whole graph: start where nothing kept points in, then pick up
	 * what only a cycle reaches. */
	bool first = true;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < g->nnodes; i++) {
			if (!kept(o, i) || printed[i])
				continue;
			bool has_parent = false;
			for (size_t k = g->in_start[i]; pass == 0 && k < g->in_start[i + 1]; k++) {
				const struct pm_gedge *e = &g->edges[g->in_list[k]];
				if (!e->rel->symmetric && kept(o, e->source) &&
				    pm_gview_edge_kept(g, e, o->filter, NULL))
					has_parent = true;
			}
			if (has_parent)
				continue;
			if (!first)
				pm_buf_addc(out, '\n');
			first = false;
			draw_from(out, g, i, o, printed, on_path);
		}
	}
out:
	free(printed);
	free(on_path);
}

/* ---- DOT ------------------------------------------------------------------- */

void pm_dot_escape(struct pm_buf *out, const char *s)
{
	/* Inside "...": a backslash or quote is escaped; a line end becomes
	 * the \n escape; other control characters are dropped, bytes that are
	 * not UTF-8 become U+FFFD.  Nothing can end the string early. */
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
		if (*p == '"' || *p == '\\')
			pm_buf_addc(out, '\\');
		if (*p == '\n')
			pm_buf_adds(out, "\\n");
		if (*p < 0x20 || *p == 0x7f) {
			p++;
			continue;
		}
		put_seq(out, &p);
	}
}

struct type_style {
	const char *type, *shape, *color;
};

static const struct type_style styles[] = {
	{ "adr", "box", "#cfe2ff" },
	{ "inc", "octagon", "#f8d7da" },
	{ "opp", "ellipse", "#d1e7dd" },
	{ "gov", "note", "#fff3cd" },
};

static const struct type_style *style_of(const struct pm_gnode *n)
{
	for (size_t i = 0; i < sizeof(styles) / sizeof(styles[0]); i++)
		if (n->type && !strcmp(n->type, styles[i].type))
			return &styles[i];
	static const struct type_style other = { NULL, "box", "#e2e3e5" };
	return &other;
}

static void dot_node(struct pm_buf *out, const struct pm_gnode *n, const char *indent)
{
	const struct type_style *st = style_of(n);
	pm_buf_printf(out, "%s\"", indent);
	pm_dot_escape(out, n->id);
	pm_buf_adds(out, "\" [label=\"");
	pm_dot_escape(out, n->id);
	if (n->title) {
		pm_buf_adds(out, "\\n");
		pm_dot_escape(out, n->title);
	}
	if (n->status || n->severity) {
		pm_buf_adds(out, "\\n[");
		pm_dot_escape(out, n->status);
		if (n->status && n->severity)
			pm_buf_adds(out, ", ");
		pm_dot_escape(out, n->severity);
		pm_buf_adds(out, "]");
	}
	if (n->missing)
		pm_buf_printf(out, "\\n(missing)\", shape=box, style=\"dashed\", color=\"#dc3545\"];\n");
	else
		pm_buf_printf(out, "\", shape=%s, fillcolor=\"%s\"];\n", st->shape, st->color);
}

void pm_gdraw_dot(struct pm_buf *out, const struct pm_gview *g, const struct pm_gdraw_opts *o)
{
	pm_buf_adds(out, "digraph pmtool {\n"
			 "  rankdir=LR;\n"
			 "  node [style=filled, fontname=\"Helvetica\", fontsize=10];\n"
			 "  edge [fontname=\"Helvetica\", fontsize=9];\n");
	if (o->cluster_by_type) {
		for (size_t t = 0; t <= sizeof(styles) / sizeof(styles[0]); t++) {
			const char *type = t < sizeof(styles) / sizeof(styles[0]) ? styles[t].type : NULL;
			bool any = false;
			for (size_t i = 0; i < g->nnodes; i++) {
				const struct pm_gnode *n = &g->nodes[i];
				bool match = !n->missing && (type ? n->type && !strcmp(n->type, type)
								  : style_of(n)->type == NULL);
				if (!kept(o, i) || !match)
					continue;
				if (!any)
					pm_buf_printf(out, "  subgraph \"cluster_%s\" {\n    label=\"%s\";\n",
						      type ? type : "other", type ? type : "other");
				any = true;
				dot_node(out, n, "    ");
			}
			if (any)
				pm_buf_adds(out, "  }\n");
		}
		for (size_t i = 0; i < g->nnodes; i++)
			if (kept(o, i) && g->nodes[i].missing)
				dot_node(out, &g->nodes[i], "  ");
	} else {
		for (size_t i = 0; i < g->nnodes; i++)
			if (kept(o, i))
				dot_node(out, &g->nodes[i], "  ");
	}
	for (size_t k = 0; k < g->nedges; k++) {
		const struct pm_gedge *e = &g->edges[k];
		if (!kept(o, e->source) || !kept(o, e->target) ||
		    !pm_gview_edge_kept(g, e, o->filter, o->keep))
			continue;
		pm_buf_adds(out, "  \"");
		pm_dot_escape(out, g->nodes[e->source].id);
		pm_buf_adds(out, "\" -> \"");
		pm_dot_escape(out, g->nodes[e->target].id);
		pm_buf_adds(out, "\" [label=\"");
		pm_dot_escape(out, e->rel->name);
		pm_buf_printf(out, "\"%s%s];\n", e->declared ? "" : ", style=dashed",
			      e->rel->symmetric ? ", dir=none" : "");
	}
	/* The legend: one sample node per type. */
	pm_buf_adds(out, "  subgraph cluster_legend {\n    label=\"legend\";\n    fontsize=9;\n");
	for (size_t t = 0; t < sizeof(styles) / sizeof(styles[0]); t++)
		pm_buf_printf(out, "    \"legend_%s\" [label=\"%s\", shape=%s, fillcolor=\"%s\"];\n",
			      styles[t].type, styles[t].type, styles[t].shape, styles[t].color);
	pm_buf_adds(out, "    \"legend_missing\" [label=\"missing\", shape=box, style=dashed, "
			 "color=\"#dc3545\"];\n  }\n}\n");
}

/* ---- Mermaid ----------------------------------------------------------------- */

void pm_mermaid_escape(struct pm_buf *out, const char *s)
{
	/* Inside ["..."] a quote would end the label and a line end the
	 * statement (after which "%%{init}%%" or "click" would be read as
	 * syntax).  Those, and every character with a meaning to Mermaid's
	 * entity or HTML handling (# % & < > ` \), become #NNN; entities;
	 * control characters are dropped, bytes that are not UTF-8 become
	 * U+FFFD.  "-->" and brackets are harmless inside quotes and stay
	 * readable. */
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
		unsigned char c = *p;
		if (c < 0x20 || c == 0x7f) {
			pm_buf_addc(out, ' ');
			p++;
		} else if (c == '"' || c == '#' || c == '%' || c == '&' || c == '<' || c == '>' ||
			   c == '`' || c == '\\' || c == ';') {
			pm_buf_printf(out, "#%d;", c);
			p++;
		} else {
			put_seq(out, &p);
		}
	}
}

void pm_gdraw_mermaid(struct pm_buf *out, const struct pm_gview *g,
		      const struct pm_gdraw_opts *o)
{
	pm_buf_adds(out, "graph LR\n");
	/* Node names are n0, n1 ... in the order drawn: IDs never appear
	 * outside a label, and a drawing does not depend on what else the
	 * index holds. */
	size_t *name = calloc(g->nnodes ? g->nnodes : 1, sizeof(*name));
	if (!name) {
		out->failed = true;
		return;
	}
	for (size_t i = 0, k = 0; i < g->nnodes; i++) {
		if (!kept(o, i))
			continue;
		const struct pm_gnode *n = &g->nodes[i];
		name[i] = k;
		pm_buf_printf(out, "  n%zu[\"", k++);
		struct pm_buf label = PM_BUF_INIT;
		pm_gdraw_label(&label, n);
		pm_mermaid_escape(out, pm_buf_cstr(&label));
		pm_buf_release(&label);
		pm_buf_printf(out, "\"]:::%s\n", n->missing ? "missing" : style_of(n)->type ? n->type : "other");
	}
	for (size_t k = 0; k < g->nedges; k++) {
		const struct pm_gedge *e = &g->edges[k];
		if (!kept(o, e->source) || !kept(o, e->target) ||
		    !pm_gview_edge_kept(g, e, o->filter, o->keep))
			continue;
		pm_buf_printf(out, "  n%zu %s|", name[e->source],
			      e->rel->symmetric ? (e->declared ? "---" : "-.-")
						: e->declared ? "-->" : "-.->");
		pm_mermaid_escape(out, e->rel->name);
		pm_buf_printf(out, "| n%zu\n", name[e->target]);
	}
	free(name);
	for (size_t t = 0; t < sizeof(styles) / sizeof(styles[0]); t++)
		pm_buf_printf(out, "  classDef %s fill:%s,stroke:#555\n", styles[t].type, styles[t].color);
	pm_buf_adds(out, "  classDef other fill:#e2e3e5,stroke:#555\n"
			 "  classDef missing fill:#fff,stroke:#dc3545,stroke-dasharray:4\n");
}

/* ---- JSON -------------------------------------------------------------------- */

static json_t *jstr(const char *s)
{
	return s ? pm_json_string(s, strlen(s)) : json_null();
}

int pm_gdraw_json(struct pm_buf *out, const struct pm_gview *g, const struct pm_gdraw_opts *o)
{
	json_t *nodes = json_array(), *edges = json_array();
	for (size_t i = 0; nodes && i < g->nnodes; i++) {
		if (!kept(o, i))
			continue;
		const struct pm_gnode *n = &g->nodes[i];
		json_array_append_new(nodes, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b}",
						       "id", jstr(n->id), "type", jstr(n->type),
						       "title", jstr(n->title), "status", jstr(n->status),
						       "severity", jstr(n->severity), "date", jstr(n->date),
						       "path", jstr(n->path), "missing", n->missing));
	}
	for (size_t k = 0; edges && k < g->nedges; k++) {
		const struct pm_gedge *e = &g->edges[k];
		if (!kept(o, e->source) || !kept(o, e->target) ||
		    !pm_gview_edge_kept(g, e, o->filter, o->keep))
			continue;
		json_array_append_new(edges, json_pack("{s:o,s:o,s:s,s:b}",
						       "source", jstr(g->nodes[e->source].id),
						       "target", jstr(g->nodes[e->target].id),
						       "relation", e->rel->name, "declared", e->declared));
	}
	json_t *root = json_pack("{s:o,s:o}", "nodes", nodes, "edges", edges);
	char *text = root ? pm_json_dumps(root, JSON_INDENT(2)) : NULL;
	json_decref(root);
	if (!text)
		return PM_ERR_NOMEM;
	pm_buf_adds(out, text);
	pm_buf_addc(out, '\n');
	free(text);
	return out->failed ? PM_ERR_NOMEM : 0;
}
