// The text size control (A- and A+) and applying the chosen size.

// Body text sizes in px for A− / A+; the default (18 px) is index 1.
var TEXT_SIZES = [16, 18, 20, 23, 26, 30];
var DEFAULT_TEXT_SIZE = 1;

// A− and A+ (a screen reader hears "Text smaller" / "Text bigger").
Widget.prototype.buildTextSize = function () {
  var self = this;
  function sizeButton(className, step, mark, word) {
    return h(
      "button",
      {
        type: "button",
        class: className,
        onclick: function () {
          self.changeTextSize(step);
        },
      },
      self.label(h("span", { dir: "ltr" }), mark),
      self.label(srOnly(""), function (t) {
        return " " + t("widget_text_size") + " " + t(word);
      }),
    );
  }
  this.smaller = sizeButton("jsc-tool", -1, "widget_smaller_mark", "widget_smaller");
  this.bigger = sizeButton("jsc-tool jsc-tool--big", 1, "widget_bigger_mark", "widget_bigger");
  var sizeLabel = h("span", { class: "jsc-size-label", "aria-hidden": "true" });
  var group = h(
    "div",
    { class: "jsc-size", role: "group" },
    this.label(sizeLabel, "widget_text_size"),
    this.smaller,
    this.bigger,
  );
  return this.label(group, "widget_text_size", "aria-label");
};

Widget.prototype.applyTextSize = function () {
  var stored = Math.round(Number(this.state.textSize));
  var index = isFinite(stored)
    ? Math.max(0, Math.min(TEXT_SIZES.length - 1, stored))
    : DEFAULT_TEXT_SIZE;
  this.state.textSize = index;
  this.root.style.setProperty("--jsc-font-size", TEXT_SIZES[index] + "px");
  // aria-disabled (not disabled) so the button keeps focus at the end of the range.
  this.smaller.setAttribute("aria-disabled", String(index === 0));
  this.bigger.setAttribute("aria-disabled", String(index === TEXT_SIZES.length - 1));
};

Widget.prototype.changeTextSize = function (step) {
  var next = Number(this.state.textSize) + step;
  if (next < 0 || next >= TEXT_SIZES.length) return;
  this.state.textSize = next;
  this.save();
  this.applyTextSize();
};
