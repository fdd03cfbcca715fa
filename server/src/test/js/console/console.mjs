// Drives AgentWire's web console in Debian's headless Chromium (playwright-core with the system browser: no browser
// download), against a running server, as an operator would — and an envelope client in a second page, as a user:
//   a wrong credential is refused; log in; a client connects (its row appears), starts a demo run; the run view shows
//   its events in order and the pending confirmation; cancel from the console (the client receives the cancellation);
//   disconnect a second client from the console (it is closed); a POST without the CSRF token gets 403; the client
//   leaves (its row disappears). Screenshots go to P.shots. Prints one JSON object (exit 1 on a harness error).
// Usage: node console.mjs '<json {base, key, shots, timeoutMs}>'
import { chromium } from "playwright-core";
import { io } from "socket.io-client";
import { createRequire } from "node:module";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const P = JSON.parse(process.argv[2]);
const deadline = setTimeout(() => fail("console harness timeout"), P.timeoutMs ?? 90000);
let browser;
let page;
const steps = [];
async function fail(message) {
  let shown = "";
  try { shown = await page?.innerText("body", { timeout: 2000 }); } catch { /* the page is gone */ }
  console.log(JSON.stringify({ error: message, steps, shown }));
  if (browser) browser.close().catch(() => {});
  process.exit(1);
}
const step = (s) => steps.push(s);
const wsUrl = P.base.replace("http", "ws") + "/ws";

// An envelope client in its own page: connects, optionally starts a session and a run; records everything.
async function client(page, startRun) {
  await page.goto(P.base + "/healthz");
  return page.evaluate(async ({ url, startRun }) => {
    const got = (window.got = []);
    const ws = (window.ws = new WebSocket(url));
    window.closeCode = null;
    ws.onclose = (e) => { window.closeCode = e.code; };
    const next = (pred) => new Promise((resolve) => {
      const seen = got.find(pred);
      if (seen) return resolve(seen);
      const t = setInterval(() => { const m = got.find(pred); if (m) { clearInterval(t); resolve(m); } }, 20);
    });
    ws.onmessage = (m) => got.push(JSON.parse(m.data));
    const hello = await next((m) => m.event === "system.connected");
    const id = hello.metadata?.connection_id ?? hello.content?.connection_id;
    if (!startRun) return { id };
    ws.send(JSON.stringify({ event: "user.create_session", content: {} }));
    const created = await next((m) => m.event === "agent.session_created");
    const session = created.content.session_id;
    ws.send(JSON.stringify({ event: "user.message", session_id: session, content: { text: "Compare three cities for a team offsite" } }));
    const first = await next((m) => m.metadata?.run_id);
    return { id, session, run: first.metadata.run_id };
  }, { url: wsUrl, startRun });
}

async function main() {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  const shot = (name) => page.screenshot({ path: `${P.shots}/${name}.png`, fullPage: false });
  const r = {};

  await page.goto(P.base + "/console");
  await page.waitForSelector("#credential");
  await shot("login");
  await page.fill("#credential", "not-the-key");
  await page.click("#login");
  await page.waitForSelector("#login-error");
  r.wrongCredential = await page.textContent("#login-error");
  step("wrong credential refused");
  // the refused login's 401 is logged by the browser as a failed resource: the only line allowed before logging in
  r.errorsBeforeLogin = errors.splice(0);

  await page.fill("#credential", P.key);
  await page.press("#credential", "Enter"); // the keyboard submits the form
  await page.waitForSelector("#nav-overview");
  r.cookie = (await context.cookies()).map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite, path: c.path }));
  step("logged in");

  const userPage = await context.newPage();
  const user = await client(userPage, true);
  r.user = user;
  step("client connected, run started " + user.run);

  await page.click("#nav-connections");
  await page.waitForSelector(`#connections-table tr[data-id="${user.id}"]`, { timeout: 20000 });
  r.connectionRow = await page.textContent(`#connections-table tr[data-id="${user.id}"]`);
  await shot("connections");
  step("connection listed");

  // a user of the rooms dialect (Socket.IO, spec 004) in a project room: the console lists it, found by a search
  const roomsUser = io(P.rooms + "/ws", { auth: { token: P.roomsToken }, forceNew: true, reconnection: false, transports: ["websocket"] });
  await new Promise((resolve, reject) => { roomsUser.on("connection_established", resolve); roomsUser.on("connect_error", reject); });
  r.roomsSubscribe = await roomsUser.timeout(10000).emitWithAck("subscribe", { room: "project:P1" });
  await page.fill("#search", "socket.io");
  await page.waitForSelector(`#connections-table tr[data-id="${roomsUser.id}"]`, { timeout: 20000 });
  r.roomsConnectionRow = await page.textContent(`#connections-table tr[data-id="${roomsUser.id}"]`);
  r.searchInfo = await page.$eval("#page-info", (e) => ({ total: Number(e.dataset.total), shown: Number(e.dataset.shown) }));
  await page.fill("#search", "");

  await page.click("#nav-rooms");
  await page.waitForSelector(`#rooms-table tr[data-id="session:${user.session}"]`, { timeout: 20000 });
  r.roomRow = await page.textContent(`#rooms-table tr[data-id="session:${user.session}"]`);
  await shot("rooms");
  r.projectRoomRow = await page.textContent(`#rooms-table tr[data-id="project:P1"]`);
  roomsUser.close();

  await page.click("#nav-sessions");
  await page.waitForSelector(`#sessions-table tr[data-id="${user.session}"]`, { timeout: 20000 });
  r.sessionRow = await page.textContent(`#sessions-table tr[data-id="${user.session}"]`);
  await shot("sessions");
  await page.click(`button[aria-label="Runs of session ${user.session}"]`); // the runs view, searched by the session
  await page.waitForSelector(`#runs-table tr[data-id="${user.run}"]`, { timeout: 20000 });
  r.runsSearch = await page.inputValue("#search");
  await page.click(`button[aria-label="Open run ${user.run}"]`);
  await page.waitForSelector("#pending", { timeout: 30000 });
  r.pendingText = await page.textContent("#pending");
  const consoleEvents = () => page.$$eval("#run-events li", (lis) => lis.map((li) => li.dataset.event));
  const clientEvents = () => userPage.evaluate((run) => window.got.filter((m) => m.metadata?.run_id === run).map((m) => m.event), user.run);
  r.runViewBeforeCancel = await consoleEvents();
  r.clientBeforeCancel = await clientEvents();
  await page.waitForSelector("#plan");
  await shot("run");
  step("run view with pending confirmation");

  await page.click("#cancel-run");
  r.cancelled = await userPage.evaluate((run) => new Promise((resolve) => {
    const t = setInterval(() => {
      const end = window.got.find((m) => m.event === "pipeline.completed" && m.metadata?.run_id === run);
      if (end) { clearInterval(t); resolve(end.metadata.status); }
    }, 20);
  }), user.run);
  await page.waitForFunction(() => document.getElementById("run-status")?.textContent === "cancelled"
    && [...document.querySelectorAll("#run-events li")].some((li) => li.dataset.event === "pipeline.completed"), null, { timeout: 20000 });
  r.runViewAfterCancel = await consoleEvents();
  r.clientAfterCancel = await clientEvents();
  step("cancelled from the console: " + r.cancelled);

  const otherPage = await context.newPage();
  const other = await client(otherPage, false);
  await page.click("#nav-connections");
  await page.waitForSelector(`#connections-table tr[data-id="${other.id}"]`, { timeout: 20000 });
  await page.click(`button[aria-label="Disconnect ${other.id}"]`);
  r.disconnectedCode = await otherPage.waitForFunction(() => window.closeCode, null, { timeout: 20000 }).then((h) => h.jsonValue());
  await page.waitForSelector(`#connections-table tr[data-id="${other.id}"]`, { state: "detached", timeout: 20000 });
  step("disconnected from the console");

  // from another page of the same browser (it has the session cookie), so the 403 is not logged by the console page
  r.noCsrf = await userPage.evaluate(async (run) => (await fetch("/console/cancel", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ run }) })).status, user.run);
  step("POST without CSRF token: " + r.noCsrf);

  await userPage.evaluate(() => window.ws.close());
  await page.waitForSelector(`#connections-table tr[data-id="${user.id}"]`, { state: "detached", timeout: 20000 });
  r.connectionGone = true;
  step("connection gone");

  await page.click("#nav-agents");
  await page.waitForSelector("#agents-table tbody tr");
  r.agents = await page.$$eval("#agents-table tbody tr", (trs) => trs.map((tr) => tr.dataset.id));
  await shot("agents");
  await page.click("#nav-cluster");
  await page.waitForSelector("#checks-table tbody tr");
  await shot("cluster");
  await page.click("#nav-overview");
  await page.waitForFunction(() => document.querySelectorAll(".chart canvas").length === 4, null, { timeout: 20000 });
  await page.waitForTimeout(2500); // a few more samples in the charts for the screenshot
  await shot("overview");
  step("views shown");

  r.consoleErrors = errors;
  r.accessibility = await audit();
  r.browser = browser.version();
  await browser.close();
  return r;
}

// axe-core's WCAG 2 A/AA rules on the login page and each view, in a context of its own that lets the audit script
// in (the console's Content-Security-Policy forbids injected scripts, as it should)
async function audit() {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 860 } });
  const p = await context.newPage();
  const run = async (where) => {
    await p.addScriptTag({ path: AXE });
    const violations = await p.evaluate(async () => (await axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] }))
      .violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })));
    return { where, violations };
  };
  const out = [];
  await p.goto(P.base + "/console");
  await p.waitForSelector("#credential");
  out.push(await run("login"));
  await p.fill("#credential", P.key);
  await p.press("#credential", "Enter");
  await p.waitForSelector("#nav-overview");
  for (const view of ["overview", "connections", "sessions", "runs", "agents", "rooms", "cluster"]) {
    await p.click("#nav-" + view);
    await p.waitForSelector(`#view[data-view="${view}"] h2`);
    if (view === "overview") await p.waitForSelector(".chart canvas");
    out.push(await run(view));
  }
  await context.close();
  return out;
}

main()
  .then((r) => { clearTimeout(deadline); console.log(JSON.stringify(r)); process.exit(0); })
  .catch((e) => fail(String((e && e.stack) || e)));
