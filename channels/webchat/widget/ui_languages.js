// The language picker: one button per language, and switching the interface to one.

// One button per language, with the language's own name; a tap switches the widget and the
// assistant, and shows the name as the citizen's message.
Widget.prototype.buildLanguagePicker = function () {
  var self = this;
  var group = h("div", { class: "jsc-languages", role: "group" });
  this.label(group, "widget_languages", "aria-label");
  this.languageButtons = {};
  LANGUAGES.forEach(function (code) {
    var name = "language_name_" + code;
    var button = h("button", {
      type: "button",
      class: "jsc-language",
      lang: code,
      "aria-pressed": "false",
      onclick: function () {
        self.send('/switch_language{"language": "' + code + '"}', self.t(name));
      },
    });
    self.languageButtons[code] = self.label(button, name);
    group.appendChild(button);
  });
  return group;
};

Widget.prototype.setLanguage = function (code) {
  code = supportedLanguage(code);
  if (!code) return;
  this.state.language = code;
  this.save();
  this.showLanguage(code);
};
