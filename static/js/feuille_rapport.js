// Restitution report: poll its state until it is ready or failed, then refresh the page.
(function () {
  "use strict";
  var box = document.querySelector("[data-rapport-etat]");
  if (!box) return;
  var status = box.getAttribute("data-statut");
  if (status === "pret" || status === "echec") return;
  var label = box.querySelector("[data-rapport-libelle]");
  var message = box.querySelector("[data-rapport-message]");
  var delay = 1500;
  function poll() {
    fetch(box.getAttribute("data-rapport-etat"), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      cache: "no-store",
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (label && data.libelle) label.textContent = data.libelle;
        if (message && data.message) message.textContent = data.message;
        if (data.termine) {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.3, 10000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, delay);
})();
