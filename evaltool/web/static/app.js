// evaltool serve: the page's script.  Plain JS, no build step, no library; texts come from the catalogue.
"use strict";
(function () {
  const W = JSON.parse(document.getElementById("words").textContent);
  const maxFile = Number(document.body.dataset.maxFile);
  const fill = (s, p) => s.replace(/\{(\w+)\}/g, (m, k) => (k in p ? String(p[k]) : m));
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  };
  const queue = [];
  const statuses = {};  // file id → its line in the progress list (said again when the file is shown again)
  let busy = false;

  const isReport = (name) => /\.(docx|pdf|txt)$/i.test(name);

  function add(files, prior) {
    // Workbooks first: a report is then paired with its department's workbook, as evaltool check does.
    const list = Array.from(files).sort((a, b) => isReport(a.name) - isReport(b.name));
    for (const file of list) {
      const status = el("span", { class: "status", text: W.waiting });
      const li = el("li", {}, el("span", { class: "name", text: file.name }), " ", status);
      $("progress").append(li);
      queue.push({ file, status, prior });
    }
    pump();
  }

  async function pump() {
    if (busy) return;
    busy = true;
    while (queue.length) await upload(queue.shift());
    busy = false;
  }

  function say(status, text, bad) {
    status.textContent = text;
    status.classList.toggle("bad", Boolean(bad));
  }

  function upload(job) {
    if (job.file.size > maxFile) {
      say(job.status, fill(W.file_too_large, { name: job.file.name, cap: document.body.dataset.maxMb }), true);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", job.prior ? "/api/priors" : "/api/files");
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) say(job.status, fill(W.uploading, { percent: Math.round((100 * e.loaded) / e.total) }));
      };
      xhr.upload.onload = () => say(job.status, W.checking);
      xhr.onload = () => {
        if (xhr.status === 200 && job.prior) {
          const answer = JSON.parse(xhr.responseText);
          for (const p of answer.priors) { say(job.status, p.error || p.status, p.error); showPrior(p); }
          answer.files.forEach(show);  // the workbooks checked again with it
        } else if (xhr.status === 200) {
          for (const view of JSON.parse(xhr.responseText)) {
            statuses[view.id] = job.status;
            show(view);
          }
          if ($("prior-list").children.length) refreshPriors();  // a file of last year may be used now
        } else {
          say(job.status, xhr.responseText, true);
        }
        resolve();
      };
      xhr.onerror = () => { say(job.status, W.crashed, true); resolve(); };
      const form = new FormData();
      form.append("file", job.file, job.file.name);
      xhr.send(form);
    });
  }

  function downloadLink(href, text) {
    return el("a", { class: "download", href }, text);
  }

  function show(view) {
    const id = "file-" + view.id;
    if (statuses[view.id]) say(statuses[view.id], view.verdict_word, view.verdict === "fail" || view.verdict === "unreadable");
    const who = [view.department, view.year].filter(Boolean).join(" ");
    const article = el("article", { id, class: "file verdict-" + view.verdict, "aria-labelledby": id + "-h" },
      el("h3", { id: id + "-h" }, el("span", { text: view.name }), " ",
        el("span", { class: "who", text: who }), " ",
        el("span", { class: "verdict", text: view.verdict_word })));
    if (view.error) article.append(el("p", { class: "error", text: view.error }));
    for (const note of view.notes) article.append(el("p", { class: "note", text: note }));
    const links = el("ul", { class: "downloads" });
    if (view.downloads.checked) links.append(el("li", {}, downloadLink(`/download/${view.id}/checked`, W.download_checked)));
    if (view.downloads.fixed) links.append(el("li", {}, downloadLink(`/download/${view.id}/fixed`, W.download_fixed)));
    if (view.downloads.draft) links.append(el("li", {}, downloadLink(`/download/${view.id}/draft`, W.download_draft)));
    if (links.children.length) article.append(links);
    if (!view.error && !view.groups.length) article.append(el("p", { text: W.no_findings }));
    for (const group of view.groups) article.append(table(view, group));
    const old = $(id);
    if (old) old.replaceWith(article); else $("results").append(article);
  }

  function showPrior(p) {
    const li = el("li", { id: "prior-" + p.id }, el("span", { class: "name", text: p.name }), " ",
      el("span", { class: p.error ? "status bad" : "status", text: p.error || p.status }));
    const old = $(li.id);
    if (old) old.replaceWith(li); else $("prior-list").append(li);
  }

  function refreshPriors() {
    fetch("/api/priors").then((r) => (r.ok ? r.json() : [])).then((priors) => priors.forEach(showPrior));
  }

  function table(view, group) {
    const head = el("tr", {}, ...[W.rule, W.where, W.stated, W.recomputed, W.difference, W.message]
      .map((t) => el("th", { scope: "col", text: t })));
    const body = el("tbody");
    for (const f of group.findings) {
      body.append(el("tr", { class: "state-" + f.state },
        el("td", { text: f.code, title: f.rule }), el("td", { text: f.where }), el("td", { class: "num", text: f.stated }),
        el("td", { class: "num", text: f.recomputed }), el("td", { class: "num", text: f.difference }),
        el("td", { text: f.message })));
      if (f.explainable) body.append(el("tr", { class: "explain" }, el("td", { colspan: "6" }, explainForm(view, f))));
    }
    const title = `${group.title} (${group.findings.length})`;
    const grid = el("table", {}, el("thead", {}, head), body);
    if (group.state === "info") {  // notes (checks skipped on blank inputs) stay folded until asked for
      return el("details", { class: "group group-info" }, el("summary", {}, el("h4", { text: title })), grid);
    }
    return el("section", { class: "group group-" + group.state }, el("h4", { text: title }), grid);
  }

  function explainForm(view, f) {
    const fieldId = `x-${view.id}-${f.id}`.replace(/[^\w-]/g, "_");
    const area = el("textarea", { id: fieldId, rows: "2", "aria-describedby": fieldId + "-help", "data-finding": f.id });
    area.value = f.explanation;
    const saved = el("span", { class: "saved", role: "status" });
    const button = el("button", { type: "button" }, W.explain_save);
    const form = el("div", { class: "explain-form" },
      el("label", { for: fieldId, text: fill(W.explain_label, { code: f.code, where: f.where }) }), area,
      el("p", { id: fieldId + "-help", class: "hint", text: W.explain_help }), button, saved);
    button.addEventListener("click", async () => {
      button.disabled = true;
      const r = await fetch(`/api/files/${view.id}/explain`, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ finding: f.id, text: area.value }),
      });
      if (!r.ok) { saved.textContent = await r.text(); button.disabled = false; return; }
      const after = await r.json();
      show(after);
      const again = $("file-" + after.id).querySelector(`textarea[data-finding="${CSS.escape(f.id)}"]`);
      if (again) {
        again.focus();
        again.closest(".explain-form").querySelector(".saved").textContent = W.explain_saved;
      }
    });
    return form;
  }

  async function download(event) {
    const a = event.target.closest("a.download");
    if (!a) return;
    event.preventDefault();
    $("notice").textContent = "";
    const r = await fetch(a.getAttribute("href"));
    if (!r.ok) { $("notice").textContent = await r.text(); return; }
    const disposition = r.headers.get("Content-Disposition") || "";
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
    const plain = /filename="?([^";]+)"?/i.exec(disposition);
    const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : "download";
    const url = URL.createObjectURL(await r.blob());
    const link = el("a", { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  document.addEventListener("click", download);
  function chooser(input, area, prior) {
    $(input).addEventListener("change", (e) => { add(e.target.files, prior); e.target.value = ""; });
    const drop = $(area);
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); add(e.dataTransfer.files, prior); });
  }
  chooser("files", "drop", false);
  chooser("priors", "drop-priors", true);  // last year's workbooks (上年自评表)
  $("quit").addEventListener("click", async () => {
    const r = await fetch("/api/quit", { method: "POST" });
    document.querySelector("main").replaceChildren(el("p", { class: "quit", role: "status", text: await r.text() }));
    $("quit").disabled = true;
  });
  // A language switch reloads the page: show what this launch has checked, in the new language.
  fetch("/api/files").then((r) => (r.ok ? r.json() : [])).then((views) => views.forEach(show));
  refreshPriors();
})();
