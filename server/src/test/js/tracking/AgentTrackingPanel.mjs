// A dashboard component written the way AgentCraft's front end components are (its AgentChat and MultiAgentDemo):
// a function component whose mount effect opens `new WebSocket(.../api/ws/agent-tracking/<clientId>)` with the
// browser's WebSocket global, keeps a handler built at the first render (so it reads stale state: its `ping` case
// checks the `websocket` state, which is still null there, and therefore NEVER answers the server's ping message),
// and reconnects 3 s after any close. It reads both shapes AgentCraft's components read: `message.data.{…}` of
// agent_status_update (upper-case statuses) and `message.state.active_agents[]` (lower case, `updated_at`), plus
// crewai_log, crew_output, phase_update and the session messages. Unlike AgentCraft's, it also asks
// `get_session_state` for the sessions `active_sessions` lists (AgentCraft's server answers it), so it shows what
// happened before it connected. Plain React.createElement: no build step.
import React, { useEffect, useRef, useState } from "react";

const h = React.createElement;

export function AgentTrackingPanel({ url, clientId, onChange }) {
  const [websocket, setWebsocket] = useState(null);
  const [connectionStatus, setConnectionStatus] = useState("disconnected");
  const [sessions, setSessions] = useState({});
  const [realTimeAgentStates, setRealTimeAgentStates] = useState({});
  const [liveAgentStates, setLiveAgentStates] = useState({});
  const [debugLogs, setDebugLogs] = useState([]);
  const [outputs, setOutputs] = useState([]);
  const [phases, setPhases] = useState([]);
  const [completed, setCompleted] = useState([]);
  const [counters, setCounters] = useState({ opens: 0, closes: 0, pings: 0, pongsSent: 0 });
  const [stateAnswers, setStateAnswers] = useState([]);
  const wsRef = useRef(null);
  const opensRef = useRef(0);
  const unmounted = useRef(false);

  useEffect(() => {
    const connectWebSocket = () => {
      const ws = new WebSocket(`${url}/api/ws/agent-tracking/${clientId}`);
      wsRef.current = ws;
      ws.onopen = () => {
        opensRef.current += 1;
        setConnectionStatus("connected");
        setWebsocket(ws);
        setCounters((c) => ({ ...c, opens: c.opens + 1 }));
      };
      ws.onmessage = (event) => {
        try {
          handleWebSocketMessage(JSON.parse(event.data));
        } catch (err) {
          console.error("Error parsing WebSocket message:", err);
        }
      };
      ws.onclose = (event) => {
        setConnectionStatus("disconnected");
        setWebsocket(null);
        setCounters((c) => ({ ...c, closes: c.closes + 1, lastClose: event.code }));
        setTimeout(() => {
          if (!unmounted.current && connectionStatus !== "connected") connectWebSocket();
        }, 3000);
      };
      ws.onerror = () => setConnectionStatus("error");
    };
    connectWebSocket();
    return () => {
      unmounted.current = true;
      if (wsRef.current) wsRef.current.close();
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const agentsFromState = (state) => {
    if (!state || !state.active_agents) return;
    const agentStates = {};
    state.active_agents.forEach((agent) => {
      agentStates[agent.agent_name] = {
        session: state.session_id,
        status: agent.status,
        progress: agent.progress,
        currentTask: agent.current_task,
        details: agent.details,
        updatedAt: agent.updated_at,
      };
    });
    setRealTimeAgentStates((prev) => ({ ...prev, ...agentStates }));
  };

  const handleWebSocketMessage = (message) => {
    const { type, data, timestamp, session_id } = message;
    switch (type) {
      case "active_sessions":
        setSessions((prev) => {
          const next = { ...prev };
          data.sessions.forEach((s) => {
            next[s.session_id] = { ...next[s.session_id], phase: s.phase, progress: s.progress, query: s.query };
          });
          return next;
        });
        data.sessions.forEach((s) => {
          if (wsRef.current && wsRef.current.readyState === WebSocket.OPEN) {
            wsRef.current.send(JSON.stringify({ type: "get_session_state", session_id: s.session_id }));
          }
        });
        break;
      case "session_state":
        agentsFromState(message.state);
        // which connection saw which answer: what came back after a reconnection (a server restart, say)
        setStateAnswers((prev) => [...prev, { opens: opensRef.current, session_id, phase: message.state.current_phase,
          agents: message.state.active_agents.map((a) => ({ name: a.agent_name, status: a.status, progress: a.progress })) }]);
        setSessions((prev) => ({
          ...prev,
          [session_id]: { ...prev[session_id], phase: message.state.current_phase, progress: message.state.overall_progress,
            query: message.state.query },
        }));
        break;
      case "session_started":
        setSessions((prev) => ({ ...prev, [session_id]: { ...prev[session_id], query: data.query, agents: data.agent_names } }));
        agentsFromState(message.state);
        break;
      case "agent_status_update":
        agentsFromState(message.state);
        setLiveAgentStates((prev) => ({
          ...prev,
          [data.agent_name]: {
            status: data.status,
            progress: data.progress || 0,
            current_task: data.current_task || "",
            details: data.details || "",
            updated_at: timestamp,
          },
        }));
        break;
      case "phase_update":
        agentsFromState(message.state);
        setPhases((prev) => [...prev, data.phase]);
        setSessions((prev) => ({ ...prev, [data.session_id]: { ...prev[data.session_id], phase: data.phase } }));
        break;
      case "crew_output":
        setOutputs((prev) => [...prev, { type: data.output_type, agent: data.agent_name, content: data.content }]);
        break;
      case "session_completed":
        setRealTimeAgentStates((prev) => {
          const updated = { ...prev };
          Object.keys(updated).forEach((name) => {
            updated[name] = { ...updated[name], status: "finished", progress: 100 };
          });
          return updated;
        });
        break;
      case "session_complete":
        setCompleted((prev) => [...prev, data.session_id]);
        break;
      case "session_error":
        setDebugLogs((prev) => [...prev, { level: "error", message: `Session error: ${data.error}` }]);
        break;
      case "crewai_log":
        if (message.log) {
          const log = message.log;
          let displayMessage = log.message || log.raw_message || "";
          if (log.agent_info && log.agent_info.agent_name) displayMessage = `[${log.agent_info.agent_name}] ${log.raw_message}`;
          setDebugLogs((prev) => [...prev, { level: (log.level || "INFO").toLowerCase(), message: displayMessage,
            event: log.event_type, at: log.timestamp }]);
        }
        break;
      case "ping":
        setCounters((c) => ({ ...c, pings: c.pings + 1 }));
        // as AgentCraft's components: `websocket` is the state of the first render (null), so no pong is ever sent
        if (websocket && websocket.readyState === WebSocket.OPEN) {
          websocket.send(JSON.stringify({ type: "pong" }));
          setCounters((c) => ({ ...c, pongsSent: c.pongsSent + 1 }));
        }
        break;
      default:
        break;
    }
  };

  useEffect(() => {
    onChange({ connectionStatus, sessions, realTimeAgentStates, liveAgentStates, debugLogs, outputs, phases, completed,
      counters, stateAnswers });
  });

  return h("div", { className: "agent-tracking" },
    h("span", { className: "status" }, connectionStatus),
    Object.entries(realTimeAgentStates).map(([name, a]) =>
      h("div", { key: name, className: "agent" }, `${name}: ${a.status} ${a.progress}% ${a.currentTask || ""}`)),
    h("ul", { className: "logs" }, debugLogs.slice(-20).map((l, i) => h("li", { key: i }, l.message))));
}
