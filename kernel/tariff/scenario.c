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
 *    must be a decimal number of the one grammar of every reader (common/text.c
 *    wi_num: [+-]digits[.digits][e[+-]digits]; no hex, "inf", "nan" or spaces), and
 *    be > -1. A rate above 2 (200 %) loads
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
#include "tariff/scen.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


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

size_t wi_scen_find(const wiot_scenarios *sc, wi_str name)
{
    for (size_t i = 0; i < sc->nscen; i++)
        if (wi_eq(name, sc->scen[i].name))
            return i;
    return (size_t)-1;
}

/* ------------------------------------------------------------------ parser */

static int wi_field_rate(wi_parse *P, wi_str f, double *rate)
{
    char buf[128];
    if (f.n >= sizeof buf || isspace((unsigned char)f.p[0]))
        return wi_perr(P, WIOT_EFORMAT, "field 'rate': not a number '%.*s'", WI_PR(f));
    memcpy(buf, f.p, f.n);
    buf[f.n] = '\0';
    double r = 0;
    int nr = wi_num(buf, f.n, &r);   /* the one number grammar: no hex, no "inf" */
    if (nr == WI_NUM_NONFINITE || nr == WI_NUM_RANGE)
        return wi_perr(P, WIOT_EDATA, "field 'rate': rate %s is not finite", buf);
    if (nr != WI_NUM_OK)
        return wi_perr(P, WIOT_EFORMAT, "field 'rate': not a number '%s'", buf);
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
        double v = 0;
        if (wi_num(buf, x.n, &v) != WI_NUM_OK)
            return wi_perr(P, WIOT_EFORMAT, "field 'measure': threshold '%s' is not a "
                           "number", buf);
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

static int wi_body_scenarios_load(wiot_ctx *ctx, wiot_scenarios *sc, const char *path)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!sc || !path)
        return wi_error(ctx, WIOT_EINVAL, "wiot_scenarios_load: NULL argument");
    /* bounded like every input (common/io.c): a device or a huge file stops at
     * WI_SCEN_FILE_MAX + 1 bytes */
    static const wi_limit lim = {NULL, NULL, 0, WI_SCEN_FILE_MAX, "a scenario file"};
    char *buf = NULL;
    size_t n = 0;
    int rc = wi_read_file(ctx, path, 0, &lim, &buf, &n);
    if (!rc)
        rc = wi_load(ctx, sc, (const unsigned char *)buf, n, path);
    wi_free(ctx, buf);
    return rc;
}

/* wiot_scenarios_load: the body above, with the input named for memory refusals (ctx->input) */
int wiot_scenarios_load(wiot_ctx *ctx, wiot_scenarios *sc, const char *path)
{
    if (!ctx)
        return wi_body_scenarios_load(ctx, sc, path);
    const char *prev = ctx->input;
    ctx->input = path;
    int rc = wi_body_scenarios_load(ctx, sc, path);
    ctx->input = prev;
    return rc;
}

