-- A parallel aggregate plan: the survey aggregates' partial states are
-- combined (and serialized between processes); the value equals the
-- serial plan's.
SET datestyle = ISO;
SET extra_float_digits = 0;
CREATE TABLE scores AS
SELECT ((i * 7919) % 11)::int AS score, ((i * 104729) % 5 + 1)::int AS csat,
       ((i * 31) % 7 + 1)::int AS ces
FROM generate_series(1::bigint, 200000) i;
ANALYZE scores;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT csm_nps(score), csm_nps_ci(score, 0.9), csm_csat(csat), csm_ces(ces) FROM scores;
CREATE TABLE par AS SELECT csm_nps(score) AS nps, csm_nps_ci(score, 0.9) AS ci,
       csm_csat(csat) AS csat, csm_ces(ces) AS ces FROM scores;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT csm_nps(score) FROM scores;
CREATE TABLE ser AS SELECT csm_nps(score) AS nps, csm_nps_ci(score, 0.9) AS ci,
       csm_csat(csat) AS csat, csm_ces(ces) AS ces FROM scores;
SELECT par.nps = ser.nps AS nps_equal, par.ci = ser.ci AS ci_equal,
       par.csat = ser.csat AS csat_equal, par.ces = ser.ces AS ces_equal
FROM par, ser;
-- 7919 = 11 x 719 + 10, so (i x 7919) mod 11 = (-i) mod 11: over
-- i = 1..200000 = 11 x 18181 + 9 every residue occurs 18181 times, and the
-- last 9 values of i (= 1..9 mod 11) add one each to residues 10..2:
-- promoters (9, 10) 2 x 18182 = 36364, detractors (0..6)
-- 2 x 18181 + 5 x 18182 = 127272, NPS = 100 (36364 - 127272) / 200000
SELECT count(*) FILTER (WHERE score >= 9) AS promoters,
       count(*) FILTER (WHERE score <= 6) AS detractors,
       round(nps::numeric, 9) AS nps,
       round(100.0 * (36364 - 127272) / 200000, 9) AS by_hand
FROM scores, ser GROUP BY nps;
