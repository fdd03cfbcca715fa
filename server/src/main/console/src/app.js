// The AgentWire console (docs/console.md): a login, then live views pushed by the server over one WebSocket
// (BASE/live). Actions are POSTs that carry the session's CSRF token in X-CSRF-Token.
import { h, render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import htm from "htm";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./app.css";

const html = htm.bind(h);
const BASE = document.documentElement.dataset.base;
const PAGE = 50;
const VIEWS = [
  ["overview", "Overview"],
  ["connections", "Connections"],
  ["sessions", "Sessions"],
  ["runs", "Runs"],
  ["agents", "Agents"],
  ["rooms", "Rooms & channels"],
  ["cluster", "Store & cluster"],
];

async function post(path, csrf, body) {
  const headers = { "content-type": "application/json" };
  if (csrf) headers["x-csrf-token"] = csrf;
  const r = await fetch(BASE + path, { method: "POST", headers, body: JSON.stringify(body ?? {}), credentials: "same-origin" });
  let json = {};
  try { json = await r.json(); } catch { /* empty body */ }
  return { status: r.status, json };
}

function App() {
  const [auth, setAuth] = useState(undefined); // undefined: asking; null: logged out
  useEffect(() => {
    fetch(BASE + "/session", { credentials: "same-origin" })
      .then((r) => r.json()).then((s) => setAuth(s.loggedIn ? s : null)).catch(() => setAuth(null));
  }, []);
  if (auth === undefined) return html`<main class="center"><p>Loading…</p></main>`;
  if (auth === null) return html`<${Login} onLogin=${setAuth} />`;
  return html`<${Console} auth=${auth} onLogout=${() => setAuth(null)} />`;
}

function Login({ onLogin }) {
  const [credential, setCredential] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError("");
    const r = await post("/login", null, { credential });
    setBusy(false);
    if (r.status === 200) onLogin(r.json);
    else setError(r.json?.error?.message ?? "Login failed (" + r.status + ")");
  }
  return html`
    <main class="center">
      <form class="login" onSubmit=${submit} aria-labelledby="login-title">
        <h1 id="login-title">AgentWire console</h1>
        <label for="credential">Admin credential</label>
        <p class="hint" id="credential-hint">The HTTP API key, or a JWT whose roles hold the admin role.</p>
        <input id="credential" type="password" autocomplete="current-password" required
          aria-describedby="credential-hint" value=${credential} onInput=${(e) => setCredential(e.target.value)} />
        <button id="login" type="submit" disabled=${busy}>Log in</button>
        ${error && html`<p id="login-error" class="error" role="alert">${error}</p>`}
      </form>
    </main>`;
}

function useLive(subscription, onExpired) {
  const [data, setData] = useState({ view: null, runEvents: {} });
  const [status, setStatus] = useState("connecting");
  const ws = useRef(null);
  const sub = useRef(subscription);
  sub.current = subscription;
  useEffect(() => {
    let closed = false;
    let retry;
    function open() {
      const s = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + BASE + "/live");
      ws.current = s;
      s.onopen = () => { setStatus("live"); s.send(JSON.stringify(sub.current)); };
      s.onmessage = (m) => {
        const msg = JSON.parse(m.data);
        if (msg.type === "view") {
          setData((d) => ({
            view: msg,
            runEvents: msg.view === "run" && msg.found ? mergeEvents({}, msg.first, msg.events) : msg.view === "run" ? d.runEvents : {},
          }));
        } else if (msg.type === "run.event") {
          setData((d) => ({ ...d, runEvents: { ...d.runEvents, [msg.n]: msg.event } }));
        }
      };
      s.onclose = () => {
        if (closed) return;
        setStatus("reconnecting");
        // a session that ended (expired, logged out elsewhere) goes back to the login; otherwise try again
        fetch(BASE + "/session", { credentials: "same-origin" })
          .then((r) => r.json()).then((s) => { if (!s.loggedIn) onExpired(); else retry = setTimeout(open, 2000); })
          .catch(() => { retry = setTimeout(open, 2000); });
      };
    }
    open();
    return () => { closed = true; clearTimeout(retry); ws.current?.close(); };
  }, []);
  useEffect(() => {
    if (ws.current?.readyState === 1) ws.current.send(JSON.stringify(subscription));
  }, [JSON.stringify(subscription)]);
  return [data, status];
}

function mergeEvents(into, first, events) {
  const out = { ...into };
  events.forEach((e, i) => { out[first + i] = e; });
  return out;
}

function Console({ auth, onLogout }) {
  const [view, setView] = useState("overview");
  const [q, setQ] = useState("");
  const [offset, setOffset] = useState(0);
  const [run, setRun] = useState(null);
  const subscription = view === "run" ? { view, run } : { view, q, offset, limit: PAGE };
  const [data, status] = useLive(subscription, onLogout);
  const [notice, setNotice] = useState("");

  function go(v) { setView(v); setQ(""); setOffset(0); setNotice(""); }
  async function act(path, body, done) {
    const r = await post(path, auth.csrf, body);
    setNotice(r.status === 200 ? done : (r.json?.error?.message ?? "refused (" + r.status + ")"));
  }
  async function logout() {
    await post("/logout", auth.csrf);
    onLogout();
  }
  const shown = data.view && data.view.view === view ? data.view : null;
  return html`
    <header>
      <h1>AgentWire console</h1>
      <span class=${"status " + status} id="live-status" aria-live="polite">${status}</span>
      <span class="who">${auth.principal}</span>
      <button id="logout" class="secondary" onClick=${logout}>Log out</button>
    </header>
    <nav aria-label="Views">
      ${VIEWS.map(([id, label]) => html`
        <button id=${"nav-" + id} aria-current=${view === id || (id === "runs" && view === "run") ? "page" : undefined}
          onClick=${() => go(id)}>${label}</button>`)}
    </nav>
    <main id="view" data-view=${view}>
      ${notice && html`<p class="notice" role="status" id="notice">${notice}</p>`}
      ${!shown ? html`<p>Loading…</p>`
        : view === "overview" ? html`<${Overview} v=${shown} />`
        : view === "cluster" ? html`<${Cluster} v=${shown} />`
        : view === "run" ? html`<${Run} v=${shown} events=${data.runEvents}
            onCancel=${() => act("/cancel", { run }, "Cancellation requested")} onBack=${() => go("runs")} />`
        : html`<${List} view=${view} v=${shown} q=${q} setQ=${(x) => { setQ(x); setOffset(0); }}
            offset=${offset} setOffset=${setOffset}
            onDisconnect=${(row) => act("/disconnect", { dialect: row.dialect, id: row.row.id }, "Disconnected " + row.row.id)}
            onOpenRun=${(id) => { setRun(id); setView("run"); setNotice(""); }}
            onSessionRuns=${(id) => { go("runs"); setQ(id); }} />`}
    </main>`;
}

function Overview({ v }) {
  const stat = (label, value, id) => html`<div class="stat"><span class="label">${label}</span><span class="value" id=${id}>${value}</span></div>`;
  return html`
    <h2>Overview</h2>
    <div class="stats">
      ${stat("Connections", v.connections, "stat-connections")}
      ${stat("Deliveries/s", v.deliveriesPerSecond, "stat-deliveries")}
      ${stat("Errors/s", v.errorsPerSecond, "stat-errors")}
      ${stat("Runs in progress", v.runsByStatus.running ?? 0, "stat-running")}
    </div>
    <div class="cols">
      <section aria-labelledby="by-dialect"><h3 id="by-dialect">Connections by dialect</h3>
        <${KeyValues} id="conn-by-dialect" rows=${Object.entries(v.byDialect).map(([d, t]) => [d, Object.values(t).reduce((a, b) => a + b, 0)])} /></section>
      <section aria-labelledby="by-transport"><h3 id="by-transport">Connections by transport</h3>
        <${KeyValues} id="conn-by-transport" rows=${Object.entries(v.byTransport)} /></section>
      <section aria-labelledby="by-status"><h3 id="by-status">Recent runs by status</h3>
        <${KeyValues} id="runs-by-status" rows=${Object.entries(v.runsByStatus)} /></section>
    </div>
    <div class="charts">
      <${Chart} title="Deliveries per second" series=${v.series} name="deliveries" />
      <${Chart} title="Errors per second" series=${v.series} name="errors" />
      <${Chart} title="Connections" series=${v.series} name="connections" />
      <${Chart} title="Runs in progress" series=${v.series} name="running" />
    </div>`;
}

function KeyValues({ id, rows }) {
  if (rows.length === 0) return html`<p class="empty" id=${id}>none</p>`;
  return html`<dl class="kv" id=${id}>${rows.map(([k, n]) => html`<dt>${k}</dt><dd>${n}</dd>`)}</dl>`;
}

function Chart({ title, series, name }) {
  const el = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const data = [series.t, series[name]];
    if (!plot.current) {
      plot.current = new uPlot({
        width: 360, height: 140, legend: { show: false },
        scales: { y: { range: (u, min, max) => [0, Math.max(1, max)] } },
        series: [{}, { label: title, stroke: "#1d5fbf", width: 2, fill: "rgba(29,95,191,0.12)" }],
        axes: [{ stroke: "#333" }, { stroke: "#333" }],
      }, data, el.current);
    } else plot.current.setData(data);
  }, [series]);
  useEffect(() => () => plot.current?.destroy(), []);
  return html`<figure class="chart"><figcaption>${title}</figcaption><div ref=${el} role="img" aria-label=${title + " over the last minutes"}></div></figure>`;
}

const COLUMNS = {
  connections: [["Dialect", (r) => r.dialect], ["Id", (r) => r.row.id], ["Principal", (r) => r.row.principal],
    ["Transport", (r) => r.row.transport], ["Remote address", (r) => r.row.remoteAddress],
    ["Rooms", (r) => r.row.rooms.join(", ") + (r.row.roomCount > r.row.rooms.length ? " …" : "")],
    ["Queue", (r) => (r.row.queued < 0 ? "–" : r.row.queued)], ["Age", (r) => age(r.row.openedAtMillis)]],
  sessions: [["Session", (r) => r.sessionId], ["Runs", (r) => r.runs], ["Running", (r) => r.running],
    ["Latest run", (r) => r.lastRunId], ["Its status", (r) => r.lastStatus],
    ["Last activity", (r) => new Date(r.updatedAtMillis).toLocaleTimeString()]],
  runs: [["Run", (r) => r.runId], ["Session", (r) => r.sessionId], ["Status", (r) => r.status],
    ["Waiting for", (r) => r.pendingStep ?? ""], ["Events", (r) => r.events], ["Tool calls", (r) => r.toolCalls],
    ["Started", (r) => new Date(r.startedAtMillis).toLocaleTimeString()]],
  agents: [["Name", (r) => r.row.name], ["Kind", (r) => r.row.kind], ["Dialect", (r) => r.dialect],
    ["Status", (r) => r.row.status], ["Detail", (r) => r.row.detail]],
  rooms: [["Dialect", (r) => r.dialect], ["Room / channel", (r) => r.row.name], ["Members", (r) => r.row.members],
    ["Some members", (r) => r.row.sample.join(", ")]],
};

function age(ms) {
  if (!ms) return "–";
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? s + " s" : s < 3600 ? Math.round(s / 60) + " min" : Math.round(s / 3600) + " h";
}

function List({ view, v, q, setQ, offset, setOffset, onDisconnect, onOpenRun, onSessionRuns }) {
  const cols = COLUMNS[view];
  const title = VIEWS.find(([id]) => id === view)[1];
  const last = Math.min(v.offset + v.items.length, v.total);
  return html`
    <h2>${title}</h2>
    <div class="toolbar">
      <label for="search">Search</label>
      <input id="search" type="search" value=${q} onInput=${(e) => setQ(e.target.value)} />
      <span id="page-info" aria-live="polite" data-total=${v.total} data-shown=${v.items.length}>
        ${v.total === 0 ? "nothing" : `${v.offset + 1}–${last} of ${v.total}`}</span>
      <button id="prev" class="secondary" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - PAGE))}>Previous</button>
      <button id="next" class="secondary" disabled=${last >= v.total} onClick=${() => setOffset(offset + PAGE)}>Next</button>
    </div>
    <table id=${view + "-table"}>
      <thead><tr>${cols.map(([c]) => html`<th scope="col">${c}</th>`)}<th scope="col"><span class="sr">Actions</span></th></tr></thead>
      <tbody>
        ${v.items.map((r) => html`<tr data-id=${r.row?.id ?? r.runId ?? r.sessionId ?? r.row?.name}>
          ${cols.map(([, f]) => html`<td>${f(r)}</td>`)}
          <td>${view === "connections" && html`<button class="danger" aria-label=${"Disconnect " + r.row.id} onClick=${() => onDisconnect(r)}>Disconnect</button>`}
              ${view === "runs" && html`<button aria-label=${"Open run " + r.runId} onClick=${() => onOpenRun(r.runId)}>Open</button>`}
              ${view === "sessions" && html`<button aria-label=${"Runs of session " + r.sessionId} onClick=${() => onSessionRuns(r.sessionId)}>Runs</button>`}</td>
        </tr>`)}
      </tbody>
    </table>`;
}

function Run({ v, events, onCancel, onBack }) {
  if (!v.found) return html`<h2>Run ${v.run}</h2><p>This run is not kept any more.</p><button onClick=${onBack}>Back to runs</button>`;
  const s = v.summary;
  const list = Object.keys(events).map(Number).sort((a, b) => a - b).map((n) => [n, events[n]]);
  const plan = [...list].reverse().find(([, e]) => e.event === "plan.completed");
  const tools = list.filter(([, e]) => e.event === "agent.tool_call" || e.event === "agent.tool_result");
  return html`
    <h2>Run <span id="run-id">${s.runId}</span></h2>
    <p>Session <code>${s.sessionId}</code> · status <strong id="run-status">${s.status}</strong> · ${s.events} events · ${s.toolCalls} tool calls</p>
    <div class="toolbar">
      <button class="secondary" onClick=${onBack}>Back to runs</button>
      ${s.status === "running" && html`<button id="cancel-run" class="danger" onClick=${onCancel}>Cancel run</button>`}
    </div>
    ${s.pendingStep && html`<section class="pending" id="pending" aria-labelledby="pending-title">
      <h3 id="pending-title">Waiting for a confirmation: ${s.pendingStep}</h3>
      <pre>${JSON.stringify(v.pending ?? {}, null, 2)}</pre></section>`}
    <div class="cols">
      <section aria-labelledby="plan-title"><h3 id="plan-title">Plan</h3>
        ${plan ? html`<pre id="plan">${JSON.stringify(plan[1].content, null, 2)}</pre>` : html`<p class="empty">no plan yet</p>`}</section>
      <section aria-labelledby="tools-title"><h3 id="tools-title">Tool calls and results</h3>
        ${tools.length === 0 ? html`<p class="empty">none yet</p>` : html`<ul id="tools">${tools.map(([n, e]) =>
          html`<li key=${n}><code>${e.event}</code> ${JSON.stringify(e.content).slice(0, 160)}</li>`)}</ul>`}</section>
    </div>
    <h3>Events</h3>
    <ol id="run-events">
      ${list.map(([n, e]) => html`<li key=${n} data-n=${n} data-event=${e.event}>
        <span class="n">${n}</span> <code>${e.event}</code> <time>${e.timestamp ?? ""}</time>
        <span class="content">${JSON.stringify(e.content).slice(0, 200)}</span></li>`)}
    </ol>`;
}

function Cluster({ v }) {
  return html`
    <h2>Store & cluster</h2>
    <p id="cluster-description">${v.cluster}</p>
    <p>Node ready: <strong id="node-ready">${v.ready ? "yes" : "no"}</strong> · dialects: ${v.dialects.join(", ")}</p>
    <h3>Readiness checks</h3>
    <table id="checks-table"><thead><tr><th scope="col">Check</th><th scope="col">State</th></tr></thead>
      <tbody>${v.checks.map((c) => html`<tr><td>${c.name}</td><td class=${c.ok ? "ok" : "bad"}>${c.ok ? "ok" : "failing"}</td></tr>`)}</tbody>
    </table>`;
}

render(html`<${App} />`, document.getElementById("root"));
