// The peer: Node's own socket.io 4.8 server with the same events as AgentWire's BenchServer, on 127.0.0.1.
// Usage: node socketio-server.mjs [port=3101] [maxSeconds=600] [recovery on|off]   — stops by itself.
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2] ?? 3101);
const maxSeconds = Number(process.argv[3] ?? 600);
const recovery = (process.argv[4] ?? "on") !== "off";
const httpServer = createServer();
const io = new Server(httpServer, recovery ? { connectionStateRecovery: { maxDisconnectionDuration: 120000 } } : {});

io.on("connection", (socket) => {
  socket.on("echo", (...args) => { const ack = args.pop(); ack(...args); });
  socket.on("join", (room, ack) => { socket.join(room); ack("joined"); });
  socket.on("bench-broadcast", (count, bytes, ack) => {
    const payload = "x".repeat(bytes);
    const t0 = performance.now();
    for (let i = 0; i < count; i++) io.to("bench").emit("b", i, payload);
    ack(performance.now() - t0);
  });
});

httpServer.listen(port, "127.0.0.1", () =>
  console.log(`socket.io ${recovery ? "(recovery on) " : ""}bench server on 127.0.0.1:${port}, stops in ${maxSeconds} s`));
setTimeout(() => process.exit(0), maxSeconds * 1000);
