// "Add from article": paste an article, see candidate deals with their evidence, tick and import.
// Everything the server or the user supplies is shown with textContent, never as markup.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let last = null; // the request body of the last extraction, re-sent on import

  function show(id, text) {
    const el = $(id);
    el.textContent = text || "";
    el.hidden = !text;
  }

  function cell(row, text, cls) {
    const td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function money(amount, currency, qualifier) {
    if (amount == null) return "undisclosed";
    const n = Number(amount);
    const text = n >= 1e9 ? (n / 1e9).toLocaleString() + " bn" : n >= 1e6 ? (n / 1e6).toLocaleString() + " m" : amount;
    return (qualifier === "up_to" ? "up to " : qualifier === "estimate" ? "~" : "") + text + " " + currency;
  }

  function tick(row, kind, index, checked) {
    const td = document.createElement("td");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = checked;
    box.dataset.kind = kind;
    box.dataset.index = String(index);
    box.setAttribute("aria-label", "import " + kind.slice(0, -1) + " " + (index + 1));
    td.appendChild(box);
    row.appendChild(td);
  }

  function problemsText(body, status) {
    const err = body && body.error;
    if (!err) return "request failed (" + status + ")";
    const details = (err.problems || []).map((p) => p.field ? p.field + ": " + p.message : p.message);
    return err.message + (details.length ? " — " + details.join("; ") : "");
  }

  async function post(url, body, headers) {
    const resp = await fetch(url, {method: "POST", headers: Object.assign({"Content-Type": "application/json"}, headers || {}),
                                  body: JSON.stringify(body)});
    let data = null;
    try { data = await resp.json(); } catch (e) { data = null; }
    if (!resp.ok) throw new Error(problemsText(data, resp.status));
    return data;
  }

  function render(data) {
    const deals = $("x-deals").tBodies[0];
    const facts = $("x-facts").tBodies[0];
    deals.replaceChildren();
    facts.replaceChildren();
    const accuracy = $("x-accuracy");
    accuracy.textContent = data.accuracy ? data.accuracy.statement + (data.accuracy.pretick ? " " + data.accuracy.pretick : "") : "";
    accuracy.hidden = !data.accuracy;
    data.deals.forEach((d, i) => {
      const tr = document.createElement("tr");
      tick(tr, "deals", i, d.ticked === true);
      cell(tr, (d.payer.known ? d.payer.name : d.payer.surface + " (new)") + " → " +
               (d.recipient.known ? d.recipient.name : d.recipient.surface + " (new)"));
      cell(tr, d.kind);
      cell(tr, money(d.amount, d.currency, d.qualifier) + (d.period ? " per " + d.period : ""));
      cell(tr, d.date || "—", "x-date");
      cell(tr, Number(d.confidence).toFixed(2), "x-confidence");
      cell(tr, d.same_as ? "same as " + d.same_as : "new");
      cell(tr, d.evidence.sentence, "x-evidence");
      deals.appendChild(tr);
    });
    data.facts.forEach((f, i) => {
      const tr = document.createElement("tr");
      tick(tr, "facts", i, f.ticked === true);
      cell(tr, f.entity.known ? f.entity.name : f.entity.surface + " (new)");
      cell(tr, f.metric + (f.counterparty ? " in " + f.counterparty.name : ""));
      cell(tr, f.metric === "stake_pct" ? f.value + "%" : money(f.value, f.currency || "USD", f.qualifier));
      cell(tr, f.date || "—");
      cell(tr, f.evidence.sentence, "x-evidence");
      facts.appendChild(tr);
    });
    $("x-import").disabled = !(data.deals.length || data.facts.length);
    show("x-status", data.deals.length + " candidate deals and " + data.facts.length + " figures found.");
  }

  function articleBody() {
    return {text: $("x-text").value, title: $("x-title").value, outlet: $("x-outlet").value,
            published: $("x-published").value.trim() || null, url: $("x-url").value};
  }

  $("x-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    show("x-error", "");
    show("x-result", "");
    const body = articleBody();
    try {
      render(await post("../api/extract", body));
      last = body;
    } catch (e) {
      show("x-error", e.message);
    }
  });

  $("x-import-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    show("x-error", "");
    if (!last) return;
    const picked = (kind) => Array.from(document.querySelectorAll("input[data-kind='" + kind + "']:checked"))
      .map((b) => Number(b.dataset.index));
    const body = Object.assign({}, last, {deals: picked("deals"), facts: picked("facts")});
    const token = $("x-token").value.trim();
    const url = "../api/extract/import" + ($("x-dry").checked ? "?dry_run=true" : "");
    try {
      const result = await post(url, body, token ? {"Authorization": "Bearer " + token} : {});
      const lines = result.planned.map((p) => p.id + ": " + (p.action === "new" ? "new" : "same deal, source added"));
      result.new_entities.forEach((e) => lines.push("new entity " + e.id + " (" + e.name + ")"));
      lines.push(result.summary);
      show("x-result", lines.join("\n"));
    } catch (e) {
      show("x-error", e.message);
    }
  });
})();
