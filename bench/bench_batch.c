/* bench_batch.c -- many exact tariff scenarios on WIOD 2011, three ways, in one run:
 *   1. the batch API (wiot_batch_run, all scenarios in one call);
 *   2. one by one through wiot_tariff (Woodbury on the shared baseline LU);
 *   3. one by one with a fresh LU of the perturbed system each (the brute force a
 *      user would write in C: wiot_price_exact with WIOT_METHOD_DENSE), timed on a
 *      subset and reported per scenario.
 * Workloads: a 0..4x scale sweep of the US-China schedule (rank 70) and lognormal
 * Monte Carlo draws (log-sd 0.25) of the 7 Aug 2025 IEEPA stage (USA on everyone,
 * rank 35). usage: bench_batch [M] [FRESH]   (writes results/batch.csv) */
#define _GNU_SOURCE
#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wiot.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t rs = 0x243f6a8885a308d3ULL;
static double unif(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return ((double)(rs >> 11) + 0.5) * 0x1.0p-53;
}
static double normal(void) { return sqrt(-2 * log(unif())) * cos(6.283185307179586 * unif()); }

#define CHECK(x)                                                                   \
    do {                                                                           \
        if ((x) != WIOT_OK) {                                                      \
            fprintf(stderr, "bench: %s: %s\n", #x, wiot_errmsg(ctx));             \
            exit(1);                                                               \
        }                                                                          \
    } while (0)

int main(int argc, char **argv)
{
    size_t M = argc > 1 ? (size_t)atol(argv[1]) : 1000, FRESH = argc > 2 ? (size_t)atol(argv[2]) : 10;
    if (M < 2)
        M = 1000;
    if (FRESH < 1 || FRESH > M)
        FRESH = 10;
    wiot_ctx *ctx;
    wiot_table *t;
    wiot_lu *lu;
    wiot_scenarios *sc;
    if (wiot_ctx_new(&ctx))
        return 1;
    CHECK(wiot_table_load(ctx, "../data/wiod2013/wiot_2011.csv.gz", &t));
    CHECK(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL));
    CHECK(wiot_scenarios_new(ctx, t, &sc));
    const char *files[] = {"us301_china_2018_2020.csv", "china_retaliation_2018_2020.csv", "us_ieepa_2025.csv"};
    for (int q = 0; q < 3; q++) {
        char p[256];
        snprintf(p, sizeof p, "../data/scenarios/wiod2013/%s", files[q]);
        CHECK(wiot_scenarios_load(ctx, sc, p));
    }
    const char *names[2] = {"us301_2020-02-14_list4A_at7.5+cn_ret_2020-02-14_round1_halved",
                            "us_ieepa_2025-08-07_revised_annexI"};
    const char *labels[2] = {"sweep 0..4x US-China (k=70)", "Monte Carlo IEEPA 2025-08-07 (k=35)"};
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t);
    FILE *csv = fopen("results/batch.csv", "w");
    if (csv)
        fprintf(csv, "workload,way,threads,core,scenarios,seconds,scenarios_per_second\n");
    printf("wiot batch benchmark: WIOD 2011 (n = %zu), %zu exact scenarios per workload, BLAS core %s, threads %d\n",
           n, M, openblas_get_corename(), omp_get_max_threads());
    printf("%-38s %-30s %10s %12s %9s\n", "workload", "way", "seconds", "scen/s", "vs fresh");
    wiot_schedule **s = calloc(M, sizeof *s);
    double *d = malloc(n * sizeof *d), *p = malloc(n * sizeof *p);
    for (int w = 0; w < 2; w++) {
        wiot_schedule *base;
        CHECK(wiot_scenarios_schedule(ctx, sc, names[w], &base));
        const double *r = wiot_schedule_rates(base);
        for (size_t q = 0; q < M; q++) {
            CHECK(wiot_schedule_new(ctx, t, &s[q]));
            for (size_t z = 0; z < C * C * S; z++)
                if (r[z] != 0) {
                    double f = w == 0 ? 4.0 * (double)q / (double)(M - 1) : exp(0.25 * normal() - 0.03125);
                    CHECK(wiot_schedule_set(ctx, s[q], z / (C * S), (z / S) % C, z % S, r[z] * f));
                }
        }
        /* 1. batch */
        wiot_batch *b;
        CHECK(wiot_batch_new(ctx, lu, M, &b));
        double t0 = now();
        CHECK(wiot_batch_run(ctx, b, (const wiot_schedule *const *)s, M, 1.0, WIOT_BOTH));
        double tb = now() - t0;
        /* 2. one by one, shared LU */
        wiot_result *res;
        CHECK(wiot_result_new(ctx, t, &res));
        t0 = now();
        for (size_t q = 0; q < M; q++)
            CHECK(wiot_tariff(ctx, lu, s[q], 1.0, WIOT_BOTH, res));
        double t1 = now() - t0;
        /* 3. fresh LU each (subset) */
        t0 = now();
        for (size_t q = 0; q < FRESH; q++) {
            size_t k = q * (M / FRESH);
            CHECK(wiot_tariff_direct(ctx, t, s[k], 1.0, d));
            CHECK(wiot_price_exact(ctx, lu, s[k], 1.0, WIOT_METHOD_DENSE, d, p, NULL));
        }
        double tf = (now() - t0) / (double)FRESH * (double)M;
        struct {
            const char *way;
            double sec;
        } rows[3] = {{"batch API", tb}, {"one by one (shared LU)", t1}, {"fresh LU each (extrapolated)", tf}};
        for (int q = 0; q < 3; q++) {
            printf("%-38s %-30s %10.3f %12.0f %8.0fx\n", labels[w], rows[q].way, rows[q].sec,
                   (double)M / rows[q].sec, tf / rows[q].sec);
            if (csv)
                fprintf(csv, "%s,%s,%d,%s,%zu,%.6f,%.1f\n", labels[w], rows[q].way, omp_get_max_threads(),
                        openblas_get_corename(), M, rows[q].sec, (double)M / rows[q].sec);
        }
        wiot_result_free(res);
        wiot_batch_free(b);
        for (size_t q = 0; q < M; q++)
            wiot_schedule_free(s[q]);
        wiot_schedule_free(base);
    }
    if (csv)
        fclose(csv);
    free(s);
    free(d);
    free(p);
    wiot_scenarios_free(sc);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return 0;
}
