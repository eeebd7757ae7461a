// The page's only script: the check-ins refresh themselves every 15 seconds without a reload
// (the server renders the fragment; a failed fetch leaves what is shown and tries again), and
// the print button. Everything else works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("[data-refresh]")) {
    const refresh = async () => {
      try {
        const answer = await fetch(box.dataset.refresh, {
          headers: { "X-Requested-With": "fetch" },
          credentials: "same-origin",
        });
        if (answer.status === 401) {
          window.location.assign("/login");
          return;
        }
        if (answer.ok) {
          box.innerHTML = await answer.text();
          box.dataset.refreshed = String(Date.now());
        }
      } catch (_) {
        // No answer: keep what is shown; the next tick tries again.
      }
    };
    setInterval(refresh, 15000);
    box.addEventListener("refresh", refresh);
  }
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
