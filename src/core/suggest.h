/* suggest.h - "did you mean": the closest candidate by edit distance. */
#ifndef PM_SUGGEST_H
#define PM_SUGGEST_H

#include <stddef.h>

/* Levenshtein distance between a and b, ASCII case-insensitive when icase,
 * counted in bytes; stops counting at limit + 1. */
size_t pm_edit_distance(const char *a, const char *b, int icase, size_t limit);

/* The candidate closest to word, or NULL when none is close enough (more
 * than a third of the word's length, at least 1, away, or tied with another).  Returns a pointer
 * into candidates. */
const char *pm_suggest(const char *word, const char *const *candidates, size_t n,
		       int icase);

#endif
