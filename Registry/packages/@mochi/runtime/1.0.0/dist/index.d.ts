/** Repeats `text` `count` times (count is clamped to a whole number >= 0). */
export declare function repeat(text: string, count: number): string;
/** Pads `text` on the left with `fill` until it is `width` characters long. */
export declare function padStart(text: string | number, width: number, fill?: string): string;
