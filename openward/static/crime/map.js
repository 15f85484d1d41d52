// Street maps (Leaflet, served by the app) where a tile server is configured. Without tiles, or when
// they fail to load, the page keeps the app's own SVG map and the tables; drawing falls back to typing.
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
      if (!loaded && !failed) { failed = true; onFail(); }
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
  if (holder && dataEl) {
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
    var drawMap = L.map("draw-map", { keyboard: true, scrollWheelZoom: false }).setView(LONDON, 13);
    var corners = [];
    var shape = L.polygon([], { className: "street-map__area" }).addTo(drawMap);
    var marks = L.layerGroup().addTo(drawMap);
    var status = document.getElementById("draw-status");
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
    tool.addEventListener("click", function (e) {
      var what = e.target.getAttribute("data-draw");
      if (what === "centre") { add(drawMap.getCenter()); }
      if (what === "undo") { corners.pop(); show(); }
      if (what === "clear") { corners = []; show(); }
    });
    addTiles(drawMap, function () {
      drawMap.remove();
      tool.parentNode.removeChild(tool);
      notice(input.parentNode, "The street map could not load: type the corners below instead.");
    });
  }
})();
