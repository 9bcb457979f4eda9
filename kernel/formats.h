/* formats.h -- private pieces shared by the provider readers (formats.c, read_*.c,
 * aggregate.c): byte sources (a file, a directory, a zip archive), delimited text,
 * numbers, labels, and the "build" every reader fills before the table is made by
 * wiot_table_new. Not installed. */
#ifndef WIOT_FORMATS_H
#define WIOT_FORMATS_H

#include "internal.h"

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

/* --------------------------------------------------------------- sources */
/* A place holding named members: a directory, a zip archive (on disk or in memory,
 * so a zip inside a zip works) or a single plain file. */
typedef struct wi_src wi_src;
/* path: a directory, a zip file, or "ARCHIVE.zip:MEMBER" (MEMBER a zip inside it, or a
 * directory prefix inside it). */
int wi_src_open(wiot_ctx *ctx, const char *path, wi_src **out);
void wi_src_close(wi_src *s);
int wi_src_is_zip(const wi_src *s);
/* Number of members and the i-th member's path (relative to the source). */
size_t wi_src_count(const wi_src *s);
const char *wi_src_member(const wi_src *s, size_t i);
/* The member whose path is `name` or ends in "/name" (name may hold '/'), the
 * shallowest one; ci: compare case-insensitively. Returns its index or (size_t)-1. */
size_t wi_src_find(const wi_src *s, const char *name, int ci);
/* Read member i into a new NUL-terminated block (gzip members are inflated).
 * *shown gets "<path>/<member>" or "<archive>:<member>" for messages (owned by s). */
int wi_src_read(wiot_ctx *ctx, wi_src *s, size_t i, char **buf, size_t *len, const char **shown);
/* A nested archive: open member i (a zip) as a source of its own. */
int wi_src_open_member(wiot_ctx *ctx, wi_src *s, size_t i, wi_src **out);
/* A whole file into a new NUL-terminated block (gzip inflated when gz != 0). */
int wi_read_path(wiot_ctx *ctx, const char *path, int gz, char **buf, size_t *len);

/* ------------------------------------------------------------------ text */
typedef struct wi_field {
    char *p;                  /* into the text (quotes removed in place) */
    size_t n;
    int quoted;
} wi_field;

typedef struct wi_text {
    wiot_ctx *ctx;
    const char *name;         /* for messages */
    char *buf;
    size_t len, pos;
    size_t line;              /* number of the line last returned (1-based) */
    char sep;                 /* ',' (quotes honoured) or '\t' (no quoting) */
    wi_field *f;              /* fields of the last line */
    size_t nf, cap;
} wi_text;

void wi_text_init(wi_text *t, wiot_ctx *ctx, const char *name, char *buf, size_t len, char sep);
void wi_text_free(wi_text *t);
/* The next line (a UTF-8 BOM at the start is skipped; "\r\n" accepted). Returns 1 and
 * sets [*b, *e), or 0 at the end. */
int wi_text_line(wi_text *t, char **b, char **e);
/* The next line split into t->f / t->nf. Returns 1, 0 at the end, or -rc on error
 * (unterminated quote; ENOMEM). Skips nothing: empty lines give one empty field. */
int wi_text_fields(wi_text *t);
/* Skip empty lines; like wi_text_fields. */
int wi_text_next(wi_text *t);

/* "<name>:<line>: <text>" (line 0: "<name>: <text>"); returns rc. */
int wi_fmsg(wiot_ctx *ctx, int rc, const char *name, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Copy at most 40 bytes of a field for a message, non-printables as '?'. */
const char *wi_show(char *buf, const char *s, size_t n);
#define WI_SHOW 48

/* ---------------------------------------------------------------- numbers */
enum { WI_NUM_OK = 0, WI_NUM_EMPTY, WI_NUM_BAD, WI_NUM_NONFINITE, WI_NUM_RANGE };
/* [+-]digits[.digits][(e|E)[+-]digits] or [+-].digits..., exactly; correctly
 * rounded (fast path, else strtod in the C locale). Leading/trailing spaces are
 * refused. */
int wi_num(const char *s, size_t n, double *out);
/* A cell of field f of line `line`, column label `col` for messages: WI_NUM_OK or an
 * error return (message set: "<name>:<line>: column '<col>': ..."). empty_ok: an
 * empty cell (or "NA") reads 0. */
int wi_cell(wiot_ctx *ctx, const char *name, size_t line, const char *col, const wi_field *f,
            int empty_ok, double *out);

/* ----------------------------------------------------------------- labels */
/* A code from a provider's label: kept as is when it is a valid code (no ',', '"', control
 * characters, spaces, ';' or '!' and no leading/trailing blanks); otherwise every run
 * of characters outside [A-Za-z0-9.&+-] becomes one '_' (leading/trailing '_'
 * dropped, ".." becomes "._"). out holds at least n + 1 bytes. Returns the length (0
 * when nothing remains). */
size_t wi_code_from_label(char *out, const char *s, size_t n);

/* --------------------------------------------------------------- builds */
/* What a reader produced: labels, arrays, extras and where things came from in the
 * files (for messages). Arrays are owned when own != 0. */
typedef struct wi_build {
    size_t C, S, K;
    char **country, **sector, **fd;   /* each an array of owned strings */
    double *Z, *F, *x;                /* n x n, n x C*K, n (column-major, ld n) */
    size_t P;
    char **plabel;
    double *Pv;                       /* P x (n + C*K) */
    size_t Q;
    char **qlabel;
    double *Qv;                       /* Q x n */
    const char *units;                /* static text */
    char source[160];
    int format;
    int year;
    /* where things are, for messages (empty / NULL when unknown) */
    char rfile[512];                  /* file of the rows of Z and F */
    size_t *rline;                    /* n: line of row i in rfile */
    char xfile[512];                  /* file holding x */
    size_t *xline;                    /* n: line holding x[j] (one line for all in ICIO) */
    int own;                          /* arrays belong to the build */
} wi_build;

/* Allocate labels and zeroed arrays for C x S x K (P primary rows, Q other uses). */
int wi_build_alloc(wiot_ctx *ctx, wi_build *b, size_t C, size_t S, size_t K, size_t P, size_t Q);
void wi_build_free(wiot_ctx *ctx, wi_build *b);
/* Set label array entry to a copy of [s, s+n) (labels checked by wi_code_problem). */
int wi_build_label(wiot_ctx *ctx, char **slot, const char *s, size_t n);
/* A read-only build viewing a table (own = 0). */
void wi_build_view(wi_build *b, const wiot_table *t);
/* Aggregate: region group rg[C] (< GR), sector group sg[S] (< GS), with the group
 * codes; out gets an owned build (P rows and Q columns follow the mapping). */
int wi_build_aggregate(wiot_ctx *ctx, const wi_build *in, const size_t *rg, size_t GR,
                       char *const *rcodes, const size_t *sg, size_t GS, char *const *scodes,
                       wi_build *out);
/* ICIO's split countries (CN1.., MX1..) into their parents, unless the context keeps
 * them. name/line for the message of a split without parent. */
int wi_build_merge_splits(wiot_ctx *ctx, wi_build *b, const char *name, size_t line);
/* Make the table: wiot_table_new (messages moved to the line of the cell), extras
 * attached, the row identity rechecked with the other-use columns. name: the path
 * for messages; the table is named after its last component. Frees b's arrays. */
int wi_build_finish(wiot_ctx *ctx, wi_build *b, const char *name, wiot_table **out);

/* ------------------------------------------------------------------ readers */
/* Each reads the layout from text already in memory or from a source, fills b. */
int wi_read_icio(wiot_ctx *ctx, const char *name, char *buf, size_t len, wi_build *b);
int wi_read_wiod2016(wiot_ctx *ctx, const char *name, char *buf, size_t len, wi_build *b);
int wi_read_exiobase(wiot_ctx *ctx, wi_src *src, const char *name, wi_build *b);
int wi_read_eora26(wiot_ctx *ctx, wi_src *src, const char *name, wi_build *b);
/* Content tests used by detection (first bytes of a text). */
int wi_looks_icio(const char *s, size_t n);
int wi_looks_wiod2016(const char *s, size_t n);

#endif
