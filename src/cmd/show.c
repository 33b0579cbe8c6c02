/* show.c - `pmtool show`: the parsed model of documents for people and
 * scripts. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "core/corpus.h"
#include "core/doc.h"
#include "core/json.h"

static const char options_help[] =
	"options:\n"
	"  -f, --format FMT     text (default) or json\n"
	"  -s, --section NAME   print one section's Markdown source (\"A > B\" for a path)\n"
	"  -t, --table N        print the N-th table of the document (1-based)\n"
	"  -k, --field KEY      print one frontmatter value (a.b for nested keys)\n"
	"  -h, --help           show this help\n"
	"\n"
	"With one file, shows that document; with a folder or several paths, lists\n"
	"every document found.  Exit status: 0 when every file parsed, 1 when any\n"
	"did not, 2 for usage errors.\n";

struct show_opts {
	bool json;
	const char *section, *field;
	long table;
};

static void print_json(json_t *j)
{
	char *s = j ? pm_json_dumps(j, JSON_INDENT(2) | JSON_ENCODE_ANY) : NULL;
	if (s) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
	json_decref(j);
}

static void print_scalar(const struct pm_value *v)
{
	switch (v->kind) {
	case PM_VAL_NULL:
		break;
	case PM_VAL_SEQ:
		for (size_t i = 0; i < v->u.seq.n; i++)
			print_scalar(v->u.seq.items[i]);
		return;
	case PM_VAL_MAP:
		for (size_t i = 0; i < v->u.map.n; i++) {
			printf("%s:", v->u.map.pairs[i].key);
			const struct pm_value *x = v->u.map.pairs[i].value;
			if (x->kind == PM_VAL_NULL) {
				putchar('\n');
			} else if (pm_value_is_scalar(x)) {
				putchar(' ');
				print_scalar(x);
			} else {
				printf(" (%s)\n", pm_value_kind_name(x->kind));
			}
		}
		return;
	default:
		fwrite(v->raw, 1, v->raw_len, stdout);
	}
	fputc('\n', stdout);
}

/* Follows a dotted key through nested mappings. */
static const struct pm_value *lookup(const struct pm_value *v, const char *key)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", key);
	if (pm_value_get(v, buf))
		return pm_value_get(v, buf);
	for (char *part = strtok(buf, "."); part && v; part = strtok(NULL, "."))
		v = pm_value_get(v, part);
	return v;
}

/* The width of a cell as printed: a pipe is written back escaped. */
static size_t cell_width(const char *s)
{
	size_t n = strlen(s);
	for (; *s; s++)
		n += *s == '|';
	return n;
}

static void print_table_text(const struct pm_table *t)
{
	size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(*w));
	if (!w)
		return;
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = cell_width(t->header[c].text);
		for (size_t r = 0; r < t->nrows; r++)
			if (cell_width(t->rows[r].cells[c].text) > w[c])
				w[c] = cell_width(t->rows[r].cells[c].text);
		if (w[c] < 3)
			w[c] = 3;
	}
	for (size_t r = 0; r <= t->nrows + 1; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (r == 1) {
				putchar('|');
				for (size_t k = 0; k < w[c] + 2; k++)
					putchar('-');
				continue;
			}
			const char *s = r == 0 ? t->header[c].text : t->rows[r - 2].cells[c].text;
			printf("| ");
			/* A pipe inside a cell is written back escaped. */
			size_t len = 0;
			for (const char *p = s; *p; p++, len++) {
				if (*p == '|')
					putchar('\\'), len++;
				putchar(*p);
			}
			printf("%*s ", (int)(w[c] > len ? w[c] - len : 0), "");
		}
		printf("|\n");
	}
	free(w);
}

static void print_doc_text(const struct pm_doc *d)
{
	const struct pm_value *title = pm_doc_field(d, "title");
	printf("%s  %s\n", d->id, title && title->raw && *title->raw ? title->raw : "(no title)");
	printf("  path: %s\n  type: %s\n", d->path, d->type ? d->type : "(none)");
	if (d->fm.root) {
		printf("frontmatter (lines %u-%u):\n", (unsigned)d->fm.open_line,
		       (unsigned)d->fm.close_line);
		for (size_t i = 0; i < d->fm.root->u.map.n; i++) {
			const struct pm_pair *p = &d->fm.root->u.map.pairs[i];
			const struct pm_value *v = p->value;
			printf("  %-20s %-9s %u:%u", p->key, pm_value_kind_name(v->kind),
			       (unsigned)v->line, (unsigned)v->col);
			if (v->kind == PM_VAL_SEQ) {
				for (size_t k = 0; k < v->u.seq.n; k++) {
					const struct pm_value *x = v->u.seq.items[k];
					printf("%s%.*s", k ? ", " : "  ", x->raw ? (int)x->raw_len : 0,
					       x->raw ? x->raw : "");
				}
			} else if (v->kind == PM_VAL_MAP) {
				printf("  (%zu keys)", v->u.map.n);
			} else if (v->raw && v->raw_len) {
				printf("  %.*s", (int)v->raw_len, v->raw);
			}
			putchar('\n');
		}
	}
	if (d->body.nsections)
		printf("sections:\n");
	for (size_t i = 0; i < d->body.nsections; i++) {
		const struct pm_section *s = &d->body.sections[i];
		printf("  %*s%-*s lines %u-%u\n", (s->level - 1) * 2, "",
		       40 - (s->level - 1) * 2, s->title, (unsigned)s->line,
		       (unsigned)s->end_line);
	}
	if (d->body.ntables)
		printf("tables:\n");
	for (size_t i = 0; i < d->body.ntables; i++) {
		const struct pm_table *t = &d->body.tables[i];
		printf("  %zu. %s: %zu columns, %zu rows, lines %u-%u\n", i + 1,
		       t->section >= 0 ? d->body.sections[t->section].path : "(before any heading)",
		       t->ncols, t->nrows, (unsigned)t->line, (unsigned)t->end_line);
	}
	if (d->body.nlinks)
		printf("links:\n");
	for (size_t i = 0; i < d->body.nlinks; i++) {
		const struct pm_link *l = &d->body.links[i];
		printf("  %u:%u  %-8s %s\n", (unsigned)l->line, (unsigned)l->col,
		       l->kind == PM_LINK_DOC ? "document" : l->kind == PM_LINK_ID ? "id" : "url",
		       l->target);
	}
}

/* One document, whole or one part of it. */
static int show_one(const struct pm_doc *d, const struct show_opts *o)
{
	if (o->field) {
		const struct pm_value *v = lookup(d->fm.root, o->field);
		if (!v) {
			fprintf(stderr, "pmtool show: %s: no field '%s'\n", d->path, o->field);
			return PM_EXIT_FINDINGS;
		}
		if (o->json)
			print_json(pm_json_plain(v));
		else
			print_scalar(v);
		return PM_EXIT_OK;
	}
	if (o->section) {
		int i = pm_body_find_section(&d->body, o->section, 0);
		if (i < 0) {
			fprintf(stderr, "pmtool show: %s: no section '%s'\n", d->path, o->section);
			return PM_EXIT_FINDINGS;
		}
		if (o->json) {
			json_t *j = pm_json_section(d, (size_t)i);
			struct pm_arena a;
			pm_arena_init(&a);
			const char *src = pm_doc_section_source(d, (size_t)i, &a);
			if (j && src)
				json_object_set_new(j, "markdown", pm_json_string(src, strlen(src)));
			pm_arena_release(&a);
			print_json(j);
		} else {
			struct pm_arena a;
			pm_arena_init(&a);
			const char *src = pm_doc_section_source(d, (size_t)i, &a);
			fputs(src ? src : "", stdout);
			pm_arena_release(&a);
		}
		return PM_EXIT_OK;
	}
	if (o->table) {
		if ((size_t)o->table > d->body.ntables) {
			fprintf(stderr, "pmtool show: %s: no table %ld (the document has %zu)\n",
				d->path, o->table, d->body.ntables);
			return PM_EXIT_FINDINGS;
		}
		if (o->json)
			print_json(pm_json_table(d, (size_t)o->table - 1));
		else
			print_table_text(&d->body.tables[o->table - 1]);
		return PM_EXIT_OK;
	}
	if (o->json)
		print_json(pm_json_doc(d));
	else
		print_doc_text(d);
	return PM_EXIT_OK;
}

static int max_width(int w, const char *s)
{
	size_t n = strlen(s);
	return n > (size_t)w && n < 1024 ? (int)n : w;
}

static void print_listing(const struct pm_corpus *c, bool json)
{
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < c->ndocs; i++)
			json_array_append_new(arr, pm_json_doc(c->docs[i]));
		print_json(arr);
		return;
	}
	/* Columns as wide as their widest entry: a fixed width misaligns long
	 * paths, and paths under one folder then pad the same on every machine. */
	int wid = 0, wtype = 0, wpath = 0;
	for (size_t i = 0; i < c->ndocs; i++) {
		const struct pm_doc *d = c->docs[i];
		wid = max_width(wid, d->id);
		wtype = max_width(wtype, d->type ? d->type : "-");
		wpath = max_width(wpath, d->path);
	}
	for (size_t i = 0; i < c->ndocs; i++) {
		const struct pm_doc *d = c->docs[i];
		const struct pm_value *title = pm_doc_field(d, "title");
		printf("%-*s  %-*s  %-*s %2zu sections %2zu tables %2zu links", wid, d->id,
		       wtype, d->type ? d->type : "-", wpath, d->path, d->body.nsections,
		       d->body.ntables, d->body.nlinks);
		if (title && title->raw && *title->raw)
			printf("  %s", title->raw);
		putchar('\n');
	}
	printf("%zu documents\n", c->ndocs);
}

int cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "section", required_argument, NULL, 's' },
		{ "table", required_argument, NULL, 't' },
		{ "field", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct show_opts o = { 0 };
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:s:t:k:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (!strcmp(optarg, "json"))
				o.json = true;
			else if (strcmp(optarg, "text"))
				return pm_cli_usage_error("show", "unknown format '%s' "
							  "(expected text or json)", optarg);
			break;
		case 's':
			o.section = optarg;
			break;
		case 't': {
			char *end;
			errno = 0;
			o.table = strtol(optarg, &end, 10);
			if (end == optarg || *end || errno || o.table < 1)
				return pm_cli_usage_error("show", "--table takes a number from 1, "
							  "not '%s'", optarg);
			break;
		}
		case 'k':
			o.field = optarg;
			break;
		case 'h':
			pm_cli_print_help("show", options_help);
			return PM_EXIT_OK;
		case ':':
			return pm_cli_usage_error("show", "option '%s' needs a value",
						  argv[optind - 1]);
		default:
			/* An unknown short option may sit inside a bundle such as
			 * "-ax", where argv[optind - 1] is some other word. */
			if (optopt)
				return pm_cli_usage_error("show", "unknown option '-%c'", optopt);
			return pm_cli_usage_error("show", "unknown option '%s'", argv[optind - 1]);
		}
	}
	int npaths = argc - optind;
	if (npaths < 1)
		return pm_cli_usage_error("show", "no file given");
	if ((o.section != NULL) + (o.table != 0) + (o.field != NULL) > 1)
		return pm_cli_usage_error("show", "--section, --table and --field exclude "
					  "each other");
	/* One path that is not a folder is one document, even when it cannot be
	 * read: the reason is a finding, not a listing of nothing. */
	struct stat st;
	bool single = npaths == 1 && !(stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode));
	if (!single && (o.section || o.table || o.field))
		return pm_cli_usage_error("show", "--section, --table and --field need "
					  "exactly one file");

	struct pm_parse_opts popts;
	pm_parse_opts_default(&popts);
	struct pm_corpus c;
	pm_corpus_init(&c);
	struct pm_arena scratch;
	pm_arena_init(&scratch);
	struct pm_diags all;
	pm_diags_init(&all, &scratch);
	struct pm_error err = { 0 };
	int rc = PM_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		if (pm_corpus_add_path(&c, argv[i], &popts, &err)) {
			fprintf(stderr, "pmtool show: %s\n", err.msg);
			rc = PM_EXIT_USAGE;
			goto out;
		}
	}
	if (pm_corpus_finish(&c, &err) || pm_corpus_collect_diags(&c, &all)) {
		fprintf(stderr, "pmtool show: out of memory\n");
		rc = PM_EXIT_USAGE;
		goto out;
	}
	if (single) {
		if (c.ndocs == 1)
			rc = show_one(c.docs[0], &o);
	} else {
		print_listing(&c, o.json);
	}
	for (size_t i = 0; i < all.n; i++)
		pm_cli_print_diag(stderr, &all.items[i]);
	if (pm_diags_count(&all, PM_SEV_ERROR) && rc == PM_EXIT_OK)
		rc = PM_EXIT_FINDINGS;
out:
	pm_corpus_release(&c);
	pm_arena_release(&scratch);
	return rc;
}
