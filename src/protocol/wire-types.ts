/** @module protocol/wire-types: SDK shapes as they travel in AWS JSON 1.0 (blobs as base64 text). */

/**
 * `T` with every blob (`Uint8Array`) replaced by its base64 string, as the JSON protocol carries it. Actions declare
 * their results as `satisfies JsonWire<ReceiveMessageResult>` so the SDK's own types check the member names.
 */
export type JsonWire<T> = T extends Uint8Array
  ? string
  : T extends ReadonlyArray<infer U>
    ? Array<JsonWire<U>>
    : T extends object
      ? { [K in keyof T]: JsonWire<T[K]> }
      : T;
