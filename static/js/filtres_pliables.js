// On a phone, the lauréats' filters start folded so that the results come first; the DSFR
// accordion opens them. This runs before the DSFR module sets the accordion up, so DSFR
// starts from the folded state. Without JavaScript the filters stay open.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 47.99em)").matches) {
    return;
  }
  document.querySelectorAll("[data-atelier-filtres-pliables]").forEach(function (section) {
    if (section.querySelector(".fr-error-text")) {
      return; // a filter to correct stays in view
    }
    var bouton = section.querySelector(".fr-accordion__btn");
    var volet = section.querySelector(".fr-collapse");
    bouton.setAttribute("aria-expanded", "false");
    volet.classList.remove("fr-collapse--expanded");
  });
})();
