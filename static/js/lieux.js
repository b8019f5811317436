/* Search-as-you-type over a long list, for the forms: the places of the candidature form
 * (/referentiel/lieux/) and the organisations of the roadmap's action form (porteur,
 * partenaires: /espace/organisations/). Each search field ([data-lieux-recherche]) controls
 * the list of choices named by its aria-controls; the matches become checkboxes (or radio
 * buttons) beside the choices already ticked, and a polite live region says how many were
 * found. Arrow down goes from the field to the first choice. Without this script the search
 * button reloads the form with the same list, searched on the server.
 * Names reach the DOM as text (textContent), never as HTML. */
(function () {
  "use strict";
  if (!window.fetch) { return; }

  function brancher(champ) {
    var liste = document.getElementById(champ.getAttribute("aria-controls"));
    if (!liste) { return; }
    var groupe = liste.closest("fieldset") || liste.parentNode;
    var statut = groupe.querySelector("[data-lieux-statut]");
    var nom = liste.getAttribute("data-lieux-nom");
    var type = liste.getAttribute("data-lieux-type") || "checkbox";
    var url = liste.getAttribute("data-lieux-url") || "/referentiel/lieux/";
    var un = liste.getAttribute("data-lieux-un") || "1 lieu trouvé.";
    var plusieurs = liste.getAttribute("data-lieux-plusieurs") || " lieux trouvés.";
    var aucun = liste.getAttribute("data-lieux-aucun") || "Aucun lieu trouvé.";
    var attente = null;

    function choix(valeur, libelle) {
      var bloc = document.createElement("div");
      bloc.className = type === "radio" ? "fr-radio-group" : "fr-checkbox-group";
      var entree = document.createElement("input");
      entree.type = type;
      entree.name = nom;
      entree.value = valeur;
      entree.id = "id_" + nom + "_" + valeur.replace(/[^a-z0-9]/gi, "_");
      var etiquette = document.createElement("label");
      etiquette.className = "fr-label";
      etiquette.htmlFor = entree.id;
      etiquette.textContent = libelle;
      bloc.appendChild(entree);
      bloc.appendChild(etiquette);
      return bloc;
    }

    function afficher(resultats) {
      var presents = {};
      Array.prototype.forEach.call(liste.querySelectorAll("input"), function (c) {
        var bloc = c.closest(".fr-checkbox-group, .fr-radio-group");
        if (c.checked || bloc.hasAttribute("data-lieux-garder")) { presents[c.value] = true; } else { bloc.remove(); }
      });
      var vide = liste.querySelector("[data-lieux-vide]");
      if (vide) { vide.remove(); }
      var ajoutes = 0;
      resultats.forEach(function (r) {
        var valeur = r.valeur !== undefined ? r.valeur : r.type + ":" + r.code;
        var libelle = r.libelle !== undefined ? r.libelle : r.nom + " — " + r.detail;
        if (presents[valeur]) { return; }
        liste.appendChild(choix(valeur, libelle));
        ajoutes += 1;
      });
      if (statut) { statut.textContent = ajoutes > 1 ? ajoutes + plusieurs : ajoutes ? un : aucun; }
    }

    function chercher(delai) {
      clearTimeout(attente);
      var q = champ.value.trim();
      if (q.length < 2) { return; }
      attente = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { resultats: [] }; })
          .then(function (data) { if (champ.value.trim() === q) { afficher(data.resultats); } })
          .catch(function () { /* the search button still works */ });
      }, delai);
    }
    champ.addEventListener("input", function () { chercher(150); });
    champ.addEventListener("keydown", function (e) {
      // Enter in the search field searches here instead of submitting the form.
      if (e.key === "Enter") { e.preventDefault(); chercher(0); }
      if (e.key === "ArrowDown") {
        var premier = liste.querySelector("input");
        if (premier) { e.preventDefault(); premier.focus(); }
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-lieux-recherche]"), brancher);
})();
