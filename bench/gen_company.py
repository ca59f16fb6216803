#!/usr/bin/python3
"""Write a synthetic company folder for the csmetrics CLI (docs/cli.md,
"Input files") with N accounts, deterministic for a seed:

  accounts.csv  account_id, segment (3), plan (2), owner (one CSM per 200 accounts)
  owners.csv    owner, name
  mrr.csv       MONTHS months of MRR: every account active from a random start
                month to the last month, 1 in 10 churned before the end
  usage.csv     the last two months: every column the built-in scorecard reads
  nps.csv       one response for 1 account in 4, in the last three months
  contracts.csv one annual contract per account, ending in the last year

    gen_company.py DIR N [--months 6] [--seed 1]

Used by bench/bench_cli.py (the CLI's sections against the number of accounts)."""
import argparse
import os
import random


def opened(d, name, header):
    f = open(os.path.join(d, name), "w")
    f.write(header + "\n")
    return f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("n", type=int)
    ap.add_argument("--months", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    rnd = random.Random(a.seed)
    n, months = a.n, a.months
    year, first = 2025, 12 - months + 1  # the months end at 2025-12
    label = [f"{year}-{m:02d}" for m in range(first, 13)]
    n_owners = max(1, n // 200)
    segs, plans = ["SMB", "Mid-Market", "Enterprise"], ["basic", "pro"]
    acc = opened(a.dir, "accounts.csv", "account_id,segment,plan,owner")
    mrr = opened(a.dir, "mrr.csv", "customer_id,month,mrr")
    use = opened(a.dir, "usage.csv", "account_id,month,licensed_seats,activated_seats,"
                 "active_users,sessions,minutes,features_used,features_available,dau,mau,"
                 "support_tickets,open_p1_tickets,key_contact_left")
    nps = opened(a.dir, "nps.csv", "customer_id,date,score")
    con = opened(a.dir, "contracts.csv", "customer_id,start_date,end_date,value")
    for i in range(1, n + 1):
        acc.write(f"{i},{segs[i % 3]},{plans[i % 2]},{1 + rnd.randrange(n_owners)}\n")
        start = rnd.randrange(months)
        end = months if rnd.random() >= 0.1 else rnd.randrange(start, months) + 1
        base = rnd.choice((49, 99, 199, 499, 999))
        for m in range(start, end):
            mrr.write(f"{i},{label[m]},{base * (1 + 0.05 * (m - start))}\n")
        if end == months:
            seats = rnd.randrange(5, 200)
            for m in (months - 2, months - 1):
                act = rnd.randrange(1, seats + 1)
                dau = rnd.randrange(0, act + 1)
                use.write(f"{i},{label[m]},{seats},{act},{act},{rnd.randrange(1, 20 * act)},"
                          f"{rnd.randrange(10, 5000)},{rnd.randrange(1, 11)},10,{dau},{act},"
                          f"{rnd.randrange(6)},{int(rnd.random() < 0.02)},"
                          f"{int(rnd.random() < 0.01)}\n")
        if i % 4 == 0:
            nps.write(f"{i},{year}-{rnd.randrange(10, 13):02d}-{rnd.randrange(1, 29):02d},"
                      f"{rnd.randrange(11)}\n")
        em, ed = rnd.randrange(1, 13), rnd.randrange(1, 29)
        con.write(f"{i},{year - 1}-{em:02d}-{ed:02d},{year}-{em:02d}-{ed:02d},{base * 12}\n")
    with opened(a.dir, "owners.csv", "owner,name") as f:
        f.writelines(f"{o},CSM {o}\n" for o in range(1, n_owners + 1))
    for f in (acc, mrr, use, nps, con):
        f.close()

if __name__ == "__main__":
    main()
