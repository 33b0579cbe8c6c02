/* new.c - `pmtool new`: a blank document of a type, from templates/new/. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd.h"
#include "core/buf.h"
#include "core/path.h"
#include "core/timeutil.h"
#include "setup.h"
#include "templates.h"

static const char options_help[] =
	"options:\n"
	"      --field KEY=VALUE  set a frontmatter field (repeatable; a list: a,b)\n"
	"      --dir DIR          where to write (default: the docs root)\n"
	"      --today DATE       the date written into date fields (default: today)\n"
	"      --templates DIR    a team's templates, used before the built-in ones\n"
	"      --schema DIR       schema files that replace or extend the built-in ones\n"
	"  -h, --help             show this help\n"
	"\n"
	"Writes the next free ID of the type (inc-004.md after inc-003.md) from\n"
	"templates/new/TYPE.md: today's date in required date fields, the fields\n"
	"given, every required section as a heading and the required tables with\n"
	"their header rows.  An existing file is never overwritten.\n";

/* A YAML double-quoted scalar: the value can hold anything. */
static void yaml_quote(struct pm_buf *b, const char *s)
{
	pm_buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			pm_buf_printf(b, "\\%c", *p);
		else if (*p < 0x20)
			pm_buf_printf(b, "\\x%02x", *p);
		else
			pm_buf_addc(b, (char)*p);
	}
	pm_buf_addc(b, '"');
}

static const char *yaml_value(struct pm_arena *a, const struct pm_field_schema *f,
			      const char *v)
{
	struct pm_buf b = PM_BUF_INIT;
	bool list = f && f->type >= PM_FT_STRING_LIST;
	bool number = f && (f->type == PM_FT_INTEGER || f->type == PM_FT_NUMBER);
	if (list) {
		pm_buf_addc(&b, '[');
		char *copy = pm_arena_strdup(a, v);
		int n = 0;
		for (char *save, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			while (*t == ' ')
				t++;
			pm_buf_adds(&b, n++ ? ", " : "");
			yaml_quote(&b, t);
		}
		pm_buf_addc(&b, ']');
	} else if (number && strspn(v, "0123456789.-") == strlen(v) && *v) {
		pm_buf_adds(&b, v);
	} else {
		yaml_quote(&b, v);
	}
	const char *s = b.failed ? NULL : pm_arena_strdup(a, pm_buf_cstr(&b));
	pm_buf_release(&b);
	return s;
}

/* The next free number for prefix in dir: one past the highest
 * prefix-NNN.md there, zero-padded to at least three digits. */
static long next_number(const char *dir, const char *prefix, int *width)
{
	long max = 0;
	*width = 3;
	DIR *d = opendir(dir);
	if (!d)
		return 1;
	size_t pn = strlen(prefix);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncasecmp(e->d_name, prefix, pn) || e->d_name[pn] != '-')
			continue;
		char *end;
		long n = strtol(e->d_name + pn + 1, &end, 10);
		if (end == e->d_name + pn + 1 || strcasecmp(end, ".md"))
			continue;
		if (n > max)
			max = n;
		int w = (int)(end - (e->d_name + pn + 1));
		if (w > *width)
			*width = w;
	}
	closedir(d);
	return max + 1;
}

struct field_arg {
	const char *key, *value;
};

static void add_sections(struct pm_arena *a, struct pm_value *list,
			 const struct pm_section_schema *s, size_t n, int depth)
{
	for (size_t i = 0; i < n; i++) {
		if (!s[i].required)
			continue;
		struct pm_value *m = pm_value_new(a, PM_VAL_MAP);
		pm_value_set(a, m, "heading", pm_value_str(a, s[i].name));
		char hashes[8];
		snprintf(hashes, sizeof(hashes), "%.*s", depth, "######");
		pm_value_set(a, m, "hashes", pm_value_str(a, hashes));
		/* "-->" would end the comment the hint sits in. */
		const char *hint = s[i].description ? s[i].description : "write this section";
		struct pm_buf h = PM_BUF_INIT;
		for (const char *p = hint; *p; p++)
			if (!(p[0] == '-' && p[1] == '-'))
				pm_buf_addc(&h, *p);
		pm_value_set(a, m, "hint", pm_value_str(a, pm_buf_cstr(&h)));
		pm_buf_release(&h);
		const struct pm_table_schema *t = s[i].table;
		if (t && t->required && t->ncolumns) {
			struct pm_buf hdr = PM_BUF_INIT, rule = PM_BUF_INIT;
			for (size_t c = 0; c < t->ncolumns; c++) {
				pm_buf_printf(&hdr, "| %s ", t->columns[c].name);
				pm_buf_adds(&rule, "|---");
			}
			pm_buf_adds(&hdr, "|");
			pm_buf_adds(&rule, "|");
			struct pm_value *tv = pm_value_new(a, PM_VAL_MAP);
			pm_value_set(a, tv, "header", pm_value_str(a, pm_buf_cstr(&hdr)));
			pm_value_set(a, tv, "rule", pm_value_str(a, pm_buf_cstr(&rule)));
			pm_value_set(a, m, "table", tv);
			pm_buf_release(&hdr);
			pm_buf_release(&rule);
		}
		pm_value_push(a, list, m);
		add_sections(a, list, s[i].sections, s[i].nsections, depth + 1);
	}
}

int cmd_new(int argc, char **argv)
{
	enum { O_FIELD = 1, O_DIR, O_TODAY, O_TEMPLATES, O_SCHEMA };
	static const struct option longopts[] = {
		{ "field", required_argument, NULL, O_FIELD },
		{ "dir", required_argument, NULL, O_DIR },
		{ "today", required_argument, NULL, O_TODAY },
		{ "templates", required_argument, NULL, O_TEMPLATES },
		{ "schema", required_argument, NULL, O_SCHEMA },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct field_arg fields[64];
	size_t nfields = 0;
	const char *dir = NULL, *today_arg = NULL, *templates = NULL;
	struct pm_setup_flags flags = { 0 };
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case O_FIELD: {
			char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || nfields == 64)
				return pm_cli_usage_error("new", "--field takes KEY=VALUE, not '%s'", optarg);
			*eq = '\0';
			fields[nfields++] = (struct field_arg){ optarg, eq + 1 };
			break;
		}
		case O_DIR: dir = optarg; break;
		case O_TODAY: today_arg = optarg; break;
		case O_TEMPLATES: templates = optarg; break;
		case O_SCHEMA: flags.schema = optarg; break;
		case 'h':
			pm_cli_print_help("new", options_help);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("new", "option '%s' needs a value", argv[optind - 1]);
		default:
			return pm_cli_usage_error("new", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return pm_cli_usage_error("new", "give a TYPE and optionally a TITLE");
	const char *type = argv[optind], *title = optind + 1 < argc ? argv[optind + 1] : "";
	int32_t today = pm_today();
	if (today_arg && !pm_date_parse(today_arg, strlen(today_arg), &today))
		return pm_cli_usage_error("new", "--today takes a date YYYY-MM-DD, not '%s'", today_arg);
	char today_s[11];
	pm_date_format(today, today_s);
	struct pm_setup s;
	int rc = pm_setup_load(&s, "new", &flags, 0, NULL);
	struct pm_templates t;
	pm_templates_init(&t, templates ? templates : !rc ? s.config->templates_dir : NULL);
	const struct pm_type_schema *ts = rc ? NULL : pm_schema_type(s.schema, type);
	if (!rc && !ts) {
		fprintf(stderr, "pmtool new: unknown type '%s' (known:", type);
		for (size_t i = 0; i < s.schema->ntypes; i++)
			fprintf(stderr, " %s", s.schema->types[i].name);
		fprintf(stderr, ")\n");
		rc = PM_EXIT_USAGE;
	}
	bool inv;
	for (size_t i = 0; !rc && i < nfields; i++) {
		const struct pm_field_schema *f = pm_type_field(ts, fields[i].key);
		if (!strcmp(fields[i].key, "type") || !strcmp(fields[i].key, "title") ||
		    (!f && !pm_schema_relation(s.schema, fields[i].key, &inv)))
			rc = pm_cli_usage_error("new", "type %s has no field '%s'", type, fields[i].key);
		for (size_t j = 0; !rc && f && f->type < PM_FT_STRING_LIST && j < i; j++)
			if (!strcmp(fields[j].key, fields[i].key))
				rc = pm_cli_usage_error("new", "--field %s given twice", fields[i].key);
	}
	if (rc)
		goto out;
	struct pm_arena *a = &s.arena;
	if (!dir)
		dir = s.root;
	int width;
	long num = next_number(dir, ts->prefix, &width);
	char id[96], file[128];
	snprintf(id, sizeof(id), "%s-%0*ld", ts->prefix, width, num);
	snprintf(file, sizeof(file), "%s.md", id);
	for (char *p = file; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	struct pm_value *data = pm_value_new(a, PM_VAL_MAP), *fl = pm_value_new(a, PM_VAL_SEQ);
	pm_value_set(a, data, "type", pm_value_str(a, type));
	pm_value_set(a, data, "id", pm_value_str(a, id));
	pm_value_set(a, data, "today", pm_value_str(a, today_s));
	struct pm_buf tq = PM_BUF_INIT;
	yaml_quote(&tq, title);
	pm_value_set(a, data, "title_yaml", pm_value_str(a, pm_buf_cstr(&tq)));
	pm_buf_release(&tq);
	/* The schema's fields in order: given ones with their values, required
	 * ones (a date as today, a default as written, else empty). */
	for (size_t i = 0; i < ts->nfields; i++) {
		const struct pm_field_schema *f = &ts->fields[i];
		if (!strcmp(f->name, "title"))
			continue;
		/* A list field given several times gets every value. */
		struct pm_buf gb = PM_BUF_INIT;
		for (size_t k = 0; k < nfields; k++)
			if (!strcmp(fields[k].key, f->name))
				pm_buf_printf(&gb, "%s%s", gb.len ? "," : "", fields[k].value);
		const char *given = gb.len ? pm_arena_strdup(a, pm_buf_cstr(&gb)) : NULL;
		pm_buf_release(&gb);
		const char *value = given ? yaml_value(a, f, given)
			: f->required && f->type == PM_FT_DATE ? yaml_value(a, f, today_s)
			: f->required && f->default_value && f->default_value->raw
				? yaml_value(a, f, f->default_value->raw) : NULL;
		if (!given && !f->required)
			continue;
		struct pm_value *m = pm_value_new(a, PM_VAL_MAP);
		pm_value_set(a, m, "key", pm_value_str(a, f->name));
		pm_value_set(a, m, "value", value ? pm_value_str(a, value) : pm_value_bool(a, false));
		pm_value_push(a, fl, m);
	}
	/* Relations come after the fields, each once: values given in
	 * several --field options or as "a,b" make one list. */
	for (size_t k = 0; k < nfields; k++) {
		if (pm_type_field(ts, fields[k].key))
			continue;
		bool seen = false;
		for (size_t j = 0; j < k; j++)
			seen |= !strcmp(fields[j].key, fields[k].key);
		if (seen)
			continue;
		struct pm_buf all = PM_BUF_INIT;
		for (size_t j = k; j < nfields; j++)
			if (!strcmp(fields[j].key, fields[k].key))
				pm_buf_printf(&all, "%s%s", all.len ? "," : "", fields[j].value);
		const struct pm_relation *rel = pm_schema_relation(s.schema, fields[k].key, &inv);
		/* A relation of cardinality many, or several values, is a list. */
		bool list = rel->many || strchr(pm_buf_cstr(&all), ',');
		struct pm_field_schema as = { .type = list ? PM_FT_REF_LIST : PM_FT_REF };
		struct pm_value *m = pm_value_new(a, PM_VAL_MAP);
		pm_value_set(a, m, "key", pm_value_str(a, fields[k].key));
		pm_value_set(a, m, "value", pm_value_str(a, yaml_value(a, &as, pm_buf_cstr(&all))));
		pm_value_push(a, fl, m);
		pm_buf_release(&all);
	}
	pm_value_set(a, data, "fields", fl);
	struct pm_value *secs = pm_value_new(a, PM_VAL_SEQ);
	add_sections(a, secs, ts->sections, ts->nsections, 1);
	pm_value_set(a, data, "sections", secs);
	char tmpl[96];
	snprintf(tmpl, sizeof(tmpl), "new/%s.md", type);
	size_t len;
	if (!pm_templates_read(&t, tmpl, &len))
		snprintf(tmpl, sizeof(tmpl), "new/body.mustache");
	struct pm_buf text = PM_BUF_INIT;
	struct pm_error err = { 0 };
	if (pm_templates_render(&t, tmpl, data, &text, &err)) {
		fprintf(stderr, "pmtool new: %s\n", err.msg);
		rc = PM_EXIT_USAGE;
		pm_buf_release(&text);
		goto out;
	}
	char *path = pm_path_join(a, dir, file);
	int fd = path ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644) : -1;
	if (fd < 0) {
		char e[128];
		fprintf(stderr, "pmtool new: cannot create %s: %s\n", path ? path : file,
			pm_errno_text(errno, e, sizeof(e)));
		rc = PM_EXIT_USAGE;
	} else {
		if (write(fd, text.data ? text.data : "", text.len) != (ssize_t)text.len) {
			fprintf(stderr, "pmtool new: cannot write %s\n", path);
			rc = PM_EXIT_USAGE;
		}
		close(fd);
		if (!rc)
			printf("%s\n", path);
	}
	pm_buf_release(&text);
out:
	pm_templates_release(&t);
	pm_setup_release(&s);
	return rc;
}
