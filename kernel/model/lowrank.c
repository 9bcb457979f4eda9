/* lowrank.c -- the one low-rank (Sherman-Morrison-Woodbury) update engine on a baseline
 * LU, used by the exact tariff model (tariff/tariff.c, rank k = imposers x S), the
 * batches (tariff/batch.c, one capacitance per scenario) and hypothetical extraction
 * (exposure/exposure.c, rank k = source country-sectors).
 *
 * For M* = M0 + alpha U W (U n x k, W k x n) and a factorization of M0:
 *   Y   = M0^{-1} U                                 (k solves on the baseline LU)
 *   cap = I_k + alpha W Y                           (the capacitance, k x k)
 *   M*^{-1} b = M0^{-1} b - alpha Y cap^{-1} W M0^{-1} b.
 * The callers build U, W and Y (each has its own structure: unit columns of the buyer
 * rows, the taxed coefficients, the removed links); this module forms and factors the
 * capacitance with a condition estimate and applies the correction, the part that was
 * written three times. No allocation, no threads of its own: BLAS runs on the calling
 * thread's setting (a batch calls it inside a parallel region with serial BLAS). */
#include "model/model.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#define WI_EPS 2.220446049250313e-16

int wi_lowrank_factor(size_t k, size_t m, double alpha, const double *W, size_t ldw, const double *Y,
                      size_t ldy, double *cap, lapack_int *piv, double *work, lapack_int *iwork,
                      double *rcond)
{
    *rcond = 0;
    if (k == 0)
        return 0;
    if (W) {
        if (m > 0)
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)k, (int)k, (int)m, alpha, W,
                        (int)ldw, Y, (int)ldy, 0.0, cap, (int)k);
        else
            memset(cap, 0, k * k * sizeof *cap);
    }
    double anorm = 0;   /* 1-norm of the capacitance, for its condition */
    for (size_t c = 0; c < k; c++) {
        cap[c + c * k] += 1.0;
        double s = 0;
        for (size_t r = 0; r < k; r++)
            s += fabs(cap[r + c * k]);
        anorm = s > anorm ? s : anorm;
    }
    lapack_int lk = (lapack_int)k;
    lapack_int info = LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, lk, lk, cap, lk, piv);
    if (info != 0)
        return info < 0 ? (int)info : (int)lk;
    LAPACKE_dgecon_work(LAPACK_COL_MAJOR, '1', lk, cap, lk, anorm, rcond, work, iwork);
    return *rcond > WI_EPS ? 0 : (int)lk;   /* numerically singular */
}

int wi_lowrank_apply(size_t n, size_t k, size_t nrhs, double alpha, const double *Y, size_t ldy,
                     const double *cap, const lapack_int *piv, double *Zc, size_t ldz, double *B,
                     size_t ldb)
{
    if (k == 0 || nrhs == 0)
        return 0;
    lapack_int info = LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, 'N', (lapack_int)k, (lapack_int)nrhs, cap,
                                          (lapack_int)k, piv, Zc, (lapack_int)ldz);
    if (info != 0)
        return (int)info;
    if (nrhs == 1)
        cblas_dgemv(CblasColMajor, CblasNoTrans, (int)n, (int)k, -alpha, Y, (int)ldy, Zc, 1, 1.0, B, 1);
    else
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)nrhs, (int)k, -alpha, Y,
                    (int)ldy, Zc, (int)ldz, 1.0, B, (int)ldb);
    return 0;
}
