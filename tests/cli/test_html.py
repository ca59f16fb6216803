#!/usr/bin/python3
"""csmetrics --format html without a browser (the browser test is tests/html, make
test-html): the page embeds the --format json document and the charting bundles found
through $CSMETRICS_ASSETS, and no label or bundle can end a script element.

Usage: test_html.py PATH/TO/csmetrics
"""
import json
import os
import re
import tempfile

from test_cli import check, company, run, run_tests, section

# Stand-ins for the three bundles: each names itself, the first holds "</script>" in a
# string (a real bundle may) and ends with the source-map comment the page leaves out.
BUNDLES = {
    "vega.min.js": "window.fakeVega='</script>';\n//# sourceMappingURL=vega.min.js.map\n",
    "vega-lite.min.js": "window.fakeVegaLite=1;\n",
    "vega-embed.min.js": "window.fakeVegaEmbed=1;\n",
}

# A company of three customers over 2024-01..03 whose labels hold what would end the
# script element or start an HTML comment in it.
HOSTILE_OWNER = "Ann</script><!--<script>alert(1)</script>"
FILES = {
    "mrr.csv": "customer_id,month,mrr\n" + "".join(
        f"{c},2024-{m:02d},{v}\n" for c, v in (("a", 100), ("b", 3000)) for m in (1, 2, 3))
    + "c,2024-03,50\n",
    "accounts.csv": "account_id,owner\na,o1\nb,o1\nc,o2\n",
    "owners.csv": f"owner,name\no1,{HOSTILE_OWNER}\no2,Bo\n",
}

REPORT_RE = re.compile(r'<script type="application/json" id="report">(.*?)</script>', re.S)


def assets():
    d = tempfile.mkdtemp(prefix="csm-assets-")
    for name, text in BUNDLES.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    return d


def page_of(*args):
    os.environ["CSMETRICS_ASSETS"] = assets()
    try:
        return run("report", *args, "--format", "html")
    finally:
        del os.environ["CSMETRICS_ASSETS"]


def test_html_embeds_the_json_document():
    d = company(FILES)
    rc, html, err = page_of(d)
    check("html: exit 0", rc == 0, err)
    if rc:
        return
    m = REPORT_RE.search(html)
    check("html: the report's JSON document is in the page", m is not None, html[:300])
    if not m:
        return
    doc = json.loads(m.group(1))
    # the html format's default --months is 12, so its document is json's with --months 12
    rc2, out, err2 = run("report", d, "--format", "json", "--months", "12")
    check("html: json --months 12 exits 0", rc2 == 0, err2)
    check("html: the embedded document is the json format's", doc == json.loads(out), "")
    # movements shows the 12 months to 2024-03 (2023-04..2024-03; the ones before the data
    # with no MRR), where json's default is 6
    months = [r["month"] for r in section(doc, "movements")["rows"]]
    check("html: movements of 12 months", months[0] == "2023-04" and months[-1] == "2024-03" and
          len(months) == 12, str(months))
    # an explicit --months still rules
    rc3, html3, _ = page_of(d, "--months", "2")
    doc3 = json.loads(REPORT_RE.search(html3).group(1))
    check("html: --months 2 is kept", len(section(doc3, "movements")["rows"]) == 2, "")
    # the labels are in the document, and the owner appears in the team table
    owners = [r["owner"] for r in section(doc, "team")["rows"]]
    check("html: the hostile owner's name is a label of team", HOSTILE_OWNER in owners, str(owners))


def test_html_escapes_every_script_end():
    rc, html, err = page_of(company(FILES))
    check("html (escaping): exit 0", rc == 0, err)
    if rc:
        return
    # the page's own elements: 3 bundles, the JSON document, the page's script (the
    # document's "<script" without "<!--" before it is text to the HTML parser)
    body = REPORT_RE.search(html).group(1)
    rest = html.replace(body, "")
    check("html: five script elements, five ends", rest.count("<script") == 5 and
          html.lower().count("</script") == 5, str(rest.count("<script")))
    check("html: no '</' in the JSON document", "</" not in body, "")
    check("html: '</script>' written as '<\\/script>'", "<\\/script>" in body, "")
    check("html: no '<!--' in the JSON document", "<!--" not in body, "")
    check("html: '<!--' written as '\\u003c!--'", "\\u003c!--" in body, "")
    # the bundles: in order, the one's "</script>" escaped, the source-map comment left out
    i = [html.find(k) for k in ("window.fakeVega=", "window.fakeVegaLite=", "window.fakeVegaEmbed=")]
    check("html: the three bundles, in order", -1 < i[0] < i[1] < i[2], str(i))
    check("html: the bundle's '</script>' escaped", "window.fakeVega='<\\/script>';" in html, "")
    check("html: no source-map comment", "sourceMappingURL" not in html, "")


def test_html_other_formats_unchanged():
    # no assets needed for the other formats, and json is the same with the variable set
    d = company(FILES)
    rc, out, err = run("report", d, "--format", "json")
    os.environ["CSMETRICS_ASSETS"] = "/nonexistent"
    try:
        rc2, out2, err2 = run("report", d, "--format", "json")
    finally:
        del os.environ["CSMETRICS_ASSETS"]
    check("json: unaffected by CSMETRICS_ASSETS", rc == rc2 == 0 and out == out2, err + err2)
    rc, _, err = run("report", d, "--format", "pdf")
    check("--format pdf: usage error naming html", rc == 64 and "html" in err, err)


if __name__ == "__main__":
    run_tests([test_html_embeds_the_json_document, test_html_escapes_every_script_end,
               test_html_other_formats_unchanged])
