// Move focus to an error summary so screen reader and keyboard users hear the problem first
// (the GOV.UK error summary pattern). Everything else works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
});
