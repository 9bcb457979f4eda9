/* common.h -- the bottom layer of the library, used by every other layer: the
 * context (allocator, options, message, statistics), errors, the memory budget,
 * threads and timing (ctx.c); delimited text, the strict number parser and message
 * quoting (text.c); whole-file reading, gunzip and the atomic "temporary file, then
 * rename" writer (io.c). Nothing here knows what a table is. Not installed. */
#ifndef WIOT_COMMON_H
#define WIOT_COMMON_H

#define WIOT_BUILDING 1
#include "wiot.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <lapacke.h>

#define WI_MSG_MAX 1024

/* A context: allocator, options, last message, statistics. Handles keep a copy of
 * the allocator only, so they may outlive the context that created them. */
/* The meter between the context and the caller's allocator: every block allocated
 * through the context (handles included: they keep a copy of ctx->a, whose ud is the
 * meter) carries its size, so the live total is exact wherever a block is freed.
 * refs = live blocks + 1 while the context exists; the context's own block (which
 * holds the meter) is released by whichever of wiot_ctx_free and the last block's
 * release drops refs to 0. Atomic: handles may be freed from other threads. */
typedef struct wi_meter {
    wiot_allocator user;      /* the caller's allocator */
    _Atomic size_t live;      /* bytes live now (payload sizes asked for) */
    _Atomic size_t peak;      /* most bytes live at once */
    _Atomic size_t refs;
    void *home;               /* the context block to release at refs == 0 */
} wi_meter;

struct wiot_ctx {
    wiot_allocator a;         /* the meter's hooks (ud = &meter) */
    wi_meter meter;
    int threads;              /* 0 = omp_get_max_threads() */
    int keep_splits;          /* WIOT_OPT_KEEP_SPLITS (formats.c) */
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
    const char *input;        /* the file a load is reading (NULL: none), named in memory refusals */
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
/* Bytes that may still be allocated: wi_mem_cap less what is live (0 when none). */
size_t wi_mem_room(const wiot_ctx *ctx);
size_t wi_mem_live(const wiot_ctx *ctx);
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

/* ---- threads: set the calling thread's OpenMP/BLAS thread count for a call */
typedef struct wi_threads { int saved; int active; } wi_threads;
void wi_threads_begin(const wiot_ctx *ctx, wi_threads *st);
void wi_threads_end(wi_threads *st);
int wi_nthreads(const wiot_ctx *ctx);

/* ---- timing and accounting */
double wi_now(void);
void wi_account(wiot_ctx *ctx, double flops, double seconds);

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

/* ----------------------------------------------------------------- codes */
/* A code from a provider's label: kept as is when it is a valid code (no ',', '"', control
 * characters, spaces, ';' or '!' and no leading/trailing blanks); otherwise every run
 * of characters outside [A-Za-z0-9.&+-] becomes one '_' (leading/trailing '_'
 * dropped, ".." becomes "._"). out holds at least n + 1 bytes. Returns the length (0
 * when nothing remains). */
size_t wi_code_from_label(char *out, const char *s, size_t n);
/* The problem of a code as a phrase ("is empty", "contains ','", ...), or NULL when
 * it is a valid country, sector or group code (no ',', '"' or control characters). */
const char *wi_code_problem(const char *s, size_t len);

/* ---------------------------------------------------------------- numbers */
enum { WI_NUM_OK = 0, WI_NUM_EMPTY, WI_NUM_BAD, WI_NUM_NONFINITE, WI_NUM_RANGE, WI_NUM_LONG };
/* strtod in the C locale on a token [s, s+n) the grammar accepted; *cache (may be
 * NULL: a locale per call) keeps the "C" locale (a locale_t) between calls (the caller
 * frees it with freelocale).
 * WI_NUM_LONG for tokens of 1024 bytes or more. */
int wi_num_slow(const char *s, size_t n, void **cache, double *out);
static const double wi_pow10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
/* The one number grammar of every reader: [+-]digits[.digits][(e|E)[+-]digits] (or
 * [+-].digits...), no spaces, no hex, no "nan"/"inf", correctly rounded: Clinger's
 * fast path (at most 19 significant digits, mantissa <= 2^53, |exponent| <= 22: one
 * exact IEEE multiply or divide), else strtod in the C locale. Scans from *pp; the
 * token ends at e or, when term != 0, at the first `term` byte; on WI_NUM_OK *pp is
 * the terminator. Inline: the table reader calls it for every cell. */
static inline int wi_num_scan(const char **pp, const char *e, char term, void **cache,
                              double *out)
{
    const char *p = *pp, *s = p;
    int neg = 0;
    if (p < e && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        p++;
    }
    uint64_t m = 0;
    size_t nd = 0, nfrac = 0, sig = 0;
    int lost = 0;
    for (; p < e && (unsigned)(*p - '0') < 10u; p++, nd++) {
        if (sig < 19) {
            m = m * 10 + (unsigned)(*p - '0');
            sig += m != 0;
        } else {
            lost = 1;
        }
    }
    if (p < e && *p == '.') {
        p++;
        for (; p < e && (unsigned)(*p - '0') < 10u; p++, nd++, nfrac++) {
            if (sig < 19) {
                m = m * 10 + (unsigned)(*p - '0');
                sig += m != 0;
            } else {
                lost = 1;
            }
        }
    }
    if (nd == 0)
        return WI_NUM_BAD;
    long ex = 0;
    if (p < e && (*p | 0x20) == 'e') {
        p++;
        int eneg = 0;
        if (p < e && (*p == '-' || *p == '+')) {
            eneg = *p == '-';
            p++;
        }
        const char *x0 = p;
        for (; p < e && (unsigned)(*p - '0') < 10u; p++)
            if (ex < 100000)
                ex = ex * 10 + (*p - '0');
        if (p == x0)
            return WI_NUM_BAD;
        if (eneg)
            ex = -ex;
    }
    if (p < e && (!term || *p != term))
        return WI_NUM_BAD;
    *pp = p;
    long e10 = ex - (long)nfrac;
    if (!lost && m <= ((uint64_t)1 << 53) && e10 >= -22 && e10 <= 22) {
        double v = (double)m;
        v = e10 >= 0 ? v * wi_pow10[e10] : v / wi_pow10[-e10];
        *out = neg ? -v : v;
        return WI_NUM_OK;
    }
    return wi_num_slow(s, (size_t)(p - s), cache, out);
}
/* A whole field [s, s+n) as a number: WI_NUM_OK, WI_NUM_EMPTY, WI_NUM_NONFINITE ("nan",
 * "inf"), WI_NUM_RANGE (overflows a double) or WI_NUM_BAD. */
int wi_num(const char *s, size_t n, double *out);
/* A cell of field f of line `line`, column label `col` for messages: WI_NUM_OK or an
 * error return (message set: "<name>:<line>: column '<col>': ..."). empty_ok: an
 * empty cell (or "NA") reads 0. */
int wi_cell(wiot_ctx *ctx, const char *name, size_t line, const char *col, const wi_field *f,
            int empty_ok, double *out);

/* The year in a file name: the first (last != 0: the last) run of exactly four digits
 * 19xx or 20xx in the base name of path, else 0 ("wiot_2011.csv.gz" -> 2011). */
int wi_year_in(const char *path, int last);

/* ---------------------------------------------------------------- files (io.c) */
#define WI_STOP (-1)                     /* a growth policy's "stop reading here" */
#define WI_FIRST_MAX ((size_t)16 << 20)  /* most inflated before the first policy check */
/* How far a reader may grow its buffer. check (may be NULL) runs before each growth,
 * on the len bytes so far: WIOT_OK to grow, WI_STOP to stop reading (what was read is
 * returned), or an error status with the message set. max (0 = none): return at most
 * max bytes (a prefix; gzip errors after it are not reported). The memory cap always
 * applies. */
typedef struct wi_limit {
    int (*check)(void *ud, wiot_ctx *ctx, const char *name, const char *kind, const char *buf,
                 size_t len);
    void *ud;
    size_t max;
    /* bound (0 = none): an input longer than bound bytes (its text, once inflated) is
     * refused, before more than bound + 1 bytes are held: WIOT_ETOOLARGE "<name>: <kind>
     * is longer than 64 MiB, the most <bound_what> may have" (README "Guarantees"). */
    size_t bound;
    const char *bound_what;
} wi_limit;
/* The check of lim->bound on len bytes read so far (WIOT_OK or the message above). */
int wi_bound_check(wiot_ctx *ctx, const char *name, const char *kind, const wi_limit *lim,
                   size_t len);
struct stat;
/* Double *buf (len bytes used, *cap allocated + 1) under the policy and the memory cap.
 * kind names the text in messages ("the file", "the inflated text"). */
int wi_grow(wiot_ctx *ctx, const char *name, const char *kind, const wi_limit *lim, char **buf,
            size_t len, size_t *cap);
int wi_is_gzip(const void *p, size_t n);
/* When *buf (len bytes) is gzip, replace it by its inflated text (freeing it); else
 * leave it. Returns WIOT_OK or wi_gunzip's error (*buf freed). */
int wi_inflate_if_gzip(wiot_ctx *ctx, const char *name, const wi_limit *lim, char **buf, size_t *len);
/* Inflate gzip bytes (several members) into a new NUL-terminated block. Messages
 * "<name>: truncated gzip stream ...", "... trailing garbage ...", "corrupt gzip stream: ...". */
int wi_gunzip(wiot_ctx *ctx, const char *name, const unsigned char *in, size_t inlen,
              const wi_limit *lim, char **out, size_t *outlen);
/* Read all of fd (opened from path; st from fstat, or NULL) into a new NUL-terminated
 * block; closes fd. */
int wi_read_fd(wiot_ctx *ctx, const char *path, int fd, const struct stat *st, const wi_limit *lim,
               char **out, size_t *outlen);
/* Open and read a whole file (gzip inflated when gz != 0) under lim (may be NULL). */
int wi_read_file(wiot_ctx *ctx, const char *path, int gz, const wi_limit *lim, char **out,
                 size_t *outlen);

/* The atomic writer (rules at the top of io.c): open, write, then commit or abort. */
typedef struct wi_out {
    char path[4096];          /* the file written (a symbolic link's target) */
    char tmp[4096 + 32];      /* the temporary beside it ("" when written in place) */
    int fd;
    int direct;               /* a FIFO or character device: written in place */
} wi_out;
/* returns WIOT_OK | WIOT_EINVAL | WIOT_EIO (message "<path>: ...") */
int wi_out_open(wiot_ctx *ctx, const char *path, wi_out *o);
/* write all of data; 0 or an errno value */
int wi_out_write(wi_out *o, const void *data, size_t len);
/* err: errno of an earlier write failure (-1: zlib error) or 0. fsync, close and rename
 * into place; on any failure the temporary is removed: WIOT_EIO "<path>: write error:
 * ..." or "... cannot rename the temporary file into place: ...". */
int wi_out_commit(wiot_ctx *ctx, wi_out *o, int err);
void wi_out_abort(wi_out *o);

#endif
