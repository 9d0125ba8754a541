// Minimal web chat: one sender id per browser, kept in localStorage so a reload continues the conversation.
// Messages pushed into the conversation (an operator who took it over, a ticket's revisit) arrive by polling.
(function () {
  const POLL_MS = 3000;
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const send = document.getElementById("send");
  let sender = localStorage.getItem("courtbot-sender");
  if (!sender) {
    sender = "web-" + Math.random().toString(36).slice(2) + Date.now().toString(36);
    localStorage.setItem("courtbot-sender", sender);
  }

  let lastPushed = Number(localStorage.getItem("courtbot-pushed-" + sender) || 0);

  async function poll() {
    try {
      const response = await fetch("/api/chat/messages?sender=" + encodeURIComponent(sender) + "&after=" + lastPushed);
      if (response.ok) {
        const body = await response.json();
        (body.messages || []).forEach(function (m) {
          show(m.text, m.author === "operator" ? "bot operator" : "bot");
          lastPushed = Math.max(lastPushed, m.id);
        });
        localStorage.setItem("courtbot-pushed-" + sender, String(lastPushed));
      }
    } catch (err) {
      // offline for a moment: the next poll catches up from the last message seen
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  function show(text, who) {
    const item = document.createElement("li");
    item.className = who;
    item.textContent = text;
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  async function say(text) {
    show(text, "user");
    send.disabled = true;
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: text }),
      });
      const body = await response.json();
      const replies = body.replies || [];
      if (!replies.length && !body.live) show(body.error || "抱歉，暂时没有回复，请稍后再试。", "error");
      replies.forEach(function (r) { show(r.text, body.degraded ? "error" : "bot"); });
    } catch (err) {
      show("网络连接失败，请检查网络后重试，或拨打12368诉讼服务热线。", "error");
    } finally {
      send.disabled = false;
      input.focus();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    say(text);
  });
  document.querySelectorAll(".quick button").forEach(function (button) {
    button.addEventListener("click", function () { say(button.dataset.say); });
  });
  show("您好，这里是焦作市马村区人民法院诉讼服务中心智能客服，请问有什么可以帮您？", "bot");
  poll();
})();
