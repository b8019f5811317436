/* The maps' background: a simplified outline of France and its overseas territories,
   shipped with the site (static/js/france.geojson) since no tile server is ever called. */
window.atelierFondDeCarte = function (carte, url) {
  "use strict";
  if (!url) { return; }
  fetch(url).then(function (r) { return r.json(); }).then(function (data) {
    L.geoJSON(data, {
      interactive: false,
      style: { color: "#8a8aa8", weight: 1, fillColor: "#f6f6f6", fillOpacity: 1 }
    }).addTo(carte).bringToBack();
  }).catch(function () { /* background only */ });
};
