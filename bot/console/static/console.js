// Counsellor console: live updates (server-sent events), replies without reloading,
// canned replies, waiting times that grow, and revealing one masked item (a form field
// or a piece of a message; the server audits each). Every page also works without it.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  // Items revealed on this page stay revealed when the live transcript is redrawn.
  var revealed = {};

  function refresh(id, url) {
    var box = document.getElementById(id);
    if (!box) return Promise.resolve();
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        box.innerHTML = html;
        if (id === "transcript") {
          reapplyRevealed();
          scrollDown(box);
        }
      })
      .catch(function () {});
  }

  function scrollDown(box) {
    var list = box.querySelector(".messages");
    if (list) list.scrollTop = list.scrollHeight;
  }

  var conversation = document.querySelector(".conversation[data-handoff]");
  var handoffId = conversation ? conversation.getAttribute("data-handoff") : "";
  var transcriptBox = document.getElementById("transcript");
  if (transcriptBox) scrollDown(transcriptBox);

  if (window.EventSource && document.querySelector("[data-live]")) {
    var source = new EventSource("/events" + (handoffId ? "?handoff=" + handoffId : ""));
    source.addEventListener("queue", function () { refresh("queue", "/queue"); });
    source.addEventListener("conversation", function () {
      if (handoffId) refresh("transcript", "/handoffs/" + handoffId + "/transcript");
    });
  }

  // Waiting times grow while nobody moves: count them here every half minute, and fetch
  // the queue (tasks in progress change too) once a minute.
  function waitingText(since) {
    var minutes = Math.floor((Date.now() - Date.parse(since)) / 60000);
    return minutes < 1 ? "under a minute" : minutes + " min";
  }
  window.setInterval(function () {
    document.querySelectorAll("time[data-since]").forEach(function (node) {
      node.textContent = waitingText(node.getAttribute("data-since"));
    });
  }, 30000);
  if (document.getElementById("queue")) {
    window.setInterval(function () { refresh("queue", "/queue"); }, 60000);
  }

  var form = document.getElementById("reply-form");
  if (form) {
    var box = document.getElementById("reply-text");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = box.value.trim();
      if (!text) return;
      var body = new URLSearchParams();
      body.set("text", text);
      box.disabled = true;
      fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
        body: body
      })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (result) {
          if (result.ok) box.value = "";
          else window.alert("Not sent: " + (result.data.error || "error"));
          return refresh("transcript", "/handoffs/" + handoffId + "/transcript");
        })
        .catch(function () { window.alert("Not sent: the console cannot be reached."); })
        .finally(function () { box.disabled = false; box.focus(); });
    });
    document.querySelectorAll("[data-canned]").forEach(function (chip) {
      chip.addEventListener("click", function () {
        box.value = chip.getAttribute("data-canned");
        box.focus();
      });
    });
  }

  function showRevealed(target, button, value) {
    var node = document.getElementById(target);
    if (!node) return;
    node.textContent = value;
    node.classList.add("revealed");
    if (button) button.remove();
  }

  function reapplyRevealed() {
    Object.keys(revealed).forEach(function (target) {
      var button = document.querySelector('button.reveal[aria-controls="' + target + '"]');
      showRevealed(target, button, revealed[target]);
    });
  }

  // One click, one item: a form field (data-field) or a piece of a message (data-item).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.reveal") : null;
    if (!button || !handoffId) return;
    var body = new URLSearchParams();
    var field = button.getAttribute("data-field");
    var item = button.getAttribute("data-item");
    if (item) body.set("item", item);
    else body.set("field", field);
    var target = button.getAttribute("aria-controls");
    button.disabled = true;
    fetch("/handoffs/" + handoffId + "/reveal", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
      body: body
    })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (typeof data.value === "string") {
          revealed[target] = data.value;
          showRevealed(target, button, data.value);
        } else {
          button.disabled = false;
        }
      })
      .catch(function () { button.disabled = false; });
  });
})();
