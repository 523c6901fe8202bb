// The door page without page loads: results follow the search box as one types, and
// check-in / undo buttons post in the background. Without this file the plain forms work.
(function () {
  "use strict";
  var results = document.getElementById("checkin-results");
  var search = document.querySelector("[data-checkin-search]");
  if (!results || !search || !window.fetch) {
    return;
  }
  var input = search.querySelector("input[name=q]");
  var url = results.getAttribute("data-results-url");
  var latest = 0;
  var timer = null;

  function show(html, request) {
    if (request === latest) {
      results.innerHTML = html;
    }
  }

  function load(query) {
    var request = ++latest;
    var address = url + (query ? "?q=" + encodeURIComponent(query) : "");
    window.history.replaceState(null, "", address);
    fetch(address, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response); })
      .then(function (html) { show(html, request); })
      .catch(function () { /* keep the current list; the Search button still works */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { load(input.value.trim()); }, 200);
  });
  search.addEventListener("submit", function (event) {
    event.preventDefault();
    load(input.value.trim());
  });

  results.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-checkin-action")) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    var request = ++latest;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.text().then(function (text) {
          if (response.status === 409) {
            window.alert(text);
            button.disabled = false;
            return;
          }
          if (!response.ok) {
            form.submit();
            return;
          }
          show(text, request);
        });
      })
      .catch(function () { form.submit(); });
  });
})();
