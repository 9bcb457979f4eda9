"""Agreement of `wiot gvc wwz` / `wiot gvc kww` with decompr on the same table.
usage: python3 compare_decompr.py WIOT_WWZ.csv WIOT_KWW.csv DECOMPR_PREFIX"""
import csv, sys
# decompr's column names are wiot's term names
ww, kw, pre = sys.argv[1:4]
w, fl = {}, {}
with open(ww) as f:
    for r in csv.DictReader(f):
        key = (r["exporter"], r["exp_sector"], r["importer"])
        v = float(r["value_musd"])
        w[key + (r["name"],)] = v
        fl[key] = fl.get(key, 0.0) + v   # the 16 terms sum to the flow (to 1e-15)
worst, wflow, cnt, wabs = 0.0, 0.0, 0, 0.0
with open(pre + "_wwz.csv") as f:
    rd = csv.DictReader(f)
    names = rd.fieldnames[3:19]
    for r in rd:
        s, i, d = r["Exporting_Country"], r["Exporting_Industry"], r["Importing_Country"]
        if s == d:
            continue
        flow = fl[(s, i, d)]
        for nm in names:
            a, b = w[(s, i, d, nm)], float(r[nm])
            sc = max(abs(flow), 1e-3)
            if abs(a - b) / sc > worst:
                worst, wflow = abs(a - b) / sc, flow
            wabs = max(wabs, abs(a - b))
            cnt += 1
print("WWZ: %d terms compared; max |wiot - decompr| / max(|flow|, 1e-3) = %.2g, max abs %.2g (millions)"
      % (cnt, worst, wabs))
k = {}
with open(kw) as f:
    for r in csv.DictReader(f):
        k[(r["exporter"], r["name"])] = float(r["value_musd"])
worst = 0.0
with open(pre + "_kww.csv") as f:
    rd = csv.DictReader(f)
    for r in rd:
        for nm in rd.fieldnames[1:]:
            a, b = k[(r["Country"], nm)], float(r[nm])
            worst = max(worst, abs(a - b) / max(abs(b), 1.0))
print("KWW: max |wiot - decompr| / |decompr| = %.2g" % worst)
