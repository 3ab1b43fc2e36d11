// Counsellor console: live updates (server-sent events), replies without reloading,
// canned replies, and revealing a masked field. Every page also works without it.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function refresh(id, url) {
    var box = document.getElementById(id);
    if (!box) return Promise.resolve();
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        box.innerHTML = html;
        if (id === "transcript") scrollDown(box);
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

  // Waiting times grow while nobody moves: refresh the queue every half minute.
  if (document.getElementById("queue")) {
    window.setInterval(function () { refresh("queue", "/queue"); }, 30000);
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

  document.querySelectorAll("button.reveal").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = button.getAttribute("data-field");
      var body = new URLSearchParams();
      body.set("field", field);
      fetch("/handoffs/" + handoffId + "/reveal", {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
        body: body
      })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.value) {
            document.getElementById("value-" + field).textContent = data.value;
            button.remove();
          }
        })
        .catch(function () {});
    });
  });
})();
