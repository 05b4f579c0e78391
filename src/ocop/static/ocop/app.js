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
})();
