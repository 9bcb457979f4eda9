#!/usr/bin/env python3
"""Regenerates the committed bad inputs of tests/cli_harden.sh (issue 16) from
tests/harden/leather.wiot (wiot convert -t data/examples/decompr_leather.csv) and small
texts. Large inputs (bombs, endless devices) are made at test time, not committed.
usage: python3 make_corpus.py   (in tests/harden)"""
import struct, zipfile, zlib, io

M = 2**64 - 1
P1, P2, P3, P4, P5 = (0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                      0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5)
rotl = lambda x, r: ((x << r) | (x >> (64 - r))) & M
def rnd(a, x): return (rotl((a + x * P2) & M, 31) * P1) & M
def merge(h, v): return (((h ^ rnd(0, v)) * P1) + P4) & M
def xxh64(b):
    """XXH64, seed 0 (the standard algorithm, as kernel/table/binary.c)."""
    n, i = len(b), 0
    if n >= 32:
        v = [(P1 + P2) & M, P2, 0, (-P1) & M]
        while i + 32 <= n:
            for k in range(4):
                v[k] = rnd(v[k], struct.unpack_from('<Q', b, i + 8 * k)[0])
            i += 32
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & M
        for x in v:
            h = merge(h, x)
    else:
        h = P5
    h = (h + n) & M
    while i + 8 <= n:
        h = ((rotl(h ^ rnd(0, struct.unpack_from('<Q', b, i)[0]), 27) * P1) + P4) & M
        i += 8
    if i + 4 <= n:
        h = ((rotl(h ^ (struct.unpack_from('<I', b, i)[0] * P1 & M), 23) * P2) + P3) & M
        i += 4
    while i < n:
        h = (rotl(h ^ (b[i] * P5 & M), 11) * P1) & M
        i += 1
    h ^= h >> 33; h = h * P2 & M; h ^= h >> 29; h = h * P3 & M; h ^= h >> 32
    return h

def reseal(b):
    b = bytearray(b)
    struct.pack_into('<Q', b, 152, xxh64(bytes(b[168:])))
    struct.pack_into('<Q', b, 160, xxh64(bytes(b[:160])))
    return bytes(b)

base = open('leather.wiot', 'rb').read()
assert reseal(base) == base, 'checksum implementation disagrees with the writer'
off = [struct.unpack_from('<QQ', base, 72 + 16 * k) for k in range(5)]

def patched(at, byte):
    b = bytearray(base); b[at] = byte; return reseal(b)

open('wiot_header_padding.wiot', 'wb').write(patched(200, 1))
open('wiot_gap.wiot', 'wb').write(patched(off[1][0] - 1, 0x7f))   # just before Z
lab_end = off[0][0] + off[0][1]
name_at = base.rindex(b'\0', off[0][0], lab_end - 1) + 1            # the table's name
open('wiot_name_control.wiot', 'wb').write(patched(name_at, 0x1b))
# x and v swapped in the header (data left in place): a reordered layout
b = bytearray(base)
struct.pack_into('<QQ', b, 72 + 16 * 3, *off[4])
struct.pack_into('<QQ', b, 72 + 16 * 4, *off[3])
open('wiot_reordered.wiot', 'wb').write(reseal(b))

# a zip whose member declares 2 GiB from a few hundred compressed bytes
def zip_lying(path, declared):
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('t.csv', b'country,sector,' + b'0' * 4000)
    d = bytearray(bio.getvalue())
    real = 4015
    for sig, at in ((b'PK\x03\x04', 22), (b'PK\x01\x02', 24)):
        i = d.index(sig)
        assert struct.unpack_from('<I', d, i + at)[0] == real
        struct.pack_into('<I', d, i + at, declared)
    open(path, 'wb').write(bytes(d))
zip_lying('zip_declared_2g.zip', 2**31)

# a zip holding a gzip member that inflates to 64 MiB of a table's first line and zeros
g = zlib.compressobj(9, zlib.DEFLATED, 31)
gz = g.compress(b'country,sector,USA_c1,GO\n')
chunk = b'0' * (1 << 20)
for _ in range(64):
    gz += g.compress(chunk)
gz += g.flush()
with zipfile.ZipFile('zip_gzip_bomb.zip', 'w', zipfile.ZIP_STORED) as z:
    z.writestr('t.csv.gz', gz)
