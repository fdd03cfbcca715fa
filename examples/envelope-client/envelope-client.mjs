// A runnable envelope-protocol client (see docs/envelope.md).
//   node envelope-client.mjs [ws://localhost:8080/ws] ["your question"]
// It creates a session, sends a message, approves the demo's plan, drops its connection once mid-run on
// purpose, resumes with the last seq it saw, and exits when the run completes. It prints one JSON line per
// event to stdout and a summary line at the end, and exits non-zero if it saw a gap or a duplicate.
import WebSocket from "ws";

const url = process.argv[2] ?? "ws://localhost:8080/ws";
const text = process.argv[3] ?? "Compare three vector databases";
const token = process.env.AGENTWIRE_TOKEN;

let sessionId = null;
let lastSeq = 0;
let dropped = false;
let problems = 0;
const seen = [];
const deadline = setTimeout(() => { console.error("timed out"); process.exit(2); }, 60_000);

function connect() {
  const ws = new WebSocket(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  const send = (event, fields = {}) => ws.send(JSON.stringify({ event, session_id: sessionId, ...fields }));

  ws.on("message", (data) => {
    const msg = JSON.parse(data.toString());
    if (msg.seq !== undefined) {
      if (msg.seq <= lastSeq) return;                       // a duplicate: drop it (exactly-once)
      if (msg.seq !== lastSeq + 1 && msg.event !== "agent.state_exported") problems++;  // a gap
      lastSeq = msg.seq;
      seen.push(msg.seq);
      if (lastSeq % 10 === 0) send("user.ack", { content: { seq: lastSeq } });
    }
    console.log(JSON.stringify({ event: msg.event, seq: msg.seq, text: msg.content?.text }));
    switch (msg.event) {
      case "system.connected":
        if (sessionId) send("user.reconnect", { content: { last_seq: lastSeq } });
        else send("user.create_session");
        break;
      case "system.heartbeat":
        send("user.heartbeat");
        break;
      case "agent.session_created":
        sessionId = msg.content.session_id;
        send("user.message", { content: { text } });
        break;
      case "agent.state_exported":
        lastSeq = msg.content.state.last_seq;
        break;
      case "agent.user_confirm":
        send("user.response", { step_id: msg.step_id, content: { approved: true } });
        break;
      case "solver.start":
        if (!dropped) { dropped = true; ws.terminate(); }  // lose the connection mid-run, on purpose
        break;
      case "pipeline.completed":
        clearTimeout(deadline);
        console.log(JSON.stringify({ summary: true, session_id: sessionId, last_seq: lastSeq, events: seen.length,
          status: msg.metadata.status, resumed: dropped, problems }));
        ws.close(1000);
        process.exit(problems === 0 ? 0 : 1);
        break;
      default:
        if (msg.event.startsWith("error.")) console.error("error:", JSON.stringify(msg));
    }
  });
  ws.on("close", () => { if (!process.exitCode) setTimeout(connect, 200); });
  ws.on("error", (e) => console.error("socket error:", e.message));
}
connect();
