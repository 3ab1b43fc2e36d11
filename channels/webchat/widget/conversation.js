// The citizen's side of the conversation: queueing a message (persisted first), starting
// a new conversation (forgetting one is forget.js).

var SWITCH_LANGUAGE = /^\/switch_language\s*\{.*"language"\s*:\s*"(nl|fr|en)"/;

// Queue a message (persisted first, so nothing is lost on a reload or a dropped line) and
// show `display` as the citizen's message; display === null sends it unseen.
Widget.prototype.send = function (message, display) {
  // Unused for too long: what is on the screen is forgotten, this goes to a new conversation.
  if (this.forgetIfIdle(true)) this.startConversation();
  var id = newId();
  var switchTo = SWITCH_LANGUAGE.exec(message);
  if (switchTo) this.setLanguage(switchTo[1]);
  this.state.outbox.push({ id: id, message: message, language: this.state.language });
  this.touch();
  if (display !== null) {
    var item = { id: id, from: "user", text: display };
    this.state.history.push(item);
    this.removeAnswerButtons();
    this.messages.appendChild(this.renderMessage(item, false));
    this.scrollToEnd();
  }
  this.save();
  this.refreshPending();
  if (display !== null) this.focusComposer();
  this.flush();
};

Widget.prototype.startConversation = function () {
  var s = this.state;
  if (s.started || s.history.length || s.outbox.length) return;
  s.started = true;
  this.save();
  if (this.config.initPayload) this.send(this.config.initPayload, null);
};
