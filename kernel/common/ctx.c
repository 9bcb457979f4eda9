/* ctx.c -- context, options, errors, memory, threads and timing. */
#define _GNU_SOURCE
#include "common/common.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/sysinfo.h>
#endif
#include <time.h>
#include <unistd.h>
#include <omp.h>
#include <cblas.h>

#define WI_STR2(x) #x
#define WI_STR(x) WI_STR2(x)

unsigned wiot_version_number(void) { return WIOT_VERSION_NUMBER; }

const char *wiot_version_string(void)
{
    return WI_STR(WIOT_VERSION_MAJOR) "." WI_STR(WIOT_VERSION_MINOR) "." WI_STR(WIOT_VERSION_PATCH);
}

static const char *const wi_status_text[WIOT_NSTATUS] = {
    "success",
    "invalid argument",
    "out of memory",
    "input/output error",
    "malformed file",
    "invalid data",
    "singular system",
    "size too large",
    "not found",
    "iteration did not converge",
    "internal LAPACK argument error",
};

const char *wiot_strerror(int status)
{
    if (status < 0 || status >= WIOT_NSTATUS)
        return "unknown status";
    return wi_status_text[status];
}

/* ------------------------------------------------------------------ memory */
static void *wi_malloc_hook(void *ud, size_t size) { (void)ud; return malloc(size); }
static void wi_free_hook(void *ud, void *p) { (void)ud; free(p); }

/* The meter's hooks (common.h): a 16-byte prefix holds the size, so the alignment of
 * the caller's allocator (16 for malloc) is kept. */
#define WI_METER_HEAD 16
static void wi_meter_drop(wi_meter *m)
{
    if (atomic_fetch_sub(&m->refs, 1) == 1) {
        wiot_allocator u = m->user;
        u.release(u.ud, m->home);
    }
}

static void *wi_meter_alloc(void *ud, size_t size)
{
    wi_meter *m = ud;
    if (size > SIZE_MAX - WI_METER_HEAD)
        return NULL;
    unsigned char *raw = m->user.alloc(m->user.ud, size + WI_METER_HEAD);
    if (!raw)
        return NULL;
    *(size_t *)(void *)raw = size;
    atomic_fetch_add(&m->refs, 1);
    size_t now = atomic_fetch_add(&m->live, size) + size;
    size_t pk = atomic_load(&m->peak);
    while (now > pk && !atomic_compare_exchange_weak(&m->peak, &pk, now))
        ;
    return raw + WI_METER_HEAD;
}

static void wi_meter_release(void *ud, void *p)
{
    wi_meter *m = ud;
    if (!p)
        return;
    unsigned char *raw = (unsigned char *)p - WI_METER_HEAD;
    atomic_fetch_sub(&m->live, *(size_t *)(void *)raw);
    m->user.release(m->user.ud, raw);
    wi_meter_drop(m);
}

size_t wi_mem_live(const wiot_ctx *ctx) { return atomic_load(&((wiot_ctx *)ctx)->meter.live); }

size_t wi_mem_room(const wiot_ctx *ctx)
{
    size_t cap = wi_mem_cap(ctx), live = wi_mem_live(ctx);
    return live < cap ? cap - live : 0;
}

/* Every block: [raw pointer][size] stored just below a 64-byte aligned payload. */
#define WI_ALIGN 64
#define WI_HEAD (2 * sizeof(size_t))
#define WI_HUGE_MIN ((size_t)4 << 20)
#define WI_HUGE_PAGE ((size_t)2 << 20)
#define WI_AS_RESERVE (160ULL << 20)   /* address space kept for the BLAS (ulimit -v) */

static void *wi_raw_alloc(wiot_ctx *ctx, size_t size, int huge)
{
    if (size > SIZE_MAX - WI_ALIGN - WI_HEAD) {
        wi_error(ctx, WIOT_ENOMEM, "cannot allocate %zu bytes: size too large", size);
        return NULL;
    }
    if (size > wi_mem_room(ctx)) {
        char b1[32], b2[32], b3[32];
        wi_error(ctx, WIOT_ENOMEM, "%s%scannot allocate %s: with the %s already in use that is "
                 "more than the %s %s", ctx->input ? ctx->input : "", ctx->input ? ": " : "",
                 wi_bytes_str(b1, sizeof b1, (double)size),
                 wi_bytes_str(b3, sizeof b3, (double)wi_mem_live(ctx)),
                 ctx->max_memory ? "memory limit of" : "memory available,",
                 wi_bytes_str(b2, sizeof b2, (double)wi_mem_cap(ctx)));
        return NULL;
    }
    size_t total = size + WI_ALIGN + WI_HEAD;
    unsigned char *raw = ctx->a.alloc(ctx->a.ud, total);
    if (!raw) {
        wi_error(ctx, WIOT_ENOMEM, "out of memory allocating %zu bytes", size);
        return NULL;
    }
    uintptr_t u = ((uintptr_t)raw + WI_HEAD + WI_ALIGN - 1) & ~(uintptr_t)(WI_ALIGN - 1);
    size_t *h = (size_t *)u - 2;
    h[0] = (size_t)(uintptr_t)raw;
    h[1] = size;
    ctx->stats.allocations++;
    ctx->stats.bytes_allocated += size;
#ifdef MADV_HUGEPAGE
    if (huge && ctx->hugepages && size >= WI_HUGE_MIN) {
        uintptr_t b = (u + WI_HUGE_PAGE - 1) & ~(uintptr_t)(WI_HUGE_PAGE - 1);
        uintptr_t e = (u + size) & ~(uintptr_t)(WI_HUGE_PAGE - 1);
        if (e > b)
            (void)madvise((void *)b, e - b, MADV_HUGEPAGE); /* advice only */
    }
#else
    (void)huge;
#endif
    return (void *)u;
}

void *wi_alloc(wiot_ctx *ctx, size_t size) { return wi_raw_alloc(ctx, size ? size : 1, 0); }

void *wi_calloc(wiot_ctx *ctx, size_t count, size_t size)
{
    size_t total = 0;
    if (wi_mul(ctx, count, size, &total))
        return NULL;
    void *p = wi_raw_alloc(ctx, total ? total : 1, total >= WI_HUGE_MIN);
    if (p)
        memset(p, 0, total);
    return p;
}

double *wi_dalloc(wiot_ctx *ctx, size_t count)
{
    size_t total = 0;
    if (wi_mul(ctx, count ? count : 1, sizeof(double), &total))
        return NULL;
    return wi_raw_alloc(ctx, total, 1);
}

void wi_hfree(const wiot_allocator *a, void *p)
{
    if (!p)
        return;
    size_t *h = (size_t *)p - 2;
    a->release(a->ud, (void *)(uintptr_t)h[0]);
}

void wi_free(wiot_ctx *ctx, void *p) { wi_hfree(&ctx->a, p); }

void *wiot_alloc(wiot_ctx *ctx, size_t bytes, const char *what)
{
    if (!ctx)
        return NULL;
    if (!bytes)
        bytes = 1;
    if (wi_budget(ctx, bytes, what ? what : "the block", NULL))
        return NULL;
    return wi_raw_alloc(ctx, bytes, 1);
}

void *wiot_alloc_array(wiot_ctx *ctx, size_t count, size_t size, int zero, const char *what)
{
    size_t total = 0;
    if (!ctx)
        return NULL;
    if (wi_mul(ctx, count, size, &total)) {
        wi_error(ctx, WIOT_ETOOLARGE, "%s: %zu x %zu bytes overflows", what ? what : "the block",
                 count, size);
        return NULL;
    }
    void *p = wiot_alloc(ctx, total, what);
    if (p && zero)
        memset(p, 0, total);
    return p;
}

void wiot_free(wiot_ctx *ctx, void *p)
{
    if (ctx)
        wi_free(ctx, p);
}

char *wi_strdup(wiot_ctx *ctx, const char *s)
{
    size_t len = strlen(s);
    char *d = wi_alloc(ctx, len + 1);
    if (d)
        memcpy(d, s, len + 1);
    return d;
}

int wi_mul(wiot_ctx *ctx, size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a)
        return wi_error(ctx, WIOT_ETOOLARGE, "size %zu x %zu overflows", a, b);
    *out = a * b;
    return WIOT_OK;
}

int wi_add(wiot_ctx *ctx, size_t a, size_t b, size_t *out)
{
    if (b > SIZE_MAX - a)
        return wi_error(ctx, WIOT_ETOOLARGE, "size %zu + %zu overflows", a, b);
    *out = a + b;
    return WIOT_OK;
}

const char *wi_bytes_str(char *buf, size_t size, double bytes)
{
    static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) {
        snprintf(buf, size, "%.0f bytes", bytes);
        return buf;
    }
    int u = 0;
    bytes /= 1024;
    while (bytes >= 1024 && u < 5) {
        bytes /= 1024;
        u++;
    }
    snprintf(buf, size, "%.3g %s", bytes, unit[u]);
    return buf;
}

/* Memory the process can have: RAM + swap, lowered by the cgroup's limit and by
 * ulimit -v / -d. Found once per context (no global state). */
static size_t wi_mem_available(void)
{
    unsigned long long m = SIZE_MAX;
#ifdef __linux__
    struct sysinfo si;
    if (sysinfo(&si) == 0 && si.totalram > 0) {
        unsigned long long unit = si.mem_unit ? si.mem_unit : 1;
        m = ((unsigned long long)si.totalram + si.totalswap) * unit;
    }
    static const char *const cg[] = {"/sys/fs/cgroup/memory.max",
                                     "/sys/fs/cgroup/memory/memory.limit_in_bytes"};
    for (size_t i = 0; i < sizeof cg / sizeof *cg; i++) {
        FILE *f = fopen(cg[i], "re");
        if (!f)
            continue;
        unsigned long long v;
        if (fscanf(f, "%llu", &v) == 1 && v > 0 && v < m)
            m = v;   /* "max" (no limit) does not scan */
        fclose(f);
    }
#endif
    static const int lim[] = {RLIMIT_AS, RLIMIT_DATA};
    for (size_t i = 0; i < sizeof lim / sizeof *lim; i++) {
        struct rlimit rl;
        if (getrlimit(lim[i], &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
            (unsigned long long)rl.rlim_cur < m)
            m = (unsigned long long)rl.rlim_cur;
    }
#ifdef __linux__
    /* ulimit -v counts what is mapped already (the program, its libraries, OpenBLAS's
     * buffers) and OpenBLAS maps another buffer at its first call: the budget is what
     * remains, less that reserve, so a refusal comes from wiot and not from a BLAS that
     * spins when its buffer cannot be mapped (README "Guarantees") */
    struct rlimit as;
    if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
        FILE *f = fopen("/proc/self/statm", "re");
        unsigned long long pages = 0;
        long psz = sysconf(_SC_PAGESIZE);
        if (f && fscanf(f, "%llu", &pages) == 1 && psz > 0) {
            unsigned long long used = pages * (unsigned long long)psz + WI_AS_RESERVE;
            unsigned long long left = used < as.rlim_cur ? as.rlim_cur - used : 0;
            if (left < m)
                m = left;
        }
        if (f)
            fclose(f);
    }
#endif
    return m > SIZE_MAX ? SIZE_MAX : (size_t)m;
}

size_t wi_mem_cap(const wiot_ctx *ctx)
{
    if (ctx->max_memory && ctx->max_memory < ctx->mem_avail)
        return ctx->max_memory;
    return ctx->mem_avail;
}

int wi_budget(wiot_ctx *ctx, size_t bytes, const char *what, const char *detail_fmt, ...)
{
    size_t cap = wi_mem_cap(ctx), live = wi_mem_live(ctx);
    if (bytes <= cap && bytes <= cap - (live < cap ? live : cap))
        return WIOT_OK;
    char need[64], have[32], used[48] = "", detail[256] = "";
    if (live && bytes <= cap) {   /* refused for what is already held */
        char b[32];
        snprintf(used, sizeof used, ", %s of it in use", wi_bytes_str(b, sizeof b, (double)live));
    }
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        detail[0] = ' ';
        detail[1] = '(';
        vsnprintf(detail + 2, sizeof detail - 3, detail_fmt, ap);
        va_end(ap);
        strcat(detail, ")");
    }
    if (bytes == SIZE_MAX)
        snprintf(need, sizeof need, "more than %s", wi_bytes_str(have, sizeof have, (double)SIZE_MAX));
    else
        wi_bytes_str(need, sizeof need, (double)bytes);
    wi_bytes_str(have, sizeof have, (double)cap);
    /* during a load, the file is named first (unless what already names it) */
    const char *in = ctx->input && strncmp(what, ctx->input, strlen(ctx->input)) &&
                     !strstr(detail, ctx->input) ? ctx->input : NULL;
    if (ctx->max_memory && ctx->max_memory <= ctx->mem_avail)
        return wi_error(ctx, WIOT_ENOMEM, "%s%s%s needs %s%s but the memory limit is %s%s",
                        in ? in : "", in ? ": " : "", what, need, detail, have, used);
    return wi_error(ctx, WIOT_ENOMEM, "%s%s%s needs %s%s but only %s of memory is available%s",
                    in ? in : "", in ? ": " : "", what, need, detail, have, used);
}

int wi_lapack_int(wiot_ctx *ctx, size_t v, lapack_int *out)
{
    if (v > (size_t)INT32_MAX && sizeof(lapack_int) == 4)
        return wi_error(ctx, WIOT_ETOOLARGE, "dimension %zu exceeds LAPACK's integer range", v);
    if (v > (size_t)INT64_MAX)
        return wi_error(ctx, WIOT_ETOOLARGE, "dimension %zu exceeds LAPACK's integer range", v);
    *out = (lapack_int)v;
    return WIOT_OK;
}

/* ----------------------------------------------------------------- context */
int wiot_ctx_new_custom(const wiot_allocator *allocator, wiot_ctx **out)
{
    if (!out)
        return WIOT_EINVAL;
    *out = NULL;
    if (!allocator || !allocator->alloc || !allocator->release)
        return WIOT_EINVAL;
    wiot_ctx *ctx = allocator->alloc(allocator->ud, sizeof *ctx);
    if (!ctx)
        return WIOT_ENOMEM;
    memset(ctx, 0, sizeof *ctx);
    ctx->meter.user = *allocator;
    atomic_init(&ctx->meter.live, 0);
    atomic_init(&ctx->meter.peak, 0);
    atomic_init(&ctx->meter.refs, 1);
    ctx->meter.home = ctx;
    ctx->a.alloc = wi_meter_alloc;
    ctx->a.release = wi_meter_release;
    ctx->a.ud = &ctx->meter;
    ctx->threads = 0;
    ctx->row_tol_rel = 1e-3;
    ctx->row_tol_abs = 0.5;
    ctx->residual = 1;
    ctx->hugepages = 1;
    ctx->mem_avail = wi_mem_available();
    *out = ctx;
    return WIOT_OK;
}

int wiot_ctx_new(wiot_ctx **out)
{
    wiot_allocator a = {wi_malloc_hook, wi_free_hook, NULL};
    return wiot_ctx_new_custom(&a, out);
}

void wiot_ctx_free(wiot_ctx *ctx)
{
    if (!ctx)
        return;
    wi_meter_drop(&ctx->meter);   /* released now, or with the last handle's last block */
}

int wiot_ctx_set(wiot_ctx *ctx, int option, double value)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!isfinite(value))
        return wi_error(ctx, WIOT_EINVAL, "option %d: value must be finite", option);
    switch (option) {
    case WIOT_OPT_KEEP_SPLITS:
        if (value != 0 && value != 1)
            return wi_error(ctx, WIOT_EINVAL, "option %d takes 0 or 1, got %g", option, value);
        ctx->keep_splits = (int)value;
        return WIOT_OK;
    case WIOT_OPT_THREADS:
        if (value < 0 || value > 4096 || value != floor(value))
            return wi_error(ctx, WIOT_EINVAL, "threads must be an integer in 0..4096, got %g", value);
        ctx->threads = (int)value;
        return WIOT_OK;
    case WIOT_OPT_ROW_TOL_REL:
        if (value < 0)
            return wi_error(ctx, WIOT_EINVAL, "row tolerance must be >= 0, got %g", value);
        ctx->row_tol_rel = value;
        return WIOT_OK;
    case WIOT_OPT_ROW_TOL_ABS:
        if (value < 0)
            return wi_error(ctx, WIOT_EINVAL, "row tolerance must be >= 0, got %g", value);
        ctx->row_tol_abs = value;
        return WIOT_OK;
    case WIOT_OPT_RESIDUAL:
    case WIOT_OPT_HUGEPAGES:
        if (value != 0 && value != 1)
            return wi_error(ctx, WIOT_EINVAL, "option %d takes 0 or 1, got %g", option, value);
        if (option == WIOT_OPT_RESIDUAL)
            ctx->residual = (int)value;
        else
            ctx->hugepages = (int)value;
        return WIOT_OK;
    case WIOT_OPT_INVERSE:
        if (value != WIOT_INVERSE_AUTO && value != WIOT_INVERSE_LAPACK &&
            value != WIOT_INVERSE_RECURSIVE)
            return wi_error(ctx, WIOT_EINVAL, "inverse path must be 0 (auto), 1 (LAPACK) or 2 "
                            "(recursive), got %g", value);
        ctx->inverse = (int)value;
        return WIOT_OK;
    case WIOT_OPT_MAX_MEMORY:
        if (value < 0 || value != floor(value) || value >= (double)SIZE_MAX)
            return wi_error(ctx, WIOT_EINVAL, "memory limit must be a whole number of bytes "
                            ">= 0, got %g", value);
        ctx->max_memory = (size_t)value;
        return WIOT_OK;
    case WIOT_OPT_MEMORY_LIVE:
    case WIOT_OPT_MEMORY_PEAK:
        return wi_error(ctx, WIOT_EINVAL, "option %d is read-only (wiot_ctx_get)", option);
    default:
        return wi_error(ctx, WIOT_EINVAL, "unknown option %d", option);
    }
}

int wiot_ctx_get(const wiot_ctx *ctx, int option, double *value)
{
    if (!ctx || !value)
        return WIOT_EINVAL;
    switch (option) {
    case WIOT_OPT_KEEP_SPLITS: *value = ctx->keep_splits; return WIOT_OK;
    case WIOT_OPT_THREADS: *value = ctx->threads; return WIOT_OK;
    case WIOT_OPT_ROW_TOL_REL: *value = ctx->row_tol_rel; return WIOT_OK;
    case WIOT_OPT_ROW_TOL_ABS: *value = ctx->row_tol_abs; return WIOT_OK;
    case WIOT_OPT_RESIDUAL: *value = ctx->residual; return WIOT_OK;
    case WIOT_OPT_HUGEPAGES: *value = ctx->hugepages; return WIOT_OK;
    case WIOT_OPT_INVERSE: *value = ctx->inverse; return WIOT_OK;
    case WIOT_OPT_MAX_MEMORY: *value = (double)ctx->max_memory; return WIOT_OK;
    case WIOT_OPT_MEMORY_LIVE: *value = (double)wi_mem_live(ctx); return WIOT_OK;
    case WIOT_OPT_MEMORY_PEAK:
        *value = (double)atomic_load(&((wiot_ctx *)ctx)->meter.peak);
        return WIOT_OK;
    default: return WIOT_EINVAL;
    }
}

int wiot_ctx_set_log(wiot_ctx *ctx, wiot_log_fn fn, void *ud)
{
    if (!ctx)
        return WIOT_EINVAL;
    ctx->log = fn;
    ctx->log_ud = ud;
    return WIOT_OK;
}

int wiot_ctx_set_progress(wiot_ctx *ctx, wiot_progress_fn fn, void *ud)
{
    if (!ctx)
        return WIOT_EINVAL;
    ctx->progress = fn;
    ctx->progress_ud = ud;
    return WIOT_OK;
}

const char *wiot_errmsg(const wiot_ctx *ctx) { return ctx ? ctx->msg : ""; }

int wiot_ctx_stats(const wiot_ctx *ctx, wiot_stats *out)
{
    if (!ctx || !out)
        return WIOT_EINVAL;
    *out = ctx->stats;
    return WIOT_OK;
}

/* ------------------------------------------------------------------ errors */
int wi_error(wiot_ctx *ctx, int rc, const char *fmt, ...)
{
    if (ctx) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
        va_end(ap);
        /* one line, whatever bytes of the input a message quotes (found by fuzzing:
         * a '\r' in a scenario name reached the message verbatim) */
        for (char *p = ctx->msg; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
    }
    return rc;   /* a breakpoint here catches every error */
}


void wi_clear(wiot_ctx *ctx)
{
    if (ctx)
        ctx->msg[0] = '\0';
}

void wi_log(wiot_ctx *ctx, int level, const char *fmt, ...)
{
    if (!ctx || !ctx->log)
        return;
    char buf[WI_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (char *p = buf; *p; p++)   /* one line, as wi_error */
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    ctx->log(ctx->log_ud, level, buf);
}

/* ----------------------------------------------------------------- threads */
int wi_nthreads(const wiot_ctx *ctx)
{
    return ctx->threads > 0 ? ctx->threads : omp_get_max_threads();
}

/* OpenBLAS's OpenMP build sizes its parallel regions from the calling thread's
 * omp_get_max_threads(), so setting the calling thread's ICV is enough; it is
 * restored at the end of the call. */
void wi_threads_begin(const wiot_ctx *ctx, wi_threads *st)
{
    st->saved = omp_get_max_threads();
    st->active = ctx->threads > 0 && ctx->threads != st->saved;
    if (st->active)
        omp_set_num_threads(ctx->threads);
}

void wi_threads_end(wi_threads *st)
{
    if (st->active)
        omp_set_num_threads(st->saved);
    st->active = 0;
}

/* ------------------------------------------------------------------ timing */
double wi_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void wi_account(wiot_ctx *ctx, double flops, double seconds)
{
    ctx->stats.flops += flops;
    ctx->stats.seconds += seconds;
}
