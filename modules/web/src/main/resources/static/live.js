// Live updates for the newest page of the list: each phrase added anywhere appears on top,
// in the page's own markup, its text set as text (never parsed as HTML). Without this
// script the page works the same, only without the updates.
"use strict";

(() => {
  const list = document.querySelector("ol.phrases[data-live-after]");
  if (!list || !("EventSource" in window)) {
    return;
  }
  let last = list.dataset.liveAfter;
  let source = null;
  connect();

  // A page kept in the back/forward cache must not keep its stream: each open stream holds
  // one of the few HTTP/1.1 connections a browser opens to a site, and the visitor's next
  // pages would wait for them. Restored from that cache, the page resumes after its last id.
  window.addEventListener("pagehide", () => source?.close());
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      connect();
    }
  });

  // The browser reconnects by itself after a lost connection, resuming with Last-Event-ID
  // (which the server prefers to ?after): a phrase added meanwhile still arrives, once. An
  // answer that is not a stream (a 503 at the stream limit, a proxy's 502) closes the
  // EventSource for good, so then this opens a new one, a little later, after the last id seen.
  function connect() {
    const opened = new EventSource("/api/phrases/stream?after=" + encodeURIComponent(last));
    source = opened;
    opened.addEventListener("message", (event) => {
      last = event.lastEventId || last;
      show(JSON.parse(event.data));
    });
    opened.addEventListener("error", () => {
      if (opened.readyState === EventSource.CLOSED && source === opened) {
        setTimeout(() => source === opened && connect(), 5000);
      }
    });
  }

  function show(phrase) {
    if (list.querySelector(`li[data-id="${phrase.id}"]`)) {
      return;
    }
    list.insertBefore(item(phrase), list.firstElementChild);
    document.querySelector("p.empty")?.remove();
  }

  // <li><span class="number">#42</span><span class="text">…</span><time datetime="…">…</time></li>
  function item(phrase) {
    const li = document.createElement("li");
    li.dataset.id = phrase.id;
    li.append(
      element("span", "number", "#" + phrase.id),
      element("span", "text", phrase.text),
      time(phrase.createdAt));
    return li;
  }

  function element(name, className, text) {
    const node = document.createElement(name);
    node.className = className;
    node.textContent = text;
    return node;
  }

  // As the server writes it: "2026-11-25T12:34:56.789Z" is shown as "2026-11-25 12:34 UTC".
  function time(createdAt) {
    const node = document.createElement("time");
    node.dateTime = createdAt;
    node.textContent = createdAt.slice(0, 10) + " " + createdAt.slice(11, 16) + " UTC";
    return node;
  }
})();
