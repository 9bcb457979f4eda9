/* test_scenario.c -- tariff schedules and scenario files (kernel/scenario.c). */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"

#include <unistd.h>

/* The small table: countries USA CHN DEU RoW, sectors c1 c2 c17 (two goods sectors
 * and one service sector under the WIOD 2013 classification). */
enum { USA, CHN, DEU, ROW, NC = 4 };
enum { C1, C2, C17, NS = 3 };
static const char *const cc4[NC] = {"USA", "CHN", "DEU", "RoW"};
static const char *const sc3[NS] = {"c1", "c2", "c17"};

/* A table with realistic flows: domestic inputs ~10x imported ones, final demand
 * mostly domestic; column sums of A are about 0.2. */
static wiot_table *mk_table(wiot_ctx *ctx, size_t C, const char *const *cc, size_t S,
                            const char *const *sc)
{
    size_t n = C * S;
    double *Z = malloc(n * n * sizeof *Z), *F = malloc(n * C * sizeof *F);
    cr_assert(Z && F);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            Z[i + j * n] = (i / S == j / S ? 40.0 : 4.0) + (double)((i * 7 + j * 13) % 11) * 1.25;
    for (size_t d = 0; d < C; d++)
        for (size_t i = 0; i < n; i++)
            F[i + d * n] = (i / S == d ? 900.0 : 60.0) + (double)((i * 3 + d) % 7) * 2.5;
    wiot_table_desc desc = {0};
    desc.countries = C;
    desc.sectors = S;
    desc.fd_categories = 1;
    desc.country_codes = cc;
    desc.sector_codes = sc;
    desc.Z = Z;
    desc.ldz = n;
    desc.F = F;
    desc.ldf = n;
    desc.name = "small";
    wiot_table *t = NULL;
    int rc = wiot_table_new(ctx, &desc, &t);
    cr_assert_eq(rc, WIOT_OK, "wiot_table_new: %s", wiot_errmsg(ctx));
    free(Z);
    free(F);
    return t;
}

static wiot_table *small_table(wiot_ctx *ctx) { return mk_table(ctx, NC, cc4, NS, sc3); }

static int load_str(wiot_ctx *ctx, wiot_scenarios *sc, const char *text, const char *name)
{
    return wiot_scenarios_load_buffer(ctx, sc, text, strlen(text), name);
}

#define HDR "scenario,imposer,target,sector,rate\n"

static wiot_schedule *build(wiot_ctx *ctx, const wiot_scenarios *sc, const char *expr)
{
    wiot_schedule *s = NULL;
    int rc = wiot_scenarios_schedule(ctx, sc, expr, &s);
    cr_assert_eq(rc, WIOT_OK, "schedule '%s': %s", expr, wiot_errmsg(ctx));
    cr_assert_not_null(s);
    return s;
}

/* Every rate of s equals expect(d, c, k); diagonal always 0. */
#define R(s, d, c, k) wiot_schedule_get((s), (d), (c), (k))

static void assert_only(const wiot_schedule *s, const double *want /* NC*NC*NS */)
{
    for (size_t d = 0; d < NC; d++)
        for (size_t c = 0; c < NC; c++)
            for (size_t k = 0; k < NS; k++) {
                double w = d == c ? 0.0 : want[(d * NC + c) * NS + k];
                cr_assert_eq(R(s, d, c, k), w, "rate(%s <- %s, %s) = %g, expected %g", cc4[d],
                             cc4[c], sc3[k], R(s, d, c, k), w);
            }
}

/* ------------------------------------------------------------- schedules */
Test(schedule, new_set_get_copy)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = small_table(ctx);
    wiot_schedule *s = NULL, *c = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t, &s), WIOT_OK);
    const double *r = wiot_schedule_rates(s);
    for (size_t q = 0; q < NC * NC * NS; q++)
        cr_assert_eq(r[q], 0.0);
    cr_assert_eq(wiot_schedule_set(ctx, s, USA, CHN, C2, 0.2385), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(ctx, s, DEU, ROW, C17, 0.0), WIOT_OK);
    cr_assert_eq(R(s, USA, CHN, C2), 0.2385);
    cr_assert_eq(r[(USA * NC + CHN) * NS + C2], 0.2385, "layout (d*C + c)*S + s");
    /* d == c is ignored */
    cr_assert_eq(wiot_schedule_set(ctx, s, CHN, CHN, C1, 0.5), WIOT_OK);
    cr_assert_eq(R(s, CHN, CHN, C1), 0.0);
    /* invalid */
    cr_assert_eq(wiot_schedule_set(ctx, s, NC, CHN, C1, 0.1), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_schedule_set: index (importer 4, exporter 1, sector 0) "
                                       "out of range (4 countries, 3 sectors)");
    cr_assert_eq(wiot_schedule_set(ctx, s, USA, CHN, NS, 0.1), WIOT_EINVAL);
    cr_assert_eq(wiot_schedule_set(ctx, s, USA, CHN, C1, -1.0), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_schedule_set: rate -1 must be finite and > -1");
    cr_assert_eq(wiot_schedule_set(ctx, s, USA, CHN, C1, NAN), WIOT_EINVAL);
    cr_assert_eq(wiot_schedule_set(ctx, s, USA, CHN, C1, INFINITY), WIOT_EINVAL);
    cr_assert_eq(wiot_schedule_set(ctx, NULL, USA, CHN, C1, 0.1), WIOT_EINVAL);
    cr_assert_eq(wiot_schedule_set(NULL, s, USA, CHN, C1, 0.1), WIOT_EINVAL);
    cr_assert_eq(R(s, USA, CHN, C1), 0.0, "failed sets leave the schedule untouched");
    cr_assert(isnan(R(s, NC, CHN, C1)));
    cr_assert(isnan(R(s, USA, CHN, NS)));
    cr_assert(isnan(R(NULL, 0, 0, 0)));
    /* a negative rate (subsidy/cut) above -1 is allowed */
    cr_assert_eq(wiot_schedule_set(ctx, s, ROW, USA, C1, -0.035), WIOT_OK);
    /* copy is deep */
    cr_assert_eq(wiot_schedule_copy(ctx, s, &c), WIOT_OK);
    cr_assert_eq(R(c, USA, CHN, C2), 0.2385);
    cr_assert_eq(R(c, ROW, USA, C1), -0.035);
    cr_assert_eq(wiot_schedule_set(ctx, c, USA, CHN, C2, 0.9), WIOT_OK);
    cr_assert_eq(R(s, USA, CHN, C2), 0.2385);
    cr_assert_neq(wiot_schedule_rates(c), wiot_schedule_rates(s));
    cr_assert_eq(wiot_schedule_copy(ctx, NULL, &c), WIOT_EINVAL);
    cr_assert_eq(wiot_schedule_new(ctx, NULL, &c), WIOT_EINVAL);
    cr_assert_eq(wiot_schedule_new(ctx, t, NULL), WIOT_EINVAL);
    cr_assert_null(wiot_schedule_rates(NULL));
    wiot_schedule_free(c);
    wiot_schedule_free(s);
    wiot_schedule_free(NULL);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(schedule, add_and_imposers)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = small_table(ctx);
    wiot_schedule *a = NULL, *b = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t, &a), WIOT_OK);
    cr_assert_eq(wiot_schedule_new(ctx, t, &b), WIOT_OK);
    size_t list[NC] = {99, 99, 99, 99};
    cr_assert_eq(wiot_schedule_imposers(a, list), 0);
    cr_assert_eq(list[0], 99, "nothing written for an empty schedule");
    cr_assert_eq(wiot_schedule_set(ctx, a, USA, CHN, C1, 0.25), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(ctx, a, ROW, DEU, C17, 0.0125), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(ctx, b, USA, CHN, C1, 0.1), WIOT_OK);
    cr_assert_eq(wiot_schedule_set(ctx, b, CHN, USA, C2, -0.2), WIOT_OK);
    cr_assert_eq(wiot_schedule_add(ctx, a, b, 2.5), WIOT_OK);
    cr_assert_eq(R(a, USA, CHN, C1), 0.25 + 2.5 * 0.1);
    cr_assert_eq(R(a, CHN, USA, C2), -0.5);
    cr_assert_eq(R(a, ROW, DEU, C17), 0.0125);
    cr_assert_eq(R(a, DEU, USA, C1), 0.0);
    cr_assert_eq(wiot_schedule_imposers(a, NULL), 3);
    cr_assert_eq(wiot_schedule_imposers(a, list), 3);
    cr_assert_eq(list[0], USA);
    cr_assert_eq(list[1], CHN);
    cr_assert_eq(list[2], ROW);
    cr_assert_eq(wiot_schedule_imposers(NULL, list), 0);
    /* the sum must stay > -1; a failed add leaves dst untouched */
    cr_assert_eq(wiot_schedule_add(ctx, a, b, 2.5), WIOT_EDATA);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_schedule_add: rate (importer 1, exporter 0, sector 1) "
                                       "would be -1, not > -1");
    cr_assert_eq(R(a, CHN, USA, C2), -0.5);
    cr_assert_eq(R(a, USA, CHN, C1), 0.5);
    cr_assert_eq(wiot_schedule_add(ctx, a, b, NAN), WIOT_EINVAL);
    cr_assert_eq(wiot_schedule_add(ctx, a, NULL, 1.0), WIOT_EINVAL);
    /* dimensions must match */
    static const char *const cc2[2] = {"USA", "CHN"};
    wiot_table *t2 = mk_table(ctx, 2, cc2, NS, sc3);
    wiot_schedule *c = NULL;
    cr_assert_eq(wiot_schedule_new(ctx, t2, &c), WIOT_OK);
    cr_assert_eq(wiot_schedule_add(ctx, a, c, 1.0), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_schedule_add: schedules differ in size (4 x 3 against "
                                       "2 x 3 countries x sectors)");
    /* self-add doubles */
    cr_assert_eq(wiot_schedule_add(ctx, b, b, 1.0), WIOT_OK);
    cr_assert_eq(R(b, USA, CHN, C1), 0.2);
    wiot_schedule_free(c);
    wiot_table_free(t2);
    wiot_schedule_free(a);
    wiot_schedule_free(b);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ---------------------------------------------------------- field forms */
/* One scenario per form; each checked against a hand-written expectation. */
static const char forms[] =
    "# field forms\n"
    HDR
    "one,USA,CHN,c1,0.25\n"
    "star,*,*,*,0.1\n"
    "eu,EU27,USA,c1,0.05\n"
    "eu28,EU28;EU15,CHN,c2,0.07\n"
    "g7,G7,BRICS,c17,0.03\n"
    "nafta,NAFTA,USMCA;CHN,c1,0.04\n"
    "list,USA;DEU,CHN;RoW,c2,0.3\n"
    "excl,*;!USA,USA,c1,0.2\n"
    "excl_first,!USA;*,USA,c1,0.2\n"
    "excl_group,*;!EU27;!CHN,CHN,c2,0.06\n"
    "range,USA,CHN,c1..c2,0.15\n"
    "range2,USA,CHN,c2..c17,0.16\n"
    "range1,USA,CHN,c2..c2,0.17\n"
    "goods,USA,*,goods,0.1\n"
    "services,USA,*,services,0.11\n"
    "sec_excl,USA,DEU,*;!c2,0.12\n"
    "sec_mix,USA,DEU,c17;c1..c1,0.13\n"
    "later_wins,USA,*,*,0.1\n"
    "later_wins,USA,CHN,c1,0.5\n"
    "general_last,USA,CHN,c1,0.5\n"
    "general_last,USA,*,*,0.1\n"
    "self,USA,USA,c1,0.1\n"
    "self,*,USA;CHN,c1,0.08\n"
    "one,USA,DEU,c17,2.5e-1\n"        /* a scenario may span non-contiguous lines */
    "dec,CHN,USA,c1,+1.25E-1\n"      /* sign and capital exponent; hex is refused (issue 16) */
    "neg,CHN,USA,c1,-0.999\n";

static double W[NC * NC * NS];
static void want_clear(void) { memset(W, 0, sizeof W); }
static void want(size_t d, size_t c, size_t k, double r) { W[(d * NC + c) * NS + k] = r; }

static void check_form(wiot_ctx *ctx, const wiot_scenarios *sc, const char *name)
{
    wiot_schedule *s = build(ctx, sc, name);
    assert_only(s, W);
    wiot_schedule_free(s);
}

Test(scenario, field_forms)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = small_table(ctx);
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    cr_assert_eq(wiot_scenarios_count(sc), 0);
    int rc = load_str(ctx, sc, forms, "forms.csv");
    cr_assert_eq(rc, WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_scenarios_count(sc), 22);
    cr_assert_str_eq(wiot_scenarios_name(sc, 0), "one");
    cr_assert_str_eq(wiot_scenarios_name(sc, 1), "star");
    cr_assert_str_eq(wiot_scenarios_name(sc, 21), "neg");
    cr_assert_null(wiot_scenarios_name(sc, 22));
    cr_assert_null(wiot_scenarios_name(NULL, 0));
    cr_assert_eq(wiot_scenarios_count(NULL), 0);

    want_clear();
    want(USA, CHN, C1, 0.25);
    want(USA, DEU, C17, 0.25);
    check_form(ctx, sc, "one");

    for (size_t q = 0; q < NC * NC * NS; q++)
        W[q] = 0.1;
    check_form(ctx, sc, "star");

    want_clear(); /* EU27 in this table: DEU only */
    want(DEU, USA, C1, 0.05);
    check_form(ctx, sc, "eu");
    want_clear();
    want(DEU, CHN, C2, 0.07);
    check_form(ctx, sc, "eu28");
    want_clear(); /* G7 here: USA DEU; BRICS here: CHN */
    want(USA, CHN, C17, 0.03);
    want(DEU, CHN, C17, 0.03);
    check_form(ctx, sc, "g7");
    want_clear(); /* NAFTA = USMCA: USA; targets USA (skipped) and CHN */
    want(USA, CHN, C1, 0.04);
    check_form(ctx, sc, "nafta");

    want_clear();
    want(USA, CHN, C2, 0.3);
    want(USA, ROW, C2, 0.3);
    want(DEU, CHN, C2, 0.3);
    want(DEU, ROW, C2, 0.3);
    check_form(ctx, sc, "list");

    want_clear();
    want(CHN, USA, C1, 0.2);
    want(DEU, USA, C1, 0.2);
    want(ROW, USA, C1, 0.2);
    check_form(ctx, sc, "excl");
    check_form(ctx, sc, "excl_first");
    want_clear(); /* all but EU27 (DEU) and CHN: USA, RoW */
    want(USA, CHN, C2, 0.06);
    want(ROW, CHN, C2, 0.06);
    check_form(ctx, sc, "excl_group");

    want_clear();
    want(USA, CHN, C1, 0.15);
    want(USA, CHN, C2, 0.15);
    check_form(ctx, sc, "range");
    want_clear();
    want(USA, CHN, C2, 0.16);
    want(USA, CHN, C17, 0.16);
    check_form(ctx, sc, "range2");
    want_clear();
    want(USA, CHN, C2, 0.17);
    check_form(ctx, sc, "range1");

    want_clear();
    for (size_t c = 0; c < NC; c++) {
        want(USA, c, C1, 0.1);
        want(USA, c, C2, 0.1);
    }
    check_form(ctx, sc, "goods");
    want_clear();
    for (size_t c = 0; c < NC; c++)
        want(USA, c, C17, 0.11);
    check_form(ctx, sc, "services");
    want_clear();
    want(USA, DEU, C1, 0.12);
    want(USA, DEU, C17, 0.12);
    check_form(ctx, sc, "sec_excl");
    want_clear();
    want(USA, DEU, C1, 0.13);
    want(USA, DEU, C17, 0.13);
    check_form(ctx, sc, "sec_mix");

    want_clear(); /* the later, narrower line overrides the earlier, wider one */
    for (size_t c = 0; c < NC; c++)
        for (size_t k = 0; k < NS; k++)
            want(USA, c, k, 0.1);
    want(USA, CHN, C1, 0.5);
    check_form(ctx, sc, "later_wins");
    want(USA, CHN, C1, 0.1); /* the later, wider line overrides the narrower one */
    check_form(ctx, sc, "general_last");

    want_clear(); /* USA <- USA skipped silently, also inside '*' */
    want(USA, CHN, C1, 0.08);
    want(CHN, USA, C1, 0.08);
    want(DEU, USA, C1, 0.08);
    want(DEU, CHN, C1, 0.08);
    want(ROW, USA, C1, 0.08);
    want(ROW, CHN, C1, 0.08);
    check_form(ctx, sc, "self");

    want_clear();
    want(CHN, USA, C1, 0.125);
    check_form(ctx, sc, "dec");
    want_clear();
    want(CHN, USA, C1, -0.999);
    check_form(ctx, sc, "neg");

    wiot_scenarios_free(sc);
    wiot_scenarios_free(NULL);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(scenario, only_self_pairs)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = small_table(ctx);
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    cr_assert_eq(load_str(ctx, sc, HDR "self,USA,USA,c1,0.1\nself,RoW,RoW,*,0.2\n", "s.csv"), WIOT_OK);
    wiot_schedule *s = build(ctx, sc, "self");
    cr_assert_eq(wiot_schedule_imposers(s, NULL), 0);
    want_clear();
    assert_only(s, W);
    wiot_schedule_free(s);
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* Lines: CRLF, a BOM, comments before the header and between lines, blank lines with
 * spaces, no final newline. */
Test(scenario, line_syntax)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = small_table(ctx);
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    static const char text[] = "\xEF\xBB\xBF# generated\r\n\r\n"
                               "scenario,imposer,target,sector,rate\r\n"
                               "a,USA,CHN,c1,0.25\r\n"
                               "  # indented comment\r\n"
                               " \t \r\n"
                               "a,CHN,USA,c17,1e-2";
    cr_assert_eq(load_str(ctx, sc, text, "crlf.csv"), WIOT_OK, "%s", wiot_errmsg(ctx));
    wiot_schedule *s = build(ctx, sc, "a");
    want_clear();
    want(USA, CHN, C1, 0.25);
    want(CHN, USA, C17, 0.01);
    assert_only(s, W);
    size_t list[NC];
    cr_assert_eq(wiot_schedule_imposers(s, list), 2);
    cr_assert_eq(list[0], USA);
    cr_assert_eq(list[1], CHN);
    wiot_schedule_free(s);
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* --------------------------------------------------------------- stacking */
Test(scenario, stacking)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = small_table(ctx);
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    cr_assert_eq(load_str(ctx, sc,
                          HDR "A,USA,CHN,c1,0.25\nA,USA,CHN,c2,0.1\n"
                              "B,USA,CHN,c1,0.075\nB,CHN,USA,*,0.05\n",
                          "ab.csv"),
                 WIOT_OK);
    cr_assert_eq(load_str(ctx, sc, HDR "C,CHN,USA,c2,-0.6\nD,CHN,USA,c2,-0.45\n", "cd.csv"), WIOT_OK);
    cr_assert_eq(wiot_scenarios_count(sc), 4);
    cr_assert_str_eq(wiot_scenarios_name(sc, 2), "C");
    wiot_schedule *s = build(ctx, sc, "A+B");
    want_clear();
    want(USA, CHN, C1, 0.25 + 0.075);
    want(USA, CHN, C2, 0.1);
    want(CHN, USA, C1, 0.05);
    want(CHN, USA, C2, 0.05);
    want(CHN, USA, C17, 0.05);
    assert_only(s, W);
    wiot_schedule_free(s);
    /* order does not matter; spaces around terms are ignored */
    s = build(ctx, sc, " B +\tA ");
    assert_only(s, W);
    wiot_schedule_free(s);
    /* repeated term: added twice */
    s = build(ctx, sc, "B+B");
    cr_assert_eq(R(s, USA, CHN, C1), 0.15);
    cr_assert_eq(R(s, CHN, USA, C17), 0.1);
    wiot_schedule_free(s);
    /* three terms */
    s = build(ctx, sc, "A+B+C");
    cr_assert_eq(R(s, CHN, USA, C2), 0.05 - 0.6);
    wiot_schedule_free(s);
    /* the same as building separately and adding */
    wiot_schedule *a = build(ctx, sc, "A"), *b = build(ctx, sc, "B");
    cr_assert_eq(wiot_schedule_add(ctx, a, b, 1.0), WIOT_OK);
    s = build(ctx, sc, "A+B");
    cr_assert_arr_eq(wiot_schedule_rates(a), wiot_schedule_rates(s), NC * NC * NS * sizeof(double));
    wiot_schedule_free(a);
    wiot_schedule_free(b);
    /* a sum <= -1 is refused, out untouched */
    wiot_schedule *keep = s;
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "C+D", &s), WIOT_EDATA);
    cr_assert_str_eq(wiot_errmsg(ctx), "scenario stack 'C+D': summed rate -1.05 of CHN on USA, "
                                       "sector c2, is not > -1");
    cr_assert_eq(s, keep);
    /* empty terms */
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "A+", &s), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "empty scenario name in 'A+'");
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "A++B", &s), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "+A", &s), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "", &s), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, " ", &s), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, NULL, &s), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_schedule(ctx, NULL, "A", &s), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "A", NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_schedule(NULL, sc, "A", &s), WIOT_EINVAL);
    cr_assert_eq(s, keep);
    wiot_schedule_free(s);
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* --------------------------------------------------------- unknown names */
Test(scenario, unknown_name_suggestions)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = small_table(ctx);
    wiot_scenarios *sc = NULL;
    wiot_schedule *s = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "x", &s), WIOT_ENOTFOUND);
    cr_assert_str_eq(wiot_errmsg(ctx), "unknown scenario 'x' (no scenarios loaded)");
    cr_assert_eq(load_str(ctx, sc,
                          HDR "us301_2018-07-06_list1,USA,CHN,c1,0.1\n"
                              "us301_2018-08-23_lists1-2,USA,CHN,c1,0.1\n"
                              "us301_2018-09-24_lists1-3_list3at10,USA,CHN,c1,0.1\n"
                              "us301_2019-05-10_list3at25,USA,CHN,c1,0.1\n"
                              "us301_2019-09-01_list4A_at15,USA,CHN,c1,0.1\n"
                              "us301_2020-02-14_list4A_at7.5,USA,CHN,c1,0.1\n"
                              "cn_ret_2018-07-06_list34bn,CHN,USA,c1,0.1\n"
                              "piie_us_on_chn_2018-09-24,USA,CHN,c1,0.1\n",
                          "n.csv"),
                 WIOT_OK);
    /* a typo: ranked by edit distance (1, 7, 10, 10, 14; ties by longer common prefix,
     * then set order); the 17 edits of ..._list3at10 do not make the first five */
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "us301_2018-07-06_lst1", &s), WIOT_ENOTFOUND);
    cr_assert_str_eq(wiot_errmsg(ctx),
                     "unknown scenario 'us301_2018-07-06_lst1' (closest: us301_2018-07-06_list1, "
                     "us301_2018-08-23_lists1-2, us301_2019-05-10_list3at25, "
                     "us301_2019-09-01_list4A_at15, us301_2020-02-14_list4A_at7.5; "
                     "8 scenarios available)");
    /* a fragment: names containing it first */
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "list4A", &s), WIOT_ENOTFOUND);
    cr_assert_str_eq(wiot_errmsg(ctx),
                     "unknown scenario 'list4A' (closest: us301_2019-09-01_list4A_at15, "
                     "us301_2020-02-14_list4A_at7.5; 8 scenarios available)");
    /* nothing close */
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "zzz", &s), WIOT_ENOTFOUND);
    cr_assert_str_eq(wiot_errmsg(ctx), "unknown scenario 'zzz' (8 scenarios available)");
    /* in a stack: the unknown term is named; case matters */
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "us301_2018-07-06_list1+PIIE_us_on_chn_2018-09-24",
                                         &s),
                 WIOT_ENOTFOUND);
    cr_assert_str_eq(wiot_errmsg(ctx), "unknown scenario 'PIIE_us_on_chn_2018-09-24' (closest: "
                                       "piie_us_on_chn_2018-09-24; 8 scenarios available)");
    cr_assert_null(s);
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------------ bad files */
struct bad_case {
    const char *file;
    int status;
    const char *msg;
};

#define VALID_C "(valid: USA CHN DEU RoW; groups: EU27 EU28 EU15 USMCA NAFTA G7 BRICS ASEAN)"
#define VALID_S "(valid: c1 c2 c17; groups: goods services)"

static const struct bad_case bad_cases[] = {
    {"scenario_header.csv", WIOT_EFORMAT,
     "bad/scenario_header.csv:1: bad header: expected 'scenario,imposer,target,sector,rate'"},
    {"scenario_empty.csv", WIOT_EFORMAT,
     "bad/scenario_empty.csv: empty file (expected the header "
     "'scenario,imposer,target,sector,rate')"},
    {"scenario_comments_only.csv", WIOT_EFORMAT,
     "bad/scenario_comments_only.csv: empty file (expected the header "
     "'scenario,imposer,target,sector,rate')"},
    {"scenario_no_lines.csv", WIOT_EFORMAT,
     "bad/scenario_no_lines.csv: no scenario lines after the header"},
    {"scenario_fields4.csv", WIOT_EFORMAT, "bad/scenario_fields4.csv:3: expected 5 fields, got 4"},
    {"scenario_fields6.csv", WIOT_EFORMAT, "bad/scenario_fields6.csv:2: expected 5 fields, got 6"},
    {"scenario_empty_field.csv", WIOT_EFORMAT,
     "bad/scenario_empty_field.csv:2: field 'target': empty"},
    {"scenario_country.csv", WIOT_ENOTFOUND,
     "bad/scenario_country.csv:5: field 'target': unknown country 'XYZ' " VALID_C},
    {"scenario_country_case.csv", WIOT_ENOTFOUND,
     "bad/scenario_country_case.csv:2: field 'imposer': unknown country 'ROW' (did you mean "
     "'RoW'? valid: USA CHN DEU RoW; groups: EU27 EU28 EU15 USMCA NAFTA G7 BRICS ASEAN)"},
    {"scenario_group_absent.csv", WIOT_ENOTFOUND,
     "bad/scenario_group_absent.csv:2: field 'target': group 'ASEAN' has no member in this table"},
    {"scenario_empty_item.csv", WIOT_EFORMAT,
     "bad/scenario_empty_item.csv:2: field 'imposer': empty item in 'USA;;CHN'"},
    {"scenario_selects_none.csv", WIOT_EFORMAT,
     "bad/scenario_selects_none.csv:2: field 'target': 'CHN;!CHN' selects no country"},
    {"scenario_sector.csv", WIOT_ENOTFOUND,
     "bad/scenario_sector.csv:2: field 'sector': unknown sector 'c99' " VALID_S},
    {"scenario_range_reversed.csv", WIOT_EFORMAT,
     "bad/scenario_range_reversed.csv:2: field 'sector': range 'c17..c1' is reversed ('c17' "
     "comes after 'c1' in the table)"},
    {"scenario_range_unknown.csv", WIOT_ENOTFOUND,
     "bad/scenario_range_unknown.csv:2: field 'sector': unknown sector 'c99' in range 'c1..c99' "
     VALID_S},
    {"scenario_range_open.csv", WIOT_EFORMAT,
     "bad/scenario_range_open.csv:2: field 'sector': range 'c1..' needs a sector on each side "
     "of '..'"},
    {"scenario_rate_text.csv", WIOT_EFORMAT,
     "bad/scenario_rate_text.csv:2: field 'rate': not a number 'abc'"},
    {"scenario_rate_hex.csv", WIOT_EFORMAT,   /* the one number grammar: no hex (issue 16) */
     "bad/scenario_rate_hex.csv:2: field 'rate': not a number '0x1p-3'"},
    {"scenario_rate_percent.csv", WIOT_EFORMAT,
     "bad/scenario_rate_percent.csv:2: field 'rate': not a number '25%'"},
    {"scenario_rate_space.csv", WIOT_EFORMAT,
     "bad/scenario_rate_space.csv:2: field 'rate': not a number '0.1 '"},
    {"scenario_rate_low.csv", WIOT_EDATA,
     "bad/scenario_rate_low.csv:3: field 'rate': rate -1.5 must be > -1"},
    {"scenario_rate_minus_one.csv", WIOT_EDATA,
     "bad/scenario_rate_minus_one.csv:2: field 'rate': rate -1 must be > -1"},
    {"scenario_rate_inf.csv", WIOT_EDATA,
     "bad/scenario_rate_inf.csv:2: field 'rate': rate inf is not finite"},
    {"scenario_rate_nan.csv", WIOT_EDATA,
     "bad/scenario_rate_nan.csv:2: field 'rate': rate nan is not finite"},
    {"scenario_name_plus.csv", WIOT_EFORMAT,
     "bad/scenario_name_plus.csv:2: field 'scenario': name 'a+b' contains '+' (reserved for "
     "stacking scenarios)"},
    {"scenario_name_space.csv", WIOT_EFORMAT,
     "bad/scenario_name_space.csv:2: field 'scenario': name 'a b' contains a space or control "
     "character"},
    {"scenario_nul.csv", WIOT_EFORMAT, "bad/scenario_nul.csv:3: NUL byte (not a text file)"},
    {"scenario_gzip.csv.gz", WIOT_EFORMAT,
     "bad/scenario_gzip.csv.gz: gzip-compressed data; scenario files must be plain text"},
};

Test(scenario, bad_files)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = small_table(ctx);
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    /* the set already holds one scenario: every failed load must leave it alone */
    cr_assert_eq(load_str(ctx, sc, HDR "keep,USA,CHN,c1,0.1\n", "keep.csv"), WIOT_OK);
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *b = &bad_cases[i];
        char path[256];
        snprintf(path, sizeof path, "bad/%s", b->file);
        cr_assert(access(path, R_OK) == 0, "missing test file %s", path);
        int rc = wiot_scenarios_load(ctx, sc, path);
        cr_expect_eq(rc, b->status, "%s: status %d (%s), expected %d", b->file, rc,
                     wiot_errmsg(ctx), b->status);
        cr_expect_str_eq(wiot_errmsg(ctx), b->msg, "%s", b->file);
        cr_expect_eq(wiot_scenarios_count(sc), 1, "%s: the set changed", b->file);
        /* the same bytes through the buffer interface give the same result */
        size_t len = 0;
        char *data = test_slurp(path, &len);
        cr_assert_not_null(data);
        cr_expect_eq(wiot_scenarios_load_buffer(ctx, sc, data, len, path), b->status, "%s", path);
        cr_expect_str_eq(wiot_errmsg(ctx), b->msg, "%s (buffer)", b->file);
        free(data);
    }
    cr_assert_eq(wiot_scenarios_count(sc), 1);
    cr_assert_str_eq(wiot_scenarios_name(sc, 0), "keep");
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(scenario, io_and_arguments)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = small_table(ctx);
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    cr_assert_eq(wiot_scenarios_load(ctx, sc, "bad/no_such_scenarios.csv"), WIOT_EIO);
    cr_assert_str_eq(wiot_errmsg(ctx),
                     "bad/no_such_scenarios.csv: cannot open: No such file or directory");
    cr_assert_eq(wiot_scenarios_load(ctx, sc, "bad"), WIOT_EIO);
    cr_assert_str_eq(wiot_errmsg(ctx), "bad: is a directory");
    cr_assert_eq(wiot_scenarios_load(ctx, sc, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_load(ctx, NULL, "x"), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_load(NULL, sc, "x"), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_load_buffer(ctx, sc, NULL, 3, "x"), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_load_buffer(ctx, sc, NULL, 0, NULL), WIOT_EFORMAT);
    cr_assert_str_eq(wiot_errmsg(ctx), "<buffer>: empty file (expected the header "
                                       "'scenario,imposer,target,sector,rate')");
    cr_assert_eq(wiot_scenarios_new(ctx, NULL, &sc), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_new(ctx, t, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_scenarios_count(sc), 0);
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* A name may not be loaded twice, from the same file or another; the message names
 * the file that holds it. */
Test(scenario, duplicate_names)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = small_table(ctx);
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    cr_assert_eq(load_str(ctx, sc, HDR "a,USA,CHN,c1,0.1\nb,USA,CHN,c1,0.2\n", "first.csv"), WIOT_OK);
    cr_assert_eq(load_str(ctx, sc, HDR "c,USA,CHN,c1,0.1\n# x\nb,USA,CHN,c2,0.3\n", "second.csv"),
                 WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "second.csv:4: scenario 'b' is already loaded (from first.csv)");
    cr_assert_eq(load_str(ctx, sc, HDR "a,USA,CHN,c1,0.1\nb,USA,CHN,c1,0.2\n", "first.csv"),
                 WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "first.csv:2: scenario 'a' is already loaded (from first.csv)");
    cr_assert_eq(wiot_scenarios_count(sc), 2);
    /* the failed loads added nothing: "c" is still free */
    cr_assert_eq(load_str(ctx, sc, HDR "c,USA,CHN,c1,0.1\n", "third.csv"), WIOT_OK);
    cr_assert_eq(wiot_scenarios_count(sc), 3);
    wiot_schedule *s = build(ctx, sc, "b+c");
    cr_assert_eq(R(s, USA, CHN, C1), 0.2 + 0.1);
    wiot_schedule_free(s);
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------ goods by classification */
Test(scenario, goods_wiod2016_codes)
{
    static const char *const cc[2] = {"USA", "ROW"};
    static const char *const ss[9] = {"A01", "A03", "B", "C10-C12", "C31_C32", "C33",
                                      "D35", "G46", "U"};
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = mk_table(ctx, 2, cc, 9, ss);
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    cr_assert_eq(load_str(ctx, sc,
                          HDR "g,USA,ROW,goods,0.1\nsv,USA,ROW,services,0.2\n"
                              "r,ROW,USA,B..C31_C32;!C10-C12,0.3\n",
                          "w16.csv"),
                 WIOT_OK, "%s", wiot_errmsg(ctx));
    wiot_schedule *g = build(ctx, sc, "g"), *v = build(ctx, sc, "sv"), *r = build(ctx, sc, "r");
    for (size_t k = 0; k < 9; k++) {
        int goods = k <= 4; /* A01 .. C31_C32; C33 repair is a service */
        cr_assert_eq(R(g, 0, 1, k), goods ? 0.1 : 0.0, "%s", ss[k]);
        cr_assert_eq(R(v, 0, 1, k), goods ? 0.0 : 0.2, "%s", ss[k]);
        cr_assert_eq(R(r, 1, 0, k), k == 2 || k == 4 ? 0.3 : 0.0, "%s", ss[k]);
    }
    /* a lowercase code is not ROW */
    cr_assert_eq(load_str(ctx, sc, HDR "x,RoW,USA,b,0.1\n", "case.csv"), WIOT_ENOTFOUND);
    cr_assert_str_eq(wiot_errmsg(ctx),
                     "case.csv:2: field 'imposer': unknown country 'RoW' (did you mean 'ROW'? valid: "
                     "USA ROW; groups: EU27 EU28 EU15 USMCA NAFTA G7 BRICS ASEAN)");
    cr_assert_eq(load_str(ctx, sc, HDR "x,ROW,USA,b,0.1\n", "case.csv"), WIOT_ENOTFOUND);
    cr_assert_str_eq(wiot_errmsg(ctx),
                     "case.csv:2: field 'sector': unknown sector 'b' (did you mean 'B'? valid: A01 A03 "
                     "B C10-C12 C31_C32 C33 D35 G46 U; groups: goods services)");
    wiot_schedule_free(g);
    wiot_schedule_free(v);
    wiot_schedule_free(r);
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(scenario, goods_wiod2013_subset_and_undefined)
{
    static const char *const cc[2] = {"USA", "CHN"};
    static const char *const s13[4] = {"c15", "c16", "c17", "c35"};
    static const char *const sx[3] = {"agri", "Construction", "services"};
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = mk_table(ctx, 2, cc, 4, s13);
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    cr_assert_eq(load_str(ctx, sc, HDR "g,USA,CHN,goods,0.1\n", "g.csv"), WIOT_OK);
    wiot_schedule *g = build(ctx, sc, "g");
    cr_assert_eq(R(g, 0, 1, 0), 0.1);
    cr_assert_eq(R(g, 0, 1, 1), 0.1);
    cr_assert_eq(R(g, 0, 1, 2), 0.0);
    cr_assert_eq(R(g, 0, 1, 3), 0.0);
    wiot_schedule_free(g);
    wiot_scenarios_free(sc);
    wiot_table_free(t);

    /* no known classification: goods/services undefined (a code equal to a group
     * name means the sector) */
    t = mk_table(ctx, 2, cc, 3, sx);
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    cr_assert_eq(load_str(ctx, sc, HDR "g,USA,CHN,goods,0.1\n", "g.csv"), WIOT_ENOTFOUND);
    cr_assert_str_eq(wiot_errmsg(ctx), "g.csv:2: field 'sector': group 'goods' is not defined for "
                                       "this table's sector classification");
    cr_assert_eq(load_str(ctx, sc, HDR "s,USA,CHN,services;agri,0.1\n", "s.csv"), WIOT_OK);
    g = build(ctx, sc, "s");
    cr_assert_eq(R(g, 0, 1, 0), 0.1);
    cr_assert_eq(R(g, 0, 1, 1), 0.0);
    cr_assert_eq(R(g, 0, 1, 2), 0.1);
    wiot_schedule_free(g);
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* The set is independent of the table once created. */
Test(scenario, outlives_table)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = small_table(ctx);
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    wiot_table_free(t);
    cr_assert_eq(load_str(ctx, sc, HDR "a,EU27,RoW,c17,0.1\n", "a.csv"), WIOT_OK);
    wiot_schedule *s = build(ctx, sc, "a");
    cr_assert_eq(R(s, DEU, ROW, C17), 0.1);
    wiot_schedule_free(s);
    wiot_scenarios_free(sc);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------- allocation failures */
/* Many lines (so that the parser's arrays grow several times) and several
 * scenarios, written to a temporary file. */
static void write_big(char *path /* a mkstemp template */)
{
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    fputs(HDR, f);
    for (int i = 0; i < 300; i++)
        fprintf(f, "s%d,%s,%s;!USA,%s,%g\n", i % 7, cc4[i % NC], i % 2 ? "*" : "EU27;CHN",
                i % 3 ? sc3[i % NS] : "goods", 0.001 * (i + 1));
    fputs("last,*,*,*,0.05\n", f);
    fclose(f);
}

Test(scenario, allocation_failures)
{
    wiot_ctx *plain = test_ctx();
    wiot_table *t = small_table(plain);
    char path[] = "/tmp/wiot_test_scenario_XXXXXX";
    write_big(path);
    /* the reference: the same calls without failures */
    wiot_scenarios *rsc = NULL;
    wiot_schedule *ref = NULL;
    cr_assert_eq(wiot_scenarios_new(plain, t, &rsc), WIOT_OK);
    cr_assert_eq(load_str(plain, rsc, HDR "base,USA,CHN,c1,0.1\n", "base.csv"), WIOT_OK);
    cr_assert_eq(wiot_scenarios_load(plain, rsc, path), WIOT_OK, "%s", wiot_errmsg(plain));
    ref = build(plain, rsc, "s1+s2+last+base");
    cr_assert_gt(R(ref, USA, CHN, C1), 0.15);
    long k = 0;
    for (;; k++) {
        test_alloc ta = {0, -1, 0};
        wiot_allocator al = test_allocator(&ta);
        wiot_ctx *ctx = NULL;
        cr_assert_eq(wiot_ctx_new_custom(&al, &ctx), WIOT_OK);
        wiot_scenarios *sc = NULL;
        cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
        cr_assert_eq(load_str(ctx, sc, HDR "base,USA,CHN,c1,0.1\n", "base.csv"), WIOT_OK);
        ta.fail_at = ta.calls + k;
        wiot_schedule *s = NULL;
        int rc = wiot_scenarios_load(ctx, sc, path);
        if (rc == WIOT_OK) {
            cr_assert_eq(wiot_scenarios_count(sc), 9);
            rc = wiot_scenarios_schedule(ctx, sc, "s1+s2+last+base", &s);
            if (rc != WIOT_OK) {
                cr_assert_eq(rc, WIOT_ENOMEM, "k=%ld: %s", k, wiot_errmsg(ctx));
                cr_assert_null(s);
            }
        } else {
            cr_assert_eq(rc, WIOT_ENOMEM, "k=%ld: %s", k, wiot_errmsg(ctx));
            cr_assert_eq(wiot_scenarios_count(sc), 1, "k=%ld: the set changed", k);
            cr_assert_str_eq(wiot_scenarios_name(sc, 0), "base");
            /* the set still works */
            wiot_schedule *b = NULL;
            ta.fail_at = -1;
            cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "base", &b), WIOT_OK);
            cr_assert_eq(R(b, USA, CHN, C1), 0.1);
            wiot_schedule_free(b);
        }
        int done = s != NULL;
        if (done)
            cr_assert_arr_eq(wiot_schedule_rates(s), wiot_schedule_rates(ref),
                             NC * NC * NS * sizeof(double));
        wiot_schedule_free(s);
        wiot_scenarios_free(sc);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0, "k=%ld: %ld blocks leaked", k, ta.live);
        if (done)
            break;
    }
    cr_assert_gt(k, 5, "the loop saw only %ld allocations", k);
    unlink(path);
    wiot_schedule_free(ref);
    wiot_scenarios_free(rsc);
    wiot_table_free(t);
    wiot_ctx_free(plain);
}

/* ------------------------------------------- the shipped WIOD 2013 scenarios */
#define SCEN13(f) DATA("scenarios/wiod2013/" f)

static const struct {
    const char *file;
    size_t count;
} shipped[] = {
    {"us301_china_2018_2020.csv", 6},   {"china_retaliation_2018_2020.csv", 8},
    {"us232_steel_aluminum.csv", 7},    {"us232_autos_2025.csv", 2},
    {"us_ieepa_2025.csv", 6},           {"china_countermeasures_2025.csv", 5},
    {"piie_average_uniform.csv", 7},
};
#define NSHIPPED (sizeof shipped / sizeof shipped[0])

/* Every shipped line has single codes, so each scenario's schedule must hold exactly
 * the file's rates (the later line for a repeated triple) and zeros elsewhere. The
 * check reads the CSV independently of the library. */
static void check_against_csv(wiot_ctx *ctx, const wiot_table *t, const wiot_scenarios *sc,
                              const char *path, size_t *lines_checked)
{
    const size_t C = wiot_table_countries(t), S = wiot_table_sectors(t);
    char *text = test_slurp(path, NULL);
    cr_assert_not_null(text, "%s", path);
    for (size_t i = 0; i < wiot_scenarios_count(sc); i++) {
        const char *name = wiot_scenarios_name(sc, i);
        wiot_schedule *s = build(ctx, sc, name);
        double *want = calloc(C * C * S, sizeof *want);
        cr_assert_not_null(want);
        int mine = 0;
        char *copy = strdup(text), *save = NULL;
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char nm[128], imp[16], tgt[16], sec[16];
            double r;
            if (sscanf(line, "%127[^,],%15[^,],%15[^,],%15[^,],%lf", nm, imp, tgt, sec, &r) != 5)
                continue; /* the header */
            if (strcmp(nm, name) != 0)
                continue;
            mine = 1;
            size_t d = wiot_table_find_country(t, imp), c = wiot_table_find_country(t, tgt),
                   k = wiot_table_find_sector(t, sec);
            cr_assert(d < C && c < C && k < S, "%s: %s", path, line);
            want[(d * C + c) * S + k] = d == c ? 0.0 : r;
            (*lines_checked)++;
        }
        cr_assert(mine, "%s: scenario %s has no line", path, name);
        const double *got = wiot_schedule_rates(s);
        for (size_t q = 0; q < C * C * S; q++)
            cr_assert_eq(got[q], want[q], "%s: %s: rate %zu = %.17g, CSV %.17g", path, name, q,
                         got[q], want[q]);
        free(copy);
        free(want);
        wiot_schedule_free(s);
    }
    free(text);
}

Test(scenario_wiod2013, shipped_files_load, .timeout = 120)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, DATA("wiod2013/wiot_2011.csv.gz"));
    wiot_scenarios *all = NULL;
    cr_assert_eq(wiot_scenarios_new(ctx, t, &all), WIOT_OK);
    size_t total = 0, lines = 0;
    for (size_t f = 0; f < NSHIPPED; f++) {
        char path[256];
        snprintf(path, sizeof path, SCEN13("%s"), shipped[f].file);
        wiot_scenarios *one = NULL;
        cr_assert_eq(wiot_scenarios_new(ctx, t, &one), WIOT_OK);
        int rc = wiot_scenarios_load(ctx, one, path);
        cr_assert_eq(rc, WIOT_OK, "%s: %s", path, wiot_errmsg(ctx));
        cr_assert_eq(wiot_scenarios_count(one), shipped[f].count, "%s: %zu scenarios", path,
                     wiot_scenarios_count(one));
        check_against_csv(ctx, t, one, path, &lines);
        wiot_scenarios_free(one);
        /* all files together in one set: names are unique across files */
        cr_assert_eq(wiot_scenarios_load(ctx, all, path), WIOT_OK, "%s", wiot_errmsg(ctx));
        total += shipped[f].count;
        cr_assert_eq(wiot_scenarios_count(all), total);
    }
    cr_assert_eq(total, 41);
    cr_assert_eq(lines, 3289, "data lines checked: %zu", lines);

    /* spot checks against the CSV text */
    size_t usa = wiot_table_find_country(t, "USA"), chn = wiot_table_find_country(t, "CHN"),
           tur = wiot_table_find_country(t, "TUR"), can = wiot_table_find_country(t, "CAN"),
           c12 = wiot_table_find_sector(t, "c12"), c1 = wiot_table_find_sector(t, "c1"),
           c3 = wiot_table_find_sector(t, "c3");
    wiot_schedule *s = build(ctx, all, "us301_2018-07-06_list1");
    cr_assert_eq(R(s, usa, chn, c12), 0.022251);
    cr_assert_eq(R(s, chn, usa, c12), 0.0);
    cr_assert_eq(R(s, usa, chn, c1), 0.0);
    size_t list[64];
    cr_assert_eq(wiot_schedule_imposers(s, list), 1);
    cr_assert_eq(list[0], usa);
    wiot_schedule_free(s);
    s = build(ctx, all, "cn_ret_2018-04-02_s232_retaliation");
    cr_assert_eq(R(s, chn, usa, c3), 0.056431);
    wiot_schedule_free(s);
    s = build(ctx, all, "piie_us_on_chn_2018-09-24");
    cr_assert_eq(R(s, usa, chn, c1), 0.089);
    wiot_schedule_free(s);

    /* the 2018 stack of SOURCES.md: 301 + retaliation + 232 at the same date */
    s = build(ctx, all, "us301_2018-09-24_lists1-3_list3at10+cn_ret_2018-09-24_list60bn+"
                        "us232_2018-08-13_turkey_steel_50");
    wiot_schedule *a = build(ctx, all, "us301_2018-09-24_lists1-3_list3at10"),
                  *b = build(ctx, all, "us232_2018-08-13_turkey_steel_50");
    cr_assert(R(b, usa, tur, c12) > R(b, usa, chn, c12), "Turkey's steel rate is doubled");
    assert_rel(R(s, usa, chn, c12), R(a, usa, chn, c12) + R(b, usa, chn, c12), 1e-15);
    cr_assert_eq(R(s, can, usa, c12), 0.0);
    cr_assert_eq(wiot_schedule_imposers(s, NULL), 2);
    wiot_schedule_free(a);
    wiot_schedule_free(b);
    wiot_schedule_free(s);

    /* loading a file twice is refused and changes nothing */
    cr_assert_eq(wiot_scenarios_load(ctx, all, SCEN13("us301_china_2018_2020.csv")), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx),
                     "../data/scenarios/wiod2013/us301_china_2018_2020.csv:2: scenario "
                     "'us301_2018-07-06_list1' is already loaded (from "
                     "../data/scenarios/wiod2013/us301_china_2018_2020.csv)");
    cr_assert_eq(wiot_scenarios_count(all), 41);
    wiot_scenarios_free(all);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* The largest shipped file under failing allocations. */
Test(scenario_wiod2013, allocation_failures_ieepa, .timeout = 120)
{
    wiot_ctx *plain = test_ctx();
    wiot_table *t = test_load(plain, DATA("wiod2013/wiot_2011.csv.gz"));
    const char *path = SCEN13("us_ieepa_2025.csv");
    const char *expr = "us_ieepa_2025-04-10_baseline10_chn125+us_ieepa_2025-03-07_fentanyl_chn20_can_mex25";
    long k = 0;
    for (;; k++) {
        test_alloc ta = {0, -1, 0};
        wiot_allocator al = test_allocator(&ta);
        wiot_ctx *ctx = NULL;
        cr_assert_eq(wiot_ctx_new_custom(&al, &ctx), WIOT_OK);
        wiot_scenarios *sc = NULL;
        cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
        ta.fail_at = ta.calls + k;
        wiot_schedule *s = NULL;
        int rc = wiot_scenarios_load(ctx, sc, path);
        if (rc == WIOT_OK)
            rc = wiot_scenarios_schedule(ctx, sc, expr, &s);
        else
            cr_assert_eq(wiot_scenarios_count(sc), 0, "k=%ld: the set changed", k);
        cr_assert(rc == WIOT_OK || rc == WIOT_ENOMEM, "k=%ld: %d %s", k, rc, wiot_errmsg(ctx));
        int done = rc == WIOT_OK;
        if (done) {
            size_t usa = wiot_table_find_country(t, "USA"), chn = wiot_table_find_country(t, "CHN");
            /* the CSV: 1.449653 (reciprocal 125 % on the non-exempt share + fentanyl
             * 20 %) and 0.2; a mechanics test of stacking, not a policy combination */
            assert_rel(R(s, usa, chn, 0), 1.449653 + 0.2, 1e-15);
        }
        wiot_schedule_free(s);
        wiot_scenarios_free(sc);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0, "k=%ld: %ld blocks leaked", k, ta.live);
        if (done)
            break;
    }
    cr_assert_gt(k, 5);
    wiot_table_free(t);
    wiot_ctx_free(plain);
}
