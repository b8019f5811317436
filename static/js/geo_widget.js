/* Drawing widget for a demonstrator site: a point, a polygon or a rectangle drawn with the
   bundled Leaflet.draw plugin. The geometry is stored as GeoJSON in the hidden input marked
   data-geo-widget; the server validates it (France, well-formed) with territoires.geo. */
(function () {
  "use strict";
  var input = document.querySelector("input[data-geo-widget]");
  var element = document.getElementById("geo-widget-carte");
  if (!input || !element || typeof L === "undefined" || !L.Control.Draw) { return; }
  francais(L.drawLocal);
  var source = document.getElementById("carte-donnees");
  var donnees = source ? JSON.parse(source.textContent) : {};
  var carte = L.map(element, { attributionControl: false });
  var contexte = L.featureGroup().addTo(carte);
  window.atelierFondDeCarte(carte, element.getAttribute("data-fond"));
  var territoire = donnees.territoire || {};
  (donnees.communes || []).forEach(function (commune) {
    L.geoJSON(commune.contour, { style: { color: "#6a6af4", weight: 1, fillOpacity: 0, dashArray: "3 3" } })
      .bindTooltip(window.atelierTexte("span", commune.nom)).addTo(contexte);
  });
  if (territoire.perimetre) {
    L.geoJSON(territoire.perimetre, { style: { color: "#000091", weight: 2, fillOpacity: 0.05 } }).addTo(contexte);
  } else if (territoire.point) {
    L.circleMarker([territoire.point[1], territoire.point[0]], { radius: 6, color: "#000091" }).addTo(contexte);
  }
  var dessin = L.featureGroup().addTo(carte);
  var statut = document.getElementById("geo-widget-statut");

  function francais(t) {
    t.draw.toolbar.actions = { title: "Annuler le dessin", text: "Annuler" };
    t.draw.toolbar.finish = { title: "Terminer le dessin", text: "Terminer" };
    t.draw.toolbar.undo = { title: "Supprimer le dernier point", text: "Supprimer le dernier point" };
    t.draw.toolbar.buttons = { polygon: "Dessiner un périmètre", rectangle: "Dessiner un rectangle", marker: "Placer un point", polyline: "", circle: "", circlemarker: "" };
    t.draw.handlers.polyline.error = "<strong>Erreur :</strong> les côtés du périmètre ne peuvent pas se croiser.";
    t.draw.handlers.marker.tooltip.start = "Cliquez sur la carte pour placer le point.";
    t.draw.handlers.polygon.tooltip = { start: "Cliquez pour commencer le périmètre.", cont: "Cliquez pour continuer le périmètre.", end: "Cliquez sur le premier point pour fermer le périmètre." };
    t.draw.handlers.rectangle.tooltip.start = "Cliquez et faites glisser pour dessiner un rectangle.";
    t.draw.handlers.simpleshape.tooltip.end = "Relâchez la souris pour terminer.";
    t.edit.toolbar.actions.save = { title: "Enregistrer les modifications", text: "Enregistrer" };
    t.edit.toolbar.actions.cancel = { title: "Annuler les modifications", text: "Annuler" };
    t.edit.toolbar.actions.clearAll = { title: "Tout effacer", text: "Tout effacer" };
    t.edit.toolbar.buttons = { edit: "Modifier la géométrie", editDisabled: "Rien à modifier", remove: "Effacer la géométrie", removeDisabled: "Rien à effacer" };
    t.edit.handlers.edit.tooltip = { text: "Déplacez les poignées pour modifier la géométrie.", subtext: "Cliquez sur Annuler pour revenir en arrière." };
    t.edit.handlers.remove.tooltip.text = "Cliquez sur la géométrie à effacer.";
  }

  function annoncer(texte) { if (statut) { statut.textContent = texte; } }

  function enregistrer(layer) {
    dessin.clearLayers();
    dessin.addLayer(layer);
    input.value = JSON.stringify(layer.toGeoJSON().geometry);
    var type = layer.toGeoJSON().geometry.type;
    annoncer(type === "Point" ? "Point placé sur la carte." : "Périmètre dessiné sur la carte.");
  }

  if (input.value) {
    try {
      L.geoJSON(JSON.parse(input.value)).eachLayer(function (layer) { dessin.addLayer(layer); });
    } catch (e) { input.value = ""; }
  }

  var controle = new L.Control.Draw({
    position: "topright",
    draw: { polyline: false, circle: false, circlemarker: false, marker: true, polygon: { allowIntersection: false, showArea: false }, rectangle: true },
    edit: { featureGroup: dessin, remove: true }
  });
  carte.addControl(controle);
  carte.on(L.Draw.Event.CREATED, function (event) { enregistrer(event.layer); });
  carte.on(L.Draw.Event.EDITED, function () {
    dessin.eachLayer(function (layer) { input.value = JSON.stringify(layer.toGeoJSON().geometry); });
    annoncer("Géométrie modifiée.");
  });
  carte.on(L.Draw.Event.DELETED, function () { input.value = ""; annoncer("Géométrie effacée."); });

  var tout = L.featureGroup([contexte, dessin]);
  if (dessin.getLayers().length) {
    carte.fitBounds(dessin.getBounds(), { padding: [24, 24], maxZoom: 14 });
  } else if (contexte.getLayers().length) {
    carte.fitBounds(tout.getBounds(), { padding: [24, 24], maxZoom: 12 });
  } else {
    carte.setView([46.6, 2.4], 5);
  }
  rechercheDeCommune(carte);
  window.geoWidgetCarte = carte;

  /* Commune search (the reference, served by the site: works offline): choosing a commune
     centres the map on it, to draw there. */
  function rechercheDeCommune(carte) {
    var champ = document.getElementById("geo-widget-recherche");
    var liste = document.getElementById("geo-widget-resultats");
    if (!champ || !liste) { return; }
    var attente = null;
    function choisir(resultat) {
      liste.replaceChildren();
      var c = resultat.point;
      carte.setView([c[1], c[0]], resultat.type === "commune" ? 13 : 11);
      annoncer("Carte centrée sur " + resultat.nom + ".");
    }
    function afficher(resultats) {
      liste.replaceChildren();
      resultats.filter(function (r) { return r.point; }).forEach(function (r) {
        var item = document.createElement("li");
        var bouton = window.atelierTexte("button", r.nom + " — " + r.detail, "fr-btn fr-btn--tertiary-no-outline fr-btn--sm");
        bouton.type = "button";
        bouton.addEventListener("click", function () { choisir(r); });
        item.appendChild(bouton);
        liste.appendChild(item);
      });
      annoncer(resultats.length > 1 ? resultats.length + " lieux trouvés." : resultats.length ? "1 lieu trouvé." : "Aucun lieu trouvé.");
    }
    champ.addEventListener("input", function () {
      clearTimeout(attente);
      var q = champ.value.trim();
      if (q.length < 2) { liste.replaceChildren(); return; }
      attente = setTimeout(function () {
        fetch("/referentiel/lieux/?q=" + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { resultats: [] }; })
          .then(function (data) { if (champ.value.trim() === q) { afficher(data.resultats); } })
          .catch(function () { /* the search is an aid; drawing still works */ });
      }, 150);
    });
    champ.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); var premier = liste.querySelector("button"); if (premier) { premier.click(); } }
    });
    champ.closest(".fr-search-bar, .fr-input-group").hidden = false;
  }
})();
