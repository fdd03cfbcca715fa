// Peer: the plain WebSocket baseline on the `ws` library, running the bench app every peer runs, in JSON arrays
// instead of Socket.IO packets: every connection is in the one room; ["publish", seq, sentNanos, payload] sends
// ["m", seq, sentNanos, payload] to every connection (encoded once); ["echo", sentNanos] answers
// ["ack", sentNanos]. No rooms library, no recovery, no heartbeats: the floor the Socket.IO servers are measured
// against. SIGUSR2 prints the heap after a full GC (needs --expose-gc).
// Usage: node --expose-gc ws-server.mjs PORT [maxSeconds=600]   — stops by itself.
import { WebSocketServer } from "ws";
import { ready, stopAfter, version } from "./common.mjs";

const port = Number(process.argv[2]);
const room = new Set();
const wss = new WebSocketServer({ host: "127.0.0.1", port }, () => ready(`ws ${version("ws")}`, port));
wss.on("connection", (ws) => {
  room.add(ws);
  ws.on("close", () => room.delete(ws));
  ws.on("message", (data) => {
    const msg = JSON.parse(data);
    if (msg[0] === "publish") {
      msg[0] = "m";
      const frame = Buffer.from(JSON.stringify(msg)); // encoded once, sent as a text frame to every peer
      for (const peer of room) peer.send(frame, { binary: false });
    } else if (msg[0] === "echo") {
      ws.send(JSON.stringify(["ack", msg[1]]));
    }
  });
});
stopAfter(Number(process.argv[3] ?? 600));
