/* bench_ge.c -- general-equilibrium counterfactuals (wiot_ge_*, METHODS.md §6), timed in
 * one run: one WIOD 2011 counterfactual (iterative expenditure solve vs the dense LAPACK
 * solve of the same equilibrium, and vs numpy_ge.py at the same tolerance), a batch of
 * scenarios on 1 and 2 threads (equal to single solves), the CP2015 NAFTA case, and a
 * synthetic EXIOBASE-sized table (49 regions x 163 sectors).
 * usage: ./bench_ge [--python PY] [--no-exio]   (from bench/) */
#define _POSIX_C_SOURCE 200809L
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

#define CHECK(call)                                                                   \
    do {                                                                              \
        int rc_ = (call);                                                             \
        if (rc_) {                                                                    \
            fprintf(stderr, "bench_ge: %s: %s\n", #call, wiot_errmsg(ctx));           \
            exit(1);                                                                  \
        }                                                                             \
    } while (0)

static const double TH[35] = {9.11, 13.53, 2.62, 8.10, 8.10, 11.50, 16.52, 64.85, 3.13, 1.67,
                              2.41, 5.135, 1.45, 9.63, 8.22, 3.98, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
                              5, 5, 5, 5, 5, 5, 5, 5, 5};

static double best_solve(wiot_ctx *ctx, const wiot_ge_model *m, const wiot_schedule *s,
                         int linear, int reps, wiot_ge_result *r, wiot_ge_info *in)
{
    wiot_ge_options o;
    memset(&o, 0, sizeof o);
    o.linear = linear;
    double best = INFINITY;
    for (int k = 0; k < reps; k++) {
        double t0 = now();
        CHECK(wiot_ge_solve(ctx, m, s, NULL, &o, r, in));
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    return best;
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 11;
}
static double unif(uint64_t *s) { return (double)lcg(s) * 0x1.0p-53; }

int main(int argc, char **argv)
{
    const char *py = NULL;
    int exio = 1;
    for (int k = 1; k < argc; k++) {
        if (!strcmp(argv[k], "--python") && k + 1 < argc)
            py = argv[++k];
        else if (!strcmp(argv[k], "--no-exio"))
            exio = 0;
    }
    wiot_ctx *ctx;
    wiot_ctx_new(&ctx);
    int nt = omp_get_max_threads();
    printf("bench_ge: OpenBLAS core %s, %d threads (machine shared; ratios within one run)\n",
           openblas_get_corename(), nt);
    /* ---- WIOD 2011, US <-> China 25 % on goods */
    wiot_table *t;
    CHECK(wiot_table_load(ctx, "../data/wiod2013/wiot_2011.csv.gz", &t));
    double t0 = now();
    wiot_ge_model *m0, *m;
    CHECK(wiot_ge_model_new(ctx, t, TH, NULL, &m0, NULL));
    double tcal = now() - t0;
    wiot_ge_options oz;
    memset(&oz, 0, sizeof oz);
    oz.deficits = WIOT_GE_DEFICITS_ZERO;
    wiot_ge_info in;
    t0 = now();
    CHECK(wiot_ge_model_rebase(ctx, m0, &oz, &m, &in));
    double treb = now() - t0;
    wiot_schedule *s;
    CHECK(wiot_schedule_new(ctx, t, &s));
    size_t us = wiot_table_find_country(t, "USA"), cn = wiot_table_find_country(t, "CHN");
    for (size_t j = 0; j < 16; j++) {
        wiot_schedule_set(ctx, s, us, cn, j, 0.25);
        wiot_schedule_set(ctx, s, cn, us, j, 0.25);
    }
    wiot_ge_result *r;
    CHECK(wiot_ge_result_new(ctx, m0, &r));
    /* the fixed-deficit counterfactual from the calibrated data, as numpy_ge.py does */
    double tit = best_solve(ctx, m0, s, WIOT_GE_LINEAR_ITERATIVE, 5, r, &in);
    double w_us = wiot_ge_result_country(r, WIOT_GE_WELFARE)[us];
    printf("WIOD 2011 (41 x 35), US <-> China 25 %% on goods, deficits fixed:\n");
    printf("  calibration %.3f s; zero-deficit baseline %.3f s\n", tcal, treb);
    printf("  iterative expenditure solve: %.4f s (best of 5), %d wage iterations, %ld price + "
           "%ld expenditure sweeps, residual %.2g; US welfare %.6f %%\n", tit, in.iterations,
           in.price_iterations, in.linear_iterations, in.residual, 100 * w_us);
    wiot_ge_result *rd;
    CHECK(wiot_ge_result_new(ctx, m0, &rd));
    double tde = best_solve(ctx, m0, s, WIOT_GE_LINEAR_DENSE, 1, rd, &in);
    printf("  dense LAPACK expenditure solve (baseline): %.4f s, %d wage iterations; ratio "
           "dense / iterative %.1fx; |welfare difference| %.1e\n", tde, in.iterations, tde / tit,
           fabs(wiot_ge_result_country(rd, WIOT_GE_WELFARE)[us] - w_us));
    if (py) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "%s numpy_ge.py wiod 1e-12", py);
        FILE *p = popen(cmd, "r");
        double sec = -1;
        char line[512];
        while (p && fgets(line, sizeof line, p)) {
            if (sscanf(line, "numpy_ge_seconds wiod %lf", &sec) == 1)
                continue;
            printf("  | %s", line);
        }
        if (p)
            pclose(p);
        if (sec > 0)
            printf("  numpy (numpy_ge.py, same equations, same tolerance): %.2f s; ratio numpy / "
                   "wiot %.0fx\n", sec, sec / tit);
        else
            printf("  numpy figure skipped (%s cannot run numpy_ge.py)\n", py);
    }
    /* ---- batch: a sweep of the schedule's scale, 40 scenarios */
    enum { B = 40 };
    wiot_schedule *bs[B];
    wiot_ge_result *br[B];
    wiot_ge_info bi[B];
    for (int k = 0; k < B; k++) {
        CHECK(wiot_schedule_new(ctx, t, &bs[k]));
        CHECK(wiot_schedule_add(ctx, bs[k], s, 0.05 * (k + 1)));
        CHECK(wiot_ge_result_new(ctx, m, &br[k]));
    }
    double rate[3] = {0, 0, 0};
    for (int th = 1; th <= (nt >= 2 ? 2 : 1); th++) {
        wiot_ctx_set(ctx, WIOT_OPT_THREADS, th);
        t0 = now();
        CHECK(wiot_ge_solve_batch(ctx, m, B, (const wiot_schedule *const *)bs, NULL, NULL, br, bi,
                                  NULL));
        double sec = now() - t0;
        rate[th] = B / sec;
        printf("batch of %d scenarios (scale 0.05..2.0), %d thread%s: %.3f s, %.1f scenarios/s\n",
               B, th, th > 1 ? "s" : "", sec, rate[th]);
    }
    if (rate[2] > 0)
        printf("  speed-up 2 threads / 1: %.2fx\n", rate[2] / rate[1]);
    /* the batch equals single solves */
    int same = 1;
    for (int k = 0; k < B; k += 13) {
        CHECK(wiot_ge_solve(ctx, m, bs[k], NULL, NULL, r, &in));
        same &= !memcmp(wiot_ge_result_country(r, WIOT_GE_WELFARE),
                        wiot_ge_result_country(br[k], WIOT_GE_WELFARE), 41 * sizeof(double));
    }
    printf("  batch results equal single solves bit for bit: %s\n", same ? "yes" : "NO");
    wiot_ctx_set(ctx, WIOT_OPT_THREADS, 0);
    /* ---- CP2015 */
    wiot_ge_model *c0, *c;
    wiot_schedule *cfl;
    t0 = now();
    CHECK(wiot_ge_model_load_cp(ctx, "../data/cp2015", &c0, &cfl, NULL));
    double tload = now() - t0;
    t0 = now();
    CHECK(wiot_ge_model_rebase(ctx, c0, &oz, &c, &in));
    double tb = now() - t0;
    wiot_ge_result *cr;
    CHECK(wiot_ge_result_new(ctx, c, &cr));
    double tc = best_solve(ctx, c, cfl, WIOT_GE_LINEAR_ITERATIVE, 5, cr, &in);
    printf("CP2015 NAFTA (31 x 40): read %.3f s, zero-deficit baseline %.3f s, counterfactual "
           "%.4f s (%d wage iterations, residual %.2g)\n", tload, tb, tc, in.iterations, in.residual);
    /* ---- synthetic EXIOBASE-sized table */
    if (exio) {
        size_t C = 49, S = 163, n = C * S;
        double *Z = malloc(n * n * sizeof(double)), *F = malloc(n * C * sizeof(double));
        const char **cc = malloc(C * sizeof *cc), **sc = malloc(S * sizeof *sc);
        char *lab = malloc((C + S) * 8);
        if (!Z || !F || !cc || !sc || !lab)
            return 1;
        for (size_t k = 0; k < C; k++) {
            snprintf(lab + 8 * k, 8, "R%02zu", k);
            cc[k] = lab + 8 * k;
        }
        for (size_t k = 0; k < S; k++) {
            snprintf(lab + 8 * (C + k), 8, "S%03zu", k);
            sc[k] = lab + 8 * (C + k);
        }
        uint64_t seed = 12345;
        double *th = malloc(S * sizeof *th);
        for (size_t k = 0; k < S; k++)
            th[k] = 2 + 8 * unif(&seed);
        t0 = now();
        for (size_t j = 0; j < n; j++)
            for (size_t i = 0; i < n; i++) {
                int dom = i / S == j / S;
                Z[i + j * n] = unif(&seed) < (dom ? 0.5 : 0.05) ? (dom ? 2.0 : 0.2) * unif(&seed) : 0;
            }
        for (size_t d = 0; d < C; d++)
            for (size_t i = 0; i < n; i++)
                F[i + d * n] = (i / S == d ? 150.0 : 2.0) * unif(&seed);
        wiot_table_desc desc;
        memset(&desc, 0, sizeof desc);
        desc.countries = C;
        desc.sectors = S;
        desc.fd_categories = 1;
        desc.country_codes = cc;
        desc.sector_codes = sc;
        desc.Z = Z;
        desc.ldz = n;
        desc.F = F;
        desc.ldf = n;
        desc.name = "synthetic 49 x 163";
        wiot_table *et;
        CHECK(wiot_table_new(ctx, &desc, &et));
        free(Z);
        free(F);
        double tgen = now() - t0;
        t0 = now();
        wiot_ge_model *e0, *e;
        CHECK(wiot_ge_model_new(ctx, et, th, NULL, &e0, NULL));
        double tce = now() - t0;
        wiot_table_free(et);
        t0 = now();
        CHECK(wiot_ge_model_rebase(ctx, e0, &oz, &e, &in));
        double tbe = now() - t0;
        wiot_schedule *es;
        CHECK(wiot_ge_schedule_new(ctx, e, &es));
        for (size_t j = 0; j < S / 2; j++) {
            wiot_schedule_set(ctx, es, 0, 1, j, 0.25);
            wiot_schedule_set(ctx, es, 1, 0, j, 0.25);
        }
        wiot_ge_result *er;
        CHECK(wiot_ge_result_new(ctx, e, &er));
        t0 = now();
        CHECK(wiot_ge_solve(ctx, e, es, NULL, NULL, er, &in));
        double tse = now() - t0;
        printf("synthetic EXIOBASE-sized table (49 x 163, n = %zu): table %.2f s, calibration "
               "%.2f s, zero-deficit baseline %.2f s, counterfactual %.2f s (%d wage iterations, "
               "residual %.2g)\n", n, tgen, tce, tbe, tse, in.iterations, in.residual);
        wiot_ge_result_free(er);
        wiot_schedule_free(es);
        wiot_ge_model_free(e);
        wiot_ge_model_free(e0);
        free(th);
        free(lab);
        free(cc);
        free(sc);
    }
    wiot_stats st;
    wiot_ctx_stats(ctx, &st);
    for (int k = 0; k < B; k++) {
        wiot_schedule_free(bs[k]);
        wiot_ge_result_free(br[k]);
    }
    wiot_ge_result_free(cr);
    wiot_ge_model_free(c);
    wiot_ge_model_free(c0);
    wiot_schedule_free(cfl);
    wiot_ge_result_free(r);
    wiot_ge_result_free(rd);
    wiot_schedule_free(s);
    wiot_ge_model_free(m);
    wiot_ge_model_free(m0);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return 0;
}
