/* build.c -- the common back end of every provider reader: a wi_build (labels,
 * arrays, extras, where things came from) becomes a table through wiot_table_new,
 * with split countries folded (CN1/CN2 -> CHN, unless WIOT_OPT_KEEP_SPLITS), data
 * checks moved to the file line of the cell concerned, and the units, source,
 * primary-input rows and other uses kept. */
#define _GNU_SOURCE
#include "formats/formats.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <minizip/unzip.h>

#define WI_DIR_DEPTH 3                /* levels of a directory source listed */
#define WI_WARN_SLOTS 4               /* table.c's room for warnings */
#define WI_SPLIT_MAX 16


/* ----------------------------------------------------------------- builds */
static void wi_free_labels(wiot_ctx *ctx, char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        wi_free(ctx, v[i]);
    wi_free(ctx, v);
}

void wi_build_free(wiot_ctx *ctx, wi_build *b)
{
    if (b->own) {
        wi_free_labels(ctx, b->country, b->C);
        wi_free_labels(ctx, b->sector, b->S);
        wi_free_labels(ctx, b->fd, b->K);
        wi_free_labels(ctx, b->plabel, b->P);
        wi_free_labels(ctx, b->qlabel, b->Q);
        wi_free(ctx, b->Z);
        wi_free(ctx, b->F);
        wi_free(ctx, b->x);
        wi_free(ctx, b->Pv);
        wi_free(ctx, b->Qv);
        wi_free(ctx, b->rline);
        wi_free(ctx, b->xline);
    }
    memset(b, 0, sizeof *b);
}

int wi_build_alloc(wiot_ctx *ctx, wi_build *b, size_t C, size_t S, size_t K, size_t P, size_t Q)
{
    size_t n, CK, nn, nf, np, nq;
    int rc;
    if ((rc = wi_mul(ctx, C, S, &n)) || (rc = wi_mul(ctx, C, K, &CK)) || (rc = wi_mul(ctx, n, n, &nn)) ||
        (rc = wi_mul(ctx, n, CK, &nf)) || (rc = wi_mul(ctx, P, n + CK, &np)) || (rc = wi_mul(ctx, Q, n, &nq)))
        return rc;
    b->own = 1;
    b->C = C;
    b->S = S;
    b->K = K;
    b->P = P;
    b->Q = Q;
    b->country = wi_calloc(ctx, C ? C : 1, sizeof(char *));
    b->sector = wi_calloc(ctx, S ? S : 1, sizeof(char *));
    b->fd = wi_calloc(ctx, K ? K : 1, sizeof(char *));
    b->plabel = wi_calloc(ctx, P ? P : 1, sizeof(char *));
    b->qlabel = wi_calloc(ctx, Q ? Q : 1, sizeof(char *));
    b->Z = wi_calloc(ctx, nn ? nn : 1, sizeof(double));
    b->F = wi_calloc(ctx, nf ? nf : 1, sizeof(double));
    b->x = wi_calloc(ctx, n ? n : 1, sizeof(double));
    b->Pv = wi_calloc(ctx, np ? np : 1, sizeof(double));
    b->Qv = wi_calloc(ctx, nq ? nq : 1, sizeof(double));
    if (!b->country || !b->sector || !b->fd || !b->plabel || !b->qlabel || !b->Z || !b->F || !b->x ||
        !b->Pv || !b->Qv) {
        /* labels are all NULL: wi_build_free frees the arrays only */
        wi_build_free(ctx, b);
        return WIOT_ENOMEM;
    }
    return WIOT_OK;
}

int wi_build_label(wiot_ctx *ctx, char **slot, const char *s, size_t n)
{
    char *d = wi_alloc(ctx, n + 1);
    if (!d)
        return WIOT_ENOMEM;
    memcpy(d, s, n);
    d[n] = '\0';
    wi_free(ctx, *slot);
    *slot = d;
    return WIOT_OK;
}

void wi_build_view(wi_build *b, const wiot_table *t)
{
    memset(b, 0, sizeof *b);
    b->C = t->C;
    b->S = t->S;
    b->K = t->K;
    b->country = t->country;
    b->sector = t->sector;
    b->fd = t->fdcat;
    b->Z = t->Z;
    b->F = t->F;
    b->x = t->x;
    if (t->ext) {
        b->P = t->ext->P;
        b->plabel = t->ext->plabel;
        b->Pv = t->ext->Pv;
        b->Q = t->ext->Q;
        b->qlabel = t->ext->qlabel;
        b->Qv = t->ext->Qv;
        b->units = t->ext->units;
        if (t->ext->source)
            snprintf(b->source, sizeof b->source, "%s", t->ext->source);
        b->format = t->ext->format;
    }
    b->year = t->year;
    b->own = 0;
}

int wi_build_aggregate(wiot_ctx *ctx, const wi_build *in, const size_t *rg, size_t GR,
                       char *const *rcodes, const size_t *sg, size_t GS, char *const *scodes,
                       wi_build *out)
{
    const size_t C = in->C, S = in->S, K = in->K, n = C * S, CK = C * K;
    wi_build b;
    memset(&b, 0, sizeof b);
    int rc = wi_build_alloc(ctx, &b, GR, GS, K, in->P, in->Q);
    if (rc)
        return rc;
    const size_t n2 = GR * GS, CK2 = GR * K, w = n + CK, w2 = n2 + CK2;
    size_t *g = wi_alloc(ctx, (n ? n : 1) * sizeof *g);
    if (!g) {
        wi_build_free(ctx, &b);
        return WIOT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        g[i] = rg[i / S] * GS + sg[i % S];
    for (size_t r = 0; r < GR && !rc; r++)
        rc = wi_build_label(ctx, &b.country[r], rcodes[r], strlen(rcodes[r]));
    for (size_t s = 0; s < GS && !rc; s++)
        rc = wi_build_label(ctx, &b.sector[s], scodes[s], strlen(scodes[s]));
    for (size_t k = 0; k < K && !rc; k++)
        rc = wi_build_label(ctx, &b.fd[k], in->fd[k], strlen(in->fd[k]));
    for (size_t r = 0; r < in->P && !rc; r++)
        rc = wi_build_label(ctx, &b.plabel[r], in->plabel[r], strlen(in->plabel[r]));
    for (size_t q = 0; q < in->Q && !rc; q++)
        rc = wi_build_label(ctx, &b.qlabel[q], in->qlabel[q], strlen(in->qlabel[q]));
    if (rc) {
        wi_free(ctx, g);
        wi_build_free(ctx, &b);
        return rc;
    }
    for (size_t j = 0; j < n; j++) {
        const double *zc = in->Z + j * n;
        double *oc = b.Z + g[j] * n2;
        for (size_t i = 0; i < n; i++)
            oc[g[i]] += zc[i];
    }
    for (size_t q = 0; q < CK; q++) {
        const double *fc = in->F + q * n;
        double *oc = b.F + (rg[q / K] * K + q % K) * n2;
        for (size_t i = 0; i < n; i++)
            oc[g[i]] += fc[i];
    }
    for (size_t i = 0; i < n; i++)
        b.x[g[i]] += in->x[i];
    for (size_t r = 0; r < in->P; r++) {
        const double *pr = in->Pv + r * w;
        double *o = b.Pv + r * w2;
        for (size_t j = 0; j < n; j++)
            o[g[j]] += pr[j];
        for (size_t q = 0; q < CK; q++)
            o[n2 + rg[q / K] * K + q % K] += pr[n + q];
    }
    for (size_t q = 0; q < in->Q; q++) {
        const double *qc = in->Qv + q * n;
        double *o = b.Qv + q * n2;
        for (size_t i = 0; i < n; i++)
            o[g[i]] += qc[i];
    }
    wi_free(ctx, g);
    b.units = in->units;
    memcpy(b.source, in->source, sizeof b.source);
    b.format = in->format;
    b.year = in->year;
    *out = b;
    return WIOT_OK;
}

/* Split countries of the OECD ICIO: "CN" or "MX" and digits. */
static const char *wi_split_parent(const char *code)
{
    if ((strncmp(code, "CN", 2) == 0 || strncmp(code, "MX", 2) == 0) && code[2]) {
        for (const char *p = code + 2; *p; p++)
            if (*p < '0' || *p > '9')
                return NULL;
        return code[0] == 'C' ? "CHN" : "MEX";
    }
    return NULL;
}

int wi_build_merge_splits(wiot_ctx *ctx, wi_build *b, const char *name, size_t line)
{
    size_t nsplit = 0;
    for (size_t c = 0; c < b->C; c++)
        nsplit += wi_split_parent(b->country[c]) != NULL;
    if (!nsplit || ctx->keep_splits)
        return WIOT_OK;
    size_t *rg = wi_alloc(ctx, b->C * sizeof *rg + b->S * sizeof(size_t));
    char **codes = wi_alloc(ctx, b->C * sizeof *codes);
    if (!rg || !codes) {
        wi_free(ctx, rg);
        wi_free(ctx, codes);
        return WIOT_ENOMEM;
    }
    size_t *sg = rg + b->C, G = 0;
    for (size_t c = 0; c < b->C; c++)
        if (!wi_split_parent(b->country[c])) {
            codes[G] = b->country[c];
            rg[c] = G++;
        }
    int rc = WIOT_OK;
    for (size_t c = 0; c < b->C && !rc; c++) {
        const char *par = wi_split_parent(b->country[c]);
        if (!par)
            continue;
        size_t p = wi_table_find(b->country, b->C, par);
        if (p == (size_t)-1)
            rc = wi_fmsg(ctx, WIOT_EFORMAT, name, b->rline ? b->rline[c * b->S] : line,
                         "split country '%s' has no parent '%s' in the table (splits are added "
                         "into their parent; keep them with --keep-splits, WIOT_OPT_KEEP_SPLITS)",
                         b->country[c], par);
        else
            rg[c] = rg[p];
    }
    for (size_t s = 0; s < b->S; s++)
        sg[s] = s;
    wi_build out;
    if (!rc)
        rc = wi_build_aggregate(ctx, b, rg, G, codes, sg, b->S, b->sector, &out);
    if (!rc) {
        /* lines of the parents' rows; x stays on its line */
        size_t n = b->C * b->S, S = b->S;
        if (b->rline && (out.rline = wi_calloc(ctx, G * S, sizeof(size_t))))
            for (size_t i = 0; i < n; i++)
                if (!wi_split_parent(b->country[i / S]))
                    out.rline[rg[i / S] * S + i % S] = b->rline[i];
        if (b->xline && (out.xline = wi_calloc(ctx, G * S, sizeof(size_t))))
            for (size_t i = 0; i < n; i++)
                if (!wi_split_parent(b->country[i / S]))
                    out.xline[rg[i / S] * S + i % S] = b->xline[i];
        memcpy(out.rfile, b->rfile, sizeof out.rfile);
        memcpy(out.xfile, b->xfile, sizeof out.xfile);
        wi_build_free(ctx, b);
        *b = out;
    }
    wi_free(ctx, rg);
    wi_free(ctx, codes);
    return rc;
}

/* wiot_table_new's "<name>: column 'X': ... [in row 'Y']" moved to the line of the
 * cell when the build knows it. */
static void wi_relocate(wiot_ctx *ctx, const wi_build *b, const char *name)
{
    size_t nl = strlen(name);
    const char *m = ctx->msg;
    if (strncmp(m, name, nl) != 0 || strncmp(m + nl, ": column '", 10) != 0)
        return;
    const char *l0 = m + nl + 10, *l1 = strchr(l0, '\'');
    if (!l1)
        return;
    const char *rest = l1 + 1;   /* ": problem..." */
    const char *row = strstr(rest, " in row '");
    const char *lab = row ? row + 9 : l0;
    const char *labe = row ? strchr(lab, '\'') : l1;
    if (!labe)
        return;
    size_t ll = (size_t)(labe - lab), S = b->S, n = b->C * S, idx = (size_t)-1;
    char buf[512];
    for (size_t i = 0; i < n && idx == (size_t)-1; i++) {
        int k = snprintf(buf, sizeof buf, "%s_%s", b->country[i / S], b->sector[i % S]);
        if ((size_t)k == ll && memcmp(buf, lab, ll) == 0)
            idx = i;
    }
    if (idx == (size_t)-1)
        return;
    const char *file = row ? b->rfile : b->xfile;
    const size_t *lines = row ? b->rline : b->xline;
    if (!file[0] || !lines || !lines[idx])
        return;
    char out[WI_MSG_MAX];
    if (row)
        snprintf(out, sizeof out, "%s:%zu: column '%.*s'%.*s", file, lines[idx], (int)(l1 - l0), l0,
                 (int)(row - rest), rest);
    else
        snprintf(out, sizeof out, "%s:%zu: column '%.*s'%s", file, lines[idx], (int)(l1 - l0), l0, rest);
    memcpy(ctx->msg, out, sizeof out < sizeof ctx->msg ? sizeof out : sizeof ctx->msg);
    ctx->msg[sizeof ctx->msg - 1] = '\0';
}

/* The row identity again, with the other uses (ICIO 2016 DISC, Eora ROW) as uses. */
static int wi_recheck(wiot_ctx *ctx, wiot_table *t, const char *name)
{
    const size_t n = t->n, CK = t->C * t->K;
    const struct wi_ext *e = t->ext;
    double *rs = wi_calloc(ctx, n ? n : 1, sizeof(double));
    if (!rs)
        return WIOT_ENOMEM;
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            rs[i] += t->Z[i + j * n];
    for (size_t q = 0; q < CK; q++)
        for (size_t i = 0; i < n; i++)
            rs[i] += t->F[i + q * n];
    for (size_t q = 0; q < e->Q; q++)
        for (size_t i = 0; i < n; i++)
            rs[i] += e->Qv[q * n + i];
    size_t off = 0, worst = 0;
    double sum = 0, wd = 0;
    for (size_t i = 0; i < n; i++) {
        double d = rs[i] - t->x[i];
        sum += d;
        if (fabs(d) > fabs(wd)) {
            wd = d;
            worst = i;
        }
        if (fabs(d) > fmax(ctx->row_tol_abs, ctx->row_tol_rel * t->x[i]))
            off++;
    }
    wi_free(ctx, rs);
    wiot_check *ck = &t->check;
    ck->rows_off = off;
    ck->worst_row = worst;
    ck->worst_row_diff = wd;
    ck->mean_row_diff = n ? sum / (double)n : 0;
    /* drop table.c's row warning, add ours */
    for (size_t k = 0; k < ck->warnings; k++)
        if (strstr(t->warn[k], ": row identity off by")) {
            wi_hfree(&t->a, t->warn[k]);
            memmove(t->warn + k, t->warn + k + 1, (ck->warnings - k - 1) * sizeof(char *));
            ck->warnings--;
            break;
        }
    if (!off)
        return WIOT_OK;
    if (!t->warn && !(t->warn = wi_calloc(ctx, WI_WARN_SLOTS, sizeof(char *))))
        return WIOT_ENOMEM;
    if (ck->warnings >= WI_WARN_SLOTS)
        return WIOT_OK;
    char buf[WI_MSG_MAX];
    snprintf(buf, sizeof buf,
             "%s: row identity (with the other uses %s%s) off by more than max(%g, %g*x) in %zu of "
             "%zu rows; worst: row '%s_%s': %.15g (x = %.15g)",
             name, e->qlabel[0], e->Q > 1 ? ", ..." : "", ctx->row_tol_abs, ctx->row_tol_rel, off, n,
             t->country[worst / t->S], t->sector[worst % t->S], wd, t->x[worst]);
    char *w = wi_strdup(ctx, buf);
    if (!w)
        return WIOT_ENOMEM;
    memmove(t->warn + 1, t->warn, ck->warnings * sizeof(char *));
    t->warn[0] = w;
    ck->warnings++;
    return WIOT_OK;
}

/* The table's name: the last component of a path, or of an archive member's name
 * ("x.zip:2020.zip:2020.csv" -> "2020.csv"). */
static const char *wi_last_component(const char *path, char *buf, size_t size)
{
    size_t l = strlen(path);
    while (l > 1 && path[l - 1] == '/')
        l--;
    size_t b = l;
    while (b > 0 && path[b - 1] != '/' && path[b - 1] != ':')
        b--;
    size_t k = l - b < size - 1 ? l - b : size - 1;
    memcpy(buf, path + b, k);
    buf[k] = '\0';
    return buf;
}

int wi_build_finish(wiot_ctx *ctx, wi_build *b, const char *name, wiot_table **out)
{
    char base[512];
    wi_last_component(name, base, sizeof base);
    const size_t n = b->C * b->S;
    /* codes: the table's rules, with the file's name in the message */
    const char *kinds[3] = {"country", "sector", "final-demand"};
    char **lists[3] = {b->country, b->sector, b->fd};
    size_t counts[3] = {b->C, b->S, b->K};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < counts[k]; i++) {
            const char *why = wi_code_problem(lists[k][i], strlen(lists[k][i]));
            if (why) {
                wi_build_free(ctx, b);
                return wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "%s code '%s' %s", kinds[k], lists[k][i], why);
            }
            for (size_t j = 0; j < i; j++)
                if (strcmp(lists[k][j], lists[k][i]) == 0) {
                    int rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "duplicate %s code '%s'", kinds[k],
                                     lists[k][i]);
                    wi_build_free(ctx, b);
                    return rc;
                }
        }
    wiot_table_desc d;
    memset(&d, 0, sizeof d);
    d.countries = b->C;
    d.sectors = b->S;
    d.fd_categories = b->K;
    d.country_codes = (const char *const *)b->country;
    d.sector_codes = (const char *const *)b->sector;
    d.fd_codes = b->K ? (const char *const *)b->fd : NULL;
    d.Z = b->Z;
    d.ldz = n;
    d.F = b->K ? b->F : NULL;
    d.ldf = n;
    d.x = b->x;
    d.name = name;
    wiot_log_fn log = ctx->log;
    ctx->log = NULL;
    wiot_table *t = NULL;
    int rc = wiot_table_new(ctx, &d, &t);
    ctx->log = log;
    if (rc) {
        wi_relocate(ctx, b, name);
        wi_build_free(ctx, b);
        return rc;
    }
    /* the table is named after the last component of the path; its extras follow the
     * name in the same block (released with it) */
    const size_t CK = b->C * b->K, w = n + CK;
    const char *units = b->units ? b->units : "millions of USD";
    size_t bytes = strlen(base) + 1, o_ext, o_ptr, o_txt, o_pv, o_qv;
    bytes = (bytes + 15) & ~(size_t)15;
    o_ext = bytes;
    bytes += (sizeof(struct wi_ext) + 15) & ~(size_t)15;
    o_ptr = bytes;
    bytes += (b->P + b->Q + 2) * sizeof(char *);
    o_txt = bytes;
    bytes += strlen(units) + 1 + strlen(b->source) + 1;
    for (size_t r = 0; r < b->P; r++)
        bytes += strlen(b->plabel[r]) + 1;
    for (size_t q = 0; q < b->Q; q++)
        bytes += strlen(b->qlabel[q]) + 1;
    bytes = (bytes + 15) & ~(size_t)15;
    o_pv = bytes;
    bytes += b->P * w * sizeof(double);
    o_qv = bytes;
    bytes += b->Q * n * sizeof(double);
    char *blk = wi_alloc(ctx, bytes);
    if (!blk) {
        wiot_table_free(t);
        wi_build_free(ctx, b);
        return WIOT_ENOMEM;
    }
    memset(blk, 0, o_pv);
    strcpy(blk, base);
    struct wi_ext *e = (struct wi_ext *)(void *)(blk + o_ext);
    char **ptr = (char **)(void *)(blk + o_ptr), *txt = blk + o_txt;
    e->units = txt;
    txt = stpcpy(txt, units) + 1;
    e->source = b->source[0] ? txt : NULL;
    txt = stpcpy(txt, b->source) + 1;
    e->format = b->format;
    e->P = b->P;
    e->plabel = ptr;
    e->Q = b->Q;
    e->qlabel = ptr + b->P + 1;
    for (size_t r = 0; r < b->P; r++) {
        e->plabel[r] = txt;
        txt = stpcpy(txt, b->plabel[r]) + 1;
    }
    for (size_t q = 0; q < b->Q; q++) {
        e->qlabel[q] = txt;
        txt = stpcpy(txt, b->qlabel[q]) + 1;
    }
    e->Pv = (double *)(void *)(blk + o_pv);
    e->Qv = (double *)(void *)(blk + o_qv);
    if (b->P)
        memcpy(e->Pv, b->Pv, b->P * w * sizeof(double));
    if (b->Q)
        memcpy(e->Qv, b->Qv, b->Q * n * sizeof(double));
    wi_hfree(&t->a, t->name);
    t->name = blk;
    t->ext = e;
    if (b->year)
        t->year = b->year;
    wi_build_free(ctx, b);
    if (e->Q && (rc = wi_recheck(ctx, t, name))) {
        wiot_table_free(t);
        return rc;
    }
    for (size_t i = 0; i < t->check.warnings; i++)
        wi_log(ctx, WIOT_LOG_WARN, "%s", t->warn[i]);
    *out = t;
    return WIOT_OK;
}

