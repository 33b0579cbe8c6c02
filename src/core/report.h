/* report.h - the data report templates receive (docs/templates.md).
 *
 * Everything comes from the index (documents, links, action items) and the
 * graph view; the data is a pm_value tree in the report's arena, so the
 * Mustache engine renders it directly.  Strings are plain text: templates
 * escape them ({{x}}); the few values pmtool makes itself (body_html,
 * graph_svg, charts) are HTML for {{{x}}}.  In markdown mode strings are
 * made safe for Markdown tables instead (pipes escaped, no line ends), for
 * templates that print them raw.
 */
#ifndef PM_REPORT_H
#define PM_REPORT_H

#include <sqlite3.h>
#include <stdbool.h>

#include "arena.h"
#include "error.h"
#include "graphview.h"
#include "schema.h"
#include "strmap.h"
#include "value.h"

struct pm_report {
	/* The data of the page being made: everything the pm_report_*()
	 * data functions return lives here until pm_report_page_done(), so a
	 * site of 100,000 pages needs the memory of its largest page only. */
	struct pm_arena arena;
	struct pm_arena keep;		/* page names and paths: the whole report */
	sqlite3 *db;
	const struct pm_schema *schema;
	struct pm_gview graph;
	char today[11];
	const char *title;		/* the site's title */
	const char *version;
	const char *dot;		/* Graphviz dot to run, or NULL */
	bool markdown;			/* strings for Markdown, not HTML */
	struct pm_strmap page_of;	/* document ID -> index in pages */
	const char **pages;		/* "inc-001.html" ... one per graph node */
	/* A site with more action items than this (0: no limit) splits
	 * actions.html: it lists the owners, and each owner's items get a
	 * page of their own (one page of every item would not open in a
	 * browser, nor fit the template output limit). */
	size_t split_actions_above;
	int split;			/* -1 not known yet, else 0 or 1 */
	struct pm_strmap owner_index;	/* owner -> index in owners, when split */
	const char **owners;		/* every owner; NULL: items without one */
	const char **owner_pages;	/* "actions-owner-NAME.html", unique */
	size_t nowners;
};

/* Prepares a report over the index db.  today is YYYY-MM-DD.  Release with
 * pm_report_close(), also after a failure. */
int pm_report_open(struct pm_report *r, sqlite3 *db, const struct pm_schema *s,
		   const char *today, struct pm_error *err);
void pm_report_close(struct pm_report *r);

/* Frees the data of the page just made (see arena above). */
void pm_report_page_done(struct pm_report *r);

/* The page file of a document ID ("inc-001.html"), NULL when it has none. */
const char *pm_report_page(const struct pm_report *r, const char *id);

/* Data for index.html (NULL when out of memory, as for all below). */
struct pm_value *pm_report_overview(struct pm_report *r);

/* Data for one document's page; path is as the index stores it. */
struct pm_value *pm_report_document(struct pm_report *r, const char *path);

/* The site's list page of a type: incidents.html, decisions.html,
 * opportunities.html, policies.html, or type-NAME.html for a team's own. */
const char *pm_report_type_page(struct pm_report *r, const char *type);

/* The list page's title for the built-in types; NULL for others. */
const char *pm_report_type_title(const char *type);

/* Data for a table of every document of a type ("inc"...). */
struct pm_value *pm_report_list(struct pm_report *r, const char *type, const char *title);

/* Data for the action items: every item grouped by owner (open and overdue
 * first) with totals, and "open_actions" for digests; owner NULL: all. */
struct pm_value *pm_report_actions(struct pm_report *r, const char *owner);

/* Whether the site splits actions.html by owner (split_actions_above);
 * when it does, also lists the owners and names their pages. */
int pm_report_actions_split(struct pm_report *r, bool *split);

/* The page with owner's action items (owner NULL: the items without
 * one): "actions.html", or its own page when the site is split. */
const char *pm_report_owner_page(struct pm_report *r, const char *owner);

/* Data for a split actions.html: the totals and, for each owner (overdue
 * work first, as on the whole page), its counts and page. */
struct pm_value *pm_report_action_owners(struct pm_report *r);

/* Data for the page of owners[i] of a split site: actions.mustache's data
 * with that owner alone. */
struct pm_value *pm_report_owner_actions(struct pm_report *r, size_t i);

/* Data for one postmortem with derived facts and its causal chain. */
struct pm_value *pm_report_postmortem(struct pm_report *r, const char *path);

/* The paths of every document in the index, in order, for a site; they
 * live until pm_report_close(). */
int pm_report_paths(struct pm_report *r, const char ***out, size_t *n);

#endif
