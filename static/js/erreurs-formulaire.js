// Move the focus to the first field in error so keyboard and screen-reader users land on it
// (RGAA 11.10-11.11). Loaded with the CSP nonce; no inline script.
(function () {
  "use strict";
  function focusFirstError() {
    var field = document.querySelector('main [aria-invalid="true"], main .fr-input-group--error input, main .fr-input-group--error select, main .fr-input-group--error textarea');
    if (field) {
      field.focus();
      return;
    }
    var alert = document.querySelector("main .fr-alert--error");
    if (alert) {
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }
})();
