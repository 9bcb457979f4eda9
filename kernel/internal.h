/* internal.h -- private declarations shared by the library's modules. Not installed. */
#ifndef WIOT_INTERNAL_H
#define WIOT_INTERNAL_H

#define WIOT_BUILDING 1
#include "wiot.h"

#include <stdarg.h>
#include <stdint.h>
#include <lapacke.h>

#define WI_MSG_MAX 1024

/* A context: allocator, options, last message, statistics. Handles keep a copy of
 * the allocator only, so they may outlive the context that created them. */
struct wiot_ctx {
    wiot_allocator a;
    int threads;              /* 0 = omp_get_max_threads() */
    int keep_splits;          /* WIOT_OPT_KEEP_SPLITS (formats.c) */
    int in_formats;           /* set while formats.c calls the native loader */
    double row_tol_rel, row_tol_abs;
    int residual;
    int hugepages;
    int inverse;              /* WIOT_OPT_INVERSE: enum wiot_inverse_path (0 = auto) */
    wiot_log_fn log;
    void *log_ud;
    wiot_progress_fn progress;
    void *progress_ud;
    char msg[WI_MSG_MAX];
    wiot_stats stats;
    size_t max_memory;        /* WIOT_OPT_MAX_MEMORY (0 = none) */
    size_t mem_avail;         /* memory available to the process, found at creation */
};

struct wiot_table {
    wiot_allocator a;
    size_t C, S, K, n;
    char **country;           /* C codes */
    char **sector;            /* S codes */
    char **fdcat;             /* K codes */
    double *Z;                /* n x n, ld n */
    double *F;                /* n x C*K, ld n (NULL when K == 0) */
    double *x, *v;            /* n */
    char *name;
    int year;
    wiot_check check;
    char **warn;              /* check.warnings messages */
    struct wi_ext *ext;       /* units, source and extras of provider layouts (formats.h),
                                 or NULL; they live in the block of name */
    void *map;                /* a .wiot file mapped read-only (Z, F, x point into it;
                                 wiot_table_free unmaps it), or NULL */
    size_t map_len;
    int borrowed;             /* Z, F, x point into the caller's memory
                                 (wiot_table_load_static): never freed here */
};

struct wiot_lu {
    wiot_allocator a;
    const wiot_table *t;
    int model;
    size_t n;
    double *lu;               /* n x n factors, ld n */
    lapack_int *ipiv;
    /* a factorization held elsewhere (MPI, wiot_mpi.h): solves go through this hook
     * and lu/ipiv are NULL */
    int (*solve)(void *ud, wiot_ctx *ctx, int trans, size_t nrhs, double *B, size_t ldb);
    void *solve_ud;
};

struct wiot_schedule {
    wiot_allocator a;
    size_t C, S;
    double *rate;             /* (d*C + c)*S + s: the whole price wedge */
    double *ntb;              /* NULL, or the part of rate that is a non-tariff barrier's ad
                                 valorem equivalent: it raises prices like a tariff but
                                 raises no revenue (wi_revenue leaves it out) */
};

/* ---- errors and messages (ctx.c) */
/* The one place every error goes through: sets ctx->msg and returns rc. */
int wi_error(wiot_ctx *ctx, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void wi_clear(wiot_ctx *ctx);
void wi_log(wiot_ctx *ctx, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- memory (ctx.c). wi_alloc/wi_free go through the context's allocator and
 * count bytes; a handle frees with its own copy of the allocator (wi_hfree). */
void *wi_alloc(wiot_ctx *ctx, size_t size);           /* sets ENOMEM message on failure */
void *wi_calloc(wiot_ctx *ctx, size_t count, size_t size);  /* checked multiply, zeroed */
void wi_free(wiot_ctx *ctx, void *p);
void wi_hfree(const wiot_allocator *a, void *p);
/* Doubles for a matrix: 64-byte aligned, huge pages when large. Free with wi_free /
 * wi_hfree like any block. Not zeroed. */
double *wi_dalloc(wiot_ctx *ctx, size_t count);
char *wi_strdup(wiot_ctx *ctx, const char *s);
/* checked a*b; returns 0 and sets *out, or WIOT_ETOOLARGE with a message */
int wi_mul(wiot_ctx *ctx, size_t a, size_t b, size_t *out);
/* checked a+b; returns 0 and sets *out, or WIOT_ETOOLARGE with a message */
int wi_add(wiot_ctx *ctx, size_t a, size_t b, size_t *out);
/* The most bytes one object or call may take: WIOT_OPT_MAX_MEMORY, else the memory
 * available to the process. */
size_t wi_mem_cap(const wiot_ctx *ctx);
/* Refuse work needing `bytes` (SIZE_MAX: its size overflowed) beyond wi_mem_cap before
 * allocating: WIOT_ENOMEM with "<what> needs 1.23 GiB (<detail>) but the memory limit
 * is 1 GiB" (or "... but only 7.6 GiB of memory is available"); detail_fmt is printf
 * style and may be NULL. */
int wi_budget(wiot_ctx *ctx, size_t bytes, const char *what, const char *detail_fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "1.23 GiB", "512 MiB", "100 bytes" */
const char *wi_bytes_str(char *buf, size_t size, double bytes);
/* narrow to lapack_int or fail with WIOT_ETOOLARGE */
int wi_lapack_int(wiot_ctx *ctx, size_t v, lapack_int *out);

/* WIOT_EDATA naming the first non-finite entry of v[rows x cols] (ld), or WIOT_OK: the
 * last check of a result, so nothing returns NaN or Inf without an error. Rows are
 * labelled by country-sector when rows == t->n, by country when rows == t->C.
 * Message: "<what> of 'USA_c3' is inf (column 2): ..." cost: rows*cols. */
int wi_check_finite(wiot_ctx *ctx, const wiot_table *t, const char *what, const double *v,
                    size_t rows, size_t cols, size_t ld);

/* ---- threads: set the calling thread's OpenMP/BLAS thread count for a call */
typedef struct wi_threads { int saved; int active; } wi_threads;
void wi_threads_begin(const wiot_ctx *ctx, wi_threads *st);
void wi_threads_end(wi_threads *st);
int wi_nthreads(const wiot_ctx *ctx);

/* ---- timing and accounting */
double wi_now(void);
void wi_account(wiot_ctx *ctx, double flops, double seconds);

/* ---- factorization internals (leontief.c) */
/* Solve with the LU without clearing the context message or checking arguments. */
int wi_lu_solve(wiot_ctx *ctx, const wiot_lu *lu, int trans, size_t nrhs, double *B, size_t ldb);

/* ---- tariff internals (tariff.c) */
#define WI_RATE(sch, d, c, s) ((sch)->rate[((d) * (sch)->C + (c)) * (sch)->S + (s)])
/* Duty revenue of importer d under schedule s at baseline values: the sum over goods i
 * from other countries of rate(d <- c(i), s(i)) times d's intermediate and final
 * purchases of i (tariff.c). role (C entries, may be NULL): every exporter c with a
 * non-zero rate gets WIOT_ROLE_TARGET or-ed in. cost: n*(S + K) for the taxed rows. */
double wi_revenue(const wiot_table *t, const wiot_schedule *s, size_t d, double *role);
/* countries with a non-zero rate as importer; their indices into list (may be NULL) */
size_t wi_imposers(const wiot_schedule *s, size_t *list);
/* out[j] = rho sum_i A[i,j] T[i,j] p[i] (p == NULL: p = 1), 0 outside imposing
 * countries; nt threads (1 inside a parallel region). */
void wi_Et_apply(int nt, const wiot_table *t, const wiot_schedule *s, const size_t *imp,
                 size_t nimp, double rho, const double *p, double *out);

/* ---- scenario-file selection syntax (scenario.c), reused for source specs */
/* Resolve one country field (sectors == 0) or sector field (sectors == 1) written in
 * scenario-file syntax (codes, '*', groups, A..B ranges, goods/services, '!'
 * exclusions; items separated by ';', and also by ',' when comma != 0) against t's
 * codes. sel[C or S] gets 1 for every selected code, 0 elsewhere; *count (may be
 * NULL) the number selected. Messages read "<where>: field '<country|sector>': ...".
 * returns WIOT_OK | WIOT_EFORMAT | WIOT_ENOTFOUND | WIOT_ENOMEM; sel is untouched on
 * failure. */
int wi_spec_field(wiot_ctx *ctx, const wiot_table *t, int sectors, const char *text, size_t len,
                  int comma, const char *where, unsigned char *sel, size_t *count);

/* ---- content measures of scenario lines (scenario.c builds, tariff_content.c resolves) */
/* The content source of one scenario line: countries cty[nc] and sectors sec[ns] (table
 * indices), the SPEC as written, and where the line is. */
typedef struct wi_spec {
    const uint32_t *cty, *sec;
    uint32_t nc, ns;
    const char *text, *scenario, *file;
    size_t line;
} wi_spec;
/* Content shares s[j] (n = C*S entries, valid until the build returns) of a source. */
typedef int (*wi_share_fn)(void *ud, wiot_ctx *ctx, const wi_spec *spec, const double **share);
/* Build the schedule(s) of expr ("A+B+..."). Content lines get their shares from fn (NULL:
 * such a line is an error naming it). split == 0: one engine schedule in *a, rates = tariff
 * layer + NTB layer, a->ntb = the NTB layer (NULL when all zero). split == 1: the tariff
 * layer in *a, the NTB layer as rates in *b (either pointer may be NULL: not wanted).
 * returns WIOT_OK | WIOT_EINVAL | WIOT_ENOTFOUND | WIOT_EDATA | WIOT_ENOMEM | fn's codes. */
int wi_scen_build(wiot_ctx *ctx, const wiot_scenarios *sc, const char *expr, wi_share_fn fn,
                  void *ud, int split, wiot_schedule **a, wiot_schedule **b);
/* 1 when sc was made for t's countries and sectors (same codes, same order). */
int wi_scen_fits(const wiot_scenarios *sc, const wiot_table *t);

/* ---- provider layouts (formats.c) */
/* Called first by wiot_table_load: when path holds a provider layout (or a directory
 * or zip archive), loads it and sets *handled; else leaves *handled 0. */
int wi_format_hook(wiot_ctx *ctx, const char *path, wiot_table **out, int *handled);

/* ---- table internals (table.c) */
/* The problem of a code as a phrase ("is empty", "contains ','", ...), or NULL when
 * it is a valid country, sector or group code (no ',', '"' or control characters). */
const char *wi_code_problem(const char *s, size_t len);

/* Code lookups used by the scenario parser and the tariff kernels. */
size_t wi_table_find(char *const *codes, size_t count, const char *code);

/* ---- recursive inverse of a diagonally dominant M-matrix (inverse.c) */
/* Doubles of workspace wi_inverse_dd needs for order n: about n^2/3 (at most
 * 0.35 n^2 + 64 min(n, 160) + min(n, 160)). */
size_t wi_inverse_dd_work(size_t n);
/* In place M <- M^{-1} for M = I - A (n x n, leading dimension ld), A >= 0 with column
 * sums < 1 (or row sums < 1): recursive 2 x 2 block inversion, no pivoting between
 * blocks, nearly all flops in dgemm on the calling thread's BLAS thread count.
 * work[lwork], lwork >= wi_inverse_dd_work(n). returns WIOT_OK | WIOT_EINVAL |
 * WIOT_ETOOLARGE | WIOT_ESINGULAR (a pivot block is singular; M is then
 * unspecified) | WIOT_ELAPACK. cost: 2n^3 flops. */
int wi_inverse_dd(wiot_ctx *ctx, double *M, size_t n, size_t ld, double *work, size_t lwork);
/* 1 when I - A (model WIOT_LEONTIEF: every column sum of A = 1 - v/x) or I - B
 * (WIOT_GHOSH: every row sum of B = sum_j Z[i,j] / x[i]) is diagonally dominant with
 * margin (sums <= 1 - margin), else 0. scratch: n doubles (Ghosh only). cost: n
 * (Leontief), n^2 (Ghosh). */
int wi_dominant(const wiot_table *t, int model, double margin, double *scratch);
/* Doubles of workspace wi_residual_table needs. */
size_t wi_residual_work(size_t n);
/* *res = ||(I - A) X - I||_max (Leontief, A = Z diag(1/x)) or ||(I - B) X - I||_max
 * (Ghosh, B = diag(1/x) Z), computed from the table's Z and x in column panels
 * (no n x n temporary). X[n x n], ldx. cost: 2n^3 flops. */
int wi_residual_table(wiot_ctx *ctx, const wiot_table *t, int model, const double *X,
                      size_t ldx, double *work, size_t lwork, double *res);

#endif
