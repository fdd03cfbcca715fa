// Connects to AgentWire's Socket.IO Admin UI namespace as the official Admin UI (@socket.io/admin-ui 0.5.1, its
// ui/) does: the same io() options and the same event handlers as its App.vue, feeding what arrives into the UI's
// own Vuex store modules (main, servers, config), which this harness takes from the package's published source map
// (ui/dist/js/app.*.js.map) so that the assertions are about what the real UI would show. A normal client comes and
// goes meanwhile; the admin disconnects one with the UI's own "_disconnect" call.
// Usage: node harness.mjs <scenario> '<json params>' — prints one JSON object on stdout (exit 1 on a harness error).
// Params: base (the Socket.IO port's URL), path (Engine.IO path), username, password, wrongUser (a user the password
// is not good for, optional), app: {nsp, auth, event: [name, arg], ack (whether the event is acknowledged), room
// (the room the event joins, or false), sent (whether the server sends the client an event)}. Every wait is bounded; the Java test asserts on the JSON.
import { io } from "socket.io-client";
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [scenario, paramText] = process.argv.slice(2);
const P = JSON.parse(paramText);
const deadline = setTimeout(() => fail("harness timeout"), P.timeoutMs ?? 50000);

function fail(message) {
  console.log(JSON.stringify({ error: message }));
  process.exit(1);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function once(emitter, event, ms = 10000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    emitter.once(event, (...args) => { clearTimeout(t); resolve(args); });
  });
}
async function until(what, pred, ms = 15000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("condition not met in time: " + what);
    await sleep(10);
  }
}

// ---- the Admin UI's own store modules, from its source map ----

async function loadStore() {
  const dir = new URL("./node_modules/@socket.io/admin-ui/ui/dist/js/", import.meta.url);
  const mapFile = readdirSync(dir).find((f) => /^app\..*\.js\.map$/.test(f));
  const map = JSON.parse(readFileSync(new URL(mapFile, dir), "utf8"));
  const source = (name) => map.sourcesContent[map.sources.indexOf(`webpack:///./src/${name}`)];
  const lodash = new URL("./node_modules/lodash-es/lodash.js", import.meta.url).href;
  const out = mkdtempSync(join(tmpdir(), "admin-ui-store-"));
  const write = (file, text) => {
    const fixed = text.replace(/from "lodash-es"/g, `from "${lodash}"`)
      .replace(/from "(@\/util|\.\.\/\.\.\/util)"/g, `from "./util.mjs"`);
    writeFileSync(join(out, file), fixed);
    return pathToFileURL(join(out, file)).href;
  };
  write("util.mjs", source("util.js"));
  const modules = {
    main: (await import(write("main.mjs", source("store/modules/main.js")))).default,
    servers: (await import(write("servers.mjs", source("store/modules/servers.js")))).default,
    config: (await import(write("config.mjs", source("store/modules/config.js")))).default,
  };
  rmSync(out, { recursive: true, force: true }); // imported modules stay loaded; the copies are not needed
  return {
    state: Object.fromEntries(Object.entries(modules).map(([k, m]) => [k, m.state])),
    commit(type, payload) {
      const [mod, mutation] = type.split("/");
      modules[mod].mutations[mutation](modules[mod].state, payload);
    },
    getter(mod, name) {
      return modules[mod].getters[name](modules[mod].state);
    },
  };
}

// App.vue's registerEventListeners, with its defaults, and a raw log of what came
function registerEventListeners(socket, store, log) {
  const defaultTimestamp = () => new Date().toISOString();
  socket.onAny((event, ...args) => log.push({ event, args }));
  socket.on("session", (sessionId) => { log.sessionId = sessionId; });
  socket.on("config", (config) => store.commit("config/updateConfig", config));
  socket.on("server_stats", (serverStats) => {
    store.commit("servers/onServerStats", serverStats);
    store.commit("main/onServerStats", serverStats);
  });
  socket.on("all_sockets", (sockets) => store.commit("main/onAllSockets", sockets));
  socket.on("socket_connected", (socket, timestamp = defaultTimestamp()) =>
    store.commit("main/onSocketConnected", { timestamp, socket }));
  socket.on("socket_updated", (socket) => store.commit("main/onSocketUpdated", socket));
  socket.on("socket_disconnected", (nsp, id, reason, timestamp = defaultTimestamp()) =>
    store.commit("main/onSocketDisconnected", { timestamp, nsp, id, reason }));
  socket.on("room_joined", (nsp, room, id, timestamp = defaultTimestamp()) =>
    store.commit("main/onRoomJoined", { timestamp, nsp, room, id }));
  socket.on("room_left", (nsp, room, id, timestamp = defaultTimestamp()) =>
    store.commit("main/onRoomLeft", { timestamp, nsp, room, id }));
  socket.on("event_received", (nsp, id, args, timestamp) =>
    store.commit("main/onEventReceived", { timestamp, nsp, id, args }));
  socket.on("event_sent", (nsp, id, args, timestamp) =>
    store.commit("main/onEventSent", { timestamp, nsp, id, args }));
}

// App.vue's tryConnect options
const adminSocket = (auth) => io(P.base + "/admin", {
  forceNew: true, reconnection: false, withCredentials: true, transports: ["polling", "websocket"],
  path: P.path, auth,
});
const appSocket = () => io(P.base + P.app.nsp, { forceNew: true, reconnection: false, path: P.path, auth: P.app.auth });

async function refused(s) {
  const [err] = await once(s, "connect_error");
  s.close();
  return err.message;
}

// what the UI shows: per namespace its sockets and rooms, the clients, the servers
function snapshot(store) {
  const ns = store.state.main.namespaces.map((n) => ({
    name: n.name,
    sockets: n.sockets.map((s) => ({ id: s.id, clientId: s.clientId, transport: s.transport, rooms: [...s.rooms],
      address: s.handshake?.address, headers: s.handshake?.headers, query: s.handshake?.query })),
    rooms: n.rooms.map((r) => ({ name: r.name, isPrivate: r.isPrivate, sockets: r.sockets.map((s) => s.id) })),
    events: n.events.map((e) => ({ type: e.type, id: e.id, eventName: e.eventName, args: e.args })),
  }));
  return JSON.parse(JSON.stringify({ // a copy: the store's objects change later
    namespaces: ns,
    clients: store.state.main.clients.map((c) => c.id),
    servers: store.state.servers.servers.map((s) => ({ serverId: s.serverId, hostname: s.hostname, pid: s.pid,
      uptime: s.uptime, clientsCount: s.clientsCount, pollingClientsCount: s.pollingClientsCount,
      healthy: s.healthy, namespaces: s.namespaces })),
    serverNamespaces: store.getter("servers", "namespaces"),
    aggregatedTypes: [...new Set(store.state.main.aggregatedEvents.map((e) => e.type))].sort(),
    supportedFeatures: store.state.config.supportedFeatures,
  }));
}
const nsOf = (store, name) => store.state.main.namespaces.find((n) => n.name === name);
const hasSocket = (store, nsp, id) => !!nsOf(store, nsp)?.sockets.find((s) => s.id === id);
const hasEvent = (store, nsp, pred) => !!nsOf(store, nsp)?.events.find(pred);

// ---- scenarios ----

async function refusedOnly() {
  return {
    wrong: await refused(adminSocket({ username: P.username, password: P.password + "-wrong" })),
    none: await refused(adminSocket(undefined)),
  };
}

async function tour() {
  const r = {};
  const store = await loadStore();
  r.wrongPassword = await refused(adminSocket({ username: P.username, password: P.password + "-wrong" }));
  if (P.wrongUser) r.wrongUser = await refused(adminSocket({ username: P.wrongUser, password: P.password }));
  r.noAuth = await refused(adminSocket(undefined));

  const a = appSocket();
  await once(a, "connect");
  r.a = a.id;

  const log = [];
  const admin = adminSocket({ username: P.username, password: P.password });
  registerEventListeners(admin, store, log);
  await once(admin, "connect");
  r.admin = admin.id;
  await until("config, all_sockets and server_stats", () => store.state.config.supportedFeatures.length > 0
    && log.some((e) => e.event === "all_sockets") && store.state.servers.servers.length > 0);
  r.sessionId = log.sessionId ?? null;
  r.order = log.map((e) => e.event).filter((e, i, all) => all.indexOf(e) === i);
  r.allSockets = log.find((e) => e.event === "all_sockets").args[0];
  r.initial = snapshot(store);

  const b = appSocket();
  await once(b, "connect");
  r.b = b.id;
  await until("b listed", () => hasSocket(store, P.app.nsp, b.id));
  // it connected over long-polling and upgrades to a WebSocket: the UI is told (socket_updated)
  await until("b shown on its WebSocket", () => nsOf(store, P.app.nsp).sockets.find((s) => s.id === b.id)?.transport === "websocket");
  r.bTransport = "websocket";
  const [name, arg] = P.app.event;
  if (P.app.ack) r.ack = await b.timeout(10000).emitWithAck(name, arg); else b.emit(name, arg);
  await until("b's event received", () => hasEvent(store, P.app.nsp, (e) => e.type === "event_received" && e.id === b.id));
  // that room itself: any room_joined of b's could be one of its automatic rooms', seen before the one its event
  // causes reaches the admin (after b's own ack)
  if (P.app.room) await until(`b in ${P.app.room}`, () =>
    nsOf(store, P.app.nsp).sockets.find((s) => s.id === b.id)?.rooms.includes(P.app.room)
    && hasEvent(store, P.app.nsp, (e) => e.type === "room_joined" && e.id === b.id && e.args === P.app.room));
  if (P.app.sent) await until("an event sent to b", () => hasEvent(store, P.app.nsp, (e) => e.type === "event_sent" && e.id === b.id));
  r.withB = snapshot(store);

  // Sockets.vue's disconnect button
  const gone = once(b, "disconnect");
  admin.emit("_disconnect", P.app.nsp, false, b.id);
  r.bReason = (await gone)[0];
  await until("b gone", () => !hasSocket(store, P.app.nsp, b.id));

  // the other actions: a joins a room, gets an event emitted to that room, leaves it
  const vip = "vip-" + a.id;
  admin.emit("join", P.app.nsp, vip, a.id);
  await until("a in the room", () => nsOf(store, P.app.nsp).sockets.find((s) => s.id === a.id)?.rooms.includes(vip));
  const hello = once(a, "hello-from-admin");
  admin.emit("emit", P.app.nsp, vip, "hello-from-admin", { x: 1 });
  r.emitted = (await hello)[0];
  admin.emit("leave", P.app.nsp, vip, a.id);
  await until("a out of the room", () => !nsOf(store, P.app.nsp).rooms.find((x) => x.name === vip));

  a.close();
  await until("a gone", () => !hasSocket(store, P.app.nsp, a.id));
  const statsBefore = log.filter((e) => e.event === "server_stats").length;
  await until("two more server_stats", () => log.filter((e) => e.event === "server_stats").length >= statsBefore + 2, 20000);
  r.final = snapshot(store);
  r.lastStats = log.filter((e) => e.event === "server_stats").at(-1).args[0];

  // a reload of the page: the UI connects with the session id it was given
  const again = adminSocket({ sessionId: r.sessionId });
  await once(again, "connect");
  r.sessionReconnect = again.connected;
  again.close();
  admin.close();
  return r;
}

// A short look: a refusal, then a login; with a normal client connected, the features, whether a socket list came,
// the stats, and whether a "_disconnect" of the client was obeyed (after two more server_stats).
async function peek() {
  const r = { refused: await refused(adminSocket({ username: P.username, password: P.password + "-wrong" })) };
  const a = P.app.auth ? appSocket() : null; // without app.auth: no normal client
  if (a) await once(a, "connect");
  const log = [];
  const admin = adminSocket({ username: P.username, password: P.password });
  admin.onAny((event, ...args) => log.push({ event, args }));
  await once(admin, "connect");
  const stats = () => log.filter((e) => e.event === "server_stats").length;
  await until("config and stats", () => log.some((e) => e.event === "config") && stats() > 0);
  r.features = log.find((e) => e.event === "config").args[0].supportedFeatures;
  if (a) admin.emit("_disconnect", P.app.nsp, false, a.id);
  const seen = stats();
  await until("two more server_stats", () => stats() >= seen + 2, 20000);
  r.allSockets = log.some((e) => e.event === "all_sockets");
  r.stats = log.filter((e) => e.event === "server_stats").at(-1).args[0];
  r.stillConnected = a?.connected ?? null;
  a?.close();
  admin.close();
  return r;
}

// The Admin UI itself (ui/dist of the package, served from another port as a self-hosted copy would be) in headless
// Chromium: the login form with a wrong, then the right password, the socket list showing a normal client, the
// disconnect button. Screenshots go to P.shots.
async function browser() {
  const r = {};
  const a = appSocket();
  await once(a, "connect");
  r.a = a.id;
  const dist = new URL("./node_modules/@socket.io/admin-ui/ui/dist/", import.meta.url);
  const types = { html: "text/html", js: "text/javascript", css: "text/css", png: "image/png", svg: "image/svg+xml", map: "application/json" };
  const site = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname.replace(/^\/+/, "") || "index.html";
    try {
      if (path.includes("..")) throw new Error("no");
      const body = readFileSync(new URL(path, dist));
      res.writeHead(200, { "content-type": types[path.split(".").pop()] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => site.listen(0, "127.0.0.1", ok));
  const ui = `http://127.0.0.1:${site.address().port}/`;
  const b = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await b.newPage({ viewport: { width: 1366, height: 800 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    // the page's web fonts and icons come from CDNs: not in a test
    await page.route(/^https?:\/\/(fonts\.googleapis\.com|cdn\.jsdelivr\.net)\//, (route) => route.abort());
    await page.addInitScript(([base, path]) => {
      if (!localStorage.getItem("server_url")) {
        localStorage.setItem("server_url", base);
        localStorage.setItem("ws_only", "true"); // another origin: see docs/admin-ui.md
        localStorage.setItem("path", path);
      }
    }, [P.base, P.path]);
    await page.goto(ui);
    const dialog = page.locator(".v-dialog--active");
    await dialog.waitFor({ timeout: 20000 });
    await dialog.getByLabel("Username").fill(P.username);
    await dialog.getByLabel("Password").fill(P.password + "-wrong");
    await dialog.getByRole("button", { name: "Connect" }).click();
    await dialog.getByText(/invalid credentials/i).waitFor({ timeout: 20000 });
    r.wrongShown = true;
    await dialog.getByLabel("Password").fill(P.password);
    await dialog.getByRole("button", { name: "Connect" }).click();
    await dialog.waitFor({ state: "hidden", timeout: 20000 });
    await page.getByText(/server/i).first().waitFor({ timeout: 20000 });
    mkdirSync(P.shots, { recursive: true });
    await page.waitForTimeout(2500); // a server_stats or two for the charts of the screenshot (nothing asserted on it)
    await page.screenshot({ path: P.shots + "/admin-ui-dashboard.png", fullPage: true });
    await page.goto(ui + "#/sockets/");
    const row = page.locator("tr", { hasText: a.id });
    await row.waitFor({ timeout: 20000 });
    r.listed = true;
    await page.waitForFunction(() => !document.querySelector(".v-slide-y-reverse-transition-enter-active, .v-slide-y-transition-enter-active"));
    await page.screenshot({ path: P.shots + "/admin-ui-sockets.png", fullPage: true });
    const gone = once(a, "disconnect", 20000);
    await row.locator("button").click(); // (the click on the row also opens the socket's page)
    r.aReason = (await gone)[0];
    await page.goto(ui + "#/sockets/");
    await page.getByText("No data available").waitFor({ timeout: 20000 });
    // (the socket's page slides out meanwhile)
    await page.waitForFunction((id) => ![...document.querySelectorAll("tr")].some((t) => t.textContent.includes(id)),
      a.id, { timeout: 20000 });
    r.unlisted = true;
    r.pageErrors = errors;
  } finally {
    await b.close();
    site.close();
  }
  return r;
}

const scenarios = { refused: refusedOnly, tour, peek, browser };
try {
  if (!scenarios[scenario]) fail("unknown scenario " + scenario);
  const result = await scenarios[scenario]();
  clearTimeout(deadline);
  console.log(JSON.stringify(result));
  process.exit(0);
} catch (e) {
  fail(String(e && e.stack || e));
}
