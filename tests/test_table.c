/* test_table.c -- loading, building, validating and saving tables (kernel/table.c). */
#define _GNU_SOURCE
#include "helpers.h"

#include <dirent.h>
#include <sys/stat.h>
#include <stdint.h>
#include <unistd.h>
#include <zlib.h>

#define MB DATA("examples/miller_blair_2009_t2_3.csv")
#define LEATHER DATA("examples/decompr_leather.csv")
#define PYMRIO DATA("examples/pymrio_test_mrio.csv")
#define WIOD11 DATA("wiod2013/wiot_2011.csv.gz")

/* ----------------------------------------------------------------- helpers */
/* Bit-for-bit equality of two double arrays (== would let -0 == 0 through). */
static void assert_same_doubles(const double *a, const double *b, size_t n, const char *what)
{
    if (n == 0)
        return;
    cr_assert(a && b, "%s: NULL array", what);
    for (size_t i = 0; i < n; i++)
        cr_assert(memcmp(&a[i], &b[i], sizeof(double)) == 0, "%s[%zu]: %.17g != %.17g", what, i,
                  a[i], b[i]);
}

static void assert_same_table(const wiot_table *a, const wiot_table *b)
{
    size_t n = wiot_table_n(a), C = wiot_table_countries(a), K = wiot_table_fd_categories(a);
    cr_assert_eq(n, wiot_table_n(b));
    cr_assert_eq(C, wiot_table_countries(b));
    cr_assert_eq(wiot_table_sectors(a), wiot_table_sectors(b));
    cr_assert_eq(K, wiot_table_fd_categories(b));
    for (size_t c = 0; c < C; c++)
        cr_assert_str_eq(wiot_table_country(a, c), wiot_table_country(b, c));
    for (size_t s = 0; s < wiot_table_sectors(a); s++)
        cr_assert_str_eq(wiot_table_sector(a, s), wiot_table_sector(b, s));
    for (size_t k = 0; k < K; k++)
        cr_assert_str_eq(wiot_table_fd_category(a, k), wiot_table_fd_category(b, k));
    assert_same_doubles(wiot_table_Z(a), wiot_table_Z(b), n * n, "Z");
    assert_same_doubles(wiot_table_F(a), wiot_table_F(b), n * C * K, "F");
    assert_same_doubles(wiot_table_x(a), wiot_table_x(b), n, "x");
    assert_same_doubles(wiot_table_v(a), wiot_table_v(b), n, "v");
    const wiot_check *ca = wiot_table_check(a), *cb = wiot_table_check(b);
    cr_assert_eq(ca->rows_off, cb->rows_off);
    cr_assert_eq(ca->worst_row, cb->worst_row);
    cr_assert_eq(ca->zero_output, cb->zero_output);
    cr_assert_eq(ca->negative_final, cb->negative_final);
    cr_assert_eq(ca->max_colsum_col, cb->max_colsum_col);
    cr_assert_eq(ca->max_colsum_A, cb->max_colsum_A);
    cr_assert_eq(ca->total_output, cb->total_output);
    cr_assert_eq(ca->warnings, cb->warnings);
}

/* The value columns of a wide CSV read independently with strtod, row-major
 * n x (fields - 2); NULL-free: aborts the test on failure. */
static double *strtod_table(const char *path, size_t *rows, size_t *cols)
{
    char *b = test_slurp(path, NULL);
    cr_assert(b, "cannot read %s", path);
    size_t cap = 1024, len = 0, nc = 0, nr = 0;
    double *v = malloc(cap * sizeof *v);
    char *line = strchr(b, '\n') + 1;
    while (*line) {
        char *next = strchr(line, '\n');
        *next = 0;
        char *p = strchr(strchr(line, ',') + 1, ',') + 1;
        size_t k = 0;
        for (;;) {
            char *e;
            if (len == cap)
                v = realloc(v, (cap *= 2) * sizeof *v);
            v[len++] = strtod(p, &e);
            k++;
            if (*e != ',')
                break;
            p = e + 1;
        }
        nc = k;
        nr++;
        line = next + 1;
    }
    free(b);
    *rows = nr;
    *cols = nc;
    return v;
}

/* Compare a loaded table with an independent strtod reading of its file. */
static void assert_matches_strtod(const wiot_table *t, const char *path)
{
    size_t rows, cols;
    double *v = strtod_table(path, &rows, &cols);
    size_t n = wiot_table_n(t), CK = wiot_table_countries(t) * wiot_table_fd_categories(t);
    cr_assert_eq(rows, n + 2);
    cr_assert_eq(cols, n + CK + 1);
    const double *Z = wiot_table_Z(t), *F = wiot_table_F(t), *x = wiot_table_x(t);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++)
            cr_assert(memcmp(&Z[i + j * n], &v[i * cols + j], 8) == 0, "Z[%zu,%zu]", i, j);
        for (size_t q = 0; q < CK; q++)
            cr_assert(memcmp(&F[i + q * n], &v[i * cols + n + q], 8) == 0, "F[%zu,%zu]", i, q);
        cr_assert(memcmp(&x[i], &v[i * cols + n + CK], 8) == 0, "x[%zu]", i);
    }
    free(v);
}

static char *make_tmpdir(void)
{
    static char tmpl[64];
    strcpy(tmpl, "/tmp/wiot_test_table_XXXXXX");
    cr_assert(mkdtemp(tmpl), "mkdtemp");
    return tmpl;
}

/* Remove a temporary directory and the files in it; returns how many files it held. */
static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int files = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        files += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return files;
}

static int remove_tmpdir(const char *dir)
{
    DIR *d = opendir(dir);
    int files = 0;
    struct dirent *e;
    char p[512];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
        files++;
    }
    if (d)
        closedir(d);
    rmdir(dir);
    return files;
}

/* --------------------------------------------------------------- examples */
Test(table, miller_blair)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, MB);
    cr_assert_eq(wiot_table_countries(t), 1);
    cr_assert_eq(wiot_table_sectors(t), 2);
    cr_assert_eq(wiot_table_fd_categories(t), 1);
    cr_assert_eq(wiot_table_n(t), 2);
    cr_assert_str_eq(wiot_table_country(t, 0), "R1");
    cr_assert_str_eq(wiot_table_sector(t, 0), "s1");
    cr_assert_str_eq(wiot_table_sector(t, 1), "s2");
    cr_assert_str_eq(wiot_table_fd_category(t, 0), "F1");
    cr_assert_null(wiot_table_country(t, 1));
    cr_assert_null(wiot_table_sector(t, 2));
    cr_assert_null(wiot_table_fd_category(t, 1));
    cr_assert_str_eq(wiot_table_name(t), "miller_blair_2009_t2_3.csv");
    cr_assert_eq(wiot_table_year(t), 2009);   /* the first 19xx/20xx in the name */
    const double Z[4] = {150, 200, 500, 100};    /* column-major: Z[i + j*n] */
    const double F[2] = {350, 1700}, x[2] = {1000, 2000}, v[2] = {650, 1400};
    assert_same_doubles(wiot_table_Z(t), Z, 4, "Z");
    assert_same_doubles(wiot_table_F(t), F, 2, "F");
    assert_same_doubles(wiot_table_x(t), x, 2, "x");
    assert_same_doubles(wiot_table_v(t), v, 2, "v");
    const wiot_check *c = wiot_table_check(t);
    cr_assert_eq(c->rows_off, 0);
    cr_assert_eq(c->worst_row_diff, 0);
    cr_assert_eq(c->mean_row_diff, 0);
    cr_assert_eq(c->zero_output, 0);
    cr_assert_eq(c->negative_final, 0);
    cr_assert_eq(c->max_colsum_A, 0.35);       /* 350/1000; column 2: 600/2000 */
    cr_assert_eq(c->max_colsum_col, 0);
    cr_assert_eq(c->total_output, 3000);
    cr_assert_eq(c->total_v, 2050);
    cr_assert_eq(c->total_final, 2050);
    cr_assert_eq(c->row_tol_abs, 0.5);
    cr_assert_eq(c->row_tol_rel, 1e-3);
    cr_assert_eq(c->warnings, 0);
    cr_assert_null(wiot_table_warning(t, 0));
    cr_assert_str_eq(wiot_errmsg(ctx), "");
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(table, decompr_leather)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, LEATHER);
    cr_assert_eq(wiot_table_countries(t), 3);
    cr_assert_eq(wiot_table_sectors(t), 3);
    cr_assert_eq(wiot_table_fd_categories(t), 1);
    cr_assert_eq(wiot_table_n(t), 9);
    cr_assert_str_eq(wiot_table_country(t, 0), "ARG");
    cr_assert_str_eq(wiot_table_country(t, 1), "TUR");
    cr_assert_str_eq(wiot_table_country(t, 2), "DEU");
    /* header labels split after the country: the sector keeps its underscores */
    cr_assert_str_eq(wiot_table_sector(t, 1), "Textile_and_Leather");
    cr_assert_eq(wiot_table_find_country(t, "DEU"), 2);
    cr_assert_eq(wiot_table_find_country(t, "deu"), (size_t)-1);
    cr_assert_eq(wiot_table_find_sector(t, "Transport_Equipment"), 2);
    cr_assert_eq(wiot_table_find_sector(t, "Mining"), (size_t)-1);
    cr_assert_eq(wiot_table_year(t), 0);
    const double *Z = wiot_table_Z(t), *x = wiot_table_x(t), *v = wiot_table_v(t);
    cr_assert_eq(Z[0 + 8 * 9], 4.9);             /* ARG_Agriculture -> DEU_Transport */
    cr_assert_eq(Z[8 + 0 * 9], 2.1);             /* DEU_Transport -> ARG_Agriculture */
    cr_assert_eq(wiot_table_F(t)[4 + 2 * 9], 16.9);   /* TUR_Textile -> DEU_F1 */
    cr_assert_eq(x[8], 217);
    /* v = x - column sums; the file's VA row agrees to rounding */
    assert_rel(v[0], 52.3, 1e-13);
    assert_rel(v[8], 70.5, 1e-13);
    const wiot_check *c = wiot_table_check(t);
    cr_assert_eq(c->rows_off, 0);
    cr_assert_eq(c->warnings, 0);
    assert_rel(c->total_output, 936.6, 1e-14);
    assert_matches_strtod(t, LEATHER);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(table, pymrio)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, PYMRIO);
    cr_assert_eq(wiot_table_countries(t), 6);
    cr_assert_eq(wiot_table_sectors(t), 8);
    cr_assert_eq(wiot_table_fd_categories(t), 7);
    cr_assert_eq(wiot_table_n(t), 48);
    cr_assert_str_eq(wiot_table_country(t, 5), "reg6");
    cr_assert_str_eq(wiot_table_sector(t, 2), "manufactoring");
    for (size_t k = 0; k < 7; k++) {
        char code[8];
        snprintf(code, sizeof code, "F%zu", k + 1);
        cr_assert_str_eq(wiot_table_fd_category(t, k), code);
    }
    /* 17-digit mantissas and exponents: every value is exactly strtod's */
    assert_matches_strtod(t, PYMRIO);
    cr_assert_eq(wiot_table_x(t)[0], 239154.38647261975);
    cr_assert_eq(wiot_table_x(t)[1], 48751.94245779137);
    cr_assert_eq(wiot_table_check(t)->rows_off, 0);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------------- WIOD 2013 */
typedef struct wiod_check_row {
    int year;
    double max_abs_row, mean_row, max_colsum_A, total_output, total_va, total_final;
    size_t rows, cols, zero_output, zero_rows_with_entries, negative_final, negative_inter;
} wiod_check_row;

/* data/wiod2013/checks.csv: year,rows,cols,gz_bytes,csv_bytes,max_abs_row_discrepancy,
 * mean_row_discrepancy,zero_output,zero_output_rows_with_entries,negative_final_entries,
 * negative_inter_entries,negative_va,max_colsum_A,spectral_radius_A,min_L,L_residual_max,
 * total_output,total_va,total_final */
static size_t read_wiod_checks(wiod_check_row *out, size_t cap)
{
    char *b = test_slurp(DATA("wiod2013/checks.csv"), NULL);
    cr_assert(b);
    static const char head[] =
        "year,rows,cols,gz_bytes,csv_bytes,max_abs_row_discrepancy,mean_row_discrepancy,"
        "zero_output,zero_output_rows_with_entries,negative_final_entries,"
        "negative_inter_entries,negative_va,max_colsum_A,spectral_radius_A,min_L,"
        "L_residual_max,total_output,total_va,total_final\n";
    cr_assert(strncmp(b, head, sizeof head - 1) == 0, "checks.csv header changed");
    size_t k = 0;
    char *save = NULL;
    for (char *line = strtok_r(strchr(b, '\n') + 1, "\n", &save); line && k < cap;
         line = strtok_r(NULL, "\n", &save)) {
        double f[19];
        int nf = 0;
        for (char *p = line; nf < 19; nf++) {
            f[nf] = strtod(p, &p);
            if (*p != ',')
                break;
            p++;
        }
        cr_assert_eq(nf, 18);
        wiod_check_row r = {(int)f[0], f[5], f[6], f[12], f[16], f[17], f[18], (size_t)f[1],
                            (size_t)f[2], (size_t)f[7], (size_t)f[8], (size_t)f[9], (size_t)f[10]};
        out[k++] = r;
    }
    free(b);
    return k;
}

Test(table, wiod2011)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, WIOD11);
    cr_assert_eq(wiot_table_countries(t), 41);
    cr_assert_eq(wiot_table_sectors(t), 35);
    cr_assert_eq(wiot_table_fd_categories(t), 5);
    cr_assert_eq(wiot_table_n(t), 1435);
    cr_assert_str_eq(wiot_table_country(t, 0), "AUS");
    cr_assert_str_eq(wiot_table_country(t, 40), "RoW");
    cr_assert_str_eq(wiot_table_sector(t, 0), "c1");
    cr_assert_str_eq(wiot_table_sector(t, 34), "c35");
    cr_assert_str_eq(wiot_table_fd_category(t, 4), "F5");
    cr_assert_neq(wiot_table_find_country(t, "ROU"), (size_t)-1);
    cr_assert_eq(wiot_table_find_country(t, "ROW"), (size_t)-1);   /* case-sensitive */
    cr_assert_eq(wiot_table_year(t), 2011);
    cr_assert_str_eq(wiot_table_name(t), "wiot_2011.csv.gz");
    const wiot_check *c = wiot_table_check(t);
    cr_assert_eq(c->zero_output, 22);
    cr_assert_eq(c->zero_output_with_entries, 2);
    cr_assert_eq(fabs(c->worst_row_diff), 108);
    cr_assert_eq(round(c->mean_row_diff * 100) / 100, -41.26);
    cr_assert_eq(c->negative_final, 352);
    cr_assert_eq(round(c->max_colsum_A * 1e6) / 1e6, 0.910365);
    cr_assert_eq(c->total_output, 141767904);
    cr_assert_eq(c->total_v, 69327812);
    cr_assert_eq(c->total_final, 69268600);
    cr_assert_eq(c->warnings, 2);
    cr_assert_str_eq(wiot_table_warning(t, 0),
                     "../data/wiod2013/wiot_2011.csv.gz: row identity off by more than "
                     "max(0.5, 0.001*x) in 862 of 1435 rows; worst: row 'NLD_c23' (line 1039): "
                     "-108 (x = 29022)");
    cr_assert_str_eq(wiot_table_warning(t, 1),
                     "../data/wiod2013/wiot_2011.csv.gz: 2 rows with zero output still hold "
                     "non-zero entries (first: row 'LUX_c5', line 881)");
    cr_assert_null(wiot_table_warning(t, 2));
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* Every year against checks.csv (the counts and totals computed by the data's
 * preparer with numpy). */
Test(table, wiod_all_years_match_checks)
{
    wiod_check_row rows[32];
    size_t nr = read_wiod_checks(rows, 32);
    cr_assert_eq(nr, 17);
    wiot_ctx *ctx = test_ctx();
    for (size_t k = 0; k < nr; k++) {
        const wiod_check_row *r = &rows[k];
        char path[128];
        snprintf(path, sizeof path, DATA("wiod2013/wiot_%d.csv.gz"), r->year);
        wiot_table *t = test_load(ctx, path);
        size_t n = wiot_table_n(t);
        const wiot_check *c = wiot_table_check(t);
        cr_assert_eq(wiot_table_year(t), r->year);
        cr_assert_eq(n + 2, r->rows, "%d", r->year);
        cr_assert_eq(n + 41 * 5 + 3, r->cols, "%d", r->year);
        cr_assert_eq(fabs(c->worst_row_diff), r->max_abs_row, "%d", r->year);
        cr_assert_eq(round(c->mean_row_diff * 100) / 100, r->mean_row, "%d", r->year);
        cr_assert_eq(c->zero_output, r->zero_output, "%d", r->year);
        cr_assert_eq(c->zero_output_with_entries, r->zero_rows_with_entries, "%d", r->year);
        cr_assert_eq(c->negative_final, r->negative_final, "%d", r->year);
        cr_assert_eq(round(c->max_colsum_A * 1e6) / 1e6, r->max_colsum_A, "%d", r->year);
        cr_assert_eq(c->total_output, r->total_output, "%d", r->year);
        cr_assert_eq(c->total_v, r->total_va, "%d", r->year);
        cr_assert_eq(c->total_final, r->total_final, "%d", r->year);
        wiot_table_free(t);
    }
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------------- log hook */
typedef struct log_rec {
    int calls;
    int level;
    char first[WIOT_NSTATUS * 100];
} log_rec;

static void log_fn(void *ud, int level, const char *msg)
{
    log_rec *r = ud;
    if (r->calls++ == 0)
        snprintf(r->first, sizeof r->first, "%s", msg);
    r->level = level;
}

Test(table, warnings_go_to_the_log_and_follow_the_tolerances)
{
    wiot_ctx *ctx = test_ctx();
    log_rec rec = {0};
    wiot_ctx_set_log(ctx, log_fn, &rec);
    wiot_table *t = test_load(ctx, WIOD11);
    cr_assert_eq(rec.calls, 2);
    cr_assert_eq(rec.level, WIOT_LOG_WARN);
    cr_assert_str_eq(rec.first, wiot_table_warning(t, 0));
    wiot_table_free(t);
    /* a looser tolerance: no row is off, only the zero-output warning is left */
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_ROW_TOL_ABS, 200), WIOT_OK);
    t = test_load(ctx, WIOD11);
    const wiot_check *c = wiot_table_check(t);
    cr_assert_eq(c->rows_off, 0);
    cr_assert_eq(c->row_tol_abs, 200);
    cr_assert_eq(c->warnings, 1);
    cr_assert(strstr(wiot_table_warning(t, 0), "zero output"));
    cr_assert_eq(fabs(c->worst_row_diff), 108);   /* still reported */
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------------ buffers */
Test(table, load_buffer_equals_load)
{
    wiot_ctx *ctx = test_ctx();
    const char *paths[] = {MB, LEATHER, PYMRIO, WIOD11};
    for (size_t k = 0; k < 4; k++) {
        size_t len = 0;
        char *b = test_slurp(paths[k], &len);
        cr_assert(b);
        wiot_table *a = test_load(ctx, paths[k]), *t = NULL;
        cr_assert_eq(wiot_table_load_buffer(ctx, b, len, "mem/wiot_1999.csv", &t), WIOT_OK, "%s",
                     wiot_errmsg(ctx));
        assert_same_table(a, t);
        cr_assert_str_eq(wiot_table_name(t), "wiot_1999.csv");
        cr_assert_eq(wiot_table_year(t), 1999);
        wiot_table_free(a);
        wiot_table_free(t);
        free(b);
    }
    /* messages use the name given */
    static const char bad[] =
        "country,sector,R1_s1,R1_F1,GO\nR1,s1,1,2\nTOT,VA,0,0,0\nTOT,GO,1,2,3\n";
    wiot_table *t = (wiot_table *)1;
    cr_assert_eq(wiot_table_load_buffer(ctx, bad, sizeof bad - 1, "mem", &t), WIOT_EFORMAT);
    cr_assert_null(t);
    cr_assert_str_eq(wiot_errmsg(ctx), "mem:2: expected 5 fields, got 4");
    cr_assert_eq(wiot_table_load_buffer(ctx, bad, sizeof bad - 1, NULL, &t), WIOT_EFORMAT);
    cr_assert_str_eq(wiot_errmsg(ctx), "buffer:2: expected 5 fields, got 4");
    cr_assert_eq(wiot_table_load_buffer(ctx, NULL, 0, "nothing", &t), WIOT_EFORMAT);
    cr_assert_str_eq(wiot_errmsg(ctx), "nothing: empty file");
    cr_assert_eq(wiot_table_load_buffer(ctx, NULL, 5, "x", &t), WIOT_EINVAL);
    wiot_ctx_free(ctx);
}

/* Line ends: CRLF, no final newline and trailing blank lines are accepted. */
Test(table, line_end_variants)
{
    wiot_ctx *ctx = test_ctx();
    size_t len = 0;
    char *b = test_slurp(LEATHER, &len);
    cr_assert(b);
    wiot_table *ref = test_load(ctx, LEATHER), *t = NULL;
    char *crlf = malloc(2 * len + 8);
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (b[i] == '\n')
            crlf[k++] = '\r';
        crlf[k++] = b[i];
    }
    cr_assert_eq(wiot_table_load_buffer(ctx, crlf, k, "crlf", &t), WIOT_OK, "%s", wiot_errmsg(ctx));
    assert_same_table(ref, t);
    wiot_table_free(t);
    /* an exact-size copy (no terminator after the last digit: ASan sees any overread) */
    char *exact = malloc(len - 1);
    memcpy(exact, b, len - 1);
    cr_assert_eq(wiot_table_load_buffer(ctx, exact, len - 1, "no_final_newline", &t), WIOT_OK,
                 "%s", wiot_errmsg(ctx));
    assert_same_table(ref, t);
    wiot_table_free(t);
    free(exact);
    memcpy(crlf, b, len);
    memcpy(crlf + len, "\n\r\n\n", 4);
    cr_assert_eq(wiot_table_load_buffer(ctx, crlf, len + 4, "blank_tail", &t), WIOT_OK, "%s",
                 wiot_errmsg(ctx));
    assert_same_table(ref, t);
    wiot_table_free(t);
    wiot_table_free(ref);
    free(crlf);
    free(b);
    wiot_ctx_free(ctx);
}

/* A gzip file of several members (gzip a b > c, or zlib's "ab" mode) is one text. */
Test(table, gzip_members_concatenate)
{
    wiot_ctx *ctx = test_ctx();
    size_t len = 0;
    char *b = test_slurp(LEATHER, &len);
    cr_assert(b);
    char *dir = make_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/two.csv.gz", dir);
    const char *mode[2] = {"wb", "ab"};
    for (int k = 0; k < 2; k++) {
        gzFile g = gzopen(path, mode[k]);
        cr_assert(g);
        size_t half = 333;   /* cut in the middle of a line */
        cr_assert(gzwrite(g, b + k * half, (unsigned)(k ? len - half : half)) > 0);
        cr_assert_eq(gzclose(g), Z_OK);
    }
    wiot_table *ref = test_load(ctx, LEATHER), *t = test_load(ctx, path);
    assert_same_table(ref, t);
    wiot_table_free(t);
    wiot_table_free(ref);
    remove_tmpdir(dir);
    free(b);
    wiot_ctx_free(ctx);
}

/* Numbers: the fast path and strtod give the same bits; exotic spellings are refused. */
Test(table, numbers_are_exactly_strtod)
{
    static const char *const tok[] = {
        "0.1", "-0.1", "+7", "1e22", "1e23", "9007199254740992", "9007199254740993",
        "123456789012345678901234567890", "1.7976931348623157e308", "4.9e-324", "2.2250738585072011e-308",
        "0.000000000000000000000000000001", "-0", "1.", ".5", "-.5e-3", "2.6813696e-06",
        "5E+3", "3.14159265358979323846264338327950288", "100000000000000000000000", "1e-22",
        "0.3", "1.0000000000000002", "112313.24474479975", "-4503599627370497.5"};
    wiot_ctx *ctx = test_ctx();
    for (size_t k = 0; k < sizeof tok / sizeof tok[0]; k++) {
        /* one country-sector selling 1 to itself and tok to final demand */
        double f = strtod(tok[k], NULL);
        double x = fabs(f) + 10;
        char buf[512];
        int len = snprintf(buf, sizeof buf,
                           "country,sector,A_s,A_F1,GO\nA,s,1,%s,%.17g\nTOT,VA,%.17g,0,0\n"
                           "TOT,GO,%.17g,%s,%.17g\n", tok[k], x, x - 1, x, tok[k], x);
        wiot_table *t = NULL;
        int rc = wiot_table_load_buffer(ctx, buf, (size_t)len, "num", &t);
        cr_assert_eq(rc, WIOT_OK, "%s: %s", tok[k], wiot_errmsg(ctx));
        cr_assert(memcmp(wiot_table_F(t), &f, sizeof f) == 0, "%s: %.17g != %.17g", tok[k],
                  wiot_table_F(t)[0], f);
        wiot_table_free(t);
    }
    static const struct {
        const char *tok;
        int rc;
    } bad[] = {{"nan", WIOT_EDATA},  {"-NaN", WIOT_EDATA}, {"inf", WIOT_EDATA},
               {"Infinity", WIOT_EDATA}, {"1e400", WIOT_EDATA}, {"-1e400", WIOT_EDATA},
               {"0x10", WIOT_EFORMAT}, {"1e", WIOT_EFORMAT}, {"1e+", WIOT_EFORMAT},
               {".", WIOT_EFORMAT}, {"-", WIOT_EFORMAT}, {"1..2", WIOT_EFORMAT},
               {"1,5", WIOT_EFORMAT}, {"1 ", WIOT_EFORMAT}, {"\"1\"", WIOT_EFORMAT},
               {"1d3", WIOT_EFORMAT}, {"--1", WIOT_EFORMAT}, {"", WIOT_EFORMAT}};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char buf[512];
        int len = snprintf(buf, sizeof buf,
                           "country,sector,A_s,A_F1,GO\nA,s,1,%s,10\nTOT,VA,9,0,0\nTOT,GO,10,0,10\n",
                           bad[k].tok);
        wiot_table *t = (wiot_table *)1;
        int rc = wiot_table_load_buffer(ctx, buf, (size_t)len, "num", &t);
        cr_assert_eq(rc, bad[k].rc, "'%s': rc %d (%s)", bad[k].tok, rc, wiot_errmsg(ctx));
        cr_assert_null(t);
        cr_assert(strncmp(wiot_errmsg(ctx), "num:2: ", 7) == 0, "%s", wiot_errmsg(ctx));
    }
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------------ save */
static void round_trip(wiot_ctx *ctx, const char *src, const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    wiot_table *a = test_load(ctx, src);
    cr_assert_eq(wiot_table_save(ctx, a, path), WIOT_OK, "%s", wiot_errmsg(ctx));
    wiot_table *b = test_load(ctx, path);
    assert_same_table(a, b);
    /* the saved file of the saved table is the same bytes */
    size_t l1 = 0, l2 = 0;
    char *b1 = test_slurp(path, &l1);
    cr_assert_eq(wiot_table_save(ctx, b, path), WIOT_OK, "%s", wiot_errmsg(ctx));
    char *b2 = test_slurp(path, &l2);
    cr_assert(b1 && b2 && l1 == l2 && memcmp(b1, b2, l1) == 0, "%s: second save differs", path);
    int gz = strstr(name, ".gz") != NULL;
    cr_assert_eq((unsigned char)b1[0] == 0x1f && (unsigned char)b1[1] == 0x8b, gz, "%s", path);
    if (!gz)
        cr_assert(strncmp(b1, "country,sector,", 15) == 0);
    free(b1);
    free(b2);
    wiot_table_free(a);
    wiot_table_free(b);
}

Test(table, save_load_round_trip_is_exact)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir();
    round_trip(ctx, MB, dir, "mb.csv");
    round_trip(ctx, LEATHER, dir, "leather.csv");
    round_trip(ctx, LEATHER, dir, "leather.csv.gz");
    round_trip(ctx, PYMRIO, dir, "pymrio.csv");
    round_trip(ctx, WIOD11, dir, "wiot_2011.csv");
    round_trip(ctx, WIOD11, dir, "wiot_2011.csv.gz");
    /* integers as integers, the shortest exact form otherwise */
    char path[512];
    snprintf(path, sizeof path, "%s/leather.csv", dir);
    char *text = test_slurp(path, NULL);
    cr_assert(strstr(text, "\nARG,Agriculture,16.1,5.1,1.8,3.2,4.3,0.4,3.1,2.8,4.9,21.5,6.1,8.4,77.7\n"),
              "%.300s", text);
    free(text);
    snprintf(path, sizeof path, "%s/mb.csv", dir);
    size_t len = 0;
    text = test_slurp(path, &len);
    char *orig = test_slurp(MB, NULL);
    cr_assert_str_eq(text, orig);   /* the integer example is reproduced byte for byte */
    free(text);
    free(orig);
    /* no temporary file is left behind: exactly the six saved files */
    cr_assert_eq(count_files(dir), 6);
    cr_assert_eq(remove_tmpdir(dir), 6);
    wiot_ctx_free(ctx);
}

Test(table, save_errors)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, MB);
    cr_assert_eq(wiot_table_save(ctx, t, "/nonexistent-dir/x.csv"), WIOT_EIO);
    cr_assert_str_eq(wiot_errmsg(ctx), "/nonexistent-dir/x.csv: cannot create a temporary file: "
                     "No such file or directory");
    char *dir = make_tmpdir();
    char path[512];
    /* renaming over a directory fails: the temporary file is removed */
    snprintf(path, sizeof path, "%s/sub", dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    cr_assert_eq(wiot_table_save(ctx, t, path), WIOT_EIO);
    char expect[600];
    snprintf(expect, sizeof expect, "%s: cannot rename the temporary file into place: Is a "
             "directory", path);
    cr_assert_str_eq(wiot_errmsg(ctx), expect);
    rmdir(path);
    cr_assert_eq(remove_tmpdir(dir), 0);
    cr_assert_eq(wiot_table_save(ctx, NULL, "x.csv"), WIOT_EINVAL);
    cr_assert_eq(wiot_table_save(ctx, t, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_table_save(ctx, t, ""), WIOT_EINVAL);
    cr_assert_eq(wiot_table_save(NULL, t, "x.csv"), WIOT_EINVAL);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------------ from arrays */
static const char *const mb_countries[] = {"R1"};
static const char *const mb_sectors[] = {"s1", "s2"};

static wiot_table_desc mb_desc(double *Z, double *F, double *x)
{
    /* Z with ld 3 (a padding row of garbage), F with ld 2 */
    static const double Z0[6] = {150, 200, -99, 500, 100, -99}, F0[2] = {350, 1700},
                        x0[2] = {1000, 2000};
    memcpy(Z, Z0, sizeof Z0);
    memcpy(F, F0, sizeof F0);
    memcpy(x, x0, sizeof x0);
    wiot_table_desc d = {1, 2, 1, mb_countries, mb_sectors, NULL, Z, 3, F, 2, x, "mb"};
    return d;
}

Test(table, new_from_arrays)
{
    wiot_ctx *ctx = test_ctx();
    double Z[6], F[2], x[2];
    wiot_table_desc d = mb_desc(Z, F, x);
    wiot_table *t = NULL, *ref = test_load(ctx, MB);
    cr_assert_eq(wiot_table_new(ctx, &d, &t), WIOT_OK, "%s", wiot_errmsg(ctx));
    assert_same_table(ref, t);
    cr_assert_str_eq(wiot_table_fd_category(t, 0), "F1");   /* default codes */
    cr_assert_str_eq(wiot_table_name(t), "mb");
    wiot_table_free(t);
    /* x = row sums of Z and F */
    d.x = NULL;
    cr_assert_eq(wiot_table_new(ctx, &d, &t), WIOT_OK, "%s", wiot_errmsg(ctx));
    assert_same_table(ref, t);
    wiot_table_free(t);
    /* K = 0: no final demand; explicit codes; name NULL */
    static const char *const fd[] = {"HH"};
    d.fd_codes = fd;
    d.name = NULL;
    cr_assert_eq(wiot_table_new(ctx, &d, &t), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert_str_eq(wiot_table_fd_category(t, 0), "HH");
    cr_assert_str_eq(wiot_table_name(t), "table");
    wiot_table_free(t);
    d.fd_categories = 0;
    d.F = NULL;
    d.x = x;
    cr_assert_eq(wiot_table_new(ctx, &d, &t), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert_null(wiot_table_F(t));
    cr_assert_eq(wiot_table_fd_categories(t), 0);
    cr_assert_eq(wiot_table_check(t)->rows_off, 2);   /* x holds final demand not in F */
    cr_assert_str_eq(wiot_table_warning(t, 0),
                     "table: row identity off by more than max(0.5, 0.001*x) in 2 of 2 rows; "
                     "worst: row 'R1_s2': -1700 (x = 2000)");
    /* a table built from arrays saves and loads back exactly */
    char *dir = make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/k0.csv", dir);
    cr_assert_eq(wiot_table_save(ctx, t, path), WIOT_OK, "%s", wiot_errmsg(ctx));
    wiot_table *u = test_load(ctx, path);
    assert_same_table(t, u);
    wiot_table_free(u);
    remove_tmpdir(dir);
    wiot_table_free(t);
    wiot_table_free(ref);
    wiot_ctx_free(ctx);
}

Test(table, new_validation)
{
    wiot_ctx *ctx = test_ctx();
    double Z[6], F[2], x[2];
    wiot_table *t = (wiot_table *)1;
    wiot_table_desc d;
#define CASE(stmt, code, text)                                                       \
    do {                                                                             \
        d = mb_desc(Z, F, x);                                                        \
        stmt;                                                                        \
        t = (wiot_table *)1;                                                         \
        int rc_ = wiot_table_new(ctx, &d, &t);                                       \
        cr_expect_eq(rc_, code, "%s: rc %d (%s)", #stmt, rc_, wiot_errmsg(ctx));      \
        cr_expect_null(t, "%s", #stmt);                                              \
        cr_expect_str_eq(wiot_errmsg(ctx), text, "%s", #stmt);                        \
    } while (0)
    CASE(Z[3] = -500, WIOT_EDATA, "mb: column 'R1_s2': negative intermediate flow -500 in row 'R1_s1'");
    CASE(Z[1] = NAN, WIOT_EDATA, "mb: column 'R1_s1': not a finite number nan in row 'R1_s2'");
    CASE(F[1] = INFINITY, WIOT_EDATA, "mb: column 'R1_F1': not a finite number in row 'R1_s2'");
    CASE(x[0] = -3, WIOT_EDATA, "mb: column 'R1_s1': negative output -3");
    CASE(x[1] = NAN, WIOT_EDATA, "mb: column 'R1_s2': output is not a finite number");
    CASE(x[1] = 550, WIOT_EDATA, "mb: column 'R1_s2': column sum of A is 1.09091 >= 1 (negative "
         "value added): the table is not productive");
    CASE(x[1] = 600, WIOT_EDATA, "mb: column 'R1_s2': column sum of A is 1 >= 1 (negative "
         "value added): the table is not productive");
    CASE(x[1] = 0, WIOT_EDATA, "mb: column 'R1_s2': zero output but non-zero inputs (column sum "
         "of Z 600)");
    CASE(d.ldz = 1, WIOT_EINVAL, "mb: ldz 1 < n 2");
    CASE(d.ldf = 1, WIOT_EINVAL, "mb: ldf 1 < n 2");
    CASE(d.F = NULL, WIOT_EINVAL, "mb: F is NULL but there are 1 final-demand categories");
    CASE(d.Z = NULL, WIOT_EINVAL, "mb: Z is NULL");
    CASE(d.countries = 0, WIOT_EINVAL, "mb: need at least one country and one sector (got 0 x 2)");
    CASE(d.country_codes = NULL, WIOT_EINVAL, "mb: country_codes and sector_codes are required");
    static const char *const dup[] = {"s1", "s1"}, *const comma[] = {"s1", "s,2"},
                             *const empty[] = {"s1", ""}, *const nul[] = {"s1", NULL},
                             *const ctl[] = {"s1", "s\n2"};
    CASE(d.sector_codes = dup, WIOT_EINVAL, "mb: duplicate sector code 's1'");
    CASE(d.sector_codes = comma, WIOT_EINVAL, "mb: sector code 1 contains ','");
    CASE(d.sector_codes = empty, WIOT_EINVAL, "mb: sector code 1 is empty");
    CASE(d.sector_codes = nul, WIOT_EINVAL, "mb: sector code 1 is NULL");
    CASE(d.sector_codes = ctl, WIOT_EINVAL, "mb: sector code 1 contains a control character");
    static const char *const fdup[] = {"F,1"};
    CASE(d.fd_codes = fdup, WIOT_EINVAL, "mb: final-demand code 0 contains ','");
#undef CASE
    /* '_' is allowed in codes and the table survives a save/load round trip */
    static const char *const cu[] = {"R_1"}, *const su[] = {"s_1", "s_2"};
    d = mb_desc(Z, F, x);
    d.country_codes = cu;
    d.sector_codes = su;
    cr_assert_eq(wiot_table_new(ctx, &d, &t), WIOT_OK, "%s", wiot_errmsg(ctx));
    size_t len = 0;
    char *dir = make_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/u.csv", dir);
    cr_assert_eq(wiot_table_save(ctx, t, path), WIOT_OK, "%s", wiot_errmsg(ctx));
    char *text = test_slurp(path, &len);
    cr_assert(strncmp(text, "country,sector,R_1_s_1,R_1_s_2,R_1_F1,GO\nR_1,s_1,", 49) == 0, "%s", text);
    free(text);
    wiot_table *u = test_load(ctx, path);
    assert_same_table(t, u);
    cr_assert_str_eq(wiot_table_country(u, 0), "R_1");
    wiot_table_free(u);
    wiot_table_free(t);
    remove_tmpdir(dir);
    /* NULL arguments */
    cr_assert_eq(wiot_table_new(ctx, NULL, &t), WIOT_EINVAL);
    cr_assert_eq(wiot_table_new(ctx, &d, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_table_new(NULL, &d, &t), WIOT_EINVAL);
    cr_assert_null(t);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------------ arguments */
Test(table, arguments_and_accessors)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = (wiot_table *)1;
    cr_assert_eq(wiot_table_load(NULL, MB, &t), WIOT_EINVAL);
    cr_assert_null(t);
    cr_assert_eq(wiot_table_load(ctx, NULL, &t), WIOT_EINVAL);
    cr_assert_eq(wiot_table_load(ctx, MB, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_table_load(ctx, BAD("table_nonexistent.csv"), &t), WIOT_EIO);
    cr_assert_null(t);
    cr_assert_str_eq(wiot_errmsg(ctx), "bad/table_nonexistent.csv: cannot open: No such file or "
                     "directory");
    cr_assert_eq(wiot_table_load(ctx, "bad", &t), WIOT_EIO);
    cr_assert_str_eq(wiot_errmsg(ctx), "bad: read error: Is a directory");
    /* a successful call clears the message */
    t = test_load(ctx, MB);
    cr_assert_str_eq(wiot_errmsg(ctx), "");
    wiot_table_free(t);
    /* NULL tables */
    wiot_table_free(NULL);
    cr_assert_eq(wiot_table_n(NULL), 0);
    cr_assert_eq(wiot_table_countries(NULL), 0);
    cr_assert_eq(wiot_table_sectors(NULL), 0);
    cr_assert_eq(wiot_table_fd_categories(NULL), 0);
    cr_assert_null(wiot_table_country(NULL, 0));
    cr_assert_null(wiot_table_sector(NULL, 0));
    cr_assert_null(wiot_table_fd_category(NULL, 0));
    cr_assert_eq(wiot_table_find_country(NULL, "R1"), (size_t)-1);
    cr_assert_eq(wiot_table_find_sector(NULL, "s1"), (size_t)-1);
    cr_assert_null(wiot_table_name(NULL));
    cr_assert_eq(wiot_table_year(NULL), 0);
    cr_assert_null(wiot_table_Z(NULL));
    cr_assert_null(wiot_table_F(NULL));
    cr_assert_null(wiot_table_x(NULL));
    cr_assert_null(wiot_table_v(NULL));
    cr_assert_null(wiot_table_check(NULL));
    cr_assert_null(wiot_table_warning(NULL, 0));
    wiot_ctx_free(ctx);
}

/* ----------------------------------------------------- malformed inputs */
/* tests/bad/table_*: the exact status and message of each (also in bad/README.md). */
static const struct {
    const char *file;
    int rc;
    const char *msg;
} bad_tables[] = {
    {"table_empty.csv", WIOT_EFORMAT, "bad/table_empty.csv: empty file"},
    {"table_only_header.csv", WIOT_EFORMAT,
     "bad/table_only_header.csv:1: no data rows: the file has only the header line"},
    {"table_no_rows.csv", WIOT_EFORMAT,
     "bad/table_no_rows.csv:2: no data rows between the header and the TOT rows"},
    {"table_bad_header.csv", WIOT_EFORMAT,
     "bad/table_bad_header.csv:1: bad header: expected 'country,sector,...,GO', got "
     "'country,industry,R1_s1,R1_s2,R1_F1,GO'"},
    {"table_header_no_go.csv", WIOT_EFORMAT,
     "bad/table_header_no_go.csv:1: bad header: the last column must be 'GO', got 'TOTAL'"},
    {"table_ragged_row.csv", WIOT_EFORMAT, "bad/table_ragged_row.csv:3: expected 6 fields, got 5"},
    {"table_ragged_long.csv", WIOT_EFORMAT, "bad/table_ragged_long.csv:2: expected 6 fields, got 7"},
    {"table_blank_line.csv", WIOT_EFORMAT, "bad/table_blank_line.csv:3: expected 6 fields, got 1"},
    {"table_non_numeric.csv", WIOT_EFORMAT,
     "bad/table_non_numeric.csv:2: column 'R1_s2': 'abc' is not a number"},
    {"table_trailing_garbage.csv", WIOT_EFORMAT,
     "bad/table_trailing_garbage.csv:2: column 'R1_s2': '500x' is not a number"},
    {"table_empty_cell.csv", WIOT_EFORMAT, "bad/table_empty_cell.csv:2: column 'R1_s2': empty cell"},
    {"table_hex.csv", WIOT_EFORMAT, "bad/table_hex.csv:2: column 'R1_s2': '0x1F4' is not a number"},
    {"table_space.csv", WIOT_EFORMAT, "bad/table_space.csv:2: column 'R1_s2': ' 500' is not a number"},
    {"table_nan.csv", WIOT_EDATA, "bad/table_nan.csv:3: column 'R1_s2': 'nan' is not a finite number"},
    {"table_inf.csv", WIOT_EDATA, "bad/table_inf.csv:3: column 'R1_F1': '-inf' is not a finite number"},
    {"table_overflow.csv", WIOT_EDATA,
     "bad/table_overflow.csv:2: column 'R1_s2': '1e999' is out of the range of a double"},
    {"table_negative_output.csv", WIOT_EDATA,
     "bad/table_negative_output.csv:2: column 'R1_s1': negative output -3"},
    {"table_negative_z.csv", WIOT_EDATA,
     "bad/table_negative_z.csv:2: column 'R1_s2': negative intermediate flow -500"},
    {"table_va_mismatch.csv", WIOT_EDATA,
     "bad/table_va_mismatch.csv:4: column 'R1_s1': value added 600 in the TOT,VA row differs from "
     "output minus intermediate inputs 1000 - 350 = 650"},
    {"table_va_nonzero.csv", WIOT_EDATA,
     "bad/table_va_nonzero.csv:4: column 'R1_F1': the TOT,VA row must be 0 outside the "
     "intermediate columns, got 5"},
    {"table_go_mismatch.csv", WIOT_EDATA,
     "bad/table_go_mismatch.csv:5: column 'R1_s1': total 1001 in the TOT,GO row differs from the "
     "output 1000 (column 'GO' of line 2)"},
    {"table_go_fd_mismatch.csv", WIOT_EDATA,
     "bad/table_go_fd_mismatch.csv:5: column 'R1_F1': total 2051 in the TOT,GO row differs from "
     "the column's sum 2050"},
    {"table_go_total_mismatch.csv", WIOT_EDATA,
     "bad/table_go_total_mismatch.csv:5: column 'GO': total 3001 in the TOT,GO row differs from "
     "the sum of outputs 3000"},
    {"table_colsum_a.csv", WIOT_EDATA,
     "bad/table_colsum_a.csv:4: column 'R1_s2': column sum of A is 1.09091 >= 1 (negative value "
     "added): the table is not productive"},
    {"table_zero_output.csv", WIOT_EDATA,
     "bad/table_zero_output.csv:5: column 'R1_s2': zero output but non-zero inputs (column sum of "
     "Z 600)"},
    {"table_label_mismatch.csv", WIOT_EFORMAT,
     "bad/table_label_mismatch.csv:1: column 'R1_s3': expected 'R1_s2', the label of data row 2 "
     "(line 3)"},
    {"table_country_empty.csv", WIOT_EFORMAT, "bad/table_country_empty.csv:3: country code is empty"},
    {"table_duplicate_sector.csv", WIOT_EFORMAT,
     "bad/table_duplicate_sector.csv:3: duplicate sector 's1' (also at line 2)"},
    {"table_duplicate_country.csv", WIOT_EFORMAT,
     "bad/table_duplicate_country.csv:8: duplicate country 'ARG' (its rows begin at line 2; each "
     "country's rows must form one block)"},
    {"table_sector_order.csv", WIOT_EFORMAT,
     "bad/table_sector_order.csv:5: sector 'Textile_and_Leather' where 'Agriculture' was expected "
     "(every country must list the sectors in the same order)"},
    {"table_short_country.csv", WIOT_EFORMAT,
     "bad/table_short_country.csv:6: country 'TUR' has 2 sectors, but 'ARG' has 3"},
    {"table_fd_mismatch.csv", WIOT_EFORMAT,
     "bad/table_fd_mismatch.csv:1: column 'TUR_F2': expected 'TUR_F1' (every country must have "
     "the final-demand categories of 'ARG' in the same order)"},
    {"table_fd_count.csv", WIOT_EFORMAT,
     "bad/table_fd_count.csv:1: the 4 final-demand columns are not a multiple of the 3 countries"},
    {"table_fd_duplicate.csv", WIOT_EFORMAT,
     "bad/table_fd_duplicate.csv:1: column 'R1_F1': duplicate final-demand category 'F1'"},
    {"table_too_few_columns.csv", WIOT_EFORMAT,
     "bad/table_too_few_columns.csv:1: the header names 1 columns between 'sector' and 'GO', "
     "fewer than the 2 data rows"},
    {"table_missing_tot.csv", WIOT_EFORMAT,
     "bad/table_missing_tot.csv:3: the last line must be the TOT,GO row, found 'R1,s2'"},
    {"table_missing_va.csv", WIOT_EFORMAT,
     "bad/table_missing_va.csv:3: the line before the last must be the TOT,VA row, found 'R1,s2'"},
    {"table_truncated.csv.gz", WIOT_EFORMAT,
     "bad/table_truncated.csv.gz: truncated gzip stream (it ends after 122 bytes of text)"},
    {"table_gzip_trailing.csv.gz", WIOT_EFORMAT,
     "bad/table_gzip_trailing.csv.gz: 7 bytes of trailing garbage after the gzip stream"},
    {"table_gzip_corrupt.csv.gz", WIOT_EFORMAT,
     "bad/table_gzip_corrupt.csv.gz: corrupt gzip stream: invalid distance too far back"},
    {"table_gzip_text.csv.gz", WIOT_EFORMAT,
     "bad/table_gzip_text.csv.gz:1: bad header: expected 'country,sector,...,GO', got 'this is "
     "not an input-output table'"},
    {"table_nonexistent.csv", WIOT_EIO,
     "bad/table_nonexistent.csv: cannot open: No such file or directory"},
};

Test(table, bad_inputs)
{
    wiot_ctx *ctx = test_ctx();
    for (size_t k = 0; k < sizeof bad_tables / sizeof bad_tables[0]; k++) {
        char path[256];
        snprintf(path, sizeof path, BAD("%s"), bad_tables[k].file);
        wiot_table *t = (wiot_table *)1;
        int rc = wiot_table_load(ctx, path, &t);
        cr_expect_eq(rc, bad_tables[k].rc, "%s: rc %d, expected %d (%s)", path, rc,
                     bad_tables[k].rc, wiot_errmsg(ctx));
        cr_expect_null(t, "%s", path);
        cr_expect_str_eq(wiot_errmsg(ctx), bad_tables[k].msg, "%s", path);
        /* the same bytes from memory give the same message */
        size_t len = 0;
        char *b = test_slurp(path, &len);
        if (b) {
            rc = wiot_table_load_buffer(ctx, b, len, path, &t);
            cr_expect_eq(rc, bad_tables[k].rc, "%s (buffer)", path);
            cr_expect_str_eq(wiot_errmsg(ctx), bad_tables[k].msg, "%s (buffer)", path);
            free(b);
        }
    }
    wiot_ctx_free(ctx);
}

/* Every table_* file of bad/ has an entry above. */
Test(table, bad_corpus_is_complete)
{
    DIR *d = opendir("bad");
    cr_assert(d);
    struct dirent *e;
    size_t files = 0;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "table_", 6) != 0 || strstr(e->d_name, ".py"))
            continue;
        files++;
        int found = 0;
        for (size_t k = 0; k < sizeof bad_tables / sizeof bad_tables[0]; k++)
            found |= strcmp(bad_tables[k].file, e->d_name) == 0;
        cr_expect(found, "bad/%s has no expected message", e->d_name);
    }
    closedir(d);
    cr_assert_eq(files + 1, sizeof bad_tables / sizeof bad_tables[0]);   /* + nonexistent */
}

/* --------------------------------------------------- failing allocator */
/* Allocation k fails, for k = 0, 1, 2, ... until the call succeeds: each failure is
 * WIOT_ENOMEM with nothing left allocated but the context. */
static void torture_load(const char *path)
{
    for (long k = 0;; k++) {
        test_alloc ta = {0, -1, 0};
        wiot_allocator a = test_allocator(&ta);
        wiot_ctx *ctx = NULL;
        cr_assert_eq(wiot_ctx_new_custom(&a, &ctx), WIOT_OK);
        ta.fail_at = ta.calls + k;
        wiot_table *t = (wiot_table *)1;
        int rc = wiot_table_load(ctx, path, &t);
        if (rc == WIOT_OK) {
            cr_assert(k > 3, "%s: only %ld allocations", path, k);
            wiot_table_free(t);
            cr_assert_eq(ta.live, 1);
            wiot_ctx_free(ctx);
            cr_assert_eq(ta.live, 0);
            return;
        }
        cr_assert_eq(rc, WIOT_ENOMEM, "%s, allocation %ld: rc %d (%s)", path, k, rc,
                     wiot_errmsg(ctx));
        cr_assert_null(t);
        cr_assert_neq(wiot_errmsg(ctx)[0], '\0');
        cr_assert_eq(ta.live, 1, "%s, allocation %ld: %ld blocks live", path, k, ta.live);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0);
    }
}

Test(table, failing_allocator_load, .timeout = 120)
{
    torture_load(LEATHER);
    torture_load(WIOD11);
}

Test(table, failing_allocator_new_and_save)
{
    char *dir = make_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/t.csv.gz", dir);
    for (long k = 0;; k++) {
        test_alloc ta = {0, -1, 0};
        wiot_allocator a = test_allocator(&ta);
        wiot_ctx *ctx = NULL;
        cr_assert_eq(wiot_ctx_new_custom(&a, &ctx), WIOT_OK);
        ta.fail_at = ta.calls + k;
        double Z[6], F[2], x[2];
        wiot_table_desc d = mb_desc(Z, F, x);
        wiot_table *t = (wiot_table *)1;
        int rc = wiot_table_new(ctx, &d, &t);
        if (rc == WIOT_OK) {
            rc = wiot_table_save(ctx, t, path);
            wiot_table_free(t);
        } else {
            cr_assert_null(t);
        }
        cr_assert(rc == WIOT_OK || rc == WIOT_ENOMEM, "allocation %ld: %d (%s)", k, rc,
                  wiot_errmsg(ctx));
        cr_assert_eq(ta.live, 1, "allocation %ld: %ld live", k, ta.live);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0);
        if (rc == WIOT_OK)
            break;
        cr_assert_eq(count_files(dir), 0, "allocation %ld: a file was left behind", k);
    }
    cr_assert_eq(remove_tmpdir(dir), 1);
}
