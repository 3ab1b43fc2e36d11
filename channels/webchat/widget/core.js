// The Widget: its state, and the order in which it starts. The other files of this folder
// add its methods to Widget.prototype, one job each.

function Widget(config) {
  this.config = config;
  this.storageKey = STORAGE_PREFIX + config.serverUrl;
  this.storage = openStorage(config.persist);
  if (config.persist !== "local") removeFromLocalStorage(this.storageKey);
  this.state = this.load();
  this.expiredOnLoad = this.forgetIfIdle(false); // see forget.js
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
  if (this.expiredOnLoad) this.showNote("widget_expired");
  this.setConnection("connecting");
  if (this.inline || this.state.open || config.open) this.open(false);
  this.watchNetwork();
  this.watchIdle();
  this.connect();
}
