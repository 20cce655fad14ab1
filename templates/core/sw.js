// 三新服务 service worker (served at /sw.js by sanxin.core.app_views.service_worker, scope "/").
// - Precaches the phone shell's static files and the offline page; a new version (VERSION: the code's
//   CACHE_VERSION and the assets' hashed names) installs fresh caches and deletes the old ones on activation.
// - Phone pages (GET navigations under /m/ and /w/): network first; a copy of each HTML page that allows storing
//   (not no-store, not redirected) is kept as the fallback; with neither network nor copy, the Chinese offline page.
// - Never stored: staff pages, API answers, downloads, anything but a GET, pages sent with no-store (my data).
// - Logging out (a POST to /accounts/logout/) deletes the stored pages: a phone may be shared.
"use strict";
const VERSION = {{ version|safe }};
const ASSETS = {{ assets|safe }};
const OFFLINE_URL = {{ offline_url|safe }};
const STATIC_CACHE = "sx-static-" + VERSION;
const PAGE_CACHE = "sx-pages-" + VERSION;
const PAGE_PREFIXES = ["/m/", "/w/"];
const LOGOUT_PATH = "/accounts/logout/";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(ASSETS.concat([OFFLINE_URL]))).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("sx-") && key !== STATIC_CACHE && key !== PAGE_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function clearPages() {
  return caches.keys().then((keys) => Promise.all(keys.filter((key) => key.startsWith("sx-pages-")).map((key) => caches.delete(key))));
}

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "clear-pages") event.waitUntil(clearPages());
});

function storable(response) {
  const kind = response.headers.get("Content-Type") || "";
  const control = response.headers.get("Cache-Control") || "";
  return response.ok && response.type === "basic" && !response.redirected && kind.startsWith("text/html") && !control.includes("no-store");
}

function offlinePage() {
  return caches.match(OFFLINE_URL).then((page) => page || new Response("当前没有网络", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } }));
}

function phonePage(request) {
  return fetch(request)
    .then((response) => {
      if (storable(response)) {
        const copy = response.clone();
        caches.open(PAGE_CACHE).then((cache) => cache.put(request.url, copy));
      }
      return response;
    })
    .catch(() => caches.open(PAGE_CACHE).then((cache) => cache.match(request.url)).then((page) => page || offlinePage()));
}

function staticFile(request) {
  return caches.match(request).then((hit) => hit || fetch(request).then((response) => {
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      caches.open(STATIC_CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (url.pathname === LOGOUT_PATH) event.waitUntil(clearPages());
    return;  // posts go to the network untouched (the outbox keeps what could not be sent)
  }
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    if (PAGE_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) event.respondWith(phonePage(request));
    else event.respondWith(fetch(request).catch(offlinePage));
  }
});
