/* bench_leontief.c -- speed of the Leontief core on WIOD 2011 (n = 1435), reported
 * as seconds, GFLOP/s and the fraction of this machine's dgemm rate measured in the
 * same run, for 1 thread and all threads. Medians of REPS repetitions.
 * usage: bench_leontief [TABLE] [REPS]   (writes results/leontief.csv) */
#define _GNU_SOURCE
#include <cblas.h>
#include <omp.h>
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

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* dgemm rate at size m on the current thread count, GFLOP/s (median of reps) */
static double dgemm_rate(int m, int reps)
{
    double *A = malloc((size_t)m * m * sizeof *A), *B = malloc((size_t)m * m * sizeof *B),
           *C = malloc((size_t)m * m * sizeof *C);
    for (size_t i = 0; i < (size_t)m * m; i++) {
        A[i] = 1.0 / (double)(i % 97 + 1);
        B[i] = 1.0 / (double)(i % 89 + 2);
        C[i] = 0;
    }
    double t[32];
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, m, m, 1.0, A, m, B, m, 0.0, C, m);
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, m, m, 1.0, A, m, B, m, 0.0, C, m);
        t[r] = now() - t0;
    }
    free(A);
    free(B);
    free(C);
    return 2.0 * m * (double)m * m / median(t, reps) * 1e-9;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "../data/wiod2013/wiot_2011.csv.gz";
    int reps = argc > 2 ? atoi(argv[2]) : 7;
    if (reps < 1 || reps > 32)
        reps = 7;
    wiot_ctx *ctx;
    wiot_table *t;
    if (wiot_ctx_new(&ctx) || wiot_table_load(ctx, path, &t)) {
        fprintf(stderr, "bench: %s\n", wiot_errmsg(ctx));
        return 1;
    }
    const size_t n = wiot_table_n(t);
    double *L = malloc(n * n * sizeof *L);
    int maxt = omp_get_max_threads();
    FILE *csv = fopen("results/leontief.csv", "w");
    if (csv)
        fprintf(csv, "what,n,threads,core,seconds,gflops,fraction_of_dgemm\n");
    printf("wiot Leontief benchmark: %s, n = %zu, BLAS core %s, medians of %d\n", path, n,
           openblas_get_corename(), reps);
    printf("%-8s %-26s %10s %9s %10s\n", "threads", "step", "seconds", "GFLOP/s", "of dgemm");
    for (int th = 1; th <= maxt; th = th == maxt ? maxt + 1 : (th * 2 > maxt ? maxt : th * 2)) {
        omp_set_num_threads(th);
        wiot_ctx_set(ctx, WIOT_OPT_THREADS, th);
        double peak = dgemm_rate(2000, reps);
        double tl[32], tf[32], ti[32], tload[32], tr[32];
        wiot_info fi, ii;
        for (int r = 0; r < reps; r++) {
            wiot_table *t2;
            double t0 = now();
            if (wiot_table_load(ctx, path, &t2))
                return 1;
            tload[r] = now() - t0;
            wiot_table_free(t2);
            wiot_lu *lu;
            wiot_ctx_set(ctx, WIOT_OPT_RESIDUAL, r == 0);
            t0 = now();
            if (wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, &fi) || wiot_lu_inverse(ctx, lu, L, n, &ii))
                return 1;
            tl[r] = now() - t0;
            tf[r] = fi.seconds;
            ti[r] = ii.seconds;
            if (r == 0)
                tr[0] = ii.residual;
            wiot_lu_free(lu);
        }
        double res = tr[0];
        double n3 = (double)n * n * n;
        struct {
            const char *what;
            double sec, flops;
        } rows[] = {
            {"dgemm 2000 (peak)", 2.0 * 2000.0 * 2000 * 2000 / (peak * 1e9), 2.0 * 2000.0 * 2000 * 2000},
            {"load gz CSV", median(tload, reps), 0},
            {"LU (dgetrf of I-A)", median(tf, reps), 2.0 / 3 * n3},
            {"inverse (dgetri)", median(ti, reps), 4.0 / 3 * n3},
            {"Leontief L total", median(tl, reps), 2.0 * n3},
        };
        for (size_t q = 0; q < sizeof rows / sizeof *rows; q++) {
            double g = rows[q].flops > 0 ? rows[q].flops / rows[q].sec * 1e-9 : 0;
            printf("%-8d %-26s %10.4f %9.1f %9.0f%%\n", th, rows[q].what, rows[q].sec, g, 100 * g / peak);
            if (csv)
                fprintf(csv, "%s,%zu,%d,%s,%.6f,%.3f,%.4f\n", rows[q].what, n, th, openblas_get_corename(),
                        rows[q].sec, g, g / peak);
        }
        printf("%-8d residual ||(I-A)L - I||_max = %.2e\n", th, res);
    }
    if (csv)
        fclose(csv);
    free(L);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return 0;
}
