/* What every map shares: the base map and Leaflet's controls in French.
 *
 * The base map is two layers. Underneath, the départements' contours shipped with the site
 * (static/js/france.geojson, from the official geography): always there, so a map stays
 * legible with no network (tests, a machine offline). Above, the tile layer the settings
 * name (ATELIER_CARTE_TUILES_URL, default Plan IGN of the Géoplateforme), loaded by the
 * browser; where its tiles fail to load, the contours show through.
 *
 * Every text a person typed reaches the DOM through textContent (atelierTexte), never as
 * HTML: popups and tooltips are given DOM nodes, not strings. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  // French titles and labels for Leaflet's own controls.
  L.Control.Zoom.prototype.options.zoomInTitle = "Zoom avant";
  L.Control.Zoom.prototype.options.zoomOutTitle = "Zoom arrière";
  L.Control.Attribution.prototype.options.prefix = false;

  function texte(balise, contenu, classe) {
    var element = document.createElement(balise);
    element.textContent = contenu == null ? "" : String(contenu);
    if (classe) { element.className = classe; }
    return element;
  }
  window.atelierTexte = texte;

  function echapperHtml(contenu) {
    return texte("span", contenu).innerHTML;
  }

  function franciser(carte) {
    var conteneur = carte.getContainer();
    conteneur.setAttribute("aria-roledescription", "carte");
    // Leaflet writes English labels into a few controls at render time: put French ones.
    carte.on("popupopen", function (e) {
      var bouton = e.popup.getElement() && e.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (bouton) {
        bouton.setAttribute("aria-label", "Fermer la bulle");
        bouton.setAttribute("title", "Fermer la bulle");
      }
    });
    conteneur.querySelectorAll(".leaflet-control-zoom a").forEach(function (a) {
      a.setAttribute("aria-label", a.getAttribute("title"));
    });
  }

  var contoursCharges = {};
  function contours(url) {
    if (!contoursCharges[url]) {
      contoursCharges[url] = fetch(url).then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      });
    }
    return contoursCharges[url];
  }

  /* options.sansAttribution: for an inset beside a map that already credits the tiles. */
  window.atelierFondDeCarte = function (carte, url, options) {
    options = options || {};
    franciser(carte);
    if (!carte.getPane("contours")) {
      carte.createPane("contours").style.zIndex = 150; // under the tiles (200)
    }
    var corps = document.body;
    var tuiles = corps.getAttribute("data-carte-tuiles");
    if (tuiles) {
      var couche = L.tileLayer(tuiles, {
        attribution: options.sansAttribution ? "" : echapperHtml(corps.getAttribute("data-carte-attribution") || ""),
        maxZoom: 19,
        minZoom: 0,
        className: "atelier-carte__tuiles"
      });
      couche.on("tileerror", function (e) {
        // A failed tile becomes transparent: the contours beneath show through.
        if (e.tile) { e.tile.style.visibility = "hidden"; }
      });
      if (!carte.attributionControl && !options.sansAttribution) {
        carte.attributionControl = L.control.attribution({ prefix: false }).addTo(carte);
      }
      couche.addTo(carte);
    }
    if (!url) { return Promise.resolve(null); }
    return contours(url).then(function (data) {
      return L.geoJSON(data, {
        pane: "contours",
        interactive: false,
        style: { color: "#8a8aa8", weight: 0.8, fillColor: "#f6f6f6", fillOpacity: 1 }
      }).addTo(carte);
    }).catch(function () { return null; /* background only */ });
  };
})();
