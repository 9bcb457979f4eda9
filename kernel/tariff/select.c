/* select.c -- the selection syntax of the scenario language, shared by scenario files
 * and the source specifications of exposure and content measures: country and sector
 * codes, '*', groups (EU27, USMCA, G7, ...), ranges (c1..c16), goods/services, ';'
 * lists and '!' exclusions; wiot_select and wiot_select_countries. */
#define _POSIX_C_SOURCE 200809L
#include "tariff/scen.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


struct wi_group {
    const char *name;
    const char *const *members;   /* NULL-terminated */
};

static const char *const wi_g_eu27[] = {
    "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC", "HRV", "HUN",
    "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE", NULL};
static const char *const wi_g_eu28[] = {
    "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC", "HRV", "HUN",
    "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE", "GBR",
    NULL};
static const char *const wi_g_eu15[] = {"AUT", "BEL", "DEU", "DNK", "ESP", "FIN", "FRA", "GBR",
                                        "GRC", "IRL", "ITA", "LUX", "NLD", "PRT", "SWE", NULL};
static const char *const wi_g_usmca[] = {"USA", "CAN", "MEX", NULL};
static const char *const wi_g_g7[] = {"CAN", "DEU", "FRA", "GBR", "ITA", "JPN", "USA", NULL};
static const char *const wi_g_brics[] = {"BRA", "RUS", "IND", "CHN", "ZAF", NULL};
static const char *const wi_g_asean[] = {"BRN", "KHM", "IDN", "LAO", "MYS",
                                         "MMR", "PHL", "SGP", "THA", "VNM", NULL};

static const struct wi_group wi_groups[] = {
    {"EU27", wi_g_eu27}, {"EU28", wi_g_eu28},   {"EU15", wi_g_eu15},   {"USMCA", wi_g_usmca},
    {"NAFTA", wi_g_usmca}, {"G7", wi_g_g7}, {"BRICS", wi_g_brics}, {"ASEAN", wi_g_asean},
};
#define WI_NGROUPS (sizeof wi_groups / sizeof wi_groups[0])
#define WI_GROUP_NAMES "EU27 EU28 EU15 USMCA NAFTA G7 BRICS ASEAN"

/* grow v to hold `more` elements of elem bytes (through the context; copies) */
int wi_vec_reserve(wiot_ctx *ctx, wi_vec *v, size_t elem, size_t more)
{
    if (more <= v->cap - v->n)
        return WIOT_OK;
    if (more > SIZE_MAX - v->n)
        return wi_error(ctx, WIOT_ETOOLARGE, "scenario file too large");
    size_t need = v->n + more, cap = v->cap ? v->cap : 64, bytes;
    while (cap < need) {
        if (cap > SIZE_MAX / 2)
            return wi_error(ctx, WIOT_ETOOLARGE, "scenario file too large");
        cap *= 2;
    }
    if (wi_mul(ctx, cap, elem, &bytes))
        return WIOT_ETOOLARGE;
    void *p = wi_alloc(ctx, bytes);
    if (!p)
        return WIOT_ENOMEM;
    if (v->n)
        memcpy(p, v->p, v->n * elem);
    wi_free(ctx, v->p);
    v->p = p;
    v->cap = cap;
    return WIOT_OK;
}

int wi_eq(wi_str s, const char *z)
{
    size_t n = strlen(z);
    return n == s.n && memcmp(s.p, z, n) == 0;
}

int wi_ieq(wi_str s, const char *z)
{
    size_t n = strlen(z);
    if (n != s.n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s.p[i]) != tolower((unsigned char)z[i]))
            return 0;
    return 1;
}

size_t wi_find(char *const *codes, size_t count, wi_str s)
{
    for (size_t i = 0; i < count; i++)
        if (wi_eq(s, codes[i]))
            return i;
    return (size_t)-1;
}

size_t wi_find_z(char *const *codes, size_t count, const char *z)
{
    wi_str s = {z, strlen(z)};
    return wi_find(codes, count, s);
}

/* "AUS AUT ... RoW" into buf[cap] (cap >= 8), cut with "..." when it does not fit. */
void wi_list_codes(char *buf, size_t cap, char *const *codes, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t m = strlen(codes[i]), sep = i ? 1 : 0;
        if (len + sep + m + 5 > cap) {   /* keep room for " ..." and the NUL */
            memcpy(buf + len, sep ? " ..." : "...", sep ? 5 : 4);
            return;
        }
        if (sep)
            buf[len++] = ' ';
        memcpy(buf + len, codes[i], m + 1);
        len += m;
    }
}

/* Goods sectors from the table's sector codes (see the format notes above). */
int wi_goods(char *const *sector, size_t S, unsigned char *goods)
{
    int wiod13 = 1;
    for (size_t s = 0; s < S && wiod13; s++) {
        const char *c = sector[s];
        if (c[0] != 'c' || c[1] < '1' || c[1] > '9')
            wiod13 = 0;
        for (size_t i = 2; wiod13 && c[i]; i++)
            if (!isdigit((unsigned char)c[i]))
                wiod13 = 0;
    }
    if (wiod13) {
        for (size_t s = 0; s < S; s++) {
            const char *c = sector[s] + 1;
            goods[s] = strlen(c) <= 2 && atoi(c) <= 16;
        }
        return 1;
    }
    int any = 0;
    for (size_t s = 0; s < S; s++) {
        const char *c = sector[s];
        goods[s] = (c[0] == 'A' || c[0] == 'B' || c[0] == 'C') &&
                   (c[1] == '\0' || isdigit((unsigned char)c[1])) && strcmp(c, "C33") != 0;
        any |= goods[s];
    }
    return any;
}

int wi_perr(wi_parse *P, int rc, const char *fmt, ...)
{
    char buf[WI_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (P->lineno == 0)   /* a specification outside a file (wi_spec_field) */
        return wi_error(P->ctx, rc, "%s: %s", P->file, buf);
    return wi_error(P->ctx, rc, "%s:%zu: %s", P->file, P->lineno, buf);
}

/* Split f at ';' (and ',' when P->comma) and call item(P, fname, item, neg, marks)
 * for each item. */

int wi_items(wi_parse *P, const char *fname, wi_str f, wi_item_fn fn)
{
    const char *p = f.p, *end = f.p + f.n;
    for (;;) {
        const char *q = p;
        while (q < end && *q != ';' && !(P->comma && *q == ','))
            q++;
        wi_str item = {p, (size_t)(q - p)};
        int neg = item.n && item.p[0] == '!';
        if (neg) {
            item.p++;
            item.n--;
        }
        if (item.n == 0)
            return wi_perr(P, WIOT_EFORMAT, "field '%s': empty item in '%.*s'", fname, WI_PR(f));
        int rc = fn(P, fname, item, neg ? P->exc : P->inc);
        if (rc)
            return rc;
        if (q == end)
            return WIOT_OK;
        p = q + 1;
    }
}

/* Append the selected indices (inc and not exc) of 0..n-1 to the pool. */
int wi_select(wi_parse *P, const char *fname, wi_str f, size_t n, const char *what,
                     uint32_t *count)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += P->inc[i] && !P->exc[i];
    if (m == 0)
        return wi_perr(P, WIOT_EFORMAT, "field '%s': '%.*s' selects no %s", fname, WI_PR(f), what);
    int rc = wi_vec_reserve(P->ctx, &P->idx, sizeof(uint32_t), m);
    if (rc)
        return rc;
    uint32_t *o = (uint32_t *)P->idx.p + P->idx.n;
    for (size_t i = 0; i < n; i++)
        if (P->inc[i] && !P->exc[i])
            *o++ = (uint32_t)i;
    P->idx.n += m;
    *count = (uint32_t)m;
    return WIOT_OK;
}

int wi_country_item(wi_parse *P, const char *fname, wi_str item, unsigned char *mark)
{
    const wiot_scenarios *sc = P->sc;
    if (wi_eq(item, "*")) {
        memset(mark, 1, sc->C);
        return WIOT_OK;
    }
    size_t c = wi_find(sc->country, sc->C, item);
    if (c != (size_t)-1) {
        mark[c] = 1;
        return WIOT_OK;
    }
    for (size_t g = 0; g < WI_NGROUPS; g++) {
        if (!wi_eq(item, wi_groups[g].name))
            continue;
        size_t found = 0;
        for (const char *const *m = wi_groups[g].members; *m; m++) {
            size_t k = wi_find_z(sc->country, sc->C, *m);
            if (k != (size_t)-1) {
                mark[k] = 1;
                found++;
            }
        }
        if (!found)
            return wi_perr(P, WIOT_ENOTFOUND, "field '%s': group '%s' has no member in this table",
                           fname, wi_groups[g].name);
        return WIOT_OK;
    }
    char list[WI_LIST_MAX], hint[64] = "";
    wi_list_codes(list, sizeof list, sc->country, sc->C);
    for (size_t k = 0; k < sc->C; k++)
        if (wi_ieq(item, sc->country[k]) && strlen(sc->country[k]) < 40) {
            snprintf(hint, sizeof hint, "did you mean '%s'? ", sc->country[k]);
            break;
        }
    return wi_perr(P, WIOT_ENOTFOUND, "field '%s': unknown country '%.*s' (%svalid: %s; groups: %s)",
                   fname, WI_PR(item), hint, list, WI_GROUP_NAMES);
}

int wi_sector_unknown(wi_parse *P, const char *fname, wi_str code, wi_str range)
{
    const wiot_scenarios *sc = P->sc;
    char list[WI_LIST_MAX], hint[64] = "", in[256] = "";
    wi_list_codes(list, sizeof list, sc->sector, sc->S);
    for (size_t k = 0; k < sc->S; k++)
        if (wi_ieq(code, sc->sector[k]) && strlen(sc->sector[k]) < 40) {
            snprintf(hint, sizeof hint, "did you mean '%s'? ", sc->sector[k]);
            break;
        }
    if (range.p)
        snprintf(in, sizeof in, " in range '%.*s'", WI_PR(range));
    return wi_perr(P, WIOT_ENOTFOUND, "field '%s': unknown sector '%.*s'%s (%svalid: %s; groups: "
                   "goods services)",
                   fname, WI_PR(code), in, hint, list);
}

int wi_sector_item(wi_parse *P, const char *fname, wi_str item, unsigned char *mark)
{
    const wiot_scenarios *sc = P->sc;
    if (wi_eq(item, "*")) {
        memset(mark, 1, sc->S);
        return WIOT_OK;
    }
    size_t s = wi_find(sc->sector, sc->S, item);
    if (s != (size_t)-1) {
        mark[s] = 1;
        return WIOT_OK;
    }
    int goods = wi_eq(item, "goods");
    if (goods || wi_eq(item, "services")) {
        if (!sc->goods_defined)
            return wi_perr(P, WIOT_ENOTFOUND, "field '%s': group '%s' is not defined for this "
                           "table's sector classification",
                           fname, goods ? "goods" : "services");
        for (size_t k = 0; k < sc->S; k++)
            if (sc->goods[k] == goods)
                mark[k] = 1;
        return WIOT_OK;
    }
    for (size_t i = 0; i + 1 < item.n; i++) {
        if (item.p[i] != '.' || item.p[i + 1] != '.')
            continue;
        wi_str a = {item.p, i}, b = {item.p + i + 2, item.n - i - 2};
        if (a.n == 0 || b.n == 0)
            return wi_perr(P, WIOT_EFORMAT, "field '%s': range '%.*s' needs a sector on each "
                           "side of '..'",
                           fname, WI_PR(item));
        size_t sa = wi_find(sc->sector, sc->S, a), sb = wi_find(sc->sector, sc->S, b);
        if (sa == (size_t)-1)
            return wi_sector_unknown(P, fname, a, item);
        if (sb == (size_t)-1)
            return wi_sector_unknown(P, fname, b, item);
        if (sa > sb)
            return wi_perr(P, WIOT_EFORMAT, "field '%s': range '%.*s' is reversed ('%s' comes "
                           "after '%s' in the table)",
                           fname, WI_PR(item), sc->sector[sa], sc->sector[sb]);
        memset(mark + sa, 1, sb - sa + 1);
        return WIOT_OK;
    }
    wi_str none = {NULL, 0};
    return wi_sector_unknown(P, fname, item, none);
}

int wi_field_countries(wi_parse *P, const char *fname, wi_str f, uint32_t *count)
{
    memset(P->inc, 0, P->sc->C);
    memset(P->exc, 0, P->sc->C);
    int rc = wi_items(P, fname, f, wi_country_item);
    return rc ? rc : wi_select(P, fname, f, P->sc->C, "country", count);
}

int wi_field_sectors(wi_parse *P, const char *fname, wi_str f, uint32_t *count)
{
    memset(P->inc, 0, P->sc->S);
    memset(P->exc, 0, P->sc->S);
    int rc = wi_items(P, fname, f, wi_sector_item);
    return rc ? rc : wi_select(P, fname, f, P->sc->S, "sector", count);
}

/* One country or sector field in scenario-file syntax outside a file (internal.h). */
int wi_spec_field(wiot_ctx *ctx, const wiot_table *t, int sectors, const char *text, size_t len,
                  int comma, const char *where, unsigned char *sel, size_t *count)
{
    const size_t C = t->C, S = t->S, m = C > S ? C : S;
    struct wiot_scenarios sc;
    wi_parse P;
    memset(&sc, 0, sizeof sc);
    memset(&P, 0, sizeof P);
    sc.C = C;
    sc.S = S;
    sc.country = t->country;
    sc.sector = t->sector;
    unsigned char *buf = wi_alloc(ctx, 2 * m + S);
    if (!buf)
        return WIOT_ENOMEM;
    sc.goods = buf + 2 * m;
    sc.goods_defined = wi_goods(sc.sector, S, sc.goods);
    P.ctx = ctx;
    P.sc = &sc;
    P.file = where;
    P.last = (size_t)-1;
    P.comma = comma;
    P.inc = buf;
    P.exc = buf + m;
    const size_t cnt = sectors ? S : C;
    const char *fname = sectors ? "sector" : "country";
    wi_str f = {text, len};
    memset(buf, 0, 2 * m);
    int rc = f.n == 0 ? wi_perr(&P, WIOT_EFORMAT, "field '%s': empty", fname)
                      : wi_items(&P, fname, f, sectors ? wi_sector_item : wi_country_item);
    size_t k = 0;
    for (size_t i = 0; !rc && i < cnt; i++)
        k += P.inc[i] && !P.exc[i];
    if (!rc && k == 0)
        rc = wi_perr(&P, WIOT_EFORMAT, "field '%s': '%.*s' selects no %s", fname, WI_PR(f), fname);
    if (!rc) {
        for (size_t i = 0; i < cnt; i++)
            sel[i] = P.inc[i] && !P.exc[i];
        if (count)
            *count = k;
    }
    wi_free(ctx, buf);
    return rc;
}

/* ---------------------------------------------------------------- selection */
int wiot_select(wiot_ctx *ctx, const wiot_table *t, const char *spec, unsigned char *mask,
                size_t *count)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !spec || !mask)
        return wi_error(ctx, WIOT_EINVAL, "wiot_select: NULL argument");
    const size_t C = t->C, S = t->S;
    char where[256];
    snprintf(where, sizeof where, "source '%.200s'", spec);
    const char *colon = strchr(spec, ':');
    size_t clen = colon ? (size_t)(colon - spec) : strlen(spec);
    unsigned char *cs = wi_alloc(ctx, C + S);
    if (!cs)
        return WIOT_ENOMEM;
    size_t nc = 0, ns = S;
    int rc = wi_spec_field(ctx, t, 0, spec, clen, 1, where, cs, &nc);
    if (!rc && colon)
        rc = wi_spec_field(ctx, t, 1, colon + 1, strlen(colon + 1), 1, where, cs + C, &ns);
    else if (!rc)
        memset(cs + C, 1, S);
    if (!rc) {
        for (size_t i = 0; i < t->n; i++)
            mask[i] = cs[i / S] && cs[C + i % S];
        if (count)
            *count = nc * ns;
    }
    wi_free(ctx, cs);
    return rc;
}

int wiot_select_countries(wiot_ctx *ctx, const wiot_table *t, const char *spec,
                          unsigned char *cmask, size_t *count)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !spec || !cmask)
        return wi_error(ctx, WIOT_EINVAL, "wiot_select_countries: NULL argument");
    char where[256];
    snprintf(where, sizeof where, "countries '%.200s'", spec);
    if (strchr(spec, ':'))
        return wi_error(ctx, WIOT_EFORMAT, "%s: a country list takes no ':SECTORS' part", where);
    return wi_spec_field(ctx, t, 0, spec, strlen(spec), 1, where, cmask, count);
}

