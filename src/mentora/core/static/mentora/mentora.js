// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the main region after skip-link activation in browsers that do not.
  const skip = document.querySelector(".skip-link");
  if (skip) {
    skip.addEventListener("click", () => document.getElementById("main")?.focus());
  }

  // The menu button of narrow screens opens and closes the main navigation; Escape closes it and
  // returns focus to the button.
  const toggle = document.querySelector(".nav-toggle");
  const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && menu) {
    const setOpen = (open) => {
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    };
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      setOpen(open);
      if (open) menu.querySelector("a")?.focus();
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // The app installs on a phone: its service worker keeps static files only (see service-worker.js).
  if ("serviceWorker" in navigator && document.body.dataset.serviceWorker) {
    navigator.serviceWorker.register(document.body.dataset.serviceWorker, { scope: "/" }).catch(() => {});
  }
});

// Filter drawers start folded on a phone (the page is rendered with them open, for browsers without scripts),
// and open again when the window widens.
(() => {
  const narrow = window.matchMedia("(max-width: 48rem)");
  const fold = () => document.querySelectorAll("details[data-drawer]").forEach((drawer) => {
    drawer.open = !narrow.matches;
  });
  document.addEventListener("DOMContentLoaded", fold);
  narrow.addEventListener("change", fold);
})();
