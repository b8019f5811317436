// Nothing irreversible in one click (atelier/confirmation.py): a button that asks for a
// confirmation (name="confirmation" value="demandee") opens the page's one DSFR modal
// instead of submitting. The button carries what the modal says (data-confirmation-titre,
// -consequences, -bouton, -choix), written here as text; the modal's own button then submits
// the trigger's form (its "form" attribute) without that value: only then does the action
// happen. Without JavaScript, or without the modal, the button submits, and the server
// answers with a confirmation page. DSFR gives the focus back to the trigger on closing.
(function () {
  "use strict";

  // The label of what the user chose in the form (a radio button or a select), written as
  // text in the modal: « Vous allez enregistrer la décision « Retenue » ».
  function choix(form, nom) {
    const radio = form.querySelector('input[name="' + CSS.escape(nom) + '"]:checked');
    if (radio) {
      const label = form.querySelector('label[for="' + CSS.escape(radio.id) + '"]');
      return label ? label.textContent.trim() : radio.value;
    }
    const select = form.querySelector('select[name="' + CSS.escape(nom) + '"]');
    if (select && select.selectedIndex >= 0) {
      return select.options[select.selectedIndex].textContent.trim();
    }
    return "";
  }

  function consequences(bouton) {
    try {
      const phrases = JSON.parse(bouton.dataset.confirmationConsequences || "[]");
      return Array.isArray(phrases) ? phrases : [];
    } catch (erreur) {
      return [];
    }
  }

  // Writes the trigger's text into the modal; false when the modal cannot serve it.
  function remplir(modale, bouton, form) {
    const titre = modale.querySelector("[data-confirmation-titre]");
    const texte = modale.querySelector("[data-confirmation-consequences]");
    const confirmer = modale.querySelector("[data-confirmation-bouton]");
    if (!titre || !texte || !confirmer || !form.id || !bouton.dataset.confirmationTitre) {
      return false;
    }
    titre.textContent = bouton.dataset.confirmationTitre;
    texte.replaceChildren(
      ...consequences(bouton).map(function (phrase) {
        const p = document.createElement("p");
        p.textContent = phrase;
        return p;
      })
    );
    const ligne = modale.querySelector("[data-confirmation-choix]");
    if (ligne) {
      const nom = bouton.dataset.confirmationChoix;
      ligne.hidden = !nom;
      ligne.querySelector("strong").textContent = nom ? choix(form, nom) : "";
    }
    confirmer.textContent = bouton.dataset.confirmationBouton || "";
    confirmer.setAttribute("form", form.id);
    return true;
  }

  document.addEventListener("submit", function (event) {
    const bouton = event.submitter;
    if (!bouton || bouton.name !== "confirmation" || bouton.value !== "demandee") {
      return;
    }
    const modale = document.getElementById(bouton.getAttribute("aria-controls"));
    if (!modale || !window.dsfr || !remplir(modale, bouton, event.target)) {
      return; // the server shows the confirmation page
    }
    event.preventDefault();
    window.dsfr(modale).modal.disclose();
  });
})();
