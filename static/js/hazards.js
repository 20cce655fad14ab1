// The worker's hazard form: the client key once (exactly-once offline sending), the position on request, and the
// duplicate offer (open reports of the same category nearby) whenever the category or the position changes.
(function () {
  var form = document.querySelector("form[data-offline]");
  if (!form) return;
  var key = form.querySelector("input[name=client_key]");
  if (key && !key.value && window.crypto && crypto.randomUUID) key.value = crypto.randomUUID();
  var box = document.getElementById("nearby");
  var lon = form.querySelector("input[name=longitude]");
  var lat = form.querySelector("input[name=latitude]");
  var category = form.querySelector("select[name=category]");
  function refresh() {
    if (!box || !category.value || !lon.value || !lat.value || !navigator.onLine) return;
    var query = new URLSearchParams({ category: category.value, longitude: lon.value, latitude: lat.value });
    fetch(box.dataset.nearbyUrl + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { box.innerHTML = html; })
      .catch(function () {});
  }
  category.addEventListener("change", refresh);
  var button = form.querySelector("[data-locate]");
  var status = form.querySelector("[data-locate-status]");
  if (!button || !navigator.geolocation) return;
  button.addEventListener("click", function () {
    status.textContent = "正在获取位置…";
    navigator.geolocation.getCurrentPosition(function (p) {
      lon.value = p.coords.longitude.toFixed(6);
      lat.value = p.coords.latitude.toFixed(6);
      status.textContent = "已记录位置";
      refresh();
    }, function () { status.textContent = "未能获取位置，可不填"; }, { timeout: 10000 });
  });
})();
