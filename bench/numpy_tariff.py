"""Exact tariff scenarios in numpy, as a user would write them (the baseline of
bench_batch): per scenario, build the n x n tariff matrix from the schedule, E = A*T,
solve (I - A^T - E^T) dp = d with numpy.linalg.solve. Same table and workloads as
bench_batch.c (scale sweep of the US-China schedule; lognormal draws of the IEEPA
stage). usage: python3 numpy_tariff.py [SCENARIOS_TIMED]"""
import csv, gzip, sys, time
import numpy as np

DATA = "../data/"
nt = int(sys.argv[1]) if len(sys.argv) > 1 else 10
t0 = time.perf_counter()
with gzip.open(DATA + "wiod2013/wiot_2011.csv.gz", "rt") as f:
    header = f.readline().rstrip("\n").split(",")
    raw = np.loadtxt(f, delimiter=",", dtype=object)
load = time.perf_counter() - t0
labels = [h for h in header[2:] if "_" in h]
rows = raw[:-2]
n = rows.shape[0]
Z = rows[:, 2:2 + n].astype(float)
x = rows[:, -1].astype(float)
countries = list(dict.fromkeys(rows[:, 0]))
sectors = list(dict.fromkeys(rows[:, 1]))
C, S = len(countries), len(sectors)
A = np.divide(Z, x, out=np.zeros_like(Z), where=x > 0)
ci = np.repeat(np.arange(C), S)
si = np.tile(np.arange(S), C)

def schedule(names):
    tau = np.zeros((C, C, S))
    for name in names.split("+"):
        one = np.zeros((C, C, S))
        for fn in ("us301_china_2018_2020", "china_retaliation_2018_2020", "us_ieepa_2025"):
            with open(DATA + "scenarios/wiod2013/%s.csv" % fn) as f:
                for r in csv.DictReader(f):
                    if r["scenario"] == name:
                        one[countries.index(r["imposer"]), countries.index(r["target"]),
                            sectors.index(r["sector"])] = float(r["rate"])
        tau += one
    return tau

def exact(tau):
    T = tau[ci[None, :], ci[:, None], si[:, None]]   # T[i,j] = tau(c(j) <- c(i), s(i))
    E = A * T
    d = E.sum(axis=0)
    return np.linalg.solve(np.eye(n) - A.T - E.T, d)

rng = np.random.default_rng(1)
work = [("sweep 0..4x US-China (k=70)", "us301_2020-02-14_list4A_at7.5+cn_ret_2020-02-14_round1_halved", 0),
        ("Monte Carlo IEEPA 2025-08-07 (k=35)", "us_ieepa_2025-08-07_revised_annexI", 1)]
print("numpy %s, n = %d, load %.3f s (numpy.loadtxt)" % (np.__version__, n, load))
for label, name, mc in work:
    base = schedule(name)
    t0 = time.perf_counter()
    for q in range(nt):
        f = rng.lognormal(-0.03125, 0.25, base.shape) if mc else 4.0 * q / max(nt - 1, 1)
        exact(base * f)
    sec = (time.perf_counter() - t0) / nt
    print("%-38s numpy loop: %.4f s per scenario, %.1f scenarios/s" % (label, sec, 1 / sec))
