// The containers page: rows from a live watch (server-sent events, no polling); each button writes a
// request with a fresh id, and the row shows it in progress until lastAction carries that id.

/** Which buttons make sense in which Docker state (the desktop GUI's rules). */
const ENABLED = {
  start: ["created", "exited"],
  stop: ["running", "paused"],
  pause: ["running"],
  unpause: ["paused"],
  restart: ["running"],
};
const VERB = { start: "Starting", stop: "Stopping", pause: "Pausing", unpause: "Unpausing", restart: "Restarting" };

const rows = new Map();
/** Requests this page wrote and has not seen finish: id → { requestId, action }. */
const mine = new Map();
const body = document.querySelector("#containers tbody");
const alertBox = document.getElementById("alert");
const announce = document.getElementById("announce");
const connection = document.getElementById("connection");

function pendingOf(row) {
  const local = mine.get(row.id);
  if (local && !(row.lastAction && row.lastAction.requestId === local.requestId && !row.pending)) return local;
  if (local) mine.delete(row.id);
  return row.pending;
}

function cell(text, className) {
  const td = document.createElement("td");
  if (className) td.className = className;
  td.textContent = text;
  return td;
}

function lastActionCell(last) {
  const td = document.createElement("td");
  td.className = "last-action";
  if (!last) {
    td.innerHTML = '<span class="muted">none</span>';
    return td;
  }
  const result = document.createElement("span");
  result.className = `result-${last.state}`;
  result.textContent = `${last.action}: ${last.state}`;
  td.append(result);
  const when = document.createElement("div");
  when.className = "muted";
  when.textContent = new Date(last.completedAt).toLocaleTimeString();
  when.title = `observed ${last.observedAt}, completed ${last.completedAt}${last.requestId ? `, request ${last.requestId}` : ""}`;
  td.append(when);
  if (last.error) {
    const err = document.createElement("div");
    err.className = "error";
    err.textContent = last.error;
    td.append(err);
  }
  return td;
}

function render() {
  const sorted = [...rows.values()].sort((a, b) => (a.status === "running") - (b.status === "running") || a.name.localeCompare(b.name)).reverse();
  body.replaceChildren(
    ...sorted.map((row) => {
      const tr = document.createElement("tr");
      tr.dataset.id = row.id;
      tr.dataset.name = row.name;
      const pending = pendingOf(row);
      tr.setAttribute("aria-busy", pending ? "true" : "false");
      tr.append(cell(row.name, "name"), cell(row.image, "image"));
      const status = cell("", "status");
      status.dataset.status = row.status;
      if (pending) {
        const busy = document.createElement("span");
        busy.className = "in-progress";
        busy.setAttribute("role", "status");
        busy.innerHTML = `<span class="spinner" aria-hidden="true"></span>${VERB[pending.action] ?? pending.action}…`;
        status.append(busy);
      } else status.textContent = row.status;
      tr.append(status, lastActionCell(row.lastAction));
      const actions = document.createElement("td");
      for (const action of Object.keys(ENABLED)) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = action[0].toUpperCase() + action.slice(1);
        button.dataset.action = action;
        button.setAttribute("aria-label", `${button.textContent} ${row.name}`);
        button.disabled = Boolean(pending) || !ENABLED[action].includes(row.status);
        button.addEventListener("click", () => request(row, action));
        actions.append(button);
      }
      tr.append(actions);
      return tr;
    }),
  );
}

async function request(row, action) {
  alertBox.textContent = "";
  const response = await fetch(`/api/containers/${encodeURIComponent(row.id)}/actions`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action }),
  });
  const answer = await response.json().catch(() => ({}));
  if (response.status !== 202) {
    alertBox.textContent = `${action} ${row.name}: ${answer.message ?? response.statusText}`;
    return;
  }
  mine.set(row.id, { action, requestId: answer.requestId });
  // A fast request can finish (both writes seen on the stream) before this answer arrives.
  const now = rows.get(row.id);
  if (now && !now.pending && now.lastAction && now.lastAction.requestId === answer.requestId) announceOutcome(now);
  else announce.textContent = `${VERB[action]} ${row.name}`;
  render();
}

function announceOutcome(row) {
  const last = row.lastAction;
  announce.textContent = `${last.action} ${row.name}: ${last.state}${last.error ? ` — ${last.error}` : ""}`;
}

/** Announces an outcome once its request is done: the outcome is recorded and the request removed (two writes, two events). */
function finished(before, after) {
  const local = mine.get(after.id);
  if (!after.lastAction || after.pending) return;
  const wasPending = Boolean(before && before.pending);
  const newOutcome = !before || !before.lastAction || before.lastAction.completedAt !== after.lastAction.completedAt;
  if (!wasPending && !newOutcome) return;
  if (local && after.lastAction.requestId !== local.requestId) return;
  announceOutcome(after);
}

const source = new EventSource("/api/containers/stream");
source.addEventListener("snapshot", (e) => {
  rows.clear();
  for (const row of JSON.parse(e.data)) rows.set(row.id, row);
  connection.textContent = `Live: ${rows.size} containers`;
  render();
});
source.addEventListener("changed", (e) => {
  const row = JSON.parse(e.data);
  finished(rows.get(row.id), row);
  rows.set(row.id, row);
  connection.textContent = `Live: ${rows.size} containers`;
  render();
});
source.addEventListener("deleted", (e) => {
  rows.delete(JSON.parse(e.data).id);
  render();
});
source.addEventListener("problem", (e) => {
  connection.textContent = `Problem: ${JSON.parse(e.data).message}`;
});
source.onerror = () => {
  connection.textContent = "Reconnecting…";
};
