/* read_exio.c -- EXIOBASE 3 (IOT_YYYY_ixi / IOT_YYYY_pxp; kernel/formats/LAYOUTS.md §5), from
 * the directory or straight from the zip (members may sit in a top-level folder).
 *
 * Files (tab-separated, '.' decimals; each row's labels are checked against Z's):
 *  - Z.txt (or, in older releases, only A.txt: then Z = A diag(x)): line 1 "region",
 *    "", one region code per column; line 2 "sector", "", one sector (product) name per
 *    column; line 3 "region", "sector", empty; then n lines: region, sector, n values.
 *  - Y.txt: the same, line 2 starting "category" (7 categories per region in the
 *    releases: households, NPISH, government, GFCF, inventories, valuables, exports).
 *  - x.txt: a header line ("region", "sector", "indout"), then n lines region, sector,
 *    output.
 *  - unit.txt (optional): "region", "sector", "unit" and one line per row; the unit of
 *    the first row gives the table's units ("M.EUR" -> "millions of EUR"; default
 *    "millions of EUR").
 *  - satellite/F.txt with satellite/unit.txt (optional): the stressor rows whose unit
 *    is the monetary unit of the table (M.EUR: taxes less subsidies, other net taxes on
 *    production, compensation of employees, operating surplus) are kept as the
 *    primary-input rows; F.txt has two header lines (region, sector), then one line per
 *    stressor: name, n values.
 * Sector and category names hold spaces, commas and semicolons, so the codes are made
 * from them (formats.h: wi_code_from_label): "Tanning and dressing of leather;
 * manufacture of luggage, handbags, ..." -> "Tanning_and_dressing_of_leather_manufacture_
 * of_luggage_handbags_...". Region codes are kept (ISO2; the ISO3 codes of some 3.4 files
 * are kept too). The year is the last 19xx/20xx of the name (IOT_2019_ixi -> 2019).
 * Unverified (no real file here): x.txt's header line, the satellite unit file's
 * layout (name, unit per line after a header), and that real Z.txt files carry no
 * negative entries (wiot refuses negative intermediate flows, as for every table). */
#define _GNU_SOURCE
#include "formats/formats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct wi_exio {
    wiot_ctx *ctx;
    wi_src *src;
    const char *name;
    size_t n, C, S;
    char **rreg, **rsec;      /* raw labels of the n rows/columns (copies) */
    size_t *rline;            /* lines in Z.txt */
    char *zname;              /* Z.txt's shown name (copy) */
} wi_exio;

static int wi_fld_eq(const wi_field *f, const char *z)
{
    size_t l = strlen(z);
    return f->n == l && memcmp(f->p, z, l) == 0;
}

static int wi_fld_is(const wi_field *f, const char *z)
{
    return f->n == strlen(z) && memcmp(f->p, z, f->n) == 0;
}

/* Read member `file` (NULL if absent and optional). */
static int wi_exio_read(wi_exio *e, const char *file, int optional, char **buf, size_t *len,
                        const char **shown)
{
    size_t i = wi_src_find(e->src, file, 0);
    *buf = NULL;
    if (i == (size_t)-1) {
        if (optional)
            return WIOT_OK;
        return wi_fmsg(e->ctx, WIOT_EFORMAT, e->name, 0, "no %s (EXIOBASE 3 holds Z.txt or A.txt, Y.txt "
                       "and x.txt)", file);
    }
    return wi_src_read(e->ctx, e->src, i, buf, len, shown);
}

static int wi_tab_check(wiot_ctx *ctx, const char *name, wi_text *t, size_t want)
{
    if (t->nf == want)
        return WIOT_OK;
    if (t->nf == 1 && (memchr(t->f[0].p, ',', t->f[0].n) || memchr(t->f[0].p, ';', t->f[0].n)))
        return wi_fmsg(ctx, WIOT_EFORMAT, name, t->line, "EXIOBASE files are tab-separated, but this line "
                       "has no tab and holds '%c' (wrong separator?)",
                       memchr(t->f[0].p, ',', t->f[0].n) ? ',' : ';');
    return wi_fmsg(ctx, WIOT_EFORMAT, name, t->line, "expected %zu fields, got %zu", want, t->nf);
}

/* A row's region and sector against row i of Z. */
static int wi_exio_row(wi_exio *e, const char *name, wi_text *t, size_t i)
{
    char q[WI_SHOW], q2[WI_SHOW];
    if (i >= e->n)
        return wi_fmsg(e->ctx, WIOT_EFORMAT, name, t->line, "more rows than the %zu of Z.txt", e->n);
    if (!wi_fld_is(&t->f[0], e->rreg[i]) || !wi_fld_is(&t->f[1], e->rsec[i]))
        return wi_fmsg(e->ctx, WIOT_EFORMAT, name, t->line, "row '%s' / '%s' where '%s' / '%s' was "
                       "expected (row %zu of Z.txt, line %zu)", wi_show(q, t->f[0].p, t->f[0].n),
                       wi_show(q2, t->f[1].p, t->f[1].n), e->rreg[i], e->rsec[i], i + 1, e->rline[i]);
    return WIOT_OK;
}

/* Z.txt or A.txt: labels, blocks, values into M (n x n, column-major). */
static int wi_exio_square(wi_exio *e, wi_build *b, int isA)
{
    wiot_ctx *ctx = e->ctx;
    char *buf;
    size_t len;
    const char *shown;
    char q[WI_SHOW], q2[WI_SHOW];
    int rc = wi_exio_read(e, isA ? "A.txt" : "Z.txt", 0, &buf, &len, &shown);
    if (rc)
        return rc;
    e->zname = wi_strdup(ctx, shown);
    if (!e->zname) {
        wi_free(ctx, buf);
        return WIOT_ENOMEM;
    }
    const char *nm = e->zname;
    wi_text t;
    wi_text_init(&t, ctx, nm, buf, len, '\t');
    int got = wi_text_next(&t);
    wi_field *h1 = NULL;
    size_t nf = 0;
    if (got <= 0) {
        rc = got < 0 ? -got : wi_fmsg(ctx, WIOT_EFORMAT, nm, 0, "empty file");
        goto done;
    }
    if (t.nf < 3) {
        rc = wi_tab_check(ctx, nm, &t, 3);
        if (!rc)
            rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "header of %zu fields", t.nf);
        goto done;
    }
    if (!wi_fld_eq(&t.f[0], "region")) {
        rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "expected the header line 'region', '', region codes; "
                     "got '%s'", wi_show(q, t.f[0].p, t.f[0].n));
        goto done;
    }
    nf = t.nf;
    e->n = nf - 2;
    size_t n = e->n;
    h1 = wi_alloc(ctx, nf * sizeof *h1);
    e->rreg = wi_calloc(ctx, n, sizeof(char *));
    e->rsec = wi_calloc(ctx, n, sizeof(char *));
    e->rline = wi_calloc(ctx, n, sizeof(size_t));
    if (!h1 || !e->rreg || !e->rsec || !e->rline) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    memcpy(h1, t.f, nf * sizeof *h1);
    got = wi_text_next(&t);
    if (got <= 0 || (rc = wi_tab_check(ctx, nm, &t, nf))) {
        if (!rc)
            rc = got < 0 ? -got : wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "missing the second header line");
        goto done;
    }
    if (!wi_fld_eq(&t.f[0], "sector")) {
        rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "expected the header line 'sector', '', sector names; got "
                     "'%s'", wi_show(q, t.f[0].p, t.f[0].n));
        goto done;
    }
    for (size_t j = 0; j < n && !rc; j++) {
        if ((rc = wi_build_label(ctx, &e->rreg[j], h1[2 + j].p, h1[2 + j].n)) ||
            (rc = wi_build_label(ctx, &e->rsec[j], t.f[2 + j].p, t.f[2 + j].n)))
            break;
    }
    if (rc)
        goto done;
    /* blocks: regions country-major with the same sectors */
    size_t C = 0, S = 0, start = 0;
    for (size_t j = 0; j < n && !rc; j++) {
        if (j == 0 || strcmp(e->rreg[j], e->rreg[j - 1]) != 0) {
            if (C == 1)
                S = j;
            else if (C > 1 && j - start != S)
                rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, 1, "region '%s' has %zu sectors, but '%s' has %zu",
                             e->rreg[j - 1], j - start, e->rreg[0], S);
            for (size_t c = 0; c < j && !rc; c += S ? S : j)
                if (strcmp(e->rreg[c], e->rreg[j]) == 0)
                    rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, 1, "region '%s' appears in two blocks of columns",
                                 e->rreg[j]);
            C++;
            start = j;
        } else if (C > 1 && (j - start >= S || strcmp(e->rsec[j], e->rsec[j - start]) != 0)) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, 2, "column %zu: sector '%s' where '%s' was expected (every "
                         "region lists the sectors in the same order)", j + 3, e->rsec[j],
                         j - start < S ? e->rsec[j - start] : "(none: too many)");
        }
    }
    if (!rc && C == 1)
        S = n;
    if (!rc && C > 1 && n - start != S)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, 1, "region '%s' has %zu sectors, but '%s' has %zu",
                     e->rreg[n - 1], n - start, e->rreg[0], S);
    if (rc)
        goto done;
    e->C = C;
    e->S = S;
    if ((rc = wi_build_alloc(ctx, b, C, S, 0, 0, 0)))
        goto done;
    for (size_t c = 0; c < C && !rc; c++)
        rc = wi_build_label(ctx, &b->country[c], e->rreg[c * S], strlen(e->rreg[c * S]));
    for (size_t s = 0; s < S && !rc; s++) {
        char code[1024];
        size_t l = strlen(e->rsec[s]);
        if (l >= sizeof code)
            l = sizeof code - 1;
        size_t k = wi_code_from_label(code, e->rsec[s], l);
        if (k == 0)
            rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, 2, "sector name '%s' gives no code", e->rsec[s]);
        else
            rc = wi_build_label(ctx, &b->sector[s], code, k);
        for (size_t s2 = 0; s2 < s && !rc; s2++)
            if (strcmp(b->sector[s2], b->sector[s]) == 0)
                rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, 2, "sectors '%s' and '%s' both give the code '%s'",
                             e->rsec[s2], e->rsec[s], code);
    }
    if (rc)
        goto done;
    /* line 3, then the rows */
    got = wi_text_next(&t);
    if (got > 0 && wi_fld_eq(&t.f[0], "region") && t.nf >= 2 && wi_fld_eq(&t.f[1], "sector"))
        got = wi_text_next(&t);
    char lab[512];
    for (size_t i = 0; i < n && !rc; i++) {
        if (got <= 0) {
            rc = got < 0 ? -got : wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "%zu rows, expected %zu (one per "
                                          "column)", i, n);
            break;
        }
        if ((rc = wi_tab_check(ctx, nm, &t, nf)))
            break;
        if (!wi_fld_is(&t.f[0], e->rreg[i]) || !wi_fld_is(&t.f[1], e->rsec[i])) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "row '%s' / '%s' where the column labels say '%s' / '%s' "
                         "(column %zu)", wi_show(q, t.f[0].p, t.f[0].n), wi_show(q2, t.f[1].p, t.f[1].n),
                         e->rreg[i], e->rsec[i], i + 3);
            break;
        }
        e->rline[i] = t.line;
        for (size_t j = 0; j < n; j++) {
            snprintf(lab, sizeof lab, "%s_%s", b->country[j / S], b->sector[j % S]);
            double v;
            if ((rc = wi_cell(ctx, nm, t.line, lab, &t.f[2 + j], 0, &v)))
                break;
            if (v < 0) {
                rc = wi_fmsg(ctx, WIOT_EDATA, nm, t.line, "column '%s': negative %s %.15g", lab,
                             isA ? "coefficient" : "intermediate flow", v);
                break;
            }
            b->Z[i + j * n] = v;
        }
        got = wi_text_next(&t);
    }
    if (!rc && got > 0)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "more rows than columns (%zu)", n);
done:
    wi_free(ctx, h1);
    wi_text_free(&t);
    wi_free(ctx, buf);
    return rc;
}

static int wi_exio_Y(wi_exio *e, wi_build *b)
{
    wiot_ctx *ctx = e->ctx;
    char *buf;
    size_t len;
    const char *shown;
    char q[WI_SHOW];
    int rc = wi_exio_read(e, "Y.txt", 0, &buf, &len, &shown);
    if (rc)
        return rc;
    char *nm = wi_strdup(ctx, shown);
    if (!nm) {
        wi_free(ctx, buf);
        return WIOT_ENOMEM;
    }
    wi_text t;
    wi_text_init(&t, ctx, nm, buf, len, '\t');
    wi_field *h1 = NULL;
    size_t *col = NULL;
    char **cats = NULL;
    size_t K = 0, m = 0, nf = 0;
    int got = wi_text_next(&t);
    if (got < 0) {
        rc = -got;
        goto done;
    }
    if (got == 0) {
        rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, 0, "empty file");
        goto done;
    }
    if (t.nf < 3 && (rc = wi_tab_check(ctx, nm, &t, 3)))
        goto done;
    if (t.nf < 3 || !wi_fld_eq(&t.f[0], "region")) {
        rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "expected the header line 'region', '', region codes");
        goto done;
    }
    nf = t.nf;
    m = nf - 2;
    h1 = wi_alloc(ctx, nf * sizeof *h1);
    col = wi_alloc(ctx, (m ? m : 1) * sizeof *col);
    cats = wi_calloc(ctx, m ? m : 1, sizeof(char *));
    if (!h1 || !col || !cats) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    memcpy(h1, t.f, nf * sizeof *h1);
    got = wi_text_next(&t);
    if (got <= 0 || (rc = wi_tab_check(ctx, nm, &t, nf)) || !wi_fld_eq(&t.f[0], "category")) {
        if (!rc)
            rc = got < 0 ? -got : wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "expected the header line 'category', "
                                          "'', category names");
        goto done;
    }
    /* categories in the order of the first region; every region has all of them */
    size_t *creg = wi_alloc(ctx, (m ? m : 1) * sizeof *creg);
    if (!creg) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < m && !rc; k++) {
        size_t c;
        for (c = 0; c < e->C; c++)
            if (wi_fld_is(&h1[2 + k], b->country[c]))
                break;
        if (c == e->C) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, 1, "column %zu: region '%s' is not a region of Z.txt", k + 3,
                         wi_show(q, h1[2 + k].p, h1[2 + k].n));
            break;
        }
        size_t f;
        for (f = 0; f < K; f++)
            if (wi_fld_is(&t.f[2 + k], cats[f]))
                break;
        if (f == K && (rc = wi_build_label(ctx, &cats[K++], t.f[2 + k].p, t.f[2 + k].n)))
            break;
        creg[k] = c;
        col[k] = c * m + f;   /* fixed below once K is known */
    }
    if (!rc && K * e->C != m)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, 2, "%zu final-demand columns are not %zu regions x %zu categories",
                     m, e->C, K);
    if (!rc) {
        unsigned char *seen = wi_calloc(ctx, m ? m : 1, 1);
        if (!seen)
            rc = WIOT_ENOMEM;
        for (size_t k = 0; k < m && !rc; k++) {
            col[k] = creg[k] * K + col[k] % m;
            if (seen[col[k]]++)
                rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, 2, "column %zu: region '%s', category '%s' twice", k + 3,
                             b->country[creg[k]], cats[col[k] % K]);
        }
        wi_free(ctx, seen);
    }
    wi_free(ctx, creg);
    if (rc)
        goto done;
    /* codes of the categories; F */
    b->K = K;
    wi_free(ctx, b->fd);
    b->fd = wi_calloc(ctx, K ? K : 1, sizeof(char *));
    size_t n = e->n;
    wi_free(ctx, b->F);
    b->F = wi_calloc(ctx, n * m + 1, sizeof(double));
    if (!b->fd || !b->F) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    for (size_t f = 0; f < K && !rc; f++) {
        char code[1024];
        size_t l = strlen(cats[f]);
        size_t k = wi_code_from_label(code, cats[f], l < sizeof code ? l : sizeof code - 1);
        rc = k ? wi_build_label(ctx, &b->fd[f], code, k)
               : wi_fmsg(ctx, WIOT_EFORMAT, nm, 2, "category '%s' gives no code", cats[f]);
    }
    got = wi_text_next(&t);
    if (got > 0 && wi_fld_eq(&t.f[0], "region") && t.nf >= 2 && wi_fld_eq(&t.f[1], "sector"))
        got = wi_text_next(&t);
    char lab[512];
    for (size_t i = 0; i < n && !rc; i++) {
        if (got <= 0) {
            rc = got < 0 ? -got : wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "%zu rows, expected %zu", i, n);
            break;
        }
        if ((rc = wi_tab_check(ctx, nm, &t, nf)) || (rc = wi_exio_row(e, nm, &t, i)))
            break;
        for (size_t k = 0; k < m; k++) {
            size_t q2 = col[k];
            snprintf(lab, sizeof lab, "%s_%s", b->country[q2 / K], b->fd[q2 % K]);
            if ((rc = wi_cell(ctx, nm, t.line, lab, &t.f[2 + k], 0, &b->F[i + q2 * n])))
                break;
        }
        got = wi_text_next(&t);
    }
done:
    if (cats)
        for (size_t f = 0; f < K; f++)
            wi_free(ctx, cats[f]);
    wi_free(ctx, cats);
    wi_free(ctx, col);
    wi_free(ctx, h1);
    wi_text_free(&t);
    wi_free(ctx, buf);
    wi_free(ctx, nm);
    return rc;
}

static int wi_exio_x(wi_exio *e, wi_build *b, char **xname)
{
    wiot_ctx *ctx = e->ctx;
    char *buf;
    size_t len;
    const char *shown;
    int rc = wi_exio_read(e, "x.txt", 0, &buf, &len, &shown);
    if (rc)
        return rc;
    char *nm = wi_strdup(ctx, shown);
    b->xline = wi_calloc(ctx, e->n ? e->n : 1, sizeof(size_t));
    if (!nm || !b->xline) {
        wi_free(ctx, buf);
        wi_free(ctx, nm);
        return WIOT_ENOMEM;
    }
    wi_text t;
    wi_text_init(&t, ctx, nm, buf, len, '\t');
    int got = wi_text_next(&t);
    if (got > 0 && t.nf >= 1 && wi_fld_eq(&t.f[0], "region"))
        got = wi_text_next(&t);   /* the header line */
    char lab[512];
    for (size_t i = 0; i < e->n && !rc; i++) {
        if (got <= 0) {
            rc = got < 0 ? -got : wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "%zu rows, expected %zu (one per row "
                                          "of Z.txt)", i, e->n);
            break;
        }
        if ((rc = wi_tab_check(ctx, nm, &t, 3)) || (rc = wi_exio_row(e, nm, &t, i)))
            break;
        snprintf(lab, sizeof lab, "%s_%s", b->country[i / e->S], b->sector[i % e->S]);
        if ((rc = wi_cell(ctx, nm, t.line, lab, &t.f[2], 0, &b->x[i])))
            break;
        if (b->x[i] < 0) {
            rc = wi_fmsg(ctx, WIOT_EDATA, nm, t.line, "column '%s': negative output %.15g", lab, b->x[i]);
            break;
        }
        b->xline[i] = t.line;
        got = wi_text_next(&t);
    }
    wi_text_free(&t);
    wi_free(ctx, buf);
    if (rc) {
        wi_free(ctx, nm);
        return rc;
    }
    *xname = nm;
    return WIOT_OK;
}

static const char *wi_exio_units(wi_exio *e)
{
    char *buf;
    size_t len;
    const char *shown, *u = "millions of EUR";
    if (wi_exio_read(e, "unit.txt", 1, &buf, &len, &shown) || !buf)
        return u;
    wi_text t;
    wi_text_init(&t, e->ctx, "unit.txt", buf, len, '\t');
    if (wi_text_next(&t) > 0 && wi_fld_eq(&t.f[0], "region") && wi_text_next(&t) > 0 && t.nf >= 3) {
        const wi_field *f = &t.f[t.nf - 1];
        if (wi_fld_eq(f, "M.EUR"))
            u = "millions of EUR";
        else if (wi_fld_eq(f, "M.USD"))
            u = "millions of USD";
        else if (wi_fld_eq(f, "EUR"))
            u = "EUR";
    }
    wi_text_free(&t);
    wi_free(e->ctx, buf);
    return u;
}

/* satellite/F.txt rows in the monetary unit as primary inputs. */
static int wi_exio_satellite(wi_exio *e, wi_build *b)
{
    wiot_ctx *ctx = e->ctx;
    char *ubuf = NULL, *fbuf = NULL;
    size_t ulen, flen;
    const char *shown;
    int rc = wi_exio_read(e, "satellite/unit.txt", 1, &ubuf, &ulen, &shown);
    if (rc || !ubuf)
        return rc;
    /* monetary stressors */
    char **mon = NULL;
    size_t nmon = 0, cap = 0;
    wi_text t;
    wi_text_init(&t, ctx, shown, ubuf, ulen, '\t');
    int got;
    while (!rc && (got = wi_text_next(&t)) > 0) {
        if (t.nf < 2 || !(wi_fld_eq(&t.f[t.nf - 1], "M.EUR") || wi_fld_eq(&t.f[t.nf - 1], "M.USD")))
            continue;
        if (nmon == cap) {
            size_t nc = cap ? 2 * cap : 16;
            char **nm = wi_calloc(ctx, nc, sizeof *nm);
            if (!nm) {
                rc = WIOT_ENOMEM;
                break;
            }
            if (nmon)
                memcpy(nm, mon, nmon * sizeof *nm);
            wi_free(ctx, mon);
            mon = nm;
            cap = nc;
        }
        mon[nmon] = NULL;
        rc = wi_build_label(ctx, &mon[nmon++], t.f[0].p, t.f[0].n);
    }
    wi_text_free(&t);
    wi_free(ctx, ubuf);
    if (!rc && nmon)
        rc = wi_exio_read(e, "satellite/F.txt", 1, &fbuf, &flen, &shown);
    if (rc || !fbuf || !nmon)
        goto done;
    char *nm = wi_strdup(ctx, shown);
    if (!nm) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    const size_t n = e->n, w = n + b->C * b->K;
    double *Pv = wi_calloc(ctx, nmon * w, sizeof(double));
    char **pl = wi_calloc(ctx, nmon, sizeof(char *));
    size_t P = 0;
    if (!Pv || !pl)
        rc = WIOT_ENOMEM;
    wi_text_init(&t, ctx, nm, fbuf, flen, '\t');
    got = rc ? 0 : wi_text_next(&t);
    if (!rc && got > 0 && (!wi_fld_eq(&t.f[0], "region") || (rc = wi_tab_check(ctx, nm, &t, n + 1))))
        rc = rc ? rc : wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "expected the header line 'region', region codes");
    for (size_t j = 0; j < n && !rc && got > 0; j++)
        if (!wi_fld_is(&t.f[1 + j], e->rreg[j]))
            rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "column %zu: region differs from Z.txt's '%s'", j + 2,
                         e->rreg[j]);
    if (!rc && got > 0) {
        got = wi_text_next(&t);
        if (got > 0 && ((rc = wi_tab_check(ctx, nm, &t, n + 1)) || !wi_fld_eq(&t.f[0], "sector")))
            rc = rc ? rc : wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "expected the header line 'sector', names");
        for (size_t j = 0; j < n && !rc && got > 0; j++)
            if (!wi_fld_is(&t.f[1 + j], e->rsec[j]))
                rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "column %zu: sector differs from Z.txt's '%s'", j + 2,
                             e->rsec[j]);
    }
    char lab[512];
    while (!rc && (got = wi_text_next(&t)) > 0) {
        size_t k;
        for (k = 0; k < nmon; k++)
            if (wi_fld_is(&t.f[0], mon[k]))
                break;
        if (k == nmon || P == nmon)
            continue;
        if ((rc = wi_tab_check(ctx, nm, &t, n + 1)))
            break;
        for (size_t j = 0; j < n && !rc; j++) {
            snprintf(lab, sizeof lab, "%s_%s", b->country[j / e->S], b->sector[j % e->S]);
            rc = wi_cell(ctx, nm, t.line, lab, &t.f[1 + j], 0, &Pv[P * w + j]);
        }
        if (!rc)
            rc = wi_build_label(ctx, &pl[P++], t.f[0].p, t.f[0].n);
    }
    wi_text_free(&t);
    wi_free(ctx, nm);
    if (!rc && P) {
        b->P = P;
        b->plabel = pl;
        b->Pv = Pv;
        pl = NULL;
        Pv = NULL;
    }
    if (pl)
        for (size_t r = 0; r < P; r++)
            wi_free(ctx, pl[r]);
    wi_free(ctx, pl);
    wi_free(ctx, Pv);
done:
    for (size_t k = 0; k < nmon; k++)
        wi_free(ctx, mon[k]);
    wi_free(ctx, mon);
    wi_free(ctx, fbuf);
    return rc;
}

int wi_read_exiobase(wiot_ctx *ctx, wi_src *src, const char *name, wi_build *b)
{
    wi_exio e;
    memset(&e, 0, sizeof e);
    e.ctx = ctx;
    e.src = src;
    e.name = name;
    int isA = wi_src_find(src, "Z.txt", 0) == (size_t)-1;
    char *xname = NULL;
    int rc = wi_exio_square(&e, b, isA);
    if (!rc)
        rc = wi_exio_Y(&e, b);
    if (!rc)
        rc = wi_exio_x(&e, b, &xname);
    if (!rc && isA) {
        const size_t n = e.n;
        for (size_t j = 0; j < n; j++)
            for (size_t i = 0; i < n; i++)
                b->Z[i + j * n] *= b->x[j];
    }
    if (!rc) {
        /* P rows have n + C*K values: the build's P arrays are set by the satellite */
        wi_free(ctx, b->Pv);
        wi_free(ctx, b->plabel);
        b->Pv = NULL;
        b->plabel = NULL;
        b->P = 0;
        rc = wi_exio_satellite(&e, b);
    }
    if (!rc) {
        b->rline = e.rline;
        e.rline = NULL;
        snprintf(b->rfile, sizeof b->rfile, "%s", e.zname);
        snprintf(b->xfile, sizeof b->xfile, "%s", xname);
        b->units = wi_exio_units(&e);
        b->format = WIOT_FORMAT_EXIOBASE;
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        for (const char *p = base; *p; p++)
            if (((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')) && p[2] >= '0' && p[2] <= '9' &&
                p[3] >= '0' && p[3] <= '9' && !(p[4] >= '0' && p[4] <= '9') &&
                (p == base || !(p[-1] >= '0' && p[-1] <= '9')))
                b->year = atoi(p) % 10000;
        snprintf(b->source, sizeof b->source, "EXIOBASE 3 (%s%s)",
                 strstr(base, "pxp") ? "product by product" : strstr(base, "ixi") ? "industry by industry" : "",
                 isA ? ", Z = A diag(x)" : "");
    }
    if (e.rreg)
        for (size_t i = 0; i < e.n; i++)
            wi_free(ctx, e.rreg[i]);
    if (e.rsec)
        for (size_t i = 0; i < e.n; i++)
            wi_free(ctx, e.rsec[i]);
    wi_free(ctx, e.rreg);
    wi_free(ctx, e.rsec);
    wi_free(ctx, e.rline);
    wi_free(ctx, e.zname);
    wi_free(ctx, xname);
    return rc;
}
