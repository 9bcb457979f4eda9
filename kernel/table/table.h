/* table.h -- the table layer: struct wiot_table, its extras from provider layouts,
 * and what the table's own files (table.c, validate.c, csv.c, binary.c, save.c)
 * share. Uses common/ only. Not installed. */
#ifndef WIOT_TABLE_H
#define WIOT_TABLE_H

#include "common/common.h"

#include <stdarg.h>

#define WI_WARN_MAX 4                  /* room for warnings (two kinds exist) */
#define WI_LABEL_MAX 256               /* label buffer for messages */
#define WI_TOL 1e-8                    /* relative tolerance of the VA and GO rows */
#include <sys/mman.h>
/* Mapping flags: populate the page tables at once (a few large faults instead of
 * one per 64 KiB of fault-around; measured in README "Speed"). */
#ifdef MAP_POPULATE
#define WI_MAP_FLAGS (MAP_PRIVATE | MAP_POPULATE)
#else
#define WI_MAP_FLAGS MAP_PRIVATE
#endif
#define WI_IO_CHUNK ((size_t)1 << 20)  /* read/write granularity */

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

/* ------------------------------------------------------------ table extras */
/* What a table read from a provider layout keeps beyond Z, F, x (struct wiot_table's
 * ext; NULL for the wide CSV and binary layouts). One block with the table's name:
 * the name's text, this struct, the label pointers and texts, Pv and Qv. */
struct wi_ext {
    char *units;              /* "millions of USD", ... */
    char *source;             /* "OECD ICIO (2021 layout)", ... */
    int format;               /* enum wiot_format */
    size_t P;                 /* primary-input rows */
    char **plabel;            /* P labels (one block with the strings) */
    double *Pv;               /* P x (n + C*K), row r at Pv + r*(n + C*K) */
    size_t Q;                 /* other-use (discrepancy) columns */
    char **qlabel;            /* Q labels */
    double *Qv;               /* Q x n, column q at Qv + q*n */
};

/* ------------------------------------------------------------ internals */
/* Code lookups used by the scenario parser and the tariff kernels: the index of
 * code in codes[count], or (size_t)-1. */
size_t wi_table_find(char *const *codes, size_t count, const char *code);
const char *wi_basename(const char *path);
/* Label of value column j: country-sector, country-fd, or "GO" (buf: WI_LABEL_MAX). */
const char *wi_col_label(const wiot_table *t, size_t j, char *buf);
void wi_table_release(wiot_table *t);
/* Refuse a C x S x K table beyond the memory cap before allocating (message names name). */
int wi_table_need(wiot_ctx *ctx, const char *name, size_t C, size_t S, size_t K);
/* A table of C x S x K with labels unset; data != 0: Z, F, x, v allocated too. */
int wi_table_alloc(wiot_ctx *ctx, size_t C, size_t S, size_t K, const char *name, int data,
                   wiot_table **out);
/* Copy the C + S + K codes src[i] (len[i] bytes) into the table's label block. */
int wi_labels_alloc(wiot_ctx *ctx, wiot_table *t, const char *const *src, const size_t *len);
/* Record a warning on the table (printf style). */
int wi_warn(wiot_ctx *ctx, wiot_table *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The data checks (validate.c); lines != 0: messages name file lines of the CSV layout;
 * va, go (may be NULL): the file's TOT rows to check against. */
int wi_validate(wiot_ctx *ctx, wiot_table *t, const char *name, int lines, const double *va,
                const double *go);
/* Send the table's warnings to the context's log callback. */
void wi_log_warnings(wiot_ctx *ctx, const wiot_table *t);
/* .wiot (binary.c): magic test, load from bytes (map: a mapping the table keeps;
 * borrow: the bytes are the caller's and stay in place), save. */
int wi_bin_magic(const char *p, size_t len);
int wi_bin_load(wiot_ctx *ctx, const char *name, const unsigned char *p, size_t size, void *map,
                int borrow, wiot_table **out);
int wi_save_binary(wiot_ctx *ctx, const wiot_table *t, const char *path);
/* The native loader (csv.c): a file in the wide CSV layout (plain or gzip) or .wiot
 * (mapped). formats/load.c decides which loader a path goes to. */
int wi_table_load_native(wiot_ctx *ctx, const char *path, wiot_table **out);

/* WIOT_EDATA naming the first non-finite entry of v[rows x cols] (ld), or WIOT_OK: the
 * last check of a result, so nothing returns NaN or Inf without an error. Rows are
 * labelled by country-sector when rows == t->n, by country when rows == t->C.
 * Message: "<what> of 'USA_c3' is inf (column 2): ..." cost: rows*cols. */
int wi_check_finite(wiot_ctx *ctx, const wiot_table *t, const char *what, const double *v,
                    size_t rows, size_t cols, size_t ld);


/* The growth policy of wide-CSV table text (csv.c; common/io.c wi_limit.check): text
 * that is not a table is not read further (WI_STOP), a table is refused once longer
 * than the columns of its line 1 allow. */
int wi_table_policy(void *ud, wiot_ctx *ctx, const char *name, const char *kind,
                    const char *b, size_t len);

#endif
