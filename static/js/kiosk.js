/* The workfloor kiosk: read a badge (camera or hand scanner), queue the scan durably in
   IndexedDB, send it, and fill the screen with the answer for a few seconds.
   Every scan is stored on the tablet before the screen says anything; the queue is sent
   oldest first with back-off, and the server stores each scan id once. */
(function () {
  "use strict";

  var root = document.getElementById("kiosk");
  if (!root) { return; }
  var cfg = root.dataset;
  var msg = JSON.parse(cfg.messages);
  var $ = function (id) { return document.getElementById(id); };
  var input = $("kiosk-input");
  var ready = $("kiosk-ready");
  var answer = $("kiosk-answer");
  var SHOW_OK_MS = 4000;
  var SHOW_ERROR_MS = 6000;
  var LIVE_WAIT_MS = 3500;
  // A hand scanner that sends one read twice; the camera has its own rule (seen, below).
  var SAME_CODE_MS = 1500;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return values[key] === undefined ? "" : values[key]; });
  }

  /* ---------- the durable queue ---------- */
  var dbPromise = new Promise(function (resolve, reject) {
    var request = indexedDB.open("kiosk", 1);
    request.onupgradeneeded = function () { request.result.createObjectStore("scans", { keyPath: "scan_id" }); };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });

  function store(mode, action) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("scans", mode);
        var request = action(tx.objectStore("scans"));
        tx.oncomplete = function () { resolve(request.result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  var queue = {
    put: function (scan) { return store("readwrite", function (s) { return s.put(scan); }); },
    remove: function (id) { return store("readwrite", function (s) { return s.delete(id); }); },
    all: function () { return store("readonly", function (s) { return s.getAll(); }); },
  };

  function newScanId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /* ---------- sending ---------- */
  var answers = {};
  var failures = 0;
  var retryTimer = null;
  var flushing = null;

  function send(scan) {
    var body = JSON.stringify({ scan_id: scan.scan_id, code: scan.code, method: scan.method,
                                tablet_time: scan.tablet_time, sent_at: Date.now() });
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, 8000);
    return fetch(cfg.scanUrl, { method: "POST", body: body, credentials: "same-origin",
                                headers: { "Content-Type": "application/json" }, signal: controller.signal })
      .then(function (response) {
        return response.json().catch(function () { return { ok: false, error: "generic" }; })
          .then(function (data) { return { status: response.status, data: data }; });
      })
      .catch(function () { return { status: 0, data: null }; })
      .finally(function () { clearTimeout(timer); });
  }

  function keepsForLater(status) {
    // No network, the server down or busy, or this tablet not (yet again) enrolled.
    return status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;
  }

  function flushOnce() {
    return queue.all().then(function (scans) {
      scans.sort(function (a, b) { return a.tablet_time - b.tablet_time; });
      var chain = Promise.resolve(true);
      var delivered = 0;
      scans.forEach(function (scan) {
        chain = chain.then(function (goOn) {
          if (!goOn) { return false; }
          return send(scan).then(function (result) {
            if (keepsForLater(result.status)) {
              answers[scan.scan_id] = result;
              return false;
            }
            answers[scan.scan_id] = result;
            delivered += 1;
            return queue.remove(scan.scan_id).then(function () { return true; });
          });
        });
      });
      return chain.then(function (allSent) { return { allSent: allSent, delivered: delivered }; });
    }).then(function (outcome) {
      var allSent = outcome.allSent;
      // An empty queue sends nothing, so it proves nothing about the network: only an answer
      // from the server (here or in ping) says the tablet is online again.
      if (!allSent) { setOnline(false); } else if (outcome.delivered) { setOnline(true); }
      if (allSent) {
        failures = 0;
      } else {
        failures += 1;
        scheduleRetry();
      }
      return showWaiting();
    });
  }

  function flush() {
    if (flushing) { return flushing.then(flush); }
    flushing = flushOnce().catch(function () {}).finally(function () { flushing = null; });
    return flushing;
  }

  function scheduleRetry() {
    if (retryTimer) { return; }
    var delay = Math.min(60000, 1000 * Math.pow(2, Math.min(failures, 6))) * (0.5 + Math.random() / 2);
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, delay);
  }

  function showWaiting() {
    return queue.all().then(function (scans) {
      var waiting = $("kiosk-waiting");
      waiting.hidden = scans.length === 0;
      waiting.textContent = fill(msg.waiting, { count: scans.length });
      root.dataset.waiting = String(scans.length);
    });
  }

  function setOnline(online) {
    var net = $("kiosk-net");
    net.textContent = online ? "" : msg.offline;
    net.classList.toggle("kiosk-net-off", !online);
  }

  /* ---------- the answer screen ---------- */
  var hideTimer = null;
  var audio = null;

  // Each kind of answer has a sound of its own: rising for done, one low double knock for
  // "you were scanned already", falling and harsh for a refusal.
  var SOUNDS = {
    ok: { notes: [660, 880], wave: "sine" },
    queued: { notes: [660, 880], wave: "sine" },
    repeat: { notes: [440, 440], wave: "triangle" },
    bad: { notes: [220, 180], wave: "square" },
  };

  function beep(kind) {
    var sound = SOUNDS[kind] || SOUNDS.ok;
    answer.dataset.sound = kind in SOUNDS ? kind : "ok";
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") { audio.resume(); }
      sound.notes.forEach(function (freq, i) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        var start = audio.currentTime + i * 0.16;
        osc.type = sound.wave;
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.25, start);
        gain.gain.exponentialRampToValueAtTime(0.001, start + 0.15);
        osc.connect(gain).connect(audio.destination);
        osc.start(start);
        osc.stop(start + 0.16);
      });
    } catch (_e) { /* no sound is no reason to fail a scan */ }
  }

  function show(kind, title, text, person) {
    answer.className = "kiosk-answer kiosk-" + kind;
    $("kiosk-title").textContent = title;
    $("kiosk-text").textContent = text;
    var photo = $("kiosk-photo");
    var initials = $("kiosk-initials");
    photo.hidden = true;
    initials.textContent = person && person.initials ? person.initials : "";
    initials.hidden = !initials.textContent;
    if (person && person.photo_url) {
      photo.onload = function () { photo.hidden = false; initials.hidden = true; };
      photo.src = person.photo_url;
    }
    ready.hidden = true;
    if (pinBox) { pinBox.hidden = true; }
    answer.hidden = false;
    root.dataset.state = kind;
    beep(kind);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(backToReady, kind === "bad" ? SHOW_ERROR_MS : SHOW_OK_MS);
  }

  function backToReady() {
    answer.hidden = true;
    ready.hidden = false;
    root.dataset.state = "ready";
    input.value = "";
    input.focus();
  }

  function showResult(result) {
    var data = result.data || {};
    if (result.status >= 200 && result.status < 300 && data.ok) {
      if (data.outcome === "duplicate") {
        // Nothing changed: a screen that looks different, not a first scan with a sentence.
        show("repeat", fill(msg.repeat_title, data),
             fill(data.first_outcome === "checked_out" ? msg.repeat_out : msg.repeat_in, data), data);
      } else if (data.outcome === "checked_out") {
        show("ok", msg.bye + ", " + data.first_name, fill(msg.checked_out, data), data);
      } else {
        show("ok", (msg[data.greeting] || msg.morning) + ", " + data.first_name,
             fill(msg.checked_in, data), data);
      }
      return;
    }
    var code = data.error || "generic";
    show("bad", msg.error_title, msg[code] || msg.generic, null);
  }

  /* ---------- the day's list: whose badge a queued scan was ---------- */
  // Kept across an offline reload; only a key of each badge, under the list's own salt.
  var DAY_LIST_KEY = "kiosk-day-list";
  var DAY_LIST_EVERY_MS = 10 * 60 * 1000;
  var dayList = null;
  var dayListAt = 0;
  try { dayList = JSON.parse(localStorage.getItem(DAY_LIST_KEY) || "null"); } catch (_e) { dayList = null; }

  function loadDayList() {
    if (!cfg.dayUrl || Date.now() - dayListAt < DAY_LIST_EVERY_MS) { return; }
    dayListAt = Date.now();
    fetch(cfg.dayUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.ok) { return; }
        var byKey = {};
        data.people.forEach(function (p) { byKey[p.badge] = { first_name: p.first_name, initials: p.initials }; });
        dayList = { salt: data.salt, until: data.until, people: byKey };
        try { localStorage.setItem(DAY_LIST_KEY, JSON.stringify(dayList)); } catch (_e) { /* full: memory only */ }
      })
      .catch(function () { dayListAt = 0; });
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function sha256(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(hex);
  }

  // The person on today's list whose badge this code is, or null (no list, another day, unknown).
  function whoseBadge(code) {
    var list = dayList;
    if (!list || !window.crypto || !crypto.subtle || Date.now() + offset >= list.until) { return Promise.resolve(null); }
    return sha256(code.trim().toLowerCase())
      .then(function (tokenHash) { return sha256(list.salt + ":" + tokenHash); })
      .then(function (key) { return list.people[key.slice(0, 24)] || null; })
      .catch(function () { return null; });
  }

  /* ---------- one scan ---------- */
  var lastCode = "";
  var lastAt = 0;

  function handleCode(raw) {
    var code = String(raw || "").trim();
    if (!code) { return; }
    if (code === lastCode && Date.now() - lastAt < SAME_CODE_MS) { return; }
    lastCode = code;
    lastAt = Date.now();
    var scan = { scan_id: newScanId(), code: code.slice(0, 200), method: "badge", tablet_time: Date.now() };
    queue.put(scan).then(function () {
      showWaiting();
      var waited = new Promise(function (resolve) { setTimeout(resolve, LIVE_WAIT_MS); });
      return Promise.race([flush(), waited]);
    }).then(function () {
      var result = answers[scan.scan_id];
      delete answers[scan.scan_id];
      if (result && !keepsForLater(result.status)) {
        showResult(result);
      } else if (result && result.status === 401) {
        show("bad", msg.error_title, msg[(result.data || {}).error] || msg.device_unknown, null);
      } else {
        return whoseBadge(scan.code).then(function (person) {
          show("queued", person ? fill(msg.queued_name, person) : msg.queued_title, msg.queued_text, person);
        });
      }
    }).catch(function () {
      show("bad", msg.error_title, msg.generic, null);
    });
  }

  /* ---------- hand scanner: types the code and Enter ---------- */
  $("kiosk-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = input.value;
    input.value = "";
    handleCode(code);
  });
  input.addEventListener("blur", function () { setTimeout(function () { input.focus(); }, 50); });
  document.addEventListener("click", function () { input.focus(); });

  /* ---------- forgotten badge: choose your name, type your PIN (online only) ---------- */
  var pinBox = $("kiosk-pin");
  var pinTimer = null;
  var chosen = null;
  var digits = "";

  function closePin() {
    clearTimeout(pinTimer);
    pinBox.hidden = true;
    if (answer.hidden) { ready.hidden = false; root.dataset.state = "ready"; }
  }

  function pinIdle() {
    clearTimeout(pinTimer);
    pinTimer = setTimeout(closePin, 30000);
  }

  function showDots() {
    $("kiosk-pin-dots").textContent = "●".repeat(digits.length) + "○".repeat(4 - digits.length);
  }

  function choosePerson(person) {
    chosen = person;
    digits = "";
    showDots();
    $("kiosk-pin-title").textContent = fill(msg.type_pin, { name: person.first_name });
    $("kiosk-people").hidden = true;
    $("kiosk-pad").hidden = false;
    pinIdle();
  }

  function openPin() {
    fetch(cfg.peopleUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var list = $("kiosk-people");
        list.textContent = "";
        (data.people || []).forEach(function (person) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "kiosk-person";
          // The photo first: many who use this screen recognise a face sooner than a name.
          var face;
          if (person.photo_url) {
            face = document.createElement("img");
            face.className = "kiosk-person-photo";
            face.src = person.photo_url;
            face.alt = "";
          } else {
            face = document.createElement("span");
            face.className = "kiosk-person-initials";
            face.textContent = person.initials;
          }
          face.setAttribute("aria-hidden", "true");
          var name = document.createElement("span");
          name.textContent = person.first_name;
          button.appendChild(face);
          button.appendChild(name);
          button.addEventListener("click", function () { choosePerson(person); });
          list.appendChild(button);
        });
        if (!list.children.length) {
          show("bad", msg.error_title, msg.nobody, null);
          return;
        }
        $("kiosk-pin-title").textContent = msg.choose_name;
        list.hidden = false;
        $("kiosk-pad").hidden = true;
        ready.hidden = true;
        pinBox.hidden = false;
        root.dataset.state = "pin";
        pinIdle();
      })
      .catch(function () { show("bad", msg.error_title, msg.pin_offline, null); });
  }

  function sendPin() {
    var body = { scan_id: newScanId(), method: "pin", employee_id: chosen.id, pin: digits,
                 tablet_time: Date.now(), sent_at: Date.now() };
    digits = "";
    fetch(cfg.scanUrl, { method: "POST", body: JSON.stringify(body), credentials: "same-origin",
                         headers: { "Content-Type": "application/json" } })
      .then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (result) {
        pinBox.hidden = true;
        clearTimeout(pinTimer);
        showResult(result);
      })
      .catch(function () {
        pinBox.hidden = true;
        show("bad", msg.error_title, msg.pin_offline, null);
      });
  }

  if (pinBox) {
    $("kiosk-pin-open").addEventListener("click", openPin);
    $("kiosk-pin-close").addEventListener("click", closePin);
    pinBox.addEventListener("click", function (event) {
      var key = event.target.closest(".kiosk-key");
      if (!key || !chosen) { return; }
      pinIdle();
      if (key.hasAttribute("data-clear")) { digits = ""; }
      else if (digits.length < 4) { digits += key.dataset.digit; }
      showDots();
      if (digits.length === 4) { sendPin(); }
    });
  }

  /* ---------- camera ---------- */
  // A badge left in front of the camera (on a lanyard, on the stand) is read once: the same
  // code counts again only after it has been out of view for a while. The camera keeps
  // looking while an answer shows, so a badge that never left is still known when it ends.
  var CAMERA_EVERY_MS = 250;
  var GONE_AFTER_MS = 1500;
  var inView = {};

  function seen(codes) {
    var now = Date.now();
    Object.keys(inView).forEach(function (code) {
      if (now - inView[code] > GONE_AFTER_MS) { delete inView[code]; }
    });
    if (pinBox && !pinBox.hidden) { return; }  // read when the PIN screen has closed
    codes.forEach(function (code) {
      var fresh = !(code in inView);
      inView[code] = now;
      if (fresh) { handleCode(code); }
    });
    root.dataset.inView = String(Object.keys(inView).length);
  }
  function cameraOff() {
    $("kiosk-hint").textContent = msg.camera_off;
    root.dataset.camera = "off";
  }

  function detectorClass() {
    var native = window.BarcodeDetector;
    var check = native && native.getSupportedFormats
      ? native.getSupportedFormats().catch(function () { return []; }) : Promise.resolve([]);
    return check.then(function (formats) {
      if (formats.indexOf("qr_code") >= 0) { return native; }
      var api = window.BarcodeDetectionAPI;
      if (!api) { return null; }
      api.setZXingModuleOverrides({
        locateFile: function (path, prefix) { return path.endsWith(".wasm") ? cfg.wasmUrl : prefix + path; },
      });
      return api.BarcodeDetector;
    });
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { cameraOff(); return; }
    var video = $("kiosk-video");
    Promise.all([detectorClass(),
                 navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: "user" } })])
      .then(function (found) {
        if (!found[0]) { cameraOff(); return; }
        var detector = new found[0]({ formats: ["qr_code"] });
        video.srcObject = found[1];
        return video.play().then(function () {
          root.dataset.camera = "on";
          var busy = false;
          setInterval(function () {
            if (busy || video.readyState < 2) { return; }
            busy = true;
            detector.detect(video).then(function (codes) {
              seen(codes.map(function (c) { return c.rawValue; }));
            }).catch(function () {}).finally(function () { busy = false; });
          }, CAMERA_EVERY_MS);
        });
      })
      .catch(cameraOff);
  }

  /* ---------- clock, connection, start ---------- */
  var offset = 0;
  var clockFormat = new Intl.DateTimeFormat("nl-NL", { timeZone: cfg.timeZone, hour: "2-digit", minute: "2-digit" });

  function ping() {
    var started = Date.now();
    fetch(cfg.pingUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json().then(function (d) { return [response, d]; }); })
      .then(function (pair) {
        if (pair[0].ok && pair[1].server_time) {
          offset = pair[1].server_time - (started + Date.now()) / 2;
          setOnline(true);
          flush();
          loadDayList();
        } else {
          setOnline(false);
        }
      })
      .catch(function () { setOnline(false); });
  }

  function tick() {
    // Amsterdam time by the server's clock, whatever the tablet's own zone and clock say.
    $("kiosk-clock").textContent = clockFormat.format(new Date(Date.now() + offset));
  }

  window.addEventListener("online", function () { failures = 0; ping(); });
  window.addEventListener("offline", function () { setOnline(false); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(cfg.swUrl, { scope: cfg.swScope }).catch(function () {});
  }
  root.dataset.state = "ready";
  if (navigator.onLine === false) { setOnline(false); }
  tick();
  setInterval(tick, 1000);
  ping();
  setInterval(ping, 30000);
  showWaiting();
  flush();
  input.focus();
  startCamera();
}());
