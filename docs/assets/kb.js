/* Timeline filters, relationship graphs and the search dialog for the knowledge base.
 *
 * Data comes from JSON files the build publishes (assets/kb/*.json). Every text from the data is
 * put into the page with textContent, never as HTML. Cytoscape.js (vendored, served by this site)
 * is loaded only on pages that show a graph.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 100;
  var cache = {};

  // The edition's words for what this script builds: the message catalogue's `script` section,
  // which overrides/main.html puts into every page (one catalogue per language, no words here).
  var WORDS = (function () {
    var node = document.getElementById("kb-words");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  })();
  function w(key, values) {
    var text = WORDS[key] !== undefined ? String(WORDS[key]) : key;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }
  function typeWord(type) { return WORDS["type." + type] || type.replace(/-/g, " "); }

  function rootOf(el) { return new URL(el.getAttribute("data-root") || "./", window.location.href); }

  function fetchJSON(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) { throw new Error(url + ": " + r.status); }
        return r.json();
      });
    }
    return cache[url];
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // A vendored library, loaded once, from the site itself, when a page first needs it.
  var loading = {};
  function loadVendor(root, path, name, css) {
    if (window[name]) { return Promise.resolve(window[name]); }
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        if (css) { document.head.appendChild(el("link", { rel: "stylesheet", href: new URL(css, root).href })); }
        var script = document.createElement("script");
        script.src = new URL(path, root).href;
        script.onload = function () { resolve(window[name]); };
        script.onerror = function () { reject(new Error(path.split("/").pop())); };
        document.head.appendChild(script);
      });
    }
    return loading[name];
  }

  /* ---------------------------------------------------------------- search */
  // Pagefind's UI (written by the pinned Pagefind into the site's pagefind/ folder) in the dialog of
  // overrides/partials/header.html, loaded on first use. Material's own search, which handled
  // "/", "s" and "f", is off; the same keys open this one. The header survives Material's instant
  // navigation, so this runs once, and the site's root is taken while the header's relative
  // address still belongs to the page it came with.
  var searchBox = document.querySelector("[data-kb-search]");
  var searchRoot = searchBox ? new URL(searchBox.getAttribute("data-root") || "./", window.location.href) : null;
  var searchUI = null;

  function openSearch() {
    var dialog = document.getElementById("kb-search-dialog");
    if (!dialog.open) { dialog.showModal(); }
    loadVendor(searchRoot, "pagefind/pagefind-ui.js", "PagefindUI", "pagefind/pagefind-ui.css").then(function (PagefindUI) {
      if (!searchUI) {
        // Pagefind's result addresses start at the site's root; the site may live in a sub-folder.
        searchUI = new PagefindUI({ element: "#kb-search-ui", bundlePath: new URL("pagefind/", searchRoot).pathname,
                                    baseUrl: searchRoot.pathname, showImages: false, showSubResults: false, resetStyles: false });
      }
      var input = dialog.querySelector(".pagefind-ui__search-input");
      if (input) { input.focus(); input.select(); }
    }).catch(function (error) {
      var ui = document.getElementById("kb-search-ui");
      ui.textContent = "Search could not be loaded (" + error.message + ").";
    });
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName));
  }

  if (searchBox) {
    searchBox.querySelector(".kb-search__open").addEventListener("click", openSearch);
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) { return; }
      if (ev.key === "/" || ev.key === "s" || ev.key === "f") { ev.preventDefault(); openSearch(); }
    });
    var dialog = document.getElementById("kb-search-dialog");
    dialog.addEventListener("click", function (ev) {
      // A click on the backdrop (the dialog itself, outside its content) or on a result closes it;
      // Material's instant navigation then shows the result without a reload.
      if (ev.target === dialog || (ev.target.closest && ev.target.closest("a[href]"))) { dialog.close(); }
    });
  }

  /* ---------------------------------------------------------------- timeline */

  function initTimeline(box) {
    if (box.getAttribute("data-ready")) { return; }
    box.setAttribute("data-ready", "1");
    var root = rootOf(box);
    fetchJSON(new URL(box.getAttribute("data-src"), root).href).then(function (data) {
      buildTimeline(box, root, data);
    }).catch(function (error) {
      box.appendChild(el("p", {}, w("timeline_error", { error: error.message })));
    });
  }

  function buildTimeline(box, root, data) {
    var events = data.events.map(function (row) {
      return { id: row[0], date: row[1], label: row[2], title: row[3], type: row[4], actors: row[5],
               policies: row[6], tags: row[7], exchange: row[8] || [], year: row[1].slice(0, 4), lower: row[3].toLowerCase() };
    });
    var unique = function (values) { return Array.from(new Set(values)).sort(); };
    var fields = [
      { key: "year", label: w("year"), options: unique(events.map(function (e) { return e.year; })).map(function (y) { return [y, y]; }) },
      { key: "actor", label: w("actor"), options: data.actors.map(function (a) { return [a[0], a[1]]; }).sort(function (a, b) { return a[1].localeCompare(b[1]); }) },
      { key: "policy", label: w("policy"), options: data.policies.map(function (p) { return [p[0], p[1]]; }).sort(function (a, b) { return a[1].localeCompare(b[1]); }) },
      { key: "tag", label: w("tag"), options: unique([].concat.apply([], events.map(function (e) { return e.tags; }))).map(function (t) { return [t, t]; }) },
      { key: "type", label: w("type"), options: unique(events.map(function (e) { return e.type; })).map(function (t) { return [t, typeWord(t)]; }) },
      { key: "exchange", label: w("exchange"), options: [["offer", w("offers")], ["unanswered", w("unanswered")], ["answer", w("answers")]] }
    ];
    var actorIndex = {}, policyIndex = {};
    data.actors.forEach(function (a, i) { actorIndex[a[0]] = i; });
    data.policies.forEach(function (p, i) { policyIndex[p[0]] = i; });

    var form = el("form", { "class": "kb-filters", role: "search", "aria-label": w("filter_timeline") });
    var controls = {};
    var q = el("input", { type: "search", id: "kb-q", name: "q", placeholder: w("words_in_title"), "aria-label": w("words_in_title") });
    var qLabel = el("label", { "for": "kb-q" }, w("search"));
    form.appendChild(qLabel); form.appendChild(q);
    controls.q = q;
    fields.forEach(function (f) {
      var id = "kb-" + f.key;
      var select = el("select", { id: id, name: f.key });
      select.appendChild(el("option", { value: "" }, w("all")));
      f.options.forEach(function (o) { select.appendChild(el("option", { value: o[0] }, o[1])); });
      form.appendChild(el("label", { "for": id }, f.label));
      form.appendChild(select);
      controls[f.key] = select;
    });
    // The period chosen on the chart ('2025-06'..'2025-08'); kept in the address bar like the rest.
    ["from", "to"].forEach(function (k) {
      controls[k] = el("input", { type: "hidden", name: k, value: "" });
      form.appendChild(controls[k]);
    });
    var reset = el("button", { type: "reset", "class": "md-button" }, w("clear"));
    form.appendChild(reset);
    var period = el("p", { "class": "kb-period", hidden: "" });
    var count = el("p", { "class": "kb-count", role: "status", "aria-live": "polite" });
    var list = el("ol", { "class": "kb-timeline kb-timeline-list", reversed: "" });
    list.removeAttribute("reversed");
    var more = el("button", { type: "button", "class": "md-button" }, w("more"));
    var chartBox = el("div", { "class": "kb-chart" });
    box.appendChild(chartBox); box.appendChild(form); box.appendChild(period);
    box.appendChild(count); box.appendChild(list); box.appendChild(more);

    // Restore the filter from the address bar.
    var params = new URLSearchParams(window.location.search);
    Object.keys(controls).forEach(function (k) { if (params.get(k)) { controls[k].value = params.get(k); } });

    var matches = [], shown = 0;

    function state() {
      var s = {};
      Object.keys(controls).forEach(function (k) { if (controls[k].value) { s[k] = controls[k].value; } });
      return s;
    }

    function filter() {
      var s = state();
      var words = (s.q || "").toLowerCase().split(/\s+/).filter(Boolean);
      var actor = s.actor ? actorIndex[s.actor] : null, policy = s.policy ? policyIndex[s.policy] : null;
      matches = events.filter(function (e) {
        if (s.year && e.year !== s.year) { return false; }
        if (s.from && e.date.slice(0, 7) < s.from) { return false; }
        if (s.to && e.date.slice(0, 7) > s.to) { return false; }
        if (s.type && e.type !== s.type) { return false; }
        if (s.tag && e.tags.indexOf(s.tag) < 0) { return false; }
        if (s.exchange && e.exchange.indexOf(s.exchange) < 0) { return false; }
        if (actor !== null && actor !== undefined && e.actors.indexOf(actor) < 0) { return false; }
        if (policy !== null && policy !== undefined && e.policies.indexOf(policy) < 0) { return false; }
        for (var i = 0; i < words.length; i++) { if (e.lower.indexOf(words[i]) < 0) { return false; } }
        return true;
      });
      period.hidden = !s.from;
      period.textContent = s.from ? w(s.to && s.to !== s.from ? "period_range" : "period", { from: monthName(s.from), to: monthName(s.to || s.from) }) + " " : "";
      if (s.from) {
        var whole = el("button", { type: "button", "class": "md-button" }, w("whole"));
        whole.addEventListener("click", function () { setPeriod("", ""); });
        period.appendChild(whole);
      }
      count.textContent = w((matches.length === 1 ? "count_one" : "count") + (Object.keys(s).length ? "_filtered" : ""), { n: matches.length });
      list.textContent = "";
      shown = 0;
      showMore();
      var query = new URLSearchParams(s).toString();
      window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    function showMore() {
      var end = Math.min(matches.length, shown + PAGE_SIZE);
      var fragment = document.createDocumentFragment();
      for (var i = shown; i < end; i++) {
        var e = matches[i];
        var item = el("li", { "data-id": e.id });
        var when = el("time", { datetime: e.date }, e.label);
        var link = el("a", { href: new URL("events/" + e.id + "/", root).href }, e.title);
        item.appendChild(when); item.appendChild(document.createTextNode(" ")); item.appendChild(link);
        item.appendChild(el("span", { "class": "kb-type" }, " · " + typeWord(e.type)));
        fragment.appendChild(item);
      }
      list.appendChild(fragment);
      shown = end;
      more.hidden = shown >= matches.length;
    }

    function setPeriod(from, to) {
      controls.from.value = from; controls.to.value = to;
      filter();
    }

    form.addEventListener("input", filter);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    reset.addEventListener("click", function () { window.setTimeout(filter, 0); });
    more.addEventListener("click", showMore);
    filter();
    if (box.getAttribute("data-chart")) {
      initChart(chartBox, root, new URL(box.getAttribute("data-chart"), root).href, setPeriod);
    }
  }

  function monthName(ym) {
    var month = Number(ym.slice(5, 7));
    return w("month", { year: ym.slice(0, 4), month: String(month), month_name: (WORDS.months || [])[month - 1] || String(month) });
  }

  /* ---------------------------------------------------------------- chart (uPlot) */

  function loadUplot(root) {
    return loadVendor(root, "assets/vendor/uplot/uPlot.iife.min.js", "uPlot", "assets/vendor/uplot/uPlot.min.css");
  }

  // Colours that read on both the light and the dark scheme.
  var GROUP_COLORS = ["#5c6bc0", "#ef6c00", "#c62828", "#2e7d32"];

  function initChart(holder, root, src, setPeriod) {
    Promise.all([loadUplot(root), fetchJSON(src)]).then(function (r) {
      drawChart(holder, r[0], r[1], setPeriod);
    }).catch(function (error) {
      holder.appendChild(el("p", {}, w("chart_error", { error: error.message })));
    });
  }

  function drawChart(holder, uPlot, data, setPeriod) {
    var months = data.months, groups = Object.keys(data.groups);
    if (!months.length) { return; }
    var xs = months.map(function (m) { return Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 1) / 1000; });
    // Stacked bars: each series is drawn as the running total, the tallest first, so each band
    // shows its own group; the legend shows each group's own count.
    var raw = groups.map(function (g) { return data.groups[g]; });
    var stacked = [], sum = months.map(function () { return 0; });
    raw.forEach(function (values) { sum = sum.map(function (s, i) { return s + values[i]; }); stacked.push(sum.slice()); });
    var changes = data.status_changes.map(function (n, i) { return n ? sum[i] + 0.6 : null; });
    var order = groups.map(function (g, i) { return i; }).reverse();
    var fg = getComputedStyle(document.body).getPropertyValue("--md-default-fg-color--light").trim() || "#666";
    var bars = uPlot.paths.bars({ size: [0.85, 24] });
    var series = [{ value: function (u, v) { return v == null ? "" : monthName(new Date(v * 1000).toISOString().slice(0, 7)); } }];
    order.forEach(function (i) {
      series.push({ label: WORDS["group." + groups[i]] || groups[i], fill: GROUP_COLORS[i], stroke: GROUP_COLORS[i], width: 0, paths: bars, points: { show: false },
                    value: function (u, v, si, idx) { return idx == null ? "" : String(raw[i][idx]); } });
    });
    series.push({ label: w("changes"), stroke: fg, width: 0, paths: function () { return null; },
                  points: { show: true, size: 6, fill: fg, stroke: fg },
                  value: function (u, v, si, idx) { return idx == null ? "" : String(data.status_changes[idx]); } });
    var plotData = [xs].concat(order.map(function (i) { return stacked[i]; })).concat([changes]);
    var last = xs.length - 1, first = Math.max(0, last - 23);  // the last two years first
    var width = function () { return Math.max(280, holder.clientWidth || 600); };
    var focus = last;
    var opts = {
      width: width(), height: 220,
      cursor: { drag: { x: true, y: false, setScale: false } },
      select: { show: true },
      legend: { live: true },
      scales: { x: { time: true, min: xs[first] - 1296000, max: xs[last] + 1296000 }, y: { range: function (u, min, max) { return [0, Math.max(4, max + 1)]; } } },
      axes: [{ stroke: fg, grid: { show: false }, ticks: { stroke: fg } }, { stroke: fg, grid: { stroke: "rgba(128,128,128,0.2)" }, ticks: { stroke: fg }, size: 36 }],
      series: series,
      hooks: {
        setSelect: [function (u) {
          if (u.select.width < 4) { return; }
          var a = u.posToIdx(u.select.left), b = u.posToIdx(u.select.left + u.select.width);
          u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
          setPeriod(months[Math.min(a, b)], months[Math.max(a, b)]);
        }]
      }
    };
    holder.textContent = "";
    var controls = el("p", { "class": "kb-chart-range" });
    var u = new uPlot(opts, plotData, holder);
    holder.uplot = u;  // for tests and the console; no global is set
    [[w("last_two_years"), first], [w("whole"), 0]].forEach(function (b) {
      var button = el("button", { type: "button", "class": "md-button" }, b[0]);
      button.addEventListener("click", function () { u.setScale("x", { min: xs[b[1]] - 1296000, max: xs[last] + 1296000 }); });
      controls.appendChild(button);
    });
    holder.appendChild(controls);
    u.over.addEventListener("click", function () {
      if (u.cursor.idx != null && u.select.width < 4) { setPeriod(months[u.cursor.idx], months[u.cursor.idx]); }
    });
    // Keyboard: the chart is one focusable element; arrows move between months, Enter chooses.
    u.root.setAttribute("tabindex", "0");
    u.root.setAttribute("role", "application");
    u.root.setAttribute("aria-label", w("chart_label"));
    u.root.addEventListener("keydown", function (ev) {
      var moves = { ArrowLeft: -1, ArrowRight: 1, Home: -xs.length, End: xs.length };
      if (ev.key in moves) {
        focus = Math.max(0, Math.min(last, focus + moves[ev.key]));
        u.setCursor({ left: u.valToPos(xs[focus], "x"), top: 10 });
        ev.preventDefault();
      } else if (ev.key === "Enter" || ev.key === " ") {
        setPeriod(months[focus], months[focus]);
        ev.preventDefault();
      }
    });
    window.addEventListener("resize", function () { u.setSize({ width: width(), height: 220 }); });
  }

  /* ---------------------------------------------------------------- table filters */

  /* A box <div class="kb-table-filter" data-columns="Side, Period"> before a table gets one select
     per named column, with the values found in that column; rows are shown when every selected
     value equals the row's cell text. Without JavaScript the whole table shows. */
  function initTableFilter(box) {
    if (box.getAttribute("data-ready")) { return; }
    box.setAttribute("data-ready", "1");
    var node = box.nextElementSibling, table = null;
    while (node && !table) { table = node.tagName === "TABLE" ? node : node.querySelector("table"); node = node.nextElementSibling; }
    if (!table) { return; }
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var cellText = function (row, i) { return row.cells[i] ? row.cells[i].textContent.trim() : ""; };
    var form = el("form", { "class": "kb-filters", role: "search", "aria-label": box.getAttribute("aria-label") || w("filter_table") });
    var count = el("p", { "class": "kb-count", role: "status", "aria-live": "polite" });
    var selects = [];
    box.getAttribute("data-columns").split(",").forEach(function (name, n) {
      var column = headers.indexOf(name.trim());
      if (column < 0) { return; }
      var values = Array.from(new Set(rows.map(function (r) { return cellText(r, column); }).filter(Boolean))).sort();
      var id = "kb-filter-" + n;
      var select = el("select", { id: id, "data-column": String(column) });
      select.appendChild(el("option", { value: "" }, w("all")));
      values.forEach(function (v) { select.appendChild(el("option", { value: v }, v)); });
      form.appendChild(el("label", { "for": id }, name.trim()));
      form.appendChild(select);
      selects.push(select);
    });
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = selects.every(function (s) { return !s.value || cellText(row, Number(s.getAttribute("data-column"))) === s.value; });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = w(shown === 1 ? "rows_one" : "rows", { n: shown });
    }
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    box.appendChild(form); box.appendChild(count);
    apply();
  }

  /* ---------------------------------------------------------------- graph */

  function loadCytoscape(root) {
    return loadVendor(root, "assets/vendor/cytoscape/cytoscape.min.js", "cytoscape");
  }


  var COLORS = { actor: "#3f51b5", policy: "#00897b", event: "#ef6c00" };

  function initGraph(box) {
    if (box.getAttribute("data-ready")) { return; }
    box.setAttribute("data-ready", "1");
    var root = rootOf(box);
    Promise.all([loadCytoscape(root), fetchJSON(new URL(box.getAttribute("data-src"), root).href)]).then(function (r) {
      drawGraph(box, root, r[0], r[1]);
    }).catch(function (error) {
      box.appendChild(el("p", {}, w("graph_error", { error: error.message })));
    });
  }

  function drawGraph(box, root, cytoscape, data) {
    var byId = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    var center = box.getAttribute("data-node");
    var canvas = el("div", { "class": "kb-graph__canvas" });
    var legend = el("p", { "class": "kb-graph__legend" });
    [["actor", w("legend_actors")], ["policy", w("legend_policies")], ["event", w("legend_events")]].forEach(function (k) {
      legend.appendChild(el("span", { "class": "kb-graph__swatch kb-graph__swatch--" + k[0] }, ""));
      legend.appendChild(document.createTextNode(" " + k[1] + "  "));
    });
    var keep = {};
    if (center) {
      keep[center] = true;
      data.edges.forEach(function (e) {
        if (e.source === center) { keep[e.target] = true; }
        if (e.target === center) { keep[e.source] = true; }
      });
    }
    var cy = null;
    function draw(filterYear) {
      var nodes = data.nodes.filter(function (n) {
        if (center) { return keep[n.id]; }
        if (n.kind !== "event") { return true; }
        return !filterYear || n.year === filterYear;
      });
      var ids = {};
      nodes.forEach(function (n) { ids[n.id] = true; });
      var edges = data.edges.filter(function (e) { return ids[e.source] && ids[e.target]; });
      if (!center) {  // in the full graph, leave out actors and policies with no edge this year
        var linked = {};
        edges.forEach(function (e) { linked[e.source] = true; linked[e.target] = true; });
        nodes = nodes.filter(function (n) { return linked[n.id]; });
      }
      var elements = nodes.map(function (n) {
        // In the whole graph only actors and policies are labelled: event titles would cover it.
        var text = center || n.kind !== "event" ? n.label : "";
        return { data: { id: n.id, label: text.length > 48 ? text.slice(0, 47) + "…" : text, kind: n.kind, url: n.url } };
      }).concat(edges.map(function (e, i) {
        return { data: { id: "e" + i, source: e.source, target: e.target, label: e.label } };
      }));
      if (cy) { cy.destroy(); }
      cy = cytoscape({
        container: canvas,
        elements: elements,
        wheelSensitivity: 0.3,
        style: [
          { selector: "node", style: { "background-color": function (n) { return COLORS[n.data("kind")]; }, label: "data(label)",
            "font-size": 9, "text-wrap": "ellipsis", "text-max-width": 140, color: "#333", width: 14, height: 14 } },
          { selector: "node[id = \"" + (center || "").replace(/"/g, "") + "\"]", style: { width: 26, height: 26, "font-weight": "bold" } },
          { selector: "edge", style: { width: 1, "line-color": "#bbb", "curve-style": "haystack" } },
          // Answers between events, coloured by how they answer (see the offers and answers page).
          { selector: "edge[label = \"rejects\"], edge[label = \"retaliates\"]", style: { width: 2, "line-color": "#c62828" } },
          { selector: "edge[label = \"accepts\"], edge[label = \"reciprocates\"], edge[label = \"conditional\"]", style: { width: 2, "line-color": "#2e7d32" } }
        ],
        layout: { name: center ? "concentric" : "cose", animate: false, concentric: function (n) { return n.id() === center ? 2 : 1; },
                  levelWidth: function () { return 1; }, nodeDimensionsIncludeLabels: false }
      });
      cy.on("tap", "node", function (ev) {
        window.location.href = new URL(ev.target.data("url"), root).href;
      });
      box.setAttribute("data-nodes", String(nodes.length));
    }
    if (!center) {
      var years = {};
      data.nodes.forEach(function (n) { if (n.year) { years[n.year] = true; } });
      var select = el("select", { id: "kb-graph-year", "aria-label": w("graph_year") });
      select.appendChild(el("option", { value: "" }, w("all_years")));
      Object.keys(years).sort().reverse().forEach(function (y) { select.appendChild(el("option", { value: y }, y)); });
      var label = el("label", { "for": "kb-graph-year" }, w("events_of") + " ");
      box.appendChild(label); box.appendChild(select);
      select.value = Object.keys(years).sort().reverse()[0] || "";
      select.addEventListener("change", function () { draw(select.value); });
      box.appendChild(legend); box.appendChild(canvas);
      draw(select.value);
    } else {
      box.appendChild(legend); box.appendChild(canvas);
      draw(null);
    }
  }

  function init() {
    document.querySelectorAll("#kb-timeline").forEach(initTimeline);
    document.querySelectorAll(".kb-graph").forEach(initGraph);
    document.querySelectorAll(".kb-table-filter").forEach(initTableFilter);
    labelCells();
    document.querySelectorAll("[data-kb-copy]").forEach(initCopy);
  }

  /* ------------------------------------------------------------ cite this page */

  // The citations are in the page as text (built by kb.site.cite); a Copy button puts one on the
  // clipboard, a Download button saves BibTeX, RIS or CSL-JSON as a file made in the browser.
  function initCopy(node) {
    if (node.getAttribute("data-kb-ready")) { return; }
    node.setAttribute("data-kb-ready", "1");
    var text = node.textContent.trim();  // before the buttons go in
    var bar = el("span", { "class": "kb-cite-buttons" });
    var copy = el("button", { type: "button", "class": "md-button kb-copy", "aria-label": w("copy_label", { what: node.getAttribute("data-kb-copy") }) }, w("copy"));
    copy.addEventListener("click", function () {
      var done = function () { copy.textContent = w("copied"); setTimeout(function () { copy.textContent = w("copy"); }, 2000); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { copy.textContent = w("select_copy"); });
      } else {
        copy.textContent = w("select_copy");
      }
    });
    bar.appendChild(copy);
    var filename = node.getAttribute("data-kb-download");
    if (filename) {
      var save = el("button", { type: "button", "class": "md-button kb-download", "aria-label": w("download_label", { what: filename }) }, w("download"));
      save.addEventListener("click", function () {
        var url = URL.createObjectURL(new Blob([text + "\n"], { type: node.getAttribute("data-kb-type") || "text/plain" }));
        var link = el("a", { href: url, download: filename });
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      });
      bar.appendChild(save);
    }
    node.insertAdjacentElement(node.tagName === "PRE" ? "beforebegin" : "beforeend", bar);
  }

  // On a phone, tables reflow into one card per row (kb.css); each cell shows its column's name,
  // taken from the table's header here.
  function labelCells() {
    document.querySelectorAll(".md-typeset table").forEach(function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (names[i] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", names[i]); }
        });
      });
    });
  }

  // Material's instant navigation swaps pages without reloading scripts: run on every page it shows.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
