"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.formatLine = void 0;
const runtime_1 = require("@mochi/runtime");
/** `label` followed by `value` right-aligned in a column `width` wide: `formatLine("total", 42, 8)` is "total:       42". */
function formatLine(label, value, width = 8) {
    return `${label}: ${(0, runtime_1.padStart)(value, width)}`;
}
exports.formatLine = formatLine;
