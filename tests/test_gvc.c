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

Test(gvc, leather_borin_mancini_matches_extraction_definition_and_identities)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, LEATHER);
    wiot_gvc *g = test_gvc(ctx, t, 0);
    const size_t C = 3, n = 9, ld = 27;
    double b[27 * WIOT_BM_NITEMS], k[27];
    wiot_info info;
    cr_assert_eq(wiot_gvc_bm(ctx, g, b, ld, &info), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert(info.residual < 1e-12, "%g", info.residual);
    cr_assert_eq(wiot_gvc_kww(ctx, g, k, C, NULL, 0, NULL), WIOT_OK);
    double dom[3] = {0}, gvc = 0, ex = 0;
    for (size_t j = 0; j < n; j++)
        for (size_t r = 0; r < C; r++) {
            const size_t row = j * C + r;
            const double e = flow(t, j, r);
            for (int q = 0; q < WIOT_BM_NITEMS; q++)
                /* numpy: explicit B^(s) = inv(I - A^(s)) per exporter, 1e-12 of the flow */
                cr_assert(close_to(b[row + q * ld], EXP_BM[row][q], 1e-12, e), "j=%zu r=%zu %s: %.17g vs %.17g",
                          j, r, wiot_bm_name(q), b[row + q * ld], EXP_BM[row][q]);
#define I(q) b[row + (q) * ld]
            cr_assert(close_to(I(WIOT_BM_EXGR), e, 1e-15, e));
            cr_assert(close_to(I(WIOT_BM_DVA) + I(WIOT_BM_DDC) + I(WIOT_BM_FVA) + I(WIOT_BM_FDC), e, 1e-12, e));
            cr_assert(close_to(I(WIOT_BM_GVC), I(WIOT_BM_GVCB) + I(WIOT_BM_GVCF), 1e-12, e));
            cr_assert(close_to(I(WIOT_BM_DVA_SINK) + I(WIOT_BM_DDC_SINK), I(WIOT_BM_DVA) + I(WIOT_BM_DDC), 1e-12, e));
            cr_assert(close_to(I(WIOT_BM_FVA_SINK) + I(WIOT_BM_FDC_SINK), I(WIOT_BM_FVA) + I(WIOT_BM_FDC), 1e-12, e));
            dom[j / 3] += I(WIOT_BM_DVA) + I(WIOT_BM_DDC);
            gvc += I(WIOT_BM_GVC);
            ex += e;
#undef I
        }
    /* domestic content = KWW terms 1-6 */
    for (size_t s = 0; s < C; s++) {
        double d = 0;
        for (int q = 0; q < 6; q++)
            d += k[s + q * C];
        cr_assert(close_to(dom[s], d, 1e-12, d));
    }
    cr_log_info("leather: GVC-related trade %.4f of gross exports", gvc / ex);
    cr_assert_str_eq(wiot_bm_name(WIOT_BM_FDC_SINK), "FDC_sink");
    cr_assert_null(wiot_bm_name(WIOT_BM_NITEMS));
    cr_assert_eq(wiot_gvc_bm(ctx, g, b, 26, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_bm(ctx, NULL, b, 27, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_bm(NULL, g, b, 27, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 2000), WIOT_OK);
    cr_assert_eq(wiot_gvc_bm(ctx, g, b, 27, NULL), WIOT_ENOMEM);
    cr_assert(strstr(wiot_errmsg(ctx), "Borin-Mancini decomposition needs"), "%s", wiot_errmsg(ctx));
    wiot_gvc_free(g);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* WIOD 2013, every shipped year: KWW terms sum to gross exports, 1-6 = DVA and 7-9 =
 * FVA of wiot_tiva, FDC from its formula = the residual, world DVX = world FVA. */
Test(gvc, wiod_kww_identities_every_year, .timeout = 300)
{
    wiot_ctx *ctx = test_ctx();
    double worst = 0;
    int exact = 0;
    for (int y = 1995; y <= 2011; y++) {
        char path[64];
        snprintf(path, sizeof path, DATA("wiod2013/wiot_%d.csv.gz"), y);
        wiot_table *t = test_load(ctx, path);
        wiot_gvc *g = test_gvc(ctx, t, 0);
        const size_t C = wiot_table_countries(t);
        double k[41 * 9], res[41], tv[41 * WIOT_TIVA_NITEMS];
        cr_assert_eq(C, 41);
        size_t nd;
        double dv = wiot_gvc_dropped(g, &nd);
        if (nd)
            cr_log_info("%d: %zu entries (%g) of zero-output rows dropped, %zu rows clamped, %zu "
                        "columns with v < 0", y, nd, dv, wiot_gvc_clamped(g), wiot_gvc_negative_va(g));
        cr_assert_eq(wiot_gvc_kww(ctx, g, k, C, NULL, 0, res), WIOT_OK, "%s", wiot_errmsg(ctx));
        wiot_lu *lu = NULL;
        cr_assert_eq(wiot_lu_new(ctx, wiot_gvc_table(g), WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
        cr_assert_eq(wiot_tiva(ctx, lu, tv, C, NULL, 0, NULL, 0, NULL), WIOT_OK);
        double wf = 0, wdvx = 0, we = 0, zsales = 0;
        {
            const wiot_table *tc = wiot_gvc_table(g);
            const size_t n = wiot_table_n(tc);
            const double *x = wiot_table_x(tc), *Z = wiot_table_Z(tc);
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n && !(x[i] > 0); j++)
                    zsales += Z[i + j * n];
        }
        for (size_t s = 0; s < C; s++) {
            const double e = tv[s + WIOT_TIVA_EXPORTS * C];
            /* wiot_tiva takes a_v = 0 where x = 0 (NOORIGIN), the workspace a_v = 1:
             * they differ by at most the sales of zero-output rows (WIOD 1999: LUX c8
             * sells 1 to BEL c8) and their exports */
            const double ztol = 1e-12 * e + fabs(tv[s + WIOT_TIVA_NOORIGIN * C]) + zsales;
            const double eseen = e;
            double sum = 0, dva = 0, fva = 0;
            for (int q = 0; q < 9; q++) {
                sum += k[s + q * C];
                if (q < 6)
                    dva += k[s + q * C];
                else
                    fva += k[s + q * C];
            }
            /* 1e-12 of the country's exports (sums of ~1e3 products of O(1) shares) */
            double d = fabs(sum - eseen) / e;
            worst = d > worst ? d : worst;
            cr_assert(d <= 1e-12, "%d %s: terms sum %.17g, exports %.17g", y, wiot_table_country(t, s), sum,
                      eseen);
            cr_assert(fabs(dva - tv[s + WIOT_TIVA_DVA * C]) <= ztol, "%d %s DVA %.17g vs %.17g", y,
                      wiot_table_country(t, s), dva, tv[s + WIOT_TIVA_DVA * C]);
            cr_assert(fabs(fva - tv[s + WIOT_TIVA_FVA * C]) <= ztol, "%d FVA", y);
            if (ztol == 1e-12 * e)
                exact++;
            cr_assert(close_to(k[s + 8 * C], res[s], 1e-12, e), "%d %s: FDC %.17g residual %.17g", y,
                      wiot_table_country(t, s), k[s + 8 * C], res[s]);
            wf += fva;
            wdvx += tv[s + WIOT_TIVA_FORWARD * C];
            we += e;
        }
        cr_assert(fabs(wf - wdvx) <= 1e-12 * we + C * zsales, "%d: world FVA %.17g vs DVX %.17g", y, wf, wdvx);
        wiot_lu_free(lu);
        wiot_gvc_free(g);
        wiot_table_free(t);
    }
    cr_log_info("KWW: worst |sum - E| / E over 17 years x 41 countries: %.2g; DVA/FVA = wiot_tiva's "
                "to 1e-12 in %d of 697 country-years (the others: zero-output rows)", worst, exact);
    cr_assert(exact >= 600, "%d", exact);
    wiot_ctx_free(ctx);
}

/* WIOD 2011: the 16 WWZ terms sum to every bilateral sector flow, aggregate to KWW,
 * agree across 1 and 2 threads; with the reported GO the identities break. */
Test(gvc, wiod2011_wwz_identities_threads_and_reported_go, .timeout = 300)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, WIOD("2011"));
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t);
    const size_t ld = n * C;
    double *w1 = malloc(ld * 16 * sizeof *w1), *w2 = malloc(ld * 16 * sizeof *w2);
    double *ks = malloc(n * 9 * sizeof *ks), kc[41 * 9];
    cr_assert(w1 && w2 && ks);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_THREADS, 1), WIOT_OK);
    wiot_gvc *g = test_gvc(ctx, t, 0);
    wiot_info info;
    cr_assert_eq(wiot_gvc_wwz(ctx, g, w1, ld, &info), WIOT_OK, "%s", wiot_errmsg(ctx));
    double worst = 0, wabs = 0;
    for (size_t j = 0; j < n; j++)
        for (size_t r = 0; r < C; r++) {
            const double e = flow(t, j, r);
            double sum = 0;
            for (int q = 0; q < 16; q++)
                sum += w1[j * C + r + q * ld];
            const double d = fabs(sum - e);
            wabs = d > wabs ? d : wabs;
            if (e > 0)
                worst = d / e > worst ? d / e : worst;
            /* 1e-12 relative to the flow; flows below 1e-3 (a thousand USD) against 1e-15 absolute */
            cr_assert(d <= 1e-12 * (fabs(e) > 1e-3 ? fabs(e) : 1e-3), "%s_%s -> %s: sum %.17g, flow %.17g",
                      wiot_table_country(t, j / S), wiot_table_sector(t, j % S), wiot_table_country(t, r),
                      sum, e);
        }
    cr_assert(info.residual == wabs || fabs(info.residual - wabs) < 1e-9);
    cr_log_info("WWZ 2011: worst |sum - E_sr| / E_sr = %.2g, max abs %.2g", worst, wabs);
    cr_assert_eq(wiot_gvc_kww(ctx, g, kc, C, ks, n, NULL), WIOT_OK);
    for (size_t s = 0; s < C; s++) {
        double e = 0;
        for (int q = 0; q < 9; q++)
            e += kc[s + q * C];
        for (int q = 0; q < 9; q++) {
            double a = 0;
            for (size_t j = s * S; j < (s + 1) * S; j++)
                a += ks[j + q * n];
            cr_assert(close_to(a, kc[s + q * C], 1e-12, e), "%s term %d: WWZ %.17g KWW %.17g",
                      wiot_table_country(t, s), q + 1, a, kc[s + q * C]);
        }
    }
    /* Borin-Mancini: the source and sink items sum to every flow */
    double *bmv = malloc(ld * WIOT_BM_NITEMS * sizeof *bmv);
    cr_assert(bmv);
    cr_assert_eq(wiot_gvc_bm(ctx, g, bmv, ld, &info), WIOT_OK, "%s", wiot_errmsg(ctx));
    double gvc = 0, ex = 0;
    for (size_t j = 0; j < n; j++)
        for (size_t r = 0; r < C; r++) {
            const double e = flow(t, j, r), sc = fabs(e) > 1e-3 ? fabs(e) : 1e-3;
            const double *b = bmv + j * C + r;
            cr_assert(fabs(b[WIOT_BM_DVA * ld] + b[WIOT_BM_DDC * ld] + b[WIOT_BM_FVA * ld] +
                           b[WIOT_BM_FDC * ld] - e) <= 1e-12 * sc, "%zu -> %zu: DVA %.17g DDC %.17g FVA %.17g FDC %.17g, "
                      "flow %.17g", j, r, b[WIOT_BM_DVA * ld], b[WIOT_BM_DDC * ld], b[WIOT_BM_FVA * ld],
                      b[WIOT_BM_FDC * ld], e);
            cr_assert(fabs(b[WIOT_BM_DVA_SINK * ld] + b[WIOT_BM_DDC_SINK * ld] + b[WIOT_BM_FVA_SINK * ld] +
                           b[WIOT_BM_FDC_SINK * ld] - e) <= 1e-12 * sc);
            cr_assert(fabs(b[WIOT_BM_VAX * ld] + b[WIOT_BM_REF * ld] - b[WIOT_BM_DVA * ld]) <= 1e-12 * sc);
            gvc += b[WIOT_BM_GVC * ld];
            ex += e;
        }
    cr_log_info("WIOD 2011: GVC-related trade (Borin-Mancini) %.4f of world gross exports; BM residual %.2g",
                gvc / ex, info.residual);
    free(bmv);
    /* 2 threads: BLAS may sum in another order; 1e-12 relative to the flow */
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_THREADS, 2), WIOT_OK);
    cr_assert_eq(wiot_gvc_wwz(ctx, g, w2, ld, NULL), WIOT_OK);
    for (size_t j = 0; j < n; j++)
        for (size_t r = 0; r < C; r++) {
            const double e = flow(t, j, r);
            for (int q = 0; q < 16; q++) {
                const size_t m = j * C + r + q * ld;
                cr_assert(fabs(w1[m] - w2[m]) <= 1e-12 * (fabs(e) > 1e-3 ? fabs(e) : 1e-3), "threads: %.17g vs %.17g",
                          w1[m], w2[m]);
            }
        }
    /* KWW, Borin-Mancini and positions at 2 threads against 1 (1e-12 relative) */
    {
        double k2[41 * 9], *p1 = malloc(n * WIOT_POS_NITEMS * sizeof *p1), *p2 = malloc(n * WIOT_POS_NITEMS * sizeof *p2);
        double *b1 = malloc(ld * WIOT_BM_NITEMS * sizeof *b1), *b2 = malloc(ld * WIOT_BM_NITEMS * sizeof *b2);
        cr_assert(p1 && p2 && b1 && b2);
        cr_assert_eq(wiot_gvc_kww(ctx, g, k2, C, NULL, 0, NULL), WIOT_OK);
        cr_assert_eq(wiot_gvc_positions(ctx, g, p2, n), WIOT_OK);
        cr_assert_eq(wiot_gvc_bm(ctx, g, b2, ld, NULL), WIOT_OK);
        cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_THREADS, 1), WIOT_OK);
        cr_assert_eq(wiot_gvc_positions(ctx, g, p1, n), WIOT_OK);
        cr_assert_eq(wiot_gvc_bm(ctx, g, b1, ld, NULL), WIOT_OK);
        for (size_t q = 0; q < 41 * 9; q++)
            cr_assert(close_to(k2[q], kc[q], 1e-12, 1.0), "KWW threads %zu", q);
        for (size_t q = 0; q < n * WIOT_POS_NITEMS; q++)
            cr_assert(close_to(p2[q], p1[q], 1e-12, 1e-9), "positions threads %zu: %.17g vs %.17g", q, p2[q], p1[q]);
        for (size_t j = 0; j < n; j++)
            for (size_t r = 0; r < C; r++) {
                const double e = flow(t, j, r), sc = fabs(e) > 1e-3 ? fabs(e) : 1e-3;
                for (int q = 0; q < WIOT_BM_NITEMS; q++) {
                    const size_t m = j * C + r + (size_t)q * ld;
                    cr_assert(fabs(b1[m] - b2[m]) <= 1e-12 * sc, "BM threads");
                }
            }
        free(p1), free(p2), free(b1), free(b2);
    }
    wiot_gvc_free(g);
    /* the reported GO: X != B Y, sums miss the flows */
    g = test_gvc(ctx, t, WIOT_GVC_REPORTED_GO);
    cr_assert_eq(wiot_gvc_clamped(g), 0);
    cr_assert_eq(wiot_gvc_wwz(ctx, g, w2, ld, &info), WIOT_OK);
    cr_assert(info.residual > 1e-3, "reported GO residual %g", info.residual);
    cr_log_info("WWZ 2011 with the reported GO: max |sum - E_sr| = %.3g", info.residual);
    wiot_gvc_free(g);
    free(w1);
    free(w2);
    free(ks);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* A table with its countries in another order gives the same numbers, permuted. */
Test(gvc, invariant_under_reordering_countries)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, LEATHER);
    const size_t n = 9, C = 3, S = 3;
    static const size_t perm[3] = {2, 0, 1};   /* new country c is old perm[c] */
    const double *Z = wiot_table_Z(t), *F = wiot_table_F(t);
    double Zp[81], Fp[27];
    for (size_t i = 0; i < n; i++) {
        const size_t oi = perm[i / S] * S + i % S;
        for (size_t j = 0; j < n; j++)
            Zp[i + j * n] = Z[oi + (perm[j / S] * S + j % S) * n];
        for (size_t d = 0; d < C; d++)
            Fp[i + d * n] = F[oi + perm[d] * n];
    }
    const char *cc[3], *sc[3], *fc[1] = {"F1"};
    for (size_t c = 0; c < C; c++) {
        cc[c] = wiot_table_country(t, perm[c]);
        sc[c] = wiot_table_sector(t, c);
    }
    wiot_table_desc d = {C, S, 1, cc, sc, fc, Zp, n, Fp, n, NULL, "permuted"};
    wiot_table *tp = NULL;
    cr_assert_eq(wiot_table_new(ctx, &d, &tp), WIOT_OK, "%s", wiot_errmsg(ctx));
    wiot_gvc *g = test_gvc(ctx, t, 0), *gp = test_gvc(ctx, tp, 0);
    double k[27], kp[27], w[27 * 16], wp[27 * 16], p[9 * WIOT_POS_NITEMS], pp[9 * WIOT_POS_NITEMS];
    cr_assert_eq(wiot_gvc_kww(ctx, g, k, C, NULL, 0, NULL), WIOT_OK);
    cr_assert_eq(wiot_gvc_kww(ctx, gp, kp, C, NULL, 0, NULL), WIOT_OK);
    cr_assert_eq(wiot_gvc_wwz(ctx, g, w, 27, NULL), WIOT_OK);
    cr_assert_eq(wiot_gvc_wwz(ctx, gp, wp, 27, NULL), WIOT_OK);
    cr_assert_eq(wiot_gvc_positions(ctx, g, p, n), WIOT_OK);
    cr_assert_eq(wiot_gvc_positions(ctx, gp, pp, n), WIOT_OK);
    /* 1e-12 relative (floor 1e-12): the same sums in another order */
    for (size_t c = 0; c < C; c++)
        for (int q = 0; q < 9; q++)
            cr_assert(close_to(kp[c + q * C], k[perm[c] + q * C], 1e-12, 1e-12));
    for (size_t i = 0; i < n; i++) {
        const size_t oi = perm[i / S] * S + i % S;
        for (size_t r = 0; r < C; r++)
            for (int q = 0; q < 16; q++)
                cr_assert(close_to(wp[i * C + r + q * 27], w[oi * C + perm[r] + q * 27], 1e-12, 1e-12));
        for (int q = 0; q < WIOT_POS_NITEMS; q++)
            cr_assert(close_to(pp[i + q * n], p[oi + q * n], 1e-12, 1e-12));
    }
    wiot_gvc_free(g);
    wiot_gvc_free(gp);
    wiot_table_free(tp);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(gvc, invalid_arguments_and_data)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, LEATHER);
    wiot_gvc *g = NULL;
    double a[27 * 16];
    size_t col = 9;
    cr_assert_eq(wiot_gvc_new(NULL, t, 0, &g), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_new(ctx, NULL, 0, &g), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_new(ctx, t, 0, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_new(ctx, t, 4, &g), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "unknown flags"), "%s", wiot_errmsg(ctx));
    g = test_gvc(ctx, t, 0);
    cr_assert_eq(wiot_gvc_kww(ctx, NULL, a, 3, NULL, 0, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_kww(ctx, g, a, 2, NULL, 0, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_kww(ctx, g, a, 3, a, 8, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_kww(NULL, g, a, 3, NULL, 0, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_wwz(ctx, g, NULL, 27, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_wwz(ctx, g, a, 26, NULL), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "leading dimension 26"), "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_gvc_wwz(NULL, g, a, 27, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_trade(ctx, g, a, 26, NULL, 0), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_trade(ctx, g, a, 27, a, 3), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_trade(ctx, NULL, a, 27, NULL, 0), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_trade(NULL, g, a, 27, NULL, 0), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_positions(ctx, g, a, 8), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_positions(ctx, NULL, a, 9), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_positions(NULL, g, a, 9), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_apl(ctx, g, &col, 1, a, 9), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "column 0 is 9"), "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_gvc_apl(ctx, g, NULL, 1, a, 9), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_apl(ctx, g, &col, 1, a, 8), WIOT_EINVAL);
    cr_assert_eq(wiot_gvc_apl(NULL, g, &col, 1, a, 9), WIOT_EINVAL);
    cr_assert_null(wiot_gvc_table(NULL));
    cr_assert_eq(wiot_gvc_clamped(NULL), 0);
    wiot_gvc_free(NULL);
    /* memory limit below the workspace: refused before allocating */
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 2000), WIOT_OK);
    wiot_gvc *g2 = NULL;
    cr_assert_eq(wiot_gvc_new(ctx, t, 0, &g2), WIOT_ENOMEM);
    cr_assert(strstr(wiot_errmsg(ctx), "value-chain workspace needs"), "%s", wiot_errmsg(ctx));
    cr_assert_null(g2);
    cr_assert_eq(wiot_gvc_wwz(ctx, g, a, 27, NULL), WIOT_ENOMEM);
    cr_assert(strstr(wiot_errmsg(ctx), "WWZ decomposition needs"), "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 0), WIOT_OK);
    wiot_gvc_free(g);
    wiot_table_free(t);

    /* one country: no exports to decompose */
    const char *c1[1] = {"AAA"}, *s2[2] = {"s1", "s2"};
    double Z1[4] = {1, 2, 3, 4}, F1[2] = {10, 10};
    wiot_table_desc d1 = {1, 2, 1, c1, s2, NULL, Z1, 2, F1, 2, NULL, "one"};
    cr_assert_eq(wiot_table_new(ctx, &d1, &t), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_gvc_new(ctx, t, 0, &g2), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(ctx), "at least 2 countries"), "%s", wiot_errmsg(ctx));
    wiot_table_free(t);
    /* a table valid with its reported output (x = 10) whose row sums (5) close the
     * system (AAA and BBB sell only to each other, nothing to final users): with
     * x = Z 1 + F 1, A = [0 1; 1 0] and I - A is singular; the reported GO works */
    const char *cc[2] = {"AAA", "BBB"}, *s1[1] = {"s1"};
    double Z2[4] = {0, 5, 5, 0}, F2[4] = {0, 0, 0, 0}, x2[2] = {10, 10};
    wiot_table_desc d2 = {2, 1, 1, cc, s1, NULL, Z2, 2, F2, 2, x2, "closed"};   /* K = 1: F is 2 x 2 */
    cr_assert_eq(wiot_table_new(ctx, &d2, &t), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_gvc_new(ctx, t, 0, &g2), WIOT_ESINGULAR);
    cr_assert_null(g2);
    cr_log_info("ESINGULAR: %s", wiot_errmsg(ctx));
    g2 = test_gvc(ctx, t, WIOT_GVC_REPORTED_GO);
    wiot_gvc_free(g2);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(gvc, failing_allocator)
{
    wiot_ctx *c0 = test_ctx();
    wiot_table *t = test_load(c0, LEATHER);
    wiot_ctx_free(c0);
    test_alloc ta = {0, -1, 0};
    wiot_allocator al = test_allocator(&ta);
    int done = 0;
    for (long k = 0; k < 400 && !done; k++) {
        ta.calls = 0;
        ta.fail_at = -1;
        wiot_ctx *ctx = NULL;
        cr_assert_eq(wiot_ctx_new_custom(&al, &ctx), WIOT_OK);
        ta.fail_at = k + 1;   /* the context is allocation 0 */
        wiot_gvc *g = NULL;
        double a[27 * 16], b[27 + 81], p[9 * WIOT_POS_NITEMS], fl[54], va[81];   /* b: country 3 x 9, then sector 9 x 9 */
        size_t cols[2] = {1, 7};
        int rc = wiot_gvc_new(ctx, t, 0, &g);
        if (!rc)
            rc = wiot_gvc_kww(ctx, g, b, 3, b + 27, 9, NULL);
        if (!rc)
            rc = wiot_gvc_wwz(ctx, g, a, 27, NULL);
        if (!rc)
            rc = wiot_gvc_positions(ctx, g, p, 9);
        if (!rc)
            rc = wiot_gvc_apl(ctx, g, cols, 2, b, 9);
        if (!rc)
            rc = wiot_gvc_trade(ctx, g, fl, 27, va, 27);
        if (!rc)
            rc = wiot_gvc_bm(ctx, g, a, 27, NULL);
        if (rc)
            cr_assert_eq(rc, WIOT_ENOMEM, "k=%ld: rc %d (%s)", k, rc, wiot_errmsg(ctx));
        else
            done = 1;
        cr_assert(rc || g);
        wiot_gvc_free(g);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0, "k=%ld: %ld blocks leaked", k, ta.live);
    }
    cr_assert(done, "never succeeded");
    wiot_table_free(t);
}
