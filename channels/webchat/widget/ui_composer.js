// The footer: the offline notice, the message box with its send button, and "talk to a
// person".

var MAX_MESSAGE_CHARS = 1000;

// The offline notice, the message box, talk to a person.
Widget.prototype.buildFooter = function () {
  return h(
    "div",
    { class: "jsc-footer" },
    this.buildOfflineNotice(),
    this.buildComposer(),
    this.buildHandoffButton(),
  );
};

Widget.prototype.buildOfflineNotice = function () {
  this.offlineNotice = h(
    "p",
    { class: "jsc-offline", hidden: true },
    icon("offline"),
    this.label(h("span"), "widget_offline_help"),
  );
  return this.offlineNotice;
};

Widget.prototype.buildComposer = function () {
  var self = this;
  this.input = h("input", {
    id: "jsc-input",
    class: "jsc-input",
    type: "text",
    dir: "auto",
    autocomplete: "off",
    enterkeyhint: "send",
    maxlength: String(MAX_MESSAGE_CHARS),
  });
  this.label(this.input, "widget_placeholder", "placeholder");
  return h(
    "form",
    {
      class: "jsc-composer",
      onsubmit: function (event) {
        event.preventDefault();
        self.sendTyped();
      },
    },
    this.label(h("label", { class: "jsc-sr", for: "jsc-input" }), "widget_input_label"),
    this.input,
    h(
      "button",
      { type: "submit", class: "jsc-send" },
      icon("send"),
      this.label(h("span"), "widget_send"),
    ),
  );
};

Widget.prototype.buildHandoffButton = function () {
  var self = this;
  return h(
    "button",
    {
      type: "button",
      class: "jsc-handoff",
      onclick: function () {
        self.send("/human_handoff", self.t("widget_handoff"));
      },
    },
    icon("person"),
    this.label(h("span"), "widget_handoff"),
  );
};

Widget.prototype.sendTyped = function () {
  var text = this.input.value.replace(/\s+$/, "");
  if (!text.trim()) {
    this.input.focus();
    return;
  }
  this.input.value = "";
  this.send(text, text);
};
