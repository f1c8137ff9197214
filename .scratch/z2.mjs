import * as esbuild from "esbuild";
const body = `export const s = z.object({a: z.string().min(1), b: z.iso.datetime({offset:true}).optional(), c: z.enum(["x"]), d: z.array(z.number().int())}); console.log(s.safeParse({}));`;
for (const [name, imp] of Object.entries({
 named: `import {z} from "zod";`, star: `import * as z from "zod";`, v4: `import * as z from "zod/v4";`, ext: `import * as z from "zod/v4/classic/external";`,
})) {
  try {
  const r = await esbuild.build({stdin:{contents:imp+body,resolveDir:process.cwd(),loader:"ts"},bundle:true,platform:"node",format:"esm",minify:true,write:false,metafile:true,outfile:"/tmp/x.mjs"});
  const out = Object.values(r.metafile.outputs)[0];
  console.log(name, out.bytes);
  } catch(e) { console.log(name, e.message.slice(0,200)); }
}
