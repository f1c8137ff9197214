/**
 * The demo people of the local stack (docs/people.md#demo-people): the accounts of the development
 * OpenID provider (local/oidc-provider.ts) and their grants, created at every start. Local defaults
 * only: a deployed stack has none.
 */
import type { Role } from "../shared/people/caller";

export interface DemoPerson {
  readonly username: string;
  readonly password: string;
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  readonly units: readonly string[];
}

export const DEMO_PASSWORD = "demo-password";

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    username: "cb.quoctuan",
    password: DEMO_PASSWORD,
    name: "Cán bộ Một cửa xã Quốc Tuấn",
    email: "cb.quoctuan@demo.example.org",
    role: "editor",
    units: ["10621"],
  },
  {
    username: "ct.quoctuan",
    password: DEMO_PASSWORD,
    name: "Chủ tịch UBND xã Quốc Tuấn",
    email: "ct.quoctuan@demo.example.org",
    role: "issuer",
    units: ["10621"],
  },
  {
    username: "vp.haiduong",
    password: DEMO_PASSWORD,
    name: "Văn phòng UBND tỉnh Hải Dương",
    email: "vp.haiduong@demo.example.org",
    role: "viewer",
    units: ["30"],
  },
  {
    username: "qt.haiduong",
    password: DEMO_PASSWORD,
    name: "Quản trị tỉnh Hải Dương",
    email: "qt.haiduong@demo.example.org",
    role: "admin",
    units: ["30"],
  },
];

export function demoPerson(username: string): DemoPerson | undefined {
  return DEMO_PEOPLE.find((person) => person.username === username);
}
