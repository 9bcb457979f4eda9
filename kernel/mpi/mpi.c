/* mpi.c -- MPI campaigns and ScaLAPACK factorizations (include/wiot_mpi.h).
 * Built only by `make mpi`. Every entry point is collective and agrees on its status
 * across ranks before returning, so that a failure never leaves a rank waiting. */
#include "ge/ge.h"
#include "tariff/tariff.h"
#include "wiot_mpi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- BLACS and ScaLAPACK (Fortran and C interfaces of libscalapack-openmpi) */
extern void Cblacs_get(int icontxt, int what, int *val);
extern void Cblacs_gridinit(int *icontxt, const char *order, int nprow, int npcol);
extern void Cblacs_gridinfo(int icontxt, int *nprow, int *npcol, int *myrow, int *mycol);
extern void Cblacs_gridexit(int icontxt);
extern int Csys2blacs_handle(MPI_Comm comm);
extern void Cfree_blacs_system_handle(int handle);
extern void Cpdgemr2d(int m, int n, double *A, int ia, int ja, int *desca, double *B, int ib, int jb,
                      int *descb, int gcontext);
extern int numroc_(const int *n, const int *nb, const int *iproc, const int *isrc, const int *nprocs);
extern void descinit_(int *desc, const int *m, const int *n, const int *mb, const int *nb, const int *irsrc,
                      const int *icsrc, const int *ictxt, const int *lld, int *info);
extern void pdgetrf_(const int *m, const int *n, double *a, const int *ia, const int *ja, const int *desca,
                     int *ipiv, int *info);
extern void pdgetrs_(const char *trans, const int *n, const int *nrhs, const double *a, const int *ia,
                     const int *ja, const int *desca, const int *ipiv, double *b, const int *ib, const int *jb,
                     const int *descb, int *info);
extern void pdgetri_(const int *n, double *a, const int *ia, const int *ja, const int *desca, const int *ipiv,
                     double *work, const int *lwork, int *iwork, const int *liwork, int *info);
extern void pdgemm_(const char *transa, const char *transb, const int *m, const int *n, const int *k,
                    const double *alpha, const double *a, const int *ia, const int *ja, const int *desca,
                    const double *b, const int *ib, const int *jb, const int *descb, const double *beta,
                    double *c, const int *ic, const int *jc, const int *descc);

/* batch and result internals (batch.c, tariff.c) */
size_t wi_batch_arrays(wiot_batch *b, double **arr, size_t *rows);
wiot_info *wi_batch_infos(wiot_batch *b);
void wi_batch_set_count(wiot_batch *b, size_t m, int have_cum, int have_exact);
void wi_batch_flags(const wiot_batch *b, int *have_cum, int *have_exact);
size_t wi_batch_max(const wiot_batch *b);

struct wiot_mpi_lu {
    wiot_allocator a;
    MPI_Comm comm;
    int rank, size;
    int blacs;          /* system handle */
    int ctx_grid;       /* P x Q grid */
    int ctx_root;       /* 1 x 1 grid of rank 0 (-1 elsewhere) */
    int ctx_all;        /* 1 x size grid of every rank (redistribution) */
    int nprow, npcol, myrow, mycol, nb;
    int n, lr, lc;      /* order, local rows and columns */
    int desc[9];
    double *A;          /* local part of the factors */
    int *ipiv;          /* lr + nb */
    const wiot_table *t;   /* rank 0 */
    int model;
    wiot_lu proxy;      /* rank 0 */
};

enum { CMD_STOP = 0, CMD_SOLVE = 1 };

int wiot_mpi_agree(MPI_Comm comm, int status)
{
    int rank;
    MPI_Comm_rank(comm, &rank);
    struct {
        int key, rank;
    } in = {status ? 0 : 1, rank}, out;
    MPI_Allreduce(&in, &out, 1, MPI_2INT, MPI_MINLOC, comm);
    int agreed = status;
    if (out.key == 0)   /* someone failed: the first failing rank's status wins */
        MPI_Bcast(&agreed, 1, MPI_INT, out.rank, comm);
    else
        agreed = WIOT_OK;
    return agreed;
}

/* agree, and give ranks that did not fail a message naming the failing rank */
static int wi_agree(wiot_ctx *ctx, MPI_Comm comm, int rc, const char *what)
{
    int rank;
    MPI_Comm_rank(comm, &rank);
    struct {
        int key, rank;
    } in = {rc ? 0 : 1, rank}, out;
    MPI_Allreduce(&in, &out, 1, MPI_2INT, MPI_MINLOC, comm);
    if (out.key != 0)
        return WIOT_OK;
    int agreed = rc;
    char msg[WI_MSG_MAX];
    if (rank == out.rank)
        snprintf(msg, sizeof msg, "%s", ctx->msg);
    MPI_Bcast(&agreed, 1, MPI_INT, out.rank, comm);
    MPI_Bcast(msg, WI_MSG_MAX, MPI_CHAR, out.rank, comm);
    if (rank != out.rank)
        wi_error(ctx, agreed, "%s: rank %d failed: %s", what, out.rank, msg);
    return agreed;
}

int wiot_mpi_grid_auto(int size, size_t n, wiot_mpi_grid *g)
{
    if (size < 1 || !g)
        return WIOT_EINVAL;
    int p = (int)sqrt((double)size);
    while (p > 1 && size % p)
        p--;
    g->nprow = p;
    g->npcol = size / p;
    g->nb = n < 4000 ? 64 : 128;
    return WIOT_OK;
}

static int wi_int(wiot_ctx *ctx, size_t v, int *out)
{
    if (v > (size_t)INT32_MAX)
        return wi_error(ctx, WIOT_ETOOLARGE, "dimension %zu exceeds ScaLAPACK's integer range", v);
    *out = (int)v;
    return WIOT_OK;
}

/* descriptor of a matrix with `cols` columns held whole on rank 0 (context -1 on
 * other ranks, as Cpdgemr2d requires) */
static void wi_root_desc(const wiot_mpi_lu *m, int rows, int cols, int ld, int *desc)
{
    memset(desc, 0, 9 * sizeof *desc);
    desc[1] = -1;
    if (m->rank == 0) {
        int zero = 0, info, one = 1;
        int mb = rows > 0 ? rows : 1, nb = cols > 0 ? cols : 1;
        (void)one;
        descinit_(desc, &rows, &cols, &mb, &nb, &zero, &zero, &m->ctx_root, &ld, &info);
    }
}

/* descriptor of an n x cols block-cyclic matrix on the grid; *lld local rows, *lcols */
static int wi_grid_desc(const wiot_mpi_lu *m, int rows, int cols, int *desc, int *lrows, int *lcols)
{
    int zero = 0, info;
    int lr = numroc_(&rows, &m->nb, &m->myrow, &zero, &m->nprow);
    int lc = numroc_(&cols, &m->nb, &m->mycol, &zero, &m->npcol);
    int lld = lr > 1 ? lr : 1;
    descinit_(desc, &rows, &cols, &m->nb, &m->nb, &zero, &zero, &m->ctx_grid, &lld, &info);
    *lrows = lr;
    *lcols = lc;
    return info;
}

static void wi_mpi_release(wiot_mpi_lu *m)
{
    wiot_allocator a = m->a;
    wi_hfree(&a, m->A);
    wi_hfree(&a, m->ipiv);
    if (m->ctx_grid >= 0)
        Cblacs_gridexit(m->ctx_grid);
    if (m->ctx_root >= 0)
        Cblacs_gridexit(m->ctx_root);
    if (m->ctx_all >= 0)
        Cblacs_gridexit(m->ctx_all);
    if (m->blacs >= 0)
        Cfree_blacs_system_handle(m->blacs);
    wi_hfree(&a, m);
}

void wiot_mpi_lu_free(wiot_mpi_lu *m)
{
    if (m)
        wi_mpi_release(m);
}

/* I - A (or I - B) of rank 0's table, whole, on rank 0 */
static int wi_root_system(wiot_ctx *ctx, const wiot_table *t, int model, double **out)
{
    size_t nn;
    int rc = wi_mul(ctx, t->n, t->n, &nn);
    if (rc)
        return rc;
    double *M = wi_dalloc(ctx, nn);
    if (!M)
        return WIOT_ENOMEM;
    rc = model == WIOT_GHOSH ? wiot_allocation(ctx, t, M, t->n) : wiot_coefficients(ctx, t, M, t->n);
    if (rc) {
        wi_free(ctx, M);
        return rc;
    }
    for (size_t j = 0; j < t->n; j++) {
        for (size_t i = 0; i < t->n; i++)
            M[i + j * t->n] = -M[i + j * t->n];
        M[j + j * t->n] += 1.0;
    }
    *out = M;
    return WIOT_OK;
}

/* distribute rank 0's n x n matrix M into a fresh local block-cyclic array */
static int wi_scatter(wiot_ctx *ctx, wiot_mpi_lu *m, double *M, double **local, int *desc)
{
    int lr, lc;
    wi_grid_desc(m, m->n, m->n, desc, &lr, &lc);
    size_t cnt = (size_t)(lr > 0 ? lr : 1) * (size_t)(lc > 0 ? lc : 1);
    double *L = wi_dalloc(ctx, cnt);
    int rc = L ? WIOT_OK : WIOT_ENOMEM;
    rc = wi_agree(ctx, m->comm, rc, "distributing the matrix");
    if (rc) {
        wi_free(ctx, L);
        return rc;
    }
    int rdesc[9];
    wi_root_desc(m, m->n, m->n, m->n, rdesc);
    Cpdgemr2d(m->n, m->n, M, 1, 1, rdesc, L, 1, 1, desc, m->ctx_all);
    *local = L;
    return WIOT_OK;
}

int wiot_mpi_lu_new(wiot_ctx *ctx, MPI_Comm comm, const wiot_table *t, int model, const wiot_mpi_grid *grid,
                    wiot_mpi_lu **out, wiot_info *info)
{
    if (!ctx || !out)
        return WIOT_EINVAL;
    wi_clear(ctx);
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    /* rank 0 decides n and checks its arguments; everyone agrees */
    int rc = WIOT_OK;
    long long n_ll = 0;
    if (rank == 0) {
        if (!t)
            rc = wi_error(ctx, WIOT_EINVAL, "wiot_mpi_lu_new: rank 0 has no table");
        else if (model != WIOT_LEONTIEF && model != WIOT_GHOSH)
            rc = wi_error(ctx, WIOT_EINVAL, "wiot_mpi_lu_new: unknown model %d", model);
        else
            n_ll = (long long)t->n;
    }
    rc = wi_agree(ctx, comm, rc, "wiot_mpi_lu_new");
    if (rc)
        return rc;
    MPI_Bcast(&n_ll, 1, MPI_LONG_LONG, 0, comm);
    wiot_mpi_grid g;
    if (grid)
        g = *grid;
    else
        wiot_mpi_grid_auto(size, (size_t)n_ll, &g);
    int n = 0;
    if (g.nprow < 1 || g.npcol < 1 || g.nb < 1)
        rc = wi_error(ctx, WIOT_EINVAL, "grid %d x %d with block %d is not valid", g.nprow, g.npcol, g.nb);
    else if ((long long)g.nprow * g.npcol != size)
        rc = wi_error(ctx, WIOT_EINVAL, "grid %d x %d needs %d ranks, the communicator has %d", g.nprow, g.npcol,
                      g.nprow * g.npcol, size);
    else
        rc = wi_int(ctx, (size_t)n_ll, &n);
    rc = wi_agree(ctx, comm, rc, "wiot_mpi_lu_new");
    if (rc)
        return rc;

    wiot_mpi_lu *m = wi_calloc(ctx, 1, sizeof *m);
    rc = wi_agree(ctx, comm, m ? WIOT_OK : WIOT_ENOMEM, "wiot_mpi_lu_new");
    if (rc) {
        wi_free(ctx, m);
        return rc;
    }
    m->a = ctx->a;
    m->comm = comm;
    m->rank = rank;
    m->size = size;
    m->nprow = g.nprow;
    m->npcol = g.npcol;
    m->nb = g.nb;
    m->n = n;
    m->t = rank == 0 ? t : NULL;
    m->model = model;
    m->ctx_root = m->ctx_all = -1;
    m->blacs = Csys2blacs_handle(comm);
    m->ctx_grid = m->blacs;
    Cblacs_gridinit(&m->ctx_grid, "Row", g.nprow, g.npcol);
    Cblacs_gridinfo(m->ctx_grid, &m->nprow, &m->npcol, &m->myrow, &m->mycol);
    m->ctx_all = m->blacs;
    Cblacs_gridinit(&m->ctx_all, "Row", 1, size);
    int one_ctx = m->blacs;
    Cblacs_gridinit(&one_ctx, "Row", 1, 1);   /* includes rank 0 only */
    m->ctx_root = rank == 0 ? one_ctx : -1;

    double *M = NULL;
    rc = rank == 0 ? wi_root_system(ctx, t, model, &M) : WIOT_OK;
    rc = wi_agree(ctx, comm, rc, "wiot_mpi_lu_new");
    if (!rc)
        rc = wi_scatter(ctx, m, M, &m->A, m->desc);
    wi_free(ctx, M);
    if (rc) {
        wi_mpi_release(m);
        return rc;
    }
    int lr, lc;
    wi_grid_desc(m, n, n, m->desc, &lr, &lc);
    m->lr = lr;
    m->lc = lc;
    m->ipiv = wi_calloc(ctx, (size_t)lr + (size_t)m->nb + 1, sizeof *m->ipiv);
    rc = wi_agree(ctx, comm, m->ipiv ? WIOT_OK : WIOT_ENOMEM, "wiot_mpi_lu_new");
    if (rc) {
        wi_mpi_release(m);
        return rc;
    }
    int one = 1, linfo = 0;
    MPI_Barrier(comm);
    double t0 = wi_now();
    wi_threads th;
    wi_threads_begin(ctx, &th);
    pdgetrf_(&n, &n, m->A, &one, &one, m->desc, m->ipiv, &linfo);
    wi_threads_end(&th);
    double secs = wi_now() - t0;
    MPI_Allreduce(MPI_IN_PLACE, &secs, 1, MPI_DOUBLE, MPI_MAX, comm);
    if (linfo > 0)
        rc = wi_error(ctx, WIOT_ESINGULAR, "I - %s is singular: U(%d,%d) = 0", model == WIOT_GHOSH ? "B" : "A",
                      linfo, linfo);
    else if (linfo < 0)
        rc = wi_error(ctx, WIOT_ELAPACK, "pdgetrf: argument %d invalid", -linfo);
    rc = wi_agree(ctx, comm, rc, "pdgetrf");
    if (rc) {
        wi_mpi_release(m);
        return rc;
    }
    double flops = 2.0 / 3.0 * (double)n * (double)n * (double)n;
    wi_account(ctx, flops, secs);
    if (info) {
        memset(info, 0, sizeof *info);
        info->seconds = secs;
        info->flops = flops;
        info->method = WIOT_METHOD_LU;
    }
    if (rank == 0) {
        m->proxy.a = m->a;
        m->proxy.t = t;
        m->proxy.model = model;
        m->proxy.n = (size_t)n;
        m->proxy.lu = NULL;
        m->proxy.ipiv = NULL;
    }
    *out = m;
    return WIOT_OK;
}

/* the collective solve itself: B (rank 0) -> grid -> pdgetrs -> B */
static int wi_mpi_solve(wiot_ctx *ctx, wiot_mpi_lu *m, int trans, int nrhs, double *B, int ldb)
{
    int desc[9], lr, lc, rdesc[9];
    wi_grid_desc(m, m->n, nrhs, desc, &lr, &lc);
    double *X = wi_dalloc(ctx, (size_t)(lr > 0 ? lr : 1) * (size_t)(lc > 0 ? lc : 1));
    int rc = wi_agree(ctx, m->comm, X ? WIOT_OK : WIOT_ENOMEM, "distributed solve");
    if (rc) {
        wi_free(ctx, X);
        return rc;
    }
    wi_root_desc(m, m->n, nrhs, ldb, rdesc);
    Cpdgemr2d(m->n, nrhs, B, 1, 1, rdesc, X, 1, 1, desc, m->ctx_all);
    int one = 1, linfo = 0;
    double t0 = wi_now();
    wi_threads th;
    wi_threads_begin(ctx, &th);
    pdgetrs_(trans == WIOT_TRANS ? "T" : "N", &m->n, &nrhs, m->A, &one, &one, m->desc, m->ipiv, X, &one, &one,
             desc, &linfo);
    wi_threads_end(&th);
    wi_account(ctx, 2.0 * (double)m->n * (double)m->n * (double)nrhs, wi_now() - t0);
    Cpdgemr2d(m->n, nrhs, X, 1, 1, desc, B, 1, 1, rdesc, m->ctx_all);
    wi_free(ctx, X);
    rc = linfo ? wi_error(ctx, WIOT_ELAPACK, "pdgetrs: argument %d invalid", -linfo) : WIOT_OK;
    return wi_agree(ctx, m->comm, rc, "pdgetrs");
}

int wiot_mpi_lu_solve(wiot_ctx *ctx, wiot_mpi_lu *m, int trans, size_t nrhs, double *B, size_t ldb)
{
    if (!ctx || !m)
        return WIOT_EINVAL;
    wi_clear(ctx);
    int rc = WIOT_OK, ir = 0, il = 0;
    if (trans != WIOT_NOTRANS && trans != WIOT_TRANS)
        rc = wi_error(ctx, WIOT_EINVAL, "wiot_mpi_lu_solve: trans must be WIOT_NOTRANS or WIOT_TRANS");
    else if (m->rank == 0 && (!B || ldb < (size_t)m->n))
        rc = wi_error(ctx, WIOT_EINVAL, "wiot_mpi_lu_solve: rank 0 needs B with ldb >= n");
    else if (!(rc = wi_int(ctx, nrhs, &ir)))
        rc = wi_int(ctx, m->rank == 0 ? ldb : 1, &il);
    /* every rank must agree on nrhs: rank 0's is used */
    int hdr[3] = {trans, ir, il};
    MPI_Bcast(hdr, 3, MPI_INT, 0, m->comm);
    rc = wi_agree(ctx, m->comm, rc, "wiot_mpi_lu_solve");
    if (rc || hdr[1] == 0)
        return rc;
    return wi_mpi_solve(ctx, m, hdr[0], hdr[1], B, m->rank == 0 ? hdr[2] : 1);
}

/* ---------------------------------------------------------- proxy and serve */
static int wi_proxy_solve(void *ud, wiot_ctx *ctx, int trans, size_t nrhs, double *B, size_t ldb)
{
    wiot_mpi_lu *m = ud;
    int ir = 0, il = 0;
    int rc = wi_int(ctx, nrhs, &ir);
    if (!rc)
        rc = wi_int(ctx, ldb, &il);
    int cmd[4] = {rc ? CMD_STOP : CMD_SOLVE, trans, ir, il};
    if (rc)
        return rc;   /* the serving ranks keep waiting for a valid command */
    MPI_Bcast(cmd, 4, MPI_INT, 0, m->comm);
    return wi_mpi_solve(ctx, m, trans, ir, B, il);
}

const wiot_lu *wiot_mpi_lu_proxy(wiot_mpi_lu *m)
{
    if (!m || m->rank != 0)
        return NULL;
    m->proxy.solve = wi_proxy_solve;
    m->proxy.solve_ud = m;
    return &m->proxy;
}

int wiot_mpi_serve(wiot_ctx *ctx, wiot_mpi_lu *m)
{
    if (!ctx || !m)
        return WIOT_EINVAL;
    if (m->rank == 0)
        return WIOT_OK;
    int first = WIOT_OK;
    for (;;) {
        int cmd[4];
        MPI_Bcast(cmd, 4, MPI_INT, 0, m->comm);
        if (cmd[0] != CMD_SOLVE)
            return first;
        int rc = wi_mpi_solve(ctx, m, cmd[1], cmd[2], NULL, 1);
        if (rc && !first)
            first = rc;
    }
}

int wiot_mpi_lu_release(wiot_ctx *ctx, wiot_mpi_lu *m)
{
    if (!ctx || !m)
        return WIOT_EINVAL;
    if (m->rank != 0)
        return WIOT_OK;
    int cmd[4] = {CMD_STOP, 0, 0, 0};
    MPI_Bcast(cmd, 4, MPI_INT, 0, m->comm);
    return WIOT_OK;
}

/* ---------------------------------------------------------------- inverse */
static int wi_l2g(int l, int nb, int myproc, int nprocs) { return (l / nb) * nb * nprocs + myproc * nb + l % nb; }

int wiot_mpi_lu_inverse(wiot_ctx *ctx, wiot_mpi_lu *m, double *L, size_t ldl, wiot_info *info)
{
    if (!ctx || !m)
        return WIOT_EINVAL;
    wi_clear(ctx);
    int rc = WIOT_OK, ild = 1;
    if (m->rank == 0 && (!L || ldl < (size_t)m->n))
        rc = wi_error(ctx, WIOT_EINVAL, "wiot_mpi_lu_inverse: rank 0 needs L with ldl >= n");
    else if (m->rank == 0)
        rc = wi_int(ctx, ldl, &ild);
    rc = wi_agree(ctx, m->comm, rc, "wiot_mpi_lu_inverse");
    if (rc)
        return rc;
    const int n = m->n;
    size_t cnt = (size_t)(m->lr > 0 ? m->lr : 1) * (size_t)(m->lc > 0 ? m->lc : 1);
    double *X = wi_dalloc(ctx, cnt);
    rc = wi_agree(ctx, m->comm, X ? WIOT_OK : WIOT_ENOMEM, "wiot_mpi_lu_inverse");
    if (rc) {
        wi_free(ctx, X);
        return rc;
    }
    memcpy(X, m->A, cnt * sizeof *X);
    int one = 1, linfo = 0, lwork = -1, liwork = -1, iq = 0;
    double wq = 0;
    pdgetri_(&n, X, &one, &one, m->desc, m->ipiv, &wq, &lwork, &iq, &liwork, &linfo);
    lwork = (int)wq + 1;
    liwork = iq + 1;
    double *work = wi_dalloc(ctx, (size_t)lwork);
    int *iwork = wi_calloc(ctx, (size_t)liwork, sizeof *iwork);
    rc = wi_agree(ctx, m->comm, work && iwork ? WIOT_OK : WIOT_ENOMEM, "wiot_mpi_lu_inverse");
    double secs = 0, rsecs = 0, res = -1;
    if (!rc) {
        MPI_Barrier(m->comm);
        double t0 = wi_now();
        wi_threads th;
        wi_threads_begin(ctx, &th);
        pdgetri_(&n, X, &one, &one, m->desc, m->ipiv, work, &lwork, iwork, &liwork, &linfo);
        wi_threads_end(&th);
        secs = wi_now() - t0;
        MPI_Allreduce(MPI_IN_PLACE, &secs, 1, MPI_DOUBLE, MPI_MAX, m->comm);
        rc = linfo > 0 ? wi_error(ctx, WIOT_ESINGULAR, "pdgetri: U(%d,%d) = 0", linfo, linfo)
             : linfo < 0 ? wi_error(ctx, WIOT_ELAPACK, "pdgetri: argument %d invalid", -linfo)
                         : WIOT_OK;
        rc = wi_agree(ctx, m->comm, rc, "pdgetri");
    }
    wi_free(ctx, work);
    wi_free(ctx, iwork);
    if (!rc && ctx->residual) {
        /* R = M X - I with M = I - A redistributed from rank 0, by pdgemm */
        double r0 = wi_now(), *M = NULL, *Ml = NULL, *R = NULL;
        int mdesc[9];
        rc = m->rank == 0 ? wi_root_system(ctx, m->t, m->model, &M) : WIOT_OK;
        rc = wi_agree(ctx, m->comm, rc, "residual");
        if (!rc)
            rc = wi_scatter(ctx, m, M, &Ml, mdesc);
        wi_free(ctx, M);
        if (!rc) {
            R = wi_dalloc(ctx, cnt);
            rc = wi_agree(ctx, m->comm, R ? WIOT_OK : WIOT_ENOMEM, "residual");
        }
        if (!rc) {
            double alpha = 1.0, beta = 0.0;
            wi_threads th;
            wi_threads_begin(ctx, &th);
            pdgemm_("N", "N", &n, &n, &n, &alpha, Ml, &one, &one, m->desc, X, &one, &one, m->desc, &beta, R, &one,
                    &one, m->desc);
            wi_threads_end(&th);
            double worst = 0;
            int lld = m->desc[8];
            for (int lj = 0; lj < m->lc; lj++) {
                int gj = wi_l2g(lj, m->nb, m->mycol, m->npcol);
                for (int li = 0; li < m->lr; li++) {
                    int gi = wi_l2g(li, m->nb, m->myrow, m->nprow);
                    double v = fabs(R[li + (size_t)lj * (size_t)lld] - (gi == gj ? 1.0 : 0.0));
                    worst = v > worst || v != v ? v : worst;
                }
            }
            MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_DOUBLE, MPI_MAX, m->comm);
            res = worst;
        }
        wi_free(ctx, Ml);
        wi_free(ctx, R);
        rsecs = wi_now() - r0;
    }
    if (!rc) {
        int rdesc[9];
        wi_root_desc(m, n, n, ild, rdesc);
        Cpdgemr2d(n, n, X, 1, 1, m->desc, L, 1, 1, rdesc, m->ctx_all);
    }
    wi_free(ctx, X);
    if (!rc && info) {
        memset(info, 0, sizeof *info);
        info->seconds = secs;
        info->flops = 4.0 / 3.0 * (double)n * (double)n * (double)n;
        info->residual = res;
        info->residual_seconds = rsecs;
        info->method = WIOT_METHOD_INVERSE;
    }
    return rc;
}

/* ---------------------------------------------------------------- campaigns */
int wiot_mpi_batch_run(wiot_ctx *ctx, MPI_Comm comm, wiot_batch *b, const wiot_schedule *const *s, size_t m,
                       double rho, int models)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int rc = WIOT_OK;
    if (!b || (!s && m))
        rc = wi_error(ctx, WIOT_EINVAL, "wiot_mpi_batch_run: NULL argument");
    else if (m > wi_batch_max(b))
        rc = wi_error(ctx, WIOT_EINVAL, "wiot_mpi_batch_run: %zu scenarios but the batch holds %zu", m,
                      wi_batch_max(b));
    else if (m > (size_t)INT32_MAX / 4096)
        rc = wi_error(ctx, WIOT_ETOOLARGE, "wiot_mpi_batch_run: too many scenarios (%zu)", m);
    rc = wi_agree(ctx, comm, rc, "wiot_mpi_batch_run");
    if (rc)
        return rc;
    size_t lo = m * (size_t)rank / (size_t)size, hi = m * (size_t)(rank + 1) / (size_t)size;
    rc = wiot_batch_run(ctx, b, s + lo, hi - lo, rho, models);
    rc = wi_agree(ctx, comm, rc, "wiot_mpi_batch_run");
    if (rc)
        return rc;
    int have_cum = 0, have_exact = 0;
    wi_batch_flags(b, &have_cum, &have_exact);
    if (hi == lo) {   /* a rank without scenarios did not set its flags: take rank 0's */
        have_cum = (models & WIOT_FIRST_ORDER) != 0;
        have_exact = (models & WIOT_EXACT) != 0;
    }
    double *arr[16];
    size_t rows[16];
    size_t na = wi_batch_arrays(b, arr, rows);
    int *counts = malloc((size_t)size * sizeof *counts), *displs = malloc((size_t)size * sizeof *displs);
    rc = wi_agree(ctx, comm, counts && displs ? WIOT_OK : wi_error(ctx, WIOT_ENOMEM, "out of memory"),
                  "wiot_mpi_batch_run");
    if (rc) {
        free(counts);
        free(displs);
        return rc;
    }
    for (size_t q = 0; q <= na; q++) {
        /* q == na: the per-scenario info records, as bytes */
        size_t unit = q < na ? rows[q] : sizeof(wiot_info);
        for (int r = 0; r < size; r++) {
            size_t rlo = m * (size_t)r / (size_t)size, rhi = m * (size_t)(r + 1) / (size_t)size;
            counts[r] = (int)((rhi - rlo) * unit);
            displs[r] = (int)(rlo * unit);
        }
        if (q < na) {
            void *send = rank == 0 ? MPI_IN_PLACE : arr[q];
            MPI_Gatherv(send, counts[rank], MPI_DOUBLE, arr[q], counts, displs, MPI_DOUBLE, 0, comm);
        } else {
            void *base = wi_batch_infos(b);
            void *send = rank == 0 ? MPI_IN_PLACE : base;
            MPI_Gatherv(send, counts[rank], MPI_BYTE, base, counts, displs, MPI_BYTE, 0, comm);
        }
    }
    free(counts);
    free(displs);
    if (rank == 0)
        wi_batch_set_count(b, m, have_cum, have_exact);
    return WIOT_OK;
}

/* ------------------------------------------------------- moving results */
double *wi_result_block(wiot_result *r, size_t *count, int **flags, wiot_result_summary **sum);

int wiot_mpi_result_send(wiot_ctx *ctx, MPI_Comm comm, wiot_result *r, int from, int to)
{
    if (!ctx)
        return WIOT_EINVAL;
    int rank;
    MPI_Comm_rank(comm, &rank);
    if (from == to || (rank != from && rank != to))
        return WIOT_OK;
    if (!r)
        return wi_error(ctx, WIOT_EINVAL, "wiot_mpi_result_send: NULL result");
    size_t count;
    int *flags;
    wiot_result_summary *sum;
    double *blk = wi_result_block(r, &count, &flags, &sum);
    if (count > (size_t)INT32_MAX)
        return wi_error(ctx, WIOT_ETOOLARGE, "wiot_mpi_result_send: result too large");
    if (rank == from) {
        MPI_Send(blk, (int)count, MPI_DOUBLE, to, 71, comm);
        MPI_Send(flags, 2, MPI_INT, to, 72, comm);
        MPI_Send(sum, (int)sizeof *sum, MPI_BYTE, to, 73, comm);
    } else {
        MPI_Recv(blk, (int)count, MPI_DOUBLE, from, 71, comm, MPI_STATUS_IGNORE);
        MPI_Recv(flags, 2, MPI_INT, from, 72, comm, MPI_STATUS_IGNORE);
        MPI_Recv(sum, (int)sizeof *sum, MPI_BYTE, from, 73, comm, MPI_STATUS_IGNORE);
    }
    return WIOT_OK;
}

int wiot_mpi_ge_result_send(wiot_ctx *ctx, MPI_Comm comm, wiot_ge_result *r, wiot_ge_info *info,
                            int from, int to)
{
    if (!ctx)
        return WIOT_EINVAL;
    int rank;
    MPI_Comm_rank(comm, &rank);
    if (from == to || (rank != from && rank != to))
        return WIOT_OK;
    if (!r)
        return wi_error(ctx, WIOT_EINVAL, "wiot_mpi_ge_result_send: NULL result");
    double *part[3];
    size_t len[3], np = wi_ge_result_parts(r, part, len);
    for (size_t k = 0; k < np; k++)
        if (len[k] > (size_t)INT32_MAX)
            return wi_error(ctx, WIOT_ETOOLARGE, "wiot_mpi_ge_result_send: result too large");
    for (size_t k = 0; k < np; k++) {
        if (rank == from)
            MPI_Send(part[k], (int)len[k], MPI_DOUBLE, to, 81 + (int)k, comm);
        else
            MPI_Recv(part[k], (int)len[k], MPI_DOUBLE, from, 81 + (int)k, comm, MPI_STATUS_IGNORE);
    }
    if (info && rank == from)
        MPI_Send(info, (int)sizeof *info, MPI_BYTE, to, 84, comm);
    else if (info)
        MPI_Recv(info, (int)sizeof *info, MPI_BYTE, from, 84, comm, MPI_STATUS_IGNORE);
    return WIOT_OK;
}
