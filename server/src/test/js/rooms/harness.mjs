// Drives the official socket.io-client against AgentWire's rooms dialect (spec 004), as a client written against
// the document would: io(BASE + "/ws", {auth: {token}}) or io(BASE + "/ws?token=…"), subscribe / unsubscribe / ping
// with acknowledgements, server events published by a backend over the HTTP API.
// Usage: node harness.mjs <scenario> '<json params>' — prints one JSON object on stdout (exit 1 on a harness error).
// Params: base (the rooms port's URL), key (the API key), tokens ({name: jwt}), and what the scenario needs.
// Every wait is bounded; the Java test asserts on the JSON.
import { io } from "socket.io-client";

const [scenario, paramText] = process.argv.slice(2);
const P = JSON.parse(paramText);
const deadline = setTimeout(() => fail("harness timeout"), P.timeoutMs ?? 50000);

function fail(message) {
  console.log(JSON.stringify({ error: message }));
  process.exit(1);
}

function once(emitter, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    emitter.once(event, (...args) => { clearTimeout(t); resolve(args); });
  });
}
// emits with an acknowledgement (as the document's examples do) and resolves with the response
const call = (s, ev, arg) => new Promise((resolve, reject) =>
  s.timeout(5000).emit(ev, arg, (err, res) => (err ? reject(err) : resolve(res))));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// the document's client: io("http://localhost:8000/ws", {auth: {token}}); no automatic reconnection in tests
const connect = (token, opts = {}) =>
  io(P.base + "/ws", { forceNew: true, reconnection: false, ...(token === undefined ? {} : { auth: { token } }), ...opts });

async function connected(s) {
  const [established] = await Promise.all([once(s, "connection_established").then((a) => a[0]), once(s, "connect")]);
  return established;
}
async function refused(s) {
  const [err] = await once(s, "connect_error");
  const r = { message: err.message, data: err.data, active: s.active, connected: s.connected };
  s.close();
  return r;
}

async function api(method, path, body, key = P.key, base = P.api) {
  const headers = { "content-type": "application/json" };
  if (key) headers["x-api-key"] = key;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: json };
}

// Records every server event a socket receives (name and payload; the recovery offset argument is dropped).
function recorder(s) {
  const got = [];
  s.onAny((event, payload) => got.push({ event, payload }));
  return got;
}
const until = async (pred, ms = 10000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(10);
  }
};

// ---- scenarios ----

// Connection and every client command with every documented code.
async function flows() {
  const r = {};
  const alice = connect(P.tokens.alice); // projects claim: [P1]
  r.established = await connected(alice);
  r.aliceId = alice.id;
  r.transport = alice.io.engine.transport.name;
  const bob = io(P.base + "/ws?token=" + P.tokens.bob, { forceNew: true, reconnection: false }); // Method 2
  r.bobEstablished = await connected(bob);

  r.missing = await refused(connect(undefined));
  r.emptyToken = await refused(connect(""));
  r.garbage = await refused(connect("not-a-jwt"));
  r.mainNamespace = await refused(io(P.base, { forceNew: true, reconnection: false, auth: { token: P.tokens.alice } }));

  const sub = (s, room) => call(s, "subscribe", { room });
  const unsub = (s, room) => call(s, "unsubscribe", { room });
  r.subscribe = {
    ownProject: await sub(alice, "project:P1"),
    otherProject: await sub(alice, "project:P2"),
    ownUser: await sub(alice, "user:alice"),
    otherUser: await sub(alice, "user:bob"),
    agent: await sub(alice, "agent:A1"),
    global: await sub(alice, "global"),
    unknownType: await sub(alice, "team:x"),
    noId: await sub(alice, "project:"),
    whitespace: await sub(alice, "project:has space"),
    notAString: await call(alice, "subscribe", { room: 5 }),
    noPayload: await call(alice, "subscribe", {}),
    bare: await sub(alice, "Global"),
  };
  r.unsubscribe = {
    project: await unsub(alice, "project:P1"),
    again: await unsub(alice, "project:P1"),
    invalid: await unsub(alice, "nope"),
  };
  r.ping = await call(alice, "ping", {});

  // grants over the HTTP API: bob may follow P2 only once granted, and loses the room when revoked
  r.beforeGrant = await sub(bob, "project:P2");
  r.grant = await api("PUT", "/api/v1/access/projects/P2/users/bob");
  r.afterGrant = await sub(bob, "project:P2");
  r.listed = await api("GET", "/api/v1/access/users/bob");
  const bobGot = recorder(bob);
  const pr = { pr_id: "pr-1", project_id: "P2", title: "granted" };
  r.publishGranted = await api("POST", "/api/v1/events", { type: "pr.created", data: pr });
  await until(() => bobGot.some((e) => e.event === "pr.created"));
  r.revoke = await api("DELETE", "/api/v1/access/projects/P2/users/bob");
  r.afterRevoke = await sub(bob, "project:P2");
  await api("POST", "/api/v1/events", { type: "pr.created", data: { ...pr, title: "revoked" } });
  await api("POST", "/api/v1/events", { type: "agent.status_changed", data: { agent_id: "sentinel", status: "online" } });
  await until(() => bobGot.some((e) => e.event === "agent.status_changed"));
  r.bobPrTitles = bobGot.filter((e) => e.event === "pr.created").map((e) => e.payload.data.title);
  r.listedAfter = await api("GET", "/api/v1/access/users/bob");
  r.accessNotFound = await api("PUT", "/api/v1/access/projects/P2");

  const down = once(alice, "disconnect");
  alice.disconnect();
  r.clientDisconnect = (await down)[0];
  bob.close();
  return r;
}

// Every event type published over HTTP reaches exactly its documented rooms; a sentinel to `global` closes the run.
async function routing() {
  const clients = {};
  const got = {};
  for (const [name, rooms] of Object.entries(P.subscriptions)) {
    const s = connect(P.tokens[name]);
    got[name] = recorder(s);
    await connected(s);
    for (const room of rooms) {
      const res = await call(s, "subscribe", { room });
      if (res.status !== "success") throw new Error(`${name} could not subscribe to ${room}: ${JSON.stringify(res)}`);
    }
    clients[name] = s;
  }
  const stats = await api("GET", "/api/v1/websocket/stats");
  const published = [];
  for (const e of P.events) published.push(await api("POST", "/api/v1/events", e));
  const sentinel = { type: "agent.status_changed", data: { agent_id: "sentinel", status: "idle" } };
  published.push(await api("POST", "/api/v1/events", sentinel));
  const isSentinel = (e) => e.event === "agent.status_changed" && e.payload.data.agent_id === "sentinel";
  await until(() => Object.values(got).every((list) => list.some(isSentinel)));
  const received = {};
  for (const [name, list] of Object.entries(got)) {
    received[name] = list.filter((e) => e.event !== "connection_established" && !isSentinel(e));
  }
  Object.values(clients).forEach((s) => s.close());
  return { stats, published, received };
}

// Each named token is refused with connection_error (or accepted, for the good ones).
async function tokens() {
  const out = {};
  for (const [name, token] of Object.entries(P.tokens)) {
    const s = connect(token);
    const result = await Promise.race([
      once(s, "connection_established", 5000).then(([e]) => ({ accepted: true, user: e.data.user_id })),
      once(s, "connect_error", 5000).then(([err]) => ({ accepted: false, message: err.message, data: err.data })),
    ]);
    s.close();
    out[name] = result;
  }
  // every socket is closed now: none may stay counted (a refused one must never have been)
  let stats;
  const end = Date.now() + 10000;
  do {
    stats = await api("GET", "/api/v1/websocket/stats");
    if (stats.body && stats.body.connections === 0) break;
    await sleep(50);
  } while (Date.now() < end);
  out._connectionsAfter = stats.body ? stats.body.connections : -1;
  return out;
}

// N clients in one project room each receive every published event exactly once.
async function fanout() {
  const n = P.clients, count = P.events;
  const sockets = [], counts = [];
  for (let i = 0; i < n; i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 100); j++) {
      const s = connect(P.tokens.member, { transports: ["websocket"] });
      const seen = new Map();
      counts.push(seen);
      s.on("workflow.progress", (e) => seen.set(e.data.current_step, (seen.get(e.data.current_step) ?? 0) + 1));
      sockets.push(s);
      batch.push(connected(s).then(() => call(s, "subscribe", { room: "project:" + P.project })));
    }
    const acks = await Promise.all(batch);
    if (acks.some((a) => a.status !== "success")) throw new Error("a subscribe failed");
  }
  const stats = await api("GET", "/api/v1/websocket/stats");
  const t0 = Date.now();
  const statuses = [];
  for (let k = 0; k < count; k++) {
    statuses.push((await api("POST", "/api/v1/events", { type: "workflow.progress", data: {
      workflow_id: "wf-fanout", project_id: P.project, status: "running", progress: Math.min(100, k), current_step: "step-" + k,
    } })).status);
  }
  await until(() => counts.every((seen) => seen.size === count), 30000);
  const millis = Date.now() - t0;
  await sleep(200); // a duplicate would arrive right behind the last event
  let exact = 0, duplicates = 0, missing = 0;
  for (const seen of counts) {
    let ok = seen.size === count;
    for (let k = 0; k < count; k++) {
      const c = seen.get("step-" + k) ?? 0;
      if (c === 0) { missing++; ok = false; }
      if (c > 1) { duplicates += c - 1; ok = false; }
    }
    if (ok) exact++;
  }
  sockets.forEach((s) => s.close());
  return { clients: sockets.length, exact, duplicates, missing, statuses, connections: stats.body.connections,
    room: stats.body.rooms["project:" + P.project], millis };
}

// Connection state recovery: the engine drops, events are published, the client reconnects and gets them once.
async function recovery() {
  const a = connect(P.tokens.alice, { transports: P.transports });
  const got = recorder(a);
  await connected(a);
  const firstId = a.id;
  await call(a, "subscribe", { room: "project:P1" });
  const publish = (step) => api("POST", "/api/v1/events", { type: "workflow.progress", data: {
    workflow_id: "wf-r", project_id: "P1", status: "running", progress: 10, current_step: "s" + step } });
  await publish(0);
  await until(() => got.some((e) => e.payload?.data?.current_step === "s0"));
  const down = once(a, "disconnect");
  a.io.engine.close(); // the network drops (a transport close, recoverable)
  const [reason] = await down;
  for (let k = 1; k <= 5; k++) await publish(k);
  a.connect(); // the document's "Manual Reconnection"
  await once(a, "connect");
  const recovered = a.recovered, sameId = a.id === firstId;
  await publish(6);
  await until(() => got.some((e) => e.payload?.data?.current_step === "s6"));
  await sleep(200);
  const steps = got.filter((e) => e.event === "workflow.progress").map((e) => e.payload.data.current_step);
  const established = got.filter((e) => e.event === "connection_established").length;
  a.close();
  return { reason, recovered, sameId, steps, established };
}

// A recovering client's restored rooms are checked again: a grant revoked while it was away is not restored.
async function recoveryRecheck() {
  const b = connect(P.tokens.bob, { transports: ["websocket"] });
  const got = recorder(b);
  await connected(b);
  await api("PUT", "/api/v1/access/projects/P2/users/bob");
  const subscribed = await call(b, "subscribe", { room: "project:P2" });
  const down = once(b, "disconnect");
  b.io.engine.close();
  await down;
  await api("DELETE", "/api/v1/access/projects/P2/users/bob");
  b.connect();
  await once(b, "connect");
  const recovered = b.recovered;
  await api("POST", "/api/v1/events", { type: "pr.created", data: { pr_id: "x", project_id: "P2", title: "after" } });
  await api("POST", "/api/v1/events", { type: "agent.status_changed", data: { agent_id: "sentinel", status: "online" } });
  await until(() => got.some((e) => e.event === "agent.status_changed"));
  const stats = await api("GET", "/api/v1/websocket/stats");
  b.close();
  return { subscribed, recovered, prs: got.filter((e) => e.event === "pr.created").length, rooms: stats.body.rooms };
}

// Issue 17 (3): what a recovering socket missed in a room it may no longer enter is not delivered. bob's grant to P2
// is revoked while he is away; carol comes back with a new token that no longer lists P3. Each misses one event of
// the lost room and one global event: the global one is replayed, the other never arrives.
async function recoveryRevoked() {
  const bob = connect(P.tokens.bob, { transports: ["websocket"] });
  const carol = connect(P.tokens.carol, { transports: ["websocket"] });
  const got = { bob: recorder(bob), carol: recorder(carol) };
  await Promise.all([connected(bob), connected(carol)]);
  await api("PUT", "/api/v1/access/projects/P2/users/bob");
  const subscribed = { bob: await call(bob, "subscribe", { room: "project:P2" }),
    carol: await call(carol, "subscribe", { room: "project:P3" }) };
  for (const s of [bob, carol]) {
    const down = once(s, "disconnect");
    s.io.engine.close();
    await down;
  }
  await api("DELETE", "/api/v1/access/projects/P2/users/bob");
  await api("POST", "/api/v1/events", { type: "pr.created", data: { pr_id: "1", project_id: "P2", title: "missed-P2" } });
  await api("POST", "/api/v1/events", { type: "pr.created", data: { pr_id: "2", project_id: "P3", title: "missed-P3" } });
  await api("POST", "/api/v1/events", { type: "agent.status_changed", data: { agent_id: "missed-global", status: "online" } });
  carol.auth = { token: P.tokens.carolWithoutP3 };
  bob.connect();
  carol.connect();
  await Promise.all([once(bob, "connect"), once(carol, "connect")]);
  await api("POST", "/api/v1/events", { type: "agent.status_changed", data: { agent_id: "sentinel", status: "online" } });
  const sentinel = (list) => list.some((e) => e.event === "agent.status_changed" && e.payload.data.agent_id === "sentinel");
  await until(() => sentinel(got.bob) && sentinel(got.carol));
  const out = { subscribed };
  for (const [name, s] of Object.entries({ bob, carol })) {
    out[name] = { recovered: s.recovered,
      prs: got[name].filter((e) => e.event === "pr.created").map((e) => e.payload.data.title),
      globals: got[name].filter((e) => e.event === "agent.status_changed").map((e) => e.payload.data.agent_id) };
    s.close();
  }
  return out;
}

// Issue 17 (3): mallory learned alice's pid and offset. Presenting them with her own token gives her a fresh
// socket and nothing of alice's; alice then recovers her own socket with what she missed.
async function stolenPid() {
  const alice = connect(P.tokens.alice, { transports: ["websocket"] });
  const got = recorder(alice);
  await connected(alice);
  await call(alice, "subscribe", { room: "project:P1" });
  const aliceId = alice.id;
  const down = once(alice, "disconnect");
  alice.io.engine.close();
  await down;
  const pid = alice._pid, offset = alice._lastOffset;
  await api("POST", "/api/v1/events", { type: "pr.created", data: { pr_id: "1", project_id: "P1", title: "missed-P1" } });
  // in cluster mode mallory tries on the other node (the recovery records are shared in Redis)
  const mallory = io((P.baseB ?? P.base) + "/ws", { forceNew: true, reconnection: false, transports: ["websocket"],
    auth: { token: P.tokens.mallory, pid, offset } });
  const mgot = recorder(mallory);
  await Promise.all([once(mallory, "connect"), until(() => mgot.some((e) => e.event === "connection_established"))]);
  const m = { recovered: mallory.recovered, sameId: mallory.id === aliceId };
  await api("POST", "/api/v1/events", { type: "agent.status_changed", data: { agent_id: "sentinel", status: "online" } });
  await until(() => mgot.some((e) => e.event === "agent.status_changed"));
  m.events = mgot.map((e) => e.event + ":" + (e.payload?.data?.title ?? e.payload?.data?.user_id ?? e.payload?.data?.agent_id));
  mallory.close();
  alice.connect();
  await once(alice, "connect");
  const a = { recovered: alice.recovered, sameId: alice.id === aliceId };
  await until(() => got.some((e) => e.payload?.data?.title === "missed-P1"), 5000).catch(() => {});
  a.prs = got.filter((e) => e.event === "pr.created").map((e) => e.payload.data.title);
  alice.close();
  return { mallory: m, alice: a, hadPid: typeof pid === "string", hadOffset: typeof offset === "string" };
}

// The 1 MB message limit: a message under it is answered, one over it closes that client only.
async function payload() {
  const a = connect(P.tokens.alice, { transports: ["websocket"] });
  const b = connect(P.tokens.bob, { transports: ["websocket"] });
  await Promise.all([connected(a), connected(b)]);
  const under = await call(a, "ping", { filler: "x".repeat(P.under) });
  const down = once(a, "disconnect");
  a.emit("ping", { filler: "y".repeat(P.over) });
  const [reason] = await down;
  const bStill = await call(b, "ping", {});
  b.close();
  return { under, reason, bStill };
}


// Cluster mode: alice on node A (P.base), bob on node B (P.baseB), both in one project room. Stats asked of either
// node count both; an event published to node B's API reaches both clients exactly once; after bob leaves, node A's
// stats count one connection.
async function cluster() {
  const alice = connect(P.tokens.alice, { transports: ["websocket"] });
  const bob = io(P.baseB + "/ws", { forceNew: true, reconnection: false, transports: ["websocket"], auth: { token: P.tokens.bob } });
  await Promise.all([connected(alice), connected(bob)]);
  const subs = await Promise.all([call(alice, "subscribe", { room: "project:" + P.project }),
    call(bob, "subscribe", { room: "project:" + P.project })]);
  const got = { alice: [], bob: [] };
  alice.on("workflow.started", (e) => got.alice.push(e.data.workflow_id));
  bob.on("workflow.started", (e) => got.bob.push(e.data.workflow_id));
  const statsA = await api("GET", "/api/v1/websocket/stats");
  const statsB = await api("GET", "/api/v1/websocket/stats", undefined, P.key, P.apiB);
  const published = await api("POST", "/api/v1/events", { type: "workflow.started", data: {
    workflow_id: "wf-cluster", project_id: P.project } }, P.key, P.apiB);
  await until(() => got.alice.length >= 1 && got.bob.length >= 1, 20000);
  await sleep(300); // a duplicate would arrive right behind
  bob.close();
  let afterLeave;
  const end = Date.now() + 20000;
  do {
    afterLeave = await api("GET", "/api/v1/websocket/stats");
    if (afterLeave.body && afterLeave.body.connections === 1) break;
    await sleep(50);
  } while (Date.now() < end);
  alice.close();
  return { subs, statsA, statsB, published: published.status, got, afterLeave };
}

const scenarios = { cluster, flows, routing, tokens, fanout, recovery, recoveryRecheck, recoveryRevoked, stolenPid, payload };
if (!scenarios[scenario]) fail("unknown scenario " + scenario);
scenarios[scenario]()
  .then((r) => { clearTimeout(deadline); console.log(JSON.stringify(r)); process.exit(0); })
  .catch((e) => fail(String(e && e.stack || e)));
