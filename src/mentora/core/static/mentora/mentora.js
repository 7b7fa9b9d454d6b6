// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the main region after skip-link activation in browsers that do not.
  const skip = document.querySelector(".skip-link");
  if (skip) {
    skip.addEventListener("click", () => document.getElementById("main")?.focus());
  }
});
