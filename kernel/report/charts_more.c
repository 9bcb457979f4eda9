/* charts_more.c -- the charts of wiot sweep (--scale, --draws), content and tiva
 * outputs. kernel/METHODS.md §9. */
#define _GNU_SOURCE
#include "charts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------------- sweep */
int charts_sweep_scale(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
{
    (void)pv;
    const int cs = rcsv_col(c, "scenario"), ck = rcsv_col(c, "scale"), cc = rcsv_col(c, "country"),
              cr = rcsv_col(c, "role"), cp = rcsv_col(c, "consumer_price"), ce = rcsv_col(c, "extra_cost_musd");
    const char *countries[4096], *scen[1];
    size_t C = distinct(c, cc, countries, 4096);
    distinct(c, cs, scen, 1);
    if (!C || c->nrow % C)
        return 0;
    const size_t m = c->nrow / C;   /* scales, rows scale-major */
    int rc = 1;
    double *all = malloc(c->nrow * sizeof *all), *mx = calloc(C, sizeof *mx), *third = calloc(m, sizeof *third);
    size_t *idx = malloc(C * sizeof *idx);
    chart *ch = NULL, *tc = NULL;
    if (!all || !mx || !third || !idx)
        goto oom;
    for (size_t r = 0; r < c->nrow; r++) {
        double e;
        if (rcsv_num(c, r, cp, &all[r], err, errsz) || rcsv_num(c, r, ce, &e, err, errsz))
            goto out;
        size_t i = r % C;
        if (strcmp(rcsv_get(c, r, cc), countries[i])) {
            snprintf(err, errsz, "%s:%zu: rows are not in scale-major order (country '%s', expected '%s')", c->path,
                     c->lineno[r], rcsv_get(c, r, cc), countries[i]);
            goto out;
        }
        if (!isnan(all[r]) && fabs(all[r]) > mx[i])
            mx[i] = fabs(all[r]);
        if (role_of(rcsv_get(c, r, cr)))
            mx[i] = 1e6 + (double)(C - i);
        else if (!isnan(e))
            third[r / C] += e;
    }
    order_desc(idx, mx, C);
    if (!(ch = add_chart(L, "scale", CH_LINES, m, C < CH_MAXS ? C : CH_MAXS, 0, 1)))
        goto oom;
    strcpy(L->file[L->n - 1], "sweep --scale");
    titles(ch, "Consumer-price change against the tariff scale", scen[0], NULL);
    snprintf(ch->guide, sizeof ch->guide, "Every rate of the scenario times the scale (1 = as written); "
             "imposers, targets and the most affected third countries.");
    snprintf(ch->unit, sizeof ch->unit, "%%");
    snprintf(ch->xlabel, sizeof ch->xlabel, "scale factor on every tariff rate");
    ch->mult = 100;
    ch->dec = 4;
    for (size_t q = 0; q < m; q++) {
        double x;
        if (rcsv_num(c, q * C, ck, &x, err, errsz))
            goto out;
        ch->x[q] = x;
    }
    for (size_t k = 0; k < ch->ns; k++) {
        if (!(ch->sname[k] = xdup(countries[idx[k]])))
            goto oom;
        for (size_t q = 0; q < m; q++)
            ch->v[k * m + q] = all[q * C + idx[k]];
    }
    if (!(tc = add_chart(L, "scale_third", CH_LINES, m, 1, 0, 1)))
        goto oom;
    strcpy(L->file[L->n - 1], "sweep --scale");
    titles(tc, "Extra input cost of third countries against the scale", scen[0], NULL);
    snprintf(tc->guide, sizeof tc->guide, "What countries outside the dispute pay more for their inputs, "
             "at base-year flows.");
    snprintf(tc->unit, sizeof tc->unit, "millions of USD");
    snprintf(tc->xlabel, sizeof tc->xlabel, "scale factor on every tariff rate");
    tc->dec = 1;
    if (!(tc->sname[0] = xdup("third countries")))
        goto oom;
    for (size_t q = 0; q < m; q++) {
        tc->x[q] = ch->x[q];
        tc->v[q] = third[q];
    }
    rc = 0;
    goto out;
oom:
    rc = OOM(err, errsz, c);
out:
    free(all);
    free(mx);
    free(third);
    free(idx);
    return rc;
}

int charts_sweep_draws(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
{
    (void)pv;
    const int cs = rcsv_col(c, "scenario"), cc = rcsv_col(c, "country"), cr = rcsv_col(c, "role"),
              c5 = rcsv_col(c, "q05"), c50 = rcsv_col(c, "q50"), c95 = rcsv_col(c, "q95"), cd = rcsv_col(c, "draws");
    const size_t C = c->nrow;
    const char *scen[1];
    distinct(c, cs, scen, 1);
    int rc = 1;
    double *v = malloc((C ? C : 1) * 3 * sizeof *v), draws = NAN;
    size_t *idx = malloc((C ? C : 1) * sizeof *idx);
    if (!v || !idx)
        goto oom;
    for (size_t r = 0; r < C; r++)
        if (rcsv_num(c, r, c50, &v[r], err, errsz) || rcsv_num(c, r, c5, &v[C + r], err, errsz) ||
            rcsv_num(c, r, c95, &v[2 * C + r], err, errsz) || (r == 0 && rcsv_num(c, r, cd, &draws, err, errsz)))
            goto out;
    order_desc(idx, v, C);
    const size_t nb = C < MAXROWS ? C : MAXROWS;
    chart *ch = add_chart(L, "draws", CH_BAND, nb, 1, 1, 0);
    if (!ch)
        goto oom;
    strcpy(L->file[L->n - 1], "sweep --draws");
    titles(ch, "Consumer-price change under uncertain rates", C ? scen[0] : NULL, NULL);
    snprintf(ch->guide, sizeof ch->guide, "Dot: median over %.0f Monte Carlo draws of the rates; band: 5 %% to "
             "95 %% of the draws; colour: the country's role.", draws);
    snprintf(ch->unit, sizeof ch->unit, "%%");
    ch->mult = 100;
    ch->dec = 4;
    ch->colour = COL_ROLE;
    if (nb < C)
        snprintf(ch->note, sizeof ch->note, "the %zu largest medians of %zu countries (all are in the CSV)", nb, C);
    for (size_t i = 0; i < nb; i++) {
        size_t r = idx[i];
        if (!(ch->label[i] = xdup(rcsv_get(c, r, cc))))
            goto oom;
        ch->cls[i] = role_of(rcsv_get(c, r, cr));
        ch->v[i] = v[r];
        ch->lo[i] = v[C + r];
        ch->hi[i] = v[2 * C + r];
    }
    rc = 0;
    goto out;
oom:
    rc = OOM(err, errsz, c);
out:
    free(v);
    free(idx);
    return rc;
}

/* -------------------------------------------------------------- exposure */
int charts_content(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
{
    const int cc = rcsv_col(c, "country"), cse = rcsv_col(c, "sector"), csh = rcsv_col(c, "share");
    int thr[4];
    double tv[4];
    size_t nt = 0;
    for (size_t k = 0; k < c->ncol && nt < 4; k++)
        if (!strncmp(c->head[k], "crosses_", 8)) {
            char *e;
            tv[nt] = strtod(c->head[k] + 8, &e);
            if (*e || e == c->head[k] + 8)
                continue;
            thr[nt++] = (int)k;
        }
    const size_t n = c->nrow;
    const char *countries[4096];
    size_t C = distinct(c, cc, countries, 4096);
    int rc = 1;
    double *sh = malloc((n ? n : 1) * sizeof *sh), *mx = malloc((C ? C : 1) * sizeof *mx);
    double *cnt = calloc((C ? C : 1) * (nt ? nt : 1), sizeof *cnt);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!sh || !mx || !cnt || !idx)
        goto oom;
    for (size_t k = 0; k < C; k++)
        mx[k] = NAN;
    for (size_t r = 0; r < n; r++) {
        if (rcsv_num(c, r, csh, &sh[r], err, errsz))
            goto out;
        size_t k = 0;
        while (k < C && strcmp(countries[k], rcsv_get(c, r, cc)))
            k++;
        if (k < C && !isnan(sh[r]) && (isnan(mx[k]) || sh[r] > mx[k]))
            mx[k] = sh[r];
        for (size_t t = 0; t < nt && k < C; t++)
            cnt[t * C + k] += !strcmp(rcsv_get(c, r, thr[t]), "1");
    }
    /* the source's countries, when --source names plain country codes: the ranking is
     * then of products made outside them, as the terminal summary's */
    char src[256], *srcc[32];
    size_t nsrc = source_countries(pv, src, sizeof src, srcc, 32);
    double *key = malloc((n ? n : 1) * sizeof *key);
    if (!key)
        goto oom;
    size_t outside = 0;
    for (size_t r = 0; r < n; r++) {
        int in = 0;
        for (size_t k = 0; k < nsrc; k++)
            in |= !strcmp(rcsv_get(c, r, cc), srcc[k]);
        key[r] = in ? NAN : sh[r];
        outside += !in && !isnan(sh[r]);
    }
    order_desc(idx, key, n);
    free(key);
    size_t top = outside < 25 ? outside : 25;
    chart *ch = add_chart(L, "top_products", CH_BARS, top, 1, 0, 0);
    if (!ch)
        goto oom;
    strcpy(L->file[L->n - 1], "content");
    if (nsrc) {
        snprintf(ch->title, sizeof ch->title, "Products made outside the source countries with the highest content");
        snprintf(ch->sub, sizeof ch->sub, "source %s", pv->source);
    } else {
        snprintf(ch->title, sizeof ch->title, "Products with the highest content of the source");
        if (pv && pv->source)
            snprintf(ch->sub, sizeof ch->sub, "source %s", pv->source);
    }
    snprintf(ch->guide, sizeof ch->guide, "Share of each product's value from the source, directly or upstream%s.",
             nt ? "; dashed: thresholds, highlighted: crosses the first" : "");
    snprintf(ch->unit, sizeof ch->unit, "%% of the product's value");
    ch->mult = 100;
    ch->dec = 4;
    ch->colour = nt ? COL_HIGHLIGHT : COL_SERIES;
    ch->nmark = nt;
    for (size_t t = 0; t < nt; t++)
        ch->mark[t] = tv[t];
    for (size_t i = 0; i < top; i++) {
        size_t r = idx[i];
        char lab[200], nb[128];
        const char *sec = rcsv_get(c, r, cse);
        const char *nm = pv && pv->sector_name ? pv->sector_name(sec, nb, sizeof nb) : NULL;
        snprintf(lab, sizeof lab, "%s_%s%s%s", rcsv_get(c, r, cc), sec, nm ? " " : "", nm ? clip_name(nm, 24, nb) : "");
        if (!(ch->label[i] = xdup(lab)))
            goto oom;
        ch->v[i] = sh[r];
        ch->cls[i] = nt && !strcmp(rcsv_get(c, r, thr[0]), "1");
    }
    if (nt) {
        size_t *o2 = malloc((C ? C : 1) * sizeof *o2);
        if (!o2)
            goto oom;
        order_desc(o2, cnt, C);
        size_t nc = C < 25 ? C : 25;
        chart *cr = add_chart(L, "crossings", CH_GROUPED, nc, nt, 0, 0);
        if (!cr) {
            free(o2);
            goto oom;
        }
        strcpy(L->file[L->n - 1], "content");
        snprintf(cr->title, sizeof cr->title, "Products crossing each threshold, by country");
        snprintf(cr->guide, sizeof cr->guide, "How many of the country's products have a content share at or above "
                 "each threshold; top %zu countries.", nc);
        snprintf(cr->unit, sizeof cr->unit, "products");
        cr->dec = 0;
        int bad = 0;
        for (size_t t = 0; t < nt && !bad; t++) {
            char nm[64];
            snprintf(nm, sizeof nm, ">= %g %%", 100 * tv[t]);
            bad = !(cr->sname[t] = xdup(nm));
        }
        for (size_t i = 0; i < nc && !bad; i++) {
            bad = !(cr->label[i] = xdup(countries[o2[i]]));
            for (size_t t = 0; t < nt; t++)
                cr->v[t * nc + i] = cnt[t * C + o2[i]];
        }
        free(o2);
        if (bad)
            goto oom;
    }
    chart *mp = add_map(L, C, "content");
    if (!mp)
        goto oom;
    snprintf(mp->title, sizeof mp->title, "Highest content share among each country's products");
    snprintf(mp->guide, sizeof mp->guide, "Darker = some product made in the country holds more of the source's "
             "value (5 classes, each about a fifth of the countries).");
    snprintf(mp->unit, sizeof mp->unit, "%%");
    mp->dec = 4;
    if (nsrc)
        snprintf(mp->guide, sizeof mp->guide, "Darker = a product made there holds more of the source's value (5 "
                 "classes, each a fifth of the countries); grey: the source, off the scale.");
    for (size_t k = 0; k < C; k++) {
        if (!(mp->label[k] = xdup(countries[k])))
            goto oom;
        mp->v[k] = mx[k];
        for (size_t q = 0; q < nsrc; q++)   /* on a map, cls = 1: the source, off the colour scale */
            mp->cls[k] |= !strcmp(countries[k], srcc[q]);
    }
    rc = 0;
    goto out;
oom:
    rc = OOM(err, errsz, c);
out:
    free(sh);
    free(mx);
    free(cnt);
    free(idx);
    return rc;
}

int charts_tiva(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
{
    const int cc = rcsv_col(c, "country"), cse = rcsv_col(c, "sector"), cf = rcsv_col(c, "fva_share"),
              cw = rcsv_col(c, "forward_share");
    const size_t n = c->nrow, top = cse >= 0 ? (n < 25 ? n : 25) : n < MAXROWS ? n : MAXROWS;
    int rc = 1;
    double *v = malloc((n ? n : 1) * 2 * sizeof *v);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!v || !idx)
        goto oom;
    for (size_t r = 0; r < n; r++)
        if (rcsv_num(c, r, cf, &v[r], err, errsz) || rcsv_num(c, r, cw, &v[n + r], err, errsz))
            goto out;
    static const char *const ids[2] = {"fva_share", "forward_share"};
    static const char *const titles[2] = {"Foreign value added in gross exports (FVA share)",
                                          "Forward participation: value added in other countries' exports (DVX)"};
    static const char *const guides[2] = {"Share of the exports' value made abroad (backward participation); "
                                          "higher = more imported inputs in what it sells abroad.",
                                          "The country's value added inside other countries' exports, as a share "
                                          "of its own gross exports."};
    for (int k = 0; k < 2; k++) {
        order_desc(idx, v + (size_t)k * n, n);
        chart *ch = add_chart(L, ids[k], CH_BARS, top, 1, 0, 0);
        if (!ch)
            goto oom;
        strcpy(L->file[L->n - 1], cse >= 0 ? "tiva --by-sector" : "tiva");
        snprintf(ch->title, sizeof ch->title, "%s%s", titles[k], cse >= 0 ? ", top country-sectors" : "");
        snprintf(ch->guide, sizeof ch->guide, "%s", guides[k]);
        snprintf(ch->unit, sizeof ch->unit, "%% of gross exports");
        if (cse < 0 && top < n)
            snprintf(ch->note, sizeof ch->note, "the %zu largest of %zu countries (all are in the CSV and on the map)",
                     top, n);
        ch->mult = 100;
        ch->dec = 2;
        for (size_t i = 0; i < top; i++) {
            size_t r = idx[i];
            char lab[200], nb[128];
            const char *nm = NULL;
            if (cse >= 0)
                nm = pv && pv->sector_name ? pv->sector_name(rcsv_get(c, r, cse), nb, sizeof nb) : NULL;
            snprintf(lab, sizeof lab, "%s%s%s%s%s", rcsv_get(c, r, cc), cse >= 0 ? "_" : "",
                     cse >= 0 ? rcsv_get(c, r, cse) : "", nm ? " " : "", nm ? clip_name(nm, 24, nb) : "");
            if (!(ch->label[i] = xdup(lab)))
                goto oom;
            ch->v[i] = v[(size_t)k * n + r];
        }
    }
    if (cse < 0) {
        chart *mp = add_map(L, n, "tiva");
        if (!mp)
            goto oom;
        snprintf(mp->title, sizeof mp->title, "Foreign value added in gross exports, world map");
        snprintf(mp->guide, sizeof mp->guide, "Darker = a larger share of the country's exports is value added "
                 "abroad (5 classes, each about a fifth of the countries).");
        snprintf(mp->unit, sizeof mp->unit, "%%");
        mp->dec = 2;
        for (size_t i = 0; i < n; i++) {
            if (!(mp->label[i] = xdup(rcsv_get(c, i, cc))))
                goto oom;
            mp->v[i] = v[i];
        }
    }
    rc = 0;
    goto out;
oom:
    rc = OOM(err, errsz, c);
out:
    free(v);
    free(idx);
    return rc;
}

