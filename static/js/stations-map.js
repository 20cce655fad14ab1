// Station maps (Leaflet): stations as markers coloured by type, with popups of amenities and 六有; on the circle
// page also the reach of each open station, the uncovered demand points and the suggested sites. Without a tile
// URL (the default: many offices run on intranets) the map is drawn on a plain background, never from a CDN.
(function () {
  const holder = document.getElementById("station-map");
  const source = document.getElementById("station-map-data");
  if (!holder || !source || !window.L) return;
  const data = JSON.parse(source.textContent);
  const map = L.map(holder, { zoomSnap: 0.25, attributionControl: !!data.tiles });
  if (data.tiles) L.tileLayer(data.tiles, { maxZoom: 19 }).addTo(map);
  else holder.classList.add("sx-map-plain");
  L.control.scale({ imperial: false }).addTo(map);
  const text = (value) => {
    const span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  };
  const popup = (s) => {
    const tags = s.amenities.length ? s.amenities.map((a) => `<span class="badge text-bg-light border me-1">${text(a)}</span>`).join("") : "—";
    const six = s.checklist.map(([label, ok]) => `<span class="me-1 ${ok ? "text-success" : "text-muted"}">${ok ? "✔" : "○"}${text(label)}</span>`).join("");
    return `<div class="sx-map-popup"><a class="fw-bold" href="${s.url}">${text(s.name)}</a> <span class="badge" style="background:${s.colour}">${text(s.type)}</span>` +
      `${s.open ? "" : ' <span class="badge text-bg-secondary">暂停服务</span>'}<div class="small text-muted">${text(s.address)}</div>` +
      `<div class="small">开放时间：${text(s.hours || "—")}</div><div class="small">设施：${tags}</div><div class="small">六有：${six}</div></div>`;
  };
  const bounds = [];
  if (data.radius) {
    for (const s of data.stations) {
      L.circle([s.lat, s.lon], { radius: data.radius, color: s.colour, weight: 1, fillOpacity: 0.08 }).addTo(map);
    }
  }
  for (const s of data.stations) {
    L.circleMarker([s.lat, s.lon], { radius: 8, color: "#fff", weight: 2, fillColor: s.colour, fillOpacity: s.open ? 0.95 : 0.4 })
      .bindPopup(popup(s))
      .bindTooltip(s.name)
      .addTo(map);
    bounds.push([s.lat, s.lon]);
  }
  for (const [lon, lat, weight, label] of data.uncovered || []) {
    L.circleMarker([lat, lon], { radius: 3 + Math.min(5, Math.log2(weight)), color: "#c8102e", weight: 1, fillColor: "#c8102e", fillOpacity: 0.5 })
      .bindTooltip(`未覆盖：${text(label)}（权重 ${weight}）`)
      .addTo(map);
    bounds.push([lat, lon]);
  }
  (data.suggestions || []).forEach(([lon, lat, points, weight], index) => {
    L.circle([lat, lon], { radius: data.radius, color: "#198754", weight: 2, dashArray: "6 4", fillOpacity: 0.05 }).addTo(map);
    L.marker([lat, lon], {
      icon: L.divIcon({ className: "sx-map-suggestion", html: `<span>${index + 1}</span>`, iconSize: [26, 26] }),
    })
      .bindPopup(`<b>建议选址 ${index + 1}</b><br>新增覆盖需求点 ${points.toLocaleString()} 个（权重 ${weight.toLocaleString()}）<br>${lat.toFixed(6)}, ${lon.toFixed(6)}`)
      .addTo(map);
    bounds.push([lat, lon]);
  });
  if (bounds.length) map.fitBounds(L.latLngBounds(bounds).pad(data.radius ? 0.25 : 0.1), { maxZoom: 15 });
  else map.setView([28.68, 115.89], 11);
})();

// The phone pages: the position (only if the worker lets the browser tell) and the exactly-once key of a check-in.
(function () {
  const locate = document.getElementById("use-my-position");
  if (locate && navigator.geolocation) {
    locate.classList.remove("d-none");
    locate.addEventListener("click", () => {
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(
        (p) => { window.location.search = `?lon=${p.coords.longitude.toFixed(6)}&lat=${p.coords.latitude.toFixed(6)}`; },
        () => { locate.disabled = false; locate.textContent = "未能获取位置，已按工作区域排序"; },
        { timeout: 10000, maximumAge: 60000 },
      );
    });
  }
  const form = document.getElementById("checkin-form");
  if (!form) return;
  const key = form.querySelector("input[name=client_key]");
  if (key && !key.value && window.crypto && crypto.randomUUID) key.value = crypto.randomUUID();
  if (navigator.geolocation && form.dataset.askPosition === "1") {
    navigator.geolocation.getCurrentPosition((p) => {
      form.querySelector("input[name=longitude]").value = p.coords.longitude.toFixed(6);
      form.querySelector("input[name=latitude]").value = p.coords.latitude.toFixed(6);
    }, () => {}, { timeout: 8000, maximumAge: 120000 });
  }
})();
