// The graph view: an entity's neighbourhood drawn with Cytoscape.js from the page's JSON.
(function () {
  "use strict";
  var box = document.getElementById("cy");
  var colours = { Person: "#2b6cb0", Organization: "#c05621", Document: "#2f855a",
                  Place: "#6b46c1", Event: "#b7791f" };
  fetch(box.dataset.elements).then(function (r) { return r.json(); }).then(function (data) {
    var cy = cytoscape({
      container: box,
      elements: data.nodes.concat(data.edges),
      style: [
        { selector: "node", style: {
            "label": "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 120,
            "background-color": function (n) { return colours[n.data("type")] || "#718096"; },
            "width": 18, "height": 18, "color": "#1a202c", "text-valign": "bottom",
            "text-margin-y": 4, "text-background-color": "#fff",
            "text-background-opacity": 0.8, "text-background-padding": 1 } },
        { selector: "node[?center]", style: { "width": 30, "height": 30, "font-weight": "bold",
            "font-size": 12, "border-width": 3, "border-color": "#1a202c" } },
        { selector: "edge", style: { "width": 1.2, "line-color": "#a0aec0",
            "target-arrow-color": "#a0aec0", "target-arrow-shape": "triangle",
            "curve-style": "bezier", "label": "data(label)", "font-size": 7,
            "color": "#718096", "text-rotation": "autorotate" } },
      ],
      maxZoom: 1.6,
      layout: { name: "preset" },
    });
    // rings around the entity: its neighbours first, then theirs
    var centre = cy.getElementById(data.center);
    cy.layout({
      name: "concentric", animate: false, padding: 40, minNodeSpacing: 50,
      concentric: function (n) { return n.same(centre) ? 3 : n.edgesWith(centre).length ? 2 : 1; },
      levelWidth: function () { return 1; },
    }).run();
    cy.on("tap", "node", function (e) {
      var href = e.target.data("href");
      if (href) { window.location.href = href; }
    });
    box.dataset.ready = String(cy.nodes().length);
  });
})();
