"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.formatTable = exports.formatLine = void 0;
const runtime_1 = require("@mochi/runtime");
/**
 * `label` padded to `labelWidth`, then `value` right-aligned in a column `width` wide.
 * 2.0 breaking change: labels are left-aligned (padEnd, new in @mochi/runtime 1.2.0) and options are an object.
 */
function formatLine(label, value, options = {}) {
    const { width = 8, labelWidth = 0, separator = ": " } = options;
    return `${(0, runtime_1.padEnd)(label, labelWidth)}${separator}${(0, runtime_1.padStart)(value, width)}`;
}
exports.formatLine = formatLine;
/** One `formatLine` per entry, labels and values aligned, joined by newlines. */
function formatTable(entries, separator = ": ") {
    const width = Math.max(0, ...entries.map(([, value]) => String(value).length));
    const labelWidth = Math.max(0, ...entries.map(([label]) => label.length));
    return entries.map(([label, value]) => formatLine(label, value, { width, labelWidth, separator })).join("\n");
}
exports.formatTable = formatTable;
