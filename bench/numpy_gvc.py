"""Value-chain decompositions in dense numpy, written from the papers' formulas (the
baseline of bench_gvc and the independent reference of tests/test_gvc.c):
KWW (Koopman, Wang & Wei 2014, nine terms), WWZ (Wang, Wei & Zhu 2013, sixteen terms, paper
numbering), positions (Antras et al. 2012; Wang, Wei, Yu & Zhu 2017) and APL
(Dietzenbacher et al. 2005). Explicit B = (I - A)^-1, L_rr, block products.
usage: /usr/bin/python3 numpy_gvc.py TABLE.csv[.gz] [--reported-go] [--header OUT.h]
       [--time]   (--time: time the WWZ and KWW computation only, after loading)"""
import gzip, sys, time
import numpy as np

args = sys.argv[1:]
path = args[0]
reported = "--reported-go" in args
op = gzip.open if path.endswith(".gz") else open
with op(path, "rt") as f:
    header = f.readline().rstrip("\n").split(",")
    raw = [line.rstrip("\n").split(",") for line in f]
body = [r for r in raw if r[0] != "TOT"]
n = len(body)
vals = np.array([[float(v) for v in r[2:]] for r in body])
Z = vals[:, :n]
F = vals[:, n:-1]
go = vals[:, -1]
countries = list(dict.fromkeys(r[0] for r in body))
sectors = list(dict.fromkeys(r[1] for r in body))
C, S = len(countries), len(sectors)
K = F.shape[1] // C
t0 = time.perf_counter()
x = go.copy() if reported else np.maximum(Z.sum(1) + F.sum(1), 0.0)
v = x - Z.sum(0)
A = np.divide(Z, x, out=np.zeros_like(Z), where=x > 0)
av = np.divide(v, x, out=np.zeros_like(v), where=x > 0)
B = np.linalg.inv(np.eye(n) - A)
Yc = F.reshape(n, C, K).sum(2)                  # n x C final demand by destination
blk = [slice(c * S, (c + 1) * S) for c in range(C)]
Lloc = [np.linalg.inv(np.eye(S) - A[b, b]) for b in blk]
Ei = np.stack([Z[:, b].sum(1) for b in blk], 1)  # intermediate sales by buyer country
E = np.zeros(n)
for c in range(C):
    m = [d for d in range(C) if d != c]
    E[blk[c]] = Ei[blk[c]][:, m].sum(1) + Yc[blk[c]][:, m].sum(1)

def Bb(a, b): return B[blk[a], blk[b]]
def Ab(a, b): return A[blk[a], blk[b]]
def Yb(a, d): return Yc[blk[a], d]
def V(a): return av[blk[a]]

def kww():
    out = np.zeros((C, 9))
    for s in range(C):
        oth = [r for r in range(C) if r != s]
        ysf = sum(Yb(s, r) for r in oth)
        t = np.zeros(9)
        t[0] = V(s) @ Bb(s, s) @ ysf
        t[1] = sum(V(s) @ Bb(s, r) @ Yb(r, r) for r in oth)
        t[2] = sum(V(s) @ Bb(s, r) @ Yb(r, u) for r in oth for u in range(C) if u not in (s, r))
        t[3] = sum(V(s) @ Bb(s, r) @ Yb(r, s) for r in oth)
        LY = Lloc[s] @ Yb(s, s)
        LE = Lloc[s] @ E[blk[s]]
        t[4] = sum(V(s) @ Bb(s, r) @ Ab(r, s) @ LY for r in oth)
        t[5] = sum(V(s) @ Bb(s, r) @ Ab(r, s) @ LE for r in oth)
        fw = sum(V(u) @ Bb(u, s) for u in oth)
        t[6] = fw @ ysf
        t[7] = fw @ sum(Ab(s, r) @ Lloc[r] @ Yb(r, r) for r in oth)
        t[8] = fw @ sum(Ab(s, r) @ Lloc[r] @ E[blk[r]] for r in oth)
        out[s] = t
    return out

def wwz():
    out = np.zeros((n, C, 16))
    Yf = np.array([Yc[i].sum() - Yc[i, i // S] for i in range(n)])
    for s in range(C):
        VsB = V(s) @ Bb(s, s)
        VsL = V(s) @ Lloc[s]
        ddc = VsL @ sum(Ab(s, t) @ Bb(t, s) for t in range(C) if t != s)
        for r in range(C):
            if r == s:
                continue
            th = [t for t in range(C) if t not in (s, r)]
            Asr = Ab(s, r)
            T = np.zeros((S, 16))
            T[:, 0] = VsB * Yb(s, r)
            T[:, 1] = VsL * (Asr @ Bb(r, r) @ Yb(r, r))
            T[:, 2] = VsL * (Asr @ sum(Bb(r, t) @ Yb(t, t) for t in th))
            T[:, 3] = VsL * (Asr @ Bb(r, r) @ sum(Yb(r, t) for t in th))
            # sum_{u != s,t} Y_tu = (final exports of t) - Y_ts
            T[:, 4] = VsL * (Asr @ sum(Bb(r, t) @ (Yf[blk[t]] - Yb(t, s)) for t in th))
            T[:, 5] = VsL * (Asr @ Bb(r, r) @ Yb(r, s))
            T[:, 6] = VsL * (Asr @ sum(Bb(r, t) @ Yb(t, s) for t in th))
            T[:, 7] = VsL * (Asr @ Bb(r, s) @ Yb(s, s))
            T[:, 8] = VsL * (Asr @ Bb(r, s) @ sum(Yb(s, t) for t in range(C) if t != s))
            T[:, 9] = ddc * (Asr @ x[blk[r]])
            mv = V(r) @ Bb(r, s)
            ov = sum(V(t) @ Bb(t, s) for t in th)
            fin, inty, inte = Yb(s, r), Asr @ Lloc[r] @ Yb(r, r), Asr @ Lloc[r] @ E[blk[r]]
            T[:, 10], T[:, 11], T[:, 12] = mv * fin, mv * inty, mv * inte
            T[:, 13], T[:, 14], T[:, 15] = ov * fin, ov * inty, ov * inte
            out[blk[s], r, :] = T
    return out

def bm():
    """Borin & Mancini, exporting-country perspective, from the definitions: an
    explicit extraction inverse Bx = inv(I - A with s's export rows zeroed) per s."""
    out = np.zeros((n, C, 15))
    AF = A.copy()
    for c in range(C):
        AF[blk[c], blk[c]] = 0
    G = AF @ (B @ Yc)
    for s in range(C):
        Ax = A.copy()
        for r in range(C):
            if r != s:
                Ax[blk[s], blk[r]] = 0
        Bx = np.linalg.inv(np.eye(n) - Ax)
        oth = [t for t in range(C) if t != s]
        VsBx = V(s) @ Bx[blk[s], blk[s]]
        VsB = V(s) @ Bb(s, s)
        fvx = sum(V(t) @ Bx[blk[t], blk[s]] for t in oth)
        fv = sum(V(t) @ Bb(t, s) for t in oth)
        Es = E[blk[s]]
        zs = AF @ (Bx[:, blk[s]] @ Es)
        for r in oth:
            Asr, Lrr = Ab(s, r), Lloc[r]
            e = Ei[blk[s], r] + Yb(s, r)
            th = [j for j in range(C) if j not in (r, s)]
            vax1 = VsBx * Yb(s, r)
            vax2 = VsBx * (Asr @ Lrr @ Yb(r, r))
            vax3 = VsBx * (Asr @ Lrr @ sum(Yb(r, j) for j in th))
            vax4 = VsBx * (Asr @ Lrr @ sum(G[blk[r], l] for l in oth))
            ref1 = VsBx * (Asr @ Lrr @ Yb(r, s))
            ref2 = VsBx * (Asr @ Lrr @ G[blk[r], s])
            davax = vax1 + vax2
            vax = davax + vax3 + vax4
            ref = ref1 + ref2
            dva = VsBx * e
            ddc = (VsB - VsBx) * e
            fva = fvx * e
            fdc = (fv - fvx) * e
            dsk = VsB * (Asr @ Lrr @ zs[blk[r]])
            fsk = fv * (Asr @ Lrr @ zs[blk[r]])
            T = np.stack([e, davax, vax, ref, dva, ddc, fva, fdc, e - davax, fva + fdc + ddc,
                          vax - davax + ref, VsB * e - dsk, dsk, fv * e - fsk, fsk], 1)
            out[blk[s], r, :] = T
    return out

def positions():
    Delta = np.divide(Z, x[:, None], out=np.zeros_like(Z), where=x[:, None] > 0)
    U = np.linalg.inv(np.eye(n) - Delta) @ np.ones(n)
    D = np.ones(n) @ B
    Ll = np.zeros((n, n))
    for c in range(C):
        Ll[blk[c], blk[c]] = Lloc[c]
    AF = A - np.where(np.kron(np.eye(C), np.ones((S, S))) > 0, A, 0)
    yd = np.array([Yc[i, i // S] for i in range(n)])
    ytot = Yc.sum(1)
    yf = ytot - yd
    Vh = np.diag(av)
    VD = Vh @ Ll @ np.diag(yd)
    VRT = Vh @ Ll @ np.diag(yf)
    VGS = Vh @ Ll @ AF @ Ll @ np.diag(yd)
    VG = Vh @ B @ np.diag(ytot) - Vh @ Ll @ np.diag(ytot)
    XG = Vh @ Ll @ Ll @ AF @ B @ np.diag(ytot) + Vh @ Ll @ AF @ B @ B @ np.diag(ytot)
    VGn = Vh @ Ll @ AF @ B @ np.diag(ytot)
    P = np.zeros((n, 14))
    P[:, 0], P[:, 1] = U, D
    P[:, 2], P[:, 3], P[:, 4] = VD.sum(1), VRT.sum(1), VGS.sum(1)
    P[:, 5] = VG.sum(1) - VGS.sum(1)
    P[:, 6], P[:, 7], P[:, 8] = VD.sum(0), VRT.sum(0), VGS.sum(0)
    P[:, 9] = VG.sum(0) - VGS.sum(0)
    P[:, 10] = np.divide(VG.sum(1), v, out=np.zeros(n), where=v > 0)
    P[:, 11] = np.divide(VG.sum(0), ytot, out=np.zeros(n), where=ytot > 0)
    P[:, 12] = np.divide(XG.sum(1), VGn.sum(1), out=np.zeros(n), where=VGn.sum(1) > 0)
    P[:, 13] = np.divide(XG.sum(0), VGn.sum(0), out=np.zeros(n), where=VGn.sum(0) > 0)
    LI = B - np.eye(n)
    apl = np.divide(B @ LI, LI, out=np.zeros((n, n)), where=LI > 0)
    return P, apl

if "--time" in args:
    t1 = time.perf_counter()
    w = wwz()
    t2 = time.perf_counter()
    k = kww()
    t3 = time.perf_counter()
    print("numpy %s: n = %d, setup (x, A, B = inv(I - A), local inverses) %.3f s, WWZ %.3f s, "
          "KWW %.3f s; WWZ max |sum - E_sr| = %.3g" % (np.__version__, n, t1 - t0, t2 - t1, t3 - t2,
          np.abs(w.sum(2) - (Ei + Yc) * (1 - np.eye(C)[np.arange(n) // S])).max()))
    sys.exit(0)

k = kww()
w = wwz()
P, apl = positions()
b = bm()
if "--header" in args:
    o = args[args.index("--header") + 1]
    with open(o, "w") as f:
        f.write("/* Generated by bench/numpy_gvc.py %s%s (numpy %s): dense formulas from the papers. */\n"
                % (path.split("/")[-1], " --reported-go" if reported else "", np.__version__))
        f.write("static const double EXP_KWW[%d][9] = {\n" % C)
        for s in range(C):
            f.write("    {%s},\n" % ", ".join("%.17g" % q for q in k[s]))
        f.write("};\n/* [j*C + r][term - 1] */\nstatic const double EXP_WWZ[%d][16] = {\n" % (n * C))
        for j in range(n):
            for r in range(C):
                f.write("    {%s},\n" % ", ".join("%.17g" % q for q in w[j, r]))
        f.write("};\nstatic const double EXP_POS[%d][14] = {\n" % n)
        for j in range(n):
            f.write("    {%s},\n" % ", ".join("%.17g" % q for q in P[j]))
        f.write("};\n/* [j*C + r][item] */\nstatic const double EXP_BM[%d][15] = {\n" % (n * C))
        for j in range(n):
            for r in range(C):
                f.write("    {%s},\n" % ", ".join("%.17g" % q for q in b[j, r]))
        f.write("};\n/* APL[i][j] */\nstatic const double EXP_APL[%d][%d] = {\n" % (n, n))
        for i in range(n):
            f.write("    {%s},\n" % ", ".join("%.17g" % q for q in apl[i]))
        f.write("};\n")
else:
    print(k)
    print("WWZ sum check", np.abs(w.sum(2) - (Ei + Yc) * (1 - np.eye(C)[np.arange(n) // S])).max())
