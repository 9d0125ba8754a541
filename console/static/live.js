"use strict";
// Live conversations waiting for a person (/api/live/…): the queue, taking one over, replying in the
// caller's own chat, handing it back to the bot. Polls so the caller's messages show as they arrive.
const LIVE = {selected: null, after: 0, timer: null};
const LIVE_STATES = {waiting: "等待人工", live: "人工接管中", closed: "已交回"};
const CHANNELS = {web: "网页", wechat: "微信", phone: "电话"};
const LIVE_HEADINGS = ["工单号", "渠道", "状态", "最新消息", "接待人员", "等待"];

function waited(iso) {
  const minutes = Math.max(0, Math.round((Date.now() - new Date(iso)) / 60000));
  return minutes < 60 ? `${minutes} 分钟` : `${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分`;
}

async function loadLiveQueue(render) {
  let data;
  try { data = await api("/api/live/conversations"); } catch (e) { if (render) document.getElementById("list-info").textContent = e.message; return; }
  const waiting = data.conversations.filter(c => c.state === "waiting").length;
  document.querySelector("[data-count='live']").textContent = waiting ? `(${waiting})` : "";
  if (!render) return;
  document.getElementById("list-info").textContent = `等待人工 ${waiting} 个，空闲话务员 ${data.operators_free} 人`;
  setHeadings(LIVE_HEADINGS);
  const tbody = document.querySelector("#tickets tbody");
  tbody.replaceChildren(...data.conversations.map(c => el("tr", {"data-live": String(c.id), class: c.id === LIVE.selected ? "selected" : "", onclick: () => openLive(c.id)},
    el("td", {}, c.ticket_number || "—"), el("td", {}, CHANNELS[c.channel] || c.channel), el("td", {}, LIVE_STATES[c.state] || c.state),
    el("td", {class: "summary"}, c.last_message || ""), el("td", {}, c.operator || "—"),
    el("td", {}, el("span", {class: "badge " + (c.state === "waiting" ? "soon" : "ok")}, "已等 " + waited(c.requested_at))))));
}

function showLiveMessages(messages) {
  const list = document.getElementById("live-messages");
  for (const m of messages) {
    const who = m.direction === "in" ? "来电人" : m.author.startsWith("operator:") ? "工作人员 " + m.author.slice(9) : "智能客服";
    list.append(el("li", {class: m.direction === "in" ? "caller" : m.author.startsWith("operator:") ? "operator" : "bot", "data-id": String(m.id)}, `${who}：${m.text}`));
    LIVE.after = Math.max(LIVE.after, m.id);
  }
  list.scrollTop = list.scrollHeight;
}

async function openLive(id) {
  clearTimeout(LIVE.timer);
  LIVE.selected = id; LIVE.after = 0; state.selected = null;
  const pane = document.getElementById("detail");
  let c;
  try { c = await api(`/api/live/conversations/${id}`); } catch (e) { pane.replaceChildren(el("p", {class: "error"}, e.message)); return; }
  const mine = c.state === "live" && c.operator === ME.username;
  const buttons = [];
  if (c.state === "waiting") buttons.push(el("button", {id: "live-take", onclick: () => liveAction(id, "take")}, "接管会话"));
  if (mine) buttons.push(el("button", {id: "live-hand-back", onclick: () => liveAction(id, "hand-back")}, "交回智能客服"));
  const composer = mine ? el("form", {id: "live-composer", class: "action"}, el("label", {}, "回复来电人", el("textarea", {name: "text", rows: "2", maxlength: "2000"})), el("button", {type: "submit"}, "发送")) : "";
  pane.replaceChildren(
    el("h2", {id: "live-title"}, `在线会话 · ${CHANNELS[c.channel] || c.channel}`),
    el("p", {id: "flash", class: "flash", role: "status"}),
    el("dl", {class: "facts"}, el("dt", {}, "状态"), el("dd", {"data-field": "会话状态"}, LIVE_STATES[c.state] || c.state),
      el("dt", {}, "工单"), el("dd", {}, c.ticket_number || "—"), el("dt", {}, "接管人"), el("dd", {}, c.operator || "—")),
    el("div", {class: "actions"}, ...buttons), composer,
    el("h3", {}, "对话"), el("ol", {class: "transcript", id: "live-messages"}));
  if (composer) composer.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = composer.text.value.trim();
    if (!text) return;
    try {
      const sent = await api(`/api/live/conversations/${id}/messages`, {json: {text}});
      composer.text.value = "";
      if (sent.status === "failed") flash(`消息未能送达，已转为工单 ${sent.ticket_number} 由人工联系`, "error");
    } catch (e) { flash(e.message, "error"); }
    pollLive();
  });
  for (const tr of document.querySelectorAll("#tickets tr")) tr.classList.toggle("selected", tr.dataset.live === String(id));
  pollLive();
}

async function pollLive() {
  clearTimeout(LIVE.timer);
  const id = LIVE.selected;
  if (id === null || state.queue !== "live") return;
  try {
    const t = await api(`/api/live/conversations/${id}/messages?after=${LIVE.after}`);
    if (id !== LIVE.selected) return;
    showLiveMessages(t.messages);
  } catch (_) { /* the next poll tries again */ }
  LIVE.timer = setTimeout(pollLive, 2000);
}

async function liveAction(id, action) {
  try {
    await api(`/api/live/conversations/${id}/${action}`, {method: "POST"});
    await openLive(id);
    flash(action === "take" ? "已接管，来电人会在对话中看到您的回复" : "已交回智能客服", "ok");
  } catch (e) { flash(e.message, "error"); }
  loadLiveQueue(true);
}
