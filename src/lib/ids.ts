import { monotonicFactory } from "ulidx";

/**
 * ULIDs (SPEC §2): 26-char Crockford base32, lexicographically sortable by creation time.
 * The monotonic factory keeps ids created in the same millisecond in order within an isolate.
 */
export const newId: () => string = monotonicFactory();
