// Glue between the daemon's JSON (/api/dashboard, /api/dashboard/history) and the page.
// Amounts arrive already formatted by the daemon (the CLI's "0.025 SOL", "1,234.567890");
// the chart is uPlot (vendored). Everything is written with textContent, never as HTML.
"use strict";

(function () {
  const LAMPORTS_PER_SOL = 1e9;
  const state = { data: null, historyVersion: -1, mint: null, chart: null, series: null, timer: null, rendered: false };
  const $ = (id) => document.getElementById(id);

  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.startsWith("data-") || key.startsWith("aria-") || key === "href" || key === "title" || key === "rel" || key === "target") node.setAttribute(key, value);
      else node[key] = value;
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }

  function isoTime(ts) {
    return new Date(ts * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  function ago(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 90) return s + " s ago";
    if (s < 5400) return Math.round(s / 60) + " min ago";
    if (s < 172800) return Math.round(s / 3600) + " h ago";
    return Math.round(s / 86400) + " d ago";
  }

  function until(seconds) {
    const s = Math.round(seconds);
    if (s <= 0) return "now";
    if (s < 90) return "in " + s + " s";
    if (s < 5400) return "in " + Math.round(s / 60) + " min";
    return "in " + Math.round(s / 3600) + " h";
  }

  function shortSig(sig) {
    return sig.slice(0, 8) + "…" + sig.slice(-8);
  }

  function txLink(signature, url) {
    if (url) return el("a", { href: url, text: shortSig(signature), title: signature, rel: "noopener noreferrer", target: "_blank", class: "mono" });
    return el("span", { text: shortSig(signature), title: signature, class: "mono" });
  }

  function replaceRows(tbody, rows) {
    tbody.replaceChildren(...rows);
  }

  // ------------------------------------------------------------------ sections

  function renderHeader(d) {
    $("network").textContent = d.network;
    const f = $("freshness");
    f.classList.remove("stale", "down");
    if (d.dataAt === null) {
      f.textContent = d.rpcError ? "No chain data yet: " + d.rpcError : "Reading the chain…";
      f.classList.add(d.rpcError ? "down" : "stale");
      return;
    }
    const when = "Chain data from " + isoTime(d.dataAt) + " (" + ago(d.dataAgeSeconds) + ")";
    if (d.rpcError) {
      f.textContent = when + ". RPC unreachable, showing the last known data: " + d.rpcError;
      f.classList.add("down");
    } else {
      f.textContent = when;
      if (d.stale) f.classList.add("stale");
    }
  }

  function renderSummary(d) {
    $("total-spent").textContent = d.totals.solSpentSOL;
    $("total-pending").textContent = d.totals.pendingFeesSOL;
    $("total-cycles").textContent = d.totals.cycles.toLocaleString("en-US");
    $("total-cycles-sub").textContent = d.totals.tokenCycles.toLocaleString("en-US") + " token cycles" +
      (d.totals.failedCycles ? ", " + d.totals.failedCycles.toLocaleString("en-US") + " failed" : "");
    $("total-tokens").textContent = d.totals.tokens.toLocaleString("en-US");
  }

  function healthItem(name, value, level, key) {
    return el("li", { "data-indicator": key }, [
      el("span", { class: "name" }, [el("span", { class: "dot " + level, "aria-hidden": "true" }), document.createTextNode(name)]),
      el("span", { class: "val", text: value, "data-level": level }),
    ]);
  }

  function renderHealth(d) {
    const h = d.health;
    const overall = $("health-overall");
    overall.textContent = h.overall;
    overall.className = "level " + h.overall;
    const items = Object.entries(h.indicators).map(([key, i]) => healthItem(i.label, i.value, i.level, key));
    const active = h.datActive === null ? "unknown" : h.datActive ? "active" : "paused";
    items.push(healthItem("DAT", active, h.datActive === false ? "critical" : h.datActive ? "healthy" : "warning", "datActive"));
    let next = "after the first cycle";
    if (h.nextCycleAt !== null) next = isoTime(h.nextCycleAt) + " (" + until(h.nextCycleAt - d.generatedAt) + ")";
    else if (state.data && state.data.totals.cycles === 0) next = "now (no cycle yet)";
    items.push(healthItem("Next cycle possible", next, "healthy", "nextCycleAt"));
    $("health").replaceChildren(...items);
  }

  function renderTokens(d) {
    const rows = d.tokens.map((t) => {
      const share = t.burnedShareOfSupply ? el("span", { class: "sub", text: t.burnedShareOfSupply + " of supply" }) : null;
      const flow = t.isRoot
        ? el("td", { class: "num", "data-field": "received" }, [document.createTextNode(t.receivedFromOthersSOL), el("span", { class: "sub", text: "received" })])
        : el("td", { class: "num", "data-field": "sentToRoot" }, [document.createTextNode(t.sentToRootSOL), el("span", { class: "sub", text: "sent to root" })]);
      const last = t.lastCycleAt
        ? el("td", { "data-field": "lastCycle" }, [document.createTextNode(isoTime(t.lastCycleAt)), el("span", { class: "sub", text: ago(d.generatedAt - t.lastCycleAt) })])
        : el("td", { "data-field": "lastCycle", text: "never" });
      return el("tr", { "data-mint": t.mint, "data-symbol": t.symbol }, [
        el("th", { scope: "row" }, [
          el("span", { class: "sym", text: t.symbol }),
          t.isRoot ? el("span", { class: "badge", text: "root" }) : null,
          t.registered ? null : el("span", { class: "sub", text: "not registered" }),
        ]),
        el("td", { class: "num", "data-field": "pendingFees", text: t.pendingFeesSOL }),
        el("td", { class: "num", "data-field": "solSpent", text: t.solSpentSOL }),
        flow,
        el("td", { class: "num", "data-field": "tokensBurned" }, [el("span", { "data-value": "", text: t.tokensBurnedText }), share]),
        el("td", { class: "num", "data-field": "cycles", text: t.cycles.toLocaleString("en-US") }),
        last,
        el("td", { "data-field": "attributionMode", text: t.attributionMode }),
        el("td", { "data-field": "venue", text: t.venueLabel }),
      ]);
    });
    replaceRows($("tokens").tBodies[0], rows);
    const select = $("chart-token");
    const wanted = ["", ...d.tokens.map((t) => t.mint)];
    const have = Array.from(select.options).map((o) => o.value);
    if (wanted.join() !== have.join()) {
      const current = select.value;
      select.replaceChildren(el("option", { value: "", text: "All tokens" }),
        ...d.tokens.map((t) => el("option", { value: t.mint, text: t.symbol + (t.isRoot ? " (root)" : "") })));
      select.value = wanted.includes(current) ? current : "";
    }
  }

  function renderCycles(d) {
    const rows = d.recentCycles.map((c) => el("tr", { "data-signature": c.signature }, [
      el("td", { text: isoTime(c.timestamp) }),
      el("td", { class: "num", text: "#" + c.cycleId.toLocaleString("en-US") }),
      el("td", { text: c.symbols.join(", ") }),
      el("td", { class: "num", text: c.solSpentSOL }),
      el("td", { class: "num", text: c.tokensBurnedText }),
      el("td", {}, [c.derived
        ? el("span", { class: "sub", text: "from token stats (logs truncated)", title: "The transaction's logs were truncated by the runtime; amounts come from the token's stats." })
        : txLink(c.signature, c.explorerUrl)]),
    ]));
    replaceRows($("cycles").tBodies[0], rows);
    $("cycles-empty").hidden = rows.length > 0;
  }

  function renderEvents(listId, emptyId, items, describe) {
    const nodes = items.map((e) => el("li", {}, [
      el("div", {}, [el("span", { class: "when", text: isoTime(e.timestamp) + " · " }), txLink(e.signature, e.explorerUrl)]),
      el("div", { text: describe(e) }),
    ]));
    $(listId).replaceChildren(...nodes);
    $(emptyId).hidden = nodes.length > 0;
  }

  // ------------------------------------------------------------------ chart (uPlot)

  function chartSize() {
    const box = $("chart");
    const width = Math.max(260, box.clientWidth);
    return { width: width, height: width < 520 ? 220 : 280 };
  }

  function fmtNumber(v, digits) {
    if (v === null || v === undefined) return "–";
    return v.toLocaleString("en-US", { maximumFractionDigits: digits });
  }

  function compact(v) {
    if (v === null || v === undefined) return "";
    return v.toLocaleString("en-US", { notation: "compact", maximumFractionDigits: 2 });
  }

  function chartData(s) {
    const scale = Math.pow(10, s.decimals);
    return [
      s.cycleIds,
      s.tokensBurned.map((v) => v / scale),
      s.solSpentLamports.map((v) => v / LAMPORTS_PER_SOL),
    ];
  }

  function makeChart(data) {
    const axis = { stroke: "#8b93a3", grid: { stroke: "#262b35", width: 1 }, ticks: { stroke: "#262b35" } };
    const bars = uPlot.paths.bars({ size: [0.6, 40] });
    const opts = Object.assign(chartSize(), {
      scales: { x: { time: false, range: (u, min, max) => [min - 0.5, max + 0.5] }, tokens: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] }, sol: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      series: [
        { label: "Cycle", value: (u, v) => (v === null ? "–" : "#" + fmtNumber(v, 0)) },
        { label: "Tokens burned", scale: "tokens", stroke: "#ff7a1a", fill: "rgba(255,122,26,0.35)", width: 1, paths: bars, points: { show: false },
          value: (u, v) => fmtNumber(v, 6) },
        { label: "SOL spent", scale: "sol", stroke: "#5aa9ff", width: 2, points: { show: true, size: 5 },
          value: (u, v) => (v === null ? "–" : fmtNumber(v, 9) + " SOL") },
      ],
      axes: [
        Object.assign({}, axis, { label: "cycle", incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000],
          values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? "#" + v : "")) }),
        Object.assign({}, axis, { scale: "tokens", label: "tokens burned", values: (u, vals) => vals.map(compact), size: 60 }),
        Object.assign({}, axis, { scale: "sol", side: 1, label: "SOL spent", values: (u, vals) => vals.map(compact), size: 60, grid: { show: false } }),
      ],
    });
    return new uPlot(opts, data, $("chart"));
  }

  function renderChart(series) {
    state.series = series;
    const data = chartData(series);
    const box = $("chart");
    box.dataset.points = String(series.cycleIds.length);
    box.setAttribute("aria-label", "Burn history of " + series.symbol + ": " + series.cycleIds.length + " cycles");
    $("chart-empty").hidden = series.cycleIds.length > 0;
    if (state.chart === null) state.chart = makeChart(data);
    else state.chart.setData(data);
    // the legend shows the latest cycle until the pointer picks another
    if (data[0].length > 0) state.chart.setLegend({ idx: data[0].length - 1 });
  }

  async function loadHistory() {
    const query = state.mint ? "?mint=" + encodeURIComponent(state.mint) : "";
    const response = await fetch("/api/dashboard/history" + query, { cache: "no-store" });
    if (!response.ok) throw new Error("history: HTTP " + response.status);
    const series = await response.json();
    state.historyVersion = series.historyVersion;
    renderChart(series);
  }

  // ------------------------------------------------------------------ loop

  async function poll() {
    let delay = 2000;
    try {
      const response = await fetch("/api/dashboard", { cache: "no-store" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const d = await response.json();
      state.data = d;
      renderHeader(d);
      renderSummary(d);
      renderHealth(d);
      renderTokens(d);
      renderCycles(d);
      renderEvents("deferrals", "deferrals-empty", d.deferrals, (e) => e.symbol + ": " + e.reason + " (pending " + e.pendingFeesSOL + ")");
      renderEvents("failures", "failures-empty", d.failures, (e) => e.error + " · " + e.consecutiveFailures + " in a row");
      if (d.historyVersion !== state.historyVersion) await loadHistory();
      if (!state.rendered) {
        state.rendered = true;
        performance.mark("dashboard-rendered"); // first full render: rows, health, chart (bench/dashboard_load.py)
      }
      delay = Math.min(5000, Math.max(1000, d.refreshSeconds * 1000));
      document.body.dataset.updated = String(d.generatedAt);
    } catch (err) {
      const f = $("freshness");
      f.textContent = "Daemon not reachable (" + err.message + "); retrying…";
      f.classList.add("down");
    }
    state.timer = setTimeout(poll, delay);
  }

  function start() {
    $("chart-token").addEventListener("change", (event) => {
      state.mint = event.target.value || null;
      loadHistory().catch(() => {});
    });
    let resizeTimer = null;
    window.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => { if (state.chart) state.chart.setSize(chartSize()); }, 100);
    });
    poll();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
