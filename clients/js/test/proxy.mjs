// A TCP proxy in front of the real server, so a test can break the link the way a network does: cut it (both
// sockets destroyed, no WebSocket close frame), black-hole it (bytes stop flowing, nobody is told), or refuse
// new connections for a while.
import net from "node:net";

export async function startProxy(targetUrl) {
  const target = new URL(targetUrl);
  const links = new Set();
  const holes = new Set();
  let mode = "open"; // open | refuse
  const server = net.createServer((client) => {
    if (mode === "refuse") { client.destroy(); return; }
    const upstream = net.connect(Number(target.port), target.hostname);
    const link = { client, upstream, blackholed: false };
    links.add(link);
    client.on("data", (d) => { if (!link.blackholed) upstream.write(d); });
    upstream.on("data", (d) => { if (!link.blackholed) client.write(d); });
    const drop = () => { links.delete(link); if (!link.blackholed) { client.destroy(); upstream.destroy(); } };
    client.on("close", drop);
    upstream.on("close", drop);
    client.on("error", () => {});
    upstream.on("error", () => {});
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(targetUrl);
  url.port = String(server.address().port);
  return {
    url: url.toString(),
    get connections() { return links.size; },
    /** Destroys every open link at once: the client sees its TCP connection reset, mid-frame if it was in one. */
    cut() {
      const n = links.size;
      for (const l of links) { l.client.resetAndDestroy?.() ?? l.client.destroy(); l.upstream.destroy(); }
      links.clear();
      return n;
    },
    /** Stops forwarding on every open link without closing anything: a half-open connection. */
    blackhole() {
      for (const l of links) { l.blackholed = true; holes.add(l); }
      const n = links.size;
      links.clear();
      return n;
    },
    refuse(on) { mode = on ? "refuse" : "open"; },
    async close() {
      for (const l of [...links, ...holes]) { l.client.destroy(); l.upstream.destroy(); }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
