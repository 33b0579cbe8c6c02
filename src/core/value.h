/* value.h - the frontmatter as a tree of typed values with positions.
 *
 * Every node and every mapping key keeps the 1-based line and code-point
 * column where it starts in the file.  The tree lives in its document's
 * arena.  An alias shares the anchored node (the tree is a DAG, never an
 * expanded copy); `weight` counts the nodes an expansion would visit, so
 * walkers can be bounded.
 */
#ifndef PM_VALUE_H
#define PM_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pm_value_kind {
	PM_VAL_NULL,
	PM_VAL_BOOL,
	PM_VAL_INT,
	PM_VAL_FLOAT,
	PM_VAL_STRING,
	PM_VAL_SEQ,
	PM_VAL_MAP,
};

enum pm_scalar_style {
	PM_STYLE_PLAIN,		/* resolved by the YAML 1.2 core schema */
	PM_STYLE_QUOTED,	/* 'single' or "double": always a string */
	PM_STYLE_BLOCK,		/* | or >: always a string */
};

struct pm_pair;

struct pm_value {
	enum pm_value_kind kind;
	enum pm_scalar_style style;
	uint32_t line, col;
	size_t weight;		/* nodes in the expanded subtree, >= 1 */
	const char *raw;	/* scalars: the text after unquoting; else NULL */
	size_t raw_len;		/* may hold NUL bytes from "\0" escapes */
	union {
		bool b;
		int64_t i;
		double f;
		struct {
			struct pm_value **items;
			size_t n, cap;	/* cap: for builders */
		} seq;
		struct {
			struct pm_pair *pairs;
			size_t n, cap;
		} map;
	} u;
};

struct pm_pair {
	const char *key;
	uint32_t line, col;	/* of the key */
	struct pm_value *value;
};

/* The value stored under key in a mapping, or NULL (also for non-maps). */
const struct pm_value *pm_value_get(const struct pm_value *map, const char *key);

/* The pair stored under key in a mapping, or NULL. */
const struct pm_pair *pm_value_pair(const struct pm_value *map, const char *key);

/* "null", "bool", "integer", "float", "string", "sequence", "mapping". */
const char *pm_value_kind_name(enum pm_value_kind kind);

/* True for null, bool, integer, float and string. */
bool pm_value_is_scalar(const struct pm_value *v);

/* ---- building trees (template data) --------------------------------------
 * Every node lives in the arena a; these return NULL when memory runs out,
 * and the adders then do nothing, so a builder checks once at the end. */
struct pm_arena;
struct pm_value *pm_value_new(struct pm_arena *a, enum pm_value_kind kind);
struct pm_value *pm_value_str(struct pm_arena *a, const char *s);	/* NULL s: null */
struct pm_value *pm_value_int(struct pm_arena *a, int64_t i);
struct pm_value *pm_value_num(struct pm_arena *a, double f);
struct pm_value *pm_value_bool(struct pm_arena *a, bool b);
/* Appends to a sequence; returns item. */
struct pm_value *pm_value_push(struct pm_arena *a, struct pm_value *seq, struct pm_value *item);
/* Sets key in a mapping (appends; keys are not checked for repeats); returns
 * value.  key is copied. */
struct pm_value *pm_value_set(struct pm_arena *a, struct pm_value *map, const char *key,
			      struct pm_value *value);

#endif
