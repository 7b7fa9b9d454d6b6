// Mentora's service worker: keeps the site's static files (styles, scripts, icons) only.
// It never answers or stores a page: pages are personal and always come from the server.
const CACHE = "mentora-static-v1";
const STATIC_PREFIX = {{ static_prefix|safe }};
const ASSETS = {{ assets|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

function isStaticAsset(request) {
  if (request.method !== "GET" || request.mode === "navigate") return false;
  const url = new URL(request.url);
  return url.origin === self.location.origin && url.pathname.startsWith(STATIC_PREFIX);
}

self.addEventListener("fetch", (event) => {
  if (!isStaticAsset(event.request)) return;  // pages, forms, API: straight to the network, never stored
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(event.request).then((hit) => hit || fetch(event.request).then((response) => {
        if (response.ok) cache.put(event.request, response.clone());
        return response;
      }))
    )
  );
});
