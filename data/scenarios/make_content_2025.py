#!/usr/bin/env python3
"""Writes data/scenarios/{wiod2013,wiod2016}/us_content_2025.csv from the flat
us232_autos_2025.csv files beside them (data/scenarios/SOURCES.md, "Content-based
scenarios"). Run from data/scenarios: python3 make_content_2025.py"""
US_SHARE = 0.40   # Budget Lab's US content of USMCA-qualifying vehicles (other_params.yaml)
SETS = {"wiod2013": {"veh": "c15", "chip": "c14"}, "wiod2016": {"veh": "C29", "chip": "C26"}}

for folder, codes in SETS.items():
    rows = [l.rstrip("\n").split(",") for l in open(f"{folder}/us232_autos_2025.csv")][1:]
    vehicles = {r[2]: float(r[4]) for r in rows if r[0] == "us232_autos_2025-04-03_vehicles"}
    parts = [r for r in rows if r[0] == "us232_autos_2025-05-03_vehicles_and_parts"]
    name = "us232_autos_2025-05-03_usmca_content"
    out = ["# Content-based US tariffs of 2025 (SOURCES.md, \"Content-based scenarios\");",
           "# written by make_content_2025.py from us232_autos_2025.csv",
           "scenario,imposer,target,sector,rate,measure"]
    for r in parts:   # every line of the flat May stage but the CAN/MEX vehicle cells
        if r[2] in ("CAN", "MEX") and r[3] == codes["veh"]:
            continue
        out.append(",".join([name] + r[1:5]))
    for c in ("CAN", "MEX"):   # USMCA vehicles: 25 % on the non-US content
        gross = vehicles[c] / (1 - US_SHARE)
        out.append(f"{name},USA,{c},{codes['veh']},{gross:.6f},except_content_of=USA")
    out.append(f"us_chip_content_2025_illustrative,USA,*;!USA,goods,0.25,"
               f"on_content_of=CHN:{codes['chip']}")
    out.append(f"us232_autos_usmca_roo75_illustrative,USA,CAN;MEX,{codes['veh']},0.25,"
               f"unless_content_of=USMCA>=0.75")
    open(f"{folder}/us_content_2025.csv", "w").write("\n".join(out) + "\n")
