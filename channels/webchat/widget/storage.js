// What the widget remembers (conversation, queue of unsent messages, session, language,
// text size, open or closed, when it was last used), where (sessionStorage unless the page
// asks for localStorage), and the ids of its messages.

var MAX_HISTORY = 200;
var STORAGE_PREFIX = "jobseeker-chat:v1:";

// The browser's sessionStorage ("session") or localStorage ("local"); null when blocked
// (private mode, cookie settings): the chat still works, without memory.
function openStorage(kind) {
  try {
    var storage = kind === "local" ? window.localStorage : window.sessionStorage;
    var probe = "__jobseeker_chat_probe";
    storage.setItem(probe, "1");
    storage.removeItem(probe);
    return storage;
  } catch (e) {
    return null;
  }
}

// Earlier versions kept every conversation in localStorage, for good: a page that does not
// ask for localStorage has it removed there.
function removeFromLocalStorage(key) {
  try {
    window.localStorage.removeItem(key);
  } catch (e) {
    /* blocked: then nothing was kept there either */
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

Widget.prototype.load = function () {
  var empty = {
    sessionId: null,
    language: null,
    textSize: DEFAULT_TEXT_SIZE,
    open: false,
    started: false,
    lastActive: 0, // when a message last went either way (ms since 1970)
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
