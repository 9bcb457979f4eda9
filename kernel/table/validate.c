/* validate.c -- the data checks every table passes, whatever it was read from
 * (CSV, .wiot, provider layouts, caller arrays): x >= 0, Z >= 0, F finite, the VA
 * and GO rows, zero-output columns, column sums of A < 1; the check report and the
 * warnings (wiot_table_check, wiot_table_warning). */
#define _GNU_SOURCE
#include "table/table.h"

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

/* ------------------------------------------------------------- validation */
/* Checks shared by the loader and wiot_table_new. t has labels, Z, F and x; fills v
 * and check. va and go are the file's TOT,VA and TOT,GO rows (n + C*K + 1 values) or
 * NULL; with lines set, row i is reported at line i+2, the VA row at n+2, GO at n+3. */
/* Label of value column j: country-sector, country-fd, or "GO". */
const char *wi_col_label(const wiot_table *t, size_t j, char *buf)
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

int wi_warn(wiot_ctx *ctx, wiot_table *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int wi_warn(wiot_ctx *ctx, wiot_table *t, const char *fmt, ...)
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

int wi_validate(wiot_ctx *ctx, wiot_table *t, const char *name, int lines,
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
            return wi_fmsg(ctx, WIOT_EDATA, name, lines ? i + 2 : 0,
                          "column '%s': output is not a finite number", wi_col_label(t, i, lab));
        if (x[i] < 0)
            return wi_fmsg(ctx, WIOT_EDATA, name, lines ? i + 2 : 0,
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
                    rc = wi_fmsg(ctx, WIOT_EDATA, name, i + 2, "column '%s': %s %.15g",
                                wi_col_label(t, j, lab),
                                isfinite(z) ? "negative intermediate flow" : "not a finite number", z);
                else
                    rc = wi_fmsg(ctx, WIOT_EDATA, name, 0, "column '%s': %s %.15g in row '%s'",
                                wi_col_label(t, j, lab),
                                isfinite(z) ? "negative intermediate flow" : "not a finite number", z,
                                wi_col_label(t, i, lab2));
                goto done;
            }
            rc = wi_fmsg(ctx, WIOT_EDATA, name, 0, "column '%s': the column sum of Z overflows",
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
                rc = wi_fmsg(ctx, WIOT_EDATA, name, i + 2, "column '%s': not a finite number",
                            wi_col_label(t, n + q, lab));
            else
                rc = wi_fmsg(ctx, WIOT_EDATA, name, 0, "column '%s': not a finite number in row '%s'",
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
                rc = wi_fmsg(ctx, WIOT_EDATA, name, n + 2,
                            "column '%s': value added %.15g in the TOT,VA row differs from "
                            "output minus intermediate inputs %.15g - %.15g = %.15g",
                            wi_col_label(t, j, lab), va[j], x[j], colsum[j], vj);
                goto done;
            }
        }
        for (size_t j = n; j <= n + CK; j++)
            if (va[j] != 0) {
                rc = wi_fmsg(ctx, WIOT_EDATA, name, n + 2,
                            "column '%s': the TOT,VA row must be 0 outside the intermediate "
                            "columns, got %.15g", wi_col_label(t, j, lab), va[j]);
                goto done;
            }
    }
    if (go) {
        for (size_t j = 0; j < n; j++) {
            double tol = WI_TOL * fmax(fmax(x[j], colsum[j]), 1.0);
            if (fabs(go[j] - x[j]) > tol) {
                rc = wi_fmsg(ctx, WIOT_EDATA, name, n + 3,
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
                rc = wi_fmsg(ctx, WIOT_EDATA, name, n + 3,
                            "column '%s': total %.15g in the TOT,GO row differs from the "
                            "column's sum %.15g", wi_col_label(t, n + q, lab), go[n + q], s);
                goto done;
            }
        }
        if (fabs(go[n + CK] - total_x) > WI_TOL * fmax(total_x, 1.0)) {
            rc = wi_fmsg(ctx, WIOT_EDATA, name, n + 3,
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
                rc = wi_fmsg(ctx, WIOT_EDATA, name, lines ? n + 3 : 0,
                            "column '%s': zero output but non-zero inputs (column sum of Z "
                            "%.15g)", wi_col_label(t, j, lab), colsum[j]);
                goto done;
            }
            continue;
        }
        double a = colsum[j] / x[j];
        if (colsum[j] >= x[j]) {
            rc = wi_fmsg(ctx, WIOT_EDATA, name, lines ? n + 2 : 0,
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

void wi_log_warnings(wiot_ctx *ctx, const wiot_table *t)
{
    for (size_t i = 0; i < t->check.warnings; i++)
        wi_log(ctx, WIOT_LOG_WARN, "%s", t->warn[i]);
}

