/* report.c - building the data of report pages from the index. */
#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#include "buf.h"
#include "graphdraw.h"
#include "mdhtml.h"
#include "mustache.h"
#include "path.h"
#include "timeutil.h"

/* ---- small helpers ------------------------------------------------------------ */

/* A string value as templates should see it: as is for HTML templates
 * (they escape), or made safe for a Markdown table cell. */
static struct pm_value *text(struct pm_report *r, const char *s)
{
	if (!s || !r->markdown)
		return pm_value_str(&r->arena, s);
	struct pm_buf b = PM_BUF_INIT;
	for (const char *p = s; *p; p++) {
		if (*p == '|' || *p == '\\' || *p == '<' || *p == '>' || *p == '*' || *p == '_' ||
		    *p == '`' || *p == '[' || *p == ']')
			pm_buf_addc(&b, '\\');
		pm_buf_addc(&b, *p == '\n' || *p == '\r' ? ' ' : *p);
	}
	struct pm_value *v = b.failed ? NULL : pm_value_str(&r->arena, pm_buf_cstr(&b));
	pm_buf_release(&b);
	return v;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static struct pm_value *map(struct pm_report *r)
{
	return pm_value_new(&r->arena, PM_VAL_MAP);
}

static struct pm_value *seq(struct pm_report *r)
{
	return pm_value_new(&r->arena, PM_VAL_SEQ);
}

static void set_text(struct pm_report *r, struct pm_value *m, const char *key, const char *s)
{
	pm_value_set(&r->arena, m, key, text(r, s));
}

/* Sets a list, and beside it has_<key>: templates wrap a table around a
 * list only when it has items ({{#has_rows}}<table>...{{/has_rows}}),
 * which plain Mustache cannot ask of a list itself. */
static void set_list(struct pm_report *r, struct pm_value *m, const char *key,
		     struct pm_value *list)
{
	pm_value_set(&r->arena, m, key, list);
	char has[64];
	snprintf(has, sizeof(has), "has_%s", key);
	pm_value_set(&r->arena, m, has, pm_value_bool(&r->arena, list && list->u.seq.n > 0));
}

static sqlite3_stmt *prepare(struct pm_report *r, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

static void format_minutes(char *out, size_t size, long long m)
{
	if (m < 0)
		snprintf(out, size, "unknown");
	else if (m < 60)
		snprintf(out, size, "%lld min", m);
	else if (m < 48 * 60)
		snprintf(out, size, "%lld h %lld min", m / 60, m % 60);
	else
		snprintf(out, size, "%lld d %lld h", m / 1440, m % 1440 / 60);
}

/* ---- opening ------------------------------------------------------------------ */

/* base.html, or base-2.html, base-3.html ... : the first not in taken,
 * which then holds it.  NULL when out of memory. */
static const char *unique_page(struct pm_report *r, const char *base, struct pm_strmap *taken)
{
	for (int k = 1; k < 1000000; k++) {
		char *name = k == 1 ? pm_arena_printf(&r->keep, "%s.html", base)
				    : pm_arena_printf(&r->keep, "%s-%d.html", base, k);
		int rc = name ? pm_strmap_put(taken, name, 0, NULL) : -1;
		if (rc == 1)
			return name;
		if (rc < 0)
			return NULL;
	}
	return NULL;
}

/* A page name a browser and a file system both accept: the ID in lower
 * case with anything but [a-z0-9-_] made '_', made unique. */
static const char *page_name(struct pm_report *r, const char *id, struct pm_strmap *taken)
{
	char base[96];
	size_t n = 0;
	for (const char *p = id ? id : "doc"; *p && n < sizeof(base) - 1; p++) {
		char c = (char)tolower((unsigned char)*p);
		base[n++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ? c : '_';
	}
	base[n] = '\0';
	/* Names the site itself uses are never given to a document. */
	static const char *const reserved[] = { "index", "actions", "incidents", "decisions",
						 "opportunities", "policies", "style", "sort" };
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (!strcmp(base, reserved[i]))
			strcat(base, "_");
	if (!strncmp(base, "type-", 5))	/* the lists of a team's own types */
		base[4] = '_';
	if (!strncmp(base, "actions-", 8))	/* the owners' pages of a split site */
		base[7] = '_';
	return unique_page(r, base, taken);
}

int pm_report_open(struct pm_report *r, sqlite3 *db, const struct pm_schema *s,
		   const char *today, struct pm_error *err)
{
	memset(r, 0, sizeof(*r));
	pm_arena_init(&r->arena);
	pm_arena_init(&r->keep);
	pm_strmap_init(&r->owner_index);
	r->split = -1;
	pm_strmap_init(&r->page_of);
	r->db = db;
	r->schema = s;
	snprintf(r->today, sizeof(r->today), "%s", today);
	r->title = "Postmortems";
	int rc = pm_gview_load(&r->graph, db, s, err);
	if (rc)
		return rc;
	r->pages = pm_arena_array(&r->keep, r->graph.nnodes ? r->graph.nnodes : 1,
				  sizeof(*r->pages));
	struct pm_strmap taken;
	pm_strmap_init(&taken);
	for (size_t i = 0; r->pages && i < r->graph.nnodes; i++) {
		const struct pm_gnode *n = &r->graph.nodes[i];
		if (n->missing)
			continue;
		r->pages[i] = page_name(r, n->id, &taken);
		if (!r->pages[i] || pm_strmap_put(&r->page_of, n->id, i, NULL) < 0) {
			rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
			break;
		}
	}
	pm_strmap_release(&taken);
	if (!r->pages)
		rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	return rc;
}

void pm_report_close(struct pm_report *r)
{
	pm_gview_release(&r->graph);
	pm_strmap_release(&r->page_of);
	pm_arena_release(&r->arena);
	pm_arena_release(&r->keep);
	pm_strmap_release(&r->owner_index);
}

void pm_report_page_done(struct pm_report *r)
{
	pm_arena_release(&r->arena);
	pm_arena_init(&r->arena);
}

const char *pm_report_page(const struct pm_report *r, const char *id)
{
	size_t i;
	return id && pm_strmap_get(&r->page_of, id, &i) ? r->pages[i] : NULL;
}

static struct pm_value *site(struct pm_report *r)
{
	struct pm_value *m = map(r);
	set_text(r, m, "title", r->title);
	set_text(r, m, "version", r->version ? r->version : "");
	set_text(r, m, "generated", r->today);
	set_text(r, m, "today", r->today);
	return m;
}

/* Every page gets site, root (the prefix of links to other pages). */
static struct pm_value *page_data(struct pm_report *r)
{
	struct pm_value *m = map(r);
	pm_value_set(&r->arena, m, "site", site(r));
	pm_value_set(&r->arena, m, "root", pm_value_str(&r->arena, ""));
	return m;
}

/* ---- charts -------------------------------------------------------------------- */

/* A horizontal bar chart as inline SVG; pmtool writes it, labels escaped. */
static const char *bar_chart(struct pm_report *r, const char *label, const char *sql)
{
	sqlite3_stmt *st = prepare(r, sql);
	if (!st)
		return NULL;
	struct { char name[64]; long long v; } rows[64];
	size_t n = 0;
	long long max = 1;
	while (n < 64 && sqlite3_step(st) == SQLITE_ROW) {
		snprintf(rows[n].name, sizeof(rows[n].name), "%s", col(st, 0) ? col(st, 0) : "(none)");
		rows[n].v = sqlite3_column_int64(st, 1);
		if (rows[n].v > max)
			max = rows[n].v;
		n++;
	}
	sqlite3_finalize(st);
	if (!n)
		return pm_arena_strdup(&r->arena, "<p class=\"empty\">No incidents yet.</p>");
	struct pm_buf b = PM_BUF_INIT;
	unsigned h = 22 * (unsigned)n + 4;
	pm_buf_printf(&b, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 480 %u\" "
			  "width=\"480\" height=\"%u\" role=\"img\" aria-label=\"", h, h);
	pm_html_escape(&b, label, strlen(label));
	pm_buf_adds(&b, "\">\n");
	for (size_t i = 0; i < n; i++) {
		unsigned y = 22 * (unsigned)i + 2, w = (unsigned)(300 * rows[i].v / max);
		pm_buf_printf(&b, "<text x=\"0\" y=\"%u\">", y + 15);
		pm_html_escape(&b, rows[i].name, strlen(rows[i].name));
		pm_buf_printf(&b, "</text><rect x=\"110\" y=\"%u\" width=\"%u\" height=\"18\"/>"
				  "<text x=\"%u\" y=\"%u\">%lld</text>\n", y, w ? w : 1, 116 + w, y + 15,
			      rows[i].v);
	}
	pm_buf_adds(&b, "</svg>");
	const char *s = b.failed ? NULL : pm_arena_strdup(&r->arena, pm_buf_cstr(&b));
	pm_buf_release(&b);
	return s;
}

/* The anchor of an owner's section on actions.html: "owner-" and the
 * handle's letters, digits, '-' and '_', its '/' made '.' (a handle has
 * no '.', so @team/name and @teamname stay apart). */
static const char *owner_anchor(struct pm_report *r, const char *owner)
{
	char anchor[96];
	size_t k = 0;
	for (const char *p = owner; *p && k < sizeof(anchor) - 1; p++)
		if (isalnum((unsigned char)*p) || *p == '-' || *p == '_')
			anchor[k++] = *p;
		else if (*p == '/')
			anchor[k++] = '.';
	anchor[k] = '\0';
	return pm_arena_printf(&r->arena, "owner-%s", anchor);
}

/* ---- action items ---------------------------------------------------------------- */

/* The items of owner, of no owner (unowned), or of everyone (neither). */
static struct pm_value *action_rows(struct pm_report *r, const char *owner, bool unowned,
				    bool open_only, long *nopen, long *noverdue, long *ndone,
				    long *nall)
{
	/* A plain condition on owner, so that one owner's page reads the
	 * action_items_owner index, not the whole table. */
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "SELECT a.owner, a.action, a.incident, a.severity, a.due, a.status, a.open, "
		 "CASE WHEN a.open AND a.due < ?1 "
		 "THEN CAST(julianday(?1) - julianday(a.due) AS INTEGER) END AS late "
		 "FROM action_items a %s "
		 "ORDER BY a.owner IS NULL, a.owner, late IS NULL, late DESC, open DESC, "
		 "a.due IS NULL, a.due, a.incident, a.row",
		 unowned ? "WHERE a.owner IS NULL" : owner ? "WHERE a.owner = ?2" : "");
	sqlite3_stmt *st = prepare(r, sql);
	struct pm_value *list = seq(r);
	if (!st || !list) {
		sqlite3_finalize(st);
		return NULL;
	}
	sqlite3_bind_text(st, 1, r->today, -1, SQLITE_STATIC);
	if (owner && !unowned)
		sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
	*nopen = *noverdue = *ndone = *nall = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		bool open = sqlite3_column_int(st, 6);
		bool late = sqlite3_column_type(st, 7) != SQLITE_NULL;
		(*nall)++;
		*nopen += open;
		*noverdue += late;
		*ndone += col(st, 5) && !strcmp(col(st, 5), "done");
		if (open_only && !open)
			continue;
		struct pm_value *m = map(r);
		set_text(r, m, "owner", col(st, 0) ? col(st, 0) : "(no owner)");
		set_text(r, m, "action", col(st, 1));
		set_text(r, m, "incident", col(st, 2));
		pm_value_set(&r->arena, m, "page", pm_value_str(&r->arena, pm_report_page(r, col(st, 2))));
		set_text(r, m, "severity", col(st, 3));
		set_text(r, m, "due", col(st, 4));
		set_text(r, m, "status", col(st, 5));
		pm_value_set(&r->arena, m, "open", pm_value_bool(&r->arena, open));
		pm_value_set(&r->arena, m, "overdue", pm_value_bool(&r->arena, late));
		pm_value_set(&r->arena, m, "days_overdue",
			     late ? pm_value_int(&r->arena, sqlite3_column_int64(st, 7))
				  : pm_value_str(&r->arena, ""));
		pm_value_push(&r->arena, list, m);
	}
	sqlite3_finalize(st);
	return list;
}

/* Sorts open items with the most overdue first (the digest's order). */
static int cmp_overdue(const void *pa, const void *pb)
{
	const struct pm_value *a = *(struct pm_value *const *)pa, *b = *(struct pm_value *const *)pb;
	const struct pm_value *da = pm_value_get(a, "days_overdue"), *db = pm_value_get(b, "days_overdue");
	long long x = da->kind == PM_VAL_INT ? da->u.i : -1, y = db->kind == PM_VAL_INT ? db->u.i : -1;
	if (x != y)
		return x > y ? -1 : 1;
	const struct pm_value *ua = pm_value_get(a, "due"), *ub = pm_value_get(b, "due");
	const char *sa = ua->raw ? ua->raw : "9999", *sb = ub->raw ? ub->raw : "9999";
	return strcmp(sa, sb);
}

static struct pm_value *totals(struct pm_report *r, long open, long overdue, long done, long all)
{
	struct pm_value *t = map(r);
	pm_value_set(&r->arena, t, "open", pm_value_int(&r->arena, open));
	pm_value_set(&r->arena, t, "overdue", pm_value_int(&r->arena, overdue));
	pm_value_set(&r->arena, t, "done", pm_value_int(&r->arena, done));
	pm_value_set(&r->arena, t, "all", pm_value_int(&r->arena, all));
	return t;
}

/* Owners with overdue work first, then with open work, then the rest,
 * each group in its given order (the "rank" of each owner). */
static void rank_owners(struct pm_value *owners)
{
	for (int rank = 0, placed = 0; rank < 3; rank++) {
		for (size_t i = (size_t)placed; i < owners->u.seq.n; i++) {
			if (pm_value_get(owners->u.seq.items[i], "rank")->u.i != rank)
				continue;
			struct pm_value *t = owners->u.seq.items[i];
			memmove(&owners->u.seq.items[placed + 1], &owners->u.seq.items[placed],
				(i - (size_t)placed) * sizeof(t));
			owners->u.seq.items[placed++] = t;
		}
	}
}

static struct pm_value *actions_page(struct pm_report *r, const char *owner, bool unowned)
{
	struct pm_value *data = page_data(r);
	long open, overdue, done, all;
	struct pm_value *items = action_rows(r, owner, unowned, false, &open, &overdue, &done,
					     &all);
	if (!data || !items)
		return NULL;
	pm_value_set(&r->arena, data, "totals", totals(r, open, overdue, done, all));
	if (owner)
		set_text(r, data, "owner", owner);
	/* Group by owner: owners with overdue items first, then open ones. */
	struct pm_value *owners = seq(r), *open_list = seq(r);
	for (size_t i = 0; i < items->u.seq.n;) {
		const char *o = pm_value_get(items->u.seq.items[i], "owner")->raw;
		struct pm_value *g = map(r), *gi = seq(r);
		long go = 0, gl = 0;
		size_t j = i;
		for (; j < items->u.seq.n && !strcmp(pm_value_get(items->u.seq.items[j], "owner")->raw, o); j++) {
			struct pm_value *it = items->u.seq.items[j];
			pm_value_push(&r->arena, gi, it);
			go += pm_value_get(it, "open")->u.b;
			gl += pm_value_get(it, "overdue")->u.b;
			if (pm_value_get(it, "open")->u.b)
				pm_value_push(&r->arena, open_list, it);
		}
		set_text(r, g, "owner", o);
		pm_value_set(&r->arena, g, "anchor", pm_value_str(&r->arena, owner_anchor(r, o)));
		pm_value_set(&r->arena, g, "open", pm_value_int(&r->arena, go));
		pm_value_set(&r->arena, g, "overdue", gl ? pm_value_int(&r->arena, gl) : pm_value_bool(&r->arena, false));
		pm_value_set(&r->arena, g, "items", gi);
		pm_value_set(&r->arena, g, "rank", pm_value_int(&r->arena, gl ? 0 : go ? 1 : 2));
		pm_value_push(&r->arena, owners, g);
		i = j;
	}
	rank_owners(owners);
	if (open_list && open_list->u.seq.n > 1)
		qsort(open_list->u.seq.items, open_list->u.seq.n, sizeof(*open_list->u.seq.items),
		      cmp_overdue);
	set_list(r, data, "owners", owners);
	set_list(r, data, "open_actions", open_list);
	return data;
}

struct pm_value *pm_report_actions(struct pm_report *r, const char *owner)
{
	return actions_page(r, owner, false);
}

int pm_report_actions_split(struct pm_report *r, bool *split)
{
	if (r->split >= 0) {
		*split = r->split;
		return 0;
	}
	*split = false;
	sqlite3_stmt *st = prepare(r, "SELECT count(*) FROM action_items");
	if (!st)
		return PM_ERR_IO;
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	r->split = r->split_actions_above && (uint64_t)n > r->split_actions_above;
	if (!r->split)
		return 0;
	/* Every owner (NULL, for the items without one, sorts first) and a
	 * page name of its own: the anchor in lower case, numbered when two
	 * owners would share it. */
	st = prepare(r, "SELECT DISTINCT owner FROM action_items ORDER BY owner");
	if (!st)
		return PM_ERR_IO;
	size_t cap = 0, pcap = 0;
	struct pm_strmap taken;
	pm_strmap_init(&taken);
	int rc = 0;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		const char *o = col(st, 0);
		char *owner = o ? pm_arena_strdup(&r->keep, o) : NULL;
		char *base = o ? pm_arena_printf(&r->keep, "actions-%s", owner_anchor(r, o))
			       : pm_arena_strdup(&r->keep, "actions-none");
		for (char *p = base; p && *p; p++)
			*p = (char)tolower((unsigned char)*p);
		const char *page = base ? unique_page(r, base, &taken) : NULL;
		if ((o && !owner) || !page || !PM_ARENA_PUSH(&r->keep, r->owners, r->nowners, cap) ||
		    !PM_ARENA_PUSH(&r->keep, r->owner_pages, r->nowners, pcap) ||
		    (owner && pm_strmap_put(&r->owner_index, owner, r->nowners, NULL) < 0)) {
			rc = PM_ERR_NOMEM;
			break;
		}
		r->owners[r->nowners] = owner;
		r->owner_pages[r->nowners++] = page;
	}
	sqlite3_finalize(st);
	pm_strmap_release(&taken);
	*split = !rc;
	return rc;
}

const char *pm_report_owner_page(struct pm_report *r, const char *owner)
{
	bool split;
	if (pm_report_actions_split(r, &split) || !split)
		return "actions.html";
	size_t i;
	if (owner && pm_strmap_get(&r->owner_index, owner, &i))
		return r->owner_pages[i];
	if (!owner && r->nowners && !r->owners[0])
		return r->owner_pages[0];
	return "actions.html";
}

struct pm_value *pm_report_action_owners(struct pm_report *r)
{
	struct pm_value *data = page_data(r), *owners = seq(r);
	sqlite3_stmt *st = prepare(r,
		"SELECT owner, count(*), sum(open), sum(open AND due < ?1), "
		"sum(status IS 'done') FROM action_items GROUP BY owner ORDER BY owner");
	if (!data || !owners || !st) {
		sqlite3_finalize(st);
		return NULL;
	}
	sqlite3_bind_text(st, 1, r->today, -1, SQLITE_STATIC);
	long open = 0, overdue = 0, done = 0, all = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *o = col(st, 0);
		long n = (long)sqlite3_column_int64(st, 1), go = (long)sqlite3_column_int64(st, 2);
		long gl = (long)sqlite3_column_int64(st, 3);
		all += n;
		open += go;
		overdue += gl;
		done += (long)sqlite3_column_int64(st, 4);
		struct pm_value *g = map(r);
		set_text(r, g, "owner", o ? o : "(no owner)");
		pm_value_set(&r->arena, g, "anchor",
			     pm_value_str(&r->arena, owner_anchor(r, o ? o : "(no owner)")));
		pm_value_set(&r->arena, g, "page", pm_value_str(&r->arena, pm_report_owner_page(r, o)));
		pm_value_set(&r->arena, g, "count", pm_value_int(&r->arena, n));
		pm_value_set(&r->arena, g, "open", pm_value_int(&r->arena, go));
		pm_value_set(&r->arena, g, "overdue", gl ? pm_value_int(&r->arena, gl) : pm_value_bool(&r->arena, false));
		pm_value_set(&r->arena, g, "rank", pm_value_int(&r->arena, gl ? 0 : go ? 1 : 2));
		pm_value_push(&r->arena, owners, g);
	}
	sqlite3_finalize(st);
	rank_owners(owners);
	pm_value_set(&r->arena, data, "totals", totals(r, open, overdue, done, all));
	pm_value_set(&r->arena, data, "split", pm_value_bool(&r->arena, true));
	set_list(r, data, "owners", owners);
	return data;
}

struct pm_value *pm_report_owner_actions(struct pm_report *r, size_t i)
{
	if (i >= r->nowners)
		return NULL;
	struct pm_value *data = actions_page(r, r->owners[i], !r->owners[i]);
	if (data) {
		set_text(r, data, "owner", r->owners[i] ? r->owners[i] : "(no owner)");
		pm_value_set(&r->arena, data, "owner_page", pm_value_bool(&r->arena, true));
	}
	return data;
}

/* ---- overview ------------------------------------------------------------------- */

const char *pm_report_type_page(struct pm_report *r, const char *type)
{
	if (!strcmp(type, "inc"))
		return "incidents.html";
	if (!strcmp(type, "adr"))
		return "decisions.html";
	if (!strcmp(type, "opp"))
		return "opportunities.html";
	if (!strcmp(type, "gov"))
		return "policies.html";
	/* A team's own type: type-NAME.html, a name no document page gets. */
	char *name = pm_arena_printf(&r->arena, "type-%s.html", type);
	for (char *p = name ? name + 5 : NULL; p && *p && strcmp(p, ".html"); p++) {
		char c = (char)tolower((unsigned char)*p);
		*p = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ? c : '_';
	}
	return name;
}

const char *pm_report_type_title(const char *type)
{
	return !strcmp(type, "inc") ? "Incidents" : !strcmp(type, "adr") ? "Decisions"
		: !strcmp(type, "opp") ? "Opportunities" : !strcmp(type, "gov") ? "Policies"
		: NULL;
}

struct pm_value *pm_report_overview(struct pm_report *r)
{
	struct pm_value *data = page_data(r), *types = seq(r);
	for (size_t t = 0; data && types && t < r->schema->ntypes; t++) {
		const struct pm_type_schema *ts = &r->schema->types[t];
		sqlite3_stmt *st = prepare(r, "SELECT status, count(*) FROM documents WHERE type = ? "
					      "GROUP BY status ORDER BY status");
		if (!st)
			return NULL;
		sqlite3_bind_text(st, 1, ts->name, -1, SQLITE_STATIC);
		struct pm_value *m = map(r), *sts = seq(r);
		long long total = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			struct pm_value *s = map(r);
			set_text(r, s, "status", col(st, 0) ? col(st, 0) : "(none)");
			pm_value_set(&r->arena, s, "count", pm_value_int(&r->arena, sqlite3_column_int64(st, 1)));
			total += sqlite3_column_int64(st, 1);
			pm_value_push(&r->arena, sts, s);
		}
		sqlite3_finalize(st);
		set_text(r, m, "type", ts->name);
		set_text(r, m, "label", ts->description ? ts->description : ts->name);
		pm_value_set(&r->arena, m, "page", pm_value_str(&r->arena, pm_report_type_page(r, ts->name)));
		pm_value_set(&r->arena, m, "count", pm_value_int(&r->arena, total));
		set_list(r, m, "statuses", sts);
		pm_value_push(&r->arena, types, m);
	}
	set_list(r, data, "types", types);
	struct pm_value *charts = map(r);
	pm_value_set(&r->arena, charts, "severity", pm_value_str(&r->arena, bar_chart(r,
		"Incidents by severity", "SELECT severity, count(*) FROM documents WHERE type = 'inc' "
					 "GROUP BY severity ORDER BY severity")));
	pm_value_set(&r->arena, charts, "month", pm_value_str(&r->arena, bar_chart(r,
		"Incidents by month", "SELECT substr(date, 1, 7), count(*) FROM documents WHERE "
				      "type = 'inc' GROUP BY 1 ORDER BY 1")));
	pm_value_set(&r->arena, data, "charts", charts);
	sqlite3_stmt *st = prepare(r,
		"WITH d AS (SELECT severity, duration_minutes AS m, row_number() OVER (PARTITION BY "
		"severity ORDER BY duration_minutes) AS rn, count(*) OVER (PARTITION BY severity) AS c "
		"FROM documents WHERE type = 'inc' AND duration_minutes IS NOT NULL) "
		"SELECT severity, count(*), round(avg(m), 1), avg(CASE WHEN rn IN ((c + 1) / 2, "
		"(c + 2) / 2) THEN m END) FROM d GROUP BY severity ORDER BY severity");
	struct pm_value *mttr = seq(r);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		struct pm_value *m = map(r);
		set_text(r, m, "severity", col(st, 0) ? col(st, 0) : "(none)");
		pm_value_set(&r->arena, m, "incidents", pm_value_int(&r->arena, sqlite3_column_int64(st, 1)));
		pm_value_set(&r->arena, m, "mean", pm_value_num(&r->arena, sqlite3_column_double(st, 2)));
		pm_value_set(&r->arena, m, "median", pm_value_num(&r->arena, sqlite3_column_double(st, 3)));
		pm_value_push(&r->arena, mttr, m);
	}
	sqlite3_finalize(st);
	set_list(r, data, "mttr", mttr);
	long open, overdue, done, all;
	struct pm_value *open_list = action_rows(r, NULL, false, true, &open, &overdue, &done, &all);
	if (open_list && open_list->u.seq.n > 1)
		qsort(open_list->u.seq.items, open_list->u.seq.n, sizeof(*open_list->u.seq.items),
		      cmp_overdue);
	set_list(r, data, "open_actions", open_list);
	pm_value_set(&r->arena, data, "totals", totals(r, open, overdue, done, all));
	st = prepare(r, "SELECT id, title, severity, date FROM documents WHERE type = 'inc' "
			"ORDER BY date DESC, id LIMIT 10");
	struct pm_value *latest = seq(r);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		struct pm_value *m = map(r);
		set_text(r, m, "id", col(st, 0));
		set_text(r, m, "title", col(st, 1));
		set_text(r, m, "severity", col(st, 2));
		set_text(r, m, "date", col(st, 3));
		pm_value_set(&r->arena, m, "page", pm_value_str(&r->arena, pm_report_page(r, col(st, 0))));
		pm_value_push(&r->arena, latest, m);
	}
	sqlite3_finalize(st);
	set_list(r, data, "latest", latest);
	return data;
}

/* ---- one document ---------------------------------------------------------------- */

struct rewrite_ctx {
	struct pm_report *r;
	const char *dir;	/* the document's folder, docs-root relative */
};

/* ./adr-001.md in a body points at ADR-001's page. */
static const char *rewrite_link(void *ctx, const char *url)
{
	struct rewrite_ctx *c = ctx;
	size_t n = strcspn(url, "#?");
	if (n < 3 || strncmp(url + n - 3, ".md", 3) || strstr(url, "://") || url[0] == '/')
		return NULL;
	char *rel = pm_arena_strndup(&c->r->arena, url, n);
	char *path = rel ? pm_path_join(&c->r->arena, c->dir, rel) : NULL;
	if (!path)
		return NULL;
	sqlite3_stmt *st = prepare(c->r, "SELECT id FROM documents WHERE path = ?");
	const char *page = NULL;
	if (st) {
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			page = pm_report_page(c->r, col(st, 0));
		sqlite3_finalize(st);
	}
	return page ? pm_arena_printf(&c->r->arena, "%s%s", page, url + n) : NULL;
}

static bool is_user_field(const struct pm_type_schema *t, const char *key)
{
	const struct pm_field_schema *f = t ? pm_type_field(t, key) : NULL;
	return f && (f->type == PM_FT_USER || f->type == PM_FT_USER_LIST);
}

/* True when owner has action items, so actions.html has a section for it. */
static bool has_items(struct pm_report *r, const char *owner)
{
	sqlite3_stmt *st = prepare(r, "SELECT 1 FROM action_items WHERE owner = ? LIMIT 1");
	bool yes = false;
	if (st) {
		sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC);
		yes = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	return yes;
}

static struct pm_value *fields_of(struct pm_report *r, const char *path, const char *type)
{
	const struct pm_type_schema *t = type ? pm_schema_type(r->schema, type) : NULL;
	sqlite3_stmt *st = prepare(r, "SELECT key, value, type FROM fields WHERE doc = ? "
				      "AND key NOT IN ('type', 'title') ORDER BY line, col, item");
	struct pm_value *fields = seq(r);
	if (!st || !fields) {
		sqlite3_finalize(st);
		return NULL;
	}
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	struct pm_value *cur = NULL, *vals = NULL;
	const char *cur_key = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *key = col(st, 0), *value = col(st, 1);
		if (!cur_key || strcmp(cur_key, key)) {
			if (vals && vals->u.seq.n)
				pm_value_set(&r->arena, vals->u.seq.items[vals->u.seq.n - 1], "last",
					     pm_value_bool(&r->arena, true));
			cur = map(r);
			vals = seq(r);
			cur_key = pm_arena_strdup(&r->arena, key);
			set_text(r, cur, "key", key);
			pm_value_set(&r->arena, cur, "values", vals);
			pm_value_push(&r->arena, fields, cur);
		}
		struct pm_value *v = map(r);
		set_text(r, v, "text", value ? value : "");
		bool inverse;
		const char *href = NULL;
		if (value && pm_schema_relation(r->schema, key, &inverse))
			href = pm_report_page(r, value);
		else if (value && is_user_field(t, key) && has_items(r, value))
			href = pm_arena_printf(&r->arena, "%s#%s", pm_report_owner_page(r, value),
					       owner_anchor(r, value));
		if (href && !r->markdown)
			pm_value_set(&r->arena, v, "href", pm_value_str(&r->arena, href));
		pm_value_push(&r->arena, vals, v);
	}
	if (vals && vals->u.seq.n)
		pm_value_set(&r->arena, vals->u.seq.items[vals->u.seq.n - 1], "last",
			     pm_value_bool(&r->arena, true));
	sqlite3_finalize(st);
	return fields;
}

/* Runs `dot -Tsvg` on the DOT text and collects what it prints (at most
 * 8 MiB): 0 when it exits with status 0.  The input goes through an
 * unlinked temporary file in $TMPDIR (no pipe both ways to deadlock on)
 * and dot is started without a shell, so nothing in a title or a path
 * can reach a command line. */
static int run_dot(const char *prog, const struct pm_buf *in, struct pm_buf *out)
{
	const char *dir = getenv("TMPDIR");
	struct pm_buf name = PM_BUF_INIT;
	pm_buf_printf(&name, "%s/pmtool-graph-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = name.failed ? -1 : mkstemp(name.data);
	if (fd >= 0)
		unlink(name.data);
	pm_buf_release(&name);
	if (fd < 0)
		return -1;
	int pipefd[2] = { -1, -1 }, rc = -1;
	pid_t pid = -1;
	posix_spawn_file_actions_t fa;
	bool fa_ok = false;
	if (write(fd, in->data, in->len) != (ssize_t)in->len || lseek(fd, 0, SEEK_SET) != 0 ||
	    pipe(pipefd) != 0 || posix_spawn_file_actions_init(&fa) != 0)
		goto done;
	fa_ok = true;
	char *argv[] = { (char *)prog, (char *)"-Tsvg", NULL };
	if (posix_spawn_file_actions_adddup2(&fa, fd, 0) ||
	    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1) ||
	    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0) ||
	    posix_spawnp(&pid, prog, &fa, NULL, argv, environ) != 0) {
		pid = -1;
		goto done;
	}
	close(pipefd[1]);
	pipefd[1] = -1;
	char chunk[8192];
	ssize_t n;
	while ((n = read(pipefd[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && out->len < (8u << 20))
			pm_buf_add(out, chunk, (size_t)n);
done:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (pid > 0) {
		int status = 0;
		pid_t got;
		while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
			;
		rc = got == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
	}
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	close(fd);
	return rc;
}

/* The document's neighbourhood as SVG by Graphviz, or NULL. */
static const char *neighbourhood_svg(struct pm_report *r, const char *id)
{
	long at = pm_gview_find(&r->graph, id);
	if (!r->dot || at < 0)
		return NULL;
	size_t seed = (size_t)at;
	unsigned char *keep = pm_gview_reach(&r->graph, &seed, 1, 1, PM_GDIR_BOTH, NULL);
	if (!keep)
		return NULL;
	struct pm_buf dot = PM_BUF_INIT;
	struct pm_gdraw_opts o = { .keep = keep, .dir = PM_GDIR_BOTH, .depth = 1 };
	pm_gdraw_dot(&dot, &r->graph, &o);
	free(keep);
	const char *svg = NULL;
	if (!dot.failed) {
		struct pm_buf out = PM_BUF_INIT;
		if (run_dot(r->dot, &dot, &out) == 0 && !out.failed) {
			const char *start = strstr(pm_buf_cstr(&out), "<svg");
			if (start)
				svg = pm_arena_strdup(&r->arena, start);
		}
		pm_buf_release(&out);
	}
	pm_buf_release(&dot);
	return svg;
}

/* By source ID first, which the links_source index serves (by path alone
 * was a scan of every link for every page: the site was quadratic), then
 * by path, for two documents that share an ID. */
static struct pm_value *links_of(struct pm_report *r, const char *id, const char *path)
{
	sqlite3_stmt *st = prepare(r, "SELECT l.relation, l.target, t.title, l.target_path IS NULL "
				      "FROM links l LEFT JOIN documents t ON t.path = l.target_path "
				      "WHERE l.source = ?2 AND l.source_path = ?1 "
				      "ORDER BY l.relation, l.target");
	struct pm_value *links = seq(r);
	if (!st || !links) {
		sqlite3_finalize(st);
		return NULL;
	}
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id ? id : "", -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct pm_value *m = map(r);
		set_text(r, m, "relation", col(st, 0));
		set_text(r, m, "id", col(st, 1));
		set_text(r, m, "title", col(st, 2));
		pm_value_set(&r->arena, m, "missing", pm_value_bool(&r->arena, sqlite3_column_int(st, 3)));
		pm_value_set(&r->arena, m, "page", pm_value_str(&r->arena, pm_report_page(r, col(st, 1))));
		pm_value_push(&r->arena, links, m);
	}
	sqlite3_finalize(st);
	return links;
}

static struct pm_value *doc_object(struct pm_report *r, const char *path)
{
	sqlite3_stmt *st = prepare(r, "SELECT id, type, title, body FROM documents WHERE path = ?");
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return NULL;
	}
	struct pm_value *d = map(r);
	const char *id = pm_arena_strdup(&r->arena, col(st, 0));
	const char *type = col(st, 1) ? pm_arena_strdup(&r->arena, col(st, 1)) : NULL;
	set_text(r, d, "id", id);
	set_text(r, d, "type", type);
	const struct pm_type_schema *t = type ? pm_schema_type(r->schema, type) : NULL;
	set_text(r, d, "type_label", t && t->description ? t->description : type ? type : "document");
	set_text(r, d, "title", col(st, 2));
	set_text(r, d, "path", path);
	pm_value_set(&r->arena, d, "page", pm_value_str(&r->arena, pm_report_page(r, id)));
	const char *body = col(st, 3) ? col(st, 3) : "";
	struct pm_buf html = PM_BUF_INIT;
	struct rewrite_ctx rc = { r, pm_path_dirname(&r->arena, path) };
	if (pm_markdown_to_html(&html, body, strlen(body), rewrite_link, &rc) == 0)
		pm_value_set(&r->arena, d, "body_html", pm_value_str(&r->arena, pm_buf_cstr(&html)));
	pm_buf_release(&html);
	pm_value_set(&r->arena, d, "body_md", pm_value_str(&r->arena, body));
	sqlite3_finalize(st);
	set_list(r, d, "fields", fields_of(r, path, type));
	set_list(r, d, "links", links_of(r, id, path));
	st = prepare(r, "SELECT line, severity, code, message FROM diagnostics WHERE doc = ? "
			"ORDER BY line, col");
	struct pm_value *findings = seq(r);
	if (st)
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		struct pm_value *m = map(r);
		pm_value_set(&r->arena, m, "line", pm_value_int(&r->arena, sqlite3_column_int64(st, 0)));
		set_text(r, m, "severity", col(st, 1));
		set_text(r, m, "code", col(st, 2));
		set_text(r, m, "message", col(st, 3));
		pm_value_push(&r->arena, findings, m);
	}
	sqlite3_finalize(st);
	set_list(r, d, "findings", findings);
	if (!r->markdown) {
		const char *svg = neighbourhood_svg(r, id);
		if (svg)
			pm_value_set(&r->arena, d, "graph_svg", pm_value_str(&r->arena, svg));
	}
	return d;
}

struct pm_value *pm_report_document(struct pm_report *r, const char *path)
{
	struct pm_value *data = page_data(r), *d = doc_object(r, path);
	if (!data || !d)
		return NULL;
	pm_value_set(&r->arena, data, "doc", d);
	return data;
}

/* ---- lists by type ------------------------------------------------------------------ */

struct pm_value *pm_report_list(struct pm_report *r, const char *type, const char *title)
{
	struct pm_value *data = page_data(r), *list = map(r), *cols = seq(r), *rows = seq(r);
	bool inc = !strcmp(type, "inc");
	static const char *const inc_cols[] = { "ID", "Title", "Severity", "Status", "Date",
						"Duration (min)", "Open items" };
	static const char *const other_cols[] = { "ID", "Title", "Status", "Date" };
	const char *const *names = inc ? inc_cols : other_cols;
	size_t ncols = inc ? 7 : 4;
	for (size_t i = 0; i < ncols; i++)
		pm_value_push(&r->arena, cols, pm_value_str(&r->arena, names[i]));
	sqlite3_stmt *st = prepare(r,
		"SELECT d.id, d.title, d.severity, d.status, d.date, d.duration_minutes, "
		"(SELECT count(*) FROM action_items a WHERE a.doc = d.path AND a.open) "
		"FROM documents d WHERE d.type = ? ORDER BY d.date DESC, d.id");
	if (!data || !list || !st) {
		sqlite3_finalize(st);
		return NULL;
	}
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct pm_value *row = map(r), *cells = seq(r);
		int idx[7] = { 0, 1, 2, 3, 4, 5, 6 }, other[4] = { 0, 1, 3, 4 };
		for (size_t i = 0; i < ncols; i++) {
			int c = inc ? idx[i] : other[i];
			struct pm_value *cell = map(r);
			set_text(r, cell, "text", col(st, c) ? col(st, c) : "");
			if (c == 0)
				pm_value_set(&r->arena, cell, "href",
					     pm_value_str(&r->arena, pm_report_page(r, col(st, 0))));
			pm_value_push(&r->arena, cells, cell);
		}
		pm_value_set(&r->arena, row, "cells", cells);
		pm_value_push(&r->arena, rows, row);
	}
	sqlite3_finalize(st);
	set_text(r, list, "title", title);
	pm_value_set(&r->arena, list, "columns", cols);
	set_list(r, list, "rows", rows);
	pm_value_set(&r->arena, data, "list", list);
	return data;
}

/* ---- a postmortem with derived facts ---------------------------------------------- */

static bool matches_any(const char *s, const char *const *words)
{
	for (; s && *words; words++) {
		size_t n = strlen(*words);
		for (const char *p = s; *p; p++)
			if (!strncasecmp(p, *words, n))
				return true;
	}
	return false;
}

static struct pm_value *chain_of(struct pm_report *r, const char *id, bool up)
{
	long at = pm_gview_find(&r->graph, id);
	struct pm_value *list = seq(r);
	if (at < 0 || !list)
		return list;
	/* One step each way along triggers and enables: what caused it, and
	 * what it caused (the whole chain is `pmtool graph --chain`). */
	const struct pm_gview *g = &r->graph;
	const size_t *start = up ? g->in_start : g->out_start, *l = up ? g->in_list : g->out_list;
	for (size_t k = start[at]; k < start[at + 1]; k++) {
		const struct pm_gedge *e = &g->edges[l[k]];
		if (strcmp(e->rel->name, "triggers") && strcmp(e->rel->name, "enables"))
			continue;
		const struct pm_gnode *n = &g->nodes[up ? e->source : e->target];
		struct pm_value *m = map(r);
		set_text(r, m, "relation", up && e->rel->inverse ? e->rel->inverse : e->rel->name);
		set_text(r, m, "id", n->id);
		set_text(r, m, "title", n->missing ? "(missing)" : n->title);
		pm_value_set(&r->arena, m, "page", pm_value_str(&r->arena, pm_report_page(r, n->id)));
		pm_value_push(&r->arena, list, m);
	}
	return list;
}

struct pm_value *pm_report_postmortem(struct pm_report *r, const char *path)
{
	struct pm_value *data = pm_report_document(r, path);
	if (!data)
		return NULL;
	struct pm_value *d = (struct pm_value *)pm_value_get(data, "doc");
	const char *id = pm_value_get(d, "id")->raw;
	sqlite3_stmt *st = prepare(r, "SELECT started_epoch, resolved_epoch FROM documents "
				      "WHERE path = ?");
	long long start = -1, end = -1;
	if (st) {
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			if (sqlite3_column_type(st, 0) != SQLITE_NULL)
				start = sqlite3_column_int64(st, 0);
			if (sqlite3_column_type(st, 1) != SQLITE_NULL)
				end = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
	}
	/* Detection: the first entry that reads like an alert or a page (else
	 * the first entry); mitigation: the first that reads like a fix taking
	 * hold (else resolved_at). */
	static const char *const detect_words[] = { "alert", "detect", "page", "declared",
						     "report", "noticed", NULL };
	static const char *const mitigate_words[] = { "mitigat", "rolled back", "rollback",
						       "recover", "restor", "fix deployed",
						       "hotfix deployed", "nominal", NULL };
	long long detect = -1, mitigate = -1, first = -1;
	st = prepare(r, "SELECT at_epoch, event FROM timeline WHERE doc = ? AND at_epoch IS NOT NULL "
			"ORDER BY row");
	if (st)
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		long long at = sqlite3_column_int64(st, 0);
		const char *ev = col(st, 1);
		if (first < 0)
			first = at;
		if (detect < 0 && matches_any(ev, detect_words))
			detect = at;
		/* A fix takes hold only after the problem was seen. */
		if (mitigate < 0 && detect >= 0 && at >= detect && matches_any(ev, mitigate_words))
			mitigate = at;
	}
	sqlite3_finalize(st);
	if (detect < 0)
		detect = first;
	if (mitigate < 0)
		mitigate = end;
	char buf[64];
	struct pm_value *facts = map(r);
	format_minutes(buf, sizeof(buf), start >= 0 && end >= 0 ? (end - start + 30) / 60 : -1);
	set_text(r, facts, "duration", buf);
	format_minutes(buf, sizeof(buf), start >= 0 && detect >= 0 ? (detect - start + 30) / 60 : -1);
	set_text(r, facts, "detect", buf);
	format_minutes(buf, sizeof(buf), start >= 0 && mitigate >= 0 ? (mitigate - start + 30) / 60 : -1);
	set_text(r, facts, "mitigate", buf);
	st = prepare(r, "SELECT count(*), sum(status = 'done'), sum(open AND date(due) IS NOT NULL "
			"AND due < ?2) FROM action_items WHERE doc = ?1");
	if (st) {
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->today, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			pm_value_set(&r->arena, facts, "actions_total", pm_value_int(&r->arena, sqlite3_column_int64(st, 0)));
			pm_value_set(&r->arena, facts, "actions_done", pm_value_int(&r->arena, sqlite3_column_int64(st, 1)));
			long long late = sqlite3_column_int64(st, 2);
			pm_value_set(&r->arena, facts, "actions_overdue",
				     late ? pm_value_int(&r->arena, late) : pm_value_bool(&r->arena, false));
		}
		sqlite3_finalize(st);
	}
	pm_value_set(&r->arena, data, "facts", facts);
	struct pm_value *chain = map(r);
	pm_value_set(&r->arena, chain, "up", chain_of(r, id, true));
	pm_value_set(&r->arena, chain, "down", chain_of(r, id, false));
	pm_value_set(&r->arena, data, "chain", chain);
	return data;
}

int pm_report_paths(struct pm_report *r, const char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = prepare(r, "SELECT path FROM documents ORDER BY path");
	if (!st)
		return PM_ERR_IO;
	size_t cap = 0;
	const char **paths = NULL;
	int rc = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!PM_ARENA_PUSH(&r->keep, paths, *n, cap) ||
		    !(paths[*n] = pm_arena_strdup(&r->keep, col(st, 0)))) {
			rc = PM_ERR_NOMEM;
			break;
		}
		(*n)++;
	}
	sqlite3_finalize(st);
	*out = paths;
	return rc;
}
