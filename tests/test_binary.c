/* test_binary.c -- the binary table format .wiot (kernel/table.c): exact round trips
 * CSV <-> .wiot, the layout and checksums, truncated, corrupted and crafted files
 * (each an error with a message naming the file, never a crash), load_buffer, the
 * kept mapping, and failing allocators. */
#define _GNU_SOURCE
#include "helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Hot loops check with REQUIRE, which asserts only on failure: Criterion sends its
 * runner an event for every passing cr_assert.
 * No test here sets .timeout: two timed tests running at once (--jobs 2) make
 * Criterion 2.4's runner leak 48 bytes, which fails `make sanitize`. */
#define REQUIRE(cond, ...) do { if (!(cond)) cr_assert_fail(__VA_ARGS__); } while (0)

#define MB DATA("examples/miller_blair_2009_t2_3.csv")
#define LEATHER DATA("examples/decompr_leather.csv")
#define PYMRIO DATA("examples/pymrio_test_mrio.csv")
#define WIOD11 DATA("wiod2013/wiot_2011.csv.gz")

/* the layout (README.md "Binary tables") */
#define H_FIELDS 168
#define H_SIZE 4096
#define H_DCHECK 152
#define H_HCHECK 160
#define SEC_OFF(k) (72 + 16 * (k))
#define SEC_LEN(k) (80 + 16 * (k))
enum { S_LABELS, S_Z, S_F, S_X, S_V };

/* ------------------------------------------------------------- XXH64 */
/* An independent one-shot XXH64 (seed 0) to check the file's checksums and to
 * re-seal crafted files; verified against known values below. */
#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL
static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static uint64_t rd64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}
static uint64_t xround(uint64_t acc, uint64_t in) { return rotl(acc + in * P2, 31) * P1; }
static uint64_t xxh64(const unsigned char *p, size_t len)
{
    const unsigned char *end = p + len;
    uint64_t h;
    if (len >= 32) {
        uint64_t v[4] = {P1 + P2, P2, 0, 0 - P1};
        for (; end - p >= 32; p += 32)
            for (int i = 0; i < 4; i++)
                v[i] = xround(v[i], rd64(p + 8 * i));
        h = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18);
        for (int i = 0; i < 4; i++)
            h = (h ^ xround(0, v[i])) * P1 + P4;
    } else {
        h = P5;
    }
    h += len;
    for (; end - p >= 8; p += 8)
        h = rotl(h ^ xround(0, rd64(p)), 27) * P1 + P4;
    if (end - p >= 4) {
        uint64_t k = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
        h = rotl(h ^ k * P1, 23) * P2 + P3;
        p += 4;
    }
    for (; p < end; p++)
        h = rotl(h ^ *p * P5, 11) * P1;
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    return h ^ (h >> 32);
}

static uint64_t get64(const unsigned char *b, size_t off)
{
    uint64_t v;
    memcpy(&v, b + off, 8);
    return v;
}
static void put64(unsigned char *b, size_t off, uint64_t v) { memcpy(b + off, &v, 8); }
static uint32_t get32(const unsigned char *b, size_t off)
{
    uint32_t v;
    memcpy(&v, b + off, 4);
    return v;
}
static void put32(unsigned char *b, size_t off, uint32_t v) { memcpy(b + off, &v, 4); }

/* Re-seal a modified file: data checksum, then header checksum. */
static void reseal(unsigned char *b, size_t len)
{
    put64(b, H_DCHECK, xxh64(b + H_FIELDS, len - H_FIELDS));
    put64(b, H_HCHECK, xxh64(b, H_HCHECK));
}

/* ----------------------------------------------------------------- helpers */
static char *make_tmpdir(void)
{
    char *d = strdup("/tmp/wiot_test_binary_XXXXXX");
    cr_assert(d && mkdtemp(d), "mkdtemp");
    return d;
}

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

static int remove_tmpdir(char *dir)
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
    free(dir);
    return files;
}

static void write_bytes(const char *path, const void *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot write %s", path);
    cr_assert_eq(fwrite(b, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

/* Mappings of path in this process (a leaked mapping would show here). */
static int mappings_of(const char *path)
{
    char *real = realpath(path, NULL);
    FILE *f = fopen("/proc/self/maps", "r");
    int k = 0;
    char line[4096];
    while (real && f && fgets(line, sizeof line, f))
        k += strstr(line, real) != NULL;
    if (f)
        fclose(f);
    free(real);
    return k;
}

static void assert_same_doubles(const double *a, const double *b, size_t n, const char *what)
{
    if (n == 0)
        return;
    cr_assert(a && b, "%s: NULL array", what);
    for (size_t i = 0; i < n; i++)
        REQUIRE(memcmp(&a[i], &b[i], sizeof(double)) == 0, "%s[%zu]: %.17g != %.17g", what, i,
                a[i], b[i]);
}

/* Dimensions, labels, every double bit for bit, and the whole check report. */
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
    cr_assert_eq(wiot_table_F(a) == NULL, wiot_table_F(b) == NULL);
    assert_same_doubles(wiot_table_x(a), wiot_table_x(b), n, "x");
    assert_same_doubles(wiot_table_v(a), wiot_table_v(b), n, "v");
    const wiot_check *ca = wiot_table_check(a), *cb = wiot_table_check(b);
    cr_assert_eq(ca->rows_off, cb->rows_off);
    cr_assert_eq(ca->worst_row, cb->worst_row);
    cr_assert(memcmp(&ca->worst_row_diff, &cb->worst_row_diff, 8) == 0);
    cr_assert(memcmp(&ca->mean_row_diff, &cb->mean_row_diff, 8) == 0);
    cr_assert_eq(ca->row_tol_rel, cb->row_tol_rel);
    cr_assert_eq(ca->row_tol_abs, cb->row_tol_abs);
    cr_assert_eq(ca->zero_output, cb->zero_output);
    cr_assert_eq(ca->zero_output_with_entries, cb->zero_output_with_entries);
    cr_assert_eq(ca->negative_final, cb->negative_final);
    cr_assert(memcmp(&ca->max_colsum_A, &cb->max_colsum_A, 8) == 0);
    cr_assert_eq(ca->max_colsum_col, cb->max_colsum_col);
    cr_assert(memcmp(&ca->total_output, &cb->total_output, 8) == 0);
    cr_assert(memcmp(&ca->total_v, &cb->total_v, 8) == 0);
    cr_assert(memcmp(&ca->total_final, &cb->total_final, 8) == 0);
    cr_assert_eq(ca->warnings, cb->warnings);
}

/* The header of a file written by wiot_table_save_binary for t, and its checksums. */
static void assert_layout(const unsigned char *b, size_t len, const wiot_table *t)
{
    size_t n = wiot_table_n(t), C = wiot_table_countries(t), K = wiot_table_fd_categories(t);
    cr_assert(len >= H_SIZE);
    cr_assert(memcmp(b, "WIOT\0BIN", 8) == 0);
    cr_assert_eq(get32(b, 8), 1);
    cr_assert_eq(get32(b, 12), 0x01020304u);
    cr_assert_eq(b[12], 0x04);   /* little-endian */
    cr_assert_eq(get64(b, 16), H_SIZE);
    cr_assert_eq(get64(b, 24), len);
    cr_assert_eq(get64(b, 32), C);
    cr_assert_eq(get64(b, 40), wiot_table_sectors(t));
    cr_assert_eq(get64(b, 48), K);
    cr_assert_eq(get64(b, 56), n);
    cr_assert_eq(get64(b, 64), 0);
    uint64_t want[5] = {0, 8 * n * n, 8 * n * C * K, 8 * n, 8 * n};
    for (int k = 0; k < 5; k++) {
        cr_assert_eq(get64(b, SEC_OFF(k)) % 4096, 0, "section %d not on a page", k);
        if (k)
            cr_assert_eq(get64(b, SEC_LEN(k)), want[k], "section %d", k);
    }
    cr_assert_eq(get64(b, SEC_OFF(S_LABELS)), H_SIZE);
    cr_assert_eq(get64(b, SEC_OFF(S_V)) + get64(b, SEC_LEN(S_V)), len);
    for (size_t i = H_FIELDS; i < H_SIZE; i++)
        REQUIRE(b[i] == 0, "header padding byte %zu", i);
    cr_assert_eq(get64(b, H_DCHECK), xxh64(b + H_FIELDS, len - H_FIELDS));
    cr_assert_eq(get64(b, H_HCHECK), xxh64(b, H_HCHECK));
    /* the doubles of the file are the table's */
    const unsigned char *Z = b + get64(b, SEC_OFF(S_Z)), *x = b + get64(b, SEC_OFF(S_X)),
                        *v = b + get64(b, SEC_OFF(S_V));
    cr_assert(memcmp(Z, wiot_table_Z(t), 8 * n * n) == 0);
    cr_assert(memcmp(x, wiot_table_x(t), 8 * n) == 0);
    cr_assert(memcmp(v, wiot_table_v(t), 8 * n) == 0);
    if (K)
        cr_assert(memcmp(b + get64(b, SEC_OFF(S_F)), wiot_table_F(t), 8 * n * C * K) == 0);
}

/* A failed load: status, *out NULL, and a message that starts with the name. With
 * msg, the message exactly. Both from memory and (path != NULL) from a file. */
static void expect_load_fail(wiot_ctx *ctx, const unsigned char *b, size_t len, const char *path,
                             int rc, const char *msg)
{
    const char *name = path ? path : "crafted.wiot";
    wiot_table *t = (wiot_table *)1;
    int got = wiot_table_load_buffer(ctx, b, len, name, &t);
    REQUIRE(got == rc, "%s (%zu bytes): rc %d, expected %d (%s)", name, len, got, rc,
            wiot_errmsg(ctx));
    REQUIRE(t == NULL, "%s (%zu bytes): a table", name, len);
    const char *m = wiot_errmsg(ctx);
    REQUIRE(strncmp(m, name, strlen(name)) == 0 && m[strlen(name)] == ':', "%s", m);
    REQUIRE(!msg || strcmp(m, msg) == 0, "%zu bytes: message\n  %s\nexpected\n  %s", len, m, msg);
    if (!path)
        return;
    char *copy = strdup(m);
    write_bytes(path, b, len);
    t = (wiot_table *)1;
    got = wiot_table_load(ctx, path, &t);
    cr_assert_eq(got, rc, "%s (file, %zu bytes): rc %d (%s)", path, len, got, wiot_errmsg(ctx));
    cr_assert_null(t);
    cr_assert_str_eq(wiot_errmsg(ctx), copy, "file and buffer messages differ");
    free(copy);
    cr_assert_eq(mappings_of(path), 0, "%s stays mapped after a failed load", path);
}

/* Save src's table as .wiot in dir; returns the file's bytes (and the table). */
static unsigned char *save_wiot(wiot_ctx *ctx, const char *src, const char *path, size_t *len,
                                wiot_table **table)
{
    wiot_table *t = test_load(ctx, src);
    cr_assert_eq(wiot_table_save(ctx, t, path), WIOT_OK, "%s", wiot_errmsg(ctx));
    unsigned char *b = (unsigned char *)test_slurp(path, len);
    cr_assert(b);
    if (table)
        *table = t;
    else
        wiot_table_free(t);
    return b;
}

/* --------------------------------------------------------------- checksum */
Test(binary, xxh64_known_values)
{
    /* values printed by xxhsum -H1 (xxHash 0.8.1) */
    char s[101];
    for (int i = 0; i < 100; i++)
        s[i] = (char)('A' + i % 26);
    cr_assert_eq(xxh64((const unsigned char *)"", 0), 0xEF46DB3751D8E999ULL);
    cr_assert_eq(xxh64((const unsigned char *)"abc", 3), 0x44BC2CF5AD770999ULL);
    cr_assert_eq(xxh64((const unsigned char *)s, 37), 0x216DF2DEF8937EE8ULL);
    cr_assert_eq(xxh64((const unsigned char *)s, 100), 0x90EA05B4DB400364ULL);
}

/* ------------------------------------------------------------ round trips */
/* CSV -> .wiot -> table: bit-identical, labels, dims, check report; the layout and
 * checksums of the file; the mapped matrices on page boundaries; the same table from
 * the bytes in memory; .wiot -> CSV -> table, and that CSV is the CSV of the source. */
static void round_trip(wiot_ctx *ctx, const char *src, const char *dir, const char *base)
{
    char path[512], csv1[512], csv2[512];
    snprintf(path, sizeof path, "%s/%s.wiot", dir, base);
    snprintf(csv1, sizeof csv1, "%s/%s_a.csv", dir, base);
    snprintf(csv2, sizeof csv2, "%s/%s_b.csv", dir, base);
    size_t len = 0;
    wiot_table *a = NULL;
    unsigned char *bytes = save_wiot(ctx, src, path, &len, &a);
    assert_layout(bytes, len, a);
    /* the labels section: codes and the source's name */
    const char *lab = (const char *)bytes + H_SIZE;
    cr_assert_str_eq(lab, wiot_table_country(a, 0));
    size_t llen = get64(bytes, SEC_LEN(S_LABELS));
    const char *name = lab + llen - 1;
    while (name > lab && name[-1])
        name--;
    cr_assert_str_eq(name, wiot_table_name(a));

    wiot_table *b = test_load(ctx, path);
    assert_same_table(a, b);
    cr_assert_eq((uintptr_t)wiot_table_Z(b) % 4096, 0, "Z is not read in place from the mapping");
    cr_assert_eq(mappings_of(path), 1);
    char expect_name[256];
    snprintf(expect_name, sizeof expect_name, "%s.wiot", base);
    cr_assert_str_eq(wiot_table_name(b), expect_name);

    /* from memory, also at an odd address */
    unsigned char *odd = malloc(len + 1);
    memcpy(odd + 1, bytes, len);
    wiot_table *c = NULL;
    cr_assert_eq(wiot_table_load_buffer(ctx, odd + 1, len, "mem.wiot", &c), WIOT_OK, "%s",
                 wiot_errmsg(ctx));
    free(odd);
    assert_same_table(a, c);
    cr_assert_str_eq(wiot_table_name(c), "mem.wiot");

    /* .wiot -> CSV -> table, and the CSV text equals the source table's CSV */
    cr_assert_eq(wiot_table_save(ctx, a, csv1), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_table_save(ctx, b, csv2), WIOT_OK, "%s", wiot_errmsg(ctx));
    size_t l1 = 0, l2 = 0;
    char *t1 = test_slurp(csv1, &l1), *t2 = test_slurp(csv2, &l2);
    cr_assert(t1 && t2 && l1 == l2 && memcmp(t1, t2, l1) == 0, "%s: CSV from .wiot differs", src);
    free(t1);
    free(t2);
    wiot_table *d = test_load(ctx, csv2);
    assert_same_table(a, d);

    wiot_table_free(d);
    wiot_table_free(c);
    wiot_table_free(b);
    cr_assert_eq(mappings_of(path), 0, "wiot_table_free did not unmap %s", path);
    wiot_table_free(a);
    free(bytes);
}

Test(binary, round_trips_are_exact)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir();
    round_trip(ctx, MB, dir, "mb");
    round_trip(ctx, LEATHER, dir, "leather");
    round_trip(ctx, PYMRIO, dir, "pymrio");
    round_trip(ctx, WIOD11, dir, "wiot_2011");
    cr_assert_eq(remove_tmpdir(dir), 12);   /* three files each, no temporary left */
    wiot_ctx_free(ctx);
}

Test(binary, name_year_and_warnings_as_for_csv)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/wiot_2011.wiot", dir);
    size_t len;
    wiot_table *a = NULL;
    free(save_wiot(ctx, WIOD11, path, &len, &a));
    wiot_table *b = test_load(ctx, path);
    cr_assert_str_eq(wiot_table_name(b), "wiot_2011.wiot");
    cr_assert_eq(wiot_table_year(b), 2011);
    cr_assert_eq(wiot_table_check(b)->warnings, 2);
    char w[1024];
    snprintf(w, sizeof w, "%s: row identity off by more than max(0.5, 0.001*x) in 862 of 1435 "
             "rows; worst: row 'NLD_c23': -108 (x = 29022)", path);
    cr_assert_str_eq(wiot_table_warning(b, 0), w);
    snprintf(w, sizeof w, "%s: 2 rows with zero output still hold non-zero entries (first: row "
             "'LUX_c5')", path);
    cr_assert_str_eq(wiot_table_warning(b, 1), w);
    wiot_table_free(b);
    /* the report follows the loading context's tolerances, as for the CSV */
    cr_assert_eq(wiot_ctx_set(ctx, WIOT_OPT_ROW_TOL_ABS, 200), WIOT_OK);
    b = test_load(ctx, path);
    wiot_table *c = test_load(ctx, WIOD11);
    cr_assert_eq(wiot_table_check(b)->rows_off, 0);
    assert_same_table(c, b);
    wiot_table_free(c);
    wiot_table_free(b);
    wiot_table_free(a);
    remove_tmpdir(dir);
    wiot_ctx_free(ctx);
}

/* Any name works with wiot_table_save_binary; loading detects the format. */
Test(binary, save_binary_any_name_and_special_tables)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir(), path[512];
    wiot_table *a = test_load(ctx, LEATHER);
    snprintf(path, sizeof path, "%s/leather.bin", dir);
    cr_assert_eq(wiot_table_save_binary(ctx, a, path), WIOT_OK, "%s", wiot_errmsg(ctx));
    wiot_table *b = test_load(ctx, path);
    assert_same_table(a, b);
    wiot_table_free(b);
    /* a file named .csv that holds .wiot bytes is still read as .wiot */
    snprintf(path, sizeof path, "%s/leather.csv", dir);
    cr_assert_eq(wiot_table_save_binary(ctx, a, path), WIOT_OK, "%s", wiot_errmsg(ctx));
    b = test_load(ctx, path);
    assert_same_table(a, b);
    wiot_table_free(b);
    /* gzip-compressed .wiot bytes are inflated and read (copied) */
    size_t rlen = 0;
    char *raw = test_slurp(path, &rlen);
    snprintf(path, sizeof path, "%s/leather.wiot.gz", dir);
    gzFile g = gzopen(path, "wb");
    cr_assert(g && gzwrite(g, raw, (unsigned)rlen) == (int)rlen && gzclose(g) == Z_OK);
    free(raw);
    b = test_load(ctx, path);
    assert_same_table(a, b);
    wiot_table_free(b);
    wiot_table_free(a);

    /* no final demand (K = 0, F NULL) and codes with '_' */
    static const char *const cc[] = {"R_1"}, *const ss[] = {"s_1", "s_2"};
    double Z[4] = {150, 200, 500, 100}, x[2] = {1000, 2000};
    wiot_table_desc d = {1, 2, 0, cc, ss, NULL, Z, 2, NULL, 0, x, "k0"};
    cr_assert_eq(wiot_table_new(ctx, &d, &a), WIOT_OK, "%s", wiot_errmsg(ctx));
    snprintf(path, sizeof path, "%s/k0.wiot", dir);
    cr_assert_eq(wiot_table_save(ctx, a, path), WIOT_OK, "%s", wiot_errmsg(ctx));
    size_t len = 0;
    unsigned char *bytes = (unsigned char *)test_slurp(path, &len);
    assert_layout(bytes, len, a);
    cr_assert_eq(get64(bytes, SEC_LEN(S_F)), 0);
    free(bytes);
    b = test_load(ctx, path);
    assert_same_table(a, b);
    cr_assert_null(wiot_table_F(b));
    cr_assert_str_eq(wiot_table_country(b, 0), "R_1");
    cr_assert_eq(wiot_table_check(b)->rows_off, 2);
    wiot_table_free(b);
    wiot_table_free(a);
    cr_assert_eq(remove_tmpdir(dir), 4);
    wiot_ctx_free(ctx);
}

/* The table keeps its mapping: it stays valid when the file is replaced by rename (as
 * the writer does) or removed. */
Test(binary, mapping_outlives_replace_and_unlink)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/t.wiot", dir);
    wiot_table *a = NULL, *other = test_load(ctx, LEATHER);
    free(save_wiot(ctx, MB, path, NULL, &a));
    wiot_table *b = test_load(ctx, path);
    cr_assert_eq(wiot_table_save(ctx, other, path), WIOT_OK, "%s", wiot_errmsg(ctx));
    assert_same_table(a, b);
    wiot_table *c = test_load(ctx, path);
    assert_same_table(other, c);
    cr_assert_eq(unlink(path), 0);
    assert_same_table(a, b);
    assert_same_table(other, c);
    wiot_table_free(c);
    wiot_table_free(b);
    wiot_table_free(other);
    wiot_table_free(a);
    cr_assert_eq(remove_tmpdir(dir), 0);
    wiot_ctx_free(ctx);
}

/* wiot_table_load_static: an aligned .wiot image is used in place (the matrices point
 * into the caller's bytes), equal to the loaded file; an unaligned image, CSV text and
 * gzip are copied as by wiot_table_load_buffer; a corrupted image is refused with the
 * same message as the file; NULL arguments are WIOT_EINVAL. */
Test(binary, load_static_in_place)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/t.wiot", dir);
    size_t len = 0;
    wiot_table *ref = NULL;
    unsigned char *b = save_wiot(ctx, LEATHER, path, &len, &ref);
    unsigned char *img = aligned_alloc(4096, (len + 8 + 4095) / 4096 * 4096);
    cr_assert(img);
    memcpy(img, b, len);
    wiot_table *t = NULL;
    cr_assert_eq(wiot_table_load_static(ctx, img, len, "img.wiot", &t), WIOT_OK, "%s", wiot_errmsg(ctx));
    assert_same_table(ref, t);
    const double *Z = wiot_table_Z(t), *x = wiot_table_x(t);
    cr_assert((const unsigned char *)Z > img && (const unsigned char *)Z < img + len,
              "Z is not in the image: it was copied");
    cr_assert((const unsigned char *)x > img && (const unsigned char *)x < img + len);
    wiot_table_free(t);   /* must not free the caller's bytes (ASan/valgrind would say) */
    cr_assert_eq(memcmp(img, b, len), 0);

    /* unaligned: copied, equal */
    unsigned char *odd = malloc(len + 1);
    cr_assert(odd);
    memcpy(odd + 1, b, len);
    cr_assert_eq(wiot_table_load_static(ctx, odd + 1, len, "odd.wiot", &t), WIOT_OK, "%s",
                 wiot_errmsg(ctx));
    assert_same_table(ref, t);
    const unsigned char *z1 = (const unsigned char *)wiot_table_Z(t);
    cr_assert(z1 < odd || z1 >= odd + len + 1, "an unaligned image must be copied");
    wiot_table_free(t);
    free(odd);

    /* CSV text: loaded as by wiot_table_load_buffer */
    size_t clen = 0;
    char *csv = test_slurp(LEATHER, &clen);
    cr_assert_eq(wiot_table_load_static(ctx, csv, clen, "leather.csv", &t), WIOT_OK, "%s",
                 wiot_errmsg(ctx));
    assert_same_table(ref, t);
    wiot_table_free(t);
    free(csv);

    /* a flipped bit in the data: the checksum error, naming the image, no table */
    img[len - 9] ^= 0x10;
    t = (wiot_table *)1;
    int rc = wiot_table_load_static(ctx, img, len, "img.wiot", &t);
    cr_assert_eq(rc, WIOT_EFORMAT);
    cr_assert_null(t);
    cr_assert(strncmp(wiot_errmsg(ctx), "img.wiot: ", 10) == 0, "%s", wiot_errmsg(ctx));
    cr_assert(strstr(wiot_errmsg(ctx), "checksum"), "%s", wiot_errmsg(ctx));

    cr_assert_eq(wiot_table_load_static(ctx, NULL, 10, "x", &t), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_table_load_static: data is NULL");
    cr_assert_eq(wiot_table_load_static(ctx, img, len, "x", NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_table_load_static(NULL, img, len, "x", &t), WIOT_EINVAL);
    free(img);
    free(b);
    wiot_table_free(ref);
    cr_assert_eq(remove_tmpdir(dir), 1);
    wiot_ctx_free(ctx);
}

/* ---------------------------------------------------------- bad files */
/* Truncated at every length: each is WIOT_EFORMAT with the file's name. */
Test(binary, truncated_at_every_length)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir(), path[512], msg[1024];
    snprintf(path, sizeof path, "%s/mb.wiot", dir);
    size_t len = 0;
    unsigned char *b = save_wiot(ctx, MB, path, &len, NULL);
    cr_assert_eq(len, 20496);
    for (size_t k = 0; k < len; k++) {
        const char *m = NULL;
        if (k == 0)
            m = "crafted.wiot: empty file";
        else if (k >= 4 && k < H_FIELDS)
            m = msg, snprintf(msg, sizeof msg, "crafted.wiot: truncated .wiot file: %zu bytes, "
                              "shorter than the 168-byte header", k);
        else if (k >= H_FIELDS)
            m = msg, snprintf(msg, sizeof msg, "crafted.wiot: truncated .wiot file: %zu of 20496 "
                              "bytes", k);
        expect_load_fail(ctx, b, k, NULL, WIOT_EFORMAT, m);
    }
    /* from files: every header field boundary, and around each section */
    size_t cuts[64], nc = 0;
    for (size_t k = 0; k <= H_FIELDS; k += 4)
        cuts[nc++] = k;
    for (int s = 0; s < 5; s++) {
        size_t o = get64(b, SEC_OFF(s)), l = get64(b, SEC_LEN(s));
        cuts[nc++] = o - 1;
        cuts[nc++] = o + 1;
        cuts[nc++] = o + l - 1;
    }
    char fpath[512];
    snprintf(fpath, sizeof fpath, "%s/cut.wiot", dir);
    for (size_t i = 0; i < nc; i++)
        expect_load_fail(ctx, b, cuts[i], fpath, WIOT_EFORMAT, NULL);
    free(b);
    remove_tmpdir(dir);
    wiot_ctx_free(ctx);
}

/* WIOD 2011 cut inside the data and at each section's boundaries (the file shrinks
 * in place, from the largest cut down). */
Test(binary, truncated_wiod)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir(), path[512], msg[1024];
    snprintf(path, sizeof path, "%s/w.wiot", dir);
    size_t len = 0;
    unsigned char *b = save_wiot(ctx, WIOD11, path, &len, NULL);
    size_t cuts[40], nc = 0;
    cuts[nc++] = len - 1;
    for (int s = 4; s >= 0; s--) {
        size_t o = get64(b, SEC_OFF(s)), l = get64(b, SEC_LEN(s));
        if (l)
            cuts[nc++] = o + l / 2;
        cuts[nc++] = o + 8;
        cuts[nc++] = o;
        cuts[nc++] = o - 1;
    }
    cuts[nc++] = H_FIELDS;
    cuts[nc++] = H_FIELDS - 1;
    cuts[nc++] = 100;
    cuts[nc++] = 8;
    for (size_t i = 0; i < nc; i++) {
        cr_assert_eq(truncate(path, (off_t)cuts[i]), 0);
        wiot_table *t = (wiot_table *)1;
        int rc = wiot_table_load(ctx, path, &t);
        cr_assert_eq(rc, WIOT_EFORMAT, "cut at %zu: rc %d (%s)", cuts[i], rc, wiot_errmsg(ctx));
        cr_assert_null(t);
        if (cuts[i] >= H_FIELDS)
            snprintf(msg, sizeof msg, "%s: truncated .wiot file: %zu of %zu bytes", path, cuts[i], len);
        else
            snprintf(msg, sizeof msg, "%s: truncated .wiot file: %zu bytes, shorter than the "
                     "168-byte header", path, cuts[i]);
        cr_assert_str_eq(wiot_errmsg(ctx), msg);
        cr_assert_eq(mappings_of(path), 0);
    }
    free(b);
    remove_tmpdir(dir);
    wiot_ctx_free(ctx);
}

/* One flipped bit anywhere: a clear error, never a table. */
Test(binary, flipped_bit_anywhere)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/mb.wiot", dir);
    size_t len = 0;
    unsigned char *b = save_wiot(ctx, MB, path, &len, NULL);
    for (size_t i = 0; i < len; i++) {
        b[i] ^= 0x10;
        const char *m = i >= 4 && i < 8 ? "crafted.wiot: not a .wiot file (bad magic bytes)" : NULL;
        wiot_table *t = (wiot_table *)1;
        int rc = wiot_table_load_buffer(ctx, b, len, "crafted.wiot", &t);
        REQUIRE(rc == WIOT_EFORMAT, "byte %zu: rc %d (%s)", i, rc, wiot_errmsg(ctx));
        REQUIRE(t == NULL, "byte %zu: a table", i);
        const char *e = wiot_errmsg(ctx);
        int ok;
        if (m)
            ok = strcmp(e, m) == 0;
        else if (i < 4)
            ok = strncmp(e, "crafted.wiot:1: bad header", 26) == 0;
        else if (i < 12)
            ok = strstr(e, "unsupported .wiot format version") != NULL;
        else if (i < 16)
            ok = strstr(e, "bad byte-order mark") != NULL;
        else if (i < H_FIELDS)
            ok = strncmp(e, "crafted.wiot: corrupt header: checksum mismatch", 47) == 0;
        else
            ok = strncmp(e, "crafted.wiot: checksum mismatch: the data are corrupt", 53) == 0;
        REQUIRE(ok, "byte %zu: %s", i, e);
        b[i] ^= 0x10;
    }
    /* the same from files, in the header, the labels and each matrix */
    size_t where[] = {5, 9, 13, 20, 60, 100, 150, 155, 165, 170, 4000, 4096, 4100,
                      get64(b, SEC_OFF(S_Z)) + 9, get64(b, SEC_OFF(S_F)) + 3,
                      get64(b, SEC_OFF(S_X)), get64(b, SEC_OFF(S_V)) + 15, len - 1};
    char fpath[512];
    snprintf(fpath, sizeof fpath, "%s/flip.wiot", dir);
    for (size_t k = 0; k < sizeof where / sizeof where[0]; k++) {
        b[where[k]] ^= 0x01;
        expect_load_fail(ctx, b, len, fpath, WIOT_EFORMAT, NULL);
        b[where[k]] ^= 0x01;
    }
    free(b);
    remove_tmpdir(dir);
    wiot_ctx_free(ctx);
}

Test(binary, flipped_bits_in_wiod)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/w.wiot", dir);
    size_t len = 0;
    unsigned char *b = save_wiot(ctx, WIOD11, path, &len, NULL);
    size_t where[] = {40, H_SIZE + 7, get64(b, SEC_OFF(S_Z)), get64(b, SEC_OFF(S_Z)) + len / 3,
                      get64(b, SEC_OFF(S_F)) + 1001, get64(b, SEC_OFF(S_X)) + 64,
                      get64(b, SEC_OFF(S_V)) + 7, len - 1};
    for (size_t k = 0; k < sizeof where / sizeof where[0]; k++) {
        b[where[k]] ^= 0x80;
        expect_load_fail(ctx, b, len, k % 2 ? path : NULL, WIOT_EFORMAT, NULL);
        b[where[k]] ^= 0x80;
    }
    free(b);
    remove_tmpdir(dir);
    wiot_ctx_free(ctx);
}

/* Crafted headers with valid checksums: every inconsistency is found before any
 * section is read. */
Test(binary, crafted_headers)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir(), path[512], fpath[512];
    snprintf(path, sizeof path, "%s/mb.wiot", dir);
    snprintf(fpath, sizeof fpath, "%s/crafted.wiot", dir);
    size_t len = 0;
    unsigned char *orig = save_wiot(ctx, MB, path, &len, NULL);
    unsigned char *b = malloc(len + 16);
    const uint64_t big = (uint64_t)1 << 40;
#define CASE(stmt, rc, msg)                                                 \
    do {                                                                    \
        memcpy(b, orig, len);                                               \
        size_t blen = len;                                                  \
        stmt;                                                               \
        reseal(b, blen);                                                    \
        expect_load_fail(ctx, b, blen, fpath, rc, msg);                     \
    } while (0)
#define M(text) "/crafted.wiot: " text
    char m[512];
#define E(text) (snprintf(m, sizeof m, "%s" M(text), dir), m)
    CASE(memcpy(b, "WIOT\0BIX", 8), WIOT_EFORMAT, E("not a .wiot file (bad magic bytes)"));
    CASE(put32(b, 8, 2), WIOT_EFORMAT,
         E("unsupported .wiot format version 2 (this library reads version 1)"));
    CASE(put32(b, 8, 0), WIOT_EFORMAT,
         E("unsupported .wiot format version 0 (this library reads version 1)"));
    CASE(put32(b, 12, 0x04030201u), WIOT_EFORMAT,
         E("the .wiot file was written on a machine of the other byte order"));
    CASE(put32(b, 12, 0), WIOT_EFORMAT, E("corrupt header: bad byte-order mark 0x00000000"));
    CASE(put64(b, 24, len + 8), WIOT_EFORMAT, E("truncated .wiot file: 20496 of 20504 bytes"));
    CASE(put64(b, 24, len - 8), WIOT_EFORMAT,
         E("8 bytes of trailing garbage after the 20488 bytes of the .wiot file"));
    CASE((memset(b + len, 0, 16), blen = len + 16), WIOT_EFORMAT,
         E("16 bytes of trailing garbage after the 20496 bytes of the .wiot file"));
    CASE(put64(b, 16, 100), WIOT_EFORMAT, E("corrupt header: header size 100"));
    CASE(put64(b, 16, len + 1), WIOT_EFORMAT, E("corrupt header: header size 20497"));
    CASE(put64(b, 64, 1), WIOT_EFORMAT, E("unsupported .wiot flags 0x1"));
    CASE(put64(b, 32, 0), WIOT_EFORMAT, E("corrupt header: 0 countries x 2 sectors"));
    CASE(put64(b, 40, 0), WIOT_EFORMAT, E("corrupt header: 1 countries x 0 sectors"));
    /* absurd dimensions: overflowing products, or more data than the file holds */
    CASE((put64(b, 32, (uint64_t)1 << 32), put64(b, 40, (uint64_t)1 << 32), put64(b, 56, 0)),
         WIOT_EFORMAT, E("corrupt header: dimensions 4294967296 countries x 4294967296 sectors "
                         "(n = 0) x 1 final-demand categories do not fit in 20496 bytes"));
    CASE((put64(b, 40, big), put64(b, 56, big)), WIOT_EFORMAT,
         E("corrupt header: dimensions 1 countries x 1099511627776 sectors (n = 1099511627776) "
           "x 1 final-demand categories do not fit in 20496 bytes"));
    CASE(put64(b, 56, 3), WIOT_EFORMAT,
         E("corrupt header: dimensions 1 countries x 2 sectors (n = 3) x 1 final-demand "
           "categories do not fit in 20496 bytes"));
    CASE((put64(b, 40, 100), put64(b, 56, 100)), WIOT_EFORMAT,
         E("corrupt header: dimensions 1 countries x 100 sectors (n = 100) x 1 final-demand "
           "categories do not fit in 20496 bytes"));
    CASE(put64(b, 48, UINT64_MAX), WIOT_EFORMAT,
         E("corrupt header: dimensions 1 countries x 2 sectors (n = 2) x 18446744073709551615 "
           "final-demand categories do not fit in 20496 bytes"));
    CASE(put64(b, 48, 2000), WIOT_EFORMAT,
         E("corrupt header: dimensions 1 countries x 2 sectors (n = 2) x 2000 final-demand "
           "categories do not fit in 20496 bytes"));
    CASE(put64(b, 48, 1000), WIOT_EFORMAT,   /* fits, but F is not that long */
         E("corrupt header: section 'F' has 16 bytes, expected 16000"));
    /* sections */
    CASE(put64(b, SEC_OFF(S_Z), UINT64_MAX - 7), WIOT_EFORMAT,
         E("corrupt header: section 'Z' (32 bytes at offset 18446744073709551608) extends past "
           "the end of the file (20496 bytes)"));
    CASE(put64(b, SEC_LEN(S_V), UINT64_MAX), WIOT_EFORMAT,
         E("corrupt header: section 'v' (18446744073709551615 bytes at offset 20480) extends "
           "past the end of the file (20496 bytes)"));
    CASE(put64(b, SEC_OFF(S_V), 20488), WIOT_EFORMAT,
         E("corrupt header: section 'v' (16 bytes at offset 20488) extends past the end of the "
           "file (20496 bytes)"));
    CASE(put64(b, SEC_OFF(S_LABELS), 100), WIOT_EFORMAT,
         E("corrupt header: section 'labels' at offset 100 overlaps the header"));
    CASE(put64(b, SEC_OFF(S_Z), 4096), WIOT_EFORMAT,
         E("corrupt header: section 'Z' at offset 4096 overlaps section 'labels'"));
    CASE(put64(b, SEC_OFF(S_X), 8200), WIOT_EFORMAT,
         E("corrupt header: section 'x' at offset 8200 overlaps section 'Z'"));   /* Z: 8192..8840 */
    CASE(put64(b, SEC_OFF(S_X), 12312), WIOT_EFORMAT,
         E("corrupt header: section 'x' at offset 12312 is not aligned to 64 bytes"));
    CASE(put64(b, SEC_LEN(S_Z), 24), WIOT_EFORMAT,
         E("corrupt header: section 'Z' has 24 bytes, expected 32"));
    CASE(put64(b, SEC_LEN(S_F), 0), WIOT_EFORMAT,
         E("corrupt header: section 'F' has 0 bytes, expected 16"));
    /* labels: count, termination, codes */
    CASE(put64(b, SEC_LEN(S_LABELS), get64(orig, SEC_LEN(S_LABELS)) + 1), WIOT_EFORMAT,
         E("corrupt labels: expected 4 NUL-terminated codes and a name, found 6 strings"));
    CASE(put64(b, SEC_LEN(S_LABELS), get64(orig, SEC_LEN(S_LABELS)) - 1), WIOT_EFORMAT,
         E("corrupt labels: expected 4 NUL-terminated codes and a name, found 4 strings and "
           "unterminated bytes"));
    CASE(put64(b, SEC_LEN(S_LABELS), 0), WIOT_EFORMAT,
         E("corrupt labels: expected 4 NUL-terminated codes and a name, found 0 strings"));
    CASE(b[H_SIZE + 4] = ',', WIOT_EFORMAT, E("corrupt labels: sector code 0 contains ','"));
    CASE(b[H_SIZE + 7] = '1', WIOT_EFORMAT, E("corrupt labels: duplicate sector code 's1'"));
    CASE(b[H_SIZE + 9] = '\n', WIOT_EFORMAT,
         E("corrupt labels: final-demand code 0 contains a control character"));
    CASE(b[H_SIZE] = '\0', WIOT_EFORMAT,
         E("corrupt labels: expected 4 NUL-terminated codes and a name, found 6 strings"));
#undef CASE
    free(b);
    free(orig);
    remove_tmpdir(dir);
    wiot_ctx_free(ctx);
}

/* Sealed files with bad data: the CSV loader's checks run on .wiot files too. */
Test(binary, crafted_data_get_the_csv_checks)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir(), path[512], fpath[512], m[1024];
    snprintf(path, sizeof path, "%s/mb.wiot", dir);
    snprintf(fpath, sizeof fpath, "%s/data.wiot", dir);
    size_t len = 0;
    unsigned char *orig = save_wiot(ctx, MB, path, &len, NULL);
    unsigned char *b = malloc(len);
    const size_t oz = get64(orig, SEC_OFF(S_Z)), ox = get64(orig, SEC_OFF(S_X)),
                 ov = get64(orig, SEC_OFF(S_V)), of = get64(orig, SEC_OFF(S_F));
#define SETD(off, val) do { double v_ = (val); memcpy(b + (off), &v_, 8); } while (0)
#define CASE(stmt, rc, text)                                              \
    do {                                                                  \
        memcpy(b, orig, len);                                             \
        stmt;                                                             \
        reseal(b, len);                                                   \
        snprintf(m, sizeof m, "%s: %s", fpath, text);                     \
        expect_load_fail(ctx, b, len, fpath, rc, NULL);                   \
        cr_assert_str_eq(wiot_errmsg(ctx), m);                            \
    } while (0)
    CASE(SETD(oz + 8, NAN), WIOT_EDATA, "column 'R1_s1': not a finite number nan in row 'R1_s2'");
    CASE(SETD(oz + 16, -500), WIOT_EDATA,
         "column 'R1_s2': negative intermediate flow -500 in row 'R1_s1'");
    CASE(SETD(of + 8, INFINITY), WIOT_EDATA, "column 'R1_F1': not a finite number in row 'R1_s2'");
    CASE(SETD(ox, -3), WIOT_EDATA, "column 'R1_s1': negative output -3");
    CASE(SETD(ox + 8, NAN), WIOT_EDATA, "column 'R1_s2': output is not a finite number");
    CASE(SETD(ox + 8, 550), WIOT_EDATA, "column 'R1_s2': column sum of A is 1.09091 >= 1 "
         "(negative value added): the table is not productive");
    CASE(SETD(ox + 8, 0), WIOT_EDATA,
         "column 'R1_s2': zero output but non-zero inputs (column sum of Z 600)");
    CASE(SETD(ov, 651), WIOT_EDATA, "column 'R1_s1': value added 651 in the file differs from "
         "output minus intermediate inputs 650");
    CASE(SETD(ov + 8, NAN), WIOT_EDATA, "column 'R1_s2': value added nan in the file differs "
         "from output minus intermediate inputs 1400");
#undef CASE
#undef SETD
    /* a sealed file with consistent new data loads */
    memcpy(b, orig, len);
    double z = 100, v = 700;   /* Z[0,0] 150 -> 100: v[0] 650 -> 700 */
    memcpy(b + oz, &z, 8);
    memcpy(b + ov, &v, 8);
    reseal(b, len);
    wiot_table *t = NULL;
    cr_assert_eq(wiot_table_load_buffer(ctx, b, len, "ok.wiot", &t), WIOT_OK, "%s", wiot_errmsg(ctx));
    cr_assert_eq(wiot_table_Z(t)[0], 100);
    cr_assert_eq(wiot_table_v(t)[0], 700);
    wiot_table_free(t);
    free(b);
    free(orig);
    remove_tmpdir(dir);
    wiot_ctx_free(ctx);
}

/* ------------------------------------------------------------- arguments */
/* writes a file's bytes into a FIFO (a thread: a forked writer would show its copy
 * of the test's heap as leaks under valgrind) */
typedef struct fifo_job {
    const char *path;
    const char *bytes;
    size_t len;
    int ok;
} fifo_job;

static void *fifo_writer(void *ud)
{
    fifo_job *j = ud;
    int fd = open(j->path, O_WRONLY);
    j->ok = fd >= 0 && write(fd, j->bytes, j->len) == (ssize_t)j->len;
    if (fd >= 0)
        j->ok &= close(fd) == 0;
    return NULL;
}

Test(binary, save_errors_and_arguments)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, MB);
    cr_assert_eq(wiot_table_save_binary(ctx, t, "/nonexistent-dir/x.wiot"), WIOT_EIO);
    cr_assert_str_eq(wiot_errmsg(ctx), "/nonexistent-dir/x.wiot: cannot create a temporary file: "
                     "No such file or directory");
    cr_assert_eq(wiot_table_save(ctx, t, "/nonexistent-dir/x.wiot"), WIOT_EIO);
    char *dir = make_tmpdir(), path[512], expect[600];
    /* renaming over a directory fails: the temporary file is removed */
    snprintf(path, sizeof path, "%s/sub.wiot", dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    cr_assert_eq(wiot_table_save(ctx, t, path), WIOT_EIO);
    snprintf(expect, sizeof expect, "%s: cannot rename the temporary file into place: Is a "
             "directory", path);
    cr_assert_str_eq(wiot_errmsg(ctx), expect);
    cr_assert_eq(count_files(dir), 1);
    rmdir(path);
    /* a .wiot that cannot be mapped (a pipe) is read and copied */
    snprintf(path, sizeof path, "%s/m.wiot", dir);
    cr_assert_eq(wiot_table_save(ctx, t, path), WIOT_OK, "%s", wiot_errmsg(ctx));
    size_t len = 0;
    char *bytes = test_slurp(path, &len), fifo[512];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    fifo_job job = {fifo, bytes, len, -1};
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, fifo_writer, &job), 0);
    wiot_table *u = test_load(ctx, fifo);
    cr_assert_eq(pthread_join(th, NULL), 0);
    cr_assert_eq(job.ok, 1);
    assert_same_table(t, u);
    wiot_table_free(u);
    free(bytes);
    cr_assert_eq(remove_tmpdir(dir), 2);

    cr_assert_eq(wiot_table_save_binary(ctx, NULL, "x.wiot"), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_table_save_binary: table is NULL");
    cr_assert_eq(wiot_table_save_binary(ctx, t, NULL), WIOT_EINVAL);
    cr_assert_eq(wiot_table_save_binary(ctx, t, ""), WIOT_EINVAL);
    cr_assert_str_eq(wiot_errmsg(ctx), "wiot_table_save_binary: empty or NULL path");
    cr_assert_eq(wiot_table_save_binary(NULL, t, "x.wiot"), WIOT_EINVAL);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

/* --------------------------------------------------- failing allocator */
/* Allocation k fails, k = 0, 1, ...: each failure is WIOT_ENOMEM with nothing left
 * allocated but the context, no mapping left, no file left behind. */
static void torture_load_wiot(const char *path, int from_buffer)
{
    size_t len = 0;
    char *bytes = from_buffer ? test_slurp(path, &len) : NULL;
    for (long k = 0;; k++) {
        test_alloc ta = {0, -1, 0};
        wiot_allocator a = test_allocator(&ta);
        wiot_ctx *ctx = NULL;
        cr_assert_eq(wiot_ctx_new_custom(&a, &ctx), WIOT_OK);
        ta.fail_at = ta.calls + k;
        wiot_table *t = (wiot_table *)1;
        int rc = from_buffer ? wiot_table_load_buffer(ctx, bytes, len, path, &t)
                             : wiot_table_load(ctx, path, &t);
        if (rc == WIOT_OK) {
            cr_assert(k > 3, "%s: only %ld allocations", path, k);
            wiot_table_free(t);
            cr_assert_eq(ta.live, 1);
            wiot_ctx_free(ctx);
            cr_assert_eq(ta.live, 0);
            break;
        }
        cr_assert_eq(rc, WIOT_ENOMEM, "%s, allocation %ld: rc %d (%s)", path, k, rc,
                     wiot_errmsg(ctx));
        cr_assert_null(t);
        cr_assert_neq(wiot_errmsg(ctx)[0], '\0');
        cr_assert_eq(ta.live, 1, "%s, allocation %ld: %ld blocks live", path, k, ta.live);
        cr_assert_eq(mappings_of(path), 0, "%s, allocation %ld: mapping left", path, k);
        wiot_ctx_free(ctx);
        cr_assert_eq(ta.live, 0);
    }
    free(bytes);
}

Test(binary, failing_allocator_load_and_save)
{
    wiot_ctx *ctx = test_ctx();
    char *dir = make_tmpdir(), path[512], wpath[512];
    snprintf(path, sizeof path, "%s/leather.wiot", dir);
    snprintf(wpath, sizeof wpath, "%s/wiot_2011.wiot", dir);
    wiot_table *src = test_load(ctx, LEATHER);
    free(save_wiot(ctx, WIOD11, wpath, NULL, NULL));
    cr_assert_eq(wiot_table_save(ctx, src, path), WIOT_OK);
    torture_load_wiot(path, 0);
    torture_load_wiot(path, 1);
    torture_load_wiot(wpath, 0);
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(unlink(wpath), 0);
    /* save: a failed allocation leaves no file */
    for (long k = 0;; k++) {
        test_alloc ta = {0, -1, 0};
        wiot_allocator a = test_allocator(&ta);
        wiot_ctx *c2 = NULL;
        cr_assert_eq(wiot_ctx_new_custom(&a, &c2), WIOT_OK);
        ta.fail_at = ta.calls + k;
        int rc = wiot_table_save_binary(c2, src, path);
        cr_assert(rc == WIOT_OK || rc == WIOT_ENOMEM, "allocation %ld: %d (%s)", k, rc,
                  wiot_errmsg(c2));
        cr_assert_eq(ta.live, 1, "allocation %ld: %ld live", k, ta.live);
        wiot_ctx_free(c2);
        cr_assert_eq(ta.live, 0);
        if (rc == WIOT_OK)
            break;
        cr_assert_eq(count_files(dir), 0, "allocation %ld: a file was left behind", k);
    }
    wiot_table *back = test_load(ctx, path);
    assert_same_table(src, back);
    wiot_table_free(back);
    wiot_table_free(src);
    cr_assert_eq(remove_tmpdir(dir), 1);
    wiot_ctx_free(ctx);
}
