#!/usr/bin/env python3
"""Write the small provider-layout test tables of tests/formats/ (and bad/).

Each table is synthetic: a few countries and sectors written exactly in the layout
of the provider's files (kernel/formats/LAYOUTS.md), with the awkward parts of the
real ones: quoted labels, underscores inside sector codes, split countries, tax and
discrepancy rows and columns, negative inventories, zero-output sectors, zip archives
(a zip inside a zip for ICIO 2023). Values are multiples of 1/8, so every sum the
tests check is exact in binary floating point.

expected.tsv lists, per table, what the tests compare: dimensions, labels, units and
chosen values (quantity,table,row,col,value). Run from anywhere:
    python3 tests/formats/make.py
The output is deterministic (random.Random with fixed seeds, fixed zip timestamps)."""

import io
import os
import random
import shutil
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
BAD = os.path.join(HERE, "bad")
EXPECTED = []
ZIPTIME = (2020, 1, 1, 0, 0, 0)


def q8(x):
    """A multiple of 1/8 as exact decimal text."""
    v = round(x * 8) / 8
    s = repr(v)
    if s.endswith(".0"):
        s = s[:-2]
    return s


def fmt(v):
    s = repr(float(v))
    return s[:-2] if s.endswith(".0") else s


def expect(table, quantity, row="", col="", value=""):
    EXPECTED.append((quantity, table, row, col, str(value)))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        f.write(text)


def zip_bytes(members):
    """members: list of (name, bytes); deterministic zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            zi = zipfile.ZipInfo(name, ZIPTIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return buf.getvalue()


def write_zip(path, members):
    with open(path, "wb") as f:
        f.write(zip_bytes(members))


# ---------------------------------------------------------------- a balanced MRIO
class Mrio:
    """Z, F, taxes, value added, output for regions x sectors (country-major).

    fd_regions: regions that have final-demand columns (splits have none).
    ntax: tax rows (each a dict over columns). zero: (region, sector) with zero output.
    inv: index of the inventories category (negative entries)."""

    def __init__(self, seed, regions, sectors, cats, fd_regions, zero=None, inv=None,
                 disc=False, taxrows=1, zsplit_big=()):
        r = random.Random(seed)
        self.regions, self.sectors, self.cats = regions, sectors, cats
        self.fd_regions = fd_regions
        S = len(sectors)
        self.labels = [(c, s) for c in regions for s in sectors]
        n = len(self.labels)
        self.n = n
        zi = None if zero is None else regions.index(zero[0]) * S + sectors.index(zero[1])
        self.zero = zi
        self.Z = [[0.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(n):
                if i == zi or j == zi:
                    continue
                self.Z[i][j] = r.randint(0, 40) / 8
        self.fdcols = [(d, k) for d in fd_regions for k in cats]
        self.F = [[0.0] * len(self.fdcols) for _ in range(n)]
        for i in range(n):
            if i == zi:
                continue
            for q, (d, k) in enumerate(self.fdcols):
                kk = cats.index(k)
                if inv is not None and kk == inv:
                    self.F[i][q] = -r.randint(1, 40) / 8
                else:
                    self.F[i][q] = r.randint(100, 400) / 8
        self.disc = [0.0] * n
        if disc:
            for i in range(n):
                if i != zi:
                    self.disc[i] = r.randint(-16, 16) / 8
        self.x = [sum(self.Z[i]) + sum(self.F[i]) + self.disc[i] for i in range(n)]
        # tax rows under every column (intermediate and final demand)
        self.tax = []
        for t in range(taxrows):
            row = [0.0 if j == zi else r.randint(-4, 24) / 8 for j in range(n)]
            rowf = [r.randint(0, 40) / 8 for _ in self.fdcols]
            self.tax.append((row, rowf))
        self.va = []
        for j in range(n):
            cs = sum(self.Z[i][j] for i in range(n)) + sum(t[0][j] for t in self.tax)
            self.va.append(self.x[j] - cs)
            assert j == zi or self.va[j] > 0, (j, self.va[j])
        self.r = r

    def colsum_z(self, j):
        return sum(self.Z[i][j] for i in range(self.n))


def expect_table(name, m, regions, sectors, cats, units, merged=None, fd_regions=None,
                 extra_inputs=None, other_uses=None):
    """Expected dimensions, labels and a few values of the table as loaded (splits
    merged through `merged`: region -> parent)."""
    merged = merged or {}
    out_regions = [c for c in regions if c not in merged]
    expect(name, "C", value=len(out_regions))
    expect(name, "S", value=len(sectors))
    expect(name, "K", value=len(cats))
    expect(name, "countries", value="|".join(out_regions))
    expect(name, "sectors", value="|".join(sectors))
    expect(name, "fd", value="|".join(cats))
    expect(name, "units", value=units)
    S = len(sectors)

    def tgt(c):
        return merged.get(c, c)

    # aggregated Z, F, x over the merged labels
    lab = lambda c, s: "%s_%s" % (tgt(c), s)
    Z, F, X = {}, {}, {}
    for i, (ci, si) in enumerate(m.labels):
        X[lab(ci, si)] = X.get(lab(ci, si), 0.0) + m.x[i]
        for j, (cj, sj) in enumerate(m.labels):
            key = (lab(ci, si), lab(cj, sj))
            Z[key] = Z.get(key, 0.0) + m.Z[i][j]
        for q, (d, k) in enumerate(m.fdcols):
            key = (lab(ci, si), "%s_%s" % (d, k))
            F[key] = F.get(key, 0.0) + m.F[i][q]
    keys = sorted(Z)
    rr = random.Random(len(keys))
    for key in rr.sample(keys, min(6, len(keys))):
        expect(name, "Z", key[0], key[1], fmt(Z[key]))
    fkeys = sorted(F)
    for key in rr.sample(fkeys, min(4, len(fkeys))):
        expect(name, "F", key[0], key[1], fmt(F[key]))
    for key in sorted(X)[:3] + sorted(X)[-2:]:
        expect(name, "x", key, "", fmt(X[key]))
    expect(name, "sumZ", value=fmt(sum(sum(r) for r in m.Z)))
    expect(name, "sumF", value=fmt(sum(sum(r) for r in m.F)))
    expect(name, "sumx", value=fmt(sum(m.x)))
    if m.zero is not None:
        c, s = m.labels[m.zero]
        expect(name, "zero", lab(c, s))
    if extra_inputs is not None:
        expect(name, "inputs", value="|".join(extra_inputs))
    if other_uses is not None:
        expect(name, "other_uses", value="|".join(other_uses))


# ---------------------------------------------------------------------- OECD ICIO
def icio_text(m, release, total_col, quote=False):
    """The CSV text of an ICIO release.
    2016: category-major FD (CAT_CCC), DISC column, row VA+TAXSUB, row OUT, no total column,
          labels quoted, empty cells under FD/DISC in the VA+TAXSUB and OUT rows.
    2018/2021: country-major FD, CCC_TAXSUB rows (non-split regions), VALU, OUTPUT, TOTAL.
    2023/2025: country-major FD, TLS, VA, OUT rows, OUT column."""
    Q = (lambda s: '"%s"' % s) if quote else (lambda s: s)
    n = m.n
    zl = ["%s_%s" % l for l in m.labels]
    if release == 2016:
        fl = ["%s_%s" % (k, d) for k in m.cats for d in m.fd_regions]
        order = [m.fdcols.index((d, k)) for k in m.cats for d in m.fd_regions]
    else:
        fl = ["%s_%s" % (d, k) for d, k in m.fdcols]
        order = list(range(len(m.fdcols)))
    head = [Q("")] + [Q(s) for s in zl] + [Q(s) for s in fl]
    if release == 2016:
        head.append(Q("DISC"))
    if total_col:
        head.append(Q(total_col))
    lines = [",".join(head)]
    for i in range(n):
        vals = [q8(v) for v in m.Z[i]] + [q8(m.F[i][q]) for q in order]
        if release == 2016:
            vals.append(q8(m.disc[i]))
        if total_col:
            vals.append(q8(m.x[i]))
        lines.append(",".join([Q(zl[i])] + vals))
    # primary rows
    fdn = len(fl)
    prim = []
    if release == 2016:
        comb = [m.va[j] + sum(t[0][j] for t in m.tax) for j in range(n)]
        prim.append(("VA+TAXSUB", comb, None))
    elif release in (2018, 2021):
        for t, row in zip([d for d in m.fd_regions], m.tax):
            prim.append(("%s_TAXSUB" % t, row[0], row[1]))
        prim.append(("VALU", m.va, [0.0] * fdn))
    else:
        prim.append(("TLS", m.tax[0][0], m.tax[0][1]))
        prim.append(("VA", m.va, [0.0] * fdn))
    for lab, row, rowf in prim:
        vals = [q8(v) for v in row]
        if rowf is None:
            vals += [""] * (fdn + (1 if release == 2016 else 0))
        else:
            vals += [q8(rowf[q]) for q in order]
        if total_col:
            vals.append(q8(sum(row) + (sum(rowf) if rowf else 0)))
        lines.append(",".join([Q(lab)] + vals))
    outlab = {2016: "OUT", 2018: "OUTPUT", 2021: "OUTPUT"}.get(release, "OUT")
    vals = [q8(v) for v in m.x]
    if release == 2016:
        vals += [""] * (fdn + 1)
    else:
        colf = [sum(m.F[i][q] for i in range(n)) + sum(t[1][q] for t in m.tax) for q in range(fdn)]
        vals += [q8(colf[q]) for q in order]
    if total_col:
        vals.append(q8(sum(m.x)))
    lines.append(",".join([Q(outlab)] + vals))
    return "\n".join(lines) + "\n"


def icio_inputs(m, release):
    if release == 2016:
        return ["VA+TAXSUB"]
    if release in (2018, 2021):
        return ["%s_TAXSUB" % d for d in m.fd_regions] + ["VALU"]
    return ["TLS", "VA"]


def make_icio():
    out = {}
    # 2016 (ISIC Rev.3): quoted, category-major FD, DISC, splits CN1, CN2 (of CHN), MX1 (of MEX)
    regs = ["AUS", "CHN", "MEX", "ROW", "CN1", "CN2", "MX1"]
    secs = ["C01T05AGR", "C10T14MIN", "C15T16FOD"]
    cats = ["HFCE", "NPS", "GGFC", "GFCF", "INV", "DIRP"]
    fdr = ["AUS", "CHN", "MEX", "ROW"]
    m = Mrio(2016, regs, secs, cats, fdr, inv=4, disc=True, taxrows=1)
    txt = icio_text(m, 2016, None, quote=True)
    write(os.path.join(HERE, "ICIO2016_2003.csv"), txt)
    write_zip(os.path.join(HERE, "ICIO2016_2003.zip"), [("ICIO2016_2003.csv", txt.encode())])
    merged = {"CN1": "CHN", "CN2": "CHN", "MX1": "MEX"}
    expect_table("ICIO2016_2003.csv", m, regs, secs, cats, "millions of USD", merged,
                 extra_inputs=icio_inputs(m, 2016), other_uses=["DISC"])
    expect("ICIO2016_2003.csv", "year", value=2003)
    expect("ICIO2016_2003.csv", "disc", "AUS_C01T05AGR", "", fmt(m.disc[0]))
    out[2016] = (m, txt)

    # 2018 (ISIC Rev.4): upper-case extension, splits interleaved, P33, TAXSUB rows
    regs = ["AUS", "CHN", "CN1", "CN2", "MEX", "MX1", "MX2", "ROW"]
    secs = ["01T03", "05T06", "07T08"]
    cats = ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "P33"]
    fdr = ["AUS", "CHN", "MEX", "ROW"]
    m = Mrio(2018, regs, secs, cats, fdr, inv=4, taxrows=len(fdr))
    txt = icio_text(m, 2018, "TOTAL")
    write(os.path.join(HERE, "ICIO2018_2010.CSV"), txt)
    write_zip(os.path.join(HERE, "ICIO2018_2010.zip"), [("ICIO2018_2010.CSV", txt.encode())])
    expect_table("ICIO2018_2010.CSV", m, regs, secs, cats, "millions of USD",
                 {"CN1": "CHN", "CN2": "CHN", "MX1": "MEX", "MX2": "MEX"},
                 extra_inputs=icio_inputs(m, 2018))
    expect("ICIO2018_2010.CSV", "year", value=2010)

    # 2021: splits appended after ROW, DPABR, a zero-output sector, negative inventories
    regs = ["AUS", "CHN", "MEX", "USA", "ROW", "MX1", "MX2", "CN1", "CN2"]
    secs = ["01T02", "03", "05T06", "24"]
    cats = ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"]
    fdr = ["AUS", "CHN", "MEX", "USA", "ROW"]
    m = Mrio(2021, regs, secs, cats, fdr, zero=("AUS", "03"), inv=4, taxrows=len(fdr))
    txt = icio_text(m, 2021, "TOTAL")
    write(os.path.join(HERE, "ICIO2021_2015.csv"), txt)
    m2 = Mrio(2022, regs, secs, cats, fdr, zero=("AUS", "03"), inv=4, taxrows=len(fdr))
    txt2 = icio_text(m2, 2021, "TOTAL")
    write_zip(os.path.join(HERE, "ICIO_2015-2016.zip"),
              [("ICIO2021_2015.csv", txt.encode()), ("ICIO2021_2016.csv", txt2.encode())])
    merged = {"CN1": "CHN", "CN2": "CHN", "MX1": "MEX", "MX2": "MEX"}
    expect_table("ICIO2021_2015.csv", m, regs, secs, cats, "millions of USD", merged,
                 extra_inputs=icio_inputs(m, 2021))
    expect("ICIO2021_2015.csv", "year", value=2015)
    # with --keep-splits
    expect_table("ICIO2021_2015.csv+keep", m, regs, secs, cats, "millions of USD", {},
                 extra_inputs=icio_inputs(m, 2021))
    # value added row and a tax row (first region) of the merged table
    S = len(secs)
    expect("ICIO2021_2015.csv", "input", "VALU", "USA_24", fmt(m.va[regs.index("USA") * S + 3]))
    j = regs.index("CHN") * S + 1
    jc1 = regs.index("CN1") * S + 1
    jc2 = regs.index("CN2") * S + 1
    expect("ICIO2021_2015.csv", "input", "AUS_TAXSUB", "CHN_03",
           fmt(m.tax[0][0][j] + m.tax[0][0][jc1] + m.tax[0][0][jc2]))
    expect("ICIO2021_2015.csv", "input", "AUS_TAXSUB", "USA_HFCE",
           fmt(m.tax[0][1][m.fdcols.index(("USA", "HFCE"))]))
    out[2021] = (m, txt)

    # 2023 extended: alphabetical regions, codes with underscores, TLS/VA/OUT, OUT column,
    # MX1 MX2 CN1 CN2 appended; per-year zip inside the bundle zip
    regs = ["ARG", "CHN", "MEX", "USA", "ROW", "MX1", "MX2", "CN1", "CN2"]
    secs = ["A01_02", "B05_06", "C10T12", "D"]
    cats = ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"]
    fdr = ["ARG", "CHN", "MEX", "USA", "ROW"]
    m = Mrio(2023, regs, secs, cats, fdr, inv=4, taxrows=1)
    txt = icio_text(m, 2023, "OUT")
    write(os.path.join(HERE, "2020.csv"), txt)
    m19 = Mrio(2019, regs, secs, cats, fdr, inv=4, taxrows=1)
    txt19 = icio_text(m19, 2023, "OUT")
    inner20 = zip_bytes([("2020.csv", txt.encode())])
    inner19 = zip_bytes([("2019.csv", txt19.encode())])
    write_zip(os.path.join(HERE, "ICIO-2016-2020-extended.zip"),
              [("2019.zip", inner19), ("2020.zip", inner20)])
    expect_table("2020.csv", m, regs, secs, cats, "millions of USD",
                 {"CN1": "CHN", "CN2": "CHN", "MX1": "MEX", "MX2": "MEX"},
                 extra_inputs=icio_inputs(m, 2023))
    expect("2020.csv", "year", value=2020)
    out[2023] = (m, txt)

    # 2023 small: no splits; small bundle -> per-year SML zip -> csv
    regs = ["ARG", "AUS", "CHN", "USA", "ROW"]
    m = Mrio(2024, regs, secs, cats, regs, inv=4, taxrows=1)
    txt = icio_text(m, 2023, "OUT")
    write(os.path.join(HERE, "2020_SML.csv"), txt)
    write_zip(os.path.join(HERE, "ICIO-2020-2020-small.zip"),
              [("2020_SML.zip", zip_bytes([("2020_SML.csv", txt.encode())]))])
    expect_table("2020_SML.csv", m, regs, secs, cats, "millions of USD",
                 extra_inputs=icio_inputs(m, 2023))

    # 2025: 50 industries in the release (5 here), TLS/VA/OUT
    regs = ["ARG", "AUS", "USA", "ROW"]
    secs = ["A01", "A02", "B05_06", "C10T12", "C26"]
    m = Mrio(2025, regs, secs, cats, regs, inv=4, taxrows=1, zero=("ARG", "C26"))
    txt = icio_text(m, 2025, "OUT")
    write(os.path.join(HERE, "2022_SML.csv"), txt)
    write_zip(os.path.join(HERE, "2022-2022_SML.zip"), [("2022_SML.csv", txt.encode())])
    expect_table("2022_SML.csv", m, regs, secs, cats, "millions of USD",
                 extra_inputs=icio_inputs(m, 2025))
    return out


def make_icio_bad(base):
    """Malformed variants of the ICIO 2021 text."""
    lines = base.split("\n")
    w = lambda name, ls: write(os.path.join(BAD, name), "\n".join(ls))
    # missing total (OUTPUT) row
    w("icio_missing_total.csv", [l for l in lines if not l.startswith("OUTPUT,")])
    # renamed column
    h = lines[0].split(",")
    h[2] = "AUS_03X"
    w("icio_renamed_column.csv", [",".join(h)] + lines[1:])
    # ragged line
    l5 = lines[5].split(",")
    w("icio_ragged.csv", lines[:5] + [",".join(l5[:-1])] + lines[6:])
    # wrong separator
    w("icio_semicolon.csv", [l.replace(",", ";") for l in lines])
    # split country without parent: drop CHN rows and columns (and its FD and TAXSUB)
    hdr = lines[0].split(",")
    keep = [k for k, lab in enumerate(hdr) if not lab.startswith("CHN_")]
    out = []
    for l in lines:
        if not l:
            out.append(l)
            continue
        f = l.split(",")
        if f[0].startswith("CHN_"):
            continue
        out.append(",".join(f[k] for k in keep))
    w("icio_split_no_parent.csv", out)
    # a cell that is not a number
    l7 = lines[7].split(",")
    l7[3] = "x12"
    w("icio_bad_number.csv", lines[:7] + [",".join(l7)] + lines[8:])
    # unknown row after the production block
    w("icio_unknown_row.csv", [l.replace("VALU,", "VALUE,") for l in lines])
    # an FD column of no known region
    h = lines[0].split(",")
    k = h.index("USA_GGFC")
    h[k] = "XYZ_GGFC"
    w("icio_fd_unknown.csv", [",".join(h)] + lines[1:])
    # negative intermediate flow
    l3 = lines[3].split(",")
    l3[2] = "-1.5"
    w("icio_negative.csv", lines[:3] + [",".join(l3)] + lines[4:])
    # non-productive column: output of USA_24 below its inputs
    out = []
    for l in lines:
        if l.startswith("OUTPUT,"):
            f = l.split(",")
            k = h.index("USA_24")
            f[k] = "1"
            l = ",".join(f)
        out.append(l)
    w("icio_colsum.csv", out)


# ----------------------------------------------------------------------- WIOD 2016
WIOD_SECTORS = [("A01", 1, "Crop and animal production, hunting and related service activities"),
                ("C10-C12", 5, "Manufacture of food products, beverages and tobacco products"),
                ("C31_C32", 22, "Manufacture of furniture; other manufacturing"),
                ("T", 55, "Activities of households as employers; undifferentiated goods- and "
                          "services-producing activities of households for own use"),
                ("U", 56, "Activities of extraterritorial organizations and bodies")]
WIOD_FD = [("CONS_h", 57, "Final consumption expenditure by households"),
           ("CONS_np", 58, "Final consumption expenditure by non-profit organisations serving "
                           "households (NPISH)"),
           ("CONS_g", 59, "Final consumption expenditure by government"),
           ("GFCF", 60, "Gross fixed capital formation"),
           ("INVEN", 61, "Changes in inventories and valuables")]
WIOD_BOTTOM = [("II_fob", 65, "Total intermediate consumption"),
               ("TXSP", 66, "taxes less subsidies on products"),
               ("EXP_adj", 67, "Cif/ fob adjustments on exports"),
               ("PURR", 68, "Direct purchases abroad by residents"),
               ("PURNR", 69, "Purchases on the domestic territory by non-residents"),
               ("VA", 70, "Value added at basic prices"),
               ("IntTTM", 71, "International Transport Margins"),
               ("GO", 73, "Output at basic prices")]


def wiod_model(seed):
    regs = ["AUS", "CHN", "USA", "ROW"]
    secs = [s[0] for s in WIOD_SECTORS]
    cats = [f[0] for f in WIOD_FD]
    m = Mrio(seed, regs, secs, cats, regs, zero=("USA", "U"), inv=4, taxrows=5)
    # bottom rows: II_fob, TXSP, EXP_adj, PURR, PURNR (the 5 tax rows reused), VA, IntTTM
    return m


def wiod_bottom_rows(m):
    """name -> (values under Z columns, under FD columns)."""
    n = m.n
    nf = len(m.fdcols)
    ii = [m.colsum_z(j) for j in range(n)]
    iif = [sum(m.F[i][q] for i in range(n)) for q in range(nf)]
    rows = {"II_fob": (ii, iif)}
    names = ["TXSP", "EXP_adj", "PURR", "PURNR", "IntTTM"]
    for k, nm in enumerate(names):
        rows[nm] = m.tax[k]
    rows["VA"] = (m.va, [0.0] * nf)
    go = [m.x[j] for j in range(n)]
    gof = [iif[q] + sum(m.tax[k][1][q] for k in range(5)) for q in range(nf)]
    rows["GO"] = (go, gof)
    return rows


def make_wiod():
    m = wiod_model(2014)
    regs, n = m.regions, m.n
    S = len(WIOD_SECTORS)
    rnum = {s[0]: s[1] for s in WIOD_SECTORS}
    desc = {s[0]: s[2] for s in WIOD_SECTORS}
    bottom = wiod_bottom_rows(m)

    def csvq(s):
        return '"%s"' % s.replace('"', '""') if ("," in s or '"' in s) else s

    # ---- Stata "export delimited" of the long-wide data: v-prefixed value columns
    def longwide(prefix, quote_all, year):
        Q = (lambda s: '"%s"' % s) if quote_all else csvq
        cols = ["IndustryCode", "IndustryDescription", "Country", "RNr", "Year"]
        cols += ["%s%s%d" % (prefix, c, rnum[s]) for c in regs for s in [x[0] for x in WIOD_SECTORS]]
        cols += ["%s%s%d" % (prefix, c, f[1]) for c in regs for f in WIOD_FD]
        cols.append("TOT")
        lines = [",".join(Q(c) for c in cols)]
        for i, (c, s) in enumerate(m.labels):
            vals = [q8(v) for v in m.Z[i]] + [q8(v) for v in m.F[i]] + [q8(m.x[i])]
            lines.append(",".join([Q(s), Q(desc[s]), Q(c), str(rnum[s]), str(year)] + vals))
        for code, rn, d in WIOD_BOTTOM:
            a, b = bottom[code]
            vals = [q8(v) for v in a] + [q8(v) for v in b] + [q8(sum(a) + sum(b))]
            lines.append(",".join([Q(code), Q(d), Q("TOT"), "NA" if quote_all else str(rn),
                                   str(year)] + vals))
        return "\n".join(lines) + "\n"

    lw = longwide("v", False, 2014)
    write(os.path.join(HERE, "WIOT2014_October16_ROW.csv"), lw)
    # R's write.csv of the RData frame: everything quoted, no 'v' prefix, NA
    rw = longwide("", True, 2014)
    write(os.path.join(HERE, "WIOT2014_October16_ROW_R.csv"), rw)

    # ---- a CSV saved from the Excel sheet (rows 1-6 header, data from row 7, col E)
    ncol = 4 + n + len(m.fdcols) + 1
    def row(cells):
        cells = cells + [""] * (ncol - len(cells))
        return ",".join(csvq(c) for c in cells)
    secs = [s[0] for s in WIOD_SECTORS]
    lines = [row(["World Input-Output Table, 2014"]), row(["(current prices, millions of US$)"]),
             row(["", "", "", ""] + [s for c in regs for s in secs] +
                 [f[0] for c in regs for f in WIOD_FD] + ["GO"]),
             row(["", "", "", ""] + [desc[s] for c in regs for s in secs] +
                 [f[2] for c in regs for f in WIOD_FD] + ["Total output"]),
             row(["", "", "", ""] + [c for c in regs for s in secs] +
                 [c for c in regs for f in WIOD_FD] + ["TOT"]),
             row(["", "", "", ""] + ["c%d" % rnum[s] for c in regs for s in secs] +
                 ["c%d" % f[1] for c in regs for f in WIOD_FD] + ["c62"])]
    for i, (c, s) in enumerate(m.labels):
        lines.append(row([s, desc[s], c, "r%d" % rnum[s]] + [q8(v) for v in m.Z[i]] +
                         [q8(v) for v in m.F[i]] + [q8(m.x[i])]))
    for code, rn, d in WIOD_BOTTOM:
        a, b = bottom[code]
        lines.append(row([code, d, "TOT", "r%d" % rn] + [q8(v) for v in a] + [q8(v) for v in b] +
                         [q8(sum(a) + sum(b))]))
    xl = "\r\n".join(lines) + "\r\n"
    write(os.path.join(HERE, "WIOT2014_Nov16_ROW.csv"), "\ufeff" + xl)

    for nm in ["WIOT2014_October16_ROW.csv", "WIOT2014_October16_ROW_R.csv", "WIOT2014_Nov16_ROW.csv"]:
        expect_table(nm, m, regs, secs, [f[0] for f in WIOD_FD], "millions of USD",
                     extra_inputs=["TXSP", "EXP_adj", "PURR", "PURNR", "VA", "IntTTM"])
        expect(nm, "year", value=2014)
        expect(nm, "input", "VA", "CHN_C10-C12", fmt(m.va[1 * S + 1]))
        expect(nm, "input", "TXSP", "AUS_CONS_h", fmt(m.tax[0][1][0]))

    # bad variants (long-wide)
    L = lw.split("\n")
    wb = lambda name, ls: write(os.path.join(BAD, name), "\n".join(ls))
    wb("wiod_missing_total.csv", [l for l in L if not l.startswith("GO,")])
    h = L[0].split(",")
    h[h.index("vAUS5")] = "vAUS6"
    wb("wiod_renamed_column.csv", [",".join(h)] + L[1:])
    l4 = L[4].split(",")
    wb("wiod_ragged.csv", L[:4] + [",".join(l4 + ["1"])] + L[5:])
    wb("wiod_semicolon.csv", [l.replace(",", ";") for l in L])
    # Excel CSV without the GO row
    X = xl.split("\r\n")
    write(os.path.join(BAD, "wiod_excel_missing_total.csv"),
          "\r\n".join(l for l in X if not l.startswith("GO,")))


# ---------------------------------------------------------------------- EXIOBASE 3
EXIO_SECTORS = ["Cultivation of paddy rice",
                "Mining of copper ores and concentrates",
                "Tanning and dressing of leather; manufacture of luggage, handbags, saddlery, "
                "harness and footwear (19)",
                "Production of electricity by coal",
                "Private households with employed persons (95)"]
EXIO_CODES = ["Cultivation_of_paddy_rice", "Mining_of_copper_ores_and_concentrates",
              "Tanning_and_dressing_of_leather_manufacture_of_luggage_handbags_saddlery_harness_"
              "and_footwear_19", "Production_of_electricity_by_coal",
              "Private_households_with_employed_persons_95"]
EXIO_Y = ["Final consumption expenditure by households",
          "Final consumption expenditure by non-profit organisations serving households (NPISH)",
          "Final consumption expenditure by government",
          "Gross fixed capital formation",
          "Changes in inventories",
          "Changes in valuables",
          "Exports: Total (fob)"]
EXIO_YCODES = ["Final_consumption_expenditure_by_households",
               "Final_consumption_expenditure_by_non-profit_organisations_serving_households_NPISH",
               "Final_consumption_expenditure_by_government", "Gross_fixed_capital_formation",
               "Changes_in_inventories", "Changes_in_valuables", "Exports_Total_fob"]
EXIO_F = [("Taxes less subsidies on products purchased: Total", "M.EUR"),
          ("Other net taxes on production", "M.EUR"),
          ("Compensation of employees; wages, salaries, & employers' social contributions: "
           "Low-skilled", "M.EUR"),
          ("Operating surplus: Remaining net operating surplus", "M.EUR"),
          ("Employment: Low-skilled male", "1000 p."),
          ("CO2 - combustion - air", "kg")]


def exio_files(m, with_z=True, with_a=True, sep="\t"):
    regs, n = m.regions, m.n
    labs = m.labels
    T = sep
    def head2(first2, cols):
        return T.join(first2) + T + T.join(cols)
    colreg = [c for c, s in labs]
    colsec = [s for c, s in labs]
    files = {}
    zl = [head2(["region", ""], colreg), head2(["sector", ""], colsec),
          T.join(["region", "sector"] + [""] * n)]
    al = list(zl)
    for i, (c, s) in enumerate(labs):
        zl.append(T.join([c, s] + [q8(v) for v in m.Z[i]]))
        al.append(T.join([c, s] + [repr(m.Z[i][j] / m.x[j]) if m.x[j] else "0" for j in range(n)]))
    if with_z:
        files["Z.txt"] = "\n".join(zl) + "\n"
    if with_a:
        files["A.txt"] = "\n".join(al) + "\n"
    yl = [head2(["region", ""], [d for d, k in m.fdcols]), head2(["category", ""], [k for d, k in m.fdcols]),
          T.join(["region", "sector"] + [""] * len(m.fdcols))]
    for i, (c, s) in enumerate(labs):
        yl.append(T.join([c, s] + [q8(v) for v in m.F[i]]))
    files["Y.txt"] = "\n".join(yl) + "\n"
    xl = [T.join(["region", "sector", "indout"])]
    for i, (c, s) in enumerate(labs):
        xl.append(T.join([c, s, q8(m.x[i])]))
    files["x.txt"] = "\n".join(xl) + "\n"
    ul = [T.join(["region", "sector", "unit"])] + [T.join([c, s, "M.EUR"]) for c, s in labs]
    files["unit.txt"] = "\n".join(ul) + "\n"
    files["file_parameters.json"] = ('{\n    "files": {\n        "Z": {"name": "Z.txt", "nr_index_col": "2", '
                                     '"nr_header": "2"}\n    },\n    "systemtype": "IOSystem"\n}\n')
    # satellite: the monetary rows split v (x - colsum Z) into parts
    fl = [T.join(["region"] + colreg), T.join(["sector"] + colsec)]
    parts = []
    for j in range(n):
        v = m.x[j] - m.colsum_z(j)
        a = int(v * 8 // 10) / 8
        b = int(v * 8 // 20) / 8
        c = int(v * 8 // 4) / 8
        d = v - a - b - c
        parts.append((a, b, c, d))
    for k, (nm, unit) in enumerate(EXIO_F):
        if k < 4:
            vals = [q8(parts[j][k]) for j in range(n)]
        else:
            vals = [q8(m.r.randint(0, 80) / 8) for j in range(n)]
        fl.append(T.join([nm] + vals))
    files["satellite/F.txt"] = "\n".join(fl) + "\n"
    files["satellite/unit.txt"] = "\n".join([T.join(["stressor", "unit"])] +
                                            [T.join([nm, u]) for nm, u in EXIO_F]) + "\n"
    return files, parts


def make_exio():
    regs = ["AT", "DE", "US", "WA"]
    m = Mrio(3019, regs, EXIO_SECTORS, EXIO_Y, regs, zero=("DE", EXIO_SECTORS[4]), inv=4, taxrows=0)
    files, parts = exio_files(m)
    root = os.path.join(HERE, "IOT_2019_ixi")
    if os.path.isdir(root):
        shutil.rmtree(root)
    for nm, txt in files.items():
        write(os.path.join(root, nm), txt)
    write_zip(os.path.join(HERE, "IOT_2019_ixi.zip"),
              [("IOT_2019_ixi/" + nm, txt.encode()) for nm, txt in sorted(files.items())])
    for nm in ["IOT_2019_ixi", "IOT_2019_ixi.zip"]:
        mm = Mrio.__new__(Mrio)
        mm.__dict__.update(m.__dict__)
        mm.labels = [(c, EXIO_CODES[EXIO_SECTORS.index(s)]) for c, s in m.labels]
        mm.fdcols = [(d, EXIO_YCODES[EXIO_Y.index(k)]) for d, k in m.fdcols]
        expect_table(nm, mm, regs, EXIO_CODES, EXIO_YCODES, "millions of EUR",
                     extra_inputs=[f[0] for f in EXIO_F[:4]])
        expect(nm, "year", value=2019)
        S = len(EXIO_SECTORS)
        expect(nm, "input", EXIO_F[0][0], "US_" + EXIO_CODES[1], fmt(parts[2 * S + 1][0]))
    # products, A.txt only (older releases): Z = A diag(x)
    regs2 = ["AT", "US", "WF"]
    prods = ["Paddy rice", "Wheat", "Motor vehicles, trailers and semi-trailers (34)"]
    m2 = Mrio(3011, regs2, prods, EXIO_Y, regs2, inv=4, taxrows=0)
    files2, _ = exio_files(m2, with_z=False)
    root2 = os.path.join(HERE, "IOT_2011_pxp")
    if os.path.isdir(root2):
        shutil.rmtree(root2)
    for nm in ["A.txt", "Y.txt", "x.txt", "unit.txt"]:
        write(os.path.join(root2, nm), files2[nm])
    expect("IOT_2011_pxp", "C", value=3)
    expect("IOT_2011_pxp", "S", value=3)
    expect("IOT_2011_pxp", "sectors", value="Paddy_rice|Wheat|Motor_vehicles_trailers_and_semi-trailers_34")
    expect("IOT_2011_pxp", "sumx", value=fmt(sum(m2.x)))
    expect("IOT_2011_pxp", "Zapprox", "AT_Wheat", "US_Paddy_rice", repr(m2.Z[1][3]))
    # bad variants (directories)
    def bad(name, mut):
        d = os.path.join(BAD, name)
        if os.path.isdir(d):
            shutil.rmtree(d)
        fs = dict(files)
        for k in [k for k in fs if k.startswith("satellite/")]:
            del fs[k]
        mut(fs)
        for nm, txt in fs.items():
            write(os.path.join(d, nm), txt)
    bad("exio_missing_total", lambda fs: fs.pop("x.txt"))
    def ren(fs):
        L = fs["Z.txt"].split("\n")
        f = L[1].split("\t")
        f[2 + len(EXIO_SECTORS) + 1] = "Mining of copper ore"
        L[1] = "\t".join(f)
        fs["Z.txt"] = "\n".join(L)
    bad("exio_renamed_column", ren)
    def rag(fs):
        L = fs["Y.txt"].split("\n")
        L[5] = L[5].rsplit("\t", 1)[0]
        fs["Y.txt"] = "\n".join(L)
    bad("exio_ragged", rag)
    def comma(fs):
        fs["Z.txt"] = fs["Z.txt"].replace("\t", ",")
    bad("exio_comma", comma)
    def rows(fs):
        L = fs["x.txt"].split("\n")
        L[2], L[3] = L[3], L[2]
        fs["x.txt"] = "\n".join(L)
    bad("exio_x_order", rows)


# -------------------------------------------------------------------------- Eora26
EORA_COUNTRIES = [("Afghanistan", "AFG"), ("Germany", "DEU"), ("United States", "USA")]
EORA_SECTORS = ["Agriculture", "Petroleum, Chemical and Non-Metallic Mineral Products",
                "Re-export & Re-import", "Private Households"]
EORA_SCODES = ["Agriculture", "Petroleum_Chemical_and_Non-Metallic_Mineral_Products",
               "Re-export_&_Re-import", "Private_Households"]
EORA_FD = ["Household final consumption P.3h", "Non-profit institutions serving households P.3n",
           "Government final consumption P.3g", "Gross fixed capital formation P.51",
           "Changes in inventories P.52", "Acquisitions less disposals of valuables P.53"]
EORA_FDCODES = ["Household_final_consumption_P.3h", "Non-profit_institutions_serving_households_P.3n",
                "Government_final_consumption_P.3g", "Gross_fixed_capital_formation_P.51",
                "Changes_in_inventories_P.52", "Acquisitions_less_disposals_of_valuables_P.53"]
EORA_VA = ["Compensation of employees D.1", "Taxes on production D.29", "Subsidies on production D.39",
           "Net operating surplus B.2n", "Net mixed income B.3n", "Consumption of fixed capital K.1"]


def make_eora():
    regs = [c for _, c in EORA_COUNTRIES]
    m = Mrio(2610, regs, EORA_SECTORS, EORA_FD, regs, zero=("AFG", "Private Households"), inv=4,
             taxrows=0)
    n, nf = m.n, len(m.fdcols)
    r = random.Random(26)
    # the ROW discrepancy line: T[ROW, j], T[i, ROW], FD[i, ROW], FD[ROW, q]
    row_in = [0.0 if j == m.zero else r.randint(0, 8) / 8 for j in range(n)]
    row_use = [0.0 if i == m.zero else r.randint(0, 8) / 8 for i in range(n)]
    row_fd = [0.0 if i == m.zero else r.randint(0, 8) / 8 for i in range(n)]
    x = [m.x[i] + row_use[i] + row_fd[i] for i in range(n)]
    va = []
    for j in range(n):
        rest = x[j] - m.colsum_z(j) - row_in[j]
        if j == m.zero:
            va.append([0.0] * 6)
            continue
        a = int(rest * 8 * 0.5) / 8
        b = int(rest * 8 * 0.1) / 8
        c = -int(rest * 8 * 0.05) / 8
        d = int(rest * 8 * 0.2) / 8
        e = int(rest * 8 * 0.05) / 8
        f = rest - a - b - c - d - e
        va.append([a, b, c, d, e, f])
    T = "\t"
    tl = []
    for i in range(n):
        tl.append(T.join([q8(v) for v in m.Z[i]] + [q8(row_use[i])]))
    tl.append(T.join([q8(v) for v in row_in] + ["0"]))
    fl = []
    for i in range(n):
        fl.append(T.join([q8(v) for v in m.F[i]] + [q8(row_fd[i])]))
    fl.append(T.join([q8(r.randint(0, 8) / 8) for _ in range(nf)] + ["0"]))
    vl = []
    for k in range(6):
        vl.append(T.join([q8(va[j][k]) for j in range(n)] + [q8(r.randint(0, 8) / 8)]))
    names = dict((c, nm) for nm, c in EORA_COUNTRIES)
    lt = [T.join([names[c], c, "Industries", s]) for c, s in m.labels]
    lt.append(T.join(["Rest of the World", "ROW", "Industries", "TOTAL"]))
    lf = [T.join([names[d], d, "Final Demand", k]) for d, k in m.fdcols]
    lf.append(T.join(["Rest of the World", "ROW", "Final Demand", "TOTAL"]))
    lv = [T.join(["Primary Inputs", v]) + T for v in EORA_VA]
    files = {"Eora26_2010_bp_T.txt": "\n".join(tl) + "\n", "Eora26_2010_bp_FD.txt": "\n".join(fl) + "\n",
             "Eora26_2010_bp_VA.txt": "\n".join(vl) + "\n", "labels_T.txt": "\n".join(lt) + "\n",
             "labels_FD.txt": "\n".join(lf) + "\n", "labels_VA.txt": "\n".join(lv) + "\n"}
    root = os.path.join(HERE, "Eora26_2010_bp")
    if os.path.isdir(root):
        shutil.rmtree(root)
    for nm, txt in files.items():
        write(os.path.join(root, nm), txt)
    write_zip(os.path.join(HERE, "Eora26_2010_bp.zip"), [(k, v.encode()) for k, v in sorted(files.items())])
    mm = Mrio.__new__(Mrio)
    mm.__dict__.update(m.__dict__)
    mm.labels = [(c, EORA_SCODES[EORA_SECTORS.index(s)]) for c, s in m.labels]
    mm.fdcols = [(d, EORA_FDCODES[EORA_FD.index(k)]) for d, k in m.fdcols]
    mm.x = x
    for nm in ["Eora26_2010_bp", "Eora26_2010_bp.zip"]:
        expect_table(nm, mm, regs, EORA_SCODES, EORA_FDCODES, "thousands of USD",
                     extra_inputs=EORA_VA + ["ROW"], other_uses=["ROW"])
        expect(nm, "year", value=2010)
        expect(nm, "other", "DEU_Agriculture", "", fmt(row_use[4] + row_fd[4]))
        expect(nm, "input", "ROW", "USA_Agriculture", fmt(row_in[8]))
        expect(nm, "input", EORA_VA[2], "USA_Agriculture", fmt(va[8][2]))

    def bad(name, mut):
        d = os.path.join(BAD, name)
        if os.path.isdir(d):
            shutil.rmtree(d)
        fs = dict(files)
        mut(fs)
        for nm, txt in fs.items():
            write(os.path.join(d, nm), txt)
    def rag(fs):
        L = fs["Eora26_2010_bp_T.txt"].split("\n")
        L[3] = L[3].rsplit("\t", 1)[0]
        fs["Eora26_2010_bp_T.txt"] = "\n".join(L)
    bad("eora_ragged", rag)
    bad("eora_comma", lambda fs: fs.update({"Eora26_2010_bp_FD.txt": fs["Eora26_2010_bp_FD.txt"].replace("\t", ",")}))
    bad("eora_missing_labels", lambda fs: fs.pop("labels_FD.txt"))
    def short(fs):
        L = fs["Eora26_2010_bp_T.txt"].split("\n")
        fs["Eora26_2010_bp_T.txt"] = "\n".join(L[:5] + L[6:])
    bad("eora_missing_row", short)


def main():
    os.makedirs(BAD, exist_ok=True)
    icio = make_icio()
    make_icio_bad(icio[2021][1])
    make_wiod()
    make_exio()
    make_eora()
    with open(os.path.join(HERE, "expected.tsv"), "w", newline="") as f:
        f.write("quantity\ttable\trow\tcol\tvalue\n")
        for rec in EXPECTED:
            assert all("\t" not in x and "\n" not in x for x in rec), rec
            f.write("\t".join(rec) + "\n")


if __name__ == "__main__":
    main()
