// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A select with data-autosubmit (the organisation switcher) submits its form on change.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });

  // Close the user menu on Escape or on a click elsewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll("details.usermenu[open]").forEach(function (d) { d.removeAttribute("open"); });
    }
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.usermenu[open]").forEach(function (d) {
      if (!d.contains(event.target)) { d.removeAttribute("open"); }
    });
  });

  // After htmx swaps a form into a cell, focus its first control so keyboard users can carry on.
  document.addEventListener("htmx:afterSwap", function (event) {
    var first = event.detail.target.querySelector("[autofocus], select, input:not([type=hidden]), button");
    if (first) { first.focus(); }
  });
})();
