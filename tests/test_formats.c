/* test_formats.c -- provider layouts (OECD ICIO, WIOD 2016, EXIOBASE 3, Eora26), format
 * detection, mapping files, aggregation and scenarios in another classification
 * (kernel/formats.c, read_*.c, aggregate.c).
 *
 * The tables in formats/ are written by formats/make.py in each provider's layout;
 * formats/expected.tsv lists what each must load as (dimensions, labels, units,
 * values). Their values are multiples of 1/8, so sums and identities are exact. */
#define _GNU_SOURCE
#include "helpers.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#define FMT(p) "formats/" p

/* ------------------------------------------------------------ expectations */
typedef struct exp_rec {
    char *q, *table, *row, *col, *value;
} exp_rec;

static exp_rec *g_exp;
static size_t g_nexp;
static char *g_expbuf;

static void load_expected(void)
{
    if (g_exp)
        return;
    g_expbuf = test_slurp(FMT("expected.tsv"), NULL);
    cr_assert_not_null(g_expbuf, "formats/expected.tsv (run tests/formats/make.py)");
    size_t cap = 1024;
    g_exp = calloc(cap, sizeof *g_exp);
    char *line = strchr(g_expbuf, '\n') + 1;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        char *f[5] = {0};
        int k = 0;
        f[k++] = line;
        for (char *p = line; *p && k < 5; p++)
            if (*p == '\t') {
                *p = 0;
                f[k++] = p + 1;
            }
        cr_assert_eq(k, 5, "expected.tsv: a line with %d fields", k);
        if (g_nexp == cap) {
            cap *= 2;
            g_exp = realloc(g_exp, cap * sizeof *g_exp);
        }
        g_exp[g_nexp++] = (exp_rec){f[0], f[1], f[2], f[3], f[4]};
        line = nl ? nl + 1 : NULL;
    }
}

static size_t label_index(const wiot_table *t, const char *label)
{
    const size_t n = wiot_table_n(t), S = wiot_table_sectors(t);
    char buf[512];
    for (size_t i = 0; i < n; i++) {
        snprintf(buf, sizeof buf, "%s_%s", wiot_table_country(t, i / S), wiot_table_sector(t, i % S));
        if (!strcmp(buf, label))
            return i;
    }
    return (size_t)-1;
}

/* final-demand column "C_cat" -> d*K + k */
static size_t fd_index(const wiot_table *t, const char *label)
{
    const size_t C = wiot_table_countries(t), K = wiot_table_fd_categories(t);
    char buf[512];
    for (size_t q = 0; q < C * K; q++) {
        snprintf(buf, sizeof buf, "%s_%s", wiot_table_country(t, q / K), wiot_table_fd_category(t, q % K));
        if (!strcmp(buf, label))
            return q;
    }
    return (size_t)-1;
}

static void join_labels(char *buf, size_t size, size_t count, const char *(*get)(const wiot_table *, size_t),
                        const wiot_table *t)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t i = 0; i < count && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? "|" : "", get(t, i));
}

static size_t input_index(const wiot_table *t, const char *label)
{
    for (size_t r = 0; r < wiot_table_inputs(t); r++)
        if (!strcmp(wiot_table_input_label(t, r), label))
            return r;
    return (size_t)-1;
}

static double sum(const double *a, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i];
    return s;
}

/* Every expectation of `key` against t; returns the number checked. */
static size_t check_expected(const wiot_table *t, const char *key)
{
    load_expected();
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), K = wiot_table_fd_categories(t);
    const double *Z = wiot_table_Z(t), *F = wiot_table_F(t), *x = wiot_table_x(t);
    char buf[4096];
    size_t checked = 0;
    for (size_t e = 0; e < g_nexp; e++) {
        const exp_rec *r = &g_exp[e];
        if (strcmp(r->table, key))
            continue;
        checked++;
        double v = strtod(r->value, NULL);
        if (!strcmp(r->q, "C"))
            cr_expect_eq(C, (size_t)v, "%s: C %zu", key, C);
        else if (!strcmp(r->q, "S"))
            cr_expect_eq(wiot_table_sectors(t), (size_t)v, "%s: S", key);
        else if (!strcmp(r->q, "K"))
            cr_expect_eq(K, (size_t)v, "%s: K", key);
        else if (!strcmp(r->q, "countries")) {
            join_labels(buf, sizeof buf, C, wiot_table_country, t);
            cr_expect_str_eq(buf, r->value, "%s: countries", key);
        } else if (!strcmp(r->q, "sectors")) {
            join_labels(buf, sizeof buf, wiot_table_sectors(t), wiot_table_sector, t);
            cr_expect_str_eq(buf, r->value, "%s: sectors", key);
        } else if (!strcmp(r->q, "fd")) {
            join_labels(buf, sizeof buf, K, wiot_table_fd_category, t);
            cr_expect_str_eq(buf, r->value, "%s: final-demand categories", key);
        } else if (!strcmp(r->q, "inputs")) {
            join_labels(buf, sizeof buf, wiot_table_inputs(t), wiot_table_input_label, t);
            cr_expect_str_eq(buf, r->value, "%s: primary inputs", key);
        } else if (!strcmp(r->q, "other_uses")) {
            join_labels(buf, sizeof buf, wiot_table_other_uses(t), wiot_table_other_use_label, t);
            cr_expect_str_eq(buf, r->value, "%s: other uses", key);
        } else if (!strcmp(r->q, "units"))
            cr_expect_str_eq(wiot_table_units(t), r->value, "%s: units", key);
        else if (!strcmp(r->q, "year"))
            cr_expect_eq(wiot_table_year(t), (int)v, "%s: year %d", key, wiot_table_year(t));
        else if (!strcmp(r->q, "Z") || !strcmp(r->q, "Zapprox")) {
            size_t i = label_index(t, r->row), j = label_index(t, r->col);
            cr_assert(i != (size_t)-1 && j != (size_t)-1, "%s: labels %s, %s", key, r->row, r->col);
            if (r->q[1])
                assert_rel(Z[i + j * n], v, 1e-12);
            else
                cr_expect_eq(Z[i + j * n], v, "%s: Z[%s, %s] = %.17g, expected %s", key, r->row, r->col,
                             Z[i + j * n], r->value);
        } else if (!strcmp(r->q, "F")) {
            size_t i = label_index(t, r->row), q = fd_index(t, r->col);
            cr_assert(i != (size_t)-1 && q != (size_t)-1, "%s: labels %s, %s", key, r->row, r->col);
            cr_expect_eq(F[i + q * n], v, "%s: F[%s, %s] = %.17g, expected %s", key, r->row, r->col, F[i + q * n],
                         r->value);
        } else if (!strcmp(r->q, "x")) {
            size_t i = label_index(t, r->row);
            cr_assert(i != (size_t)-1, "%s: label %s", key, r->row);
            cr_expect_eq(x[i], v, "%s: x[%s] = %.17g, expected %s", key, r->row, x[i], r->value);
        } else if (!strcmp(r->q, "sumZ"))
            cr_expect_eq(sum(Z, n * n), v, "%s: sum Z %.17g", key, sum(Z, n * n));
        else if (!strcmp(r->q, "sumF"))
            cr_expect_eq(sum(F, n * C * K), v, "%s: sum F %.17g", key, sum(F, n * C * K));
        else if (!strcmp(r->q, "sumx"))
            cr_expect_eq(sum(x, n), v, "%s: sum x %.17g", key, sum(x, n));
        else if (!strcmp(r->q, "zero")) {
            size_t i = label_index(t, r->row);
            cr_expect(i != (size_t)-1 && x[i] == 0, "%s: %s has output", key, r->row);
        } else if (!strcmp(r->q, "input")) {
            size_t p = input_index(t, r->row), j = label_index(t, r->col);
            if (j == (size_t)-1)
                j = n + fd_index(t, r->col);
            cr_assert(p != (size_t)-1 && j != (size_t)-1 + n, "%s: input %s, %s", key, r->row, r->col);
            cr_expect_eq(wiot_table_input(t, p)[j], v, "%s: input %s[%s] = %.17g, expected %s", key, r->row,
                         r->col, wiot_table_input(t, p)[j], r->value);
        } else if (!strcmp(r->q, "other") || !strcmp(r->q, "disc")) {
            size_t i = label_index(t, r->row);
            cr_assert(i != (size_t)-1 && wiot_table_other_uses(t) == 1, "%s: other use of %s", key, r->row);
            cr_expect_eq(wiot_table_other_use(t, 0)[i], v, "%s: other use %s", key, r->row);
        } else {
            cr_assert_fail("expected.tsv: unknown quantity '%s'", r->q);
        }
    }
    return checked;
}

/* The identities every table read from a provider must satisfy: v = x - sum Z
 * (validation), sum of the primary-input rows = v, and the row identity with the other
 * uses; exact here (multiples of 1/8). */
static void check_identities(const wiot_table *t, const char *what)
{
    const size_t n = wiot_table_n(t), CK = wiot_table_countries(t) * wiot_table_fd_categories(t);
    const double *Z = wiot_table_Z(t), *F = wiot_table_F(t), *x = wiot_table_x(t), *v = wiot_table_v(t);
    for (size_t j = 0; j < n; j++) {
        double cs = 0;
        for (size_t i = 0; i < n; i++)
            cs += Z[i + j * n];
        cr_expect_eq(v[j], x[j] - cs, "%s: v[%zu]", what, j);
        if (wiot_table_inputs(t)) {
            double p = 0;
            for (size_t r = 0; r < wiot_table_inputs(t); r++)
                p += wiot_table_input(t, r)[j];
            cr_expect(fabs(p - v[j]) <= 1e-9 * fmax(x[j], 1), "%s: primary inputs of column %zu sum to %.17g, v %.17g",
                      what, j, p, v[j]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        double rs = 0;
        for (size_t j = 0; j < n; j++)
            rs += Z[i + j * n];
        for (size_t q = 0; q < CK; q++)
            rs += F[i + q * n];
        for (size_t q = 0; q < wiot_table_other_uses(t); q++)
            rs += wiot_table_other_use(t, q)[i];
        cr_expect(fabs(rs - x[i]) <= 1e-9 * fmax(x[i], 1), "%s: row %zu: uses %.17g, output %.17g", what, i, rs,
                  x[i]);
    }
    const wiot_check *ck = wiot_table_check(t);
    cr_expect_eq(ck->rows_off, 0, "%s: %zu rows off", what, ck->rows_off);
    cr_expect_eq(ck->warnings, 0, "%s: %zu warnings: %s", what, ck->warnings, wiot_table_warning(t, 0));
}

typedef struct fixture {
    const char *path;   /* under formats/ */
    int format;
    const char *key;    /* in expected.tsv */
    const char *source; /* start of wiot_table_source */
} fixture;

static const fixture fixtures[] = {
    {"ICIO2016_2003.csv", WIOT_FORMAT_ICIO, "ICIO2016_2003.csv", "OECD ICIO (2016 layout)"},
    {"ICIO2016_2003.zip", WIOT_FORMAT_ICIO, "ICIO2016_2003.csv", "OECD ICIO (2016 layout)"},
    {"ICIO2018_2010.CSV", WIOT_FORMAT_ICIO, "ICIO2018_2010.CSV", "OECD ICIO (2018 layout)"},
    {"ICIO2018_2010.zip", WIOT_FORMAT_ICIO, "ICIO2018_2010.CSV", "OECD ICIO (2018 layout)"},
    {"ICIO2021_2015.csv", WIOT_FORMAT_ICIO, "ICIO2021_2015.csv", "OECD ICIO (2021 layout)"},
    {"ICIO_2015-2016.zip:ICIO2021_2015.csv", WIOT_FORMAT_ICIO, "ICIO2021_2015.csv", "OECD ICIO (2021 layout)"},
    {"2020.csv", WIOT_FORMAT_ICIO, "2020.csv", "OECD ICIO (2023/2025 layout)"},
    {"ICIO-2016-2020-extended.zip:2020.zip", WIOT_FORMAT_ICIO, "2020.csv", "OECD ICIO (2023/2025 layout)"},
    {"2020_SML.csv", WIOT_FORMAT_ICIO, "2020_SML.csv", "OECD ICIO"},
    {"ICIO-2020-2020-small.zip", WIOT_FORMAT_ICIO, "2020_SML.csv", "OECD ICIO"},
    {"2022_SML.csv", WIOT_FORMAT_ICIO, "2022_SML.csv", "OECD ICIO"},
    {"2022-2022_SML.zip", WIOT_FORMAT_ICIO, "2022_SML.csv", "OECD ICIO"},
    {"WIOT2014_October16_ROW.csv", WIOT_FORMAT_WIOD2016, "WIOT2014_October16_ROW.csv", "WIOD 2016 (R/Stata"},
    {"WIOT2014_October16_ROW_R.csv", WIOT_FORMAT_WIOD2016, "WIOT2014_October16_ROW_R.csv", "WIOD 2016 (R/Stata"},
    {"WIOT2014_Nov16_ROW.csv", WIOT_FORMAT_WIOD2016, "WIOT2014_Nov16_ROW.csv", "WIOD 2016 (CSV saved from"},
    {"IOT_2019_ixi", WIOT_FORMAT_EXIOBASE, "IOT_2019_ixi", "EXIOBASE 3 (industry by industry)"},
    {"IOT_2019_ixi.zip", WIOT_FORMAT_EXIOBASE, "IOT_2019_ixi.zip", "EXIOBASE 3 (industry by industry)"},
    {"IOT_2011_pxp", WIOT_FORMAT_EXIOBASE, "IOT_2011_pxp", "EXIOBASE 3 (product by product, Z = A diag(x))"},
    {"Eora26_2010_bp", WIOT_FORMAT_EORA26, "Eora26_2010_bp", "Eora26 (basic prices)"},
    {"Eora26_2010_bp.zip", WIOT_FORMAT_EORA26, "Eora26_2010_bp.zip", "Eora26 (basic prices)"},
};
#define NFIX (sizeof fixtures / sizeof fixtures[0])

static wiot_table *load_fmt(wiot_ctx *ctx, const char *path, int format)
{
    wiot_table *t = NULL;
    int rc = wiot_table_load_format(ctx, path, format, &t);
    cr_assert_eq(rc, WIOT_OK, "loading %s: %s", path, wiot_errmsg(ctx));
    return t;
}

/* ------------------------------------------------------------------- readers */
Test(formats, every_fixture_auto_and_forced)
{
    wiot_ctx *ctx = test_ctx();
    char path[512];
    for (size_t k = 0; k < NFIX; k++) {
        const fixture *f = &fixtures[k];
        snprintf(path, sizeof path, FMT("%s"), f->path);
        for (int forced = 0; forced < 2; forced++) {
            wiot_table *t = load_fmt(ctx, path, forced ? f->format : WIOT_FORMAT_AUTO);
            size_t n = check_expected(t, f->key);
            cr_expect_geq(n, 5, "%s: only %zu expectations", f->key, n);
            check_identities(t, f->path);
            cr_expect(wiot_table_source(t) && !strncmp(wiot_table_source(t), f->source, strlen(f->source)),
                      "%s: source '%s'", f->path, wiot_table_source(t));
            wiot_table_free(t);
        }
        int fmt = -1;
        cr_expect_eq(wiot_format_detect(ctx, path, &fmt), WIOT_OK, "%s: %s", path, wiot_errmsg(ctx));
        cr_expect_eq(fmt, f->format, "%s detected as %d", path, fmt);
    }
    wiot_ctx_free(ctx);
}

/* wiot_table_load detects the layout (the hook in table.c) */
Test(formats, table_load_detects)
{
    wiot_ctx *ctx = test_ctx();
    const char *paths[] = {FMT("ICIO2016_2003.zip"), FMT("2020.csv"), FMT("WIOT2014_Nov16_ROW.csv"),
                           FMT("IOT_2019_ixi"), FMT("IOT_2019_ixi/Z.txt"), FMT("Eora26_2010_bp/labels_T.txt"),
                           FMT("ICIO-2016-2020-extended.zip:2020.zip")};
    for (size_t k = 0; k < sizeof paths / sizeof *paths; k++) {
        wiot_table *t = test_load(ctx, paths[k]);
        cr_expect_not_null(wiot_table_source(t), "%s", paths[k]);
        wiot_table_free(t);
    }
    /* the wide CSV layout is still the foundation's, with its units default */
    wiot_table *t = test_load(ctx, DATA("examples/decompr_leather.csv"));
    cr_expect_null(wiot_table_source(t));
    cr_expect_str_eq(wiot_table_units(t), "millions of USD");
    cr_expect_eq(wiot_table_inputs(t), 0);
    cr_expect_null(wiot_table_input(t, 0));
    wiot_table_free(t);
    t = load_fmt(ctx, DATA("examples/decompr_leather.csv"), WIOT_FORMAT_WIOT_CSV);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(formats, keep_splits)
{
    wiot_ctx *ctx = test_ctx();
    double v = -1;
    cr_assert_eq(wiot_ctx_get(ctx, WIOT_OPT_KEEP_SPLITS, &v), WIOT_OK);
    cr_assert_eq(v, 0);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_KEEP_SPLITS, 2), WIOT_EINVAL);
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_KEEP_SPLITS, 1), WIOT_OK);
    wiot_table *t = load_fmt(ctx, FMT("ICIO2021_2015.csv"), WIOT_FORMAT_AUTO);
    cr_assert_geq(check_expected(t, "ICIO2021_2015.csv+keep"), 10);
    check_identities(t, "ICIO 2021, splits kept");
    /* the split countries buy no final goods */
    size_t cn1 = wiot_table_find_country(t, "CN1"), K = wiot_table_fd_categories(t), n = wiot_table_n(t);
    cr_assert_neq(cn1, (size_t)-1);
    for (size_t k = 0; k < K; k++)
        for (size_t i = 0; i < n; i++)
            cr_expect_eq(wiot_table_F(t)[i + (cn1 * K + k) * n], 0);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* aggregation to one region and one sector gives the totals */
static void check_world_total(wiot_ctx *ctx, const wiot_table *t, const char *what)
{
    wiot_map *w = NULL, *tot = NULL;
    const char rw[] = "code,group\n*,WLD\n", st[] = "code,group\n*,TOTAL\n";
    cr_assert_eq(wiot_map_load_buffer(ctx, rw, sizeof rw - 1, "world", &w), WIOT_OK);
    cr_assert_eq(wiot_map_load_buffer(ctx, st, sizeof st - 1, "total", &tot), WIOT_OK);
    wiot_table *a = NULL;
    cr_assert_eq(wiot_table_aggregate(ctx, t, w, tot, &a), WIOT_OK, "%s: %s", what, wiot_errmsg(ctx));
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), K = wiot_table_fd_categories(t);
    cr_assert_eq(wiot_table_n(a), 1);
    cr_assert_eq(wiot_table_fd_categories(a), K);
    cr_expect_str_eq(wiot_table_country(a, 0), "WLD");
    cr_expect_str_eq(wiot_table_units(a), wiot_table_units(t));
    cr_expect_eq(wiot_table_Z(a)[0], sum(wiot_table_Z(t), n * n), "%s: Z", what);
    cr_expect_eq(wiot_table_x(a)[0], sum(wiot_table_x(t), n), "%s: x", what);
    for (size_t k = 0; k < K; k++) {
        double s = 0;
        for (size_t d = 0; d < C; d++)
            s += sum(wiot_table_F(t) + (d * K + k) * n, n);
        cr_expect_eq(wiot_table_F(a)[k], s, "%s: F category %zu", what, k);
    }
    cr_expect_eq(wiot_table_inputs(a), wiot_table_inputs(t));
    for (size_t r = 0; r < wiot_table_inputs(t); r++)
        cr_expect_eq(wiot_table_input(a, r)[0], sum(wiot_table_input(t, r), n), "%s: input %zu", what, r);
    for (size_t q = 0; q < wiot_table_other_uses(t); q++)
        cr_expect_eq(wiot_table_other_use(a, q)[0], sum(wiot_table_other_use(t, q), n));
    check_identities(a, what);
    wiot_table_free(a);
    wiot_map_free(w);
    wiot_map_free(tot);
}

/* a round trip through the CSV layout and through .wiot is exact */
static void check_round_trip(wiot_ctx *ctx, const wiot_table *t, const char *dir, const char *what)
{
    const char *ext[] = {"csv", "csv.gz", "wiot"};
    char path[600];
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/t.%s", dir, ext[k]);
        cr_assert_eq(wiot_table_save(ctx, t, path), WIOT_OK, "%s: %s", what, wiot_errmsg(ctx));
        wiot_table *b = test_load(ctx, path);
        const size_t n = wiot_table_n(t), CK = wiot_table_countries(t) * wiot_table_fd_categories(t);
        cr_assert_eq(wiot_table_n(b), n);
        cr_assert_eq(wiot_table_countries(b), wiot_table_countries(t));
        cr_assert_eq(wiot_table_fd_categories(b), wiot_table_fd_categories(t));
        for (size_t c = 0; c < wiot_table_countries(t); c++)
            cr_expect_str_eq(wiot_table_country(b, c), wiot_table_country(t, c));
        for (size_t s = 0; s < wiot_table_sectors(t); s++)
            cr_expect_str_eq(wiot_table_sector(b, s), wiot_table_sector(t, s));
        for (size_t q = 0; q < wiot_table_fd_categories(t); q++)
            cr_expect_str_eq(wiot_table_fd_category(b, q), wiot_table_fd_category(t, q));
        cr_expect(!memcmp(wiot_table_Z(b), wiot_table_Z(t), n * n * sizeof(double)), "%s .%s: Z", what, ext[k]);
        cr_expect(!memcmp(wiot_table_F(b), wiot_table_F(t), n * CK * sizeof(double)), "%s .%s: F", what, ext[k]);
        cr_expect(!memcmp(wiot_table_x(b), wiot_table_x(t), n * sizeof(double)), "%s .%s: x", what, ext[k]);
        cr_expect(!memcmp(wiot_table_v(b), wiot_table_v(t), n * sizeof(double)), "%s .%s: v", what, ext[k]);
        wiot_table_free(b);
        unlink(path);
    }
}

Test(formats, aggregate_and_round_trip)
{
    wiot_ctx *ctx = test_ctx();
    char dir[] = "/tmp/wiot_formats_XXXXXX", path[512];
    cr_assert_not_null(mkdtemp(dir));
    for (size_t k = 0; k < NFIX; k++) {
        if (strchr(fixtures[k].path, '.') && strstr(fixtures[k].path, ".zip"))
            continue;   /* the same tables as the plain files */
        snprintf(path, sizeof path, FMT("%s"), fixtures[k].path);
        wiot_table *t = load_fmt(ctx, path, WIOT_FORMAT_AUTO);
        check_world_total(ctx, t, fixtures[k].path);
        check_round_trip(ctx, t, dir, fixtures[k].path);
        wiot_table_free(t);
    }
    rmdir(dir);
    wiot_ctx_free(ctx);
}

/* ---------------------------------------------------------- malformed files */
typedef struct bad_case {
    const char *path;
    int format;
    int rc;
    const char *msg;
} bad_case;

static const bad_case bad_cases[] = {
    {"bad/icio_missing_total.csv", WIOT_FORMAT_ICIO, WIOT_EFORMAT,
     "formats/bad/icio_missing_total.csv:43: no output row: the last row is 'VALU'; the OECD ICIO tables end "
     "with 'OUTPUT' (2018, 2021) or 'OUT' (2016, 2023+)"},
    {"bad/icio_renamed_column.csv", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/icio_renamed_column.csv:1: column 'AUS_03X': expected 'AUS_03', the label of row 2 (line 3)"},
    {"bad/icio_ragged.csv", WIOT_FORMAT_AUTO, WIOT_EFORMAT, "formats/bad/icio_ragged.csv:6: expected 68 fields, got 67"},
    {"bad/icio_semicolon.csv", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/icio_semicolon.csv:1: the OECD ICIO layout is comma-separated, but this line has no ',' and holds "
     "';' (wrong separator?)"},
    {"bad/icio_split_no_parent.csv", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/icio_split_no_parent.csv:26: split country 'CN1' has no parent 'CHN' in the table (splits are added "
     "into their parent; keep them with --keep-splits, WIOT_OPT_KEEP_SPLITS)"},
    {"bad/icio_bad_number.csv", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/icio_bad_number.csv:8: column 'AUS_05T06': 'x12' is not a number"},
    {"bad/icio_unknown_row.csv", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/icio_unknown_row.csv:43: row 'VALUE' is not a known row label (a country-industry 'CCC_IND', "
     "'CCC_TAXSUB', 'TAXSUB', 'TLS', 'VALU', 'VA', 'VA+TAXSUB', 'OUTPUT' or 'OUT')"},
    {"bad/icio_fd_unknown.csv", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/icio_fd_unknown.csv:1: column 'XYZ_GGFC': not a final-demand column of a country of the rows "
     "('CCC_CAT', or 'CAT_CCC' in 2016), 'DISC' or the last column 'TOTAL'/'OUT'"},
    {"bad/icio_negative.csv", WIOT_FORMAT_AUTO, WIOT_EDATA,
     "formats/bad/icio_negative.csv:4: column 'AUS_03': negative intermediate flow -1.5"},
    {"bad/icio_colsum.csv", WIOT_FORMAT_AUTO, WIOT_EDATA,
     "formats/bad/icio_colsum.csv:44: column 'USA_24': column sum of A is 89.5 >= 1 (negative value added): the "
     "table is not productive"},
    {"bad/wiod_missing_total.csv", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/wiod_missing_total.csv:28: no GO row (output at basic prices, country 'TOT'): WIOD 2016 tables "
     "end with the rows II_fob, TXSP, EXP_adj, PURR, PURNR, VA, IntTTM and GO"},
    {"bad/wiod_excel_missing_total.csv", WIOT_FORMAT_WIOD2016, WIOT_EFORMAT,
     "formats/bad/wiod_excel_missing_total.csv:33: no GO row (output at basic prices, country 'TOT'): WIOD 2016 "
     "tables end with the rows II_fob, TXSP, EXP_adj, PURR, PURNR, VA, IntTTM and GO"},
    {"bad/wiod_renamed_column.csv", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/wiod_renamed_column.csv:1: column 'vAUS6': number 6 is neither the RNr of an industry (1, 5, 22, "
     "55, 56) nor a final-demand number above 56"},
    {"bad/wiod_ragged.csv", WIOT_FORMAT_AUTO, WIOT_EFORMAT, "formats/bad/wiod_ragged.csv:5: expected 46 fields, got 47"},
    {"bad/wiod_semicolon.csv", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/wiod_semicolon.csv:1: the WIOD 2016 CSV is comma-separated, but this line has no ',' and holds ';' "
     "(wrong separator?)"},
    {"bad/exio_missing_total", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/exio_missing_total: no x.txt (EXIOBASE 3 holds Z.txt or A.txt, Y.txt and x.txt)"},
    {"bad/exio_renamed_column", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/exio_renamed_column/Z.txt:2: column 9: sector 'Mining of copper ore' where 'Mining of copper ores "
     "and concentrates' was expected (every region lists the sectors in the same order)"},
    {"bad/exio_ragged", WIOT_FORMAT_AUTO, WIOT_EFORMAT, "formats/bad/exio_ragged/Y.txt:6: expected 30 fields, got 29"},
    {"bad/exio_comma", WIOT_FORMAT_EXIOBASE, WIOT_EFORMAT,
     "formats/bad/exio_comma/Z.txt:1: EXIOBASE files are tab-separated, but this line has no tab and holds ',' "
     "(wrong separator?)"},
    {"bad/exio_x_order", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/exio_x_order/x.txt:3: row 'AT' / 'Tanning and dressing of leather; manufac...' where 'AT' / "
     "'Mining of copper ores and concentrates' was expected (row 2 of Z.txt, line 5)"},
    {"bad/eora_ragged", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/eora_ragged/Eora26_2010_bp_T.txt:4: expected 13 fields (the label file's count), got 12"},
    {"bad/eora_comma", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/eora_comma/Eora26_2010_bp_FD.txt:1: Eora26 files are tab-separated, but this line has no tab and "
     "holds ',' (wrong separator?)"},
    {"bad/eora_missing_labels", WIOT_FORMAT_EORA26, WIOT_EFORMAT,
     "formats/bad/eora_missing_labels: no labels_FD.txt (Eora26 holds Eora26_YYYY_bp_T.txt, _FD.txt, _VA.txt and "
     "labels_T.txt, labels_FD.txt, labels_VA.txt)"},
    {"bad/eora_missing_row", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/bad/eora_missing_row/Eora26_2010_bp_T.txt:12: 12 lines, but the label file gives 13"},
    {"ICIO_2015-2016.zip", WIOT_FORMAT_AUTO, WIOT_EFORMAT,
     "formats/ICIO_2015-2016.zip: holds 2 tables (ICIO2021_2015.csv, ICIO2021_2016.csv); name one as "
     "'formats/ICIO_2015-2016.zip:MEMBER'"},
    {"ICIO_2015-2016.zip:ICIO2021_2017.csv", WIOT_FORMAT_AUTO, WIOT_ENOTFOUND,
     "formats/ICIO_2015-2016.zip: no member 'ICIO2021_2017.csv' (members: ICIO2021_2015.csv, ICIO2021_2016.csv)"},
    {"ICIO2021_2015.csv", WIOT_FORMAT_EXIOBASE, WIOT_EFORMAT,
     "formats/ICIO2021_2015.csv: the exiobase layout is a directory or an archive of several files, not one text "
     "file"},
    {"ICIO2021_2015.csv", WIOT_FORMAT_BINARY, WIOT_EFORMAT,
     "formats/ICIO2021_2015.csv: not a binary .wiot file (no WIOT magic)"},
    {"2020.csv", WIOT_FORMAT_WIOD2016, WIOT_EFORMAT,
     "formats/2020.csv:12: no header row with the column numbers (c1, ...) in column E among the first lines: "
     "expected the WIOD 2016 sheet saved as CSV"},
};

Test(formats, malformed)
{
    wiot_ctx *ctx = test_ctx();
    char path[512];
    for (size_t k = 0; k < sizeof bad_cases / sizeof *bad_cases; k++) {
        const bad_case *b = &bad_cases[k];
        snprintf(path, sizeof path, FMT("%s"), b->path);
        wiot_table *t = (wiot_table *)1;
        int rc = wiot_table_load_format(ctx, path, b->format, &t);
        cr_expect_eq(rc, b->rc, "%s: rc %d (%s)", b->path, rc, wiot_errmsg(ctx));
        cr_expect_null(t, "%s", b->path);
        cr_expect_str_eq(wiot_errmsg(ctx), b->msg, "%s", b->path);
    }
    /* every file in formats/bad has a case */
    DIR *d = opendir(FMT("bad"));
    cr_assert_not_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        int found = 0;
        for (size_t k = 0; k < sizeof bad_cases / sizeof *bad_cases; k++)
            found |= !strncmp(bad_cases[k].path, "bad/", 4) && !strcmp(bad_cases[k].path + 4, e->d_name);
        cr_expect(found, "formats/bad/%s has no expected message", e->d_name);
    }
    closedir(d);
    cr_expect_eq(wiot_table_load_format(ctx, FMT("2020.csv"), 99, &(wiot_table *){NULL}), WIOT_EINVAL);
    wiot_ctx_free(ctx);
}

Test(formats, names_and_codes)
{
    cr_expect_str_eq(wiot_format_name(WIOT_FORMAT_ICIO), "icio");
    cr_expect_null(wiot_format_name(WIOT_NFORMAT));
    cr_expect_eq(wiot_format_from_name("EXIOBASE"), WIOT_FORMAT_EXIOBASE);
    cr_expect_eq(wiot_format_from_name("eora"), WIOT_FORMAT_EORA26);
    cr_expect_eq(wiot_format_from_name("xlsb"), -1);
    for (int f = 0; f < WIOT_NFORMAT; f++)
        cr_expect_eq(wiot_format_from_name(wiot_format_name(f)), f);
}

/* --------------------------------------------------------------- mappings */
Test(formats, map_files)
{
    wiot_ctx *ctx = test_ctx();
    wiot_map *m = NULL;
    const char ok[] = "\xEF\xBB\xBF# a comment\n\ncode,group,weight,note\r\nAUT,EU27,2.5,Austria, the country\n"
                      "*,REST,1\n";
    cr_assert_eq(wiot_map_load_buffer(ctx, ok, sizeof ok - 1, "m.csv", &m), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_expect_eq(wiot_map_size(m), 2);
    cr_expect_str_eq(wiot_map_code(m, 0), "AUT");
    cr_expect_str_eq(wiot_map_group(m, 0), "EU27");
    cr_expect_null(wiot_map_code(m, 2));
    cr_expect_str_eq(wiot_map_apply(m, "AUT"), "EU27");
    cr_expect_str_eq(wiot_map_apply(m, "USA"), "REST");
    wiot_map_free(m);
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"", "m.csv: empty mapping file (no 'code,group' header)"},
        {"from,to\nA,B\n", "m.csv:1: bad header: expected 'code,group[,weight]', got 'from,to'"},
        {"code,group\nAUT\n", "m.csv:2: expected at least 2 fields, got 1"},
        {"code,group\nAUT,EU27\nAUT,EU28\n", "m.csv:3: field 'code': 'AUT' is listed twice (first at line 2)"},
        {"code,group\nAUT,\n", "m.csv:2: field 'group': '' is empty"},
        {"code,group\nAUT ,EU\n", "m.csv:2: field 'code': 'AUT ' has a leading or trailing space"},
        {"code,group,weight\nAUT,EU,-1\n", "m.csv:2: field 'weight': '-1' is not a number >= 0"},
        {"code,group,weight\nAUT,EU\n", "m.csv:2: expected at least 3 fields, got 2"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        m = (wiot_map *)1;
        cr_expect_eq(wiot_map_load_buffer(ctx, bad[k].text, strlen(bad[k].text), "m.csv", &m), WIOT_EFORMAT);
        cr_expect_null(m);
        cr_expect_str_eq(wiot_errmsg(ctx), bad[k].msg);
    }
    cr_expect_eq(wiot_map_load(ctx, "no/such/map.csv", &m), WIOT_EIO);
    cr_expect_str_eq(wiot_errmsg(ctx), "no/such/map.csv: cannot open: No such file or directory");
    /* every shipped map loads */
    DIR *d = opendir(DATA("mappings"));
    cr_assert_not_null(d);
    struct dirent *e;
    int maps = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".csv"))
            continue;
        char path[512];
        snprintf(path, sizeof path, DATA("mappings/%s"), e->d_name);
        cr_expect_eq(wiot_map_load(ctx, path, &m), WIOT_OK, "%s: %s", path, wiot_errmsg(ctx));
        wiot_map_free(m);
        maps++;
    }
    closedir(d);
    cr_expect_geq(maps, 8);
    wiot_ctx_free(ctx);
}

static wiot_map *map_file(wiot_ctx *ctx, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, DATA("mappings/%s.csv"), name);
    wiot_map *m = NULL;
    cr_assert_eq(wiot_map_load(ctx, path, &m), WIOT_OK, "%s: %s", path, wiot_errmsg(ctx));
    return m;
}

Test(formats, shipped_maps_on_tables)
{
    wiot_ctx *ctx = test_ctx();
    /* WIOD 2013: EU27 and goods/services */
    wiot_table *t = test_load(ctx, DATA("wiod2013/wiot_2011.csv.gz"));
    wiot_map *eu = map_file(ctx, "eu27"), *gs = map_file(ctx, "goods_services"), *g7 = map_file(ctx, "g7");
    wiot_table *a = NULL;
    cr_assert_eq(wiot_table_aggregate(ctx, t, eu, gs, &a), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_expect_eq(wiot_table_countries(a), 41 - 25);   /* 26 members (no HRV in WIOD 2013) -> 1 */
    cr_expect_eq(wiot_table_sectors(a), 2);
    cr_expect_str_eq(wiot_table_country(a, 1), "EU27");   /* after AUS, where AUT was */
    cr_expect_str_eq(wiot_table_sector(a, 0), "goods");
    const wiot_check *c0 = wiot_table_check(t), *c1 = wiot_table_check(a);
    assert_rel(c1->total_output, c0->total_output, 1e-13);
    assert_rel(c1->total_v, c0->total_v, 1e-13);
    assert_rel(c1->total_final, c0->total_final, 1e-13);
    /* the group's output is the sum of its members' */
    size_t eu27 = wiot_table_find_country(a, "EU27");
    double s = 0, m = 0;
    for (size_t c = 0; c < wiot_table_countries(t); c++)
        if (strcmp(wiot_map_apply(eu, wiot_table_country(t, c)), "EU27") == 0)
            for (size_t k = 0; k < 35; k++)
                s += wiot_table_x(t)[c * 35 + k];
    m = wiot_table_x(a)[eu27 * 2] + wiot_table_x(a)[eu27 * 2 + 1];
    assert_rel(m, s, 1e-13);
    wiot_table_free(a);
    /* a region group with '_' is refused */
    wiot_map *bad = NULL;
    const char txt[] = "code,group\nAUT,EU_27\n";
    cr_assert_eq(wiot_map_load_buffer(ctx, txt, sizeof txt - 1, "u.csv", &bad), WIOT_OK);
    cr_expect_eq(wiot_table_aggregate(ctx, t, bad, NULL, &a), WIOT_EINVAL);
    cr_expect_str_eq(wiot_errmsg(ctx), "u.csv: region group 'EU_27' holds '_' (labels 'REGION_SECTOR' are split "
                                       "at the first '_')");
    cr_expect_null(a);
    wiot_map_free(bad);
    /* both maps NULL: a copy */
    cr_assert_eq(wiot_table_aggregate(ctx, t, NULL, NULL, &a), WIOT_OK);
    cr_expect(!memcmp(wiot_table_Z(a), wiot_table_Z(t), 1435 * 1435 * sizeof(double)));
    wiot_table_free(a);
    wiot_table_free(t);
    /* EXIOBASE: ISO2 codes in the same files */
    t = load_fmt(ctx, FMT("IOT_2019_ixi"), WIOT_FORMAT_AUTO);
    cr_assert_eq(wiot_table_aggregate(ctx, t, g7, NULL, &a), WIOT_OK);
    cr_expect_eq(wiot_table_countries(a), 3);   /* AT, G7 (DE US), WA */
    cr_expect_str_eq(wiot_table_country(a, 1), "G7");
    cr_expect_str_eq(wiot_table_units(a), "millions of EUR");
    check_identities(a, "EXIOBASE G7");
    wiot_table_free(a);
    wiot_table_free(t);
    /* WIOD 2016 -> WIOD 2013 sectors */
    wiot_map *w16 = map_file(ctx, "wiod2016_to_wiod2013");
    t = load_fmt(ctx, FMT("WIOT2014_October16_ROW.csv"), WIOT_FORMAT_AUTO);
    cr_assert_eq(wiot_table_aggregate(ctx, t, NULL, w16, &a), WIOT_OK);
    cr_expect_eq(wiot_table_sectors(a), 5);   /* A01 C10-C12 C31_C32 T U -> c1 c3 c16 c35 c34 */
    cr_expect_str_eq(wiot_table_sector(a, 0), "c1");
    cr_expect_str_eq(wiot_table_sector(a, 1), "c3");
    check_identities(a, "WIOD 2016 in WIOD 2013 sectors");
    wiot_table_free(a);
    wiot_table_free(t);
    wiot_map_free(eu);
    wiot_map_free(gs);
    wiot_map_free(g7);
    wiot_map_free(w16);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------- scenario classifications */
Test(formats, scenarios_through_a_map)
{
    wiot_ctx *ctx = test_ctx();
    /* a WIOD 2016-coded scenario on the WIOD 2013 table: A01 and A02 merge into c1 */
    wiot_table *t = test_load(ctx, DATA("wiod2013/wiot_2011.csv.gz"));
    wiot_map *m = map_file(ctx, "wiod2016_to_wiod2013");
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_scenarios_new_mapped(ctx, t, m, &sc), WIOT_OK, "%s", wiot_errmsg(ctx));
    const char s16[] = "scenario,imposer,target,sector,rate\n"
                       "s,USA,CHN,A01,0.30\ns,USA,CHN,A02,0.10\ns,USA,CHN,C24;C25,0.25\ns,USA,CHN,C10-C12,0.05\n";
    cr_assert_eq(wiot_scenarios_load_buffer(ctx, sc, s16, sizeof s16 - 1, "s16.csv"), WIOT_OK, "%s", wiot_errmsg(ctx));
    wiot_schedule *x = NULL, *y = NULL;
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "s", &x), WIOT_OK);
    cr_assert_eq(wiot_schedule_translate(ctx, x, m, t, &y), WIOT_OK, "%s", wiot_errmsg(ctx));
    size_t us = wiot_table_find_country(t, "USA"), cn = wiot_table_find_country(t, "CHN");
    /* c1 = mean of A01, A02, A03 (0.30, 0.10, 0): no weights in the map */
    assert_rel(wiot_schedule_get(y, us, cn, 0), (0.30 + 0.10 + 0) / 3, 1e-15);
    assert_rel(wiot_schedule_get(y, us, cn, 11), 0.25, 1e-15);   /* c12 = C24, C25 */
    assert_rel(wiot_schedule_get(y, us, cn, 2), 0.05, 1e-15);    /* c3 = C10-C12 */
    cr_expect_eq(wiot_schedule_get(y, cn, us, 0), 0);
    wiot_schedule_free(x);
    wiot_schedule_free(y);
    /* an unknown code of the scenario's classification */
    const char bad[] = "scenario,imposer,target,sector,rate\nb,USA,CHN,c1,0.1\n";
    cr_expect_eq(wiot_scenarios_load_buffer(ctx, sc, bad, sizeof bad - 1, "b.csv"), WIOT_ENOTFOUND);
    cr_expect(strstr(wiot_errmsg(ctx), "b.csv:2: field 'sector': unknown sector 'c1'"), "%s", wiot_errmsg(ctx));
    wiot_scenarios_free(sc);
    /* weights from the map */
    const char wm[] = "code,group,weight\nA01,c1,3\nA02,c1,1\nA03,c1,0\n";
    wiot_map *mw = NULL;
    cr_assert_eq(wiot_map_load_buffer(ctx, wm, sizeof wm - 1, "w.csv", &mw), WIOT_OK);
    cr_assert_eq(wiot_scenarios_new_mapped(ctx, t, mw, &sc), WIOT_OK, "%s", wiot_errmsg(ctx));
    const char sw[] = "scenario,imposer,target,sector,rate\ns,USA,CHN,A01,0.30\ns,USA,CHN,A02,0.10\n";
    cr_assert_eq(wiot_scenarios_load_buffer(ctx, sc, sw, sizeof sw - 1, "sw.csv"), WIOT_OK);
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "s", &x), WIOT_OK);
    cr_assert_eq(wiot_schedule_translate(ctx, x, mw, t, &y), WIOT_OK);
    assert_rel(wiot_schedule_get(y, us, cn, 0), (3 * 0.30 + 0.10) / 4, 1e-15);
    cr_expect_eq(wiot_schedule_get(y, us, cn, 1), 0);   /* c2: no scenario sector */
    wiot_schedule_free(x);
    wiot_schedule_free(y);
    wiot_scenarios_free(sc);
    wiot_map_free(mw);
    wiot_table_free(t);
    /* the other direction: WIOD 2013 codes on a WIOD 2016 table, each sector its group's rate */
    t = load_fmt(ctx, FMT("WIOT2014_October16_ROW.csv"), WIOT_FORMAT_AUTO);
    cr_assert_eq(wiot_scenarios_new_mapped(ctx, t, m, &sc), WIOT_OK, "%s", wiot_errmsg(ctx));
    const char s13[] = "scenario,imposer,target,sector,rate\nt,USA,CHN,c1,0.2\nt,USA,CHN,c16,0.4\n";
    cr_assert_eq(wiot_scenarios_load_buffer(ctx, sc, s13, sizeof s13 - 1, "s13.csv"), WIOT_OK, "%s",
                 wiot_errmsg(ctx));
    cr_assert_eq(wiot_scenarios_schedule(ctx, sc, "t", &x), WIOT_OK);
    cr_assert_eq(wiot_schedule_translate(ctx, x, m, t, &y), WIOT_OK, "%s", wiot_errmsg(ctx));
    us = wiot_table_find_country(t, "USA");
    cn = wiot_table_find_country(t, "CHN");
    cr_expect_eq(wiot_schedule_get(y, us, cn, 0), 0.2);   /* A01 */
    cr_expect_eq(wiot_schedule_get(y, us, cn, 1), 0);     /* C10-C12 -> c3 */
    cr_expect_eq(wiot_schedule_get(y, us, cn, 2), 0.4);   /* C31_C32 -> c16 */
    wiot_schedule_free(x);
    wiot_schedule_free(y);
    wiot_scenarios_free(sc);
    /* a map that fits neither direction */
    const char nm[] = "code,group\nfoo,bar\n";
    wiot_map *mn = NULL;
    cr_assert_eq(wiot_map_load_buffer(ctx, nm, sizeof nm - 1, "n.csv", &mn), WIOT_OK);
    cr_expect_eq(wiot_scenarios_new_mapped(ctx, t, mn, &sc), WIOT_EINVAL);
    cr_expect(strstr(wiot_errmsg(ctx), "n.csv: the map fits the table's sectors in neither direction"), "%s",
              wiot_errmsg(ctx));
    wiot_map_free(mn);
    wiot_map_free(m);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* --------------------------------------------------- failing allocator */
static void torture(const char *path, int aggregate)
{
    for (long k = 0;; k++) {
        test_alloc ta = {0, -1, 0};
        wiot_allocator a = test_allocator(&ta);
        wiot_ctx *ctx = NULL;
        cr_assert_eq(wiot_ctx_new_custom(&a, &ctx), WIOT_OK);
        ta.fail_at = ta.calls + k;
        wiot_table *t = (wiot_table *)1, *g = NULL;
        wiot_map *w = NULL;
        int rc = wiot_table_load_format(ctx, path, WIOT_FORMAT_AUTO, &t);
        if (rc == WIOT_OK && aggregate) {
            const char txt[] = "code,group\n*,WLD\n";
            rc = wiot_map_load_buffer(ctx, txt, sizeof txt - 1, "w", &w);
            if (rc == WIOT_OK)
                rc = wiot_table_aggregate(ctx, t, w, w, &g);
        }
        if (rc == WIOT_OK) {
            cr_assert(k > 10, "%s: only %ld allocations", path, k);
            wiot_table_free(g);
            wiot_map_free(w);
            wiot_table_free(t);
            wiot_ctx_free(ctx);
            cr_assert_eq(ta.live, 0);
            return;
        }
        cr_assert_eq(rc, WIOT_ENOMEM, "%s, allocation %ld: rc %d (%s)", path, k, rc, wiot_errmsg(ctx));
        if (!aggregate)
            cr_assert_null(t);
        cr_assert_neq(wiot_errmsg(ctx)[0], '\0');
        if (t != (wiot_table *)1)
            wiot_table_free(t);
        wiot_map_free(w);
        cr_assert_null(g);
        cr_assert_eq(ta.live, 1, "%s, allocation %ld: %ld blocks live", path, k, ta.live);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0);
    }
}

Test(formats, failing_allocator, .timeout = 120)
{
    torture(FMT("ICIO2016_2003.zip"), 0);
    torture(FMT("WIOT2014_Nov16_ROW.csv"), 0);
    torture(FMT("IOT_2019_ixi.zip"), 0);
    torture(FMT("Eora26_2010_bp"), 0);
    torture(FMT("ICIO2021_2015.csv"), 1);
}
