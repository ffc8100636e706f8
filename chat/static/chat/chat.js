// The chat page: history and live messages over WS /ws/chat/ (the session authenticates it).
// Messages are always inserted as text, never as HTML.
(function () {
  "use strict";
  const root = document.getElementById("chat");
  const list = document.getElementById("messages");
  const state = document.getElementById("state");
  const error = document.getElementById("error");
  const form = document.getElementById("send");
  const me = Number(root.dataset.me);
  const shown = new Set();
  let socket = null;

  function add(message) {
    if (shown.has(message.id)) return;
    shown.add(message.id);
    const item = document.createElement("li");
    item.dataset.id = message.id;
    if (message.user_id === me) item.classList.add("mine");
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = message.user;
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = message.message;
    const when = document.createElement("time");
    when.className = "when";
    when.dateTime = message.created_at;
    when.textContent = new Date(message.created_at).toLocaleTimeString();
    item.append(who, text, when);
    list.append(item);
    list.scrollTop = list.scrollHeight;
  }

  const ERRORS = {
    throttled: "You are sending too fast; wait a few seconds.",
    invalid_message: "A message is 1 to 1000 characters.",
    forbidden: "Only customers send messages.",
  };

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(`${scheme}${location.host}/ws/chat/`);
    socket.onopen = () => { state.textContent = "live"; };
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === "chat.history") frame.messages.forEach(add);
      else if (frame.type === "chat.message") add(frame);
      else if (frame.type === "error") {
        error.textContent = ERRORS[frame.code] || frame.detail;
        error.hidden = false;
      }
    };
    socket.onclose = () => { state.textContent = "reconnecting…"; setTimeout(connect, 2000); };
  }

  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const field = document.getElementById("message");
      if (!field.value.trim() || !socket || socket.readyState !== WebSocket.OPEN) return;
      error.hidden = true;
      socket.send(JSON.stringify({ type: "chat.send", message: field.value }));
      field.value = "";
    });
  }
  connect();
})();
