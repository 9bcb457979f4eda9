/* test_content_tariff.c -- content-based tariffs and non-tariff barriers
 * (kernel/tariff_content.c, the measure column of kernel/scenario.c; METHODS.md §3.6). */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"

/* The small table: countries USA CHN DEU RoW, sectors c1 c2 c17. Two structural
 * features give exact shares: DEU_c1 buys no intermediate inputs (a_v = 1 and its
 * column of L is e_j, so its own value-added content is exactly 1) and RoW_c17 has no
 * output at all (a_v = 0: its content in every product is exactly 0). */
enum { USA, CHN, DEU, ROW, NC = 4 };
enum { C1, C2, C17, NS = 3 };
#define N (NC * NS)
static const char *const cc4[NC] = {"USA", "CHN", "DEU", "RoW"};
static const char *const sc3[NS] = {"c1", "c2", "c17"};

static wiot_table *content_table(wiot_ctx *ctx)
{
    double *Z = calloc(N * N, sizeof *Z), *F = calloc(N * NC, sizeof *F);
    cr_assert(Z && F);
    const size_t deu_c1 = DEU * NS + C1, row_c17 = ROW * NS + C17;
    for (size_t j = 0; j < N; j++)
        for (size_t i = 0; i < N; i++) {
            if (j == deu_c1 || i == row_c17 || j == row_c17)
                continue;
            Z[i + j * N] = (i / NS == j / NS ? 40.0 : 4.0) + (double)((i * 7 + j * 13) % 11) * 1.25;
        }
    for (size_t d = 0; d < NC; d++)
        for (size_t i = 0; i < N; i++)
            if (i != row_c17)
                F[i + d * N] = (i / NS == d ? 900.0 : 60.0) + (double)((i * 3 + d) % 7) * 2.5;
    wiot_table_desc desc = {0};
    desc.countries = NC;
    desc.sectors = NS;
    desc.fd_categories = 1;
    desc.country_codes = cc4;
    desc.sector_codes = sc3;
    desc.Z = Z;
    desc.ldz = N;
    desc.F = F;
    desc.ldf = N;
    desc.name = "content";
    wiot_table *t = NULL;
    int rc = wiot_table_new(ctx, &desc, &t);
    cr_assert_eq(rc, WIOT_OK, "wiot_table_new: %s", wiot_errmsg(ctx));
    free(Z);
    free(F);
    return t;
}

#define HDR6 "scenario,imposer,target,sector,rate,measure\n"

typedef struct fixture {
    wiot_ctx *ctx;
    wiot_table *t;
    wiot_lu *lu;
    wiot_scenarios *sc;
} fixture;

static fixture setup(const char *text)
{
    fixture f;
    f.ctx = test_ctx();
    f.t = content_table(f.ctx);
    cr_assert_eq(wiot_lu_new(f.ctx, f.t, WIOT_LEONTIEF, &f.lu, NULL), WIOT_OK, "%s", wiot_errmsg(f.ctx));
    cr_assert_eq(wiot_scenarios_new(f.ctx, f.t, &f.sc), WIOT_OK);
    if (text)
        cr_assert_eq(wiot_scenarios_load_buffer(f.ctx, f.sc, text, strlen(text), "c.csv"), WIOT_OK,
                     "%s", wiot_errmsg(f.ctx));
    return f;
}

static void teardown(fixture *f)
{
    wiot_scenarios_free(f->sc);
    wiot_lu_free(f->lu);
    wiot_table_free(f->t);
    wiot_ctx_free(f->ctx);
}

static wiot_schedule *resolve(fixture *f, const char *expr, int measure)
{
    wiot_schedule *s = NULL;
    int rc = wiot_scenarios_schedule_lu(f->ctx, f->sc, f->lu, expr, measure, &s);
    cr_assert_eq(rc, WIOT_OK, "'%s': %s", expr, wiot_errmsg(f->ctx));
    return s;
}

/* shares of SPEC by wiot_select + wiot_content: the reference the tests compare with */
static void shares(fixture *f, const char *spec, int measure, double *share)
{
    unsigned char mask[N];
    cr_assert_eq(wiot_select(f->ctx, f->t, spec, mask, NULL), WIOT_OK, "%s", wiot_errmsg(f->ctx));
    cr_assert_eq(wiot_content(f->ctx, f->lu, mask, measure, share, NULL), WIOT_OK);
}

static double R(const wiot_schedule *s, size_t d, size_t c, size_t k)
{
    return wiot_schedule_get(s, d, c, k);
}

/* exact prices and final prices of two schedules agree to rtol */
static void same_prices(fixture *f, const wiot_schedule *a, const wiot_schedule *b, double rtol)
{
    wiot_result *ra = NULL, *rb = NULL;
    cr_assert_eq(wiot_result_new(f->ctx, f->t, &ra), WIOT_OK);
    cr_assert_eq(wiot_result_new(f->ctx, f->t, &rb), WIOT_OK);
    cr_assert_eq(wiot_tariff(f->ctx, f->lu, a, 1.0, WIOT_BOTH, ra), WIOT_OK, "%s", wiot_errmsg(f->ctx));
    cr_assert_eq(wiot_tariff(f->ctx, f->lu, b, 1.0, WIOT_BOTH, rb), WIOT_OK, "%s", wiot_errmsg(f->ctx));
    static const int items[] = {WIOT_R_EXACT, WIOT_R_CUMULATIVE, WIOT_R_FINAL_PRICE, WIOT_R_FINAL_ALL};
    for (size_t q = 0; q < sizeof items / sizeof *items; q++) {
        size_t la, lb;
        const double *pa = wiot_result_get(ra, items[q], &la), *pb = wiot_result_get(rb, items[q], &lb);
        cr_assert(pa && pb && la == lb);
        for (size_t i = 0; i < la; i++)
            cr_assert(rel_close(pa[i], pb[i], rtol, 1e-300), "item %d [%zu]: %.17g vs %.17g", items[q],
                      i, pa[i], pb[i]);
    }
    wiot_result_free(ra);
    wiot_result_free(rb);
}

/* ------------------------------------------------ effective rates and prices */
/* A content line is exactly a flat line at rate x share, the share being wiot_content's
 * output for the SPEC: the schedule's rates are the same products of the same doubles
 * (checked bitwise), so the prices of the two runs agree to rounding (1e-13 relative:
 * the two schedules are bitwise equal, so in fact exactly). */
Test(content_tariff, on_content_equals_flat_at_effective_rate)
{
    fixture f = setup(HDR6 "chip,USA,CHN;DEU,c2;c17,0.3,on_content_of=CHN:c1\n"
                           "chip,USA,RoW,c2,0.1\n");
    double sh[N];
    shares(&f, "CHN:c1", WIOT_MEASURE_VA, sh);
    wiot_schedule *s = resolve(&f, "chip", WIOT_MEASURE_VA), *flat = NULL;
    cr_assert_eq(wiot_schedule_new(f.ctx, f.t, &flat), WIOT_OK);
    const size_t tg[2] = {CHN, DEU}, sec[2] = {C2, C17};
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            double want = 0.3 * sh[tg[a] * NS + sec[b]];
            cr_assert(want > 0.0 && want < 0.3, "share strictly inside (0, 1): %g", want);
            cr_assert_eq(R(s, USA, tg[a], sec[b]), want, "%.17g vs %.17g", R(s, USA, tg[a], sec[b]), want);
            cr_assert_eq(wiot_schedule_set(f.ctx, flat, USA, tg[a], sec[b], want), WIOT_OK);
        }
    cr_assert_eq(R(s, USA, ROW, C2), 0.1);   /* a plain line beside it */
    cr_assert_eq(wiot_schedule_set(f.ctx, flat, USA, ROW, C2, 0.1), WIOT_OK);
    cr_assert_eq(R(s, USA, CHN, C1), 0.0);   /* not selected */
    cr_assert_null(wiot_schedule_ntb(s));
    const double *ra = wiot_schedule_rates(s), *rb = wiot_schedule_rates(flat);
    cr_assert_eq(memcmp(ra, rb, NC * NC * NS * sizeof *ra), 0);
    same_prices(&f, s, flat, 1e-13);
    wiot_schedule_free(flat);
    wiot_schedule_free(s);
    teardown(&f);
}

/* Shares 0 and 1 (exact by construction of the table, see content_table): rate 0 and
 * the full rate; except_content_of the other way round. */
Test(content_tariff, shares_zero_and_one)
{
    fixture f = setup(HDR6 "on0,USA,CHN,c1,0.25,on_content_of=RoW:c17\n"
                           "ex0,USA,CHN,c1,0.25,except_content_of=RoW:c17\n"
                           "on1,USA,DEU,c1,0.25,on_content_of=DEU:c1\n"
                           "ex1,USA,DEU,c1,0.25,except_content_of=DEU:c1\n");
    double z[N], one[N];
    shares(&f, "RoW:c17", WIOT_MEASURE_VA, z);
    shares(&f, "DEU:c1", WIOT_MEASURE_VA, one);
    cr_assert_eq(z[CHN * NS + C1], 0.0);
    cr_assert_eq(one[DEU * NS + C1], 1.0, "%.17g", one[DEU * NS + C1]);
    static const struct { const char *name; size_t c; double want; } cases[] = {
        {"on0", CHN, 0.0}, {"ex0", CHN, 0.25}, {"on1", DEU, 0.25}, {"ex1", DEU, 0.0}};
    for (size_t q = 0; q < 4; q++) {
        wiot_schedule *s = resolve(&f, cases[q].name, WIOT_MEASURE_VA);
        cr_assert_eq(R(s, USA, cases[q].c, C1), cases[q].want, "%s: %.17g", cases[q].name,
                     R(s, USA, cases[q].c, C1));
        wiot_schedule_free(s);
    }
    teardown(&f);
}

/* on_content_of + except_content_of of one SPEC stack to the flat tariff: rates
 * r s + r (1 - s) = r to 2 ulp (two roundings), prices to 1e-13 relative. */
Test(content_tariff, on_plus_except_is_flat)
{
    fixture f = setup(HDR6 "on,*,*,*,0.2,on_content_of=USA;CHN:c1;c2\n"
                           "ex,*,*,*,0.2,except_content_of=USA;CHN:c1;c2\n"
                           "flat,*,*,*,0.2\n");
    wiot_schedule *st = resolve(&f, "on+ex", WIOT_MEASURE_VA), *flat = resolve(&f, "flat", WIOT_MEASURE_VA);
    for (size_t d = 0; d < NC; d++)
        for (size_t c = 0; c < NC; c++)
            for (size_t k = 0; k < NS; k++)
                assert_close(R(st, d, c, k), R(flat, d, c, k), 2 * DBL_EPSILON * 0.2);
    same_prices(&f, st, flat, 1e-13);
    wiot_schedule_free(st);
    wiot_schedule_free(flat);
    teardown(&f);
}

/* unless_content_of: exempt where the share reaches X (>=, the reading of "X or more";
 * METHODS §3.6). X written as the share's own %.17g (which strtod reads back exactly)
 * exempts that sector; the next double up does not. */
Test(content_tariff, threshold_exactly_at_share)
{
    fixture f0 = setup(NULL);
    double sh[N];
    shares(&f0, "USA;CHN", WIOT_MEASURE_VA, sh);
    const double s_ = sh[DEU * NS + C2];
    cr_assert(s_ > 0.0 && s_ < 1.0);
    char text[512];
    snprintf(text, sizeof text, HDR6 "at,USA,DEU,c2,0.25,unless_content_of=USA;CHN>=%.17g\n"
             "above,USA,DEU,c2,0.25,unless_content_of=USA;CHN>=%.17g\n"
             "zero,USA,*,*,0.25,unless_content_of=USA;CHN>=0\n"
             "one,USA,CHN;DEU,*,0.25,unless_content_of=USA;CHN>=1\n",
             s_, nextafter(s_, 2.0));
    cr_assert_eq(wiot_scenarios_load_buffer(f0.ctx, f0.sc, text, strlen(text), "x.csv"), WIOT_OK, "%s",
                 wiot_errmsg(f0.ctx));
    wiot_schedule *at = resolve(&f0, "at", WIOT_MEASURE_VA), *ab = resolve(&f0, "above", WIOT_MEASURE_VA);
    cr_assert_eq(R(at, USA, DEU, C2), 0.0);
    cr_assert_eq(R(ab, USA, DEU, C2), 0.25);
    wiot_schedule *z = resolve(&f0, "zero", WIOT_MEASURE_VA), *o = resolve(&f0, "one", WIOT_MEASURE_VA);
    for (size_t c = 0; c < NC; c++)
        for (size_t k = 0; k < NS; k++) {
            cr_assert_eq(R(z, USA, c, k), 0.0);   /* every share >= 0 */
            if (c == CHN || c == DEU)   /* USA;CHN content < 1 in CHN and DEU products */
                cr_assert_eq(R(o, USA, c, k), sh[c * NS + k] >= 1.0 ? 0.0 : 0.25);
        }
    wiot_schedule_free(at);
    wiot_schedule_free(ab);
    wiot_schedule_free(z);
    wiot_schedule_free(o);
    teardown(&f0);
}

/* --content-measure gross: total requirements (L - I), clamped to [0, 1]. */
Test(content_tariff, gross_measure)
{
    fixture f = setup(HDR6 "g,USA,CHN;DEU,*,0.4,on_content_of=CHN\n"
                           "e,USA,CHN;DEU,*,0.4,except_content_of=*\n");
    double g[N], all[N];
    shares(&f, "CHN", WIOT_MEASURE_GROSS, g);
    shares(&f, "*", WIOT_MEASURE_GROSS, all);
    wiot_schedule *s = resolve(&f, "g", WIOT_MEASURE_GROSS), *e = resolve(&f, "e", WIOT_MEASURE_GROSS),
                  *v = resolve(&f, "g", WIOT_MEASURE_VA);
    int differs = 0;
    for (size_t c = CHN; c <= DEU; c++)
        for (size_t k = 0; k < NS; k++) {
            double x = g[c * NS + k], cl = x < 1 ? x : 1.0, a = all[c * NS + k];
            cr_assert_eq(R(s, USA, c, k), 0.4 * cl);
            cr_assert_eq(R(e, USA, c, k), 0.4 * (1.0 - (a < 1 ? a : 1.0)));
            differs |= R(v, USA, c, k) != R(s, USA, c, k);
        }
    cr_assert(differs, "the VA and gross measures give different rates");
    wiot_schedule_free(s);
    wiot_schedule_free(e);
    wiot_schedule_free(v);
    teardown(&f);
}

/* -------------------------------------------------------------------- ntb */
/* An NTB line prices exactly like a tariff line of the same rate and collects no
 * revenue (wiot_tariff and the batch alike); split returns it apart. */
Test(content_tariff, ntb_prices_like_tariff_without_revenue)
{
    fixture f = setup(HDR6 "n,USA,CHN,c1;c2,0.2,ntb\n"
                           "t,USA,CHN,c1;c2,0.2,tariff\n"
                           "t5,USA,CHN,c1;c2,0.2\n"
                           "mix,USA,CHN,c1,0.1\n"
                           "mix,USA,CHN,c1,0.05,ntb\n");
    wiot_schedule *n = resolve(&f, "n", WIOT_MEASURE_VA), *t = resolve(&f, "t", WIOT_MEASURE_VA),
                  *t5 = resolve(&f, "t5", WIOT_MEASURE_VA);
    const double *ra = wiot_schedule_rates(n), *rb = wiot_schedule_rates(t), *rc5 = wiot_schedule_rates(t5);
    cr_assert_eq(memcmp(ra, rb, NC * NC * NS * sizeof *ra), 0);
    cr_assert_eq(memcmp(rc5, rb, NC * NC * NS * sizeof *ra), 0);   /* 'tariff' = 5 fields */
    cr_assert_not_null(wiot_schedule_ntb(n));
    cr_assert_null(wiot_schedule_ntb(t));
    same_prices(&f, n, t, 0.0);   /* identical rates: identical prices */
    double rev_n[NC], rev_t[NC];
    cr_assert_eq(wiot_tariff_revenue(f.ctx, f.t, n, rev_n), WIOT_OK);
    cr_assert_eq(wiot_tariff_revenue(f.ctx, f.t, t, rev_t), WIOT_OK);
    cr_assert(rev_t[USA] > 0.0);
    for (size_t d = 0; d < NC; d++)
        cr_assert_eq(rev_n[d], 0.0, "%zu: %g", d, rev_n[d]);
    /* the batch: same prices, revenue 0; and a copy keeps the NTB part */
    wiot_schedule *cp = NULL;
    cr_assert_eq(wiot_schedule_copy(f.ctx, n, &cp), WIOT_OK);
    wiot_batch *b = NULL;
    cr_assert_eq(wiot_batch_new(f.ctx, f.lu, 3, &b), WIOT_OK);
    const wiot_schedule *arr[3] = {n, t, cp};
    cr_assert_eq(wiot_batch_run(f.ctx, b, arr, 3, 1.0, WIOT_BOTH), WIOT_OK, "%s", wiot_errmsg(f.ctx));
    size_t rows, ld;
    const double *rv = wiot_batch_get(b, WIOT_R_REVENUE, &rows, &ld);
    const double *dp = wiot_batch_get(b, WIOT_R_EXACT, NULL, NULL);
    cr_assert_eq(rv[USA], 0.0);
    cr_assert_eq(rv[USA + 2 * ld], 0.0);
    assert_rel(rv[USA + ld], rev_t[USA], 1e-14);
    for (size_t i = 0; i < N; i++)
        cr_assert_eq(dp[i], dp[i + N]);
    wiot_batch_free(b);
    wiot_schedule_free(cp);
    /* a cell with a tariff and an NTB: the wedge is the sum, revenue from the tariff */
    wiot_schedule *m = resolve(&f, "mix", WIOT_MEASURE_VA);
    assert_close(R(m, USA, CHN, C1), 0.15, 2 * DBL_EPSILON * 0.15);   /* 0.1 + 0.05: one rounding */
    double rev_m[NC], rev_1[NC];
    wiot_schedule *one = NULL;
    cr_assert_eq(wiot_schedule_new(f.ctx, f.t, &one), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(f.ctx, one, USA, CHN, C1, 0.1), WIOT_OK);
    cr_assert_eq(wiot_tariff_revenue(f.ctx, f.t, m, rev_m), WIOT_OK);
    cr_assert_eq(wiot_tariff_revenue(f.ctx, f.t, one, rev_1), WIOT_OK);
    assert_rel(rev_m[USA], rev_1[USA], 1e-15);
    /* split: tariffs and NTB equivalents apart */
    wiot_schedule *ts = NULL, *ns = NULL;
    cr_assert_eq(wiot_scenarios_split(f.ctx, f.sc, f.lu, "mix+n", WIOT_MEASURE_VA, &ts, &ns), WIOT_OK);
    cr_assert_eq(R(ts, USA, CHN, C1), 0.1);
    cr_assert_eq(R(ts, USA, CHN, C2), 0.0);
    assert_close(R(ns, USA, CHN, C1), 0.25, 2 * DBL_EPSILON * 0.25);
    cr_assert_eq(R(ns, USA, CHN, C2), 0.2);
    cr_assert_null(wiot_schedule_ntb(ts));
    cr_assert_null(wiot_schedule_ntb(ns));
    wiot_schedule_free(ts);
    wiot_schedule_free(ns);
    cr_assert_eq(wiot_scenarios_split(f.ctx, f.sc, NULL, "t", WIOT_MEASURE_VA, NULL, &ns), WIOT_OK);
    for (size_t q = 0; q < NC * NC * NS; q++)
        cr_assert_eq(wiot_schedule_rates(ns)[q], 0.0);
    wiot_schedule_free(ns);
    /* add and set_ntb keep the part revenue-free */
    wiot_schedule *sum = NULL;
    cr_assert_eq(wiot_schedule_new(f.ctx, f.t, &sum), WIOT_OK);
    cr_assert_eq(wiot_schedule_add(f.ctx, sum, n, 2.0), WIOT_OK);
    cr_assert_eq(wiot_tariff_revenue(f.ctx, f.t, sum, rev_m), WIOT_OK);
    cr_assert_eq(rev_m[USA], 0.0);
    cr_assert_eq(wiot_schedule_set(f.ctx, one, USA, CHN, C1, 0.3), WIOT_OK);
    cr_assert_eq(wiot_schedule_set_ntb(f.ctx, one, USA, CHN, C1, 0.3), WIOT_OK);
    cr_assert_eq(wiot_schedule_set_ntb(f.ctx, one, USA, USA, C1, 0.3), WIOT_OK);   /* ignored */
    cr_assert_eq(wiot_tariff_revenue(f.ctx, f.t, one, rev_m), WIOT_OK);
    cr_assert_eq(rev_m[USA], 0.0);
    wiot_schedule_free(sum);
    wiot_schedule_free(one);
    wiot_schedule_free(m);
    wiot_schedule_free(n);
    wiot_schedule_free(t);
    wiot_schedule_free(t5);
    teardown(&f);
}

/* A scenario set in another sector classification (wiot_scenarios_new_mapped): the NTB
 * part is translated with the rates (weighted means are linear), so revenue still
 * leaves it out: c1 = mean(0.2 NTB, 0.1 tariff) = 0.15 with NTB part 0.1. */
Test(content_tariff, ntb_through_a_sector_map)
{
    fixture f = setup(NULL);
    static const char mtext[] = "code,group\nx1,c1\nx2,c1\nx3,c2\nx4,c17\n";
    wiot_map *map = NULL;
    wiot_scenarios *ms = NULL;
    cr_assert_eq(wiot_map_load_buffer(f.ctx, mtext, strlen(mtext), "m.csv", &map), WIOT_OK, "%s",
                 wiot_errmsg(f.ctx));
    cr_assert_eq(wiot_scenarios_new_mapped(f.ctx, f.t, map, &ms), WIOT_OK, "%s", wiot_errmsg(f.ctx));
    static const char text[] = HDR6 "m,USA,CHN,x1,0.2,ntb\nm,USA,CHN,x2,0.1\n"
                                    "c,USA,CHN,x3,0.1,on_content_of=CHN\n";
    cr_assert_eq(wiot_scenarios_load_buffer(f.ctx, ms, text, strlen(text), "ms.csv"), WIOT_OK, "%s",
                 wiot_errmsg(f.ctx));
    wiot_schedule *s = NULL, *ts = NULL, *flat = NULL;
    cr_assert_eq(wiot_scenarios_schedule_lu(f.ctx, ms, f.lu, "m", WIOT_MEASURE_VA, &s), WIOT_OK, "%s",
                 wiot_errmsg(f.ctx));
    cr_assert_eq(wiot_schedule_translate(f.ctx, s, map, f.t, &ts), WIOT_OK, "%s", wiot_errmsg(f.ctx));
    assert_close(R(ts, USA, CHN, C1), 0.15, 2 * DBL_EPSILON * 0.15);
    cr_assert_not_null(wiot_schedule_ntb(ts));
    assert_close(wiot_schedule_ntb(ts)[(USA * NC + CHN) * NS + C1], 0.1, 1e-17);
    cr_assert_eq(wiot_schedule_new(f.ctx, f.t, &flat), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(f.ctx, flat, USA, CHN, C1, 0.05), WIOT_OK);
    double r1[NC], r2[NC];
    cr_assert_eq(wiot_tariff_revenue(f.ctx, f.t, ts, r1), WIOT_OK);
    cr_assert_eq(wiot_tariff_revenue(f.ctx, f.t, flat, r2), WIOT_OK);
    assert_rel(r1[USA], r2[USA], 1e-14);
    /* a content line in a mapped set cannot be resolved on the table's LU */
    wiot_schedule *c = NULL;
    cr_assert_eq(wiot_scenarios_schedule_lu(f.ctx, ms, f.lu, "c", WIOT_MEASURE_VA, &c), WIOT_EINVAL);
    cr_assert(strstr(wiot_errmsg(f.ctx), "a set read through a sector map cannot hold content measures"));
    cr_assert_null(c);
    wiot_schedule_free(s);
    wiot_schedule_free(ts);
    wiot_schedule_free(flat);
    wiot_scenarios_free(ms);
    wiot_map_free(map);
    teardown(&f);
}

/* --------------------------------------------------------- file syntax */
/* Trailing comments (whitespace then '#') are allowed, the README's example loads; a '#'
 * not preceded by white space stays part of its field. */
Test(content_tariff, trailing_comments)
{
    fixture f = setup("scenario,imposer,target,sector,rate   # header comment\n"
                      "eu_retaliation,DEU,USA,c1;c2,0.25\n"
                      "eu_retaliation,DEU,USA,c1,0.10          # later line wins for food\n"
                      "a#b,USA,CHN,c1,0.5\t# a name with '#'\n");
    wiot_schedule *s = resolve(&f, "eu_retaliation", WIOT_MEASURE_VA);
    cr_assert_eq(R(s, DEU, USA, C1), 0.10);
    cr_assert_eq(R(s, DEU, USA, C2), 0.25);
    wiot_schedule_free(s);
    s = resolve(&f, "a#b", WIOT_MEASURE_VA);
    cr_assert_eq(R(s, USA, CHN, C1), 0.5);
    wiot_schedule_free(s);
    /* "0.1#x": no white space before '#', so the rate field is not a number */
    static const char bad[] = "scenario,imposer,target,sector,rate\nq,USA,CHN,c1,0.1#x\n";
    cr_assert_eq(wiot_scenarios_load_buffer(f.ctx, f.sc, bad, strlen(bad), "h.csv"), WIOT_EFORMAT);
    cr_assert_str_eq(wiot_errmsg(f.ctx), "h.csv:2: field 'rate': not a number '0.1#x'");
    teardown(&f);
}

typedef struct logs {
    int n;
    char last[512];
} logs;
static void grab(void *ud, int level, const char *msg)
{
    logs *l = ud;
    cr_assert_eq(level, WIOT_LOG_WARN);
    l->n++;
    snprintf(l->last, sizeof l->last, "%s", msg);
}

/* A rate above 2 (200 %) is implausible as a fraction ("25" meant as 25 %): one warning
 * through the log callback naming file and line; 2 itself and -0.5 do not warn. */
Test(content_tariff, implausible_rate_warns)
{
    fixture f = setup(NULL);
    logs l = {0, ""};
    cr_assert_eq(wiot_ctx_set_log(f.ctx, grab, &l), WIOT_OK);
    static const char ok[] = "scenario,imposer,target,sector,rate\nok,USA,CHN,c1,2\nok,USA,CHN,c2,-0.5\n";
    cr_assert_eq(wiot_scenarios_load_buffer(f.ctx, f.sc, ok, strlen(ok), "ok.csv"), WIOT_OK);
    cr_assert_eq(l.n, 0);
    static const char pct[] = "scenario,imposer,target,sector,rate\n# percent by mistake\npct,USA,CHN,c1,25\n";
    cr_assert_eq(wiot_scenarios_load_buffer(f.ctx, f.sc, pct, strlen(pct), "pct.csv"), WIOT_OK);
    cr_assert_eq(l.n, 1);
    cr_assert_str_eq(l.last, "pct.csv:3: field 'rate': rate 25 is above 2 (200 %); rates are "
                             "fractions (0.25 = 25 %)");
    teardown(&f);
}

/* The line reader returns the fields as written and what they select. */
Test(content_tariff, lines_as_written)
{
    fixture f = setup(HDR6 "x,USA,CHN;DEU,c1..c2,0.3,unless_content_of=USA;CHN:c1>=0.5\n"
                           "x,USA,*,c17,0.1\n");
    size_t i = wiot_scenarios_find(f.sc, "x");
    cr_assert_eq(i, 0);
    cr_assert_eq(wiot_scenarios_find(f.sc, "y"), (size_t)-1);
    cr_assert_eq(wiot_scenarios_lines(f.sc, i), 2);
    cr_assert_eq(wiot_scenarios_lines(f.sc, 9), 0);
    wiot_scenario_line L;
    unsigned char imp[NC], tgt[NC], sec[NS], src[N];
    cr_assert_eq(wiot_scenarios_line(f.ctx, f.sc, i, 0, &L, imp, tgt, sec, src), WIOT_OK);
    cr_assert_str_eq(L.file, "c.csv");
    cr_assert_eq(L.line, 2);
    cr_assert_str_eq(L.target, "CHN;DEU");
    cr_assert_str_eq(L.sector, "c1..c2");
    cr_assert_str_eq(L.measure_text, "unless_content_of=USA;CHN:c1>=0.5");
    cr_assert_str_eq(L.source, "USA;CHN:c1");
    cr_assert_eq(L.measure, WIOT_LINE_UNLESS_CONTENT);
    cr_assert_eq(L.rate, 0.3);
    cr_assert_eq(L.threshold, 0.5);
    cr_assert(L.imposers == 1 && L.targets == 2 && L.sectors == 2);
    cr_assert(imp[USA] && !imp[CHN] && tgt[CHN] && tgt[DEU] && !tgt[USA] && sec[C1] && sec[C2] && !sec[C17]);
    for (size_t q = 0; q < N; q++)
        cr_assert_eq(src[q], q == USA * NS + C1 || q == CHN * NS + C1, "%zu", q);
    cr_assert_eq(wiot_scenarios_line(f.ctx, f.sc, i, 1, &L, NULL, NULL, NULL, src), WIOT_OK);
    cr_assert_str_eq(L.measure_text, "tariff");
    cr_assert_str_eq(L.source, "");
    for (size_t q = 0; q < N; q++)
        cr_assert_eq(src[q], 0);
    cr_assert_eq(wiot_scenarios_line(f.ctx, f.sc, i, 2, &L, NULL, NULL, NULL, NULL), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(f.ctx), "wiot_scenarios_line: scenario 0 line 2 out of range (1 scenarios)");
    cr_assert_eq(wiot_scenarios_line(f.ctx, NULL, 0, 0, &L, NULL, NULL, NULL, NULL), WIOT_EINVAL);
    teardown(&f);
}

/* ----------------------------------------------------------------- errors */
static const struct {
    const char *file;
    int rc;
    const char *msg;
} bad[] = {
    {"scenario_measure_unknown.csv", WIOT_EFORMAT,
     "bad/scenario_measure_unknown.csv:2: field 'measure': unknown measure 'quota' (valid: tariff, "
     "ntb, on_content_of=SPEC, except_content_of=SPEC, unless_content_of=SPEC>=X)"},
    {"scenario_measure_country.csv", WIOT_ENOTFOUND,
     "bad/scenario_measure_country.csv:3: field 'measure': unknown country 'XYZ' (valid: USA CHN "
     "DEU RoW; groups: EU27 EU28 EU15 USMCA NAFTA G7 BRICS ASEAN)"},
    {"scenario_measure_sector.csv", WIOT_ENOTFOUND,
     "bad/scenario_measure_sector.csv:2: field 'measure': unknown sector 'c99' (valid: c1 c2 c17; "
     "groups: goods services)"},
    {"scenario_measure_empty_source.csv", WIOT_EFORMAT,
     "bad/scenario_measure_empty_source.csv:2: field 'measure': empty content source (expected "
     "COUNTRIES[:SECTORS], e.g. CHN:c14)"},
    {"scenario_measure_fields7.csv", WIOT_EFORMAT,
     "bad/scenario_measure_fields7.csv:2: expected 5 or 6 fields, got 7"},
    {"scenario_threshold_high.csv", WIOT_EDATA,
     "bad/scenario_threshold_high.csv:2: field 'measure': threshold 1.5 is outside [0, 1] (a "
     "content share as a fraction, 0.75 = 75 %)"},
    {"scenario_threshold_negative.csv", WIOT_EDATA,
     "bad/scenario_threshold_negative.csv:2: field 'measure': threshold -0.1 is outside [0, 1] (a "
     "content share as a fraction, 0.75 = 75 %)"},
    {"scenario_threshold_missing.csv", WIOT_EFORMAT,
     "bad/scenario_threshold_missing.csv:2: field 'measure': 'unless_content_of=USMCA' needs a "
     "threshold: unless_content_of=SPEC>=X, e.g. unless_content_of=USMCA>=0.75"},
    {"scenario_threshold_text.csv", WIOT_EFORMAT,
     "bad/scenario_threshold_text.csv:2: field 'measure': threshold '75%' is not a number"},
};

Test(content_tariff, bad_files)
{
    for (size_t q = 0; q < sizeof bad / sizeof *bad; q++) {
        fixture f = setup(NULL);
        char path[128];
        snprintf(path, sizeof path, "bad/%s", bad[q].file);
        int rc = wiot_scenarios_load(f.ctx, f.sc, path);
        cr_assert_eq(rc, bad[q].rc, "%s: rc %d: %s", path, rc, wiot_errmsg(f.ctx));
        cr_assert_str_eq(wiot_errmsg(f.ctx), bad[q].msg);
        cr_assert_eq(wiot_scenarios_count(f.sc), 0);
        teardown(&f);
    }
}

Test(content_tariff, api_errors)
{
    fixture f = setup(HDR6 "c,USA,CHN,c1,0.3,on_content_of=CHN\n"
                           "n,USA,CHN,c1,-0.6,ntb\n"
                           "p,USA,CHN,c1,0.1\n");
    wiot_schedule *s = NULL, *s2 = NULL;
    /* no factorization */
    cr_assert_eq(wiot_scenarios_schedule(f.ctx, f.sc, "p+c", &s), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(f.ctx), "scenario 'c' (c.csv:2) has a content measure (content of "
                     "'CHN'): its rates need the table's factorization; use wiot_scenarios_schedule_lu");
    cr_assert_null(s);
    cr_assert_eq(wiot_scenarios_schedule_lu(f.ctx, f.sc, NULL, "c", WIOT_MEASURE_VA, &s), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(f.ctx), "scenario 'c' (c.csv:2) has a content measure (content of "
                     "'CHN') but no factorization was given");
    /* without content lines no factorization is needed */
    cr_assert_eq(wiot_scenarios_schedule_lu(f.ctx, f.sc, NULL, "p", WIOT_MEASURE_VA, &s), WIOT_OK);
    wiot_schedule_free(s);
    s = NULL;
    cr_assert_eq(wiot_scenarios_schedule_lu(f.ctx, f.sc, f.lu, "c", 7, &s), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(f.ctx), "wiot_scenarios_schedule_lu: unknown content measure 7 "
                     "(WIOT_MEASURE_VA or WIOT_MEASURE_GROSS)");
    cr_assert_eq(wiot_scenarios_schedule_lu(f.ctx, f.sc, f.lu, NULL, WIOT_MEASURE_VA, &s), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_schedule_lu(NULL, f.sc, f.lu, "c", WIOT_MEASURE_VA, &s), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_split(f.ctx, NULL, f.lu, "c", WIOT_MEASURE_VA, &s, &s2), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_schedule_lu(f.ctx, f.sc, f.lu, "c+zz", WIOT_MEASURE_VA, &s), WIOT_ENOTFOUND);
    /* a Ghosh factorization */
    wiot_lu *g = NULL;
    cr_assert_eq(wiot_lu_new(f.ctx, f.t, WIOT_GHOSH, &g, NULL), WIOT_OK);
    cr_assert_eq(wiot_scenarios_schedule_lu(f.ctx, f.sc, g, "c", WIOT_MEASURE_VA, &s), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(f.ctx), "wiot_scenarios_schedule_lu: content shares need a Leontief "
                     "factorization, not a Ghosh one");
    wiot_lu_free(g);
    /* a factorization of another table */
    wiot_table *t2 = NULL;
    {
        static const char *const cc2[2] = {"USA", "CHN"};
        double Z[4] = {10, 5, 5, 10}, F[4] = {100, 10, 10, 100};
        wiot_table_desc d = {0};
        d.countries = 2;
        d.sectors = 1;
        d.fd_categories = 1;
        d.country_codes = cc2;
        d.sector_codes = sc3;
        d.Z = Z;
        d.ldz = 2;
        d.F = F;
        d.ldf = 2;
        d.name = "other";
        cr_assert_eq(wiot_table_new(f.ctx, &d, &t2), WIOT_OK, "%s", wiot_errmsg(f.ctx));
    }
    wiot_lu *lu2 = NULL;
    cr_assert_eq(wiot_lu_new(f.ctx, t2, WIOT_LEONTIEF, &lu2, NULL), WIOT_OK);
    cr_assert_eq(wiot_scenarios_schedule_lu(f.ctx, f.sc, lu2, "c", WIOT_MEASURE_VA, &s), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(f.ctx), "wiot_scenarios_schedule_lu: scenario 'c' (c.csv:2): the "
                     "factorization's table (other) does not have the scenario set's countries and "
                     "sectors (a set read through a sector map cannot hold content measures)");
    wiot_lu_free(lu2);
    wiot_table_free(t2);
    /* summed NTB rates <= -1 */
    cr_assert_eq(wiot_scenarios_schedule_lu(f.ctx, f.sc, f.lu, "n+n", WIOT_MEASURE_VA, &s), WIOT_EDATA);
    cr_assert_str_eq(wiot_errmsg(f.ctx), "scenario stack 'n+n': summed rate -1.2 of USA on CHN, sector "
                     "c1, is not > -1");
    cr_assert_eq(wiot_scenarios_split(f.ctx, f.sc, f.lu, "n+n+p", WIOT_MEASURE_VA, NULL, &s), WIOT_EDATA);
    cr_assert_str_eq(wiot_errmsg(f.ctx), "scenario stack 'n+n+p': summed NTB rate -1.2 of USA on CHN, "
                     "sector c1, is not > -1");
    cr_assert_null(s);
    /* set_ntb */
    cr_assert_eq(wiot_schedule_new(f.ctx, f.t, &s), WIOT_OK);
    cr_assert_eq(wiot_schedule_set_ntb(f.ctx, s, NC, 0, 0, 0.1), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(f.ctx), "wiot_schedule_set_ntb: index (importer 4, exporter 0, sector "
                     "0) out of range (4 countries, 3 sectors)");
    cr_assert_eq(wiot_schedule_set_ntb(f.ctx, s, 0, 1, 0, NAN), WIOT_EINVAL);
    cr_assert_eq(wiot_schedule_set_ntb(f.ctx, NULL, 0, 1, 0, 0.1), WIOT_EINVAL);
    cr_assert_eq(wiot_schedule_set_ntb(NULL, s, 0, 1, 0, 0.1), WIOT_EINVAL);
    cr_assert_null(wiot_schedule_ntb(s));
    cr_assert_null(wiot_schedule_ntb(NULL));
    wiot_schedule_free(s);
    teardown(&f);
}

/* Every allocation of a content + NTB build failing in turn: a clean error, nothing
 * leaked, and success once the allocator lets everything through. */
Test(content_tariff, allocation_failures)
{
    fixture f = setup(HDR6 "c,USA,CHN;DEU,*,0.3,on_content_of=CHN\n"
                           "c,USA,CHN,c2,0.2,except_content_of=USA:c1\n"
                           "c,USA,DEU,c1,0.1,ntb\n"
                           "d,USA,*,c1,0.2,unless_content_of=USMCA>=0.5\n");
    int done = 0;
    for (long k = 0; k < 200 && !done; k++) {
        test_alloc ta = {0, -1, 0};
        wiot_allocator al = test_allocator(&ta);
        wiot_ctx *ctx = NULL;
        cr_assert_eq(wiot_ctx_new_custom(&al, &ctx), WIOT_OK);
        ta.fail_at = ta.calls + k;   /* the k-th allocation after the context's own */
        wiot_schedule *s = NULL, *a = NULL, *b = NULL;
        int rc = wiot_scenarios_schedule_lu(ctx, f.sc, f.lu, "c+d", WIOT_MEASURE_VA, &s);
        if (!rc)
            rc = wiot_scenarios_split(ctx, f.sc, f.lu, "c+d", WIOT_MEASURE_VA, &a, &b);
        if (!rc) {   /* a copy carries the NTB part */
            wiot_schedule *cp = NULL;
            rc = wiot_schedule_copy(ctx, s, &cp);
            cr_assert(rc || wiot_schedule_ntb(cp));
            wiot_schedule_free(cp);
        }
        if (!rc) {   /* the NTB part of a plain schedule is allocated on first use */
            wiot_schedule *z = NULL;
            rc = wiot_schedule_new(ctx, f.t, &z);
            if (!rc)
                rc = wiot_schedule_set_ntb(ctx, z, USA, CHN, C1, 0.1);
            cr_assert(rc || wiot_schedule_ntb(z));
            wiot_schedule_free(z);
        }
        cr_assert(rc == WIOT_OK || rc == WIOT_ENOMEM, "k = %ld: rc %d: %s", k, rc, wiot_errmsg(ctx));
        if (rc == WIOT_OK) {
            cr_assert_not_null(wiot_schedule_ntb(s));
            done = ta.calls <= ta.fail_at;   /* no allocation failed: every point was tried */
        }
        wiot_schedule_free(s);
        wiot_schedule_free(a);
        wiot_schedule_free(b);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0, "k = %ld: %ld blocks leaked", k, ta.live);
    }
    cr_assert(done, "the build succeeded once the failure point passed every allocation");
    teardown(&f);
}

/* ------------------------------------------------ the shipped scenarios */
/* us_content_2025.csv against WIOD 2011: the USMCA vehicle lines are the file's gross
 * rate times the non-US value-added share of wiot_content; every other cell equals the
 * flat May 2025 stage; the chip tariff is 25 % of the Chinese c14 content. */
Test(content_tariff_wiod2013, shipped_content_scenarios, .timeout = 120)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, DATA("wiod2013/wiot_2011.csv.gz"));
    wiot_lu *lu = NULL;
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    cr_assert_eq(wiot_scenarios_load(ctx, sc, DATA("scenarios/wiod2013/us232_autos_2025.csv")), WIOT_OK);
    cr_assert_eq(wiot_scenarios_load(ctx, sc, DATA("scenarios/wiod2013/us_content_2025.csv")), WIOT_OK,
                 "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_scenarios_count(sc), 5);
    const size_t C = wiot_table_countries(t), S = wiot_table_sectors(t), n = C * S;
    const size_t usa = wiot_table_find_country(t, "USA"), can = wiot_table_find_country(t, "CAN"),
                 mex = wiot_table_find_country(t, "MEX"), c15 = wiot_table_find_sector(t, "c15"),
                 chn = wiot_table_find_country(t, "CHN");
    wiot_schedule *flat = NULL, *cont = NULL, *chip = NULL;
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "us232_autos_2025-05-03_vehicles_and_parts", &flat), WIOT_OK);
    cr_assert_eq(wiot_scenarios_schedule_lu(ctx, sc, lu, "us232_autos_2025-05-03_usmca_content",
                                            WIOT_MEASURE_VA, &cont), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_scenarios_schedule_lu(ctx, sc, lu, "us_chip_content_2025_illustrative",
                                            WIOT_MEASURE_VA, &chip), WIOT_OK);
    unsigned char *mask = malloc(n);
    double *us = malloc(n * sizeof *us), *cn = malloc(n * sizeof *cn);
    cr_assert(mask && us && cn);
    cr_assert_eq(wiot_select(ctx, t, "USA", mask, NULL), WIOT_OK);
    cr_assert_eq(wiot_content(ctx, lu, mask, WIOT_MEASURE_VA, us, NULL), WIOT_OK);
    cr_assert_eq(wiot_select(ctx, t, "CHN:c14", mask, NULL), WIOT_OK);
    cr_assert_eq(wiot_content(ctx, lu, mask, WIOT_MEASURE_VA, cn, NULL), WIOT_OK);
    cr_assert_eq(wiot_schedule_get(cont, usa, can, c15), 0.147118 * (1.0 - us[can * S + c15]));
    cr_assert_eq(wiot_schedule_get(cont, usa, mex, c15), 0.185867 * (1.0 - us[mex * S + c15]));
    for (size_t c = 0; c < C; c++)
        for (size_t k = 0; k < S; k++) {
            if ((c == can || c == mex) && k == c15)
                continue;
            cr_assert_eq(wiot_schedule_get(cont, usa, c, k), wiot_schedule_get(flat, usa, c, k));
            double want = c == usa || k >= 16 ? 0.0 : 0.25 * cn[c * S + k];
            cr_assert_eq(wiot_schedule_get(chip, usa, c, k), want, "%zu %zu", c, k);
        }
    (void)chn;
    /* against the independent numpy computation (tests/content_tariff_ref.py): the same
     * quantities by an explicit inverse instead of a transposed LU solve, so they agree
     * to rounding: 1e-12 relative (cond(I - A) is about 10 for WIOD 2011) */
    wiot_schedule *gross = NULL, *roo = NULL;
    cr_assert_eq(wiot_scenarios_schedule_lu(ctx, sc, lu, "us232_autos_2025-05-03_usmca_content",
                                            WIOT_MEASURE_GROSS, &gross), WIOT_OK);
    cr_assert_eq(wiot_scenarios_schedule_lu(ctx, sc, lu, "us232_autos_usmca_roo75_illustrative",
                                            WIOT_MEASURE_VA, &roo), WIOT_OK);
    double *usmca = malloc(n * sizeof *usmca), *usg = malloc(n * sizeof *usg);
    cr_assert(usmca && usg);
    cr_assert_eq(wiot_select(ctx, t, "USMCA", mask, NULL), WIOT_OK);
    cr_assert_eq(wiot_content(ctx, lu, mask, WIOT_MEASURE_VA, usmca, NULL), WIOT_OK);
    cr_assert_eq(wiot_select(ctx, t, "USA", mask, NULL), WIOT_OK);
    cr_assert_eq(wiot_content(ctx, lu, mask, WIOT_MEASURE_GROSS, usg, NULL), WIOT_OK);
    char *ref = test_slurp("content_tariff_expected.csv", NULL);
    cr_assert_not_null(ref, "tests/content_tariff_expected.csv (from content_tariff_ref.py)");
    size_t checked = 0;
    char *save = NULL;
    for (char *line = strtok_r(ref, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char q[32], cty[8], sec[8];
        double want;
        if (sscanf(line, "%31[^,],%7[^,],%7[^,],%lf", q, cty, sec, &want) != 4)
            continue;   /* the header */
        size_t c = wiot_table_find_country(t, cty), k = wiot_table_find_sector(t, sec), j = c * S + k;
        cr_assert(c < C && k < S, "%s", line);
        double got = !strcmp(q, "us_va_share") ? us[j]
                   : !strcmp(q, "us_gross_share") ? usg[j]
                   : !strcmp(q, "usmca_va_share") ? usmca[j]
                   : !strcmp(q, "effective_va") ? wiot_schedule_get(cont, usa, c, k)
                   : !strcmp(q, "effective_gross") ? wiot_schedule_get(gross, usa, c, k)
                   : !strcmp(q, "chip_effective") ? wiot_schedule_get(chip, usa, c, k) : NAN;
        cr_assert(rel_close(got, want, 1e-12, 1e-300), "%s: wiot %.17g, numpy %.17g", line, got, want);
        if (!strcmp(q, "usmca_va_share"))   /* above 0.75: the rule of origin exempts it */
            cr_assert_eq(wiot_schedule_get(roo, usa, c, k), want >= 0.75 ? 0.0 : 0.25);
        checked++;
    }
    cr_assert_eq(checked, 34);
    free(ref);
    free(usmca);
    free(usg);
    wiot_schedule_free(gross);
    wiot_schedule_free(roo);
    /* the chip tariff prices exactly as a flat schedule at its effective rates */
    wiot_schedule *fl = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t, &fl), WIOT_OK);
    for (size_t c = 0; c < C; c++)
        for (size_t k = 0; k < S; k++)
            cr_assert_eq(wiot_schedule_set(ctx, fl, usa, c, k, wiot_schedule_get(chip, usa, c, k)), WIOT_OK);
    wiot_result *ra = NULL, *rb = NULL;
    cr_assert_eq(wiot_result_new(ctx, t, &ra), WIOT_OK);
    cr_assert_eq(wiot_result_new(ctx, t, &rb), WIOT_OK);
    cr_assert_eq(wiot_tariff(ctx, lu, chip, 1.0, WIOT_BOTH, ra), WIOT_OK);
    cr_assert_eq(wiot_tariff(ctx, lu, fl, 1.0, WIOT_BOTH, rb), WIOT_OK);
    size_t len;
    const double *pa = wiot_result_get(ra, WIOT_R_FINAL_PRICE, &len), *pb = wiot_result_get(rb, WIOT_R_FINAL_PRICE, NULL);
    for (size_t q = 0; q < len; q++)
        cr_assert(rel_close(pa[q], pb[q], 1e-13, 1e-300), "[%zu] %.17g vs %.17g", q, pa[q], pb[q]);
    wiot_result_free(ra);
    wiot_result_free(rb);
    wiot_schedule_free(fl);
    free(mask);
    free(us);
    free(cn);
    wiot_schedule_free(flat);
    wiot_schedule_free(cont);
    wiot_schedule_free(chip);
    wiot_scenarios_free(sc);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}
