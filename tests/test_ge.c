/* test_ge.c -- general-equilibrium counterfactuals (Caliendo-Parro 2015, kernel/ge/,
 * METHODS.md §6): closed forms, invariances, the CP2015 Table 2 reproduction, batch =
 * single solves, bad input, allocation failures. */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"
#include "ge/ge.h"

#include <sys/stat.h>
#include <unistd.h>

static const double wiod_theta[35] = {9.11, 13.53, 2.62, 8.10, 8.10, 11.50, 16.52, 64.85, 3.13,
                                      1.67, 2.41, 5.135, 1.45, 9.63, 8.22, 3.98, 5, 5, 5, 5, 5,
                                      5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};

/* A table of C countries x S sectors, K = 1, from Z (n x n) and F (n x C). */
static wiot_table *small_table(wiot_ctx *ctx, size_t C, size_t S, const double *Z,
                               const double *F, char **codes)
{
    static const char *cc[] = {"AAA", "BBB", "CCC", "DDD", "EEE", "FFF"};
    static const char *sc[] = {"s1", "s2", "s3", "s4"};
    wiot_table_desc d;
    memset(&d, 0, sizeof d);
    d.countries = C;
    d.sectors = S;
    d.fd_categories = 1;
    d.country_codes = codes ? (const char *const *)codes : cc;
    d.sector_codes = sc;
    d.Z = Z;
    d.ldz = C * S;
    d.F = F;
    d.ldf = C * S;
    d.name = "small";
    wiot_table *t = NULL;
    int rc = wiot_table_new(ctx, &d, &t);
    cr_assert_eq(rc, WIOT_OK, "%s", wiot_errmsg(ctx));
    return t;
}

/* Balanced one-sector trade: F = symmetric + circulant, so row sums = column sums. */
static void balanced_F(size_t C, double *F)
{
    for (size_t i = 0; i < C; i++)
        for (size_t d = 0; d < C; d++) {
            double sym = 10.0 + 3.0 * (double)((i + d) % 3) + (i == d ? 400.0 + 37.0 * i : 0);
            double circ = 7.5 * (double)((d + C - i) % C);
            F[i + d * C] = sym + circ;
        }
}

static void check_info(const wiot_ge_info *in)
{
    /* the equilibrium conditions of every solved scenario hold to 1e-10 */
    cr_assert(in->residual <= 1e-10, "labour residual %g", in->residual);
    cr_assert(in->goods_residual <= 1e-10, "goods residual %g", in->goods_residual);
    cr_assert(in->balance_residual <= 1e-10, "balance residual %g", in->balance_residual);
    cr_assert(in->numeraire_residual <= 1e-12, "numeraire residual %g", in->numeraire_residual);
}

Test(ge, zero_shock_wiod2011_every_hat_is_one)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, DATA("wiod2013/wiot_2011.csv.gz"));
    wiot_ge_model *m = NULL;
    wiot_ge_calib cal;
    cr_assert_eq(wiot_ge_model_new(ctx, t, wiod_theta, NULL, &m, &cal), WIOT_OK, "%s",
                 wiot_errmsg(ctx));
    cr_assert_gt(cal.negative_cells, 0);  /* WIOD inventories */
    cr_assert(fabs(cal.deficit_sum) <= 1e-9 * cal.world_va);
    wiot_ge_result *r = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r), WIOT_OK);
    wiot_ge_info in;
    cr_assert_eq(wiot_ge_solve(ctx, m, NULL, NULL, NULL, r, &in), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert_eq(in.iterations, 0);
    size_t N = 41, J = 35;
    /* the calibrated baseline is an equilibrium: every hat 1 to 1e-13 */
    for (int it = 0; it <= WIOT_GE_DECOMP; it++) {
        if (it == WIOT_GE_INCOME || it == WIOT_GE_REVENUE || it == WIOT_GE_EXPORTS ||
            it == WIOT_GE_IMPORTS)
            continue;
        const double *v = wiot_ge_result_country(r, it);
        for (size_t n = 0; n < N; n++)
            cr_assert(fabs(v[n]) <= 1e-13, "item %d country %zu: %g", it, n, v[n]);
    }
    for (int it = 0; it < WIOT_GE_NSECTOR; it++) {
        const double *v = wiot_ge_result_sector(r, it);
        for (size_t q = 0; q < N * J; q++)
            cr_assert(fabs(v[q]) <= 1e-13, "sector item %d cell %zu: %g", it, q, v[q]);
    }
    const double *b = wiot_ge_result_trade(r, 0), *a = wiot_ge_result_trade(r, 1);
    for (size_t q = 0; q < N * N * J; q++)
        cr_assert(fabs(a[q] - b[q]) <= 1e-13 * (b[q] + 1), "trade %zu", q);
    wiot_ge_result_free(r);
    wiot_ge_model_free(m);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(ge, us_china_wiod2011_converges_residuals)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, DATA("wiod2013/wiot_2011.csv.gz"));
    wiot_ge_model *m = NULL;
    cr_assert_eq(wiot_ge_model_new(ctx, t, wiod_theta, NULL, &m, NULL), WIOT_OK);
    wiot_schedule *s = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t, &s), WIOT_OK);
    size_t us = wiot_table_find_country(t, "USA"), cn = wiot_table_find_country(t, "CHN");
    for (size_t j = 0; j < 16; j++) {
        wiot_schedule_set(ctx, s, us, cn, j, 0.25);
        wiot_schedule_set(ctx, s, cn, us, j, 0.25);
    }
    wiot_ge_result *r = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r), WIOT_OK);
    wiot_ge_info in;
    cr_assert_eq(wiot_ge_solve(ctx, m, s, NULL, NULL, r, &in), WIOT_OK, "%s", wiot_errmsg(ctx));
    check_info(&in);
    cr_assert(in.residual <= 1e-12);
    const double *W = wiot_ge_result_country(r, WIOT_GE_WELFARE);
    cr_assert_lt(W[us], 0);
    cr_assert_lt(W[cn], 0);
    /* US imports from China fall, from Mexico rise (trade diversion) */
    const double *b = wiot_ge_result_trade(r, 0), *a = wiot_ge_result_trade(r, 1);
    size_t mx = wiot_table_find_country(t, "MEX"), J = 35, N = 41;
    double cb = 0, ca = 0, mb = 0, ma = 0;
    for (size_t j = 0; j < 16; j++) {
        cb += b[(us * N + cn) * J + j];
        ca += a[(us * N + cn) * J + j];
        mb += b[(us * N + mx) * J + j];
        ma += a[(us * N + mx) * J + j];
    }
    cr_assert_lt(ca, cb);
    cr_assert_gt(ma, mb);
    wiot_ge_result_free(r);
    wiot_schedule_free(s);
    wiot_ge_model_free(m);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ACR (2012): one sector, beta = 1, balanced trade, no tariffs: W^_n = pi^_nn^(-1/theta). */
Test(ge, acr_closed_form_one_sector)
{
    wiot_ctx *ctx = test_ctx();
    size_t C = 5;
    double Z[25] = {0}, F[25];
    balanced_F(C, F);
    wiot_table *t = small_table(ctx, C, 1, Z, F, NULL);
    double theta = 4.37;
    wiot_ge_model *m = NULL;
    wiot_ge_calib cal;
    cr_assert_eq(wiot_ge_model_new(ctx, t, &theta, NULL, &m, &cal), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert(cal.max_deficit_share <= 1e-14);
    wiot_schedule *ntb = NULL;
    cr_assert_eq(wiot_ge_schedule_new(ctx, m, &ntb), WIOT_OK);
    wiot_schedule_set(ctx, ntb, 0, 1, 0, 0.30);
    wiot_schedule_set(ctx, ntb, 2, 0, 0, 0.125);
    wiot_schedule_set(ctx, ntb, 3, 4, 0, -0.2);
    wiot_ge_result *r = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r), WIOT_OK);
    wiot_ge_info in;
    cr_assert_eq(wiot_ge_solve(ctx, m, NULL, ntb, NULL, r, &in), WIOT_OK, "%s", wiot_errmsg(ctx));
    check_info(&in);
    const double *W = wiot_ge_result_country(r, WIOT_GE_WELFARE);
    const double *b = wiot_ge_result_trade(r, 0), *a = wiot_ge_result_trade(r, 1);
    for (size_t n = 0; n < C; n++) {
        double sb = 0, sa = 0;
        for (size_t i = 0; i < C; i++) {
            sb += b[n * C + i];
            sa += a[n * C + i];
        }
        double pihat = (a[n * C + n] / sa) / (b[n * C + n] / sb);
        /* 1e-10: the solve stops at residual 1e-12 of world value added */
        assert_close(1 + W[n], pow(pihat, -1 / theta), 1e-10);
    }
    wiot_ge_result_free(r);
    wiot_schedule_free(ntb);
    wiot_ge_model_free(m);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* One sector with intermediates (CP2015 §4): W^_n = pi^_nn^(-1/(theta beta_n)) with zero
 * deficits and no tariffs. The table has deficits, so its zero-deficit world is solved
 * first and the shock applied to it. */
Test(ge, one_sector_with_intermediates_closed_form)
{
    wiot_ctx *ctx = test_ctx();
    size_t C = 4;
    double Z[16], F[16];
    for (size_t i = 0; i < C; i++)
        for (size_t j = 0; j < C; j++) {
            Z[i + j * C] = (i == j ? 120.0 + 10.0 * i : 6.0 + (double)((3 * i + j) % 5));
            F[i + j * C] = (i == j ? 300.0 - 20.0 * j : 9.0 + (double)((i + 2 * j) % 4));
        }
    wiot_table *t = small_table(ctx, C, 1, Z, F, NULL);
    double theta = 6.2;
    wiot_ge_model *m0 = NULL, *m = NULL;
    cr_assert_eq(wiot_ge_model_new(ctx, t, &theta, NULL, &m0, NULL), WIOT_OK);
    wiot_ge_options o = {0};
    o.deficits = WIOT_GE_DEFICITS_ZERO;
    wiot_ge_info in;
    cr_assert_eq(wiot_ge_model_rebase(ctx, m0, &o, &m, &in), WIOT_OK, "%s", wiot_errmsg(ctx));
    check_info(&in);
    wiot_schedule *ntb = NULL;
    cr_assert_eq(wiot_ge_schedule_new(ctx, m, &ntb), WIOT_OK);
    wiot_schedule_set(ctx, ntb, 1, 0, 0, 0.4);
    wiot_schedule_set(ctx, ntb, 0, 3, 0, 0.15);
    wiot_ge_result *r = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r), WIOT_OK);
    cr_assert_eq(wiot_ge_solve(ctx, m, NULL, ntb, NULL, r, &in), WIOT_OK, "%s", wiot_errmsg(ctx));
    check_info(&in);
    const double *W = wiot_ge_result_country(r, WIOT_GE_WELFARE);
    const double *b = wiot_ge_result_trade(r, 0), *a = wiot_ge_result_trade(r, 1);
    for (size_t n = 0; n < C; n++) {
        /* beta_n from the table independently: 1 - inputs / output (row sums) */
        double Y = 0, in_ = 0, sb = 0, sa = 0;
        for (size_t j = 0; j < C; j++) {
            Y += Z[n + j * C] + F[n + j * C];
            in_ += Z[j + n * C];
        }
        double beta = 1 - in_ / Y;
        for (size_t i = 0; i < C; i++) {
            sb += b[n * C + i];
            sa += a[n * C + i];
        }
        double pihat = (a[n * C + n] / sa) / (b[n * C + n] / sb);
        assert_close(1 + W[n], pow(pihat, -1 / (theta * beta)), 1e-10);
    }
    wiot_ge_result_free(r);
    wiot_schedule_free(ntb);
    wiot_ge_model_free(m);
    wiot_ge_model_free(m0);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* Two countries that are mirror images, symmetric tariffs: symmetric results. */
Test(ge, symmetric_two_countries)
{
    wiot_ctx *ctx = test_ctx();
    size_t C = 2, S = 3, n = 6;
    double Z[36], F[12];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            size_t ci = i / S, si = i % S, cj = j / S, sj = j % S;
            Z[i + j * n] = (ci == cj ? 20.0 : 3.0) + (double)((si * 2 + sj) % 3) * 1.7;
        }
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < C; d++)
            F[i + d * n] = (i / S == d ? 150.0 : 25.0) + 5.0 * (double)(i % S);
    wiot_table *t = small_table(ctx, C, S, Z, F, NULL);
    double th[3] = {3.5, 7.0, 5.25};
    wiot_ge_model *m = NULL;
    cr_assert_eq(wiot_ge_model_new(ctx, t, th, NULL, &m, NULL), WIOT_OK);
    wiot_schedule *s = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t, &s), WIOT_OK);
    wiot_schedule_set(ctx, s, 0, 1, 0, 0.2);
    wiot_schedule_set(ctx, s, 1, 0, 0, 0.2);
    wiot_schedule_set(ctx, s, 0, 1, 2, 0.35);
    wiot_schedule_set(ctx, s, 1, 0, 2, 0.35);
    wiot_ge_result *r = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r), WIOT_OK);
    wiot_ge_info in;
    cr_assert_eq(wiot_ge_solve(ctx, m, s, NULL, NULL, r, &in), WIOT_OK, "%s", wiot_errmsg(ctx));
    check_info(&in);
    for (int it = 0; it < WIOT_GE_NCOUNTRY; it++) {
        const double *v = wiot_ge_result_country(r, it);
        cr_assert(rel_close(v[0], v[1], 1e-12, 1e-12), "item %d: %.17g vs %.17g", it, v[0], v[1]);
    }
    const double *W = wiot_ge_result_country(r, WIOT_GE_WELFARE);
    cr_assert_lt(W[0], 0);  /* a symmetric tariff war makes both poorer */
    for (int it = 0; it < WIOT_GE_NSECTOR; it++) {
        const double *v = wiot_ge_result_sector(r, it);
        for (size_t j = 0; j < S; j++)
            cr_assert(rel_close(v[j], v[S + j], 1e-12, 1e-12));
    }
    wiot_ge_result_free(r);
    wiot_schedule_free(s);
    wiot_ge_model_free(m);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* Build a 4 x 2 table with the countries in order perm and solve one scenario. */
static void solve_perm(const size_t *perm, double *welfare, double *price)
{
    wiot_ctx *ctx = test_ctx();
    size_t C = 4, S = 2, n = 8;
    double Zb[64], Fb[32], Z[64], F[32];
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++)
            Zb[i + j * n] = (i / S == j / S ? 14.0 : 1.5) + (double)((5 * i + 3 * j) % 7);
        for (size_t d = 0; d < C; d++)
            Fb[i + d * n] = (i / S == d ? 90.0 + 11.0 * d : 4.0) + (double)((i + d) % 5);
    }
    /* new country k = old country perm[k] */
    char *codes[4];
    static const char *cc[] = {"AAA", "BBB", "CCC", "DDD"};
    for (size_t k = 0; k < C; k++)
        codes[k] = (char *)cc[perm[k]];
    for (size_t ki = 0; ki < C; ki++)
        for (size_t si = 0; si < S; si++) {
            size_t i = ki * S + si, io = perm[ki] * S + si;
            for (size_t kj = 0; kj < C; kj++) {
                for (size_t sj = 0; sj < S; sj++)
                    Z[i + (kj * S + sj) * n] = Zb[io + (perm[kj] * S + sj) * n];
                F[i + kj * n] = Fb[io + perm[kj] * n];
            }
        }
    wiot_table *t = small_table(ctx, C, S, Z, F, codes);
    double th[2] = {4.1, 8.3};
    wiot_ge_model *m = NULL;
    cr_assert_eq(wiot_ge_model_new(ctx, t, th, NULL, &m, NULL), WIOT_OK);
    wiot_schedule *s = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t, &s), WIOT_OK);
    /* old country 0 taxes old country 2, sector 1; old 3 taxes old 1, sector 0 */
    size_t inv[4];
    for (size_t k = 0; k < C; k++)
        inv[perm[k]] = k;
    wiot_schedule_set(ctx, s, inv[0], inv[2], 1, 0.3);
    wiot_schedule_set(ctx, s, inv[3], inv[1], 0, 0.15);
    wiot_ge_result *r = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r), WIOT_OK);
    wiot_ge_info in;
    cr_assert_eq(wiot_ge_solve(ctx, m, s, NULL, NULL, r, &in), WIOT_OK, "%s", wiot_errmsg(ctx));
    check_info(&in);
    const double *W = wiot_ge_result_country(r, WIOT_GE_WELFARE);
    const double *P = wiot_ge_result_sector(r, WIOT_GE_PRICE);
    for (size_t k = 0; k < C; k++) {
        welfare[perm[k]] = W[k];
        for (size_t j = 0; j < S; j++)
            price[perm[k] * S + j] = P[k * S + j];
    }
    wiot_ge_result_free(r);
    wiot_schedule_free(s);
    wiot_ge_model_free(m);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(ge, invariant_under_reordering_countries)
{
    size_t id[4] = {0, 1, 2, 3}, pm[4] = {2, 0, 3, 1};
    double w0[4], w1[4], p0[8], p1[8];
    solve_perm(id, w0, p0);
    solve_perm(pm, w1, p1);
    for (size_t k = 0; k < 4; k++)
        assert_close(w0[k], w1[k], 1e-12);  /* both solves stop at residual 1e-12 */
    for (size_t k = 0; k < 8; k++)
        assert_close(p0[k], p1[k], 1e-12);
}

/* The dense LAPACK expenditure solve and the iteration give the same equilibrium. */
Test(ge, dense_and_iterative_agree)
{
    size_t id[4] = {0, 1, 2, 3};
    (void)id;
    wiot_ctx *ctx = test_ctx();
    size_t C = 3;
    double Z[9], F[9];
    for (size_t i = 0; i < 9; i++) {
        Z[i] = 5.0 + (double)(i % 4) + (i % 4 == 0 ? 40 : 0);
        F[i] = 30.0 + (double)(i * 7 % 5) + (i % 4 == 0 ? 100 : 0);
    }
    wiot_table *t = small_table(ctx, C, 1, Z, F, NULL);
    double th = 5.5;
    wiot_ge_model *m = NULL;
    cr_assert_eq(wiot_ge_model_new(ctx, t, &th, NULL, &m, NULL), WIOT_OK);
    wiot_schedule *s = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t, &s), WIOT_OK);
    wiot_schedule_set(ctx, s, 0, 1, 0, 0.5);
    wiot_ge_result *r1 = NULL, *r2 = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r1), WIOT_OK);
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r2), WIOT_OK);
    wiot_ge_options o = {0};
    wiot_ge_info in;
    cr_assert_eq(wiot_ge_solve(ctx, m, s, NULL, &o, r1, &in), WIOT_OK);
    check_info(&in);
    o.linear = WIOT_GE_LINEAR_DENSE;
    cr_assert_eq(wiot_ge_solve(ctx, m, s, NULL, &o, r2, &in), WIOT_OK, "%s", wiot_errmsg(ctx));
    check_info(&in);
    for (int it = 0; it <= WIOT_GE_DECOMP; it++)
        for (size_t n = 0; n < C; n++)
            cr_assert(rel_close(wiot_ge_result_country(r1, it)[n],
                                wiot_ge_result_country(r2, it)[n], 1e-10, 1e-12), "item %d", it);
    wiot_ge_result_free(r1);
    wiot_ge_result_free(r2);
    wiot_schedule_free(s);
    wiot_ge_model_free(m);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* CP2015 Table 2 from the shipped data, to the paper's two decimals (percent). */
static void cp2015_table2(int deficits, const double *welfare, const double *tot,
                          const double *vot, const double *rw)
{
    wiot_ctx *ctx = test_ctx();
    wiot_ge_model *m0 = NULL, *m = NULL;
    wiot_schedule *cfl = NULL;
    wiot_ge_calib cal;
    cr_assert_eq(wiot_ge_model_load_cp(ctx, DATA("cp2015"), &m0, &cfl, &cal), WIOT_OK, "%s",
                 wiot_errmsg(ctx));
    cr_assert_eq(wiot_ge_countries(m0), 31);
    cr_assert_eq(wiot_ge_sectors(m0), 40);
    wiot_ge_options o = {0};
    o.deficits = deficits;
    wiot_ge_info in;
    cr_assert_eq(wiot_ge_model_rebase(ctx, m0, &o, &m, &in), WIOT_OK, "%s", wiot_errmsg(ctx));
    check_info(&in);
    wiot_ge_result *r = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r), WIOT_OK);
    cr_assert_eq(wiot_ge_solve(ctx, m, cfl, NULL, NULL, r, &in), WIOT_OK, "%s", wiot_errmsg(ctx));
    check_info(&in);
    static const char *nafta[3] = {"Canada", "Mexico", "USA"};
    const double *W = wiot_ge_result_country(r, WIOT_GE_DECOMP);
    const double *T = wiot_ge_result_country(r, WIOT_GE_TOT);
    const double *V = wiot_ge_result_country(r, WIOT_GE_VOT);
    const double *R = wiot_ge_result_country(r, WIOT_GE_REAL_WAGE);
    for (int k = 0; k < 3; k++) {
        size_t n = 0;
        while (strcmp(wiot_ge_country(m, n), nafta[k]))
            n++;
        /* the paper rounds to two decimals: |100 x - published| <= 0.005 */
        assert_close(100 * W[n], welfare[k], 0.005);
        assert_close(100 * T[n], tot[k], 0.005);
        assert_close(100 * V[n], vot[k], 0.005);
        assert_close(100 * R[n], rw[k], 0.005);
    }
    wiot_ge_result_free(r);
    wiot_schedule_free(cfl);
    wiot_ge_model_free(m);
    wiot_ge_model_free(m0);
    wiot_ctx_free(ctx);
}

Test(ge, cp2015_table2_zero_deficits)
{
    double w[3] = {-0.06, 1.31, 0.08}, t[3] = {-0.11, -0.41, 0.04}, v[3] = {0.04, 1.72, 0.04},
           rw[3] = {0.32, 1.72, 0.11};
    cp2015_table2(WIOT_GE_DEFICITS_ZERO, w, t, v, rw);
}

Test(ge, cp2015_deficits_fixed)
{
    double w[3] = {-0.04, 1.17, 0.08}, t[3] = {-0.08, -0.41, 0.05}, v[3] = {0.04, 1.59, 0.04},
           rw[3] = {0.33, 1.64, 0.12};
    cp2015_table2(WIOT_GE_DEFICITS_FIXED, w, t, v, rw);
}

/* A batch of schedules (a sweep of rates and a Monte Carlo draw of theta) equals single
 * solves bit for bit, on 1 and 2 threads. */
Test(ge, batch_equals_single_solves)
{
    wiot_ctx *ctx = test_ctx();
    wiot_ge_model *m = NULL;
    wiot_schedule *cfl = NULL;
    cr_assert_eq(wiot_ge_model_load_cp(ctx, DATA("cp2015"), &m, &cfl, NULL), WIOT_OK);
    enum { K = 4 };
    wiot_schedule *s[K];
    wiot_ge_result *rb[K], *rs = NULL;
    wiot_ge_options o[K];
    double th[K][40];
    memset(o, 0, sizeof o);
    for (int k = 0; k < K; k++) {
        cr_assert_eq(wiot_schedule_copy(ctx, cfl, &s[k]), WIOT_OK);
        cr_assert_eq(wiot_schedule_add(ctx, s[k], cfl, 0.25 * k), WIOT_OK);
        for (int j = 0; j < 40; j++)
            th[k][j] = wiot_ge_theta(m)[j] * (1 + 0.1 * ((k + j) % 3 - 1));
        o[k].theta = k == 3 ? th[k] : NULL;
        cr_assert_eq(wiot_ge_result_new(ctx, m, &rb[k]), WIOT_OK);
    }
    cr_assert_eq(wiot_ge_result_new(ctx, m, &rs), WIOT_OK);
    for (int nt = 1; nt <= 2; nt++) {
        wiot_ctx_set(ctx, WIOT_OPT_THREADS, nt);
        wiot_ge_info info[K];
        int rcs[K];
        cr_assert_eq(wiot_ge_solve_batch(ctx, m, K, (const wiot_schedule *const *)s, NULL, o,
                                         rb, info, rcs), WIOT_OK, "%s", wiot_errmsg(ctx));
        for (int k = 0; k < K; k++) {
            cr_assert_eq(rcs[k], WIOT_OK);
            check_info(&info[k]);
            wiot_ge_info in;
            cr_assert_eq(wiot_ge_solve(ctx, m, s[k], NULL, &o[k], rs, &in), WIOT_OK);
            for (int it = 0; it < WIOT_GE_NCOUNTRY; it++)
                cr_assert_eq(memcmp(wiot_ge_result_country(rb[k], it),
                                    wiot_ge_result_country(rs, it), 31 * sizeof(double)), 0,
                             "threads %d scenario %d item %d", nt, k, it);
        }
    }
    for (int k = 0; k < K; k++) {
        wiot_schedule_free(s[k]);
        wiot_ge_result_free(rb[k]);
    }
    wiot_ge_result_free(rs);
    wiot_schedule_free(cfl);
    wiot_ge_model_free(m);
    wiot_ctx_free(ctx);
}

/* ---------------------------------------------------------------- bad input */
static wiot_table *bad_base(wiot_ctx *ctx, int no_final_c)
{
    size_t C = 3;
    static double Z[9], F[9];
    balanced_F(C, F);
    for (size_t i = 0; i < 9; i++)
        Z[i] = 2.0 + (double)(i % 3);
    if (no_final_c)
        for (size_t i = 0; i < 3; i++)
            F[i + 2 * 3] = 0;
    return small_table(ctx, C, 1, Z, F, NULL);
}

Test(ge, bad_elasticities)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = bad_base(ctx, 0);
    wiot_ge_model *m = (wiot_ge_model *)&m;
    double th = 0;
    cr_assert_eq(wiot_ge_model_new(ctx, t, &th, NULL, &m, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "elasticity of sector 's1' is 0"), "%s", wiot_errmsg(ctx));
    th = -2;
    cr_assert_eq(wiot_ge_model_new(ctx, t, &th, NULL, &m, NULL), WIOT_EINVAL);
    th = NAN;
    cr_assert_eq(wiot_ge_model_new(ctx, t, &th, NULL, &m, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_ge_model_new(ctx, t, NULL, NULL, &m, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "no trade elasticities"));
    /* Monte Carlo draws are checked too */
    th = 3;
    m = NULL;
    cr_assert_eq(wiot_ge_model_new(ctx, t, &th, NULL, &m, NULL), WIOT_OK);
    wiot_ge_result *r = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r), WIOT_OK);
    double bad = -1;
    wiot_ge_options o = {0};
    o.theta = &bad;
    cr_assert_eq(wiot_ge_solve(ctx, m, NULL, NULL, &o, r, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "theta must be"), "%s", wiot_errmsg(ctx));
    wiot_ge_result_free(r);
    wiot_ge_model_free(m);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(ge, nonpositive_trade_cost_and_bad_arguments)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = bad_base(ctx, 0);
    double th = 3;
    wiot_ge_model *m = NULL;
    cr_assert_eq(wiot_ge_model_new(ctx, t, &th, NULL, &m, NULL), WIOT_OK);
    wiot_ge_result *r = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r), WIOT_OK);
    wiot_schedule *s = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t, &s), WIOT_OK);
    double *rate = (double *)wiot_schedule_rates(s);
    rate[(0 * 3 + 1) * 1 + 0] = -1.0;  /* stacked measures can reach -100 % */
    cr_assert_eq(wiot_ge_solve(ctx, m, s, NULL, NULL, r, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "tariff of 'AAA' on 'BBB' goods of sector 's1' is -1"),
              "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_ge_solve(ctx, m, NULL, s, NULL, r, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "non-tariff barrier of 'AAA' on 'BBB'"), "%s",
              wiot_errmsg(ctx));
    /* a schedule of other dimensions, bad options, NULLs */
    wiot_table *t4 = small_table(ctx, 2, 1, (double[4]){1, 1, 1, 1}, (double[4]){9, 1, 1, 9}, NULL);
    wiot_schedule *s4 = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t4, &s4), WIOT_OK);
    cr_assert_eq(wiot_ge_solve(ctx, m, s4, NULL, NULL, r, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_ge_model_new(ctx, t, &th, s4, &m, NULL), WIOT_EINVAL);
    wiot_ge_options o = {0};
    o.deficits = 7;
    cr_assert_eq(wiot_ge_solve(ctx, m, NULL, NULL, &o, r, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_ge_solve(ctx, NULL, NULL, NULL, NULL, r, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_ge_solve(NULL, m, NULL, NULL, NULL, r, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_ge_result_new(ctx, NULL, &r), WIOT_EINVAL);
    cr_assert_eq(wiot_ge_model_rebase(ctx, NULL, NULL, NULL, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_ge_solve_batch(ctx, m, 1, NULL, NULL, NULL, NULL, NULL, NULL), WIOT_EINVAL);
    const wiot_schedule *bs[1] = {s};
    wiot_ge_result *rr[1] = {r};
    int rcs[1];
    rate[(0 * 3 + 1) * 1 + 0] = -1.5;
    cr_assert_eq(wiot_ge_solve_batch(ctx, m, 1, bs, NULL, NULL, rr, NULL, rcs), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "scenario 0: tariff of 'AAA'"), "%s", wiot_errmsg(ctx));
    cr_assert_eq(rcs[0], WIOT_EINVAL);
    cr_assert_null(wiot_ge_result_country(r, 99));
    cr_assert_null(wiot_ge_result_trade(r, 2));
    cr_assert_null(wiot_ge_country(m, 3));
    wiot_ge_model_free(NULL);
    wiot_ge_result_free(NULL);
    wiot_schedule_free(s);
    wiot_schedule_free(s4);
    wiot_table_free(t4);
    wiot_ge_result_free(r);
    wiot_ge_model_free(m);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(ge, calibration_failure_names_the_country)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = bad_base(ctx, 1);
    double th = 3;
    wiot_ge_model *m = NULL;
    cr_assert_eq(wiot_ge_model_new(ctx, t, &th, NULL, &m, NULL), WIOT_EDATA);
    cr_assert_null(m);
    cr_assert(strstr(wiot_errmsg(ctx), "calibration fails for 'CCC': no final demand"), "%s",
              wiot_errmsg(ctx));
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(ge, nonconvergence_reports_residual)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = bad_base(ctx, 0);
    double th = 3;
    wiot_ge_model *m = NULL;
    cr_assert_eq(wiot_ge_model_new(ctx, t, &th, NULL, &m, NULL), WIOT_OK);
    wiot_ge_result *r = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r), WIOT_OK);
    wiot_schedule *s = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t, &s), WIOT_OK);
    wiot_schedule_set(ctx, s, 0, 1, 0, 0.8);
    wiot_ge_options o = {0};
    o.max_iter = 1;
    wiot_ge_info in;
    cr_assert_eq(wiot_ge_solve(ctx, m, s, NULL, &o, r, &in), WIOT_ENOCONV);
    cr_assert(strstr(wiot_errmsg(ctx), "did not converge in 1 iterations: labour-market residual"),
              "%s", wiot_errmsg(ctx));
    cr_assert_gt(in.residual, 1e-12);
    wiot_schedule_free(s);
    wiot_ge_result_free(r);
    wiot_ge_model_free(m);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

Test(ge, cp_reader_errors)
{
    wiot_ctx *ctx = test_ctx();
    wiot_ge_model *m = NULL;
    cr_assert_eq(wiot_ge_model_load_cp(ctx, "no/such/dir", &m, NULL, NULL), WIOT_EIO);
    cr_assert(strstr(wiot_errmsg(ctx), "no/such/dir/regions.csv: cannot open"), "%s",
              wiot_errmsg(ctx));
    char dir[] = "/tmp/wiot_ge_cpXXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char p[256];
    snprintf(p, sizeof p, "%s/regions.csv", dir);
    write_file(p, "region\nA\nB\n");
    snprintf(p, sizeof p, "%s/sectors.csv", dir);
    write_file(p, "sector\nGoods\n");
    snprintf(p, sizeof p, "%s/theta.csv", dir);
    write_file(p, "sector,value\nGoods,-4\n");
    cr_assert_eq(wiot_ge_model_load_cp(ctx, dir, &m, NULL, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "theta.csv:2: elasticity of sector 'Goods' is -4"), "%s",
              wiot_errmsg(ctx));
    write_file(p, "sector,value\nGoods,4\n");
    snprintf(p, sizeof p, "%s/trade.csv", dir);
    write_file(p, "sector,exporter,importer,value,tariff,tariff_bln,tariff_cfl,d_bln,d_cfl\n"
                  "Goods,A,C,1,0,0,0,1,1\n");
    cr_assert_eq(wiot_ge_model_load_cp(ctx, dir, &m, NULL, NULL), WIOT_ENOTFOUND);
    cr_assert(strstr(wiot_errmsg(ctx), "trade.csv:2: field 'importer': unknown name 'C'"), "%s",
              wiot_errmsg(ctx));
    write_file(p, "sector,exporter,importer,value\n");
    cr_assert_eq(wiot_ge_model_load_cp(ctx, dir, &m, NULL, NULL), WIOT_EFORMAT);
    cr_assert(strstr(wiot_errmsg(ctx), "trade.csv:1: header must be"), "%s", wiot_errmsg(ctx));
    write_file(p, "sector,exporter,importer,value,tariff,tariff_bln,tariff_cfl,d_bln,d_cfl\n"
                  "Goods,A,B,x1,0,0,0,1,1\n");
    cr_assert_eq(wiot_ge_model_load_cp(ctx, dir, &m, NULL, NULL), WIOT_EFORMAT);
    cr_assert(strstr(wiot_errmsg(ctx), "trade.csv:2: field 'value': 'x1' is not a finite number"),
              "%s", wiot_errmsg(ctx));
    /* clean up */
    const char *files[] = {"regions.csv", "sectors.csv", "theta.csv", "trade.csv"};
    for (int k = 0; k < 4; k++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[k]);
        unlink(p);
    }
    rmdir(dir);
    cr_assert_null(m);
    wiot_ctx_free(ctx);
}

/* Every allocation point fails cleanly: model, result, solve, rebase, batch. */
Test(ge, allocation_failures_are_clean)
{
    test_alloc ta = {0, -1, 0};
    wiot_allocator al = test_allocator(&ta);
    wiot_ctx *c0 = test_ctx();
    wiot_table *t = bad_base(c0, 0);
    int succeeded = 0;
    for (long k = 0; k < 200 && !succeeded; k++) {
        ta.calls = 0;
        ta.fail_at = -1;
        wiot_ctx *ctx;
        cr_assert_eq(wiot_ctx_new_custom(&al, &ctx), WIOT_OK);
        ta.fail_at = k + 1;
        double th = 3;
        wiot_ge_model *m = NULL, *b = NULL;
        wiot_ge_result *r = NULL;
        wiot_ge_options o = {0};
        o.deficits = WIOT_GE_DEFICITS_ZERO;
        int rc = wiot_ge_model_new(ctx, t, &th, NULL, &m, NULL);
        if (!rc)
            rc = wiot_ge_model_rebase(ctx, m, &o, &b, NULL);
        if (!rc)
            rc = wiot_ge_result_new(ctx, b, &r);
        if (!rc)
            rc = wiot_ge_solve(ctx, b, NULL, NULL, NULL, r, NULL);
        wiot_ge_options dense = {0};
        dense.linear = WIOT_GE_LINEAR_DENSE;
        if (!rc)
            rc = wiot_ge_solve(ctx, b, NULL, NULL, &dense, r, NULL);
        if (!rc) {
            wiot_ge_result *rr[1] = {r};
            rc = wiot_ge_solve_batch(ctx, b, 1, NULL, NULL, NULL, rr, NULL, NULL);
        }
        if (rc)
            cr_assert_eq(rc, WIOT_ENOMEM, "k=%ld: %s", k, wiot_errmsg(ctx));
        else
            succeeded = 1;
        wiot_ge_result_free(r);
        wiot_ge_model_free(b);
        wiot_ge_model_free(m);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0, "k=%ld leaked %ld blocks", k, ta.live);
    }
    cr_assert(succeeded);
    wiot_table_free(t);
    wiot_ctx_free(c0);
}

/* Baseline tariffs (levels) keep the calibrated baseline an equilibrium; removing them
 * raises the liberalizer's imports and gives a positive volume-of-trade term. */
Test(ge, baseline_tariffs_zero_shock_and_liberalization)
{
    wiot_ctx *ctx = test_ctx();
    size_t C = 3, S = 2, n = 6;
    double Z[36], F[18];
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++)
            Z[i + j * n] = (i / S == j / S ? 12.0 : 2.0) + (double)((i + 2 * j) % 3);
        for (size_t d = 0; d < C; d++)
            F[i + d * n] = (i / S == d ? 80.0 : 6.0) + (double)(i % 4);
    }
    wiot_table *t = small_table(ctx, C, S, Z, F, NULL);
    wiot_schedule *b = NULL, *cut = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t, &b), WIOT_OK);
    cr_assert_eq(wiot_schedule_new(ctx, t, &cut), WIOT_OK);
    for (size_t d = 0; d < C; d++)
        for (size_t c = 0; c < C; c++)
            for (size_t s = 0; s < S; s++)
                wiot_schedule_set(ctx, b, d, c, s, 0.08 + 0.04 * s);
    wiot_schedule_set(ctx, cut, 0, 1, 0, -0.08);  /* country 0 removes its tariff on 1, s1 */
    wiot_schedule_set(ctx, cut, 0, 1, 1, -0.12);
    double th[2] = {4.5, 6.5};
    wiot_ge_model *m = NULL;
    wiot_ge_calib cal;
    cr_assert_eq(wiot_ge_model_new(ctx, t, th, b, &m, &cal), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert_eq(cal.baseline_tariffs, 12);
    wiot_ge_result *r = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r), WIOT_OK);
    wiot_ge_info in;
    cr_assert_eq(wiot_ge_solve(ctx, m, NULL, NULL, NULL, r, &in), WIOT_OK);
    for (int it = 0; it <= WIOT_GE_DECOMP; it++) {
        if (it == WIOT_GE_INCOME || it == WIOT_GE_REVENUE || it == WIOT_GE_EXPORTS ||
            it == WIOT_GE_IMPORTS)
            continue;
        for (size_t k = 0; k < C; k++)
            cr_assert(fabs(wiot_ge_result_country(r, it)[k]) <= 1e-13, "item %d", it);
    }
    /* baseline revenue = sum of tau x flows, independently from the table */
    double rev0 = 0;
    for (size_t i = 0; i < n; i++)
        if (i / S != 0) {
            double fl = F[i];
            for (size_t j = 0; j < S; j++)
                fl += Z[i + j * n];
            rev0 += (0.08 + 0.04 * (i % S)) * fl;
        }
    assert_rel(wiot_ge_result_country(r, WIOT_GE_REVENUE_BASE)[0], rev0, 1e-13);
    cr_assert_eq(wiot_ge_solve(ctx, m, cut, NULL, NULL, r, &in), WIOT_OK, "%s", wiot_errmsg(ctx));
    check_info(&in);
    cr_assert_gt(wiot_ge_result_country(r, WIOT_GE_VOT)[0], 0);
    cr_assert_gt(wiot_ge_result_country(r, WIOT_GE_IMPORTS)[0],
                 wiot_ge_result_country(r, WIOT_GE_IMPORTS_BASE)[0]);
    cr_assert_lt(wiot_ge_result_country(r, WIOT_GE_REVENUE)[0],
                 wiot_ge_result_country(r, WIOT_GE_REVENUE_BASE)[0]);
    /* a non-tariff barrier on the same flows: the iceberg term is negative */
    wiot_schedule *ntb = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t, &ntb), WIOT_OK);
    wiot_schedule_set(ctx, ntb, 0, 1, 0, 0.2);
    cr_assert_eq(wiot_ge_solve(ctx, m, NULL, ntb, NULL, r, &in), WIOT_OK);
    check_info(&in);
    cr_assert_lt(wiot_ge_result_country(r, WIOT_GE_NTB_EFFECT)[0], 0);
    cr_assert_lt(wiot_ge_result_country(r, WIOT_GE_WELFARE)[0], 0);
    wiot_schedule_free(ntb);
    wiot_schedule_free(b);
    wiot_schedule_free(cut);
    wiot_ge_result_free(r);
    wiot_ge_model_free(m);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* The memory limit is checked before the model, the workspace or the dense system is
 * allocated. */
Test(ge, memory_limit_refused_before_allocating)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = bad_base(ctx, 0);
    double th = 3;
    wiot_ge_model *m = NULL;
    cr_assert_eq(wiot_ge_model_new(ctx, t, &th, NULL, &m, NULL), WIOT_OK);
    wiot_ge_result *r = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r), WIOT_OK);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 64), WIOT_OK);
    wiot_ge_model *m2 = NULL;
    cr_assert_eq(wiot_ge_model_new(ctx, t, &th, NULL, &m2, NULL), WIOT_ENOMEM);
    cr_assert(strstr(wiot_errmsg(ctx), "the general-equilibrium model needs"), "%s",
              wiot_errmsg(ctx));
    wiot_ge_result *r2 = NULL;
    cr_assert_eq(wiot_ge_result_new(ctx, m, &r2), WIOT_ENOMEM);
    wiot_ge_options o = {0};
    o.linear = WIOT_GE_LINEAR_DENSE;
    cr_assert_eq(wiot_ge_solve(ctx, m, NULL, NULL, &o, r, NULL), WIOT_ENOMEM);
    cr_assert(strstr(wiot_errmsg(ctx), "the dense expenditure system needs"), "%s",
              wiot_errmsg(ctx));
    wiot_ge_result_free(r);
    wiot_ge_model_free(m);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}
