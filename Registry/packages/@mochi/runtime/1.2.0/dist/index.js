"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.padEnd = exports.padStart = exports.repeat = void 0;
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
/** The `fill` run that brings `value` up to `width` characters ("" if it is long enough). */
function padding(value, width, fill) {
    if (fill.length === 0 || value.length >= width) {
        return "";
    }
    const missing = width - value.length;
    return repeat(fill, Math.ceil(missing / fill.length)).slice(0, missing);
}
/** Pads `text` on the left with `fill` until it is `width` characters long. */
function padStart(text, width, fill = " ") {
    const value = String(text);
    return padding(value, width, fill) + value;
}
exports.padStart = padStart;
/** Pads `text` on the right with `fill` until it is `width` characters long. */
function padEnd(text, width, fill = " ") {
    const value = String(text);
    return value + padding(value, width, fill);
}
exports.padEnd = padEnd;
