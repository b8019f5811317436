// Roadmap editor: move axes and actions up/down without reloading the page.
// Progressive enhancement: the forms post normally without JavaScript.
(function () {
  "use strict";
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function announce(text) {
    var live = document.getElementById("fdr-annonce");
    if (live) live.textContent = text;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-deplacer]")) return;
    var button = event.submitter;
    if (!button || !window.fetch) return;
    event.preventDefault();
    var data = new FormData(form);
    data.set("sens", button.value);
    var item = form.closest("[data-element]");
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (result) {
        if (!result.ok || !result.deplace) {
          announce("Déjà en " + (button.value === "haut" ? "première" : "dernière") + " position.");
          return;
        }
        var sibling = button.value === "haut" ? item.previousElementSibling : item.nextElementSibling;
        if (sibling && sibling.matches("[data-element]")) {
          if (button.value === "haut") item.parentNode.insertBefore(item, sibling);
          else item.parentNode.insertBefore(sibling, item);
        }
        button.focus();
        var title = item.querySelector("h3, h4");
        announce((title ? title.textContent.trim() : "Élément") + " déplacé.");
      })
      .catch(function () {
        form.submit();
      });
  });
})();
