-- libcsmetrics: nps (postgres); docs/sql.md
WITH agg AS (
  SELECT grp AS g,
    SUM(CASE WHEN score >= 9 THEN CAST(weight AS DOUBLE PRECISION) ELSE 0 END) AS np,
    SUM(CASE WHEN score >= 7 AND score <= 8 THEN CAST(weight AS DOUBLE PRECISION) ELSE 0 END) AS nq,
    SUM(CASE WHEN score <= 6 THEN CAST(weight AS DOUBLE PRECISION) ELSE 0 END) AS nd,
    SUM(CAST(weight AS DOUBLE PRECISION)) AS n, SUM(CAST(weight AS DOUBLE PRECISION) * CAST(weight AS DOUBLE PRECISION)) AS n2
  FROM responses
  GROUP BY 1
),
shares AS (
  SELECT g, np, nq, nd, COALESCE(n, 0) AS n, n * n / NULLIF(n2, 0) AS neff,
    np / NULLIF(n, 0) AS p, nq / NULLIF(n, 0) AS q, nd / NULLIF(n, 0) AS d
  FROM agg
),
se AS (
  SELECT shares.*, 100 * (p - d) AS nps,
    100 * SQRT(GREATEST(p + d - (p - d) * (p - d), 0) / neff) AS se
  FROM shares
)
SELECT g AS "group", nps AS "nps", p AS "promoters", q AS "passives", d AS "detractors",
  CASE WHEN n > 0 THEN np END AS "n_promoters", CASE WHEN n > 0 THEN nq END AS "n_passives", CASE WHEN n > 0 THEN nd END AS "n_detractors", n AS "n", neff AS "n_effective", se AS "se",
  GREATEST(nps - 1.6448536269514715 * se, -100) AS "ci_low", LEAST(nps + 1.6448536269514715 * se, 100) AS "ci_high", 0.90000000000000002 AS "confidence"
FROM se
ORDER BY g
