"""csm.catalog() and csm.sql(): the same catalog and queries as the CLI's
`csmetrics catalog` and `csmetrics sql` (an independent host of the same C
calls), and the options' errors.  The queries' figures are proven on
PostgreSQL and DuckDB by tests/sql/check_sql.py (make test-sql)."""
import datetime
import json
import os
import subprocess

import pytest

import csmetrics as csm

CLI = os.path.join(os.environ.get("MESON_BUILD_ROOT", ""), "cli", "csmetrics")


def _cli(*args):
    if not os.path.exists(CLI):
        pytest.skip("csmetrics binary not found (run under meson devenv)")
    return subprocess.run([CLI] + list(args), capture_output=True, text=True, check=True).stdout


def test_catalog_is_the_clis():
    assert csm.catalog() == json.loads(_cli("catalog"))["metrics"]
    names = {e["name"]: e for e in csm.catalog()}
    assert "NDR" in names["nrr"]["aliases"] and names["nrr"]["unit"] == "fraction"
    assert names["logo_retention"]["table"] == "retention"


def test_sql_is_the_clis():
    q = csm.sql("NDR", "snowflake", preset="stripe", window=3, by_segment=True,
                columns={"segment": "tier", "month": "billing_month"}, table="a.mrr")
    assert q == _cli("sql", "NDR", "--dialect", "snowflake", "--preset", "stripe",
                     "--window", "3", "--by-segment", "--table", "a.mrr",
                     "--columns", "segment=tier,month=billing_month")
    assert "FROM a.mrr" in q and "movement_sum" not in q
    assert "GREATEST(t.m0 - t.loss_amt, 0)" in q  # the Stripe preset's movement sum
    r = csm.sql("renewal rate", "duckdb", window_start="2025-01-01",
                window_end=datetime.date(2025, 3, 31), grace_days=30, late_counts=True,
                include_upsells=True, as_of="2025-04-30", table="crm.contracts",
                columns={"customer": "account", "start": "s0", "end": "s1",
                         "value": "tcv", "group": "tier", "id": "cid"})
    assert r == _cli("sql", "renewals", "--dialect", "duckdb", "--window-start",
                     "2025-01-01", "--window-end", "2025-03-31", "--grace-days", "30",
                     "--late-counts", "--include-upsells", "--as-of", "2025-04-30",
                     "--table", "crm.contracts", "--columns",
                     "customer=account,start=s0,end=s1,value=tcv,group=tier,id=cid")
    assert "m.gap <= 30 THEN 1" in r and "FROM crm.contracts" in r
    n = csm.sql("nps", "bigquery", columns={"weight": "w", "group": "g"}, confidence=0.9)
    assert n == _cli("sql", "nps", "--dialect", "bigquery", "--columns", "weight=w,group=g",
                     "--confidence", "0.9")


def test_sql_errors():
    with pytest.raises(csm.InvalidArgumentError, match="metric"):
        csm.sql("ebitda")
    with pytest.raises(csm.InvalidArgumentError, match="window"):
        csm.sql("dollar_renewal_rate")  # renewals need a window
    with pytest.raises(csm.InvalidArgumentError, match="grace_days"):
        csm.sql("renewals", window_start="2025-01-01", window_end="2025-03-31",
                grace_days=-1)
    with pytest.raises(csm.InvalidArgumentError, match="by_segment"):
        csm.sql("movements", by_segment=True)
    with pytest.raises(ValueError):
        csm.sql("nrr", "oracle")
    with pytest.raises(ValueError):
        csm.sql("nrr", columns={"colour": "x"})
