/* cmd_model.c -- wiot leontief (inverse with residual, flops, GFLOP/s) and wiot
 * multipliers (output multipliers and linkages). */
#define _GNU_SOURCE
#include "wiot.h"

#include <cblas.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_data.h"


/* ---------------------------------------------------------------- leontief */
/* the options leontief accepts beyond --format, --keep-splits, --max-memory, --help */
/* the options multipliers accepts beyond --format, --keep-splits, --max-memory, --help */
const char *const MULTIPLIERS_OPTS = ",t,o,threads,top,extensions,extensions-fd,extension,";
const char *const LEONTIEF_OPTS = ",t,o,ghosh,inverse,threads,";
const char *const LEONTIEF_HELP =
    "usage: wiot leontief [-t TABLE] [-o FILE] [--ghosh] [--inverse auto|lapack|recursive]\n"
    "                     [--threads N]\n"
    "Computes the Leontief inverse L = (I - A)^-1 (or, with --ghosh, the Ghosh inverse\n"
    "G = (I - B)^-1) and prints the method, the residual ||(I - A)L - I||_max, flops,\n"
    "seconds and GFLOP/s.\n"
    "  --inverse    auto (default): recursive 2 x 2 block inversion, nearly all flops in\n"
    "               dgemm, when I - A is diagonally dominant (every column sum of A < 1;\n"
    "               for --ghosh every row sum of B), else LAPACK dgetrf + dgetri;\n"
    "               lapack: always dgetrf + dgetri; recursive: always the block method\n"
    "  -o FILE      write the inverse as a labelled CSV (row label, then n columns)\n";

typedef struct matrix_csv {
    const wiot_table *t;
    const double *M;
} matrix_csv;

static int write_matrix(FILE *f, void *ud)
{
    const matrix_csv *m = ud;
    const size_t n = wiot_table_n(m->t), S = wiot_table_sectors(m->t);
    fputs("label", f);
    for (size_t j = 0; j < n; j++)
        fprintf(f, ",%s_%s", wiot_table_country(m->t, j / S), wiot_table_sector(m->t, j % S));
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s_%s", wiot_table_country(m->t, i / S), wiot_table_sector(m->t, i % S));
        for (size_t j = 0; j < n; j++)
            fprintf(f, ",%.17g", m->M[i + j * n]);
        fputc('\n', f);
    }
    return ferror(f) ? 1 : 0;
}

int cmd_leontief(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("leontief", argc, argv, &o, LEONTIEF_OPTS, LEONTIEF_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    wiot_ctx *ctx;
    wiot_table *t = NULL;
    double lsecs;
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, &lsecs))) {
        wiot_ctx_free(ctx);
        return rc;
    }
    const size_t n = wiot_table_n(t);
    double *L = malloc((n ? n * n : 1) * sizeof *L);
    if (!L) {
        fprintf(stderr, "wiot: out of memory for a %zu x %zu matrix\n", n, n);
        wiot_table_free(t);
        wiot_ctx_free(ctx);
        return 1;
    }
    wiot_info inv;
    rc = wiot_ctx_set(ctx, WIOT_OPT_INVERSE, o.inverse);
    if (!rc)
        rc = o.ghosh ? wiot_ghosh(ctx, t, L, n, &inv) : wiot_leontief(ctx, t, L, n, &inv);
    if (rc) {
        rc = fail(ctx, rc);
    } else {
        int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
        printf("%s inverse of %s: n = %zu\n", o.ghosh ? "Ghosh" : "Leontief", wiot_table_name(t), n);
        printf("  residual ||(I - %s)%s - I||_max = %.3g\n", o.ghosh ? "B" : "A", o.ghosh ? "G" : "L",
               inv.residual);
        printf("  %s: %.4f s, %.3g flops, %.1f GFLOP/s\n",
               inv.method == WIOT_METHOD_RECURSIVE ? "recursive block inverse (dgemm)"
                                                   : "LAPACK dgetrf + dgetri",
               inv.seconds, inv.flops, inv.seconds > 0 ? inv.flops / inv.seconds * 1e-9 : 0.0);
        printf("  threads %d, BLAS core %s; load %.3f s, residual check %.4f s; peak memory %.0f MB\n",
               threads, openblas_get_corename(), lsecs, inv.residual_seconds, cli_peak_mb());
        if (o.out) {
            matrix_csv m = {t, L};
            if (write_atomic(o.out, write_matrix, &m))
                rc = 1;
            else
                printf("  wrote %s\n", o.out);
        }
    }
    free(L);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}

/* ------------------------------------------------------------- multipliers */
const char *const MULT_HELP =
    "usage: wiot multipliers [-t TABLE] [-o FILE] [--threads N] [--top K]\n"
    "       wiot multipliers [-t TABLE] [--extensions FILE] --extension NAME [-o FILE] [--top K]\n"
    "Output multipliers (column sums of L), normalised backward linkages and\n"
    "normalised Ghosh forward linkages (Miller & Blair ch. 12), by solves with the\n"
    "LU of I - A (no explicit inverse). Prints the top K; -o writes every\n"
    "country-sector as CSV: country,sector,output_multiplier,backward_linkage,\n"
    "forward_linkage,direct_backward,direct_forward.\n"
    "With --extension NAME (a stressor of --extensions FILE, or of the table's own\n"
    "primary-input rows; '*' for all): the stressor's intensity S, multiplier M = S L and\n"
    "downstream multiplier S (G^T - I) (kernel/METHODS.md §8; see 'wiot footprint --help'\n"
    "for the file layouts); -o writes stressor,unit,country,sector,intensity,multiplier,\n"
    "downstream.\n"
    "  --extensions FILE  stressors (wide or tidy CSV; --extensions-fd FILE: final demand's)\n";

typedef struct mult_csv {
    const wiot_table *t;
    const double *m, *bl, *fl, *db, *df;
} mult_csv;

static int write_mult(FILE *f, void *ud)
{
    const mult_csv *m = ud;
    const size_t n = wiot_table_n(m->t), S = wiot_table_sectors(m->t);
    fputs("country,sector,output_multiplier,backward_linkage,forward_linkage,direct_backward,"
          "direct_forward\n", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s,%s,%s,%s,%s,%s,%s\n", wiot_table_country(m->t, i / S),
                wiot_table_sector(m->t, i % S), G(m->m[i]), G(m->bl[i]), G(m->fl[i]), G(m->db[i]), G(m->df[i]));
    return ferror(f) ? 1 : 0;
}

int cmd_multipliers(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("multipliers", argc, argv, &o, MULTIPLIERS_OPTS, MULT_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (o.extension || o.extensions || o.extensions_fd)
        return ext_multipliers(&o);   /* cmd_footprint.c */
    wiot_ctx *ctx;
    wiot_table *t = NULL;
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, NULL))) {
        wiot_ctx_free(ctx);
        return rc;
    }
    const size_t n = wiot_table_n(t), S = wiot_table_sectors(t);
    double *buf = malloc(5 * (n ? n : 1) * sizeof *buf);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    wiot_lu *lu = NULL;
    if (!buf || !idx) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
        goto done;
    }
    double *m = buf, *bl = m + n, *fl = bl + n, *db = fl + n, *df = db + n;
    if ((rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL)) ||
        (rc = wiot_multipliers(ctx, lu, m, bl, fl))) {
        rc = fail(ctx, rc);
        goto done;
    }
    const double *Z = wiot_table_Z(t), *x = wiot_table_x(t), *v = wiot_table_v(t);
    for (size_t i = 0; i < n; i++) {
        db[i] = x[i] > 0 ? 1.0 - v[i] / x[i] : 0.0;
        double r = 0;
        for (size_t j = 0; j < n; j++)
            r += Z[i + j * n];
        df[i] = x[i] > 0 ? r / x[i] : 0.0;
    }
    /* zero-output sectors (multiplier 1, linkages of an empty column) are no real
     * industries: left out of the ranking, kept in the CSV */
    size_t nzero = 0;
    double *key = df;   /* df is filled after the sort */
    for (size_t i = 0; i < n; i++) {
        key[i] = x[i] > 0 ? m[i] : -INFINITY;
        nzero += !(x[i] > 0);
    }
    sort_desc(idx, n, key);
    for (size_t i = 0; i < n; i++) {
        db[i] = x[i] > 0 ? 1.0 - v[i] / x[i] : 0.0;
        double r = 0;
        for (size_t j = 0; j < n; j++)
            r += Z[i + j * n];
        df[i] = x[i] > 0 ? r / x[i] : 0.0;
    }
    size_t ranked = n - nzero;
    size_t top = (size_t)o.top < ranked ? (size_t)o.top : ranked;
    printf("Output multipliers of %s (top %zu of %zu", wiot_table_name(t), top, ranked);
    if (nzero)
        printf("; %zu zero-output sectors left out of the ranking", nzero);
    printf(")\n");
    printf("  %-12s %-45s %10s %9s %9s\n", "country-sec", "sector", "multiplier", "backward", "forward");
    for (size_t q = 0; q < top; q++) {
        size_t i = idx[q];
        char label[64], nb[128];
        snprintf(label, sizeof label, "%s_%s", wiot_table_country(t, i / S), wiot_table_sector(t, i % S));
        const char *nm = sector_name(wiot_table_sector(t, i % S), nb, sizeof nb);
        printf("  %-12s %-45.45s %10.4f %9.4f %9.4f\n", label, nm ? nm : "", m[i], bl[i], fl[i]);
    }
    if (o.out) {
        mult_csv mc = {t, m, bl, fl, db, df};
        if (write_atomic(o.out, write_mult, &mc))
            rc = 1;
        else
            printf("wrote %s\n", o.out);
    }
done:
    free(buf);
    free(idx);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}

