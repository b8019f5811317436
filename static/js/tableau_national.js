/* The national dashboard's map of ateliers by state. Names reach the map as text nodes
 * (Leaflet gets elements, never an HTML string); no tile server: France's outline only. */
(function () {
  "use strict";
  var element = document.getElementById("carte-etats-fond");
  var donnees = document.getElementById("carte-etats-points");
  if (!element || !donnees || typeof L === "undefined") { return; }
  var COULEURS = {
    en_preparation: "#7b7b7b", en_cours: "#000091", restitue: "#18753c",
    en_mise_en_oeuvre: "#b34000", clos: "#3a3a3a"
  };
  var carte = L.map(element, { minZoom: 3, maxZoom: 12, zoomSnap: 0.5 });
  carte.attributionControl.setPrefix("Atelier des territoires");
  carte.fitBounds([[41.2, -5.3], [51.2, 9.7]]);
  window.atelierFondDeCarte(carte, element.getAttribute("data-fond"));
  JSON.parse(donnees.textContent).forEach(function (p) {
    L.circleMarker([p.lat, p.lon], {
      radius: 6, weight: 1, color: "#ffffff", fillOpacity: 0.9,
      fillColor: COULEURS[p.statut] || "#000091"
    }).bindTooltip(window.atelierTexte("span", String(p.titre) + " — " + String(p.etat))).addTo(carte);
  });
}());
