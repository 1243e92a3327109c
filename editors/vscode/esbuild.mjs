// Bundles the extension and vscode-languageclient into out/extension.js (the .vsix then needs
// no node_modules).
import * as esbuild from "esbuild";

await esbuild.build({
  entryPoints: ["src/extension.ts"],
  bundle: true,
  outfile: "out/extension.js",
  external: ["vscode"],
  format: "cjs",
  platform: "node",
  target: "node16",
  sourcemap: false,
  minify: false,
  logLevel: "warning",
});
