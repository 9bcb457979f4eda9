/* gvc.c -- value-chain decompositions (METHODS.md §7): the workspace (an
 * accounting-consistent copy of the table, its LU, the value-added origin W and the
 * local factorizations of I - A_ss), the nine KWW terms, the sixteen WWZ terms and
 * bilateral gross trade with the value added embodied.
 *
 * Nothing here holds an n x n x C array. KWW is computed from W (one transposed
 * solve with C right-hand sides) and the C local systems; WWZ needs the blocks B_rs
 * of the global inverse, computed once per call (n x n), then every bilateral term is
 * a product of an N x N block with a handful of N-vectors. */
#include "model/model.h"
#include "wiot.h"

#include <math.h>
#include <string.h>
#include <cblas.h>

#include "gvc/gvc_internal.h"

const char *const wi_kww_names[WIOT_KWW_NTERMS] = {
    "DVA_FIN", "DVA_INT", "DVA_INTrex", "RDV_FIN", "RDV_INT", "DDC", "FVA_FIN", "FVA_INT", "FDC"};

/* WWZ terms in the order of Wang, Wei & Zhu (2013)'s sixteen-term decomposition (METHODS.md §7.2) */
const char *const wi_wwz_names[WIOT_WWZ_NTERMS] = {
    "DVA_FIN", "DVA_INT", "DVA_INTrexI1", "DVA_INTrexF", "DVA_INTrexI2", "RDV_FIN",
    "RDV_FIN2", "RDV_INT", "DDC_FIN", "DDC_INT", "MVA_FIN", "MVA_INT", "MDC",
    "OVA_FIN", "OVA_INT", "ODC"};

const char *wiot_kww_name(int term)
{
    return term >= 1 && term <= WIOT_KWW_NTERMS ? wi_kww_names[term - 1] : NULL;
}

const char *wiot_wwz_name(int term)
{
    return term >= 1 && term <= WIOT_WWZ_NTERMS ? wi_wwz_names[term - 1] : NULL;
}

/* KWW term (1..9) that WWZ term k (1..16) aggregates into */
int wiot_wwz_to_kww(int term)
{
    static const int map[WIOT_WWZ_NTERMS] = {1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 8, 9, 7, 8, 9};
    return term >= 1 && term <= WIOT_WWZ_NTERMS ? map[term - 1] : 0;
}

/* ---------------------------------------------------------------- workspace */
void wiot_gvc_free(wiot_gvc *g)
{
    if (!g)
        return;
    wiot_lu_free(g->lu);
    wiot_table_free(g->t);
    wi_hfree(&g->a, g->blk);
    wi_hfree(&g->a, g->piv);
    wi_hfree(&g->a, g->buf);
    wi_hfree(&g->a, g);
}

const wiot_table *wiot_gvc_table(const wiot_gvc *g) { return g ? g->t : NULL; }

/* Factor I - A_ss for every country s (blk: C blocks N x N, piv: n) and solve the
 * local systems VL = a_v^T L_ss, LYd = L_ss Y_ss, LE = L_ss E_s*. */
static int wi_local(wiot_ctx *ctx, wiot_gvc *g)
{
    const size_t C = g->C, S = g->S, n = g->n;
    const wiot_table *t = g->t;
    lapack_int ls;
    int rc = wi_lapack_int(ctx, S, &ls);
    if (rc)
        return rc;
    for (size_t s = 0; s < C; s++) {
        double *M = g->blk + s * S * S;
        const size_t o = s * S;
        for (size_t b = 0; b < S; b++)
            for (size_t a = 0; a < S; a++) {
                double xd = t->x[o + b];
                double A = xd > 0 ? t->Z[(o + a) + (o + b) * n] / xd : 0.0;
                M[a + b * S] = (a == b) - A;
            }
        lapack_int info = LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, ls, ls, M, ls, g->piv + o);
        if (info > 0)
            return wi_error(ctx, WIOT_ESINGULAR, "value chains: I - A of country '%s' is singular "
                            "(U(%d,%d) = 0)", t->country[s], (int)info, (int)info);
        if (info < 0)
            return wi_error(ctx, WIOT_ELAPACK, "dgetrf: argument %d invalid", (int)-info);
        double *rhs[2] = {g->LYd + o, g->LE + o};
        for (size_t j = 0; j < S; j++) {
            g->VL[o + j] = g->av[o + j];
            g->LYd[o + j] = g->Y[o + j + s * n];
            g->LE[o + j] = g->E[o + j];
        }
        info = LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, 'T', ls, 1, M, ls, g->piv + o, g->VL + o, ls);
        for (int q = 0; q < 2 && info == 0; q++)
            info = LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, 'N', ls, 1, M, ls, g->piv + o, rhs[q], ls);
        if (info < 0)
            return wi_error(ctx, WIOT_ELAPACK, "dgetrs: argument %d invalid", (int)-info);
    }
    return WIOT_OK;
}

/* x[i] = sum_j Z[i, j] + sum_q F[i, q], column by column (contiguous) */
static void wi_rowsums(const wiot_table *t, double *x)
{
    const size_t n = t->n, CK = t->C * t->K;
    memset(x, 0, n * sizeof *x);
    for (size_t j = 0; j < n; j++) {
        const double *z = t->Z + j * n;
        for (size_t i = 0; i < n; i++)
            x[i] += z[i];
    }
    for (size_t q = 0; q < CK; q++) {
        const double *f = t->F + q * n;
        for (size_t i = 0; i < n; i++)
            x[i] += f[i];
    }
}

int wiot_gvc_new(wiot_ctx *ctx, const wiot_table *t, int flags, wiot_gvc **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_new: NULL argument");
    *out = NULL;
    if (flags & ~WIOT_GVC_REPORTED_GO)
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_new: unknown flags %#x", (unsigned)flags);
    const size_t C = t->C, S = t->S, K = t->K, n = t->n;
    if (C < 2)
        return wi_error(ctx, WIOT_EINVAL, "value chains need at least 2 countries, the table has %zu", C);
    /* memory: the copy (n^2 + nCK + 2n), its LU (n^2), blocks (nS), and the vectors */
    size_t nn, nc, bytes;
    int rc;
    if ((rc = wi_mul(ctx, n, n, &nn)) || (rc = wi_mul(ctx, n, C, &nc)))
        return rc;
    double words = 2.0 * (double)nn + (double)nc * (double)(K + 3) + (double)n * (double)(S + 12);
    bytes = words * 8.0 < 1.8e19 ? (size_t)(words * 8.0) : SIZE_MAX;
    if ((rc = wi_budget(ctx, bytes, "the value-chain workspace", "n = %zu, C = %zu", n, C)))
        return rc;
    wiot_gvc *g = wi_calloc(ctx, 1, sizeof *g);
    if (!g)
        return WIOT_ENOMEM;
    g->a = ctx->a;
    g->C = C, g->S = S, g->K = K, g->n = n;
    g->reported = flags & WIOT_GVC_REPORTED_GO;
    double *x = NULL;
    /* buf: av, E, VL, LYd, LE, WS, x (n each), Y, Ei, W (n x C each) */
    g->buf = wi_dalloc(ctx, 7 * n + 3 * nc);
    g->blk = wi_dalloc(ctx, n * S);
    g->piv = wi_calloc(ctx, n, sizeof *g->piv);
    if (!g->buf || !g->blk || !g->piv) {
        rc = WIOT_ENOMEM;
        goto fail;
    }
    g->av = g->buf, g->E = g->av + n, g->VL = g->E + n, g->LYd = g->VL + n, g->LE = g->LYd + n;
    g->WS = g->LE + n, x = g->WS + n;
    g->Y = x + n, g->Ei = g->Y + nc, g->W = g->Ei + nc;
    /* the copy is made with the reported output (valid: t passed the same checks);
     * by default its x and v are then replaced in place by the row sums Z 1 + F 1,
     * clamped at 0 (a row holding only a negative inventory entry, WIOD 2013 LUX c5),
     * and v = x - column sums of Z. That v may be negative where rounding put the
     * row sum below the column sum (WIOD 1995 EST c10): decompr keeps such a
     * coefficient too; the system stays non-singular (checked by the LU). */
    wiot_table_desc d = {C, S, K, (const char *const *)t->country, (const char *const *)t->sector,
                         (const char *const *)t->fdcat, t->Z, n, t->F, n, t->x, t->name};
    wiot_log_fn logfn = ctx->log;   /* the copy's warnings are the input's, already reported */
    ctx->log = NULL;
    rc = wiot_table_new(ctx, &d, &g->t);
    ctx->log = logfn;
    if (rc)
        goto fail;
    g->t->year = t->year;
    if (!g->reported) {
        /* x = Z 1 + F 1 clamped at 0; a country-sector left with x = 0 cannot buy or
         * sell intermediates consistently (A's column is 0, so its purchases would
         * vanish from A x and its sales would have no output behind them: WIOD 1999
         * LUX c8, row sum -2, sells 1 to BEL c8), so its Z entries are dropped from
         * the copy (counted, summed) and the row sums recomputed until none is left */
        wiot_table *tc = g->t;
        for (int pass = 0;; pass++) {
            size_t drops = 0;
            wi_rowsums(tc, x);
            for (size_t i = 0; i < n; i++)
                x[i] = x[i] > 0 ? x[i] : 0.0;
            for (size_t j = 0; j < n; j++) {
                if (x[j] > 0)
                    continue;
                for (size_t i = 0; i < n; i++) {
                    double *a = tc->Z + i + j * n, *b = tc->Z + j + i * n;
                    if (*a != 0) {
                        g->dropped += *a, g->ndropped++, drops++;
                        *a = 0;
                    }
                    if (*b != 0) {
                        g->dropped += *b, g->ndropped++, drops++;
                        *b = 0;
                    }
                }
            }
            if (!drops || pass == 8)
                break;
        }
        wi_rowsums(tc, tc->x);
        for (size_t i = 0; i < n; i++) {
            if (tc->x[i] < 0)
                g->clamped++;
            tc->x[i] = tc->x[i] > 0 ? tc->x[i] : 0.0;
        }
        for (size_t j = 0; j < n; j++) {
            double s = 0;
            for (size_t i = 0; i < n; i++)
                s += tc->Z[i + j * n];
            tc->v[j] = tc->x[j] - s;
            g->negva += tc->v[j] < 0;
        }
    }
    if ((rc = wiot_lu_new(ctx, g->t, WIOT_LEONTIEF, &g->lu, NULL)))
        goto fail;
    const wiot_table *tc = g->t;
    /* final demand by destination, intermediate sales by buyer country, exports */
    memset(g->Y, 0, 2 * nc * sizeof *g->Y);   /* Y and Ei */
    for (size_t q = 0; q < C * K; q++) {      /* column by column: contiguous */
        double *y = g->Y + (q / K) * n;
        const double *f = tc->F + q * n;
        for (size_t i = 0; i < n; i++)
            y[i] += f[i];
    }
    for (size_t j = 0; j < n; j++) {
        double *e = g->Ei + (j / S) * n;
        const double *z = tc->Z + j * n;
        for (size_t i = 0; i < n; i++)
            e[i] += z[i];
    }
    for (size_t i = 0; i < n; i++) {
        const size_t c = i / S;
        double e = 0;
        for (size_t dd = 0; dd < C; dd++)
            if (dd != c)
                e += g->Ei[i + dd * n] + g->Y[i + dd * n];
        g->E[i] = e;
        /* a_v = 1 - column sums of A, also where x = 0 (A's column is 0 there): a
         * country-sector with no output has no inputs, whatever it sells is its own
         * value added, and the columns of V = diag(a_v) B sum to 1 exactly (with
         * a_v = 0 there, sales of a zero-output row, WIOD 1999 LUX c8 -> BEL c8,
         * would leave value added without origin) */
        g->av[i] = tc->x[i] > 0 ? tc->v[i] / tc->x[i] : 1.0;
    }
    /* W = L^T (diag(a_v) P): W[j, o] = sum_{i in o} V[i, j] */
    memset(g->W, 0, nc * sizeof *g->W);
    for (size_t i = 0; i < n; i++)
        g->W[i + (i / S) * n] = g->av[i];
    if ((rc = wi_lu_solve(ctx, g->lu, WIOT_TRANS, C, g->W, n)))
        goto fail;
    for (size_t j = 0; j < n; j++) {
        double s = 0;
        for (size_t o = 0; o < C; o++)
            s += g->W[j + o * n];
        g->WS[j] = s;
    }
    if ((rc = wi_local(ctx, g)))
        goto fail;
    if ((rc = wi_check_finite(ctx, tc, "value-added origin", g->W, n, C, n)))
        goto fail;
    *out = g;
    return WIOT_OK;
fail:
    wiot_gvc_free(g);
    return rc;
}

size_t wiot_gvc_clamped(const wiot_gvc *g) { return g ? g->clamped : 0; }
size_t wiot_gvc_negative_va(const wiot_gvc *g) { return g ? g->negva : 0; }

double wiot_gvc_dropped(const wiot_gvc *g, size_t *entries)
{
    if (entries)
        *entries = g ? g->ndropped : 0;
    return g ? g->dropped : 0.0;
}

/* ---------------------------------------------------------------------- KWW */
/* A[j, k] of the workspace's table */
static inline double wi_A(const wiot_table *t, size_t j, size_t k)
{
    double xk = t->x[k];
    return xk > 0 ? t->Z[j + k * t->n] / xk : 0.0;
}

int wiot_gvc_kww(wiot_ctx *ctx, const wiot_gvc *g, double *country, size_t ldc, double *sector,
                 size_t lds, double *fdc_residual)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!g || !country)
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_kww: NULL argument");
    const size_t C = g->C, S = g->S, n = g->n;
    if (ldc < C || (sector && lds < n))
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_kww: leading dimension %zu < %zu",
                        ldc < C ? ldc : lds, ldc < C ? C : n);
    const wiot_table *t = g->t;
    const double *W = g->W, *Y = g->Y;
    /* scratch: cw (column sums of W[., s] A over foreign rows), fay, fae (foreign A rows
     * times L_rr Y_rr and L_rr E_r*) */
    double *cw = wi_dalloc(ctx, 3 * n);
    if (!cw)
        return WIOT_ENOMEM;
    double *fay = cw + n, *fae = fay + n;
    memset(cw, 0, 3 * n * sizeof *cw);
    for (size_t k = 0; k < n; k++) {
        const size_t s = k / S;
        double a = 0;
        for (size_t j = 0; j < n; j++) {
            if (j / S == s)
                continue;
            double A = wi_A(t, j, k);
            a += W[j + s * n] * A;
            fay[j] += A * g->LYd[k];
            fae[j] += A * g->LE[k];
        }
        cw[k] = a;
    }
    double term[WIOT_KWW_NTERMS];
    for (size_t s = 0; s < C; s++) {
        memset(term, 0, sizeof term);
        double es = 0;
        for (size_t j = 0; j < n; j++) {
            const size_t r = j / S;
            const double w = W[j + s * n];
            if (r == s) {
                double yf = 0;
                for (size_t dd = 0; dd < C; dd++)
                    if (dd != s)
                        yf += Y[j + dd * n];
                const double fw = g->WS[j] - w;
                term[0] += w * yf;
                term[4] += cw[j] * g->LYd[j];
                term[5] += cw[j] * g->LE[j];
                term[6] += fw * yf;
                term[7] += fw * fay[j];
                term[8] += fw * fae[j];
                es += g->E[j];
            } else {
                double ytot = 0;
                for (size_t dd = 0; dd < C; dd++)
                    ytot += Y[j + dd * n];
                term[1] += w * Y[j + r * n];
                term[3] += w * Y[j + s * n];
                term[2] += w * (ytot - Y[j + r * n] - Y[j + s * n]);
            }
        }
        for (int q = 0; q < WIOT_KWW_NTERMS; q++)
            country[s + q * ldc] = term[q];
        if (fdc_residual) {
            double sum = 0;
            for (int q = 0; q < 8; q++)
                sum += term[q];
            fdc_residual[s] = es - sum;
        }
    }
    wi_free(ctx, cw);
    if (!sector)
        return wi_check_finite(ctx, t, "KWW term", country, C, WIOT_KWW_NTERMS, ldc);
    /* by exporting sector: WWZ summed over importers */
    size_t m;
    int rc = wi_mul(ctx, n * C, WIOT_WWZ_NTERMS, &m);
    if (rc)
        return rc;
    double *w16 = wi_dalloc(ctx, m);
    if (!w16)
        return WIOT_ENOMEM;
    rc = wiot_gvc_wwz(ctx, g, w16, n * C, NULL);
    if (!rc) {
        for (size_t j = 0; j < n; j++)
            for (int q = 0; q < WIOT_KWW_NTERMS; q++)
                sector[j + q * lds] = 0.0;
        for (int k = 1; k <= WIOT_WWZ_NTERMS; k++) {
            const int q = wiot_wwz_to_kww(k) - 1;
            const double *col = w16 + (size_t)(k - 1) * n * C;
            for (size_t j = 0; j < n; j++)
                for (size_t r = 0; r < C; r++)
                    sector[j + q * lds] += col[j * C + r];
        }
    }
    wi_free(ctx, w16);
    if (!rc)
        rc = wi_check_finite(ctx, t, "KWW term", country, C, WIOT_KWW_NTERMS, ldc);
    return rc;
}

/* ---------------------------------------------------------------------- WWZ */
/* B = (I - A)^{-1} of the workspace's table, n x n (ld n), by dgetri on a copy of the
 * workspace's LU factors: 4n^3/3 flops instead of the 2n^3 of a fresh inverse (its
 * residual is skipped: the identities of the decompositions are the quality
 * measure). info: seconds, flops, method WIOT_METHOD_INVERSE. */
int wi_gvc_inverse(wiot_ctx *ctx, const wiot_gvc *g, double *B, wiot_info *info)
{
    const size_t n = g->n;
    lapack_int ln;
    int rc = wi_lapack_int(ctx, n, &ln);
    if (rc)
        return rc;
    const size_t lw = 64 * (n ? n : 1);
    double *work = wi_dalloc(ctx, lw);
    if (!work)
        return WIOT_ENOMEM;
    const double t0 = wi_now();
    memcpy(B, g->lu->lu, n * n * sizeof *B);
    wi_threads th;
    wi_threads_begin(ctx, &th);
    lapack_int linfo = LAPACKE_dgetri_work(LAPACK_COL_MAJOR, ln, B, ln, g->lu->ipiv, work, (lapack_int)lw);
    wi_threads_end(&th);
    wi_free(ctx, work);
    const double dn = (double)n, fl = 4.0 / 3.0 * dn * dn * dn;
    wi_account(ctx, fl, wi_now() - t0);
    if (linfo > 0)   /* defensive: the LU of the workspace was checked non-singular */
        return wi_error(ctx, WIOT_ESINGULAR, "value chains: I - A is singular (U(%d,%d) = 0)", (int)linfo,
                        (int)linfo);
    if (linfo < 0)
        return wi_error(ctx, WIOT_ELAPACK, "dgetri: argument %d invalid", (int)-linfo);
    memset(info, 0, sizeof *info);
    info->seconds = wi_now() - t0;
    info->flops = fl;
    info->method = WIOT_METHOD_INVERSE;
    return WIOT_OK;
}

int wiot_gvc_wwz(wiot_ctx *ctx, const wiot_gvc *g, double *out, size_t ld, wiot_info *info)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!g || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_wwz: NULL argument");
    const size_t C = g->C, S = g->S, n = g->n;
    size_t nn, nC;
    int rc;
    if ((rc = wi_mul(ctx, n, n, &nn)) || (rc = wi_mul(ctx, n, C, &nC)))
        return rc;
    if (ld < nC)
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_wwz: leading dimension %zu < n*C = %zu", ld, nC);
    const wiot_table *t = g->t;
    double t0 = wi_now();
    /* B (n^2), R = [Ydiag | Yfd | Y] and P = B R (3nC each), D = blockdiag(B) Y (nC),
     * BYd, BYf, DYf (n), Q (11 S) and AQ (11 S) per pair */
    double words = (double)nn + 7.0 * (double)nC + 3.0 * (double)n + 22.0 * (double)S;
    if ((rc = wi_budget(ctx, (size_t)(words * 8.0), "the WWZ decomposition",
                        "the global inverse B and %zu x %zu blocks", n, 7 * C)))
        return rc;
    double *B = wi_dalloc(ctx, nn);
    double *R = wi_dalloc(ctx, 7 * nC + 3 * n + 22 * S);
    if (!B || !R) {
        wi_free(ctx, B);
        wi_free(ctx, R);
        return WIOT_ENOMEM;
    }
    double *P = R + 3 * nC, *D = P + 3 * nC, *BYd = D + nC, *BYf = BYd + n, *DYf = BYf + n;
    double *Q = DYf + n, *AQ = Q + 11 * S;
    wiot_info binf;
    if ((rc = wi_gvc_inverse(ctx, g, B, &binf)))
        goto done;
    double flops = binf.flops;
    const double *Y = g->Y, *W = g->W;
    double *Ydiag = R, *Yfd = R + nC, *Yall = R + 2 * nC;
    memset(R, 0, 2 * nC * sizeof *R);
    for (size_t i = 0; i < n; i++) {
        const size_t c = i / S;
        double yf = 0;
        for (size_t dd = 0; dd < C; dd++)
            if (dd != c)
                yf += Y[i + dd * n];
        Ydiag[i + c * n] = Y[i + c * n];
        Yfd[i + c * n] = yf;
    }
    memcpy(Yall, Y, nC * sizeof *Y);
    wi_threads th;
    wi_threads_begin(ctx, &th);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)(3 * C), (int)n, 1.0, B,
                (int)n, R, (int)n, 0.0, P, (int)n);
    /* D[r rows, d] = B_rr Y_rd */
    for (size_t r = 0; r < C; r++)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)S, (int)C, (int)S, 1.0,
                    B + r * S + r * S * n, (int)n, Y + r * S, (int)n, 0.0, D + r * S, (int)n);
    wi_threads_end(&th);
    flops += 6.0 * (double)nn * (double)C + 2.0 * (double)n * (double)S * (double)C;
    const double *P8 = P, *P9 = P + nC, *XD = P + 2 * nC;   /* B_rs Y_ss, B_rs Yf_s, B Y */
    for (size_t i = 0; i < n; i++) {
        const size_t r = i / S;
        double a = 0, b = 0, c = 0;
        for (size_t s = 0; s < C; s++) {
            a += P8[i + s * n];
            b += P9[i + s * n];
            if (s != r)
                c += D[i + s * n];
        }
        BYd[i] = a, BYf[i] = b, DYf[i] = c;
    }
    for (int k = 0; k < WIOT_WWZ_NTERMS; k++)
        for (size_t s = 0; s < C; s++)
            for (size_t i = s * S; i < (s + 1) * S; i++)
                out[i * C + s + (size_t)k * ld] = 0.0;
    double resid = 0;
    for (size_t s = 0; s < C; s++) {
        for (size_t r = 0; r < C; r++) {
            if (r == s)
                continue;
            /* Q: 11 vectors on r's sectors, scaled by 1/x_r so that Z_sr Q = A_sr Q */
            for (size_t b = 0; b < S; b++) {
                const size_t k = r * S + b;
                const double xk = t->x[k], sc = xk > 0 ? 1.0 / xk : 0.0;
                const double drr = D[k + r * n], drs = D[k + s * n], p8 = P8[k + s * n];
                const double p9 = P9[k + s * n], xd = XD[k + s * n];
                const double q7 = xd - drs - p8;
                double q[11];
                q[0] = drr;                                  /* B_rr Y_rr */
                q[1] = BYd[k] - drr - p8;                    /* sum_{t!=s,r} B_rt Y_tt */
                q[2] = DYf[k] - drs;                         /* B_rr sum_{t!=s,r} Y_rt */
                q[3] = BYf[k] - DYf[k] - p9 - q7;            /* sum_{t!=s,r} B_rt sum_{u!=s,t} Y_tu */
                q[4] = drs;                                  /* B_rr Y_rs */
                q[5] = q7;                                   /* sum_{t!=s,r} B_rt Y_ts */
                q[6] = p8;                                   /* B_rs Y_ss */
                q[7] = p9;                                   /* B_rs sum_{t!=s} Y_st */
                q[8] = xk;                                   /* X_r */
                q[9] = g->LYd[k];                            /* L_rr Y_rr */
                q[10] = g->LE[k];                            /* L_rr E_r* */
                for (int c = 0; c < 11; c++)
                    Q[b + c * S] = q[c] * sc;
            }
            wi_small_gemm(S, S, 11, t->Z + s * S + r * S * n, n, Q, S, AQ, S);
            for (size_t a = 0; a < S; a++) {
                const size_t i = s * S + a;
                const double yr = Y[i + r * n], vl = g->VL[i], vb = W[i + s * n];
                const double mw = W[i + r * n], ow = g->WS[i] - vb - mw;
                double v[WIOT_WWZ_NTERMS];
                v[0] = vb * yr;
                for (int c = 0; c < 8; c++)
                    v[1 + c] = vl * AQ[a + c * S];
                v[9] = (vb - vl) * AQ[a + 8 * S];
                v[10] = mw * yr;
                v[11] = mw * AQ[a + 9 * S];
                v[12] = mw * AQ[a + 10 * S];
                v[13] = ow * yr;
                v[14] = ow * AQ[a + 9 * S];
                v[15] = ow * AQ[a + 10 * S];
                double sum = 0;
                for (int c = 0; c < WIOT_WWZ_NTERMS; c++) {
                    out[i * C + r + (size_t)c * ld] = v[c];
                    sum += v[c];
                }
                const double e = g->Ei[i + r * n] + yr;
                const double d = fabs(sum - e);
                resid = d > resid ? d : resid;
            }
        }
    }
    flops += 22.0 * (double)S * (double)S * (double)C * (double)C;
    rc = wi_check_finite(ctx, NULL, "WWZ term", out, nC, WIOT_WWZ_NTERMS, ld);
    if (!rc && info) {
        memset(info, 0, sizeof *info);
        info->residual = resid;
        info->flops = flops;
        info->seconds = wi_now() - t0;
        info->method = binf.method;
    }
done:
    wi_free(ctx, B);
    wi_free(ctx, R);
    return rc;
}

/* -------------------------------------------------------------- gross trade */
int wiot_gvc_trade(wiot_ctx *ctx, const wiot_gvc *g, double *flows, size_t ldf, double *va,
                   size_t ldv)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!g || !flows)
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_trade: NULL argument");
    const size_t C = g->C, S = g->S, n = g->n, nC = n * C;
    if (ldf < nC || (va && ldv < nC))
        return wi_error(ctx, WIOT_EINVAL, "wiot_gvc_trade: leading dimension %zu < n*C = %zu",
                        ldf < nC ? ldf : ldv, nC);
    for (size_t j = 0; j < n; j++) {
        const size_t c = j / S;
        for (size_t r = 0; r < C; r++) {
            const size_t row = j * C + r;
            const double zi = r == c ? 0.0 : g->Ei[j + r * n], yf = r == c ? 0.0 : g->Y[j + r * n];
            flows[row] = zi;
            flows[row + ldf] = yf;
            if (va)
                for (size_t o = 0; o < C; o++)
                    va[row + o * ldv] = g->W[j + o * n] * (zi + yf);
        }
    }
    return WIOT_OK;
}
