/* bench_leontief.c -- the wiot speed benchmark: the Leontief core on WIOD 2011
 * (n = 1435) and on synthetic world tables of n = 2464 (44 x 56, WIOD 2016's shape),
 * 4050 (81 x 50) and, with --large, 9800 (49 x 200, EXIOBASE's shape).
 *
 * Measured in one run, each with the BLAS core and thread count beside it:
 *  - this machine's dgemm rate (n = 2000) on 1 thread and on all threads: the
 *    reference every "fraction of dgemm" figure is relative to;
 *  - per table: technical coefficients, the LU (dgetrf), the explicit Leontief
 *    inverse by the recursive block algorithm (wiot_leontief, automatic path) and by
 *    LAPACK (wiot_leontief forced to dgetrf + dgetri, and plain LAPACKE_dgetrf_work +
 *    LAPACKE_dgetri_work on a preallocated, pre-touched buffer: the baseline), and
 *    numpy.linalg.inv on the same matrix (numpy_inverse.py reads I - A from a
 *    temporary binary file); one first-order and one exact tariff scenario (country
 *    0 taxes country 1 at 25 % on half the sectors; WIOD: USA on CHN); residuals
 *    ||(I - A)X - I||_max of every inverse, all evaluated by the same routine here,
 *    and the largest difference between the recursive and the LAPACK inverse;
 *  - peak resident memory of each step (getrusage; the high-water mark is reset
 *    between steps through /proc/self/clear_refs), in MB and in units of one n x n
 *    matrix of doubles;
 *  - thread scaling of the two inverses (1 thread vs all), n <= 4050.
 * Times are medians (and minima) of REPS repetitions: 7 at n = 1435, 5 at 2464, 3 at
 * 4050, 2 at 9800. Synthetic tables come from a fixed seed: every run times the same
 * matrices.
 *
 * usage: bench_leontief [--large] [--sizes N,N,...] [--no-numpy] [--no-scaling]
 *                       [--python PYTHON] [--csv FILE]   (default results/leontief.csv)
 */
#define _GNU_SOURCE
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "wiot.h"

#define MAXREP 16

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

/* median and minimum of v[0..n) (sorts v) */
static double median(double *v, int n, double *mn)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    if (mn)
        *mn = v[0];
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void die(const char *what, wiot_ctx *ctx)
{
    fprintf(stderr, "bench_leontief: %s: %s\n", what, ctx ? wiot_errmsg(ctx) : "failed");
    exit(1);
}
#define CHECK(call)                 \
    do {                            \
        if ((call) != WIOT_OK)      \
            die(#call, ctx);        \
    } while (0)

/* A matrix buffer: 2 MiB aligned, huge pages requested, touched once so that page
 * faults are not timed (PERFNOTES.md: 2.7 ms per MB otherwise). */
static double *dbuf(size_t count)
{
    size_t bytes = count * sizeof(double), al = (size_t)2 << 20;
    bytes = (bytes + al - 1) / al * al;
    void *p = NULL;
    if (posix_memalign(&p, al, bytes) != 0) {
        fprintf(stderr, "bench_leontief: out of memory (%zu bytes)\n", bytes);
        exit(1);
    }
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
    memset(p, 0, bytes);
    return p;
}

/* ---------------------------------------------------------------- memory */
static double g_rss0;   /* RSS when the current step began, MB */

static double rss_now_mb(void)
{
    long pages = 0, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return (double)res * (double)sysconf(_SC_PAGESIZE) / (1 << 20);
}

static void rss_reset(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f) {
        fputs("5", f);   /* reset the peak RSS to the current RSS (Linux >= 4.0) */
        fclose(f);
    }
    g_rss0 = rss_now_mb();
}

static double rss_peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* ---------------------------------------------------------------- output */
static const char *g_core;
static FILE *g_csv;
static double g_peak[2];   /* dgemm GFLOP/s on 1 thread, on all threads */
static int g_maxt;

typedef struct fig {
    const char *cas, *step, *note;
    size_t n;
    int threads, reps;
    double med, min, flops;
    double vs_lapacke, vs_numpy;   /* baseline seconds / this seconds; 0 = n/a */
    double residual;               /* < 0: n/a */
    double rss_mb;                 /* peak RSS of the step, MB; < 0: n/a */
    double rss_extra_mb;           /* peak minus RSS at the step's start, MB */
} fig;

static void emit(const fig *f)
{
    double peak = f->threads == 1 ? g_peak[0] : g_peak[1];
    double gf = f->flops > 0 && f->med > 0 ? f->flops / f->med * 1e-9 : 0;
    double nn = (double)f->n * (double)f->n * 8.0 / (1 << 20);
    char gfs[16] = "-", frs[16] = "-", vl[16] = "-", vn[16] = "-", rs[16] = "-", ms[32] = "-";
    if (gf > 0) {
        snprintf(gfs, sizeof gfs, "%.1f", gf);
        snprintf(frs, sizeof frs, "%.0f%%", 100 * gf / peak);
    }
    if (f->vs_lapacke > 0)
        snprintf(vl, sizeof vl, "%.2fx", f->vs_lapacke);
    if (f->vs_numpy > 0)
        snprintf(vn, sizeof vn, "%.2fx", f->vs_numpy);
    if (f->residual >= 0)
        snprintf(rs, sizeof rs, "%.1e", f->residual);
    if (f->rss_mb >= 0)
        snprintf(ms, sizeof ms, "%.0f (+%.2f)", f->rss_mb, f->rss_extra_mb / nn);
    printf("%-9s %5zu %-28s %s/%-2d %3d %9.4f %9.4f %7s %5s %7s %8s %8s %15s %s\n", f->cas, f->n,
           f->step, g_core, f->threads, f->reps, f->med, f->min, gfs, frs, vl, vn, rs, ms,
           f->note ? f->note : "");
    fflush(stdout);
    if (g_csv) {
        fprintf(g_csv, "%s,%zu,%s,%d,%s,%d,%.6f,%.6f,%.4g,%.3f,%.4f,%.3f,%.3f,%.3f,%.3e,%.1f,%.1f,%.3f,\"%s\"\n",
                f->cas, f->n, f->step, f->threads, g_core, f->reps, f->med, f->min, f->flops, gf,
                gf > 0 ? gf / peak : 0, peak, f->vs_lapacke, f->vs_numpy, f->residual, f->rss_mb,
                f->rss_mb >= 0 ? f->rss_extra_mb : -1, f->rss_mb >= 0 ? f->rss_extra_mb / nn : -1,
                f->note ? f->note : "");
        fflush(g_csv);
    }
}

static void header(void)
{
    printf("%-9s %5s %-28s %-10s %3s %9s %9s %7s %5s %7s %8s %8s %15s %s\n", "table", "n", "step",
           "core/thr", "rep", "median s", "min s", "GFLOP/s", "dgemm", "vs LAPK", "vs numpy",
           "residual", "peak MB (+n^2)", "note");
}

/* ---------------------------------------------------------------- dgemm */
static double dgemm_rate(int threads, int reps)
{
    const int m = 2000;
    double *A = dbuf((size_t)m * m), *B = dbuf((size_t)m * m), *C = dbuf((size_t)m * m);
    for (size_t i = 0; i < (size_t)m * m; i++) {
        A[i] = 1.0 / (double)(i % 97 + 1);
        B[i] = 1.0 / (double)(i % 89 + 2);
    }
    omp_set_num_threads(threads);
    double t[MAXREP], mn;
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, m, m, 1.0, A, m, B, m, 0.0, C, m);
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, m, m, 1.0, A, m, B, m, 0.0, C, m);
        t[r] = now() - t0;
    }
    free(A);
    free(B);
    free(C);
    double med = median(t, reps, &mn);
    double flops = 2.0 * m * (double)m * m;
    fig f = {"-", "dgemm 2000x2000", "reference rate", (size_t)m, threads, reps, med, mn, flops,
             0, 0, -1, -1, 0};
    g_peak[threads == 1 ? 0 : 1] = flops / med * 1e-9;
    emit(&f);
    return flops / med * 1e-9;
}

/* ------------------------------------------------------- synthetic tables */
static uint64_t g_rng;
static double urand(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return ((double)(g_rng >> 11) + 0.5) * 0x1.0p-53;
}
static double nrand(void) { return sqrt(-2 * log(urand())) * cos(6.283185307179586 * urand()); }

/* A world table of C countries x S sectors, K = 1, from a fixed seed:
 *  - gross outputs x lognormal (sd 1) times a country size (lognormal, sd 1);
 *  - one S x S "technology" pattern shared by all countries (skewed, 35 % zeros),
 *    perturbed per entry by a factor in [0.5, 1.5]; suppliers weighted by their size;
 *  - a domestic input share per column in [0.70, 0.92] (the domestic diagonal blocks
 *    hold most of the mass); imports spread over the other countries' sectors;
 *  - column sums of A drawn in [0.40, 0.65];
 *  - intermediate sales of a sector at most 90 % of its output: where they would be
 *    more, the sector's output (and its column of Z, A unchanged) is scaled up, a few
 *    sweeps until none is left;
 *  - final demand: the rest of the output, 85 % to the own country, 15 % spread over
 *    the others in proportion to their size.
 * Z, F are written directly; x = row sums (wiot_table_new). */
static wiot_table *synth_table(wiot_ctx *ctx, size_t C, size_t S, uint64_t seed)
{
    const size_t n = C * S;
    g_rng = seed;
    double *Z = malloc(n * n * sizeof *Z), *F = calloc(n * C, sizeof *F);
    double *xt = malloc(n * sizeof *xt), *tech = malloc(S * S * sizeof *tech);
    double *csize = malloc(C * sizeof *csize), *r = calloc(n, sizeof *r);
    if (!Z || !F || !xt || !tech || !csize || !r)
        die("synthetic table: out of memory", NULL);
    double tot = 0;
    for (size_t c = 0; c < C; c++) {
        csize[c] = exp(nrand());
        tot += csize[c];
    }
    for (size_t i = 0; i < n; i++)
        xt[i] = 1000.0 * csize[i / S] * exp(nrand());
    for (size_t k = 0; k < S * S; k++) {
        double u = urand();
        tech[k] = urand() < 0.35 ? 0.0 : u * u * u + 1e-3;
    }
    for (size_t j = 0; j < n; j++) {
        const size_t d = j / S, sj = j % S;
        const double dom = 0.70 + 0.22 * urand(), cs = 0.40 + 0.25 * urand();
        double *z = Z + j * n, sd = 0, sf = 0;
        for (size_t i = 0; i < n; i++) {
            double w = tech[(i % S) + sj * S] * (0.5 + urand()) * xt[i];
            z[i] = w;
            if (i / S == d)
                sd += w;
            else
                sf += w;
        }
        const double kd = sd > 0 ? dom * cs * xt[j] / sd : 0;
        const double kf = sf > 0 ? (1 - dom) * cs * xt[j] / sf : 0;
        for (size_t i = 0; i < n; i++)
            z[i] *= i / S == d ? kd : kf;
    }
    for (int sweep = 0; sweep < 8; sweep++) {
        memset(r, 0, n * sizeof *r);
        for (size_t j = 0; j < n; j++)
            for (size_t i = 0; i < n; i++)
                r[i] += Z[i + j * n];
        size_t changed = 0;
        for (size_t i = 0; i < n; i++)
            if (r[i] > 0.9 * xt[i]) {
                double f = r[i] / (0.9 * xt[i]);
                xt[i] *= f;
                for (size_t k = 0; k < n; k++)
                    Z[k + i * n] *= f;
                changed++;
            }
        if (!changed)
            break;
    }
    memset(r, 0, n * sizeof *r);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            r[i] += Z[i + j * n];
    for (size_t i = 0; i < n; i++) {
        const size_t c = i / S;
        double f = xt[i] - r[i];
        if (f < 0.1 * xt[i])
            f = 0.1 * xt[i];
        for (size_t d = 0; d < C; d++)
            F[i + d * n] = d == c ? 0.85 * f : 0.15 * f * csize[d] / (tot - csize[c]);
    }
    char (*cc)[24] = calloc(C, sizeof *cc), (*sc)[24] = calloc(S, sizeof *sc);
    const char **cp = calloc(C, sizeof *cp), **sp = calloc(S, sizeof *sp);
    for (size_t c = 0; c < C; c++) {
        snprintf(cc[c], sizeof cc[c], "C%03zu", c);
        cp[c] = cc[c];
    }
    for (size_t s = 0; s < S; s++) {
        snprintf(sc[s], sizeof sc[s], "s%03zu", s);
        sp[s] = sc[s];
    }
    char name[64];
    snprintf(name, sizeof name, "synthetic_%zux%zu", C, S);
    wiot_table_desc desc = {C, S, 1, cp, sp, NULL, Z, n, F, n, NULL, name};
    wiot_table *t = NULL;
    int rc = wiot_table_new(ctx, &desc, &t);
    free(Z);
    free(F);
    free(xt);
    free(tech);
    free(csize);
    free(r);
    free(cc);
    free(sc);
    free(cp);
    free(sp);
    if (rc)
        die("wiot_table_new", ctx);
    return t;
}

/* ------------------------------------------------------------ helpers */
/* M = I - A in M (ld n) */
static void form_system(wiot_ctx *ctx, const wiot_table *t, double *M)
{
    const size_t n = wiot_table_n(t);
    CHECK(wiot_coefficients(ctx, t, M, n));
    for (size_t j = 0; j < n; j++) {
        double *m = M + j * n;
        for (size_t i = 0; i < n; i++)
            m[i] = -m[i];
        m[j] += 1.0;
    }
}

/* ||(I - A) X - I||_max with A = Z diag(1/x), in column panels: X - Z (diag(1/x) X) - I.
 * The same evaluation for every inverse compared here. */
static double residual(const wiot_table *t, const double *X, int threads)
{
    const size_t n = wiot_table_n(t), nb = 256;
    const double *Z = wiot_table_Z(t), *x = wiot_table_x(t);
    double *Q = dbuf(n * nb), *P = dbuf(n * nb), worst = 0;
    omp_set_num_threads(threads);
    for (size_t j0 = 0; j0 < n; j0 += nb) {
        size_t w = n - j0 < nb ? n - j0 : nb;
        for (size_t j = 0; j < w; j++)
            for (size_t i = 0; i < n; i++)
                Q[i + j * n] = x[i] > 0 ? X[i + (j0 + j) * n] / x[i] : 0.0;
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)w, (int)n, 1.0, Z,
                    (int)n, Q, (int)n, 0.0, P, (int)n);
        for (size_t j = 0; j < w; j++)
            for (size_t i = 0; i < n; i++) {
                double e = fabs(X[i + (j0 + j) * n] - P[i + j * n] - (i == j0 + j ? 1.0 : 0.0));
                if (e > worst || e != e)
                    worst = e;
            }
    }
    free(Q);
    free(P);
    return worst;
}

static double max_rel_diff(const double *X, const double *Y, size_t count)
{
    double d = 0, m = 0;
    for (size_t k = 0; k < count; k++) {
        double a = fabs(X[k] - Y[k]);
        if (a > d || a != a)
            d = a;
        if (fabs(Y[k]) > m)
            m = fabs(Y[k]);
    }
    return m > 0 ? d / m : d;
}

/* plain LAPACKE dgetrf + dgetri, the baseline: I - A is rebuilt into X from the
 * table before the call (untimed), so only X (n^2), ipiv[n] and work[64 n] are held;
 * returns the seconds of the two LAPACK calls */
static double lapacke_once(wiot_ctx *ctx, const wiot_table *t, double *X, lapack_int *ipiv,
                           double *work, int threads)
{
    const size_t n = wiot_table_n(t);
    form_system(ctx, t, X);
    omp_set_num_threads(threads);
    double t0 = now();
    lapack_int info = LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)n, X,
                                          (lapack_int)n, ipiv);
    if (!info)
        info = LAPACKE_dgetri_work(LAPACK_COL_MAJOR, (lapack_int)n, X, (lapack_int)n, ipiv, work,
                                   (lapack_int)(64 * n));
    double secs = now() - t0;
    omp_set_num_threads(g_maxt);
    if (info)
        die("LAPACKE dgetrf/dgetri", NULL);
    return secs;
}

/* wiot_leontief once with a path and thread count (residual off); L is n x n.
 * returns info.seconds; *wall the whole call */
static double lib_once(wiot_ctx *ctx, const wiot_table *t, int path, int threads, double *L,
                       double *wall, int *method)
{
    const size_t n = wiot_table_n(t);
    CHECK(wiot_ctx_set(ctx, WIOT_OPT_INVERSE, path));
    CHECK(wiot_ctx_set(ctx, WIOT_OPT_THREADS, threads));
    CHECK(wiot_ctx_set(ctx, WIOT_OPT_RESIDUAL, 0));
    wiot_info info;
    double t0 = now();
    CHECK(wiot_leontief(ctx, t, L, n, &info));
    *wall = now() - t0;
    *method = info.method;
    CHECK(wiot_ctx_set(ctx, WIOT_OPT_THREADS, 0));
    CHECK(wiot_ctx_set(ctx, WIOT_OPT_INVERSE, WIOT_INVERSE_AUTO));
    return info.seconds;
}

/* the library's own residual of a path (one more call with WIOT_OPT_RESIDUAL = 1) */
static double lib_residual(wiot_ctx *ctx, const wiot_table *t, int path, double *L)
{
    wiot_info info;
    CHECK(wiot_ctx_set(ctx, WIOT_OPT_INVERSE, path));
    CHECK(wiot_ctx_set(ctx, WIOT_OPT_RESIDUAL, 1));
    CHECK(wiot_leontief(ctx, t, L, wiot_table_n(t), &info));
    CHECK(wiot_ctx_set(ctx, WIOT_OPT_INVERSE, WIOT_INVERSE_AUTO));
    return info.residual;
}

static void track_rss(double *peak, double *extra)
{
    double p = rss_peak_mb();
    if (p > *peak)
        *peak = p;
    if (p - g_rss0 > *extra)
        *extra = p - g_rss0;
}

/* numpy.linalg.inv on I - A written to a temporary file. Returns median seconds (0
 * when numpy is not available; *note says why). */
static const char *g_python = "python3";

static double numpy_inverse(wiot_ctx *ctx, const wiot_table *t, int threads, int reps,
                            double *mn, double *res, double *rss, double *rss0, char *note,
                            size_t notelen)
{
    const size_t n = wiot_table_n(t);
    char path[64];
    snprintf(path, sizeof path, "results/ia_%zu.tmp", n);
    double *M = dbuf(n * n);
    form_system(ctx, t, M);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(M, sizeof *M, n * n, f) != n * n) {
        snprintf(note, notelen, "skipped: cannot write %s", path);
        if (f)
            fclose(f);
        free(M);
        return 0;
    }
    fclose(f);
    free(M);
    char cmd[512], line[512];
    snprintf(cmd, sizeof cmd,
             "OMP_NUM_THREADS=%d OPENBLAS_NUM_THREADS=%d %s numpy_inverse.py %s %zu %d 2>&1",
             threads, threads, g_python, path, n, reps);
    FILE *p = popen(cmd, "r");
    double med = 0;
    snprintf(note, notelen, "skipped: python3/numpy_inverse.py gave no result");
    if (p) {
        while (fgets(line, sizeof line, p)) {
            char core[64] = "", ver[32] = "";
            if (sscanf(line, "RESULT %lf %lf %lf %lf %lf %63s %31s", &med, mn, res, rss, rss0, core,
                       ver) == 7)
                snprintf(note, notelen, "numpy %s, BLAS core %s", ver, core);
            else if (strncmp(line, "SKIP", 4) == 0) {
                line[strcspn(line, "\n")] = 0;
                snprintf(note, notelen, "skipped: %.100s", line + 5);
            }
        }
        pclose(p);
    }
    unlink(path);
    return med;
}

/* ------------------------------------------------------------ one table */
typedef struct bcase {
    const char *name;
    size_t C, S;        /* 0, 0: WIOD 2011 from file */
    int reps;
} bcase;

static void run_case(const bcase *bc, int use_numpy, int scaling)
{
    wiot_ctx *ctx = NULL;
    if (wiot_ctx_new(&ctx))
        die("wiot_ctx_new", NULL);
    wiot_table *t = NULL;
    const int T = g_maxt, reps = bc->reps;
    double t0 = now();
    const char *cas = bc->name;
    if (bc->C == 0) {
        CHECK(wiot_table_load(ctx, "../data/wiod2013/wiot_2011.csv.gz", &t));
    } else {
        t = synth_table(ctx, bc->C, bc->S, 0x5eed0000ULL + bc->C * 1000 + bc->S);
    }
    const double tload = now() - t0;
    const size_t n = wiot_table_n(t), nn = n * n;
    const double n3 = (double)n * n * n;
    const wiot_check *ck = wiot_table_check(t);
    {
        fig f = {cas, bc->C ? "generate table" : "load gz CSV", NULL, n, T, 1, tload, tload, 0, 0, 0,
                 -1, -1, 0};
        const double *x = wiot_table_x(t), *v = wiot_table_v(t);
        double cmin = 1;
        for (size_t j = 0; j < n; j++)
            if (x[j] > 0 && 1 - v[j] / x[j] < cmin)
                cmin = 1 - v[j] / x[j];
        char note[96];
        snprintf(note, sizeof note, "column sums of A in [%.3f, %.3f]", cmin, ck->max_colsum_A);
        f.note = note;
        emit(&f);
    }
    double tt[MAXREP], mn, med;

    /* numpy first, while this process holds only the table */
    double np_med = 0, np_min = 0, np_res = -1, np_rss = -1, np_rss0 = 0;
    char npnote[128] = "skipped (--no-numpy)";
    if (use_numpy)
        np_med = numpy_inverse(ctx, t, T, reps, &np_min, &np_res, &np_rss, &np_rss0, npnote,
                               sizeof npnote);

    /* coefficients */
    double *L = dbuf(nn);
    rss_reset();
    for (int r = 0; r < reps; r++) {
        double s0 = now();
        CHECK(wiot_coefficients(ctx, t, L, n));
        tt[r] = now() - s0;
    }
    med = median(tt, reps, &mn);
    fig fc = {cas, "coefficients A = Z/x", "n^2 flops", n, T, reps, med, mn, (double)nn, 0, 0, -1,
              rss_peak_mb(), rss_peak_mb() - g_rss0};
    emit(&fc);

    /* LU */
    wiot_lu *lu = NULL;
    rss_reset();
    for (int r = 0; r < reps; r++) {
        wiot_info info;
        if (lu)
            wiot_lu_free(lu);
        CHECK(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, &info));
        tt[r] = info.seconds;
    }
    med = median(tt, reps, &mn);
    fig fl = {cas, "LU (dgetrf of I-A)", "wiot_lu_new", n, T, reps, med, mn, 2.0 / 3.0 * n3, 0, 0,
              -1, rss_peak_mb(), rss_peak_mb() - g_rss0};
    emit(&fl);
    wiot_lu_free(lu);   /* rebuilt for the scenarios: keep the inverses' footprint small */
    lu = NULL;

    /* the inverses, interleaved (one repetition of each method per round) so that a
     * change of load on the machine hits all of them alike */
    const int do_lib = n < 5000;   /* the library's LAPACK path holds 3 more n x n blocks */
    double trec[MAXREP], twrec[MAXREP], tlib[MAXREP], twlib[MAXREP], tlpk[MAXREP];
    double pk_rec = 0, xk_rec = 0, pk_lib = -1, xk_lib = -1, pk_lpk = 0, xk_lpk = 0;
    int method = 0, method_lap = 0;
    double *X = dbuf(nn), *work = dbuf(64 * n);
    lapack_int *ipiv = malloc(n * sizeof *ipiv);
    for (int r = 0; r < reps; r++) {
        rss_reset();
        trec[r] = lib_once(ctx, t, WIOT_INVERSE_AUTO, T, L, &twrec[r], &method);
        track_rss(&pk_rec, &xk_rec);
        if (do_lib) {
            rss_reset();
            tlib[r] = lib_once(ctx, t, WIOT_INVERSE_LAPACK, T, X, &twlib[r], &method_lap);
            track_rss(&pk_lib, &xk_lib);
        }
        rss_reset();
        tlpk[r] = lapacke_once(ctx, t, X, ipiv, work, T);
        track_rss(&pk_lpk, &xk_lpk);
    }
    double rec_min, lib_min = 0, lpk_min, wmn;
    double rec = median(trec, reps, &rec_min), wall_rec = median(twrec, reps, &wmn);
    double lap_lib = do_lib ? median(tlib, reps, &lib_min) : 0;
    double wall_lap = do_lib ? median(twlib, reps, &wmn) : 0;
    double lpk = median(tlpk, reps, &lpk_min);
    double res_rec = residual(t, L, T), res_lpk = residual(t, X, T);
    double diff = max_rel_diff(L, X, nn);
    double lib_res_rec = -1, lib_res_lap = -1;
    if (do_lib) {   /* the library's own residuals (2n^3 more flops each) */
        lib_res_rec = lib_residual(ctx, t, WIOT_INVERSE_AUTO, L);
        lib_res_lap = lib_residual(ctx, t, WIOT_INVERSE_LAPACK, X);
    }

    char note[200];
    snprintf(note, sizeof note, "method %d; wall %.4f s; library residual %.1e; max|L-L_lapack|/max|L| %.1e",
             method, wall_rec, lib_res_rec, diff);
    fig fr = {cas, "inverse recursive (wiot)", note, n, T, reps, rec, rec_min, 2 * n3, lpk / rec,
              np_med > 0 ? np_med / rec : 0, res_rec, pk_rec, xk_rec};
    emit(&fr);
    if (do_lib) {
        char note2[160];
        snprintf(note2, sizeof note2, "method %d; wall %.4f s; library residual %.1e", method_lap,
                 wall_lap, lib_res_lap);
        fig fw = {cas, "inverse LAPACK path (wiot)", note2, n, T, reps, lap_lib, lib_min, 2 * n3,
                  lpk / lap_lib, np_med > 0 ? np_med / lap_lib : 0, -1, pk_lib, xk_lib};
        emit(&fw);
    }
    fig fp = {cas, "inverse LAPACKE getrf+getri", "baseline: preallocated buffers", n, T, reps, lpk,
              lpk_min, 2 * n3, 1.0, np_med > 0 ? np_med / lpk : 0, res_lpk, pk_lpk, xk_lpk};
    emit(&fp);
    {
        char note3[200];
        snprintf(note3, sizeof note3, "%s; residual by numpy (M@X - I)", npnote);
        fig fn = {cas, "inverse numpy.linalg.inv", note3, n, T, np_med > 0 ? reps : 0, np_med, np_min,
                  2 * n3, np_med > 0 ? lpk / np_med : 0, np_med > 0 ? 1.0 : 0, np_res, np_rss,
                  np_rss - np_rss0};
        emit(&fn);
    }

    /* thread scaling: 1 thread vs all, interleaved as above */
    if (scaling && T > 1) {
        int r1 = reps < 3 ? reps : 3, m1;
        double t1[MAXREP], l1[MAXREP], w1, mn1, lmn1;
        for (int r = 0; r < r1; r++) {
            t1[r] = lib_once(ctx, t, WIOT_INVERSE_AUTO, 1, L, &w1, &m1);
            l1[r] = lapacke_once(ctx, t, X, ipiv, work, 1);
        }
        double rec1 = median(t1, r1, &mn1), lpk1 = median(l1, r1, &lmn1);
        char s1[96], s2[96];
        snprintf(s1, sizeof s1, "speed-up 1 -> %d threads: %.2fx", T, rec1 / rec);
        snprintf(s2, sizeof s2, "speed-up 1 -> %d threads: %.2fx", T, lpk1 / lpk);
        fig g1 = {cas, "inverse recursive (wiot)", s1, n, 1, r1, rec1, mn1, 2 * n3, lpk1 / rec1, 0, -1, -1, 0};
        fig g2 = {cas, "inverse LAPACKE getrf+getri", s2, n, 1, r1, lpk1, lmn1, 2 * n3, 1.0, 0, -1, -1, 0};
        emit(&g1);
        emit(&g2);
    }
    free(ipiv);
    free(work);
    free(X);
    free(L);

    /* scenarios: one country taxes another at 25 % on half the sectors */
    size_t C = wiot_table_countries(t), S = wiot_table_sectors(t);
    size_t imp = wiot_table_find_country(t, "USA"), tgt = wiot_table_find_country(t, "CHN");
    if (imp == (size_t)-1 || tgt == (size_t)-1) {
        imp = 0;
        tgt = 1 % C;
    }
    wiot_schedule *s = NULL;
    wiot_result *res = NULL;
    CHECK(wiot_schedule_new(ctx, t, &s));
    for (size_t k = 0; k < S / 2 + S % 2; k++)
        CHECK(wiot_schedule_set(ctx, s, imp, tgt, k, 0.25));
    CHECK(wiot_result_new(ctx, t, &res));
    CHECK(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL));
    char snote[160];
    snprintf(snote, sizeof snote, "%s taxes %s 25%% on %zu of %zu sectors", wiot_table_country(t, imp),
             wiot_table_country(t, tgt), S / 2 + S % 2, S);
    int sreps = reps * 3 > MAXREP ? MAXREP : reps * 3;
    rss_reset();
    for (int r = 0; r < sreps; r++) {
        double s0 = now();
        CHECK(wiot_tariff(ctx, lu, s, 1.0, WIOT_FIRST_ORDER, res));
        tt[r] = now() - s0;
    }
    med = median(tt, sreps, &mn);
    fig f1 = {cas, "scenario first-order", snote, n, T, sreps, med, mn, 2.0 * (double)nn, 0, 0, -1,
              rss_peak_mb(), rss_peak_mb() - g_rss0};
    emit(&f1);
    rss_reset();
    double eflops = 0;
    int emethod = 0;
    size_t erank = 0;
    for (int r = 0; r < sreps; r++) {
        double s0 = now();
        CHECK(wiot_tariff(ctx, lu, s, 1.0, WIOT_EXACT, res));
        tt[r] = now() - s0;
        const wiot_result_summary *sm = wiot_result_summary_get(res);
        eflops = sm->exact.flops;
        emethod = sm->exact.method;
        erank = sm->exact.rank;
    }
    med = median(tt, sreps, &mn);
    char enote[200];
    snprintf(enote, sizeof enote, "%s; method %d rank %zu", snote, emethod, erank);
    fig f2 = {cas, "scenario exact", enote, n, T, sreps, med, mn, eflops, 0, 0, -1, rss_peak_mb(), rss_peak_mb() - g_rss0};
    emit(&f2);

    wiot_result_free(res);
    wiot_schedule_free(s);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    int large = 0, use_numpy = 1, scaling = 1;
    const char *csv = "results/leontief.csv", *sizes = NULL;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--large"))
            large = 1;
        else if (!strcmp(argv[a], "--no-numpy"))
            use_numpy = 0;
        else if (!strcmp(argv[a], "--no-scaling"))
            scaling = 0;
        else if (!strcmp(argv[a], "--python") && a + 1 < argc)
            g_python = argv[++a];
        else if (!strcmp(argv[a], "--csv") && a + 1 < argc)
            csv = argv[++a];
        else if (!strcmp(argv[a], "--sizes") && a + 1 < argc)
            sizes = argv[++a];
        else {
            fprintf(stderr, "usage: bench_leontief [--large] [--sizes N,N,...] [--no-numpy] "
                            "[--no-scaling] [--python PYTHON] [--csv FILE]\n");
            return 2;
        }
    }
    static const bcase cases[] = {
        {"wiod2011", 0, 0, 7},
        {"synth", 44, 56, 5},     /* 2464: WIOD 2016's shape */
        {"synth", 81, 50, 3},     /* 4050 */
        {"synth", 49, 200, 2},    /* 9800: EXIOBASE's shape */
    };
    g_core = openblas_get_corename();
    g_maxt = omp_get_max_threads();
    const char *env = getenv("OPENBLAS_CORETYPE");
    printf("wiot benchmark: BLAS core %s (OPENBLAS_CORETYPE=%s), %d threads, %s\n", g_core,
           env ? env : "unset", g_maxt, openblas_get_config());
    printf("medians (and minima) of the repetitions; GFLOP/s from nominal flops (inverse 2n^3, "
           "LU 2n^3/3); 'dgemm' = fraction of the dgemm rate on the same thread count;\n"
           "'vs LAPK' / 'vs numpy' = baseline seconds / these seconds; residual "
           "||(I-A)X - I||_max (all but numpy's by one routine: X - Z diag(1/x) X - I);\n"
           "peak MB = peak resident memory of the process during the step (+ its growth during "
           "the step, in n x n matrices of doubles)\n\n");
    g_csv = fopen(csv, "w");
    if (!g_csv)
        fprintf(stderr, "bench_leontief: cannot write %s; printing only\n", csv);
    else
        fprintf(g_csv, "table,n,step,threads,core,reps,seconds_median,seconds_min,flops,gflops,"
                       "fraction_of_dgemm,dgemm_gflops,vs_lapacke,vs_numpy,residual,peak_rss_mb,extra_rss_mb,"
                       "extra_rss_n2,note\n");
    header();
    dgemm_rate(1, 5);
    dgemm_rate(g_maxt, 5);
    omp_set_num_threads(g_maxt);
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        size_t n = cases[k].C ? cases[k].C * cases[k].S : 1435;
        int want;
        if (sizes) {
            char buf[16];
            snprintf(buf, sizeof buf, "%zu", n);
            const char *p = strstr(sizes, buf);
            size_t bl = strlen(buf);
            want = p && (p == sizes || p[-1] == ',') && (p[bl] == 0 || p[bl] == ',');
        } else {
            want = n < 9000 || large;
        }
        if (want)
            run_case(&cases[k], use_numpy, scaling && n <= 4050);
    }
    if (g_csv)
        fclose(g_csv);
    return 0;
}
