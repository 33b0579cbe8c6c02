/* check_arena.c - the per-document bump allocator. */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "arena.h"
#include "testutil.h"

static struct pm_arena arena;

static void setup(void)
{
	pm_arena_init(&arena);
}

static void teardown(void)
{
	pm_arena_release(&arena);
}

/* Sizes around the chunk boundaries: tiny, odd, the 16 KiB first chunk and
 * a block larger than any chunk so far. */
static const size_t alloc_sizes[] = { 1, 3, 17, 255, 16 * 1024, 100 * 1024 };

START_TEST(alloc_is_aligned_and_zeroed)
{
	size_t size = alloc_sizes[_i];
	/* Dirty the heap a little first so a zeroed block means memset ran. */
	unsigned char *first = pm_arena_alloc(&arena, 7);
	ck_assert_ptr_nonnull(first);
	memset(first, 0xAB, 7);
	unsigned char *p = pm_arena_alloc(&arena, size);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq((uintptr_t)p % alignof(max_align_t), 0);
	for (size_t i = 0; i < size; i++)
		ck_assert_msg(p[i] == 0, "byte %zu of %zu not zeroed", i, size);
	memset(p, 0x5A, size);
	/* The earlier block is untouched by the later one. */
	for (size_t i = 0; i < 7; i++)
		ck_assert_uint_eq(first[i], 0xAB);
	ck_assert_uint_ge(arena.total, size);
}
END_TEST

START_TEST(many_small_blocks_do_not_overlap)
{
	enum { N = 5000 };
	uint32_t **blocks = malloc(N * sizeof(*blocks));
	ck_assert_ptr_nonnull(blocks);
	for (uint32_t i = 0; i < N; i++) {
		blocks[i] = pm_arena_alloc(&arena, 3 * sizeof(uint32_t));
		ck_assert_ptr_nonnull(blocks[i]);
		blocks[i][0] = blocks[i][1] = blocks[i][2] = i;
	}
	for (uint32_t i = 0; i < N; i++) {
		ck_assert_uint_eq(blocks[i][0], i);
		ck_assert_uint_eq(blocks[i][2], i);
	}
	free(blocks);
}
END_TEST

START_TEST(array_overflow_is_refused)
{
	ck_assert_ptr_null(pm_arena_array(&arena, SIZE_MAX / 2 + 1, 2));
	ck_assert_ptr_null(pm_arena_alloc(&arena, SIZE_MAX - 2));
	int *a = pm_arena_array(&arena, 10, sizeof(int));
	ck_assert_ptr_nonnull(a);
	a[9] = 42;
	ck_assert_int_eq(a[9], 42);
}
END_TEST

START_TEST(strings_are_copied)
{
	char src[] = "hello, world";
	char *s = pm_arena_strndup(&arena, src, 5);
	char *t = pm_arena_strdup(&arena, src);
	src[0] = 'J';
	ck_assert_str_eq(s, "hello");
	ck_assert_str_eq(t, "hello, world");
	ck_assert_str_eq(pm_arena_strndup(&arena, "", 0), "");
	char *p = pm_arena_printf(&arena, "%s-%03d", "ADR", 7);
	ck_assert_str_eq(p, "ADR-007");
	/* Longer than any small scratch buffer a printf might use. */
	char *big = pm_arena_printf(&arena, "%5000d|", 1);
	ck_assert_uint_eq(strlen(big), 5001);
	ck_assert_int_eq(big[4999], '1');
}
END_TEST

START_TEST(grow_keeps_contents)
{
	long *items = NULL;
	size_t n = 0, cap = 0;
	for (long i = 0; i < 1000; i++) {
		ck_assert(PM_ARENA_PUSH(&arena, items, n, cap));
		items[n++] = i * 3;
	}
	ck_assert_uint_ge(cap, 1000);
	for (long i = 0; i < 1000; i++)
		ck_assert_int_eq(items[i], i * 3);
	size_t before = cap;
	ck_assert_int_eq(pm_arena_grow(&arena, (void **)&items, &cap, 10, sizeof(*items)), 0);
	ck_assert_uint_eq(cap, before);	/* already big enough: nothing moves */
}
END_TEST

START_TEST(release_resets_and_accepts_unused)
{
	struct pm_arena unused;
	pm_arena_init(&unused);
	pm_arena_release(&unused);
	ck_assert_ptr_null(unused.head);
	pm_arena_release(NULL);
	ck_assert_ptr_nonnull(pm_arena_alloc(&arena, 100));
	ck_assert_uint_gt(arena.total, 0);
	pm_arena_release(&arena);
	ck_assert_ptr_null(arena.head);
	ck_assert_uint_eq(arena.total, 0);
	/* Usable again after a release. */
	ck_assert_ptr_nonnull(pm_arena_alloc(&arena, 100));
}
END_TEST

Suite *arena_suite(void);

Suite *arena_suite(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("alloc");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, alloc_is_aligned_and_zeroed, 0,
			    sizeof(alloc_sizes) / sizeof(alloc_sizes[0]));
	tcase_add_test(tc, many_small_blocks_do_not_overlap);
	tcase_add_test(tc, array_overflow_is_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("strings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, strings_are_copied);
	suite_add_tcase(s, tc);

	tc = tcase_create("lifecycle");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, grow_keeps_contents);
	tcase_add_test(tc, release_resets_and_accepts_unused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(arena_suite());
}
