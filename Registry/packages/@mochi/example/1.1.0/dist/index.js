"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.formatTable = exports.formatLine = void 0;
const runtime_1 = require("@mochi/runtime");
/** `label` followed by `value` right-aligned in a column `width` wide: `formatLine("total", 42, 8)` is "total:       42". */
function formatLine(label, value, width = 8) {
    return `${label}: ${(0, runtime_1.padStart)(value, width)}`;
}
exports.formatLine = formatLine;
/** One `formatLine` per entry, values aligned to the widest one, joined by newlines. */
function formatTable(entries) {
    const width = Math.max(0, ...entries.map(([, value]) => String(value).length));
    const labelWidth = Math.max(0, ...entries.map(([label]) => label.length));
    return entries
        .map(([label, value]) => formatLine((0, runtime_1.padStart)(label, labelWidth), value, width))
        .join("\n");
}
exports.formatTable = formatTable;
