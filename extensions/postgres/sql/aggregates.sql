-- The survey aggregates: values from tests/test-nps.c (worked by hand
-- there), GROUP BY, window use, NULLs, and the errors of bad scores.
SET datestyle = ISO;
CREATE EXTENSION csmetrics;
SET extra_float_digits = 0;

-- test_nps_issue_example: 45 promoters, 30 passives, 25 detractors:
-- NPS 100 x (0.45 - 0.25) = 20, SE 100 sqrt(0.0066) = 8.124038404635959,
-- 95% interval 20 -/+ 1.959963985 x SE = [4.077177318, 35.922822682]
CREATE TABLE survey AS
SELECT CASE WHEN i <= 45 THEN 9 + i % 2 WHEN i <= 75 THEN 7 + i % 2 ELSE i % 7 END AS score,
       i % 2 AS grp
FROM generate_series(1, 100) i;
SELECT csm_nps(score) FROM survey;
SELECT (r).nps, round((r).stderr::numeric, 12) AS stderr,
       round((r).lower::numeric, 9) AS lower, round((r).upper::numeric, 9) AS upper, (r).n
FROM (SELECT csm_nps_ci(score, 0.95) AS r FROM survey) s;
-- GROUP BY: odd i (grp 1): promoters 23 (i = 1..45 odd), passives 15,
-- detractors 12 of 50 -> 100 x (23 - 12) / 50 = 22; even: 22, 15, 13 -> 18
SELECT grp, csm_nps(score) FROM survey GROUP BY grp ORDER BY grp;
-- NULL scores are skipped; no rows gives NULL
SELECT csm_nps(s) FROM (VALUES (10), (NULL), (0)) v(s);
SELECT csm_nps(score) IS NULL AS empty FROM survey WHERE false;
-- window aggregate: running NPS over 10, 0, 9, 7 = 100, 0, 33.3.., 25
SELECT i, round(csm_nps(s) OVER (ORDER BY i)::numeric, 6) AS running
FROM (VALUES (1, 10), (2, 0), (3, 9), (4, 7)) v(i, s);

-- test_csat: 5 4 3 5 2 4 4 1 5 3 on 1..5, top box >= 4: 6 of 10 = 0.6;
-- top box 5 only: 3 of 10 = 0.3
CREATE TABLE csat(score int);
INSERT INTO csat VALUES (5), (4), (3), (5), (2), (4), (4), (1), (5), (3);
SELECT csm_csat(score) FROM csat;
SELECT csm_csat(score, 1, 5, 5) FROM csat;
-- test_ces: 2 3 4 5 1 on 1..7: mean 3
SELECT csm_ces(s) FROM (VALUES (2), (3), (4), (5), (1)) v(s);
SELECT csm_ces(s, 0, 10) FROM (VALUES (0), (10)) v(s);

-- bad input: the library's message, SQLSTATE 22023 (invalid parameter)
SELECT csm_nps(s) FROM (VALUES (10), (11)) v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT csm_csat(s) FROM (VALUES (6)) v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT csm_csat(s, 1, 5, 9) FROM (VALUES (3)) v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT csm_ces(s) FROM (VALUES (0)) v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT csm_nps_ci(s, 1.5) FROM (VALUES (3)) v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT csm_nps_ci(s, NULL) FROM (VALUES (3)) v(s);
\echo :LAST_ERROR_SQLSTATE
