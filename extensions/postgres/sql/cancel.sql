-- A long query is cancelled by statement_timeout (the ledger is read in
-- batches with interrupts checked between them), and the session goes on.
SET datestyle = ISO;
SET statement_timeout = '300ms';
SELECT count(*) FROM csm_movements($$SELECT (i % 1000000)::text, date '2024-01-01' + (i / 1000000) * 31, 1.0
                                     FROM generate_series(1, 1000000000) i$$);
\echo :LAST_ERROR_SQLSTATE
RESET statement_timeout;
SELECT count(*) FROM csm_movements('SELECT ''a'', date ''2024-01-01'', 1.0');
