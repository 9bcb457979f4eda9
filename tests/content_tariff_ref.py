#!/usr/bin/python3
"""Independent reference for tests/test_content_tariff.c (METHODS.md §3.6, §4): content
shares and effective rates of the shipped content-based scenarios on WIOD 2011, computed
with numpy from the wide CSV (A = Z diag(1/x), V = diag(a_v) (I - A)^-1, gross = L - I),
written from the formulas, not from wiot's code. Writes tests/content_tariff_expected.csv.
Run from tests/: /usr/bin/python3 content_tariff_ref.py (Debian python3-numpy)"""
import csv, gzip
import numpy as np

rows = list(csv.reader(gzip.open("../data/wiod2013/wiot_2011.csv.gz", "rt")))
head = rows[0]
data = rows[1:-2]                       # the TOT,VA and TOT,GO rows last
n = len(data)
labels = [r[0] + "_" + r[1] for r in data]
Z = np.array([[float(v) for v in r[2:2 + n]] for r in data])
x = np.array([float(r[-1]) for r in data])
A = np.divide(Z, x, out=np.zeros_like(Z), where=x > 0)       # A[i,j] = Z[i,j] / x[j]
av = np.where(x > 0, 1.0 - A.sum(axis=0), 0.0)
L = np.linalg.inv(np.eye(n) - A)
idx = {l: i for i, l in enumerate(labels)}
countries = sorted({r[0] for r in data}, key=lambda c: [r[0] for r in data].index(c))

def source(pred):
    return np.array([1.0 if pred(l.split("_")[0], l.split("_")[1]) else 0.0 for l in labels])

def va_share(mask):                     # sum_{i in S} V[i, j] for every j
    s = (av * mask) @ L
    return np.where(x > 0, s, 0.0)

def gross_share(mask):                  # sum_{i in S} (L - I)[i, j]
    s = mask @ L - mask
    return np.where(x > 0, s, 0.0)

us = source(lambda c, s: c == "USA")
cn14 = source(lambda c, s: c == "CHN" and s == "c14")
usmca = source(lambda c, s: c in ("USA", "CAN", "MEX"))
out = [("quantity", "country", "sector", "value")]
for c, gross_rate in (("CAN", 0.147118), ("MEX", 0.185867)):
    j = idx[c + "_c15"]
    sv, sg = va_share(us)[j], gross_share(us)[j]
    out += [("us_va_share", c, "c15", sv), ("us_gross_share", c, "c15", sg),
            ("usmca_va_share", c, "c15", va_share(usmca)[j]),
            ("effective_va", c, "c15", gross_rate * (1 - sv)),
            ("effective_gross", c, "c15", gross_rate * (1 - min(max(sg, 0), 1)))]
s14 = va_share(cn14)
for c in ("CHN", "DEU", "MEX", "JPN", "KOR", "TWN"):
    for k in ("c3", "c13", "c14", "c15"):
        out.append(("chip_effective", c, k, 0.25 * s14[idx[c + "_" + k]]))
with open("content_tariff_expected.csv", "w") as f:
    for r in out:
        f.write(",".join(r if isinstance(r[3], str) else (r[0], r[1], r[2], repr(float(r[3])))) + "\n")
