// The socket.io transport: loading the client, the session, sending the queue one
// message at a time, and Rasa's acknowledgements.

var SOCKET_IO_FILE = "vendor/socket.io-client-4.8.4/socket.io.min.js";
// The ack of a message comes when Rasa has finished answering it. A lost connection is
// noticed (and the message re-sent) long before this; after it, we stop waiting so that
// one failed turn on the server cannot block the queue forever.
var ACK_GIVE_UP_MS = 90000;

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
    // The same session as before (signed by the server), or null to get a new one.
    self.requestedSession = self.state.sessionId;
    socket.emit("session_request", { session_id: self.state.sessionId });
  });
  socket.on("session_confirm", function (sessionId) {
    var id = typeof sessionId === "string" ? sessionId : sessionId && sessionId.session_id;
    if (!id) return;
    // Another id than the one asked for: the server does not continue that conversation.
    var refused = self.requestedSession && id !== self.requestedSession;
    self.requestedSession = null;
    if (refused) self.sessionRefused();
    if (id !== self.state.sessionId) {
      self.state.sessionId = id;
      self.save();
    }
    if (refused && !self.panel.hidden) self.startConversation();
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
      // No session id: the server knows this socket's session (session_confirm).
      message: item.message,
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
