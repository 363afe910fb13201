// ESLint for the site's scripts (site/docs/assets/js/): browser ES modules, ES2020 at most so
// families' older phones run them, and none of the ES5 habits (var, .then chains, "use strict").
// Run by `make lint` (and so `make test`): npx --no-install eslint --max-warnings 0 .
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    // Installed, built or cached files, not ours (as in .gitignore).
    ignores: [".venv/", ".cache/", ".data/", "build/", "bench/node_modules/"],
  },
  js.configs.recommended,
  {
    files: ["site/docs/assets/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "module",
      globals: globals.browser,
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: "error",
      "no-implicit-globals": "error",
      strict: "error", // modules are strict already: no "use strict"
      "prefer-arrow-callback": "error",
      "prefer-template": "error",
      "prefer-object-spread": "error",
      "prefer-rest-params": "error",
      "prefer-spread": "error",
      "object-shorthand": "error",
      "no-useless-concat": "error",
      "no-restricted-properties": [
        "error",
        { property: "then", message: "Use async/await rather than .then() chains." },
        { object: "window", property: "Portal", message: "Import from the module instead." },
      ],
      curly: "error",
      "dot-notation": "error",
      "no-console": "error",
    },
  },
  {
    files: ["eslint.config.mjs"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
