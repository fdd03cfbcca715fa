// Emit-with-ack round trips: N socket.io-client clients (websocket transport) spread over P processes, each client
// with one request in flight (closed loop); after a warm-up, every process measures the same period. Prints one
// JSON line: round trips per second and the latency percentiles over all clients.
// Usage: node ack.mjs <url> [clients=500] [seconds=10] [warmupSeconds=3] [processes=2]
import { fork } from "node:child_process";
import { io } from "socket.io-client";

const [url, clients = "500", seconds = "10", warmup = "3", procs = "2"] = process.argv.slice(2);
const measureMs = Number(seconds) * 1000, warmupMs = Number(warmup) * 1000;
setTimeout(() => { console.log(JSON.stringify({ error: "ack bench timeout" })); process.exit(1); }, measureMs + warmupMs + 120000);

if (process.send) { // a client process: connect, then on "go" warm up, measure, report
  const N = Number(clients);
  const sockets = [];
  for (let i = 0; i < N; i += 50) { // connect in batches: no SYN storm
    const batch = Array.from({ length: Math.min(50, N - i) }, () =>
      io(url, { transports: ["websocket"], forceNew: true, reconnection: false }));
    await Promise.all(batch.map((s) => new Promise((ok, ko) => { s.once("connect", ok); s.once("connect_error", ko); })));
    sockets.push(...batch);
  }
  process.send({ ready: sockets.length });
  await new Promise((ok) => process.once("message", ok));
  let measuring = false, stop = false;
  const latencies = [];
  const loop = async (s) => {
    for (let i = 0; !stop; i++) {
      const t0 = process.hrtime.bigint();
      await s.timeout(10000).emitWithAck("echo", i);
      if (measuring) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  const loops = sockets.map(loop);
  await new Promise((r) => setTimeout(r, warmupMs));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, measureMs));
  measuring = false;
  const elapsed = performance.now() - t0;
  stop = true;
  await Promise.allSettled(loops);
  process.send({ elapsed, latencies }, () => { sockets.forEach((s) => s.close()); process.exit(0); });
} else { // the parent: P processes, then the figures over all of them
  const P = Number(procs), N = Number(clients);
  const children = Array.from({ length: P }, (_, i) =>
    fork(new URL(import.meta.url).pathname, [url, String(Math.floor(N / P) + (i < N % P ? 1 : 0)), seconds, warmup, "1"]));
  const first = (c) => new Promise((ok) => c.once("message", ok));
  const ready = await Promise.all(children.map(first));
  const results = children.map(first);
  children.forEach((c) => c.send("go"));
  const all = await Promise.all(results);
  const latencies = all.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const elapsed = Math.max(...all.map((r) => r.elapsed)) / 1000;
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  console.log(JSON.stringify({
    bench: "emit-with-ack", clients: ready.reduce((n, r) => n + r.ready, 0), processes: P, seconds: +elapsed.toFixed(2),
    roundTrips: latencies.length, perSecond: Math.round(latencies.length / elapsed),
    p50Ms: +pct(0.5).toFixed(2), p99Ms: +pct(0.99).toFixed(2), maxMs: +latencies[latencies.length - 1].toFixed(2),
  }));
  process.exit(0);
}
