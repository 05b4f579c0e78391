// ocop front-end glue (CSP: loaded as a file, never inline).
(function () {
  "use strict";
  // Put keyboard focus on the error summary so screen readers announce it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-testid='error-summary']");
    if (summary) { summary.focus(); }
  });
  // Elements with data-autosubmit submit their form (debounced for text inputs) via htmx triggers
  // declared in the markup; nothing to do here beyond a friendly message on network errors.
  document.body.addEventListener("htmx:sendError", function () {
    window.alert(document.documentElement.lang === "en"
      ? "Network error: please check your connection and try again."
      : "Lỗi mạng: vui lòng kiểm tra kết nối và thử lại.");
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr && event.detail.xhr.status >= 500) {
      window.alert(document.documentElement.lang === "en"
        ? "Server error: nothing was changed. Please try again."
        : "Lỗi máy chủ: dữ liệu chưa bị thay đổi. Vui lòng thử lại.");
    }
  });
  // Forms marked .js-once: a second click does not send the form again (the server refuses a
  // repeated transition as well; this only spares the user the message).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("js-once")) { return; }
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    window.setTimeout(function () {
      form.querySelectorAll("button[type='submit']").forEach(function (button) { button.disabled = true; });
    }, 0);
  });
  // A photo taken with the camera input: show its name next to the button.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type='file'][data-copy-to]")) { return; }
    var label = document.querySelector("label[for='" + input.id + "']");
    if (label && input.files && input.files.length) {
      label.setAttribute("data-file", input.files[0].name);
      label.textContent = "\u2713 " + input.files[0].name;
    }
  });
})();
