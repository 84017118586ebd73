"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.trimStart = exports.trimEnd = void 0;
/** `text` without trailing spaces and tabs, for engines without String.prototype.trimEnd. */
function trimEnd(text) {
    return text.replace(/[ \t]+$/, "");
}
exports.trimEnd = trimEnd;
/** `text` without leading spaces and tabs. */
function trimStart(text) {
    return text.replace(/^[ \t]+/, "");
}
exports.trimStart = trimStart;
