/* The demo page's own buttons: open the chat widget (web/widget.js), or start a new
 * conversation after the widget's confirmation. */
(function () {
  "use strict";

  function chat() {
    return document.getElementById("chat");
  }

  document.getElementById("open-chat").addEventListener("click", function () {
    chat().open();
  });
  document.getElementById("new-chat").addEventListener("click", function () {
    chat().askRestart();
  });
})();
