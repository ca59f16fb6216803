-- libcsmetrics: retention (bigquery); docs/sql.md
WITH RECURSIVE
src AS (
  SELECT customer_id AS cid, (CAST(EXTRACT(YEAR FROM month) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM month) AS INTEGER) - 1) AS mon,
    CAST(mrr AS FLOAT64) AS mrr, segment AS seg
  FROM mrr
),
act AS (
  SELECT cid, mon, SUM(mrr) AS mrr, MIN(seg) AS seg, MIN(seg) AS k
  FROM src GROUP BY cid, mon HAVING SUM(mrr) > 0
),
bounds AS (SELECT MIN(mon) AS lo, MAX(mon) AS hi FROM act),
keys AS (SELECT DISTINCT k FROM act),
seq AS (
  SELECT cid, mon, mrr, seg, k,
    LAG(mon) OVER (PARTITION BY cid ORDER BY mon) AS pmon,
    LAG(mrr) OVER (PARTITION BY cid ORDER BY mon) AS pmrr,
    LAG(seg) OVER (PARTITION BY cid ORDER BY mon) AS pseg,
    LAG(k) OVER (PARTITION BY cid ORDER BY mon) AS pk,
    LEAD(mon) OVER (PARTITION BY cid ORDER BY mon) AS nmon
  FROM act
),
months AS (
  SELECT lo + 3 AS mon FROM bounds WHERE lo + 3 <= hi
  UNION ALL
  SELECT months.mon + 1 FROM months CROSS JOIN bounds WHERE months.mon < bounds.hi
),
loss AS (
  SELECT cid, mon, pmrr - mrr AS amt FROM seq WHERE pmon = mon - 1 AND mrr < pmrr
  UNION ALL
  SELECT cid, mon + 1, mrr FROM seq WHERE nmon IS NULL OR nmon > mon + 1
),
react AS (SELECT cid, mon, mrr AS amt FROM seq WHERE pmon < mon - 1),
base AS (
  SELECT a.cid, a.mon AS t0, a.mon + 3 AS t1, a.k, a.mrr AS m0,
    COALESCE(e.mrr, 0) AS m1, CASE WHEN e.mrr IS NULL THEN 0 ELSE 1 END AS kept
  FROM act a CROSS JOIN bounds
  LEFT JOIN act e ON e.cid = a.cid AND e.mon = a.mon + 3
  WHERE a.mon + 3 <= bounds.hi
),
rsum AS (
  SELECT b.cid, b.t0, SUM(r.amt) AS amt FROM base b
  JOIN react r ON r.cid = b.cid AND r.mon > b.t0 AND r.mon <= b.t1
  GROUP BY b.cid, b.t0
),
lsum AS (
  SELECT b.cid, b.t0, SUM(l.amt) AS amt FROM base b
  JOIN loss l ON l.cid = b.cid AND l.mon > b.t0 AND l.mon <= b.t1
  GROUP BY b.cid, b.t0
),
terms AS (
  SELECT b.cid, b.t1, b.k, b.m0, b.m1, b.kept,
    COALESCE(rs.amt, 0) AS react_amt, COALESCE(ls.amt, 0) AS loss_amt
  FROM base b
  LEFT JOIN rsum rs ON rs.cid = b.cid AND rs.t0 = b.t0
  LEFT JOIN lsum ls ON ls.cid = b.cid AND ls.t0 = b.t0
),
agg AS (
  SELECT g.mon AS t1, gk.k,
    COUNT(t.cid) AS base_c, COALESCE(SUM(t.kept), 0) AS kept_c,
    COALESCE(SUM(t.m0), 0) AS base_mrr, COALESCE(SUM(t.m1), 0) AS end_mrr,
    COALESCE(SUM(t.react_amt), 0) AS react_mrr,
    COALESCE(SUM(GREATEST(t.m0 - t.loss_amt, 0)), 0) AS grr_num,
    COALESCE(SUM(GREATEST(t.m1 - t.react_amt, 0)), 0) AS nrr_num
  FROM months g CROSS JOIN keys gk
  LEFT JOIN terms t ON t.t1 = g.mon AND t.k = gk.k
  GROUP BY g.mon, gk.k
)
SELECT DATE(CAST((t1 - MOD(t1, 12)) / 12 AS INTEGER), CAST(MOD(t1, 12) AS INTEGER) + 1, 1) AS `end_month`, k AS `segment`, DATE(CAST(((t1 - 3) - MOD((t1 - 3), 12)) / 12 AS INTEGER), CAST(MOD((t1 - 3), 12) AS INTEGER) + 1, 1) AS `start_month`,
  base_c AS `base_customers`, kept_c AS `retained_customers`, base_mrr AS `base_mrr`, grr_num AS `retained_mrr`, end_mrr AS `end_mrr`, react_mrr AS `reactivation_mrr`,
  grr_num / NULLIF(base_mrr, 0) AS `grr`, nrr_num / NULLIF(base_mrr, 0) AS `nrr`,
  CAST(kept_c AS FLOAT64) / NULLIF(base_c, 0) AS `logo_retention`
FROM agg
ORDER BY t1, k
