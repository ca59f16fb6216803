#!/usr/bin/env bash
# csm_movements against the same definitions written as plain SQL window
# queries, on the same PostgreSQL 15 server (not part of make test; make
# bench-postgres).  Usage:
#   bench_movements.sh BUILD_DIR [CUSTOMERS] [MONTHS]
# (default 1000000 customers x 36 months).  A throwaway cluster with the
# built extension (extensions/postgres/test/cluster.sh), one table
# `ledger` (customer_id bigint, month date, period int, mrr float8) with
# gaps (churn, reactivation) and price changes (expansion, contraction),
# then each contender once, timed by psql's \timing, results stored in
# tables; the script then checks that both give the same movements.
set -euo pipefail
build=$(cd "$1" && pwd)
customers=${2:-1000000}
months=${3:-36}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../extensions/postgres/test/cluster.sh"
csm_pg_cluster "$build/extensions/postgres" work_mem=1GB maintenance_work_mem=1GB \
  shared_buffers=2GB max_parallel_workers_per_gather=2 max_wal_size=8GB
psql=("${runas[@]}" "$bindir/psql" -h "$sock" -U postgres -X -q -v ON_ERROR_STOP=1 -d postgres)

"${psql[@]}" <<SQL
\timing on
CREATE EXTENSION csmetrics;
\echo generating ${customers} customers x ${months} months
-- customer c is active from month c % 6 on, except when (7c + 3m) % 17 = 0
-- (a gap: churn, then a reactivation), at 50 + 10 (c % 20), plus 25 in the
-- months where (c + m) % 9 = 0 (an expansion, then a contraction)
CREATE UNLOGGED TABLE ledger AS
SELECT c AS customer_id, (date '2022-01-01' + make_interval(months => m))::date AS month,
       24264 + m AS period,
       (50 + (c % 20) * 10 + CASE WHEN (c + m) % 9 = 0 THEN 25 ELSE 0 END)::float8 AS mrr
FROM generate_series(1::bigint, ${customers}) c, generate_series(0, ${months} - 1) m
WHERE m >= c % 6 AND (7 * c + 3 * m) % 17 <> 0;
VACUUM ANALYZE ledger;
SELECT count(*) AS rows, count(DISTINCT customer_id) AS customers FROM ledger;
\echo csm_movements
CREATE UNLOGGED TABLE ext AS
SELECT * FROM csm_movements('SELECT customer_id, month, mrr FROM ledger');
\echo plain SQL window queries
CREATE UNLOGGED TABLE sql AS
WITH ev AS (
  SELECT customer_id, period, mrr,
         lag(period) OVER w AS prev_period, lag(mrr) OVER w AS prev_mrr,
         lead(period) OVER w AS next_period
  FROM ledger WINDOW w AS (PARTITION BY customer_id ORDER BY period)),
s AS (
  SELECT period AS month,
    sum(CASE WHEN prev_period IS NULL THEN mrr ELSE 0 END) AS new,
    sum(CASE WHEN prev_period < period - 1 THEN mrr ELSE 0 END) AS reactivation,
    sum(CASE WHEN prev_period = period - 1 AND mrr > prev_mrr THEN mrr - prev_mrr ELSE 0 END) AS expansion,
    sum(CASE WHEN prev_period = period - 1 AND mrr < prev_mrr THEN prev_mrr - mrr ELSE 0 END) AS contraction,
    count(*) FILTER (WHERE prev_period IS NULL) AS new_customers,
    sum(mrr) AS closing_mrr, count(*) AS customers
  FROM ev GROUP BY period),
c AS (
  SELECT period + 1 AS month, sum(mrr) AS churn, count(*) AS churned_customers
  FROM ev WHERE (next_period IS NULL OR next_period > period + 1)
    AND period < (SELECT max(period) FROM ledger)
  GROUP BY period + 1)
SELECT s.month, coalesce(p.closing_mrr, 0) AS opening_mrr, s.new, s.reactivation,
       s.expansion, s.contraction, coalesce(c.churn, 0) AS churn, s.closing_mrr,
       s.customers, s.new_customers, coalesce(c.churned_customers, 0) AS churned_customers
FROM s LEFT JOIN s AS p ON p.month = s.month - 1 LEFT JOIN c ON c.month = s.month;
\timing off
-- the same movements: the largest relative difference of any figure
SELECT count(*) AS months,
       max(greatest(abs(e.new - q.new), abs(e.reactivation - q.reactivation),
                    abs(e.expansion - q.expansion), abs(e.contraction - q.contraction),
                    abs(e.churn - q.churn), abs(e.closing_mrr - q.closing_mrr))
           / greatest(e.closing_mrr, 1)) AS max_rel_diff,
       bool_and(e.customers = q.customers AND e.new_customers = q.new_customers
                AND e.churned_customers = q.churned_customers) AS counts_equal
FROM ext e JOIN sql q ON q.month = extract(year FROM e.month) * 12 + extract(month FROM e.month) - 1;
SQL
