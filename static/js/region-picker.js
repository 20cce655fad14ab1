// Region picker: one select per level below the user's scope root, plus a name search.
(function () {
  const LENGTHS = [2, 4, 6, 9, 12];
  const LEVELS = ["省", "市", "区县", "乡镇/街道", "社区/村"];

  async function fetchJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return { items: [] };
    return response.json();
  }

  function init(picker) {
    const api = picker.dataset.api;
    const root = picker.dataset.root || "";
    const hidden = picker.querySelector("input[type=hidden]");
    const selects = picker.querySelector(".rp-selects");
    const label = picker.querySelector(".rp-label");
    const search = picker.querySelector("input[type=search]");
    const results = picker.querySelector(".rp-results");

    function setValue(code, fullName) {
      hidden.value = code;
      label.textContent = fullName || "";
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }

    async function addLevel(parentCode, selected) {
      const data = await fetchJSON(`${api}?parent=${encodeURIComponent(parentCode)}`);
      if (!data.items.length) return null;
      const select = document.createElement("select");
      select.className = "form-select form-select-sm";
      const level = data.items[0].level;
      select.setAttribute("aria-label", LEVELS[level - 1]);
      select.add(new Option(`全部${LEVELS[level - 1]}`, ""));
      for (const item of data.items) {
        const option = new Option(item.name, item.code);
        option.title = item.full_name;
        option.dataset.fullName = item.full_name;
        select.add(option);
      }
      select.dataset.parent = parentCode;
      if (selected) select.value = selected;
      select.addEventListener("change", async () => {
        while (select.nextSibling) select.nextSibling.remove();
        const option = select.selectedOptions[0];
        if (select.value) {
          setValue(select.value, option.dataset.fullName);
          await addLevel(select.value, null);
        } else {
          const previous = select.previousSibling;
          setValue(previous ? previous.value : "", previous && previous.selectedOptions[0] ? previous.selectedOptions[0].dataset.fullName : "");
        }
      });
      selects.appendChild(select);
      return select;
    }

    async function build(code) {
      selects.innerHTML = "";
      // The root itself is shown as the first, fixed select when the scope is one region.
      const chain = LENGTHS.filter((n) => n > root.length && code.length >= n).map((n) => code.slice(0, n));
      let parent = root;
      if (root) {
        const data = await fetchJSON(`${api}?parent=`);
        if (data.items.length) {
          const select = document.createElement("select");
          select.className = "form-select form-select-sm";
          select.disabled = true;
          select.add(new Option(data.items[0].name, data.items[0].code));
          selects.appendChild(select);
          // A community-level scope has nothing below it: its own region is the value.
          if (root.length === 12) {
            if (!hidden.value) setValue(root, data.items[0].full_name);
            return;
          }
        }
      }
      for (const step of chain) {
        await addLevel(parent, step);
        parent = step;
      }
      if (!chain.length || chain[chain.length - 1].length < 12) await addLevel(parent || "", null);
    }

    let timer = null;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      const q = search.value.trim();
      if (!q) { results.classList.add("d-none"); return; }
      timer = setTimeout(async () => {
        const data = await fetchJSON(`${api}?q=${encodeURIComponent(q)}`);
        results.innerHTML = "";
        if (!data.items.length) {
          results.innerHTML = '<div class="p-2 small text-muted">没有找到匹配的区划</div>';
        }
        for (const item of data.items) {
          const button = document.createElement("button");
          button.type = "button";
          button.textContent = `${item.full_name}（${item.code}）`;
          button.addEventListener("click", async () => {
            results.classList.add("d-none");
            search.value = "";
            setValue(item.code, item.full_name);
            await build(item.code);
          });
          results.appendChild(button);
        }
        results.classList.remove("d-none");
      }, 250);
    });

    build(hidden.value || "");
  }

  document.querySelectorAll("[data-region-picker]").forEach(init);
})();
