/* charts_ge.c -- the charts of wiot ge's countries.csv (welfare, consumer prices
 * before and after substitution, a world map of welfare) and trade.csv (trade
 * diversion: each imposer's imports by origin). kernel/METHODS.md §9 (the report),
 * §10 (the model). Charts are of the CSV's first scenario (all are in the CSV). */
#define _GNU_SOURCE
#include "charts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "first of N scenarios" note */
static void scen_note(chart *ch, size_t nscen)
{
    if (nscen > 1)
        snprintf(ch->note, sizeof ch->note, "the first of %zu scenarios (all are in the CSV)", nscen);
}

/* the rows of s to show: all when at most MAXROWS, else the MAXROWS largest |v|;
 * returned in idx sorted by v descending; returns the count */
static size_t shown_rows(const double *v, size_t n, size_t *idx, double *tmp)
{
    size_t m = n;
    if (n > MAXROWS) {
        for (size_t i = 0; i < n; i++)
            tmp[i] = isnan(v[i]) ? NAN : fabs(v[i]);
        order_desc(idx, tmp, n);
        m = MAXROWS;
        for (size_t i = 0; i < n; i++)
            tmp[i] = NAN;
        for (size_t k = 0; k < m; k++)
            tmp[idx[k]] = v[idx[k]];
    } else {
        for (size_t i = 0; i < n; i++)
            tmp[i] = v[i];
    }
    order_desc(idx, tmp, n);
    return m;
}

int charts_ge_countries(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
{
    (void)pv;
    const int cs = rcsv_col(c, "scenario"), cc = rcsv_col(c, "country"), cw = rcsv_col(c, "welfare"),
              cp = rcsv_col(c, "price_index"), cf = rcsv_col(c, "consumer_price_fixed");
    const char *scen[4096];
    size_t nscen = distinct(c, cs, scen, 4096);
    if (nscen == 0)
        return 0;
    int rc = 1;
    subset s = {0};
    double *val = NULL;
    size_t *idx = NULL;
    if (pick(c, cs, scen[0], -1, NULL, &s))
        return OOM(err, errsz, c);
    const size_t C = s.n;
    if (!(val = malloc((C ? C : 1) * 4 * sizeof *val)) || !(idx = malloc((C ? C : 1) * sizeof *idx)))
        goto oom;
    double *w = val, *p = val + C, *f = val + 2 * C, *tmp = val + 3 * C;
    if (column(c, &s, cw, w, err, errsz) || column(c, &s, cp, p, err, errsz) || column(c, &s, cf, f, err, errsz))
        goto out;
    int fixed = 0;   /* consumer_price_fixed is empty for CP datasets */
    for (size_t i = 0; i < C; i++)
        fixed |= !isnan(f[i]);

    /* 1. welfare by country, diverging bars, largest gain first */
    size_t nb = shown_rows(w, C, idx, tmp);
    chart *ch = add_chart(L, "welfare", CH_BARS, nb, 1, 0, 0);
    if (!ch)
        goto oom;
    strcpy(L->file[L->n - 1], "ge");
    titles(ch, "Welfare change by country (general equilibrium)", scen[0], NULL);
    snprintf(ch->guide, sizeof ch->guide, "Exact change in real income (wages, tariff revenue, deficit) over the "
             "consumer price index; right/red: gains, left/blue: losses.");
    snprintf(ch->unit, sizeof ch->unit, "%% of real income");
    ch->mult = 100;
    ch->dec = 4;
    ch->colour = COL_SIGN;
    if (nb < C)
        snprintf(ch->note, sizeof ch->note, "the %zu largest changes of %zu countries (all are in the CSV and on the "
                 "map)", nb, C);
    else
        scen_note(ch, nscen);
    for (size_t i = 0; i < nb; i++) {
        size_t r = s.row[idx[i]];
        if (!(ch->label[i] = xdup(rcsv_get(c, r, cc))))
            goto oom;
        ch->v[i] = w[idx[i]];
    }

    /* 2. consumer prices after substitution (GE) beside before (fixed coefficients) */
    nb = shown_rows(p, C, idx, tmp);
    const size_t ns = fixed ? 2 : 1;
    chart *pc = add_chart(L, "prices", ns > 1 ? CH_GROUPED : CH_BARS, nb, ns, 0, 0);
    if (!pc)
        goto oom;
    strcpy(L->file[L->n - 1], "ge");
    titles(pc, "Consumer prices after and before substitution", scen[0], NULL);
    snprintf(pc->guide, sizeof pc->guide, "After: the GE consumer price index (relative to world value added, the "
             "numeraire)%s.", fixed ? "; before: wiot tariff's fixed-coefficient consumer prices" : "");
    snprintf(pc->unit, sizeof pc->unit, "%%");
    pc->mult = 100;
    pc->dec = 4;
    if (!(pc->sname[0] = xdup("after substitution (GE price index)")) ||
        (fixed && !(pc->sname[1] = xdup("before substitution (fixed coefficients)"))))
        goto oom;
    if (nb < C)
        snprintf(pc->note, sizeof pc->note, "the %zu largest GE changes of %zu countries (all are in the CSV)", nb, C);
    else
        scen_note(pc, nscen);
    for (size_t i = 0; i < nb; i++) {
        size_t r = s.row[idx[i]];
        if (!(pc->label[i] = xdup(rcsv_get(c, r, cc))))
            goto oom;
        pc->v[i] = p[idx[i]];
        if (fixed)
            pc->v[nb + i] = f[idx[i]];
    }

    /* 3. the world map of welfare */
    chart *mp = add_map(L, C, "ge");
    if (!mp)
        goto oom;
    titles(mp, "Welfare change, world map", scen[0], NULL);
    snprintf(mp->guide, sizeof mp->guide, "Red: real income rises, blue: it falls; darker = larger change (5 "
             "classes, each about a fifth of the countries).");
    snprintf(mp->unit, sizeof mp->unit, "%% of real income");
    mp->dec = 4;
    for (size_t i = 0; i < C; i++) {
        if (!(mp->label[i] = xdup(rcsv_get(c, s.row[i], cc))))
            goto oom;
        mp->v[i] = w[i];
    }
    if (2 * map_known(mp) < C) {   /* names, not codes (the CP2015 dataset: "Canada"): no map */
        chart_free(mp);
        L->n--;
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

/* index of code in list[0..n) starting the search at *hint (rows come importer-major) */
static size_t find_code(const char *const *list, size_t n, const char *code, size_t *hint)
{
    if (*hint < n && !strcmp(list[*hint], code))
        return *hint;
    for (size_t k = 0; k < n; k++)
        if (!strcmp(list[k], code))
            return *hint = k;
    return (size_t)-1;
}

enum { MAX_IMPOSERS = 4 };

/* The imposers of scenario `scen`: the countries with tariff revenue in the countries.csv
 * beside the trade CSV (none without new tariffs); without that file, every importer.
 * cand[k] = 1 for a candidate. Returns 0 or 1 (message in err). */
static int imposers(const rcsv *c, const char *scen, const char *const *codes, size_t C, unsigned char *cand,
                    char *err, size_t errsz)
{
    char path[1100];
    snprintf(path, sizeof path, "%s", c->path);
    char *sl = strrchr(path, '/');
    snprintf(sl ? sl + 1 : path, sizeof path - (size_t)(sl ? sl + 1 - path : 0), "countries.csv");
    FILE *probe = fopen(path, "r");
    if (!probe) {
        memset(cand, 1, C);
        return 0;
    }
    fclose(probe);
    rcsv k;
    memset(&k, 0, sizeof k);
    if (rcsv_load(path, &k, err, errsz))
        return 1;
    const int ks = rcsv_col(&k, "scenario"), kc = rcsv_col(&k, "country"), kr = rcsv_col(&k, "tariff_revenue_musd");
    int rc = 0;
    if (ks < 0 || kc < 0 || kr < 0) {
        memset(cand, 1, C);
    } else {
        memset(cand, 0, C);
        size_t hint = 0;
        for (size_t r = 0; r < k.nrow && !rc; r++) {
            double v;
            if (strcmp(rcsv_get(&k, r, ks), scen))
                continue;
            if (rcsv_num(&k, r, kr, &v, err, errsz)) {
                rc = 1;
                break;
            }
            size_t q = find_code(codes, C, rcsv_get(&k, r, kc), &hint);
            if (q != (size_t)-1 && !isnan(v) && v != 0)
                cand[q] = 1;
        }
    }
    rcsv_free(&k);
    return rc;
}

int charts_ge_trade(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
{
    (void)pv;
    const int cs = rcsv_col(c, "scenario"), ci = rcsv_col(c, "importer"), ce = rcsv_col(c, "exporter"),
              cb = rcsv_col(c, "base_musd"), cn = rcsv_col(c, "new_musd");
    const char *scen[4096], *codes[4096];
    size_t nscen = distinct(c, cs, scen, 4096);
    if (nscen == 0)
        return 0;
    /* the countries: importers and exporters, in order of first appearance */
    size_t C = 0;
    for (size_t r = 0; r < c->nrow && C < 4096; r++)
        for (int k = 0; k < 2 && C < 4096; k++) {
            const char *v = rcsv_get(c, r, k ? ce : ci);
            size_t q = 0;
            if (C && !strcmp(codes[C - 1], v))
                continue;
            while (q < C && strcmp(codes[q], v))
                q++;
            if (q == C)
                codes[C++] = v;
        }
    int rc = 1;
    double *base = calloc(C ? C * C : 1, sizeof *base), *nw = calloc(C ? C * C : 1, sizeof *nw);
    double *key = malloc((C ? C : 1) * 2 * sizeof *key);
    size_t *idx = malloc((C ? C : 1) * sizeof *idx);
    unsigned char *cand = malloc(C ? C : 1);
    if (!base || !nw || !key || !idx || !cand)
        goto oom;
    /* bilateral totals over sectors: base[d * C + i], imports of d from i */
    size_t hi = 0, he = 0;
    for (size_t r = 0; r < c->nrow; r++) {
        if (strcmp(rcsv_get(c, r, cs), scen[0]))
            continue;
        double b, a;
        if (rcsv_num(c, r, cb, &b, err, errsz) || rcsv_num(c, r, cn, &a, err, errsz))
            goto out;
        size_t d = find_code(codes, C, rcsv_get(c, r, ci), &hi), i = find_code(codes, C, rcsv_get(c, r, ce), &he);
        if (d == (size_t)-1 || i == (size_t)-1 || d == i)
            continue;   /* domestic purchases are no imports */
        base[d * C + i] += isnan(b) ? 0 : b;
        nw[d * C + i] += isnan(a) ? 0 : a;
    }
    if (imposers(c, scen[0], codes, C, cand, err, errsz))
        goto out;
    /* the imposers whose total imports change most (relative), at most MAX_IMPOSERS */
    for (size_t d = 0; d < C; d++) {
        double tb = 0, ta = 0;
        for (size_t i = 0; i < C; i++) {
            tb += base[d * C + i];
            ta += nw[d * C + i];
        }
        key[d] = cand[d] && tb > 0 && ta != tb ? fabs(ta - tb) / tb : NAN;
    }
    order_desc(idx, key, C);
    size_t ndiv = 0;
    while (ndiv < C && ndiv < MAX_IMPOSERS && !isnan(key[idx[ndiv]]))
        ndiv++;
    size_t chosen[MAX_IMPOSERS];
    memcpy(chosen, idx, ndiv * sizeof *idx);
    for (size_t q = 0; q < ndiv; q++) {
        const size_t d = chosen[q];
        double *chg = key, tb = 0, ta = 0;   /* key[0..C) reused: change by origin */
        for (size_t i = 0; i < C; i++) {
            chg[i] = i == d ? NAN : nw[d * C + i] - base[d * C + i];
            tb += base[d * C + i];
            ta += nw[d * C + i];
        }
        size_t shown = C - 1 < MAXROWS ? C - 1 : MAXROWS;
        if (C - 1 > MAXROWS) {   /* the largest changes either way */
            double *ab = key + C;
            for (size_t i = 0; i < C; i++)
                ab[i] = isnan(chg[i]) ? NAN : fabs(chg[i]);
            order_desc(idx, ab, C);
            for (size_t k = shown; k < C; k++)
                chg[idx[k]] = NAN;
        }
        order_desc(idx, chg, C);
        char id[96];
        snprintf(id, sizeof id, "diversion_%s", codes[d]);
        chart *ch = add_chart(L, id, CH_BARS, shown, 1, 0, 0);
        if (!ch)
            goto oom;
        strcpy(L->file[L->n - 1], "ge");
        char t0[32], t1[32];
        fmt_num(t0, sizeof t0, tb, 1, 0);
        fmt_num(t1, sizeof t1, ta, 1, 0);
        snprintf(ch->title, sizeof ch->title, "Trade diversion: change in %s's imports by origin", codes[d]);
        snprintf(ch->sub, sizeof ch->sub, "scenario %s; %s's imports %s -> %s millions of USD", scen[0], codes[d], t0,
                 t1);
        snprintf(ch->guide, sizeof ch->guide, "All sectors, net of tariffs; red: origins that sell more to %s "
                 "after the tariffs (trade diverted to them), blue: less.", codes[d]);
        snprintf(ch->unit, sizeof ch->unit, "millions of USD");
        ch->dec = 1;
        ch->colour = COL_SIGN;
        if (shown < C - 1)
            snprintf(ch->note, sizeof ch->note, "the %zu largest changes of %zu origins (all are in the CSV)", shown,
                     C - 1);
        else
            scen_note(ch, nscen);
        for (size_t i = 0; i < shown; i++) {
            if (!(ch->label[i] = xdup(codes[idx[i]])))
                goto oom;
            ch->v[i] = chg[idx[i]];
        }
    }
    rc = 0;
    goto out;
oom:
    rc = OOM(err, errsz, c);
out:
    free(base);
    free(nw);
    free(key);
    free(idx);
    free(cand);
    return rc;
}
