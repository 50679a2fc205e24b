// Jest runs CommonJS; a few dependencies (file-type and the tokenizers it reads with) ship only
// as ES modules. Node loads them natively in production (require of ESM); under Jest this
// transformer rewrites them to CommonJS with esbuild, which the project already uses.
const { transformSync } = require("esbuild");

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      format: "cjs",
      target: "node20",
      sourcefile: filename,
      sourcemap: "inline",
      loader: "js",
    });
    return { code, map };
  },
};
