// A small RFB 3.8 client (RFC 6143) for the console proxy's websocket (createConsoleEndpoint), written for ZooStack:
// security type None, 32-bit true colour, the Raw and CopyRect encodings, the DesktopSize pseudo-encoding and
// QEMU's LED state pseudo-encoding; the framebuffer is drawn on a <canvas>, and its key and pointer events go to the
// guest. State is mirrored on the canvas's data attributes (state, leds, keys) for people and tests alike.
import { keysym } from "./keysyms.js";

const ENCODINGS = [1, 0, -223, -261]; // CopyRect, Raw, DesktopSize, QEMU LED state (RFC 6143 §7.7-7.8)
const SECURITY_NONE = 1;
const MORE = -1;

/** One RFB session drawing on `canvas`; `onstatus(text, state)` hears each change. */
export class RFBClient {
  constructor(canvas, url, onstatus = () => {}) {
    this.canvas = canvas;
    this.context = canvas.getContext("2d");
    this.onstatus = onstatus;
    this.buffer = new Uint8Array(0);
    this.step = this.version;
    this.rects = 0;
    this.rect = null;
    this.down = new Map();
    this.buttons = 0;
    this.keys = 0;
    this.socket = new WebSocket(url);
    this.socket.binaryType = "arraybuffer";
    this.socket.onopen = () => this.status("Connected to the proxy; waiting for the VNC server", "connecting");
    this.socket.onmessage = (event) => this.receive(new Uint8Array(event.data));
    this.socket.onerror = () => this.status("The console connection failed", "error");
    this.socket.onclose = () => {
      if (this.canvas.dataset.state !== "error") this.status("The console is closed", "closed");
      this.detach();
    };
    this.status("Connecting…", "connecting");
  }

  /** Closes the session. */
  close() {
    this.socket.close();
    this.detach();
  }

  status(text, state) {
    this.canvas.dataset.state = state;
    this.onstatus(text, state);
  }

  fail(text) {
    this.status(text, "error");
    this.socket.close();
  }

  send(bytes) {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(bytes);
  }

  receive(data) {
    const joined = new Uint8Array(this.buffer.length + data.length);
    joined.set(this.buffer);
    joined.set(data, this.buffer.length);
    this.buffer = joined;
    let offset = 0;
    try {
      // Each step reads from `offset`, returning the bytes it used (maybe none), or MORE when it needs more.
      while (this.step) {
        const used = this.step.call(this, this.buffer, offset, this.buffer.length - offset);
        if (used === MORE) break;
        offset += used;
      }
    } catch (error) {
      this.fail(error.message);
    }
    this.buffer = this.buffer.slice(offset);
  }

  // ProtocolVersion (§7.1.1): "RFB 003.008\n"; 3.7 works alike, 3.3 picks the security type itself.
  version(bytes, at, length) {
    if (length < 12) return MORE;
    const text = new TextDecoder().decode(bytes.subarray(at, at + 12));
    const match = /^RFB (\d{3})\.(\d{3})\n$/.exec(text);
    if (!match) throw new Error("Not a VNC server");
    const minor = Number(match[1]) > 3 ? 8 : Number(match[2]);
    if (minor < 7) throw new Error(`VNC protocol ${match[1]}.${match[2]} is not supported`);
    this.minor = minor >= 8 ? 8 : 7;
    this.send(new TextEncoder().encode(`RFB 003.00${this.minor}\n`));
    this.step = this.securityTypes;
    return 12;
  }

  // The security types (§7.1.2): None is the only one this client offers (the proxy's VNC servers ask no password).
  securityTypes(bytes, at, length) {
    if (length < 1) return MORE;
    const count = bytes[at];
    if (count === 0) return this.reason(bytes, at + 1, length - 1, "The VNC server refused the connection");
    if (length < 1 + count) return MORE;
    const types = [...bytes.subarray(at + 1, at + 1 + count)];
    if (!types.includes(SECURITY_NONE)) throw new Error(`The VNC server asks for security types ${types.join(", ")}; this console offers only None`);
    this.send(new Uint8Array([SECURITY_NONE]));
    this.step = this.minor >= 8 ? this.securityResult : this.serverInit;
    if (this.minor < 8) this.send(new Uint8Array([1]));
    return 1 + count;
  }

  // SecurityResult (§7.1.3), then ClientInit with the shared flag set.
  securityResult(bytes, at, length) {
    if (length < 4) return MORE;
    const result = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
    if (result !== 0) return this.reason(bytes, at + 4, length - 4, "The VNC server refused the security handshake");
    this.send(new Uint8Array([1]));
    this.step = this.serverInit;
    return 4;
  }

  /** Throws the server's reason string (§7.1.2) once it has arrived; returns MORE while it has not. */
  reason(bytes, at, length, prefix) {
    if (length < 4) return MORE;
    const size = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
    if (length < 4 + size) return MORE;
    throw new Error(`${prefix}: ${new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + size))}`);
  }

  // ServerInit (§7.3.2): the framebuffer's size and the desktop's name; then our pixel format and encodings.
  serverInit(bytes, at, length) {
    if (length < 24) return MORE;
    const view = new DataView(bytes.buffer, bytes.byteOffset + at, 24);
    const nameLength = view.getUint32(20);
    if (length < 24 + nameLength) return MORE;
    this.name = new TextDecoder().decode(bytes.subarray(at + 24, at + 24 + nameLength));
    this.resize(view.getUint16(0), view.getUint16(2));
    this.setPixelFormat();
    this.setEncodings();
    this.attach();
    this.requestUpdate(false);
    this.step = this.message;
    this.status(`Connected to ${this.name || "the VM"} (${this.canvas.width}×${this.canvas.height})`, "connected");
    return 24 + nameLength;
  }

  resize(width, height) {
    this.canvas.width = width;
    this.canvas.height = height;
    this.canvas.dataset.width = String(width);
    this.canvas.dataset.height = String(height);
  }

  // SetPixelFormat (§7.5.1): 32 bits, depth 24, little endian, true colour, red in the low byte: each pixel's bytes
  // are then R, G, B, X in memory, as an ImageData wants them.
  setPixelFormat() {
    const message = new Uint8Array(20);
    const view = new DataView(message.buffer);
    message[0] = 0;
    message.set([32, 24, 0, 1], 4);
    view.setUint16(8, 255);
    view.setUint16(10, 255);
    view.setUint16(12, 255);
    message.set([0, 8, 16], 14);
    this.send(message);
  }

  // SetEncodings (§7.5.2).
  setEncodings() {
    const message = new Uint8Array(4 + 4 * ENCODINGS.length);
    const view = new DataView(message.buffer);
    message[0] = 2;
    view.setUint16(2, ENCODINGS.length);
    ENCODINGS.forEach((encoding, index) => view.setInt32(4 + 4 * index, encoding));
    this.send(message);
  }

  // FramebufferUpdateRequest (§7.5.3) for the whole screen.
  requestUpdate(incremental) {
    const message = new Uint8Array(10);
    const view = new DataView(message.buffer);
    message[0] = 3;
    message[1] = incremental ? 1 : 0;
    view.setUint16(6, this.canvas.width);
    view.setUint16(8, this.canvas.height);
    this.send(message);
  }

  // Server messages (§7.6).
  message(bytes, at, length) {
    if (length < 1) return MORE;
    switch (bytes[at]) {
      case 0: // FramebufferUpdate
        if (length < 4) return MORE;
        this.rects = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint16(2);
        this.step = this.rectangle;
        return 4;
      case 1: {
        // SetColourMapEntries: not used in true colour; skipped.
        if (length < 6) return MORE;
        const count = new DataView(bytes.buffer, bytes.byteOffset + at, 6).getUint16(4);
        return length < 6 + 6 * count ? MORE : 6 + 6 * count;
      }
      case 2: // Bell
        return 1;
      case 3: {
        // ServerCutText: ignored.
        if (length < 8) return MORE;
        const size = new DataView(bytes.buffer, bytes.byteOffset + at, 8).getUint32(4);
        return length < 8 + size ? MORE : 8 + size;
      }
      default:
        throw new Error(`Unexpected VNC message ${bytes[at]}`);
    }
  }

  // One rectangle of a FramebufferUpdate (§7.6.1), its header and its data in one step.
  rectangle(bytes, at, length) {
    if (this.rects === 0) {
      this.canvas.dataset.updates = String(Number(this.canvas.dataset.updates ?? 0) + 1);
      // After a resize the whole new framebuffer is asked for; otherwise only what changed.
      this.requestUpdate(!this.resized);
      this.resized = false;
      this.step = this.message;
      return 0;
    }
    if (length < 12) return MORE;
    const view = new DataView(bytes.buffer, bytes.byteOffset + at, 12);
    const [x, y, width, height, encoding] = [view.getUint16(0), view.getUint16(2), view.getUint16(4), view.getUint16(6), view.getInt32(8)];
    const data = at + 12;
    let size;
    switch (encoding) {
      case 0: // Raw
        size = width * height * 4;
        if (length < 12 + size) return MORE;
        this.raw(bytes.subarray(data, data + size), x, y, width, height);
        break;
      case 1: // CopyRect
        size = 4;
        if (length < 16) return MORE;
        this.copy(new DataView(bytes.buffer, bytes.byteOffset + data, 4), x, y, width, height);
        break;
      case -223: // DesktopSize
        size = 0;
        this.resize(width, height);
        this.resized = true;
        this.status(`Connected to ${this.name || "the VM"} (${width}×${height})`, "connected");
        break;
      case -261: // QEMU LED state: bit 0 Scroll Lock, bit 1 Num Lock, bit 2 Caps Lock
        size = 1;
        if (length < 13) return MORE;
        this.canvas.dataset.leds = String(bytes[data]);
        break;
      default:
        throw new Error(`Unsupported VNC encoding ${encoding}`);
    }
    this.rects -= 1;
    return 12 + size;
  }

  copy(source, x, y, width, height) {
    if (width === 0 || height === 0) return;
    this.context.putImageData(this.context.getImageData(source.getUint16(0), source.getUint16(2), width, height), x, y);
  }

  raw(pixels, x, y, width, height) {
    if (width === 0 || height === 0) return;
    const image = this.context.createImageData(width, height);
    image.data.set(pixels);
    for (let index = 3; index < image.data.length; index += 4) image.data[index] = 255;
    this.context.putImageData(image, x, y);
  }

  // Input: keys while the canvas has focus (Shift+Tab leaves it), the pointer over it.
  attach() {
    const canvas = this.canvas;
    this.listeners = {
      keydown: (event) => this.key(event, true),
      keyup: (event) => this.key(event, false),
      blur: () => this.releaseAll(),
      mousedown: (event) => this.pointer(event, this.buttons | (1 << button(event))),
      mouseup: (event) => this.pointer(event, this.buttons & ~(1 << button(event))),
      mousemove: (event) => this.pointer(event, this.buttons),
      wheel: (event) => this.wheel(event),
      contextmenu: (event) => event.preventDefault(),
    };
    for (const [name, listener] of Object.entries(this.listeners)) canvas.addEventListener(name, listener);
  }

  detach() {
    for (const [name, listener] of Object.entries(this.listeners ?? {})) this.canvas.removeEventListener(name, listener);
    this.listeners = {};
  }

  key(event, pressed) {
    if (event.key === "Tab" && event.shiftKey) return; // the way out of the console, for keyboard users
    const sym = pressed ? keysym(event) : this.down.get(event.code);
    if (sym === undefined) return;
    event.preventDefault();
    if (pressed) this.down.set(event.code, sym);
    else this.down.delete(event.code);
    this.keyEvent(sym, pressed);
  }

  // KeyEvent (§7.5.4).
  keyEvent(sym, pressed) {
    const message = new Uint8Array(8);
    message[0] = 4;
    message[1] = pressed ? 1 : 0;
    new DataView(message.buffer).setUint32(4, sym);
    this.send(message);
    this.keys += 1;
    this.canvas.dataset.keys = String(this.keys);
  }

  releaseAll() {
    for (const sym of this.down.values()) this.keyEvent(sym, false);
    this.down.clear();
  }

  // PointerEvent (§7.5.5), in framebuffer coordinates whatever the canvas's displayed size.
  pointer(event, buttons) {
    const box = this.canvas.getBoundingClientRect();
    const x = Math.max(0, Math.min(this.canvas.width - 1, Math.round(((event.clientX - box.left) * this.canvas.width) / box.width)));
    const y = Math.max(0, Math.min(this.canvas.height - 1, Math.round(((event.clientY - box.top) * this.canvas.height) / box.height)));
    this.buttons = buttons;
    const message = new Uint8Array(6);
    const view = new DataView(message.buffer);
    message[0] = 5;
    message[1] = buttons;
    view.setUint16(2, x);
    view.setUint16(4, y);
    this.send(message);
    if (event.type === "mousedown") this.canvas.focus();
    event.preventDefault();
  }

  // The wheel is buttons 4 (up) and 5 (down), pressed and released.
  wheel(event) {
    const mask = event.deltaY < 0 ? 8 : 16;
    this.pointer(event, this.buttons | mask);
    this.pointer(event, this.buttons & ~mask);
  }
}

/** The RFB button bit of a mouse event (left 0, middle 1, right 2). */
function button(event) {
  return [0, 1, 2][event.button] ?? 0;
}
