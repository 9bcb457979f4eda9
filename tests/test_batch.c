/* test_batch.c -- many scenarios at once: every scenario of a batch equals the
 * single-scenario engine (wiot_tariff) to 1e-12 relative, across groups of imposer
 * sets (zero schedules, one non-zero rate, US-China, a 2025 IEEPA stage with k = S,
 * every country retaliating against the US with k close to n); sweeps are monotone
 * and exactly zero at scale 0; results do not depend on the thread count. */
#include "helpers.h"

typedef struct wiod {
    wiot_ctx *ctx;
    wiot_table *t;
    wiot_lu *lu;
    wiot_scenarios *sc;
    size_t n, C, S, K;
} wiod;

static void wiod_open(wiod *w)
{
    w->ctx = test_ctx();
    w->t = test_load(w->ctx, DATA("wiod2013/wiot_2011.csv.gz"));
    cr_assert_eq(wiot_lu_new(w->ctx, w->t, WIOT_LEONTIEF, &w->lu, NULL), WIOT_OK);
    cr_assert_eq(wiot_scenarios_new(w->ctx, w->t, &w->sc), WIOT_OK);
    const char *files[] = {"us301_china_2018_2020.csv", "china_retaliation_2018_2020.csv", "us_ieepa_2025.csv"};
    for (int q = 0; q < 3; q++) {
        char path[256];
        snprintf(path, sizeof path, DATA("scenarios/wiod2013/%s"), files[q]);
        cr_assert_eq(wiot_scenarios_load(w->ctx, w->sc, path), WIOT_OK, "%s", wiot_errmsg(w->ctx));
    }
    w->n = wiot_table_n(w->t);
    w->C = wiot_table_countries(w->t);
    w->S = wiot_table_sectors(w->t);
    w->K = wiot_table_fd_categories(w->t);
}

static void wiod_close(wiod *w)
{
    wiot_scenarios_free(w->sc);
    wiot_lu_free(w->lu);
    wiot_table_free(w->t);
    wiot_ctx_free(w->ctx);
}

static wiot_schedule *named(wiod *w, const char *name)
{
    wiot_schedule *s = NULL;
    cr_assert_eq(wiot_scenarios_schedule(w->ctx, w->sc, name, &s), WIOT_OK, "%s", wiot_errmsg(w->ctx));
    return s;
}

/* compare column s of a batch item with the single result, relative to the column's
 * largest magnitude */
static void same(const wiot_batch *b, const wiot_result *r, int item, size_t s, const char *what)
{
    size_t rows, ld, len;
    const double *B = wiot_batch_get(b, item, &rows, &ld);
    const double *R = wiot_result_get(r, item, &len);
    cr_assert_not_null(B, "%s: item %d missing in batch", what, item);
    cr_assert_not_null(R);
    cr_assert_eq(rows, len);
    double scale = 0, diff = 0;
    for (size_t i = 0; i < rows; i++) {
        scale = fabs(R[i]) > scale ? fabs(R[i]) : scale;
        diff = fabs(B[i + s * ld] - R[i]) > diff ? fabs(B[i + s * ld] - R[i]) : diff;
    }
    cr_assert_leq(diff, 1e-12 * scale + 1e-300, "%s, item %d: batch differs by %g (scale %g)", what, item, diff, scale);
}

Test(batch, equals_single_scenarios_across_groups, .timeout = 300)
{
    wiod w;
    wiod_open(&w);
    enum { M = 9 };
    wiot_schedule *s[M];
    cr_assert_eq(wiot_schedule_new(w.ctx, w.t, &s[0]), WIOT_OK);   /* zero schedule */
    cr_assert_eq(wiot_schedule_new(w.ctx, w.t, &s[1]), WIOT_OK);   /* a single rate */
    size_t us = wiot_table_find_country(w.t, "USA"), cn = wiot_table_find_country(w.t, "CHN"),
           mx = wiot_table_find_country(w.t, "MEX");
    cr_assert_eq(wiot_schedule_set(w.ctx, s[1], mx, cn, 13, 0.3), WIOT_OK);
    s[2] = named(&w, "us301_2020-02-14_list4A_at7.5+cn_ret_2020-02-14_round1_halved");
    s[3] = named(&w, "us_ieepa_2025-04-10_baseline10_chn125");   /* USA on everyone: k = S */
    s[4] = named(&w, "us301_2019-05-10_list3at25+cn_ret_2019-06-01_list60bn_raised");   /* same set as s[2] */
    /* every country retaliates against the US on goods: k = (C-1) S, close to n */
    cr_assert_eq(wiot_schedule_new(w.ctx, w.t, &s[5]), WIOT_OK);
    for (size_t d = 0; d < w.C; d++)
        for (size_t k = 0; k < 16; k++)
            cr_assert_eq(wiot_schedule_set(w.ctx, s[5], d, us, k, 0.15), WIOT_OK);
    cr_assert_eq(wiot_schedule_copy(w.ctx, s[5], &s[6]), WIOT_OK);
    cr_assert_eq(wiot_schedule_add(w.ctx, s[6], s[5], 0.5), WIOT_OK);
    cr_assert_eq(wiot_schedule_copy(w.ctx, s[2], &s[7]), WIOT_OK);
    cr_assert_eq(wiot_schedule_add(w.ctx, s[7], s[2], 1.0), WIOT_OK);
    cr_assert_eq(wiot_schedule_new(w.ctx, w.t, &s[8]), WIOT_OK);   /* zero again */

    wiot_batch *b;
    cr_assert_eq(wiot_batch_new(w.ctx, w.lu, 16, &b), WIOT_OK);
    cr_assert_eq(wiot_batch_run(w.ctx, b, (const wiot_schedule *const *)s, M, 0.9, WIOT_BOTH), WIOT_OK, "%s",
                 wiot_errmsg(w.ctx));
    cr_assert_eq(wiot_batch_count(b), M);
    wiot_result *r;
    cr_assert_eq(wiot_result_new(w.ctx, w.t, &r), WIOT_OK);
    const int items[] = {WIOT_R_DIRECT, WIOT_R_CUMULATIVE, WIOT_R_EXACT, WIOT_R_EXTRA_COST, WIOT_R_FINAL_PRICE,
                         WIOT_R_FINAL_DEFINED, WIOT_R_FINAL_ALL, WIOT_R_COUNTRY_EXTRA_COST, WIOT_R_REVENUE, WIOT_R_ROLE};
    for (size_t q = 0; q < M; q++) {
        cr_assert_eq(wiot_tariff(w.ctx, w.lu, s[q], 0.9, WIOT_BOTH, r), WIOT_OK, "%s", wiot_errmsg(w.ctx));
        char what[32];
        snprintf(what, sizeof what, "scenario %zu", q);
        for (size_t i = 0; i < sizeof items / sizeof *items; i++)
            same(b, r, items[i], q, what);
        const wiot_info *inf = wiot_batch_info(b, q);
        cr_assert_not_null(inf);
        cr_assert_leq(inf->residual, 1e-15, "%s residual %g", what, inf->residual);
    }
    cr_assert_eq(wiot_batch_info(b, 0)->method, WIOT_METHOD_LU);
    cr_assert_eq(wiot_batch_info(b, 2)->method, WIOT_METHOD_WOODBURY);
    cr_assert_eq(wiot_batch_info(b, 3)->rank, w.S);
    cr_assert_eq(wiot_batch_info(b, 5)->method, WIOT_METHOD_ITERATION);
    cr_assert_eq(wiot_batch_info(b, 5)->rank, (w.C - 1) * w.S);
    /* zero schedules give exact zeros */
    size_t rows, ld;
    const double *P = wiot_batch_get(b, WIOT_R_EXACT, &rows, &ld);
    for (size_t i = 0; i < rows; i++)
        cr_assert(P[i] == 0.0 && P[i + 8 * ld] == 0.0);
    /* first-order only: no exact item, no info */
    cr_assert_eq(wiot_batch_run(w.ctx, b, (const wiot_schedule *const *)s, 3, 1.0, WIOT_FIRST_ORDER), WIOT_OK);
    cr_assert_null(wiot_batch_get(b, WIOT_R_EXACT, NULL, NULL));
    cr_assert_null(wiot_batch_info(b, 0));
    cr_assert_eq(wiot_batch_run(w.ctx, b, (const wiot_schedule *const *)s, 17, 1.0, WIOT_BOTH), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(w.ctx), "wiot_batch_run: 17 scenarios but the batch holds 16");
    wiot_result_free(r);
    wiot_batch_free(b);
    for (size_t q = 0; q < M; q++)
        wiot_schedule_free(s[q]);
    wiod_close(&w);
}

Test(batch, sweep_monotone_zero_and_thread_invariant, .timeout = 300)
{
    wiod w;
    wiod_open(&w);
    enum { M = 41 };
    wiot_schedule *base = named(&w, "us301_2020-02-14_list4A_at7.5+cn_ret_2020-02-14_round1_halved");
    wiot_schedule *s[M];
    for (size_t q = 0; q < M; q++) {
        cr_assert_eq(wiot_schedule_new(w.ctx, w.t, &s[q]), WIOT_OK);
        cr_assert_eq(wiot_schedule_add(w.ctx, s[q], base, 4.0 * (double)q / (M - 1)), WIOT_OK);
    }
    wiot_batch *b;
    cr_assert_eq(wiot_batch_new(w.ctx, w.lu, M, &b), WIOT_OK);
    double *P1 = malloc(w.n * M * sizeof *P1), *F1 = malloc(w.C * w.K * M * sizeof *F1);
    for (int th = 1; th <= 2; th++) {
        cr_assert_eq(wiot_ctx_set(w.ctx, WIOT_OPT_THREADS, th), WIOT_OK);
        cr_assert_eq(wiot_batch_run(w.ctx, b, (const wiot_schedule *const *)s, M, 1.0, WIOT_BOTH), WIOT_OK);
        size_t rows, ld, frows, fld;
        const double *P = wiot_batch_get(b, WIOT_R_EXACT, &rows, &ld);
        const double *F = wiot_batch_get(b, WIOT_R_FINAL_PRICE, &frows, &fld);
        if (th == 1) {
            memcpy(P1, P, w.n * M * sizeof *P1);
            memcpy(F1, F, w.C * w.K * M * sizeof *F1);
            for (size_t i = 0; i < rows; i++)
                cr_assert_eq(P[i], 0.0, "scale 0 is exactly zero");
            for (size_t q = 1; q < M; q++)
                for (size_t i = 0; i < rows; i++)
                    cr_assert_geq(P[i + q * ld], P[i + (q - 1) * ld], "not monotone at scale step %zu, row %zu", q, i);
            const double *FD = wiot_batch_get(b, WIOT_R_FINAL_DEFINED, NULL, NULL);
            for (size_t q = 1; q < M; q++)
                for (size_t i = 0; i < frows; i++)
                    if (FD[i + q * fld] != 0)
                        cr_assert_geq(F[i + q * fld], F[i + (q - 1) * fld] - 1e-18);
        } else {
            /* OpenMP splits scenarios, not sums: every scenario's arithmetic is the same
             * on 1 and 2 threads except inside multithreaded BLAS calls */
            double diff = 0, scale = 0;
            for (size_t i = 0; i < w.n * M; i++) {
                diff = fabs(P[i] - P1[i]) > diff ? fabs(P[i] - P1[i]) : diff;
                scale = fabs(P1[i]) > scale ? fabs(P1[i]) : scale;
            }
            cr_assert_leq(diff, 1e-13 * scale, "1 vs 2 threads: %g", diff);
        }
    }
    free(P1);
    free(F1);
    wiot_batch_free(b);
    for (size_t q = 0; q < M; q++)
        wiot_schedule_free(s[q]);
    wiot_schedule_free(base);
    wiod_close(&w);
}

Test(batch, failing_allocator)
{
    test_alloc ta = {0, -1, 0};
    wiot_allocator al = test_allocator(&ta);
    wiot_ctx *ctx0 = test_ctx();
    wiot_table *t = test_load(ctx0, DATA("examples/pymrio_test_mrio.csv"));
    wiot_lu *lu;
    wiot_schedule *s[3];
    cr_assert_eq(wiot_lu_new(ctx0, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    for (int q = 0; q < 3; q++)
        cr_assert_eq(wiot_schedule_new(ctx0, t, &s[q]), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(ctx0, s[0], 0, 1, 2, 0.2), WIOT_OK);
    for (size_t d = 0; d < 6; d++)
        cr_assert_eq(wiot_schedule_set(ctx0, s[2], d, 0, 1, 0.1), WIOT_OK);
    int succeeded = 0;
    for (long k = 0; k < 100 && !succeeded; k++) {
        ta.calls = 0;
        ta.fail_at = -1;
        wiot_ctx *ctx;
        cr_assert_eq(wiot_ctx_new_custom(&al, &ctx), WIOT_OK);
        ta.fail_at = k + 1;
        wiot_batch *b = NULL;
        int rc = wiot_batch_new(ctx, lu, 3, &b);
        if (!rc)
            rc = wiot_batch_run(ctx, b, (const wiot_schedule *const *)s, 3, 1.0, WIOT_BOTH);
        if (rc)
            cr_assert_eq(rc, WIOT_ENOMEM, "k=%ld: %s", k, wiot_errmsg(ctx));
        else
            succeeded = 1;
        wiot_batch_free(b);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0, "k=%ld leaked %ld", k, ta.live);
    }
    cr_assert(succeeded);
    for (int q = 0; q < 3; q++)
        wiot_schedule_free(s[q]);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx0);
}

Test(batch, random_schedules_agree_with_fresh_lu, .timeout = 300)
{
    /* random sparse schedules with random imposer sets (several groups, some sharing
     * a set); every scenario of the batch equals a fresh dense LU of its own system */
    wiod w;
    wiod_open(&w);
    enum { M = 12 };
    wiot_schedule *s[M];
    unsigned seed = 2024;
    for (size_t q = 0; q < M; q++) {
        cr_assert_eq(wiot_schedule_new(w.ctx, w.t, &s[q]), WIOT_OK);
        size_t nimp = 1 + q % 4;
        for (size_t a = 0; a < nimp; a++) {
            seed = seed * 1664525u + 1013904223u;
            size_t d = (q % 3 == 0) ? a : (seed >> 8) % w.C;   /* q % 3 == 0: shared set {0..nimp-1} */
            for (int e = 0; e < 60; e++) {
                seed = seed * 1664525u + 1013904223u;
                size_t c = (seed >> 8) % w.C, k = (seed >> 20) % w.S;
                double rate = (double)((seed >> 4) % 1000) / 1000.0 * 0.6 - 0.05;   /* -5 % .. 55 % */
                cr_assert_eq(wiot_schedule_set(w.ctx, s[q], d, c, k, rate), WIOT_OK);
            }
        }
    }
    wiot_batch *b;
    cr_assert_eq(wiot_batch_new(w.ctx, w.lu, M, &b), WIOT_OK);
    cr_assert_eq(wiot_batch_run(w.ctx, b, (const wiot_schedule *const *)s, M, 1.0, WIOT_EXACT), WIOT_OK, "%s",
                 wiot_errmsg(w.ctx));
    size_t rows, ld;
    const double *P = wiot_batch_get(b, WIOT_R_EXACT, &rows, &ld);
    const double *D = wiot_batch_get(b, WIOT_R_DIRECT, NULL, NULL);
    double *ref = malloc(w.n * sizeof *ref);
    for (size_t q = 0; q < M; q++) {
        cr_assert_eq(wiot_price_exact(w.ctx, w.lu, s[q], 1.0, WIOT_METHOD_DENSE, D + q * ld, ref, NULL), WIOT_OK);
        double scale = 0, diff = 0;
        for (size_t i = 0; i < w.n; i++) {
            scale = fabs(ref[i]) > scale ? fabs(ref[i]) : scale;
            diff = fabs(P[i + q * ld] - ref[i]) > diff ? fabs(P[i + q * ld] - ref[i]) : diff;
        }
        cr_assert_leq(diff, 1e-12 * scale, "scenario %zu differs from a fresh LU by %g (scale %g)", q, diff, scale);
    }
    free(ref);
    wiot_batch_free(b);
    for (size_t q = 0; q < M; q++)
        wiot_schedule_free(s[q]);
    wiod_close(&w);
}
