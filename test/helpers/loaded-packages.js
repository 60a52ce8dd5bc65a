// Preloaded into a command under test (`node --import`): records every module
// the process loads, one URL or path a line, in the file LOADED_MODULES_FILE
// names. ES modules are seen as they resolve (a loader hook), CommonJS ones in
// require's cache at exit: a package loaded by require() never meets the hook.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const file = process.env.LOADED_MODULES_FILE;
if (file) {
  const hook = `
    import { appendFileSync } from "node:fs";
    export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      appendFileSync(${JSON.stringify(file)}, resolved.url + "\\n");
      return resolved;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  const require = createRequire(import.meta.url);
  process.on("exit", () => appendFileSync(file, Object.keys(require.cache).join("\n") + "\n"));
}
