// Every admin page (templates/admin/base_site.html).
// Django's two-box picker (filter_horizontal, SelectFilter2.js) labels its search icons
// with aria-label on a plain <span>, which ARIA does not allow; role="img" makes the label
// valid. The picker is built on "load", so this runs just after.
window.addEventListener("load", function () {
  setTimeout(function () {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (el) {
      el.setAttribute("role", "img");
    });
  }, 0);
});
