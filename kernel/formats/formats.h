/* formats.h -- the formats layer (above table/): byte sources (a file, a directory, a
 * zip archive; source.c), the "build" every reader fills before the table is made by
 * wiot_table_new. Not installed. */
#ifndef WIOT_FORMATS_H
#define WIOT_FORMATS_H

#include "table/table.h"

#include <minizip/unzip.h>

/* bytes looked at by detection (the header rows of a WIOD 2016 sheet saved as CSV take ~300 kB) */
#define WI_PEEK ((size_t)1 << 20)

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

struct wi_src {
    wiot_ctx *ctx;
    char *path;               /* as given (for messages) */
    int zip;                  /* 0: directory */
    char *dir;                /* directory: its path */
    unzFile uf;               /* zip */
    char *mem;                /* zip in memory (a member of another), owned */
    size_t memlen;
    struct wi_zmem { const unsigned char *base; ZPOS64_T size, pos; } zm;
    size_t count, cap;
    char **names;             /* members */
    unz64_file_pos *zpos;     /* zip: positions of the members */
    ZPOS64_T *zsize;          /* zip: uncompressed sizes */
    char *shown;              /* last member's name for messages */
};
/* 1 when path is a directory / a regular file (stat follows links). */
int wi_is_dir(const char *path);
int wi_is_file(const char *path);
/* The first WI_PEEK bytes of a file (gzip: of its text) in a new NUL-terminated block. */
int wi_peek(wiot_ctx *ctx, const char *path, char **out, size_t *len);

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

/* ------------------------------------------------------------ mapping files */
struct wiot_map {
    wiot_allocator a;
    size_t count;
    char **code, **group;     /* count each (one block) */
    double *weight;           /* count; 1 where the file has no weight column */
    int has_weight;
    size_t star;              /* line index of '*' or (size_t)-1 */
    char *name;
};
/* The line of code in m (exact match, then the '*' line), or (size_t)-1. */
size_t wi_map_find(const wiot_map *m, const char *code);

#endif
