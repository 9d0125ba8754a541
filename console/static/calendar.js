"use strict";
document.getElementById("enter-year").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target, out = document.getElementById("calendar-result");
  try {
    const r = await api("/api/calendar/" + form.year.value, {json: {notice: form.notice.value}});
    out.textContent = `已保存 ${r.year} 年：放假 ${r.holidays} 天，调休上班 ${r.workdays} 天。`;
    out.className = "ok";
    setTimeout(() => location.reload(), 800);
  } catch (e) { out.textContent = e.message; out.className = "error"; }
});
