/* cli_ge.c -- `wiot ge`: general-equilibrium tariff counterfactuals (Caliendo-Parro
 * 2015) on any table or a CP-style dataset, through the wiot_ge_* API. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* the options ge accepts beyond --format, --keep-splits, --max-memory, --help */
const char *const GE_OPTS = ",t,s,n,o,threads,quiet,top,elasticities,deficits,baseline,draws,sd,seed,";
const char *const GE_HELP =
    "usage: wiot ge [-t TABLE] [-s FILE]... [-n NAME]... [--elasticities FILE]\n"
    "               [--deficits zero|fixed] [--baseline NAME] [-o OUTDIR] [--top K]\n"
    "               [--threads N] [--quiet]\n"
    "       wiot ge -t DATASET_DIR [--deficits zero|fixed] [--elasticities FILE] [-o OUTDIR]\n"
    "General-equilibrium counterfactuals (Caliendo & Parro 2015; README 'General\n"
    "equilibrium'): trade shares respond to tariffs, wages and prices adjust, trade\n"
    "balances with deficits held fixed or set to zero.\n"
    "  -t TABLE     any table wiot reads (default: the embedded WIOD 2013 table, 2011), or a\n"
    "               CP2015-style dataset directory (regions.csv, trade.csv.gz, ...; e.g.\n"
    "               data/cp2015): without -n its own counterfactual (tariff_cfl) is run\n"
    "  -n NAME      a scenario or stack A+B as for wiot tariff (additional tariffs); repeat\n"
    "               for several, solved as a batch over --threads (default: the tariff\n"
    "               command's default scenario)\n"
    "  --elasticities FILE  CSV 'sector,theta[,source]' with every sector of the table\n"
    "               (defaults in data/elasticities/ for WIOD 2013, WIOD 2016 and OECD ICIO\n"
    "               2021-layout tables)\n"
    "  --deficits zero|fixed  zero (default): first solve the world without deficits, then\n"
    "               the counterfactual from there (CP2015's headline); fixed: deficits stay\n"
    "  --baseline NAME  a scenario whose rates are the baseline tariff levels (default 0)\n"
    "  -o OUTDIR    countries.csv, sectors.csv, trade.csv (changes as fractions, values in\n"
    "               the table's units, flows net of tariffs), run.json (table runs) and the\n"
    "               charts: report.html and SVG files (--no-report: none)\n"
    "  --top K      winners and losers shown (default 10)\n"
    "  --draws N    Monte Carlo over the elasticities: N draws of theta_j times independent\n"
    "               lognormal factors exp(X Z - X^2/2) (log-sd X = --sd, default 0.25; --seed S,\n"
    "               default 1) for the first scenario, solved as batches over --threads;\n"
    "               prints mean, sd and 5/50/95 %% quantiles of welfare per country and -o\n"
    "               adds montecarlo.csv: scenario,country,draws,mean,sd,q05,q50,q95\n";

typedef struct ge_run {
    const char *name;
    wiot_schedule *s;         /* tariffs (content lines resolved) */
    wiot_schedule *ntb;       /* non-tariff barriers' ad valorem equivalents (d-hat - 1) */
    wiot_schedule *engine;    /* both as the fixed-coefficient engine prices them */
    wiot_ge_result *r;
    wiot_ge_info info;
    double *cpf;              /* consumer_price_fixed per country (NAN: none) */
} ge_run;

typedef struct ge_out {
    const wiot_ge_model *m;
    ge_run *runs;
    int nruns;
} ge_out;

static int write_countries(FILE *f, void *ud)
{
    const ge_out *go = ud;
    size_t N = wiot_ge_countries(go->m);
    fputs("scenario,country,welfare,real_wage,wage,price_index,income_musd,tariff_revenue_musd,"
          "exports_musd,imports_musd,terms_of_trade,volume_of_trade,welfare_decomp,"
          "consumer_price_fixed\n", f);
    static const int items[] = {WIOT_GE_WELFARE, WIOT_GE_REAL_WAGE, WIOT_GE_WAGE,
                                WIOT_GE_PRICE_INDEX, WIOT_GE_INCOME, WIOT_GE_REVENUE,
                                WIOT_GE_EXPORTS, WIOT_GE_IMPORTS, WIOT_GE_TOT, WIOT_GE_VOT,
                                WIOT_GE_DECOMP};
    for (int q = 0; q < go->nruns; q++)
        for (size_t n = 0; n < N; n++) {
            fprintf(f, "%s,%s", go->runs[q].name, wiot_ge_country(go->m, n));
            for (size_t k = 0; k < sizeof items / sizeof *items; k++)
                fprintf(f, ",%.10g", wiot_ge_result_country(go->runs[q].r, items[k])[n]);
            if (isnan(go->runs[q].cpf[n]))
                fputs(",\n", f);
            else
                fprintf(f, ",%.10g\n", go->runs[q].cpf[n]);
        }
    return ferror(f);
}

static int write_sectors(FILE *f, void *ud)
{
    const ge_out *go = ud;
    size_t N = wiot_ge_countries(go->m), J = wiot_ge_sectors(go->m);
    fputs("scenario,country,sector,price,cost,output,value_added\n", f);
    for (int q = 0; q < go->nruns; q++) {
        const wiot_ge_result *r = go->runs[q].r;
        for (size_t c = 0; c < N * J; c++)
            fprintf(f, "%s,%s,%s,%.10g,%.10g,%.10g,%.10g\n", go->runs[q].name,
                    wiot_ge_country(go->m, c / J), wiot_ge_sector(go->m, c % J),
                    wiot_ge_result_sector(r, WIOT_GE_PRICE)[c], wiot_ge_result_sector(r, WIOT_GE_COST)[c],
                    wiot_ge_result_sector(r, WIOT_GE_OUTPUT)[c],
                    wiot_ge_result_sector(r, WIOT_GE_VALUE_ADDED)[c]);
    }
    return ferror(f);
}

static int write_trade(FILE *f, void *ud)
{
    const ge_out *go = ud;
    size_t N = wiot_ge_countries(go->m), J = wiot_ge_sectors(go->m);
    fputs("scenario,importer,exporter,sector,base_musd,new_musd\n", f);
    for (int q = 0; q < go->nruns; q++) {
        const double *b = wiot_ge_result_trade(go->runs[q].r, 0), *a = wiot_ge_result_trade(go->runs[q].r, 1);
        for (size_t c = 0; c < N * N * J; c++)
            if (b[c] != 0 || a[c] != 0)
                fprintf(f, "%s,%s,%s,%s,%.10g,%.10g\n", go->runs[q].name, wiot_ge_country(go->m, c / (N * J)),
                        wiot_ge_country(go->m, (c / J) % N), wiot_ge_sector(go->m, c % J), b[c], a[c]);
    }
    return ferror(f);
}

/* --elasticities FILE: "sector,theta[,...]", every sector once; read through the
 * library's bounded reader (common/io.c), refused beyond 1 MiB. */
static int read_elasticities(wiot_ctx *ctx, const char *path, const wiot_table *t,
                             const wiot_ge_model *cp, double *theta, const char *note)
{
    size_t S = t ? wiot_table_sectors(t) : wiot_ge_sectors(cp);
    static const wi_limit lim = {NULL, NULL, 0, (size_t)1 << 20, "an elasticities file"};
    char *text = NULL;
    size_t tlen = 0;
    if (wi_read_file(ctx, path, 0, &lim, &text, &tlen)) {
        fprintf(stderr, "wiot: %s\n", wiot_errmsg(ctx));
        return 1;
    }
    char line[4096];
    long ln = 0;
    int rc = 0;
    unsigned char *seen = calloc(S + 1, 1);
    size_t pos = 0;
    while (!rc && seen && pos < tlen) {
        ln++;
        const char *b = text + pos, *nl = memchr(b, '\n', tlen - pos);
        size_t n = nl ? (size_t)(nl - b) : tlen - pos;
        pos += n + (nl != NULL);
        if (n >= sizeof line) {
            fprintf(stderr, "wiot: %s:%ld: line longer than %zu bytes\n", path, ln, sizeof line - 1);
            rc = 1;
            break;
        }
        if (memchr(b, '\0', n)) {
            fprintf(stderr, "wiot: %s:%ld: contains a NUL byte (not a text file)\n", path, ln);
            rc = 1;
            break;
        }
        memcpy(line, b, n);
        line[n] = 0;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        char *c1 = strchr(line, ',');
        if (ln == 1) {
            if (!c1 || strncmp(line, "sector,theta", 12) || (line[12] && line[12] != ',')) {
                fprintf(stderr, "wiot: %s:1: header must start with 'sector,theta'\n", path);
                rc = 1;
            }
            continue;
        }
        if (!c1) {
            fprintf(stderr, "wiot: %s:%ld: expected 'sector,theta'\n", path, ln);
            rc = 1;
            break;
        }
        *c1 = 0;
        char *v = c1 + 1, *c2 = strchr(v, ',');
        if (c2)
            *c2 = 0;
        size_t s = t ? wiot_table_find_sector(t, line) : (size_t)-1;
        for (size_t j = 0; !t && j < S; j++)
            if (!strcmp(wiot_ge_sector(cp, j), line))
                s = j;
        double th = 0;
        int nr = wi_num(v, strlen(v), &th);   /* the one number grammar: no hex */
        if (s == (size_t)-1) {
            fprintf(stderr, "wiot: %s:%ld: field 'sector': unknown sector '%.60s'%s\n", path, ln, line,
                    note);
            rc = 1;
        } else if (nr != WI_NUM_OK || !(th > 0)) {
            char sh[WI_SHOW];
            fprintf(stderr, "wiot: %s:%ld: field 'theta': '%s' is not a number > 0\n", path, ln,
                    wi_show(sh, v, strlen(v)));
            rc = 1;
        } else if (seen[s]) {
            fprintf(stderr, "wiot: %s:%ld: sector '%s' listed twice\n", path, ln, line);
            rc = 1;
        } else {
            theta[s] = th;
            seen[s] = 1;
        }
    }
    wi_free(ctx, text);
    for (size_t s = 0; !rc && seen && s < S; s++)
        if (!seen[s]) {
            fprintf(stderr, "wiot: %s: no elasticity for sector '%s'%s\n", path,
                    t ? wiot_table_sector(t, s) : wiot_ge_sector(cp, s), note);
            rc = 1;
        }
    if (!seen) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
    }
    free(seen);
    return rc;
}

static int is_dataset_dir(const char *path)
{
    struct stat st;
    char buf[4200];
    if (!path || stat(path, &st) || !S_ISDIR(st.st_mode))
        return 0;
    snprintf(buf, sizeof buf, "%s/regions.csv", path);
    return stat(buf, &st) == 0;
}

static void summary(const wiot_ge_model *m, const ge_run *run, int top, const char *units,
                    size_t goods)
{
    size_t N = wiot_ge_countries(m), J = wiot_ge_sectors(m);
    const double *W = wiot_ge_result_country(run->r, WIOT_GE_WELFARE);
    const double *RW = wiot_ge_result_country(run->r, WIOT_GE_REAL_WAGE);
    const double *P = wiot_ge_result_country(run->r, WIOT_GE_PRICE_INDEX);
    const double *DC = wiot_ge_result_country(run->r, WIOT_GE_DECOMP);
    size_t *idx = malloc(N * sizeof *idx);
    if (!idx)
        return;
    sort_desc(idx, N, W);
    printf("scenario %s\n", run->name);
    printf("  %-8s %10s %10s %10s %10s %10s   (%%)\n", "", "welfare", "decomp", "real wage",
           "prices", "fixed-coef");
    size_t k = (size_t)top < N ? (size_t)top : N;
    for (int part = 0; part < 2; part++) {
        printf("  %s\n", part ? "losers" : "winners");
        for (size_t q = 0; q < k; q++) {
            size_t n = part ? idx[N - 1 - q] : idx[q];
            printf("  %-8s %10.4f %10.4f %10.4f %10.4f", wiot_ge_country(m, n), 100 * W[n], 100 * DC[n],
                   100 * RW[n], 100 * P[n]);
            if (isnan(run->cpf[n]))
                printf(" %10s\n", "-");
            else
                printf(" %10.4f\n", 100 * run->cpf[n]);
        }
    }
    /* diversion: the imposers' imports by origin, before and after */
    const double *rates = wiot_schedule_rates(run->s);
    const double *b = wiot_ge_result_trade(run->r, 0), *a = wiot_ge_result_trade(run->r, 1);
    double *chg = malloc(N * sizeof *chg), *bo = malloc(N * sizeof *bo);
    size_t *oi = malloc(N * sizeof *oi);
    for (size_t d = 0; chg && bo && oi && d < N; d++) {
        int imposer = 0;
        for (size_t q = 0; q < N * J && !imposer; q++)
            imposer = rates[d * N * J + q] != 0;
        if (!imposer)
            continue;
        double tb = 0, ta = 0;
        for (size_t i = 0; i < N; i++) {
            double sb = 0, sa = 0;
            for (size_t j = 0; j < J; j++) {
                sb += b[(d * N + i) * J + j];
                sa += a[(d * N + i) * J + j];
            }
            bo[i] = sb;
            chg[i] = i == d ? 0 : sa - sb;
            if (i != d) {
                tb += sb;
                ta += sa;
            }
        }
        printf("  diversion: %s imports by origin, all sectors (%s, net of tariffs): %.0f -> %.0f\n",
               wiot_ge_country(m, d), units, tb, ta);
        if (goods) {
            double gb = 0, ga = 0;
            for (size_t i = 0; i < N; i++)
                for (size_t j = 0; i != d && j < goods; j++) {
                    gb += b[(d * N + i) * J + j];
                    ga += a[(d * N + i) * J + j];
                }
            printf("    goods (%s..%s): %.0f -> %.0f (%+.2f %%)\n", wiot_ge_sector(m, 0),
                   wiot_ge_sector(m, goods - 1), gb, ga, gb > 0 ? 100 * (ga - gb) / gb : 0.0);
        }
        sort_desc(oi, N, chg);
        size_t shown = 0;
        for (size_t q = 0; q < N && shown < (size_t)top; q++)
            if (chg[oi[q]] > 0 && oi[q] != d) {
                printf("    %-8s %+12.1f (%+.2f %%)\n", wiot_ge_country(m, oi[q]), chg[oi[q]],
                       bo[oi[q]] > 0 ? 100 * chg[oi[q]] / bo[oi[q]] : 0.0);
                shown++;
            }
        shown = 0;
        for (size_t q = N; q-- > 0 && shown < (size_t)top;)
            if (chg[oi[q]] < 0 && oi[q] != d) {
                printf("    %-8s %+12.1f (%+.2f %%)\n", wiot_ge_country(m, oi[q]), chg[oi[q]],
                       bo[oi[q]] > 0 ? 100 * chg[oi[q]] / bo[oi[q]] : 0.0);
                shown++;
            }
    }
    free(chg);
    free(bo);
    free(oi);
    free(idx);
    printf("  solve: %d wage iterations (%ld price, %ld expenditure sweeps), residual %.2g "
           "(goods %.2g, balance %.2g), %.3f s\n", run->info.iterations, run->info.price_iterations,
           run->info.linear_iterations, run->info.residual, run->info.goods_residual,
           run->info.balance_residual, run->info.seconds);
}

/* ---- Monte Carlo over theta: splitmix64 + Box-Muller, reproducible from --seed */
static uint64_t mc_next(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static double mc_normal(uint64_t *x)
{
    double u = ((double)(mc_next(x) >> 11) + 0.5) * 0x1.0p-53;
    double v = ((double)(mc_next(x) >> 11) + 0.5) * 0x1.0p-53;
    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}
static int mc_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static double mc_q(const double *v, size_t n, double q)
{
    double h = q * (double)(n - 1);
    size_t lo = (size_t)h;
    return lo + 1 >= n ? v[n - 1] : v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

typedef struct mc_out {
    const wiot_ge_model *m;
    const char *name;
    const double *stats;     /* N x 6: mean, sd, q05, q50, q95, draws */
} mc_out;

static int write_mc(FILE *f, void *ud)
{
    const mc_out *mo = ud;
    size_t N = wiot_ge_countries(mo->m);
    fputs("scenario,country,draws,mean,sd,q05,q50,q95\n", f);
    for (size_t n = 0; n < N; n++) {
        const double *st = mo->stats + 6 * n;
        fprintf(f, "%s,%s,%.0f,%.10g,%.10g,%.10g,%.10g,%.10g\n", mo->name, wiot_ge_country(mo->m, n),
                st[5], st[0], st[1], st[2], st[3], st[4]);
    }
    return ferror(f);
}

#define MC_CHUNK 32

/* the first task of rank `rank` when T tasks go to the ranks of a campaign (wiot-mpi)
 * in contiguous blocks, task i to rank i * size / T (as wiot tariff's); serially 0 */
static long block_lo(long T, int rank)
{
    return ((long)rank * T + g_par.size - 1) / g_par.size;
}
static int block_owner(long i, long T) { return (int)(i * g_par.size / T); }

/* Draws [lo, hi) of the draws of theta for one scenario: w[draws x N] gets each
 * draw's welfare (NAN: not converged) in rows lo..hi-1. The random stream is the
 * serial run's whatever lo (earlier draws' numbers are skipped), so a campaign's
 * rows are the serial rows. Returns 0 or 1 (message printed). */
static int monte_carlo(wiot_ctx *ctx, const wiot_ge_model *m, const wiot_schedule *s, int deficits,
                       double sd, unsigned long seed, int lo, int hi, double *w,
                       int show)
{
    double t0 = now();
    size_t N = wiot_ge_countries(m), J = wiot_ge_sectors(m);
    wiot_ge_result *rs[MC_CHUNK] = {0};
    const wiot_schedule *ss[MC_CHUNK];
    wiot_ge_options op[MC_CHUNK];
    wiot_ge_info inf[MC_CHUNK];
    int rcs[MC_CHUNK];
    double *th = malloc(MC_CHUNK * J * sizeof *th);
    int rc = 0;
    uint64_t state = seed;
    if (!th) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
    }
    for (int q = 0; !rc && q < MC_CHUNK; q++)
        if (wiot_ge_result_new(ctx, m, &rs[q]))
            rc = fail(ctx, 1);
    for (long q = 0; q < (long)lo * (long)J; q++)   /* the other ranks' draws */
        (void)mc_normal(&state);
    int done = lo;
    while (!rc && done < hi) {
        int k = hi - done < MC_CHUNK ? hi - done : MC_CHUNK;
        for (int q = 0; q < k; q++) {
            for (size_t j = 0; j < J; j++)
                th[q * J + j] = wiot_ge_theta(m)[j] * exp(sd * mc_normal(&state) - 0.5 * sd * sd);
            memset(&op[q], 0, sizeof op[q]);
            op[q].deficits = deficits ? WIOT_GE_DEFICITS_ZERO : WIOT_GE_DEFICITS_FIXED;
            op[q].theta = th + q * J;
            ss[q] = s;
        }
        /* a draw that does not converge is counted and left out, not fatal */
        wiot_ge_solve_batch(ctx, m, (size_t)k, ss, NULL, op, rs, inf, rcs);
        for (int q = 0; q < k; q++) {
            const double *W = wiot_ge_result_country(rs[q], WIOT_GE_WELFARE);
            for (size_t n = 0; n < N; n++)
                w[(size_t)(done + q) * N + n] = rcs[q] ? NAN : W[n];
        }
        done += k;
        if (show && (now() - t0 > 1.0 || done == hi)) {   /* the progress bar */
            int bw = 30, f = (int)((double)bw * (done - lo) / (hi - lo));
            fprintf(stderr, "\r[%.*s%*s] %d/%d draws, %.0f/s ", f, "##############################",
                    bw - f, "", done - lo, hi - lo, (done - lo) / (now() - t0));
            if (done == hi)
                fputc('\n', stderr);
        }
    }
    for (int q = 0; q < MC_CHUNK; q++)
        wiot_ge_result_free(rs[q]);
    free(th);
    return rc;
}

/* stats[N x 6] from w[draws x N]; *failed: draws not converged (a NAN row) */
static int mc_stats(const double *w, size_t N, int draws, double *stats, int *failed)
{
    double *col = malloc((size_t)draws * sizeof *col);
    if (!col) {
        fprintf(stderr, "wiot: out of memory\n");
        return 1;
    }
    *failed = 0;
    for (int q = 0; q < draws; q++)
        *failed += isnan(w[(size_t)q * N]);
    for (size_t n = 0; n < N; n++) {
        size_t nv = 0;
        double mean = 0, var = 0;
        for (int q = 0; q < draws; q++)
            if (!isnan(w[(size_t)q * N + n]))
                col[nv++] = w[(size_t)q * N + n];
        for (size_t q = 0; q < nv; q++)
            mean += col[q] / (double)nv;
        for (size_t q = 0; q < nv; q++)
            var += (col[q] - mean) * (col[q] - mean);
        qsort(col, nv, sizeof *col, mc_cmp);
        double *st = stats + 6 * n;
        st[0] = nv ? mean : NAN;
        st[1] = nv > 1 ? sqrt(var / (double)(nv - 1)) : 0;
        st[2] = nv ? mc_q(col, nv, 0.05) : NAN;
        st[3] = nv ? mc_q(col, nv, 0.5) : NAN;
        st[4] = nv ? mc_q(col, nv, 0.95) : NAN;
        st[5] = (double)nv;
    }
    free(col);
    return 0;
}

int cmd_ge(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("ge", argc, argv, &o, GE_OPTS,
                        GE_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    int deficits = WIOT_GE_DEFICITS_ZERO;
    if (o.deficits && !strcmp(o.deficits, "fixed"))
        deficits = WIOT_GE_DEFICITS_FIXED;
    else if (o.deficits && strcmp(o.deficits, "zero"))
        return usage_error("ge", "--deficits takes zero or fixed, got '%s'", o.deficits);
    int cp = is_dataset_dir(o.table);
    if (cp && (o.nnames || o.nscen || o.baseline))
        return usage_error("ge", "a CP-style dataset runs its own counterfactual: -n, -s and "
                           "--baseline need a table");
    int top = o.top > 0 ? o.top : 10;
    double t_start = now();
    wiot_ctx *ctx = NULL;
    wiot_table *t = NULL;
    wiot_scenarios *sc = NULL;
    wiot_ge_model *m0 = NULL, *m = NULL;
    wiot_schedule *base = NULL, *cfl = NULL;
    wiot_lu *lu = NULL;
    wiot_result *tr = NULL;
    double *theta = NULL, *mcs = NULL, *mcw = NULL, t_mc = 0;
    int mc_failed = 0;
    int synced = g_par.size == 1;   /* a campaign: the ranks agreed once on the local work */
    ge_run runs[256];
    int nruns = 0;
    memset(runs, 0, sizeof runs);
    wiot_ge_calib cal;
    const char *units = "USD";
    if ((rc = make_ctx(&o, &ctx)))
        goto done;
    double t_load = now();
    if (cp) {
        if ((rc = wiot_ge_model_load_cp(ctx, o.table, &m0, &cfl, &cal))) {
            rc = fail(ctx, rc);
            goto done;
        }
        if (o.elasticities) {
            size_t J = wiot_ge_sectors(m0);
            theta = malloc(J * sizeof *theta);
            if (!theta || read_elasticities(ctx, o.elasticities, NULL, m0, theta, "")) {
                rc = 1;
                goto done;
            }
        }
    } else {
        if ((rc = load_table(ctx, &o, &t, NULL)))
            goto done;
        units = wiot_table_units(t);
        size_t S = wiot_table_sectors(t);
        theta = malloc(S * sizeof *theta);
        char path[4096];
        const char *ef = o.elasticities;
        if (!ef) {
            const char *src = wiot_table_source(t);
            const char *rel = is_wiod2013(t) ? "elasticities/wiod2013.csv"
                            : is_wiod2016(t) ? "elasticities/wiod2016.csv"
                            : src && strstr(src, "ICIO") ? "elasticities/icio2021.csv" : NULL;
            if (!rel) {
                fprintf(stderr, "wiot: no shipped elasticities for the sectors of %s; give "
                                "--elasticities FILE\n", wiot_table_name(t));
                rc = 1;
                goto done;
            }
            if (data_path(rel, path, sizeof path)) {
                fprintf(stderr, "wiot: cannot find data/%s (set WIOT_DATA)\n", rel);
                rc = 1;
                goto done;
            }
            ef = path;
        }
        if (!theta || read_elasticities(ctx, ef, t, NULL, theta,
                                        o.elasticities ? "" : " (the shipped defaults do not fit this table's sectors: give --elasticities FILE)")) {
            rc = 1;
            goto done;
        }
        if ((rc = load_scenarios(ctx, &o, t, &sc)))
            goto done;
        if (o.baseline && (rc = wiot_scenarios_schedule(ctx, sc, o.baseline, &base))) {
            rc = fail(ctx, rc);
            goto done;
        }
        if ((rc = wiot_ge_model_new(ctx, t, theta, base, &m0, &cal))) {
            rc = fail(ctx, rc);
            goto done;
        }
    }
    t_load = now() - t_load;
    /* the baseline: the world without deficits, or the data re-solved */
    wiot_ge_options opt;
    memset(&opt, 0, sizeof opt);
    opt.deficits = deficits;
    opt.theta = cp ? theta : NULL;
    wiot_ge_info binfo;
    if ((rc = wiot_ge_model_rebase(ctx, m0, &opt, &m, &binfo))) {
        rc = fail(ctx, rc);
        goto done;
    }
    size_t N = wiot_ge_countries(m);
    if (cp) {
        runs[0].name = "dataset_counterfactual";
        runs[0].s = cfl;
        cfl = NULL;
        nruns = 1;
    } else {
        int nn = o.nnames ? o.nnames : 1;
        for (int q = 0; q < nn; q++) {
            runs[q].name = o.nnames ? o.names[q] : DEFAULT_SCENARIO;
            /* tariffs and NTBs apart (the model's kappa-hat = (1 + tau')/(1 + tau) d-hat);
             * content lines take their shares from the table's LU */
            if ((!lu && (rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL))) ||
                (rc = wiot_scenarios_split(ctx, sc, lu, runs[q].name, WIOT_MEASURE_VA, &runs[q].s,
                                           &runs[q].ntb)) ||
                (rc = wiot_scenarios_schedule_lu(ctx, sc, lu, runs[q].name, WIOT_MEASURE_VA,
                                                 &runs[q].engine))) {
                rc = fail(ctx, rc);
                goto done;
            }
            nruns++;
        }
    }
    for (int q = 0; q < nruns; q++) {
        runs[q].cpf = malloc(N * sizeof(double));
        if (!runs[q].cpf) {
            fprintf(stderr, "wiot: out of memory\n");
            rc = 1;
            goto done;
        }
        for (size_t n = 0; n < N; n++)
            runs[q].cpf[n] = NAN;
        if ((rc = wiot_ge_result_new(ctx, m, &runs[q].r))) {
            rc = fail(ctx, rc);
            goto done;
        }
    }
    /* a campaign (wiot-mpi ge) solves here only this rank's block of the scenarios
     * (block_owner); serially all of them */
    const wiot_schedule *sl[256], *nl[256];
    wiot_ge_result *rl[256];
    wiot_ge_info il[256];
    int any_ntb = 0, mine = 0, ix[256];
    for (int q = 0; q < nruns; q++) {
        if (block_owner(q, nruns) != g_par.rank)
            continue;
        sl[mine] = runs[q].s;
        nl[mine] = runs[q].ntb;
        rl[mine] = runs[q].r;
        any_ntb |= runs[q].ntb != NULL;
        ix[mine++] = q;
    }
    double t_solve = now();
    if (mine && (rc = wiot_ge_solve_batch(ctx, m, (size_t)mine, sl, any_ntb ? nl : NULL, NULL, rl, il,
                                          NULL))) {
        rc = fail(ctx, rc);
        goto done;
    }
    t_solve = now() - t_solve;
    for (int q = 0; q < mine; q++)
        runs[ix[q]].info = il[q];
    /* before substitution: the fixed-coefficient price model of wiot tariff */
    if (t) {
        if ((!lu && (rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL))) ||
            (rc = wiot_result_new(ctx, t, &tr))) {
            rc = fail(ctx, rc);
            goto done;
        }
        size_t K = wiot_table_fd_categories(t);
        for (int q = 0; q < nruns && K; q++) {
            if (block_owner(q, nruns) != g_par.rank)
                continue;
            if ((rc = wiot_tariff(ctx, lu, runs[q].engine ? runs[q].engine : runs[q].s, 1.0,
                                  WIOT_EXACT, tr))) {
                rc = fail(ctx, rc);
                goto done;
            }
            const double *fp = wiot_result_get(tr, WIOT_R_FINAL_PRICE, NULL);
            const double *fd = wiot_result_get(tr, WIOT_R_FINAL_DEFINED, NULL);
            for (size_t n = 0; n < N; n++)
                runs[q].cpf[n] = fd[n * K] != 0 ? fp[n * K] : NAN;
        }
    }
    if (o.draws > 0) {   /* a campaign: this rank's block of the draws */
        mcs = malloc(N * 6 * sizeof *mcs);
        mcw = malloc((size_t)o.draws * N * sizeof *mcw);
        t_mc = now();
        if (!mcs || !mcw) {
            fprintf(stderr, "wiot: out of memory\n");
            rc = 1;
            goto done;
        }
        if (monte_carlo(ctx, m, runs[0].s, 0, o.sd, o.seed,
                        (int)block_lo(o.draws, g_par.rank), (int)block_lo(o.draws, g_par.rank + 1),
                        mcw, !o.quiet && isatty(2) && g_par.rank == 0)) {
            rc = 1;
            goto done;
        }
    }
    if (!synced) {
        /* a campaign: agree on the local work, bring every scenario's result (with its
         * info and consumer_price_fixed) and every block of draws to rank 0, agree
         * again; then only rank 0 reports and writes */
        synced = 1;
        if ((rc = g_par.agree(rc)))
            goto done;
        for (int q = 0; q < nruns && !rc; q++) {
            int own = block_owner(q, nruns);
            if (own != 0 && (g_par.rank == 0 || g_par.rank == own))
                rc = g_par.ge_to_root(ctx, runs[q].r, &runs[q].info, runs[q].cpf, N, own);
        }
        for (int k = 1; !rc && mcw && k < g_par.size; k++) {
            long lo = block_lo(o.draws, k), hi = block_lo(o.draws, k + 1);
            if (hi > lo && (g_par.rank == 0 || g_par.rank == k))
                rc = g_par.ge_to_root(ctx, NULL, NULL, mcw + (size_t)lo * N, (size_t)(hi - lo) * N, k);
        }
        if (rc)
            fail(ctx, rc);
        if ((rc = g_par.agree(rc ? 1 : 0)))
            goto done;
        if (g_par.rank != 0) {
            o.quiet = 1;
            o.out = NULL;
            goto done;
        }
    }
    if (mcw) {
        if (mc_stats(mcw, N, o.draws, mcs, &mc_failed)) {
            rc = 1;
            goto done;
        }
        t_mc = now() - t_mc;
    }
    if (o.out) {
        struct stat st;
        if (stat(o.out, &st) && mkdir(o.out, 0777) && errno != EEXIST) {
            { char sp_[4096]; fprintf(stderr, "wiot: %s: cannot create directory: %s\n", shown_path(sp_, sizeof sp_, o.out), strerror(errno)); }
            rc = 1;
            goto done;
        }
        ge_out go = {m, runs, nruns};
        char p[4200];
        snprintf(p, sizeof p, "%s/countries.csv", o.out);
        if (write_atomic(p, write_countries, &go)) {
            rc = 1;
            goto done;
        }
        snprintf(p, sizeof p, "%s/sectors.csv", o.out);
        if (write_atomic(p, write_sectors, &go)) {
            rc = 1;
            goto done;
        }
        snprintf(p, sizeof p, "%s/trade.csv", o.out);
        if (write_atomic(p, write_trade, &go)) {
            rc = 1;
            goto done;
        }
        mc_out mo = {m, runs[0].name, mcs};
        snprintf(p, sizeof p, "%s/montecarlo.csv", o.out);
        if (mcs && write_atomic(p, write_mc, &mo)) {
            rc = 1;
            goto done;
        }
        /* the run record (a table run; a CP dataset has no wiot_table to describe); the
         * report comes after the summary, and after run.json: its provenance is this run's */
        const char *rn[256];
        for (int q = 0; q < nruns; q++)
            rn[q] = runs[q].name;
        if (!cp && write_run_record(o.out, "ge", argc, argv, t, &o, rn, nruns)) {
            rc = 1;
            goto done;
        }
    }
    if (!o.quiet) {
        printf("wiot ge: %s, %zu countries x %zu sectors, deficits %s\n",
               cp ? o.table : wiot_table_name(t), N, wiot_ge_sectors(m),
               deficits ? "zero (baseline without deficits solved first)" : "fixed");
        printf("  calibration: %zu negative cells set to 0, %zu negative final-demand totals set "
               "to 0, %zu sectors bought at home only, %zu with zero output (beta = 1), %zu "
               "rebalanced, %zu baseline tariff cells\n", cal.negative_cells, cal.negative_final,
               cal.no_purchases, cal.zero_output, cal.rebalanced, cal.baseline_tariffs);
        printf("  baseline solve: %d iterations, residual %.2g, %.3f s\n", binfo.iterations,
               binfo.residual, binfo.seconds);
        printf("  welfare = exact real income I^/P^ - 1; decomp = CP2015 terms of trade + volume "
               "of trade at baseline flows;\n  fixed-coef = consumer prices of wiot tariff "
               "(no substitution)\n");
        /* the goods sectors of the known classifications (the rest are services) */
        size_t goods = cp ? (wiot_ge_sectors(m) == 40 ? 20 : 0)
                     : is_wiod2013(t) ? 16 : is_wiod2016(t) ? 23 : 0;
        for (int q = 0; q < nruns; q++)
            summary(m, &runs[q], top, units, goods);
        if (mcs) {
            printf("Monte Carlo over theta: %d draws (log-sd %g, seed %lu) of %s, %.3f s (%.0f "
                   "draws/s), %d not converged\n", o.draws, o.sd, o.seed, runs[0].name, t_mc,
                   t_mc > 0 ? o.draws / t_mc : 0.0, mc_failed);
            printf("  %-8s %10s %10s %10s %10s %10s   (welfare, %%)\n", "", "mean", "sd", "5 %",
                   "50 %", "95 %");
            const double *W = wiot_ge_result_country(runs[0].r, WIOT_GE_WELFARE);
            size_t *ix = malloc(N * sizeof *ix);
            if (ix) {
                sort_desc(ix, N, W);
                for (size_t q = 0; q < N; q++) {
                    size_t n = ix[q];
                    if (q >= (size_t)top && q + (size_t)top < N)
                        continue;
                    const double *st = mcs + 6 * n;
                    printf("  %-8s %10.4f %10.4f %10.4f %10.4f %10.4f\n", wiot_ge_country(m, n),
                           100 * st[0], 100 * st[1], 100 * st[2], 100 * st[3], 100 * st[4]);
                }
                free(ix);
            }
        }
        if (o.out)
            printf("wrote %s/countries.csv, sectors.csv, trade.csv%s\n", o.out,
                   mcs ? ", montecarlo.csv" : "");
        printf("Timing: load %.3f s, %d scenario%s solved in %.3f s, total %.3f s; threads %d\n",
               t_load, nruns, nruns == 1 ? "" : "s", t_solve, now() - t_start,
               o.threads > 0 ? o.threads : omp_get_max_threads());
    }
    if (o.out && cli_report(&o, "ge", argc, argv))
        rc = 1;
done:
    if (!synced)   /* a campaign rank that failed before the gathering: tell the others */
        rc = g_par.agree(rc ? rc : 1);
    free(mcs);
    free(mcw);
    for (int q = 0; q < 256; q++) {
        wiot_schedule_free(runs[q].s);
        wiot_schedule_free(runs[q].ntb);
        wiot_schedule_free(runs[q].engine);
        wiot_ge_result_free(runs[q].r);
        free(runs[q].cpf);
    }
    free(theta);
    wiot_result_free(tr);
    wiot_lu_free(lu);
    wiot_schedule_free(base);
    wiot_schedule_free(cfl);
    wiot_ge_model_free(m);
    wiot_ge_model_free(m0);
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}
