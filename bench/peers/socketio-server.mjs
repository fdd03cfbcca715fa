// Peer: Node's socket.io 4.8 server with connection state recovery, running the bench app every peer runs:
// join "bench" on connect; "publish" [seq, sentNanos, payload] broadcasts "m" with those arguments to the room;
// "echo" acknowledges its arguments. SIGUSR2 prints the heap after a full GC (needs --expose-gc).
// Usage: node --expose-gc socketio-server.mjs PORT [maxSeconds=600]   — stops by itself.
import { createServer } from "node:http";
import { Server } from "socket.io";
import { ready, stopAfter, version } from "./common.mjs";

const port = Number(process.argv[2]);
const httpServer = createServer();
const io = new Server(httpServer, { connectionStateRecovery: { maxDisconnectionDuration: 120000 } });
io.on("connection", (socket) => {
  socket.join("bench");
  socket.on("publish", (...args) => io.to("bench").emit("m", ...args));
  socket.on("echo", (...args) => { const ack = args.pop(); ack(...args); });
});
httpServer.listen(port, "127.0.0.1", () => ready(`socket.io ${version("socket.io")}`, port));
stopAfter(Number(process.argv[3] ?? 600));
