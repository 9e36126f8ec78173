/* <mkb-chat>: the samenwerkingsscan's chat widget, on Rasa's socketio channel.
 *
 * A light-DOM custom element with socket.io-client 4 (served from web/node_modules; no CDN,
 * no inline style or script, so the page's CSP needs no exceptions). Why hand-written and
 * not a library: docs/widget-choice.md.
 *
 * window.MKBSCAN_WIDGET comes from /config.js: socketUrl, socketPath, subtitle,
 * retentionDays and texts (every word the widget shows, from mkbscan/content/widget.yml).
 * The conversation (session id, transcript, progress, open or not) is kept in localStorage under
 * "mkbscan_chat" and dropped after the retention period; a reload shows it again and joins
 * the same Rasa session.
 *
 * Bot events: {text, quick_replies?} and our own custom JSON: {progress: {step, total,
 * question}} after each scan question (the header's progress bar, and "Vorige" / "Waarom?"
 * under that question; at the result, question false) and {card: {...}}, the result as one
 * card (mkbscan/scan/result_text.py ResultCard: scores, phases, SVG chart, the plan). The
 * log scrolls to the card's top, not past it to the follow-up offer.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "mkbscan_chat";
  var DAY_MS = 24 * 60 * 60 * 1000;
  var PREVIOUS = "/previous_question";
  var WHY = "/explain_question";
  var MAIL = "/email_report";
  var LINK = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]|[\w.+-]+@[\w-]+(\.[\w-]+)+)/g;

  function config() {
    return window.MKBSCAN_WIDGET || {};
  }

  function text(key, values) {
    var template = (config().texts || {})[key] || key;
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  }

  function element(tag, className, attributes) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    return node;
  }

  function newSessionId() {
    var bytes = new Uint8Array(16); // 128 random bits
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  /* Bot text as text nodes (never HTML), with web and e-mail addresses as links. */
  function fillText(node, value) {
    var last = 0;
    value.replace(LINK, function (match, _group, _part, offset) {
      node.appendChild(document.createTextNode(value.slice(last, offset)));
      var link = element("a");
      link.href = match.indexOf("@") > 0 && match.indexOf("://") < 0 ? "mailto:" + match : match;
      if (link.protocol === "http:" || link.protocol === "https:") link.rel = "noopener";
      link.textContent = match;
      node.appendChild(link);
      last = offset + match.length;
      return match;
    });
    node.appendChild(document.createTextNode(value.slice(last)));
  }

  function span(className, value) {
    var node = element("span", className);
    node.textContent = value;
    return node;
  }

  function paragraph(className, value) {
    var node = element("p", className);
    node.textContent = value;
    return node;
  }

  /* A plan step's example: lines "a | b | c" (or "| b | c": an empty first cell) become a
   * table, the first its header; other lines paragraphs (as mkbscan/site/report_view.py). */
  function example(value) {
    var box = element("div", "mkb-example");
    var table = null;
    value.split("\n").forEach(function (line) {
      if (line.indexOf(" | ") < 0 && line.indexOf("| ") !== 0) {
        table = null;
        box.appendChild(paragraph("", line));
        return;
      }
      var head = !table;
      if (head) table = box.appendChild(element("table", "mkb-example-table"));
      var row = table.appendChild(element("tr"));
      line.split("|").forEach(function (cell) {
        cell = cell.trim();
        row.appendChild(element(head && cell ? "th" : "td")).textContent = cell;
      });
    });
    return box;
  }

  function load() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      var days = Number(config().retentionDays) || 0;
      if (stored && stored.id && Array.isArray(stored.transcript) &&
          !(days && Date.now() - stored.savedAt > days * DAY_MS)) {
        return stored;
      }
    } catch (error) { /* storage blocked or damaged: start afresh */ }
    return { id: newSessionId(), transcript: [], progress: null, savedAt: Date.now() };
  }

  class MkbChat extends HTMLElement {
    connectedCallback() {
      if (this.panel) return;
      this.state = load();
      this.queue = [];
      this.pumping = false;
      this.greeted = this.state.transcript.length > 0;
      this.drawn = 0;
      // An invitation link (SITE_URL/#code=K7QD-M2XR, docs/partner-scan.md): the code is
      // taken from the fragment (never sent to a server), removed from the address bar, and
      // sent as the visitor's first words once the chat is open.
      var invited = /^#code=([A-Za-z0-9]{4}-?[A-Za-z0-9]{4})$/.exec(window.location.hash);
      if (invited) {
        this.pendingCode = invited[1].toUpperCase();
        window.history.replaceState(null, "", window.location.pathname + window.location.search);
      }
      this.build();
      this.render();
      this.connect();
      if (this.state.open || this.pendingCode) this.open(); // open before the reload, or invited
    }

    /* --- the DOM ------------------------------------------------------------------- */

    build() {
      var self = this;
      this.launcher = element("button", "mkb-launcher",
        { type: "button", "aria-expanded": "false", "aria-controls": "mkb-panel" });
      this.launcher.textContent = text("open");
      this.launcher.addEventListener("click", function () { self.open(); });

      this.panel = element("section", "mkb-panel",
        { id: "mkb-panel", role: "dialog", "aria-labelledby": "mkb-title" });
      this.panel.hidden = true;

      var header = element("header", "mkb-header");
      var titles = element("div", "mkb-titles");
      var title = element("h2", "mkb-title", { id: "mkb-title" });
      title.textContent = text("title");
      var subtitle = element("p", "mkb-subtitle");
      subtitle.textContent = config().subtitle || "";
      titles.append(title, subtitle);
      var tools = element("div", "mkb-tools");
      this.restartButton = this.tool("mkb-restart", "restart", "\u21bb", function () {
        self.askRestart();
      });
      this.fullButton = this.tool("mkb-full-toggle", "full", "\u2922", function () {
        self.setFull(!self.classList.contains("mkb-full"));
      });
      this.fullButton.setAttribute("aria-pressed", "false");
      var close = this.tool("mkb-close", "close", "\u00d7", function () { self.close(); });
      tools.append(this.restartButton, this.fullButton, close);
      this.progress = element("div", "mkb-progress");
      this.progressLabel = element("span", "mkb-progress-label", { id: "mkb-progress-label" });
      this.progressBar = element("progress", "mkb-progress-bar",
        { "aria-labelledby": "mkb-progress-label" });
      this.progress.append(this.progressLabel, this.progressBar);
      this.progress.hidden = true;
      header.append(titles, tools, this.progress);

      this.log = element("div", "mkb-log",
        { role: "log", "aria-live": "polite", "aria-relevant": "additions",
          "aria-label": text("log_label"), tabindex: "0" });

      this.confirmBox = element("div", "mkb-confirm",
        { role: "alertdialog", "aria-labelledby": "mkb-confirm-text", "aria-modal": "true" });
      var question = element("p", "", { id: "mkb-confirm-text" });
      question.textContent = text("restart_confirm");
      var yes = element("button", "mkb-choice", { type: "button" });
      yes.textContent = text("restart_yes");
      yes.addEventListener("click", function () { self.restart(); });
      var no = element("button", "mkb-choice", { type: "button" });
      no.textContent = text("restart_no");
      no.addEventListener("click", function () { self.cancelRestart(); });
      var answers = element("div", "mkb-confirm-buttons");
      answers.append(yes, no);
      this.confirmBox.append(question, answers);
      this.confirmBox.hidden = true;

      this.form = element("form", "mkb-input");
      var label = element("label", "mkb-hidden", { for: "mkb-text" });
      label.textContent = text("input_label");
      this.input = element("input", "mkb-text",
        { id: "mkb-text", type: "text", autocomplete: "off", maxlength: "1000",
          placeholder: text("placeholder") });
      var send = element("button", "mkb-send", { type: "submit" });
      send.textContent = text("send");
      this.form.append(label, this.input, send);
      this.form.addEventListener("submit", function (event) {
        event.preventDefault();
        var value = self.input.value.trim();
        if (!value) return;
        self.input.value = "";
        self.send(value, value);
      });

      this.typing = element("div", "mkb-typing", { "aria-hidden": "true" });
      this.typing.append(element("span"), element("span"), element("span"));
      this.typing.hidden = true;

      this.status = element("p", "mkb-status", { role: "status", "aria-live": "polite" });

      this.panel.append(header, this.log, this.typing, this.confirmBox, this.form, this.status);
      this.append(this.launcher, this.panel);

      this.panel.addEventListener("keydown", function (event) { self.onKey(event); });
    }

    tool(className, key, symbol, onClick) {
      var button = element("button", "mkb-tool " + className,
        { type: "button", "aria-label": text(key), title: text(key) });
      button.textContent = symbol;
      button.addEventListener("click", onClick);
      return button;
    }

    /* --- opening, full page, focus ------------------------------------------------ */

    isOpen() { return !this.panel.hidden; }

    open() {
      this.panel.hidden = false;
      this.launcher.hidden = true;
      this.launcher.setAttribute("aria-expanded", "true");
      this.classList.add("mkb-open");
      this.state.open = true;
      this.save();
      this.syncModal();
      this.scrollDown();
      this.input.focus();
      this.greet();
    }

    close() {
      this.setFull(false);
      this.panel.hidden = true;
      this.launcher.hidden = false;
      this.launcher.setAttribute("aria-expanded", "false");
      this.classList.remove("mkb-open");
      this.state.open = false;
      this.save();
      this.launcher.focus();
    }

    setFull(full) {
      this.classList.toggle("mkb-full", full);
      this.fullButton.setAttribute("aria-pressed", full ? "true" : "false");
      this.fullButton.setAttribute("aria-label", text(full ? "full_exit" : "full"));
      this.fullButton.title = text(full ? "full_exit" : "full");
      this.syncModal();
    }

    /* Full page (and a phone, where the open panel fills the screen) is modal. */
    modal() {
      return this.isOpen() && (this.classList.contains("mkb-full") ||
        window.matchMedia("(max-width: 600px)").matches);
    }

    syncModal() { this.panel.setAttribute("aria-modal", this.modal() ? "true" : "false"); }

    onKey(event) {
      if (event.key === "Escape") {
        event.preventDefault();
        if (!this.confirmBox.hidden) this.cancelRestart();
        else if (this.classList.contains("mkb-full")) this.setFull(false);
        else this.close();
        return;
      }
      if (event.key !== "Tab" || !(this.modal() || !this.confirmBox.hidden)) return;
      var scope = this.confirmBox.hidden ? this.panel : this.confirmBox;
      var focusable = Array.prototype.filter.call(
        scope.querySelectorAll("button:not([disabled]), input, [tabindex='0'], a[href]"),
        function (node) { return node.offsetParent !== null; });
      if (!focusable.length) return;
      var first = focusable[0];
      var last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }

    /* To the newest message; after a result card, to the card's top until the user acts. */
    scrollDown() {
      if (this.heldAt && this.heldAt.isConnected) {
        this.log.scrollTop = this.heldAt.offsetTop - this.log.offsetTop - 8;
      } else {
        this.log.scrollTop = this.log.scrollHeight;
      }
    }

    /* --- restart after a confirmation --------------------------------------------- */

    askRestart() {
      if (!this.isOpen()) this.open();
      this.confirmBox.hidden = false;
      this.confirmBox.querySelector("button").focus();
    }

    cancelRestart() {
      this.confirmBox.hidden = true;
      this.restartButton.focus();
    }

    restart() {
      this.confirmBox.hidden = true;
      this.state = { id: newSessionId(), transcript: [], progress: null, savedAt: Date.now(),
        open: true };
      this.queue = [];
      this.greeted = false;
      this.save();
      this.render();
      if (this.socket) {
        this.socket.disconnect();
        this.socket.connect(); // session_request with the new id on connect
      }
      this.input.focus();
    }

    /* --- the conversation --------------------------------------------------------- */

    save() {
      this.state.savedAt = Date.now();
      try {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify(this.state));
      } catch (error) { /* storage blocked: the conversation lasts this page view */ }
    }

    connect() {
      var self = this;
      var settings = config();
      if (!window.io) {
        this.say("offline");
        return;
      }
      this.say("connecting");
      // An empty socketUrl: Rasa is reached on the page's own origin (behind nginx).
      this.socket = window.io(settings.socketUrl || undefined,
        { path: settings.socketPath || "/socket.io/" });
      this.socket.on("connect", function () {
        self.socket.emit("session_request", { session_id: self.state.id });
      });
      this.socket.on("session_confirm", function () {
        self.say("");
        self.connected = true;
        if (self.isOpen()) self.greet();
      });
      this.socket.on("connect_error", function () { self.connected = false; self.say("offline"); });
      this.socket.on("disconnect", function (reason) {
        self.connected = false;
        if (reason !== "io client disconnect") self.say("disconnected");
      });
      this.socket.on("bot_uttered", function (message) { self.receive(message || {}); });
    }

    say(key) { this.status.textContent = key ? text(key) : ""; }

    greet() {
      if (!this.connected) return;
      if (this.pendingCode) {
        var words = text("code_message", { code: this.pendingCode });
        this.pendingCode = null;
        this.greeted = true;
        this.send(words, words);
        return;
      }
      if (this.greeted) return;
      this.greeted = true;
      this.emit("/greet");
    }

    emit(message) {
      if (this.socket && this.connected) {
        this.socket.emit("user_uttered", { message: message, session_id: this.state.id });
        return true;
      }
      this.say("offline");
      return false;
    }

    /* What the user sends: `shown` in the transcript, `message` to Rasa. */
    send(shown, message, chosen) {
      if (!this.emit(message)) return;
      this.queue = this.queue.filter(function (e) { return e.progressOnly; }); // show all now
      this.settleChoices(chosen);
      this.heldAt = null;
      this.add({ from: "user", text: shown });
    }

    receive(message) {
      if (message.progress) {
        this.state.progress = message.progress;
        var last = this.lastBot();
        if (last && message.progress.question !== false) last.step = message.progress.step;
        this.save();
        if (!message.card) this.queue.push({ progressOnly: true });
      }
      var entry = null;
      if (message.card) {
        entry = { from: "bot", text: "", card: message.card };
      } else if (message.text) {
        entry = { from: "bot", text: message.text };
        if (message.quick_replies && message.quick_replies.length) {
          entry.buttons = message.quick_replies.map(function (b) {
            return { title: b.title, payload: b.payload };
          });
        }
      }
      if (entry) {
        this.state.transcript.push(entry);
        this.save();
        this.queue.push(entry);
      }
      this.pump();
    }

    lastBot() {
      for (var i = this.state.transcript.length - 1; i >= 0; i -= 1) {
        if (this.state.transcript[i].from === "bot") return this.state.transcript[i];
      }
      return null;
    }

    /* A short pause between the bot's messages, growing with their length. */
    pump() {
      if (this.pumping) return;
      var next = this.queue.shift();
      if (!next) return;
      var self = this;
      if (next.progressOnly) {
        this.render();
        this.pump();
        return;
      }
      this.pumping = true;
      var length = next.card ? 200 : next.text.length;
      var delay = this.log.childElementCount ? Math.min(700, 150 + length * 3) : 0;
      this.typing.hidden = delay === 0;
      window.setTimeout(function () {
        self.pumping = false;
        self.typing.hidden = true;
        self.render();
        self.pump();
      }, delay);
    }

    add(entry) {
      this.state.transcript.push(entry);
      this.save();
      this.render();
    }

    settleChoices(chosen) {
      var last = this.state.transcript[this.state.transcript.length - 1];
      if (last && last.buttons) last.chosen = chosen === undefined ? null : chosen;
    }

    /* Draws what is new in the transcript (minus what still waits in the queue) and settles
     * what is no longer live, in place: the log only ever gets additions, so a screen reader
     * reads each new message once. */
    render() {
      var transcript = this.state.transcript;
      var shown = transcript.length - this.queue.filter(function (e) {
        return !e.progressOnly;
      }).length;
      if (shown < this.drawn) { // a new conversation
        this.log.textContent = "";
        this.drawn = 0;
      }
      for (var i = 0; i < this.drawn; i += 1) {
        this.refresh(this.log.children[i], transcript[i], i === shown - 1);
      }
      for (var j = this.drawn; j < shown; j += 1) {
        var node = this.log.appendChild(this.draw(transcript[j], j === shown - 1));
        if (transcript[j].card && this.drawn > 0) this.heldAt = node;
      }
      this.drawn = shown;
      this.drawProgress();
      this.scrollDown();
      if (this.keyboardChoice) {
        // Answered by keyboard: on to the next answers (or the log while they come).
        var first = this.log.querySelector(".mkb-choices:not(.mkb-settled) .mkb-choice");
        if (first) this.keyboardChoice = false;
        (first || this.log).focus({ preventScroll: true });
      }
    }

    refresh(node, entry, isLast) {
      var group = node.querySelector(".mkb-choices");
      if (group && !(isLast && entry.chosen === undefined) &&
          !group.classList.contains("mkb-settled")) {
        group.classList.add("mkb-settled");
        Array.prototype.forEach.call(group.children, function (choice, index) {
          choice.disabled = true;
          if (entry.chosen === index) {
            choice.classList.add("mkb-chosen");
            choice.setAttribute("aria-pressed", "true");
          }
        });
      }
      var tools = node.querySelector(".mkb-question-tools");
      if (tools && !(entry.step && isLast)) tools.remove();
      if (!tools && entry.step && isLast) node.appendChild(this.questionTools(entry));
    }

    drawProgress() {
      var progress = this.state.progress;
      this.progress.hidden = !progress;
      if (!progress) return;
      this.progressBar.max = progress.total;
      this.progressBar.value = progress.step;
      this.progressLabel.textContent = text("progress", progress);
    }

    draw(entry, isLast) {
      var self = this;
      var node = element("div", "mkb-message mkb-" + entry.from + (entry.card ? " mkb-wide" : ""));
      var who = element("span", "mkb-hidden");
      who.textContent = text(entry.from === "user" ? "you" : "bot") + ": ";
      node.appendChild(who);
      if (entry.text) {
        var body = element("p", "mkb-text-body");
        fillText(body, entry.text);
        node.appendChild(body);
      }
      if (entry.card) node.appendChild(this.drawCard(entry.card));
      var live = isLast && entry.chosen === undefined;
      if (entry.buttons) {
        var group = element("div", "mkb-choices" + (live ? "" : " mkb-settled"),
          { role: "group", "aria-label": text("choices_label") });
        group.addEventListener("pointermove", function () { group.classList.add("mkb-armed"); },
          { once: true });
        entry.buttons.forEach(function (button, index) {
          var choice = element("button", "mkb-choice", { type: "button" });
          choice.textContent = button.title;
          if (!live) {
            choice.disabled = true;
            if (entry.chosen === index) {
              choice.classList.add("mkb-chosen");
              choice.setAttribute("aria-pressed", "true");
            }
          }
          choice.addEventListener("click", function (event) {
            self.keyboardChoice = event.detail === 0; // Enter or Space, not a pointer
            self.send(button.title, button.payload, index);
          });
          group.appendChild(choice);
        });
        node.appendChild(group);
      }
      if (entry.step && isLast) node.appendChild(this.questionTools(entry));
      return node;
    }

    /* The result card: total and phase, the chart (its alt text holds every number), then
     * the plan. Text only through textContent. */
    drawCard(card) {
      var box = element("section", "mkb-card", { "aria-label": text("card_label") });
      var intro = element("p", "mkb-card-intro");
      intro.textContent = card.intro;
      var total = element("p", "mkb-card-total");
      var score = element("span", "mkb-card-score");
      score.textContent = String(card.total);
      var band = element("span", "mkb-card-band");
      band.textContent = card.band;
      total.append(score, span("mkb-card-max", "/100"), band);
      var phases = element("ol", "mkb-phases", { "aria-label": card.phase });
      card.phases.forEach(function (name, index) {
        var phase = element("li", index === card.current ? "mkb-phase mkb-current" : "mkb-phase",
          index === card.current ? { "aria-current": "step" } : {});
        phase.textContent = name;
        phases.appendChild(phase);
      });
      box.append(intro, total, phases, paragraph("mkb-card-meaning", card.meaning));
      if (card.capped) box.appendChild(paragraph("mkb-card-capped", card.capped));
      var chart = element("img", "mkb-card-chart", { alt: card.chart_text });
      chart.src = card.chart;
      box.appendChild(chart);
      var plan = card.plan;
      var heading = element("h3", "mkb-card-heading");
      heading.textContent = text("card_plan");
      box.appendChild(heading);
      if (plan.strengths) box.appendChild(paragraph("mkb-card-strengths", plan.strengths));
      if (plan.perfect) box.appendChild(paragraph("", plan.perfect));
      if (plan.route) box.appendChild(paragraph("mkb-card-route", plan.route));
      if (plan.steps.length) {
        var steps = element("ol", "mkb-steps");
        plan.steps.forEach(function (step) {
          var item = element("li", "mkb-step");
          item.appendChild(paragraph("mkb-step-action", step.action));
          if (step.produces) item.appendChild(paragraph("mkb-step-produces", step.produces));
          if (step.example) {
            var more = element("details", "mkb-step-example");
            var summary = element("summary");
            summary.textContent = text("card_example");
            more.append(summary, example(step.example));
            item.appendChild(more);
          }
          steps.appendChild(item);
        });
        box.appendChild(steps);
      }
      if (plan.unknowns) box.appendChild(paragraph("mkb-card-unknowns", plan.unknowns));
      if (card.report_url) {
        var report = element("a", "mkb-card-report",
          { href: card.report_url, target: "_blank", rel: "noopener" });
        report.textContent = text("card_report");
        var self = this;
        var mail = this.small("card_mail", function () { self.send(text("card_mail"), MAIL); });
        var links = element("div", "mkb-card-links");
        links.append(report, mail);
        box.append(links, paragraph("mkb-card-note", text("card_report_note")));
      }
      return box;
    }

    /* "Vorige" and "Waarom?" under the open scan question. */
    questionTools(entry) {
      var self = this;
      var tools = element("div", "mkb-question-tools");
      if (entry.step > 1) {
        tools.appendChild(this.small("previous", function () {
          self.send(text("previous"), PREVIOUS);
        }));
      }
      tools.appendChild(this.small("why", function () { self.send(text("why"), WHY); }));
      return tools;
    }

    small(key, onClick) {
      var button = element("button", "mkb-small", { type: "button" });
      button.textContent = text(key);
      button.addEventListener("click", onClick);
      return button;
    }
  }

  if (!window.customElements.get("mkb-chat")) window.customElements.define("mkb-chat", MkbChat);
})();
