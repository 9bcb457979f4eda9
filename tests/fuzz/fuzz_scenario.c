/* fuzz_scenario.c -- fuzz target for scenario files (wiot_scenarios_load_buffer) and
 * scenario expressions (wiot_scenarios_schedule), against a fixed table with the
 * WIOD 2013 codes (41 countries, sectors c1..c35, so the shipped scenario files
 * parse) and synthetic flows.
 *
 * Scenarios that load are run: up to three schedules (and the stack of the first
 * two) through wiot_tariff (first order; the exact model too for inputs whose size
 * is a multiple of 8 and schedules with at most two imposers), and every array of
 * the result must be finite. The first line of the input is also tried as an
 * expression, which exercises the "unknown scenario" suggestions. */
#include "fuzz.h"

static const char *const fz_cc[41] = {
    "AUS", "AUT", "BEL", "BGR", "BRA", "CAN", "CHN", "CYP", "CZE", "DEU", "DNK",
    "ESP", "EST", "FIN", "FRA", "GBR", "GRC", "HUN", "IDN", "IND", "IRL", "ITA",
    "JPN", "KOR", "LTU", "LUX", "LVA", "MEX", "MLT", "NLD", "POL", "PRT", "ROU",
    "RUS", "SVK", "SVN", "SWE", "TUR", "TWN", "USA", "RoW"};
enum { FZ_C = 41, FZ_S = 35, FZ_N = FZ_C * FZ_S };

static wiot_ctx *fz_base_ctx;
static wiot_table *fz_t;
static wiot_lu *fz_lu;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static char sc[FZ_S][16];
    const char *sp[FZ_S];
    for (int s = 0; s < FZ_S; s++) {
        snprintf(sc[s], sizeof sc[s], "c%d", s + 1);
        sp[s] = sc[s];
    }
    const size_t n = FZ_N;
    double *Z = malloc(n * n * sizeof *Z), *F = malloc(n * FZ_C * sizeof *F);
    if (!Z || !F || wiot_ctx_new(&fz_base_ctx))
        FZ_FAIL("setup");
    wiot_ctx_set(fz_base_ctx, WIOT_OPT_THREADS, 1);
    /* domestic inputs ~10x foreign ones; column sums of A about 0.3 */
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            Z[i + j * n] = (i / FZ_S == j / FZ_S ? 1.0 : 0.02) * (double)(1 + (i * 7 + j * 13) % 11);
    for (size_t d = 0; d < FZ_C; d++)
        for (size_t i = 0; i < n; i++)
            F[i + d * n] = (i / FZ_S == d ? 900.0 : 60.0) + (double)((i * 3 + d) % 7) * 2.5;
    wiot_table_desc desc;
    memset(&desc, 0, sizeof desc);
    desc.countries = FZ_C;
    desc.sectors = FZ_S;
    desc.fd_categories = 1;
    desc.country_codes = fz_cc;
    desc.sector_codes = sp;
    desc.Z = Z;
    desc.ldz = n;
    desc.F = F;
    desc.ldf = n;
    desc.name = "fuzz-table";
    if (wiot_table_new(fz_base_ctx, &desc, &fz_t) ||
        wiot_lu_new(fz_base_ctx, fz_t, WIOT_LEONTIEF, &fz_lu, NULL))
        FZ_FAIL("setup: %s", wiot_errmsg(fz_base_ctx));
    free(Z);
    free(F);
    return 0;
}

static const int fz_items[] = {WIOT_R_DIRECT, WIOT_R_CUMULATIVE, WIOT_R_EXACT, WIOT_R_EXTRA_COST,
                               WIOT_R_FINAL_PRICE, WIOT_R_FINAL_ALL, WIOT_R_COUNTRY_EXTRA_COST,
                               WIOT_R_REVENUE};

static void fz_run(wiot_ctx *ctx, const wiot_scenarios *sc, const char *expr, int exact)
{
    wiot_schedule *s = NULL;
    /* with the table's LU, so content-based lines (measure column) resolve too */
    int rc = wiot_scenarios_schedule_lu(ctx, sc, fz_lu, expr, WIOT_MEASURE_VA, &s);
    if (rc) {
        fz_check_error(ctx, rc, NULL);
        if (s)
            FZ_FAIL("schedule failed but set its output");
        return;
    }
    const double *rate = wiot_schedule_rates(s);
    for (size_t i = 0; i < (size_t)FZ_C * FZ_C * FZ_S; i++)
        if (!isfinite(rate[i]) || !(rate[i] > -1))
            FZ_FAIL("rate[%zu] = %g in '%s'", i, rate[i], expr);
    wiot_result *r = NULL;
    if ((rc = wiot_result_new(ctx, fz_t, &r)))
        FZ_FAIL("wiot_result_new: %s", wiot_errmsg(ctx));
    int models = exact && wiot_schedule_imposers(s, NULL) <= 2 ? WIOT_BOTH : WIOT_FIRST_ORDER;
    rc = wiot_tariff(ctx, fz_lu, s, 1.0, models, r);
    if (rc) {
        fz_check_error(ctx, rc, NULL);
    } else {
        for (size_t q = 0; q < sizeof fz_items / sizeof *fz_items; q++) {
            size_t len = 0;
            const double *v = wiot_result_get(r, fz_items[q], &len);
            fz_check_finite(expr, v, v ? len : 0);
        }
    }
    wiot_result_free(r);
    wiot_schedule_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_alloc a;
    wiot_ctx *ctx = fz_ctx(&a);
    wiot_scenarios *sc = NULL;
    if (wiot_scenarios_new(ctx, fz_t, &sc))
        FZ_FAIL("wiot_scenarios_new: %s", wiot_errmsg(ctx));
    int rc = wiot_scenarios_load_buffer(ctx, sc, data, size, "fuzz.csv");
    if (rc) {
        fz_check_error(ctx, rc, "fuzz.csv");
        if (wiot_scenarios_count(sc) != 0)
            FZ_FAIL("a failed load added %zu scenarios", wiot_scenarios_count(sc));
    } else {
        size_t m = wiot_scenarios_count(sc);
        int exact = size % 8 == 0;
        for (size_t i = 0; i < m && i < 3; i++)
            fz_run(ctx, sc, wiot_scenarios_name(sc, i), exact);
        if (m >= 2) {
            char expr[1024];
            snprintf(expr, sizeof expr, "%s+%s", wiot_scenarios_name(sc, 0), wiot_scenarios_name(sc, 1));
            fz_run(ctx, sc, expr, 0);
        }
        /* loading the same scenarios again must be refused: names are unique */
        if (m > 0 && (rc = wiot_scenarios_load_buffer(ctx, sc, data, size, "again.csv")) == WIOT_OK)
            FZ_FAIL("the same scenarios loaded twice");
        if (m > 0 && wiot_scenarios_count(sc) != m)
            FZ_FAIL("a refused load changed the scenario count");
    }
    /* the first line as an expression */
    char expr[256];
    size_t k = 0;
    while (k < size && k + 1 < sizeof expr && data[k] != '\n' && data[k] != '\0') {
        expr[k] = (char)data[k];
        k++;
    }
    expr[k] = '\0';
    fz_run(ctx, sc, expr, 0);
    wiot_scenarios_free(sc);
    fz_ctx_free(ctx, &a);
    return 0;
}
