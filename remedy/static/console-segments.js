/* Live SMS segment count in the console's reply composer. Optional: without JavaScript the
   Preview button shows the same count, computed by remedy/messaging/segments.py, which this
   mirrors (GSM-7 with its extension table: 160, or 153 per part; else UCS-2: 70, or 67). */
(function () {
  "use strict";
  var BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENSION = "\f^{}\\[~]|€";

  function segments(text) {
    var chars = Array.from(text);
    var gsm = chars.every(function (c) { return BASIC.indexOf(c) >= 0 || EXTENSION.indexOf(c) >= 0; });
    var widths = chars.map(function (c) {
      if (gsm) { return EXTENSION.indexOf(c) >= 0 ? 2 : 1; }
      return c.codePointAt(0) > 0xFFFF ? 2 : 1;
    });
    var units = widths.reduce(function (a, b) { return a + b; }, 0);
    var single = gsm ? 160 : 70;
    var multi = gsm ? 153 : 67;
    if (units === 0) { return { gsm: gsm, count: 0 }; }
    if (units <= single) { return { gsm: gsm, count: 1 }; }
    var count = 1;
    var used = 0;
    widths.forEach(function (w) {
      if (used + w > multi) { count += 1; used = 0; }
      used += w;
    });
    return { gsm: gsm, count: count };
  }

  var box = document.getElementById("reply-body");
  var live = document.getElementById("reply-live");
  if (!box || !live) { return; }
  var output = live.querySelector("output");
  function update() {
    var info = segments(box.value.replace(/\r\n/g, "\n").trim());
    output.textContent = info.count + " · " + (info.gsm ? live.dataset.gsm : live.dataset.ucs);
  }
  live.hidden = false;
  box.addEventListener("input", update);
  update();
}());
