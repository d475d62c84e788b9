// Small page helpers every page loads (the CSP allows no inline script):
// - a form marked data-confirm asks in a dialog before it posts an irreversible action; without
//   JavaScript its "I confirm" checkbox is required instead, so the browser asks for the tick;
// - a form posted a moment ago is not posted again by a second click (a double click on a slow
//   connection made two contact entries, two handover requests); after a few seconds it may be,
//   since a form whose answer is a download leaves the page where it is;
// - a long picker (a multi-select, or a checkbox list marked .filterable) gets a filter box.
// The words come from the body's data attributes, translated by the server.
(function () {
  "use strict";

  var words = document.body.dataset;
  var dialog = null;

  function makeDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-text");
    var text = document.createElement("p");
    text.id = "confirm-dialog-text";
    var actions = document.createElement("div");
    actions.className = "actions";
    var ok = document.createElement("button");
    ok.type = "button";
    ok.className = "btn btn-primary";
    ok.id = "confirm-dialog-ok";
    ok.textContent = words.confirmOk || "OK";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn";
    cancel.id = "confirm-dialog-cancel";
    cancel.textContent = words.confirmCancel || "Cancel";
    actions.appendChild(ok);
    actions.appendChild(cancel);
    dialog.appendChild(text);
    dialog.appendChild(actions);
    cancel.addEventListener("click", function () { dialog.close("cancel"); });
    ok.addEventListener("click", function () { dialog.close("ok"); });
    document.body.appendChild(dialog);
  }

  function ask(message, onOk) {
    if (!dialog) makeDialog();
    dialog.querySelector("#confirm-dialog-text").textContent = message;
    dialog.onclose = function () { if (dialog.returnValue === "ok") onOk(); };
    dialog.returnValue = "";
    dialog.showModal();
    dialog.querySelector("#confirm-dialog-cancel").focus();
  }

  function enhanceConfirms(root) {
    root.querySelectorAll("form[data-confirm] .confirm-check").forEach(function (line) {
      line.hidden = true;
      var box = line.querySelector("input[name=confirmed]");
      if (box) box.required = false;
      // The dialog asks now, so the form's other fields get the app's messages, not the browser's
      // (every other POST form is novalidate; without JavaScript the tick stays the browser's).
      line.closest("form").noValidate = true;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) return;
    var box = form.querySelector("input[name=confirmed]");
    if (!box || box.checked) return;
    event.preventDefault();
    var submitter = event.submitter || null;
    var line = form.querySelector(".confirm-check");
    ask(line ? line.textContent.trim() : "", function () {
      box.checked = true;
      if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
    });
  }, true);

  var RESUBMIT_AFTER_MS = 4000;

  // Bubbling, after the confirm dialog's capturing handler: a post the dialog held back is no post.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    var last = Number(form.dataset.postedAt || 0);
    if (Date.now() - last < RESUBMIT_AFTER_MS) {
      event.preventDefault();
      return;
    }
    form.dataset.postedAt = String(Date.now());
  });

  // Back to a page from the browser's cache: its forms may be posted at once.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-posted-at]").forEach(function (form) {
      delete form.dataset.postedAt;
    });
  });

  function filterBox(list) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "picker-filter";
    input.placeholder = words.filterPlaceholder || "Filter";
    input.setAttribute("aria-label", words.filterPlaceholder || "Filter");
    if (list.id) input.setAttribute("aria-controls", list.id);
    list.parentNode.insertBefore(input, list);
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      var items = list.tagName === "SELECT" ? list.options : list.children;
      Array.prototype.forEach.call(items, function (item) {
        var box = item.querySelector ? item.querySelector("input") : null;
        var chosen = item.selected || (box && box.checked);
        item.hidden = query !== "" && !chosen && item.textContent.toLowerCase().indexOf(query) === -1;
      });
    });
  }

  function enhancePickers(root) {
    root.querySelectorAll("select[multiple], .filterable").forEach(function (list) {
      if (list.dataset.filterReady) return;
      if (list.tagName === "INPUT") return;
      var count = list.tagName === "SELECT" ? list.options.length : list.children.length;
      if (count < 8) return;
      list.dataset.filterReady = "1";
      filterBox(list);
    });
  }

  enhanceConfirms(document);
  enhancePickers(document);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    enhanceConfirms(event.target);
    enhancePickers(event.target);
  });
})();
