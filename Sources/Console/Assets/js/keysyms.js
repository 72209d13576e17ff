// X11 keysyms (X11's keysymdef.h, the values RFB's KeyEvent carries, RFC 6143 §7.5.4) for browser keyboard events.

const NAMED = {
  Backspace: 0xff08,
  Tab: 0xff09,
  Enter: 0xff0d,
  Pause: 0xff13,
  ScrollLock: 0xff14,
  Escape: 0xff1b,
  Home: 0xff50,
  ArrowLeft: 0xff51,
  ArrowUp: 0xff52,
  ArrowRight: 0xff53,
  ArrowDown: 0xff54,
  PageUp: 0xff55,
  PageDown: 0xff56,
  End: 0xff57,
  Insert: 0xff63,
  ContextMenu: 0xff67,
  NumLock: 0xff7f,
  CapsLock: 0xffe5,
  Meta: 0xffe7,
  Delete: 0xffff,
  AltGraph: 0xfe03,
};

// Modifiers have a left and a right keysym.
const SIDED = {
  Shift: [0xffe1, 0xffe2],
  Control: [0xffe3, 0xffe4],
  Alt: [0xffe9, 0xffea],
  OS: [0xffeb, 0xffec],
  Super: [0xffeb, 0xffec],
};

/** The keysym for a KeyboardEvent, or undefined for a key with none (dead keys, "Unidentified"). */
export function keysym(event) {
  const { key, code } = event;
  if (SIDED[key]) return SIDED[key][code.endsWith("Right") ? 1 : 0];
  if (NAMED[key] !== undefined) return NAMED[key];
  const fn = /^F(\d{1,2})$/.exec(key);
  if (fn && Number(fn[1]) >= 1 && Number(fn[1]) <= 24) return 0xffbe + Number(fn[1]) - 1;
  if ([...key].length === 1) {
    // Latin-1 characters are their own keysyms; any other Unicode character is 0x01000000 + its code point.
    const point = key.codePointAt(0);
    if (point >= 0x20 && point <= 0x7e) return point;
    if (point >= 0xa0 && point <= 0xff) return point;
    return 0x01000000 + point;
  }
  return undefined;
}
