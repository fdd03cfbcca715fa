// @agentwire/client: a client for AgentWire's envelope protocol (docs/envelope.md, docs/clients.md).
// One AgentWireClient is one logical connection to one session: it reconnects by itself (exponential backoff with
// jitter), resumes from the last seq it saw, drops duplicates, acks, answers heartbeats and, if asked, confirmations.

const SYSTEM_CONNECTED = "system.connected";

/** The defaults of {@link AgentWireClient}'s options. */
export const DEFAULTS = Object.freeze({
  reconnect: Object.freeze({ initialDelayMs: 500, maxDelayMs: 30_000, multiplier: 2, jitter: 0.2, maxAttempts: Infinity }),
  ackEvery: 20,
  ackIntervalMs: 1000,
  connectTimeoutMs: 15_000,
  requestTimeoutMs: 30_000,
});

/** An error from the server (`error.*`, `system.error`) or from the client itself (`metadata.code` in `code`). */
export class AgentWireError extends Error {
  constructor(message, { code, envelope } = {}) {
    super(message);
    this.name = "AgentWireError";
    this.code = code ?? "CLIENT_ERROR";
    this.envelope = envelope;
  }

  static from(envelope) {
    const code = envelope.metadata?.code ?? envelope.event;
    const detail = envelope.metadata?.detail ?? envelope.content?.message ?? envelope.event;
    return new AgentWireError(`${code}: ${detail}`, { code, envelope });
  }
}

/** The delay before reconnect attempt `attempt` (1, 2, …): exponential, capped, with ± jitter. */
export function backoffDelay(attempt, policy = DEFAULTS.reconnect, random = Math.random) {
  const p = { ...DEFAULTS.reconnect, ...policy };
  const base = Math.min(p.maxDelayMs, p.initialDelayMs * p.multiplier ** Math.max(0, attempt - 1));
  const spread = base * p.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}

/** A run started by {@link AgentWireClient#send} or {@link AgentWireClient#solveTasks}. */
export class Run {
  #client;
  #resolve;
  #reject;
  #listeners = [];

  constructor(client) {
    this.#client = client;
    /** The run's id, known from its first event on. */
    this.runId = null;
    /** Every session event of this run, in seq order. */
    this.events = [];
    /** `"pending"`, then `"running"`, then the `status` of `pipeline.completed` (`completed`, `cancelled`, …) or `"failed"`. */
    this.status = "pending";
    /** Resolves with the run's `pipeline.completed` envelope; rejects when the message is refused or the session is lost. */
    this.done = new Promise((resolve, reject) => { this.#resolve = resolve; this.#reject = reject; });
    this.done.catch(() => {}); // a caller that never awaits it does not get an unhandled rejection
  }

  /** Calls `listener(envelope)` for each event of this run (including those already received). */
  onEvent(listener) {
    for (const e of this.events) listener(e);
    this.#listeners.push(listener);
    return this;
  }

  /** Cancels this run (`user.cancel` with its run id once known). */
  cancel() {
    this.#client.cancel(this.runId ?? undefined);
  }

  /** @internal */
  _event(envelope) {
    if (this.status === "pending") this.status = "running";
    this.events.push(envelope);
    for (const l of this.#listeners) l(envelope);
    if (envelope.event === "pipeline.completed") {
      this.status = envelope.metadata?.status ?? "completed";
      this.#resolve(envelope);
      return true;
    }
    return false;
  }

  /** @internal */
  _fail(error) {
    if (this.status === "pending" || this.status === "running") this.status = "failed";
    this.#reject(error);
  }
}

function defer() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

async function findWebSocket(explicit) {
  if (explicit) return { WebSocket: explicit, isWs: typeof explicit.prototype?.terminate === "function" };
  if (typeof globalThis.WebSocket === "function") return { WebSocket: globalThis.WebSocket, isWs: false };
  try {
    const mod = await import("ws");
    return { WebSocket: mod.WebSocket ?? mod.default, isWs: true };
  } catch {
    throw new AgentWireError("no WebSocket implementation: this runtime has no global WebSocket (Node < 22); install the 'ws' package",
      { code: "NO_WEBSOCKET" });
  }
}

/**
 * A client of the envelope protocol. Events: every envelope by its name (`"agent.partial_answer"`, …), `"envelope"`
 * for all of them, and the client's own `"open"`, `"session"`, `"resumed"`, `"disconnected"`, `"reconnecting"`,
 * `"session_lost"`, `"gap"`, `"error"` and `"closed"`.
 */
export class AgentWireClient {
  #opts;
  #listeners = new Map();
  #ws = null;
  #isWs = false;
  #WebSocket = null;
  #state = "idle";          // idle | connecting | open | reconnecting | closed
  #ready = false;           // attached (or no session yet) and not resuming: commands may go out
  #queue = [];              // commands written while not ready
  #attempt = 0;
  #reconnectTimer = null;
  #livenessTimer = null;
  #ackTimer = null;
  #lastFrameAt = 0;
  #heartbeatTimeoutMs = 60_000;
  #lastAcked = 0;
  #seqOnThisConnection = false;
  #pendingRuns = [];
  #runs = new Map();
  #knownRunIds = new Set();
  #requests = new Map();    // step_id of our own requests -> deferred
  #requestCounter = 0;
  #attaching = null;        // deferred of a create_session / reconnect in flight
  #connectWaiter = null;

  /**
   * @param {object} options see index.d.ts: url, token, sessionId, lastSeq, WebSocket, tokenIn, reconnect, ackEvery,
   *   ackIntervalMs, onConfirm, connectTimeoutMs, requestTimeoutMs
   */
  constructor(options) {
    if (!options?.url) throw new AgentWireError("options.url is required", { code: "INVALID_OPTIONS" });
    this.#opts = { ...DEFAULTS, ...options, reconnect: { ...DEFAULTS.reconnect, ...(options.reconnect ?? {}) } };
    /** The session this client is attached to (or will resume on connect). */
    this.sessionId = options.sessionId ?? null;
    /** The highest seq seen in the session: resume starts after it. */
    this.lastSeq = options.lastSeq ?? 0;
    /** The server's id for the current connection. */
    this.connectionId = null;
    /** What `system.connected` said: heartbeat_interval_ms, heartbeat_timeout_ms, max_payload_bytes, … */
    this.serverInfo = null;
  }

  /** `idle`, `connecting`, `open`, `reconnecting` or `closed`. */
  get state() { return this.#state; }

  on(event, listener) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(listener);
    return this;
  }

  off(event, listener) {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  once(event, listener) {
    const wrapper = (arg) => { this.off(event, wrapper); listener(arg); };
    return this.on(event, wrapper);
  }

  /** Resolves with the next envelope (or client event) named `event` for which `predicate` holds. */
  waitFor(event, predicate = () => true, timeoutMs = this.#opts.requestTimeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.off(event, l); reject(new AgentWireError(`no ${event} within ${timeoutMs} ms`, { code: "TIMEOUT" })); }, timeoutMs);
      const l = (arg) => { if (predicate(arg)) { clearTimeout(timer); this.off(event, l); resolve(arg); } };
      this.on(event, l);
    });
  }

  #emit(event, arg) {
    for (const l of [...(this.#listeners.get(event) ?? [])]) {
      try { l(arg); } catch (err) { if (event !== "error") this.#emit("error", err); }
    }
  }

  /**
   * Opens the connection. Resolves once the server said `system.connected` and, when `sessionId` is set, the session
   * is resumed (rejects with `SESSION_EXPIRED` / `SESSION_NOT_FOUND` when it can not be; create a new one then).
   */
  async connect() {
    if (this.#state !== "idle" && this.#state !== "closed") throw new AgentWireError("already connected or connecting", { code: "INVALID_STATE" });
    const { WebSocket, isWs } = await findWebSocket(this.#opts.WebSocket);
    this.#WebSocket = WebSocket;
    this.#isWs = isWs;
    this.#state = "connecting";
    this.#connectWaiter = defer();
    const timer = setTimeout(() => this.#connectWaiter?.reject(new AgentWireError(`not connected within ${this.#opts.connectTimeoutMs} ms`, { code: "CONNECT_TIMEOUT" })),
      this.#opts.connectTimeoutMs);
    try {
      await this.#open();
      await this.#connectWaiter.promise;
    } catch (err) {
      // A session that can not be resumed leaves the connection open, so createSession() can follow at once.
      if (!(this.#state === "open" && String(err.code).startsWith("SESSION_"))) {
        this.#state = "closed";
        this.#teardownSocket(true);
      }
      throw err;
    } finally {
      clearTimeout(timer);
      this.#connectWaiter = null;
    }
  }

  async #url() {
    const token = typeof this.#opts.token === "function" ? await this.#opts.token() : this.#opts.token;
    const tokenIn = this.#opts.tokenIn ?? (this.#isWs ? "header" : "query");
    const url = new URL(this.#opts.url);
    if (token && tokenIn === "query") url.searchParams.set("token", token);
    return { url: url.toString(), headers: token && tokenIn === "header" ? { Authorization: `Bearer ${token}` } : undefined };
  }

  async #open() {
    const { url, headers } = await this.#url();
    if (this.#state === "closed") return;
    const ws = this.#isWs ? new this.#WebSocket(url, headers ? { headers } : undefined) : new this.#WebSocket(url);
    this.#ws = ws;
    this.#seqOnThisConnection = false;
    this.#lastFrameAt = Date.now();
    ws.onmessage = (ev) => { if (this.#ws === ws) this.#frame(ev.data); };
    ws.onclose = (ev) => { if (this.#ws === ws) this.#closed(ev.code, ev.reason); };
    ws.onerror = (ev) => {
      if (this.#ws !== ws) return;
      this.#emit("error", new AgentWireError(`socket error: ${ev?.message ?? ev?.error?.message ?? "connection failed"}`, { code: "SOCKET_ERROR" }));
      // Some runtimes (Node 20's undici) report a failed handshake with an error and no close event.
      setTimeout(() => { if (this.#ws === ws) this.#closed(1006, "socket error"); }, 250);
    };
    if (this.#isWs && typeof ws.on === "function") {
      ws.on("unexpected-response", (_req, res) => {
        if (this.#ws !== ws) return;
        const code = res.statusCode === 401 ? "AUTH_FAILED" : "HANDSHAKE_FAILED";
        const err = new AgentWireError(`the server refused the upgrade with HTTP ${res.statusCode}`, { code });
        this.#emit("error", err);
        if (res.statusCode === 401 || res.statusCode === 403) this.#fatal(err);
        else this.#closed(1006, `HTTP ${res.statusCode}`);
        res.resume?.();
      });
      ws.on("ping", () => { this.#lastFrameAt = Date.now(); });
    }
  }

  #frame(data) {
    this.#lastFrameAt = Date.now();
    let msg;
    try {
      msg = JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data));
    } catch {
      this.#emit("error", new AgentWireError("the server sent a frame that is not JSON", { code: "INVALID_FRAME" }));
      return;
    }
    if (typeof msg?.event !== "string") return;
    if (msg.seq !== undefined && msg.seq !== null) {
      if (msg.session_id && this.sessionId && msg.session_id !== this.sessionId) return; // another session's leftovers
      if (msg.seq <= this.lastSeq) return;                                              // seen: exactly-once
      if (msg.seq !== this.lastSeq + 1) this.#emit("gap", { expected: this.lastSeq + 1, got: msg.seq });
      this.lastSeq = msg.seq;
      this.#seqOnThisConnection = true;
      this.#scheduleAck();
    }
    this.#handle(msg);
    this.#emit(msg.event, msg);
    this.#emit("envelope", msg);
    this.#track(msg);
  }

  #handle(msg) {
    switch (msg.event) {
      case SYSTEM_CONNECTED: {
        this.connectionId = msg.metadata?.connection_id ?? msg.connection_id ?? null;
        this.serverInfo = msg.metadata ?? {};
        this.#heartbeatTimeoutMs = Number(this.serverInfo.heartbeat_timeout_ms) || 60_000;
        this.#state = "open";
        this.#startLiveness();
        this.#emit("open", { connectionId: this.connectionId, ...this.serverInfo });
        if (this.sessionId) this.#resume();
        else { this.#attempt = 0; this.#setReady(); this.#connectWaiter?.resolve(); }
        break;
      }
      case "system.heartbeat":
        if (!this.#ack()) this.#raw({ event: "user.heartbeat" });
        break;
      case "agent.session_created":
        if (this.#attaching?.kind === "create") {
          this.sessionId = msg.content?.session_id ?? msg.session_id;
          this.#emit("session", { sessionId: this.sessionId, created: true });
          this.#attaching.resolve(this.sessionId);
          this.#attaching = null;
          this.#setReady();
        }
        break;
      case "agent.state_exported": {
        const state = msg.content?.state;
        if (this.#attaching?.kind === "resume" && state?.last_seq !== undefined) {
          // Extended flow: the snapshot covers everything up to state.last_seq; what follows is replayed.
          this.lastSeq = Math.max(this.lastSeq, Number(state.last_seq));
          for (const p of state.pending_confirmations ?? []) {
            this.#confirm({ event: "agent.user_confirm", session_id: this.sessionId, step_id: p.step_id, seq: p.seq, fromSnapshot: true,
              content: { prompt: p.prompt, options: p.options }, metadata: { run_id: p.run_id, timeout_ms: p.timeout_ms } });
          }
        }
        this.#requests.get("export")?.resolve(state);
        this.#requests.delete("export");
        break;
      }
      case "system.notice":
        if (msg.content?.code === "RESUMED" && this.#attaching?.kind === "resume") {
          const info = { sessionId: this.sessionId, lastSeq: this.lastSeq, ...msg.metadata };
          this.#attaching.resolve(info);
          this.#attaching = null;
          this.#attempt = 0;
          this.#emit("resumed", info);
          this.#emit("session", { sessionId: this.sessionId, created: false });
          this.#setReady();
          this.#connectWaiter?.resolve();
        }
        break;
      case "error.recovery_failed":
        if (this.#attaching?.kind === "resume") this.#sessionLost(AgentWireError.from(msg));
        break;
      case "agent.user_confirm":
        this.#confirm(msg);
        break;
      default:
        if (msg.event.startsWith("error.") || msg.event === "system.error") this.#serverError(msg);
    }
  }

  #serverError(msg) {
    const err = AgentWireError.from(msg);
    const req = msg.step_id ? this.#requests.get(msg.step_id) : undefined;
    if (req) {
      this.#requests.delete(msg.step_id);
      req.reject(err);
    } else if (this.#attaching && msg.seq === undefined && (msg.event === "error.validation" || msg.event === "system.error")) {
      const a = this.#attaching;
      this.#attaching = null;
      a.reject(err);
      if (a.kind === "resume") this.#sessionLost(err);
    }
    if (msg.event !== "error.retry_attempt" && msg.event !== "error.connection_lost") this.#emit("error", err);
  }

  #confirm(msg) {
    if (!this.#opts.onConfirm) return;
    Promise.resolve()
      .then(() => this.#opts.onConfirm(msg))
      .then((answer) => { if (answer !== undefined && answer !== null) this.respond(msg.step_id, answer); })
      .catch((err) => this.#emit("error", err));
  }

  #track(msg) {
    const runId = msg.metadata?.run_id;
    if (msg.seq === undefined || !runId) return;
    let run = this.#runs.get(runId);
    if (!run && !this.#knownRunIds.has(runId)) {
      this.#knownRunIds.add(runId);
      run = this.#pendingRuns.shift();
      if (run) {
        run.runId = runId;
        this.#runs.set(runId, run);
        this.#requests.delete(run._stepId);
      }
    }
    if (run && run._event(msg)) this.#runs.delete(runId);
  }

  #resume() {
    this.#ready = false;
    this.#attaching = { kind: "resume", ...defer() };
    this.#raw({ event: "user.reconnect", session_id: this.sessionId, content: { last_seq: this.lastSeq } });
  }

  #sessionLost(err) {
    const lost = this.sessionId;
    this.#attaching = null;
    this.sessionId = null;
    this.lastSeq = 0;
    this.#lastAcked = 0;
    this.#knownRunIds.clear();
    for (const run of [...this.#pendingRuns, ...this.#runs.values()]) run._fail(err);
    this.#pendingRuns = [];
    this.#runs.clear();
    this.#queue = [];
    this.#emit("session_lost", { sessionId: lost, code: err.code, error: err });
    this.#setReady();
    this.#connectWaiter?.reject(err);
  }

  #setReady() {
    this.#ready = true;
    const queued = this.#queue;
    this.#queue = [];
    for (const m of queued) this.#raw(m);
  }

  #raw(msg) {
    if (this.#ws && this.#state === "open" && this.#ws.readyState === 1) {
      this.#ws.send(JSON.stringify(msg));
      return true;
    }
    return false;
  }

  #command(msg) {
    const m = { ...msg };
    if (this.sessionId && !m.session_id) m.session_id = this.sessionId;
    if (this.#ready && this.#raw(m)) return;
    this.#queue.push(m);
  }

  #scheduleAck() {
    if (this.lastSeq - this.#lastAcked >= this.#opts.ackEvery) this.#ack();
    else if (!this.#ackTimer) this.#ackTimer = setTimeout(() => { this.#ackTimer = null; this.#ack(); }, this.#opts.ackIntervalMs);
  }

  /** Sends `user.ack` for the last seq when there is something new to ack; true if it did. */
  #ack() {
    if (!this.#seqOnThisConnection || this.lastSeq <= this.#lastAcked || !this.sessionId) return false;
    if (this.#raw({ event: "user.ack", session_id: this.sessionId, content: { seq: this.lastSeq } })) {
      this.#lastAcked = this.lastSeq;
      return true;
    }
    return false;
  }

  /** Acknowledges everything seen so far now (it happens by itself every `ackEvery` events or `ackIntervalMs`). */
  ack() { return this.#ack(); }

  /** Creates a new session and attaches to it; resolves with its id. */
  createSession(metadata) {
    if (this.#state !== "open") return Promise.reject(new AgentWireError("not connected", { code: "INVALID_STATE" }));
    this.#attaching?.reject(new AgentWireError("superseded by createSession", { code: "SUPERSEDED" }));
    this.#attaching = { kind: "create", ...defer() };
    this.sessionId = null;
    this.lastSeq = 0;
    this.#lastAcked = 0;
    this.#knownRunIds.clear();
    this.#ready = false;
    this.#raw({ event: "user.create_session", content: metadata ? { metadata } : {} });
    return this.#withTimeout(this.#attaching.promise, "agent.session_created");
  }

  /** Attaches to an existing session, replaying what came after `lastSeq` (default: the last seq seen). */
  resume(sessionId, lastSeq = sessionId === this.sessionId ? this.lastSeq : 0) {
    if (this.#state !== "open") return Promise.reject(new AgentWireError("not connected", { code: "INVALID_STATE" }));
    if (sessionId !== this.sessionId) this.#knownRunIds.clear();
    this.sessionId = sessionId;
    this.lastSeq = lastSeq;
    this.#lastAcked = lastSeq;
    this.#resume();
    return this.#withTimeout(this.#attaching.promise, "system.notice RESUMED");
  }

  #withTimeout(promise, what) {
    let timer;
    return Promise.race([promise, new Promise((_, reject) => {
      timer = setTimeout(() => reject(new AgentWireError(`no ${what} within ${this.#opts.requestTimeoutMs} ms`, { code: "TIMEOUT" })), this.#opts.requestTimeoutMs);
    })]).finally(() => clearTimeout(timer));
  }

  #startRun(msg) {
    if (!this.sessionId && !this.#attaching) throw new AgentWireError("no session: createSession() or resume() first", { code: "SESSION_REQUIRED" });
    const run = new Run(this);
    run._stepId = `req_${++this.#requestCounter}`;
    this.#requests.set(run._stepId, {
      resolve: () => {},
      reject: (err) => { this.#pendingRuns = this.#pendingRuns.filter((r) => r !== run); run._fail(err); },
    });
    this.#pendingRuns.push(run);
    this.#command({ ...msg, step_id: run._stepId });
    return run;
  }

  /**
   * Sends `user.message`: a run starts. `options.agent` picks the agent (`metadata.agent`, e.g. a remote agent's
   * name); `options.confirm` (boolean) asks for, or skips, the plan confirmation; `options.metadata` adds more.
   */
  send(text, options = {}) {
    return this.#startRun({ event: "user.message", content: { text }, metadata: runMetadata(options) });
  }

  /** Sends `user.solve_tasks`: a run that skips planning (tasks: strings or `{task_id?, description}`). */
  solveTasks(tasks, options = {}) {
    return this.#startRun({ event: "user.solve_tasks", content: { tasks }, metadata: runMetadata(options) });
  }

  /**
   * Answers an `agent.user_confirm`: `true`/`false` (approved), a string (one of the step's options), or the
   * content object itself (`{approved}` or `{value}`).
   */
  respond(stepId, answer) {
    const content = typeof answer === "boolean" ? { approved: answer }
      : typeof answer === "string" ? { value: answer } : answer;
    this.#command({ event: "user.response", step_id: stepId, content });
  }

  /** Cancels the session's run `runId`, or all of its runs. */
  cancel(runId) {
    this.#command({ event: "user.cancel", metadata: runId ? { run_id: runId } : {} });
  }

  /** Asks for the session's current state (`agent.state_exported`). */
  exportState() {
    const d = defer();
    this.#requests.set("export", d);
    this.#command({ event: "user.export_state" });
    return this.#withTimeout(d.promise, "agent.state_exported");
  }

  /** Closes the session (its runs are cancelled, its history stays readable); resolves with `agent.session_closed`. */
  closeSession() {
    const closed = this.waitFor("agent.session_closed");
    this.#command({ event: "user.close_session" });
    return closed;
  }

  #startLiveness() {
    clearInterval(this.#livenessTimer);
    const every = Math.max(250, Math.min(5000, this.#heartbeatTimeoutMs / 4));
    this.#livenessTimer = setInterval(() => {
      if (Date.now() - this.#lastFrameAt > this.#heartbeatTimeoutMs) {
        // Nothing from the server, not even a heartbeat: the link is dead (a half-open TCP connection).
        this.#emit("error", new AgentWireError(`no frame from the server for ${this.#heartbeatTimeoutMs} ms`, { code: "HEARTBEAT_TIMEOUT" }));
        const ws = this.#ws;
        this.#teardownSocket(true);
        if (ws) this.#closed(1006, "heartbeat timeout");
      }
    }, every);
    this.#livenessTimer.unref?.();
  }

  #teardownSocket(abrupt) {
    clearInterval(this.#livenessTimer);
    this.#livenessTimer = null;
    clearTimeout(this.#ackTimer);
    this.#ackTimer = null;
    const ws = this.#ws;
    this.#ws = null;
    if (!ws) return;
    ws.onmessage = ws.onclose = null;
    ws.onerror = () => {};
    try {
      if (abrupt && typeof ws.terminate === "function") ws.terminate();
      else if (ws.readyState === 0 || ws.readyState === 1) ws.close(1000);
    } catch { /* already gone */ }
  }

  #closed(code, reason) {
    const wasConnecting = this.#connectWaiter !== null && this.#state === "connecting";
    this.#teardownSocket(false);
    this.#ready = false;
    if (this.#attaching?.kind === "create") {
      this.#attaching.reject(new AgentWireError("the connection closed before the session was created", { code: "CONNECTION_LOST" }));
      this.#attaching = null;
    } else if (this.#attaching?.kind === "resume") {
      this.#attaching = null; // resumed again on the next connection
    }
    if (this.#state === "closed") return;
    if (wasConnecting) {
      this.#connectWaiter?.reject(new AgentWireError(`could not connect (${code}${reason ? " " + reason : ""})`, { code: "CONNECT_FAILED" }));
      return;
    }
    const attempt = ++this.#attempt;
    if (attempt > this.#opts.reconnect.maxAttempts) {
      this.#fatal(new AgentWireError(`gave up after ${attempt - 1} reconnect attempts`, { code: "RECONNECT_FAILED" }));
      return;
    }
    const delayMs = backoffDelay(attempt, this.#opts.reconnect);
    this.#state = "reconnecting";
    this.#emit("disconnected", { code, reason, willReconnect: true });
    this.#emit("reconnecting", { attempt, delayMs });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (this.#state !== "reconnecting") return;
      this.#open().catch((err) => { this.#emit("error", err); this.#closed(1006, err.message); });
    }, delayMs);
  }

  #fatal(err) {
    const connecting = this.#connectWaiter;
    this.#shutdown(err);
    connecting?.reject(err);
  }

  #shutdown(err) {
    this.#state = "closed";
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    this.#teardownSocket(false);
    this.#attaching?.reject(err);
    this.#attaching = null;
    for (const run of [...this.#pendingRuns, ...this.#runs.values()]) run._fail(err);
    this.#pendingRuns = [];
    this.#runs.clear();
    for (const r of this.#requests.values()) r.reject(err);
    this.#requests.clear();
    this.#emit("closed", { error: err });
  }

  /**
   * Closes the connection cleanly (1000) after acking what was seen, and stops reconnecting. The session lives on
   * on the server: a later client can resume it with `sessionId` and `lastSeq`.
   */
  async close() {
    if (this.#state === "closed") return;
    this.#ack();
    const ws = this.#ws;
    const closedSocket = ws && ws.readyState === 1
      ? new Promise((resolve) => { const t = setTimeout(resolve, 2000); ws.addEventListener?.("close", () => { clearTimeout(t); resolve(); }); })
      : Promise.resolve();
    this.#shutdown(new AgentWireError("the client was closed", { code: "CLIENT_CLOSED" }));
    await closedSocket;
  }

  /**
   * Drops the connection abruptly, as a network failure would (no close frame where the runtime allows it), and lets
   * the client reconnect and resume. For tests and demos.
   */
  simulateDrop() {
    if (!this.#ws) return;
    const ws = this.#ws;
    this.#teardownSocket(true);
    if (ws) this.#closed(1006, "dropped");
  }
}

function runMetadata({ agent, confirm, metadata } = {}) {
  const m = { ...(metadata ?? {}) };
  if (agent !== undefined) m.agent = agent;
  if (confirm !== undefined) m.confirm = confirm;
  return m;
}
