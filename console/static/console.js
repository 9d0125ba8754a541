"use strict";
// The ticket workspace: queues, filters, SLA countdowns, detail with transcript and audit trail, actions.
const ME = window.COURTBOT;
const REFRESH_MS = 5000;  // how soon new work shows up without reloading
const state = {queue: "", selected: null, tickets: [], lastNote: 0};
const FIELDS = {
  assign: [["department", "承办部门", "input"], ["assignee", "承办人（用户名，可空）", "input"], ["text", "交办说明", "textarea"]],
  accept: [], close: [["text", "办结说明（可空）", "textarea"]],
  note: [["text", "备注", "textarea"]], feedback: [["text", "答复内容", "textarea"]],
  revisit: [["satisfaction", "满意度", "rating"], ["text", "来电人意见", "textarea"]],
  revisit_failed: [["text", "情况", "textarea"]], reopen: [["text", "原因", "textarea"]],
  escalate: [["text", "督办事由", "textarea"]], merge: [["into", "并入工单号", "input"], ["text", "说明", "textarea"]],
  return: [["text", "退回原因", "textarea"]],
};

// Assign form suggestions: departments and people who handle tickets (GET /api/tickets/staff).
const LISTS = {department: "staff-departments", assignee: "staff-people"};
async function loadStaff() {
  if (!(ME.actionRoles.assign || []).includes(ME.role)) return;
  try {
    const s = await api("/api/tickets/staff");
    document.body.append(
      el("datalist", {id: LISTS.department}, ...s.departments.map(d => el("option", {value: d}))),
      el("datalist", {id: LISTS.assignee}, ...s.people.map(p => el("option", {value: p.username}, `${p.display_name}（${p.department || "话务"}）`))));
  } catch (_) { /* typing the names still works */ }
}

function change(e) {
  // before → after of what the event changed, e.g. 状态 received→assigned
  return Object.keys(e.after).map(k => `${k}：${e.before[k] ?? "—"} → ${e.after[k] ?? "—"}`).join("；");
}

function badge(sla) {
  if (!sla) return el("span", {class: "badge done"}, "—");
  const left = Math.round((new Date(sla.due_at) - Date.now()) / 1000);
  const abs = Math.abs(left), h = Math.floor(abs / 3600), m = Math.floor((abs % 3600) / 60);
  const text = (left < 0 ? "超期 " : "剩 ") + (h >= 24 ? Math.floor(h / 24) + "天" + (h % 24) + "时" : h + "时" + m + "分");
  return el("span", {class: "badge " + (left < 0 ? "overdue" : left < 4 * 3600 ? "soon" : "ok"), "data-due": sla.due_at}, text);
}

const TICKET_HEADINGS = ["工单号", "类别", "状态", "摘要", "承办", "时限"];

async function loadList() {
  if (state.queue === "live") return loadLiveQueue(true);
  const form = document.getElementById("filters");
  const params = new URLSearchParams({queue: state.queue, q: form.q.value, status: form.status.value, category: form.category.value});
  for (const [k, v] of [...params]) if (!v) params.delete(k);
  try {
    const data = await api("/api/tickets?" + params);
    state.tickets = data.tickets;
    setHeadings(TICKET_HEADINGS);
    const tbody = document.querySelector("#tickets tbody");
    tbody.replaceChildren(...data.tickets.map(t => el("tr", {"data-number": t.number, class: t.number === state.selected ? "selected" : "", onclick: () => openTicket(t.number)},
      el("td", {}, t.number), el("td", {}, t.category_label), el("td", {}, t.status_label),
      el("td", {class: "summary"}, t.summary), el("td", {}, t.assignee || t.department || "—"), el("td", {}, badge(t.sla)))));
    document.getElementById("list-info").textContent = `共 ${data.total} 张工单`;
  } catch (e) { document.getElementById("list-info").textContent = e.message; }
}

async function loadCounts() {
  let counts;
  try { counts = await api("/api/tickets/queues"); } catch (_) { return; /* shown by the list */ }
  for (const node of document.querySelectorAll("[data-count]")) {
    const n = counts[node.dataset.count];
    node.textContent = n ? `(${n})` : "";
  }
}

async function loadNotifications() {
  try {
    const d = await api("/api/tickets/notifications");
    document.getElementById("notifications").replaceChildren(...d.notifications.slice(0, 8).map(n => el("li", {class: n.kind}, n.text)));
  } catch (_) { /* not fatal */ }
}

function actionForm(ticket, action) {
  const form = el("form", {class: "action", "data-action": action.action});
  for (const [name, label, kind] of FIELDS[action.action] || []) {
    let input;
    if (kind === "textarea") input = el("textarea", {name, rows: "2", maxlength: "4000"});
    else if (kind === "rating") { input = el("select", {name}); for (const v of [5, 4, 3, 2, 1]) input.append(el("option", {value: String(v)}, v + " 分")); }
    else input = el("input", {name, maxlength: "64", ...(LISTS[name] ? {list: LISTS[name]} : {})});
    form.append(el("label", {}, label, input));
  }
  form.append(el("button", {type: "submit"}, action.label));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {version: ticket.version};
    for (const [k, v] of new FormData(form)) if (v !== "") body[k] = k === "satisfaction" ? Number(v) : v;
    const slug = action.action.replace("_", "-");
    try {
      await api(`/api/tickets/${encodeURIComponent(ticket.number)}/${slug}`, {json: body});
      flash(`已${action.label}：${ticket.number}`, "ok");
    } catch (e) { flash(e.message, "error"); }
    await openTicket(ticket.number); loadList(); loadCounts();
  });
  return form;
}

function flash(text, kind) {
  const box = document.getElementById("flash");
  if (box) { box.textContent = text; box.className = "flash " + kind; }
}

async function openTicket(number) {
  state.selected = number;
  if (typeof LIVE !== "undefined") { LIVE.selected = null; clearTimeout(LIVE.timer); }
  const pane = document.getElementById("detail");
  let t;
  try { t = await api("/api/tickets/" + encodeURIComponent(number)); } catch (e) { pane.replaceChildren(el("p", {class: "error"}, e.message)); return; }
  const keep = document.getElementById("flash");
  const rows = [["状态", t.status_label], ["类别", t.category_label + (t.source_label ? `（${t.source_label}）` : "")], ["优先级", t.priority_label],
    ["渠道", t.channel_label], ["来电人", (t.caller_name || "—") + (t.caller_verified ? "（已核验）" : "")], ["联系方式", t.caller_contact || "—"],
    ["案号", t.case_number || "—"], ["承办", [t.department, t.assignee].filter(Boolean).join(" / ") || "—"], ["满意度", t.satisfaction ? t.satisfaction + " 分" + (t.satisfaction_comment ? `（${t.satisfaction_comment}）` : "") : "—"], ["回访未接通", String(t.revisit_attempts)], ["版本", String(t.version)]];
  const allowed = t.actions.filter(a => (ME.actionRoles[a.action] || []).includes(ME.role));
  pane.replaceChildren(
    el("h2", {id: "detail-number"}, t.number, " ", badge(t.sla)),
    keep || el("p", {id: "flash", class: "flash", role: "status"}),
    el("dl", {class: "facts"}, ...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {"data-field": k}, v)])),
    el("h3", {}, "诉求"), el("p", {class: "text"}, t.summary),
    t.feedback ? el("div", {}, el("h3", {}, "反馈"), el("p", {class: "text"}, t.feedback)) : "",
    el("h3", {}, "操作"), el("div", {class: "actions"}, ...(allowed.length ? allowed.map(a => actionForm(t, a)) : [el("p", {class: "hint"}, "当前没有您可执行的操作。")])),
    el("h3", {}, "对话记录"), el("ol", {class: "transcript"}, ...(t.transcript.length ? t.transcript.map(m => el("li", {class: m.role || ""}, `${m.role === "bot" ? "智能客服" : "来电人"}：${m.text}`)) : [el("li", {}, "（无）")])),
    el("h3", {}, "办理留痕"), el("ol", {class: "events", id: "events"}, ...t.events.map(e => el("li", {}, `${e.at.slice(0, 16).replace("T", " ")} · ${e.step} · ${e.action_label} · ${e.actor}${e.note ? "：" + e.note : ""}`, Object.keys(e.after).length ? el("small", {class: "change"}, change(e)) : ""))),
  );
  for (const tr of document.querySelectorAll("#tickets tr")) tr.classList.toggle("selected", tr.dataset.number === number);
}

document.getElementById("queues").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-queue]");
  if (!button) return;
  state.queue = button.dataset.queue;
  LIVE.selected = null;
  for (const b of document.querySelectorAll("#queues button")) b.classList.toggle("active", b === button);
  loadList(); loadCounts();
});
document.getElementById("filters").addEventListener("submit", (event) => { event.preventDefault(); loadList(); });
// New work appears without reloading; countdowns tick every second.
setInterval(() => { loadList(); loadCounts(); loadNotifications(); if (ME.live && state.queue !== "live") loadLiveQueue(false); }, REFRESH_MS);
setInterval(() => { for (const b of document.querySelectorAll(".badge[data-due]")) b.replaceWith(badge({due_at: b.dataset.due})); }, 1000);
loadList(); loadCounts(); loadNotifications(); loadStaff();
if (ME.live) loadLiveQueue(false);
