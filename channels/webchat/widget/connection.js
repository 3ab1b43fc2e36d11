// The connection status the citizen sees (connecting, online, offline after a short
// grace) and the browser's own online / offline events.

// A connection that comes back within this time is not shown as lost (no flicker).
var OFFLINE_GRACE_MS = 1500;
var STATUS_KEYS = {
  connecting: "widget_connecting",
  online: "widget_online",
  offline: "widget_offline",
};

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
