/* report.c -- the report of a run: which charts each kind of wiot CSV gets (the KINDS
 * table at the end of this file: a CSV header signature and a function that turns
 * the CSV into charts), the provenance block from run.json, and report.html.
 *
 * Adding a command's charts: write `static int charts_CMD(const rcsv *c, const
 * report_prov *pv, chart_list *out, char *err, size_t errsz)` that reads the CSV's
 * columns with col()/num() and fills charts with add_chart() (see charts_tiva, ~40
 * lines), then add one row {name, required columns, an excluded column, function} to
 * KINDS. The command calls cli_report() after writing its CSVs (kernel/cli_report.c). */
#define _GNU_SOURCE
#include "report.h"
#include "wiot.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_CHARTS = REPORT_MAX_CHARTS, TOP = 20 };

static chart *add_chart(chart_list *L, const char *id, int kind, size_t n, size_t ns, int band, int x)
{
    if (L->n == MAX_CHARTS)
        return NULL;
    chart *ch = &L->ch[L->n];
    memset(ch, 0, sizeof *ch);
    snprintf(ch->id, sizeof ch->id, "%s", id);
    ch->kind = kind;
    ch->mult = 1;
    if (chart_alloc(ch, n, ns, band, x)) {
        chart_free(ch);
        return NULL;
    }
    L->n++;
    return ch;
}

static char *dup(const char *s)
{
    size_t l = strlen(s) + 1;
    char *p = malloc(l);
    if (p)
        memcpy(p, s, l);
    return p;
}

#define OOM(e, sz, c) (snprintf(e, sz, "%s: out of memory", (c)->path), 1)

static int role_of(const char *s)
{
    if (!strcmp(s, "imposer"))
        return 1;
    if (!strcmp(s, "target"))
        return 2;
    if (!strcmp(s, "imposer+target"))
        return 3;
    return 0;
}

/* distinct values of a column in order of first appearance (at most max) */
static size_t distinct(const rcsv *c, int col, const char **out, size_t max)
{
    size_t n = 0;
    if (col < 0)
        return 0;
    for (size_t r = 0; r < c->nrow; r++) {
        const char *v = rcsv_get(c, r, col);
        size_t k = 0;
        while (k < n && strcmp(out[k], v))
            k++;
        if (k == n && n < max)
            out[n++] = v;
    }
    return n;
}

/* indices 0..n-1 sorted by key descending (NAN last), ties in input order */
static void order_desc(size_t *idx, const double *key, size_t n)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t i = 1; i < n; i++) {   /* insertion sort: n is a few thousand at most here */
        size_t t = idx[i], j = i;
        double kt = isnan(key[t]) ? -INFINITY : key[t];
        while (j > 0 && (isnan(key[idx[j - 1]]) ? -INFINITY : key[idx[j - 1]]) < kt) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = t;
    }
}

/* the first country-level chart of a (scenario, year) subset: one row per country */
typedef struct subset {
    size_t *row;   /* CSV rows, one per country */
    size_t n;
} subset;

static int pick(const rcsv *c, int cs, const char *scen, int cy, const char *year, subset *s)
{
    s->n = 0;
    s->row = malloc((c->nrow ? c->nrow : 1) * sizeof *s->row);
    if (!s->row)
        return 1;
    for (size_t r = 0; r < c->nrow; r++)
        if ((cs < 0 || !strcmp(rcsv_get(c, r, cs), scen)) && (cy < 0 || !strcmp(rcsv_get(c, r, cy), year)))
            s->row[s->n++] = r;
    return 0;
}

/* a column of the subset as numbers (NAN when empty); 1 on a bad number */
static int column(const rcsv *c, const subset *s, int col, double *v, char *err, size_t errsz)
{
    for (size_t i = 0; i < s->n; i++)
        if (rcsv_num(c, s->row[i], col, &v[i], err, errsz))
            return 1;
    return 0;
}

/* the title, and the scenario (and year) on the line under it */
static void titles(chart *ch, const char *what, const char *scen, const char *year)
{
    snprintf(ch->title, sizeof ch->title, "%s", what);
    if (scen || year)
        snprintf(ch->sub, sizeof ch->sub, "%s%s%s%s", scen ? "scenario " : "", scen ? scen : "",
                 year ? (scen ? ", table year " : "table year ") : "", year ? year : "");
}

/* ---------------------------------------------------------------- tariff */
static int charts_tariff_countries(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
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
                    ch->sname[k] = dup(rcsv_get(c, sy.row[o2[k]], cc));
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
            ch->sname[q] = dup(scen[q]);
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
                if (!(ch->label[i] = dup(rcsv_get(c, s.row[idx[i]], cc))))
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
        chart *ch = add_chart(L, "consumer_prices", two ? CH_GROUPED : CH_BARS, C, two ? 2 : 1, 0, 0);
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
            ch->sname[0] = dup("exact");
            ch->sname[1] = dup("first-order");
            if (!ch->sname[0] || !ch->sname[1])
                goto oom;
        }
        order_desc(idx, p, C);
        for (size_t i = 0; i < C; i++) {
            size_t r = s.row[idx[i]];
            if (!(ch->label[i] = dup(rcsv_get(c, r, cc))))
                goto oom;
            ch->cls[i] = role_of(rcsv_get(c, r, cr));
            ch->v[i] = p[idx[i]];
            if (two)
                ch->v[C + i] = fo[idx[i]];
        }
    }
    if (nscen >= 1) {
        /* the world map of consumer prices (first scenario, last year) */
        chart *ch = add_chart(L, "map", CH_MAP, C, 1, 0, 0);
        if (!ch)
            goto oom;
        strcpy(L->file[L->n - 1], "tariff");
        titles(ch, "Consumer-price change, world map", scen[0], y_last);
        snprintf(ch->guide, sizeof ch->guide, "Red: the consumer basket gets dearer, blue: cheaper; darker = larger "
                 "change (5 equal steps up to the largest).");
        snprintf(ch->unit, sizeof ch->unit, "%%");
        ch->mult = 100;
        ch->dec = 4;
        for (size_t i = 0; i < C; i++) {
            if (!(ch->label[i] = dup(rcsv_get(c, s.row[i], cc))))
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
        ch->sname[0] = dup("extra input cost");
        ch->sname[1] = dup("tariff revenue");
        if (!ch->sname[0] || !ch->sname[1])
            goto oom;
        order_desc(idx, cost, C);
        for (size_t i = 0; i < n; i++) {
            if (!(ch->label[i] = dup(rcsv_get(c, s.row[idx[i]], cc))))
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
            if (!(bs->label[k] = dup(rn[order[k]])))
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

static int charts_tariff_prices(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
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
    ch->sname[k++] = dup("direct");
    if (has_cu) {
        ser[k] = cum;
        ch->sname[k++] = dup("first-order");
    }
    if (has_ex) {
        ser[k] = ex;
        ch->sname[k++] = dup("exact");
    }
    for (size_t q = 0; q < ns; q++)
        if (!ch->sname[q])
            goto oom;
    for (size_t i = 0; i < top; i++) {
        size_t r = s.row[idx[i]];
        char lab[200], nb[128];
        const char *sec = rcsv_get(c, r, cse);
        const char *nm = pv && pv->sector_name ? pv->sector_name(sec, nb, sizeof nb) : NULL;
        snprintf(lab, sizeof lab, "%s_%s%s%.24s", rcsv_get(c, r, cc), sec, nm ? " " : "", nm ? nm : "");
        if (!(ch->label[i] = dup(lab)))
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

/* ----------------------------------------------------------------- sweep */
static int charts_sweep_scale(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
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
        if (!(ch->sname[k] = dup(countries[idx[k]])))
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
    if (!(tc->sname[0] = dup("third countries")))
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

static int charts_sweep_draws(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
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
    chart *ch = add_chart(L, "draws", CH_BAND, C, 1, 1, 0);
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
    for (size_t i = 0; i < C; i++) {
        size_t r = idx[i];
        if (!(ch->label[i] = dup(rcsv_get(c, r, cc))))
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
static int charts_content(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
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
    order_desc(idx, sh, n);
    size_t top = n < 25 ? n : 25;
    chart *ch = add_chart(L, "top_products", CH_BARS, top, 1, 0, 0);
    if (!ch)
        goto oom;
    strcpy(L->file[L->n - 1], "content");
    snprintf(ch->title, sizeof ch->title, "Products with the highest content of the source");
    snprintf(ch->guide, sizeof ch->guide, "Share of each product's value that comes from the source, directly or "
             "upstream; %s.", nt ? "dashed lines: thresholds, highlighted bars cross the first" : "top 25");
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
        snprintf(lab, sizeof lab, "%s_%s%s%.24s", rcsv_get(c, r, cc), sec, nm ? " " : "", nm ? nm : "");
        if (!(ch->label[i] = dup(lab)))
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
            bad = !(cr->sname[t] = dup(nm));
        }
        for (size_t i = 0; i < nc && !bad; i++) {
            bad = !(cr->label[i] = dup(countries[o2[i]]));
            for (size_t t = 0; t < nt; t++)
                cr->v[t * nc + i] = cnt[t * C + o2[i]];
        }
        free(o2);
        if (bad)
            goto oom;
    }
    chart *mp = add_chart(L, "map", CH_MAP, C, 1, 0, 0);
    if (!mp)
        goto oom;
    strcpy(L->file[L->n - 1], "content");
    snprintf(mp->title, sizeof mp->title, "Highest content share among each country's products");
    snprintf(mp->guide, sizeof mp->guide, "Darker = some product made in the country holds more of the source's "
             "value (5 equal steps up to the largest).");
    snprintf(mp->unit, sizeof mp->unit, "%%");
    mp->mult = 100;
    mp->dec = 4;
    for (size_t k = 0; k < C; k++) {
        if (!(mp->label[k] = dup(countries[k])))
            goto oom;
        mp->v[k] = mx[k];
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

static int charts_tiva(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz)
{
    const int cc = rcsv_col(c, "country"), cse = rcsv_col(c, "sector"), cf = rcsv_col(c, "fva_share"),
              cw = rcsv_col(c, "forward_share");
    const size_t n = c->nrow, top = cse >= 0 ? (n < 25 ? n : 25) : n;
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
        ch->mult = 100;
        ch->dec = 2;
        for (size_t i = 0; i < top; i++) {
            size_t r = idx[i];
            char lab[200], nb[128];
            const char *nm = NULL;
            if (cse >= 0)
                nm = pv && pv->sector_name ? pv->sector_name(rcsv_get(c, r, cse), nb, sizeof nb) : NULL;
            snprintf(lab, sizeof lab, "%s%s%s%s%.24s", rcsv_get(c, r, cc), cse >= 0 ? "_" : "",
                     cse >= 0 ? rcsv_get(c, r, cse) : "", nm ? " " : "", nm ? nm : "");
            if (!(ch->label[i] = dup(lab)))
                goto oom;
            ch->v[i] = v[(size_t)k * n + r];
        }
    }
    if (cse < 0) {
        chart *mp = add_chart(L, "map", CH_MAP, n, 1, 0, 0);
        if (!mp)
            goto oom;
        strcpy(L->file[L->n - 1], "tiva");
        snprintf(mp->title, sizeof mp->title, "Foreign value added in gross exports, world map");
        snprintf(mp->guide, sizeof mp->guide, "Darker = a larger share of the country's exports is value added "
                 "abroad (5 equal steps up to the largest).");
        snprintf(mp->unit, sizeof mp->unit, "%%");
        mp->mult = 100;
        mp->dec = 2;
        for (size_t i = 0; i < n; i++) {
            if (!(mp->label[i] = dup(rcsv_get(c, i, cc))))
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

/* ------------------------------------------------------------- the table */
typedef int (*chart_fn)(const rcsv *, const report_prov *, chart_list *, char *, size_t);
static const struct kind {
    const char *name;
    const char *cols;      /* required columns, ",a,b," */
    const char *without;   /* a column that must be absent (or NULL) */
    chart_fn fn;
} KINDS[] = {
    {"tariff countries", ",scenario,country,role,consumer_price,extra_cost_musd,tariff_revenue_musd,", "scale",
     charts_tariff_countries},
    {"tariff prices", ",scenario,country,sector,direct,cumulative,exact,", NULL, charts_tariff_prices},
    {"sweep --scale", ",scenario,scale,country,role,consumer_price,extra_cost_musd,", NULL, charts_sweep_scale},
    {"sweep --draws", ",scenario,country,role,draws,q05,q50,q95,", NULL, charts_sweep_draws},
    {"content", ",country,sector,share,", NULL, charts_content},
    {"tiva", ",country,exports,dva,fva,fva_share,forward_share,", NULL, charts_tiva},
    /* ge, gvc: add a row here (see the top of this file) */
};

static const struct kind *kind_of(const rcsv *c)
{
    for (size_t k = 0; k < sizeof KINDS / sizeof *KINDS; k++) {
        const char *p = KINDS[k].cols + 1;
        int ok = 1;
        while (ok && *p) {
            const char *q = strchr(p, ',');
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(q - p), p);
            ok = rcsv_col(c, name) >= 0;
            p = q + 1;
        }
        if (ok && KINDS[k].without && rcsv_col(c, KINDS[k].without) >= 0)
            ok = 0;
        if (ok)
            return &KINDS[k];
    }
    return NULL;
}

const char *report_kind(const rcsv *c)
{
    const struct kind *k = kind_of(c);
    return k ? k->name : NULL;
}

void chart_list_free(chart_list *L)
{
    for (size_t i = 0; i < L->n; i++)
        chart_free(&L->ch[i]);
    L->n = 0;
}

int report_csv_charts(const rcsv *c, const char *stem, const report_prov *pv, chart_list *L, const char **kind,
                      char *err, size_t errsz)
{
    const struct kind *k = kind_of(c);
    *kind = k ? k->name : NULL;
    if (!k)
        return 0;
    size_t first = L->n;
    if (k->fn(c, pv, L, err, errsz))
        return 1;
    for (size_t i = first; i < L->n; i++) {
        char id[128];
        snprintf(id, sizeof id, "%.60s_%.60s", stem, L->ch[i].id);
        for (char *p = id; *p; p++)   /* an id and a file name: letters, digits, _ - . */
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                  *p == '-' || *p == '.'))
                *p = '_';
        memcpy(L->ch[i].id, id, sizeof id);
    }
    return 0;
}
