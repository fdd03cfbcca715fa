// Drives the official socket.io-client (and raw HTTP / WebSocket clients) against an AgentWire Socket.IO server.
// Usage: node harness.mjs <scenario> <base-url>   — prints one JSON object on stdout, exits 0 (1 on a harness error).
// Every wait is bounded; the Java test asserts on the JSON.
import { io } from "socket.io-client";
import WebSocket from "ws";

const [scenario, base] = process.argv.slice(2);
const deadline = setTimeout(() => { console.log(JSON.stringify({ error: "harness timeout" })); process.exit(1); }, 25000);

function once(emitter, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    emitter.once(event, (...args) => { clearTimeout(t); resolve(args); });
  });
}
// emits with an acknowledgement and resolves with ALL the acknowledgement's arguments
const call = (s, ev, ...args) => new Promise((resolve, reject) =>
  s.timeout(5000).emit(ev, ...args, (err, ...res) => (err ? reject(err) : resolve(res))));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const connect = (path, opts = {}) => io(base + path, { forceNew: true, reconnection: false, ...opts });
const bytes = (b) => Array.from(new Uint8Array(b.buffer ? b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) : b));

async function basic(transports, upgrade = true) {
  const s = connect("/", { transports, upgrade });
  const [auth] = await Promise.all([once(s, "auth"), once(s, "connect")]);
  const echoed = await call(s, "echo", 1, "two", { three: [true] });
  // binary both ways, nested
  const bin = await call(s, "echo", { file: Buffer.from([1, 2, 3]), parts: [Buffer.from([4]), { deep: Buffer.from([5, 6]) }] });
  // server → client with an ack (server-side emitWithAck)
  s.on("question", (q, cb) => cb(q + "!"));
  const answer = once(s, "answer");
  s.emit("ask", "why");
  const [answered] = await answer;
  const pushed = once(s, "binary-push");
  s.emit("send-binary");
  const [pushedArg] = await pushed;
  if (upgrade && transports.length > 1 && s.io.engine.transport.name !== "websocket") await once(s.io.engine, "upgrade");
  const result = {
    connected: s.connected, auth, echoed, answered, transport: s.io.engine.transport.name,
    binEcho: { file: bytes(bin[0].file), part0: bytes(bin[0].parts[0]), deep: bytes(bin[0].parts[1].deep) },
    pushed: { isBuffer: Buffer.isBuffer(pushedArg.data), data: bytes(pushedArg.data), nested: bytes(pushedArg.list[0]) },
  };
  s.close();
  return result;
}

async function namespaces() {
  const main = connect("/", { forceNew: false });
  const admin = io(base + "/admin", { reconnection: false });
  await Promise.all([once(main, "connect"), once(admin, "connect")]);
  const a = await call(admin, "echo", "admin");
  const m = await call(main, "echo", "main");
  const r = { sameManager: main.io === admin.io, engines: main.io.engine === admin.io.engine, a, m, ids: [main.id, admin.id] };
  main.io.engine.close();
  return r;
}

async function middleware() {
  const good = connect("/private", { auth: { token: "secret" } });
  await once(good, "connect");
  const data = await call(good, "whoami");
  const bad = connect("/private", { auth: { token: "wrong" } });
  const [err] = await once(bad, "connect_error");
  const unknown = connect("/nowhere");
  const [err2] = await once(unknown, "connect_error");
  good.close(); bad.close(); unknown.close();
  return { accepted: data, rejected: { message: err.message, data: err.data }, unknownNamespace: err2.message };
}

async function rooms() {
  const [a, b, c] = [connect("/"), connect("/"), connect("/")];
  await Promise.all([a, b, c].map((s) => once(s, "connect")));
  const got = { a: [], b: [], c: [] };
  for (const [k, s] of Object.entries({ a, b, c })) s.on("room-msg", (m) => got[k].push(m));
  await call(a, "join", "r");
  await call(b, "join", "r");
  await call(c, "room-except", "r", a.id, "hello room"); // to("r").except(a.id)
  await call(c, "room-except", "r", "nobody", "second");
  await sleep(200);
  [a, b, c].forEach((s) => s.close());
  return got;
}

async function serverDisconnect() {
  const s = connect("/");
  await once(s, "connect");
  const other = connect("/");
  await once(other, "connect");
  const gone = once(s, "disconnect");
  s.emit("kick");
  const [reason] = await gone;
  const stillFine = await call(other, "echo", "ok");
  other.close();
  return { reason, stillFine };
}

async function recovery(waitMs) {
  const a = connect("/");
  const b = connect("/");
  await Promise.all([once(a, "connect"), once(b, "connect")]);
  const ticks = [];
  a.on("tick", (n, offset) => ticks.push(n));
  const firstId = a.id;
  await call(a, "set-data", "remember me");
  await call(a, "join", "club");
  await call(b, "tick", 1);
  await sleep(100);
  const down = once(a, "disconnect");
  a.io.engine.close();
  const [reason] = await down;
  for (const n of [2, 3, 4]) await call(b, "tick", n);
  await call(b, "club", "for members");
  const club = [];
  a.on("club-msg", (m) => club.push(m));
  if (waitMs) await sleep(waitMs);
  a.connect();
  await once(a, "connect");
  await call(b, "tick", 5);
  await sleep(300);
  const who = await call(a, "whoami");
  const r = { reason, recovered: a.recovered, sameId: a.id === firstId, ticks, club, who };
  a.close(); b.close();
  return r;
}

async function raw() {
  const url = base + "/socket.io/";
  const wsUrl = url.replace("http", "ws");
  const out = {};
  const bystander = connect("/", { transports: ["websocket"] });
  await once(bystander, "connect");
  const status = async (q, init) => { const r = await fetch(url + q, init); return [r.status, await r.text()]; };
  out.badVersion = await status("?EIO=3&transport=polling");
  out.noTransport = await status("?EIO=4");
  out.badTransport = await status("?EIO=4&transport=abc");
  out.badMethod = await status("?EIO=4&transport=polling", { method: "PUT" });
  out.unknownSid = await status("?EIO=4&transport=polling&sid=nope");
  // a polling session
  const open = await (await fetch(url + "?EIO=4&transport=polling")).text();
  const sid = JSON.parse(open.substring(1)).sid;
  out.open = JSON.parse(open.substring(1));
  const q = `?EIO=4&transport=polling&sid=${sid}`;
  const post = (body) => fetch(url + q, { method: "POST", body }).then((r) => r.status);
  out.connectPost = await post("40");
  out.connectReply = await (await fetch(url + q)).text();
  // two concurrent GETs: the second is refused and the session closes
  const [g1, g2] = await Promise.all([status(q), sleep(100).then(() => status(q))]);
  out.overlap = [g1, g2];
  out.afterOverlap = await status(q);
  // oversized POST
  const s2 = JSON.parse((await (await fetch(url + "?EIO=4&transport=polling")).text()).substring(1)).sid;
  out.oversized = (await fetch(url + `?EIO=4&transport=polling&sid=${s2}`, { method: "POST", body: "4" + "x".repeat(1100) })).status;
  // websocket: malformed input closes only that connection
  const wsCase = (frames) => new Promise((resolve) => {
    const ws = new WebSocket(wsUrl + "?EIO=4&transport=websocket");
    const got = [];
    ws.on("message", (d) => {
      got.push(d.toString());
      if (got.length === 1) ws.send("40");
      if (got.length === 2) frames.forEach((f) => ws.send(f));
    });
    ws.on("close", () => resolve({ closed: true, got }));
    setTimeout(() => { resolve({ closed: false, got }); ws.terminate(); }, 2000);
  });
  out.unknownType = await wsCase(["49abc"]);
  out.nonArrayEvent = await wsCase(["42{}"]);
  out.badAck = await wsCase(['42abc["x"]']);
  out.eventForOtherNamespace = await wsCase(['42/admin,["echo"]']);
  out.unknownNamespace = await wsCase(["40/random,"]);
  out.oversizedFrame = await wsCase(["4" + "y".repeat(1200)]);
  out.unknownSidWs = await new Promise((resolve) => {
    const ws = new WebSocket(wsUrl + "?EIO=4&transport=websocket&sid=nope");
    ws.on("unexpected-response", (req, res) => resolve(res.statusCode));
    ws.on("open", () => resolve("opened"));
    ws.on("error", () => {});
  });
  out.bystander = await call(bystander, "echo", "still here");
  bystander.close();
  return out;
}

// the official socket.io-protocol test suite's checks, against the echo server (EIO 4 / Socket.IO v5 wire)
async function echo() {
  const url = base + "/socket.io/";
  const wsUrl = url.replace("http", "ws");
  const out = {};
  const open = await (await fetch(url + "?EIO=4&transport=polling")).text();
  out.handshake = JSON.parse(open.substring(1));
  // heartbeat over polling: the server pings, the client pongs
  const sid = out.handshake.sid;
  out.ping = await (await fetch(url + `?EIO=4&transport=polling&sid=${sid}`)).text();
  out.pong = (await fetch(url + `?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: "3" })).status;
  // a session that never answers is closed after pingInterval + pingTimeout
  const idle = JSON.parse((await (await fetch(url + "?EIO=4&transport=polling")).text()).substring(1)).sid;
  await sleep(300 + 200 + 300);
  out.afterTimeout = (await fetch(url + `?EIO=4&transport=polling&sid=${idle}`)).status;
  const frames = (send, count) => new Promise((resolve) => {
    const ws = new WebSocket(wsUrl + "?EIO=4&transport=websocket");
    const got = [];
    ws.on("message", (d, isBinary) => {
      const v = isBinary ? Array.from(d) : d.toString();
      if (v === "2") { ws.send("3"); return; }
      got.push(v);
      if (got.length === 1) send(ws);
      if (got.length === count) { ws.close(); resolve(got); }
    });
    setTimeout(() => { ws.terminate(); resolve(got); }, 3000);
  });
  out.connect = await frames((ws) => ws.send('40{"token":"123"}'), 3);
  out.custom = await frames((ws) => ws.send("40/custom,"), 3);
  out.message = await frames((ws) => { ws.send("40"); ws.send('42["message",1,"2",{"3":[true]}]'); }, 4);
  out.ack = await frames((ws) => { ws.send("40"); ws.send('42456["message-with-ack",1,"2",{"3":[false]}]'); }, 4);
  out.binary = await frames((ws) => {
    ws.send("40");
    ws.send('452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    ws.send(Uint8Array.from([1, 2, 3]));
    ws.send(Uint8Array.from([4, 5, 6]));
  }, 6);
  return out;
}

const scenarios = {
  echo,
  websocket: () => basic(["websocket"]),
  polling: () => basic(["polling"]),
  upgrade: () => basic(["polling", "websocket"]),
  namespaces, middleware, rooms, serverDisconnect,
  recovery: () => recovery(0),
  expired: () => recovery(1200),
  raw,
};

try {
  const result = await scenarios[scenario]();
  console.log(JSON.stringify(result));
  clearTimeout(deadline);
  process.exit(0);
} catch (e) {
  console.log(JSON.stringify({ error: String(e && e.stack || e) }));
  process.exit(1);
}
