// A reference remote agent for AgentWire (docs/remote-agents.md). Not an AI: it plays a small scripted
// Plan → Solve → Aggregate run so the protocol can be seen working. Usage:
//   AGENTWIRE_API_KEY=… node remote-agent.mjs ws://localhost:8080/agents [--name NAME] [--state FILE] [--step-delay MS]
// With --state, runs in progress survive a restart of this process (kill -9 included): the state file is written
// before each message is sent, so after a restart unacknowledged messages are sent again and the server, which
// de-duplicates by (run_id, n), publishes each exactly once. One JSON line per notable thing goes to stdout.
import WebSocket from 'ws';
import fs from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const url = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--'))) ?? 'ws://localhost:8080/agents';
const name = opt('--name', 'scripted-node');
const stateFile = opt('--state', null);
const stepDelay = Number(opt('--step-delay', '300'));
const apiKey = process.env.AGENTWIRE_API_KEY ?? '';
const log = (what, fields = {}) => console.log(JSON.stringify({ log: what, ...fields }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let runs = stateFile && fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : {};
const wakers = new Map(); // run_id → function that wakes its driver (an answer or a cancel arrived)
let ws = null, registered = false, attempt = 0;

function save() {
  if (!stateFile) return;
  fs.writeFileSync(stateFile + '.tmp', JSON.stringify(runs));
  fs.renameSync(stateFile + '.tmp', stateFile);
}
function send(msg) { if (ws && registered) ws.send(JSON.stringify(msg)); }
function enqueue(run, msg) { // numbered, remembered until acknowledged, saved before it is sent
  const m = { ...msg, run_id: run.run_id, n: ++run.n };
  run.outbox.push(m);
  save();
  send(m);
}
function wake(run) { wakers.get(run.run_id)?.(); }

function script(start) { // the steps of a run, fixed at run.start (so a restarted agent plays the same run)
  const text = start.text ?? 'the given tasks';
  const planned = start.tasks.length === 0;
  const tasks = planned ? [{ task_id: 'task_1', description: `Look into: ${text}` }, { task_id: 'task_2', description: 'Write the answer' }] : start.tasks;
  const steps = [];
  if (planned) {
    steps.push({ event: 'plan.start', content: { query: text } },
      { event: 'agent.thinking', content: { text: 'A scripted Node agent, planning (no model involved).' } },
      { event: 'plan.completed', content: { tasks } });
    if (start.metadata?.confirm !== false) {
      steps.push({ event: 'agent.user_confirm', step_id: `confirm_${start.run_id}`, content: { prompt: 'Run this plan?', options: ['approve', 'reject'] },
        metadata: { timeout_ms: 60000, default_option: 'approve' } });
    }
  }
  for (const t of tasks) {
    steps.push({ event: 'solver.start', content: { task_id: t.task_id, description: t.description } },
      { event: 'agent.partial_answer', content: { task_id: t.task_id, text: `Working on ${t.task_id}…` } },
      { event: 'solver.completed', content: { task_id: t.task_id, result: `Done: ${t.description}` } });
  }
  steps.push({ event: 'agent.final_answer', content: { text: `Scripted answer for: ${text}` } }, { end: 'completed' });
  return steps;
}

async function drive(run) { // plays the run's remaining steps; state lives in `run`, saved at each step
  while (!run.ended) {
    if (run.cancelled && !run.stopping) {
      const task = run.steps.slice(0, run.next).reverse().find((s) => s.content?.task_id)?.content.task_id;
      const report = task ? { event: 'solver.cancelled', content: { task_id: task } } : { event: 'plan.cancelled', content: { reason: 'cancelled' } };
      run.steps = [...run.steps.slice(0, run.next), report, { end: 'cancelled' }];
      run.stopping = true;
      run.waiting = null;
    }
    if (run.waiting) { // a confirmation: wait for run.response (or run.cancel)
      await new Promise((resolve) => wakers.set(run.run_id, resolve));
      continue;
    }
    const step = run.steps[run.next++];
    if (step.end) {
      run.ended = true;
      enqueue(run, { type: 'run.end', status: step.end });
      log('run.end', { run_id: run.run_id, status: step.end });
      break;
    }
    if (step.event === 'agent.user_confirm') run.waiting = { step_id: step.step_id };
    enqueue(run, { type: 'event', ...step });
    if (!run.waiting) await new Promise((resolve) => { wakers.set(run.run_id, resolve); setTimeout(resolve, stepDelay); });
  }
  wakers.delete(run.run_id);
}

function onMessage(msg) {
  const run = runs[msg.run_id];
  switch (msg.type) {
    case 'registered': // drop what the server already has, send the rest again, go on with every run
      registered = true; attempt = 0;
      log('registered', { name: msg.name, resumed: msg.resumed, runs: msg.runs });
      for (const s of msg.runs) {
        if (s.state === 'resumed') runs[s.run_id].outbox = runs[s.run_id].outbox.filter((m) => m.n > s.last_n);
        else { log('run.dropped', { run_id: s.run_id, state: s.state, status: s.status }); delete runs[s.run_id]; }
      }
      save();
      for (const r of Object.values(runs)) r.outbox.forEach(send);
      for (const r of Object.values(runs)) if (!r.ended && !wakers.has(r.run_id)) drive(r);
      break;
    case 'run.start':
      if (run) break; // already ours (offered again)
      runs[msg.run_id] = { run_id: msg.run_id, steps: script(msg), next: 0, n: 0, outbox: [], waiting: null, cancelled: false };
      save();
      log('run.start', { run_id: msg.run_id, session_id: msg.session_id });
      drive(runs[msg.run_id]);
      break;
    case 'run.response':
      if (run?.waiting?.step_id === msg.step_id) {
        run.waiting = null;
        const c = msg.content ?? {};
        if (c.approved === false || c.value === 'reject') run.steps = [...run.steps.slice(0, run.next), { event: 'plan.cancelled', content: { reason: 'plan rejected' } }, { end: 'rejected' }];
        save();
        log('run.response', { run_id: msg.run_id, content: c });
        wake(run);
      }
      break;
    case 'run.cancel':
      if (run && !run.ended && !run.cancelled) { run.cancelled = true; save(); log('run.cancel', { run_id: msg.run_id }); wake(run); }
      break;
    case 'ack':
      if (!run) break;
      run.outbox = run.outbox.filter((m) => m.n > msg.n);
      if (run.ended && run.outbox.length === 0) { delete runs[msg.run_id]; log('run.finished', { run_id: msg.run_id, seq: msg.seq }); }
      save();
      break;
    case 'heartbeat':
      send({ type: 'heartbeat' });
      break;
    case 'error':
      log('error', msg);
      if (msg.code === 'UNKNOWN_RUN' && run) { delete runs[msg.run_id]; save(); }
      else if (run && msg.n) { run.outbox = run.outbox.filter((m) => m.n !== msg.n); save(); }
      if (msg.code === 'AGENT_NAME_TAKEN') ws.close(); // the old connection may not be noticed yet: retry later
      break;
  }
}

function connect() {
  ws = new WebSocket(url, { headers: { 'X-API-Key': apiKey } });
  ws.on('open', () => ws.send(JSON.stringify({ type: 'register', name, version: '0.1.0',
    capabilities: ['scripted-plan', 'confirm', 'cancel'], resume: Object.keys(runs) })));
  ws.on('message', (data) => onMessage(JSON.parse(data.toString())));
  ws.on('unexpected-response', (req, res) => { log('refused', { status: res.statusCode }); process.exit(2); });
  ws.on('error', (e) => log('socket.error', { message: e.message }));
  ws.on('close', (code) => {
    registered = false;
    const delay = Math.min(2000, 100 * 2 ** attempt++) * (0.8 + Math.random() * 0.4);
    log('disconnected', { code, retry_in_ms: Math.round(delay) });
    setTimeout(connect, delay);
  });
}
connect();
