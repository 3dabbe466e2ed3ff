// Writes docs/configuration.md from the built schema (run after `npm run build`).
import { writeFileSync } from "node:fs";
import { renderConfigReference } from "../dist/config/config-reference.js";

writeFileSync(new URL("../docs/configuration.md", import.meta.url), renderConfigReference());
console.log("docs/configuration.md written");
