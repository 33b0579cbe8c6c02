/* mustache.c - Mustache templates: compile to a tree, render against values.
 *
 * Compiling takes three passes over the source (copied into the template's
 * arena, which owns everything a template holds):
 *
 * 1. scan() cuts the source into text and tags, following set-delimiter
 *    tags, and pairs every section, parent and block with its close tag.
 * 2. lines() walks the tokens line by line.  A standalone line (one tag that
 *    prints nothing, or only parent and block tags, alone with whitespace)
 *    loses its whitespace and line end; every other line starts with an
 *    INDENT node holding its leading whitespace.  INDENT is where the
 *    indentation of a standalone partial goes at render time, so one compiled
 *    partial serves every indentation and is compiled once per render.
 * 3. fix() handles template inheritance's indentation: a block argument whose
 *    opening tag is standalone loses the indentation its lines share, and
 *    every block works out the indentation an argument gets in its place
 *    (that of its own default content when its tag is standalone, else the
 *    whitespace before the tag).
 *
 * Rendering walks the tree with a context stack, the current indentation
 * and the chain of parent tags being expanded (outermost argument wins).
 */
#include "mustache.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "strmap.h"

enum tok_type {
	TK_TEXT,
	TK_VAR,		/* {{x}} */
	TK_RAW,		/* {{{x}}} {{&x}} */
	TK_SECTION,	/* {{#x}} */
	TK_INVERTED,	/* {{^x}} */
	TK_CLOSE,	/* {{/x}} */
	TK_COMMENT,	/* {{!x}} */
	TK_PARTIAL,	/* {{>x}} */
	TK_PARENT,	/* {{<x}} */
	TK_BLOCK,	/* {{$x}} */
	TK_DELIM,	/* {{=a b=}} */
};

struct tok {
	enum tok_type type;
	size_t start, end;	/* bytes of the text, or of the whole tag */
	size_t name, name_len;	/* the trimmed tag content */
	uint32_t line, col;
	size_t mate;		/* opening <-> closing tag */
};

enum node_kind {
	N_TEXT,
	N_INDENT,	/* the start of a source line */
	N_VAR,
	N_SECTION,
	N_INVERTED,
	N_PARTIAL,
	N_PARENT,	/* kids: the block arguments */
	N_BLOCK,	/* kids: the default content, or the argument */
};

struct node {
	enum node_kind kind;
	bool escape;		/* N_VAR: HTML-escape */
	bool standalone;	/* tags: alone on their line */
	bool blank;		/* N_INDENT: the line holds only whitespace */
	const char *s;		/* N_TEXT: the text; N_INDENT: the whitespace */
	size_t len;
	const char *ind;	/* tags: the line's leading whitespace when */
	size_t ind_len;		/* nothing else precedes the tag */
	const char *rel;	/* N_BLOCK: the indentation an argument gets */
	size_t rel_len;
	const char *name;	/* tags: the name, NUL-terminated */
	const char **parts;	/* N_VAR, sections: the dotted name split */
	size_t nparts;		/* 0 for the implicit iterator "." */
	struct node *kids;
	size_t nkids;
	uint32_t line, col;
};

struct pm_mustache {
	struct pm_arena arena;
	const char *name;
	const char *src;
	size_t len;
	struct node *nodes;
	size_t n;
};

/* ---- compiling ---------------------------------------------------------- */

#define NO_TOK SIZE_MAX

struct item {			/* a piece of the current line */
	size_t tok;		/* a tag, or NO_TOK for text [a, b) */
	size_t a, b;
};

struct frame {			/* a node whose kids are being collected */
	struct node *owner;	/* NULL for the template itself */
	struct node *kids;
	size_t n, cap;
};

struct compiler {
	struct pm_mustache *t;
	const char *src;
	size_t len;
	struct pm_error *err;
	struct tok *toks;	/* heap */
	size_t ntoks, tcap;
	size_t at;		/* position() has counted up to here */
	uint32_t line, col;
	struct item *items;	/* heap */
	size_t nitems, icap;
	struct frame frames[PM_MUSTACHE_MAX_SECTION_DEPTH + 1];
	size_t depth;
};

static int nomem(struct pm_error *err)
{
	return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
}

__attribute__((format(printf, 5, 6)))
static int syntax(struct compiler *c, enum pm_err code, uint32_t line, uint32_t col,
		  const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pm_error_set(c->err, code, "%s:%u:%u: %s", c->t->name,
			    (unsigned)line, (unsigned)col, msg);
}

/* The 1-based line and code-point column of byte off; offsets asked for
 * never decrease, so the whole source is counted once. */
static void position(struct compiler *c, size_t off, uint32_t *line, uint32_t *col)
{
	for (; c->at < off; c->at++) {
		unsigned char ch = (unsigned char)c->src[c->at];
		if (ch == '\n') {
			c->line++;
			c->col = 1;
		} else if ((ch & 0xc0) != 0x80) {
			c->col++;
		}
	}
	*line = c->line;
	*col = c->col;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static const char *find(const char *s, size_t n, const char *pat, size_t m)
{
	if (m == 0 || m > n)
		return NULL;
	const char *end = s + (n - m) + 1;	/* candidate starts: [s, end) */
	while (s < end) {
		const char *p = memchr(s, pat[0], (size_t)(end - s));
		if (!p)
			return NULL;
		if (!memcmp(p, pat, m))
			return p;
		s = p + 1;
	}
	return NULL;
}

/* Finds the closing delimiter of a tag whose content starts at b; with
 * `closer`, the delimiter must follow that character ("}}}", "=}}").  Sets
 * *ce to the end of the content and *end past the tag. */
static bool find_close(const char *s, size_t len, size_t b, const char *ctag, size_t clen,
		       char closer, size_t *ce, size_t *end)
{
	size_t from = b;
	for (;;) {
		const char *p = find(s + from, len - from, ctag, clen);
		if (!p)
			return false;
		size_t f = (size_t)(p - s);
		if (!closer) {
			*ce = f;
			*end = f + clen;
			return true;
		}
		if (f > b && s[f - 1] == closer) {
			*ce = f - 1;
			*end = f + clen;
			return true;
		}
		from = f + 1;
	}
}

static int push_tok(struct compiler *c, const struct tok *tk)
{
	struct tok *t = pm_grow(c->toks, c->ntoks, &c->tcap, sizeof(*t), 64);
	if (!t)
		return nomem(c->err);
	c->toks = t;
	c->toks[c->ntoks++] = *tk;
	return 0;
}

static const char *kind_word(enum tok_type type)
{
	return type == TK_PARENT ? "parent" : type == TK_BLOCK ? "block" : "section";
}

/* Pass 1: text and tags, with set delimiters followed and sections paired. */
static int scan(struct compiler *c)
{
	const char *s = c->src;
	size_t len = c->len;
	const char *otag = "{{", *ctag = "}}";
	size_t olen = 2, clen = 2;
	size_t stack[PM_MUSTACHE_MAX_SECTION_DEPTH];
	size_t depth = 0;
	size_t pos = 0;
	int rc;

	while (pos < len) {
		const char *p = find(s + pos, len - pos, otag, olen);
		size_t ts = p ? (size_t)(p - s) : len;
		if (ts > pos) {
			struct tok text = { .type = TK_TEXT, .start = pos, .end = ts };
			if ((rc = push_tok(c, &text)) < 0)
				return rc;
		}
		if (!p)
			break;

		struct tok tk = { .start = ts, .mate = NO_TOK };
		position(c, ts, &tk.line, &tk.col);
		size_t b = ts + olen;
		char sig = b < len ? s[b] : '\0';
		char closer = '\0';
		switch (sig) {
		case '#': tk.type = TK_SECTION; break;
		case '^': tk.type = TK_INVERTED; break;
		case '/': tk.type = TK_CLOSE; break;
		case '!': tk.type = TK_COMMENT; break;
		case '>': tk.type = TK_PARTIAL; break;
		case '<': tk.type = TK_PARENT; break;
		case '$': tk.type = TK_BLOCK; break;
		case '&': tk.type = TK_RAW; break;
		case '{': tk.type = TK_RAW; closer = '}'; break;
		case '=': tk.type = TK_DELIM; closer = '='; break;
		default: tk.type = TK_VAR; break;
		}
		if (tk.type != TK_VAR)
			b++;
		size_t ce, end;
		if (!find_close(s, len, b, ctag, clen, closer, &ce, &end))
			return syntax(c, PM_ERR_INVALID, tk.line, tk.col,
				      "unclosed tag (no '%s%.*s' after '%.*s')",
				      closer == '}' ? "}" : closer == '=' ? "=" : "",
				      (int)clen, ctag, (int)olen, otag);
		size_t nb = b, ne = ce;
		while (nb < ne && is_space(s[nb]))
			nb++;
		while (ne > nb && is_space(s[ne - 1]))
			ne--;
		tk.name = nb;
		tk.name_len = ne - nb;
		tk.end = end;

		if (tk.type == TK_DELIM) {
			size_t i = nb;
			while (i < ne && !is_space(s[i]))
				i++;
			size_t o_end = i;
			while (i < ne && is_space(s[i]))
				i++;
			bool ok = o_end > nb && i < ne;
			for (size_t k = nb; ok && k < ne; k++)
				if (s[k] == '=' || (k >= i && is_space(s[k])))
					ok = false;
			if (!ok)
				return syntax(c, PM_ERR_INVALID, tk.line, tk.col,
					      "invalid delimiters '%.*s' (want two words without "
					      "spaces or '=', as in {{=<%% %%>=}})",
					      (int)(ne - nb), s + nb);
			otag = s + nb;
			olen = o_end - nb;
			ctag = s + i;
			clen = ne - i;
		} else if (tk.type != TK_COMMENT) {
			if (ne == nb)
				return syntax(c, PM_ERR_INVALID, tk.line, tk.col, "empty tag");
			for (size_t k = nb; k < ne; k++)
				if (is_space(s[k]))
					return syntax(c, PM_ERR_INVALID, tk.line, tk.col,
						      "invalid tag name '%.*s' (no spaces allowed)",
						      (int)(ne - nb), s + nb);
		}

		switch (tk.type) {
		case TK_SECTION:
		case TK_INVERTED:
		case TK_PARENT:
		case TK_BLOCK:
			if (depth == PM_MUSTACHE_MAX_SECTION_DEPTH)
				return syntax(c, PM_ERR_LIMIT, tk.line, tk.col,
					      "sections nested deeper than %d",
					      PM_MUSTACHE_MAX_SECTION_DEPTH);
			stack[depth++] = c->ntoks;
			break;
		case TK_CLOSE: {
			if (!depth)
				return syntax(c, PM_ERR_INVALID, tk.line, tk.col,
					      "unexpected closing tag '%.*s'",
					      (int)tk.name_len, s + tk.name);
			struct tok *o = &c->toks[stack[depth - 1]];
			if (o->name_len != tk.name_len || memcmp(s + o->name, s + tk.name, tk.name_len))
				return syntax(c, PM_ERR_INVALID, tk.line, tk.col,
					      "closing tag '%.*s' does not match %s '%.*s' "
					      "opened at %u:%u",
					      (int)tk.name_len, s + tk.name, kind_word(o->type),
					      (int)o->name_len, s + o->name,
					      (unsigned)o->line, (unsigned)o->col);
			o->mate = c->ntoks;
			tk.mate = stack[--depth];
			break;
		}
		default:
			break;
		}
		if ((rc = push_tok(c, &tk)) < 0)
			return rc;
		pos = end;
	}
	if (depth) {
		const struct tok *o = &c->toks[stack[depth - 1]];
		return syntax(c, PM_ERR_INVALID, o->line, o->col, "unclosed %s '%.*s'",
			      kind_word(o->type), (int)o->name_len, s + o->name);
	}
	return 0;
}

static int add_node(struct compiler *c, const struct node *proto, struct node **made)
{
	struct frame *f = &c->frames[c->depth];
	if (!PM_ARENA_PUSH(&c->t->arena, f->kids, f->n, f->cap))
		return nomem(c->err);
	f->kids[f->n] = *proto;
	if (made)
		*made = &f->kids[f->n];
	f->n++;
	return 0;
}

static int split_name(struct compiler *c, struct node *nd)
{
	const char *name = nd->name;
	if (!strcmp(name, "."))
		return 0;
	size_t n = 1;
	for (const char *p = name; *p; p++)
		n += *p == '.';
	nd->parts = pm_arena_array(&c->t->arena, n, sizeof(*nd->parts));
	if (!nd->parts)
		return nomem(c->err);
	const char *p = name;
	for (size_t i = 0; i < n; i++) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		nd->parts[i] = pm_arena_strndup(&c->t->arena, p, l);
		if (!nd->parts[i])
			return nomem(c->err);
		p += l + 1;
	}
	nd->nparts = n;
	return 0;
}

/* Adds the node for tag i (or opens or closes a frame).  ind is the line's
 * leading whitespace when only whitespace precedes the tag. */
static int emit_tag(struct compiler *c, size_t i, bool standalone,
		    const char *ind, size_t ind_len)
{
	const struct tok *tk = &c->toks[i];
	struct node nd = {
		.standalone = standalone,
		.ind = ind,
		.ind_len = ind_len,
		.line = tk->line,
		.col = tk->col,
	};
	switch (tk->type) {
	case TK_VAR:
	case TK_RAW:
		nd.kind = N_VAR;
		nd.escape = tk->type == TK_VAR;
		break;
	case TK_SECTION: nd.kind = N_SECTION; break;
	case TK_INVERTED: nd.kind = N_INVERTED; break;
	case TK_PARTIAL: nd.kind = N_PARTIAL; break;
	case TK_PARENT: nd.kind = N_PARENT; break;
	case TK_BLOCK: nd.kind = N_BLOCK; break;
	case TK_CLOSE: {
		struct frame *f = &c->frames[c->depth--];
		struct node *o = f->owner;
		o->kids = f->kids;
		o->nkids = f->n;
		if (o->kind == N_PARENT) {
			/* Only the block arguments count inside a parent tag. */
			size_t k = 0;
			for (size_t j = 0; j < o->nkids; j++)
				if (o->kids[j].kind == N_BLOCK)
					o->kids[k++] = o->kids[j];
			o->nkids = k;
		}
		return 0;
	}
	default:
		return 0;	/* comments and delimiters print nothing */
	}
	nd.name = pm_arena_strndup(&c->t->arena, c->src + tk->name, tk->name_len);
	if (!nd.name)
		return nomem(c->err);
	int rc;
	if ((nd.kind == N_VAR || nd.kind == N_SECTION || nd.kind == N_INVERTED) &&
	    (rc = split_name(c, &nd)) < 0)
		return rc;
	struct node *made;
	if ((rc = add_node(c, &nd, &made)) < 0)
		return rc;
	if (nd.kind == N_SECTION || nd.kind == N_INVERTED || nd.kind == N_PARENT ||
	    nd.kind == N_BLOCK) {
		struct frame *f = &c->frames[++c->depth];
		memset(f, 0, sizeof(*f));
		f->owner = made;
	}
	return 0;
}

/* Whether s[a, b) holds only spaces and tabs, then perhaps a line end. */
static bool white(const char *s, size_t a, size_t b)
{
	if (b > a && s[b - 1] == '\n') {
		b--;
		if (b > a && s[b - 1] == '\r')
			b--;
	}
	for (; a < b; a++)
		if (s[a] != ' ' && s[a] != '\t')
			return false;
	return true;
}

/* Whether the tags first..last (every tag on one line) may stand alone: one
 * tag that prints nothing, or only parent and block tags (with no block
 * opened and closed on the line, which is an inline default). */
static bool alone_tags(const struct compiler *c, size_t first, size_t last, size_t ntags)
{
	const struct tok *t = c->toks;
	if (ntags == 1)
		return t[first].type != TK_VAR && t[first].type != TK_RAW;
	for (size_t i = first; i <= last; i++) {
		switch (t[i].type) {
		case TK_TEXT:
		case TK_PARENT:
			break;
		case TK_BLOCK:
			if (t[i].mate <= last)
				return false;
			break;
		case TK_CLOSE: {
			const struct tok *o = &t[t[i].mate];
			if (o->type != TK_PARENT && (o->type != TK_BLOCK || t[i].mate >= first))
				return false;
			break;
		}
		default:
			return false;
		}
	}
	return true;
}

/* Builds the nodes of one source line (c->items). */
static int line(struct compiler *c)
{
	const struct item *it = c->items;
	size_t n = c->nitems;
	const char *s = c->src;
	size_t ws_a = 0, ws_b = 0;
	int rc;

	if (it[0].tok == NO_TOK) {
		ws_a = ws_b = it[0].a;
		while (ws_b < it[0].b && (s[ws_b] == ' ' || s[ws_b] == '\t'))
			ws_b++;
	}
	size_t ntags = 0, first = 0, last = 0;
	bool all_white = true;
	for (size_t k = 0; k < n; k++) {
		if (it[k].tok == NO_TOK) {
			all_white = all_white && white(s, it[k].a, it[k].b);
		} else {
			if (!ntags)
				first = it[k].tok;
			last = it[k].tok;
			ntags++;
		}
	}
	if (all_white && ntags && alone_tags(c, first, last, ntags)) {
		for (size_t k = 0; k < n; k++)
			if (it[k].tok != NO_TOK &&
			    (rc = emit_tag(c, it[k].tok, true, s + ws_a, ws_b - ws_a)) < 0)
				return rc;
		return 0;
	}

	/* A blank line: whitespace, then the line end or a closing tag. */
	bool blank = true;
	size_t k = 0;
	if (it[0].tok == NO_TOK) {
		blank = white(s, it[0].a, it[0].b);
		k = 1;
	}
	if (blank && k < n)
		blank = c->toks[it[k].tok].type == TK_CLOSE;
	struct node indent = {
		.kind = N_INDENT, .s = s + ws_a, .len = ws_b - ws_a, .blank = blank,
	};
	if ((rc = add_node(c, &indent, NULL)) < 0)
		return rc;

	bool lead = true;	/* only whitespace so far */
	for (k = 0; k < n; k++) {
		if (it[k].tok == NO_TOK) {
			size_t a = k == 0 ? ws_b : it[k].a;
			if (a < it[k].b) {
				struct node text = { .kind = N_TEXT, .s = s + a, .len = it[k].b - a };
				if ((rc = add_node(c, &text, NULL)) < 0)
					return rc;
				lead = false;
			}
		} else {
			if ((rc = emit_tag(c, it[k].tok, false, s + ws_a,
					   lead ? ws_b - ws_a : 0)) < 0)
				return rc;
			lead = false;
		}
	}
	return 0;
}

static int add_item(struct compiler *c, size_t tok, size_t a, size_t b)
{
	struct item *t = pm_grow(c->items, c->nitems, &c->icap, sizeof(*t), 16);
	if (!t)
		return nomem(c->err);
	c->items = t;
	c->items[c->nitems++] = (struct item){ tok, a, b };
	return 0;
}

/* Pass 2: the node tree, line by line. */
static int lines(struct compiler *c)
{
	int rc;
	memset(&c->frames[0], 0, sizeof(c->frames[0]));
	c->depth = 0;
	for (size_t i = 0; i < c->ntoks; i++) {
		const struct tok *tk = &c->toks[i];
		if (tk->type != TK_TEXT) {
			if ((rc = add_item(c, i, 0, 0)) < 0)
				return rc;
			continue;
		}
		size_t a = tk->start;
		while (a < tk->end) {
			const char *nl = memchr(c->src + a, '\n', tk->end - a);
			size_t b = nl ? (size_t)(nl - c->src) + 1 : tk->end;
			if ((rc = add_item(c, NO_TOK, a, b)) < 0)
				return rc;
			if (nl) {
				if ((rc = line(c)) < 0)
					return rc;
				c->nitems = 0;
			}
			a = b;
		}
	}
	if (c->nitems && (rc = line(c)) < 0)
		return rc;
	c->t->nodes = c->frames[0].kids;
	c->t->n = c->frames[0].n;
	return 0;
}

struct span {
	const char *s;
	size_t len;
	bool set;
};

static size_t common(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t k = 0;
	while (k < alen && k < blen && a[k] == b[k])
		k++;
	return k;
}

static void fold(struct span *sp, const char *s, size_t len)
{
	if (!sp->set) {
		sp->s = s;
		sp->len = len;
		sp->set = true;
	} else {
		sp->len = common(sp->s, sp->len, s, len);
	}
}

/* The indentation shared by the non-blank lines of a node list. */
static void measure(const struct node *nd, size_t n, struct span *sp)
{
	for (size_t i = 0; i < n; i++, nd++) {
		if (nd->kind == N_INDENT) {
			if (!nd->blank)
				fold(sp, nd->s, nd->len);
		} else if (nd->kind != N_TEXT && nd->standalone) {
			fold(sp, nd->ind, nd->ind_len);
		}
		measure(nd->kids, nd->nkids, sp);
	}
}

/* Removes the indentation p (as far as each line has it) from every line. */
static void dedent(struct node *nd, size_t n, const char *p, size_t plen)
{
	for (size_t i = 0; i < n; i++, nd++) {
		size_t k;
		if (nd->kind == N_INDENT) {
			k = common(nd->s, nd->len, p, plen);
			nd->s += k;
			nd->len -= k;
		} else if (nd->ind_len) {
			k = common(nd->ind, nd->ind_len, p, plen);
			nd->ind += k;
			nd->ind_len -= k;
		}
		dedent(nd->kids, nd->nkids, p, plen);
	}
}

/* Pass 3: block indentation, outermost first. */
static void fix(struct node *nd, size_t n)
{
	for (size_t i = 0; i < n; i++, nd++) {
		switch (nd->kind) {
		case N_PARENT:
			for (size_t j = 0; j < nd->nkids; j++) {
				struct node *arg = &nd->kids[j];
				if (arg->standalone) {
					struct span sp = { 0 };
					measure(arg->kids, arg->nkids, &sp);
					if (sp.set && sp.len)
						dedent(arg->kids, arg->nkids, sp.s, sp.len);
				}
				fix(arg->kids, arg->nkids);
			}
			break;
		case N_BLOCK: {
			struct span sp = { 0 };
			if (nd->standalone)
				measure(nd->kids, nd->nkids, &sp);
			if (sp.set) {
				nd->rel = sp.s;
				nd->rel_len = sp.len;
			} else {
				nd->rel = nd->ind;
				nd->rel_len = nd->ind_len;
			}
			fix(nd->kids, nd->nkids);
			break;
		}
		default:
			fix(nd->kids, nd->nkids);
			break;
		}
	}
}

int pm_mustache_compile(struct pm_mustache **out, const char *name,
			const char *src, size_t len, struct pm_error *err)
{
	*out = NULL;
	struct pm_mustache *t = calloc(1, sizeof(*t));
	if (!t)
		return nomem(err);
	pm_arena_init(&t->arena);
	struct compiler *c = calloc(1, sizeof(*c));
	char *copy = NULL;
	int rc = PM_ERR_NOMEM;
	if (!c)
		goto out;
	t->name = pm_arena_strdup(&t->arena, name ? name : "template");
	copy = pm_arena_alloc(&t->arena, len + 1);
	if (!t->name || !copy)
		goto out;
	if (len)
		memcpy(copy, src, len);
	t->src = copy;
	t->len = len;
	c->t = t;
	c->src = copy;
	c->len = len;
	c->err = err;
	c->line = c->col = 1;
	if ((rc = scan(c)) < 0 || (rc = lines(c)) < 0)
		goto out;
	fix(t->nodes, t->n);
	*out = t;
	t = NULL;
out:
	if (rc == PM_ERR_NOMEM)
		nomem(err);
	if (c) {
		free(c->toks);
		free(c->items);
		free(c);
	}
	pm_mustache_free(t);
	return rc;
}

void pm_mustache_free(struct pm_mustache *t)
{
	if (!t)
		return;
	pm_arena_release(&t->arena);
	free(t);
}

const char *pm_mustache_name(const struct pm_mustache *t)
{
	return t->name;
}

/* ---- escaping ----------------------------------------------------------- */

static const char *entity(char ch)
{
	switch (ch) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

static size_t escaped_len(const char *s, size_t len)
{
	size_t n = len;
	for (size_t i = 0; i < len; i++) {
		const char *e = entity(s[i]);
		if (e)
			n += strlen(e) - 1;
	}
	return n;
}

void pm_html_escape(struct pm_buf *out, const char *s, size_t len)
{
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		const char *e = entity(s[i]);
		if (!e)
			continue;
		pm_buf_add(out, s + run, i - run);
		pm_buf_adds(out, e);
		run = i + 1;
	}
	pm_buf_add(out, s + run, len - run);
}

/* ---- rendering ---------------------------------------------------------- */

enum lead {
	LEAD_NONE,
	LEAD_SKIP,	/* a block argument in mid-line: no indentation first */
	LEAD_PENDING,	/* a block argument on its own lines: indent first */
};

struct chain {			/* the parent tags being expanded */
	const struct node *parent;
	const struct chain *prev;	/* the enclosing, more derived one */
};

struct where {
	const char *indent;	/* prefixed to every source line */
	size_t ilen;
	const struct chain *vis;	/* parents whose arguments apply here */
};

struct render {
	struct pm_buf *out;
	size_t base;		/* out->len when the render started */
	const struct pm_mustache_partials *partials;
	struct pm_error *err;
	const struct pm_value **stack;	/* the context stack (heap) */
	size_t depth, cap;
	size_t steps;		/* work done so far (PM_MUSTACHE_MAX_STEPS) */
	size_t sections;	/* sections and blocks open */
	size_t nest;		/* partials and parents open */
	enum lead lead;
	struct pm_strmap map;	/* partial name -> index in cache */
	struct pm_mustache **cache;	/* heap; NULL for unknown partials */
	size_t ncache, ccap;
};

static int render_nodes(struct render *r, const struct node *nd, size_t n,
			const struct where *w);

/* Whether n more bytes would take the output past its limit (reported). */
static int over(struct render *r, size_t n)
{
	if (n <= PM_MUSTACHE_MAX_OUTPUT - (r->out->len - r->base))
		return 0;
	return pm_error_set(r->err, PM_ERR_LIMIT, "template output is larger than %zu MiB",
			    PM_MUSTACHE_MAX_OUTPUT >> 20);
}

/* Counts n steps of work; fails once the render has done too much. */
static int spend(struct render *r, size_t n)
{
	if (n <= PM_MUSTACHE_MAX_STEPS - r->steps) {
		r->steps += n;
		return 0;
	}
	r->steps = PM_MUSTACHE_MAX_STEPS;
	return pm_error_set(r->err, PM_ERR_LIMIT,
			    "template takes more than %zu million steps to render "
			    "(sections nested over too many items?)",
			    PM_MUSTACHE_MAX_STEPS / 1000000);
}

/* The pair under key in map, counting the keys compared. */
static const struct pm_pair *pair(struct render *r, const struct pm_value *map, const char *key)
{
	if (!map || map->kind != PM_VAL_MAP)
		return NULL;
	r->steps += map->u.map.n <= PM_MUSTACHE_MAX_STEPS - r->steps
		? map->u.map.n : PM_MUSTACHE_MAX_STEPS - r->steps;
	return pm_value_pair(map, key);
}

static int emit(struct render *r, const char *s, size_t n)
{
	int rc;
	if (!n)
		return 0;
	if ((rc = over(r, n)) < 0)
		return rc;
	pm_buf_add(r->out, s, n);
	return r->out->failed ? nomem(r->err) : 0;
}

/* Output that starts a line's content: the pending indentation first. */
static int text(struct render *r, const struct where *w, const char *s, size_t n, bool escape)
{
	if (!n)
		return 0;
	int rc;
	if (r->lead == LEAD_PENDING && (rc = emit(r, w->indent, w->ilen)) < 0)
		return rc;
	r->lead = LEAD_NONE;
	if (!escape)
		return emit(r, s, n);
	if ((rc = over(r, escaped_len(s, n))) < 0)
		return rc;
	pm_html_escape(r->out, s, n);
	return r->out->failed ? nomem(r->err) : 0;
}

static int push(struct render *r, const struct pm_value *v)
{
	const struct pm_value **s = pm_grow(r->stack, r->depth, &r->cap, sizeof(*s), 32);
	if (!s)
		return nomem(r->err);
	r->stack = s;
	r->stack[r->depth++] = v;
	return 0;
}

/* The first part of a dotted name resolves up the context stack (to the
 * innermost mapping holding the key, whatever its value); the rest resolve
 * down from there only. */
static const struct pm_value *lookup(struct render *r, const struct node *nd)
{
	if (!nd->nparts)
		return r->depth ? r->stack[r->depth - 1] : NULL;
	const struct pm_value *v = NULL;
	r->steps += r->depth <= PM_MUSTACHE_MAX_STEPS - r->steps
		? r->depth : PM_MUSTACHE_MAX_STEPS - r->steps;
	for (size_t i = r->depth; i-- > 0;) {
		const struct pm_pair *p = pair(r, r->stack[i], nd->parts[0]);
		if (p) {
			v = p->value;
			break;
		}
	}
	for (size_t k = 1; v && k < nd->nparts; k++) {
		const struct pm_pair *p = pair(r, v, nd->parts[k]);
		v = p ? p->value : NULL;
	}
	return v;
}

static bool truthy(const struct pm_value *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case PM_VAL_NULL: return false;
	case PM_VAL_BOOL: return v->u.b;
	case PM_VAL_STRING: return v->raw_len > 0;
	case PM_VAL_SEQ: return v->u.seq.n > 0;
	default: return true;
	}
}

static int interpolate(struct render *r, const struct where *w, const struct node *nd)
{
	const struct pm_value *v = lookup(r, nd);
	char tmp[64];
	const char *s = "";
	size_t len = 0;
	if (v && v->kind != PM_VAL_NULL && v->kind != PM_VAL_SEQ && v->kind != PM_VAL_MAP) {
		if (v->raw) {
			s = v->raw;
			len = v->raw_len;
		} else if (v->kind == PM_VAL_BOOL) {
			s = v->u.b ? "true" : "false";
			len = strlen(s);
		} else if (v->kind == PM_VAL_INT || v->kind == PM_VAL_FLOAT) {
			int k = v->kind == PM_VAL_INT
				? snprintf(tmp, sizeof(tmp), "%lld", (long long)v->u.i)
				: snprintf(tmp, sizeof(tmp), "%.15g", v->u.f);
			s = tmp;
			len = k > 0 ? (size_t)k : 0;
		}
	}
	return text(r, w, s, len, nd->escape);
}

static int open_section(struct render *r, const struct node *nd)
{
	if (r->sections >= PM_MUSTACHE_MAX_SECTION_DEPTH)
		return pm_error_set(r->err, PM_ERR_LIMIT,
				    "sections nested deeper than %d (at '%s', line %u)",
				    PM_MUSTACHE_MAX_SECTION_DEPTH, nd->name, (unsigned)nd->line);
	r->sections++;
	return 0;
}

static int section(struct render *r, const struct where *w, const struct node *nd)
{
	const struct pm_value *v = lookup(r, nd);
	bool on = truthy(v);
	if (nd->kind == N_INVERTED ? on : !on)
		return 0;
	int rc = open_section(r, nd);
	if (rc < 0)
		return rc;
	if (nd->kind == N_INVERTED) {
		rc = render_nodes(r, nd->kids, nd->nkids, w);
	} else if (v->kind == PM_VAL_SEQ) {
		for (size_t i = 0; i < v->u.seq.n && !rc; i++) {
			if ((rc = push(r, v->u.seq.items[i])) < 0)
				break;
			rc = render_nodes(r, nd->kids, nd->nkids, w);
			r->depth--;
		}
	} else if ((rc = push(r, v)) == 0) {
		rc = render_nodes(r, nd->kids, nd->nkids, w);
		r->depth--;
	}
	r->sections--;
	return rc;
}

/* The compiled partial called name, compiled on first use; *out is NULL for
 * an unknown one. */
static int load_partial(struct render *r, const char *name, const struct pm_mustache **out)
{
	size_t idx;
	if (pm_strmap_get(&r->map, name, &idx)) {
		*out = r->cache[idx];
		return 0;
	}
	size_t len = 0;
	const char *src = r->partials && r->partials->load
		? r->partials->load(r->partials->ctx, name, &len) : NULL;
	struct pm_mustache *t = NULL;
	int rc;
	if (src && (rc = pm_mustache_compile(&t, name, src, len, r->err)) < 0)
		return rc;
	struct pm_mustache **c = pm_grow(r->cache, r->ncache, &r->ccap, sizeof(*c), 8);
	if (!c) {
		pm_mustache_free(t);
		return nomem(r->err);
	}
	r->cache = c;
	r->cache[r->ncache] = t;
	/* The key lives as long as the render: in t, or in the template
	 * that names the partial (the caller's, or one in the cache). */
	if (pm_strmap_put(&r->map, t ? t->name : name, r->ncache, NULL) < 0) {
		pm_mustache_free(t);
		return nomem(r->err);
	}
	r->ncache++;
	*out = t;
	return 0;
}

/* a then b, in *owned (heap) when both are non-empty. */
static int join(struct render *r, const char *a, size_t alen, const char *b, size_t blen,
		struct where *w, char **owned)
{
	*owned = NULL;
	if (!alen || !blen) {
		w->indent = alen ? a : b;
		w->ilen = alen + blen;
		return 0;
	}
	char *s = malloc(alen + blen);
	if (!s)
		return nomem(r->err);
	memcpy(s, a, alen);
	memcpy(s + alen, b, blen);
	w->indent = *owned = s;
	w->ilen = alen + blen;
	return 0;
}

/* {{>name}} and {{<name}}...{{/name}}: a parent is a partial whose blocks
 * take the arguments given in the tag. */
static int partial(struct render *r, const struct where *w, const struct node *nd)
{
	if (r->nest >= PM_MUSTACHE_MAX_PARTIAL_DEPTH)
		return pm_error_set(r->err, PM_ERR_LIMIT,
				    "%s '%s' nested deeper than %d levels (does it include itself?)",
				    nd->kind == N_PARENT ? "parent" : "partial", nd->name,
				    PM_MUSTACHE_MAX_PARTIAL_DEPTH);
	const struct pm_mustache *t = NULL;
	int rc = load_partial(r, nd->name, &t);
	if (rc < 0 || !t)
		return rc;
	struct chain link = { nd, w->vis };
	struct where inner = { "", 0, nd->kind == N_PARENT ? &link : w->vis };
	char *owned = NULL;
	/* A standalone tag indents every line of the partial; an inline one
	 * does not (the spec's partial is indented before it is parsed). */
	if (nd->standalone && (rc = join(r, w->indent, w->ilen, nd->ind, nd->ind_len,
					  &inner, &owned)) < 0)
		return rc;
	r->nest++;
	rc = render_nodes(r, t->nodes, t->n, &inner);
	r->nest--;
	free(owned);
	return rc;
}

static const struct node *argument(const struct node *parent, const char *name)
{
	for (size_t i = 0; i < parent->nkids; i++)
		if (!strcmp(parent->kids[i].name, name))
			return &parent->kids[i];
	return NULL;
}

/* {{$name}}: the argument of the outermost parent tag that gives one, else
 * the default content. */
static int block(struct render *r, const struct where *w, const struct node *nd)
{
	const struct node *arg = NULL;
	const struct chain *from = NULL;
	for (const struct chain *ch = w->vis; ch; ch = ch->prev) {
		const struct node *a = argument(ch->parent, nd->name);
		if (a) {
			arg = a;
			from = ch;
		}
	}
	int rc = open_section(r, nd);
	if (rc < 0)
		return rc;
	if (!arg) {
		rc = render_nodes(r, nd->kids, nd->nkids, w);
	} else {
		/* The argument's blocks take arguments only from templates
		 * that derive from the one that gave it. */
		struct where inner = { "", 0, from->prev };
		char *owned = NULL;
		if ((rc = join(r, w->indent, w->ilen, nd->rel, nd->rel_len, &inner, &owned)) == 0) {
			r->lead = nd->standalone ? LEAD_PENDING : LEAD_SKIP;
			rc = render_nodes(r, arg->kids, arg->nkids, &inner);
			r->lead = LEAD_NONE;
			free(owned);
		}
	}
	r->sections--;
	return rc;
}

static int render_nodes(struct render *r, const struct node *nd, size_t n,
			const struct where *w)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++, nd++) {
		/* One step for the node (lookups count theirs as they go). */
		if ((rc = spend(r, 1)) < 0)
			break;
		switch (nd->kind) {
		case N_TEXT:
			rc = text(r, w, nd->s, nd->len, false);
			break;
		case N_INDENT:
			if (r->lead != LEAD_SKIP)
				rc = emit(r, w->indent, w->ilen);
			r->lead = LEAD_NONE;
			if (rc == 0)
				rc = emit(r, nd->s, nd->len);
			break;
		case N_VAR:
			rc = interpolate(r, w, nd);
			break;
		case N_SECTION:
		case N_INVERTED:
			rc = section(r, w, nd);
			break;
		case N_PARTIAL:
		case N_PARENT:
			rc = partial(r, w, nd);
			break;
		case N_BLOCK:
			rc = block(r, w, nd);
			break;
		}
	}
	return rc;
}

int pm_mustache_render(const struct pm_mustache *t, const struct pm_value *data,
		       const struct pm_mustache_partials *partials,
		       struct pm_buf *out, struct pm_error *err)
{
	if (out->failed)
		return nomem(err);
	struct render r = {
		.out = out,
		.base = out->len,
		.partials = partials,
		.err = err,
	};
	pm_strmap_init(&r.map);
	int rc = 0;
	if (data)
		rc = push(&r, data);
	if (rc == 0) {
		struct where w = { "", 0, NULL };
		rc = render_nodes(&r, t->nodes, t->n, &w);
	}
	if (rc == 0 && out->failed)
		rc = nomem(err);
	for (size_t i = 0; i < r.ncache; i++)
		pm_mustache_free(r.cache[i]);
	free(r.cache);
	free(r.stack);
	pm_strmap_release(&r.map);
	if (rc < 0) {
		out->len = r.base;
		if (out->data)
			out->data[r.base] = '\0';
		out->failed = false;
	}
	return rc;
}
