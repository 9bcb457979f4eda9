/* inverse.c -- in-place inverse of a diagonally dominant M-matrix M = I - A by
 * recursive 2 x 2 block inversion (Schur complements), nearly all flops in dgemm.
 *
 * For M = [M11 M12; M21 M22] (M11 n1 x n1, M22 n2 x n2):
 *
 *     X11 = M11^{-1}                     (recursion)
 *     T1  = X11 M12                      W  <- X11 M12          dgemm n1 x n2 x n1
 *     S   = M22 - M21 T1                 M22 <- M22 - M21 W     dgemm n2 x n2 x n1
 *     X22 = S^{-1}                       (recursion, in place)
 *     X12 = -T1 X22                      M12 <- -W M22          dgemm n1 x n2 x n2
 *     T2  = M21 X11                      W  <- M21 M11          dgemm n2 x n1 x n1
 *     X11 = X11 - X12 T2,  X21 = -X22 T2 [M11; M21] <- [M11; 0] - [M12; M22] W
 *                                                               dgemm n x n1 x n2
 *
 * Flops: f(n) = 6 (n/2)^3 * 2 + 2 f(n/2) = 2n^3, the same as dgetrf + dgetri, but
 * 75 % of them in the top level's five large dgemm calls (the last one n x n/2 x n/2)
 * and 94 % in the top two levels. Blocks of order <= WI_INV_BASE are inverted by
 * LAPACK's dgetrf + dgetri (partial pivoting within the small block).
 *
 * Stability (kernel/METHODS.md §2): the recursion is block Gaussian elimination without
 * pivoting between blocks, with the pivot blocks inverted explicitly. M column
 * diagonally dominant (A >= 0, column sums of A < 1) is block diagonally dominant by
 * columns in the 1-norm, every Schur complement S is again column diagonally dominant,
 * so no pivot block is singular and block LU is stable with a small growth factor
 * (Demmel, Higham & Schreiber 1995, "Stability of block LU factorization"; Higham,
 * Accuracy and Stability of Numerical Algorithms, 2nd ed., section 13.3). The Ghosh
 * case, I - B diagonally dominant by rows, is the same statement for the transpose:
 * run on M^T the recursion forms exactly the transposes of the blocks it forms on M.
 * Moreover M is a nonsingular M-matrix: X11, X22 >= 0 and T1, T2 <= 0, so every
 * product above sums terms of one sign -- no cancellation except on S's diagonal, as
 * in plain elimination. Residuals ||M X - I||_max are as small as LAPACK's (bench/:
 * 7e-16 to 2e-15 for n = 1435 .. 9800).
 *
 * Memory: the workspace holds W (n1 x n2) of each level while the next level runs:
 * about n^2/4 + n^2/16 + ... = n^2/3 doubles (at most 0.35 n^2 with the rounded
 * splits), plus the base case's pivots and dgetri work; wi_inverse_dd_work() reports
 * the exact count. With the output L and the table's Z, the Leontief inverse holds
 * about 2.35 n^2 doubles.
 *
 * Threads: each dgemm runs on the calling thread's OpenMP/BLAS thread count (set by
 * the caller through wi_threads_begin); there is no OpenMP here.
 */
#include "model/model.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* Blocks of at most this order go to dgetrf + dgetri. Measured on the 2-core Zen 5
 * machine (OpenBLAS 0.3.21, Haswell kernels, 2 threads, n = 1435, 2464, 4050): 96..192
 * are equally fast within the noise (+-2 %), 256 is 3-5 % slower (dgetri's lower rate
 * on the base blocks). The base blocks hold 0.1-0.4 % of the flops. */
#ifndef WI_INV_BASE
#define WI_INV_BASE 160
#endif
/* dgetri's block size on the base blocks (its lwork = n * WI_INV_NB) */
#define WI_INV_NB 64
/* The split n1 is rounded to a multiple of this once n >= 4 * WI_INV_ALIGN: 2-4 %
 * faster than exact halving at n = 1435 and 2464 (measured; 32 is as good, 128 worse:
 * the halves get too unequal). */
#ifndef WI_INV_ALIGN
#define WI_INV_ALIGN 64
#endif

static size_t wi_inv_split(size_t n)
{
    size_t h = n / 2;
    if (h >= 2 * WI_INV_ALIGN)
        h = (h + WI_INV_ALIGN / 2) / WI_INV_ALIGN * WI_INV_ALIGN;
    return h;
}

/* doubles of the base case: dgetri work + pivots (lapack_int, rounded up) */
static size_t wi_inv_base_work(size_t n)
{
    size_t nb = n < WI_INV_BASE ? n : WI_INV_BASE;
    if (nb == 0)
        nb = 1;
    return nb * WI_INV_NB + (nb * sizeof(lapack_int) + sizeof(double) - 1) / sizeof(double);
}

static size_t wi_inv_rec_work(size_t n)
{
    if (n <= WI_INV_BASE)
        return 0;
    size_t n1 = wi_inv_split(n), n2 = n - n1;
    size_t a = wi_inv_rec_work(n1), b = n1 * n2 + wi_inv_rec_work(n2);
    return a > b ? a : b;
}

size_t wi_inverse_dd_work(size_t n)
{
    return wi_inv_base_work(n) + wi_inv_rec_work(n);
}

/* Base case: dgetrf + dgetri on an order-n block (n <= WI_INV_BASE). Returns 0, the
 * 1-based index of a zero pivot, or -1 on a LAPACK argument error. */
static long wi_inv_base(double *M, size_t n, size_t ld, double *bw)
{
    lapack_int *ipiv = (lapack_int *)(void *)(bw + n * WI_INV_NB);
    lapack_int ln = (lapack_int)n, lld = (lapack_int)ld;
    lapack_int info = LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, ln, ln, M, lld, ipiv);
    if (info != 0)
        return info > 0 ? (long)info : -1;
    info = LAPACKE_dgetri_work(LAPACK_COL_MAJOR, ln, M, lld, ipiv, bw,
                               (lapack_int)(n * WI_INV_NB));
    if (info != 0)
        return info > 0 ? (long)info : -1;
    return 0;
}

static long wi_inv_rec(double *M, size_t n, size_t ld, double *W, double *bw)
{
    if (n <= WI_INV_BASE)
        return wi_inv_base(M, n, ld, bw);
    const size_t n1 = wi_inv_split(n), n2 = n - n1;
    const int i1 = (int)n1, i2 = (int)n2, in = (int)n, ild = (int)ld;
    double *M11 = M, *M21 = M + n1, *M12 = M + n1 * ld, *M22 = M12 + n1;

    long rc = wi_inv_rec(M11, n1, ld, W, bw);                       /* X11 */
    if (rc)
        return rc;
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, i1, i2, i1, 1.0, M11, ild, M12, ild,
                0.0, W, i1);                                        /* W = T1 = X11 M12 */
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, i2, i2, i1, -1.0, M21, ild, W, i1,
                1.0, M22, ild);                                     /* M22 = S */
    rc = wi_inv_rec(M22, n2, ld, W + n1 * n2, bw);                  /* X22 */
    if (rc)
        return rc > 0 ? rc + (long)n1 : rc;
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, i1, i2, i2, -1.0, W, i1, M22, ild,
                0.0, M12, ild);                                     /* X12 = -T1 X22 */
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, i2, i1, i1, 1.0, M21, ild, M11, ild,
                0.0, W, i2);                                        /* W = T2 = M21 X11 */
    for (size_t j = 0; j < n1; j++)
        memset(M21 + j * ld, 0, n2 * sizeof *M21);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, in, i1, i2, -1.0, M12, ild, W, i2,
                1.0, M11, ild);                                     /* X11 -= X12 T2, X21 = -X22 T2 */
    return 0;
}

int wi_inverse_dd(wiot_ctx *ctx, double *M, size_t n, size_t ld, double *work, size_t lwork)
{
    if (n == 0)
        return WIOT_OK;
    if (!M || !work || ld < n)
        return wi_error(ctx, WIOT_EINVAL, "wi_inverse_dd: bad arguments (n %zu, ld %zu)", n, ld);
    lapack_int tmp;
    int rc = wi_lapack_int(ctx, ld, &tmp);
    if (rc)
        return rc;
    if (lwork < wi_inverse_dd_work(n))
        return wi_error(ctx, WIOT_EINVAL, "wi_inverse_dd: workspace %zu < %zu doubles", lwork,
                        wi_inverse_dd_work(n));
    long r = wi_inv_rec(M, n, ld, work + wi_inv_base_work(n), work);
    if (r > 0)
        return wi_error(ctx, WIOT_ESINGULAR,
                        "recursive inverse: pivot block singular at row %ld (matrix not "
                        "diagonally dominant?)", r);
    if (r < 0)
        return wi_error(ctx, WIOT_ELAPACK, "recursive inverse: LAPACK argument error");
    return WIOT_OK;
}

/* ----------------------------------------------------- dominance and residual */
int wi_dominant(const wiot_table *t, int model, double margin, double *scratch)
{
    const size_t n = t->n;
    const double *x = t->x, *v = t->v, *Z = t->Z;
    const double limit = 1.0 - margin;
    if (model == WIOT_LEONTIEF) {
        /* Z >= 0 is a table invariant (checked at load), so A >= 0 and the column
         * sums 1 - v/x are the whole test; x = 0 columns of A are zero. */
        for (size_t j = 0; j < n; j++)
            if (x[j] > 0 && !(1.0 - v[j] / x[j] <= limit))
                return 0;
        return 1;
    }
    /* Ghosh: row sums of B = Z / x[i]; rows with x = 0 are zero in B */
    double *rs = scratch;
    memset(rs, 0, n * sizeof *rs);
    for (size_t j = 0; j < n; j++) {
        const double *z = Z + j * n;
        for (size_t i = 0; i < n; i++)
            rs[i] += z[i];
    }
    for (size_t i = 0; i < n; i++)
        if (x[i] > 0 && !(rs[i] / x[i] <= limit))
            return 0;
    return 1;
}

/* Panel width of the residual: two n x WI_RES_NB panels (8 MB at n = 4000). */
#define WI_RES_NB 128

size_t wi_residual_work(size_t n)
{
    size_t w = n < WI_RES_NB ? n : WI_RES_NB;
    return 2 * n * (w ? w : 1) + n;
}

int wi_residual_table(wiot_ctx *ctx, const wiot_table *t, int model, const double *X,
                      size_t ldx, double *work, size_t lwork, double *res)
{
    const size_t n = t->n;
    if (n == 0) {
        *res = 0;
        return WIOT_OK;
    }
    if (lwork < wi_residual_work(n))
        return wi_error(ctx, WIOT_EINVAL, "residual: workspace %zu < %zu doubles", lwork,
                        wi_residual_work(n));
    const size_t nb = n < WI_RES_NB ? n : WI_RES_NB;
    double *Q = work, *P = work + n * nb, *r = P + n * nb;
    const double *x = t->x, *Z = t->Z;
    for (size_t i = 0; i < n; i++)
        r[i] = x[i] > 0 ? 1.0 / x[i] : 0.0;
    double worst = 0.0;
    wi_threads th;
    wi_threads_begin(ctx, &th);
    for (size_t j0 = 0; j0 < n; j0 += nb) {
        const size_t w = n - j0 < nb ? n - j0 : nb;
        const double *Xp = X + j0 * ldx;
        if (model == WIOT_LEONTIEF) {
            /* (A X)[:, panel] = Z (diag(1/x) X[:, panel]) */
            for (size_t j = 0; j < w; j++)
                for (size_t i = 0; i < n; i++)
                    Q[i + j * n] = Xp[i + j * ldx] * r[i];
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)w, (int)n, 1.0,
                        Z, (int)n, Q, (int)n, 0.0, P, (int)n);
        } else {
            /* (B X)[:, panel] = diag(1/x) (Z X[:, panel]) */
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)w, (int)n, 1.0,
                        Z, (int)n, Xp, (int)ldx, 0.0, P, (int)n);
            for (size_t j = 0; j < w; j++)
                for (size_t i = 0; i < n; i++)
                    P[i + j * n] *= r[i];
        }
        for (size_t j = 0; j < w; j++) {
            const double *xc = Xp + j * ldx, *pc = P + j * n;
            for (size_t i = 0; i < n; i++) {
                double e = fabs(xc[i] - pc[i] - (i == j0 + j ? 1.0 : 0.0));
                if (e > worst || e != e)
                    worst = e;
            }
        }
    }
    wi_threads_end(&th);
    *res = worst;
    return WIOT_OK;
}
