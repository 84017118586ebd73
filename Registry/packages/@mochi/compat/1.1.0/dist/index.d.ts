/** `text` without trailing spaces and tabs. */
export declare function trimEnd(text: string): string;
/** `text` without leading spaces and tabs. */
export declare function trimStart(text: string): string;
