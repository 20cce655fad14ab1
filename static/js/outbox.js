/* 三新服务: the phone's outbox of submissions made without network (plain ES2019, no build step).
 *
 * Loaded by the phone shell (templates/mobile/base.html), which also carries <meta name="sx-user"> and an empty
 * <div id="sx-outbox"> where the outbox shows itself. It registers the service worker (/sw.js).
 *
 * THE CONTRACT (server side: sanxin/core/offline.py)
 *   A form:  <form method="post" action="…" data-offline="上报诉求">{{ csrf_input }}<input type="hidden" name="client_key">…
 *     - data-offline: the Chinese label the outbox lists the entry under;
 *     - client_key: filled here with a fresh UUID on every page load (any form with an empty client_key input gets
 *       one too, so a double tap online is also sent once);
 *     - file inputs are kept on the phone as they are (photos).
 *   Its view: answers through sanxin.core.offline.done / refused, so a post with the header X-Sanxin-Outbox: 1
 *     gets JSON back ({ok: true, message, redirect} or 400 {ok: false, message, errors}); a view that creates a row
 *     dedupes on (owner, client_key) with sanxin.core.offline.create_once, so a second arrival creates nothing.
 *
 * WHAT HAPPENS
 *   Submit with network: posted here with fetch and the header; on {ok: true} the page goes to `redirect` (the
 *     flash message shows there, as before); a refusal, an expired login or a server error is posted again the
 *     ordinary way, so the user sees exactly the page they saw before this script existed.
 *   Submit without network (navigator.onLine false, a network error or no answer in 20 s): the fields, files
 *     included, go to IndexedDB with the url, label, time, client_key and the user; the page says
 *     “已保存在手机上，有网络后自动发送（N 条待发送）”.
 *   Replay, in order, on the `online` event, on each page load and every 30 s: a fresh CSRF token from
 *     /offline/csrf/, then the post with the header (and X-Sanxin-Kept-At: when the phone kept it). Sent (2xx, or 3xx followed) → removed, “已发送”. Refused
 *     (4xx, with the server's Chinese message) → kept as failed: 重新填写 (fills the form again) or 删除.
 *     Login expired → kept, sent after the user logs in again. Server error or no network → kept, tried later.
 *   Entries belong to the user who made them and are only sent in that user's session; pages stored for offline
 *     use are deleted when another user opens the phone shell or at logout (the service worker does that).
 */
(function () {
  "use strict";
  var DB_NAME = "sanxin-outbox";
  var STORE = "entries";
  var HEADER = "X-Sanxin-Outbox";
  var CSRF_URL = "/offline/csrf/";
  var LOGIN_PATHS = ["/accounts/login/", "/w/login/", "/w/consent/"];
  var SEND_TIMEOUT = 20000;
  var REPLAY_EVERY = 30000;
  var REOPEN_KEY = "sx-outbox-reopen";

  var meta = document.querySelector('meta[name="sx-user"]');
  var user = meta ? meta.content : localStorage.getItem("sx-user") || "";
  var notices = [];
  var loginNeeded = false;
  var replaying = false;
  var pendingCount = 0;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }

  // Another user on this phone: the pages the last one left for offline use go.
  if (meta && user) {
    var last = localStorage.getItem("sx-user");
    if (last && last !== user && window.caches) {
      caches.keys().then(function (keys) {
        keys.filter(function (key) { return key.indexOf("sx-pages-") === 0; }).forEach(function (key) { caches.delete(key); });
      });
    }
    localStorage.setItem("sx-user", user);
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // ------------------------------------------------------------------------------------------------ IndexedDB
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true }); };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }
  function run(mode, work) {
    return db().then(function (handle) {
      return new Promise(function (resolve, reject) {
        var tx = handle.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function mine() {
    return run("readonly", function (store) { return store.getAll(); }).then(function (rows) {
      return rows.filter(function (row) { return row.owner === user; }).sort(function (a, b) { return a.id - b.id; });
    });
  }
  function getEntry(id) { return run("readonly", function (store) { return store.get(id); }); }
  function putEntry(entry) { return run("readwrite", function (store) { return store.put(entry); }); }
  function removeEntry(id) { return run("readwrite", function (store) { return store.delete(id); }); }

  // ------------------------------------------------------------------------------------------------ the forms
  function renewKeys(root) {
    (root || document).querySelectorAll("form").forEach(function (form) {
      var key = form.querySelector('input[name="client_key"]');
      if (key && (form.hasAttribute("data-offline") || !key.value)) key.value = uuid();
    });
  }

  function fieldsOf(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var fields = [];
    data.forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") fields.push([name, value]);
    });
    return fields;
  }

  function post(url, fields, token, keptAt) {
    var body = new FormData();
    fields.forEach(function (pair) {
      if (pair[1] instanceof Blob) body.append(pair[0], pair[1], pair[1].name || "");
      else body.append(pair[0], pair[1]);
    });
    body.set("csrfmiddlewaretoken", token);
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, SEND_TIMEOUT);
    var headers = { "X-CSRFToken": token, "X-Requested-With": "XMLHttpRequest", Accept: "application/json" };
    headers[HEADER] = "1";
    if (keptAt) headers["X-Sanxin-Kept-At"] = keptAt;  // when the phone kept it (a replay comes later than the act)
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: headers, signal: controller.signal })
      .finally(function () { clearTimeout(timer); });
  }

  // What a response means for an entry: sent, refused (with the server's message), login, or later.
  function outcome(response) {
    var path = new URL(response.url || location.href, location.href).pathname;
    if (response.status === 401 || response.status === 403 || (response.redirected && LOGIN_PATHS.some(function (p) { return path.indexOf(p) === 0; }))) {
      return Promise.resolve({ kind: "login" });
    }
    var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") >= 0;
    return (isJson ? response.json().catch(function () { return null; }) : Promise.resolve(null)).then(function (json) {
      if (response.ok && !(json && json.ok === false)) {
        return { kind: "sent", json: json, message: json && json.message, redirect: (json && json.redirect) || (response.redirected ? response.url : "") };
      }
      if (response.status >= 400 && response.status < 500 || (json && json.ok === false)) {
        return { kind: "refused", message: (json && json.message) || "服务器未接受这条记录（" + response.status + "）" };
      }
      return { kind: "later" };
    });
  }

  function setBusy(form, busy) {
    if (busy) form.dataset.sending = "1";
    else delete form.dataset.sending;
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) { b.disabled = busy; });
  }

  function keep(form, submitter) {
    var key = form.querySelector('input[name="client_key"]');
    var entry = {
      owner: user,
      url: form.action,
      method: (form.getAttribute("method") || "post").toUpperCase(),
      label: form.getAttribute("data-offline") || "表单",
      page: location.pathname + location.search,
      created: new Date().toISOString(),
      client_key: key ? key.value : "",
      fields: fieldsOf(form, submitter),
      status: "pending",
      error: "",
    };
    return putEntry(entry).then(function () {
      form.reset();
      renewKeys(form.parentNode);
      setBusy(form, false);
      return render();
    }, function () {
      setBusy(form, false);
      notices.push({ kind: "danger", text: "手机存储不可用，未能保存，请有网络时再提交" });
      return render();
    });
  }

  function submitNatively(form, submitter) {
    setBusy(form, false);
    form.dataset.native = "1";
    if (form.requestSubmit) form.requestSubmit(submitter || undefined);
    else form.submit();
  }

  // Logging out: unsent entries wait for this user's next login; the pages kept for offline use go (the service
  // worker deletes them too when it sees the logout).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || new URL(form.action, location.href).pathname !== "/accounts/logout/") return;
    if (pendingCount && !window.confirm("还有 " + pendingCount + " 条记录没有发送，退出后要等您再次登录才会发送。确定退出？")) {
      event.preventDefault();
      return;
    }
    if (window.caches) {
      caches.keys().then(function (keys) {
        keys.filter(function (key) { return key.indexOf("sx-pages-") === 0; }).forEach(function (key) { caches.delete(key); });
      });
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline") || event.defaultPrevented) return;
    if (form.dataset.native) { delete form.dataset.native; return; }  // the ordinary post, as before
    event.preventDefault();
    if (form.dataset.sending) return;  // a double tap
    var submitter = event.submitter;
    setBusy(form, true);
    if (!navigator.onLine) { keep(form, submitter); return; }
    var token = (form.querySelector('input[name="csrfmiddlewaretoken"]') || {}).value || "";
    post(form.action, fieldsOf(form, submitter), token).then(function (response) {
      return outcome(response).then(function (result) {
        if (result.kind === "sent") location.assign(result.redirect || location.href);
        else submitNatively(form, submitter);
      });
    }, function () { keep(form, submitter); });
  });

  // ------------------------------------------------------------------------------------------------ the replay
  function replayNow() {
    return fetch(CSRF_URL, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (json) {
        loginNeeded = false;
        return mine().then(function (entries) {
          var pending = entries.filter(function (e) { return e.status === "pending"; });
          var chain = Promise.resolve(true);
          pending.forEach(function (entry) {
            chain = chain.then(function (goOn) {
              if (!goOn) return false;
              return getEntry(entry.id).then(function (current) {
                if (!current || current.status !== "pending") return true;  // another tab sent it
                return post(current.url, current.fields, json.token, current.created).then(function (response) {
                  return outcome(response).then(function (result) {
                    if (result.kind === "sent") {
                      notices.push({ kind: "success", text: "已发送：" + current.label, link: result.redirect });
                      return removeEntry(current.id).then(function () { return true; });
                    }
                    if (result.kind === "refused") {
                      current.status = "failed";
                      current.error = result.message;
                      return putEntry(current).then(function () { return true; });
                    }
                    if (result.kind === "login") loginNeeded = true;
                    return false;  // later: keep the order
                  });
                }, function () { return false; });  // still no network
              });
            });
          });
          return chain;
        });
      })
      .catch(function () {});
  }

  function replay() {
    if (replaying || !user) return Promise.resolve();
    replaying = true;
    var work = function () { return mine().then(function (entries) { return entries.some(function (e) { return e.status === "pending"; }) ? replayNow() : null; }); };
    var done = navigator.locks ? navigator.locks.request("sanxin-outbox", work) : work();
    return done.catch(function () {}).then(function () { replaying = false; return render(); });
  }

  // ------------------------------------------------------------------------------------------------ the banner
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function when(iso) {
    var d = new Date(iso);
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " + two(d.getHours()) + ":" + two(d.getMinutes());
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function render() {
    var box = document.getElementById("sx-outbox");
    if (!box || !window.indexedDB) return Promise.resolve();
    return mine().then(function (entries) {
      box.textContent = "";
      var pending = entries.filter(function (e) { return e.status === "pending"; });
      pendingCount = pending.length;
      notices.forEach(function (n) {
        var note = el("div", "alert alert-" + n.kind + " py-2 mb-2 sx-outbox-notice d-flex justify-content-between gap-2", n.text);
        if (n.link) {  // the page as it is now, with what was sent on it
          var look = el("a", "alert-link text-nowrap", "查看");
          look.href = n.link;
          note.appendChild(look);
        }
        box.appendChild(note);
      });
      notices = [];
      if (pending.length) {
        var head = el("div", "alert alert-warning py-2 mb-2 sx-outbox-banner");
        head.appendChild(el("i", "bi bi-cloud-arrow-up me-1"));
        head.appendChild(document.createTextNode("已保存在手机上，有网络后自动发送（" + pending.length + " 条待发送）"));
        if (loginNeeded) head.appendChild(el("div", "small mt-1", "登录已过期：请重新登录，登录后自动发送"));
        box.appendChild(head);
      }
      var failed = entries.length - pending.length;
      if (failed) box.appendChild(el("div", "alert alert-danger py-2 mb-2", failed + " 条未被接受：请重新填写后提交，或删除"));
      if (entries.length) {
        var list = el("ul", "list-group mb-2 sx-outbox-list");
        entries.forEach(function (entry) {
          var item = el("li", "list-group-item small");
          item.dataset.entry = entry.id;
          var line = el("div", "d-flex justify-content-between gap-2");
          line.appendChild(el("span", "fw-bold", entry.label));
          line.appendChild(el("span", "text-muted text-nowrap", when(entry.created)));
          item.appendChild(line);
          if (entry.status === "failed") {
            item.appendChild(el("div", "text-danger", "未被接受：" + (entry.error || "")));
            var again = el("button", "btn btn-sm btn-outline-primary mt-1 me-2", "重新填写");
            again.type = "button";
            again.addEventListener("click", function () { reopen(entry); });
            item.appendChild(again);
          } else {
            item.appendChild(el("div", "text-warning-emphasis", "待发送"));
          }
          var drop = el("button", "btn btn-sm btn-outline-secondary mt-1", "删除");
          drop.type = "button";
          drop.addEventListener("click", function () {
            if (window.confirm("删除这条“" + entry.label + "”？删除后不会再发送。")) removeEntry(entry.id).then(render);
          });
          item.appendChild(drop);
          list.appendChild(item);
        });
        box.appendChild(list);
      }
      box.hidden = !box.childNodes.length;
    }).catch(function () {});
  }

  // 重新填写: back to the form's page, the fields filled from the entry, the entry gone once filled.
  function reopen(entry) {
    sessionStorage.setItem(REOPEN_KEY, String(entry.id));
    if (location.pathname + location.search === entry.page) fillFromOutbox();
    else location.assign(entry.page);
  }

  function fillFromOutbox() {
    var id = Number(sessionStorage.getItem(REOPEN_KEY));
    if (!id) return Promise.resolve();
    sessionStorage.removeItem(REOPEN_KEY);
    return getEntry(id).then(function (entry) {
      if (!entry || entry.owner !== user) return;
      var form = Array.prototype.find.call(document.querySelectorAll("form[data-offline]"), function (f) { return f.action === entry.url; });
      if (!form) { notices.push({ kind: "warning", text: "页面上没有找到原来的表单，记录仍保留在手机上" }); return; }
      var files = {};
      entry.fields.forEach(function (pair) {
        var name = pair[0], value = pair[1];
        if (name === "client_key") return;
        var inputs = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
        inputs.forEach(function (input) {
          if (input.type === "file") {
            if (value instanceof Blob && value.size) (files[name] = files[name] || []).push(value);
          } else if (input.type === "checkbox" || input.type === "radio") {
            if (input.value === value) input.checked = true;
          } else if (input.tagName !== "BUTTON" && input.type !== "submit") {
            input.value = value;
          }
        });
      });
      Object.keys(files).forEach(function (name) {
        var input = form.querySelector('input[type=file][name="' + CSS.escape(name) + '"]');
        if (!input || !window.DataTransfer) return;
        var transfer = new DataTransfer();
        files[name].forEach(function (f) { transfer.items.add(f instanceof File ? f : new File([f], "photo")); });
        input.files = transfer.files;
      });
      notices.push({ kind: "info", text: "已把“" + entry.label + "”填回表单，请修改后重新提交" });
      form.scrollIntoView({ block: "center" });
      return removeEntry(entry.id);
    });
  }

  function start() {
    renewKeys();
    if (!window.indexedDB) return;
    fillFromOutbox().catch(function () {}).then(render).then(function () { if (navigator.onLine) replay(); });
    // `online` may come a moment before requests get through: once now, and again shortly after.
    window.addEventListener("online", function () { replay(); setTimeout(replay, 3000); });
    window.addEventListener("offline", render);
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;  // back to a page kept in memory: its forms usable again, with fresh keys
      document.querySelectorAll("form[data-offline]").forEach(function (form) { setBusy(form, false); });
      renewKeys();
      render();
    });
    setInterval(function () { if (navigator.onLine) replay(); }, REPLAY_EVERY);
  }

  window.sanxinOutbox = { replay: replay, render: render, entries: mine };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
