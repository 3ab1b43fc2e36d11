// Forgetting the conversation on this device, so that a shared computer keeps nothing: the
// "Stop and clear" button, a conversation left unused for idleMinutes, the assistant's
// {"clear_conversation": true} (sent after "delete my data"), and a stored session the
// server no longer continues. Each forgets the messages, the unsent queue and the session
// id; the socket reconnects, which leaves the old conversation, and gets a new session.

// How often an open page checks whether its conversation has been idle too long.
var IDLE_CHECK_MS = 15000;

// Messages were written or read here (a session without any shows nothing to anyone).
Widget.prototype.hasConversation = function () {
  return this.state.history.length > 0 || this.state.outbox.length > 0;
};

// A message went one way or the other: the conversation is in use.
Widget.prototype.touch = function () {
  this.state.lastActive = Date.now();
};

Widget.prototype.isIdle = function () {
  if (!this.hasConversation()) return false;
  var last = Number(this.state.lastActive) || 0; // none: stored by an older version
  return Date.now() - last >= this.config.idleMinutes * 60000;
};

// Forget an idle conversation. `live`: the widget is running (clear the screen, say why,
// get a new session); else it is starting and has shown nothing yet. Returns whether it did.
Widget.prototype.forgetIfIdle = function (live) {
  if (!this.isIdle()) return false;
  if (live) {
    this.forgetConversation();
    this.showNote("widget_expired");
  } else {
    this.resetConversation();
  }
  return true;
};

// The stored part: messages, queue, session, the mark that the greeting was sent.
Widget.prototype.resetConversation = function () {
  var s = this.state;
  s.history = [];
  s.outbox = [];
  s.sessionId = null;
  s.started = false;
  s.lastActive = 0;
  this.save();
};

// The stored part, the screen, and the session on the server's side of this socket.
// `keepLastWords`: the live region keeps its last announcement (it may still be read).
Widget.prototype.forgetConversation = function (keepLastWords) {
  this.resetConversation();
  this.inflight = null;
  clearTimeout(this.ackTimer);
  this.setTyping(false);
  this.renderHistory();
  var keep = keepLastWords ? this.live.lastChild : null;
  while (this.live.firstChild && this.live.firstChild !== keep) {
    this.live.removeChild(this.live.firstChild);
  }
  this.reconnectNow();
};

// The "Stop and clear" button: after a plain-words confirmation, forget and start afresh.
Widget.prototype.stopAndClear = function () {
  if (!window.confirm(this.t("widget_clear_confirm"))) return;
  this.forgetConversation();
  this.showNote("widget_cleared");
  this.startConversation();
  this.focusComposer();
};

// The assistant deleted the conversation on the server and says so: its last words stay
// on the screen (not stored), nothing else stays on this device. No new conversation is
// started until the citizen writes again or opens the chat once more.
Widget.prototype.clearRequested = function () {
  var history = this.state.history;
  var last = null;
  for (var i = history.length - 1; i >= 0 && !last; i--) {
    if (history[i].from === "bot" && history[i].text) last = history[i];
  }
  this.forgetConversation(true);
  if (last) this.messages.appendChild(this.renderMessage({ id: last.id, text: last.text }, false));
};

// The server did not continue the stored session (an id from before signed sessions, or
// its secret changed): the messages shown belong to a conversation that is gone.
Widget.prototype.sessionRefused = function () {
  this.resetConversation();
  this.inflight = null;
  this.renderHistory();
};

// A note of the widget itself in the conversation (not a message; never stored).
Widget.prototype.showNote = function (key) {
  var text = this.label(h("span"), key);
  text.textContent = this.t(key); // "" until the texts are here; applyLanguage fills it
  this.messages.appendChild(h("li", { class: "jsc-note" }, text));
  if (this.t(key)) this.live.appendChild(h("p", { text: this.t(key) }));
  this.scrollToEnd();
};

Widget.prototype.watchIdle = function () {
  var self = this;
  var every = Math.max(1000, Math.min(IDLE_CHECK_MS, (this.config.idleMinutes * 60000) / 4));
  setInterval(function () {
    self.forgetIfIdle(true);
  }, every);
};
