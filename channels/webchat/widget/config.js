// The page's wishes: the widget's options (data-* attributes of its script tag, or
// window.JobseekerChat), the languages it speaks and the first one it shows.
// First in widget.js, so that a second copy of the tag stops here (this `return` leaves
// the one function that channels/webchat/widget_bundle.py wraps around every file of this folder).

if (window.JobseekerChatWidget) return; // the tag is on the page twice: keep the first

var VERSION = "1.0.0";
var LANGUAGES = ["nl", "fr", "en"];
var DEFAULT_LANGUAGE = "nl";
var DEFAULT_COLOR = "#005ea5";
// A conversation nobody used for this long is forgotten on this device (data-idle-minutes).
var DEFAULT_IDLE_MINUTES = 30;

function ownScript() {
  if (document.currentScript) return document.currentScript;
  var scripts = document.querySelectorAll("script[src]");
  for (var i = scripts.length - 1; i >= 0; i--) {
    if (/\/widget\.js(\?|#|$)/.test(scripts[i].src)) return scripts[i];
  }
  return null;
}

// The options are documented at the top of widget.js (HEADER in channels/webchat/widget_bundle.py).
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
    // "local": keep the conversation in localStorage (it survives closing the browser);
    // anything else: sessionStorage (this tab only), so a shared computer keeps nothing.
    persist: String(pick("persist")) === "local" ? "local" : "session",
    idleMinutes: positiveNumber(pick("idleMinutes"), DEFAULT_IDLE_MINUTES),
  };
}

function positiveNumber(value, fallback) {
  var number = parseFloat(value);
  return isFinite(number) && number > 0 ? number : fallback;
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
