-- libcsmetrics: movements (duckdb); docs/sql.md
WITH RECURSIVE
src AS (
  SELECT customer_id AS cid, (CAST(EXTRACT(YEAR FROM month) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM month) AS INTEGER) - 1) AS mon,
    CAST(mrr AS DOUBLE) AS mrr, segment AS seg
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
  SELECT lo + 0 AS mon FROM bounds WHERE lo + 0 <= hi
  UNION ALL
  SELECT months.mon + 1 FROM months CROSS JOIN bounds WHERE months.mon < bounds.hi
),
ev AS (
  SELECT mon, k, mrr AS close_mrr, 1 AS close_c, CAST(0 AS DOUBLE) AS open_mrr, 0 AS open_c,
    CASE WHEN pmon IS NULL OR (0 > 0 AND pmon < mon - 1 AND mon - pmon - 1 > 0)
      THEN mrr ELSE 0 END AS new_mrr,
    CASE WHEN pmon IS NULL OR (0 > 0 AND pmon < mon - 1 AND mon - pmon - 1 > 0)
      THEN 1 ELSE 0 END AS new_c,
    CASE WHEN pmon < mon - 1 AND (0 = 0 OR mon - pmon - 1 <= 0)
      THEN mrr ELSE 0 END AS react_mrr,
    CASE WHEN pmon < mon - 1 AND (0 = 0 OR mon - pmon - 1 <= 0)
      THEN 1 ELSE 0 END AS react_c,
    CASE WHEN (pmon = mon - 1 AND pk = k) AND mrr - pmrr > 0 THEN mrr - pmrr ELSE 0 END AS exp_mrr,
    CASE WHEN (pmon = mon - 1 AND pk = k) AND mrr - pmrr > 0 THEN 1 ELSE 0 END AS exp_c,
    CASE WHEN (pmon = mon - 1 AND pk = k) AND pmrr - mrr > 0 THEN pmrr - mrr ELSE 0 END AS contr_mrr,
    CASE WHEN (pmon = mon - 1 AND pk = k) AND pmrr - mrr > 0 THEN 1 ELSE 0 END AS contr_c,
    CASE WHEN (pmon = mon - 1 AND pk = k) AND mrr <> pmrr AND ABS(mrr - pmrr) <= 0
      THEN mrr - pmrr ELSE 0 END AS adj_mrr,
    CAST(0 AS DOUBLE) AS churn_mrr, 0 AS churn_c,
    CASE WHEN pmon = mon - 1 AND pk <> k THEN mrr ELSE 0 END AS segin_mrr,
    CASE WHEN pmon = mon - 1 AND pk <> k THEN 1 ELSE 0 END AS segin_c,
    CAST(0 AS DOUBLE) AS segout_mrr, 0 AS segout_c
  FROM seq
  UNION ALL
  SELECT mon + 1, k, 0, 0, mrr, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    CASE WHEN nmon IS NULL OR nmon > mon + 1 THEN mrr ELSE 0 END,
    CASE WHEN nmon IS NULL OR nmon > mon + 1 THEN 1 ELSE 0 END,
    0, 0, 0, 0
  FROM seq
  UNION ALL
  SELECT mon, pk, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, pmrr, 1
  FROM seq WHERE pmon = mon - 1 AND pk <> k
),
agg AS (
  SELECT g.mon, gk.k,
    COALESCE(SUM(e.open_mrr), 0) AS open_mrr, COALESCE(SUM(e.open_c), 0) AS open_c,
    COALESCE(SUM(e.new_mrr), 0) AS new_mrr, COALESCE(SUM(e.new_c), 0) AS new_c,
    COALESCE(SUM(e.react_mrr), 0) AS react_mrr, COALESCE(SUM(e.react_c), 0) AS react_c,
    COALESCE(SUM(e.exp_mrr), 0) AS exp_mrr, COALESCE(SUM(e.exp_c), 0) AS exp_c,
    COALESCE(SUM(e.contr_mrr), 0) AS contr_mrr, COALESCE(SUM(e.contr_c), 0) AS contr_c,
    COALESCE(SUM(e.churn_mrr), 0) AS churn_mrr, COALESCE(SUM(e.churn_c), 0) AS churn_c,
    COALESCE(SUM(e.adj_mrr), 0) AS adj_mrr,
    COALESCE(SUM(e.segin_mrr), 0) AS segin_mrr, COALESCE(SUM(e.segin_c), 0) AS segin_c,
    COALESCE(SUM(e.segout_mrr), 0) AS segout_mrr, COALESCE(SUM(e.segout_c), 0) AS segout_c,
    COALESCE(SUM(e.close_mrr), 0) AS close_mrr, COALESCE(SUM(e.close_c), 0) AS close_c
  FROM months g CROSS JOIN keys gk
  LEFT JOIN ev e ON e.mon = g.mon AND e.k = gk.k
  GROUP BY g.mon, gk.k
)
SELECT MAKE_DATE(CAST((mon - MOD(mon, 12)) / 12 AS INTEGER), CAST(MOD(mon, 12) AS INTEGER) + 1, 1) AS "month", k AS "segment",
  open_mrr AS "opening_mrr", new_mrr AS "new", react_mrr AS "reactivation", exp_mrr AS "expansion", contr_mrr AS "contraction", churn_mrr AS "churn", adj_mrr AS "adjustment", segin_mrr AS "segment_in", segout_mrr AS "segment_out",
  new_mrr + react_mrr + exp_mrr - contr_mrr - churn_mrr + adj_mrr + segin_mrr - segout_mrr AS "net_new", close_mrr AS "closing_mrr",
  open_c AS "opening_customers", close_c AS "customers", new_c AS "new_customers", react_c AS "reactivated_customers", exp_c AS "expanded_customers", contr_c AS "contracted_customers", churn_c AS "churned_customers", segin_c AS "segment_in_customers", segout_c AS "segment_out_customers",
  CAST(churn_c AS DOUBLE) / NULLIF(open_c + new_c + react_c, 0) AS "customer_churn_rate",
  (churn_mrr + contr_mrr) / NULLIF(open_mrr, 0) AS "gross_mrr_churn_rate",
  ((churn_mrr + contr_mrr) - (exp_mrr + react_mrr)) / NULLIF(open_mrr, 0) AS "net_mrr_churn_rate",
  (new_mrr + react_mrr + exp_mrr) / NULLIF(contr_mrr + churn_mrr, 0) AS "quick_ratio",
  close_mrr / NULLIF(CAST(close_c AS DOUBLE), 0) AS "arpa", 12 * close_mrr AS "arr"
FROM agg
ORDER BY mon, k
