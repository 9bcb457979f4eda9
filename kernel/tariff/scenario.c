/* scenario.c -- tariff schedules (C x C x S rates) and named tariff scenarios read
 * from CSV files (kernel/METHODS.md §3).
 *
 * SCENARIO FILE FORMAT
 *
 *   scenario,imposer,target,sector,rate
 *   us301_2018-07-06_list1,USA,CHN,c12,0.022251
 *   eu_ret,EU27,USA,goods,0.10
 *   wide,*;!USA,USA,c1..c16;!c5,0.05
 *
 * Lines
 *  - Plain text (UTF-8 or ASCII), one record per line, '\n' or "\r\n" line ends; the
 *    last line may lack its line end. A UTF-8 byte-order mark at the start is skipped.
 *    gzip-compressed input and NUL bytes are rejected.
 *  - Blank lines (empty or only spaces/tabs) and comment lines (first non-blank
 *    character '#') are ignored anywhere, also before the header. A trailing comment
 *    -- a space or tab, then '#', then anything to the line end -- ends a record or the
 *    header (the white space before it is dropped); a '#' not preceded by a space or
 *    tab is part of its field (a name may hold one).
 *  - The first other line is the header, exactly "scenario,imposer,target,sector,rate"
 *    or "scenario,imposer,target,sector,rate,measure".
 *  - Every record has exactly 5 fields separated by ',' (5 or 6 under the 6-column
 *    header: a missing measure is 'tariff'). There is no quoting and no trimming:
 *    spaces are part of a field (and make it invalid). No field may be empty.
 *  - Line numbers in messages count every physical line from 1.
 *
 * Fields
 *  - scenario: the name. Non-empty; no '+' (it stacks scenarios in
 *    wiot_scenarios_schedule), no white space or control characters. Lines of one
 *    scenario need not be contiguous; one file may hold many scenarios.
 *  - imposer (importing country d) and target (exporting country c): a ';' list of
 *    items, each one of
 *        CODE   a country code of the table, exact and case-sensitive ("RoW");
 *        *      every country of the table;
 *        GROUP  EU27  AUT BEL BGR CYP CZE DEU DNK ESP EST FIN FRA GRC HRV HUN IRL ITA
 *                     LTU LUX LVA MLT NLD POL PRT ROU SVK SVN SWE
 *               EU28  EU27 + GBR
 *               EU15  AUT BEL DEU DNK ESP FIN FRA GBR GRC IRL ITA LUX NLD PRT SWE
 *               USMCA USA CAN MEX   (alias NAFTA)
 *               G7    CAN DEU FRA GBR ITA JPN USA
 *               BRICS BRA RUS IND CHN ZAF
 *               ASEAN BRN KHM IDN LAO MYS MMR PHL SGP THA VNM
 *               A group stands for its members present in the table; a group none of
 *               whose members is in the table is an error. A table code equal to a
 *               group name means the country, not the group.
 *        !ITEM  excludes ITEM (a code, '*' or a group).
 *    The selection is (union of included items) minus (union of excluded items),
 *    whatever their order in the list: "*;!USA" = every country but the USA. An empty
 *    item ("USA;;CHN", "USA;") and a field that selects nothing ("!USA",
 *    "USA;!USA") are errors.
 *  - sector: a ';' list of items, each one of
 *        CODE   a sector code of the table (exact, case-sensitive);
 *        *      every sector;
 *        A..B   the sectors from A to B inclusive, in the table's order (A must not
 *               come after B), e.g. c1..c16;
 *        goods  the goods-producing sectors, from the table's sector codes:
 *               - every code is 'c' + a number (WIOD 2013, c1..c35): c1..c16
 *                 (agriculture, mining, manufacturing including recycling);
 *               - else the codes that are ISIC Rev.4 letter codes of sections A, B, C:
 *                 'A', 'B' or 'C' alone or followed by a digit, except C33 (repair and
 *                 installation of machinery, a service). For WIOD 2016 (A01 ... U)
 *                 this is A01 through C31_C32;
 *               - else 'goods' is an error ("not defined for this table's sector
 *                 classification");
 *        services  every sector not in goods (an error where goods is undefined);
 *        !ITEM  excludes ITEM;
 *    with the same inclusion/exclusion rule as countries.
 *  - rate: the additional ad valorem rate as a fraction (0.25 = 25 %). The whole field
 *    must parse with strtod (C locale syntax; decimal, exponent and hex forms; no
 *    leading or trailing space), be finite and be > -1. A rate above 2 (200 %) loads
 *    but logs a warning (WIOT_LOG_WARN, "<file>:<line>: field 'rate': rate 25 is above
 *    2 ..."): 25 meant as 25 % would be a 2500 % duty.
 *  - measure (optional, METHODS.md §3.6; wiot.h "content-based tariffs"): 'tariff'
 *    (the default), 'ntb' (a non-tariff barrier's ad valorem equivalent: prices as a
 *    tariff, no revenue), 'on_content_of=SPEC', 'except_content_of=SPEC' or
 *    'unless_content_of=SPEC>=X', SPEC = COUNTRIES[:SECTORS] in the syntax of the
 *    imposer/target and sector fields with ';' between items, X a number in [0, 1].
 *    The codes of SPEC are checked here; the shares are computed when a schedule is
 *    built with a factorization (tariff_content.c).
 *
 * Semantics
 *  - A scenario's schedule starts at 0 everywhere. Its lines are applied in file
 *    order; each SETS rate(d <- c, s) = rate (its effective rate for content
 *    measures) for every selected d, c, s, so when lines overlap the later line wins;
 *    tariff-type lines and ntb lines are two layers, each with that rule, and the
 *    schedule's rate is their sum (its NTB part kept apart for revenue). Pairs with d == c are skipped silently (the
 *    rate inside a country is always 0).
 *  - A name already in the set (from an earlier file, or loading the same file
 *    twice) is an error: a scenario cannot be split across files.
 *  - On any error nothing of the file is added to the set.
 *  - wiot_scenarios_schedule(ctx, sc, "A+B+C", &out) builds each term's schedule on
 *    its own and sums them (stacking of separate legal measures). Spaces around the
 *    names are ignored; an empty term is an error; a repeated term is added twice.
 *    Every summed rate must be finite and > -1.
 *
 * Status codes: WIOT_EIO (cannot open or read the file), WIOT_EFORMAT (syntax:
 * header, field count, empty field or item, bad name, not a number, reversed range,
 * empty selection, gzip/binary, unknown measure, missing threshold), WIOT_ENOTFOUND
 * (unknown country, sector or group -- also in a measure's SPEC --, group with no
 * member in the table, group 'goods' undefined), WIOT_EDATA (rate not finite or
 * <= -1; a stack summing to <= -1; a threshold outside [0, 1]), WIOT_EINVAL (a scenario name already
 * loaded; bad arguments), WIOT_ETOOLARGE, WIOT_ENOMEM. Messages read
 * "<file>:<line>: field '<field>': <what>".
 *
 * Storage: the set copies the table's codes (it does not refer to the table). Each
 * loaded file becomes one block: resolved lines (56 bytes each: offset and counts of
 * three index lists, rate, measure, threshold, the content source's index lists, line
 * number, offset of the fields as written), the index lists (uint32), the names and
 * the fields as written. Lines of a scenario
 * are contiguous in its block, in file order, so building a schedule is a plain
 * loop over them. */
#define _POSIX_C_SOURCE 200809L
#include "tariff/tariff.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WI_HEADER "scenario,imposer,target,sector,rate"
#define WI_NFIELD 5
#define WI_LIST_MAX 600   /* bytes of "valid: ..." lists in messages */
#define WI_LEV_MAX 128    /* edit distance looks at this many characters */
#define WI_SUGGEST 5      /* close names listed for an unknown scenario */
#define WI_RATE_PLAUSIBLE 2.0  /* rates above this draw a warning: 25 meant as 25 %? */

/* ------------------------------------------------------------- schedules */
static int wi_schedule_alloc(wiot_ctx *ctx, size_t C, size_t S, wiot_schedule **out)
{
    size_t cc, n, bytes;
    if (wi_mul(ctx, C, C, &cc) || wi_mul(ctx, cc, S, &n) || wi_mul(ctx, n, sizeof(double), &bytes))
        return WIOT_ETOOLARGE;
    wiot_schedule *s = wi_alloc(ctx, sizeof *s);
    if (!s)
        return WIOT_ENOMEM;
    s->a = ctx->a;
    s->C = C;
    s->S = S;
    s->ntb = NULL;
    s->rate = wi_calloc(ctx, n, sizeof(double));   /* cannot overflow: checked above */
    if (!s->rate) {
        wi_free(ctx, s);
        return WIOT_ENOMEM;
    }
    *out = s;
    return WIOT_OK;
}

int wiot_schedule_new(wiot_ctx *ctx, const wiot_table *t, wiot_schedule **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_new: NULL argument");
    size_t C = wiot_table_countries(t), S = wiot_table_sectors(t);
    if (C == 0 || S == 0)
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_new: table has %zu countries x %zu sectors",
                        C, S);
    return wi_schedule_alloc(ctx, C, S, out);
}

int wiot_schedule_copy(wiot_ctx *ctx, const wiot_schedule *src, wiot_schedule **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!src || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_copy: NULL argument");
    wiot_schedule *s;
    int rc = wi_schedule_alloc(ctx, src->C, src->S, &s);
    if (rc)
        return rc;
    const size_t n = src->C * src->C * src->S;
    memcpy(s->rate, src->rate, n * sizeof(double));
    if (src->ntb) {
        if (!(s->ntb = wi_dalloc(ctx, n))) {
            wiot_schedule_free(s);
            return WIOT_ENOMEM;
        }
        memcpy(s->ntb, src->ntb, n * sizeof(double));
    }
    *out = s;
    return WIOT_OK;
}

void wiot_schedule_free(wiot_schedule *s)
{
    if (!s)
        return;
    wiot_allocator a = s->a;
    wi_hfree(&a, s->ntb);
    wi_hfree(&a, s->rate);
    wi_hfree(&a, s);
}

int wiot_schedule_set(wiot_ctx *ctx, wiot_schedule *s, size_t importer, size_t exporter,
                      size_t sector, double rate)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!s)
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_set: NULL schedule");
    if (importer >= s->C || exporter >= s->C || sector >= s->S)
        return wi_error(ctx, WIOT_EINVAL,
                        "wiot_schedule_set: index (importer %zu, exporter %zu, sector %zu) out of "
                        "range (%zu countries, %zu sectors)",
                        importer, exporter, sector, s->C, s->S);
    if (!isfinite(rate) || !(rate > -1.0))
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_set: rate %g must be finite and > -1",
                        rate);
    if (importer != exporter)
        s->rate[(importer * s->C + exporter) * s->S + sector] = rate;
    return WIOT_OK;
}

/* NaN for a NULL schedule or an index out of range. */
double wiot_schedule_get(const wiot_schedule *s, size_t importer, size_t exporter, size_t sector)
{
    if (!s || importer >= s->C || exporter >= s->C || sector >= s->S)
        return NAN;
    return s->rate[(importer * s->C + exporter) * s->S + sector];
}

int wiot_schedule_add(wiot_ctx *ctx, wiot_schedule *dst, const wiot_schedule *src, double scale)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!dst || !src)
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_add: NULL schedule");
    if (dst->C != src->C || dst->S != src->S)
        return wi_error(ctx, WIOT_EINVAL,
                        "wiot_schedule_add: schedules differ in size (%zu x %zu against %zu x %zu "
                        "countries x sectors)",
                        dst->C, dst->S, src->C, src->S);
    if (!isfinite(scale))
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_add: scale %g is not finite", scale);
    const size_t n = dst->C * dst->C * dst->S, CS = dst->C * dst->S;
    /* check first, so that a failed call leaves dst untouched */
    for (size_t q = 0; q < n; q++) {
        double v = dst->rate[q] + scale * src->rate[q];
        if (!isfinite(v) || !(v > -1.0))
            return wi_error(ctx, WIOT_EDATA,
                            "wiot_schedule_add: rate (importer %zu, exporter %zu, sector %zu) "
                            "would be %g, not > -1",
                            q / CS, (q % CS) / dst->S, q % dst->S, v);
    }
    if (src->ntb && !dst->ntb && !(dst->ntb = wi_calloc(ctx, n, sizeof(double))))
        return WIOT_ENOMEM;
    for (size_t q = 0; q < n; q++)
        dst->rate[q] += scale * src->rate[q];
    if (src->ntb)
        for (size_t q = 0; q < n; q++)
            dst->ntb[q] += scale * src->ntb[q];
    return WIOT_OK;
}

const double *wiot_schedule_rates(const wiot_schedule *s) { return s ? s->rate : NULL; }

size_t wiot_schedule_imposers(const wiot_schedule *s, size_t *list)
{
    if (!s)
        return 0;
    size_t m = 0;
    const size_t CS = s->C * s->S;
    for (size_t d = 0; d < s->C; d++) {
        const double *r = s->rate + d * CS;
        for (size_t q = 0; q < CS; q++)
            if (r[q] != 0.0) {
                if (list)
                    list[m] = d;
                m++;
                break;
            }
    }
    return m;
}

/* ------------------------------------------------------------ scenario set */
/* One resolved line: index lists idx[off .. off+ni) importers, then nt targets, then
 * ns sectors, in the block's pool. */
struct wi_line {
    uint32_t off, ni, nt, ns;
    double rate;
    double thr;                 /* unless_content_of threshold X */
    uint32_t soff, snc, sns;    /* content SPEC: snc countries then sns sectors at idx[soff] */
    uint32_t lineno;            /* physical line in its file */
    uint32_t text;              /* offset in the block's text of the fields as written:
                                   "imposer\0target\0sector\0measure\0spec\0" */
    uint8_t measure;            /* enum wiot_line_measure */
};

/* One loaded file (one allocation). */
struct wi_block {
    const char *file;
    struct wi_line *lines;
    uint32_t *idx;
    char *text;                 /* names, then the file name */
};

struct wi_scen {
    const char *name;
    const struct wi_line *lines;   /* contiguous, in file order */
    size_t nlines;
    const uint32_t *idx;
    const char *file;
    const char *text;              /* the block's text (wi_line.text is relative to it) */
};

struct wiot_scenarios {
    wiot_allocator a;
    size_t C, S;
    char **country;             /* C codes (copies) */
    char **sector;              /* S codes */
    unsigned char *goods;       /* S flags: 1 = goods sector */
    int goods_defined;
    void *codes;                /* the one block holding country, sector, goods */
    struct wi_block **blk;
    size_t nblk, capblk;
    struct wi_scen *scen;
    size_t nscen, capscen;
};

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

/* A slice of the input. */
typedef struct wi_str {
    const char *p;
    size_t n;
} wi_str;

/* printf arguments for a slice, clipped to 200 bytes: "%.*s" */
#define WI_PR(s) ((s).n > 200 ? 200 : (int)(s).n), (s).p

static int wi_eq(wi_str s, const char *z)
{
    size_t n = strlen(z);
    return n == s.n && memcmp(s.p, z, n) == 0;
}

static int wi_ieq(wi_str s, const char *z)
{
    size_t n = strlen(z);
    if (n != s.n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s.p[i]) != tolower((unsigned char)z[i]))
            return 0;
    return 1;
}

static size_t wi_find(char *const *codes, size_t count, wi_str s)
{
    for (size_t i = 0; i < count; i++)
        if (wi_eq(s, codes[i]))
            return i;
    return (size_t)-1;
}

static size_t wi_find_z(char *const *codes, size_t count, const char *z)
{
    wi_str s = {z, strlen(z)};
    return wi_find(codes, count, s);
}

/* "AUS AUT ... RoW" into buf[cap] (cap >= 8), cut with "..." when it does not fit. */
static void wi_list_codes(char *buf, size_t cap, char *const *codes, size_t n)
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
static int wi_goods(char *const *sector, size_t S, unsigned char *goods)
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

int wiot_scenarios_new(wiot_ctx *ctx, const wiot_table *t, wiot_scenarios **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_scenarios_new: NULL argument");
    const size_t C = wiot_table_countries(t), S = wiot_table_sectors(t);
    if (C == 0 || S == 0)
        return wi_error(ctx, WIOT_EINVAL, "wiot_scenarios_new: table has %zu countries x %zu sectors",
                        C, S);
    if (C > UINT32_MAX || S > UINT32_MAX)
        return wi_error(ctx, WIOT_ETOOLARGE, "wiot_scenarios_new: table too large for scenarios");
    /* one block: C + S pointers, S goods flags, the strings */
    size_t text = 0;
    for (size_t c = 0; c < C; c++)
        text += strlen(wiot_table_country(t, c)) + 1;
    for (size_t s = 0; s < S; s++)
        text += strlen(wiot_table_sector(t, s)) + 1;
    size_t ptrs = (C + S) * sizeof(char *);
    char *blk = wi_alloc(ctx, ptrs + S + text);
    if (!blk)
        return WIOT_ENOMEM;
    wiot_scenarios *sc = wi_alloc(ctx, sizeof *sc);
    if (!sc) {
        wi_free(ctx, blk);
        return WIOT_ENOMEM;
    }
    memset(sc, 0, sizeof *sc);
    sc->a = ctx->a;
    sc->C = C;
    sc->S = S;
    sc->codes = blk;
    sc->country = (char **)(void *)blk;
    sc->sector = sc->country + C;
    sc->goods = (unsigned char *)blk + ptrs;
    char *p = (char *)sc->goods + S;
    for (size_t i = 0; i < C + S; i++) {
        const char *code = i < C ? wiot_table_country(t, i) : wiot_table_sector(t, i - C);
        size_t m = strlen(code) + 1;
        memcpy(p, code, m);
        sc->country[i] = p;   /* country[C + s] == sector[s] */
        p += m;
    }
    sc->goods_defined = wi_goods(sc->sector, S, sc->goods);
    *out = sc;
    return WIOT_OK;
}

void wiot_scenarios_free(wiot_scenarios *sc)
{
    if (!sc)
        return;
    wiot_allocator a = sc->a;
    for (size_t b = 0; b < sc->nblk; b++)
        wi_hfree(&a, sc->blk[b]);
    wi_hfree(&a, sc->blk);
    wi_hfree(&a, sc->scen);
    wi_hfree(&a, sc->codes);
    wi_hfree(&a, sc);
}

size_t wiot_scenarios_count(const wiot_scenarios *sc) { return sc ? sc->nscen : 0; }

const char *wiot_scenarios_name(const wiot_scenarios *sc, size_t i)
{
    return sc && i < sc->nscen ? sc->scen[i].name : NULL;
}

static size_t wi_scen_find(const wiot_scenarios *sc, wi_str name)
{
    for (size_t i = 0; i < sc->nscen; i++)
        if (wi_eq(name, sc->scen[i].name))
            return i;
    return (size_t)-1;
}

/* ------------------------------------------------------------------ parser */
/* A growing array through the context's allocator (no realloc hook: copy). */
typedef struct wi_vec {
    void *p;
    size_t n, cap;
} wi_vec;

static int wi_vec_reserve(wiot_ctx *ctx, wi_vec *v, size_t elem, size_t more)
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

struct wi_pline {
    struct wi_line l;
    uint32_t scen;              /* index among the file's names */
};

typedef struct wi_parse {
    wiot_ctx *ctx;
    wiot_scenarios *sc;
    const char *file;
    size_t lineno;
    wi_vec lines;               /* struct wi_pline */
    wi_vec idx;                 /* uint32_t */
    wi_vec names;               /* size_t: offsets into pool */
    wi_vec pool;                /* char: NUL-terminated names */
    unsigned char *inc, *exc;   /* max(C, S) marks each */
    size_t last;                /* the previous line's scenario, or -1 */
    int comma;                  /* ',' also separates items (wi_spec_field) */
    int nhdr;                   /* fields of the header: 5, or 6 with 'measure' */
} wi_parse;

static int wi_perr(wi_parse *P, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int wi_perr(wi_parse *P, int rc, const char *fmt, ...)
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
typedef int (*wi_item_fn)(wi_parse *P, const char *fname, wi_str item, unsigned char *mark);

static int wi_items(wi_parse *P, const char *fname, wi_str f, wi_item_fn fn)
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
static int wi_select(wi_parse *P, const char *fname, wi_str f, size_t n, const char *what,
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

static int wi_country_item(wi_parse *P, const char *fname, wi_str item, unsigned char *mark)
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

static int wi_sector_unknown(wi_parse *P, const char *fname, wi_str code, wi_str range)
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

static int wi_sector_item(wi_parse *P, const char *fname, wi_str item, unsigned char *mark)
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

static int wi_field_countries(wi_parse *P, const char *fname, wi_str f, uint32_t *count)
{
    memset(P->inc, 0, P->sc->C);
    memset(P->exc, 0, P->sc->C);
    int rc = wi_items(P, fname, f, wi_country_item);
    return rc ? rc : wi_select(P, fname, f, P->sc->C, "country", count);
}

static int wi_field_sectors(wi_parse *P, const char *fname, wi_str f, uint32_t *count)
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

static int wi_field_rate(wi_parse *P, wi_str f, double *rate)
{
    char buf[128];
    if (f.n >= sizeof buf || isspace((unsigned char)f.p[0]))
        return wi_perr(P, WIOT_EFORMAT, "field 'rate': not a number '%.*s'", WI_PR(f));
    memcpy(buf, f.p, f.n);
    buf[f.n] = '\0';
    char *end;
    double r = strtod(buf, &end);
    if (end != buf + f.n)
        return wi_perr(P, WIOT_EFORMAT, "field 'rate': not a number '%s'", buf);
    if (!isfinite(r))
        return wi_perr(P, WIOT_EDATA, "field 'rate': rate %s is not finite", buf);
    if (!(r > -1.0))
        return wi_perr(P, WIOT_EDATA, "field 'rate': rate %s must be > -1", buf);
    if (r > WI_RATE_PLAUSIBLE)
        wi_log(P->ctx, WIOT_LOG_WARN, "%s:%zu: field 'rate': rate %s is above 2 (200 %%); rates "
               "are fractions (0.25 = 25 %%)", P->file, P->lineno, buf);
    *rate = r;
    return WIOT_OK;
}

/* The file-local index of the scenario called f, adding the name when new. */
static int wi_field_name(wi_parse *P, wi_str f, uint32_t *id)
{
    for (size_t i = 0; i < f.n; i++) {
        unsigned char ch = (unsigned char)f.p[i];
        if (ch == '+')
            return wi_perr(P, WIOT_EFORMAT, "field 'scenario': name '%.*s' contains '+' (reserved "
                           "for stacking scenarios)",
                           WI_PR(f));
        if (isspace(ch) || iscntrl(ch))
            return wi_perr(P, WIOT_EFORMAT, "field 'scenario': name '%.*s' contains a space or "
                           "control character",
                           WI_PR(f));
    }
    const size_t *off = P->names.p;
    const char *pool = P->pool.p;
    if (P->last != (size_t)-1 && wi_eq(f, pool + off[P->last])) {
        *id = (uint32_t)P->last;
        return WIOT_OK;
    }
    for (size_t i = 0; i < P->names.n; i++)
        if (wi_eq(f, pool + off[i])) {
            *id = (uint32_t)(P->last = i);
            return WIOT_OK;
        }
    size_t old = wi_scen_find(P->sc, f);
    if (old != (size_t)-1)
        return wi_perr(P, WIOT_EINVAL, "scenario '%.*s' is already loaded (from %s)", WI_PR(f),
                       P->sc->scen[old].file);
    if (P->names.n >= UINT32_MAX)
        return wi_perr(P, WIOT_ETOOLARGE, "too many scenarios in one file");
    int rc = wi_vec_reserve(P->ctx, &P->names, sizeof(size_t), 1);
    if (!rc)
        rc = wi_vec_reserve(P->ctx, &P->pool, 1, f.n + 1);
    if (rc)
        return rc;
    char *dst = (char *)P->pool.p + P->pool.n;
    memcpy(dst, f.p, f.n);
    dst[f.n] = '\0';
    ((size_t *)P->names.p)[P->names.n] = P->pool.n;
    P->pool.n += f.n + 1;
    *id = (uint32_t)(P->last = P->names.n++);
    return WIOT_OK;
}

/* The SPEC of a content measure, "COUNTRIES[:SECTORS]" in the syntax of the imposer/target
 * and sector fields (items separated by ';' only: ',' separates the fields), appended
 * to the index pool: countries, then sectors. */
static int wi_field_spec(wi_parse *P, wi_str spec, struct wi_line *l)
{
    if (spec.n == 0)
        return wi_perr(P, WIOT_EFORMAT, "field 'measure': empty content source (expected "
                       "COUNTRIES[:SECTORS], e.g. CHN:c14)");
    const char *colon = memchr(spec.p, ':', spec.n);
    wi_str cty = {spec.p, colon ? (size_t)(colon - spec.p) : spec.n};
    wi_str sec = {colon ? colon + 1 : "*", colon ? (size_t)(spec.p + spec.n - colon - 1) : 1};
    if (cty.n == 0 || sec.n == 0)
        return wi_perr(P, WIOT_EFORMAT, "field 'measure': content source '%.*s' has an empty %s "
                       "part", WI_PR(spec), cty.n == 0 ? "country" : "sector");
    if (P->idx.n > UINT32_MAX)
        return wi_perr(P, WIOT_ETOOLARGE, "too many codes in one file");
    l->soff = (uint32_t)P->idx.n;
    int rc = wi_field_countries(P, "measure", cty, &l->snc);
    return rc ? rc : wi_field_sectors(P, "measure", sec, &l->sns);
}

#define WI_MEASURES "tariff, ntb, on_content_of=SPEC, except_content_of=SPEC, " \
                    "unless_content_of=SPEC>=X"

static int wi_prefix(wi_str f, const char *z, wi_str *rest)
{
    size_t n = strlen(z);
    if (f.n < n || memcmp(f.p, z, n) != 0)
        return 0;
    rest->p = f.p + n;
    rest->n = f.n - n;
    return 1;
}

/* The measure field: kind, content source and threshold; *spec gets the SPEC text. */
static int wi_field_measure(wi_parse *P, wi_str f, struct wi_line *l, wi_str *spec)
{
    wi_str rest = {NULL, 0};
    spec->p = NULL;
    spec->n = 0;
    if (wi_eq(f, "tariff")) {
        l->measure = WIOT_LINE_TARIFF;
        return WIOT_OK;
    }
    if (wi_eq(f, "ntb")) {
        l->measure = WIOT_LINE_NTB;
        return WIOT_OK;
    }
    if (wi_prefix(f, "on_content_of=", &rest))
        l->measure = WIOT_LINE_ON_CONTENT;
    else if (wi_prefix(f, "except_content_of=", &rest))
        l->measure = WIOT_LINE_EXCEPT_CONTENT;
    else if (wi_prefix(f, "unless_content_of=", &rest)) {
        l->measure = WIOT_LINE_UNLESS_CONTENT;
        const char *ge = NULL;
        for (size_t i = 0; i + 1 < rest.n; i++)
            if (rest.p[i] == '>' && rest.p[i + 1] == '=')
                ge = rest.p + i;
        if (!ge)
            return wi_perr(P, WIOT_EFORMAT, "field 'measure': '%.*s' needs a threshold: "
                           "unless_content_of=SPEC>=X, e.g. unless_content_of=USMCA>=0.75", WI_PR(f));
        wi_str x = {ge + 2, (size_t)(rest.p + rest.n - ge - 2)};
        char buf[64];
        if (x.n == 0 || x.n >= sizeof buf || isspace((unsigned char)x.p[0]))
            return wi_perr(P, WIOT_EFORMAT, "field 'measure': threshold '%.*s' is not a number",
                           WI_PR(x));
        memcpy(buf, x.p, x.n);
        buf[x.n] = '\0';
        char *e;
        double v = strtod(buf, &e);
        if (e != buf + x.n)
            return wi_perr(P, WIOT_EFORMAT, "field 'measure': threshold '%s' is not a number", buf);
        if (!(v >= 0.0 && v <= 1.0))
            return wi_perr(P, WIOT_EDATA, "field 'measure': threshold %s is outside [0, 1] (a "
                           "content share as a fraction, 0.75 = 75 %%)", buf);
        l->thr = v;
        rest.n = (size_t)(ge - rest.p);
    } else
        return wi_perr(P, WIOT_EFORMAT, "field 'measure': unknown measure '%.*s' (valid: %s)",
                       WI_PR(f), WI_MEASURES);
    *spec = rest;
    return wi_field_spec(P, rest, l);
}

/* Copy the fields as written into the pool: "imposer\0target\0sector\0measure\0spec\0". */
static int wi_keep_text(wi_parse *P, const wi_str *f, size_t nf, wi_str spec, uint32_t *off)
{
    static const wi_str tariff = {"tariff", 6};
    wi_str part[5] = {f[1], f[2], f[3], nf > 5 ? f[5] : tariff, spec};
    size_t need = 0;
    for (int i = 0; i < 5; i++)
        need += part[i].n + 1;
    if (P->pool.n + need > UINT32_MAX)
        return wi_perr(P, WIOT_ETOOLARGE, "scenario file too large");
    int rc = wi_vec_reserve(P->ctx, &P->pool, 1, need);
    if (rc)
        return rc;
    *off = (uint32_t)P->pool.n;
    char *dst = (char *)P->pool.p + P->pool.n;
    for (int i = 0; i < 5; i++) {
        if (part[i].n)
            memcpy(dst, part[i].p, part[i].n);
        dst[part[i].n] = '\0';
        dst += part[i].n + 1;
    }
    P->pool.n += need;
    return WIOT_OK;
}

/* A trailing comment: whitespace, '#', anything to the end of the line. The record
 * ends before the whitespace. A '#' not preceded by a space or tab stays part of its
 * field (a name may hold '#'). */
static wi_str wi_strip_comment(wi_str line)
{
    for (size_t i = 1; i < line.n; i++)
        if (line.p[i] == '#' && (line.p[i - 1] == ' ' || line.p[i - 1] == '\t')) {
            size_t n = i - 1;
            while (n > 0 && (line.p[n - 1] == ' ' || line.p[n - 1] == '\t'))
                n--;
            line.n = n;
            break;
        }
    return line;
}

static int wi_parse_line(wi_parse *P, wi_str line)
{
    static const char *const fname[WI_NFIELD + 1] = {"scenario", "imposer", "target", "sector",
                                                     "rate", "measure"};
    wi_str f[WI_NFIELD + 1];
    size_t nf = 0;
    line = wi_strip_comment(line);
    const char *p = line.p, *end = line.p + line.n;
    for (;;) {
        const char *q = memchr(p, ',', (size_t)(end - p));
        if (!q)
            q = end;
        if (nf < WI_NFIELD + 1) {
            f[nf].p = p;
            f[nf].n = (size_t)(q - p);
        }
        nf++;
        if (q == end)
            break;
        p = q + 1;
    }
    if (P->nhdr == WI_NFIELD && nf != WI_NFIELD)
        return wi_perr(P, WIOT_EFORMAT, "expected %d fields, got %zu", WI_NFIELD, nf);
    if (P->nhdr > WI_NFIELD && nf != WI_NFIELD && nf != WI_NFIELD + 1)
        return wi_perr(P, WIOT_EFORMAT, "expected %d or %d fields, got %zu", WI_NFIELD,
                       WI_NFIELD + 1, nf);
    for (size_t i = 0; i < nf; i++)
        if (f[i].n == 0)
            return wi_perr(P, WIOT_EFORMAT, "field '%s': empty", fname[i]);
    struct wi_pline L;
    memset(&L, 0, sizeof L);
    size_t off = P->idx.n;
    wi_str spec = {NULL, 0};
    int rc = wi_field_name(P, f[0], &L.scen);
    if (!rc)
        rc = wi_field_countries(P, "imposer", f[1], &L.l.ni);
    if (!rc)
        rc = wi_field_countries(P, "target", f[2], &L.l.nt);
    if (!rc)
        rc = wi_field_sectors(P, "sector", f[3], &L.l.ns);
    if (!rc)
        rc = wi_field_rate(P, f[4], &L.l.rate);
    if (!rc && nf > WI_NFIELD)
        rc = wi_field_measure(P, f[5], &L.l, &spec);
    if (!rc)
        rc = wi_keep_text(P, f, nf, spec, &L.l.text);
    if (rc)
        return rc;
    if (P->idx.n > UINT32_MAX || P->lineno > UINT32_MAX)
        return wi_perr(P, WIOT_ETOOLARGE, "too many codes in one file");
    L.l.off = (uint32_t)off;
    L.l.lineno = (uint32_t)P->lineno;
    rc = wi_vec_reserve(P->ctx, &P->lines, sizeof L, 1);
    if (rc)
        return rc;
    ((struct wi_pline *)P->lines.p)[P->lines.n++] = L;
    return WIOT_OK;
}

static int wi_blank(wi_str s)
{
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] == '#')
            return 1;
        if (s.p[i] != ' ' && s.p[i] != '\t')
            return 0;
    }
    return 1;
}

static int wi_parse_buffer(wi_parse *P, const unsigned char *data, size_t size)
{
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
        return wi_error(P->ctx, WIOT_EFORMAT,
                        "%s: gzip-compressed data; scenario files must be plain text", P->file);
    const unsigned char *nul = memchr(data, 0, size);
    if (nul) {
        P->lineno = 1;
        for (const unsigned char *q = data; q < nul; q++)
            P->lineno += *q == '\n';
        return wi_perr(P, WIOT_EFORMAT, "NUL byte (not a text file)");
    }
    const char *p = (const char *)data, *end = p + size;
    if (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        p += 3;
    int header = 0;
    while (p < end) {
        const char *q = memchr(p, '\n', (size_t)(end - p));
        const char *next = q ? q + 1 : end, *lend = q ? q : end;
        if (lend > p && lend[-1] == '\r')
            lend--;
        wi_str line = {p, (size_t)(lend - p)};
        p = next;
        P->lineno++;
        if (wi_blank(line))
            continue;
        if (!header) {
            line = wi_strip_comment(line);
            if (wi_eq(line, WI_HEADER))
                P->nhdr = WI_NFIELD;
            else if (wi_eq(line, WI_HEADER ",measure"))
                P->nhdr = WI_NFIELD + 1;
            else
                return wi_perr(P, WIOT_EFORMAT, "bad header: expected '" WI_HEADER "'");
            header = 1;
            continue;
        }
        int rc = wi_parse_line(P, line);
        if (rc)
            return rc;
    }
    if (!header)
        return wi_error(P->ctx, WIOT_EFORMAT, "%s: empty file (expected the header '" WI_HEADER "')",
                        P->file);
    if (P->lines.n == 0)
        return wi_error(P->ctx, WIOT_EFORMAT, "%s: no scenario lines after the header", P->file);
    return WIOT_OK;
}

/* Move the parsed file into the set: one block, grown arrays. Every allocation comes
 * first; the set changes only when all succeeded. */
static int wi_commit(wi_parse *P)
{
    wiot_ctx *ctx = P->ctx;
    wiot_scenarios *sc = P->sc;
    const size_t nl = P->lines.n, ni = P->idx.n, nn = P->names.n;
    const size_t flen = strlen(P->file) + 1;
    size_t bytes = sizeof(struct wi_block), t;
    size_t o_lines = bytes;
    if (wi_mul(ctx, nl, sizeof(struct wi_line), &t))
        return WIOT_ETOOLARGE;
    bytes += t;
    size_t o_idx = bytes;
    if (wi_mul(ctx, ni, sizeof(uint32_t), &t))
        return WIOT_ETOOLARGE;
    bytes += t;
    size_t o_text = bytes;
    bytes += P->pool.n + flen;
    char *raw = wi_alloc(ctx, bytes);
    if (!raw)
        return WIOT_ENOMEM;
    struct wi_scen *scen = NULL;
    struct wi_block **blk = NULL;
    size_t capscen = sc->capscen, capblk = sc->capblk;
    if (sc->nscen + nn > capscen) {
        capscen = capscen * 2 > sc->nscen + nn ? capscen * 2 : sc->nscen + nn + 8;
        scen = wi_calloc(ctx, capscen, sizeof *scen);
        if (!scen) {
            wi_free(ctx, raw);
            return WIOT_ENOMEM;
        }
    }
    if (sc->nblk == capblk) {
        capblk = capblk ? capblk * 2 : 4;
        blk = wi_calloc(ctx, capblk, sizeof *blk);
        if (!blk) {
            wi_free(ctx, scen);
            wi_free(ctx, raw);
            return WIOT_ENOMEM;
        }
    }
    /* nothing can fail from here on */
    struct wi_block *b = (struct wi_block *)(void *)raw;
    b->lines = (struct wi_line *)(void *)(raw + o_lines);
    b->idx = (uint32_t *)(void *)(raw + o_idx);
    b->text = raw + o_text;
    memcpy(b->text, P->pool.p, P->pool.n);
    memcpy(b->text + P->pool.n, P->file, flen);
    b->file = b->text + P->pool.n;
    if (ni)
        memcpy(b->idx, P->idx.p, ni * sizeof(uint32_t));
    if (scen) {
        if (sc->nscen)
            memcpy(scen, sc->scen, sc->nscen * sizeof *scen);
        wi_free(ctx, sc->scen);
        sc->scen = scen;
        sc->capscen = capscen;
    }
    if (blk) {
        if (sc->nblk)
            memcpy(blk, sc->blk, sc->nblk * sizeof *blk);
        wi_free(ctx, sc->blk);
        sc->blk = blk;
        sc->capblk = capblk;
    }
    /* counting sort of the lines by scenario, stable (file order within each) */
    struct wi_scen *e = sc->scen + sc->nscen;
    const struct wi_pline *pl = P->lines.p;
    const size_t *noff = P->names.p;
    for (size_t k = 0; k < nn; k++) {
        e[k].name = b->text + noff[k];
        e[k].idx = b->idx;
        e[k].file = b->file;
        e[k].text = b->text;
        e[k].nlines = 0;
    }
    for (size_t i = 0; i < nl; i++)
        e[pl[i].scen].nlines++;
    size_t start = 0;
    for (size_t k = 0; k < nn; k++) {
        e[k].lines = b->lines + start;
        start += e[k].nlines;
        e[k].nlines = 0;
    }
    for (size_t i = 0; i < nl; i++) {
        struct wi_scen *s = &e[pl[i].scen];
        ((struct wi_line *)s->lines)[s->nlines++] = pl[i].l;
    }
    sc->blk[sc->nblk++] = b;
    sc->nscen += nn;
    return WIOT_OK;
}

static int wi_load(wiot_ctx *ctx, wiot_scenarios *sc, const unsigned char *data, size_t size,
                   const char *name)
{
    wi_parse P;
    memset(&P, 0, sizeof P);
    P.ctx = ctx;
    P.sc = sc;
    P.file = name;
    P.last = (size_t)-1;
    int rc = WIOT_OK;
    size_t m = sc->C > sc->S ? sc->C : sc->S;
    P.inc = wi_alloc(ctx, 2 * m);
    if (!P.inc)
        return WIOT_ENOMEM;
    P.exc = P.inc + m;
    rc = wi_parse_buffer(&P, data, size);
    if (!rc)
        rc = wi_commit(&P);
    wi_free(ctx, P.inc);
    wi_free(ctx, P.lines.p);
    wi_free(ctx, P.idx.p);
    wi_free(ctx, P.names.p);
    wi_free(ctx, P.pool.p);
    return rc;
}

int wiot_scenarios_load_buffer(wiot_ctx *ctx, wiot_scenarios *sc, const void *data, size_t size,
                               const char *name)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!sc || (!data && size))
        return wi_error(ctx, WIOT_EINVAL, "wiot_scenarios_load_buffer: NULL argument");
    return wi_load(ctx, sc, data ? data : "", size, name ? name : "<buffer>");
}

static int wi_io_error(wiot_ctx *ctx, const char *path, const char *what, int err)
{
    char eb[128];
    if (strerror_r(err, eb, sizeof eb) != 0)
        snprintf(eb, sizeof eb, "error %d", err);
    return wi_error(ctx, WIOT_EIO, "%s: cannot %s: %s", path, what, eb);
}

int wiot_scenarios_load(wiot_ctx *ctx, wiot_scenarios *sc, const char *path)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!sc || !path)
        return wi_error(ctx, WIOT_EINVAL, "wiot_scenarios_load: NULL argument");
    FILE *f = fopen(path, "rb");
    if (!f)
        return wi_io_error(ctx, path, "open", errno);
    struct stat st;
    size_t cap = 1 << 16, n = 0;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
        (unsigned long long)st.st_size < SIZE_MAX / 2)
        cap = (size_t)st.st_size + 1;
    char *buf = wi_alloc(ctx, cap);
    int rc = buf ? WIOT_OK : WIOT_ENOMEM;
    while (!rc) {
        if (n == cap) {
            char *nb = cap > SIZE_MAX / 2 ? NULL : wi_alloc(ctx, cap * 2);
            if (!nb) {
                rc = cap > SIZE_MAX / 2 ? wi_error(ctx, WIOT_ETOOLARGE, "%s: file too large", path)
                                        : WIOT_ENOMEM;
                break;
            }
            memcpy(nb, buf, n);
            wi_free(ctx, buf);
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                rc = wi_io_error(ctx, path, "read", errno);
            break;
        }
    }
    fclose(f);
    if (!rc)
        rc = wi_load(ctx, sc, (const unsigned char *)buf, n, path);
    wi_free(ctx, buf);
    return rc;
}

/* ------------------------------------------------------- building schedules */
static wi_str wi_term(const char *expr, size_t *pos, int *more);
static int wi_unknown(wiot_ctx *ctx, const wiot_scenarios *sc, wi_str q);

/* Apply the lines of one scenario: tariff-type lines SET cells of the tariff layer T,
 * ntb lines cells of the NTB layer N (each starts at 0; later lines win within a
 * layer). Content lines take their exporter's share from fn (tariff_content.c). */
static int wi_apply(wiot_ctx *ctx, const wiot_scenarios *sc, const struct wi_scen *e,
                    wi_share_fn fn, void *ud, double *T, double *N)
{
    const size_t C = sc->C, S = sc->S;
    memset(T, 0, C * C * S * sizeof *T);
    memset(N, 0, C * C * S * sizeof *N);
    for (size_t i = 0; i < e->nlines; i++) {
        const struct wi_line *L = &e->lines[i];
        const uint32_t *imp = e->idx + L->off, *tgt = imp + L->ni, *sec = tgt + L->nt;
        const double *share = NULL;
        if (L->measure >= WIOT_LINE_ON_CONTENT) {
            const char *txt = e->text + L->text;
            wi_spec sp;
            sp.cty = e->idx + L->soff;
            sp.nc = L->snc;
            sp.sec = sp.cty + L->snc;
            sp.ns = L->sns;
            for (int k = 0; k < 4; k++)   /* imposer, target, sector, measure, spec */
                txt += strlen(txt) + 1;
            sp.text = txt;
            sp.scenario = e->name;
            sp.file = e->file;
            sp.line = L->lineno;
            int rc = fn(ud, ctx, &sp, &share);
            if (rc)
                return rc;
        }
        double *layer = L->measure == WIOT_LINE_NTB ? N : T;
        for (uint32_t a = 0; a < L->ni; a++)
            for (uint32_t b = 0; b < L->nt; b++) {
                if (imp[a] == tgt[b])
                    continue;
                double *r = layer + ((size_t)imp[a] * C + tgt[b]) * S;
                const double *sh = share ? share + (size_t)tgt[b] * S : NULL;
                for (uint32_t k = 0; k < L->ns; k++) {
                    double v = L->rate;
                    if (sh) {   /* shares clamped to [0, 1] (gross requirements may exceed 1) */
                        double x = sh[sec[k]];
                        x = x > 0 ? (x < 1 ? x : 1.0) : 0.0;
                        if (L->measure == WIOT_LINE_ON_CONTENT)
                            v = L->rate * x;
                        else if (L->measure == WIOT_LINE_EXCEPT_CONTENT)
                            v = L->rate * (1.0 - x);
                        else   /* unless: exempt where the share reaches the threshold */
                            v = x >= L->thr ? 0.0 : L->rate;
                    }
                    r[sec[k]] = v;
                }
            }
    }
    return WIOT_OK;
}

static int wi_no_lu(void *ud, wiot_ctx *ctx, const wi_spec *sp, const double **share)
{
    (void)ud;
    (void)share;
    return wi_error(ctx, WIOT_EINVAL, "scenario '%s' (%s:%zu) has a content measure (content of "
                    "'%s'): its rates need the table's factorization; use "
                    "wiot_scenarios_schedule_lu", sp->scenario, sp->file, sp->line, sp->text);
}

static int wi_scen_terms(wiot_ctx *ctx, const wiot_scenarios *sc, const char *expr, size_t *nterm);

int wi_scen_build(wiot_ctx *ctx, const wiot_scenarios *sc, const char *expr, wi_share_fn fn,
                  void *ud, int split, wiot_schedule **a, wiot_schedule **b)
{
    size_t nterm = 0;
    int rc = wi_scen_terms(ctx, sc, expr, &nterm);
    if (rc)
        return rc;
    if (!fn)
        fn = wi_no_lu;
    const size_t C = sc->C, S = sc->S, n = C * C * S, CS = C * S;
    wiot_schedule *ra = NULL, *rb = NULL;
    double *N = NULL, *nbuf = NULL, *tmp = NULL;
    if ((rc = wi_schedule_alloc(ctx, C, S, &ra)) ||
        (split && (rc = wi_schedule_alloc(ctx, C, S, &rb))))
        goto fail;
    if ((!split && !(nbuf = wi_dalloc(ctx, n))) || (nterm > 1 && !(tmp = wi_dalloc(ctx, 2 * n)))) {
        rc = WIOT_ENOMEM;
        goto fail;
    }
    double *T = ra->rate;
    N = split ? rb->rate : nbuf;
    size_t pos = 0;
    int more = 1;
    for (size_t k = 0; k < nterm; k++) {
        const struct wi_scen *e = &sc->scen[wi_scen_find(sc, wi_term(expr, &pos, &more))];
        if (k == 0) {
            if ((rc = wi_apply(ctx, sc, e, fn, ud, T, N)))
                goto fail;
            continue;
        }
        if ((rc = wi_apply(ctx, sc, e, fn, ud, tmp, tmp + n)))
            goto fail;
        for (size_t q = 0; q < n; q++) {
            T[q] += tmp[q];
            N[q] += tmp[n + q];
        }
    }
    wi_free(ctx, tmp);
    tmp = NULL;
    int any_ntb = 0;
    for (size_t q = 0; q < n && !any_ntb; q++)
        any_ntb = N[q] != 0.0;
    if (!split) {
        for (size_t q = 0; q < n; q++)
            T[q] += N[q];
        if (any_ntb) {   /* the NTB part rides along: prices see it, revenue does not */
            ra->ntb = nbuf;
            nbuf = NULL;
        }
    }
    if (nterm > 1 || any_ntb)
        for (int layer = 0; layer < (split ? 2 : 1); layer++) {
            const double *r = layer ? rb->rate : ra->rate;
            for (size_t q = 0; q < n; q++)
                if (!isfinite(r[q]) || !(r[q] > -1.0)) {
                    rc = wi_error(ctx, WIOT_EDATA, "%s '%s': summed %s %g of %s on %s, sector %s, "
                                  "is not > -1",
                                  nterm > 1 ? "scenario stack" : "scenario", expr,
                                  split ? (layer ? "NTB rate" : "tariff rate") : "rate", r[q],
                                  sc->country[q / CS], sc->country[(q % CS) / S], sc->sector[q % S]);
                    goto fail;
                }
        }
    wi_free(ctx, nbuf);
    if (split) {
        if (a)
            *a = ra;
        else
            wiot_schedule_free(ra);
        if (b)
            *b = rb;
        else
            wiot_schedule_free(rb);
    } else
        *a = ra;
    return WIOT_OK;
fail:
    wi_free(ctx, tmp);
    wi_free(ctx, nbuf);
    wiot_schedule_free(ra);
    wiot_schedule_free(rb);
    return rc;
}

/* The next '+'-separated term of expr from *pos, spaces and tabs trimmed; *more is
 * set when a '+' follows it. */
static wi_str wi_term(const char *expr, size_t *pos, int *more)
{
    const char *p = expr + *pos;
    const char *q = strchr(p, '+');
    if (!q)
        q = p + strlen(p);
    *more = *q == '+';
    *pos = (size_t)(q - expr) + (size_t)*more;
    while (p < q && (*p == ' ' || *p == '\t'))
        p++;
    while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
        q--;
    wi_str s = {p, (size_t)(q - p)};
    return s;
}

static size_t wi_lev(const char *a, size_t na, const char *b, size_t nb)
{
    size_t row[WI_LEV_MAX + 1];
    if (na > WI_LEV_MAX)
        na = WI_LEV_MAX;
    if (nb > WI_LEV_MAX)
        nb = WI_LEV_MAX;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j], v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
        }
    }
    return row[nb];
}

static int wi_contains(const char *hay, wi_str needle)
{
    size_t n = strlen(hay);
    for (size_t i = 0; i + needle.n <= n; i++)
        if (memcmp(hay + i, needle.p, needle.n) == 0)
            return 1;
    return 0;
}

static int wi_key_less(const size_t *a, const size_t *b)
{
    for (int i = 0; i < 3; i++)
        if (a[i] != b[i])
            return a[i] < b[i];
    return 0;
}

/* WIOT_ENOTFOUND for term q, naming up to WI_SUGGEST close names. Close: contains q,
 * shares a prefix of 4 or more characters, or is within max(2, |q|/3) edits. Ranked
 * by containment, then edit distance, then longer common prefix, then set order. */
static int wi_unknown(wiot_ctx *ctx, const wiot_scenarios *sc, wi_str q)
{
    size_t best[WI_SUGGEST], key[WI_SUGGEST][3], nb = 0;
    const size_t tol = q.n / 3 > 2 ? q.n / 3 : 2;
    for (size_t i = 0; i < sc->nscen; i++) {
        const char *nm = sc->scen[i].name;
        size_t lcp = 0;
        while (lcp < q.n && nm[lcp] == q.p[lcp])
            lcp++;
        size_t in = wi_contains(nm, q), dist = wi_lev(q.p, q.n, nm, strlen(nm));
        if (!in && lcp < 4 && dist > tol)
            continue;
        size_t k[3] = {!in, dist, SIZE_MAX - lcp};
        size_t pos = nb;
        while (pos > 0 && wi_key_less(k, key[pos - 1]))
            pos--;
        if (pos >= WI_SUGGEST)
            continue;
        size_t last = nb < WI_SUGGEST ? nb : WI_SUGGEST - 1;
        for (size_t j = last; j > pos; j--) {
            best[j] = best[j - 1];
            memcpy(key[j], key[j - 1], sizeof key[j]);
        }
        best[pos] = i;
        memcpy(key[pos], k, sizeof k);
        if (nb < WI_SUGGEST)
            nb++;
    }
    char avail[64];
    if (sc->nscen == 0)
        snprintf(avail, sizeof avail, "no scenarios loaded");
    else
        snprintf(avail, sizeof avail, "%zu scenario%s available", sc->nscen,
                 sc->nscen == 1 ? "" : "s");
    if (nb == 0)
        return wi_error(ctx, WIOT_ENOTFOUND, "unknown scenario '%.*s' (%s)", WI_PR(q), avail);
    char list[WI_LIST_MAX];
    size_t len = 0;
    list[0] = '\0';
    for (size_t j = 0; j < nb && len < sizeof list; j++) {
        int w = snprintf(list + len, sizeof list - len, "%s%s", j ? ", " : "",
                         sc->scen[best[j]].name);
        if (w < 0)
            break;
        len += (size_t)w;
    }
    return wi_error(ctx, WIOT_ENOTFOUND, "unknown scenario '%.*s' (closest: %s; %s)", WI_PR(q), list,
                    avail);
}

/* Validate the terms of expr (each a loaded name); *nterm their number. */
static int wi_scen_terms(wiot_ctx *ctx, const wiot_scenarios *sc, const char *expr, size_t *nterm)
{
    size_t k = 0;
    int more = 1;
    for (size_t pos = 0; more; k++) {
        wi_str s = wi_term(expr, &pos, &more);
        if (s.n == 0)
            return wi_error(ctx, WIOT_EINVAL, "empty scenario name in '%s'", expr);
        if (wi_scen_find(sc, s) == (size_t)-1)
            return wi_unknown(ctx, sc, s);
    }
    *nterm = k;
    return WIOT_OK;
}

/* cost: per term 2*C*C*S stores (zeroing) plus ni*nt*ns per line, and 2*C*C*S adds for
 * each term after the first; memory 8*C*C*S for the result and 8*C*C*S (one term) or
 * 24*C*C*S (a stack) of workspace. */
int wiot_scenarios_schedule(wiot_ctx *ctx, const wiot_scenarios *sc, const char *expr,
                            wiot_schedule **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!sc || !expr || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_scenarios_schedule: NULL argument");
    return wi_scen_build(ctx, sc, expr, NULL, NULL, 0, out, NULL);
}

/* ------------------------------------------------ reading a set's lines */
int wi_scen_fits(const wiot_scenarios *sc, const wiot_table *t)
{
    if (sc->C != t->C || sc->S != t->S)
        return 0;
    for (size_t c = 0; c < sc->C; c++)
        if (strcmp(sc->country[c], t->country[c]) != 0)
            return 0;
    for (size_t k = 0; k < sc->S; k++)
        if (strcmp(sc->sector[k], t->sector[k]) != 0)
            return 0;
    return 1;
}

size_t wiot_scenarios_lines(const wiot_scenarios *sc, size_t i)
{
    return sc && i < sc->nscen ? sc->scen[i].nlines : 0;
}

size_t wiot_scenarios_find(const wiot_scenarios *sc, const char *name)
{
    if (!sc || !name)
        return (size_t)-1;
    wi_str s = {name, strlen(name)};
    return wi_scen_find(sc, s);
}

int wiot_scenarios_line(wiot_ctx *ctx, const wiot_scenarios *sc, size_t i, size_t k,
                        wiot_scenario_line *out, unsigned char *imposers, unsigned char *targets,
                        unsigned char *sectors, unsigned char *source)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!sc || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_scenarios_line: NULL argument");
    if (i >= sc->nscen || k >= sc->scen[i].nlines)
        return wi_error(ctx, WIOT_EINVAL, "wiot_scenarios_line: scenario %zu line %zu out of range "
                        "(%zu scenarios)", i, k, sc->nscen);
    const struct wi_scen *e = &sc->scen[i];
    const struct wi_line *L = &e->lines[k];
    const char *txt[5], *p = e->text + L->text;
    for (int q = 0; q < 5; q++) {
        txt[q] = p;
        p += strlen(p) + 1;
    }
    memset(out, 0, sizeof *out);
    out->file = e->file;
    out->line = L->lineno;
    out->imposer = txt[0];
    out->target = txt[1];
    out->sector = txt[2];
    out->measure_text = txt[3];
    out->source = txt[4];
    out->measure = L->measure;
    out->rate = L->rate;
    out->threshold = L->measure == WIOT_LINE_UNLESS_CONTENT ? L->thr : 0.0;
    out->imposers = L->ni;
    out->targets = L->nt;
    out->sectors = L->ns;
    const uint32_t *imp = e->idx + L->off, *tgt = imp + L->ni, *sec = tgt + L->nt;
    if (imposers) {
        memset(imposers, 0, sc->C);
        for (uint32_t q = 0; q < L->ni; q++)
            imposers[imp[q]] = 1;
    }
    if (targets) {
        memset(targets, 0, sc->C);
        for (uint32_t q = 0; q < L->nt; q++)
            targets[tgt[q]] = 1;
    }
    if (sectors) {
        memset(sectors, 0, sc->S);
        for (uint32_t q = 0; q < L->ns; q++)
            sectors[sec[q]] = 1;
    }
    if (source) {
        memset(source, 0, sc->C * sc->S);
        if (L->measure >= WIOT_LINE_ON_CONTENT) {
            const uint32_t *sc_c = e->idx + L->soff, *sc_s = sc_c + L->snc;
            for (uint32_t a = 0; a < L->snc; a++)
                for (uint32_t b = 0; b < L->sns; b++)
                    source[(size_t)sc_c[a] * sc->S + sc_s[b]] = 1;
        }
    }
    return WIOT_OK;
}
