-- libcsmetrics: renewals (snowflake); docs/sql.md
WITH src AS (
  SELECT cid, s, e, v, g,
    ROW_NUMBER() OVER (ORDER BY cid, s, e, contract_id) AS rn
  FROM (
    SELECT account_id AS cid, DATEDIFF(day, DATE '1970-01-01', starts_on) AS s,
      DATEDIFF(day, DATE '1970-01-01', ends_on) AS e,
      CAST(tcv AS DOUBLE) AS v, segment AS g, contract_id
    FROM crm.contracts
  ) x
),
par AS (
  SELECT j.rn, i.rn AS prn,
    ROW_NUMBER() OVER (PARTITION BY j.rn ORDER BY i.s, i.e, i.rn) AS k
  FROM src j JOIN src i ON i.cid = j.cid AND i.s < j.s AND j.e <= i.e
),
ups AS (SELECT rn, prn FROM par WHERE k = 1),
nonup AS (
  SELECT c.* FROM src c LEFT JOIN ups u ON u.rn = c.rn WHERE u.rn IS NULL
),
due AS (SELECT * FROM nonup WHERE e >= 20089 AND e <= 20453),
cand AS (
  SELECT d.rn, r.rn AS mrn, r.s - (d.e + 1) AS gap,
    ROW_NUMBER() OVER (PARTITION BY d.rn ORDER BY r.s, r.e, r.rn) AS k
  FROM due d JOIN nonup r ON r.cid = d.cid AND r.s > d.s AND r.e > d.e
),
oc AS (
  SELECT d.rn, d.s, d.e, d.v, d.g, m.mrn,
    CASE WHEN m.mrn IS NULL THEN
      CASE WHEN CAST(d.e AS BIGINT) + 1 + 30 > 20269 THEN 5 ELSE 3 END
    WHEN m.gap <= 30 THEN 1 ELSE 2 END AS oc
  FROM due d LEFT JOIN cand m ON m.rn = d.rn AND m.k = 1
),
sh AS (
  SELECT o.*, r.v AS rv, r.e - r.s + 1 AS rterm,
    SUM(o.v) OVER (PARTITION BY o.mrn) AS sden,
    COUNT(*) OVER (PARTITION BY o.mrn) AS nm
  FROM oc o LEFT JOIN src r ON r.rn = o.mrn
),
up AS (
  SELECT u.prn, SUM(c.v * CAST(p.e - p.s + 1 AS DOUBLE) / CAST(c.e - c.s + 1 AS DOUBLE)) AS uv
  FROM ups u JOIN src c ON c.rn = u.rn JOIN src p ON p.rn = u.prn
  GROUP BY u.prn
),
pc AS (
  SELECT x.g, x.oc, x.v, COALESCE(up.uv, 0) AS uv,
    CASE WHEN x.oc IN (1, 2) THEN x.rv * CAST(x.e - x.s + 1 AS DOUBLE) / CAST(x.rterm AS DOUBLE)
      * CASE WHEN x.sden > 0 THEN x.v / x.sden ELSE 1 / CAST(x.nm AS DOUBLE) END
    ELSE 0 END AS cv
  FROM sh x LEFT JOIN up ON up.prn = x.rn
),
agg AS (
  SELECT g, COUNT(oc) AS due,
    COALESCE(SUM(CASE WHEN oc IN (1, 2) THEN 1 ELSE 0 END), 0) AS renewed,
    COALESCE(SUM(CASE WHEN oc = 2 THEN 1 ELSE 0 END), 0) AS late,
    COALESCE(SUM(CASE WHEN oc = 3 THEN 1 ELSE 0 END), 0) AS churned,
    COALESCE(SUM(CASE WHEN oc = 5 THEN 1 ELSE 0 END), 0) AS pending,
    COALESCE(SUM(v), 0) + COALESCE(SUM(uv), 0) AS due_value,
    COALESCE(SUM(CASE WHEN oc IN (1, 2) THEN cv ELSE 0 END), 0) + COALESCE(SUM(uv), 0) AS renewed_value,
    COALESCE(SUM(CASE WHEN oc = 2 THEN cv ELSE 0 END), 0) AS late_value,
    COALESCE(SUM(CASE WHEN oc = 3 THEN v ELSE 0 END), 0) AS churned_value,
    COALESCE(SUM(uv), 0) AS upsell_value,
    COALESCE(SUM(CASE WHEN oc = 5 THEN v ELSE 0 END), 0) AS pending_value
  FROM pc
  GROUP BY g
)
SELECT g AS "group",
  due AS "due", renewed AS "renewed", late AS "late", churned AS "churned", due_value AS "due_value",
  renewed_value AS "renewed_value", late_value AS "late_value", churned_value AS "churned_value", upsell_value AS "upsell_value",
  CAST(renewed AS DOUBLE) / NULLIF(due, 0) AS "logo_renewal_rate",
  renewed_value / NULLIF(due_value, 0) AS "dollar_renewal_rate",
  pending AS "pending", pending_value AS "pending_value"
FROM agg
ORDER BY g
