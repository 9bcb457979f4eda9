/* bench_satellite.c -- satellite accounts on WIOD 2011 (n = 1435, C = 41, K = 5) with
 * synthetic extensions of p stressors (fixed seed): multipliers M = S L by one
 * transposed solve with p right-hand sides (wiot_ext_multipliers) against the
 * explicit route (L = (I - A)^{-1} by wiot_leontief, then S L by dgemm), and the
 * footprints (wiot_footprint: one solve with C right-hand sides; with categories CK;
 * wiot_footprint_sectors: pC), each as a ratio to the LU factorization measured in the
 * same run. Medians of REPS runs. Prints the BLAS core and thread count.
 * usage: bench_satellite [TABLE]   (default ../data/wiod2013/wiot_2011.csv.gz) */
#define _GNU_SOURCE
#include <cblas.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wiot.h"

#define REPS 5

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

#define CHECK(x) do { int rc_ = (x); if (rc_) { fprintf(stderr, "%s: %s\n", #x, wiot_errmsg(ctx)); return 1; } } while (0)

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "../data/wiod2013/wiot_2011.csv.gz";
    wiot_ctx *ctx;
    wiot_table *t;
    if (wiot_ctx_new(&ctx))
        return 1;
    wiot_ctx_set(ctx, WIOT_OPT_RESIDUAL, 0);   /* time the computations, not the checks */
    CHECK(wiot_table_load(ctx, path, &t));
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), K = wiot_table_fd_categories(t);
    printf("satellite accounts on %s: n = %zu, C = %zu, K = %zu; BLAS core %s, %d threads\n", path, n, C, K,
           openblas_get_corename(), omp_get_max_threads());
    double tl[REPS];
    wiot_lu *lu = NULL;
    for (int r = 0; r < REPS; r++) {
        wiot_lu_free(lu);
        double t0 = now();
        CHECK(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL));
        tl[r] = now() - t0;
    }
    const double lu_s = median(tl, REPS);
    double *L = malloc(n * n * sizeof *L);
    double ti[REPS];
    for (int r = 0; r < REPS; r++) {
        double t0 = now();
        CHECK(wiot_leontief(ctx, t, L, n, NULL));
        ti[r] = now() - t0;
    }
    const double inv_s = median(ti, REPS);
    printf("baseline: LU of I - A %.4f s; explicit L (wiot_leontief) %.4f s = %.2f x LU\n", lu_s, inv_s,
           inv_s / lu_s);
    printf("%6s %12s %12s %12s %12s %12s %12s\n", "p", "M solves", "M via L", "footprint", "+categories",
           "by sector", "max|dM|");
    const size_t ps[] = {1, 5, 64};
    srand(18);
    for (size_t q = 0; q < sizeof ps / sizeof *ps; q++) {
        const size_t p = ps[q];
        double *F = malloc(p * n * sizeof *F), *M = malloc(p * n * sizeof *M), *M2 = malloc(p * n * sizeof *M2);
        double *S = malloc(p * n * sizeof *S), *acc = malloc(p * 4 * C * sizeof *acc);
        double *cat = malloc(p * C * K * sizeof *cat), *D = malloc(p * 4 * n * sizeof *D);
        const char **nm = malloc(p * sizeof *nm), **un = malloc(p * sizeof *un);
        char (*names)[24] = malloc(p * sizeof *names);
        for (size_t k = 0; k < p; k++) {
            snprintf(names[k], sizeof names[k], "s%zu", k);
            nm[k] = names[k];
            un[k] = "t";
        }
        for (size_t i = 0; i < p * n; i++)
            F[i] = (double)rand() / RAND_MAX * wiot_table_x(t)[(i / p)] * 1e-3;
        wiot_extension *e;
        CHECK(wiot_extension_new(ctx, t, p, nm, un, F, p, NULL, 0, &e));
        double a[REPS], b[REPS], c[REPS], d[REPS], f[REPS];
        for (int r = 0; r < REPS; r++) {
            double t0 = now();
            CHECK(wiot_ext_multipliers(ctx, lu, e, M, p, NULL));
            a[r] = now() - t0;
            t0 = now();   /* explicit route: L already formed above (its cost is inv_s) */
            CHECK(wiot_ext_intensities(ctx, t, e, S, p));
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)p, (int)n, (int)n, 1.0, S, (int)p, L,
                        (int)n, 0.0, M2, (int)p);
            b[r] = now() - t0 + inv_s;
            t0 = now();
            CHECK(wiot_footprint(ctx, lu, e, acc, p, NULL, 0, NULL));
            c[r] = now() - t0;
            t0 = now();
            CHECK(wiot_footprint(ctx, lu, e, acc, p, cat, p, NULL));
            d[r] = now() - t0;
            t0 = now();
            CHECK(wiot_footprint_sectors(ctx, lu, e, D, p, NULL));
            f[r] = now() - t0;
        }
        double dm = 0, mm = 0;
        for (size_t i = 0; i < p * n; i++) {
            double x = M[i] - M2[i];
            dm = x > dm ? x : -x > dm ? -x : dm;
            mm = M[i] > mm ? M[i] : mm;
        }
        printf("%6zu %10.4f s %10.4f s %10.4f s %10.4f s %10.4f s %12.2g  (seconds)\n", p, median(a, REPS),
               median(b, REPS), median(c, REPS), median(d, REPS), median(f, REPS), dm / mm);
        printf("%6s %11.3fx %11.3fx %11.3fx %11.3fx %11.3fx  (ratio to one LU)\n", "", median(a, REPS) / lu_s,
               median(b, REPS) / lu_s, median(c, REPS) / lu_s, median(d, REPS) / lu_s, median(f, REPS) / lu_s);
        wiot_extension_free(e);
        free(F); free(M); free(M2); free(S); free(acc); free(cat); free(D); free(nm); free(un); free(names);
    }
    free(L);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return 0;
}
