#!/usr/bin/python3
"""Write examples/data/small_ledger.csv: a small deterministic MRR ledger
(60 customers x 24 months, 2024-01..2025-12, segments 1 = SMB, 2 = enterprise)
for the C examples and the notebook.  Re-run to regenerate; the seed is fixed.
"""
import random
import sys

rng = random.Random(20241)
rows = []
for c in range(60):
    cid = 1001 + c
    seg = 1 if c % 3 else 2
    start = rng.randrange(0, 23)
    level = float(rng.choice([49, 99, 199, 499]) if seg == 1 else rng.choice([990, 1490, 2990]))
    active = True
    gone = 0
    for t in range(start, 24):
        if active:
            u = rng.random()
            if u < (0.05 if seg == 1 else 0.02):
                active = False
                gone = 0
                continue
            w = rng.random()
            if w < 0.06:
                level = round(level * 1.5, 2)
            elif w < 0.09:
                level = round(level * 0.7, 2)
        else:
            gone += 1
            if rng.random() < 0.05:
                active = True
            else:
                continue
        year, month = 2024 + t // 12, t % 12 + 1
        rows.append((cid, f"{year:04d}-{month:02d}", level, seg))

out = sys.argv[1] if len(sys.argv) > 1 else "examples/data/small_ledger.csv"
with open(out, "w") as f:
    f.write("customer_id,month,mrr,segment\n")
    for r in rows:
        f.write(f"{r[0]},{r[1]},{r[2]:.2f},{r[3]}\n")
print(f"wrote {len(rows)} rows to {out}")
