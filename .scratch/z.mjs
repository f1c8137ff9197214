import * as esbuild from "esbuild";
for (const [name, src] of Object.entries({
 classic: `import {z} from "zod"; export const s = z.object({a: z.string().min(1), b: z.iso.datetime({offset:true}).optional(), c: z.enum(["x"]), d: z.array(z.number().int())}); console.log(s.safeParse({}));`,
 mini: `import * as z from "zod/mini"; export const s = z.object({a: z.string().check(z.minLength(1)), b: z.optional(z.iso.datetime({offset:true})), c: z.enum(["x"]), d: z.array(z.number().check(z.int()))}); console.log(s.safeParse({}));`,
})) {
  const r = await esbuild.build({stdin:{contents:src,resolveDir:process.cwd(),loader:"ts"},bundle:true,platform:"node",format:"esm",minify:true,write:false,metafile:true,outfile:"/tmp/x.mjs"});
  const out = Object.values(r.metafile.outputs)[0];
  const g={}; for (const [f,{bytesInOutput}] of Object.entries(out.inputs)) { const k=f.replace(/.*node_modules\/zod\//,"").split("/").slice(0,3).join("/"); g[k]=(g[k]??0)+bytesInOutput;}
  console.log(name, out.bytes, Object.entries(g).sort((a,b)=>b[1]-a[1]).slice(0,12).map(([k,v])=>`${k}:${(v/1024).toFixed(0)}`).join(" "));
}
