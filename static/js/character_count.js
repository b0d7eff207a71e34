/* Counts down to a text box's limit (data-character-limit, also said in its hint) as the
   member types: "1,234 characters left", then "12 characters too many". Nothing is cut
   off (no maxlength): the form says so if the text is still too long when sent. The
   count on screen is hidden from screen readers; a polite live region repeats it once
   typing pauses, so it is not read out at every key. */
(function () {
  "use strict";
  var number = new Intl.NumberFormat("en-GB");

  function plural(count, word) {
    return number.format(count) + " " + word + (count === 1 ? "" : "s");
  }

  function counter(box) {
    var limit = Number(box.getAttribute("data-character-limit"));
    var shown = document.createElement("p");
    var spoken = document.createElement("p");
    var timer = null;
    shown.className = "character-count";
    shown.setAttribute("aria-hidden", "true");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    box.after(shown, spoken);

    function update(announce) {
      // A line break is sent as two characters (CR LF), and the server counts what is sent.
      var used = box.value.replace(/\r?\n/g, "\r\n").length;
      var left = limit - used;
      var words = left >= 0 ? plural(left, "character") + " left"
                            : plural(-left, "character") + " too many";
      shown.textContent = words;
      shown.classList.toggle("character-count-over", left < 0);
      if (announce) {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { spoken.textContent = words; }, 1000);
      }
    }

    box.addEventListener("input", function () { update(true); });
    update(false);
  }

  document.querySelectorAll("textarea[data-character-limit]").forEach(counter);
})();
