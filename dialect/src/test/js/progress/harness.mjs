// Drives the official socket.io-client — 4.5.4 (the script spec 001 names, no connection-state recovery) and 4.8
// (with recovery) — against AgentWire's progress dialect (spec 001) as the document's clients use it: io(base),
// POST /api/session, emit('query', {prompt, session_id}), and the server events agent_event, query_complete,
// session_memory, tool_count, error. Usage: node harness.mjs <scenario> '<json params>' — prints one JSON object on
// stdout (exit 1 on a harness error). Params: base (the progress port's URL), v ("454" or "48"). Every wait is
// bounded; the Java test asserts on the JSON.
import { io as io454 } from "sio454";
import { io as io48 } from "sio48";

const [scenario, paramText] = process.argv.slice(2);
const P = JSON.parse(paramText);
const deadline = setTimeout(() => fail("harness timeout"), P.timeoutMs ?? 50000);
const io = P.v === "454" ? io454 : io48;

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
const until = async (pred, ms = 20000, what = "condition") => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(what + " not met in time");
    await sleep(10);
  }
};
const connect = (opts = {}) => io(P.base, { forceNew: true, reconnection: false, ...opts });
// every server event a socket receives, in order (the recovery offset argument is not part of the payload)
function recorder(s) {
  const got = [];
  s.onAny((event, payload) => got.push({ event, payload }));
  return got;
}
async function api(method, path, body, headers = {}) {
  const res = await fetch(P.base + path, { method, headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: json };
}
// a connected socket whose greeting (connected, tool_count) has passed, and the recorder of what follows
async function fresh(opts = {}) {
  const s = connect(opts);
  const got = recorder(s);
  await once(s, "tool_count");
  got.length = 0;
  return [s, got];
}
const newSession = async () => (await api("POST", "/api/session")).body.session_id;
// the events of one query, from the first agent_event to its tool_count
const turnDone = (got, from = 0) => {
  const rest = got.slice(from);
  const qc = rest.findIndex((e) => e.event === "query_complete");
  return qc >= 0 && rest.slice(qc).some((e) => e.event === "tool_count");
};
const names = (got) => got.map((e) => e.event === "agent_event" ? "agent_event:" + e.payload.event_type : e.event);

// ---- scenarios ----

// connect: connected then tool_count, to this socket, right after the client's own 'connect'
async function connectOrder() {
  const s = connect();
  const order = [];
  s.on("connect", () => order.push({ event: "connect" }));
  s.onAny((event, payload) => order.push({ event, payload }));
  await until(() => order.some((e) => e.event === "tool_count"), 10000, "tool_count");
  await sleep(100);
  const r = { order, transport: s.io.engine.transport.name, id: s.id };
  s.close();
  return r;
}

// both error strings, to the sender only, and nothing else follows
async function errors() {
  const s = connect();
  const other = connect();
  const got = recorder(s);
  const otherGot = recorder(other);
  await Promise.all([once(s, "tool_count"), once(other, "tool_count")]);
  got.length = 0; otherGot.length = 0;
  s.emit("query", { session_id: "s-1" });
  s.emit("query", { prompt: "", session_id: "s-1" });
  s.emit("query", { prompt: "hello" });
  s.emit("query", { prompt: "hello", session_id: "" });
  await until(() => got.length >= 4, 5000, "four errors");
  await sleep(400); // a query_complete would arrive right behind
  const r = { got, other: otherGot };
  s.close(); other.close();
  return r;
}

// a full run on a fresh session: agent_event* → query_complete → session_memory → tool_count; then a second turn
async function run() {
  const sid = await newSession();
  const [s, got] = await fresh(P.transports ? { transports: P.transports } : {});
  let upgraded = s.io.engine.transport.name;
  s.io.engine.on("upgrade", (t) => { upgraded = t.name; });
  s.emit("query", { prompt: "Calculate profit margins from data.csv", session_id: sid });
  await until(() => turnDone(got), 20000, "first turn");
  const first = got.splice(0);
  s.emit("query", { prompt: "And the average?", session_id: sid });
  await until(() => turnDone(got), 20000, "second turn");
  const messages = await api("GET", `/api/session/${sid}/messages?limit=10`);
  const r = { sid, first, second: got, messages, transport: s.io.engine.transport.name, upgraded };
  s.close();
  return r;
}

// two sessions at once on two sockets; a third socket joins session A mid-run and sees A's stream
async function isolation() {
  const [sa, sb] = await Promise.all([newSession(), newSession()]);
  const a = connect(), b = connect(), c = connect();
  const ga = recorder(a), gb = recorder(b), gc = recorder(c);
  await Promise.all([once(a, "tool_count"), once(b, "tool_count"), once(c, "tool_count")]);
  ga.length = 0; gb.length = 0; gc.length = 0;
  a.emit("query", { prompt: "alpha question", session_id: sa });
  b.emit("query", { prompt: "beta question", session_id: sb });
  await until(() => ga.some((e) => e.event === "agent_event"), 10000, "A's first event");
  c.emit("query", { prompt: "joining A", session_id: sa }); // busy: refused, but c is in A's room from now on
  await until(() => turnDone(ga) && turnDone(gb) && turnDone(gc), 20000, "all turns");
  await sleep(300);
  const r = { sa, sb, a: ga, b: gb, c: gc };
  a.close(); b.close(); c.close();
  return r;
}

// 4.8: the network drops mid-run, the client reconnects and recovers: nothing lost, nothing repeated
async function recover() {
  const sid = await newSession();
  // a reference run of the same prompt on another session, without a drop
  const [ref, gr] = await fresh();
  ref.emit("query", { prompt: "Compare three vector databases", session_id: await newSession() });
  await until(() => turnDone(gr), 20000, "reference turn");
  ref.close();

  const [s, got] = await fresh();
  const firstId = s.id;
  s.emit("query", { prompt: "Compare three vector databases", session_id: sid });
  await until(() => got.filter((e) => e.event === "agent_event").length >= 2, 10000, "two events");
  const down = once(s, "disconnect");
  s.io.engine.close(); // the network drops (a transport close, recoverable)
  const [reason] = await down;
  const seenAtDrop = got.length;
  await sleep(P.downMs ?? 600);
  s.connect();
  await once(s, "connect");
  const recovered = s.recovered, sameId = s.id === firstId;
  await until(() => turnDone(got), 20000, "the turn after the drop");
  await sleep(300);
  const r = { reason, recovered, sameId, seenAtDrop, reference: names(gr), got: names(got),
    greetings: got.filter((e) => e.event === "connected").length };
  s.close();
  return r;
}

// 4.5.4 (no recovery): the socket goes away mid-run; the run ends meanwhile; the completed turn is in the REST
// messages; a new socket that queries the session first gets the final query_complete it missed
async function rejoin() {
  const sid = await newSession();
  const s = connect();
  const got = recorder(s);
  await once(s, "tool_count");
  s.emit("query", { prompt: "A long question", session_id: sid });
  await until(() => got.some((e) => e.event === "agent_event"), 10000, "first event");
  s.close();
  let messages;
  const end = Date.now() + 20000;
  do {
    messages = await api("GET", `/api/session/${sid}/messages`);
    if (messages.body.messages.length >= 2) break;
    await sleep(50);
  } while (Date.now() < end);
  await sleep(200);
  const [s2, got2] = await fresh();
  s2.emit("query", { prompt: "Next question", session_id: sid });
  await until(() => got2.filter((e) => e.event === "query_complete").length >= 2
    && got2.slice(got2.findLastIndex((e) => e.event === "query_complete")).some((e) => e.event === "tool_count"),
  20000, "both results");
  const r = { sid, messages, got: got2 };
  s2.close();
  return r;
}

// a second query while one runs on the session is refused; the running one ends normally, once
async function busy() {
  const sid = await newSession();
  const [s, got] = await fresh();
  s.emit("query", { prompt: "first", session_id: sid });
  s.emit("query", { prompt: "second", session_id: sid });
  await until(() => turnDone(got), 20000, "the turn");
  await sleep(500);
  const r = { got: names(got), errors: got.filter((e) => e.event === "error").map((e) => e.payload.message),
    messages: (await api("GET", `/api/session/${sid}/messages`)).body };
  s.close();
  return r;
}

// the per-socket query rate: burst P.burst, then error {message}
async function rate() {
  const [s, got] = await fresh();
  const sids = [];
  for (let k = 0; k <= P.burst; k++) sids.push(await newSession());
  for (const sid of sids) s.emit("query", { prompt: "q", session_id: sid });
  await until(() => got.filter((e) => e.event === "query_complete").length >= P.burst
    && got.some((e) => e.event === "error"), 20000, "the burst");
  await sleep(300);
  const r = { completes: got.filter((e) => e.event === "query_complete").length,
    errors: got.filter((e) => e.event === "error").map((e) => e.payload.message) };
  s.close();
  return r;
}

// payload limits: a prompt over max-prompt is an error {message}; a message over max-payload (1 MB) closes the
// connection; the server goes on serving others
async function payload() {
  const [s, got] = await fresh({ transports: ["websocket"] });
  s.emit("query", { prompt: "x".repeat(P.maxPrompt + 1), session_id: "big-1" });
  await until(() => got.some((e) => e.event === "error"), 5000, "the long prompt's error");
  const longPrompt = got.filter((e) => e.event === "error").map((e) => e.payload.message);
  const down = once(s, "disconnect");
  s.emit("query", { prompt: "y".repeat(1_100_000), session_id: "big-2" });
  const [reason] = await down;
  const t = connect();
  await once(t, "tool_count");
  const stillServing = t.connected;
  t.close();
  return { longPrompt, reason, stillServing };
}

// polling only, and the default polling → websocket upgrade, each with a whole turn
async function transports() {
  P.transports = ["polling"];
  const polling = await run();
  P.transports = undefined;
  const upgrade = await run();
  return { polling: { transport: polling.transport, first: names(polling.first) },
    upgrade: { transport: upgrade.transport, upgraded: upgrade.upgraded, first: names(upgrade.first) } };
}

// require-token: no token refused, a good token accepted
async function token() {
  const none = connect();
  const [err] = await once(none, "connect_error");
  none.close();
  const ok = connect({ auth: { token: P.token } });
  await once(ok, "tool_count");
  const connected = ok.connected;
  ok.close();
  return { refused: err.message, connected };
}

// The document's AgentClient class, as written (only io comes from the socket.io-client package, and its
// hard-coded fetch('http://localhost:5001/api/session') is pointed at the test server's port).
async function agentClient() {
  globalThis.io = io;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (url, init) => realFetch(String(url).replace("http://localhost:5001", P.base), init);
  const logs = [];
  const realLog = console.log;
  console.log = (...args) => logs.push(args.map((a) => typeof a === "string" ? a : JSON.stringify(a)).join(" "));
  const flow = { agent: [], complete: null, memory: null, tools: null };
  try {
    // ---- spec 001, "Client Implementation Example", verbatim ----
    class AgentClient {
      constructor(serverUrl = 'http://localhost:5001') {
        this.socket = io(serverUrl);
        this.sessionId = null;
        this.setupEventHandlers();
      }

      setupEventHandlers() {
        this.socket.on('connect', () => {
          console.log('Connected to agent');
          this.createSession();
        });

        this.socket.on('agent_event', (data) => {
          this.handleAgentEvent(data.event_type, data.data);
        });

        this.socket.on('query_complete', (data) => {
          this.handleQueryComplete(data);
        });

        this.socket.on('error', (data) => {
          console.error('Error:', data.message);
        });
      }

      async createSession() {
        const response = await fetch('http://localhost:5001/api/session', {
          method: 'POST'
        });
        const data = await response.json();
        this.sessionId = data.session_id;
        console.log('Session created:', this.sessionId);
      }

      submitQuery(prompt) {
        if (!this.sessionId) {
          throw new Error('No active session');
        }
        this.socket.emit('query', {
          prompt: prompt,
          session_id: this.sessionId
        });
      }

      handleAgentEvent(eventType, data) {
        console.log(`[${eventType}]`, data);
        // Implement custom handling based on event type
      }

      handleQueryComplete(data) {
        console.log('Query complete:', data);
        // Process final result
      }
    }
    // ---- end of the document's class ----

    const client = new AgentClient(P.base);
    // the server greets every new connection with its tool_count (sent once the registry is counted, so it may
    // arrive after the session exists): wait for it, so the flow below records the turn's tool_count only
    let greeted = false;
    client.socket.once('tool_count', () => { greeted = true; });
    // the document's "Usage" submits at once, before the session exists: that throws as written
    let immediate;
    try { client.submitQuery('Calculate profit margins from data.csv'); } catch (e) { immediate = e.message; }
    await until(() => client.sessionId && greeted, 10000, "the session and the greeting's tool_count");
    // "Complete Event Flow", steps 2–5
    const socket = client.socket;
    socket.on('agent_event', (data) => flow.agent.push(data));
    socket.on('query_complete', (data) => { flow.complete = data; flow.order = (flow.order || []).concat("query_complete"); });
    socket.on('session_memory', (data) => { flow.memory = data; flow.order = (flow.order || []).concat("session_memory"); });
    socket.on('tool_count', (data) => { flow.tools = data; flow.order = (flow.order || []).concat("tool_count"); });
    client.submitQuery(P.prompt ?? 'Calculate average sales from sales_data.csv');
    await until(() => flow.complete && flow.order.at(-1) === "tool_count" && flow.order.includes("session_memory"),
      P.flowMs ?? 20000, "the flow");
    socket.close();
    return { immediate, sessionId: client.sessionId, flow, logs };
  } finally {
    console.log = realLog;
  }
}

// one query on a fresh session, whatever its outcome: every event until the turn's tool_count
async function once1() {
  const sid = P.sid ?? await newSession();
  const [s, got] = await fresh();
  s.emit("query", { prompt: P.prompt ?? "Calculate profit margins from data.csv", session_id: sid });
  await until(() => turnDone(got), 20000, "the turn");
  await sleep(200);
  s.close();
  return { sid, got };
}

const scenarios = { once: once1, connectOrder, errors, run, isolation, recover, rejoin, busy, rate, payload, transports, token,
  agentClient };
if (!scenarios[scenario]) fail("unknown scenario " + scenario);
scenarios[scenario]()
  .then((r) => { clearTimeout(deadline); console.log(JSON.stringify(r)); process.exit(0); })
  .catch((e) => fail(String(e && e.stack || e)));
