// The patient's page without a page jump. Every form works without this file: the server sends
// the patient back to the section they used (#exercise-N-tick, #how-saved) with "Saved: …" inside it. Here
// the same POST goes through fetch, and only that section (and the count) is swapped for the
// server's new one, so the confirmation appears where the patient is looking.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) { return; }
  var status = document.getElementById("portal-status");

  function swap(doc, id) {
    var fresh = doc.getElementById(id);
    var old = document.getElementById(id);
    if (!fresh || !old) { return null; }
    old.replaceWith(fresh);
    return fresh;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var section = form.getAttribute && form.getAttribute("data-saves");
    if (!section) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    // Where the patient tapped: after the swap the same spot must hold the same place of the
    // section (a "Done" mark, not the control below it), whatever the browser's scroll anchoring does.
    var spotTop = form.getBoundingClientRect().top;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          if (!(response.ok || response.status === 422) || !doc.getElementById(section)) {
            window.location.href = response.url;
            return;
          }
          // One confirmation at a time: the newest, beside the control just used.
          document.querySelectorAll(".saved").forEach(function (old) { old.remove(); });
          var fresh = swap(doc, section);
          swap(doc, "count");
          var spot = fresh.querySelector(".tick-area") || fresh.querySelector("form");
          if (spot) { window.scrollBy(0, spot.getBoundingClientRect().top - spotTop); }
          var saved = fresh.querySelector(".saved, .error");
          if (saved) {
            // Said once, by the page's own live region, and kept in view beside the control.
            saved.removeAttribute("role");
            if (status) { status.textContent = saved.textContent; }
            saved.scrollIntoView({ block: "nearest" });
          }
          var again = fresh.querySelector("button[type=submit], .done-mark");
          if (again) { again.focus({ preventScroll: true }); }
        });
      })
      .catch(function () { form.submit(); });
  });
})();
