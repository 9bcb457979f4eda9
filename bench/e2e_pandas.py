"""The default `wiot tariff` run written as a user would in pandas + numpy (the
end-to-end baseline of bench_e2e.sh): read the gzip CSV with pandas, coefficients,
Leontief solve, the default scenario (US Section 301 after Phase One + China's halved
retaliation) through the first-order and exact price models, consumer prices.
Prints the wall time of the whole job."""
import time
t0 = time.perf_counter()
import numpy as np
import pandas as pd

DATA = "../data/"
df = pd.read_csv(DATA + "wiod2013/wiot_2011.csv.gz", index_col=[0, 1])
body = df.iloc[:-2]
n = body.shape[0]
Z = body.iloc[:, :n].to_numpy(float)
x = body["GO"].to_numpy(float)
F = body.iloc[:, n:-1].to_numpy(float)
countries = list(dict.fromkeys(body.index.get_level_values(0)))
sectors = list(dict.fromkeys(body.index.get_level_values(1)))
C, S = len(countries), len(sectors)
K = F.shape[1] // C
A = np.divide(Z, x, out=np.zeros_like(Z), where=x > 0)
L = np.linalg.inv(np.eye(n) - A)

tau = np.zeros((C, C, S))
for fn, name in (("us301_china_2018_2020", "us301_2020-02-14_list4A_at7.5"),
                 ("china_retaliation_2018_2020", "cn_ret_2020-02-14_round1_halved")):
    sc = pd.read_csv(DATA + "scenarios/wiod2013/%s.csv" % fn)
    for r in sc[sc.scenario == name].itertuples():
        tau[countries.index(r.imposer), countries.index(r.target), sectors.index(r.sector)] += r.rate
ci = np.repeat(np.arange(C), S)
si = np.tile(np.arange(S), C)
T = tau[ci[None, :], ci[:, None], si[:, None]]        # T[i,j] = tau(c(j) <- c(i), s(i))
E = A * T
d = E.sum(axis=0)
c = L.T @ d
dp = np.linalg.solve(np.eye(n) - A.T - E.T, d)
cons = {}
for k, dc in enumerate(countries):
    f = F[:, k * K]
    tf = tau[k, ci, si]
    cons[dc] = (f * ((1 + dp) * (1 + tf) - 1)).sum() / f.sum()
print("USA consumer price %+.4f %%, CHN %+.4f %%" % (100 * cons["USA"], 100 * cons["CHN"]))
print("pandas+numpy end to end: %.3f s" % (time.perf_counter() - t0))
