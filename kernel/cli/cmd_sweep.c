/* cli_sweep.c -- `wiot sweep`: one scenario at many scales, or Monte Carlo draws of
 * its rates, through the batch API (wiot_batch_*). */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>
#include <unistd.h>

/* the options sweep accepts beyond --format, --keep-splits, --max-memory, --help */
const char *const SWEEP_OPTS = ",t,s,n,o,threads,passthrough,method,quiet,scale,draws,seed,sd,content-measure,";
const char *const SWEEP_HELP =
    "usage: wiot sweep [-t TABLE] [-s FILE]... -n NAME --scale FROM:TO:STEPS [-o FILE]\n"
    "       wiot sweep [-t TABLE] [-s FILE]... -n NAME --draws N [--seed S] [--sd X] [-o FILE]\n"
    "                  [--passthrough R] [--method exact|first-order|both] [--threads N] [--quiet]\n"
    "Runs many variants of one scenario at once (batched solves).\n"
    "  --scale FROM:TO:STEPS  every rate of NAME times each of STEPS evenly spaced factors\n"
    "               from FROM to TO (e.g. 0:4:41). -o writes one row per scale and country:\n"
    "               scenario,scale,country,role,consumer_price,final_price_all,\n"
    "               extra_cost_musd,tariff_revenue_musd (as countries.csv of wiot tariff)\n"
    "  --draws N    Monte Carlo: N schedules whose non-zero rates are NAME's rates times\n"
    "               independent lognormal factors exp(X*Z - X^2/2), Z ~ N(0,1), so each\n"
    "               factor has mean 1 and log-sd X (--sd, default 0.25); --seed S (default\n"
    "               1) makes draws reproducible (xoshiro256**, Box-Muller). -o writes per\n"
    "               country: scenario,country,role,draws,mean,sd,q05,q50,q95 of the\n"
    "               consumer-price change (quantiles by linear interpolation).\n"
    "  -s, --passthrough, --method, --content-measure, -t as for wiot tariff (built-in\n"
    "               scenarios by default). Content-based lines are resolved once, on the\n"
    "               table's shares; NTB parts scale with their cells and stay revenue-free.\n";

#define CHUNK 256

/* ------------------------------------------------------------------- rng */
typedef struct rng {
    uint64_t s[4];
    int have;
    double spare;
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
    r->have = 0;
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

/* uniform in (0, 1) */
static double rng_uniform(rng *r) { return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53; }

static double rng_normal(rng *r)
{
    if (r->have) {
        r->have = 0;
        return r->spare;
    }
    double u = rng_uniform(r), v = rng_uniform(r), m = sqrt(-2.0 * log(u));
    r->spare = m * sin(2.0 * M_PI * v);
    r->have = 1;
    return m * cos(2.0 * M_PI * v);
}

/* --------------------------------------------------------------- progress */
typedef struct progress {
    double t0;
    int shown, enabled;
} progress;

static void show_progress(void *ud, size_t done, size_t total)
{
    progress *p = ud;
    double el = now() - p->t0;
    if (!p->enabled || (el < 1.0 && done < total) || total == 0)
        return;
    int w = 30, f = (int)((double)w * (double)done / (double)total);
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu scenarios, %.0f/s ", f, "##############################", w - f, "",
            done, total, el > 0 ? (double)done / el : 0.0);
    p->shown = 1;
    if (done == total)
        fputc('\n', stderr);
}

/* ---------------------------------------------------------------- helpers */
static int parse_scale(const char *s, double *from, double *to, int *steps)
{
    char *e;
    const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    /* FROM and TO in the one number grammar (no hex, no "inf") */
    if (!c2 || wi_num(s, (size_t)(c1 - s), from) || wi_num(c1 + 1, (size_t)(c2 - c1 - 1), to))
        return -1;
    s = c2 + 1;
    if (!(*s >= '0' && *s <= '9'))
        return -1;
    long n = strtol(s, &e, 10);
    if (e == s || *e || n < 1 || n > 10000000 || !isfinite(*from) || !isfinite(*to))
        return -1;
    *steps = (int)n;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile(const double *sorted, size_t n, double q)
{
    if (n == 1)
        return sorted[0];
    double h = q * (double)(n - 1);
    size_t lo = (size_t)h;
    if (lo >= n - 1)
        return sorted[n - 1];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

int cmd_sweep(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("sweep", argc, argv, &o, SWEEP_OPTS,
                        SWEEP_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (o.nnames != 1)
        return usage_error("sweep", "give exactly one scenario with -n (A+B stacks are allowed)");
    if (!o.scale == !o.draws)
        return usage_error("sweep", "give either --scale FROM:TO:STEPS or --draws N");
    double from = 0, to = 0;
    int steps = 0;
    if (o.scale && parse_scale(o.scale, &from, &to, &steps))
        return usage_error("sweep", "--scale takes FROM:TO:STEPS (e.g. 0:4:41), got '%s'", o.scale);
    const double sd = o.sd;
    const unsigned long seed = o.seed;

    double t_start = now();
    wiot_ctx *ctx = NULL;
    wiot_table *t = NULL;
    wiot_scenarios *sc = NULL;
    wiot_lu *lu = NULL;
    wiot_schedule *base = NULL, *slot[CHUNK];
    wiot_batch *b = NULL;
    double *cons = NULL, *scales = NULL;
    size_t *nz = NULL;
    FILE *out = NULL;
    outfile of;
    memset(&of, 0, sizeof of);
    memset(slot, 0, sizeof slot);
    progress pg = {0, 0, 0};
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, NULL)) ||
        (rc = load_scenarios(ctx, &o, t, &sc)))
        goto done;
    if ((rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL)) ||
        (rc = wiot_scenarios_schedule_lu(ctx, sc, lu, o.names[0], o.content_measure, &base)) ||
        (rc = wiot_batch_new(ctx, lu, CHUNK, &b))) {
        rc = fail(ctx, rc);
        goto done;
    }
    const size_t C = wiot_table_countries(t), S = wiot_table_sectors(t), K = wiot_table_fd_categories(t);
    const size_t total = o.scale ? (size_t)steps : (size_t)o.draws;
    /* the non-zero pattern of the base schedule */
    const double *rates = wiot_schedule_rates(base), *ntb = wiot_schedule_ntb(base);
    size_t nnz = 0;
    /* through the context's budget (--max-memory): --draws 100000000 is refused here,
     * before allocating, with the size it needs */
    char what[96];
    if (o.scale)
        snprintf(what, sizeof what, "--scale %.40s: the results of every scale", o.scale);
    else
        snprintf(what, sizeof what, "--draws %d: the results of every draw", o.draws);
    if (!(nz = wiot_alloc_array(ctx, C * C * S + 1, sizeof *nz, 0, "the schedule's pattern")) ||
        !(cons = wiot_alloc_array(ctx, C * total + 1, sizeof *cons, 0, what)) ||
        !(scales = wiot_alloc_array(ctx, total + 1, sizeof *scales, 0, what))) {
        rc = fail(ctx, WIOT_ENOMEM);
        goto done;
    }
    for (size_t q = 0; q < C * C * S; q++)
        if (rates[q] != 0.0)
            nz[nnz++] = q;
    /* the scaled rates are linear in the scale: FROM and TO are the extremes. A rate
     * pushed to -1 or below is the option's fault, named as such (not the library's) */
    for (size_t z = 0; o.scale && z < nnz; z++)
        for (int k = 0; k < 2; k++) {
            size_t p = nz[z];
            double f = k ? to : from, r = rates[p] * f, u = ntb ? ntb[p] * f : 0;
            if (!(r > -1.0) || !(u > -1.0)) {
                rc = usage_error("sweep", "--scale %s: at scale %g the rate %g of %s on %s %s "
                                 "becomes %g, not > -1", o.scale, f, rates[p],
                                 wiot_table_country(t, p / (C * S)), wiot_table_country(t, (p / S) % C),
                                 wiot_table_sector(t, p % S), r);
                goto done;
            }
        }
    for (int q = 0; q < CHUNK; q++)
        if ((rc = wiot_schedule_new(ctx, t, &slot[q]))) {
            rc = fail(ctx, rc);
            goto done;
        }
    if (g_par.rank != 0) {   /* a campaign: only rank 0 reports and writes */
        o.quiet = 1;
        o.out = NULL;
    }
    if (o.out) {
        if (out_open(&of, o.out)) {
            rc = 1;
            goto done;
        }
        out = of.f;
        if (o.scale)
            fputs("scenario,scale,country,role,consumer_price,final_price_all,extra_cost_musd,tariff_revenue_musd\n", out);
        else
            fputs("scenario,country,role,draws,mean,sd,q05,q50,q95\n", out);
    }
    pg.t0 = now();
    pg.enabled = !o.quiet && isatty(2) && g_par.rank == 0;
    wiot_ctx_set_progress(ctx, show_progress, &pg);
    rng r;
    rng_seed(&r, seed);
    double solve_secs = 0, third_min = INFINITY, third_max = -INFINITY;
    for (size_t c0 = 0; c0 < total; c0 += CHUNK) {
        size_t m = total - c0 < CHUNK ? total - c0 : CHUNK;
        for (size_t q = 0; q < m; q++) {
            size_t idx = c0 + q;
            double f = o.scale ? (steps == 1 ? from : from + (to - from) * (double)idx / (double)(steps - 1)) : 1.0;
            scales[idx] = f;
            for (size_t z = 0; z < nnz; z++) {
                size_t p = nz[z], d = p / (C * S), c = (p / S) % C, s = p % S;
                double g = o.scale ? f : exp(sd * rng_normal(&r) - 0.5 * sd * sd);
                /* an NTB part scales with its cell, so it stays revenue-free */
                if ((rc = wiot_schedule_set(ctx, slot[q], d, c, s, rates[p] * g)) ||
                    (ntb && (rc = wiot_schedule_set_ntb(ctx, slot[q], d, c, s, ntb[p] * g)))) {
                    rc = fail(ctx, rc);
                    goto done;
                }
            }
        }
        double t0 = now();
        if ((rc = g_par.batch_run(ctx, b, (const wiot_schedule *const *)slot, m, o.rho, o.models))) {
            rc = fail(ctx, rc);
            goto done;
        }
        solve_secs += now() - t0;
        if (pg.enabled && now() - pg.t0 > 1.0)
            show_progress(&pg, c0 + m, total);
        size_t fld, ld;
        const double *fp = wiot_batch_get(b, WIOT_R_FINAL_PRICE, NULL, &fld);
        const double *fd = wiot_batch_get(b, WIOT_R_FINAL_DEFINED, NULL, NULL);
        const double *fa = wiot_batch_get(b, WIOT_R_FINAL_ALL, NULL, &ld);
        const double *fad = wiot_batch_get(b, WIOT_R_FINAL_ALL_DEFINED, NULL, NULL);
        const double *ce = wiot_batch_get(b, WIOT_R_COUNTRY_EXTRA_COST, NULL, NULL);
        const double *rv = wiot_batch_get(b, WIOT_R_REVENUE, NULL, NULL);
        const double *ro = wiot_batch_get(b, WIOT_R_ROLE, NULL, NULL);
        for (size_t q = 0; q < m; q++) {
            double third = 0;
            for (size_t d = 0; d < C; d++) {
                int def = K > 0 && fd[d * K + q * fld] != 0;
                cons[(c0 + q) * C + d] = def ? fp[d * K + q * fld] : NAN;
                if (ro[d + q * ld] == 0)
                    third += ce[d + q * ld];
                if (out && o.scale) {
                    fprintf(out, "%s,%s,%s,%s,", o.names[0], G(scales[c0 + q]), wiot_table_country(t, d),
                            role_name((int)ro[d + q * ld]));
                    if (def)
                        fprintf(out, "%s", G(fp[d * K + q * fld]));
                    fputc(',', out);
                    if (fad[d + q * ld] != 0)
                        fprintf(out, "%s", G(fa[d + q * ld]));
                    fprintf(out, ",%s,%s\n", G(ce[d + q * ld]), G(rv[d + q * ld]));
                }
            }
            third_min = third < third_min ? third : third_min;
            third_max = third > third_max ? third : third_max;
        }
    }
    if (pg.shown)
        fputc('\n', stderr);

    /* roles from the base schedule (the same for every variant with non-zero factor) */
    wiot_result *res = NULL;
    double *col = wiot_alloc_array(ctx, total + 1, sizeof *col, 0, what);
    if (!col || (rc = wiot_result_new(ctx, t, &res)) || (rc = wiot_tariff(ctx, lu, base, o.rho, WIOT_FIRST_ORDER, res))) {
        wiot_free(ctx, col);
        wiot_result_free(res);
        rc = fail(ctx, col ? rc : WIOT_ENOMEM);
        goto done;
    }
    const double *role = wiot_result_get(res, WIOT_R_ROLE, NULL);
    if (!o.quiet) {
        printf("wiot sweep: %s on %s, %zu %s, pass-through %.2f\n", o.names[0], wiot_table_name(t), total,
               o.scale ? "scales" : "Monte Carlo draws", o.rho);
        if (o.draws)
            printf("  factors lognormal, log-sd %g, seed %lu (mean factor 1)\n", sd, seed);
        printf("  %-5s %-15s", "", "role");
        if (o.scale)
            printf(" consumer price change, %% at scale %g / %g / %g\n", scales[0], scales[total / 2], scales[total - 1]);
        else
            printf(" consumer price change, %%: mean, sd, 5 %%, 50 %%, 95 %%\n");
    }
    static const char *asked[] = {"TWN", "KOR", "JPN", "MEX", "CAN", "DEU"};
    for (size_t d = 0; d < C; d++) {
        size_t nv = 0;
        double mean = 0, var = 0;
        for (size_t q = 0; q < total; q++) {
            double v = cons[q * C + d];
            if (!isnan(v))
                col[nv++] = v;
        }
        for (size_t q = 0; q < nv; q++)
            mean += col[q] / (double)nv;
        for (size_t q = 0; q < nv; q++)
            var += (col[q] - mean) * (col[q] - mean);
        double sdv = nv > 1 ? sqrt(var / (double)(nv - 1)) : 0.0;
        qsort(col, nv, sizeof *col, cmp_double);
        if (out && o.draws) {
            fprintf(out, "%s,%s,%s,%zu", o.names[0], wiot_table_country(t, d), role_name((int)role[d]), nv);
            if (nv)
                fprintf(out, ",%s,%s,%s,%s,%s\n", G(mean), G(sdv), G(quantile(col, nv, 0.05)), G(quantile(col, nv, 0.5)), G(quantile(col, nv, 0.95)));
            else
                fputs(",,,,,\n", out);
        }
        int show = role[d] != 0;
        for (size_t a = 0; a < sizeof asked / sizeof *asked; a++)
            show |= !strcmp(wiot_table_country(t, d), asked[a]);
        if (!o.quiet && show && nv) {
            printf("  %-5s %-15s", wiot_table_country(t, d), role_name((int)role[d]));
            if (o.scale)
                printf(" %10.4f %10.4f %10.4f\n", 100 * cons[d], 100 * cons[(total / 2) * C + d],
                       100 * cons[(total - 1) * C + d]);
            else
                printf(" %9.4f %9.4f %9.4f %9.4f %9.4f\n", 100 * mean, 100 * sdv, 100 * quantile(col, nv, 0.05),
                       100 * quantile(col, nv, 0.5), 100 * quantile(col, nv, 0.95));
        }
    }
    wiot_free(ctx, col);
    wiot_result_free(res);
    if (out) {
        if (ferror(out)) {
            { char sp_[4096]; fprintf(stderr, "wiot: %s: write failed: %s\n", shown_path(sp_, sizeof sp_, o.out), strerror(errno)); }
            out_abort(&of);
            out = NULL;
            rc = 1;
            goto done;
        }
        out = NULL;
        if (out_close(&of) || out_commit(&of) || cli_report(&o, "sweep", argc, argv)) {
            rc = 1;
            goto done;
        }
    }
    if (!o.quiet) {
        printf("  burden on third countries: %.1f to %.1f million USD\n", third_min, third_max);
        if (o.out)
            printf("wrote %s\n", o.out);
        printf("Timing: %zu scenarios in %.3f s of batched solves (%.0f scenarios/s), total %.3f s; "
               "threads %d; peak memory %.0f MB\n",
               total, solve_secs, solve_secs > 0 ? (double)total / solve_secs : 0.0, now() - t_start,
               o.threads > 0 ? o.threads : omp_get_max_threads(), cli_peak_mb());
    }
done:
    if (out)
        out_abort(&of);
    wiot_free(ctx, nz);
    wiot_free(ctx, cons);
    wiot_free(ctx, scales);
    for (int q = 0; q < CHUNK; q++)
        wiot_schedule_free(slot[q]);
    wiot_schedule_free(base);
    wiot_batch_free(b);
    wiot_lu_free(lu);
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}
