/* Public maps: the lauréat map (clustered markers from the GeoJSON export, perimeters when
 * zoomed in) and a territory's map (point, perimeter, demonstrator sites).
 * No tile layer (no network): a light outline of France is drawn as the background.
 * Clustering is a simple screen grid, recomputed on zoom: no extra library. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  var FRANCE = [[41.2, -5.3], [51.2, 9.7]];
  var FORMATS = { multisite: "Multisite", local: "Local", flash: "Flash" };
  var CELLULE = 56; // px: markers closer than this are grouped
  var ZOOM_PERIMETRES = 9;

  // User text (names, sessions) reaches the DOM as text nodes: Leaflet gets elements, never
  // an HTML string.
  function noeud(balise, classe, texte) {
    var el = document.createElement(balise);
    if (classe) { el.className = classe; }
    if (texte != null) { el.textContent = String(texte); }
    return el;
  }

  function creerCarte(element) {
    var carte = L.map(element, { minZoom: 3, maxZoom: 16, zoomSnap: 0.5, attributionControl: true });
    carte.attributionControl.setPrefix("Atelier des territoires");
    carte.fitBounds(FRANCE);
    window.atelierFondDeCarte(carte, element.getAttribute("data-fond"));
    return carte;
  }

  function popup(p) {
    var contenu = document.createElement("div");
    var lien = noeud("a", "", p.territoire);
    lien.setAttribute("href", String(p.url || "").replace(/^https?:\/\/[^/]+/, ""));
    var titre = noeud("p", "fr-mb-1v");
    titre.appendChild(noeud("strong")).appendChild(lien);
    var details = noeud("p", "fr-text--sm fr-mb-0", "Atelier " + (FORMATS[p.format] || p.format) + " — " + p.annee);
    [p.session, p.region].forEach(function (ligne) {
      if (!ligne) { return; }
      details.appendChild(document.createElement("br"));
      details.appendChild(document.createTextNode(String(ligne)));
    });
    contenu.appendChild(titre);
    contenu.appendChild(details);
    return contenu;
  }

  function carteLaureats(element) {
    var carte = creerCarte(element);
    var marqueurs = L.layerGroup().addTo(carte);
    var perimetres = L.layerGroup();
    var points = [];

    function regrouper() {
      marqueurs.clearLayers();
      var zoom = carte.getZoom();
      var cellules = {};
      points.forEach(function (pt) {
        var px = carte.project(pt.latlng, zoom);
        var cle = Math.floor(px.x / CELLULE) + ":" + Math.floor(px.y / CELLULE);
        (cellules[cle] = cellules[cle] || []).push(pt);
      });
      Object.keys(cellules).forEach(function (cle) {
        var groupe = cellules[cle];
        if (groupe.length === 1 || zoom >= carte.getMaxZoom()) {
          groupe.forEach(function (pt) {
            var p = pt.feature.properties;
            var marque = noeud("span", "atelier-marqueur atelier-marqueur--" + String(p.format).replace(/[^a-z]/g, ""));
            marque.style.display = "block";
            marque.appendChild(noeud("span", "fr-sr-only", p.territoire));
            var icone = L.divIcon({ className: "", html: marque, iconSize: [16, 16] });
            L.marker(pt.latlng, { icon: icone, title: p.territoire, alt: p.territoire, keyboard: true })
              .bindPopup(function () { return popup(p); }).addTo(marqueurs);
          });
          return;
        }
        var bornes = L.latLngBounds(groupe.map(function (pt) { return pt.latlng; }));
        var taille = groupe.length < 10 ? 30 : groupe.length < 100 ? 38 : 46;
        var libelle = groupe.length + " lauréats : zoomer sur ce groupe";
        var pastille = noeud("span", "atelier-groupe");
        pastille.style.width = taille + "px";
        pastille.style.height = taille + "px";
        pastille.appendChild(noeud("span", "", groupe.length)).setAttribute("aria-hidden", "true");
        pastille.appendChild(noeud("span", "fr-sr-only", libelle));
        var icone = L.divIcon({ className: "", html: pastille, iconSize: [taille, taille] });
        L.marker(bornes.getCenter(), { icon: icone, title: libelle, alt: libelle, keyboard: true })
          .on("click", function () {
            if (bornes.getNorthEast().equals(bornes.getSouthWest())) {
              carte.setView(bornes.getCenter(), Math.min(zoom + 3, carte.getMaxZoom()));
            } else {
              carte.fitBounds(bornes.pad(0.2));
            }
          })
          .addTo(marqueurs);
      });
      if (zoom >= ZOOM_PERIMETRES) { perimetres.addTo(carte); } else { perimetres.remove(); }
    }

    fetch(element.getAttribute("data-source"), { headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) {
        data.features.forEach(function (f) {
          if (f.geometry && f.geometry.type === "Point") {
            var c = f.geometry.coordinates; // GeoJSON order: lon, lat
            points.push({ latlng: L.latLng(c[1], c[0]), feature: f });
          }
          if (f.properties.perimetre) {
            L.geoJSON(f.properties.perimetre, { style: { color: "#000091", weight: 2, fillOpacity: 0.08 } })
              .bindPopup(function () { return popup(f.properties); }).addTo(perimetres);
          }
        });
        // Frame metropolitan France when it holds markers: the overseas ones would
        // otherwise zoom the map out to the whole globe.
        var metropole = L.latLngBounds(FRANCE);
        var cadres = points.filter(function (pt) { return metropole.contains(pt.latlng); });
        if (!cadres.length) { cadres = points; }
        if (cadres.length) {
          var bornes = L.latLngBounds(cadres.map(function (pt) { return pt.latlng; }));
          carte.fitBounds(bornes.pad(0.1), { maxZoom: 10 });
        }
        element.setAttribute("data-chargee", String(points.length));
        regrouper();
        carte.on("zoomend", regrouper);
      })
      .catch(function (erreur) {
        element.setAttribute("data-chargee", "erreur");
        var alerte = document.createElement("div");
        alerte.className = "fr-alert fr-alert--error fr-alert--sm fr-mt-2w";
        alerte.setAttribute("role", "alert");
        var texte = document.createElement("p");
        texte.textContent = erreur && erreur.message === "400"
          ? "Les filtres choisis ne sont pas valides : la carte ne peut pas les afficher. Corrigez-les dans le formulaire."
          : "La carte n'a pas pu être chargée. La liste des territoires donne le même contenu.";
        alerte.appendChild(texte);
        element.parentNode.insertBefore(alerte, element.nextSibling);
      });
  }

  function carteTerritoire(element) {
    var source = document.getElementById("donnees-carte-territoire");
    if (!source) { return; }
    var donnees = JSON.parse(source.textContent);
    var carte = creerCarte(element);
    var couches = L.featureGroup().addTo(carte);
    if (donnees.perimetre) {
      L.geoJSON(donnees.perimetre, { style: { color: "#000091", weight: 2, fillOpacity: 0.1 } }).addTo(couches);
    }
    if (donnees.point) {
      var c = donnees.point.coordinates;
      L.circleMarker([c[1], c[0]], { radius: 7, color: "#fff", weight: 2, fillColor: "#000091", fillOpacity: 1 }).addTo(couches);
    }
    (donnees.sites || []).forEach(function (site) {
      if (!site.geometry) { return; }
      L.geoJSON(site.geometry, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 6, color: "#fff", weight: 2, fillColor: "#1f8d49", fillOpacity: 1 });
        },
        style: { color: "#1f8d49", weight: 2, fillOpacity: 0.15 }
      }).bindTooltip(noeud("span", "", site.properties.nom)).addTo(couches);
    });
    if (couches.getLayers().length) {
      carte.fitBounds(couches.getBounds().pad(0.3), { maxZoom: 11 });
    }
  }

  document.querySelectorAll("[data-carte=laureats]").forEach(carteLaureats);
  document.querySelectorAll("[data-carte=territoire]").forEach(carteTerritoire);
})();
