/**
 * One ZIP of named files (the province's bundle of issued reports, docs/editions.md#the-province).
 * In the renderers chunk (renderers.ts): jszip is loaded only by the request that zips.
 */
import JSZip from "jszip";

export interface ZipEntry {
  readonly name: string;
  readonly body: Buffer;
}

export async function renderZip(entries: readonly ZipEntry[]): Promise<Buffer> {
  const zip = new JSZip();
  for (const entry of entries) zip.file(entry.name, entry.body);
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}
