"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.padStart = exports.repeat = void 0;
/** Repeats `text` `count` times (count is clamped to a whole number >= 0). */
function repeat(text, count) {
    const times = Math.max(0, Math.floor(count));
    let out = "";
    for (let i = 0; i < times; i++) {
        out += text;
    }
    return out;
}
exports.repeat = repeat;
/** Pads `text` on the left with `fill` until it is `width` characters long. */
function padStart(text, width, fill = " ") {
    const value = String(text);
    if (fill.length === 0 || value.length >= width) {
        return value;
    }
    const missing = width - value.length;
    return repeat(fill, Math.ceil(missing / fill.length)).slice(0, missing) + value;
}
exports.padStart = padStart;
