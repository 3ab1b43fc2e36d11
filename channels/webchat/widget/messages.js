// Rendering messages: the stored history, one message, and the assistant's message as it
// arrives.

var SPEAKER_KEYS = { you: "widget_you", assistant: "widget_assistant" };

Widget.prototype.renderHistory = function () {
  this.messages.textContent = "";
  var history = this.state.history;
  // Only the answer buttons of the assistant's last messages (after the citizen's last
  // message) are still questions; older buttons are not shown again.
  var lastUser = -1;
  for (var i = 0; i < history.length; i++) if (history[i].from === "user") lastUser = i;
  for (var j = 0; j < history.length; j++) {
    this.messages.appendChild(this.renderMessage(history[j], j > lastUser));
  }
  this.refreshPending();
  this.scrollToEnd();
};

Widget.prototype.renderMessage = function (item, withButtons) {
  var speaker = item.from === "user" ? "you" : "assistant";
  // textContent only: whatever the assistant or the citizen wrote is shown as text, never
  // interpreted as HTML. CSS `white-space: pre-line` keeps the line breaks.
  var bubble = h(
    "div",
    { class: "jsc-bubble", hidden: !item.text },
    h("span", {
      class: "jsc-sr",
      "data-speaker": speaker,
      text: this.t(SPEAKER_KEYS[speaker]) + " ",
    }),
    // dir=auto: each message runs in its own text's direction (French in an RTL page).
    h("span", { class: "jsc-text", dir: "auto", text: item.text }),
  );
  var side = item.from === "user" ? "user" : "bot";
  var li = h("li", { class: "jsc-message jsc-message--" + side, "data-id": item.id }, bubble);
  if (item.from === "user") {
    li.appendChild(
      h(
        "p",
        { class: "jsc-pending", hidden: true },
        h("span", { class: "jsc-pending-text", text: this.t("widget_pending") }),
      ),
    );
  }
  var buttons = withButtons ? validButtons(item.buttons) : [];
  if (buttons.length) li.appendChild(this.renderAnswers(buttons));
  return li;
};

Widget.prototype.onBotMessage = function (data) {
  if (!data || typeof data !== "object") return;
  var text = typeof data.text === "string" ? data.text : "";
  // Rasa's socket.io channel sends buttons as `quick_replies`; accept `buttons` as well.
  var buttons = validButtons(data.quick_replies || data.buttons);
  if (text.trim() || buttons.length) this.showBotMessage(text, buttons);
  // The assistant deleted this conversation ("delete my data"): its words stay on the
  // screen, the browser forgets the rest (forget.js).
  if (data.clear_conversation === true) this.clearRequested();
};

Widget.prototype.showBotMessage = function (text, buttons) {
  var item = { id: newId(), from: "bot", text: text, buttons: buttons };
  this.state.history.push(item);
  this.touch();
  this.save();
  this.messages.appendChild(this.renderMessage(item, true));
  this.announce(item);
  this.scrollToEnd();
  if (this.panel.hidden) this.unreadBadge.hidden = false;
};
