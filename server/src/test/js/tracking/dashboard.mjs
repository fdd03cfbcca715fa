// Runs the AgentTrackingPanel (a React component written the way AgentCraft's are) in react-test-renderer, with the
// `ws` package as the browser's WebSocket global (it answers the server's ping frames by itself, as browsers do),
// against AgentWire's tracking port. Prints one JSON object per line: {"event":"connected","opens":N} each time the
// component's socket opens, {"event":"closed","closes":N,"code":C} each time it closes, then {"event":"result","clientId",…,"state":{…}} when done.
//
//   node dashboard.mjs '{"url":"ws://127.0.0.1:PORT","minMs":20000,"until":"finished","agent":"demo","timeoutMs":60000}'
//
// until "finished": done once `agent` shows FINISHED at 100 % (after minMs at least);
// until "restored": done once the socket opened twice and, on that second connection or later, `sessions` (a number)
// sessions were answered by session_state (the component asks for the sessions active_sessions lists).
import WebSocket from "ws";
import React from "react";
import TestRenderer from "react-test-renderer";
import { AgentTrackingPanel } from "./AgentTrackingPanel.mjs";

globalThis.WebSocket = WebSocket;

const p = JSON.parse(process.argv[2]);
const clientId = `agent_chat_${Date.now()}_${Math.random().toString(36).substr(2, 9)}`;
const started = Date.now();
const emit = (o) => process.stdout.write(JSON.stringify(o) + "\n");

let latest = null;
let announced = 0;
let closesAnnounced = 0;
const onChange = (s) => {
  latest = s;
  if (s.counters.opens > announced) {
    announced = s.counters.opens;
    emit({ event: "connected", opens: announced, clientId });
  }
  if (s.counters.closes > closesAnnounced) {
    closesAnnounced = s.counters.closes;
    emit({ event: "closed", closes: closesAnnounced, code: s.counters.lastClose });
  }
};

const done = () => {
  if (!latest) return false;
  const agent = latest.liveAgentStates[p.agent];
  if (p.until === "finished") {
    return Date.now() - started >= p.minMs && agent && agent.status === "FINISHED" && agent.progress === 100;
  }
  if (p.until === "restored") {
    if (latest.counters.opens < 2) return false;
    const answered = new Set(latest.stateAnswers.filter((a) => a.opens >= 2).map((a) => a.session_id));
    return answered.size >= p.sessions;
  }
  return false;
};

// legacy root, outside act(): updates from the socket's callbacks render at once, as in a browser
const renderer = TestRenderer.create(React.createElement(AgentTrackingPanel, { url: p.url, clientId, onChange }));

const timer = setInterval(() => {
  const timedOut = Date.now() - started > p.timeoutMs;
  if (!done() && !timedOut) return;
  clearInterval(timer);
  const state = latest;
  const rendered = renderer.toJSON();
  renderer.unmount();
  emit({ event: "result", clientId, timedOut, elapsedMs: Date.now() - started, state,
    renderedAgents: JSON.stringify(rendered).match(/[^"]+: (finished|processing|analyzing)[^"]*/g) || [] });
  setTimeout(() => process.exit(timedOut ? 1 : 0), 100);
}, 100);
