#!/usr/bin/python3
"""Expected satellite accounts of pymrio's test MRIO (tests/test_satellite.c).

An independent computation with numpy (explicit inverses, no wiot code) of the
quantities pymrio defines (pymrio/tools/iomath.py: calc_S, calc_M, calc_M_down,
calc_accounts; pymrio/core/mriosystem.py: Extension.calc_system), written from their
definitions:
  S = F diag(x)^-1, M = S L, M_down = S (G^T - I)
  Y_diag[i, r*S + s(i)] = Y_r[i] (Y_r: region r's final demand, categories summed)
  x_diag = L Y_diag, x_tot = x_diag 1
  D_cba = S x_diag, D_pba = S diag(x_tot)
  x_trade = x_diag with the blocks (rows of r, columns of r) set to 0
  D_imp = S x_trade, D_exp = S diag(x_trade 1)
  D_cba_reg, D_pba_reg: columns summed by region, plus F_Y summed by region
  D_imp_reg, D_exp_reg: columns summed by region (no F_Y)
  cat = S L Y + F_Y (by final-demand column; wiot's footprint by category)
Run from the repository root (Debian python3-numpy):  /usr/bin/python3 tests/satellite/expected.py > tests/satellite/expected.csv
"""
import csv
import numpy as np

D = "data/examples/"

def wide(path):
    rows = list(csv.reader(open(path)))
    return rows[0][2:], [r[0] for r in rows[1:]], np.array([[float(v) for v in r[2:]] for r in rows[1:]])

rows = list(csv.reader(open(D + "pymrio_test_mrio.csv")))
head = rows[0]
body = [r for r in rows[1:] if r[0] != "TOT"]
n = len(body)
countries = []
for r in body:
    if r[0] not in countries:
        countries.append(r[0])
C = len(countries)
S_ = n // C
K = (len(head) - 3 - n) // C
Z = np.array([[float(v) for v in r[2:2 + n]] for r in body])
Y = np.array([[float(v) for v in r[2 + n:2 + n + C * K]] for r in body])
x = np.array([float(r[2 + n + C * K]) for r in body])

_, names, F = wide(D + "pymrio_test_mrio_emissions.csv")
_, names_y, FY = wide(D + "pymrio_test_mrio_emissions_final_demand.csv")
assert names == names_y
p = len(names)

inv_x = np.where(x > 0, 1.0 / np.where(x > 0, x, 1.0), 0.0)
A = Z * inv_x[None, :]
L = np.linalg.inv(np.eye(n) - A)
Bm = Z * inv_x[:, None]
G = np.linalg.inv(np.eye(n) - Bm)
S = F * inv_x[None, :]
M = S @ L
M_down = S @ (G.T - np.eye(n))

Yr = np.zeros((n, C))
for d in range(C):
    Yr[:, d] = Y[:, d * K:(d + 1) * K].sum(1)
Y_diag = np.zeros((n, n))
for r in range(C):
    for i in range(n):
        Y_diag[i, r * S_ + i % S_] = Yr[i, r]
x_diag = L @ Y_diag
x_tot = x_diag.sum(1)
D_cba = S @ x_diag
D_pba = S * x_tot[None, :]
x_trade = x_diag.copy()
for r in range(C):
    x_trade[r * S_:(r + 1) * S_, r * S_:(r + 1) * S_] = 0
D_imp = S @ x_trade
D_exp = S * x_trade.sum(1)[None, :]
FYr = np.zeros((p, C))
for d in range(C):
    FYr[:, d] = FY[:, d * K:(d + 1) * K].sum(1)

def by_region(Dm):
    return np.stack([Dm[:, r * S_:(r + 1) * S_].sum(1) for r in range(C)], axis=1)

reg = {"D_cba_reg": by_region(D_cba) + FYr, "D_pba_reg": by_region(D_pba) + FYr,
       "D_imp_reg": by_region(D_imp), "D_exp_reg": by_region(D_exp)}
cat = S @ L @ Y + FY

out = csv.writer(open("/dev/stdout", "w"), lineterminator="\n")
out.writerow(["quantity", "i", "j", "value"])
for q, Mq in [("S", S), ("M", M), ("M_down", M_down), ("D_cba", D_cba), ("D_pba", D_pba),
              ("D_imp", D_imp), ("D_exp", D_exp)] + list(reg.items()) + [("cat", cat)]:
    for k in range(Mq.shape[0]):
        for j in range(Mq.shape[1]):
            out.writerow([q, k, j, repr(float(Mq[k, j]))])
