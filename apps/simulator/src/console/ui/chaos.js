// The chaos page: the knobs start a run on the server; its server-sent events feed the progress line,
// the live SVG timeline, the event log, and at the end the verdicts and the summary.

const SVG = "http://www.w3.org/2000/svg";
const LANES = [
  { lane: "request", label: "requests" },
  { lane: "dispatch", label: "dispatches" },
  { lane: "outcome", label: "outcomes" },
];
const PLOT = { width: 1000, height: 220, left: 90, right: 10, top: 10, laneHeight: 55 };
const FIGURES = [
  ["requests", "requests written"],
  ["dispatched", "Docker calls that reached the engine"],
  ["succeeded", "Succeeded outcomes"],
  ["failed", "Failed outcomes"],
  ["superseded", "superseded requests"],
  ["lost", "lost requests"],
  ["duplicated", "duplicate dispatches"],
  ["wedged", "wedges"],
  ["untrue", "untrue mirrors"],
  ["apiWritesPerAction", "API writes per action"],
  ["apiReadsPerAction", "API reads per action"],
  ["apiConflictsPerAction", "API conflicts per action"],
  ["dockerCallsPerAction", "Docker calls per action"],
  ["virtualMs", "virtual time, ms"],
];

const form = document.getElementById("knobs");
const scenarioSelect = document.getElementById("scenario");
const scenarioSummary = document.getElementById("scenario-summary");
const runButton = document.getElementById("run");
const alertBox = document.getElementById("alert");
const progress = document.getElementById("progress");
const verdict = document.getElementById("verdict");
const invariantsBody = document.querySelector("#invariants tbody");
const replay = document.getElementById("replay");
const replayCommand = document.getElementById("replay-command");
const plot = document.getElementById("plot");
const plotDesc = document.getElementById("plot-desc");
const eventLog = document.getElementById("events");
const summaryBody = document.querySelector("#summary tbody");

let summaries = {};
let events = [];
let virtualMs = 0;
let drawPending = false;
let source = null;

async function loadScenarios() {
  const list = await (await fetch("/api/chaos/scenarios")).json();
  summaries = Object.fromEntries(list.map((s) => [s.name, s.summary]));
  scenarioSelect.replaceChildren(
    ...list.map((s) => {
      const option = document.createElement("option");
      option.value = s.name;
      option.textContent = s.name;
      return option;
    }),
  );
  showSummary();
}

function showSummary() {
  scenarioSummary.textContent = `${scenarioSelect.value}: ${summaries[scenarioSelect.value] ?? ""}`;
}

/** The form as the API's knobs; an empty optional field is left out. */
function knobs() {
  const value = (id) => document.getElementById(id).value.trim();
  const optional = (id) => (value(id) === "" ? undefined : Number(value(id)));
  const body = {
    scenario: scenarioSelect.value,
    containers: Number(value("containers")),
    durationMs: Math.round(Number(value("duration")) * 1000),
    crash: value("crash"),
  };
  if (value("seed") !== "") body.seed = value("seed");
  // The one fault model's knobs: a lag in ms, chances as ratios over 100 (the form asks for percent).
  const faults = {};
  if (optional("cache-lag") !== undefined) faults.watchLagMsMax = optional("cache-lag");
  for (const [id, key] of [["api-fault", "apiWriteErrorChance"], ["engine-unreachable", "engineUnreachableChance"]]) {
    if (optional(id) !== undefined) faults[key] = [optional(id), 100];
  }
  if (Object.keys(faults).length > 0) body.faults = faults;
  return body;
}

function invalidField() {
  for (const input of form.querySelectorAll("input")) {
    input.removeAttribute("aria-invalid");
    if (!input.checkValidity()) {
      input.setAttribute("aria-invalid", "true");
      return input;
    }
  }
  return null;
}

async function start(event) {
  event.preventDefault();
  alertBox.textContent = "";
  const bad = invalidField();
  if (bad) {
    alertBox.textContent = `${bad.labels[0]?.textContent.trim() ?? bad.name}: ${bad.validationMessage}`;
    bad.focus();
    return;
  }
  const response = await fetch("/api/chaos/runs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(knobs()) });
  const answer = await response.json().catch(() => ({}));
  if (response.status !== 202) {
    alertBox.textContent = `The run was not started: ${answer.message ?? response.statusText}`;
    return;
  }
  reset();
  runButton.disabled = true;
  form.setAttribute("aria-busy", "true");
  progress.textContent = `Running ${scenarioSelect.value} with seed ${answer.seed}…`;
  follow(answer.events, answer.seed);
}

function reset() {
  events = [];
  virtualMs = 0;
  eventLog.textContent = "";
  verdict.textContent = "Running…";
  verdict.className = "";
  invariantsBody.replaceChildren();
  summaryBody.replaceChildren();
  replay.hidden = true;
  draw();
}

function follow(url, seed) {
  source?.close();
  source = new EventSource(url);
  source.addEventListener("tick", (e) => {
    const tick = JSON.parse(e.data);
    virtualMs = Math.max(virtualMs, tick.virtualMs);
    events.push(...tick.events);
    if (tick.events.length > 0) eventLog.textContent += `${tick.events.map((ev) => ev.line).join("\n")}\n`;
    progress.textContent = `Running, seed ${seed}: ${(virtualMs / 1000).toFixed(1)} s of virtual time, ${events.length} events`;
    scheduleDraw();
  });
  source.addEventListener("done", (e) => {
    finish();
    const done = JSON.parse(e.data);
    const pass = done.verdict === "pass";
    const broken = done.verdicts.filter((v) => !v.pass).length;
    verdict.textContent = pass ? "PASS: every invariant held" : `FAIL: ${broken} of ${done.verdicts.length} invariants broken`;
    verdict.className = pass ? "verdict-pass" : "verdict-fail";
    progress.textContent = `Finished: ${pass ? "PASS" : "FAIL"} after ${(done.summary.virtualMs / 1000).toFixed(1)} s of virtual time (${done.wallMs} ms wall), ${events.length} events.`;
    showVerdicts(done.verdicts);
    showFigures(done.summary);
    if (done.replay) {
      replayCommand.textContent = done.replay.command;
      replay.hidden = false;
    }
    virtualMs = Math.max(virtualMs, done.summary.virtualMs);
    draw();
  });
  source.addEventListener("problem", (e) => {
    finish();
    verdict.textContent = "The run crashed";
    verdict.className = "verdict-fail";
    alertBox.textContent = `The run crashed: ${JSON.parse(e.data).message}`;
    progress.textContent = "The run crashed.";
  });
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) return;
    progress.textContent = "Connection lost; reconnecting…";
  };
}

function finish() {
  source?.close();
  source = null;
  runButton.disabled = false;
  form.removeAttribute("aria-busy");
}

function showVerdicts(list) {
  invariantsBody.replaceChildren(
    ...list.map((v) => {
      const tr = document.createElement("tr");
      tr.dataset.invariant = v.invariant;
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = v.title;
      const result = document.createElement("td");
      result.className = v.pass ? "verdict-pass" : "verdict-fail";
      result.textContent = v.pass ? "pass" : "fail";
      const details = document.createElement("td");
      if (v.violations.length === 0) details.innerHTML = '<span class="muted">none</span>';
      else {
        const ul = document.createElement("ul");
        for (const violation of v.violations) {
          const li = document.createElement("li");
          li.textContent = `${violation.subject.slice(0, 24)}: ${violation.detail}`;
          ul.append(li);
        }
        details.append(ul);
      }
      tr.append(name, result, details);
      return tr;
    }),
  );
}

function showFigures(summary) {
  summaryBody.replaceChildren(
    ...FIGURES.filter(([key]) => key in summary).map(([key, label]) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = label;
      const td = document.createElement("td");
      td.textContent = String(summary[key]);
      td.dataset.figure = key;
      tr.append(th, td);
      return tr;
    }),
  );
}

function scheduleDraw() {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    draw();
  });
}

function svg(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Redraws the plot: one lane per kind, x = virtual time, a mark per event, crashes as vertical lines. */
function draw() {
  const title = plot.querySelector("title");
  const desc = plot.querySelector("desc");
  const spanMs = Math.max(1000, virtualMs);
  const x = (t) => PLOT.left + ((PLOT.width - PLOT.left - PLOT.right) * t) / spanMs;
  const nodes = [title, desc];
  LANES.forEach(({ label }, i) => {
    const y = PLOT.top + i * PLOT.laneHeight;
    nodes.push(svg("rect", { x: PLOT.left, y, width: PLOT.width - PLOT.left - PLOT.right, height: PLOT.laneHeight - 6, class: "lane" }));
    nodes.push(svg("text", { x: 4, y: y + PLOT.laneHeight / 2, class: "lane-label" }, label));
  });
  const axisY = PLOT.top + LANES.length * PLOT.laneHeight + 14;
  const stepS = niceStep(spanMs / 1000);
  for (let s = 0; s * 1000 <= spanMs; s += stepS) {
    nodes.push(svg("line", { x1: x(s * 1000), x2: x(s * 1000), y1: PLOT.top, y2: axisY - 10, class: "grid" }));
    nodes.push(svg("text", { x: x(s * 1000), y: axisY, class: "axis" }, `${s}s`));
  }
  for (const ev of events) {
    if (ev.lane === "crash") {
      nodes.push(svg("line", { x1: x(ev.t), x2: x(ev.t), y1: PLOT.top, y2: axisY - 10, class: "mark-crash crash-line" }));
      continue;
    }
    const lane = LANES.findIndex((l) => l.lane === ev.lane);
    if (lane < 0) continue;
    const mark = svg("rect", { x: x(ev.t) - 2, y: PLOT.top + lane * PLOT.laneHeight + 8, width: 4, height: PLOT.laneHeight - 22, class: `mark mark-${ev.mark}` });
    mark.append(svg("title", {}, ev.line.trim()));
    nodes.push(mark);
  }
  plot.replaceChildren(...nodes);
  const count = (lane) => events.filter((e) => e.lane === lane).length;
  desc.textContent =
    events.length === 0
      ? "No events yet."
      : `${count("request")} requests, ${count("dispatch")} Docker dispatches, ${count("outcome")} outcomes and ${count("crash")} crashes over ${(spanMs / 1000).toFixed(1)} s of virtual time. The event log below lists each one.`;
}

function niceStep(spanS) {
  for (const step of [1, 2, 5, 10, 15, 30, 60]) if (spanS / step <= 12) return step;
  return 120;
}

document.getElementById("copy-replay").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(replayCommand.textContent);
    progress.textContent = "Replay command copied.";
  } catch {
    progress.textContent = "Copying is not allowed here; select the command and copy it.";
  }
});
scenarioSelect.addEventListener("change", showSummary);
form.addEventListener("submit", start);
draw();
loadScenarios().catch((error) => {
  alertBox.textContent = `Could not load the scenarios: ${error}`;
});
