-- libcsmetrics: cohorts (postgres); docs/sql.md
WITH RECURSIVE
src AS (
  SELECT customer_id AS cid, (CAST(EXTRACT(YEAR FROM month) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM month) AS INTEGER) - 1) AS mon,
    CAST(mrr AS DOUBLE PRECISION) AS mrr, 0 AS seg
  FROM mrr
),
act AS (
  SELECT cid, mon, SUM(mrr) AS mrr, MIN(seg) AS seg, 0 AS k
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
  SELECT lo + 0 AS mon FROM bounds WHERE lo + 0 <= hi
  UNION ALL
  SELECT months.mon + 1 FROM months CROSS JOIN bounds WHERE months.mon < bounds.hi
),
firsts AS (SELECT cid, MIN(mon) AS k0 FROM act GROUP BY cid),
members AS (
  SELECT f.cid, f.k0, 0 AS k FROM firsts f
  JOIN act a ON a.cid = f.cid AND a.mon = f.k0
),
cohorts AS (SELECT k0, k, COUNT(*) AS size FROM members GROUP BY k0, k),
occ AS (
  SELECT m.k0, m.k, a.mon, COUNT(*) AS n_c, SUM(a.mrr) AS n_mrr
  FROM members m JOIN act a ON a.cid = m.cid
  GROUP BY m.k0, m.k, a.mon
),
cells AS (
  SELECT h.k0, h.k, h.size, g.mon - h.k0 AS age,
    COALESCE(o.n_c, 0) AS n_c, COALESCE(o.n_mrr, 0) AS n_mrr
  FROM cohorts h JOIN months g ON g.mon >= h.k0 AND g.mon - h.k0 <= 24
  LEFT JOIN occ o ON o.k0 = h.k0 AND o.k = h.k AND o.mon = g.mon
)
SELECT MAKE_DATE(CAST((x.k0 - MOD(x.k0, 12)) / 12 AS INTEGER), CAST(MOD(x.k0, 12) AS INTEGER) + 1, 1) AS "cohort", CAST(NULL AS INTEGER) AS "segment", x.age AS "age", x.size AS "size",
  x.n_c AS "customers", x.n_mrr AS "mrr",
  CAST(x.n_c AS DOUBLE PRECISION) / NULLIF(y.n_c, 0) AS "customers_frac", x.n_mrr / NULLIF(y.n_mrr, 0) AS "mrr_frac"
FROM cells x LEFT JOIN cells y ON y.k0 = x.k0 AND y.k = x.k AND y.age = 1
ORDER BY x.k0, x.k, x.age
