// The playground page: shows what the stand-in for Slack holds, and turns clicks and typing
// into what Slack would send the bot (the server builds and signs the real payloads).
const state = { user: "U0CEO", conv: "dm", modal: null };
const $ = (selector) => document.querySelector(selector);

async function api(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}) });
  return response.json();
}

function titleOf(conv) {
  if (conv === "home") return "vpe-bot · Home";
  if (conv === "dm") return "vpe-bot";
  const item = document.querySelector(`nav li[data-conv="${conv}"]`);
  return item ? item.textContent : conv;
}

async function refresh() {
  const asked = `${state.user}:${state.conv}`;
  const view = await api("/api/conversation", { user: state.user, conv: state.conv });
  if (asked !== `${state.user}:${state.conv}`) return; // the person or place changed meanwhile
  const box = $("#messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  if (box.dataset.html !== view.html) {
    box.innerHTML = view.html;
    box.dataset.html = view.html;
    if (atBottom || state.conv !== "home") box.scrollTop = box.scrollHeight;
  }
  $("#time").textContent = view.time;
  showModal(view.modal);
  document.body.dataset.showing = asked; // what is on screen now (the browser tests wait on it)
}

function showModal(markup) {
  const overlay = $("#overlay");
  if (!markup) { overlay.hidden = true; overlay.innerHTML = ""; state.modal = null; return; }
  if (state.modal === markup) return;
  state.modal = markup;
  overlay.innerHTML = markup;
  overlay.hidden = false;
  const modal = overlay.querySelector(".modal");
  const errors = JSON.parse(modal.dataset.errors || "{}");
  for (const [block, text] of Object.entries(errors)) {
    const field = modal.querySelector(`[data-block="${block}"]`);
    if (!field) continue;
    const note = document.createElement("div");
    note.className = "field-error";
    note.textContent = text; // the bot's words, shown as text, never as markup
    field.after(note);
  }
}

function open(conv) {
  state.conv = conv;
  document.querySelectorAll("nav li").forEach((li) => li.classList.toggle("active", li.dataset.conv === conv));
  $("#title").textContent = titleOf(conv);
  $("#messages").dataset.html = "";
  $("#composer").hidden = conv === "home";
  if (conv === "home") api("/api/home", { user: state.user }).then(refresh);
  refresh();
}

function stateValue(element) {
  const kind = element.dataset.kind;
  if (kind === "plain_text_input") return { type: kind, value: element.value };
  if (kind === "number_input") return { type: kind, value: element.value };
  if (kind === "timepicker") return { type: kind, selected_time: element.value };
  if (kind === "datepicker") return { type: kind, selected_date: element.value };
  const chosen = Array.from(element.selectedOptions || []).map((o) => o.value).filter((v) => v !== "");
  if (kind === "multi_conversations_select") return { type: kind, selected_conversations: chosen };
  if (kind === "multi_users_select") return { type: kind, selected_users: chosen };
  if (kind === "multi_static_select") return { type: kind, selected_options: chosen.map((value) => ({ value })) };
  if (kind === "static_select") return { type: kind, selected_option: chosen.length ? { value: chosen[0] } : null };
  if (kind === "users_select") return { type: kind, selected_user: chosen[0] || null };
  if (kind === "conversations_select") return { type: kind, selected_conversation: chosen[0] || null };
  return { type: kind, value: element.value };
}

document.addEventListener("click", async (event) => {
  const nav = event.target.closest("nav li");
  if (nav) return open(nav.dataset.conv);
  const advance = event.target.closest("[data-advance]");
  if (advance) { await api("/api/advance", { to: advance.dataset.advance }); return refresh(); }
  const modal = event.target.closest(".modal");
  if (event.target.closest("[data-close]") && modal) { await api("/api/close", { view: modal.dataset.view }); return refresh(); }
  if (event.target.closest("[data-submit]") && modal) {
    const values = {};
    modal.querySelectorAll("[data-block][data-action]").forEach((element) => {
      if (element.tagName === "BUTTON") return;
      values[element.dataset.block] = values[element.dataset.block] || {};
      values[element.dataset.block][element.dataset.action] = stateValue(element);
    });
    await api("/api/submit", { user: state.user, view: modal.dataset.view, values });
    state.modal = null;
    return refresh();
  }
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
  const message = button.closest(".msg");
  await api("/api/action", {
    user: state.user, conv: state.conv,
    action_id: button.dataset.action, block_id: button.dataset.block, value: button.dataset.value, kind: "button",
    channel: message ? message.dataset.channel : "", ts: message ? message.dataset.ts : "",
    view: modal ? modal.dataset.view : "",
  });
  setTimeout(refresh, 300);
});

// A choice in a select that sits in a message or the Home tab (not in a modal, where the
// choice is only sent with the submission) is a block_actions, as in Slack.
document.addEventListener("change", async (event) => {
  const select = event.target.closest("select[data-action]");
  if (!select || select.closest(".modal")) return;
  const message = select.closest(".msg");
  const option = select.selectedOptions[0];
  await api("/api/action", {
    user: state.user, conv: state.conv,
    action_id: select.dataset.action, block_id: select.dataset.block, kind: select.dataset.kind,
    value: option ? option.value : "", label: option ? option.textContent : "",
    channel: message ? message.dataset.channel : "", ts: message ? message.dataset.ts : "",
  });
  setTimeout(refresh, 300);
});

$("#composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("#text").value.trim();
  if (!text) return;
  $("#text").value = "";
  await api("/api/send", { user: state.user, conv: state.conv, text });
  setTimeout(refresh, 300);
});

$("#text").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("#composer").requestSubmit(); }
});

$("#user").addEventListener("change", () => { state.user = $("#user").value; open(state.conv); });

state.user = $("#user").value;
open("dm");
setInterval(refresh, 1000);
