-- The demo company's movements (examples/data/demo/mrr.csv) against the
-- CLI's JSON report of the same data (csmetrics report --format json):
-- every value of every month the report shows must be equal as a double.
SET datestyle = ISO;
\getenv csm_work CSM_PG_WORK
\set mrr_csv :csm_work '/mrr.csv'
\set demo_json :csm_work '/demo.json'
CREATE TABLE demo_mrr (customer_id text, month text, mrr float8);
COPY demo_mrr FROM :'mrr_csv' WITH (FORMAT csv, HEADER);
CREATE TABLE cli AS
SELECT r FROM jsonb_array_elements(pg_read_file(:'demo_json')::jsonb -> 'sections') s,
              jsonb_array_elements(s -> 'rows') r
WHERE s ->> 'key' = 'movements';
CREATE TABLE pg AS
SELECT to_char(month, 'YYYY-MM') AS month, to_jsonb(m) AS j
FROM csm_movements($$SELECT customer_id, to_date(month, 'YYYY-MM'), mrr FROM demo_mrr$$) m;
-- the months compared, and the values compared (all of the CLI's columns)
SELECT count(*) AS months FROM cli JOIN pg ON pg.month = cli.r ->> 'month';
SELECT count(*) AS values_compared
FROM cli JOIN pg ON pg.month = cli.r ->> 'month', jsonb_object_keys(cli.r) k
WHERE k <> 'month' AND (cli.r ->> k) IS NOT NULL;
-- every difference (none expected)
SELECT cli.r ->> 'month' AS month, k AS column, cli.r ->> k AS cli, pg.j ->> k AS pg
FROM cli JOIN pg ON pg.month = cli.r ->> 'month', jsonb_object_keys(cli.r) k
WHERE k <> 'month' AND (cli.r ->> k)::float8 IS DISTINCT FROM (pg.j ->> k)::float8;
-- a column the CLI shows that the SQL result lacks (none expected)
SELECT DISTINCT k FROM cli, jsonb_object_keys(cli.r) k
WHERE NOT EXISTS (SELECT 1 FROM pg WHERE pg.j ? k);
