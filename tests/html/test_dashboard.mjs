// The dashboard (csmetrics report --format html) in a real browser: Debian's
// chromium, headless, driven by puppeteer-core (deps/html).  make test-html.
//
//   node tests/html/test_dashboard.mjs CSMETRICS OUTDIR
//
// 1. The demo company's dashboard: no console error, no page error and no
//    network request (the page is self-contained); every chart container
//    holds an SVG with marks; each headline tile shows the number of the
//    JSON report of the same run (--format json --months 12); a screenshot
//    is written to OUTDIR/dashboard.png.
// 2. The same with --by segment: the breakdown charts are drawn.
// 3. A hostile company (the demo with an account id, a CSM's name and a
//    segment label holding <script> and </script>): no script of theirs
//    runs (no dialog, no extra script element), the strings show as text.
// Environment: CHROMIUM (default /usr/bin/chromium).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const require = createRequire(path.join(root, "deps", "html", "package.json"));
const puppeteer = require("puppeteer-core");

const [cli, outdir] = process.argv.slice(2);
if (!cli || !outdir) {
  console.error("usage: test_dashboard.mjs CSMETRICS OUTDIR");
  process.exit(2);
}
fs.mkdirSync(outdir, { recursive: true });
const DEMO = path.join(root, "examples", "data", "demo");

let failed = 0, passed = 0;
function check(what, ok, detail) {
  if (ok) passed++;
  else { failed++; console.log("FAIL " + what + (detail ? " -- " + detail : "")); }
}

function run(args) {
  return execFileSync(cli, args, { maxBuffer: 1 << 28, encoding: "utf8" });
}
const sectionOf = (doc, key) => doc.sections.find((s) => s.key === key);

// Open file in a fresh page; collect what the browser complains about.
async function open(browser, file, name) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 900 });
  const log = { errors: [], dialogs: [], requests: [] };
  page.on("console", (m) => { if (m.type() === "error") log.errors.push(m.text()); });
  page.on("pageerror", (e) => log.errors.push("page error: " + e.message));
  page.on("dialog", async (d) => { log.dialogs.push(d.message()); await d.dismiss(); });
  page.on("request", (r) => { if (r.url() !== "file://" + file) log.requests.push(r.url()); });
  await page.goto("file://" + file, { waitUntil: "load" });
  try {
    await page.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  } catch (e) {
    check(name + ": every chart settled", false, String(e));
  }
  return { page, log };
}

// Every .chart container: no error, an SVG, and marks drawn in it (Vega's
// data marks are groups of class role-mark; their items are the children).
async function charts(page) {
  return page.$$eval(".chart", (els) => els.map((e) => ({
    id: e.dataset.chart,
    error: e.getAttribute("data-error"),
    svg: e.querySelectorAll("svg").length,
    marks: e.querySelectorAll("svg g.role-mark > *").length,
    title: (e.querySelector("svg .role-title-text") || {}).textContent || "",
    axisTitles: [...e.querySelectorAll("svg .role-axis-title text")].map((t) => t.textContent),
  })));
}

function checkCharts(name, list, expected) {
  const ids = list.map((c) => c.id);
  for (const id of expected) check(`${name}: chart ${id} present`, ids.includes(id), ids.join(","));
  for (const c of list) {
    check(`${name}: chart ${c.id} drawn without error`, !c.error, c.error);
    check(`${name}: chart ${c.id} has an SVG with marks`, c.svg >= 1 && c.marks > 0, `svg ${c.svg}, marks ${c.marks}`);
    check(`${name}: chart ${c.id} has a title`, c.title.length > 0, "");
    check(`${name}: chart ${c.id} has axis titles`, c.axisTitles.length >= 2 && c.axisTitles.every((t) => t.length > 0),
          c.axisTitles.join(" | "));
  }
}

function checkClean(name, log) {
  check(`${name}: no console error`, log.errors.length === 0, log.errors.join(" || "));
  check(`${name}: no network request`, log.requests.length === 0, log.requests.join(" "));
  check(`${name}: no dialog`, log.dialogs.length === 0, log.dialogs.join(" "));
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  // ---- 1. the demo company -------------------------------------------------
  const file = path.resolve(outdir, "dashboard.html");
  fs.writeFileSync(file, run(["report", DEMO, "--format", "html"]));
  const doc = JSON.parse(run(["report", DEMO, "--format", "json", "--months", "12"]));
  const { page, log } = await open(browser, file, "demo");
  checkClean("demo", log);
  const demoCharts = await charts(page);
  checkCharts("demo", demoCharts, ["mrr_bridge", "retention", "cohorts_logo", "cohorts_mrr", "survival",
    "health_bands", "health_transitions", "team", "renewals", "projection", "churn_calibration"]);

  // the page's own copy of the report is the JSON format's document
  const embedded = await page.$eval("#report", (e) => JSON.parse(e.textContent));
  check("demo: the embedded document is the json report", JSON.stringify(embedded) === JSON.stringify(doc), "");

  // the tiles: the value and the previous period's value of each, read from
  // the JSON report here, as the review defines them
  const tiles = await page.$$eval(".tile", (els) => els.map((e) => ({
    key: e.dataset.tile, value: e.dataset.value, previous: e.dataset.previous,
    text: e.querySelector(".value").textContent })));
  const tile = (k) => tiles.find((t) => t.key === k) || {};
  const sum = sectionOf(doc, "summary").rows[0];
  const mov = sectionOf(doc, "movements").rows, ret = sectionOf(doc, "retention").rows;
  const nps = sectionOf(doc, "nps").rows;
  const lastM = mov[mov.length - 1], prevM = mov[mov.length - 2];
  const lastR = ret[ret.length - 1], prevR = ret[ret.length - 2];
  const expect = {
    mrr: [sum.closing_mrr, lastM.opening_mrr], arr: [sum.arr, prevM.arr],
    customers: [sum.customers, lastM.opening_customers],
    nrr: [lastR.nrr, prevR.nrr], grr: [lastR.grr, prevR.grr],
    logo_retention: [lastR.logo_retention, prevR.logo_retention],
    quick_ratio: [lastM.quick_ratio, prevM.quick_ratio], nps: [nps[0].nps, nps[1].nps],
  };
  for (const [k, [v, p]] of Object.entries(expect)) {
    check(`demo: tile ${k} = the json report's value`, Number(tile(k).value) === v, `${tile(k).value} vs ${v}`);
    check(`demo: tile ${k}'s previous = the json report's`, Number(tile(k).previous) === p, `${tile(k).previous} vs ${p}`);
  }
  // the shown text, worked out by hand from tests/cli/golden/demo_report.json:
  // closing_mrr 2,492,117.53 -> "2,492,118"; arr 29,905,410.36 -> "29,905,410";
  // customers 1683; nrr 0.99895... (2025-12 window) -> "99.9%"; nps 5.6640625 -> "5.7"
  const shown = { mrr: "2,492,118", arr: "29,905,410", customers: "1,683", nps: "5.7" };
  for (const [k, s] of Object.entries(shown))
    check(`demo: tile ${k} shows ${s}`, tile(k).text === s, tile(k).text);
  check("demo: the NPS tile gives its interval", /95% interval -1\.6 to 12\.9/.test(
    await page.$eval("[data-tile=nps]", (e) => e.textContent)), "");
  // the at-risk and per-CSM tables list the report's rows
  const riskRows = await page.$$eval("table[data-section=health_at_risk] tbody tr", (r) => r.length);
  check("demo: at-risk table has the report's rows", riskRows === sectionOf(doc, "health_at_risk").rows.length, riskRows);
  const teamRows = await page.$$eval("table[data-section=team] tbody tr", (r) => r.length);
  check("demo: per-CSM table has the report's rows", teamRows === sectionOf(doc, "team").rows.length, teamRows);

  const shot = path.resolve(outdir, "dashboard.png");
  await page.screenshot({ path: shot, fullPage: true });
  check("demo: screenshot written", fs.statSync(shot).size > 10000, shot);
  // and in print: the page's print CSS keeps every chart
  await page.emulateMediaType("print");
  const printed = await page.$$eval(".chart svg", (s) => s.filter((x) => x.getBoundingClientRect().width > 0).length);
  check("demo: every chart shows in print", printed === demoCharts.length, `${printed} of ${demoCharts.length}`);
  await page.close();

  // ---- 2. --by segment --------------------------------------------------------
  const byFile = path.resolve(outdir, "dashboard-by-segment.html");
  fs.writeFileSync(byFile, run(["report", DEMO, "--format", "html", "--by", "segment"]));
  const by = await open(browser, byFile, "--by segment");
  checkClean("--by segment", by.log);
  checkCharts("--by segment", await charts(by.page), ["movements_by", "retention_by", "nps_by", "renewals_by", "mrr_bridge"]);
  await by.page.close();

  // ---- 3. hostile labels --------------------------------------------------------
  const bad = fs.mkdtempSync(path.join(os.tmpdir(), "csm-html-"));
  try {
    const evilId = "<script>alert(1)</script>";
    const evilOwner = "</script><script>alert(2)</script>";
    const evilSegment = "SMB</script><!--<script>alert(3)//";
    const victim = sectionOf(doc, "health_at_risk").rows[0].account_id;  // shown in the at-risk table
    for (const f of fs.readdirSync(DEMO)) {
      const lines = fs.readFileSync(path.join(DEMO, f), "utf8").split("\n");
      const head = lines[0].split(",");
      const out = lines.map((line, i) => {
        if (i === 0 || !line) return line;
        const cells = line.split(",");  // the demo's files quote nothing
        head.forEach((h, j) => {
          if (["account_id", "customer_id", "referrer_id"].includes(h) && cells[j] === victim) cells[j] = evilId;
          if (f === "owners.csv" && h === "name" && cells[0] === "1") cells[j] = evilOwner;
          if (f === "accounts.csv" && h === "segment" && cells[j] === "SMB") cells[j] = evilSegment;
        });
        return cells.join(",");
      });
      fs.writeFileSync(path.join(bad, f), out.join("\n"));
    }
    const evilFile = path.resolve(outdir, "dashboard-hostile.html");
    const html = run(["report", bad, "--format", "html", "--by", "segment"]);
    fs.writeFileSync(evilFile, html);
    check("hostile: the raw strings are not in the page", !html.includes(evilId) && !html.includes(evilOwner), "");
    check("hostile: </script> escaped as <\\/script> in the JSON", html.includes("<\\/script>"), "");
    const ev = await open(browser, evilFile, "hostile");
    checkClean("hostile", ev.log);
    const scripts = await ev.page.$$eval("script", (s) => s.length);
    check("hostile: only the page's own 5 script elements", scripts === 5, scripts);
    const text = await ev.page.$eval("body", (b) => b.innerText);
    check("hostile: the account id shows as text", text.includes(evilId), "");
    check("hostile: the CSM's name shows as text", text.includes(evilOwner), "");
    const svgText = await ev.page.$$eval("svg text", (t) => t.map((x) => x.textContent).join("\n"));
    check("hostile: the segment label is drawn as chart text", svgText.includes(evilSegment), "");
    const flagged = await ev.page.evaluate(() => window.__pwned === true);
    check("hostile: nothing executed", !flagged && ev.log.dialogs.length === 0, "");
    checkCharts("hostile", await charts(ev.page), ["mrr_bridge", "movements_by", "team"]);
    await ev.page.close();
  } finally {
    fs.rmSync(bad, { recursive: true, force: true });
  }
} finally {
  await browser.close();
}
console.log(`test_dashboard: ${passed} passed, ${failed} failed; screenshot ${path.resolve(outdir, "dashboard.png")}`);
process.exit(failed ? 1 : 0);
