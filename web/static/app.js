// Mentorbook's small enhancements. Every page works without this file:
// it fills timezone pickers from the browser, remembers the browser's zone
// in the "tz" cookie, and adds or removes rows in the hour editors.
(function () {
  "use strict";

  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    zone = "";
  }
  // Browsers may report an old name (Chromium says Asia/Calcutta); the
  // page lists the current names of old ones (web/timezone.go).
  var zones = document.getElementById("zones");
  if (zones && zone) {
    try {
      zone = JSON.parse(zones.getAttribute("data-aliases") || "{}")[zone] || zone;
    } catch (e) {
      // Keep the browser's name: the server canonicalises it too.
    }
  }

  function hasCookie(name) {
    return document.cookie.split(";").some(function (c) {
      return c.trim().indexOf(name + "=") === 0;
    });
  }

  function enhance(root) {
    // Empty timezone pickers take the browser's zone.
    root.querySelectorAll("input[data-tz-detect]").forEach(function (el) {
      if (!el.value && zone) {
        el.value = zone;
      }
    });
    // Controls that need this script stay hidden without it.
    root.querySelectorAll("[data-js-only]").forEach(function (el) {
      el.hidden = false;
    });
  }

  enhance(document);

  // A page that showed times in UTC only because it did not know the
  // visitor's zone: remember the browser's zone and show the page again.
  if (zone && document.body.hasAttribute("data-tz-unknown") && !hasCookie("tz")) {
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
    window.location.reload();
  }

  var added = 0;
  document.addEventListener("click", function (ev) {
    var add = ev.target.closest("[data-add-row]");
    if (add) {
      var list = document.getElementById(add.getAttribute("data-add-row"));
      var tpl = document.getElementById(add.getAttribute("data-template"));
      if (!list || !tpl) {
        return;
      }
      added += 1;
      // Ids in the template end in __N__; each new row gets its own.
      list.insertAdjacentHTML("beforeend", tpl.innerHTML.replace(/__N__/g, "new" + added));
      var row = list.lastElementChild;
      enhance(row);
      var first = row.querySelector("select, input");
      if (first) {
        first.focus();
      }
      return;
    }
    var remove = ev.target.closest("[data-remove-row]");
    if (remove) {
      var r = remove.closest("[data-row]");
      var next = r.nextElementSibling || r.previousElementSibling;
      var rows = r.parentElement;
      r.remove();
      // Keep keyboard focus somewhere sensible.
      var target = next ? next.querySelector("select, input") : null;
      if (target) {
        target.focus();
      } else {
        var addButton = document.querySelector('[data-add-row="' + rows.id + '"]');
        if (addButton) {
          addButton.focus();
        }
      }
    }
  });

  // Content htmx swaps in gets the same treatment.
  document.addEventListener("htmx:afterSwap", function (ev) {
    enhance(ev.target);
  });
})();

// Copy buttons (a payment's reference): the text is on the page anyway,
// so without a clipboard the button only says it could not copy.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    var status = document.getElementById(button.getAttribute("aria-describedby") || "");
    var say = function (text) {
      if (status) {
        status.textContent = text;
      }
    };
    if (!navigator.clipboard) {
      say("Select the reference and copy it.");
      return;
    }
    navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
      say("Copied.");
    }, function () {
      say("Select the reference and copy it.");
    });
  });
})();
