const ESM_ONLY = [
  "file-type",
  "strtok3",
  "token-types",
  "@tokenizer",
  "uint8array-extras",
  "@borewit",
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests", "<rootDir>/server"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
    // ES-module-only dependencies (see tests/support/esm-transform.js).
    "^.+\\.js$": "<rootDir>/tests/support/esm-transform.js",
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join("|")})/)`],
  // file-type exports its Node entry under "import"/"module-sync" only.
  moduleNameMapper: { "^file-type$": "<rootDir>/node_modules/file-type/index.js" },
  globalSetup: "<rootDir>/tests/support/global-setup.ts",
  testTimeout: 30000,
  maxWorkers: 2,
};
