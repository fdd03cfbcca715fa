// One process of the broadcast bench: holds `count` sockets in the room "bench" and counts the events "b".
// Driven by broadcast.mjs over IPC: {connect} → "ready"; {expect: n} → "armed", then "done" with the count, the
// time of the last event and the fewest/most events a socket got, once the sockets have n more each in total (or
// after the round's time limit).
import { io } from "socket.io-client";

const [url, count] = process.argv.slice(2);
const sockets = [];
const perSocket = [];
let received = 0, last = 0, target = Infinity, round = null;
const onB = () => {
  received++;
  last = performance.timeOrigin + performance.now();
  if (received >= target) finish();
};
function finish() {
  if (!round) return;
  clearTimeout(round.timer);
  const got = perSocket.map((n, i) => n - round.perSocketBase[i]);
  process.send({ done: true, received: received - round.base, last, min: Math.min(...got), max: Math.max(...got) });
  round = null;
}
process.on("message", async (m) => {
  if (m.connect) {
    for (let i = 0; i < Number(count); i += 100) {
      const batch = Array.from({ length: Math.min(100, Number(count) - i) }, () =>
        io(url, { transports: ["websocket"], forceNew: true, reconnection: false }));
      await Promise.all(batch.map((s) => new Promise((ok, ko) => { s.once("connect", ok); s.once("connect_error", ko); })));
      await Promise.all(batch.map((s) => s.timeout(30000).emitWithAck("join", "bench")));
      batch.forEach((s) => {
        const i = perSocket.push(0) - 1;
        s.on("b", () => { perSocket[i]++; onB(); });
      });
      sockets.push(...batch);
    }
    process.send({ ready: sockets.length });
  } else if (m.expect) {
    round = { base: received, perSocketBase: perSocket.slice(), timer: setTimeout(finish, m.limitMs) };
    target = received + m.expect * sockets.length;
    process.send({ armed: true }); // the round starts only once every process counts from here
  } else if (m.exit) {
    sockets.forEach((s) => s.close());
    process.exit(0);
  }
});
