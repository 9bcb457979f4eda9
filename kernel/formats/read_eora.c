/* read_eora.c -- Eora26 (kernel/formats/LAYOUTS.md §6): Eora26_YYYY_bp_T.txt (intermediate),
 * _FD.txt (final demand), _VA.txt (primary inputs), tab-separated numbers with no
 * header and no label column, and the label files labels_T.txt, labels_FD.txt,
 * labels_VA.txt, from a directory or a zip (the labels may also sit in an indices.zip
 * beside the data zip). Basic prices (_bp_) are read when both _bp_ and _pp_ are present.
 *
 *  - labels_T.txt: one line per row (and column) of T: country name, country code,
 *    "Industries", sector name (a trailing empty field is allowed). Countries come in
 *    blocks with the same sectors. A block of code "ROW" with a different number of
 *    lines (Eora26: one line, "TOTAL") is the statistical discrepancy: its T column
 *    and FD column are kept as the other use "ROW", its T row as the primary-input row
 *    "ROW" (with its final-demand purchases), T[ROW, ROW], FD[ROW, ROW] and VA[:, ROW]
 *    are dropped (pymrio drops all of it).
 *  - labels_FD.txt: country name, code, "Final Demand", category; every country the
 *    same categories (Eora26: 6), the ROW block one column.
 *  - labels_VA.txt: the primary inputs, one per line (the last non-empty field is the
 *    name; Eora26: 6 rows, D.1 ... K.1).
 * x[i] is the row sum of T and FD (both with the ROW columns): total use. Sector and
 * category names become codes by wi_code_from_label ("Petroleum, Chemical and
 * Non-Metallic Mineral Products" -> "Petroleum_Chemical_and_Non-Metallic_Mineral_
 * Products"). Units: thousands of US$ (LAYOUTS.md §6, pymrio #175; pymrio's own label is
 * "Mill USD"). The year is the last 19xx/20xx in the data file names.
 * Unverified: the exact ROW label lines, the category and VA names (read from the
 * files anyway), and the units. */
#define _GNU_SOURCE
#include "formats/formats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct wi_lab {
    char **code, **item;      /* per line: country code, last field (sector/category) */
    size_t n;
    char *shown;              /* the file's name for messages ("<dir>/labels_T.txt", ...) */
} wi_lab;

static void wi_lab_free(wiot_ctx *ctx, wi_lab *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->code)
            wi_free(ctx, l->code[i]);
        if (l->item)
            wi_free(ctx, l->item[i]);
    }
    wi_free(ctx, l->code);
    wi_free(ctx, l->item);
    wi_free(ctx, l->shown);
    memset(l, 0, sizeof *l);
}

static int wi_eora_read(wiot_ctx *ctx, wi_src *s, wi_src *alt, const char *member, const char *src_name,
                        char **buf, size_t *len, char **shown)
{
    size_t i = wi_src_find(s, member, 0);
    wi_src *from = s;
    if (i == (size_t)-1 && alt) {
        i = wi_src_find(alt, member, 0);
        from = alt;
    }
    if (i == (size_t)-1)
        return wi_fmsg(ctx, WIOT_EFORMAT, src_name, 0, "no %s (Eora26 holds Eora26_YYYY_bp_T.txt, _FD.txt, "
                       "_VA.txt and labels_T.txt, labels_FD.txt, labels_VA.txt)", member);
    const char *sh;
    int rc = wi_src_read(ctx, from, i, buf, len, &sh);
    if (rc)
        return rc;
    *shown = wi_strdup(ctx, sh);
    if (!*shown) {
        wi_free(ctx, *buf);
        return WIOT_ENOMEM;
    }
    return WIOT_OK;
}

/* A label file: code = field 2 (labels_VA: none), item = the last non-empty field. */
static int wi_eora_labels(wiot_ctx *ctx, wi_src *s, wi_src *alt, const char *member, const char *src_name,
                          int coded, wi_lab *out)
{
    char *buf, *nm;
    size_t len;
    int rc = wi_eora_read(ctx, s, alt, member, src_name, &buf, &len, &nm);
    if (rc)
        return rc;
    size_t L = 1;
    for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + len - p))) != NULL; p++)
        L++;
    out->code = wi_calloc(ctx, L, sizeof(char *));
    out->item = wi_calloc(ctx, L, sizeof(char *));
    wi_text t;
    wi_text_init(&t, ctx, nm, buf, len, '\t');
    int got;
    if (!out->code || !out->item)
        rc = WIOT_ENOMEM;
    while (!rc && (got = wi_text_next(&t)) > 0) {
        size_t nf = t.nf;
        while (nf > 1 && t.f[nf - 1].n == 0)
            nf--;
        if (coded && nf < 4) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "expected 4 tab-separated fields (country, code, "
                         "block, name), got %zu", nf);
            break;
        }
        if (coded)
            rc = wi_build_label(ctx, &out->code[out->n], t.f[1].p, t.f[1].n);
        if (!rc)
            rc = wi_build_label(ctx, &out->item[out->n], t.f[nf - 1].p, t.f[nf - 1].n);
        out->n++;
    }
    if (!rc && got < 0)
        rc = -got;
    wi_text_free(&t);
    wi_free(ctx, buf);
    out->shown = nm;
    return rc;
}

/* A matrix file: rows x cols numbers. */
static int wi_eora_matrix(wiot_ctx *ctx, wi_src *s, const char *member, const char *src_name, size_t rows,
                          size_t cols, double *M, char *shown_out, size_t shown_size, size_t *lines)
{
    char *buf, *nm;
    size_t len;
    int rc = wi_eora_read(ctx, s, NULL, member, src_name, &buf, &len, &nm);
    if (rc)
        return rc;
    snprintf(shown_out, shown_size, "%s", nm);
    wi_text t;
    wi_text_init(&t, ctx, nm, buf, len, '\t');
    int got = 0;
    size_t r = 0;
    char lab[32];
    while (!rc && (got = wi_text_next(&t)) > 0) {
        if (r == rows) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "more than the %zu lines the label file gives", rows);
            break;
        }
        if (t.nf != cols) {
            if (t.nf == 1 && memchr(t.f[0].p, ',', t.f[0].n))
                rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "Eora26 files are tab-separated, but this line has "
                             "no tab and holds ',' (wrong separator?)");
            else
                rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "expected %zu fields (the label file's count), got "
                             "%zu", cols, t.nf);
            break;
        }
        if (lines)
            lines[r] = t.line;
        for (size_t j = 0; j < cols && !rc; j++) {
            snprintf(lab, sizeof lab, "%zu", j + 1);
            rc = wi_cell(ctx, nm, t.line, lab, &t.f[j], 0, &M[r + j * rows]);
        }
        r++;
    }
    if (!rc && got < 0)
        rc = -got;
    if (!rc && r < rows)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, nm, t.line, "%zu lines, but the label file gives %zu", r, rows);
    wi_text_free(&t);
    wi_free(ctx, buf);
    wi_free(ctx, nm);
    return rc;
}

/* Blocks of countries: cidx[i] country of line i (or (size_t)-1 for the ROW block),
 * first[] the first line of each country. */
static int wi_eora_blocks(wiot_ctx *ctx, const char *nm, const wi_lab *l, size_t *cidx, size_t *C_out,
                          size_t *S_out, size_t *first)
{
    size_t C = 0, S = 0, i = 0;
    /* block sizes */
    while (i < l->n) {
        size_t j = i;
        while (j < l->n && strcmp(l->code[j], l->code[i]) == 0)
            j++;
        size_t sz = j - i;
        int row = strcmp(l->code[i], "ROW") == 0;
        for (size_t k = i; k < j; k++)
            cidx[k] = (size_t)-1;
        if (!row || (S && sz == S)) {
            if (S == 0)
                S = sz;
            if (sz != S)
                return wi_fmsg(ctx, WIOT_EFORMAT, nm, i + 1, "country '%s' has %zu lines, but '%s' has %zu",
                               l->code[i], sz, l->code[0], S);
            for (size_t c = 0; c < C; c++)
                if (strcmp(l->code[first[c]], l->code[i]) == 0)
                    return wi_fmsg(ctx, WIOT_EFORMAT, nm, i + 1, "country '%s' appears in two blocks",
                                   l->code[i]);
            for (size_t k = i; k < j; k++) {
                cidx[k] = C;
                if (C > 0 && strcmp(l->item[k], l->item[first[0] + (k - i)]) != 0)
                    return wi_fmsg(ctx, WIOT_EFORMAT, nm, k + 1, "'%s' where '%s' was expected (every country "
                                   "lists the same items in the same order)", l->item[k],
                                   l->item[first[0] + (k - i)]);
            }
            first[C++] = i;
        }
        i = j;
    }
    /* a ROW block of the common size counts as a country (handled above) */
    *C_out = C;
    *S_out = S;
    return WIOT_OK;
}

static int wi_eora_year(const char *s)
{
    int y = 0;
    const char *b = strrchr(s, '/');
    for (const char *p = b ? b + 1 : s; *p; p++)
        if (((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')) && p[2] >= '0' && p[2] <= '9' &&
            p[3] >= '0' && p[3] <= '9' && !(p[4] >= '0' && p[4] <= '9') && (p == s || !(p[-1] >= '0' && p[-1] <= '9')))
            y = atoi(p) % 10000;
    return y;
}

int wi_read_eora26(wiot_ctx *ctx, wi_src *src, const char *name, wi_build *b)
{
    /* the data files: Eora26_YYYY_bp_T.txt (basic prices preferred) */
    size_t ti = (size_t)-1;
    for (size_t i = 0; i < wi_src_count(src); i++) {
        const char *m = wi_src_member(src, i), *base = strrchr(m, '/');
        base = base ? base + 1 : m;
        size_t l = strlen(base);
        if (strncmp(base, "Eora26_", 7) == 0 && l > 6 && strcmp(base + l - 6, "_T.txt") == 0 &&
            (ti == (size_t)-1 || strstr(base, "_bp_")))
            ti = i;
    }
    if (ti == (size_t)-1)
        return wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "no Eora26_YYYY_bp_T.txt (Eora26 holds _T.txt, _FD.txt, _VA.txt "
                       "and labels_*.txt)");
    char prefix[512], tname[600], fdname[600], vaname[600];
    const char *tm = wi_src_member(src, ti), *base = strrchr(tm, '/');
    base = base ? base + 1 : tm;
    snprintf(prefix, sizeof prefix, "%.*s", (int)(strlen(base) - 6), base);
    snprintf(tname, sizeof tname, "%s_T.txt", prefix);
    snprintf(fdname, sizeof fdname, "%s_FD.txt", prefix);
    snprintf(vaname, sizeof vaname, "%s_VA.txt", prefix);
    /* labels: in the source, or in indices.zip beside a zip */
    wi_src *alt = NULL;
    int rc = WIOT_OK;
    if (wi_src_find(src, "labels_T.txt", 0) == (size_t)-1 && wi_src_is_zip(src)) {
        char ip[4096];
        const char *sl = strrchr(name, '/');
        snprintf(ip, sizeof ip, "%.*s%sindices.zip", sl ? (int)(sl - name) : 0, name, sl ? "/" : "");
        if (wi_src_open(ctx, ip, &alt) != WIOT_OK) {
            alt = NULL;
            wi_clear(ctx);   /* no indices.zip: the missing label file is the error */
        }
    }
    wi_lab lt, lf, lv;
    memset(&lt, 0, sizeof lt);
    memset(&lf, 0, sizeof lf);
    memset(&lv, 0, sizeof lv);
    size_t *tc = NULL, *fc = NULL, *tfirst = NULL, *ffirst = NULL, *tlines = NULL;
    double *T = NULL, *FD = NULL, *VA = NULL;
    if ((rc = wi_eora_labels(ctx, src, alt, "labels_T.txt", name, 1, &lt)) ||
        (rc = wi_eora_labels(ctx, src, alt, "labels_FD.txt", name, 1, &lf)) ||
        (rc = wi_eora_labels(ctx, src, alt, "labels_VA.txt", name, 0, &lv)))
        goto done;
    size_t nT = lt.n, nF = lf.n, nV = lv.n, C = 0, S = 0, C2 = 0, K = 0;
    tc = wi_alloc(ctx, (nT + 1) * sizeof *tc);
    fc = wi_alloc(ctx, (nF + 1) * sizeof *fc);
    tfirst = wi_alloc(ctx, (nT + 1) * sizeof *tfirst);
    ffirst = wi_alloc(ctx, (nF + 1) * sizeof *ffirst);
    tlines = wi_calloc(ctx, nT + 1, sizeof *tlines);
    size_t cells;
    if (!tc || !fc || !tfirst || !ffirst || !tlines) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    if ((rc = wi_eora_blocks(ctx, lt.shown, &lt, tc, &C, &S, tfirst)))
        goto done;
    if ((rc = wi_eora_blocks(ctx, lf.shown, &lf, fc, &C2, &K, ffirst)))
        goto done;
    if (C2 != C) {
        rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "labels_FD.txt has %zu countries, labels_T.txt %zu", C2, C);
        goto done;
    }
    for (size_t c = 0; c < C; c++)
        if (strcmp(lt.code[tfirst[c]], lf.code[ffirst[c]]) != 0) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "labels_FD.txt lists country '%s' where labels_T.txt has '%s'",
                         lf.code[ffirst[c]], lt.code[tfirst[c]]);
            goto done;
        }
    if ((rc = wi_mul(ctx, nT, nT, &cells)))
        goto done;
    T = wi_dalloc(ctx, cells ? cells : 1);
    FD = wi_dalloc(ctx, nT * nF + 1);
    VA = wi_dalloc(ctx, nV * nT + 1);
    if (!T || !FD || !VA) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    char tshown[512], fshown[512], vshown[512];
    if ((rc = wi_eora_matrix(ctx, src, tname, name, nT, nT, T, tshown, sizeof tshown, tlines)) ||
        (rc = wi_eora_matrix(ctx, src, fdname, name, nT, nF, FD, fshown, sizeof fshown, NULL)) ||
        (rc = wi_eora_matrix(ctx, src, vaname, name, nV, nT, VA, vshown, sizeof vshown, NULL)))
        goto done;
    /* the build */
    size_t nrow = 0, nfrow = 0;
    for (size_t i = 0; i < nT; i++)
        nrow += tc[i] == (size_t)-1;
    for (size_t q = 0; q < nF; q++)
        nfrow += fc[q] == (size_t)-1;
    int disc = nrow > 0 || nfrow > 0;
    if ((rc = wi_build_alloc(ctx, b, C, S, K, nV + (nrow > 0), disc)))
        goto done;
    const size_t n = C * S, CK = C * K, pw = n + CK;
    for (size_t c = 0; c < C && !rc; c++)
        rc = wi_build_label(ctx, &b->country[c], lt.code[tfirst[c]], strlen(lt.code[tfirst[c]]));
    char code[1024];
    for (size_t s = 0; s < S && !rc; s++) {
        const char *it = lt.item[tfirst[0] + s];
        size_t l = strlen(it), k = wi_code_from_label(code, it, l < sizeof code ? l : sizeof code - 1);
        rc = k ? wi_build_label(ctx, &b->sector[s], code, k)
               : wi_fmsg(ctx, WIOT_EFORMAT, lt.shown, tfirst[0] + s + 1, "sector '%s' gives no code", it);
    }
    for (size_t k2 = 0; k2 < K && !rc; k2++) {
        const char *it = lf.item[ffirst[0] + k2];
        size_t l = strlen(it), k = wi_code_from_label(code, it, l < sizeof code ? l : sizeof code - 1);
        rc = k ? wi_build_label(ctx, &b->fd[k2], code, k)
               : wi_fmsg(ctx, WIOT_EFORMAT, lf.shown, ffirst[0] + k2 + 1, "category '%s' gives no code", it);
    }
    for (size_t r = 0; r < nV && !rc; r++)
        rc = wi_build_label(ctx, &b->plabel[r], lv.item[r], strlen(lv.item[r]));
    if (!rc && nrow)
        rc = wi_build_label(ctx, &b->plabel[nV], "ROW", 3);
    if (!rc && disc)
        rc = wi_build_label(ctx, &b->qlabel[0], "ROW", 3);
    if (!rc && !(b->rline = wi_calloc(ctx, n + 1, sizeof(size_t))))
        rc = WIOT_ENOMEM;
    if (!rc && !(b->xline = wi_calloc(ctx, n + 1, sizeof(size_t))))
        rc = WIOT_ENOMEM;
    if (rc)
        goto done;
    /* index of line i in the table: tc[i]*S + position in block */
    size_t *ti2 = wi_alloc(ctx, (nT + 1) * sizeof *ti2), *fq = wi_alloc(ctx, (nF + 1) * sizeof *fq);
    if (!ti2 || !fq) {
        wi_free(ctx, ti2);
        wi_free(ctx, fq);
        rc = WIOT_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < nT; i++)
        ti2[i] = tc[i] == (size_t)-1 ? (size_t)-1 : tc[i] * S + (i - tfirst[tc[i]]);
    for (size_t q = 0; q < nF; q++)
        fq[q] = fc[q] == (size_t)-1 ? (size_t)-1 : fc[q] * K + (q - ffirst[fc[q]]);
    char lab[1200];
    for (size_t i = 0; i < nT && !rc; i++) {
        size_t ri = ti2[i];
        for (size_t j = 0; j < nT; j++) {
            double v = T[i + j * nT];
            size_t rj = ti2[j];
            if (ri != (size_t)-1) {
                b->x[ri] += v;
                if (rj != (size_t)-1) {
                    if (v < 0) {
                        snprintf(lab, sizeof lab, "%s_%s", b->country[rj / S], b->sector[rj % S]);
                        rc = wi_fmsg(ctx, WIOT_EDATA, tshown, tlines[i], "column %zu ('%s'): negative "
                                     "intermediate flow %.15g", j + 1, lab, v);
                        break;
                    }
                    b->Z[ri + rj * n] = v;
                } else {
                    b->Qv[ri] += v;
                }
            } else if (rj != (size_t)-1) {
                b->Pv[nV * pw + rj] += v;   /* the discrepancy row */
            }
        }
        for (size_t q = 0; q < nF && !rc; q++) {
            double v = FD[i + q * nT];
            size_t Qq = fq[q];
            if (ri != (size_t)-1) {
                b->x[ri] += v;
                if (Qq != (size_t)-1)
                    b->F[ri + Qq * n] = v;
                else
                    b->Qv[ri] += v;
            } else if (Qq != (size_t)-1) {
                b->Pv[nV * pw + n + Qq] += v;
            }
        }
        if (ri != (size_t)-1) {
            b->rline[ri] = tlines[i];
            b->xline[ri] = tlines[i];
        }
    }
    for (size_t r = 0; r < nV && !rc; r++)
        for (size_t j = 0; j < nT; j++)
            if (ti2[j] != (size_t)-1)
                b->Pv[r * pw + ti2[j]] = VA[r + j * nV];
    wi_free(ctx, ti2);
    wi_free(ctx, fq);
    if (rc)
        goto done;
    snprintf(b->rfile, sizeof b->rfile, "%s", tshown);
    snprintf(b->xfile, sizeof b->xfile, "%s", tshown);
    b->units = "thousands of USD";
    b->format = WIOT_FORMAT_EORA26;
    b->year = wi_eora_year(tname);
    snprintf(b->source, sizeof b->source, "Eora26 (%s)", strstr(prefix, "_pp") ? "purchaser prices" : "basic prices");
done:
    wi_lab_free(ctx, &lt);
    wi_lab_free(ctx, &lf);
    wi_lab_free(ctx, &lv);
    wi_free(ctx, tc);
    wi_free(ctx, fc);
    wi_free(ctx, tfirst);
    wi_free(ctx, ffirst);
    wi_free(ctx, tlines);
    wi_free(ctx, T);
    wi_free(ctx, FD);
    wi_free(ctx, VA);
    wi_src_close(alt);
    return rc;
}
