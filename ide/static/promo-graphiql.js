// Starts GraphiQL with the saved example operations (one tab each).
//
// Tokens: the headers pane of each tab holds {"Authorization": "Bearer ..."}.
// `promo serve-demo` prints a link whose fragment carries demo tokens
// (#staff=...&client=...); a fragment never reaches the server, so the tokens
// appear in no log. They fill the example tabs, then the fragment is removed.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("promo-graphiql-config").textContent);

  function tokensFromFragment() {
    var params = new URLSearchParams(window.location.hash.slice(1));
    var tokens = {};
    ["staff", "client"].forEach(function (role) {
      if (params.get(role)) tokens[role] = params.get(role);
    });
    if (Object.keys(tokens).length > 0) {
      history.replaceState(null, "", window.location.pathname + window.location.search);
      // Tabs saved by an earlier visit would hide the fresh tokens.
      localStorage.removeItem("graphiql:tabState");
    }
    return tokens;
  }

  var tokens = tokensFromFragment();

  function headersFor(role) {
    var token = tokens[role] || "<paste a " + role + " token>";
    return JSON.stringify({ Authorization: "Bearer " + token }, null, 2);
  }

  var endpoint = new URL(config.endpoint, window.location.href);
  var subscriptions = new URL(endpoint.href);
  subscriptions.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

  var fetcher = GraphiQL.createFetcher({
    url: endpoint.href,
    subscriptionUrl: subscriptions.href,
  });

  var tabs = config.examples.map(function (example) {
    return {
      query: example.query,
      variables: example.variables || undefined,
      headers: headersFor(example.role),
    };
  });

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: tabs,
      defaultHeaders: headersFor("staff"),
      defaultEditorToolsVisibility: "headers",
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      inputValueDeprecation: true,
      plugins: [GraphiQLPluginExplorer.explorerPlugin()],
    })
  );
})();
