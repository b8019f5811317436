/* Public maps: the lauréat map (clustered markers from the map's data layer, perimeters when
 * zoomed in, insets for the overseas départements) and a territory's map (perimeter, point,
 * demonstrator sites). The base map (tiles over the shipped contours) comes from
 * fond_de_carte.js. Clustering is a simple screen grid, recomputed on zoom: no extra library.
 * Every name reaches the DOM as text (atelierTexte): no HTML string is ever built. */
(function () {
  "use strict";
  if (typeof L === "undefined" || !window.atelierFondDeCarte) { return; }

  var texte = window.atelierTexte;
  // Metropolitan France with Corsica: always whole in the national frame, phone included.
  var METROPOLE = L.latLngBounds([[41.3, -5.2], [51.15, 9.6]]);
  var ENCARTS = [
    { nom: "Guadeloupe", bornes: [[15.83, -61.81], [16.52, -61.0]] },
    { nom: "Martinique", bornes: [[14.38, -61.24], [14.88, -60.8]] },
    { nom: "Guyane", bornes: [[2.1, -54.6], [5.8, -51.6]] },
    { nom: "La Réunion", bornes: [[-21.4, 55.21], [-20.86, 55.84]] },
    { nom: "Mayotte", bornes: [[-13.01, 45.01], [-12.63, 45.31]] }
  ];
  var LIBELLES = { multisite: "Multisite", local: "Local", flash: "Flash" };
  var APPROCHEES = {
    departement: "Localisation approchée : le département (la source ne donne pas de périmètre)",
    region: "Localisation approchée : la région (la source ne donne pas de périmètre)"
  };
  var CELLULE = 56; // px: markers closer than this are grouped
  var ZOOM_PERIMETRES = 9;

  function creerCarte(element, options, fond) {
    var carte = L.map(element, L.extend({ minZoom: 2, maxZoom: 18, zoomSnap: 0.25, zoomDelta: 0.5 }, options || {}));
    if (carte.attributionControl) { carte.attributionControl.setPrefix(false); }
    window.atelierFondDeCarte(carte, element.getAttribute("data-fond"), fond);
    return carte;
  }

  function bulle(laureat) {
    var racine = document.createElement("div");
    var titre = document.createElement("p");
    titre.className = "fr-mb-1v";
    var lien = texte("a", laureat.nom);
    // A historical lauréat has no territory page: its session page lists it with its source.
    lien.href = laureat.historique
      ? "/sessions/" + encodeURIComponent(laureat.slug) + "/"
      : "/territoires/" + encodeURIComponent(laureat.slug) + "/";
    var fort = document.createElement("strong");
    fort.appendChild(lien);
    titre.appendChild(fort);
    racine.appendChild(titre);
    var detail = document.createElement("p");
    detail.className = "fr-text--sm fr-mb-0";
    (laureat.historique ? [
      "Lauréat historique — " + laureat.annee,
      laureat.session,
      laureat.region,
      APPROCHEES[laureat.localisation] || ""
    ] : [
      "Atelier " + (LIBELLES[laureat.format] || laureat.format || "") + " — " + laureat.annee,
      laureat.session,
      laureat.region
    ]).filter(Boolean).forEach(function (ligne, i) {
      if (i) { detail.appendChild(document.createElement("br")); }
      detail.appendChild(document.createTextNode(ligne));
    });
    racine.appendChild(detail);
    return racine;
  }

  function marqueur(laureat) {
    var pastille = document.createElement("span");
    pastille.className = "atelier-marqueur atelier-marqueur--" + (laureat.historique ? "historique" : laureat.format || "autre");
    pastille.style.display = "block";
    pastille.appendChild(texte("span", laureat.nom, "fr-sr-only"));
    var icone = L.divIcon({ className: "", html: pastille, iconSize: [16, 16] });
    return L.marker(laureat.latlng, { icon: icone, title: laureat.nom, alt: laureat.nom, keyboard: true })
      .bindPopup(function () { return bulle(laureat); });
  }

  function groupe(laureats, bornes, carte, zoom) {
    var taille = laureats.length < 10 ? 30 : laureats.length < 100 ? 38 : 46;
    var libelle = laureats.length + " lauréats : zoomer sur ce groupe";
    var rond = document.createElement("span");
    rond.className = "atelier-groupe";
    rond.style.width = taille + "px";
    rond.style.height = taille + "px";
    var nombre = texte("span", laureats.length);
    nombre.setAttribute("aria-hidden", "true");
    rond.appendChild(nombre);
    rond.appendChild(texte("span", libelle, "fr-sr-only"));
    var icone = L.divIcon({ className: "", html: rond, iconSize: [taille, taille] });
    return L.marker(bornes.getCenter(), { icon: icone, title: libelle, alt: libelle, keyboard: true })
      .on("click", function () {
        if (bornes.getNorthEast().equals(bornes.getSouthWest())) {
          carte.setView(bornes.getCenter(), Math.min(zoom + 3, carte.getMaxZoom()));
        } else {
          carte.fitBounds(bornes.pad(0.2));
        }
      });
  }

  function lire(donnees) {
    var ateliers = donnees.laureats.map(function (l) {
      return {
        latlng: L.latLng(l[1], l[0]),
        format: donnees.formats[l[2]],
        slug: l[3],
        nom: l[4],
        annee: l[5],
        session: l[6] >= 0 ? donnees.sessions[l[6]] : "",
        region: donnees.regions[l[7]]
      };
    });
    var historiques = (donnees.historiques || []).map(function (l) {
      return {
        historique: true,
        latlng: L.latLng(l[1], l[0]),
        slug: l[2],
        nom: l[3],
        annee: l[4],
        session: donnees.sessions[l[5]],
        region: l[6] >= 0 ? donnees.regions[l[6]] : "",
        localisation: donnees.localisations[l[7]]
      };
    });
    return ateliers.concat(historiques);
  }

  function afficher(carte, couche, laureats) {
    function regrouper() {
      couche.clearLayers();
      var zoom = carte.getZoom();
      var cellules = {};
      laureats.forEach(function (l) {
        var px = carte.project(l.latlng, zoom);
        var cle = Math.floor(px.x / CELLULE) + ":" + Math.floor(px.y / CELLULE);
        (cellules[cle] = cellules[cle] || []).push(l);
      });
      Object.keys(cellules).forEach(function (cle) {
        var cellule = cellules[cle];
        if (cellule.length === 1 || zoom >= carte.getMaxZoom()) {
          cellule.forEach(function (l) { marqueur(l).addTo(couche); });
        } else {
          var bornes = L.latLngBounds(cellule.map(function (l) { return l.latlng; }));
          groupe(cellule, bornes, carte, zoom).addTo(couche);
        }
      });
    }
    regrouper();
    carte.on("zoomend", regrouper);
  }

  function perimetres(carte, element) {
    var couche = L.layerGroup();
    var source = element.getAttribute("data-perimetres");
    var dejaVus = {};
    function charger() {
      if (carte.getZoom() < ZOOM_PERIMETRES || !source) { couche.remove(); return; }
      couche.addTo(carte);
      var b = carte.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(2); }).join(",");
      var separateur = source.indexOf("?") >= 0 ? "&" : "?";
      fetch(source + separateur + "bbox=" + bbox)
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (data) {
          data.perimetres.forEach(function (p) {
            if (dejaVus[p[0]]) { return; }
            dejaVus[p[0]] = true;
            L.geoJSON(p[2], { style: { color: "#000091", weight: 2, fillOpacity: 0.08 }, interactive: false }).addTo(couche);
          });
        })
        .catch(function () { /* perimeters are an extra */ });
    }
    carte.on("moveend", charger);
  }

  function encarts(element, laureats) {
    var conteneur = document.querySelector("[data-encarts-pour='" + element.id + "']");
    if (!conteneur) { return; }
    conteneur.hidden = false; // before the maps are made: Leaflet measures their size
    ENCARTS.forEach(function (encart) {
      var bornes = L.latLngBounds(encart.bornes);
      var dedans = laureats.filter(function (l) { return bornes.contains(l.latlng); });
      var bloc = document.createElement("div");
      bloc.className = "atelier-encart";
      var fond = document.createElement("div");
      fond.className = "atelier-encart__carte atelier-carte__fond";
      fond.setAttribute("data-fond", element.getAttribute("data-fond"));
      fond.setAttribute("role", "region");
      fond.setAttribute("aria-label", "Encart : " + encart.nom + " (" + dedans.length + " lauréat" + (dedans.length > 1 ? "s" : "") + ")");
      bloc.appendChild(fond);
      bloc.appendChild(texte("p", encart.nom, "atelier-encart__nom"));
      conteneur.appendChild(bloc);
      var carte = creerCarte(fond, {
        zoomControl: false, dragging: false, scrollWheelZoom: false, doubleClickZoom: false,
        boxZoom: false, keyboard: false, touchZoom: false, attributionControl: false, minZoom: 2,
        zoomSnap: 0.1
      }, { sansAttribution: true });
      carte.fitBounds(bornes, { padding: [2, 2] });
      var couche = L.layerGroup().addTo(carte);
      dedans.forEach(function (l) { marqueur(l).addTo(couche); });
    });
  }

  function erreur(element, message) {
    element.setAttribute("data-chargee", "erreur");
    var alerte = document.createElement("div");
    alerte.className = "fr-alert fr-alert--error fr-alert--sm fr-mt-2w";
    alerte.setAttribute("role", "alert");
    alerte.appendChild(texte("p", message));
    element.parentNode.insertBefore(alerte, element.nextSibling);
  }

  function carteLaureats(element) {
    var carte = creerCarte(element);
    carte.fitBounds(METROPOLE);
    var couche = L.layerGroup().addTo(carte);
    perimetres(carte, element);
    fetch(element.getAttribute("data-source"), { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (donnees) {
        var laureats = lire(donnees);
        // A filtered map frames its lauréats (metropolitan ones first: the overseas ones
        // have their insets); the national map keeps the whole of metropolitan France.
        if (element.getAttribute("data-filtree") === "1" && laureats.length) {
          var metropole = laureats.filter(function (l) { return METROPOLE.contains(l.latlng); });
          var cadre = L.latLngBounds((metropole.length ? metropole : laureats).map(function (l) { return l.latlng; }));
          carte.fitBounds(cadre.pad(0.1), { maxZoom: 10 });
        }
        element.setAttribute("data-chargee", String(laureats.length));
        afficher(carte, couche, laureats);
        encarts(element, laureats);
      })
      .catch(function (e) {
        erreur(element, e && e.message === "400"
          ? "Les filtres choisis ne sont pas valides : la carte ne peut pas les afficher. Corrigez-les dans le formulaire."
          : "La carte n'a pas pu être chargée. La liste des territoires donne le même contenu.");
      });
    window.atelierCarteLaureats = carte;
  }

  function carteTerritoire(element) {
    var source = document.getElementById("donnees-carte-territoire");
    if (!source) { return; }
    var donnees = JSON.parse(source.textContent);
    var carte = creerCarte(element);
    var couches = L.featureGroup().addTo(carte);
    (donnees.communes || []).forEach(function (commune) {
      L.geoJSON(commune.contour, { style: { color: "#6a6af4", weight: 1, fillOpacity: 0, dashArray: "3 3" }, interactive: false }).addTo(couches);
    });
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
      }).bindTooltip(texte("span", site.properties.nom)).addTo(couches);
    });
    if (couches.getLayers().length) {
      carte.fitBounds(couches.getBounds().pad(0.1), { maxZoom: 13 });
    } else {
      carte.fitBounds(METROPOLE);
    }
    element.setAttribute("data-chargee", "1");
  }

  document.querySelectorAll("[data-carte=laureats]").forEach(carteLaureats);
  document.querySelectorAll("[data-carte=territoire]").forEach(carteTerritoire);
})();
