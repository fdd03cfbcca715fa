// Type declarations of @agentwire/client (written by hand; checked by test/types.test.mjs with tsc).

/** One envelope, as the server sends it (docs/envelope.md). */
export interface Envelope<C = Record<string, any>, M = Record<string, any>> {
  event: string;
  session_id?: string;
  connection_id?: string;
  step_id?: string;
  timestamp?: string;
  content: C;
  metadata: M;
  show_content?: string;
  /** Set on session events only: 1, 2, 3 … per session. */
  seq?: number;
  /** True on an `agent.user_confirm` rebuilt from a snapshot's `pending_confirmations` (extended resume). */
  fromSnapshot?: boolean;
}

export interface RunMetadata { run_id?: string; task_id?: string; [key: string]: any }

/** The payloads of the events a client most often listens to. */
export interface EnvelopeEvents {
  "system.connected": Envelope<{}, { connection_id: string; protocol_version: string; heartbeat_interval_ms: number; heartbeat_timeout_ms: number; max_payload_bytes: number }>;
  "system.heartbeat": Envelope<{}, { ts: number | string }>;
  "system.notice": Envelope<{ code: string; message?: string }, Record<string, any>>;
  "system.error": Envelope<{ message: string }, { code: string }>;
  "agent.session_created": Envelope<{ session_id: string }, { ttl_ms: number; resume_window_ms: number; resume_window_events?: number }>;
  "agent.session_closed": Envelope<{ session_id: string }>;
  "agent.state_exported": Envelope<{ state: SessionState }, { last_seq?: number }>;
  "plan.start": Envelope<Record<string, any>, RunMetadata>;
  "plan.completed": Envelope<{ tasks: Array<{ task_id: string; description: string }> }, RunMetadata>;
  "plan.cancelled": Envelope<Record<string, any>, RunMetadata>;
  "plan.coercion_error": Envelope<{ output?: string }, RunMetadata & { attempt?: number; will_retry?: boolean }>;
  "agent.thinking": Envelope<{ text?: string }, RunMetadata>;
  "agent.user_confirm": Envelope<{ prompt: string; options: string[] }, RunMetadata & { timeout_ms?: number }>;
  "agent.tool_call": Envelope<Record<string, any>, RunMetadata>;
  "agent.tool_result": Envelope<Record<string, any>, RunMetadata>;
  "agent.partial_answer": Envelope<{ text: string }, RunMetadata>;
  "agent.final_answer": Envelope<{ text: string }, RunMetadata>;
  "agent.error": Envelope<{ message: string }, RunMetadata & { code: string; reason?: string }>;
  "solver.start": Envelope<Record<string, any>, RunMetadata>;
  "solver.completed": Envelope<{ task_id: string; result: unknown }, RunMetadata>;
  "solver.restarted": Envelope<Record<string, any>, RunMetadata>;
  "solver.cancelled": Envelope<Record<string, any>, RunMetadata>;
  "aggregate.start": Envelope<Record<string, any>, RunMetadata>;
  "aggregate.completed": Envelope<Record<string, any>, RunMetadata>;
  "pipeline.completed": Envelope<Record<string, any>, RunMetadata & { status?: string; duration_ms?: number; tasks?: number }>;
  "error.validation": Envelope<{ message: string }, { code: string; field?: string; detail?: string }>;
  "error.timeout": Envelope<{ message: string }, { code: string; step_id?: string; timeout_ms?: number }>;
  "error.rate_limited": Envelope<{ message: string }, { code: "RATE_LIMITED"; retry_after_ms: number; dropped?: number }>;
  "error.recovery_failed": Envelope<{ message: string }, { code: "SESSION_EXPIRED" | "SESSION_NOT_FOUND" }>;
  "error.connection_lost": Envelope<{ message: string }, { code: "CONNECTION_LOST"; connection_id: string }>;
  "error.retry_attempt": Envelope<{ message: string }, RunMetadata & { code: string; attempt: number; max_attempts: number; delay_ms: number }>;
}

/** The client's own events (no dot in their names, so they never clash with an envelope's). */
export interface ClientEvents {
  /** Every envelope received (after duplicates are dropped). */
  envelope: Envelope;
  /** The server said `system.connected` on a (new) connection. */
  open: { connectionId: string | null; [key: string]: any };
  /** A session was created or resumed on this connection. */
  session: { sessionId: string; created: boolean };
  /** A resume finished: the `system.notice RESUMED` metadata (mode, replayed, from_seq, to_seq, …). */
  resumed: { sessionId: string; lastSeq: number; mode?: "replay" | "snapshot"; replayed?: number; from_seq?: number; to_seq?: number; snapshot_seq?: number; [key: string]: any };
  /** The connection dropped; a reconnect follows. */
  disconnected: { code: number; reason: string; willReconnect: boolean };
  /** A reconnect attempt is scheduled in `delayMs`. */
  reconnecting: { attempt: number; delayMs: number };
  /** The session could not be resumed (expired, unknown, forbidden): create a new one. */
  session_lost: { sessionId: string | null; code: string; error: AgentWireError };
  /** A seq arrived that is not the next one (the server never does this; reported, not hidden). */
  gap: { expected: number; got: number };
  /** A server error (`error.*`, `system.error`) or a client-side failure. */
  error: AgentWireError | Error;
  /** The client stopped for good: `close()`, an authentication failure or `reconnect.maxAttempts` reached. */
  closed: { error: AgentWireError };
}

export type AllEvents = EnvelopeEvents & ClientEvents;

export interface SessionState {
  session_id: string;
  status: string;
  last_seq: number;
  runs: Array<{ run_id: string; status: string; phase?: string; tasks?: unknown[]; current_task?: string; final_answer?: string; started_seq?: number; last_seq?: number }>;
  open_runs: string[];
  pending_confirmations: Array<{ step_id: string; run_id: string; prompt: string; options: string[]; timeout_ms: number; seq: number }>;
  conversation: Array<{ role: string; text: string; run_id?: string; seq: number }>;
  [key: string]: any;
}

export interface ReconnectPolicy {
  /** First delay (ms). Default 500. */
  initialDelayMs?: number;
  /** Largest delay (ms). Default 30 000. */
  maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  multiplier?: number;
  /** ± fraction of random spread. Default 0.2. */
  jitter?: number;
  /** Attempts in a row before giving up (`closed`). Default Infinity. */
  maxAttempts?: number;
}

/** What `onConfirm` and `respond` accept: approved or not, one of the step's options, or the content itself. */
export type ConfirmAnswer = boolean | string | { approved: boolean } | { value: string };

export interface ClientOptions {
  /** `ws://HOST:8080/ws` */
  url: string;
  /** A JWT, or a function returning one (called before every connection, so it can refresh). */
  token?: string | (() => string | Promise<string>);
  /** Where the token goes: `?token=` (browsers' only choice) or `Authorization: Bearer` (with the `ws` package). */
  tokenIn?: "query" | "header";
  /** Resume this session on connect… */
  sessionId?: string;
  /** …after this seq. */
  lastSeq?: number;
  /** A WebSocket constructor (the browser's, or `ws`'s). Default: the global one, else the `ws` package. */
  WebSocket?: any;
  reconnect?: ReconnectPolicy;
  /** Ack after this many new events… Default 20. */
  ackEvery?: number;
  /** …or after this long. Default 1000 ms. */
  ackIntervalMs?: number;
  /** Answers every `agent.user_confirm` (return undefined to answer later with `respond`). */
  onConfirm?: (confirm: EnvelopeEvents["agent.user_confirm"]) => ConfirmAnswer | undefined | Promise<ConfirmAnswer | undefined>;
  /** How long `connect()` waits. Default 15 000 ms. */
  connectTimeoutMs?: number;
  /** How long `createSession`, `resume`, `exportState` and `waitFor` wait. Default 30 000 ms. */
  requestTimeoutMs?: number;
}

export interface RunOptions {
  /** The agent to run (`metadata.agent`): `demo`, `pipeline`, or a remote agent's registered name. */
  agent?: string;
  /** Ask for (or skip) the plan confirmation (`metadata.confirm`). */
  confirm?: boolean;
  /** More `metadata` for the run. */
  metadata?: Record<string, any>;
}

export declare const DEFAULTS: {
  readonly reconnect: Required<ReconnectPolicy>;
  readonly ackEvery: number;
  readonly ackIntervalMs: number;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
};

export declare function backoffDelay(attempt: number, policy?: ReconnectPolicy, random?: () => number): number;

export declare class AgentWireError extends Error {
  constructor(message: string, options?: { code?: string; envelope?: Envelope });
  /** `metadata.code` of the server's error (e.g. `AGENT_NOT_FOUND`, `SESSION_EXPIRED`), or the client's own. */
  readonly code: string;
  readonly envelope?: Envelope;
  static from(envelope: Envelope): AgentWireError;
}

export declare class Run {
  /** Known from the run's first event on. */
  runId: string | null;
  /** This run's session events, in seq order. */
  readonly events: Envelope[];
  status: "pending" | "running" | "completed" | "cancelled" | "rejected" | "failed" | "interrupted" | string;
  /** Resolves with `pipeline.completed`; rejects with an AgentWireError when refused or the session is lost. */
  readonly done: Promise<EnvelopeEvents["pipeline.completed"]>;
  onEvent(listener: (e: Envelope) => void): this;
  cancel(): void;
}

export declare class AgentWireClient {
  constructor(options: ClientOptions);
  sessionId: string | null;
  lastSeq: number;
  connectionId: string | null;
  serverInfo: Record<string, any> | null;
  readonly state: "idle" | "connecting" | "open" | "reconnecting" | "closed";

  on<K extends keyof AllEvents>(event: K, listener: (e: AllEvents[K]) => void): this;
  on(event: string, listener: (e: Envelope) => void): this;
  off<K extends keyof AllEvents>(event: K, listener: (e: AllEvents[K]) => void): this;
  off(event: string, listener: (e: Envelope) => void): this;
  once<K extends keyof AllEvents>(event: K, listener: (e: AllEvents[K]) => void): this;
  once(event: string, listener: (e: Envelope) => void): this;
  waitFor<K extends keyof AllEvents>(event: K, predicate?: (e: AllEvents[K]) => boolean, timeoutMs?: number): Promise<AllEvents[K]>;
  waitFor(event: string, predicate?: (e: Envelope) => boolean, timeoutMs?: number): Promise<Envelope>;

  /** Opens the connection (and resumes `sessionId` if set). */
  connect(): Promise<void>;
  createSession(metadata?: Record<string, any>): Promise<string>;
  resume(sessionId: string, lastSeq?: number): Promise<ClientEvents["resumed"]>;
  send(text: string, options?: RunOptions): Run;
  solveTasks(tasks: Array<string | { task_id?: string; description: string }>, options?: RunOptions): Run;
  respond(stepId: string, answer: ConfirmAnswer): void;
  cancel(runId?: string): void;
  exportState(): Promise<SessionState>;
  closeSession(): Promise<EnvelopeEvents["agent.session_closed"]>;
  ack(): boolean;
  close(): Promise<void>;
  /** Drops the connection as a network failure would, then reconnects and resumes (tests, demos). */
  simulateDrop(): void;
}
