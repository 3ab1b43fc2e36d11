// The conversation area: the list of messages, the typing dots, scrolling to the end and
// the "not sent yet" marks under queued messages.

// The conversation. Not a live region itself: new assistant messages are announced once,
// through the live region, so the citizen's own messages and re-rendered history stay
// quiet. Focusable so that keyboard users can scroll back through a long conversation.
Widget.prototype.buildConversation = function () {
  this.messages = h("ol", { class: "jsc-messages" });
  this.typing = h(
    "div",
    { class: "jsc-typing", hidden: true },
    this.label(srOnly(""), "widget_typing"),
    h("span", { class: "jsc-dots", "aria-hidden": "true" }, h("span"), h("span"), h("span")),
  );
  this.log = h(
    "div",
    { class: "jsc-log", role: "region", tabindex: "0" },
    this.messages,
    this.typing,
  );
  return this.label(this.log, "widget_conversation", "aria-label");
};

Widget.prototype.scrollToEnd = function () {
  var log = this.log;
  // After layout, so the height of the new message is known.
  window.requestAnimationFrame(function () {
    log.scrollTop = log.scrollHeight;
  });
};

Widget.prototype.setTyping = function (on) {
  var wasHidden = this.typing.hidden;
  this.typing.hidden = !on;
  if (on && wasHidden) this.scrollToEnd();
};

// Show "not sent yet" under queued messages while there is no connection.
Widget.prototype.refreshPending = function () {
  var queued = {};
  this.state.outbox.forEach(function (item) {
    queued[item.id] = true;
  });
  var offline = this.connection !== "online";
  var items = this.messages.querySelectorAll(".jsc-message--user");
  for (var i = 0; i < items.length; i++) {
    var waiting = offline && !!queued[items[i].getAttribute("data-id")];
    items[i].classList.toggle("jsc-message--pending", waiting);
    items[i].querySelector(".jsc-pending").hidden = !waiting;
  }
};
