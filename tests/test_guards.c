/* test_guards.c -- the promises of README "Guarantees" that no single module owns:
 * a whole tariff run with the allocator failing at every allocation point in turn
 * (clean error, nothing leaked, no object or output left half-made), memory limits
 * refused before allocating with the size needed, sizes whose byte counts overflow,
 * gzip bombs, near-singular tables reported with the column and the condition
 * estimate, huge rates reported rather than returned as Inf, warnings reaching the
 * caller once through the log callback. */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"

#include <stdint.h>
#include <unistd.h>
#include <zlib.h>

/* A counting allocator that also records the largest single request. */
typedef struct big_alloc {
    long live;
    size_t largest;
} big_alloc;
static void *big_fn(void *ud, size_t size)
{
    big_alloc *b = ud;
    if (size > b->largest)
        b->largest = size;
    void *p = malloc(size);
    if (p)
        b->live++;
    return p;
}
static void big_release(void *ud, void *p)
{
    big_alloc *b = ud;
    if (p) {
        b->live--;
        free(p);
    }
}
static wiot_ctx *big_ctx(big_alloc *b)
{
    wiot_allocator a = {big_fn, big_release, b};
    wiot_ctx *ctx = NULL;
    memset(b, 0, sizeof *b);
    cr_assert_eq(wiot_ctx_new_custom(&a, &ctx), WIOT_OK);
    return ctx;
}

#define LEATHER_SCEN                                                                       \
    "scenario,imposer,target,sector,rate\n"                                                \
    "a,DEU,ARG;TUR,*,0.2\n"                                                                \
    "b,*;!TUR,TUR,Agriculture..Textile_and_Leather,0.1\n"

/* ------------------------------------------------ failure injection */
/* The whole job of `wiot tariff -o` on a small table, with allocation k failing
 * (k = 1, 2, ... until the run succeeds; allocation 0 is the context): every call
 * returns WIOT_ENOMEM with a message, every *out is NULL after a failure, outputs
 * documented as untouched are untouched, the saved file is complete or absent, and
 * no block is left once the handles are freed. */
Test(guards, failing_allocator_full_tariff_run)
{
    test_alloc ta = {0, -1, 0};
    wiot_allocator al = test_allocator(&ta);
    char dir[] = "/tmp/wiot-guards.XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char out[64];
    snprintf(out, sizeof out, "%s/t.csv", dir);
    int succeeded = 0;
    long k;
    for (k = 1; k < 2000 && !succeeded; k++) {
        ta.calls = 0;
        ta.fail_at = -1;
        wiot_ctx *ctx = NULL;
        cr_assert_eq(wiot_ctx_new_custom(&al, &ctx), WIOT_OK);
        ta.fail_at = k;
        wiot_table *t = (wiot_table *)&ta;
        wiot_lu *lu = (wiot_lu *)&ta;
        wiot_scenarios *sc = (wiot_scenarios *)&ta;
        wiot_schedule *s[2] = {(wiot_schedule *)&ta, (wiot_schedule *)&ta};
        wiot_result *r = (wiot_result *)&ta;
        wiot_batch *b = (wiot_batch *)&ta;
        double L[81], mult[9], back[9], fwd[9];
        for (int i = 0; i < 81; i++)
            L[i] = -7;
        for (int i = 0; i < 9; i++)
            mult[i] = back[i] = fwd[i] = -7;
        int rc, stage = 0;
#define STEP(call, obj)                                                                   \
        do {                                                                              \
            stage++;                                                                      \
            rc = (call);                                                                  \
            if (rc) {   /* *out is NULL or untouched, never a new object */               \
                cr_assert((void *)(obj) == NULL || (void *)(obj) == (void *)&ta,          \
                          "k=%ld stage %d: failed but set its output", k, stage);         \
                goto failed;                                                              \
            }                                                                             \
        } while (0)
        STEP(wiot_table_load(ctx, DATA("examples/decompr_leather.csv"), &t), t);
        STEP(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), lu);
        STEP(wiot_scenarios_new(ctx, t, &sc), sc);
        stage++;
        if ((rc = wiot_scenarios_load_buffer(ctx, sc, LEATHER_SCEN, strlen(LEATHER_SCEN), "s.csv"))) {
            cr_assert_eq(wiot_scenarios_count(sc), 0, "k=%ld: a failed load added scenarios", k);
            goto failed;
        }
        STEP(wiot_scenarios_schedule(ctx, sc, "a+b", &s[0]), s[0]);
        STEP(wiot_scenarios_schedule(ctx, sc, "b", &s[1]), s[1]);
        STEP(wiot_result_new(ctx, t, &r), r);
        stage++;
        if ((rc = wiot_tariff(ctx, lu, s[0], 1.0, WIOT_BOTH, r)))
            goto failed;
        STEP(wiot_batch_new(ctx, lu, 2, &b), b);
        stage++;
        if ((rc = wiot_batch_run(ctx, b, (const wiot_schedule *const *)s, 2, 0.5, WIOT_BOTH)))
            goto failed;
        stage++;
        if ((rc = wiot_leontief(ctx, t, L, 9, NULL))) {
            for (int i = 0; i < 81; i++)
                cr_assert_eq(L[i], -7.0, "k=%ld: wiot_leontief failed but wrote L", k);
            goto failed;
        }
        stage++;
        if ((rc = wiot_multipliers(ctx, lu, mult, back, fwd))) {
            for (int i = 0; i < 9; i++)
                cr_assert(mult[i] == -7 && back[i] == -7 && fwd[i] == -7,
                          "k=%ld: wiot_multipliers failed but wrote its outputs", k);
            goto failed;
        }
        stage++;
        if ((rc = wiot_table_save(ctx, t, out))) {
            cr_assert_neq(access(out, F_OK), 0, "k=%ld: a failed save left %s", k, out);
            goto failed;
        }
        succeeded = 1;
    failed:
#undef STEP
        if (rc) {
            cr_assert_eq(rc, WIOT_ENOMEM, "k=%ld stage %d: status %d (%s)", k, stage, rc,
                         wiot_errmsg(ctx));
            cr_assert_neq(wiot_errmsg(ctx)[0], '\0', "k=%ld: no message", k);
        }
        if (b == (wiot_batch *)&ta) b = NULL;
        if (r == (wiot_result *)&ta) r = NULL;
        for (int q = 0; q < 2; q++)
            if (s[q] == (wiot_schedule *)&ta) s[q] = NULL;
        if (sc == (wiot_scenarios *)&ta) sc = NULL;
        if (lu == (wiot_lu *)&ta) lu = NULL;
        if (t == (wiot_table *)&ta) t = NULL;
        wiot_batch_free(b);
        wiot_result_free(r);
        wiot_schedule_free(s[0]);
        wiot_schedule_free(s[1]);
        wiot_scenarios_free(sc);
        wiot_lu_free(lu);
        wiot_table_free(t);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0, "k=%ld: %ld blocks leaked", k, ta.live);
        /* no temporary file survives a failed save */
        char cmd[160];
        snprintf(cmd, sizeof cmd, "test $(ls -A %s | grep -v '^t.csv$' | wc -l) -eq 0", dir);
        cr_assert_eq(system(cmd), 0, "k=%ld: a temporary file was left in %s", k, dir);
    }
    cr_assert(succeeded, "no success within %ld allocation points", k);
    cr_assert_gt(k, 20, "the run should have many allocation points, got %ld", k);
    unlink(out);
    rmdir(dir);
}

/* ------------------------------------------------------ memory limits */
Test(guards, max_memory_option)
{
    wiot_ctx *ctx = test_ctx();
    double v = -1;
    cr_assert_eq(wiot_ctx_get(ctx, WIOT_OPT_MAX_MEMORY, &v), WIOT_OK);
    cr_assert_eq(v, 0.0);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 1 << 30), WIOT_OK);
    cr_assert_eq(wiot_ctx_get(ctx, WIOT_OPT_MAX_MEMORY, &v), WIOT_OK);
    cr_assert_eq(v, 1073741824.0);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, -1), WIOT_EINVAL);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 1.5), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "memory limit must be a whole number of bytes >= 0, got 1.5");
    wiot_ctx_free(ctx);
}

/* WIOD 2011 needs 8(n^2 + n C K + 2n) = 18 MiB for the table: with a limit of 8 MiB
 * the load is refused, with the size, before the matrices are allocated. */
Test(guards, table_larger_than_the_limit_is_refused_before_allocating)
{
    big_alloc ba;
    wiot_ctx *ctx = big_ctx(&ba);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 8 << 20), WIOT_OK);
    wiot_table *t = NULL;
    int rc = wiot_table_load(ctx, DATA("wiod2013/wiot_2011.csv.gz"), &t);
    cr_assert_eq(rc, WIOT_ENOMEM, "%s", wiot_errmsg(ctx));
    cr_assert_null(t);
    /* 8 (n^2 + n C K + 2n) = 18850160 bytes */
    cr_assert_str_eq(wiot_errmsg(ctx), "../data/wiod2013/wiot_2011.csv.gz: the table needs 18 MiB "
                     "(n = 1435, C = 41, S = 35, K = 5) but the memory limit is 8 MiB");
    cr_assert_leq(ba.largest, (size_t)8 << 20, "an allocation of %zu bytes was attempted", ba.largest);
    /* the factorization of a table that fits, with a limit below 8 n^2 */
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 0), WIOT_OK);
    t = test_load(ctx, DATA("wiod2013/wiot_2011.csv.gz"));
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 15 << 20), WIOT_OK);
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_ENOMEM);
    cr_assert_null(lu);
    /* 8 (n^2 + 5n) = 16530000 bytes */
    cr_assert_str_eq(wiot_errmsg(ctx), "the factorization of I - A needs 15.8 MiB (n = 1435) but the "
                     "memory limit is 15 MiB");
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    cr_assert_eq(ba.live, 0);
}

/* Dimensions whose byte counts overflow size_t are refused before any code array is
 * read or anything allocated. */
Test(guards, sizes_that_overflow)
{
    big_alloc ba;
    wiot_ctx *ctx = big_ctx(&ba);
    const char *one[] = {"A"};
    double z = 0;
    wiot_table_desc d;
    memset(&d, 0, sizeof d);
    d.countries = (size_t)1 << 20;   /* n = 2^40: n^2 doubles overflow */
    d.sectors = (size_t)1 << 20;
    d.country_codes = one;           /* far shorter than claimed: must not be read */
    d.sector_codes = one;
    d.Z = &z;
    d.ldz = (size_t)1 << 40;
    d.name = "huge";
    wiot_table *t = NULL;
    int rc = wiot_table_new(ctx, &d, &t);
    cr_assert_eq(rc, WIOT_ETOOLARGE, "%d: %s", rc, wiot_errmsg(ctx));
    cr_assert_null(t);
    cr_assert_str_eq(wiot_errmsg(ctx), "huge: the table's size overflows: n = 1099511627776 "
                     "country-sectors (C = 1048576, S = 1048576, K = 0)");
    d.countries = (size_t)1 << 33;   /* C*S overflows */
    d.sectors = (size_t)1 << 33;
    cr_assert_eq(wiot_table_new(ctx, &d, &t), WIOT_ETOOLARGE);
    /* fits size_t but not the memory limit */
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 1 << 30), WIOT_OK);
    d.countries = 1000;
    d.sectors = 100;
    d.ldz = 100000;
    cr_assert_eq(wiot_table_new(ctx, &d, &t), WIOT_ENOMEM);
    cr_assert_str_eq(wiot_errmsg(ctx), "huge: the table needs 74.5 GiB (n = 100000, C = 1000, "
                     "S = 100, K = 0) but the memory limit is 1 GiB");
    cr_assert_leq(ba.largest, (size_t)1 << 20, "allocated %zu bytes", ba.largest);
    wiot_ctx_free(ctx);
    cr_assert_eq(ba.live, 0);
}

/* ---------------------------------------------------------- gzip bombs */
/* gzip of `prefix` followed by `zeros` bytes '0' (no newline): about 1/1000 the size. */
static unsigned char *bomb(const char *prefix, size_t zeros, size_t *len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    cr_assert_eq(deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = zeros / 500 + 4096, out = 0;
    unsigned char *buf = malloc(cap), chunk[65536];
    memset(chunk, '0', sizeof chunk);
    cr_assert_not_null(buf);
    size_t left = zeros;
    int first = 1;
    for (;;) {
        size_t m = left < sizeof chunk ? left : sizeof chunk;
        if (first) {
            z.next_in = (unsigned char *)(uintptr_t)prefix;
            z.avail_in = (uInt)strlen(prefix);
            m = 0;
        } else {
            z.next_in = chunk;
            z.avail_in = (uInt)m;
            left -= m;
        }
        int flush = !first && left == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = buf + out;
            z.avail_out = (uInt)(cap - out);
            int zr = deflate(&z, flush);
            cr_assert(zr != Z_STREAM_ERROR);
            out = cap - z.avail_out;
            if (z.avail_out == 0) {
                cap *= 2;
                buf = realloc(buf, cap);
                cr_assert_not_null(buf);
            }
        } while (z.avail_out == 0 || (flush == Z_FINISH && z.avail_in > 0));
        first = 0;
        if (flush == Z_FINISH)
            break;
    }
    deflateEnd(&z);
    *len = out;
    return buf;
}

/* 256 MiB of '0' in 256 KiB of gzip: refused by the header check long before it is
 * inflated; with a table-like header, refused at the memory limit. */
Test(guards, gzip_bomb)
{
    size_t len;
    unsigned char *g = bomb("", (size_t)256 << 20, &len);
    cr_assert_lt(len, (size_t)1 << 20);
    big_alloc ba;
    wiot_ctx *ctx = big_ctx(&ba);
    wiot_table *t = NULL;
    int rc = wiot_table_load_buffer(ctx, g, len, "bomb.csv.gz", &t);
    cr_assert_eq(rc, WIOT_EFORMAT, "%d: %s", rc, wiot_errmsg(ctx));
    cr_assert_str_eq(wiot_errmsg(ctx), "bomb.csv.gz:1: bad header: expected 'country,sector,...,GO', "
                     "got '0000000000000000000000000000000000000000...'");
    cr_assert_leq(ba.largest, (size_t)32 << 20, "inflated %zu bytes before refusing", ba.largest);
    free(g);
    g = bomb("country,sector,", (size_t)256 << 20, &len);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 32 << 20), WIOT_OK);
    rc = wiot_table_load_buffer(ctx, g, len, "bomb2.csv.gz", &t);
    cr_assert_eq(rc, WIOT_ENOMEM, "%d: %s", rc, wiot_errmsg(ctx));
    /* the budget counts what is live: the 16 MiB block is held while its successor
     * would be allocated, so growing past 16 MiB is refused (issue 16) */
    cr_assert_str_eq(wiot_errmsg(ctx), "bomb2.csv.gz: the inflated text needs more than 16 MiB but "
                     "the memory limit is 32 MiB, 16 MiB of it in use");
    cr_assert_leq(ba.largest, ((size_t)32 << 20) + 128);   /* + the block header */
    free(g);
    wiot_ctx_free(ctx);
    cr_assert_eq(ba.live, 0);
}

/* ------------------------------------------------------ numerical guards */
/* Column sums of A = 1 - 2^-52: valid (< 1), but I - A has rcond ~ 2e-16 < n eps. */
Test(guards, near_singular_table_names_the_column)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, BAD("lu_near_singular.csv"));
    wiot_lu *lu = NULL;
    wiot_info info;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, &info), WIOT_ESINGULAR);
    cr_assert_null(lu);
    cr_assert_str_eq(wiot_errmsg(ctx), "lu_near_singular.csv: I - A is singular to working "
                     "precision: reciprocal condition number 2.2e-16 < n eps = 4.4e-16; smallest "
                     "pivot 4.4e-16 in column 'R1_s2' (column sum of A 0.99999999999999978)");
    double L[4] = {-7, -7, -7, -7};
    cr_assert_eq(wiot_leontief(ctx, t, L, 2, NULL), WIOT_ESINGULAR);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(L[i], -7.0, "L written on failure");
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(guards, condition_estimate_reported)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, DATA("examples/miller_blair_2009_t2_3.csv"));
    wiot_lu *lu = NULL;
    wiot_info info;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, &info), WIOT_OK);
    /* I - A = [0.85 -0.25; -0.2 0.95] (Miller & Blair table 2.3): ||M||_1 = 1.2,
     * det = 0.7575, ||M^-1||_1 = 1.15 / 0.7575, so rcond = 0.7575 / 1.38 = 0.549;
     * LAPACK's estimate is exact here */
    assert_rel(info.rcond, 0.7575 / (1.2 * 1.15), 1e-12);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* Rates so large that the model's numbers overflow give an error, never Inf. */
Test(guards, huge_rates_are_an_error)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, DATA("examples/decompr_leather.csv"));
    wiot_lu *lu = NULL;
    wiot_scenarios *sc = NULL;
    wiot_schedule *s = NULL;
    wiot_result *r = NULL;
    const char *txt = "scenario,imposer,target,sector,rate\nhuge,*,*,*,1e308\n";
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    cr_assert_eq(wiot_scenarios_load_buffer(ctx, sc, txt, strlen(txt), "h.csv"), WIOT_OK);
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "huge", &s), WIOT_OK);
    cr_assert_eq(wiot_result_new(ctx, t, &r), WIOT_OK);
    for (int models = WIOT_FIRST_ORDER; models <= WIOT_BOTH; models++) {
        int rc = wiot_tariff(ctx, lu, s, 1.0, models, r);
        cr_assert(rc == WIOT_EDATA || rc == WIOT_ESINGULAR, "models %d: status %d", models, rc);
        cr_assert(strstr(wiot_errmsg(ctx), "not finite") || strstr(wiot_errmsg(ctx), "is inf") ||
                  strstr(wiot_errmsg(ctx), "singular"), "%s", wiot_errmsg(ctx));
    }
    /* stacking two finite rates that overflow when added */
    wiot_schedule *s2 = NULL;
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "huge+huge", &s2), WIOT_EDATA);
    cr_assert_null(s2);
    wiot_result_free(r);
    wiot_schedule_free(s);
    wiot_scenarios_free(sc);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* A non-finite right-hand side is refused rather than solved into NaN. */
Test(guards, solve_refuses_non_finite_input)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, DATA("examples/miller_blair_2009_t2_3.csv"));
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    double b[2] = {1, NAN};
    cr_assert_eq(wiot_lu_solve(ctx, lu, WIOT_NOTRANS, 1, b, 2), WIOT_EDATA);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_lu_solve: right-hand side of entry 1 is nan: the "
                     "magnitudes of the data exceed double precision");
    double f[2] = {1.7e308, 1.7e308}, x[2] = {-7, -7};   /* L f overflows */
    cr_assert_eq(wiot_quantity(ctx, lu, f, x), WIOT_EDATA);
    cr_assert(x[0] == -7 && x[1] == -7, "x written on failure");
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ----------------------------------------------------------------- warnings */
typedef struct logged {
    int n;
    char msg[4][512];
} logged;
static void log_fn(void *ud, int level, const char *m)
{
    logged *l = ud;
    cr_assert_eq(level, WIOT_LOG_WARN);
    if (l->n < 4)
        snprintf(l->msg[l->n], sizeof l->msg[0], "%s", m);
    l->n++;
}

/* WIOD's row identity holds only to rounding: the warnings reach the caller once per
 * load through the log callback, and stay readable from the table. */
Test(guards, warnings_reach_the_caller_once)
{
    wiot_ctx *ctx = test_ctx();
    logged l = {0, {""}};
    cr_assert_eq(wiot_ctx_set_log(ctx, log_fn, &l), WIOT_OK);
    wiot_table *t = test_load(ctx, DATA("wiod2013/wiot_2011.csv.gz"));
    const wiot_check *ck = wiot_table_check(t);
    cr_assert_eq((size_t)l.n, ck->warnings);
    cr_assert_geq(ck->warnings, 1);
    for (size_t i = 0; i < ck->warnings && i < 4; i++)
        cr_assert_str_eq(l.msg[i], wiot_table_warning(t, i));
    cr_assert(strstr(l.msg[0], "row identity off by more than") != NULL, "%s", l.msg[0]);
    /* later calls do not repeat them */
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    cr_assert_eq((size_t)l.n, ck->warnings);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}
