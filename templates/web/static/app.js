// cmmm-assess workshop pages. Written for this app (no library, nothing from a CDN); served
// from /static under a Content-Security-Policy that allows no inline script. User text is
// only ever put into the page with textContent; fragments come escaped from the server.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const POLL_MS = 400;

  // --- live parts: fetched again when the workspace's fingerprint changes --------------------
  for (const box of document.querySelectorAll("[data-live]")) {
    let known = box.dataset.fingerprint || "";
    let busy = false;
    const poll = async () => {
      if (busy) return;
      busy = true;
      try {
        const url = box.dataset.live + (box.dataset.live.includes("?") ? "&" : "?") +
          "known=" + encodeURIComponent(known);
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.status === 200) {
          const html = await response.text();
          known = response.headers.get("X-Fingerprint") || "";
          box.innerHTML = html;
          box.dataset.fingerprint = known;
          document.dispatchEvent(new CustomEvent("live-updated", { detail: known }));
        }
      } catch (error) {
        // The server stopped or the network blinked: try again at the next tick.
      } finally {
        busy = false;
      }
    };
    setInterval(poll, POLL_MS);
  }

  // --- the interview --------------------------------------------------------------------------
  const interview = document.getElementById("interview");
  if (!interview) return;
  const respondent = interview.dataset.respondent;

  const chosen = (article) => {
    const radio = article.querySelector('input[type="radio"]:checked');
    return radio ? radio.value : "";
  };
  const field = (article, name) => article.querySelector(`[data-field="${name}"]`);
  const status = (article, text, isProblem) => {
    const box = article.querySelector(".status");
    box.textContent = text;
    box.classList.toggle("problem", Boolean(isProblem));
    box.setAttribute("role", isProblem ? "alert" : "status");
  };
  const words = { not: "not", partially: "partially", largely: "largely", fully: "fully",
    unknown: "unknown", na: "n/a" };

  const progress = () => {
    const articles = [...interview.querySelectorAll("article.practice")];
    document.getElementById("answered-count").textContent =
      articles.filter((a) => a.dataset.saved).length;
    for (const section of interview.querySelectorAll("section.dimension")) {
      const inside = [...section.querySelectorAll("article.practice")];
      const text = `${inside.filter((a) => a.dataset.saved).length} of ${inside.length}`;
      for (const label of document.querySelectorAll(
        `[data-dimension-progress="${section.dataset.dimension}"]`)) {
        label.textContent = text;
      }
    }
  };

  const show = (article, entry) => {
    for (const radio of article.querySelectorAll('input[type="radio"]')) {
      radio.checked = Boolean(entry) && radio.value === entry.answer;
    }
    field(article, "note").value = entry ? entry.note : "";
    field(article, "reason").value = entry ? entry.reason : "";
    field(article, "evidence").value = entry ? entry.evidence.join(", ") : "";
    article.dataset.saved = entry ? entry.answer : "";
    article.classList.toggle("open", !entry);
  };

  const conflict = (article, saved, etag, mine) => {
    const box = article.querySelector(".conflict");
    box.replaceChildren();
    const text = document.createElement("p");
    const theirs = saved ? words[saved.answer] + (saved.note ? ` (note: ${saved.note})` : "")
      : "no answer";
    text.textContent = `Someone else changed this answer since this page read it: saved now is ` +
      `${theirs}. Your answer, ${words[mine.answer] || mine.answer}, was NOT saved.`;
    const keepMine = document.createElement("button");
    keepMine.type = "button";
    keepMine.textContent = "Keep mine (replace theirs)";
    const takeTheirs = document.createElement("button");
    takeTheirs.type = "button";
    takeTheirs.textContent = "Keep theirs";
    keepMine.addEventListener("click", () => {
      box.hidden = true;
      article.dataset.etag = etag;
      save(article, mine);
    });
    takeTheirs.addEventListener("click", () => {
      box.hidden = true;
      article.dataset.etag = etag;
      show(article, saved);
      status(article, saved ? `Saved: ${saved.answer}` : "Not answered yet");
      progress();
    });
    box.append(text, keepMine, " ", takeTheirs);
    box.hidden = false;
    box.setAttribute("role", "alert");
    status(article, "Not saved: see below.", true);
    keepMine.focus();
  };

  const save = async (article, body) => {
    const practice = article.dataset.practice;
    status(article, "Saving…");
    let response;
    try {
      response = await fetch(`/api/answers/${encodeURIComponent(respondent)}/` +
        encodeURIComponent(practice), {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf,
          "If-Match": `"${article.dataset.etag}"` },
        body: JSON.stringify(body),
      });
    } catch (error) {
      status(article, "Not saved: the server does not answer. Try again.", true);
      return;
    }
    const data = await response.json();
    if (response.status === 200) {
      article.dataset.etag = (response.headers.get("ETag") || "").replaceAll('"', "");
      article.dataset.saved = data.answer;
      article.classList.remove("open");
      status(article, `Saved: ${data.answer}`);
      progress();
    } else if (response.status === 409) {
      conflict(article, data.saved, data.etag, body);
    } else {
      status(article, "Not saved: " + data.problems.join("; "), true);
    }
  };

  const current = (article) => ({
    answer: chosen(article),
    note: field(article, "note").value,
    reason: field(article, "reason").value,
    evidence: field(article, "evidence").value,
  });

  const saveIfAnswered = (article) => {
    const body = current(article);
    if (!body.answer) {
      status(article, "Choose an answer first: the note is saved with it.", true);
      return;
    }
    if (body.answer === "na" && !body.reason.trim()) {
      status(article, "n/a needs a reason: say why this practice does not apply here.", true);
      field(article, "reason").focus();
      return;
    }
    save(article, body);
  };

  const focusPractice = (article) => {
    if (!article) return;
    const radio = article.querySelector('input[type="radio"]:checked') ||
      article.querySelector('input[type="radio"]');
    radio.focus();
    article.scrollIntoView({ block: "center" });
  };

  const nextPractice = (article) => {
    const all = [...interview.querySelectorAll("article.practice")];
    const after = all.slice(all.indexOf(article) + 1);
    return after.find((a) => !a.dataset.saved) || after[0];
  };

  interview.addEventListener("change", (event) => {
    const article = event.target.closest("article.practice");
    if (!article) return;
    if (event.target.type === "radio" || event.target.dataset.field) saveIfAnswered(article);
  });

  interview.addEventListener("keydown", (event) => {
    const target = event.target;
    const article = target.closest("article.practice");
    if (!article || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.dataset.field) {
      if (event.key === "Enter" && target.tagName === "INPUT") {
        event.preventDefault();
        target.blur(); // the change event saves
        if (target.dataset.field === "reason") focusPractice(nextPractice(article));
      }
      return;
    }
    const radio = article.querySelector(`input[data-key="${event.key.toLowerCase()}"]`);
    if (!radio) return;
    event.preventDefault();
    radio.checked = true;
    if (radio.value === "na" && !field(article, "reason").value.trim()) {
      status(article, "n/a: say why this practice does not apply here, then press Enter.");
      field(article, "reason").focus();
      return;
    }
    saveIfAnswered(article);
    focusPractice(nextPractice(article));
  });

  const first = interview.dataset.firstOpen;
  if (first) focusPractice(document.getElementById(`p-${first}`));
})();
