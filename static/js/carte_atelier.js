/* The atelier's map: the territory's perimeter (or point) and its demonstrator sites.
   Data comes from the JSON block #carte-donnees; no tile layer (no third-party requests). */
(function () {
  "use strict";
  var element = document.getElementById("carte-atelier");
  var source = document.getElementById("carte-donnees");
  if (!element || !source || typeof L === "undefined") { return; }
  var donnees = JSON.parse(source.textContent);
  // Names are typed by people (an applicant's territory, a pilote's site): a text node,
  // never an HTML string handed to Leaflet.
  function texte(valeur) {
    var span = document.createElement("span");
    span.textContent = valeur || "";
    return span;
  }
  var carte = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  var groupe = L.featureGroup().addTo(carte);
  window.atelierFondDeCarte(carte, element.getAttribute("data-fond"));
  var territoire = donnees.territoire || {};
  if (territoire.perimetre) {
    L.geoJSON(territoire.perimetre, {
      style: { color: "#000091", weight: 2, fillOpacity: 0.08 }
    }).bindTooltip(texte(territoire.nom)).addTo(groupe);
  } else if (territoire.point) {
    L.circleMarker([territoire.point[1], territoire.point[0]], {
      radius: 8, color: "#000091", fillOpacity: 0.4
    }).bindTooltip(texte(territoire.nom)).addTo(groupe);
  }
  (donnees.sites || []).forEach(function (site) {
    L.geoJSON(site.geometrie, {
      style: { color: "#b34000", weight: 3, fillOpacity: 0.25 },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 7, color: "#b34000", fillOpacity: 0.8 });
      }
    }).bindTooltip(texte(site.nom)).addTo(groupe);
  });
  if (groupe.getLayers().length) {
    carte.fitBounds(groupe.getBounds(), { padding: [24, 24], maxZoom: 13 });
  } else {
    carte.setView([46.6, 2.4], 5);
  }
  window.atelierCarte = carte;
})();
