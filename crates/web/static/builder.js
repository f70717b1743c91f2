// The course builder in the cabinet (issue 19, item 1): the curriculum dragged into a new order
// (or moved with the keyboard), the new-lesson form showing only the chosen kind's fields, and
// the Markdown editor's toolbar, live preview and images. Every page works without this
// script: the ↑/↓ buttons move lessons, every field shows, the text is plain Markdown.
(function () {
  "use strict";

  // ---- The curriculum ----------------------------------------------------------------------

  function setUpOutline() {
    var outline = document.getElementById("outline");
    if (!outline || !window.fetch || !window.URLSearchParams) return;
    var status = document.getElementById("outline-status");
    var hint = document.getElementById("outline-hint");
    if (hint) hint.hidden = false;
    var dragging = null;
    var grabbed = null;
    var before = null;

    function say(text) {
      if (status) status.textContent = text;
    }
    function text(attr) {
      return outline.getAttribute(attr) || "";
    }
    function modules() {
      return Array.prototype.slice.call(outline.querySelectorAll("[data-module]"));
    }
    function lessonsOf(module) {
      return Array.prototype.slice.call(module.querySelectorAll("[data-lesson]"));
    }
    function titleOf(item) {
      var t = item.querySelector(".outline-title");
      return t ? t.textContent : "";
    }
    function refreshEmpty() {
      modules().forEach(function (m) {
        var empty = m.querySelector(".outline-empty");
        if (empty) empty.hidden = lessonsOf(m).length > 0;
      });
    }
    // Where an item stands now, in words: "3 of 5 · Module 2".
    function where(item) {
      if (item.hasAttribute("data-module")) {
        var all = modules();
        return (all.indexOf(item) + 1) + " / " + all.length;
      }
      var module = item.closest("[data-module]");
      var siblings = lessonsOf(module);
      return (siblings.indexOf(item) + 1) + " / " + siblings.length + " · " + titleOf(module);
    }
    function snapshot() {
      return modules().map(function (m) {
        return [m, lessonsOf(m)];
      });
    }
    function restore(snap) {
      snap.forEach(function (pair) {
        outline.appendChild(pair[0]);
        var list = pair[0].querySelector("[data-lessons]");
        pair[1].forEach(function (l) { list.appendChild(l); });
      });
      refreshEmpty();
    }
    function orderText(snap) {
      return JSON.stringify(snap.map(function (p) {
        return [p[0].getAttribute("data-module")].concat(p[1].map(function (l) { return l.getAttribute("data-lesson"); }));
      }));
    }
    // Saves go one after another, each with the order as it is when it leaves: the last one
    // sent is the page's latest order.
    var queue = Promise.resolve();
    function save() {
      queue = queue.then(send);
    }
    function send() {
      var body = new URLSearchParams();
      modules().forEach(function (m) {
        body.append("m", m.getAttribute("data-module"));
        lessonsOf(m).forEach(function (l) { body.append("l", l.getAttribute("data-lesson")); });
      });
      return fetch(outline.getAttribute("data-url"), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        credentials: "same-origin",
        body: body,
      }).then(function (res) {
        if (res.status === 204) return;
        return res.json().catch(function () { return {}; }).then(function (problem) {
          say(res.status === 409 && problem.detail ? problem.detail : text("data-failed"));
          window.setTimeout(function () { window.location.reload(); }, 2500);
        });
      }).catch(function () {
        say(text("data-failed"));
      });
    }

    // One step up or down: a lesson past its module's edge goes to the next module that way.
    function step(item, up) {
      if (item.hasAttribute("data-module")) {
        var sib = up ? item.previousElementSibling : item.nextElementSibling;
        while (sib && !sib.hasAttribute("data-module")) {
          sib = up ? sib.previousElementSibling : sib.nextElementSibling;
        }
        if (!sib) return false;
        outline.insertBefore(item, up ? sib : sib.nextElementSibling);
        return true;
      }
      var next = up ? item.previousElementSibling : item.nextElementSibling;
      if (next) {
        item.parentNode.insertBefore(item, up ? next : next.nextElementSibling);
        return true;
      }
      var all = modules();
      var at = all.indexOf(item.closest("[data-module]"));
      var target = all[at + (up ? -1 : 1)];
      if (!target) return false;
      var list = target.querySelector("[data-lessons]");
      if (up) list.appendChild(item); else list.insertBefore(item, list.firstElementChild);
      refreshEmpty();
      return true;
    }

    function itemOf(handle) {
      return handle.closest("[data-lesson]") || handle.closest("[data-module]");
    }
    function drop(handle, keep, focus) {
      var item = itemOf(handle);
      handle.setAttribute("aria-pressed", "false");
      item.classList.remove("outline-grabbed");
      grabbed = null;
      if (!keep) {
        restore(before);
        say(text("data-cancelled"));
      } else if (orderText(snapshot()) !== orderText(before)) {
        say(text("data-dropped") + ": " + titleOf(item) + " — " + where(item));
        save();
      }
      if (focus) handle.focus();
    }

    Array.prototype.forEach.call(outline.querySelectorAll(".drag-handle"), function (handle) {
      handle.hidden = false;
      handle.addEventListener("click", function () {
        if (grabbed === handle) { drop(handle, true, true); return; }
        // Another item was held: it stays where it was moved to.
        if (grabbed) drop(grabbed, true, false);
        before = snapshot();
        grabbed = handle;
        handle.setAttribute("aria-pressed", "true");
        itemOf(handle).classList.add("outline-grabbed");
        say(text("data-grabbed") + ": " + titleOf(itemOf(handle)) + " — " + where(itemOf(handle)));
      });
      handle.addEventListener("keydown", function (e) {
        if (grabbed !== handle) return;
        if (e.key === "ArrowUp" || e.key === "ArrowDown") {
          e.preventDefault();
          var item = itemOf(handle);
          if (step(item, e.key === "ArrowUp")) {
            handle.focus();
            say(text("data-moved") + ": " + where(item));
          }
        } else if (e.key === "Escape") {
          e.preventDefault();
          drop(handle, false, true);
        }
      });
      handle.addEventListener("blur", function () {
        // Moving the item in the page takes the focus away for a moment: only a real leave
        // (the focus elsewhere after this turn) drops it where it is.
        window.setTimeout(function () {
          if (grabbed === handle && document.activeElement !== handle) drop(handle, true, false);
        }, 0);
      });
    });

    // Dragging with a mouse: the item follows the pointer; the order is saved on release.
    Array.prototype.forEach.call(outline.querySelectorAll("[data-lesson], [data-module]"), function (item) {
      item.setAttribute("draggable", "true");
    });
    outline.addEventListener("dragstart", function (e) {
      var item = e.target.closest && (e.target.closest("[data-lesson]") || e.target.closest("[data-module]"));
      if (!item || e.target !== item) return;
      dragging = item;
      before = snapshot();
      item.classList.add("outline-dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", titleOf(item));
    });
    outline.addEventListener("dragover", function (e) {
      if (!dragging) return;
      e.preventDefault();
      var isModule = dragging.hasAttribute("data-module");
      if (isModule) {
        var over = e.target.closest("[data-module]");
        if (!over || over === dragging) return;
        var r = over.getBoundingClientRect();
        outline.insertBefore(dragging, e.clientY < r.top + r.height / 2 ? over : over.nextElementSibling);
        return;
      }
      var lesson = e.target.closest("[data-lesson]");
      if (lesson && lesson !== dragging) {
        var box = lesson.getBoundingClientRect();
        lesson.parentNode.insertBefore(dragging,
          e.clientY < box.top + box.height / 2 ? lesson : lesson.nextElementSibling);
      } else if (!lesson) {
        var module = e.target.closest("[data-module]");
        var list = module && module.querySelector("[data-lessons]");
        if (list && lessonsOf(module).length === 0) list.appendChild(dragging);
      }
      refreshEmpty();
    });
    outline.addEventListener("drop", function (e) {
      if (dragging) e.preventDefault();
    });
    outline.addEventListener("dragend", function (e) {
      if (!dragging) return;
      var item = dragging;
      dragging = null;
      item.classList.remove("outline-dragging");
      // Dropped outside the list or cancelled with Esc: everything goes back.
      if (e.dataTransfer && e.dataTransfer.dropEffect === "none") {
        restore(before);
        return;
      }
      if (orderText(snapshot()) !== orderText(before)) {
        say(text("data-dropped") + ": " + titleOf(item) + " — " + where(item));
        save();
      }
    });
  }

  // ---- The new-lesson form: only the chosen kind's fields --------------------------------

  function setUpKindFields() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-kind-select]"), function (form) {
      var select = document.getElementById(form.getAttribute("data-kind-select"));
      if (!select) return;
      function show() {
        Array.prototype.forEach.call(form.querySelectorAll("[data-kinds]"), function (group) {
          var on = group.getAttribute("data-kinds").split(" ").indexOf(select.value) >= 0;
          group.hidden = !on;
          // A hidden field is not sent: a file picked for another kind does not come along.
          Array.prototype.forEach.call(group.querySelectorAll("input, textarea, select"), function (f) {
            f.disabled = !on;
          });
        });
      }
      select.addEventListener("change", show);
      show();
    });
  }

  // ---- The Markdown editor ------------------------------------------------------------------

  // Puts `text` in place of `start..end` with the caret after it. Typed through the browser
  // where it can (so Ctrl+Z takes it back), else set directly.
  function put(area, start, end, text) {
    area.focus();
    area.setSelectionRange(start, end);
    var typed = false;
    try { typed = document.execCommand("insertText", false, text); } catch (e) { typed = false; }
    if (!typed || area.value.slice(start, start + text.length) !== text) {
      area.setRangeText(text, start, end, "end");
    }
  }

  // Wraps the selection in `left`/`right`, or inserts them around `placeholder`.
  function wrap(area, left, right, placeholder) {
    var start = area.selectionStart, end = area.selectionEnd;
    var chosen = area.value.slice(start, end) || placeholder;
    put(area, start, end, left + chosen + right);
    area.setSelectionRange(start + left.length, start + left.length + chosen.length);
  }

  // Puts `prefix` (or `numbered` items) at the start of each selected line.
  function prefixLines(area, prefix, numbered) {
    var value = area.value;
    var start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var end = area.selectionEnd;
    var lines = value.slice(start, end).split("\n");
    var out = lines.map(function (line, i) {
      return (numbered ? (i + 1) + ". " : prefix) + line;
    }).join("\n");
    put(area, start, end, out);
  }

  // Inserts a block on lines of its own.
  function block(area, text) {
    var start = area.selectionStart;
    var before = area.value.slice(0, start);
    var gap = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
    put(area, start, area.selectionEnd, gap + text + "\n");
  }

  function setUpMarkdown() {
    var template = document.getElementById("md-toolbar");
    if (!template || !window.fetch || !window.URLSearchParams) return;
    var area = document.getElementById(template.getAttribute("data-for"));
    if (!area || !("setRangeText" in area)) return;
    var parts = template.content.cloneNode(true);
    var toolbar = parts.querySelector(".md-toolbar");
    var previewWrap = parts.querySelector(".md-preview-wrap");
    var preview = parts.querySelector(".md-preview");
    var picker = parts.querySelector(".md-image-input");
    var status = parts.querySelector(".md-status");
    area.parentNode.insertBefore(toolbar, area);
    var field = area.closest(".field") || area;
    field.parentNode.insertBefore(previewWrap, field.nextSibling);
    var attr = function (name) { return template.getAttribute(name) || ""; };

    var timer = null;
    var sent = null;
    function render() {
      timer = null;
      var text = area.value;
      if (text === sent) return;
      sent = text;
      var body = new URLSearchParams();
      body.append("text", text);
      fetch(attr("data-preview-url"), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        credentials: "same-origin",
        body: body,
      }).then(function (res) {
        if (!res.ok) { sent = null; return; }
        return res.text().then(function (html) {
          // Only the latest text's preview is shown.
          if (text === area.value) preview.innerHTML = html;
        });
      }).catch(function () { sent = null; });
    }
    function changed() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(render, 350);
    }
    area.addEventListener("input", changed);
    render();

    function upload(file) {
      if (!file || !/^image\//.test(file.type)) return;
      status.textContent = attr("data-uploading") + " " + file.name;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", attr("data-upload-url") + "?filename=" + encodeURIComponent(file.name || "image.png") + "&kind=image");
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) {}
        if (xhr.status !== 201) {
          status.textContent = attr("data-upload-failed") + " " + (body.detail || xhr.status);
          return;
        }
        var alt = (body.filename || "").replace(/\.[^.]+$/, "").replace(/[\[\]]/g, "");
        area.focus();
        block(area, "![" + alt + "](media:" + body.id + ")");
        status.textContent = "✓ " + body.filename;
        changed();
      });
      xhr.addEventListener("error", function () {
        status.textContent = attr("data-upload-failed");
      });
      xhr.send(file);
    }
    picker.addEventListener("change", function () {
      Array.prototype.forEach.call(picker.files || [], upload);
      picker.value = "";
    });
    area.addEventListener("paste", function (e) {
      var files = e.clipboardData && e.clipboardData.files;
      if (files && files.length && /^image\//.test(files[0].type)) {
        e.preventDefault();
        Array.prototype.forEach.call(files, upload);
      }
    });
    area.addEventListener("dragover", function (e) {
      if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) {
        e.preventDefault();
        area.classList.add("md-drop");
      }
    });
    area.addEventListener("dragleave", function () { area.classList.remove("md-drop"); });
    area.addEventListener("drop", function (e) {
      area.classList.remove("md-drop");
      var files = e.dataTransfer && e.dataTransfer.files;
      if (files && files.length) {
        e.preventDefault();
        Array.prototype.forEach.call(files, upload);
      }
    });

    var actions = {
      heading: function () { prefixLines(area, "## "); },
      bold: function () { wrap(area, "**", "**", attr("data-sample")); },
      italic: function () { wrap(area, "_", "_", attr("data-sample")); },
      ul: function () { prefixLines(area, "- "); },
      ol: function () { prefixLines(area, "", true); },
      link: function () {
        var start = area.selectionStart;
        var words = area.value.slice(start, area.selectionEnd) || attr("data-sample");
        put(area, start, area.selectionEnd, "[" + words + "](https://)");
        area.setSelectionRange(start + words.length + 3, start + words.length + 11);
      },
      quote: function () { prefixLines(area, "> "); },
      code: function () {
        var chosen = area.value.slice(area.selectionStart, area.selectionEnd);
        if (chosen.indexOf("\n") >= 0) wrap(area, "```\n", "\n```", "");
        else wrap(area, "`", "`", attr("data-sample"));
      },
      table: function () { block(area, attr("data-table").replace(/\\n/g, "\n")); },
      image: function () { picker.click(); },
    };
    toolbar.addEventListener("click", function (e) {
      var button = e.target.closest("[data-md]");
      if (!button) return;
      area.focus();
      actions[button.getAttribute("data-md")]();
      changed();
    });
    area.addEventListener("keydown", function (e) {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      var key = { b: "bold", i: "italic", k: "link" }[e.key.toLowerCase()];
      if (!key) return;
      e.preventDefault();
      actions[key]();
      changed();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpOutline();
    setUpKindFields();
    setUpMarkdown();
  });
})();
