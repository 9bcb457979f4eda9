/* test_harden.c -- issue 16 at the library level: the context's meter (live and peak
 * bytes, handles freed after the context), the budget for the whole command
 * (wiot_alloc refused by what is live), and the bounded scenario reader. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "wiot.h"
#include "helpers.h"

static double get(wiot_ctx *ctx, int opt)
{
    double v = -1;
    cr_assert_eq(wiot_ctx_get(ctx, opt, &v), WIOT_OK);
    return v;
}

/* live and peak count each block with its 80-byte header (64-byte alignment + the
 * raw pointer and size), exactly */
Test(harden, meter_counts_live_and_peak)
{
    wiot_ctx *ctx = test_ctx();
    cr_assert_eq(get(ctx, WIOT_OPT_MEMORY_LIVE), 0);
    void *a = wiot_alloc(ctx, 1000, "a"), *b = wiot_alloc_array(ctx, 10, 30, 1, "b");
    cr_assert(a && b);
    cr_assert_eq(get(ctx, WIOT_OPT_MEMORY_LIVE), 1300 + 2 * 80);
    for (int i = 0; i < 300; i++)
        cr_assert_eq(((unsigned char *)b)[i], 0);   /* zero = 1: zeroed */
    cr_assert_eq((uintptr_t)a % 64, 0);              /* 64-byte aligned, as documented */
    wiot_free(ctx, a);
    cr_assert_eq(get(ctx, WIOT_OPT_MEMORY_LIVE), 300 + 80);
    wiot_free(ctx, b);
    wiot_free(ctx, NULL);
    cr_assert_eq(get(ctx, WIOT_OPT_MEMORY_LIVE), 0);
    cr_assert_eq(get(ctx, WIOT_OPT_MEMORY_PEAK), 1300 + 2 * 80);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MEMORY_LIVE, 0), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "option 8 is read-only (wiot_ctx_get)");
    cr_assert_null(wiot_alloc(NULL, 8, NULL));
    wiot_ctx_free(ctx);
}

/* the budget is for everything live: the second block is refused for the first */
Test(harden, budget_counts_what_is_live)
{
    wiot_ctx *ctx = test_ctx();
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 4096), WIOT_OK);
    void *a = wiot_alloc(ctx, 3000, "the first block");
    cr_assert_not_null(a);
    cr_assert_null(wiot_alloc(ctx, 2000, "the second block"));
    cr_assert_str_eq(wiot_errmsg(ctx), "the second block needs 1.95 KiB but the memory limit is "
                     "4 KiB, 3.01 KiB of it in use");   /* 3000 + 80 */
    cr_assert_null(wiot_alloc(ctx, 5000, NULL));   /* over the limit alone: no "in use" */
    cr_assert_str_eq(wiot_errmsg(ctx), "the block needs 4.88 KiB but the memory limit is 4 KiB");
    wiot_free(ctx, a);
    void *c = wiot_alloc(ctx, 2000, "again");   /* freed bytes are available at once */
    cr_assert_not_null(c);
    wiot_free(ctx, c);
    cr_assert_null(wiot_alloc_array(ctx, SIZE_MAX / 2, 4, 0, "huge"));
    cr_assert_str_eq(wiot_errmsg(ctx), "huge: 9223372036854775807 x 4 bytes overflows");
    wiot_ctx_free(ctx);
}

/* a table's blocks are metered while it lives, and it may outlive its context: the
 * context's own block is released with the table's last block, nothing leaks */
Test(harden, handle_outlives_context)
{
    test_alloc ta = {0, -1, 0};
    wiot_allocator al = test_allocator(&ta);
    wiot_ctx *ctx = NULL;
    cr_assert_eq(wiot_ctx_new_custom(&al, &ctx), WIOT_OK);
    wiot_table *t = test_load(ctx, DATA("examples/decompr_leather.csv"));
    double live = get(ctx, WIOT_OPT_MEMORY_LIVE);
    cr_assert_gt(live, 9 * 9 * 8, "the table's Z alone is 648 bytes; live %g", live);
    wiot_table_free(t);
    cr_assert_eq(get(ctx, WIOT_OPT_MEMORY_LIVE), 0);   /* freed by the handle: counted */
    t = test_load(ctx, DATA("examples/decompr_leather.csv"));
    wiot_ctx_free(ctx);
    cr_assert_gt(ta.live, 0);        /* the table, and the context block holding the meter */
    cr_assert_eq(wiot_table_countries(t), 3);
    wiot_table_free(t);
    cr_assert_eq(ta.live, 0, "%ld blocks leaked", ta.live);
}

/* -s /dev/zero: the scenario reader stops one byte past its 64 MiB bound */
Test(harden, scenario_reader_is_bounded)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, DATA("examples/decompr_leather.csv"));
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    cr_assert_eq(wiot_scenarios_load(ctx, sc, "/dev/zero"), WIOT_ETOOLARGE);
    cr_assert_str_eq(wiot_errmsg(ctx), "/dev/zero: the file is longer than 64 MiB, the most a "
                     "scenario file may have");
    double peak = get(ctx, WIOT_OPT_MEMORY_PEAK);
    cr_assert_leq(peak, (double)(97u << 20), "at most 32 + 64 MiB (+ headers) live at the last "
                  "growth; peak %g", peak);
    static const char hex[] = "scenario,imposer,target,sector,rate\nx,ARG,TUR,Agriculture,0x1p-3\n";
    cr_assert_eq(wiot_scenarios_load_buffer(ctx, sc, hex, sizeof hex - 1, "h.csv"), WIOT_EFORMAT);
    cr_assert_str_eq(wiot_errmsg(ctx), "h.csv:2: field 'rate': not a number '0x1p-3'");
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}
