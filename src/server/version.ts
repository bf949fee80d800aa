/**
 * The MongoDB version Shoal reports. Drivers and test runners gate features on it; 7.0
 * is wire version 21.
 */
export const serverVersion = '7.0.14';
export const serverVersionArray = [7, 0, 14, 0] as const;
export const featureCompatibilityVersion = '7.0';
export const minWireVersion = 0;
export const maxWireVersion = 21;
/** Shoal's own version, reported beside MongoDB's. */
export const shoalVersion = '0.1.0';
