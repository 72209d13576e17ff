// The instance view's VNC console: createConsoleEndpoint's websocket (the console proxy, bridged to the VM's VNC
// server) drawn by our RFB client. One console at a time; leaving the page closes it.
import { call } from "./api.js";
import { h } from "./dom.js";
import { RFBClient } from "./vnc.js";

let current = null;

function closeCurrent() {
  current?.close();
  current = null;
}
window.addEventListener("hashchange", closeCurrent);

/** Adds the VNC console section for `vm` to `panel` (only for a Running VM and a caller with createConsoleEndpoint). */
export function vncSection(panel, vm, apis) {
  if (!apis.has("createConsoleEndpoint") || vm.state !== "Running") return;
  const status = h("p", { id: "vnc-status", role: "status" }, "Not connected.");
  const error = h("p", { id: "vnc-error", className: "error", role: "alert" });
  const canvas = h("canvas", { id: "vnc-canvas", tabindex: 0, width: 0, height: 0, "aria-label": "VNC console: keys typed here go to the VM; Shift+Tab leaves it", hidden: true });
  const open = h("button", { type: "button", id: "vnc-open" }, "Open VNC console");
  const close = h("button", { type: "button", id: "vnc-close", hidden: true }, "Disconnect");
  const ctrlAltDel = h("button", { type: "button", id: "vnc-cad", hidden: true }, "Send Ctrl+Alt+Del");
  const show = (connected) => {
    open.hidden = connected;
    close.hidden = !connected;
    ctrlAltDel.hidden = !connected;
    canvas.hidden = !connected;
  };
  open.addEventListener("click", async () => {
    closeCurrent();
    error.textContent = "";
    open.disabled = true;
    try {
      const answer = await call("createConsoleEndpoint", { virtualmachineid: vm.id });
      const url = answer.consoleendpoint?.url;
      if (!url) throw new Error("createConsoleEndpoint answered no URL");
      show(true);
      current = new RFBClient(canvas, url, (text, state) => {
        status.textContent = text;
        if (state === "error") error.textContent = text;
        if (state === "closed" || state === "error") show(false);
      });
      canvas.focus();
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      open.disabled = false;
    }
  });
  close.addEventListener("click", () => {
    closeCurrent();
    show(false);
    open.focus();
  });
  ctrlAltDel.addEventListener("click", () => {
    // Control_L, Alt_L, Delete down, then up in reverse.
    for (const sym of [0xffe3, 0xffe9, 0xffff]) current?.keyEvent(sym, true);
    for (const sym of [0xffff, 0xffe9, 0xffe3]) current?.keyEvent(sym, false);
    canvas.focus();
  });
  panel.append(
    h(
      "section",
      { className: "sub", id: "vm-vnc-section" },
      h("h3", {}, "VNC console"),
      h("div", { className: "toolbar" }, open, close, ctrlAltDel),
      status,
      error,
      h("div", { className: "vnc" }, canvas),
      h("p", { className: "intro" }, "Click or focus the screen to type into the VM; Shift+Tab moves focus out of it."),
    ),
  );
}
