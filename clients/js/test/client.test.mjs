// @agentwire/client against the real server. The server is started by the Maven build (client module,
// JsClientTest), which passes AGENTWIRE_URL (ws://127.0.0.1:PORT/ws) and AGENTWIRE_TOKEN; the demo agent runs
// with a short step delay and the server's heartbeat every 500 ms (timeout 3 s).
// Every test runs once with the `ws` package and once with the runtime's global WebSocket (the browser API).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import WS from "ws";
import { AgentWireClient, AgentWireError, backoffDelay } from "../src/index.js";
import { startProxy } from "./proxy.mjs";

const SERVER = process.env.AGENTWIRE_URL;
const TOKEN = process.env.AGENTWIRE_TOKEN;
const SMALL_WINDOW = process.env.AGENTWIRE_SMALL_WINDOW_URL; // a server whose replay window is 3 events

test("backoffDelay grows exponentially, stays within its jitter and its cap", () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0.2 };
  assert.equal(backoffDelay(1, policy, () => 0.5), 100);
  assert.equal(backoffDelay(2, policy, () => 0.5), 200);
  assert.equal(backoffDelay(4, policy, () => 0.5), 800);
  assert.equal(backoffDelay(10, policy, () => 0.5), 1000);
  assert.equal(backoffDelay(1, policy, () => 0), 80);
  assert.equal(backoffDelay(1, policy, () => 0.999999), 120);
});

test("the integration tests have a server", () => {
  assert.ok(SERVER, "set AGENTWIRE_URL to a running AgentWire (./mvnw verify -pl client -am starts one)");
  assert.ok(SMALL_WINDOW, "set AGENTWIRE_SMALL_WINDOW_URL to a running AgentWire with agentwire.history.size = 3");
});

const impls = [["ws package", WS]];
if (typeof globalThis.WebSocket === "function") impls.push(["global WebSocket", globalThis.WebSocket]);
else if (process.env.AGENTWIRE_REQUIRE_GLOBAL_WS) {
  test("global WebSocket", () => assert.fail("no global WebSocket: use Node 22+ or node --experimental-websocket"));
}

function newClient(url, WebSocket, extra = {}) {
  return new AgentWireClient({ url, token: TOKEN, WebSocket, reconnect: { initialDelayMs: 50, maxDelayMs: 400 }, ...extra });
}

/** Records every session event a client delivers, and fails on anything out of order. */
function record(client) {
  const events = [];
  const gaps = [];
  client.on("envelope", (e) => { if (e.seq !== undefined) events.push(e); });
  client.on("gap", (g) => gaps.push(g));
  return { events, gaps, lines: () => events.map((e) => `${e.seq} ${e.event}`) };
}

/** The server's whole record of a session, read by a fresh client resuming from seq 0. */
async function history(WebSocket, sessionId) {
  const c = newClient(SERVER, WebSocket);
  const r = record(c);
  await c.connect();
  await c.resume(sessionId, 0);
  await c.close();
  return r.lines();
}

function assertContiguous(events) {
  assert.deepEqual(events.map((e) => e.seq), Array.from({ length: events.length }, (_, i) => i + 1),
    "seq 1, 2, 3 … each exactly once");
}

function until(predicate, timeoutMs = 20_000, what = "condition") {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

for (const [name, WebSocket] of impls) {
  describe(`with the ${name}`, { concurrency: false }, () => {
    test("streams a run, answers its confirmation, acks, and the server's history matches what it saw", async () => {
      const confirms = [];
      const client = newClient(SERVER, WebSocket, { onConfirm: (c) => { confirms.push(c); return true; } });
      const r = record(client);
      const partials = [];
      client.on("agent.partial_answer", (e) => partials.push(e.content.text));
      await client.connect();
      const sessionId = await client.createSession({ test: "stream" });
      assert.match(sessionId, /^sess_/);
      const run = client.send("Compare three vector databases", { agent: "demo" });
      const done = await run.done;
      await client.close();

      assert.equal(done.metadata.status, "completed");
      assert.equal(run.status, "completed");
      assert.match(run.runId, /.+/);
      assert.equal(confirms.length, 1);
      assert.deepEqual(confirms[0].content.options, ["approve", "reject"]);
      assert.ok(partials.length >= 3, "partial answers streamed");
      assert.ok(run.events.some((e) => e.event === "agent.final_answer" && e.content.text.length > 0));
      assert.ok(run.events.every((e) => e.metadata.run_id === run.runId));
      assertContiguous(r.events);
      assert.deepEqual(r.gaps, []);
      assert.equal(r.events[0].event, "agent.session_created");
      assert.equal(r.events.at(-1).event, "pipeline.completed");
      assert.deepEqual(await history(WebSocket, sessionId), r.lines());
    });

    test("the TCP link cut mid-run: it reconnects with backoff and resumes with nothing lost or repeated", async () => {
      const proxy = await startProxy(SERVER);
      const client = newClient(proxy.url, WebSocket, { onConfirm: () => "approve" });
      const r = record(client);
      const disconnects = [];
      const reconnects = [];
      const resumes = [];
      client.on("disconnected", (d) => disconnects.push(d));
      client.on("reconnecting", (d) => reconnects.push(d));
      client.on("resumed", (d) => resumes.push(d));
      try {
        await client.connect();
        const sessionId = await client.createSession();
        // A second connection to the same session, straight to the server: it sees the run go on meanwhile.
        const observer = newClient(SERVER, WebSocket);
        const seen = record(observer);
        const lost = [];
        observer.on("error.connection_lost", (e) => lost.push(e));
        await observer.connect();
        await observer.resume(sessionId, 0);

        let cutAt = 0;
        client.once("solver.start", (e) => { cutAt = e.seq; proxy.refuse(true); assert.equal(proxy.cut(), 1); });
        const run = client.send("What is AgentWire?");
        await until(() => cutAt > 0, 20_000, "the first solver.start");
        // While the link is down the run goes on: wait for three more events and for the server to notice the drop.
        await until(() => seen.events.length >= cutAt + 3 && lost.length > 0, 20_000, "the run to go on without the client");
        proxy.refuse(false);
        const done = await run.done;
        await until(() => seen.events.at(-1)?.event === "pipeline.completed", 20_000, "the observer to see the end");
        await observer.close();
        await client.close();

        assert.equal(done.metadata.status, "completed");
        assert.equal(lost[0].metadata.code, "CONNECTION_LOST", "the server saw an unclean drop, not a close");
        assert.ok(disconnects.length >= 1 && disconnects[0].code !== 1000, `dropped, not closed: ${JSON.stringify(disconnects)}`);
        assert.ok(reconnects.length >= 1);
        assert.equal(resumes.length, 1);
        assert.equal(resumes[0].mode, "replay");
        assert.equal(resumes[0].from_seq, cutAt + 1);
        assert.ok(resumes[0].replayed >= 3, `replayed ${resumes[0].replayed}`);
        assertContiguous(r.events);
        assert.deepEqual(r.gaps, []);
        assert.deepEqual(r.lines(), seen.lines(), "the client saw exactly what the live observer saw");
        assert.deepEqual(await history(WebSocket, sessionId), r.lines());
      } finally {
        await client.close();
        await proxy.close();
      }
    });

    test("a drop longer than the replay window: resumed from the snapshot, then the rest, each seq once", async () => {
      const proxy = await startProxy(SMALL_WINDOW);
      const client = newClient(proxy.url, WebSocket, { onConfirm: () => true });
      const r = record(client);
      const snapshots = [];
      client.on("agent.state_exported", (e) => snapshots.push(e));
      const observer = newClient(SMALL_WINDOW, WebSocket);
      const seen = record(observer);
      try {
        await client.connect();
        const sessionId = await client.createSession();
        await observer.connect();
        await observer.resume(sessionId, 0);
        let cutAt = 0;
        client.once("solver.start", (e) => { cutAt = e.seq; proxy.refuse(true); proxy.cut(); });
        const resumed = client.waitFor("resumed", () => true, 30_000);
        const run = client.send("What is AgentWire?");
        await until(() => cutAt > 0 && seen.events.length >= cutAt + 8, 20_000, "the run to go past the window");
        proxy.refuse(false);
        assert.equal((await run.done).metadata.status, "completed");
        const info = await resumed;
        await until(() => seen.events.at(-1)?.event === "pipeline.completed", 20_000, "the observer to see the end");
        assert.equal(info.mode, "snapshot");
        const s = info.snapshot_seq;
        assert.ok(s > cutAt, `snapshot at ${s}, cut at ${cutAt}`);
        assert.equal(snapshots.length, 1);
        assert.equal(snapshots[0].content.state.last_seq, s);
        const last = seen.events.at(-1).seq;
        const expected = [...Array.from({ length: cutAt }, (_, i) => i + 1), ...Array.from({ length: last - s }, (_, i) => s + 1 + i)];
        assert.deepEqual(r.events.map((e) => e.seq), expected, "before the cut, then after the snapshot: each once");
        assert.deepEqual(r.gaps, []);
        assert.equal(client.lastSeq, last);
        const live = new Set(seen.lines());
        assert.ok(r.lines().every((l) => live.has(l)));
      } finally {
        await observer.close();
        await client.close();
        await proxy.close();
      }
    });

    test("a confirmation pending in the snapshot is handed to onConfirm", async () => {
      const proxy = await startProxy(SMALL_WINDOW);
      const confirms = [];
      const client = newClient(proxy.url, WebSocket, { onConfirm: (c) => { confirms.push(c); return true; } });
      const observer = newClient(SMALL_WINDOW, WebSocket);
      const seen = record(observer);
      try {
        await client.connect();
        const sessionId = await client.createSession();
        await observer.connect();
        await observer.resume(sessionId, 0);
        client.once("plan.start", () => { proxy.refuse(true); proxy.cut(); });
        const resumed = client.waitFor("resumed", () => true, 30_000);
        const run = client.send("What is AgentWire?");
        await until(() => seen.events.some((e) => e.event === "agent.user_confirm"), 20_000, "the confirmation, asked while away");
        proxy.refuse(false);
        assert.equal((await resumed).mode, "snapshot");
        assert.equal((await run.done).metadata.status, "completed");
        assert.equal(confirms.length, 1);
        assert.equal(confirms[0].fromSnapshot, true);
        assert.match(confirms[0].step_id, /^confirm_plan_/);
      } finally {
        await observer.close();
        await client.close();
        await proxy.close();
      }
    });

    test("a black-holed link (half-open TCP): the heartbeat silence is noticed and the run resumes", async () => {
      const proxy = await startProxy(SERVER);
      const client = newClient(proxy.url, WebSocket, { onConfirm: () => true });
      const r = record(client);
      const errors = [];
      client.on("error", (e) => errors.push(e));
      try {
        await client.connect();
        assert.ok(client.serverInfo.heartbeat_timeout_ms <= 5000, "the test server runs with a short heartbeat timeout");
        const sessionId = await client.createSession();
        client.once("solver.start", () => assert.equal(proxy.blackhole(), 1));
        const resumed = client.waitFor("resumed", () => true, 30_000);
        const run = client.send("What is AgentWire?");
        assert.equal((await resumed).mode, "replay");
        assert.equal((await run.done).metadata.status, "completed");
        await client.close();
        assert.ok(errors.some((e) => e.code === "HEARTBEAT_TIMEOUT"), errors.map((e) => e.code).join());
        assertContiguous(r.events);
        assert.deepEqual(await history(WebSocket, sessionId), r.lines());
      } finally {
        await client.close();
        await proxy.close();
      }
    });

    test("cancel stops the run mid-way", async () => {
      const client = newClient(SERVER, WebSocket);
      const r = record(client);
      await client.connect();
      await client.createSession();
      const run = client.send("Cancel me", { confirm: false });
      client.once("solver.start", () => run.cancel());
      const done = await run.done;
      await client.close();
      assert.equal(done.metadata.status, "cancelled");
      assert.equal(run.status, "cancelled");
      assert.ok(run.events.some((e) => e.event === "solver.cancelled" || e.event === "plan.cancelled"));
      assert.ok(!run.events.some((e) => e.event === "agent.final_answer"));
      assertContiguous(r.events);
    });

    test("a confirmation answered by hand: rejecting the plan ends the run", async () => {
      const client = newClient(SERVER, WebSocket);
      await client.connect();
      await client.createSession();
      client.on("agent.user_confirm", (e) => client.respond(e.step_id, "reject"));
      const run = client.send("Plan something");
      const done = await run.done;
      await client.close();
      assert.equal(done.metadata.status, "rejected");
      assert.ok(!run.events.some((e) => e.event === "solver.start"));
    });

    test("picks the agent by name; an unknown agent is refused with AGENT_NOT_FOUND", async () => {
      const client = newClient(SERVER, WebSocket);
      const errors = [];
      client.on("error", (e) => errors.push(e));
      await client.connect();
      await client.createSession();
      const refused = client.send("Hello", { agent: "no-such-agent" });
      await assert.rejects(refused.done, (e) => e instanceof AgentWireError && e.code === "AGENT_NOT_FOUND");
      assert.equal(refused.status, "failed");
      const run = client.send("Hello", { agent: "demo", confirm: false });
      assert.equal((await run.done).metadata.status, "completed");
      await client.close();
      assert.deepEqual(errors.map((e) => e.code), ["AGENT_NOT_FOUND"]);
    });

    test("a new client resumes a session from sessionId and lastSeq; an unknown session is reported", async () => {
      const first = newClient(SERVER, WebSocket);
      const r1 = record(first);
      await first.connect();
      const sessionId = await first.createSession();
      const run = first.send("Hello", { confirm: false });
      await until(() => r1.events.length >= 6, 20_000, "six events");
      await first.close(); // the run goes on with nobody connected
      await run.done.catch(() => {});
      const lastSeq = first.lastSeq;

      const second = newClient(SERVER, WebSocket, { sessionId, lastSeq });
      const r2 = record(second);
      const resumed = second.waitFor("resumed");
      await second.connect();
      assert.equal((await resumed).from_seq, lastSeq + 1);
      await until(() => r2.events.at(-1)?.event === "pipeline.completed", 20_000, "the end of the run");
      await second.close();
      assertContiguous([...r1.events.filter((e) => e.seq <= lastSeq), ...r2.events]);

      const lost = newClient(SERVER, WebSocket, { sessionId: "sess_does_not_exist", lastSeq: 3 });
      await assert.rejects(lost.connect(), (e) => e.code === "SESSION_NOT_FOUND");
      assert.equal(lost.sessionId, null);
      assert.match(await lost.createSession(), /^sess_/);
      await lost.close();
    });

    test("export and close the session", async () => {
      const client = newClient(SERVER, WebSocket);
      await client.connect();
      const sessionId = await client.createSession();
      await client.send("Hello", { confirm: false }).done;
      const state = await client.exportState();
      assert.equal(state.session_id, sessionId);
      assert.equal(state.runs.length, 1);
      assert.equal(state.runs[0].status, "completed");
      const closed = await client.closeSession();
      assert.equal(closed.content.session_id, sessionId);
      const refused = client.send("Again");
      await assert.rejects(refused.done, (e) => e.code === "SESSION_CLOSED");
      await client.close();
    });
  });
}
