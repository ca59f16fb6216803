#!/usr/bin/python3
"""Generate the bundled demo company in examples/data/demo/ (run by `make demo-data`).

A deterministic synthetic SaaS company: about 2,000 accounts over 36 months (2023-01 .. 2025-12),
monthly and annual plans, segments (SMB / mid-market / enterprise), channels (direct / partner),
regions, CSM owners, upgrades, downgrades, churn, win-backs, annual renewals (some late), NPS
surveys, product-usage signals and acquisition spend.  Only the Python standard library is used,
with a fixed seed, so the files are byte-for-byte reproducible.

Behaviour built in so that every section of the report is meaningful:
  * partner-channel SMB churns most, enterprise least;
  * annual plans churn only at renewal and renew better than monthly plans churn;
  * low product engagement raises churn risk and lowers NPS;
  * churned accounts sometimes come back (win-backs) within a year;
  * about one renewal in eight is signed late, some after the 90-day grace period;
  * churn is announced in the usage (the signal the churn model of `csmetrics churn` finds):
    in each of the 3 usage months before a month an account has no MRR (a churn, or a late
    renewal's gap; the months of the 1-3 months before it), independently:
      - key_contact_left = 1 with probability 0.15 (otherwise the 1% drawn for every month),
      - support_tickets + round(Exp(mean 4)): about 4 more tickets,
      - open_p1_tickets = 1 with probability 0.10 (otherwise 2% + 6% x (1 - engagement)),
      - active users (with MAU, DAU, sessions and minutes) x Uniform(0.9, 1.0);
    a month whose next gap is after the end of the data carries none of it.  On the held-out
    months 2025-07..2025-09 the report's churn model reaches an AUC of 0.822 (95% interval
    0.794 to 0.850), the built-in health scorecard 0.745 (0.717 to 0.773): support tickets,
    key contact left and open P1 tickets are its clearest coefficients;
  * a "training" touch raises the account's active users (with MAU, DAU, sessions and
    minutes) by 10% (at most to the activated seats) in the two usage months after the
    touch's month: an intervention effect to find.

Files (CSV, UTF-8, header row; months as YYYY-MM, days as YYYY-MM-DD):
  accounts.csv   account_id,name,segment,channel,plan,billing,region,owner,signup_month,product
                 (product: the account's product line, "Analytics" 50%, "Automation" 35% or
                 "Platform" 15%, whatever its segment: the product categories of
                 `csmetrics activity`)
  mrr.csv        customer_id,month,mrr                      (month-end MRR snapshot ledger)
  contracts.csv  customer_id,start_date,end_date,value,interval_months
                 (annual-plan contract terms, value = the term's total)
  nps.csv        customer_id,date,score
  usage.csv      account_id,month,licensed_seats,activated_seats,active_users,sessions,minutes,
                 features_used,features_available,dau,mau,support_tickets,open_p1_tickets,
                 key_contact_left                        (last 12 months)
  spend.csv      month,channel,spend                       (sales and marketing spend)
  owners.csv     owner,name
  touches.csv    customer_id,date,csm,type                  (one row per touch, a review or other
                 intervention, of an account in the last 12 months: Enterprise accounts most
                 months, Mid-Market about every other month, SMB a few times a year; by the
                 account's owner, now and then by another CSM; type "review" (SMB 80%,
                 Mid-Market 70%, Enterprise 55%), "exec_call" (2%, 8%, 20%), "training"
                 (13%, 14%, 12%) or "success_plan" (5%, 8%, 13%))
  referrals.csv  referrer_id,referred_id,date,converted,first_mrr   (referrals customers made
                 in the last 24 months while active, more often the more engaged they are; a
                 third convert, with the first MRR of a plan of the referrer's segment)
  subscriptions.csv  subscription_id,customer_id,status,amount,currency,interval,interval_count,
                 quantity,discount_percent,discount_amount,trial_end,start_date,canceled_at,ended_at
                 (the same company as a billing system's subscription-items export, exported
                 on the last day of the data: one item per price level (a monthly plan's
                 change of price, a churn or a win-back ends an item and starts the next; an
                 annual term is an item), the first monthly item after a 14-day trial, and no
                 end for the items still active; `csmetrics import-subscriptions` turns it
                 back into mrr.csv's MRR exactly)

The subscription export is derived from the same histories after they are drawn (it draws no
random number), so adding it changed none of the other files; touches.csv and referrals.csv
draw from a second generator (seed SEED + 1) after every other file is drawn, so adding them
changed none either.  The churn signal draws from a third (SEED + 2) and the touches' type from
a fourth (SEED + 3), both after every other draw, and the training effect draws nothing: they
changed only usage.csv's active users, sessions, minutes, DAU, MAU, support tickets, P1 tickets
and key contact left, and touches.csv's new column.  accounts.csv's product draws from a fifth
(SEED + 4) after every other draw: adding it changed no other column or file.
"""
import csv
import datetime as dt
import math
import os
import random
import sys

SEED = 20251124
START_YEAR, MONTHS = 2023, 36
N_ACCOUNTS = 2000

OWNERS = [(i + 1, n) for i, n in enumerate([
    "Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra",
    "Barbara Liskov", "Donald Knuth", "Frances Allen", "Ken Thompson", "Radia Perlman",
    "Leslie Lamport", "Margaret Hamilton"])]
REGIONS = ["NA", "EMEA", "APAC", "LATAM"]
SEGMENTS = [("SMB", 0.62), ("Mid-Market", 0.28), ("Enterprise", 0.10)]
PRICE = {"SMB": [49, 99, 199], "Mid-Market": [490, 790, 1290], "Enterprise": [2900, 4900, 7900]}
SEATS = {"SMB": (3, 15), "Mid-Market": (15, 80), "Enterprise": (80, 600)}
# monthly churn hazard of a monthly-plan account, by (segment, channel)
HAZARD = {("SMB", "partner"): 0.045, ("SMB", "direct"): 0.028,
          ("Mid-Market", "partner"): 0.020, ("Mid-Market", "direct"): 0.014,
          ("Enterprise", "partner"): 0.010, ("Enterprise", "direct"): 0.006}
# probability an annual contract is not renewed at term end
ANNUAL_LOSS = {"SMB": 0.22, "Mid-Market": 0.13, "Enterprise": 0.07}


def month_label(t):
    y, m = START_YEAR + t // 12, t % 12 + 1
    return f"{y:04d}-{m:02d}"


def month_first(t):
    return dt.date(START_YEAR + t // 12, t % 12 + 1, 1)


def month_last(t):
    return month_first(t + 1) - dt.timedelta(days=1)


def pick(rng, weighted):
    u, acc = rng.random(), 0.0
    for v, w in weighted:
        acc += w
        if u < acc:
            return v
    return weighted[-1][0]


def subscription_items(aid, billing, signup_day, history, terms):
    """The subscription items of one account: rows of subscriptions.csv.

    Monthly plans: one item per run of consecutive months at one price, starting and ending on
    the signup day's day of the month (the billing anchor); the first starts 14 days before the
    signup day with a trial ending on it.  An item ends (ended_at, the first day without
    service) on the anchor day of the month after its run, so it is not in service at that
    month's end.  Annual plans: one item per contract term started by the end of the data,
    ended the day after the term unless the term is still running."""
    last_day = month_last(MONTHS - 1)
    rows = []

    def item(status, amount, interval, trial, start, end):
        k = len(rows) + 1
        rows.append((f"sub_{aid}_{k}", aid, status, f"{amount:.2f}", "USD", interval, 1, 1, "", "",
                     trial, start, end, end))

    if billing == "monthly":
        anchor = signup_day.day
        months = sorted(history)
        runs = []
        for t in months:
            if runs and runs[-1][1] == t - 1 and history[t] == history[runs[-1][0]]:
                runs[-1][1] = t
            else:
                runs.append([t, t])
        for i, (ta, tb) in enumerate(runs):
            first = i == 0
            start = signup_day - dt.timedelta(days=14) if first else month_first(ta).replace(day=anchor)
            trial = signup_day.isoformat() if first else ""
            if tb == MONTHS - 1:
                item("active", history[ta], "month", trial, start.isoformat(), "")
            else:
                end = month_first(tb + 1).replace(day=anchor).isoformat()
                item("canceled", history[ta], "month", trial, start.isoformat(), end)
    else:
        for (_, start, end, value, _) in terms:
            start_d, end_d = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
            if start_d > last_day:
                continue  # signed, not started when exported
            if end_d >= last_day:
                item("active", value, "year", "", start, "")
            else:
                item("canceled", value, "year", "", start, (end_d + dt.timedelta(days=1)).isoformat())
    return rows


# monthly probability that an active account is reviewed ("diagnosed"), by segment
REVIEW_RATE = {"SMB": 0.25, "Mid-Market": 0.5, "Enterprise": 0.85}


def touches_and_referrals(lives):
    """touches.csv and referrals.csv rows from the accounts' active months,
    drawn from their own generator (the other files do not change)."""
    rng = random.Random(SEED + 1)
    touches, referrals = [], []
    for aid, seg, owner, months, engagement in lives:
        for t in months:
            if t >= MONTHS - 12 and rng.random() < REVIEW_RATE[seg]:
                day = month_first(t) + dt.timedelta(days=rng.randrange(0, 28))
                csm = owner if rng.random() < 0.9 else OWNERS[rng.randrange(len(OWNERS))][0]
                touches.append((aid, day.isoformat(), csm))
            if t >= MONTHS - 24 and rng.random() < 0.002 + 0.02 * engagement:
                day = month_first(t) + dt.timedelta(days=rng.randrange(0, 28))
                converted = 1 if rng.random() < 0.33 else 0
                first = float(rng.choice(PRICE[seg])) if converted else ""
                referrals.append((aid, f"lead-{len(referrals) + 1}", day.isoformat(), converted,
                                  first))
    touches.sort(key=lambda r: (r[1], r[0]))
    referrals.sort(key=lambda r: (r[2], r[0]))
    return touches, referrals


# The churn signal (see the module docstring): in the PRECHURN_MONTHS usage months before a
# month the account is not active, its key contact leaves with probability KEY_CONTACT_LEFT_P,
# EXTRA_TICKETS more support tickets on average, an open P1 ticket with probability P1_P, and
# its active users fall to a fraction ACTIVE_USERS_FALL of what they were.
PRECHURN_MONTHS = 3
KEY_CONTACT_LEFT_P = 0.15
EXTRA_TICKETS = 4.0
P1_P = 0.1
ACTIVE_USERS_FALL = (0.9, 1.0)


def months_to_gap(active, t):
    """k >= 1 such that month t + k is the first month after t the account is not active,
    within the data (None when it is active to the end of the data)."""
    for k in range(1, MONTHS - t):
        if t + k not in active:
            return k
    return None


def scale_users(row, f):
    """Usage row (a list) with its active users (and MAU, DAU, sessions and minutes, which
    follow them) scaled by f."""
    au = int(round(row[4] * f))
    ratio = au / row[4] if row[4] else 0.0
    row[4] = au
    row[5] = int(round(row[5] * ratio))
    row[6] = int(round(row[6] * ratio))
    row[9] = round(row[9] * ratio, 1)
    row[10] = au


def churn_signal(usage_rows, lives):
    """Give the usage months before a churn the signal the churn model is to find, drawn from
    their own generator after every other file is drawn (the other columns and files do not
    change).  usage_rows: lists, changed in place."""
    rng = random.Random(SEED + 2)
    active = {aid: set(months) for aid, _, _, months, _ in lives}
    for row in usage_rows:
        t = (int(row[1][:4]) - START_YEAR) * 12 + int(row[1][5:]) - 1
        k = months_to_gap(active[row[0]], t)
        if k is None or k > PRECHURN_MONTHS:
            continue
        if rng.random() < KEY_CONTACT_LEFT_P:
            row[13] = 1
        row[11] += int(rng.expovariate(1.0 / EXTRA_TICKETS) + 0.5)
        if rng.random() < P1_P:
            row[12] = 1
        scale_users(row, rng.uniform(*ACTIVE_USERS_FALL))


# The type of a touch (touches.csv's column `type`), by the account's segment: weights of
# "review", "exec_call", "training", "success_plan".
TOUCH_TYPES = ["review", "exec_call", "training", "success_plan"]
TOUCH_TYPE_WEIGHTS = {"SMB": [0.80, 0.02, 0.13, 0.05], "Mid-Market": [0.70, 0.08, 0.14, 0.08],
                      "Enterprise": [0.55, 0.20, 0.12, 0.13]}
# active users in the two usage months after a month with a training touch are scaled by
# TRAINING_LIFT (at most the activated seats): the effect an intervention analysis can find
TRAINING_LIFT = 1.1
PRODUCTS = [("Analytics", 0.50), ("Automation", 0.35), ("Platform", 0.15)]


def touch_types(touches, segment):
    """touches.csv's rows (sorted) with their type, drawn from their own generator after every
    other file is drawn (the other columns and files do not change)."""
    rng = random.Random(SEED + 3)
    return [r + (pick(rng, list(zip(TOUCH_TYPES, TOUCH_TYPE_WEIGHTS[segment[r[0]]]))),)
            for r in touches]


def training_effect(usage_rows, touches):
    """Raise the active users of the two usage months after each month with a training touch
    (TRAINING_LIFT; no random draw).  usage_rows: lists, changed in place."""
    lifted = set()
    for aid, day, _, kind in touches:
        if kind == "training":
            t = (int(day[:4]) - START_YEAR) * 12 + int(day[5:7]) - 1
            lifted.update({(aid, month_label(t + 1)), (aid, month_label(t + 2))})
    for row in usage_rows:
        if (row[0], row[1]) in lifted and row[4] > 0:
            scale_users(row, min(TRAINING_LIFT, row[3] / row[4]))


def products(accounts):
    """accounts.csv's rows with their product (PRODUCTS), drawn from their own generator after
    every other file is drawn (the other columns and files do not change)."""
    rng = random.Random(SEED + 4)
    return [a + (pick(rng, PRODUCTS),) for a in accounts]


def main(out_dir):
    rng = random.Random(SEED)
    os.makedirs(out_dir, exist_ok=True)
    accounts, mrr_rows, contracts, nps_rows, usage_rows = [], [], [], [], []
    sub_rows = []
    lives = []  # (account, segment, owner, active months, engagement): touches and referrals
    new_by_month_channel = {}
    for a in range(N_ACCOUNTS):
        aid = 10001 + a
        seg = pick(rng, SEGMENTS)
        channel = "partner" if rng.random() < (0.45 if seg == "SMB" else 0.25) else "direct"
        billing = "annual" if rng.random() < {"SMB": 0.25, "Mid-Market": 0.55, "Enterprise": 0.9}[seg] else "monthly"
        tier = rng.randrange(3)
        plan = ["Starter", "Growth", "Pro"][tier]
        region = pick(rng, [("NA", 0.45), ("EMEA", 0.3), ("APAC", 0.17), ("LATAM", 0.08)])
        owner = OWNERS[(a * 7 + rng.randrange(3)) % len(OWNERS)][0]
        # signups grow over time: later months get more accounts
        t0 = min(MONTHS - 1, int(MONTHS * math.sqrt(rng.random())))
        signup_day = month_first(t0) + dt.timedelta(days=rng.randrange(0, 28))
        engagement = min(1.0, max(0.05, rng.gauss(0.62 if seg != "SMB" else 0.55, 0.2)))
        price = float(PRICE[seg][tier])
        seats_lo, seats_hi = SEATS[seg]
        seats = rng.randint(seats_lo, seats_hi)
        accounts.append((aid, f"Account {aid}", seg, channel, plan, billing, region, owner, month_label(t0)))
        # acquisition cost of this account, booked in its signup month
        cac = {"SMB": 900, "Mid-Market": 9000, "Enterprise": 60000}[seg] * (0.8 if channel == "partner" else 1.0)
        new_by_month_channel[(t0, channel)] = new_by_month_channel.get((t0, channel), 0) + cac

        level = round(price * (1 + (seats - seats_lo) / max(1, seats_hi - seats_lo)), 2)
        history = {}  # month index -> MRR at month end

        def drift(level, engagement):
            u = rng.random()
            up = 0.012 + 0.035 * engagement
            if u < up:
                return round(level * rng.choice([1.2, 1.3, 1.5]), 2)
            if u < up + 0.02 * (1 - engagement):
                return round(level * rng.choice([0.7, 0.8]), 2)
            return level

        def month_of(day):
            return (day.year - START_YEAR) * 12 + day.month - 1

        if billing == "monthly":
            t, active, away = t0, True, 0
            while t < MONTHS:
                if active:
                    level = drift(level, engagement)
                    history[t] = level
                    engagement = min(1.0, max(0.02, engagement + rng.gauss(0, 0.04)))
                    if rng.random() < HAZARD[(seg, channel)] * (1.6 - 1.2 * engagement):
                        active, away = False, 0
                else:
                    away += 1
                    if away <= 12 and rng.random() < 0.03:  # win-back
                        active = True
                        level = round(level * rng.choice([0.8, 1.0]), 2)
                        history[t] = level
                t += 1
        else:
            term_start = signup_day
            # renewals signed before the end of the data may start up to a
            # quarter after it (they are in the CRM already)
            while month_of(term_start) < MONTHS + 3:
                term_end = term_start.replace(year=term_start.year + 1) - dt.timedelta(days=1)
                # covered months: month end inside the term
                for t in range(month_of(term_start), month_of(term_end) + 1):
                    if t < MONTHS and term_start <= month_last(t) <= term_end:
                        history[t] = level
                contracts.append((aid, term_start.isoformat(), term_end.isoformat(),
                                  round(12 * level, 2), 12))
                if month_of(term_end) >= MONTHS:
                    break  # term still running at the end of the data
                engagement = min(1.0, max(0.02, engagement + rng.gauss(0, 0.1)))
                if rng.random() < ANNUAL_LOSS[seg] * (1.6 - 1.2 * engagement):
                    # lost; a few come back a year later on a new contract
                    if rng.random() < 0.08:
                        term_start = term_end + dt.timedelta(days=rng.randrange(180, 400))
                        level = round(level * 0.9, 2)
                        continue
                    break
                late = rng.random() < 0.12
                delay = rng.randrange(20, 160) if late else rng.randrange(0, 3)
                term_start = term_end + dt.timedelta(days=1 + delay)
                for _ in range(12):
                    level = drift(level, engagement)  # priced at renewal
        active = (MONTHS - 1) in history
        sub_rows += subscription_items(aid, billing, signup_day, history,
                                       [c for c in contracts if c[0] == aid])
        for tt in sorted(history):
            mrr_rows.append((aid, month_label(tt), f"{history[tt]:.2f}"))
        # NPS: quarterly survey, 30% response; engagement drives the score
        for tq in range(t0, MONTHS, 3):
            if tq in history and rng.random() < 0.3:
                base = 3 + 8 * engagement + rng.gauss(0, 1.8)
                score = int(min(10, max(0, round(base))))
                day = month_first(tq) + dt.timedelta(days=rng.randrange(0, 28))
                nps_rows.append((aid, day.isoformat(), score))
        # usage for the last 12 months the account was active
        for tu in range(MONTHS - 12, MONTHS):
            if tu not in history:
                continue
            e = min(1.0, max(0.02, engagement + rng.gauss(0, 0.05)))
            activated = max(1, int(round(seats * min(1.0, 0.4 + 0.6 * e))))
            active_users = max(0, int(round(activated * min(1.0, 0.2 + 0.8 * e * rng.uniform(0.8, 1.0)))))
            sessions = int(active_users * rng.uniform(8, 30) * e + 0.5)
            minutes = int(sessions * rng.uniform(6, 25))
            feats = max(1, int(round(20 * min(1.0, 0.15 + 0.8 * e * rng.uniform(0.7, 1.0)))))
            mau = active_users
            dau = round(mau * min(1.0, 0.05 + 0.6 * e * rng.uniform(0.6, 1.0)), 1)
            tickets = int(rng.expovariate(1.0 / (1 + 4 * (1 - e))) + 0.5)
            p1 = 1 if rng.random() < 0.02 + 0.06 * (1 - e) else 0
            contact_left = 1 if rng.random() < 0.01 else 0
            usage_rows.append([aid, month_label(tu), seats, activated, active_users, sessions, minutes,
                               feats, 20, dau, mau, tickets, p1, contact_left])
        lives.append((aid, seg, owner, sorted(history), engagement))

    spend_rows = []
    for t in range(MONTHS):
        for ch in ("direct", "partner"):
            cost = new_by_month_channel.get((t, ch), 0)
            spend_rows.append((month_label(t), ch, round(cost * rng.uniform(0.85, 1.15), 2)))

    touch_rows, referral_rows = touches_and_referrals(lives)
    churn_signal(usage_rows, lives)
    touch_rows = touch_types(touch_rows, {a[0]: a[2] for a in accounts})
    training_effect(usage_rows, touch_rows)
    accounts = products(accounts)

    def write(name, header, rows):
        with open(os.path.join(out_dir, name), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    write("accounts.csv", ["account_id", "name", "segment", "channel", "plan", "billing", "region",
                           "owner", "signup_month", "product"], accounts)
    write("mrr.csv", ["customer_id", "month", "mrr"], mrr_rows)
    write("contracts.csv", ["customer_id", "start_date", "end_date", "value", "interval_months"],
          sorted(contracts, key=lambda r: (r[0], r[1])))
    write("nps.csv", ["customer_id", "date", "score"], nps_rows)
    write("usage.csv", ["account_id", "month", "licensed_seats", "activated_seats", "active_users",
                        "sessions", "minutes", "features_used", "features_available", "dau", "mau",
                        "support_tickets", "open_p1_tickets", "key_contact_left"], usage_rows)
    write("spend.csv", ["month", "channel", "spend"], spend_rows)
    write("owners.csv", ["owner", "name"], OWNERS)
    write("subscriptions.csv", ["subscription_id", "customer_id", "status", "amount", "currency",
                                "interval", "interval_count", "quantity", "discount_percent",
                                "discount_amount", "trial_end", "start_date", "canceled_at",
                                "ended_at"], sub_rows)
    write("touches.csv", ["customer_id", "date", "csm", "type"], touch_rows)
    write("referrals.csv", ["referrer_id", "referred_id", "date", "converted", "first_mrr"],
          referral_rows)
    print(f"demo company: {len(accounts)} accounts, {len(mrr_rows)} MRR rows, {len(contracts)} contracts, "
          f"{len(nps_rows)} NPS responses, {len(usage_rows)} usage rows, {len(sub_rows)} subscription "
          f"items -> {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join("examples", "data", "demo"))
