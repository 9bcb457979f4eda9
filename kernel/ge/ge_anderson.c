/* ge_anderson.c -- Anderson acceleration (type II, Walker & Ni 2011) of the fixed
 * points of the general-equilibrium solver (kernel/METHODS.md §6.9). */
#include "ge/ge.h"

#include <math.h>
#include <string.h>

void wi_ge_aa_init(wi_aa *a, size_t dim, double *mem)
{
    a->dim = dim;
    a->k = a->head = 0;
    a->dF = mem;
    a->dG = mem + AA_M * dim;
    a->fprev = mem + 2 * AA_M * dim;
    a->gprev = mem + (2 * AA_M + 1) * dim;
}
size_t wi_ge_aa_size(size_t dim) { return (2 * AA_M + 2) * dim; }
void wi_ge_aa_reset(wi_aa *a) { a->head = 0; a->k = -1; }

/* x <- the accelerated next iterate given g = g(x) (x and g: dim). */
void wi_ge_aa_step(wi_aa *a, double *x, const double *g)
{
    size_t d = a->dim;
    if (a->k >= 0) {
        double *df = a->dF + (size_t)a->head * d, *dg = a->dG + (size_t)a->head * d;
        for (size_t q = 0; q < d; q++) {
            double f = g[q] - x[q];
            df[q] = f - a->fprev[q];
            dg[q] = g[q] - a->gprev[q];
        }
        a->head = (a->head + 1) % AA_M;
        if (a->k < AA_M)
            a->k++;
    } else {
        a->k = 0;
    }
    for (size_t q = 0; q < d; q++) {
        a->fprev[q] = g[q] - x[q];
        a->gprev[q] = g[q];
    }
    int m = a->k;
    double gam[AA_M] = {0};
    if (m > 0) {
        double H[AA_M][AA_M + 1];
        for (int p = 0; p < m; p++) {
            const double *fp = a->dF + (size_t)p * d;
            for (int r = 0; r <= p; r++) {
                const double *fr = a->dF + (size_t)r * d;
                double s = 0;
                for (size_t q = 0; q < d; q++)
                    s += fp[q] * fr[q];
                H[p][r] = H[r][p] = s;
            }
            double s = 0;
            for (size_t q = 0; q < d; q++)
                s += fp[q] * a->fprev[q];
            H[p][m] = s;
        }
        double tr = 0;
        for (int p = 0; p < m; p++)
            tr += H[p][p];
        for (int p = 0; p < m; p++)
            H[p][p] += 1e-13 * tr + 1e-300;
        /* Gaussian elimination with partial pivoting */
        int ok = 1;
        for (int c = 0; c < m && ok; c++) {
            int piv = c;
            for (int r = c + 1; r < m; r++)
                if (fabs(H[r][c]) > fabs(H[piv][c]))
                    piv = r;
            if (!(fabs(H[piv][c]) > 0)) {
                ok = 0;
                break;
            }
            if (piv != c)
                for (int q = 0; q <= m; q++) {
                    double t = H[c][q];
                    H[c][q] = H[piv][q];
                    H[piv][q] = t;
                }
            for (int r = c + 1; r < m; r++) {
                double f = H[r][c] / H[c][c];
                for (int q = c; q <= m; q++)
                    H[r][q] -= f * H[c][q];
            }
        }
        for (int c = m - 1; c >= 0 && ok; c--) {
            double s = H[c][m];
            for (int q = c + 1; q < m; q++)
                s -= H[c][q] * gam[q];
            gam[c] = s / H[c][c];
            if (!isfinite(gam[c]))
                ok = 0;
        }
        if (!ok) {
            memset(gam, 0, sizeof gam);
            a->k = 0;
        }
    }
    for (size_t q = 0; q < d; q++) {
        double v = g[q];
        for (int p = 0; p < m; p++)
            v -= gam[p] * a->dG[(size_t)p * d + q];
        x[q] = v;
    }
}

