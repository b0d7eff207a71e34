/* The feedback form asks "Did you meet?" first. Once it is answered, only the questions
   for that answer are shown: "If you met" after "Yes, we met", "If you couldn't meet"
   after "No", neither after "Not yet"; after "Not yet" the reflection and the takeaway
   to share are hidden too (there is no meeting to reflect on yet). Until then (and
   without JavaScript) every question is shown. Answers under a hidden heading stay on the
   page, so going back to the other answer loses nothing; the form only asks for (and
   saves the meeting's answers with) the answer that fits (feedback/forms.py,
   EvaluationForm.clean, evaluation_data). A reflection or takeaway sent with "Not yet" is
   kept for when the member answers again, and never shared until then
   (feedback/report_rows.py, shared_takeaways). */
(function () {
  "use strict";
  var radios = document.querySelectorAll('input[type="radio"][name="met"]');
  var shown = document.querySelectorAll("[data-shown-when-met]");
  var hidden = document.querySelectorAll("[data-hidden-when-met]");
  if (!radios.length || !(shown.length || hidden.length)) {
    return;
  }

  function update() {
    var chosen = document.querySelector('input[type="radio"][name="met"]:checked');
    shown.forEach(function (section) {
      section.hidden = chosen !== null && chosen.value !== section.getAttribute("data-shown-when-met");
    });
    hidden.forEach(function (section) {
      section.hidden = chosen !== null && chosen.value === section.getAttribute("data-hidden-when-met");
    });
  }

  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
