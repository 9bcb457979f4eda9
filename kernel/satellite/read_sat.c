/* read_sat.c -- EXIOBASE 3 extension blocks (satellite/ and impacts/) as extensions
 * (../shared/FORMATS.md §3, README.md "Satellite accounts"), read through the same
 * byte sources as the table readers (a directory, a zip, "ARCHIVE.zip:MEMBER").
 * Files of a block (tab-separated, '.' decimals):
 *  - F.txt: line 1 "region" and one region code per country-sector (an empty second
 *    field, as in Z.txt, is accepted); line 2 "sector" and the sector (product) names;
 *    optionally a line "stressor" (or "impact") with empty fields, as pandas writes
 *    it; then one line per stressor: name, n values. Columns in the table's order.
 *  - F_Y.txt (older releases and pymrio's mock: F_hh.txt; optional): the same with
 *    line 2 "category" and C*K final-demand columns; its stressors are F.txt's.
 *  - unit.txt: a header line ("stressor" or "impact", "unit"), then name, unit.
 * Region codes must equal the table's; names are compared through the code the table
 * reader makes of them (formats.h: wi_code_from_label).
 *
 * Eora26 satellites (a directory or zip holding labels_Q.txt), as pymrio reads them:
 *  - labels_Q.txt: one line per stressor: "name (unit)", then its source (e.g.
 *    "I-GHG-CO2 emissions (Gg)", "PRIMAPHIST"); the name becomes "name | source";
 *  - Eora26_YYYY_bp_Q.txt (basic prices preferred; any *_Q.txt): one line per
 *    stressor, n values, or n + 1 when the table's ROW discrepancy column is included
 *    (it is last in Eora26 and dropped, as the table reader drops it);
 *  - *_QY.txt (optional): the same over the C*K final-demand columns (+ ROW).
 * Unverified (no real file here): that ROW is the last column of Q and QY. */
#define _GNU_SOURCE
#include "satellite/satellite.h"
#include "formats/formats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct wi_units {
    wi_field *name, *unit;    /* into the text of unit.txt */
    size_t m;
} wi_units;

static int wi_eq(const wi_field *f, const char *z)
{
    size_t n = strlen(z);
    return f->n == n && !memcmp(f->p, z, n);
}

/* Parse unit.txt into U (fields point into buf). */
static int wi_read_units(wiot_ctx *ctx, const char *shown, char *buf, size_t len, wi_units *U)
{
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    U->name = wi_calloc(ctx, lines, sizeof *U->name);
    U->unit = wi_calloc(ctx, lines, sizeof *U->unit);
    if (!U->name || !U->unit)
        return WIOT_ENOMEM;
    wi_text t;
    wi_text_init(&t, ctx, shown, buf, len, '\t');
    int got = wi_text_next(&t), rc = WIOT_OK;
    if (got < 0)
        rc = -got;
    else if (!got || t.nf != 2 || !wi_eq(&t.f[1], "unit"))
        rc = wi_fmsg(ctx, WIOT_EFORMAT, shown, got ? t.line : 0,
                     "expected the header line 'stressor<TAB>unit' (or 'impact<TAB>unit')");
    while (!rc && (got = wi_text_next(&t)) != 0) {
        if (got < 0) {
            rc = -got;
            break;
        }
        if (t.nf != 2 || !t.f[0].n) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, shown, t.line, "expected 2 fields: name, unit (got %zu)",
                         t.nf);
            break;
        }
        U->name[U->m] = t.f[0];
        U->unit[U->m++] = t.f[1];
    }
    wi_text_free(&t);
    return rc;
}

/* The header lines of F.txt (fd == 0) or F_Y.txt (fd == 1): checks the labels against
 * the table; *off gets the column of the first value. */
static int wi_block_header(wiot_ctx *ctx, const wiot_table *t, const char *shown, wi_text *tx,
                           int fd, size_t *off)
{
    const size_t inner = fd ? t->K : t->S, m = t->C * inner;
    char **codes = fd ? t->fdcat : t->sector;
    const char *what = fd ? "category" : "sector";
    char q[WI_SHOW];
    int got = wi_text_next(tx);
    if (got < 0)
        return -got;
    if (!got || !wi_eq(&tx->f[0], "region"))
        return wi_fmsg(ctx, WIOT_EFORMAT, shown, got ? tx->line : 0,
                       "expected the header line 'region', region codes");
    size_t o = tx->nf == m + 2 && tx->f[1].n == 0 ? 2 : 1;
    if (tx->nf != m + o)
        return wi_fmsg(ctx, WIOT_EFORMAT, shown, tx->line, "%zu columns, the table has %zu %s",
                       tx->nf - o, m, fd ? "final-demand columns" : "country-sectors");
    for (size_t j = 0; j < m; j++)
        if (!wi_eq(&tx->f[o + j], t->country[j / inner]))
            return wi_fmsg(ctx, WIOT_EFORMAT, shown, tx->line, "column %zu: region '%s' differs "
                           "from the table's '%s'", o + j + 1, wi_show(q, tx->f[o + j].p, tx->f[o + j].n),
                           t->country[j / inner]);
    got = wi_text_next(tx);
    if (got < 0)
        return -got;
    if (!got || !wi_eq(&tx->f[0], what) || tx->nf != m + o)
        return wi_fmsg(ctx, WIOT_EFORMAT, shown, got ? tx->line : 0,
                       "expected the header line '%s' and %zu names", what, m);
    char code[1024];
    for (size_t j = 0; j < m; j++) {
        const wi_field *f = &tx->f[o + j];
        size_t cl = f->n < sizeof code ? wi_code_from_label(code, f->p, f->n) : 0;
        const char *want = codes[j % inner];
        if (cl != strlen(want) || memcmp(code, want, cl))
            return wi_fmsg(ctx, WIOT_EFORMAT, shown, tx->line, "column %zu: %s '%s' differs from "
                           "the table's '%s'", o + j + 1, what, wi_show(q, f->p, f->n), want);
    }
    *off = o;
    return WIOT_OK;
}

/* Is this line pandas' index-name line ("stressor" then empty fields)? */
static int wi_index_line(const wi_text *tx)
{
    if (!(wi_eq(&tx->f[0], "stressor") || wi_eq(&tx->f[0], "impact")))
        return 0;
    for (size_t i = 1; i < tx->nf; i++)
        if (tx->f[i].n)
            return 0;
    return 1;
}

static int wi_cell_at(wiot_ctx *ctx, const wiot_table *t, const char *shown, size_t line, int fd,
                      size_t j, const wi_field *f, double *out)
{
    if (wi_num(f->p, f->n, out) == WI_NUM_OK)
        return WIOT_OK;
    const size_t inner = fd ? t->K : t->S;
    char lab[300];
    snprintf(lab, sizeof lab, "%s_%s", t->country[j / inner], fd ? t->fdcat[j % inner] : t->sector[j % inner]);
    return wi_cell(ctx, shown, line, lab, f, 0, out);
}

/* F.txt into a new extension (stressors in file order, units from U). */
static int wi_block_F(wiot_ctx *ctx, const wiot_table *t, const char *shown, char *buf, size_t len,
                      const wi_units *U, wiot_extension **out)
{
    const size_t n = t->n;
    char q[WI_SHOW];
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    wi_text tx;
    wi_text_init(&tx, ctx, shown, buf, len, '\t');
    size_t off = 1, p = 0, *uk = NULL, *ln = NULL;
    double *rows = NULL;
    int rc = wi_block_header(ctx, t, shown, &tx, 0, &off);
    size_t bytes;
    if (!rc && !(rc = wi_mul(ctx, lines, n ? n : 1, &bytes)) && !(rc = wi_mul(ctx, bytes, 8, &bytes)) &&
        !(rc = wi_budget(ctx, bytes, "the extension", "%s: %zu lines x %zu columns", shown, lines, n))) {
        rows = wi_dalloc(ctx, bytes / 8);
        uk = wi_calloc(ctx, lines, sizeof *uk);
        ln = wi_calloc(ctx, lines, sizeof *ln);
        if (!rows || !uk || !ln)
            rc = WIOT_ENOMEM;
    }
    int got, first = 1;
    while (!rc && (got = wi_text_next(&tx)) != 0) {
        if (got < 0) {
            rc = -got;
            break;
        }
        if (first && wi_index_line(&tx)) {
            first = 0;
            continue;
        }
        first = 0;
        if (tx.nf != n + 1) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, shown, tx.line, "%zu fields, expected %zu (name and one "
                         "value per country-sector)", tx.nf, n + 1);
            break;
        }
        const wi_field *nm = &tx.f[0];
        size_t u;
        for (u = 0; u < U->m; u++)
            if (U->name[u].n == nm->n && !memcmp(U->name[u].p, nm->p, nm->n))
                break;
        if (u == U->m) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, shown, tx.line, "stressor '%s' has no line in unit.txt",
                         wi_show(q, nm->p, nm->n));
            break;
        }
        for (size_t k = 0; k < p; k++)
            if (uk[k] == u) {
                rc = wi_fmsg(ctx, WIOT_EFORMAT, shown, tx.line, "stressor '%s' listed twice (first "
                             "on line %zu)", wi_show(q, nm->p, nm->n), ln[k]);
                break;
            }
        for (size_t j = 0; !rc && j < n; j++)
            rc = wi_cell_at(ctx, t, shown, tx.line, 0, j, &tx.f[1 + j], &rows[p * n + j]);
        if (!rc) {
            uk[p] = u;
            ln[p++] = tx.line;
        }
    }
    if (!rc && !p)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, shown, 0, "no stressor lines after the header");
    wiot_extension *e = NULL;
    if (!rc)
        rc = wi_ext_alloc(ctx, t, p, 0, &e);
    for (size_t k = 0; !rc && k < p; k++)
        rc = wi_ext_set(ctx, e, k, U->name[uk[k]].p, U->name[uk[k]].n, U->unit[uk[k]].p,
                        U->unit[uk[k]].n);
    if (!rc) {
        for (size_t k = 0; k < p; k++)
            for (size_t j = 0; j < n; j++)
                e->F[k + j * p] = rows[k * n + j];
        *out = e;
    } else
        wiot_extension_free(e);
    wi_text_free(&tx);
    wi_free(ctx, rows);
    wi_free(ctx, uk);
    wi_free(ctx, ln);
    return rc;
}

/* F_Y.txt into e->FY (allocated here). */
static int wi_block_FY(wiot_ctx *ctx, const wiot_table *t, const char *shown, char *buf, size_t len,
                       wiot_extension *e)
{
    const size_t ck = t->C * t->K, p = e->p;
    char q[WI_SHOW];
    wi_text tx;
    wi_text_init(&tx, ctx, shown, buf, len, '\t');
    size_t off = 1;
    int rc = wi_block_header(ctx, t, shown, &tx, 1, &off);
    unsigned char *given = rc ? NULL : wi_calloc(ctx, p, 1);
    size_t *ln = rc ? NULL : wi_calloc(ctx, p, sizeof *ln);
    if (!rc && (!given || !ln || !(e->FY = wi_calloc(ctx, p * (ck ? ck : 1), sizeof(double)))))
        rc = WIOT_ENOMEM;
    int got, first = 1;
    while (!rc && (got = wi_text_next(&tx)) != 0) {
        if (got < 0) {
            rc = -got;
            break;
        }
        if (first && wi_index_line(&tx)) {
            first = 0;
            continue;
        }
        first = 0;
        if (tx.nf != ck + 1) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, shown, tx.line, "%zu fields, expected %zu (name and one "
                         "value per final-demand column)", tx.nf, ck + 1);
            break;
        }
        const wi_field *nm = &tx.f[0];
        size_t k;
        for (k = 0; k < p; k++)
            if (strlen(e->name[k]) == nm->n && !memcmp(e->name[k], nm->p, nm->n))
                break;
        if (k == p) {
            rc = wi_fmsg(ctx, WIOT_ENOTFOUND, shown, tx.line, "stressor '%s' is not in F.txt",
                         wi_show(q, nm->p, nm->n));
            break;
        }
        if (given[k]) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, shown, tx.line, "stressor '%s' listed twice (first on "
                         "line %zu)", e->name[k], ln[k]);
            break;
        }
        given[k] = 1;
        ln[k] = tx.line;
        for (size_t j = 0; !rc && j < ck; j++)
            rc = wi_cell_at(ctx, t, shown, tx.line, 1, j, &tx.f[1 + j], &e->FY[k + j * p]);
    }
    wi_text_free(&tx);
    wi_free(ctx, given);
    wi_free(ctx, ln);
    return rc;
}

/* wi_src_read bounded by the context's memory limit where the size is known before
 * reading (members of a directory; a zip member's size is not exposed by wi_src). */
static int wi_read_member(wiot_ctx *ctx, wi_src *src, const char *path, size_t i, char **buf, size_t *len,
                          const char **shown)
{
    struct stat st;
    if (!wi_src_is_zip(src) && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, wi_src_member(src, i));
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
            int rc = wi_budget(ctx, (size_t)st.st_size, "the extension file", "%s", full);
            if (rc)
                return rc;
        }
    }
    return wi_src_read(ctx, src, i, buf, len, shown);
}

/* The member whose name ends in suffix (the _bp_ one first), or (size_t)-1. */
static size_t wi_src_suffix(const wi_src *src, const char *suffix)
{
    size_t best = (size_t)-1, ls = strlen(suffix);
    for (size_t i = 0; i < wi_src_count(src); i++) {
        const char *m = wi_src_member(src, i);
        size_t lm = strlen(m);
        if (lm < ls || strcmp(m + lm - ls, suffix))
            continue;
        if (best == (size_t)-1 || strstr(m, "_bp_"))
            best = i;
    }
    return best;
}

/* One Eora26 matrix file: p lines of m or m + 1 values into dst (p x m, ld p). */
static int wi_eora_matrix(wiot_ctx *ctx, const wiot_table *t, const char *shown, char *buf, size_t len,
                          int fd, size_t p, double *dst)
{
    const size_t m = fd ? t->C * t->K : t->n;
    wi_text tx;
    wi_text_init(&tx, ctx, shown, buf, len, '\t');
    size_t k = 0;
    int got, rc = WIOT_OK;
    while (!rc && (got = wi_text_next(&tx)) != 0) {
        if (got < 0) {
            rc = -got;
            break;
        }
        if (k == p) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, shown, tx.line, "more lines than the %zu stressors of labels_Q.txt", p);
            break;
        }
        size_t nf = tx.nf;
        if (nf && tx.f[nf - 1].n == 0)   /* a trailing tab */
            nf--;
        if (nf != m && nf != m + 1) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, shown, tx.line, "%zu values, expected %zu (or %zu with the ROW "
                         "column)", nf, m, m + 1);
            break;
        }
        for (size_t j = 0; !rc && j < m; j++)
            rc = wi_cell_at(ctx, t, shown, tx.line, fd, j, &tx.f[j], &dst[k + j * p]);
        k++;
    }
    if (!rc && k != p)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, shown, 0, "%zu lines, labels_Q.txt lists %zu stressors", k, p);
    wi_text_free(&tx);
    return rc;
}

static int wi_ext_load_eora(wiot_ctx *ctx, const wiot_table *t, const char *path, wi_src *src, size_t li,
                            wiot_extension **out)
{
    char *lbuf = NULL, *qbuf = NULL, *ybuf = NULL, *lshown = NULL;
    size_t llen, qlen, ylen;
    const char *shown;
    wiot_extension *e = NULL;
    size_t qi = wi_src_suffix(src, "_Q.txt"), yi = wi_src_suffix(src, "_QY.txt");
    int rc;
    if (qi == (size_t)-1)
        return wi_fmsg(ctx, WIOT_EFORMAT, path, 0, "labels_Q.txt but no *_Q.txt (the Eora26 satellite values)");
    if ((rc = wi_read_member(ctx, src, path, li, &lbuf, &llen, &shown)))
        return rc;
    if (!(lshown = wi_strdup(ctx, shown))) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    size_t p = 0;
    for (size_t i = 0; i < llen; i++)
        p += lbuf[i] == '\n';
    p++;
    /* first pass: count; names kept as fields into lbuf */
    wi_field *nm = wi_calloc(ctx, p, sizeof *nm), *src_ = wi_calloc(ctx, p, sizeof *src_);
    size_t *ln = wi_calloc(ctx, p, sizeof *ln);
    if (!nm || !src_ || !ln) {
        wi_free(ctx, nm);
        wi_free(ctx, src_);
        wi_free(ctx, ln);
        rc = WIOT_ENOMEM;
        goto done;
    }
    wi_text tx;
    wi_text_init(&tx, ctx, lshown, lbuf, llen, '\t');
    size_t k = 0;
    int got;
    char q[WI_SHOW];
    while (!rc && (got = wi_text_next(&tx)) != 0) {
        if (got < 0) {
            rc = -got;
            break;
        }
        if (!tx.f[0].n) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, lshown, tx.line, "empty stressor name");
            break;
        }
        nm[k] = tx.f[0];
        src_[k] = tx.nf > 1 ? tx.f[1] : (wi_field){tx.f[0].p, 0, 0};
        ln[k] = tx.line;
        for (size_t i = 0; i < k && !rc; i++)
            if (nm[i].n == nm[k].n && !memcmp(nm[i].p, nm[k].p, nm[k].n) && src_[i].n == src_[k].n &&
                !memcmp(src_[i].p, src_[k].p, src_[k].n))
                rc = wi_fmsg(ctx, WIOT_EFORMAT, lshown, tx.line, "stressor '%s' listed twice (first on line %zu)",
                             wi_show(q, nm[k].p, nm[k].n), ln[i]);
        k++;
    }
    wi_text_free(&tx);
    if (!rc && !k)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, lshown, 0, "no stressors");
    if (!rc)
        rc = wi_ext_alloc(ctx, t, k, yi != (size_t)-1, &e);
    for (size_t i = 0; !rc && i < k; i++) {
        /* "name (unit)" -> name, unit; the source appended */
        const char *b = nm[i].p;
        size_t n = nm[i].n, un = 0;
        const char *u = NULL;
        if (n >= 3 && b[n - 1] == ')') {
            const char *o = memrchr(b, '(', n);
            if (o) {
                u = o + 1;
                un = (size_t)(b + n - 1 - u);
                n = (size_t)(o - b);
                while (n && b[n - 1] == ' ')
                    n--;
            }
        }
        char name[600];
        int w = snprintf(name, sizeof name, "%.*s%s%.*s", (int)(n < 280 ? n : 280), b, src_[i].n ? " | " : "",
                         (int)(src_[i].n < 280 ? src_[i].n : 280), src_[i].p);
        rc = wi_ext_set(ctx, e, i, name, w > 0 ? (size_t)w : 0, u ? u : "", un);
    }
    wi_free(ctx, nm);
    wi_free(ctx, src_);
    wi_free(ctx, ln);
    if (!rc && !(rc = wi_read_member(ctx, src, path, qi, &qbuf, &qlen, &shown)))
        rc = wi_eora_matrix(ctx, t, shown, qbuf, qlen, 0, k, e->F);
    if (!rc && yi != (size_t)-1 && !(rc = wi_read_member(ctx, src, path, yi, &ybuf, &ylen, &shown)))
        rc = wi_eora_matrix(ctx, t, shown, ybuf, ylen, 1, k, e->FY);
    if (!rc)
        rc = wi_ext_set_source(ctx, e, "%s (Eora26 satellites)", path);
done:
    if (rc)
        wiot_extension_free(e);
    else
        *out = e;
    wi_free(ctx, lbuf);
    wi_free(ctx, qbuf);
    wi_free(ctx, ybuf);
    wi_free(ctx, lshown);
    return rc;
}

int wi_ext_load_exio(wiot_ctx *ctx, const wiot_table *t, const char *path, wiot_extension **out)
{
    wi_src *src = NULL;
    int rc = wi_src_open(ctx, path, &src);
    if (rc)
        return rc;
    char *ubuf = NULL, *fbuf = NULL, *ybuf = NULL, *fshown = NULL;
    size_t ulen = 0, flen = 0, ylen = 0;
    const char *shown;
    wi_units U = {0};
    wiot_extension *e = NULL;
    size_t li = wi_src_find(src, "labels_Q.txt", 0);
    if (li != (size_t)-1) {
        rc = wi_ext_load_eora(ctx, t, path, src, li, &e);
        goto done;
    }
    size_t fi = wi_src_find(src, "satellite/F.txt", 0);
    if (fi == (size_t)-1)
        fi = wi_src_find(src, "F.txt", 0);
    if (fi == (size_t)-1) {
        rc = wi_fmsg(ctx, WIOT_ENOTFOUND, path, 0, "no extension block here (EXIOBASE 3 F.txt or "
                     "satellite/F.txt, Eora26 labels_Q.txt)");
        goto done;
    }
    const char *fm = wi_src_member(src, fi);
    size_t plen = strlen(fm) - strlen("F.txt");
    char want[1200];
    if (plen >= sizeof want - 16) {
        rc = wi_fmsg(ctx, WIOT_EFORMAT, path, 0, "member path too long");
        goto done;
    }
    snprintf(want, sizeof want, "%.*sunit.txt", (int)plen, fm);
    size_t ui = wi_src_find(src, want, 0);
    if (ui == (size_t)-1) {
        rc = wi_fmsg(ctx, WIOT_EFORMAT, path, 0, "no %s beside %s (the stressors' units)", want, fm);
        goto done;
    }
    snprintf(want, sizeof want, "%.*sF_Y.txt", (int)plen, fm);
    size_t yi = wi_src_find(src, want, 0);
    if (yi == (size_t)-1) {
        snprintf(want, sizeof want, "%.*sF_hh.txt", (int)plen, fm);
        yi = wi_src_find(src, want, 0);
    }
    if ((rc = wi_read_member(ctx, src, path, ui, &ubuf, &ulen, &shown)) ||
        (rc = wi_read_units(ctx, shown, ubuf, ulen, &U)))
        goto done;
    if ((rc = wi_read_member(ctx, src, path, fi, &fbuf, &flen, &shown)))
        goto done;
    if (!(fshown = wi_strdup(ctx, shown))) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    if ((rc = wi_block_F(ctx, t, fshown, fbuf, flen, &U, &e)))
        goto done;
    if (yi != (size_t)-1 && (!(rc = wi_read_member(ctx, src, path, yi, &ybuf, &ylen, &shown))))
        rc = wi_block_FY(ctx, t, shown, ybuf, ylen, e);
    if (!rc) {
        const char *slash = strrchr(fshown, '/');
        rc = wi_ext_set_source(ctx, e, "%.*s (EXIOBASE 3)", (int)(slash ? slash - fshown : (long)strlen(fshown)),
                               fshown);
    }
done:
    if (rc)
        wiot_extension_free(e);
    else
        *out = e;
    wi_free(ctx, U.name);
    wi_free(ctx, U.unit);
    wi_free(ctx, ubuf);
    wi_free(ctx, fbuf);
    wi_free(ctx, ybuf);
    wi_free(ctx, fshown);
    wi_src_close(src);
    return rc;
}
