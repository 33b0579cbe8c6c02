/* schema.h - the rules documents are checked against, read from YAML files.
 *
 * A schema folder holds one file per document type (inc.yaml, adr.yaml ...)
 * and relations.yaml.  The format is documented in docs/pmtool-schema.1.scd.
 * A struct pm_schema owns one arena with everything in it, plus the compiled
 * regular expressions (PCRE2), which pm_schema_free() releases.  A loaded
 * schema is read-only and may be shared by threads.
 */
#ifndef PM_SCHEMA_H
#define PM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "error.h"
#include "value.h"

enum pm_ftype {
	PM_FT_STRING,
	PM_FT_INTEGER,
	PM_FT_NUMBER,
	PM_FT_BOOL,
	PM_FT_DATE,
	PM_FT_DATETIME,
	PM_FT_ENUM,
	PM_FT_USER,
	PM_FT_REF,
	PM_FT_STRING_LIST,
	PM_FT_USER_LIST,
	PM_FT_REF_LIST,
};

struct pm_regex;	/* a compiled PCRE2 pattern with bounded matching */

struct pm_field_schema {
	const char *name;
	const char *description;
	enum pm_ftype type;
	bool required;
	const char *required_when_field;	/* required when this field ... */
	const char **required_when_values;	/* ... has one of these values */
	size_t nrequired_when;
	const char **values;			/* enum values */
	size_t nvalues;
	const char *pattern;
	struct pm_regex *regex;
	bool has_min, has_max;
	double min, max;
	size_t min_items;
	const struct pm_value *default_value;
	uint32_t line;				/* where the schema defines it */
};

struct pm_column_schema {
	const char *name;
	const char *description;
	enum pm_ftype type;			/* scalar types only */
	bool required;
	const char **values;
	size_t nvalues;
};

struct pm_table_schema {
	bool required;
	size_t min_rows;
	struct pm_column_schema *columns;
	size_t ncolumns;
};

struct pm_section_schema {
	const char *name;
	const char *description;
	bool required;
	bool non_empty;				/* present means with content */
	size_t min_items;			/* list items plus table rows */
	struct pm_table_schema *table;		/* NULL when it has none */
	struct pm_section_schema *sections;	/* nested sections */
	size_t nsections;
};

struct pm_rule {
	const char *name;			/* a rule implemented in C */
	const struct pm_value *params;		/* its mapping of parameters */
};

struct pm_type_schema {
	const char *name;			/* "inc" */
	const char *prefix;			/* "INC" */
	const char *description;
	const char *path;			/* the file it came from */
	struct pm_field_schema *fields;
	size_t nfields;
	struct pm_section_schema *sections;
	size_t nsections;
	struct pm_rule *rules;
	size_t nrules;
};

struct pm_relation {
	const char *name;
	const char *inverse;			/* NULL for symmetric relations */
	const char *description;
	bool symmetric;
	bool many;
	bool acyclic;
	const char **sources, **targets;	/* allowed types; n == 0: any */
	size_t nsources, ntargets;
};

struct pm_schema {
	struct pm_arena arena;
	const char *dir;
	struct pm_type_schema *types;
	size_t ntypes;
	struct pm_relation *relations;
	size_t nrelations;
	const char *id_pattern;
	struct pm_regex *id_regex;
	struct pm_regex **regexes;		/* every compiled pattern, to free */
	size_t nregexes, regexes_cap;
	const char **prefixes;			/* the types' ID prefixes */
	size_t nprefixes;
	uint64_t fingerprint;			/* of every file's name and bytes */
};

/* Loads the *.yaml files of dirs; a file of a later folder replaces the
 * file of the same name in an earlier one, so a repository's schema folder
 * can replace one type, add a type, or replace relations.yaml and keep the
 * built-in rest.  Problems in the schema files are findings in diags (with
 * their file:line:col) and give PM_ERR_INVALID; a folder that cannot be read
 * gives PM_ERR_IO.  The caller frees *out with pm_schema_free(), also on
 * failure (it may be NULL). */
int pm_schema_load(struct pm_schema **out, const char *const *dirs, size_t ndirs,
		   struct pm_diags *diags, struct pm_error *err);

/* Frees the schema and its compiled patterns.  Accepts NULL. */
void pm_schema_free(struct pm_schema *s);

/* The type named name, or NULL. */
const struct pm_type_schema *pm_schema_type(const struct pm_schema *s, const char *name);

/* The relation whose name or inverse is key, or NULL; *inverse tells which. */
const struct pm_relation *pm_schema_relation(const struct pm_schema *s, const char *key,
					     bool *inverse);

/* The field named name in t, or NULL. */
const struct pm_field_schema *pm_type_field(const struct pm_type_schema *t,
					    const char *name);

/* The rule named name in t (its parameters), or NULL when switched off. */
const struct pm_rule *pm_type_rule(const struct pm_type_schema *t, const char *name);

/* "string", "user[]" ... */
const char *pm_ftype_name(enum pm_ftype t);

/* True when len bytes of s match r.  Matching is bounded (match and depth
 * limits); a pattern that hits them counts as no match. */
bool pm_regex_match(const struct pm_regex *r, const char *s, size_t len);

/* The names of the rules implemented in C, for the schema loader's check
 * and for docs. */
extern const char *const pm_rule_names[];
extern const size_t pm_nrule_names;

#endif
