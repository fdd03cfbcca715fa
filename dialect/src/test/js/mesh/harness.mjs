// Drives the official socket.io-client against AgentWire's mesh dialect (spec 003 and the real MXF SDK's vocabulary)
// as their clients do: io(BASE, {auth: {domainKey, keyId, secretKey}}) (the agent SDK opens a WebSocket directly),
// io(BASE, {auth: {domainKey, username, password}}) (the user SDK), events in both vocabularies.
// Usage: node harness.mjs <scenario> '<json params>' — prints one JSON object on stdout: {failures: [...], ...}.
// Every wait is bounded; the Java test asserts that failures is empty and on the figures.
import { io } from "socket.io-client";
import crypto from "node:crypto";

const [scenario, paramText] = process.argv.slice(2);
const P = JSON.parse(paramText);
const deadline = setTimeout(() => fail("harness timeout"), P.timeoutMs ?? 40000);
const failures = [];
const out = {};

function fail(message) {
  console.log(JSON.stringify({ error: message, failures, out }));
  process.exit(1);
}
function check(name, cond, info) {
  if (!cond) failures.push({ name, info: info === undefined ? null : info });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function once(s, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    s.once(event, (...a) => { clearTimeout(t); resolve(a[0]); });
  });
}
const until = async (pred, ms = 10000, what = "condition") => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(what + " not met in time");
    await sleep(10);
  }
};
const call = (s, ev, arg) => new Promise((resolve, reject) =>
  s.timeout(5000).emit(ev, arg, (err, res) => (err ? reject(err) : resolve(res))));
function recorder(s) {
  const got = [];
  s.onAny((event, payload) => got.push({ event, payload }));
  return got;
}
const env = (eventType, agentId, channelId, data) =>
  ({ eventId: crypto.randomUUID(), eventType, timestamp: Date.now(), agentId, channelId, data });

async function api(path, body, key = P.apiKey) {
  const headers = { "content-type": "application/json" };
  if (key) headers["x-api-key"] = key;
  const res = await fetch(P.api + path, { method: "POST", headers, body: JSON.stringify(body) });
  let json = null;
  try { json = JSON.parse(await res.text()); } catch { /* not JSON */ }
  return { status: res.status, body: json };
}
// opts.base: another node's address (cluster scenarios)
const connect = (auth, { base = P.base, ...opts } = {}) => io(base, { forceNew: true, reconnection: false, auth, ...opts });
// An agent as the real SDK's MxfService connects: WebSocket first, key in auth; resolves after the bootstrap.
async function agent(key, extra = {}, opts = {}) {
  const s = connect({ domainKey: P.domainKey, keyId: key.keyId, secretKey: key.secretKey, ...extra },
    { transports: ["websocket"], ...opts });
  const got = recorder(s);
  await once(s, "agent:connected", 8000);
  return { s, got };
}
async function user(name, password) {
  const s = connect({ domainKey: P.domainKey, username: name, password });
  const ok = await once(s, "auth:success", 8000);
  return { s, ok };
}
async function setup(channels, agents) {
  for (const c of channels) await api("/api/mesh/channels", { channelId: c, name: c });
  const keys = {};
  for (const [agentId, channelId] of Object.entries(agents)) {
    const r = await api("/api/mesh/keys", { channelId, agentId });
    if (r.status !== 201) throw new Error("key: " + JSON.stringify(r));
    keys[agentId] = r.body;
  }
  return keys;
}
const uniq = () => crypto.randomBytes(4).toString("hex");
async function refused(s) {
  const err = await once(s, "connect_error");
  s.close();
  return err.message;
}

// ---- scenarios ----

async function auth() {
  // layer 1: the real server's connect_error messages
  check("no auth", (await refused(connect({}))) === "Authentication required");
  check("no domain key", (await refused(connect({ username: "x", password: "y" }))) === "Domain key required for SDK connection");
  check("bad domain key", (await refused(connect({ domainKey: "wrong", username: "x", password: "y" }))) === "Invalid domain key");
  // the admin API: guarded, validating
  check("api without key", (await api("/api/mesh/users", { username: "u", password: "password1" }, null)).status === 401);
  const badUser = await api("/api/mesh/users", { username: "alice" });
  check("api names the field", badUser.status === 400 && badUser.body.error.details.field === "password", badUser);
  const alice = await api("/api/mesh/users", { username: "alice", password: "correct horse" });
  check("user created", alice.status === 201 && alice.body.username === "alice", alice);
  // layer 2: users
  const u = await user("alice", "correct horse");
  check("auth:success user shape", u.ok.userId === alice.body.userId && u.ok.username === "alice" && u.ok.authType === "password", u.ok);
  for (const [name, auth] of [["bad password", { username: "alice", password: "nope" }], ["unknown user", { username: "bob", password: "x" }],
    ["no credentials", {}], ["bad jwt", { token: "bad" }]]) {
    const s = connect({ domainKey: P.domainKey, ...auth });
    const got = recorder(s);
    const e = await once(s, "auth:error");
    await until(() => got.some((g) => g.event === "error"), 3000, name + " error");
    const err = got.find((g) => g.event === "error").payload;
    check(name + ": auth:error", typeof e.error === "string" && e.error.startsWith("Authentication failed"), e);
    check(name + ": error AUTH_FAILED", err.code === "AUTH_FAILED", err);
    check(name + ": stays connected", s.connected);
    // nothing else is served
    s.emit("channel:create", { name: "x" });
    await sleep(100);
    check(name + ": not served", !got.some((g) => g.event === "channel:created"));
    s.close();
  }
  // late authentication: the real client may send 'auth' after connecting
  const late = connect({ domainKey: P.domainKey });
  await once(late, "auth:error");
  const lateBad = await call(late, "auth", { username: "alice", password: "wrong" });
  check("late auth refused", lateBad.success === false, lateBad);
  const lateOk = once(late, "auth:success");
  const lateAck = await call(late, "auth", { username: "alice", password: "correct horse" });
  check("late auth", lateAck.success && (await lateOk).username === "alice", lateAck);
  const lc = await call(late, "channel:create", { channelId: "late-" + uniq(), name: "Late" });
  check("served after late auth", lc.success, lc);
  late.close();
  const j = connect({ domainKey: P.domainKey, token: P.jwt });
  const jok = await once(j, "auth:success");
  check("jwt auth:success", jok.authType === "jwt" && jok.userId === "jwt-user", jok);
  j.close();
  // channels and keys from a user socket, both vocabularies
  const ch = "ch-" + uniq();
  const created = once(u.s, "channel:created");
  u.s.emit("channel:create", env("channel:create", "", ch, { name: "Research", description: "d" }));
  const c1 = await created;
  check("real channel:created envelope", c1.channelId === ch && c1.data.name === "Research" && c1.eventType === "channel:created", c1);
  const gen = await call(u.s, "key:generate", { channelId: ch, agentId: "a1" });
  check("key:generate ack", gen.success && gen.keyId.startsWith("key_") && gen.secretKey && gen.channelId === ch, gen);
  const takeover = await call(u.s, "agent:register", { agentId: "a1", name: "not a1", channelId: ch });
  check("a user can not act as a keyed agent", !takeover.success && takeover.code === "PERMISSION_DENIED", takeover);
  const missing = await call(u.s, "key:generate", { channelId: "nope-" + uniq(), agentId: "a1" });
  check("key for a missing channel", !missing.success && missing.code === "CHANNEL_NOT_FOUND", missing);
  // agent key: the real bootstrap
  const s = connect({ domainKey: P.domainKey, keyId: gen.keyId, secretKey: gen.secretKey, capabilities: ["research"] }, { transports: ["websocket"] });
  const got = recorder(s);
  await until(() => got.some((g) => g.event === "agent:connected"), 8000, "agent:connected");
  const names = got.map((g) => g.event);
  out.bootstrap = names;
  const ok = got.find((g) => g.event === "auth:success").payload;
  check("key auth:success shape", ok.agentId === "a1" && ok.channelId === ch && ok.authType === "key" && ok.channelConfig.channelId === ch && Array.isArray(ok.activeAgents), ok);
  const reg = got.find((g) => g.event === "agent:registered").payload;
  check("agent:registered envelope", reg.agentId === "a1" && reg.channelId === ch && reg.data.status === "registered" && reg.data.capabilities[0] === "research", reg);
  check("auth:success first", names[0] === "auth:success", names);
  check("transport websocket", s.io.engine.transport.name === "websocket");
  // a key used for another channel
  const other = "other-" + uniq();
  await api("/api/mesh/channels", { channelId: other, name: other });
  const denied = await call(s, "channel:join", { channelId: other, agentId: "a1" });
  check("key outside its channel: join", !denied.success && denied.code === "PERMISSION_DENIED", denied);
  const denied2 = await call(s, "message:send", { channelId: other, content: "hi" });
  check("key outside its channel: send", !denied2.success && denied2.code === "PERMISSION_DENIED", denied2);
  await until(() => got.some((g) => g.event === "error" && g.payload.code === "PERMISSION_DENIED"), 3000, "error event");
  // bad secret
  const bad = connect({ domainKey: P.domainKey, keyId: gen.keyId, secretKey: "AAAA" });
  const badGot = recorder(bad);
  await once(bad, "auth:error");
  await until(() => badGot.some((g) => g.event === "error"), 3000, "INVALID_KEY");
  check("bad secret INVALID_KEY", badGot.find((g) => g.event === "error").payload.code === "INVALID_KEY");
  bad.close();
  // re-auth on reconnect: a revoked key does not come back
  s.close();
  const r = connect({ domainKey: P.domainKey, keyId: gen.keyId, secretKey: gen.secretKey }, { transports: ["websocket"], reconnection: true, reconnectionDelay: 100, reconnectionAttempts: 3 });
  await once(r, "agent:connected", 8000);
  const goneP = once(r, "disconnect", 8000).catch(() => null);
  const rev = await api("/api/mesh/keys/revoke", { keyId: gen.keyId });
  check("revoke", rev.status === 200, rev);
  const gone = await goneP;
  check("revoked key's socket disconnected", gone === "io server disconnect", gone);
  const rgot = recorder(r);
  r.connect(); // the client comes back with the same credentials: both layers are checked again
  await until(() => rgot.some((g) => g.event === "auth:error") || !r.active, 8000, "re-auth");
  check("revoked key refused at reconnection", !rgot.some((g) => g.event === "agent:connected") && (rgot.some((g) => g.event === "auth:error") || !r.active), rgot);
  r.close();
  const fresh = connect({ domainKey: P.domainKey, keyId: gen.keyId, secretKey: gen.secretKey });
  const fe = await once(fresh, "auth:error");
  check("revoked key: auth:error", fe.error.includes("revoked"), fe);
  fresh.close();
  u.s.close();
}

async function messages() {
  const A = "A-" + uniq(), B = "B-" + uniq();
  const keys = await setup([A, B], { a1: A, a2: A, a3: A, b1: B });
  const a1 = await agent(keys.a1), a2 = await agent(keys.a2), b1 = await agent(keys.b1);
  const a3 = await agent(keys.a3, { vocabulary: "spec" }, { reconnection: true, reconnectionDelay: 100 });
  // concurrent senders, both vocabularies: a1 the document's message:send, a2 the real message:channel
  const N = 40;
  const sends = [];
  for (let i = 0; i < N; i++) {
    sends.push(call(a1.s, "message:send", { channelId: A, content: `a1-${i}` }));
    a2.s.emit("message:channel", env("message:channel", "a2", A, { toolType: "channelMessage", senderId: "a2",
      content: { format: "text", data: `a2-${i}` }, context: { channelId: A }, metadata: {} }));
  }
  await Promise.all(sends);
  const texts = (got, ev) => got.filter((g) => g.event === ev).map((g) => ev === "message" ? g.payload.content : g.payload.data.content.data);
  await until(() => texts(a3.got, "message").length >= 2 * N && texts(a1.got, "message").length >= 2 * N
    && texts(a2.got, "message:channel").length >= 2 * N, 15000, "all messages").catch((e) => {
    throw new Error(e.message + " " + JSON.stringify([texts(a1.got, "message:channel").length, texts(a2.got, "message:channel").length,
      texts(a3.got, "message").length, a1.got.map((g) => g.event).slice(0, 8), a2.got.filter((g) => g.event.includes("error")).slice(0, 3)]));
  });
  await sleep(300);
  // a1 spoke the document's vocabulary (message:send), a2 the real one: each gets the channel in its own
  const o1 = texts(a1.got, "message"), o2 = texts(a2.got, "message:channel"), o3 = texts(a3.got, "message");
  check("exactly once", o1.length === 2 * N && o2.length === 2 * N && o3.length === 2 * N, [o1.length, o2.length, o3.length]);
  check("no duplicates", new Set(o1).size === 2 * N && new Set(o3).size === 2 * N);
  check("one order for every member", JSON.stringify(o1) === JSON.stringify(o2) && JSON.stringify(o1) === JSON.stringify(o3));
  const seq = (o, p) => o.filter((t) => t.startsWith(p)).map((t) => +t.split("-")[1]);
  check("sender order kept", JSON.stringify(seq(o1, "a1")) === JSON.stringify([...Array(N).keys()]) && JSON.stringify(seq(o1, "a2")) === JSON.stringify([...Array(N).keys()]));
  check("spec vocabulary gets no real events", !a3.got.some((g) => g.event === "message:channel"));
  check("real vocabulary gets no spec events", !a2.got.some((g) => g.event === "message"));
  check("spec sender gets no real events", !a1.got.some((g) => g.event === "message:channel"));
  check("channel B sees nothing of A", !b1.got.some((g) => g.event.startsWith("message")), b1.got.map((g) => g.event));
  const m0 = a3.got.find((g) => g.event === "message").payload;
  check("document message shape", m0.channelId === A && typeof m0.from === "string" && typeof m0.timestamp === "string" && m0.messageId, m0);
  // the channel's stream: every message has its seq (the channel's order), and the history returns them
  const seqs = a3.got.filter((g) => g.event === "message").map((g) => g.payload.seq);
  check("seq rises by one", seqs.every((x, i) => i === 0 || x === seqs[i - 1] + 1), seqs);
  const h = await call(a3.s, "channel:history", { channelId: A, limit: 10 });
  check("history: the last 10 in order", h.success && h.messages.length === 10 && h.messages[9].content === o3[2 * N - 1]
    && h.messages[9].seq === seqs[seqs.length - 1], h);
  const hb = await call(b1.s, "channel:history", { channelId: A });
  check("history of another channel refused", !hb.success && hb.code === "PERMISSION_DENIED", hb);
  // direct: only the target
  const before = a2.got.length;
  await call(a1.s, "message:direct", { targetAgentId: "a3", content: "psst" });
  a2.s.emit("message:agent", env("message:agent", "a2", A, { toolType: "agentMessage", senderId: "a2", receiverId: "a1", content: { format: "text", data: "back" } }));
  await until(() => a3.got.some((g) => g.event === "direct_message") && a1.got.some((g) => g.event === "direct_message"), 5000, "direct");
  await sleep(200);
  check("direct to target only", !a2.got.slice(before).some((g) => g.event.includes("direct") || g.event === "message:agent")
    && !b1.got.some((g) => g.event.includes("direct") || g.event === "message:agent") && !a3.got.some((g) => g.event === "direct_message" && g.payload.content === "back"), a2.got.slice(before));
  check("direct_message shape", a3.got.find((g) => g.event === "direct_message").payload.content === "psst");
  const back = a1.got.find((g) => g.event === "direct_message").payload;
  check("real message:agent reaches a document client as direct_message", back.from === "a2" && back.content === "back", back);
  a2.s.emit("message:agent", env("message:agent", "a2", A, { toolType: "agentMessage", senderId: "a2", receiverId: "a2", content: { format: "text", data: "self" } }));
  await until(() => a2.got.some((g) => g.event === "message:agent"), 5000, "real direct");
  const self = a2.got.find((g) => g.event === "message:agent").payload;
  check("message:agent envelope", self.agentId === "a2" && self.data.content.data === "self" && self.data.receiverId === "a2", self);
  const none = await call(a1.s, "message:direct", { targetAgentId: "ghost", content: "x" });
  check("AGENT_NOT_FOUND", !none.success && none.code === "AGENT_NOT_FOUND", none);
  // broadcast with its type
  await call(a1.s, "message:broadcast", { channelId: A, content: "all hands", type: "announcement" });
  await until(() => a3.got.some((g) => g.event === "message" && g.payload.type === "announcement"), 5000, "broadcast");
  const badType = await call(a1.s, "message:broadcast", { channelId: A, content: "x", type: "shout" });
  check("broadcast type validated", !badType.success && badType.code === "VALIDATION_ERROR", badType);
  // a dropped agent recovers what it missed
  const seen = texts(a3.got, "message").length;
  a3.s.io.engine.close(); // a transport drop: socket.io-client reconnects and asks to recover
  await until(() => !a3.s.connected, 3000, "drop");
  for (let i = 0; i < 5; i++) await call(a1.s, "message:send", { channelId: A, content: `missed-${i}` });
  await until(() => a3.s.connected, 8000, "reconnect");
  await until(() => texts(a3.got, "message").length >= seen + 5, 8000, "recovery");
  await sleep(200);
  const after = texts(a3.got, "message").slice(seen);
  check("recovered", a3.s.recovered === true);
  const presence = a1.got.filter((g) => g.event.startsWith("channel:agent:") && g.payload.agentId === "a3").map((g) => g.event);
  check("the channel hears the dropped agent leave and come back", presence.slice(-2).join() === "channel:agent:left,channel:agent:joined", presence);
  check("missed messages recovered once, in order", JSON.stringify(after) === JSON.stringify([0, 1, 2, 3, 4].map((i) => `missed-${i}`)), after);
  // validation, with and without ack
  const v = await call(a1.s, "message:send", { channelId: A });
  check("VALIDATION_ERROR names content", !v.success && v.code === "VALIDATION_ERROR", v);
  a1.s.emit("message:send", { content: "x" });
  await until(() => a1.got.some((g) => g.event === "error" && g.payload.details && g.payload.details.field === "channelId"), 3000, "error without ack");
  check("connection survives", a1.s.connected);
  a1.s.emit("heartbeat", env("heartbeat", "a1", A, { clientTimestamp: Date.now() }));
  for (const x of [a1, a2, a3, b1]) x.s.close();
}

async function tasks() {
  const T = "T-" + uniq();
  const keys = await setup([T], { coder: T, writer: T, lead: T, idle: T });
  const coder = await agent(keys.coder);
  coder.s.emit("agent:register", { agentId: "coder", name: "Coder", channelId: T, role: "developer", capabilities: ["code", "test"] });
  const writer = await agent(keys.writer);
  writer.s.emit("agent:register", { agentId: "writer", name: "Writer", channelId: T, role: "author", capabilities: ["write"] });
  const lead = await agent(keys.lead);
  lead.s.emit("agent:register", { agentId: "lead", name: "Lead", channelId: T, role: "lead", capabilities: [] });
  await until(() => [coder, writer, lead].every((a) => a.got.some((g) => g.event === "agent:registered" && !g.payload.eventType)), 5000, "registered");
  const st = await call(lead.s, "agent:status", { agentId: "coder" });
  check("agent:status", st.success && st.online === true && st.role === "developer", st);
  const create = (task) => call(lead.s, "task:create", { channelId: T, task });
  const cap = await create({ name: "Fix", description: "d", requirements: ["code"], assignmentStrategy: "capability", priority: "high" });
  check("capability picks coder", cap.success && cap.assignedTo === "coder", cap);
  const role = await create({ name: "Doc", description: "d", assignmentStrategy: "role", metadata: { role: "author" } });
  check("role picks writer", role.assignedTo === "writer", role);
  const work = await create({ name: "Any", description: "d", assignmentStrategy: "workload" });
  check("workload picks the least loaded (lead)", work.assignedTo === "lead", work);
  const llm = await create({ name: "Think", description: "d", requirements: ["write"], assignmentStrategy: "llm" });
  check("llm falls back to capability without a model", llm.assignedTo === "writer" && llm.assignmentReason.includes("no model"), llm);
  const bad = await create({ name: "X", assignmentStrategy: "magic" });
  check("strategy validated", !bad.success && bad.code === "VALIDATION_ERROR", bad);
  await until(() => coder.got.some((g) => g.event === "task:assigned" && (g.payload.data || g.payload).taskId === cap.taskId), 5000, "task:assigned");
  // real vocabulary: create_request with the real fields
  const realCreated = once(writer.s, "task:created");
  writer.s.emit("task:create_request", env("task:create_request", "writer", T, { task: { channelId: T, title: "Real", description: "d",
    assignmentScope: "single", assignmentStrategy: "expertise_driven", priority: "medium", requiredCapabilities: ["test"] } }));
  const rc = await realCreated;
  check("real task:created", rc.data.task.title === "Real" && rc.data.toAgentId === "coder", rc);
  // progress, complete with the document's ack
  const pr = await call(coder.s, "task:progress", { taskId: cap.taskId, progress: { status: "in_progress", percentage: 50 } });
  check("progress", pr.success && pr.status === "in_progress", pr);
  const done = await call(coder.s, "task:complete", { taskId: cap.taskId, result: { success: true, output: 42 } });
  check("task:complete ack", done.success === true && done.error === undefined, done);
  const again = await call(coder.s, "task:complete", { taskId: cap.taskId, result: { success: true } });
  check("task:complete ack error", again.success === false && typeof again.error === "string", again);
  const notMine = await call(writer.s, "task:complete", { taskId: work.taskId, result: { success: true } });
  check("only assignee/creator", !notMine.success && notMine.code === "PERMISSION_DENIED", notMine);
  await until(() => lead.got.some((g) => g.event === "task:completed"), 5000, "task:completed to creator");
  // reassignment: the writer leaves; its open task goes to the next capability match
  writer.s.close();
  await until(() => coder.got.some((g) => g.event === "task:assigned" && (g.payload.data || g.payload).taskId === role.taskId)
    || lead.got.some((g) => g.event === "task:assigned" && (g.payload.data || g.payload).taskId === role.taskId), 8000, "reassigned");
  // deadline
  const dl = await create({ name: "Soon", description: "d", deadline: new Date(Date.now() + 800).toISOString(), assignmentStrategy: "workload" });
  await until(() => lead.got.some((g) => (g.event === "task:failed" || g.event === "task:expired") && (g.payload.data || g.payload).taskId === dl.taskId), 8000, "deadline");
  out.tasks = { cap: cap.taskId, role: role.taskId };
  for (const x of [coder, lead]) x.s.close();
}

// llm: the configured model picks (writer, though capability would pick coder) and says why; then it answers
// nonsense and the assignment falls back to capability
async function llm() {
  const T = "LLM-" + uniq();
  const keys = await setup([T], { coder: T, writer: T });
  const coder = await agent(keys.coder, { vocabulary: "spec" });
  coder.s.emit("agent:register", { agentId: "coder", name: "Coder", channelId: T, capabilities: ["code"] });
  const writer = await agent(keys.writer, { vocabulary: "spec" });
  writer.s.emit("agent:register", { agentId: "writer", name: "Writer", channelId: T, capabilities: ["write"] });
  await until(() => [coder, writer].every((a) => a.got.some((g) => g.event === "agent:registered" && !g.payload.eventType)), 5000, "registered");
  const first = await call(coder.s, "task:create", { channelId: T, task: { name: "Pick", description: "d", requirements: ["code"], assignmentStrategy: "llm" } });
  check("the model chose", first.success && first.assignedTo === "writer" && first.assignmentReason === "llm: writes best", first);
  const second = await call(coder.s, "task:create", { channelId: T, task: { name: "Pick2", description: "d", requirements: ["code"], assignmentStrategy: "llm" } });
  check("fallback to capability when the model fails", second.assignedTo === "coder" && second.assignmentReason.startsWith("llm: model failed; capability"), second);
  coder.s.close(); writer.s.close();
}

async function memory() {
  const M = "M-" + uniq(), N = "N-" + uniq();
  const keys = await setup([M, N], { m1: M, m2: M, n1: N });
  const m1 = await agent(keys.m1, { vocabulary: "spec" }), m2 = await agent(keys.m2), n1 = await agent(keys.n1, { vocabulary: "spec" });
  let r = await call(m1.s, "memory:update", { scope: "agent", targetId: "m1", key: "k", value: { v: 1 }, metadata: { tags: ["t"] } });
  check("update own", r.success, r);
  r = await call(m1.s, "memory:get", { scope: "agent", targetId: "m1" });
  check("memory:data", r.entries.length === 1 && r.entries[0].value.v === 1 && r.entries[0].metadata.tags[0] === "t", r);
  const data = once(m1.s, "memory:data");
  m1.s.emit("memory:get", { scope: "agent", targetId: "m1", key: "k" });
  check("memory:data event without ack", (await data).entries[0].key === "k");
  r = await call(n1.s, "memory:get", { scope: "agent", targetId: "m1" });
  check("agent memory isolated", !r.success && r.code === "PERMISSION_DENIED", r);
  await call(m1.s, "memory:update", { scope: "channel", targetId: M, key: "plan", value: "p" });
  r = await call(n1.s, "memory:get", { scope: "channel", targetId: M });
  check("channel memory isolated", !r.success && r.code === "PERMISSION_DENIED", r);
  // the real vocabulary: memory:get → memory:get:result by operationId
  const res = once(m2.s, "memory:get:result");
  m2.s.emit("memory:get", env("memory:get", "m2", M, { operationId: "op-1", scope: "channel", id: M }));
  const gr = await res;
  check("real memory:get:result", gr.data.operationId === "op-1" && gr.data.memory.plan === "p", gr);
  const upd = once(m2.s, "memory:update:result");
  m2.s.emit("memory:update", env("memory:update", "m2", M, { operationId: "op-2", scope: "relationship", id: ["m2", "m1"], data: { trust: 0.9 } }));
  check("real memory:update:result", (await upd).data.operationId === "op-2");
  r = await call(m1.s, "memory:get", { scope: "relationship", targetId: "m1|m2" });
  check("relationship shared by both", r.entries.length === 1 && r.entries[0].value === 0.9, r);
  r = await call(n1.s, "memory:get", { scope: "relationship", targetId: "m1|m2" });
  check("relationship isolated", !r.success && r.code === "PERMISSION_DENIED", r);
  // bulk: validated as a whole, then applied
  r = await call(m1.s, "memory:bulk", { operations: [{ action: "create", scope: "agent", targetId: "m1", key: "a", value: 1 },
    { action: "update", scope: "agent", targetId: "m1", key: "b", value: 2 }, { action: "delete", scope: "agent", targetId: "m1", key: "k" }] });
  check("bulk", r.success && r.applied === 3, r);
  r = await call(m1.s, "memory:get", { scope: "agent", targetId: "m1" });
  check("bulk applied", r.entries.map((e) => e.key).sort().join() === "a,b", r);
  r = await call(m1.s, "memory:bulk", { operations: [{ action: "create", scope: "agent", targetId: "m1", key: "c", value: 1 }, { action: "explode" }] });
  check("bulk validation names the operation", !r.success && r.code === "VALIDATION_ERROR", r);
  r = await call(m1.s, "memory:get", { scope: "agent", targetId: "m1", key: "c" });
  check("invalid bulk applies nothing", r.entries.length === 0, r);
  // expiry
  await call(m1.s, "memory:update", { scope: "agent", targetId: "m1", key: "tmp", value: 1, metadata: { expiresAt: new Date(Date.now() + 500).toISOString() } });
  r = await call(m1.s, "memory:get", { scope: "agent", targetId: "m1", key: "tmp" });
  check("before expiry", r.entries.length === 1, r);
  await sleep(700);
  r = await call(m1.s, "memory:get", { scope: "agent", targetId: "m1", key: "tmp" });
  check("after expiry", r.entries.length === 0, r);
  r = await call(m1.s, "memory:delete", { scope: "agent", targetId: "m1", key: "a" });
  check("delete", r.success && r.deletedCount === 1, r);
  r = await call(m1.s, "memory:update", { scope: "galaxy", targetId: "m1", key: "k", value: 1 });
  check("scope validated", !r.success && r.code === "VALIDATION_ERROR" && r.error.includes("scope"), r);
  await call(m1.s, "memory:update", { scope: "agent", targetId: "m1", key: "durable", value: "kept" });
  for (const x of [m1, m2, n1]) x.s.close();
}

async function limits() {
  const L = "L-" + uniq();
  const keys = await setup([L], { l1: L, l2: L });
  const l1 = await agent(keys.l1, { vocabulary: "spec" }), l2 = await agent(keys.l2, { vocabulary: "spec" });
  const msgs = [];
  for (let i = 0; i < P.messages + 1; i++) msgs.push(await call(l1.s, "message:send", { channelId: L, content: "m" + i }));
  check("messages within limit", msgs.slice(0, P.messages).every((m) => m.success));
  const last = msgs[P.messages];
  check("messages RATE_LIMITED", !last.success && last.code === "RATE_LIMITED", last);
  await until(() => l1.got.some((g) => g.event === "error" && g.payload.code === "RATE_LIMITED"), 3000, "error event");
  const e = l1.got.find((g) => g.event === "error" && g.payload.code === "RATE_LIMITED").payload;
  check("retry-after", e.details.retryAfterMs > 0 && e.details.category === "messages", e);
  const mem = await call(l1.s, "memory:get", { scope: "agent", targetId: "l1" });
  check("memory unaffected", mem.success, mem);
  const other = await call(l2.s, "message:send", { channelId: L, content: "other agent" });
  check("other agent unaffected", other.success, other);
  const m = [];
  for (let i = 0; i < P.memory; i++) m.push(await call(l2.s, "memory:get", { scope: "agent", targetId: "l2" }));
  const over = await call(l2.s, "memory:get", { scope: "agent", targetId: "l2" });
  check("memory RATE_LIMITED", !over.success && over.code === "RATE_LIMITED", over);
  const t = [];
  for (let i = 0; i < P.tools + 1; i++) t.push(await call(l1.s, "mcp:tool:execute", { toolName: "x", arguments: {} }));
  check("tool executions RATE_LIMITED", t[P.tools].code === "RATE_LIMITED" && t.slice(0, P.tools).every((x) => x.code !== "RATE_LIMITED"), t.map((x) => x.code));
  check("connection survives", l1.s.connected && l2.s.connected);
  l1.s.close(); l2.s.close();
}

// MXP: AES-256-GCM as the real MxpEncryption (PBKDF2-SHA256, 100 000 iterations, 16-byte IV)
function mxpKey() { return crypto.pbkdf2Sync(P.mxpKey, P.mxpSalt, 100000, 32, "sha256"); }
function encrypt(payload, key) {
  const iv = crypto.randomBytes(16);
  const c = crypto.createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([c.update(JSON.stringify(payload), "utf8"), c.final()]);
  return { algorithm: "aes-256-gcm", data: data.toString("base64"), iv: iv.toString("base64"), authTag: c.getAuthTag().toString("base64") };
}
function decrypt(p, key) {
  const d = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(p.iv, "base64"));
  d.setAuthTag(Buffer.from(p.authTag, "base64"));
  return JSON.parse(Buffer.concat([d.update(Buffer.from(p.data, "base64")), d.final()]).toString("utf8"));
}
async function mxp() {
  const X = "X-" + uniq();
  const keys = await setup([X], { x1: X, x2: X, x3: X });
  const x1 = await agent(keys.x1), x2 = await agent(keys.x2), x3 = await agent(keys.x3, { vocabulary: "spec" });
  const payload = { op: "calc.sum", args: [10, 20, 30] };
  if (P.mxpKey) {
    const key = mxpKey();
    const sent = encrypt(payload, key);
    const content = { version: "2.0", type: "operation", encrypted: true, payload: sent, messageId: "m1", senderId: "x1" };
    x1.s.emit("message:channel", env("message:channel", "x1", X, { toolType: "channelMessage", senderId: "x1", content: { format: "json", data: content }, context: { channelId: X } }));
    await until(() => x2.got.some((g) => g.event === "message:channel") && x3.got.some((g) => g.event === "message"), 5000, "mxp delivered");
    const r2 = x2.got.find((g) => g.event === "message:channel").payload.data.content.data;
    const r3 = x3.got.find((g) => g.event === "message").payload.content;
    check("re-encrypted", r2.encrypted && r2.payload.algorithm === "aes-256-gcm" && r2.payload.iv !== sent.iv, r2);
    check("fresh IV per recipient", r2.payload.iv !== r3.payload.iv);
    check("round trip x2", JSON.stringify(decrypt(r2.payload, key)) === JSON.stringify(payload));
    check("round trip x3 (document's version 1.0 shape too)", JSON.stringify(decrypt(r3.payload, key)) === JSON.stringify(payload));
    // the document's 1.0 form with a plain payload: encrypted for each recipient
    await call(x3.s, "message:send", { channelId: X, content: { version: "1.0", type: "operation", encrypted: true, payload } });
    await until(() => x2.got.filter((g) => g.event === "message:channel").length >= 2, 5000, "1.0 delivered");
    const v1 = x2.got.filter((g) => g.event === "message:channel")[1].payload.data.content.data;
    check("1.0 sealed for recipients", JSON.stringify(decrypt(v1.payload, key)) === JSON.stringify(payload), v1);
    // tampered tag: refused to the sender, nothing forwarded
    const tampered = encrypt(payload, key);
    const tag = Buffer.from(tampered.authTag, "base64"); tag[0] ^= 1; tampered.authTag = tag.toString("base64");
    const before = x2.got.length;
    const r = await call(x3.s, "message:send", { channelId: X, content: { version: "2.0", type: "operation", encrypted: true, payload: tampered } });
    check("tampered tag refused", !r.success && r.code === "VALIDATION_ERROR" && r.error.includes("tag"), r);
    await sleep(300);
    check("tampered not forwarded", !x2.got.slice(before).some((g) => g.event === "message:channel"));
  } else {
    const opaque = { algorithm: "aes-256-gcm", data: "AAAA", iv: "BBBB", authTag: "CCCC" };
    const content = { version: "2.0", type: "operation", encrypted: true, payload: opaque };
    await call(x3.s, "message:send", { channelId: X, content });
    await until(() => x2.got.some((g) => g.event === "message:channel"), 5000, "passthrough");
    const got = x2.got.find((g) => g.event === "message:channel").payload.data.content.data;
    check("passthrough unchanged", JSON.stringify(got) === JSON.stringify(content), got);
  }
  for (const x of [x1, x2, x3]) x.s.close();
}

// mxpCluster: two nodes with encryption on; senders and recipients on both; each recipient gets the message sealed for
// it (a fresh IV each), decryptable with the shared key, whichever node it is on
async function mxpCluster() {
  const X = "XC-" + uniq();
  const keys = await setup([X], { a1: X, a2: X, b1: X, b2: X });
  const a1 = await agent(keys.a1), a2 = await agent(keys.a2, { vocabulary: "spec" });
  const b1 = await agent(keys.b1, {}, { base: P.baseB }), b2 = await agent(keys.b2, { vocabulary: "spec" }, { base: P.baseB });
  const key = mxpKey();
  const payload = { op: "calc.sum", args: [1, 2, 3] };
  const sent = encrypt(payload, key);
  a1.s.emit("message:channel", env("message:channel", "a1", X, { toolType: "channelMessage", senderId: "a1",
    content: { format: "json", data: { version: "2.0", type: "operation", encrypted: true, payload: sent } }, context: { channelId: X } }));
  await call(b2.s, "message:send", { channelId: X, content: { version: "1.0", type: "operation", encrypted: true, payload: { op: "from-b" } } });
  const mine = (x) => x.got.filter((g) => g.event === "message:channel" || g.event === "message")
    .map((g) => (g.event === "message" ? g.payload.content : g.payload.data.content.data));
  await until(() => [a1, a2, b1, b2].every((x) => mine(x).length >= 2), 10000, "both messages on both nodes");
  const ivs = new Set();
  for (const [name, x] of Object.entries({ a1, a2, b1, b2 })) {
    const m = mine(x);
    check(name + " got exactly two", m.length === 2, m);
    for (const c of m) {
      ivs.add(c.payload.iv);
      check(name + " sealed", c.encrypted && c.payload.algorithm === "aes-256-gcm", c);
    }
    check(name + " opens a1's", JSON.stringify(decrypt(m.find((c) => decrypt(c.payload, key).op === "calc.sum").payload, key)) === JSON.stringify(payload));
    check(name + " opens b2's", m.some((c) => decrypt(c.payload, key).op === "from-b"));
  }
  check("a fresh IV per recipient", ivs.size === 8 && !ivs.has(sent.iv), [...ivs]);
  // a tampered tag on node B: refused, nothing forwarded on either node
  const tampered = encrypt(payload, key);
  const tag = Buffer.from(tampered.authTag, "base64"); tag[0] ^= 1; tampered.authTag = tag.toString("base64");
  const r = await call(b2.s, "message:send", { channelId: X, content: { version: "2.0", type: "operation", encrypted: true, payload: tampered } });
  check("tampered tag refused", !r.success && r.code === "VALIDATION_ERROR", r);
  await sleep(300);
  check("tampered not forwarded", [a1, a2, b1].every((x) => mine(x).length === 2));
  for (const x of [a1, a2, b1, b2]) x.s.close();
}

// agentsCluster: agents on node A and B, a user on B; the registry answers for the whole cluster — status and
// participants, a task created on B assigned to the agent on A, reassigned once when that agent drops on A
async function agentsCluster() {
  const C = "AC-" + uniq();
  const keys = await setup([C], { wa: C, wb: C, lead: C });
  const B = { base: P.baseB };
  const wa = await agent(keys.wa);
  wa.s.emit("agent:register", { agentId: "wa", name: "WA", channelId: C, role: "dev", capabilities: ["x", "y"] });
  const wb = await agent(keys.wb, {}, B);
  wb.s.emit("agent:register", { agentId: "wb", name: "WB", channelId: C, capabilities: ["x"] });
  const lead = await agent(keys.lead, {}, B);
  lead.s.emit("agent:register", { agentId: "lead", name: "Lead", channelId: C, capabilities: [] });
  await until(() => [wa, wb, lead].every((a) => a.got.some((g) => g.event === "agent:registered" && !g.payload.eventType)), 5000, "registered");
  const u = connect({ domainKey: P.domainKey, token: P.jwt }, B);
  await once(u, "auth:success");
  const statusOn = async (pred, what) => {
    const end = Date.now() + 10000;
    for (;;) {
      const st = await call(u, "agent:status", { agentId: "wa" });
      if (pred(st)) return st;
      if (Date.now() > end) throw new Error(what + ": " + JSON.stringify(st));
      await sleep(100);
    }
  };
  const st = await statusOn((x) => x.success && x.online === true, "wa online seen from B");
  check("profile from A", st.role === "dev" && st.capabilities.includes("y") && st.channels.includes(C), st);
  const parts = once(u, "channel:participants");
  await call(u, "channel:join", { channelId: C });
  const p = await parts;
  check("participants across nodes", ["lead", "wa", "wb"].every((id) => p.participants.some((x) => x.agentId === id)), p);
  const up = await call(wa.s, "agent:update", { agentId: "wa", updates: { status: "busy" } });
  check("update on A", up.success !== false, up);
  await statusOn((x) => x.status === "busy", "busy seen from B");
  await call(wa.s, "agent:update", { agentId: "wa", updates: { status: "online" } });
  await statusOn((x) => x.status === "online", "online again seen from B");
  // a task created on B goes to the best match, on A
  const t = await call(lead.s, "task:create", { channelId: C, task: { name: "J", description: "d", requirements: ["x", "y"], assignmentStrategy: "capability" } });
  check("B assigns the agent on A", t.success && t.assignedTo === "wa", t);
  const assignedTo = (x) => x.got.filter((g) => g.event === "task:assigned" && (g.payload.data || g.payload).taskId === t.taskId);
  await until(() => assignedTo(wa).length === 1, 5000, "task:assigned reaches A");
  // the agent on A drops: its task goes to wb, once
  wa.s.io.engine.close();
  await until(() => assignedTo(wb).length >= 1, 8000, "reassigned to wb");
  await statusOn((x) => x.online === false && x.status === "offline" && typeof x.lastSeen === "string", "offline seen from B");
  await sleep(1500);
  check("reassigned once", assignedTo(wb).length === 1, assignedTo(wb).length);
  check("lead heard one assignment", lead.got.filter((g) => g.event === "task:assigned" && (g.payload.data || g.payload).taskId === t.taskId).length === 2);
  for (const x of [wb, lead]) x.s.close();
  u.close();
}

// rest: the real SDK's REST calls (MxfApiService) on the mesh port with an agent key in x-key-id / x-secret-key
async function rest() {
  const R = "R-" + uniq(), R2 = "R2-" + uniq();
  const keys = await setup([R, R2], { r1: R, r2: R2 });
  const r1 = await agent(keys.r1, { vocabulary: "spec" });
  await call(r1.s, "message:send", { channelId: R, content: "hello" });
  await call(r1.s, "message:send", { channelId: R, content: "world" });
  const http = async (method, path, key = keys.r1, body) => {
    const headers = { "content-type": "application/json" };
    if (key) { headers["x-key-id"] = key.keyId; headers["x-secret-key"] = key.secretKey; }
    const res = await fetch(P.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: JSON.parse(await res.text()) };
  };
  const m = await http("GET", `/api/channels/${R}/messages?limit=10`);
  check("messages", m.status === 200 && m.body.success && m.body.data.messages.map((x) => x.content).join(" ") === "hello world"
    && m.body.data.messages[0].seq < m.body.data.messages[1].seq, m);
  const h = await http("GET", `/api/channels/${R}/history?limit=1`);
  check("history limit", h.status === 200 && h.body.data.messages.length === 1 && h.body.data.messages[0].content === "world", h);
  check("no key 401", (await http("GET", `/api/channels/${R}/messages`, null)).status === 401);
  const wrong = await http("GET", `/api/channels/${R}/messages`, { keyId: keys.r1.keyId, secretKey: "nope" });
  check("wrong secret 401 INVALID_KEY", wrong.status === 401 && wrong.body.error.code === "INVALID_KEY", wrong);
  const other = await http("GET", `/api/channels/${R2}/messages`);
  check("other channel 403", other.status === 403 && other.body.error.code === "PERMISSION_DENIED", other);
  check("unknown channel 404", (await http("GET", `/api/channels/none-${uniq()}/messages`)).status === 404);
  check("bad limit 400", (await http("GET", `/api/channels/${R}/messages?limit=0`)).status === 400);
  const put = await http("POST", `/api/channels/${R}/memory`, keys.r1, { key: "goal", value: { v: 1 } });
  check("memory post", put.status === 200 && put.body.success, put);
  const mem = await http("GET", `/api/channels/${R}/memory`);
  check("memory get", mem.status === 200 && mem.body.data.memory.goal.v === 1, mem);
  const viaSocket = await call(r1.s, "memory:get", { scope: "channel", targetId: R, key: "goal" });
  check("same memory over the socket", JSON.stringify(viaSocket).includes('"v":1'), viaSocket);
  check("bad body 400", (await http("POST", `/api/channels/${R}/memory`, keys.r1, { value: 1 })).status === 400);
  // a message posted over REST reaches the channel's members over the socket, as r1's, in the channel's order
  const r1b = await agent(keys.r1, { vocabulary: "spec" });
  const posted = await http("POST", `/api/channels/${R}/messages`, keys.r1, { content: "via rest", metadata: { k: 1 } });
  check("message post", posted.status === 201 && posted.body.data.messageId, posted);
  await until(() => r1b.got.some((g) => g.event === "message" && g.payload.content === "via rest"), 5000, "posted message delivered");
  const got = r1b.got.find((g) => g.event === "message" && g.payload.content === "via rest").payload;
  check("posted as the key's agent with seq 3", got.from === "r1" && got.seq > m.body.data.messages[1].seq && got.metadata.k === 1, got);
  const noContent = await http("POST", `/api/channels/${R}/messages`, keys.r1, { text: "x" });
  check("post without content 400", noContent.status === 400 && noContent.body.error.details.field === "content", noContent);
  r1b.s.close();
  const ctx = await http("GET", "/api/agents/context");
  check("agent context", ctx.status === 200 && ctx.body.data.agentId === "r1" && ctx.body.data.channelId === R && ctx.body.data.agent.online === true, ctx);
  r1.s.close();
}

// dropReassign: an assignee whose connection drops (transport close, not a disconnect) keeps its task for
// agentwire.mesh.tasks.reassign-after-drop, then it goes to the next match
async function dropReassign() {
  const T = "D-" + uniq();
  const keys = await setup([T], { best: T, next: T, lead: T });
  const best = await agent(keys.best), next = await agent(keys.next), lead = await agent(keys.lead);
  best.s.emit("agent:register", { agentId: "best", name: "Best", channelId: T, capabilities: ["x", "y"] });
  next.s.emit("agent:register", { agentId: "next", name: "Next", channelId: T, capabilities: ["x"] });
  lead.s.emit("agent:register", { agentId: "lead", name: "Lead", channelId: T, capabilities: [] });
  await until(() => [best, next, lead].every((a) => a.got.some((g) => g.event === "agent:registered" && !g.payload.eventType)), 5000, "registered");
  const t = await call(lead.s, "task:create", { channelId: T, task: { name: "Job", description: "d", requirements: ["x", "y"], assignmentStrategy: "capability" } });
  check("capability picks best", t.success && t.assignedTo === "best", t);
  best.s.io.engine.close(); // a transport drop; reconnection is off, so it does not come back
  await until(() => next.got.some((g) => g.event === "task:assigned" && (g.payload.data || g.payload).taskId === t.taskId), 8000, "reassigned after the drop");
  check("not to the lead", !lead.got.some((g) => g.event === "task:assigned" && (g.payload.data || g.payload).taskId === t.taskId && (g.payload.data || g.payload).assignedTo === "lead"));
  for (const x of [next, lead]) x.s.close();
}

// restart: phase "before" makes state, phase "after" (another process, after the server restarted) reads it
async function restart() {
  if (P.phase === "before") {
    await api("/api/mesh/users", { username: "carol", password: "restart-pass" });
    const u = await user("carol", "restart-pass");
    const R = "R-" + uniq();
    u.s.emit("channel:create", env("channel:create", "", R, { name: "Kept" }));
    await once(u.s, "channel:created");
    const key = await call(u.s, "key:generate", { channelId: R, agentId: "r1" });
    const r1 = await agent(key, { vocabulary: "spec" });
    const t = await call(r1.s, "task:create", { channelId: R, task: { name: "Durable", description: "d" } });
    await call(r1.s, "memory:update", { scope: "agent", targetId: "r1", key: "k", value: "kept" });
    await call(r1.s, "memory:update", { scope: "channel", targetId: R, key: "k", value: "kept" });
    Object.assign(out, { channel: R, key, taskId: t.taskId });
    r1.s.close(); u.s.close();
  } else {
    const u = await user("carol", "restart-pass");
    check("user kept", u.ok.username === "carol");
    const r1 = await agent(P.key, { vocabulary: "spec" });
    check("key and channel kept", r1.got.find((g) => g.event === "auth:success").payload.channelConfig.name === "Kept");
    const t = await call(r1.s, "task:progress", { taskId: P.taskId, progress: { status: "in_progress", percentage: 10 } });
    check("task kept", t.success && t.name === "Durable", t);
    const m = await call(r1.s, "memory:get", { scope: "agent", targetId: "r1" });
    check("agent memory kept", m.entries.length === 1 && m.entries[0].value === "kept", m);
    const c = await call(r1.s, "memory:get", { scope: "channel", targetId: P.channel });
    check("channel memory kept", c.entries.length === 1, c);
    r1.s.close(); u.s.close();
  }
}

// Tools over the socket: agents register tools and serve their calls (mcp:tool:invoke, answered by ack)
async function tools() {
  const T = "T-" + uniq();
  const keys = await setup([T], { prov: T, caller: T, gone: T, thief: T });
  const rk = await api("/api/mesh/keys", { channelId: T, agentId: "restricted", allowedTools: ["echo"] });
  check("key with allowedTools", rk.status === 201 && rk.body.allowedTools[0] === "echo", rk);
  const badKey = await api("/api/mesh/keys", { channelId: T, agentId: "x", allowedTools: "echo" });
  check("allowedTools validated", badKey.status === 400 && badKey.body.error.details.field === "allowedTools", badKey);
  const prov = await agent(keys.prov, { vocabulary: "spec" });
  const caller = await agent(keys.caller, { vocabulary: "spec" });
  const gone = await agent(keys.gone, { vocabulary: "spec" });
  const thief = await agent(keys.thief, { vocabulary: "spec" });
  const restricted = await agent(rk.body, { vocabulary: "spec" });
  const invoked = [];
  let flaky = 0;
  prov.s.on("mcp:tool:invoke", (req, ack) => {
    invoked.push(req);
    if (req.toolName === "echo") ack({ success: true, output: { text: req.arguments.text.repeat(req.arguments.times ?? 1), from: req.fromAgentId } });
    else if (req.toolName === "flaky" && ++flaky >= 2) ack({ success: true, output: "third time lucky".slice(0, 5 + flaky) });
    else if (req.toolName === "broken") ack({ success: false, error: "disk on fire" });
    // "slow" and the first "flaky" never answer
  });
  gone.s.on("mcp:tool:invoke", () => setTimeout(() => gone.s.close(), 150));
  const schema = { type: "object", required: ["text"], properties: { text: { type: "string" }, times: { type: "integer", minimum: 1 } } };
  const reg = await call(prov.s, "mcp:tool:register", { name: "echo", description: "echoes", inputSchema: schema, category: "text" });
  check("registered", reg.success && reg.name === "echo" && reg.provider === "prov", reg);
  for (const n of ["slow", "flaky", "broken"]) await call(prov.s, "mcp:tool:register", { name: n, description: n, inputSchema: { type: "object" }, category: "util" });
  const realReg = await call(gone.s, "mcp:tool:register", env("mcp:tool:register", "gone", T, { name: "vanish", description: "v", inputSchema: { type: "object" }, category: "util" }));
  check("real register", realReg.success && realReg.toolName === "vanish", realReg);
  const badReg = await call(prov.s, "mcp:tool:register", { name: "x", inputSchema: "nope" });
  check("register schema refused", badReg.code === "VALIDATION_ERROR" && badReg.error && badReg.code && true, badReg);
  const stolen = await call(thief.s, "mcp:tool:register", { name: "echo", inputSchema: { type: "object" } });
  check("name taken", stolen.code === "PERMISSION_DENIED", stolen);
  // list with filters, both vocabularies
  const all = await call(caller.s, "mcp:tool:list", {});
  check("list all", JSON.stringify(all.tools.map((t) => t.name)) === JSON.stringify(["broken", "echo", "flaky", "slow", "vanish"]), all);
  const resp = caller.got.filter((g) => g.event === "mcp:tool:list:response");
  check("list:response event", resp.length === 1 && Array.isArray(resp[0].payload) && resp[0].payload.length === 5, resp);
  const text = await call(caller.s, "mcp:tool:list", { category: "text" });
  check("category filter", text.tools.length === 1 && text.tools[0].name === "echo" && text.tools[0].inputSchema.required[0] === "text", text);
  const byGone = await call(caller.s, "mxf:tool:list", env("mxf:tool:list", "caller", T, { filter: { provider: "gone" }, requestId: "r-1" }));
  check("provider filter (real)", byGone.requestId === "r-1" && byGone.tools.length === 1 && byGone.tools[0].name === "vanish", byGone);
  await until(() => caller.got.some((g) => g.event === "mxf:tool:list:result"), 3000, "mxf:tool:list:result");
  // execute: spec and real
  const ex = await call(caller.s, "mcp:tool:execute", { toolName: "echo", arguments: { text: "ab", times: 2 } });
  check("execute", ex.success && ex.output.text === "abab" && ex.output.from === "caller" && typeof ex.callId === "string", ex);
  await until(() => caller.got.some((g) => g.event === "mcp:tool:result"), 3000, "mcp:tool:result");
  const res = caller.got.find((g) => g.event === "mcp:tool:result").payload;
  check("mcp:tool:result shape", res.success === true && res.output.text === "abab" && !("error" in res), res);
  const rc = await call(caller.s, "mcp:tool:call", env("mcp:tool:call", "caller", T, { toolName: "echo", callId: "call-7", arguments: { text: "z" } }));
  check("real call", rc.success && rc.callId === "call-7" && rc.result.text === "z", rc);
  await until(() => caller.got.some((g) => g.event === "mcp:tool:result" && g.payload.eventType === "mcp:tool:result" && g.payload.data.callId === "call-7"), 3000, "real result");
  const failed = await call(caller.s, "mcp:tool:execute", { toolName: "broken", arguments: {} });
  check("tool failure is a result", failed.success === false && failed.error === "disk on fire" && failed.output === null, failed);
  // schema errors name the field
  const e1 = await call(caller.s, "mcp:tool:execute", { toolName: "echo", arguments: { times: 2 } });
  check("missing field", e1.code === "VALIDATION_ERROR" && /arguments\.text/.test(e1.error), e1);
  await until(() => caller.got.some((g) => g.event === "mcp:error" && g.payload.details && g.payload.details.field === "arguments.text"), 3000, "mcp:error field");
  const e2 = await call(caller.s, "mcp:tool:execute", { toolName: "echo", arguments: { text: "a", times: "2" } });
  check("wrong type", e2.code === "VALIDATION_ERROR" && /arguments\.times/.test(e2.error), e2);
  const e3 = await call(caller.s, "mcp:tool:execute", { toolName: "echo", arguments: { text: "a", times: 0 } });
  check("minimum", e3.code === "VALIDATION_ERROR" && /arguments\.times/.test(e3.error), e3);
  const e4 = await call(caller.s, "mcp:tool:execute", { toolName: "nope", arguments: {} });
  check("unknown tool", e4.code === "VALIDATION_ERROR" && /does not exist/.test(e4.error), e4);
  const e5 = await call(caller.s, "mcp:tool:execute", { toolName: "echo", arguments: { text: "a" }, options: { timeout: -1 } });
  check("bad timeout", e5.code === "VALIDATION_ERROR", e5);
  // timeout, retries
  let t0 = Date.now();
  const slow = await call(caller.s, "mcp:tool:execute", { toolName: "slow", arguments: {}, options: { timeout: 300 } });
  out.slowMs = Date.now() - t0;
  check("timeout", slow.success === false && /timed out/.test(slow.error) && out.slowMs < 4000, slow);
  const fl = await call(caller.s, "mcp:tool:execute", { toolName: "flaky", arguments: {}, options: { timeout: 300, retries: 2 } });
  check("retried", fl.success === true && fl.attempts === 2 && invoked.filter((i) => i.toolName === "flaky").length === 2, fl);
  const slowRetry = await call(caller.s, "mcp:tool:execute", { toolName: "slow", arguments: {}, options: { timeout: 200, retries: 1 } });
  check("retries exhausted", slowRetry.success === false && slowRetry.attempts === 2, slowRetry);
  // allowedTools
  const denied = await call(restricted.s, "mcp:tool:execute", { toolName: "slow", arguments: {} });
  check("allowedTools refused", denied.code === "PERMISSION_DENIED", denied);
  const allowed = await call(restricted.s, "mcp:tool:execute", { toolName: "echo", arguments: { text: "ok" } });
  check("allowedTools allowed", allowed.success && allowed.output.text === "ok", allowed);
  // the provider disconnects mid-call: the caller hears AGENT_NOT_FOUND well within the timeout
  t0 = Date.now();
  const mid = await call(caller.s, "mcp:tool:execute", { toolName: "vanish", arguments: {}, options: { timeout: 4000 } });
  out.midMs = Date.now() - t0;
  check("disconnect mid-call", mid.code === "AGENT_NOT_FOUND" && out.midMs < 3000, { mid, ms: out.midMs });
  const after = await call(caller.s, "mcp:tool:execute", { toolName: "vanish", arguments: {} });
  check("provider gone", after.code === "AGENT_NOT_FOUND", after);
  check("connections survive", caller.s.connected && prov.s.connected);
  for (const a of [prov, caller, thief, restricted]) a.s.close();
}

// ORPAR control loops driven by the (fake) model; actions are tool calls served by an agent
const PHASES = ["observation:processed", "reasoning:complete", "action:planned", "progress:update", "reflection:complete"];
const loopEvents = (got, id) => got.filter((g) => g.event.startsWith("control_loop:") && g.payload && g.payload.controlLoopId === id)
  .map((g) => g.event.slice("control_loop:".length));
const observe = (s, id, data) => call(s, "control_loop:observation", { controlLoopId: id, observation: { type: "note", data, source: "test" } });
// The cycle rate limit (P.cycleLimit per minute): P.cycleLimit cycles run, the next one waits
async function cycleLimitHolds(key) {
  const d = await agent(key, { vocabulary: "spec" });
  const D = (await call(d.s, "control_loop:init", { config: { cycleInterval: 100 } })).loopId;
  for (let i = 1; i <= P.cycleLimit; i++) {
    await observe(d.s, D, "d " + i);
    await until(() => loopEvents(d.got, D).filter((e) => e === "reflection:complete").length === i, 20000, "cycle " + i);
  }
  await observe(d.s, D, "one too many");
  await sleep(1500);
  check("cycle limit holds", loopEvents(d.got, D).filter((e) => e === "observation:processed").length === P.cycleLimit, loopEvents(d.got, D));
  return { d, D };
}
// A model that fails every cycle: 3 error events (consecutiveErrors 1..3, phase reasoning), then stopped by errors
async function stopsAfterThreeErrors(key) {
  const b = await agent(key, { vocabulary: "spec" });
  const B = (await call(b.s, "control_loop:init", { config: { cycleInterval: 100 } })).loopId;
  for (let i = 0; i < 3; i++) {
    await observe(b.s, B, "FAIL " + i);
    await until(() => loopEvents(b.got, B).filter((e) => e === "error").length > i, 20000, "error " + i);
  }
  await until(() => loopEvents(b.got, B).includes("stopped"), 10000, "error stop");
  const errs = b.got.filter((g) => g.event === "control_loop:error" && g.payload.controlLoopId === B).map((g) => g.payload);
  check("3 errors then stopped", errs.length === 3 && errs[2].consecutiveErrors === 3 && errs[0].phase === "reasoning",
    errs);
  check("stopped by errors", b.got.find((g) => g.event === "control_loop:stopped").payload.reason === "errors");
  return b;
}
async function loops() {
  const C = "C-" + uniq();
  const keys = await setup([C], { prov: C, a: C, b: C, c: C, d: C, e: C, f: C });
  const prov = await agent(keys.prov, { vocabulary: "spec" });
  const invoked = [];
  prov.s.on("mcp:tool:invoke", (req, ack) => {
    invoked.push(req);
    if (req.toolName === "echo") ack({ success: true, output: "echo: " + req.arguments.text });
  });
  await call(prov.s, "mcp:tool:register", { name: "echo", description: "echoes text", category: "text",
    inputSchema: { type: "object", required: ["text"], properties: { text: { type: "string" } } } });
  await call(prov.s, "mcp:tool:register", { name: "slow", description: "never answers", inputSchema: { type: "object" } });
  const obs = observe;

  // a: two full cycles with a tool action each, events in order, maxCycles stops it
  const a = await agent(keys.a, { vocabulary: "spec" });
  const init = await call(a.s, "control_loop:init", { agentId: "a", config: { cycleInterval: 100, maxCycles: 2 } });
  check("init", init.success && typeof init.loopId === "string" && init.config.maxCycles === 2 && init.status === "running", init);
  const A = init.loopId;
  check("observation queued", (await obs(a.s, A, "hello 1")).success);
  await until(() => loopEvents(a.got, A).includes("reflection:complete"), 15000, "first cycle");
  await obs(a.s, A, "hello 2");
  await until(() => loopEvents(a.got, A).includes("stopped"), 15000, "maxCycles stop");
  const ev = loopEvents(a.got, A);
  check("events in order", JSON.stringify(ev) === JSON.stringify(["initialized", "started", ...PHASES, ...PHASES, "stopped"]), ev);
  const pl = a.got.find((g) => g.event === "control_loop:action:planned").payload;
  check("planned tool action", pl.actions[0].tool === "echo" && pl.plan === "greet", pl);
  const pu = a.got.find((g) => g.event === "control_loop:progress:update").payload;
  check("action result", pu.result.success && pu.result.output === "echo: hi" && pu.status === "completed", pu);
  check("the tool was invoked twice by a", invoked.filter((i) => i.fromAgentId === "a").length === 2, invoked);
  const st = a.got.find((g) => g.event === "control_loop:stopped").payload;
  check("stopped by maxCycles", st.reason === "maxCycles" && st.cycles === 2, st);
  const rs = a.got.find((g) => g.event === "control_loop:reasoning:complete").payload;
  check("reasoning from the model", rs.reasoning === "A greeting is due" && rs.cycle === 1, rs);
  const late = await obs(a.s, A, "after stop");
  check("stopped loop refuses observations", !late.success && late.code === "VALIDATION_ERROR", late);

  // b: a failing model stops the loop after 3 consecutive errors, with error events
  const b = await stopsAfterThreeErrors(keys.b);

  // c: cancel while a tool call is in flight
  const c = await agent(keys.c, { vocabulary: "spec" });
  const Cl = (await call(c.s, "control_loop:init", { config: { cycleInterval: 100 } })).loopId;
  await obs(c.s, Cl, "USE_SLOW please");
  await until(() => invoked.some((i) => i.fromAgentId === "c" && i.toolName === "slow"), 15000, "slow tool invoked");
  const t0 = Date.now();
  const stop = await call(c.s, "control_loop:stop", { controlLoopId: Cl });
  check("stop acknowledged", stop.success && stop.status === "stopped", stop);
  await until(() => loopEvents(c.got, Cl).includes("stopped"), 3000, "cancel stop");
  out.cancelMs = Date.now() - t0;
  await sleep(300);
  const ce = loopEvents(c.got, Cl);
  check("cancelled mid-tool: no result, no reflection", !ce.includes("progress:update") && !ce.includes("reflection:complete")
    && c.got.find((g) => g.event === "control_loop:stopped").payload.reason === "requested", ce);

  // f: cancel while the model is thinking
  const f = await agent(keys.f, { vocabulary: "spec" });
  const F = (await call(f.s, "control_loop:init", { config: { cycleInterval: 100 } })).loopId;
  await obs(f.s, F, "HANG on");
  await until(() => loopEvents(f.got, F).includes("observation:processed"), 10000, "hang cycle");
  await sleep(300);
  const t1 = Date.now();
  await call(f.s, "control_loop:stop", { controlLoopId: F });
  await until(() => loopEvents(f.got, F).includes("stopped"), 2000, "model cancel stop");
  out.modelCancelMs = Date.now() - t1;
  await sleep(300);
  check("cancelled mid-model: no reasoning", !loopEvents(f.got, F).includes("reasoning:complete") && !loopEvents(f.got, F).includes("error"), loopEvents(f.got, F));

  // d: the cycle rate limit holds (P.cycleLimit per minute): the next cycle waits
  const { d, D } = await cycleLimitHolds(keys.d);
  const other = await obs(a.s, D, "not mine");
  check("another agent's loop", other.code === "PERMISSION_DENIED", other);
  await call(d.s, "control_loop:stop", { controlLoopId: D });

  // e: the real vocabulary (controlLoop:* in the envelope)
  const e = await agent(keys.e);
  const ri = await call(e.s, "controlLoop:initialize", env("controlLoop:initialize", "e", C, { config: { cycleInterval: 100, maxCycles: 1 } }));
  check("real init", ri.success && ri.loopId, ri);
  await call(e.s, "controlLoop:observation", env("controlLoop:observation", "e", C, { loopId: ri.loopId, observation: { type: "note", data: "x", source: "t" } }));
  await until(() => e.got.some((g) => g.event === "controlLoop:stopped"), 15000, "real loop stop");
  const real = e.got.filter((g) => g.event.startsWith("controlLoop:")).map((g) => g.event);
  check("real names in order", JSON.stringify(real) === JSON.stringify(["controlLoop:initialized", "controlLoop:started", "controlLoop:observation",
    "controlLoop:reasoning", "controlLoop:plan", "controlLoop:execution", "controlLoop:reflection", "controlLoop:stopped"]), real);
  check("real envelope with loopId", e.got.filter((g) => g.event.startsWith("controlLoop:")).every((g) => g.payload.eventType === g.event && g.payload.data.loopId === ri.loopId));
  for (const x of [prov, a, b, c, d, e, f]) x.s.close();
}

async function loopsNoModel() {
  const N = "N-" + uniq();
  const keys = await setup([N], { n: N });
  const n = await agent(keys.n, { vocabulary: "spec" });
  const r = await call(n.s, "control_loop:init", { config: { maxCycles: 1 } });
  check("refused without a model", !r.success && /model/.test(r.error), r);
  await until(() => n.got.some((g) => g.event === "control_loop:error"), 3000, "control_loop:error");
  check("no loop events", !n.got.some((g) => g.event === "control_loop:initialized" || g.event === "control_loop:started"));
  n.s.close();
}

// The configured MCP server's tools (the real @modelcontextprotocol/server-everything over stdio) beside agents' tools
async function mcpTools() {
  const M = "M-" + uniq();
  const keys = await setup([M], { caller: M, prov: M });
  const rk = await api("/api/mesh/keys", { channelId: M, agentId: "restricted", allowedTools: ["echo"] });
  const caller = await agent(keys.caller, { vocabulary: "spec" });
  const prov = await agent(keys.prov, { vocabulary: "spec" });
  const restricted = await agent(rk.body, { vocabulary: "spec" });
  prov.s.on("mcp:tool:invoke", (req, ack) => ack({ success: true, output: "noted" }));
  await call(prov.s, "mcp:tool:register", { name: "note", description: "notes", inputSchema: { type: "object" }, category: "util" });
  const taken = await call(prov.s, "mcp:tool:register", { name: "echo", inputSchema: { type: "object" } });
  check("an MCP tool's name can not be taken", taken.code === "PERMISSION_DENIED" && /everything/.test(taken.error), taken);
  // list: every MCP tool with its real schema, and the agent's; filters by provider (the server's name) and category
  const all = await call(caller.s, "mcp:tool:list", {});
  const names = all.tools.map((t) => t.name);
  check("MCP and agent tools listed", ["echo", "get-sum", "trigger-long-running-operation", "note"].every((n) => names.includes(n)), names);
  const echo = all.tools.find((t) => t.name === "echo");
  check("MCP tool shape", echo.provider === "everything" && echo.providerType === "mcp" && echo.category === "mcp"
    && echo.inputSchema.properties.message.type === "string" && echo.description === "Echoes back the input string", echo);
  const byServer = await call(caller.s, "mcp:tool:list", { provider: "everything" });
  check("provider filter: the MCP server", byServer.tools.length === all.tools.length - 1 && byServer.tools.every((t) => t.provider === "everything"), byServer.tools.map((t) => t.name));
  const byAgent = await call(caller.s, "mcp:tool:list", { provider: "prov" });
  check("provider filter: the agent", byAgent.tools.length === 1 && byAgent.tools[0].name === "note", byAgent);
  const byCategory = await call(caller.s, "mcp:tool:list", { category: "util" });
  check("category filter", byCategory.tools.length === 1 && byCategory.tools[0].name === "note", byCategory);
  const real = await call(caller.s, "mxf:tool:list", env("mxf:tool:list", "caller", M, { filter: { provider: "everything", category: "mcp" }, requestId: "r-9" }));
  check("real list with filter", real.requestId === "r-9" && real.tools.length === byServer.tools.length && real.tools.some((t) => t.name === "get-sum"), real);
  out.mcpTools = byServer.tools.length;
  // execute on the MCP server, both vocabularies
  const ex = await call(caller.s, "mcp:tool:execute", { toolName: "echo", arguments: { message: "hello MCP" } });
  check("execute an MCP tool", ex.success && ex.output === "Echo: hello MCP" && ex.attempts === 1, ex);
  const rc = await call(caller.s, "mcp:tool:call", env("mcp:tool:call", "caller", M, { toolName: "get-sum", callId: "c-42", arguments: { a: 2, b: 40 } }));
  check("real call of an MCP tool", rc.success && rc.callId === "c-42" && /42/.test(rc.result), rc);
  await until(() => caller.got.some((g) => g.event === "mcp:tool:result" && g.payload.data && g.payload.data.callId === "c-42"), 3000, "real result");
  // the real inputSchema is enforced before anything is sent
  const e1 = await call(caller.s, "mcp:tool:execute", { toolName: "echo", arguments: {} });
  check("missing field", e1.code === "VALIDATION_ERROR" && /arguments\.message/.test(e1.error), e1);
  const e2 = await call(caller.s, "mcp:tool:execute", { toolName: "get-sum", arguments: { a: "two", b: 1 } });
  check("wrong type", e2.code === "VALIDATION_ERROR" && /arguments\.a/.test(e2.error), e2);
  await until(() => caller.got.some((g) => g.event === "mcp:error" && g.payload.details && g.payload.details.field === "arguments.a"), 3000, "mcp:error field");
  // timeout and retries against the slow tool
  const slow = await call(caller.s, "mcp:tool:execute", { toolName: "trigger-long-running-operation", arguments: { duration: 20, steps: 2 }, options: { timeout: 400 } });
  check("timeout", slow.success === false && /timed out after 400 ms \(1 attempt\)/.test(slow.error) && slow.attempts === 1, slow);
  const retried = await call(caller.s, "mcp:tool:execute", { toolName: "trigger-long-running-operation", arguments: { duration: 20, steps: 2 }, options: { timeout: 300, retries: 2 } });
  check("retries", retried.success === false && retried.attempts === 3 && /3 attempts/.test(retried.error), retried);
  const quick = await call(caller.s, "mcp:tool:execute", { toolName: "trigger-long-running-operation", arguments: { duration: 0.2, steps: 1 }, options: { timeout: 15000, retries: 1 } });
  check("a slow tool within its timeout", quick.success && /completed/i.test(quick.output) && quick.attempts === 1, quick);
  // allowedTools
  const denied = await call(restricted.s, "mcp:tool:execute", { toolName: "get-sum", arguments: { a: 1, b: 2 } });
  check("allowedTools refused", denied.code === "PERMISSION_DENIED", denied);
  const allowed = await call(restricted.s, "mcp:tool:execute", { toolName: "echo", arguments: { message: "ok" } });
  check("allowedTools allowed", allowed.success && allowed.output === "Echo: ok", allowed);
  check("connections survive", caller.s.connected && restricted.s.connected);
  for (const a of [caller, prov, restricted]) a.s.close();
}

// ORPAR loops whose actions are the MCP server's tools
async function mcpLoops() {
  const C = "L-" + uniq();
  const keys = await setup([C], { a: C, b: C, c: C, d: C, r: C });
  const obs = observe;
  // a: two full cycles with an MCP tool action each, maxCycles stops it
  const a = await agent(keys.a, { vocabulary: "spec" });
  const A = (await call(a.s, "control_loop:init", { config: { cycleInterval: 100, maxCycles: 2 } })).loopId;
  await obs(a.s, A, "hello 1");
  await until(() => loopEvents(a.got, A).includes("reflection:complete"), 20000, "first cycle");
  await obs(a.s, A, "hello 2");
  await until(() => loopEvents(a.got, A).includes("stopped"), 20000, "maxCycles stop");
  const ev = loopEvents(a.got, A);
  check("events in order", JSON.stringify(ev) === JSON.stringify(["initialized", "started", ...PHASES, ...PHASES, "stopped"]), ev);
  const pus = a.got.filter((g) => g.event === "control_loop:progress:update").map((g) => g.payload);
  check("MCP tool results", pus.length === 2 && pus.every((p) => p.result.success && p.result.output === "Echo: hi" && p.action.tool === "echo"), pus);
  check("stopped by maxCycles", a.got.find((g) => g.event === "control_loop:stopped").payload.reason === "maxCycles");
  // b: a failing model: 3 errors, stopped
  const b = await stopsAfterThreeErrors(keys.b);
  // c: stopped while the MCP server's slow tool runs
  const c = await agent(keys.c, { vocabulary: "spec" });
  const Cl = (await call(c.s, "control_loop:init", { config: { cycleInterval: 100 } })).loopId;
  await obs(c.s, Cl, "USE_SLOW please");
  await until(() => loopEvents(c.got, Cl).includes("action:planned"), 20000, "slow action planned");
  await sleep(300);
  const stop = await call(c.s, "control_loop:stop", { controlLoopId: Cl });
  check("stop acknowledged", stop.success && stop.status === "stopped", stop);
  await until(() => loopEvents(c.got, Cl).includes("stopped"), 3000, "cancel stop");
  await sleep(300);
  const ce = loopEvents(c.got, Cl);
  check("cancelled mid-tool", !ce.includes("progress:update") && !ce.includes("reflection:complete"), ce);
  const after = await call(c.s, "mcp:tool:execute", { toolName: "echo", arguments: { message: "still here" } });
  check("the MCP server still answers", after.success && after.output === "Echo: still here", after);
  // d: the cycle limit (P.cycleLimit per minute)
  const { d, D } = await cycleLimitHolds(keys.d);
  await call(d.s, "control_loop:stop", { controlLoopId: D });
  // r: an agent whose key does not allow the planned tool: the action is refused, the loop goes on
  const rk = await api("/api/mesh/keys", { channelId: C, agentId: "rr", allowedTools: ["get-sum"] });
  const r = await agent(rk.body, { vocabulary: "spec" });
  const R = (await call(r.s, "control_loop:init", { config: { cycleInterval: 100, maxCycles: 1 } })).loopId;
  await obs(r.s, R, "hello");
  await until(() => loopEvents(r.got, R).includes("stopped"), 20000, "restricted loop");
  const rp = r.got.find((g) => g.event === "control_loop:progress:update").payload;
  check("allowedTools refused in a loop", rp.result.success === false && /does not allow tool echo/.test(rp.result.error), rp);
  for (const x of [a, b, c, d, r]) x.s.close();
}

// A loop pauses while its agent is away and resumes on its return (socket.io-client disconnect / connect)
async function loopPause() {
  const C = "P-" + uniq();
  const keys = await setup([C], { p: C, q: C });
  const obs = observe;
  const p = await agent(keys.p, { vocabulary: "spec" });
  const L = (await call(p.s, "control_loop:init", { config: { cycleInterval: 100 } })).loopId;
  await obs(p.s, L, "hello 1");
  await until(() => loopEvents(p.got, L).includes("reflection:complete"), 20000, "cycle 1");
  // away during a cycle: the model call hangs once; the cycle is abandoned and runs again after the return
  await obs(p.s, L, "HANG_ONCE");
  await until(() => loopEvents(p.got, L).filter((e) => e === "observation:processed").length === 2, 20000, "cycle 2 started");
  p.s.disconnect();
  await sleep(300);
  p.s.connect();
  await until(() => loopEvents(p.got, L).includes("resumed"), 10000, "resumed");
  await until(() => loopEvents(p.got, L).filter((e) => e === "reflection:complete").length === 2, 20000, "cycle 2 after the return");
  const ev = loopEvents(p.got, L);
  check("paused mid-cycle, resumed, the cycle run again", JSON.stringify(ev) === JSON.stringify(["initialized", "started", ...PHASES,
    "observation:processed", "resumed", ...PHASES]), ev);
  const reflections = p.got.filter((g) => g.event === "control_loop:reflection:complete" && g.payload.controlLoopId === L).map((g) => g.payload.cycle);
  check("the abandoned cycle did not count", JSON.stringify(reflections) === JSON.stringify([1, 2]), reflections);
  const resumed = p.got.find((g) => g.event === "control_loop:resumed").payload;
  check("resumed payload", resumed.status === "running" && resumed.cycles === 1, resumed);
  check("the owner's new socket may observe", (await obs(p.s, L, "hello 3")).success);
  await until(() => loopEvents(p.got, L).filter((e) => e === "reflection:complete").length === 3, 20000, "cycle 3");
  await call(p.s, "control_loop:stop", { controlLoopId: L });
  // away past the grace: the loop stops, and the agent hears it when it comes back
  const q = await agent(keys.q, { vocabulary: "spec" });
  const Q = (await call(q.s, "control_loop:init", { config: { cycleInterval: 100 } })).loopId;
  q.s.disconnect();
  await sleep(P.graceMs * 3);
  q.s.connect();
  await until(() => loopEvents(q.got, Q).includes("stopped"), 10000, "stopped after the grace");
  const st = q.got.find((g) => g.event === "control_loop:stopped").payload;
  check("stopped past the grace", st.reason === "owner did not return" && !loopEvents(q.got, Q).includes("resumed"), st);
  const gone = await obs(q.s, Q, "too late");
  check("a stopped loop refuses observations", gone.code === "VALIDATION_ERROR", gone);
  for (const x of [p, q]) x.s.close();
}

// A model per phase: the loop names models configured on the server
async function loopModels() {
  const C = "N-" + uniq();
  const keys = await setup([C], { m: C });
  const m = await agent(keys.m, { vocabulary: "spec" });
  const bad = await call(m.s, "control_loop:init", { config: { reasoningModel: "nope" } });
  check("unknown model refused", bad.code === "VALIDATION_ERROR" && /config\.reasoningModel/.test(bad.error) && /deep, fast/.test(bad.error), bad);
  const init = await call(m.s, "control_loop:init", { config: { cycleInterval: 100, maxCycles: 1, reasoningModel: "deep", planningModel: "fast" } });
  check("init with phase models", init.success && init.config.reasoningModel === "deep" && init.config.planningModel === "fast", init);
  await call(m.s, "control_loop:observation", { controlLoopId: init.loopId, observation: { type: "note", data: "x", source: "t" } });
  await until(() => loopEvents(m.got, init.loopId).includes("stopped"), 20000, "phase models loop");
  const rs = m.got.find((g) => g.event === "control_loop:reasoning:complete").payload;
  check("reasoning by deep", rs.reasoning === "deep: A greeting is due", rs);
  const rf = m.got.find((g) => g.event === "control_loop:reflection:complete").payload;
  check("reflection by the default model", rf.reflection === "The greeting worked", rf);
  const pu = m.got.find((g) => g.event === "control_loop:progress:update").payload;
  check("the planned MCP tool ran", pu.result.success && pu.result.output === "Echo: hi", pu);
  m.s.close();
}

const scenarios = { auth, messages, tasks, llm, memory, limits, mxp, restart, tools, loops, loopsNoModel, mcpTools, mcpLoops, loopPause, loopModels, mxpCluster, dropReassign, agentsCluster, rest };
try {
  await scenarios[scenario]();
  clearTimeout(deadline);
  console.log(JSON.stringify({ failures, out }));
  process.exit(0);
} catch (e) {
  fail(String(e && e.stack || e));
}
