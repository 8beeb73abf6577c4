/* The grid of a table rule over two groups, kept in step with the rule's rows text.
 *
 * The server draws the grid of a saved rule and reads the boxes posted (catalog/grid.py), so
 * the page works without this file. This file adds: the grid of a rule whose groups and
 * values are being typed on this page (one save builds a product), rows rewritten as boxes are
 * ticked, boxes ticked as rows are typed, the legend and the message as they change. The
 * rules here are the same as catalog/grid.py's: change both together.
 */
(function () {
  "use strict";

  const GRID_MAX = 20;
  const TABLES = ["allowed", "forbidden"];

  function byName(name) {
    return document.querySelector('[name="' + name + '"]');
  }

  function deleted(prefix) {
    const box = byName(prefix + "-DELETE");
    return Boolean(box && box.checked);
  }

  // The "choose one" groups on the page now: code -> {name, required, values: [[code, name]]}.
  function pageGroups() {
    const groups = {};
    document.querySelectorAll('input[name^="groups-"][name$="-code"]').forEach(function (input) {
      const found = /^(groups-\d+)-code$/.exec(input.name);
      const code = input.value.trim();
      if (!found || !code || deleted(found[1])) return;
      const prefix = found[1];
      const kind = byName(prefix + "-kind");
      if (kind && kind.value !== "choice") return;
      const required = byName(prefix + "-required");
      const name = byName(prefix + "-name_vi");
      const values = [];
      const pattern = new RegExp("^(" + prefix + "-values-\\d+)-code$");
      document.querySelectorAll('input[name^="' + prefix + '-values-"]').forEach(function (v) {
        const own = pattern.exec(v.name);
        const valueCode = v.value.trim();
        if (!own || !valueCode || deleted(own[1])) return;
        const valueName = byName(own[1] + "-name_vi");
        values.push([valueCode, (valueName && valueName.value.trim()) || valueCode]);
      });
      groups[code] = {
        code: code,
        name: (name && name.value.trim()) || code,
        required: !required || required.checked,
        values: values,
      };
    });
    return groups;
  }

  function lines(text) {
    return text.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
  }

  // The boxes the text ticks ("a,b"), or null when boxes cannot say it (see grid_cells).
  function cellsOf(rows, axes) {
    const ticked = new Set();
    for (const line of rows) {
      const parts = line.split(",").map(function (p) { return p.trim(); });
      if (parts.length !== 2) return null;
      const sides = [];
      for (let i = 0; i < 2; i += 1) {
        const codes = axes[i].values.map(function (v) { return v[0]; });
        if (parts[i] === "*" && axes[i].required) sides.push(codes);
        else if (codes.indexOf(parts[i]) >= 0) sides.push([parts[i]]);
        else return null;
      }
      sides[0].forEach(function (a) { sides[1].forEach(function (b) { ticked.add(a + "," + b); }); });
    }
    return ticked;
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function drawTable(box, prefix, axes, ticked) {
    const table = box.querySelector(".rule-grid__table");
    const caption = table.querySelector("caption");
    while (table.lastChild && table.lastChild !== caption) table.removeChild(table.lastChild);
    const head = el("tr");
    head.appendChild(el("th", { scope: "col", class: "rule-grid__corner" }, axes[0].name + " \\ " + axes[1].name));
    axes[1].values.forEach(function (v) { head.appendChild(el("th", { scope: "col" }, v[1])); });
    const thead = el("thead");
    thead.appendChild(head);
    const tbody = el("tbody");
    axes[0].values.forEach(function (a) {
      const tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, a[1]));
      axes[1].values.forEach(function (b) {
        const input = el("input", {
          type: "checkbox", name: prefix + "-grid", value: a[0] + "," + b[0], "aria-label": a[1] + " × " + b[1],
        });
        input.checked = ticked.has(a[0] + "," + b[0]);
        const td = el("td");
        td.appendChild(input);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(thead);
    table.appendChild(tbody);
  }

  function hidden(box, prefix, suffix) {
    const input = box.querySelector('input[type="hidden"][name$="' + suffix + '"]');
    if (input) input.name = prefix + suffix;
    return input;
  }

  // Draw one rule's grid from the page as it is now.
  function refresh(rowsText, groups) {
    const prefix = rowsText.name.replace(/-rows_text$/, "");
    const form = rowsText.closest(".inline-related") || rowsText.form;
    const box = form && form.querySelector(".rule-grid");
    if (!box || box.dataset.readonly) return;
    const kind = (byName(prefix + "-kind") || {}).value || "";
    const codes = ((byName(prefix + "-groups_text") || {}).value || "")
      .split(",").map(function (c) { return c.trim(); }).filter(Boolean);
    const message = ((byName(prefix + "-message_vi") || {}).value || "").trim();
    const axesInput = hidden(box, prefix, "-grid_axes");
    hidden(box, prefix, "-grid_was");
    const why = box.querySelector(".rule-grid__why");
    const body = box.querySelector(".rule-grid__body");
    let reason = "";
    let ticked = null;
    const axes = codes.map(function (c) { return groups[c]; });
    if (TABLES.indexOf(kind) < 0) reason = null;
    else if (!codes.length) reason = box.dataset.whyNone;
    else if (codes.length !== 2) reason = box.dataset.whyCount;
    else if (!axes[0] || !axes[1] || !axes[0].values.length || !axes[1].values.length
      || Math.max(axes[0].values.length, axes[1].values.length) > GRID_MAX) reason = box.dataset.whyValues;
    else {
      ticked = cellsOf(lines(rowsText.value), axes);
      if (!ticked) reason = box.dataset.whyText;
    }
    why.textContent = reason || "";
    why.hidden = !reason;
    body.hidden = !ticked;
    const wanted = ticked ? codes.join(",") : "";
    if (axesInput && axesInput.value !== wanted) {
      axesInput.value = wanted;
    }
    if (ticked) {
      drawTable(box, prefix, axes, ticked);
      box.querySelector(".rule-grid__legend").textContent =
        kind === "forbidden" ? box.dataset.legendForbidden : box.dataset.legendAllowed;
    }
    const quote = box.querySelector(".rule-grid__message-text");
    quote.textContent = message;
    quote.hidden = !message;
    box.querySelector(".rule-grid__no-message").hidden = Boolean(message);
  }

  function refreshAll() {
    const groups = pageGroups();
    document.querySelectorAll('textarea[name^="rules-"][name$="-rows_text"]').forEach(function (t) {
      if (/^rules-\d+-rows_text$/.test(t.name)) refresh(t, groups);
    });
  }

  // A box ticked or cleared: the rows become one line per ticked box, in the grid's order.
  function ticked(box) {
    const form = box.closest(".inline-related") || box.closest("form");
    const rowsText = form.querySelector('textarea[name$="-rows_text"]');
    const values = Array.from(box.querySelectorAll('input[type="checkbox"]:checked')).map(function (i) {
      return i.value.split(",").join(", ");
    });
    rowsText.value = values.join("\n");
  }

  // Only what a grid is drawn from: group and value codes, names, kinds, deletions; rules.
  const DRAWN_FROM = /^(groups-\d+(-values-\d+)?-(code|name_vi|kind|required|DELETE)|rules-\d+-(kind|groups_text|rows_text|message_vi))$/;
  let pending = 0;
  function soon() {  // a large option set is scanned once per pause in typing, not per key
    window.clearTimeout(pending);
    pending = window.setTimeout(refreshAll, 120);
  }

  document.addEventListener("change", function (event) {
    const box = event.target.closest && event.target.closest(".rule-grid");
    if (box && event.target.type === "checkbox") ticked(box);
    else if (DRAWN_FROM.test(event.target.name || "")) refreshAll();
  });
  document.addEventListener("input", function (event) {
    if (DRAWN_FROM.test(event.target.name || "")) soon();
  });
  // A rule added by "Add another": drawn when the merchant reaches it.
  document.addEventListener("focusin", function (event) {
    const inRule = event.target.name && /^rules-\d+-/.test(event.target.name);
    if (inRule && !event.target.closest(".rule-grid")) refreshAll();
  });
  document.addEventListener("submit", function () { refreshAll(); }, true);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refreshAll);
  else refreshAll();
})();
