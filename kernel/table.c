/* table.c -- input-output tables: load (wide CSV, plain or gzip, or the binary .wiot
 * format), build from arrays, validate, save, and the read-only accessors.
 *
 * Layout: shared/data/README.md §1. Line 1 is "country,sector," + n labels "{C}_{S}"
 * + C*K labels "{C}_{fd}" + "GO"; then n data rows "{C},{S}," Z[i,:] F[i,:] x[i];
 * then "TOT,VA," v, zeros, 0; last "TOT,GO," x, column sums of F, sum of x.
 *
 * Loading is one pass over the text after it is in memory (gzip is inflated through
 * the context's allocator): a memchr pass splits lines, the labels are checked, then
 * each cell is converted by a hand-written parser that is exact (Clinger's fast path:
 * mantissa <= 2^53 and |exponent| <= 22 gives the correctly rounded double with one
 * IEEE multiply or divide) and hands anything else to strtod in the C locale.
 *
 * Accepted beyond the strict layout: "\r\n" line ends, a missing final newline, trailing
 * empty lines, and gzip files of several members. Refused in cells: empty ones, spaces, "nan",
 * "inf", hex floats and any other text strtod would take but the grammar
 * [+-]digits[.digits][(e|E)[+-]digits] does not.
 *
 * Order of the checks (the first failure is reported): text (gzip, empty), header,
 * field counts of the label columns, TOT rows, row labels (country blocks, sectors),
 * header labels, cells (ragged rows, numbers) in file order, then the data: x >= 0,
 * Z >= 0, F finite, the VA and GO rows, zero-output columns, column sums of A < 1.
 *
 * Speed (WIOD 2011, 4.96 MB of text, 2.36 M cells, one core): about 530 MB/s from a
 * plain buffer and 290 MB/s from gzip (inflate included) once the process's memory is
 * warm; a first load in a fresh process also pays the kernel's page zeroing for the
 * 18 MB of matrices.
 *
 * A file that starts with "WIOT" is a binary .wiot table (section "binary (.wiot)"
 * below: layout, checks, the kept mapping); from memory, and after inflating gzip
 * bytes, the same content test applies, and the data are copied.
 *
 * Saving writes integers below 1e15 as integers and other values in the shortest of
 * %.15g/%.16g/%.17g that reads back to the same bits, so load -> save -> load is exact
 * (a saved WIOD table is byte-identical to the source text).
 *
 * Messages: "<file>:<line>: <problem>" or "<file>:<line>: column '<label>': <problem>";
 * problems not tied to a line (gzip, empty file, I/O) read "<file>: <problem>".
 * Tables built by wiot_table_new use "<name>: column '<label>': <problem>".
 *
 * Ownership: every block of a table comes from the context's allocator and is
 * released with the table's copy of it. The code strings live in one block whose
 * start is t->country (pointer arrays country | sector | fdcat, then the text).
 */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define WI_WARN_MAX 4                  /* room for warnings (two kinds exist) */
#define WI_IO_CHUNK ((size_t)1 << 20)  /* read/write granularity */
#define WI_QUOTE_MAX 40                /* characters of file text quoted in messages */
#define WI_LABEL_MAX 256               /* label buffer for messages */
#define WI_TOL 1e-8                    /* relative tolerance of the VA and GO rows */
/* gzip level 6: WIOD 2011 saves in 0.2 s to 649 kB; level 9 takes 1.3 s for 612 kB. */
#define WI_GZ_MODE "wb6"

/* ------------------------------------------------------------ small helpers */
size_t wi_table_find(char *const *codes, size_t count, const char *code)
{
    if (!codes || !code)
        return (size_t)-1;
    for (size_t i = 0; i < count; i++)
        if (strcmp(codes[i], code) == 0)
            return i;
    return (size_t)-1;
}

static const char *wi_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* First run of exactly four digits 19xx or 20xx in the base name, else 0. */
static int wi_year_of(const char *base)
{
    const char *p = base;
    while (*p) {
        if (*p >= '0' && *p <= '9') {
            const char *q = p;
            while (*q >= '0' && *q <= '9')
                q++;
            if (q - p == 4 && ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')))
                return (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
            p = q;
        } else {
            p++;
        }
    }
    return 0;
}

/* Copy up to WI_QUOTE_MAX bytes of file text for a message, non-printables as '?'. */
static const char *wi_quote(char *buf, const char *s, size_t len)
{
    size_t k = len < WI_QUOTE_MAX ? len : WI_QUOTE_MAX;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[i] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
    }
    if (k < len) {
        memcpy(buf + k, "...", 4);
    } else {
        buf[k] = '\0';
    }
    return buf;
}

/* A code may not be empty nor hold ',', '"' or control characters. */
const char *wi_code_problem(const char *s, size_t len)
{
    if (len == 0)
        return "is empty";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',')
            return "contains ','";
        if (c == '"')
            return "contains '\"'";
        if (c < 0x20 || c == 0x7f)
            return "contains a control character";
    }
    return NULL;
}

/* "<name>:<line>: <text>", or "<name>: <text>" when line is 0. */
static int wi_msg(wiot_ctx *ctx, int rc, const char *name, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int wi_msg(wiot_ctx *ctx, int rc, const char *name, size_t line, const char *fmt, ...)
{
    char buf[WI_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (line)
        return wi_error(ctx, rc, "%s:%zu: %s", name, line, buf);
    return wi_error(ctx, rc, "%s: %s", name, buf);
}

/* Label of value column j: country-sector, country-fd, or "GO". */
static const char *wi_col_label(const wiot_table *t, size_t j, char *buf)
{
    if (j < t->n)
        snprintf(buf, WI_LABEL_MAX, "%s_%s", t->country[j / t->S], t->sector[j % t->S]);
    else if (j < t->n + t->C * t->K)
        snprintf(buf, WI_LABEL_MAX, "%s_%s", t->country[(j - t->n) / t->K],
                 t->fdcat[(j - t->n) % t->K]);
    else
        snprintf(buf, WI_LABEL_MAX, "GO");
    return buf;
}

/* ------------------------------------------------------- table allocation */
static void wi_table_release(wiot_table *t)
{
    if (!t)
        return;
    const wiot_allocator a = t->a;
    wi_hfree(&a, t->country);   /* the label block: country | sector | fdcat | text */
    if (t->map) {
        munmap(t->map, t->map_len);   /* Z, F and x live in the mapped .wiot file */
    } else if (!t->borrowed) {
        wi_hfree(&a, t->Z);
        wi_hfree(&a, t->F);
        wi_hfree(&a, t->x);
    }
    wi_hfree(&a, t->v);
    wi_hfree(&a, t->name);
    if (t->warn)
        for (size_t i = 0; i < t->check.warnings; i++)
            wi_hfree(&a, t->warn[i]);
    wi_hfree(&a, t->warn);
    wi_hfree(&a, t);
}

void wiot_table_free(wiot_table *t) { wi_table_release(t); }


/* The table's memory, refused before anything is allocated when it overflows size_t
 * (WIOT_ETOOLARGE) or exceeds the context's cap (WIOT_ENOMEM, with the size needed):
 * 8 (n^2 + n C K + 2n) bytes for Z, F, x and v. */
static int wi_table_need(wiot_ctx *ctx, const char *name, size_t C, size_t S, size_t K)
{
    size_t n, CK, nn, nf, tot;
    if (wi_mul(NULL, C, S, &n))
        return wi_msg(ctx, WIOT_ETOOLARGE, name, 0, "the table's size overflows: %zu countries "
                      "x %zu sectors", C, S);
    if (wi_mul(NULL, C, K, &CK) || wi_mul(NULL, n, n, &nn) || wi_mul(NULL, n, CK, &nf) ||
        wi_add(NULL, nn, nf, &tot) || wi_add(NULL, tot, n, &tot) || wi_add(NULL, tot, n, &tot) ||
        wi_mul(NULL, tot, sizeof(double), &tot))
        return wi_msg(ctx, WIOT_ETOOLARGE, name, 0, "the table's size overflows: n = %zu "
                      "country-sectors (C = %zu, S = %zu, K = %zu)", n, C, S, K);
    char what[WI_LABEL_MAX + 16];
    snprintf(what, sizeof what, "%s: the table", name);
    return wi_budget(ctx, tot, what, "n = %zu, C = %zu, S = %zu, K = %zu", n, C, S, K);
}

/* The table, its numeric arrays and its name. Dimensions already validated >= 1.
 * data == 0: Z, F and x are left NULL for the caller to point into a mapping. */
static int wi_table_alloc(wiot_ctx *ctx, size_t C, size_t S, size_t K, const char *name,
                          int data, wiot_table **out)
{
    size_t n, CK, nn, nf;
    int rc;
    if ((rc = wi_mul(ctx, C, S, &n)) || (rc = wi_mul(ctx, C, K, &CK)) ||
        (rc = wi_mul(ctx, n, n, &nn)) || (rc = wi_mul(ctx, n, CK, &nf)) ||
        (rc = wi_mul(ctx, nn, sizeof(double), &nn)) || (rc = wi_mul(ctx, nf, sizeof(double), &nf)))
        return rc;
    wiot_table *t = wi_calloc(ctx, 1, sizeof *t);
    if (!t)
        return WIOT_ENOMEM;
    t->a = ctx->a;
    t->C = C;
    t->S = S;
    t->K = K;
    t->n = n;
    int ok = 1;
    if (data) {
        t->Z = wi_dalloc(ctx, n * n);
        if (t->Z && CK)
            t->F = wi_dalloc(ctx, n * CK);
        if (t->Z && (t->F || !CK))
            t->x = wi_dalloc(ctx, n);
        ok = t->x != NULL;
    }
    if (ok)
        t->v = wi_dalloc(ctx, n);
    if (t->v)
        t->name = wi_strdup(ctx, wi_basename(name));
    if (!t->name) {
        wi_table_release(t);
        return WIOT_ENOMEM;
    }
    t->year = wi_year_of(t->name);
    *out = t;
    return WIOT_OK;
}

/* One block for all codes: pointer arrays then the strings. len[] holds C+S+K lengths,
 * src[] the code texts (not NUL-terminated). */
static int wi_labels_alloc(wiot_ctx *ctx, wiot_table *t, const char *const *src,
                           const size_t *len)
{
    size_t cnt = t->C + t->S + t->K, bytes = cnt * sizeof(char *);
    for (size_t i = 0; i < cnt; i++)
        bytes += len[i] + 1;
    char **p = wi_alloc(ctx, bytes);
    if (!p)
        return WIOT_ENOMEM;
    char *s = (char *)(p + cnt);
    for (size_t i = 0; i < cnt; i++) {
        p[i] = s;
        memcpy(s, src[i], len[i]);
        s[len[i]] = '\0';
        s += len[i] + 1;
    }
    t->country = p;
    t->sector = p + t->C;
    t->fdcat = p + t->C + t->S;
    return WIOT_OK;
}

static int wi_warn(wiot_ctx *ctx, wiot_table *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int wi_warn(wiot_ctx *ctx, wiot_table *t, const char *fmt, ...)
{
    if (t->check.warnings >= WI_WARN_MAX)
        return WIOT_OK;
    if (!t->warn) {
        t->warn = wi_calloc(ctx, WI_WARN_MAX, sizeof(char *));
        if (!t->warn)
            return WIOT_ENOMEM;
    }
    char buf[WI_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *w = wi_strdup(ctx, buf);
    if (!w)
        return WIOT_ENOMEM;
    t->warn[t->check.warnings++] = w;
    return WIOT_OK;
}

/* ------------------------------------------------------------- validation */
/* Checks shared by the loader and wiot_table_new. t has labels, Z, F and x; fills v
 * and check. va and go are the file's TOT,VA and TOT,GO rows (n + C*K + 1 values) or
 * NULL; with lines set, row i is reported at line i+2, the VA row at n+2, GO at n+3. */
static int wi_validate(wiot_ctx *ctx, wiot_table *t, const char *name, int lines,
                       const double *va, const double *go)
{
    const size_t n = t->n, CK = t->C * t->K;
    const double *Z = t->Z, *F = t->F, *x = t->x;
    double *colsum = t->v;   /* column sums of Z first; v at the end */
    char lab[WI_LABEL_MAX], lab2[WI_LABEL_MAX];
    wiot_check *ck = &t->check;
    int rc = WIOT_OK;

    /* gross output */
    double total_x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return wi_msg(ctx, WIOT_EDATA, name, lines ? i + 2 : 0,
                          "column '%s': output is not a finite number", wi_col_label(t, i, lab));
        if (x[i] < 0)
            return wi_msg(ctx, WIOT_EDATA, name, lines ? i + 2 : 0,
                          "column '%s': negative output %.15g", wi_col_label(t, i, lab), x[i]);
        total_x += x[i];
    }

    /* scratch: row sums of Z and F, and a flag per row: any non-zero entry */
    double *rs = wi_calloc(ctx, n, sizeof(double) + 1);
    if (!rs)
        return WIOT_ENOMEM;
    unsigned char *nz = (unsigned char *)(rs + n);

    /* Z: non-negative and finite; column sums (four partial sums, a fixed order) and
     * row sums, one contiguous pass over each column. NaN fails z >= 0; an infinite
     * entry makes the column sum infinite. */
    for (size_t j = 0; j < n; j++) {
        const double *zc = Z + j * n;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int ok = 1;
        size_t i = 0;
        for (; i + 4 <= n; i += 4) {
            double z0 = zc[i], z1 = zc[i + 1], z2 = zc[i + 2], z3 = zc[i + 3];
            ok &= (z0 >= 0) & (z1 >= 0) & (z2 >= 0) & (z3 >= 0);
            s0 += z0;
            s1 += z1;
            s2 += z2;
            s3 += z3;
            rs[i] += z0;
            rs[i + 1] += z1;
            rs[i + 2] += z2;
            rs[i + 3] += z3;
        }
        for (; i < n; i++) {
            ok &= zc[i] >= 0;
            s0 += zc[i];
            rs[i] += zc[i];
        }
        double s = (s0 + s1) + (s2 + s3);
        if (!ok || !(s <= DBL_MAX)) {
            for (i = 0; i < n; i++) {
                double z = zc[i];
                if (z >= 0 && z <= DBL_MAX)
                    continue;
                if (lines)
                    rc = wi_msg(ctx, WIOT_EDATA, name, i + 2, "column '%s': %s %.15g",
                                wi_col_label(t, j, lab),
                                isfinite(z) ? "negative intermediate flow" : "not a finite number", z);
                else
                    rc = wi_msg(ctx, WIOT_EDATA, name, 0, "column '%s': %s %.15g in row '%s'",
                                wi_col_label(t, j, lab),
                                isfinite(z) ? "negative intermediate flow" : "not a finite number", z,
                                wi_col_label(t, i, lab2));
                goto done;
            }
            rc = wi_msg(ctx, WIOT_EDATA, name, 0, "column '%s': the column sum of Z overflows",
                        wi_col_label(t, j, lab));
            goto done;
        }
        colsum[j] = s;
    }
    for (size_t i = 0; i < n; i++)
        nz[i] = rs[i] != 0;   /* Z >= 0: a row sum is 0 only for a row of zeros */

    /* F: finite; negative entries are legal (inventories) and counted */
    size_t negf = 0;
    double total_f = 0;
    for (size_t q = 0; q < CK; q++) {
        const double *fc = F + q * n;
        double s = 0;
        int ok = 1;
        for (size_t i = 0; i < n; i++) {
            double f = fc[i];
            ok &= (f >= -DBL_MAX) & (f <= DBL_MAX);
            negf += f < 0;
            s += f;
            rs[i] += f;
            nz[i] |= f != 0;
        }
        total_f += s;
        if (ok)
            continue;
        for (size_t i = 0; i < n; i++) {
            if (isfinite(fc[i]))
                continue;
            if (lines)
                rc = wi_msg(ctx, WIOT_EDATA, name, i + 2, "column '%s': not a finite number",
                            wi_col_label(t, n + q, lab));
            else
                rc = wi_msg(ctx, WIOT_EDATA, name, 0, "column '%s': not a finite number in row '%s'",
                            wi_col_label(t, n + q, lab), wi_col_label(t, i, lab2));
            goto done;
        }
    }

    /* the file's VA and GO rows against the data */
    if (va) {
        for (size_t j = 0; j < n; j++) {
            double vj = x[j] - colsum[j];
            double tol = WI_TOL * fmax(fmax(x[j], colsum[j]), 1.0);
            if (fabs(va[j] - vj) > tol) {
                rc = wi_msg(ctx, WIOT_EDATA, name, n + 2,
                            "column '%s': value added %.15g in the TOT,VA row differs from "
                            "output minus intermediate inputs %.15g - %.15g = %.15g",
                            wi_col_label(t, j, lab), va[j], x[j], colsum[j], vj);
                goto done;
            }
        }
        for (size_t j = n; j <= n + CK; j++)
            if (va[j] != 0) {
                rc = wi_msg(ctx, WIOT_EDATA, name, n + 2,
                            "column '%s': the TOT,VA row must be 0 outside the intermediate "
                            "columns, got %.15g", wi_col_label(t, j, lab), va[j]);
                goto done;
            }
    }
    if (go) {
        for (size_t j = 0; j < n; j++) {
            double tol = WI_TOL * fmax(fmax(x[j], colsum[j]), 1.0);
            if (fabs(go[j] - x[j]) > tol) {
                rc = wi_msg(ctx, WIOT_EDATA, name, n + 3,
                            "column '%s': total %.15g in the TOT,GO row differs from the "
                            "output %.15g (column 'GO' of line %zu)",
                            wi_col_label(t, j, lab), go[j], x[j], j + 2);
                goto done;
            }
        }
        for (size_t q = 0; q < CK; q++) {
            const double *fc = F + q * n;
            double s = 0, sa = 0;
            for (size_t i = 0; i < n; i++) {
                s += fc[i];
                sa += fabs(fc[i]);
            }
            if (fabs(go[n + q] - s) > WI_TOL * fmax(sa, 1.0)) {
                rc = wi_msg(ctx, WIOT_EDATA, name, n + 3,
                            "column '%s': total %.15g in the TOT,GO row differs from the "
                            "column's sum %.15g", wi_col_label(t, n + q, lab), go[n + q], s);
                goto done;
            }
        }
        if (fabs(go[n + CK] - total_x) > WI_TOL * fmax(total_x, 1.0)) {
            rc = wi_msg(ctx, WIOT_EDATA, name, n + 3,
                        "column 'GO': total %.15g in the TOT,GO row differs from the sum of "
                        "outputs %.15g", go[n + CK], total_x);
            goto done;
        }
    }

    /* columns: zero output must mean no inputs; column sums of A below 1 */
    double max_a = 0;
    size_t max_col = 0;
    for (size_t j = 0; j < n; j++) {
        if (x[j] == 0) {
            if (colsum[j] != 0) {
                rc = wi_msg(ctx, WIOT_EDATA, name, lines ? n + 3 : 0,
                            "column '%s': zero output but non-zero inputs (column sum of Z "
                            "%.15g)", wi_col_label(t, j, lab), colsum[j]);
                goto done;
            }
            continue;
        }
        double a = colsum[j] / x[j];
        if (colsum[j] >= x[j]) {
            rc = wi_msg(ctx, WIOT_EDATA, name, lines ? n + 2 : 0,
                        "column '%s': column sum of A is %.6g >= 1 (negative value added): "
                        "the table is not productive", wi_col_label(t, j, lab), a);
            goto done;
        }
        if (a > max_a) {
            max_a = a;
            max_col = j;
        }
    }

    /* everything is valid: v, the row identity and the report */
    double total_v = 0;
    for (size_t j = 0; j < n; j++) {
        t->v[j] = x[j] - colsum[j];
        total_v += t->v[j];
    }
    size_t off = 0, worst = 0, zero = 0, zero_ent = 0, zero_first = 0;
    double sum_d = 0, worst_d = 0;
    for (size_t i = 0; i < n; i++) {
        double d = rs[i] - x[i];
        sum_d += d;
        if (fabs(d) > fabs(worst_d)) {
            worst_d = d;
            worst = i;
        }
        if (fabs(d) > fmax(ctx->row_tol_abs, ctx->row_tol_rel * x[i]))
            off++;
        if (x[i] == 0) {
            if (nz[i] && zero_ent++ == 0)
                zero_first = i;
            zero++;
        }
    }
    ck->rows_off = off;
    ck->worst_row = worst;
    ck->worst_row_diff = worst_d;
    ck->mean_row_diff = sum_d / (double)n;
    ck->row_tol_rel = ctx->row_tol_rel;
    ck->row_tol_abs = ctx->row_tol_abs;
    ck->zero_output = zero;
    ck->zero_output_with_entries = zero_ent;
    ck->negative_final = negf;
    ck->max_colsum_A = max_a;
    ck->max_colsum_col = max_col;
    ck->total_output = total_x;
    ck->total_v = total_v;
    ck->total_final = total_f;
    ck->warnings = 0;

    if (off) {
        char where[64] = "";
        if (lines)
            snprintf(where, sizeof where, " (line %zu)", worst + 2);
        rc = wi_warn(ctx, t,
                     "%s: row identity off by more than max(%g, %g*x) in %zu of %zu rows; "
                     "worst: row '%s'%s: %.15g (x = %.15g)",
                     name, ctx->row_tol_abs, ctx->row_tol_rel, off, n,
                     wi_col_label(t, worst, lab), where, worst_d, x[worst]);
        if (rc)
            goto done;
    }
    if (zero_ent) {
        char where[64] = "";
        if (lines)
            snprintf(where, sizeof where, ", line %zu", zero_first + 2);
        rc = wi_warn(ctx, t,
                     "%s: %zu row%s with zero output still hold%s non-zero entries (first: "
                     "row '%s'%s)", name, zero_ent, zero_ent == 1 ? "" : "s",
                     zero_ent == 1 ? "s" : "", wi_col_label(t, zero_first, lab), where);
        if (rc)
            goto done;
    }
done:
    wi_free(ctx, rs);
    return rc;
}

static void wi_log_warnings(wiot_ctx *ctx, const wiot_table *t)
{
    for (size_t i = 0; i < t->check.warnings; i++)
        wi_log(ctx, WIOT_LOG_WARN, "%s", t->warn[i]);
}

/* ------------------------------------------------------------ input bytes */
static voidpf wi_zalloc(voidpf opaque, uInt items, uInt size)
{
    size_t total;
    if (wi_mul(opaque, items, size, &total))
        return Z_NULL;
    return wi_alloc(opaque, total);
}

static void wi_zfree(voidpf opaque, voidpf p) { wi_free(opaque, p); }

#define WI_STOP (-1)                   /* wi_grow: stop, the text so far is refused anyway */
#define WI_LINE1_MAX ((size_t)64 << 20)  /* longest first line (header) read */
#define WI_FIRST_MAX ((size_t)16 << 20)  /* most inflated before wi_grow's first checks */

/* Grow a buffer of text being read or inflated (len bytes in it, all of cap used).
 * Limits, so that a gzip bomb or an endless device is refused after a bounded amount
 * (checked at each growth, so the buffer never exceeds twice the text):
 *  - the context's memory cap (WIOT_OPT_MAX_MEMORY, or the memory available);
 *  - text that is neither gzip nor .wiot and does not start "country,sector," is not
 *    read further (WI_STOP): the parser refuses its header with the usual message;
 *  - a first line longer than WI_LINE1_MAX is no table header;
 *  - once line 1 (f fields, h bytes) is complete, the text holds at most f lines of
 *    at most 32 h bytes each (the n + 2 rows have the header's f fields, a number
 *    has at most 25 characters where a label has at least 3 and a comma).
 * kind names the text in messages ("the file", "the inflated text"). */
static int wi_grow(wiot_ctx *ctx, const char *name, const char *kind, char **buf, size_t len,
                   size_t *cap)
{
    const char *b = *buf;
    char b1[64], b2[32];
    if (!(len >= 2 && (unsigned char)b[0] == 0x1f && (unsigned char)b[1] == 0x8b) &&
        !(len >= 8 && memcmp(b, "WIOT\0BIN", 8) == 0)) {
        static const char pre[] = "country,sector,";
        if (memcmp(b, pre, len < sizeof pre - 1 ? len : sizeof pre - 1) != 0)
            return WI_STOP;
        const char *nl = memchr(b, '\n', len);
        if (!nl && len >= WI_LINE1_MAX)
            return wi_msg(ctx, WIOT_EFORMAT, name, 1, "line 1 is longer than %s without a "
                          "line end: not a table header", wi_bytes_str(b1, sizeof b1,
                          (double)WI_LINE1_MAX));
        if (nl) {
            size_t f = 1;
            for (const char *p = b; p < nl; p++)
                f += *p == ',';
            double most = (double)f * 32.0 * (double)(nl - b + 1) + 65536.0;
            if ((double)len > most)
                return wi_msg(ctx, WIOT_EFORMAT, name, 0, "%s is longer than a table with the "
                              "%zu columns of line 1 can be (more than %s)", kind, f,
                              wi_bytes_str(b1, sizeof b1, most));
        }
    }
    size_t lim = wi_mem_cap(ctx);
    if (*cap >= lim) {
        wi_bytes_str(b1, sizeof b1, (double)*cap);
        wi_bytes_str(b2, sizeof b2, (double)lim);
        if (ctx->max_memory && ctx->max_memory <= ctx->mem_avail)
            return wi_msg(ctx, WIOT_ENOMEM, name, 0, "%s needs more than %s but the memory "
                          "limit is %s", kind, b1, b2);
        return wi_msg(ctx, WIOT_ENOMEM, name, 0, "%s needs more than %s but only %s of memory "
                      "is available", kind, b1, b2);
    }
    if (*cap > SIZE_MAX / 2)
        return wi_error(ctx, WIOT_ETOOLARGE, "input larger than %zu bytes", *cap);
    size_t nc = *cap * 2 < lim ? *cap * 2 : lim;
    char *nb = wi_alloc(ctx, nc);
    if (!nb)
        return WIOT_ENOMEM;
    memcpy(nb, *buf, len);
    wi_free(ctx, *buf);
    *buf = nb;
    *cap = nc;
    return WIOT_OK;
}

/* Inflate gzip bytes (several members allowed) into a new block. */
static int wi_gunzip(wiot_ctx *ctx, const char *name, const unsigned char *in, size_t inlen,
                     char **out, size_t *outlen)
{
    /* The trailer's ISIZE (size mod 2^32) is only a hint; deflate expands <= 1032:1. */
    size_t cap = inlen < ((size_t)1 << 16) ? ((size_t)1 << 16) : inlen * 4;
    if (inlen >= 18) {
        const unsigned char *e = in + inlen - 4;
        size_t hint = (size_t)e[0] | (size_t)e[1] << 8 | (size_t)e[2] << 16 | (size_t)e[3] << 24;
        if (hint > 0 && hint / 1032 <= inlen)
            cap = hint + 1;
    }
    if (cap > WI_FIRST_MAX)
        cap = WI_FIRST_MAX;      /* a bomb's ISIZE is honest too: grow through wi_grow's checks */
    if (cap > wi_mem_cap(ctx))
        cap = wi_mem_cap(ctx);   /* wi_grow reports the limit */
    char *buf = wi_alloc(ctx, cap);
    if (!buf)
        return WIOT_ENOMEM;
    z_stream z;
    memset(&z, 0, sizeof z);
    z.zalloc = wi_zalloc;
    z.zfree = wi_zfree;
    z.opaque = ctx;
    int zr = inflateInit2(&z, 15 + 32);
    if (zr != Z_OK) {
        wi_free(ctx, buf);
        if (zr == Z_MEM_ERROR)
            return wi_msg(ctx, WIOT_ENOMEM, name, 0, "out of memory starting zlib");
        return wi_msg(ctx, WIOT_EFORMAT, name, 0, "zlib error %d", zr);
    }
    size_t pos = 0, len = 0;
    int rc = WIOT_OK;
    for (;;) {
        if (len == cap && (rc = wi_grow(ctx, name, "the inflated text", &buf, len, &cap)))
            break;
        size_t ai = inlen - pos < UINT_MAX ? inlen - pos : UINT_MAX;
        size_t ao = cap - len < UINT_MAX ? cap - len : UINT_MAX;
        z.next_in = (Bytef *)(uintptr_t)(in + pos);
        z.avail_in = (uInt)ai;
        z.next_out = (Bytef *)(buf + len);
        z.avail_out = (uInt)ao;
        zr = inflate(&z, Z_NO_FLUSH);
        pos += ai - z.avail_in;
        len += ao - z.avail_out;
        if (zr == Z_STREAM_END) {
            if (pos == inlen)
                break;
            if (inlen - pos >= 2 && in[pos] == 0x1f && in[pos + 1] == 0x8b) {
                inflateReset(&z);   /* the next member of a concatenation */
                continue;
            }
            rc = wi_msg(ctx, WIOT_EFORMAT, name, 0, "%zu bytes of trailing garbage after the "
                        "gzip stream", inlen - pos);
            break;
        }
        if (zr == Z_OK)
            continue;
        if (zr == Z_BUF_ERROR && pos < inlen && len == cap)
            continue;
        if (zr == Z_BUF_ERROR)
            rc = wi_msg(ctx, WIOT_EFORMAT, name, 0,
                        "truncated gzip stream (it ends after %zu bytes of text)", len);
        else if (zr == Z_MEM_ERROR)
            rc = wi_msg(ctx, WIOT_ENOMEM, name, 0, "out of memory in zlib");
        else
            rc = wi_msg(ctx, WIOT_EFORMAT, name, 0, "corrupt gzip stream: %s",
                        z.msg ? z.msg : "invalid data");
        break;
    }
    inflateEnd(&z);
    if (rc == WI_STOP)
        rc = WIOT_OK;   /* not a table: what was inflated shows it */
    if (rc) {
        wi_free(ctx, buf);
        return rc;
    }
    *out = buf;
    *outlen = len;
    return WIOT_OK;
}

/* Read all of fd (opened from path; st from fstat or NULL) into a new block; closes fd. */
static int wi_read_fd(wiot_ctx *ctx, const char *path, int fd, const struct stat *st,
                      char **out, size_t *outlen)
{
    char eb[128];
    size_t cap = WI_IO_CHUNK;
    if (st && S_ISREG(st->st_mode) && st->st_size >= 0 &&
        (unsigned long long)st->st_size < SIZE_MAX - 1)
        cap = (size_t)st->st_size + 1;   /* + 1: EOF is seen without growing */
    char *buf = wi_alloc(ctx, cap);
    if (!buf) {
        close(fd);
        return WIOT_ENOMEM;
    }
    size_t len = 0;
    int rc = WIOT_OK;
    for (;;) {
        if (len == cap && (rc = wi_grow(ctx, path, "the file", &buf, len, &cap)))
            break;
        size_t want = cap - len < WI_IO_CHUNK * 64 ? cap - len : WI_IO_CHUNK * 64;
        ssize_t r = read(fd, buf + len, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = wi_msg(ctx, WIOT_EIO, path, 0, "read error: %s", strerror_r(errno, eb, sizeof eb));
            break;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (rc == WI_STOP)
        rc = WIOT_OK;   /* not a table: what was read shows it */
    if (rc) {
        wi_free(ctx, buf);
        return rc;
    }
    *out = buf;
    *outlen = len;
    return WIOT_OK;
}

/* ------------------------------------------------------- binary (.wiot) */
/* The .wiot layout (version 1). Integers are unsigned, in the writer's byte order
 * (marked by the byte-order field; this library reads only its own order, i.e.
 * little-endian on every machine it is built for), doubles are IEEE 754 binary64 in
 * the same order.
 *
 *   offset  bytes  field
 *        0      8  magic "WIOT\0BIN"
 *        8      4  format version (1)
 *       12      4  byte-order mark 0x01020304
 *       16      8  header size H (4096: the first section starts on a page)
 *       24      8  file size in bytes
 *       32     32  C, S, K, n = C*S
 *       64      8  flags (0; other values are refused)
 *       72     80  five sections, each (offset, length) in bytes from the file's start:
 *                  labels, Z (n x n), F (n x C*K), x (n), v (n)
 *      152      8  data checksum: XXH64, seed 0, of bytes [168, file size)
 *      160      8  header checksum: XXH64, seed 0, of bytes [0, 160)
 *      168         zeros up to H
 *
 * labels: C country codes, S sector codes, K final-demand codes and the table's name
 * when it was written, each NUL-terminated. Z, F (absent when K = 0), x and v: column-
 * major doubles, each section starting at a multiple of 4096 bytes (the writer) or at
 * least 64 (what the reader requires), so a mapping of the file holds the matrices
 * in place; the gaps are zeros. v is written for other readers; on load it is
 * recomputed and checked against the file.
 *
 * Reading validates the header against the file size before touching any section,
 * checks both checksums, then the labels, then runs the CSV loader's data checks
 * (wi_validate), which also recompute the check report. A file is mapped read-only
 * (MAP_PRIVATE) and the table keeps the mapping: Z, F and x point into it, so loading
 * costs no allocation or page zeroing for the matrices. The file must therefore not
 * be modified in place while such a table lives (the writer replaces files by
 * rename, which is safe). Bytes from memory (wiot_table_load_buffer) are copied. */
#define WI_BIN_MAGIC "WIOT\0BIN"
#define WI_BIN_VERSION 1u
#define WI_BIN_BOM 0x01020304u
#define WI_BIN_FIELDS 168              /* bytes of the header that hold fields */
#define WI_BIN_HEADER 4096             /* header size written */
#define WI_BIN_PAGE 4096               /* section alignment written */
#define WI_BIN_MINALIGN 64             /* section alignment required of doubles */
#define WI_BIN_HCHECK 160              /* offset of the header checksum */
#define WI_BIN_DCHECK 152              /* offset of the data checksum */
#define WI_BIN_NSEC 5
/* Mapping flags: populate the page tables at once (a few large faults instead of
 * one per 64 KiB of fault-around; measured in README "Speed"). */
#ifdef MAP_POPULATE
#define WI_MAP_FLAGS (MAP_PRIVATE | MAP_POPULATE)
#else
#define WI_MAP_FLAGS MAP_PRIVATE
#endif

static const char *const wi_sec_name[WI_BIN_NSEC] = {"labels", "Z", "F", "x", "v"};

/* XXH64 (Collet's xxHash, 64-bit, seed 0), streaming: about 19 GB/s here, five times
 * zlib's crc32. The standard algorithm, so `tail -c +169 f.wiot | xxhsum -H1` prints
 * the data checksum. */
#define WI_XP1 0x9E3779B185EBCA87ULL
#define WI_XP2 0xC2B2AE3D27D4EB4FULL
#define WI_XP3 0x165667B19E3779F9ULL
#define WI_XP4 0x85EBCA77C2B2AE63ULL
#define WI_XP5 0x27D4EB2F165667C5ULL

typedef struct wi_xxh {
    uint64_t v[4], total;
    unsigned char mem[32];
    size_t used;
} wi_xxh;

static inline uint64_t wi_rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t wi_le64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static inline uint32_t wi_le32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

static inline uint64_t wi_xxh_round(uint64_t acc, uint64_t in)
{
    acc += in * WI_XP2;
    return wi_rotl64(acc, 31) * WI_XP1;
}

static inline uint64_t wi_xxh_merge(uint64_t h, uint64_t v)
{
    h ^= wi_xxh_round(0, v);
    return h * WI_XP1 + WI_XP4;
}

static void wi_xxh_init(wi_xxh *s)
{
    memset(s, 0, sizeof *s);
    s->v[0] = WI_XP1 + WI_XP2;
    s->v[1] = WI_XP2;
    s->v[2] = 0;
    s->v[3] = 0 - WI_XP1;
}

/* 32-byte stripes of [p, end), at least one; returns the end of the last. */
static const unsigned char *wi_xxh_stripes(uint64_t *v, const unsigned char *p,
                                           const unsigned char *end)
{
    uint64_t v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3];
    do {
        v0 = wi_xxh_round(v0, wi_le64(p));
        v1 = wi_xxh_round(v1, wi_le64(p + 8));
        v2 = wi_xxh_round(v2, wi_le64(p + 16));
        v3 = wi_xxh_round(v3, wi_le64(p + 24));
        p += 32;
    } while (end - p >= 32);
    v[0] = v0;
    v[1] = v1;
    v[2] = v2;
    v[3] = v3;
    return p;
}

static void wi_xxh_update(wi_xxh *s, const void *data, size_t len)
{
    if (len == 0)
        return;
    const unsigned char *p = data, *end = p + len;
    s->total += len;
    if (s->used + len < 32) {
        memcpy(s->mem + s->used, p, len);
        s->used += len;
        return;
    }
    if (s->used) {
        size_t k = 32 - s->used;
        memcpy(s->mem + s->used, p, k);
        p += k;
        wi_xxh_stripes(s->v, s->mem, s->mem + 32);
        s->used = 0;
    }
    if (end - p >= 32)
        p = wi_xxh_stripes(s->v, p, end);
    if (p < end) {
        memcpy(s->mem, p, (size_t)(end - p));
        s->used = (size_t)(end - p);
    }
}

static uint64_t wi_xxh_digest(const wi_xxh *s)
{
    uint64_t h;
    if (s->total >= 32) {
        h = wi_rotl64(s->v[0], 1) + wi_rotl64(s->v[1], 7) + wi_rotl64(s->v[2], 12) +
            wi_rotl64(s->v[3], 18);
        for (int i = 0; i < 4; i++)
            h = wi_xxh_merge(h, s->v[i]);
    } else {
        h = WI_XP5;   /* seed 0 */
    }
    h += s->total;
    const unsigned char *p = s->mem, *e = s->mem + s->used;
    for (; e - p >= 8; p += 8) {
        h ^= wi_xxh_round(0, wi_le64(p));
        h = wi_rotl64(h, 27) * WI_XP1 + WI_XP4;
    }
    if (e - p >= 4) {
        h ^= (uint64_t)wi_le32(p) * WI_XP1;
        h = wi_rotl64(h, 23) * WI_XP2 + WI_XP3;
        p += 4;
    }
    for (; p < e; p++) {
        h ^= (uint64_t)*p * WI_XP5;
        h = wi_rotl64(h, 11) * WI_XP1;
    }
    h ^= h >> 33;
    h *= WI_XP2;
    h ^= h >> 29;
    h *= WI_XP3;
    h ^= h >> 32;
    return h;
}

static uint64_t wi_xxh64(const void *data, size_t len)
{
    wi_xxh s;
    wi_xxh_init(&s);
    wi_xxh_update(&s, data, len);
    return wi_xxh_digest(&s);
}

/* Header fields in the machine's byte order. */
static inline uint64_t wi_get64(const unsigned char *h, size_t off)
{
    uint64_t v;
    memcpy(&v, h + off, 8);
    return v;
}

static inline uint32_t wi_get32(const unsigned char *h, size_t off)
{
    uint32_t v;
    memcpy(&v, h + off, 4);
    return v;
}

/* The bytes are meant as a .wiot file: they start with "WIOT" (no CSV can), so a
 * truncated file or one with damaged magic bytes gets the binary loader's message. */
static int wi_bin_magic(const char *p, size_t len)
{
    return len >= 4 && memcmp(p, WI_BIN_MAGIC, 4) == 0;
}

/* Load .wiot bytes p[size]. map: p is a private mapping that the table adopts (Z, F
 * and x point into it), consumed on every path (unmapped on failure); NULL: p is the
 * caller's memory and the data are copied, or, with borrow (p 8-byte aligned, the
 * caller vouches that it outlives the table), used in place. Warnings are not logged
 * here. */
static int wi_bin_load(wiot_ctx *ctx, const char *name, const unsigned char *p, size_t size,
                       void *map, int borrow, wiot_table **out)
{
    wiot_table *t = NULL;
    const char **src = NULL;
    size_t *slen = NULL;
    int rc = WIOT_OK;
#define WI_BAD(...) do { rc = wi_msg(ctx, WIOT_EFORMAT, name, 0, __VA_ARGS__); goto fail; } while (0)

    /* fixed fields: magic, version, byte order, header checksum */
    if (size < WI_BIN_FIELDS)
        WI_BAD("truncated .wiot file: %zu bytes, shorter than the %d-byte header", size,
               WI_BIN_FIELDS);
    if (memcmp(p, WI_BIN_MAGIC, 8) != 0)
        WI_BAD("not a .wiot file (bad magic bytes)");
    uint32_t version = wi_get32(p, 8), bom = wi_get32(p, 12);
    if (version != WI_BIN_VERSION)
        WI_BAD("unsupported .wiot format version %" PRIu32 " (this library reads version %u)",
               version, WI_BIN_VERSION);
    if (bom == __builtin_bswap32(WI_BIN_BOM))
        WI_BAD("the .wiot file was written on a machine of the other byte order");
    if (bom != WI_BIN_BOM)
        WI_BAD("corrupt header: bad byte-order mark 0x%08" PRIx32, bom);
    uint64_t hsum = wi_xxh64(p, WI_BIN_HCHECK), hstored = wi_get64(p, WI_BIN_HCHECK);
    if (hsum != hstored)
        WI_BAD("corrupt header: checksum mismatch (stored %016" PRIx64 ", computed %016" PRIx64
               ")", hstored, hsum);

    /* sizes, dimensions and sections against the file's size, before any section is read */
    uint64_t hsize = wi_get64(p, 16), fsize = wi_get64(p, 24), C = wi_get64(p, 32),
             S = wi_get64(p, 40), K = wi_get64(p, 48), n = wi_get64(p, 56), flags = wi_get64(p, 64);
    if (fsize > size)
        WI_BAD("truncated .wiot file: %zu of %" PRIu64 " bytes", size, fsize);
    if (fsize < size)
        WI_BAD("%zu bytes of trailing garbage after the %" PRIu64 " bytes of the .wiot file",
               size - (size_t)fsize, fsize);
    if (hsize < WI_BIN_FIELDS || hsize > fsize)
        WI_BAD("corrupt header: header size %" PRIu64, hsize);
    if (flags != 0)
        WI_BAD("unsupported .wiot flags 0x%" PRIx64, flags);
    if (C == 0 || S == 0)
        WI_BAD("corrupt header: %" PRIu64 " countries x %" PRIu64 " sectors", C, S);
    /* each product is formed only once its factors are known to keep it within the
     * file's size, so none can overflow (n >= 1 once n == C*S) */
    uint64_t want[WI_BIN_NSEC];
    if (C > fsize || S > fsize / C || n != C * S || n > fsize / 8 / n || K > fsize / C ||
        C * K > fsize / 8 / n)
        WI_BAD("corrupt header: dimensions %" PRIu64 " countries x %" PRIu64 " sectors (n = %"
               PRIu64 ") x %" PRIu64 " final-demand categories do not fit in %" PRIu64 " bytes",
               C, S, n, K, fsize);
    want[1] = n * n * 8;
    want[2] = n * C * K * 8;
    want[3] = want[4] = n * 8;
    uint64_t off[WI_BIN_NSEC], len[WI_BIN_NSEC], end = hsize;
    for (int k = 0; k < WI_BIN_NSEC; k++) {
        off[k] = wi_get64(p, 72 + 16 * (size_t)k);
        len[k] = wi_get64(p, 80 + 16 * (size_t)k);
        if (off[k] > fsize || len[k] > fsize - off[k])
            WI_BAD("corrupt header: section '%s' (%" PRIu64 " bytes at offset %" PRIu64
                   ") extends past the end of the file (%" PRIu64 " bytes)", wi_sec_name[k],
                   len[k], off[k], fsize);
        if (off[k] < end)
            WI_BAD("corrupt header: section '%s' at offset %" PRIu64 " overlaps %s%s%s",
                   wi_sec_name[k], off[k], k ? "section '" : "the header",
                   k ? wi_sec_name[k - 1] : "", k ? "'" : "");
        if (k > 0 && len[k] != want[k])
            WI_BAD("corrupt header: section '%s' has %" PRIu64 " bytes, expected %" PRIu64,
                   wi_sec_name[k], len[k], want[k]);
        if (k > 0 && off[k] % WI_BIN_MINALIGN)
            WI_BAD("corrupt header: section '%s' at offset %" PRIu64 " is not aligned to %d "
                   "bytes", wi_sec_name[k], off[k], WI_BIN_MINALIGN);
        end = off[k] + len[k];
    }

    /* the data checksum covers everything after the header's fields */
    uint64_t dsum = wi_xxh64(p + WI_BIN_FIELDS, size - WI_BIN_FIELDS),
             dstored = wi_get64(p, WI_BIN_DCHECK);
    if (dsum != dstored)
        WI_BAD("checksum mismatch: the data are corrupt (stored %016" PRIx64 ", computed %016"
               PRIx64 ")", dstored, dsum);

    /* labels: C + S + K codes and the name, each NUL-terminated, filling the section */
    const char *lab = (const char *)p + off[0];
    size_t llen = (size_t)len[0], cnt = (size_t)(C + S + K), nul = 0;
    for (size_t i = 0; i < llen; i++)
        nul += lab[i] == '\0';
    if (nul != cnt + 1 || llen == 0 || lab[llen - 1] != '\0')
        WI_BAD("corrupt labels: expected %zu NUL-terminated codes and a name, found %zu strings%s",
               cnt, nul, llen && lab[llen - 1] != '\0' ? " and unterminated bytes" : "");
    src = wi_alloc(ctx, cnt * sizeof(char *));
    slen = wi_alloc(ctx, cnt * sizeof(size_t));
    if (!src || !slen) {
        rc = WIOT_ENOMEM;
        goto fail;
    }
    const char *q = lab;
    for (size_t i = 0; i < cnt; i++) {
        src[i] = q;
        slen[i] = strlen(q);
        q += slen[i] + 1;
    }
    static const char *const kind[3] = {"country", "sector", "final-demand"};
    size_t first[4] = {0, (size_t)C, (size_t)(C + S), cnt};
    for (int k = 0; k < 3; k++) {
        for (size_t i = first[k]; i < first[k + 1]; i++) {
            const char *why = wi_code_problem(src[i], slen[i]);
            if (why)
                WI_BAD("corrupt labels: %s code %zu %s", kind[k], i - first[k], why);
            for (size_t j = first[k]; j < i; j++)
                if (strcmp(src[i], src[j]) == 0)
                    WI_BAD("corrupt labels: duplicate %s code '%s'", kind[k], src[i]);
        }
    }

    /* the table: labels copied; data in place (mapped) or copied */
    if ((rc = wi_table_alloc(ctx, (size_t)C, (size_t)S, (size_t)K, name, map == NULL && !borrow,
                             &t)) ||
        (rc = wi_labels_alloc(ctx, t, src, slen)))
        goto fail;
    if (map) {
        t->map = map;   /* from here on the table owns the mapping */
        t->map_len = size;
        map = NULL;
        t->Z = (double *)(uintptr_t)(p + off[1]);
        t->F = K ? (double *)(uintptr_t)(p + off[2]) : NULL;
        t->x = (double *)(uintptr_t)(p + off[3]);
    } else if (borrow) {
        t->borrowed = 1;
        t->Z = (double *)(uintptr_t)(p + off[1]);
        t->F = K ? (double *)(uintptr_t)(p + off[2]) : NULL;
        t->x = (double *)(uintptr_t)(p + off[3]);
    } else {
        memcpy(t->Z, p + off[1], (size_t)len[1]);
        if (K)
            memcpy(t->F, p + off[2], (size_t)len[2]);
        memcpy(t->x, p + off[3], (size_t)len[3]);
    }
    if ((rc = wi_validate(ctx, t, name, 0, NULL, NULL)))
        goto fail;
    /* the file's v against the recomputed one (as the CSV's TOT,VA row) */
    for (size_t j = 0; j < (size_t)n; j++) {
        double vf;
        memcpy(&vf, p + off[4] + 8 * j, 8);
        double x = t->x[j], vj = t->v[j];
        if (!(fabs(vf - vj) <= WI_TOL * fmax(fmax(x, x - vj), 1.0))) {
            char lb[WI_LABEL_MAX];
            rc = wi_msg(ctx, WIOT_EDATA, name, 0,
                        "column '%s': value added %.15g in the file differs from output minus "
                        "intermediate inputs %.15g", wi_col_label(t, j, lb), vf, vj);
            goto fail;
        }
    }
    wi_free(ctx, src);
    wi_free(ctx, slen);
    *out = t;
    return WIOT_OK;
fail:
#undef WI_BAD
    wi_free(ctx, src);
    wi_free(ctx, slen);
    wi_table_release(t);
    if (map)
        munmap(map, size);
    return rc;
}

/* ----------------------------------------------------------------- parser */
typedef struct wi_line {
    size_t b, e;      /* content [b, e) without "\r\n" */
    size_t c1, c2;    /* offsets of the first and second ',' (e when absent) */
} wi_line;

typedef struct wi_span {
    size_t off, len;
} wi_span;

typedef struct wi_parse {
    wiot_ctx *ctx;
    const char *name;   /* for messages: the path as given */
    const char *txt;
    size_t len;
    wi_line *ln;        /* lines, trailing empty ones dropped */
    size_t L;
    wi_span *hs;        /* header fields */
    size_t nf;          /* fields per line */
    size_t n, m;        /* data rows; value columns before GO (n + C*K) */
    double *tot;        /* the TOT,VA and TOT,GO rows, m + 1 values each */
    locale_t cloc;      /* "C" locale for strtod, created on first use */
    wiot_table *t;
} wi_parse;

enum { WI_NUM_OK = 0, WI_NUM_BAD, WI_NUM_RANGE, WI_NUM_LONG };

static const double wi_pow10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The rare cases: strtod in the C locale on a token already checked by the grammar. */
static __attribute__((noinline)) int wi_number_slow(wi_parse *ps, const char *s, size_t len,
                                                    double *out)
{
    char buf[1024];
    if (len >= sizeof buf)
        return WI_NUM_LONG;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (!ps->cloc)
        ps->cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t old = ps->cloc ? uselocale(ps->cloc) : (locale_t)0;
    char *end;
    double v = strtod(buf, &end);
    if (old)
        uselocale(old);
    if (end != buf + len)
        return WI_NUM_BAD;
    if (!isfinite(v))
        return WI_NUM_RANGE;
    *out = v;
    return WI_NUM_OK;
}

/* One cell at *pp: [+-]digits[.digits][(e|E)[+-]digits], ending at ',' or e. On
 * success *pp is the terminator. */
static inline int wi_number(wi_parse *ps, const char **pp, const char *e, double *out)
{
    const char *p = *pp, *s = p;
    int neg = 0;
    if (p < e && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        p++;
    }
    uint64_t m = 0;
    const char *d0 = p;
    while (p < e && (unsigned)(*p - '0') < 10u) {
        m = m * 10 + (unsigned)(*p - '0');
        p++;
    }
    size_t nd = (size_t)(p - d0), nfrac = 0;
    if (p < e && *p == '.') {
        const char *f0 = ++p;
        while (p < e && (unsigned)(*p - '0') < 10u) {
            m = m * 10 + (unsigned)(*p - '0');
            p++;
        }
        nfrac = (size_t)(p - f0);
        nd += nfrac;
    }
    if (nd == 0)
        return WI_NUM_BAD;
    long ex = 0;
    if (p < e && (*p | 0x20) == 'e') {
        p++;
        int eneg = 0;
        if (p < e && (*p == '-' || *p == '+')) {
            eneg = *p == '-';
            p++;
        }
        const char *x0 = p;
        while (p < e && (unsigned)(*p - '0') < 10u) {
            if (ex < 100000)
                ex = ex * 10 + (*p - '0');
            p++;
        }
        if (p == x0)
            return WI_NUM_BAD;
        if (eneg)
            ex = -ex;
    }
    if (p < e && *p != ',')
        return WI_NUM_BAD;
    *pp = p;
    long e10 = ex - (long)nfrac;
    /* Clinger's fast path: both operands exact, one correctly rounded operation. */
    if (nd <= 19 && m <= ((uint64_t)1 << 53) && e10 >= -22 && e10 <= 22) {
        double v = (double)m;
        v = e10 >= 0 ? v * wi_pow10[e10] : v / wi_pow10[-e10];
        *out = neg ? -v : v;
        return WI_NUM_OK;
    }
    return wi_number_slow(ps, s, (size_t)(p - s), out);
}

static size_t wi_count_fields(const char *s, const char *e)
{
    size_t k = 1;
    while ((s = memchr(s, ',', (size_t)(e - s))) != NULL) {
        k++;
        s++;
    }
    return k;
}

static int wi_ragged(wi_parse *ps, size_t li, size_t got)
{
    return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, li + 1, "expected %zu fields, got %zu",
                  ps->nf, got);
}

/* A cell that the number parser refused: ragged row first, then what the text is. */
static __attribute__((noinline)) int wi_cell_error(wi_parse *ps, size_t li, size_t col,
                                                   const char *cell, int why)
{
    const wi_line *l = &ps->ln[li];
    const char *e = ps->txt + l->e;
    size_t got = wi_count_fields(ps->txt + l->b, e);
    if (got != ps->nf)
        return wi_ragged(ps, li, got);
    const char *ce = memchr(cell, ',', (size_t)(e - cell));
    size_t clen = (size_t)((ce ? ce : e) - cell);
    char lab[WI_LABEL_MAX], q[WI_QUOTE_MAX + 4];
    wi_col_label(ps->t, col, lab);
    if (clen == 0)
        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, li + 1, "column '%s': empty cell", lab);
    if (why == WI_NUM_LONG)
        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, li + 1,
                      "column '%s': number of %zu characters is too long", lab, clen);
    if (why == WI_NUM_RANGE)
        return wi_msg(ps->ctx, WIOT_EDATA, ps->name, li + 1,
                      "column '%s': '%s' is out of the range of a double", lab,
                      wi_quote(q, cell, clen));
    const char *u = cell;
    size_t ulen = clen;
    if (ulen && (*u == '-' || *u == '+')) {
        u++;
        ulen--;
    }
    if ((ulen >= 3 && strncasecmp(u, "nan", 3) == 0) || (ulen >= 3 && strncasecmp(u, "inf", 3) == 0))
        return wi_msg(ps->ctx, WIOT_EDATA, ps->name, li + 1,
                      "column '%s': '%s' is not a finite number", lab, wi_quote(q, cell, clen));
    return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, li + 1, "column '%s': '%s' is not a number",
                  lab, wi_quote(q, cell, clen));
}

/* count cells of line li from *pp into dst[k*stride]; col0 = value column of the
 * first; last: these cells end the line. */
static int wi_cells(wi_parse *ps, size_t li, const char **pp, double *dst, size_t stride,
                    size_t count, size_t col0, int last)
{
    const char *p = *pp, *e = ps->txt + ps->ln[li].e;
    for (size_t k = 0; k < count; k++) {
        const char *cell = p;
        int r = wi_number(ps, &p, e, &dst[k * stride]);
        if (r)
            return wi_cell_error(ps, li, col0 + k, cell, r);
        if (p == e) {
            if (!(last && k + 1 == count))
                return wi_ragged(ps, li, wi_count_fields(ps->txt + ps->ln[li].b, e));
        } else {
            if (last && k + 1 == count)
                return wi_ragged(ps, li, wi_count_fields(ps->txt + ps->ln[li].b, e));
            p++;
        }
    }
    *pp = p;
    return WIOT_OK;
}

static int wi_span_eq(const char *txt, size_t a, size_t alen, size_t b, size_t blen)
{
    return alen == blen && memcmp(txt + a, txt + b, alen) == 0;
}

/* Lines: one memchr pass to count, one to record. */
static int wi_split_lines(wi_parse *ps)
{
    const char *t = ps->txt, *end = t + ps->len, *p = t;
    size_t L = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        L++;
        p = nl ? nl + 1 : end;
    }
    ps->ln = wi_calloc(ps->ctx, L ? L : 1, sizeof(wi_line));
    if (!ps->ln)
        return WIOT_ENOMEM;
    p = t;
    for (size_t k = 0; k < L; k++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le > p && le[-1] == '\r')
            le--;
        wi_line *l = &ps->ln[k];
        l->b = (size_t)(p - t);
        l->e = (size_t)(le - t);
        const char *c1 = memchr(p, ',', (size_t)(le - p));
        const char *c2 = c1 ? memchr(c1 + 1, ',', (size_t)(le - c1 - 1)) : NULL;
        l->c1 = c1 ? (size_t)(c1 - t) : l->e;
        l->c2 = c2 ? (size_t)(c2 - t) : l->e;
        p = nl ? nl + 1 : end;
    }
    while (L > 0 && ps->ln[L - 1].e == ps->ln[L - 1].b)
        L--;   /* trailing empty lines */
    ps->L = L;
    return WIOT_OK;
}

static int wi_parse_header(wi_parse *ps)
{
    const wi_line *h = &ps->ln[0];
    const char *t = ps->txt, *b = t + h->b, *e = t + h->e;
    char q[WI_QUOTE_MAX + 4];
    static const char pre[] = "country,sector,";
    if ((size_t)(e - b) < sizeof pre - 1 || memcmp(b, pre, sizeof pre - 1) != 0)
        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                      "bad header: expected 'country,sector,...,GO', got '%s'",
                      wi_quote(q, b, (size_t)(e - b)));
    size_t nf = wi_count_fields(b, e);
    if (nf < 4)
        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                      "bad header: %zu fields, need at least 4 (country, sector, one column, GO)",
                      nf);
    ps->hs = wi_alloc(ps->ctx, nf * sizeof(wi_span));
    if (!ps->hs)
        return WIOT_ENOMEM;
    const char *p = b;
    for (size_t k = 0; k < nf; k++) {
        const char *c = memchr(p, ',', (size_t)(e - p));
        const char *fe = c ? c : e;
        ps->hs[k].off = (size_t)(p - t);
        ps->hs[k].len = (size_t)(fe - p);
        p = fe + 1;
    }
    const wi_span *last = &ps->hs[nf - 1];
    if (!(last->len == 2 && memcmp(t + last->off, "GO", 2) == 0))
        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                      "bad header: the last column must be 'GO', got '%s'",
                      wi_quote(q, t + last->off, last->len));
    for (size_t k = 2; k + 1 < nf; k++) {
        const char *why = wi_code_problem(t + ps->hs[k].off, ps->hs[k].len);
        if (why)
            return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, 1, "bad header: column %zu label %s",
                          k + 1, why);
    }
    ps->nf = nf;
    ps->m = nf - 3;
    return WIOT_OK;
}

/* TOT rows, sizes, and the row labels: countries in blocks with the same sectors. */
static int wi_parse_labels(wi_parse *ps, size_t *C_out, size_t *S_out, size_t *K_out)
{
    const char *t = ps->txt;
    const wi_line *ln = ps->ln;
    size_t L = ps->L;
    char q[WI_QUOTE_MAX + 4], q2[WI_QUOTE_MAX + 4];

    for (size_t k = 1; k < L; k++)
        if (ln[k].c2 == ln[k].e)
            return wi_ragged(ps, k, wi_count_fields(t + ln[k].b, t + ln[k].e));
    if (L == 1)
        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                      "no data rows: the file has only the header line");
#define WI_IS_TOT(k, what) \
    (ln[k].c1 - ln[k].b == 3 && memcmp(t + ln[k].b, "TOT,", 4) == 0 && \
     ln[k].c2 - ln[k].c1 == 3 && memcmp(t + ln[k].c1 + 1, what ",", 3) == 0)
    if (!WI_IS_TOT(L - 1, "GO"))
        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, L,
                      "the last line must be the TOT,GO row, found '%s'",
                      wi_quote(q, t + ln[L - 1].b, ln[L - 1].c2 - ln[L - 1].b));
    if (L < 3 || !WI_IS_TOT(L - 2, "VA"))
        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, L - 1,
                      "the line before the last must be the TOT,VA row, found '%s'",
                      L < 3 ? "the header" : wi_quote(q, t + ln[L - 2].b, ln[L - 2].c2 - ln[L - 2].b));
#undef WI_IS_TOT
    size_t n = L - 3;
    if (n == 0)
        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, 2,
                      "no data rows between the header and the TOT rows");
    if (n > ps->m)
        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                      "the header names %zu columns between 'sector' and 'GO', fewer than "
                      "the %zu data rows", ps->m, n);
    ps->n = n;

    /* Row i is line index i+1: country [b, c1), sector (c1, c2). */
#define WI_CTRY(i) ln[(i) + 1].b, ln[(i) + 1].c1 - ln[(i) + 1].b
#define WI_SECT(i) ln[(i) + 1].c1 + 1, ln[(i) + 1].c2 - ln[(i) + 1].c1 - 1
    size_t S = 0, start = 0;
    for (size_t i = 0; i < n; i++) {
        const wi_line *l = &ln[i + 1];
        const char *why;
        if ((why = wi_code_problem(t + l->b, l->c1 - l->b)))
            return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, i + 2, "country code %s", why);
        if ((why = wi_code_problem(t + l->c1 + 1, l->c2 - l->c1 - 1)))
            return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, i + 2, "sector code %s", why);
        if (i > 0 && !wi_span_eq(t, WI_CTRY(i), WI_CTRY(i - 1))) {
            /* a new country block */
            if (S == 0)
                S = i;
            else if (i - start != S)
                return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, i + 1,
                              "country '%s' has %zu sectors, but '%s' has %zu",
                              wi_quote(q, t + ln[i].b, ln[i].c1 - ln[i].b), i - start,
                              wi_quote(q2, t + ln[1].b, ln[1].c1 - ln[1].b), S);
            for (size_t b = 0; b < i; b += S)
                if (wi_span_eq(t, WI_CTRY(i), WI_CTRY(b)))
                    return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, i + 2,
                                  "duplicate country '%s' (its rows begin at line %zu; each "
                                  "country's rows must form one block)",
                                  wi_quote(q, t + l->b, l->c1 - l->b), b + 2);
            start = i;
        }
        if (S == 0) {
            for (size_t k = 0; k < i; k++)
                if (wi_span_eq(t, WI_SECT(i), WI_SECT(k)))
                    return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, i + 2,
                                  "duplicate sector '%s' (also at line %zu)",
                                  wi_quote(q, t + l->c1 + 1, l->c2 - l->c1 - 1), k + 2);
        } else {
            size_t k = i - start;
            if (k >= S)
                return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, i + 2,
                              "country '%s' has more sectors than '%s' (%zu)",
                              wi_quote(q, t + l->b, l->c1 - l->b),
                              wi_quote(q2, t + ln[1].b, ln[1].c1 - ln[1].b), S);
            if (!wi_span_eq(t, WI_SECT(i), WI_SECT(k)))
                return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, i + 2,
                              "sector '%s' where '%s' was expected (every country must list "
                              "the sectors in the same order)",
                              wi_quote(q, t + l->c1 + 1, l->c2 - l->c1 - 1),
                              wi_quote(q2, t + ln[k + 1].c1 + 1, ln[k + 1].c2 - ln[k + 1].c1 - 1));
        }
    }
    if (S == 0)
        S = n;
    else if (n - start != S)
        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, n + 1,
                      "country '%s' has %zu sectors, but '%s' has %zu",
                      wi_quote(q, t + ln[n].b, ln[n].c1 - ln[n].b), n - start,
                      wi_quote(q2, t + ln[1].b, ln[1].c1 - ln[1].b), S);
    size_t C = n / S, CK = ps->m - n;
    if (CK % C != 0)
        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                      "the %zu final-demand columns are not a multiple of the %zu countries",
                      CK, C);
    size_t K = CK / C;

    /* header: intermediate columns "{country}_{sector}" in row order */
    for (size_t i = 0; i < n; i++) {
        const wi_span *h = &ps->hs[2 + i];
        size_t cl = ln[i + 1].c1 - ln[i + 1].b, sl = ln[i + 1].c2 - ln[i + 1].c1 - 1;
        if (h->len != cl + 1 + sl || memcmp(t + h->off, t + ln[i + 1].b, cl) != 0 ||
            t[h->off + cl] != '_' || memcmp(t + h->off + cl + 1, t + ln[i + 1].c1 + 1, sl) != 0) {
            char exp[WI_LABEL_MAX];
            snprintf(exp, sizeof exp, "%.*s_%.*s", (int)(cl < 100 ? cl : 100), t + ln[i + 1].b,
                     (int)(sl < 100 ? sl : 100), t + ln[i + 1].c1 + 1);
            return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                          "column '%s': expected '%s', the label of data row %zu (line %zu)",
                          wi_quote(q, t + h->off, h->len), exp, i + 1, i + 2);
        }
    }
    /* header: final-demand columns "{country}_{code}", country-major, same codes */
    for (size_t d = 0; d < C; d++) {
        size_t cb = ln[d * S + 1].b, cl = ln[d * S + 1].c1 - cb;
        for (size_t k = 0; k < K; k++) {
            const wi_span *h = &ps->hs[2 + n + d * K + k];
            if (h->len < cl + 2 || memcmp(t + h->off, t + cb, cl) != 0 || t[h->off + cl] != '_')
                return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                              "column '%s': expected final-demand column %zu of country '%s' "
                              "('%s_...')", wi_quote(q, t + h->off, h->len), k + 1,
                              wi_quote(q2, t + cb, cl), q2);
            size_t co = h->off + cl + 1, clen = h->len - cl - 1;
            if (d == 0) {
                for (size_t k2 = 0; k2 < k; k2++) {
                    const wi_span *h2 = &ps->hs[2 + n + k2];
                    if (wi_span_eq(t, co, clen, h2->off + cl + 1, h2->len - cl - 1))
                        return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                                      "column '%s': duplicate final-demand category '%s'",
                                      wi_quote(q, t + h->off, h->len), wi_quote(q2, t + co, clen));
                }
            } else {
                const wi_span *h0 = &ps->hs[2 + n + k];
                size_t c0l = ln[1].c1 - ln[1].b;
                if (!wi_span_eq(t, co, clen, h0->off + c0l + 1, h0->len - c0l - 1)) {
                    char exp[WI_LABEL_MAX];
                    snprintf(exp, sizeof exp, "%.*s_%.*s", (int)(cl < 100 ? cl : 100), t + cb,
                             (int)(h0->len - c0l - 1 < 100 ? h0->len - c0l - 1 : 100),
                             t + h0->off + c0l + 1);
                    return wi_msg(ps->ctx, WIOT_EFORMAT, ps->name, 1,
                                  "column '%s': expected '%s' (every country must have the "
                                  "final-demand categories of '%s' in the same order)",
                                  wi_quote(q, t + h->off, h->len), exp,
                                  wi_quote(q2, t + ln[1].b, c0l));
                }
            }
        }
    }
#undef WI_CTRY
#undef WI_SECT
    *C_out = C;
    *S_out = S;
    *K_out = K;
    return WIOT_OK;
}

/* Labels from the text into the table's block. */
static int wi_file_labels(wi_parse *ps)
{
    wiot_table *t = ps->t;
    const char *txt = ps->txt;
    size_t cnt = t->C + t->S + t->K;
    const char **src = wi_alloc(ps->ctx, cnt * sizeof(char *));
    size_t *len = wi_alloc(ps->ctx, cnt * sizeof(size_t));
    int rc = WIOT_ENOMEM;
    if (src && len) {
        for (size_t c = 0; c < t->C; c++) {
            const wi_line *l = &ps->ln[1 + c * t->S];
            src[c] = txt + l->b;
            len[c] = l->c1 - l->b;
        }
        for (size_t s = 0; s < t->S; s++) {
            const wi_line *l = &ps->ln[1 + s];
            src[t->C + s] = txt + l->c1 + 1;
            len[t->C + s] = l->c2 - l->c1 - 1;
        }
        size_t c0 = len[0];
        for (size_t k = 0; k < t->K; k++) {
            const wi_span *h = &ps->hs[2 + t->n + k];
            src[t->C + t->S + k] = txt + h->off + c0 + 1;
            len[t->C + t->S + k] = h->len - c0 - 1;
        }
        rc = wi_labels_alloc(ps->ctx, t, src, len);
    }
    wi_free(ps->ctx, src);
    wi_free(ps->ctx, len);
    return rc;
}

static int wi_parse_values(wi_parse *ps)
{
    wiot_table *t = ps->t;
    const size_t n = t->n, CK = t->C * t->K, m = ps->m;
    int rc;
    for (size_t i = 0; i < n; i++) {
        size_t li = i + 1;
        const char *p = ps->txt + ps->ln[li].c2 + 1;
        if ((rc = wi_cells(ps, li, &p, t->Z + i, n, n, 0, 0)) ||
            (rc = wi_cells(ps, li, &p, t->F ? t->F + i : NULL, n, CK, n, 0)) ||
            (rc = wi_cells(ps, li, &p, t->x + i, 1, 1, m, 1)))
            return rc;
    }
    for (size_t r = 0; r < 2; r++) {
        size_t li = n + 1 + r;
        const char *p = ps->txt + ps->ln[li].c2 + 1;
        if ((rc = wi_cells(ps, li, &p, ps->tot + r * (m + 1), 1, m + 1, 0, 1)))
            return rc;
    }
    return WIOT_OK;
}

static int wi_parse_table(wi_parse *ps, wiot_table **out)
{
    wiot_ctx *ctx = ps->ctx;
    int rc;
    size_t C = 0, S = 0, K = 0;
    if (ps->len == 0)
        return wi_msg(ctx, WIOT_EFORMAT, ps->name, 0, "empty file");
    if ((rc = wi_split_lines(ps)))
        return rc;
    if (ps->L == 0)
        return wi_msg(ctx, WIOT_EFORMAT, ps->name, 0, "empty file (no non-empty line)");
    if ((rc = wi_parse_header(ps)) || (rc = wi_parse_labels(ps, &C, &S, &K)) ||
        (rc = wi_table_need(ctx, ps->name, C, S, K)))
        return rc;
    if ((rc = wi_table_alloc(ctx, C, S, K, ps->name, 1, &ps->t)))
        return rc;
    if ((rc = wi_file_labels(ps)))
        return rc;
    ps->tot = wi_dalloc(ctx, 2 * (ps->m + 1));
    if (!ps->tot)
        return WIOT_ENOMEM;
    if ((rc = wi_parse_values(ps)))
        return rc;
    if ((rc = wi_validate(ctx, ps->t, ps->name, 1, ps->tot, ps->tot + ps->m + 1)))
        return rc;
    *out = ps->t;
    ps->t = NULL;
    return WIOT_OK;
}

/* Parse text (plain or gzip) at data; the caller keeps data. */
static int wi_load(wiot_ctx *ctx, const char *name, const char *data, size_t size,
                   wiot_table **out)
{
    wi_parse ps;
    memset(&ps, 0, sizeof ps);
    ps.ctx = ctx;
    ps.name = name;
    char *inflated = NULL;
    int rc = WIOT_OK;
    if (size >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b) {
        rc = wi_gunzip(ctx, name, (const unsigned char *)data, size, &inflated, &ps.len);
        ps.txt = inflated;
    } else {
        ps.txt = data;
        ps.len = size;
    }
    wiot_table *t = NULL;
    if (!rc)
        rc = wi_bin_magic(ps.txt, ps.len)
                 ? wi_bin_load(ctx, name, (const unsigned char *)ps.txt, ps.len, NULL, 0, &t)
                 : wi_parse_table(&ps, &t);
    wi_table_release(ps.t);
    wi_free(ctx, ps.tot);
    wi_free(ctx, ps.hs);
    wi_free(ctx, ps.ln);
    wi_free(ctx, inflated);
    if (ps.cloc)
        freelocale(ps.cloc);
    if (rc)
        return rc;
    wi_log_warnings(ctx, t);
    *out = t;
    return WIOT_OK;
}

int wiot_table_load(wiot_ctx *ctx, const char *path, wiot_table **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!path || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_load: %s is NULL", path ? "out" : "path");
    int handled, hrc = wi_format_hook(ctx, path, out, &handled);
    if (handled)
        return hrc;   /* a provider layout, a directory or an archive (formats.c) */
    char eb[128];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wi_msg(ctx, WIOT_EIO, path, 0, "cannot open: %s", strerror_r(errno, eb, sizeof eb));
    struct stat st;
    int have_st = fstat(fd, &st) == 0;
    /* A .wiot file (magic bytes) is mapped, not read; anything else is read whole. */
    unsigned char head[4];
    if (have_st && S_ISREG(st.st_mode) && st.st_size >= 4 &&
        pread(fd, head, 4, 0) == 4 && wi_bin_magic((const char *)head, 4)) {
        if ((unsigned long long)st.st_size > SIZE_MAX) {
            close(fd);
            return wi_msg(ctx, WIOT_ETOOLARGE, path, 0, "file of %lld bytes is too large to map",
                          (long long)st.st_size);
        }
        size_t size = (size_t)st.st_size;
        void *map = mmap(NULL, size, PROT_READ, WI_MAP_FLAGS, fd, 0);
        if (map != MAP_FAILED) {
            close(fd);
            int rc = wi_bin_load(ctx, path, map, size, map, 0, out);
            if (!rc)
                wi_log_warnings(ctx, *out);
            return rc;
        }
        /* not mappable (some file systems): read it like any other file */
    }
    char *buf = NULL;
    size_t len = 0;
    int rc = wi_read_fd(ctx, path, fd, have_st ? &st : NULL, &buf, &len);
    if (rc)
        return rc;
    rc = wi_load(ctx, path, buf, len, out);
    wi_free(ctx, buf);
    return rc;
}

int wiot_table_load_buffer(wiot_ctx *ctx, const void *data, size_t size, const char *name,
                           wiot_table **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!out || (!data && size))
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_load_buffer: %s is NULL",
                        out ? "data" : "out");
    return wi_load(ctx, name ? name : "buffer", data ? data : "", size, out);
}

int wiot_table_load_static(wiot_ctx *ctx, const void *data, size_t size, const char *name,
                           wiot_table **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!out || !data)
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_load_static: %s is NULL", out ? "data" : "out");
    if (!wi_bin_magic(data, size) || ((uintptr_t)data & 7) != 0)
        return wiot_table_load_buffer(ctx, data, size, name, out);
    const char *nm = name ? name : "buffer";
    int rc = wi_bin_load(ctx, nm, data, size, NULL, 1, out);
    if (!rc)
        wi_log_warnings(ctx, *out);
    return rc;
}

/* ------------------------------------------------------------- from arrays */
static int wi_desc_codes(wiot_ctx *ctx, const char *name, const char *kind,
                         const char *const *codes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (!codes[i])
            return wi_msg(ctx, WIOT_EINVAL, name, 0, "%s code %zu is NULL", kind, i);
        const char *why = wi_code_problem(codes[i], strlen(codes[i]));
        if (why)
            return wi_msg(ctx, WIOT_EINVAL, name, 0, "%s code %zu %s", kind, i, why);
        for (size_t k = 0; k < i; k++)
            if (strcmp(codes[k], codes[i]) == 0)
                return wi_msg(ctx, WIOT_EINVAL, name, 0, "duplicate %s code '%s'", kind, codes[i]);
    }
    return WIOT_OK;
}

int wiot_table_new(wiot_ctx *ctx, const wiot_table_desc *d, wiot_table **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!d || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_new: %s is NULL", d ? "out" : "desc");
    const char *name = d->name ? d->name : "table";
    size_t C = d->countries, S = d->sectors, K = d->fd_categories, n, CK;
    if (C == 0 || S == 0)
        return wi_msg(ctx, WIOT_EINVAL, name, 0, "need at least one country and one sector "
                      "(got %zu x %zu)", C, S);
    if (!d->country_codes || !d->sector_codes)
        return wi_msg(ctx, WIOT_EINVAL, name, 0, "country_codes and sector_codes are required");
    if (!d->Z)
        return wi_msg(ctx, WIOT_EINVAL, name, 0, "Z is NULL");
    int rc;
    if ((rc = wi_table_need(ctx, name, C, S, K)))   /* before any code is read */
        return rc;
    if ((rc = wi_mul(ctx, C, S, &n)) || (rc = wi_mul(ctx, C, K, &CK)))
        return rc;
    if (d->ldz < n)
        return wi_msg(ctx, WIOT_EINVAL, name, 0, "ldz %zu < n %zu", d->ldz, n);
    if (K && !d->F)
        return wi_msg(ctx, WIOT_EINVAL, name, 0, "F is NULL but there are %zu final-demand "
                      "categories", K);
    if (K && d->ldf < n)
        return wi_msg(ctx, WIOT_EINVAL, name, 0, "ldf %zu < n %zu", d->ldf, n);
    if ((rc = wi_desc_codes(ctx, name, "country", d->country_codes, C)) ||
        (rc = wi_desc_codes(ctx, name, "sector", d->sector_codes, S)) ||
        (d->fd_codes && (rc = wi_desc_codes(ctx, name, "final-demand", d->fd_codes, K))))
        return rc;

    wiot_table *t = NULL;
    if ((rc = wi_table_alloc(ctx, C, S, K, name, 1, &t)))
        return rc;
    size_t cnt = C + S + K;
    const char **src = wi_alloc(ctx, cnt * sizeof(char *));
    size_t *len = wi_alloc(ctx, cnt * sizeof(size_t));
    char *fdgen = K && !d->fd_codes ? wi_alloc(ctx, K * 24) : NULL;
    if (!src || !len || (K && !d->fd_codes && !fdgen)) {
        rc = WIOT_ENOMEM;
        goto fail;
    }
    for (size_t c = 0; c < C; c++)
        src[c] = d->country_codes[c];
    for (size_t s = 0; s < S; s++)
        src[C + s] = d->sector_codes[s];
    for (size_t k = 0; k < K; k++) {
        if (d->fd_codes) {
            src[C + S + k] = d->fd_codes[k];
        } else {
            snprintf(fdgen + k * 24, 24, "F%zu", k + 1);
            src[C + S + k] = fdgen + k * 24;
        }
    }
    for (size_t i = 0; i < cnt; i++)
        len[i] = strlen(src[i]);
    if ((rc = wi_labels_alloc(ctx, t, src, len)))
        goto fail;

    for (size_t j = 0; j < n; j++)
        memcpy(t->Z + j * n, d->Z + j * d->ldz, n * sizeof(double));
    for (size_t q = 0; q < CK; q++)
        memcpy(t->F + q * n, d->F + q * d->ldf, n * sizeof(double));
    if (d->x) {
        memcpy(t->x, d->x, n * sizeof(double));
    } else {
        for (size_t i = 0; i < n; i++)
            t->x[i] = 0;
        for (size_t j = 0; j < n; j++)
            for (size_t i = 0; i < n; i++)
                t->x[i] += t->Z[i + j * n];
        for (size_t q = 0; q < CK; q++)
            for (size_t i = 0; i < n; i++)
                t->x[i] += t->F[i + q * n];
    }
    if ((rc = wi_validate(ctx, t, name, 0, NULL, NULL)))
        goto fail;
    wi_free(ctx, src);
    wi_free(ctx, len);
    wi_free(ctx, fdgen);
    wi_log_warnings(ctx, t);
    *out = t;
    return WIOT_OK;
fail:
    wi_free(ctx, src);
    wi_free(ctx, len);
    wi_free(ctx, fdgen);
    wi_table_release(t);
    return rc;
}

/* ------------------------------------------------------------------- save */
typedef struct wi_writer {
    char *buf;
    size_t len, cap;
    int fd;
    gzFile gz;
    int err;        /* errno of the first failure, or -1 for a zlib error */
} wi_writer;

static void wi_flush(wi_writer *w)
{
    if (w->err || w->len == 0) {
        w->len = 0;
        return;
    }
    if (w->gz) {
        if (gzwrite(w->gz, w->buf, (unsigned)w->len) != (int)w->len) {
            int ze;
            gzerror(w->gz, &ze);
            w->err = ze == Z_ERRNO && errno ? errno : -1;
        }
    } else {
        const char *p = w->buf;
        size_t left = w->len;
        while (left) {
            ssize_t r = write(w->fd, p, left);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                w->err = r < 0 ? errno : EIO;
                break;
            }
            p += r;
            left -= (size_t)r;
        }
    }
    w->len = 0;
}

static void wi_put(wi_writer *w, const char *s, size_t len)
{
    while (len) {
        if (w->len == w->cap)
            wi_flush(w);
        size_t k = w->cap - w->len < len ? w->cap - w->len : len;
        memcpy(w->buf + w->len, s, k);
        w->len += k;
        s += k;
        len -= k;
    }
}

/* Shortest of %.15g/%.16g/%.17g that reads back exactly; integers below 1e15 as
 * integers. Runs under the C locale (wiot_table_save sets it for the thread). */
static size_t wi_fmt(char *b, double v)
{
    if (v == 0) {
        if (signbit(v)) {
            memcpy(b, "-0", 2);
            return 2;
        }
        b[0] = '0';
        return 1;
    }
    if (fabs(v) < 1e15 && v == (double)(long long)v) {
        long long k = (long long)v;
        unsigned long long u = k < 0 ? (unsigned long long)(-k) : (unsigned long long)k;
        char tmp[24];
        size_t n = 0;
        while (u) {
            tmp[n++] = (char)('0' + u % 10);
            u /= 10;
        }
        size_t o = 0;
        if (k < 0)
            b[o++] = '-';
        while (n)
            b[o++] = tmp[--n];
        return o;
    }
    int len = 0;
    for (int prec = 15; prec <= 17; prec++) {
        len = snprintf(b, 32, "%.*g", prec, v);
        if (prec == 17 || strtod(b, NULL) == v)
            break;
    }
    return (size_t)len;
}

static void wi_put_num(wi_writer *w, double v)
{
    if (w->cap - w->len < 40)
        wi_flush(w);
    w->buf[w->len++] = ',';
    w->len += wi_fmt(w->buf + w->len, v);
}

static void wi_put_str(wi_writer *w, const char *s) { wi_put(w, s, strlen(s)); }

static void wi_write_table(wi_writer *w, const wiot_table *t)
{
    const size_t n = t->n, CK = t->C * t->K;
    wi_put_str(w, "country,sector");
    for (size_t j = 0; j < n; j++) {
        wi_put(w, ",", 1);
        wi_put_str(w, t->country[j / t->S]);
        wi_put(w, "_", 1);
        wi_put_str(w, t->sector[j % t->S]);
    }
    for (size_t q = 0; q < CK; q++) {
        wi_put(w, ",", 1);
        wi_put_str(w, t->country[q / t->K]);
        wi_put(w, "_", 1);
        wi_put_str(w, t->fdcat[q % t->K]);
    }
    wi_put_str(w, ",GO\n");
    for (size_t i = 0; i < n && !w->err; i++) {
        wi_put_str(w, t->country[i / t->S]);
        wi_put(w, ",", 1);
        wi_put_str(w, t->sector[i % t->S]);
        for (size_t j = 0; j < n; j++)
            wi_put_num(w, t->Z[i + j * n]);
        for (size_t q = 0; q < CK; q++)
            wi_put_num(w, t->F[i + q * n]);
        wi_put_num(w, t->x[i]);
        wi_put(w, "\n", 1);
    }
    wi_put_str(w, "TOT,VA");
    for (size_t j = 0; j < n; j++)
        wi_put_num(w, t->v[j]);
    for (size_t q = 0; q <= CK; q++)
        wi_put_num(w, 0);
    wi_put_str(w, "\nTOT,GO");
    double sx = 0;
    for (size_t j = 0; j < n; j++) {
        wi_put_num(w, t->x[j]);
        sx += t->x[j];
    }
    for (size_t q = 0; q < CK; q++) {
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += t->F[i + q * n];
        wi_put_num(w, s);
    }
    wi_put_num(w, sx);
    wi_put(w, "\n", 1);
    wi_flush(w);
}

/* A temporary file beside path ("<path>.tmp.XXXXXX"), with the mode of a file being
 * replaced (else 0644). *tmp is allocated through ctx. */
static int wi_tmp_create(wiot_ctx *ctx, const char *path, char **tmp, int *fd)
{
    char eb[128];
    size_t plen = strlen(path);
    char *name = wi_alloc(ctx, plen + sizeof ".tmp.XXXXXX");
    if (!name)
        return WIOT_ENOMEM;
    memcpy(name, path, plen);
    memcpy(name + plen, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    *fd = mkstemp(name);
    if (*fd < 0) {
        int rc = wi_msg(ctx, WIOT_EIO, path, 0, "cannot create a temporary file: %s",
                        strerror_r(errno, eb, sizeof eb));
        wi_free(ctx, name);
        return rc;
    }
    /* mkstemp makes 0600; keep the mode of a file being replaced, else 0644 */
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644;
    (void)fchmod(*fd, mode);
    *tmp = name;
    return WIOT_OK;
}

/* fsync, close and rename tmp over path; err: errno of an earlier write failure (-1:
 * zlib error) or 0. On any failure the temporary file is removed and WIOT_EIO
 * reported. Frees tmp. */
static int wi_tmp_finish(wiot_ctx *ctx, const char *path, char *tmp, int fd, int err)
{
    char eb[128];
    int rc = WIOT_OK;
    if (!err && fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    const char *what = "write error";
    if (!err && rename(tmp, path) != 0) {
        err = errno;
        what = "cannot rename the temporary file into place";
    }
    if (err) {
        rc = wi_msg(ctx, WIOT_EIO, path, 0, "%s: %s", what,
                    err > 0 ? strerror_r(err, eb, sizeof eb) : "zlib error");
        unlink(tmp);
    }
    wi_free(ctx, tmp);
    return rc;
}

static int wi_save_binary(wiot_ctx *ctx, const wiot_table *t, const char *path);

int wiot_table_save(wiot_ctx *ctx, const wiot_table *t, const char *path)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !path || !*path)
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_save: %s", t ? "empty or NULL path" :
                        "table is NULL");
    size_t plen = strlen(path);
    if (plen >= 5 && strcmp(path + plen - 5, ".wiot") == 0)
        return wi_save_binary(ctx, t, path);
    int gz = plen >= 3 && strcmp(path + plen - 3, ".gz") == 0;
    wi_writer w;
    memset(&w, 0, sizeof w);
    w.fd = -1;
    w.cap = WI_IO_CHUNK;
    w.buf = wi_alloc(ctx, w.cap);
    if (!w.buf)
        return WIOT_ENOMEM;
    char *tmp = NULL;
    int rc = wi_tmp_create(ctx, path, &tmp, &w.fd);
    if (rc) {
        wi_free(ctx, w.buf);
        return rc;
    }

    locale_t cl = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t old = cl ? uselocale(cl) : (locale_t)0;
    if (gz) {
        int fd2 = dup(w.fd);
        w.gz = fd2 >= 0 ? gzdopen(fd2, WI_GZ_MODE) : NULL;
        if (!w.gz) {
            w.err = errno ? errno : ENOMEM;
            if (fd2 >= 0)
                close(fd2);
        } else {
            gzbuffer(w.gz, 1u << 18);
        }
    }
    if (!w.err)
        wi_write_table(&w, t);
    if (w.gz) {
        int zr = gzclose(w.gz);
        if (zr != Z_OK && !w.err)
            w.err = zr == Z_ERRNO && errno ? errno : -1;
    }
    if (old)
        uselocale(old);
    if (cl)
        freelocale(cl);
    rc = wi_tmp_finish(ctx, path, tmp, w.fd, w.err);
    wi_free(ctx, w.buf);
    return rc;
}

/* ------------------------------------------------------------ save .wiot */
static const unsigned char wi_zeros[WI_BIN_PAGE];   /* padding (read-only) */

static uint64_t wi_round_page(uint64_t v) { return (v + WI_BIN_PAGE - 1) / WI_BIN_PAGE * WI_BIN_PAGE; }

static inline void wi_put64(unsigned char *h, size_t off, uint64_t v) { memcpy(h + off, &v, 8); }
static inline void wi_put32(unsigned char *h, size_t off, uint32_t v) { memcpy(h + off, &v, 4); }

/* write all of len bytes; returns 0 or errno */
static int wi_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t r = write(fd, p, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r < 0 ? errno : EIO;
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

static int wi_save_binary(wiot_ctx *ctx, const wiot_table *t, const char *path)
{
    const size_t n = t->n, cnt = t->C + t->S + t->K;
    const char *tname = t->name ? t->name : "";
    /* the labels section */
    size_t llen = strlen(tname) + 1;
    for (size_t i = 0; i < cnt; i++)
        llen += strlen(t->country[i]) + 1;   /* country | sector | fdcat are one array */
    char *lab = wi_alloc(ctx, llen);
    if (!lab)
        return WIOT_ENOMEM;
    char *q = lab;
    for (size_t i = 0; i <= cnt; i++) {
        const char *s = i < cnt ? t->country[i] : tname;
        size_t l = strlen(s) + 1;
        memcpy(q, s, l);
        q += l;
    }

    /* layout: the header page, then each section on a page boundary */
    const void *data[WI_BIN_NSEC] = {lab, t->Z, t->F, t->x, t->v};
    uint64_t off[WI_BIN_NSEC], len[WI_BIN_NSEC] = {llen, (uint64_t)n * n * 8,
                                                 (uint64_t)n * t->C * t->K * 8, n * 8, n * 8};
    uint64_t pos = WI_BIN_HEADER;
    for (int k = 0; k < WI_BIN_NSEC; k++) {
        pos = wi_round_page(pos);
        off[k] = pos;
        pos += len[k];
    }
    /* The file as pieces: header fields | zeros to the header's end | then each
     * section preceded by the zeros that align it. The data checksum is over
     * everything after the fields; the same pieces are then written. */
    struct { const void *p; size_t len; } piece[2 + 2 * WI_BIN_NSEC];
    unsigned char hdr[WI_BIN_FIELDS];
    size_t np = 0;
    piece[np].p = hdr;
    piece[np++].len = WI_BIN_FIELDS;
    piece[np].p = wi_zeros;
    piece[np++].len = WI_BIN_HEADER - WI_BIN_FIELDS;
    uint64_t at = WI_BIN_HEADER;
    for (int k = 0; k < WI_BIN_NSEC; k++) {
        piece[np].p = wi_zeros;
        piece[np++].len = (size_t)(off[k] - at);
        piece[np].p = data[k];
        piece[np++].len = (size_t)len[k];
        at = off[k] + len[k];
    }
    wi_xxh hs;
    wi_xxh_init(&hs);
    for (size_t i = 1; i < np; i++)
        wi_xxh_update(&hs, piece[i].p, piece[i].len);

    memset(hdr, 0, sizeof hdr);
    memcpy(hdr, WI_BIN_MAGIC, 8);
    wi_put32(hdr, 8, WI_BIN_VERSION);
    wi_put32(hdr, 12, WI_BIN_BOM);
    wi_put64(hdr, 16, WI_BIN_HEADER);
    wi_put64(hdr, 24, pos);
    wi_put64(hdr, 32, t->C);
    wi_put64(hdr, 40, t->S);
    wi_put64(hdr, 48, t->K);
    wi_put64(hdr, 56, n);
    wi_put64(hdr, 64, 0);
    for (int k = 0; k < WI_BIN_NSEC; k++) {
        wi_put64(hdr, 72 + 16 * (size_t)k, off[k]);
        wi_put64(hdr, 80 + 16 * (size_t)k, len[k]);
    }
    wi_put64(hdr, WI_BIN_DCHECK, wi_xxh_digest(&hs));
    wi_put64(hdr, WI_BIN_HCHECK, wi_xxh64(hdr, WI_BIN_HCHECK));

    char *tmp = NULL;
    int fd = -1, rc = wi_tmp_create(ctx, path, &tmp, &fd);
    if (!rc) {
        int err = 0;
        for (size_t i = 0; i < np && !err; i++)
            err = wi_write_all(fd, piece[i].p, piece[i].len);
        rc = wi_tmp_finish(ctx, path, tmp, fd, err);
    }
    wi_free(ctx, lab);
    return rc;
}

int wiot_table_save_binary(wiot_ctx *ctx, const wiot_table *t, const char *path)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !path || !*path)
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_save_binary: %s",
                        t ? "empty or NULL path" : "table is NULL");
    return wi_save_binary(ctx, t, path);
}

/* -------------------------------------------------------------- accessors */
size_t wiot_table_n(const wiot_table *t) { return t ? t->n : 0; }
size_t wiot_table_countries(const wiot_table *t) { return t ? t->C : 0; }
size_t wiot_table_sectors(const wiot_table *t) { return t ? t->S : 0; }
size_t wiot_table_fd_categories(const wiot_table *t) { return t ? t->K : 0; }

const char *wiot_table_country(const wiot_table *t, size_t c)
{
    return t && c < t->C ? t->country[c] : NULL;
}

const char *wiot_table_sector(const wiot_table *t, size_t s)
{
    return t && s < t->S ? t->sector[s] : NULL;
}

const char *wiot_table_fd_category(const wiot_table *t, size_t k)
{
    return t && k < t->K ? t->fdcat[k] : NULL;
}

size_t wiot_table_find_country(const wiot_table *t, const char *code)
{
    return t ? wi_table_find(t->country, t->C, code) : (size_t)-1;
}

size_t wiot_table_find_sector(const wiot_table *t, const char *code)
{
    return t ? wi_table_find(t->sector, t->S, code) : (size_t)-1;
}

const char *wiot_table_name(const wiot_table *t) { return t ? t->name : NULL; }
int wiot_table_year(const wiot_table *t) { return t ? t->year : 0; }
const double *wiot_table_Z(const wiot_table *t) { return t ? t->Z : NULL; }
const double *wiot_table_F(const wiot_table *t) { return t ? t->F : NULL; }
const double *wiot_table_x(const wiot_table *t) { return t ? t->x : NULL; }
const double *wiot_table_v(const wiot_table *t) { return t ? t->v : NULL; }
const wiot_check *wiot_table_check(const wiot_table *t) { return t ? &t->check : NULL; }

const char *wiot_table_warning(const wiot_table *t, size_t i)
{
    return t && t->warn && i < t->check.warnings ? t->warn[i] : NULL;
}
