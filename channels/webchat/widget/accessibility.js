// Accessibility helpers: screen-reader-only text, the live region that announces the
// assistant, the focus trap of the open window, where focus goes after sending.

function srOnly(text) {
  return h("span", { class: "jsc-sr", text: text });
}

Widget.prototype.buildLiveRegion = function () {
  this.live = h("div", {
    class: "jsc-live jsc-sr",
    "aria-live": "polite",
    "aria-relevant": "additions",
  });
  return this.live;
};

Widget.prototype.announce = function (item) {
  var text = this.t("widget_assistant") + " " + item.text;
  if (item.buttons && item.buttons.length) {
    text +=
      " " +
      this.t("widget_answers") +
      ": " +
      item.buttons
        .map(function (b) {
          return b.title;
        })
        .join(", ");
  }
  this.live.appendChild(h("p", { text: text }));
  // Keep the live region small; what was read stays in the conversation itself.
  while (this.live.childNodes.length > 5) this.live.removeChild(this.live.firstChild);
};

// Remember how the citizen last acted: after a tap on a phone we do not pop up the
// on-screen keyboard (it would hide the next answer buttons).
Widget.prototype.watchPointer = function () {
  var self = this;
  this.root.addEventListener("pointerdown", function (event) {
    self.lastPointer = event.pointerType || "mouse";
  });
  this.root.addEventListener("keydown", function (event) {
    self.lastPointer = "keyboard";
    self.onKeydown(event);
  });
};

Widget.prototype.focusables = function () {
  var nodes = this.panel.querySelectorAll("button, input, [tabindex='0']");
  return Array.prototype.filter.call(nodes, function (node) {
    return !node.hidden && node.getClientRects().length > 0;
  });
};

Widget.prototype.onKeydown = function (event) {
  if (this.inline || this.panel.hidden) return;
  if (event.key === "Escape") {
    event.preventDefault();
    this.close();
    return;
  }
  // The open window covers part of the page (all of it on a phone): keep Tab inside it so
  // focus never lands on something hidden behind it. Escape or "Close" leaves.
  if (event.key !== "Tab") return;
  var items = this.focusables();
  if (!items.length) return;
  var active = this.shadow.activeElement || document.activeElement;
  var first = items[0];
  var last = items[items.length - 1];
  if (event.shiftKey && (active === first || active === this.panel)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
};

// After sending, focus goes back to the message box, except after a tap on a touch screen:
// there the on-screen keyboard would cover the next answer buttons, so focus goes to the
// conversation instead (never to nowhere, which would confuse screen reader users).
Widget.prototype.focusComposer = function () {
  if (this.lastPointer === "touch") this.log.focus({ preventScroll: true });
  else this.input.focus({ preventScroll: true });
};
