// The frame of the interface: builds the whole, the host element and its shadow root,
// the coloured root, the panel; mounts it on the page, hidden until ready.

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

// The widget stays invisible until its style sheet and its texts are there, so the citizen
// never sees unstyled or unlabelled buttons.
Widget.prototype.ready = function (part) {
  this.waitingFor[part] = false;
  if (!this.waitingFor.stylesheet && !this.waitingFor.texts) this.host.style.visibility = "";
};
