// ESLint with typescript-eslint's recommended rules over the TypeScript and the config.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "_site/**",
      "_dev-site/**",
      ".releases/**",
      ".build/**",
      ".cache/**",
      "test/fixtures/**",
      "test/artifacts/**",
      "bench-results/**",
      "assets/js/**",
      "lib/bench/eleventy-base-blog/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        performance: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
      },
    },
    rules: {
      // Feeds, XML and sanitizing match control characters on purpose (XML 1.0 forbids most of them).
      "no-control-regex": "off",
      // `_name` marks a value deliberately unused (a destructured field left out).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
);
