/* catalog.h - `csmetrics catalog` (the metric catalog as JSON or Markdown)
 (and as dbt MetricFlow or Cube YAML)
 * and `csmetrics sql` (a metric's query for a warehouse), both from the
 * library's catalog.h and sql.h. */
#ifndef CSMCLI_CATALOG_H
#define CSMCLI_CATALOG_H

/* `csmetrics catalog [--format json|markdown|metricflow|cube]
 * [--dialect D]`: exit status. */
int catalog_main(int argc, char **argv);

/* `csmetrics sql METRIC --dialect D [...]`: exit status. */
int sql_main(int argc, char **argv);

#endif
