// cmmm-assess workshop pages. Written for this app (no library, nothing from a CDN); served
// from /static under a Content-Security-Policy that allows no inline script. User text is
// only ever put into the page with textContent; fragments come escaped from the server.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const POLL_MS = 400;
  const RESTREAM_MS = 5000;

  // --- the workspace's changes: pushed by the server (/api/events, Server-Sent Events); while
  // the stream is down or refused, the page asks for the fingerprint every POLL_MS instead ----
  const watchers = [];
  let streaming = false;
  const changed = (fingerprint) => {
    for (const watcher of watchers) watcher(fingerprint);
  };
  const mode = (how) => { document.documentElement.dataset.live = how; };
  const OPEN_MS = 3000;
  const listen = () => {
    const source = new EventSource("/api/events");
    streaming = true; // trusted until it fails, or has not opened within OPEN_MS
    setTimeout(() => {
      if (source.readyState !== EventSource.OPEN) streaming = false;
    }, OPEN_MS);
    source.addEventListener("open", () => {
      streaming = true;
      mode("stream");
    });
    source.addEventListener("change", (event) => {
      streaming = true;
      mode("stream");
      changed(event.data);
    });
    source.addEventListener("error", () => {
      streaming = false;
      mode("polling");
      if (source.readyState === EventSource.CLOSED) {
        // Refused (too many pages listen) or the server went away: poll, try again later.
        setTimeout(listen, RESTREAM_MS);
      }
    });
  };
  let asking = false;
  const poll = async () => {
    if (streaming || asking) return;
    asking = true;
    try {
      const response = await fetch("/api/fingerprint", { credentials: "same-origin" });
      if (response.ok) changed((await response.json()).fingerprint);
    } catch (error) {
      // The server stopped or the network blinked: ask again at the next tick.
    } finally {
      asking = false;
    }
  };
  const start = () => {
    if (!watchers.length) return;
    mode("polling");
    if (window.EventSource) listen();
    setInterval(poll, POLL_MS);
  };

  // --- live parts: fetched again when the workspace's fingerprint changes --------------------
  for (const box of document.querySelectorAll("[data-live]")) {
    let known = box.dataset.fingerprint || "";
    let latest = known;
    let busy = false;
    const refresh = async (fingerprint) => {
      latest = fingerprint;
      if (busy || latest === known) return;
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
        } else if (response.status === 204) {
          latest = known; // the server has nothing newer than what the page shows
        }
      } catch (error) {
        // Asked again at the next change or tick.
      } finally {
        busy = false;
      }
      if (latest !== known) refresh(latest); // changed again meanwhile
    };
    watchers.push(refresh);
  }

  // --- the interview --------------------------------------------------------------------------
  const interview = document.getElementById("interview");
  if (!interview) {
    start();
    return;
  }
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

  // What each practice showed when it was last saved or read: typing since differs from it.
  const shown = new Map();
  const asShown = (entry) => ({
    answer: entry ? entry.answer : "",
    note: entry ? entry.note : "",
    reason: entry ? entry.reason : "",
    evidence: entry ? entry.evidence.join(", ") : "",
  });

  const show = (article, entry) => {
    for (const radio of article.querySelectorAll('input[type="radio"]')) {
      radio.checked = Boolean(entry) && radio.value === entry.answer;
    }
    field(article, "note").value = entry ? entry.note : "";
    field(article, "reason").value = entry ? entry.reason : "";
    field(article, "evidence").value = entry ? entry.evidence.join(", ") : "";
    article.dataset.saved = entry ? entry.answer : "";
    article.classList.toggle("open", !entry);
    shown.set(article, asShown(entry));
  };

  // A message and two buttons in `box`, as an alert: each button hides the box, then does
  // what it says. Returns the first button (to focus).
  const offer = (box, text, choices) => {
    const buttons = choices.map(([label, act]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", () => {
        box.hidden = true;
        act();
      });
      return button;
    });
    box.append(text, buttons[0], " ", buttons[1]);
    box.setAttribute("role", "alert");
    return buttons[0];
  };

  // The saved answer shown, said in the status line, and counted in the progress.
  const showSaved = (article, entry) => {
    show(article, entry);
    status(article, entry ? `Saved: ${entry.answer}` : "Not answered yet");
    progress();
  };

  const conflict = (article, saved, etag, mine) => {
    article.querySelector(".elsewhere").hidden = true;
    const box = article.querySelector(".conflict");
    box.replaceChildren();
    const text = document.createElement("p");
    const theirs = saved ? words[saved.answer] + (saved.note ? ` (note: ${saved.note})` : "")
      : "no answer";
    text.textContent = `Someone else changed this answer since this page read it: saved now is ` +
      `${theirs}. Your answer, ${words[mine.answer] || mine.answer}, was NOT saved.`;
    const keepMine = offer(box, text, [
      ["Keep mine (replace theirs)", () => {
        article.dataset.etag = etag;
        save(article, mine);
      }],
      ["Keep theirs", () => {
        article.dataset.etag = etag;
        showSaved(article, saved);
      }],
    ]);
    box.hidden = false;
    status(article, "Not saved: see below.", true);
    keepMine.focus();
  };

  const save = async (article, body) => {
    const practice = article.dataset.practice;
    status(article, "Saving…");
    article.querySelector(".elsewhere").hidden = true;
    article.dataset.saving = "1";
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
      delete article.dataset.saving;
      status(article, "Not saved: the server does not answer. Try again.", true);
      return;
    }
    const data = await response.json();
    delete article.dataset.saving;
    if (response.status === 200) {
      article.dataset.etag = (response.headers.get("ETag") || "").replaceAll('"', "");
      article.dataset.saved = data.answer;
      shown.set(article, asShown(data));
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
    if (article.dataset.pending) {
      status(article, "Not saved yet: someone else changed this answer; choose below.", true);
      return;
    }
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

  // --- answers changed elsewhere (another browser, assess interview, an import, an editor) ---
  const articles = [...interview.querySelectorAll("article.practice")];
  for (const article of articles) {
    shown.set(article, { answer: chosen(article), note: field(article, "note").value,
      reason: field(article, "reason").value, evidence: field(article, "evidence").value });
  }
  const describe = (entry) => entry
    ? words[entry.answer] + (entry.note ? ` (note: ${entry.note})` : "") +
      (entry.reason ? ` (why not applicable: ${entry.reason})` : "")
    : "no answer";
  const editing = (article) => {
    const before = shown.get(article);
    const now = current(article);
    const focused = article.contains(document.activeElement) &&
      Boolean(document.activeElement.dataset.field);
    return focused || ["note", "reason", "evidence"].some((key) => now[key] !== before[key]);
  };
  const elsewhere = (article, entry, etag) => {
    const box = article.querySelector(".elsewhere");
    box.replaceChildren();
    const text = document.createElement("p");
    if (!editing(article)) {
      delete article.dataset.pending;
      show(article, entry);
      article.dataset.etag = etag;
      text.textContent = "Changed elsewhere (another browser, assess interview, an import or " +
        `an edit of the file): now ${describe(entry)}.`;
      box.append(text);
      box.setAttribute("role", "status");
      status(article, entry ? `Saved: ${entry.answer}` : "Not answered yet");
      progress();
    } else {
      text.textContent = "Someone else saved this answer while you were editing it: saved " +
        `now is ${describe(entry)}. What you typed is still here and NOT saved yet.`;
      offer(box, text, [
        ["Save mine (replace theirs)", () => {
          delete article.dataset.pending;
          article.dataset.etag = etag;
          saveIfAnswered(article);
        }],
        ["Show theirs (drop what I typed)", () => {
          delete article.dataset.pending;
          article.dataset.etag = etag;
          showSaved(article, entry);
        }],
      ]);
      status(article, "What you typed is not saved: see below.", true);
      article.dataset.pending = "1"; // nothing saved from here until they choose
    }
    box.hidden = false;
  };
  let knownHere = interview.dataset.fingerprint || "";
  let latestHere = knownHere;
  let checking = false;
  const check = async (fingerprint) => {
    latestHere = fingerprint;
    if (checking || latestHere === knownHere) return;
    checking = true;
    try {
      const response = await fetch(`/api/answers/${encodeURIComponent(respondent)}`,
        { credentials: "same-origin" });
      if (response.ok) {
        const data = await response.json();
        knownHere = data.fingerprint;
        for (const article of articles) {
          const practice = article.dataset.practice;
          const etag = data.etags[practice];
          if (!etag || etag === article.dataset.etag || article.dataset.saving) continue;
          const entry = data.answers[practice] || null;
          const now = asShown(entry);
          const mine = current(article);
          if (["answer", "note", "reason", "evidence"].every((k) => now[k] === mine[k])) {
            article.dataset.etag = etag; // what the page shows already (its own save)
            shown.set(article, now);
            continue;
          }
          elsewhere(article, entry, etag);
        }
      } else {
        latestHere = knownHere; // the workspace is broken now: asked again at its next change
      }
    } catch (error) {
      // Asked again at the next change or tick.
    } finally {
      checking = false;
    }
    if (latestHere !== knownHere) check(latestHere);
  };
  watchers.push(check);
  start();

  const first = interview.dataset.firstOpen;
  if (first) focusPractice(document.getElementById(`p-${first}`));
})();
