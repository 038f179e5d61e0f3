// ESLint flat config: recommended JS + TypeScript rules for src/, test/, scripts/ and bench/,
// and for the browser modules of the /inbox and /console pages in public/.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "packages/client/dist/", "packages/client/src/openapi.ts", ".wrangler/", "src/worker-configuration.d.ts", "public/vendor/", "public/assets/herald-client.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        fetch: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        WebSocket: "readonly",
        crypto: "readonly",
        Response: "readonly",
        Request: "readonly",
        Headers: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-namespace": "off",
    },
  },
  {
    // One module owns each table (docs/data-model.md#conventions): D1 SQL lives in src/db/<table>.ts,
    // and the UserInbox's own SQLite in src/inbox/. Anywhere else in src/, a `.prepare(` is an error.
    files: ["src/**/*.ts"],
    ignores: ["src/db/**", "src/inbox/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='prepare']",
          message: "D1 SQL belongs in the table's module under src/db/ (docs/data-model.md#conventions).",
        },
      ],
    },
  },
  {
    // The pages' modules run in the browser; their bundled client is build output (ignored above).
    files: ["public/**/*.js"],
    languageOptions: {
      globals: {
        document: "readonly",
        location: "readonly",
        sessionStorage: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        AbortSignal: "readonly",
        Intl: "readonly",
        CSS: "readonly",
        atob: "readonly",
      },
    },
  },
);
