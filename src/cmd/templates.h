/* templates.h - finding and rendering templates: a team's folder first,
 * then the built-in templates/. */
#ifndef PM_TEMPLATES_H
#define PM_TEMPLATES_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/value.h"

struct pm_templates {
	struct pm_arena arena;
	const char *dirs[2];	/* the team's (may be NULL), then the built-in */
};

/* team_dir may be NULL. */
void pm_templates_init(struct pm_templates *t, const char *team_dir);
void pm_templates_release(struct pm_templates *t);

/* The text of template name ("doc.mustache", "new/inc.md"), read from the
 * first folder that has it; NULL when none does or the name is unsafe (an
 * absolute path, "..").  Owned by t. */
const char *pm_templates_read(struct pm_templates *t, const char *name, size_t *len);

/* Renders template name with data into out; partials and parents
 * ({{> x}}, {{< x}}) are "x.mustache" (or "x" when it has an extension). */
int pm_templates_render(struct pm_templates *t, const char *name, const struct pm_value *data,
			struct pm_buf *out, struct pm_error *err);

#endif
