// A time-zone select still showing the default zone takes the zone of this device's clock, and says so.
// (A static file: the Content-Security-Policy allows no inline script.)
(function () {
  "use strict";
  function fromBrowser(select) {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (error) { return; }
    if (!zone || select.value !== select.dataset.timeZoneFromBrowser || zone === select.value) { return; }
    var known = Array.prototype.some.call(select.options, function (option) { return option.value === zone; });
    if (!known) { return; }
    select.value = zone;
    var note = document.createElement("p");
    note.className = "help time-zone-note";
    note.id = select.id + "-from-browser";
    note.textContent = "Set to " + zone.replace(/_/g, " ") + " from this device's clock. Change it if that is wrong, then save.";
    select.insertAdjacentElement("afterend", note);
    var described = select.getAttribute("aria-describedby");
    select.setAttribute("aria-describedby", (described ? described + " " : "") + note.id);
  }
  function run() {
    document.querySelectorAll("select[data-time-zone-from-browser]").forEach(fromBrowser);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); } else { run(); }
})();
