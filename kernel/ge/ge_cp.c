/* ge_cp.c -- reader of CP2015-style datasets (national IO tables, bilateral sector
 * trade and tariffs; data/cp2015/README.md), building a general-equilibrium model
 * directly (kernel/METHODS.md §6.8). Files are streamed line by line through a fixed
 * buffer, so nothing but the model's arrays is held in memory. */
#include "ge/ge.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CP_LINE 4096
#define CP_MAXF 10
#define CP_MAX_NAMES 10000
#define CP_FILE_MAX ((z_off_t)1 << 30)  /* longest file streamed (README "Guarantees") */

typedef struct cp_file {
    gzFile gz;
    char path[1024];
    long line;
    char buf[CP_LINE];
    char *f[CP_MAXF];
    int nf;
} cp_file;

static void cp_close(cp_file *cf)
{
    if (cf->gz)
        gzclose(cf->gz);
    cf->gz = NULL;
}

/* Next data line split into fields: 1, 0 at the end, or -1 with the message set. */
static int cp_next(wiot_ctx *ctx, cp_file *cf, int *rc)
{
    for (;;) {
        z_off_t at = gztell(cf->gz);
        if (at > CP_FILE_MAX) {
            char b1[32];
            *rc = wi_error(ctx, WIOT_ETOOLARGE, "%s: longer than %s, the most a CP2015 file may "
                           "have", cf->path, wi_bytes_str(b1, sizeof b1, (double)CP_FILE_MAX));
            return -1;
        }
        if (!gzgets(cf->gz, cf->buf, sizeof cf->buf)) {
            int err;
            const char *m = gzerror(cf->gz, &err);
            if (err != Z_OK && err != Z_STREAM_END) {
                *rc = wi_error(ctx, WIOT_EIO, "%s:%ld: read error: %s", cf->path, cf->line + 1, m);
                return -1;
            }
            return 0;
        }
        cf->line++;
        size_t len = strlen(cf->buf);
        if (gztell(cf->gz) - at != (z_off_t)len) {   /* gzgets stops at '\n', not at NUL */
            *rc = wi_error(ctx, WIOT_EFORMAT, "%s:%ld: contains a NUL byte (not a text file)",
                           cf->path, cf->line);
            return -1;
        }
        if (len == sizeof cf->buf - 1 && cf->buf[len - 1] != '\n' && !gzeof(cf->gz)) {
            *rc = wi_error(ctx, WIOT_EFORMAT, "%s:%ld: line longer than %d bytes", cf->path,
                           cf->line, CP_LINE - 2);
            return -1;
        }
        while (len && (cf->buf[len - 1] == '\n' || cf->buf[len - 1] == '\r'))
            cf->buf[--len] = 0;
        if (!len)
            continue;
        cf->nf = 0;
        char *p = cf->buf;
        for (;;) {
            if (cf->nf == CP_MAXF) {
                *rc = wi_error(ctx, WIOT_EFORMAT, "%s:%ld: more than %d fields", cf->path,
                               cf->line, CP_MAXF);
                return -1;
            }
            cf->f[cf->nf++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = 0;
            p = c + 1;
        }
        return 1;
    }
}

/* Open dir/name (or dir/name.gz) and check its header line. */
static int cp_open(wiot_ctx *ctx, cp_file *cf, const char *dir, const char *name,
                   const char *header, int nfields)
{
    snprintf(cf->path, sizeof cf->path, "%s/%s", dir, name);
    cf->gz = gzopen(cf->path, "rb");
    if (!cf->gz) {
        snprintf(cf->path, sizeof cf->path, "%s/%s.gz", dir, name);
        cf->gz = gzopen(cf->path, "rb");
    }
    if (!cf->gz) {
        snprintf(cf->path, sizeof cf->path, "%s/%s", dir, name);
        return wi_error(ctx, WIOT_EIO, "%s: cannot open (nor %s.gz): %s", cf->path, name,
                        strerror(errno ? errno : ENOENT));
    }
    cf->line = 0;
    int rc = WIOT_OK, got = cp_next(ctx, cf, &rc);
    if (got < 0)
        return rc;
    char want[256];
    snprintf(want, sizeof want, "%s", header);
    int ok = got == 1 && cf->nf == nfields;
    char *w = want;
    for (int k = 0; ok && k < nfields; k++) {
        char *c = strchr(w, ',');
        if (c)
            *c = 0;
        ok = !strcmp(cf->f[k], w);
        w = c ? c + 1 : w;
    }
    if (!ok)
        return wi_error(ctx, WIOT_EFORMAT, "%s:1: header must be '%s'", cf->path, header);
    return WIOT_OK;
}

static int cp_fields(wiot_ctx *ctx, const cp_file *cf, int n)
{
    if (cf->nf != n)
        return wi_error(ctx, WIOT_EFORMAT, "%s:%ld: %d fields, expected %d", cf->path, cf->line,
                        cf->nf, n);
    return WIOT_OK;
}

static int cp_num(wiot_ctx *ctx, const cp_file *cf, int k, const char *field, double *out)
{
    double v = 0;
    if (wi_num(cf->f[k], strlen(cf->f[k]), &v) != WI_NUM_OK)   /* no hex, no "inf" */
        return wi_error(ctx, WIOT_EFORMAT, "%s:%ld: field '%s': '%.40s' is not a finite number",
                        cf->path, cf->line, field, cf->f[k]);
    *out = v;
    return WIOT_OK;
}

static int cp_find(wiot_ctx *ctx, const cp_file *cf, int k, const char *field, char **names,
                   size_t count, size_t *out)
{
    for (size_t q = 0; q < count; q++)
        if (!strcmp(names[q], cf->f[k])) {
            *out = q;
            return WIOT_OK;
        }
    return wi_error(ctx, WIOT_ENOTFOUND, "%s:%ld: field '%s': unknown name '%.60s'", cf->path,
                    cf->line, field, cf->f[k]);
}

/* regions.csv / sectors.csv: one name a line; names as one allocated block. */
static int cp_names(wiot_ctx *ctx, const char *dir, const char *file, const char *header,
                    char ***out, size_t *count)
{
    cp_file cf = {0};
    int rc = cp_open(ctx, &cf, dir, file, header, 1);
    size_t n = 0, bytes = 0;
    char **v = NULL;
    /* two passes over a small file: count, then copy */
    while (!rc) {
        int got = cp_next(ctx, &cf, &rc);
        if (got <= 0)
            break;
        rc = cp_fields(ctx, &cf, 1);
        if (!rc && (!cf.f[0][0] || wi_code_problem(cf.f[0], strlen(cf.f[0]))))
            rc = wi_error(ctx, WIOT_EFORMAT, "%s:%ld: invalid name '%.60s'", cf.path, cf.line,
                          cf.f[0]);
        n++;
        bytes += strlen(cf.f[0]) + 1;
        if (!rc && n > CP_MAX_NAMES)
            rc = wi_error(ctx, WIOT_ETOOLARGE, "%s: more than %d names", cf.path, CP_MAX_NAMES);
    }
    cp_close(&cf);
    if (!rc && n == 0)
        rc = wi_error(ctx, WIOT_EFORMAT, "%s: no names", cf.path);
    if (rc)
        return rc;
    v = wi_alloc(ctx, n * sizeof(char *) + bytes);
    if (!v)
        return WIOT_ENOMEM;
    rc = cp_open(ctx, &cf, dir, file, header, 1);
    char *p = (char *)(v + n);
    for (size_t k = 0; !rc && k < n; k++) {
        if (cp_next(ctx, &cf, &rc) <= 0) {
            if (!rc)
                rc = wi_error(ctx, WIOT_EIO, "%s: changed while read", cf.path);
            break;
        }
        size_t len = strlen(cf.f[0]) + 1;
        if ((size_t)(p - (char *)(v + n)) + len > bytes) {
            rc = wi_error(ctx, WIOT_EIO, "%s: changed while read", cf.path);
            break;
        }
        memcpy(p, cf.f[0], len);
        v[k] = p;
        p += len;
        for (size_t q = 0; q < k; q++)
            if (!strcmp(v[q], v[k]))
                rc = wi_error(ctx, WIOT_EFORMAT, "%s:%ld: name '%s' listed twice", cf.path,
                              cf.line, v[k]);
    }
    cp_close(&cf);
    if (rc) {
        wi_free(ctx, v);
        return rc;
    }
    *out = v;
    *count = n;
    return WIOT_OK;
}

/* A "sector,region,value" or "input,sector,region,value" file summed into out. */
static int cp_values(wiot_ctx *ctx, const char *dir, const char *file, const char *header,
                     int nf, const struct wiot_ge_model *m, double *out, size_t *neg)
{
    cp_file cf = {0};
    int rc = cp_open(ctx, &cf, dir, file, header, nf);
    size_t N = m->N, J = m->J;
    while (!rc) {
        int got = cp_next(ctx, &cf, &rc);
        if (got <= 0)
            break;
        size_t k = 0, j = 0, n = 0;
        double v;
        rc = cp_fields(ctx, &cf, nf);
        if (!rc && nf == 4)
            rc = cp_find(ctx, &cf, 0, "input", m->sector, J, &k);
        if (!rc)
            rc = cp_find(ctx, &cf, nf - 3, "sector", m->sector, J, &j);
        if (!rc)
            rc = cp_find(ctx, &cf, nf - 2, "region", m->country, N, &n);
        if (!rc)
            rc = cp_num(ctx, &cf, nf - 1, "value", &v);
        if (rc)
            break;
        if (v < 0) {
            (*neg)++;
            v = 0;
        }
        if (nf == 4)
            out[(n * J + k) * J + j] += v;
        else
            out[n * J + j] += v;
    }
    cp_close(&cf);
    return rc;
}

int wiot_ge_model_load_cp(wiot_ctx *ctx, const char *dir, wiot_ge_model **out,
                          wiot_schedule **cfl, wiot_ge_calib *calib)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!dir || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_ge_model_load_cp: NULL argument");
    char **reg = NULL, **sec = NULL;
    size_t N = 0, J = 0;
    struct wiot_ge_model *m = NULL;
    wiot_schedule *cs = NULL;
    double *flow = NULL, *cost = NULL, *fin = NULL, *va = NULL;
    unsigned char *seen = NULL;
    wiot_ge_calib cal;
    memset(&cal, 0, sizeof cal);
    cp_file cf = {0};
    int rc = cp_names(ctx, dir, "regions.csv", "region", &reg, &N);
    if (!rc)
        rc = cp_names(ctx, dir, "sectors.csv", "sector", &sec, &J);
    if (!rc)
        rc = wi_ge_model_alloc(ctx, N, J, reg, sec, &m);
    if (rc)
        goto done;
    size_t NJ = N * J, NNJ = NJ * N;
    flow = wi_calloc(ctx, NNJ, sizeof(double));
    cost = flow ? wi_calloc(ctx, NJ * J, sizeof(double)) : NULL;
    fin = cost ? wi_calloc(ctx, NJ, sizeof(double)) : NULL;
    va = fin ? wi_calloc(ctx, NJ, sizeof(double)) : NULL;
    seen = va ? wi_calloc(ctx, NNJ > J ? NNJ : J, 1) : NULL;
    if (!seen) {
        rc = WIOT_ENOMEM;
        goto done;
    }
    if (cfl && (rc = wi_ge_schedule_alloc(ctx, N, J, &cs)))
        goto done;
    /* theta */
    rc = cp_open(ctx, &cf, dir, "theta.csv", "sector,value", 2);
    while (!rc) {
        int got = cp_next(ctx, &cf, &rc);
        if (got <= 0)
            break;
        size_t j = 0;
        double v;
        if ((rc = cp_fields(ctx, &cf, 2)) || (rc = cp_find(ctx, &cf, 0, "sector", sec, J, &j)) ||
            (rc = cp_num(ctx, &cf, 1, "value", &v)))
            break;
        if (!(v > 0)) {
            rc = wi_error(ctx, WIOT_EINVAL, "%s:%ld: elasticity of sector '%s' is %g: theta must "
                          "be > 0", cf.path, cf.line, sec[j], v);
            break;
        }
        m->theta[j] = v;
        seen[j] = 1;
    }
    cp_close(&cf);
    for (size_t j = 0; !rc && j < J; j++)
        if (!seen[j])
            rc = wi_error(ctx, WIOT_EINVAL, "%s/theta.csv: no elasticity for sector '%s'", dir,
                          sec[j]);
    if (rc)
        goto done;
    memset(seen, 0, J);
    /* trade */
    rc = cp_open(ctx, &cf, dir, "trade.csv",
                 "sector,exporter,importer,value,tariff,tariff_bln,tariff_cfl,d_bln,d_cfl", 9);
    while (!rc) {
        int got = cp_next(ctx, &cf, &rc);
        if (got <= 0)
            break;
        size_t j = 0, i = 0, n = 0;
        double v[6];
        static const char *const fn[6] = {"value", "tariff", "tariff_bln", "tariff_cfl", "d_bln",
                                          "d_cfl"};
        if ((rc = cp_fields(ctx, &cf, 9)) || (rc = cp_find(ctx, &cf, 0, "sector", sec, J, &j)) ||
            (rc = cp_find(ctx, &cf, 1, "exporter", reg, N, &i)) ||
            (rc = cp_find(ctx, &cf, 2, "importer", reg, N, &n)))
            break;
        for (int k = 0; !rc && k < 6; k++)
            rc = cp_num(ctx, &cf, 3 + k, fn[k], &v[k]);
        if (rc)
            break;
        size_t o = (j * N + n) * N + i;
        if (v[0] < 0 || v[1] <= -1 || v[3] <= -1)
            rc = wi_error(ctx, WIOT_EDATA, "%s:%ld: negative flow or tariff <= -1", cf.path,
                          cf.line);
        else if (fabs(v[2] - v[1]) > 1e-12 || v[4] != 1 || v[5] != 1)
            rc = wi_error(ctx, WIOT_EFORMAT, "%s:%ld: tariff_bln must equal tariff and d_bln, "
                          "d_cfl must be 1 (other baselines are not supported)", cf.path, cf.line);
        else if (seen[o])
            rc = wi_error(ctx, WIOT_EFORMAT, "%s:%ld: flow %s -> %s of '%s' listed twice", cf.path,
                          cf.line, reg[i], reg[n], sec[j]);
        if (rc)
            break;
        seen[o] = 1;
        flow[o] = v[0];
        m->tau[o] = i == n ? 0 : v[1];
        cal.baseline_tariffs += m->tau[o] != 0;
        if (cs && i != n)
            WI_RATE(cs, n, i, j) = v[3] - v[1];
    }
    cp_close(&cf);
    if (rc)
        goto done;
    if ((rc = cp_values(ctx, dir, "intermediate_consumption.csv", "input,sector,region,value", 4,
                        m, cost, &cal.negative_cells)) ||
        (rc = cp_values(ctx, dir, "final_consumption.csv", "sector,region,value", 3, m, fin,
                        &cal.negative_final)) ||
        (rc = cp_values(ctx, dir, "value_added.csv", "sector,region,value", 3, m, va,
                        &cal.negative_cells)))
        goto done;
    /* deficits */
    memset(seen, 0, N);
    rc = cp_open(ctx, &cf, dir, "deficit.csv", "region,D", 2);
    while (!rc) {
        int got = cp_next(ctx, &cf, &rc);
        if (got <= 0)
            break;
        size_t n = 0;
        if ((rc = cp_fields(ctx, &cf, 2)) || (rc = cp_find(ctx, &cf, 0, "region", reg, N, &n)) ||
            (rc = cp_num(ctx, &cf, 1, "D", &m->D[n])))
            break;
        seen[n] = 1;
    }
    cp_close(&cf);
    for (size_t n = 0; !rc && n < N; n++)
        if (!seen[n])
            rc = wi_error(ctx, WIOT_EFORMAT, "%s/deficit.csv: no deficit for region '%s'", dir,
                          reg[n]);
    if (rc)
        goto done;
    /* calibration as the paper: shares of tariff-inclusive spending, cost shares of
     * (tariff-inclusive) inputs plus value added */
    for (size_t j = 0; j < J; j++)
        for (size_t n = 0; n < N; n++) {
            size_t o = (j * N + n) * N;
            double X = 0;
            for (size_t i = 0; i < N; i++)
                X += flow[o + i] * (1 + m->tau[o + i]);
            if (X > 0)
                for (size_t i = 0; i < N; i++)
                    m->pi[o + i] = flow[o + i] * (1 + m->tau[o + i]) / X;
            else {
                m->pi[o + n] = 1;
                cal.no_purchases++;
            }
            m->X[n * J + j] = X;
        }
    for (size_t n = 0; n < N; n++) {
        double ftot = 0, wl = 0, rev = 0;
        for (size_t j = 0; j < J; j++)
            ftot += fin[n * J + j];
        for (size_t j = 0; j < J; j++) {
            size_t q = n * J + j;
            double go = va[q];
            for (size_t k = 0; k < J; k++)
                go += cost[(n * J + k) * J + j];
            if (go > 0) {
                for (size_t k = 0; k < J; k++)
                    m->gamma[(n * J + k) * J + j] = cost[(n * J + k) * J + j] / go;
                m->beta[q] = va[q] / go;
            } else {
                m->beta[q] = 1;
                cal.zero_output++;
            }
            m->alpha[q] = ftot > 0 ? fin[q] / ftot : 0;
            wl += va[q];
            for (size_t i = 0; i < N; i++)
                rev += m->tau[(j * N + n) * N + i] * flow[(j * N + n) * N + i];
        }
        m->wL[n] = wl;
        cal.world_va += wl;
        cal.deficit_sum += m->D[n];
        double inc = wl + rev + m->D[n];
        if (inc > 0 && fabs(m->D[n]) / inc > cal.max_deficit_share)
            cal.max_deficit_share = fabs(m->D[n]) / inc;
    }
    rc = wi_ge_model_check(ctx, m);
done:
    cp_close(&cf);
    wi_free(ctx, reg);
    wi_free(ctx, sec);
    wi_free(ctx, flow);
    wi_free(ctx, cost);
    wi_free(ctx, fin);
    wi_free(ctx, va);
    wi_free(ctx, seen);
    if (rc) {
        wiot_ge_model_free(m);
        wiot_schedule_free(cs);
        return rc;
    }
    if (calib)
        *calib = cal;
    if (cfl)
        *cfl = cs;
    *out = m;
    return WIOT_OK;
}
