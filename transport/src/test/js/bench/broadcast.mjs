// Broadcast deliveries/s: S sockets (websocket transport) in one room, held by P client processes; one control
// client asks the server to broadcast M events to the room as fast as it can; the rate is every delivery counted by
// the clients over the time from the request to the last delivery. A warm-up round first, then R measured rounds.
// Usage: node broadcast.mjs <url> [sockets=10000] [processes=4] [messages=50] [rounds=3] [bytes=100]
import { fork } from "node:child_process";
import { io } from "socket.io-client";

const [url, sockets = "10000", procs = "4", messages = "50", rounds = "3", bytes = "100"] = process.argv.slice(2);
const S = Number(sockets), P = Number(procs), M = Number(messages), R = Number(rounds), B = Number(bytes);
setTimeout(() => { console.log(JSON.stringify({ error: "broadcast bench timeout" })); process.exit(1); }, 600000);

const dir = new URL(".", import.meta.url).pathname;
const children = Array.from({ length: P }, (_, i) =>
  fork(dir + "broadcast-client.mjs", [url, String(Math.floor(S / P) + (i < S % P ? 1 : 0))]));
const next = (c, key) => new Promise((ok) => c.once("message", (m) => (m[key] !== undefined ? ok(m) : null)));
const tConnect = performance.now();
const ready = await Promise.all(children.map((c) => { const r = next(c, "ready"); c.send({ connect: true }); return r; }));
const connected = ready.reduce((n, r) => n + r.ready, 0);
const connectSeconds = (performance.now() - tConnect) / 1000;
const control = io(url, { transports: ["websocket"], forceNew: true, reconnection: false });
await new Promise((ok) => control.once("connect", ok));

async function round(m) {
  const done = children.map((c) => new Promise((ok) => {
    const armed = (msg) => { if (msg.armed) { c.off("message", armed); ok({ d: next(c, "done") }); } };
    c.on("message", armed);
    c.send({ expect: m, limitMs: 120000 });
  }));
  const waiting = await Promise.all(done); // every process is armed: now the broadcast may start
  const start = performance.timeOrigin + performance.now();
  const publishMs = await control.timeout(120000).emitWithAck("bench-broadcast", m, B);
  const results = await Promise.all(waiting.map((w) => w.d));
  const deliveries = results.reduce((n, r) => n + r.received, 0);
  const seconds = (Math.max(...results.map((r) => r.last)) - start) / 1000;
  return { messages: m, deliveries, expected: m * connected, seconds: +seconds.toFixed(3),
    perSecond: Math.round(deliveries / seconds), publishMs: +Number(publishMs).toFixed(1),
    perSocket: [Math.min(...results.map((r) => r.min)), Math.max(...results.map((r) => r.max))] };
}
await round(5); // warm-up
const measured = [];
for (let i = 0; i < R; i++) measured.push(await round(M));
console.log(JSON.stringify({ bench: "broadcast", sockets: connected, processes: P, bytes: B, connectSeconds: +connectSeconds.toFixed(1),
  rounds: measured, bestPerSecond: Math.max(...measured.map((r) => r.perSecond)) }));
control.close();
children.forEach((c) => c.send({ exit: true }));
setTimeout(() => process.exit(0), 500);
