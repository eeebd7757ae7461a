// The centre's page in a real browser (issue 16): Debian's Chromium, headless, driven by
// playwright-core against a real centre holding the demo's week (`gadeplan demo --serve`).
//
// A leader signs in (a wrong password, and another account locked out after five), reads the
// overview, takes charge of an overdue check-in and sees another one change without a reload,
// opens a citizen and is asked for a reason before the notes show, downloads the indicators as
// CSV and checks them against the centre's own report; an operator makes an enrolment code,
// a phone enrols from its link, the operator revokes it and the phone is refused at its next
// sync; an auditor reads the audit log and its CSV; the leader signs out and the old cookie is
// refused. Every page is saved as a screenshot in target/browser-artefacts/.
//
// Run by scripts/browser-test.sh (which installs Chromium and playwright-core when missing).

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = (name) => path.join(root, "target", "debug", name);
const artefacts = path.join(root, "target", "browser-artefacts");
fs.rmSync(artefacts, { recursive: true, force: true });
fs.mkdirSync(artefacts, { recursive: true });
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gadeplan-browser-"));
let passed = 0;

function step(name) {
  passed += 1;
  console.log(`  ok ${passed} ${name}`);
}

// ----- the demo's centre, left running with the page ---------------------------------------
const demoLog = fs.openSync(path.join(artefacts, "demo.log"), "w");
const demo = spawn(bin("gadeplan"), ["demo", "--serve", "--listen", "127.0.0.1:0"], {
  stdio: ["ignore", "pipe", demoLog],
});
const served = await new Promise((resolve, reject) => {
  const lines = readline.createInterface({ input: demo.stdout });
  const timer = setTimeout(() => reject(new Error("the demo did not start its page in 10 minutes")), 600_000);
  lines.on("line", (line) => {
    if (line.startsWith("{") && line.includes('"page"')) {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    }
  });
  demo.on("exit", (code) => reject(new Error(`the demo ended (${code}); see ${artefacts}/demo.log`)));
});
const base = served.page.replace(/\/$/, "");
const account = (name) => served.accounts.find((a) => a.name === name);
const centre = (...args) =>
  execFileSync(bin("gadeplan-centre"), ["--data", served.data, ...args], { encoding: "utf8" });
console.log(`page at ${base}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});

const pages = [];

async function shot(page, name) {
  await page.screenshot({ path: path.join(artefacts, `${name}.png`), fullPage: true });
}

// Every visible form field has a label (the page is used with a keyboard and a screen reader).
async function labelled(page) {
  const unlabelled = await page.$$eval("input:not([type=hidden]), select", (fields) =>
    fields.filter((f) => f.labels.length === 0 && !f.closest("label")).map((f) => f.name));
  assert.deepEqual(unlabelled, [], `fields without a label on ${page.url()}`);
}

async function signIn(page, name, password) {
  await page.goto(`${base}/login`);
  await page.fill("#name", name);
  await page.fill("#password", password);
  await Promise.all([page.waitForLoadState("load"), page.click("#sign-in")]);
}

try {
  // ----- sign-in: a wrong password, a lock-out ----------------------------------------------
  execFileSync(bin("gadeplan-centre"), ["--data", served.data, "user", "add", "vikar", "--role", "leader",
    "--team", "Vesterbro", "--password-stdin"], { input: "vikarens-adgangskode\n", encoding: "utf8" });

  const leaderContext = await browser.newContext({ acceptDownloads: true, locale: "da-DK" });
  const leader = await leaderContext.newPage();
  pages.push(leader);
  await leader.goto(`${base}/team`);
  assert.match(leader.url(), /\/login$/, "a page without a session goes to sign-in");
  await labelled(leader);
  await shot(leader, "01-sign-in");
  await signIn(leader, "leder", "not-the-password");
  assert.ok(await leader.isVisible("#sign-in-refused"));
  await shot(leader, "02-sign-in-refused");
  step("a wrong password is refused");

  const vikar = await browser.newPage();
  for (let i = 0; i < 5; i += 1) await signIn(vikar, "vikar", "forkert-forkert-forkert");
  await signIn(vikar, "vikar", "vikarens-adgangskode");
  assert.ok(await vikar.isVisible("#sign-in-refused"), "the right password is refused while locked");
  const users = JSON.parse(centre("user", "list"));
  assert.ok(users.find((u) => u.name === "vikar").locked_until, "the account is locked");
  await vikar.close();
  step("five wrong passwords lock the account");

  // ----- the overview -----------------------------------------------------------------------
  await signIn(leader, "leder", account("leder").password);
  assert.match(leader.url(), /\/team$/);
  await leader.waitForSelector("#caseload tbody tr");
  const workers = await leader.$$eval("#caseload tbody th", (ths) => ths.map((t) => t.textContent));
  assert.ok(workers.includes("Mette") && workers.includes("Jonas"), `caseload rows: ${workers}`);
  assert.ok(!workers.includes("Aisha"), "another team's worker is not shown");
  assert.match(await leader.textContent("#caseload-average"), /15/);
  assert.equal(await leader.locator(".trend rect").count(), 6, "six months of the trend");
  await shot(leader, "03-overview");
  step("the overview shows the team's caseload and its trend");

  // ----- check-ins: take charge of one; the other changes without a reload ------------------
  const overdue = await leader.$$eval("#checkins tr.overdue", (rows) => rows.map((r) => r.dataset.checkin));
  assert.equal(overdue.length, 2, "the demo leaves two check-ins overdue");
  await Promise.all([
    leader.waitForLoadState("load"),
    leader.click(`tr[data-checkin="${overdue[0]}"] button.ack`),
  ]);
  assert.match(await leader.textContent(`tr[data-checkin="${overdue[0]}"]`), /leder/);
  await shot(leader, "04-checkin-taken");
  step("the leader takes charge of an overdue check-in");
  await leader.evaluate(() => { window.notReloaded = true; });
  centre("checkins", "ack", overdue[1], "--by", "Jonas");
  await leader.waitForFunction(
    (id) => !document.querySelector(`tr[data-checkin="${id}"]`)?.classList.contains("overdue"),
    overdue[1],
    { timeout: 30_000 },
  );
  assert.equal(await leader.evaluate(() => window.notReloaded), true, "refreshed without a reload");
  assert.match(await leader.textContent(`tr[data-checkin="${overdue[1]}"]`), /Jonas/);
  step("another check-in taken elsewhere shows within the refresh, no reload");

  // ----- a citizen: a reason before the notes -----------------------------------------------
  const citizenLink = await leader.getAttribute("main a[href^='/citizen/']", "href");
  await leader.goto(`${base}${citizenLink}`);
  assert.ok(await leader.isVisible("#glass-form"), "asked for a reason");
  assert.equal(await leader.locator("pre.free-text").count(), 0, "no free text before");
  await labelled(leader);
  await shot(leader, "05-citizen-asks-reason");
  await leader.selectOption("#reason", "course-follow-up");
  await Promise.all([leader.waitForLoadState("load"), leader.click("#open-free-text")]);
  assert.ok(await leader.isVisible("#glass-open"));
  assert.ok((await leader.locator("pre.free-text").count()) > 0, "the entries' contents shown");
  await shot(leader, "06-citizen-free-text");
  step("a citizen's notes show only after a reason");

  // ----- the indicators and their CSV against the centre's report ---------------------------
  const today = new Date();
  const day = (d) => d.toISOString().slice(0, 10);
  const from = day(new Date(today.getTime() - 20 * 86_400_000));
  // To tomorrow: the centre counts days in its own calendar, which may be a day ahead of UTC.
  const to = day(new Date(today.getTime() + 86_400_000));
  await leader.goto(`${base}/indicators?from=${from}&to=${to}`);
  await labelled(leader);
  assert.ok((await leader.locator("table[data-group=coverage] tbody tr").count()) >= 2,
    "the team's areas and their coverage");
  await shot(leader, "07-indicators");
  const [download] = await Promise.all([leader.waitForEvent("download"), leader.click("#download-csv")]);
  const csvPath = path.join(artefacts, "indicators.csv");
  await download.saveAs(csvPath);
  const csv = fs.readFileSync(csvPath, "utf8").trim().split("\n").map((l) => l.split(","));
  const figure = (indicator, code = "") => {
    const row = csv.find((r) => r[0] === indicator && r[1] === code);
    return row ? Number(row[2]) : 0;
  };
  const report = JSON.parse(centre("report", "--team", "Vesterbro"))[0];
  // The report counts every citizen ever found (one of the demo's was noted 14 months ago):
  // compared with the indicators of a period reaching that far back.
  const since = day(new Date(today.getTime() - 3 * 365 * 86_400_000));
  const everything = await leader.request.get(`${base}/indicators.csv?from=${since}&to=${to}`);
  assert.equal(everything.status(), 200, "the CSV of three years");
  const found = (await everything.text()).trim().split("\n").map((l) => l.split(","))
    .find((r) => r[0] === "citizens-found");
  assert.equal(Number(found[2]), report.citizens_found, "citizens found");
  assert.ok(figure("citizens-found") < report.citizens_found, "the old acquaintance is not of the last 20 days");
  for (const band of ["low", "moderate", "high"]) {
    assert.equal(figure("risk-checks", band), report.risk_checks[band], `risk checks ${band}`);
  }
  for (const w of report.workers) {
    assert.equal(figure("contacts-by-worker", w.worker), w.contacts_30_days, `contacts of ${w.worker}`);
  }
  assert.ok(figure("contacts") > 0);
  // Codes and counts only: every value a number or empty, every code a code or a worker.
  assert.ok(csv.slice(4).every((r) => r.length === 3 && /^[0-9.]*$/.test(r[2])), "counts only");
  await leader.emulateMedia({ media: "print" });
  assert.equal(await leader.isVisible("header.top"), false, "the print layout drops the header");
  await shot(leader, "08-indicators-print");
  await leader.emulateMedia({ media: "screen" });
  step("the indicators' CSV agrees with the centre's report");

  // A tablet held upright: nothing wider than the screen, on the overview and the indicators.
  await leader.setViewportSize({ width: 768, height: 1024 });
  for (const [path, name] of [["/team", "13-overview-tablet"], [`/indicators?from=${from}&to=${to}`, "14-indicators-tablet"]]) {
    await leader.goto(`${base}${path}`);
    const overflow = await leader.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} is ${overflow} px wider than a tablet`);
    await shot(leader, name);
  }
  await leader.setViewportSize({ width: 1280, height: 720 });
  // The keyboard: the first Tab reaches the skip link, which takes the focus to the content.
  await leader.goto(`${base}/team`);
  await leader.keyboard.press("Tab");
  assert.equal(await leader.evaluate(() => document.activeElement?.className), "skip");
  await leader.keyboard.press("Enter");
  assert.equal(await leader.evaluate(() => document.activeElement?.id), "main");
  step("the page fits a tablet and starts with a skip link for the keyboard");

  await leader.goto(`${base}/team?lang=en`);
  assert.equal(await leader.textContent("h1"), "The team now");
  await leader.goto(`${base}/team?lang=da`);
  step("the page in English, and back in Danish");

  // ----- the operator: enrol a phone from its link, revoke it, the phone is refused ---------
  const opsContext = await browser.newContext({ locale: "da-DK" });
  const ops = await opsContext.newPage();
  pages.push(ops);
  await signIn(ops, "drift", account("drift").password);
  assert.match(ops.url(), /\/devices$/);
  await labelled(ops);
  await ops.fill("#worker", "Eve");
  await ops.selectOption("#team", "Vesterbro");
  await Promise.all([ops.waitForLoadState("load"), ops.click("#enrol-form button")]);
  assert.ok(await ops.isVisible("#enrol-qr svg"), "the QR code is shown");
  await shot(ops, "09-enrolment-qr");
  const link = (await ops.textContent("#enrol-link")).trim();
  const phone = {
    ...process.env,
    GADEPLAN_STORE: path.join(scratch, "eve.db"),
    GADEPLAN_KEY: "e".repeat(64),
  };
  execFileSync(bin("gadeplan"), ["init", "--worker", "Eve"], { env: phone });
  execFileSync(bin("gadeplan"), ["enrol", "--link", link], { env: phone });
  execFileSync(bin("gadeplan"), ["sync"], { env: phone });
  step("a phone enrols from the link the page shows");
  await ops.goto(`${base}/devices`);
  const eve = ops.locator("#devices tr", { hasText: "Eve" });
  await eve.locator("a.revoke").click();
  await ops.waitForSelector("#revoke-form");
  await shot(ops, "10-revoke-confirm");
  await ops.check("input[value=lost]");
  await Promise.all([ops.waitForLoadState("load"), ops.click("#revoke-confirm")]);
  assert.match(await ops.locator("#devices tr", { hasText: "Eve" }).textContent(), /lost/);
  await shot(ops, "11-devices");
  let refused = "";
  try {
    execFileSync(bin("gadeplan"), ["sync"], { env: phone, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    refused = String(e.stderr);
  }
  assert.match(refused, /revoked/, "the revoked phone is refused at its next sync");
  step("a phone revoked on the page is refused at its next sync");
  const opsPages = await ops.goto(`${base}/team`);
  assert.equal(opsPages.status(), 403, "an operator sees no team");

  // ----- the auditor ------------------------------------------------------------------------
  const auditContext = await browser.newContext({ acceptDownloads: true, locale: "da-DK" });
  const auditor = await auditContext.newPage();
  pages.push(auditor);
  await signIn(auditor, "revisor", account("revisor").password);
  assert.match(auditor.url(), /\/audit$/);
  assert.ok(await auditor.isVisible("#chain.good"), "the chain is intact");
  await shot(auditor, "12-audit");
  const [auditDownload] = await Promise.all([auditor.waitForEvent("download"), auditor.click("#audit-csv")]);
  const auditPath = path.join(artefacts, "audit.csv");
  await auditDownload.saveAs(auditPath);
  const actions = new Set(fs.readFileSync(auditPath, "utf8").split("\n").map((l) => l.split(",")[3]));
  for (const action of ["sign-in", "sign-in-failed", "overview-read", "checkin-acknowledged",
    "glass-broken", "citizen-free-text-read", "indicators-exported", "enrolment-made",
    "device-revoked"]) {
    assert.ok(actions.has(action), `${action} in the audit log`);
  }
  step("the auditor reads the log and its CSV");

  // ----- signing out ------------------------------------------------------------------------
  const cookies = await leaderContext.cookies();
  await Promise.all([leader.waitForLoadState("load"), leader.click("#sign-out")]);
  assert.match(leader.url(), /\/login$/);
  const replay = await browser.newContext();
  await replay.addCookies(cookies);
  const again = await replay.newPage();
  await again.goto(`${base}/team`);
  assert.match(again.url(), /\/login$/, "the signed-out session's cookie is refused");
  step("signing out ends the session");
  console.log(`\nbrowser: ${passed} passed, 0 failed (screenshots in target/browser-artefacts/)`);
} catch (e) {
  console.error(e);
  for (const [i, page] of pages.entries()) {
    await shot(page, `failed-${i}`).catch(() => {});
    console.error(`failed-${i}: ${page.url()}`);
  }
  console.log(`\nbrowser: ${passed} passed, 1 failed (screenshots in target/browser-artefacts/)`);
  process.exitCode = 1;
} finally {
  await browser.close();
  demo.kill("SIGINT");
  await new Promise((resolve) => demo.on("exit", resolve));
  fs.rmSync(scratch, { recursive: true, force: true });
}
