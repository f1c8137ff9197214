/**
 * The portal's build: web/ → web/dist (static assets served at `/` by the local stack and by
 * CloudFront in AWS). Preact's JSX through Vite's own transform; the page imports the reports'
 * pure formatting and form modules from shared/, outside this folder.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const webRoot = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: webRoot,
  base: "/",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // No inline scripts or styles: the CSP forbids them (docs/portal.md#the-page-web).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  // `npm run web:dev` next to `npm start`: the API answers from the local stack.
  server: {
    fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] },
    proxy: { "/v1": process.env.REPORTS_API_URL ?? "http://127.0.0.1:3000" },
  },
});
