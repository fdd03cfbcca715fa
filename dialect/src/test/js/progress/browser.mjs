// Opens the test page (site/index.html, served by the progress dialect's static-dir together with socket.io-client
// 4.5.4's browser script) in Debian's headless Chromium, driven by playwright-core with the system browser (no
// browser download): waits for the connection and the session, sends a query, waits for the answer.
// Usage: node browser.mjs page '<json params>' — prints one JSON object (exit 1 on a harness error).
import { chromium } from "playwright-core";

const P = JSON.parse(process.argv[3]);
const deadline = setTimeout(() => fail("browser harness timeout"), P.timeoutMs ?? 50000);
let browser;
function fail(message) {
  console.log(JSON.stringify({ error: message }));
  if (browser) browser.close().catch(() => {});
  process.exit(1);
}

async function main() {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage();
  const consoleLines = [];
  page.on("console", (m) => consoleLines.push(m.text()));
  await page.goto(P.base + "/");
  await page.waitForFunction(() => document.getElementById("status").textContent === "Connected"
    && document.getElementById("session").textContent.length > 0
    && document.getElementById("tools").textContent !== "?", null, { timeout: 20000 });
  await page.click("#send");
  await page.waitForFunction(() => document.getElementById("answer").textContent.length > 0
    && document.getElementById("memory").children.length >= 2, null, { timeout: 20000 });
  const r = await page.evaluate(() => ({
    events: [...document.querySelectorAll("#events li")].map((li) => li.dataset.type),
    answer: document.getElementById("answer").textContent,
    success: document.getElementById("answer").dataset.success,
    memory: [...document.querySelectorAll("#memory li")].map((li) => li.textContent),
    errors: [...document.querySelectorAll("#errors li")].map((li) => li.textContent),
    tools: document.getElementById("tools").textContent,
    session: document.getElementById("session").textContent,
    transport: socket.io.engine.transport.name,
    version: typeof io.protocol,
  }));
  r.console = consoleLines;
  r.browser = browser.version();
  await browser.close();
  return r;
}

main()
  .then((r) => { clearTimeout(deadline); console.log(JSON.stringify(r)); process.exit(0); })
  .catch((e) => fail(String(e && e.stack || e)));
