-- Bad input: an ERROR with the library's message (row and field) and a
-- SQLSTATE, never a crash; the session stays usable after each.
SET datestyle = ISO;
SET extra_float_digits = 0;
-- a negative MRR: EDOMAIN, 22023, the query's row 2
SELECT * FROM csm_movements($$SELECT * FROM (VALUES ('a', date '2024-01-01', 10.0), ('b', date '2024-01-01', -5.0)) v$$);
\echo :LAST_ERROR_SQLSTATE
-- NULLs: 22004, with the row
SELECT * FROM csm_movements($$SELECT * FROM (VALUES ('a', date '2024-01-01', 10.0), (NULL, date '2024-01-01', 5.0)) v$$);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM csm_movements($$SELECT 'a', NULL::date, 1.0$$);
\echo :LAST_ERROR_SQLSTATE
-- strict mode: a duplicate (customer, month) row, 23505
SELECT * FROM csm_movements($$SELECT * FROM (VALUES ('a', date '2024-01-01', 10.0), ('a', date '2024-01-15', 5.0)) v$$, '{"strict": true}');
\echo :LAST_ERROR_SQLSTATE
-- wrong column types and counts: 42804
SELECT * FROM csm_movements($$SELECT 'a', '2024-01-01'::text, 1.0$$);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM csm_movements($$SELECT 'a', date '2024-01-01'$$);
\echo :LAST_ERROR_SQLSTATE
-- options: unknown key, wrong type, unknown preset, not an object: 22023
SELECT * FROM csm_movements('SELECT ''a'', date ''2024-01-01'', 1.0', '{"windw": 3}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM csm_movements('SELECT ''a'', date ''2024-01-01'', 1.0', '{"by_segment": 1}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM csm_movements('SELECT ''a'', date ''2024-01-01'', 1.0', '{"preset": "acme"}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM csm_movements('SELECT ''a'', date ''2024-01-01'', 1.0', '[1]');
\echo :LAST_ERROR_SQLSTATE
-- the library's option checks: window 0
SELECT * FROM csm_retention('SELECT ''a'', date ''2024-01-01'', 1.0', 0);
\echo :LAST_ERROR_SQLSTATE
-- an invalid scorecard: the library names the JSON path ($.bands), 22023
SELECT * FROM csm_health_score('{"name": "t", "bands": [], "groups": [{"name": "g", "weight": -1, "measures": []}]}', 'SELECT ''a''');
\echo :LAST_ERROR_SQLSTATE
-- a query that does not parse
SELECT * FROM csm_movements('SELEC 1');
\echo :LAST_ERROR_SQLSTATE
-- the backend is alive
SELECT count(*) FROM csm_movements('SELECT ''a'', date ''2024-01-01'', 1.0');
