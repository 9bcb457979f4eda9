#!/usr/bin/env python3
"""Regenerate the malformed tables table_*.csv[.gz] of tests/bad/ (run from anywhere).

Each file is the Miller & Blair two-sector example (data/examples/miller_blair_2009_t2_3.csv)
or the decompr leather example with one defect. Expected messages: README.md here and
tests/test_table.c. The gzip files are written with a fixed mtime so they are stable.
"""
import gzip
import io
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data", "examples")
MB = open(os.path.join(DATA, "miller_blair_2009_t2_3.csv")).read()
LEATHER = open(os.path.join(DATA, "decompr_leather.csv")).read()


def put(name, text):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(text.encode() if isinstance(text, str) else text)


def gz(data):
    b = io.BytesIO()
    with gzip.GzipFile(fileobj=b, mode="wb", compresslevel=9, mtime=0) as g:
        g.write(data)
    return b.getvalue()


def sub(text, old, new, count=1):
    assert old in text, old
    return text.replace(old, new, count)


put("table_empty.csv", "")
put("table_only_header.csv", MB.splitlines(True)[0])
put("table_bad_header.csv", sub(MB, "country,sector,", "country,industry,"))
put("table_header_no_go.csv", sub(MB, ",GO\n", ",TOTAL\n"))
put("table_ragged_row.csv", sub(MB, "R1,s2,200,100,", "R1,s2,200,"))
put("table_ragged_long.csv", sub(MB, "R1,s1,150,500,350,1000", "R1,s1,150,500,350,1000,7"))
put("table_blank_line.csv", sub(MB, "R1,s2,", "\nR1,s2,"))
put("table_non_numeric.csv", sub(MB, "150,500,", "150,abc,"))
put("table_trailing_garbage.csv", sub(MB, "150,500,", "150,500x,"))
put("table_empty_cell.csv", sub(MB, "150,500,", "150,,"))
put("table_hex.csv", sub(MB, "150,500,", "150,0x1F4,"))
put("table_space.csv", sub(MB, "150,500,", "150, 500,"))
put("table_nan.csv", sub(MB, "200,100,", "200,nan,"))
put("table_inf.csv", sub(MB, "200,100,1700", "200,100,-inf"))
put("table_overflow.csv", sub(MB, "150,500,", "150,1e999,"))
put("table_negative_output.csv", sub(MB, "350,1000", "350,-3"))
put("table_negative_z.csv", sub(MB, "150,500,", "150,-500,"))
put("table_va_mismatch.csv", sub(MB, "TOT,VA,650,", "TOT,VA,600,"))
put("table_va_nonzero.csv", sub(MB, "TOT,VA,650,1400,0,0", "TOT,VA,650,1400,5,0"))
put("table_go_mismatch.csv", sub(MB, "TOT,GO,1000,", "TOT,GO,1001,"))
put("table_go_fd_mismatch.csv", sub(MB, "TOT,GO,1000,2000,2050,", "TOT,GO,1000,2000,2051,"))
put("table_go_total_mismatch.csv", sub(MB, "2050,3000", "2050,3001"))
# x of s2 = 550 < 600 = its intermediate inputs; VA and GO rows consistent with that
put("table_colsum_a.csv", "country,sector,R1_s1,R1_s2,R1_F1,GO\n"
    "R1,s1,150,500,350,1000\nR1,s2,200,100,250,550\n"
    "TOT,VA,650,-50,0,0\nTOT,GO,1000,550,600,1550\n")
# x of s2 = 0 while column s2 of Z sums to 600
put("table_zero_output.csv", "country,sector,R1_s1,R1_s2,R1_F1,GO\n"
    "R1,s1,150,500,350,1000\nR1,s2,0,100,0,0\n"
    "TOT,VA,850,-600,0,0\nTOT,GO,1000,0,350,1000\n")
put("table_label_mismatch.csv", sub(MB, "R1_s1,R1_s2,", "R1_s1,R1_s3,"))
put("table_country_empty.csv", sub(MB, "R1,s2,", ",s2,"))
put("table_duplicate_sector.csv", sub(MB, "R1,s2,", "R1,s1,"))
put("table_missing_tot.csv", "".join(MB.splitlines(True)[:3]))
put("table_missing_va.csv", "".join(MB.splitlines(True)[:3] + MB.splitlines(True)[4:]))
put("table_no_rows.csv", "".join(MB.splitlines(True)[:1] + MB.splitlines(True)[3:]))
put("table_too_few_columns.csv", "country,sector,R1_s1,GO\nR1,s1,1,2\nR1,s2,1,2\n"
    "TOT,VA,1,0\nTOT,GO,2,4\n")
# decompr leather, 3 countries x 3 sectors, K = 1
put("table_duplicate_country.csv", LEATHER.replace("\nDEU,", "\nARG,"))
put("table_sector_order.csv", sub(sub(sub(LEATHER, "\nTUR,Agriculture,", "\nTUR,@,"),
                                     "\nTUR,Textile_and_Leather,", "\nTUR,Agriculture,"),
                                 "\nTUR,@,", "\nTUR,Textile_and_Leather,"))
put("table_short_country.csv", "".join(l for l in LEATHER.splitlines(True)
                                       if not l.startswith("TUR,Transport")))
put("table_fd_mismatch.csv", sub(LEATHER, ",TUR_F1,", ",TUR_F2,"))
put("table_fd_count.csv", sub(LEATHER, ",DEU_F1,GO", ",DEU_F1,DEU_F2,GO"))
put("table_fd_duplicate.csv", "country,sector,R1_s1,R1_s2,R1_F1,R1_F1,GO\n"
    "R1,s1,150,500,350,0,1000\nR1,s2,200,100,1700,0,2000\n"
    "TOT,VA,650,1400,0,0,0\nTOT,GO,1000,2000,2050,0,3000\n")
# gzip
whole = gz(MB.encode())
put("table_truncated.csv.gz", whole[: len(whole) - 12])
put("table_gzip_trailing.csv.gz", whole + b"garbage")
put("table_gzip_text.csv.gz", gz(b"this is not an input-output table\nat all\n"))
put("table_gzip_corrupt.csv.gz", whole[:10] + bytes((i * 37 + 11) % 256 for i in range(40)))
