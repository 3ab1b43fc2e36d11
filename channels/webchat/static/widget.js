/*!
 * Jobseeker assistant – web chat widget (nl / fr / en).
 * Plain JavaScript: no framework, no build step. Served by channels/webchat/channel.py.
 *
 * Add it to any page with one tag (all data-* attributes are optional):
 *
 *   <script src="https://assistant.example.be/webhooks/webchat/widget.js"
 *           data-server-url="https://assistant.example.be"
 *           data-language="nl" data-primary-color="#005ea5" defer></script>
 *
 * or set `window.JobseekerChat = { serverUrl, language, primaryColor, ... }` before the tag
 * (an attribute on the tag wins over the same key in the object). Options:
 *
 *   serverUrl     the Rasa server (default: where widget.js comes from)
 *   language      first interface language, nl | fr | en (default: the page's <html lang>)
 *   primaryColor  brand colour; darkened automatically until white text on it is readable
 *   container     CSS selector: show the chat inside this element instead of a floating button
 *   open          "true": open the chat when the page loads
 *   dir           "rtl" | "ltr" (default: the page's direction)
 *   title         heading of the chat window (default: a text in the interface language)
 *   socketPath    socket.io path on the server (default "/socket.io")
 *   initPayload   sent, unseen, when a new conversation starts (default "/greet"; "" = none)
 *
 * It talks to Rasa's socket.io channel (credentials.yml `socketio:`): `session_request` /
 * `session_confirm` keep one session id (stored in localStorage), `user_uttered` carries the
 * citizen's messages and `bot_uttered` the assistant's. The conversation, the unsent messages,
 * the language, the text size and whether the chat is open are kept in localStorage, so a
 * reload or a dropped connection loses nothing. Its own words (buttons, labels, status) are
 * not in this file: it loads them from texts/<lang>.json next to it (bot/i18n/locales).
 */
(function () {
  "use strict";

  if (window.JobseekerChatWidget) return; // the tag is on the page twice: keep the first

  var VERSION = "1.0.0";
  var SOCKET_IO_FILE = "vendor/socket.io-client-4.8.4/socket.io.min.js";
  var LANGUAGES = ["nl", "fr", "en"];
  var DEFAULT_LANGUAGE = "nl";
  var DEFAULT_COLOR = "#005ea5";
  // Body text sizes in px for A− / A+; the default (18 px) is index 1.
  var TEXT_SIZES = [16, 18, 20, 23, 26, 30];
  var DEFAULT_TEXT_SIZE = 1;
  var MAX_HISTORY = 200;
  var MAX_MESSAGE_CHARS = 1000;
  // The ack of a message comes when Rasa has finished answering it. A lost connection is
  // noticed (and the message re-sent) long before this; after it, we stop waiting so that
  // one failed turn on the server cannot block the queue forever.
  var ACK_GIVE_UP_MS = 90000;
  // A connection that comes back within this time is not shown as lost (no flicker).
  var OFFLINE_GRACE_MS = 1500;
  var SWITCH_LANGUAGE = /^\/switch_language\s*\{.*"language"\s*:\s*"(nl|fr|en)"/;

  // The widget's own words are not in this file: they are the widget_* keys of the locale
  // files (bot/i18n/locales/<lang>.yml), served next to it as texts/<lang>.json (see
  // channels/webchat/texts.py). The assistant's messages come from the server, translated.
  var FALLBACK_LANGUAGE = "en"; // texts of a language the server does not have
  var TEXTS_RETRY_MS = 5000;
  var STATUS_KEYS = {
    connecting: "widget_connecting",
    online: "widget_online",
    offline: "widget_offline",
  };
  var SPEAKER_KEYS = { you: "widget_you", assistant: "widget_assistant" };

  // Simple line icons (24×24, stroke), decorative only: every button also has a text label.
  var ICONS = {
    chat: "M4 5h16v11H9l-5 4z",
    close: "M6 6l12 12M18 6L6 18",
    send: "M4 12h13M12 6l6 6-6 6",
    person: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4.4 3.6-7 8-7s8 2.6 8 7",
    offline:
      "M12 8v5M12 16.5v.5M10.3 3.9L2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z",
  };

  // ---------------------------------------------------------------- configuration

  function ownScript() {
    if (document.currentScript) return document.currentScript;
    var scripts = document.querySelectorAll("script[src]");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/widget\.js(\?|#|$)/.test(scripts[i].src)) return scripts[i];
    }
    return null;
  }

  function readConfig(script) {
    var fromWindow =
      window.JobseekerChat && typeof window.JobseekerChat === "object" ? window.JobseekerChat : {};
    var data = script ? script.dataset : {};
    function pick(key) {
      if (data[key] !== undefined) return data[key];
      return fromWindow[key];
    }
    // The widget's other files (CSS, socket.io client) sit next to widget.js.
    var assetsUrl =
      script && script.src
        ? new URL(".", script.src).href
        : new URL("/webhooks/webchat/", location.href).href;
    var serverUrl = String(pick("serverUrl") || new URL(assetsUrl).origin).replace(/\/+$/, "");
    var initPayload = pick("initPayload");
    return {
      assetsUrl: assetsUrl,
      serverUrl: serverUrl,
      socketPath: String(pick("socketPath") || "/socket.io"),
      userEvent: String(pick("userEvent") || "user_uttered"),
      botEvent: String(pick("botEvent") || "bot_uttered"),
      language: pick("language"),
      primaryColor: String(pick("primaryColor") || DEFAULT_COLOR),
      container: pick("container") || null,
      open: String(pick("open")) === "true",
      dir: pick("dir") || null,
      title: pick("title") || null,
      initPayload: initPayload === undefined ? "/greet" : String(initPayload),
    };
  }

  function supportedLanguage(value) {
    var code = String(value || "")
      .trim()
      .toLowerCase()
      .slice(0, 2);
    return LANGUAGES.indexOf(code) >= 0 ? code : null;
  }

  function firstLanguage(config, stored) {
    var candidates = [stored, config.language, document.documentElement.lang].concat(
      navigator.languages || [navigator.language],
    );
    for (var i = 0; i < candidates.length; i++) {
      var code = supportedLanguage(candidates[i]);
      if (code) return code;
    }
    return DEFAULT_LANGUAGE;
  }

  // ---------------------------------------------------------------- colours (WCAG contrast)

  function parseHex(value) {
    var m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(value).trim());
    if (!m) return null;
    var hex = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    return [0, 2, 4].map(function (i) {
      return parseInt(hex.slice(i, i + 2), 16);
    });
  }

  function toHex(rgb) {
    return (
      "#" +
      rgb
        .map(function (v) {
          return ("0" + Math.max(0, Math.min(255, Math.round(v))).toString(16)).slice(-2);
        })
        .join("")
    );
  }

  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  function contrast(a, b) {
    var la = luminance(a);
    var lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  // An agency may choose a light brand colour; white text on it, and the colour as text on
  // white, must still reach 4.5:1 (WCAG AA). Darken it step by step until they do.
  function readablePrimary(value) {
    var rgb = parseHex(value) || parseHex(DEFAULT_COLOR);
    var white = [255, 255, 255];
    while (contrast(rgb, white) < 4.6) {
      rgb = rgb.map(function (v) {
        return v * 0.92;
      });
    }
    return {
      primary: toHex(rgb),
      dark: toHex(
        rgb.map(function (v) {
          return v * 0.75;
        }),
      ),
      // A very light tint for the chosen language; dark text on it stays above 12:1.
      tint: toHex(
        rgb.map(function (v) {
          return 255 - (255 - v) * 0.1;
        }),
      ),
    };
  }

  // ---------------------------------------------------------------- storage

  function openStorage() {
    try {
      var probe = "__jobseeker_chat_probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // blocked (private mode, cookie settings): the chat still works, without memory
    }
  }

  function newId() {
    if (window.crypto && window.crypto.getRandomValues) {
      var bytes = new Uint8Array(12);
      window.crypto.getRandomValues(bytes);
      return Array.prototype.map
        .call(bytes, function (b) {
          return ("0" + b.toString(16)).slice(-2);
        })
        .join("");
    }
    return Date.now().toString(16) + Math.random().toString(16).slice(2);
  }

  // ---------------------------------------------------------------- DOM helpers (no innerHTML)

  function h(tag, attrs) {
    var node = document.createElement(tag);
    var key;
    for (key in attrs || {}) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "jsc-icon");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  function srOnly(text) {
    return h("span", { class: "jsc-sr", text: text });
  }

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

  // ---------------------------------------------------------------- texts

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

  // ---------------------------------------------------------------- the widget

  function Widget(config) {
    this.config = config;
    this.storage = openStorage();
    this.storageKey = "jobseeker-chat:v1:" + config.serverUrl;
    this.state = this.load();
    this.state.language = firstLanguage(config, this.state.language);
    this.socket = null;
    this.sessionConfirmed = false;
    this.networkOnline = navigator.onLine !== false;
    this.inflight = null; // id of the message sent and not yet acknowledged
    this.ackTimer = null;
    this.offlineTimer = null;
    this.connection = "connecting";
    this.lastPointer = "mouse"; // "touch" | "mouse" | "pen" | "keyboard"
    this.inline = !!config.container;
    this.texts = {}; // language -> { language, texts }, once loaded from the server
    this.textRequests = {}; // language -> the promise of its texts
    this.textsTimer = null;
    this.shownLanguage = null; // the interface's language: its texts are here
    this.labels = []; // every text of the interface, see label() and applyLanguage()
    this.waitingFor = { stylesheet: true, texts: true }; // see ready()
    this.build();
    this.showLanguage(this.state.language);
    this.applyTextSize();
    this.renderHistory();
    this.setConnection("connecting");
    if (this.inline || this.state.open || config.open) this.open(false);
    this.watchNetwork();
    this.connect();
  }

  Widget.prototype.load = function () {
    var empty = {
      sessionId: null,
      language: null,
      textSize: DEFAULT_TEXT_SIZE,
      open: false,
      started: false,
      history: [],
      outbox: [],
    };
    if (!this.storage) return empty;
    try {
      var saved = JSON.parse(this.storage.getItem(this.storageKey) || "null");
      if (!saved || typeof saved !== "object") return empty;
      for (var key in empty) if (!(key in saved)) saved[key] = empty[key];
      // Whatever is stored may come from an older version or a curious hand: keep only
      // well-formed entries, so one bad entry cannot stop the chat from starting.
      saved.history = (Array.isArray(saved.history) ? saved.history : []).filter(function (m) {
        return m && typeof m.id === "string" && typeof m.text === "string";
      });
      saved.outbox = (Array.isArray(saved.outbox) ? saved.outbox : []).filter(function (m) {
        return m && typeof m.id === "string" && typeof m.message === "string";
      });
      return saved;
    } catch (e) {
      return empty;
    }
  };

  Widget.prototype.save = function () {
    if (!this.storage) return;
    if (this.state.history.length > MAX_HISTORY) {
      this.state.history = this.state.history.slice(-MAX_HISTORY);
    }
    try {
      this.storage.setItem(this.storageKey, JSON.stringify(this.state));
    } catch (e) {
      // Storage full: keep the newest half of the history (the queue is never dropped).
      this.state.history = this.state.history.slice(-Math.floor(this.state.history.length / 2));
      try {
        this.storage.setItem(this.storageKey, JSON.stringify(this.state));
      } catch (ignored) {
        /* nothing more we can do; the chat keeps working in memory */
      }
    }
  };

  // ---------------------------------------------------------------- texts of the interface

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

  // The widget stays invisible until its style sheet and its texts are there, so the citizen
  // never sees unstyled or unlabelled buttons.
  Widget.prototype.ready = function (part) {
    this.waitingFor[part] = false;
    if (!this.waitingFor.stylesheet && !this.waitingFor.texts) this.host.style.visibility = "";
  };

  // ---------------------------------------------------------------- building the interface

  Widget.prototype.build = function () {
    var config = this.config;
    var mount = config.container ? document.querySelector(config.container) : null;
    if (config.container && !mount) this.inline = false; // container not found: float instead

    var shadow = this.buildHost();
    this.root = this.buildRoot();
    var launcher = this.buildLauncher(); // kept when inline too: open() and close() update it
    this.panel = this.buildPanel(this.buildHeader(), this.buildConversation(), this.buildFooter());
    if (!this.inline) this.root.appendChild(launcher);
    this.root.appendChild(this.panel);
    // Outside the panel, so that a message is announced even while the chat is closed.
    this.root.appendChild(this.buildLiveRegion());
    shadow.appendChild(this.root);
    this.watchPointer();
    this.mount(mount);
  };

  // The element on the page, with a shadow root: the page's own styles (a global `button {}`
  // rule, a tiny font size) cannot break the contrast, sizes and focus rings the citizen
  // relies on. Hidden until the style sheet and the texts are there (see ready).
  Widget.prototype.buildHost = function () {
    var self = this;
    this.host = h("div", { id: "jobseeker-chat", "data-jobseeker-chat": VERSION });
    if (this.config.dir) this.host.setAttribute("dir", this.config.dir);
    var shadow = this.host.attachShadow ? this.host.attachShadow({ mode: "open" }) : this.host;
    this.shadow = shadow;
    this.host.style.visibility = "hidden";
    var css = h("link", { rel: "stylesheet", href: this.config.assetsUrl + "widget.css" });
    function loaded() {
      self.ready("stylesheet");
    }
    css.addEventListener("load", loaded);
    css.addEventListener("error", loaded);
    shadow.appendChild(css);
    return shadow;
  };

  // Everything inside the shadow root, in the agency's colour (made readable).
  Widget.prototype.buildRoot = function () {
    var colours = readablePrimary(this.config.primaryColor);
    var root = h("div", { class: "jsc" + (this.inline ? " jsc--inline" : " jsc--floating") });
    root.style.setProperty("--jsc-primary", colours.primary);
    root.style.setProperty("--jsc-primary-dark", colours.dark);
    root.style.setProperty("--jsc-primary-tint", colours.tint);
    return root;
  };

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

  Widget.prototype.buildClearButton = function () {
    var self = this;
    return h(
      "button",
      {
        type: "button",
        class: "jsc-tool jsc-clear",
        onclick: function () {
          self.clearConversation();
        },
      },
      this.label(h("span"), "widget_clear"),
      this.label(srOnly(""), function (t) {
        return " " + t("widget_clear_hidden");
      }),
    );
  };

  // The conversation. Not a live region itself: new assistant messages are announced once,
  // through the live region, so the citizen's own messages and re-rendered history stay
  // quiet. Focusable so that keyboard users can scroll back through a long conversation.
  Widget.prototype.buildConversation = function () {
    this.messages = h("ol", { class: "jsc-messages" });
    this.typing = h(
      "div",
      { class: "jsc-typing", hidden: true },
      this.label(srOnly(""), "widget_typing"),
      h("span", { class: "jsc-dots", "aria-hidden": "true" }, h("span"), h("span"), h("span")),
    );
    this.log = h(
      "div",
      { class: "jsc-log", role: "region", tabindex: "0" },
      this.messages,
      this.typing,
    );
    return this.label(this.log, "widget_conversation", "aria-label");
  };

  Widget.prototype.buildLiveRegion = function () {
    this.live = h("div", {
      class: "jsc-live jsc-sr",
      "aria-live": "polite",
      "aria-relevant": "additions",
    });
    return this.live;
  };

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

  Widget.prototype.buildPanel = function (header, log, footer) {
    return h(
      "section",
      {
        class: "jsc-panel",
        id: "jsc-panel",
        role: this.inline ? "region" : "dialog",
        "aria-labelledby": "jsc-title",
        tabindex: "-1",
        hidden: true,
      },
      header,
      log,
      footer,
    );
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

  Widget.prototype.mount = function (container) {
    if (this.inline) {
      // Fill the agency's container (the shadow style resets the host to `display: inline`).
      this.host.style.display = "block";
      this.host.style.height = "100%";
    }
    (container || document.body).appendChild(this.host);
    // The page's direction (or data-dir) decides the sides; CSS uses logical properties only.
    var direction = this.config.dir || getComputedStyle(this.host).direction || "ltr";
    this.root.setAttribute("dir", direction === "rtl" ? "rtl" : "ltr");
  };

  // ---------------------------------------------------------------- language, text size

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

  Widget.prototype.setLanguage = function (code) {
    code = supportedLanguage(code);
    if (!code) return;
    this.state.language = code;
    this.save();
    this.showLanguage(code);
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

  // ---------------------------------------------------------------- open, close, keyboard

  Widget.prototype.open = function (moveFocus) {
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

  // ---------------------------------------------------------------- messages

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

  Widget.prototype.scrollToEnd = function () {
    var log = this.log;
    // After layout, so the height of the new message is known.
    window.requestAnimationFrame(function () {
      log.scrollTop = log.scrollHeight;
    });
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

  Widget.prototype.onBotMessage = function (data) {
    if (!data || typeof data !== "object") return;
    var text = typeof data.text === "string" ? data.text : "";
    // Rasa's socket.io channel sends buttons as `quick_replies`; accept `buttons` as well.
    var buttons = validButtons(data.quick_replies || data.buttons);
    if (!text.trim() && !buttons.length) return; // nothing this widget can show
    var item = { id: newId(), from: "bot", text: text, buttons: buttons };
    this.state.history.push(item);
    this.save();
    this.messages.appendChild(this.renderMessage(item, true));
    this.announce(item);
    this.scrollToEnd();
    if (this.panel.hidden) this.unreadBadge.hidden = false;
  };

  Widget.prototype.removeAnswerButtons = function () {
    var groups = this.messages.querySelectorAll(".jsc-answers");
    for (var i = 0; i < groups.length; i++) groups[i].parentNode.removeChild(groups[i]);
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

  // Queue a message (persisted first, so nothing is lost on a reload or a dropped line) and
  // show `display` as the citizen's message; display === null sends it unseen.
  Widget.prototype.send = function (message, display) {
    var id = newId();
    var switchTo = SWITCH_LANGUAGE.exec(message);
    if (switchTo) this.setLanguage(switchTo[1]);
    this.state.outbox.push({ id: id, message: message, language: this.state.language });
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

  Widget.prototype.clearConversation = function () {
    if (!window.confirm(this.t("widget_clear_confirm"))) return;
    this.state.history = [];
    this.state.outbox = [];
    this.state.sessionId = null;
    this.state.started = false;
    this.inflight = null;
    this.setTyping(false);
    this.save();
    this.renderHistory();
    this.live.textContent = "";
    // A new session: the assistant forgets the answers; nothing of the old one stays here.
    this.reconnectNow();
    this.startConversation();
    this.focusComposer();
  };

  // Show "not sent yet" under queued messages while there is no connection.
  Widget.prototype.refreshPending = function () {
    var queued = {};
    this.state.outbox.forEach(function (item) {
      queued[item.id] = true;
    });
    var offline = this.connection !== "online";
    var items = this.messages.querySelectorAll(".jsc-message--user");
    for (var i = 0; i < items.length; i++) {
      var waiting = offline && !!queued[items[i].getAttribute("data-id")];
      items[i].classList.toggle("jsc-message--pending", waiting);
      items[i].querySelector(".jsc-pending").hidden = !waiting;
    }
  };

  Widget.prototype.setTyping = function (on) {
    var wasHidden = this.typing.hidden;
    this.typing.hidden = !on;
    if (on && wasHidden) this.scrollToEnd();
  };

  // ---------------------------------------------------------------- connection

  Widget.prototype.setConnection = function (state) {
    this.connection = state;
    this.status.setAttribute("data-state", state);
    this.statusText.textContent = this.t(STATUS_KEYS[state]);
    this.offlineNotice.hidden = state !== "offline";
    this.refreshPending();
  };

  // "offline" only after a short grace, so a quick reconnect does not flash a warning.
  Widget.prototype.connectionLost = function () {
    var self = this;
    if (!this.networkOnline) {
      this.setConnection("offline");
      return;
    }
    if (this.offlineTimer) return;
    this.offlineTimer = setTimeout(function () {
      self.offlineTimer = null;
      if (!self.sessionConfirmed) self.setConnection("offline");
    }, OFFLINE_GRACE_MS);
  };

  Widget.prototype.watchNetwork = function () {
    var self = this;
    window.addEventListener("offline", function () {
      self.networkOnline = false;
      self.setConnection("offline");
    });
    window.addEventListener("online", function () {
      self.networkOnline = true;
      if (self.shownLanguage !== self.state.language) self.showLanguage(self.state.language);
      // The back-off timer may be seconds away: try at once now that the network is back.
      if (!self.socket) self.connect();
      else if (!self.sessionConfirmed) self.reconnectNow();
      else {
        self.setConnection("online");
        self.flush();
      }
    });
  };

  Widget.prototype.loadSocketIo = function () {
    var url = this.config.assetsUrl + SOCKET_IO_FILE;
    if (typeof window.io === "function") return Promise.resolve(window.io);
    return new Promise(function (resolve, reject) {
      // socket.io's UMD file defines window.io (on a page with an AMD loader it registers a
      // module instead; such pages should load socket.io themselves before this widget).
      var tag = document.createElement("script");
      tag.src = url;
      tag.async = true;
      tag.onload = function () {
        if (typeof window.io === "function") resolve(window.io);
        else reject(new Error("socket.io client did not define window.io"));
      };
      tag.onerror = function () {
        tag.parentNode.removeChild(tag);
        reject(new Error("could not load " + url));
      };
      document.head.appendChild(tag);
    });
  };

  Widget.prototype.connect = function () {
    var self = this;
    if (this.connecting) return;
    this.connecting = true;
    this.loadSocketIo().then(
      function (io) {
        self.connecting = false;
        self.openSocket(io);
      },
      function () {
        // The page loaded from cache without network, or the server is down: try again.
        self.connecting = false;
        self.connectionLost();
        setTimeout(function () {
          if (!self.socket) self.connect();
        }, 5000);
      },
    );
  };

  Widget.prototype.openSocket = function (io) {
    var self = this;
    var config = this.config;
    // WebSocket first: it needs no CORS set-up when the page is on another origin.
    // Reconnection: exponential back-off from 1 s up to 10 s, with jitter.
    var socket = io(config.serverUrl, {
      path: config.socketPath,
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10000,
      randomizationFactor: 0.5,
      timeout: 10000,
    });
    this.socket = socket;

    socket.on("connect", function () {
      self.sessionConfirmed = false;
      // Same session as before (from localStorage), or null to get a new one.
      socket.emit("session_request", { session_id: self.state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      var id = typeof sessionId === "string" ? sessionId : sessionId && sessionId.session_id;
      if (!id) return;
      if (id !== self.state.sessionId) {
        self.state.sessionId = id;
        self.save();
      }
      self.sessionConfirmed = true;
      clearTimeout(self.offlineTimer);
      self.offlineTimer = null;
      if (self.networkOnline) self.setConnection("online");
      self.flush();
    });
    socket.on(config.botEvent, function (data) {
      self.onBotMessage(data);
    });
    socket.on("disconnect", function () {
      self.sessionConfirmed = false;
      // Whatever was on its way is sent again on the next connection (at least once).
      self.inflight = null;
      clearTimeout(self.ackTimer);
      self.setTyping(false);
      self.connectionLost();
    });
    socket.on("connect_error", function () {
      self.connectionLost();
    });
  };

  Widget.prototype.reconnectNow = function () {
    if (!this.socket) return;
    this.sessionConfirmed = false;
    this.inflight = null;
    clearTimeout(this.ackTimer);
    this.socket.disconnect();
    this.socket.connect();
  };

  // Send the oldest queued message, one at a time so the order is kept. It leaves the queue
  // only when Rasa acknowledges it, i.e. once the assistant has answered it.
  Widget.prototype.flush = function () {
    var self = this;
    if (!this.socket || !this.sessionConfirmed || !this.networkOnline) return;
    if (this.inflight || !this.state.outbox.length) return;
    var item = this.state.outbox[0];
    this.inflight = item.id;
    this.setTyping(true);
    clearTimeout(this.ackTimer);
    this.ackTimer = setTimeout(function () {
      if (window.console) console.warn("jobseeker chat: no answer from the server, moving on");
      self.acknowledged(item.id);
    }, ACK_GIVE_UP_MS);
    this.socket.emit(
      this.config.userEvent,
      {
        message: item.message,
        session_id: this.state.sessionId,
        // The assistant uses this as its language when none is chosen yet.
        metadata: { language: item.language || this.state.language },
      },
      function () {
        self.acknowledged(item.id);
      },
    );
  };

  Widget.prototype.acknowledged = function (id) {
    if (this.inflight !== id) return;
    clearTimeout(this.ackTimer);
    this.inflight = null;
    this.state.outbox = this.state.outbox.filter(function (item) {
      return item.id !== id;
    });
    this.save();
    this.refreshPending();
    if (!this.state.outbox.length) this.setTyping(false);
    this.flush();
  };

  // ---------------------------------------------------------------- start

  // Read now: document.currentScript is only set while this file runs.
  var script = ownScript();
  var api = { version: VERSION };
  window.JobseekerChatWidget = api; // also marks the widget as loaded (see the top)

  function start() {
    var widget = new Widget(readConfig(script));
    api.open = function () {
      widget.open(true);
    };
    api.close = function () {
      widget.close();
    };
    api.setLanguage = function (code) {
      widget.setLanguage(code);
    };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
