/* fuzz_map.c -- fuzz target for mapping files (wiot_map_load_buffer) and what uses
 * them: aggregation (wiot_table_aggregate) and scenarios in another sector
 * classification (wiot_scenarios_new_mapped, wiot_schedule_translate).
 *
 * Two fixed tables are built at start-up with synthetic flows: "mixed" (10 countries,
 * ISO3 and ISO2 codes, and 6 sectors from several classifications, so the shipped
 * country and sector maps group something) and "wiod2013" (3 countries, sectors
 * c1..c35, the groups of wiod2016_to_wiod2013.csv).
 *
 * A map that loads must have consistent accessors (wiot_map_apply of a listed code is
 * its group). It is then used as the region map, the sector map and both on "mixed",
 * and as the sector map on "wiod2013": an aggregate fails with a documented status and
 * a one-line message, or has the groups the map gives, the same total output, finite
 * values, and goes through wiot_lu_new (with multipliers) and wiot_leontief with
 * finite results or a clean error. On both tables a scenario set in the map's
 * classification is made; where that works, a two-line scenario is loaded into it,
 * scheduled and translated back onto the table: every rate finite, and the rate of
 * the scenario's sectors (all have the same) wherever the map sends one. */
#include "fuzz.h"

#define FZ_MAX_N 64   /* aggregates up to this size are factorized and inverted */

enum { FZ_T1_C = 10, FZ_T1_S = 6, FZ_T2_C = 3, FZ_T2_S = 35 };
static const char *const fz_t1_cc[FZ_T1_C] = {"AUT", "DEU", "FRA", "GBR", "USA",
                                              "JPN", "CHN", "IDN", "AT",  "RoW"};
static const char *const fz_t1_sc[FZ_T1_S] = {"A01", "C10-C12", "C33", "c1", "31T33", "F"};
static const char *const fz_t2_cc[FZ_T2_C] = {"USA", "CHN", "RoW"};

static wiot_ctx *fz_base_ctx;
static wiot_table *fz_t1, *fz_t2;

static wiot_table *fz_make(wiot_ctx *ctx, size_t C, size_t S, size_t K, const char *const *cc,
                           const char *const *sc, const char *name)
{
    const size_t n = C * S;
    double *Z = malloc(n * n * sizeof *Z), *F = malloc(n * C * K * sizeof *F);
    if (!Z || !F)
        FZ_FAIL("setup: malloc");
    /* domestic inputs ~10x foreign ones; column sums of A well below 1 */
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            Z[i + j * n] = (i / S == j / S ? 1.0 : 0.1) * (double)(1 + (i * 7 + j * 13) % 11);
    for (size_t q = 0; q < C * K; q++)
        for (size_t i = 0; i < n; i++)
            F[i + q * n] = (i / S == q / K ? 400.0 : 30.0) + (double)((i * 3 + q) % 7) * 2.5;
    wiot_table_desc d;
    memset(&d, 0, sizeof d);
    d.countries = C;
    d.sectors = S;
    d.fd_categories = K;
    d.country_codes = cc;
    d.sector_codes = sc;
    d.Z = Z;
    d.ldz = n;
    d.F = F;
    d.ldf = n;
    d.name = name;
    wiot_table *t = NULL;
    if (wiot_table_new(ctx, &d, &t))
        FZ_FAIL("setup: %s", wiot_errmsg(ctx));
    free(Z);
    free(F);
    return t;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static char sc[FZ_T2_S][16];
    const char *sp[FZ_T2_S];
    for (int s = 0; s < FZ_T2_S; s++) {
        snprintf(sc[s], sizeof sc[s], "c%d", s + 1);
        sp[s] = sc[s];
    }
    if (wiot_ctx_new(&fz_base_ctx))
        FZ_FAIL("setup: wiot_ctx_new");
    wiot_ctx_set(fz_base_ctx, WIOT_OPT_THREADS, 1);
    fz_t1 = fz_make(fz_base_ctx, FZ_T1_C, FZ_T1_S, 2, fz_t1_cc, fz_t1_sc, "mixed");
    fz_t2 = fz_make(fz_base_ctx, FZ_T2_C, FZ_T2_S, 1, fz_t2_cc, sp, "wiod2013");
    return 0;
}

static void fz_check_map(const wiot_map *m)
{
    const size_t k = wiot_map_size(m);
    for (size_t i = 0; i < k; i++) {
        const char *c = wiot_map_code(m, i), *g = wiot_map_group(m, i);
        if (!c || !g || !c[0] || !g[0])
            FZ_FAIL("map line %zu: code or group missing", i);
        if (strpbrk(c, ",\"\n\r") || strpbrk(g, ",\"\n\r"))
            FZ_FAIL("map line %zu: code '%s' or group '%s' holds a separator", i, c, g);
        if (strcmp(c, "*") != 0 && strcmp(wiot_map_apply(m, c), g) != 0)
            FZ_FAIL("map line %zu: apply('%s') = '%s', not '%s'", i, c, wiot_map_apply(m, c), g);
    }
    if (wiot_map_code(m, k) || wiot_map_group(m, k))
        FZ_FAIL("map lines past the end");
}

static size_t fz_find(const wiot_table *t, int country, const char *code)
{
    return country ? wiot_table_find_country(t, code) : wiot_table_find_sector(t, code);
}

static void fz_aggregate(wiot_ctx *ctx, const wiot_table *t, const wiot_map *rm, const wiot_map *sm)
{
    wiot_table *g = (wiot_table *)ctx;   /* must be overwritten */
    int rc = wiot_table_aggregate(ctx, t, rm, sm, &g);
    if (rc) {
        if (g)
            FZ_FAIL("aggregate failed but *out is not NULL");
        fz_check_error(ctx, rc, NULL);
        if (rc != WIOT_EINVAL && rc != WIOT_ENOMEM && rc != WIOT_ETOOLARGE && rc != WIOT_EDATA)
            FZ_FAIL("aggregate: undocumented status %d: %s", rc, wiot_errmsg(ctx));
        return;
    }
    if (!g)
        FZ_FAIL("aggregate succeeded without a table");
    const size_t C = wiot_table_countries(g), S = wiot_table_sectors(g), n = wiot_table_n(g),
                 K = wiot_table_fd_categories(g);
    if (n != C * S || C == 0 || S == 0 || C > wiot_table_countries(t) || S > wiot_table_sectors(t) ||
        K != wiot_table_fd_categories(t))
        FZ_FAIL("aggregate is %zu x %zu (K %zu) from %zu x %zu (K %zu)", C, S, K, wiot_table_countries(t),
                wiot_table_sectors(t), wiot_table_fd_categories(t));
    /* every code's group is in the aggregate */
    for (int dim = 0; dim < 2; dim++) {
        const wiot_map *m = dim ? rm : sm;
        size_t cnt = dim ? wiot_table_countries(t) : wiot_table_sectors(t);
        for (size_t i = 0; i < cnt; i++) {
            const char *code = dim ? wiot_table_country(t, i) : wiot_table_sector(t, i);
            const char *grp = m ? wiot_map_apply(m, code) : code;
            if (fz_find(g, dim, grp) == (size_t)-1)
                FZ_FAIL("%s '%s' went to group '%s', which the aggregate lacks", dim ? "country" : "sector", code,
                        grp);
        }
    }
    fz_check_finite("Z", wiot_table_Z(g), n * n);
    fz_check_finite("F", wiot_table_F(g), n * C * K);
    fz_check_finite("x", wiot_table_x(g), n);
    fz_check_finite("v", wiot_table_v(g), n);
    const double x0 = wiot_table_check(t)->total_output, x1 = wiot_table_check(g)->total_output;
    if (!(fabs(x1 - x0) <= 1e-12 * x0))
        FZ_FAIL("aggregate total output %.17g, table %.17g", x1, x0);
    if (n <= FZ_MAX_N) {
        double *L = malloc(n * n * sizeof *L), *m1 = malloc(3 * n * sizeof *m1);
        if (!L || !m1)
            FZ_FAIL("malloc");
        wiot_lu *lu = NULL;
        rc = wiot_lu_new(ctx, g, WIOT_LEONTIEF, &lu, NULL);
        if (rc) {
            fz_check_error(ctx, rc, NULL);
            if (lu)
                FZ_FAIL("wiot_lu_new failed but set its output");
        } else {
            rc = wiot_multipliers(ctx, lu, m1, m1 + n, m1 + 2 * n);
            if (rc)
                fz_check_error(ctx, rc, NULL);
            else
                fz_check_finite("multipliers", m1, 3 * n);
            wiot_lu_free(lu);
        }
        rc = wiot_leontief(ctx, g, L, n, NULL);
        if (rc)
            fz_check_error(ctx, rc, NULL);
        else
            fz_check_finite("wiot_leontief", L, n * n);
        free(L);
        free(m1);
    }
    wiot_table_free(g);
}

static void fz_mapped(wiot_ctx *ctx, const wiot_table *t, const wiot_map *m)
{
    wiot_scenarios *sc = (wiot_scenarios *)ctx;   /* must be overwritten */
    int rc = wiot_scenarios_new_mapped(ctx, t, m, &sc);
    if (rc) {
        if (sc)
            FZ_FAIL("wiot_scenarios_new_mapped failed but set its output");
        fz_check_error(ctx, rc, NULL);
        return;
    }
    static const char txt[] = "scenario,imposer,target,sector,rate\nfz,USA,CHN,*,0.9\nfz,CHN,USA,*,0.25\n";
    rc = wiot_scenarios_load_buffer(ctx, sc, txt, sizeof txt - 1, "fz.csv");
    if (rc)
        FZ_FAIL("a scenario on every sector does not load: %s", wiot_errmsg(ctx));
    wiot_schedule *s = NULL, *u = (wiot_schedule *)ctx;
    if ((rc = wiot_scenarios_schedule(ctx, sc, "fz", &s)))
        FZ_FAIL("wiot_scenarios_schedule: %s", wiot_errmsg(ctx));
    rc = wiot_schedule_translate(ctx, s, m, t, &u);
    if (rc) {
        if (u)
            FZ_FAIL("wiot_schedule_translate failed but set its output");
        fz_check_error(ctx, rc, NULL);
    } else {
        /* Every scenario sector has the same rate, so each table sector gets that rate
         * (a weighted mean of equal rates, or its group's rate), or 0 where the map
         * (code = scenario sector, group = table sector) sends no sector to it. */
        const size_t C = wiot_table_countries(t), S = wiot_table_sectors(t), k = wiot_map_size(m);
        const size_t us = wiot_table_find_country(t, "USA"), cn = wiot_table_find_country(t, "CHN");
        int fine = k > 0;   /* code = scenario sector, group = table sector */
        for (size_t i = 0; i < k && fine; i++)
            fine = strcmp(wiot_map_code(m, i), "*") != 0 &&
                   wiot_table_find_sector(t, wiot_map_group(m, i)) != (size_t)-1;
        const double *r = wiot_schedule_rates(u);
        for (size_t sec = 0; sec < S; sec++) {
            int member = !fine;
            for (size_t i = 0; i < k && !member; i++)
                member = strcmp(wiot_map_group(m, i), wiot_table_sector(t, sec)) == 0;
            for (size_t d = 0; d < C; d++)
                for (size_t c = 0; c < C; c++) {
                    double want = !member ? 0 : d == us && c == cn ? 0.9 : d == cn && c == us ? 0.25 : 0;
                    double got = r[(d * C + c) * S + sec];
                    if (!isfinite(got) || !(fabs(got - want) <= 1e-12))
                        FZ_FAIL("translated rate %s <- %s, sector '%s' = %g, not %g", wiot_table_country(t, d),
                                wiot_table_country(t, c), wiot_table_sector(t, sec), got, want);
                }
        }
        wiot_schedule_free(u);
    }
    wiot_schedule_free(s);
    wiot_scenarios_free(sc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_alloc a;
    wiot_ctx *ctx = fz_ctx(&a);
    wiot_map *m = (wiot_map *)&a;   /* must be overwritten */
    int rc = wiot_map_load_buffer(ctx, data, size, "fuzz.csv", &m);
    if (rc) {
        if (m)
            FZ_FAIL("load failed but *out is not NULL");
        fz_check_error(ctx, rc, "fuzz.csv");
    } else {
        if (!m)
            FZ_FAIL("load succeeded without a map");
        fz_check_map(m);
        fz_aggregate(ctx, fz_t1, m, NULL);
        fz_aggregate(ctx, fz_t1, NULL, m);
        fz_aggregate(ctx, fz_t1, m, m);
        fz_aggregate(ctx, fz_t2, NULL, m);
        fz_mapped(ctx, fz_t1, m);
        fz_mapped(ctx, fz_t2, m);
        wiot_map_free(m);
    }
    fz_ctx_free(ctx, &a);
    return 0;
}
