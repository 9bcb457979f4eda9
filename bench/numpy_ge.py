"""Caliendo-Parro (2015) counterfactual in numpy, written from the paper's equations in
changes (METHODS.md §6.1-6.7) as a user would: the price fixed point by plain
iteration, the expenditure system by numpy.linalg.solve on the dense NJ x NJ matrix,
wages by the damped excess-demand update of the published codes
(w <- w (1 + psi * excess / wL)). The outside baseline of bench_ge.c.
usage: /usr/bin/python3 numpy_ge.py [wiod|cp] [TOL]
prints: iterations, residual, seconds, and the welfare of a few countries."""
import csv, gzip, sys, time
import numpy as np

DATA = "../data/"
which = sys.argv[1] if len(sys.argv) > 1 else "wiod"
TOL = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-12
THETA13 = [9.11, 13.53, 2.62, 8.10, 8.10, 11.50, 16.52, 64.85, 3.13, 1.67, 2.41, 5.135, 1.45,
           9.63, 8.22, 3.98] + [5.0] * 19


def wiod():
    with gzip.open(DATA + "wiod2013/wiot_2011.csv.gz", "rt") as f:
        f.readline()
        raw = np.loadtxt(f, delimiter=",", dtype=object)
    rows = raw[:-2]
    n = rows.shape[0]
    countries = list(dict.fromkeys(rows[:, 0]))
    N = len(countries)
    J = n // N
    Z = np.maximum(rows[:, 2:2 + n].astype(float), 0)
    F = np.maximum(rows[:, 2 + n:-1].astype(float), 0)
    K = F.shape[1] // N
    Fd = F.reshape(n, N, K).sum(axis=2)                        # seller x buyer country
    # flows[n_imp, i_exp, j] of intermediate + final purchases; inputs[n, k, j]
    Zc = Z.reshape(N, J, N, J)                                 # (i, k, n, j)
    flow = Zc.sum(axis=3).transpose(2, 0, 1) + Fd.reshape(N, J, N).transpose(2, 0, 1)
    inputs = Zc.sum(axis=0).transpose(1, 0, 2)                 # (n, k, j)
    final = Fd.reshape(N, J, N).sum(axis=0).T.copy()           # (n, j)
    Y = flow.sum(axis=0)                                       # (i, j) sales
    need = inputs.sum(axis=1)
    fix = (need > Y) & (Y > 0)                                 # rebalance: inputs > sales
    for (a, b) in zip(*np.nonzero(fix)):
        d = need[a, b] - Y[a, b]
        flow[a, a, b] += d
        final[a, b] += d
        Y[a, b] += d
    tau = np.zeros((N, N, J))
    theta = np.array(THETA13)
    gamma = np.divide(inputs, Y[:, None, :], out=np.zeros_like(inputs), where=Y[:, None, :] > 0)
    beta = np.where(Y > 0, 1 - gamma.sum(axis=1), 1.0)
    D = final.sum(axis=1) - (beta * Y).sum(axis=1)
    tau1 = np.zeros((N, N, J))
    us, cn = countries.index("USA"), countries.index("CHN")
    tau1[us, cn, :16] = 0.25
    tau1[cn, us, :16] = 0.25
    return countries, flow, tau, tau1, gamma, beta, final, D, theta, (beta * Y).sum(axis=1)


def cp():
    rd = lambda p: list(csv.DictReader(gzip.open(DATA + "cp2015/" + p, "rt") if p.endswith(".gz")
                                       else open(DATA + "cp2015/" + p)))
    R = [r["region"] for r in rd("regions.csv")]
    S = [r["sector"] for r in rd("sectors.csv")]
    N, J = len(R), len(S)
    ri = {r: k for k, r in enumerate(R)}
    si = {s: k for k, s in enumerate(S)}
    flow, tau, tau1 = np.zeros((N, N, J)), np.zeros((N, N, J)), np.zeros((N, N, J))
    for r in rd("trade.csv.gz"):
        n, i, j = ri[r["importer"]], ri[r["exporter"]], si[r["sector"]]
        flow[n, i, j] = float(r["value"])
        tau[n, i, j] = float(r["tariff"])
        tau1[n, i, j] = float(r["tariff_cfl"])
    inputs, va, final = np.zeros((N, J, J)), np.zeros((N, J)), np.zeros((N, J))
    for r in rd("intermediate_consumption.csv.gz"):
        inputs[ri[r["region"]], si[r["input"]], si[r["sector"]]] += max(float(r["value"]), 0)
    for r in rd("value_added.csv"):
        va[ri[r["region"]], si[r["sector"]]] += float(r["value"])
    for r in rd("final_consumption.csv"):
        final[ri[r["region"]], si[r["sector"]]] += float(r["value"])
    D = np.zeros(N)
    for r in rd("deficit.csv"):
        D[ri[r["region"]]] = float(r["D"])
    theta = np.zeros(J)
    for r in rd("theta.csv"):
        theta[si[r["sector"]]] = float(r["value"])
    go = inputs.sum(axis=1) + va
    return R, flow, tau, tau1, inputs / go[:, None, :], va / go, final, D, theta, va.sum(axis=1)


def solve(flow, tau, tau1, gamma, beta, alpha, D1, theta, wL, X0, pi, tol, psi=0.2):
    """The counterfactual tau -> tau1 from the levels (X0, pi); returns hats."""
    N, _, J = flow.shape
    kappa = (1 + tau1) / (1 + tau)
    w = np.ones(N)
    P = np.ones((N, J))
    X = X0.copy()
    it = 0
    while True:
        it += 1
        # (6.1)-(6.2): plain fixed point
        for _ in range(10000):
            c = w[:, None] ** beta * np.exp(np.einsum("nkj,nk->nj", gamma, np.log(P)))
            Pn = np.einsum("nij,nij->nj", pi, (kappa * c[None, :, :]) ** (-theta)) ** (-1 / theta)
            done = np.max(np.abs(Pn - P)) < 1e-14
            P = Pn
            if done:
                break
        pi1 = pi * (kappa * c[None, :, :] / P[:, None, :]) ** (-theta)     # (6.3)
        s = pi1 / (1 + tau1)                                                # net shares (n,i,j)
        r = (pi1 * tau1 / (1 + tau1)).sum(axis=1)                          # revenue rate (n,j)
        NJ = N * J
        # (6.4)-(6.5): X = Gamma Y + alpha (w wL + R + D), dense solve
        M = np.einsum("njk,ink->njik", gamma, s).reshape(NJ, NJ)
        M += (alpha[:, :, None, None] * np.eye(N)[:, None, :, None] * r[None, None, :, :]).reshape(NJ, NJ)
        b = (alpha * (w * wL + D1)[:, None]).reshape(NJ)
        X = np.linalg.solve(np.eye(NJ) - M, b).reshape(N, J)
        Y = np.einsum("nj,nij->ij", X, s)                                  # (6.4) Y
        LD = (beta * Y).sum(axis=1)
        res = np.max(np.abs(LD - w * wL)) / wL.sum()
        if res <= tol or it >= 5000:
            break
        w = w * (1 + psi * (LD - w * wL) / wL)                             # (6.6), damped
        w *= wL.sum() / (w * wL).sum()                                     # (6.7)
    Pn = np.exp((alpha * np.log(P)).sum(axis=1))
    R1 = (tau1 * X[:, None, :] * s).sum(axis=(1, 2))
    R0 = (tau * X0[:, None, :] * pi / (1 + tau)).sum(axis=(1, 2))
    I0, I1 = wL + R0 + D1, w * wL + R1 + D1
    return it, res, I1 / I0 / Pn - 1, w / Pn - 1, X, pi1, w


t0 = time.perf_counter()
names, flow, tau, tau1, gamma, beta, final, D, theta, wL = (wiod if which == "wiod" else cp)()
X0 = (flow * (1 + tau)).sum(axis=1)                                    # (n, j)
pi = np.divide(flow * (1 + tau), X0[:, None, :], out=np.zeros_like(flow), where=X0[:, None, :] > 0)
N, _, J = flow.shape
for n in range(N):
    for j in range(J):
        if X0[n, j] <= 0:
            pi[n, n, j] = 1
alpha = final / final.sum(axis=1, keepdims=True)
load = time.perf_counter() - t0
tb = 0.0
if which == "cp":   # CP2015: the zero-deficit world first, then the counterfactual from it
    t1 = time.perf_counter()
    it0, r0, _, _, X0, pi, wb = solve(flow, tau, tau, gamma, beta, alpha, np.zeros(N), theta, wL,
                                      X0, pi, TOL)
    wL, D = wb * wL, np.zeros(N)
    tb = time.perf_counter() - t1
    print("baseline (zero deficits): %d wage iterations, residual %.2g, %.3f s" % (it0, r0, tb))
t1 = time.perf_counter()
it, res, W, RW, _, _, _ = solve(flow, tau, tau1, gamma, beta, alpha, D, theta, wL, X0, pi, TOL)
sec = time.perf_counter() - t1
print("numpy_ge %s: %d wage iterations, residual %.3g, %.3f s (load %.3f s)" % (which, it, res, sec, load))
print("numpy_ge_seconds %s %.4f" % (which, sec + tb))
for c in (["USA", "CHN", "MEX", "DEU"] if which == "wiod" else ["Canada", "Mexico", "USA"]):
    k = names.index(c)
    print("  %s welfare %.6f %% real wage %.6f %%" % (c, 100 * W[k], 100 * RW[k]))
