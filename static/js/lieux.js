/* The places search of the candidature form, as one types: the matches of the reference
 * (/referentiel/lieux/) become checkboxes beside the places already ticked. Without this
 * script the search button reloads the form with the same list (ateliers/views/appels.py).
 * Names reach the DOM as text (textContent), never as HTML. */
(function () {
  "use strict";
  var champ = document.querySelector("[data-lieux-recherche]");
  var liste = document.querySelector("[data-lieux-choix]");
  var statut = document.querySelector("[data-lieux-statut]");
  if (!champ || !liste || !window.fetch) { return; }
  var nom = liste.getAttribute("data-lieux-nom");
  var attente = null;

  function caseACocher(valeur, libelle) {
    var groupe = document.createElement("div");
    groupe.className = "fr-checkbox-group";
    var entree = document.createElement("input");
    entree.type = "checkbox";
    entree.name = nom;
    entree.value = valeur;
    entree.id = "id_lieux_" + valeur.replace(/[^a-z0-9]/gi, "_");
    var etiquette = document.createElement("label");
    etiquette.className = "fr-label";
    etiquette.htmlFor = entree.id;
    etiquette.textContent = libelle;
    groupe.appendChild(entree);
    groupe.appendChild(etiquette);
    return groupe;
  }

  function afficher(resultats) {
    var presents = {};
    Array.prototype.forEach.call(liste.querySelectorAll("input[type=checkbox]"), function (c) {
      if (c.checked) { presents[c.value] = true; } else { c.closest(".fr-checkbox-group").remove(); }
    });
    var vide = liste.querySelector("[data-lieux-vide]");
    if (vide) { vide.remove(); }
    var ajoutes = 0;
    resultats.forEach(function (r) {
      var valeur = r.type + ":" + r.code;
      if (presents[valeur]) { return; }
      liste.appendChild(caseACocher(valeur, r.nom + " — " + r.detail));
      ajoutes += 1;
    });
    statut.textContent = ajoutes > 1 ? ajoutes + " lieux trouvés." : ajoutes ? "1 lieu trouvé." : "Aucun lieu trouvé.";
  }

  function chercher(delai) {
    clearTimeout(attente);
    var q = champ.value.trim();
    if (q.length < 2) { return; }
    attente = setTimeout(function () {
      fetch("/referentiel/lieux/?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { resultats: [] }; })
        .then(function (data) { if (champ.value.trim() === q) { afficher(data.resultats); } })
        .catch(function () { /* the search button still works */ });
    }, delai);
  }
  champ.addEventListener("input", function () { chercher(150); });
  // Enter in the search field searches here instead of submitting the form.
  champ.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); chercher(0); }
  });
})();
