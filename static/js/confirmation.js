// Nothing irreversible in one click (atelier/confirmation.py): a button that asks for a
// confirmation (name="confirmation" value="demandee") opens its DSFR modal instead of
// submitting. The modal's own button submits the same form without that value: only then
// does the action happen. Without JavaScript the button submits, and the server answers
// with a confirmation page.
(function () {
  "use strict";

  // The label of what the user chose in the form (a radio button or a select), written as
  // text in the modal: « Vous allez enregistrer la décision « Retenue » ».
  function choix(form, nom) {
    const radio = form.querySelector('input[name="' + nom + '"]:checked');
    if (radio) {
      const label = form.querySelector('label[for="' + radio.id + '"]');
      return label ? label.textContent.trim() : radio.value;
    }
    const select = form.querySelector('select[name="' + nom + '"]');
    if (select && select.selectedIndex >= 0) {
      return select.options[select.selectedIndex].textContent.trim();
    }
    return "";
  }

  document.addEventListener("submit", function (event) {
    const bouton = event.submitter;
    if (!bouton || bouton.name !== "confirmation" || bouton.value !== "demandee") {
      return;
    }
    const modale = document.getElementById(bouton.getAttribute("aria-controls"));
    if (!modale || !window.dsfr) {
      return; // the server shows the confirmation page
    }
    event.preventDefault();
    modale.querySelectorAll("[data-confirmation-choix]").forEach(function (element) {
      element.textContent = choix(event.target, element.dataset.confirmationChoix);
    });
    window.dsfr(modale).modal.disclose();
  });
})();
