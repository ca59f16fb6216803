// The DuckDB contender: @duckdb/node-api (pinned in package.json), all threads,
// data loaded into a table before the clock starts, idiomatic SQL with window
// functions (LAG/LEAD per customer ordered by month) computing the same
// definitions as libcsmetrics' defaults.
//
//   node bench_duckdb.mjs DATADIR OUTDIR [runs=5]
//
// How it is made fast: one aggregation of duplicates into a temp table, one
// windowed pass that yields every movement, plain hash joins for retention,
// and no per-row work in JavaScript; results leave through COPY.
import { DuckDBInstance } from '@duckdb/node-api';
import os from 'node:os';
import path from 'node:path';

const [data, out, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
// spill files (large sizes) go next to the data, not into the working directory
const instance = await DuckDBInstance.create(':memory:', {
  threads: String(os.cpus().length), temp_directory: path.join(data, 'duckdb.tmp'),
});
const con = await instance.connect();
const csv = path.join(data, 'ledger.csv');
await con.run(`CREATE TABLE raw AS SELECT * FROM read_csv('${csv}', header = true,
  columns = {'customer_id': 'BIGINT', 'period': 'INTEGER', 'mrr': 'DOUBLE', 'segment': 'INTEGER'})`);
const nrows = Number((await con.runAndReadAll('SELECT count(*) AS n FROM raw')).getRows()[0][0]);

const job = [
  `CREATE OR REPLACE TEMP TABLE l AS
     SELECT customer_id, period, sum(mrr) AS mrr FROM raw
     GROUP BY customer_id, period HAVING sum(mrr) > 0`,
  `CREATE OR REPLACE TEMP TABLE ev AS
     SELECT customer_id, period, mrr,
            lag(period) OVER w AS prev_period, lag(mrr) OVER w AS prev_mrr,
            lead(period) OVER w AS next_period
     FROM l WINDOW w AS (PARTITION BY customer_id ORDER BY period)`,
  `CREATE OR REPLACE TEMP TABLE mov AS
   WITH s AS (
     SELECT period AS month,
       sum(CASE WHEN prev_period IS NULL THEN mrr ELSE 0 END) AS new,
       sum(CASE WHEN prev_period < period - 1 THEN mrr ELSE 0 END) AS reactivation,
       sum(CASE WHEN prev_period = period - 1 AND mrr > prev_mrr THEN mrr - prev_mrr ELSE 0 END) AS expansion,
       sum(CASE WHEN prev_period = period - 1 AND mrr < prev_mrr THEN prev_mrr - mrr ELSE 0 END) AS contraction,
       count(*) FILTER (WHERE prev_period IS NULL) AS new_customers,
       sum(mrr) AS closing_mrr, count(*) AS closing_customers
     FROM ev GROUP BY period),
   c AS (
     SELECT period + 1 AS month, sum(mrr) AS churn, count(*) AS churned_customers
     FROM ev WHERE next_period IS NULL OR next_period > period + 1 GROUP BY period + 1),
   m AS (SELECT range::INTEGER AS month FROM range((SELECT min(period) FROM l), (SELECT max(period) FROM l) + 1))
   SELECT m.month,
     coalesce(p.closing_mrr, 0) AS opening_mrr, coalesce(s.new, 0) AS new,
     coalesce(s.reactivation, 0) AS reactivation, coalesce(s.expansion, 0) AS expansion,
     coalesce(s.contraction, 0) AS contraction, coalesce(c.churn, 0) AS churn,
     coalesce(s.closing_mrr, 0) AS closing_mrr,
     coalesce(p.closing_customers, 0) AS opening_customers,
     coalesce(s.closing_customers, 0) AS closing_customers,
     coalesce(s.new_customers, 0) AS new_customers,
     coalesce(c.churned_customers, 0) AS churned_customers
   FROM m LEFT JOIN s ON s.month = m.month LEFT JOIN s AS p ON p.month = m.month - 1
          LEFT JOIN c ON c.month = m.month
   ORDER BY m.month`,
  `CREATE OR REPLACE TEMP TABLE ret AS
     SELECT b.period + 12 AS end_month, count(*) AS base_customers, sum(b.mrr) AS base_mrr,
            sum(least(b.mrr, coalesce(e.mrr, 0))) / sum(b.mrr) AS grr,
            sum(coalesce(e.mrr, 0)) / sum(b.mrr) AS nrr,
            count(e.mrr) / count(*) AS logo_retention
     FROM l AS b LEFT JOIN l AS e ON e.customer_id = b.customer_id AND e.period = b.period + 12
     WHERE b.period + 12 <= (SELECT max(period) FROM l)
     GROUP BY 1 ORDER BY 1`,
  `CREATE OR REPLACE TEMP TABLE coh AS
     SELECT first AS cohort, period - first AS age, count(*) AS customers
     FROM (SELECT period, min(period) OVER (PARTITION BY customer_id) AS first FROM l)
     GROUP BY ALL ORDER BY ALL`,
];

const times = [];
for (let k = 0; k < runs; k++) {
  const t0 = process.hrtime.bigint();
  for (const sql of job) await con.run(sql);
  times.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
await con.run(`COPY mov TO '${path.join(out, 'movements.csv')}' (HEADER)`);
await con.run(`COPY ret TO '${path.join(out, 'retention.csv')}' (HEADER)`);
await con.run(`COPY coh TO '${path.join(out, 'cohorts.csv')}' (HEADER)`);
const sorted = [...times].sort((a, b) => a - b);
console.log(JSON.stringify({
  contender: 'DuckDB', rows: nrows, median_s: sorted[Math.floor(runs / 2)], times_s: times,
  peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
}));
