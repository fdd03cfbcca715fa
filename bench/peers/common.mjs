// What the Node peers share: the READY line the run script waits for, the heap report on SIGUSR2 (after a full GC;
// node must run with --expose-gc) and the self-imposed time limit.
import { readFileSync } from "node:fs";

export function version(pkg) {
  return JSON.parse(readFileSync(new URL(`./node_modules/${pkg}/package.json`, import.meta.url))).version;
}

export function ready(what, port) {
  console.log(`READY ${what} on 127.0.0.1:${port} pid ${process.pid} (node ${process.version})`);
}

export function stopAfter(seconds) {
  process.on("SIGUSR2", () => {
    globalThis.gc?.();
    const m = process.memoryUsage();
    console.log(`HEAP ${m.heapUsed + m.external}`);
  });
  setTimeout(() => process.exit(0), seconds * 1000);
}
