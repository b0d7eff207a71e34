/* The feedback form asks "Did you meet?" first. Once it is answered, only the questions
   for that answer are shown: "If you met" after "Yes, we met", "If you couldn't meet"
   after "No", neither after "Not yet". Until then (and without JavaScript) every question
   is shown. Answers under a hidden heading stay on the page, so going back to the other
   answer loses nothing; the form only asks for (and saves the meeting's answers with)
   the answer that fits (feedback/forms.py, EvaluationForm.clean, evaluation_data). */
(function () {
  "use strict";
  var radios = document.querySelectorAll('input[type="radio"][name="met"]');
  var sections = document.querySelectorAll("[data-shown-when-met]");
  if (!radios.length || !sections.length) {
    return;
  }

  function update() {
    var chosen = document.querySelector('input[type="radio"][name="met"]:checked');
    sections.forEach(function (section) {
      section.hidden = chosen !== null && chosen.value !== section.getAttribute("data-shown-when-met");
    });
  }

  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
