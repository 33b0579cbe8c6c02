/* graph.c - `pmtool graph` and `pmtool refs`: the relation graph. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "core/buf.h"
#include "core/codes.h"
#include "core/config.h"
#include "core/graphdraw.h"
#include "core/graphview.h"
#include "lint_output.h"
#include "query_run.h"

static const char graph_help[] =
	"options:\n"
	"      --depth N        levels around the IDs (default 2; the whole graph: no limit)\n"
	"      --down, --up, --both   follow edges from the IDs, to them, or both (default)\n"
	"      --type LIST      only documents of these types (adr,inc,...)\n"
	"      --relation LIST  only these relations (either direction's name)\n"
	"      --chain ID       the causal chain through ID: up to its root decisions, down\n"
	"                       to its follow-ups (triggers, enables)\n"
	"      --check          the graph's health: cycles, unresolved refs, orphans,\n"
	"                       incidents that led to nothing, one-sided supersedes\n"
	"      --strict         --check: warnings fail the run too\n"
	"      --disable CODES  --check: codes or names to switch off\n"
	"      --cluster type   dot: group nodes by type\n"
	"  -f, --format FMT     tree (default), dot, mermaid or json\n"
	"      --db FILE        the index file (default: <docs root>/.pmtool/index.db)\n"
	"      --no-refresh     use the index as it is\n"
	"      --root DIR       the docs root\n"
	"      --schema DIR     schema files that replace or extend the built-in ones\n"
	"      --users FILE     the users file\n"
	"  -h, --help           show this help\n"
	"\n"
	"Every relation is an edge; inverses are derived, so a link declared on either\n"
	"side shows from both.  Refs to documents that do not exist are 'missing' nodes.\n";

enum gformat { G_TREE, G_DOT, G_MERMAID, G_JSON };

/* Splits a comma list in place into an array. */
static size_t split(char *list, const char **out, size_t cap)
{
	size_t n = 0;
	for (char *save, *t = strtok_r(list, ",", &save); t && n < cap; t = strtok_r(NULL, ",", &save))
		if (*t)
			out[n++] = t;
	return n;
}

static bool is_rel(const struct pm_relation *r, const char *name)
{
	return !strcmp(r->name, name) || (r->inverse && !strcmp(r->inverse, name));
}

/* The causal chain through seed: its ancestors over triggers and enables,
 * drawn as paths from each root, then its descendants as a tree. */
static void chain(struct pm_buf *out, const struct pm_gview *g, size_t seed)
{
	static const char *const causal[] = { "triggers", "enables" };
	struct pm_gfilter f = { .relations = causal, .nrelations = 2 };
	unsigned char *up = pm_gview_reach(g, &seed, 1, -1, PM_GDIR_UP, &f);
	if (!up) {
		out->failed = true;
		return;
	}
	pm_buf_adds(out, "upstream:\n");
	/* A root of the chain is an ancestor with no causal parent. */
	bool any = false;
	for (size_t i = 0; i < g->nnodes; i++) {
		if (!up[i] || i == seed)
			continue;
		bool parent = false;
		for (size_t k = g->in_start[i]; k < g->in_start[i + 1]; k++) {
			const struct pm_gedge *e = &g->edges[g->in_list[k]];
			if (up[e->source] && pm_gview_edge_kept(g, e, &f, NULL))
				parent = true;
		}
		if (parent)
			continue;
		/* The shortest way down from the root to the seed, through
		 * ancestors only (breadth first, so a loop on the way cannot
		 * trap it). */
		any = true;
		size_t *via = malloc(g->nnodes * sizeof(*via));
		size_t *queue = malloc(g->nnodes * sizeof(*queue));
		if (!via || !queue) {
			free(via);
			free(queue);
			out->failed = true;
			break;
		}
		for (size_t k = 0; k < g->nnodes; k++)
			via[k] = (size_t)-1;
		size_t head = 0, tail = 0;
		queue[tail++] = i;
		via[i] = i;
		while (head < tail && via[seed] == (size_t)-1) {
			size_t u = queue[head++];
			for (size_t k = g->out_start[u]; k < g->out_start[u + 1]; k++) {
				const struct pm_gedge *e = &g->edges[g->out_list[k]];
				if (!up[e->target] || via[e->target] != (size_t)-1 ||
				    !pm_gview_edge_kept(g, e, &f, NULL))
					continue;
				via[e->target] = g->out_list[k];
				queue[tail++] = e->target;
			}
		}
		/* Unwind from the seed back to the root into a list. */
		size_t n = 0;
		for (size_t at = seed; at != i && via[at] != (size_t)-1 && n < g->nnodes;
		     at = g->edges[via[at]].source)
			queue[n++] = via[at];
		struct pm_buf indent = PM_BUF_INIT;
		pm_buf_adds(&indent, "  ");
		pm_buf_adds(out, "  ");
		pm_gdraw_label(out, &g->nodes[i]);
		while (n--) {
			const struct pm_gedge *e = &g->edges[queue[n]];
			pm_buf_printf(out, "\n%s\xE2\x94\x94\xE2\x94\x80 %s \xE2\x86\x92 ",
				      pm_buf_cstr(&indent), e->rel->name);
			pm_gdraw_label(out, &g->nodes[e->target]);
			pm_buf_adds(&indent, "   ");
		}
		free(via);
		free(queue);
		pm_buf_release(&indent);
		pm_buf_addc(out, '\n');
	}
	if (!any) {
		/* Nothing above, or only a loop: list what leads here. */
		bool listed = false;
		for (size_t i = 0; i < g->nnodes; i++) {
			if (!up[i] || i == seed)
				continue;
			pm_buf_adds(out, "  ");
			pm_gdraw_label(out, &g->nodes[i]);
			pm_buf_adds(out, " (in a loop)\n");
			listed = true;
		}
		if (!listed)
			pm_buf_adds(out, "  (nothing: no recorded cause)\n");
	}
	free(up);
	pm_buf_adds(out, "downstream:\n");
	struct pm_gdraw_opts o = { .filter = &f, .dir = PM_GDIR_DOWN, .depth = -1 };
	struct pm_buf tree = PM_BUF_INIT;
	pm_gdraw_tree(&tree, g, &seed, 1, &o);
	/* Indent the tree under the heading. */
	const char *t = pm_buf_cstr(&tree);
	while (*t) {
		const char *nl = strchr(t, '\n');
		size_t n = nl ? (size_t)(nl - t) + 1 : strlen(t);
		pm_buf_adds(out, "  ");
		pm_buf_add(out, t, n);
		t += n;
	}
	pm_buf_release(&tree);
}

/* ---- --check ------------------------------------------------------------------ */

static void check(const struct pm_gview *g, struct pm_diags *d, const char *root)
{
	for (size_t i = 0; i < g->nnodes; i++) {
		const struct pm_gnode *n = &g->nodes[i];
		if (n->missing)
			continue;
		const char *path = pm_arena_printf(d->arena, "%s%s", root, n->path ? n->path : "");
		size_t degree = g->out_start[i + 1] - g->out_start[i] + g->in_start[i + 1] -
				g->in_start[i];
		if (!degree) {
			struct pm_diag *dg = pm_diags_add(d, path, 1, 1, PM_SEV_WARNING, PM_C_ORPHAN,
							  "%s relates to no other document", n->id);
			pm_diag_set_hint(d, dg, "link it: caused_by, triggers, enables, related...");
		}
		if (n->type && !strcmp(n->type, "inc")) {
			bool cause = false, follow = false;
			for (size_t k = g->in_start[i]; k < g->in_start[i + 1]; k++)
				cause |= is_rel(g->edges[g->in_list[k]].rel, "triggers");
			for (size_t k = g->out_start[i]; k < g->out_start[i + 1]; k++) {
				const struct pm_relation *r = g->edges[g->out_list[k]].rel;
				follow |= is_rel(r, "triggers") || is_rel(r, "enables");
			}
			if (!cause && !follow) {
				struct pm_diag *dg = pm_diags_add(d, path, 1, 1, PM_SEV_WARNING,
								  PM_C_DEAD_END,
								  "%s has no cause and led to nothing",
								  n->id);
				pm_diag_set_hint(d, dg, "name the decision it came from (caused_by) "
						 "and what it triggered or enabled");
			}
		}
	}
	/* supersedes declared on one side only: the other document does not
	 * say it back. */
	for (size_t k = 0; k < g->nedges; k++) {
		const struct pm_gedge *e = &g->edges[k];
		if (strcmp(e->rel->name, "supersedes") || g->nodes[e->target].missing)
			continue;
		const struct pm_gnode *older = &g->nodes[e->target], *newer = &g->nodes[e->source];
		/* A successor that does not exist is PM401's business. */
		if (!e->declared && !newer->missing) {
			/* Reported where superseded_by was written. */
			const char *path = pm_arena_printf(d->arena, "%s%s", root,
							   e->decl_path ? e->decl_path : older->path);
			struct pm_diag *dg = pm_diags_add(d, path, e->line ? e->line : 1,
							  e->col ? e->col : 1, PM_SEV_WARNING,
							  PM_C_ONE_SIDED_SUPERSEDE,
							  "%s is superseded by %s, which does not say "
							  "it supersedes %s", older->id, newer->id,
							  older->id);
			pm_diag_set_hint(d, dg, "add 'supersedes: %s' to %s", older->id, newer->id);
		}
	}
}

static const char *src_line(void *ctx, const char *path, uint32_t line, size_t *len)
{
	(void)ctx;
	(void)path;
	(void)line;
	(void)len;
	return NULL;
}

static int run_check(struct pm_query_run *r, const struct pm_gview *g, bool json, bool strict,
		     const char *disable)
{
	struct pm_arena a;
	pm_arena_init(&a);
	struct pm_diags d;
	pm_diags_init(&d, &a);
	check(g, &d, r->display_root);
	/* Loops, unresolved and malformed refs, duplicate IDs: the index's
	 * corpus findings, which graph.c found exactly as lint does. */
	sqlite3_stmt *st = pm_query_prepare(r, "graph", "SELECT doc, line, col, severity, code, "
						       "message, hint FROM diagnostics WHERE scope = "
						       "'corpus'");
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const char *hint = (const char *)sqlite3_column_text(st, 6);
		const struct pm_code_info *code = pm_code_lookup((const char *)sqlite3_column_text(st, 4)
								  ? (const char *)sqlite3_column_text(st, 4) : "");
		if (!code)
			continue;	/* not a finding pmtool writes */
		const char *sev = (const char *)sqlite3_column_text(st, 3);
		struct pm_diag *dg = pm_diags_add(&d, pm_arena_printf(&a, "%s%s", r->display_root,
								      sqlite3_column_text(st, 0)),
						  (uint32_t)sqlite3_column_int(st, 1),
						  (uint32_t)sqlite3_column_int(st, 2),
						  sev && !strcmp(sev, "warning") ? PM_SEV_WARNING
										  : PM_SEV_ERROR,
						  code->code,
						  "%s", sqlite3_column_text(st, 5));
		if (dg && hint)
			pm_diag_set_hint(&d, dg, "%s", hint);
	}
	sqlite3_finalize(st);
	pm_diags_sort(&d);
	struct pm_error err = { 0 };
	if (pm_config_filter(r->setup.config, disable, &d, &err)) {
		fprintf(stderr, "pmtool graph: %s\n", err.msg);
		pm_arena_release(&a);
		return PM_EXIT_USAGE;
	}
	size_t docs = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		docs += !g->nodes[i].missing;
	struct pm_lint_report rep = { .diags = &d, .nfiles = docs, .source_line = src_line,
				      .color = json ? false : pm_cli_color(stdout),
				      .max_line = r->setup.parse.limits.max_output_line };
	pm_lint_print(stdout, json ? PM_LINT_JSON : PM_LINT_TEXT, &rep);
	int rc = pm_diags_count(&d, PM_SEV_ERROR) || (strict && pm_diags_count(&d, PM_SEV_WARNING))
		? PM_EXIT_FINDINGS : PM_EXIT_OK;
	pm_arena_release(&a);
	return rc;
}

int cmd_graph(int argc, char **argv)
{
	enum { O_DEPTH = 1, O_DOWN, O_UP, O_BOTH, O_TYPE, O_RELATION, O_CHAIN, O_CHECK, O_CLUSTER,
	       O_STRICT, O_DISABLE };
	static const struct option longopts[] = {
		{ "depth", required_argument, NULL, O_DEPTH },
		{ "down", no_argument, NULL, O_DOWN },
		{ "up", no_argument, NULL, O_UP },
		{ "both", no_argument, NULL, O_BOTH },
		{ "type", required_argument, NULL, O_TYPE },
		{ "relation", required_argument, NULL, O_RELATION },
		{ "chain", required_argument, NULL, O_CHAIN },
		{ "check", no_argument, NULL, O_CHECK },
		{ "cluster", required_argument, NULL, O_CLUSTER },
		{ "strict", no_argument, NULL, O_STRICT },
		{ "disable", required_argument, NULL, O_DISABLE },
		{ "help", no_argument, NULL, 'h' },
		PM_QUERY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct pm_query_common c = { 0 };
	int depth = -2;
	enum pm_gdir dir = PM_GDIR_BOTH;
	const char *types[32], *rels[32];
	struct pm_gfilter f = { .types = types, .relations = rels };
	const char *chain_id = NULL, *format = "tree";
	bool do_check = false, cluster = false, strict = false;
	const char *disable = NULL;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
		case PM_QOPT_FORMAT:
			format = optarg;
			if (strcmp(format, "tree") && strcmp(format, "dot") && strcmp(format, "mermaid") &&
			    strcmp(format, "json"))
				return pm_cli_usage_error("graph", "unknown format '%s' (expected tree, "
							  "dot, mermaid or json)", optarg);
			continue;
		case O_DEPTH: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 0 || v > 1000)
				return pm_cli_usage_error("graph", "--depth takes 0 to 1000, not '%s'",
							  optarg);
			depth = (int)v;
			continue;
		}
		case O_DOWN: dir = PM_GDIR_DOWN; continue;
		case O_UP: dir = PM_GDIR_UP; continue;
		case O_BOTH: dir = PM_GDIR_BOTH; continue;
		case O_TYPE: f.ntypes = split(optarg, types, 32); continue;
		case O_RELATION: f.nrelations = split(optarg, rels, 32); continue;
		case O_CHAIN: chain_id = optarg; continue;
		case O_CHECK: do_check = true; continue;
		case O_STRICT: strict = true; continue;
		case O_DISABLE: disable = optarg; continue;
		case O_CLUSTER:
			if (strcmp(optarg, "type"))
				return pm_cli_usage_error("graph", "--cluster takes 'type'");
			cluster = true;
			continue;
		case 'h':
			pm_cli_print_help("graph", graph_help);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("graph", "option '%s' needs a value", argv[optind - 1]);
		}
		int used = pm_query_option(&c, "graph", ch, optarg);
		if (used == PM_EXIT_USAGE)
			return used;
		if (!used)
			return pm_cli_usage_error("graph", "unknown option '%s'", argv[optind - 1]);
	}
	bool drawing = strcmp(format, "tree") != 0;
	if (do_check && chain_id)
		return pm_cli_usage_error("graph", "--check and --chain exclude each other");
	if (do_check && drawing && strcmp(format, "json"))
		return pm_cli_usage_error("graph", "--check prints findings as text or json");
	if (chain_id && drawing)
		return pm_cli_usage_error("graph", "--chain draws a tree; --format does not apply");
	struct pm_query_run r;
	int rc = pm_query_begin(&r, "graph", &c);
	struct pm_gview g;
	struct pm_error err = { 0 };
	memset(&g, 0, sizeof(g));
	/* The neighbourhood of IDs needs only the documents a hop past its
	 * depth (whether a node has more to show), not the whole index.
	 * PMTOOL_TEST_GRAPH_FULL=1 loads everything: the tests compare. */
	int reach = depth == -2 ? 2 : depth;
	bool near = optind < argc && !do_check && !chain_id && !f.ntypes && !f.nrelations &&
		    reach >= 0 && !getenv("PMTOOL_TEST_GRAPH_FULL");
	if (!rc && (near ? pm_gview_load_near(&g, r.db, r.setup.schema,
					      (const char *const *)argv + optind,
					      (size_t)(argc - optind), reach + 1, &err)
			 : pm_gview_load(&g, r.db, r.setup.schema, &err))) {
		fprintf(stderr, "pmtool graph: %s\n", err.msg);
		rc = PM_EXIT_USAGE;
	}
	for (size_t i = 0; !rc && i < f.ntypes; i++)
		if (!pm_schema_type(r.setup.schema, types[i]))
			rc = pm_cli_usage_error("graph", "unknown type '%s'", types[i]);
	for (size_t i = 0; !rc && i < f.nrelations; i++) {
		bool inv;
		if (!pm_schema_relation(r.setup.schema, rels[i], &inv))
			rc = pm_cli_usage_error("graph", "unknown relation '%s'", rels[i]);
	}
	size_t nseeds = 0, *seeds = calloc((size_t)argc + 1, sizeof(*seeds));
	for (int i = optind; !rc && i < argc; i++) {
		long at = pm_gview_find(&g, argv[i]);
		if (at < 0 || g.nodes[at].missing) {
			fprintf(stderr, "pmtool graph: no document '%s'\n", argv[i]);
			rc = PM_EXIT_USAGE;
		} else {
			seeds[nseeds++] = (size_t)at;
		}
	}
	struct pm_buf out = PM_BUF_INIT;
	if (!rc && do_check) {
		rc = run_check(&r, &g, !strcmp(format, "json"), strict, disable);
	} else if (!rc && chain_id) {
		long at = pm_gview_find(&g, chain_id);
		if (at < 0 || g.nodes[at].missing) {
			fprintf(stderr, "pmtool graph: no document '%s'\n", chain_id);
			rc = PM_EXIT_USAGE;
		} else {
			chain(&out, &g, (size_t)at);
		}
	} else if (!rc) {
		unsigned char *keep = NULL;
		if (nseeds) {
			keep = pm_gview_reach(&g, seeds, nseeds, depth == -2 ? 2 : depth, dir, &f);
		} else if (f.ntypes || f.nrelations) {
			/* The whole graph, narrowed: the types asked for, and with
			 * --relation only documents that take part in one. */
			keep = calloc(g.nnodes ? g.nnodes : 1, 1);
			for (size_t i = 0; keep && i < g.nnodes; i++) {
				bool type_ok = !f.ntypes;
				for (size_t t = 0; t < f.ntypes; t++)
					if (g.nodes[i].type && !strcmp(g.nodes[i].type, types[t]))
						type_ok = true;
				keep[i] = type_ok || (f.ntypes && g.nodes[i].missing);
			}
			if (keep && f.nrelations) {
				unsigned char *touched = calloc(g.nnodes ? g.nnodes : 1, 1);
				for (size_t k = 0; touched && k < g.nedges; k++) {
					const struct pm_gedge *e = &g.edges[k];
					if (keep[e->source] && keep[e->target] &&
					    pm_gview_edge_kept(&g, e, &f, NULL))
						touched[e->source] = touched[e->target] = 1;
				}
				for (size_t i = 0; touched && i < g.nnodes; i++)
					keep[i] = keep[i] && touched[i];
				free(touched);
			}
		}
		struct pm_gdraw_opts o = {
			.keep = keep, .filter = &f, .dir = nseeds ? dir : PM_GDIR_DOWN,
			.depth = nseeds ? (depth == -2 ? 2 : depth) : (depth == -2 ? -1 : depth),
			.cluster_by_type = cluster,
		};
		if (!strcmp(format, "dot"))
			pm_gdraw_dot(&out, &g, &o);
		else if (!strcmp(format, "mermaid"))
			pm_gdraw_mermaid(&out, &g, &o);
		else if (!strcmp(format, "json"))
			pm_gdraw_json(&out, &g, &o);
		else
			pm_gdraw_tree(&out, &g, seeds, nseeds, &o);
		free(keep);
	}
	if (!rc && out.failed) {
		fprintf(stderr, "pmtool graph: out of memory\n");
		rc = PM_EXIT_USAGE;
	}
	if (!rc && out.len)
		fwrite(out.data, 1, out.len, stdout);
	pm_buf_release(&out);
	free(seeds);
	pm_gview_release(&g);
	pm_query_end(&r);
	return rc;
}

/* ---- refs ------------------------------------------------------------------------ */

static const char refs_help[] =
	"options:\n"
	"      --backlinks      what points at ID instead of what ID points at\n"
	"  -f, --format FMT     table (default), json, csv or markdown\n"
	"      --db FILE        the index file\n"
	"      --no-refresh     use the index as it is\n"
	"      --root DIR       the docs root\n"
	"      --schema DIR     schema files that replace or extend the built-in ones\n"
	"      --users FILE     the users file\n"
	"  -h, --help           show this help\n"
	"\n"
	"Lists relations both declared and derived: INC-001's caused_by: ADR-001 shows\n"
	"under INC-001 as caused_by and under ADR-001 as triggers.\n";

int cmd_refs(int argc, char **argv)
{
	enum { O_BACK = 1 };
	static const struct option longopts[] = {
		{ "backlinks", no_argument, NULL, O_BACK },
		{ "help", no_argument, NULL, 'h' },
		PM_QUERY_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct pm_query_common c = { .format = PM_OUT_TABLE };
	bool back = false;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		int used = pm_query_option(&c, "refs", ch, optarg);
		if (used == PM_EXIT_USAGE)
			return used;
		if (used)
			continue;
		switch (ch) {
		case O_BACK: back = true; break;
		case 'h':
			pm_cli_print_help("refs", refs_help);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("refs", "option '%s' needs a value", argv[optind - 1]);
		default:
			return pm_cli_usage_error("refs", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return pm_cli_usage_error("refs", "give one document ID");
	const char *id = argv[optind];
	struct pm_query_run r;
	int rc = pm_query_begin(&r, "refs", &c);
	sqlite3_stmt *st = NULL;
	if (!rc) {
		sqlite3_stmt *ex = pm_query_prepare(&r, "refs", "SELECT 1 FROM documents WHERE id = ?");
		if (ex) {
			sqlite3_bind_text(ex, 1, id, -1, SQLITE_STATIC);
			if (sqlite3_step(ex) != SQLITE_ROW) {
				fprintf(stderr, "pmtool refs: no document '%s'\n", id);
				rc = PM_EXIT_USAGE;
			}
			sqlite3_finalize(ex);
		}
	}
	if (!rc) {
		/* Outgoing: the rows whose source is ID; backlinks: whose target
		 * is ID, read from the other side (so the relation is named as
		 * the pointing document would name it). */
		const char *sql = back
			? "SELECT l.source AS id, l.relation, d.type, d.title, d.status, "
			  "CASE WHEN l.declared THEN 'declared' ELSE 'derived' END AS how, "
			  "?2 || l.declared_in || ':' || l.line AS location "
			  "FROM links l LEFT JOIN documents d ON d.path = l.source_path "
			  "WHERE l.target = ?1 ORDER BY l.relation, l.source"
			: "SELECT l.relation, l.target AS id, d.type, d.title, d.status, "
			  "CASE WHEN l.target_path IS NULL THEN 'missing' WHEN l.declared THEN "
			  "'declared' ELSE 'derived' END AS how, "
			  "?2 || l.declared_in || ':' || l.line AS location "
			  "FROM links l LEFT JOIN documents d ON d.path = l.target_path "
			  "WHERE l.source = ?1 ORDER BY l.relation, l.target";
		if (!(st = pm_query_prepare(&r, "refs", sql)))
			rc = PM_EXIT_USAGE;
	}
	if (!rc) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r.display_root, -1, SQLITE_STATIC);
		rc = pm_query_print(&r, "refs", st, c.format, NULL);
	}
	sqlite3_finalize(st);
	pm_query_end(&r);
	return rc;
}
