/*
 * wiot.h -- world input-output analysis: the public C API.
 *
 * Contents (in this order):
 *   1. conventions          (this comment)
 *   2. version
 *   3. status codes and errors
 *   4. context and options  (allocator, log, progress, options, statistics, info)
 *   5. tables               (load, new, save, accessors, load-time checks)
 *   6. provider layouts, mappings and aggregation
 *   7. model                (coefficients, LU, solves, inverses, quantities, multipliers)
 *   8. tariffs              (schedules, scenarios, direct, cumulative, exact, final
 *                            prices, revenue, whole-scenario results)
 *   9. batches              (many scenarios on one factorization)
 *  10. exposure             (content, value-added origin, TiVA, Ghosh exposure,
 *                            hypothetical extraction)
 *   Sections of later features are appended after section 10.
 *
 * Conventions (stated once, valid for every function below):
 *  - Layout. Matrices are column-major (LAPACK's order). A matrix argument is a
 *    pointer plus a leading dimension (ld >= rows); element (i, j) of M is
 *    M[i + j*ld]. Country-sectors are ordered country-major: index i = c*S + s
 *    (kernel/METHODS.md §1). Final-demand columns are ordered d*K + k (country d,
 *    category k). n = C*S throughout; costs are given in n (WIOD 2013: C = 41,
 *    S = 35, K = 5, n = 1435).
 *  - Units. Sizes and indices are size_t. Money is in the table's units
 *    (wiot_table_units: WIOD and OECD ICIO "millions of USD", EXIOBASE "millions of
 *    EUR", Eora26 "thousands of USD"); "millions" below means those units. Tariff
 *    rates, price changes and shares are fractions (0.25 = 25 %).
 *  - Ownership. Input arrays are read only and never kept (tables copy what they
 *    need) unless a function says otherwise; outputs go into caller buffers or into
 *    handles. Every handle has a _new (or _load) and a _free that accepts NULL.
 *    A handle that refers to another (a factorization to its table, a batch to its
 *    factorization) needs that one to outlive it.
 *  - Status codes. Every fallible function returns an int from enum wiot_status
 *    (WIOT_OK = 0). Each contract lists every code the function can return. Common
 *    to all of them, and not repeated:
 *      * a NULL ctx gives WIOT_EINVAL with no message (there is no context to hold
 *        it); otherwise a failing call leaves a one-line message naming the
 *        argument, file, line or option in wiot_errmsg(ctx), e.g.
 *        "data/x.csv:417: column 'USA_c3': negative output -3". Each fallible call
 *        clears the previous message first;
 *      * WIOT_ENOMEM is also returned, before allocating, when work needs more
 *        memory than WIOT_OPT_MAX_MEMORY (or the memory available) allows: the
 *        message gives the size needed;
 *      * WIOT_ELAPACK, where listed, means LAPACK rejected an argument: a bug in
 *        wiot, never a property of the data;
 *      * on failure outputs are untouched unless the contract says "unspecified",
 *        and no handle is created (*out is left as it was, or set to NULL where
 *        stated); partial objects are freed.
 *    Functions returning a pointer, size or index (accessors) never fail: they
 *    return NULL, 0 or (size_t)-1 for a NULL handle or an index out of range.
 *  - Threads. A context (wiot_ctx) serves one thread at a time. Tables,
 *    factorizations, schedules, scenario sets and maps are read-only after creation
 *    and may be shared by many threads, each using its own context; results and
 *    batches are written by the call that fills them. The library never prints,
 *    never exits and keeps no mutable global state. It sets the OpenMP/BLAS thread
 *    count of the calling thread for the duration of a call (WIOT_OPT_THREADS) and
 *    restores it before returning.
 *  - Formulas refer to kernel/METHODS.md (§N = its section N); the wide CSV layout
 *    is data/LAYOUT.md §1, the provider layouts and mapping files are in
 *    kernel/formats/LAYOUTS.md, the scenario file format and the binary .wiot layout
 *    are sections "Scenario file format" and "Binary tables" of README.md.
 *  - Costs: flops in n (multiply-add = 2 flops), extra memory = what the call
 *    allocates beyond its outputs and frees before returning (or keeps in a handle,
 *    where said).
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

/* ======================================================================== */
/* 2. Version                                                               */
/* ======================================================================== */
#define WIOT_VERSION_MAJOR 0
#define WIOT_VERSION_MINOR 1
#define WIOT_VERSION_PATCH 0
#define WIOT_VERSION_NUMBER \
    (WIOT_VERSION_MAJOR * 10000 + WIOT_VERSION_MINOR * 100 + WIOT_VERSION_PATCH)

/* wiot_version_number: the library's version as MAJOR*10000 + MINOR*100 + PATCH,
 * to compare with WIOT_VERSION_NUMBER of the header a program was compiled with
 * (same MAJOR: compatible). Never fails. cost O(1). */
WIOT_API unsigned wiot_version_number(void);
/* wiot_version_string: the same as static text "MAJOR.MINOR.PATCH" ("0.1.0").
 * Never NULL, never fails. cost O(1). */
WIOT_API const char *wiot_version_string(void);

/* ======================================================================== */
/* 3. Status codes and errors                                               */
/* ======================================================================== */
/* Status codes returned by every fallible function. Never renumbered; new codes are
 * added at the end only. */
enum wiot_status {
    WIOT_OK = 0,
    WIOT_EINVAL = 1,     /* invalid argument (NULL, bad size, out-of-range option) */
    WIOT_ENOMEM = 2,     /* allocation failed, or refused by the memory limit */
    WIOT_EIO = 3,        /* a file could not be opened, read or written */
    WIOT_EFORMAT = 4,    /* a file is malformed (header, ragged row, bad number, ...) */
    WIOT_EDATA = 5,      /* the data violate the model (NaN, negative output, sum A >= 1) */
    WIOT_ESINGULAR = 6,  /* a system is singular to working precision */
    WIOT_ETOOLARGE = 7,  /* a size overflows size_t or LAPACK's integer */
    WIOT_ENOTFOUND = 8,  /* an unknown code, label, member or scenario name */
    WIOT_ENOCONV = 9,    /* an iteration did not converge */
    WIOT_ELAPACK = 10    /* LAPACK reported an unexpected argument error (a bug) */
};
#define WIOT_NSTATUS 11

/* wiot_strerror: static text for a status code ("invalid argument", ...);
 * "unknown status" outside 0..WIOT_NSTATUS-1. Never NULL, never fails. cost O(1). */
WIOT_API const char *wiot_strerror(int status);

/* ======================================================================== */
/* 4. Context and options                                                   */
/* ======================================================================== */
/* A context: allocator, options, the last error message, statistics. Every
 * computing function takes one as its first argument. */
typedef struct wiot_ctx wiot_ctx;

/* Allocator hooks. alloc(ud, size) returns NULL on failure; release(ud, NULL) must be
 * accepted. Both are called from the thread that uses the context (and, for handles,
 * from whichever thread frees them: a handle keeps a copy of the allocator, so it
 * may outlive the context that made it). */
typedef struct wiot_allocator {
    void *(*alloc)(void *ud, size_t size);
    void (*release)(void *ud, void *ptr);
    void *ud;
} wiot_allocator;

/* Log callback: receives warnings (level WIOT_LOG_WARN) such as "row identity off by
 * more than the tolerance in 1200 rows", from the calling thread, during the call
 * that finds them. NULL by default: nothing is reported except through the table's
 * check report (wiot_table_check, wiot_table_warning). */
enum wiot_log_level { WIOT_LOG_WARN = 1, WIOT_LOG_INFO = 2 };
typedef void (*wiot_log_fn)(void *ud, int level, const char *message);

/* wiot_ctx_new / wiot_ctx_new_custom: create a context with malloc/free, or with the
 * given allocator (copied; alloc and release must both be non-NULL). Options start at
 * their defaults (enum wiot_option); the memory available to the process (RAM + swap,
 * lowered by a cgroup limit or ulimit -v) is read once here.
 * out: receives the context; *out is NULL on failure.
 * returns WIOT_OK | WIOT_EINVAL (out NULL; allocator, alloc or release NULL) |
 *   WIOT_ENOMEM. No message on failure (there is no context yet).
 * cost: one allocation of a few KiB (the message buffer lives in the context). */
WIOT_API int wiot_ctx_new(wiot_ctx **out);
WIOT_API int wiot_ctx_new_custom(const wiot_allocator *allocator, wiot_ctx **out);
/* wiot_ctx_free: release a context (NULL accepted). Handles made with it stay valid:
 * their blocks are metered through a counter held in the context's own block, which is
 * therefore released with the last of them (one context-sized block, a few KiB). */
WIOT_API void wiot_ctx_free(wiot_ctx *ctx);

/* Options, set through one setter so a new knob never breaks the ABI. */
enum wiot_option {
    WIOT_OPT_THREADS = 1,      /* threads for OpenMP regions and BLAS: an integer in
                                  0..4096; 0 = OpenMP's default (omp_get_max_threads());
                                  default 0 */
    WIOT_OPT_ROW_TOL_REL = 2,  /* row identity |sum_j Z + sum_q F - x| <= max(abs, rel*x):
                                  rows outside are counted and reported as one warning;
                                  >= 0, default rel 1e-3 */
    WIOT_OPT_ROW_TOL_ABS = 3,  /* >= 0, default 0.5 (half a unit of the source's rounding) */
    WIOT_OPT_RESIDUAL = 4,     /* 1: inverses and exposure solves also compute their
                                  residual (inverses: ||(I-A)L - I||_max, 2n^3 extra
                                  flops); 0: skip (info->residual = -1); default 1 */
    WIOT_OPT_HUGEPAGES = 5,    /* 1: madvise(MADV_HUGEPAGE) on matrices >= 4 MiB; default 1 */
    WIOT_OPT_INVERSE = 6,      /* algorithm of wiot_leontief / wiot_ghosh (enum
                                  wiot_inverse_path); default WIOT_INVERSE_AUTO */
    WIOT_OPT_MAX_MEMORY = 7,   /* the memory budget of the context: the most bytes live
                                  at once in blocks allocated through it (tables, the
                                  text of files, factorizations, workspaces, results,
                                  and wiot_alloc blocks; until the handle holding them
                                  is freed, even after wiot_ctx_free). An allocation or
                                  work that would take the live total above it is
                                  refused before allocating with WIOT_ENOMEM and a
                                  message giving the size needed, what it was for and
                                  what is in use. A whole number >= 0; 0 (default) =
                                  the memory available to the process: RAM + swap,
                                  lowered by a cgroup limit or ulimit -v. Not counted:
                                  the BLAS's and OpenMP's own buffers, the C library */
    WIOT_OPT_MEMORY_LIVE = 8,  /* read-only (wiot_ctx_get): bytes live now through the
                                  context, as the budget counts them */
    WIOT_OPT_MEMORY_PEAK = 9   /* read-only: the most bytes live at once since creation */
};
/* An option of the provider readers, in its own enum (historical); set and read with
 * wiot_ctx_set / wiot_ctx_get like those of enum wiot_option. */
enum wiot_option_formats {
    WIOT_OPT_KEEP_SPLITS = 16  /* 1: keep the OECD ICIO split countries (CN1, CN2, ...,
                                  MX1, ...) as regions of their own, with zero final
                                  demand; 0 (default): add their rows and columns into
                                  the parent (CHN, MEX) */
};
/* Values of WIOT_OPT_INVERSE. */
enum wiot_inverse_path {
    WIOT_INVERSE_AUTO = 0,      /* recursive when I - A is column (I - B row) diagonally
                                   dominant with margin, else LAPACK */
    WIOT_INVERSE_LAPACK = 1,    /* always dgetrf + dgetri (partial pivoting) */
    WIOT_INVERSE_RECURSIVE = 2  /* always the recursive block inverse (no pivoting between
                                   blocks; the caller vouches for the matrix) */
};
/* wiot_ctx_set: set option (enum wiot_option or WIOT_OPT_KEEP_SPLITS) to value; the
 * value's range is given with each option. It applies to later calls on ctx.
 * returns WIOT_OK | WIOT_EINVAL (NULL ctx, unknown option, value not finite or out of
 * the option's range: "threads must be an integer in 0..4096, got 1.5"); on failure
 * the option keeps its value. cost O(1). */
WIOT_API int wiot_ctx_set(wiot_ctx *ctx, int option, double value);
/* wiot_ctx_get: the current value of option into *value.
 * returns WIOT_OK | WIOT_EINVAL (NULL ctx or value, unknown option; no message).
 * cost O(1). */
WIOT_API int wiot_ctx_get(const wiot_ctx *ctx, int option, double *value);
/* wiot_ctx_set_log: install (fn != NULL) or remove (fn == NULL) the log callback;
 * ud is passed back to fn. returns WIOT_OK | WIOT_EINVAL (NULL ctx). cost O(1). */
WIOT_API int wiot_ctx_set_log(wiot_ctx *ctx, wiot_log_fn fn, void *ud);

/* Progress reporting for long calls (batches): fn(ud, done, total) is called from
 * the calling thread between chunks of work. NULL (the default) disables it. */
typedef void (*wiot_progress_fn)(void *ud, size_t done, size_t total);
/* wiot_ctx_set_progress: install (fn != NULL) or remove (NULL) the progress
 * callback. returns WIOT_OK | WIOT_EINVAL (NULL ctx). cost O(1). */
WIOT_API int wiot_ctx_set_progress(wiot_ctx *ctx, wiot_progress_fn fn, void *ud);

/* wiot_errmsg: the message of the last failed call on this context ("" if none, or
 * if the last call succeeded); valid until the next call on the context. Never NULL
 * (also for ctx == NULL, which gives ""). cost O(1). */
WIOT_API const char *wiot_errmsg(const wiot_ctx *ctx);

/* Statistics of a context: allocations through it and work done on it. */
typedef struct wiot_stats {
    size_t bytes_allocated;  /* bytes allocated through this context (cumulative) */
    size_t allocations;      /* number of successful allocations (cumulative) */
    double flops;            /* floating-point operations counted by kernels */
    double seconds;          /* wall seconds spent in kernels */
} wiot_stats;
/* wiot_ctx_stats: copy the context's statistics into *out.
 * returns WIOT_OK | WIOT_EINVAL (NULL ctx or out; no message). cost O(1). */
WIOT_API int wiot_ctx_stats(const wiot_ctx *ctx, wiot_stats *out);

/* Algorithms. As a member of wiot_info: the method a computation used. As the
 * method argument of wiot_price_exact and wiot_extract: the method asked for, where
 * WIOT_METHOD_AUTO (= WIOT_METHOD_NONE) lets the function choose. */
enum wiot_method {
    WIOT_METHOD_NONE = 0,        /* nothing computed (info), or: choose (argument) */
    WIOT_METHOD_AUTO = 0,        /* alias of WIOT_METHOD_NONE for the argument */
    WIOT_METHOD_LU = 1,          /* LAPACK dgetrf/dgetrs on the baseline system */
    WIOT_METHOD_INVERSE = 2,     /* LAPACK dgetri (explicit inverse) */
    WIOT_METHOD_WOODBURY = 3,    /* Sherman-Morrison-Woodbury rank-k update of the LU */
    WIOT_METHOD_ITERATION = 4,   /* fixed point p <- L^T (d + E^T p) on the LU */
    WIOT_METHOD_DENSE = 5,       /* a fresh dense LU of the whole perturbed system */
    WIOT_METHOD_RECURSIVE = 6    /* explicit inverse by recursive 2x2 block (Schur
                                    complement) inversion, nearly all flops in dgemm */
};
/* Quality and cost of one computation, filled by functions taking a wiot_info *info
 * (NULL: not reported). Meaningful on success only (unspecified after a failure). */
typedef struct wiot_info {
    double residual;          /* max-norm residual of the result (see each function);
                                 -1 where not computed (WIOT_OPT_RESIDUAL 0) */
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

/* ======================================================================== */
/* 5. Tables                                                                */
/* ======================================================================== */
/* A world input-output table (kernel/METHODS.md §1): C countries, S sectors, K
 * final-demand categories, Z [n x n], F [n x C*K], x [n], v [n] = x - column sums of
 * Z, with labels, validated once when it is made and read-only afterwards. */
typedef struct wiot_table wiot_table;

/* wiot_table_load: load a table from path. The format is detected from the content,
 * never from the name: the wide CSV layout (data/LAYOUT.md §1), plain or gzip, the
 * binary .wiot format (wiot_table_save_binary), or any provider layout (section 6:
 * a file, a directory, a zip archive or "ARCHIVE.zip:MEMBER"), as
 * wiot_table_load_format(ctx, path, WIOT_FORMAT_AUTO, out). Labels come from the
 * file: C countries, S sectors and K final-demand categories are inferred from the
 * header and the row labels. The table is validated once (see wiot_check): rounding
 * of the row identity is a warning (log callback and wiot_table_warning), not an
 * error. The table is named after the last component of path; its year is taken
 * from the name (wiot_table_year).
 * out: receives the table (free with wiot_table_free).
 * returns WIOT_OK | WIOT_EINVAL (ctx, path or out NULL) | WIOT_EIO (cannot open or
 *   read) | WIOT_EFORMAT (header, labels, ragged rows, non-numeric cells, truncated
 *   gzip, empty file, a truncated or corrupted .wiot) | WIOT_EDATA (NaN/Inf, negative
 *   Z, x or v, VA or GO row inconsistent with Z and x, a column of A summing to 1 or
 *   more) | WIOT_ENOTFOUND (no such member in an archive) | WIOT_ETOOLARGE |
 *   WIOT_ENOMEM. Messages name the file, line and column.
 * cost: one pass over the text; memory 8(n^2 + n*C*K + 2n) bytes held by the table
 *   plus the text of the file while loading (a .wiot file is mapped, not copied). */
WIOT_API int wiot_table_load(wiot_ctx *ctx, const char *path, wiot_table **out);

/* wiot_table_load_buffer: the same from memory: data[size] holds plain or gzip CSV
 * text or .wiot bytes, which are copied (the table does not refer to data after the
 * call); name is used in messages and as the table's name (NULL: "buffer"). data
 * may be NULL only when size is 0 (then: WIOT_EFORMAT, empty). Provider layouts
 * (section 6) are not read from memory. *out is NULL on failure.
 * returns WIOT_OK | WIOT_EINVAL (ctx or out NULL, data NULL with size > 0) | WIOT_EFORMAT |
 *   WIOT_EDATA | WIOT_ETOOLARGE | WIOT_ENOMEM, as wiot_table_load.
 * cost: as wiot_table_load, plus the uncompressed text for gzip input. */
WIOT_API int wiot_table_load_buffer(wiot_ctx *ctx, const void *data, size_t size,
                                    const char *name, wiot_table **out);

/* wiot_table_load_static: the same from memory that outlives the table: a .wiot
 * image (wiot_table_save_binary) at an 8-byte aligned address is used in place -- Z,
 * F and x point into data, nothing of the matrices is copied or allocated, so
 * loading takes about as long as the checksum pass (a few ms for WIOD 2011; the wiot
 * CLI embeds its default table this way). data must stay valid and unchanged until
 * wiot_table_free. Anything else (CSV text, gzip, an unaligned image) is loaded as
 * by wiot_table_load_buffer.
 * returns WIOT_OK | WIOT_EINVAL (ctx, out or data NULL) |
 *   WIOT_EFORMAT (a truncated or corrupted image; as wiot_table_load_buffer) |
 *   WIOT_EDATA | WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: in place: one checksum pass over size bytes, O(n) bytes allocated (labels
 *   and vectors); otherwise as wiot_table_load_buffer. */
WIOT_API int wiot_table_load_static(wiot_ctx *ctx, const void *data, size_t size,
                                    const char *name, wiot_table **out);

/* wiot_table_new: build a table from caller arrays (copied; desc and its arrays are
 * not kept). Z[n x n] (ldz >= n), F[n x C*K] (ldf >= n; may be NULL when K == 0),
 * x[n] (NULL: x = row sums of Z and F), in the table's units. v = x - column sums of
 * Z. Labels are copied; codes must be non-empty, unique, and free of ',', '"' and
 * control characters ('_' is allowed). Same validation as wiot_table_load.
 * returns WIOT_OK | WIOT_EINVAL (ctx, desc, out, Z, F (K > 0) or a code array NULL,
 *   C or S 0, ldz or ldf < n, a code NULL, empty, repeated or holding a forbidden
 *   character) | WIOT_EDATA (as wiot_table_load) | WIOT_ETOOLARGE (C*S*... overflows)
 *   | WIOT_ENOMEM.
 * cost: O(n^2 + n*C*K) for copy and checks; memory as the loaded table. */
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

/* wiot_table_save: write t in the wide CSV layout (gzip when path ends in ".gz"; the
 * binary .wiot format when it ends in ".wiot"), atomically: a temporary file in the
 * same directory, renamed over path on success (nothing half-written is ever left
 * at path; the temporary is removed on failure). Each value is written as the
 * shortest of %.15g/%.16g/%.17g that reads back to the same double, so save then
 * load reproduces the table exactly.
 * returns WIOT_OK | WIOT_EINVAL (ctx or t NULL, path NULL or empty) | WIOT_EIO
 *   (cannot create, write or rename; the message names the file) | WIOT_ENOMEM.
 * cost: O(n^2 + n*C*K) formatting; memory a line buffer (gzip: the compressor's
 *   state). */
WIOT_API int wiot_table_save(wiot_ctx *ctx, const wiot_table *t, const char *path);

/* wiot_table_save_binary: write t in the binary .wiot format (whatever path's
 * extension), atomically as wiot_table_save. Layout (version 1, the machine's byte
 * order, little-endian on every supported machine; README.md "Binary tables"): a
 * 4096-byte header (magic "WIOT\0BIN", version, byte-order mark, C, S, K, n, offset
 * and length of each section, an XXH64 checksum of the data and one of the header),
 * the labels (country, sector and final-demand codes and the table's name,
 * NUL-terminated), then Z [n x n], F [n x C*K], x [n] and v [n] as column-major
 * doubles, each starting on a 4096-byte boundary so a mapping of the file holds them
 * in place.
 * wiot_table_load of a .wiot file maps it read-only and the table keeps the mapping
 * (Z, F and x are read in place, nothing is copied): do not modify or truncate the
 * file in place while the table lives (replacing it by rename, as this function
 * does, is safe). A truncated or corrupted file is WIOT_EFORMAT (sizes and offsets
 * are checked against the file's size before any data are read; then both
 * checksums); the data then get the CSV loader's checks (WIOT_EDATA) and the check
 * report is recomputed, so wiot_table_check reports as for the CSV.
 * returns WIOT_OK | WIOT_EINVAL (ctx, t or path NULL, path empty) | WIOT_EIO
 *   (message names the file) | WIOT_ENOMEM.
 * cost: one pass over the data for the checksum; file size about 8(n^2 + n*C*K + 2n)
 *   bytes + 4 KiB per section (WIOD 2011: 18.9 MB). Loading WIOD 2011: a few ms. */
WIOT_API int wiot_table_save_binary(wiot_ctx *ctx, const wiot_table *t, const char *path);

/* wiot_table_free: release a table (NULL accepted); unmaps a mapped .wiot file.
 * Factorizations, schedules, results and batches made on t must be freed first. */
WIOT_API void wiot_table_free(wiot_table *t);

/* Accessors (never fail; 0, NULL or (size_t)-1 for a NULL table or an index out of
 * range; cost O(1) unless said). Strings belong to the table. */
WIOT_API size_t wiot_table_n(const wiot_table *t);             /* n = C*S */
WIOT_API size_t wiot_table_countries(const wiot_table *t);     /* C */
WIOT_API size_t wiot_table_sectors(const wiot_table *t);       /* S */
WIOT_API size_t wiot_table_fd_categories(const wiot_table *t); /* K */
WIOT_API const char *wiot_table_country(const wiot_table *t, size_t c);   /* code of c < C */
WIOT_API const char *wiot_table_sector(const wiot_table *t, size_t s);    /* code of s < S */
WIOT_API const char *wiot_table_fd_category(const wiot_table *t, size_t k); /* code of k < K */
/* Index of a code, or (size_t)-1 (also for code NULL). Codes compare
 * case-sensitively ("RoW"). cost O(C) / O(S) string comparisons. */
WIOT_API size_t wiot_table_find_country(const wiot_table *t, const char *code);
WIOT_API size_t wiot_table_find_sector(const wiot_table *t, const char *code);
WIOT_API const char *wiot_table_name(const wiot_table *t);      /* file name or desc->name */
WIOT_API int wiot_table_year(const wiot_table *t);              /* from the name, or 0 */

/* Read-only views of the data (column-major, ld = n), in the table's units, valid
 * while the table lives. F is NULL when K == 0. */
WIOT_API const double *wiot_table_Z(const wiot_table *t);   /* n x n */
WIOT_API const double *wiot_table_F(const wiot_table *t);   /* n x C*K */
WIOT_API const double *wiot_table_x(const wiot_table *t);   /* n: gross output */
WIOT_API const double *wiot_table_v(const wiot_table *t);   /* n: x - column sums of Z */

/* The checks done when the table was made. Row identity is only approximate in
 * rounded tables (WIOD 2013: up to ~110 million USD), so it yields a warning, not an
 * error; its tolerances are the context's WIOT_OPT_ROW_TOL_REL / _ABS at load. */
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
/* wiot_table_check: the table's check report (owned by the table), or NULL. */
WIOT_API const wiot_check *wiot_table_check(const wiot_table *t);
/* wiot_table_warning: warning i (0 <= i < check->warnings) as one line, or NULL. */
WIOT_API const char *wiot_table_warning(const wiot_table *t, size_t i);

/* ======================================================================== */
/* 6. Provider layouts, mappings and aggregation                            */
/* ======================================================================== */
/* Tables as the providers ship them (kernel/formats/LAYOUTS.md): every reader takes
 * labels, countries, sectors and final-demand categories from the files (never from
 * built-in lists), maps the provider's primary-input rows into v (v = x - column
 * sums of Z) and keeps them, with the units, beside the table, and builds the table
 * with wiot_table_new, so every table passes the same validation as the wide CSV
 * layout. Messages name the file (for members of an archive "ARCHIVE:MEMBER"), the
 * line and the column:
 *   "ICIO2021_2015.csv:14: column 'AUS_05T06': 'x12' is not a number". */
enum wiot_format {
    WIOT_FORMAT_AUTO = 0,      /* detect from the content (and, for a directory or zip
                                  archive, the names of its members) */
    WIOT_FORMAT_WIOT_CSV = 1,  /* the wide CSV layout (data/LAYOUT.md §1), plain or gzip */
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

/* wiot_format_name: short name of a format ("auto", "csv", "wiot", "icio",
 * "wiod2016", "exiobase", "eora26"), or NULL outside 0..WIOT_NFORMAT-1.
 * wiot_format_from_name: back, case-insensitively, also accepting "binary", "wiod",
 * "eora", "exio" and "exiobase3"; -1 for an unknown name or NULL. Never fail;
 * cost O(1). */
WIOT_API const char *wiot_format_name(int format);
WIOT_API int wiot_format_from_name(const char *name);

/* wiot_format_detect: the format of path as WIOT_FORMAT_AUTO would read it, into
 * *format (enum wiot_format). Reads the first bytes of a file, or the member names of
 * a directory or archive. A file that is none of the provider layouts is
 * WIOT_FORMAT_WIOT_CSV (its loader then says what is wrong).
 * returns WIOT_OK | WIOT_EINVAL (ctx, path or format NULL) | WIOT_EIO (cannot open
 *   or read) | WIOT_EFORMAT (an archive or directory holding no table, or several; a
 *   damaged archive) | WIOT_ENOTFOUND ("ARCHIVE.zip:MEMBER" names no member) |
 *   WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: a few KiB read; an archive's central directory. */
WIOT_API int wiot_format_detect(wiot_ctx *ctx, const char *path, int *format);

/* wiot_table_load_format: load a table in the given format (WIOT_FORMAT_AUTO:
 * detected; wiot_table_load does the same). path: a file, a directory (EXIOBASE,
 * Eora26), a zip archive, or "ARCHIVE.zip:MEMBER" for one member of an archive
 * holding several (e.g. the ICIO 2023 bundles:
 * "ICIO-2016-2020-extended.zip:2018.zip"). Split countries are added into their
 * parents unless WIOT_OPT_KEEP_SPLITS is 1. The table is named after the last
 * component of path.
 * returns WIOT_OK | WIOT_EINVAL (NULL argument, unknown format) | WIOT_EIO |
 *   WIOT_EFORMAT | WIOT_EDATA | WIOT_ENOTFOUND (no such member) | WIOT_ETOOLARGE |
 *   WIOT_ENOMEM, with the meanings of wiot_table_load.
 * cost: one pass over the text; memory: the uncompressed text of the largest file plus
 *   twice the table (the reader's arrays are copied by wiot_table_new). */
WIOT_API int wiot_table_load_format(wiot_ctx *ctx, const char *path, int format,
                                    wiot_table **out);

/* What a provider's table carries beside Z, F and x (accessors: never fail; cost
 * O(1); strings and arrays belong to the table).
 * wiot_table_units: units of the table's values: "millions of USD" (wide CSV and
 * binary layouts, OECD ICIO, WIOD), "millions of EUR" (EXIOBASE), "thousands of USD"
 * (Eora26). Never NULL (also "millions of USD" for t == NULL).
 * wiot_table_source: the layout the table was read from ("OECD ICIO (2021 layout)",
 * ...; aggregates add "aggregated (C' x S' from C x S)"), or NULL for the wide CSV
 * and binary layouts and tables built from arrays. */
WIOT_API const char *wiot_table_units(const wiot_table *t);
WIOT_API const char *wiot_table_source(const wiot_table *t);

/* Primary inputs as the source lists them (ICIO: TAXSUB rows or TLS, VALU or VA;
 * WIOD 2016: TXSP, EXP_adj, PURR, PURNR, VA, IntTTM; Eora26: its VA rows and the ROW
 * discrepancy row; EXIOBASE: the monetary rows of satellite/F.txt when present).
 * Their sum under intermediate column j is v[j] up to the source's rounding.
 * wiot_table_inputs: the number of rows (0 for other tables).
 * wiot_table_input_label / wiot_table_input: the label and values of row r; row r
 * has n + C*K values: under the n intermediate columns, then under the C*K
 * final-demand columns (taxes on final purchases). NULL if r is out of range. */
WIOT_API size_t wiot_table_inputs(const wiot_table *t);
WIOT_API const char *wiot_table_input_label(const wiot_table *t, size_t r);
WIOT_API const double *wiot_table_input(const wiot_table *t, size_t r);

/* Uses of output outside Z and F that the source lists (ICIO 2016: the DISC
 * statistical discrepancy; Eora26: sales to the ROW discrepancy row, intermediate and
 * final): n values each. They enter the row identity of wiot_check (sum_j Z +
 * sum_q F + sum of these - x).
 * wiot_table_other_uses: their number (0 for other tables);
 * wiot_table_other_use_label / wiot_table_other_use: label and n values of use q, or
 * NULL if q is out of range. */
WIOT_API size_t wiot_table_other_uses(const wiot_table *t);
WIOT_API const char *wiot_table_other_use_label(const wiot_table *t, size_t q);
WIOT_API const double *wiot_table_other_use(const wiot_table *t, size_t q);

/* A mapping of codes to groups, read from a CSV file (kernel/formats/LAYOUTS.md):
 *   code,group[,weight][,anything else]      header line, then one line per code
 *   AUT,EU27
 *   *,ROW                                    '*': every code not listed
 * Blank lines and lines starting with '#' are ignored; fields are not quoted and not
 * trimmed; extra fields are ignored (notes). A code listed twice is an error. The
 * optional weight column (a number >= 0) weights the rates of scenario sectors merged
 * by wiot_schedule_translate. Errors read "<file>:<line>: field '<field>': ...".
 * Read-only after loading; may be shared by threads. */
typedef struct wiot_map wiot_map;
/* wiot_map_load: read a mapping file (plain text or gzip) into a new map.
 * wiot_map_load_buffer: the same from data[size] (plain text, copied); name is used
 * in messages.
 * returns WIOT_OK | WIOT_EINVAL (NULL argument) | WIOT_EIO (wiot_map_load: cannot
 *   open or read) | WIOT_EFORMAT (bad header, too few fields, an empty or invalid
 *   code or group, a weight that is not a number >= 0, a code listed twice, an empty
 *   file, damaged gzip) | WIOT_ENOMEM.
 * cost: one pass over the text, a code lookup per line (O(lines^2) comparisons);
 *   memory the text plus the codes. */
WIOT_API int wiot_map_load(wiot_ctx *ctx, const char *path, wiot_map **out);
WIOT_API int wiot_map_load_buffer(wiot_ctx *ctx, const void *data, size_t size, const char *name,
                                  wiot_map **out);
/* wiot_map_free: release a map (NULL accepted). */
WIOT_API void wiot_map_free(wiot_map *m);
/* Accessors (never fail): number of lines (the '*' line included), and the code and
 * group of line i (NULL out of range). cost O(1). */
WIOT_API size_t wiot_map_size(const wiot_map *m);                      /* lines */
WIOT_API const char *wiot_map_code(const wiot_map *m, size_t i);       /* NULL out of range */
WIOT_API const char *wiot_map_group(const wiot_map *m, size_t i);
/* wiot_map_apply: the group of code: its line's, else the '*' line's, else code
 * itself (also when m or code is NULL). Never fails. cost O(lines) comparisons. */
WIOT_API const char *wiot_map_apply(const wiot_map *m, const char *code);

/* wiot_table_aggregate: aggregate a table: countries through regions, sectors through
 * sectors (either may be NULL: kept). Codes absent from a map keep their own group;
 * map lines for codes absent from the table are ignored. Groups are ordered by their
 * first member in the table. Z, F (by buyer region; the final-demand categories are
 * kept), x, the primary-input rows and the other uses are summed, so every identity
 * of the table holds in the aggregate (up to the rounding of the sums: v of a group
 * is the sum of its members' v). The result is validated like any table and keeps
 * the units; its source (wiot_table_source) says "aggregated (...)".
 * out: the new table (C' regions x S' sectors, n' = C' S').
 * returns WIOT_OK | WIOT_EINVAL (ctx, t or out NULL; a region group code holding
 *   '_', which would break the labels REGION_SECTOR) | WIOT_EFORMAT (a group code
 *   that is not a valid code) | WIOT_EDATA (validation of the aggregate) |
 *   WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: O(n^2 + n*C*K) additions; memory the new table (8(n'^2 + n' C' K + 2n')
 *   bytes) and O(C + S) indices. */
WIOT_API int wiot_table_aggregate(wiot_ctx *ctx, const wiot_table *t, const wiot_map *regions,
                                  const wiot_map *sectors, wiot_table **out);

/* ======================================================================== */
/* 7. Model: coefficients, factorizations, solves, inverses, multipliers    */
/* ======================================================================== */
/* wiot_coefficients: technical coefficients A[i,j] = Z[i,j] / x[j], 0 where
 * x[j] = 0 (kernel/METHODS.md §2). A[n x n] col-major, lda >= n (output).
 * returns WIOT_OK | WIOT_EINVAL (t or A NULL, lda < n).
 * cost: n^2 divisions, no extra memory. */
WIOT_API int wiot_coefficients(wiot_ctx *ctx, const wiot_table *t, double *A, size_t lda);
/* wiot_va_coefficients: value-added coefficients a_v[j] = v[j] / x[j]
 * = 1 - sum_i A[i,j], 0 where x[j] = 0 (kernel/METHODS.md §2). av[n] (output).
 * returns WIOT_OK | WIOT_EINVAL (t or av NULL). cost: n, no extra memory. */
WIOT_API int wiot_va_coefficients(wiot_ctx *ctx, const wiot_table *t, double *av);
/* wiot_allocation: allocation (output) coefficients B[i,j] = Z[i,j] / x[i], 0 where
 * x[i] = 0 (kernel/METHODS.md §2). B[n x n] col-major, ldb >= n (output).
 * returns WIOT_OK | WIOT_EINVAL (t or B NULL, ldb < n) | WIOT_EDATA (an entry
 *   overflows: a tiny x[i] under large sales; B is then unspecified).
 * cost: n^2 divisions, no extra memory. */
WIOT_API int wiot_allocation(wiot_ctx *ctx, const wiot_table *t, double *B, size_t ldb);

/* A factorization: the LU (dgetrf, partial pivoting) of I - A or I - B of one table,
 * kept for solves; read-only after creation, may be shared by threads. */
typedef struct wiot_lu wiot_lu;
/* Which system a factorization (or an inverse) holds: the choice of ONE model, the
 * `model` argument of wiot_lu_new and the value of wiot_lu_model. (Not to be confused
 * with enum wiot_price_models, a bit set of tariff price models to run.) */
enum wiot_model {
    WIOT_LEONTIEF = 0,              /* demand-driven: I - A, L = (I - A)^{-1} */
    WIOT_GHOSH = 1,                 /* supply-driven: I - B, G = (I - B)^{-1} */
    WIOT_MODEL_LEONTIEF = WIOT_LEONTIEF,  /* the same, in the WIOT_MODEL_ family */
    WIOT_MODEL_GHOSH = WIOT_GHOSH
};
/* The `trans` argument of solves: WIOT_NOTRANS solves M X = B, WIOT_TRANS M^T X = B
 * (M = I - A or I - B). */
enum wiot_trans { WIOT_NOTRANS = 0, WIOT_TRANS = 1 };

/* wiot_lu_new: LU factorization (dgetrf) of M = I - A (WIOT_LEONTIEF) or M = I - B
 * (WIOT_GHOSH) of t (kernel/METHODS.md §2), with LAPACK's condition estimate
 * (dgecon). The factorization refers to t, which must outlive it.
 * out: the factorization (free with wiot_lu_free). info (may be NULL): method
 * WIOT_METHOD_LU, seconds and flops of dgetrf, rcond.
 * returns WIOT_OK | WIOT_EINVAL (t or out NULL, model not WIOT_LEONTIEF/WIOT_GHOSH)
 *   | WIOT_ESINGULAR (an exactly zero pivot, or rcond < n eps: the message names the
 *   column with the smallest pivot and its column sum of A / row sum of B) |
 *   WIOT_EDATA (WIOT_GHOSH: an entry of B overflows, as wiot_allocation) |
 *   WIOT_ETOOLARGE (n beyond LAPACK's integer) | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: 2n^3/3 flops (n = 1435: 2.0e9) + O(n^2) for forming M and dgecon; 8n^2 +
 *   8n bytes held by the handle, 40n bytes extra during the call. */
WIOT_API int wiot_lu_new(wiot_ctx *ctx, const wiot_table *t, int model, wiot_lu **out,
                         wiot_info *info);
/* wiot_lu_free: release a factorization (NULL accepted). */
WIOT_API void wiot_lu_free(wiot_lu *lu);
/* Accessors (never fail; cost O(1)): order n (0 for NULL), model (enum wiot_model; -1
 * for NULL), the table it was made from (NULL for NULL). */
WIOT_API size_t wiot_lu_n(const wiot_lu *lu);
WIOT_API int wiot_lu_model(const wiot_lu *lu);
WIOT_API const wiot_table *wiot_lu_table(const wiot_lu *lu);

/* wiot_lu_solve: solve M X = B (WIOT_NOTRANS; Leontief: the quantity model, X = L B)
 * or M^T X = B (WIOT_TRANS; Leontief: the price model, X = L^T B) in place, for nrhs
 * right-hand sides B[n x nrhs], ldb >= n (kernel/METHODS.md §2-3). B may be NULL when
 * nrhs is 0.
 * returns WIOT_OK | WIOT_EINVAL (lu NULL, B NULL with nrhs > 0, trans not
 *   WIOT_NOTRANS/WIOT_TRANS, ldb < n) | WIOT_EDATA (a right-hand side entry, or a
 *   solution entry, is NaN or Inf; the message names it; B is then unspecified) |
 *   WIOT_ETOOLARGE (nrhs or ldb beyond LAPACK's integer) | WIOT_ELAPACK; a
 *   distributed factorization (wiot_mpi.h) may also return its solve's codes.
 * cost: 2n^2 nrhs flops, no extra memory. */
WIOT_API int wiot_lu_solve(wiot_ctx *ctx, const wiot_lu *lu, int trans, size_t nrhs,
                           double *B, size_t ldb);

/* wiot_lu_inverse: explicit inverse L = (I-A)^{-1} (Leontief) or G = (I-B)^{-1}
 * (Ghosh), by dgetri on a copy of the factors (kernel/METHODS.md §2). L[n x n],
 * ldl >= n (output; untouched on failure).
 * info (may be NULL): method WIOT_METHOD_INVERSE, seconds and flops of dgetri; when
 * the context's WIOT_OPT_RESIDUAL is 1, residual = ||(I-A)L - I||_max (2n^3 more
 * flops, timed separately), else -1.
 * returns WIOT_OK | WIOT_EINVAL (lu or L NULL, ldl < n, a distributed factorization:
 *   use wiot_mpi_lu_inverse) | WIOT_ESINGULAR (dgetri found a zero pivot) | WIOT_EDATA
 *   (an entry of the inverse is not finite) | WIOT_ETOOLARGE | WIOT_ENOMEM |
 *   WIOT_ELAPACK.
 * cost: 4n^3/3 flops (+2n^3 for the residual); 8n^2 + 64n bytes extra (+8n^2 + 2 KiB n
 *   for the residual). */
WIOT_API int wiot_lu_inverse(wiot_ctx *ctx, const wiot_lu *lu, double *L, size_t ldl,
                             wiot_info *info);

/* wiot_leontief / wiot_ghosh: L = (I - A)^{-1} or G = (I - B)^{-1} in one call
 * (kernel/METHODS.md §2). L (or G) [n x n], ldl >= n (output).
 * Path (context option WIOT_OPT_INVERSE, default WIOT_INVERSE_AUTO): when every column
 * sum of A is below 1 - 1e-9 (always so for a valid table; for Ghosh: every row sum of
 * B), the system is diagonally dominant and is inverted in place in L by recursive
 * 2 x 2 block (Schur complement) inversion, nearly all flops in dgemm (kernel/
 * inverse.c; extra memory about n^2/3 doubles); otherwise dgetrf + dgetri as in
 * wiot_lu_new + wiot_lu_inverse (extra memory 2n^2 doubles). info (may be NULL):
 * method (WIOT_METHOD_RECURSIVE or WIOT_METHOD_INVERSE), seconds and flops of the
 * inversion (forming I - A excluded), residual ||(I-A)L - I||_max when
 * WIOT_OPT_RESIDUAL is 1 (else -1; the recursive path evaluates it as
 * L - Z diag(1/x) L - I in column panels, 2n^3 flops, no extra n x n matrix).
 * returns WIOT_OK | WIOT_EINVAL (t or L NULL, ldl < n) | WIOT_ESINGULAR | WIOT_EDATA
 *   (an entry of the result is not finite; L then unspecified) | WIOT_ETOOLARGE |
 *   WIOT_ENOMEM | WIOT_ELAPACK. On WIOT_ENOMEM L is untouched; on WIOT_ESINGULAR
 *   from the recursive path (possible only when forced on a matrix that is not an
 *   M-matrix) its contents are unspecified.
 * cost: 2n^3 flops (n = 1435: 5.9e9; +2n^3 for the residual); memory as above. */
WIOT_API int wiot_leontief(wiot_ctx *ctx, const wiot_table *t, double *L, size_t ldl,
                           wiot_info *info);
WIOT_API int wiot_ghosh(wiot_ctx *ctx, const wiot_table *t, double *G, size_t ldg,
                        wiot_info *info);

/* wiot_quantity: the quantity model x = L f = (I - A)^{-1} f for a final demand f[n]
 * in millions (kernel/METHODS.md §2); one solve with a Leontief factorization, no
 * inverse. x[n] (output, millions) may alias f.
 * returns WIOT_OK | WIOT_EINVAL (lu, f or x NULL; lu not WIOT_LEONTIEF) | WIOT_EDATA
 *   (f or the result holds NaN or Inf) | WIOT_ETOOLARGE | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: 2n^2 flops, 8n bytes extra. */
WIOT_API int wiot_quantity(wiot_ctx *ctx, const wiot_lu *lu, const double *f, double *x);

/* wiot_multipliers: multipliers and linkages from a Leontief factorization, by solves
 * (no inverse; Miller & Blair ch. 6 and 12):
 *  output_mult[j] = sum_i L[i,j]                        (simple output multiplier)
 *  backward[j]    = output_mult[j] / mean_k output_mult[k]   (normalised backward
 *                   linkage; mean over sectors with x > 0)
 *  forward[i]     = g[i] / mean_k g[k], g[i] = sum_j G[i,j] = (L x)[i] / x[i]
 *                   (normalised Ghosh forward linkage; g = 1 where x[i] = 0)
 * Any output may be NULL; each has n entries (dimensionless). Outputs are untouched
 * on failure.
 * returns WIOT_OK | WIOT_EINVAL (lu NULL or not WIOT_LEONTIEF) | WIOT_EDATA (a
 *   result is not finite) | WIOT_ETOOLARGE | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: two solves, 4n^2 flops; 16n bytes extra. */
WIOT_API int wiot_multipliers(wiot_ctx *ctx, const wiot_lu *lu, double *output_mult,
                              double *backward, double *forward);

/* ======================================================================== */
/* 8. Tariffs: schedules, scenarios, direct, cumulative, exact, results     */
/* ======================================================================== */
/* A tariff schedule (kernel/METHODS.md §3): rate(d <- c, s), the additional ad
 * valorem rate importer d levies on sector s goods from exporter c, a fraction
 * (0.25 = 25 %), stored compactly as C x C x S (never n x n). Rates inside a
 * country (d == c) are always 0. A schedule does not refer to its table; it fits
 * every table with the same C and S. */
typedef struct wiot_schedule wiot_schedule;

/* wiot_schedule_new: a schedule of zeros for t's C countries and S sectors.
 * wiot_schedule_copy: a copy of src.
 * returns WIOT_OK | WIOT_EINVAL (NULL argument; t with C or S = 0) | WIOT_ETOOLARGE
 *   (C*C*S overflows) | WIOT_ENOMEM.
 * cost: 8 C^2 S bytes held by the handle (WIOD: 470 KB); copy C^2 S. */
WIOT_API int wiot_schedule_new(wiot_ctx *ctx, const wiot_table *t, wiot_schedule **out);
WIOT_API int wiot_schedule_copy(wiot_ctx *ctx, const wiot_schedule *src, wiot_schedule **out);
/* wiot_schedule_free: release a schedule (NULL accepted). */
WIOT_API void wiot_schedule_free(wiot_schedule *s);
/* wiot_schedule_set: rate(importer <- exporter, sector) = rate. Setting d == c is
 * ignored (the rate stays 0).
 * returns WIOT_OK | WIOT_EINVAL (s NULL, an index out of range, rate not finite or
 *   <= -1). cost O(1). */
WIOT_API int wiot_schedule_set(wiot_ctx *ctx, wiot_schedule *s, size_t importer,
                               size_t exporter, size_t sector, double rate);
/* wiot_schedule_get: rate(importer <- exporter, sector); NaN for s NULL or an index
 * out of range. Never fails. cost O(1). */
WIOT_API double wiot_schedule_get(const wiot_schedule *s, size_t importer,
                                  size_t exporter, size_t sector);
/* wiot_schedule_add: dst += scale * src (stacking measures); both on the same C and S.
 * returns WIOT_OK | WIOT_EINVAL (dst or src NULL, sizes differ, scale not finite) |
 *   WIOT_EDATA (a summed rate would be <= -1 or not finite; dst is then unchanged).
 * cost: 4 C^2 S flops (checked first, then added), no extra memory. */
WIOT_API int wiot_schedule_add(wiot_ctx *ctx, wiot_schedule *dst, const wiot_schedule *src,
                               double scale);
/* wiot_schedule_rates: the rates as a C*C*S array, index (d*C + c)*S + s, owned by s
 * (NULL for NULL). wiot_schedule_imposers: the number of importers d with a non-zero
 * rate, and their indices, ascending, into list (may be NULL; room for C). Never
 * fail. cost O(1) / C^2 S. */
WIOT_API const double *wiot_schedule_rates(const wiot_schedule *s);
WIOT_API size_t wiot_schedule_imposers(const wiot_schedule *s, size_t *list);

/* A set of named scenarios read from one or more scenario files (CSV header
 * "scenario,imposer,target,sector,rate"; README.md "Scenario file format"), checked
 * against a table's country and sector codes (copied: the set does not refer to the
 * table). Read-only between loads; may then be shared by threads. */
typedef struct wiot_scenarios wiot_scenarios;

/* wiot_scenarios_new: an empty set for t's codes.
 * returns WIOT_OK | WIOT_EINVAL (NULL argument; t with C or S = 0) | WIOT_ETOOLARGE |
 *   WIOT_ENOMEM. cost: a copy of t's codes. */
WIOT_API int wiot_scenarios_new(wiot_ctx *ctx, const wiot_table *t, wiot_scenarios **out);
/* wiot_scenarios_free: release a set (NULL accepted). */
WIOT_API void wiot_scenarios_free(wiot_scenarios *sc);
/* wiot_scenarios_load / wiot_scenarios_load_buffer: add the scenarios of a file
 * (plain text; for a buffer, name is used in messages). A name already present is
 * an error; on any error nothing of the file is added. Messages read "<file>:<line>: field
 * '<field>': <what>", e.g. "s.csv:3: field 'imposer': unknown country 'XYZ'
 * (valid: AUS AUT ...)".
 * returns WIOT_OK | WIOT_EINVAL (NULL argument; a scenario name already loaded) |
 *   WIOT_EIO (wiot_scenarios_load: cannot open or read) | WIOT_EFORMAT (header,
 *   field count, empty field or item, bad name, not a number, reversed range, empty
 *   selection, gzip or NUL bytes, empty file) | WIOT_ENOTFOUND (unknown country,
 *   sector or group; a group with no member in the table; 'goods' undefined for the
 *   table's sectors) | WIOT_EDATA (a rate not finite or <= -1) | WIOT_ETOOLARGE (file
 *   too large, too many scenarios or codes) | WIOT_ENOMEM.
 * cost: one pass over the text; about 24 bytes per line plus its index lists held by
 *   the set. */
WIOT_API int wiot_scenarios_load(wiot_ctx *ctx, wiot_scenarios *sc, const char *path);
WIOT_API int wiot_scenarios_load_buffer(wiot_ctx *ctx, wiot_scenarios *sc, const void *data,
                                        size_t size, const char *name);
/* wiot_scenarios_count: number of scenarios; wiot_scenarios_name: name of scenario i
 * (NULL out of range), in load order. Never fail. cost O(1). */
WIOT_API size_t wiot_scenarios_count(const wiot_scenarios *sc);
WIOT_API const char *wiot_scenarios_name(const wiot_scenarios *sc, size_t i);
/* wiot_scenarios_schedule: build the schedule of "NAME" or of a stack
 * "NAME1+NAME2+..." (each term's schedule built on its own, then summed; spaces
 * around names ignored).
 * returns WIOT_OK | WIOT_EINVAL (NULL argument, an empty term) | WIOT_ENOTFOUND (an
 *   unknown name; the message lists close names) | WIOT_EDATA (a summed rate <= -1) |
 *   WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: the lines of the named scenarios times their selections; 8 C^2 S bytes for
 *   the schedule (and as much extra for a stack). */
WIOT_API int wiot_scenarios_schedule(wiot_ctx *ctx, const wiot_scenarios *sc,
                                     const char *expr, wiot_schedule **out);

/* Scenarios written in another sector classification. map relates the scenario's
 * sector codes S' to the table's codes S in either direction (told apart from the
 * table's codes):
 *  - code = scenario sector, group = table sector (S' finer than S): the rate of table
 *    sector s is the weighted mean of the rates of the scenario sectors mapped to it,
 *    weights from the map's weight column (1 where absent): a table that merges
 *    sectors cannot tell their import shares apart, so the weights must come from
 *    outside it (e.g. imports in a table of the finer classification);
 *  - code = table sector, group = scenario sector (S finer than S', every table
 *    sector or '*' listed): each table sector takes the rate of its group.
 * wiot_scenarios_new_mapped: an empty scenario set whose sector codes are S'
 *   (countries as t's); its schedules are C x C x S'.
 * wiot_schedule_translate: turn such a schedule src into a new schedule on t.
 * returns WIOT_OK | WIOT_EINVAL (NULL argument; map fits neither direction, with an
 *   example code; translate: src is not C x C x S') | WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: new_mapped O(|map| (S + S')) comparisons; translate O(C^2 (S + S')) and a new
 *   schedule. */
WIOT_API int wiot_scenarios_new_mapped(wiot_ctx *ctx, const wiot_table *t, const wiot_map *map,
                                       wiot_scenarios **out);
WIOT_API int wiot_schedule_translate(wiot_ctx *ctx, const wiot_schedule *src, const wiot_map *map,
                                     const wiot_table *t, wiot_schedule **out);

/* wiot_tariff_direct: direct tariff cost per unit of output (kernel/METHODS.md §3):
 *   d[j] = rho * sum_i A[i,j] T[i,j],  T[i,j] = rate(c(j) <- c(i), s(i)),
 * 0 outside imposing countries. rho in [0,1] is the pass-through rate. d[n] (output,
 * a fraction of j's unit cost).
 * returns WIOT_OK | WIOT_EINVAL (NULL argument, s not of t's C x S, rho outside
 *   [0, 1]) | WIOT_ENOMEM.
 * cost: n S (imposing countries) flops; C size_t extra. */
WIOT_API int wiot_tariff_direct(wiot_ctx *ctx, const wiot_table *t, const wiot_schedule *s,
                                double rho, double *d);

/* wiot_tariff_cumulative: first-order cumulative tariff c = L^T d (kernel/METHODS.md
 * §3.1; Rouzet & Miroudot 2013), one transposed solve with a Leontief factorization.
 * d[n] from wiot_tariff_direct; c[n] (output) may alias d.
 * returns WIOT_OK | WIOT_EINVAL (NULL argument; lu not WIOT_LEONTIEF) |
 *   WIOT_ETOOLARGE | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: 2n^2 flops, 8n bytes extra. */
WIOT_API int wiot_tariff_cumulative(wiot_ctx *ctx, const wiot_lu *lu, const double *d,
                                    double *c);

/* wiot_price_exact: exact cascading price model (kernel/METHODS.md §3.2):
 *   (I - A^T - rho E^T) dp = d,  E = A o T.
 * method: WIOT_METHOD_AUTO (= WIOT_METHOD_NONE: Woodbury for rank k = (imposers*S)
 * <= n/3, else the fixed-point iteration), WIOT_METHOD_WOODBURY,
 * WIOT_METHOD_ITERATION (falls back to a dense LU if it does not converge) or
 * WIOT_METHOD_DENSE (a fresh LU of the n x n system: the brute-force reference,
 * O(n^3)). With no imposer, dp = L^T d by one solve (WIOT_METHOD_LU).
 * lu: a Leontief factorization of s's table. d[n] from wiot_tariff_direct with the
 * same rho. dp[n] (output, fractions; untouched on failure).
 * info (may be NULL): method used, rank, iterations, residual
 * ||(I - A^T - rho E^T) dp - d||_inf, seconds, flops.
 * returns WIOT_OK | WIOT_EINVAL (NULL argument, lu not WIOT_LEONTIEF, s not of the
 *   table's C x S, rho outside [0, 1], unknown method) | WIOT_ESINGULAR (the perturbed
 *   system is singular, or dp is not finite) | WIOT_ETOOLARGE | WIOT_ENOMEM |
 *   WIOT_ELAPACK. (Non-convergence of the iteration is never returned: it falls back
 *   to the dense solve.)
 * cost: Woodbury 2n^2 k + 2n k^2 + 2k^3/3 flops, 8(2nk + k^2) bytes (n = 1435, one
 *   imposer, k = 35: 1.5e8 flops); iteration 2n^2 per sweep; dense 2n^3/3 flops,
 *   8n^2 bytes; always 24n bytes. */
WIOT_API int wiot_price_exact(wiot_ctx *ctx, const wiot_lu *lu, const wiot_schedule *s,
                              double rho, int method, const double *d, double *dp,
                              wiot_info *info);

/* wiot_final_prices: final users' price changes (kernel/METHODS.md §3.3): for
 * country d, category k,
 *   P[d*K+k] = sum_i w[i] ((1 + dp[i])(1 + rho T_f[i,d]) - 1),
 *   w[i] = F[i,d*K+k] / sum_i F[i,d*K+k];
 * P_all[d] the same with the weights of all of d's final demand together.
 * A category with sum_i F <= 0 has no price: P = 0 and defined = 0.
 * dp[n]: producer price changes (wiot_price_exact, or c of wiot_tariff_cumulative).
 * Outputs (fractions) P[C*K], defined[C*K], P_all[C], defined_all[C]; any may be NULL.
 * returns WIOT_OK | WIOT_EINVAL (t, s or dp NULL, s not of t's C x S, rho outside
 *   [0, 1]).
 * cost: 3n C K flops, no extra memory. */
WIOT_API int wiot_final_prices(wiot_ctx *ctx, const wiot_table *t, const wiot_schedule *s,
                               double rho, const double *dp, double *P,
                               unsigned char *defined, double *P_all,
                               unsigned char *defined_all);

/* wiot_tariff_revenue: tariff revenue collected by each importer at base-year flows
 * (kernel/METHODS.md §3.4), millions:
 *   rev[d] = sum_{i: c(i) != d} rate(d <- c(i), s(i)) (sum_{j in d} Z[i,j] + sum_k F[i,dK+k]).
 * rev[C] (output). Independent of pass-through.
 * returns WIOT_OK | WIOT_EINVAL (NULL argument, s not of t's C x S).
 * cost: n (S + K) flops per imposing country, no extra memory. */
WIOT_API int wiot_tariff_revenue(wiot_ctx *ctx, const wiot_table *t, const wiot_schedule *s,
                                 double *rev);

/* ---- a whole scenario: wiot_tariff */
/* Roles of a country in a schedule (bit mask: IMPOSER | TARGET = 3). */
enum wiot_role { WIOT_ROLE_THIRD = 0, WIOT_ROLE_IMPOSER = 1, WIOT_ROLE_TARGET = 2 };
/* Which tariff price models to run: a BIT SET (the `models` argument of wiot_tariff,
 * wiot_batch_run and wiot_mpi_batch_run, and wiot_result_summary.models). Not to be
 * confused with enum wiot_model, the single system of a factorization. */
enum wiot_price_models {
    WIOT_PRICE_FIRST_ORDER = 1,  /* c = L^T d (kernel/METHODS.md §3.1) */
    WIOT_PRICE_EXACT = 2,        /* dp of the cascading model (§3.2) */
    WIOT_PRICE_BOTH = 3          /* WIOT_PRICE_FIRST_ORDER | WIOT_PRICE_EXACT */
};
/* The earlier names of enum wiot_price_models, kept so existing code compiles. */
enum wiot_models {
    WIOT_FIRST_ORDER = WIOT_PRICE_FIRST_ORDER,
    WIOT_EXACT = WIOT_PRICE_EXACT,
    WIOT_BOTH = WIOT_PRICE_BOTH
};

/* The arrays and totals of one scenario (wiot_tariff); owned by the caller, reused
 * across scenarios on tables of the same shape. */
typedef struct wiot_result wiot_result;

/* Arrays of a result, read with wiot_result_get (and of a batch, wiot_batch_get). */
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
    int models;                   /* enum wiot_price_models actually run */
    double rho;
    wiot_info exact;              /* the exact solve's info */
    double seconds;               /* the whole wiot_tariff call */
} wiot_result_summary;

/* wiot_result_new: an empty result for tables of t's shape (n, C, K).
 * returns WIOT_OK | WIOT_EINVAL (t or out NULL) | WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: 8(4n + 2CK + 5C) + CK + C bytes held by the handle. */
WIOT_API int wiot_result_new(wiot_ctx *ctx, const wiot_table *t, wiot_result **out);
/* wiot_result_free: release a result (NULL accepted). */
WIOT_API void wiot_result_free(wiot_result *r);
/* wiot_result_get: pointer to the array of item (enum wiot_result_item) and its length
 * in *len (len may be NULL), owned by r and valid until the next wiot_tariff on r;
 * NULL if r is NULL, the item unknown or not computed (WIOT_R_EXACT after a
 * first-order-only run). Never fails. cost O(1). */
WIOT_API const double *wiot_result_get(const wiot_result *r, int item, size_t *len);
/* wiot_result_summary_get: the totals of the last run (NULL for NULL). cost O(1). */
WIOT_API const wiot_result_summary *wiot_result_summary_get(const wiot_result *r);

/* wiot_tariff: run one scenario (kernel/METHODS.md §3): direct costs, first-order
 * and/or exact prices (models: enum wiot_price_models), final users' prices (from dp
 * when exact is run, else from c), extra costs, revenue and roles, into r.
 * lu: Leontief factorization of the table of r. rho in [0,1]. The result's arrays
 * are overwritten (on failure their contents are unspecified).
 * returns WIOT_OK | WIOT_EINVAL (NULL argument; models not 1..3; r made for another
 *   table shape; and as wiot_price_exact) | WIOT_ESINGULAR | WIOT_EDATA (a result
 *   array holds NaN or Inf) | WIOT_ETOOLARGE | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: as wiot_price_exact (exact) plus 2n^2 (first-order) plus O(n C K). */
WIOT_API int wiot_tariff(wiot_ctx *ctx, const wiot_lu *lu, const wiot_schedule *s,
                         double rho, int models, wiot_result *r);

/* ======================================================================== */
/* 9. Batches: many scenarios on one factorization                          */
/* ======================================================================== */
/* Many scenarios at once (kernel/METHODS.md §3.5). A batch holds a factorization,
 * result arrays for up to max_scenarios scenarios and all workspace, so running a
 * batch allocates only per distinct set of imposing countries, never per scenario.
 *  - first-order: C = L^T D, one solve with m right-hand sides;
 *  - exact: scenarios are grouped by their set of imposing countries; for each group
 *    Y = L^T P (n x k, k = imposers*S) is computed once and every scenario of the
 *    group costs 2nk^2 + 2k^3/3 flops (Woodbury), run in parallel over scenarios;
 *    groups with k > n/3 use the fixed-point iteration batched over the group (one
 *    solve with many right-hand sides per sweep); every scenario then gets one
 *    batched residual check and, where needed, refinement; a scenario whose
 *    iteration does not converge is solved densely (as WIOT_METHOD_DENSE).
 * Results agree with wiot_tariff on each scenario to 1e-12 relative. */
typedef struct wiot_batch wiot_batch;

/* wiot_batch_new: a batch for up to max_scenarios (m) scenarios on lu, a Leontief
 * factorization (it must outlive the batch).
 * returns WIOT_OK | WIOT_EINVAL (NULL argument, lu not WIOT_LEONTIEF,
 *   max_scenarios 0) | WIOT_ETOOLARGE | WIOT_ENOMEM (also when the batch would exceed
 *   the memory limit; the message gives its size).
 * cost: memory held 8 m (6n + 2CK + 5C) bytes plus about 100 m bytes of per-scenario
 *   records. */
WIOT_API int wiot_batch_new(wiot_ctx *ctx, const wiot_lu *lu, size_t max_scenarios,
                            wiot_batch **out);
/* wiot_batch_free: release a batch (NULL accepted). */
WIOT_API void wiot_batch_free(wiot_batch *b);
/* wiot_batch_run: run m <= max_scenarios schedules s[0..m-1] (each of the
 * factorization's table shape) with pass-through rho in [0,1] and models (enum
 * wiot_price_models). Results replace earlier ones (on failure they are
 * unspecified). The progress callback, if set, is called between groups.
 * returns WIOT_OK | WIOT_EINVAL (b or s NULL, m > max_scenarios, models not 1..3, rho
 *   outside [0, 1], a schedule NULL or of another shape) | WIOT_ESINGULAR (a
 *   scenario's perturbed system is singular or its prices not finite; the message
 *   names the scenario) | WIOT_ETOOLARGE | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: first-order 2n^2 m flops; exact per group 2n^2 k (Y) + per scenario
 *   2nk^2 + 2k^3/3, and a batched residual 2n^2 m; extra memory per group 8nk bytes
 *   plus about 8(2nk + k^2) per thread. */
WIOT_API int wiot_batch_run(wiot_ctx *ctx, wiot_batch *b, const wiot_schedule *const *s,
                            size_t m, double rho, int models);
/* wiot_batch_count: number of scenarios of the last run (0 before any). cost O(1). */
WIOT_API size_t wiot_batch_count(const wiot_batch *b);
/* wiot_batch_get: results of the last run for item (enum wiot_result_item): a
 * column-major array owned by the batch, with *rows rows (n or C*K or C) and one
 * column per scenario, leading dimension *ld (rows and ld may be NULL), valid until
 * the next run. NULL if b is NULL, nothing was run, or the item was not computed.
 * Never fails. cost O(1). */
WIOT_API const double *wiot_batch_get(const wiot_batch *b, int item, size_t *rows, size_t *ld);
/* wiot_batch_info: per-scenario quality of the exact solve (method, rank,
 * iterations, residual), or NULL (scenario out of range, or no exact run). cost O(1). */
WIOT_API const wiot_info *wiot_batch_info(const wiot_batch *b, size_t scenario);

/* ======================================================================== */
/* 10. Exposure: content, value-added origin, TiVA, Ghosh, extraction       */
/* ======================================================================== */
/* Supply-chain exposure (kernel/METHODS.md §4-5): where the value of each product
 * comes from, which products cross a content threshold, trade in value added, and
 * what a supply cut costs downstream (Ghosh) or upstream (hypothetical extraction).
 * V = diag(a_v) L, L and G are never formed: every quantity is a solve with the LU
 * of a factorization, with one right-hand side per source set, group or product.
 * A source set is a mask over country-sectors: source[i] != 0 selects i (n entries).
 * Unless said otherwise the factorization must be a Leontief one (WIOT_LEONTIEF;
 * else WIOT_EINVAL), and info (may be NULL) receives seconds, flops and, when
 * WIOT_OPT_RESIDUAL is 1, the largest residual of the solves (else -1).
 *
 * What the two content measures mean, for a source set S and a product j:
 *  - value added (WIOT_MEASURE_VA): sum_{i in S} V[i,j], the share of the value of
 *    one unit of j's final output that is value added (primary input: wages, profits,
 *    and in WIOD 2013 also net product taxes and transport margins, data/LAYOUT.md
 *    §2.3) generated in S, directly or at any upstream stage. It lies in [0, 1] and
 *    the shares of all sources add up to 1 (products with x[j] > 0). This is the
 *    measure of rules on the value of foreign content.
 *  - gross (WIOT_MEASURE_GROSS): sum_{i in S} (L - I)[i,j], the output of S needed
 *    directly and indirectly per unit of j's final output, the unit of j itself
 *    excluded ("total requirements"). It counts S's products at their full gross value
 *    at every stage they cross (their own imported inputs included), so it double
 *    counts, is >= 0 but may exceed 1, and for products j outside S it is an upper
 *    bound of the VA measure (a_v <= 1). For j inside S the VA measure also counts
 *    j's own value added a_v[j], which the gross measure leaves out: there
 *    gross[j] >= va[j] - a_v[j]. */
enum wiot_measure { WIOT_MEASURE_VA = 0, WIOT_MEASURE_GROSS = 1 };

/* wiot_select: a source specification "COUNTRIES[:SECTORS]" as a mask. Each part is
 * written as the imposer/target and sector fields of scenario files (README.md
 * "Scenario file format"): codes, '*', groups (EU27 EU28 EU15 USMCA NAFTA G7 BRICS
 * ASEAN), sector ranges A..B, goods, services, and '!' exclusions; items are
 * separated by ';' or ','. Without ":SECTORS" every sector is selected.
 * "CHN:c2,c12" = Chinese mining and basic metals; "USA" = all US sectors;
 * "EU27:goods"; "*;!CHN:c12" = basic metals of every country but China.
 * mask[n] gets 1 or 0; count (may be NULL) the number selected.
 * returns WIOT_OK | WIOT_EINVAL (t, spec or mask NULL) | WIOT_EFORMAT (empty part or
 *   item, reversed range, a part that selects nothing) | WIOT_ENOTFOUND (unknown
 *   code or group, a group with no member in the table, 'goods' undefined) |
 *   WIOT_ENOMEM, e.g. "source 'XYZ:c2': field 'country': unknown country 'XYZ'
 *   (valid: AUS AUT ...; groups: ...)"; mask is untouched on failure.
 * cost O(n + |spec| (C + S)); C + S bytes extra. */
WIOT_API int wiot_select(wiot_ctx *ctx, const wiot_table *t, const char *spec,
                         unsigned char *mask, size_t *count);
/* wiot_select_countries: the same for a list of countries (no ':' part): cmask[C].
 * returns WIOT_OK | WIOT_EINVAL (NULL argument) | WIOT_EFORMAT (as wiot_select, and
 *   a ':SECTORS' part) | WIOT_ENOTFOUND | WIOT_ENOMEM. cost O(C + |spec| C). */
WIOT_API int wiot_select_countries(wiot_ctx *ctx, const wiot_table *t, const char *spec,
                                   unsigned char *cmask, size_t *count);

/* wiot_content: content shares of a source set (kernel/METHODS.md §4), for every
 * product j, as fractions (0.001 = 0.1 %):
 *   share[j] = sum_{i in S} V[i,j] = ((a_v o 1_S)^T L)[j]        (WIOT_MEASURE_VA)
 *   share[j] = sum_{i in S} (L - I)[i,j] = (1_S^T L)[j] - 1_S[j]  (WIOT_MEASURE_GROSS)
 * by ONE transposed solve (I - A)^T y = a_v o 1_S (or 1_S). Products with x[j] = 0
 * have share 0. source[n], share[n] (output).
 * info: seconds, flops, residual ||(I - A)^T y - b||_inf (WIOT_OPT_RESIDUAL) or -1.
 * returns WIOT_OK | WIOT_EINVAL (NULL argument, lu not Leontief, unknown measure) |
 *   WIOT_ETOOLARGE | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: 2n^2 flops (+2n^2 for the residual); 8n bytes and n size_t. */
WIOT_API int wiot_content(wiot_ctx *ctx, const wiot_lu *lu, const unsigned char *source,
                          int measure, double *share, wiot_info *info);

/* wiot_va_origin: content of many groups at once (value-added origin by group,
 * kernel/METHODS.md §4):
 *   W[j + g*ldw] = sum_{i: group[i] == g} V[i,j]          (WIOT_MEASURE_VA)
 *                = sum_{i: group[i] == g} (L - I)[i,j]    (WIOT_MEASURE_GROSS)
 * for every product j and group g < ngroups; group[n] names each country-sector's
 * group, group[i] >= ngroups leaves i out. group == NULL: one group per country
 * (ngroups must be C): W[j, c] is the share of country c's value added in product j.
 * One transposed solve with ngroups right-hand sides, Y = L^T (diag(a_v) P),
 * P[i,g] = [group[i] == g]. W[n x ngroups], ldw >= n (output; its contents are
 * unspecified on failure). info as wiot_content.
 * returns WIOT_OK | WIOT_EINVAL (lu or W NULL, lu not Leontief, unknown measure,
 *   ldw < n, group NULL with ngroups != C) | WIOT_ETOOLARGE | WIOT_ENOMEM |
 *   WIOT_ELAPACK.
 * cost: 2n^2 ngroups flops (n = 1435, C = 41: 1.7e8), 8 n ngroups bytes extra for
 *   the residual. */
WIOT_API int wiot_va_origin(wiot_ctx *ctx, const wiot_lu *lu, const size_t *group,
                            size_t ngroups, int measure, double *W, size_t ldw,
                            wiot_info *info);

/* wiot_va_columns: chosen columns of V (or of L - I with WIOT_MEASURE_GROSS):
 * V[i + q*ldv] = V[i, cols[q]], q < m: where the value of product cols[q] comes from,
 * by source country-sector (kernel/METHODS.md §4). m solves (I - A) X = E_cols, then
 * rows scaled by a_v. VA columns sum to 1 (x > 0). cols[m], V[n x m], ldv >= n
 * (output; unspecified on failure). info as wiot_content.
 * returns WIOT_OK | WIOT_EINVAL (lu NULL, cols or V NULL with m > 0, lu not
 *   Leontief, unknown measure, ldv < n, a column >= n) | WIOT_ETOOLARGE |
 *   WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: 2n^2 m flops; 8nm bytes extra for the residual. */
WIOT_API int wiot_va_columns(wiot_ctx *ctx, const wiot_lu *lu, const size_t *cols, size_t m,
                             int measure, double *V, size_t ldv, wiot_info *info);

/* wiot_crossing: the products that cross a threshold: the indices j < n with
 * share[j] >= threshold, sorted by share descending (ties by index), into list (room
 * for n; NULL: count only). Returns their number (0 for share == NULL). ">=" reads
 * rules worded "X or more" (China, October 2025: Chinese-origin content worth 0.1 %
 * or more); with continuous shares "more than X" gives the same list. Never fails.
 * cost O(n log n), no memory. */
WIOT_API size_t wiot_crossing(const double *share, size_t n, double threshold, size_t *list);

/* wiot_material_share: material-cost shares of a set of input country-sectors, for
 * rules on the share of some inputs in a product's material cost (the Section 232
 * derivative test: steel and aluminium at least two thirds of material cost; inputs
 * "*:c12"); the formula is given here (related: kernel/METHODS.md §4):
 *   direct[j] = sum_{i in I and base} Z[i,j] / sum_{i in base} Z[i,j]
 *   total[j]  = sum_{i in I and base} (L - I)[i,j] / sum_{i in base} (L - I)[i,j]
 * direct: the product's own purchases; total: purchases at every upstream stage
 * (gross requirements, so inputs of inputs count again). inputs[n]; base[n] (NULL =
 * every country-sector) defines material cost: the table's intermediate inputs
 * include services, so base = "*:goods" is the reading closest to "materials".
 * Shares (fractions) are 0 where the denominator is 0. direct[n], total[n]: either
 * may be NULL. info: as wiot_content.
 * returns WIOT_OK | WIOT_EINVAL (lu or inputs NULL, lu not Leontief) |
 *   WIOT_ETOOLARGE | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: n^2 (direct) + one transposed solve with 2 right-hand sides, 4n^2 flops
 *   (total); 16n bytes extra. */
WIOT_API int wiot_material_share(wiot_ctx *ctx, const wiot_lu *lu, const unsigned char *inputs,
                                 const unsigned char *base, double *direct, double *total,
                                 wiot_info *info);

/* wiot_tiva: trade in value added (kernel/METHODS.md §4; Koopman, Wang & Wei 2014,
 * "KWW").
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
 * All outputs in millions (the table's units); their contents are unspecified on
 * failure. info (may be NULL): residual of the solves, seconds, flops.
 * returns WIOT_OK | WIOT_EINVAL (lu or country NULL, lu not Leontief, ldc < C, lds < n
 *   with sector, ldv < C with vafd) | WIOT_ETOOLARGE | WIOT_ENOMEM | WIOT_ELAPACK.
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

/* wiot_ghosh_exposure: Ghosh forward exposure (kernel/METHODS.md §5):
 * dx^T = dv^T G, G = (I - B)^{-1}: the change in every country-sector's output when
 * primary inputs change by dv (dv = -v on a source set: its supply stops), each
 * buyer's output tied to its inputs by the fixed allocation coefficients B. A
 * measure of forward exposure, not a behavioural model.
 * One transposed solve (I - B)^T dx = dv with a WIOT_GHOSH factorization (no inverse).
 * glu: a Ghosh factorization (WIOT_GHOSH). dv[n], dx[n] (output; may alias dv),
 * millions. info as wiot_content (residual of the transposed solve).
 * returns WIOT_OK | WIOT_EINVAL (NULL argument, glu not WIOT_GHOSH) | WIOT_ETOOLARGE
 *   | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost 2n^2 flops (+2n^2 for the residual); 8n bytes extra. */
WIOT_API int wiot_ghosh_exposure(wiot_ctx *ctx, const wiot_lu *glu, const double *dv,
                                 double *dx, wiot_info *info);

/* wiot_extract: hypothetical extraction of a source's supply (kernel/METHODS.md §5;
 * Miller & Blair ch. 12). lu: a Leontief or a Ghosh factorization; source[n] (the
 * extracted country-sectors).
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
 *   WIOT_METHOD_AUTO (= WIOT_METHOD_NONE) chooses Woodbury when 3k <= n, else dense.
 * lost[n], lost_final[n] (may be NULL): millions, >= 0 up to rounding.
 * info (may be NULL): method used, rank k, seconds, flops, and (WIOT_OPT_RESIDUAL)
 * residual max |M* lost - b| in millions.
 * returns WIOT_OK | WIOT_EINVAL (lu, source or lost NULL, unknown flags, method not
 *   AUTO/WOODBURY/DENSE) | WIOT_ESINGULAR (the extracted system is singular: the
 *   capacitance matrix or the fresh LU) | WIOT_ETOOLARGE | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: Woodbury 2n^2(k + 3) + 2nk^2 + 2k^3/3 flops, 8(2nk + k^2) bytes (n = 1435, k =
 * 35: 1.5e8 flops); dense 2n^3/3 + 6n^2 flops (2.0e9), 8n^2 bytes. */
enum wiot_extract_flags { WIOT_EXTRACT_FOREIGN = 1 };
WIOT_API int wiot_extract(wiot_ctx *ctx, const wiot_lu *lu, const unsigned char *source,
                          const unsigned char *to, int flags, int method, double *lost,
                          double *lost_final, wiot_info *info);

/* ------------------- content-based tariffs and non-tariff barriers (tariff/content.c) */
/* Scenario files may carry a sixth column, `measure` (header
 * "scenario,imposer,target,sector,rate,measure"; a line may then have 5 fields, meaning
 * `tariff`, or 6). What a line's rate applies to (kernel/METHODS.md §3.6):
 *   tariff                     the whole value: effective rate r (today's meaning);
 *   ntb                        a non-tariff barrier's ad valorem equivalent r (d-hat - 1
 *                              on the iceberg cost in the general-equilibrium model): in
 *                              the fixed-coefficient engine it raises delivered prices
 *                              exactly like a tariff of r and raises no revenue;
 *   on_content_of=SPEC         the part of the product's value that is SPEC's content:
 *                              r * s_SPEC(c, k) for exporter c, sector k;
 *   except_content_of=SPEC     the rest: r * (1 - s_SPEC(c, k)) ("non-US content": USA);
 *   unless_content_of=SPEC>=X  r where s_SPEC(c, k) < X, 0 where s_SPEC(c, k) >= X (a
 *                              rule of origin at the sector level; a share exactly at X
 *                              is exempt; X in [0, 1]).
 * SPEC is COUNTRIES[:SECTORS] as wiot_select reads it, with ';' between items (',' is
 * the field separator). s_SPEC is the content share of wiot_content at baseline
 * (WIOT_MEASURE_VA; WIOT_MEASURE_GROSS on request), of the exporting country-sector,
 * clamped to [0, 1]; it is computed once per distinct SPEC for all country-sectors.
 * Within a scenario, tariff-type lines (all but ntb) set cells of a tariff layer and
 * ntb lines cells of an NTB layer; the later line wins within each layer; a stack
 * "A+B" sums both layers term by term. */
enum wiot_line_measure {
    WIOT_LINE_TARIFF = 0, WIOT_LINE_NTB = 1, WIOT_LINE_ON_CONTENT = 2,
    WIOT_LINE_EXCEPT_CONTENT = 3, WIOT_LINE_UNLESS_CONTENT = 4
};

/* The engine schedule of expr ("NAME" or "A+B+..."): rates = tariff layer + NTB layer,
 * content lines resolved with shares from lu, the NTB layer kept in the schedule as
 * its revenue-free part (wiot_schedule_ntb), so every consumer of schedules
 * (wiot_tariff, wiot_batch_run, wiot_final_prices) prices NTBs as tariffs while
 * wiot_tariff_revenue and WIOT_R_REVENUE leave them out. wiot_scenarios_schedule is
 * this function without a factorization: it fails with WIOT_EINVAL, naming the
 * scenario, file, line and source, when expr has a content line.
 * lu: a Leontief factorization of the table sc was made for (same codes; may be NULL
 * when expr has no content line). measure: WIOT_MEASURE_VA or WIOT_MEASURE_GROSS.
 * returns WIOT_OK | WIOT_EINVAL (NULL argument, bad measure, lu of another table or a
 * mapped scenario set, content line without lu) | WIOT_ENOTFOUND (unknown name) |
 * WIOT_EDATA (a summed rate <= -1) | WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: one transposed solve (2n^2 flops, 8n bytes) per distinct SPEC of the
 * expression's content lines, plus wiot_scenarios_schedule's cost; 16 C^2 S bytes more
 * when an NTB layer is present. */
WIOT_API int wiot_scenarios_schedule_lu(wiot_ctx *ctx, const wiot_scenarios *sc,
                                        const wiot_lu *lu, const char *expr, int measure,
                                        wiot_schedule **out);

/* The same expression as two schedules, for models that treat tariffs and non-tariff
 * barriers apart (the general-equilibrium model: kappa-hat = (1 + tau')/(1 + tau) d-hat):
 * *tariff gets the tariff layer (content lines resolved, no NTB part), *ntb the NTB
 * layer as rates (ad valorem equivalents, d-hat - 1). Either may be NULL (not wanted);
 * a schedule of zeros is returned when the expression has no line of that kind.
 * returns as wiot_scenarios_schedule_lu. cost: as wiot_scenarios_schedule_lu. */
WIOT_API int wiot_scenarios_split(wiot_ctx *ctx, const wiot_scenarios *sc, const wiot_lu *lu,
                                  const char *expr, int measure, wiot_schedule **tariff,
                                  wiot_schedule **ntb);

/* The revenue-free (NTB) part of a schedule's rates, C*C*S as wiot_schedule_rates, or
 * NULL when it has none (every schedule not built from ntb lines). */
WIOT_API const double *wiot_schedule_ntb(const wiot_schedule *s);
/* Set the NTB part of one cell to value (the cell's rate, set by wiot_schedule_set, is
 * the whole wedge and is not changed). Allocates the NTB part on first use (8 C^2 S
 * bytes). d == c is ignored. returns WIOT_OK | WIOT_EINVAL (index out of range, value
 * not finite) | WIOT_ENOMEM. */
WIOT_API int wiot_schedule_set_ntb(wiot_ctx *ctx, wiot_schedule *s, size_t importer,
                                   size_t exporter, size_t sector, double value);

/* One line of a loaded scenario, as written and as resolved. */
typedef struct wiot_scenario_line {
    const char *file;              /* file (or buffer name) it came from */
    size_t line;                   /* physical line in that file, from 1 */
    const char *imposer, *target, *sector;   /* the fields as written */
    const char *measure_text;      /* the measure field as written ("tariff" if absent) */
    const char *source;            /* SPEC of a content line, "" otherwise */
    int measure;                   /* enum wiot_line_measure */
    double rate;                   /* the rate field */
    double threshold;              /* X of unless_content_of, else 0 */
    size_t imposers, targets, sectors;   /* numbers selected */
} wiot_scenario_line;
/* Index of a scenario by name, or (size_t)-1. */
WIOT_API size_t wiot_scenarios_find(const wiot_scenarios *sc, const char *name);
/* Number of lines of scenario i (0 if out of range). */
WIOT_API size_t wiot_scenarios_lines(const wiot_scenarios *sc, size_t i);
/* Line k of scenario i (file order). Strings live as long as sc. imposers[C],
 * targets[C], sectors[S], source[C*S] (each may be NULL) get 1 for what the line selects
 * (source: the content SPEC's country-sectors; all 0 for other lines).
 * returns WIOT_OK | WIOT_EINVAL (NULL sc or out, i or k out of range). cost O(C*S). */
WIOT_API int wiot_scenarios_line(wiot_ctx *ctx, const wiot_scenarios *sc, size_t i, size_t k,
                                 wiot_scenario_line *out, unsigned char *imposers,
                                 unsigned char *targets, unsigned char *sectors,
                                 unsigned char *source);

/* ======================================== satellite accounts (kernel/satellite/) */
/* Extensions ("satellite accounts": employment, hours, compensation, taxes, CO2 and
 * other emissions, land, water) and their intensities, multipliers and footprints
 * (kernel/METHODS.md §8; names as pymrio's and Miller & Blair's ch. 9-10). An extension is
 * a matrix F (p stressors x n country-sectors, one unit per stressor) with, optionally,
 * the stressors emitted directly by final users, F_Y (p x C*K: households' own CO2,
 * taxes on final purchases). It belongs to the table it was read against (its
 * shape: n, C, K); the handle is read-only after creation. */
typedef struct wiot_extension wiot_extension;

/* Build an extension from caller arrays (copied). names[p], units[p]: non-empty
 * strings without control characters (units may be ""), names unique.
 * F[p x n] (ldf >= p) column-major: F[k + j*ldf] = stressor k of country-sector j.
 * FY[p x C*K] (ldfy >= p; may be NULL: no direct final-demand stressors). Values
 * finite, any sign (subsidies, removals). returns WIOT_OK | WIOT_EINVAL (NULL, p = 0,
 * ld too small, an empty or repeated name) | WIOT_EDATA (NaN or Inf, naming the
 * stressor and column) | WIOT_ETOOLARGE | WIOT_ENOMEM. cost: 8p(n + CK) bytes. */
WIOT_API int wiot_extension_new(wiot_ctx *ctx, const wiot_table *t, size_t p,
                                const char *const *names, const char *const *units,
                                const double *F, size_t ldf, const double *FY, size_t ldfy,
                                wiot_extension **out);

/* Read an extension for table t (README.md "Satellite accounts"; the layouts):
 *  - wide CSV, as data/examples/pymrio_test_mrio_factor_input.csv: header
 *    "name,unit,<COUNTRY_SECTOR>..." (every country-sector of t once, any order),
 *    then one line per stressor: name, unit, n values;
 *  - tidy CSV: header "stressor,unit,country,sector,value", one line per non-zero
 *    entry (absent entries are 0; a stressor keeps one unit);
 *  - a provider's block: an EXIOBASE 3 directory or zip (satellite/ is used; name the
 *    block itself, ".../impacts" or "IOT_2019_ixi.zip:impacts", for impacts/) with
 *    F.txt, unit.txt and, when present, F_Y.txt (or F_hh.txt): read as kernel/formats/LAYOUTS.md
 *    describes, columns in the order of the table's Z.txt;
 *  - Eora26 satellites: a directory or zip holding labels_Q.txt ("name (unit)", source
 *    per line), *_Q.txt (p lines of n values, or n + 1 with the ROW column, last,
 *    dropped) and optionally *_QY.txt (C*K [+ 1] values); stressor k is named
 *    "name | source".
 * fd_path (may be NULL; not with a provider block, which brings its own F_Y.txt):
 * the direct final-demand stressors F_Y in the wide layout with COUNTRY_CATEGORY
 * column labels, or the tidy layout with header "stressor,unit,country,category,
 * value"; each of its stressors must be one of path's, with the same unit. Plain or
 * gzip text. Messages name the file and line: "ext.csv:7: field 'country': unknown
 * country 'XYZ'", "ext.csv:1: column 'reg1_food' listed twice".
 * returns WIOT_OK | WIOT_EINVAL | WIOT_EIO | WIOT_EFORMAT (header, ragged line, bad
 * number, unknown or missing label, repeated stressor or entry, unit mismatch, empty
 * file) | WIOT_EDATA (NaN or Inf) | WIOT_ENOTFOUND (an F_Y stressor not in path; a
 * directory or zip holding no extension block) |
 * WIOT_ETOOLARGE | WIOT_ENOMEM (also when the file or the matrices exceed the
 * context's memory limit). cost: one pass over the text (two for tidy files);
 * memory: the text plus 8p(n + CK) bytes. */
WIOT_API int wiot_extension_load(wiot_ctx *ctx, const wiot_table *t, const char *path,
                                 const char *fd_path, wiot_extension **out);

/* The table's own primary-input rows as an extension (wiot_table_input: ICIO's TAXSUB
 * and VALU, WIOD 2016's TXSP ... VA, Eora26's VA rows, EXIOBASE's monetary satellite
 * rows): value added split by factor where the table has the rows. Stressor r is
 * input row r, unit the table's units; F = its n intermediate columns, F_Y = its C*K
 * final-demand columns (taxes on final purchases). A table without such rows (the
 * wide CSV layout) gives one stressor "VA" = v with F_Y = NULL. returns WIOT_OK |
 * WIOT_EINVAL | WIOT_ENOMEM | WIOT_ETOOLARGE. */
WIOT_API int wiot_extension_from_inputs(wiot_ctx *ctx, const wiot_table *t,
                                        wiot_extension **out);

/* One stressor (by name) of an extension as an extension of its own. returns WIOT_OK
 * | WIOT_EINVAL | WIOT_ENOTFOUND ("no stressor 'X' (stressors: a, b, ...)") |
 * WIOT_ENOMEM. */
WIOT_API int wiot_extension_select(wiot_ctx *ctx, const wiot_extension *e, const char *name,
                                   wiot_extension **out);

WIOT_API void wiot_extension_free(wiot_extension *e);
WIOT_API size_t wiot_extension_stressors(const wiot_extension *e);             /* p */
WIOT_API const char *wiot_extension_stressor(const wiot_extension *e, size_t k); /* NULL out of range */
WIOT_API const char *wiot_extension_unit(const wiot_extension *e, size_t k);
/* Index of a stressor by name, or (size_t)-1. */
WIOT_API size_t wiot_extension_find(const wiot_extension *e, const char *name);
/* F [p x n] and F_Y [p x C*K] (NULL when absent), column-major, ld p. */
WIOT_API const double *wiot_extension_F(const wiot_extension *e);
WIOT_API const double *wiot_extension_FY(const wiot_extension *e);
/* Where the extension came from ("ext.csv (wide)", "IOT_2019_ixi/satellite (EXIOBASE 3)"). */
WIOT_API const char *wiot_extension_source(const wiot_extension *e);

/* Intensities (direct stressor coefficients, kernel/METHODS.md §8): S = F diag(x)^{-1},
 * S[k + j*lds] = F[k,j] / x[j] (0 where x[j] = 0): stressor units per unit of output
 * (per million of the table's currency). S[p x n], lds >= p. returns WIOT_OK |
 * WIOT_EINVAL (NULL, shape of e differs from t's, lds < p). cost: pn. */
WIOT_API int wiot_ext_intensities(wiot_ctx *ctx, const wiot_table *t, const wiot_extension *e,
                                  double *S, size_t lds);

/* Multipliers (kernel/METHODS.md §8), by solves on the factorization, never forming L or G:
 *  Leontief lu: M = S L (upstream, "total" multiplier: stressor embodied per unit of
 *    final demand for j), one transposed solve (I - A)^T M^T = S^T with p right-hand
 *    sides;
 *  Ghosh lu: M_down = S (G^T - I) (pymrio's downstream multiplier: stressor of the
 *    users downstream enabled per unit of primary input of i, i's own excluded), one
 *    solve (I - B) Y = S^T, M_down = Y^T - S.
 * M[p x n], ldm >= p, in stressor units per unit of the table's currency.
 * info (may be NULL): seconds, flops, and, with WIOT_OPT_RESIDUAL, the residual of
 * the solve max |(I - A)^T Y - S^T| (else -1). returns WIOT_OK | WIOT_EINVAL |
 * WIOT_ETOOLARGE | WIOT_ENOMEM (M untouched). cost: 2n^2 p flops (+2n^2 p for the
 * residual), 8np bytes (twice with the residual). */
WIOT_API int wiot_ext_multipliers(wiot_ctx *ctx, const wiot_lu *lu, const wiot_extension *e,
                                  double *M, size_t ldm, wiot_info *info);

/* Accounts by country (kernel/METHODS.md §8; pymrio's D_*_reg), in stressor units. With
 * X = L Y (Y[n x C]: each country's final demand summed over categories), the model
 * output x* = X 1 (= x where the table's row identity holds) and s_j = column j of S:
 *   D_cba[d] = sum_j s_j X[j,d] + sum_q F_Y[:, dK+q]   consumption-based footprint of d
 *   D_pba[c] = sum_{j in c} s_j x*[j] + sum_q F_Y[:, cK+q]   production-based (territorial)
 *   D_imp[d] = sum_{j not in d} s_j X[j,d]            embodied in d's imports (abroad)
 *   D_exp[c] = sum_{j in c} s_j (x*[j] - X[j,c])      embodied in c's exports (for final
 *                                                      demand abroad, by any route)
 * so D_cba - D_imp = D_pba - D_exp (domestic part) and sum_d D_cba = sum_c D_pba.
 * F_Y enters D_cba and D_pba of its own country (pymrio's convention), never D_imp or
 * D_exp. acc[p x 4C] (lda >= p): account a (enum wiot_account) of stressor k in
 * country c at acc[k + (a*C + c)*lda]. cat[p x C*K] (ldc >= p; may be NULL): the
 * footprint by final-demand category, cat[k + (dK+q)*ldc] = (S L F)[k, dK+q] +
 * F_Y[k, dK+q]; its sum over q is D_cba[d]. info: as wiot_ext_multipliers.
 * returns WIOT_OK | WIOT_EINVAL (a Ghosh factorization, shapes) | WIOT_EDATA (a
 * non-finite result) | WIOT_ETOOLARGE | WIOT_ENOMEM (outputs untouched).
 * cost: one solve with C right-hand sides (CK with cat): 2n^2 C (2n^2 CK) flops, plus
 * 2pnC (2pnCK); memory 8nC (8nCK) bytes. */
enum wiot_account { WIOT_D_CBA = 0, WIOT_D_PBA = 1, WIOT_D_IMP = 2, WIOT_D_EXP = 3 };
#define WIOT_NACCOUNTS 4
WIOT_API int wiot_footprint(wiot_ctx *ctx, const wiot_lu *lu, const wiot_extension *e,
                            double *acc, size_t lda, double *cat, size_t ldc, wiot_info *info);

/* The same by sector (pymrio's D_cba, D_pba, D_imp, D_exp, without F_Y):
 *   D_cba[:, dS+s] = sum_{i: s(i) = s} M[:, i] Y[i,d]     d's final demand for products
 *                                                          of sector s, all origins
 *   D_imp[:, dS+s] = sum_{i: s(i) = s} (M - M_d)[:, i] Y[i,d]   of which abroad
 *   D_pba[:, j]    = s_j x*[j],   D_exp[:, j] = s_j (x*[j] - X[j, c(j)])
 * where M_d = S_d L, S_d = S with the columns outside country d set to 0.
 * D[p x 4n] (ldd >= p): D[k + (a*n + j)*ldd]. Summing the columns of a country gives
 * wiot_footprint's accounts less F_Y. info as above. returns as wiot_footprint.
 * cost: one transposed solve with pC right-hand sides (2n^2 pC flops; n = 1435, C = 41,
 * p = 5: 8.4e8) and one with C; memory 8npC bytes. */
WIOT_API int wiot_footprint_sectors(wiot_ctx *ctx, const wiot_lu *lu, const wiot_extension *e,
                                    double *D, size_t ldd, wiot_info *info);

/* Stressors embodied in given flows, by the country where they occur (METHODS.md
 * §8.3): for m demand vectors b_q (n each, in the table's currency; e.g. the imports a
 * tariff scenario taxes, intermediate and final, at baseline values),
 *   E[k + (c + q*C)*lde] = sum_{i in c} S[k,i] (L b_q)[i]
 * the stressor k in country c needed, at every stage, to produce b_q ("jobs in each
 * country embodied in US imports from China"). b = y (all final demand) gives D_pba
 * less F_Y; b = country d's final demand gives the terms of D_cba[d]. B[n x m]
 * (ldb >= n), E[p x C*m] (lde >= p). info as wiot_ext_multipliers. returns WIOT_OK |
 * WIOT_EINVAL | WIOT_EDATA | WIOT_ETOOLARGE | WIOT_ENOMEM (E untouched).
 * cost: one solve with m right-hand sides (2n^2 m flops) + pnm; 8nm bytes. */
WIOT_API int wiot_ext_embodied(wiot_ctx *ctx, const wiot_lu *lu, const wiot_extension *e,
                               const double *B, size_t m, size_t ldb, double *E, size_t lde,
                               wiot_info *info);

/* ========================= general equilibrium: Caliendo-Parro 2015 (kernel/ge/) */
/* A multi-sector Eaton-Kortum model with input-output linkages, solved in changes
 * relative to the observed equilibrium (exact hat algebra), kernel/METHODS.md §6: input-bundle
 * costs c^ = w^^beta prod_k (P^^k)^gamma (6.1), sector prices (6.2), trade shares of
 * tariff-inclusive spending (6.3), the expenditure system with tariff revenue in income
 * (6.4, 6.5), labour-market clearing with deficits D_n (6.6) and world value added as
 * numeraire (6.7). One composite good per country and sector is used for final and
 * intermediate demand alike: the MRIO's user-specific origin shares are aggregated.
 * Bilateral arrays (schedules, trade) use the schedule layout: importer n, exporter i,
 * sector j at (n*N + i)*J + j. Country-sector arrays: n*J + j. Values in the table's
 * units (WIOD: millions of USD); changes as fractions (0.01 = 1 %). */
typedef struct wiot_ge_model wiot_ge_model;
typedef struct wiot_ge_result wiot_ge_result;

/* What the calibration changed (kernel/METHODS.md §6.8), reported to the caller. */
typedef struct wiot_ge_calib {
    size_t negative_cells;    /* negative purchase cells (inventory changes) set to 0 */
    size_t negative_final;    /* negative final-demand sector totals set to 0 (shares rescaled) */
    size_t no_purchases;      /* country-sectors nobody in the country buys: bought at home only */
    size_t zero_output;       /* country-sectors with zero gross output: beta = 1, gamma = 0 */
    size_t rebalanced;        /* country-sectors whose tariff-inclusive inputs exceed their
                                 sales once negative cells are zeroed: the difference is
                                 added as a domestic final sale of their own goods (beta = 0) */
    size_t baseline_tariffs;  /* non-zero baseline tariff cells */
    double world_va;          /* sum_n wL_n */
    double deficit_sum;       /* sum_n D_n (0 up to rounding) */
    double max_deficit_share; /* max_n |D_n| / I_n */
} wiot_ge_calib;

/* Calibrate a model from any table, once (kernel/METHODS.md §6.8). Purchases of country n:
 * Z and F cells of buyers in n, negative cells set to 0; tariff-inclusive spending
 * X_n^j = sum_i (1 + tau_ni^j) * flow(i -> n, j); pi_ni^j its origin shares (a sector
 * nobody in n buys: pi_nn^j = 1); gross output Y = row sums after zeroing;
 * gamma_n^{k,j} = tariff-inclusive purchases of k by (n,j) / Y_n^j; beta = 1 - sum_k
 * gamma (1 when Y = 0); alpha_n^j = final purchases of j / all of n's final purchases;
 * wL_n = sum_j beta Y; D_n = final purchases - wL_n - tariff revenue (= imports -
 * exports). The calibrated baseline is an equilibrium: a zero shock returns every
 * hat equal to 1.
 * theta[S] > 0: trade elasticity per sector. baseline (may be NULL = no tariffs):
 * baseline tariff levels on t's dimensions, each > -1.
 * calib (may be NULL): what was changed.
 * returns WIOT_OK | WIOT_EINVAL (NULL, theta <= 0 or non-finite, naming the sector;
 * schedule of other dimensions) | WIOT_EDATA (calibration fails: a country-sector
 * whose tariff-inclusive inputs exceed its output, named "USA_c3"; a country without
 * final demand) | WIOT_ETOOLARGE | WIOT_ENOMEM.
 * cost: n^2 + n*C*K reads; memory 8(2C^2 S + C S^2 + 4CS + 2C) bytes held. */
WIOT_API int wiot_ge_model_new(wiot_ctx *ctx, const wiot_table *t, const double *theta,
                               const wiot_schedule *baseline, wiot_ge_model **out,
                               wiot_ge_calib *calib);

/* Build a model from a CP2015-style dataset directory (data/cp2015/README.md:
 * regions.csv, sectors.csv, intermediate_consumption.csv[.gz], final_consumption.csv,
 * value_added.csv, trade.csv[.gz], deficit.csv, theta.csv), calibrated as the paper:
 * pi from tariff-inclusive flows, gamma = purchases / (purchases + value added), beta
 * = value added / the same, alpha from final consumption, D from deficit.csv. The data
 * are not an exact equilibrium; solve its baseline first (wiot_ge_model_rebase).
 * cfl (may be NULL): *cfl gets the dataset's counterfactual as an additional-tariff
 * schedule, tariff_cfl - tariff_bln (free with wiot_schedule_free); its d_cfl column
 * must be 1 (other values are refused).
 * Messages name the file and line: "data/cp2015/trade.csv.gz:17: field 'tariff': ...".
 * returns WIOT_OK | WIOT_EINVAL | WIOT_EIO | WIOT_EFORMAT | WIOT_ENOTFOUND (unknown
 * region or sector) | WIOT_EDATA | WIOT_ENOMEM. cost: one pass over the files. */
WIOT_API int wiot_ge_model_load_cp(wiot_ctx *ctx, const char *dir, wiot_ge_model **out,
                                   wiot_schedule **cfl, wiot_ge_calib *calib);

WIOT_API void wiot_ge_model_free(wiot_ge_model *m);
WIOT_API size_t wiot_ge_countries(const wiot_ge_model *m);           /* N */
WIOT_API size_t wiot_ge_sectors(const wiot_ge_model *m);             /* J */
WIOT_API const char *wiot_ge_country(const wiot_ge_model *m, size_t n);  /* NULL out of range */
WIOT_API const char *wiot_ge_sector(const wiot_ge_model *m, size_t j);
WIOT_API const double *wiot_ge_theta(const wiot_ge_model *m);        /* J */
/* A zeroed schedule on the model's dimensions (N x N x J), e.g. for a CP dataset. */
WIOT_API int wiot_ge_schedule_new(wiot_ctx *ctx, const wiot_ge_model *m, wiot_schedule **out);

/* Solver options; a zeroed struct (or NULL) gives the defaults. */
enum wiot_ge_deficits {
    WIOT_GE_DEFICITS_FIXED = 0,  /* D_n' = D_n (levels, in units of the numeraire) */
    WIOT_GE_DEFICITS_ZERO = 1    /* D_n' = 0 */
};
enum wiot_ge_linear {
    WIOT_GE_LINEAR_ITERATIVE = 0,  /* expenditure system by Anderson-accelerated
                                      iteration, warm-started, to residual <= 1e-14 */
    WIOT_GE_LINEAR_DENSE = 1       /* the NJ x NJ system by LAPACK dgesv each step (the
                                      exact reference; 2(NJ)^3/3 flops per step) */
};
typedef struct wiot_ge_options {
    int deficits;           /* enum wiot_ge_deficits */
    int linear;             /* enum wiot_ge_linear */
    double tol;             /* labour-market residual, relative to world value added
                               (0: 1e-12) */
    int max_iter;           /* wage iterations (0: 500) */
    const double *theta;    /* J elasticities replacing the model's (Monte Carlo); NULL */
} wiot_ge_options;

/* Quality and cost of one solve. */
typedef struct wiot_ge_info {
    int iterations;            /* wage iterations */
    long price_iterations;     /* price fixed-point sweeps, all wage iterations */
    long linear_iterations;    /* expenditure-system sweeps (or dgesv calls) */
    double residual;           /* labour market: max_n |sum_j beta Y' - w^ wL| / world VA */
    double goods_residual;     /* expenditure system: max |X' - Gamma Y' - alpha I'| / max X' */
    double balance_residual;   /* trade balance: max_n |M_n' - E_n' - D_n'| / world VA */
    double numeraire_residual; /* |sum w^ wL / sum wL - 1| */
    double seconds;
} wiot_ge_info;

/* A model at the equilibrium its own baseline reaches with the deficits of opt
 * (WIOT_GE_DEFICITS_ZERO: CP2015's first step, "a world without deficits"; FIXED:
 * re-solves data that are not an exact equilibrium, e.g. a CP dataset): trade shares,
 * expenditure and wL of the solution, D = D' and the same tariffs and parameters
 * (theta: opt->theta when given, so a CP dataset can take other elasticities).
 * returns as wiot_ge_solve. cost: one solve and the model's memory. */
WIOT_API int wiot_ge_model_rebase(wiot_ctx *ctx, const wiot_ge_model *m,
                                  const wiot_ge_options *opt, wiot_ge_model **out,
                                  wiot_ge_info *info);

/* Results and workspace of one solve, reused across solves of one model. */
WIOT_API int wiot_ge_result_new(wiot_ctx *ctx, const wiot_ge_model *m, wiot_ge_result **out);
WIOT_API void wiot_ge_result_free(wiot_ge_result *r);

/* Solve one counterfactual (kernel/METHODS.md §6.1-6.7): tariffs tau' = tau + tariff (an
 * additional-tariff schedule, as wiot_tariff; NULL = none) and non-tariff barriers as
 * ad valorem equivalents on the iceberg cost, d^ = 1 + ntb (NULL = none), so
 * kappa^ = (1 + tau')/(1 + tau) d^. Wages by an Anderson-accelerated, diagonally
 * preconditioned fixed point (kernel/METHODS.md §6.9) around the price fixed point (cheap
 * log-sum-exp form, zero shares masked) and the expenditure system (opt->linear).
 * Stops when the labour-market residual <= opt->tol.
 * r: filled (see wiot_ge_result_country etc.); unspecified on failure.
 * info (may be NULL): iterations, residuals, seconds (also on WIOT_ENOCONV).
 * returns WIOT_OK | WIOT_EINVAL (NULL; schedule of other dimensions; a trade cost made
 * non-positive: 1 + tau' <= 0 or d^ <= 0, naming importer, exporter and sector;
 * theta <= 0) | WIOT_ENOCONV (message gives the residual reached) | WIOT_EDATA (a
 * non-finite result; deficits that do not sum to 0) | WIOT_ENOMEM | WIOT_ESINGULAR,
 * WIOT_ELAPACK (dense path only: dgesv failed).
 * cost per wage iteration: price sweeps of N^2 J + N J^2 flops and N J exp, and
 * expenditure sweeps of 2(N^2 J + N J^2) flops; WIOD 2013 (N = 41, J = 35): ~10^7
 * flops per iteration, ~15 iterations, ~0.03 s. Memory: N doubles per call; the dense
 * path allocates its 8 (NJ)^2 + 8 NJ bytes in r at its first use (checked against
 * WIOT_OPT_MAX_MEMORY) and 2(NJ)^3/3 flops per wage iteration. */
WIOT_API int wiot_ge_solve(wiot_ctx *ctx, const wiot_ge_model *m, const wiot_schedule *tariff,
                           const wiot_schedule *ntb, const wiot_ge_options *opt,
                           wiot_ge_result *r, wiot_ge_info *info);

/* count solves in parallel over the context's threads (one result handle each;
 * tariffs[k], ntbs[k] may be NULL, ntbs itself may be NULL; opts: count options or
 * NULL). Each result equals wiot_ge_solve's bit for bit, whatever the thread count.
 * rcs[count] (may be NULL) gets each status; the call returns the first failure's
 * status and message ("scenario 3: ..."), after every solve has run. The context's
 * progress callback, if any, is called from the calling thread. */
WIOT_API int wiot_ge_solve_batch(wiot_ctx *ctx, const wiot_ge_model *m, size_t count,
                                 const wiot_schedule *const *tariffs,
                                 const wiot_schedule *const *ntbs,
                                 const wiot_ge_options *opts, wiot_ge_result *const *results,
                                 wiot_ge_info *infos, int *rcs);

/* Per-country results, N values: changes as fractions, levels in the table's units. */
enum wiot_ge_country_item {
    WIOT_GE_WELFARE = 0,        /* exact real income change I^/P^ - 1 */
    WIOT_GE_REAL_WAGE = 1,      /* w^/P^ - 1 */
    WIOT_GE_WAGE = 2,           /* w^ - 1 (nominal, numeraire world value added) */
    WIOT_GE_PRICE_INDEX = 3,    /* P^ - 1, P^ = prod_j (P^^j)^alpha_j */
    WIOT_GE_INCOME = 4,         /* I' = w^ wL + R' + D' (level) */
    WIOT_GE_REVENUE = 5,        /* tariff revenue R' (level) */
    WIOT_GE_EXPORTS = 6,        /* exports net of tariffs (level) */
    WIOT_GE_IMPORTS = 7,        /* imports net of tariffs (level) */
    WIOT_GE_TOT = 8,            /* CP2015 terms-of-trade effect (at baseline flows) */
    WIOT_GE_VOT = 9,            /* CP2015 volume-of-trade effect (at baseline flows) */
    WIOT_GE_DECOMP = 10,        /* TOT + VOT */
    WIOT_GE_NTB_EFFECT = 11,    /* -sum (1+tau) M (d^ - 1) / I: the iceberg-cost term (0
                                   without non-tariff barriers) */
    WIOT_GE_INCOME_BASE = 12, WIOT_GE_REVENUE_BASE = 13,
    WIOT_GE_EXPORTS_BASE = 14, WIOT_GE_IMPORTS_BASE = 15
};
#define WIOT_GE_NCOUNTRY 16
/* Per country-sector results, N*J values (n*J + j), changes as fractions. */
enum wiot_ge_sector_item {
    WIOT_GE_PRICE = 0,          /* P^_n^j - 1 */
    WIOT_GE_COST = 1,           /* c^_n^j - 1 */
    WIOT_GE_OUTPUT = 2,         /* gross output value Y'/Y - 1 (0 where Y = 0) */
    WIOT_GE_VALUE_ADDED = 3     /* real value added (deflated by the wage: employment)
                                   Y'/(w^ Y) - 1 */
};
#define WIOT_GE_NSECTOR 4
/* Bilateral flows net of tariffs, N*N*J values in the schedule layout: which = 0 the
 * baseline, 1 the counterfactual. */
WIOT_API const double *wiot_ge_result_country(const wiot_ge_result *r, int item);
WIOT_API const double *wiot_ge_result_sector(const wiot_ge_result *r, int item);
WIOT_API const double *wiot_ge_result_trade(const wiot_ge_result *r, int which);

/* ============================================ value chains (kernel/gvc/, issue 15) */
/* Decompositions of gross exports and positions in value chains (kernel/METHODS.md §7):
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

/* KWW (Koopman, Wang & Wei 2014, their nine-term decomposition; kernel/METHODS.md §7.1): country s's gross
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

/* WWZ (Wang, Wei & Zhu 2013, the sixteen-term decomposition; kernel/METHODS.md §7.2): the exports E_sr of
 * country-sector i (in s) to importer r != s, intermediate Z_sr 1 and final Y_sr,
 * as sixteen terms, numbered as in the paper (names from wiot_wwz_name; decompr
 * orders its columns differently, see kernel/METHODS.md §7.2):
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

/* Borin & Mancini (2019, 2023) decompositions of gross exports (kernel/METHODS.md §7.6),
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

/* Bilateral gross trade (kernel/METHODS.md §7.5): for country-sector j and importer r
 * (rows j*C + r; 0 where r == c(j)):
 *   flows[row]       = intermediate exports sum_{k in r} Z[j, k]
 *   flows[row + ldf] = final exports sum_q F[j, r*K + q]
 *   va[row + o*ldv]  = W[j, o] (flows[row] + flows[row + ldf]): value added of
 *                      country o embodied (sum over o = the flow, x > 0)
 * flows[(n*C) x 2] (ldf >= n*C); va[(n*C) x C] (ldv >= n*C; may be NULL). Millions.
 * returns WIOT_OK | WIOT_EINVAL. cost: n C^2; no memory. */
WIOT_API int wiot_gvc_trade(wiot_ctx *ctx, const wiot_gvc *g, double *flows, size_t ldf,
                            double *va, size_t ldv);

/* Positions of every country-sector in value chains (kernel/METHODS.md §7.3):
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

/* Average propagation length (Dietzenbacher, Romero & Bosma 2005; kernel/METHODS.md §7.4)
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
/* ======================================================================== */
/* Hardening (issue 16): budgeted blocks for callers                        */
/* ======================================================================== */
/* wiot_alloc: a block of `bytes` bytes (64-byte aligned, not zeroed) from the context's
 * allocator, counted in its memory budget (WIOT_OPT_MAX_MEMORY) like the library's own
 * blocks, so that a driver's large arrays (the CLI's draws, result matrices) are
 * refused before allocating rather than exhausting memory.
 * what: names the block in the message (e.g. "--draws 100000000: the draws"), NULL
 * for "the block".
 * returns the block, or NULL with WIOT_ENOMEM's message in wiot_errmsg(ctx):
 *   "<what> needs 33.1 GiB but the memory limit is 1 GiB" (or "... only 7.6 GiB of
 *   memory is available", ", 20 MiB of it in use" when what is live is the cause);
 *   NULL without a message when ctx is NULL. bytes 0 gives a 1-byte block.
 * cost: one allocation; O(1). Free with wiot_free on the same context. */
WIOT_API void *wiot_alloc(wiot_ctx *ctx, size_t bytes, const char *what);
/* wiot_alloc for count x size bytes, the product checked (WIOT_ETOOLARGE's message in
 * wiot_errmsg when it overflows, the same NULL return), zeroed when zero != 0. */
WIOT_API void *wiot_alloc_array(wiot_ctx *ctx, size_t count, size_t size, int zero,
                                const char *what);
/* wiot_free: release a block of wiot_alloc / wiot_alloc_array (NULL accepted); the
 * budget counts it free at once. ctx must be the context that allocated it. */
WIOT_API void wiot_free(wiot_ctx *ctx, void *p);

#endif /* WIOT_H */
