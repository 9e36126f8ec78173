/* The samenwerkingsscan widget on the demo page: rasa-webchat 1.0.1 on Rasa's socketio channel.
 *
 * window.MKBSCAN_WIDGET comes from /config.js (socketUrl, socketPath). The conversation is kept
 * in localStorage ("chat_session"); "Nieuw gesprek" removes it and reloads the page, after which
 * the widget asks Rasa for a new session and opens with the greeting.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "chat_session"; // rasa-webchat 1.0.1's storage key
  var REOPEN_KEY = "mkbscan_reopen";
  var config = window.MKBSCAN_WIDGET || {
    socketUrl: window.location.protocol + "//" + window.location.hostname + ":5005",
    socketPath: "/socket.io/",
    subtitle: ""
  };
  var status = document.getElementById("chat-status");

  function say(text) {
    if (status) status.textContent = text;
  }

  function messageDelay(message) {
    // A short "typing" pause that grows with the message, capped so a scan keeps its pace.
    return Math.min(1200, Math.max(250, (message || "").length * 8));
  }

  function isOpen() {
    return document.querySelector(".rw-conversation-container") !== null;
  }

  function focusInput() {
    var input = document.querySelector(".rw-new-message");
    if (input) input.focus();
  }

  function openChat() {
    var launcher = document.querySelector(".rw-launcher");
    if (!isOpen() && launcher) launcher.click();
    window.setTimeout(focusInput, 50);
  }

  function newConversation() {
    try {
      window.localStorage.removeItem(STORAGE_KEY);
      window.sessionStorage.removeItem(STORAGE_KEY);
      window.sessionStorage.setItem(REOPEN_KEY, "1");
    } catch (error) {
      /* storage blocked: a reload still starts over when nothing was stored */
    }
    window.location.reload();
  }

  // Keyboard use: answer buttons are <div>s in rasa-webchat; make them focusable buttons.
  function enhance(root) {
    var replies = root.querySelectorAll ? root.querySelectorAll(".rw-reply:not([tabindex])") : [];
    Array.prototype.forEach.call(replies, function (reply) {
      if (reply.tagName === "A") return;
      reply.setAttribute("role", "button");
      reply.setAttribute("tabindex", "0");
      reply.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          reply.click();
        }
      });
    });
    var launcher = document.querySelector(".rw-launcher");
    if (launcher) launcher.setAttribute("aria-label", isOpen() ? "Chat sluiten" : "Chat openen");
  }

  new MutationObserver(function () { enhance(document); })
    .observe(document.body, { childList: true, subtree: true });

  document.getElementById("open-chat").addEventListener("click", openChat);
  document.getElementById("new-chat").addEventListener("click", newConversation);

  window.WebChat.default({
    initPayload: "/greet",
    socketUrl: config.socketUrl,
    socketPath: config.socketPath,
    title: "Samenwerkingsscan",
    subtitle: config.subtitle,
    inputTextFieldHint: "Typ je bericht...",
    connectingText: "Verbinding maken met de assistent...",
    hideWhenNotConnected: false,
    withRules: false,
    showMessageDate: false,
    customMessageDelay: messageDelay,
    params: { storage: "local" },
    onSocketEvent: {
      connect: function () { say(""); },
      connect_error: function () { say("De assistent is even niet bereikbaar. We proberen het opnieuw."); },
      disconnect: function () { say("De verbinding met de assistent is verbroken. We proberen het opnieuw."); },
      session_confirm: function () {
        say("");
        var reopen = false;
        try {
          reopen = window.sessionStorage.getItem(REOPEN_KEY) === "1";
          window.sessionStorage.removeItem(REOPEN_KEY);
        } catch (error) { /* ignore */ }
        if (reopen) openChat();
      }
    }
  }, null);
})();
