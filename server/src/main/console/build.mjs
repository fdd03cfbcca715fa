// Bundles the console (src/app.js and its CSS, with Preact, htm and uPlot) into the server's resources:
// node build.mjs <output dir>  — writes index.html, app.js and app.css there (the Maven build passes
// target/generated-resources/console/io/agentwire/server/console/web). No network, no CDN at run time.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";

const out = process.argv[2] ?? "dist";
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: "src/app.js" },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020"],
  outdir: out,
  legalComments: "eof",
  logLevel: "warning",
});
copyFileSync("src/index.html", `${out}/index.html`);
