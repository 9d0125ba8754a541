"use strict";
// Dashboard: bars drawn with plain elements (no chart library, nothing fetched from outside).
function bars(id, items, vertical) {
  const max = Math.max(1, ...items.map(i => i.count));
  document.getElementById(id).replaceChildren(...items.map(i => el("div", {class: "bar", title: `${i.label}：${i.count}`},
    el("span", {class: "label"}, i.label),
    el("span", {class: "fill", style: (vertical ? "height:" : "width:") + (100 * i.count / max).toFixed(1) + "%"}),
    el("span", {class: "value"}, String(i.count)))));
}
function pct(v) { return v === null || v === undefined ? "—" : (100 * v).toFixed(1) + "%"; }
async function load() {
  const form = document.getElementById("period");
  const q = new URLSearchParams({from: form.from.value, to: form.to.value});
  document.getElementById("export-tickets").href = "/api/reports/tickets.csv?" + q;
  try {
    const s = await api("/api/reports/summary?" + q);
    document.getElementById("cards").replaceChildren(
      el("div", {class: "card", id: "card-total"}, el("b", {}, String(s.total)), "工单总数"),
      el("div", {class: "card", id: "card-sla"}, el("b", {}, pct(s.sla.rate)), `按期反馈率（${s.sla.on_time}/${s.sla.fed_back}）`),
      el("div", {class: "card", id: "card-satisfaction"}, el("b", {}, s.satisfaction.average ?? "—"), `平均满意度（${s.satisfaction.rated} 份）`));
    bars("by_category", s.by_category); bars("by_channel", s.by_channel); bars("by_day", s.by_day, true);
    bars("satisfaction", Object.entries(s.satisfaction.distribution).reverse().map(([k, v]) => ({label: k + " 分", count: v})));
  } catch (e) { document.getElementById("cards").replaceChildren(el("p", {class: "error"}, e.message)); }
  const table = document.getElementById("performance");
  if (!table) return;
  const by = document.getElementById("perf-by").value;
  const pq = new URLSearchParams({from: form.from.value, to: form.to.value, by});
  document.getElementById("export-perf").href = "/api/reports/performance?" + pq + "&format=csv";
  try {
    const p = await api("/api/reports/performance?" + pq);
    table.tBodies[0].replaceChildren(...p.rows.map(r => el("tr", {}, el("td", {}, r.name), el("td", {}, String(r.handled)),
      el("td", {}, pct(r.on_time_rate)), el("td", {}, r.avg_satisfaction ?? "—"), el("td", {}, pct(r.reopen_rate)))));
  } catch (e) { table.tBodies[0].replaceChildren(el("tr", {}, el("td", {colspan: "5", class: "error"}, e.message))); }
}
document.getElementById("period").addEventListener("submit", (e) => { e.preventDefault(); load(); });
document.getElementById("perf-by")?.addEventListener("change", load);
load();
document.getElementById("audit-verify")?.addEventListener("click", async () => {
  const out = document.getElementById("audit-result");
  out.textContent = "正在校验…";
  try {
    const r = await api("/api/audit/verify");
    out.className = r.intact ? "hint ok" : "error";
    out.textContent = r.intact ? `留痕完整：${r.tickets} 张工单，${r.events} 条事件，哈希链未被改动。`
      : `发现 ${r.problems.length} 处问题：` + r.problems.slice(0, 5).map(p => `${p.ticket}#${p.seq ?? "-"} ${p.problem}`).join("；");
  } catch (e) { out.className = "error"; out.textContent = e.message; }
});
