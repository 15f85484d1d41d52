// Street maps (Leaflet, served by the app) where a tile server is configured. Without tiles, or when
// they fail to load, crime pages keep the app's own SVG map and the tables, and the drawing map on
// /crime/area/ shows ward boundaries from the app's own data instead of streets.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="openward-tiles"]');
  if (!meta || !window.L) { return; }
  var tileUrl = meta.getAttribute("content");
  var attribution = meta.getAttribute("data-attribution") || "";
  var LONDON = [51.5074, -0.1278];

  function addTiles(map, onFail) {
    var loaded = false, failed = false;
    var layer = L.tileLayer(tileUrl, { attribution: attribution, maxZoom: 19 });
    layer.on("tileload", function () { loaded = true; });
    layer.on("tileerror", function () {
      if (!loaded && !failed) { failed = true; onFail(layer); }
    });
    layer.addTo(map);
  }

  function notice(before, text) {
    var p = document.createElement("p");
    p.className = "hint";
    p.textContent = text;
    before.parentNode.insertBefore(p, before);
  }

  // An area's crime page: the same points and outline as the SVG, over streets.
  var holder = document.querySelector("[data-crime-map]");
  var dataEl = document.getElementById("map-data");
  if (holder && dataEl && tileUrl) {
    var data = JSON.parse(dataEl.textContent) || { rings: [], points: [] };
    var box = document.createElement("div");
    box.className = "leaflet-box";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Street map of crime locations. Arrow keys move the map, + and − zoom. " +
      "The busiest locations are listed in the table below.");
    holder.parentNode.insertBefore(box, holder);
    holder.hidden = true;
    var map = L.map(box, { keyboard: true, scrollWheelZoom: false });
    var bounds = [];
    data.rings.forEach(function (ring) {
      var latlngs = ring.map(function (c) { return [c[1], c[0]]; });
      L.polygon(latlngs, { className: "street-map__area", interactive: false }).addTo(map);
      bounds = bounds.concat(latlngs);
    });
    data.points.forEach(function (p) {
      L.circleMarker([p.lat, p.lng], { radius: 3 + 10 * p.size, className: "street-map__point" })
        .bindTooltip(p.label).addTo(map);
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [10, 10] }); } else { map.setView(LONDON, 12); }
    addTiles(map, function () {
      map.remove();
      box.parentNode.removeChild(box);
      holder.hidden = false;
      notice(holder, "The street map could not load, so this simpler map shows the same places.");
    });
  }

  // /crime/area/: draw the area's corners on the map; the text box below stays the accessible way in.
  var tool = document.getElementById("draw-tool");
  var input = document.getElementById("poly");
  if (tool && input) {
    tool.hidden = false;
    var typedHint = document.querySelector("[data-draw-hint]");
    if (typedHint) { typedHint.hidden = false; }
    var drawMap = L.map("draw-map", { keyboard: true, scrollWheelZoom: false }).setView(LONDON, 13);
    var corners = [];
    var shape = L.polygon([], { className: "street-map__area" }).addTo(drawMap);
    var marks = L.layerGroup().addTo(drawMap);
    var status = document.getElementById("draw-status");
    var note = document.getElementById("draw-map-note");
    function show() {
      shape.setLatLngs(corners);
      marks.clearLayers();
      corners.forEach(function (c) { L.circleMarker(c, { radius: 5, className: "street-map__corner" }).addTo(marks); });
      input.value = corners.map(function (c) { return c[0].toFixed(5) + "," + c[1].toFixed(5); }).join(":");
      status.textContent = corners.length ? corners.length + (corners.length === 1 ? " corner." : " corners.") +
        (corners.length < 3 ? " An area needs at least 3." : "") : "No corners yet.";
    }
    function add(latlng) { corners.push([latlng.lat, latlng.lng]); show(); }
    drawMap.on("click", function (e) { add(e.latlng); });
    var moves = 0;  // finished pans and zooms, so a test can tell when the map has settled
    drawMap.on("moveend", function () { drawMap.getContainer().setAttribute("data-moves", String(++moves)); });

    // Without streets: the outlines and names of the wards in view, from the app's own boundaries.
    var wards = null;
    var asked = 0;
    var plainNote = "";
    var ZOOM_IN = "Zoom in to see the ward boundaries.";
    function loadWards() {
      var box = drawMap.getBounds();
      var ask = ++asked;
      if (drawMap.getZoom() < 12) {
        wards.clearLayers();
        note.textContent = ZOOM_IN;
        return;
      }
      var bbox = [box.getWest(), box.getSouth(), box.getEast(), box.getNorth()].map(function (n) { return n.toFixed(5); });
      fetch("/api/v1/wards.geojson?bbox=" + bbox.join(","), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (found) {
          if (ask !== asked || !found) { return; }
          wards.clearLayers();
          wards.addData(found);
          if (note.textContent === ZOOM_IN) { note.textContent = plainNote; }
          drawMap.getContainer().setAttribute("data-wards", String(found.features.length));
        })
        .catch(function () { note.textContent = "The ward boundaries could not load."; });
    }
    function withoutStreets(text) {
      drawMap.getContainer().classList.add("leaflet-box--plain");
      plainNote = text;
      note.textContent = text;
      wards = L.geoJSON(null, {
        interactive: false,
        style: function () { return { className: "street-map__ward" }; },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(feature.properties.name, { permanent: true, direction: "center", className: "ward-label" });
        }
      }).addTo(drawMap);
      drawMap.on("moveend", loadWards);
      loadWards();
    }
    if (tileUrl) {
      addTiles(drawMap, function (layer) {
        drawMap.removeLayer(layer);
        withoutStreets("The street map could not load, so the map shows ward boundaries instead. " +
          "Draw on it, or choose an area around a postcode above.");
      });
    } else {
      withoutStreets("The map shows ward boundaries (this site has no street map).");
    }

    var postcode = document.getElementById("draw-postcode");
    var found = document.getElementById("draw-find-status");
    function find() {
      var text = postcode.value.trim();
      if (!text) { found.textContent = "Enter a postcode to move the map there."; return; }
      fetch("/api/v1/postcodes/" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (answer) {
          if (!answer.ok || answer.body.latitude === null) {
            found.textContent = answer.body.detail || "That postcode could not be found.";
            return;
          }
          drawMap.setView([answer.body.latitude, answer.body.longitude], 15);
          found.textContent = "The map is centred on " + answer.body.postcode + ".";
        })
        .catch(function () { found.textContent = "The postcode could not be looked up. Try again."; });
    }
    postcode.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); find(); }  // not the whole form's submit
    });
    tool.addEventListener("click", function (e) {
      var what = e.target.getAttribute("data-draw");
      if (what === "find") { find(); }
      if (what === "centre") { add(drawMap.getCenter()); }
      if (what === "undo") { corners.pop(); show(); }
      if (what === "clear") { corners = []; show(); }
    });
  }
})();
