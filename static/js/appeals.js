// The worker's appeal form: fill the client key once (exactly-once offline sending), and the position on request.
(function () {
  var form = document.querySelector("form[data-offline]");
  if (!form) return;
  var key = form.querySelector("input[name=client_key]");
  if (key && !key.value && window.crypto && crypto.randomUUID) key.value = crypto.randomUUID();
  var button = form.querySelector("[data-locate]");
  var status = form.querySelector("[data-locate-status]");
  if (!button || !navigator.geolocation) return;
  button.addEventListener("click", function () {
    status.textContent = "正在获取位置…";
    navigator.geolocation.getCurrentPosition(function (p) {
      form.querySelector("input[name=longitude]").value = p.coords.longitude.toFixed(6);
      form.querySelector("input[name=latitude]").value = p.coords.latitude.toFixed(6);
      status.textContent = "已记录位置";
    }, function () { status.textContent = "未能获取位置，可不填"; }, { timeout: 10000 });
  });
})();
