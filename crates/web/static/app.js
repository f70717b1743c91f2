// EduCenter's pages work without this script; it adds what a browser alone cannot do:
// resuming a video or audio where the student stopped, saving the position as they play,
// the progress bar of a file upload in the course editor, the cabinet's menu on a phone, and
// a quiz attempt's answers saved as the student goes with the time left shown.
(function () {
  "use strict";

  function saveProgress(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
      keepalive: true,
    }).catch(function () {});
  }

  // A lesson completed by playing shows as completed at once (issue 17, item 9).
  function showComplete(lesson) {
    lesson.setAttribute("data-complete", "true");
    var badge = document.getElementById("lesson-complete");
    var form = document.getElementById("mark-complete-form");
    if (badge) badge.hidden = false;
    if (form) form.remove();
  }

  // The cabinet's side navigation folds into a menu button on a phone.
  function setUpSideNav() {
    var toggle = document.getElementById("side-nav-toggle");
    var list = document.getElementById("side-nav-list");
    if (!toggle || !list || !window.matchMedia) return;
    var phone = window.matchMedia("(max-width: 600px)");
    function fold() {
      toggle.hidden = !phone.matches;
      list.classList.toggle("collapsed", phone.matches);
      toggle.setAttribute("aria-expanded", phone.matches ? "false" : "true");
    }
    toggle.addEventListener("click", function () {
      var folded = list.classList.toggle("collapsed");
      toggle.setAttribute("aria-expanded", folded ? "false" : "true");
    });
    fold();
    if (phone.addEventListener) phone.addEventListener("change", fold);
  }

  function setUpPlayer() {
    var lesson = document.getElementById("lesson");
    var player = document.getElementById("player");
    if (!lesson || !player) return;
    var url = lesson.getAttribute("data-progress-url");
    var start = parseInt(lesson.getAttribute("data-position-ms") || "0", 10) / 1000;
    var lastSent = -1;
    player.addEventListener("loadedmetadata", function () {
      if (start > 0 && start < player.duration - 1) player.currentTime = start;
    });
    function report() {
      if (!isFinite(player.duration) || player.duration <= 0) return;
      var pos = Math.floor(player.currentTime * 1000);
      if (pos === lastSent) return;
      lastSent = pos;
      saveProgress(url, {
        position_ms: pos,
        duration_ms: Math.floor(player.duration * 1000),
        complete: false,
      }).then(function (res) {
        if (!res || !res.ok) return;
        return res.json().then(function (state) {
          if (state.lesson_complete) showComplete(lesson);
        });
      });
    }
    var timer = null;
    player.addEventListener("play", function () {
      if (!timer) timer = setInterval(report, 5000);
    });
    player.addEventListener("pause", function () {
      clearInterval(timer);
      timer = null;
      report();
    });
    player.addEventListener("ended", report);
    player.addEventListener("seeked", report);
    window.addEventListener("pagehide", report);
  }

  // The kind of file an upload field takes: fixed, or the lesson kind chosen in the form.
  function expectedKind(input) {
    var from = input.getAttribute("data-kind-from");
    var select = from && document.getElementById(from);
    var kind = select ? select.value : input.getAttribute("data-kind");
    return kind === "video" || kind === "audio" || kind === "captions" ? kind : "file";
  }

  function setUpUploads() {
    var inputs = document.querySelectorAll("input[type=file][data-upload-url]");
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        if (!file) return;
        var bar = document.getElementById(input.id + "-progress");
        var status = document.getElementById(input.id + "-status");
        var target = document.getElementById(input.getAttribute("data-target"));
        var url = input.getAttribute("data-upload-url") +
          "?filename=" + encodeURIComponent(file.name) +
          "&kind=" + encodeURIComponent(expectedKind(input));
        var xhr = new XMLHttpRequest();
        xhr.open("POST", url);
        xhr.setRequestHeader("Content-Type", "application/octet-stream");
        xhr.upload.addEventListener("progress", function (e) {
          if (bar && e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
        });
        xhr.addEventListener("load", function () {
          var body = {};
          try { body = JSON.parse(xhr.responseText); } catch (e) {}
          if (xhr.status === 201) {
            if (target) target.value = body.id;
            if (bar) bar.value = 100;
            if (status) status.textContent = input.getAttribute("data-done") + " " + body.filename;
          } else if (status) {
            status.textContent = body.detail || input.getAttribute("data-failed") || "✗";
          }
        });
        xhr.addEventListener("error", function () {
          if (status) status.textContent = "✗";
        });
        if (status) status.textContent = "…";
        xhr.send(file);
      });
    });
  }


  // A quiz attempt: the questions changed are saved a moment after each change (only those:
  // another tab's form never overwrites what this one did not touch; the page's buttons still
  // save and submit without this script), and the time left counts down by the server's
  // clock, with a spoken warning at 5 and 1 minutes. Changes still waiting are sent a few
  // seconds before the time is up; then the page is read again: the server has submitted the
  // attempt with the answers saved.
  function setUpAttempt() {
    var form = document.getElementById("attempt-form");
    if (!form || !window.fetch || !window.URLSearchParams) return;
    var url = form.getAttribute("data-autosave-url");
    var status = document.getElementById("autosave-status");
    var timer = null;
    var sending = false;
    var again = false;
    var dirty = {};
    var retry = 0;
    // A refused form's answers were not saved: they go with the next save.
    (form.getAttribute("data-unsaved") || "").split(" ").forEach(function (slot) {
      if (slot) dirty[slot] = true;
    });
    function slotOf(name) {
      var m = /^q(\d+)(-\d+)?$/.exec(name || "");
      return m ? m[1] : null;
    }
    function say(attr) {
      if (status) status.textContent = form.getAttribute(attr);
    }
    function save() {
      timer = null;
      if (sending) { again = true; return; }
      var slots = Object.keys(dirty);
      if (slots.length === 0) return;
      dirty = {};
      var body = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        var slot = name === "shown" ? value : slotOf(name);
        if (slot !== null && slots.indexOf(String(slot)) >= 0) body.append(name, value);
      });
      sending = true;
      fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        credentials: "same-origin",
        body: body,
      }).then(function (res) {
        if (res.status === 409) { window.location.reload(); return; }
        if (res.ok) { retry = 0; say("data-saved"); return; }
        slots.forEach(function (s) { dirty[s] = true; });
        if (res.status === 401) say("data-signed-out");
        else if (res.status === 422) say("data-refused");
        else later();
      }).catch(function () {
        slots.forEach(function (s) { dirty[s] = true; });
        later();
      }).then(function () {
        sending = false;
        if (again) { again = false; save(); }
      });
    }
    // A save that failed on the way (the connection, the server) is tried again by itself,
    // waiting longer each time; a refused or signed-out one waits for the student.
    function later() {
      say("data-save-failed");
      retry = Math.min(retry + 1, 6);
      if (!timer) timer = setTimeout(save, 1000 * Math.pow(2, retry));
    }
    function changed(e, ms) {
      var slot = slotOf(e.target && e.target.name);
      if (slot === null) return;
      dirty[slot] = true;
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, ms);
    }
    form.addEventListener("change", function (e) { changed(e, 300); });
    form.addEventListener("input", function (e) { changed(e, 1500); });
    var clock = document.getElementById("quiz-timer");
    var left = document.getElementById("quiz-time-left");
    var warning = document.getElementById("quiz-time-warning");
    if (!clock || !left) return;
    var deadline = Number(clock.getAttribute("data-deadline-ms"));
    var skew = Number(clock.getAttribute("data-now-ms")) - Date.now();
    if (!isFinite(deadline) || !isFinite(skew)) return;
    var label = document.getElementById("quiz-time-left-label");
    if (label) label.hidden = false;
    var flushed = false;
    var warned = {};
    function text(s) {
      var h = Math.floor(s / 3600);
      var m = Math.floor((s % 3600) / 60);
      var sec = s % 60;
      return (h > 0 ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (sec < 10 ? "0" : "") + sec;
    }
    function tick() {
      var ms = deadline - (Date.now() + skew);
      if (ms <= 5000 && !flushed) {
        flushed = true;
        if (timer) clearTimeout(timer);
        save();
      }
      if (ms <= 0) {
        left.textContent = "0:00";
        // Anything still waiting goes now (the server takes what came before the deadline).
        if (Object.keys(dirty).length > 0) {
          if (timer) clearTimeout(timer);
          save();
        }
        setTimeout(function () { window.location.reload(); }, 1500);
        return;
      }
      var s = Math.ceil(ms / 1000);
      left.textContent = text(s);
      [300, 60].forEach(function (at) {
        if (s <= at && !warned[at] && warning) {
          warned[at] = true;
          warning.textContent = clock.getAttribute("data-warning") + " " + text(s);
        }
      });
      setTimeout(tick, 1000 - (ms % 1000) + 20);
    }
    tick();
  }

  // A quiz's settings show the questions of the source chosen: the bank's list or a draw.
  function setUpQuizEditor() {
    var source = document.getElementById("quiz_source");
    var fixed = document.getElementById("quiz-questions");
    var draw = document.getElementById("quiz-draw");
    if (!source || !fixed || !draw) return;
    function show() {
      fixed.hidden = source.value === "random";
      draw.hidden = source.value !== "random";
    }
    source.addEventListener("change", show);
    show();
  }

  // An assignment's answer form: each file picked uploads at once (one request each, the body
  // being the file) and joins the form as a hidden `file` field with its id; a failed upload
  // says why beside the files. Without this script the text still goes.
  function setUpAnswerFiles() {
    var form = document.getElementById("answer-form");
    var input = document.getElementById("answer-file-input");
    var list = document.getElementById("answer-file-list");
    var problem = document.getElementById("answer-upload-error");
    if (!form || !input || !list) return;
    document.getElementById("answer-files-box").hidden = false;
    // "Remove" deletes the picked file on the server too, so it no longer counts.
    function removable(item) {
      var button = item.querySelector("[data-remove-file]");
      if (!button) return;
      button.addEventListener("click", function () {
        var id = button.getAttribute("data-remove-file");
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.getAttribute("data-remove-url") + encodeURIComponent(id) + "/delete");
        xhr.send();
        item.remove();
      });
    }
    Array.prototype.forEach.call(list.children, removable);
    function hidden(name, value) {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = name;
      field.value = value;
      return field;
    }
    function upload(file) {
      var item = document.createElement("li");
      item.textContent = file.name + " — " + form.getAttribute("data-uploading");
      list.appendChild(item);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("data-upload-url") + "?filename=" + encodeURIComponent(file.name));
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) {}
        if (xhr.status !== 201) {
          item.remove();
          problem.hidden = false;
          problem.textContent = form.getAttribute("data-failed").replace("{name}", file.name)
            .replace("{reason}", body.detail || xhr.status);
          return;
        }
        item.textContent = body.filename + " ";
        item.appendChild(hidden("file", body.id));
        item.appendChild(hidden("file_name", body.filename));
        var button = document.createElement("button");
        button.type = "button";
        button.className = "link-button";
        button.setAttribute("data-remove-file", body.id);
        button.textContent = form.getAttribute("data-remove");
        item.appendChild(button);
        removable(item);
      });
      xhr.addEventListener("error", function () {
        item.remove();
        problem.hidden = false;
        problem.textContent = form.getAttribute("data-failed").replace("{name}", file.name)
          .replace("{reason}", "✗");
      });
      xhr.send(file);
    }
    input.addEventListener("change", function () {
      problem.hidden = true;
      Array.prototype.forEach.call(input.files || [], upload);
      input.value = "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpAnswerFiles();
    setUpPlayer();
    setUpAttempt();
    setUpQuizEditor();
    setUpUploads();
    setUpSideNav();
  });
})();
