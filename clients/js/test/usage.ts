// Compiled (not run) by types.test.mjs: the hand-written declarations must describe the API the README shows.
import { AgentWireClient, AgentWireError, Run, backoffDelay, type Envelope, type SessionState } from "@agentwire/client";

async function main(): Promise<void> {
  const client = new AgentWireClient({
    url: "ws://localhost:8080/ws",
    token: async () => "jwt",
    reconnect: { initialDelayMs: 250, maxAttempts: 10 },
    onConfirm: (c) => c.content.options.includes("approve") ? "approve" : true,
  });
  client.on("agent.partial_answer", (e) => console.log(e.content.text));
  client.on("resumed", (r) => console.log(r.mode, r.replayed, r.lastSeq));
  client.on("error", (e) => console.error(e.message));
  client.on("custom.event", (e: Envelope) => console.log(e.seq));
  await client.connect();
  const sessionId: string = await client.createSession({ user: "alice" });
  const run: Run = client.send("Compare three vector databases", { agent: "scripted-node", confirm: false });
  run.onEvent((e) => console.log(e.event, e.metadata.run_id));
  const done = await run.done;
  const status: string | undefined = done.metadata.status;
  const state: SessionState = await client.exportState();
  const delay: number = backoffDelay(3, { initialDelayMs: 100 });
  const confirm = await client.waitFor("agent.user_confirm", (e) => e.metadata.run_id === run.runId);
  client.respond(confirm.step_id!, false);
  client.cancel(run.runId ?? undefined);
  try { await client.resume(sessionId, 0); } catch (e) { if (e instanceof AgentWireError) console.log(e.code); }
  console.log(status, state.last_seq, delay, client.lastSeq, client.state);
  await client.close();
}
void main;
