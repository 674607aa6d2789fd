// Click a column heading of a portfolio table to sort by it; click again to reverse. Each heading
// holds a button, so that the keyboard (Tab, Enter) and screen readers reach it; aria-sort says the order.
// Written here rather than pulled from a CDN: the site must work without internet access.
(function () {
  function value(cell) {
    // A cell may carry its sort key (tier rank, an ISO date with "never" first, a number).
    var keyed = cell.querySelector("[data-sort]");
    if (keyed) {
      var key = keyed.getAttribute("data-sort");
      return /^-?\d+(\.\d+)?$/.test(key) ? parseFloat(key) : key;
    }
    var text = cell.textContent.trim();
    var number = parseFloat(text.replace(/^[A-Z]{3}\s/, "").replace(/,/g, ""));
    if (!isNaN(number) && /^[A-Z]{0,3}\s?-?[\d.,]+[kMB]?$/.test(text)) {
      var scale = { k: 1e3, M: 1e6, B: 1e9 }[text.slice(-1)] || 1;
      return number * scale;
    }
    return text.toLowerCase();
  }
  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.setAttribute("aria-sort", "none"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a.cells[index]), y = value(b.cells[index]);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function setup() {
    document.querySelectorAll(".kam-sortable table").forEach(function (table) {
      if (!table.tHead || table.dataset.kamSortable) return;
      table.dataset.kamSortable = "1";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        if (!th.textContent.trim()) return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "kam-sort";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        th.setAttribute("aria-sort", "none");
        button.addEventListener("click", function () { sortBy(table, index, th); });
      });
    });
  }
  if (window.document$) { window.document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();

// Account and person pages are not in the navigation (for scale), so the theme highlights no
// tab for them: the breadcrumb's first link names the section, and its tab is marked active.
(function () {
  function markTab() {
    var first = document.querySelector(".kam-crumbs a");
    if (!first) return;
    document.querySelectorAll(".md-tabs__item").forEach(function (item) {
      var link = item.querySelector("a");
      if (link && link.href === first.href) item.classList.add("md-tabs__item--active");
    });
  }
  if (window.document$) { window.document$.subscribe(markTab); } else { document.addEventListener("DOMContentLoaded", markTab); }
})();

// Filters: a wrapper with data-filter="Tier,KAM" gets one list per named column, built from the
// values in that column; rows that do not match every chosen value are hidden.
(function () {
  function cellText(row, index) { return row.cells[index] ? row.cells[index].textContent.trim() : ""; }
  function setup() {
    document.querySelectorAll(".kam-filterable[data-filter]").forEach(function (wrapper) {
      var table = wrapper.querySelector("table");
      if (!table || !table.tHead || wrapper.dataset.kamFiltered) return;
      wrapper.dataset.kamFiltered = "1";
      var headers = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent.trim(); });
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var bar = document.createElement("div");
      bar.className = "kam-filters";
      var chosen = {};
      function apply() {
        var shown = 0;
        rows.forEach(function (row) {
          var keep = Object.keys(chosen).every(function (i) { return !chosen[i] || cellText(row, i) === chosen[i]; });
          row.hidden = !keep;
          shown += keep ? 1 : 0;
        });
        count.textContent = shown + " of " + rows.length;
      }
      wrapper.getAttribute("data-filter").split(",").forEach(function (name) {
        var index = headers.indexOf(name.trim());
        if (index < 0) return;
        var values = rows.map(function (row) { return cellText(row, index); })
          .filter(function (v, i, all) { return v && all.indexOf(v) === i; }).sort();
        var label = document.createElement("label");
        label.textContent = name.trim() + " ";
        var select = document.createElement("select");
        select.setAttribute("aria-label", "Filter by " + name.trim());
        [""].concat(values).forEach(function (v) {
          var option = document.createElement("option");
          option.value = v;
          option.textContent = v || "all";
          select.appendChild(option);
        });
        select.addEventListener("change", function () { chosen[index] = select.value; apply(); });
        label.appendChild(select);
        bar.appendChild(label);
      });
      var count = document.createElement("span");
      count.className = "kam-filter-count";
      bar.appendChild(count);
      wrapper.insertBefore(bar, wrapper.firstChild);
      apply();
    });
  }
  if (window.document$) { window.document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();

// The morning view: the counts line filters by kind; lists by who acts, team (the accounts'
// executive sponsor), region and tier; "I am" and "only mine" are remembered in this browser
// (localStorage: the site stays static and offline). On the home page, which carries the most
// urgent rows and each person's first few beyond them, a filter shows the first matching rows.
(function () {
  var FIELDS = [["who", "Who acts"], ["team", "Team"], ["region", "Region"], ["tier", "Tier"]];
  function remembered(key) { try { return window.localStorage.getItem(key) || ""; } catch (e) { return ""; } }
  function remember(key, value) { try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value; o.textContent = text; select.appendChild(o); return o;
  }
  function setup() {
    document.querySelectorAll(".kam-morning").forEach(function (wrapper) {
      var table = wrapper.querySelector("table");
      if (!table || wrapper.dataset.kamMorning) return;
      wrapper.dataset.kamMorning = "1";
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var first = parseInt(wrapper.getAttribute("data-first") || "0", 10);
      var chosen = {}, kinds = {};
      var bar = document.createElement("div");
      bar.className = "kam-filters";
      function values(field) {
        return rows.map(function (r) { return r.getAttribute("data-" + field) || ""; })
          .concat(field === "who" ? rows.map(function (r) { return r.getAttribute("data-kam") || ""; }) : [])
          .filter(function (v, i, all) { return v && all.indexOf(v) === i; }).sort();
      }
      var me = document.createElement("select");
      me.setAttribute("aria-label", "I am");
      option(me, "", "I am…");
      values("who").forEach(function (v) { option(me, v, v); });
      me.value = remembered("kam-me");
      var mine = document.createElement("input");
      mine.type = "checkbox";
      mine.checked = remembered("kam-mine") === "1" && !!me.value;
      var mineLabel = document.createElement("label");
      mineLabel.appendChild(mine);
      mineLabel.appendChild(document.createTextNode(" only mine"));
      bar.appendChild(me);
      bar.appendChild(mineLabel);
      FIELDS.forEach(function (field) {
        var select = document.createElement("select");
        select.setAttribute("aria-label", "Filter by " + field[1].toLowerCase());
        option(select, "", field[1] + ": all");
        values(field[0]).forEach(function (v) { option(select, v, v); });
        select.addEventListener("change", function () { chosen[field[0]] = select.value; apply(); });
        var label = document.createElement("label");
        label.appendChild(select);
        bar.appendChild(label);
      });
      var count = document.createElement("span");
      count.className = "kam-filter-count";
      count.setAttribute("aria-live", "polite");
      bar.appendChild(count);
      wrapper.insertBefore(bar, wrapper.firstChild);
      var buttons = Array.prototype.slice.call(document.querySelectorAll(".kam-counts .kam-count"));
      function matches(row) {
        var who = me.value;
        if (mine.checked && who && row.getAttribute("data-who") !== who && row.getAttribute("data-kam") !== who) return false;
        var anyKind = Object.keys(kinds).some(function (k) { return kinds[k]; });
        if (anyKind && !kinds[row.getAttribute("data-kind")]) return false;
        return Object.keys(chosen).every(function (f) { return !chosen[f] || row.getAttribute("data-" + f) === chosen[f]; });
      }
      function apply() {
        var filtering = (mine.checked && me.value) || Object.keys(chosen).some(function (f) { return chosen[f]; }) ||
          Object.keys(kinds).some(function (k) { return kinds[k]; });
        var shown = 0, matched = 0;
        rows.forEach(function (row) {
          var keep = matches(row);
          matched += keep ? 1 : 0;
          if (first && !filtering) keep = !row.classList.contains("kam-extra");
          else if (first && keep && shown >= first) keep = false;
          row.hidden = !keep;
          shown += keep ? 1 : 0;
        });
        count.textContent = filtering ? (first ? shown + " shown" : matched + " of " + rows.length) : "";
      }
      me.addEventListener("change", function () {
        remember("kam-me", me.value);
        if (!me.value) { mine.checked = false; remember("kam-mine", ""); }
        apply();
      });
      mine.addEventListener("change", function () { remember("kam-mine", mine.checked ? "1" : ""); apply(); });
      buttons.forEach(function (button) {
        button.addEventListener("click", function () {
          var kind = button.getAttribute("data-kind");
          kinds[kind] = !kinds[kind];
          button.setAttribute("aria-pressed", kinds[kind] ? "true" : "false");
          apply();
        });
      });
      apply();
    });
  }
  if (window.document$) { window.document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();

// Layout helpers. On a phone a key table is a stack of cards (kam.css): each cell is labelled with
// its column's heading. A chart wider than the screen opens on its latest point (the right end)
// and the stakeholder map on the top of its tree. A box that scrolls sideways takes the keyboard
// focus, so it can be scrolled without a mouse.
(function () {
  function label() {
    document.querySelectorAll(".kam-cards table").forEach(function (table) {
      if (!table.tHead) return;
      var headers = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent.trim(); });
      Array.prototype.forEach.call(table.tBodies[0] ? table.tBodies[0].rows : [], function (row) {
        Array.prototype.forEach.call(row.cells, function (td, i) { td.setAttribute("data-label", headers[i] || ""); });
      });
    });
  }
  function scrollable(box, name) {
    if (box.scrollWidth <= box.clientWidth + 1) return;
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", name + " (scrolls sideways)");
  }
  function open() {
    document.querySelectorAll(".kam-chart-wrap").forEach(function (wrap) {
      var title = wrap.querySelector("svg > title");
      wrap.scrollLeft = wrap.scrollWidth;
      scrollable(wrap, title ? title.textContent : "Chart");
    });
    document.querySelectorAll(".kam-map-wrap").forEach(function (wrap) {
      var root = wrap.querySelector("g.node.root"), map = wrap.querySelector("svg");
      if (root && map) {
        var box = root.getBoundingClientRect(), frame = wrap.getBoundingClientRect();
        wrap.scrollLeft += box.left + box.width / 2 - (frame.left + frame.width / 2);
      }
      scrollable(wrap, map ? map.getAttribute("aria-label") : "Stakeholder map");
    });
    document.querySelectorAll("article .md-typeset__scrollwrap").forEach(function (wrap) {
      var first = wrap.querySelector("th");
      scrollable(wrap, "Table" + (first && first.textContent.trim() ? ": " + first.textContent.trim() : ""));
    });
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
  }
  function setup() { label(); open(); }
  if (window.document$) { window.document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();
