-- The set-returning functions on the worked ledger fixture of
-- tests/test-ledger.c (months M0..M5 = 2024-01..2024-06):
--   cust seg   M0   M1   M2   M3   M4   M5
--   A     1   100  100  150  150  120  120   expansion M2, contraction M4
--   B     1   200  200    -    -    -    -   churn M2
--   C     2     -   50   50    -   80   80   new M1, churn M3, back M4 (away 1)
--   D     2   300    -    -    -  300  300   churn M1, back M4 (away 3)
--   E    1/2  100  100  100  100  100  100   M0 as two rows 40 + 60; seg 2 from M3
--   F     2     -    -    -   90   90   90   new M3
--   total MRR: M0 700, M1 450, M2 300, M3 340, M4 690, M5 690
SET datestyle = ISO;
SET extra_float_digits = 0;
CREATE TABLE fx (customer_id text, month date, mrr float8, segment text);
INSERT INTO fx VALUES
 ('A','2024-01-01',100,'1'),('A','2024-02-01',100,'1'),('A','2024-03-01',150,'1'),
 ('A','2024-04-01',150,'1'),('A','2024-05-01',120,'1'),('A','2024-06-01',120,'1'),
 ('B','2024-01-01',200,'1'),('B','2024-02-01',200,'1'),
 ('C','2024-02-01',50,'2'),('C','2024-03-01',50,'2'),('C','2024-05-01',80,'2'),('C','2024-06-01',80,'2'),
 ('D','2024-01-01',300,'2'),('D','2024-05-01',300,'2'),('D','2024-06-01',300,'2'),
 ('E','2024-01-01',40,'1'),('E','2024-01-01',60,'1'),('E','2024-02-01',100,'1'),('E','2024-03-01',100,'1'),
 ('E','2024-04-01',100,'2'),('E','2024-05-01',100,'2'),('E','2024-06-01',100,'2'),
 ('F','2024-04-01',90,'2'),('F','2024-05-01',90,'2'),('F','2024-06-01',90,'2');

-- test_movements_fixture: M0 new 700 (4 customers), ARPA 175, ARR 8400;
-- M1 new 50, churn 300, churn rate 1/4; M2 expansion 50, churn 200,
-- quick ratio 50/200; M3 new 90, churn 50, churn rate 1/3, quick ratio 1.8;
-- M4 contraction 30, reactivation 380 (C 80 + D 300); M5 no change.
SELECT month, opening_mrr, new, reactivation, expansion, contraction, churn,
       closing_mrr, customers, new_customers, churned_customers,
       round(customer_churn_rate::numeric, 6) AS churn_rate,
       round(quick_ratio::numeric, 6) AS quick_ratio, arpa, arr, segment
FROM csm_movements('SELECT customer_id, month, mrr FROM fx');
-- test_movements_window: window 2: C (away 1) reactivates 80, D (away 3) new 300
SELECT month, new, reactivation
FROM csm_movements('SELECT customer_id, month, mrr FROM fx', '{"reactivation_window": 2}')
WHERE month = '2024-05-01';
-- test_movements_segments: M0 segment 1 new A100 + B200 + E100 = 400,
-- segment 2 new D 300; E switches 1 -> 2 in M3 (segment_out / segment_in 100)
SELECT month, segment, new, segment_in, segment_out, closing_mrr
FROM csm_movements('SELECT customer_id, month, mrr, segment FROM fx', '{"by_segment": true}')
WHERE month IN ('2024-01-01', '2024-04-01') ORDER BY month, segment;

-- test_retention_fixture, window 3: t1 M3: base 700 (4), GRR 200/700,
-- NRR 250/700, logo 2/4; t1 M4: GRR 250/450, NRR 300/450, logo 3/4;
-- t1 M5: GRR 0.9, NRR 1, logo 1
SELECT start_month, end_month, base_customers, base_mrr,
       round(grr::numeric, 9) AS grr, round(nrr::numeric, 9) AS nrr, logo_retention
FROM csm_retention('SELECT customer_id, month, mrr FROM fx', 3);
SELECT round(200.0 / 700, 9) AS grr_m3, round(250.0 / 700, 9) AS nrr_m3,
       round(250.0 / 450, 9) AS grr_m4, round(300.0 / 450, 9) AS nrr_m4;

-- cohorts: M0 cohort A B D E (700); at age 1 A B E remain (3 of 4, MRR
-- 400 = 4/7 of 700), at age 2 A E (2 of 4, MRR 150 + 100 = 250 = 5/14)
SELECT cohort, age, customers, mrr, customers_frac, mrr_frac
FROM csm_cohorts('SELECT customer_id, month, mrr FROM fx')
WHERE cohort = '2024-01-01' AND age <= 2 ORDER BY age;

-- Kaplan-Meier of the first lifetimes (csm_lifetimes_from_ledger):
-- A 6 (censored), B 2 (churn), C 2 (churn), D 1 (churn), E 6 (censored),
-- F 3 (censored).  S(1) = 5/6; S(2) = 5/6 x (1 - 2/5) = 0.5
SELECT time, at_risk, events, censored, round(survival::numeric, 9) AS survival
FROM csm_kaplan_meier('SELECT customer_id, month, mrr FROM fx');

-- renewals: A's annual contract 2023-01-01..2023-12-31 renewed on 2024-01-01,
-- B's not renewed: due 2, renewed 1, churned 1, logo rate 0.5
SELECT due, renewed, churned, due_value, renewed_value, logo_renewal_rate
FROM csm_renewals($$SELECT * FROM (VALUES
    ('A', date '2023-01-01', date '2023-12-31', 1200.0, 12),
    ('A', date '2024-01-01', date '2024-12-31', 1200.0, 12),
    ('B', date '2023-01-01', date '2023-12-31', 2400.0, 12)) c$$,
    '2023-12-01', '2023-12-31', '{"as_of": "2025-01-01"}');

-- health: a linear measure 0..1 scored 0..100; bands red < 50 <= green
SELECT account, score, band
FROM csm_health_score('{"name": "t", "bands": [{"name": "red", "min": 0},
                         {"name": "green", "min": 50}],
                        "groups": [{"name": "g", "weight": 1, "measures": [
                         {"name": "usage", "weight": 1, "direction": "higher",
                          "transform": {"type": "linear", "min": 0, "max": 1}}]}]}',
                      $$SELECT * FROM (VALUES ('acme', 0.8), ('initech', 0.25), ('hooli', NULL)) v(account, usage)$$)
ORDER BY account;

-- integer customer ids are taken as ids without a dictionary: the same
-- movements as the text labels give (A..F -> 65..70), and ids come back
-- as their decimal text
SELECT count(*) AS differing_rows FROM (
  SELECT * FROM csm_movements('SELECT ascii(customer_id), month, mrr, segment FROM fx', '{"by_segment": true}')
  EXCEPT
  SELECT * FROM csm_movements('SELECT customer_id, month, mrr, segment FROM fx', '{"by_segment": true}')) d;
SELECT count(*) AS rows FROM csm_movements('SELECT ascii(customer_id), month, mrr, segment FROM fx', '{"by_segment": true}');

-- an empty ledger: no rows, no error
SELECT count(*) AS rows FROM csm_movements('SELECT ''a'', date ''2024-01-01'', 1.0 WHERE false');
