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
            "width": 18, "height": 18, "color": "#1a202c" } },
        { selector: "node[?center]", style: { "width": 34, "height": 34, "font-weight": "bold",
            "font-size": 13, "border-width": 3, "border-color": "#1a202c" } },
        { selector: "edge", style: { "width": 1.2, "line-color": "#a0aec0",
            "target-arrow-color": "#a0aec0", "target-arrow-shape": "triangle",
            "curve-style": "bezier", "label": "data(label)", "font-size": 8,
            "color": "#4a5568", "text-rotation": "autorotate" } },
      ],
      layout: { name: "cose", animate: false, nodeRepulsion: 9000, idealEdgeLength: 90 },
    });
    cy.on("tap", "node", function (e) {
      var href = e.target.data("href");
      if (href) { window.location.href = href; }
    });
    box.dataset.ready = String(cy.nodes().length);
  });
})();
