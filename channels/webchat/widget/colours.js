// The agency's brand colour, made readable (WCAG contrast): darkened until white text on
// it reaches 4.5:1, with a darker shade and a light tint.

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
