/* The personal report's print button (a file of its own: the CSP allows no inline script). */
(function () {
  "use strict";
  var button = document.getElementById("print");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
