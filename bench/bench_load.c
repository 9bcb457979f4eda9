/* bench_load.c -- speed of wiot_table_load on one file (gzip CSV, plain CSV or
 * binary .wiot): the first load in this process (fresh page tables, fresh heap) and
 * the median and minimum of the next REPS - 1 ("warm"). For text, MB/s of
 * uncompressed text. Loading is single-threaded.
 * usage: bench_load FILE [REPS]   e.g. bench_load ../data/wiod2013/wiot_2011.csv.gz 21
 * Run it once per fresh process to sample first loads (see README "Speed"). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

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

/* bytes of text in FILE (inflated if gzip), -1 for a .wiot file or an error */
static double text_bytes(const char *path)
{
    gzFile g = gzopen(path, "rb");
    if (!g)
        return -1;
    char buf[1 << 16];
    double total = 0;
    int r, first = 1;
    while ((r = gzread(g, buf, sizeof buf)) > 0) {
        if (first && r >= 4 && memcmp(buf, "WIOT", 4) == 0) {
            gzclose(g);
            return -1;
        }
        first = 0;
        total += r;
    }
    gzclose(g);
    return total;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_load FILE [REPS]\n");
        return 2;
    }
    const char *path = argv[1];
    int reps = argc > 2 ? atoi(argv[2]) : 11;
    if (reps < 1 || reps > 1000)
        reps = 11;
    wiot_ctx *ctx;
    if (wiot_ctx_new(&ctx))
        return 1;
    double *t = malloc((size_t)reps * sizeof *t);
    size_t n = 0;
    for (int r = 0; r < reps; r++) {
        wiot_table *tab = NULL;
        double t0 = now();
        int rc = wiot_table_load(ctx, path, &tab);
        t[r] = now() - t0;
        if (rc) {
            fprintf(stderr, "bench_load: %s\n", wiot_errmsg(ctx));
            return 1;
        }
        n = wiot_table_n(tab);
        wiot_table_free(tab);
    }
    double first = t[0], med = first, min = first;
    if (reps > 1) {
        qsort(t + 1, (size_t)reps - 1, sizeof *t, cmp);
        med = t[1 + (reps - 1) / 2];
        min = t[1];
    }
    double text = text_bytes(path);
    printf("%s: n = %zu; first %.2f ms, warm median %.2f ms, min %.2f ms (%d loads)", path, n,
           1e3 * first, 1e3 * med, 1e3 * min, reps);
    if (text > 0)
        printf("; %.1f MB of text: %.0f MB/s first, %.0f MB/s warm", text / 1e6, text / first / 1e6,
               text / med / 1e6);
    printf("\n");
    free(t);
    wiot_ctx_free(ctx);
    return 0;
}
