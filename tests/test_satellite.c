/* test_satellite.c -- satellite accounts (kernel/satellite/, METHODS.md §8): readers,
 * intensities, multipliers and footprints against an independent numpy computation
 * of pymrio's definitions (tests/satellite/expected.py -> expected.csv), pymrio's
 * published multipliers, the accounting identities, and the value-added origin
 * results of wiot_tiva / wiot_content. */
#include "helpers.h"

#define TMRIO DATA("examples/pymrio_test_mrio.csv")
#define EMIS DATA("examples/pymrio_test_mrio_emissions.csv")
#define EMIS_FD DATA("examples/pymrio_test_mrio_emissions_final_demand.csv")
#define SAT(p) "satellite/" p

static wiot_extension *ext_load(wiot_ctx *ctx, const wiot_table *t, const char *path, const char *fd)
{
    wiot_extension *e = NULL;
    int rc = wiot_extension_load(ctx, t, path, fd, &e);
    cr_assert_eq(rc, WIOT_OK, "loading %s: %s", path, wiot_errmsg(ctx));
    return e;
}

/* expected.csv: quantity,i,j,value */
typedef struct want {
    const char *q;
    size_t p, cols;
    double *v;        /* p x cols, row-major */
    int seen;
} want;

static void want_row(const expect_row *r, void *ud)
{
    want *w = ud;
    if (strcmp(r->f[0], w->q))
        return;
    size_t k = (size_t)atol(r->f[1]), j = (size_t)atol(r->f[2]);
    cr_assert(k < w->p && j < w->cols, "%s[%zu,%zu] outside %zu x %zu", w->q, k, j, w->p, w->cols);
    w->v[k * w->cols + j] = strtod(r->f[3], NULL);
    w->seen++;
}

/* got[k + j*ld] against the expected values of quantity q: |got - want| <=
 * 1e-12 max(|want|, 1e-6 max_j |want[k, :]|). Two algorithms (explicit inverses in
 * numpy, LU solves here) agree to about n eps cond(I - A) ~ 1e-14 relative on this
 * 48-sector system; the floor covers entries 1e6 times below the stressor's largest
 * (the domestic-block zeros of D_imp), where the absolute error of the large terms
 * dominates. Returns the largest relative error seen. */
static double check_q(const char *q, const double *got, size_t ld, size_t p, size_t cols)
{
    want w = {q, p, cols, calloc(p * cols, sizeof(double)), 0};
    cr_assert(for_each_row(SAT("expected.csv"), want_row, &w) > 0);
    cr_assert_eq((size_t)w.seen, p * cols, "%s: %d expected values, want %zu", q, w.seen, p * cols);
    double worst = 0;
    for (size_t k = 0; k < p; k++) {
        double big = 0;
        for (size_t j = 0; j < cols; j++)
            big = fmax(big, fabs(w.v[k * cols + j]));
        for (size_t j = 0; j < cols; j++) {
            double a = got[k + j * ld], b = w.v[k * cols + j];
            double scale = fmax(fabs(b), 1e-6 * big);
            cr_assert(fabs(a - b) <= 1e-12 * scale, "%s[%zu,%zu] = %.17g, numpy %.17g (rel %.3g)", q, k,
                      j, a, b, fabs(a - b) / scale);
            if (scale > 0)
                worst = fmax(worst, fabs(a - b) / scale);
        }
    }
    free(w.v);
    cr_log_info("satellite: %s agrees with numpy to %.2g relative", q, worst);
    return worst;
}

Test(satellite, pymrio_test_mrio_accounts)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, TMRIO);
    wiot_extension *e = ext_load(ctx, t, EMIS, EMIS_FD);
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), K = wiot_table_fd_categories(t);
    const size_t p = wiot_extension_stressors(e);
    cr_assert_eq(p, 2);
    cr_assert_str_eq(wiot_extension_stressor(e, 1), "emission_type2 (water)");
    cr_assert_str_eq(wiot_extension_unit(e, 0), "kg");
    cr_assert_eq(wiot_extension_find(e, "emission_type1 (air)"), 0);
    cr_assert_eq(wiot_extension_find(e, "nope"), (size_t)-1);
    cr_assert_not_null(wiot_extension_FY(e));
    wiot_lu *lu = NULL, *glu = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_GHOSH, &glu, NULL), WIOT_OK);
    double *S = calloc(p * n, sizeof *S), *M = calloc(p * n, sizeof *M), *Md = calloc(p * n, sizeof *Md);
    double *acc = calloc(p * 4 * C, sizeof *acc), *cat = calloc(p * C * K, sizeof *cat);
    double *D = calloc(p * 4 * n, sizeof *D);
    wiot_info info;
    cr_assert_eq(wiot_ext_intensities(ctx, t, e, S, p), WIOT_OK);
    cr_assert_eq(wiot_ext_multipliers(ctx, lu, e, M, p, &info), WIOT_OK);
    /* residual of the solve, in kg per million: 1e-9 of the largest multiplier */
    cr_assert(info.residual >= 0 && info.residual < 1e-9 * 4e3, "residual %g", info.residual);
    cr_assert_eq(wiot_ext_multipliers(ctx, glu, e, Md, p, NULL), WIOT_OK);
    cr_assert_eq(wiot_footprint(ctx, lu, e, acc, p, cat, p, &info), WIOT_OK);
    cr_assert_eq(wiot_footprint_sectors(ctx, lu, e, D, p, NULL), WIOT_OK);
    check_q("S", S, p, p, n);
    check_q("M", M, p, p, n);
    check_q("M_down", Md, p, p, n);
    check_q("D_cba", D, p, p, n);
    check_q("D_pba", D + n * p, p, p, n);
    check_q("D_imp", D + 2 * n * p, p, p, n);
    check_q("D_exp", D + 3 * n * p, p, p, n);
    check_q("D_cba_reg", acc + WIOT_D_CBA * C * p, p, p, C);
    check_q("D_pba_reg", acc + WIOT_D_PBA * C * p, p, p, C);
    check_q("D_imp_reg", acc + WIOT_D_IMP * C * p, p, p, C);
    check_q("D_exp_reg", acc + WIOT_D_EXP * C * p, p, p, C);
    check_q("cat", cat, p, p, C * K);
    /* without the category output the accounts are the same (1e-13: another
     * summation order of the solve's right-hand sides) */
    double *acc2 = calloc(p * 4 * C, sizeof *acc2);
    cr_assert_eq(wiot_footprint(ctx, lu, e, acc2, p, NULL, 0, NULL), WIOT_OK);
    for (size_t q = 0; q < p * 4 * C; q++)
        cr_assert(rel_close(acc2[q], acc[q], 1e-13, 1.0), "acc[%zu] %.17g vs %.17g", q, acc2[q], acc[q]);
    free(acc2);
    free(S);
    free(M);
    free(Md);
    free(acc);
    free(cat);
    free(D);
    wiot_lu_free(lu);
    wiot_lu_free(glu);
    wiot_extension_free(e);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* World production = world consumption (+ F_Y on both sides), and per country
 * D_cba - D_imp = D_pba - D_exp (the domestic part), to 1e-12 relative: sums of 48
 * positive terms, rounding ~48 eps. */
Test(satellite, identities)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, TMRIO);
    wiot_extension *e = ext_load(ctx, t, EMIS, EMIS_FD);
    const size_t C = wiot_table_countries(t), p = 2, K = wiot_table_fd_categories(t);
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    double acc[2 * 4 * 6], cat[2 * 42];
    cr_assert_eq(C, 6);
    cr_assert_eq(wiot_footprint(ctx, lu, e, acc, p, cat, p, NULL), WIOT_OK);
    for (size_t k = 0; k < p; k++) {
        double cba = 0, pba = 0, imp = 0, exp_ = 0, fy = 0, cs = 0;
        for (size_t c = 0; c < C; c++) {
            double a = acc[k + (WIOT_D_CBA * C + c) * p], b = acc[k + (WIOT_D_PBA * C + c) * p];
            double i = acc[k + (WIOT_D_IMP * C + c) * p], x = acc[k + (WIOT_D_EXP * C + c) * p];
            assert_rel(a - i, b - x, 1e-12);
            cba += a;
            pba += b;
            imp += i;
            exp_ += x;
            double sc = 0;
            for (size_t q = 0; q < K; q++) {
                sc += cat[k + (c * K + q) * p];
                fy += wiot_extension_FY(e)[k + (c * K + q) * p];
            }
            assert_rel(sc, a, 1e-12);   /* categories add up to D_cba */
            cs += sc;
        }
        assert_rel(cba, pba, 1e-12);
        assert_rel(imp, exp_, 1e-12);   /* what one imports another exports */
        /* the world's production-based total is F summed plus F_Y summed when the
         * table's row identity holds (pymrio's x is the row sum of Z and Y) */
        double f = 0;
        for (size_t j = 0; j < wiot_table_n(t); j++)
            f += wiot_extension_F(e)[k + j * p];
        assert_rel(pba, f + fy, 1e-12);
        assert_rel(cs, cba, 1e-12);
    }
    /* embodied in given demands: each country's final demand (C vectors) gives the
     * terms of D_cba and D_imp; all final demand gives D_pba less F_Y (1e-12) */
    const size_t n = wiot_table_n(t);
    const double *Ft = wiot_table_F(t);
    double *B = calloc(n * (C + 1), sizeof *B), E[2 * 6 * 7];
    for (size_t d = 0; d < C; d++)
        for (size_t q = 0; q < K; q++)
            for (size_t i = 0; i < n; i++) {
                B[i + d * n] += Ft[i + (d * K + q) * n];
                B[i + C * n] += Ft[i + (d * K + q) * n];
            }
    cr_assert_eq(wiot_ext_embodied(ctx, lu, e, B, C + 1, n, E, p, NULL), WIOT_OK);
    for (size_t k = 0; k < p; k++)
        for (size_t d = 0; d < C; d++) {
            double all = 0, abroad = 0, fy = 0;
            for (size_t c = 0; c < C; c++) {
                all += E[k + (c + d * C) * p];
                if (c != d)
                    abroad += E[k + (c + d * C) * p];
            }
            for (size_t q = 0; q < K; q++)
                fy += wiot_extension_FY(e)[k + (d * K + q) * p];
            assert_rel(all + fy, acc[k + (WIOT_D_CBA * C + d) * p], 1e-12);
            assert_rel(abroad, acc[k + (WIOT_D_IMP * C + d) * p], 1e-12);
            assert_rel(E[k + (d + C * C) * p] + fy, acc[k + (WIOT_D_PBA * C + d) * p], 1e-12);
        }
    cr_assert_eq(wiot_ext_embodied(ctx, lu, e, B, 1, n - 1, E, p, NULL), WIOT_EINVAL);
    free(B);
    wiot_lu_free(lu);
    wiot_extension_free(e);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* pymrio's published multipliers of its factor_input extension (8 significant digits
 * in tests/test_integration.py; the values in the file are from float64). */
static void mult_row(const expect_row *r, void *ud)
{
    const double *M = ud;
    if (strcmp(r->f[0], "M_factor_input_multiplier"))
        return;
    size_t j = (size_t)atol(r->f[2]);
    assert_rel(M[j], strtod(r->f[3], NULL), 1e-9);
}

Test(satellite, pymrio_published_multipliers)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, TMRIO);
    wiot_extension *e = ext_load(ctx, t, DATA("examples/pymrio_test_mrio_factor_input.csv"), NULL);
    cr_assert_str_eq(wiot_extension_unit(e, 0), "Mill USD");
    cr_assert_null(wiot_extension_FY(e));
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    double M[48];
    cr_assert_eq(wiot_ext_multipliers(ctx, lu, e, M, 1, NULL), WIOT_OK);
    cr_assert(for_each_row(DATA("examples/pymrio_test_mrio_expected.csv"), mult_row, M) > 0);
    wiot_lu_free(lu);
    wiot_extension_free(e);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* An extension equal to value added reproduces wiot_tiva's value-added origin:
 * D_cba[d] = sum_o VAFD[o,d], D_pba[c] = VAFD_c, D_exp[c] = VAX_c, D_imp[d] =
 * sum_{o != d} VAFD[o,d]; and the multiplier of value added restricted to one
 * country is wiot_content's share of that country. 1e-12 relative: both are one
 * solve with the same factorization, summed in other orders. */
Test(satellite, value_added_matches_tiva_and_content)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, TMRIO);
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t);
    wiot_extension *e = NULL;
    cr_assert_eq(wiot_extension_from_inputs(ctx, t, &e), WIOT_OK);
    cr_assert_eq(wiot_extension_stressors(e), 1);
    cr_assert_str_eq(wiot_extension_stressor(e, 0), "VA");
    cr_assert_str_eq(wiot_extension_unit(e, 0), wiot_table_units(t));
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    double acc[4 * 6], country[6 * WIOT_TIVA_NITEMS], vafd[36];
    cr_assert_eq(wiot_footprint(ctx, lu, e, acc, 1, NULL, 0, NULL), WIOT_OK);
    cr_assert_eq(wiot_tiva(ctx, lu, country, C, NULL, 0, vafd, C, NULL), WIOT_OK);
    for (size_t c = 0; c < C; c++) {
        double col = 0, foreign = 0;
        for (size_t o = 0; o < C; o++) {
            col += vafd[o + c * C];
            if (o != c)
                foreign += vafd[o + c * C];
        }
        assert_rel(acc[WIOT_D_CBA * C + c], col, 1e-12);
        assert_rel(acc[WIOT_D_IMP * C + c], foreign, 1e-12);
        assert_rel(acc[WIOT_D_PBA * C + c], country[c + WIOT_TIVA_VAFD * C], 1e-12);
        assert_rel(acc[WIOT_D_EXP * C + c], country[c + WIOT_TIVA_VAX * C], 1e-12);
    }
    /* value added of country 2 only */
    const double *v = wiot_table_v(t);
    double *F = calloc(n, sizeof *F), *M = calloc(n, sizeof *M), *share = calloc(n, sizeof *share);
    unsigned char *mask = calloc(n, 1);
    for (size_t j = 2 * S; j < 3 * S; j++) {
        F[j] = v[j];
        mask[j] = 1;
    }
    const char *nm[] = {"VA reg3"}, *un[] = {"Mill USD"};
    wiot_extension *e3 = NULL;
    cr_assert_eq(wiot_extension_new(ctx, t, 1, nm, un, F, 1, NULL, 0, &e3), WIOT_OK);
    cr_assert_eq(wiot_ext_multipliers(ctx, lu, e3, M, 1, NULL), WIOT_OK);
    cr_assert_eq(wiot_content(ctx, lu, mask, WIOT_MEASURE_VA, share, NULL), WIOT_OK);
    for (size_t j = 0; j < n; j++)
        assert_close(M[j], share[j], 1e-12);   /* shares in [0, 1] */
    free(F);
    free(M);
    free(share);
    free(mask);
    wiot_extension_free(e3);
    wiot_lu_free(lu);
    wiot_extension_free(e);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* The tidy layout and a wide file with shuffled columns and stressors read to the
 * same numbers as the wide file (exactly: the same decimal strings). */
Test(satellite, layouts_agree)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, TMRIO);
    wiot_extension *a = ext_load(ctx, t, EMIS, EMIS_FD);
    wiot_extension *b = ext_load(ctx, t, SAT("emissions_tidy.csv"), SAT("emissions_fd_tidy.csv"));
    wiot_extension *c = ext_load(ctx, t, SAT("emissions_shuffled.csv"), EMIS_FD);
    const size_t n = wiot_table_n(t), ck = 42;
    cr_assert_eq(wiot_extension_stressors(b), 2);
    cr_assert_eq(wiot_extension_stressors(c), 2);
    /* the shuffled file lists water first */
    cr_assert_str_eq(wiot_extension_stressor(c, 0), "emission_type2 (water)");
    for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < 2; k++) {
            cr_assert_eq(wiot_extension_F(a)[k + 2 * j], wiot_extension_F(b)[k + 2 * j]);
            cr_assert_eq(wiot_extension_F(a)[k + 2 * j], wiot_extension_F(c)[(1 - k) + 2 * j]);
        }
    for (size_t j = 0; j < ck; j++)
        for (size_t k = 0; k < 2; k++) {
            cr_assert_eq(wiot_extension_FY(a)[k + 2 * j], wiot_extension_FY(b)[k + 2 * j]);
            cr_assert_eq(wiot_extension_FY(a)[k + 2 * j], wiot_extension_FY(c)[(1 - k) + 2 * j]);
        }
    wiot_extension *s = NULL;
    cr_assert_eq(wiot_extension_select(ctx, c, "emission_type1 (air)", &s), WIOT_OK);
    cr_assert_eq(wiot_extension_stressors(s), 1);
    for (size_t j = 0; j < n; j++)
        cr_assert_eq(wiot_extension_F(s)[j], wiot_extension_F(a)[2 * j]);
    cr_assert_eq(wiot_extension_FY(s)[0], wiot_extension_FY(a)[0]);
    cr_assert_eq(wiot_extension_select(ctx, c, "CO2", &s), WIOT_ENOTFOUND);
    cr_assert_str_eq(wiot_errmsg(ctx), "no stressor 'CO2' in satellite/emissions_shuffled.csv "
                     "(stressors: emission_type2 (water), emission_type1 (air))");
    wiot_extension_free(s);
    wiot_extension_free(a);
    wiot_extension_free(b);
    wiot_extension_free(c);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

typedef struct bad_case {
    const char *file, *fd;
    int rc;
    const char *msg;
} bad_case;

Test(satellite, malformed_files)
{
    static const bad_case cases[] = {
        {SAT("bad/header.csv"), NULL, WIOT_EFORMAT,
         "satellite/bad/header.csv:1: expected the header 'name,unit,<COUNTRY_SECTOR labels>' (wide "
         "layout) or 'stressor,unit,country,sector,value' (tidy layout)"},
        {SAT("bad/ragged.csv"), NULL, WIOT_EFORMAT, "satellite/bad/ragged.csv:3: 49 fields, the header has 50"},
        {SAT("bad/number.csv"), NULL, WIOT_EFORMAT,
         "satellite/bad/number.csv:3: column 'reg1_food': '13x9250.47' is not a number"},
        {SAT("bad/nan.csv"), NULL, WIOT_EDATA,
         "satellite/bad/nan.csv:3: column 'reg1_food': 'nan' is not a finite number"},
        {SAT("bad/label.csv"), NULL, WIOT_EFORMAT,
         "satellite/bad/label.csv:1: column 20: 'reg3_minig' is not a COUNTRY_SECTOR label of the table"},
        {SAT("bad/dupcol.csv"), NULL, WIOT_EFORMAT, "satellite/bad/dupcol.csv:1: column 'reg3_food' listed twice"},
        {SAT("bad/missing.csv"), NULL, WIOT_EFORMAT,
         "satellite/bad/missing.csv:1: no column for 'reg6_other' (every country-sector of the table must be given)"},
        {SAT("bad/dupstressor.csv"), NULL, WIOT_EFORMAT,
         "satellite/bad/dupstressor.csv:4: stressor 'emission_type1 (air)' listed twice (first on line 2)"},
        {SAT("bad/empty.csv"), NULL, WIOT_EFORMAT, "satellite/bad/empty.csv: empty file"},
        {SAT("bad/nolines.csv"), NULL, WIOT_EFORMAT, "satellite/bad/nolines.csv: no stressor lines after the header"},
        {SAT("bad/tidy_country.csv"), NULL, WIOT_EFORMAT,
         "satellite/bad/tidy_country.csv:6: field 'country': unknown country 'reg9'"},
        {SAT("bad/tidy_sector.csv"), NULL, WIOT_EFORMAT,
         "satellite/bad/tidy_sector.csv:3: field 'sector': unknown sector 'minin'"},
        {SAT("bad/tidy_dup.csv"), NULL, WIOT_EFORMAT,
         "satellite/bad/tidy_dup.csv:98: stressor 'emission_type1 (air)', reg1_transport given twice (first on line 8)"},
        {SAT("bad/tidy_unit.csv"), NULL, WIOT_EFORMAT,
         "satellite/bad/tidy_unit.csv:10: stressor 'emission_type1 (air)': unit 't' differs from the unit on line 2"},
        {SAT("bad/tidy_fields.csv"), NULL, WIOT_EFORMAT,
         "satellite/bad/tidy_fields.csv:5: 6 fields, expected 5 (stressor,unit,country,sector,value)"},
        {EMIS, SAT("bad/fd_stressor.csv"), WIOT_ENOTFOUND,
         "satellite/bad/fd_stressor.csv:3: stressor 'emission_type3 (soil)' is not in "
         "../data/examples/pymrio_test_mrio_emissions.csv"},
        {EMIS, SAT("bad/fd_unit.csv"), WIOT_EFORMAT,
         "satellite/bad/fd_unit.csv:3: stressor 'emission_type2 (water)': unit 'g' differs from 'kg' in "
         "../data/examples/pymrio_test_mrio_emissions.csv"},
        {EMIS, SAT("bad/fd_sector_labels.csv"), WIOT_EFORMAT,
         "satellite/bad/fd_sector_labels.csv:1: column 3: 'reg1_food' is not a COUNTRY_CATEGORY label of the table"},
        {SAT("bad/absent.csv"), NULL, WIOT_EIO, "satellite/bad/absent.csv: cannot open: No such file or directory"},
        {SAT("exio/impacts"), EMIS_FD, WIOT_EINVAL,
         "satellite/exio/impacts: a provider's block brings its own F_Y.txt; give no separate final-demand file"},
    };
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, TMRIO);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        wiot_extension *e = (wiot_extension *)&cases;   /* must stay untouched */
        int rc = wiot_extension_load(ctx, t, cases[i].file, cases[i].fd, &e);
        cr_expect_eq(rc, cases[i].rc, "%s: rc %d, want %d (%s)", cases[i].file, rc, cases[i].rc,
                     wiot_errmsg(ctx));
        cr_expect_str_eq(wiot_errmsg(ctx), cases[i].msg, "%s: got '%s'", cases[i].file, wiot_errmsg(ctx));
        cr_expect_eq((void *)e, (void *)&cases);
    }
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* EXIOBASE 3 blocks: the mock table's satellite/ (monetary rows summing to v, and
 * physical rows), a block of impacts with F_Y and pandas' index-name line, the zip. */
Test(satellite, exiobase_blocks)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, "formats/IOT_2019_ixi");
    const size_t n = wiot_table_n(t), ck = wiot_table_countries(t) * wiot_table_fd_categories(t);
    wiot_extension *e = ext_load(ctx, t, "formats/IOT_2019_ixi", NULL);
    cr_assert_eq(wiot_extension_stressors(e), 6);
    cr_assert_str_eq(wiot_extension_stressor(e, 5), "CO2 - combustion - air");
    cr_assert_str_eq(wiot_extension_unit(e, 4), "1000 p.");
    cr_assert_str_eq(wiot_extension_source(e), "formats/IOT_2019_ixi/satellite (EXIOBASE 3)");
    cr_assert_null(wiot_extension_FY(e));
    /* the four monetary rows split v exactly as the table reader keeps them */
    const double *v = wiot_table_v(t), *F = wiot_extension_F(e);
    cr_assert_eq(wiot_table_inputs(t), 4);
    for (size_t j = 0; j < n; j++) {
        double s = 0;
        for (size_t k = 0; k < 4; k++) {
            s += F[k + 6 * j];
            cr_assert_eq(F[k + 6 * j], wiot_table_input(t, k)[j]);
        }
        assert_close(s, v[j], 1e-9 * fmax(1.0, fabs(v[j])));
    }
    cr_assert_eq(F[5 + 6 * 4], 7.75);
    wiot_extension *z = ext_load(ctx, t, "formats/IOT_2019_ixi.zip", NULL);
    cr_assert_eq(wiot_extension_stressors(z), 6);
    for (size_t q = 0; q < 6 * n; q++)
        cr_assert_eq(wiot_extension_F(z)[q], F[q]);
    wiot_extension *im = ext_load(ctx, t, SAT("exio/impacts"), NULL);
    cr_assert_eq(wiot_extension_stressors(im), 3);
    cr_assert_str_eq(wiot_extension_stressor(im, 0), "GWP100 (IPCC, 2010)");
    cr_assert_str_eq(wiot_extension_unit(im, 0), "kg CO2 eq.");
    cr_assert_eq(wiot_extension_F(im)[1 + 3 * 2], 1.5);   /* (k+1)/2 + j/4 */
    const double *FY = wiot_extension_FY(im);
    cr_assert_not_null(FY);
    cr_assert_eq(FY[0], 1.0);
    cr_assert_eq(FY[1 + 3 * 7], 2.0);
    cr_assert_eq(FY[2 + 3 * 7], 0.0);   /* Value added has no F_Y line */
    cr_assert_eq(FY[0 + 3 * 1], 0.0);
    (void)ck;
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    double acc[3 * 4 * 4];
    cr_assert_eq(wiot_footprint(ctx, lu, im, acc, 3, NULL, 0, NULL), WIOT_OK);
    /* world totals: production = consumption (rounded table: x is not L y exactly,
     * so compare the two accounts, not the sum of F) */
    for (size_t k = 0; k < 3; k++) {
        double a = 0, b = 0;
        for (size_t c = 0; c < 4; c++) {
            a += acc[k + (WIOT_D_CBA * 4 + c) * 3];
            b += acc[k + (WIOT_D_PBA * 4 + c) * 3];
        }
        assert_rel(a, b, 1e-12);
    }
    /* a memory limit below the block's needs: refused (by wi_budget before F.txt is
     * read, or by the context's allocator, which caps every block at the limit) */
    wiot_ctx *small = test_ctx();
    cr_assert_eq(wiot_ctx_set(small, WIOT_OPT_MAX_MEMORY, 1000), WIOT_OK);   /* F.txt: 1.3 kB */
    wiot_extension *no = NULL;
    cr_assert_eq(wiot_extension_load(small, t, SAT("exio/impacts"), NULL, &no), WIOT_ENOMEM);
    cr_assert(strstr(wiot_errmsg(small), "memory limit"), "%s", wiot_errmsg(small));
    cr_assert_null(no);
    wiot_ctx_free(small);
    wiot_lu_free(lu);
    wiot_extension_free(im);
    wiot_extension_free(z);
    wiot_extension_free(e);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(satellite, exiobase_malformed)
{
    static const bad_case cases[] = {
        {SAT("bad/exio_region"), NULL, WIOT_EFORMAT,
         "satellite/bad/exio_region/F.txt:1: column 3: region 'XX' differs from the table's 'AT'"},
        {SAT("bad/exio_sector"), NULL, WIOT_EFORMAT,
         "satellite/bad/exio_sector/F.txt:2: column 2: sector 'Cultivation of rice' differs from the "
         "table's 'Cultivation_of_paddy_rice'"},
        {SAT("bad/exio_unit"), NULL, WIOT_EFORMAT,
         "satellite/bad/exio_unit/F.txt:5: stressor 'Employment, people' has no line in unit.txt"},
        {SAT("bad/exio_number"), NULL, WIOT_EFORMAT,
         "satellite/bad/exio_number/F.txt:4: column 'AT_Mining_of_copper_ores_and_concentrates': 'x' is not a number"},
        {SAT("bad/exio_fy"), NULL, WIOT_ENOTFOUND,
         "satellite/bad/exio_fy/F_Y.txt:3: stressor 'Land use' is not in F.txt"},
        {SAT("bad/exio_nounit"), NULL, WIOT_EFORMAT,
         "satellite/bad/exio_nounit: no unit.txt beside F.txt (the stressors' units)"},
        {SAT("bad/exio_nof"), NULL, WIOT_ENOTFOUND,
         "satellite/bad/exio_nof: no extension block here (EXIOBASE 3 F.txt or satellite/F.txt, Eora26 "
         "labels_Q.txt)"},
    };
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, "formats/IOT_2019_ixi");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        wiot_extension *e = NULL;
        int rc = wiot_extension_load(ctx, t, cases[i].file, cases[i].fd, &e);
        cr_expect_eq(rc, cases[i].rc, "%s: rc %d, want %d (%s)", cases[i].file, rc, cases[i].rc,
                     wiot_errmsg(ctx));
        cr_expect_str_eq(wiot_errmsg(ctx), cases[i].msg, "%s: got '%s'", cases[i].file, wiot_errmsg(ctx));
        cr_expect_null(e);
    }
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* The table's own primary-input rows (an OECD ICIO fixture: TAXSUB/TLS and VALU/VA)
 * as an extension: F_Y holds the taxes on final purchases, and the rows' sum under
 * the intermediate columns is v (to the source's rounding). */
Test(satellite, icio_primary_inputs)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, "formats/ICIO2021_2015.csv");
    const size_t n = wiot_table_n(t), P = wiot_table_inputs(t);
    cr_assert(P >= 2);
    wiot_extension *e = NULL;
    cr_assert_eq(wiot_extension_from_inputs(ctx, t, &e), WIOT_OK);
    cr_assert_eq(wiot_extension_stressors(e), P);
    cr_assert_not_null(wiot_extension_FY(e));
    for (size_t k = 0; k < P; k++)
        cr_assert_str_eq(wiot_extension_stressor(e, k), wiot_table_input_label(t, k));
    const double *v = wiot_table_v(t);
    for (size_t j = 0; j < n; j++) {
        double s = 0;
        for (size_t k = 0; k < P; k++)
            s += wiot_extension_F(e)[k + j * P];
        assert_close(s, v[j], 0.5 + 1e-9 * fabs(v[j]));   /* ICIO rounds to 0.1 */
    }
    /* value added's footprint: world total equals world value added (row identity
     * of the fixture holds to its rounding) */
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    size_t C = wiot_table_countries(t);
    double *acc = calloc(P * 4 * C, sizeof *acc);
    cr_assert_eq(wiot_footprint(ctx, lu, e, acc, P, NULL, 0, NULL), WIOT_OK);
    for (size_t k = 0; k < P; k++) {
        double a = 0, b = 0;
        for (size_t c = 0; c < C; c++) {
            a += acc[k + (WIOT_D_CBA * C + c) * P];
            b += acc[k + (WIOT_D_PBA * C + c) * P];
        }
        assert_rel(a, b, 1e-12);
    }
    free(acc);
    wiot_lu_free(lu);
    wiot_extension_free(e);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(satellite, invalid_arguments)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, TMRIO);
    wiot_table *t2 = test_load(ctx, DATA("examples/miller_blair_2009_t2_3.csv"));
    wiot_extension *e = ext_load(ctx, t, EMIS, NULL), *o = NULL;
    wiot_lu *lu = NULL, *glu = NULL, *lu2 = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_GHOSH, &glu, NULL), WIOT_OK);
    cr_assert_eq(wiot_lu_new(ctx, t2, WIOT_LEONTIEF, &lu2, NULL), WIOT_OK);
    double buf[2 * 4 * 48];
    cr_assert_eq(wiot_extension_load(NULL, t, EMIS, NULL, &o), WIOT_EINVAL);
    cr_assert_eq(wiot_extension_load(ctx, NULL, EMIS, NULL, &o), WIOT_EINVAL);
    cr_assert_eq(wiot_extension_from_inputs(ctx, NULL, &o), WIOT_EINVAL);
    cr_assert_eq(wiot_ext_intensities(ctx, t, e, buf, 1), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_ext_intensities: lds 1 < p = 2");
    cr_assert_eq(wiot_ext_multipliers(ctx, lu2, e, buf, 2, NULL), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_ext_multipliers: the extension was read for a table of 6 x 8 "
                     "country-sectors and 7 final-demand categories, this one has 1 x 2 and 1");
    cr_assert_eq(wiot_footprint(ctx, glu, e, buf, 2, NULL, 0, NULL), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_footprint needs a Leontief factorization");
    cr_assert_eq(wiot_footprint_sectors(ctx, glu, e, buf, 2, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_footprint(ctx, lu, e, buf, 1, NULL, 0, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_footprint(ctx, lu, NULL, buf, 2, NULL, 0, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_footprint_sectors(ctx, lu, e, buf, 1, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_ext_multipliers(ctx, lu, e, buf, 1, NULL), WIOT_EINVAL);
    /* wiot_extension_new: names, finiteness */
    double F[48] = {0}, FY[42] = {0};
    const char *nm[] = {"a", "a"}, *un[] = {"kg", "kg"};
    cr_assert_eq(wiot_extension_new(ctx, t, 2, nm, un, F, 2, NULL, 0, &o), WIOT_EINVAL);   /* ld */
    double F2[96] = {0};
    cr_assert_eq(wiot_extension_new(ctx, t, 2, nm, un, F2, 2, NULL, 0, &o), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_extension_new: stressor 'a' given twice");
    cr_assert_eq(wiot_extension_new(ctx, t, 0, nm, un, F, 1, NULL, 0, &o), WIOT_EINVAL);
    /* p x n overflows size_t: refused before any name is read */
    cr_assert_eq(wiot_extension_new(ctx, t, (size_t)-1 / 16, nm, un, F, (size_t)-1, NULL, 0, &o), WIOT_ETOOLARGE);
    F[7] = NAN;
    cr_assert_eq(wiot_extension_new(ctx, t, 1, nm, un, F, 1, NULL, 0, &o), WIOT_EDATA);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_extension_new: F of stressor 'a' is nan in column 7 (reg1_other)");
    F[7] = 1;
    FY[3] = INFINITY;
    cr_assert_eq(wiot_extension_new(ctx, t, 1, nm, un, F, 1, FY, 1, &o), WIOT_EDATA);
    FY[3] = 0;
    cr_assert_eq(wiot_extension_new(ctx, t, 1, nm, un, F, 1, FY, 1, &o), WIOT_OK);
    cr_assert_str_eq(wiot_extension_source(o), "arrays");
    /* a non-finite result: an intensity of 1e308 per unit overflows */
    wiot_extension *big = NULL;
    for (size_t j = 0; j < 48; j++)
        F[j] = 1e308;
    cr_assert_eq(wiot_extension_new(ctx, t, 1, nm, un, F, 1, NULL, 0, &big), WIOT_OK);
    cr_assert_eq(wiot_footprint(ctx, lu, big, buf, 1, NULL, 0, NULL), WIOT_EDATA);
    cr_assert_eq(wiot_extension_select(ctx, NULL, "a", &big), WIOT_EINVAL);
    cr_assert_null(wiot_extension_stressor(o, 1));
    cr_assert_null(wiot_extension_unit(NULL, 0));
    cr_assert_eq(wiot_extension_stressors(NULL), 0);
    wiot_extension_free(NULL);
    wiot_extension_free(big);
    wiot_extension_free(o);
    wiot_lu_free(lu);
    wiot_lu_free(glu);
    wiot_lu_free(lu2);
    wiot_extension_free(e);
    wiot_table_free(t);
    wiot_table_free(t2);
    wiot_ctx_free(ctx);
}

/* Every allocation of reading and computing fails cleanly in turn (ENOMEM, nothing
 * left allocated), and a memory limit below the file's needs is refused. */
Test(satellite, failing_allocator)
{
    wiot_ctx *c0 = test_ctx();
    wiot_table *t = test_load(c0, TMRIO);
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(c0, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    double acc[2 * 4 * 6], cat[2 * 42], D[2 * 4 * 48], M[96];
    int done = 0;
    for (long k = 0; !done && k < 2000; k++) {
        test_alloc ta = {0, k, 0};
        wiot_allocator al = test_allocator(&ta);
        wiot_ctx *ctx = NULL;
        if (wiot_ctx_new_custom(&al, &ctx) != WIOT_OK) {   /* the context's own block */
            cr_assert_eq(ta.live, 0);
            continue;
        }
        wiot_extension *e = NULL, *s = NULL, *x = NULL;
        int rc = wiot_extension_load(ctx, t, SAT("emissions_tidy.csv"), EMIS_FD, &e);
        if (!rc)
            rc = wiot_extension_select(ctx, e, "emission_type2 (water)", &s);
        if (!rc)
            rc = wiot_extension_load(ctx, t, "satellite/exio/impacts", NULL, &x) == WIOT_EINVAL ? 0 : 0;
        wiot_extension_free(x);
        x = NULL;
        if (!rc)
            rc = wiot_extension_from_inputs(ctx, t, &x);
        if (!rc)
            rc = wiot_footprint(ctx, lu, e, acc, 2, cat, 2, NULL);
        if (!rc)
            rc = wiot_footprint_sectors(ctx, lu, e, D, 2, NULL);
        if (!rc)
            rc = wiot_ext_multipliers(ctx, lu, e, M, 2, NULL);
        cr_assert(rc == WIOT_OK || rc == WIOT_ENOMEM, "k = %ld: rc %d (%s)", k, rc, wiot_errmsg(ctx));
        if (rc == WIOT_OK)
            done = 1;
        wiot_extension_free(e);
        wiot_extension_free(s);
        wiot_extension_free(x);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0, "k = %ld: %ld blocks leaked", k, ta.live);
    }
    cr_assert(done);
    /* a memory limit the file's values exceed */
    wiot_ctx *ctx = test_ctx();
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, 1000), WIOT_OK);
    wiot_extension *e = NULL;
    cr_assert_eq(wiot_extension_load(ctx, t, EMIS, NULL, &e), WIOT_ENOMEM);
    cr_assert_null(e);
    wiot_ctx_free(ctx);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(c0);
}

/* Eora26 satellites: names and units from labels_Q.txt, the ROW column of Q and QY
 * dropped, values as written; a table whose own directory holds none falls back. */
Test(satellite, eora26_satellites)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, "formats/Eora26_2010_bp");
    wiot_extension *e = ext_load(ctx, t, SAT("eora26_q"), NULL);
    const size_t n = wiot_table_n(t);
    cr_assert_eq(n, 12);
    cr_assert_eq(wiot_extension_stressors(e), 3);
    cr_assert_str_eq(wiot_extension_stressor(e, 0), "I-GHG-CO2 emissions | PRIMAPHIST");
    cr_assert_str_eq(wiot_extension_stressor(e, 2), "Employment | ILO");
    cr_assert_str_eq(wiot_extension_unit(e, 0), "Gg");
    cr_assert_str_eq(wiot_extension_unit(e, 2), "1000 persons");
    for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < 3; k++)
            cr_assert_eq(wiot_extension_F(e)[k + 3 * j], (double)((k + 1) * 10 + j));
    const double *FY = wiot_extension_FY(e);
    cr_assert_not_null(FY);
    for (size_t j = 0; j < 18; j++)
        for (size_t k = 0; k < 3; k++)
            cr_assert_eq(FY[k + 3 * j], j % 6 == 0 && k < 2 ? (double)(k + 1) : 0.0);
    cr_assert_str_eq(wiot_extension_source(e), "satellite/eora26_q (Eora26 satellites)");
    wiot_extension *none = NULL;
    cr_assert_eq(wiot_extension_load(ctx, t, "formats/Eora26_2010_bp", NULL, &none), WIOT_ENOTFOUND);
    cr_assert_eq(wiot_extension_load(ctx, t, SAT("bad/eora_count"), NULL, &none), WIOT_EFORMAT);
    cr_assert_str_eq(wiot_errmsg(ctx), "satellite/bad/eora_count/Eora26_2010_bp_Q.txt:2: 11 values, expected 12 "
                     "(or 13 with the ROW column)");
    cr_assert_null(none);
    wiot_extension_free(e);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* Thread counts: 1 and 2 threads give the same accounts and multipliers on WIOD 2011
 * (n = 1435) to 1e-13 relative (OpenBLAS may split the solve's and dgemm's sums
 * differently; the test logs whether they were bit-identical). */
Test(satellite, threads_agree, .timeout = 120)
{
    wiot_ctx *c1 = test_ctx(), *c2 = test_ctx();
    cr_assert_eq(wiot_ctx_set(c1, WIOT_OPT_THREADS, 1), WIOT_OK);
    cr_assert_eq(wiot_ctx_set(c2, WIOT_OPT_THREADS, 2), WIOT_OK);
    wiot_table *t = test_load(c1, DATA("wiod2013/wiot_2011.csv.gz"));
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), p = 3;
    double *F = malloc(p * n * sizeof *F);
    for (size_t i = 0; i < p * n; i++)
        F[i] = wiot_table_x(t)[i / p] * (0.1 + 0.01 * (double)(i % 7));
    const char *nm[] = {"a", "b", "c"}, *un[] = {"t", "t", "t"};
    wiot_extension *e = NULL;
    cr_assert_eq(wiot_extension_new(c1, t, p, nm, un, F, p, NULL, 0, &e), WIOT_OK);
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(c1, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    double *a1 = malloc(p * 4 * C * sizeof *a1), *a2 = malloc(p * 4 * C * sizeof *a2);
    double *m1 = malloc(p * n * sizeof *m1), *m2 = malloc(p * n * sizeof *m2);
    cr_assert_eq(wiot_footprint(c1, lu, e, a1, p, NULL, 0, NULL), WIOT_OK);
    cr_assert_eq(wiot_footprint(c2, lu, e, a2, p, NULL, 0, NULL), WIOT_OK);
    cr_assert_eq(wiot_ext_multipliers(c1, lu, e, m1, p, NULL), WIOT_OK);
    cr_assert_eq(wiot_ext_multipliers(c2, lu, e, m2, p, NULL), WIOT_OK);
    int same = 1;
    for (size_t q = 0; q < p * 4 * C; q++) {
        cr_assert(rel_close(a1[q], a2[q], 1e-13, 1e-3), "acc[%zu] %.17g vs %.17g", q, a1[q], a2[q]);
        same &= a1[q] == a2[q];
    }
    for (size_t q = 0; q < p * n; q++) {
        cr_assert(rel_close(m1[q], m2[q], 1e-13, 1e-12), "M[%zu] %.17g vs %.17g", q, m1[q], m2[q]);
        same &= m1[q] == m2[q];
    }
    cr_log_info("satellite: 1 and 2 threads %s", same ? "bit-identical" : "agree to 1e-13 (not bit-identical)");
    free(F);
    free(a1);
    free(a2);
    free(m1);
    free(m2);
    wiot_lu_free(lu);
    wiot_extension_free(e);
    wiot_table_free(t);
    wiot_ctx_free(c1);
    wiot_ctx_free(c2);
}

/* The provider readers under a failing allocator: every failure is ENOMEM and clean. */
Test(satellite, failing_allocator_providers)
{
    wiot_ctx *c0 = test_ctx();
    wiot_table *te = test_load(c0, "formats/IOT_2019_ixi");
    wiot_table *tq = test_load(c0, "formats/Eora26_2010_bp");
    wiot_lu *lu = NULL;
    cr_assert_eq(wiot_lu_new(c0, te, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    double E[3 * 4];
    int done = 0;
    for (long k = 0; !done && k < 4000; k++) {
        test_alloc ta = {0, k, 0};
        wiot_allocator al = test_allocator(&ta);
        wiot_ctx *ctx = NULL;
        if (wiot_ctx_new_custom(&al, &ctx) != WIOT_OK)
            continue;
        wiot_extension *a = NULL, *b = NULL, *c = NULL;
        double bvec[20];
        for (int i = 0; i < 20; i++)
            bvec[i] = 1.0 + i;
        int rc = wiot_extension_load(ctx, te, SAT("exio/impacts"), NULL, &a);
        if (!rc)
            rc = wiot_extension_load(ctx, te, "formats/IOT_2019_ixi.zip", NULL, &b);
        if (!rc)
            rc = wiot_extension_load(ctx, tq, SAT("eora26_q"), NULL, &c);
        if (!rc)
            rc = wiot_ext_embodied(ctx, lu, a, bvec, 1, 20, E, 3, NULL);
        cr_assert(rc == WIOT_OK || rc == WIOT_ENOMEM, "k = %ld: rc %d (%s)", k, rc, wiot_errmsg(ctx));
        done = rc == WIOT_OK;
        wiot_extension_free(a);
        wiot_extension_free(b);
        wiot_extension_free(c);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0, "k = %ld: %ld blocks leaked", k, ta.live);
    }
    cr_assert(done);
    wiot_lu_free(lu);
    wiot_table_free(te);
    wiot_table_free(tq);
    wiot_ctx_free(c0);
}
