/* The studio: every choice goes to the server, which answers with what is available, why
 * not, and the price. The server is the authority; this script only draws its answer.
 * The page works without it: the server draws the same form (studio/group.html) and this
 * script takes it over as it is (no redraw on load), with one set of delegated listeners
 * that serve the server's markup and every redraw alike. On a phone it shows one step at
 * a time. No framework, no network access but the shop's own API. */
(function () {
  "use strict";

  const root = document.querySelector(".studio");
  if (!root) return;
  const text = JSON.parse(document.getElementById("studio-text").textContent);
  let state = JSON.parse(document.getElementById("studio-state").textContent);
  let selection = Object.assign({}, state.selection);
  let designId = state.design;
  const reasons = state.reasons || {};
  const defaultsShown = Object.assign({}, state.selection);
  const defaultsToken = state.defaults_token || "";
  const expanded = new Set(
    [...document.querySelectorAll("#groups .more[aria-expanded=true]")].map((b) => b.id.replace(/--more$/, "")));
  const fileNames = {}; // group -> the name of the file the shopper chose (shown beside the button)
  let current = 0; // the step shown on a phone (all are shown on a wide screen)
  const uploads = Object.assign({}, state.uploads); // group -> {id, width, height}
  for (const [group, upload] of Object.entries(uploads)) selection[group] = upload.id;
  const lang = document.documentElement.lang || "vi";
  let pending = null;
  let sequence = 0; // the number of the latest evaluation sent; older answers are dropped
  const typing = {}; // group -> the one debounce timer of its text field
  const textFields = {}; // group -> its text field, kept across renders (focus, caret, IME)
  // group -> its file input, kept across renders: a redraw while the shopper is choosing a
  // file must not replace the input the browser will give the chosen file to.
  const fileInputs = {};
  // group -> the server's refusal of what the shopper gave it (a text, a picture): its
  // words and, when other choices would make it fit, the repair. Shown beside the field.
  let problems = {};
  // Where the shopper placed each picture or text in its print area (group -> {x, y, scale,
  // rotation}: the centre as fractions of the area, a share of the size that fits, degrees
  // clockwise), and where those areas lie on the preview (from the page, never redrawn).
  let placement = Object.assign({}, state.placement);
  const areas = state.areas || {};
  let active = null; // the group whose handles show on the preview
  let placeTimer = null;

  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key === "style") Object.assign(node.style, value); // not an attribute: CSP allows it
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };

  // A colour swatch as the server draws it: an SVG circle whose fill is an attribute, which
  // a Content-Security-Policy without 'unsafe-inline' allows where a style attribute is not.
  function swatchOf(colour) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("aria-hidden", "true");
    const circle = document.createElementNS(ns, "circle");
    for (const [key, value] of [["cx", "10"], ["cy", "10"], ["r", "9.5"], ["fill", colour]]) circle.setAttribute(key, value);
    svg.append(circle);
    return svg;
  }

  function money(amount, currency) {
    const digits = currency === "VND" || currency === "JPY" ? 0 : 2;
    return new Intl.NumberFormat(lang === "en" ? "en-US" : "vi-VN", {
      style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits,
    }).format(Number(amount));
  }

  function csrf() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function api(url, options) {
    const response = await fetch(url, Object.assign({
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept-Language": lang },
    }, options));
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    return { ok: response.ok, status: response.status, body };
  }

  function say(message, kind, action) {
    const status = document.getElementById("status");
    status.replaceChildren(message || "");
    if (action) status.append(" ", action);
    status.className = "studio__status" + (kind ? " studio__status--" + kind : "");
  }

  // The server's patterns are Python's, where \w takes every letter ("Ánh", "Nguyễn");
  // in JavaScript \w is ASCII even with the u flag, so spell it out as Unicode classes.
  function unicodeWords(pattern) {
    let out = "", inClass = false;
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === "\\" && i + 1 < pattern.length) {
        const next = pattern[i + 1];
        if (next === "w") out += inClass ? "\\p{L}\\p{M}\\p{N}_" : "[\\p{L}\\p{M}\\p{N}_]";
        else out += ch + next;
        i++;
        continue;
      }
      if (ch === "[") inClass = true;
      else if (ch === "]") inClass = false;
      out += ch;
    }
    return out;
  }

  // Choosing.

  function setChoice(group, value) {
    delete selection[group]; // re-insert: the latest choice comes last
    if (value !== undefined) selection[group] = value;
  }

  function choose(group, value) {
    setChoice(group, value);
    evaluate();
  }

  function toggle(group, value) {
    const current = new Set(selection[group] || []);
    if (current.has(value)) current.delete(value); else current.add(value);
    const groupState = state.groups.find((g) => g.code === group);
    setChoice(group, groupState.values.map((v) => v.code).filter((c) => current.has(c)));
    evaluate();
  }

  function repair(group, value, changes) {
    for (const [g, v] of Object.entries(changes || {})) setChoice(g, v);
    const groupState = state.groups.find((g) => g.code === group);
    if (groupState.kind === "multi") {
      const current = new Set(selection[group] || []);
      current.add(value);
      setChoice(group, [...current]);
    } else setChoice(group, value);
    evaluate(group + "--" + value);
  }

  // The selection as sent: the choices, and where pictures and texts are placed.
  function sent() {
    const placed = {};
    for (const [group, p] of Object.entries(placement)) {
      if (group in selection && selection[group] && !isCentred(p)) placed[group] = p;
    }
    return Object.keys(placed).length ? Object.assign({}, selection, { "@placement": placed }) : selection;
  }

  async function evaluate(focusId) {
    const mine = ++sequence;
    if (pending) pending.abort();
    const controller = new AbortController();
    pending = controller;
    root.setAttribute("aria-busy", "true");
    let result;
    try {
      result = await api(root.dataset.evaluateUrl, {
        method: "POST", body: JSON.stringify({ selection: sent() }), signal: controller.signal,
      });
    } catch (e) {
      if (mine !== sequence) return; // a newer evaluation is on its way and will answer
      root.removeAttribute("aria-busy");
      pending = null;
      if (e.name === "AbortError") return;
      say(text.offline, "error", el("button", {
        type: "button", class: "button button--small", id: "retry", text: text.retry,
        onclick: () => evaluate(),
      }));
      return;
    }
    if (mine !== sequence) return; // an answer to an older selection: never drawn
    root.removeAttribute("aria-busy");
    pending = null;
    if (!result.ok) {
      const detail = (result.body && result.body.detail) || text.error;
      const field = (result.body && result.body.field) || "";
      if (field.startsWith("selection.@placement")) {
        // Refused where it was put: back to where the server last took it, said aloud.
        placement = Object.assign({}, state.placement);
        say(detail, "error");
        drawPlacer();
        return;
      }
      const refused = state.groups.find((g) => field === "selection." + g.code);
      // A text, a picture, a number, or a value that ran out of stock (selection.E030,
      // with the value to switch to): said beside the field, with its one-click repair.
      const outOfStock = result.body && result.body.code === "selection.E030";
      if (refused && (refused.kind === "image" || refused.kind === "text" || refused.kind === "number" || outOfStock)) {
        // Said beside the field, with its repair; what is applied stays what the server took.
        problems[refused.code] = { detail, repair: result.body.repair || null, typed: selection[refused.code] };
        if (refused.code in state.selection) setChoice(refused.code, state.selection[refused.code]);
        else delete selection[refused.code];
        if (refused.kind === "image" && uploads[refused.code] && refused.code in state.selection) {
          selection[refused.code] = uploads[refused.code].id;
        }
        say("");
        render();
        return;
      }
      say(detail, "error");
      return;
    }
    problems = {};
    state = result.body;
    for (const code of Object.keys(placement)) if (!state.selection[code]) delete placement[code];
    selection = Object.assign({}, state.selection);
    for (const [group, upload] of Object.entries(uploads)) {
      if (group in state.selection) selection[group] = upload.id;
    }
    say("");
    render(focusId);
  }

  // Drawing.

  // Unavailable values of one group that share a reason (same words, same repair) are
  // explained once, under the list, naming the values; a lone reason stays with its value.
  function reasonKey(value) {
    const reason = value.reason;
    return reason ? JSON.stringify([reason.messages, reason.repair]) : "";
  }

  function sharedReasons(group, values) {
    const byKey = new Map();
    for (const value of values) {
      if (value.available || !value.reason) continue;
      const key = reasonKey(value);
      if (!byKey.has(key)) byKey.set(key, []);
      byKey.get(key).push(value);
    }
    const shared = new Map(); // reason key -> {id, values}
    let number = 0;
    for (const [key, members] of byKey) {
      if (members.length > 1) shared.set(key, { id: `${group.code}--why-${++number}`, values: members });
    }
    return shared;
  }

  function changeNames(changes) {
    return Object.entries(changes).map(([g, v]) => {
      const gs = state.groups.find((x) => x.code === g);
      const vs = gs && gs.values.find((x) => x.code === v);
      // A number is said with its unit, as the page without the script says it.
      const shown = gs && gs.kind === "number" && v !== null ? numberShown(String(v), gs.limits.unit) : v;
      return `${gs ? gs.name : g}: ${vs ? vs.name : (v === null ? text.none : shown)}`;
    });
  }

  // The one-click repair of a refused text or picture: the other choices change, and what
  // the shopper gave (the text in the field, the uploaded picture) is applied with them.
  function fieldRepair(group) {
    const problem = problems[group.code];
    if (!problem || !problem.repair) return null;
    return el("button", {
      type: "button", class: "button button--small switch", id: group.code + "--repair",
      text: `${text.switch} (${text.switchChanges} ${changeNames(problem.repair).join(", ")})`,
      onclick: () => {
        for (const [g, v] of Object.entries(problem.repair)) setChoice(g, v);
        if (group.kind === "image" && uploads[group.code]) setChoice(group.code, uploads[group.code].id);
        else if (group.kind === "text" && textFields[group.code]) {
          setChoice(group.code, textFields[group.code].input.value.normalize("NFC"));
        } else if (group.kind === "number") setChoice(group.code, problem.typed);
        delete problems[group.code];
        evaluate(group.kind === "image" ? group.code + "--file" : group.code + "--" + (group.kind === "number" ? "number" : "text"));
      },
    });
  }

  function valueControl(group, value, shared) {
    const id = `${group.code}--${value.code}`;
    const together = value.available ? null : shared.get(reasonKey(value));
    const whyId = together ? together.id : id + "--why";
    const multi = group.kind === "multi";
    const input = el("input", {
      type: multi ? "checkbox" : "radio",
      name: group.code,
      id,
      value: value.code,
      checked: value.chosen,
      "aria-disabled": value.available ? null : "true",
      "aria-describedby": value.available ? null : whyId,
    });
    const swatch = value.swatch
      ? swatchOf(value.swatch)
      : value.image
        ? el("img", { class: "thumb", src: value.image, alt: "", width: 40, height: 40, loading: "lazy" })
        : null;
    const delta = Number(value.price_delta) ? el("span", {
      class: "delta", text: (Number(value.price_delta) > 0 ? "+" : "") + money(value.price_delta, state.price.currency),
    }) : null;
    const label = el("label", { for: id, class: "value" + (value.available ? "" : " value--off") },
      input, swatch, el("span", { class: "value__name", text: value.name }), delta);
    const item = el("li", { class: "values__item" }, label);
    if (!value.available) {
      const reason = value.reason;
      if (!together) {
        item.append(el("p", { class: "why", id: whyId },
          (reason && reason.messages.length ? reason.messages.join(" ") : text.unavailable)));
      }
      if (reason && reason.repair) {
        const names = changeNames(reason.repair);
        item.append(el("button", {
          type: "submit", name: "repair", value: `${group.code}:${value.code}`,
          class: "button button--small switch", "aria-describedby": whyId,
          "data-group": group.code, "data-value": value.code,
          text: `${text.switch} (${text.switchChanges} ${names.join(", ")})`,
        }));
      }
    }
    return item;
  }

  function choiceGroup(group, body) {
    const problem = problems[group.code];
    if (problem) {
      body.append(el("p", { class: "field-error", id: group.code + "--error", text: problem.detail }));
      const fix = fieldRepair(group);
      if (fix) body.append(fix);
    }
    const list = el("ul", { class: "values", role: "list" });
    const showAll = expanded.has(group.code);
    const visible = group.values.filter((value) => value.shown || showAll || value.chosen);
    const shared = sharedReasons(group, visible);
    for (const value of visible) list.append(valueControl(group, value, shared));
    if (group.kind === "choice" && !group.required) {
      const id = `${group.code}--none`;
      list.append(el("li", { class: "values__item" }, el("label", { for: id, class: "value" },
        el("input", {
          type: "radio", name: group.code, id, value: "", checked: group.chosen === null && group.code in selection,
          disabled: !group.can_be_empty,
        }), el("span", { class: "value__name", text: text.none }))));
    }
    body.append(list);
    for (const { id, values } of shared.values()) {
      const reason = values[0].reason;
      body.append(el("p", { class: "why why--shared", id },
        el("span", { class: "why__values", text: values.map((v) => v.name).join(", ") + ": " }),
        reason.messages.length ? reason.messages.join(" ") : text.unavailable));
    }
    if (group.more > 0 || showAll) {
      body.append(el("button", {
        type: "submit", name: "more", value: group.code, class: "button button--ghost more",
        "aria-expanded": String(showAll), id: group.code + "--more",
        text: showAll ? text.showFewer : text.showAllMore.replace("%(count)s", group.more),
      }));
    }
  }

  // A text field is made once and kept: a render moves it, never rebuilds it, so what the
  // shopper is typing (and an input method's composition) survives every answer. Its one
  // timer reads the field when it fires, never a value captured earlier.
  function textField(group) {
    const id = group.code + "--text";
    const max = group.limits.max_length;
    const pattern = group.limits.pattern
      ? new RegExp(`^(?:${unicodeWords(group.limits.pattern)})$`, "u") : null;
    // The server drew the field: it is taken over as it is, with whatever was typed in it
    // before this script ran. A field the page lacks is made the same way.
    const drawn = document.getElementById(id);
    const counter = drawn ? document.getElementById(id + "--count")
      : el("span", { class: "counter", id: id + "--count", "aria-live": "polite" });
    const error = drawn ? document.getElementById(id + "--error")
      : el("span", { class: "field-error", id: id + "--error" });
    const repairSlot = (drawn && drawn.parentNode.querySelector(".field-repair")) || el("span", { class: "field-repair" });
    // No maxlength: a text over the limit is kept whole and said to be too long, never cut.
    const input = drawn || el("input", {
      type: "text", id, name: group.code, value: selection[group.code] || "",
      "aria-describedby": `${id}--count ${id}--error`, autocomplete: "off", lang,
    });
    const update = () => {
      const value = input.value.normalize("NFC");
      const left = max ? max - [...value].length : 0;
      if (max) counter.textContent = left >= 0 ? `${left} ${text.remaining}` : `${-left} ${text.tooMany}`;
      counter.className = "counter" + (left < 0 ? " counter--over" : "");
      const refused = value && pattern && !pattern.test(value);
      const problem = problems[group.code];
      error.textContent = problem ? problem.detail : left < 0 ? text.tooLong : refused ? text.patternRefused : "";
      repairSlot.replaceChildren(fieldRepair(group) || "");
      input.setAttribute("aria-invalid", problem || left < 0 || refused ? "true" : "false");
      return refused ? null : value;
    };
    input.addEventListener("input", () => {
      delete problems[group.code];
      update();
      clearTimeout(typing[group.code]);
      typing[group.code] = setTimeout(() => {
        delete typing[group.code];
        const value = update();
        if (value !== null && value !== (selection[group.code] || "")) choose(group.code, value);
      }, 250);
    });
    update();
    const label = (drawn && drawn.labels[0]) || el("label", { for: id, class: "sr-only", text: group.name });
    const over = () => Boolean(max) && [...input.value.normalize("NFC")].length > max;
    return { input, update, over, nodes: [label, input, counter, error, repairSlot] };
  }

  function textGroup(group, body) {
    const field = textFields[group.code] || (textFields[group.code] = textField(group));
    // The server's echo only sets a field the shopper is not typing in (a repair, a reset).
    const busy = document.activeElement === field.input || group.code in typing;
    const echoed = selection[group.code] || "";
    // A text refused or over the limit stays as typed: the shopper sees it and its message.
    const held = field.over() || group.code in problems;
    if (!busy && !held && field.input.value.normalize("NFC") !== echoed) field.input.value = echoed;
    field.update();
    body.append(...field.nodes);
    body.append(...contrastNodes(group));
  }

  // A text that would not read on what is under it (the server reads the preview's layers):
  // said under the field, with the text colour that would read as a one-tap change.
  function contrastNodes(group) {
    const contrast = group.contrast;
    if (!contrast || contrast.level === "ok") return [];
    const nodes = [el("p", { class: "field-note field-note--warning", id: group.code + "--contrast", text: contrast.message })];
    if (contrast.repair) {
      nodes.push(el("button", {
        type: "button", class: "button button--small switch", id: group.code + "--contrast-repair",
        "aria-describedby": group.code + "--contrast", text: contrast.repair_label,
        onclick: () => {
          for (const [g, v] of Object.entries(contrast.repair)) setChoice(g, v);
          evaluate(group.code + "--text");
        },
      }));
    }
    return nodes;
  }

  // A number as the shopper reads it ("0,5 m" in Vietnamese) and as the server takes it.
  function numberShown(number, unit) {
    const shown = lang === "vi" ? String(number).replace(".", ",") : String(number);
    return unit ? `${shown} ${unit}` : shown;
  }
  function numberTyped(input) {
    const value = input.value.trim().replace(",", ".");
    return value === "" ? null : value;
  }

  // A number group: one field (any keyboard, "0,5" too), its range in words, and each run
  // of numbers other choices rule out, with the reason and the switch that makes it fit.
  function numberGroup(group, body) {
    const id = group.code + "--number";
    const limits = group.limits;
    const problem = problems[group.code];
    const typed = problem ? problem.typed : selection[group.code];
    const input = el("input", {
      type: "text", inputmode: "decimal", id, name: group.code, maxlength: "31", autocomplete: "off",
      value: typed === null || typed === undefined ? "" : numberShown(typed, ""),
      "aria-describedby": `${id}--hint ${id}--error`, "aria-invalid": problem ? "true" : "false",
    });
    const hint = text.numberHint.replace("%(min)s", numberShown(limits.minimum, ""))
      .replace("%(max)s", numberShown(limits.maximum, limits.unit))
      .replace("%(step)s", numberShown(limits.increment, limits.unit));
    body.className = "group__body number";
    body.append(
      el("label", { for: id, class: "sr-only", text: group.name }),
      el("span", { class: "number__field" }, input,
        limits.unit ? el("span", { class: "number__unit", "aria-hidden": "true", text: limits.unit }) : null),
      el("span", { class: "field-note", id: id + "--hint", text: hint }),
      el("span", { class: "field-error", id: id + "--error", text: problem ? problem.detail : "" }),
      el("span", { class: "field-repair" }, fieldRepair(group) || ""));
    // A refusal already says why, with its repair: the runs' list would say it twice.
    for (const run of problem ? [] : group.ranges.filter((r) => !r.available)) {
      const span = run.from === run.to ? numberShown(run.from, limits.unit)
        : `${numberShown(run.from, "")}–${numberShown(run.to, limits.unit)}`;
      const why = run.reason && run.reason.messages.length ? run.reason.messages.join(" ") : text.unavailable;
      body.append(el("p", { class: "why", text: `${span}: ${why}` }));
      if (run.reason && run.reason.repair) {
        body.append(el("button", {
          type: "submit", name: "repair", value: `${group.code}:${run.from}`, class: "button button--small switch",
          "data-group": group.code, "data-value": run.from,
          text: `${text.switch} ${numberShown(run.from, limits.unit)} (${text.switchChanges} ${changeNames(run.reason.repair).join(", ")})`,
        }));
      }
    }
  }

  // The numbers in their fields, as the server would take them.
  function flushNumbers() {
    for (const group of state.groups) {
      const input = group.kind === "number" && document.getElementById(group.code + "--number");
      if (!input) continue;
      const value = numberTyped(input);
      if (value !== (selection[group.code] ?? null)) {
        delete problems[group.code];
        if (value === null && group.required) delete selection[group.code];
        else setChoice(group.code, value);
      }
    }
  }

  // The text being typed, as the server would take it (pending keystrokes included).
  function flushTyping() {
    flushNumbers();
    for (const group of Object.keys(typing)) {
      clearTimeout(typing[group]);
      delete typing[group];
      const value = textFields[group] && textFields[group].update();
      if (value !== null && value !== undefined) setChoice(group, value);
    }
  }

  async function uploadFile(group, file) {
    const note = document.getElementById(group.code + "--file--note");
    fileNames[group.code] = file.name;
    const name = document.getElementById(group.code + "--file--name");
    if (name) name.textContent = file.name;
    const form = new FormData();
    form.append("file", file);
    let response;
    try {
      response = await fetch(root.dataset.uploadUrl, {
        method: "POST", body: form, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), "Accept-Language": lang },
      });
    } catch (e) {
      if (note) note.textContent = text.offline;
      return;
    }
    const result = await response.json().catch(() => ({}));
    if (!response.ok) {
      if (note) { note.textContent = result.detail || text.error; note.className = "field-note field-note--error"; }
      return;
    }
    uploads[group.code] = result;
    delete problems[group.code];
    delete placement[group.code]; // a new picture starts centred, as large as fits
    active = group.code;
    // "Uploaded" is said once the server has applied it (the answer redraws this note).
    choose(group.code, result.id);
  }

  // The file input is visually hidden behind a label drawn as a button, in the page's
  // language ("Chọn ảnh"); the chosen file's name is said beside it.
  function imageGroup(group, body) {
    const id = group.code + "--file";
    const formats = (group.limits.formats || ["png", "jpeg", "webp"]).map((f) => "image/" + f);
    const note = el("p", { class: "field-note", id: id + "--note", "aria-live": "polite" });
    const input = fileInputs[group.code] || (fileInputs[group.code] = document.getElementById(id) || el("input", {
      type: "file", id, name: group.code, class: "upload__input", accept: formats.join(","),
      "aria-describedby": `${id}--name ${id}--note`,
    }));
    const upload = uploads[group.code];
    const applied = upload && state.selection[group.code];
    const name = el("span", { class: "upload__name", id: id + "--name",
      text: fileNames[group.code] || (applied ? text.uploaded : text.noPicture) });
    body.classList.add("upload");
    body.dataset.drop = group.code;
    body.append(input, el("label", { for: id, class: "button upload__button", id: id + "--label", text: text.choosePicture }),
      name, el("span", { class: "upload__hint", text: text.dropHere }), note);
    const problem = problems[group.code];
    if (problem) {
      note.textContent = problem.detail;
      note.className = "field-note field-note--error";
      const button = fieldRepair(group);
      if (button) body.append(button);
      return;
    }
    if (!applied) return;
    const small = (group.limits.min_width && upload.width < group.limits.min_width) ||
      (group.limits.min_height && upload.height < group.limits.min_height);
    note.textContent = small ? text.uploadLowQuality : text.uploaded;
    note.className = "field-note" + (small ? " field-note--warning" : "");
    // The server says how sharp the chosen picture prints in the merchant's print area.
    const quality = group.print_quality;
    if (quality && quality.level !== "ok") {
      note.textContent = quality.message;
      note.className = "field-note field-note--warning";
    }
  }

  function renderPrice() {
    const price = state.price;
    const box = document.getElementById("price");
    box.replaceChildren(
      el("ul", { class: "price__lines" }, ...price.lines.map((line) => el("li", {},
        // A text's label already counts its characters ("Chữ in: 9 ký tự × 10.000 ₫").
        el("span", { text: line.label + (line.kind !== "text" && line.quantity > 1 ? ` × ${line.quantity}` : "") }),
        el("span", { text: money(line.amount, price.currency) })))),
      el("p", { class: "price__total" }, el("span", { text: text.total }),
        el("strong", { text: money(price.total, price.currency) })));
    document.getElementById("price-total").textContent = money(price.total, price.currency);
    // When this design should ship: the product's days plus the slowest chosen value's.
    const delivery = document.getElementById("delivery");
    if (delivery) {
      delivery.textContent = state.delivery ? state.delivery.text : "";
      delivery.hidden = !state.delivery;
    }
  }

  function renderSummary() {
    const rows = state.groups.map((group) => {
      let chosen;
      // A text in quotes, as the cart and the order show it ("Chữ in: “Lan”").
      if (group.kind === "text") chosen = state.selection[group.code] ? `“${state.selection[group.code]}”` : text.none;
      else if (group.kind === "number") {
        const number = state.selection[group.code];
        chosen = number === null || number === undefined ? text.none : numberShown(number, group.limits.unit);
      }
      else if (group.kind === "image") chosen = uploads[group.code] && state.selection[group.code] ? text.uploaded : text.none;
      else chosen = group.values.filter((v) => v.chosen).map((v) => v.name).join(", ") || text.none;
      return el("div", { class: "summary__row" }, el("dt", { text: group.name }), el("dd", { text: chosen }));
    });
    document.getElementById("summary").replaceChildren(...rows);
  }

  // Steps: the merchant's (groups sharing a step number), or one per group when the
  // merchant set none, then the summary; the server draws them the same way (form.py).
  function stepsOf(groups) {
    if (groups.every((g) => g.step === null)) return groups.map((g) => [g]);
    const steps = new Map();
    for (const group of groups) {
      const key = group.step === null ? 9999 : group.step;
      if (!steps.has(key)) steps.set(key, []);
      steps.get(key).push(group);
    }
    return [...steps.keys()].sort((a, b) => a - b).map((key) => steps.get(key));
  }

  function stepTitle(number, total, names) {
    return text.stepTitle.replace("%(number)s", number).replace("%(total)s", total).replace("%(names)s", names);
  }

  function stepSections() {
    return [...document.querySelectorAll("#groups > .step"), document.getElementById("summary-step")];
  }

  // On a phone one step shows at a time (CSS hides the others below 64rem); on a wide
  // screen every step shows and the buttons are hidden.
  function showStep(index, move) {
    const sections = stepSections();
    current = Math.max(0, Math.min(index, sections.length - 1));
    sections.forEach((section, n) => section.classList.toggle("step--current", n === current));
    root.dataset.step = String(current + 1);
    document.getElementById("step-back").hidden = current === 0;
    document.getElementById("step-next").hidden = current === sections.length - 1;
    if (move) { chooseActive(); drawPlacer(); }
    if (move && window.matchMedia("(max-width: 63.99rem)").matches) {
      const title = sections[current].querySelector(".step__title");
      title.setAttribute("tabindex", "-1");
      const top = sections[current].getBoundingClientRect().top + window.scrollY -
        document.getElementById("preview-box").offsetHeight - 8;
      window.scrollTo({ top: Math.max(0, Math.min(window.scrollY, top)) });
      title.focus({ preventScroll: true });
    }
  }

  function render(focusId) {
    const active = document.activeElement;
    const focused = focusId || (active && active.id);
    const caret = active && active.tagName === "INPUT" && active.type === "text"
      ? [active.selectionStart, active.selectionEnd] : null;
    const container = document.getElementById("groups");
    const steps = stepsOf(state.groups);
    const total = steps.length + 1;
    const sections = [];
    let number = 0;
    for (const step of steps) {
      number += 1;
      const section = el("section", { class: "step", "aria-labelledby": `step-${number}-title`, "data-step": number },
        el("h2", { class: "step__title", id: `step-${number}-title`, text: stepTitle(number, total, step.map((g) => g.name).join(" · ")) }));
      for (const group of step) {
        const body = el("div", { class: "group__body" });
        const fieldset = el("fieldset", { class: "group", id: "group-" + group.code },
          el("legend", { class: "group__name" }, group.name,
            group.required ? el("span", { class: "required", "aria-hidden": "true", text: " *" }) : null),
          group.help ? el("p", { class: "group__help", text: group.help }) : null,
          reasons[group.code] && selection[group.code] === defaultsShown[group.code]
            ? el("p", { class: "group__reason", text: reasons[group.code] }) : null,
          body);
        if (group.kind === "text") textGroup(group, body);
        else if (group.kind === "image") imageGroup(group, body);
        else if (group.kind === "number") numberGroup(group, body);
        else choiceGroup(group, body);
        if (group.kind === "text" || group.kind === "image") placeTools(group, body);
        section.append(fieldset);
      }
      sections.push(section);
    }
    container.replaceChildren(...sections);
    document.getElementById("step-summary-title").textContent = stepTitle(total, total, text.review);
    showStep(current, false);
    chooseActive();
    drawPlacer();
    renderPrice();
    renderSummary();
    if (state.preview_url) showPreview();
    const cart = document.getElementById("add-to-cart");
    cart.setAttribute("aria-disabled", state.complete ? "false" : "true");
    if (focused) {
      const target = document.getElementById(focused);
      if (target && document.activeElement !== target) {
        target.focus();
        if (caret && target === active) target.setSelectionRange(caret[0], caret[1]);
      }
    }
  }

  // Placing a picture or a text in its print area: drag it, its corner handle resizes it,
  // its round handle turns it; with the keyboard (once it has focus) arrows move it, + and -
  // resize, [ and ] turn. The server checks and keeps the placement and draws the preview;
  // this only draws a frame where it will be, held inside the area as the server holds it.
  const CENTRED = { x: 0.5, y: 0.5, scale: 1, rotation: 0 };
  const isCentred = (p) => !p || (p.x === 0.5 && p.y === 0.5 && p.scale === 1 && p.rotation === 0);
  const round = (value, digits) => Math.round(value * 10 ** digits) / 10 ** digits;

  function placeable(group) {
    if (!areas[group.code] || !state.selection[group.code]) return false;
    return group.kind === "text" || (group.kind === "image" && Boolean(uploads[group.code]));
  }

  // The element's half sizes, as fractions of an area of width-to-height ``ratio``.
  function halves(code, p, ratio) {
    const upload = uploads[code];
    const item = upload && upload.width && upload.height ? upload.width / upload.height : null;
    let fw = ratio, fh = 1; // a text: the whole box
    if (item !== null) { if (item > ratio) fh = ratio / item; else fw = item; }
    const angle = p.rotation * Math.PI / 180, cos = Math.abs(Math.cos(angle)), sin = Math.abs(Math.sin(angle));
    const w = (fw * cos + fh * sin) * p.scale, h = (fw * sin + fh * cos) * p.scale;
    return [w / 2 / ratio, h / 2];
  }

  // The placement held inside every area it is drawn in (the preview's box, the print
  // area): too large for a turn, it shrinks; past an edge, it moves back in.
  function held(code, p) {
    const out = {
      x: Number(p.x), y: Number(p.y), scale: Math.min(1, Math.max(0.1, Number(p.scale))),
      rotation: ((Number(p.rotation) + 540) % 360) - 180,
    };
    if (out.rotation === -180 && Number(p.rotation) > 0) out.rotation = 180;
    const ratios = areas[code].ratios;
    for (const ratio of ratios) {
      const [hx, hy] = halves(code, out, ratio);
      const over = Math.max(hx, hy) * 2;
      if (over > 1) out.scale = Math.max(0.1, out.scale / over * 0.999);
    }
    let hx = 0, hy = 0;
    for (const ratio of ratios) {
      const [x, y] = halves(code, out, ratio);
      hx = Math.max(hx, x); hy = Math.max(hy, y);
    }
    out.x = round(Math.min(1 - hx, Math.max(hx, out.x)), 4);
    out.y = round(Math.min(1 - hy, Math.max(hy, out.y)), 4);
    out.scale = round(out.scale, 4);
    out.rotation = round(out.rotation, 1);
    return out;
  }

  function placeWords(group, p) {
    return text.placeSays.replace("%(name)s", group.name).replace("%(x)s", Math.round(p.x * 100))
      .replace("%(y)s", Math.round(p.y * 100)).replace("%(scale)s", Math.round(p.scale * 100))
      .replace("%(rotation)s", Math.round(p.rotation)).replace(/%%/g, "%");
  }

  function place(code, p, { commit = true, announce = true } = {}) {
    placement[code] = held(code, p);
    if (isCentred(placement[code])) delete placement[code];
    drawPlacer();
    const group = groupOf(code);
    if (announce && group) document.getElementById("placer-live").textContent = placeWords(group, placement[code] || CENTRED);
    if (!commit) return;
    clearTimeout(placeTimer);
    placeTimer = setTimeout(() => { placeTimer = null; evaluate(); }, 350);
  }

  // The frame and its handles, over the preview at the active group's area.
  function drawPlacer() {
    const box = document.getElementById("preview-box");
    const image = document.getElementById("preview");
    let placer = document.getElementById("placer");
    const group = active && groupOf(active);
    // The box of the view shown (a view without the group's area shows no frame).
    const tab = document.querySelector('#views .views__tab[aria-pressed="true"]');
    const boxes = group && areas[active] && areas[active].boxes;
    const viewBox = boxes && tab ? boxes[tab.dataset.view] : group && areas[active] && areas[active].box;
    if (!group || !placeable(group) || !viewBox || !image.getBoundingClientRect().width) {
      if (placer) placer.hidden = true;
      return;
    }
    if (!placer) {
      placer = el("div", { class: "placer", id: "placer" },
        el("div", {
          class: "placer__frame", id: "placer-frame", tabindex: "0", role: "group",
          "aria-describedby": "placer-help placer-live",
        },
        el("span", { class: "placer__handle placer__handle--scale", id: "placer-scale", title: text.placeResize }),
        el("span", { class: "placer__handle placer__handle--turn", id: "placer-turn", title: text.placeTurn })),
        el("p", { class: "sr-only", id: "placer-help", text: text.placeHelp }),
        el("p", { class: "sr-only", id: "placer-live", "aria-live": "polite" }));
      box.append(placer);
      placerEvents(placer);
    }
    placer.hidden = false;
    const [left, top, width, height] = viewBox;
    const shown = image.getBoundingClientRect(), outer = box.getBoundingClientRect();
    Object.assign(placer.style, {
      left: `${shown.left - outer.left + left * shown.width}px`,
      top: `${shown.top - outer.top + top * shown.height}px`,
      width: `${width * shown.width}px`, height: `${height * shown.height}px`,
    });
    const p = placement[active] || CENTRED;
    const ratio = (width * shown.width) / Math.max(1, height * shown.height);
    const upload = uploads[active];
    const item = group.kind === "image" && upload ? upload.width / upload.height : null;
    let fw = 1, fh = 1; // fractions of the area's width and height
    if (item !== null) { if (item > ratio) fh = ratio / item; else fw = item / ratio; }
    const frame = document.getElementById("placer-frame");
    frame.setAttribute("aria-label", text.placeLabel.replace("%(name)s", group.name));
    Object.assign(frame.style, {
      left: `${p.x * 100}%`, top: `${p.y * 100}%`,
      width: `${fw * p.scale * 100}%`, height: `${fh * p.scale * 100}%`,
      transform: `translate(-50%, -50%) rotate(${p.rotation}deg)`,
    });
  }

  function placerEvents(placer) {
    const frame = placer.querySelector(".placer__frame");
    let drag = null;
    frame.addEventListener("pointerdown", (event) => {
      if (!active) return;
      const area = placer.getBoundingClientRect();
      const rect = frame.getBoundingClientRect();
      const centre = [rect.left + rect.width / 2, rect.top + rect.height / 2];
      const p = Object.assign({}, placement[active] || CENTRED);
      const kind = event.target.id === "placer-scale" ? "scale" : event.target.id === "placer-turn" ? "turn" : "move";
      drag = { kind, area, centre, start: [event.clientX, event.clientY], p,
        distance: Math.hypot(event.clientX - centre[0], event.clientY - centre[1]) || 1,
        angle: Math.atan2(event.clientY - centre[1], event.clientX - centre[0]) };
      frame.setPointerCapture(event.pointerId);
      frame.focus({ preventScroll: true });
      event.preventDefault();
    });
    frame.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const { kind, area, centre, start, p } = drag;
      if (kind === "move") {
        place(active, Object.assign({}, p, {
          x: p.x + (event.clientX - start[0]) / area.width, y: p.y + (event.clientY - start[1]) / area.height,
        }), { commit: false, announce: false });
      } else if (kind === "scale") {
        const distance = Math.hypot(event.clientX - centre[0], event.clientY - centre[1]);
        place(active, Object.assign({}, p, { scale: p.scale * distance / drag.distance }), { commit: false, announce: false });
      } else {
        const angle = Math.atan2(event.clientY - centre[1], event.clientX - centre[0]);
        let rotation = p.rotation + (angle - drag.angle) * 180 / Math.PI;
        if (event.shiftKey) rotation = Math.round(rotation / 15) * 15;
        place(active, Object.assign({}, p, { rotation }), { commit: false, announce: false });
      }
    });
    const end = () => { if (drag) { drag = null; place(active, placement[active] || CENTRED); } };
    frame.addEventListener("pointerup", end);
    frame.addEventListener("pointercancel", end);
    frame.addEventListener("keydown", (event) => {
      if (!active) return;
      const p = Object.assign({}, placement[active] || CENTRED);
      const step = event.shiftKey ? 0.1 : 0.01;
      const turn = event.shiftKey ? 15 : 5;
      const keys = {
        ArrowLeft: () => { p.x -= step; }, ArrowRight: () => { p.x += step; },
        ArrowUp: () => { p.y -= step; }, ArrowDown: () => { p.y += step; },
        "+": () => { p.scale += 0.05; }, "=": () => { p.scale += 0.05; }, "-": () => { p.scale -= 0.05; },
        "[": () => { p.rotation -= turn; }, "]": () => { p.rotation += turn; },
        "{": () => { p.rotation -= 15; }, "}": () => { p.rotation += 15; },
      };
      if (!keys[event.key]) return;
      event.preventDefault();
      keys[event.key]();
      place(active, p);
    });
  }

  // Under a placeable group: "move, resize or turn" (its handles on the preview) and reset.
  function placeTools(group, body) {
    if (!placeable(group)) return;
    const edit = el("button", {
      type: "button", class: "button button--small", id: group.code + "--place-edit",
      "aria-pressed": String(active === group.code), text: text.place,
      onclick: () => {
        active = group.code;
        for (const button of document.querySelectorAll(".place-tools [aria-pressed]")) {
          button.setAttribute("aria-pressed", String(button.id === group.code + "--place-edit"));
        }
        drawPlacer();
        // After the click's own focus changes: the frame takes the keys.
        setTimeout(() => {
          const frame = document.getElementById("placer-frame");
          if (frame && !frame.closest("[hidden]")) frame.focus({ preventScroll: true });
        }, 0);
      },
    });
    const reset = el("button", {
      type: "button", class: "button button--small button--ghost", id: group.code + "--place-reset",
      text: text.placeReset, disabled: isCentred(placement[group.code]),
      onclick: () => { active = group.code; place(group.code, CENTRED); },
    });
    body.append(el("div", { class: "place-tools" }, edit, reset));
  }

  function chooseActive() {
    const shown = stepSections()[current];
    const here = state.groups.filter((g) => placeable(g) && shown && shown.querySelector(`#group-${g.code}`));
    if (active && here.some((g) => g.code === active)) return;
    const all = state.groups.filter(placeable);
    if (here.length) active = here[0].code;
    else if (!active || !all.some((g) => g.code === active)) active = all.length ? all[0].code : null;
  }

  document.getElementById("preview").addEventListener("load", drawPlacer);
  window.addEventListener("resize", drawPlacer);

  // Switching language keeps the design: the language form's next page carries the
  // selection (as preview URLs do: base64url JSON), which the studio reads back.
  function carriedSelection() {
    flushTyping();
    const bytes = new TextEncoder().encode(JSON.stringify(sent()));
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  const languageForm = document.querySelector("form.language");
  if (languageForm && languageForm.elements.next) {
    languageForm.addEventListener("submit", () => {
      const params = new URLSearchParams(location.search);
      params.set("s", carriedSelection());
      params.delete("defaults");
      languageForm.elements.next.value = `${location.pathname}?${params}`;
    });
  }

  // Saving, sharing, cart.

  document.getElementById("save").addEventListener("click", async () => {
    flushTyping();
    const body = {
      product: root.dataset.sku, selection: sent(),
      name: document.getElementById("design-name").value,
    };
    const url = designId ? `${root.dataset.designsUrl}${designId}/` : root.dataset.designsUrl;
    const result = await api(url, { method: designId ? "PUT" : "POST", body: JSON.stringify(body) });
    if (!result.ok) { say(result.body ? result.body.detail : text.error, "error"); return; }
    designId = result.body.id;
    document.getElementById("share").hidden = false;
    say(text.saved, "ok");
  });

  document.getElementById("share").addEventListener("click", async () => {
    const result = await api(`${root.dataset.designsUrl}${designId}/share/`, { method: "POST" });
    if (!result.ok) { say(text.error, "error"); return; }
    const token = result.body.share_url.split("/").filter(Boolean).pop();
    const link = `${location.origin}${location.pathname}?design=${encodeURIComponent(token)}`;
    const box = document.getElementById("share-link");
    box.replaceChildren(el("span", { text: text.shared + ": " }), el("a", { href: link, id: "share-url", text: link }));
    box.hidden = false;
  });

  async function addToCart() {
    flushTyping();
    if (!state.complete) { say(text.incomplete, "error"); return; }
    const result = await api(root.dataset.cartUrl, {
      method: "POST",
      body: JSON.stringify({ product: root.dataset.sku, selection: sent(), quantity: 1, defaults: defaultsToken }),
    });
    if (!result.ok) { say(result.body ? result.body.detail : text.error, "error"); return; }
    say(text.added, "ok");
    window.location.assign(root.dataset.cartPage);
  }

  // Forms that send the design elsewhere (the store staff's hand-over) carry the selection.
  for (const form of document.querySelectorAll("form[data-carries-selection]")) {
    form.addEventListener("submit", () => {
      flushTyping();
      form.elements.selection.value = JSON.stringify(sent());
    });
  }

  if (state.dropped && state.dropped.length) {
    const box = document.getElementById("dropped");
    const named = (d) => d.reason === "private" ? `${d.group} (${text.privatePicture})` : `${d.group}: ${d.value}`;
    box.textContent = `${text.dropped} ${state.dropped.map(named).join(", ")}`;
    box.hidden = false;
  }
  // The server's form, taken over: one listener per kind of event serves its markup and
  // every redraw. Without this script the same buttons submit the form to the page.
  const form = document.getElementById("steps");
  const groupOf = (code) => state.groups.find((g) => g.code === code);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = event.submitter;
    if (button && button.id === "add-to-cart") addToCart();
    else { flushTyping(); evaluate(); }
  });

  form.addEventListener("click", (event) => {
    const target = event.target.closest("input, button");
    if (!target) return;
    if (target.matches("input[aria-disabled=true]")) { event.preventDefault(); return; }
    if (target.matches("button.switch[data-group]")) {
      event.preventDefault();
      const group = groupOf(target.dataset.group);
      const value = group && group.values.find((v) => v.code === target.dataset.value);
      const run = group && (group.ranges || []).find((r) => r.from === target.dataset.value);
      if (value && value.reason) repair(group.code, value.code, value.reason.repair);
      else if (run && run.reason) repair(group.code, run.from, run.reason.repair);
    } else if (target.matches("button.more")) {
      event.preventDefault();
      const code = target.value;
      if (expanded.has(code)) expanded.delete(code); else expanded.add(code);
      render(code + "--more");
    }
  });

  form.addEventListener("change", (event) => {
    const input = event.target;
    const group = groupOf(input.name);
    if (!group) return;
    if (input.type === "file") { if (input.files[0]) uploadFile(group, input.files[0]); }
    else if (input.type === "checkbox") toggle(group.code, input.value);
    else if (input.type === "radio") choose(group.code, input.value === "" ? null : input.value);
    else if (group.kind === "number") { flushNumbers(); evaluate(input.id); }
  });

  // Drag and drop: a picture dropped on its field, or on the preview, is uploaded as if chosen.
  function dropTarget(node) {
    const zone = node.closest && node.closest("[data-drop]");
    if (zone) return groupOf(zone.dataset.drop);
    if (node.closest && node.closest("#preview-box")) {
      const shown = stepSections()[current].querySelector("[data-drop]");
      return groupOf(shown ? shown.dataset.drop : "") || state.groups.find((g) => g.kind === "image");
    }
    return null;
  }
  for (const type of ["dragenter", "dragover"]) {
    root.addEventListener(type, (event) => {
      const group = dropTarget(event.target);
      if (!group || group.kind !== "image") return;
      event.preventDefault();
      event.target.closest("[data-drop], #preview-box").classList.add("is-dropping");
    });
  }
  root.addEventListener("dragleave", (event) => {
    const zone = event.target.closest && event.target.closest("[data-drop], #preview-box");
    if (zone) zone.classList.remove("is-dropping");
  });
  root.addEventListener("drop", (event) => {
    const group = dropTarget(event.target);
    if (!group || group.kind !== "image") return;
    event.preventDefault();
    for (const zone of root.querySelectorAll(".is-dropping")) zone.classList.remove("is-dropping");
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) uploadFile(group, file);
  });

  // Views (front, back, …): a tab shows its view's preview; the URL keeps it (?view=), so
  // switching language or reloading keeps it too. Without the script each tab is a submit
  // button of the form (an update that shows that view).
  const previewImage = document.getElementById("preview");
  const zoomLink = document.getElementById("preview-zoom");
  const viewTabs = [...document.querySelectorAll("#views .views__tab")];
  const firstView = viewTabs.length ? viewTabs[0].dataset.view : "";
  const pressed = viewTabs.find((tab) => tab.getAttribute("aria-pressed") === "true");
  let shownView = pressed ? pressed.dataset.view : firstView;
  let zoom = 1;

  function viewUrl(code, size) {
    let url = state.preview_url;
    if (code && code !== firstView) url += "&v=" + encodeURIComponent(code);
    return size ? url.replace("/512.", `/${size}.`) : url;
  }

  function showPreview() {
    const src = viewUrl(shownView, zoom > 1 ? 1024 : 0);
    if (previewImage.getAttribute("src") !== src) previewImage.src = src;
    zoomLink.href = viewUrl(shownView);
    for (const tab of viewTabs) {
      const thumb = tab.querySelector("img");
      if (thumb.getAttribute("src") !== viewUrl(tab.dataset.view)) thumb.src = viewUrl(tab.dataset.view);
      tab.setAttribute("aria-pressed", String(tab.dataset.view === shownView));
    }
  }

  for (const tab of viewTabs) {
    tab.addEventListener("click", (event) => {
      event.preventDefault();
      shownView = tab.dataset.view;
      const field = document.getElementById("view-shown");
      if (field) field.value = shownView;
      const params = new URLSearchParams(location.search);
      if (shownView === firstView) params.delete("view"); else params.set("view", shownView);
      const query = params.toString();
      history.replaceState(history.state, "", location.pathname + (query ? "?" + query : ""));
      showPreview();
      drawPlacer();
    });
  }

  // Zoom in the preview (enlarged on a phone; always on a wide screen): buttons, or two
  // fingers. The picture grows inside a frame that scrolls, keeping its centre; from 150%
  // it is drawn at 1024 pixels so it stays sharp.
  const zoomBar = document.getElementById("zoombar");
  const zoomIn = document.getElementById("zoom-in");
  const zoomOut = document.getElementById("zoom-out");
  const ZOOM_MAX = 4;
  let baseWidth = 0;
  let baseHeight = 0;

  function setZoom(value) {
    const next = Math.max(1, Math.min(ZOOM_MAX, Math.round(value * 100) / 100));
    const frame = zoomLink;
    const centre = [
      (frame.scrollLeft + frame.clientWidth / 2) / (frame.scrollWidth || 1),
      (frame.scrollTop + frame.clientHeight / 2) / (frame.scrollHeight || 1),
    ];
    if (next > 1 && !frame.classList.contains("is-zoomed")) {
      const box = previewImage.getBoundingClientRect();
      [baseWidth, baseHeight] = [box.width, box.height];
    }
    zoom = next;
    frame.classList.toggle("is-zoomed", zoom > 1);
    // The frame keeps the picture's place (nothing below it moves); the picture grows in it.
    frame.style.width = zoom > 1 ? `${baseWidth}px` : "";
    frame.style.height = zoom > 1 ? `${baseHeight}px` : "";
    previewImage.style.width = zoom > 1 ? `${Math.round(baseWidth * zoom)}px` : "";
    if (zoom > 1) {
      frame.scrollLeft = centre[0] * frame.scrollWidth - frame.clientWidth / 2;
      frame.scrollTop = centre[1] * frame.scrollHeight - frame.clientHeight / 2;
    }
    document.getElementById("zoom-level").textContent = `${Math.round(zoom * 100)}%`;
    zoomOut.disabled = zoom <= 1;
    zoomIn.disabled = zoom >= ZOOM_MAX;
    showPreview();
  }
  zoomIn.addEventListener("click", () => { pinched = false; setZoom(zoom < 1.5 ? 1.5 : zoom + 0.5); });
  zoomOut.addEventListener("click", () => { pinched = false; setZoom(zoom <= 1.5 ? 1 : zoom - 0.5); });

  const fingers = new Map();
  let pinch = null;
  let pinched = false;
  const spread = () => {
    const [a, b] = [...fingers.values()];
    return Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY) || 1;
  };
  zoomLink.addEventListener("pointerdown", (event) => {
    fingers.set(event.pointerId, event);
    if (fingers.size === 2) pinch = { spread: spread(), zoom };
  });
  zoomLink.addEventListener("pointermove", (event) => {
    if (!fingers.has(event.pointerId)) return;
    fingers.set(event.pointerId, event);
    if (pinch && fingers.size === 2) {
      event.preventDefault();
      if (!document.getElementById("preview-box").classList.contains("studio__preview--large") &&
          window.matchMedia("(max-width: 63.99rem)").matches) return;
      setZoom(pinch.zoom * spread() / pinch.spread);
    }
  });
  for (const type of ["pointerup", "pointercancel"]) {
    zoomLink.addEventListener(type, (event) => {
      fingers.delete(event.pointerId);
      if (fingers.size < 2 && pinch) { pinch = null; pinched = true; }
    });
  }

  // Tap to enlarge: the compact preview grows; tapped again, it is compact again. A zoomed
  // picture is moved by a finger, not shrunk by it: zoom out first.
  zoomLink.addEventListener("click", (event) => {
    event.preventDefault();
    if (zoom > 1 || pinched) { pinched = false; return; }
    const box = document.getElementById("preview-box");
    const large = box.classList.toggle("studio__preview--large");
    event.currentTarget.setAttribute("aria-expanded", String(large));
  });
  zoomLink.setAttribute("aria-expanded", "false");
  zoomBar.hidden = false;
  zoomOut.disabled = true;

  document.getElementById("step-next").addEventListener("click", () => { flushTyping(); showStep(current + 1, true); });
  document.getElementById("step-back").addEventListener("click", () => { flushTyping(); showStep(current - 1, true); });

  // Taking over the server's page: its text fields (with anything already typed), the
  // steps, and what only this script does (saving, sharing, the step buttons).
  for (const group of state.groups) {
    if (group.kind === "text") textFields[group.code] = textField(group);
  }
  for (const group of state.groups) {
    const body = document.querySelector(`#group-${group.code} .group__body`);
    if (body && (group.kind === "text" || group.kind === "image")) placeTools(group, body);
  }
  root.classList.add("studio--js");
  document.getElementById("update-box").hidden = true;
  document.getElementById("design-actions").hidden = false;
  document.getElementById("step-nav").hidden = false;
  showStep(0, false);
  chooseActive();
  drawPlacer();
})();
