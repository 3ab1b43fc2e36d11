// Wiring: finds its own script tag, starts the Widget once the page is ready, and exposes
// window.JobseekerChatWidget (version, open, close, setLanguage). Last in widget.js.

// Read now: document.currentScript is only set while widget.js runs.
var script = ownScript();
var api = { version: VERSION };
window.JobseekerChatWidget = api; // also marks the widget as loaded (see config.js)

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
