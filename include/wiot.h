/*
 * wiot.h -- world input-output analysis: the public C API.
 *
 * Conventions (stated once, valid for every function below):
 *  - Matrices are column-major (LAPACK's order). A matrix argument is a pointer plus
 *    a leading dimension (ld >= rows); element (i, j) of M is M[i + j*ld].
 *  - Country-sectors are ordered country-major: index i = c*S + s (METHODS.md §1).
 *    Final-demand columns are ordered d*K + k (country d, category k).
 *  - Sizes and indices are size_t. Values are in the table's units (WIOD: millions of
 *    current USD); tariff rates are fractions (0.25 = 25 %).
 *  - Every fallible function returns an int status (WIOT_OK = 0). On failure the
 *    context holds a specific message (wiot_errmsg), e.g.
 *    "data/x.csv:417: column 'USA_c3': negative output -3", and outputs are untouched
 *    unless documented otherwise.
 *  - A context (wiot_ctx) serves one thread at a time. Tables, factorizations,
 *    schedules and scenario sets are read-only after creation and may be shared by
 *    many threads, each using its own context.
 *  - The library never prints, never exits and keeps no mutable global state. It
 *    sets the OpenMP/BLAS thread count of the calling thread for the duration of a
 *    call and restores it before returning.
 *  - Formulas refer to ../shared/METHODS.md (mirrored in README.md).
 */
#ifndef WIOT_H
#define WIOT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(WIOT_BUILDING) && defined(__GNUC__)
#define WIOT_API __attribute__((visibility("default")))
#else
#define WIOT_API
#endif

/* ------------------------------------------------------------------ version */
#define WIOT_VERSION_MAJOR 0
#define WIOT_VERSION_MINOR 1
#define WIOT_VERSION_PATCH 0
#define WIOT_VERSION_NUMBER \
    (WIOT_VERSION_MAJOR * 10000 + WIOT_VERSION_MINOR * 100 + WIOT_VERSION_PATCH)

/* Run-time version of the library (compare with WIOT_VERSION_NUMBER). */
WIOT_API unsigned wiot_version_number(void);
WIOT_API const char *wiot_version_string(void);

/* ------------------------------------------------------------------- errors */
/* Status codes. Never renumbered. */
enum wiot_status {
    WIOT_OK = 0,
    WIOT_EINVAL = 1,     /* invalid argument (NULL, bad size, out-of-range option) */
    WIOT_ENOMEM = 2,     /* allocation failed */
    WIOT_EIO = 3,        /* a file could not be opened, read or written */
    WIOT_EFORMAT = 4,    /* a file is malformed (header, ragged row, bad number, ...) */
    WIOT_EDATA = 5,      /* the data violate the model (NaN, negative output, sum A >= 1) */
    WIOT_ESINGULAR = 6,  /* a system is singular to working precision */
    WIOT_ETOOLARGE = 7,  /* a size overflows size_t or LAPACK's integer */
    WIOT_ENOTFOUND = 8,  /* an unknown code, label or scenario name */
    WIOT_ENOCONV = 9,    /* an iteration did not converge */
    WIOT_ELAPACK = 10    /* LAPACK reported an unexpected argument error (a bug) */
};
#define WIOT_NSTATUS 11

/* Static text for a status code ("invalid argument", ...); never NULL. */
WIOT_API const char *wiot_strerror(int status);

/* ------------------------------------------------------------------ context */
typedef struct wiot_ctx wiot_ctx;

/* Allocator hooks. alloc(ud, size) returns NULL on failure; release(ud, NULL) must be
 * accepted. Both are called from the thread that uses the context (and, for handles,
 * from whichever thread frees them). */
typedef struct wiot_allocator {
    void *(*alloc)(void *ud, size_t size);
    void (*release)(void *ud, void *ptr);
    void *ud;
} wiot_allocator;

/* Log callback: receives warnings (level WIOT_LOG_WARN) such as "row identity off by
 * more than the tolerance in 1200 rows". NULL by default: nothing is reported except
 * through the table's check report. */
enum wiot_log_level { WIOT_LOG_WARN = 1, WIOT_LOG_INFO = 2 };
typedef void (*wiot_log_fn)(void *ud, int level, const char *message);

/* Create a context with malloc/free (wiot_ctx_new) or the given allocator, which is
 * copied. returns WIOT_OK | WIOT_EINVAL | WIOT_ENOMEM (*out is NULL on failure). */
WIOT_API int wiot_ctx_new(wiot_ctx **out);
WIOT_API int wiot_ctx_new_custom(const wiot_allocator *allocator, wiot_ctx **out);
WIOT_API void wiot_ctx_free(wiot_ctx *ctx);

/* Options, set through one setter so a new knob never breaks the ABI. */
enum wiot_option {
    WIOT_OPT_THREADS = 1,      /* threads for OpenMP regions and BLAS; 0 = OpenMP's
                                  default (omp_get_max_threads()); default 0 */
    WIOT_OPT_ROW_TOL_REL = 2,  /* row identity |sum_j Z + sum_q F - x| <= max(abs, rel*x):
                                  rows outside are counted and reported as one warning;
                                  default rel 1e-3 */
    WIOT_OPT_ROW_TOL_ABS = 3,  /* default 0.5 (half a unit of the source's rounding) */
    WIOT_OPT_RESIDUAL = 4,     /* 1: inverses also compute ||(I-A)L - I||_max (2n^3 extra
                                  flops); 0: skip; default 1 */
    WIOT_OPT_HUGEPAGES = 5,    /* 1: madvise(MADV_HUGEPAGE) on matrices >= 4 MiB; default 1 */
    WIOT_OPT_INVERSE = 6,      /* algorithm of wiot_leontief / wiot_ghosh (enum
                                  wiot_inverse_path); default WIOT_INVERSE_AUTO */
    WIOT_OPT_MAX_MEMORY = 7    /* bytes one object or call may allocate (a table, the
                                  text of a file, a factorization, a workspace); work
                                  that needs more is refused before allocating with
                                  WIOT_ENOMEM and a message giving the size needed.
                                  0 (default) = the memory available to the process:
                                  RAM + swap, lowered by a cgroup limit or ulimit -v */
};
/* Values of WIOT_OPT_INVERSE. */
enum wiot_inverse_path {
    WIOT_INVERSE_AUTO = 0,      /* recursive when I - A is column (I - B row) diagonally
                                   dominant with margin, else LAPACK */
    WIOT_INVERSE_LAPACK = 1,    /* always dgetrf + dgetri (partial pivoting) */
    WIOT_INVERSE_RECURSIVE = 2  /* always the recursive block inverse (no pivoting between
                                   blocks; the caller vouches for the matrix) */
};
WIOT_API int wiot_ctx_set(wiot_ctx *ctx, int option, double value);
WIOT_API int wiot_ctx_get(const wiot_ctx *ctx, int option, double *value);
WIOT_API int wiot_ctx_set_log(wiot_ctx *ctx, wiot_log_fn fn, void *ud);

/* The message of the last failed call on this context ("" if none); valid until the
 * next call on the context. Never NULL (also for ctx == NULL). */
WIOT_API const char *wiot_errmsg(const wiot_ctx *ctx);

/* Statistics of a context: allocations through it and work done on it. */
typedef struct wiot_stats {
    size_t bytes_allocated;  /* bytes allocated through this context (cumulative) */
    size_t allocations;      /* number of successful allocations (cumulative) */
    double flops;            /* floating-point operations counted by kernels */
    double seconds;          /* wall seconds spent in kernels */
} wiot_stats;
WIOT_API int wiot_ctx_stats(const wiot_ctx *ctx, wiot_stats *out);

/* Quality and cost of one computation. */
enum wiot_method {
    WIOT_METHOD_NONE = 0,
    WIOT_METHOD_LU = 1,          /* LAPACK dgetrf/dgetrs on the baseline system */
    WIOT_METHOD_INVERSE = 2,     /* LAPACK dgetri (explicit inverse) */
    WIOT_METHOD_WOODBURY = 3,    /* Sherman-Morrison-Woodbury rank-k update of the LU */
    WIOT_METHOD_ITERATION = 4,   /* fixed point p <- L^T (d + E^T p) on the LU */
    WIOT_METHOD_DENSE = 5,       /* a fresh dense LU of the whole perturbed system */
    WIOT_METHOD_RECURSIVE = 6    /* explicit inverse by recursive 2x2 block (Schur
                                    complement) inversion, nearly all flops in dgemm */
};
typedef struct wiot_info {
    double residual;          /* max-norm residual of the result (see each function) */
    double seconds;           /* wall seconds of the computation (residual excluded) */
    double flops;             /* flops of the computation (residual excluded) */
    double residual_seconds;  /* wall seconds spent on the residual */
    int method;               /* enum wiot_method */
    int iterations;           /* refinement or fixed-point iterations */
    size_t rank;              /* Woodbury: rank k of the update */
    double rcond;             /* factorizations (wiot_lu_new): LAPACK's estimate of the
                                 reciprocal 1-norm condition number of I - A (or I - B);
                                 0 where not computed */
} wiot_info;

/* -------------------------------------------------------------------- table */
typedef struct wiot_table wiot_table;

/* Load a table in the wide CSV layout (shared/data/README.md §1), plain or
 * gzip-compressed, or in the binary .wiot format (wiot_table_save_binary); the format
 * is detected from the content, never from the name. Labels come from the file: C
 * countries, S sectors and K final-demand categories are inferred from the header
 * and the row labels. The table is validated once (see wiot_check).
 * Errors name the file, line and column:
 *   WIOT_EIO (cannot open/read), WIOT_EFORMAT (header, labels, ragged rows,
 *   non-numeric cells, truncated gzip, empty file), WIOT_EDATA (NaN/Inf, negative
 *   Z, x or v, VA or GO row inconsistent with Z and x, a column of A summing to 1
 *   or more), WIOT_ETOOLARGE, WIOT_ENOMEM.
 * cost: one pass over the text; 8(n^2 + n*C*K + 2n) bytes for the table. */
WIOT_API int wiot_table_load(wiot_ctx *ctx, const char *path, wiot_table **out);

/* The same from memory (plain or gzip text, or .wiot bytes, which are copied: the
 * table does not refer to data after the call); name is used in messages. */
WIOT_API int wiot_table_load_buffer(wiot_ctx *ctx, const void *data, size_t size,
                                    const char *name, wiot_table **out);

/* The same from memory that outlives the table: a .wiot image (wiot_table_save_binary)
 * at an 8-byte aligned address is used in place -- Z, F and x point into data,
 * nothing of the matrices is copied or allocated, so loading takes about as long as
 * the checksum pass (a few ms for WIOD 2011; the wiot CLI embeds its default table
 * this way). data must stay valid and unchanged until wiot_table_free. Anything else
 * (CSV text, gzip, an unaligned image) is loaded as by wiot_table_load_buffer. */
WIOT_API int wiot_table_load_static(wiot_ctx *ctx, const void *data, size_t size,
                                    const char *name, wiot_table **out);

/* Build a table from caller arrays (copied). Z[n x n] (ldz >= n), F[n x C*K]
 * (ldf >= n; may be NULL when K == 0), x[n] (NULL: x = row sums of Z and F).
 * v = x - column sums of Z. Labels are copied; codes must be non-empty, unique,
 * and free of ',', '_' is allowed. Same validation as wiot_table_load. */
typedef struct wiot_table_desc {
    size_t countries, sectors, fd_categories;      /* C, S, K */
    const char *const *country_codes;              /* C codes */
    const char *const *sector_codes;               /* S codes */
    const char *const *fd_codes;                   /* K codes (NULL: "F1".."FK") */
    const double *Z; size_t ldz;
    const double *F; size_t ldf;
    const double *x;
    const char *name;                              /* for messages; may be NULL */
} wiot_table_desc;
WIOT_API int wiot_table_new(wiot_ctx *ctx, const wiot_table_desc *desc, wiot_table **out);

/* Write the table in the wide CSV layout (gzip when path ends in ".gz"; the binary
 * .wiot format when it ends in ".wiot"), atomically: a temporary file in the same
 * directory, renamed over path on success. */
WIOT_API int wiot_table_save(wiot_ctx *ctx, const wiot_table *t, const char *path);

/* Write the table in the binary .wiot format (whatever path's extension), atomically
 * as wiot_table_save. Layout (version 1, the machine's byte order, little-endian on
 * every supported machine; README.md "Binary tables"): a 4096-byte header (magic
 * "WIOT\0BIN", version, byte-order mark, C, S, K, n, offset and length of each
 * section, an XXH64 checksum of the data and one of the header), the labels (country,
 * sector and final-demand codes and the table's name, NUL-terminated), then Z
 * [n x n], F [n x C*K], x [n] and v [n] as column-major doubles, each starting on a
 * 4096-byte boundary so a mapping of the file holds them in place.
 * wiot_table_load of a .wiot file maps it read-only and the table keeps the mapping
 * (Z, F and x are read in place, nothing is copied): do not modify or truncate the
 * file in place while the table lives (replacing it by rename, as this function
 * does, is safe). A truncated or corrupted file is WIOT_EFORMAT (sizes and offsets
 * are checked against the file's size before any data are read; then both
 * checksums); the data then get the CSV loader's checks (WIOT_EDATA) and the check
 * report is recomputed, so wiot_table_check reports as for the CSV.
 * returns WIOT_OK | WIOT_EINVAL | WIOT_EIO (message names the file) | WIOT_ENOMEM.
 * cost: one pass over the data for the checksum; file size about 8(n^2 + n*C*K + 2n)
 * bytes + 4 KiB per section (WIOD 2011: 18.9 MB). Loading WIOD 2011: a few ms. */
WIOT_API int wiot_table_save_binary(wiot_ctx *ctx, const wiot_table *t, const char *path);

WIOT_API void wiot_table_free(wiot_table *t);

WIOT_API size_t wiot_table_n(const wiot_table *t);             /* C*S */
WIOT_API size_t wiot_table_countries(const wiot_table *t);     /* C */
WIOT_API size_t wiot_table_sectors(const wiot_table *t);       /* S */
WIOT_API size_t wiot_table_fd_categories(const wiot_table *t); /* K */
WIOT_API const char *wiot_table_country(const wiot_table *t, size_t c);   /* NULL if out of range */
WIOT_API const char *wiot_table_sector(const wiot_table *t, size_t s);
WIOT_API const char *wiot_table_fd_category(const wiot_table *t, size_t k);
/* Index of a code, or (size_t)-1. Country codes compare case-sensitively ("RoW"). */
WIOT_API size_t wiot_table_find_country(const wiot_table *t, const char *code);
WIOT_API size_t wiot_table_find_sector(const wiot_table *t, const char *code);
WIOT_API const char *wiot_table_name(const wiot_table *t);      /* file name or desc->name */
WIOT_API int wiot_table_year(const wiot_table *t);              /* from the file name, or 0 */

/* Read-only views of the data (column-major, ld = n). */
WIOT_API const double *wiot_table_Z(const wiot_table *t);   /* n x n */
WIOT_API const double *wiot_table_F(const wiot_table *t);   /* n x C*K */
WIOT_API const double *wiot_table_x(const wiot_table *t);   /* n: gross output */
WIOT_API const double *wiot_table_v(const wiot_table *t);   /* n: x - column sums of Z */

/* The checks done at load time. Row identity is only approximate in rounded tables
 * (WIOD 2013: up to ~110 million USD), so it yields a warning, not an error. */
typedef struct wiot_check {
    size_t rows_off;              /* rows with |row discrepancy| > tolerance */
    size_t worst_row;             /* row with the largest |discrepancy| */
    double worst_row_diff;        /* sum_j Z + sum_q F - x at worst_row */
    double mean_row_diff;         /* mean discrepancy over all rows */
    double row_tol_rel, row_tol_abs;
    size_t zero_output;           /* sectors with x = 0 (coefficients defined as 0) */
    size_t zero_output_with_entries;  /* of those, rows still holding non-zero entries */
    size_t negative_final;        /* negative entries in F (inventories) */
    double max_colsum_A;          /* largest column sum of A (< 1 in a valid table) */
    size_t max_colsum_col;
    double total_output, total_v, total_final;
    size_t warnings;              /* number of warnings (wiot_table_warning) */
} wiot_check;
WIOT_API const wiot_check *wiot_table_check(const wiot_table *t);
/* Warning i (0 <= i < check->warnings), or NULL. */
WIOT_API const char *wiot_table_warning(const wiot_table *t, size_t i);

/* ------------------------------------------------------------- coefficients */
/* A[i,j] = Z[i,j]/x[j] (0 where x[j] = 0). A[n x n], lda >= n. cost n^2. */
WIOT_API int wiot_coefficients(wiot_ctx *ctx, const wiot_table *t, double *A, size_t lda);
/* a_v[j] = v[j]/x[j] = 1 - sum_i A[i,j] (0 where x[j] = 0). av[n]. */
WIOT_API int wiot_va_coefficients(wiot_ctx *ctx, const wiot_table *t, double *av);
/* B[i,j] = Z[i,j]/x[i] (0 where x[i] = 0). B[n x n], ldb >= n. */
WIOT_API int wiot_allocation(wiot_ctx *ctx, const wiot_table *t, double *B, size_t ldb);

/* ------------------------------------------------------------ factorization */
typedef struct wiot_lu wiot_lu;
enum wiot_model { WIOT_LEONTIEF = 0, WIOT_GHOSH = 1 };
enum wiot_trans { WIOT_NOTRANS = 0, WIOT_TRANS = 1 };

/* LU factorization (dgetrf) of I - A (WIOT_LEONTIEF) or I - B (WIOT_GHOSH), kept for
 * solves. The factorization refers to t, which must outlive it.
 * info (may be NULL): seconds and flops of the factorization.
 * returns WIOT_OK | WIOT_EINVAL | WIOT_ESINGULAR | WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: 2n^3/3 flops, 8n^2 bytes held by the handle. */
WIOT_API int wiot_lu_new(wiot_ctx *ctx, const wiot_table *t, int model, wiot_lu **out,
                         wiot_info *info);
WIOT_API void wiot_lu_free(wiot_lu *lu);
WIOT_API size_t wiot_lu_n(const wiot_lu *lu);
WIOT_API int wiot_lu_model(const wiot_lu *lu);
WIOT_API const wiot_table *wiot_lu_table(const wiot_lu *lu);

/* Solve (I-A) X = B (WIOT_NOTRANS: quantity model, X = L B) or (I-A)^T X = B
 * (WIOT_TRANS: price model, X = L^T B) in place, for nrhs right-hand sides
 * B[n x nrhs], ldb >= n. cost: 2 n^2 nrhs flops. */
WIOT_API int wiot_lu_solve(wiot_ctx *ctx, const wiot_lu *lu, int trans, size_t nrhs,
                           double *B, size_t ldb);

/* Explicit inverse: L = (I-A)^{-1} (Leontief) or G = (I-B)^{-1} (Ghosh), by dgetri on
 * a copy of the factors. info (may be NULL): seconds and flops of dgetri; when the
 * context's WIOT_OPT_RESIDUAL is 1, residual = ||(I-A)L - I||_max (2n^3 more flops,
 * timed separately). L[n x n], ldl >= n.  cost: 4n^3/3 flops, 8n^2 + 64n bytes extra. */
WIOT_API int wiot_lu_inverse(wiot_ctx *ctx, const wiot_lu *lu, double *L, size_t ldl,
                             wiot_info *info);

/* Convenience: L = (I - A)^{-1} or G = (I - B)^{-1} in one call (2n^3 flops).
 * Path (context option WIOT_OPT_INVERSE, default WIOT_INVERSE_AUTO): when every column
 * sum of A is below 1 - 1e-9 (always so for a valid table; for Ghosh: every row sum of
 * B), the system is diagonally dominant and is inverted in place in L by recursive
 * 2 x 2 block (Schur complement) inversion, nearly all flops in dgemm (kernel/
 * inverse.c; extra memory about n^2/3 doubles); otherwise dgetrf + dgetri as in
 * wiot_lu_inverse (extra memory 2n^2 doubles). info: method (WIOT_METHOD_RECURSIVE
 * or WIOT_METHOD_INVERSE), seconds and flops of the inversion (forming I - A
 * excluded), residual ||(I-A)L - I||_max when WIOT_OPT_RESIDUAL is 1 (else -1; the
 * recursive path evaluates it as L - Z diag(1/x) L - I in column panels, 2n^3 flops,
 * no extra n x n matrix). On WIOT_ENOMEM L is untouched; on WIOT_ESINGULAR from the
 * recursive path (possible only when forced on a matrix that is not an M-matrix)
 * its contents are unspecified. */
WIOT_API int wiot_leontief(wiot_ctx *ctx, const wiot_table *t, double *L, size_t ldl,
                           wiot_info *info);
WIOT_API int wiot_ghosh(wiot_ctx *ctx, const wiot_table *t, double *G, size_t ldg,
                        wiot_info *info);

/* Quantity model x = L f for a final demand f[n] (METHODS.md §2); one solve, no
 * inverse. lu must be a Leontief factorization. x[n] may alias f. cost 2n^2. */
WIOT_API int wiot_quantity(wiot_ctx *ctx, const wiot_lu *lu, const double *f, double *x);

/* Multipliers and linkages from a Leontief factorization, by solves (no inverse):
 *  output_mult[j] = sum_i L[i,j]                        (simple output multiplier)
 *  backward[j]    = output_mult[j] / mean_k output_mult[k]   (normalised backward
 *                   linkage, Miller & Blair ch. 12; mean over sectors with x > 0)
 *  forward[i]     = g[i] / mean_k g[k], g[i] = sum_j G[i,j] = (L x)[i] / x[i]
 *                   (normalised Ghosh forward linkage; g = 1 where x[i] = 0)
 * Any output may be NULL; each has n entries. cost: 4n^2 flops. */
WIOT_API int wiot_multipliers(wiot_ctx *ctx, const wiot_lu *lu, double *output_mult,
                              double *backward, double *forward);

/* ------------------------------------------------------------------ tariffs */
/* A tariff schedule: rate(d <- c, s), the additional ad valorem rate importer d
 * levies on sector s goods from exporter c, stored compactly as C x C x S
 * (never n x n). Rates inside a country (d == c) are always 0. */
typedef struct wiot_schedule wiot_schedule;

WIOT_API int wiot_schedule_new(wiot_ctx *ctx, const wiot_table *t, wiot_schedule **out);
WIOT_API int wiot_schedule_copy(wiot_ctx *ctx, const wiot_schedule *src, wiot_schedule **out);
WIOT_API void wiot_schedule_free(wiot_schedule *s);
/* returns WIOT_EINVAL for out-of-range indices, a non-finite rate or rate <= -1;
 * setting d == c is ignored (rate stays 0). */
WIOT_API int wiot_schedule_set(wiot_ctx *ctx, wiot_schedule *s, size_t importer,
                               size_t exporter, size_t sector, double rate);
WIOT_API double wiot_schedule_get(const wiot_schedule *s, size_t importer,
                                  size_t exporter, size_t sector);
/* dst += scale * src (stacking measures); both on the same table dimensions. */
WIOT_API int wiot_schedule_add(wiot_ctx *ctx, wiot_schedule *dst, const wiot_schedule *src,
                               double scale);
/* Rates as a C*C*S array, index (d*C + c)*S + s. */
WIOT_API const double *wiot_schedule_rates(const wiot_schedule *s);
/* Number of importers with a non-zero rate; their indices into list (may be NULL;
 * room for C). */
WIOT_API size_t wiot_schedule_imposers(const wiot_schedule *s, size_t *list);

/* A set of named scenarios read from one or more scenario files (CSV header
 * "scenario,imposer,target,sector,rate"; format in README.md), checked against a
 * table's country and sector codes. */
typedef struct wiot_scenarios wiot_scenarios;

WIOT_API int wiot_scenarios_new(wiot_ctx *ctx, const wiot_table *t, wiot_scenarios **out);
WIOT_API void wiot_scenarios_free(wiot_scenarios *sc);
/* Add the scenarios of a file (or buffer). A name already present is an error.
 * On error nothing is added. Errors: "file:line: field 'imposer': unknown country
 * 'XYZ' (valid: AUS AUT ...)". */
WIOT_API int wiot_scenarios_load(wiot_ctx *ctx, wiot_scenarios *sc, const char *path);
WIOT_API int wiot_scenarios_load_buffer(wiot_ctx *ctx, wiot_scenarios *sc, const void *data,
                                        size_t size, const char *name);
WIOT_API size_t wiot_scenarios_count(const wiot_scenarios *sc);
WIOT_API const char *wiot_scenarios_name(const wiot_scenarios *sc, size_t i);
/* Build the schedule of "NAME" or of a stack "NAME1+NAME2+..." (rates summed).
 * returns WIOT_ENOTFOUND for an unknown name (message lists close names). */
WIOT_API int wiot_scenarios_schedule(wiot_ctx *ctx, const wiot_scenarios *sc,
                                     const char *expr, wiot_schedule **out);

/* Direct tariff cost per unit of output (METHODS.md §3):
 *   d[j] = rho * sum_i A[i,j] T[i,j],  T[i,j] = rate(c(j) <- c(i), s(i)).
 * rho in [0,1] is the pass-through rate. d[n]. cost: n*S*(imposing countries). */
WIOT_API int wiot_tariff_direct(wiot_ctx *ctx, const wiot_table *t, const wiot_schedule *s,
                                double rho, double *d);

/* First-order cumulative tariff c = L^T d (Rouzet & Miroudot 2013), one transposed
 * solve. c[n] may alias d. cost 2n^2. */
WIOT_API int wiot_tariff_cumulative(wiot_ctx *ctx, const wiot_lu *lu, const double *d,
                                    double *c);

/* Exact cascading price model (METHODS.md §3.2):
 *   (I - A^T - rho E^T) dp = d,  E = A o T.
 * method: WIOT_METHOD_NONE (automatic: Woodbury for rank k = (imposers*S) <= n/3,
 * else the fixed-point iteration, falling back to a dense LU if it does not
 * converge), WIOT_METHOD_WOODBURY, WIOT_METHOD_ITERATION or WIOT_METHOD_DENSE (a
 * fresh LU of the n x n system: the brute-force reference, O(n^3)).
 * d[n] from wiot_tariff_direct with the same rho. dp[n].
 * info (may be NULL): method used, rank, iterations, residual
 * ||(I - A^T - rho E^T) dp - d||_inf, seconds, flops.
 * cost (Woodbury): 2n^2 k + 2n k^2 + 2k^3/3 flops, 8(2nk + k^2) bytes. */
WIOT_API int wiot_price_exact(wiot_ctx *ctx, const wiot_lu *lu, const wiot_schedule *s,
                              double rho, int method, const double *d, double *dp,
                              wiot_info *info);

/* Final users' price changes (METHODS.md §3.3): for country d, category k,
 *   P[d*K+k] = sum_i w[i] ((1 + dp[i])(1 + rho T_f[i,d]) - 1),
 *   w[i] = F[i,d*K+k] / sum_i F[i,d*K+k];
 * P_all[d] the same with the weights of all of d's final demand together.
 * A category with sum_i F <= 0 has no price: P = 0 and defined = 0.
 * P[C*K], defined[C*K], P_all[C], defined_all[C]; any may be NULL. */
WIOT_API int wiot_final_prices(wiot_ctx *ctx, const wiot_table *t, const wiot_schedule *s,
                               double rho, const double *dp, double *P,
                               unsigned char *defined, double *P_all,
                               unsigned char *defined_all);

/* Tariff revenue collected by each importer at base-year flows, millions:
 *   rev[d] = sum_{i: c(i) != d} rate(d <- c(i), s(i)) (sum_{j in d} Z[i,j] + sum_k F[i,dK+k]).
 * rev[C]. Independent of pass-through. */
WIOT_API int wiot_tariff_revenue(wiot_ctx *ctx, const wiot_table *t, const wiot_schedule *s,
                                 double *rev);

/* ------------------------------------------- a whole scenario: wiot_tariff */
/* Roles of a country in a schedule (bit mask). */
enum wiot_role { WIOT_ROLE_THIRD = 0, WIOT_ROLE_IMPOSER = 1, WIOT_ROLE_TARGET = 2 };
/* Which models to run. */
enum wiot_models { WIOT_FIRST_ORDER = 1, WIOT_EXACT = 2, WIOT_BOTH = 3 };

typedef struct wiot_result wiot_result;

/* Arrays of a result, read with wiot_result_get. */
enum wiot_result_item {
    WIOT_R_DIRECT = 1,        /* n: d, direct tariff cost per unit of output */
    WIOT_R_CUMULATIVE = 2,    /* n: c = L^T d, first-order cumulative */
    WIOT_R_EXACT = 3,         /* n: dp, exact cascading price change */
    WIOT_R_EXTRA_COST = 4,    /* n: dp*x (c*x if first-order only), millions */
    WIOT_R_FINAL_PRICE = 5,   /* C*K: final users' price change by country, category */
    WIOT_R_FINAL_DEFINED = 6, /* C*K: 1 where the category has purchases, else 0 */
    WIOT_R_FINAL_ALL = 7,     /* C: all final demand of the country */
    WIOT_R_FINAL_ALL_DEFINED = 8,
    WIOT_R_COUNTRY_EXTRA_COST = 9,  /* C: sum of extra cost over the country's sectors */
    WIOT_R_REVENUE = 10,      /* C: tariff revenue collected, millions */
    WIOT_R_ROLE = 11          /* C: enum wiot_role bits, as doubles (0..3) */
};
/* Totals of a result. */
typedef struct wiot_result_summary {
    double total_extra_cost;      /* millions, all country-sectors */
    double third_extra_cost;      /* millions, burden on third countries */
    double total_revenue;         /* millions */
    int models;                   /* enum wiot_models actually run */
    double rho;
    wiot_info exact;              /* the exact solve's info */
    double seconds;               /* the whole wiot_tariff call */
} wiot_result_summary;

WIOT_API int wiot_result_new(wiot_ctx *ctx, const wiot_table *t, wiot_result **out);
WIOT_API void wiot_result_free(wiot_result *r);
/* Pointer to an array of the result and its length, or NULL (item unknown or not
 * computed: WIOT_R_EXACT after a first-order-only run). */
WIOT_API const double *wiot_result_get(const wiot_result *r, int item, size_t *len);
WIOT_API const wiot_result_summary *wiot_result_summary_get(const wiot_result *r);

/* Run one scenario: direct costs, first-order and/or exact prices, final users'
 * prices (from dp when exact is run, else from c), extra costs, revenue and roles.
 * lu: Leontief factorization of the table of r. rho in [0,1]. The result's arrays
 * are overwritten (on failure their contents are unspecified).
 * cost: as wiot_price_exact plus O(n^2). */
WIOT_API int wiot_tariff(wiot_ctx *ctx, const wiot_lu *lu, const wiot_schedule *s,
                         double rho, int models, wiot_result *r);


/* ---------------------------------------------------------------- batches */
/* Many scenarios at once (METHODS.md §3.5). A batch holds a factorization, result
 * arrays for up to max_scenarios scenarios and all workspace, so running a batch
 * allocates only per distinct set of imposing countries, never per scenario.
 *  - first-order: C = L^T D, one solve with m right-hand sides;
 *  - exact: scenarios are grouped by their set of imposing countries; for each group
 *    Y = L^T P (n x k, k = imposers*S) is computed once and every scenario of the
 *    group costs 2nk^2 + 2k^3/3 flops (Woodbury), run in parallel over scenarios;
 *    groups with k > n/3 use the fixed-point iteration batched over the group (one
 *    solve with many right-hand sides per sweep); every scenario then gets one
 *    batched residual check and, where needed, refinement.
 * Results agree with wiot_tariff on each scenario to 1e-12 relative. */
typedef struct wiot_batch wiot_batch;

/* lu: a Leontief factorization (must outlive the batch). cost: memory
 * 8 m (5n + 2CK + 5C) bytes plus workspace. */
WIOT_API int wiot_batch_new(wiot_ctx *ctx, const wiot_lu *lu, size_t max_scenarios,
                            wiot_batch **out);
WIOT_API void wiot_batch_free(wiot_batch *b);
/* Run m <= max_scenarios schedules (all of the factorization's table shape) with
 * pass-through rho and models (enum wiot_models). Results replace earlier ones. */
WIOT_API int wiot_batch_run(wiot_ctx *ctx, wiot_batch *b, const wiot_schedule *const *s,
                            size_t m, double rho, int models);
/* Number of scenarios of the last run. */
WIOT_API size_t wiot_batch_count(const wiot_batch *b);
/* Results of the last run for item (enum wiot_result_item): a column-major array with
 * *rows rows (n or C*K or C) and one column per scenario, leading dimension *ld.
 * NULL if the item was not computed. */
WIOT_API const double *wiot_batch_get(const wiot_batch *b, int item, size_t *rows, size_t *ld);
/* Per-scenario quality of the exact solve (method, rank, iterations, residual). */
WIOT_API const wiot_info *wiot_batch_info(const wiot_batch *b, size_t scenario);

/* Progress reporting for long calls (batches): fn(ud, done, total) is called from
 * the calling thread between chunks of work. NULL (the default) disables it. */
typedef void (*wiot_progress_fn)(void *ud, size_t done, size_t total);
WIOT_API int wiot_ctx_set_progress(wiot_ctx *ctx, wiot_progress_fn fn, void *ud);

/* ---------------------------------------------------------------- exposure */
/* Supply-chain exposure (METHODS.md §4-5): where the value of each product comes
 * from, which products cross a content threshold, trade in value added, and what a
 * supply cut costs downstream (Ghosh) or upstream (hypothetical extraction).
 * V = diag(a_v) L, L and G are never formed: every quantity is a solve with the LU
 * of a factorization, with one right-hand side per source set, group or product.
 * A source set is a mask over country-sectors: source[i] != 0 selects i (n entries).
 *
 * What the two content measures mean, for a source set S and a product j:
 *  - value added (WIOT_MEASURE_VA): sum_{i in S} V[i,j], the share of the value of
 *    one unit of j's final output that is value added (primary input: wages, profits,
 *    and in WIOD 2013 also net product taxes and transport margins, shared/data
 *    README §2.3) generated in S, directly or at any upstream stage. It lies in
 *    [0, 1] and the shares of all sources add up to 1 (products with x[j] > 0).
 *    This is the measure of rules on the value of foreign content.
 *  - gross (WIOT_MEASURE_GROSS): sum_{i in S} (L - I)[i,j], the output of S needed
 *    directly and indirectly per unit of j's final output, the unit of j itself
 *    excluded ("total requirements"). It counts S's products at their full gross value
 *    at every stage they cross (their own imported inputs included), so it double
 *    counts, is >= 0 but may exceed 1, and for products j outside S it is an upper
 *    bound of the VA measure (a_v <= 1). For j inside S the VA measure also counts
 *    j's own value added a_v[j], which the gross measure leaves out: there
 *    gross[j] >= va[j] - a_v[j]. */
enum wiot_measure { WIOT_MEASURE_VA = 0, WIOT_MEASURE_GROSS = 1 };

/* A source specification "COUNTRIES[:SECTORS]" as a mask. Each part is written as the
 * imposer/target and sector fields of scenario files (README.md): codes, '*', groups
 * (EU27 EU28 EU15 USMCA NAFTA G7 BRICS ASEAN), sector ranges A..B, goods, services,
 * and '!' exclusions; items are separated by ';' or ','. Without ":SECTORS" every
 * sector is selected. "CHN:c2,c12" = Chinese mining and basic metals; "USA" = all US
 * sectors; "EU27:goods"; "*;!CHN:c12" = basic metals of every country but China.
 * mask[n] gets 1 or 0; count (may be NULL) the number selected.
 * returns WIOT_OK | WIOT_EINVAL | WIOT_EFORMAT (empty part or item, reversed range,
 * a part that selects nothing) | WIOT_ENOTFOUND (unknown code or group) |
 * WIOT_ENOMEM, e.g. "source 'XYZ:c2': field 'country': unknown country 'XYZ' (valid:
 * AUS AUT ...; groups: ...)"; mask is untouched on failure. cost O(n + |spec|). */
WIOT_API int wiot_select(wiot_ctx *ctx, const wiot_table *t, const char *spec,
                         unsigned char *mask, size_t *count);
/* The same for a list of countries (no ':' part): cmask[C]. */
WIOT_API int wiot_select_countries(wiot_ctx *ctx, const wiot_table *t, const char *spec,
                                   unsigned char *cmask, size_t *count);

/* Content shares of a source set (METHODS.md §4), for every product j, as fractions
 * (0.001 = 0.1 %):
 *   share[j] = sum_{i in S} V[i,j] = ((a_v o 1_S)^T L)[j]        (WIOT_MEASURE_VA)
 *   share[j] = sum_{i in S} (L - I)[i,j] = (1_S^T L)[j] - 1_S[j]  (WIOT_MEASURE_GROSS)
 * by ONE transposed solve (I - A)^T y = a_v o 1_S (or 1_S). Products with x[j] = 0
 * have share 0. lu: a Leontief factorization. source[n], share[n].
 * info (may be NULL): seconds, flops, and, when WIOT_OPT_RESIDUAL is 1, residual
 * ||(I - A)^T y - b||_inf (else -1).
 * returns WIOT_OK | WIOT_EINVAL | WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: 2n^2 flops (+2n^2 for the residual); 8n bytes and n size_t. */
WIOT_API int wiot_content(wiot_ctx *ctx, const wiot_lu *lu, const unsigned char *source,
                          int measure, double *share, wiot_info *info);

/* Content of many groups at once (value-added origin by group):
 *   W[j + g*ldw] = sum_{i: group[i] == g} V[i,j]          (WIOT_MEASURE_VA)
 *                = sum_{i: group[i] == g} (L - I)[i,j]    (WIOT_MEASURE_GROSS)
 * for every product j and group g < ngroups; group[n] names each country-sector's
 * group, group[i] >= ngroups leaves i out. group == NULL: one group per country
 * (ngroups must be C): W[j, c] is the share of country c's value added in product j.
 * One transposed solve with ngroups right-hand sides, Y = L^T (diag(a_v) P),
 * P[i,g] = [group[i] == g]. W[n x ngroups], ldw >= n (its contents are unspecified on
 * failure). info as wiot_content. cost: 2n^2 ngroups flops (n = 1435, C = 41:
 * 1.7e8), 8 n ngroups bytes extra for the residual. */
WIOT_API int wiot_va_origin(wiot_ctx *ctx, const wiot_lu *lu, const size_t *group,
                            size_t ngroups, int measure, double *W, size_t ldw,
                            wiot_info *info);

/* Chosen columns of V (or of L - I with WIOT_MEASURE_GROSS): V[i + q*ldv] =
 * V[i, cols[q]], q < m: where the value of product cols[q] comes from, by source
 * country-sector. m solves (I - A) X = E_cols, then rows scaled by a_v. VA columns sum
 * to 1 (x > 0). V[n x m], ldv >= n. cost: 2n^2 m flops. */
WIOT_API int wiot_va_columns(wiot_ctx *ctx, const wiot_lu *lu, const size_t *cols, size_t m,
                             int measure, double *V, size_t ldv, wiot_info *info);

/* The products that cross a threshold: the indices j with share[j] >= threshold,
 * sorted by share descending (ties by index), into list (room for n; NULL: count
 * only). Returns their number (0 for share == NULL). ">=" reads rules worded "X or
 * more" (China, October 2025: Chinese-origin content worth 0.1 % or more); with
 * continuous shares "more than X" gives the same list. cost O(n log n), no memory. */
WIOT_API size_t wiot_crossing(const double *share, size_t n, double threshold, size_t *list);

/* Material-cost shares of a set of input country-sectors, for rules on the share of
 * some inputs in a product's material cost (the Section 232 derivative test: steel
 * and aluminium at least two thirds of material cost; inputs "*:c12"):
 *   direct[j] = sum_{i in I and base} Z[i,j] / sum_{i in base} Z[i,j]
 *   total[j]  = sum_{i in I and base} (L - I)[i,j] / sum_{i in base} (L - I)[i,j]
 * direct: the product's own purchases; total: purchases at every upstream stage
 * (gross requirements, so inputs of inputs count again). base[n] (NULL = every
 * country-sector) defines material cost: the table's intermediate inputs include
 * services, so base = "*:goods" is the reading closest to "materials". Shares are 0
 * where the denominator is 0. direct[n], total[n]: either may be NULL.
 * info: as wiot_content. cost: n^2 (direct) + one transposed solve with 2 right-hand
 * sides (total). */
WIOT_API int wiot_material_share(wiot_ctx *ctx, const wiot_lu *lu, const unsigned char *inputs,
                                 const unsigned char *base, double *direct, double *total,
                                 wiot_info *info);

/* Trade in value added (METHODS.md §4; Koopman, Wang & Wei 2014, "KWW").
 * Gross exports of country-sector j: e[j] = sum_{k: c(k) != c(j)} Z[j,k] +
 * sum_{d != c(j)} sum_q F[j, d*K+q] (intermediate and final sales abroad).
 * With W[j,o] = sum_{i in o} V[i,j] (wiot_va_origin by country) and
 * VAFD[o,d] = sum_j W[j,o] f_d[j] (f_d: d's final demand), per country c:
 *   EXPORTS  E_c   = sum_{j in c} e[j]
 *   DVA      DVA_c = sum_{j in c} W[j,c] e[j] = V_c B_cc E_c*: KWW terms 1-6 (value
 *            added exported, returned domestic VA and domestic double counting)
 *   FVA      FVA_c = sum_{j in c} (1 - W[j,c]) e[j] = sum_{o != c} V_o B_oc E_c*: KWW
 *            terms 7-9 (foreign VA and foreign double counting); FVA_c / E_c is
 *            backward GVC participation
 *   NOORIGIN exports of country-sectors with x = 0: they have no inputs and no
 *            value added, so no origin (WIOD 2013: inventory entries, ~0)
 *   FORWARD  DVX_c = sum_{j not in c} W[j,c] e[j]: c's value added inside other
 *            countries' gross exports; DVX_c / E_c is forward participation
 *   VAX      sum_{d != c} VAFD[c,d]: c's value added absorbed by foreign final demand
 *            (value-added exports, Johnson & Noguera 2012; KWW terms 1-3)
 *   VA       sum_{i in c} v[i]
 *   VAFD     sum_d VAFD[c,d]: c's value added absorbed by all final demand
 * Identities: DVA_c + FVA_c + NOORIGIN_c = E_c exactly (columns of V sum to 1);
 * sum_c FVA_c = sum_c DVX_c; sum_o VAFD[o,d] = d's final demand for products with
 * x > 0; VAFD_c = VA_c and DVA_c - VAX_c = KWW terms 4-6 (returned VA and domestic
 * double counting) only where the table's row identity x = L f holds exactly (WIOD
 * 2013 rounding breaks it by up to ~1e2 per row). KWW's finer split of DVA into
 * terms 1, 2, 3, 4, 5, 6 and of FVA into 7, 8, 9 is NOT computed.
 * country[C x WIOT_TIVA_NITEMS] (ldc >= C): item q of country c at country[c + q*ldc].
 * sector[n x WIOT_TIVA_NITEMS] (lds >= n; may be NULL): the same per country-sector,
 *   EXPORTS, DVA, FVA, NOORIGIN by exporting country-sector j (backward view), and
 *   FORWARD, VAX, VA, VAFD by the country-sector i generating the value added
 *   (forward view: FORWARD[i] = a_v[i] sum_{k not in c(i)} L[i,k] e[k]); the country
 *   rows are the sums of the sector rows.
 * vafd[C x C] (ldv >= C; may be NULL): vafd[o + d*ldv] = VAFD[o,d].
 * Millions (the table's units). info (may be NULL): residual of the solves, seconds,
 * flops. returns WIOT_OK | WIOT_EINVAL | WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: one transposed solve with C right-hand sides (2n^2 C flops) and 2n C^2; with
 * sector, one more solve with 2C + 1 right-hand sides; memory 8(3nC + C^2) bytes, with
 * sector 8n(2C + 1) more. */
enum wiot_tiva_item {
    WIOT_TIVA_EXPORTS = 0, WIOT_TIVA_DVA = 1, WIOT_TIVA_FVA = 2, WIOT_TIVA_NOORIGIN = 3,
    WIOT_TIVA_FORWARD = 4, WIOT_TIVA_VAX = 5, WIOT_TIVA_VA = 6, WIOT_TIVA_VAFD = 7
};
#define WIOT_TIVA_NITEMS 8
WIOT_API int wiot_tiva(wiot_ctx *ctx, const wiot_lu *lu, double *country, size_t ldc,
                       double *sector, size_t lds, double *vafd, size_t ldv, wiot_info *info);

/* Ghosh forward exposure (METHODS.md §5): dx^T = dv^T G, G = (I - B)^{-1}: the change in
 * every country-sector's output when primary inputs change by dv (dv = -v on a
 * source set: its supply stops), each buyer's output tied to its inputs by the fixed
 * allocation coefficients B. A measure of forward exposure, not a behavioural model.
 * One transposed solve (I - B)^T dx = dv with a WIOT_GHOSH factorization (no inverse).
 * dv[n], dx[n] (may alias), millions. info as wiot_content. cost 2n^2 flops. */
WIOT_API int wiot_ghosh_exposure(wiot_ctx *ctx, const wiot_lu *glu, const double *dv,
                                 double *dx, wiot_info *info);

/* Hypothetical extraction of a source's supply (METHODS.md §5; Miller & Blair ch. 12).
 * The links removed are the coefficients of sales from each i in source to buyers j
 * whose country c(j) is in to (to[C]; NULL = every country); with the flag
 * WIOT_EXTRACT_FOREIGN only those with c(j) != c(i) (the source's exports).
 *  Leontief factorization (demand-driven: the upstream loss): A* = A less those links,
 *  f = final demand (row sums of F):
 *    lost       = L f - L* f    output no longer produced: the source's lost sales
 *                               and everything upstream that went into them;
 *    lost_final = L f - L* f*   the same when the source's sales to final users in the
 *                               to countries stop as well (f* = f less those sales,
 *                               with FOREIGN only foreign final users).
 *  Ghosh factorization (supply-driven: the downstream loss): B* = B less those links,
 *    lost = G^T v - G*^T v      output of buyers downstream that no longer receive the
 *                               inputs; lost_final, if given, equals lost.
 * Both are computed directly as lost = M*^{-1} b, b = the removed flows at baseline
 * output (no difference of two large vectors), so extracting nothing loses exactly 0.
 * The baseline is the model's own (L f or G^T v = x); L f differs from the table's x
 * by its row-identity rounding.
 * method: WIOT_METHOD_WOODBURY reuses lu: the k = |source| removed rows are a rank-k
 *   change M* = M + U W (U: k columns of I, W: the removed coefficients), solved by
 *   Sherman-Morrison-Woodbury with a k x k capacitance matrix, no new factorization;
 *   WIOT_METHOD_DENSE forms M* and factors it afresh (the brute-force reference);
 *   WIOT_METHOD_NONE chooses Woodbury when 3k <= n, else dense.
 * lost[n], lost_final[n] (may be NULL): millions, >= 0 up to rounding.
 * info (may be NULL): method used, rank k, seconds, flops, and (WIOT_OPT_RESIDUAL)
 * residual max |M* lost - b| in millions.
 * returns WIOT_OK | WIOT_EINVAL | WIOT_ESINGULAR | WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: Woodbury 2n^2(k + 3) + 2nk^2 + 2k^3/3 flops, 8(2nk + k^2) bytes (n = 1435, k =
 * 35: 1.5e8 flops); dense 2n^3/3 + 6n^2 flops (2.0e9), 8n^2 bytes. */
enum wiot_extract_flags { WIOT_EXTRACT_FOREIGN = 1 };
WIOT_API int wiot_extract(wiot_ctx *ctx, const wiot_lu *lu, const unsigned char *source,
                          const unsigned char *to, int flags, int method, double *lost,
                          double *lost_final, wiot_info *info);

/* ------------------------------------------------- provider layouts (formats.c) */
/* Tables as the providers ship them (README.md "Table formats"; ../shared/FORMATS.md):
 * every reader takes labels, countries, sectors and final-demand categories from the
 * files (never from built-in lists), maps the provider's primary-input rows into v
 * (v = x - column sums of Z) and keeps them, with the units, beside the table, and
 * builds the table with wiot_table_new, so every table passes the same validation as
 * the wide CSV layout. Messages name the file (for members of an archive
 * "ARCHIVE:MEMBER"), the line and the column:
 *   "ICIO2021_2015.csv:14: column 'AUS_05T06': 'x12' is not a number". */
enum wiot_format {
    WIOT_FORMAT_AUTO = 0,      /* detect from the content (and, for a directory or zip
                                  archive, the names of its members) */
    WIOT_FORMAT_WIOT_CSV = 1,  /* the wide CSV layout (shared/data/README.md §1), plain or gzip */
    WIOT_FORMAT_BINARY = 2,    /* the binary .wiot format (wiot_table_save_binary) */
    WIOT_FORMAT_ICIO = 3,      /* OECD ICIO CSV: releases 2016, 2018, 2021, 2023 (small and
                                  extended) and 2025; plain, gzip, in a zip or a zip in a zip */
    WIOT_FORMAT_WIOD2016 = 4,  /* WIOD 2016: the R/Stata "long-wide" data converted to CSV,
                                  or a CSV saved from the Excel sheet */
    WIOT_FORMAT_EXIOBASE = 5,  /* EXIOBASE 3: Z.txt (or A.txt), Y.txt, x.txt [, unit.txt,
                                  satellite/]: a directory or the zip */
    WIOT_FORMAT_EORA26 = 6     /* Eora26: *_T.txt, *_FD.txt, *_VA.txt, labels_*.txt: a
                                  directory or the zip */
};
#define WIOT_NFORMAT 7

/* Short name of a format ("auto", "csv", "wiot", "icio", "wiod2016", "exiobase",
 * "eora26"), or NULL; and back (-1 for an unknown name). */
WIOT_API const char *wiot_format_name(int format);
WIOT_API int wiot_format_from_name(const char *name);

/* The format of path as WIOT_FORMAT_AUTO would read it. A file that is none of the
 * provider layouts is WIOT_FORMAT_WIOT_CSV (its loader then says what is wrong).
 * returns WIOT_OK | WIOT_EINVAL | WIOT_EIO | WIOT_EFORMAT (an archive or directory
 * holding no table, or several) | WIOT_ENOMEM. */
WIOT_API int wiot_format_detect(wiot_ctx *ctx, const char *path, int *format);

/* Load a table in the given format (WIOT_FORMAT_AUTO: detected; wiot_table_load does
 * the same). path: a file, a directory (EXIOBASE, Eora26), a zip archive, or
 * "ARCHIVE.zip:MEMBER" for one member of an archive holding several (e.g. the ICIO
 * 2023 bundles: "ICIO-2016-2020-extended.zip:2018.zip"). Split countries are added into
 * their parents unless WIOT_OPT_KEEP_SPLITS is 1. The table is named after the last
 * component of path.
 * returns as wiot_table_load, and WIOT_EINVAL for an unknown format.
 * cost: one pass over the text; memory: the uncompressed text of the largest file plus
 * twice the table (the reader's arrays are copied by wiot_table_new). */
WIOT_API int wiot_table_load_format(wiot_ctx *ctx, const char *path, int format,
                                    wiot_table **out);

/* A context option beside enum wiot_option (wiot_ctx_set / wiot_ctx_get). */
enum wiot_option_formats {
    WIOT_OPT_KEEP_SPLITS = 16  /* 1: keep the OECD ICIO split countries (CN1, CN2, ...,
                                  MX1, ...) as regions of their own, with zero final
                                  demand; 0 (default): add their rows and columns into
                                  the parent (CHN, MEX) */
};

/* Units of the table's values: "millions of USD" (wide CSV and binary layouts, OECD
 * ICIO, WIOD), "millions of EUR" (EXIOBASE), "thousands of USD" (Eora26). Never NULL. */
WIOT_API const char *wiot_table_units(const wiot_table *t);
/* The layout the table was read from ("OECD ICIO (2021 layout)", ...), or NULL for
 * the wide CSV and binary layouts and tables built from arrays. */
WIOT_API const char *wiot_table_source(const wiot_table *t);

/* Primary inputs as the source lists them (ICIO: TAXSUB rows or TLS, VALU or VA;
 * WIOD 2016: TXSP, EXP_adj, PURR, PURNR, VA, IntTTM; Eora26: its VA rows and the ROW
 * discrepancy row; EXIOBASE: the monetary rows of satellite/F.txt when present).
 * Their sum under intermediate column j is v[j] up to the source's rounding. Row r
 * has n + C*K values: under the n intermediate columns, then under the C*K
 * final-demand columns (taxes on final purchases). NULL if r is out of range. */
WIOT_API size_t wiot_table_inputs(const wiot_table *t);
WIOT_API const char *wiot_table_input_label(const wiot_table *t, size_t r);
WIOT_API const double *wiot_table_input(const wiot_table *t, size_t r);

/* Uses of output outside Z and F that the source lists (ICIO 2016: the DISC
 * statistical discrepancy; Eora26: sales to the ROW discrepancy row, intermediate and
 * final): n values each. They enter the row identity of wiot_check (sum_j Z +
 * sum_q F + sum of these - x). */
WIOT_API size_t wiot_table_other_uses(const wiot_table *t);
WIOT_API const char *wiot_table_other_use_label(const wiot_table *t, size_t q);
WIOT_API const double *wiot_table_other_use(const wiot_table *t, size_t q);

/* ------------------------------------------- mappings and aggregation (aggregate.c) */
/* A mapping of codes to groups, read from a CSV file (README.md "Aggregation"):
 *   code,group[,weight][,anything else]      header line, then one line per code
 *   AUT,EU27
 *   *,ROW                                    '*': every code not listed
 * Blank lines and lines starting with '#' are ignored; fields are not quoted and not
 * trimmed; extra fields are ignored (notes). A code listed twice is an error. The
 * optional weight column (a number >= 0) weights the rates of scenario sectors merged
 * by wiot_schedule_translate. Errors read "<file>:<line>: field '<field>': ...". */
typedef struct wiot_map wiot_map;
WIOT_API int wiot_map_load(wiot_ctx *ctx, const char *path, wiot_map **out);
WIOT_API int wiot_map_load_buffer(wiot_ctx *ctx, const void *data, size_t size, const char *name,
                                  wiot_map **out);
WIOT_API void wiot_map_free(wiot_map *m);
WIOT_API size_t wiot_map_size(const wiot_map *m);                      /* lines */
WIOT_API const char *wiot_map_code(const wiot_map *m, size_t i);       /* NULL out of range */
WIOT_API const char *wiot_map_group(const wiot_map *m, size_t i);
/* The group of code: its line's, else the '*' line's, else code itself. */
WIOT_API const char *wiot_map_apply(const wiot_map *m, const char *code);

/* Aggregate a table: countries through regions, sectors through sectors (either may
 * be NULL: kept). Codes absent from a map keep their own group; map lines for codes
 * absent from the table are ignored. Groups are ordered by their first member in the
 * table. Z, F (by buyer region; the final-demand categories are kept), x, the
 * primary-input rows and the other uses are summed, so every identity of the table
 * holds in the aggregate (up to the rounding of the sums: v of a group is the sum of
 * its members' v). The result is validated like any table and keeps the units.
 * returns WIOT_OK | WIOT_EINVAL (a region group code holding '_', a group code
 * equal to ...) | WIOT_ENOMEM | WIOT_ETOOLARGE | WIOT_EDATA.
 * cost: O(n^2) additions; memory the new table (n' = regions' x sectors'). */
WIOT_API int wiot_table_aggregate(wiot_ctx *ctx, const wiot_table *t, const wiot_map *regions,
                                  const wiot_map *sectors, wiot_table **out);

/* Scenarios written in another sector classification (README.md "Scenario
 * classifications"). map relates the scenario's sector codes S' to the table's codes S
 * in either direction (told apart from the table's codes):
 *  - code = scenario sector, group = table sector (S' finer than S): the rate of table
 *    sector s is the weighted mean of the rates of the scenario sectors mapped to it,
 *    weights from the map's weight column (1 where absent): a table that merges
 *    sectors cannot tell their import shares apart, so the weights must come from
 *    outside it (e.g. imports in a table of the finer classification);
 *  - code = table sector, group = scenario sector (S finer than S', every table
 *    sector or '*' listed): each table sector takes the rate of its group.
 * wiot_scenarios_new_mapped makes a scenario set whose sector codes are S' (countries
 * as t's); its schedules are C x C x S' and wiot_schedule_translate turns one into a
 * schedule on t. returns WIOT_OK | WIOT_EINVAL (map fits neither direction, with an
 * example code) | WIOT_ENOMEM. */
WIOT_API int wiot_scenarios_new_mapped(wiot_ctx *ctx, const wiot_table *t, const wiot_map *map,
                                       wiot_scenarios **out);
WIOT_API int wiot_schedule_translate(wiot_ctx *ctx, const wiot_schedule *src, const wiot_map *map,
                                     const wiot_table *t, wiot_schedule **out);

/* ============================================ value chains (kernel/gvc/, issue 15) */
/* Decompositions of gross exports and positions in value chains (METHODS.md §7):
 * Koopman, Wang & Wei (2014) nine terms, Wang, Wei & Zhu (2013) sixteen bilateral
 * terms, positions (upstreamness, downstreamness, production lengths, GVC
 * participation; Antràs et al. 2012, Wang, Wei, Yu & Zhu 2017, Dietzenbacher et al.
 * 2005) and bilateral gross trade with the value added embodied.
 * Notation: country s exports, r imports; j, i country-sectors; N = S sectors;
 * A = Z diag(1/x), B = (I - A)^{-1} (global), L_ss = (I - A_ss)^{-1} (local),
 * V_s = a_v on s's sectors, Y_rd = final demand of d for r's products (summed over
 * categories), E_s* = s's gross exports (intermediate and final sales abroad).
 *
 * A workspace (wiot_gvc) holds an accounting-consistent copy of the table: by
 * default its output is x = Z 1 + F 1 (row sums; a row whose sum is negative, a
 * lone negative inventory entry, gets x = 0 and is counted by wiot_gvc_clamped), so
 * X = B Y holds exactly and every identity below holds to rounding (decompr's
 * default; v may then be negative in a column, see wiot_gvc_negative_va). With
 * WIOT_GVC_REPORTED_GO the table's reported output is used: WIOD 2013's differs
 * from Z 1 + F 1 by up to 108 (rounding) and the identities then fail by up to ~10 %
 * in small flows. v = x - column sums of Z in either case. */
typedef struct wiot_gvc wiot_gvc;
enum wiot_gvc_flags { WIOT_GVC_REPORTED_GO = 1 };

/* Build the workspace: the table copy (its own validation, wiot_table_new), the LU of
 * I - A, W[j, o] = sum_{i in o} V[i, j] (one transposed solve, C right-hand sides)
 * and the C local factorizations of I - A_ss with a_v^T L_ss, L_ss Y_ss, L_ss E_s*.
 * t must have C >= 2. The workspace does not refer to t after the call; it is
 * read-only afterwards and may be shared by threads (one context each).
 * returns WIOT_OK | WIOT_EINVAL (NULL, unknown flags, C < 2) | WIOT_ESINGULAR (I - A
 * with x = Z 1 + F 1 singular, e.g. country-sectors that sell only to each other and
 * nothing to final users, valid with a larger reported GO) | WIOT_ENOMEM (also when
 * the memory limit is below the need) |
 * WIOT_ETOOLARGE and WIOT_EDATA (defensive: sizes of a loaded table fit; results are
 * checked finite).
 * cost: 2n^3/3 (LU) + 2n^2 C + 2nS^2 flops; memory 8(2n^2 + nC(K + 3) + n(S + 12))
 * bytes (WIOD 2013, n = 1435: 34 MB). */
WIOT_API int wiot_gvc_new(wiot_ctx *ctx, const wiot_table *t, int flags, wiot_gvc **out);
WIOT_API void wiot_gvc_free(wiot_gvc *g);
/* The table copy the decompositions use (its x is the output used), or NULL. */
WIOT_API const wiot_table *wiot_gvc_table(const wiot_gvc *g);
/* Rows whose Z 1 + F 1 was negative and got x = 0 (0 with WIOT_GVC_REPORTED_GO), and
 * columns whose v = x - 1^T Z is negative with x = Z 1 + F 1 (rounding: WIOD 1995
 * EST c10, 1 column; kept, as decompr keeps them; the LU checks the system). The
 * copy's wiot_table_check report is the input table's. */
WIOT_API size_t wiot_gvc_clamped(const wiot_gvc *g);
WIOT_API size_t wiot_gvc_negative_va(const wiot_gvc *g);
/* Intermediate entries dropped from the copy (default output only): a country-sector
 * left with x = Z 1 + F 1 <= 0 cannot buy or sell intermediates consistently (its
 * column of A is 0, so its purchases would vanish from A x, and its sales have no
 * output behind them), so its row and column of Z are zeroed and the row sums
 * recomputed (repeated until none is left). Returns their sum (millions) and, in
 * *entries (may be NULL), their number. WIOD 2013: 0 in 2011; at most a few entries
 * of 1-3 (million USD) in other years. The copy's flows are what the decompositions
 * add up to. */
WIOT_API double wiot_gvc_dropped(const wiot_gvc *g, size_t *entries);

/* KWW (Koopman, Wang & Wei 2014, their nine-term decomposition; METHODS.md §7.1): country s's gross
 * exports u E_s* as nine terms (1-based numbering, names from wiot_kww_name):
 *  1 DVA_FIN    V_s B_ss sum_{r!=s} Y_sr
 *  2 DVA_INT    V_s sum_{r!=s} B_sr Y_rr
 *  3 DVA_INTrex V_s sum_{r!=s} sum_{t!=s,r} B_sr Y_rt
 *  4 RDV_FIN    V_s sum_{r!=s} B_sr Y_rs
 *  5 RDV_INT    V_s sum_{r!=s} B_sr A_rs L_ss Y_ss
 *  6 DDC        V_s sum_{r!=s} B_sr A_rs L_ss E_s*
 *  7 FVA_FIN    sum_{t!=s} V_t B_ts sum_{r!=s} Y_sr
 *  8 FVA_INT    sum_{t!=s} V_t B_ts sum_{r!=s} A_sr L_rr Y_rr
 *  9 FDC        sum_{t!=s} V_t B_ts sum_{r!=s} A_sr L_rr E_r*   (from its formula)
 * Terms 1-6 are wiot_tiva's DVA and 7-9 its FVA on wiot_gvc_table(g); 1-3 its VAX
 * (up to the zero-output rows, below).
 * country[C x 9] (ldc >= C): term q of country s at country[s + (q-1)*ldc].
 * sector[n x 9] (lds >= n; may be NULL): the same by exporting country-sector, as
 * the WWZ terms summed over importers (wiot_wwz_to_kww; decompr's wwz2kww); the
 * sector rows of s sum to s's country row. This computes the WWZ decomposition.
 * The nine terms sum to E_s* of wiot_gvc_table(g) (see wiot_gvc_dropped). Where
 * x = 0 the workspace takes a_v = 1 (= 1 - the column sum of A, 0 there): what such
 * a row sells (final goods only, after the drop) is its own value added, so the
 * columns of V sum to 1 exactly; wiot_tiva takes a_v = 0 there (NOORIGIN), so the
 * two differ by the exports of zero-output rows (WIOD 2013: a few units at most).
 * fdc_residual[C] (may be NULL): E_s* minus terms 1-8, to check term 9 against.
 * Millions (the table's units). returns WIOT_OK | WIOT_EINVAL | WIOT_EDATA
 * (non-finite) | WIOT_ETOOLARGE | WIOT_ENOMEM, and with sector as wiot_gvc_wwz.
 * cost: 3n^2 + 6nC flops, 24n bytes; with sector as wiot_gvc_wwz. */
#define WIOT_KWW_NTERMS 9
WIOT_API int wiot_gvc_kww(wiot_ctx *ctx, const wiot_gvc *g, double *country, size_t ldc,
                          double *sector, size_t lds, double *fdc_residual);

/* WWZ (Wang, Wei & Zhu 2013, the sixteen-term decomposition; METHODS.md §7.2): the exports E_sr of
 * country-sector i (in s) to importer r != s, intermediate Z_sr 1 and final Y_sr,
 * as sixteen terms, numbered as in the paper (names from wiot_wwz_name; decompr
 * orders its columns differently, see METHODS.md §7.2):
 *  1 DVA_FIN       (V_s B_ss)^T # Y_sr
 *  2 DVA_INT       (V_s L_ss)^T # (A_sr B_rr Y_rr)
 *  3 DVA_INTrexI1  (V_s L_ss)^T # (A_sr sum_{t!=s,r} B_rt Y_tt)
 *  4 DVA_INTrexF   (V_s L_ss)^T # (A_sr B_rr sum_{t!=s,r} Y_rt)
 *  5 DVA_INTrexI2  (V_s L_ss)^T # (A_sr sum_{t!=s,r} B_rt sum_{u!=s,t} Y_tu)
 *  6 RDV_FIN       (V_s L_ss)^T # (A_sr B_rr Y_rs)
 *  7 RDV_FIN2      (V_s L_ss)^T # (A_sr sum_{t!=s,r} B_rt Y_ts)
 *  8 RDV_INT       (V_s L_ss)^T # (A_sr B_rs Y_ss)
 *  9 DDC_FIN       (V_s L_ss)^T # (A_sr B_rs sum_{t!=s} Y_st)
 * 10 DDC_INT       (V_s L_ss sum_{t!=s} A_st B_ts)^T # (A_sr X_r)
 * 11 MVA_FIN       (V_r B_rs)^T # Y_sr
 * 12 MVA_INT       (V_r B_rs)^T # (A_sr L_rr Y_rr)
 * 13 MDC           (V_r B_rs)^T # (A_sr L_rr E_r*)
 * 14 OVA_FIN       (sum_{t!=s,r} V_t B_ts)^T # Y_sr
 * 15 OVA_INT       (sum_{t!=s,r} V_t B_ts)^T # (A_sr L_rr Y_rr)
 * 16 ODC           (sum_{t!=s,r} V_t B_ts)^T # (A_sr L_rr E_r*)
 * (# is the element-wise product: the terms are per exporting sector.) They sum to
 * E_sr; summed over r they give the KWW terms by exporting sector (wiot_wwz_to_kww).
 * out[(n*C) x 16] (ld >= n*C): term k of the flow from country-sector j to importer
 * r at out[(j*C + r) + (k-1)*ld]; rows with r == c(j) are 0.
 * info (may be NULL): residual = max over flows |sum of the 16 terms - E_sr|
 * (millions), seconds, flops, method of the inverse.
 * returns WIOT_OK | WIOT_EINVAL | WIOT_EDATA | WIOT_ESINGULAR | WIOT_ETOOLARGE |
 * WIOT_ENOMEM. cost: the inverse B from the workspace's LU (dgetri: 4n^3/3 flops, 8n^2
 * bytes + 64n doubles of workspace; WIOD: 3.9e9 flops, 16 MB), 6n^2 C + 22 n^2 flops for
 * the blocks, 56 nC bytes; no n x n x C array. */
#define WIOT_WWZ_NTERMS 16
WIOT_API int wiot_gvc_wwz(wiot_ctx *ctx, const wiot_gvc *g, double *out, size_t ld,
                          wiot_info *info);

/* Names of the terms ("DVA_FIN", ...; term 1-based), NULL out of range; the KWW term
 * a WWZ term aggregates into (1..9; 0 out of range): 1->1, 2,3->2, 4,5->3, 6,7->4,
 * 8->5, 9,10->6, 11,14->7, 12,15->8, 13,16->9. */
WIOT_API const char *wiot_kww_name(int term);
WIOT_API const char *wiot_wwz_name(int term);
WIOT_API int wiot_wwz_to_kww(int term);

/* Borin & Mancini (2019, 2023) decompositions of gross exports (METHODS.md §7.6),
 * exporting-country perspective, by exporting country-sector j (in s) and importer
 * r != s (additive over both). B^(s) = (I - A^(s))^{-1} is the inverse with s's export
 * rows of A removed (production before value added first leaves s); B^(s)_ss = L_ss
 * and B^(s)_.s = B_.s B_ss^{-1} L_ss. E = E_sr[j], p = (V_s L_ss)[j]:
 *  source-based (value added counted where it first leaves its country):
 *   EXGR   E
 *   DAVAX  p (Y_sr + A_sr L_rr Y_rr): directly absorbed by the importer, no further
 *          border crossing ("traditional" trade)
 *   VAX    DAVAX + p A_sr L_rr (sum_{j!=r,s} Y_rj + sum_{l!=s} G_rl): absorbed abroad,
 *          G = A_F B Y (A_F: A off the diagonal blocks)
 *   REF    p A_sr L_rr (Y_rs + G_rs): reflected, absorbed at home;  DVA = VAX + REF = p E
 *   DDC    (V_s B_ss - V_s L_ss)[j] E: domestic double counting
 *   FVA    (sum_{t!=s} V_t B^(s)_ts)[j] E;  FDC = (sum_{t!=s} V_t (B_ts - B^(s)_ts))[j] E
 *   GVC    E - DAVAX: GVC-related trade (crosses at least two borders); GVCB = FVA +
 *          FDC + DDC (backward), GVCF = VAX - DAVAX + REF (forward), GVC = GVCB + GVCF
 *  sink-based (value added counted where it last leaves before absorption):
 *   DDC_sink  (V_s B_ss)[j] (A_sr L_rr A_F B^(s)_.s E_s*)[j];  DVA_sink = V_s B_ss E - DDC_sink
 *   FDC_sink  (sum_{t!=s} V_t B_ts)[j] (A_sr L_rr A_F B^(s)_.s E_s*)[j];
 *             FVA_sink = sum_{t!=s} V_t B_ts E - FDC_sink
 * Identities: DVA + DDC + FVA + FDC = EXGR; DVA + DDC = DVA_sink + DDC_sink (= KWW
 * terms 1-6 summed over importers); FVA + FDC = FVA_sink + FDC_sink (KWW 7-9).
 * out[(n*C) x WIOT_BM_NITEMS] (ld >= n*C): item q of the flow j -> r at
 * out[(j*C + r) + q*ld]; rows with r == c(j) are 0. Millions. info (may be NULL):
 * residual max |DVA - p E| and |sum - EXGR| over flows, seconds, flops.
 * returns WIOT_OK | WIOT_EINVAL | WIOT_ESINGULAR | WIOT_ENOMEM (also under the memory
 * limit) | WIOT_ETOOLARGE, WIOT_EDATA (defensive). cost: the inverse B from the LU
 * (4n^3/3 flops, 8n^2 bytes), 4n^2 C (B Y and A_F of it) + 4n^2 per exporter (one
 * gemv with B and one A_F product) + 12 N^2 C^2 flops; 40 nC bytes besides B. */
enum wiot_bm_item {
    WIOT_BM_EXGR = 0, WIOT_BM_DAVAX = 1, WIOT_BM_VAX = 2, WIOT_BM_REF = 3, WIOT_BM_DVA = 4,
    WIOT_BM_DDC = 5, WIOT_BM_FVA = 6, WIOT_BM_FDC = 7, WIOT_BM_GVC = 8, WIOT_BM_GVCB = 9,
    WIOT_BM_GVCF = 10, WIOT_BM_DVA_SINK = 11, WIOT_BM_DDC_SINK = 12, WIOT_BM_FVA_SINK = 13,
    WIOT_BM_FDC_SINK = 14
};
#define WIOT_BM_NITEMS 15
WIOT_API int wiot_gvc_bm(wiot_ctx *ctx, const wiot_gvc *g, double *out, size_t ld, wiot_info *info);
/* Name of a Borin-Mancini item ("EXGR", "DAVAX", ..., "FDC_sink"), NULL out of range. */
WIOT_API const char *wiot_bm_name(int item);

/* Bilateral gross trade (METHODS.md §7.5): for country-sector j and importer r
 * (rows j*C + r; 0 where r == c(j)):
 *   flows[row]       = intermediate exports sum_{k in r} Z[j, k]
 *   flows[row + ldf] = final exports sum_q F[j, r*K + q]
 *   va[row + o*ldv]  = W[j, o] (flows[row] + flows[row + ldf]): value added of
 *                      country o embodied (sum over o = the flow, x > 0)
 * flows[(n*C) x 2] (ldf >= n*C); va[(n*C) x C] (ldv >= n*C; may be NULL). Millions.
 * returns WIOT_OK | WIOT_EINVAL. cost: n C^2; no memory. */
WIOT_API int wiot_gvc_trade(wiot_ctx *ctx, const wiot_gvc *g, double *flows, size_t ldf,
                            double *va, size_t ldv);

/* Positions of every country-sector in value chains (METHODS.md §7.3):
 *   UPSTREAM   Antràs, Chor, Fally & Hillberry (2012): U = (I - Delta)^{-1} 1, Delta =
 *              diag(1/x) Z (Ghosh), = (L x) / x; >= 1; also WWYZ's forward production
 *              length of value added
 *   DOWNSTREAM 1^T L (Antràs & Chor 2013's downstreamness; WWYZ's backward production
 *              length of final goods); >= 1
 *   VA_D, VA_RT, VA_GVC_S, VA_GVC_C  (forward, by value-added-producing sector i;
 *              Wang, Wei, Yu & Zhu 2017): v[i] split into purely domestic
 *              a_v (L_loc Y_D), traditional trade a_v (L_loc Y_F), simple GVC
 *              a_v (L_loc A_F L_loc Y_D) and complex GVC a_v (B Y - L_loc Y) - simple
 *   Y_D, Y_RT, Y_GVC_S, Y_GVC_C      (backward, by final-goods-producing sector j):
 *              final output Y[j] split the same way by where its value added comes from
 *   GVC_FWD    (VA_GVC_S + VA_GVC_C) / v: forward GVC participation (0 where v = 0)
 *   GVC_BWD    (Y_GVC_S + Y_GVC_C) / Y: backward participation (0 where Y = 0)
 *   PLV_GVC    production length of GVC value added, forward: (L_loc L_loc A_F x +
 *              L_loc A_F B x) / (L_loc A_F x) (0 where the denominator is 0)
 *   PLY_GVC    backward: (a_v L_loc L_loc A_F B + a_v L_loc A_F B B) / (a_v L_loc A_F B)
 * L_loc = blockdiag(L_ss), A_F = A off the diagonal blocks, Y_D = own final demand,
 * Y_F = final exports, Y = all final demand. VA_* sum to v and Y_* to Y (up to
 * rounding). pos[n x WIOT_POS_NITEMS] (ld >= n): item q of j at pos[j + q*ld].
 * Money items in millions, lengths in stages. returns WIOT_OK | WIOT_EINVAL |
 * WIOT_EDATA | WIOT_ETOOLARGE | WIOT_ENOMEM. cost: 8 solves with the LU (16n^2 flops),
 * 2n^2 for A_F products, 16n bytes. */
enum wiot_pos_item {
    WIOT_POS_UPSTREAM = 0, WIOT_POS_DOWNSTREAM = 1,
    WIOT_POS_VA_D = 2, WIOT_POS_VA_RT = 3, WIOT_POS_VA_GVC_S = 4, WIOT_POS_VA_GVC_C = 5,
    WIOT_POS_Y_D = 6, WIOT_POS_Y_RT = 7, WIOT_POS_Y_GVC_S = 8, WIOT_POS_Y_GVC_C = 9,
    WIOT_POS_GVC_FWD = 10, WIOT_POS_GVC_BWD = 11, WIOT_POS_PLV_GVC = 12, WIOT_POS_PLY_GVC = 13
};
#define WIOT_POS_NITEMS 14
WIOT_API int wiot_gvc_positions(wiot_ctx *ctx, const wiot_gvc *g, double *pos, size_t ld);
/* Name of a position item ("upstream", "downstream", "va_d", ...), NULL out of range. */
WIOT_API const char *wiot_pos_name(int item);

/* Average propagation length (Dietzenbacher, Romero & Bosma 2005; METHODS.md §7.4)
 * from every i to the chosen columns j = cols[q]:
 *   APL[i, j] = (L (L - I))[i, j] / (L - I)[i, j]   (0 where (L - I)[i, j] = 0)
 * the mean number of stages a unit of j's final demand takes to reach i, weighted
 * by the size of each path. apl[n x m] (ld >= n). Two solves with m right-hand sides.
 * returns WIOT_OK | WIOT_EINVAL (NULL, a column >= n) | WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: 4n^2 m flops, 16 n m bytes. */
WIOT_API int wiot_gvc_apl(wiot_ctx *ctx, const wiot_gvc *g, const size_t *cols, size_t m,
                          double *apl, size_t ld);


#ifdef __cplusplus
}
#endif
#endif /* WIOT_H */
