// The widget's own words. They are not in widget.js: they are the widget_* keys of the
// locale files (bot/i18n/locales/<lang>.yml), served next to it as texts/<lang>.json (see
// channels/webchat/texts.py). t() and label() give them; applyLanguage() shows them in the
// chosen language. The assistant's messages come from the server, translated.

var FALLBACK_LANGUAGE = "en"; // texts of a language the server does not have
var TEXTS_RETRY_MS = 5000;

// The texts of language `code` from texts/<code>.json next to widget.js, as
// { language, texts }. A language the server does not have (404) gives English.
function fetchTexts(assetsUrl, code) {
  return fetch(assetsUrl + "texts/" + code + ".json")
    .then(function (answer) {
      if (answer.status === 404 && code !== FALLBACK_LANGUAGE) {
        return fetchTexts(assetsUrl, FALLBACK_LANGUAGE);
      }
      if (!answer.ok) throw new Error("texts/" + code + ".json: HTTP " + answer.status);
      return answer.json().then(function (texts) {
        if (!texts || typeof texts !== "object") throw new Error("texts/" + code + ".json");
        return { language: code, texts: texts };
      });
    });
}

Widget.prototype.t = function (key) {
  var shown = this.texts[this.shownLanguage];
  return (shown && shown.texts[key]) || "";
};

// `node` shows the text `key` (or `key(t)` when it is a function): as its content, or as
// its `attribute`. applyLanguage fills in every one of them.
Widget.prototype.label = function (node, key, attribute) {
  this.labels.push({ node: node, key: key, attribute: attribute });
  return node;
};

Widget.prototype.loadTexts = function (code) {
  var self = this;
  if (!this.textRequests[code]) {
    this.textRequests[code] = fetchTexts(this.config.assetsUrl, code).then(
      function (loaded) {
        self.texts[code] = loaded;
        return loaded;
      },
      function (error) {
        delete self.textRequests[code]; // asked again on the next try
        throw error;
      },
    );
  }
  return this.textRequests[code];
};

// Show the interface in `code`: at once when its texts are here, else as soon as they
// are (the previous language stays until then; without texts, try again a bit later).
Widget.prototype.showLanguage = function (code) {
  var self = this;
  if (this.texts[code]) {
    var first = !this.shownLanguage;
    this.shownLanguage = code;
    this.applyLanguage();
    this.ready("texts");
    // The other languages too, quietly: a switch then shows at once, even offline.
    if (first) this.preloadTexts();
    return;
  }
  this.loadTexts(code).then(
    function () {
      if (self.state.language === code) self.showLanguage(code);
    },
    function () {
      clearTimeout(self.textsTimer);
      self.textsTimer = setTimeout(function () {
        if (self.state.language === code) self.showLanguage(code);
      }, TEXTS_RETRY_MS);
    },
  );
};

Widget.prototype.preloadTexts = function () {
  var self = this;
  LANGUAGES.forEach(function (code) {
    self.loadTexts(code).catch(function () {
      /* loaded when chosen */
    });
  });
};

Widget.prototype.applyLanguage = function () {
  var t = this.t.bind(this);
  this.root.setAttribute("lang", this.texts[this.shownLanguage].language);
  this.labels.forEach(function (label) {
    var text = typeof label.key === "function" ? label.key(t) : t(label.key);
    if (label.attribute) label.node.setAttribute(label.attribute, text);
    else label.node.textContent = text;
  });
  for (var code in this.languageButtons) {
    var pressed = code === this.state.language;
    this.languageButtons[code].setAttribute("aria-pressed", String(pressed));
  }
  // The hidden "You:" / "Assistant:" labels and the answer groups follow the language.
  var speakers = this.messages.querySelectorAll("[data-speaker]");
  for (var i = 0; i < speakers.length; i++) {
    speakers[i].textContent = t(SPEAKER_KEYS[speakers[i].getAttribute("data-speaker")]) + " ";
  }
  var groups = this.messages.querySelectorAll(".jsc-answers");
  for (var j = 0; j < groups.length; j++) {
    groups[j].setAttribute("aria-label", t("widget_answers"));
  }
  var pending = this.messages.querySelectorAll(".jsc-pending-text");
  for (var k = 0; k < pending.length; k++) pending[k].textContent = t("widget_pending");
  this.setConnection(this.connection);
};
