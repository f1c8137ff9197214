import * as esbuild from "esbuild";
const body = `export const s = z.object({a: z.string().min(1), b: z.iso.datetime({offset:true}).optional(), c: z.enum(["x"]), d: z.array(z.number().int())}); console.log(s.safeParse({}));`;
for (const name of ["a","b"]) {
  const r = await esbuild.build({stdin:{contents:`import {z} from "./.scratch/shim/${name}.ts";`+body,resolveDir:process.cwd(),loader:"ts"},bundle:true,platform:"node",format:"esm",minify:true,write:false,metafile:true,outfile:"/tmp/x.mjs"});
  console.log(name, Object.values(r.metafile.outputs)[0].bytes);
}
