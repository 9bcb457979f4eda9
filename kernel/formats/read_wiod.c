/* read_wiod.c -- the WIOD 2016 release (kernel/formats/LAYOUTS.md §4) in two CSV forms.
 *
 * 1. "Long-wide": the R (.RData) or Stata (.dta) data converted to CSV, e.g.
 *      R:     load("WIOT2014_October16_ROW.RData"); write.csv(wiot, "WIOT2014.csv", row.names = FALSE)
 *      Stata: use WIOT2014_October16_ROW.dta, clear
 *             export delimited using WIOT2014.csv
 *    Header: IndustryCode, IndustryDescription, Country, RNr, Year (found by name, in any
 *    order; IndustryDescription and Year optional), value columns named
 *    [v]<COUNTRY><number> (Stata prefixes 'v': vAUS1 ... vROW56, vAUS57 ... vROW61), and
 *    a last column TOT (row totals, not used). One line per row of the table: country
 *    rows (Country = the country code, RNr = 1..56), then the bottom rows with Country =
 *    "TOT" keyed on IndustryCode: II_fob (total intermediate consumption, not used),
 *    TXSP, EXP_adj, PURR, PURNR, VA, IntTTM (kept as primary-input rows) and GO (x).
 *    A value column's number is the RNr of an industry (intermediate use) or, above the
 *    largest RNr, a final-demand category: 57..61 are named CONS_h, CONS_np, CONS_g,
 *    GFCF, INVEN (WIOD's codes), other numbers "c<number>". Quoted fields (R quotes
 *    every string) and "NA" (R's missing value: only in the metadata and bottom rows)
 *    are accepted.
 * 2. A CSV saved from the Excel sheet (WIOT2014_Nov16_ROW.xlsb, the sheet named after
 *    the year), all of it: rows 1-6 the header (row 3 column codes, row 5 column
 *    country codes, row 6 column numbers c1 ... c61, c62), then one line per row of the
 *    table from row 7: column A the industry code, B the description, C the country
 *    (TOT for the bottom rows), D the row number (r1 ...), values from column E, the last
 *    column GO (row totals, not used). Save it with ',' as separator, '.' as decimal
 *    point, no thousands separators and full precision (LibreOffice: File > Save As >
 *    Text CSV, field delimiter ',', "Save cell content as shown" off; Excel writes the
 *    displayed text, so set the number format to General or 0.000000 first). A UTF-8
 *    byte-order mark, "\r\n" line ends and quoted descriptions are accepted. The header
 *    row with the column numbers is found as the first whose column E reads "c1" (or
 *    another "c<number>"); the codes are three rows above it, the countries one row above.
 * Both: the bottom rows are found by their code, not their position or r-number
 * (LAYOUTS.md §4 marks the r-numbers unverified); x is the GO row, so v = x - sum Z is
 * the sum of the primary-input rows (TXSP ... IntTTM); the year is the Year column
 * (long-wide) or the last 19xx/20xx in the file name. Units: millions of USD. The
 * industry codes are the file's (A01, C10-C12, C31_C32, ...). */
#define _GNU_SOURCE
#include "formats/formats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct wi_sp {
    const char *p;
    size_t n;
} wi_sp;

static int wi_sp_eq(wi_sp s, const char *z)
{
    size_t l = strlen(z);
    return s.n == l && memcmp(s.p, z, l) == 0;
}

static size_t wi_sp_find(const wi_sp *v, size_t count, wi_sp s)
{
    for (size_t i = 0; i < count; i++)
        if (v[i].n == s.n && memcmp(v[i].p, s.p, s.n) == 0)
            return i;
    return (size_t)-1;
}

/* first line starts with IndustryCode, or some early line has "c1"-like column E */
int wi_looks_wiod2016(const char *s, size_t n)
{
    if ((n >= 13 && memcmp(s, "IndustryCode", 12) == 0) || (n >= 15 && memcmp(s, "\"IndustryCode\"", 14) == 0))
        return 1;
    const char *p = s, *e = s + n;
    for (int line = 0; line < 10 && p < e; line++) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        const char *le = nl ? nl : e;
        if (le - p > 6 && (memcmp(p, ",,,,c", 5) == 0 || memcmp(p, ";;;;c", 5) == 0) && p[5] >= '0' &&
            p[5] <= '9')
            return 1;
        p = nl ? nl + 1 : e;
    }
    return 0;
}

static const char *const wi_wiod_fd[5] = {"CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"};

enum { COL_IGNORE = 0, COL_Z, COL_F };

typedef struct wi_wiod {
    wiot_ctx *ctx;
    const char *name;
    /* labels */
    wi_sp *ctry, *sect, *fd;
    size_t C, S, K;
    /* value columns */
    size_t nv;
    int *ctype;
    size_t *cidx;             /* COL_Z: j (country-major index); COL_F: q = d*K + k */
    char **clabel;            /* for messages */
    /* rows */
    size_t rows;
    int *rtot;                /* 1: a bottom ("TOT") row */
    wi_sp *rcode;
    size_t *rctry, *rsect, *rline;
    double *vals;             /* rows x nv */
    size_t cstart;            /* first row of the current country */
    int year;
} wi_wiod;

static void wi_wiod_free(wi_wiod *w)
{
    wiot_ctx *ctx = w->ctx;
    if (w->clabel)
        for (size_t k = 0; k < w->nv; k++)
            wi_free(ctx, w->clabel[k]);
    wi_free(ctx, w->clabel);
    wi_free(ctx, w->ctry);
    wi_free(ctx, w->sect);
    wi_free(ctx, w->fd);
    wi_free(ctx, w->ctype);
    wi_free(ctx, w->cidx);
    wi_free(ctx, w->rtot);
    wi_free(ctx, w->rcode);
    wi_free(ctx, w->rctry);
    wi_free(ctx, w->rsect);
    wi_free(ctx, w->rline);
    wi_free(ctx, w->vals);
}

static size_t wi_count_lines(const char *buf, size_t len)
{
    size_t L = 1;
    for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + len - p))) != NULL; p++)
        L++;
    return L;
}

static int wi_wiod_alloc_rows(wi_wiod *w, size_t L)
{
    wiot_ctx *ctx = w->ctx;
    size_t cells;
    if (wi_mul(ctx, L, w->nv, &cells))
        return WIOT_ETOOLARGE;
    w->rtot = wi_calloc(ctx, L, sizeof(int));
    w->rcode = wi_calloc(ctx, L, sizeof(wi_sp));
    w->rctry = wi_calloc(ctx, L, sizeof(size_t));
    w->rsect = wi_calloc(ctx, L, sizeof(size_t));
    w->rline = wi_calloc(ctx, L, sizeof(size_t));
    w->vals = wi_dalloc(ctx, cells ? cells : 1);
    if (!w->rtot || !w->rcode || !w->rctry || !w->rsect || !w->rline || !w->vals)
        return WIOT_ENOMEM;
    return WIOT_OK;
}

/* A data row: code, country, values from field v0 (nv of them). Countries and
 * industries are learnt from the rows (country blocks, same industries). */
static int wi_wiod_row(wi_wiod *w, wi_text *t, wi_sp code, wi_sp ctry, size_t v0)
{
    wiot_ctx *ctx = w->ctx;
    char q[WI_SHOW], q2[WI_SHOW];
    size_t r = w->rows;
    int tot = wi_sp_eq(ctry, "TOT");
    if (!tot && r > 0 && w->rtot[r - 1])
        return wi_fmsg(ctx, WIOT_EFORMAT, w->name, t->line, "country row '%s' after the bottom (TOT) rows",
                       wi_show(q, code.p, code.n));
    if (code.n == 0)
        return wi_fmsg(ctx, WIOT_EFORMAT, w->name, t->line, "empty industry code");
    w->rtot[r] = tot;
    w->rcode[r] = code;
    w->rline[r] = t->line;
    if (!tot) {
        size_t c = w->C ? w->C - 1 : 0;
        if (w->C == 0 || !(w->ctry[c].n == ctry.n && memcmp(w->ctry[c].p, ctry.p, ctry.n) == 0)) {
            /* a new country block: the previous one is complete */
            if (w->C == 1)
                w->S = r - w->cstart;
            else if (w->C > 1 && r - w->cstart != w->S)
                return wi_fmsg(ctx, WIOT_EFORMAT, w->name, t->line - 1,
                               "country '%s' has %zu industries, but '%s' has %zu",
                               wi_show(q, w->ctry[c].p, w->ctry[c].n), r - w->cstart,
                               wi_show(q2, w->ctry[0].p, w->ctry[0].n), w->S);
            if (ctry.n == 0)
                return wi_fmsg(ctx, WIOT_EFORMAT, w->name, t->line, "empty country code");
            if (wi_sp_find(w->ctry, w->C, ctry) != (size_t)-1)
                return wi_fmsg(ctx, WIOT_EFORMAT, w->name, t->line, "country '%s' appears in two blocks of rows",
                               wi_show(q, ctry.p, ctry.n));
            w->ctry[w->C++] = ctry;
            w->cstart = r;
        }
        w->rctry[r] = w->C - 1;
        size_t k = r - w->cstart;
        if (w->C == 1) {
            if (wi_sp_find(w->sect, k, code) != (size_t)-1)
                return wi_fmsg(ctx, WIOT_EFORMAT, w->name, t->line, "duplicate industry '%s'",
                               wi_show(q, code.p, code.n));
            w->sect[k] = code;
        } else if (k >= w->S || !(w->sect[k].n == code.n && memcmp(w->sect[k].p, code.p, code.n) == 0)) {
            return wi_fmsg(ctx, WIOT_EFORMAT, w->name, t->line,
                           "industry '%s' where '%s' was expected (every country lists the industries "
                           "in the same order)", wi_show(q, code.p, code.n),
                           k < w->S ? wi_show(q2, w->sect[k].p, w->sect[k].n) : "(none: too many)");
        }
        w->rsect[r] = k;
    }
    double *v = w->vals + r * w->nv;
    for (size_t k = 0; k < w->nv; k++) {
        int rc = wi_cell(ctx, w->name, t->line, w->clabel[k], &t->f[v0 + k], tot, &v[k]);
        if (rc)
            return rc;
    }
    w->rows++;
    return WIOT_OK;
}

/* The table from the rows and columns; b filled. */
static int wi_wiod_build(wi_wiod *w, wi_build *b)
{
    wiot_ctx *ctx = w->ctx;
    const size_t C = w->C, S = w->S, K = w->K, n = C * S;
    char q[WI_SHOW];
    size_t go = (size_t)-1, P = 0, nrow = 0;
    for (size_t r = 0; r < w->rows; r++) {
        if (!w->rtot[r]) {
            nrow++;
            continue;
        }
        if (wi_sp_eq(w->rcode[r], "GO"))
            go = r;
        else if (!wi_sp_eq(w->rcode[r], "II_fob"))
            P++;
    }
    if (w->C && nrow != n)
        return wi_fmsg(ctx, WIOT_EFORMAT, w->name, w->rline[w->rows - 1], "country '%.*s' has %zu industries, "
                       "but '%.*s' has %zu", (int)w->ctry[C - 1].n, w->ctry[C - 1].p, nrow - (C - 1) * S,
                       (int)w->ctry[0].n, w->ctry[0].p, S);
    if (go == (size_t)-1)
        return wi_fmsg(ctx, WIOT_EFORMAT, w->name, w->rows ? w->rline[w->rows - 1] : 1,
                       "no GO row (output at basic prices, country 'TOT'): WIOD 2016 tables end with the "
                       "rows II_fob, TXSP, EXP_adj, PURR, PURNR, VA, IntTTM and GO");
    int rc = wi_build_alloc(ctx, b, C, S, K, P, 0);
    for (size_t c = 0; c < C && !rc; c++)
        rc = wi_build_label(ctx, &b->country[c], w->ctry[c].p, w->ctry[c].n);
    for (size_t s = 0; s < S && !rc; s++)
        rc = wi_build_label(ctx, &b->sector[s], w->sect[s].p, w->sect[s].n);
    for (size_t k = 0; k < K && !rc; k++)
        rc = wi_build_label(ctx, &b->fd[k], w->fd[k].p, w->fd[k].n);
    for (size_t r = 0, p = 0; r < w->rows && !rc; r++)
        if (w->rtot[r] && r != go && !wi_sp_eq(w->rcode[r], "II_fob"))
            rc = wi_build_label(ctx, &b->plabel[p++], w->rcode[r].p, w->rcode[r].n);
    if (!rc && !(b->rline = wi_calloc(ctx, n ? n : 1, sizeof(size_t))))
        rc = WIOT_ENOMEM;
    if (!rc && !(b->xline = wi_calloc(ctx, n ? n : 1, sizeof(size_t))))
        rc = WIOT_ENOMEM;
    if (rc)
        return rc;
    const size_t pw = n + C * K;
    for (size_t r = 0, p = 0; r < w->rows && !rc; r++) {
        const double *v = w->vals + r * w->nv;
        if (!w->rtot[r]) {
            size_t i = w->rctry[r] * S + w->rsect[r];
            b->rline[i] = w->rline[r];
            for (size_t k = 0; k < w->nv; k++) {
                if (w->ctype[k] == COL_Z) {
                    if (v[k] < 0)
                        return wi_fmsg(ctx, WIOT_EDATA, w->name, w->rline[r],
                                       "column '%s': negative intermediate flow %.15g", w->clabel[k], v[k]);
                    b->Z[i + w->cidx[k] * n] = v[k];
                } else if (w->ctype[k] == COL_F) {
                    b->F[i + w->cidx[k] * n] = v[k];
                }
            }
        } else if (r == go) {
            for (size_t k = 0; k < w->nv; k++)
                if (w->ctype[k] == COL_Z) {
                    if (v[k] < 0)
                        return wi_fmsg(ctx, WIOT_EDATA, w->name, w->rline[r], "column '%s': negative output %.15g",
                                       w->clabel[k], v[k]);
                    b->x[w->cidx[k]] = v[k];
                    b->xline[w->cidx[k]] = w->rline[r];
                }
        } else if (!wi_sp_eq(w->rcode[r], "II_fob")) {
            double *o = b->Pv + p * pw;
            for (size_t k = 0; k < w->nv; k++)
                if (w->ctype[k] == COL_Z)
                    o[w->cidx[k]] = v[k];
                else if (w->ctype[k] == COL_F)
                    o[n + w->cidx[k]] = v[k];
            p++;
        }
    }
    (void)q;
    snprintf(b->rfile, sizeof b->rfile, "%s", w->name);
    snprintf(b->xfile, sizeof b->xfile, "%s", w->name);
    b->units = "millions of USD";
    b->format = WIOT_FORMAT_WIOD2016;
    b->year = w->year;
    return WIOT_OK;
}

/* Columns: every (country, industry) and (country, category) exactly once. */
static int wi_wiod_check_columns(wi_wiod *w, size_t line)
{
    wiot_ctx *ctx = w->ctx;
    size_t n = w->C * w->S, m = n + w->C * w->K;
    unsigned char *seen = wi_calloc(ctx, m ? m : 1, 1);
    if (!seen)
        return WIOT_ENOMEM;
    int rc = WIOT_OK;
    for (size_t k = 0; k < w->nv && !rc; k++) {
        if (w->ctype[k] == COL_IGNORE)
            continue;
        size_t at = w->ctype[k] == COL_Z ? w->cidx[k] : n + w->cidx[k];
        if (seen[at]++)
            rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, line, "column '%s': a second column for the same "
                         "country and %s", w->clabel[k], w->ctype[k] == COL_Z ? "industry" : "category");
    }
    for (size_t j = 0; j < m && !rc; j++)
        if (!seen[j]) {
            if (j < n)
                rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, line, "no column for the intermediate use of "
                             "country '%.*s', industry '%.*s'", (int)w->ctry[j / w->S].n, w->ctry[j / w->S].p,
                             (int)w->sect[j % w->S].n, w->sect[j % w->S].p);
            else
                rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, line, "no column for final demand '%.*s' of "
                             "country '%.*s'", (int)w->fd[(j - n) % w->K].n, w->fd[(j - n) % w->K].p,
                             (int)w->ctry[(j - n) / w->K].n, w->ctry[(j - n) / w->K].p);
        }
    wi_free(ctx, seen);
    return rc;
}

static int wi_wiod_cols_alloc(wi_wiod *w, size_t nv, size_t L)
{
    wiot_ctx *ctx = w->ctx;
    w->nv = nv;
    w->ctype = wi_calloc(ctx, nv ? nv : 1, sizeof(int));
    w->cidx = wi_calloc(ctx, nv ? nv : 1, sizeof(size_t));
    w->clabel = wi_calloc(ctx, nv ? nv : 1, sizeof(char *));
    w->ctry = wi_calloc(ctx, L, sizeof(wi_sp));
    w->sect = wi_calloc(ctx, L, sizeof(wi_sp));
    w->fd = wi_calloc(ctx, nv ? nv : 1, sizeof(wi_sp));
    if (!w->ctype || !w->cidx || !w->clabel || !w->ctry || !w->sect || !w->fd)
        return WIOT_ENOMEM;
    return WIOT_OK;
}

static int wi_set_label(wiot_ctx *ctx, char **slot, const char *p, size_t n)
{
    return wi_build_label(ctx, slot, p, n < 200 ? n : 200);
}

static int wi_wrong_sep(wiot_ctx *ctx, const char *name, size_t line, const wi_field *f)
{
    char sep = memchr(f->p, ';', f->n) ? ';' : memchr(f->p, '\t', f->n) ? '\t' : 0;
    if (!sep)
        return 0;
    return wi_fmsg(ctx, WIOT_EFORMAT, name, line, "the WIOD 2016 CSV is comma-separated, but this line has "
                   "no ',' and holds '%s' (wrong separator?)", sep == ';' ? ";" : "\\t");
}

/* Final-demand numbers (above every RNr) become categories in increasing order;
 * 57..61 (after 56 industries) get WIOD's codes. num[k] < 0 marks an FD column. */
static int wi_wiod_fd_codes(wi_wiod *w, long *num, long maxr, char *codes)
{
    long fdn[64];
    size_t nfd = 0;
    for (size_t k = 0; k < w->nv; k++) {
        if (w->ctype[k] != COL_F)
            continue;
        size_t f;
        for (f = 0; f < nfd; f++)
            if (fdn[f] == -num[k])
                break;
        if (f == nfd) {
            if (nfd == 64)
                return wi_fmsg(w->ctx, WIOT_EFORMAT, w->name, 1, "more than 64 final-demand categories");
            fdn[nfd++] = -num[k];
        }
    }
    for (size_t a = 1; a < nfd; a++)
        for (size_t b = a; b > 0 && fdn[b - 1] > fdn[b]; b--) {
            long tmp = fdn[b];
            fdn[b] = fdn[b - 1];
            fdn[b - 1] = tmp;
        }
    int wiod5 = nfd == 5 && fdn[0] == maxr + 1 && fdn[4] == maxr + 5;
    for (size_t f = 0; f < nfd; f++) {
        if (wiod5)
            snprintf(codes + 16 * f, 16, "%s", wi_wiod_fd[f]);
        else
            snprintf(codes + 16 * f, 16, "c%ld", fdn[f]);
        w->fd[f].p = codes + 16 * f;
        w->fd[f].n = strlen(codes + 16 * f);
    }
    w->K = nfd;
    for (size_t k = 0; k < w->nv; k++)
        if (w->ctype[k] == COL_F) {
            size_t f;
            for (f = 0; f < nfd; f++)
                if (fdn[f] == -num[k])
                    break;
            w->cidx[k] = w->cidx[k] * nfd + f;
        }
    return WIOT_OK;
}

/* ------------------------------------------------------------ long-wide */
static int wi_wiod_longwide(wi_wiod *w, char *buf, size_t len, wi_build *b)
{
    wiot_ctx *ctx = w->ctx;
    char q[WI_SHOW];
    wi_text t;
    wi_text_init(&t, ctx, w->name, buf, len, ',');
    int got = wi_text_next(&t), rc = WIOT_OK;
    if (got <= 0) {
        wi_text_free(&t);
        return got < 0 ? -got : wi_fmsg(ctx, WIOT_EFORMAT, w->name, 0, "empty file");
    }
    if (t.nf < 5) {
        rc = wi_wrong_sep(ctx, w->name, t.line, &t.f[0]);
        if (!rc)
            rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, t.line, "header of %zu fields: expected IndustryCode, "
                         "IndustryDescription, Country, RNr, Year, value columns, TOT", t.nf);
        wi_text_free(&t);
        return rc;
    }
    size_t nf = t.nf, icode = (size_t)-1, ictry = (size_t)-1, irnr = (size_t)-1, iyear = (size_t)-1;
    size_t idesc = (size_t)-1;
    for (size_t k = 0; k < nf; k++) {
        wi_sp h = {t.f[k].p, t.f[k].n};
        if (wi_sp_eq(h, "IndustryCode"))
            icode = k;
        else if (wi_sp_eq(h, "Country"))
            ictry = k;
        else if (wi_sp_eq(h, "RNr"))
            irnr = k;
        else if (wi_sp_eq(h, "Year"))
            iyear = k;
        else if (wi_sp_eq(h, "IndustryDescription"))
            idesc = k;
    }
    if (icode == (size_t)-1 || ictry == (size_t)-1 || irnr == (size_t)-1) {
        rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, t.line, "header lacks the column '%s'",
                     icode == (size_t)-1 ? "IndustryCode" : ictry == (size_t)-1 ? "Country" : "RNr");
        wi_text_free(&t);
        return rc;
    }
    size_t v0 = 0;
    for (size_t k = 0; k < nf; k++)
        if (k == icode || k == ictry || k == irnr || k == iyear || k == idesc)
            v0 = k + 1;
    wi_sp last = {t.f[nf - 1].p, t.f[nf - 1].n};
    size_t nv = nf - v0 - (wi_sp_eq(last, "TOT") ? 1 : 0);
    size_t L = wi_count_lines(buf, len);
    long *num = wi_alloc(ctx, (nv ? nv : 1) * sizeof *num);
    long *rnr = wi_alloc(ctx, L * sizeof *rnr);
    wi_sp *hc = wi_alloc(ctx, (nv ? nv : 1) * sizeof *hc);
    char *codes = wi_alloc(ctx, 16 * 64);
    if (!num || !rnr || !hc || !codes)
        rc = WIOT_ENOMEM;
    if (!rc)
        rc = wi_wiod_cols_alloc(w, nv, L);
    if (!rc)
        rc = wi_wiod_alloc_rows(w, L);
    for (size_t k = 0; k < nv && !rc; k++) {
        wi_sp h = {t.f[v0 + k].p, t.f[v0 + k].n};
        rc = wi_set_label(ctx, &w->clabel[k], h.p, h.n);
        const char *p = h.p, *e = h.p + h.n;
        if (p + 1 < e && *p == 'v' && p[1] >= 'A' && p[1] <= 'Z')
            p++;
        const char *c0 = p;
        while (p < e && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
            p++;
        const char *d0 = p;
        long v = 0;
        while (p < e && *p >= '0' && *p <= '9' && v < 100000)
            v = v * 10 + (*p++ - '0');
        if (!rc && (d0 == c0 || p == d0 || p != e))
            rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, t.line, "column '%s': expected a value column named "
                         "[v]<COUNTRY><number> (e.g. vAUS1)", wi_show(q, h.p, h.n));
        hc[k].p = c0;
        hc[k].n = (size_t)(d0 - c0);
        num[k] = v;
    }
    while (!rc && (got = wi_text_next(&t)) > 0) {
        if (t.nf != nf) {
            rc = t.nf == 1 ? wi_wrong_sep(ctx, w->name, t.line, &t.f[0]) : 0;
            if (!rc)
                rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, t.line, "expected %zu fields, got %zu", nf, t.nf);
            break;
        }
        if (w->rows == 0 && iyear != (size_t)-1) {
            double y;
            if (wi_num(t.f[iyear].p, t.f[iyear].n, &y) == WI_NUM_OK && y >= 1900 && y < 2100)
                w->year = (int)y;
        }
        wi_sp code = {t.f[icode].p, t.f[icode].n}, ctry = {t.f[ictry].p, t.f[ictry].n};
        double rn = 0;
        if (!wi_sp_eq(ctry, "TOT") &&
            (wi_num(t.f[irnr].p, t.f[irnr].n, &rn) != WI_NUM_OK || rn < 1 || rn > 1e6 || rn != (double)(long)rn)) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, t.line, "column 'RNr': '%s' is not an industry number",
                         wi_show(q, t.f[irnr].p, t.f[irnr].n));
            break;
        }
        rnr[w->rows] = (long)rn;
        rc = wi_wiod_row(w, &t, code, ctry, v0);
    }
    if (!rc && got < 0)
        rc = -got;
    if (!rc && w->C == 1)
        w->S = 0;
    if (!rc && w->C == 1)
        for (size_t r = 0; r < w->rows && !w->rtot[r]; r++)
            w->S++;
    long maxr = 0;
    for (size_t s = 0; !rc && s < w->S; s++)
        if (rnr[s] > maxr)
            maxr = rnr[s];
    for (size_t k = 0; k < nv && !rc; k++) {
        size_t c = wi_sp_find(w->ctry, w->C, hc[k]);
        if (c == (size_t)-1) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, 1, "column '%s': country '%.*s' has no rows",
                         w->clabel[k], (int)hc[k].n, hc[k].p);
            break;
        }
        size_t s;
        for (s = 0; s < w->S; s++)
            if (rnr[s] == num[k])
                break;
        if (s < w->S) {
            w->ctype[k] = COL_Z;
            w->cidx[k] = c * w->S + s;
            continue;
        }
        if (num[k] <= maxr) {
            char list[256];
            size_t o = 0;
            for (size_t s2 = 0; s2 < w->S && o < sizeof list - 24; s2++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%ld", s2 ? ", " : "", rnr[s2]);
            rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, 1, "column '%s': number %ld is neither the RNr of an "
                         "industry (%s) nor a final-demand number above %ld", w->clabel[k], num[k], list, maxr);
            break;
        }
        w->ctype[k] = COL_F;
        w->cidx[k] = c;
        num[k] = -num[k];
    }
    if (!rc)
        rc = wi_wiod_fd_codes(w, num, maxr, codes);
    if (!rc)
        rc = wi_wiod_check_columns(w, 1);
    if (!rc)
        rc = wi_wiod_build(w, b);
    wi_free(ctx, num);
    wi_free(ctx, rnr);
    wi_free(ctx, hc);
    wi_free(ctx, codes);
    wi_text_free(&t);
    return rc;
}

/* ------------------------------------------------------------ Excel sheet */
static int wi_cnum(const wi_field *f)
{
    if (f->n < 2 || f->p[0] != 'c')
        return 0;
    for (size_t i = 1; i < f->n; i++)
        if (f->p[i] < '0' || f->p[i] > '9')
            return 0;
    return 1;
}

static int wi_wiod_excel(wi_wiod *w, char *buf, size_t len, wi_build *b)
{
    wiot_ctx *ctx = w->ctx;
    char q[WI_SHOW];
    wi_text t;
    wi_text_init(&t, ctx, w->name, buf, len, ',');
    int got, rc = WIOT_OK;
    /* the header rows: keep the fields of the last four lines */
    wi_field *keep[4] = {NULL, NULL, NULL, NULL};
    size_t kn[4] = {0, 0, 0, 0}, hline = 0;
    while ((got = wi_text_fields(&t)) > 0) {
        if (t.nf == 1 && t.f[0].n && (wi_wrong_sep(ctx, w->name, t.line, &t.f[0]))) {
            rc = WIOT_EFORMAT;
            break;
        }
        wi_free(ctx, keep[0]);
        memmove(keep, keep + 1, 3 * sizeof *keep);
        memmove(kn, kn + 1, 3 * sizeof *kn);
        keep[3] = wi_alloc(ctx, (t.nf ? t.nf : 1) * sizeof(wi_field));
        if (!keep[3]) {
            rc = WIOT_ENOMEM;
            break;
        }
        memcpy(keep[3], t.f, t.nf * sizeof(wi_field));
        kn[3] = t.nf;
        if (t.nf > 5 && wi_cnum(&t.f[4])) {
            hline = t.line;
            break;
        }
        if (t.line >= 12)
            break;
    }
    if (!rc && got < 0)
        rc = -got;
    if (!rc && !hline)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, t.line, "no header row with the column numbers (c1, ...) in "
                     "column E among the first lines: expected the WIOD 2016 sheet saved as CSV");
    if (!rc && (!keep[0] || kn[0] != kn[3] || kn[2] != kn[3]))
        rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, hline, "the header rows (codes three rows above this one, "
                     "countries one row above) must have %zu fields like this one", kn[3]);
    size_t nf = kn[3], L = wi_count_lines(buf, len);
    /* value columns E .. (last - 1); the last is the row total (GO) */
    size_t nv = nf > 5 ? nf - 5 : 0;
    wi_field *codes = keep[0], *ctrys = keep[2];
    if (!rc)
        rc = wi_wiod_cols_alloc(w, nv, L);
    if (!rc)
        rc = wi_wiod_alloc_rows(w, L);
    for (size_t k = 0; k < nv && !rc; k++) {
        char lab[256];
        snprintf(lab, sizeof lab, "%.*s_%.*s", (int)(ctrys[4 + k].n < 100 ? ctrys[4 + k].n : 100), ctrys[4 + k].p,
                 (int)(codes[4 + k].n < 100 ? codes[4 + k].n : 100), codes[4 + k].p);
        rc = wi_set_label(ctx, &w->clabel[k], lab, strlen(lab));
    }
    while (!rc && (got = wi_text_next(&t)) > 0) {
        if (t.nf != nf) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, t.line, "expected %zu fields, got %zu", nf, t.nf);
            break;
        }
        wi_sp code = {t.f[0].p, t.f[0].n}, ctry = {t.f[2].p, t.f[2].n};
        rc = wi_wiod_row(w, &t, code, ctry, 4);
    }
    if (!rc && got < 0)
        rc = -got;
    if (!rc && w->C == 1)
        for (w->S = 0; w->S < w->rows && !w->rtot[w->S]; w->S++)
            ;
    /* columns: (country, industry) of the rows, or (country, category) */
    long *num = rc ? NULL : wi_calloc(ctx, nv ? nv : 1, sizeof(long));
    char *fdcodes = rc ? NULL : wi_alloc(ctx, 16 * 64);
    if (!rc && (!num || !fdcodes))
        rc = WIOT_ENOMEM;
    size_t K = 0;
    wi_sp cats[64];
    for (size_t k = 0; k < nv && !rc; k++) {
        wi_sp c = {ctrys[4 + k].p, ctrys[4 + k].n}, s = {codes[4 + k].p, codes[4 + k].n};
        size_t ci = wi_sp_find(w->ctry, w->C, c);
        if (ci == (size_t)-1) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, hline - 1, "column %zu ('%s'): country '%s' has no rows",
                         k + 5, w->clabel[k], wi_show(q, c.p, c.n));
            break;
        }
        size_t si = wi_sp_find(w->sect, w->S, s);
        if (si != (size_t)-1) {
            w->ctype[k] = COL_Z;
            w->cidx[k] = ci * w->S + si;
            continue;
        }
        size_t f = wi_sp_find(cats, K, s);
        if (f == (size_t)-1) {
            if (K == 64 || s.n == 0 || s.n > 15) {
                rc = wi_fmsg(ctx, WIOT_EFORMAT, w->name, hline - 3, "column %zu: code '%s' is neither an "
                             "industry of the rows nor a final-demand code", k + 5, wi_show(q, s.p, s.n));
                break;
            }
            cats[K] = s;
            f = K++;
        }
        w->ctype[k] = COL_F;
        w->cidx[k] = ci;
        num[k] = -(long)(f + 1);
    }
    if (!rc) {
        for (size_t f = 0; f < K; f++) {
            memcpy(fdcodes + 16 * f, cats[f].p, cats[f].n);
            fdcodes[16 * f + cats[f].n] = '\0';
            w->fd[f].p = fdcodes + 16 * f;
            w->fd[f].n = cats[f].n;
        }
        w->K = K;
        for (size_t k = 0; k < nv; k++)
            if (w->ctype[k] == COL_F)
                w->cidx[k] = w->cidx[k] * K + (size_t)(-num[k] - 1);
        rc = wi_wiod_check_columns(w, hline);
    }
    if (!rc) {
        /* the year: the last 19xx/20xx in the name */
        const char *p = strrchr(w->name, '/');
        for (p = p ? p + 1 : w->name; *p; p++)
            if ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')) {
                int ok = p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' && !(p[4] >= '0' && p[4] <= '9') &&
                         (p == w->name || !(p[-1] >= '0' && p[-1] <= '9'));
                if (ok)
                    w->year = atoi(p) % 10000;
            }
        rc = wi_wiod_build(w, b);
    }
    wi_free(ctx, num);
    wi_free(ctx, fdcodes);
    for (int k = 0; k < 4; k++)
        wi_free(ctx, keep[k]);
    wi_text_free(&t);
    return rc;
}

int wi_read_wiod2016(wiot_ctx *ctx, const char *name, char *buf, size_t len, wi_build *b)
{
    wi_wiod w;
    memset(&w, 0, sizeof w);
    w.ctx = ctx;
    w.name = name;
    const char *s = buf;
    size_t n = len;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3, n -= 3;
    int longwide = (n >= 12 && memcmp(s, "IndustryCode", 12) == 0) ||
                   (n >= 14 && memcmp(s, "\"IndustryCode\"", 14) == 0);
    int rc = longwide ? wi_wiod_longwide(&w, buf, len, b) : wi_wiod_excel(&w, buf, len, b);
    if (!rc)
        snprintf(b->source, sizeof b->source, "WIOD 2016 (%s)",
                 longwide ? "R/Stata long-wide data as CSV" : "CSV saved from the Excel sheet");
    wi_wiod_free(&w);
    return rc;
}
