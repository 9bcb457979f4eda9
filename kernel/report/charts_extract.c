/* charts_extract.c -- the charts of wiot extract's CSV (hypothetical extraction:
 * output lost by country-sector, three ways). METHODS.md §5, §8. */
#define _GNU_SOURCE
#include "charts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int charts_extract(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
{
    const int cc = rcsv_col(c, "country"), cse = rcsv_col(c, "sector"), cx = rcsv_col(c, "output");
    const int col[3] = {rcsv_col(c, "lost"), rcsv_col(c, "lost_with_final"), rcsv_col(c, "lost_ghosh")};
    static const char *const sname[3] = {"upstream", "upstream+final", "downstream (Ghosh)"};
    const size_t n = c->nrow;
    const char *countries[4096];
    size_t C = distinct(c, cc, countries, 4096);
    char src[256], *srcc[32];
    size_t nsrc = source_countries(pv, src, sizeof src, srcc, 32);
    int rc = 1;
    double *v = malloc((n ? n : 1) * 4 * sizeof *v), *byc = calloc((C ? C : 1) * 4, sizeof *byc);
    double *key = malloc((n > C ? n : C ? C : 1) * sizeof *key);
    size_t *idx = malloc((n > C ? n : C ? C : 1) * sizeof *idx), *ci = malloc((n ? n : 1) * sizeof *ci);
    if (!v || !byc || !key || !idx || !ci)
        goto oom;
    /* v: lost, lost_with_final, lost_ghosh, output per row; byc: their sums by country */
    for (size_t r = 0; r < n; r++) {
        for (int k = 0; k < 3; k++)
            if (rcsv_num(c, r, col[k], &v[(size_t)k * n + r], err, errsz))
                goto out;
        if (rcsv_num(c, r, cx, &v[3 * n + r], err, errsz))
            goto out;
        size_t q = 0;
        while (q < C && strcmp(countries[q], rcsv_get(c, r, cc)))
            q++;
        ci[r] = q;
        for (int k = 0; k < 4 && q < C; k++)
            if (!isnan(v[(size_t)k * n + r]))
                byc[(size_t)k * C + q] += v[(size_t)k * n + r];
    }
    const char *outside = nsrc ? " outside the source" : "";
    /* 1. output lost by country, three ways, ranked by upstream+final */
    for (size_t q = 0; q < C; q++)
        key[q] = is_source(countries[q], srcc, nsrc) ? NAN : byc[C + q];
    order_desc(idx, key, C);
    size_t shown = 0;
    for (size_t q = 0; q < C; q++)
        shown += !isnan(key[q]);
    size_t nb = shown < 25 ? shown : 25;
    chart *ch = add_chart(L, "by_country", CH_GROUPED, nb, 3, 0, 0);
    if (!ch)
        goto oom;
    strcpy(L->file[L->n - 1], "extract");
    snprintf(ch->title, sizeof ch->title, "Output lost by country%s", outside);
    if (pv && pv->source)
        snprintf(ch->sub, sizeof ch->sub, "source %s stops supplying its buyers", pv->source);
    snprintf(ch->guide, sizeof ch->guide, "Upstream: what fed the source's lost sales; +final: its sales to final "
             "users too; downstream: buyers losing the inputs (Ghosh).");
    snprintf(ch->unit, sizeof ch->unit, "millions of USD");
    ch->dec = 1;
    for (int k = 0; k < 3; k++)
        if (!(ch->sname[k] = xdup(sname[k])))
            goto oom;
    for (size_t i = 0; i < nb; i++) {
        if (!(ch->label[i] = xdup(countries[idx[i]])))
            goto oom;
        for (int k = 0; k < 3; k++)
            ch->v[(size_t)k * nb + i] = byc[(size_t)k * C + idx[i]];
    }
    /* 2. the country-sectors losing most (upstream+final), as the terminal's list */
    for (size_t r = 0; r < n; r++)
        key[r] = is_source(rcsv_get(c, r, cc), srcc, nsrc) ? NAN : v[n + r];
    order_desc(idx, key, n);
    shown = 0;
    for (size_t r = 0; r < n; r++)
        shown += !isnan(key[r]);
    nb = shown < TOP ? shown : TOP;
    chart *cs = add_chart(L, "top_sectors", CH_BARS, nb, 1, 0, 0);
    if (!cs)
        goto oom;
    strcpy(L->file[L->n - 1], "extract");
    snprintf(cs->title, sizeof cs->title, "Country-sectors%s losing most output (upstream+final)", outside);
    snprintf(cs->sub, sizeof cs->sub, "%s", ch->sub);
    snprintf(cs->guide, sizeof cs->guide, "Output that would be lost, at base-year prices; the label gives the share "
             "of the country-sector's output.");
    snprintf(cs->unit, sizeof cs->unit, "millions of USD");
    cs->dec = 1;
    for (size_t i = 0; i < nb; i++) {
        size_t r = idx[i];
        char lab[220], nb2[128], pc[32];
        const char *sec = rcsv_get(c, r, cse);
        const char *nm = pv && pv->sector_name ? pv->sector_name(sec, nb2, sizeof nb2) : NULL;
        fmt_num(pc, sizeof pc, v[3 * n + r] > 0 ? v[n + r] / v[3 * n + r] : NAN, 100, 2);
        snprintf(lab, sizeof lab, "%s_%s%s%s (%s %%)", rcsv_get(c, r, cc), sec, nm ? " " : "",
                 nm ? clip_name(nm, 20, nb2) : "", pc);
        if (!(cs->label[i] = xdup(lab)))
            goto oom;
        cs->v[i] = v[n + r];
    }
    /* 3. the map: share of each country's output lost (upstream+final); the source grey */
    chart *mp = add_map(L, C, "extract");
    if (!mp)
        goto oom;
    snprintf(mp->title, sizeof mp->title, "Share of each country's output lost (upstream+final)");
    snprintf(mp->sub, sizeof mp->sub, "%s", ch->sub);
    snprintf(mp->guide, sizeof mp->guide, "Darker = a larger share of the country's output depends on the source's "
             "sales (5 classes, each a fifth of the countries)%s.", nsrc ? "; grey: the source" : "");
    snprintf(mp->unit, sizeof mp->unit, "%% of output");
    mp->dec = 2;
    for (size_t q = 0; q < C; q++) {
        if (!(mp->label[q] = xdup(countries[q])))
            goto oom;
        mp->v[q] = byc[3 * C + q] > 0 ? byc[C + q] / byc[3 * C + q] : NAN;
        mp->cls[q] = is_source(countries[q], srcc, nsrc);
    }
    rc = 0;
    goto out;
oom:
    rc = OOM(err, errsz, c);
out:
    free(v);
    free(byc);
    free(key);
    free(idx);
    free(ci);
    return rc;
}
