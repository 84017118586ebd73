"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.trimEnd = void 0;
/** `text` without trailing spaces and tabs, for engines without String.prototype.trimEnd. */
function trimEnd(text) {
    return text.replace(/[ \t]+$/, "");
}
exports.trimEnd = trimEnd;
