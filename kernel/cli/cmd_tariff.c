/* cmd_tariff.c -- wiot tariff: scenarios through the price model; prices, consumer
 * prices, costs, revenue, roles; --years and --map. */
#define _GNU_SOURCE
#include "wiot.h"

#include <cblas.h>
#include <errno.h>
#include <float.h>
#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_data.h"


/* ------------------------------------------------------------------ tariff */
/* the options tariff accepts beyond --format, --keep-splits, --max-memory, --help */
const char *const TARIFF_OPTS = ",t,s,n,o,threads,passthrough,method,top,quiet,years,map,content-measure,extensions,extensions-fd,extension,";
const char *const TARIFF_HELP =
    "usage: wiot tariff [-t TABLE] [-s SCENARIO_FILE]... [-n NAME]... [--passthrough R]\n"
    "                   [--method exact|first-order|both] [-o OUTDIR] [--top K] [--threads N]\n"
    "Runs tariff scenarios through the world input-output price model: direct tariff\n"
    "costs, first-order cumulative tariffs (c = L^T d) and the exact cascading model\n"
    "(I - A^T - E^T) dp = d; consumer and final users' prices per country, extra input\n"
    "costs and tariff revenue (millions of USD), with each country's role.\n"
    "  -s FILE      scenario file (CSV: scenario,imposer,target,sector,rate[,measure]);\n"
    "               repeatable. default: the built-in scenarios (data/scenarios/wiod2013);\n"
    "               list them with 'wiot scenarios'\n"
    "  -n NAME      scenario to run; A+B stacks A and B (rates add); repeatable, each -n\n"
    "               is a separate run. default: " DEFAULT_SCENARIO "\n"
    "  --passthrough R   share of tariffs passed on at every stage, 0..1 (default 1)\n"
    "  --method M   exact, first-order or both (default both)\n"
    "  -o OUTDIR    write OUTDIR/prices.csv and OUTDIR/countries.csv (atomically)\n"
    "  --top K      rows in the summary's rankings (default 10)\n"
    "  --quiet      no terminal summary (the files of -o are still written)\n"
    "  --map MAP    the scenarios' sectors are in another classification: MAP (CSV\n"
    "               code,group[,weight], or a shipped map's name such as\n"
    "               wiod2016_to_wiod2013) relates them to the table's; merged sectors get\n"
    "               the weighted mean of their rates (README.md, \"Scenario classifications\")\n"
    "  --years Y    run on several tables: FROM:TO or a comma list of WIOD 2013 years\n"
    "               (1995..2011, from the data folder) or of table files; the CSV files\n"
    "               then start with a year column\n"
    "  --content-measure M  shares behind content-based lines (measure on_content_of=,\n"
    "               except_content_of=, unless_content_of=): va (value-added content,\n"
    "               default) or gross (total requirements), README \"Content-based tariffs\"\n"
    "  --extensions-fd FILE  with --extensions: direct final-demand stressors (wiot footprint)\n"
    "  --extension NAME [--extensions FILE]  also report the stressor (jobs, CO2, ...; '*'\n"
    "               all) embodied in the imports each scenario taxes, by the country where\n"
    "               it occurs (kernel/METHODS.md §8.3; file layouts: wiot footprint --help)\n";

typedef struct run {
    const char *name;
    const wiot_table *t;
    int year;
    int owner;                 /* rank that computes it (campaigns) */
    wiot_result *r;
    double *fo_final;          /* first-order consumer prices C*K (when both) */
    unsigned char *fo_def;
} run;

typedef struct tariff_out {
    run *runs;
    int nruns;
    int with_year;   /* --years: a leading year column */
} tariff_out;

static void put_num(FILE *f, const double *a, size_t i)
{
    if (a)
        fprintf(f, ",%s", G(a[i]));
    else
        fputs(",", f);
}

static int write_prices(FILE *f, void *ud)
{
    const tariff_out *to = ud;
    fprintf(f, "%sscenario,country,sector,direct,cumulative,exact,extra_cost_musd\n", to->with_year ? "year," : "");
    for (int q = 0; q < to->nruns; q++) {
        const wiot_table *t = to->runs[q].t;
        const size_t n = wiot_table_n(t), S = wiot_table_sectors(t);
        const wiot_result *r = to->runs[q].r;
        const double *d = wiot_result_get(r, WIOT_R_DIRECT, NULL);
        const double *c = wiot_result_get(r, WIOT_R_CUMULATIVE, NULL);
        const double *e = wiot_result_get(r, WIOT_R_EXACT, NULL);
        const double *x = wiot_result_get(r, WIOT_R_EXTRA_COST, NULL);
        for (size_t i = 0; i < n; i++) {
            if (to->with_year)
                fprintf(f, "%d,", to->runs[q].year);
            fprintf(f, "%s,%s,%s", to->runs[q].name, wiot_table_country(t, i / S), wiot_table_sector(t, i % S));
            put_num(f, d, i);
            put_num(f, c, i);
            put_num(f, e, i);
            put_num(f, x, i);
            fputc('\n', f);
        }
    }
    return ferror(f) ? 1 : 0;
}

static int write_countries(FILE *f, void *ud)
{
    const tariff_out *to = ud;
    fprintf(f, "%sscenario,country,role,consumer_price,final_price_all,extra_cost_musd,tariff_revenue_musd\n",
            to->with_year ? "year," : "");
    for (int q = 0; q < to->nruns; q++) {
        const wiot_table *t = to->runs[q].t;
        const size_t C = wiot_table_countries(t), K = wiot_table_fd_categories(t);
        const wiot_result *r = to->runs[q].r;
        const double *fp = wiot_result_get(r, WIOT_R_FINAL_PRICE, NULL);
        const double *fd = wiot_result_get(r, WIOT_R_FINAL_DEFINED, NULL);
        const double *fa = wiot_result_get(r, WIOT_R_FINAL_ALL, NULL);
        const double *fad = wiot_result_get(r, WIOT_R_FINAL_ALL_DEFINED, NULL);
        const double *ce = wiot_result_get(r, WIOT_R_COUNTRY_EXTRA_COST, NULL);
        const double *rv = wiot_result_get(r, WIOT_R_REVENUE, NULL);
        const double *ro = wiot_result_get(r, WIOT_R_ROLE, NULL);
        for (size_t d = 0; d < C; d++) {
            if (to->with_year)
                fprintf(f, "%d,", to->runs[q].year);
            fprintf(f, "%s,%s,%s,", to->runs[q].name, wiot_table_country(t, d), role_name((int)ro[d]));
            if (K > 0 && fd[d * K])
                fprintf(f, "%s", G(fp[d * K]));
            fputc(',', f);
            if (fad[d])
                fprintf(f, "%s", G(fa[d]));
            fprintf(f, ",%s,%s\n", G(ce[d]), G(rv[d]));
        }
    }
    return ferror(f) ? 1 : 0;
}

static void print_country_row(const wiot_table *t, const run *rn, size_t d)
{
    const size_t K = wiot_table_fd_categories(t);
    const wiot_result *r = rn->r;
    const double *fp = wiot_result_get(r, WIOT_R_FINAL_PRICE, NULL);
    const double *fd = wiot_result_get(r, WIOT_R_FINAL_DEFINED, NULL);
    const double *fa = wiot_result_get(r, WIOT_R_FINAL_ALL, NULL);
    const double *ce = wiot_result_get(r, WIOT_R_COUNTRY_EXTRA_COST, NULL);
    const double *rv = wiot_result_get(r, WIOT_R_REVENUE, NULL);
    const double *ro = wiot_result_get(r, WIOT_R_ROLE, NULL);
    char cp[32] = "-", fo[32] = "-";
    if (K > 0 && fd[d * K])
        snprintf(cp, sizeof cp, "%.4f", 100 * fp[d * K]);
    if (rn->fo_final && K > 0 && rn->fo_def[d * K])
        snprintf(fo, sizeof fo, "%.4f", 100 * rn->fo_final[d * K]);
    printf("  %-5s %-15s %10s %12s %10.4f %14.1f %12.1f\n", wiot_table_country(t, d),
           role_name((int)ro[d]), cp, fo, 100 * fa[d], ce[d], rv[d]);
}

static void print_summary(const wiot_table *t, const run *rn, int top, const opts *o)
{
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t),
                 K = wiot_table_fd_categories(t);
    const wiot_result *r = rn->r;
    const wiot_result_summary *sm = wiot_result_summary_get(r);
    const double *ro = wiot_result_get(r, WIOT_R_ROLE, NULL);
    const double *fp = wiot_result_get(r, WIOT_R_FINAL_PRICE, NULL);
    const double *fd = wiot_result_get(r, WIOT_R_FINAL_DEFINED, NULL);
    const double *rv = wiot_result_get(r, WIOT_R_REVENUE, NULL);
    const double *ex = wiot_result_get(r, WIOT_R_EXACT, NULL);
    const double *cu = wiot_result_get(r, WIOT_R_CUMULATIVE, NULL);
    const double *di = wiot_result_get(r, WIOT_R_DIRECT, NULL);
    const double *pr = ex ? ex : cu;

    printf("\nScenario %s\n", rn->name);
    printf("  table %s; pass-through %.2f; model %s", wiot_table_name(t), sm->rho,
           sm->models == WIOT_BOTH ? "exact and first-order" : sm->models == WIOT_EXACT ? "exact" : "first-order");
    if (ex) {
        const char *mname = sm->exact.method == WIOT_METHOD_WOODBURY ? "Woodbury"
                            : sm->exact.method == WIOT_METHOD_ITERATION ? "fixed-point"
                            : sm->exact.method == WIOT_METHOD_DENSE ? "dense LU" : "LU";
        printf(" (%s, rank %zu, %d refinement/iteration steps, residual %.2g)", mname, sm->exact.rank,
               sm->exact.iterations, sm->exact.residual);
    }
    printf("\n\n  Price changes by country, %% (consumer = households' basket incl. tariffs on final goods)\n");
    printf("  %-5s %-15s %10s %12s %10s %14s %12s\n", "", "role", "consumer", "first-order", "all final",
           "extra cost $m", "revenue $m");
    /* imposers and targets first, then the most affected third countries, then the
     * ones readers ask about */
    size_t *idx = malloc((n > C ? n : C) * sizeof *idx);
    double *key = malloc((n > C ? n : C) * sizeof *key);
    char *shown = calloc(C ? C : 1, 1);
    if (!idx || !key || !shown) {
        free(idx);
        free(key);
        free(shown);
        return;
    }
    /* imposers, then targets, each sorted by the consumer-price change and cut at K */
    for (int role = WIOT_ROLE_IMPOSER; role <= WIOT_ROLE_TARGET; role++) {
        size_t count = 0;
        for (size_t d = 0; d < C; d++) {
            int rd = (int)ro[d];
            /* a country both imposer and target is listed with the imposers */
            int in = role == WIOT_ROLE_IMPOSER ? (rd & WIOT_ROLE_IMPOSER) != 0
                                               : rd == WIOT_ROLE_TARGET;
            key[d] = !in ? -INFINITY : (K > 0 && fd[d * K]) ? fp[d * K] : -DBL_MAX;
            count += in;
        }
        sort_desc(idx, C, key);
        size_t k = 0;
        for (size_t q = 0; q < C && k < (size_t)top; q++) {
            size_t d = idx[q];
            if (key[d] == -INFINITY)
                break;
            print_country_row(t, rn, d);
            shown[d] = 1;
            k++;
        }
        if (count > k)
            printf("  ... and %zu more %s (largest consumer-price change first; all in "
                   "countries.csv of -o)\n", count - k, role == WIOT_ROLE_IMPOSER ? "imposers" : "targets");
    }
    for (size_t d = 0; d < C; d++)
        key[d] = (ro[d] == 0 && K > 0 && fd[d * K]) ? fp[d * K] : -INFINITY;
    sort_desc(idx, C, key);
    printf("  third countries, most affected:\n");
    for (size_t q = 0, k = 0; q < C && k < (size_t)top; q++) {
        size_t d = idx[q];
        if (key[d] == -INFINITY)
            break;
        print_country_row(t, rn, d);
        shown[d] = 1;
        k++;
    }
    static const char *asked[] = {"TWN", "KOR", "JPN", "MEX", "CAN", "DEU", "VNM"};
    int hdr = 0;
    for (size_t a = 0; a < sizeof asked / sizeof *asked; a++) {
        size_t d = wiot_table_find_country(t, asked[a]);
        if (d == (size_t)-1 || shown[d])
            continue;
        if (!hdr++)
            printf("  also:\n");
        print_country_row(t, rn, d);
        shown[d] = 1;
    }

    sort_desc(idx, n, pr);
    printf("\n  Most affected country-sectors (%s price change, %%)\n", ex ? "exact" : "first-order");
    printf("  %-10s %-40s %9s %11s %9s %14s\n", "", "sector", "direct", "cumulative", "exact", "extra cost $m");
    const double *xc = wiot_result_get(r, WIOT_R_EXTRA_COST, NULL);
    for (size_t q = 0; q < (size_t)top && q < n; q++) {
        size_t i = idx[q];
        char label[64], nb[128], cs[32] = "-", es[32] = "-";
        snprintf(label, sizeof label, "%s_%s", wiot_table_country(t, i / S), wiot_table_sector(t, i % S));
        const char *nm = sector_name(wiot_table_sector(t, i % S), nb, sizeof nb);
        if (cu)
            snprintf(cs, sizeof cs, "%.4f", 100 * cu[i]);
        if (ex)
            snprintf(es, sizeof es, "%.4f", 100 * ex[i]);
        printf("  %-10s %-40.40s %9.4f %11s %9s %14.1f\n", label, nm ? nm : "", 100 * di[i], cs, es, xc[i]);
    }
    printf("\n  Totals (millions of USD at base-year flows): extra input cost %.1f, of which third "
           "countries %.1f (%.1f%%); tariff revenue %.1f",
           sm->total_extra_cost, sm->third_extra_cost,
           sm->total_extra_cost != 0 ? 100 * sm->third_extra_cost / sm->total_extra_cost : 0.0,
           sm->total_revenue);
    int first = 1;
    for (size_t d = 0; d < C; d++)
        if (rv[d] != 0) {
            printf("%s%s %.1f", first ? " (" : ", ", wiot_table_country(t, d), rv[d]);
            first = 0;
        }
    printf("%s\n", first ? "" : ")");
    (void)o;
    free(idx);
    free(key);
    free(shown);
}

/* Several scenarios on one table: consumer-price changes side by side, country x
 * scenario: the imposers of any scenario, then the K countries with the largest
 * change in any scenario. */
static void print_comparison(const wiot_table *t, const run *runs, int nruns, int top)
{
    const size_t C = wiot_table_countries(t), K = wiot_table_fd_categories(t);
    if (K == 0 || nruns < 2)
        return;
    size_t *idx = malloc(C * sizeof *idx);
    double *key = malloc(C * sizeof *key);
    if (!idx || !key) {
        free(idx);
        free(key);
        return;
    }
    for (size_t d = 0; d < C; d++) {
        key[d] = 0;
        for (int q = 0; q < nruns; q++) {
            const double *fp = wiot_result_get(runs[q].r, WIOT_R_FINAL_PRICE, NULL);
            const double *fd = wiot_result_get(runs[q].r, WIOT_R_FINAL_DEFINED, NULL);
            const double *ro = wiot_result_get(runs[q].r, WIOT_R_ROLE, NULL);
            double v = fd[d * K] ? fabs(fp[d * K]) : 0;
            if ((int)ro[d] & WIOT_ROLE_IMPOSER)
                v = INFINITY;
            if (v > key[d])
                key[d] = v;
        }
    }
    sort_desc(idx, C, key);
    printf("\n  Consumer-price change by country and scenario, %% (S1..S%d below)\n  %-5s", nruns, "");
    for (int q = 0; q < nruns; q++) {
        char lab[16];
        snprintf(lab, sizeof lab, "S%d", q + 1);
        printf(" %11s", lab);
    }
    printf("\n");
    for (size_t i = 0, shown = 0; i < C && (shown < (size_t)top || key[idx[i]] == INFINITY); i++) {
        size_t d = idx[i];
        shown += key[d] != INFINITY;
        printf("  %-5s", wiot_table_country(t, d));
        for (int q = 0; q < nruns; q++) {
            const double *fp = wiot_result_get(runs[q].r, WIOT_R_FINAL_PRICE, NULL);
            const double *fd = wiot_result_get(runs[q].r, WIOT_R_FINAL_DEFINED, NULL);
            if (fd[d * K])
                printf(" %11.4f", 100 * fp[d * K]);
            else
                printf(" %11s", "-");
        }
        printf("\n");
    }
    for (int q = 0; q < nruns; q++)
        printf("  S%d = %s\n", q + 1, runs[q].name);
    free(idx);
    free(key);
}

/* --years A:B | Y1,Y2,... | FILE1,FILE2,...: table paths into paths[], years[] */
static int parse_years(const char *spec, char paths[][4096], int *years, int max, int *count)
{
    int n = 0;
    char *e;
    long a = strtol(spec, &e, 10);
    if (e != spec && *e == ':') {
        long z = strtol(e + 1, &e, 10);
        if (*e || z < a || z - a + 1 > max)
            return usage_error("tariff", "--years takes FROM:TO, a comma list of years or of table files, got '%s'", spec);
        for (long y = a; y <= z; y++)
            years[n++] = (int)y;
    } else {
        const char *p = spec;
        while (*p) {
            const char *q = strchr(p, ',');
            size_t len = q ? (size_t)(q - p) : strlen(p);
            if (len == 0 || len >= 4096 || n == max)
                return usage_error("tariff", "--years: bad list '%s'", spec);
            char item[4096];
            memcpy(item, p, len);
            item[len] = 0;
            long y = strtol(item, &e, 10);
            if (e != item && !*e) {
                years[n++] = (int)y;
            } else {
                years[n] = 0;
                strcpy(paths[n++], item);
            }
            p = q ? q + 1 : p + len;
        }
    }
    for (int q = 0; q < n; q++) {
        if (years[q] == 0)
            continue;
        char rel[64];
        snprintf(rel, sizeof rel, "wiod2013/wiot_%d.csv.gz", years[q]);
        if (data_path(rel, paths[q], 4096)) {
            fprintf(stderr, "wiot: no WIOD 2013 table for %d (looked for %s in $WIOT_DATA, the data/ folder "
                            "beside wiot and the installed share/wiot; the release covers 1995-2011)\n",
                    years[q], rel);
            return 1;
        }
    }
    *count = n;
    return 0;
}

static void print_years_summary(const run *runs, int nruns)
{
    int w = 8;   /* the scenario column fits the longest name: no name is cut */
    for (int q = 0; q < nruns; q++)
        if ((int)strlen(runs[q].name) > w)
            w = (int)strlen(runs[q].name);
    printf("\n  %-6s %-*s %10s %10s %14s %12s\n", "year", w, "scenario", "USA cons.", "CHN cons.",
           "third cost $m", "revenue $m");
    for (int q = 0; q < nruns; q++) {
        const wiot_table *t = runs[q].t;
        const size_t K = wiot_table_fd_categories(t);
        const double *fp = wiot_result_get(runs[q].r, WIOT_R_FINAL_PRICE, NULL);
        const wiot_result_summary *sm = wiot_result_summary_get(runs[q].r);
        size_t us = wiot_table_find_country(t, "USA"), cn = wiot_table_find_country(t, "CHN");
        char a[32] = "-", b[32] = "-";
        if (us != (size_t)-1 && K)
            snprintf(a, sizeof a, "%.4f%%", 100 * fp[us * K]);
        if (cn != (size_t)-1 && K)
            snprintf(b, sizeof b, "%.4f%%", 100 * fp[cn * K]);
        printf("  %-6d %-*s %10s %10s %14.1f %12.1f\n", runs[q].year, w, runs[q].name, a, b, sm->third_extra_cost,
               sm->total_revenue);
    }
}

/* --map: a schedule in the scenario classification onto the table's sectors */
static int translate_schedule(wiot_ctx *ctx, wiot_schedule **s, const wiot_map *map, const wiot_table *t)
{
    wiot_schedule *s2 = NULL;
    int rc = wiot_schedule_translate(ctx, *s, map, t, &s2);
    wiot_schedule_free(*s);
    *s = s2;
    return rc;
}

int cmd_tariff(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("tariff", argc, argv, &o, TARIFF_OPTS,
                        TARIFF_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (o.years && o.table)
        return usage_error("tariff", "give either -t or --years");
    double t_start = now();
    enum { MAXT = 64 };
    static char paths[MAXT][4096];
    int years[MAXT], ntab = 1;
    if (o.years && (rc = parse_years(o.years, paths, years, MAXT, &ntab)))
        return rc;
    if (o.nnames == 0)
        o.names[o.nnames++] = DEFAULT_SCENARIO;
    wiot_ctx *ctx;
    wiot_table *tabs[MAXT];
    run *runs = calloc((size_t)ntab * (size_t)o.nnames, sizeof *runs);
    int nruns = 0;
    double lsecs = 0, fsecs = 0, ssecs = 0, ls;
    int nfact = 0;   /* factorizations done here (a campaign rank: its years) */
    wiot_info fi;
    memset(tabs, 0, sizeof tabs);
    memset(&fi, 0, sizeof fi);
    if (!runs) {
        fprintf(stderr, "wiot: out of memory\n");
        return 1;
    }
    wiot_map *tmap = NULL;   /* --map: scenario sectors -> table sectors */
    if ((rc = make_ctx(&o, &ctx)) || (o.map && (rc = load_map(ctx, o.map, &tmap))))
        goto done;
    for (int y = 0; y < ntab; y++) {
        opts oy = o;
        if (o.years) {
            oy.table = paths[y];
            oy.shipped = years[y] != 0;   /* a WIOD year from the data folder */
        }
        wiot_table *t = NULL;
        wiot_scenarios *sc = NULL;
        wiot_lu *lu = NULL;
        if ((rc = load_table(ctx, &oy, &t, &ls)))
            goto gather;
        tabs[y] = t;
        lsecs += ls;
        if ((rc = load_scenarios(ctx, &oy, t, &sc)))
            goto gather;
        /* a campaign (wiot-mpi) gives the tasks (year-major) to the ranks in contiguous
         * blocks, task i of T to rank i * size / T, so a rank factorizes only the years
         * of its block (round robin made every rank factorize every year when the
         * scenarios per year were a multiple of the ranks); serially every task is ours */
        const long ntask = (long)ntab * o.nnames;
        int own = 0;
        for (int q = 0; q < o.nnames; q++)
            own |= (int)((long)(nruns + q) * g_par.size / ntask) == g_par.rank;
        double t0 = now();
        nfact += own;
        if (own && (rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, &fi))) {
            wiot_scenarios_free(sc);
            rc = fail(ctx, rc);
            goto gather;
        }
        fsecs += now() - t0;
        const size_t C = wiot_table_countries(t), K = wiot_table_fd_categories(t);
        t0 = now();
        for (int q = 0; q < o.nnames && !rc; q++) {
            run *rn = &runs[nruns++];
            rn->name = o.names[q];
            rn->t = t;
            rn->year = o.years ? (years[y] ? years[y] : wiot_table_year(t)) : wiot_table_year(t);
            rn->owner = (int)((long)(nruns - 1) * g_par.size / ntask);
            wiot_schedule *s = NULL;
            if ((rc = wiot_result_new(ctx, t, &rn->r))) {
                rc = fail(ctx, rc);
            } else if (o.models == WIOT_BOTH && !(rn->fo_final = malloc((C * K + 1) * sizeof *rn->fo_final))) {
                fprintf(stderr, "wiot: out of memory\n");
                rc = 1;
            } else if (o.models == WIOT_BOTH && !(rn->fo_def = malloc(C * K + 1))) {
                fprintf(stderr, "wiot: out of memory\n");
                rc = 1;
            } else if (rn->owner != g_par.rank) {
                /* computed elsewhere; moved here below */
            } else if ((rc = wiot_scenarios_schedule_lu(ctx, sc, lu, rn->name, o.content_measure, &s)) ||
                       (tmap && (rc = translate_schedule(ctx, &s, tmap, t))) ||
                       (rc = wiot_tariff(ctx, lu, s, o.rho, o.models, rn->r))) {
                rc = fail(ctx, rc);
            } else if (o.models == WIOT_BOTH) {
                if ((rc = wiot_final_prices(ctx, t, s, o.rho, wiot_result_get(rn->r, WIOT_R_CUMULATIVE, NULL),
                                                   rn->fo_final, rn->fo_def, NULL, NULL))) {
                    rc = fail(ctx, rc);
                }
            }
            if (!rc && s && !o.quiet && (o.extension || o.extensions))   /* cmd_footprint.c */
                rc = ext_tariff_report(ctx, &o, t, lu, s, rn->name);
            wiot_schedule_free(s);
        }
        ssecs += now() - t0;
        wiot_lu_free(lu);
        wiot_scenarios_free(sc);
        if (rc)
            goto gather;
    }
gather:
    /* a campaign: agree on success, then bring every task's result to rank 0 */
    if (g_par.size > 1) {
        rc = g_par.agree(rc);
        for (int q = 0; q < nruns && !rc; q++) {
            run *rn = &runs[q];
            if (rn->owner == 0 || (g_par.rank != 0 && g_par.rank != rn->owner))
                continue;
            const size_t CK = wiot_table_countries(rn->t) * wiot_table_fd_categories(rn->t);
            rc = g_par.to_root(ctx, rn->r, rn->fo_final, rn->fo_final ? CK : 0, rn->owner);
            if (!rc && rn->fo_def) {   /* definedness depends on final demand only */
                const double *fd = wiot_result_get(rn->r, WIOT_R_FINAL_DEFINED, NULL);
                for (size_t k = 0; k < CK; k++)
                    rn->fo_def[k] = fd[k] != 0;
            }
        }
        rc = g_par.agree(rc);
        if (g_par.rank != 0) {   /* only rank 0 reports and writes */
            o.quiet = 1;
            o.out = NULL;
        }
    }
    if (rc)
        goto done;

    if (!o.quiet) {
        const wiot_table *t = tabs[0];
        if (o.years) {
            printf("wiot tariff over %d tables (%zu countries x %zu sectors)\n", ntab, wiot_table_countries(t),
                   wiot_table_sectors(t));
            print_years_summary(runs, nruns);
        } else {
            printf("wiot tariff on %s: %zu countries x %zu sectors%s\n", wiot_table_name(t), wiot_table_countries(t),
                   wiot_table_sectors(t), o.table ? "" : " (embedded WIOD 2013 world table)");
            for (int q = 0; q < nruns; q++)
                print_summary(t, &runs[q], o.top, &o);
            print_comparison(t, runs, nruns, o.top);
        }
    }
    if (o.out) {
        if (mkdir(o.out, 0777) != 0 && errno != EEXIST) {
            { char sp_[4096]; fprintf(stderr, "wiot: %s: cannot create directory: %s\n", shown_path(sp_, sizeof sp_, o.out), strerror(errno)); }
            rc = 1;
            goto done;
        }
        char p1[4096], p2[4096];
        snprintf(p1, sizeof p1, "%s/prices.csv", o.out);
        snprintf(p2, sizeof p2, "%s/countries.csv", o.out);
        tariff_out to = {runs, nruns, o.years != NULL};
        outfile f1, f2;
        /* both files are complete on disk before either is renamed into place */
        if (out_open(&f1, p1)) {
            rc = 1;
            goto done;
        }
        if (out_open(&f2, p2)) {
            out_abort(&f1);
            rc = 1;
            goto done;
        }
        if (write_prices(f1.f, &to) || write_countries(f2.f, &to)) {
            { char sp_[4096]; fprintf(stderr, "wiot: %s: write failed: %s\n", shown_path(sp_, sizeof sp_, o.out), strerror(errno)); }
            out_abort(&f1);
            out_abort(&f2);
            rc = 1;
            goto done;
        }
        if (out_close(&f1)) {
            out_abort(&f2);
            rc = 1;
            goto done;
        }
        if (out_close(&f2)) {
            out_abort(&f1);
            rc = 1;
            goto done;
        }
        if (out_commit(&f1) || out_commit(&f2) ||
            write_run_record(o.out, "tariff", argc, argv, tabs[0], &o, o.names, o.nnames)) {
            rc = 1;
            goto done;
        }
        if (!o.quiet)
            printf("\nwrote %s, %s and %s/run.json\n", p1, p2, o.out);
        if ((rc = cli_report(&o, "tariff", argc, argv)))   /* after run.json: its provenance */
            goto done;
    }
    if (!o.quiet)
        printf("\nTiming: load %.3f s, factorization %.3f s (%.1f GFLOP/s), %d scenario%s %.4f s, "
               "total %.3f s; threads %d, BLAS core %s; peak memory %.0f MB\n",
               lsecs, fsecs, fsecs > 0 ? fi.flops * nfact / fsecs * 1e-9 : 0.0, nruns, nruns == 1 ? "" : "s",
               ssecs, now() - t_start, o.threads > 0 ? o.threads : omp_get_max_threads(),
               openblas_get_corename(), cli_peak_mb());
done:
    for (int q = 0; q < nruns; q++) {
        wiot_result_free(runs[q].r);
        free(runs[q].fo_final);
        free(runs[q].fo_def);
    }
    free(runs);
    for (int y = 0; y < ntab; y++)
        wiot_table_free(tabs[y]);
    wiot_map_free(tmap);
    wiot_ctx_free(ctx);
    return rc;
}

