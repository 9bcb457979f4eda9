/* charts_gvc.c -- the charts of wiot gvc kww (the KWW decomposition of gross exports,
 * grouped as KWW's four parts, for the largest exporters; a map of foreign content) and
 * wiot gvc position (GVC participation, upstreamness and downstreamness by country).
 * kernel/METHODS.md §7 (the terms), §9 (the report). With --years: the last year. */
#define _GNU_SOURCE
#include "charts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { GVC_TOP = 15 };   /* exporters in the KWW chart */

/* index of the country code in codes[0..*n), appended when new (at most max) */
static size_t code_index(const char **codes, size_t *n, size_t max, const char *v)
{
    if (*n && !strcmp(codes[*n - 1], v))
        return *n - 1;
    for (size_t k = 0; k < *n; k++)
        if (!strcmp(codes[k], v))
            return k;
    if (*n == max)
        return (size_t)-1;
    codes[*n] = v;
    return (*n)++;
}

/* the last year of a --years CSV (NULL without a year column) */
static const char *last_year(const rcsv *c, int cy)
{
    const char *years[64];
    size_t ny = distinct(c, cy, years, 64);
    return ny ? years[ny - 1] : NULL;
}

int charts_gvc_kww(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
{
    (void)pv;
    const int cy = rcsv_col(c, "year"), ce = rcsv_col(c, "exporter"), ct = rcsv_col(c, "term"),
              cv = rcsv_col(c, "value_musd");
    const char *year = last_year(c, cy), *codes[4096];
    size_t C = 0;
    int rc = 1;
    /* t[k * C' + e]: KWW term k+1 of exporter e; sized for every row being a country */
    const size_t cap = c->nrow / 9 + 1;
    double *t = calloc(cap * 9, sizeof *t), *ex = calloc(cap, sizeof *ex);
    size_t *idx = malloc(cap * sizeof *idx);
    if (!t || !ex || !idx)
        goto oom;
    for (size_t r = 0; r < c->nrow; r++) {
        if (year && strcmp(rcsv_get(c, r, cy), year))
            continue;
        double term, v;
        if (rcsv_num(c, r, ct, &term, err, errsz) || rcsv_num(c, r, cv, &v, err, errsz))
            goto out;
        if (!(term >= 1 && term <= 9 && term == floor(term))) {
            snprintf(err, errsz, "%s:%zu: column 'term': '%s' is not a KWW term 1..9", c->path, c->lineno[r],
                     rcsv_get(c, r, ct));
            goto out;
        }
        size_t e = code_index(codes, &C, cap < 4096 ? cap : 4096, rcsv_get(c, r, ce));
        if (e == (size_t)-1)
            continue;
        if (!isnan(v)) {
            t[((size_t)term - 1) * cap + e] += v;
            ex[e] += v;   /* the nine terms add up to gross exports (KWW eq. (36)) */
        }
    }
    /* KWW's four parts: VAX (1-3), returned DVA (4-5), FVA (7-8), double counted (6, 9) */
    static const int part[9] = {0, 0, 0, 1, 1, 3, 2, 2, 3};
    static const char *const pname[4] = {"VAX: DVA absorbed abroad (T1-T3)", "RDV: DVA returning home (T4-T5)",
                                         "FVA: foreign value added (T7-T8)", "PDC: double counted (T6, T9)"};
    order_desc(idx, ex, C);
    size_t nb = C < GVC_TOP ? C : GVC_TOP;
    while (nb > 0 && !(ex[idx[nb - 1]] > 0))
        nb--;   /* an exporter without exports has no shares */
    chart *ch = add_chart(L, "kww", CH_GROUPED, nb, 4, 0, 0);
    if (!ch)
        goto oom;
    strcpy(L->file[L->n - 1], "gvc kww");
    titles(ch, "Gross exports by value-added origin and destination (KWW), largest exporters", NULL, year);
    snprintf(ch->guide, sizeof ch->guide, "Each exporter's four parts add up to 100 %% of its gross exports; "
             "FVA: imported content, PDC: value crossing borders twice.");
    snprintf(ch->unit, sizeof ch->unit, "%% of gross exports");
    ch->mult = 100;
    ch->dec = 2;
    if (nb < C)
        snprintf(ch->note, sizeof ch->note, "the %zu largest of %zu exporters by gross exports (all are in the CSV)",
                 nb, C);
    for (int k = 0; k < 4; k++)
        if (!(ch->sname[k] = xdup(pname[k])))
            goto oom;
    for (size_t i = 0; i < nb; i++) {
        const size_t e = idx[i];
        if (!(ch->label[i] = xdup(codes[e])))
            goto oom;
        double sum[4] = {0};
        for (int k = 0; k < 9; k++)
            sum[part[k]] += t[(size_t)k * cap + e];
        for (int k = 0; k < 4; k++)
            ch->v[(size_t)k * nb + i] = sum[k] / ex[e];
    }
    /* the map: foreign content of gross exports, FVA_FIN + FVA_INT + FDC (T7-T9) */
    chart *mp = add_map(L, C, "gvc kww");
    if (!mp)
        goto oom;
    titles(mp, "Foreign value added in gross exports (KWW T7-T9), world map", NULL, year);
    snprintf(mp->guide, sizeof mp->guide, "Darker = a larger share of the country's exports is value added "
             "abroad, double counting included (5 classes, each about a fifth of the countries).");
    snprintf(mp->unit, sizeof mp->unit, "%% of gross exports");
    mp->dec = 2;
    for (size_t e = 0; e < C; e++) {
        if (!(mp->label[e] = xdup(codes[e])))
            goto oom;
        double f = t[6 * cap + e] + t[7 * cap + e] + t[8 * cap + e];
        mp->v[e] = ex[e] > 0 ? f / ex[e] : NAN;
    }
    rc = 0;
    goto out;
oom:
    rc = OOM(err, errsz, c);
out:
    free(t);
    free(ex);
    free(idx);
    return rc;
}

int charts_gvc_position(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
{
    (void)pv;
    static const char *const names[10] = {"va_d", "va_rt", "va_gvc_s", "va_gvc_c", "y_d",
                                          "y_rt", "y_gvc_s", "y_gvc_c", "upstream", "downstream"};
    int col[10];
    for (int k = 0; k < 10; k++)
        col[k] = rcsv_col(c, names[k]);
    const int cy = rcsv_col(c, "year"), cc = rcsv_col(c, "country");
    const char *year = last_year(c, cy), *codes[4096];
    size_t C = 0;
    int rc = 1;
    const size_t cap = c->nrow + 1;
    /* per country: VA, VA in GVCs, final goods, in GVCs, Σ va·upstream, Σ va·downstream */
    double *a = calloc(cap * 6, sizeof *a), *key = malloc(cap * sizeof *key);
    size_t *idx = malloc(cap * sizeof *idx);
    if (!a || !key || !idx)
        goto oom;
    for (size_t r = 0; r < c->nrow; r++) {
        if (year && strcmp(rcsv_get(c, r, cy), year))
            continue;
        double v[10];
        for (int k = 0; k < 10; k++) {
            if (rcsv_num(c, r, col[k], &v[k], err, errsz))
                goto out;
            if (isnan(v[k]))
                v[k] = 0;
        }
        size_t q = code_index(codes, &C, cap < 4096 ? cap : 4096, rcsv_get(c, r, cc));
        if (q == (size_t)-1)
            continue;
        const double va = v[0] + v[1] + v[2] + v[3];
        a[q] += va;
        a[cap + q] += v[2] + v[3];
        a[2 * cap + q] += v[4] + v[5] + v[6] + v[7];
        a[3 * cap + q] += v[6] + v[7];
        a[4 * cap + q] += va * v[8];
        a[5 * cap + q] += va * v[9];
    }
    const size_t nb = C < MAXROWS ? C : MAXROWS;
    /* 1. participation: forward (VA) and backward (final goods) shares in GVCs */
    for (size_t q = 0; q < C; q++)
        key[q] = a[q] > 0 ? a[cap + q] / a[q] : NAN;
    order_desc(idx, key, C);
    chart *ch = add_chart(L, "participation", CH_GROUPED, nb, 2, 0, 0);
    if (!ch)
        goto oom;
    strcpy(L->file[L->n - 1], "gvc position");
    titles(ch, "GVC participation by country (Wang, Wei, Yu & Zhu 2017)", NULL, year);
    snprintf(ch->guide, sizeof ch->guide, "Forward: share of the country's value added that crosses two or more "
             "borders; backward: share of its final goods using such value added.");
    snprintf(ch->unit, sizeof ch->unit, "%%");
    ch->mult = 100;
    ch->dec = 2;
    if (nb < C)
        snprintf(ch->note, sizeof ch->note, "the %zu highest forward shares of %zu countries (all are in the CSV)", nb,
                 C);
    if (!(ch->sname[0] = xdup("forward (% of value added)")) || !(ch->sname[1] = xdup("backward (% of final goods)")))
        goto oom;
    for (size_t i = 0; i < nb; i++) {
        const size_t q = idx[i];
        if (!(ch->label[i] = xdup(codes[q])))
            goto oom;
        ch->v[i] = key[q];
        ch->v[nb + i] = a[2 * cap + q] > 0 ? a[3 * cap + q] / a[2 * cap + q] : NAN;
    }
    /* 2. upstreamness and downstreamness, value-added-weighted means over sectors */
    for (size_t q = 0; q < C; q++)
        key[q] = a[q] > 0 ? a[4 * cap + q] / a[q] : NAN;
    order_desc(idx, key, C);
    chart *up = add_chart(L, "upstreamness", CH_GROUPED, nb, 2, 0, 0);
    if (!up)
        goto oom;
    strcpy(L->file[L->n - 1], "gvc position");
    titles(up, "Position in value chains: upstreamness and downstreamness by country", NULL, year);
    snprintf(up->guide, sizeof up->guide, "Stages from the country's output to final users (upstream) and from "
             "primary inputs to it (downstream); 1 = one step. Means weighted by value added.");
    snprintf(up->unit, sizeof up->unit, "production stages");
    up->dec = 3;
    if (nb < C)
        snprintf(up->note, sizeof up->note, "the %zu most upstream of %zu countries (all are in the CSV)", nb, C);
    if (!(up->sname[0] = xdup("upstreamness (Antras et al. 2012)")) ||
        !(up->sname[1] = xdup("downstreamness")))
        goto oom;
    for (size_t i = 0; i < nb; i++) {
        const size_t q = idx[i];
        if (!(up->label[i] = xdup(codes[q])))
            goto oom;
        up->v[i] = key[q];
        up->v[nb + i] = a[q] > 0 ? a[5 * cap + q] / a[q] : NAN;
    }
    rc = 0;
    goto out;
oom:
    rc = OOM(err, errsz, c);
out:
    free(a);
    free(key);
    free(idx);
    return rc;
}
