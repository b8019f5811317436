/* The atelier's map: the territory's perimeter (or point), its communes and its
   demonstrator sites, over the base map (fond_de_carte.js). Data comes from the JSON block
   #carte-donnees; names reach the DOM as text (tooltips get DOM nodes, not strings). */
(function () {
  "use strict";
  var element = document.getElementById("carte-atelier");
  var source = document.getElementById("carte-donnees");
  if (!element || !source || typeof L === "undefined") { return; }
  var donnees = JSON.parse(source.textContent);
  var carte = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  var groupe = L.featureGroup().addTo(carte);
  window.atelierFondDeCarte(carte, element.getAttribute("data-fond"));
  var texte = window.atelierTexte;
  var territoire = donnees.territoire || {};
  (donnees.communes || []).forEach(function (commune) {
    L.geoJSON(commune.contour, {
      style: { color: "#6a6af4", weight: 1, fillOpacity: 0, dashArray: "3 3" }
    }).bindTooltip(texte("span", commune.nom)).addTo(groupe);
  });
  if (territoire.perimetre) {
    L.geoJSON(territoire.perimetre, {
      style: { color: "#000091", weight: 2, fillOpacity: 0.08 }
    }).bindTooltip(texte("span", territoire.nom)).addTo(groupe);
  } else if (territoire.point) {
    L.circleMarker([territoire.point[1], territoire.point[0]], {
      radius: 8, color: "#000091", fillOpacity: 0.4
    }).bindTooltip(texte("span", territoire.nom)).addTo(groupe);
  }
  (donnees.sites || []).forEach(function (site) {
    L.geoJSON(site.geometrie, {
      style: { color: "#b34000", weight: 3, fillOpacity: 0.25 },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 7, color: "#b34000", fillOpacity: 0.8 });
      }
    }).bindTooltip(texte("span", site.nom)).addTo(groupe);
  });
  if (groupe.getLayers().length) {
    carte.fitBounds(groupe.getBounds(), { padding: [24, 24], maxZoom: 13 });
  } else {
    carte.setView([46.6, 2.4], 5);
  }
  window.atelierCarte = carte;
})();
