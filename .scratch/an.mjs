import * as esbuild from "esbuild";
const entries = {intake:"functions/intake/handler.ts",dvcqg:"functions/dvcqg/handler.ts",meta:"functions/meta/handler.ts",links:"functions/links/handler.ts",dispatcher:"functions/reports/dispatcher.ts",worker:"functions/reports/worker.ts"};
for (const [name, entry] of Object.entries(entries)) {
  const r = await esbuild.build({entryPoints:[entry],bundle:true,platform:"node",target:"node22",format:"esm",outfile:`/tmp/perf/out/${name}/index.mjs`,mainFields:["module","main"],banner:{js:"import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"},minify:true,keepNames:true,sourcemap:true,sourcesContent:false,charset:"utf8",logLevel:"warning",tsconfig:"tsconfig.json",metafile:true});
  const out = Object.entries(r.metafile.outputs).find(([k])=>k.endsWith(".mjs"))[1];
  const groups = {};
  for (const [file, {bytesInOutput}] of Object.entries(out.inputs)) {
    let m = file.match(/node_modules\/((@[^/]+\/)?[^/]+)/); const key = m? m[1] : file.split("/").slice(0,2).join("/");
    groups[key]=(groups[key]??0)+bytesInOutput;
  }
  console.log(name, out.bytes, Object.entries(groups).sort((a,b)=>b[1]-a[1]).slice(0,14).map(([k,v])=>`${k}:${(v/1024).toFixed(0)}`).join(" "));
}
