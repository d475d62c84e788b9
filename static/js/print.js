// The 「打印」 buttons (templates/includes/_print_button.html): print the page with the print
// stylesheet (static/css/print.css). A listener, not an inline handler: the CSP forbids those.
"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-print]") : null;
  if (button) {
    event.preventDefault();
    window.print();
  }
});
