// A runnable envelope-protocol client on @agentwire/client (clients/js, docs/clients.md).
//
//   node envelope-client.mjs [ws://localhost:8080/ws] ["your question"] [--agent NAME] [--reject] [--no-drop]
//
//   --agent NAME   the agent to run (metadata.agent): demo, pipeline, or a remote agent's registered name such as
//                  scripted-node (examples/remote-agent); default: the server's default agent
//   --reject       answer the plan confirmation with "reject" instead of "approve"
//   --no-drop      don't drop the connection on purpose
//   AGENTWIRE_TOKEN   a JWT (`agentwire token --sub you`), needed unless the server runs with --dev
//
// It creates a session, sends the question, answers the plan confirmation, drops its connection once mid-run on
// purpose (the SDK reconnects with backoff and resumes from the last seq it saw), and exits when the run ends. It
// prints one JSON line per event and a summary line, and exits non-zero if it saw a gap or a duplicate.
import WebSocket from "ws";
import { AgentWireClient } from "@agentwire/client";

const args = process.argv.slice(2);
const flag = (name) => { const i = args.indexOf(name); if (i < 0) return undefined; args.splice(i, 1); return true; };
const option = (name) => { const i = args.indexOf(name); if (i < 0) return undefined; const v = args[i + 1]; args.splice(i, 2); return v; };
const agent = option("--agent");
const reject = flag("--reject");
const noDrop = flag("--no-drop");
const url = args[0] ?? "ws://localhost:8080/ws";
const text = args[1] ?? "Compare three vector databases";

const deadline = setTimeout(() => { console.error("timed out"); process.exit(2); }, 120_000);
const client = new AgentWireClient({
  url,
  token: process.env.AGENTWIRE_TOKEN,
  WebSocket, // the `ws` package: Node 20 has no global WebSocket, and it sends the token as a header
  onConfirm: () => (reject ? "reject" : "approve"),
});

const seqs = [];
let problems = 0;
let dropped = false;
client.on("envelope", (e) => {
  if (e.seq !== undefined) seqs.push(e.seq);
  console.log(JSON.stringify({ event: e.event, seq: e.seq, text: e.content?.text }));
});
client.on("gap", (g) => { problems++; console.error("gap:", JSON.stringify(g)); });
client.on("error", (e) => console.error("error:", e.code, e.message));
client.on("reconnecting", (r) => console.error(`reconnecting in ${r.delayMs} ms (attempt ${r.attempt})`));
client.on("resumed", (r) => console.error(`resumed: ${r.mode}, ${r.replayed ?? 0} missed events replayed`));
client.on("solver.start", () => {
  if (!noDrop && !dropped) { dropped = true; client.simulateDrop(); } // lose the connection mid-run, on purpose
});

try {
  await client.connect();
} catch (e) {
  console.error(`could not connect to ${url}: ${e.code} ${e.message}`);
  if (e.code === "AUTH_FAILED") console.error("set AGENTWIRE_TOKEN to a JWT (agentwire token --sub you), or start the server with --dev");
  process.exit(2);
}
const sessionId = await client.createSession();
const run = client.send(text, agent ? { agent } : {});
let done;
try {
  done = await run.done;
} catch (e) {
  console.error(`the run could not start: ${e.code} ${e.message}`);
  if (e.code === "AGENT_NOT_FOUND") console.error("no agent by that name is registered (see docs/remote-agents.md)");
  process.exit(1);
}
clearTimeout(deadline);
if (new Set(seqs).size !== seqs.length || seqs.some((s, i) => s !== i + 1)) problems++;
console.log(JSON.stringify({ summary: true, session_id: sessionId, run_id: run.runId, agent: agent ?? null, last_seq: client.lastSeq,
  events: seqs.length, status: done.metadata.status, resumed: dropped, problems }));
await client.close();
process.exit(problems === 0 ? 0 : 1);
