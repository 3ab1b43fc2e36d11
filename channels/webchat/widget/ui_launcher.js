// The floating launcher button, and opening and closing the chat window.

// A big labelled button, not just an icon. Its badge shows when the assistant (or later a
// counsellor) wrote while the chat was closed.
Widget.prototype.buildLauncher = function () {
  var self = this;
  this.unreadBadge = h("span", { class: "jsc-unread", hidden: true });
  this.label(this.unreadBadge, "widget_unread");
  this.launcher = h(
    "button",
    {
      type: "button",
      class: "jsc-launcher",
      "aria-expanded": "false",
      "aria-controls": "jsc-panel",
      onclick: function () {
        self.open(true);
      },
    },
    icon("chat"),
    this.label(h("span", { class: "jsc-launcher-text" }), "widget_launcher"),
    this.unreadBadge,
  );
  return this.launcher;
};

Widget.prototype.open = function (moveFocus) {
  this.forgetIfIdle(true); // a conversation left unused is not shown again
  this.panel.hidden = false;
  this.unreadBadge.hidden = true;
  this.launcher.setAttribute("aria-expanded", "true");
  this.root.classList.add("jsc--open");
  if (!this.inline && !this.state.open) {
    this.state.open = true;
    this.save();
  }
  this.startConversation();
  this.scrollToEnd();
  if (moveFocus) this.focusComposer();
};

Widget.prototype.close = function () {
  if (this.inline) return;
  this.panel.hidden = true;
  this.launcher.setAttribute("aria-expanded", "false");
  this.root.classList.remove("jsc--open");
  this.state.open = false;
  this.save();
  this.launcher.focus();
};
