// Tell the server the browser's time zone (a cookie read on the next page), pre-fill the
// time-zone field if the person has not chosen one, and show event times in local time.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  document.cookie = "convene_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";

  document.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
    if (select.dataset.userChosen === "true") {
      return;
    }
    var option = Array.prototype.find.call(select.options, function (item) {
      return item.value === zone;
    });
    if (!option) {
      // The list has canonical zones only; a browser may report an older name of one
      // (Chromium: Asia/Calcutta), which the server accepts: offer it as it is.
      option = new Option(zone.replace(/_/g, " "), zone);
      select.add(option);
    }
    select.value = zone;
  });

  document.querySelectorAll("[data-local-time]").forEach(function (element) {
    var moment = new Date(element.getAttribute("data-local-time"));
    if (isNaN(moment.getTime())) {
      return;
    }
    var text = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      weekday: "short", day: "numeric", month: "short", year: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone, timeZoneName: "long"
    }).format(moment);
    element.textContent = element.getAttribute("data-local-prefix") + " " + text;
    element.hidden = false;
  });
})();
