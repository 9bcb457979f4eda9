/* bench_gvc.c -- value chains on a table (default WIOD 2011): the workspace (copy,
 * LU, value-added origin, local factorizations), KWW, WWZ, Borin-Mancini and
 * positions, each the median of 5 runs, at 1 and 2 threads, with the BLAS core and
 * the peak memory. usage: bench_gvc [TABLE] [RESULTS.csv] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "wiot.h"

char *openblas_get_corename(void);

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define REPS 5
#define CHECK(call)                                                              \
    do {                                                                         \
        int rc_ = (call);                                                        \
        if (rc_) {                                                               \
            fprintf(stderr, "%s: %s\n", #call, wiot_errmsg(ctx));                \
            exit(1);                                                             \
        }                                                                        \
    } while (0)

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "../data/wiod2013/wiot_2011.csv.gz";
    const char *out = argc > 2 ? argv[2] : "results/gvc.csv";
    wiot_ctx *ctx = NULL;
    wiot_ctx_new(&ctx);
    wiot_table *t = NULL;
    CHECK(wiot_table_load(ctx, path, &t));
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t);
    double *w = malloc(n * C * 16 * sizeof *w), *k = malloc(C * 9 * sizeof *k), *p = malloc(n * 14 * sizeof *p);
    if (!w || !k || !p)
        return 1;
    FILE *f = fopen(out, "w");
    if (f)
        fprintf(f, "core,threads,n,step,median_s\n");
    printf("OpenBLAS core %s; %s, n = %zu, C = %zu; medians of %d runs\n", openblas_get_corename(), path, n, C,
           REPS);
    static const char *steps[] = {"workspace (copy, LU, W, local LUs)", "KWW (country)", "WWZ (16 terms)",
                                  "Borin-Mancini", "positions"};
    for (int th = 1; th <= 2; th++) {
        CHECK(wiot_ctx_set(ctx, WIOT_OPT_THREADS, th));
        double s[5][REPS];
        for (int r = 0; r < REPS; r++) {
            wiot_gvc *g = NULL;
            double t0 = now();
            CHECK(wiot_gvc_new(ctx, t, 0, &g));
            double t1 = now();
            CHECK(wiot_gvc_kww(ctx, g, k, C, NULL, 0, NULL));
            double t2 = now();
            CHECK(wiot_gvc_wwz(ctx, g, w, n * C, NULL));
            double t3 = now();
            CHECK(wiot_gvc_bm(ctx, g, w, n * C, NULL));
            double t4 = now();
            CHECK(wiot_gvc_positions(ctx, g, p, n));
            double t5 = now();
            s[0][r] = t1 - t0, s[1][r] = t2 - t1, s[2][r] = t3 - t2, s[3][r] = t4 - t3, s[4][r] = t5 - t4;
            wiot_gvc_free(g);
        }
        for (int q = 0; q < 5; q++) {
            qsort(s[q], REPS, sizeof(double), cmp);
            printf("threads %d  %-36s %8.4f s\n", th, steps[q], s[q][REPS / 2]);
            if (f)
                fprintf(f, "%s,%d,%zu,%s,%.4f\n", openblas_get_corename(), th, n, steps[q], s[q][REPS / 2]);
        }
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak resident memory %.0f MB (table %.0f MB, WWZ output %.0f MB included)\n", ru.ru_maxrss / 1024.0,
           8.0 * (double)(n * n + n * C * 5) / 1e6, 8.0 * (double)(n * C * 16) / 1e6);
    if (f)
        fclose(f);
    free(w), free(k), free(p);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return 0;
}
