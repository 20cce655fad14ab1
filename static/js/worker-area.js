// 标注工作位置 (/w/me/area/): the phone's position, taken once when the worker taps, fills the form and sends it.
(function () {
  const button = document.getElementById("pin-here");
  const form = document.getElementById("pin-form");
  const status = document.getElementById("pin-status");
  if (!button || !form) return;
  if (!navigator.geolocation) {
    status.textContent = "这部手机的浏览器不能提供位置，暂时无法标注。";
    return;
  }
  button.disabled = false;
  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = "正在获取位置……";
    navigator.geolocation.getCurrentPosition(
      (p) => {
        form.querySelector("input[name=longitude]").value = p.coords.longitude.toFixed(6);
        form.querySelector("input[name=latitude]").value = p.coords.latitude.toFixed(6);
        form.submit();
      },
      () => {
        button.disabled = false;
        status.textContent = "未能获取位置：请在手机设置中允许浏览器使用位置，或到空旷处再试。";
      },
      { timeout: 10000, maximumAge: 60000, enableHighAccuracy: true },
    );
  });
})();
