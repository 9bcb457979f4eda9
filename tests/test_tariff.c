/* test_tariff.c -- the tariff engine: closed forms solved by hand, orderings of the
 * three measures, the second-order gap, permutation invariance, agreement of the
 * Woodbury, iteration and brute-force solves on WIOD 2011 (shipped scenarios too),
 * pass-through, final users' prices, revenue, roles, error codes, failing allocators. */
#include "helpers.h"

/* Build a C-country, S-sector, K-category table from row-major Z (n x n) and F
 * (n x C*K). x = row sums. */
static wiot_table *mk_table(wiot_ctx *ctx, size_t C, size_t S, size_t K, const char *const *cc,
                            const char *const *sc, const double *Zr, const double *Fr)
{
    size_t n = C * S, q = C * K;
    double *Z = malloc(n * n * sizeof *Z), *F = malloc(n * q * sizeof *F);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++)
            Z[i + j * n] = Zr[i * n + j];
        for (size_t j = 0; j < q; j++)
            F[i + j * n] = Fr[i * q + j];
    }
    wiot_table_desc d = {C, S, K, cc, sc, NULL, Z, n, F, n, NULL, "test"};
    wiot_table *t = NULL;
    int rc = wiot_table_new(ctx, &d, &t);
    free(Z);
    free(F);
    cr_assert_eq(rc, WIOT_OK, "%s", wiot_errmsg(ctx));
    return t;
}

/* ------------------------------------------------------ closed form, 2 x 1 */
Test(tariff, closed_form_two_countries_one_sector)
{
    wiot_ctx *ctx = test_ctx();
    const char *cc[] = {"AAA", "BBB"}, *sc[] = {"g"};
    double Z[] = {100, 30, 20, 150}, F[] = {250, 40, 35, 300};
    wiot_table *t = mk_table(ctx, 2, 1, 1, cc, sc, Z, F);
    const double x0 = 420, x1 = 505;
    const double a00 = 100 / x0, a01 = 30 / x1, a10 = 20 / x0, a11 = 150 / x1;
    const double t10 = 0.10 /* AAA on BBB */, t01 = 0.25 /* BBB on AAA */;
    wiot_schedule *s;
    cr_assert_eq(wiot_schedule_new(ctx, t, &s), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(ctx, s, 0, 1, 0, t10), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(ctx, s, 1, 0, 0, t01), WIOT_OK);

    /* by hand: d[j] = sum_i A[i,j] T[i,j] */
    double d0 = a10 * t10, d1 = a01 * t01;
    /* c solves (I - A^T) c = d */
    double m00 = 1 - a00, m01 = -a10, m10 = -a01, m11 = 1 - a11, det = m00 * m11 - m01 * m10;
    double c0 = (d0 * m11 - m01 * d1) / det, c1 = (m00 * d1 - m10 * d0) / det;
    /* exact solves (I - A^T - E^T) p = d */
    double e01 = -a10 * (1 + t10), e10 = -a01 * (1 + t01), dete = m00 * m11 - e01 * e10;
    double p0 = (d0 * m11 - e01 * d1) / dete, p1 = (m00 * d1 - e10 * d0) / dete;

    wiot_lu *lu;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    double d[2], c[2], p[2];
    cr_assert_eq(wiot_tariff_direct(ctx, t, s, 1.0, d), WIOT_OK);
    assert_rel(d[0], d0, 1e-15);
    assert_rel(d[1], d1, 1e-15);
    cr_assert_eq(wiot_tariff_cumulative(ctx, lu, d, c), WIOT_OK);
    assert_rel(c[0], c0, 1e-14);
    assert_rel(c[1], c1, 1e-14);
    const int methods[] = {WIOT_METHOD_NONE, WIOT_METHOD_WOODBURY, WIOT_METHOD_ITERATION, WIOT_METHOD_DENSE};
    for (int m = 0; m < 4; m++) {
        wiot_info info;
        cr_assert_eq(wiot_price_exact(ctx, lu, s, 1.0, methods[m], d, p, &info), WIOT_OK, "%s",
                     wiot_errmsg(ctx));
        assert_rel(p[0], p0, 1e-14);
        assert_rel(p[1], p1, 1e-14);
        cr_assert_leq(info.residual, 1e-16, "method %d residual %g", methods[m], info.residual);
    }
    /* final users: AAA households buy 250 from AAA and 35 from BBB (taxed 10 %) */
    double P[2], Pall[2];
    unsigned char def[2], defall[2];
    cr_assert_eq(wiot_final_prices(ctx, t, s, 1.0, p, P, def, Pall, defall), WIOT_OK);
    assert_rel(P[0], (250 * p0 + 35 * ((1 + p1) * (1 + t10) - 1)) / 285, 1e-14);
    assert_rel(P[1], (40 * ((1 + p0) * (1 + t01) - 1) + 300 * p1) / 340, 1e-14);
    cr_assert(def[0] && def[1] && defall[0] && defall[1]);
    assert_rel(Pall[0], P[0], 1e-15);   /* K = 1: all final demand is households */
    /* revenue at base flows */
    double rev[2];
    cr_assert_eq(wiot_tariff_revenue(ctx, t, s, rev), WIOT_OK);
    assert_rel(rev[0], 0.10 * (20 + 35), 1e-15);
    assert_rel(rev[1], 0.25 * (30 + 40), 1e-15);

    /* the whole run */
    wiot_result *r;
    cr_assert_eq(wiot_result_new(ctx, t, &r), WIOT_OK);
    cr_assert_eq(wiot_tariff(ctx, lu, s, 1.0, WIOT_BOTH, r), WIOT_OK);
    size_t len;
    const double *ex = wiot_result_get(r, WIOT_R_EXTRA_COST, &len);
    cr_assert_eq(len, 2);
    assert_rel(ex[0], p0 * x0, 1e-14);
    assert_rel(ex[1], p1 * x1, 1e-14);
    const double *role = wiot_result_get(r, WIOT_R_ROLE, &len);
    cr_assert_eq(role[0], WIOT_ROLE_IMPOSER | WIOT_ROLE_TARGET);
    const wiot_result_summary *sm = wiot_result_summary_get(r);
    assert_rel(sm->total_revenue, 5.5 + 17.5, 1e-15);
    cr_assert_eq(sm->third_extra_cost, 0.0);
    cr_assert_eq(sm->models, WIOT_BOTH);
    /* k = 2 imposers x 1 sector > n/3: the automatic choice iterates */
    cr_assert_eq(sm->exact.method, WIOT_METHOD_ITERATION);
    cr_assert_null(wiot_result_get(r, 99, &len));
    /* first-order only: no exact array, extra cost from c */
    cr_assert_eq(wiot_tariff(ctx, lu, s, 1.0, WIOT_FIRST_ORDER, r), WIOT_OK);
    cr_assert_null(wiot_result_get(r, WIOT_R_EXACT, NULL));
    assert_rel(wiot_result_get(r, WIOT_R_EXTRA_COST, NULL)[1], c1 * x1, 1e-14);

    wiot_result_free(r);
    wiot_schedule_free(s);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(tariff, zero_tariffs_give_exact_zero)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, DATA("examples/pymrio_test_mrio.csv"));
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), K = wiot_table_fd_categories(t);
    wiot_schedule *s;
    wiot_lu *lu;
    wiot_result *r;
    cr_assert_eq(wiot_schedule_new(ctx, t, &s), WIOT_OK);
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    cr_assert_eq(wiot_result_new(ctx, t, &r), WIOT_OK);
    cr_assert_eq(wiot_tariff(ctx, lu, s, 1.0, WIOT_BOTH, r), WIOT_OK);
    const int items[] = {WIOT_R_DIRECT, WIOT_R_CUMULATIVE, WIOT_R_EXACT, WIOT_R_EXTRA_COST,
                         WIOT_R_FINAL_PRICE, WIOT_R_FINAL_ALL, WIOT_R_REVENUE, WIOT_R_ROLE};
    for (size_t q = 0; q < sizeof items / sizeof *items; q++) {
        size_t len;
        const double *a = wiot_result_get(r, items[q], &len);
        cr_assert_not_null(a);
        for (size_t i = 0; i < len; i++)
            cr_assert_eq(a[i], 0.0, "item %d [%zu] = %g", items[q], i, a[i]);
    }
    /* pymrio's F7 "Export" category is all zero: no price, not NaN */
    const double *def = wiot_result_get(r, WIOT_R_FINAL_DEFINED, NULL);
    cr_assert_eq(K, 7);
    for (size_t d = 0; d < C; d++) {
        cr_assert_eq(def[d * K + 6], 0.0);
        cr_assert_eq(def[d * K + 0], 1.0);
    }
    (void)n;
    wiot_result_free(r);
    wiot_schedule_free(s);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ---------------------------------------------------------------- WIOD 2011 */
typedef struct wiod {
    wiot_ctx *ctx;
    wiot_table *t;
    wiot_lu *lu;
    size_t n, C, S;
} wiod;

static void wiod_open(wiod *w)
{
    w->ctx = test_ctx();
    w->t = test_load(w->ctx, DATA("wiod2013/wiot_2011.csv.gz"));
    cr_assert_eq(wiot_lu_new(w->ctx, w->t, WIOT_LEONTIEF, &w->lu, NULL), WIOT_OK);
    w->n = wiot_table_n(w->t);
    w->C = wiot_table_countries(w->t);
    w->S = wiot_table_sectors(w->t);
}

static void wiod_close(wiod *w)
{
    wiot_lu_free(w->lu);
    wiot_table_free(w->t);
    wiot_ctx_free(w->ctx);
}

/* US 25 % on Chinese goods (c1..c16), China 10 % on US goods, scaled by f */
static wiot_schedule *us_china(wiod *w, double f)
{
    wiot_schedule *s;
    cr_assert_eq(wiot_schedule_new(w->ctx, w->t, &s), WIOT_OK);
    size_t us = wiot_table_find_country(w->t, "USA"), cn = wiot_table_find_country(w->t, "CHN");
    for (size_t k = 0; k < 16; k++) {
        cr_assert_eq(wiot_schedule_set(w->ctx, s, us, cn, k, 0.25 * f), WIOT_OK);
        cr_assert_eq(wiot_schedule_set(w->ctx, s, cn, us, k, 0.10 * f), WIOT_OK);
    }
    return s;
}

static double max_abs(const double *a, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m = fabs(a[i]) > m ? fabs(a[i]) : m;
    return m;
}

/* exact solve by every method; all agree with the dense reference to 1e-12 relative */
static void check_methods(wiod *w, const wiot_schedule *s, double rho, const char *what)
{
    const size_t n = w->n;
    double *d = malloc(n * sizeof *d), *ref = malloc(n * sizeof *ref), *p = malloc(n * sizeof *p);
    cr_assert_eq(wiot_tariff_direct(w->ctx, w->t, s, rho, d), WIOT_OK);
    wiot_info info;
    cr_assert_eq(wiot_price_exact(w->ctx, w->lu, s, rho, WIOT_METHOD_DENSE, d, ref, &info), WIOT_OK,
                 "%s: %s", what, wiot_errmsg(w->ctx));
    double scale = max_abs(ref, n);
    const int methods[] = {WIOT_METHOD_NONE, WIOT_METHOD_WOODBURY, WIOT_METHOD_ITERATION};
    for (int m = 0; m < 3; m++) {
        cr_assert_eq(wiot_price_exact(w->ctx, w->lu, s, rho, methods[m], d, p, &info), WIOT_OK, "%s: %s",
                     what, wiot_errmsg(w->ctx));
        double diff = 0;
        for (size_t i = 0; i < n; i++)
            diff = fabs(p[i] - ref[i]) > diff ? fabs(p[i] - ref[i]) : diff;
        cr_assert_leq(diff, 1e-12 * scale, "%s: method %d differs from a fresh LU by %g (scale %g)", what,
                      info.method, diff, scale);
        cr_assert_leq(info.residual, 1e-14 * (scale > 1e-3 ? scale : 1e-3), "%s: residual %g", what,
                      info.residual);
    }
    free(d);
    free(ref);
    free(p);
}

Test(tariff, wiod_measures_ordered_and_methods_agree, .timeout = 240)
{
    wiod w;
    wiod_open(&w);
    const size_t n = w.n;
    wiot_schedule *s = us_china(&w, 1.0);
    wiot_result *r;
    cr_assert_eq(wiot_result_new(w.ctx, w.t, &r), WIOT_OK);
    cr_assert_eq(wiot_tariff(w.ctx, w.lu, s, 1.0, WIOT_BOTH, r), WIOT_OK, "%s", wiot_errmsg(w.ctx));
    const double *d = wiot_result_get(r, WIOT_R_DIRECT, NULL), *c = wiot_result_get(r, WIOT_R_CUMULATIVE, NULL),
                 *p = wiot_result_get(r, WIOT_R_EXACT, NULL);
    /* dp >= c >= d >= 0 for non-negative rates (to rounding) */
    for (size_t i = 0; i < n; i++) {
        cr_assert_geq(d[i], 0.0);
        cr_assert_geq(c[i], d[i] - 1e-16, "c < d at %zu", i);
        cr_assert_geq(p[i], c[i] - 1e-16, "dp < c at %zu", i);
    }
    const wiot_result_summary *sm = wiot_result_summary_get(r);
    cr_assert_eq(sm->exact.method, WIOT_METHOD_WOODBURY);
    cr_assert_eq(sm->exact.rank, 2 * 35);
    cr_assert_gt(sm->third_extra_cost, 0.0, "third countries bear part of the cost");
    /* the US pays more for Chinese electronics: USA_c14 cumulative > direct */
    size_t us = wiot_table_find_country(w.t, "USA");
    cr_assert_gt(c[us * 35 + 13], d[us * 35 + 13]);
    check_methods(&w, s, 1.0, "US-China 25/10");
    check_methods(&w, s, 0.6, "US-China 25/10 at 60 % pass-through");
    wiot_result_free(r);
    wiot_schedule_free(s);
    wiod_close(&w);
}

Test(tariff, wiod_second_order_gap_quarters, .timeout = 120)
{
    /* exact - first-order is O(tau^2): halving all rates divides the gap by ~4 */
    wiod w;
    wiod_open(&w);
    const size_t n = w.n;
    double gap[2];
    for (int h = 0; h < 2; h++) {
        wiot_schedule *s = us_china(&w, h ? 0.5 : 1.0);
        wiot_result *r;
        cr_assert_eq(wiot_result_new(w.ctx, w.t, &r), WIOT_OK);
        cr_assert_eq(wiot_tariff(w.ctx, w.lu, s, 1.0, WIOT_BOTH, r), WIOT_OK);
        const double *c = wiot_result_get(r, WIOT_R_CUMULATIVE, NULL), *p = wiot_result_get(r, WIOT_R_EXACT, NULL);
        gap[h] = 0;
        for (size_t i = 0; i < n; i++)
            gap[h] += p[i] - c[i];
        wiot_result_free(r);
        wiot_schedule_free(s);
    }
    double ratio = gap[0] / gap[1];
    /* gap = g2 tau^2 + g3 tau^3 + ...: ratio = 4 (1 + O(tau)); rates <= 0.25 */
    cr_assert(ratio > 3.9 && ratio < 4.4, "gap ratio %g", ratio);
    wiod_close(&w);
}

Test(tariff, wiod_pass_through_scales_exactly)
{
    wiod w;
    wiod_open(&w);
    const size_t n = w.n;
    wiot_schedule *s = us_china(&w, 1.0);
    double *d1 = malloc(n * sizeof *d1), *d2 = malloc(n * sizeof *d2), *c1 = malloc(n * sizeof *c1),
           *c2 = malloc(n * sizeof *c2);
    cr_assert_eq(wiot_tariff_direct(w.ctx, w.t, s, 1.0, d1), WIOT_OK);
    cr_assert_eq(wiot_tariff_direct(w.ctx, w.t, s, 0.5, d2), WIOT_OK);
    cr_assert_eq(wiot_tariff_cumulative(w.ctx, w.lu, d1, c1), WIOT_OK);
    cr_assert_eq(wiot_tariff_cumulative(w.ctx, w.lu, d2, c2), WIOT_OK);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(d2[i], d1[i] / 2, "halving is exact in binary floating point");
        cr_assert_eq(c2[i], c1[i] / 2);
    }
    cr_assert_eq(wiot_tariff_direct(w.ctx, w.t, s, 0.0, d2), WIOT_OK);
    cr_assert_eq(max_abs(d2, n), 0.0);
    cr_assert_eq(wiot_tariff_direct(w.ctx, w.t, s, 1.5, d2), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(w.ctx), "pass-through rate 1.5 is not in [0, 1]");
    free(d1);
    free(d2);
    free(c1);
    free(c2);
    wiot_schedule_free(s);
    wiod_close(&w);
}

Test(tariff, wiod_many_imposers_uses_iteration, .timeout = 240)
{
    /* every country levies 8 % on every partner's goods: k = n, beyond Woodbury's
     * range; the automatic choice iterates and agrees with a fresh LU */
    wiod w;
    wiod_open(&w);
    wiot_schedule *s;
    cr_assert_eq(wiot_schedule_new(w.ctx, w.t, &s), WIOT_OK);
    for (size_t a = 0; a < w.C; a++)
        for (size_t b = 0; b < w.C; b++)
            for (size_t k = 0; k < 16; k++)
                cr_assert_eq(wiot_schedule_set(w.ctx, s, a, b, k, 0.08), WIOT_OK);
    cr_assert_eq(wiot_schedule_imposers(s, NULL), w.C);
    double *d = malloc(w.n * sizeof *d), *p = malloc(w.n * sizeof *p);
    cr_assert_eq(wiot_tariff_direct(w.ctx, w.t, s, 1.0, d), WIOT_OK);
    wiot_info info;
    cr_assert_eq(wiot_price_exact(w.ctx, w.lu, s, 1.0, WIOT_METHOD_NONE, d, p, &info), WIOT_OK);
    cr_assert_eq(info.method, WIOT_METHOD_ITERATION);
    cr_assert(info.iterations > 1 && info.iterations < 100, "%d iterations", info.iterations);
    check_methods(&w, s, 1.0, "everyone 8 %");
    free(d);
    free(p);
    wiot_schedule_free(s);
    wiod_close(&w);
}

Test(tariff, wiod_shipped_scenarios_match_brute_force, .timeout = 300)
{
    wiod w;
    wiod_open(&w);
    wiot_scenarios *sc;
    cr_assert_eq(wiot_scenarios_new(w.ctx, w.t, &sc), WIOT_OK);
    const char *files[] = {"us301_china_2018_2020.csv", "china_retaliation_2018_2020.csv",
                           "us232_steel_aluminum.csv", "us232_autos_2025.csv", "us_ieepa_2025.csv",
                           "china_countermeasures_2025.csv", "piie_average_uniform.csv"};
    for (size_t q = 0; q < 7; q++) {
        char path[256];
        snprintf(path, sizeof path, DATA("scenarios/wiod2013/%s"), files[q]);
        cr_assert_eq(wiot_scenarios_load(w.ctx, sc, path), WIOT_OK, "%s", wiot_errmsg(w.ctx));
    }
    const char *names[] = {
        "us301_2020-02-14_list4A_at7.5+cn_ret_2020-02-14_round1_halved",
        "us_ieepa_2025-04-10_baseline10_chn125+us232_2025-03-12_all_25+us232_autos_2025-05-03_vehicles_and_parts",
        "cn2025_04-12_plus_125pct_all_goods",
        "us232_2018-06-01_eu_can_mex_added",
        "piie_us_on_chn_2025-04_peak+piie_chn_on_us_2020-02-14",
    };
    for (size_t q = 0; q < sizeof names / sizeof *names; q++) {
        wiot_schedule *s;
        cr_assert_eq(wiot_scenarios_schedule(w.ctx, sc, names[q], &s), WIOT_OK, "%s", wiot_errmsg(w.ctx));
        check_methods(&w, s, 1.0, names[q]);
        wiot_schedule_free(s);
    }
    wiot_scenarios_free(sc);
    wiod_close(&w);
}

/* ------------------------------------------------------ permutation invariance */
Test(tariff, invariant_under_country_order)
{
    wiot_ctx *ctx = test_ctx();
    enum { C = 3, S = 2, K = 2, N = 6, Q = 6 };
    const char *cc[C] = {"USA", "CHN", "MEX"}, *sc[S] = {"g", "s"};
    double Z[N * N], F[N * Q];
    unsigned seed = 7;
    for (int i = 0; i < N * N; i++) {
        seed = seed * 1664525u + 1013904223u;
        Z[i] = 1 + (seed >> 20) % 97 + 0.25 * (i % 3);
    }
    for (int i = 0; i < N * Q; i++) {
        seed = seed * 1664525u + 1013904223u;
        F[i] = 50 + (seed >> 20) % 300;
    }
    const int perm[C] = {2, 0, 1};   /* new country a is old perm[a] */
    double Zp[N * N], Fp[N * Q];
    const char *ccp[C];
    for (int a = 0; a < C; a++)
        ccp[a] = cc[perm[a]];
    for (int a = 0; a < C; a++)
        for (int s = 0; s < S; s++)
            for (int b = 0; b < C; b++) {
                for (int u = 0; u < S; u++)
                    Zp[(a * S + s) * N + b * S + u] = Z[(perm[a] * S + s) * N + perm[b] * S + u];
                for (int k = 0; k < K; k++)
                    Fp[(a * S + s) * Q + b * K + k] = F[(perm[a] * S + s) * Q + perm[b] * K + k];
            }
    wiot_table *t1 = mk_table(ctx, C, S, K, cc, sc, Z, F), *t2 = mk_table(ctx, C, S, K, ccp, sc, Zp, Fp);
    wiot_schedule *s1, *s2;
    cr_assert_eq(wiot_schedule_new(ctx, t1, &s1), WIOT_OK);
    cr_assert_eq(wiot_schedule_new(ctx, t2, &s2), WIOT_OK);
    int inv[C];
    for (int a = 0; a < C; a++)
        inv[perm[a]] = a;
    const double rates[][4] = {{0, 1, 0, 0.25}, {1, 0, 0, 0.125}, {0, 2, 1, 0.05}, {2, 1, 0, 0.3}};
    for (int q = 0; q < 4; q++) {
        size_t d = (size_t)rates[q][0], c = (size_t)rates[q][1], k = (size_t)rates[q][2];
        cr_assert_eq(wiot_schedule_set(ctx, s1, d, c, k, rates[q][3]), WIOT_OK);
        cr_assert_eq(wiot_schedule_set(ctx, s2, (size_t)inv[d], (size_t)inv[c], k, rates[q][3]), WIOT_OK);
    }
    wiot_lu *l1, *l2;
    wiot_result *r1, *r2;
    cr_assert_eq(wiot_lu_new(ctx, t1, WIOT_LEONTIEF, &l1, NULL), WIOT_OK);
    cr_assert_eq(wiot_lu_new(ctx, t2, WIOT_LEONTIEF, &l2, NULL), WIOT_OK);
    cr_assert_eq(wiot_result_new(ctx, t1, &r1), WIOT_OK);
    cr_assert_eq(wiot_result_new(ctx, t2, &r2), WIOT_OK);
    cr_assert_eq(wiot_tariff(ctx, l1, s1, 0.8, WIOT_BOTH, r1), WIOT_OK);
    cr_assert_eq(wiot_tariff(ctx, l2, s2, 0.8, WIOT_BOTH, r2), WIOT_OK);
    const int sector_items[] = {WIOT_R_DIRECT, WIOT_R_CUMULATIVE, WIOT_R_EXACT, WIOT_R_EXTRA_COST};
    for (int q = 0; q < 4; q++) {
        const double *a = wiot_result_get(r1, sector_items[q], NULL), *b = wiot_result_get(r2, sector_items[q], NULL);
        for (int c = 0; c < C; c++)
            for (int s = 0; s < S; s++)
                assert_rel(b[inv[c] * S + s], a[c * S + s], 1e-13);
    }
    const int country_items[] = {WIOT_R_FINAL_ALL, WIOT_R_REVENUE, WIOT_R_ROLE, WIOT_R_COUNTRY_EXTRA_COST};
    for (int q = 0; q < 4; q++) {
        const double *a = wiot_result_get(r1, country_items[q], NULL), *b = wiot_result_get(r2, country_items[q], NULL);
        for (int c = 0; c < C; c++)
            assert_rel(b[inv[c]], a[c], 1e-13);
    }
    const double *a = wiot_result_get(r1, WIOT_R_FINAL_PRICE, NULL), *b = wiot_result_get(r2, WIOT_R_FINAL_PRICE, NULL);
    for (int c = 0; c < C; c++)
        for (int k = 0; k < K; k++)
            assert_rel(b[inv[c] * K + k], a[c * K + k], 1e-13);
    wiot_result_free(r1);
    wiot_result_free(r2);
    wiot_lu_free(l1);
    wiot_lu_free(l2);
    wiot_schedule_free(s1);
    wiot_schedule_free(s2);
    wiot_table_free(t1);
    wiot_table_free(t2);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------------------ errors */
Test(tariff, singular_perturbed_system)
{
    /* A = [[0, .5], [.5, 0]] and 100 % tariffs both ways: I - A^T - E^T =
     * [[1, -1], [-1, 1]] is exactly singular */
    wiot_ctx *ctx = test_ctx();
    const char *cc[] = {"AAA", "BBB"}, *sc[] = {"g"};
    double Z[] = {0, 50, 50, 0}, F[] = {50, 0, 0, 50};
    wiot_table *t = mk_table(ctx, 2, 1, 1, cc, sc, Z, F);
    wiot_schedule *s;
    wiot_lu *lu;
    cr_assert_eq(wiot_schedule_new(ctx, t, &s), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(ctx, s, 0, 1, 0, 1.0), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(ctx, s, 1, 0, 0, 1.0), WIOT_OK);
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    double d[2], p[2] = {-7, -7};
    cr_assert_eq(wiot_tariff_direct(ctx, t, s, 1.0, d), WIOT_OK);
    cr_assert_eq(wiot_price_exact(ctx, lu, s, 1.0, WIOT_METHOD_DENSE, d, p, NULL), WIOT_ESINGULAR);
    cr_assert_str_eq(wiot_errmsg(ctx), "the tariff-perturbed price system is singular (pivot 2)");
    cr_assert_eq(wiot_price_exact(ctx, lu, s, 1.0, WIOT_METHOD_WOODBURY, d, p, NULL), WIOT_ESINGULAR);
    cr_assert(strstr(wiot_errmsg(ctx), "singular to working precision"), "%s", wiot_errmsg(ctx));
    cr_assert_eq(p[0], -7.0, "output untouched on error");
    cr_assert_eq(wiot_price_exact(ctx, lu, s, 1.0, 42, d, p, NULL), WIOT_EINVAL);
    /* schedule of another table's shape */
    wiot_table *t3 = test_load(ctx, DATA("examples/decompr_leather.csv"));
    wiot_schedule *s3;
    cr_assert_eq(wiot_schedule_new(ctx, t3, &s3), WIOT_OK);
    cr_assert_eq(wiot_tariff_direct(ctx, t, s3, 1.0, d), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "schedule is 3 countries x 3 sectors but the table is 2 x 1");
    wiot_result *r;
    cr_assert_eq(wiot_result_new(ctx, t3, &r), WIOT_OK);
    cr_assert_eq(wiot_tariff(ctx, lu, s, 1.0, WIOT_BOTH, r), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_tariff: result was made for another table");
    cr_assert_eq(wiot_tariff(ctx, lu, s, 1.0, 0, r), WIOT_EINVAL);
    wiot_result_free(r);
    wiot_schedule_free(s3);
    wiot_table_free(t3);
    wiot_schedule_free(s);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(tariff, failing_allocator)
{
    test_alloc ta = {0, -1, 0};
    wiot_allocator al = test_allocator(&ta);
    wiot_ctx *ctx0 = test_ctx();
    wiot_table *t = test_load(ctx0, DATA("examples/pymrio_test_mrio.csv"));
    wiot_lu *lu;
    wiot_schedule *s;
    cr_assert_eq(wiot_lu_new(ctx0, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    cr_assert_eq(wiot_schedule_new(ctx0, t, &s), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(ctx0, s, 0, 1, 2, 0.2), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(ctx0, s, 3, 1, 2, 0.1), WIOT_OK);
    int succeeded = 0;
    for (long k = 0; k < 200 && !succeeded; k++) {
        ta.calls = 0;
        ta.fail_at = -1;
        wiot_ctx *ctx;
        cr_assert_eq(wiot_ctx_new_custom(&al, &ctx), WIOT_OK);
        ta.fail_at = k + 1;
        wiot_result *r = NULL;
        int rc = wiot_result_new(ctx, t, &r);
        if (rc)
            cr_assert_null(r);
        for (int m = WIOT_METHOD_WOODBURY; !rc && m <= WIOT_METHOD_DENSE; m++) {
            double d[48], p[48];
            p[0] = -9;
            rc = wiot_tariff_direct(ctx, t, s, 1.0, d);
            if (!rc) {
                rc = wiot_price_exact(ctx, lu, s, 1.0, m, d, p, NULL);
                if (rc)
                    cr_assert_eq(p[0], -9.0, "output untouched");
            }
        }
        if (!rc)
            rc = wiot_tariff(ctx, lu, s, 1.0, WIOT_BOTH, r);
        if (rc)
            cr_assert_eq(rc, WIOT_ENOMEM, "k=%ld: %s", k, wiot_errmsg(ctx));
        else
            succeeded = 1;
        wiot_result_free(r);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0, "k=%ld leaked %ld blocks", k, ta.live);
    }
    cr_assert(succeeded);
    wiot_schedule_free(s);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx0);
}
