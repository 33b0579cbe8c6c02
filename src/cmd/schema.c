/* schema.c - `pmtool schema`: print the schema in force. */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/config.h"
#include "core/json.h"
#include "core/schema.h"

static const char options_help[] =
	"options:\n"
	"  -f, --format FMT   text (default) or json\n"
	"      --schema DIR   schema files that replace or extend the built-in ones\n"
	"  -h, --help         show this help\n"
	"\n"
	"TYPE: one document type (inc, adr, opp, gov, or a team's own); without it,\n"
	"every type and the relations.\n";

static void field_text(const struct pm_field_schema *f)
{
	printf("  %-18s %-9s %s", f->name, pm_ftype_name(f->type),
	       f->required ? "required" : f->required_when_field ? "required when" : "optional");
	if (f->required_when_field) {
		printf(" %s in {", f->required_when_field);
		for (size_t i = 0; i < f->nrequired_when; i++)
			printf("%s%s", i ? ", " : "", f->required_when_values[i]);
		printf("}");
	}
	if (f->nvalues) {
		printf("  {");
		for (size_t i = 0; i < f->nvalues; i++)
			printf("%s%s", i ? ", " : "", f->values[i]);
		printf("}");
	}
	if (f->has_min)
		printf("  >= %g", f->min);
	if (f->has_max)
		printf("  <= %g", f->max);
	if (f->min_items)
		printf("  at least %zu item%s", f->min_items, f->min_items == 1 ? "" : "s");
	if (f->pattern)
		printf("  /%s/", f->pattern);
	if (f->description)
		printf("  -- %s", f->description);
	putchar('\n');
}

static void sections_text(const struct pm_section_schema *s, size_t n, int depth)
{
	for (size_t i = 0; i < n; i++) {
		printf("  %*s%s %s%s\n", depth * 2, "", s[i].name,
		       s[i].required ? "(required)" : "(optional)",
		       s[i].description ? "" : "");
		if (s[i].table) {
			printf("  %*s  table%s:", depth * 2, "", s[i].table->required ? " (required)" : "");
			for (size_t c = 0; c < s[i].table->ncolumns; c++) {
				const struct pm_column_schema *col = &s[i].table->columns[c];
				printf(" %s%s%s%s", col->name, col->required ? "*" : "",
				       col->type != PM_FT_STRING ? ":" : "",
				       col->type != PM_FT_STRING ? pm_ftype_name(col->type) : "");
				if (c + 1 < s[i].table->ncolumns)
					putchar(',');
			}
			putchar('\n');
		}
		sections_text(s[i].sections, s[i].nsections, depth + 1);
	}
}

static void type_text(const struct pm_type_schema *t)
{
	printf("%s (%s-NNN)%s%s\n  from %s\nfields:\n", t->name, t->prefix,
	       t->description ? ": " : "", t->description ? t->description : "", t->path);
	for (size_t i = 0; i < t->nfields; i++)
		field_text(&t->fields[i]);
	printf("sections:\n");
	sections_text(t->sections, t->nsections, 0);
	if (t->nrules) {
		printf("rules:");
		for (size_t i = 0; i < t->nrules; i++)
			printf(" %s", t->rules[i].name);
		putchar('\n');
	}
}

static void relations_text(const struct pm_schema *s)
{
	printf("relations:\n");
	for (size_t i = 0; i < s->nrelations; i++) {
		const struct pm_relation *r = &s->relations[i];
		printf("  %-12s %-14s %-4s%s", r->name,
		       r->symmetric ? "(symmetric)" : r->inverse ? r->inverse : "-",
		       r->many ? "many" : "one", r->acyclic ? "  acyclic" : "");
		if (r->nsources) {
			printf("  from");
			for (size_t k = 0; k < r->nsources; k++)
				printf(" %s", r->sources[k]);
		}
		if (r->ntargets) {
			printf("  to");
			for (size_t k = 0; k < r->ntargets; k++)
				printf(" %s", r->targets[k]);
		}
		printf("%s%s\n", r->description ? "  -- " : "",
		       r->description ? r->description : "");
	}
	if (s->id_pattern)
		printf("refs matching %s (or PREFIX-NNN of a type) name documents by ID\n",
		       s->id_pattern);
}

static json_t *strs(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *sections_json(const struct pm_section_schema *s, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:b}", "name", s[i].name, "required", s[i].required);
		if (s[i].description)
			json_object_set_new(o, "description", json_string(s[i].description));
		if (s[i].table) {
			json_t *cols = json_array();
			for (size_t c = 0; c < s[i].table->ncolumns; c++) {
				const struct pm_column_schema *col = &s[i].table->columns[c];
				json_t *co = json_pack("{s:s,s:s,s:b}", "name", col->name, "type",
						       pm_ftype_name(col->type), "required",
						       col->required);
				if (col->nvalues)
					json_object_set_new(co, "values",
							    strs(col->values, col->nvalues));
				json_array_append_new(cols, co);
			}
			json_object_set_new(o, "table", json_pack("{s:b,s:I,s:o}", "required",
								  s[i].table->required, "min_rows",
								  (json_int_t)s[i].table->min_rows,
								  "columns", cols));
		}
		json_object_set_new(o, "sections", sections_json(s[i].sections, s[i].nsections));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *type_json(const struct pm_type_schema *t)
{
	json_t *fields = json_array();
	for (size_t i = 0; i < t->nfields; i++) {
		const struct pm_field_schema *f = &t->fields[i];
		json_t *o = json_pack("{s:s,s:s,s:b}", "name", f->name, "type",
				      pm_ftype_name(f->type), "required", f->required);
		if (f->required_when_field)
			json_object_set_new(o, "required_when",
					    json_pack("{s:o}", f->required_when_field,
						      strs(f->required_when_values,
							   f->nrequired_when)));
		if (f->nvalues)
			json_object_set_new(o, "values", strs(f->values, f->nvalues));
		if (f->pattern)
			json_object_set_new(o, "pattern", json_string(f->pattern));
		if (f->has_min)
			json_object_set_new(o, "min", json_real(f->min));
		if (f->has_max)
			json_object_set_new(o, "max", json_real(f->max));
		if (f->min_items)
			json_object_set_new(o, "min_items", json_integer((json_int_t)f->min_items));
		if (f->description)
			json_object_set_new(o, "description", json_string(f->description));
		json_array_append_new(fields, o);
	}
	json_t *rules = json_array();
	for (size_t i = 0; i < t->nrules; i++)
		json_array_append_new(rules, json_string(t->rules[i].name));
	return json_pack("{s:s,s:s,s:s?,s:s,s:o,s:o,s:o}", "type", t->name, "prefix", t->prefix,
			 "description", t->description, "file", t->path, "fields", fields,
			 "sections", sections_json(t->sections, t->nsections), "rules", rules);
}

static json_t *relations_json(const struct pm_schema *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->nrelations; i++) {
		const struct pm_relation *r = &s->relations[i];
		json_t *o = json_pack("{s:s,s:s?,s:b,s:s,s:b}", "name", r->name, "inverse",
				      r->inverse, "symmetric", r->symmetric, "cardinality",
				      r->many ? "many" : "one", "acyclic", r->acyclic);
		if (r->nsources)
			json_object_set_new(o, "sources", strs(r->sources, r->nsources));
		if (r->ntargets)
			json_object_set_new(o, "targets", strs(r->targets, r->ntargets));
		json_array_append_new(a, o);
	}
	return a;
}

int cmd_schema(int argc, char **argv)
{
	enum { OPT_SCHEMA = 256 };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "schema", required_argument, NULL, OPT_SCHEMA },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	const char *schema_dir = NULL;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (!strcmp(optarg, "json"))
				json = true;
			else if (strcmp(optarg, "text"))
				return pm_cli_usage_error("schema", "unknown format '%s' "
							  "(expected text or json)", optarg);
			break;
		case OPT_SCHEMA:
			schema_dir = optarg;
			break;
		case 'h':
			pm_cli_print_help("schema", options_help);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("schema", "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			return pm_cli_usage_error("schema", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return pm_cli_usage_error("schema", "give at most one type");
	const char *type = optind < argc ? argv[optind] : NULL;
	struct pm_arena arena;
	pm_arena_init(&arena);
	struct pm_diags diags;
	pm_diags_init(&diags, &arena);
	struct pm_error err = { 0 };
	struct pm_config *config = NULL;
	struct pm_schema *s = NULL;
	int rc = pm_config_find(&config, ".", &diags, &err);
	if (!rc) {
		const char *dirs[2] = { pm_cli_builtin_dir("schema"),
					schema_dir ? schema_dir : config->schema_dir };
		rc = pm_schema_load(&s, dirs, dirs[1] ? 2 : 1, &diags, &err);
	}
	if (rc) {
		for (size_t i = 0; i < diags.n; i++)
			pm_cli_print_diag(stderr, &diags.items[i]);
		fprintf(stderr, "pmtool schema: %s\n", err.msg);
		rc = PM_EXIT_USAGE;
		goto out;
	}
	const struct pm_type_schema *t = type ? pm_schema_type(s, type) : NULL;
	if (type && !t) {
		fprintf(stderr, "pmtool schema: unknown type '%s' (known:", type);
		for (size_t i = 0; i < s->ntypes; i++)
			fprintf(stderr, " %s", s->types[i].name);
		fprintf(stderr, ")\n");
		rc = PM_EXIT_USAGE;
		goto out;
	}
	if (json) {
		json_t *o;
		if (t) {
			o = type_json(t);
		} else {
			json_t *types = json_array();
			for (size_t i = 0; i < s->ntypes; i++)
				json_array_append_new(types, type_json(&s->types[i]));
			o = json_pack("{s:s?,s:o,s:o}", "id_pattern", s->id_pattern, "types", types,
				      "relations", relations_json(s));
		}
		char *text = o ? pm_json_dumps(o, JSON_INDENT(2)) : NULL;
		if (text)
			printf("%s\n", text);
		free(text);
		json_decref(o);
	} else if (t) {
		type_text(t);
	} else {
		for (size_t i = 0; i < s->ntypes; i++) {
			type_text(&s->types[i]);
			putchar('\n');
		}
		relations_text(s);
	}
out:
	pm_schema_free(s);
	pm_config_free(config);
	pm_arena_release(&arena);
	return rc;
}
