// Move focus to an error summary so screen reader and keyboard users hear the problem first
// (the GOV.UK error summary pattern). Everything else works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
});

// A table wider than the screen scrolls inside its .table-wrap: make that region reachable by keyboard
// and named (from the table's caption) wherever a template has not done so already.
document.addEventListener("DOMContentLoaded", function () {
  var wraps = document.querySelectorAll(".table-wrap:not([tabindex])");
  for (var i = 0; i < wraps.length; i++) {
    var wrap = wraps[i];
    var caption = wrap.querySelector("caption");
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
  }
});
