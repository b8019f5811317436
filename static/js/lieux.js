/* Search-as-you-type over a long list, for the forms: the places of the candidature form
 * (/referentiel/lieux/) and the organisations of the roadmap's action form (porteur,
 * partenaires: /espace/organisations/).
 *
 * Each search field ([data-lieux-recherche], whose value names the list of choices it feeds)
 * becomes an ARIA 1.2 combobox with a list popup (the APG « list autocomplete with manual
 * selection »): the matches fill a listbox under the field; arrow keys move the active option
 * (aria-activedescendant: the focus stays in the field), Enter or a click chooses it, Escape
 * closes the list (then clears the field). A chosen match becomes a ticked checkbox (or the
 * checked radio button) of the choices, which the form sends as before; a polite live region
 * says how many were found and what was chosen.
 * Without this script the search button reloads the form with the matches, searched on the
 * server. Names reach the DOM as text (textContent), never as HTML. */
(function () {
  "use strict";
  if (!window.fetch) { return; }

  function brancher(champ) {
    var liste = document.getElementById(champ.getAttribute("data-lieux-recherche"));
    if (!liste) { return; }
    var groupe = liste.closest("fieldset") || liste.parentNode;
    var statut = groupe.querySelector("[data-lieux-statut]");
    var nom = liste.getAttribute("data-lieux-nom");
    var type = liste.getAttribute("data-lieux-type") || "checkbox";
    var url = liste.getAttribute("data-lieux-url") || "/referentiel/lieux/";
    var un = liste.getAttribute("data-lieux-un") || "1 lieu trouvé.";
    var plusieurs = liste.getAttribute("data-lieux-plusieurs") || " lieux trouvés.";
    var aucun = liste.getAttribute("data-lieux-aucun") || "Aucun lieu trouvé.";
    var consigne = " Flèches haut et bas pour parcourir, Entrée pour choisir.";
    var attente = null;
    var actif = -1;

    // The popup: a listbox under the field, named by the field's label.
    var options = document.createElement("ul");
    options.id = champ.id + "-options";
    options.className = "atelier-combobox__options";
    options.setAttribute("role", "listbox");
    var etiquette = document.querySelector("label[for='" + champ.id + "']");
    if (etiquette) {
      etiquette.id = etiquette.id || champ.id + "-libelle";
      options.setAttribute("aria-labelledby", etiquette.id);
    }
    options.hidden = true;
    (champ.closest(".atelier-lieux__recherche") || champ.parentNode).appendChild(options);

    champ.setAttribute("role", "combobox");
    champ.setAttribute("aria-autocomplete", "list");
    champ.setAttribute("aria-expanded", "false");
    champ.setAttribute("aria-controls", options.id);

    function dire(texte) { if (statut) { statut.textContent = texte; } }

    function elements() { return options.querySelectorAll("[role=option]"); }

    function ouvrir() {
      if (!elements().length) { return; }
      options.hidden = false;
      champ.setAttribute("aria-expanded", "true");
    }

    function fermer() {
      options.hidden = true;
      champ.setAttribute("aria-expanded", "false");
      activer(-1);
    }

    function activer(n) {
      var tous = elements();
      Array.prototype.forEach.call(tous, function (o, i) {
        o.classList.toggle("atelier-combobox__option--active", i === n);
      });
      actif = n;
      if (n < 0 || !tous[n]) {
        champ.removeAttribute("aria-activedescendant");
        return;
      }
      champ.setAttribute("aria-activedescendant", tous[n].id);
      tous[n].scrollIntoView({ block: "nearest" });
    }

    function deplacer(pas) {
      var n = elements().length;
      if (!n) { return; }
      if (options.hidden) { ouvrir(); activer(pas > 0 ? 0 : n - 1); return; }
      activer(actif < 0 ? (pas > 0 ? 0 : n - 1) : (actif + pas + n) % n);
    }

    function caseDe(valeur) {
      return Array.prototype.find.call(liste.querySelectorAll("input"), function (c) {
        return c.value === valeur;
      });
    }

    function nouvelleCase(valeur, libelle) {
      var bloc = document.createElement("div");
      bloc.className = type === "radio" ? "fr-radio-group" : "fr-checkbox-group";
      var entree = document.createElement("input");
      entree.type = type;
      entree.name = nom;
      entree.value = valeur;
      entree.id = "id_" + nom + "_" + valeur.replace(/[^a-z0-9]/gi, "_");
      var texte = document.createElement("label");
      texte.className = "fr-label";
      texte.htmlFor = entree.id;
      texte.textContent = libelle;
      bloc.appendChild(entree);
      bloc.appendChild(texte);
      var vide = liste.querySelector("[data-lieux-vide]");
      if (vide) { vide.remove(); }
      liste.appendChild(bloc);
      return entree;
    }

    function choisir(option) {
      var valeur = option.getAttribute("data-valeur");
      var libelle = option.textContent;
      var entree = caseDe(valeur) || nouvelleCase(valeur, libelle);
      entree.checked = true;
      entree.dispatchEvent(new Event("change", { bubbles: true }));
      Array.prototype.forEach.call(elements(), function (o) {
        var c = caseDe(o.getAttribute("data-valeur"));
        o.setAttribute("aria-selected", c && c.checked ? "true" : "false");
      });
      fermer();
      dire("Choisi : " + libelle + ".");
    }

    function afficher(resultats) {
      options.textContent = "";
      resultats.forEach(function (r, i) {
        var valeur = r.valeur !== undefined ? r.valeur : r.type + ":" + r.code;
        var option = document.createElement("li");
        option.id = options.id + "-" + i;
        option.className = "atelier-combobox__option";
        option.setAttribute("role", "option");
        option.setAttribute("data-valeur", valeur);
        var present = caseDe(valeur);
        option.setAttribute("aria-selected", present && present.checked ? "true" : "false");
        option.textContent = r.libelle !== undefined ? r.libelle : r.nom + " — " + r.detail;
        options.appendChild(option);
      });
      activer(-1);
      if (resultats.length) { ouvrir(); } else { fermer(); }
      var n = resultats.length;
      dire(n > 1 ? n + plusieurs + consigne : n ? un + consigne : aucun);
    }

    function chercher(delai) {
      clearTimeout(attente);
      var q = champ.value.trim();
      if (q.length < 2) { options.textContent = ""; fermer(); return; }
      attente = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { resultats: [] }; })
          .then(function (data) { if (champ.value.trim() === q) { afficher(data.resultats); } })
          .catch(function () { /* the search button still works */ });
      }, delai);
    }

    champ.addEventListener("input", function () { chercher(150); });
    champ.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (e.altKey) { ouvrir(); return; }
        deplacer(e.key === "ArrowDown" ? 1 : -1);
      } else if (e.key === "Enter") {
        // Enter chooses the active option, or searches here: never submits the form.
        e.preventDefault();
        if (!options.hidden && actif >= 0) { choisir(elements()[actif]); } else { chercher(0); }
      } else if (e.key === "Escape") {
        if (!options.hidden) { e.preventDefault(); fermer(); } else if (champ.value) { e.preventDefault(); champ.value = ""; }
      }
    });
    champ.addEventListener("blur", function () { fermer(); });
    // A press on an option keeps the focus in the field (no blur that would close the list).
    options.addEventListener("mousedown", function (e) { e.preventDefault(); });
    options.addEventListener("click", function (e) {
      var option = e.target.closest("[role=option]");
      if (option) { choisir(option); }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-lieux-recherche]"), brancher);
})();
