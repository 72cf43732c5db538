// Courtyard's few lines of script. Everything works without it; it only smooths interactions.
document.addEventListener("htmx:afterSwap", (event) => {
  // After a partial update of search results, move focus to the result count for screen readers.
  if (event.detail.target && event.detail.target.id === "directory-results") {
    const count = document.getElementById("result-count");
    if (count) { count.setAttribute("tabindex", "-1"); }
  }
});
