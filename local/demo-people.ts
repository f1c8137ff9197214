/**
 * The demo people of the local stack (docs/people.md#demo-people): the accounts of the development
 * OpenID provider (local/oidc-provider.ts) and their grants, created at every start. Local defaults
 * only: a deployed stack has none.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoGrantStore } from "../shared/adapters/dynamo/grant-store";
import type { Role } from "../shared/people/caller";
import { putGrant } from "../shared/people/manage-grants";

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

/** Creates the demo people's grants that do not exist yet (an admin's later changes are kept). */
export async function seedDemoGrants(
  client: DynamoDBClient,
  tableName: string,
  now = new Date(),
): Promise<number> {
  const store = new DynamoGrantStore(client, tableName);
  let created = 0;
  for (const person of DEMO_PEOPLE) {
    if (await store.byEmail(person.email)) continue;
    const context = { now, requestId: `local-start-${now.getTime()}-${person.username}` };
    const change = { role: person.role, units: person.units, name: person.name };
    const outcome = await putGrant(
      store,
      { kind: "operator", name: "local-demo" },
      person.email,
      change,
      context,
    );
    if (outcome.ok) created += 1;
  }
  return created;
}
