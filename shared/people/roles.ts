/**
 * The roles, each including the one before (docs/people.md). Its own module, free of any other
 * import, so the portal (web/, a browser bundle) reads the same list as the API.
 */
export const ROLES = ["viewer", "editor", "issuer", "admin"] as const;
export type Role = (typeof ROLES)[number];
