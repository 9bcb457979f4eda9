/* charts_tariff.c -- the charts of wiot tariff's countries.csv and prices.csv (one
 * scenario, several scenarios, several years). kernel/METHODS.md §9. */
#define _GNU_SOURCE
#include "charts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int charts_tariff_countries(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
{
    (void)pv;
    const int cy = rcsv_col(c, "year"), cs = rcsv_col(c, "scenario"), cc = rcsv_col(c, "country"),
              cr = rcsv_col(c, "role"), cp = rcsv_col(c, "consumer_price"), ce = rcsv_col(c, "extra_cost_musd"),
              cv = rcsv_col(c, "tariff_revenue_musd"), cf = rcsv_col(c, "consumer_price_first_order");
    const char *scen[CH_MAXS + 1], *years[64];
    size_t nscen = distinct(c, cs, scen, CH_MAXS + 1), nyear = distinct(c, cy, years, 64);
    if (nscen == 0)
        return 0;
    int rc = 1;
    subset s = {0};
    double *val = NULL;
    size_t *idx = NULL;
    const char *y_last = nyear ? years[nyear - 1] : NULL;
    if (pick(c, cs, scen[0], cy, y_last, &s))
        return OOM(err, errsz, c);
    const size_t C = s.n;
    if (!(val = malloc((C ? C : 1) * 4 * sizeof *val)) || !(idx = malloc((C ? C : 1) * sizeof *idx)))
        goto oom;
    double *p = val, *cost = val + C, *rev = val + 2 * C, *fo = val + 3 * C;
    if (column(c, &s, cp, p, err, errsz) || column(c, &s, ce, cost, err, errsz) ||
        column(c, &s, cv, rev, err, errsz) || (cf >= 0 && column(c, &s, cf, fo, err, errsz)))
        goto out;
    if (nyear > 1) {
        /* --years: consumer prices over the years, imposers/targets and the most affected */
        for (size_t q = 0; q < nscen && q < 4; q++) {
            subset sy = {0};
            chart *ch = add_chart(L, "years", CH_LINES, nyear, CH_MAXS, 0, 1);
            if (!ch)
                goto oom;
            strcpy(L->file[L->n - 1], "tariff, several years");
            titles(ch, "Consumer-price change over the years", scen[q], NULL);
            snprintf(ch->guide, sizeof ch->guide, "Each line is a country's consumer-price change under the "
                     "same tariffs applied to each year's table; higher = pricier basket.");
            snprintf(ch->unit, sizeof ch->unit, "%%");
            snprintf(ch->xlabel, sizeof ch->xlabel, "year of the table");
            ch->mult = 100;
            ch->dec = 4;
            ch->xint = 1;
            for (size_t y = 0; y < nyear; y++)
                ch->x[y] = strtod(years[y], NULL);
            /* series: countries ranked by their largest change over the years */
            if (pick(c, cs, scen[q], cy, years[nyear - 1], &sy))
                goto oom;
            size_t nc = sy.n;
            double *mx = calloc(nc ? nc : 1, sizeof *mx), *all = calloc((nc ? nc : 1) * nyear, sizeof *all);
            size_t *o2 = malloc((nc ? nc : 1) * sizeof *o2);
            if (!mx || !all || !o2) {
                free(mx);
                free(all);
                free(o2);
                free(sy.row);
                goto oom;
            }
            int bad = 0;
            for (size_t y = 0; y < nyear && !bad; y++) {
                subset s2 = {0};
                if (pick(c, cs, scen[q], cy, years[y], &s2)) {
                    bad = 2;
                    break;
                }
                for (size_t i = 0; i < nc && i < s2.n && !bad; i++) {
                    double v;
                    if (rcsv_num(c, s2.row[i], cp, &v, err, errsz))
                        bad = 1;
                    all[i * nyear + y] = v;
                    if (!isnan(v) && (fabs(v) > mx[i]))
                        mx[i] = fabs(v);
                    if (role_of(rcsv_get(c, s2.row[i], cr)))
                        mx[i] += 1e6;   /* imposers and targets first */
                }
                free(s2.row);
            }
            if (!bad) {
                order_desc(o2, mx, nc);
                ch->ns = nc < CH_MAXS ? nc : CH_MAXS;   /* allocated for CH_MAXS */
                for (size_t k = 0; k < ch->ns; k++) {
                    ch->sname[k] = xdup(rcsv_get(c, sy.row[o2[k]], cc));
                    if (!ch->sname[k])
                        bad = 2;
                    for (size_t y = 0; y < nyear; y++)
                        ch->v[k * nyear + y] = all[o2[k] * nyear + y];
                }
            }
            free(mx);
            free(all);
            free(o2);
            free(sy.row);
            if (bad == 1)
                goto out;
            if (bad)
                goto oom;
        }
    } else if (nscen > 1) {
        /* several scenarios: country x scenario grouped bars, the most affected countries */
        chart *ch = add_chart(L, "scenarios", CH_GROUPED, C < TOP ? C : TOP, nscen > CH_MAXS ? CH_MAXS : nscen, 0, 0);
        if (!ch)
            goto oom;
        strcpy(L->file[L->n - 1], "tariff, several scenarios");
        snprintf(ch->title, sizeof ch->title, "Consumer-price change by country and scenario");
        snprintf(ch->guide, sizeof ch->guide, "Bars: change of each country's consumer basket price under each "
                 "scenario; countries ranked by their largest change.");
        snprintf(ch->unit, sizeof ch->unit, "%%");
        ch->mult = 100;
        ch->dec = 4;
        double *all = calloc((C ? C : 1) * ch->ns, sizeof *all), *mx = calloc(C ? C : 1, sizeof *mx);
        if (!all || !mx) {
            free(all);
            free(mx);
            goto oom;
        }
        int bad = 0;
        for (size_t q = 0; q < ch->ns && !bad; q++) {
            subset s2 = {0};
            ch->sname[q] = xdup(scen[q]);
            if (!ch->sname[q] || pick(c, cs, scen[q], cy, y_last, &s2)) {
                bad = 2;
                break;
            }
            for (size_t i = 0; i < C && i < s2.n && !bad; i++) {
                if (rcsv_num(c, s2.row[i], cp, &all[q * C + i], err, errsz))
                    bad = 1;
                if (!isnan(all[q * C + i]) && fabs(all[q * C + i]) > mx[i])
                    mx[i] = fabs(all[q * C + i]);
            }
            free(s2.row);
        }
        if (!bad) {
            order_desc(idx, mx, C);
            for (size_t i = 0; i < ch->n && !bad; i++) {
                if (!(ch->label[i] = xdup(rcsv_get(c, s.row[idx[i]], cc))))
                    bad = 2;
                for (size_t q = 0; q < ch->ns; q++)
                    ch->v[q * ch->n + i] = all[q * C + idx[i]];
            }
        }
        if (nscen > CH_MAXS)
            snprintf(ch->note, sizeof ch->note, "the first %d scenarios of the file are drawn", CH_MAXS);
        free(all);
        free(mx);
        if (bad == 1)
            goto out;
        if (bad)
            goto oom;
    }
    if (nyear <= 1 && nscen == 1) {
        /* consumer prices by country, coloured by role (first-order beside exact when the
         * CSV has both) */
        int two = cf >= 0;
        const size_t nb = C < MAXROWS ? C : MAXROWS;
        chart *ch = add_chart(L, "consumer_prices", two ? CH_GROUPED : CH_BARS, nb, two ? 2 : 1, 0, 0);
        if (!ch)
            goto oom;
        strcpy(L->file[L->n - 1], "tariff");
        titles(ch, "Consumer-price change by country", scen[0], y_last);
        snprintf(ch->guide, sizeof ch->guide, "Bar length: change of the households' basket price incl. tariffs "
                 "on final goods; colour: the country's role in the scenario.");
        snprintf(ch->unit, sizeof ch->unit, "%%");
        ch->mult = 100;
        ch->dec = 4;
        ch->colour = two ? COL_SERIES : COL_ROLE;
        if (two) {
            ch->sname[0] = xdup("exact");
            ch->sname[1] = xdup("first-order");
            if (!ch->sname[0] || !ch->sname[1])
                goto oom;
        }
        if (nb < C)
            snprintf(ch->note, sizeof ch->note, "the %zu largest changes of %zu countries (all are in the CSV and on "
                     "the map)", nb, C);
        order_desc(idx, p, C);
        for (size_t i = 0; i < nb; i++) {
            size_t r = s.row[idx[i]];
            if (!(ch->label[i] = xdup(rcsv_get(c, r, cc))))
                goto oom;
            ch->cls[i] = role_of(rcsv_get(c, r, cr));
            ch->v[i] = p[idx[i]];
            if (two)
                ch->v[nb + i] = fo[idx[i]];
        }
    }
    if (nscen >= 1) {
        /* the world map of consumer prices (first scenario, last year) */
        chart *ch = add_map(L, C, "tariff");
        if (!ch)
            goto oom;
        titles(ch, "Consumer-price change, world map", scen[0], y_last);
        snprintf(ch->guide, sizeof ch->guide, "Red: the consumer basket gets dearer, blue: cheaper; darker = larger "
                 "change (5 classes, each about a fifth of the countries).");
        snprintf(ch->unit, sizeof ch->unit, "%%");
        ch->dec = 4;
        for (size_t i = 0; i < C; i++) {
            if (!(ch->label[i] = xdup(rcsv_get(c, s.row[i], cc))))
                goto oom;
            ch->v[i] = p[i];
        }
    }
    if (nyear <= 1 && nscen == 1) {
        /* extra input cost and tariff revenue by country */
        size_t n = C < TOP ? C : TOP;
        chart *ch = add_chart(L, "costs", CH_GROUPED, n, 2, 0, 0);
        if (!ch)
            goto oom;
        strcpy(L->file[L->n - 1], "tariff");
        titles(ch, "Extra input cost and tariff revenue by country", scen[0], y_last);
        snprintf(ch->guide, sizeof ch->guide, "Extra cost: what producers pay more for inputs at base-year "
                 "flows; revenue: duties collected. Top %zu by extra cost.", n);
        snprintf(ch->unit, sizeof ch->unit, "millions of USD");
        ch->dec = 1;
        ch->sname[0] = xdup("extra input cost");
        ch->sname[1] = xdup("tariff revenue");
        if (!ch->sname[0] || !ch->sname[1])
            goto oom;
        order_desc(idx, cost, C);
        for (size_t i = 0; i < n; i++) {
            if (!(ch->label[i] = xdup(rcsv_get(c, s.row[idx[i]], cc))))
                goto oom;
            ch->v[i] = cost[idx[i]];
            ch->v[n + i] = rev[idx[i]];
        }
        /* the burden split: extra cost by the paying country's role */
        chart *bs = add_chart(L, "burden", CH_BARS, 4, 1, 0, 0);
        if (!bs)
            goto oom;
        strcpy(L->file[L->n - 1], "tariff");
        titles(bs, "Burden split: extra input cost by role", scen[0], y_last);
        snprintf(bs->guide, sizeof bs->guide, "Who pays the extra input cost: the imposing and targeted countries, "
                 "or third countries along the supply chains.");
        snprintf(bs->unit, sizeof bs->unit, "millions of USD");
        bs->dec = 1;
        bs->colour = COL_ROLE;
        static const char *const rn[4] = {"third countries", "imposers", "targets", "imposers and targets"};
        static const int order[4] = {1, 2, 3, 0};
        for (size_t k = 0; k < 4; k++) {
            if (!(bs->label[k] = xdup(rn[order[k]])))
                goto oom;
            bs->cls[k] = order[k];
            bs->v[k] = 0;
        }
        for (size_t i = 0; i < C; i++) {
            int r = role_of(rcsv_get(c, s.row[i], cr));
            for (size_t k = 0; k < 4; k++)
                if (order[k] == r && !isnan(cost[i]))
                    bs->v[k] += cost[i];
        }
    }
    rc = 0;
    goto out;
oom:
    rc = OOM(err, errsz, c);
out:
    free(s.row);
    free(val);
    free(idx);
    return rc;
}

int charts_tariff_prices(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
{
    const int cy = rcsv_col(c, "year"), cs = rcsv_col(c, "scenario"), cc = rcsv_col(c, "country"),
              cse = rcsv_col(c, "sector"), cd = rcsv_col(c, "direct"), cu = rcsv_col(c, "cumulative"),
              ce = rcsv_col(c, "exact");
    const char *scen[1], *years[64];
    size_t nscen = distinct(c, cs, scen, 1), nyear = distinct(c, cy, years, 64);
    if (!nscen)
        return 0;
    subset s = {0};
    int rc = 1;
    double *v = NULL;
    size_t *idx = NULL;
    if (pick(c, cs, scen[0], cy, nyear ? years[nyear - 1] : NULL, &s))
        return OOM(err, errsz, c);
    const size_t n = s.n;
    if (!(v = malloc((n ? n : 1) * 3 * sizeof *v)) || !(idx = malloc((n ? n : 1) * sizeof *idx)))
        goto oom;
    double *d = v, *cum = v + n, *ex = v + 2 * n;
    if (column(c, &s, cd, d, err, errsz) || column(c, &s, cu, cum, err, errsz) || column(c, &s, ce, ex, err, errsz))
        goto out;
    int has_ex = 0, has_cu = 0;
    for (size_t i = 0; i < n; i++) {
        has_ex |= !isnan(ex[i]);
        has_cu |= !isnan(cum[i]);
    }
    order_desc(idx, has_ex ? ex : cum, n);
    size_t top = n < TOP ? n : TOP, ns = 1 + (size_t)has_cu + (size_t)has_ex;
    chart *ch = add_chart(L, "top_sectors", CH_GROUPED, top, ns, 0, 0);
    if (!ch)
        goto oom;
    strcpy(L->file[L->n - 1], "tariff");
    titles(ch, "Most affected country-sectors", scen[0], nyear ? years[nyear - 1] : NULL);
    snprintf(ch->guide, sizeof ch->guide, "Price change of each product: direct tariff cost, first-order "
             "cumulative (c = L^T d) and exact cascade; ranked by the %s change.", has_ex ? "exact" : "first-order");
    snprintf(ch->unit, sizeof ch->unit, "%%");
    ch->mult = 100;
    ch->dec = 4;
    size_t k = 0;
    const double *ser[3] = {d, NULL, NULL};
    ch->sname[k++] = xdup("direct");
    if (has_cu) {
        ser[k] = cum;
        ch->sname[k++] = xdup("first-order");
    }
    if (has_ex) {
        ser[k] = ex;
        ch->sname[k++] = xdup("exact");
    }
    for (size_t q = 0; q < ns; q++)
        if (!ch->sname[q])
            goto oom;
    for (size_t i = 0; i < top; i++) {
        size_t r = s.row[idx[i]];
        char lab[200], nb[128];
        const char *sec = rcsv_get(c, r, cse);
        const char *nm = pv && pv->sector_name ? pv->sector_name(sec, nb, sizeof nb) : NULL;
        snprintf(lab, sizeof lab, "%s_%s%s%s", rcsv_get(c, r, cc), sec, nm ? " " : "", nm ? clip_name(nm, 24, nb) : "");
        if (!(ch->label[i] = xdup(lab)))
            goto oom;
        for (size_t q = 0; q < ns; q++)
            ch->v[q * top + i] = ser[q][idx[i]];
    }
    rc = 0;
    goto out;
oom:
    rc = OOM(err, errsz, c);
out:
    free(s.row);
    free(v);
    free(idx);
    return rc;
}

