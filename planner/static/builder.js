// The builder without full page reloads. Every form still works without this file: it only
// sends the same POST with fetch and swaps in the parts of the page the server returns
// (each element marked data-builder-part: the header with the dates, and the builder).
(function () {
  "use strict";
  var root = document.querySelector("[data-builder]");
  if (!root || !window.fetch || !window.DOMParser) { return; }

  function swap(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var flashes = doc.querySelectorAll("main > .flash");
    if (!doc.querySelector("[data-builder]")) { window.location.href = url; return; }
    // The same rendering as after a reload: nothing on the page keeps what it showed before.
    doc.querySelectorAll("[data-builder-part]").forEach(function (part) {
      var old = part.id && document.getElementById(part.id);
      if (old) { old.replaceWith(part); }
    });
    root = document.querySelector("[data-builder]");
    document.title = doc.title;
    document.querySelectorAll("main > .flash").forEach(function (el) { el.remove(); });
    var main = document.querySelector("main");
    var first = main.firstElementChild;
    flashes.forEach(function (el) { main.insertBefore(el, first); });
    var status = document.getElementById("builder-status");
    // A refused save shows its message at the field: say that, never "Saved.".
    var refused = document.querySelector("[data-builder] .error");
    if (status) {
      status.textContent = flashes.length ? flashes[0].textContent
        : refused ? "Not saved: " + refused.textContent : "Saved.";
    }
  }

  function send(form, action) {
    var y = window.scrollY;
    var busy = form.querySelector("button[type=submit]");
    if (busy) { busy.disabled = true; }
    return fetch(action || form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.text().then(function (html) { swap(html, response.url); window.scrollTo(0, y); });
    }).catch(function () { form.submit(); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!root.contains(form) || form.method.toLowerCase() !== "post") { return; }
    event.preventDefault();
    send(form);
  });

  // Remove asks with the browser's own dialog instead of the confirmation page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-remove]");
    if (!link || !root.contains(link)) { return; }
    event.preventDefault();
    if (!window.confirm(link.getAttribute("data-remove"))) { return; }
    var form = document.createElement("form");
    form.method = "post";
    form.action = link.href;
    var token = root.querySelector("input[name=csrf_token]");
    var lock = root.querySelector("input[name=lock_version]");
    [token, lock].forEach(function (input) {
      if (input) { var copy = input.cloneNode(); copy.type = "hidden"; form.appendChild(copy); }
    });
    send(form, link.href);
  });
})();
