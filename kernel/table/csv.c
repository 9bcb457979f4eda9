/* csv.c -- the wide CSV layout (plain or gzip), and the native loader of files,
 * buffers and static images (CSV or .wiot) that formats/load.c dispatches to.
 *
 * Layout: data/LAYOUT.md §1. Line 1 is "country,sector," + n labels "{C}_{S}"
 * + C*K labels "{C}_{fd}" + "GO"; then n data rows "{C},{S}," Z[i,:] F[i,:] x[i];
 * then "TOT,VA," v, zeros, 0; last "TOT,GO," x, column sums of F, sum of x.
 *
 * Loading is one pass over the text after it is in memory (gzip is inflated through
 * the context's allocator): a memchr pass splits lines, the labels are checked, then
 * each cell is converted by a hand-written parser that is exact (Clinger's fast path:
 * mantissa <= 2^53 and |exponent| <= 22 gives the correctly rounded double with one
 * IEEE multiply or divide) and hands anything else to strtod in the C locale.
 *
 * Accepted beyond the strict layout: "\r\n" line ends, a missing final newline, trailing
 * empty lines, and gzip files of several members. Refused in cells: empty ones, spaces, "nan",
 * "inf", hex floats and any other text strtod would take but the grammar
 * [+-]digits[.digits][(e|E)[+-]digits] does not.
 *
 * Order of the checks (the first failure is reported): text (gzip, empty), header,
 * field counts of the label columns, TOT rows, row labels (country blocks, sectors),
 * header labels, cells (ragged rows, numbers) in file order, then the data: x >= 0,
 * Z >= 0, F finite, the VA and GO rows, zero-output columns, column sums of A < 1.
 *
 * Speed (WIOD 2011, 4.96 MB of text, 2.36 M cells, one core): about 530 MB/s from a
 * plain buffer and 290 MB/s from gzip (inflate included) once the process's memory is
 * warm; a first load in a fresh process also pays the kernel's page zeroing for the
 * 18 MB of matrices.
 *
 * A file that starts with "WIOT" is a binary .wiot table (section "binary (.wiot)"
 * below: layout, checks, the kept mapping); from memory, and after inflating gzip
 * bytes, the same content test applies, and the data are copied.
 *
 * Saving writes integers below 1e15 as integers and other values in the shortest of
 * %.15g/%.16g/%.17g that reads back to the same bits, so load -> save -> load is exact
 * (a saved WIOD table is byte-identical to the source text).
 *
 * Messages: "<file>:<line>: <problem>" or "<file>:<line>: column '<label>': <problem>";
 * problems not tied to a line (gzip, empty file, I/O) read "<file>: <problem>".
 * Tables built by wiot_table_new use "<name>: column '<label>': <problem>".
 *
 * Ownership: every block of a table comes from the context's allocator and is
 * released with the table's copy of it. The code strings live in one block whose
 * start is t->country (pointer arrays country | sector | fdcat, then the text).
 */
#define _GNU_SOURCE
#include "table/table.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* ------------------------------------------------------------ input bytes */
#define WI_LINE1_MAX ((size_t)64 << 20)  /* longest first line (header) read */

/* The growth policy of table text being read or inflated (common/io.c wi_grow). Limits,
 * with the memory cap that io.c applies to every input, so that a gzip bomb or an endless device is refused after a bounded amount
 * (checked at each growth, so the buffer never exceeds twice the text):
 *  - the context's memory cap (WIOT_OPT_MAX_MEMORY, or the memory available);
 *  - text that is neither gzip nor .wiot and does not start "country,sector," is not
 *    read further (WI_STOP): the parser refuses its header with the usual message;
 *  - a first line longer than WI_LINE1_MAX is no table header;
 *  - once line 1 (f fields, h bytes) is complete, the text holds at most f lines of
 *    at most 32 h bytes each (the n + 2 rows have the header's f fields, a number
 *    has at most 25 characters where a label has at least 3 and a comma).
 * kind names the text in messages ("the file", "the inflated text"). */
int wi_table_policy(void *ud, wiot_ctx *ctx, const char *name, const char *kind,
                           const char *b, size_t len)
{
    (void)ud;
    char b1[64];
    if (!(len >= 2 && (unsigned char)b[0] == 0x1f && (unsigned char)b[1] == 0x8b) &&
        !(len >= 8 && memcmp(b, "WIOT\0BIN", 8) == 0)) {
        static const char pre[] = "country,sector,";
        if (memcmp(b, pre, len < sizeof pre - 1 ? len : sizeof pre - 1) != 0)
            return WI_STOP;
        const char *nl = memchr(b, '\n', len);
        if (!nl && len >= WI_LINE1_MAX)
            return wi_fmsg(ctx, WIOT_EFORMAT, name, 1, "line 1 is longer than %s without a "
                          "line end: not a table header", wi_bytes_str(b1, sizeof b1,
                          (double)WI_LINE1_MAX));
        if (nl) {
            size_t f = 1;
            for (const char *p = b; p < nl; p++)
                f += *p == ',';
            double most = (double)f * 32.0 * (double)(nl - b + 1) + 65536.0;
            if ((double)len > most)
                return wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "%s is longer than a table with the "
                              "%zu columns of line 1 can be (more than %s)", kind, f,
                              wi_bytes_str(b1, sizeof b1, most));
        }
    }
    return WIOT_OK;
}

static const wi_limit wi_table_limit = {wi_table_policy, NULL, 0, 0, NULL};

/* ----------------------------------------------------------------- parser */
typedef struct wi_line {
    size_t b, e;      /* content [b, e) without "\r\n" */
    size_t c1, c2;    /* offsets of the first and second ',' (e when absent) */
} wi_line;

typedef struct wi_span {
    size_t off, len;
} wi_span;

typedef struct wi_parse {
    wiot_ctx *ctx;
    const char *name;   /* for messages: the path as given */
    const char *txt;
    size_t len;
    wi_line *ln;        /* lines, trailing empty ones dropped */
    size_t L;
    wi_span *hs;        /* header fields */
    size_t nf;          /* fields per line */
    size_t n, m;        /* data rows; value columns before GO (n + C*K) */
    double *tot;        /* the TOT,VA and TOT,GO rows, m + 1 values each */
    void *cloc;         /* "C" locale (locale_t) for strtod, created on first use */
    wiot_table *t;
} wi_parse;

/* One cell at *pp, ending at ',' or e: the common number grammar (common.h). On
 * success *pp is the terminator. */
static inline int wi_number(wi_parse *ps, const char **pp, const char *e, double *out)
{
    return wi_num_scan(pp, e, ',', &ps->cloc, out);
}

static size_t wi_count_fields(const char *s, const char *e)
{
    size_t k = 1;
    while ((s = memchr(s, ',', (size_t)(e - s))) != NULL) {
        k++;
        s++;
    }
    return k;
}

static int wi_ragged(wi_parse *ps, size_t li, size_t got)
{
    return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, li + 1, "expected %zu fields, got %zu",
                  ps->nf, got);
}

/* A cell that the number parser refused: ragged row first, then what the text is. */
static __attribute__((noinline)) int wi_cell_error(wi_parse *ps, size_t li, size_t col,
                                                   const char *cell, int why)
{
    const wi_line *l = &ps->ln[li];
    const char *e = ps->txt + l->e;
    size_t got = wi_count_fields(ps->txt + l->b, e);
    if (got != ps->nf)
        return wi_ragged(ps, li, got);
    const char *ce = memchr(cell, ',', (size_t)(e - cell));
    size_t clen = (size_t)((ce ? ce : e) - cell);
    char lab[WI_LABEL_MAX], q[WI_SHOW];
    wi_col_label(ps->t, col, lab);
    if (clen == 0)
        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, li + 1, "column '%s': empty cell", lab);
    if (why == WI_NUM_LONG)
        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, li + 1,
                      "column '%s': number of %zu characters is too long", lab, clen);
    if (why == WI_NUM_RANGE)
        return wi_fmsg(ps->ctx, WIOT_EDATA, ps->name, li + 1,
                      "column '%s': '%s' is out of the range of a double", lab,
                      wi_show(q, cell, clen));
    const char *u = cell;
    size_t ulen = clen;
    if (ulen && (*u == '-' || *u == '+')) {
        u++;
        ulen--;
    }
    if ((ulen >= 3 && strncasecmp(u, "nan", 3) == 0) || (ulen >= 3 && strncasecmp(u, "inf", 3) == 0))
        return wi_fmsg(ps->ctx, WIOT_EDATA, ps->name, li + 1,
                      "column '%s': '%s' is not a finite number", lab, wi_show(q, cell, clen));
    return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, li + 1, "column '%s': '%s' is not a number",
                  lab, wi_show(q, cell, clen));
}

/* count cells of line li from *pp into dst[k*stride]; col0 = value column of the
 * first; last: these cells end the line. */
static int wi_cells(wi_parse *ps, size_t li, const char **pp, double *dst, size_t stride,
                    size_t count, size_t col0, int last)
{
    const char *p = *pp, *e = ps->txt + ps->ln[li].e;
    for (size_t k = 0; k < count; k++) {
        const char *cell = p;
        int r = wi_number(ps, &p, e, &dst[k * stride]);
        if (r)
            return wi_cell_error(ps, li, col0 + k, cell, r);
        if (p == e) {
            if (!(last && k + 1 == count))
                return wi_ragged(ps, li, wi_count_fields(ps->txt + ps->ln[li].b, e));
        } else {
            if (last && k + 1 == count)
                return wi_ragged(ps, li, wi_count_fields(ps->txt + ps->ln[li].b, e));
            p++;
        }
    }
    *pp = p;
    return WIOT_OK;
}

static int wi_span_eq(const char *txt, size_t a, size_t alen, size_t b, size_t blen)
{
    return alen == blen && memcmp(txt + a, txt + b, alen) == 0;
}

/* Lines: one memchr pass to count, one to record. */
static int wi_split_lines(wi_parse *ps)
{
    const char *t = ps->txt, *end = t + ps->len, *p = t;
    size_t L = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        L++;
        p = nl ? nl + 1 : end;
    }
    ps->ln = wi_calloc(ps->ctx, L ? L : 1, sizeof(wi_line));
    if (!ps->ln)
        return WIOT_ENOMEM;
    p = t;
    for (size_t k = 0; k < L; k++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le > p && le[-1] == '\r')
            le--;
        wi_line *l = &ps->ln[k];
        l->b = (size_t)(p - t);
        l->e = (size_t)(le - t);
        const char *c1 = memchr(p, ',', (size_t)(le - p));
        const char *c2 = c1 ? memchr(c1 + 1, ',', (size_t)(le - c1 - 1)) : NULL;
        l->c1 = c1 ? (size_t)(c1 - t) : l->e;
        l->c2 = c2 ? (size_t)(c2 - t) : l->e;
        p = nl ? nl + 1 : end;
    }
    while (L > 0 && ps->ln[L - 1].e == ps->ln[L - 1].b)
        L--;   /* trailing empty lines */
    ps->L = L;
    return WIOT_OK;
}

static int wi_parse_header(wi_parse *ps)
{
    const wi_line *h = &ps->ln[0];
    const char *t = ps->txt, *b = t + h->b, *e = t + h->e;
    char q[WI_SHOW];
    static const char pre[] = "country,sector,";
    if ((size_t)(e - b) < sizeof pre - 1 || memcmp(b, pre, sizeof pre - 1) != 0)
        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                      "bad header: expected 'country,sector,...,GO', got '%s'",
                      wi_show(q, b, (size_t)(e - b)));
    size_t nf = wi_count_fields(b, e);
    if (nf < 4)
        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                      "bad header: %zu fields, need at least 4 (country, sector, one column, GO)",
                      nf);
    ps->hs = wi_alloc(ps->ctx, nf * sizeof(wi_span));
    if (!ps->hs)
        return WIOT_ENOMEM;
    const char *p = b;
    for (size_t k = 0; k < nf; k++) {
        const char *c = memchr(p, ',', (size_t)(e - p));
        const char *fe = c ? c : e;
        ps->hs[k].off = (size_t)(p - t);
        ps->hs[k].len = (size_t)(fe - p);
        p = fe + 1;
    }
    const wi_span *last = &ps->hs[nf - 1];
    if (!(last->len == 2 && memcmp(t + last->off, "GO", 2) == 0))
        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                      "bad header: the last column must be 'GO', got '%s'",
                      wi_show(q, t + last->off, last->len));
    for (size_t k = 2; k + 1 < nf; k++) {
        const char *why = wi_code_problem(t + ps->hs[k].off, ps->hs[k].len);
        if (why)
            return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, 1, "bad header: column %zu label %s",
                          k + 1, why);
    }
    ps->nf = nf;
    ps->m = nf - 3;
    return WIOT_OK;
}

/* TOT rows, sizes, and the row labels: countries in blocks with the same sectors. */
static int wi_parse_labels(wi_parse *ps, size_t *C_out, size_t *S_out, size_t *K_out)
{
    const char *t = ps->txt;
    const wi_line *ln = ps->ln;
    size_t L = ps->L;
    char q[WI_SHOW], q2[WI_SHOW];

    for (size_t k = 1; k < L; k++)
        if (ln[k].c2 == ln[k].e)
            return wi_ragged(ps, k, wi_count_fields(t + ln[k].b, t + ln[k].e));
    if (L == 1)
        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                      "no data rows: the file has only the header line");
#define WI_IS_TOT(k, what) \
    (ln[k].c1 - ln[k].b == 3 && memcmp(t + ln[k].b, "TOT,", 4) == 0 && \
     ln[k].c2 - ln[k].c1 == 3 && memcmp(t + ln[k].c1 + 1, what ",", 3) == 0)
    if (!WI_IS_TOT(L - 1, "GO"))
        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, L,
                      "the last line must be the TOT,GO row, found '%s'",
                      wi_show(q, t + ln[L - 1].b, ln[L - 1].c2 - ln[L - 1].b));
    if (L < 3 || !WI_IS_TOT(L - 2, "VA"))
        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, L - 1,
                      "the line before the last must be the TOT,VA row, found '%s'",
                      L < 3 ? "the header" : wi_show(q, t + ln[L - 2].b, ln[L - 2].c2 - ln[L - 2].b));
#undef WI_IS_TOT
    size_t n = L - 3;
    if (n == 0)
        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, 2,
                      "no data rows between the header and the TOT rows");
    if (n > ps->m)
        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                      "the header names %zu columns between 'sector' and 'GO', fewer than "
                      "the %zu data rows", ps->m, n);
    ps->n = n;

    /* Row i is line index i+1: country [b, c1), sector (c1, c2). */
#define WI_CTRY(i) ln[(i) + 1].b, ln[(i) + 1].c1 - ln[(i) + 1].b
#define WI_SECT(i) ln[(i) + 1].c1 + 1, ln[(i) + 1].c2 - ln[(i) + 1].c1 - 1
    size_t S = 0, start = 0;
    for (size_t i = 0; i < n; i++) {
        const wi_line *l = &ln[i + 1];
        const char *why;
        if ((why = wi_code_problem(t + l->b, l->c1 - l->b)))
            return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, i + 2, "country code %s", why);
        if ((why = wi_code_problem(t + l->c1 + 1, l->c2 - l->c1 - 1)))
            return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, i + 2, "sector code %s", why);
        if (i > 0 && !wi_span_eq(t, WI_CTRY(i), WI_CTRY(i - 1))) {
            /* a new country block */
            if (S == 0)
                S = i;
            else if (i - start != S)
                return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, i + 1,
                              "country '%s' has %zu sectors, but '%s' has %zu",
                              wi_show(q, t + ln[i].b, ln[i].c1 - ln[i].b), i - start,
                              wi_show(q2, t + ln[1].b, ln[1].c1 - ln[1].b), S);
            for (size_t b = 0; b < i; b += S)
                if (wi_span_eq(t, WI_CTRY(i), WI_CTRY(b)))
                    return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, i + 2,
                                  "duplicate country '%s' (its rows begin at line %zu; each "
                                  "country's rows must form one block)",
                                  wi_show(q, t + l->b, l->c1 - l->b), b + 2);
            start = i;
        }
        if (S == 0) {
            for (size_t k = 0; k < i; k++)
                if (wi_span_eq(t, WI_SECT(i), WI_SECT(k)))
                    return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, i + 2,
                                  "duplicate sector '%s' (also at line %zu)",
                                  wi_show(q, t + l->c1 + 1, l->c2 - l->c1 - 1), k + 2);
        } else {
            size_t k = i - start;
            if (k >= S)
                return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, i + 2,
                              "country '%s' has more sectors than '%s' (%zu)",
                              wi_show(q, t + l->b, l->c1 - l->b),
                              wi_show(q2, t + ln[1].b, ln[1].c1 - ln[1].b), S);
            if (!wi_span_eq(t, WI_SECT(i), WI_SECT(k)))
                return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, i + 2,
                              "sector '%s' where '%s' was expected (every country must list "
                              "the sectors in the same order)",
                              wi_show(q, t + l->c1 + 1, l->c2 - l->c1 - 1),
                              wi_show(q2, t + ln[k + 1].c1 + 1, ln[k + 1].c2 - ln[k + 1].c1 - 1));
        }
    }
    if (S == 0)
        S = n;
    else if (n - start != S)
        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, n + 1,
                      "country '%s' has %zu sectors, but '%s' has %zu",
                      wi_show(q, t + ln[n].b, ln[n].c1 - ln[n].b), n - start,
                      wi_show(q2, t + ln[1].b, ln[1].c1 - ln[1].b), S);
    size_t C = n / S, CK = ps->m - n;
    if (CK % C != 0)
        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                      "the %zu final-demand columns are not a multiple of the %zu countries",
                      CK, C);
    size_t K = CK / C;

    /* header: intermediate columns "{country}_{sector}" in row order */
    for (size_t i = 0; i < n; i++) {
        const wi_span *h = &ps->hs[2 + i];
        size_t cl = ln[i + 1].c1 - ln[i + 1].b, sl = ln[i + 1].c2 - ln[i + 1].c1 - 1;
        if (h->len != cl + 1 + sl || memcmp(t + h->off, t + ln[i + 1].b, cl) != 0 ||
            t[h->off + cl] != '_' || memcmp(t + h->off + cl + 1, t + ln[i + 1].c1 + 1, sl) != 0) {
            char exp[WI_LABEL_MAX];
            snprintf(exp, sizeof exp, "%.*s_%.*s", (int)(cl < 100 ? cl : 100), t + ln[i + 1].b,
                     (int)(sl < 100 ? sl : 100), t + ln[i + 1].c1 + 1);
            return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                          "column '%s': expected '%s', the label of data row %zu (line %zu)",
                          wi_show(q, t + h->off, h->len), exp, i + 1, i + 2);
        }
    }
    /* header: final-demand columns "{country}_{code}", country-major, same codes */
    for (size_t d = 0; d < C; d++) {
        size_t cb = ln[d * S + 1].b, cl = ln[d * S + 1].c1 - cb;
        for (size_t k = 0; k < K; k++) {
            const wi_span *h = &ps->hs[2 + n + d * K + k];
            if (h->len < cl + 2 || memcmp(t + h->off, t + cb, cl) != 0 || t[h->off + cl] != '_')
                return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                              "column '%s': expected final-demand column %zu of country '%s' "
                              "('%s_...')", wi_show(q, t + h->off, h->len), k + 1,
                              wi_show(q2, t + cb, cl), q2);
            size_t co = h->off + cl + 1, clen = h->len - cl - 1;
            if (d == 0) {
                for (size_t k2 = 0; k2 < k; k2++) {
                    const wi_span *h2 = &ps->hs[2 + n + k2];
                    if (wi_span_eq(t, co, clen, h2->off + cl + 1, h2->len - cl - 1))
                        return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                                      "column '%s': duplicate final-demand category '%s'",
                                      wi_show(q, t + h->off, h->len), wi_show(q2, t + co, clen));
                }
            } else {
                const wi_span *h0 = &ps->hs[2 + n + k];
                size_t c0l = ln[1].c1 - ln[1].b;
                if (!wi_span_eq(t, co, clen, h0->off + c0l + 1, h0->len - c0l - 1)) {
                    char exp[WI_LABEL_MAX];
                    snprintf(exp, sizeof exp, "%.*s_%.*s", (int)(cl < 100 ? cl : 100), t + cb,
                             (int)(h0->len - c0l - 1 < 100 ? h0->len - c0l - 1 : 100),
                             t + h0->off + c0l + 1);
                    return wi_fmsg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                                  "column '%s': expected '%s' (every country must have the "
                                  "final-demand categories of '%s' in the same order)",
                                  wi_show(q, t + h->off, h->len), exp,
                                  wi_show(q2, t + ln[1].b, c0l));
                }
            }
        }
    }
#undef WI_CTRY
#undef WI_SECT
    *C_out = C;
    *S_out = S;
    *K_out = K;
    return WIOT_OK;
}

/* Labels from the text into the table's block. */
static int wi_file_labels(wi_parse *ps)
{
    wiot_table *t = ps->t;
    const char *txt = ps->txt;
    size_t cnt = t->C + t->S + t->K;
    const char **src = wi_alloc(ps->ctx, cnt * sizeof(char *));
    size_t *len = wi_alloc(ps->ctx, cnt * sizeof(size_t));
    int rc = WIOT_ENOMEM;
    if (src && len) {
        for (size_t c = 0; c < t->C; c++) {
            const wi_line *l = &ps->ln[1 + c * t->S];
            src[c] = txt + l->b;
            len[c] = l->c1 - l->b;
        }
        for (size_t s = 0; s < t->S; s++) {
            const wi_line *l = &ps->ln[1 + s];
            src[t->C + s] = txt + l->c1 + 1;
            len[t->C + s] = l->c2 - l->c1 - 1;
        }
        size_t c0 = len[0];
        for (size_t k = 0; k < t->K; k++) {
            const wi_span *h = &ps->hs[2 + t->n + k];
            src[t->C + t->S + k] = txt + h->off + c0 + 1;
            len[t->C + t->S + k] = h->len - c0 - 1;
        }
        rc = wi_labels_alloc(ps->ctx, t, src, len);
    }
    wi_free(ps->ctx, src);
    wi_free(ps->ctx, len);
    return rc;
}

static int wi_parse_values(wi_parse *ps)
{
    wiot_table *t = ps->t;
    const size_t n = t->n, CK = t->C * t->K, m = ps->m;
    int rc;
    for (size_t i = 0; i < n; i++) {
        size_t li = i + 1;
        const char *p = ps->txt + ps->ln[li].c2 + 1;
        if ((rc = wi_cells(ps, li, &p, t->Z + i, n, n, 0, 0)) ||
            (rc = wi_cells(ps, li, &p, t->F ? t->F + i : NULL, n, CK, n, 0)) ||
            (rc = wi_cells(ps, li, &p, t->x + i, 1, 1, m, 1)))
            return rc;
    }
    for (size_t r = 0; r < 2; r++) {
        size_t li = n + 1 + r;
        const char *p = ps->txt + ps->ln[li].c2 + 1;
        if ((rc = wi_cells(ps, li, &p, ps->tot + r * (m + 1), 1, m + 1, 0, 1)))
            return rc;
    }
    return WIOT_OK;
}

static int wi_parse_table(wi_parse *ps, wiot_table **out)
{
    wiot_ctx *ctx = ps->ctx;
    int rc;
    size_t C = 0, S = 0, K = 0;
    if (ps->len == 0)
        return wi_fmsg(ctx, WIOT_EFORMAT, ps->name, 0, "empty file");
    if ((rc = wi_split_lines(ps)))
        return rc;
    if (ps->L == 0)
        return wi_fmsg(ctx, WIOT_EFORMAT, ps->name, 0, "empty file (no non-empty line)");
    if ((rc = wi_parse_header(ps)) || (rc = wi_parse_labels(ps, &C, &S, &K)) ||
        (rc = wi_table_need(ctx, ps->name, C, S, K)))
        return rc;
    if ((rc = wi_table_alloc(ctx, C, S, K, ps->name, 1, &ps->t)))
        return rc;
    if ((rc = wi_file_labels(ps)))
        return rc;
    ps->tot = wi_dalloc(ctx, 2 * (ps->m + 1));
    if (!ps->tot)
        return WIOT_ENOMEM;
    if ((rc = wi_parse_values(ps)))
        return rc;
    if ((rc = wi_validate(ctx, ps->t, ps->name, 1, ps->tot, ps->tot + ps->m + 1)))
        return rc;
    *out = ps->t;
    ps->t = NULL;
    return WIOT_OK;
}

/* Parse text (plain or gzip) at data; the caller keeps data. */
static int wi_load(wiot_ctx *ctx, const char *name, const char *data, size_t size,
                   wiot_table **out)
{
    wi_parse ps;
    memset(&ps, 0, sizeof ps);
    ps.ctx = ctx;
    ps.name = name;
    char *inflated = NULL;
    int rc = WIOT_OK;
    if (size >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b) {
        rc = wi_gunzip(ctx, name, (const unsigned char *)data, size, &wi_table_limit, &inflated,
                       &ps.len);
        ps.txt = inflated;
    } else {
        ps.txt = data;
        ps.len = size;
    }
    wiot_table *t = NULL;
    if (!rc)
        rc = wi_bin_magic(ps.txt, ps.len)
                 ? wi_bin_load(ctx, name, (const unsigned char *)ps.txt, ps.len, NULL, 0, &t)
                 : wi_parse_table(&ps, &t);
    wi_table_release(ps.t);
    wi_free(ctx, ps.tot);
    wi_free(ctx, ps.hs);
    wi_free(ctx, ps.ln);
    wi_free(ctx, inflated);
    if (ps.cloc)
        freelocale((locale_t)ps.cloc);
    if (rc)
        return rc;
    wi_log_warnings(ctx, t);
    *out = t;
    return WIOT_OK;
}

int wi_table_load_native(wiot_ctx *ctx, const char *path, wiot_table **out)
{
    char eb[128];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wi_fmsg(ctx, WIOT_EIO, path, 0, "cannot open: %s", strerror_r(errno, eb, sizeof eb));
    struct stat st;
    int have_st = fstat(fd, &st) == 0;
    /* A .wiot file (magic bytes) is mapped, not read; anything else is read whole. */
    unsigned char head[4];
    if (have_st && S_ISREG(st.st_mode) && st.st_size >= 4 &&
        pread(fd, head, 4, 0) == 4 && wi_bin_magic((const char *)head, 4)) {
        if ((unsigned long long)st.st_size > SIZE_MAX) {
            close(fd);
            return wi_fmsg(ctx, WIOT_ETOOLARGE, path, 0, "file of %lld bytes is too large to map",
                          (long long)st.st_size);
        }
        size_t size = (size_t)st.st_size;
        void *map = mmap(NULL, size, PROT_READ, WI_MAP_FLAGS, fd, 0);
        if (map != MAP_FAILED) {
            close(fd);
            int rc = wi_bin_load(ctx, path, map, size, map, 0, out);
            if (!rc)
                wi_log_warnings(ctx, *out);
            return rc;
        }
        /* not mappable (some file systems): read it like any other file */
    }
    char *buf = NULL;
    size_t len = 0;
    int rc = wi_read_fd(ctx, path, fd, have_st ? &st : NULL, &wi_table_limit, &buf, &len);
    if (rc)
        return rc;
    rc = wi_load(ctx, path, buf, len, out);
    wi_free(ctx, buf);
    return rc;
}

static int wi_body_table_load_buffer(wiot_ctx *ctx, const void *data, size_t size, const char *name,
                           wiot_table **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!out || (!data && size))
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_load_buffer: %s is NULL",
                        out ? "data" : "out");
    return wi_load(ctx, name ? name : "buffer", data ? data : "", size, out);
}

/* wiot_table_load_buffer: the body above, with the input named for memory refusals (ctx->input) */
int wiot_table_load_buffer(wiot_ctx *ctx, const void *data, size_t size, const char *name,
                           wiot_table **out)
{
    if (!ctx)
        return wi_body_table_load_buffer(ctx, data, size, name, out);
    const char *prev = ctx->input;
    ctx->input = name;
    int rc = wi_body_table_load_buffer(ctx, data, size, name, out);
    ctx->input = prev;
    return rc;
}

static int wi_body_table_load_static(wiot_ctx *ctx, const void *data, size_t size, const char *name,
                           wiot_table **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!out || !data)
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_load_static: %s is NULL", out ? "data" : "out");
    if (!wi_bin_magic(data, size) || ((uintptr_t)data & 7) != 0)
        return wiot_table_load_buffer(ctx, data, size, name, out);
    const char *nm = name ? name : "buffer";
    int rc = wi_bin_load(ctx, nm, data, size, NULL, 1, out);
    if (!rc)
        wi_log_warnings(ctx, *out);
    return rc;
}

/* wiot_table_load_static: the body above, with the input named for memory refusals (ctx->input) */
int wiot_table_load_static(wiot_ctx *ctx, const void *data, size_t size, const char *name,
                           wiot_table **out)
{
    if (!ctx)
        return wi_body_table_load_static(ctx, data, size, name, out);
    const char *prev = ctx->input;
    ctx->input = name;
    int rc = wi_body_table_load_static(ctx, data, size, name, out);
    ctx->input = prev;
    return rc;
}

