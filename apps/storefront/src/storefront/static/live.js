// The order page follows its order: poll the live fragment every second until the order
// is final. Polling (not a socket) keeps the storefront a plain request/response app.
(function () {
  const live = document.getElementById("live");
  if (!live) return;
  async function refresh() {
    if (document.getElementById("phase")?.dataset.final === "yes") return;
    try {
      const answer = await fetch(live.dataset.src, { credentials: "same-origin" });
      if (answer.ok) live.innerHTML = await answer.text();
    } finally {
      setTimeout(refresh, 1000);
    }
  }
  setTimeout(refresh, 1000);
})();
