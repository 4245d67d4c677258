/* The kiosk's service worker: the page and its files open without network. */
"use strict";
const CACHE = "kiosk-{{ version }}";
const PAGE = "{{ url_for('kiosk.index') }}";
const API = "{{ url_for('kiosk.index') }}api/";
const FILES = [
  PAGE,
  "{{ url_for('static', filename='css/kiosk.css') }}",
  "{{ url_for('static', filename='js/kiosk.js') }}",
  "{{ url_for('static', filename='vendor/barcode-detector-3.2.2/ponyfill.iife.js') }}",
  "{{ url_for('static', filename='vendor/barcode-detector-3.2.2/zxing_reader-3.1.3.wasm') }}",
  "{{ url_for('static', filename='img/favicon.svg') }}",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith(API)) {
    return;  // scans and pings always go to the network; the page's own queue handles failure
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then((response) => {
      if (response.headers.get("X-Kiosk-Page") === "ready") {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(PAGE, copy));
        return response;
      }
      if (response.status >= 500) {
        return caches.match(PAGE).then((hit) => hit || response);
      }
      return response;
    }).catch(() => caches.match(PAGE)));
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
});
