// The assistant's answer buttons: which ones are valid, showing them, and taking them
// away once the citizen has answered.

// Buttons as the widget keeps them: a title to show and a payload to send, both strings.
function validButtons(list) {
  if (!Array.isArray(list)) return [];
  return list
    .filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string";
    })
    .map(function (b) {
      return { title: b.title, payload: b.payload };
    });
}

// The assistant's answer buttons: a tap sends the payload and shows the title as the
// citizen's message.
Widget.prototype.renderAnswers = function (buttons) {
  var self = this;
  var group = h("div", {
    class: "jsc-answers",
    role: "group",
    "aria-label": this.t("widget_answers"),
  });
  buttons.forEach(function (button) {
    group.appendChild(
      h("button", {
        type: "button",
        class: "jsc-answer",
        text: button.title,
        onclick: function () {
          self.send(button.payload, button.title);
        },
      }),
    );
  });
  return group;
};

Widget.prototype.removeAnswerButtons = function () {
  var groups = this.messages.querySelectorAll(".jsc-answers");
  for (var i = 0; i < groups.length; i++) groups[i].parentNode.removeChild(groups[i]);
};
