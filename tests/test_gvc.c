/* test_gvc.c -- value chains (kernel/gvc/, METHODS.md §7): KWW, WWZ, positions, APL,
 * gross trade. References: gvc_leather_expected.h (bench/numpy_gvc.py: the papers'
 * dense formulas with explicit inverses, an implementation independent of the
 * library's), decompr 6.8.0's printed values on its leather example, and
 * identities on every shipped WIOD 2013 year. */
#include "helpers.h"
#include "gvc_leather_expected.h"

#define LEATHER DATA("examples/decompr_leather.csv")
#define WIOD(y) DATA("wiod2013/wiot_" y ".csv.gz")

static wiot_gvc *test_gvc(wiot_ctx *ctx, const wiot_table *t, int flags)
{
    wiot_gvc *g = NULL;
    int rc = wiot_gvc_new(ctx, t, flags, &g);
    cr_assert_eq(rc, WIOT_OK, "wiot_gvc_new: %s", wiot_errmsg(ctx));
    return g;
}

/* |a - b| <= rtol * max(|a|, |b|, scale): relative to the flow a term belongs to, so
 * tiny terms of a large flow are judged against the flow (the identities' scale) */
static int close_to(double a, double b, double rtol, double scale)
{
    return rel_close(a, b, rtol, scale);
}

/* exports of country-sector j to r, from the table */
static double flow(const wiot_table *t, size_t j, size_t r)
{
    const size_t n = wiot_table_n(t), S = wiot_table_sectors(t), K = wiot_table_fd_categories(t);
    const double *Z = wiot_table_Z(t), *F = wiot_table_F(t);
    if (j / S == r)
        return 0;
    double e = 0;
    for (size_t k = r * S; k < (r + 1) * S; k++)
        e += Z[j + k * n];
    for (size_t q = 0; q < K; q++)
        e += F[j + (r * K + q) * n];
    return e;
}

Test(gvc, leather_kww_matches_papers_formulas_decompr_and_tiva)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, LEATHER);
    wiot_gvc *g = test_gvc(ctx, t, 0);
    const size_t C = 3, n = 9;
    double k[3 * 9], ks[9 * 9], res[3];
    cr_assert_eq(wiot_gvc_kww(ctx, g, k, C, ks, n, res), WIOT_OK, "%s", wiot_errmsg(ctx));
    /* decompr 6.8.0 kww() on leather, as printed (7 significant digits) */
    static const double dec[3][9] = {
        {19.34940, 18.97119, 8.411491, 5.259501, 0.8259724, 0.8723949, 3.450595, 3.388617, 3.770832},
        {43.39461, 26.20678, 7.740053, 10.475795, 2.0075781, 2.6369363, 10.205386, 5.359698, 5.573163},
        {78.73101, 15.23967, 2.748464, 5.689669, 4.4335916, 4.4481800, 26.668992, 4.455024, 5.185401}};
    double tiva[3 * WIOT_TIVA_NITEMS];
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(ctx, wiot_gvc_table(g), WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    cr_assert_eq(wiot_tiva(ctx, lu, tiva, C, NULL, 0, NULL, 0, NULL), WIOT_OK);
    for (size_t s = 0; s < C; s++) {
        double sum = 0, dva = 0, fva = 0, e = tiva[s + WIOT_TIVA_EXPORTS * C];
        for (int q = 0; q < 9; q++) {
            const double v = k[s + q * C];
            /* numpy: same formulas, explicit inverses; 1e-12 relative to exports (a few
             * hundred rounding errors on a 9 x 9 system) */
            cr_assert(close_to(v, EXP_KWW[s][q], 1e-12, e), "s=%zu term %d: %.17g vs %.17g", s, q + 1,
                      v, EXP_KWW[s][q]);
            /* decompr printed 7 digits: 5e-7 relative */
            cr_assert(close_to(v, dec[s][q], 5e-7, 1e-300), "s=%zu term %d: %.9g vs decompr %.9g", s,
                      q + 1, v, dec[s][q]);
            double bys = 0;
            for (size_t a = 0; a < 3; a++)
                bys += ks[s * 3 + a + q * n];
            cr_assert(close_to(bys, v, 1e-12, e), "by-sector sum s=%zu term %d", s, q + 1);
            sum += v;
            if (q < 6)
                dva += v;
            else
                fva += v;
        }
        /* the identities, to 1e-12 of gross exports */
        cr_assert(close_to(sum, e, 1e-12, e), "s=%zu: sum %.17g vs exports %.17g", s, sum, e);
        cr_assert(close_to(dva, tiva[s + WIOT_TIVA_DVA * C], 1e-12, e));
        cr_assert(close_to(fva, tiva[s + WIOT_TIVA_FVA * C], 1e-12, e));
        /* FDC from its formula equals the residual E - terms 1..8 */
        cr_assert(close_to(k[s + 8 * C], res[s], 1e-12, e), "FDC %.17g vs residual %.17g", k[s + 8 * C],
                  res[s]);
        cr_assert(close_to(k[s] + k[s + C] + k[s + 2 * C], tiva[s + WIOT_TIVA_VAX * C], 1e-12, e));
    }
    cr_assert_str_eq(wiot_kww_name(9), "FDC");
    cr_assert_null(wiot_kww_name(0));
    cr_assert_null(wiot_kww_name(10));
    wiot_lu_free(lu);
    wiot_gvc_free(g);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(gvc, leather_wwz_matches_papers_formulas_and_decompr)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, LEATHER);
    wiot_gvc *g = test_gvc(ctx, t, 0);
    const size_t C = 3, n = 9, ld = 27;
    double w[27 * 16], k[27];
    wiot_info info;
    cr_assert_eq(wiot_gvc_wwz(ctx, g, w, ld, &info), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert(info.residual < 1e-12 && info.flops > 0, "residual %g", info.residual);
    for (size_t j = 0; j < n; j++)
        for (size_t r = 0; r < C; r++) {
            const double e = flow(t, j, r);
            double sum = 0;
            for (int q = 0; q < 16; q++) {
                const double v = w[j * C + r + q * ld];
                cr_assert(close_to(v, EXP_WWZ[j * C + r][q], 1e-12, e), "j=%zu r=%zu term %d: %.17g vs %.17g",
                          j, r, q + 1, v, EXP_WWZ[j * C + r][q]);
                sum += v;
            }
            cr_assert(close_to(sum, e, 1e-12, e), "j=%zu r=%zu: %.17g vs %.17g", j, r, sum, e);
        }
    /* decompr 6.8.0 wwz(), ARG Agriculture -> TUR, in decompr's column order
     * (DVA_FIN DVA_INT DVA_INTrexI1 DVA_INTrexF DVA_INTrexI2 RDV_INT RDV_FIN RDV_FIN2
     * OVA_FIN MVA_FIN OVA_INT MVA_INT DDC_FIN DDC_INT ODC MDC), printed to 7 digits */
    static const double dec[16] = {5.474435, 2.681369, 1.1363441, 1.409300, 0.5049315, 0.1686147,
                                   0.7056837, 0.34701975, 0.4112636, 0.2143010, 0.1958841, 0.1020712,
                                   0.06486415, 0.07171574, 0.3367360, 0.1754662};
    static const int paper[16] = {1, 2, 3, 4, 5, 8, 6, 7, 14, 11, 15, 12, 9, 10, 16, 13};
    static const char *names[16] = {"DVA_FIN", "DVA_INT", "DVA_INTrexI1", "DVA_INTrexF", "DVA_INTrexI2",
                                    "RDV_INT", "RDV_FIN", "RDV_FIN2", "OVA_FIN", "MVA_FIN", "OVA_INT",
                                    "MVA_INT", "DDC_FIN", "DDC_INT", "ODC", "MDC"};
    for (int c = 0; c < 16; c++) {
        cr_assert_str_eq(wiot_wwz_name(paper[c]), names[c]);
        cr_assert(close_to(w[0 * C + 1 + (paper[c] - 1) * ld], dec[c], 5e-7, 1e-300), "%s: %.9g vs %.9g",
                  names[c], w[1 + (paper[c] - 1) * ld], dec[c]);
    }
    /* aggregation to KWW (wwz2kww): by-sector KWW = WWZ summed over importers */
    double kc[27], ks[81];
    cr_assert_eq(wiot_gvc_kww(ctx, g, kc, C, ks, n, NULL), WIOT_OK);
    for (size_t s = 0; s < C; s++)
        for (int q = 1; q <= 9; q++) {
            double a = 0;
            for (int m = 1; m <= 16; m++)
                if (wiot_wwz_to_kww(m) == q)
                    for (size_t j = s * 3; j < s * 3 + 3; j++)
                        for (size_t r = 0; r < C; r++)
                            a += w[j * C + r + (m - 1) * ld];
            cr_assert(close_to(a, kc[s + (q - 1) * C], 1e-12, 100.0), "s=%zu q=%d", s, q);
        }
    (void)k;
    cr_assert_eq(wiot_wwz_to_kww(0), 0);
    cr_assert_null(wiot_wwz_name(17));
    wiot_gvc_free(g);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(gvc, leather_positions_and_apl_match_dense_formulas)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, LEATHER);
    wiot_gvc *g = test_gvc(ctx, t, 0);
    const size_t n = 9;
    double p[9 * WIOT_POS_NITEMS];
    cr_assert_eq(wiot_gvc_positions(ctx, g, p, n), WIOT_OK, "%s", wiot_errmsg(ctx));
    const wiot_table *tc = wiot_gvc_table(g);
    const double *v = wiot_table_v(tc), *F = wiot_table_F(tc);
    for (size_t j = 0; j < n; j++) {
        for (int q = 0; q < WIOT_POS_NITEMS; q++)
            /* lengths are O(1), money items O(10): 1e-12 relative, floor 1e-12 */
            cr_assert(close_to(p[j + q * n], EXP_POS[j][q], 1e-12, 1e-12), "j=%zu %s: %.17g vs %.17g", j,
                      wiot_pos_name(q), p[j + q * n], EXP_POS[j][q]);
        double y = 0;
        for (size_t c = 0; c < 3; c++)
            y += F[j + c * n];
        double sv = p[j + 2 * n] + p[j + 3 * n] + p[j + 4 * n] + p[j + 5 * n];
        double sy = p[j + 6 * n] + p[j + 7 * n] + p[j + 8 * n] + p[j + 9 * n];
        cr_assert(close_to(sv, v[j], 1e-12, 1.0), "VA parts %.17g vs v %.17g", sv, v[j]);
        cr_assert(close_to(sy, y, 1e-12, 1.0), "final parts %.17g vs Y %.17g", sy, y);
        cr_assert(p[j] >= 1.0 && p[j + n] >= 1.0);
    }
    size_t cols[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    double apl[81];
    cr_assert_eq(wiot_gvc_apl(ctx, g, cols, 9, apl, n), WIOT_OK);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            cr_assert(close_to(apl[i + j * n], EXP_APL[i][j], 1e-12, 1e-12), "APL[%zu,%zu]", i, j);
    cr_assert_str_eq(wiot_pos_name(WIOT_POS_PLY_GVC), "ply_gvc");
    cr_assert_null(wiot_pos_name(WIOT_POS_NITEMS));
    cr_assert_eq(wiot_gvc_apl(ctx, g, cols, 0, NULL, n), WIOT_OK);
    wiot_gvc_free(g);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(gvc, leather_trade_flows_and_embodied_va)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, LEATHER);
    wiot_gvc *g = test_gvc(ctx, t, 0);
    const size_t C = 3, n = 9, ld = 27;
    double fl[27 * 2], va[27 * 3], w[27 * 16];
    cr_assert_eq(wiot_gvc_trade(ctx, g, fl, ld, va, ld), WIOT_OK);
    cr_assert_eq(wiot_gvc_wwz(ctx, g, w, ld, NULL), WIOT_OK);
    for (size_t j = 0; j < n; j++)
        for (size_t r = 0; r < C; r++) {
            const size_t row = j * C + r, s = j / 3;
            const double e = flow(t, j, r);
            assert_rel(fl[row] + fl[row + ld], e, 1e-15);
            cr_assert(close_to(va[row] + va[row + ld] + va[row + 2 * ld], e, 1e-12, e));
            /* the importer's share of the VA embodied, applied to final exports, is
             * WWZ's MVA_FIN = (V_r B_rs)^T # Y_sr */
            if (r != s && e > 0)
                cr_assert(close_to(va[row + r * ld] * fl[row + ld] / e, w[row + 10 * ld], 1e-12, e));
        }
    /* ARG Agriculture -> TUR: the table's cells */
    assert_rel(fl[1], 3.2 + 4.3 + 0.4, 1e-15);
    assert_rel(fl[1 + ld], 6.1, 1e-15);
    wiot_gvc_free(g);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}
