/* read_icio.c -- the OECD Inter-Country Input-Output tables (ICIO), CSV releases 2016,
 * 2018, 2021, 2023 (small and extended) and 2025 (kernel/formats/LAYOUTS.md §3).
 *
 * One reader for every release, driven by the labels (never by sizes or built-in code
 * lists):
 *  - line 1: an empty first cell ("" when quoted, 2016), then the column labels;
 *  - rows: country-industries "CCC_IND" (split at the first '_': industry codes may
 *    hold '_', e.g. 2023's "A01_02"), in country blocks with the same industries;
 *    their labels must equal the first header labels, in the same order;
 *  - then primary-input rows, kept as they are: "CCC_TAXSUB" (2018, 2021), "TAXSUB",
 *    "TLS" (2023+), "VALU" (2018, 2021), "VA" (2023+), "VA+TAXSUB" (2016);
 *  - last row: output, "OUTPUT" (2018, 2021) or "OUT" (2016, 2023+): x;
 *  - columns after the country-industries: final demand, country-major "CCC_CAT"
 *    (2018+) or category-major "CAT_CCC" (2016), the categories read from the labels
 *    (HFCE, NPISH/NPS, GGFC, GFCF, INVNT/INV, P33/DPABR/DIRP: "as each release defines
 *    it"); "DISC" (2016: statistical discrepancy, kept as an other use, x = sum Z +
 *    sum F + DISC); a last "TOTAL" (2018, 2021) or "OUT" (2023+) column (row totals,
 *    not used: x is the output row, so v = x - sum Z is the sum of the primary rows).
 *  - Split countries (CN1.., MX1..: no final-demand columns of their own) are added
 *    into CHN and MEX (rows and columns) unless WIOT_OPT_KEEP_SPLITS; a split whose
 *    parent is absent is an error.
 * Empty cells read 0 in the primary-input and output rows (2016 leaves the final-demand
 * part empty there); anywhere else they are errors. Cells are numbers in the C locale,
 * quoted or not. Units: millions of USD. The year is the last 19xx/20xx in the file
 * name ("ICIO2021_2015.csv" -> 2015, "2020_SML.csv" -> 2020).
 * Unverified against real files (no download possible here): the 2025 layout beyond
 * its documented sizes, and whether real files quote cells other than labels. */
#define _GNU_SOURCE
#include "formats/formats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct wi_span2 {
    const char *p;
    size_t n;
} wi_span2;

static int wi_eqs(wi_span2 s, const char *z)
{
    size_t l = strlen(z);
    return s.n == l && memcmp(s.p, z, l) == 0;
}

static int wi_ends(wi_span2 s, const char *z)
{
    size_t l = strlen(z);
    return s.n >= l && memcmp(s.p + s.n - l, z, l) == 0;
}

enum { ROW_PROD = 0, ROW_PRIM = 1, ROW_OUT = 2 };

static int wi_row_kind(wi_span2 s)
{
    if (wi_eqs(s, "OUT") || wi_eqs(s, "OUTPUT"))
        return ROW_OUT;
    if (wi_ends(s, "_TAXSUB") || wi_eqs(s, "TAXSUB") || wi_eqs(s, "TLS") || wi_eqs(s, "VA") ||
        wi_eqs(s, "VALU") || wi_eqs(s, "VA+TAXSUB"))
        return ROW_PRIM;
    return ROW_PROD;
}

int wi_looks_icio(const char *s, size_t n)
{
    const char *e = s + n, *nl = memchr(s, '\n', n);
    if (nl)
        e = nl;
    const char *p = s;
    if (p < e && (*p == ',' || *p == ';' || *p == '\t'))   /* other separators: for the message */
        p++;
    else if (e - p >= 3 && memcmp(p, "\"\"", 2) == 0 && (p[2] == ',' || p[2] == ';'))
        p += 3;
    else
        return 0;
    if (p < e && *p == '"')
        p++;
    const char *c = p;
    while (c < e && *c != ',' && *c != ';' && *c != '\t' && *c != '"' && *c != '_')
        c++;
    return c < e && *c == '_' && c > p;
}


typedef struct wi_icio {
    wiot_ctx *ctx;
    const char *name;
    wi_span2 *hs;             /* header labels, nf */
    size_t nf;
    wi_span2 *rl;             /* row labels */
    size_t *rline, *rkind;
    double *vals;             /* rows x (nf - 1) */
    size_t rows;
} wi_icio;

static void wi_icio_free(wi_icio *r)
{
    wi_free(r->ctx, r->hs);
    wi_free(r->ctx, r->rl);
    wi_free(r->ctx, r->rline);
    wi_free(r->ctx, r->rkind);
    wi_free(r->ctx, r->vals);
}

/* Read every line: labels, kinds and values. */
static int wi_icio_lines(wi_icio *r, char *buf, size_t len)
{
    wiot_ctx *ctx = r->ctx;
    wi_text t;
    wi_text_init(&t, ctx, r->name, buf, len, ',');
    char q[WI_SHOW];
    int got = wi_text_next(&t), rc = WIOT_OK;
    if (got <= 0) {
        wi_text_free(&t);
        return got < 0 ? -got : wi_fmsg(ctx, WIOT_EFORMAT, r->name, 0, "empty file");
    }
    if (t.nf < 3) {
        const char *b = t.f[0].p;
        size_t l = t.f[0].n;
        char sep = memchr(b, ';', l) ? ';' : memchr(b, '\t', l) ? '\t' : 0;
        rc = sep ? wi_fmsg(ctx, WIOT_EFORMAT, r->name, t.line,
                           "the OECD ICIO layout is comma-separated, but this line has no ',' and "
                           "holds '%s' (wrong separator?)", sep == ';' ? ";" : "\\t")
                 : wi_fmsg(ctx, WIOT_EFORMAT, r->name, t.line,
                           "header of %zu field%s: expected an empty cell, then the column labels",
                           t.nf, t.nf == 1 ? "" : "s");
        wi_text_free(&t);
        return rc;
    }
    if (t.f[0].n != 0) {
        rc = wi_fmsg(ctx, WIOT_EFORMAT, r->name, t.line,
                     "the first header cell must be empty (OECD ICIO), got '%s'",
                     wi_show(q, t.f[0].p, t.f[0].n));
        wi_text_free(&t);
        return rc;
    }
    r->nf = t.nf;
    r->hs = wi_alloc(ctx, t.nf * sizeof *r->hs);
    /* an upper bound of the rows: the remaining line ends */
    size_t L = 1;
    for (const char *p = buf + t.pos; (p = memchr(p, '\n', (size_t)(buf + len - p))) != NULL; p++)
        L++;
    size_t w = t.nf - 1, cells;
    if (wi_mul(ctx, L, w, &cells)) {
        wi_text_free(&t);
        return WIOT_ETOOLARGE;
    }
    r->rl = wi_alloc(ctx, L * sizeof *r->rl);
    r->rline = wi_alloc(ctx, L * sizeof *r->rline);
    r->rkind = wi_alloc(ctx, L * sizeof *r->rkind);
    r->vals = wi_dalloc(ctx, cells ? cells : 1);
    if (!r->hs || !r->rl || !r->rline || !r->rkind || !r->vals) {
        wi_text_free(&t);
        return WIOT_ENOMEM;
    }
    for (size_t k = 0; k < t.nf; k++) {
        r->hs[k].p = t.f[k].p;
        r->hs[k].n = t.f[k].n;
    }
    int stage = ROW_PROD;
    size_t outline = 0;
    char lab[256];
    while ((got = wi_text_next(&t)) > 0) {
        wi_span2 l0 = {t.f[0].p, t.f[0].n};
        if (outline) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, r->name, t.line,
                         "row '%s' after the output row (line %zu), which must be the last",
                         wi_show(q, l0.p, l0.n), outline);
            break;
        }
        if (t.nf != r->nf) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, r->name, t.line, "expected %zu fields, got %zu", r->nf, t.nf);
            break;
        }
        int kind = wi_row_kind(l0);
        if (kind == ROW_PROD && stage != ROW_PROD) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, r->name, t.line,
                         memchr(l0.p, '_', l0.n)
                             ? "row '%s' after the tax and value-added rows (country-industries come first)"
                             : "row '%s' is not a known row label (a country-industry 'CCC_IND', "
                               "'CCC_TAXSUB', 'TAXSUB', 'TLS', 'VALU', 'VA', 'VA+TAXSUB', 'OUTPUT' or 'OUT')",
                         wi_show(q, l0.p, l0.n));
            break;
        }
        if (kind == ROW_PROD && !memchr(l0.p, '_', l0.n)) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, r->name, t.line,
                         "row '%s' is not a known row label (a country-industry 'CCC_IND', "
                         "'CCC_TAXSUB', 'TAXSUB', 'TLS', 'VALU', 'VA', 'VA+TAXSUB', 'OUTPUT' or 'OUT')",
                         wi_show(q, l0.p, l0.n));
            break;
        }
        stage = kind;
        if (kind == ROW_OUT)
            outline = t.line;
        size_t row = r->rows++;
        r->rl[row] = l0;
        r->rline[row] = t.line;
        r->rkind[row] = (size_t)kind;
        double *v = r->vals + row * w;
        for (size_t k = 1; k < t.nf && !rc; k++) {
            const wi_span2 *h = &r->hs[k];
            snprintf(lab, sizeof lab, "%.*s", (int)(h->n < 200 ? h->n : 200), h->p);
            rc = wi_cell(ctx, r->name, t.line, lab, &t.f[k], kind != ROW_PROD, &v[k - 1]);
        }
        if (rc)
            break;
    }
    if (!rc && got < 0)
        rc = -got;
    if (!rc && !outline) {
        if (r->rows == 0)
            rc = wi_fmsg(ctx, WIOT_EFORMAT, r->name, t.line, "no rows after the header");
        else
            rc = wi_fmsg(ctx, WIOT_EFORMAT, r->name, r->rline[r->rows - 1],
                         "no output row: the last row is '%s'; the OECD ICIO tables end with 'OUTPUT' "
                         "(2018, 2021) or 'OUT' (2016, 2023+)",
                         wi_show(q, r->rl[r->rows - 1].p, r->rl[r->rows - 1].n));
    }
    wi_text_free(&t);
    return rc;
}

static size_t wi_find_span(const wi_span2 *v, size_t count, const char *p, size_t n)
{
    for (size_t i = 0; i < count; i++)
        if (v[i].n == n && memcmp(v[i].p, p, n) == 0)
            return i;
    return (size_t)-1;
}

int wi_read_icio(wiot_ctx *ctx, const char *name, char *buf, size_t len, wi_build *b)
{
    wi_icio r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.name = name;
    char q[WI_SHOW], q2[WI_SHOW];
    int rc = wi_icio_lines(&r, buf, len);
    if (rc) {
        wi_icio_free(&r);
        return rc;
    }
    const size_t w = r.nf - 1;
    size_t n = 0;
    while (n < r.rows && r.rkind[n] == ROW_PROD)
        n++;
    if (n == 0) {
        rc = wi_fmsg(ctx, WIOT_EFORMAT, name, r.rline[0], "no country-industry rows before '%s'",
                     wi_show(q, r.rl[0].p, r.rl[0].n));
        goto done;
    }
    if (n > w) {
        rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 1, "the header has %zu columns, fewer than the %zu "
                     "country-industry rows", w, n);
        goto done;
    }
    /* header labels 1..n are the row labels */
    for (size_t i = 0; i < n; i++) {
        const wi_span2 *h = &r.hs[1 + i];
        if (h->n != r.rl[i].n || memcmp(h->p, r.rl[i].p, h->n) != 0) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 1,
                         "column '%s': expected '%s', the label of row %zu (line %zu)",
                         wi_show(q, h->p, h->n), wi_show(q2, r.rl[i].p, r.rl[i].n), i + 1, r.rline[i]);
            goto done;
        }
    }
    /* countries and industries: split at the first '_', country blocks */
    wi_span2 *ctry = wi_alloc(ctx, n * sizeof *ctry), *ind = wi_alloc(ctx, n * sizeof *ind);
    if (!ctry || !ind) {
        wi_free(ctx, ctry);
        wi_free(ctx, ind);
        rc = WIOT_ENOMEM;
        goto done;
    }
    size_t C = 0, S = 0, start = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *u = memchr(r.rl[i].p, '_', r.rl[i].n);
        wi_span2 c = {r.rl[i].p, (size_t)(u - r.rl[i].p)}, s = {u + 1, r.rl[i].n - c.n - 1};
        if (c.n == 0 || s.n == 0) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, name, r.rline[i], "row '%s': expected 'COUNTRY_INDUSTRY'",
                         wi_show(q, r.rl[i].p, r.rl[i].n));
            break;
        }
        if (i == 0 || c.n != ctry[C - 1].n || memcmp(c.p, ctry[C - 1].p, c.n) != 0) {
            if (C == 1)
                S = i;
            else if (C > 1 && i - start != S) {
                rc = wi_fmsg(ctx, WIOT_EFORMAT, name, r.rline[i - 1],
                             "country '%s' has %zu industries, but '%s' has %zu",
                             wi_show(q, ctry[C - 1].p, ctry[C - 1].n), i - start,
                             wi_show(q2, ctry[0].p, ctry[0].n), S);
                break;
            }
            if (wi_find_span(ctry, C, c.p, c.n) != (size_t)-1) {
                rc = wi_fmsg(ctx, WIOT_EFORMAT, name, r.rline[i],
                             "country '%s' appears in two blocks of rows", wi_show(q, c.p, c.n));
                break;
            }
            ctry[C++] = c;
            start = i;
        }
        if (C == 1) {
            if (wi_find_span(ind, i, s.p, s.n) != (size_t)-1) {
                rc = wi_fmsg(ctx, WIOT_EFORMAT, name, r.rline[i], "duplicate industry '%s'",
                             wi_show(q, s.p, s.n));
                break;
            }
            ind[i] = s;
        } else {
            size_t k = i - start;
            if (k >= S || ind[k].n != s.n || memcmp(ind[k].p, s.p, s.n) != 0) {
                rc = wi_fmsg(ctx, WIOT_EFORMAT, name, r.rline[i],
                             k >= S ? "country '%s' has more industries than '%s' (%zu)"
                                    : "industry '%s' where '%s' was expected (every country lists the "
                                      "industries in the same order)",
                             k >= S ? wi_show(q, c.p, c.n) : wi_show(q, s.p, s.n),
                             k >= S ? wi_show(q2, ctry[0].p, ctry[0].n) : wi_show(q2, ind[k].p, ind[k].n), S);
                break;
            }
        }
    }
    if (!rc && C == 1)
        S = n;
    if (!rc && C > 1 && n - start != S)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, name, r.rline[n - 1], "country '%s' has %zu industries, but '%s' "
                     "has %zu", wi_show(q, ctry[C - 1].p, ctry[C - 1].n), n - start,
                     wi_show(q2, ctry[0].p, ctry[0].n), S);
    if (rc) {
        wi_free(ctx, ctry);
        wi_free(ctx, ind);
        goto done;
    }

    /* the other columns: final demand, DISC, total */
    size_t m = w - n;   /* columns after Z */
    size_t *fd_reg = wi_alloc(ctx, (m ? m : 1) * sizeof(size_t)), *fd_cat = wi_alloc(ctx, (m ? m : 1) * sizeof(size_t));
    wi_span2 *cats = wi_alloc(ctx, (m ? m : 1) * sizeof *cats);
    size_t K = 0, disc = (size_t)-1;
    int style = 0;   /* 1 country-major, 2 category-major */
    if (!fd_reg || !fd_cat || !cats)
        rc = WIOT_ENOMEM;
    for (size_t k = 0; k < m && !rc; k++) {
        const wi_span2 *h = &r.hs[1 + n + k];
        fd_reg[k] = (size_t)-1;
        if (wi_eqs(*h, "DISC") && disc == (size_t)-1) {
            disc = k;
            continue;
        }
        if (k == m - 1 && (wi_eqs(*h, "TOTAL") || wi_eqs(*h, "OUT")))
            continue;   /* row totals: x comes from the output row */
        const char *u = memchr(h->p, '_', h->n);
        size_t reg = (size_t)-1;
        wi_span2 cat = {NULL, 0};
        int st = 0;
        if (u) {
            wi_span2 left = {h->p, (size_t)(u - h->p)}, right = {u + 1, h->n - (size_t)(u - h->p) - 1};
            size_t a = wi_find_span(ctry, C, left.p, left.n);
            const char *u2 = memrchr(h->p, '_', h->n);
            wi_span2 tail = {u2 + 1, h->n - (size_t)(u2 - h->p) - 1}, headc = {h->p, (size_t)(u2 - h->p)};
            size_t bb = wi_find_span(ctry, C, tail.p, tail.n);
            if (a != (size_t)-1 && right.n) {
                reg = a;
                cat = right;
                st = 1;
            } else if (bb != (size_t)-1 && headc.n) {
                reg = bb;
                cat = headc;
                st = 2;
            }
        }
        if (reg == (size_t)-1) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 1,
                         "column '%s': not a final-demand column of a country of the rows ('CCC_CAT', "
                         "or 'CAT_CCC' in 2016), 'DISC' or the last column 'TOTAL'/'OUT'",
                         wi_show(q, h->p, h->n));
            break;
        }
        if (style && st != style) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 1, "column '%s': final-demand labels mix "
                         "'COUNTRY_CATEGORY' and 'CATEGORY_COUNTRY'", wi_show(q, h->p, h->n));
            break;
        }
        style = st;
        size_t kc = wi_find_span(cats, K, cat.p, cat.n);
        if (kc == (size_t)-1) {
            cats[K] = cat;
            kc = K++;
        }
        for (size_t k2 = 0; k2 < k; k2++)
            if (fd_reg[k2] == reg && fd_cat[k2] == kc) {
                rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 1, "column '%s': duplicate final-demand column",
                             wi_show(q, h->p, h->n));
                break;
            }
        fd_reg[k] = reg;
        fd_cat[k] = kc;
    }
    /* every country with final demand has every category; the others are splits */
    unsigned char *have = rc ? NULL : wi_calloc(ctx, C * (K ? K : 1) + 1, 1);
    if (!rc && !have)
        rc = WIOT_ENOMEM;
    for (size_t k = 0; k < m && !rc; k++)
        if (fd_reg[k] != (size_t)-1)
            have[fd_reg[k] * K + fd_cat[k]] = 1;
    for (size_t c = 0; c < C && !rc; c++) {
        size_t cnt = 0;
        for (size_t k = 0; k < K; k++)
            cnt += have[c * K + k];
        char code[64];
        snprintf(code, sizeof code, "%.*s", (int)(ctry[c].n < 60 ? ctry[c].n : 60), ctry[c].p);
        int split = (strncmp(code, "CN", 2) == 0 || strncmp(code, "MX", 2) == 0) && code[2] >= '0' &&
                    code[2] <= '9';
        if (cnt == 0 && !split && K > 0) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 1, "country '%s' has no final-demand columns (only the "
                         "split countries CN1.., MX1.. may lack them)", code);
        } else if (cnt && cnt < K) {
            for (size_t k = 0; k < K; k++)
                if (!have[c * K + k]) {
                    rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 1, "country '%s' lacks the final-demand column "
                                 "'%s' (%s_%.*s): every country lists the same categories", code,
                                 wi_show(q, cats[k].p, cats[k].n), code, (int)cats[k].n, cats[k].p);
                    break;
                }
        }
    }
    /* primary rows */
    size_t P = 0, outrow = r.rows - 1;
    for (size_t i = n; i < r.rows; i++)
        P += r.rkind[i] == ROW_PRIM;
    if (!rc)
        rc = wi_build_alloc(ctx, b, C, S, K, P, disc != (size_t)-1);
    for (size_t c = 0; c < C && !rc; c++)
        rc = wi_build_label(ctx, &b->country[c], ctry[c].p, ctry[c].n);
    for (size_t s = 0; s < S && !rc; s++)
        rc = wi_build_label(ctx, &b->sector[s], ind[s].p, ind[s].n);
    for (size_t k = 0; k < K && !rc; k++)
        rc = wi_build_label(ctx, &b->fd[k], cats[k].p, cats[k].n);
    if (!rc && disc != (size_t)-1)
        rc = wi_build_label(ctx, &b->qlabel[0], "DISC", 4);
    for (size_t i = n, p = 0; i < r.rows && !rc; i++)
        if (r.rkind[i] == ROW_PRIM)
            rc = wi_build_label(ctx, &b->plabel[p++], r.rl[i].p, r.rl[i].n);
    if (!rc) {
        const size_t CK = C * K, pw = n + CK;
        char lab[256];
        for (size_t i = 0; i < n && !rc; i++) {
            const double *v = r.vals + i * w;
            for (size_t j = 0; j < n; j++) {
                if (v[j] < 0) {
                    snprintf(lab, sizeof lab, "%.*s", (int)(r.hs[1 + j].n < 200 ? r.hs[1 + j].n : 200),
                             r.hs[1 + j].p);
                    rc = wi_fmsg(ctx, WIOT_EDATA, name, r.rline[i], "column '%s': negative "
                                 "intermediate flow %.15g", lab, v[j]);
                    break;
                }
                b->Z[i + j * n] = v[j];
            }
            for (size_t k = 0; k < m; k++) {
                if (fd_reg[k] != (size_t)-1)
                    b->F[i + (fd_reg[k] * K + fd_cat[k]) * n] = v[n + k];
                else if (k == disc)
                    b->Qv[i] = v[n + k];
            }
        }
        const double *ov = r.vals + outrow * w;
        for (size_t j = 0; j < n && !rc; j++) {
            if (ov[j] < 0) {
                snprintf(lab, sizeof lab, "%.*s", (int)(r.hs[1 + j].n < 200 ? r.hs[1 + j].n : 200),
                         r.hs[1 + j].p);
                rc = wi_fmsg(ctx, WIOT_EDATA, name, r.rline[outrow], "column '%s': negative output %.15g",
                             lab, ov[j]);
                break;
            }
            b->x[j] = ov[j];
        }
        for (size_t i = n, p = 0; i < r.rows && !rc; i++) {
            if (r.rkind[i] != ROW_PRIM)
                continue;
            const double *v = r.vals + i * w;
            double *o = b->Pv + p * pw;
            for (size_t j = 0; j < n; j++)
                o[j] = v[j];
            for (size_t k = 0; k < m; k++)
                if (fd_reg[k] != (size_t)-1)
                    o[n + fd_reg[k] * K + fd_cat[k]] = v[n + k];
            p++;
        }
    }
    if (!rc) {
        b->rline = wi_alloc(ctx, n * sizeof(size_t));
        b->xline = wi_alloc(ctx, n * sizeof(size_t));
        if (!b->rline || !b->xline)
            rc = WIOT_ENOMEM;
    }
    if (!rc) {
        for (size_t i = 0; i < n; i++) {
            b->rline[i] = r.rline[i];
            b->xline[i] = r.rline[outrow];
        }
        snprintf(b->rfile, sizeof b->rfile, "%s", name);
        snprintf(b->xfile, sizeof b->xfile, "%s", name);
        b->units = "millions of USD";
        b->format = WIOT_FORMAT_ICIO;
        b->year = wi_year_in(name, 1);
        int tls = 0, taxsub = 0, p33 = 0;
        for (size_t i = n; i < r.rows; i++) {
            tls |= wi_eqs(r.rl[i], "TLS");
            taxsub |= wi_ends(r.rl[i], "TAXSUB");
        }
        for (size_t k = 0; k < K; k++)
            p33 |= wi_eqs(cats[k], "P33");
        const char *rel = style == 2 || disc != (size_t)-1 ? "2016" : tls ? (S == 45 ? "2023" : S == 50 ? "2025"
                                                                                                   : "2023/2025")
                          : taxsub ? (p33 ? "2018" : "2021") : "unknown";
        snprintf(b->source, sizeof b->source, "OECD ICIO (%s layout)", rel);
        rc = wi_build_merge_splits(ctx, b, name, 1);
    }
    wi_free(ctx, have);
    wi_free(ctx, fd_reg);
    wi_free(ctx, fd_cat);
    wi_free(ctx, cats);
    wi_free(ctx, ctry);
    wi_free(ctx, ind);
done:
    wi_icio_free(&r);
    return rc;
}
