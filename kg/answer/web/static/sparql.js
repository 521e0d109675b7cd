// The SPARQL editor: YASGUI on this server's /query endpoint, fed by the query library.
// A library question's parameters are bound on the server (/sparql/bind), which resolves
// names to IRIs and adds a VALUES block, so the text run is the library's own.
(function () {
  "use strict";
  var endpoint = window.location.origin + "/query";
  var select = document.getElementById("query-name");
  var toEditor = document.getElementById("to-editor");
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { autocompleters: [] },
  });
  function fieldset(name) {
    return document.querySelector('fieldset[data-query="' + name + '"]');
  }
  function showParams() {
    document.querySelectorAll("fieldset.params").forEach(function (f) {
      var on = f.dataset.query === select.value;
      f.hidden = !on;
      f.querySelectorAll("input").forEach(function (i) { i.disabled = !on; });
    });
  }
  function load(run) {
    var args = new URLSearchParams({ name: select.value });
    fieldset(select.value).querySelectorAll("input[data-param]").forEach(function (i) {
      if (i.value.trim()) { args.set(i.dataset.param, i.value.trim()); }
    });
    return fetch("/sparql/bind?" + args.toString()).then(function (r) {
      return r.text().then(function (text) {
        if (!r.ok) { throw new Error(text); }
        var tab = yasgui.getTab();
        tab.setQuery(text);
        if (run) { tab.getYasqe().query(); }
      });
    }).catch(function (err) { window.alert(err.message); });
  }
  select.addEventListener("change", function () { showParams(); load(false); });
  toEditor.hidden = false;
  toEditor.addEventListener("click", function () { load(true); });
  showParams();
  load(false);
})();
