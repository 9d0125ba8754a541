"use strict";
// Shared by the console pages: JSON calls with the CSRF token, Chinese error text from the server.
const CSRF = document.querySelector('meta[name="csrf-token"]')?.content || "";
async function api(path, options = {}) {
  const init = {credentials: "same-origin", headers: {"X-CSRF-Token": CSRF}, ...options};
  if (options.json !== undefined) {
    init.method = init.method || "POST";
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.json);
  }
  const response = await fetch(path, init);
  if (response.status === 401 || response.status === 303) { location.href = "/console/login?next=" + encodeURIComponent(location.pathname); }
  let body = null;
  try { body = await response.json(); } catch (_) { body = null; }
  if (!response.ok) {
    const detail = body && (body.detail || body.error);
    const message = typeof detail === "string" ? detail : (body && body.details ? body.details.map(d => d.field + "：" + d.problem).join("；") : "操作失败（" + response.status + "）");
    const error = new Error(message); error.status = response.status; throw error;
  }
  return body;
}
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) { if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v); }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}

// The list table is shared by the ticket queues and the live-conversation queue: each sets its own headings.
function setHeadings(labels) {
  document.querySelector("#tickets thead tr").replaceChildren(...labels.map(l => el("th", {}, l)));
}
