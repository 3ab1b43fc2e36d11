// The header: title, connection status, close and "Stop and clear" buttons (the language
// picker and the text size control have their own files).

// Title and close, the connection status under the title (where the eye starts), the
// language chooser, then text size and clear.
Widget.prototype.buildHeader = function () {
  return h(
    "div",
    { class: "jsc-header" },
    h(
      "div",
      { class: "jsc-titlebar" },
      h("div", { class: "jsc-heading" }, this.buildTitle(), this.buildStatus()),
      this.inline ? null : this.buildCloseButton(),
    ),
    this.buildLanguagePicker(),
    h("div", { class: "jsc-toolbar" }, this.buildTextSize(), this.buildClearButton()),
  );
};

Widget.prototype.buildTitle = function () {
  var title = this.config.title;
  return this.label(h("h2", { class: "jsc-title", id: "jsc-title" }), function (t) {
    return title || t("widget_title");
  });
};

Widget.prototype.buildStatus = function () {
  this.statusText = h("span", { class: "jsc-status-text" }); // see setConnection
  this.status = h(
    "p",
    { class: "jsc-status", role: "status" },
    h("span", { class: "jsc-dot", "aria-hidden": "true" }),
    this.statusText,
  );
  return this.status;
};

Widget.prototype.buildCloseButton = function () {
  var self = this;
  return h(
    "button",
    {
      type: "button",
      class: "jsc-close",
      onclick: function () {
        self.close();
      },
    },
    icon("close"),
    this.label(h("span"), "widget_close"),
  );
};

// "Stop and clear": forgets the conversation on this device and starts afresh (forget.js).
// Its name says what it does; screen readers also hear where it is deleted from.
Widget.prototype.buildClearButton = function () {
  var self = this;
  return h(
    "button",
    {
      type: "button",
      class: "jsc-tool jsc-clear",
      onclick: function () {
        self.stopAndClear();
      },
    },
    icon("clear"),
    this.label(h("span"), "widget_clear"),
    this.label(srOnly(""), function (t) {
      return " " + t("widget_clear_hidden");
    }),
  );
};
