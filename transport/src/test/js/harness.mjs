// Drives the official socket.io-client (and raw HTTP / WebSocket clients) against an AgentWire Socket.IO server.
// Usage: node harness.mjs <scenario> <base-url>   — prints one JSON object on stdout, exits 0 (1 on a harness error).
// Every wait is bounded; the Java test asserts on the JSON.
import http from "node:http";
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

async function handlers() {
  const s = connect("/handlers");
  await once(s, "connect");
  const answers = [];
  for (let i = 0; i < 10; i++) answers.push((await call(s, "h" + i))[0]);
  s.close();
  return { answers };
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

// direct emits and broadcasts missed while away come back exactly once, in the order they were sent
async function recoveryDirect(transports) {
  const a = connect("/", { transports });
  const b = connect("/", { transports });
  await Promise.all([once(a, "connect"), once(b, "connect")]);
  const got = [], bGot = [];
  a.on("seq", (n) => got.push(n));
  b.on("seq", (n) => bGot.push(n));
  await call(a, "join", "club");
  await call(b, "mixed", a.id, [["d", 0]]); // received live: the client now holds an offset
  await sleep(100);
  const firstId = a.id;
  const down = once(a, "disconnect");
  a.io.engine.close();
  await down;
  await call(b, "mixed", firstId, [["d", 1], ["b", 2], ["r", "club", 3], ["d", 4], ["x", 5], ["d", 6], ["r", "nobody", 7], ["b", 8]]);
  a.connect();
  await once(a, "connect");
  const recovered = a.recovered, sameId = a.id === firstId;
  await call(b, "mixed", a.id, [["d", 9], ["b", 10], ["r", "club", 11]]);
  // the last live events may take a while on a loaded machine: wait for them (bounded), then for a duplicate
  const end = Date.now() + 10000;
  while (!(got.includes(11) && bGot.includes(10)) && Date.now() < end) await sleep(20);
  await sleep(300);
  a.close(); b.close();
  return { recovered, sameId, got, bGot };
}

// events keep coming (direct, to the socket's room, to everyone) while the client drops and recovers
async function handover() {
  const count = 1500;
  const a = connect("/", { transports: ["websocket"] });
  const b = connect("/", { transports: ["websocket"] });
  await Promise.all([once(a, "connect"), once(b, "connect")]);
  const got = [];
  let dropAt = count / 3, reconnected = null;
  const done = new Promise((resolve) => a.on("n", (n) => {
    got.push(n);
    if (got.length === dropAt) {
      dropAt = -1;
      // Not inside this handler: socket.io-client hands decoded packets to the socket a tick later, so closing here
      // would buffer the rest of this read and emit it again after the recovery (a client quirk, whatever the server)
      setTimeout(() => a.io.engine.close(), 0);
      setTimeout(() => { a.connect(); reconnected = once(a, "connect"); }, 50);
    }
    if (n === count) resolve();
  }));
  await call(b, "burst", a.id, count);
  await Promise.race([done, sleep(10000)]);
  await sleep(200);
  if (reconnected) await reconnected;
  const bad = got.findIndex((n, i) => n !== i + 1);
  const r = { recovered: a.recovered, count: got.length, inOrder: bad < 0, last: got[got.length - 1],
    around: bad < 0 ? [] : got.slice(Math.max(0, bad - 3), bad + 4), firstBad: bad };
  a.close(); b.close();
  return r;
}

// a client receives what is aimed at its rooms and its id, and nothing else
async function notInRoom() {
  const [a, b, c] = [connect("/"), connect("/"), connect("/")];
  await Promise.all([a, b, c].map((s) => once(s, "connect")));
  const got = { a: [], b: [], c: [] };
  for (const [k, s] of Object.entries({ a, b, c })) s.on("seq", (m) => got[k].push(m));
  await call(a, "join", "r1");
  await call(b, "join", "r2");
  await call(c, "mixed", a.id, [["r", "r1", "to r1"], ["r", "r2", "to r2"], ["d", "to a"], ["r", "empty", "to nobody"], ["b", "to all"]]);
  await sleep(300);
  [a, b, c].forEach((s) => s.close());
  return got;
}

// many sockets, each sent its own direct emits: each gets exactly its own, in order
async function many() {
  const n = 200, perSocket = 5;
  const sockets = Array.from({ length: n }, () => connect("/many", { transports: ["websocket"] }));
  await Promise.all(sockets.map((s) => once(s, "connect", 15000)));
  const got = sockets.map(() => []);
  sockets.forEach((s, i) => s.on("mine", (id, k) => got[i].push([id, k])));
  const count = await call(sockets[0], "all-direct", perSocket);
  const expect = (i) => JSON.stringify(Array.from({ length: perSocket }, (_, k) => [sockets[i].id, k + 1]));
  for (let t = 0; t < 50 && !got.every((g, i) => JSON.stringify(g) === expect(i)); t++) await sleep(100);
  const wrong = got.map((g, i) => (JSON.stringify(g) === expect(i) ? null : { i, got: g })).filter((x) => x);
  sockets.forEach((s) => s.close());
  return { sockets: count[0], received: got.reduce((sum, g) => sum + g.length, 0), wrong: wrong.slice(0, 3), wrongCount: wrong.length };
}

// a held long-polling GET whose TCP connection drops: the Engine.IO session closes
async function dropPoll() {
  const url = base + "/socket.io/";
  const sid = JSON.parse((await (await fetch(url + "?EIO=4&transport=polling")).text()).substring(1)).sid;
  const q = `?EIO=4&transport=polling&sid=${sid}`;
  await fetch(url + q, { method: "POST", body: "40" });
  const reply = await (await fetch(url + q)).text(); // 40{"sid":…} then the "auth" event
  const socketId = JSON.parse(reply.split("\x1e")[0].substring(2)).sid;
  const agent = new http.Agent({ keepAlive: false });
  const held = http.get(url + q, { agent });
  const answered = new Promise((resolve) => {
    held.on("response", (res) => resolve("answered " + res.statusCode));
    held.on("error", () => resolve("dropped"));
  });
  await sleep(300);
  held.destroy();
  const outcome = await answered;
  await sleep(300);
  const after = await fetch(url + q);
  return { socketId, outcome, afterStatus: after.status, afterBody: await after.text() };
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

// cluster mode: the client's node dies (it writes nothing more); the client comes back through "the load balancer"
// on another node (OTHER_BASE) and recovers its id, rooms, data and every event it missed, exactly once
async function failover() {
  const other = process.env.OTHER_BASE;
  const a = connect("/", { transports: ["websocket"] });
  const b = io(other + "/", { forceNew: true, reconnection: false, transports: ["websocket"] });
  await Promise.all([once(a, "connect"), once(b, "connect")]);
  const ticks = [];
  a.on("tick", (n) => ticks.push(n));
  const firstId = a.id;
  await call(a, "set-data", "remember me");
  await call(a, "join", "club");
  await call(b, "tick", 1); // published on the other node, delivered on this one
  while (ticks.length < 1) await sleep(10);
  const down = once(a, "disconnect");
  a.emit("crash");
  const [reason] = await down;
  for (const n of [2, 3, 4]) await call(b, "tick", n);
  await call(b, "club", "for members");
  const club = [];
  a.on("club-msg", (m) => club.push(m));
  a.io.uri = other; // what a load balancer does when the node is gone
  a.connect();
  await once(a, "connect");
  await call(b, "tick", 5);
  while (ticks.length < 5) await sleep(10);
  await sleep(200);
  const who = await call(a, "whoami");
  const r = { reason, recovered: a.recovered, sameId: a.id === firstId, ticks, club, who };
  a.close(); b.close();
  return r;
}

const scenarios = {
  failover,
  echo,
  websocket: () => basic(["websocket"]),
  polling: () => basic(["polling"]),
  upgrade: () => basic(["polling", "websocket"]),
  namespaces, middleware, handlers, rooms, serverDisconnect,
  recovery: () => recovery(0),
  recoveryDirect: () => recoveryDirect(["websocket"]),
  recoveryDirectPolling: () => recoveryDirect(["polling"]),
  handover, notInRoom, many, dropPoll,
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
